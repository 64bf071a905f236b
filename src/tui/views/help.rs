//! The help overlay, generated from the keymap that handles the keys.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Widget};

use crate::tui::app::App;
use crate::tui::keymap::KEYMAP;

pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    let height = u16::try_from(KEYMAP.len() + 2).unwrap_or(u16::MAX).min(area.height);
    let width = 50.min(area.width);
    let popup = area.centered(Constraint::Length(width), Constraint::Length(height));
    Clear.render(popup, buf);
    let lines: Vec<Line<'_>> = KEYMAP
        .iter()
        .map(|b| {
            Line::from(vec![
                Span::styled(
                    format!(" {:<8}", app.txt(b.label)),
                    app.theme.header(),
                ),
                Span::raw(app.txt(b.help).into_owned()),
            ])
        })
        .collect();
    Paragraph::new(lines)
        .block(
            Block::bordered()
                .border_set(app.theme.border())
                .title(app.txt(" Tangenter (valfri tangent stänger) ").into_owned())
                .title_style(app.theme.title()),
        )
        .render(popup, buf);
}
