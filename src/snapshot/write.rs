//! Writing a snapshot: the one place that creates snapshot files.
//!
//! A snapshot is published by rename. The rows go into a temporary file beside the target,
//! which is checked (integrity, foreign keys) and synced before it is renamed over the
//! target, so a reader of the old file never sees a half-written one and a failed build
//! leaves the old file untouched and no temporary file behind.

use std::fs;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use rusqlite::{Connection, params};

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
    conn.execute_batch(SCHEMA_SQL)?;
    conn.execute_batch("PRAGMA foreign_keys = ON;")?;
    let tx = conn.transaction()?;
    // References are checked at commit, not per row: a goal may be listed before its parent.
    tx.execute_batch("PRAGMA defer_foreign_keys = ON;")?;
    insert_all(&tx, data)?;
    tx.commit()?;
    // Planner statistics make the readers' aggregate queries pick the right indexes.
    conn.execute_batch("ANALYZE;")?;
    Ok(())
}

fn date(d: Option<NaiveDate>) -> Option<String> {
    d.map(|d| d.format("%Y-%m-%d").to_string())
}

fn day(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// Inserts every row of `data`, table by table in [`crate::model::TABLES`] order, inside the
/// caller's transaction. Also used by [`super::bulk`], which streams a large snapshot in pieces.
pub(crate) fn insert_all(tx: &Connection, data: &Dataset) -> rusqlite::Result<()> {
    let mut st = tx.prepare("INSERT INTO units VALUES (?1, ?2, ?3, ?4)")?;
    for r in &data.units {
        st.execute(params![r.unit_id, r.name, r.district, r.area])?;
    }
    let mut st = tx.prepare("INSERT INTO case_workers VALUES (?1, ?2, ?3, ?4, ?5)")?;
    for r in &data.case_workers {
        st.execute(params![r.worker_id, r.name, r.unit_id, r.team, r.login])?;
    }
    let mut st = tx.prepare("INSERT INTO insats_types VALUES (?1, ?2, ?3, ?4, ?5)")?;
    for r in &data.insats_types {
        st.execute(params![r.insats_code, r.name, r.area, r.law, r.target_days])?;
    }
    let mut st = tx.prepare("INSERT INTO cases VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")?;
    for r in &data.cases {
        st.execute(params![
            r.case_id,
            r.unit_id,
            r.team,
            r.worker_id,
            r.client_label,
            day(r.opened),
            date(r.closed),
            r.sex.map(crate::model::Sex::as_str)
        ])?;
    }
    let mut st = tx.prepare("INSERT INTO applications VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")?;
    for r in &data.applications {
        st.execute(params![
            r.application_id,
            r.case_id,
            r.insats_code,
            day(r.received),
            date(r.investigation_started),
            date(r.decided),
            r.outcome.map(crate::model::Outcome::as_str),
            r.worker_id
        ])?;
    }
    let mut st = tx.prepare(
        "INSERT INTO interventions VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    )?;
    for r in &data.interventions {
        st.execute(params![
            r.intervention_id,
            r.case_id,
            r.application_id,
            r.insats_code,
            date(r.decided),
            date(r.start),
            date(r.end),
            r.provider,
            date(r.ordered),
            date(r.plan_received),
            date(r.last_followup),
            date(r.offered),
            r.delay_reason
        ])?;
    }
    let mut st = tx.prepare("INSERT INTO interruptions VALUES (?1, ?2, ?3, ?4, ?5)")?;
    for r in &data.interruptions {
        st.execute(params![
            r.interruption_id,
            r.intervention_id,
            day(r.interrupted),
            date(r.resumed),
            r.reason
        ])?;
    }
    let mut st = tx.prepare("INSERT INTO followups VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")?;
    for r in &data.followups {
        st.execute(params![
            r.followup_id,
            r.case_id,
            r.kind,
            day(r.due),
            date(r.done),
            r.worker_id,
            r.note
        ])?;
    }
    let mut st =
        tx.prepare("INSERT INTO goals VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)")?;
    for r in &data.goals {
        st.execute(params![
            r.goal_id,
            r.parent_id,
            r.unit_id,
            r.level.as_str(),
            r.code,
            r.title,
            r.assessment.map(crate::model::Assessment::as_str),
            date(r.start),
            date(r.end),
            r.comment
        ])?;
    }
    let mut st = tx.prepare(
        "INSERT INTO indicators VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    )?;
    for r in &data.indicators {
        st.execute(params![
            r.indicator_id,
            r.goal_id,
            r.unit_id,
            r.name,
            r.year,
            r.measure,
            r.direction.as_str(),
            r.periodicity,
            r.target,
            r.target_text,
            r.city_target,
            r.city_target_text,
            r.tolerance
        ])?;
    }
    let mut st = tx.prepare("INSERT INTO indicator_values VALUES (?1, ?2, ?3, ?4)")?;
    for r in &data.indicator_values {
        st.execute(params![r.indicator_id, r.period, r.value, r.comment])?;
    }
    Ok(())
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
/// keeps its permissions (an administrator's `chmod 640` survives a rebuild).
///
/// # Errors
/// I/O errors; `out` is then unchanged and the temporary file removed.
pub(crate) fn publish(tmp: TempFile, out: &Path) -> Result<(), WriteError> {
    let io = |source| WriteError::Io {
        path: out.to_path_buf(),
        source,
    };
    if let Ok(old) = fs::metadata(out) {
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

/// The producer's gate, run on every new snapshot before it is published and by `bevaka
/// snapshot check`: the file's shape, SQLite's integrity check, and every row against the
/// contract (see [`super::shape::problems`]).
///
/// # Errors
/// The problems found, a line each (rows listed under their kind), or the SQLite error
/// that kept the check from running.
pub fn check(conn: &Connection) -> Result<(), String> {
    let findings = super::shape::problems(conn).map_err(|e| e.to_string())?;
    if findings.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{} fel:\n{}",
            findings.len(),
            super::shape::render(&findings).trim_end()
        ))
    }
}
