//! The caseload view ("Ärenden"): cases per insats on today, one and two years before, by
//! area as in the seeds' tables, and open cases per handläggare beside or below it.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Cell, Row, StatefulWidget, Table, TableState};

use crate::domain::caseload::InsatsRow;
use crate::text::signed;
use crate::tui::app::{App, ListCursor, Pane};
use crate::tui::caseload_state::ChartOf;

/// Rows of the insats table: an area heading, an insats row, or one kön's part of the
/// insats row above it (index into [`crate::domain::processing::SEXES`]).
enum Entry<'a> {
    Area(&'a str),
    Insats(&'a InsatsRow),
    Sex(&'a InsatsRow, usize),
}

/// The label of a kön's part: K, M, okänt (as the review's).
const SEX_LABELS: [&str; 3] = ["K", "M", "okänt"];

/// The shown rows grouped by area, in order.
fn grouped<'a>(rows: &[&'a InsatsRow]) -> Vec<(&'a str, Vec<&'a InsatsRow>)> {
    let mut groups: Vec<(&str, Vec<&InsatsRow>)> = Vec::new();
    for r in rows {
        match groups.iter_mut().find(|(a, _)| *a == r.area) {
            Some((_, g)) => g.push(r),
            None => groups.push((&r.area, vec![r])),
        }
    }
    groups
}

pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    let shown = app.caseload.insats_shown();
    let per_insats = if app.caseload.by_sex { 4 } else { 1 };
    let headings = if app.caseload.insats.sort.is_none() {
        grouped(&shown).len()
    } else {
        0
    };
    let insats_lines = shown.len() * per_insats + headings;
    let (left, right) = if area.width >= 120 {
        // The table as wide as its longest name and its four figures (at least 70), the
        // handläggare or the chart beside it take the rest: at 200 columns the room goes
        // to the chart, not to blank space between the names and the figures.
        let name_w = shown
            .iter()
            .map(|r| crate::text::width(&r.insats))
            .max()
            .unwrap_or(0)
            + 3;
        let table_w = u16::try_from(name_w.max(18) + 3 * 12 + 9 + 4 + 2).unwrap_or(u16::MAX);
        let left_w = table_w.max(70).min(area.width.saturating_sub(46));
        let [l, r] =
            Layout::horizontal([Constraint::Length(left_w), Constraint::Min(46)]).areas(area);
        (l, r)
    } else {
        // Stacked: the insats table takes what it needs, the handläggare at least 7 rows,
        // the chart 12 (its scale, the months and room between them).
        let want = u16::try_from(insats_lines + 3).unwrap_or(u16::MAX);
        let below = if app.caseload.chart { 12 } else { 7 };
        let [t, b] = Layout::vertical([Constraint::Max(want), Constraint::Min(below)]).areas(area);
        (t, b)
    };
    insats_table(app, left, buf);
    if app.caseload.chart {
        chart(app, right, buf);
    } else {
        workers_table(app, right, buf);
    }
    if let Some(input) = &app.caseload.date_input {
        date_popup(app, input, area, buf);
    }
}

/// The pop-up of `d`: the table's first date typed, and why the last one was refused.
fn date_popup(
    app: &App,
    input: &crate::tui::caseload_state::DateInput,
    area: Rect,
    buf: &mut Buffer,
) {
    use ratatui::widgets::{Paragraph, Widget as _, Wrap};
    let width = area.width.min(60);
    let rect = area.centered(Constraint::Length(width), Constraint::Length(7));
    super::clear_popup(rect, area, buf);
    let mut lines = vec![
        Line::from(
            app.txt("Tabellens första datum; de andra ett och två år före.")
                .into_owned(),
        ),
        Line::from(vec![
            Span::styled(
                app.txt("Datum (ÅÅÅÅ-MM-DD): ").into_owned(),
                app.theme.header(),
            ),
            Span::raw(format!("{}_", input.text)),
        ]),
    ];
    if let Some(e) = &input.error {
        lines.push(Line::from(Span::styled(
            app.txt(e).into_owned(),
            app.theme.warning(),
        )));
    }
    Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .block(
            Block::bordered()
                .border_set(app.theme.border())
                .border_style(app.theme.focused_border())
                .title(
                    app.txt(" Flytta datum (Enter visar, Esc avbryter) ")
                        .into_owned(),
                )
                .title_style(app.theme.title()),
        )
        .render(rect, buf);
}

/// The chart of the month ends ([`crate::domain::caseload::Caseload::months`]), with its
/// scale and the months on the axis: the selected insats, the selected area's total
/// (distinct cases) or the open cases (`a`); split by kön with `c`.
fn chart(app: &App, area: Rect, buf: &mut Buffer) {
    let data = &app.caseload.data;
    let what = app.caseload.chart_of();
    let subject = match what {
        ChartOf::Insats(r) => format!("Utveckling: {} per månad", r.insats),
        ChartOf::Area(a) => format!("Utveckling: {a}, alla insatser (olika ärenden) per månad"),
        ChartOf::Open => "Utveckling: Öppna ärenden per månad".to_string(),
        ChartOf::Nothing => "Utveckling per månad".to_string(),
    };
    // The keys of the chart, `a` where it fits (it is in the help either way).
    let a = if app.caseload.chart_open {
        "a: urvalet, "
    } else {
        "a: öppna ärenden, "
    };
    // The longest that fits: with both keys, with `o`, then shorter names of the area.
    let mut titles = vec![
        format!("{subject} ({a}o: handläggare)"),
        format!("{subject} (o: handläggare)"),
    ];
    match what {
        ChartOf::Area(name) => {
            titles.push(format!("{name}, alla insatser (olika ärenden)"));
            titles.push(format!("{name} (olika ärenden)"));
        }
        ChartOf::Open => {
            titles.push("Öppna ärenden per månad".to_string());
            titles.push("Öppna ärenden".to_string());
        }
        // As before the area and open charts: cut where it does not fit.
        ChartOf::Insats(_) | ChartOf::Nothing => {}
    }
    let fits = |t: &String| crate::text::width(t) + 4 <= usize::from(area.width);
    let title = match titles.iter().position(fits) {
        Some(i) => titles.swap_remove(i),
        None => titles.pop().unwrap_or_default(),
    };
    let block = block(app, title, false);
    let inner = block.inner(area);
    ratatui::widgets::Widget::render(block, area, buf);
    // One source: the domain's counts by kön; the whole is their sum.
    let by_sex: &[[u64; 3]] = match what {
        ChartOf::Insats(r) => &r.series_by_sex,
        ChartOf::Area(a) => data
            .totals
            .areas
            .iter()
            .find(|s| s.area == a)
            .map_or(&[], |s| s.counts.as_slice()),
        ChartOf::Open => &data.totals.open,
        ChartOf::Nothing => return,
    };
    let whole: Vec<u64> = by_sex.iter().map(|p| p.iter().sum()).collect();
    if !app.caseload.by_sex {
        super::chart::line(
            app,
            inner,
            buf,
            &super::chart::Series {
                points: &whole,
                dates: &data.months,
            },
        );
        return;
    }
    // Split by kön (`c`): the whole and its parts K, M and, where there are any, okänt.
    let parts: Vec<Vec<u64>> = (0..3)
        .map(|s| by_sex.iter().map(|p| p[s]).collect())
        .collect();
    let mut named = vec![super::chart::Named {
        label: "alla",
        points: &whole,
    }];
    for (s, points) in parts.iter().enumerate() {
        if s < 2 || points.iter().any(|n| *n > 0) {
            named.push(super::chart::Named {
                label: SEX_LABELS[s],
                points,
            });
        }
    }
    super::chart::lines(app, inner, buf, &data.months, &named);
}

pub(super) fn block<'a>(app: &App, title: String, focused: bool) -> Block<'a> {
    let (title, style) = if focused {
        (
            format!("{}{title}", app.theme.focus_marker()),
            app.theme.focused_border(),
        )
    } else {
        (format!("  {title}"), Style::new())
    };
    Block::bordered()
        .border_set(app.theme.border())
        .border_style(style)
        .title(Span::styled(
            app.txt(&title).into_owned(),
            app.theme.title(),
        ))
}

/// Renders `table` keeping `cursor`'s selection on `display_selected` and its scroll stable.
pub(super) fn render_list(
    table: Table<'_>,
    area: Rect,
    buf: &mut Buffer,
    cursor: &ListCursor,
    display_selected: Option<usize>,
    header_rows: usize,
) {
    let visible = usize::from(area.height).saturating_sub(2 + header_rows);
    cursor.page.set(visible.max(1));
    let mut state = TableState::default()
        .with_offset(cursor.offset.get())
        .with_selected(display_selected);
    StatefulWidget::render(table, area, buf, &mut state);
    cursor.offset.set(state.offset());
}

/// The rows of a list of `len` rows that fit in `area` under `header_rows`, scrolled the
/// way ratatui's `Table` scrolls (as little as keeps `selected` in view). Long lists build
/// only these rows, so a frame costs the same for fifty rows or a hundred thousand.
pub(super) fn window(
    cursor: &ListCursor,
    len: usize,
    selected: Option<usize>,
    area: Rect,
    header_rows: usize,
) -> std::ops::Range<usize> {
    let height = usize::from(area.height).saturating_sub(2 + header_rows);
    let mut offset = cursor.offset.get().min(len.saturating_sub(1));
    if let Some(sel) = selected {
        if sel >= offset + height {
            offset = (sel + 1).saturating_sub(height);
        }
        if sel < offset {
            offset = sel;
        }
    }
    offset..(offset + height).min(len)
}

/// Renders the rows `shown` (from [`window`]) of a longer list, as [`render_list`] renders
/// a whole one.
pub(super) fn render_window(
    table: Table<'_>,
    area: Rect,
    buf: &mut Buffer,
    cursor: &ListCursor,
    shown: std::ops::Range<usize>,
    selected: Option<usize>,
    header_rows: usize,
) {
    let visible = usize::from(area.height).saturating_sub(2 + header_rows);
    cursor.page.set(visible.max(1));
    let mut state = TableState::default()
        .with_offset(0)
        .with_selected(selected.and_then(|s| s.checked_sub(shown.start)));
    StatefulWidget::render(table, area, buf, &mut state);
    cursor.offset.set(shown.start);
}

fn insats_table(app: &App, area: Rect, buf: &mut Buffer) {
    let state = &app.caseload;
    let c = &state.data;
    let view = &state.insats;
    let focused = state.pane == Pane::Insats;
    let hidden = c.rows.len() - state.shown().len();
    let shown = state.insats_shown();
    let mut entries = Vec::with_capacity(shown.len() + 4);
    let mut selected_display = None;
    // The seeds' own order: by area, under its heading; sorted, one list across areas.
    let groups: Vec<(Option<&str>, Vec<&InsatsRow>)> = if view.sort.is_none() {
        grouped(&shown)
            .into_iter()
            .map(|(a, rows)| (Some(a), rows))
            .collect()
    } else {
        vec![(None, shown.clone())]
    };
    let mut idx = 0;
    for (heading, rows) in groups {
        if let Some(h) = heading {
            // The heading selected (↑ from the area's first insats): the chart's area.
            if state.area_selected && idx == view.cursor.selected {
                selected_display = Some(entries.len());
            }
            entries.push(Entry::Area(h));
        }
        for r in rows {
            if idx == view.cursor.selected && selected_display.is_none() {
                selected_display = Some(entries.len());
            }
            entries.push(Entry::Insats(r));
            if state.by_sex {
                entries.extend((0..3).map(|s| Entry::Sex(r, s)));
            }
            idx += 1;
        }
    }
    let ascii = app.theme.ascii;
    // Room for a date and the sort arrow.
    let date_w = 11;
    let header = Row::new(
        std::iter::once(Cell::from(
            app.txt(&format!("Insats{}", view.arrow(0, ascii)))
                .into_owned(),
        ))
        .chain(c.dates.iter().enumerate().map(|(k, d)| {
            // The date Enter opens the cases of, marked while the table has focus.
            let style = if focused && k == state.column {
                Style::new().add_modifier(Modifier::UNDERLINED)
            } else {
                Style::new()
            };
            Cell::from(
                Line::from(format!(
                    "{}{}",
                    d.format("%Y-%m-%d"),
                    view.arrow(k + 1, ascii)
                ))
                .style(style)
                .right_aligned(),
            )
        }))
        .chain(std::iter::once(Cell::from(
            Line::from(
                app.txt(&format!("Förändr.{}", view.arrow(4, ascii)))
                    .into_owned(),
            )
            .right_aligned(),
        ))),
    )
    .style(app.theme.header());
    let rows = entries.iter().map(|e| match e {
        Entry::Area(name) => Row::new(vec![Cell::from(Span::styled(
            app.txt(name).into_owned(),
            app.theme.area_heading(),
        ))]),
        Entry::Insats(r) => {
            let mut cells = vec![Cell::from(format!(" {}", app.txt(&r.insats)))];
            cells.extend(
                r.counts
                    .iter()
                    .map(|n| Cell::from(Line::from(n.to_string()).right_aligned())),
            );
            cells.push(Cell::from(
                Line::from(signed(r.change(), app.theme.ascii)).right_aligned(),
            ));
            Row::new(cells)
        }
        Entry::Sex(r, s) => {
            let counts = r.by_sex[*s];
            let mut cells = vec![Cell::from(
                app.txt(&format!("   {}", SEX_LABELS[*s])).into_owned(),
            )];
            cells.extend(
                counts
                    .iter()
                    .map(|n| Cell::from(Line::from(n.to_string()).right_aligned())),
            );
            let change = i64::try_from(counts[0]).unwrap_or(i64::MAX)
                - i64::try_from(counts[1]).unwrap_or(i64::MAX);
            cells.push(Cell::from(
                Line::from(signed(change, app.theme.ascii)).right_aligned(),
            ));
            Row::new(cells).style(app.theme.dim())
        }
    });
    let mut title = format!(
        "Ärenden per insats ({} öppna ärenden {})",
        c.open_cases,
        c.as_of.format("%Y-%m-%d")
    );
    if state.by_sex {
        // The open cases by kön instead of their total (they add up to it).
        let [k, m, unknown] = c.open_by_sex;
        title = format!(
            "Ärenden per insats och kön (öppna {}: K {k}, M {m}, okänt {unknown})",
            c.as_of.format("%Y-%m-%d")
        );
    }
    if hidden > 0 {
        title.push_str(&format!(", {hidden} insatser utan ärenden dolda"));
    }
    if let Some(note) = view.search_note() {
        title.push_str(&format!("{}{note}", app.theme.sep()));
    }
    let table = Table::new(
        rows,
        [
            Constraint::Min(18),
            Constraint::Length(date_w),
            Constraint::Length(date_w),
            Constraint::Length(date_w),
            Constraint::Length(9),
        ],
    )
    .header(header)
    .block(block(app, title, focused))
    .row_highlight_style(if focused {
        app.theme.selected()
    } else {
        Style::new()
    })
    // The selected count stands out of its reversed row: Enter opens its cases.
    .cell_highlight_style(if focused {
        Style::new()
            .remove_modifier(Modifier::REVERSED)
            .add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
    } else {
        Style::new()
    });
    let visible = usize::from(area.height).saturating_sub(3);
    view.cursor.page.set(visible.max(1));
    let mut table_state = TableState::default()
        .with_offset(view.cursor.offset.get())
        .with_selected(selected_display)
        .with_selected_column(focused.then_some(1 + state.column));
    StatefulWidget::render(table, area, buf, &mut table_state);
    view.cursor.offset.set(table_state.offset());
    super::search_line(app, &view.search, area, buf);
}

fn workers_table(app: &App, area: Rect, buf: &mut Buffer) {
    let state = &app.caseload;
    let c = &state.data;
    let view = &state.workers;
    let focused = state.pane == Pane::Workers;
    let ascii = app.theme.ascii;
    let head = |column: usize, text: &str| {
        app.txt(&format!("{text}{}", view.arrow(column, ascii)))
            .into_owned()
    };
    let header = Row::new(vec![
        Cell::from(head(0, "Handläggare")),
        Cell::from(head(1, "Arbetsgrupp")),
        Cell::from(Line::from(head(2, "Öppna")).right_aligned()),
    ])
    .style(app.theme.header());
    let widths = [
        Constraint::Min(14),
        Constraint::Min(12),
        Constraint::Length(6),
    ];
    let team_w = super::column_width(&widths, area, 1);
    let selected = (!view.is_empty()).then_some(view.cursor.selected);
    let shown = window(&view.cursor, view.order.len(), selected, area, 1);
    let rows = state
        .workers_shown()
        .into_iter()
        .skip(shown.start)
        .take(shown.len())
        .map(|w| {
            let team = w.team.as_deref().unwrap_or("–");
            Row::new(vec![
                Cell::from(app.txt(&w.name).into_owned()),
                Cell::from(
                    app.txt(&crate::text::abbreviate_middle(team, team_w))
                        .into_owned(),
                ),
                Cell::from(Line::from(w.open_cases.to_string()).right_aligned()),
            ])
        });
    let mut title = format!("Öppna ärenden per handläggare ({})", c.workers.len());
    if c.unassigned > 0 {
        title.push_str(&format!(", {} utan handläggare", c.unassigned));
    }
    if let Some(note) = view.search_note() {
        title.push_str(&format!("{}{note}", app.theme.sep()));
    }
    // Where the chart comes (`o`), said where it fits.
    let hint = " (o: diagram)";
    if crate::text::width(&title) + crate::text::width(hint) + 4 <= usize::from(area.width) {
        title.push_str(hint);
    }
    let table = Table::new(rows, widths)
        .header(header)
        .block(block(app, title, focused))
        .row_highlight_style(if focused {
            app.theme.selected()
        } else {
            Style::new()
        });
    render_window(table, area, buf, &view.cursor, shown, selected, 1);
    super::search_line(app, &view.search, area, buf);
    if view.is_empty() && area.height > 3 {
        let inner = Rect::new(area.x + 2, area.y + 2, area.width.saturating_sub(4), 1);
        Line::from(Span::styled(
            app.txt("Inga handläggare i urvalet").into_owned(),
            app.theme.dim(),
        ))
        .render_ref(inner, buf);
    }
}

trait RenderRef {
    fn render_ref(&self, area: Rect, buf: &mut Buffer);
}

impl RenderRef for Line<'_> {
    fn render_ref(&self, area: Rect, buf: &mut Buffer) {
        ratatui::widgets::Widget::render(self, area, buf);
    }
}
