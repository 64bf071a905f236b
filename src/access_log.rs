//! "Who looked at what": where the unit wants it (`access_log` in the config), each
//! session's start, each case detail opened, each case card written by `report case` and
//! each export of a view make one entry — OS user, snapshot, case id or exported file and
//! its row count, action. Nothing else about the case is written: never a client label.
//!
//! The entries go to a file (`access_log = PATH`: one JSON line each, with the time) or to
//! the system log (`access_log = "syslog"`: the same JSON without the time, which the
//! system log adds, tagged `bevaka`, facility `authpriv`), which a user cannot edit.
//!
//! The unit asked for the log, so a log that cannot be written is not ignored: bevaka will
//! not start, a case detail is not shown, and an export is removed again, when its entry
//! cannot be made. For the system log that includes a missing `/dev/log` (no journald or
//! rsyslog listening): that is an error naming the socket, not a message dropped.
//!
//! The file names who looked at which case: it is created readable by its owner only
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

/// Where the system log listens (journald and rsyslog both read it).
pub const SYSLOG_SOCKET: &str = "/dev/log";

/// The tag (`SYSLOG_IDENTIFIER`) of bevaka's entries in the system log: `journalctl -t bevaka`.
pub const SYSLOG_TAG: &str = "bevaka";

/// Where the config sends the log (`access_log = PATH` or `access_log = "syslog"`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AccessLogTarget {
    /// Append JSON lines to this file.
    File(PathBuf),
    /// The system log, through its socket ([`SYSLOG_SOCKET`] unless the caller says
    /// otherwise).
    Syslog,
}

/// Where the entries of one [`AccessLog`] go.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Sink {
    File(PathBuf),
    /// The system log's socket.
    Syslog(PathBuf),
}

/// Where and as whom entries are made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessLog {
    sink: Sink,
    user: String,
    /// The real user id, in the system log's entries (the name comes from the login's
    /// environment; the id from the kernel).
    uid: Option<u32>,
    snapshot: String,
}

#[derive(Serialize)]
struct Line<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    time: Option<String>,
    user: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    uid: Option<u32>,
    snapshot: &'a str,
    case_id: Option<&'a str>,
    action: &'a str,
    /// An export's file and its rows (only for `export`).
    #[serde(skip_serializing_if = "Option::is_none")]
    file: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    rows: Option<usize>,
    /// An export's format: `csv`, `xlsx`, `json`, `text`.
    #[serde(skip_serializing_if = "Option::is_none")]
    format: Option<&'a str>,
}

impl AccessLog {
    /// A log appended to the file at `path`.
    #[must_use]
    pub fn new(path: PathBuf, user: Option<String>, snapshot: &str) -> Self {
        Self {
            sink: Sink::File(path),
            user: user.unwrap_or_else(|| "okänd".into()),
            uid: None,
            snapshot: snapshot.to_string(),
        }
    }

    /// A log sent to the system log listening on `socket` (normally [`SYSLOG_SOCKET`]).
    #[must_use]
    pub fn syslog(socket: PathBuf, user: Option<String>, uid: Option<u32>, snapshot: &str) -> Self {
        Self {
            sink: Sink::Syslog(socket),
            user: user.unwrap_or_else(|| "okänd".into()),
            uid,
            snapshot: snapshot.to_string(),
        }
    }

    /// The log the config's `target` names; `socket` is where the system log listens.
    #[must_use]
    pub fn to(
        target: &AccessLogTarget,
        socket: &Path,
        user: Option<String>,
        uid: Option<u32>,
        snapshot: &str,
    ) -> Self {
        match target {
            AccessLogTarget::File(path) => Self::new(path.clone(), user, snapshot),
            AccessLogTarget::Syslog => Self::syslog(socket.to_path_buf(), user, uid, snapshot),
        }
    }

    /// The file, or the system log's socket.
    #[must_use]
    pub fn path(&self) -> &Path {
        match &self.sink {
            Sink::File(path) | Sink::Syslog(path) => path,
        }
    }

    /// The log as errors name it, after "åtkomstloggen": the file, or "i systemloggen
    /// (/dev/log)".
    #[must_use]
    pub fn shown(&self) -> String {
        match &self.sink {
            Sink::File(path) => path.display().to_string(),
            Sink::Syslog(socket) => format!("i systemloggen ({})", socket.display()),
        }
    }

    /// Makes one entry: `action` (`start`, `detalj`, `rapport`) on `case_id`. Each file
    /// line is written with a single `write` on a file opened for appending, so concurrent
    /// sessions do not interleave within a line; each system log entry is one datagram.
    ///
    /// # Errors
    /// The file cannot be opened for appending or written; the system log's socket is
    /// missing, not listened on, or refuses the entry.
    pub fn record(
        &self,
        now: SystemTime,
        action: &str,
        case_id: Option<&str>,
    ) -> std::io::Result<()> {
        self.write(now, action, case_id, None)
    }

    /// Makes the entry of an export (action `export`): which file, how many rows, in
    /// which format.
    ///
    /// # Errors
    /// As [`AccessLog::record`].
    pub fn record_export(
        &self,
        now: SystemTime,
        file: &Path,
        rows: usize,
        format: &str,
    ) -> std::io::Result<()> {
        self.write(now, "export", None, Some((file, rows, format)))
    }

    fn write(
        &self,
        now: SystemTime,
        action: &str,
        case_id: Option<&str>,
        export: Option<(&Path, usize, &str)>,
    ) -> std::io::Result<()> {
        let syslog = matches!(self.sink, Sink::Syslog(_));
        let line = Line {
            // The system log stamps its entries itself.
            time: (!syslog).then(|| {
                chrono::DateTime::<chrono::Utc>::from(now)
                    .format("%Y-%m-%dT%H:%M:%SZ")
                    .to_string()
            }),
            user: &self.user,
            uid: self.uid.filter(|_| syslog),
            snapshot: &self.snapshot,
            case_id,
            action,
            file: export.map(|(f, _, _)| f.display().to_string()),
            rows: export.map(|(_, n, _)| n),
            format: export.map(|(_, _, f)| f),
        };
        let mut text = serde_json::to_string(&line).map_err(std::io::Error::other)?;
        match &self.sink {
            Sink::File(path) => {
                text.push('\n');
                let mut file = open_log(path)?;
                file.write_all(text.as_bytes())
            }
            Sink::Syslog(socket) => send_to_syslog(socket, &text),
        }
    }
}

/// Sends one entry to the system log listening on `socket` (RFC 3164, as `syslog(3)` does:
/// no host name on the local socket, tag `bevaka` with the process id, facility
/// `authpriv`, which rsyslog keeps out of the general log), connecting anew each time so
/// that a restarted journald is found again.
fn send_to_syslog(socket: &Path, message: &str) -> std::io::Result<()> {
    let formatter = syslog::Formatter3164 {
        facility: syslog::Facility::LOG_AUTHPRIV,
        hostname: None,
        process: SYSLOG_TAG.to_string(),
        pid: std::process::id(),
    };
    let mut logger =
        syslog::unix_custom(formatter, socket).map_err(|e| syslog_error(socket, &e))?;
    logger.info(message).map_err(|e| syslog_error(socket, &e))
}

/// A failure of the system log, in words, with the I/O error's kind kept.
fn syslog_error(socket: &Path, e: &syslog::Error) -> std::io::Error {
    let io = io_cause(e);
    let kind = io.map_or(std::io::ErrorKind::Other, std::io::Error::kind);
    let shown = socket.display();
    let why = match kind {
        std::io::ErrorKind::NotFound => format!(
            "{shown} finns inte: ingen systemlogg (journald eller rsyslog) tar emot meddelanden här"
        ),
        std::io::ErrorKind::ConnectionRefused => {
            format!("ingen systemlogg läser {shown}")
        }
        std::io::ErrorKind::PermissionDenied => {
            format!("bevaka får inte skriva till {shown}")
        }
        _ => match io {
            Some(io) => format!("{shown}: {io}"),
            None => format!("{shown}: {e}"),
        },
    };
    std::io::Error::new(kind, why)
}

/// The I/O error behind a `syslog` error, if there is one.
fn io_cause(e: &syslog::Error) -> Option<&std::io::Error> {
    match e {
        syslog::Error::Io(io) | syslog::Error::Write(io) => Some(io),
        syslog::Error::Initialization(inner) => inner
            .downcast_ref::<syslog::Error>()
            .and_then(io_cause)
            .or_else(|| inner.downcast_ref::<std::io::Error>()),
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
    fn an_export_line_names_the_file_and_its_rows() {
        let dir = tempfile::tempdir().expect("tempdir");
        let log = AccessLog::new(dir.path().join("a.log"), Some("anna".into()), "s.sqlite");
        let t = SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_420_000_000);
        log.record_export(
            t,
            Path::new("/home/anna/bevaka-bevakningar-2014-12-31.csv"),
            42,
            "csv",
        )
        .expect("write");
        let text = std::fs::read_to_string(log.path()).expect("read");
        let line: serde_json::Value = serde_json::from_str(text.trim()).expect("json");
        assert_eq!(line["action"], "export");
        assert_eq!(line["file"], "/home/anna/bevaka-bevakningar-2014-12-31.csv");
        assert_eq!(line["rows"], 42);
        assert_eq!(line["format"], "csv");
        assert_eq!(line["case_id"], serde_json::Value::Null);
        assert_eq!(line["time"], "2014-12-31T04:26:40Z");
        // The file log's lines are as before: no uid.
        assert!(line.get("uid").is_none(), "{line}");
    }

    /// A system log on a temporary socket: each entry as received.
    struct Listener {
        _dir: tempfile::TempDir,
        socket: PathBuf,
        sock: std::os::unix::net::UnixDatagram,
    }

    impl Listener {
        fn new() -> Self {
            let dir = tempfile::tempdir().expect("tempdir");
            let socket = dir.path().join("log");
            let sock = std::os::unix::net::UnixDatagram::bind(&socket).expect("bind");
            sock.set_read_timeout(Some(std::time::Duration::from_secs(5)))
                .expect("timeout");
            Self {
                _dir: dir,
                socket,
                sock,
            }
        }

        fn next(&self) -> String {
            let mut buf = vec![0; 65_536];
            let n = self.sock.recv(&mut buf).expect("an entry");
            String::from_utf8(buf[..n].to_vec()).expect("utf-8")
        }
    }

    #[test]
    fn syslog_entries_are_tagged_bevaka_authpriv_with_the_user_and_uid() {
        let listener = Listener::new();
        let log = AccessLog::syslog(
            listener.socket.clone(),
            Some("anna".into()),
            Some(1234),
            "/srv/bevaka/BFN.sqlite",
        );
        log.record(SystemTime::UNIX_EPOCH, "detalj", Some("BF-2014-00001"))
            .expect("sent");
        let entry = listener.next();
        // authpriv (10) × 8 + info (6); no host name on the local socket, as syslog(3).
        assert!(entry.starts_with("<86>"), "{entry}");
        let tag = format!(" bevaka[{}]: ", std::process::id());
        let (head, json) = entry.split_once(&tag).expect("tag");
        assert_eq!(head.len(), "<86>Dec 31 04:26:40".len(), "{entry}");
        let line: serde_json::Value = serde_json::from_str(json).expect("json");
        assert_eq!(
            line,
            serde_json::json!({
                "user": "anna",
                "uid": 1234,
                "snapshot": "/srv/bevaka/BFN.sqlite",
                "case_id": "BF-2014-00001",
                "action": "detalj",
            })
        );
        log.record_export(SystemTime::UNIX_EPOCH, Path::new("/tmp/x.xlsx"), 7, "xlsx")
            .expect("sent");
        let entry = listener.next();
        let line: serde_json::Value =
            serde_json::from_str(entry.split_once(&tag).expect("tag").1).expect("json");
        assert_eq!(line["action"], "export");
        assert_eq!(line["file"], "/tmp/x.xlsx");
        assert_eq!(line["rows"], 7);
        assert_eq!(line["format"], "xlsx");
    }

    #[test]
    fn a_missing_or_unread_syslog_socket_is_an_error_naming_it() {
        let dir = tempfile::tempdir().expect("tempdir");
        let missing = dir.path().join("log");
        let log = AccessLog::syslog(missing.clone(), None, None, "s");
        let e = log
            .record(SystemTime::UNIX_EPOCH, "start", None)
            .expect_err("no socket");
        assert_eq!(e.kind(), std::io::ErrorKind::NotFound);
        assert_eq!(
            e.to_string(),
            format!(
                "{} finns inte: ingen systemlogg (journald eller rsyslog) tar emot meddelanden här",
                missing.display()
            )
        );
        assert_eq!(
            log.shown(),
            format!("i systemloggen ({})", missing.display())
        );

        // A socket left behind by a system log that has stopped.
        drop(std::os::unix::net::UnixDatagram::bind(&missing).expect("bind"));
        let e = log
            .record(SystemTime::UNIX_EPOCH, "start", None)
            .expect_err("nobody reads it");
        assert_eq!(
            e.to_string(),
            format!("ingen systemlogg läser {}", missing.display())
        );
    }

    #[test]
    fn the_config_says_syslog_or_a_file() {
        let at = Some(Path::new("/etc/bevaka/config.toml"));
        let target = |text: &str| crate::config::parse(text, at).expect("parses").access_log;
        assert_eq!(
            target("access_log = \"syslog\"\n"),
            Some(AccessLogTarget::Syslog)
        );
        assert_eq!(
            target("access_log = \"./syslog\"\n"),
            Some(AccessLogTarget::File("/etc/bevaka/./syslog".into()))
        );
        assert_eq!(
            target("access_log = \"/var/log/bevaka.jsonl\"\n"),
            Some(AccessLogTarget::File("/var/log/bevaka.jsonl".into()))
        );
        // `bevaka config` prints it so that it reads back the same.
        for text in ["access_log = \"syslog\"\n", "access_log = \"a.log\"\n"] {
            let c = crate::config::parse(text, at).expect("parses");
            let again = crate::config::parse(&c.to_toml(), at).expect("reads back");
            assert_eq!(again.access_log, c.access_log, "{}", c.to_toml());
        }
        let c = crate::config::parse("access_log = \"syslog\"\n", at).expect("parses");
        assert!(
            c.to_toml().contains("access_log = \"syslog\""),
            "{}",
            c.to_toml()
        );
        let relative = crate::config::parse("access_log = \"./syslog\"\n", None).expect("parses");
        assert_eq!(
            crate::config::parse(&relative.to_toml(), None)
                .expect("reads back")
                .access_log,
            Some(AccessLogTarget::File("./syslog".into()))
        );
    }

    #[test]
    fn an_unwritable_log_is_an_error() {
        let log = AccessLog::new("/nonexistent-dir/a.log".into(), None, "s");
        assert!(log.record(SystemTime::UNIX_EPOCH, "start", None).is_err());
    }
}
