//! A folder of snapshots read as one: the per-unit files of `bevaka snapshot build --split
//! unit`, of which each user may read those their groups allow.
//!
//! The access control of a read-only tool is the file system. A folder holds one snapshot
//! per unit; bevaka opens every one the user may read, checks each as it would check a
//! single file (shape and values, errors naming that file), and copies their rows into one
//! private temporary database, where every view and report reads them as they would read the whole
//! file: the figures of the union are those of the whole file for the same units. Files the
//! user may not read are left out and named ([`Source::Union`]'s `unreadable`); the
//! summary file ([`SUMMARY_FILE`]) is never part of the union.
//!
//! Rows shared by several files (the units, handläggare, insats types, goals and
//! indicators every file carries for its references) are taken once; a case, or a row
//! under a case, in two files is an error naming the second file.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use rusqlite::Connection;

use super::open::{FileIdentity, OpenError, Snapshot, Source};
use super::shape;
use crate::model::TABLES;

/// The name of the summary without case references (`--summary` of the split), which is
/// not read with the unit files.
pub const SUMMARY_FILE: &str = "sammanfattning.sqlite";

/// The tables whose rows belong to one case, and so to one unit file only.
const PERSON_TABLES: [&str; 5] = [
    "cases",
    "applications",
    "interventions",
    "interruptions",
    "followups",
];

/// The snapshot files of `dir`, in name order: `*.sqlite` and `*.db`, not hidden (a
/// build's temporary files are), not the summary.
///
/// # Errors
/// The folder cannot be listed.
pub fn members(dir: &Path) -> Result<Vec<PathBuf>, OpenError> {
    let io = |source| OpenError::Io {
        path: dir.to_path_buf(),
        source,
    };
    let mut files = Vec::new();
    for entry in fs::read_dir(dir).map_err(io)? {
        let path = entry.map_err(io)?.path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        let snapshot = Path::new(name)
            .extension()
            .is_some_and(|e| e == "sqlite" || e == "db");
        if snapshot && !name.starts_with('.') && name != SUMMARY_FILE {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

/// What the folder holds now: each member and its identity (`None`: it cannot be read),
/// to notice a file published, removed, or made readable.
#[must_use]
pub fn current(dir: &Path) -> Vec<(PathBuf, Option<FileIdentity>)> {
    members(dir)
        .unwrap_or_default()
        .into_iter()
        .map(|p| {
            let readable = fs::File::open(&p).is_ok();
            let identity = FileIdentity::current(&p).filter(|_| readable);
            (p, identity)
        })
        .collect()
}

/// Whether `source` is a folder whose members have changed since it was read.
#[must_use]
pub fn changed(source: &Source) -> bool {
    let Source::Union {
        dir,
        files,
        unreadable,
        ..
    } = source
    else {
        return false;
    };
    let mut then: Vec<(PathBuf, Option<FileIdentity>)> = files
        .iter()
        .map(|(p, i)| (p.clone(), Some(*i)))
        .chain(unreadable.iter().map(|p| (p.clone(), None)))
        .collect();
    then.sort_by(|a, b| a.0.cmp(&b.0));
    then != current(dir)
}

/// Opens every snapshot of `dir` the user may read, as one.
///
/// # Errors
/// The folder cannot be listed or holds no readable snapshot; a member that is not a good
/// snapshot (as [`Snapshot::open`] and the value check say), or that repeats another's
/// case, named.
pub fn open(dir: &Path) -> Result<Snapshot, OpenError> {
    let files = members(dir)?;
    let mut readable = Vec::new();
    let mut unreadable = Vec::new();
    for path in files {
        match fs::File::open(&path) {
            Ok(_) => readable.push(path),
            Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => unreadable.push(path),
            Err(source) => return Err(OpenError::Io { path, source }),
        }
    }
    if readable.is_empty() {
        return Err(OpenError::EmptyFolder {
            path: dir.to_path_buf(),
            unreadable,
        });
    }
    let sqlite = |source| OpenError::Sqlite {
        path: dir.to_path_buf(),
        source,
    };
    // A private temporary database (SQLite's: created 0600 in its temporary directory and
    // unlinked at once): the union of many files need not be held in memory, only its
    // page cache.
    let mut conn = Connection::open("").map_err(sqlite)?;
    let (tables, indexes) = super::write::schema_parts();
    conn.execute_batch(tables).map_err(sqlite)?;
    let mut read = Vec::new();
    let mut oldest: Option<SystemTime> = None;
    for path in &readable {
        let member = Snapshot::open(path)?;
        let Source::File {
            identity, modified, ..
        } = member.source().clone()
        else {
            continue;
        };
        let bad = shape::first_bad_value(member.conn()).map_err(|e| OpenError::Sqlite {
            path: path.clone(),
            source: e,
        })?;
        if let Some(problem) = bad {
            return Err(OpenError::Values {
                path: path.clone(),
                problem,
            });
        }
        let v2 =
            crate::snapshot::queries::has_v2(member.conn()).map_err(|e| OpenError::Sqlite {
                path: path.clone(),
                source: e,
            })?;
        drop(member);
        copy(&mut conn, path, v2).map_err(|source| OpenError::Union {
            path: path.clone(),
            source,
        })?;
        oldest = match (oldest, modified) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        read.push((path.clone(), identity));
    }
    conn.execute_batch(indexes).map_err(sqlite)?;
    conn.execute_batch("ANALYZE;").map_err(sqlite)?;
    Ok(Snapshot::from_union(
        conn,
        Source::Union {
            dir: dir.to_path_buf(),
            files: read,
            unreadable,
            modified: oldest,
        },
    ))
}

/// Copies the rows of the snapshot at `path` (version 2, or 1 when `!v2`) into `conn`'s
/// tables: rows every file carries once, a case's rows as they are (a second copy is an
/// error).
fn copy(conn: &mut Connection, path: &Path, v2: bool) -> rusqlite::Result<()> {
    conn.execute(
        "ATTACH DATABASE ?1 AS member",
        [format!(
            "file:{}?mode=ro&immutable=1",
            super::open::uri_path(path)
        )],
    )?;
    let copied = (|| {
        let tx = conn.transaction()?;
        for table in TABLES {
            if !v2 && table == shape::V2_TABLE {
                continue;
            }
            let columns: Vec<String> = tx
                .prepare(&format!(
                    "SELECT name FROM main.pragma_table_info('{table}')"
                ))?
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            let list: Vec<String> = columns.iter().map(|c| format!("\"{c}\"")).collect();
            let select: Vec<String> = columns
                .iter()
                .map(|c| {
                    if !v2 && shape::V2_COLUMNS.contains(&(table, c.as_str())) {
                        "NULL".to_string()
                    } else {
                        format!("\"{c}\"")
                    }
                })
                .collect();
            let verb = if PERSON_TABLES.contains(&table) {
                "INSERT"
            } else {
                "INSERT OR IGNORE"
            };
            tx.execute_batch(&format!(
                "{verb} INTO main.\"{table}\" ({}) SELECT {} FROM member.\"{table}\" ORDER BY rowid;",
                list.join(", "),
                select.join(", ")
            ))?;
        }
        tx.commit()
    })();
    let detached = conn.execute_batch("DETACH DATABASE member;");
    copied.and(detached)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_are_the_snapshots_not_hidden_files_or_the_summary() {
        let dir = tempfile::tempdir().expect("tempdir");
        for name in [
            "BFN.sqlite",
            "EBA.db",
            ".BFN.sqlite.123.tmp",
            ".x.sqlite",
            "BFN.sqlite.lock",
            SUMMARY_FILE,
            "läsmig.txt",
        ] {
            fs::write(dir.path().join(name), b"").expect("write");
        }
        let names: Vec<String> = members(dir.path())
            .expect("list")
            .iter()
            .map(|p| p.file_name().expect("name").to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["BFN.sqlite", "EBA.db"]);
    }
}
