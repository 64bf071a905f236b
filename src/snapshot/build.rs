//! One build at a time per output file, and nothing left behind by an interrupted one.
//!
//! A build (`bevaka snapshot build`, `bevaka demo`) holds an exclusive lock on `<out>.lock`
//! from before it reads its input until its file is published, so a second build to the
//! same `--out` is refused, naming who holds the lock, rather than racing the first and
//! possibly publishing older data over newer. The lock file says which process holds it
//! (pid, user, start time) and is removed when the build ends.
//!
//! A build's temporary file is removed when a signal that can be caught ends the process
//! (SIGTERM, SIGINT, SIGHUP), by a thread that waits for them, not in a signal handler.
//! One that cannot be caught (SIGKILL, a crash of the machine) leaves its temporary file
//! behind: the next build to the same `--out`, once it holds the lock and so knows no other
//! build is running, removes it and says so.

use std::fs::{self, File, OpenOptions};
use std::io::{Read, Write};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, OnceLock};

use super::write::WriteError;

/// The files to remove if a signal ends the process: the temporary file and the lock file
/// of the build in progress. Publishing holds this lock around its rename, so a signal
/// either comes before the rename (and the temporary file is removed) or after it.
static CLEANUP: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Started once, by the first build of the process.
static SIGNALS: OnceLock<()> = OnceLock::new();

pub(crate) fn cleanup_list() -> MutexGuard<'static, Vec<PathBuf>> {
    CLEANUP
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Removes `path` if a caught signal ends the process before [`forget`] is called.
pub(crate) fn remove_on_signal(path: &Path) {
    cleanup_list().push(path.to_path_buf());
}

/// Undoes [`remove_on_signal`].
pub(crate) fn forget(list: &mut Vec<PathBuf>, path: &Path) {
    list.retain(|p| p != path);
}

/// Starts the thread that, on SIGTERM, SIGINT or SIGHUP, removes the files of the build in
/// progress and then ends the process as the signal would have.
pub(crate) fn handle_signals() {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    SIGNALS.get_or_init(|| {
        let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGTERM, SIGINT, SIGHUP]) else {
            return;
        };
        let _ = std::thread::Builder::new()
            .name("bygge-signaler".into())
            .spawn(move || {
                if let Some(signal) = signals.forever().next() {
                    // Held until the process ends: no rename can publish after the removal.
                    let list = cleanup_list();
                    for path in list.iter() {
                        let _ = fs::remove_file(path);
                    }
                    let _ = signal_hook::low_level::emulate_default_handler(signal);
                    std::process::exit(128 + signal);
                }
            });
    });
}

/// The lock file beside `out`.
#[must_use]
pub fn lock_path(out: &Path) -> PathBuf {
    out.with_file_name(format!("{}.lock", file_name(out)))
}

fn file_name(out: &Path) -> String {
    out.file_name()
        .map_or_else(|| "snapshot".into(), |n| n.to_string_lossy().into_owned())
}

/// The exclusive right to build `out`, held until dropped.
#[derive(Debug)]
pub struct BuildLock {
    out: PathBuf,
    path: PathBuf,
    // Holds the lock (flock) while open.
    file: File,
}

impl BuildLock {
    /// Takes the lock beside `out`, writes who holds it, and removes the temporary files that
    /// killed builds to `out` left behind (naming each on stderr).
    ///
    /// # Errors
    /// [`WriteError::Busy`] when another build holds the lock, naming it; I/O errors naming
    /// the lock file.
    pub fn acquire(out: &Path) -> Result<Self, WriteError> {
        handle_signals();
        let path = lock_path(out);
        let io = |source| WriteError::Io {
            path: path.clone(),
            source,
        };
        let file = loop {
            let file = match OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(&path)
            {
                Ok(file) => file,
                // Another user's lock file: if that build still runs, say so; if it
                // ended without removing it, remove it and take a new one.
                Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {
                    let file = File::open(&path).map_err(io)?;
                    if let Err(fs::TryLockError::WouldBlock) = file.try_lock() {
                        return Err(busy(out, &path, file));
                    }
                    drop(file);
                    fs::remove_file(&path).map_err(|_| io(e))?;
                    continue;
                }
                Err(e) => return Err(io(e)),
            };
            match file.try_lock() {
                Ok(()) => {}
                Err(fs::TryLockError::WouldBlock) => return Err(busy(out, &path, file)),
                Err(fs::TryLockError::Error(e)) => return Err(io(e)),
            }
            // The build that held it may have removed the file between our open and our
            // lock: then the lock is on a file nobody else will open, so take the new one.
            let same = match (file.metadata(), fs::metadata(&path)) {
                (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
                _ => false,
            };
            if same {
                break file;
            }
        };
        remove_on_signal(&path);
        let lock = Self {
            out: out.to_path_buf(),
            path,
            file,
        };
        {
            let mut file = &lock.file;
            file.set_len(0)
                .and_then(|()| file.write_all(Holder::me().to_lines().as_bytes()))
                .map_err(|source| WriteError::Io {
                    path: lock.path.clone(),
                    source,
                })?;
        }
        for stale in remove_stale(out) {
            eprintln!(
                "Tog bort kvarlämnad temporär fil {} från ett avbrutet bygge",
                stale.display()
            );
        }
        Ok(lock)
    }

    /// The file this lock is for.
    #[must_use]
    pub fn out(&self) -> &Path {
        &self.out
    }
}

/// The refusal of a build to `out` while another holds the lock `path`, open as `file`.
fn busy(out: &Path, path: &Path, mut file: File) -> WriteError {
    let mut text = String::new();
    let _ = file.read_to_string(&mut text);
    WriteError::Busy {
        out: out.to_path_buf(),
        lock: path.to_path_buf(),
        holder: Holder::parse(&text).to_string(),
    }
}

impl Drop for BuildLock {
    fn drop(&mut self) {
        let mut list = cleanup_list();
        forget(&mut list, &self.path);
        // Removed while still held; a build waiting to open it checks it locked the file
        // that is still there.
        let _ = fs::remove_file(&self.path);
    }
}

/// Who holds a build lock, as written in the lock file.
#[derive(Debug, Default, PartialEq, Eq)]
struct Holder {
    pid: Option<String>,
    user: Option<String>,
    started: Option<String>,
}

impl Holder {
    fn me() -> Self {
        Self {
            pid: Some(std::process::id().to_string()),
            user: std::env::var("USER")
                .or_else(|_| std::env::var("LOGNAME"))
                .ok()
                .filter(|u| !u.is_empty())
                // Without a login name (cron, a service), at least the uid.
                .or_else(|| {
                    fs::metadata("/proc/self")
                        .ok()
                        .map(|m| format!("uid {}", m.uid()))
                }),
            started: Some(chrono::Local::now().format("%Y-%m-%d %H:%M:%S").to_string()),
        }
    }

    fn to_lines(&self) -> String {
        let field = |v: &Option<String>| v.clone().unwrap_or_default();
        format!(
            "pid={}\nuser={}\nstarted={}\n",
            field(&self.pid),
            field(&self.user),
            field(&self.started)
        )
    }

    fn parse(text: &str) -> Self {
        let mut holder = Self::default();
        for line in text.lines() {
            let Some((key, value)) = line.split_once('=') else {
                continue;
            };
            let value = Some(value.trim().to_string()).filter(|v| !v.is_empty());
            match key.trim() {
                "pid" => holder.pid = value,
                "user" => holder.user = value,
                "started" => holder.started = value,
                _ => {}
            }
        }
        holder
    }
}

impl std::fmt::Display for Holder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let or = |v: &Option<String>| v.clone().unwrap_or_else(|| "okänd".into());
        write!(
            f,
            "pid {}, användare {}, startat {}",
            or(&self.pid),
            or(&self.user),
            or(&self.started)
        )
    }
}

/// Removes the temporary files of earlier builds to `out` (`.<name>.<pid>.tmp` and its
/// journal), which only a killed build leaves; called with the lock held, so none of them
/// belongs to a running build. Returns the files removed.
fn remove_stale(out: &Path) -> Vec<PathBuf> {
    let dir = match out.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let prefix = format!(".{}.", file_name(out));
    let Ok(entries) = fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut removed = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else {
            continue;
        };
        let Some(rest) = name.strip_prefix(&prefix) else {
            continue;
        };
        let Some(pid) = rest
            .strip_suffix(".tmp")
            .or_else(|| rest.strip_suffix(".tmp-journal"))
        else {
            continue;
        };
        if pid.is_empty() || !pid.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        let is_file = entry.file_type().is_ok_and(|t| t.is_file());
        // Named as `out` is (relative stays relative).
        let path = out.with_file_name(name);
        if is_file && fs::remove_file(&path).is_ok() {
            removed.push(path);
        }
    }
    removed.sort();
    removed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_holder_is_read_back_as_written() {
        let h = Holder {
            pid: Some("42".into()),
            user: Some("anna".into()),
            started: Some("2026-01-02 03:04:05".into()),
        };
        assert_eq!(Holder::parse(&h.to_lines()), h);
        assert_eq!(
            h.to_string(),
            "pid 42, användare anna, startat 2026-01-02 03:04:05"
        );
        assert_eq!(
            Holder::parse("").to_string(),
            "pid okänd, användare okänd, startat okänd"
        );
    }

    #[test]
    fn a_second_lock_on_the_same_file_is_refused_and_the_lock_file_removed_after() {
        let dir = tempfile::tempdir().expect("tempdir");
        let out = dir.path().join("s.sqlite");
        let first = BuildLock::acquire(&out).expect("first");
        let second = BuildLock::acquire(&out).expect_err("second is refused");
        let text = second.to_string();
        assert!(
            text.contains(&format!("pid {}", std::process::id())),
            "{text}"
        );
        assert!(lock_path(&out).exists());
        drop(first);
        assert!(!lock_path(&out).exists());
        drop(BuildLock::acquire(&out).expect("free again"));
    }

    #[test]
    fn only_temporary_files_of_builds_to_the_same_file_are_stale() {
        let dir = tempfile::tempdir().expect("tempdir");
        let out = dir.path().join("s.sqlite");
        for name in [
            ".s.sqlite.123.tmp",
            ".s.sqlite.123.tmp-journal",
            ".s.sqlite.x.tmp",
            ".t.sqlite.123.tmp",
            "s.sqlite",
        ] {
            fs::write(dir.path().join(name), "x").expect("write");
        }
        let removed = remove_stale(&out);
        assert_eq!(
            removed,
            [
                dir.path().join(".s.sqlite.123.tmp"),
                dir.path().join(".s.sqlite.123.tmp-journal")
            ]
        );
        assert!(dir.path().join(".s.sqlite.x.tmp").exists());
        assert!(dir.path().join(".t.sqlite.123.tmp").exists());
    }
}
