//! The enhetschef's summary: open deadlines per handläggare (overdue, within a week,
//! within 30 days, all), sortable, and from there into one handläggare's list.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Cell, Row, Table};

use super::caseload::{block, render_window, window};
use crate::tui::app::App;
use crate::tui::deadline_list::SummaryRows;

pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    let l = &app.deadlines;
    let view = l.summary_view();
    let ascii = app.theme.ascii;
    let head = |column: usize, text: &str| {
        app.txt(&format!("{text}{}", view.arrow(column, ascii)))
            .into_owned()
    };
    let header = Row::new(vec![
        Cell::from(head(0, "Handläggare")),
        Cell::from(head(1, "Arbetsgrupp")),
        Cell::from(Line::from(head(2, "Försenade")).right_aligned()),
        Cell::from(Line::from(head(3, "Inom 7 d")).right_aligned()),
        Cell::from(Line::from(head(4, "Inom 30 d")).right_aligned()),
        Cell::from(Line::from(head(5, "Alla")).right_aligned()),
    ])
    .style(app.theme.header());
    let widths = [
        Constraint::Min(18),
        Constraint::Min(12),
        Constraint::Length(11),
        Constraint::Length(10),
        Constraint::Length(11),
        Constraint::Length(6),
    ];
    // The team column's width as the table lays it out: long team names are cut in the
    // middle so that two teams never read alike.
    let team_w = super::column_width(&widths, area, 1);
    let all = l.summary();
    let names = SummaryRows {
        rows: all,
        workers: &l.data.workers,
    };
    let selected = (!view.is_empty()).then_some(view.cursor.selected);
    // Only the rows on screen are built: six cities have some 6 600 handläggare, whose
    // cells were 14 MB a frame.
    let shown = window(&view.cursor, view.order.len(), selected, area, 1);
    let rows = view.order[shown.clone()].iter().map(|&i| {
        let s = &all[i];
        let team = names.team(s).unwrap_or("–");
        Row::new(vec![
            Cell::from(app.txt(SummaryRows::name(s)).into_owned()),
            Cell::from(
                app.txt(&crate::text::abbreviate_middle(team, team_w))
                    .into_owned(),
            ),
            Cell::from(Line::from(s.overdue.to_string()).right_aligned()),
            Cell::from(Line::from(s.week.to_string()).right_aligned()),
            Cell::from(Line::from(s.month.to_string()).right_aligned()),
            Cell::from(Line::from(s.total.to_string()).right_aligned()),
        ])
    });
    let total: u64 = all.iter().map(|s| s.overdue).sum();
    let sep = app.theme.sep();
    let mut title = format!("Bevakningar per handläggare{sep}{total} försenade");
    match view.search_note() {
        Some(note) => title.push_str(&format!("{sep}{note}")),
        None => title.push_str(&format!("{sep}Enter öppnar listan")),
    }
    let table = Table::new(rows, widths)
        .header(header)
        .block(block(app, title, true))
        .row_highlight_style(app.theme.selected());
    render_window(table, area, buf, &view.cursor, shown, selected, 1);
    super::search_line(app, &view.search, area, buf);
}
