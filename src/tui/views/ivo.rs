//! The IVO report view: the quarter's rows (ej verkställda beslut and avbrott over three
//! months, each with its status on the report date) and, below them or beside them from
//! 190 columns, the nämnd's anonymised summary of those still waiting. The list names no
//! case; Enter opens a row's detail (logged like the bevakningslista's).

use std::collections::HashMap;

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Cell, Paragraph, Row, Table, Widget, Wrap};

use super::caseload::{block, render_window, window};
use crate::domain::ivo::{Band, Ivo, IvoRow, Kind, SummaryRow};
use crate::domain::processing::sex_name;
use crate::model::Sex;
use crate::tui::app::App;

/// The columns of the list, in screen order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Col {
    Kind,
    Status,
    StatusDate,
    Days,
    Insats,
    Law,
    Sex,
    Since,
    Offered,
    Reason,
    New,
}

impl Col {
    pub(crate) const ALL: [Col; 11] = [
        Col::Kind,
        Col::Status,
        Col::StatusDate,
        Col::Days,
        Col::Insats,
        Col::Law,
        Col::Sex,
        Col::Since,
        Col::Offered,
        Col::Reason,
        Col::New,
    ];

    /// Heading, (least) width, rank (the lowest ranked are left out first where the
    /// window is narrow) and whether it takes the room left.
    pub(crate) fn spec(self) -> (&'static str, u16, u8, bool) {
        match self {
            Col::Kind => ("Typ", 7, 9, false),
            Col::Status => ("Status", 13, 10, false),
            // The status's day, beside it: its heading is the status's.
            Col::StatusDate => ("", 10, 5, false),
            Col::Days => ("Dagar", 5, 10, false),
            Col::Insats => ("Insats", 14, 10, true),
            Col::Law => ("Lagrum", 6, 6, false),
            Col::Sex => ("Kön", 5, 8, false),
            Col::Since => ("Sedan", 10, 9, false),
            Col::Offered => ("Erbjudet", 10, 4, false),
            Col::Reason => ("Orsak", 12, 3, true),
            Col::New => ("Ny", 2, 9, false),
        }
    }

    fn numeric(self) -> bool {
        self == Col::Days
    }

    /// The cell's text, in Swedish words (the export writes the same).
    pub(crate) fn text(self, ivo: &Ivo, r: &IvoRow) -> String {
        let date = |d: Option<chrono::NaiveDate>| {
            d.map_or_else(String::new, |d| d.format("%Y-%m-%d").to_string())
        };
        match self {
            Col::Kind => kind_word(r.kind).to_string(),
            Col::Status => r.status.label().to_string(),
            Col::StatusDate => date(r.status_date),
            Col::Days => r.days.to_string(),
            Col::Insats => ivo.insats_name(&r.insats_code).to_string(),
            Col::Law => r.law.clone().unwrap_or_default(),
            Col::Sex => sex_short(r.sex).to_string(),
            Col::Since => date(since(r)),
            Col::Offered => date(r.offered),
            Col::Reason => reason(r).unwrap_or_default().to_string(),
            Col::New => if r.new { "ny" } else { "" }.to_string(),
        }
    }
}

/// "Beslut" or "Avbrott".
pub(crate) fn kind_word(kind: Kind) -> &'static str {
    match kind {
        Kind::Beslut => "Beslut",
        Kind::Avbrott => "Avbrott",
    }
}

/// `K`, `M` or `okänt`.
pub(crate) fn sex_short(sex: Option<Sex>) -> &'static str {
    sex.map_or("okänt", |s| s.as_str())
}

/// The day the row waits from: the decision, or the interruption.
fn since(r: &IvoRow) -> Option<chrono::NaiveDate> {
    match r.kind {
        Kind::Beslut => r.decided,
        Kind::Avbrott => r.interrupted,
    }
}

/// Why it waits: the reason for the delay, or for the interruption.
fn reason(r: &IvoRow) -> Option<&str> {
    match r.kind {
        Kind::Beslut => r.delay_reason.as_deref(),
        Kind::Avbrott => r.reason.as_deref().or(r.delay_reason.as_deref()),
    }
}

/// The list's columns that fit `width` (inside the borders).
pub(crate) fn fit_columns(width: u16) -> Vec<Col> {
    super::fit(Col::ALL.to_vec(), width, |c| {
        let (_, w, rank, _) = c.spec();
        (w, rank)
    })
}

/// One line of the summary: a group's count per band.
pub(crate) struct SummaryLine<'a> {
    pub kind: Kind,
    pub law: Option<&'a str>,
    pub insats_code: &'a str,
    pub sex: Option<Sex>,
    pub bands: [u64; 3],
}

impl SummaryLine<'_> {
    #[must_use]
    pub(crate) fn total(&self) -> u64 {
        self.bands.iter().sum()
    }
}

/// A line of the summary: kind, lagrum, insats code and kön.
type GroupKey<'a> = (Kind, Option<&'a str>, &'a str, Option<Sex>);

/// The summary by kind, lagrum, insats and kön, the bands side by side, in the summary's
/// order.
pub(crate) fn summary_lines(summary: &[SummaryRow]) -> Vec<SummaryLine<'_>> {
    let mut lines: Vec<SummaryLine<'_>> = Vec::new();
    let mut at: HashMap<GroupKey<'_>, usize> = HashMap::new();
    for s in summary {
        let key = (s.kind, s.law.as_deref(), s.insats_code.as_str(), s.sex);
        let i = *at.entry(key).or_insert_with(|| {
            lines.push(SummaryLine {
                kind: s.kind,
                law: s.law.as_deref(),
                insats_code: &s.insats_code,
                sex: s.sex,
                bands: [0; 3],
            });
            lines.len() - 1
        });
        lines[i].bands[s.band as usize] += s.count;
    }
    lines
}

pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    let ivo = &app.ivo.data;
    let lines = summary_lines(&ivo.summary);
    if area.width >= 190 {
        let [left, right] =
            Layout::horizontal([Constraint::Fill(1), Constraint::Length(76)]).areas(area);
        list(app, left, buf);
        summary(app, &lines, right, buf);
    } else {
        // The summary takes what it needs, leaving the list at least three rows.
        let want = u16::try_from(lines.len() + 4).unwrap_or(u16::MAX);
        let [top, bottom] = Layout::vertical([
            Constraint::Min(0),
            Constraint::Length(want.min(area.height.saturating_sub(6))),
        ])
        .areas(area);
        list(app, top, buf);
        summary(app, &lines, bottom, buf);
    }
    if app.ivo.detail
        && let Some(row) = app.ivo.selected()
    {
        detail(app, row, area, buf);
    }
}

fn right(text: String) -> Cell<'static> {
    Cell::from(Line::from(text).right_aligned())
}

fn list(app: &App, area: Rect, buf: &mut Buffer) {
    let s = &app.ivo;
    let ivo = &s.data;
    let view = &s.list;
    let cols = fit_columns(area.width.saturating_sub(2));
    let header = Row::new(cols.iter().map(|c| {
        let k = Col::ALL.iter().position(|x| x == c).unwrap_or(0);
        let head = app
            .txt(&format!("{}{}", c.spec().0, view.arrow(k, app.theme.ascii)))
            .into_owned();
        if c.numeric() {
            right(head)
        } else {
            Cell::from(head)
        }
    }))
    .style(app.theme.header());
    let widths: Vec<Constraint> = cols
        .iter()
        .map(|c| {
            let (_, w, _, fill) = c.spec();
            if fill {
                Constraint::Min(w)
            } else {
                Constraint::Length(w)
            }
        })
        .collect();
    let selected = (!view.is_empty()).then_some(view.cursor.selected);
    let shown = window(&view.cursor, view.order.len(), selected, area, 1);
    let rows = s
        .shown()
        .into_iter()
        .skip(shown.start)
        .take(shown.len())
        .map(|r| {
            Row::new(cols.iter().map(|c| {
                let text = app.txt(&c.text(ivo, r)).into_owned();
                if c.numeric() {
                    right(text)
                } else {
                    Cell::from(text)
                }
            }))
            // Those no longer waiting on the report date are reported once more, dimmed.
            .style(if r.status.waiting() {
                Style::new()
            } else {
                app.theme.dim()
            })
        });
    let quarter = ivo.quarter.map_or_else(String::new, |q| q.to_string());
    let mut title = format!(
        "IVO-rapport {quarter} per {}: {} rader, {} väntar, {} nya",
        ivo.report_date.format("%Y-%m-%d"),
        ivo.rows.len(),
        ivo.waiting(),
        ivo.new_rows()
    );
    if let Some(note) = view.search_note() {
        title.push_str(&format!("{}{note}", app.theme.sep()));
    }
    let table = Table::new(rows, widths)
        .header(header)
        .block(block(app, title, true))
        .row_highlight_style(app.theme.selected());
    render_window(table, area, buf, &view.cursor, shown, selected, 1);
    if view.search.active() {
        super::search_line(app, &view.search, area, buf);
    } else if ivo.rows.is_empty() {
        hint(
            app,
            area,
            buf,
            "Inget ej verkställt beslut eller avbrott i kvartalet",
            true,
        );
    } else {
        hint(
            app,
            area,
            buf,
            "[ ]: kvartal · Enter: detalj · Esc: tillbaka",
            false,
        );
    }
}

/// A dim line inside the bottom border (or under the header when the list is empty).
fn hint(app: &App, area: Rect, buf: &mut Buffer, text: &str, empty: bool) {
    if area.height < 4 || area.width < 6 {
        return;
    }
    let text = app.txt(&format!(" {text} ")).into_owned();
    let w = u16::try_from(crate::text::width(&text)).unwrap_or(u16::MAX);
    let w = w.min(area.width.saturating_sub(4));
    let (x, y) = if empty {
        (area.x + 2, area.y + 2)
    } else {
        (
            (area.x + area.width).saturating_sub(w + 2),
            area.y + area.height - 1,
        )
    };
    Line::from(Span::styled(text, app.theme.dim())).render(Rect::new(x, y, w, 1), buf);
}

fn summary(app: &App, lines: &[SummaryLine<'_>], area: Rect, buf: &mut Buffer) {
    let ivo = &app.ivo.data;
    let numeric = |t: &str| right(app.txt(t).into_owned());
    let mut head = vec![
        Cell::from("Typ"),
        Cell::from("Lagrum"),
        Cell::from("Insats"),
        Cell::from(app.txt("Kön").into_owned()),
    ];
    head.extend(Band::ALL.iter().map(|b| numeric(b.label())));
    head.push(numeric("Summa"));
    // Where not every line fits, the first that do and the total under them.
    let room = usize::from(area.height.saturating_sub(4));
    let shown = lines.len().min(room);
    let mut rows: Vec<Row<'_>> = lines[..shown]
        .iter()
        .map(|l| {
            let mut cells = vec![
                Cell::from(kind_word(l.kind)),
                Cell::from(app.txt(l.law.unwrap_or("–")).into_owned()),
                Cell::from(app.txt(ivo.insats_name(l.insats_code)).into_owned()),
                Cell::from(app.txt(sex_short(l.sex)).into_owned()),
            ];
            cells.extend(l.bands.iter().map(|n| right(n.to_string())));
            cells.push(right(l.total().to_string()));
            Row::new(cells)
        })
        .collect();
    let (totals, total) = ivo.band_totals();
    let mut sum = vec![
        Cell::from("Summa"),
        Cell::from(""),
        Cell::from(""),
        Cell::from(""),
    ];
    sum.extend(totals.iter().map(|n| right(n.to_string())));
    sum.push(right(total.to_string()));
    rows.push(Row::new(sum).style(app.theme.header()));
    let mut title = format!(
        "Nämndens sammanställning: väntar {} ({total})",
        ivo.report_date.format("%Y-%m-%d")
    );
    if shown < lines.len() {
        title.push_str(&format!(", {shown} av {} rader", lines.len()));
    }
    let table = Table::new(
        rows,
        [
            Constraint::Length(7),
            Constraint::Length(6),
            Constraint::Min(12),
            Constraint::Length(5),
            Constraint::Length(8),
            Constraint::Length(8),
            Constraint::Length(11),
            Constraint::Length(5),
        ],
    )
    .header(Row::new(head).style(app.theme.header()))
    .block(block(app, title, false));
    Widget::render(table, area, buf);
}

/// A row's detail: everything the report holds on it, the case named.
fn detail(app: &App, r: &IvoRow, area: Rect, buf: &mut Buffer) {
    let ivo = &app.ivo.data;
    let date = |d: Option<chrono::NaiveDate>| {
        d.map_or_else(|| "–".to_string(), |d| d.format("%Y-%m-%d").to_string())
    };
    let status = match r.status_date {
        Some(d) => format!("{} {}", r.status.label(), d.format("%Y-%m-%d")),
        None => r.status.label().to_string(),
    };
    let mut fields: Vec<(&str, String)> = vec![
        (
            "Ärende",
            match &r.client_label {
                Some(c) => format!("{} ({c})", r.case_id),
                None => r.case_id.clone(),
            },
        ),
        (
            "Handläggare",
            r.worker_id
                .as_deref()
                .map_or_else(|| "–".to_string(), |w| ivo.worker_name(w).to_string()),
        ),
        ("Typ", r.kind.label().to_string()),
        (
            "Insats",
            match &r.law {
                Some(l) => format!("{} ({l})", ivo.insats_name(&r.insats_code)),
                None => ivo.insats_name(&r.insats_code).to_string(),
            },
        ),
        ("Kön", sex_name(r.sex).to_string()),
        ("Beslut", date(r.decided)),
    ];
    if r.kind == Kind::Avbrott {
        fields.push(("Avbrott", date(r.interrupted)));
    }
    fields.extend([
        (
            "Status",
            format!("{status} (per {})", ivo.report_date.format("%Y-%m-%d")),
        ),
        ("Dagar", r.days.to_string()),
        ("Erbjudet", date(r.offered)),
        (
            "Orsak",
            reason(r).map_or_else(|| "–".to_string(), str::to_string),
        ),
        (
            "Ny",
            if r.new {
                "ja, inte i förra kvartalets rapport"
            } else {
                "nej, även i förra kvartalets rapport"
            }
            .to_string(),
        ),
    ]);
    let lines: Vec<Line<'_>> = fields
        .iter()
        .map(|(k, v)| {
            Line::from(vec![
                Span::styled(
                    app.txt(&format!(" {k:<12}")).into_owned(),
                    app.theme.header(),
                ),
                Span::raw(app.txt(v).into_owned()),
            ])
        })
        .collect();
    let height = u16::try_from(lines.len() + 2)
        .unwrap_or(u16::MAX)
        .min(area.height);
    let width = 72.min(area.width);
    let popup = area.centered(Constraint::Length(width), Constraint::Length(height));
    super::clear_popup(popup, area, buf);
    let block = Block::bordered()
        .border_set(app.theme.border())
        .border_style(app.theme.focused_border())
        .title(
            app.txt(" Detalj (Enter ärendekort, Esc stänger) ")
                .into_owned(),
        )
        .title_style(app.theme.title());
    Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .block(block)
        .render(popup, buf);
}
