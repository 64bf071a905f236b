//! Writing a large snapshot in pieces: the city demo's million rows without holding them
//! all in memory at once.
//!
//! The same file [`super::write::write_snapshot`] would write from the pieces put together
//! (same schema, same rows in the same order, same checks, published by rename), built a
//! little differently for speed: the rows of every piece go into one transaction as they
//! come, and the indexes of `db/schema.sql` are created once all rows are in, which is
//! cheaper than keeping them up to date row by row.

use std::fs;
use std::path::{Path, PathBuf};

use rusqlite::Connection;

use super::write::{TempFile, WriteError, check_file, insert_all, publish, schema_parts};
use crate::model::{Dataset, TABLES};
use crate::progress::Progress;

/// The rows written per table, in [`TABLES`] order.
pub type RowCounts = [(&'static str, u64); TABLES.len()];

/// A snapshot being written in pieces: a temporary file beside its target holding the
/// rows inserted so far, in one open transaction. [`Bulk::finish`] creates the indexes,
/// commits, checks and publishes it; dropped before that, it is removed and the target
/// left as it was.
pub struct Bulk {
    // Closed before the temporary file is removed (fields drop in order).
    conn: Connection,
    tmp: TempFile,
    out: PathBuf,
    counts: RowCounts,
}

impl std::fmt::Debug for Bulk {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Bulk")
            .field("out", &self.out)
            .field("counts", &self.counts)
            .finish_non_exhaustive()
    }
}

impl Bulk {
    /// Starts a new snapshot for the build that holds `lock`: the temporary file with the
    /// schema's tables (the indexes come at the end), a transaction open.
    ///
    /// # Errors
    /// I/O and SQLite errors.
    pub fn start(lock: &super::build::BuildLock) -> Result<Self, WriteError> {
        let out = lock.out().to_path_buf();
        let tmp = TempFile::beside(&out);
        let sqlite = |source| WriteError::Sqlite {
            path: out.clone(),
            source,
        };
        if tmp.path.exists() {
            fs::remove_file(&tmp.path).map_err(|source| WriteError::Io {
                path: out.clone(),
                source,
            })?;
        }
        let conn = Connection::open(&tmp.path).map_err(sqlite)?;
        // As write_snapshot: private until the rename, durability from the sync at publish.
        conn.execute_batch("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;")
            .map_err(sqlite)?;
        let (tables, _) = schema_parts();
        conn.execute_batch(tables).map_err(sqlite)?;
        // References are not looked up row by row as the rows go in (a goal may come
        // before its parent, a piece may refer to a later one): the gate at the end checks
        // every one of them, in one pass a table, before anything is published.
        conn.execute_batch("PRAGMA foreign_keys = OFF; BEGIN;")
            .map_err(sqlite)?;
        Ok(Self {
            conn,
            tmp,
            out,
            counts: TABLES.map(|t| (t, 0)),
        })
    }

    fn sqlite(&self) -> impl Fn(rusqlite::Error) -> WriteError + '_ {
        |source| WriteError::Sqlite {
            path: self.out.clone(),
            source,
        }
    }

    /// Inserts the rows of `piece`, table by table in [`TABLES`] order.
    ///
    /// # Errors
    /// SQLite errors, a violated constraint among them.
    pub fn insert(&mut self, piece: &Dataset) -> Result<(), WriteError> {
        insert_all(&self.conn, piece).map_err(self.sqlite())?;
        for (count, n) in self.counts.iter_mut().zip(piece.lens()) {
            count.1 += n as u64;
        }
        Ok(())
    }

    /// The rows inserted so far, per table.
    #[must_use]
    pub fn counts(&self) -> &RowCounts {
        &self.counts
    }

    /// Creates the indexes, commits, gathers the
    /// planner's statistics, runs the gate ([`super::write::check`]) and publishes the
    /// file at the target. Says each step on `progress`.
    ///
    /// # Errors
    /// SQLite and I/O errors and a failed check; the target is then unchanged and the
    /// temporary file removed.
    pub fn finish(self, progress: &Progress) -> Result<RowCounts, WriteError> {
        let sqlite = self.sqlite();
        let (_, indexes) = schema_parts();
        progress.step("Skapar index");
        self.conn.execute_batch(indexes).map_err(&sqlite)?;
        self.conn.execute_batch("COMMIT;").map_err(&sqlite)?;
        progress.step("Samlar statistik och kontrollerar den nya ögonblicksbilden");
        // The statistics are gathered while a second connection checks the tables' rows;
        // then the file is final, and is written to disk while the check goes on (publish
        // syncs again, and says if that fails).
        let tmp = &self.tmp.path;
        let analyze = |conn: &Connection| {
            conn.execute_batch("ANALYZE;")?;
            let _ = fs::File::open(tmp).and_then(|f| f.sync_all());
            Ok(())
        };
        check_file(&self.conn, tmp, analyze).map_err(|what| WriteError::Check {
            path: self.out.clone(),
            what,
        })?;
        drop(sqlite);
        let Self {
            conn,
            tmp,
            out,
            counts,
        } = self;
        conn.close().map_err(|(_, source)| WriteError::Sqlite {
            path: out.clone(),
            source,
        })?;
        progress.step("Publicerar");
        publish(tmp, &out)?;
        Ok(counts)
    }
}

/// Writes the rows of `pieces`, in order, as one new snapshot at `out`, replacing any file
/// there only when the new one is complete and checked. References may point into a later
/// piece (they are checked when all rows are in). Only one piece is held at a time.
///
/// # Errors
/// Another build to `out` in progress, I/O and SQLite errors, and a failed integrity or
/// foreign-key check; in every case `out` is unchanged and the temporary file removed.
pub fn write_snapshot_pieces<I>(
    out: &Path,
    pieces: I,
    progress: &Progress,
) -> Result<RowCounts, WriteError>
where
    I: IntoIterator<Item = Dataset>,
{
    let lock = super::build::BuildLock::acquire(out)?;
    let mut bulk = Bulk::start(&lock)?;
    for piece in pieces {
        bulk.insert(&piece)?;
    }
    let counts = bulk.finish(progress)?;
    drop(lock);
    Ok(counts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::snapshot::write::SCHEMA_SQL;

    #[test]
    fn the_schema_splits_before_its_first_index() {
        let (tables, indexes) = schema_parts();
        assert!(!tables.contains("CREATE INDEX"));
        assert!(indexes.trim_start().starts_with("CREATE INDEX"));
        assert!(tables.contains("CREATE TABLE indicator_values"));
        assert_eq!(format!("{tables}{indexes}"), SCHEMA_SQL);
    }
}
