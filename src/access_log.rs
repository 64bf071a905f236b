//! "Who looked at what": where the unit wants it (`access_log = PATH` in the config), each
//! session's start and each case detail opened append one JSON line — time, OS user,
//! snapshot, case id, action. Nothing else about the case is written.
//!
//! The unit asked for the log, so a log that cannot be written is not ignored: bevaka will
//! not start, and a case detail is not shown, when its line cannot be appended.

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
        let mut file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.path)?;
        file.write_all(text.as_bytes())
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
    fn an_unwritable_log_is_an_error() {
        let log = AccessLog::new("/nonexistent-dir/a.log".into(), None, "s");
        assert!(log.record(SystemTime::UNIX_EPOCH, "start", None).is_err());
    }
}
