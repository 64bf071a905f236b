//! The enhetschef's summary: open deadlines per handläggare (overdue, within a week,
//! within 30 days, all), sortable, and from there into one handläggare's list.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Cell, Row, Table};

use super::caseload::{block, render_list};
use crate::tui::app::App;
use crate::tui::deadline_list::SummarySort;

pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    let l = &app.deadlines;
    let mark = |s: SummarySort, text: &str| {
        let arrow = if app.theme.ascii { " v" } else { " ▼" };
        let t = if l.summary_sort == s {
            format!("{text}{arrow}")
        } else {
            text.to_string()
        };
        app.txt(&t).into_owned()
    };
    let header = Row::new(vec![
        Cell::from(mark(SummarySort::Name, "Handläggare")),
        Cell::from(app.txt("Arbetsgrupp").into_owned()),
        Cell::from(Line::from(mark(SummarySort::Overdue, "Försenade")).right_aligned()),
        Cell::from(Line::from(mark(SummarySort::Week, "Inom 7 d")).right_aligned()),
        Cell::from(Line::from(mark(SummarySort::Month, "Inom 30 d")).right_aligned()),
        Cell::from(Line::from(mark(SummarySort::Total, "Alla")).right_aligned()),
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
    let rows = l.summary().iter().map(|s| {
        let team = s
            .worker_id
            .as_ref()
            .and_then(|w| l.data.workers.get(w))
            .and_then(|(_, t)| t.as_deref())
            .unwrap_or("–");
        let name = match (&s.name, &s.worker_id) {
            (Some(n), _) => n.clone(),
            (None, Some(id)) => id.clone(),
            (None, None) => "(ingen handläggare)".into(),
        };
        Row::new(vec![
            Cell::from(app.txt(&name).into_owned()),
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
    let total: u64 = l.summary().iter().map(|s| s.overdue).sum();
    let title = format!(
        "Bevakningar per handläggare{sep}{total} försenade{sep}s sorterar, Enter öppnar listan",
        sep = app.theme.sep()
    );
    let table = Table::new(rows, widths)
        .header(header)
        .block(block(app, title, true))
        .row_highlight_style(app.theme.selected());
    let selected = (!l.summary().is_empty()).then_some(l.summary_cursor.selected);
    render_list(table, area, buf, &l.summary_cursor, selected, 1);
}
