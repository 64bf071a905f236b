//! City scale (issue 7): how long the dashboard and the reports take, and how much memory
//! they use, on the unit demo, a 10× snapshot (the city demo's first four districts) and
//! the whole city (`bevaka demo --scale city`); side by side, in the same run, how long the
//! `sqlite3` shell takes for the equivalent aggregate SQL on the same file (the floor a
//! dashboard can approach); and the query plans of the views' queries on the city file.
//!
//! ```sh
//! cargo bench --bench city                 # prints Markdown tables (BENCHMARKS.md)
//! cargo bench --bench city -- --rebuild    # rebuild the snapshots first
//! cargo bench --bench city -- --only terminal   # one section
//! cargo bench --bench city -- --reuse      # keep snapshots older than the binary
//! ```
//!
//! The snapshots are kept in `target/tmp/bench-city/` and rebuilt when missing or older
//! than the `bevaka` binary. The dashboard is measured in this process through the library,
//! as `bevaka` does at start (open, [`App::new`] with every view computed, the first draw
//! into a 120×40 buffer) and on keys (view switch, one row down, a filter), on a warm page
//! cache: medians of five runs. Peak memory (VmHWM) is measured in a fresh child process per
//! figure, the reports and the `sqlite3` shell as subprocesses (their peak RSS from
//! `getrusage` of a child that only waits for them). Not a statistical benchmark: one
//! machine, a handful of runs, figures to compare with the issue's targets.

#[allow(dead_code)] // the end-to-end tests use more of it
#[path = "../tests/integration/e2e/pty.rs"]
mod pty;

use std::ffi::OsStr;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Instant, SystemTime};

use bevaka::config::Config;
use bevaka::snapshot::queries::Filter;
use bevaka::snapshot::{Readers, Snapshot};
use bevaka::tui::app::App;
use bevaka::tui::keymap::Action;
use bevaka::tui::theme::Theme;
use chrono::NaiveDate;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const BEVAKA: &str = env!("CARGO_BIN_EXE_bevaka");
const TMP: &str = env!("CARGO_TARGET_TMPDIR");
/// The snapshots' as_of and the dashboard's today.
const DAY: &str = "2014-12-31";
/// In-process runs per figure (the median is shown).
const RUNS: usize = 5;
/// Subprocess runs per figure (this machine is shared and noisy: enough for a median).
const PROC_RUNS: usize = 5;
const SIZE: (u16, u16) = (120, 40);
/// The city demo's districts in the 10× snapshot (about 11× the unit demo's cases).
const TEN_X_DISTRICTS: usize = 4;

/// The issue's targets.
const FIRST_SCREEN_MS: f64 = 200.0;
const SWITCH_MS: f64 = 100.0;
const MOVE_MS: f64 = 16.0;
const REPORT_MS: f64 = 1000.0;
const PEAK_MB: f64 = 100.0;

fn today() -> NaiveDate {
    NaiveDate::parse_from_str(DAY, "%Y-%m-%d").expect("date")
}

#[derive(Clone, Copy)]
enum Build {
    UnitDemo,
    Districts(usize),
    City,
    /// `bevaka demo --scale city --cities N`.
    Cities(usize),
}

struct Scale {
    name: &'static str,
    file: PathBuf,
    build: Build,
    /// The unit a user of that snapshot would filter on (the largest area of the first
    /// district; äldreomsorg).
    unit: &'static str,
}

/// Wall time (ms) and peak memory (kB) of one measured run.
#[derive(Clone, Copy, Default)]
struct Run {
    ms: f64,
    kb: u64,
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("--child") => return child(&args[1..]),
        Some("--peak") => return peak(&args[1..]),
        _ => {}
    }
    let rebuild = args.iter().any(|a| a == "--rebuild");
    // Keep snapshots older than the binary (their generator has not changed).
    let reuse = args.iter().any(|a| a == "--reuse");
    let dir = Path::new(TMP).join("bench-city");
    std::fs::create_dir_all(&dir).expect("bench directory");
    let scales = [
        Scale {
            name: "unit",
            file: dir.join("unit.sqlite"),
            build: Build::UnitDemo,
            unit: "EBA",
        },
        Scale {
            name: "10×",
            file: dir.join("ten.sqlite"),
            build: Build::Districts(TEN_X_DISTRICTS),
            unit: "RK-AO",
        },
        Scale {
            name: "city",
            file: dir.join("city.sqlite"),
            build: Build::City,
            unit: "RK-AO",
        },
    ];
    let builds: Vec<Run> = scales.iter().map(|s| ensure(s, rebuild, reuse)).collect();

    // `--only NAME` runs one section (snapshots, dashboard, terminal, memory, reports,
    // sqlite3, plans; growth only when named: it builds two more snapshots of 0.9 and 1.9 GB).
    let only = args
        .iter()
        .position(|a| a == "--only")
        .and_then(|i| args.get(i + 1))
        .map(String::as_str);
    let on = |name: &str| only.is_none_or(|o| o == name);
    let mut out = String::new();
    if on("snapshots") {
        snapshots_table(&mut out, &scales, &builds);
    }
    if on("dashboard") {
        dashboard_table(&mut out, &scales);
    }
    if on("terminal") {
        terminal_table(&mut out, &scales);
    }
    if on("memory") {
        memory_table(&mut out, &scales);
    }
    if on("reports") {
        reports_table(&mut out, &scales);
    }
    if on("sqlite3") {
        sqlite3_table(&mut out, &scales);
    }
    if on("plans")
        && let Some(city) = scales.last()
    {
        query_plans(&mut out, &city.file, city.unit);
    }
    if only == Some("growth")
        && let (Some(city), Some(built)) = (scales.last(), builds.last())
    {
        let growth = growth_scales(&dir, city, *built, rebuild, reuse);
        growth_tables(&mut out, &dir, &growth);
    }
    print!("{out}");
}

// ---------------------------------------------------------------------------------------
// Child processes: one figure each, printed as "<ms> <kB>" on stdout.

fn vm_hwm_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|n| n.parse().ok())
        })
        .unwrap_or(0)
}

fn filter_of(unit: &str) -> Filter {
    Filter {
        unit_id: (unit != "-").then(|| unit.to_owned()),
        team: None,
    }
}

/// `--child WHAT FILE [ARG]`: one measurement in a fresh process, for its peak memory.
fn child(args: &[String]) {
    // As the binary does first thing.
    bevaka::alloc::tune();
    let what = args.first().map_or("", String::as_str);
    let file = Path::new(args.get(1).map_or("", String::as_str));
    let arg = args.get(2).map_or("-", String::as_str);
    let start = Instant::now();
    // The time when the measured thing is done: for the dashboard, the screen drawn (the
    // app's drop, which waits for the loader's prefetch to stop and frees the lists, comes
    // after the screen is there and is not part of it).
    let done = match what {
        "write-districts" => {
            let n = arg.parse().expect("districts");
            bevaka::demo::city::write(file, today(), n).expect("write");
            start.elapsed()
        }
        "start" => {
            let mut app = start_app(file, &filter_of(arg));
            settle(&mut app);
            draw(&app);
            let done = start.elapsed();
            drop(app);
            done
        }
        "all-views" => {
            let mut app = start_app(file, &filter_of(arg));
            settle_all(&mut app);
            for k in 0..5 {
                app.handle(Action::View(k)).expect("view");
                settle(&mut app);
                draw(&app);
            }
            let done = start.elapsed();
            drop(app);
            done
        }
        "unit-then-all" => {
            // One unit, every view, with all units fetched ahead; then `x` and every view.
            let mut app = start_app(file, &filter_of(arg));
            settle_all(&mut app);
            app.handle(Action::ClearFilter).expect("clear");
            for k in 0..5 {
                app.handle(Action::View(k)).expect("view");
                settle(&mut app);
                draw(&app);
            }
            let done = start.elapsed();
            drop(app);
            done
        }
        load => {
            let snap = Snapshot::open(file).expect("open");
            run_load(snap.readers(), load, &Filter::default());
            start.elapsed()
        }
    };
    println!("{} {}", done.as_secs_f64() * 1000.0, vm_hwm_kb());
}

/// `--peak PROGRAM ARGS…`: runs the program (stdout discarded) and prints its wall time and
/// peak RSS (this process's children's maximum: the only child is the program).
fn peak(args: &[String]) {
    let start = Instant::now();
    let status = Command::new(&args[0])
        .args(&args[1..])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("spawn");
    let ms = start.elapsed().as_secs_f64() * 1000.0;
    assert!(status.success(), "{args:?} failed: {status}");
    let usage = nix::sys::resource::getrusage(nix::sys::resource::UsageWho::RUSAGE_CHILDREN)
        .expect("rusage");
    println!("{ms} {}", usage.max_rss());
}

fn parse_run(stdout: &[u8]) -> Run {
    let text = String::from_utf8_lossy(stdout);
    let mut parts = text.split_whitespace();
    let ms = parts
        .next()
        .and_then(|p| p.parse().ok())
        .unwrap_or(f64::NAN);
    let kb = parts.next().and_then(|p| p.parse().ok()).unwrap_or(0);
    Run { ms, kb }
}

fn myself(args: &[&str]) -> Run {
    let exe = std::env::current_exe().expect("current exe");
    let o = Command::new(exe).args(args).output().expect("child");
    assert!(
        o.status.success(),
        "child {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    parse_run(&o.stdout)
}

/// Reads `file` through, so that the run after it finds the file in the page cache, as the
/// sections' headings say. This machine (a VM) drops cached file pages within seconds of
/// their last use, so a run that follows others (or a three-second pause) would otherwise
/// read part of the snapshot from disk; on a jump host the shared snapshot stays cached,
/// read by every user. Both sides of a comparison are primed alike.
fn warm(file: &Path) {
    if let Ok(mut f) = std::fs::File::open(file) {
        let _ = std::io::copy(&mut f, &mut std::io::sink());
    }
}

/// Drops `file`'s pages from the page cache (`posix_fadvise(POSIX_FADV_DONTNEED)`, through
/// coreutils' `dd … iflag=nocache count=0`), so that the next run reads it from disk, as
/// the first user of a freshly published snapshot does.
fn evict(file: &Path) {
    let status = Command::new("dd")
        .arg(format!("if={}", file.display()))
        .args(["iflag=nocache", "count=0", "status=none"])
        .status()
        .expect("dd");
    assert!(status.success(), "dd could not evict {}", file.display());
}

/// A subprocess measured `runs` times: the median time and the largest peak. A snapshot
/// among the arguments is primed ([`warm`]) before each run.
fn subprocess(program: &str, args: &[&str], runs: usize) -> Run {
    subprocess_after(program, args, runs, warm)
}

/// As [`subprocess`], with the snapshot evicted from the page cache ([`evict`]) before each
/// run instead.
fn subprocess_cold(program: &str, args: &[&str], runs: usize) -> Run {
    subprocess_after(program, args, runs, evict)
}

fn subprocess_after(program: &str, args: &[&str], runs: usize, prepare: fn(&Path)) -> Run {
    let mut all: Vec<&str> = vec!["--peak", program];
    all.extend_from_slice(args);
    let results: Vec<Run> = (0..runs)
        .map(|_| {
            for a in args.iter().map(Path::new) {
                if a.extension() == Some(OsStr::new("sqlite")) && a.is_file() {
                    prepare(a);
                }
            }
            myself(&all)
        })
        .collect();
    Run {
        ms: median(results.iter().map(|r| r.ms).collect()),
        kb: results.iter().map(|r| r.kb).max().unwrap_or(0),
    }
}

// ---------------------------------------------------------------------------------------
// Snapshots.

fn modified(path: &Path) -> Option<SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

/// Builds the scale's snapshot unless a current one exists; returns the build's figures
/// (kept beside the file, so a reused snapshot still shows them).
fn ensure(scale: &Scale, rebuild: bool, reuse: bool) -> Run {
    let figures = scale.file.with_extension("build");
    let current = match (modified(&scale.file), modified(Path::new(BEVAKA))) {
        (Some(file), Some(binary)) => reuse || file >= binary,
        _ => false,
    };
    if current
        && !rebuild
        && let Ok(text) = std::fs::read_to_string(&figures)
    {
        return parse_run(text.as_bytes());
    }
    let path = scale.file.to_str().expect("utf-8 path");
    eprintln!("bygger {} …", scale.file.display());
    let run = match scale.build {
        Build::UnitDemo => subprocess(BEVAKA, &["demo", "--out", path, "--as-of", DAY], 1),
        Build::City => subprocess(
            BEVAKA,
            &["demo", "--scale", "city", "--out", path, "--as-of", DAY],
            1,
        ),
        Build::Districts(n) => myself(&["--child", "write-districts", path, &n.to_string()]),
        Build::Cities(n) => subprocess(
            BEVAKA,
            &[
                "demo",
                "--scale",
                "city",
                "--cities",
                &n.to_string(),
                "--out",
                path,
                "--as-of",
                DAY,
            ],
            1,
        ),
    };
    std::fs::write(&figures, format!("{} {}", run.ms, run.kb)).expect("build figures");
    run
}

fn count(conn: &rusqlite::Connection, table: &str) -> u64 {
    conn.query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| {
        r.get::<_, i64>(0)
    })
    .map_or(0, |n| u64::try_from(n).unwrap_or(0))
}

fn snapshots_table(out: &mut String, scales: &[Scale], builds: &[Run]) {
    let _ = writeln!(out, "## Snapshots (as_of {DAY})\n");
    let _ = writeln!(
        out,
        "| scale | units | handläggare | cases | applications | interventions | bevakningar | file MB | written in s | peak MB while writing |"
    );
    let _ = writeln!(out, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (s, b) in scales.iter().zip(builds) {
        let conn = rusqlite::Connection::open_with_flags(
            &s.file,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
        )
        .expect("open");
        let size = std::fs::metadata(&s.file).map_or(0, |m| m.len());
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {:.0} | {:.1} | {:.0} |",
            s.name,
            count(&conn, "units"),
            count(&conn, "case_workers"),
            count(&conn, "cases"),
            count(&conn, "applications"),
            count(&conn, "interventions"),
            count(&conn, "followups"),
            size as f64 / 1e6,
            b.ms / 1000.0,
            mb(b.kb),
        );
    }
    out.push('\n');
}

// ---------------------------------------------------------------------------------------
// The dashboard, in process.

/// Starts the dashboard as `bevaka` does: the snapshot on a loader thread, the first view
/// asked for. Not waited for: see [`settle`].
fn start_app(file: &Path, filter: &Filter) -> App {
    let snapshot = Snapshot::open(file).expect("open");
    App::start(
        snapshot,
        Config::default(),
        filter.clone(),
        today(),
        SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_420_000_000),
        Theme {
            color: true,
            ascii: false,
        },
    )
    .expect("App::start")
}

/// Takes the loader's answers until the current view is there, as the event loop does (it
/// looks every 5 ms; here more often, so the figure is the load's own time).
fn settle(app: &mut App) {
    while app.view_loading() {
        app.receive();
        std::thread::sleep(std::time::Duration::from_micros(200));
    }
}

/// Takes the loader's answers until nothing is loading: the other views prefetched too.
fn settle_all(app: &mut App) {
    while app.loading() {
        app.receive();
        std::thread::sleep(std::time::Duration::from_micros(200));
    }
}

fn draw(app: &App) {
    let mut t = Terminal::new(TestBackend::new(SIZE.0, SIZE.1)).expect("terminal");
    t.draw(|f| f.render_widget(app, f.area())).expect("draw");
}

/// Runs one load as the dashboard does: with the snapshot's spare connection where it has one.
fn run_load(db: Readers<'_>, what: &str, filter: &Filter) {
    let config = Config::default();
    match what {
        "caseload" => {
            bevaka::domain::caseload::load(db, filter, today()).expect("caseload");
        }
        "deadlines" => {
            bevaka::domain::deadlines::load(db, filter, &config.deadlines, today())
                .expect("deadlines");
        }
        "deadlines-near" => {
            bevaka::domain::deadlines::load_near(db, filter, &config.deadlines, today())
                .expect("deadlines near");
        }
        "processing" => {
            bevaka::domain::processing::load(db, filter, Default::default(), today())
                .expect("processing");
        }
        "indicators" => {
            bevaka::domain::indicators::load(
                db.main,
                filter,
                None,
                today(),
                config.indicator_tolerance_percent,
            )
            .expect("indicators");
        }
        other => panic!("unknown load {other}"),
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    match v.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => v[n / 2],
        n => (v[n / 2 - 1] + v[n / 2]) / 2.0,
    }
}

fn timed(mut f: impl FnMut()) -> f64 {
    let start = Instant::now();
    f();
    start.elapsed().as_secs_f64() * 1000.0
}

/// The time `start` takes to give an app, whose loads are then let finish (untimed): the
/// loader thread of an app dropped runs the loads already asked for (the prefetches of the
/// other views, or the first view's), and they would take the cores from the next figures.
fn timed_app(start: impl FnOnce() -> App) -> f64 {
    let begin = Instant::now();
    let mut app = start();
    let ms = begin.elapsed().as_secs_f64() * 1000.0;
    settle_all(&mut app);
    ms
}

fn median_of(mut f: impl FnMut() -> f64) -> f64 {
    median((0..RUNS).map(|_| f()).collect())
}

const LOADS: [(&str, &str); 5] = [
    (
        "caseload",
        "caseload::load (Ärenden, Per handläggare's counts)",
    ),
    (
        "deadlines",
        "deadlines::load (Bevakningar, Per handläggare)",
    ),
    (
        "deadlines-near",
        "deadlines::load_near (Bevakningar's first screen, all units)",
    ),
    ("processing", "processing::load (Handläggningstid)"),
    ("indicators", "indicators::load (Mål och indikatorer)"),
];

/// The first complete screen in process, as `bevaka` shows it: open, the first view's load,
/// the first draw (ms, median of [`RUNS`] on a warm page cache).
fn first_screen(file: &Path, filter: &Filter) -> f64 {
    median_of(|| {
        warm(file);
        timed_app(|| {
            let mut app = start_app(file, filter);
            settle(&mut app);
            draw(&app);
            app
        })
    })
}

/// Rows of the dashboard table: (label, target ms, figure per scale).
fn dashboard_figures(scale: &Scale) -> Vec<(String, f64, f64)> {
    let mut rows = Vec::new();
    let whole = Filter::default();
    let unit = filter_of(scale.unit);
    for (label, filter) in [
        ("all units".to_owned(), &whole),
        (format!("`--unit {}`", scale.unit), &unit),
    ] {
        rows.push((
            format!("first complete screen, {label}: open, load, draw"),
            FIRST_SCREEN_MS,
            first_screen(&scale.file, filter),
        ));
    }
    rows.push((
        "  first frame (\"Laddar…\"), all units: open, draw".to_owned(),
        FIRST_SCREEN_MS,
        median_of(|| {
            timed_app(|| {
                let app = start_app(&scale.file, &whole);
                draw(&app);
                app
            })
        }),
    ));
    let snap = Snapshot::open(&scale.file).expect("open");
    for (what, label) in LOADS {
        rows.push((
            format!("  {label}, all units"),
            SWITCH_MS,
            median_of(|| {
                warm(&scale.file);
                timed(|| run_load(snap.readers(), what, &whole))
            }),
        ));
    }

    // Issue 17: the caseload month by month over the snapshot's five years, every insats
    // type (what a chart of the whole history would load), against the view switch.
    rows.push((
        "  caseload::monthly, five years (60 month ends × every insats type), all units".to_owned(),
        SWITCH_MS,
        median_of(|| {
            warm(&scale.file);
            timed(|| {
                let month = |m: &str| bevaka::domain::caseload::Month::parse(m).expect("month");
                bevaka::domain::caseload::monthly(
                    snap.readers().main,
                    &whole,
                    month("2010-01"),
                    month("2014-12"),
                    today(),
                )
                .expect("monthly");
            })
        }),
    ));
    rows.push((
        "  every view loaded (the first, then the others prefetched), all units".to_owned(),
        SWITCH_MS,
        median_of(|| {
            warm(&scale.file);
            timed(|| {
                let mut app = start_app(&scale.file, &whole);
                settle_all(&mut app);
            })
        }),
    ));

    let mut t = Terminal::new(TestBackend::new(SIZE.0, SIZE.1)).expect("terminal");
    let mut act = |app: &mut App, action: Option<Action>| {
        timed(|| {
            if let Some(action) = action {
                app.handle(action).expect("key");
                if app.picker.is_some() {
                    // `u` opened the unit picker: ↓ Enter chooses the unit after the one shown.
                    for code in [KeyCode::Down, KeyCode::Enter] {
                        app.handle_key(KeyEvent::new(code, KeyModifiers::NONE))
                            .expect("key");
                    }
                }
            }
            settle(app);
            t.draw(|f| f.render_widget(&*app, f.area())).expect("draw");
        })
    };
    let mut app = start_app(&scale.file, &whole);
    settle_all(&mut app);
    let switch = median_of(|| {
        (0..5)
            .map(|k| act(&mut app, Some(Action::View((k + 1) % 5))))
            .fold(0.0, f64::max)
    });
    rows.push((
        "view switch, view prefetched (draw), slowest of five".to_owned(),
        SWITCH_MS,
        switch,
    ));
    act(&mut app, Some(Action::View(0)));
    let down = median_of(|| act(&mut app, Some(Action::Down)));
    rows.push((
        "one row down in Bevakningar + draw".to_owned(),
        MOVE_MS,
        down,
    ));
    // `s` sorts the whole list (a city's is some hundred thousand items) by the next
    // column, each press another column or direction: texts as well as dates.
    let sort = median_of(|| act(&mut app, Some(Action::Sort)));
    rows.push((
        "sort Bevakningar by the next column (`s`) + draw".to_owned(),
        SWITCH_MS,
        sort,
    ));
    act(&mut app, Some(Action::ClearFilter));
    // A search typed: each character filters every item of the list, beyond the horizon.
    act(&mut app, Some(Action::Search));
    let typed = median_of(|| {
        let key = timed(|| {
            app.handle_key(KeyEvent::new(KeyCode::Char('1'), KeyModifiers::NONE))
                .expect("key");
        });
        let drawn = act(&mut app, None);
        app.handle_key(KeyEvent::new(KeyCode::Backspace, KeyModifiers::NONE))
            .expect("key");
        key + drawn
    });
    rows.push((
        "search in Bevakningar: a character typed + draw".to_owned(),
        SWITCH_MS,
        typed,
    ));
    app.handle_key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE))
        .expect("esc");
    for (view, name) in [(0, "Bevakningar"), (3, "Handläggningstid")] {
        act(&mut app, Some(Action::View(view)));
        let mut to_unit = Vec::new();
        let mut to_all = Vec::new();
        for _ in 0..RUNS {
            to_unit.push(act(&mut app, Some(Action::PickUnit)));
            to_all.push(act(&mut app, Some(Action::ClearFilter)));
        }
        rows.push((
            format!("filter in {name}: next unit (`u` ↓ Enter), load + draw"),
            SWITCH_MS,
            median(to_unit),
        ));
        rows.push((
            format!("filter in {name}: clear (`x`, all units), load + draw"),
            SWITCH_MS,
            median(to_all),
        ));
    }
    // The other views of the last filter are still being prefetched (see `timed_app`).
    settle_all(&mut app);
    rows
}

fn dashboard_table(out: &mut String, scales: &[Scale]) {
    let figures: Vec<Vec<(String, f64, f64)>> = scales.iter().map(dashboard_figures).collect();
    let _ = writeln!(
        out,
        "## Dashboard, in process (ms, median of {RUNS}, warm page cache, {}×{})\n",
        SIZE.0, SIZE.1
    );
    header(out, "measure", scales, "target");
    let _ = writeln!(out, "{}", growth_of_data(scales));
    figure_rows(out, &figures, |v| {
        if v < 1.0 {
            format!("{v:.2}")
        } else {
            format!("{v:.1}")
        }
    });
}

/// One row per measure of `figures` (one list per scale, the same measures in each), each
/// with its target, then the table's end.
fn figure_rows(out: &mut String, figures: &[Vec<(String, f64, f64)>], fmt: impl Fn(f64) -> String) {
    for (i, (label, target, _)) in figures[0].iter().enumerate() {
        let cells: Vec<f64> = figures.iter().map(|f| f[i].2).collect();
        row(out, label, &cells, &fmt, &format!("{target:.0}"));
    }
    out.push('\n');
}

/// The real binary in a pseudo-terminal (120×40, `TERM=xterm-256color`), as a user starts
/// it: ms from starting the process until the screen shows what is asked for.
fn terminal_figures(scale: &Scale) -> Vec<(String, f64, f64)> {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = dir.path().join("config");
    let run = |unit: Option<&str>, keys: &[(&[u8], &str)]| -> Vec<f64> {
        let mut args = vec![
            OsStr::new("--today"),
            OsStr::new(DAY),
            OsStr::new("--snapshot"),
            scale.file.as_os_str(),
        ];
        if let Some(u) = unit {
            args.extend([OsStr::new("--unit"), OsStr::new(u)]);
        }
        warm(&scale.file);
        let started = Instant::now();
        let mut s = pty::Session::spawn(&pty::Spawn {
            program: Path::new(BEVAKA),
            args,
            cols: SIZE.0,
            rows: SIZE.1,
            env: vec![
                ("TERM", OsStr::new("xterm-256color")),
                ("LANG", OsStr::new("C.UTF-8")),
                ("XDG_CONFIG_HOME", config.as_os_str()),
            ],
            cwd: dir.path(),
        });
        let timeout = std::time::Duration::from_secs(30);
        // The bevakningslista's title counts its items once they are there.
        assert!(
            s.wait_until(timeout, |seen| seen.text().contains(" visas, ")),
            "no first screen"
        );
        let mut out = vec![started.elapsed().as_secs_f64() * 1000.0];
        // Give the prefetch time to finish, as a user reading the list would.
        std::thread::sleep(std::time::Duration::from_secs(3));
        for (key, shows) in keys {
            let t = Instant::now();
            s.send(key);
            assert!(
                s.wait_until(timeout, |seen| seen.text().contains(shows)),
                "never showed {shows:?}"
            );
            out.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        s.send(b"q");
        out
    };
    let keys: [(&[u8], &str); 3] = [
        (b"3", "Ärenden per insats"),
        (b"4", "Ej verkställda"),
        (b"1", " visas, "),
    ];
    let all: Vec<Vec<f64>> = (0..PROC_RUNS).map(|_| run(None, &keys)).collect();
    let clear: [(&[u8], &str); 1] = [(b"x", "Enhet: alla")];
    let unit: Vec<Vec<f64>> = (0..PROC_RUNS)
        .map(|_| run(Some(scale.unit), &clear))
        .collect();
    let col = |i: usize| median(all.iter().map(|r| r[i]).collect());
    let unit_col = |i: usize| median(unit.iter().map(|r| r[i]).collect());
    vec![
        (
            "first complete screen, all units (process start included)".to_owned(),
            FIRST_SCREEN_MS,
            col(0),
        ),
        (
            format!("first complete screen, `--unit {}`", scale.unit),
            FIRST_SCREEN_MS,
            unit_col(0),
        ),
        (
            "then `x` (all units, fetched ahead) until shown".to_owned(),
            SWITCH_MS,
            unit_col(1),
        ),
        (
            "then `3` (Ärenden, prefetched) until shown".to_owned(),
            SWITCH_MS,
            col(1),
        ),
        (
            "then `4` (Handläggningstid, prefetched) until shown".to_owned(),
            SWITCH_MS,
            col(2),
        ),
        (
            "then `1` back to Bevakningar until shown".to_owned(),
            SWITCH_MS,
            col(3),
        ),
    ]
}

fn terminal_table(out: &mut String, scales: &[Scale]) {
    let figures: Vec<Vec<(String, f64, f64)>> = scales.iter().map(terminal_figures).collect();
    let _ = writeln!(
        out,
        "## The real binary in a pseudo-terminal (ms, median of {PROC_RUNS}, {}×{})\n",
        SIZE.0, SIZE.1
    );
    header(out, "measure", scales, "target");
    figure_rows(out, &figures, |v| format!("{v:.0}"));
}

/// A table row with the rows of each snapshot, to read the growth of the figures against.
fn growth_of_data(scales: &[Scale]) -> String {
    let rows: Vec<f64> = scales
        .iter()
        .map(|s| {
            let conn = rusqlite::Connection::open_with_flags(
                &s.file,
                rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
            )
            .expect("open");
            ["cases", "applications", "interventions", "followups"]
                .iter()
                .map(|t| count(&conn, t) as f64)
                .sum()
        })
        .collect();
    let mut line = String::new();
    row(
        &mut line,
        "*(rows of cases, applications, interventions, bevakningar, thousands)*",
        &rows.iter().map(|r| r / 1000.0).collect::<Vec<_>>(),
        |v| format!("{v:.0}"),
        "",
    );
    line.trim_end().to_owned()
}

fn header(out: &mut String, first: &str, scales: &[Scale], last: &str) {
    let names: Vec<&str> = scales.iter().map(|s| s.name).collect();
    let _ = writeln!(
        out,
        "| {first} | {} | city ÷ unit | {last} |",
        names.join(" | ")
    );
    let _ = writeln!(out, "|---|{}---:|---:|", "---:|".repeat(names.len()));
}

fn row(out: &mut String, label: &str, cells: &[f64], fmt: impl Fn(f64) -> String, last: &str) {
    let growth = match (cells.first(), cells.last()) {
        (Some(a), Some(b)) if *a > 0.0 => format!("{:.0}×", b / a),
        _ => "–".to_owned(),
    };
    let shown: Vec<String> = cells.iter().map(|&v| fmt(v)).collect();
    let _ = writeln!(
        out,
        "| {label} | {} | {growth} | {last} |",
        shown.join(" | ")
    );
}

fn mb(kb: u64) -> f64 {
    kb as f64 / 1024.0
}

fn memory_table(out: &mut String, scales: &[Scale]) {
    let _ = writeln!(
        out,
        "## Peak memory of the dashboard's work (VmHWM of a fresh process, MB)\n"
    );
    header(out, "work", scales, "target");
    let mut measures: Vec<(String, Vec<&str>)> = vec![
        (
            "first screen, all units (start, load, draw)".to_owned(),
            vec!["start", "-"],
        ),
        ("first screen, one unit".to_owned(), vec!["start", "UNIT"]),
        (
            "every view visited, all units (all four parts loaded)".to_owned(),
            vec!["all-views", "-"],
        ),
        (
            "one unit with all units fetched ahead, then `x` and every view".to_owned(),
            vec!["unit-then-all", "UNIT"],
        ),
    ];
    for (what, label) in LOADS {
        measures.push((format!("  {label} alone"), vec![what, "-"]));
    }
    for (label, args) in measures {
        let cells: Vec<f64> = scales
            .iter()
            .map(|s| {
                let file = s.file.to_str().expect("utf-8 path");
                let arg = if args[1] == "UNIT" { s.unit } else { args[1] };
                mb(myself(&["--child", args[0], file, arg]).kb)
            })
            .collect();
        row(
            out,
            &label,
            &cells,
            |v| format!("{v:.0}"),
            &format!("{PEAK_MB:.0}"),
        );
    }
    out.push('\n');
}

// ---------------------------------------------------------------------------------------
// Reports and the sqlite3 shell, as subprocesses.

const REPORTS: [&str; 4] = ["caseload", "deadlines", "processing-time", "indicators"];

fn report(scale: &Scale, kind: &str, format: &str) -> Run {
    let file = scale.file.to_str().expect("utf-8 path");
    subprocess(BEVAKA, &report_args(file, kind, format), PROC_RUNS)
}

/// `bevaka report KIND --format FORMAT` on `file` as of [`DAY`].
fn report_args<'a>(file: &'a str, kind: &'a str, format: &'a str) -> [&'a str; 8] {
    [
        "report",
        kind,
        "--snapshot",
        file,
        "--today",
        DAY,
        "--format",
        format,
    ]
}

fn reports_table(out: &mut String, scales: &[Scale]) {
    let _ = writeln!(
        out,
        "## `bevaka report …` as a subprocess (ms, median of {PROC_RUNS}; peak RSS MB)\n"
    );
    let names: Vec<String> = scales
        .iter()
        .flat_map(|s| [format!("{} ms", s.name), format!("{} MB", s.name)])
        .collect();
    let _ = writeln!(
        out,
        "| report | {} | city ÷ unit (time) | target |",
        names.join(" | ")
    );
    let _ = writeln!(out, "|---|{}---:|---:|", "---:|".repeat(names.len()));
    for format in ["text", "json"] {
        for kind in REPORTS {
            let runs: Vec<Run> = scales.iter().map(|s| report(s, kind, format)).collect();
            let cells: Vec<String> = runs
                .iter()
                .flat_map(|r| [format!("{:.0}", r.ms), format!("{:.0}", mb(r.kb))])
                .collect();
            let growth = match (runs.first(), runs.last()) {
                (Some(a), Some(b)) if a.ms > 0.0 => format!("{:.0}×", b.ms / a.ms),
                _ => "–".to_owned(),
            };
            let _ = writeln!(
                out,
                "| {kind} --format {format} | {} | {growth} | {REPORT_MS:.0} ms, {PEAK_MB:.0} MB |",
                cells.join(" | ")
            );
        }
    }
    out.push('\n');
}

fn which(program: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|p| p.join(program))
            .find(|p| p.is_file())
    })
}

fn years_back(d: NaiveDate, years: u32) -> NaiveDate {
    d.checked_sub_months(chrono::Months::new(12 * years))
        .expect("date")
}

/// What `bevaka report caseload` computes, as the shell would: caseload by insats on three
/// dates and open cases per handläggare.
fn caseload_sql() -> String {
    let mut sql = String::new();
    for years in 0..3 {
        let d = years_back(today(), years);
        let _ = write!(
            sql,
            "SELECT i.insats_code, COUNT(DISTINCT i.case_id) FROM interventions AS i
             JOIN cases AS c ON c.case_id = i.case_id
             WHERE i.start <= '{d}' AND (i.end IS NULL OR i.end >= '{d}')
             GROUP BY i.insats_code;\n"
        );
    }
    sql + &workers_sql()
}

fn workers_sql() -> String {
    format!(
        "SELECT worker_id, COUNT(*) FROM cases
         WHERE opened <= '{DAY}' AND (closed IS NULL OR closed > '{DAY}') GROUP BY worker_id;\n"
    )
}

/// The statements `deadlines::load` runs for all units (traced on the first snapshot; the
/// same SQL for every scale), for the shell to run: reading the rows the rules need is
/// the floor of the bevakningslista.
fn deadline_rows_sql(scales: &[Scale]) -> String {
    let Some(first) = scales.first() else {
        return String::new();
    };
    traced(&first.file, "deadlines", &Filter::default())
        .into_iter()
        .map(|(sql, _)| sql + ";\n")
        .collect()
}

/// `tests/sql/bevakningslista.sql` for the shell: the bevakningslista on [`DAY`].
fn list_sql() -> String {
    // Without the comment lines: the shell takes an argument starting with `-` for an option.
    include_str!("../tests/sql/bevakningslista.sql")
        .lines()
        .filter(|l| !l.trim_start().starts_with("--"))
        .collect::<Vec<_>>()
        .join("\n")
        .replace(":today", &format!("'{DAY}'"))
}

/// Asserts that the shell's list (`list_sql`, as CSV with a header) has exactly the rows of
/// `bevaka report deadlines --format csv --csv-plain`, in the same order.
fn same_list(shell: &str, scale: &Scale) {
    let file = scale.file.to_str().expect("utf-8 path");
    let run = |program: &str, args: &[&str]| -> Vec<csv::StringRecord> {
        let out = Command::new(program)
            .args(args)
            .stderr(Stdio::inherit())
            .output()
            .expect("run");
        assert!(out.status.success(), "{program} {args:?}");
        csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(out.stdout.as_slice())
            .records()
            .collect::<Result<_, _>>()
            .expect("csv")
    };
    let sql = list_sql();
    let theirs = run(shell, &["-readonly", "-csv", "-header", file, &sql]);
    let mut args = report_args(file, "deadlines", "csv").to_vec();
    args.push("--csv-plain");
    let ours = run(BEVAKA, &args);
    assert!(theirs.len() > 1, "{}: the SQL listed nothing", scale.name);
    assert!(
        theirs == ours,
        "{}: the SQL list ({} rows) is not bevaka's ({} rows)",
        scale.name,
        theirs.len(),
        ours.len()
    );
}

/// Decisions per quarter over the window the Handläggningstid view loads: count and mean
/// handläggningstid.
fn quarters_sql() -> String {
    let from = bevaka::domain::processing::window_start(today());
    format!(
        "SELECT strftime('%Y', decided) || '-Q' || ((CAST(strftime('%m', decided) AS INTEGER) + 2) / 3) AS q,
                COUNT(*), AVG(julianday(decided) - julianday(received))
         FROM applications WHERE decided >= '{from}' GROUP BY q ORDER BY q;\n"
    )
}

fn sqlite3_table(out: &mut String, scales: &[Scale]) {
    let _ = writeln!(
        out,
        "## bevaka against the `sqlite3` shell on the same file\n"
    );
    let Some(shell) = which("sqlite3") else {
        let _ = writeln!(
            out,
            "`sqlite3` is not on PATH: comparison skipped (install the shell to see the floor).\n"
        );
        return;
    };
    let shell = shell.to_str().expect("utf-8 path").to_owned();
    let version = Command::new(&shell)
        .arg("--version")
        .output()
        .map(|o| {
            String::from_utf8_lossy(&o.stdout)
                .split_whitespace()
                .next()
                .unwrap_or("?")
                .to_owned()
        })
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "ms, median of {PROC_RUNS} subprocess runs each (process start included on both sides); \
         sqlite3 {version} (`-readonly`), bevaka's bundled SQLite {}.\n",
        rusqlite::version()
    );
    let sql = [
        (
            "caseload by insats on 3 dates",
            caseload_sql().replace(&workers_sql(), ""),
        ),
        ("open cases per handläggare", workers_sql()),
        ("both (= report caseload)", caseload_sql()),
        ("decisions per quarter, count + mean", quarters_sql()),
        (
            "rows the deadline rules read (deadlines::load's statements, traced)",
            deadline_rows_sql(scales),
        ),
        (
            "the bevakningslista itself: DOMAIN.md's rules in SQL, ordered (tests/sql)",
            list_sql(),
        ),
    ];
    // The SQL list is the same list: checked here, on every file, before it is timed.
    for s in scales {
        same_list(&shell, s);
    }
    let names: Vec<String> = scales
        .iter()
        .flat_map(|s| {
            [
                format!("{} bevaka", s.name),
                format!("{} sqlite3", s.name),
                format!("{} ratio", s.name),
            ]
        })
        .collect();
    let _ = writeln!(out, "| query | bevaka command | {} |", names.join(" | "));
    let _ = writeln!(out, "|---|---|{}", "---:|".repeat(names.len()));
    for (label, query) in &sql {
        let bevaka_kind = match *label {
            "both (= report caseload)" => Some(("caseload", "text")),
            "decisions per quarter, count + mean" => Some(("processing-time", "text")),
            l if l.starts_with("rows the deadline rules read") => Some(("deadlines", "csv")),
            l if l.starts_with("the bevakningslista itself") => Some(("deadlines", "csv")),
            _ => None,
        };
        let mut cells = Vec::new();
        for s in scales {
            let file = s.file.to_str().expect("utf-8 path");
            let floor = subprocess(&shell, &["-readonly", file, query], PROC_RUNS);
            match bevaka_kind {
                Some(kind) => {
                    let b = report(s, kind.0, kind.1);
                    cells.push(format!("{:.0}", b.ms));
                    cells.push(format!("{:.0}", floor.ms));
                    cells.push(format!("{:.1}×", b.ms / floor.ms));
                }
                None => {
                    cells.push("–".to_owned());
                    cells.push(format!("{:.0}", floor.ms));
                    cells.push("–".to_owned());
                }
            }
        }
        let command = bevaka_kind.map_or("–".to_owned(), |(k, f)| format!("`report {k}` ({f})"));
        let _ = writeln!(out, "| {label} | {command} | {} |", cells.join(" | "));
    }
    out.push('\n');
}

// ---------------------------------------------------------------------------------------
// Query plans, of the statements the loads really run (traced, not copied).

/// Runs one load on a traced connection; returns each statement it ran (parameters bound)
/// with its time.
fn traced(file: &Path, what: &str, filter: &Filter) -> Vec<(String, f64)> {
    use rusqlite::trace::{TraceEvent, TraceEventCodes};
    let mut conn =
        rusqlite::Connection::open_with_flags(file, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .expect("open");
    let log = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let sink = std::sync::Arc::clone(&log);
    conn.trace_v2(
        TraceEventCodes::SQLITE_TRACE_PROFILE,
        Some(move |e: TraceEvent<'_>| {
            if let TraceEvent::Profile(stmt, took) = e {
                let sql = stmt
                    .expanded_sql()
                    .unwrap_or_else(|| stmt.sql().into_owned());
                if let Ok(mut l) = sink.lock() {
                    l.push((sql, took.as_secs_f64() * 1000.0));
                }
            }
        }),
    )
    .expect("trace");
    // One connection: the plans are those of a load reading alone.
    run_load(Readers::from(&conn), what, filter);
    drop(conn);
    let mut ran: Vec<(String, f64)> = Vec::new();
    for (sql, ms) in log.lock().expect("log").drain(..) {
        // A statement run once per row (a lookup) is one line with its total time.
        match ran
            .iter_mut()
            .find(|(s, _)| *s == sql || same_shape(s, &sql))
        {
            Some(r) => r.1 += ms,
            None => ran.push((sql, ms)),
        }
    }
    ran
}

/// The same statement with other literals bound (a lookup run per row).
fn same_shape(a: &str, b: &str) -> bool {
    let shape = |s: &str| -> String {
        s.split('\'')
            .enumerate()
            .filter(|(i, _)| i % 2 == 0)
            .map(|(_, p)| p)
            .collect()
    };
    shape(a) == shape(b)
}

fn plan(conn: &rusqlite::Connection, sql: &str) -> Vec<String> {
    let mut st = conn
        .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
        .expect("explain");
    let mut rows = st.raw_query();
    let mut out = Vec::new();
    while let Some(r) = rows.next().expect("plan row") {
        out.push(r.get::<_, String>(3).unwrap_or_default());
    }
    out
}

/// Whether a plan reads whole tables or indexes, or only searches them.
fn verdict(steps: &[String]) -> String {
    let scans: Vec<&str> = steps
        .iter()
        .map(String::as_str)
        .filter(|s| s.starts_with("SCAN "))
        .collect();
    let full: Vec<&str> = scans
        .iter()
        .copied()
        .filter(|s| !s.contains(" USING "))
        .collect();
    if !full.is_empty() {
        format!("**full table scan**: {}", scans.join("; "))
    } else if !scans.is_empty() {
        format!("whole-index scan: {}", scans.join("; "))
    } else {
        "index search only".to_owned()
    }
}

fn one_line(sql: &str) -> String {
    let flat = sql.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() > 90 {
        format!("{}…", flat.chars().take(90).collect::<String>())
    } else {
        flat
    }
}

fn query_plans(out: &mut String, file: &Path, unit: &str) {
    let conn =
        rusqlite::Connection::open_with_flags(file, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .expect("open");
    let _ = writeln!(
        out,
        "## Query plans on the city snapshot\n\nEvery statement each view's load runs, traced \
         from the load itself (`trace_v2`), with its time on that run and SQLite's plan \
         (EXPLAIN QUERY PLAN); a statement run once per row is one line with its total time.\n"
    );
    let sizes: Vec<String> = ["cases", "case_workers", "applications", "interventions"]
        .iter()
        .map(|t| format!("{t} {}", count(&conn, t)))
        .collect();
    let _ = writeln!(out, "Rows: {}.\n", sizes.join(", "));
    let _ = writeln!(out, "| load | filter | statement | ms | plan |");
    let _ = writeln!(out, "|---|---|---|---:|---|");
    let mut details = String::new();
    for (what, label) in LOADS {
        for (name, filter) in [("all", Filter::default()), (unit, filter_of(unit))] {
            for (sql, ms) in traced(file, what, &filter) {
                let steps = plan(&conn, &sql);
                let _ = writeln!(
                    out,
                    "| {} | {name} | `{}` | {ms:.1} | {} |",
                    label.split(' ').next().unwrap_or(what),
                    one_line(&sql).replace('|', "\\|"),
                    verdict(&steps)
                );
                if name == "all" {
                    let _ = writeln!(details, "{}", one_line(&sql));
                    for step in &steps {
                        let _ = writeln!(details, "    {step}");
                    }
                }
            }
        }
    }
    let _ = writeln!(out, "\nPlans, all units:\n\n```\n{details}```");
}

// ---------------------------------------------------------------------------------------
// Growth (issue 16): the city, three cities and six in one snapshot
// (`bevaka demo --scale city --cities N`), `--only growth`.

/// The bigger snapshots of the growth section: cities, column name, file.
const GROWTH: [(usize, &str, &str); 2] = [
    (3, "3 cities", "city3.sqlite"),
    (6, "6 cities", "city6.sqlite"),
];

/// Issue 16's targets, at one city and at six.
const GROWTH_REPORT_MB: (f64, f64) = (100.0, 150.0);
const GROWTH_FIRST_SCREEN_MS: (f64, f64) = (150.0, 600.0);
const OWN_LIST_WARM_MS: f64 = 20.0;
const OWN_LIST_COLD_MS: f64 = 100.0;
const OWN_LIST_MB: f64 = 20.0;

/// The city (as the other sections have it) and the bigger snapshots, built when missing or
/// older than the binary, as [`ensure`] builds every snapshot; with their build's figures.
fn growth_scales(
    dir: &Path,
    city: &Scale,
    city_build: Run,
    rebuild: bool,
    reuse: bool,
) -> Vec<(Scale, Run)> {
    let mut all = vec![(
        Scale {
            name: "1 city",
            file: city.file.clone(),
            build: city.build,
            unit: city.unit,
        },
        city_build,
    )];
    for (n, name, file) in GROWTH {
        let scale = Scale {
            name,
            file: dir.join(file),
            build: Build::Cities(n),
            unit: city.unit,
        };
        let built = ensure(&scale, rebuild, reuse);
        all.push((scale, built));
    }
    all
}

/// The handläggare whose own list is measured: the one with the most open cases in the
/// city (the first copy, the same rows in every snapshot of the section).
fn busiest_worker(file: &Path) -> String {
    let conn =
        rusqlite::Connection::open_with_flags(file, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .expect("open");
    conn.query_row(
        &format!(
            "SELECT worker_id FROM cases
             WHERE worker_id IS NOT NULL AND opened <= '{DAY}' AND (closed IS NULL OR closed > '{DAY}')
             GROUP BY worker_id ORDER BY COUNT(*) DESC, worker_id LIMIT 1"
        ),
        [],
        |r| r.get(0),
    )
    .expect("a handläggare")
}

/// The header of a growth table: a column per snapshot, then the growth from one city to
/// six and the target.
fn growth_header(out: &mut String, first: &str, scales: &[(Scale, Run)], last: &str) {
    let names: Vec<&str> = scales.iter().map(|s| s.0.name).collect();
    let _ = writeln!(out, "| {first} | {} | 6 ÷ 1 | {last} |", names.join(" | "));
    let _ = writeln!(out, "|---|{}---:|---:|", "---:|".repeat(names.len()));
}

/// A row of a growth table: the figure of each snapshot, the growth from one city to six
/// (to a tenth: the own list should stay near 1.0×) and the target.
fn growth_row(
    out: &mut String,
    label: &str,
    cells: &[f64],
    fmt: impl Fn(f64) -> String,
    last: &str,
) {
    let growth = match (cells.first(), cells.last()) {
        (Some(a), Some(b)) if *a > 0.0 => format!("{:.1}×", b / a),
        _ => "–".to_owned(),
    };
    let shown: Vec<String> = cells.iter().map(|&v| fmt(v)).collect();
    let _ = writeln!(
        out,
        "| {label} | {} | {growth} | {last} |",
        shown.join(" | ")
    );
}

/// A CSV export of `file`, as a case system's nightly export would come (one file per table,
/// comma-separated with a header, written by the `sqlite3` shell), in `dir`; kept beside
/// the snapshot and written again when older than it.
fn csv_export(shell: &str, file: &Path, dir: &Path) {
    let done = dir.join(".done");
    if let (Some(made), Some(snapshot)) = (modified(&done), modified(file))
        && made >= snapshot
    {
        return;
    }
    eprintln!("exporterar {} som CSV …", file.display());
    std::fs::create_dir_all(dir).expect("csv directory");
    let file = file.to_str().expect("utf-8 path");
    for table in [
        "units",
        "case_workers",
        "insats_types",
        "cases",
        "applications",
        "interventions",
        "interruptions",
        "followups",
        "goals",
        "indicators",
        "indicator_values",
    ] {
        let csv = std::fs::File::create(dir.join(format!("{table}.csv"))).expect("csv file");
        let status = Command::new(shell)
            .args(["-readonly", "-csv", "-header", file])
            .arg(format!("SELECT * FROM {table}"))
            .stdout(csv)
            .status()
            .expect("sqlite3");
        assert!(status.success(), "sqlite3 could not export {table}");
    }
    std::fs::write(&done, "").expect("csv marker");
}

fn growth_tables(out: &mut String, dir: &Path, scales: &[(Scale, Run)]) {
    let Some((city, _)) = scales.first() else {
        return;
    };
    let shell = which("sqlite3").map(|s| s.to_str().expect("utf-8 path").to_owned());
    let worker = busiest_worker(&city.file);
    let load_before = load_average();
    let _ = writeln!(
        out,
        "## Growth: one city, three and six in one snapshot (issue 16)\n\n\
         `bevaka demo --scale city --cities N` on {DAY}; the release binary; reports as \
         subprocesses (median of {PROC_RUNS} runs, the largest peak RSS: `getrusage` of the \
         child, what `/usr/bin/time -f %M` shows), the snapshot read through before each \
         run (warm) unless said; the first screen in process as the dashboard section \
         measures it. The own list is `{worker}`'s, the handläggare with the most open \
         cases in the first copy (the same rows in every snapshot).\n"
    );

    // The snapshots, their build and their import.
    growth_header(out, "snapshot", scales, "");
    let counts: Vec<[f64; 3]> = scales
        .iter()
        .map(|(s, _)| {
            let conn = rusqlite::Connection::open_with_flags(
                &s.file,
                rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
            )
            .expect("open");
            let rows: f64 = ["cases", "applications", "interventions", "followups"]
                .iter()
                .map(|t| count(&conn, t) as f64)
                .sum();
            let size = std::fs::metadata(&s.file).map_or(0, |m| m.len());
            [count(&conn, "cases") as f64, rows, size as f64 / 1e6]
        })
        .collect();
    let column = |i: usize| -> Vec<f64> { counts.iter().map(|c| c[i]).collect() };
    let int = |v: f64| format!("{v:.0}");
    growth_row(out, "cases", &column(0), int, "");
    growth_row(
        out,
        "rows of cases, applications, interventions, bevakningar",
        &column(1),
        int,
        "",
    );
    growth_row(out, "file MB", &column(2), int, "");
    let builds: Vec<Run> = scales.iter().map(|s| s.1).collect();
    growth_row(
        out,
        "`bevaka demo --scale city --cities N`: s",
        &builds.iter().map(|b| b.ms / 1000.0).collect::<Vec<_>>(),
        |v| format!("{v:.1}"),
        "",
    );
    growth_row(
        out,
        "`bevaka demo …`: peak MB",
        &builds.iter().map(|b| mb(b.kb)).collect::<Vec<_>>(),
        int,
        "",
    );
    if let Some(shell) = &shell {
        let imports: Vec<Run> = scales
            .iter()
            .map(|(s, _)| {
                let stem = s.file.file_stem().and_then(OsStr::to_str).unwrap_or("x");
                let csv = dir.join(format!("{stem}-csv"));
                csv_export(shell, &s.file, &csv);
                let target = dir.join(format!("{stem}-imported.sqlite"));
                let _ = std::fs::remove_file(&target);
                let (from, to) = (
                    csv.to_str().expect("utf-8 path"),
                    target.to_str().expect("utf-8 path"),
                );
                eprintln!("importerar {from} …");
                let run = subprocess(
                    BEVAKA,
                    &["snapshot", "build", "--from", from, "--out", to],
                    1,
                );
                let _ = std::fs::remove_file(&target);
                run
            })
            .collect();
        growth_row(
            out,
            "import of its CSV export, `bevaka snapshot build --from DIR`: s",
            &imports.iter().map(|b| b.ms / 1000.0).collect::<Vec<_>>(),
            |v| format!("{v:.1}"),
            "",
        );
        growth_row(
            out,
            "import: peak MB",
            &imports.iter().map(|b| mb(b.kb)).collect::<Vec<_>>(),
            int,
            "",
        );
    }
    out.push('\n');

    // Every report, warm.
    let worker_args = ["--worker", worker.as_str()];
    let reports: [(&str, &[&str]); 6] = [
        ("caseload", &[]),
        ("deadlines", &[]),
        ("deadlines", &worker_args),
        ("processing-time", &[]),
        ("ivo", &[]),
        ("indicators", &[]),
    ];
    let args_of = |s: &Scale, kind: &'static str, extra: &[&'static str]| -> Vec<String> {
        let file = s.file.to_str().expect("utf-8 path");
        report_args(file, kind, "json")
            .iter()
            .chain(extra)
            .map(|a| (*a).to_owned())
            .collect()
    };
    let measure = |s: &Scale, kind: &'static str, extra: &[&str], cold: bool| -> Run {
        let mut args = args_of(s, kind, &[]);
        args.extend(extra.iter().map(|a| (*a).to_owned()));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        if cold {
            subprocess_cold(BEVAKA, &args, PROC_RUNS)
        } else {
            subprocess(BEVAKA, &args, PROC_RUNS)
        }
    };
    let runs: Vec<(String, Vec<Run>)> = reports
        .iter()
        .map(|(kind, extra)| {
            let label = format!(
                "`report {kind}{}`",
                if extra.is_empty() { "" } else { " --worker H" }
            );
            (
                label,
                scales
                    .iter()
                    .map(|(s, _)| measure(s, kind, extra, false))
                    .collect(),
            )
        })
        .collect();
    let report_mb = format!("{:.0} / {:.0} MB", GROWTH_REPORT_MB.0, GROWTH_REPORT_MB.1);
    let _ = writeln!(out, "Reports (`--format json`), warm: ms\n");
    growth_header(out, "report", scales, "target");
    for (label, r) in &runs {
        let cells: Vec<f64> = r.iter().map(|r| r.ms).collect();
        let target = if label.contains("--worker") {
            format!("{OWN_LIST_WARM_MS:.0} ms")
        } else {
            format!("{REPORT_MS:.0} ms")
        };
        growth_row(out, label, &cells, int, &target);
    }
    out.push('\n');
    let _ = writeln!(out, "Reports, peak RSS: MB\n");
    growth_header(out, "report", scales, "target (1 / 6 cities)");
    for (label, r) in &runs {
        let cells: Vec<f64> = r.iter().map(|r| mb(r.kb)).collect();
        let target = if label.contains("--worker") {
            format!("{OWN_LIST_MB:.0} MB")
        } else {
            report_mb.clone()
        };
        growth_row(out, label, &cells, |v| format!("{v:.1}"), &target);
    }
    out.push('\n');

    // The own list, cold and warm.
    let _ = writeln!(
        out,
        "The own list, `report deadlines --worker {worker} --format json`: cold is with the \
         snapshot's pages dropped from the page cache before each run (`posix_fadvise \
         DONTNEED`), the file already checked once (as on a jump host)\n"
    );
    growth_header(out, "run", scales, "target");
    let cold: Vec<Run> = scales
        .iter()
        .map(|(s, _)| measure(s, "deadlines", &worker_args, true))
        .collect();
    let warm_runs = runs
        .iter()
        .find(|(l, _)| l.contains("--worker"))
        .map(|r| &r.1);
    if let Some(w) = warm_runs {
        growth_row(
            out,
            "warm: ms",
            &w.iter().map(|r| r.ms).collect::<Vec<_>>(),
            |v| format!("{v:.1}"),
            &format!("{OWN_LIST_WARM_MS:.0}, not growing"),
        );
    }
    growth_row(
        out,
        "cold: ms",
        &cold.iter().map(|r| r.ms).collect::<Vec<_>>(),
        |v| format!("{v:.1}"),
        &format!("{OWN_LIST_COLD_MS:.0}, not growing"),
    );
    if let Some(w) = warm_runs {
        growth_row(
            out,
            "warm: peak MB",
            &w.iter().map(|r| mb(r.kb)).collect::<Vec<_>>(),
            |v| format!("{v:.1}"),
            &format!("{OWN_LIST_MB:.0}"),
        );
    }
    growth_row(
        out,
        "cold: peak MB",
        &cold.iter().map(|r| mb(r.kb)).collect::<Vec<_>>(),
        |v| format!("{v:.1}"),
        &format!("{OWN_LIST_MB:.0}"),
    );
    out.push('\n');

    // The first screen, in process.
    let _ = writeln!(
        out,
        "The dashboard's first complete screen, in process (open, load, draw; ms, median of \
         {RUNS}, warm) and the peak memory of a fresh process doing it (VmHWM)\n"
    );
    growth_header(out, "measure", scales, "target (1 / 6 cities)");
    let all_units: Vec<f64> = scales
        .iter()
        .map(|(s, _)| first_screen(&s.file, &Filter::default()))
        .collect();
    growth_row(
        out,
        "first complete screen, all units: ms",
        &all_units,
        |v| format!("{v:.0}"),
        &format!(
            "{:.0} / {:.0} ms",
            GROWTH_FIRST_SCREEN_MS.0, GROWTH_FIRST_SCREEN_MS.1
        ),
    );
    let one_unit: Vec<f64> = scales
        .iter()
        .map(|(s, _)| first_screen(&s.file, &filter_of(s.unit)))
        .collect();
    growth_row(
        out,
        &format!("first complete screen, `--unit {}`: ms", city.unit),
        &one_unit,
        |v| format!("{v:.0}"),
        "",
    );
    let peaks: Vec<f64> = scales
        .iter()
        .map(|(s, _)| {
            let file = s.file.to_str().expect("utf-8 path");
            mb(myself(&["--child", "start", file, "-"]).kb)
        })
        .collect();
    growth_row(
        out,
        "first screen, all units: peak MB",
        &peaks,
        |v| format!("{v:.0}"),
        "",
    );
    out.push('\n');

    // The sqlite3 shell beside the reports.
    let Some(shell) = shell else {
        let _ = writeln!(
            out,
            "`sqlite3` is not on PATH: the shell's figures skipped.\n"
        );
        loads(out, &load_before);
        return;
    };
    let city_only = [Scale {
        name: city.name,
        file: city.file.clone(),
        build: city.build,
        unit: city.unit,
    }];
    let queries = [
        ("caseload", "both (= report caseload)", caseload_sql()),
        (
            "processing-time",
            "decisions per quarter, count + mean",
            quarters_sql(),
        ),
        (
            "deadlines",
            "rows the deadline rules read (deadlines::load's statements, traced)",
            deadline_rows_sql(&city_only),
        ),
        (
            "deadlines",
            "the bevakningslista itself: DOMAIN.md's rules in SQL (tests/sql)",
            list_sql(),
        ),
    ];
    let _ = writeln!(
        out,
        "The `sqlite3` shell on the same files (`-readonly`, the queries of the sqlite3 \
         section): ms and peak MB, beside bevaka's report (json) from the tables above\n"
    );
    growth_header(out, "query", scales, "bevaka 6 ÷ 1");
    for (kind, label, sql) in &queries {
        let shell_runs: Vec<Run> = scales
            .iter()
            .map(|(s, _)| {
                let file = s.file.to_str().expect("utf-8 path");
                subprocess(&shell, &["-readonly", file, sql], PROC_RUNS)
            })
            .collect();
        let ours = runs
            .iter()
            .find(|(l, _)| *l == format!("`report {kind}`"))
            .map(|r| &r.1);
        let bevaka_growth = ours
            .and_then(|r| match (r.first(), r.last()) {
                (Some(a), Some(b)) if a.ms > 0.0 => Some(format!("{:.1}×", b.ms / a.ms)),
                _ => None,
            })
            .unwrap_or_else(|| "–".to_owned());
        growth_row(
            out,
            &format!("sqlite3: {label}: ms"),
            &shell_runs.iter().map(|r| r.ms).collect::<Vec<_>>(),
            int,
            &bevaka_growth,
        );
        growth_row(
            out,
            &format!("sqlite3: {label}: peak MB"),
            &shell_runs.iter().map(|r| mb(r.kb)).collect::<Vec<_>>(),
            |v| format!("{v:.1}"),
            "",
        );
    }
    out.push('\n');
    loads(out, &load_before);
}

/// The machine's load average (`/proc/loadavg`: 1, 5 and 15 minutes), to read the figures
/// against: on a shared machine other builds take the cores.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "?".to_owned())
}

fn loads(out: &mut String, before: &str) {
    let _ = writeln!(
        out,
        "Load average (1, 5, 15 min) on this 2-core machine: {before} when the section \
         started, {} when it ended.\n",
        load_average()
    );
}
