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
        for what in ["deadlines", "processing-time"] {
            let out = report(&path, what, today);
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(1), "{what} {days}: {stderr}");
            assert!(
                stderr.contains("insats_types")
                    && stderr.contains(&format!("target_days {days} ligger utanför 0–3650")),
                "{what} {days}: {stderr}"
            );
            assert!(!stderr.contains("panicked"), "{stderr}");
            assert!(
                !stderr.contains('\x1b'),
                "no colour off a terminal: {stderr}"
            );
        }
        // The reports that do not use target_days are as they were.
        for what in ["caseload", "ivo", "indicators"] {
            let out = report(&path, what, today);
            assert!(
                out.status.success(),
                "{what} {days}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
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
