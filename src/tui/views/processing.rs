//! The Handläggningstid view: the eight quarters with the change of the median, a chart of
//! the median, the chosen quarter broken down by insats or handläggare, the applications
//! waiting past their target and the ej verkställda beslut. At 80 columns one lower pane
//! shows at a time (←/→ switch); from 120 columns all of them.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::symbols::bar;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Bar, BarChart, BarGroup, Block, Cell, Row, Table, Widget};

use super::caseload::{block, render_list};
use crate::domain::processing::By;
use crate::report::processing::{days, days_change, percent, plus_minus, points_change, whole};
use crate::tui::app::App;
use crate::tui::processing_state::{Field, Pane, Sort};

/// Bars for terminals without UTF-8.
const ASCII_BARS: bar::Set<'static> = bar::Set {
    full: "#",
    seven_eighths: "#",
    three_quarters: "#",
    five_eighths: "=",
    half: "=",
    three_eighths: "=",
    one_quarter: "_",
    one_eighth: "_",
    empty: " ",
};

/// Rows of the quarters pane: eight quarters, a header and the border.
const TOP_HEIGHT: u16 = 11;

pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    let s = &app.processing;
    let wide = area.width >= 120;
    let [top, bottom] =
        Layout::vertical([Constraint::Length(TOP_HEIGHT), Constraint::Min(0)]).areas(area);
    let [table_area, chart_area] = Layout::horizontal([
        Constraint::Min(0),
        Constraint::Length(if wide { 36 } else { 17 }),
    ])
    .areas(top);
    quarters(app, table_area, buf, wide);
    chart(app, chart_area, buf, wide);
    if wide && bottom.height >= 16 {
        // The breakdown across the width (insats names are long), the two lists below it
        // side by side.
        let [middle, lists] =
            Layout::vertical([Constraint::Fill(1), Constraint::Fill(1)]).areas(bottom);
        let [left, right] =
            Layout::horizontal([Constraint::Fill(1), Constraint::Fill(1)]).areas(lists);
        breakdown(app, middle, buf, false);
        over_target(app, left, buf, false);
        not_executed(app, right, buf, false);
    } else {
        match s.lower {
            Pane::OverTarget => over_target(app, bottom, buf, true),
            Pane::NotExecuted => not_executed(app, bottom, buf, true),
            Pane::Quarters | Pane::Breakdown => breakdown(app, bottom, buf, true),
        }
    }
    if let Some(field) = s.popup {
        popup(app, field, area, buf);
    }
}

fn right(text: String) -> Cell<'static> {
    Cell::from(Line::from(text).right_aligned())
}

fn header<'a>(app: &App, cells: &[(&str, bool)]) -> Row<'a> {
    Row::new(cells.iter().map(|(h, numeric)| {
        let text = app
            .txt(&h.replace('±', plus_minus(app.theme.ascii)))
            .into_owned();
        if *numeric {
            right(text)
        } else {
            Cell::from(text)
        }
    }))
    .style(app.theme.header())
}

fn scope_title(app: &App) -> String {
    let p = &app.processing.data;
    let sep = app.theme.sep();
    let mut t = String::new();
    if let Some(c) = &p.scope.insats_code {
        t.push_str(&format!("{sep}{}", p.insats_name(c)));
    }
    if let Some(w) = &p.scope.worker_id {
        t.push_str(&format!("{sep}{}", p.worker_name(Some(w)).unwrap_or(w)));
    }
    t
}

fn quarters(app: &App, area: Rect, buf: &mut Buffer, wide: bool) {
    let s = &app.processing;
    let ascii = app.theme.ascii;
    let focused = s.pane == Pane::Quarters;
    let mut heads = vec![
        ("Kvartal", false),
        ("Beslut", true),
        ("Median", true),
        ("±kv", true),
        ("±år", true),
        ("Medel", true),
        ("P90", true),
        ("Max", true),
        ("Inom mål", true),
    ];
    let mut widths = vec![
        Constraint::Length(7),
        Constraint::Length(6),
        Constraint::Length(6),
        Constraint::Length(6),
        Constraint::Length(6),
        Constraint::Length(6),
        Constraint::Length(4),
        Constraint::Length(4),
        Constraint::Length(8),
    ];
    if wide {
        heads.extend([("±kv", true), ("±år", true)]);
        widths.extend([Constraint::Length(5), Constraint::Length(5)]);
    }
    let rows = s.data.quarters.iter().map(|q| {
        let st = &q.stats;
        let mut cells = vec![
            Cell::from(q.quarter.to_string()),
            right(st.decisions.to_string()),
            right(days(st.median_days)),
            right(days_change(q.vs_prev.median_days, ascii)),
            right(days_change(q.vs_year.median_days, ascii)),
            right(days(st.mean_days)),
            right(whole(st.p90_days)),
            right(whole(st.max_days)),
            right(percent(st.within_target())),
        ];
        if wide {
            cells.push(right(points_change(q.vs_prev.within_target, ascii)));
            cells.push(right(points_change(q.vs_year.within_target, ascii)));
        }
        // Empty quarters read as such: a dash in every figure, dimmed.
        Row::new(cells).style(if st.decisions == 0 {
            app.theme.dim()
        } else {
            Style::new()
        })
    });
    let title = if wide {
        format!(
            "Handläggningstid per kvartal, dagar (±: medianen; inom mål i procentenheter){}",
            scope_title(app)
        )
    } else {
        format!("Handläggningstid per kvartal, dagar{}", scope_title(app))
    };
    let table = Table::new(rows, widths)
        .header(header(app, &heads))
        .block(block(app, title, focused))
        .row_highlight_style(if focused {
            app.theme.selected()
        } else {
            app.theme.header()
        });
    let selected = (!s.data.quarters.is_empty()).then_some(s.quarter_cursor.selected);
    render_list(table, area, buf, &s.quarter_cursor, selected, 1);
}

fn chart(app: &App, area: Rect, buf: &mut Buffer, wide: bool) {
    let s = &app.processing;
    let bars: Vec<Bar<'_>> = s
        .data
        .quarters
        .iter()
        .enumerate()
        .map(|(i, q)| {
            let median = q.stats.median_days.unwrap_or(0.0).max(0.0);
            // Tenths of a day, so a half-day median still changes the bar.
            let value = (median * 10.0).round() as u64;
            let label = if wide {
                format!("Q{}", q.quarter.number)
            } else {
                q.quarter.number.to_string()
            };
            let text = if wide {
                format!("{median:.0}")
            } else {
                String::new()
            };
            let style = if i == s.quarter_cursor.selected {
                app.theme.focused_border()
            } else {
                Style::new()
            };
            Bar::default()
                .value(value)
                .label(Line::from(label))
                .text_value(text)
                .style(style)
        })
        .collect();
    let chart = BarChart::default()
        .data(BarGroup::new(bars))
        .bar_width(if wide { 3 } else { 1 })
        .bar_gap(1)
        .bar_set(if app.theme.ascii {
            ASCII_BARS
        } else {
            bar::NINE_LEVELS
        })
        .value_style(app.theme.selected())
        .block(block(app, "Median".into(), false));
    chart.render(area, buf);
}

/// The title of a lower pane. Where only one shows, the others are named beside it.
fn lower_block<'a>(app: &App, pane: Pane, title: String, alone: bool) -> Block<'a> {
    let s = &app.processing;
    let focused = s.pane == pane;
    if !alone {
        return block(app, title, focused);
    }
    let short = |p: Pane| match p {
        Pane::Breakdown | Pane::Quarters => "Fördelning".to_string(),
        Pane::OverTarget => format!("Över mål ({})", s.data.over_target.len()),
        Pane::NotExecuted => format!("Ej verkställda ({})", s.data.not_executed.len()),
    };
    // The three in a fixed order, the one shown named in full and marked.
    let mut spans = Vec::new();
    for (i, p) in [Pane::Breakdown, Pane::OverTarget, Pane::NotExecuted]
        .into_iter()
        .enumerate()
    {
        let sep = if i == 0 { "" } else { app.theme.sep() };
        if p == pane {
            let marker = if focused {
                app.theme.focus_marker()
            } else {
                ""
            };
            spans.push(Span::raw(app.txt(sep).into_owned()));
            spans.push(Span::styled(
                app.txt(&format!("{marker}{title}")).into_owned(),
                app.theme.title(),
            ));
        } else {
            spans.push(Span::styled(
                app.txt(&format!("{sep}{}", short(p))).into_owned(),
                app.theme.dim(),
            ));
        }
    }
    spans.insert(0, Span::raw(" "));
    Block::bordered()
        .border_set(app.theme.border())
        .border_style(if focused {
            app.theme.focused_border()
        } else {
            Style::new()
        })
        .title(Line::from(spans))
}

fn breakdown(app: &App, area: Rect, buf: &mut Buffer, alone: bool) {
    let s = &app.processing;
    let arrow = |col: Sort, text: &'static str| -> String {
        match (s.sort == col, col, app.theme.ascii) {
            (false, ..) => text.to_string(),
            (true, Sort::Name, false) => format!("{text} ▲"),
            (true, Sort::Name, true) => format!("{text} ^"),
            (true, _, false) => format!("{text} ▼"),
            (true, _, true) => format!("{text} v"),
        }
    };
    let name_head = match s.by {
        By::Insats => "Insats",
        By::Worker => "Handläggare",
        By::Sex => "Kön",
    };
    let heads = [
        (arrow(Sort::Name, name_head), false),
        (arrow(Sort::Decisions, "Beslut"), true),
        (arrow(Sort::Median, "Median"), true),
        (arrow(Sort::Mean, "Medel"), true),
        (arrow(Sort::P90, "P90"), true),
        (arrow(Sort::Max, "Max"), true),
        (arrow(Sort::Within, "Inom mål"), true),
    ];
    let heads: Vec<(&str, bool)> = heads.iter().map(|(h, n)| (h.as_str(), *n)).collect();
    let rows = s.breakdown.iter().map(|g| {
        let name = match (&g.name, &g.key) {
            (Some(n), _) => n.as_str(),
            (None, Some(k)) => k.as_str(),
            (None, None) => "(ingen handläggare)",
        };
        let st = &g.stats;
        Row::new(vec![
            Cell::from(app.txt(name).into_owned()),
            right(st.decisions.to_string()),
            right(days(st.median_days)),
            right(days(st.mean_days)),
            right(whole(st.p90_days)),
            right(whole(st.max_days)),
            right(percent(st.within_target())),
        ])
    });
    let quarter = s
        .quarter()
        .map_or_else(String::new, |q| q.quarter.to_string());
    let by = match s.by {
        By::Insats => "per insats",
        By::Worker => "per handläggare",
        By::Sex => "per kön",
    };
    let title = format!("{quarter} {by}");
    let table = Table::new(
        rows,
        [
            Constraint::Min(14),
            Constraint::Length(8),
            Constraint::Length(8),
            Constraint::Length(7),
            Constraint::Length(5),
            Constraint::Length(5),
            Constraint::Length(10),
        ],
    )
    .header(header(app, &heads))
    .block(lower_block(app, Pane::Breakdown, title, alone))
    .row_highlight_style(if s.pane == Pane::Breakdown {
        app.theme.selected()
    } else {
        Style::new()
    });
    let selected = (!s.breakdown.is_empty()).then_some(s.breakdown_cursor.selected);
    render_list(table, area, buf, &s.breakdown_cursor, selected, 1);
    let hint = if s.breakdown.is_empty() {
        "Inga beslut i kvartalet"
    } else {
        "Enter: insats/handläggare · s: sortera"
    };
    footer(app, area, buf, hint, s.breakdown.is_empty());
}

/// A dim line inside the bottom border (or under the header when the list is empty).
fn footer(app: &App, area: Rect, buf: &mut Buffer, text: &str, empty: bool) {
    if area.height < 4 || area.width < 6 {
        return;
    }
    let y = if empty {
        area.y + 2
    } else {
        area.y + area.height - 1
    };
    let w = u16::try_from(crate::text::width(text) + 2).unwrap_or(u16::MAX);
    let x = if empty {
        area.x + 2
    } else {
        (area.x + area.width).saturating_sub(w + 2)
    };
    let rect = Rect::new(x, y, w.min(area.width.saturating_sub(4)), 1);
    Line::from(Span::styled(
        app.txt(&format!(" {text} ")).into_owned(),
        app.theme.dim(),
    ))
    .render(rect, buf);
}

fn over_target(app: &App, area: Rect, buf: &mut Buffer, alone: bool) {
    let s = &app.processing;
    let p = &s.data;
    let with_case = area.width >= 70;
    let mut heads = vec![("Inkom", false), ("Dagar", true), ("Mål", true)];
    let mut widths = vec![
        Constraint::Length(10),
        Constraint::Length(5),
        Constraint::Length(3),
    ];
    if with_case {
        heads.push(("Ärende", false));
        widths.push(Constraint::Length(13));
    }
    heads.extend([("Insats", false), ("Handläggare", false)]);
    widths.extend([Constraint::Fill(3), Constraint::Fill(2)]);
    let rows = p.over_target.iter().map(|o| {
        let mut cells = vec![
            Cell::from(o.received.format("%Y-%m-%d").to_string()),
            right(o.days_waiting.to_string()),
            right(o.target_days.to_string()),
        ];
        if with_case {
            cells.push(Cell::from(app.txt(&o.case_id).into_owned()));
        }
        cells.push(Cell::from(
            app.txt(p.insats_name(&o.insats_code)).into_owned(),
        ));
        cells.push(Cell::from(
            app.txt(p.worker_name(o.worker_id.as_deref()).unwrap_or("–"))
                .into_owned(),
        ));
        Row::new(cells)
    });
    let title = format!("Utan beslut efter målet ({})", p.over_target.len());
    let table = Table::new(rows, widths)
        .header(header(app, &heads))
        .block(lower_block(app, Pane::OverTarget, title, alone))
        .row_highlight_style(if s.pane == Pane::OverTarget {
            app.theme.selected()
        } else {
            Style::new()
        });
    let selected = (!p.over_target.is_empty()).then_some(s.over_cursor.selected);
    render_list(table, area, buf, &s.over_cursor, selected, 1);
    if p.over_target.is_empty() {
        footer(app, area, buf, "Inga ansökningar väntar efter målet", true);
    }
}

fn not_executed(app: &App, area: Rect, buf: &mut Buffer, alone: bool) {
    let s = &app.processing;
    let p = &s.data;
    let with_worker = area.width >= 70;
    let mut heads = vec![
        ("Beslutad", false),
        ("Dagar", true),
        ("Ärende", false),
        ("Insats", false),
    ];
    let mut widths = vec![
        Constraint::Length(10),
        Constraint::Length(5),
        Constraint::Length(13),
        Constraint::Min(12),
    ];
    if with_worker {
        heads.push(("Handläggare", false));
        widths.push(Constraint::Min(10));
    }
    let rows = p.not_executed.iter().map(|n| {
        let mut cells = vec![
            Cell::from(n.decided.format("%Y-%m-%d").to_string()),
            right(n.days_waiting.to_string()),
            Cell::from(app.txt(&n.case_id).into_owned()),
            Cell::from(app.txt(p.insats_name(&n.insats_code)).into_owned()),
        ];
        if with_worker {
            cells.push(Cell::from(
                app.txt(p.worker_name(n.worker_id.as_deref()).unwrap_or("–"))
                    .into_owned(),
            ));
        }
        Row::new(cells)
    });
    let title = format!(
        "Ej verkställda beslut {} ({})",
        p.today.format("%Y-%m-%d"),
        p.not_executed.len()
    );
    let table = Table::new(rows, widths)
        .header(header(app, &heads))
        .block(lower_block(app, Pane::NotExecuted, title, alone))
        .row_highlight_style(if s.pane == Pane::NotExecuted {
            app.theme.selected()
        } else {
            Style::new()
        });
    let selected = (!p.not_executed.is_empty()).then_some(s.not_executed_cursor.selected);
    render_list(table, area, buf, &s.not_executed_cursor, selected, 1);
    if p.not_executed.is_empty() {
        footer(app, area, buf, "Inga ej verkställda beslut", true);
    }
}

fn popup(app: &App, field: Field, area: Rect, buf: &mut Buffer) {
    let p = &app.processing.data;
    let value = |f: Field| -> String {
        match f {
            Field::Insats => p
                .scope
                .insats_code
                .as_deref()
                .map_or_else(|| "alla".to_string(), |c| p.insats_name(c).to_string()),
            Field::Worker => p
                .scope
                .worker_id
                .as_deref()
                .and_then(|w| p.worker_name(Some(w)))
                .map_or_else(|| "alla".to_string(), str::to_string),
        }
    };
    let fields: Vec<(&str, String)> = Field::ALL.iter().map(|f| (f.label(), value(*f))).collect();
    let selected = Field::ALL.iter().position(|f| *f == field).unwrap_or(0);
    super::popup::filter(app, &fields, selected, area, buf);
}
