//! The unit and team picker (`u`, `t`, issue 13): typing narrows the list, Enter chooses,
//! Esc leaves the filter as it was, and no typed key reaches the keymap meanwhile.

use std::time::{Duration, SystemTime};

use bevaka::config::Config;
use bevaka::domain::dates::parse_iso;
use bevaka::snapshot::Snapshot;
use bevaka::snapshot::queries::Filter;
use bevaka::tui::app::App;
use bevaka::tui::keymap::Action;
use bevaka::tui::theme::Theme;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use crate::caseload::memory_snapshot;

const PLAIN: Theme = Theme {
    color: false,
    ascii: false,
};

fn app_on(snapshot: Snapshot) -> App {
    let today = parse_iso("2014-12-31").expect("date");
    let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_420_000_000);
    App::new(
        snapshot,
        Config::default(),
        Filter::default(),
        today,
        now,
        PLAIN,
    )
    .expect("app")
}

/// A reduced city: two districts, three units each.
fn city_app() -> App {
    let data = bevaka::demo::city::build(parse_iso("2014-12-31").expect("date"), 2);
    app_on(memory_snapshot(&data))
}

fn key(app: &mut App, code: KeyCode) -> bool {
    app.handle_key(KeyEvent::new(code, KeyModifiers::NONE))
        .expect("key")
}

fn typed(app: &mut App, text: &str) {
    for c in text.chars() {
        key(app, KeyCode::Char(c));
    }
}

fn screen(app: &App, width: u16, height: u16) -> String {
    let mut t = Terminal::new(TestBackend::new(width, height)).expect("terminal");
    t.draw(|f| f.render_widget(app, f.area())).expect("draw");
    t.backend().to_string()
}

#[test]
fn unit_picker_narrowed_80x24() {
    let mut app = city_app();
    assert!(key(&mut app, KeyCode::Char('u')));
    let all = screen(&app, 80, 24);
    assert!(
        all.contains("Välj enhet") && all.contains("Alla enheter"),
        "{all}"
    );
    for unit in &app.units {
        assert!(
            all.contains(&unit.unit_id),
            "{} listed\n{all}",
            unit.unit_id
        );
    }
    // A district's name, typed in lower case: its three units.
    typed(&mut app, "spånga");
    let s = screen(&app, 80, 24);
    insta::assert_snapshot!(s);
    let picker = app.picker.as_ref().expect("open");
    assert_eq!(picker.visible().len(), 3, "{s}");
    for item in picker.visible() {
        assert!(item.name.contains("Spånga"), "{item:?}");
        assert!(s.contains(item.id.as_deref().expect("id")), "{s}");
    }
    // In ASCII (LANG=C) too, every word of it.
    app.theme.ascii = true;
    let ascii = screen(&app, 80, 24);
    assert!(
        ascii.is_ascii() && ascii.contains("Sok: spanga_"),
        "{ascii}"
    );
    app.theme.ascii = false;
    // Down to the first unit the typing left, Enter: that unit, all its teams.
    key(&mut app, KeyCode::Down);
    let chosen = app
        .picker
        .as_ref()
        .and_then(|p| p.selected())
        .and_then(|i| i.value.clone());
    assert!(key(&mut app, KeyCode::Enter));
    assert!(app.picker.is_none());
    assert_eq!(app.filter.unit_id, chosen);
    assert!(app.filter.unit_id.is_some());
    assert_eq!(app.filter.team, None);

    // The team picker lists the unit's teams; Esc leaves the filter as it was.
    let filter = app.filter.clone();
    assert!(!app.teams.is_empty());
    app.handle(Action::PickTeam).expect("t");
    let s = screen(&app, 80, 24);
    assert!(s.contains("Alla arbetsgrupper"), "{s}");
    for team in &app.teams {
        assert!(s.contains(team.as_str()), "{team}\n{s}");
    }
    key(&mut app, KeyCode::Down);
    assert!(key(&mut app, KeyCode::Esc));
    assert!(app.picker.is_none());
    assert_eq!(app.filter, filter);
    // Again, with Enter: the team, in the same unit.
    app.handle(Action::PickTeam).expect("t");
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.filter.unit_id, filter.unit_id);
    assert_eq!(app.filter.team.as_ref(), app.teams.first());

    // Opened again, the current choice is selected: Enter keeps it.
    app.handle(Action::PickUnit).expect("u");
    let selected = app.picker.as_ref().and_then(|p| p.selected()).cloned();
    assert_eq!(selected.and_then(|i| i.value), filter.unit_id);
    key(&mut app, KeyCode::Home);
    key(&mut app, KeyCode::Enter);
    assert_eq!(
        app.filter,
        Filter::default(),
        "Alla enheter clears unit and team"
    );
}

#[test]
fn keys_typed_into_the_picker_never_reach_the_keymap() {
    // A file, so that r would really reload it; an export directory to see e write to.
    let (_dir, snapshot) = crate::caseload::file_snapshot(&bevaka::demo::build(
        parse_iso("2014-12-31").expect("date"),
    ));
    let mut app = app_on(snapshot);
    let out = tempfile::tempdir().expect("tempdir");
    app.export_dir = out.path().to_path_buf();
    app.handle(Action::PickUnit).expect("u");
    for c in ['r', 'e', 'q', '?', 'x', 't', '2'] {
        assert!(key(&mut app, KeyCode::Char(c)), "{c} is text");
    }
    key(&mut app, KeyCode::F(5));
    let picker = app.picker.as_ref().expect("still open");
    assert_eq!(picker.query, "req?xt2");
    assert!(
        app.message.is_none(),
        "no reload, no export: {:?}",
        app.message
    );
    assert!(!app.loading());
    assert_eq!(
        std::fs::read_dir(out.path()).expect("dir").count(),
        0,
        "nothing exported"
    );
    assert!(!app.quit && !app.help);
    assert_eq!(app.view, bevaka::tui::app::View::Deadlines);
    // Backspace edits, Esc closes; then the keys are the keymap's again.
    for _ in 0..7 {
        key(&mut app, KeyCode::Backspace);
    }
    assert_eq!(app.picker.as_ref().map(|p| p.query.as_str()), Some(""));
    assert!(key(&mut app, KeyCode::Esc));
    assert!(app.picker.is_none());
    key(&mut app, KeyCode::Char('2'));
    assert_eq!(app.view, bevaka::tui::app::View::Summary);
    // Ctrl-C quits from within.
    app.handle(Action::PickTeam).expect("t");
    app.handle_key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL))
        .expect("ctrl-c");
    assert!(app.quit);
}
