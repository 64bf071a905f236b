//! `bevaka report`: the views' figures as text, CSV or JSON, without a terminal.
//!
//! The figures come from [`crate::domain`], exactly as the screens get them; this module only
//! formats. Text and CSV output pass every snapshot string through [`crate::text::clean`];
//! JSON escapes by construction.

pub mod books;
pub mod caseload;
pub mod cases;
pub mod deadlines;
pub mod indicators;
pub mod ivo;
pub mod processing;
pub mod xlsx;

use std::borrow::Cow;
use std::collections::HashMap;
use std::io::Write;

use crate::cli::Format;

/// How a CSV report is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CsvFlavour {
    /// What Swedish Excel opens directly: `;`, decimal comma, UTF-8 BOM, CRLF.
    Excel,
    /// RFC 4180: `,`, decimal point, no BOM, CRLF.
    Plain,
}

/// The output options of every report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Output {
    pub format: Format,
    pub csv: CsvFlavour,
    pub ascii: bool,
}

/// Writes a text report, in ASCII where only ASCII will do.
///
/// # Errors
/// I/O errors (a closed pipe among them).
pub fn write_text(out: &mut dyn Write, text: &str, ascii: bool) -> std::io::Result<()> {
    if ascii {
        out.write_all(crate::text::to_ascii(text).as_bytes())
    } else {
        out.write_all(text.as_bytes())
    }
}

/// A CSV writer configured for `flavour`, BOM already written for Excel.
///
/// # Errors
/// I/O errors writing the BOM.
pub fn csv_writer<W: Write>(mut out: W, flavour: CsvFlavour) -> std::io::Result<csv::Writer<W>> {
    let delimiter = match flavour {
        CsvFlavour::Excel => {
            out.write_all("\u{feff}".as_bytes())?;
            b';'
        }
        CsvFlavour::Plain => b',',
    };
    Ok(csv::WriterBuilder::new()
        .delimiter(delimiter)
        .terminator(csv::Terminator::CRLF)
        .from_writer(out))
}

/// A snapshot string made safe for a CSV cell: no control characters, and for Excel no
/// leading `=`, `+`, `-`, `@` that would make the cell a formula.
#[must_use]
pub fn csv_text(s: &str, flavour: CsvFlavour) -> String {
    csv_field(s, flavour).into_owned()
}

/// [`csv_text`], borrowed where nothing changed: for the long reports, a city's
/// bevakningslista writes over half a million such fields.
#[must_use]
pub fn csv_field(s: &str, flavour: CsvFlavour) -> Cow<'_, str> {
    let s = crate::text::clean(s);
    if flavour == CsvFlavour::Excel && s.starts_with(['=', '+', '-', '@']) {
        Cow::Owned(format!("'{s}"))
    } else {
        s
    }
}

/// A decimal number for CSV: decimal comma for Excel.
#[must_use]
pub fn csv_number(value: f64, flavour: CsvFlavour) -> String {
    let text = format!("{value}");
    match flavour {
        CsvFlavour::Excel => text.replace('.', ","),
        CsvFlavour::Plain => text,
    }
}

/// The names behind the ids a report shows: the unit's name in a heading, the
/// handläggare's name beside the id.
#[derive(Debug, Clone, Default)]
pub struct Names {
    units: HashMap<String, String>,
    workers: HashMap<String, String>,
}

impl Names {
    /// Every unit and handläggare of the snapshot.
    ///
    /// # Errors
    /// SQLite errors.
    pub fn load(conn: &rusqlite::Connection) -> rusqlite::Result<Self> {
        let units = crate::snapshot::queries::units(conn)?
            .into_iter()
            .map(|u| (u.unit_id, u.name))
            .collect();
        let all = crate::snapshot::queries::Filter::default();
        let workers = crate::snapshot::queries::case_workers(conn, &all)?
            .into_iter()
            .map(|w| (w.worker_id, w.name))
            .collect();
        Ok(Self { units, workers })
    }

    /// The names given: `(unit_id, name)` and `(worker_id, name)` pairs (the dashboard's,
    /// which has them loaded already).
    #[must_use]
    pub fn new(
        units: impl IntoIterator<Item = (String, String)>,
        workers: impl IntoIterator<Item = (String, String)>,
    ) -> Self {
        Self {
            units: units.into_iter().collect(),
            workers: workers.into_iter().collect(),
        }
    }

    /// "Beställarenheten funktionsnedsättning (BFN)", or the id when the snapshot has no
    /// such unit.
    #[must_use]
    pub fn unit(&self, id: &str) -> String {
        match self.units.get(id) {
            Some(name) => format!("{} ({})", crate::text::clean(name), crate::text::clean(id)),
            None => crate::text::clean(id).into_owned(),
        }
    }

    /// The handläggare's name, if the snapshot has it.
    #[must_use]
    pub fn worker_name(&self, id: &str) -> Option<&str> {
        self.workers.get(id).map(String::as_str)
    }

    /// "Anna Berg (H101)", or the id alone.
    #[must_use]
    pub fn worker(&self, id: &str) -> String {
        match self.workers.get(id) {
            Some(name) => format!("{} ({})", crate::text::clean(name), crate::text::clean(id)),
            None => crate::text::clean(id).into_owned(),
        }
    }

    /// A text report's heading: `title`, what narrows it besides the unit in parentheses
    /// (arbetsgrupp, then `more`: insats, handläggare …; "alla enheter" when nothing does),
    /// `suffix`, and then the unit by name on a line of its own: "Enhet: Beställarenheten
    /// funktionsnedsättning (BFN)". Ends with a newline.
    #[must_use]
    pub fn heading(
        &self,
        title: &str,
        suffix: &str,
        filter: &crate::snapshot::queries::Filter,
        more: &[String],
    ) -> String {
        let mut parts: Vec<String> = filter
            .team
            .iter()
            .map(|t| format!("arbetsgrupp {}", crate::text::clean(t)))
            .collect();
        parts.extend(more.iter().cloned());
        let mut s = title.to_string();
        match (&filter.unit_id, parts.is_empty()) {
            (None, true) => s.push_str(" (alla enheter)"),
            (_, false) => s.push_str(&format!(" ({})", parts.join(", "))),
            (Some(_), true) => {}
        }
        s.push_str(suffix);
        s.push('\n');
        if let Some(u) = &filter.unit_id {
            s.push_str(&format!("Enhet: {}\n", self.unit(u)));
        }
        s
    }
}
