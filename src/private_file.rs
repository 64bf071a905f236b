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
    #[error("kan inte skriva {} i {}: {}", name, dir.display(), cause(source))]
    Io {
        dir: PathBuf,
        name: String,
        #[source]
        source: io::Error,
    },
    #[error("{}: {name} och {} till finns redan", dir.display(), MAX_NUMBER - 1)]
    NoFreeName { dir: PathBuf, name: String },
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
    let err = |source| SaveError::Io {
        dir: dir.to_path_buf(),
        name: first.clone(),
        source,
    };
    let tmp = dir.join(format!(".{first}.{}.tmp", std::process::id()));
    // One of an earlier session of the same pid that was killed mid-write.
    let _ = fs::remove_file(&tmp);
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&tmp)
        .map_err(err)?;
    if let Err(e) = write(&mut file).and_then(|()| file.sync_all()) {
        drop(file);
        let _ = fs::remove_file(&tmp);
        return Err(err(e));
    }
    drop(file);
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
                    source: e,
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
