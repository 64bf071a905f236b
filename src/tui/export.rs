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
    }
}
