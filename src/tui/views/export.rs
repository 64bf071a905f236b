//! The choice `e` opens when `export_format` is not configured: CSV or Excel, the selected
//! one in reverse video, and the keys that work in it in the bottom border.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Widget};

use crate::tui::app::App;
use crate::tui::export::Choice;

pub fn render(app: &App, choice: &Choice, area: Rect, buf: &mut Buffer) {
    let sep = app.theme.sep();
    let keys = if app.theme.ascii {
        format!(" ^v valj{sep}Enter exportera{sep}Esc avbryt ")
    } else {
        format!(" ↑↓ välj{sep}Enter exportera{sep}Esc avbryt ")
    };
    let width = u16::try_from(crate::text::width(&keys) + 4)
        .unwrap_or(u16::MAX)
        .max(36)
        .min(area.width.saturating_sub(4));
    let height = u16::try_from(Choice::ROWS.len() + 2)
        .unwrap_or(u16::MAX)
        .min(area.height);
    let rect = area.centered(Constraint::Length(width), Constraint::Length(height));
    super::clear_popup(rect, area, buf);
    let block = Block::bordered()
        .border_set(app.theme.border())
        .border_style(app.theme.focused_border())
        .title(Span::styled(
            app.txt(&format!(" Exportera {} ", app.view.title()))
                .into_owned(),
            app.theme.title(),
        ))
        .title_bottom(Line::from(app.txt(&keys).into_owned()).right_aligned());
    let inner = block.inner(rect);
    block.render(rect, buf);
    let cols = usize::from(inner.width);
    let lines: Vec<Line<'_>> = Choice::ROWS
        .iter()
        .map(|&(format, label)| {
            let chosen = format == choice.selected;
            // Marked where reverse video is lost too (a screen reader, a copied screen).
            let mark = match (chosen, app.theme.ascii) {
                (false, _) => " ",
                (true, false) => "▶",
                (true, true) => ">",
            };
            let text = crate::text::pad_right(&format!("{mark}{}", app.txt(label)), cols);
            let style = if chosen {
                app.theme.selected()
            } else {
                Style::new()
            };
            Line::from(Span::styled(text, style))
        })
        .collect();
    Paragraph::new(lines).render(inner, buf);
}
