//! The real `bevaka` binary in a pseudo-terminal, as a user on an SSH link runs it: a
//! reader thread feeds everything the program writes into a `vt100` screen (what the user
//! would see) and keeps the raw bytes (what went over the wire). Shared by the end-to-end
//! tests and the bandwidth benchmark.

use std::ffi::OsStr;
use std::io::{Read, Write};
use std::num::NonZeroU16;
use std::path::Path;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};

/// Records what the program asked the terminal to do besides drawing.
#[derive(Default)]
pub struct Events {
    /// Window titles and icon names set (OSC 0, 1, 2).
    pub titles: Vec<Vec<u8>>,
    /// Audible or visual bells.
    pub bells: usize,
    /// Clipboard writes or reads (OSC 52).
    pub clipboard: usize,
}

impl vt100::Callbacks for Events {
    fn audible_bell(&mut self, _: &mut vt100::Screen) {
        self.bells += 1;
    }
    fn visual_bell(&mut self, _: &mut vt100::Screen) {
        self.bells += 1;
    }
    fn set_window_icon_name(&mut self, _: &mut vt100::Screen, name: &[u8]) {
        self.titles.push(name.to_vec());
    }
    fn set_window_title(&mut self, _: &mut vt100::Screen, title: &[u8]) {
        self.titles.push(title.to_vec());
    }
    fn copy_to_clipboard(&mut self, _: &mut vt100::Screen, _: &[u8], _: &[u8]) {
        self.clipboard += 1;
    }
    fn paste_from_clipboard(&mut self, _: &mut vt100::Screen, _: &[u8]) {
        self.clipboard += 1;
    }
}

/// What the reader thread has seen so far.
pub struct Seen {
    pub parser: vt100::Parser<Events>,
    /// Every byte the program wrote, in order.
    pub raw: Vec<u8>,
    /// When the last byte arrived.
    pub last_byte: Instant,
    /// No more output will be read: the pty reported end of file (the program and its
    /// children are gone) or the reader let go of it ([`Session::hang_up`]).
    pub eof: bool,
    /// Asks the reader thread to let go of its end of the pty after its next read.
    stop: bool,
}

impl Seen {
    /// The screen as text, rows joined by newlines.
    #[must_use]
    pub fn text(&self) -> String {
        self.parser.screen().contents()
    }
}

type Shared = Arc<(Mutex<Seen>, Condvar)>;

fn nz(n: u16) -> NonZeroU16 {
    NonZeroU16::new(n.max(1)).expect("at least 1")
}

/// A running `bevaka` in a pseudo-terminal.
pub struct Session {
    master: Option<Box<dyn MasterPty + Send>>,
    writer: Option<Box<dyn Write + Send>>,
    child: Box<dyn Child + Send + Sync>,
    shared: Shared,
    reader: Option<JoinHandle<()>>,
    exit: Option<portable_pty::ExitStatus>,
}

/// How to start one.
pub struct Spawn<'a> {
    pub program: &'a Path,
    pub args: Vec<&'a OsStr>,
    pub cols: u16,
    pub rows: u16,
    /// The only environment the program gets besides `PATH` and `HOME`.
    pub env: Vec<(&'a str, &'a OsStr)>,
    pub cwd: &'a Path,
}

impl Session {
    /// Starts the program as the session leader of a new pty, with the pty as its
    /// controlling terminal (as sshd does), so closing the master hangs it up.
    #[must_use]
    pub fn spawn(s: &Spawn<'_>) -> Self {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: s.rows,
                cols: s.cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("openpty");
        let mut cmd = CommandBuilder::new(s.program);
        cmd.args(&s.args);
        cmd.env_clear();
        for name in ["PATH", "HOME"] {
            if let Some(v) = std::env::var_os(name) {
                cmd.env(name, v);
            }
        }
        for (k, v) in &s.env {
            cmd.env(k, v);
        }
        cmd.cwd(s.cwd);
        let child = pair
            .slave
            .spawn_command(cmd)
            .expect("spawn bevaka in the pty");
        // Only the child holds the slave side: when it exits, reads of the master end.
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("pty reader");
        let writer = pair.master.take_writer().expect("pty writer");
        let shared: Shared = Arc::new((
            Mutex::new(Seen {
                parser: vt100::Parser::new_with_callbacks(
                    nz(s.rows),
                    nz(s.cols),
                    0,
                    Events::default(),
                ),
                raw: Vec::new(),
                last_byte: Instant::now(),
                eof: false,
                stop: false,
            }),
            Condvar::new(),
        ));
        let feed = Arc::clone(&shared);
        let thread = std::thread::spawn(move || {
            let mut buf = vec![0_u8; 16 * 1024];
            loop {
                let n = reader.read(&mut buf).unwrap_or(0);
                let (lock, cvar) = &*feed;
                let mut seen = lock.lock().expect("lock");
                if n == 0 {
                    seen.eof = true;
                } else {
                    seen.raw.extend_from_slice(&buf[..n]);
                    seen.parser.process(&buf[..n]);
                    seen.last_byte = Instant::now();
                }
                let done = seen.eof || seen.stop;
                seen.eof = done; // nothing more will be read either way
                drop(seen);
                cvar.notify_all();
                if done {
                    return; // dropping `reader` closes this copy of the master
                }
            }
        });
        Self {
            master: Some(pair.master),
            writer: Some(writer),
            child,
            shared,
            reader: Some(thread),
            exit: None,
        }
    }

    /// The program's process id.
    #[must_use]
    pub fn pid(&self) -> i32 {
        let pid = self.child.process_id().expect("pid");
        i32::try_from(pid).expect("pid fits")
    }

    /// Locks what has been seen so far.
    pub fn seen(&self) -> MutexGuard<'_, Seen> {
        self.shared.0.lock().expect("lock")
    }

    /// The screen as text.
    #[must_use]
    pub fn text(&self) -> String {
        self.seen().text()
    }

    /// How many bytes the program has written.
    #[must_use]
    pub fn raw_len(&self) -> usize {
        self.seen().raw.len()
    }

    /// The bytes written since `from` (a [`Session::raw_len`]).
    #[must_use]
    pub fn raw_since(&self, from: usize) -> Vec<u8> {
        self.seen().raw[from..].to_vec()
    }

    /// Types `bytes` as the user would.
    pub fn send(&mut self, bytes: &[u8]) {
        let w = self.writer.as_mut().expect("pty still open");
        w.write_all(bytes).expect("write to pty");
        w.flush().expect("flush pty");
    }

    /// Resizes the window (the program gets SIGWINCH).
    pub fn resize(&mut self, cols: u16, rows: u16) {
        self.seen().parser.set_size(nz(rows), nz(cols));
        self.master
            .as_ref()
            .expect("pty still open")
            .resize(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("resize pty");
    }

    /// The pty's local modes now (canonical input, echo, signals): what raw mode changes.
    #[must_use]
    pub fn local_flags(&self) -> nix::sys::termios::LocalFlags {
        self.master
            .as_ref()
            .expect("pty still open")
            .get_termios()
            .expect("termios")
            .local_flags
    }

    /// Waits until `ready` holds for what has been seen, or `timeout` passes; returns
    /// whether it held. Wakes on every chunk of output, so it never waits longer than needed.
    pub fn wait_until(&self, timeout: Duration, ready: impl Fn(&Seen) -> bool) -> bool {
        let (lock, cvar) = &*self.shared;
        let deadline = Instant::now() + timeout;
        let mut seen = lock.lock().expect("lock");
        loop {
            if ready(&seen) {
                return true;
            }
            let now = Instant::now();
            if now >= deadline || seen.eof {
                return ready(&seen);
            }
            // Also wake now and then: some conditions depend on time, not on new bytes.
            let step = (deadline - now).min(Duration::from_millis(100));
            seen = cvar.wait_timeout(seen, step).expect("lock").0;
        }
    }

    /// Waits until the screen satisfies `ready`; panics with the screen and `what` if it
    /// does not within `timeout`.
    pub fn wait_for(&self, what: &str, timeout: Duration, ready: impl Fn(&str) -> bool) {
        if !self.wait_until(timeout, |s| ready(&s.text())) {
            panic!(
                "timed out after {timeout:?} waiting for {what}; the screen:\n{}",
                self.text()
            );
        }
    }

    /// Waits until nothing has been written for `quiet` (the frame is complete); returns
    /// false if output never paused within `timeout`.
    pub fn wait_quiet(&self, quiet: Duration, timeout: Duration) -> bool {
        self.wait_until(timeout, |s| s.eof || s.last_byte.elapsed() >= quiet)
    }

    /// Waits for the program to exit and its output to be read to the end.
    pub fn wait_exit(&mut self, timeout: Duration) -> Option<portable_pty::ExitStatus> {
        let deadline = Instant::now() + timeout;
        while self.exit.is_none() {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                self.exit = Some(status);
                break;
            }
            if Instant::now() >= deadline {
                return None;
            }
            // Polling the child's status; the reader thread wakes us on output only.
            std::thread::sleep(Duration::from_millis(20));
        }
        // The last bytes (the restore sequences) may still be in the pty.
        let left = deadline.saturating_duration_since(Instant::now()) + Duration::from_secs(2);
        self.wait_until(left, |s| s.eof);
        self.exit.clone()
    }

    /// Closes every copy of the pty's master, as when the SSH client dies: the kernel hangs
    /// up the terminal and the session leader gets SIGHUP. `nudge` must make the program
    /// write something, so the reader thread wakes from its read and lets go.
    pub fn hang_up(&mut self, nudge: impl FnOnce(&mut Self)) {
        self.seen().stop = true;
        nudge(self);
        // The reader sets `eof` as it lets go; fail rather than hang if it never wakes.
        assert!(
            self.wait_until(Duration::from_secs(10), |s| s.eof),
            "the program wrote nothing after the nudge"
        );
        if let Some(t) = self.reader.take() {
            t.join().expect("reader thread");
        }
        // Let the program finish that redraw and go back to waiting for input, where a
        // hang-up finds a program at rest (not an assertion: it only sets the scene).
        std::thread::sleep(Duration::from_millis(500));
        self.writer = None;
        self.master = None;
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        if self.exit.is_none() && matches!(self.child.try_wait(), Ok(None)) {
            // A failed test must not leave the program running.
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}
