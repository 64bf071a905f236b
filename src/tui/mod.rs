//! The terminal dashboard: terminal setup and restore, and the event loop. Only this module
//! knows there is a terminal.

pub mod app;
pub mod caseload_state;
pub mod deadline_list;
pub mod drill;
pub mod export;
pub mod goals_state;
pub mod ivo_state;
pub mod keymap;
pub mod loader;
pub mod panic;
pub mod picker;
pub mod processing_state;
pub mod table;
pub mod theme;
pub mod views;

use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant, SystemTime};

use color_eyre::Result;
use crossterm::event::{self, Event, KeyEventKind};
use ratatui::DefaultTerminal;

use app::{App, View};

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
    exit_on_hangup(Arc::clone(&stop));
    // Our own record of SIGWINCH: a window resized and put back to its size has lost its
    // content while ratatui still thinks it is on screen, so every burst of resizes ends
    // in one full repaint. (crossterm's `use-dev-tty` event source is used because its
    // default, edge-triggered source can lose a key or a resize that arrive together.)
    let resized = Arc::new(AtomicBool::new(false));
    signal_hook::flag::register(signal_hook::consts::SIGWINCH, Arc::clone(&resized))?;
    // Not `ratatui::init`: its panic hook gives the terminal back on a panic on any
    // thread, under a dashboard that goes on drawing. [`panic`]'s hook knows which.
    let mut terminal = take_terminal()?;
    // crossterm starts listening for SIGWINCH on the first poll; a resize before that
    // would be lost (the first frame stays at the old size), so listen before drawing.
    let result = event::poll(Duration::ZERO)
        .map_err(color_eyre::Report::from)
        .and_then(|_| event_loop(&mut terminal, app, clock, &stop, &resized));
    panic::terminal_taken(false);
    panic::restore();
    result
}

/// Raw mode, the alternate screen, and a terminal on stdout.
fn take_terminal() -> Result<DefaultTerminal> {
    crossterm::terminal::enable_raw_mode()?;
    panic::terminal_taken(true);
    let entered = crossterm::execute!(std::io::stdout(), crossterm::terminal::EnterAlternateScreen)
        .map_err(color_eyre::Report::from)
        .and_then(|()| {
            ratatui::Terminal::new(ratatui::backend::CrosstermBackend::new(std::io::stdout()))
                .map_err(color_eyre::Report::from)
        });
    if entered.is_err() {
        panic::terminal_taken(false);
        panic::restore();
    }
    entered
}

/// The error that ends the dashboard when a thread of it panicked (the loader, whose
/// channel closed, or another: its message was kept by [`panic`]'s hook).
fn internal_error(app: &App) -> Option<color_eyre::Report> {
    let deferred = panic::take_deferred();
    if deferred.is_none() && !app.loader_lost() {
        return None;
    }
    let what = deferred.unwrap_or_else(|| "inläsningstråden avslutades oväntat".to_owned());
    Some(color_eyre::eyre::eyre!("internt fel: {what}"))
}

/// How long the event loop gets to end by itself after the terminal hangs up.
const HANGUP_GRACE: Duration = Duration::from_secs(1);

/// Ends the process when the terminal hangs up (the SSH link dropped, the window closed).
/// crossterm's reader loops forever on a hung-up tty (`read` returns 0 and it reads again,
/// inside `event::poll`), so neither the signal flag nor the spin guard is looked at again.
/// This thread sleeps in `poll(2)` on stdin, which with no events asked for returns only on
/// a hang-up or an error; then it asks the loop to stop and, if the loop is stuck, ends the
/// process: there is no terminal left to restore.
fn exit_on_hangup(stop: Arc<AtomicBool>) {
    std::thread::spawn(move || {
        let stdin = std::io::stdin();
        loop {
            let mut fds = [rustix::event::PollFd::new(
                &stdin,
                rustix::event::PollFlags::empty(),
            )];
            match rustix::event::poll(&mut fds, None) {
                Err(rustix::io::Errno::INTR) => {}
                Err(_) => return, // cannot watch: keep the spin guard only
                Ok(_) => break,
            }
        }
        stop.store(true, Ordering::Relaxed);
        std::thread::sleep(HANGUP_GRACE);
        std::process::exit(1);
    });
}

fn minute(t: SystemTime) -> u64 {
    t.duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() / 60)
}

/// How long a load may take before the screen says "laddar…".
const LOAD_GRACE: Duration = Duration::from_millis(40);

/// How long the event loop sleeps at most when nothing happens: it then looks at the
/// signal flags, the clock (the snapshot's age is shown in minutes) and the snapshot path.
const IDLE: Duration = Duration::from_millis(250);

/// How often the snapshot path is checked for a newly published file (one `stat`).
const WATCH_EVERY: Duration = Duration::from_secs(2);

/// More events than this within one second, none of them a key, means the terminal is gone
/// and the reader is spinning on a closed tty.
const SPIN_LIMIT: u32 = 2000;

/// What wakes the event loop.
enum Wake {
    /// The terminal's next event (or why there are none).
    Input(std::io::Result<Event>),
    /// The loader has an answer.
    Loaded,
}

/// Reads the terminal's events on their own thread, so that the event loop can sleep until
/// either a key or a load's answer arrives. (Waiting in `event::poll` with a timeout
/// instead would look for answers late, and crossterm's poll spins through the last
/// fraction of a millisecond of each timeout: a fifth of a core, taken from the loads, when
/// it is a few milliseconds.)
fn read_input(wake: mpsc::Sender<Wake>) -> std::io::Result<()> {
    std::thread::Builder::new()
        .name("bevaka-input".into())
        .spawn(move || {
            loop {
                let event = event::read();
                let failed = event.is_err();
                if wake.send(Wake::Input(event)).is_err() || failed {
                    return;
                }
            }
        })
        .map(drop)
}

fn event_loop(
    terminal: &mut DefaultTerminal,
    app: &mut App,
    clock: &dyn Fn() -> SystemTime,
    stop: &AtomicBool,
    resized: &AtomicBool,
) -> Result<()> {
    let (wake, woken) = mpsc::channel();
    let loaded = wake.clone();
    app.wake_with(move || {
        let _ = loaded.send(Wake::Loaded);
    });
    read_input(wake)?;
    // Answers that came before the loader could wake us.
    let mut dirty = true;
    dirty |= app.receive();
    let mut window = Instant::now();
    let mut burst = 0_u32;
    let mut last_watch = Instant::now();
    // Since when the loader has been busy: a load that finishes within LOAD_GRACE is drawn
    // finished, with no "laddar…" frame before it (less flicker, fewer bytes on the wire).
    let mut busy_since: Option<Instant> = None;
    // The page last drawn (view, and drill-down over it): another page is painted whole
    // onto a cleared screen. Sent as a difference, the new page is drawn over the old one's
    // pixels, and a terminal drawing with a TrueType font (xterm with `-fa`) leaves pixels
    // of glyphs that overflow their cell (block elements, box lines) in cells that are
    // blank on both pages, which nothing then repaints (issue 17: fragments of the review's
    // bars beside the goals' summary, the lower pane's left border broken).
    let mut page: Option<(View, View)> = None;
    loop {
        if app.view_loading() {
            busy_since.get_or_insert_with(Instant::now);
        } else {
            busy_since = None;
        }
        let held = busy_since.map(|t| LOAD_GRACE.saturating_sub(t.elapsed()));
        let hold = held.is_some_and(|left| !left.is_zero());
        if dirty && !hold {
            let now = (app.view, app.key_context());
            if page.is_some_and(|p| p != now) {
                // As on a resize: the screen cleared (no round trip to the terminal) and
                // the next frame drawn whole.
                let size = terminal.size()?;
                terminal.resize(ratatui::layout::Rect::new(0, 0, size.width, size.height))?;
            }
            page = Some(now);
            terminal.draw(|frame| frame.render_widget(&*app, frame.area()))?;
            dirty = false;
            app.after_draw();
        }
        if let Some(text) = app.clipboard.take() {
            // OSC 52: the terminal (the user's, over SSH too) puts it on its clipboard.
            use base64::Engine as _;
            use std::io::Write as _;
            let encoded = base64::engine::general_purpose::STANDARD.encode(text);
            let out = terminal.backend_mut();
            write!(out, "\x1b]52;c;{encoded}\x07")?;
            out.flush()?;
        }
        if let Some(e) = internal_error(app) {
            return Err(e);
        }
        if app.quit || stop.load(Ordering::Relaxed) {
            return Ok(());
        }
        // Nothing ticks: the screen is redrawn on input, on resize, when a load finishes
        // (or its grace runs out), and when the snapshot's age (in minutes) changes.
        let wait = match held {
            Some(left) if dirty && hold => left.min(IDLE),
            _ => IDLE,
        };
        match woken.recv_timeout(wait) {
            Ok(Wake::Input(event)) => {
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
                match event? {
                    Event::Key(key) if key.kind == KeyEventKind::Press => {
                        burst = 0;
                        dirty |= app.handle_key(key)?;
                    }
                    // The repaint itself follows from the SIGWINCH flag below.
                    Event::Resize(..) => dirty = true,
                    _ => {}
                }
            }
            Ok(Wake::Loaded) => {}
            Err(mpsc::RecvTimeoutError::Timeout) => {
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
            // The app keeps a sender: never while it lives.
            Err(mpsc::RecvTimeoutError::Disconnected) => return Ok(()),
        }
        dirty |= app.receive();
        if !dirty {
            // An answer that changed nothing on screen (the whole list behind its next 30
            // days) may still leave work for after a draw.
            app.after_draw();
        }
        if resized.swap(false, Ordering::Relaxed) {
            // Repaint everything, once per burst of resizes: a terminal shrunk and grown
            // back to the same size has lost what was on it, though ratatui's idea of it
            // is unchanged. (`Terminal::clear` would ask the terminal for the cursor.)
            let size = terminal.size()?;
            terminal.resize(ratatui::layout::Rect::new(0, 0, size.width, size.height))?;
            dirty = true;
        }
    }
}
