//! What a panic does, on any thread (issue 14): the terminal is given back (raw mode off,
//! alternate screen left, cursor shown) before anything is printed, the message is one
//! plain line (`bevaka: internt fel: …`, no colour codes), and the process ends non-zero.
//!
//! While the dashboard runs, a panic on another thread (the loader, a sort thread) is not
//! printed over the screen: its message is kept for the event loop, which sees it within
//! its idle wait (or sees the loader's channel close), ends, restores the terminal the
//! usual way and returns the error, which `main` prints and exits 1 with. A panic on the
//! main thread restores the terminal in the hook itself, prints, and unwinds (exit 101).

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

/// Whether the dashboard has the terminal in raw mode on the alternate screen.
static TERMINAL: AtomicBool = AtomicBool::new(false);

/// The message of a panic on another thread while the dashboard runs, until taken.
static DEFERRED: Mutex<Option<String>> = Mutex::new(None);

/// Installs the hook (`main`, before anything else runs).
pub fn install() {
    std::panic::set_hook(Box::new(|info| {
        let text = message(info);
        let thread = std::thread::current();
        let main = thread.name() == Some("main");
        // The loader's owner always notices it is gone (its channel closes), even before
        // the dashboard has the terminal: it reports the panic, once.
        let loader = thread.name() == Some(super::loader::THREAD);
        if (TERMINAL.load(Ordering::SeqCst) && !main) || loader {
            if let Ok(mut slot) = DEFERRED.lock() {
                slot.get_or_insert(text);
            }
            return;
        }
        if TERMINAL.swap(false, Ordering::SeqCst) {
            restore();
        }
        eprintln!("bevaka: internt fel: {text}");
        // As std's own hook: the trace only when RUST_BACKTRACE asks for it, and plain.
        let trace = std::backtrace::Backtrace::capture();
        if trace.status() == std::backtrace::BacktraceStatus::Captured {
            eprintln!("{trace}");
        }
    }));
}

/// The panic's message and where it happened, on one line.
fn message(info: &std::panic::PanicHookInfo<'_>) -> String {
    let payload = info.payload();
    let what = payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "okänd panik".to_owned());
    let what = what.replace(['\n', '\r'], " ");
    let thread = std::thread::current();
    let thread = thread.name().unwrap_or("okänd tråd");
    match info.location() {
        Some(at) => format!("{what} (tråd {thread}, {}:{})", at.file(), at.line()),
        None => format!("{what} (tråd {thread})"),
    }
}

/// Gives the terminal back: raw mode off, the alternate screen left, the cursor shown.
/// Errors are ignored: there is nothing better to do with them on the way out.
pub fn restore() {
    use std::io::Write as _;
    let _ = crossterm::terminal::disable_raw_mode();
    let mut out = std::io::stdout();
    let _ = crossterm::execute!(
        out,
        crossterm::terminal::LeaveAlternateScreen,
        crossterm::cursor::Show
    );
    let _ = out.flush();
}

/// Marks the terminal as the dashboard's (raw, alternate screen) or given back.
pub fn terminal_taken(taken: bool) {
    TERMINAL.store(taken, Ordering::SeqCst);
}

/// The message of a panic on another thread while the dashboard ran, once.
#[must_use]
pub fn take_deferred() -> Option<String> {
    DEFERRED.lock().ok().and_then(|mut slot| slot.take())
}
