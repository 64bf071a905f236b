//! Progress on stderr for the commands that take seconds (`snapshot build`, `snapshot
//! split`, `demo --scale city`): one line that says what is being done and how far it has
//! come, redrawn in place, and cleared at the end (the command's own `Skrev …` lines on
//! stdout say what was written).
//!
//! Only on a terminal: when stderr is a file or a pipe (cron, a log, the tests) nothing is
//! written, so that stderr carries only warnings and errors.

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressFinish, ProgressStyle};

/// Rows between two updates of a count: often enough to see it move, seldom enough to
/// cost nothing.
pub const ROWS_PER_UPDATE: u64 = 4096;

/// The progress line of one command; does nothing when stderr is not a terminal.
#[derive(Clone)]
pub struct Progress {
    bar: ProgressBar,
}

impl Default for Progress {
    fn default() -> Self {
        Self::hidden()
    }
}

impl std::fmt::Debug for Progress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Progress")
            .field("shown", &!self.bar.is_hidden())
            .finish()
    }
}

impl Progress {
    /// A progress line on stderr when it is a terminal, else [`Progress::hidden`].
    #[must_use]
    pub fn on_stderr() -> Self {
        if !std::io::stderr().is_terminal() {
            return Self::hidden();
        }
        // Cleared when dropped too, so that an error is not printed after a stale line.
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr())
            .with_finish(ProgressFinish::AndClear);
        // ASCII: the jump host's terminal may not be UTF-8.
        let style = ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
            .unwrap_or_else(|_| ProgressStyle::default_spinner())
            .tick_chars("-\\|/ ");
        bar.set_style(style);
        bar.enable_steady_tick(Duration::from_millis(120));
        Self { bar }
    }

    /// Shows nothing.
    #[must_use]
    pub fn hidden() -> Self {
        Self {
            bar: ProgressBar::hidden(),
        }
    }

    /// Says what is being done now.
    pub fn step(&self, what: impl Into<String>) {
        if !self.bar.is_hidden() {
            self.bar.set_message(what.into());
        }
    }

    /// Says what is being done, with a count so far: `Läser cases.csv: 12 288 rader`.
    pub fn count(&self, what: &str, n: u64, unit: &str) {
        if !self.bar.is_hidden() {
            self.bar
                .set_message(format!("{what}: {} {unit}", grouped(n)));
        }
    }

    /// Removes the line: the work is done (or given up).
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

/// `1234567` as `1 234 567`, the Swedish way.
#[must_use]
pub fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_grouped_by_thousands() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1000), "1 000");
        assert_eq!(grouped(1_234_567), "1 234 567");
    }

    #[test]
    fn hidden_progress_does_nothing() {
        let p = Progress::hidden();
        p.step("x");
        p.count("Läser", 5, "rader");
        p.finish();
    }
}
