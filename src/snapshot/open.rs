//! Opening a snapshot for reading: read-only, without locks, and with a clear refusal of
//! anything that is not a bevaka snapshot of a known version.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use rusqlite::{Connection, OpenFlags};

use super::shape::{self, Clock, Limit};

/// `PRAGMA application_id` of a bevaka snapshot ('BVKA').
pub const APPLICATION_ID: i32 = 0x4256_4B41;
/// The schema version this build writes (`PRAGMA user_version`).
pub const SCHEMA_VERSION: i32 = 2;
/// The oldest schema version this build reads: a version 1 file reads as version 2 with
/// its missing columns NULL and no interruptions (DOMAIN.md "Version 2 of the snapshot").
pub const OLDEST_VERSION: i32 = 1;

/// Why a snapshot could not be opened. Each message names the path and what was expected.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error(
        "{0}: filen finns inte (ange en ögonblicksbild med --snapshot eller i konfigurationen)"
    )]
    Missing(PathBuf),
    #[error("{0}: är inte en vanlig fil")]
    NotAFile(PathBuf),
    #[error("{path}: kan inte läsa filen: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{0}: filen är tom (0 byte), väntade en SQLite-databas från exporten")]
    Empty(PathBuf),
    #[error("{0}: är ingen SQLite-databas (fel filhuvud), väntade en ögonblicksbild från bevaka")]
    NotSqlite(PathBuf),
    #[error(
        "{path}: är ingen bevaka-ögonblicksbild (application_id {found:#x}, väntade {APPLICATION_ID:#x})"
    )]
    WrongApplication { path: PathBuf, found: i32 },
    #[error(
        "{path}: okänd schemaversion {found} (den här versionen av bevaka läser version {OLDEST_VERSION}–{SCHEMA_VERSION})"
    )]
    UnknownVersion { path: PathBuf, found: i32 },
    #[error("{path}: SQLite kan inte läsa filen: {source}")]
    Sqlite {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },
    /// A folder of snapshots with none the user may read.
    #[error("{}: ingen ögonblicksbild i mappen som du får läsa{}", path.display(), unreadable_text(unreadable))]
    EmptyFolder {
        path: PathBuf,
        unreadable: Vec<PathBuf>,
    },
    /// A value the rules cannot compute with, in a file read as part of a folder.
    #[error("{}: {problem} (bevaka snapshot check listar alla fel)", path.display())]
    Values { path: PathBuf, problem: String },
    /// A file of a folder that cannot be read together with the others.
    #[error("{}: kan inte läsas ihop med de andra filerna i mappen: {source}", path.display())]
    Union {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },
    /// The file is not shaped as the contract says (see [`shape::shape`]).
    #[error("{path}: {}; kontrollera filen med bevaka snapshot check", problems.join("; "))]
    Shape {
        path: PathBuf,
        problems: Vec<String>,
    },
}

/// ` (ingen läsbehörighet: a, b)` for files left out, or nothing.
fn unreadable_text(unreadable: &[PathBuf]) -> String {
    if unreadable.is_empty() {
        String::new()
    } else {
        format!(" (ingen läsbehörighet: {})", file_names(unreadable))
    }
}

/// The files' names, comma-separated (their folder is named beside them).
#[must_use]
pub fn file_names(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| {
            p.file_name()
                .map_or_else(|| p.to_string_lossy(), |n| n.to_string_lossy())
                .into_owned()
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// An error while reading an open snapshot, naming the file (and saying when a statement
/// ran out of time).
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error(
        "{name}: frågan avbröts efter {} (ögonblicksbilden är för stor eller felaktig; kontrollera den med bevaka snapshot check)",
        shape::limit_text(*limit)
    )]
    TimedOut { name: String, limit: Duration },
    #[error("{name}: kan inte läsa ögonblicksbilden: {}", detail(source))]
    Sqlite {
        name: String,
        #[source]
        source: rusqlite::Error,
    },
}

/// What is wrong, in the user's words: a value the snapshot cannot hold says so itself
/// ("ogiltigt datum …"), without rusqlite's English frame around it ("Conversion error from
/// type Text at index: 0, …").
fn detail(e: &rusqlite::Error) -> String {
    use rusqlite::types::Type;
    match e {
        rusqlite::Error::FromSqlConversionFailure(_, _, inner) => inner.to_string(),
        // A producer's NULL or a value of another type than the contract's (possible in a
        // table that is not STRICT).
        rusqlite::Error::InvalidColumnType(_, name, Type::Null) => {
            format!("kolumnen {name} saknar värde (NULL)")
        }
        rusqlite::Error::InvalidColumnType(_, name, found) => {
            let found = match found {
                Type::Integer => "ett heltal",
                Type::Real => "ett decimaltal",
                Type::Text => "text",
                Type::Blob => "binära data (blob)",
                Type::Null => "NULL",
            };
            format!("kolumnen {name} har {found}, en annan typ än avtalets")
        }
        other => other.to_string(),
    }
}

/// An open, read-only snapshot.
pub struct Snapshot {
    pub(crate) conn: Connection,
    /// A second connection to the same file, for loads that read on two threads (see
    /// [`Readers`]). None for the in-memory demo, or when the path named another file by
    /// the time it was opened.
    spare: Option<Mutex<Connection>>,
    source: Source,
    /// The time limit of a statement on either connection.
    limit: Arc<Limit>,
    /// The connections' clocks: whether a statement ran out of time.
    clocks: Vec<Arc<Clock>>,
}

/// The connections a load may read with: the snapshot's own, and maybe a second one to the
/// same file that another thread can read with at the same time. A city-wide load is
/// mostly SQLite reading pages; on two cores two connections read about twice as fast.
/// Every load gives the same figures with or without the spare.
#[derive(Clone, Copy)]
pub struct Readers<'a> {
    pub main: &'a Connection,
    pub spare: Option<&'a Mutex<Connection>>,
}

impl<'a> From<&'a Connection> for Readers<'a> {
    /// One connection: everything is read on it, in turn.
    fn from(main: &'a Connection) -> Self {
        Readers { main, spare: None }
    }
}

impl Readers<'_> {
    /// Runs `here` on the main connection, on this thread, and `there` on the spare, on
    /// another, at the same time; without a spare (or when no thread can be had) both run
    /// on the main connection, `here` first. A load splits its reading in two this way.
    /// (`there` is only borrowed by its thread, so that it is still here to run when there
    /// is none.)
    ///
    /// Whichever side fails first sets the [`Stop`] both are given, so that the other need
    /// not read on for a result that is dropped: a side that sees it set may return early
    /// with what it has. An interrupted statement (see [`Snapshot::interrupt_handles`]) is
    /// such a failure, so an interrupt on either connection ends the load with SQLite's
    /// interrupt error, the one the loader looks for.
    ///
    /// # Errors
    /// The error of `here`, else of `there`.
    pub fn both<A, B: Send>(
        self,
        here: impl FnOnce(&Connection, &Stop) -> rusqlite::Result<A>,
        there: impl Fn(&Connection, &Stop) -> rusqlite::Result<B> + Sync,
    ) -> rusqlite::Result<(A, B)> {
        let stop = &Stop::default();
        let Some(spare) = self.spare else {
            return Ok((here(self.main, stop)?, there(self.main, stop)?));
        };
        let there = &there;
        std::thread::scope(|scope| {
            let other = std::thread::Builder::new()
                .name("bevaka-spare".into())
                .spawn_scoped(scope, move || {
                    let conn = spare.lock().unwrap_or_else(PoisonError::into_inner);
                    stop.on_error(there(&conn, stop))
                });
            let Ok(other) = other else {
                return Ok((here(self.main, stop)?, there(self.main, stop)?));
            };
            let a = stop.on_error(here(self.main, stop));
            let b = other
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            Ok((a?, b?))
        })
    }
}

/// Set when one side of [`Readers::both`] has failed: the other checks it as it reads (per
/// row, or between statements) and stops.
#[derive(Debug, Default)]
pub struct Stop(AtomicBool);

impl Stop {
    /// Whether the other side has failed (this side's result will be dropped).
    #[must_use]
    pub fn is_set(&self) -> bool {
        // Only a hint to stop early: nothing else is read through it, so no ordering.
        self.0.load(Ordering::Relaxed)
    }

    /// Sets the stop if `result` is an error; passes it on.
    fn on_error<T>(&self, result: rusqlite::Result<T>) -> rusqlite::Result<T> {
        if result.is_err() {
            self.0.store(true, Ordering::Relaxed);
        }
        result
    }
}

/// Where the rows come from: a published file, or the demo built in memory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    File {
        path: PathBuf,
        modified: Option<SystemTime>,
        identity: FileIdentity,
    },
    /// A folder of snapshots read as one (see [`super::union`]).
    Union {
        dir: PathBuf,
        /// The files read, with their identities, in name order.
        files: Vec<(PathBuf, FileIdentity)>,
        /// The files the user may not read, left out.
        unreadable: Vec<PathBuf>,
        /// The oldest file's modification time: the union is as old as its oldest part.
        modified: Option<SystemTime>,
    },
    EmbeddedDemo,
}

/// What tells one published file from the next: publishers replace the file by rename, so
/// the path then names another inode (or, on filesystems without stable inodes, a file
/// with another size or modification time).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileIdentity {
    dev: u64,
    ino: u64,
    len: u64,
    modified: Option<SystemTime>,
}

impl FileIdentity {
    #[must_use]
    pub fn of(meta: &fs::Metadata) -> Self {
        #[cfg(unix)]
        let (dev, ino) = {
            use std::os::unix::fs::MetadataExt;
            (meta.dev(), meta.ino())
        };
        #[cfg(not(unix))]
        let (dev, ino) = (0, 0);
        Self {
            dev,
            ino,
            len: meta.len(),
            modified: meta.modified().ok(),
        }
    }

    /// The identity as text: device, inode, length and modification time (nanoseconds).
    #[must_use]
    pub fn key(&self) -> String {
        let modified = self
            .modified
            .and_then(|m| m.duration_since(SystemTime::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos());
        format!("{}:{}:{}:{modified}", self.dev, self.ino, self.len)
    }

    /// The identity of the file `path` names now, if it names one.
    #[must_use]
    pub fn current(path: &Path) -> Option<Self> {
        fs::metadata(path).ok().map(|m| Self::of(&m))
    }
}

impl Snapshot {
    /// Opens the snapshot at `path` read-only and immutable: no lock is taken, nothing is
    /// created beside it, and nothing is written. Publishers replace snapshots by rename, so
    /// the open file never changes under us.
    ///
    /// Every connection runs hardened against a crafted file (see [`shape::harden`]): no
    /// SQL of the file's schema runs in our queries, and a statement running longer than
    /// [`shape::QUERY_LIMIT`] is interrupted ([`Snapshot::read_error`] then says so). The
    /// file's shape is checked against the contract before anything else reads it.
    ///
    /// # Errors
    /// See [`OpenError`]: missing, empty, not SQLite, not bevaka's, unknown version, not
    /// shaped as the contract.
    ///
    /// A folder is read as one snapshot of every file in it the user may read (see
    /// [`super::union`]).
    pub fn open(path: &Path) -> Result<Self, OpenError> {
        if path.is_dir() {
            return super::union::open(path);
        }
        let snapshot = Self::open_unchecked(path)?;
        snapshot.verify_shape(path)?;
        Ok(snapshot)
    }

    /// Opens like [`Snapshot::open`] but leaves the shape to the caller: for `bevaka
    /// snapshot check`, which lists shape problems with all others.
    ///
    /// # Errors
    /// See [`OpenError`], but for [`OpenError::Shape`].
    pub fn open_unchecked(path: &Path) -> Result<Self, OpenError> {
        let io = |source| OpenError::Io {
            path: path.to_path_buf(),
            source,
        };
        let meta = match fs::metadata(path) {
            Ok(m) => m,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(OpenError::Missing(path.to_path_buf()));
            }
            Err(e) => return Err(io(e)),
        };
        if !meta.is_file() {
            return Err(OpenError::NotAFile(path.to_path_buf()));
        }
        if meta.len() == 0 {
            return Err(OpenError::Empty(path.to_path_buf()));
        }
        let mut header = [0_u8; 16];
        let mut file = fs::File::open(path).map_err(io)?;
        if file.read_exact(&mut header).is_err() || &header != b"SQLite format 3\0" {
            return Err(OpenError::NotSqlite(path.to_path_buf()));
        }
        drop(file);

        let uri = format!("file:{}?mode=ro&immutable=1", uri_path(path));
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
            | OpenFlags::SQLITE_OPEN_URI
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let sqlite = |source| OpenError::Sqlite {
            path: path.to_path_buf(),
            source,
        };
        let limit = Limit::new(shape::QUERY_LIMIT);
        let mut clocks = Vec::new();
        let mut conn = Connection::open_with_flags(&uri, flags).map_err(sqlite)?;
        clocks.push(shape::harden(&mut conn, &limit).map_err(sqlite)?);
        // SQLite opens the file when the connection is opened: if the path still names the
        // file it named before both opens, both read the same file.
        let spare = Connection::open_with_flags(&uri, flags)
            .ok()
            .filter(|_| FileIdentity::current(path) == Some(FileIdentity::of(&meta)))
            .and_then(|mut spare| {
                clocks.push(shape::harden(&mut spare, &limit).ok()?);
                Some(Mutex::new(spare))
            });
        let snapshot = Self {
            conn,
            spare,
            source: Source::File {
                path: path.to_path_buf(),
                modified: meta.modified().ok(),
                identity: FileIdentity::of(&meta),
            },
            limit,
            clocks,
        };
        snapshot.verify(path)?;
        Ok(snapshot)
    }

    /// Wraps a connection holding the rows of a folder's files, copied into a private
    /// temporary database.
    pub(crate) fn from_union(conn: Connection, source: Source) -> Self {
        let mut snapshot = Self::from_memory(conn);
        snapshot.source = source;
        snapshot
    }

    /// Wraps a connection holding the demo built in memory (no snapshot configured).
    #[must_use]
    pub fn from_memory(mut conn: Connection) -> Self {
        let limit = Limit::new(shape::QUERY_LIMIT);
        // Our own rows: the limit is what matters here, and it cannot fail to be set on a
        // connection just made.
        let clocks = shape::harden(&mut conn, &limit).into_iter().collect();
        Self {
            conn,
            spare: None,
            source: Source::EmbeddedDemo,
            limit,
            clocks,
        }
    }

    /// Refuses a file not shaped as the contract says.
    fn verify_shape(&self, path: &Path) -> Result<(), OpenError> {
        let version = crate::snapshot::queries::schema_version(&self.conn).map_err(|source| {
            OpenError::Sqlite {
                path: path.to_path_buf(),
                source,
            }
        })?;
        let problems = shape::shape(&self.conn, version).map_err(|source| OpenError::Sqlite {
            path: path.to_path_buf(),
            source,
        })?;
        if problems.is_empty() {
            Ok(())
        } else {
            Err(OpenError::Shape {
                path: path.to_path_buf(),
                problems,
            })
        }
    }

    /// Sets how long one statement may run before it is interrupted (default
    /// [`shape::QUERY_LIMIT`]).
    pub fn set_query_limit(&self, limit: Duration) {
        self.limit.set(limit);
    }

    /// Whether the last statement that failed ran out of time (rather than being
    /// interrupted on request, or failing otherwise).
    #[must_use]
    pub fn timed_out(&self) -> bool {
        self.clocks.iter().any(|c| c.fired())
    }

    /// The file's path as errors name it, or `demo` for the demo built in memory.
    #[must_use]
    pub fn name(&self) -> String {
        match &self.source {
            Source::File { path, .. } => path.display().to_string(),
            Source::Union { dir, .. } => dir.display().to_string(),
            Source::EmbeddedDemo => "demo".to_string(),
        }
    }

    /// An error from reading this snapshot, naming the file; an interrupt by the time
    /// limit says so.
    #[must_use]
    pub fn read_error(&self, source: rusqlite::Error) -> ReadError {
        let name = self.name();
        if source.sqlite_error_code() == Some(rusqlite::ErrorCode::OperationInterrupted)
            && self.timed_out()
        {
            ReadError::TimedOut {
                name,
                limit: self.limit.get(),
            }
        } else {
            ReadError::Sqlite { name, source }
        }
    }

    fn verify(&self, path: &Path) -> Result<(), OpenError> {
        let sqlite = |source| OpenError::Sqlite {
            path: path.to_path_buf(),
            source,
        };
        let app: i32 = self
            .conn
            .query_row("PRAGMA application_id", [], |r| r.get(0))
            .map_err(|e| match e {
                rusqlite::Error::SqliteFailure(f, _)
                    if f.code == rusqlite::ErrorCode::NotADatabase =>
                {
                    OpenError::NotSqlite(path.to_path_buf())
                }
                e => sqlite(e),
            })?;
        if app != APPLICATION_ID {
            return Err(OpenError::WrongApplication {
                path: path.to_path_buf(),
                found: app,
            });
        }
        let version: i32 = self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(sqlite)?;
        if !(OLDEST_VERSION..=SCHEMA_VERSION).contains(&version) {
            return Err(OpenError::UnknownVersion {
                path: path.to_path_buf(),
                found: version,
            });
        }
        Ok(())
    }

    /// Where this snapshot was read from.
    #[must_use]
    pub fn source(&self) -> &Source {
        &self.source
    }

    /// The underlying read-only connection, for the query modules.
    #[must_use]
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// The connections to load with: [`Snapshot::conn`], and the spare where there is one.
    #[must_use]
    pub fn readers(&self) -> Readers<'_> {
        Readers {
            main: &self.conn,
            spare: self.spare.as_ref(),
        }
    }

    /// Handles that interrupt a running statement on every connection of the snapshot.
    #[must_use]
    pub fn interrupt_handles(&self) -> Vec<rusqlite::InterruptHandle> {
        let mut handles = vec![self.conn.get_interrupt_handle()];
        if let Some(spare) = &self.spare {
            let spare = spare
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            handles.push(spare.get_interrupt_handle());
        }
        handles
    }
}

/// Percent-encodes the characters that would end or change the meaning of a URI path.
pub(crate) fn uri_path(path: &Path) -> String {
    let text = path.to_string_lossy();
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '%' => out.push_str("%25"),
            '?' => out.push_str("%3f"),
            '#' => out.push_str("%23"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_the_snapshot_cannot_hold_is_named_in_swedish_alone() {
        let e = ReadError::Sqlite {
            name: "u.db".into(),
            source: crate::snapshot::queries::bad_date(0, "2003-13-45"),
        };
        assert_eq!(
            e.to_string(),
            "u.db: kan inte läsa ögonblicksbilden: ogiltigt datum \"2003-13-45\", väntade ÅÅÅÅ-MM-DD"
        );
        let wrong = |found| ReadError::Sqlite {
            name: "u.db".into(),
            source: rusqlite::Error::InvalidColumnType(2, "team".into(), found),
        };
        assert_eq!(
            wrong(rusqlite::types::Type::Blob).to_string(),
            "u.db: kan inte läsa ögonblicksbilden: kolumnen team har binära data (blob), en annan typ än avtalets"
        );
        assert_eq!(
            wrong(rusqlite::types::Type::Null).to_string(),
            "u.db: kan inte läsa ögonblicksbilden: kolumnen team saknar värde (NULL)"
        );
        let e = ReadError::Sqlite {
            name: "u.db".into(),
            source: rusqlite::Error::QueryReturnedNoRows,
        };
        assert!(
            e.to_string()
                .starts_with("u.db: kan inte läsa ögonblicksbilden: ")
        );
    }
}
