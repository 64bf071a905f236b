//! Mål och indikatorer: the målkedja as a collapsible tree with each indicator's latest
//! outcome, last year's, årsmål, KF:s årsmål and status (a symbol, a word and a colour);
//! a summary of the unit above it; the detail of one indicator (its series, its comments,
//! the rule that gave the status); and the filter popup.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Row as TableRow, Table, Widget};

mod detail;

use super::caseload::{block, render_list};
use crate::domain::indicators::{
    Assessed, Movement, Status, Summary, assessment_label, level_label,
};
use crate::model::GoalLevel;
use crate::report::indicators::{cells, clean_long};
use crate::text::{abbreviate_distinct, pad_left, pad_right, to_ascii, width};
use crate::tui::app::App;
use crate::tui::goals_state::{GoalsState, Row};

/// The status as a symbol (readable without colour) and its colour.
pub fn status_mark(app: &App, status: Status) -> (&'static str, Style) {
    let symbol = match (status, app.theme.ascii) {
        (Status::Uppfyllt, false) => "✓",
        (Status::Uppfyllt, true) => "+",
        (Status::Delvis, false) => "◐",
        (Status::Delvis, true) => "~",
        (Status::EjUppfyllt, false) => "✗",
        (Status::EjUppfyllt, true) => "x",
        (Status::EjMalsatt, false) => "○",
        (Status::EjMalsatt, true) => "o",
        (Status::EjMatt, _) => "-",
    };
    let style = if app.theme.color {
        match status {
            Status::Uppfyllt => Style::new().fg(Color::Green),
            Status::Delvis => Style::new().fg(Color::Yellow),
            Status::EjUppfyllt => Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
            Status::EjMalsatt => Style::new(),
            Status::EjMatt => Style::new().fg(Color::DarkGray),
        }
    } else {
        Style::new()
    };
    (symbol, style)
}

/// The trend arrow of an indicator against the period before, by its direction: `↗`
/// better, `→` the same, `↘` worse (ASCII `^`, `=`, `v`), green and red in colour; a
/// blank where there is no period before. The shape says it without colour.
pub fn trend_mark(app: &App, movement: Option<Movement>) -> (&'static str, Style) {
    let Some(m) = movement else {
        return (" ", Style::new());
    };
    let symbol = match (m, app.theme.ascii) {
        (Movement::Better, false) => "↗",
        (Movement::Same, false) => "→",
        (Movement::Worse, false) => "↘",
        (Movement::Better, true) => "^",
        (Movement::Same, true) => "=",
        (Movement::Worse, true) => "v",
    };
    let style = match (m, app.theme.color) {
        (Movement::Better, true) => Style::new().fg(Color::Green),
        (Movement::Worse, true) => Style::new().fg(Color::Red),
        _ => Style::new(),
    };
    (symbol, style)
}

/// `s` made safe (ASCII where wanted), then cut or padded to `cols` columns; in ASCII a
/// cut ends in `.`, not `…`.
fn fit(app: &App, s: &str, cols: usize, left: bool) -> String {
    let t = app.txt(s);
    let out = if left {
        pad_right(&t, cols)
    } else {
        pad_left(&t, cols)
    };
    if app.theme.ascii {
        out.replace('…', ".")
    } else {
        out
    }
}

/// A long snapshot text (a name, an analys) for a wrapping paragraph: made safe word by
/// word, so not cut at 200 characters.
fn long(app: &App, s: &str) -> String {
    let t = clean_long(s);
    if app.theme.ascii {
        to_ascii(&t).into_owned()
    } else {
        t
    }
}

/// Arrows where the terminal has them.
fn arrows(app: &App, utf8: &'static str, ascii: &'static str) -> &'static str {
    if app.theme.ascii { ascii } else { utf8 }
}

/// Column widths: name (the rest), utfall (and its trend arrow), period, föregående år, årsmål, KF:s årsmål,
/// periodicitet (0 when narrow), status.
fn columns(inner: usize) -> [usize; 8] {
    let fixed = if inner >= 116 {
        [0, 11, 8, 9, 11, 11, 8, 13]
    } else {
        [0, 9, 7, 7, 7, 7, 0, 13]
    };
    let used: usize = fixed.iter().sum::<usize>() + fixed[1..].iter().filter(|w| **w > 0).count();
    let mut w = fixed;
    w[0] = inner.saturating_sub(used).max(10);
    w
}

fn header(app: &App, w: &[usize; 8]) -> Line<'static> {
    let wide = w[6] > 0;
    let names: [&str; 8] = if wide {
        [
            "Mål / indikator",
            "Utfall",
            "Period",
            "Föreg. år",
            "Årsmål",
            "KF:s årsmål",
            "Frekvens",
            "Status",
        ]
    } else {
        [
            "Mål / indikator",
            "Utfall",
            "Period",
            "Föreg.",
            "Årsmål",
            "KF mål",
            "",
            "Status",
        ]
    };
    // The column the indicators are sorted by carries the arrow.
    let sorted = app.goals.sorted_column();
    let name = |k: usize| -> String {
        match sorted {
            Some((c, reversed)) if c == k => {
                let sort = crate::tui::table::SortBy {
                    column: k,
                    reversed,
                };
                format!(
                    "{}{}",
                    names[k],
                    crate::tui::table::arrow(Some(sort), k, app.theme.ascii)
                )
            }
            _ => names[k].to_string(),
        }
    };
    let mut s = fit(app, &name(0), w[0], true);
    for (k, cols) in w.iter().enumerate().skip(1) {
        if *cols > 0 {
            s.push(' ');
            s.push_str(&fit(app, &name(k), *cols, k == 2 || k >= 6));
        }
    }
    Line::from(Span::styled(s, app.theme.header()))
}

/// How far an indicator under a goal at `depth` is indented.
fn indent(depth: usize, w: &[usize; 8]) -> usize {
    crate::domain::indicators::tree::indent_level(depth) * if w[6] > 0 { 2 } else { 1 }
}

/// The depth of indicator `i` in the tree.
fn indicator_depth(s: &GoalsState, i: usize) -> usize {
    s.data.indicators[i]
        .node
        .map_or(0, |n| s.data.nodes[n].depth + 1)
}

/// Every indicator's name as its row shows it: cut in the middle to the room its indent
/// leaves, so that two indicators never read alike (at 80 columns a cut at the end left
/// several reading "Andel brukare som u…").
fn indicator_names(app: &App, s: &GoalsState, w: &[usize; 8]) -> Vec<String> {
    let safe: Vec<(String, usize)> = (0..s.data.indicators.len())
        .map(|i| {
            let room = w[0].saturating_sub(indent(indicator_depth(s, i), w) + 2);
            (
                app.txt(&s.data.indicators[i].indicator.name).into_owned(),
                room,
            )
        })
        .collect();
    let names: Vec<(&str, usize)> = safe.iter().map(|(n, r)| (n.as_str(), *r)).collect();
    abbreviate_distinct(&names)
}

fn indicator_line(
    app: &App,
    a: &Assessed,
    name: &str,
    depth: usize,
    w: &[usize; 8],
) -> Line<'static> {
    let c = cells(a);
    let name = format!("{}  {name}", " ".repeat(indent(depth, w)));
    let mut spans = vec![Span::raw(fit(app, &name, w[0], true))];
    let fig = |k: usize, text: &str, left: bool| format!(" {}", fit(app, text, w[k], left));
    // The value, then its trend: the arrow alone, in its colour where there is one.
    let (arrow, arrow_style) = trend_mark(app, a.since.as_ref().map(|s| s.movement));
    spans.push(Span::raw(format!(
        " {}",
        fit(app, &c[0], w[1].saturating_sub(2), false)
    )));
    spans.push(Span::styled(format!(" {arrow}"), arrow_style));
    let period = if w[6] > 0 {
        c[4].clone()
    } else {
        c[4].replace("VB ", "")
    };
    spans.push(Span::raw(fig(2, &period, true)));
    spans.push(Span::raw(fig(3, &c[1], false)));
    spans.push(Span::raw(fig(4, &c[2], false)));
    spans.push(Span::raw(fig(5, &c[3], false)));
    if w[6] > 0 {
        spans.push(Span::raw(fig(
            6,
            a.indicator.periodicity.as_deref().unwrap_or(""),
            true,
        )));
    }
    let (symbol, style) = status_mark(app, a.status);
    let status = format!("{symbol} {}", a.status.label());
    spans.push(Span::styled(fig(7, &status, true), style));
    Line::from(spans)
}

/// "3✓ 1◐ 1✗": the statuses of a goal's indicators, zeros left out.
fn compact(app: &App, s: &Summary) -> Vec<Span<'static>> {
    let mut spans = Vec::new();
    for st in Status::ALL {
        let n = s.statuses[st.index()];
        if n > 0 {
            let (symbol, style) = status_mark(app, st);
            spans.push(Span::styled(format!(" {n}{symbol}"), style));
        }
    }
    spans
}

fn level_tag(level: GoalLevel, wide: bool) -> &'static str {
    match (level, wide) {
        (l, true) => match l {
            GoalLevel::Verksamhetsmal => "KF:s mål",
            l => level_label(l),
        },
        (GoalLevel::Inriktningsmal | GoalLevel::Verksamhetsmal, false) => "KF",
        (GoalLevel::Namndmal, false) => "Nämndmål",
        (GoalLevel::Atagande, false) => "Åtagande",
        (GoalLevel::Aktivitet, false) => "Aktivitet",
    }
}

fn goal_line(app: &App, s: &GoalsState, n: usize, w: &[usize; 8]) -> Line<'static> {
    let node = &s.data.nodes[n];
    let g = &node.goal;
    let wide = w[6] > 0;
    let inner: usize = w.iter().sum::<usize>() + w[1..].iter().filter(|x| **x > 0).count();
    let marker = match (
        s.has_content(n),
        s.collapsed.contains(&g.goal_id),
        app.theme.ascii,
    ) {
        (false, _, _) => "  ",
        (true, true, false) => "▸ ",
        (true, false, false) => "▾ ",
        (true, true, true) => "> ",
        (true, false, true) => "v ",
    };
    let code = g
        .code
        .as_deref()
        .map(|c| format!(" {c}"))
        .unwrap_or_default();
    let title = format!(
        "{}{marker}{}{code}: {}",
        " ".repeat(
            crate::domain::indicators::tree::indent_level(node.depth) * if wide { 2 } else { 1 }
        ),
        level_tag(g.level, wide),
        g.title
    );
    let mut right: Vec<Span<'static>> = compact(app, &s.data.goal_summary(n));
    if let Some(a) = g.assessment {
        right.push(Span::raw(format!("  {}", assessment_label(a))));
    }
    if g.level == GoalLevel::Aktivitet {
        if let Some(end) = g.end {
            right.push(Span::raw(format!("  t.o.m. {}", end.format("%Y-%m-%d"))));
        }
        if node.past_end {
            let mark = if app.theme.ascii {
                " ! passerat"
            } else {
                " ▲ passerat"
            };
            right.push(Span::styled(mark, app.theme.warning()));
        }
    }
    let right_w: usize = right.iter().map(|s| width(&s.content)).sum();
    let title_w = inner.saturating_sub(right_w + 1);
    let mut spans = vec![Span::styled(
        fit(app, &title, title_w, true),
        app.theme.area_heading(),
    )];
    spans.push(Span::raw(" "));
    spans.extend(
        right
            .into_iter()
            .map(|s| Span::styled(app.txt(&s.content).into_owned(), s.style)),
    );
    Line::from(spans)
}

/// "21 indikatorer: ✓ 16 uppfyllt ◐ 2 delvis …" and the åtaganden and aktiviteter, as
/// words where they fit, as counts and symbols where they do not.
fn summary_lines(app: &App, s: &GoalsState, cols: usize) -> Vec<Line<'static>> {
    let sum = s.data.summary();
    let n = sum.indicators();
    let noun = if n == 1 { "indikator" } else { "indikatorer" };
    let variant = |nonzero_only: bool, words: bool| -> Vec<Span<'static>> {
        let mut spans = vec![Span::styled(format!(" {n} {noun}:"), app.theme.header())];
        for st in Status::ALL {
            let k = sum.statuses[st.index()];
            if nonzero_only && k == 0 {
                continue;
            }
            let (symbol, style) = status_mark(app, st);
            let text = if words {
                format!("  {symbol} {k} {}", st.label())
            } else {
                format!("  {k}{symbol}")
            };
            spans.push(Span::styled(app.txt(&text).into_owned(), style));
        }
        spans
    };
    let first = [(false, true), (true, true), (false, false)]
        .into_iter()
        .map(|(nz, words)| variant(nz, words))
        .find(|spans| spans.iter().map(|sp| width(&sp.content)).sum::<usize>() <= cols)
        .unwrap_or_else(|| variant(true, false));
    let mut second = format!(
        " Åtaganden: {} helt, {} delvis, {} ej",
        sum.helt, sum.delvis, sum.ej
    );
    if sum.unassessed > 0 {
        second.push_str(&format!(", {} ej bedömda", sum.unassessed));
    }
    let noun = if sum.past_end == 1 {
        "aktivitet"
    } else {
        "aktiviteter"
    };
    // The long wording where it fits, the short one at 80 columns.
    let long = format!(
        "{}{} {noun} har passerat slutdatum",
        app.theme.sep(),
        sum.past_end
    );
    if width(&second) + width(&long) <= cols {
        second.push_str(&long);
    } else {
        second.push_str(&format!(
            "{}{} {noun} efter slutdatum",
            app.theme.sep(),
            sum.past_end
        ));
    }
    vec![Line::from(first), Line::from(app.txt(&second).into_owned())]
}

/// The block title: the year and the filters in force, else the keys.
fn title(app: &App, s: &GoalsState) -> String {
    let sep = app.theme.sep();
    let mut filters = Vec::new();
    if s.unfulfilled {
        filters.push("ej uppfyllda".to_string());
    }
    if let Some(l) = s.level {
        filters.push(format!("nivå {}", l.label()));
    }
    if !s.search.is_empty() {
        filters.push(format!("sök \"{}\"", s.search));
    }
    if filters.is_empty() {
        format!(
            "Mål och indikatorer {}{sep}Enter {} fäll{sep}f filter, år{sep}/ sök",
            s.data.year,
            arrows(app, "←→", "h l")
        )
    } else {
        format!(
            "Mål och indikatorer {}{sep}filter: {}",
            s.data.year,
            filters.join(", ")
        )
    }
}

pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    let s = &app.goals;
    let search_h = u16::from(s.searching || !s.search.is_empty());
    let [top, body, search] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Min(0),
        Constraint::Length(search_h),
    ])
    .areas(area);
    Paragraph::new(summary_lines(app, s, usize::from(top.width))).render(top, buf);
    let w = columns(usize::from(body.width.saturating_sub(2)));
    let names = indicator_names(app, s, &w);
    let rows = s.rows.iter().map(|r| {
        TableRow::new(vec![match *r {
            Row::Goal(n) => goal_line(app, s, n, &w),
            Row::Indicator(i) => {
                let depth = indicator_depth(s, i);
                indicator_line(app, &s.data.indicators[i], &names[i], depth, &w)
            }
            Row::Loose => Line::from(Span::styled(
                app.txt("Indikatorer utan mål i målkedjan").into_owned(),
                app.theme.area_heading(),
            )),
        }])
    });
    let title = title(app, s);
    let table = Table::new(rows, [Constraint::Percentage(100)])
        .header(TableRow::new(vec![header(app, &w)]))
        .column_spacing(0)
        .block(block(app, title, true))
        .row_highlight_style(app.theme.selected());
    let selected = (!s.rows.is_empty()).then_some(s.cursor.selected);
    render_list(table, body, buf, &s.cursor, selected, 1);
    if s.rows.is_empty() && body.height > 3 {
        let text = if s.filtering() {
            "Inget mål eller indikator med de här filtren".to_string()
        } else {
            format!("Inga mål eller indikatorer för {}", s.data.year)
        };
        let inner = Rect::new(body.x + 2, body.y + 2, body.width.saturating_sub(4), 1);
        Line::from(Span::styled(app.txt(&text).into_owned(), app.theme.dim())).render(inner, buf);
    }
    if search_h > 0 {
        let (cursor, hint) = if s.searching {
            ("_", "  (Enter klar, Esc rensar)")
        } else {
            ("", "  (Esc rensar)")
        };
        Line::from(vec![
            Span::styled(" Sök mål eller indikator: ", app.theme.header()),
            Span::raw(format!("{}{cursor}", app.txt(&s.search))),
            Span::styled(app.txt(hint).into_owned(), app.theme.dim()),
        ])
        .render(search, buf);
    }
    if s.detail
        && let Some(i) = s.selected_indicator()
    {
        detail::detail(app, i, area, buf);
    }
    if let Some(field) = s.popup {
        detail::popup(app, field, area, buf);
    }
}
