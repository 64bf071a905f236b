//! The filter popup every view with filters shares: one line per field with its current
//! value between arrows, the selected field in reverse video, and the keys below.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Widget};

use crate::tui::app::App;

/// Draws the filter popup centred in `area`: `fields` are (label, current value), the
/// `selected` one highlighted.
pub fn filter(app: &App, fields: &[(&str, String)], selected: usize, area: Rect, buf: &mut Buffer) {
    let ascii = app.theme.ascii;
    let (left, right) = if ascii {
        ("< ", " >")
    } else {
        ("◀ ", " ▶")
    };
    let label_w = fields
        .iter()
        .map(|(l, _)| crate::text::width(l))
        .max()
        .unwrap_or(0);
    let mut lines: Vec<Line<'_>> = fields
        .iter()
        .enumerate()
        .map(|(i, (label, value))| {
            let label = crate::text::pad_right(&app.txt(label), label_w);
            let text = format!(" {label} {left}{}{right}", app.txt(value));
            let style = if i == selected {
                app.theme.selected()
            } else {
                Style::new()
            };
            Line::from(Span::styled(text, style))
        })
        .collect();
    lines.push(Line::from(""));
    let keys = if ascii {
        " j k falt * h l andra * Enter/Esc stang"
    } else {
        " ↑↓ fält · ←→ ändra · Enter/Esc stäng"
    };
    lines.push(Line::from(Span::styled(keys, app.theme.dim())));
    let height = u16::try_from(fields.len() + 4).unwrap_or(u16::MAX);
    let rect = area.centered(Constraint::Length(52), Constraint::Length(height));
    Clear.render(rect, buf);
    Paragraph::new(lines)
        .block(
            Block::bordered()
                .border_set(app.theme.border())
                .border_style(app.theme.focused_border())
                .title(app.txt(" Filter ").into_owned())
                .title_style(app.theme.title()),
        )
        .render(rect, buf);
}
