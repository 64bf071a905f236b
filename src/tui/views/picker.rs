//! The unit and team picker's pop-up: what is typed, the rows it leaves (a unit's id at the
//! right), the selected one in reverse video, and the keys in the bottom border.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Widget};

use crate::text::{abbreviate_middle, pad_right, width};
use crate::tui::app::App;
use crate::tui::picker::{Item, Picker};

/// The pop-up's least width, and its height besides the rows (borders and the query).
const MIN_WIDTH: usize = 44;
const CHROME: u16 = 3;

/// A row's columns: name, a space and the id, one column of margin each side.
fn row_width(item: &Item) -> usize {
    width(&item.name) + item.id.as_deref().map_or(0, |id| width(id) + 1) + 2
}

pub fn render(app: &App, picker: &Picker, area: Rect, buf: &mut Buffer) {
    let rows = picker.visible().len();
    // As wide as the longest row (of all, so that it keeps its size while narrowing), within
    // the screen; long names are cut in the middle where it is narrower.
    let longest = picker.items().iter().map(row_width).max().unwrap_or(0);
    let popup_w = u16::try_from((longest + 2).max(MIN_WIDTH))
        .unwrap_or(u16::MAX)
        .min(area.width.saturating_sub(4));
    // As tall as every row needs, so that it keeps its place while narrowing.
    let wanted = u16::try_from(picker.items().len()).unwrap_or(u16::MAX);
    let height = wanted.saturating_add(CHROME).min(area.height);
    let rect = area.centered(Constraint::Length(popup_w), Constraint::Length(height));
    super::clear_popup(rect, area, buf);
    let sep = app.theme.sep();
    let keys = if app.theme.ascii {
        format!(" ^v rad{sep}Enter valj{sep}Esc stang ")
    } else {
        format!(" ↑↓ rad{sep}Enter välj{sep}Esc stäng ")
    };
    let count = format!(" {} av {} ", rows, picker.items().len());
    let block = Block::bordered()
        .border_set(app.theme.border())
        .border_style(app.theme.focused_border())
        .title(Span::styled(
            app.txt(&format!(" {} ", picker.kind.title())).into_owned(),
            app.theme.title(),
        ))
        .title_bottom(Line::from(app.txt(&count).into_owned()))
        .title_bottom(Line::from(app.txt(&keys).into_owned()).right_aligned());
    let inner = block.inner(rect);
    block.render(rect, buf);
    if inner.height == 0 {
        return;
    }
    let cols = usize::from(inner.width);
    let query = Line::from(vec![
        Span::styled(app.txt(" Sök: ").into_owned(), app.theme.header()),
        Span::raw(format!("{}_", app.txt(&picker.query))),
    ]);
    query.render(Rect { height: 1, ..inner }, buf);
    let list = Rect {
        y: inner.y + 1,
        height: inner.height - 1,
        ..inner
    };
    let page = usize::from(list.height);
    picker.cursor.page.set(page.max(1));
    if rows == 0 {
        let text = format!(" Ingen träff på \"{}\"", picker.query);
        Line::from(Span::styled(app.txt(&text).into_owned(), app.theme.dim()))
            .render(Rect { height: 1, ..list }, buf);
        return;
    }
    // Scrolled as little as keeps the selection in view.
    let selected = picker.cursor.selected.min(rows - 1);
    let mut offset = picker.cursor.offset.get().min(rows - 1);
    if selected >= offset + page {
        offset = selected + 1 - page;
    }
    if selected < offset {
        offset = selected;
    }
    picker.cursor.offset.set(offset);
    let lines: Vec<Line<'_>> = picker
        .visible()
        .enumerate()
        .skip(offset)
        .take(page)
        .map(|(i, item)| {
            let id = item.id.as_deref().map(|id| app.txt(id).into_owned());
            let id_w = id.as_deref().map_or(0, |id| width(id) + 1);
            // One column of margin each side, and the id at the right.
            let name_w = cols.saturating_sub(2 + id_w);
            let name = app.txt(&item.name);
            let name = abbreviate_middle(&name, name_w);
            let name = if app.theme.ascii {
                name.replace('…', "~")
            } else {
                name.into_owned()
            };
            // The selected row is marked where reverse video is lost too (a screen reader,
            // a copied screen).
            let mark = match (i == selected, app.theme.ascii) {
                (false, _) => " ",
                (true, false) => "▶",
                (true, true) => ">",
            };
            let mut text = format!("{mark}{}", pad_right(&name, name_w));
            if let Some(id) = id {
                text.push(' ');
                text.push_str(&id);
            }
            let text = pad_right(&text, cols);
            let style = if i == selected {
                app.theme.selected()
            } else {
                Style::new()
            };
            Line::from(Span::styled(text, style))
        })
        .collect();
    Paragraph::new(lines).render(list, buf);
}
