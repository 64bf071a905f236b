//! Typed field parsing: one CSV row's text turned into the values of `model.rs`.
//!
//! This is where the quirks of Swedish exports are accepted (decimal comma, space as
//! thousands separator, `återkallad` for `aterkallad`) and everything else is refused with
//! a message naming the column and the value. A getter reports its own error and returns
//! `None`; the table builders call every getter before they assemble a row, so that one
//! row yields all of its errors.

use std::borrow::Cow;

use chrono::{Datelike, NaiveDate};

use super::error::{Collector, ImportError};
use super::reader::{Header, Record};
use crate::domain::dates::{IMPORT_YEARS, MAX_TARGET_DAYS, parse_iso};
use crate::model::{Assessment, Direction, GoalLevel, Outcome, Sex};

/// One data row of a CSV file, with the place to report its errors.
pub struct Row<'a> {
    pub file: &'a str,
    pub line: u64,
    record: Record<'a>,
    header: &'a Header,
    errors: &'a mut Collector,
}

impl<'a> Row<'a> {
    pub fn new(
        file: &'a str,
        line: u64,
        record: Record<'a>,
        header: &'a Header,
        errors: &'a mut Collector,
    ) -> Self {
        Self {
            file,
            line,
            record,
            header,
            errors,
        }
    }

    /// Field `index` as written (for tests of the reader).
    #[cfg(test)]
    #[must_use]
    pub fn field(&self, index: usize) -> Option<&'a str> {
        self.record.get(index)
    }

    /// The trimmed value of `column`; `None` when it is empty or the file has no such
    /// column. Line breaks inside a quoted value become `\n`.
    #[must_use]
    pub fn value(&self, column: &str) -> Option<Cow<'a, str>> {
        let index = self.header.index(column)?;
        let text = self.record.get(index)?.trim();
        if text.is_empty() {
            None
        } else if text.contains('\r') {
            Some(Cow::Owned(text.replace("\r\n", "\n")))
        } else {
            Some(Cow::Borrowed(text))
        }
    }

    /// Whether the import has found any problem so far, in this row or before it.
    #[must_use]
    pub fn any_errors(&self) -> bool {
        !self.errors.is_empty()
    }

    /// Reports a problem with this row.
    pub fn error(&mut self, column: &str, value: Option<&str>, message: impl Into<String>) {
        let mut error = ImportError::new(self.file, message)
            .at_line(self.line)
            .in_column(column);
        error.value = value.map(str::to_owned);
        self.errors.push(error);
    }

    /// An optional value parsed by `parse`; an unparseable value is reported.
    pub fn parsed<T>(&mut self, column: &str, parse: fn(&str) -> Result<T, String>) -> Option<T> {
        let text = self.value(column)?;
        match parse(&text) {
            Ok(value) => Some(value),
            Err(message) => {
                self.error(column, Some(&text), message);
                None
            }
        }
    }

    /// A required value parsed by `parse`; an empty one is reported too (a missing column
    /// was reported once, at the header).
    pub fn required<T>(&mut self, column: &str, parse: fn(&str) -> Result<T, String>) -> Option<T> {
        if self.header.index(column).is_some() && self.value(column).is_none() {
            self.error(column, None, "värde saknas i obligatorisk kolumn");
            return None;
        }
        self.parsed(column, parse)
    }

    pub fn text(&mut self, column: &str) -> Option<String> {
        self.parsed(column, text)
    }

    pub fn required_text(&mut self, column: &str) -> Option<String> {
        self.required(column, text)
    }

    pub fn date(&mut self, column: &str) -> Option<NaiveDate> {
        self.parsed(column, date)
    }

    pub fn required_date(&mut self, column: &str) -> Option<NaiveDate> {
        self.required(column, date)
    }
}

/// Text is taken as it is (already trimmed).
#[allow(clippy::unnecessary_wraps)] // one signature for every field parser
fn text(value: &str) -> Result<String, String> {
    Ok(value.to_owned())
}

/// A date: exactly `YYYY-MM-DD`, in the years [`IMPORT_YEARS`].
///
/// # Errors
/// Anything else, with the message to show.
pub fn date(value: &str) -> Result<NaiveDate, String> {
    let date = parse_iso(value).ok_or_else(|| "ogiltigt datum, väntade ÅÅÅÅ-MM-DD".to_owned())?;
    if !IMPORT_YEARS.contains(&date.year()) {
        return Err(format!(
            "datum utanför åren {}–{}",
            IMPORT_YEARS.start(),
            IMPORT_YEARS.end()
        ));
    }
    Ok(date)
}

/// Whether `c` separates thousands in Swedish number formatting (space, no-break space,
/// narrow no-break space).
fn is_group_separator(c: char) -> bool {
    matches!(c, ' ' | '\u{a0}' | '\u{202f}')
}

/// The digits of an integer part, either plain (`1234`) or grouped by threes with a space
/// (`1 234`, as Swedish exports write it). `None` for anything else.
fn integer_digits(text: &str) -> Option<String> {
    let groups: Vec<&str> = text.split(is_group_separator).collect();
    let all_digits = |g: &str| !g.is_empty() && g.bytes().all(|b| b.is_ascii_digit());
    if !groups.iter().all(|g| all_digits(g)) {
        return None;
    }
    if let [first, rest @ ..] = groups.as_slice()
        && !rest.is_empty()
        && (first.len() > 3 || rest.iter().any(|g| g.len() != 3))
    {
        return None;
    }
    Some(groups.concat())
}

/// A decimal number: `27,38` or `27.38`, optionally negative, optionally with spaces as
/// thousands separators (`1 234,5`). No exponent, no `inf` or `NaN`.
///
/// # Errors
/// Anything else, with the message to show.
pub fn real(value: &str) -> Result<f64, String> {
    let invalid = || "ogiltigt tal, väntade t.ex. 27,38 eller 27.38".to_owned();
    let (negative, body) = match value.strip_prefix(['-', '\u{2212}']) {
        Some(rest) => (true, rest),
        None => (false, value),
    };
    let (whole, fraction) = match body.split_once([',', '.']) {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (body, None),
    };
    let whole = integer_digits(whole).ok_or_else(invalid)?;
    let mut canonical = String::with_capacity(value.len() + 1);
    if negative {
        canonical.push('-');
    }
    canonical.push_str(&whole);
    if let Some(fraction) = fraction {
        if fraction.is_empty() || !fraction.bytes().all(|b| b.is_ascii_digit()) {
            return Err(invalid());
        }
        canonical.push('.');
        canonical.push_str(fraction);
    }
    let number: f64 = canonical.parse().map_err(|_| invalid())?;
    // Some 309 digits and more are past the largest number a REAL holds (they would be
    // read as infinite).
    if number.is_finite() {
        Ok(number)
    } else {
        Err("talet är för stort".to_owned())
    }
}

/// A decimal number that may not be negative (`tolerance`).
///
/// # Errors
/// As [`real`], and for a negative number.
pub fn non_negative_real(value: &str) -> Result<f64, String> {
    let number = real(value)?;
    if number < 0.0 {
        return Err("får inte vara negativt".to_owned());
    }
    Ok(number.abs())
}

/// A count of days: plain digits, no sign, no decimals.
///
/// # Errors
/// Anything else, with the message to show.
pub fn count(value: &str) -> Result<i64, String> {
    if let Some(rest) = value.strip_prefix(['-', '\u{2212}'])
        && !rest.is_empty()
        && rest.bytes().all(|b| b.is_ascii_digit())
    {
        return Err("får inte vara negativt".to_owned());
    }
    if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
        return Err("ogiltigt heltal".to_owned());
    }
    value.parse().map_err(|_| "ogiltigt heltal".to_owned())
}

/// `insats_types.target_days`: a count of days from 0 to [`MAX_TARGET_DAYS`] (ten years),
/// the range the rules compute with.
///
/// # Errors
/// As [`count`], and for a longer target.
pub fn target_days(value: &str) -> Result<i64, String> {
    let days = count(value).map_err(|e| {
        if e == "ogiltigt heltal" && value.bytes().all(|b| b.is_ascii_digit()) {
            // Digits too many for an i64: past the range as well.
            format!("utanför 0–{MAX_TARGET_DAYS} dagar")
        } else {
            e
        }
    })?;
    if days > MAX_TARGET_DAYS {
        return Err(format!("utanför 0–{MAX_TARGET_DAYS} dagar"));
    }
    Ok(days)
}

/// A year: four digits.
///
/// # Errors
/// Anything else, with the message to show.
pub fn year(value: &str) -> Result<i32, String> {
    if value.len() != 4 || !value.bytes().all(|b| b.is_ascii_digit()) {
        return Err("ogiltigt år, väntade ÅÅÅÅ".to_owned());
    }
    value
        .parse()
        .map_err(|_| "ogiltigt år, väntade ÅÅÅÅ".to_owned())
}

/// An indicator period: `2014` (full year, VB), `2014-T1`..`T3`, `2014-Q1`..`Q4` or
/// `2014-01`..`12`. A lowercase `t` or `q` is accepted and stored uppercase.
///
/// # Errors
/// Anything else, with the message to show.
pub fn period(value: &str) -> Result<String, String> {
    let canonical = value.to_ascii_uppercase();
    let b = canonical.as_bytes();
    let year_ok = b.len() >= 4 && b[..4].iter().all(u8::is_ascii_digit);
    let valid = year_ok
        && matches!(
            &b[4..],
            [] | [b'-', b'T', b'1'..=b'3']
                | [b'-', b'Q', b'1'..=b'4']
                | [b'-', b'0', b'1'..=b'9']
                | [b'-', b'1', b'0'..=b'2']
        );
    if valid {
        Ok(canonical)
    } else {
        Err("ogiltig period, väntade ÅÅÅÅ, ÅÅÅÅ-T1..T3, ÅÅÅÅ-Q1..Q4 eller ÅÅÅÅ-MM".to_owned())
    }
}

/// `cases.sex`: `K` or `M` as the snapshot writes them, in either case (case systems
/// export `k` and `m` too), or spelt out as `kvinna` or `man`.
///
/// # Errors
/// Anything else, with the accepted values listed.
pub fn sex(value: &str) -> Result<Sex, String> {
    match value.to_lowercase().as_str() {
        "k" | "kvinna" => Ok(Sex::K),
        "m" | "man" => Ok(Sex::M),
        _ => Err(format!(
            "okänt värde, väntade ett av: {} (eller kvinna, man)",
            Sex::expected()
        )),
    }
}

/// An enumerated column's values, as `model.rs` defines them.
pub trait Choice: Sized {
    fn parse(text: &str) -> Option<Self>;
    fn expected() -> String;
}

macro_rules! choice {
    ($($ty:ty),+) => {$(
        impl Choice for $ty {
            fn parse(text: &str) -> Option<Self> {
                <$ty>::parse(text)
            }
            fn expected() -> String {
                <$ty>::expected()
            }
        }
    )+};
}

choice!(Outcome, GoalLevel, Assessment, Direction);

/// Lowercase, with å, ä, ö (and é) written as the snapshot's ASCII names write them.
fn ascii_folded(text: &str) -> String {
    text.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'å' | 'ä' | 'à' | 'á' => 'a',
            'ö' | 'ø' => 'o',
            'é' | 'è' => 'e',
            other => other,
        })
        .collect()
}

/// A value of an enumerated column, in any case and with or without å, ä, ö.
///
/// # Errors
/// A value outside the enumeration, with the accepted ones listed.
pub fn choice<E: Choice>(value: &str) -> Result<E, String> {
    E::parse(&ascii_folded(value))
        .ok_or_else(|| format!("okänt värde, väntade ett av: {}", E::expected()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reals_accept_comma_point_and_grouping() {
        assert_eq!(real("27,38"), Ok(27.38));
        assert_eq!(real("27.38"), Ok(27.38));
        assert_eq!(real("-3"), Ok(-3.0));
        assert_eq!(real("\u{2212}0,5"), Ok(-0.5));
        assert_eq!(real("1 234,5"), Ok(1234.5));
        assert_eq!(real("12\u{a0}345\u{a0}678"), Ok(12_345_678.0));
        assert_eq!(real("007"), Ok(7.0));
        for bad in [
            "",
            "1,2,3",
            "1.2,3",
            "1 23",
            "1234 567",
            "inf",
            "NaN",
            "1e3",
            "27,",
            ",5",
            "--1",
            "+1",
            "12 %",
            "1 234.5 6",
        ] {
            assert!(real(bad).is_err(), "{bad:?}");
        }
        // Past the largest REAL: no infinity in the snapshot.
        let huge = format!("1{}", "0".repeat(309));
        assert_eq!(real(&huge), Err("talet är för stort".to_owned()));
        assert_eq!(
            real(&format!("-{huge}")),
            Err("talet är för stort".to_owned())
        );
        assert!(real(&format!("1{}", "0".repeat(300))).is_ok_and(f64::is_finite));
        assert_eq!(
            non_negative_real("-0,1"),
            Err("får inte vara negativt".to_owned())
        );
        assert_eq!(non_negative_real("-0"), Ok(0.0));
    }

    #[test]
    fn counts_and_years_are_strict() {
        assert_eq!(count("14"), Ok(14));
        assert_eq!(count("-3"), Err("får inte vara negativt".to_owned()));
        for bad in ["14,0", "1 4", "+3", "x", "99999999999999999999"] {
            assert_eq!(count(bad), Err("ogiltigt heltal".to_owned()), "{bad:?}");
        }
        assert_eq!(target_days("0"), Ok(0));
        assert_eq!(target_days("3650"), Ok(3650));
        for bad in ["3651", "9223372036854775807", "99999999999999999999"] {
            assert_eq!(
                target_days(bad),
                Err("utanför 0–3650 dagar".to_owned()),
                "{bad:?}"
            );
        }
        assert_eq!(target_days("-1"), Err("får inte vara negativt".to_owned()));
        assert_eq!(target_days("1,5"), Err("ogiltigt heltal".to_owned()));
        assert_eq!(year("2014"), Ok(2014));
        for bad in ["14", "20145", "2014.0", "-201"] {
            assert!(year(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn dates_within_the_years_the_rules_know() {
        assert!(date("1900-01-01").is_ok());
        assert!(date("2199-12-31").is_ok());
        for bad in ["1899-12-31", "2200-01-01", "9999-12-31", "0000-01-01"] {
            assert_eq!(
                date(bad),
                Err("datum utanför åren 1900–2199".to_owned()),
                "{bad:?}"
            );
        }
        assert!(date("2014-02-30").is_err());
    }

    #[test]
    fn periods() {
        for good in [
            "2014", "2014-T1", "2014-T3", "2014-Q4", "2014-01", "2014-12",
        ] {
            assert_eq!(period(good).as_deref(), Ok(good));
        }
        assert_eq!(period("2014-t2").as_deref(), Ok("2014-T2"));
        assert_eq!(period("2014-q1").as_deref(), Ok("2014-Q1"));
        for bad in [
            "2014-T4", "2014-Q5", "2014-13", "2014-00", "2014-1", "14-T1", "2014-VB", "2014 ",
        ] {
            assert!(period(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn sex_in_either_case_or_spelt_out() {
        for (text, expected) in [
            ("K", Sex::K),
            ("k", Sex::K),
            ("Kvinna", Sex::K),
            ("M", Sex::M),
            ("m", Sex::M),
            ("MAN", Sex::M),
        ] {
            assert_eq!(sex(text), Ok(expected), "{text:?}");
        }
        for bad in ["kv", "F", "W", "1", "män", "kvinnor", "K/M"] {
            assert_eq!(
                sex(bad),
                Err("okänt värde, väntade ett av: K, M (eller kvinna, man)".to_owned()),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn choices_accept_swedish_spellings() {
        assert_eq!(choice::<Outcome>("återkallad"), Ok(Outcome::Aterkallad));
        assert_eq!(choice::<Outcome>("Beviljad"), Ok(Outcome::Beviljad));
        assert_eq!(
            choice::<GoalLevel>("inriktningsmål"),
            Ok(GoalLevel::Inriktningsmal)
        );
        assert_eq!(choice::<GoalLevel>("Nämndmål"), Ok(GoalLevel::Namndmal));
        assert_eq!(choice::<GoalLevel>("åtagande"), Ok(GoalLevel::Atagande));
        assert_eq!(choice::<Direction>("LOWER"), Ok(Direction::Lower));
        assert_eq!(
            choice::<Assessment>("delvist"),
            Err("okänt värde, väntade ett av: helt, delvis, ej".to_owned())
        );
    }
}
