//! The CSV importer behind `bevaka snapshot build --from DIR`: reads the one-file-per-table
//! CSV export of DOMAIN.md into a [`Dataset`], validating every value, key and reference,
//! so that only a consistent snapshot is ever written.
//!
//! It accepts what Swedish exports look like (UTF-8 with or without BOM, `,` or `;`, CRLF,
//! decimal comma, `återkallad`) and reports every problem it finds, each as
//! `file:line: column: value: what is wrong`, rather than stopping at the first.
//!
//! - `reader`: files, encoding, separator, header and records with their line numbers
//! - `fields`: typed values of one row
//! - `tables`: the columns of each file and the row builders
//! - `references`: keys, references and the målkedja across rows and files
//! - `error`: the errors and their Swedish messages

mod error;
mod fields;
mod reader;
mod references;
mod tables;

use std::path::Path;

pub use error::{ImportError, ImportErrors, MAX_ERRORS};

use crate::model::Dataset;
use error::Collector;
use fields::Row;
use reader::Located;
use references::{KeySet, Keys};
use tables::SPECS;

/// Reads the CSV files of DOMAIN.md from `dir` into typed rows, validating everything.
///
/// `units.csv`, `case_workers.csv`, `insats_types.csv` and `cases.csv` are required; a
/// missing optional file is an empty table (so a version 1 export, without
/// `interruptions.csv` and the version 2 columns, imports as it did); other files in `dir`
/// are ignored. Rows keep
/// their file order, except that a goal is moved after its parent when the file lists the
/// parent later (so that the rows can be written in order under the foreign keys).
///
/// # Errors
/// Every problem found (up to [`MAX_ERRORS`], then a count of the rest), in file order and
/// line order within a file. Nothing is returned then: the caller must not write a snapshot.
pub fn read_dir(dir: &Path) -> Result<Dataset, ImportErrors> {
    let mut errors = Collector::default();
    let files = reader::locate(dir, &SPECS, &mut errors);
    let mut load = Loader {
        files,
        errors,
        keys: Keys::default(),
    };
    let units = load.table(0, |k| &mut k.units, tables::unit);
    let case_workers = load.table(1, |k| &mut k.case_workers, tables::case_worker);
    let insats_types = load.table(2, |k| &mut k.insats_types, tables::insats_type);
    let cases = load.table(3, |k| &mut k.cases, tables::case);
    let applications = load.table(4, |k| &mut k.applications, tables::application);
    let interventions = load.table(5, |k| &mut k.interventions, tables::intervention);
    let interruptions = load.table(6, |k| &mut k.interruptions, tables::interruption);
    let followups = load.table(7, |k| &mut k.followups, tables::followup);
    let goals = load.table(8, |k| &mut k.goals, tables::goal);
    let indicators = load.table(9, |k| &mut k.indicators, tables::indicator);
    let indicator_values = load.table(10, |k| &mut k.indicator_values, tables::indicator_value);
    if !load.errors.is_empty() {
        return Err(load.errors.finish());
    }
    Ok(Dataset {
        units,
        case_workers,
        insats_types,
        cases,
        applications,
        interventions,
        interruptions,
        followups,
        goals: references::parents_first(goals),
        indicators,
        indicator_values,
    })
}

/// The state of one import while its tables are read in order.
struct Loader {
    files: Vec<Located>,
    errors: Collector,
    keys: Keys,
}

impl Loader {
    /// Reads the table `SPECS[index]`, building its rows with `build`, and makes its keys
    /// available to the tables after it.
    fn table<T>(
        &mut self,
        index: usize,
        key_set: fn(&mut Keys) -> &mut KeySet,
        build: fn(&mut Row<'_>, &mut Keys) -> Option<T>,
    ) -> Vec<T> {
        let spec = &SPECS[index];
        let mark = self.errors.mark();
        let mut rows = Vec::new();
        let checkable = match &self.files[index] {
            Located::Absent => true,
            Located::Unusable => false,
            Located::File(path) => {
                let keys = &mut self.keys;
                let header = reader::read_table(path, spec, &mut self.errors, |row| {
                    if let Some(built) = build(row, keys) {
                        rows.push(built);
                    }
                });
                header.is_some_and(|h| spec.key.iter().all(|c| h.index(c).is_some()))
            }
        };
        key_set(&mut self.keys).checkable = checkable;
        if spec.table == "goals"
            && let Located::File(path) = &self.files[index]
        {
            let name = path.file_name().map(|n| n.to_string_lossy());
            let name = name.as_deref().unwrap_or("goals.csv");
            references::check_goal_parents(&self.keys, name, &mut self.errors);
        }
        self.errors.sort_lines_from(mark);
        rows
    }
}
