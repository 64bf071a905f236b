//! The real binary, as a user runs it: demo, snapshot build/check, report, and the clear
//! refusals of bad snapshots, bad CSV and bad config.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

use crate::support::bevaka;

fn run(cmd: &mut Command) -> Output {
    cmd.output().expect("bevaka runs")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn demo_file(dir: &Path) -> PathBuf {
    let path = dir.join("demo.sqlite");
    let o = run(bevaka()
        .args(["demo", "--as-of", "2014-12-31", "--out"])
        .arg(&path));
    assert!(o.status.success(), "demo: {}", stderr(&o));
    path
}

#[test]
fn demo_then_json_report_gives_the_seed_figures() {
    let dir = tempfile::tempdir().expect("tempdir");
    let snap = demo_file(dir.path());
    let o = run(bevaka()
        .args([
            "report",
            "caseload",
            "--format",
            "json",
            "--today",
            "2014-12-31",
            "--snapshot",
        ])
        .arg(&snap));
    assert!(o.status.success(), "{}", stderr(&o));
    let v: Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v["as_of"], "2014-12-31");
    assert_eq!(
        v["dates"],
        serde_json::json!(["2014-12-31", "2013-12-31", "2012-12-31"])
    );
    let row = |area: &str, insats: &str| {
        v["rows"]
            .as_array()
            .expect("rows")
            .iter()
            .find(|r| r["area"] == area && r["insats"] == insats)
            .unwrap_or_else(|| panic!("{area}/{insats}"))["counts"]
            .clone()
    };
    assert_eq!(
        row("Funktionsnedsättning", "Hemtjänst"),
        serde_json::json!([108, 118, 106])
    );
    assert_eq!(
        row("Funktionsnedsättning", "Daglig verksamhet"),
        serde_json::json!([227, 215, 209])
    );
    assert_eq!(
        row("Socialpsykiatri", "Boendestöd"),
        serde_json::json!([161, 149, 157])
    );
    assert_eq!(
        row("Socialpsykiatri", "Sysselsättning"),
        serde_json::json!([56, 58, 57])
    );
    let workers = v["workers"].as_array().expect("workers");
    assert!(!workers.is_empty());
    for w in workers {
        assert!(w["worker_id"].is_string() && w["name"].is_string() && w["open_cases"].is_u64());
    }

    let unit = run(bevaka()
        .args([
            "report",
            "caseload",
            "--format",
            "json",
            "--today",
            "2014-12-31",
        ])
        .args(["--unit", "BFN", "--snapshot"])
        .arg(&snap));
    let v: Value = serde_json::from_slice(&unit.stdout).expect("json");
    assert_eq!(v["open_cases"], 900, "{}", stderr(&unit));
}

#[test]
fn text_and_csv_reports() {
    let dir = tempfile::tempdir().expect("tempdir");
    let snap = demo_file(dir.path());
    let text = run(bevaka()
        .args(["report", "caseload", "--today", "2014-12-31", "--snapshot"])
        .arg(&snap));
    let t = stdout(&text);
    assert!(t.contains("Insats funktionsnedsättning"), "{t}");
    let hemtj = t
        .lines()
        .find(|l| l.starts_with("Hemtjänst "))
        .expect("line");
    let nums: Vec<&str> = hemtj.split_whitespace().skip(1).collect();
    assert_eq!(nums[..3], ["108", "118", "106"], "{hemtj}");

    let excel = run(bevaka()
        .args([
            "report",
            "caseload",
            "--format",
            "csv",
            "--today",
            "2014-12-31",
            "--snapshot",
        ])
        .arg(&snap));
    assert!(
        excel
            .stdout
            .starts_with("\u{feff}typ;område;kod;namn;2014-12-31".as_bytes())
    );
    assert!(stdout(&excel).contains("\r\n"));

    let plain = run(bevaka()
        .args([
            "report",
            "caseload",
            "--format",
            "csv",
            "--csv-plain",
            "--today",
            "2014-12-31",
        ])
        .arg("--snapshot")
        .arg(&snap));
    let body = stdout(&plain);
    assert!(
        body.starts_with("typ,område,kod,namn,2014-12-31,2013-12-31,2012-12-31,förändring\r\n")
    );
    let mut r = csv::Reader::from_reader(body.as_bytes());
    let hem = r
        .records()
        .map(|x| x.expect("record"))
        .find(|x| &x[0] == "insats" && &x[3] == "Hemtjänst")
        .expect("row");
    assert_eq!(
        (&hem[4], &hem[5], &hem[6], &hem[7]),
        ("108", "118", "106", "-10")
    );
}

#[test]
fn snapshot_check_reports_version_integrity_and_counts() {
    let dir = tempfile::tempdir().expect("tempdir");
    let snap = demo_file(dir.path());
    let o = run(bevaka().args(["snapshot", "check"]).arg(&snap));
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("schemaversion  2"), "{out}");
    assert!(out.contains("integritet     ok"), "{out}");
    assert!(
        out.lines().any(|l| l.trim_start().starts_with("cases")),
        "{out}"
    );
}

fn refused(path: &Path, expect: &str) {
    for args in [
        vec!["snapshot", "check"],
        vec!["report", "caseload", "--snapshot"],
    ] {
        let o = run(bevaka().args(&args).arg(path));
        assert!(!o.status.success(), "{args:?} accepted {}", path.display());
        let e = stderr(&o);
        assert!(e.contains(&path.display().to_string()), "{e}");
        assert!(e.contains(expect), "{args:?}: want {expect:?} in {e}");
        assert!(!e.contains("panicked"), "{e}");
        assert!(o.stdout.is_empty());
    }
}

#[test]
fn bad_snapshots_are_refused_clearly_and_left_untouched() {
    let dir = tempfile::tempdir().expect("tempdir");
    refused(&dir.path().join("missing.sqlite"), "filen finns inte");

    let empty = dir.path().join("empty.sqlite");
    std::fs::write(&empty, b"").expect("write");
    refused(&empty, "filen är tom");

    let text = dir.path().join("notes.sqlite");
    std::fs::write(&text, "unit_id,name\nU1,Enhet\n").expect("write");
    refused(&text, "ingen SQLite-databas");

    let other = dir.path().join("other.sqlite");
    rusqlite::Connection::open(&other)
        .and_then(|c| c.execute_batch("CREATE TABLE t (x); PRAGMA application_id = 42;"))
        .expect("db");
    refused(&other, "ingen bevaka-ögonblicksbild");

    let future = dir.path().join("future.sqlite");
    rusqlite::Connection::open(&future)
        .and_then(|c| {
            c.execute_batch(
                "CREATE TABLE t (x); PRAGMA application_id = 1112951617; PRAGMA user_version = 99;",
            )
        })
        .expect("db");
    let before = std::fs::read(&future).expect("read");
    refused(&future, "okänd schemaversion 99");
    assert_eq!(
        std::fs::read(&future).expect("read"),
        before,
        "reader changed the file"
    );
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        names
            .iter()
            .all(|n| !n.ends_with("-journal") && !n.ends_with("-wal") && !n.ends_with("-shm")),
        "reader left files: {names:?}"
    );
}

#[test]
fn failed_build_leaves_no_snapshot_and_the_old_one_unchanged() {
    let dir = tempfile::tempdir().expect("tempdir");
    let csv = dir.path().join("export");
    std::fs::create_dir(&csv).expect("dir");
    std::fs::write(csv.join("units.csv"), "unit_id,name\nU1,Enhet\n").expect("write");
    std::fs::write(
        csv.join("case_workers.csv"),
        "worker_id,name,unit_id\nH1,Anna,U1\n",
    )
    .expect("write");
    std::fs::write(
        csv.join("insats_types.csv"),
        "insats_code,name,area\nHT,Hemtjänst,Ä\n",
    )
    .expect("write");
    std::fs::write(
        csv.join("cases.csv"),
        "case_id,unit_id,opened\nC1,U1,2014-13-01\nC2,U9,2014-01-01\n",
    )
    .expect("write");

    let out = dir.path().join("new.sqlite");
    let o = run(bevaka()
        .args(["snapshot", "build", "--from"])
        .arg(&csv)
        .arg("--out")
        .arg(&out));
    assert!(!o.status.success());
    let e = stderr(&o);
    assert!(e.contains("cases.csv:2: opened: 2014-13-01:"), "{e}");
    assert!(e.contains("cases.csv:3: unit_id: U9:"), "{e}");
    assert!(!out.exists());

    let old = demo_file(dir.path());
    let before = std::fs::read(&old).expect("read");
    let o = run(bevaka()
        .args(["snapshot", "build", "--from"])
        .arg(&csv)
        .arg("--out")
        .arg(&old));
    assert!(!o.status.success());
    assert_eq!(std::fs::read(&old).expect("read"), before);
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");

    // Fixed, the same export builds and replaces the old snapshot.
    std::fs::write(
        csv.join("cases.csv"),
        "case_id,unit_id,opened\nC1,U1,2014-12-01\n",
    )
    .expect("write");
    let o = run(bevaka()
        .args(["snapshot", "build", "--from"])
        .arg(&csv)
        .arg("--out")
        .arg(&old));
    assert!(o.status.success(), "{}", stderr(&o));
    let o = run(bevaka().args(["snapshot", "check"]).arg(&old));
    assert!(
        stdout(&o)
            .lines()
            .any(|l| l.split_whitespace().collect::<Vec<_>>() == ["cases", "1"])
    );
}

#[test]
fn dashboard_without_a_terminal_points_to_report() {
    let o = run(bevaka().stdout(Stdio::piped()));
    assert_eq!(o.status.code(), Some(2));
    assert!(o.stdout.is_empty(), "no escape codes on stdout");
    assert!(stderr(&o).contains("bevaka report"), "{}", stderr(&o));
}

#[test]
fn config_errors_name_the_file_and_key() {
    let dir = tempfile::tempdir().expect("tempdir");
    let missing = dir.path().join("nope.toml");
    let o = run(bevaka()
        .args(["report", "caseload", "--config"])
        .arg(&missing));
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("konfigurationsfilen finns inte"),
        "{}",
        stderr(&o)
    );

    let bad = dir.path().join("bad.toml");
    std::fs::write(&bad, "[deadlines]\ngenomforandeplan_days = 400\n").expect("write");
    let o = run(bevaka()
        .args(["report", "caseload"])
        .env("BEVAKA_CONFIG", &bad));
    assert!(!o.status.success());
    let e = stderr(&o);
    assert!(
        e.contains("bad.toml") && e.contains("genomforandeplan_days = 400"),
        "{e}"
    );

    let good = dir.path().join("good.toml");
    let snap = demo_file(dir.path());
    std::fs::write(&good, "snapshot = \"demo.sqlite\"\nunit = \"BFN\"\n").expect("write");
    let o = run(bevaka()
        .args([
            "report",
            "caseload",
            "--format",
            "json",
            "--today",
            "2014-12-31",
            "--config",
        ])
        .arg(&good));
    assert!(o.status.success(), "{}", stderr(&o));
    let v: Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v["open_cases"], 900);
    assert!(snap.exists());
}

#[test]
fn bad_dates_on_the_command_line_are_errors() {
    let o = run(bevaka().args(["report", "caseload", "--today", "2014-02-30"]));
    assert!(!o.status.success());
    assert!(stderr(&o).contains("ogiltigt datum"), "{}", stderr(&o));
}

#[test]
fn unknown_worker_unit_and_team_are_errors_naming_the_nearest_known() {
    let dir = tempfile::tempdir().expect("tempdir");
    let snap = demo_file(dir.path());
    let config = dir.path().join("config.toml");
    std::fs::write(&config, "worker = \"H10\"\n").expect("config");
    let cases: [(&[&str], &str); 6] = [
        (
            &["report", "deadlines", "--worker", "H999"],
            "okänd handläggare \"H999\" (--worker) finns inte i ögonblicksbilden; närmast: H109",
        ),
        (
            &["report", "caseload", "--unit", "XYZ"],
            "okänd enhet \"XYZ\" (--unit) finns inte i ögonblicksbilden; närmast: BFN (Beställarenheten funktionsnedsättning)",
        ),
        (
            &["report", "processing-time", "--team", "Foo"],
            "okänd arbetsgrupp \"Foo\" (--team) finns inte i ögonblicksbilden",
        ),
        (
            &[
                "report",
                "ivo",
                "--unit",
                "EBA",
                "--team",
                "Socialpsykiatri",
            ],
            "okänd arbetsgrupp \"Socialpsykiatri\" (--team) finns inte i enhet EBA",
        ),
        (
            // A name where an id belongs: the nearest is that handläggare.
            &["report", "deadlines", "--worker", "Anna Ahlström"],
            "närmast: H102 (Anna Ahlström)",
        ),
        (&["report", "deadlines"], "(worker i "),
    ];
    for (args, want) in cases {
        let o = run(bevaka()
            .args(args)
            .arg("--snapshot")
            .arg(&snap)
            .arg("--config")
            .arg(if args.len() == 2 {
                &config
            } else {
                Path::new("/dev/null")
            }));
        assert!(!o.status.success(), "{args:?} must fail");
        assert_eq!(o.status.code(), Some(1), "{args:?}");
        assert!(stderr(&o).contains(want), "{args:?}: {}", stderr(&o));
        assert!(stdout(&o).is_empty(), "{args:?} printed a report");
    }
    // Known ones still work.
    let o = run(bevaka()
        .args([
            "report",
            "caseload",
            "--unit",
            "EBA",
            "--team",
            "Ordinärt boende",
        ])
        .arg("--snapshot")
        .arg(&snap));
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn config_prints_the_effective_configuration_with_its_sources() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        "worker = \"H101\"\n[deadlines]\nutredning_days = 5\n",
    )
    .expect("w");
    let o = run(bevaka()
        .args([
            "config",
            "--snapshot",
            "/srv/delad/bevaka.sqlite",
            "--config",
        ])
        .arg(&config));
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    let line = |key: &str| {
        out.lines()
            .find(|l| l.starts_with(key))
            .unwrap_or_else(|| panic!("{key} in {out}"))
            .to_string()
    };
    assert!(line("snapshot = \"/srv/delad/bevaka.sqlite\"").ends_with("# från --snapshot"));
    assert!(line("worker = \"H101\"").contains(&format!("# från {}", config.display())));
    assert!(line("utredning_days = 5").contains("# från"));
    assert!(line("genomforandeplan_days = 14").ends_with("# standard"));
    // It is a config file: read back, it gives the same.
    let again = dir.path().join("again.toml");
    std::fs::write(&again, &out).expect("write");
    let o2 = run(bevaka().args(["config", "--config"]).arg(&again));
    assert!(o2.status.success(), "{}", stderr(&o2));
    assert!(stdout(&o2).contains("snapshot = \"/srv/delad/bevaka.sqlite\""));
}

/// The long options a `--help` lists (the option lines, not their descriptions).
fn listed_options(help: &str) -> Vec<String> {
    let mut names: Vec<String> = help
        .lines()
        .filter(|line| line.len() - line.trim_start().len() <= 6)
        .filter_map(|line| {
            let line = line.trim_start();
            let line = line
                .strip_prefix("-h, ")
                .or(line.strip_prefix("-V, "))
                .unwrap_or(line);
            let name = line.strip_prefix("--")?;
            let end = name.find([' ', '\t', '=']).unwrap_or(name.len());
            Some(name[..end].to_string())
        })
        .collect();
    names.sort();
    names
}

#[test]
fn each_help_lists_exactly_the_options_its_command_uses() {
    let source = ["snapshot", "config", "today", "ascii"];
    let table = ["format", "csv-plain", "out"];
    let cases: &[(&[&str], Vec<&str>)] = &[
        (
            &[],
            vec![
                "snapshot", "config", "today", "worker", "unit", "team", "ascii", "version",
            ],
        ),
        (&["demo"], vec!["out", "as-of", "scale", "cities"]),
        (
            &["snapshot", "build"],
            vec!["from", "out", "split", "out-dir", "summary"],
        ),
        (&["snapshot", "split"], vec!["out-dir", "summary"]),
        (&["snapshot", "check"], vec![]),
        (
            &["config"],
            vec![
                "snapshot", "config", "worker", "unit", "team", "ascii", "default",
            ],
        ),
        (&["report"], vec![]),
        (
            &["report", "caseload"],
            [
                &source[..],
                &table[..],
                &["unit", "team", "monthly", "from", "to"],
            ]
            .concat(),
        ),
        (
            &["report", "deadlines"],
            [&source[..], &table[..], &["worker", "unit", "team"]].concat(),
        ),
        (
            &["report", "processing-time"],
            [
                &source[..],
                &table[..],
                &["worker", "unit", "team", "insats", "period"],
            ]
            .concat(),
        ),
        (
            &["report", "ivo"],
            [
                &source[..],
                &table[..],
                &["worker", "unit", "team", "quarter"],
            ]
            .concat(),
        ),
        (
            &["report", "indicators"],
            [&source[..], &table[..], &["unit", "year"]].concat(),
        ),
        (
            &["report", "cases"],
            [
                &source[..],
                &table[..],
                &["worker", "unit", "team", "insats", "date"],
            ]
            .concat(),
        ),
        (&["report", "case"], [&source[..], &["format"]].concat()),
    ];
    for (command, options) in cases {
        let o = run(bevaka().args(*command).arg("--help"));
        assert!(o.status.success(), "{command:?}: {}", stderr(&o));
        let help = stdout(&o);
        let mut want: Vec<String> = options.iter().map(|s| (*s).to_string()).collect();
        want.push("help".to_string());
        want.sort();
        assert_eq!(listed_options(&help), want, "{command:?} --help:\n{help}");
    }
}

#[test]
fn an_option_where_it_means_nothing_is_an_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let snap = demo_file(dir.path());
    let snap = snap.to_str().expect("utf-8 path");
    let out = dir.path().join("not-written.sqlite");
    let out = out.to_str().expect("utf-8 path");
    let cases: &[(&[&str], &str)] = &[
        (&["demo", "--out", out, "--worker", "H1"], "--worker"),
        (&["demo", "--out", out, "--today", "2014-12-31"], "--today"),
        (
            &["snapshot", "check", snap, "--snapshot", snap],
            "--snapshot",
        ),
        (
            &["report", "caseload", "--snapshot", snap, "--worker", "H1"],
            "--worker",
        ),
        (
            &["report", "indicators", "--snapshot", snap, "--team", "T"],
            "--team",
        ),
        (
            &["report", "case", "X", "--snapshot", snap, "--unit", "BFN"],
            "--unit",
        ),
        (
            &["report", "case", "X", "--snapshot", snap, "--csv-plain"],
            "--csv-plain",
        ),
        (&["config", "--today", "2014-12-31"], "--today"),
        // The dashboard's options belong to the dashboard, not before a subcommand.
        (&["--snapshot", snap, "report", "caseload"], "--snapshot"),
    ];
    for (args, option) in cases {
        let o = run(bevaka().args(*args));
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(o.stdout.is_empty(), "{args:?}: {}", stdout(&o));
        let e = stderr(&o);
        assert!(e.starts_with("error: "), "{args:?}: {e}");
        assert!(e.contains(option), "{args:?} names {option}: {e}");
    }
    assert!(!Path::new(out).exists(), "a refused demo writes nothing");

    // Where an option is used, it goes anywhere after the subcommand.
    let o = run(bevaka().args([
        "report",
        "deadlines",
        "--worker",
        "H101",
        "--today",
        "2014-12-31",
        "--format",
        "json",
        "--snapshot",
        snap,
    ]));
    assert!(o.status.success(), "{}", stderr(&o));
}

/// A table that is not STRICT can hold a value of any type where the contract says text:
/// the report says which column in Swedish, with no rusqlite text after it, and exits 1.
#[test]
fn a_value_of_the_wrong_type_is_named_in_swedish() {
    let dir = tempfile::tempdir().expect("tempdir");
    let snap = demo_file(dir.path());
    let conn = rusqlite::Connection::open(&snap).expect("open");
    conn.execute_batch(
        "PRAGMA foreign_keys = OFF;
         CREATE TABLE loose (case_id TEXT PRIMARY KEY NOT NULL, unit_id, team, worker_id,
                             client_label, opened, closed, sex);
         INSERT INTO loose SELECT * FROM cases;
         DROP TABLE cases;
         ALTER TABLE loose RENAME TO cases;
         UPDATE cases SET team = x'05'
          WHERE rowid = (SELECT max(rowid) FROM cases WHERE closed IS NULL);",
    )
    .expect("a loose cases table");
    drop(conn);
    let o = run(bevaka()
        .args(["report", "deadlines", "--today", "2014-12-31", "--snapshot"])
        .arg(&snap));
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(
        e.trim_end().ends_with(
            "kan inte läsa ögonblicksbilden: kolumnen team har binära data (blob), en annan typ än avtalets"
        ),
        "{e}"
    );
    assert!(stdout(&o).is_empty());
}

/// A workbook's sheets are written through temporary files: where `TMPDIR` cannot hold
/// one, the report says so in Swedish, exits 1 and leaves no file.
#[test]
fn a_workbook_without_a_temporary_directory_is_refused_leaving_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let snap = demo_file(dir.path());
    let out = dir.path().join("ärenden.xlsx");
    let o = run(bevaka()
        .env("TMPDIR", dir.path().join("finns-inte"))
        .args([
            "report",
            "cases",
            "--today",
            "2014-12-31",
            "--format",
            "xlsx",
        ])
        .arg("--snapshot")
        .arg(&snap)
        .arg("--out")
        .arg(&out));
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(
        e.contains("ärenden.xlsx")
            && e.contains("ingen tillfällig fil i")
            && e.contains("(TMPDIR): mappen finns inte"),
        "{e}"
    );
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .expect("dir")
        .filter_map(Result::ok)
        .map(|e| e.file_name())
        .filter(|n| n != "demo.sqlite")
        .collect();
    assert!(left.is_empty(), "{left:?}");
}
