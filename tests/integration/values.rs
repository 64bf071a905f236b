//! Issue 14: no value a snapshot can hold makes bevaka panic. A `target_days` past the
//! calendar (another tool wrote the snapshot; the CSV import refuses it) fails the reports
//! and views that use it with the insats type and the value named, and leaves the others
//! as they were.

use std::process::Command;
use std::time::SystemTime;

use bevaka::config::Config;
use bevaka::domain::dates::parse_iso;
use bevaka::snapshot::Snapshot;
use bevaka::snapshot::queries::Filter;
use bevaka::tui::app::App;
use bevaka::tui::theme::Theme;

/// The demo as of `today` with every insats type's `target_days` set to `days` behind the
/// writer's back (as another tool could write it).
fn tampered(days: i64, today: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("snapshot.sqlite");
    let today = parse_iso(today).expect("date");
    bevaka::snapshot::write_snapshot(&path, &bevaka::demo::build(today)).expect("write");
    let conn = rusqlite::Connection::open(&path).expect("open");
    conn.execute_batch("PRAGMA ignore_check_constraints = ON")
        .expect("pragma");
    conn.execute("UPDATE insats_types SET target_days = ?1", [days])
        .expect("tamper");
    drop(conn);
    (dir, path)
}

fn report(path: &std::path::Path, what: &str, today: &str) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_bevaka"))
        .args(["report", what, "--today", today, "--snapshot"])
        .arg(path)
        .env("NO_COLOR", "1")
        .env_remove("RUST_BACKTRACE")
        .output()
        .expect("run bevaka")
}

#[test]
fn target_days_past_the_calendar_fail_with_the_value_named_never_panic() {
    // Undecided applications on the day: the beslut rule adds target_days to them.
    let today = "2015-06-01";
    for days in [i64::MAX, i64::MIN, -1, 3651] {
        let (_dir, path) = tampered(days, today);
        // Every report that reads insats types refuses the file before any figure, naming
        // table, row and value (the value check before a report); the deadline rules' own
        // check says the same where a file gets past that (a library user calling them).
        for what in ["deadlines", "processing-time", "caseload", "ivo"] {
            let out = report(&path, what, today);
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(1), "{what} {days}: {stderr}");
            assert!(
                stderr.contains("tabellen insats_types, rad ")
                    && stderr.contains(&format!("target_days utanför 0–3650 dagar: {days}")),
                "{what} {days}: {stderr}"
            );
            assert!(out.stdout.is_empty(), "{what} {days}: no figures");
            assert!(!stderr.contains("panicked"), "{stderr}");
            assert!(
                !stderr.contains('\x1b'),
                "no colour off a terminal: {stderr}"
            );
        }
        // The indicators do not read insats types: their report is as it was.
        let out = report(&path, "indicators", today);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        // The dashboard, loaded in-process: the bevakningslista fails, with the value
        // named; nothing panics.
        let snapshot = Snapshot::open(&path).expect("open");
        let err = App::new(
            snapshot,
            Config::default(),
            Filter::default(),
            parse_iso(today).expect("date"),
            SystemTime::now(),
            Theme {
                color: false,
                ascii: false,
            },
        )
        .err()
        .expect("refused");
        assert!(err.to_string().contains("target_days"), "{err}");
    }
}

/// A copy of the `valid_comma` fixture with `lines` added to its goals.csv.
fn fixture_with_goals(lines: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let fixture =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/csv/valid_comma");
    for entry in std::fs::read_dir(&fixture).expect("fixture") {
        let path = entry.expect("entry").path();
        std::fs::copy(&path, dir.path().join(path.file_name().expect("name"))).expect("copy");
    }
    let goals = dir.path().join("goals.csv");
    let mut text = std::fs::read_to_string(&goals).expect("read");
    if !text.ends_with('\n') {
        text.push('\n');
    }
    text.push_str(lines);
    std::fs::write(&goals, text).expect("write");
    dir
}

/// How deep the chain of the goal-tree tests is: the cubic code before issue 14 took
/// more than ten minutes to import it and minutes to show it; now it is a second or two.
const DEEP: usize = 10_000;
/// How many goals in all.
const GOALS: usize = 100_000;

#[test]
fn a_chain_ten_thousand_deep_among_a_hundred_thousand_goals_imports_and_shows() {
    use std::fmt::Write as _;
    let mut lines = String::new();
    // D0 under the fixture's G1, each D under the one before; W goals wide under G2.
    for i in 0..DEEP {
        let parent = if i == 0 {
            "G1".to_owned()
        } else {
            format!("D{}", i - 1)
        };
        writeln!(lines, "D{i},{parent},U1,aktivitet,,Steg {i},,,,").expect("fmt");
    }
    for i in 0..GOALS - DEEP {
        writeln!(lines, "W{i},G2,,aktivitet,,Bred {i},ej,,,").expect("fmt");
    }
    let dir = fixture_with_goals(&lines);
    let data = bevaka::import::read_dir(dir.path()).unwrap_or_else(|e| panic!("{}", e.0[0]));
    assert!(data.goals.len() > GOALS);
    let today = parse_iso("2014-12-31").expect("date");
    let rows = bevaka::domain::indicators::tree::Rows {
        goals: data.goals.clone(),
        indicators: data.indicators.clone(),
        values: data.indicator_values.clone(),
    };
    let o = bevaka::domain::indicators::Overview::compute(rows, None, Some(2014), today, 5);
    let deepest = o.nodes.iter().map(|n| n.depth).max().expect("nodes");
    // G1 is a root: D0 is at depth 1, D9999 at 10 000.
    assert_eq!(deepest, DEEP);
    let g2 = o
        .nodes
        .iter()
        .position(|n| n.goal.goal_id == "G2")
        .expect("G2");
    assert_eq!(o.goal_summary(g2).ej, 0, "aktiviteter are not åtaganden");
    let g1 = o.roots[0];
    assert!(o.goal_summary(g1).indicators() > 0);
    // A unit's view: the chain is U1's, its ancestors hang on.
    let u1 = o.for_year(2014);
    assert_eq!(u1.nodes.len(), o.nodes.len());

    // The report from a snapshot of it, text and JSON.
    let path = dir.path().join("deep.sqlite");
    bevaka::snapshot::write_snapshot(&path, &data).expect("write");
    for format in ["text", "json"] {
        let out = Command::new(env!("CARGO_BIN_EXE_bevaka"))
            .args(["report", "indicators", "--year", "2014", "--format", format])
            .args(["--today", "2014-12-31", "--snapshot"])
            .arg(&path)
            .output()
            .expect("run");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn goal_cycles_are_refused_naming_the_goals_once_each() {
    // A loop of three with a goal hanging off it, and a long loop: each named once.
    let mut lines = String::from(
        "C1,C3,,aktivitet,,a,,,,\nC2,C1,,aktivitet,,b,,,,\nC3,C2,,aktivitet,,c,,,,\nC4,C3,,aktivitet,,d,,,,\n",
    );
    let long = 5_000;
    for i in 0..long {
        let parent = (i + 1) % long;
        lines.push_str(&format!("L{i},L{parent},,aktivitet,,l,,,,\n"));
    }
    let dir = fixture_with_goals(&lines);
    let errors: Vec<String> = match bevaka::import::read_dir(dir.path()) {
        Ok(_) => panic!("a cycle imports"),
        Err(e) => e.0.iter().map(ToString::to_string).collect(),
    };
    assert_eq!(
        errors.len(),
        2,
        "{:?}",
        errors
            .iter()
            .map(|e| &e[..80.min(e.len())])
            .collect::<Vec<_>>()
    );
    assert!(
        errors[0].ends_with("parent_id: C3: målkedjan går i cirkel: C1 → C3 → C2 → C1"),
        "{}",
        errors[0]
    );
    assert!(
        errors[1].contains("målkedjan går i cirkel: L0 → L1 → L2"),
        "{}",
        &errors[1][..200]
    );
    assert!(
        errors[1].ends_with("L4999 → L0"),
        "end of {}",
        &errors[1][errors[1].len() - 100..]
    );
}
