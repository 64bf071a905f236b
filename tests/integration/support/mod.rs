//! Helpers shared by the integration tests.

pub mod csv_export;
pub mod random_csv;
pub mod random_indicators;

use std::process::{Command, Stdio};

use bevaka::tui::app::App;
use bevaka::tui::keymap::Action;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// `u`, ↓, Enter: the unit after the one shown (the first after all units), which `u` used
/// to step to before it opened the picker.
pub fn next_unit(app: &mut App) {
    pick_next(app, Action::PickUnit);
}

/// `t`, ↓, Enter: the team after the one shown.
pub fn next_team(app: &mut App) {
    pick_next(app, Action::PickTeam);
}

fn pick_next(app: &mut App, open: Action) {
    app.handle(open).expect("open the picker");
    assert!(app.picker.is_some(), "{open:?} opens the picker");
    for code in [KeyCode::Down, KeyCode::Enter] {
        app.handle_key(KeyEvent::new(code, KeyModifiers::NONE))
            .expect("picker key");
    }
    assert!(app.picker.is_none(), "Enter closes the picker");
}

/// The `bevaka` binary, independent of the developer's own config, the machine's
/// (`/etc/bevaka`, `XDG_CONFIG_DIRS`), the login and the terminal: no `BEVAKA_CONFIG`, an
/// empty config home, no `USER`/`LOGNAME`, a cache of its own, no colour, no input.
pub fn bevaka() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_bevaka"));
    c.env_remove("BEVAKA_CONFIG")
        .env_remove("USER")
        .env_remove("LOGNAME")
        .env("BEVAKA_TEST_ETC", "/nonexistent-bevaka-test/etc")
        .env("XDG_CONFIG_DIRS", "/nonexistent-bevaka-test/xdg")
        .env("XDG_CONFIG_HOME", "/nonexistent-bevaka-test")
        .env("NO_COLOR", "1")
        // The record of checked snapshots goes beside the tests' other temporary files.
        .env(
            "XDG_CACHE_HOME",
            std::env::temp_dir().join("bevaka-test-cache"),
        )
        .stdin(Stdio::null());
    c
}

/// The screen as text followed by its colours and attributes, one letter a cell (`.` plain,
/// `c` cyan, `y` yellow, `r` red, `g` dark grey, `o` any other colour; upper case: bold;
/// `#`: reverse video), so that a snapshot in colour differs from one without.
pub fn styled_screen(buffer: &ratatui::buffer::Buffer) -> String {
    use ratatui::style::{Color, Modifier};
    let mut out = String::new();
    for y in 0..buffer.area.height {
        for x in 0..buffer.area.width {
            out.push_str(buffer[(x, y)].symbol());
        }
        out.push('\n');
    }
    out.push_str("--- styles\n");
    for y in 0..buffer.area.height {
        for x in 0..buffer.area.width {
            let cell = &buffer[(x, y)];
            if cell.modifier.contains(Modifier::REVERSED) {
                out.push('#');
                continue;
            }
            let c = match cell.fg {
                Color::Reset => '.',
                Color::Cyan => 'c',
                Color::Yellow => 'y',
                Color::Red => 'r',
                Color::DarkGray => 'g',
                _ => 'o',
            };
            let bold = cell.modifier.contains(Modifier::BOLD);
            out.push(if bold { c.to_ascii_uppercase() } else { c });
        }
        out.push('\n');
    }
    out
}
