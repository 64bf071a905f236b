//! Crafted snapshots (issue 14, points 4 and 5): the open checks the file's shape, no SQL of
//! the file runs in our queries, a statement is interrupted after a limit, and `snapshot
//! check` fails on everything bevaka cannot read right, naming table, row and value.

use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use bevaka::snapshot::Snapshot;
use chrono::NaiveDate;

use crate::support::bevaka;

/// Runs the binary on `file`, and fails the test if it takes more than a few seconds.
fn run(args: &[&str], file: &Path) -> Output {
    let started = Instant::now();
    let o = bevaka()
        .args(args)
        .arg(file)
        .args(
            ["--today", "2014-12-31"]
                .iter()
                .filter(|_| args[0] == "report"),
        )
        .output()
        .expect("bevaka runs");
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{args:?} took {:?}",
        started.elapsed()
    );
    o
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A small demo snapshot, written once; each test tampers with a copy.
fn demo() -> &'static Path {
    static DEMO: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    &DEMO
        .get_or_init(|| {
            let dir = tempfile::tempdir().expect("tempdir");
            let path = dir.path().join("demo.sqlite");
            let data = bevaka::demo::build(NaiveDate::from_ymd_opt(2014, 12, 31).expect("date"));
            bevaka::snapshot::write_snapshot(&path, &data).expect("write");
            (dir, path)
        })
        .1
}

/// A copy of the demo with `sql` run on it (CHECKs and references not enforced, so that
/// the SQL can break them).
fn crafted(sql: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("crafted.sqlite");
    std::fs::copy(demo(), &path).expect("copy");
    let conn = rusqlite::Connection::open(&path).expect("open");
    conn.execute_batch("PRAGMA ignore_check_constraints = ON; PRAGMA foreign_keys = OFF;")
        .expect("pragmas");
    conn.execute_batch(sql).expect("tamper");
    drop(conn);
    (dir, path)
}

/// `snapshot check` fails naming the file and each of `expect`, with nothing on stdout.
fn check_fails(path: &Path, expect: &[&str]) -> String {
    let o = run(&["snapshot", "check"], path);
    let e = stderr(&o);
    assert!(
        !o.status.success(),
        "check passed: {}",
        String::from_utf8_lossy(&o.stdout)
    );
    assert!(
        o.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    assert!(e.contains(&path.display().to_string()), "{e}");
    for want in expect {
        assert!(e.contains(want), "want {want:?} in\n{e}");
    }
    assert!(!e.contains("panicked"), "{e}");
    e
}

/// Every report either succeeds or fails naming the file; none panics or hangs.
fn reports_work_or_name_the_file(path: &Path) {
    for kind in [
        "caseload",
        "deadlines",
        "processing-time",
        "indicators",
        "ivo",
        "cases",
    ] {
        let o = run(&["report", kind, "--snapshot"], path);
        let e = stderr(&o);
        assert!(!e.contains("panicked"), "{kind}: {e}");
        if !o.status.success() {
            assert!(
                e.contains(&path.display().to_string()),
                "{kind}: the error names no file: {e}"
            );
        }
    }
}

/// A refused shape: `snapshot check` and every report fail at once, naming the file and
/// the problem.
fn refused(path: &Path, problem: &str) {
    check_fails(path, &[problem]);
    for kind in ["caseload", "indicators", "deadlines"] {
        let o = run(&["report", kind, "--snapshot"], path);
        let e = stderr(&o);
        assert!(!o.status.success(), "{kind} accepted the file");
        assert!(e.contains(&path.display().to_string()), "{kind}: {e}");
        assert!(e.contains(problem), "{kind}: want {problem:?} in {e}");
    }
    let open = Snapshot::open(path)
        .err()
        .expect("open refuses")
        .to_string();
    assert!(open.contains(problem), "{open}");
}

#[test]
fn a_good_file_passes_as_before() {
    let o = run(&["snapshot", "check"], demo());
    assert!(o.status.success(), "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    for line in ["schemaversion  2", "integritet     ok", "referenser     ok"] {
        assert!(out.contains(line), "{out}");
    }
}

#[test]
fn a_view_in_place_of_cases_is_refused() {
    let (_dir, path) = crafted(
        "ALTER TABLE cases RENAME TO cases_real;
         CREATE VIEW cases AS SELECT * FROM cases_real;",
    );
    refused(&path, "tabellen cases är en vy, inte en tabell");
}

#[test]
fn an_endless_view_in_place_of_indicator_values_ends_at_once() {
    let (_dir, path) = crafted(
        "DROP TABLE indicator_values;
         CREATE VIEW indicator_values (indicator_id, period, value, comment) AS
           WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n)
           SELECT 'I1', '2014', i, NULL FROM n;",
    );
    // `run` fails the test past a few seconds.
    refused(&path, "tabellen indicator_values är en vy, inte en tabell");
}

#[test]
fn a_trigger_is_refused() {
    let (_dir, path) = crafted("CREATE TRIGGER spy AFTER INSERT ON units BEGIN SELECT 1; END;");
    refused(&path, "innehåller triggern spy");
}

#[test]
fn a_missing_column_is_refused() {
    let (_dir, path) = crafted("ALTER TABLE followups DROP COLUMN note;");
    refused(&path, "kolumnen followups.note saknas");
}

/// A cases table without its key can hold one case twice: every figure would count it
/// twice (the open cases 1608 instead of 1607), so the file is refused at open.
#[test]
fn a_table_without_its_primary_key_is_refused() {
    let (_dir, path) = crafted(
        "PRAGMA foreign_keys = OFF;
         CREATE TABLE loose AS SELECT * FROM cases;
         DROP TABLE cases;
         ALTER TABLE loose RENAME TO cases;
         INSERT INTO cases SELECT * FROM cases WHERE closed IS NULL LIMIT 1;",
    );
    refused(
        &path,
        "tabellen cases har inte PRIMARY KEY (case_id) som kontraktet: två rader kan ha samma id",
    );
}

#[test]
fn a_table_that_is_not_strict_fails_the_check() {
    let (_dir, path) = crafted(
        "PRAGMA writable_schema = ON;
         UPDATE sqlite_schema SET sql = replace(sql, ') STRICT', ')') WHERE name = 'units';",
    );
    check_fails(&path, &["tabellen units är inte STRICT"]);
    reports_work_or_name_the_file(&path);
}

#[test]
fn each_kind_of_bad_date_is_listed_with_row_and_value() {
    let (_dir, path) = crafted(
        "UPDATE cases SET opened = '2014-02-30' WHERE rowid = 3;
         UPDATE cases SET opened = '' WHERE rowid = 4;
         UPDATE cases SET opened = '20140101' WHERE rowid = 5;
         UPDATE cases SET opened = '9999-99-99' WHERE rowid = 6;
         UPDATE interventions SET start = '2014-13-01' WHERE rowid = 7;
         UPDATE followups SET due = '2014-1-1' WHERE rowid = 8;",
    );
    check_fails(
        &path,
        &[
            "cases.opened: inget giltigt datum ÅÅÅÅ-MM-DD (4 rader)",
            "rad 3: '2014-02-30'",
            "rad 4: ''",
            "rad 5: '20140101'",
            "rad 6: '9999-99-99'",
            "interventions.start: inget giltigt datum",
            "rad 7: '2014-13-01'",
            "followups.due: inget giltigt datum",
            "rad 8: '2014-1-1'",
        ],
    );
    reports_work_or_name_the_file(&path);
}

/// A number past the largest a REAL holds is read as infinite: an årsmål of −∞ made every
/// outcome "uppfyllt". The check and the indicator report refuse it, naming row and value.
#[test]
fn an_infinite_indicator_number_is_refused() {
    let (_dir, path) = crafted(
        "UPDATE indicator_values SET value = 1e999 WHERE rowid = 1;
         UPDATE indicators SET target = -1e999 WHERE rowid = 2;",
    );
    check_fails(
        &path,
        &[
            "indicator_values: value är inget ändligt tal (1 rad)",
            "rad 1: 9.0e+999",
            "indicators: target är inget ändligt tal (1 rad)",
            "rad 2: -9.0e+999",
        ],
    );
    let o = run(&["report", "indicators", "--snapshot"], &path);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("ändligt tal"), "{}", stderr(&o));
    assert!(o.stdout.is_empty());
}

#[test]
fn check_violations_are_listed_with_row_and_value() {
    let (_dir, path) = crafted(
        "UPDATE cases SET opened = '2014-06-01', closed = '2014-01-01' WHERE rowid = 10;
         UPDATE insats_types SET target_days = -5 WHERE rowid = 2;
         UPDATE insats_types SET target_days = 9223372036854775807 WHERE rowid = 3;
         UPDATE goals SET level = 'vision' WHERE rowid = 1;",
    );
    check_fails(
        &path,
        &[
            "cases: closed före opened (1 rad)",
            "rad 10: opened '2014-06-01', closed '2014-01-01'",
            "insats_types: target_days utanför 0–3650 dagar (2 rader)",
            "rad 2: -5",
            "rad 3: 9223372036854775807",
            "goals: level är inte",
            "rad 1: 'vision'",
        ],
    );
}

#[test]
fn a_dangling_reference_is_listed_with_row_and_value() {
    let (_dir, path) = crafted("UPDATE applications SET case_id = 'INGET' WHERE rowid = 9;");
    check_fails(
        &path,
        &[
            "applications.case_id: pekar på en rad som saknas i cases (1 rad)",
            "rad 9: 'INGET'",
        ],
    );
    reports_work_or_name_the_file(&path);
}

#[test]
fn many_rows_of_one_kind_are_counted_past_the_listed_ones() {
    let (_dir, path) = crafted("UPDATE cases SET opened = '2014-02-30' WHERE rowid <= 30;");
    check_fails(
        &path,
        &[
            "cases.opened: inget giltigt datum ÅÅÅÅ-MM-DD (30 rader)",
            "… och 10 till",
        ],
    );
}

#[test]
fn a_statement_past_the_limit_is_interrupted_naming_the_file() {
    let snapshot = Snapshot::open(demo()).expect("open");
    snapshot.set_query_limit(Duration::ZERO);
    let filter = bevaka::snapshot::queries::Filter::default();
    let today = NaiveDate::from_ymd_opt(2014, 12, 31).expect("date");
    let Err(e) = bevaka::domain::caseload::load(snapshot.readers(), &filter, today) else {
        panic!("not interrupted");
    };
    assert_eq!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::OperationInterrupted)
    );
    assert!(snapshot.timed_out());
    let text = snapshot.read_error(e).to_string();
    assert!(text.contains(&demo().display().to_string()), "{text}");
    assert!(text.contains("frågan avbröts efter 0 ms"), "{text}");

    // With the limit back, the same connection reads again, and an interrupt asked for
    // is not taken for the limit.
    snapshot.set_query_limit(bevaka::snapshot::shape::QUERY_LIMIT);
    bevaka::domain::caseload::load(snapshot.readers(), &filter, today).expect("reads");
    assert!(!snapshot.timed_out());
}

#[test]
fn every_connection_reads_with_the_schema_untrusted() {
    // No SQL of the file's schema (a view, a trigger, a generated column's function) may
    // run with bevaka's rights inside its queries.
    let snapshot = Snapshot::open(demo()).expect("open");
    let trusted: i64 = snapshot
        .conn()
        .query_row("PRAGMA trusted_schema", [], |r| r.get(0))
        .expect("pragma");
    assert_eq!(trusted, 0);
    if let Some(spare) = snapshot.readers().spare {
        let spare = spare.lock().expect("spare");
        let trusted: i64 = spare
            .query_row("PRAGMA trusted_schema", [], |r| r.get(0))
            .expect("pragma");
        assert_eq!(trusted, 0);
    }
}

#[test]
fn a_corrupted_file_is_named_in_every_error() {
    let (_dir, path) = crafted("");
    let mut bytes = std::fs::read(&path).expect("read");
    let page = 4096;
    // Garble pages in the middle (table and index pages), keep the header and schema.
    for (i, b) in bytes.iter_mut().enumerate().skip(3 * page).take(20 * page) {
        *b = (i as u8).wrapping_mul(31).wrapping_add(7);
    }
    std::fs::write(&path, &bytes).expect("write");
    let o = run(&["snapshot", "check"], &path);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains(&path.display().to_string()),
        "{}",
        stderr(&o)
    );
    reports_work_or_name_the_file(&path);
}

/// A report never prints figures that silently leave out a row: a date that is no date or
/// a value outside the contract makes every report fail, naming file, table, row and value.
#[test]
fn reports_refuse_values_their_rules_cannot_compute_with() {
    for (sql, want) in [
        (
            "UPDATE cases SET opened = '2014-02-30' WHERE rowid = 3;",
            "tabellen cases, rad 3: opened är inget giltigt datum ÅÅÅÅ-MM-DD: '2014-02-30'",
        ),
        (
            "UPDATE interventions SET start = '' WHERE rowid = 7;",
            "tabellen interventions, rad 7: start är inget giltigt datum ÅÅÅÅ-MM-DD: ''",
        ),
        (
            "UPDATE insats_types SET target_days = 9223372036854775807 WHERE rowid = 3;",
            "tabellen insats_types, rad 3: target_days utanför 0–3650 dagar: 9223372036854775807",
        ),
        (
            "UPDATE cases SET opened = '2014-06-01', closed = '2014-01-01' WHERE rowid = 10;",
            "tabellen cases, rad 10: closed före opened",
        ),
    ] {
        let (_dir, path) = crafted(sql);
        for kind in ["caseload", "deadlines", "processing-time", "ivo", "cases"] {
            let o = run(&["report", kind, "--snapshot"], &path);
            let e = stderr(&o);
            assert!(!o.status.success(), "{kind} printed figures for {sql}");
            assert!(o.stdout.is_empty(), "{kind}: {sql}");
            assert!(e.contains(&path.display().to_string()), "{kind}: {e}");
            assert!(e.contains(want), "{kind}: want {want:?} in {e}");
        }
    }
    // The good file still reports.
    let o = run(&["report", "caseload", "--snapshot"], demo());
    assert!(o.status.success(), "{}", stderr(&o));
}

/// The dashboard opens such a file (its first screen is not held up by a scan of the
/// whole file), and the status line names the first bad value as soon as the check
/// beside it is done.
#[test]
fn the_dashboard_warns_of_a_bad_value_beside_its_first_screen() {
    use bevaka::config::Config;
    use bevaka::snapshot::queries::Filter;
    use bevaka::tui::app::App;
    let (_dir, path) = crafted("UPDATE cases SET opened = '9999-99-99' WHERE rowid = 3;");
    let mut app = App::new(
        Snapshot::open(&path).expect("open"),
        Config::default(),
        Filter::default(),
        NaiveDate::from_ymd_opt(2014, 12, 31).expect("date"),
        std::time::SystemTime::UNIX_EPOCH,
        bevaka::tui::theme::Theme {
            color: false,
            ascii: false,
        },
    )
    .expect("the dashboard opens");
    app.value_check = Some(bevaka::snapshot::shape::check_values_aside(
        path.clone(),
        None,
    ));
    let started = Instant::now();
    while app.message.is_none() {
        app.receive();
        assert!(started.elapsed() < Duration::from_secs(10), "no warning");
        std::thread::sleep(Duration::from_millis(5));
    }
    let msg = app.message.clone().expect("message");
    assert!(msg.warning, "{msg:?}");
    assert!(
        msg.text
            .contains("tabellen cases, rad 3: opened är inget giltigt datum"),
        "{msg:?}"
    );
    // Too long for 80 columns: cut with "…", "? hjälp" kept to say where it is whole.
    let draw = |app: &App| {
        let mut t =
            ratatui::Terminal::new(ratatui::backend::TestBackend::new(80, 24)).expect("terminal");
        t.draw(|f| f.render_widget(app, f.area())).expect("draw");
        t.backend().to_string()
    };
    let screen = draw(&app);
    let status = screen.lines().last().expect("status line");
    assert!(
        status.contains("Siffrorna kan sakna rader: ") && status.contains('…'),
        "{status}"
    );
    assert!(status.contains("? hjälp"), "{status}");
    // The help shows it whole, word for word.
    app.help = true;
    let help = draw(&app);
    let mut words = msg.text.split_whitespace();
    let shown: Vec<&str> = help
        .split(['│', '"', ' '])
        .filter(|w| !w.is_empty())
        .collect();
    let start = shown
        .iter()
        .position(|w| *w == "Siffrorna")
        .expect("the message in the help");
    assert!(
        words.all(|w| shown[start..].contains(&w)),
        "{}\n{help}",
        msg.text
    );
}

/// A cases table rebuilt without NOT NULL (but with its key) can hold a case without
/// `opened`: it is never open, and every figure would leave it out without a word. Each
/// report that reads cases refuses it, naming table, row and column; a file that an
/// earlier bevaka (whose check did not look for this) remembered as good is checked again.
#[test]
fn a_null_where_the_contract_says_not_null_is_refused_even_if_remembered() {
    let (_dir, path) = crafted(
        "CREATE TABLE loose (case_id TEXT PRIMARY KEY NOT NULL, unit_id, team, worker_id,
                             client_label, opened, closed, sex);
         INSERT INTO loose SELECT * FROM cases;
         DROP TABLE cases;
         ALTER TABLE loose RENAME TO cases;
         UPDATE cases SET opened = NULL
          WHERE rowid = (SELECT max(rowid) FROM cases WHERE closed IS NULL);",
    );
    let row: i64 = rusqlite::Connection::open(&path)
        .expect("open")
        .query_row("SELECT rowid FROM cases WHERE opened IS NULL", [], |r| {
            r.get(0)
        })
        .expect("the row");
    // What the edition before remembered of this very file.
    let cache = tempfile::tempdir().expect("cache");
    let key = bevaka::snapshot::FileIdentity::of(&std::fs::metadata(&path).expect("meta")).key();
    std::fs::create_dir_all(cache.path().join("bevaka")).expect("dir");
    std::fs::write(
        cache.path().join("bevaka").join("values-ok"),
        format!("{} {key}\n", env!("CARGO_PKG_VERSION")),
    )
    .expect("old record");
    for kind in ["deadlines", "caseload", "processing-time"] {
        let o = bevaka()
            .env("XDG_CACHE_HOME", cache.path())
            .args(["report", kind, "--today", "2014-12-31", "--snapshot"])
            .arg(&path)
            .output()
            .expect("bevaka runs");
        assert_eq!(o.status.code(), Some(1), "{kind}");
        let e = stderr(&o);
        assert!(
            e.contains(&format!(
                "tabellen cases, rad {row}: opened saknar värde (kontraktet: NOT NULL): NULL"
            )),
            "{kind}: {e}"
        );
        assert!(o.stdout.is_empty(), "{kind}");
    }
}

/// A good file's check is remembered per user, keyed by the file's identity and bevaka's
/// version; a new file at the path (a publish) is checked anew.
#[test]
fn a_good_files_check_is_remembered_and_a_new_file_checked_again() {
    let cache = tempfile::tempdir().expect("cache");
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("published.sqlite");
    std::fs::copy(demo(), &path).expect("copy");
    let report = || {
        bevaka()
            .env("XDG_CACHE_HOME", cache.path())
            .args(["report", "deadlines", "--today", "2014-12-31", "--snapshot"])
            .arg(&path)
            .output()
            .expect("bevaka runs")
    };
    assert!(report().status.success());
    let record = cache.path().join("bevaka").join("values-ok");
    let lines = std::fs::read_to_string(&record).expect("remembered");
    assert_eq!(lines.lines().count(), 1, "{lines}");
    assert!(lines.starts_with(env!("CARGO_PKG_VERSION")), "{lines}");
    // A new file published over it, with a bad date: checked, refused, not remembered.
    let (_bad_dir, bad) = crafted("UPDATE cases SET opened = '2014-02-30' WHERE rowid = 3;");
    std::fs::rename(&bad, &path).expect("publish");
    let o = report();
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("tabellen cases, rad 3"),
        "{}",
        stderr(&o)
    );
    assert_eq!(std::fs::read_to_string(&record).expect("record"), lines);
}
