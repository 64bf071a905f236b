//! The help overlay, generated from the keymap that handles the keys (those that work in
//! the view under it): one column where the window is tall enough, two where it is not.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Widget, Wrap};

use crate::tui::app::App;
use crate::tui::keymap::{self, Binding};

/// Width of one column: key label and help text.
const COLUMN: u16 = 38;

pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    // The keys that work in the view under the overlay.
    let bindings: Vec<&Binding> = keymap::bindings_in(app.key_context()).collect();
    let n = u16::try_from(bindings.len()).unwrap_or(u16::MAX);
    // The status line's message, whole (the line cuts a long one), above the keys.
    let message = app.message.as_ref().map(|m| {
        let style = if m.warning {
            app.theme.warning()
        } else {
            ratatui::style::Style::new()
        };
        (app.txt(&m.text).into_owned(), style)
    });
    let columns: u16 = if n + 2 <= area.height { 1 } else { 2 };
    let width = (COLUMN * columns + 2).min(area.width);
    let message_rows = message.as_ref().map_or(0, |(text, _)| {
        // Lines of the text wrapped at the popup's inner width, and a blank one.
        let inner = usize::from(width.saturating_sub(2)).max(1);
        u16::try_from(wrapped_lines(text, inner) + 1).unwrap_or(u16::MAX)
    });
    let rows = n.div_ceil(columns);
    let height = (rows + message_rows + 2).min(area.height);
    let popup = area.centered(Constraint::Length(width), Constraint::Length(height));
    Clear.render(popup, buf);
    let block = Block::bordered()
        .border_set(app.theme.border())
        .title(app.txt(" Tangenter (valfri tangent stänger) ").into_owned())
        .title_style(app.theme.title());
    let mut inner = block.inner(popup);
    block.render(popup, buf);
    if let Some((text, style)) = message {
        let [top, rest] =
            Layout::vertical([Constraint::Length(message_rows), Constraint::Fill(1)]).areas(inner);
        Paragraph::new(Line::from(Span::styled(text, style)))
            .wrap(Wrap { trim: true })
            .render(top, buf);
        inner = rest;
    }
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

/// How many lines `text` takes wrapped at `width` columns, word by word as [`Wrap`] wraps
/// it (a word longer than the line is cut over several).
fn wrapped_lines(text: &str, width: usize) -> usize {
    let mut lines = 1;
    let mut used = 0;
    for word in text.split_whitespace() {
        let w = crate::text::width(word);
        let needed = if used == 0 { w } else { used + 1 + w };
        if needed <= width {
            used = needed;
        } else if used == 0 {
            lines += (w - 1) / width;
            used = match w % width {
                0 => width,
                r => r,
            };
        } else {
            lines += 1 + w.saturating_sub(1) / width;
            used = match w % width {
                0 => width,
                r => r,
            };
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The lines counted for the message are the lines ratatui's wrap draws it in.
    #[test]
    fn wrapped_lines_are_those_the_paragraph_draws() {
        let texts = [
            "Siffrorna kan sakna rader: tabellen cases, rad 3599: opened saknar värde \
             (kontraktet: NOT NULL): NULL",
            "kort",
            "ett ord som är mycket längre än raden: Ärendeidentitetsbeteckningsnummer",
            "Handläggare H101 saknas nu; visar allas bevakningar",
        ];
        for text in texts {
            for width in [8_u16, 13, 20, 36, 76] {
                let area = Rect::new(0, 0, width, 30);
                let mut buf = Buffer::empty(area);
                Paragraph::new(text)
                    .wrap(Wrap { trim: true })
                    .render(area, &mut buf);
                let drawn = (0..30)
                    .filter(|&y| (0..width).any(|x| buf[(x, y)].symbol() != " "))
                    .count();
                assert_eq!(
                    wrapped_lines(text, usize::from(width)),
                    drawn,
                    "{text:?} at {width}"
                );
            }
        }
    }
}
