//! The `bevaka` binary: installs the error hooks, reads the command line, the environment
//! and the clock (nothing else does), and hands over to the library.

use std::io::IsTerminal as _;
use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    // The administrator's own allocator setting stands.
    if !bevaka::alloc::CHOSEN_BY
        .iter()
        .any(|v| std::env::var_os(v).is_some())
    {
        bevaka::alloc::tune();
    }
    // color-eyre for errors only, without colour codes off a terminal or under NO_COLOR;
    // panics get bevaka's own hook (one plain line, the terminal given back first).
    let plain = !std::io::stderr().is_terminal()
        || std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let mut hooks = color_eyre::config::HookBuilder::default().display_env_section(false);
    if plain {
        hooks = hooks.theme(color_eyre::config::Theme::new());
    }
    let (_, eyre_hook) = hooks.into_hooks();
    if let Err(e) = eyre_hook.install() {
        eprintln!("bevaka: {e}");
    }
    bevaka::tui::panic::install();
    let cli = bevaka::cli::Cli::parse();
    let var = |name: &str| std::env::var(name).ok();
    let locale = var("LC_ALL")
        .filter(|s| !s.is_empty())
        .or_else(|| var("LC_CTYPE").filter(|s| !s.is_empty()))
        .or_else(|| var("LANG").filter(|s| !s.is_empty()));
    let env = bevaka::run::Env {
        today: chrono::Local::now().date_naive(),
        now: std::time::SystemTime::now(),
        clock: std::time::SystemTime::now,
        bevaka_config: var("BEVAKA_CONFIG"),
        xdg_config_home: var("XDG_CONFIG_HOME"),
        xdg_config_dirs: var("XDG_CONFIG_DIRS"),
        etc: system_config_dir(&var),
        xdg_cache_home: var("XDG_CACHE_HOME"),
        home: var("HOME"),
        term: var("TERM"),
        user: var("USER").or_else(|| var("LOGNAME")),
        uid: rustix::process::getuid().as_raw(),
        syslog_socket: syslog_socket(&var),
        no_color: var("NO_COLOR").is_some_and(|s| !s.is_empty()),
        non_utf8_locale: locale.is_some_and(|l| {
            let l = l.to_ascii_lowercase();
            !(l.contains("utf-8") || l.contains("utf8"))
        }),
    };
    match bevaka::run::run(cli, &env) {
        Ok(code) => code,
        Err(e) => {
            if is_broken_pipe(&e) {
                // `bevaka report … | head`: the reader has what it wanted.
                return ExitCode::SUCCESS;
            }
            eprintln!("bevaka: {}", one_line(&e));
            ExitCode::FAILURE
        }
    }
}

/// The system's config directory, `/etc/bevaka`. A debug build (the tests') may be pointed
/// elsewhere with `BEVAKA_TEST_ETC`, so that a machine's own `/etc/bevaka` cannot change
/// what the tests see; a release build always reads `/etc/bevaka`.
fn system_config_dir(var: &dyn Fn(&str) -> Option<String>) -> std::path::PathBuf {
    #[cfg(debug_assertions)]
    if let Some(dir) = var("BEVAKA_TEST_ETC").filter(|d| !d.is_empty()) {
        return dir.into();
    }
    let _ = var;
    std::path::PathBuf::from("/etc/bevaka")
}

/// The system log's socket, `/dev/log`. A debug build (the tests') may be pointed at a
/// socket of its own with `BEVAKA_SYSLOG_SOCKET`; a release build always writes to
/// `/dev/log`, so that a user cannot send the access log elsewhere.
fn syslog_socket(var: &dyn Fn(&str) -> Option<String>) -> std::path::PathBuf {
    #[cfg(debug_assertions)]
    if let Some(path) = var("BEVAKA_SYSLOG_SOCKET").filter(|s| !s.is_empty()) {
        return path.into();
    }
    let _ = var;
    bevaka::access_log::SYSLOG_SOCKET.into()
}

/// The error and its causes on one line, `: ` between them, leaving out a cause whose text
/// its error already ends with (rusqlite shows a conversion error's cause as its own text),
/// and the SQLite error under a snapshot's read error (which says it in Swedish).
fn one_line(e: &color_eyre::Report) -> String {
    let mut line = String::new();
    let mut said = false;
    for cause in e.chain() {
        let text = cause.to_string();
        let under_read = std::mem::replace(
            &mut said,
            cause
                .downcast_ref::<bevaka::snapshot::ReadError>()
                .is_some_and(|r| matches!(r, bevaka::snapshot::ReadError::Sqlite { .. })),
        );
        if line.ends_with(&text) || (under_read && cause.is::<rusqlite::Error>()) {
            continue;
        }
        if !line.is_empty() {
            line.push_str(": ");
        }
        line.push_str(&text);
    }
    line
}

fn is_broken_pipe(e: &color_eyre::Report) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            || c.downcast_ref::<csv::Error>().is_some_and(|ce| {
                matches!(ce.kind(), csv::ErrorKind::Io(io) if io.kind() == std::io::ErrorKind::BrokenPipe)
            })
            || c.downcast_ref::<serde_json::Error>()
                .is_some_and(|je| je.io_error_kind() == Some(std::io::ErrorKind::BrokenPipe))
    })
}
