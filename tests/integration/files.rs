//! The files bevaka writes (issue 14): a build leaves no litter and never publishes older
//! data over newer; exports and the access log are private and complete or absent.

use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;

use crate::support::bevaka;

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn unit_demo(out: &Path) -> Output {
    bevaka()
        .args(["demo", "--as-of", "2014-12-31", "--out"])
        .arg(out)
        .output()
        .expect("bevaka runs")
}

/// A city demo build to `out`, returned once its temporary file exists (it then has
/// seconds of work left).
fn city_build(out: &Path) -> Child {
    let mut child = bevaka()
        .args(["demo", "--scale", "city", "--out"])
        .arg(out)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("bevaka runs");
    let tmp = out.with_file_name(format!(
        ".{}.{}.tmp",
        out.file_name().expect("name").to_string_lossy(),
        child.id()
    ));
    let start = Instant::now();
    while !tmp.exists() {
        assert!(
            child.try_wait().expect("wait").is_none(),
            "the city build ended before it wrote"
        );
        assert!(start.elapsed() < Duration::from_secs(30), "no {tmp:?}");
        std::thread::sleep(Duration::from_millis(20));
    }
    child
}

fn pid(child: &Child) -> Pid {
    Pid::from_raw(i32::try_from(child.id()).expect("pid"))
}

#[test]
fn a_second_build_is_refused_and_a_signal_leaves_no_litter_and_the_old_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out.sqlite");
    assert!(unit_demo(&out).status.success());
    let before = std::fs::read(&out).expect("read");
    for signal in [Signal::SIGTERM, Signal::SIGINT, Signal::SIGHUP] {
        let first = city_build(&out);
        // A second build to the same file, while the first runs: refused, naming it.
        let second = unit_demo(&out);
        assert!(!second.status.success());
        let e = stderr(&second);
        assert!(e.contains(&format!("pid {}", first.id())), "{e}");
        assert!(e.contains("ett annat bygge till samma fil pågår"), "{e}");
        assert!(e.contains("out.sqlite.lock"), "{e}");
        // So is an import.
        let import = bevaka()
            .args(["snapshot", "build", "--from"])
            .arg(dir.path())
            .arg("--out")
            .arg(&out)
            .output()
            .expect("bevaka runs");
        assert!(stderr(&import).contains(&format!("pid {}", first.id())));

        kill(pid(&first), signal).expect("kill");
        let o = first.wait_with_output().expect("wait");
        assert!(!o.status.success(), "{signal}");
        assert_eq!(names(dir.path()), ["out.sqlite"], "{signal}");
        assert!(std::fs::read(&out).expect("read") == before, "{signal}");
    }
}

#[test]
fn a_killed_build_is_cleaned_up_by_the_next_one_which_names_what_it_removed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out.sqlite");
    // One SIGKILLed now, and one of a build long gone (no pid is that large).
    let mut killed = city_build(&out);
    let killed_tmp = dir.path().join(format!(".out.sqlite.{}.tmp", killed.id()));
    kill(pid(&killed), Signal::SIGKILL).expect("kill");
    killed.wait().expect("wait");
    assert!(killed_tmp.exists());
    let old = dir.path().join(".out.sqlite.4999999.tmp");
    std::fs::write(&old, "half a snapshot").expect("write");
    // Not someone else's file of the same folder.
    let other = dir.path().join(".other.sqlite.4999999.tmp");
    std::fs::write(&other, "").expect("write");

    let o = unit_demo(&out);
    assert!(o.status.success(), "{}", stderr(&o));
    let e = stderr(&o);
    for removed in [&old, &killed_tmp] {
        assert!(
            e.contains(&format!(
                "Tog bort kvarlämnad temporär fil {} från ett avbrutet bygge",
                removed.display()
            )),
            "{e}"
        );
    }
    assert_eq!(
        names(dir.path()),
        [".other.sqlite.4999999.tmp", "out.sqlite"]
    );
}

#[test]
fn a_rebuild_keeps_the_permissions_given_to_the_file() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out.sqlite");
    assert!(unit_demo(&out).status.success());
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o640)).expect("chmod");
    assert!(unit_demo(&out).status.success());
    let mode = std::fs::metadata(&out).expect("stat").permissions().mode();
    assert_eq!(mode & 0o777, 0o640);
}

/// The demo dashboard on the bevakningslista, exporting into `dir` (no fallback).
fn demo_app(dir: &Path) -> bevaka::tui::app::App {
    use std::time::SystemTime;
    let today = bevaka::domain::dates::parse_iso("2014-12-31").expect("date");
    let data = bevaka::demo::build(today);
    let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_420_000_000);
    let theme = bevaka::tui::theme::Theme {
        color: false,
        ascii: false,
    };
    let mut app = bevaka::tui::app::App::new(
        crate::caseload::memory_snapshot(&data),
        bevaka::config::Config::default(),
        bevaka::snapshot::queries::Filter::default(),
        today,
        now,
        theme,
    )
    .expect("app");
    app.export_dir = dir.to_path_buf();
    app.export_fallback = None;
    app
}

#[test]
fn an_export_is_private_complete_and_a_failed_one_says_why_and_leaves_nothing() {
    use bevaka::tui::keymap::Action;
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("tempdir");
    // A folder that cannot be written: the cause, in words, and nothing created.
    let missing = dir.path().join("saknas");
    let mut app = demo_app(&missing);
    app.config.export_format = Some(bevaka::config::ExportFormat::Csv);
    app.handle(Action::Export).expect("export");
    let msg = app.message.clone().expect("message");
    assert!(msg.warning);
    assert!(
        msg.text.starts_with(&format!(
            "Export misslyckades: kan inte skriva bevaka-bevakningar-2014-12-31.csv i {}: mappen finns inte (",
            missing.display()
        )),
        "{msg:?}"
    );
    assert!(names(dir.path()).is_empty());

    // Then into a folder that can: the plain name, not `-2`, owner only, nothing else.
    app.export_dir = dir.path().to_path_buf();
    app.config.export_format = Some(bevaka::config::ExportFormat::Csv);
    app.handle(Action::Export).expect("export");
    let msg = app.message.clone().expect("message");
    assert!(!msg.warning, "{msg:?}");
    assert_eq!(names(dir.path()), ["bevaka-bevakningar-2014-12-31.csv"]);
    let path = dir.path().join("bevaka-bevakningar-2014-12-31.csv");
    let mode = std::fs::metadata(&path).expect("stat").permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
    assert!(
        std::fs::read_to_string(&path)
            .expect("read")
            .ends_with("\r\n")
    );
}

/// `bevaka report case` (which appends to the access log) under `umask 000`, with
/// `access_log = "access.log"` in `dir/config.toml`; killed if it takes over 10 s.
fn case_card_logged(dir: &Path, snapshot: &Path) -> (Output, Duration) {
    std::fs::write(dir.join("config.toml"), "access_log = \"access.log\"\n").expect("config");
    let start = Instant::now();
    let mut child = Command::new("sh")
        .args(["-c", "umask 000; exec \"$0\" \"$@\""])
        .arg(env!("CARGO_BIN_EXE_bevaka"))
        .args(["report", "case", "BF-2014-00001", "--today", "2014-12-31"])
        .arg("--config")
        .arg(dir.join("config.toml"))
        .arg("--snapshot")
        .arg(snapshot)
        .env_remove("BEVAKA_CONFIG")
        .env("XDG_CONFIG_HOME", "/nonexistent-bevaka-test")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("bevaka runs");
    while child.try_wait().expect("wait").is_none() {
        if start.elapsed() > Duration::from_secs(10) {
            let _ = child.kill();
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let o = child.wait_with_output().expect("output");
    (o, start.elapsed())
}

#[test]
fn the_access_log_is_created_private_and_must_be_a_regular_file() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let snapshot = dir.path().join("demo.sqlite");
    assert!(unit_demo(&snapshot).status.success());
    let log = dir.path().join("access.log");

    // Created owner-only even where the umask would allow everyone everything.
    let (o, _) = case_card_logged(dir.path(), &snapshot);
    assert!(o.status.success(), "{}", stderr(&o));
    let mode = std::fs::metadata(&log).expect("log").permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
    std::fs::remove_file(&log).expect("rm");

    // A symbolic link in its place: refused, naming it, nothing written through it.
    let target = dir.path().join("target");
    std::fs::write(&target, "untouched").expect("write");
    std::os::unix::fs::symlink(&target, &log).expect("symlink");
    let (o, _) = case_card_logged(dir.path(), &snapshot);
    assert!(!o.status.success());
    assert!(o.stdout.is_empty(), "no card without its line");
    let e = stderr(&o);
    assert!(
        e.contains(&format!(
            "åtkomstloggen {} är ingen vanlig fil (en symbolisk länk)",
            log.display()
        )),
        "{e}"
    );
    assert_eq!(std::fs::read(&target).expect("read"), b"untouched");
    std::fs::remove_file(&log).expect("rm");

    // A FIFO in its place: refused at once, not waited on (the bound is for the whole
    // run on a loaded machine; the refusal itself takes no time).
    let made = Command::new("mkfifo").arg(&log).status().expect("mkfifo");
    assert!(made.success());
    let (o, took) = case_card_logged(dir.path(), &snapshot);
    assert!(took < Duration::from_secs(3), "took {took:?}");
    assert!(!o.status.success());
    let e = stderr(&o);
    assert!(
        e.contains(&format!(
            "åtkomstloggen {} är ingen vanlig fil (en FIFO)",
            log.display()
        )),
        "{e}"
    );
}
