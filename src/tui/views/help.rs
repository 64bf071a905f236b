//! The help overlay, generated from the keymap that handles the keys (those that work in
//! the view under it): one column where the window is tall enough, two where it is not.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Widget};

use crate::tui::app::App;
use crate::tui::keymap::{self, Binding};

/// Width of one column: key label and help text.
const COLUMN: u16 = 38;

pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    // The keys that work in the view under the overlay.
    let bindings: Vec<&Binding> = keymap::bindings_in(app.key_context()).collect();
    let n = u16::try_from(bindings.len()).unwrap_or(u16::MAX);
    let columns: u16 = if n + 2 <= area.height { 1 } else { 2 };
    let rows = n.div_ceil(columns);
    let height = (rows + 2).min(area.height);
    let width = (COLUMN * columns + 2).min(area.width);
    let popup = area.centered(Constraint::Length(width), Constraint::Length(height));
    Clear.render(popup, buf);
    let block = Block::bordered()
        .border_set(app.theme.border())
        .title(app.txt(" Tangenter (valfri tangent stänger) ").into_owned())
        .title_style(app.theme.title());
    let inner = block.inner(popup);
    block.render(popup, buf);
    let cols = Layout::horizontal(vec![
        Constraint::Ratio(1, u32::from(columns));
        usize::from(columns)
    ])
    .split(inner);
    for (chunk, col) in bindings.chunks(usize::from(rows.max(1))).zip(cols.iter()) {
        let lines: Vec<Line<'_>> = chunk
            .iter()
            .map(|b| {
                Line::from(vec![
                    Span::styled(format!(" {:<7}", app.txt(b.label)), app.theme.header()),
                    Span::raw(app.txt(b.help).into_owned()),
                ])
            })
            .collect();
        Paragraph::new(lines).render(*col, buf);
    }
}
