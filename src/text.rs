//! Text from the snapshot made safe and measured for a terminal.
//!
//! Everything a producer wrote is untrusted: an ESC or a bidi override in a client label
//! must stay text, never drive the terminal or reorder a line. [`clean`] is applied to every
//! string from the snapshot before it reaches the screen or a text report.

use std::borrow::Cow;
use std::fmt::Write as _;

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Longest string (in chars) shown from the snapshot; the rest is cut with an ellipsis.
pub const MAX_CHARS: usize = 200;
/// Combining marks kept after one base character (Swedish needs at most one).
const MAX_MARKS: usize = 2;

/// Format characters that reorder or hide text (bidi embeddings, overrides and isolates,
/// zero-width spaces and joiners, BOM, soft hyphen, Arabic letter mark).
fn is_format(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{061C}' | '\u{180E}'
        | '\u{200B}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}'
        | '\u{FEFF}'
        | '\u{FFF9}'..='\u{FFFB}')
}

/// Makes `input` safe to print: control characters (C0, DEL, C1) become a space or vanish,
/// format characters vanish, runs of combining marks are cut to two, and the result is cut
/// to [`MAX_CHARS`] characters. Borrowed when nothing needed changing.
#[must_use]
pub fn clean(input: &str) -> Cow<'_, str> {
    // Printable ASCII (most ids, dates and codes) has nothing to clean: no byte-by-byte
    // Unicode checks for the hundred thousand cells of a city's report.
    if input.len() <= MAX_CHARS && input.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        return Cow::Borrowed(input);
    }
    let suspicious = input.chars().count() > MAX_CHARS
        || input
            .chars()
            .any(|c| c.is_control() || is_format(c) || c.width() == Some(0));
    if !suspicious {
        return Cow::Borrowed(input);
    }
    let mut out = String::with_capacity(input.len().min(MAX_CHARS * 4));
    let mut marks = 0;
    let mut count = 0;
    for c in input.chars() {
        if count >= MAX_CHARS {
            out.push('…');
            break;
        }
        if c.is_control() {
            // Tabs and line breaks separate words; other controls are dropped.
            if matches!(c, '\t' | '\n' | '\r') && !out.ends_with(' ') {
                out.push(' ');
                count += 1;
            }
            marks = 0;
            continue;
        }
        if is_format(c) {
            continue;
        }
        if c.width() == Some(0) {
            marks += 1;
            if marks > MAX_MARKS {
                continue;
            }
        } else {
            marks = 0;
        }
        out.push(c);
        count += 1;
    }
    Cow::Owned(out)
}

/// Display width in terminal columns.
#[must_use]
pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// `s` in at most `max` columns, cut in the middle (`Funktionsne…vuxna`) so that names that
/// differ only at the end still differ; as it is when it fits.
#[must_use]
pub fn abbreviate_middle(s: &str, max: usize) -> Cow<'_, str> {
    if width(s) <= max {
        return Cow::Borrowed(s);
    }
    if max < 5 {
        return truncate(s, max);
    }
    // The end keeps what tells similar names apart ("… vuxna", "… barn/ungdom"): its last
    // word, up to half the room.
    let room = max - 1;
    let last_word = s.rsplit(' ').next().unwrap_or(s);
    let tail_w = width(last_word).min(room / 2).max(1);
    let head_w = room - tail_w;
    let mut head = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > head_w {
            break;
        }
        head.push(c);
        used += w;
    }
    let mut tail: Vec<char> = Vec::new();
    let mut used = 0;
    for c in s.chars().rev() {
        let w = c.width().unwrap_or(0);
        if used + w > tail_w {
            break;
        }
        tail.push(c);
        used += w;
    }
    let tail: String = tail.into_iter().rev().collect();
    Cow::Owned(format!("{}…{tail}", head.trim_end()))
}

/// Each of `names` in at most its width (`(name, max)`), cut in the middle as
/// [`abbreviate_middle`] cuts; where a different name before it already reads the same,
/// cut elsewhere (another split of head and tail, or a window of the middle between two
/// `…`) so that no two different names read alike. The same name reads the same.
#[must_use]
pub fn abbreviate_distinct(names: &[(&str, usize)]) -> Vec<String> {
    let mut shown: std::collections::HashMap<String, &str> = std::collections::HashMap::new();
    let mut out = Vec::with_capacity(names.len());
    for &(name, max) in names {
        let first = abbreviate_middle(name, max).into_owned();
        let taken = |t: &str| shown.get(t).is_some_and(|n| *n != name);
        let text = if taken(&first) {
            other_cuts(name, max).find(|c| !taken(c)).unwrap_or(first)
        } else {
            first
        };
        shown.entry(text.clone()).or_insert(name);
        out.push(text);
    }
    out
}

/// The first `cols` columns of `chars`.
fn head_of(chars: &[char], cols: usize) -> String {
    let mut used = 0;
    chars
        .iter()
        .take_while(|c| {
            used += c.width().unwrap_or(0);
            used <= cols
        })
        .collect()
}

/// The last `cols` columns of `chars`.
fn tail_of(chars: &[char], cols: usize) -> String {
    let mut used = 0;
    let mut tail: Vec<char> = chars
        .iter()
        .rev()
        .take_while(|c| {
            used += c.width().unwrap_or(0);
            used <= cols
        })
        .copied()
        .collect();
    tail.reverse();
    tail.into_iter().collect()
}

/// Every other way [`abbreviate_distinct`] may cut `s` to `max` columns: head and tail in
/// each proportion (even halves first), then windows of the middle (`Andel…med hem…`) from
/// the start on. None when `s` fits.
fn other_cuts(s: &str, max: usize) -> impl Iterator<Item = String> + '_ {
    let chars: Vec<char> = s.chars().collect();
    let cut = width(s) > max && max >= 5;
    let room = max.saturating_sub(1);
    let mut tails: Vec<usize> = (1..room).collect();
    tails.sort_by_key(|t| t.abs_diff(room / 2));
    let splits = {
        let chars = chars.clone();
        tails.into_iter().map(move |t| {
            format!(
                "{}…{}",
                head_of(&chars, room - t).trim_end(),
                tail_of(&chars, t)
            )
        })
    };
    let windows = (1..chars.len()).map(move |start| {
        let head = head_of(&chars[..1], 1);
        format!(
            "{head}…{}…",
            head_of(&chars[start..], max.saturating_sub(3))
        )
    });
    splits.chain(windows).filter(move |_| cut)
}

/// Cuts `s` to at most `max` columns, ending with `…` when cut.
#[must_use]
pub fn truncate(s: &str, max: usize) -> Cow<'_, str> {
    if width(s) <= max {
        return Cow::Borrowed(s);
    }
    if max == 0 {
        return Cow::Borrowed("");
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > max - 1 {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    Cow::Owned(out)
}

/// `s` padded with spaces on the right to `cols` columns (cut first if longer).
#[must_use]
pub fn pad_right(s: &str, cols: usize) -> String {
    padded(s, cols, false).to_string()
}

/// `s` padded with spaces on the left to `cols` columns.
#[must_use]
pub fn pad_left(s: &str, cols: usize) -> String {
    padded(s, cols, true).to_string()
}

/// `s` cut and padded to `cols` columns (on the left when `left`), for `write!`: a long
/// report writes it without a string per cell.
#[must_use]
pub fn padded(s: &str, cols: usize, left: bool) -> Padded<'_> {
    let text = truncate(s, cols);
    let fill = cols.saturating_sub(width(&text));
    Padded { text, fill, left }
}

/// See [`padded`].
#[derive(Debug)]
pub struct Padded<'a> {
    text: Cow<'a, str>,
    fill: usize,
    left: bool,
}

impl std::fmt::Display for Padded<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let fill =
            |f: &mut std::fmt::Formatter<'_>| (0..self.fill).try_for_each(|_| f.write_char(' '));
        if self.left {
            fill(f)?;
        }
        f.write_str(&self.text)?;
        if !self.left {
            fill(f)?;
        }
        Ok(())
    }
}

/// Compares two texts as a Swedish reader sorts names: ignoring case, with å, ä and ö
/// after z (and é as e, ü as y, æ as ä, ø as ö), then by the text itself.
#[must_use]
pub fn collate(a: &str, b: &str) -> std::cmp::Ordering {
    fn key(c: char) -> u32 {
        let c = c.to_lowercase().next().unwrap_or(c);
        match c {
            'å' => u32::from('z') + 1,
            'ä' | 'æ' => u32::from('z') + 2,
            'ö' | 'ø' => u32::from('z') + 3,
            'é' | 'è' | 'ê' | 'ë' => u32::from('e'),
            'ü' => u32::from('y'),
            'á' | 'à' => u32::from('a'),
            c => u32::from(c),
        }
    }
    a.chars()
        .map(key)
        .cmp(b.chars().map(key))
        .then_with(|| a.cmp(b))
}

/// A signed change as people write it: `+7`, `−10` (true minus sign), `0`; ASCII `-` with `ascii`.
#[must_use]
pub fn signed(n: i64, ascii: bool) -> String {
    match n {
        0 => "0".into(),
        n if n > 0 => format!("+{n}"),
        n if ascii => format!("-{}", n.unsigned_abs()),
        n => format!("−{}", n.unsigned_abs()),
    }
}

/// Replaces Swedish letters and typographic symbols by ASCII, for `--ascii` / `LANG=C`,
/// one character for one so that widths measured before stay right.
#[must_use]
pub fn to_ascii(s: &str) -> Cow<'_, str> {
    if s.is_ascii() {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            'å' | 'ä' => out.push('a'),
            'Å' | 'Ä' => out.push('A'),
            'ö' | 'ø' => out.push('o'),
            'Ö' | 'Ø' => out.push('O'),
            'é' | 'è' | 'ë' => out.push('e'),
            'É' => out.push('E'),
            'ü' => out.push('u'),
            'Ü' => out.push('U'),
            // One column in, one column out: the layout was measured before this.
            '–' | '—' | '−' => out.push('-'),
            '…' => out.push('~'),
            '·' | '•' | '●' => out.push('*'),
            '→' | '▶' | '▸' => out.push('>'),
            '←' | '◀' | '◂' => out.push('<'),
            '↑' | '▲' => out.push('^'),
            '↓' | '▼' | '▾' => out.push('v'),
            '×' => out.push('x'),
            // "LSS §10": a paragraph sign reads as an S rather than a question mark.
            '§' => out.push('S'),
            '≤' => out.push('<'),
            '≥' => out.push('>'),
            c if c.is_ascii() => out.push(c),
            _ => out.push('?'),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collate_puts_a_ring_a_umlaut_o_umlaut_after_z_ignoring_case() {
        let mut v = vec!["Örjan", "zeta", "anna", "Åsa", "Ärla", "Bertil", "émile"];
        v.sort_by(|a, b| collate(a, b));
        assert_eq!(
            v,
            ["anna", "Bertil", "émile", "zeta", "Åsa", "Ärla", "Örjan"]
        );
    }

    #[test]
    fn plain_text_is_borrowed() {
        assert!(matches!(clean("Hemtjänst Åsa Öberg"), Cow::Borrowed(_)));
    }

    #[test]
    fn escapes_and_controls_never_survive() {
        let hostile = "A\u{1b}]0;pwned\u{7}B\u{1b}[2JC\u{9b}31mD\u{7f}E\r\nF";
        let c = clean(hostile);
        assert!(!c.chars().any(char::is_control), "{c:?}");
        assert_eq!(c, "A]0;pwnedB[2JC31mDE F");
    }

    #[test]
    fn bidi_and_zero_width_are_removed() {
        assert_eq!(clean("ab\u{202E}cd\u{2066}e\u{2069}\u{200B}f"), "abcdef");
    }

    #[test]
    fn long_strings_and_combining_runs_are_cut() {
        let long = "x".repeat(1_000_000);
        assert_eq!(clean(&long).chars().count(), MAX_CHARS + 1);
        let zalgo = format!("a{}b", "\u{0301}".repeat(500));
        assert_eq!(clean(&zalgo), "a\u{0301}\u{0301}b");
        // A decomposed å (a + ring) keeps its mark.
        assert_eq!(clean("a\u{030A}sa"), "a\u{030A}sa");
    }

    #[test]
    fn abbreviations_keep_the_end_that_tells_names_apart() {
        let a = abbreviate_middle("Funktionsnedsättning vuxna", 17);
        let b = abbreviate_middle("Funktionsnedsättning barn/ungdom", 17);
        assert_eq!(a, "Funktionsne…vuxna");
        assert_ne!(a, b);
        assert!(width(&a) <= 17 && width(&b) <= 17, "{a} {b}");
        assert_eq!(abbreviate_middle("Ordinärt boende", 17), "Ordinärt boende");
        assert_eq!(abbreviate_middle("abcdef", 3), "ab…");
    }

    #[test]
    fn different_names_never_read_alike() {
        // Alike at both ends: abbreviate_middle alone reads them the same.
        let a = "Andel brukare som är nöjda med hemtjänsten totalt";
        let b = "Andel brukare som är missnöjda med hemtjänsten totalt";
        let c = "Andel brukare som vet vart de ska vända sig med hemtjänsten totalt";
        assert_eq!(abbreviate_middle(a, 20), abbreviate_middle(b, 20));
        for max in [5, 8, 12, 20, 30] {
            let names = [(a, max), (b, max), (c, max), (a, max), ("Kort", max)];
            let out = abbreviate_distinct(&names);
            for (i, x) in out.iter().enumerate() {
                assert!(width(x) <= max, "{x} wider than {max}");
                for (j, y) in out.iter().enumerate().skip(i + 1) {
                    assert_eq!(names[i].0 == names[j].0, x == y, "{max}: {x} / {y}");
                }
            }
            assert_eq!(out[0], abbreviate_middle(a, max), "the first keeps its cut");
            assert_eq!(out[4], "Kort");
        }
        // Each at its own width.
        let out = abbreviate_distinct(&[(a, 20), (b, 19)]);
        assert_ne!(out[0], out[1]);
        assert!(width(&out[1]) <= 19);
    }

    #[test]
    fn truncate_and_pad_measure_columns() {
        assert_eq!(truncate("Grupp- och servicebostad", 10), "Grupp- oc…");
        assert_eq!(pad_left("7", 3), "  7");
        assert_eq!(pad_right("Åsa", 5), "Åsa  ");
        assert_eq!(truncate("abc", 0), "");
    }

    #[test]
    fn signs_and_ascii() {
        assert_eq!(signed(7, false), "+7");
        assert_eq!(signed(-10, false), "−10");
        assert_eq!(signed(-10, true), "-10");
        assert_eq!(to_ascii("Ärenden – Hägersten…"), "Arenden - Hagersten~");
        assert_eq!(to_ascii("↑↓ fält · ←→ ändra"), "^v falt * <> andra");
        for s in ["Grupp- och servicebostad…", "▶ ▲ försenad → ×"] {
            assert_eq!(to_ascii(s).chars().count(), s.chars().count(), "{s}");
        }
    }
}
