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

/// No colour, UTF-8.
const PLAIN: Theme = Theme {
    color: false,
    ascii: false,
};

/// The demo as of 2014-12-31 written to a file (kept while the directory lives), and that day.
fn demo_file() -> (tempfile::TempDir, std::path::PathBuf, chrono::NaiveDate) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("snapshot.sqlite");
    let today = parse_iso("2014-12-31").expect("date");
    bevaka::snapshot::write_snapshot(&path, &bevaka::demo::build(today)).expect("write");
    (dir, path, today)
}

#[test]
fn replaced_snapshot_switches_and_bad_one_is_refused() {
    let (dir, path, today) = demo_file();
    let snapshot = Snapshot::open(&path).expect("open");
    let theme = PLAIN;
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
    let before = app.caseload.data.rows[0].counts;

    // The publisher writes a new snapshot (another as-of) and renames it over the path.
    let later = parse_iso("2015-12-31").expect("date");
    bevaka::snapshot::write_snapshot(&path, &bevaka::demo::build(later)).expect("write");
    assert!(app.watch(), "the rename is noticed");
    let after = app.caseload.data.rows[0].counts;
    assert_ne!(before, after, "new figures on screen");
    assert_eq!(app.view, View::Caseload, "view kept");
    assert_eq!(app.caseload.insats.cursor.selected, 2, "selection kept");
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
    assert_eq!(app.caseload.data.rows[0].counts, after);
    assert!(app.message.as_ref().is_some_and(|m| m.warning));
    assert!(
        !app.watch(),
        "a rejected file is not retried until it changes"
    );
}

/// Takes the loader's answers until nothing is being loaded.
fn settle(app: &mut App) {
    let start = std::time::Instant::now();
    while app.loading() {
        app.receive();
        assert!(
            start.elapsed() < std::time::Duration::from_secs(60),
            "loads never finished"
        );
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
}

fn draw(app: &App) -> String {
    let mut t = ratatui::Terminal::new(ratatui::backend::TestBackend::new(80, 24)).expect("term");
    t.draw(|f| f.render_widget(app, f.area())).expect("draw");
    t.backend().to_string()
}

#[test]
fn background_loading_says_laddar_keeps_keys_and_ends_with_the_same_figures() {
    use bevaka::tui::app::PartState;
    use bevaka::tui::loader::Part;
    let (_dir, path, today) = demo_file();
    let theme = PLAIN;
    let start = |filter: Filter, background: bool| {
        let snapshot = Snapshot::open(&path).expect("open");
        let now = SystemTime::UNIX_EPOCH;
        if background {
            App::start(snapshot, Config::default(), filter, today, now, theme).expect("start")
        } else {
            App::new(snapshot, Config::default(), filter, today, now, theme).expect("new")
        }
    };
    let mut app = start(Filter::default(), true);

    // Nothing is taken from the loader until the event loop asks: the first screen says
    // what it is waiting for, and only the first view is asked for.
    assert!(app.loading() && app.view_loading());
    assert!(draw(&app).contains("Laddar Bevakningar… (q avslutar)"));
    assert_eq!(app.part_state(Part::Caseload), &PartState::Stale);
    let ascii = Theme {
        color: false,
        ascii: true,
    };
    let plain = App::start(
        Snapshot::open(&path).expect("open"),
        Config::default(),
        Filter::default(),
        today,
        SystemTime::UNIX_EPOCH,
        ascii,
    )
    .expect("start");
    assert!(draw(&plain).contains("Laddar Bevakningar... (q avslutar)"));
    // A view shown before its data arrives says so too.
    app.handle(Action::View(2)).expect("caseload");
    assert!(draw(&app).contains("Laddar Ärenden…"));
    app.handle(Action::View(0)).expect("back");
    settle(&mut app);
    let reference = start(Filter::default(), false);
    assert_eq!(
        app.deadlines.data.items().collect::<Vec<_>>(),
        reference.deadlines.data.items().collect::<Vec<_>>()
    );
    assert!(draw(&app).contains("Bevakningar: hela urvalet"));
    assert_eq!(app.units.len(), 2, "the units arrive with the first view");

    // Once the first view is there, the others are loaded ahead of need.
    for part in Part::ALL {
        assert_eq!(app.part_state(part), &PartState::Ready, "{part:?}");
    }
    app.handle(Action::View(2)).expect("caseload");
    assert!(!app.view_loading(), "shown at once");
    assert_eq!(app.caseload.data, reference.caseload.data);
    assert_eq!(
        app.processing.data.quarters,
        reference.processing.data.quarters
    );

    // A view asked for while the others are being prefetched: it comes first (a running
    // prefetch is interrupted and run again afterwards), and every view still arrives.
    let mut fresh = start(Filter::default(), true);
    while fresh.view_loading() {
        fresh.receive();
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
    fresh.handle(Action::View(4)).expect("goals");
    settle(&mut fresh);
    for part in Part::ALL {
        assert_eq!(fresh.part_state(part), &PartState::Ready, "{part:?}");
    }
    assert_eq!(fresh.caseload.data, reference.caseload.data);
    assert_eq!(fresh.goals.data, reference.goals.data);

    // Filter keys faster than the loads: only the last filter's figures end up on screen.
    crate::support::next_unit(&mut app);
    settle(&mut app);
    crate::support::next_unit(&mut app);
    app.handle(Action::ClearFilter).expect("clear");
    crate::support::next_unit(&mut app);
    assert!(app.loading());
    settle(&mut app);
    let bfn = Filter {
        unit_id: Some("BFN".into()),
        team: None,
    };
    assert_eq!(app.filter, bfn);
    assert_eq!(app.caseload.data, start(bfn.clone(), false).caseload.data);
    app.handle(Action::View(0)).expect("deadlines");
    assert!(!app.view_loading(), "prefetched for the new filter");
    assert_eq!(
        app.deadlines.data.items().collect::<Vec<_>>(),
        start(bfn, false).deadlines.data.items().collect::<Vec<_>>()
    );

    // Back to the filter before (`x` after `u`, and `u` again): shown at once, from what
    // was kept, with the same figures a fresh load gives.
    app.handle(Action::ClearFilter).expect("clear");
    settle(&mut app);
    crate::support::next_unit(&mut app);
    settle(&mut app);
    app.handle(Action::ClearFilter).expect("back to all");
    assert!(!app.view_loading(), "the previous filter's list is kept");
    assert_eq!(
        app.deadlines.data.items().collect::<Vec<_>>(),
        reference.deadlines.data.items().collect::<Vec<_>>()
    );
    crate::support::next_unit(&mut app);
    assert!(!app.view_loading());
    let bfn = Filter {
        unit_id: Some("BFN".into()),
        team: None,
    };
    assert_eq!(
        app.deadlines.data.items().collect::<Vec<_>>(),
        start(bfn.clone(), false)
            .deadlines
            .data
            .items()
            .collect::<Vec<_>>()
    );
    settle(&mut app);
    app.handle(Action::View(2)).expect("caseload");
    assert_eq!(app.caseload.data, start(bfn, false).caseload.data);
    app.handle(Action::ClearFilter).expect("all");
    assert!(!app.view_loading());
    assert_eq!(app.caseload.data, reference.caseload.data);

    // q quits while a load is under way.
    crate::support::next_unit(&mut app);
    crate::support::next_unit(&mut app);
    assert!(app.loading());
    app.handle(Action::Quit).expect("quit");
    assert!(app.quit);
}

/// Views prefetched behind the one on screen change nothing on it: the event loop is not
/// asked to redraw for them (an idle dashboard on a slow link writes nothing).
#[test]
fn prefetched_views_arrive_without_asking_for_a_redraw() {
    let (_dir, path, today) = demo_file();
    let theme = PLAIN;
    let snapshot = Snapshot::open(&path).expect("open");
    let mut app = App::start(
        snapshot,
        Config::default(),
        Filter::default(),
        today,
        SystemTime::UNIX_EPOCH,
        theme,
    )
    .expect("start");
    let start = std::time::Instant::now();
    let mut shown = false;
    // The view first, then the units (on screen with a filter); then the other views.
    while app.view_loading() || app.units.is_empty() {
        shown |= app.receive();
        assert!(start.elapsed() < std::time::Duration::from_secs(60));
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
    assert!(shown, "the view's own data asks for a redraw");
    let screen = draw(&app);
    assert!(app.loading(), "the other views are still being prefetched");
    while app.loading() {
        assert!(!app.receive(), "a prefetched view asked for a redraw");
        assert!(start.elapsed() < std::time::Duration::from_secs(60));
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
    assert_eq!(draw(&app), screen);
    // Switching to a prefetched view is a redraw of data already there.
    assert!(app.handle(Action::View(2)).expect("caseload"));
    assert!(!app.loading() && !app.view_loading());
    assert!(draw(&app).contains("Insats"));
}

/// Started for one unit, the dashboard loads all units' views in the background once the
/// unit's are in: clearing the filter (`x`) then shows the whole city at once, with the
/// figures a load for all units gives; a unit chosen after that is a plain load again.
#[test]
fn all_units_are_ready_before_the_filter_is_cleared() {
    let (_dir, path, today) = demo_file();
    let snapshot = Snapshot::open(&path).expect("open");
    let unit = bevaka::snapshot::queries::units(snapshot.conn()).expect("units")[0]
        .unit_id
        .clone();
    let filter = Filter {
        unit_id: Some(unit),
        team: None,
    };
    let mut app = App::start(
        snapshot,
        Config::default(),
        filter,
        today,
        SystemTime::UNIX_EPOCH,
        PLAIN,
    )
    .expect("start");
    settle(&mut app);
    let unit_items = app.deadlines.data.len();
    app.handle(Action::ClearFilter).expect("clear");
    assert!(!app.view_loading(), "all units shown at once");
    for view in [2, 3, 4, 0] {
        app.handle(Action::View(view)).expect("view");
        assert!(!app.view_loading(), "view {view} shown at once");
    }
    let reference = App::new(
        Snapshot::open(&path).expect("open"),
        Config::default(),
        Filter::default(),
        today,
        SystemTime::UNIX_EPOCH,
        PLAIN,
    )
    .expect("new");
    assert!(app.deadlines.data.len() > unit_items);
    assert_eq!(
        app.deadlines.data.items().collect::<Vec<_>>(),
        reference.deadlines.data.items().collect::<Vec<_>>()
    );
    assert_eq!(app.caseload.data, reference.caseload.data);
    assert_eq!(
        app.processing.data.quarters,
        reference.processing.data.quarters
    );
    assert_eq!(app.goals.data, reference.goals.data);
    // Back to the unit: kept as the filter before, shown at once too.
    crate::support::next_unit(&mut app);
    assert!(!app.view_loading(), "the unit's data was kept");
    settle(&mut app);
}

/// The demo with handläggare `gone` known by another id: a snapshot that no longer knows it.
fn without_worker(today: chrono::NaiveDate, gone: &str) -> bevaka::model::Dataset {
    let mut data = bevaka::demo::build(today);
    let renamed = || Some(format!("{gone}-NY"));
    for w in &mut data.case_workers {
        if w.worker_id == gone {
            w.worker_id = format!("{gone}-NY");
        }
    }
    for c in &mut data.cases {
        if c.worker_id.as_deref() == Some(gone) {
            c.worker_id = renamed();
        }
    }
    for a in &mut data.applications {
        if a.worker_id.as_deref() == Some(gone) {
            a.worker_id = renamed();
        }
    }
    for f in &mut data.followups {
        if f.worker_id.as_deref() == Some(gone) {
            f.worker_id = renamed();
        }
    }
    data
}

/// A new snapshot (published or reloaded) that no longer knows the configured handläggare:
/// the status line says so, and the bevakningslista shows everyone's items rather than
/// none, whether the list comes with the switch or is loaded after it.
#[test]
fn a_snapshot_without_the_users_handlaggare_says_so() {
    for (reason, view) in [("watch", View::Deadlines), ("reload", View::Caseload)] {
        let (dir, path, today) = demo_file();
        let me = bevaka::demo::build(today).case_workers[0].worker_id.clone();
        let config = Config {
            worker: Some(me.clone()),
            ..Config::default()
        };
        let snapshot = Snapshot::open(&path).expect("open");
        let mut app = App::new(
            snapshot,
            config,
            Filter::default(),
            today,
            SystemTime::now(),
            PLAIN,
        )
        .expect("app");
        assert_eq!(
            app.deadlines.worker.as_deref(),
            Some(me.as_str()),
            "own list"
        );
        let own = app.deadlines.visible.len();
        assert!(own > 0);
        app.handle(Action::View(if view == View::Deadlines { 0 } else { 2 }))
            .expect("view");

        // The publisher writes the new file aside and renames it over the path.
        let tmp = dir.path().join("new.tmp");
        bevaka::snapshot::write_snapshot(&tmp, &without_worker(today, &me)).expect("write");
        std::fs::rename(&tmp, &path).expect("rename");
        if reason == "watch" {
            assert!(app.watch(), "the rename is noticed");
        } else {
            app.reload();
        }
        // Shown on the caseload, the bevakningslista is loaded after the switch.
        app.handle(Action::View(0)).expect("bevakningar");
        let msg = app.message.clone().expect("a message");
        assert!(msg.warning, "{reason}: {msg:?}");
        assert_eq!(
            msg.text,
            format!("Handläggare {me} saknas nu; visar allas bevakningar"),
            "{reason}"
        );
        assert_eq!(app.deadlines.worker, None, "{reason}: everyone's items");
        assert!(app.deadlines.visible.len() > own, "{reason}");
        let screen = draw(&app);
        assert!(
            screen.contains(&msg.text),
            "{reason}: read whole at 80\n{screen}"
        );

        // A later switch to a file that knows everyone says nothing of it.
        bevaka::snapshot::write_snapshot(&tmp, &bevaka::demo::build(today)).expect("write");
        std::fs::rename(&tmp, &path).expect("rename");
        app.reload();
        let msg = app.message.clone().expect("a message");
        assert!(!msg.warning, "{reason}: {msg:?}");
    }
}

/// A case list and a card open while a new snapshot arrives: the one on screen shows the
/// new file's rows at once, keeping its search, and the one beneath it is read again when
/// Esc shows it; nothing drawn is from the old file.
#[test]
fn drill_downs_open_during_a_reload_show_the_new_rows() {
    use bevaka::tui::drill::Layer;
    let (dir, path, today) = demo_file();
    let mut app = App::new(
        Snapshot::open(&path).expect("open"),
        Config::default(),
        Filter::default(),
        today,
        SystemTime::now(),
        PLAIN,
    )
    .expect("app");
    app.handle(Action::View(2)).expect("caseload");
    app.handle(Action::Open).expect("cases");
    let Some(Layer::Cases(before)) = app.drill() else {
        panic!("a case list")
    };
    let first = before.list.cases[0].case_id.clone();
    let count = before.list.cases.len();
    app.handle(Action::Open).expect("card");
    let Some(Layer::Card(card)) = app.drill() else {
        panic!("a card")
    };
    assert_eq!(card.card.rows.case.case_id, first);

    // The new file: that case is gone, so neither the card nor the list may still show it.
    let mut data = bevaka::demo::build(today);
    data.cases.retain(|c| c.case_id != first);
    data.applications.retain(|a| a.case_id != first);
    let gone: std::collections::HashSet<String> = data
        .interventions
        .iter()
        .filter(|i| i.case_id == first)
        .map(|i| i.intervention_id.clone())
        .collect();
    data.interventions.retain(|i| i.case_id != first);
    data.interruptions
        .retain(|i| !gone.contains(&i.intervention_id));
    data.followups.retain(|f| f.case_id != first);
    let tmp = dir.path().join("new.tmp");
    bevaka::snapshot::write_snapshot(&tmp, &data).expect("write");
    std::fs::rename(&tmp, &path).expect("rename");
    app.reload();
    // The card asked for again: the case is not in the new file, so the card closes,
    // saying why, onto the list read again.
    let msg = app.message.clone().expect("a message");
    assert!(msg.warning && msg.text.contains(&first), "{msg:?}");
    assert_eq!(app.depth(), 1);
    let Some(Layer::Cases(after)) = app.drill() else {
        panic!("the case list again")
    };
    assert_eq!(after.list.cases.len(), count - 1, "read from the new file");
    assert!(after.list.cases.iter().all(|c| c.case_id != first));
}
