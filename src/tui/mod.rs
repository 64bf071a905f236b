//! The terminal dashboard: terminal setup and restore, and the event loop. Only this module
//! knows there is a terminal.

pub mod app;
pub mod deadline_list;
pub mod keymap;
pub mod theme;
pub mod views;

use std::io::IsTerminal;
use std::time::{Duration, SystemTime};

use color_eyre::Result;
use crossterm::event::{self, Event, KeyEventKind};
use ratatui::DefaultTerminal;

use app::App;

/// Why the dashboard cannot start in this environment, if it cannot.
#[must_use]
pub fn unusable_terminal(term: Option<&str>) -> Option<&'static str> {
    if !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal() {
        return Some(
            "bevaka: ingen terminal (stdin/stdout är inte en terminal); använd `bevaka report …` för utdata utan terminal",
        );
    }
    if matches!(term, Some("dumb")) {
        return Some(
            "bevaka: TERM=dumb kan inte visa instrumentpanelen; använd `bevaka report …` för textutdata",
        );
    }
    None
}

/// Runs the dashboard until the user quits. `clock` is the wall clock, injected by `main`.
///
/// # Errors
/// Terminal I/O errors and snapshot errors while recomputing a view.
pub fn run(app: &mut App, clock: &dyn Fn() -> SystemTime) -> Result<()> {
    let mut terminal = ratatui::init();
    let result = event_loop(&mut terminal, app, clock);
    ratatui::restore();
    result
}

fn minute(t: SystemTime) -> u64 {
    t.duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() / 60)
}

fn event_loop(
    terminal: &mut DefaultTerminal,
    app: &mut App,
    clock: &dyn Fn() -> SystemTime,
) -> Result<()> {
    let mut dirty = true;
    loop {
        if dirty {
            terminal.draw(|frame| frame.render_widget(&*app, frame.area()))?;
            dirty = false;
        }
        if app.quit {
            return Ok(());
        }
        // Nothing ticks: the screen is redrawn on input, on resize, and when the snapshot's
        // age (shown in minutes) changes.
        if event::poll(Duration::from_secs(15))? {
            match event::read()? {
                Event::Key(key) if key.kind == KeyEventKind::Press => {
                    dirty |= app.handle_key(key)?;
                }
                Event::Resize(..) => dirty = true,
                _ => {}
            }
        } else {
            let now = clock();
            if minute(now) != minute(app.now) {
                app.now = now;
                dirty = true;
            }
        }
    }
}
