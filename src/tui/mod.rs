//! The terminal dashboard: terminal setup and restore, and the event loop. Only this module
//! knows there is a terminal.

pub mod app;
pub mod deadline_list;
pub mod export;
pub mod keymap;
pub mod theme;
pub mod views;

use std::io::IsTerminal;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant, SystemTime};

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
    // SIGTERM, SIGHUP (the SSH link or the terminal went away) and SIGINT end the loop
    // normally, so the terminal is restored on the way out.
    let stop = Arc::new(AtomicBool::new(false));
    for signal in [
        signal_hook::consts::SIGTERM,
        signal_hook::consts::SIGHUP,
        signal_hook::consts::SIGINT,
    ] {
        signal_hook::flag::register(signal, Arc::clone(&stop))?;
    }
    let mut terminal = ratatui::init();
    let result = event_loop(&mut terminal, app, clock, &stop);
    ratatui::restore();
    result
}

fn minute(t: SystemTime) -> u64 {
    t.duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() / 60)
}

/// How often the snapshot path is checked for a newly published file (one `stat`).
const WATCH_EVERY: Duration = Duration::from_secs(2);

/// More events than this within one second, none of them a key, means the terminal is gone
/// and the reader is spinning on a closed tty.
const SPIN_LIMIT: u32 = 2000;

fn event_loop(
    terminal: &mut DefaultTerminal,
    app: &mut App,
    clock: &dyn Fn() -> SystemTime,
    stop: &AtomicBool,
) -> Result<()> {
    let mut dirty = true;
    let mut window = Instant::now();
    let mut burst = 0_u32;
    let mut last_watch = Instant::now();
    loop {
        if dirty {
            terminal.draw(|frame| frame.render_widget(&*app, frame.area()))?;
            dirty = false;
        }
        if app.quit || stop.load(Ordering::Relaxed) {
            return Ok(());
        }
        // Nothing ticks: the screen is redrawn on input, on resize, and when the snapshot's
        // age (shown in minutes) changes. The short timeout only checks for signals.
        if event::poll(Duration::from_millis(250))? {
            if window.elapsed() > Duration::from_secs(1) {
                window = Instant::now();
                burst = 0;
            }
            burst += 1;
            if burst > SPIN_LIMIT {
                return Err(color_eyre::eyre::eyre!(
                    "terminalen svarar inte längre (stängd förbindelse?)"
                ));
            }
            match event::read()? {
                Event::Key(key) if key.kind == KeyEventKind::Press => {
                    burst = 0;
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
            if last_watch.elapsed() >= WATCH_EVERY {
                last_watch = Instant::now();
                dirty |= app.watch();
            }
        }
    }
}
