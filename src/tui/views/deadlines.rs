//! The bevakningslista: every open deadline, overdue first; the detail of one item (why it
//! is due, and the case's other open items); and the filter popup.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Cell, Paragraph, Row, Table, Widget, Wrap};

use super::caseload::{block, render_window, window};
use crate::domain::deadlines::{Item, Kind, Status, explain, relative};
use crate::text::signed;
use crate::tui::app::App;
use crate::tui::deadline_list::{Field, Horizon};

/// The kind's word, abbreviated where the window is narrow.
fn kind_label(kind: Kind, wide: bool) -> &'static str {
    match (kind, wide) {
        (Kind::Genomforandeplan, false) => "genomf.plan",
        (Kind::Verkstallighet, false) => "verkställ.",
        (k, _) => k.label(),
    }
}

/// Status as a word with a marker, and its colour: readable without colour.
pub fn status_cell(app: &App, status: Status) -> (String, Style) {
    status_cell_w(app, status, true)
}

fn status_cell_w(app: &App, status: Status, wide: bool) -> (String, Style) {
    let marker = match (status, app.theme.ascii) {
        (Status::Forsenad, false) => "▲ ",
        (Status::Forsenad, true) => "! ",
        (Status::Idag, false) => "● ",
        (Status::Idag, true) => "* ",
        _ => "  ",
    };
    let style = if app.theme.color {
        match status {
            Status::Forsenad => Style::new().fg(Color::Red),
            Status::Idag | Status::Vecka => Style::new().fg(Color::Yellow),
            Status::Kommande => Style::new(),
            Status::Senare => Style::new().fg(Color::DarkGray),
        }
    } else {
        Style::new()
    };
    let word = match (status, wide) {
        (Status::Vecka, false) => "vecka",
        (s, _) => s.label(),
    };
    (format!("{marker}{}", app.txt(word)), style)
}

fn worker_name<'a>(app: &'a App, id: Option<&'a str>) -> &'a str {
    id.map_or("–", |w| {
        app.deadlines
            .data
            .workers
            .get(w)
            .map_or(w, |(n, _)| n.as_str())
    })
}

/// The insats, or for a bevakning its own kind ("SIP", "Individuell plan LSS §10").
fn insats_name<'a>(app: &'a App, item: &'a Item) -> &'a str {
    if let Some((kind, _)) = item.followup.as_deref() {
        return kind;
    }
    item.insats_code.as_deref().map_or("", |c| {
        app.deadlines
            .data
            .insats_names
            .get(c)
            .map_or(c, String::as_str)
    })
}

/// The unit of the item's case, by name.
fn unit_of<'a>(app: &'a App, item: &Item) -> &'a str {
    let Some(id) = app.deadlines.data.case_of(item).map(|c| c.unit_id) else {
        return "";
    };
    app.units
        .iter()
        .find(|u| *u.unit_id == *id)
        .map_or("", |u| u.name.as_str())
}

fn label<'a>(app: &'a App, item: &'a Item) -> &'a str {
    app.deadlines
        .data
        .case_of(item)
        .and_then(|c| c.client_label)
        .unwrap_or("")
}

fn filter_summary(app: &App) -> String {
    let l = &app.deadlines;
    let mut parts = Vec::new();
    if let Some(k) = l.kind {
        parts.push(format!("typ {}", k.label()));
    }
    match (l.status, l.horizon) {
        (Some(s), _) => parts.push(format!("status {}", s.label())),
        // "<=" where only ASCII will do: "<" alone would mean something else.
        (None, Horizon::Days(n)) => {
            let at_most = if app.theme.ascii { "<=" } else { "≤" };
            parts.push(format!("{at_most} {n} dagar framåt"));
        }
        (None, Horizon::All) => parts.push("alla datum".into()),
    }
    if !l.search.is_empty() {
        // A search looks beyond the horizon: said, with how many it found there.
        let beyond = if l.beyond > 0 {
            format!(", {} efter horisonten", l.beyond)
        } else {
            String::new()
        };
        parts.push(format!("sök \"{}\"{beyond}", l.search));
    }
    parts.join(app.theme.sep())
}

pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    let l = &app.deadlines;
    let wide = area.width >= 120;
    // Room for the unit too: an enhetschef's list spans several.
    let widest = area.width >= 170;
    let (body, search) = if l.searching || !l.search.is_empty() {
        let [b, s] = Layout::vertical([Constraint::Min(0), Constraint::Length(1)]).areas(area);
        (b, Some(s))
    } else {
        (area, None)
    };
    let who = match &l.worker {
        Some(w) => format!("{} ({w})", worker_name(app, Some(w))),
        None => "hela urvalet".into(),
    };
    let title = format!(
        "Bevakningar: {who}{sep}{} visas, {} försenade{sep}{}",
        l.visible.len(),
        l.overdue,
        filter_summary(app),
        sep = app.theme.sep()
    );
    let mut header = vec![
        "Status",
        "Förfaller",
        "Dagar",
        "Typ",
        "Ärende",
        "Klient",
        "Insats",
    ];
    // 80 columns: short status and kind words, so the label and insats still fit.
    let mut widths = vec![
        Constraint::Length(if wide { 13 } else { 10 }),
        Constraint::Length(10),
        Constraint::Length(6),
        Constraint::Length(if wide { 16 } else { 11 }),
        Constraint::Length(14),
        Constraint::Length(11),
        if widest {
            Constraint::Length(26)
        } else {
            Constraint::Min(10)
        },
    ];
    if widest {
        header.push("Enhet");
        widths.push(Constraint::Min(16));
    }
    if wide {
        header.push("Handläggare");
        widths.push(Constraint::Length(22));
    }
    let header = Row::new(header.into_iter().map(|h| {
        // The arrow of the column sorted by, if any (see DeadlineList::COLUMNS).
        let k = crate::tui::deadline_list::DeadlineList::COLUMNS
            .iter()
            .position(|c| *c == h)
            .unwrap_or(usize::MAX);
        let arrow = crate::tui::table::arrow(l.sort, k, app.theme.ascii);
        Cell::from(app.txt(&format!("{h}{arrow}")).into_owned())
    }))
    .style(app.theme.header());
    let selected = (!l.visible.is_empty()).then_some(l.cursor.selected);
    let shown = window(&l.cursor, l.visible.len(), selected, body, 1);
    let rows = l.visible[shown.clone()].iter().map(|&ix| {
        let i = l.data.item(ix);
        let (status, style) = status_cell_w(app, i.status, wide);
        let mut cells = vec![
            Cell::from(Span::styled(status, style)),
            Cell::from(i.due.format("%Y-%m-%d").to_string()),
            Cell::from(Line::from(signed(i.days_left, app.theme.ascii)).right_aligned()),
            Cell::from(app.txt(kind_label(i.kind, wide)).into_owned()),
            Cell::from(app.txt(&i.case_id).into_owned()),
            Cell::from(app.txt(label(app, &i)).into_owned()),
            Cell::from(app.txt(insats_name(app, &i)).into_owned()),
        ];
        if widest {
            cells.push(Cell::from(app.txt(unit_of(app, &i)).into_owned()));
        }
        if wide {
            cells.push(Cell::from(
                app.txt(worker_name(app, i.worker_id.as_deref()))
                    .into_owned(),
            ));
        }
        Row::new(cells)
    });
    let table = Table::new(rows, widths)
        .header(header)
        .block(block(app, title, true))
        .row_highlight_style(app.theme.selected());
    render_window(table, body, buf, &l.cursor, shown, selected, 1);
    if l.visible.is_empty() && body.height > 3 {
        let inner = Rect::new(body.x + 2, body.y + 2, body.width.saturating_sub(4), 1);
        Line::from(Span::styled(
            app.txt("Inga bevakningar med de här filtren").into_owned(),
            app.theme.dim(),
        ))
        .render(inner, buf);
    }
    if let Some(s) = search {
        let cursor = if l.searching { "_" } else { "" };
        let hint = if l.searching {
            "  (Enter klar, Esc rensar)"
        } else {
            "  (Esc rensar)"
        };
        // What the search found beyond the horizon, where the title may be cut.
        let beyond = if l.beyond > 0 && !l.search.is_empty() {
            format!(
                "  {} träffar, {} efter horisonten",
                l.visible.len(),
                l.beyond
            )
        } else {
            String::new()
        };
        Line::from(vec![
            Span::styled(" Sök: ", app.theme.header()),
            Span::raw(format!("{}{cursor}", app.txt(&l.search))),
            Span::raw(beyond),
            Span::styled(app.txt(hint).into_owned(), app.theme.dim()),
        ])
        .render(s, buf);
    }
    if l.detail
        && let Some(item) = l.selected()
    {
        detail(app, &item, area, buf);
    }
    if let Some(field) = l.popup {
        popup(app, field, area, buf);
    }
}

fn detail(app: &App, item: &Item, area: Rect, buf: &mut Buffer) {
    let l = &app.deadlines;
    let info = l.data.case_of(item);
    let sep = app.theme.sep();
    let (status, style) = status_cell(app, item.status);
    let target = item
        .insats_code
        .as_ref()
        .and_then(|c| l.data.target_days.get(c).copied().flatten());
    let why = explain(item, &app.config.deadlines, target);
    let mut lines = vec![
        Line::from(vec![
            Span::styled(app.txt("Ärende ").into_owned(), app.theme.header()),
            Span::raw(format!(
                "{}{sep}{}{sep}{}",
                app.txt(&item.case_id),
                app.txt(label(app, item)),
                app.txt(info.and_then(|c| c.team).unwrap_or("–")),
            )),
        ]),
        Line::from(format!(
            "{}: {} ({})",
            app.txt("Handläggare"),
            app.txt(worker_name(app, item.worker_id.as_deref())),
            app.txt(item.worker_id.as_deref().unwrap_or("–"))
        )),
        Line::from(vec![
            Span::raw(format!(
                "{}{sep}{}{sep}",
                app.txt(item.kind.label()),
                app.txt(insats_name(app, item)),
            )),
            Span::styled(status, style),
        ]),
        Line::from(""),
        Line::from(Span::styled(
            app.txt("Varför").into_owned(),
            app.theme.header(),
        )),
        Line::from(app.txt(&why).into_owned()),
        Line::from(""),
    ];
    let others: Vec<Item> = l.data.same_case(item).collect();
    lines.push(Line::from(Span::styled(
        app.txt(&format!(
            "Andra öppna bevakningar i ärendet ({})",
            others.len()
        ))
        .into_owned(),
        app.theme.header(),
    )));
    for o in &others {
        lines.push(Line::from(format!(
            "  {}  {:<16}  {:<22}  {}",
            o.due.format("%Y-%m-%d"),
            app.txt(o.kind.label()),
            app.txt(insats_name(app, o)),
            app.txt(&relative(o.days_left)),
        )));
    }
    let height = u16::try_from(lines.len() + 4)
        .unwrap_or(u16::MAX)
        .min(area.height);
    let width = area.width.saturating_sub(4).min(100);
    let rect = area.centered(Constraint::Length(width), Constraint::Length(height));
    super::clear_popup(rect, area, buf);
    Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .block(
            Block::bordered()
                .border_set(app.theme.border())
                .border_style(app.theme.focused_border())
                .title(
                    app.txt(" Bevakning (Enter ärendekort, Esc stänger) ")
                        .into_owned(),
                )
                .title_style(app.theme.title()),
        )
        .render(rect, buf);
}

fn popup(app: &App, field: Field, area: Rect, buf: &mut Buffer) {
    let l = &app.deadlines;
    let value = |f: Field| -> String {
        match f {
            Field::Kind => l.kind.map_or("alla", |k| k.label()).to_string(),
            Field::Status => l.status.map_or("alla", |s| s.label()).to_string(),
            Field::Horizon => l.horizon.label(),
            Field::Worker => l.worker.as_deref().map_or_else(
                || "alla".to_string(),
                |w| worker_name(app, Some(w)).to_string(),
            ),
        }
    };
    let fields: Vec<(&str, String)> = Field::ALL.iter().map(|f| (f.label(), value(*f))).collect();
    let selected = Field::ALL.iter().position(|f| *f == field).unwrap_or(0);
    super::popup::filter(app, &fields, selected, area, buf);
}
