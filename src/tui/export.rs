//! `e`: the current view, exactly as filtered on screen, written as a CSV file that Swedish
//! Excel opens directly or as an Excel workbook (`export_format`; unset, [`Choice`] asks).
//! The rows are formatted by the same report writers and workbook builders as
//! `bevaka report`, so an export and a report can never disagree.

use std::io::Write;
use std::path::{Path, PathBuf};

use color_eyre::Result;

use super::app::{App, View};
use crate::cli::Format;
use crate::config::ExportFormat;
use crate::report::xlsx::{Book, Cell, Sheet};
use crate::report::{self, CsvFlavour, Output, csv_text, csv_writer};

const OUTPUT: Output = Output {
    format: Format::Csv,
    csv: CsvFlavour::Excel,
    ascii: false,
};

/// The small choice `e` opens when `export_format` is not configured: CSV or Excel. While
/// it is open it takes every key; only the keys it shows work (↑↓, Enter, Esc; Ctrl-C
/// quits as everywhere).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Choice {
    pub selected: ExportFormat,
}

/// What a key did to the choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    Chosen(ExportFormat),
    Cancelled,
    Quit,
    Moved,
    Ignored,
}

impl Choice {
    /// The formats in the order shown, with their words.
    pub const ROWS: [(ExportFormat, &'static str); 2] = [
        (ExportFormat::Csv, "CSV-fil (för Excel)"),
        (ExportFormat::Xlsx, "Excel-arbetsbok (xlsx)"),
    ];

    #[must_use]
    pub fn new() -> Self {
        Self {
            selected: ExportFormat::Csv,
        }
    }

    pub fn handle_key(&mut self, key: crossterm::event::KeyEvent) -> Answer {
        use crossterm::event::{KeyCode, KeyModifiers};
        match key.code {
            KeyCode::Char('c') if key.modifiers.contains(KeyModifiers::CONTROL) => Answer::Quit,
            KeyCode::Esc => Answer::Cancelled,
            KeyCode::Enter => Answer::Chosen(self.selected),
            KeyCode::Up if self.selected != ExportFormat::Csv => {
                self.selected = ExportFormat::Csv;
                Answer::Moved
            }
            KeyCode::Down if self.selected != ExportFormat::Xlsx => {
                self.selected = ExportFormat::Xlsx;
                Answer::Moved
            }
            _ => Answer::Ignored,
        }
    }
}

impl Default for Choice {
    fn default() -> Self {
        Self::new()
    }
}

/// The file name's word for the current view: `bevaka-<view>-<date>.<ext>`.
fn view_word(view: View) -> &'static str {
    match view {
        View::Deadlines => "bevakningar",
        View::Summary => "per-handlaggare",
        // A drill-down is never the view (e does not work over one).
        View::Caseload | View::Cases | View::Card => "arenden",
        View::Goals => "mal-och-indikatorer",
        View::Processing => "handlaggningstid",
        View::Ivo => "ivo-rapport",
    }
}

/// Writes the current view to a new file in `dir` in `format` and returns its path and the
/// number of the view's rows in it (for the access log). Never overwrites:
/// a second export the same day gets `-2`, `-3` …. The file holds case references and
/// client labels: it is created readable by its owner only, and appears under its name
/// only when complete ([`crate::private_file::save_new`]).
///
/// # Errors
/// I/O and CSV errors, each naming the file and the cause in plain words ("disken är
/// full"); nothing is left in `dir` then.
pub fn export(app: &App, dir: &Path, format: ExportFormat) -> Result<(PathBuf, usize)> {
    let stem = format!(
        "bevaka-{}-{}",
        view_word(app.view),
        app.today.format("%Y-%m-%d")
    );
    // The rows first: nothing is created when they cannot be had.
    let mut buf = Vec::new();
    let rows = match format {
        ExportFormat::Csv => write_view(app, &mut buf)?,
        ExportFormat::Xlsx => write_book(app, &mut buf)?,
    };
    crate::private_file::save_new(dir, &stem, format.as_str(), |file| file.write_all(&buf))
        .map(|path| (path, rows))
        .map_err(color_eyre::eyre::Report::new)
}

/// The names the dashboard has loaded: the units, and the handläggare of the data shown.
fn names(app: &App) -> report::Names {
    let units = app
        .units
        .iter()
        .map(|u| (u.unit_id.clone(), u.name.clone()));
    let workers: Vec<(String, String)> = match app.view {
        View::Processing => app
            .processing
            .data
            .worker_names
            .clone()
            .into_iter()
            .collect(),
        View::Ivo => app.ivo.data.worker_names.clone().into_iter().collect(),
        _ => app
            .deadlines
            .data
            .workers
            .iter()
            .map(|(id, (name, _))| (id.clone(), name.clone()))
            .collect(),
    };
    report::Names::new(units, workers)
}

/// Writes the current view as a workbook to `out`; returns the number of the view's rows
/// in it (as [`write_view`] counts them). A view with a report is the report's workbook
/// ([`report::books`]) for the rows on screen; Per handläggare has a small one of its own.
///
/// # Errors
/// The workbook writer's errors and I/O errors.
pub fn write_book(app: &App, out: &mut dyn std::io::Write) -> Result<usize> {
    let names = names(app);
    let filter = &app.filter;
    let (book, rows) = match app.view {
        View::Deadlines => {
            let items = &app.deadlines.visible;
            let book = report::books::deadlines(
                &app.deadlines.data,
                report::deadlines::Listed::These(&app.deadlines.data, items),
                app.today,
                app.deadlines.worker.as_deref(),
                filter,
                &names,
            );
            report::xlsx::write(out, &book)?;
            return Ok(items.len());
        }
        View::Caseload | View::Cases | View::Card => {
            let mut shown = app.caseload.data.clone();
            shown.rows = app.caseload.insats_shown().into_iter().cloned().collect();
            shown.workers = app.caseload.workers_shown().into_iter().cloned().collect();
            let rows = shown
                .areas_with_cases()
                .iter()
                .map(|(_, r)| r.len())
                .sum::<usize>()
                + shown.workers.len();
            (report::books::caseload(&shown, filter, &names), rows)
        }
        View::Summary => summary_book(app, &names),
        View::Goals => {
            let shown = app.goals.shown_indicators();
            let indicators = app.goals.data.indicators.len();
            let rows = shown.iter().filter(|&&i| i < indicators).count();
            (
                report::books::indicators(&app.goals.data, &shown, &names),
                rows,
            )
        }
        View::Processing => {
            // The review as loaded for the screen, its two lists as searched and sorted.
            let s = &app.processing;
            let mut p = s.data.clone();
            p.over_target = s
                .over
                .order
                .iter()
                .filter_map(|&i| s.data.over_target.get(i).cloned())
                .collect();
            p.not_executed = s
                .not_executed
                .order
                .iter()
                .filter_map(|&i| s.data.not_executed.get(i).cloned())
                .collect();
            let rows =
                p.periods.len() + p.execution.len() + p.over_target.len() + p.not_executed.len();
            (report::books::processing(&p, filter, &names), rows)
        }
        View::Ivo => {
            let mut ivo = app.ivo.data.clone();
            ivo.rows = app.ivo.shown().into_iter().cloned().collect();
            let rows = ivo.rows.len();
            (report::books::ivo(&ivo, filter, &names), rows)
        }
    };
    report::xlsx::write(out, &book)?;
    Ok(rows)
}

/// Per handläggare: the screen's columns, a row per handläggare shown, and the total of
/// försenade the title shows.
fn summary_book(app: &App, names: &report::Names) -> (Book<'static>, usize) {
    use super::deadline_list::SummaryRows;
    let l = &app.deadlines;
    let mut book = Book::new("Bevakningar per handläggare");
    report::xlsx::about_filter(&mut book, names, &app.filter, None);
    book.about("Datum", Cell::Date(app.today));
    let all = l.summary();
    let teams = SummaryRows {
        rows: all,
        workers: &l.data.workers,
    };
    let mut sheet = Sheet::new(
        "Per handläggare",
        &[
            "Handläggare",
            "Handläggar-id",
            "Arbetsgrupp",
            "Försenade",
            "Inom 7 dagar",
            "Inom 30 dagar",
            "Alla",
        ],
    );
    let shown = l.summary_shown();
    for s in &shown {
        sheet.rows.push(vec![
            Cell::text(SummaryRows::name(s)),
            Cell::opt_text(s.worker_id.as_deref()),
            Cell::opt_text(teams.team(s)),
            Cell::count(s.overdue),
            Cell::count(s.week),
            Cell::count(s.month),
            Cell::count(s.total),
        ]);
    }
    let sum = |f: fn(&crate::domain::deadlines::WorkerSummary) -> u64| {
        Cell::count(all.iter().map(f).sum())
    };
    sheet.totals.push(vec![
        Cell::text("Summa"),
        Cell::Empty,
        Cell::Empty,
        sum(|s| s.overdue),
        sum(|s| s.week),
        sum(|s| s.month),
        sum(|s| s.total),
    ]);
    book.sheets.push(sheet);
    (book, shown.len())
}

/// The current view's rows as CSV; returns how many of the view's rows it wrote (not
/// counting headings, nor the IVO report's summary).
///
/// # Errors
/// I/O and CSV errors.
pub fn write_view(app: &App, out: &mut dyn Write) -> Result<usize> {
    match app.view {
        View::Deadlines => {
            let items = &app.deadlines.visible;
            report::deadlines::write(
                out,
                &app.deadlines.data,
                report::deadlines::Listed::These(&app.deadlines.data, items),
                app.today,
                app.deadlines.worker.as_deref(),
                OUTPUT,
            )?;
            Ok(items.len())
        }
        View::Caseload | View::Cases | View::Card => {
            // The rows on screen: what the search left, in the order sorted.
            let mut shown = app.caseload.data.clone();
            shown.rows = app.caseload.insats_shown().into_iter().cloned().collect();
            shown.workers = app.caseload.workers_shown().into_iter().cloned().collect();
            report::caseload::write(out, &shown, &app.filter, &names(app), OUTPUT)?;
            Ok(shown.rows.len() + shown.workers.len())
        }
        View::Summary => {
            let flavour = OUTPUT.csv;
            let mut w = csv_writer(out, flavour)?;
            w.write_record([
                "handläggare_id",
                "handläggare",
                "försenade",
                "inom_7_dagar",
                "inom_30_dagar",
                "alla",
            ])?;
            let mut rows = 0;
            for s in app.deadlines.summary_shown() {
                rows += 1;
                w.write_record([
                    csv_text(s.worker_id.as_deref().unwrap_or(""), flavour),
                    csv_text(s.name.as_deref().unwrap_or(""), flavour),
                    s.overdue.to_string(),
                    s.week.to_string(),
                    s.month.to_string(),
                    s.total.to_string(),
                ])?;
            }
            w.flush()?;
            Ok(rows)
        }
        View::Goals => {
            let shown = app.goals.shown_indicators();
            report::indicators::write(out, &app.goals.data, &shown, app.unit_name(), OUTPUT)?;
            let indicators = app.goals.data.indicators.len();
            Ok(shown.iter().filter(|&&i| i < indicators).count())
        }
        View::Processing => write_review(app, out),
        View::Ivo => write_ivo(app, out),
    }
}

/// The review: the pane that has focus, as on screen — the periods of the chosen measure
/// and kind (split by kön when it is), the chosen period's breakdown, or one of the two
/// lists.
fn write_review(app: &App, out: &mut dyn Write) -> Result<usize> {
    use crate::domain::processing::{Measure, SEXES, sex_name};
    use crate::tui::processing_state::Pane;
    let s = &app.processing;
    let flavour = OUTPUT.csv;
    let number = |v: Option<f64>, decimals: i32| {
        let scale = 10_f64.powi(decimals);
        v.map_or_else(String::new, |v| {
            report::csv_number((v * scale).round() / scale, flavour)
        })
    };
    let whole = |v: Option<i64>| v.map_or_else(String::new, |v| v.to_string());
    let (count, within) = match s.measure {
        Measure::Handlaggning => ("beslut", "inom_mål"),
        Measure::Verkstallighet => ("startade", "inom_3_mån"),
    };
    let mut w = csv_writer(out, flavour)?;
    let stats_row = |label: Vec<String>, st: &crate::domain::processing::Stats| {
        let mut row = label;
        row.extend([
            st.decisions.to_string(),
            number(st.median_days, 1),
            number(st.mean_days, 2),
            whole(st.p90_days),
            whole(st.max_days),
            number(st.within_target(), 4),
        ]);
        row
    };
    let focus = s.pane;
    // Every record after the heading is a row of the pane.
    let mut rows = 0;
    match focus {
        Pane::Quarters => {
            let kind = s.data.kind.heading().to_lowercase();
            let mut head = vec![kind.as_str(), "kön", count];
            head.extend([
                "median_dagar",
                "medel_dagar",
                "p90_dagar",
                "max_dagar",
                within,
            ]);
            w.write_record(&head)?;
            for p in s.periods() {
                w.write_record(stats_row(
                    vec![p.period.to_string(), "alla".into()],
                    &p.stats,
                ))?;
                rows += 1;
                if s.by_sex {
                    for (st, sex) in p.by_sex.iter().zip(SEXES) {
                        let label = vec![p.period.to_string(), sex_name(sex).to_string()];
                        w.write_record(stats_row(label, st))?;
                        rows += 1;
                    }
                }
            }
        }
        Pane::Breakdown => {
            let by = match s.by {
                crate::domain::processing::By::Insats => "insats",
                crate::domain::processing::By::Worker => "handläggare",
                crate::domain::processing::By::Sex => "kön",
            };
            let mut head = vec!["period", by, count];
            head.extend([
                "median_dagar",
                "medel_dagar",
                "p90_dagar",
                "max_dagar",
                within,
            ]);
            w.write_record(&head)?;
            let period = s.period().map(|p| p.period.to_string()).unwrap_or_default();
            for g in s.breakdown_shown() {
                let name = g.name.clone().or_else(|| g.key.clone()).unwrap_or_default();
                w.write_record(stats_row(
                    vec![period.clone(), csv_text(&name, flavour)],
                    &g.stats,
                ))?;
                rows += 1;
            }
        }
        Pane::OverTarget | Pane::NotExecuted => {
            let over = focus == Pane::OverTarget;
            w.write_record([
                if over { "inkom" } else { "beslutad" },
                "dagar",
                "ärende",
                "insats",
                "handläggare",
            ])?;
            let p = &s.data;
            let list: Vec<[String; 5]> = if over {
                s.over
                    .order
                    .iter()
                    .filter_map(|&i| p.over_target.get(i))
                    .map(|o| {
                        [
                            o.received.format("%Y-%m-%d").to_string(),
                            o.days_waiting.to_string(),
                            csv_text(&o.case_id, flavour),
                            csv_text(p.insats_name(&o.insats_code), flavour),
                            csv_text(p.worker_name(o.worker_id.as_deref()).unwrap_or(""), flavour),
                        ]
                    })
                    .collect()
            } else {
                s.not_executed
                    .order
                    .iter()
                    .filter_map(|&i| p.not_executed.get(i))
                    .map(|n| {
                        [
                            n.decided.format("%Y-%m-%d").to_string(),
                            n.days_waiting.to_string(),
                            csv_text(&n.case_id, flavour),
                            csv_text(p.insats_name(&n.insats_code), flavour),
                            csv_text(p.worker_name(n.worker_id.as_deref()).unwrap_or(""), flavour),
                        ]
                    })
                    .collect()
            };
            for r in &list {
                w.write_record(r)?;
            }
            rows = list.len();
        }
    }
    w.flush()?;
    Ok(rows)
}

/// The IVO view: its rows with every column of the list, then the nämnd's summary, with
/// the screen's Swedish words.
fn write_ivo(app: &App, out: &mut dyn Write) -> Result<usize> {
    use super::views::ivo::{Col, kind_word, sex_short, summary_lines};
    let ivo = &app.ivo.data;
    let flavour = OUTPUT.csv;
    // As `csv_writer` writes for Excel (a BOM, `;`, CRLF), but with records of different
    // lengths: two tables of different widths in one file.
    out.write_all("\u{feff}".as_bytes())?;
    let mut w = csv::WriterBuilder::new()
        .delimiter(b';')
        .terminator(csv::Terminator::CRLF)
        .flexible(true)
        .from_writer(out);
    let quarter = ivo.quarter.map_or_else(String::new, |q| q.to_string());
    let date = ivo.report_date.format("%Y-%m-%d").to_string();
    w.write_record(["IVO-rapport", quarter.as_str(), "per", date.as_str()])?;
    w.write_record(Col::ALL.iter().map(|c| match c {
        Col::StatusDate => "Statusdatum",
        c => c.spec().0,
    }))?;
    let mut rows = 0;
    for r in app.ivo.shown() {
        w.write_record(Col::ALL.iter().map(|c| csv_text(&c.text(ivo, r), flavour)))?;
        rows += 1;
    }
    w.write_record([""])?;
    w.write_record(["Nämndens sammanställning", "väntar", date.as_str()])?;
    let mut head = vec!["Typ", "Lagrum", "Insats", "Kön"];
    head.extend(crate::domain::ivo::Band::ALL.iter().map(|b| b.label()));
    head.push("Summa");
    w.write_record(&head)?;
    for l in summary_lines(&ivo.summary) {
        let mut record = vec![
            kind_word(l.kind).to_string(),
            csv_text(l.law.unwrap_or(""), flavour),
            csv_text(ivo.insats_name(l.insats_code), flavour),
            sex_short(l.sex).to_string(),
        ];
        record.extend(l.bands.iter().map(u64::to_string));
        record.push(l.total().to_string());
        w.write_record(&record)?;
    }
    let (totals, total) = ivo.band_totals();
    let mut sum = vec![
        "Summa".to_string(),
        String::new(),
        String::new(),
        String::new(),
    ];
    sum.extend(totals.iter().map(u64::to_string));
    sum.push(total.to_string());
    w.write_record(&sum)?;
    w.flush()?;
    Ok(rows)
}
