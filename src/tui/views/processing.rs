//! The Handläggningstid view: the eight quarters with the change of the median, a chart of
//! the median with its day axis, target line and share within target, the chosen quarter
//! broken down by insats or handläggare, the applications waiting past their target and the
//! ej verkställda beslut. The chart stands beside the table from 120 columns (taking the
//! room the table does not need) and in place of it with `o` at any width. At 80 columns
//! one lower pane shows at a time (←/→ switch); from 120 columns all of them.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Cell, Row, Table, Widget};

use super::caseload::{block, render_list, render_window, window};
use crate::domain::periods::{Period, PeriodKind};
use crate::domain::processing::{By, Change, Measure, Stats, Target};
use crate::report::processing::{days, days_change, percent, plus_minus, points_change, whole};
use crate::tui::app::App;
use crate::tui::processing_state::{Field, Pane, group_name};

/// Rows of the quarters pane: eight quarters, a header and the border.
const TOP_HEIGHT: u16 = 11;
/// Rows of the periods' chart in place of their table: the figures line, eight rows of
/// plot, the axis, the periods and the shares, and the border.
const CHART_HEIGHT: u16 = 14;
/// The same from 120 columns, where the lower panes have room to give.
const CHART_HEIGHT_WIDE: u16 = 16;

/// Where the periods' chart is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ChartPlace {
    /// In place of the table (`o`).
    Alone,
    /// Beside the table, from 120 columns.
    Beside,
}

pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    let s = &app.processing;
    let wide = area.width >= 120;
    let top_h = if s.chart {
        if wide {
            CHART_HEIGHT_WIDE
        } else {
            CHART_HEIGHT
        }
    } else {
        top_height(app, area, wide)
    };
    let [top, bottom] =
        Layout::vertical([Constraint::Length(top_h), Constraint::Min(0)]).areas(area);
    if s.chart {
        // The chart in place of the table, across the width.
        chart(app, top, buf, ChartPlace::Alone);
    } else if wide {
        // The table as wide as its columns, the chart beside it takes the rest.
        let cols = fit_columns(s.measure, s.data.kind, u16::MAX);
        let table_w = cols
            .iter()
            .map(|c| c.spec(s.measure, s.data.kind).1 + 1)
            .sum::<u16>()
            + 1;
        let [table_area, chart_area] =
            Layout::horizontal([Constraint::Length(table_w), Constraint::Min(0)]).areas(top);
        periods(app, table_area, buf, wide);
        chart(app, chart_area, buf, ChartPlace::Beside);
    } else {
        periods(app, top, buf, wide);
    }
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

/// A right-aligned figure ("–" for none: ASCII where the terminal wants it).
fn right(app: &App, text: String) -> Cell<'static> {
    Cell::from(Line::from(app.txt(&text).into_owned()).right_aligned())
}

fn header<'a>(app: &App, cells: &[(&str, bool)]) -> Row<'a> {
    Row::new(cells.iter().map(|(h, numeric)| {
        let text = app
            .txt(&h.replace('±', plus_minus(app.theme.ascii)))
            .into_owned();
        if *numeric {
            right(app, text)
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

/// The columns of the periods table, in screen order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Col {
    Period,
    Count,
    Median,
    VsPrev,
    VsYear,
    Mean,
    P90,
    Max,
    Within,
    WithinPrev,
    WithinYear,
}

impl Col {
    const ALL: [Col; 11] = [
        Col::Period,
        Col::Count,
        Col::Median,
        Col::VsPrev,
        Col::VsYear,
        Col::Mean,
        Col::P90,
        Col::Max,
        Col::Within,
        Col::WithinPrev,
        Col::WithinYear,
    ];

    /// Heading, width and rank (the lowest ranked go first where the window is narrow).
    fn spec(self, measure: Measure, kind: PeriodKind) -> (&'static str, u16, u8) {
        let verk = measure == Measure::Verkstallighet;
        let prev = match kind {
            PeriodKind::Quarter => "±kv",
            PeriodKind::Tertial => "±ter",
            PeriodKind::Half => "±hå",
            PeriodKind::Year => "±år",
        };
        match self {
            Col::Period => (kind.heading(), 7, 10),
            Col::Count if verk => ("Startade", 8, 9),
            Col::Count => ("Beslut", 6, 9),
            Col::Median => ("Median", 6, 9),
            Col::VsPrev => (prev, 6, 7),
            Col::VsYear => ("±år", 6, 7),
            Col::Mean => ("Medel", 6, 6),
            Col::P90 => ("P90", 4, 5),
            Col::Max => ("Max", 4, 4),
            Col::Within if verk => ("Inom 3 mån", 10, 8),
            Col::Within => ("Inom mål", 8, 8),
            Col::WithinPrev => (prev, 5, 2),
            Col::WithinYear => ("±år", 5, 2),
        }
    }

    /// Whether the kind of period has the column: by year, the period before is the year
    /// before.
    fn applies(self, kind: PeriodKind) -> bool {
        kind != PeriodKind::Year || !matches!(self, Col::VsPrev | Col::WithinPrev)
    }
}

/// The columns that fit `width` (inside the borders): the lowest ranked left out first.
fn fit_columns(measure: Measure, kind: PeriodKind, width: u16) -> Vec<Col> {
    let cols: Vec<Col> = Col::ALL.into_iter().filter(|c| c.applies(kind)).collect();
    super::fit(cols, width, |c| {
        let (_, w, rank) = c.spec(measure, kind);
        (w, rank)
    })
}

/// One row of the periods table: a period, or one kön's part of it.
fn period_cells(
    app: &App,
    cols: &[Col],
    label: String,
    stats: &Stats,
    changes: Option<(&Change, &Change)>,
) -> Vec<Cell<'static>> {
    let ascii = app.theme.ascii;
    cols.iter()
        .map(|c| match c {
            Col::Period => Cell::from(label.clone()),
            Col::Count => right(app, stats.decisions.to_string()),
            Col::Median => right(app, days(stats.median_days)),
            Col::VsPrev => right(
                app,
                changes.map_or_else(String::new, |(p, _)| days_change(p.median_days, ascii)),
            ),
            Col::VsYear => right(
                app,
                changes.map_or_else(String::new, |(_, y)| days_change(y.median_days, ascii)),
            ),
            Col::Mean => right(app, days(stats.mean_days)),
            Col::P90 => right(app, whole(stats.p90_days)),
            Col::Max => right(app, whole(stats.max_days)),
            Col::Within => right(app, percent(stats.within_target())),
            Col::WithinPrev => right(
                app,
                changes.map_or_else(String::new, |(p, _)| points_change(p.within_target, ascii)),
            ),
            Col::WithinYear => right(
                app,
                changes.map_or_else(String::new, |(_, y)| points_change(y.within_target, ascii)),
            ),
        })
        .collect()
}

/// The short name of a part of the split by kön, as a sub-row's label.
fn sex_label(i: usize) -> &'static str {
    match i {
        0 => "  K",
        1 => "  M",
        _ => "  okänt",
    }
}

/// How tall the periods pane is: eight periods; split by kön, as much more as leaves the
/// lower panes their room (then it scrolls, keeping the chosen period's parts in view).
pub(super) fn top_height(app: &App, body: Rect, wide: bool) -> u16 {
    let s = &app.processing;
    if !s.by_sex {
        // From 120 columns the chart beside the table takes what the lower panes can
        // spare (they keep 26 rows, as at 120×40).
        return if wide {
            body.height
                .saturating_sub(26)
                .clamp(TOP_HEIGHT, CHART_HEIGHT_WIDE)
        } else {
            TOP_HEIGHT
        };
    }
    let want = u16::try_from(s.periods().len() * 4 + 3).unwrap_or(u16::MAX);
    let room = body.height.saturating_sub(if wide { 26 } else { 10 });
    want.min(room.max(TOP_HEIGHT))
}

fn periods(app: &App, area: Rect, buf: &mut Buffer, wide: bool) {
    let s = &app.processing;
    let measure = s.measure;
    let kind = s.data.kind;
    let focused = s.pane == Pane::Quarters;
    let cols = fit_columns(measure, kind, area.width.saturating_sub(2));
    let heads: Vec<(&str, bool)> = cols
        .iter()
        .map(|c| (c.spec(measure, kind).0, *c != Col::Period))
        .collect();
    let widths: Vec<Constraint> = cols
        .iter()
        .map(|c| Constraint::Length(c.spec(measure, kind).1))
        .collect();
    // Empty periods read as such: a dash in every figure, dimmed.
    let style = |st: &Stats| {
        if st.decisions == 0 {
            app.theme.dim()
        } else {
            Style::new()
        }
    };
    let mut rows = Vec::new();
    for p in s.periods() {
        rows.push(
            Row::new(period_cells(
                app,
                &cols,
                p.period.to_string(),
                &p.stats,
                Some((&p.vs_prev, &p.vs_year)),
            ))
            .style(style(&p.stats)),
        );
        if s.by_sex {
            for (i, st) in p.by_sex.iter().enumerate() {
                let label = app.txt(sex_label(i)).into_owned();
                rows.push(Row::new(period_cells(app, &cols, label, st, None)).style(style(st)));
            }
        }
    }
    let within = match measure {
        Measure::Handlaggning => "inom mål",
        Measure::Verkstallighet => "inom 3 mån",
    };
    let split = if s.by_sex { ", per kön" } else { "" };
    // Where the chart is not beside the table, the key that shows it is named.
    let chart_key = if wide { "" } else { " (o: diagram)" };
    let short = format!(
        "{} {}, dagar{split}{}{chart_key}",
        measure.title(),
        kind.per(),
        scope_title(app)
    );
    let long = format!(
        "{} {}, dagar{split} ({}: medianen; {within} i procentenheter){}",
        measure.title(),
        kind.per(),
        crate::report::processing::plus_minus(app.theme.ascii),
        scope_title(app)
    );
    // The explanation where it fits beside the focus marker and the corners.
    let title = if wide && crate::text::width(&long) + 4 <= usize::from(area.width) {
        long
    } else {
        short
    };
    let table = Table::new(rows, widths)
        .header(header(app, &heads))
        .block(block(app, title, focused))
        .row_highlight_style(if focused {
            app.theme.selected()
        } else {
            app.theme.header()
        });
    let cursor = &s.period_cursor;
    let visible = usize::from(area.height).saturating_sub(3).max(1);
    let lines = s.periods().len() * if s.by_sex { 4 } else { 1 };
    // The scroll of the other layout (split or not) is no guide to this one: never
    // scrolled past the last row.
    cursor
        .offset
        .set(cursor.offset.get().min(lines.saturating_sub(visible)));
    let selected = (!s.periods().is_empty()).then_some(if s.by_sex {
        // The period's row; its three parts below it are kept in view too.
        let first = cursor.selected * 4;
        let mut offset = cursor.offset.get();
        if first + 3 >= offset + visible {
            offset = (first + 4).saturating_sub(visible);
        }
        if first < offset {
            offset = first;
        }
        // Whole periods from the top: a period's row first, not one of its parts.
        cursor.offset.set(offset.div_ceil(4) * 4);
        first
    } else {
        cursor.selected
    });
    render_list(table, area, buf, cursor, selected, 1);
}

/// A period's label under its point: long (`Q4 14`, `2014`) and short (`Q4`, `14`).
fn point_label(p: Period) -> (String, String) {
    let yy = p.year.rem_euclid(100);
    match p.kind {
        PeriodKind::Year => (p.year.to_string(), format!("{yy:02}")),
        PeriodKind::Quarter => (format!("Q{} {yy:02}", p.number), format!("Q{}", p.number)),
        PeriodKind::Tertial => (format!("T{} {yy:02}", p.number), format!("T{}", p.number)),
        PeriodKind::Half => (format!("H{} {yy:02}", p.number), format!("H{}", p.number)),
    }
}

/// The median of each period as a chart with its day axis, the target line, the periods
/// and the share within target; the chosen period's figures above it.
fn chart(app: &App, area: Rect, buf: &mut Buffer, place: ChartPlace) {
    let s = &app.processing;
    let rows = s.periods();
    let verk = s.measure == Measure::Verkstallighet;
    let labels: Vec<(String, String)> = rows.iter().map(|r| point_label(r.period)).collect();
    let values: Vec<Option<f64>> = rows.iter().map(|r| r.stats.median_days).collect();
    let shares: Vec<Option<f64>> = rows.iter().map(|r| r.stats.within_target()).collect();
    let (target, target_text) = match s.data.target(s.measure) {
        Target::Days(d) => (
            Some((d as f64, format!("mål {d} d"))),
            format!("mål {d} dagar"),
        ),
        // Three calendar months are 89–92 days: the line at their mean.
        Target::Months(m) => (
            Some((f64::from(m) * 30.44, format!("{m} mån"))),
            format!("mål {m} månader"),
        ),
        Target::Varies(lo, hi) => (None, format!("mål {lo}–{hi} dagar efter insats (f)")),
        Target::None => (None, "inget mål".to_string()),
    };
    let within = if verk { "inom 3 mån" } else { "inom mål" };
    // With `c`: a line for K and one for M beside the whole, each with its own marker (a
    // kön without any figure left out). Okänt is a handful of decisions whose median jumps
    // from period to period: drawn, it set the scale and flattened the other lines, so it
    // is in the legend only.
    let kept: Vec<usize> = (0..2)
        .filter(|&i| s.by_sex && rows.iter().any(|r| r.by_sex[i].median_days.is_some()))
        .collect();
    let parts: Vec<(String, Vec<Option<f64>>)> = kept
        .iter()
        .map(|&i| {
            let values = rows.iter().map(|r| r.by_sex[i].median_days).collect();
            (sex_label(i).trim().to_string(), values)
        })
        .collect();
    let summary = s.period().map_or_else(Vec::new, |p| {
        let mut summary = Vec::new();
        if s.by_sex {
            // The legend first, in place of the period's median (the period is reversed
            // under the axis): each line's marker and its median in the chosen period, so
            // that it fits the chart beside the table at 120 columns.
            let mut legend = format!(
                "{} {}",
                super::chart::marker(app, 0),
                days(p.stats.median_days)
            );
            for (line, &i) in kept.iter().enumerate() {
                legend.push_str(&format!(
                    "  {} {} {}",
                    super::chart::marker(app, line + 1),
                    sex_label(i).trim(),
                    days(p.by_sex[i].median_days)
                ));
            }
            if p.by_sex[2].median_days.is_some() {
                legend.push_str(&format!(
                    "  {} {}",
                    sex_label(2).trim(),
                    days(p.by_sex[2].median_days)
                ));
            }
            summary.push(legend);
        } else {
            summary.push(format!(
                "{}: median {}",
                p.period,
                days(p.stats.median_days)
            ));
        }
        summary.push(format!("{within} {}", percent(p.stats.within_target())));
        summary.push(target_text);
        summary
    });
    let title = format!(
        "Median {}, dagar{} (o: {})",
        s.data.kind.per(),
        scope_title(app),
        if place == ChartPlace::Alone {
            "tabell"
        } else {
            "större"
        }
    );
    let block = block(
        app,
        title,
        place == ChartPlace::Alone && s.pane == Pane::Quarters,
    );
    let inner = block.inner(area);
    block.render(area, buf);
    super::chart::periods(
        app,
        inner,
        buf,
        &super::chart::PeriodChart {
            labels: &labels,
            values: &values,
            shares: &shares,
            selected: s.period_cursor.selected,
            target,
            summary,
            unit: "d",
            parts: &parts,
        },
    );
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
    let view = &s.breakdown_view;
    let arrow = |col: usize, text: &'static str| -> String {
        format!("{text}{}", view.arrow(col, app.theme.ascii))
    };
    let name_head = match s.by {
        By::Insats => "Insats",
        By::Worker => "Handläggare",
        By::Sex => "Kön",
    };
    let verk = s.measure == Measure::Verkstallighet;
    let (count_head, count_w, within_head, within_w) = if verk {
        ("Startade", 10, "Inom 3 mån", 12)
    } else {
        ("Beslut", 8, "Inom mål", 10)
    };
    let heads = [
        (arrow(0, name_head), false),
        (arrow(1, count_head), true),
        (arrow(2, "Median"), true),
        (arrow(3, "Medel"), true),
        (arrow(4, "P90"), true),
        (arrow(5, "Max"), true),
        (arrow(6, within_head), true),
    ];
    let heads: Vec<(&str, bool)> = heads.iter().map(|(h, n)| (h.as_str(), *n)).collect();
    let rows = s.breakdown_shown().into_iter().map(|g| {
        let name = group_name(g);
        let st = &g.stats;
        Row::new(vec![
            Cell::from(app.txt(name).into_owned()),
            right(app, st.decisions.to_string()),
            right(app, days(st.median_days)),
            right(app, days(st.mean_days)),
            right(app, whole(st.p90_days)),
            right(app, whole(st.max_days)),
            right(app, percent(st.within_target())),
        ])
    });
    let period = s
        .period()
        .map_or_else(String::new, |q| q.period.to_string());
    let by = match s.by {
        By::Insats => "per insats",
        By::Worker => "per handläggare",
        By::Sex => "per kön",
    };
    let mut title = if verk {
        format!("{period} startade {by}")
    } else {
        format!("{period} {by}")
    };
    if let Some(note) = view.search_note() {
        title.push_str(&format!("{}{note}", app.theme.sep()));
    }
    let table = Table::new(
        rows,
        [
            Constraint::Min(14),
            Constraint::Length(count_w),
            Constraint::Length(8),
            Constraint::Length(7),
            Constraint::Length(5),
            Constraint::Length(5),
            Constraint::Length(within_w),
        ],
    )
    .header(header(app, &heads))
    .block(lower_block(app, Pane::Breakdown, title, alone))
    .row_highlight_style(if s.pane == Pane::Breakdown {
        app.theme.selected()
    } else {
        Style::new()
    });
    let selected = (!view.is_empty()).then_some(view.cursor.selected);
    render_list(table, area, buf, &view.cursor, selected, 1);
    if view.search.active() {
        super::search_line(app, &view.search, area, buf);
        return;
    }
    let hint = if s.breakdown.is_empty() {
        let what = if verk { "startade" } else { "beslut" };
        let when = match s.data.kind {
            PeriodKind::Quarter => "i kvartalet",
            PeriodKind::Tertial => "i tertialet",
            PeriodKind::Half => "i halvåret",
            PeriodKind::Year => "under året",
        };
        format!("Inga {what} {when}")
    } else {
        "Enter: beslut · b: gruppera · s: sortera".to_string()
    };
    footer(app, area, buf, &hint, s.breakdown.is_empty());
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
    let view = &s.over;
    let ascii = app.theme.ascii;
    let head = |column: usize, text: &str| format!("{text}{}", view.arrow(column, ascii));
    let owned = [
        head(0, "Inkom"),
        head(1, "Dagar"),
        head(2, "Mål"),
        head(3, "Ärende"),
        head(4, "Insats"),
        head(5, "Handläggare"),
    ];
    let mut heads = vec![
        (owned[0].as_str(), false),
        (owned[1].as_str(), true),
        (owned[2].as_str(), true),
    ];
    let mut widths = vec![
        Constraint::Length(10),
        Constraint::Length(6),
        Constraint::Length(4),
    ];
    if with_case {
        heads.push((owned[3].as_str(), false));
        widths.push(Constraint::Length(13));
    }
    heads.extend([(owned[4].as_str(), false), (owned[5].as_str(), false)]);
    widths.extend([Constraint::Fill(3), Constraint::Fill(2)]);
    let selected = (!view.is_empty()).then_some(view.cursor.selected);
    let shown = window(&view.cursor, view.order.len(), selected, area, 1);
    let rows = view.order[shown.clone()]
        .iter()
        .filter_map(|&i| p.over_target.get(i))
        .map(|o| {
            let mut cells = vec![
                Cell::from(o.received.format("%Y-%m-%d").to_string()),
                right(app, o.days_waiting.to_string()),
                right(app, o.target_days.to_string()),
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
    let mut title = format!("Utan beslut efter målet ({})", p.over_target.len());
    if let Some(note) = view.search_note() {
        title.push_str(&format!("{}{note}", app.theme.sep()));
    }
    let table = Table::new(rows, widths)
        .header(header(app, &heads))
        .block(lower_block(app, Pane::OverTarget, title, alone))
        .row_highlight_style(if s.pane == Pane::OverTarget {
            app.theme.selected()
        } else {
            Style::new()
        });
    render_window(table, area, buf, &view.cursor, shown, selected, 1);
    super::search_line(app, &view.search, area, buf);
    if p.over_target.is_empty() {
        footer(app, area, buf, "Inga ansökningar väntar efter målet", true);
    }
}

fn not_executed(app: &App, area: Rect, buf: &mut Buffer, alone: bool) {
    let s = &app.processing;
    let p = &s.data;
    let with_worker = area.width >= 70;
    let view = &s.not_executed;
    let ascii = app.theme.ascii;
    let head = |column: usize, text: &str| format!("{text}{}", view.arrow(column, ascii));
    let owned = [
        head(0, "Beslutad"),
        head(1, "Dagar"),
        head(2, "Ärende"),
        head(3, "Insats"),
        head(4, "Handläggare"),
    ];
    let mut heads = vec![
        (owned[0].as_str(), false),
        (owned[1].as_str(), true),
        (owned[2].as_str(), false),
        (owned[3].as_str(), false),
    ];
    let mut widths = vec![
        Constraint::Length(10),
        Constraint::Length(6),
        Constraint::Length(13),
        Constraint::Min(12),
    ];
    if with_worker {
        heads.push((owned[4].as_str(), false));
        widths.push(Constraint::Min(10));
    }
    let selected = (!view.is_empty()).then_some(view.cursor.selected);
    let shown = window(&view.cursor, view.order.len(), selected, area, 1);
    let rows = view.order[shown.clone()]
        .iter()
        .filter_map(|&i| p.not_executed.get(i))
        .map(|n| {
            let mut cells = vec![
                Cell::from(n.decided.format("%Y-%m-%d").to_string()),
                right(app, n.days_waiting.to_string()),
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
    let mut title = format!(
        "Ej verkställda beslut {} ({})",
        p.today.format("%Y-%m-%d"),
        p.not_executed.len()
    );
    if let Some(note) = view.search_note() {
        title.push_str(&format!("{}{note}", app.theme.sep()));
    }
    let table = Table::new(rows, widths)
        .header(header(app, &heads))
        .block(lower_block(app, Pane::NotExecuted, title, alone))
        .row_highlight_style(if s.pane == Pane::NotExecuted {
            app.theme.selected()
        } else {
            Style::new()
        });
    render_window(table, area, buf, &view.cursor, shown, selected, 1);
    super::search_line(app, &view.search, area, buf);
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
