//! Drawing: the chrome (tabs, filter line, status line, help overlay) around one view.
//! Everything here reads `&App` and writes to a buffer; nothing changes state except the
//! scroll caches of the lists.

mod caseload;
mod chart;
mod deadlines;
mod drill;
mod export;
mod goals;
mod help;
pub(crate) mod ivo;
mod picker;
mod popup;
mod processing;
mod summary;

use std::borrow::Cow;
use std::time::Duration;

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use super::app::{App, PartState, View};
use super::keymap;
use crate::snapshot::Source;
use crate::text::{clean, to_ascii};

/// The smallest terminal every view is laid out for.
pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;

impl App {
    /// Snapshot text made safe, and ASCII when the terminal wants it.
    pub(crate) fn txt<'a>(&self, s: &'a str) -> Cow<'a, str> {
        let s = clean(s);
        if self.theme.ascii {
            match s {
                Cow::Borrowed(b) => to_ascii(b),
                Cow::Owned(o) => Cow::Owned(to_ascii(&o).into_owned()),
            }
        } else {
            s
        }
    }
}

impl Widget for &App {
    fn render(self, area: Rect, buf: &mut Buffer) {
        if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
            too_small(self, area, buf);
            return;
        }
        let [top, filter, body, status] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Min(0),
            Constraint::Length(1),
        ])
        .areas(area);
        tabs(self, top, buf);
        filter_line(self, filter, buf);
        match self.part_state(self.view.part()) {
            PartState::Ready => match self.view {
                View::Deadlines => deadlines::render(self, body, buf),
                View::Summary => summary::render(self, body, buf),
                View::Caseload => caseload::render(self, body, buf),
                View::Processing => processing::render(self, body, buf),
                View::Goals => goals::render(self, body, buf),
                View::Ivo => ivo::render(self, body, buf),
                View::Cases | View::Card => {}
            },
            PartState::Failed(e) => {
                let text = format!("Vyn kan inte visas: {e}");
                not_shown(self, &text, true, body, buf);
            }
            // The own list, or the next 30 days, is in; the whole list still loads behind it.
            PartState::Partial(_) if self.shows_partial_list() => {
                deadlines::render(self, body, buf);
            }
            PartState::Loading(_) | PartState::Stale | PartState::Partial(_) => {
                // "…" has no one-column ASCII form that reads as an ellipsis.
                let dots = if self.theme.ascii { "..." } else { "…" };
                let text = format!("Laddar {}{dots} (q avslutar)", self.view.title());
                not_shown(self, &text, false, body, buf);
            }
        }
        if let Some(layer) = self.drill() {
            drill::render(self, layer, body, buf);
        }
        if let Some(picker) = &self.picker {
            picker::render(self, picker, body, buf);
        }
        if let Some(choice) = &self.export_choice {
            export::render(self, choice, body, buf);
        }
        status_line(self, status, buf);
        if self.help {
            help::render(self, body, buf);
        }
    }
}

/// A list's search, written over the bottom border of its frame `area` while it is typed
/// or kept: what is looked for and how to finish.
pub(super) fn search_line(
    app: &App,
    search: &crate::tui::table::Search,
    area: Rect,
    buf: &mut Buffer,
) {
    if !search.active() || area.height < 3 || area.width < 12 {
        return;
    }
    let (cursor, hint) = if search.editing {
        ("_", " (Enter klar, Esc rensar) ")
    } else {
        ("", " (Esc rensar) ")
    };
    let line = Rect::new(area.x + 1, area.y + area.height - 1, area.width - 2, 1);
    Line::from(vec![
        Span::styled(" Sök: ", app.theme.header()),
        Span::raw(format!("{}{cursor}", app.txt(&search.text))),
        Span::styled(app.txt(hint).into_owned(), app.theme.dim()),
    ])
    .render(line, buf);
}

/// The columns of a table that fit `width` with one space between them: while they do
/// not, the lowest ranked is left out (the last of equals first). `spec` gives a column's
/// (least) width and rank.
pub(super) fn fit<T: Copy>(mut cols: Vec<T>, width: u16, spec: impl Fn(T) -> (u16, u8)) -> Vec<T> {
    let used = |cols: &[T]| -> usize {
        cols.iter().map(|c| usize::from(spec(*c).0)).sum::<usize>() + cols.len().saturating_sub(1)
    };
    while used(&cols) > usize::from(width) && cols.len() > 1 {
        let Some(drop) = cols
            .iter()
            .enumerate()
            .rev()
            .min_by_key(|(_, c)| spec(**c).1)
            .map(|(i, _)| i)
        else {
            break;
        };
        cols.remove(drop);
    }
    cols
}

/// The body while the view's data loads, or when it failed to.
fn not_shown(app: &App, text: &str, warning: bool, area: Rect, buf: &mut Buffer) {
    let style = if warning {
        app.theme.warning()
    } else {
        app.theme.dim()
    };
    let area = Rect {
        y: area.y + area.height.min(1),
        ..area
    };
    Paragraph::new(Line::from(Span::styled(
        format!(" {}", app.txt(text)),
        style,
    )))
    .wrap(Wrap { trim: false })
    .render(area, buf);
}

fn too_small(app: &App, area: Rect, buf: &mut Buffer) {
    let text = format!(
        "Fönstret är för litet (minst {MIN_WIDTH}×{MIN_HEIGHT}, nu {}×{}). Förstora det, eller q avslutar.",
        area.width, area.height
    );
    Paragraph::new(app.txt(&text).into_owned())
        .wrap(Wrap { trim: true })
        .render(area, buf);
}

fn tabs(app: &App, area: Rect, buf: &mut Buffer) {
    let mut spans = vec![Span::styled(" bevaka ", app.theme.title())];
    // Full titles where they fit with the date; else short ones but for the current view;
    // else short ones throughout (80 columns).
    let label = |i: usize, v: View, short: bool| {
        let title = if short { v.short_title() } else { v.title() };
        format!(" {} {title} ", i + 1)
    };
    let fits = |short_others: bool, short_current: bool| {
        let tabs: usize = View::ALL
            .iter()
            .enumerate()
            .map(|(i, v)| {
                let short = if *v == app.view.tab() {
                    short_current
                } else {
                    short_others
                };
                crate::text::width(&label(i, *v, short))
            })
            .sum();
        8 + tabs + 12 <= usize::from(area.width)
    };
    let (short_others, short_current) = [(false, false), (true, false)]
        .into_iter()
        .find(|&(o, c)| fits(o, c))
        .unwrap_or((true, true));
    for (i, v) in View::ALL.iter().enumerate() {
        let short = if *v == app.view.tab() {
            short_current
        } else {
            short_others
        };
        let label = label(i, *v, short);
        let style = if *v == app.view.tab() {
            app.theme.selected()
        } else {
            Style::new()
        };
        spans.push(Span::styled(app.txt(&label).into_owned(), style));
    }
    let today = format!("  {}", app.today.format("%Y-%m-%d"));
    spans.push(Span::styled(today, app.theme.dim()));
    Line::from(spans).render(area, buf);
}

fn filter_line(app: &App, area: Rect, buf: &mut Buffer) {
    let unit = app.unit_name().unwrap_or("alla");
    let team = app.filter.team.as_deref().unwrap_or("alla");
    let text = format!(" Enhet: {}{}Arbetsgrupp: {}", unit, app.theme.sep(), team);
    Line::from(Span::styled(
        app.txt(&text).into_owned(),
        app.theme.header(),
    ))
    .render(area, buf);
}

/// "3 min", "5 tim", "2 dygn": how old the snapshot file is.
#[must_use]
pub fn age_text(age: Duration) -> String {
    let mins = age.as_secs() / 60;
    match mins {
        0 => "nyss".into(),
        1..=59 => format!("{mins} min"),
        60..=2879 => format!("{} tim", mins / 60),
        _ => format!("{} dygn", mins / 1440),
    }
}

fn status_line(app: &App, area: Rect, buf: &mut Buffer) {
    let sep = app.theme.sep();
    let left = match app.source() {
        Source::EmbeddedDemo => "Demo (inbyggd, påhittade personer)".to_string(),
        Source::File { path, modified, .. } => {
            let name = path
                .file_name()
                .map_or_else(|| path.to_string_lossy(), |n| n.to_string_lossy());
            // A file newer than our last clock reading is "nyss", not unknown.
            let age = modified.map_or_else(
                || "ålder okänd".to_string(),
                |m| age_text(app.now.duration_since(m).unwrap_or_default()),
            );
            format!("{}{sep}{age}", clean(&name))
        }
        Source::Union {
            dir,
            files,
            modified,
            ..
        } => {
            let name = dir
                .file_name()
                .map_or_else(|| dir.to_string_lossy(), |n| n.to_string_lossy());
            let age = modified.map_or_else(
                || "ålder okänd".to_string(),
                |m| age_text(app.now.duration_since(m).unwrap_or_default()),
            );
            let n = files.len();
            let count = if n == 1 {
                "1 fil".to_string()
            } else {
                format!("{n} filer")
            };
            format!("{}/ ({count}){sep}{age}", clean(&name))
        }
    };
    let old = match app.source() {
        Source::File {
            modified: Some(m), ..
        }
        | Source::Union {
            modified: Some(m), ..
        } => app.now.duration_since(*m).is_ok_and(|a| {
            a > Duration::from_secs(u64::from(app.config.max_snapshot_age_hours) * 3600)
        }),
        _ => false,
    };
    let mut spans = vec![Span::raw(format!(" {left}"))];
    if old {
        spans.push(Span::styled(
            format!(" ! äldre än {} tim", app.config.max_snapshot_age_hours),
            app.theme.warning(),
        ));
    }
    if let Source::Union { unreadable, .. } = app.source()
        && !unreadable.is_empty()
    {
        spans.push(Span::raw(sep.to_string()));
        spans.push(Span::styled(
            clean(&format!(
                "ingen läsbehörighet: {}",
                crate::snapshot::open::file_names(unreadable)
            ))
            .into_owned(),
            app.theme.warning(),
        ));
    }
    // Key hints, least important first: whole hints are dropped from the front until they
    // fit, so "? hjälp" and "q avsluta" are the last to go.
    // While the export choice is open its own keys are the only ones, shown in it.
    let hints: Vec<(keymap::Action, String)> = keymap::bindings_in(app.key_context())
        .filter(|_| app.export_choice.is_none())
        // Enter on an area heading of Ärenden opens nothing: not offered there.
        .filter(|b| {
            !(b.action == keymap::Action::Open
                && app.view == crate::tui::app::View::Caseload
                && app.caseload.selected_area().is_some()
                && app.caseload.pane == crate::tui::app::Pane::Insats)
        })
        .filter_map(|b| b.hint.map(|h| (b.action, format!("{} {h}", b.label))))
        .collect();
    if let Some(m) = &app.message {
        spans.push(Span::raw(sep.to_string()));
        let style = if m.warning {
            app.theme.warning()
        } else {
            Style::new()
        };
        // A message is shown whole where it fits, the hints giving way; one too long for
        // the line is cut with "…", leaving room for the hints from the help's on: the
        // help shows it whole ([`help::render`]).
        let used: usize = spans.iter().map(|s| crate::text::width(&s.content)).sum();
        let whole = usize::from(area.width).saturating_sub(used + 2);
        let from_help = hints
            .iter()
            .position(|h| h.0 == keymap::Action::Help)
            .map_or(0, |at| {
                let tail: Vec<&str> = hints[at..].iter().map(|h| h.1.as_str()).collect();
                crate::text::width(&tail.join(sep))
            });
        let room = if crate::text::width(&m.text) <= whole {
            whole
        } else {
            usize::from(area.width).saturating_sub(used + from_help + 3)
        };
        spans.push(Span::styled(
            crate::text::truncate(&m.text, room.max(1)).into_owned(),
            style,
        ));
    }
    let used: usize = spans.iter().map(|s| crate::text::width(&s.content)).sum();
    let room = usize::from(area.width).saturating_sub(used + 2);
    let mut hints: Vec<String> = hints.into_iter().map(|h| h.1).collect();
    let mut right = hints.join(sep);
    while crate::text::width(&right) > room && !hints.is_empty() {
        hints.remove(0);
        right = hints.join(sep);
    }
    let pad = room.saturating_sub(crate::text::width(&right));
    spans.push(Span::raw(" ".repeat(pad + 1)));
    spans.push(Span::raw(format!("{right} ")));
    let spans: Vec<Span<'_>> = spans
        .into_iter()
        .map(|s| {
            let content = app.txt(&s.content).into_owned();
            Span::styled(content, s.style)
        })
        .collect();
    Line::from(spans)
        .style(app.theme.status())
        .render(area, buf);
}

/// Clears where a pop-up goes, and the column on each side of it: a pop-up narrower than
/// the table beneath would otherwise leave single characters of the table's cells showing
/// beside its border. `area` bounds the clearing (its outermost columns, the frame's
/// border, are kept).
pub fn clear_popup(popup: Rect, area: Rect, buf: &mut Buffer) {
    let left = popup.x.saturating_sub(1).max(area.x.saturating_add(1));
    let right = popup
        .right()
        .saturating_add(1)
        .min(area.right().saturating_sub(1))
        .max(left);
    let margin = Rect::new(left, popup.y, right - left, popup.height).intersection(area);
    ratatui::widgets::Clear.render(margin, buf);
    ratatui::widgets::Clear.render(popup, buf);
}

/// The width of column `index` of a bordered table drawn in `area` with `widths`, as the
/// table lays its columns out (one column of spacing, no selection column).
#[must_use]
pub fn column_width(widths: &[Constraint], area: Rect, index: usize) -> usize {
    let inner = Rect::new(0, 0, area.width.saturating_sub(2), 1);
    Layout::horizontal(widths.iter().copied())
        .spacing(1)
        .split(inner)
        .get(index)
        .map_or(0, |r| usize::from(r.width))
}
