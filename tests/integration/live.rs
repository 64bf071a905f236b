//! A snapshot replaced by rename while the dashboard runs: the new figures appear, the view
//! and selection stay, and a bad new file keeps the old one on screen with a warning.

use std::time::SystemTime;

use bevaka::config::Config;
use bevaka::domain::dates::parse_iso;
use bevaka::snapshot::Snapshot;
use bevaka::snapshot::queries::Filter;
use bevaka::tui::app::{App, View};
use bevaka::tui::keymap::Action;
use bevaka::tui::theme::Theme;

#[test]
fn replaced_snapshot_switches_and_bad_one_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("snapshot.sqlite");
    let today = parse_iso("2014-12-31").expect("date");
    bevaka::snapshot::write_snapshot(&path, &bevaka::demo::build(today)).expect("write");
    let snapshot = Snapshot::open(&path).expect("open");
    let theme = Theme {
        color: false,
        ascii: false,
    };
    let mut app = App::new(
        snapshot,
        Config::default(),
        Filter::default(),
        today,
        SystemTime::now(),
        theme,
    )
    .expect("app");
    app.handle(Action::View(2)).expect("caseload");
    app.handle(Action::Down).expect("down");
    app.handle(Action::Down).expect("down");
    assert!(!app.watch(), "nothing changed yet");
    let before = app.caseload.rows[0].counts;

    // The publisher writes a new snapshot (another as-of) and renames it over the path.
    let later = parse_iso("2015-12-31").expect("date");
    bevaka::snapshot::write_snapshot(&path, &bevaka::demo::build(later)).expect("write");
    assert!(app.watch(), "the rename is noticed");
    let after = app.caseload.rows[0].counts;
    assert_ne!(before, after, "new figures on screen");
    assert_eq!(app.view, View::Caseload, "view kept");
    assert_eq!(app.insats_cursor.selected, 2, "selection kept");
    let msg = app.message.clone().expect("message");
    assert!(
        !msg.warning && msg.text.contains("Ny ögonblicksbild"),
        "{msg:?}"
    );

    // A broken file renamed over it: the old figures stay, with a warning, once.
    let tmp = dir.path().join("broken.tmp");
    std::fs::write(&tmp, b"this is not sqlite").expect("write");
    std::fs::rename(&tmp, &path).expect("rename");
    assert!(app.watch());
    assert_eq!(app.caseload.rows[0].counts, after);
    assert!(app.message.as_ref().is_some_and(|m| m.warning));
    assert!(
        !app.watch(),
        "a rejected file is not retried until it changes"
    );
}
