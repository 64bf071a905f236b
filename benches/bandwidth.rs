//! Bytes on the wire (issue 6): what the real binary writes to its terminal to paint each
//! view in full and to move the selection one row down, at 80×24 and 200×50, with colour
//! and with `NO_COLOR`. Over a slow SSH link these bytes are the latency the user feels.
//!
//! `cargo bench --bench bandwidth` prints a Markdown table; BENCHMARKS.md keeps the figures.
//! Not a timed test: the counts are exact, not statistics.
//!
//! Each measurement starts a fresh `bevaka` on the demo snapshot in a pseudo-terminal that
//! is too small for any view (so nothing is drawn but the too-small message), switches to
//! the view there, then grows the window to the size measured: everything written until the
//! output pauses is one full paint of that view from a cleared screen. Then `j` (one row
//! down) and `k` (back up; in a view whose selection starts on the last row, `j` has
//! nothing to move and `k` is the step).

#[allow(dead_code)] // the end-to-end tests use more of it
#[path = "../tests/integration/e2e/pty.rs"]
mod pty;

use std::ffi::OsStr;
use std::path::Path;
use std::time::Duration;

use pty::{Session, Spawn};

const BEVAKA: &str = env!("CARGO_BIN_EXE_bevaka");
const QUIET: Duration = Duration::from_millis(400);
const TIMEOUT: Duration = Duration::from_secs(20);
const SIZES: [(u16, u16); 2] = [(80, 24), (200, 50)];

/// Runs per figure; the smallest count is kept (a minute turning during a run adds one
/// empty frame, 25 bytes).
const RUNS: usize = 3;

struct Figures {
    paint: usize,
    down: usize,
    up: usize,
}

fn start(dir: &Path, snapshot: &Path, cols: u16, rows: u16, color: bool) -> Session {
    let config = dir.join("config");
    let mut env: Vec<(&str, &OsStr)> = vec![
        ("TERM", OsStr::new("xterm-256color")),
        ("LANG", OsStr::new("C.UTF-8")),
        ("XDG_CONFIG_HOME", config.as_os_str()),
    ];
    if !color {
        env.push(("NO_COLOR", OsStr::new("1")));
    }
    Session::spawn(&Spawn {
        program: Path::new(BEVAKA),
        args: vec![
            OsStr::new("--today"),
            OsStr::new("2014-12-31"),
            OsStr::new("--snapshot"),
            snapshot.as_os_str(),
        ],
        cols,
        rows,
        env,
        cwd: dir,
    })
}

/// Bytes written from `from` until the output pauses, after a key that may change nothing
/// on screen (then nothing is written).
fn settle(s: &Session, from: usize) -> usize {
    // Quiet since the last byte before the key would end the wait at once.
    std::thread::sleep(QUIET);
    assert!(s.wait_quiet(QUIET, TIMEOUT), "output never paused");
    s.raw_len() - from
}

/// Bytes written from `from` until the output pauses.
fn burst(s: &Session, from: usize) -> usize {
    assert!(
        s.wait_until(TIMEOUT, |seen| seen.raw.len() > from),
        "nothing written"
    );
    assert!(s.wait_quiet(QUIET, TIMEOUT), "output never paused");
    s.raw_len() - from
}

fn measure(dir: &Path, snapshot: &Path, key: u8, size: (u16, u16), color: bool) -> Figures {
    let mut s = start(dir, snapshot, 10, 3, color);
    burst(&s, 0);
    s.wait_for("the too-small message", TIMEOUT, |t| t.contains("Fönstret"));
    if key != b'1' {
        let before = s.raw_len();
        s.send(&[key]);
        // The view changed behind the message: the diff is empty but the frame still ends.
        burst(&s, before);
    }
    let before = s.raw_len();
    s.resize(size.0, size.1);
    let paint = burst(&s, before);
    assert!(
        s.text().contains("Bevakningar"),
        "not painted:\n{}",
        s.text()
    );
    let before = s.raw_len();
    s.send(b"j");
    let down = settle(&s, before);
    let before = s.raw_len();
    s.send(b"k");
    let up = settle(&s, before);
    s.send(b"q");
    assert!(s.wait_exit(TIMEOUT).is_some(), "bevaka did not quit");
    Figures { paint, down, up }
}

/// What a view's chart costs: the switch to view `key` from the first screen (the screen is
/// cleared and the view painted whole: see BENCHMARKS.md "Stale cells"), `o` (the chart in
/// the table's place, or larger), then `j` and `k` with the chart showing.
fn chart(dir: &Path, snapshot: &Path, key: u8, size: (u16, u16), color: bool) -> [usize; 4] {
    let mut s = start(dir, snapshot, size.0, size.1, color);
    burst(&s, 0);
    s.wait_for("the list", TIMEOUT, |t| t.contains("Bevakningar"));
    let mut keys = [0; 4];
    for (n, k) in [key, b'o', b'j', b'k'].into_iter().enumerate() {
        let before = s.raw_len();
        s.send(&[k]);
        keys[n] = settle(&s, before);
    }
    s.send(b"q");
    assert!(s.wait_exit(TIMEOUT).is_some(), "bevaka did not quit");
    keys
}

/// The first screen as the user sees it at start-up, entering the alternate screen included.
fn first_screen(dir: &Path, snapshot: &Path, size: (u16, u16), color: bool) -> usize {
    let mut s = start(dir, snapshot, size.0, size.1, color);
    let n = burst(&s, 0);
    s.wait_for("the list", TIMEOUT, |t| t.contains("Bevakningar"));
    s.send(b"q");
    assert!(s.wait_exit(TIMEOUT).is_some(), "bevaka did not quit");
    n
}

/// The smallest of [`RUNS`] measurements.
fn least(mut f: impl FnMut() -> Figures) -> Figures {
    (0..RUNS).map(|_| f()).fold(
        Figures {
            paint: usize::MAX,
            down: usize::MAX,
            up: usize::MAX,
        },
        |a, b| Figures {
            paint: a.paint.min(b.paint),
            down: a.down.min(b.down),
            up: a.up.min(b.up),
        },
    )
}

/// The views, from the tab line of a wide window: `(key, title)`.
fn views(dir: &Path, snapshot: &Path) -> Vec<(u8, String)> {
    let mut s = start(dir, snapshot, 200, 50, false);
    s.wait_for("the first screen", TIMEOUT, |t| t.contains("Bevakningar"));
    let tabs = s.text().lines().next().unwrap_or_default().to_string();
    s.send(b"q");
    assert!(s.wait_exit(TIMEOUT).is_some(), "bevaka did not quit");
    let mut found = Vec::new();
    for key in b'1'..=b'9' {
        let mark = format!(" {} ", char::from(key));
        let Some(at) = tabs.find(&mark) else { break };
        let rest = &tabs[at + mark.len()..];
        let end = rest.find("  ").unwrap_or(rest.len());
        found.push((key, rest[..end].trim().to_string()));
    }
    found
}

fn main() {
    // `cargo bench` passes `--bench`; a filter argument is not supported (the run is short).
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(dir.path().join("config")).expect("config dir");
    let snapshot = dir.path().join("bevaka.sqlite");
    let o = std::process::Command::new(BEVAKA)
        .args(["demo", "--as-of", "2014-12-31", "--out"])
        .arg(&snapshot)
        .output()
        .expect("bevaka demo");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));

    // `cargo bench --bench bandwidth -- charts`: the charts' table alone.
    let charts_only = std::env::args().any(|a| a == "charts");
    println!(
        "Bytes written to the terminal (demo snapshot, --today 2014-12-31, TERM=xterm-256color)"
    );
    println!();
    println!(
        "| chart | size | switch to the view | `o` | `j` | `k` | NO_COLOR: switch | `o` | `j` | `k` |"
    );
    println!("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (key, what) in [
        (
            b'3',
            "3 Ärenden: the selected insats over the whole history",
        ),
        (b'4', "4 Handläggningstid: the median per quarter"),
    ] {
        for size in SIZES {
            let least = |color| {
                (0..RUNS)
                    .map(|_| chart(dir.path(), &snapshot, key, size, color))
                    .fold([usize::MAX; 4], |a, b| {
                        std::array::from_fn(|i| a[i].min(b[i]))
                    })
            };
            let (c, m) = (least(true), least(false));
            println!(
                "| {what} | {}×{} | {} | {} | {} | {} | {} | {} | {} | {} |",
                size.0, size.1, c[0], c[1], c[2], c[3], m[0], m[1], m[2], m[3]
            );
        }
    }
    if charts_only {
        return;
    }
    println!();
    println!("| view | size | full paint | `j` | `k` | NO_COLOR: full paint | `j` | `k` |");
    println!("|---|---|---:|---:|---:|---:|---:|---:|");
    for (key, title) in views(dir.path(), &snapshot) {
        for size in SIZES {
            let c = least(|| measure(dir.path(), &snapshot, key, size, true));
            let m = least(|| measure(dir.path(), &snapshot, key, size, false));
            println!(
                "| {} {title} | {}×{} | {} | {} | {} | {} | {} | {} |",
                char::from(key),
                size.0,
                size.1,
                c.paint,
                c.down,
                c.up,
                m.paint,
                m.down,
                m.up
            );
        }
    }
    println!();
    println!("| first screen at start-up (view 1) | colour | NO_COLOR |");
    println!("|---|---:|---:|");
    for size in SIZES {
        let first = |color| {
            (0..RUNS)
                .map(|_| first_screen(dir.path(), &snapshot, size, color))
                .min()
                .unwrap_or_default()
        };
        println!(
            "| {}×{} | {} | {} |",
            size.0,
            size.1,
            first(true),
            first(false)
        );
    }
}
