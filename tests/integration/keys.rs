//! One way to move (issue 13): in every view and drill-down, text typed into a search
//! never reaches the keymap, every key the footer shows does something, and Esc after any
//! chain of Enters comes back to the first screen exactly.

use std::time::{Duration, SystemTime};

use bevaka::config::Config;
use bevaka::domain::dates::parse_iso;
use bevaka::snapshot::queries::Filter;
use bevaka::tui::app::{App, View};
use bevaka::tui::keymap::{self, Action, KEYMAP};
use bevaka::tui::theme::Theme;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use crate::caseload::memory_snapshot;

const PLAIN: Theme = Theme {
    color: false,
    ascii: false,
};

/// Where a test starts: a view, or a drill-down reached from one.
#[derive(Debug, Clone, Copy)]
enum Place {
    View(usize),
    Ivo,
    /// The cases behind the first caseload count.
    Cases,
    /// The decisions behind the review's current period.
    Decisions,
    /// The card of the first of those cases.
    Card,
}

const PLACES: [Place; 10] = [
    Place::View(0),
    Place::View(1),
    Place::View(2),
    Place::View(3),
    Place::View(4),
    Place::Ivo,
    Place::Cases,
    Place::Decisions,
    Place::Card,
    Place::View(0),
];

/// The demo app at `place`, exporting into `dir`.
fn app_at(place: Place, dir: &std::path::Path) -> App {
    static DATA: std::sync::OnceLock<bevaka::model::Dataset> = std::sync::OnceLock::new();
    let today = parse_iso("2014-12-31").expect("date");
    let data = DATA.get_or_init(|| bevaka::demo::build(today));
    let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_420_000_000);
    let mut app = App::new(
        memory_snapshot(data),
        Config::default(),
        Filter::default(),
        today,
        now,
        PLAIN,
    )
    .expect("app");
    app.export_dir = dir.to_path_buf();
    app.export_fallback = None;
    let press = |app: &mut App, a: &[Action]| {
        for x in a {
            app.handle(*x).expect("key");
        }
    };
    match place {
        Place::View(v) => press(&mut app, &[Action::View(v)]),
        Place::Ivo => press(&mut app, &[Action::View(3), Action::Ivo]),
        Place::Cases => press(&mut app, &[Action::View(2), Action::Open]),
        Place::Decisions => press(&mut app, &[Action::View(3), Action::Open]),
        Place::Card => press(&mut app, &[Action::View(2), Action::Open, Action::Open]),
    }
    app.message = None;
    app
}

/// The screen with its styles (the selection is reverse video, not text).
fn screen(app: &App) -> ratatui::buffer::Buffer {
    let mut t = Terminal::new(TestBackend::new(120, 40)).expect("terminal");
    t.draw(|f| f.render_widget(app, f.area())).expect("draw");
    t.backend().buffer().clone()
}

fn text(app: &App) -> String {
    let mut t = Terminal::new(TestBackend::new(120, 40)).expect("terminal");
    t.draw(|f| f.render_widget(app, f.area())).expect("draw");
    t.backend().to_string()
}

fn key(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
}

fn files(dir: &std::path::Path) -> usize {
    std::fs::read_dir(dir).expect("dir").count()
}

#[test]
fn text_typed_into_a_search_never_reaches_the_keymap() {
    let dir = tempfile::tempdir().expect("dir");
    for place in PLACES {
        let mut app = app_at(place, dir.path());
        let context = app.key_context();
        if !keymap::works_in(Action::Search, context) {
            // No search here, so `/` is neither shown nor acted on.
            assert!(
                keymap::bindings_in(context).all(|b| b.action != Action::Search),
                "{place:?}"
            );
            continue;
        }
        let before = screen(&app);
        app.handle_key(key('/')).expect("/");
        // e exports, r reloads, q quits, u and t open pickers, x clears, 2 switches view,
        // s sorts, ? opens the help: here they are all text.
        for c in "Ther erqxuts2?".chars() {
            app.handle_key(key(c)).expect("text");
        }
        let typed = text(&app);
        assert!(
            typed.contains("Ther erqxuts2?"),
            "{place:?}: the search shows\n{typed}"
        );
        app.handle_key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE))
            .expect("esc");
        assert!(!app.quit, "{place:?}");
        assert!(!app.help, "{place:?}");
        assert_eq!(app.message, None, "{place:?}: no export, no reload");
        assert_eq!(files(dir.path()), 0, "{place:?}: nothing written");
        assert_eq!(app.key_context(), context, "{place:?}");
        assert_eq!(screen(&app), before, "{place:?}: Esc leaves it as it was");
    }
}

/// Whether pressing `action` in a fresh app at `place` did something a user can see:
/// the screen, a message, a file, or the end.
/// A movement key is pressed after its opposite, so that it is not at the edge it moves
/// towards (every place starts at one edge or the other).
fn does_something(place: Place, action: Action, dir: &std::path::Path) -> bool {
    let mut app = app_at(place, dir);
    let opposite = match action {
        Action::Up => Some(Action::Down),
        Action::Down => Some(Action::Up),
        Action::PageUp => Some(Action::PageDown),
        Action::PageDown => Some(Action::PageUp),
        Action::Top => Some(Action::Bottom),
        Action::Bottom => Some(Action::Top),
        Action::FocusLeft => Some(Action::FocusRight),
        Action::FocusRight => Some(Action::FocusLeft),
        _ => None,
    };
    if let Some(o) = opposite {
        // Drawn first: PgUp and PgDn move by the rows the last draw showed.
        screen(&app);
        app.handle(o).expect("opposite");
    }
    let before = screen(&app);
    let written = files(dir);
    app.handle(action).expect("key");
    app.quit || app.message.is_some() || files(dir) > written || screen(&app) != before
}

#[test]
fn every_key_the_footer_or_help_shows_does_something_there() {
    let dir = tempfile::tempdir().expect("dir");
    for place in PLACES {
        let context = app_at(place, dir.path()).key_context();
        for b in keymap::bindings_in(context) {
            // `]` has no later quarter than today's, where the report starts.
            if b.action == Action::NextQuarter {
                continue;
            }
            // `m` needs the user's own handläggare id, which this config has not; the
            // view's own number and Esc with nowhere to go back to are where one is.
            let here = matches!(place, Place::View(v) if b.action == Action::View(v));
            let top = matches!(place, Place::View(_)) && b.action == Action::Back;
            if b.action == Action::Mine || here || top {
                continue;
            }
            assert!(
                does_something(place, b.action, dir.path()),
                "{} ({}) does nothing in {place:?}",
                b.label,
                b.help
            );
        }
        // And a key that is not shown there is not acted on.
        let mut app = app_at(place, dir.path());
        for b in KEYMAP.iter().filter(|b| !b.works_in(context)) {
            let before = screen(&app);
            app.handle(b.action).expect("key");
            assert_eq!(screen(&app), before, "{} acted on in {place:?}", b.label);
            assert!(!app.quit && app.message.is_none(), "{}", b.label);
        }
    }
}

#[test]
fn esc_after_any_chain_of_enters_returns_to_the_first_screen() {
    let dir = tempfile::tempdir().expect("dir");
    let starts = [
        Place::View(0),
        Place::View(1),
        Place::View(2),
        Place::View(3),
        Place::View(4),
        Place::Ivo,
    ];
    for place in starts {
        for enters in 1..=4 {
            let mut app = app_at(place, dir.path());
            if matches!(place, Place::View(4)) {
                // Enter on a goal folds it; on an indicator it opens the detail.
                while app.goals.selected_indicator().is_none() {
                    assert!(app.handle(Action::Down).expect("down"), "no indicator");
                }
            }
            // Somewhere down the list, so that coming back to it shows.
            app.handle(Action::Down).expect("down");
            app.handle(Action::Down).expect("down");
            let first = screen(&app);
            let view = app.view;
            let mut steps = 0;
            for _ in 0..enters {
                let before = screen(&app);
                app.handle(Action::Open).expect("enter");
                if screen(&app) != before {
                    steps += 1;
                }
            }
            for _ in 0..steps {
                app.handle(Action::Back).expect("esc");
            }
            assert_eq!(app.view, view, "{place:?} after {enters} Enter");
            assert_eq!(
                screen(&app),
                first,
                "{place:?}: {enters} Enter then {steps} Esc"
            );
            assert_ne!(app.key_context(), View::Card);
        }
    }
}
