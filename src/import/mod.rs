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

use std::convert::Infallible;
use std::path::Path;

pub use error::{ImportError, ImportErrors, MAX_ERRORS};

use crate::model::{Dataset, TABLES};
use crate::progress::{Progress, ROWS_PER_UPDATE};
use crate::snapshot::WriteError;
use crate::snapshot::build::BuildLock;
use crate::snapshot::bulk::{Bulk, RowCounts};
use error::Collector;
use fields::Row;
use reader::Located;
use references::Keys;
use tables::SPECS;

/// Rows handed on at a time by [`stream_dir`].
pub const BATCH_ROWS: usize = 2048;

/// Reads the CSV files of DOMAIN.md from `dir` into typed rows, validating everything.
///
/// `units.csv`, `case_workers.csv`, `insats_types.csv` and `cases.csv` are required; a
/// missing optional file is an empty table (so a version 1 export, without
/// `interruptions.csv` and the version 2 columns, imports as it did); other files in `dir`
/// are ignored. Rows keep
/// their file order, except that a goal is moved after its parent when the file lists the
/// parent later (so that the rows can be written in order under the foreign keys).
///
/// The whole import is held in memory; [`build`] writes a snapshot from the same files
/// without holding their rows.
///
/// # Errors
/// Every problem found (up to [`MAX_ERRORS`], then a count of the rest), in file order and
/// line order within a file. Nothing is returned then: the caller must not write a snapshot.
pub fn read_dir(dir: &Path) -> Result<Dataset, ImportErrors> {
    read_dir_with_progress(dir, &Progress::hidden())
}

/// As [`read_dir`], saying on `progress` which file is being read and how far.
///
/// # Errors
/// As [`read_dir`].
pub fn read_dir_with_progress(dir: &Path, progress: &Progress) -> Result<Dataset, ImportErrors> {
    let mut data = Dataset::default();
    let read = stream_dir(dir, progress, |rows| {
        data.append(rows);
        Ok::<(), Infallible>(())
    });
    match read {
        Ok(()) => Ok(data),
        Err(Stopped::Import(errors)) => Err(errors),
        Err(Stopped::Sink(never)) => match never {},
    }
}

/// Why [`stream_dir`] did not get through.
#[derive(Debug)]
pub enum Stopped<E> {
    /// The files have errors.
    Import(ImportErrors),
    /// The sink refused rows.
    Sink(E),
}

/// Reads the CSV files as [`read_dir`] does, each once, row by row, and hands the rows on
/// to `sink` as they are read and checked: batches of up to [`BATCH_ROWS`] rows of one
/// table (a [`Dataset`] with one table filled), tables in [`TABLES`] order, rows in file
/// order but for the goals, which come parents first (they are held until their file is
/// read: they are few).
///
/// What is held is the keys of the tables that later files refer to, not their rows. Once
/// a problem is found nothing more goes to `sink`, but every file is still read for the
/// rest of its problems: a caller that wrote rows must throw them away.
///
/// # Errors
/// The problems found, as [`read_dir`]; or the first error of `sink`, which stops the
/// import after the file it came in unless that file has problems (a repeated key, found
/// once the file is read, may have been refused by the sink first): the problems are
/// reported then, and every file is still read for the rest of them.
pub fn stream_dir<E>(
    dir: &Path,
    progress: &Progress,
    sink: impl FnMut(Dataset) -> Result<(), E>,
) -> Result<(), Stopped<E>> {
    let mut errors = Collector::default();
    let files = reader::locate(dir, &SPECS, &mut errors);
    let mut load = Loader {
        files,
        errors,
        keys: Keys::default(),
        progress,
        sink,
        refused: None,
    };
    load.table(0, |d| &mut d.units, tables::unit)?;
    load.table(1, |d| &mut d.case_workers, tables::case_worker)?;
    load.table(2, |d| &mut d.insats_types, tables::insats_type)?;
    load.table(3, |d| &mut d.cases, tables::case)?;
    load.table(4, |d| &mut d.applications, tables::application)?;
    load.table(5, |d| &mut d.interventions, tables::intervention)?;
    load.table(6, |d| &mut d.interruptions, tables::interruption)?;
    load.table(7, |d| &mut d.followups, tables::followup)?;
    load.table(8, |d| &mut d.goals, tables::goal)?;
    load.table(9, |d| &mut d.indicators, tables::indicator)?;
    load.table(10, |d| &mut d.indicator_values, tables::indicator_value)?;
    if !load.errors.is_empty() {
        return Err(Stopped::Import(load.errors.finish()));
    }
    Ok(())
}

/// Why [`build`] wrote nothing.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// The files have errors (each on its own line).
    #[error("{0}")]
    Import(ImportErrors),
    #[error(transparent)]
    Write(#[from] WriteError),
}

/// `bevaka snapshot build --from DIR --out FILE`: the CSV files of `dir` as a new snapshot
/// at the file `lock` is for, read once and written as they are read (a second thread
/// inserts the rows while this one reads and checks the next), then indexed, checked and
/// published as every snapshot is. Says on `progress` what it is doing.
///
/// # Errors
/// The files' problems, as [`read_dir`]; or why the snapshot could not be written. In
/// either case the target is unchanged and no temporary file is left.
pub fn build(lock: &BuildLock, dir: &Path, progress: &Progress) -> Result<RowCounts, BuildError> {
    let mut bulk = Bulk::start(lock)?;
    let (rows, received) = std::sync::mpsc::sync_channel::<Dataset>(8);
    // The rows written go back to be freed where they were allocated: freeing a million
    // strings on the writer's thread, the one that sets the pace, would cost it a second.
    let (done, written_rows) = std::sync::mpsc::channel::<Dataset>();
    let writer = std::thread::Builder::new()
        .name("skrivare".into())
        .spawn(move || -> Result<Bulk, WriteError> {
            for piece in received {
                bulk.insert(&piece)?;
                // Dropped here if the reader has finished.
                let _ = done.send(piece);
            }
            Ok(bulk)
        })
        .map_err(|source| WriteError::Io {
            path: lock.out().to_path_buf(),
            source,
        })?;
    // A refused send means the writer stopped: its error is the one to report.
    let read = stream_dir(dir, progress, |piece| {
        written_rows.try_iter().for_each(drop);
        rows.send(piece).map_err(|_| WriterStopped)
    });
    drop(rows);
    let written = writer
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
    match (read, written) {
        (Err(Stopped::Import(errors)), _) => Err(BuildError::Import(errors)),
        (_, Err(e)) => Err(e.into()),
        (Err(Stopped::Sink(_)), Ok(_)) => Err(WriteError::Io {
            path: lock.out().to_path_buf(),
            source: std::io::Error::other("skrivaren slutade ta emot rader"),
        }
        .into()),
        (Ok(()), Ok(bulk)) => Ok(bulk.finish(progress)?),
    }
}

/// The writer's thread took no more rows: it failed, and says why when joined.
#[derive(Debug)]
struct WriterStopped;

/// The table after which nothing refers to a table's keys (by [`TABLES`] index): the
/// keys can go then. Units and goals are referred to by the indicators, case workers and
/// cases by the followups, and so on.
const LAST_REFERRED: [usize; TABLES.len()] = [9, 7, 5, 7, 5, 6, 6, 7, 9, 10, 10];

/// The state of one import while its tables are read in order.
struct Loader<'p, S, E>
where
    S: FnMut(Dataset) -> Result<(), E>,
{
    files: Vec<Located>,
    errors: Collector,
    keys: Keys,
    progress: &'p Progress,
    sink: S,
    /// The sink's error, once it refused rows.
    refused: Option<E>,
}

impl<S, E> Loader<'_, S, E>
where
    S: FnMut(Dataset) -> Result<(), E>,
{
    /// Hands `batch` on, unless there is nothing in it, an error was found or the sink
    /// refused before.
    fn send(&mut self, batch: Dataset) {
        if self.errors.is_empty()
            && self.refused.is_none()
            && let Err(e) = (self.sink)(batch)
        {
            self.refused = Some(e);
        }
    }

    /// Reads the table `SPECS[index]`, building its rows with `build` and handing them on
    /// in batches (the goals all at once, parents first, once their file is read), and
    /// makes its keys available to the tables after it.
    fn table<T>(
        &mut self,
        index: usize,
        place: fn(&mut Dataset) -> &mut Vec<T>,
        build: fn(&mut Row<'_>, &mut Keys) -> Option<T>,
    ) -> Result<(), Stopped<E>> {
        let spec = &SPECS[index];
        let is_goals = spec.table == "goals";
        let mark = self.errors.mark();
        let mut batch = Dataset::default();
        let mut read_once = 0u64;
        let checkable = match self.files[index].clone() {
            Located::Absent => true,
            Located::Unusable => false,
            Located::File(path) => {
                let name = path
                    .file_name()
                    .map_or_else(|| spec.file_name(), |n| n.to_string_lossy().into_owned());
                let what = format!("Läser {name}");
                self.progress.count(&what, 0, "rader");
                let mut read = 0u64;
                let header = {
                    let Self {
                        keys,
                        errors,
                        progress,
                        sink,
                        refused,
                        ..
                    } = self;
                    reader::read_table(&path, spec, errors, |row| {
                        let built = build(row, keys);
                        read += 1;
                        if read.is_multiple_of(ROWS_PER_UPDATE) {
                            progress.count(&what, read, "rader");
                        }
                        let Some(built) = built else { return };
                        if row.any_errors() || refused.is_some() {
                            return;
                        }
                        let rows = place(&mut batch);
                        rows.push(built);
                        if !is_goals
                            && rows.len() >= BATCH_ROWS
                            && let Err(e) = sink(std::mem::take(&mut batch))
                        {
                            *refused = Some(e);
                        }
                    })
                };
                self.progress.count(&what, read, "rader");
                read_once = read;
                header.is_some_and(|h| spec.key.iter().all(|c| h.index(c).is_some()))
            }
        };
        self.keys.set(index).checkable = checkable;
        if let Located::File(path) = self.files[index].clone()
            && self.keys.set(index).suspects()
        {
            self.confirm_keys(spec, &path, build, mark, read_once);
        }
        if is_goals && let Located::File(path) = &self.files[index] {
            let name = path.file_name().map(|n| n.to_string_lossy());
            let name = name.as_deref().unwrap_or("goals.csv");
            references::check_goal_parents(&self.keys, name, &mut self.errors);
            let goals = std::mem::take(&mut batch.goals);
            batch.goals = references::parents_first(goals);
        }
        self.errors.sort_lines_from(mark);
        if !place(&mut batch).is_empty() {
            self.send(batch);
        }
        self.keys.set(index).seal();
        for (table, &last) in LAST_REFERRED.iter().enumerate() {
            if last == index {
                self.keys.set(table).release();
            }
        }
        match self.refused.take() {
            // Errors outrank the sink's refusal (a repeated key refused by SQLite's
            // primary key, say): nothing more is sent, and every file is still read.
            Some(e) if self.errors.is_empty() => Err(Stopped::Sink(e)),
            _ => Ok(()),
        }
    }

    /// Reads the file of `spec` at `path` a second time, after its first read (which
    /// found the errors since `mark`, in `first` rows) left fingerprints that more than
    /// one key had: the keys with those are now compared as written, and only a key
    /// that truly repeats is reported ([`references::KeySet`]). The errors of the first
    /// read are taken back and found again in line order with the repeats among them.
    /// Nothing is sent from it: the rows sent (and the last batch, held until now) are
    /// those of the first read, and if a key repeats, the build fails.
    fn confirm_keys<T>(
        &mut self,
        spec: &tables::TableSpec,
        path: &Path,
        build: fn(&mut Row<'_>, &mut Keys) -> Option<T>,
        mark: error::Mark,
        first: u64,
    ) {
        let first_failed = self.errors.mark() != mark;
        self.errors.rewind(mark);
        self.keys.goal_parents.clear();
        let name = path
            .file_name()
            .map_or_else(|| spec.file_name(), |n| n.to_string_lossy().into_owned());
        let what = format!("Läser {name} igen (nycklar som kan upprepas)");
        self.progress.count(&what, 0, "rader");
        let mut read = 0u64;
        let Self {
            keys,
            errors,
            progress,
            ..
        } = self;
        reader::read_table(path, spec, errors, |row| {
            let _ = build(row, keys);
            read += 1;
            if read.is_multiple_of(ROWS_PER_UPDATE) {
                progress.count(&what, read, "rader");
            }
        });
        self.progress.count(&what, read, "rader");
        // The rows sent were those of the first read: a file that reads otherwise the
        // second time changed in between, and what was sent cannot be trusted.
        if read != first || (first_failed && self.errors.mark() == mark) {
            self.errors.push(error::ImportError::new(
                name,
                "filen ändrades medan den lästes: läs in igen när exporten är klar",
            ));
        }
    }
}
