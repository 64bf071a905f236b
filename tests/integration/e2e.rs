//! The real binary in a pseudo-terminal (issue 6): what a user over SSH sees and what goes
//! over the wire. Each test starts `bevaka` in its own pty with a fixed date, an empty
//! config directory and a demo (or hostile) snapshot, types keys, and reads the screen
//! through a terminal emulator. Every wait is a bounded poll of the screen or the output;
//! no assertion rests on a fixed sleep.

mod pty;

use std::collections::BTreeSet;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant, SystemTime};

use nix::sys::signal::{Signal, kill};
use nix::sys::termios::LocalFlags;
use nix::unistd::Pid;
use pty::{Session, Spawn};

const BEVAKA: &str = env!("CARGO_BIN_EXE_bevaka");
/// Generous: the suite must pass on a loaded two-core machine.
const SCREEN: Duration = Duration::from_secs(15);

/// A temporary home for one test: a snapshot and an empty config directory.
struct Place {
    dir: tempfile::TempDir,
}

impl Place {
    fn new() -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir(dir.path().join("config")).expect("config dir");
        Self { dir }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// `bevaka demo --as-of DATE --out NAME`, as a publisher would write it.
    fn demo(&self, as_of: &str, name: &str) -> PathBuf {
        let out = self.path(name);
        let o = plain()
            .args(["demo", "--as-of", as_of, "--out"])
            .arg(&out)
            .output()
            .expect("bevaka demo");
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        out
    }

    /// The dashboard on `snapshot` in a `cols`×`rows` pty, colourless unless `color`.
    fn start(&self, snapshot: &Path, cols: u16, rows: u16, color: bool) -> Session {
        self.start_with(snapshot, cols, rows, color, &[])
    }

    /// As [`Place::start`], with more of the environment.
    fn start_with(
        &self,
        snapshot: &Path,
        cols: u16,
        rows: u16,
        color: bool,
        more: &[(&'static str, &OsStr)],
    ) -> Session {
        let config = self.path("config");
        let mut env: Vec<(&str, &OsStr)> = vec![
            ("TERM", OsStr::new("xterm-256color")),
            ("LANG", OsStr::new("C.UTF-8")),
            ("XDG_CONFIG_HOME", config.as_os_str()),
        ];
        env.extend_from_slice(more);
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
            cwd: self.dir.path(),
        })
    }
}

/// `bevaka` without a terminal, independent of the developer's config.
fn plain() -> Command {
    let mut c = Command::new(BEVAKA);
    c.env_remove("BEVAKA_CONFIG")
        .env("XDG_CONFIG_HOME", "/nonexistent-bevaka-test")
        .env("NO_COLOR", "1");
    c
}

/// The screen's words joined by single spaces: wrapped messages read as one line.
fn words(screen: &str) -> String {
    screen.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether some line shows `name` and then, as its next numbers, the figures `counts`.
fn shows_row(screen: &str, name: &str, counts: [u64; 3]) -> bool {
    screen.lines().any(|line| {
        line.split_once(name).is_some_and(|(_, rest)| {
            let nums: Vec<u64> = rest
                .split(|c: char| c.is_whitespace() || c == '│')
                .filter_map(|t| t.parse().ok())
                .collect();
            nums.starts_with(&counts)
        })
    })
}

/// The first screen of the bevakningslista.
fn wait_for_list(s: &Session) {
    s.wait_for("the bevakningslista", SCREEN, |t| {
        t.contains("Bevakningar") && t.contains("försenad")
    });
}

/// SGR sequences in `raw` that set a colour (foreground, background or underline; 8, 16,
/// 256 or RGB). Resets to the default colour (39, 49, 59) and attributes are fine.
fn colour_sequences(raw: &[u8]) -> Vec<String> {
    let mut found = Vec::new();
    let mut i = 0;
    while i + 1 < raw.len() {
        if raw[i] != 0x1b || raw[i + 1] != b'[' {
            i += 1;
            continue;
        }
        let start = i + 2;
        let mut j = start;
        while j < raw.len() && (raw[j].is_ascii_digit() || raw[j] == b';' || raw[j] == b':') {
            j += 1;
        }
        if raw.get(j) == Some(&b'm') {
            let params = &raw[start..j];
            let colour = params.split(|b| *b == b';').any(|p| {
                let n: u32 = std::str::from_utf8(p.split(|b| *b == b':').next().unwrap_or(p))
                    .ok()
                    .and_then(|s| s.parse().ok())
                    .unwrap_or(0);
                matches!(n, 30..=38 | 40..=48 | 58 | 90..=97 | 100..=107)
            });
            if colour {
                found.push(
                    String::from_utf8_lossy(&raw[i..=j])
                        .escape_debug()
                        .to_string(),
                );
            }
        }
        i = j.max(i + 1);
    }
    found
}

/// What the program says to the terminal besides text: every escape sequence with its
/// numbers replaced by `n` (`CSI n;n H`), and every other control character.
fn vocabulary(raw: &[u8]) -> BTreeSet<String> {
    let text = String::from_utf8_lossy(raw);
    let mut out = BTreeSet::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            match chars.next() {
                Some('[') => {
                    let mut seq = String::from("CSI ");
                    let mut in_number = false;
                    for d in chars.by_ref() {
                        if d.is_ascii_digit() {
                            if !in_number {
                                seq.push('n');
                            }
                            in_number = true;
                            continue;
                        }
                        in_number = false;
                        seq.push(d);
                        if ('\u{40}'..='\u{7e}').contains(&d) {
                            break;
                        }
                    }
                    out.insert(seq);
                }
                Some(']') => {
                    out.insert("OSC".into());
                }
                Some('P') => {
                    out.insert("DCS".into());
                }
                Some(k @ ('_' | '^' | 'X')) => {
                    out.insert(format!("string {k}"));
                }
                Some(k) => {
                    out.insert(format!("ESC {k}"));
                }
                None => {
                    out.insert("ESC at the end".into());
                }
            }
        } else if c.is_control() {
            out.insert(format!("control U+{:04X}", u32::from(c)));
        }
    }
    out
}

/// The terminal was given back: main screen, cursor shown, cooked mode.
fn assert_restored(s: &Session, how: &str) {
    let seen = s.seen();
    let raw = &seen.raw;
    let ends_with = |seq: &[u8]| raw.windows(seq.len()).any(|w| w == seq);
    assert!(
        ends_with(b"\x1b[?1049l"),
        "{how}: never left the alternate screen"
    );
    assert!(ends_with(b"\x1b[?25h"), "{how}: cursor never shown again");
    let screen = seen.parser.screen();
    assert!(
        !screen.alternate_screen(),
        "{how}: still on the alternate screen"
    );
    assert!(!screen.hide_cursor(), "{how}: cursor still hidden");
    drop(seen);
    let modes = s.local_flags();
    assert!(
        modes.contains(LocalFlags::ICANON | LocalFlags::ECHO | LocalFlags::ISIG),
        "{how}: raw mode still on ({modes:?})"
    );
}

#[test]
fn list_and_caseload_render_at_80x24_without_colour() {
    let place = Place::new();
    let snap = place.demo("2014-12-31", "bevaka.sqlite");
    let mut s = place.start(&snap, 80, 24, false);
    wait_for_list(&s);
    s.send(b"3");
    s.wait_for("the caseload", SCREEN, |t| {
        t.contains("Ärenden per insats") && shows_row(t, "Hemtjänst", [108, 118, 106])
    });
    {
        let seen = s.seen();
        let colours = colour_sequences(&seen.raw);
        assert!(colours.is_empty(), "NO_COLOR, yet: {colours:?}");
        let screen = seen.parser.screen();
        let mut inverse = false;
        for row in 0..24 {
            for col in 0..80 {
                let cell = screen.cell(row, col).expect("cell");
                assert_eq!(cell.fgcolor(), vt100::Color::Default, "({row},{col})");
                assert_eq!(cell.bgcolor(), vt100::Color::Default, "({row},{col})");
                inverse |= cell.inverse();
            }
        }
        assert!(inverse, "without colour, selection is reverse video");
    }
    // With colour allowed the same screen does use it: the check above can see colour.
    let mut c = place.start(&snap, 80, 24, true);
    wait_for_list(&c);
    assert!(!colour_sequences(&c.seen().raw).is_empty());
    c.send(b"q");
    s.send(b"q");
    assert!(s.wait_exit(SCREEN).is_some_and(|e| e.success()));
    assert!(c.wait_exit(SCREEN).is_some_and(|e| e.success()));
}

#[test]
fn tiny_windows_and_bursts_of_resizes_do_not_break_it() {
    let place = Place::new();
    let snap = place.demo("2014-12-31", "bevaka.sqlite");
    let mut s = place.start(&snap, 80, 24, false);
    wait_for_list(&s);

    s.resize(20, 5);
    s.wait_for("the too-small message at 20×5", SCREEN, |t| {
        words(t).contains("för litet (minst 80×24, nu 20×5)")
    });
    s.resize(80, 24);
    s.wait_for("the list again at 80×24", SCREEN, |t| {
        t.contains("Bevakningar") && t.contains("försenad") && !t.contains("för litet")
    });

    // A burst, as a window manager dragging a corner sends, with the extremes.
    let mut sizes = vec![
        (1, 1),
        (0, 0),
        (1, 80),
        (300, 1),
        (79, 24),
        (80, 23),
        (2, 2),
    ];
    let mut x: u32 = 0x2545_f491;
    for _ in 0..40 {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        let cols = u16::try_from(x % 260).expect("small");
        let rows = u16::try_from((x >> 9) % 90).expect("small");
        sizes.push((cols, rows));
    }
    for (cols, rows) in sizes {
        s.resize(cols, rows);
    }
    s.resize(80, 24);
    s.wait_for("the list after the burst", SCREEN, |t| {
        t.contains("Bevakningar") && t.contains("försenad") && !t.contains("för litet")
    });
    s.send(b"3");
    s.wait_for("the caseload after the burst", SCREEN, |t| {
        shows_row(t, "Hemtjänst", [108, 118, 106])
    });
    s.resize(200, 50);
    s.wait_for("the caseload at 200×50", SCREEN, |t| {
        shows_row(t, "Hemtjänst", [108, 118, 106]) && t.lines().any(|l| l.chars().count() > 150)
    });
    s.send(b"q");
    let exit = s.wait_exit(SCREEN).expect("exits");
    let text = String::from_utf8_lossy(&s.seen().raw).into_owned();
    assert!(!text.contains("panicked"), "{text}");
    assert!(exit.success(), "{exit:?}");
}

/// Starts the dashboard, ends it with `end`, and checks it exits 0 within 2 s with the
/// terminal restored.
fn ends_cleanly(how: &str, end: impl FnOnce(&mut Session)) {
    let place = Place::new();
    let snap = place.demo("2014-12-31", "bevaka.sqlite");
    let mut s = place.start(&snap, 80, 24, false);
    wait_for_list(&s);
    assert!(
        !s.local_flags().contains(LocalFlags::ICANON),
        "{how}: raw mode while running"
    );
    assert!(s.seen().parser.screen().alternate_screen());
    let t0 = Instant::now();
    end(&mut s);
    let exit = s.wait_exit(SCREEN);
    let took = t0.elapsed();
    let exit = exit.unwrap_or_else(|| panic!("{how}: still running after {SCREEN:?}"));
    assert!(
        took < Duration::from_secs(2),
        "{how}: took {took:?} to exit"
    );
    assert!(exit.success(), "{how}: {exit:?}");
    assert_restored(&s, how);
}

fn signal(s: &Session, sig: Signal) {
    kill(Pid::from_raw(s.pid()), sig).expect("kill");
}

#[test]
fn q_restores_the_terminal() {
    ends_cleanly("q", |s| s.send(b"q"));
}

#[test]
fn ctrl_c_restores_the_terminal() {
    ends_cleanly("Ctrl-C", |s| s.send(b"\x03"));
}

#[test]
fn sigterm_restores_the_terminal() {
    ends_cleanly("SIGTERM", |s| signal(s, Signal::SIGTERM));
}

#[test]
fn sighup_restores_the_terminal() {
    ends_cleanly("SIGHUP", |s| signal(s, Signal::SIGHUP));
}

#[test]
fn closed_terminal_ends_the_program() {
    // The SSH client killed: every copy of the pty's master closes, the terminal hangs up.
    let place = Place::new();
    let snap = place.demo("2014-12-31", "bevaka.sqlite");
    let mut s = place.start(&snap, 80, 24, false);
    wait_for_list(&s);
    s.hang_up(|s| s.resize(81, 24)); // a redraw wakes the reader so it can let go
    let t0 = Instant::now();
    let exit = s.wait_exit(Duration::from_secs(10));
    assert!(
        exit.is_some(),
        "still running {:?} after the terminal went away",
        t0.elapsed()
    );
    assert!(
        t0.elapsed() < Duration::from_secs(5),
        "took {:?}",
        t0.elapsed()
    );
}

#[test]
fn idle_dashboard_writes_nothing() {
    let place = Place::new();
    let snap = place.demo("2014-12-31", "bevaka.sqlite");
    let mut s = place.start(&snap, 80, 24, false);
    wait_for_list(&s);
    assert!(
        s.wait_quiet(Duration::from_millis(500), SCREEN),
        "never stopped writing"
    );
    // The snapshot's age is shown in minutes and may be redrawn when the minute turns:
    // measure within one minute of the wall clock.
    let second = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .expect("clock")
        .as_secs()
        % 60;
    if second >= 55 {
        std::thread::sleep(Duration::from_secs(61 - second));
        assert!(s.wait_quiet(Duration::from_millis(500), SCREEN));
    }
    let before = s.raw_len();
    // Not an assertion on time: the program gets 3 s to write something it should not.
    let wrote = s.wait_until(Duration::from_secs(3), |seen| seen.raw.len() > before);
    let extra = s.raw_since(before);
    assert!(
        !wrote,
        "wrote {} bytes while idle: {:?}",
        extra.len(),
        String::from_utf8_lossy(&extra)
    );
    s.send(b"q");
    assert!(s.wait_exit(SCREEN).is_some());
}

#[test]
fn snapshot_replaced_by_rename_shows_the_new_figures() {
    let place = Place::new();
    let snap = place.demo("2014-12-31", "bevaka.sqlite");
    let mut s = place.start(&snap, 80, 24, false);
    wait_for_list(&s);
    s.send(b"3");
    s.wait_for("the caseload", SCREEN, |t| {
        shows_row(t, "Hemtjänst", [108, 118, 106])
    });

    // The publisher writes the next snapshot under another name and renames it over.
    let next = place.demo("2015-12-31", "bevaka.sqlite.new");
    let o = plain()
        .args([
            "report",
            "caseload",
            "--format",
            "json",
            "--today",
            "2014-12-31",
            "--snapshot",
        ])
        .arg(&next)
        .output()
        .expect("report");
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let counts = v["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .find(|r| r["area"] == "Funktionsnedsättning" && r["insats"] == "Hemtjänst")
        .expect("Hemtjänst")["counts"]
        .as_array()
        .expect("counts")
        .iter()
        .map(|n| n.as_u64().expect("count"))
        .collect::<Vec<_>>();
    let counts: [u64; 3] = counts.try_into().expect("three dates");
    assert_ne!(counts, [108, 118, 106], "the new snapshot must differ");
    std::fs::rename(&next, &snap).expect("rename");

    // Checked every 2 s: on screen within ~3 s, more on a loaded machine.
    s.wait_for("the new figures", Duration::from_secs(10), |t| {
        shows_row(t, "Hemtjänst", counts) && t.contains("Ny ögonblicksbild")
    });
    assert!(s.text().contains("Ärenden per insats"), "the view is kept");
    s.send(b"q");
    assert!(s.wait_exit(SCREEN).is_some_and(|e| e.success()));
}

#[test]
fn the_access_log_in_the_system_log_has_start_detail_and_export() {
    use crate::admin::{Syslog, client_labels, parse_entry};
    let place = Place::new();
    let snap = place.demo("2014-12-31", "bevaka.sqlite");
    let config = place.path("config").join("bevaka");
    std::fs::create_dir(&config).expect("mkdir");
    std::fs::write(
        config.join("config.toml"),
        "access_log = \"syslog\"\nexport_format = \"csv\"\n",
    )
    .expect("config");
    let syslog = Syslog::new(place.dir.path());
    let mut s = place.start_with(
        &snap,
        80,
        24,
        false,
        &[
            ("BEVAKA_SYSLOG_SOCKET", syslog.socket.as_os_str()),
            ("USER", OsStr::new("anna")),
        ],
    );
    wait_for_list(&s);
    // Enter: the first item's detail; Esc; e: the list exported into the working folder.
    s.send(b"\r");
    s.wait_for("the detail", SCREEN, |t| t.contains("Varför"));
    s.send(b"\x1b");
    // Closed before `e` is sent: Esc and `e` together would read as Alt-e.
    s.wait_for("the list again", SCREEN, |t| !t.contains("Varför"));
    s.send(b"e");
    s.wait_for("the export", SCREEN, |t| {
        words(t).contains("Exporterade till")
    });
    s.send(b"q");
    assert!(s.wait_exit(SCREEN).is_some_and(|e| e.success()));

    let entries = syslog.entries(Duration::from_millis(500));
    let lines: Vec<serde_json::Value> = entries
        .iter()
        .map(|e| {
            let (_, tag, line) = parse_entry(e);
            assert_eq!(tag, "bevaka");
            assert_eq!(line["user"], "anna");
            line
        })
        .collect();
    let actions: Vec<&str> = lines.iter().filter_map(|l| l["action"].as_str()).collect();
    assert_eq!(actions, ["start", "detalj", "export"], "{entries:?}");
    assert!(lines[1]["case_id"].as_str().is_some_and(|c| !c.is_empty()));
    let file = place.path("bevaka-bevakningar-2014-12-31.csv");
    assert!(file.exists());
    let logged = Path::new(lines[2]["file"].as_str().expect("file"));
    assert!(logged.is_absolute(), "{logged:?}");
    assert_eq!(
        logged.canonicalize().expect("logged file"),
        file.canonicalize().expect("file")
    );
    assert!(lines[2]["rows"].as_u64().is_some_and(|n| n > 0));
    let labels = client_labels(&snap);
    for entry in &entries {
        assert!(
            !labels.iter().any(|l| entry.contains(l)),
            "a client label in {entry}"
        );
    }
}

/// A CSV export whose text fields try to drive the terminal.
fn hostile_export(dir: &Path, hostile: bool) {
    std::fs::create_dir(dir).expect("dir");
    let pick = |evil: String, plain: &str| if hostile { evil } else { plain.to_string() };
    let osc = "\u{1b}]0;pwned\u{7}";
    let write = |name: &str, rows: &[Vec<String>]| {
        let mut w = csv::Writer::from_path(dir.join(name)).expect("csv");
        for r in rows {
            w.write_record(r).expect("record");
        }
        w.flush().expect("flush");
    };
    let row = |cells: &[&str]| cells.iter().map(|c| (*c).to_string()).collect::<Vec<_>>();
    let unit = pick(format!("Enhet {osc}Syd\u{1b}[2J"), "Enhet Syd");
    write(
        "units.csv",
        &[
            row(&["unit_id", "name", "district", "area"]),
            vec!["U1".into(), unit, "Söder".into(), "Äldreomsorg".into()],
        ],
    );
    let worker = pick(
        "Anna \u{1b}[31mRöd\u{1b}[0m \u{202e}nosrednA\u{2066}x\u{2069}".into(),
        "Anna Röd Andersson x",
    );
    let team = pick("Grupp\u{9b}2J\r\u{1b}[6n Ett".into(), "Grupp Ett");
    write(
        "case_workers.csv",
        &[
            row(&["worker_id", "name", "unit_id", "team"]),
            vec!["H1".into(), worker, "U1".into(), team.clone()],
        ],
    );
    let insats = pick(
        "Hemtjänst\u{1b}[2J\u{7}\u{200b}\u{9d}0;c1\u{9c}".into(),
        "Hemtjänst",
    );
    let area = pick(
        "Äldre\u{2066}omsorg\u{2069}\u{7f}\u{8}".into(),
        "Äldreomsorg",
    );
    write(
        "insats_types.csv",
        &[
            row(&["insats_code", "name", "area", "law", "target_days"]),
            vec!["HT".into(), insats, area, "SoL".into(), "14".into()],
        ],
    );
    let labels = [
        pick(format!("{osc}A.A. 1975"), "A.A. 1975"),
        pick(format!("L{}", "x".repeat(1_000_000)), "L.L. 1960"),
        pick(format!("Z{} 1970", "\u{301}".repeat(500)), "Z.Z. 1970"),
        pick(
            "C.C.\r\u{202e}0991\u{2066}x\u{200b}y\u{7} \u{1b}]2;pwned\u{1b}\\".into(),
            "C.C. 1990",
        ),
        pick(
            "D.D.\u{1b}[6n\u{9b}31m 1985\u{1b}P1$r\u{1b}\\".into(),
            "D.D. 1985",
        ),
    ];
    let mut cases = vec![row(&[
        "case_id",
        "unit_id",
        "team",
        "worker_id",
        "client_label",
        "opened",
    ])];
    let mut followups = vec![row(&[
        "followup_id",
        "case_id",
        "kind",
        "due",
        "worker_id",
        "note",
    ])];
    let kind = pick("SIP\u{1b}]2;pwned\u{7}".into(), "SIP");
    for (i, label) in labels.iter().enumerate() {
        let id = format!("C{i}");
        cases.push(vec![
            id.clone(),
            "U1".into(),
            team.clone(),
            "H1".into(),
            label.clone(),
            "2014-01-02".into(),
        ]);
        followups.push(vec![
            format!("F{i}"),
            id,
            kind.clone(),
            format!("2014-12-{:02}", 20 + i),
            "H1".into(),
            pick("note\u{1b}]0;pwned\u{7}".into(), "note"),
        ]);
    }
    write("cases.csv", &cases);
    write("followups.csv", &followups);
    write(
        "applications.csv",
        &[
            row(&[
                "application_id",
                "case_id",
                "insats_code",
                "received",
                "worker_id",
            ]),
            row(&["A0", "C0", "HT", "2014-12-28", "H1"]),
        ],
    );
    write(
        "interventions.csv",
        &[
            row(&[
                "intervention_id",
                "case_id",
                "insats_code",
                "decided",
                "start",
                "ordered",
            ]),
            row(&["I1", "C1", "HT", "2014-01-10", "2014-01-15", "2014-12-20"]),
        ],
    );
}

/// Builds the snapshot from the export and walks every view of it in a 200×50 window;
/// returns the raw bytes written and the titles set.
fn walk_views(place: &Place, hostile: bool) -> (Vec<u8>, Vec<Vec<u8>>, String) {
    let name = if hostile { "hostile" } else { "clean" };
    let export = place.path(name);
    hostile_export(&export, hostile);
    let snap = place.path(&format!("{name}.sqlite"));
    let o = plain()
        .args(["snapshot", "build", "--from"])
        .arg(&export)
        .arg("--out")
        .arg(&snap)
        .output()
        .expect("build");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));

    let mut s = place.start(&snap, 200, 50, false);
    s.wait_for("the list", SCREEN, |t| {
        t.contains("försenad") && t.contains("C4") && t.contains("A.A")
    });
    let mut screens = s.text();
    // The detail of each item, then every view, the unit filter and the help.
    for _ in 0..10 {
        s.send(b"\r");
        s.wait_for("the detail", SCREEN, |t| t.contains("Varför"));
        screens.push_str(&s.text());
        s.send(b"\x1b");
        s.wait_for("the list again", SCREEN, |t| !t.contains("Varför"));
        s.send(b"j");
    }
    for (key, marker) in [
        ("2", "Per handläggare"),
        ("3", "Ärenden per insats"),
        // The unit picker lists the units' (hostile) names; ↓ Enter chooses the first.
        ("u", "Välj enhet"),
        ("\x1b[B\r", "Enhet: Enhet"),
        ("4", "Handläggningstid per kvartal"),
        ("?", "Tangenter"),
    ] {
        s.send(key.as_bytes());
        s.wait_for(marker, SCREEN, |t| t.contains(marker));
        assert!(s.wait_quiet(Duration::from_millis(200), SCREEN));
        screens.push_str(&s.text());
    }
    s.send(b"q"); // closes the help and quits
    assert!(s.wait_exit(SCREEN).is_some_and(|e| e.success()));
    let seen = s.seen();
    (
        seen.raw.clone(),
        seen.parser.callbacks().titles.clone(),
        screens,
    )
}

#[test]
fn hostile_strings_in_the_snapshot_stay_text() {
    let place = Place::new();
    let (clean_raw, clean_titles, _) = walk_views(&place, false);
    let (raw, titles, screens) = walk_views(&place, true);
    assert!(clean_titles.is_empty() && titles.is_empty(), "{titles:?}");

    // The snapshot's escapes are shown as harmless text.
    assert!(screens.contains("]0;pwned"), "{screens}");
    assert!(
        raw.len() < 1_000_000,
        "the 1 MB label was sent: {} bytes",
        raw.len()
    );

    // Nothing the clean run did not say: no OSC, DCS, C1 or BEL, no new kind of sequence.
    let ours = vocabulary(&clean_raw);
    let theirs = vocabulary(&raw);
    let extra: Vec<_> = theirs.difference(&ours).collect();
    assert!(
        extra.is_empty(),
        "new control sequences {extra:?} (clean run: {ours:?})"
    );
    let text = String::from_utf8_lossy(&raw);
    for bad in [
        "\u{1b}]",
        "\u{1b}P",
        "\u{7}",
        "\u{9b}",
        "\u{9d}",
        "\u{202e}",
        "\u{2066}",
        "\u{200b}",
        "\u{1b}[31m",
        "\u{1b}[6n",
    ] {
        assert!(
            !text.contains(bad),
            "{:?} reached the terminal",
            bad.escape_debug()
        );
    }
    let clears = |t: &str| t.matches("\u{1b}[2J").count();
    assert!(clears(&text) <= clears(&String::from_utf8_lossy(&clean_raw)));
    assert!(
        !text.contains(&"\u{301}".repeat(3)),
        "a run of combining marks"
    );

    // The text reports too: nothing but printable text and line breaks.
    let snap = place.path("hostile.sqlite");
    for report in ["deadlines", "caseload"] {
        let o = plain()
            .args([
                "report",
                report,
                "--format",
                "text",
                "--today",
                "2014-12-31",
            ])
            .arg("--snapshot")
            .arg(&snap)
            .output()
            .expect("report");
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let out = String::from_utf8(o.stdout).expect("utf-8");
        assert!(out.len() < 100_000, "{report}: {} bytes", out.len());
        let bad: Vec<char> = out
            .chars()
            .filter(|c| {
                (c.is_control() && *c != '\n')
                    || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200b}')
            })
            .collect();
        assert!(bad.is_empty(), "{report}: {bad:?}");
    }
}

/// Issue 13: in every view and in a drill-down list, `/` then text full of command keys
/// then Esc writes no file, reloads nothing and leaves the program running, in the real
/// binary over a terminal.
#[test]
fn text_typed_into_every_search_never_fires_a_command() {
    let place = Place::new();
    let snap = place.demo("2014-12-31", "bevaka.sqlite");
    let before: BTreeSet<_> = std::fs::read_dir(place.dir.path())
        .expect("dir")
        .map(|e| e.expect("entry").file_name())
        .collect();
    let mut s = place.start(&snap, 100, 30, false);
    wait_for_list(&s);
    // (keys to get there, a title the place shows)
    let places: [(&[u8], &str); 7] = [
        (b"1", "Bevakningar:"),
        (b"2", "Bevakningar per handläggare"),
        (b"3", "Ärenden per insats"),
        (b"4", "per insats"),
        (b"5", "Mål / indikator"),
        (b"4i", "IVO-rapport"),
        (b"3\r", "aktiv 2014-12-31"),
    ];
    for (keys, title) in places {
        s.send(keys);
        s.wait_for(title, SCREEN, |t| t.contains(title));
        s.send(b"/");
        s.send("erqxut2?sÅ".as_bytes());
        s.wait_for("the search typed", SCREEN, |t| t.contains("erqxut2?sÅ"));
        s.send(b"\x1b");
        s.wait_for("the search gone", SCREEN, |t| !t.contains("erqxut2?sÅ"));
        let t = s.text();
        assert!(t.contains(title), "{title}: still there\n{t}");
        for word in ["Exporterade", "omläst", "Välj enhet", "Tangenter"] {
            assert!(!t.contains(word), "{title}: {word}\n{t}");
        }
        // Back out of the IVO report and the drill-down list to the views (waited for:
        // an Esc followed at once by more keys would read as one escape sequence).
        if keys.len() > 1 {
            s.send(b"\x1b");
            s.wait_for("back", SCREEN, |t| !t.contains(title));
        }
    }
    let after: BTreeSet<_> = std::fs::read_dir(place.dir.path())
        .expect("dir")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert_eq!(before, after, "no file written");
    s.send(b"q");
    assert!(s.wait_exit(SCREEN).is_some_and(|e| e.success()));
}

/// Issue 14: a panic on the loader thread (made on purpose by the debug-only
/// `BEVAKA_TEST_PANIC_LOADER=1`) ends the dashboard: terminal restored, one plain line
/// without colour codes, exit status non-zero.
#[cfg(debug_assertions)]
#[test]
fn a_loader_panic_restores_the_terminal_and_exits_non_zero() {
    let place = Place::new();
    let snap = place.demo("2014-12-31", "bevaka.sqlite");
    let config = place.path("config");
    let mut s = Session::spawn(&Spawn {
        program: Path::new(BEVAKA),
        args: vec![
            OsStr::new("--today"),
            OsStr::new("2014-12-31"),
            OsStr::new("--snapshot"),
            snap.as_os_str(),
        ],
        cols: 80,
        rows: 24,
        env: vec![
            ("TERM", OsStr::new("xterm-256color")),
            ("LANG", OsStr::new("C.UTF-8")),
            ("XDG_CONFIG_HOME", config.as_os_str()),
            ("BEVAKA_TEST_PANIC_LOADER", OsStr::new("1")),
            ("RUST_BACKTRACE", OsStr::new("0")),
        ],
        cwd: place.dir.path(),
    });
    let exit = s
        .wait_exit(SCREEN)
        .unwrap_or_else(|| panic!("still running after {SCREEN:?}"));
    assert!(!exit.success(), "{exit:?}");
    assert_restored(&s, "loader panic");
    let seen = s.seen();
    let raw = String::from_utf8_lossy(&seen.raw).into_owned();
    drop(seen);
    let after = raw
        .rsplit("\x1b[?1049l")
        .next()
        .unwrap_or_default()
        .trim_start_matches("\x1b[?25h");
    let lines: Vec<&str> = after.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), 1, "one line after the screen: {after:?}");
    assert!(
        lines[0].starts_with("bevaka: internt fel: BEVAKA_TEST_PANIC_LOADER"),
        "{after:?}"
    );
    assert!(!after.contains("panicked"), "{after:?}");
    assert!(!after.contains('\x1b'), "no colour codes: {after:?}");
}

/// Another view is painted whole onto a cleared screen (issue 17): sent as a difference
/// over the old view, a terminal drawing with a TrueType font (xterm `-fa`) kept pixels of
/// the old view's glyphs that overflow their cells (the review's bars) in cells blank on
/// both views. A key that moves within a view still sends only the difference.
#[test]
fn a_view_switch_clears_the_screen_and_a_step_does_not() {
    let place = Place::new();
    let snap = place.demo("2014-12-31", "bevaka.sqlite");
    let mut s = place.start(&snap, 100, 30, false);
    wait_for_list(&s);
    assert!(s.wait_quiet(Duration::from_millis(500), SCREEN));
    let clear = b"\x1b[2J";
    let has = |bytes: &[u8]| bytes.windows(clear.len()).any(|w| w == clear);
    let before = s.raw_len();
    s.send(b"j");
    s.wait_until(SCREEN, |seen| seen.raw.len() > before);
    assert!(s.wait_quiet(Duration::from_millis(400), SCREEN));
    let step = s.raw_since(before);
    assert!(!has(&step), "a step within the view: {step:?}");
    let before = s.raw_len();
    s.send(b"4");
    s.wait_for("Handläggningstid", SCREEN, |t| t.contains("per insats"));
    assert!(s.wait_quiet(Duration::from_millis(400), SCREEN));
    assert!(
        has(&s.raw_since(before)),
        "the switch to 4 clears the screen"
    );
    let before = s.raw_len();
    s.send(b"5");
    s.wait_for("Mål", SCREEN, |t| t.contains("passerat slutdatum"));
    assert!(s.wait_quiet(Duration::from_millis(400), SCREEN));
    assert!(
        has(&s.raw_since(before)),
        "the switch to 5 clears the screen"
    );
    s.send(b"q");
    assert!(s.wait_exit(SCREEN).is_some());
}
