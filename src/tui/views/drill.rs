//! Drawing the drill-downs over the view they were opened from: the cases behind a figure
//! (a list with the keys of every list) and one case's card (the text `bevaka report case`
//! prints, wrapped to the window and scrolled).

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Cell, Clear, Paragraph, Row, Table, Widget};

use super::caseload::{render_window, window};
use crate::domain::processing::Measure;
use crate::report::cases::{card_text, list_heading};
use crate::tui::app::App;
use crate::tui::drill::{CardLayer, CasesLayer, DecisionsLayer, Layer};

pub fn render(app: &App, layer: &Layer, area: Rect, buf: &mut Buffer) {
    Clear.render(area, buf);
    match layer {
        Layer::Cases(l) => cases(app, l, area, buf),
        Layer::Decisions(l) => decisions(app, l, area, buf),
        Layer::Card(c) => card(app, c, area, buf),
        Layer::Jump(_) => {}
    }
}

fn block<'a>(app: &App, title: &str) -> Block<'a> {
    Block::bordered()
        .border_set(app.theme.border())
        .border_style(app.theme.focused_border())
        .title(Span::styled(
            app.txt(&format!(" {title} ")).into_owned(),
            app.theme.title(),
        ))
        // Esc is the way out of every drill-down; said where the eye is.
        .title_bottom(Line::from(" Esc tillbaka ").right_aligned())
}

fn cases(app: &App, l: &CasesLayer, area: Rect, buf: &mut Buffer) {
    // The report's own heading: what the list is, for which filter, and how many.
    // The unit is on the filter line above: the title's first line does without it.
    let heading = list_heading(&l.list, &l.filter, &crate::report::Names::default());
    let mut title = heading.lines().next().unwrap_or_default().to_string();
    let view = &l.view;
    if let Some(note) = view.search_note() {
        title.push_str(&format!("{}{note}", app.theme.sep()));
    }
    let cases = &l.list.cases;
    let selected = (!view.is_empty()).then_some(view.cursor.selected);
    let shown = window(&view.cursor, view.len(), selected, area, 1);
    let ascii = app.theme.ascii;
    let header = Row::new(
        [
            "Ärende",
            "Klient",
            "Handläggare",
            "Arbetsgrupp",
            "Öppnat",
            "Kön",
        ]
        .iter()
        .enumerate()
        .map(|(k, h)| {
            Cell::from(
                app.txt(&format!("{h}{}", view.arrow(k, ascii)))
                    .into_owned(),
            )
        }),
    )
    .style(app.theme.header());
    let rows = view.order[shown.clone()]
        .iter()
        .map(|&i| &cases[i])
        .map(|c| {
            let worker = c
                .worker_id
                .as_deref()
                .map_or("–", |w| l.list.worker_name(w));
            Row::new(vec![
                Cell::from(app.txt(&c.case_id).into_owned()),
                Cell::from(
                    app.txt(c.client_label.as_deref().unwrap_or("–"))
                        .into_owned(),
                ),
                Cell::from(app.txt(worker).into_owned()),
                Cell::from(app.txt(c.team.as_deref().unwrap_or("–")).into_owned()),
                Cell::from(c.opened.format("%Y-%m-%d").to_string()),
                Cell::from(
                    app.txt(c.sex.map_or("okänt", crate::model::Sex::as_str))
                        .into_owned(),
                ),
            ])
        });
    let widest = |f: &dyn Fn(&crate::model::Case) -> usize, head: &str| {
        let w = cases.iter().map(f).max().unwrap_or(0);
        u16::try_from(w.max(crate::text::width(head)).min(24)).unwrap_or(24)
    };
    let id_w = widest(&|c| crate::text::width(&c.case_id), "Ärende");
    let client_w = widest(
        &|c| crate::text::width(c.client_label.as_deref().unwrap_or("")),
        "Klient",
    );
    let table = Table::new(
        rows,
        [
            Constraint::Length(id_w),
            Constraint::Length(client_w),
            Constraint::Fill(1),
            // Team names share long beginnings ("Funktionsnedsättning vuxna", "… barn"):
            // the wider share keeps them apart.
            Constraint::Fill(2),
            Constraint::Length(10),
            Constraint::Length(5),
        ],
    )
    .header(header)
    .block(block(app, &title))
    .row_highlight_style(app.theme.selected());
    render_window(table, area, buf, &view.cursor, shown, selected, 1);
    super::search_line(app, &view.search, area, buf);
    if view.is_empty() && area.height > 3 {
        let inner = Rect::new(area.x + 2, area.y + 2, area.width.saturating_sub(4), 1);
        Line::from(Span::styled(
            app.txt("Inga ärenden").into_owned(),
            app.theme.dim(),
        ))
        .render(inner, buf);
    }
}

fn decisions(app: &App, l: &DecisionsLayer, area: Rect, buf: &mut Buffer) {
    let all = &l.list.decisions;
    let view = &l.view;
    let mut title = l.list.heading();
    if let Some(note) = view.search_note() {
        title.push_str(&format!("{}{note}", app.theme.sep()));
    }
    // The days counted from and to: ansökan → beslut, or beslut → start.
    let (from_head, to_head) = match l.list.measure {
        Measure::Handlaggning => ("Inkom", "Beslut"),
        Measure::Verkstallighet => ("Beslut", "Start"),
    };
    let selected = (!view.is_empty()).then_some(view.cursor.selected);
    let shown = window(&view.cursor, view.len(), selected, area, 1);
    let ascii = app.theme.ascii;
    let head = |k: usize, s: &str| {
        app.txt(&format!("{s}{}", view.arrow(k, ascii)))
            .into_owned()
    };
    let right = |s: String| Cell::from(Line::from(s).right_aligned());
    let header = Row::new(vec![
        Cell::from(head(0, "Ärende")),
        Cell::from(head(1, "Klient")),
        Cell::from(head(2, "Insats")),
        Cell::from(head(3, "Handläggare")),
        Cell::from(head(4, from_head)),
        Cell::from(head(5, to_head)),
        right(head(6, "Dagar")),
        right(head(7, "Mål")),
    ])
    .style(app.theme.header());
    let rows = view.order[shown.clone()].iter().map(|&i| &all[i]).map(|d| {
        let r = &d.row;
        let worker = r
            .worker_id
            .as_deref()
            .map_or("–", |w| l.list.worker_name(w));
        let target = d
            .target_days
            .map_or_else(|| "–".to_string(), |t| t.to_string());
        let row = Row::new(vec![
            Cell::from(app.txt(&r.case_id).into_owned()),
            Cell::from(
                app.txt(r.client_label.as_deref().unwrap_or("–"))
                    .into_owned(),
            ),
            Cell::from(app.txt(l.list.insats_name(&r.insats_code)).into_owned()),
            Cell::from(app.txt(worker).into_owned()),
            Cell::from(r.from.format("%Y-%m-%d").to_string()),
            Cell::from(r.to.format("%Y-%m-%d").to_string()),
            right(d.days.to_string()),
            right(app.txt(&target).into_owned()),
        ]);
        if d.target_days.is_some_and(|t| d.days > t) {
            row.style(app.theme.warning())
        } else {
            row
        }
    });
    let id_w = all
        .iter()
        .map(|d| crate::text::width(&d.row.case_id))
        .max()
        .unwrap_or(0)
        .clamp(6, 24);
    let table = Table::new(
        rows,
        [
            Constraint::Length(u16::try_from(id_w).unwrap_or(24)),
            Constraint::Length(9),
            Constraint::Fill(1),
            Constraint::Fill(1),
            Constraint::Length(10),
            Constraint::Length(10),
            Constraint::Length(6),
            Constraint::Length(4),
        ],
    )
    .header(header)
    .block(block(app, &title))
    .row_highlight_style(app.theme.selected());
    render_window(table, area, buf, &view.cursor, shown, selected, 1);
    super::search_line(app, &view.search, area, buf);
    if view.is_empty() && area.height > 3 {
        let inner = Rect::new(area.x + 2, area.y + 2, area.width.saturating_sub(4), 1);
        Line::from(Span::styled(
            app.txt("Inga beslut").into_owned(),
            app.theme.dim(),
        ))
        .render(inner, buf);
    }
}

/// `line` broken at spaces into lines of at most `width` columns, the parts after the
/// first indented two more than the line itself.
fn wrap(line: &str, width: usize) -> Vec<String> {
    if crate::text::width(line) <= width || width < 20 {
        return vec![line.to_string()];
    }
    let rest = line.trim_start_matches(' ');
    let indent = line.len() - rest.len();
    let mut out = Vec::new();
    let mut cur = " ".repeat(indent);
    let mut started = false;
    // Split at single spaces, so that runs of spaces (aligned columns) are kept.
    for word in rest.split(' ') {
        if !started && word.is_empty() && !out.is_empty() {
            continue;
        }
        if started && crate::text::width(&cur) + 1 + crate::text::width(word) > width {
            out.push(std::mem::replace(&mut cur, " ".repeat(indent + 2)));
            started = false;
            if word.is_empty() {
                continue;
            }
        }
        if started {
            cur.push(' ');
        }
        cur.push_str(word);
        started = true;
    }
    out.push(cur);
    out
}

fn card(app: &App, c: &CardLayer, area: Rect, buf: &mut Buffer) {
    let text = card_text(&c.card);
    let mut lines = text.lines();
    let title = lines.next().unwrap_or_default().to_string();
    let inner_w = usize::from(area.width.saturating_sub(2));
    let body: Vec<Line<'_>> = lines
        .flat_map(|l| {
            let l = app.txt(l).into_owned();
            // Section headings are the lines that do not start with a space.
            let style = if l.starts_with(' ') || l.is_empty() {
                Style::new()
            } else {
                app.theme.header()
            };
            wrap(&l, inner_w.saturating_sub(1))
                .into_iter()
                .map(move |w| Line::from(Span::styled(format!(" {w}"), style)))
        })
        .collect();
    let visible = usize::from(area.height.saturating_sub(2));
    c.page.set(visible.max(1));
    c.lines.set(body.len());
    let scroll = c.scroll.min(body.len().saturating_sub(visible));
    let more = body.len().saturating_sub(scroll + visible);
    let title = if scroll > 0 || more > 0 {
        format!(
            "{title} · rad {}–{} av {}",
            scroll + 1,
            (scroll + visible).min(body.len()),
            body.len()
        )
    } else {
        title
    };
    Paragraph::new(body)
        .scroll((u16::try_from(scroll).unwrap_or(u16::MAX), 0))
        .block(block(app, &title))
        .render(area, buf);
}

#[cfg(test)]
mod tests {
    use super::wrap;

    #[test]
    fn wrap_keeps_indentation_and_indents_what_follows() {
        let line = "    beslut 2003-01-18, start 2003-04-03, slut –, utförare Lindens hemtjänst AB";
        let got = wrap(line, 40);
        assert!(got.iter().all(|l| crate::text::width(l) <= 40), "{got:?}");
        assert!(got[0].starts_with("    beslut"));
        assert!(got[1].starts_with("      ") && !got[1].starts_with("       "));
        assert_eq!(
            got.join(" ").split_whitespace().collect::<Vec<_>>(),
            line.split_whitespace().collect::<Vec<_>>()
        );
        assert_eq!(wrap("  short", 40), ["  short"]);
    }
}
