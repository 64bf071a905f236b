//! Writing a large snapshot in pieces: the city demo's million rows without holding them
//! all in memory at once.
//!
//! The same file [`super::write::write_snapshot`] would write from the pieces put together
//! (same schema, same rows in the same order, same checks, published by rename), built a
//! little differently for speed: the rows of every piece go into one transaction as they
//! come, and the indexes of `db/schema.sql` are created once all rows are in, which is
//! cheaper than keeping them up to date row by row.

use std::fs;
use std::path::Path;

use rusqlite::Connection;

use super::write::{TempFile, WriteError, check, insert_all, publish, schema_parts};
use crate::model::{Dataset, TABLES};

/// The rows written per table, in [`TABLES`] order.
pub type RowCounts = [(&'static str, u64); TABLES.len()];

/// Writes the rows of `pieces`, in order, as one new snapshot at `out`, replacing any file
/// there only when the new one is complete and checked. References may point into a later
/// piece (they are checked when all rows are in). Only one piece is held at a time.
///
/// # Errors
/// Another build to `out` in progress, I/O and SQLite errors, and a failed integrity or
/// foreign-key check; in every case `out` is unchanged and the temporary file removed.
pub fn write_snapshot_pieces<I>(out: &Path, pieces: I) -> Result<RowCounts, WriteError>
where
    I: IntoIterator<Item = Dataset>,
{
    let lock = super::build::BuildLock::acquire(out)?;
    let tmp = TempFile::beside(out);
    let sqlite = |source| WriteError::Sqlite {
        path: out.to_path_buf(),
        source,
    };
    if tmp.path.exists() {
        fs::remove_file(&tmp.path).map_err(|source| WriteError::Io {
            path: out.to_path_buf(),
            source,
        })?;
    }
    let mut counts: RowCounts = TABLES.map(|t| (t, 0));
    {
        let mut conn = Connection::open(&tmp.path).map_err(sqlite)?;
        // As write_snapshot: private until the rename, durability from the sync at publish.
        conn.execute_batch("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;")
            .map_err(sqlite)?;
        let (tables, indexes) = schema_parts();
        conn.execute_batch(tables).map_err(sqlite)?;
        conn.execute_batch("PRAGMA foreign_keys = ON;")
            .map_err(sqlite)?;
        let tx = conn.transaction().map_err(sqlite)?;
        tx.execute_batch("PRAGMA defer_foreign_keys = ON;")
            .map_err(sqlite)?;
        for piece in pieces {
            insert_all(&tx, &piece).map_err(sqlite)?;
            let lens = [
                piece.units.len(),
                piece.case_workers.len(),
                piece.insats_types.len(),
                piece.cases.len(),
                piece.applications.len(),
                piece.interventions.len(),
                piece.interruptions.len(),
                piece.followups.len(),
                piece.goals.len(),
                piece.indicators.len(),
                piece.indicator_values.len(),
            ];
            for (count, n) in counts.iter_mut().zip(lens) {
                count.1 += n as u64;
            }
        }
        tx.execute_batch(indexes).map_err(sqlite)?;
        tx.commit().map_err(sqlite)?;
        conn.execute_batch("ANALYZE;").map_err(sqlite)?;
        check(&conn).map_err(|what| WriteError::Check {
            path: out.to_path_buf(),
            what,
        })?;
        conn.close().map_err(|(_, e)| sqlite(e))?;
    }
    publish(tmp, out)?;
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
