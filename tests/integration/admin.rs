//! What the administrator installs (issue 15): the access log in the system log, read by a
//! real `UnixDatagram` listener standing in for `/dev/log`; exports in the access log; the
//! shell completions and the man page.

use std::os::unix::fs::MetadataExt as _;
use std::os::unix::net::UnixDatagram;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::Duration;

use bevaka::access_log::AccessLog;
use bevaka::tui::keymap::Action;
use serde_json::Value;

use crate::support::bevaka;

/// A system log on a temporary socket, as journald listens on `/dev/log`.
pub struct Syslog {
    pub socket: PathBuf,
    sock: UnixDatagram,
}

impl Syslog {
    pub fn new(dir: &Path) -> Self {
        let socket = dir.join("log");
        let sock = UnixDatagram::bind(&socket).expect("bind the socket");
        Self { socket, sock }
    }

    /// The entries received within `wait` of the last one.
    pub fn entries(&self, wait: Duration) -> Vec<String> {
        self.sock.set_read_timeout(Some(wait)).expect("timeout");
        let mut out = Vec::new();
        let mut buf = vec![0; 65_536];
        while let Ok(n) = self.sock.recv(&mut buf) {
            out.push(String::from_utf8(buf[..n].to_vec()).expect("utf-8"));
        }
        out
    }
}

/// An entry's priority, tag and JSON body: `<86>Dec 31 08:15:00 bevaka[PID]: {…}`.
pub fn parse_entry(entry: &str) -> (u32, String, Value) {
    let rest = entry.strip_prefix('<').expect("priority");
    let (priority, rest) = rest.split_once('>').expect("priority");
    // The RFC 3164 time stamp: "Mmm dd hh:mm:ss ".
    let rest = rest.get(16..).expect("time stamp");
    let (tag, json) = rest.split_once(": ").expect("tag");
    let tag = tag.split_once('[').map_or(tag, |(t, _)| t).to_string();
    (
        priority.parse().expect("number"),
        tag,
        serde_json::from_str(json).expect("json body"),
    )
}

/// Every client label of the snapshot at `path`.
pub fn client_labels(path: &Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(path).expect("open");
    let mut stmt = conn
        .prepare("SELECT client_label FROM cases WHERE client_label IS NOT NULL")
        .expect("prepare");
    stmt.query_map([], |r| r.get(0))
        .expect("query")
        .collect::<Result<Vec<String>, _>>()
        .expect("labels")
}

fn demo_file(dir: &Path) -> PathBuf {
    let path = dir.join("demo.sqlite");
    let o = bevaka()
        .args(["demo", "--as-of", "2014-12-31", "--out"])
        .arg(&path)
        .output()
        .expect("bevaka demo");
    assert!(o.status.success(), "{}", stderr(&o));
    path
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// `bevaka report case ID` with `access_log = "syslog"`, the system log at `socket`.
fn card(dir: &Path, snapshot: &Path, socket: &Path, case_id: &str) -> Output {
    let config = dir.join("config.toml");
    std::fs::write(&config, "access_log = \"syslog\"\n").expect("config");
    bevaka()
        .args([
            "report",
            "case",
            case_id,
            "--today",
            "2014-12-31",
            "--snapshot",
        ])
        .arg(snapshot)
        .arg("--config")
        .arg(&config)
        .env("BEVAKA_SYSLOG_SOCKET", socket)
        .env("USER", "anna")
        .output()
        .expect("bevaka runs")
}

#[test]
fn a_case_card_goes_to_the_system_log_with_user_and_case_never_the_label() {
    let dir = tempfile::tempdir().expect("tempdir");
    let snapshot = demo_file(dir.path());
    let conn = rusqlite::Connection::open(&snapshot).expect("open");
    let (case_id, label): (String, String) = conn
        .query_row(
            "SELECT case_id, client_label FROM cases WHERE client_label IS NOT NULL LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("a case with a label");
    let syslog = Syslog::new(dir.path());

    let o = card(dir.path(), &snapshot, &syslog.socket, &case_id);
    assert!(o.status.success(), "{}", stderr(&o));
    // The card shows the label; the log does not.
    assert!(String::from_utf8_lossy(&o.stdout).contains(&label));
    let entries = syslog.entries(Duration::from_millis(500));
    assert_eq!(entries.len(), 1, "{entries:?}");
    let (priority, tag, line) = parse_entry(&entries[0]);
    assert_eq!(priority, 10 * 8 + 6, "authpriv.info");
    assert_eq!(tag, "bevaka");
    assert_eq!(line["user"], "anna");
    let uid = std::fs::metadata(dir.path()).expect("stat").uid();
    assert_eq!(line["uid"], uid);
    assert_eq!(line["action"], "rapport");
    assert_eq!(line["case_id"], case_id.as_str());
    assert_eq!(line["snapshot"], snapshot.display().to_string().as_str());
    assert!(!entries[0].contains(&label), "{}", entries[0]);
    for label in client_labels(&snapshot) {
        assert!(!entries[0].contains(&label), "{label}: {}", entries[0]);
    }
}

#[test]
fn without_a_system_log_the_card_is_not_written_and_the_error_names_the_socket() {
    let dir = tempfile::tempdir().expect("tempdir");
    let snapshot = demo_file(dir.path());
    let missing = dir.path().join("log");
    let o = card(dir.path(), &snapshot, &missing, "BF-2014-00001");
    assert!(!o.status.success());
    assert!(o.stdout.is_empty(), "no card without its entry");
    assert_eq!(
        stderr(&o).trim_end(),
        format!(
            "bevaka: åtkomstloggen i systemloggen ({0}) kan inte skrivas (access_log i konfigurationen); ärendet visas inte: {0} finns inte: ingen systemlogg (journald eller rsyslog) tar emot meddelanden här",
            missing.display()
        )
    );

    // A socket nobody reads any more (a stopped system log) is refused as well.
    drop(UnixDatagram::bind(&missing).expect("bind"));
    let o = card(dir.path(), &snapshot, &missing, "BF-2014-00001");
    assert!(!o.status.success());
    assert!(o.stdout.is_empty());
    assert!(
        stderr(&o).contains(&format!("ingen systemlogg läser {}", missing.display())),
        "{}",
        stderr(&o)
    );
}

/// The demo dashboard on the bevakningslista, exporting into `dir`.
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
fn an_export_is_in_the_access_log_with_its_file_and_rows() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("ut");
    std::fs::create_dir(&out).expect("mkdir");
    let mut app = demo_app(&out);
    let rows = app.deadlines.shown().count();
    assert!(rows > 0);

    // The file log: an `export` line naming the file and its rows.
    let file_log = dir.path().join("access.jsonl");
    app.access_log = Some(AccessLog::new(
        file_log.clone(),
        Some("anna".into()),
        "demo.sqlite",
    ));
    app.config.export_format = Some(bevaka::config::ExportFormat::Csv);
    app.handle(Action::Export).expect("export");
    let msg = app.message.clone().expect("message");
    assert!(!msg.warning, "{msg:?}");
    let exported = out.join("bevaka-bevakningar-2014-12-31.csv");
    let text = std::fs::read_to_string(&file_log).expect("log");
    let line: Value = serde_json::from_str(text.trim()).expect("json");
    assert_eq!(line["action"], "export");
    assert_eq!(line["user"], "anna");
    assert_eq!(line["file"], exported.display().to_string().as_str());
    assert_eq!(line["rows"], rows);
    assert_eq!(line["case_id"], Value::Null);
    // The rows counted are the file's rows (a heading, then one record per item).
    let csv = std::fs::read_to_string(&exported).expect("export");
    let mut r = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
    assert_eq!(r.records().count(), rows);

    // The system log: the same, tagged bevaka.
    let syslog = Syslog::new(dir.path());
    app.access_log = Some(AccessLog::syslog(
        syslog.socket.clone(),
        Some("anna".into()),
        Some(1000),
        "demo.sqlite",
    ));
    app.config.export_format = Some(bevaka::config::ExportFormat::Csv);
    app.handle(Action::Export).expect("export");
    let second = out.join("bevaka-bevakningar-2014-12-31-2.csv");
    assert!(second.exists());
    let entries = syslog.entries(Duration::from_millis(500));
    assert_eq!(entries.len(), 1, "{entries:?}");
    let (_, tag, line) = parse_entry(&entries[0]);
    assert_eq!(tag, "bevaka");
    assert_eq!(line["action"], "export");
    assert_eq!(line["file"], second.display().to_string().as_str());
    assert_eq!(line["rows"], rows);

    // No entry, no export: the file is removed again and the status line says why.
    let missing = dir.path().join("saknas");
    app.access_log = Some(AccessLog::syslog(
        missing.clone(),
        Some("anna".into()),
        None,
        "demo.sqlite",
    ));
    app.config.export_format = Some(bevaka::config::ExportFormat::Csv);
    app.handle(Action::Export).expect("export");
    let msg = app.message.clone().expect("message");
    assert!(msg.warning);
    assert!(
        msg.text.starts_with(&format!(
            "Export misslyckades: åtkomstloggen i systemloggen ({}) kan inte skrivas (",
            missing.display()
        )),
        "{msg:?}"
    );
    assert!(msg.text.ends_with("; filen togs bort"), "{msg:?}");
    let mut names: Vec<_> = std::fs::read_dir(&out)
        .expect("ls")
        .map(|e| e.expect("entry").file_name())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "bevaka-bevakningar-2014-12-31-2.csv",
            "bevaka-bevakningar-2014-12-31.csv"
        ]
    );
}

fn stdout_of(args: &[&str]) -> String {
    let o = bevaka().args(args).output().expect("bevaka runs");
    assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    String::from_utf8(o.stdout).expect("utf-8")
}

#[test]
fn completions_are_generated_from_the_command_line() {
    let bash = stdout_of(&["completions", "bash"]);
    assert!(bash.contains("report"), "{bash}");
    assert!(bash.contains("deadlines"), "{bash}");
    assert!(bash.contains("complete -F _bevaka"), "{bash}");
    for shell in ["zsh", "fish"] {
        let text = stdout_of(&["completions", shell]);
        assert!(text.contains("deadlines"), "{shell}: {text}");
        assert!(text.contains("processing-time"), "{shell}: {text}");
    }
    let o = bevaka()
        .args(["completions", "tcsh"])
        .output()
        .expect("runs");
    assert!(!o.status.success());
}

/// The macros a man(7) page generated by clap_mangen may use.
const MAN_MACROS: &[&str] = &[
    "TH", "SH", "SS", "TP", "PP", "P", "LP", "IP", "RS", "RE", "br", "sp", "B", "I", "BR", "IR",
    "RB", "RI", "ie", "el", "nf", "fi", "EX", "EE",
];

/// A man page: roff whose first line is its `.TH` title, every control line a man(7)
/// macro, with the sections a page has.
fn assert_man_page(page: &str, title: &str) {
    let first = page.lines().next().unwrap_or_default();
    assert!(
        first.starts_with(&format!(".TH {title} 1 ")),
        "first line: {first}"
    );
    for line in page.lines().filter(|l| l.starts_with('.')) {
        let name = line[1..].split_whitespace().next().unwrap_or_default();
        assert!(MAN_MACROS.contains(&name), "not a man macro: {line}");
    }
    for section in [".SH NAME", ".SH SYNOPSIS", ".SH DESCRIPTION"] {
        assert!(page.contains(section), "{section} in {page}");
    }
}

#[test]
fn the_man_page_is_roff_naming_the_subcommands() {
    let page = stdout_of(&["man"]);
    assert_man_page(&page, "bevaka");
    assert!(page.contains(".SH SUBCOMMANDS"), "{page}");
    for sub in ["demo", "snapshot", "report", "config", "completions", "man"] {
        assert!(
            page.contains(&format!("bevaka\\-{sub}(1)")),
            "{sub}: {page}"
        );
    }
    assert!(!page.contains("bevaka\\-help"), "no page for clap's help");

    // `--dir` writes that page and one per subcommand, as a package installs them.
    let dir = tempfile::tempdir().expect("tempdir");
    let o = bevaka()
        .args(["man", "--dir"])
        .arg(dir.path())
        .output()
        .expect("runs");
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(o.stdout.is_empty());
    let read = |name: &str| std::fs::read_to_string(dir.path().join(name)).expect(name);
    assert_eq!(read("bevaka.1"), page);
    let case = read("bevaka-report-case.1");
    assert_man_page(&case, "bevaka-report-case");
    assert!(
        case.contains("\"bevaka "),
        "the package's version as the source: {case}"
    );
    assert!(case.contains("CASE_ID"), "{case}");
    assert!(dir.path().join("bevaka-report-deadlines.1").exists());
    assert!(dir.path().join("bevaka-snapshot-build.1").exists());
}
