//! Files with personal data that bevaka creates for a user (CSV exports): private to their
//! owner, and complete or absent.
//!
//! The bytes go into a temporary file in the target folder, created `0600` (the umask can
//! only narrow that), which is flushed to disk and only then given its final name, without
//! replacing any file of that name. A write that fails (a full disk, a quota) removes the
//! temporary file: no truncated file is left under the normal name, and a retry takes the
//! name the failed attempt would have had.

use std::fs::{self, File, OpenOptions};
use std::io;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

/// Why a file could not be written, with the system's cause put in plain Swedish first.
#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    // The system's error is in the message already (in plain Swedish and as the system
    // says it), so it is not also given as the source: `{:#}` would print it twice.
    #[error("kan inte skriva {} i {}: {}", name, dir.display(), cause(error))]
    Io {
        dir: PathBuf,
        name: String,
        error: io::Error,
    },
    #[error("{}: {name} och {} till finns redan", dir.display(), MAX_NUMBER - 1)]
    NoFreeName { dir: PathBuf, name: String },
    #[error("{} finns redan; bevaka skriver inte över en fil (välj ett annat namn eller ta bort den)", path.display())]
    Exists { path: PathBuf },
}

/// `-2` … `-999`: the numbers tried after the plain name.
const MAX_NUMBER: u32 = 999;

/// The cause of an I/O error as a user can act on it: "disken är full (…)".
#[must_use]
pub fn cause(e: &io::Error) -> String {
    let plain = match e.kind() {
        io::ErrorKind::StorageFull => "disken är full",
        io::ErrorKind::QuotaExceeded => "diskkvoten är slut",
        io::ErrorKind::PermissionDenied => "behörighet saknas",
        io::ErrorKind::ReadOnlyFilesystem => "filsystemet är skrivskyddat",
        io::ErrorKind::NotFound => "mappen finns inte",
        io::ErrorKind::NotADirectory => "det är ingen mapp",
        _ => return e.to_string(),
    };
    format!("{plain} ({e})")
}

/// Removes the temp files `.<name>.<ext>.<pid>.tmp` in `dir` that a killed process (SIGKILL,
/// a power cut) left: ours (same owner), of a pid that no longer runs. Best effort: what
/// cannot be read or removed stays.
fn remove_stale(dir: &Path, ext: &str) {
    use std::os::unix::fs::MetadataExt;
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let me = rustix::process::getuid().as_raw();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        let Some(rest) = name.strip_prefix('.').and_then(|n| n.strip_suffix(".tmp")) else {
            continue;
        };
        let Some((file, pid)) = rest.rsplit_once('.') else {
            continue;
        };
        if !file.ends_with(&format!(".{ext}"))
            || pid.is_empty()
            || !pid.bytes().all(|b| b.is_ascii_digit())
        {
            continue;
        }
        let running = Path::new("/proc").join(pid).exists();
        let ours = entry.metadata().is_ok_and(|m| m.is_file() && m.uid() == me);
        if ours && !running {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Creates `tmp` readable by its owner only, fills it with `write` and syncs it; removes it
/// again when either fails.
fn write_temp(tmp: &Path, write: impl FnOnce(&mut File) -> io::Result<()>) -> io::Result<()> {
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(tmp)?;
    if let Err(e) = write(&mut file).and_then(|()| file.sync_all()) {
        drop(file);
        let _ = fs::remove_file(tmp);
        return Err(e);
    }
    Ok(())
}

/// Writes a new file `<stem>.<ext>` in `dir` — or `<stem>-2.<ext>`, `-3` … when that name is
/// taken — with the bytes `write` puts in it, and returns its path. The file is created
/// readable by its owner only and appears under its name only once complete and synced.
///
/// # Errors
/// The cause of a failed write, naming the file and folder; nothing is left behind then.
pub fn save_new(
    dir: &Path,
    stem: &str,
    ext: &str,
    write: impl FnOnce(&mut File) -> io::Result<()>,
) -> Result<PathBuf, SaveError> {
    let first = format!("{stem}.{ext}");
    let err = |error| SaveError::Io {
        dir: dir.to_path_buf(),
        name: first.clone(),
        error,
    };
    let tmp = dir.join(format!(".{first}.{}.tmp", std::process::id()));
    // One of an earlier session of the same pid that was killed mid-write.
    let _ = fs::remove_file(&tmp);
    remove_stale(dir, ext);
    write_temp(&tmp, write).map_err(err)?;
    for n in 1..=MAX_NUMBER {
        let name = if n == 1 {
            first.clone()
        } else {
            format!("{stem}-{n}.{ext}")
        };
        let path = dir.join(&name);
        match rename_new(&tmp, &path) {
            Ok(()) => {
                // Make the name durable too; not every filesystem syncs a directory.
                if let Ok(d) = File::open(dir) {
                    let _ = d.sync_all();
                }
                return Ok(path);
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
            Err(e) => {
                let _ = fs::remove_file(&tmp);
                return Err(SaveError::Io {
                    dir: dir.to_path_buf(),
                    name,
                    error: e,
                });
            }
        }
    }
    let _ = fs::remove_file(&tmp);
    Err(SaveError::NoFreeName {
        dir: dir.to_path_buf(),
        name: first,
    })
}

/// Writes the new file `path` (exactly that name: an existing file is an error, never
/// replaced) with the bytes `write` puts in it, as [`save_new`] writes: private to its
/// owner, under its name only once complete and synced, nothing left behind on error.
///
/// # Errors
/// [`SaveError::Exists`] when `path` exists; the cause of a failed write, naming the file.
pub fn save_as(
    path: &Path,
    write: impl FnOnce(&mut File) -> io::Result<()>,
) -> Result<PathBuf, SaveError> {
    let (dir, name) = dir_and_name(path);
    let err = |error| write_error(path, error);
    if fs::symlink_metadata(path).is_ok() {
        return Err(SaveError::Exists {
            path: path.to_path_buf(),
        });
    }
    let ext = Path::new(&name)
        .extension()
        .map_or_else(String::new, |e| e.to_string_lossy().into_owned());
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let _ = fs::remove_file(&tmp);
    if !ext.is_empty() {
        remove_stale(&dir, &ext);
    }
    // A report is written into its temporary as it is made (seconds at city scale): a
    // caught signal (Ctrl-C, the SSH link gone) removes it where the process handles
    // signals so (`crate::snapshot::build::handle_signals`, as `report --out` does).
    crate::snapshot::build::remove_on_signal(&tmp);
    if let Err(e) = write_temp(&tmp, write) {
        crate::snapshot::build::forget(&mut crate::snapshot::build::cleanup_list(), &tmp);
        return Err(err(e));
    }
    // Renamed under the cleanup list's lock: a signal comes before the rename (and the
    // temporary is removed) or after it.
    let renamed = {
        let mut cleanup = crate::snapshot::build::cleanup_list();
        let renamed = rename_new(&tmp, path);
        crate::snapshot::build::forget(&mut cleanup, &tmp);
        renamed
    };
    match renamed {
        Ok(()) => {
            if let Ok(d) = File::open(&dir) {
                let _ = d.sync_all();
            }
            Ok(path.to_path_buf())
        }
        Err(e) => {
            let _ = fs::remove_file(&tmp);
            if e.kind() == io::ErrorKind::AlreadyExists {
                Err(SaveError::Exists {
                    path: path.to_path_buf(),
                })
            } else {
                Err(err(e))
            }
        }
    }
}

/// The folder `path` is in (`.` for a bare name) and its file name.
fn dir_and_name(path: &Path) -> (PathBuf, String) {
    let name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    (dir, name)
}

/// `error` writing the new file `path`, named as [`save_as`] names it.
#[must_use]
pub fn write_error(path: &Path, error: io::Error) -> SaveError {
    let (dir, name) = dir_and_name(path);
    SaveError::Io { dir, name, error }
}

/// Renames `from` to `to` unless `to` exists (`AlreadyExists` then). Where the filesystem
/// cannot rename so, a hard link and an unlink do the same.
fn rename_new(from: &Path, to: &Path) -> io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    match renameat_with(CWD, from, CWD, to, RenameFlags::NOREPLACE) {
        Ok(()) => Ok(()),
        Err(e) if e == rustix::io::Errno::INVAL || e == rustix::io::Errno::NOSYS => {
            fs::hard_link(from, to)?;
            let _ = fs::remove_file(from);
            Ok(())
        }
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .expect("dir")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_new_file_is_private_and_never_replaces_one() {
        let dir = tempfile::tempdir().expect("tempdir");
        let a = save_new(dir.path(), "x", "csv", |f| f.write_all(b"a")).expect("first");
        let b = save_new(dir.path(), "x", "csv", |f| f.write_all(b"b")).expect("second");
        assert_eq!(a, dir.path().join("x.csv"));
        assert_eq!(b, dir.path().join("x-2.csv"));
        assert_eq!(fs::read(&a).expect("read"), b"a");
        assert_eq!(fs::read(&b).expect("read"), b"b");
        let mode = fs::metadata(&a).expect("stat").permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        assert_eq!(names(dir.path()), ["x-2.csv", "x.csv"]);
    }

    #[test]
    fn temp_files_of_killed_exports_are_removed_by_the_next() {
        let dir = tempfile::tempdir().expect("dir");
        // pid_max is at most 2^22: this pid runs nowhere.
        let dead = dir.path().join(".bevaka-x.csv.4999999.tmp");
        let alive = dir
            .path()
            .join(format!(".bevaka-y.csv.{}.tmp", std::process::id()));
        let other = dir.path().join(".notes.txt.4999999.tmp");
        for p in [&dead, &other] {
            fs::write(p, "half").expect("write");
        }
        // A live export of another session (here: a name of this pid, but not the one
        // `save_new` is about to use) stays.
        fs::write(&alive, "busy").expect("write");
        save_new(dir.path(), "bevaka-z", "csv", |f| f.write_all(b"ok")).expect("save");
        assert!(!dead.exists(), "the dead pid's temp file is removed");
        assert!(alive.exists(), "a running pid's temp file stays");
        assert!(other.exists(), "another kind of file stays");
    }

    #[test]
    fn a_full_disk_leaves_nothing_and_a_retry_takes_the_plain_name() {
        let dir = tempfile::tempdir().expect("tempdir");
        let e = save_new(dir.path(), "x", "csv", |f| {
            f.write_all(b"half of it")?;
            Err(io::Error::from_raw_os_error(28)) // ENOSPC
        })
        .expect_err("full");
        let text = e.to_string();
        assert!(
            text.starts_with(&format!(
                "kan inte skriva x.csv i {}: disken är full (",
                dir.path().display()
            )),
            "{text}"
        );
        assert!(names(dir.path()).is_empty(), "{:?}", names(dir.path()));
        let again = save_new(dir.path(), "x", "csv", |f| f.write_all(b"all")).expect("retry");
        assert_eq!(again, dir.path().join("x.csv"));
        assert_eq!(names(dir.path()), ["x.csv"]);
    }

    #[test]
    fn save_as_writes_the_name_given_privately_and_never_replaces() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("r.xlsx");
        save_as(&path, |f| f.write_all(b"one")).expect("first");
        let mode = fs::metadata(&path).expect("stat").permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        let e = save_as(&path, |f| f.write_all(b"two")).expect_err("exists");
        assert!(e.to_string().contains("finns redan"), "{e}");
        assert_eq!(fs::read(&path).expect("read"), b"one");
        let e = save_as(&dir.path().join("s.xlsx"), |f| {
            f.write_all(b"half")?;
            Err(io::Error::from_raw_os_error(28))
        })
        .expect_err("full");
        assert!(e.to_string().contains("s.xlsx"), "{e}");
        assert_eq!(names(dir.path()), ["r.xlsx"]);
    }

    #[test]
    fn a_folder_that_does_not_exist_is_named() {
        let e = save_new(Path::new("/nonexistent-bevaka"), "x", "csv", |_| Ok(()))
            .expect_err("no folder");
        assert!(
            e.to_string()
                .starts_with("kan inte skriva x.csv i /nonexistent-bevaka: mappen finns inte ("),
            "{e}"
        );
    }
}
