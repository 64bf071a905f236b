//! "Who looked at what": where the unit wants it (`access_log = PATH` in the config), each
//! session's start and each case detail opened append one JSON line — time, OS user,
//! snapshot, case id, action. Nothing else about the case is written.
//!
//! The unit asked for the log, so a log that cannot be written is not ignored: bevaka will
//! not start, and a case detail is not shown, when its line cannot be appended.
//!
//! The log names who looked at which case: it is created readable by its owner only
//! (`0600`; an administrator who wants a shared log creates it with the group's rights),
//! and one that others can read or write is narrowed to owner and group (`o-rwx`) when it
//! is first appended to, or refused with the `chmod` to run where bevaka may not. It must
//! be a regular file: a symbolic link (which could point anywhere), a FIFO (which would
//! block start-up) or anything else in its place is refused, naming the path.

use std::fs::OpenOptions;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use serde::Serialize;

/// Where and as whom lines are appended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessLog {
    path: PathBuf,
    user: String,
    snapshot: String,
}

#[derive(Serialize)]
struct Line<'a> {
    time: String,
    user: &'a str,
    snapshot: &'a str,
    case_id: Option<&'a str>,
    action: &'a str,
}

impl AccessLog {
    #[must_use]
    pub fn new(path: PathBuf, user: Option<String>, snapshot: &str) -> Self {
        Self {
            path,
            user: user.unwrap_or_else(|| "okänd".into()),
            snapshot: snapshot.to_string(),
        }
    }

    #[must_use]
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends one line. Each line is written with a single `write` on a file opened for
    /// appending, so concurrent sessions do not interleave within a line.
    ///
    /// # Errors
    /// The file cannot be opened for appending or written.
    pub fn record(
        &self,
        now: SystemTime,
        action: &str,
        case_id: Option<&str>,
    ) -> std::io::Result<()> {
        let line = Line {
            time: chrono::DateTime::<chrono::Utc>::from(now)
                .format("%Y-%m-%dT%H:%M:%SZ")
                .to_string(),
            user: &self.user,
            snapshot: &self.snapshot,
            case_id,
            action,
        };
        let mut text = serde_json::to_string(&line).map_err(std::io::Error::other)?;
        text.push('\n');
        let mut file = open_log(&self.path)?;
        file.write_all(text.as_bytes())
    }
}

/// Opens the log for appending: a regular file only, never through a symbolic link, never
/// waiting on a FIFO; created readable by its owner only, and one that others could read
/// or write is narrowed to its owner and group (or refused where bevaka may not do that).
fn open_log(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
    let flags = rustix::fs::OFlags::NOFOLLOW | rustix::fs::OFlags::NONBLOCK;
    let not_regular = |kind: &str| {
        std::io::Error::other(format!(
            "åtkomstloggen {} är ingen vanlig fil ({kind}); bevaka skriver bara till en vanlig fil",
            path.display()
        ))
    };
    let opened = OpenOptions::new()
        .create(true)
        .append(true)
        .mode(0o600)
        .custom_flags(i32::try_from(flags.bits()).unwrap_or(0))
        .open(path);
    let file = match opened {
        Ok(file) => file,
        // ELOOP for a symbolic link, ENXIO for a FIFO nobody reads, EISDIR …: say what it is.
        Err(e) => {
            return Err(match std::fs::symlink_metadata(path) {
                Ok(meta) if !meta.file_type().is_file() => not_regular(kind(&meta)),
                _ => e,
            });
        }
    };
    let meta = file.metadata()?;
    if !meta.file_type().is_file() {
        return Err(not_regular(kind(&meta)));
    }
    let mode = meta.permissions().mode();
    if mode & 0o007 != 0 {
        let narrowed = std::fs::Permissions::from_mode(mode & 0o770);
        file.set_permissions(narrowed).map_err(|e| {
            std::io::Error::new(
                e.kind(),
                format!(
                    "åtkomstloggen {} kan läsas eller skrivas av alla (rättigheter {:04o}) och bevaka får inte ändra det ({e}); dess ägare behöver köra chmod o-rwx {}",
                    path.display(),
                    mode & 0o7777,
                    path.display()
                ),
            )
        })?;
    }
    Ok(file)
}

/// What a file that is not a regular file is, in words.
fn kind(meta: &std::fs::Metadata) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    let t = meta.file_type();
    if t.is_symlink() {
        "en symbolisk länk"
    } else if t.is_fifo() {
        "en FIFO"
    } else if t.is_dir() {
        "en mapp"
    } else if t.is_socket() {
        "en socket"
    } else if t.is_char_device() || t.is_block_device() {
        "en enhetsfil"
    } else {
        "okänd filtyp"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_appended_as_json() {
        let dir = tempfile::tempdir().expect("tempdir");
        let log = AccessLog::new(dir.path().join("a.log"), Some("anna".into()), "s.sqlite");
        let t = SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_420_000_000);
        log.record(t, "start", None).expect("write");
        log.record(t, "detalj", Some("BF-2014-00001"))
            .expect("write");
        let text = std::fs::read_to_string(log.path()).expect("read");
        let lines: Vec<serde_json::Value> = text
            .lines()
            .map(|l| serde_json::from_str(l).expect("json"))
            .collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0]["time"], "2014-12-31T04:26:40Z");
        assert_eq!(lines[0]["user"], "anna");
        assert_eq!(lines[0]["case_id"], serde_json::Value::Null);
        assert_eq!(lines[1]["case_id"], "BF-2014-00001");
        assert_eq!(lines[1]["action"], "detalj");
    }

    #[test]
    fn the_log_is_created_private_and_a_world_readable_one_narrowed() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("a.log");
        let log = AccessLog::new(path.clone(), None, "s");
        log.record(SystemTime::UNIX_EPOCH, "start", None)
            .expect("write");
        let mode = |p: &Path| std::fs::metadata(p).expect("stat").permissions().mode() & 0o777;
        assert_eq!(mode(&path), 0o600);
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o664)).expect("chmod");
        log.record(SystemTime::UNIX_EPOCH, "start", None)
            .expect("write");
        assert_eq!(mode(&path), 0o660);
    }

    #[test]
    fn a_symlink_or_fifo_or_folder_in_place_of_the_log_is_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let target = dir.path().join("target");
        std::fs::write(&target, "").expect("write");
        let link = dir.path().join("link.log");
        std::os::unix::fs::symlink(&target, &link).expect("symlink");
        let fifo = dir.path().join("fifo.log");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .expect("mkfifo");
        assert!(made.success());
        for (path, kind) in [
            (&link, "en symbolisk länk"),
            (&fifo, "en FIFO"),
            (&dir.path().to_path_buf(), "en mapp"),
        ] {
            let log = AccessLog::new(path.clone(), None, "s");
            let e = log
                .record(SystemTime::UNIX_EPOCH, "start", None)
                .expect_err("refused");
            assert_eq!(
                e.to_string(),
                format!(
                    "åtkomstloggen {} är ingen vanlig fil ({kind}); bevaka skriver bara till en vanlig fil",
                    path.display()
                )
            );
        }
        assert_eq!(std::fs::read(&target).expect("read"), b"");
    }

    #[test]
    fn an_unwritable_log_is_an_error() {
        let log = AccessLog::new("/nonexistent-dir/a.log".into(), None, "s");
        assert!(log.record(SystemTime::UNIX_EPOCH, "start", None).is_err());
    }
}
