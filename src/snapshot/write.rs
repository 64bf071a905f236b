//! Writing a snapshot: the one place that creates snapshot files.
//!
//! A snapshot is published by rename. The rows go into a temporary file beside the target,
//! which is checked (integrity, foreign keys) and synced before it is renamed over the
//! target, so a reader of the old file never sees a half-written one and a failed build
//! leaves the old file untouched and no temporary file behind.

use std::fs;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use rusqlite::Connection;

use crate::model::Dataset;

/// The schema every snapshot is created from: the public contract.
pub const SCHEMA_SQL: &str = include_str!("../../db/schema.sql");

/// Why a snapshot could not be written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("{path}: kan inte skriva ögonblicksbilden: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: SQLite-fel när ögonblicksbilden skrevs: {source}")]
    Sqlite {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },
    #[error(
        "{path}: ingen ögonblicksbild skrevs: den nya filen kan inte få den gamlas grupp (gid {gid}), och med byggarens grupp hade andra kunnat läsa den; bygg som medlem av gruppen eller ta bort den gamla filen först: {source}"
    )]
    Group {
        path: PathBuf,
        gid: u32,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: kontrollen av den nya ögonblicksbilden misslyckades: {what}")]
    Check { path: PathBuf, what: String },
    #[error(
        "{out}: ett annat bygge till samma fil pågår redan ({holder}; låset {lock}). Ingen ögonblicksbild skrevs; försök igen när det är klart."
    )]
    Busy {
        out: PathBuf,
        lock: PathBuf,
        holder: String,
    },
}

/// Creates the schema in an empty database and inserts every row of `data` in one
/// transaction. Used for files and for the in-memory demo alike.
///
/// # Errors
/// Any SQLite error, including a violated constraint of the schema.
pub fn fill(conn: &mut Connection, data: &Dataset) -> rusqlite::Result<()> {
    let (tables, indexes) = schema_parts();
    conn.execute_batch(tables)?;
    conn.execute_batch("PRAGMA foreign_keys = ON;")?;
    let tx = conn.transaction()?;
    // References are checked at commit, not per row: a goal may be listed before its parent.
    tx.execute_batch("PRAGMA defer_foreign_keys = ON;")?;
    insert_all(&tx, data)?;
    // An index built over all rows at once is cheaper than one kept up to date row by row.
    tx.execute_batch(indexes)?;
    tx.commit()?;
    // Planner statistics make the readers' aggregate queries pick the right indexes.
    conn.execute_batch("ANALYZE;")?;
    Ok(())
}

/// The schema without its indexes, and the index statements.
pub(crate) fn schema_parts() -> (&'static str, &'static str) {
    match SCHEMA_SQL.find("\nCREATE INDEX") {
        Some(at) => SCHEMA_SQL.split_at(at),
        None => (SCHEMA_SQL, ""),
    }
}

/// A date as the snapshot stores it, `YYYY-MM-DD`. A million rows have several million
/// dates: written by hand into a few bytes, not by chrono's formatter into a `String`.
enum Day {
    Digits([u8; 10]),
    /// A year outside 0–9999, as chrono writes it (`+10000-01-01`).
    Other(String),
}

impl rusqlite::ToSql for Day {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, ValueRef};
        Ok(match self {
            Self::Digits(digits) => ToSqlOutput::Borrowed(ValueRef::Text(digits)),
            Self::Other(text) => ToSqlOutput::Borrowed(ValueRef::Text(text.as_bytes())),
        })
    }
}

fn day(d: NaiveDate) -> Day {
    use chrono::Datelike;
    let year = match u16::try_from(d.year()) {
        Ok(year) if year <= 9999 => u32::from(year),
        _ => return Day::Other(d.format("%Y-%m-%d").to_string()),
    };
    let digit = |n: u32| b'0' + u8::try_from(n % 10).unwrap_or(0);
    let (month, dom) = (d.month(), d.day());
    Day::Digits([
        digit(year / 1000),
        digit(year / 100),
        digit(year / 10),
        digit(year),
        b'-',
        digit(month / 10),
        digit(month),
        b'-',
        digit(dom / 10),
        digit(dom),
    ])
}

fn date(d: Option<NaiveDate>) -> Option<Day> {
    d.map(day)
}

/// Rows per `INSERT` statement. The contract's `CHECK (x IN (…))` constraints make SQLite
/// build a small lookup table each time a statement runs; with one row per statement that
/// was half the time of an import.
const BATCH: usize = 128;

/// Binds the values of one row after another to a multi-row `INSERT`.
struct Binder<'a, 'conn> {
    st: &'a mut rusqlite::Statement<'conn>,
    bound: usize,
}

impl Binder<'_, '_> {
    fn put<V: rusqlite::ToSql>(&mut self, value: V) -> rusqlite::Result<()> {
        self.bound += 1;
        self.st.raw_bind_parameter(self.bound, value)
    }
}

/// Inserts `rows` into `table` ([`BATCH`] rows a statement), each row's `columns` values
/// bound in order by `bind`.
fn insert_rows<T>(
    tx: &Connection,
    table: &str,
    columns: usize,
    rows: &[T],
    bind: impl Fn(&mut Binder<'_, '_>, &T) -> rusqlite::Result<()>,
) -> rusqlite::Result<()> {
    let sql = |n: usize| {
        let row = format!("({})", vec!["?"; columns].join(", "));
        format!("INSERT INTO {table} VALUES {}", vec![row; n].join(", "))
    };
    let run = |st: &mut rusqlite::Statement<'_>, chunk: &[T]| {
        let mut b = Binder { st, bound: 0 };
        for row in chunk {
            bind(&mut b, row)?;
        }
        // A value left unbound would be written as NULL without a word.
        if b.bound != columns * chunk.len() {
            return Err(rusqlite::Error::InvalidParameterCount(
                b.bound,
                columns * chunk.len(),
            ));
        }
        st.raw_execute().map(|_| ())
    };
    let mut chunks = rows.chunks_exact(BATCH);
    if chunks.len() > 0 {
        // Cached: a streamed import inserts a table in many calls.
        let mut st = tx.prepare_cached(&sql(BATCH))?;
        for chunk in &mut chunks {
            run(&mut st, chunk)?;
        }
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        run(&mut tx.prepare(&sql(rest.len()))?, rest)?;
    }
    Ok(())
}

/// Inserts every row of `data`, table by table in [`crate::model::TABLES`] order, inside the
/// caller's transaction. Also used by [`super::bulk`], which streams a large snapshot in pieces.
pub(crate) fn insert_all(tx: &Connection, data: &Dataset) -> rusqlite::Result<()> {
    insert_rows(tx, "units", 4, &data.units, |b, r| {
        b.put(&r.unit_id)?;
        b.put(&r.name)?;
        b.put(&r.district)?;
        b.put(&r.area)
    })?;
    insert_rows(tx, "case_workers", 5, &data.case_workers, |b, r| {
        b.put(&r.worker_id)?;
        b.put(&r.name)?;
        b.put(&r.unit_id)?;
        b.put(&r.team)?;
        b.put(&r.login)
    })?;
    insert_rows(tx, "insats_types", 5, &data.insats_types, |b, r| {
        b.put(&r.insats_code)?;
        b.put(&r.name)?;
        b.put(&r.area)?;
        b.put(&r.law)?;
        b.put(r.target_days)
    })?;
    insert_rows(tx, "cases", 8, &data.cases, |b, r| {
        b.put(&r.case_id)?;
        b.put(&r.unit_id)?;
        b.put(&r.team)?;
        b.put(&r.worker_id)?;
        b.put(&r.client_label)?;
        b.put(day(r.opened))?;
        b.put(date(r.closed))?;
        b.put(r.sex.map(crate::model::Sex::as_str))
    })?;
    insert_rows(tx, "applications", 8, &data.applications, |b, r| {
        b.put(&r.application_id)?;
        b.put(&r.case_id)?;
        b.put(&r.insats_code)?;
        b.put(day(r.received))?;
        b.put(date(r.investigation_started))?;
        b.put(date(r.decided))?;
        b.put(r.outcome.map(crate::model::Outcome::as_str))?;
        b.put(&r.worker_id)
    })?;
    insert_rows(tx, "interventions", 13, &data.interventions, |b, r| {
        b.put(&r.intervention_id)?;
        b.put(&r.case_id)?;
        b.put(&r.application_id)?;
        b.put(&r.insats_code)?;
        b.put(date(r.decided))?;
        b.put(date(r.start))?;
        b.put(date(r.end))?;
        b.put(&r.provider)?;
        b.put(date(r.ordered))?;
        b.put(date(r.plan_received))?;
        b.put(date(r.last_followup))?;
        b.put(date(r.offered))?;
        b.put(&r.delay_reason)
    })?;
    insert_rows(tx, "interruptions", 5, &data.interruptions, |b, r| {
        b.put(&r.interruption_id)?;
        b.put(&r.intervention_id)?;
        b.put(day(r.interrupted))?;
        b.put(date(r.resumed))?;
        b.put(&r.reason)
    })?;
    insert_rows(tx, "followups", 7, &data.followups, |b, r| {
        b.put(&r.followup_id)?;
        b.put(&r.case_id)?;
        b.put(&r.kind)?;
        b.put(day(r.due))?;
        b.put(date(r.done))?;
        b.put(&r.worker_id)?;
        b.put(&r.note)
    })?;
    insert_rows(tx, "goals", 10, &data.goals, |b, r| {
        b.put(&r.goal_id)?;
        b.put(&r.parent_id)?;
        b.put(&r.unit_id)?;
        b.put(r.level.as_str())?;
        b.put(&r.code)?;
        b.put(&r.title)?;
        b.put(r.assessment.map(crate::model::Assessment::as_str))?;
        b.put(date(r.start))?;
        b.put(date(r.end))?;
        b.put(&r.comment)
    })?;
    insert_rows(tx, "indicators", 13, &data.indicators, |b, r| {
        b.put(&r.indicator_id)?;
        b.put(&r.goal_id)?;
        b.put(&r.unit_id)?;
        b.put(&r.name)?;
        b.put(r.year)?;
        b.put(&r.measure)?;
        b.put(r.direction.as_str())?;
        b.put(&r.periodicity)?;
        b.put(r.target)?;
        b.put(&r.target_text)?;
        b.put(r.city_target)?;
        b.put(&r.city_target_text)?;
        b.put(r.tolerance)
    })?;
    insert_rows(tx, "indicator_values", 4, &data.indicator_values, |b, r| {
        b.put(&r.indicator_id)?;
        b.put(&r.period)?;
        b.put(r.value)?;
        b.put(&r.comment)
    })
}

/// Removes the temporary file unless the publish went through.
pub(crate) struct TempFile {
    pub(crate) path: PathBuf,
    keep: bool,
}

impl TempFile {
    /// The temporary file beside `out` ([`temp_path`]), removed when dropped unless
    /// published, and when a caught signal ends the process.
    pub(crate) fn beside(out: &Path) -> Self {
        let path = temp_path(out);
        super::build::remove_on_signal(&path);
        super::build::remove_on_signal(&path.with_extension("tmp-journal"));
        Self { path, keep: false }
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let mut list = super::build::cleanup_list();
        let journal = self.path.with_extension("tmp-journal");
        super::build::forget(&mut list, &self.path);
        super::build::forget(&mut list, &journal);
        if !self.keep {
            let _ = fs::remove_file(&self.path);
            let _ = fs::remove_file(&journal);
        }
    }
}

/// The temporary name beside `out` that a build writes to before the rename.
#[must_use]
pub fn temp_path(out: &Path) -> PathBuf {
    let name = out
        .file_name()
        .map_or_else(|| "snapshot".into(), |n| n.to_string_lossy().into_owned());
    out.with_file_name(format!(".{name}.{}.tmp", std::process::id()))
}

/// Writes `data` as a new snapshot at `out`, replacing any file there only when the new one
/// is complete and checked. Holds the build lock beside `out` meanwhile
/// ([`super::build::BuildLock`]).
///
/// # Errors
/// Another build to `out` in progress ([`WriteError::Busy`]); I/O and SQLite errors, and a
/// failed integrity or foreign-key check; in every case `out` is unchanged and the
/// temporary file removed.
pub fn write_snapshot(out: &Path, data: &Dataset) -> Result<(), WriteError> {
    let lock = super::build::BuildLock::acquire(out)?;
    write_locked(&lock, data)
}

/// As [`write_snapshot`], for a build that took the lock before it read its input.
///
/// # Errors
/// As [`write_snapshot`].
pub fn write_locked(lock: &super::build::BuildLock, data: &Dataset) -> Result<(), WriteError> {
    let out = lock.out();
    let tmp = TempFile::beside(out);
    let sqlite = |source| WriteError::Sqlite {
        path: out.to_path_buf(),
        source,
    };
    let io = |source| WriteError::Io {
        path: out.to_path_buf(),
        source,
    };
    if tmp.path.exists() {
        fs::remove_file(&tmp.path).map_err(io)?;
    }
    {
        let mut conn = Connection::open(&tmp.path).map_err(sqlite)?;
        // The file is private until the rename; durability comes from the sync below.
        conn.execute_batch("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;")
            .map_err(sqlite)?;
        fill(&mut conn, data).map_err(sqlite)?;
        check(&conn).map_err(|what| WriteError::Check {
            path: out.to_path_buf(),
            what,
        })?;
        conn.close().map_err(|(_, e)| sqlite(e))?;
    }
    publish(tmp, out)
}

/// Syncs the complete, checked temporary file and renames it over `out`. A file replaced
/// keeps its permissions and group (an administrator's `chgrp` and `chmod 640` survive a
/// rebuild).
///
/// # Errors
/// I/O errors; `out` is then unchanged and the temporary file removed.
pub(crate) fn publish(tmp: TempFile, out: &Path) -> Result<(), WriteError> {
    let io = |source| WriteError::Io {
        path: out.to_path_buf(),
        source,
    };
    if let Ok(old) = fs::metadata(out) {
        // The group too: an administrator's `chgrp bevaka-bfn` decides who may read the
        // file, and with the builder's group the same mode would let others read it. A
        // group the builder cannot give is an error, not a file published more widely.
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let made = fs::metadata(&tmp.path).map_err(io)?;
            if made.gid() != old.gid() {
                std::os::unix::fs::chown(&tmp.path, None, Some(old.gid())).map_err(|source| {
                    WriteError::Group {
                        path: out.to_path_buf(),
                        gid: old.gid(),
                        source,
                    }
                })?;
            }
        }
        fs::set_permissions(&tmp.path, old.permissions()).map_err(io)?;
    }
    fs::File::open(&tmp.path)
        .and_then(|f| f.sync_all())
        .map_err(io)?;
    {
        // A signal now waits for the rename, and one that came first removed the file.
        let _signals_wait = super::build::cleanup_list();
        fs::rename(&tmp.path, out).map_err(io)?;
    }
    let mut tmp = tmp;
    tmp.keep = true;
    if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
        // Make the rename itself durable; not every filesystem allows syncing a directory.
        if let Ok(d) = fs::File::open(dir) {
            let _ = d.sync_all();
        }
    }
    Ok(())
}

/// The gate every new snapshot passes before it is published: the file's shape, SQLite's
/// quick integrity check, and every row against the contract (see
/// [`super::shape::problems_with`]; `bevaka snapshot check` runs the full integrity check).
///
/// # Errors
/// The problems found, a line each (rows listed under their kind), or the SQLite error
/// that kept the check from running.
pub fn check(conn: &Connection) -> Result<(), String> {
    // The file was just written by SQLite in one transaction: its structure is checked,
    // the indexes SQLite kept are not re-derived.
    let findings = super::shape::problems_with(conn, super::shape::Integrity::Quick)
        .map_err(|e| e.to_string())?;
    verdict(&findings)
}

/// [`check`] of the file at `path`, which `conn` has open, with a second connection to it
/// in a thread of its own: the same checks, in about half the time on two cores. `first`
/// runs on `conn` meanwhile, before SQLite's check of the file (see
/// [`super::shape::problems_in_parallel`]).
///
/// # Errors
/// As [`check`]; the error of `first`.
pub fn check_file(
    conn: &Connection,
    path: &Path,
    first: impl FnOnce(&Connection) -> rusqlite::Result<()>,
) -> Result<(), String> {
    let flags =
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let quick = super::shape::Integrity::Quick;
    let findings = match Connection::open_with_flags(path, flags) {
        Ok(helper) => {
            // A write of `first` and the helper's reads wait for each other, however long
            // a city's table takes to check.
            let wait = std::time::Duration::from_secs(600);
            helper.busy_timeout(wait).map_err(|e| e.to_string())?;
            conn.busy_timeout(wait).map_err(|e| e.to_string())?;
            super::shape::problems_in_parallel(conn, helper, quick, first)
        }
        // Alone, then.
        Err(_) => first(conn).and_then(|()| super::shape::problems_with(conn, quick)),
    }
    .map_err(|e| e.to_string())?;
    verdict(&findings)
}

/// The gate's verdict on what it found.
fn verdict(findings: &[super::shape::Finding]) -> Result<(), String> {
    if findings.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{} fel:\n{}",
            findings.len(),
            super::shape::render(findings).trim_end()
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Unit;

    #[test]
    fn dates_are_written_as_chrono_writes_them() {
        let conn = Connection::open_in_memory().expect("memory");
        let days = [
            (2014, 12, 31),
            (1900, 1, 1),
            (2199, 2, 28),
            (5, 7, 9),
            (-3, 1, 1),
        ];
        for (y, m, d) in days.into_iter().chain([(10_000, 1, 1)]) {
            let date = NaiveDate::from_ymd_opt(y, m, d).expect("date");
            let back: String = conn
                .query_row("SELECT ?1", [day(date)], |r| r.get(0))
                .expect("select");
            assert_eq!(back, date.format("%Y-%m-%d").to_string());
        }
    }

    #[test]
    fn rows_are_written_in_order_across_whole_and_partial_batches() {
        for n in [0, 1, BATCH - 1, BATCH, BATCH + 1, 2 * BATCH + 44] {
            let units: Vec<Unit> = (0..n)
                .map(|i| Unit {
                    unit_id: format!("U{i}"),
                    name: format!("Enhet {i}"),
                    district: (i % 2 == 0).then(|| format!("Distrikt {i}")),
                    area: None,
                })
                .collect();
            let data = Dataset {
                units: units.clone(),
                ..Dataset::default()
            };
            let mut conn = Connection::open_in_memory().expect("memory");
            fill(&mut conn, &data).expect("fill");
            let back: Vec<Unit> = conn
                .prepare("SELECT unit_id, name, district, area FROM units ORDER BY rowid")
                .expect("prepare")
                .query_map([], |r| {
                    Ok(Unit {
                        unit_id: r.get(0)?,
                        name: r.get(1)?,
                        district: r.get(2)?,
                        area: r.get(3)?,
                    })
                })
                .expect("query")
                .collect::<rusqlite::Result<_>>()
                .expect("rows");
            assert_eq!(back, units, "{n} rows");
        }
    }
}
