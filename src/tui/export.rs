//! `e`: the current view, exactly as filtered on screen, written as a CSV file that Swedish
//! Excel opens directly. The rows are formatted by the same report writers as
//! `bevaka report`, so an export and a report can never disagree.

use std::fs::OpenOptions;
use std::io::Write;
use std::path::{Path, PathBuf};

use color_eyre::Result;

use super::app::{App, View};
use crate::cli::Format;
use crate::report::{self, CsvFlavour, Output, csv_text, csv_writer};

const OUTPUT: Output = Output {
    format: Format::Csv,
    csv: CsvFlavour::Excel,
    ascii: false,
};

/// Writes the current view to a new file in `dir` and returns its path. Never overwrites:
/// a second export the same day gets `-2`, `-3` ….
///
/// # Errors
/// I/O and CSV errors.
pub fn export(app: &App, dir: &Path) -> Result<PathBuf> {
    let name = match app.view {
        View::Deadlines => "bevakningar",
        View::Summary => "per-handlaggare",
        View::Caseload => "arenden",
        View::Goals => "mal-och-indikatorer",
        View::Processing => "handlaggningstid",
        View::Ivo => "ivo-rapport",
    };
    let stem = format!("bevaka-{name}-{}", app.today.format("%Y-%m-%d"));
    let (path, mut file) = (1..1000)
        .find_map(|n| {
            let file_name = if n == 1 {
                format!("{stem}.csv")
            } else {
                format!("{stem}-{n}.csv")
            };
            let path = dir.join(file_name);
            OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
                .ok()
                .map(|f| (path, f))
        })
        .ok_or_else(|| color_eyre::eyre::eyre!("hittar inget ledigt filnamn för {stem}.csv"))?;
    let mut buf = Vec::new();
    write_view(app, &mut buf)?;
    file.write_all(&buf)?;
    file.sync_all()?;
    Ok(path)
}

/// The current view's rows as CSV.
///
/// # Errors
/// I/O and CSV errors.
pub fn write_view(app: &App, out: &mut dyn Write) -> Result<()> {
    match app.view {
        View::Deadlines => {
            let items: Vec<_> = app.deadlines.shown().collect();
            report::deadlines::write(
                out,
                &app.deadlines.data,
                &items,
                app.today,
                app.deadlines.worker.as_deref(),
                OUTPUT,
            )
        }
        View::Caseload => {
            let mut shown = app.caseload.clone();
            shown.rows = app.insats_rows().into_iter().cloned().collect();
            report::caseload::write(out, &shown, &app.filter, OUTPUT)
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
            for s in app.deadlines.summary() {
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
            Ok(())
        }
        View::Goals => {
            let shown = app.goals.shown_indicators();
            report::indicators::write(out, &app.goals.data, &shown, app.unit_name(), OUTPUT)
        }
        View::Processing => {
            report::processing::write(out, &app.processing.data, &app.filter, OUTPUT)
        }
        View::Ivo => write_ivo(app, out),
    }
}

/// The IVO view: its rows with every column of the list, then the nämnd's summary, with
/// the screen's Swedish words.
fn write_ivo(app: &App, out: &mut dyn Write) -> Result<()> {
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
    for r in &ivo.rows {
        w.write_record(Col::ALL.iter().map(|c| csv_text(&c.text(ivo, r), flavour)))?;
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
    Ok(())
}
