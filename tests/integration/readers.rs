//! Loads that read on two connections at once (`Readers::both`): a failure on either side
//! stops the other and is the load's error, an interrupt on either connection ends the load
//! with SQLite's interrupt error (which the loader re-queues) and never with part of the
//! figures, and the dashboard's loader shows what one connection computes.

use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::{Duration, Instant, SystemTime};

use bevaka::config::Config;
use bevaka::domain::dates::parse_iso;
use bevaka::domain::{caseload, deadlines, processing};
use bevaka::snapshot::queries::Filter;
use bevaka::snapshot::{Readers, Snapshot, Stop};
use bevaka::tui::app::App;
use bevaka::tui::keymap::Action;
use bevaka::tui::theme::Theme;
use chrono::NaiveDate;
use rusqlite::{Connection, ErrorCode};

use crate::caseload::{every_kind_of_filter, file_snapshot};

fn today() -> NaiveDate {
    parse_iso("2014-12-31").expect("date")
}

/// Long enough to be interrupted, short enough to fail the test rather than hang it when
/// the interrupt goes astray.
const LONG: &str = "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n LIMIT 50000000)
                    SELECT count(*) FROM n";

/// A statement that fails at once.
fn failing(conn: &Connection) -> rusqlite::Result<()> {
    conn.query_row("SELECT no_such_column FROM units", [], |r| {
        r.get::<_, i64>(0)
    })
    .map(drop)
}

/// Waits until the other side has failed; `false` if it never says so.
fn stopped(stop: &Stop) -> bool {
    let start = Instant::now();
    while !stop.is_set() {
        if start.elapsed() > Duration::from_secs(30) {
            return false;
        }
        thread::sleep(Duration::from_millis(1));
    }
    true
}

#[test]
fn both_sides_read_at_once_and_a_failure_stops_the_other() {
    let (_dir, snap) = file_snapshot(&bevaka::demo::build(today()));

    // With a spare, the second side reads on another thread; without, on this one, after
    // the first.
    let (here, there) = snap
        .readers()
        .both(
            |_, _| Ok(thread::current().id()),
            |_, _| Ok(thread::current().id()),
        )
        .expect("ids");
    assert_ne!(here, there);
    let alone = Readers::from(snap.conn());
    let (here, there) = alone
        .both(
            |_, _| Ok(thread::current().id()),
            |_, _| Ok(thread::current().id()),
        )
        .expect("ids");
    assert_eq!(here, there);

    // Either side's error is the result, and the other side is told to stop.
    let e = snap
        .readers()
        .both(|_, stop| Ok(stopped(stop)), |conn, _| failing(conn))
        .expect_err("the second side failed");
    assert!(e.to_string().contains("no_such_column"), "{e}");
    let told = AtomicBool::new(false);
    let e = snap
        .readers()
        .both(
            |conn, _| failing(conn),
            |_, stop| {
                told.store(stopped(stop), Ordering::Relaxed);
                Ok(())
            },
        )
        .expect_err("the first side failed");
    assert!(e.to_string().contains("no_such_column"), "{e}");
    assert!(
        told.load(Ordering::Relaxed),
        "the second side was told to stop"
    );
    // Alone, nothing runs after a failure.
    let e = alone
        .both(
            |conn, _| failing(conn),
            |_, _| -> rusqlite::Result<()> { panic!("ran after the first side failed") },
        )
        .expect_err("failed");
    assert!(e.to_string().contains("no_such_column"), "{e}");
}

/// Calls `interrupt` over and over on another thread while `run` runs.
fn interrupting<T>(interrupt: impl Fn() + Sync, run: impl FnOnce() -> T) -> T {
    let done = AtomicBool::new(false);
    thread::scope(|scope| {
        scope.spawn(|| {
            while !done.load(Ordering::Relaxed) {
                interrupt();
                thread::yield_now();
            }
        });
        let out = run();
        done.store(true, Ordering::Relaxed);
        out
    })
}

fn is_interrupt(e: &rusqlite::Error) -> bool {
    e.sqlite_error_code() == Some(ErrorCode::OperationInterrupted)
}

#[test]
fn an_interrupt_on_either_connection_is_the_error_of_both() {
    let (_dir, snap) = file_snapshot(&bevaka::demo::build(today()));
    let handles = snap.interrupt_handles();
    assert_eq!(handles.len(), 2, "the main connection and the spare");

    // The spare's statement interrupted: the main side is told to stop.
    let e = interrupting(
        || handles[1].interrupt(),
        || {
            snap.readers().both(
                |_, stop| Ok(stopped(stop)),
                |conn, _| conn.query_row(LONG, [], |r| r.get::<_, i64>(0)),
            )
        },
    )
    .expect_err("interrupted");
    assert!(is_interrupt(&e), "{e}");

    // The main connection's statement interrupted: the spare's side is told to stop.
    let e = interrupting(
        || handles[0].interrupt(),
        || {
            snap.readers().both(
                |conn, _| conn.query_row(LONG, [], |r| r.get::<_, i64>(0)),
                |_, stop| Ok(stopped(stop)),
            )
        },
    )
    .expect_err("interrupted");
    assert!(is_interrupt(&e), "{e}");
}

#[test]
fn interrupted_loads_end_with_the_interrupt_error_never_with_part_of_the_figures() {
    let data = bevaka::demo::build(today());
    let (_dir, snap) = file_snapshot(&data);
    let all = Filter::default();
    let caseload = caseload::load(snap.conn(), &all, today()).expect("caseload");
    let review = processing::load(snap.conn(), &all, Default::default(), today()).expect("review");
    let rules = Config::default().deadlines;
    let list = deadlines::load(snap.conn(), &all, &rules, today()).expect("list");
    let handles = snap.interrupt_handles();
    for handle in &handles {
        let (mut interrupted, mut whole) = (0, 0);
        for _ in 0..100 {
            let (c, p, d) = interrupting(
                || handle.interrupt(),
                || {
                    (
                        caseload::load(snap.readers(), &all, today()),
                        processing::load(snap.readers(), &all, Default::default(), today()),
                        deadlines::load(snap.readers(), &all, &rules, today()),
                    )
                },
            );
            match d {
                Ok(d) => {
                    assert!(d.items().eq(list.items()));
                    whole += 1;
                }
                Err(e) => {
                    assert!(is_interrupt(&e), "{e}");
                    interrupted += 1;
                }
            }
            match c {
                Ok(c) => {
                    assert_eq!(c, caseload);
                    whole += 1;
                }
                Err(e) => {
                    assert!(is_interrupt(&e), "{e}");
                    interrupted += 1;
                }
            }
            match p {
                Ok(p) => {
                    assert_eq!(p.quarters, review.quarters);
                    assert_eq!(p.over_target, review.over_target);
                    assert_eq!(p.not_executed, review.not_executed);
                    whole += 1;
                }
                Err(e) => {
                    assert!(is_interrupt(&e), "{e}");
                    interrupted += 1;
                }
            }
        }
        assert!(interrupted > 0, "{interrupted} interrupted, {whole} whole");
    }
    // Nothing is left interrupted: the next loads run to the end.
    assert_eq!(
        caseload::load(snap.readers(), &all, today()).expect("after"),
        caseload
    );
}

#[test]
fn the_loader_shows_what_one_connection_computes() {
    let data = bevaka::demo::build(today());
    let (dir, snap) = file_snapshot(&data);
    let path = dir.path().join("snapshot.sqlite");
    let theme = Theme {
        color: false,
        ascii: false,
    };
    for filter in every_kind_of_filter(&data) {
        let caseload = caseload::load(snap.conn(), &filter, today()).expect("caseload");
        let review =
            processing::load(snap.conn(), &filter, Default::default(), today()).expect("review");
        let snapshot = Snapshot::open(&path).expect("open");
        let mut app = App::start(
            snapshot,
            Config::default(),
            filter.clone(),
            today(),
            SystemTime::UNIX_EPOCH,
            theme,
        )
        .expect("start");
        // Views asked for while the others are prefetched: each interrupts a prefetch under
        // way, which runs again afterwards.
        let start = Instant::now();
        for view in [2, 3, 0, 3, 2, 1, 3] {
            app.handle(Action::View(view)).expect("view");
            app.receive();
        }
        while app.loading() {
            app.receive();
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "loads never finished"
            );
            thread::sleep(Duration::from_millis(1));
        }
        assert_eq!(app.caseload.data, caseload, "{filter:?}");
        let shown = &app.processing.data;
        assert_eq!(shown.quarters, review.quarters, "{filter:?}");
        assert_eq!(shown.over_target, review.over_target, "{filter:?}");
        assert_eq!(shown.not_executed, review.not_executed, "{filter:?}");
    }
}
