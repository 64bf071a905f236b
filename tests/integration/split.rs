//! `bevaka snapshot split` and `snapshot build --split unit` (issue 15: each person sees only
//! what they may): the unit files together are the whole, each passes the check, each
//! gives its unit's reports as the whole does, and the summary has the figures without
//! the people.
//!
//! The whole is the unit demo with what the demo lacks added: a unit without cases, city
//! goals (no unit) above the units' goals, a goal and an indicator that belong to no unit,
//! an indicator of one unit on another unit's goal, and a case whose handläggare is of
//! another unit.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::OnceLock;

use bevaka::model::{Dataset, Direction, Goal, GoalLevel, Indicator, IndicatorValue, Unit};
use chrono::NaiveDate;
use rusqlite::Connection;
use rusqlite::types::Value;
use serde_json::Value as Json;

use crate::support::bevaka;

const TODAY: &str = "2014-12-31";
const UNITS: [&str; 3] = ["BFN", "EBA", "STAB"];

fn run(args: &[&str]) -> Output {
    bevaka().args(args).output().expect("bevaka runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn text(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

fn goal(id: &str, parent: Option<&str>, unit: Option<&str>, level: GoalLevel) -> Goal {
    Goal {
        goal_id: id.into(),
        parent_id: parent.map(Into::into),
        unit_id: unit.map(Into::into),
        level,
        code: None,
        title: format!("Mål {id}"),
        assessment: None,
        start: None,
        end: None,
        comment: None,
    }
}

fn indicator(id: &str, goal: Option<&str>, unit: Option<&str>) -> Indicator {
    Indicator {
        indicator_id: id.into(),
        goal_id: goal.map(Into::into),
        unit_id: unit.map(Into::into),
        name: format!("Indikator {id}"),
        year: 2014,
        measure: Some("%".into()),
        direction: Direction::Higher,
        periodicity: Some("År".into()),
        target: Some(80.0),
        target_text: None,
        city_target: None,
        city_target_text: None,
        tolerance: None,
    }
}

fn value(id: &str, value: f64) -> IndicatorValue {
    IndicatorValue {
        indicator_id: id.into(),
        period: "2014".into(),
        value,
        comment: None,
    }
}

/// The unit demo on 2014-12-31 with the rows the split's rules tell apart (see the module
/// documentation).
fn whole_data() -> Dataset {
    let mut data = bevaka::demo::build(NaiveDate::from_ymd_opt(2014, 12, 31).expect("date"));
    data.units.push(Unit {
        unit_id: "STAB".into(),
        name: "Stadsdelsförvaltningens stab".into(),
        district: Some("Södermalm".into()),
        area: None,
    });
    // KF:s inriktningsmål above every top goal of the units.
    for g in data.goals.iter_mut().filter(|g| g.parent_id.is_none()) {
        g.parent_id = Some("KF-1".into());
    }
    let bfn_goal = data
        .goals
        .iter()
        .find(|g| g.unit_id.as_deref() == Some("BFN"))
        .map(|g| g.goal_id.clone())
        .expect("a BFN goal");
    data.goals.extend([
        goal("KF-1", None, None, GoalLevel::Inriktningsmal),
        goal("KF-2", None, None, GoalLevel::Inriktningsmal),
        goal("STAB-G1", Some("KF-1"), Some("STAB"), GoalLevel::Namndmal),
    ]);
    data.indicators.extend([
        indicator("KF-I1", Some("KF-2"), None),
        indicator("KF-I2", None, None),
        indicator("STAB-I1", Some("STAB-G1"), None),
        indicator("EBA-X1", Some(&bfn_goal), Some("EBA")),
    ]);
    data.indicator_values.extend([
        value("KF-I1", 81.0),
        value("KF-I2", 79.5),
        value("STAB-I1", 90.0),
        value("EBA-X1", 60.0),
    ]);
    // A BFN case with a handläggare of EBA.
    let eba_worker = data
        .case_workers
        .iter()
        .find(|w| w.unit_id == "EBA")
        .map(|w| w.worker_id.clone())
        .expect("an EBA handläggare");
    let case = data
        .cases
        .iter_mut()
        .find(|c| c.unit_id == "BFN")
        .expect("a BFN case");
    case.worker_id = Some(eba_worker);
    data
}

struct Fixture {
    _dir: tempfile::TempDir,
    whole: PathBuf,
    out: PathBuf,
    /// What `snapshot split` printed.
    printed: String,
}

/// The whole file and its split with the summary, made once for the tests that read them.
fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let dir = tempfile::tempdir().expect("tempdir");
        let whole = dir.path().join("hela.sqlite");
        bevaka::snapshot::write_snapshot(&whole, &whole_data()).expect("write the whole");
        let out = dir.path().join("enheter");
        std::fs::create_dir(&out).expect("out dir");
        let o = run(&[
            "snapshot",
            "split",
            text(&whole),
            "--out-dir",
            text(&out),
            "--summary",
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        Fixture {
            _dir: dir,
            whole,
            out,
            printed: stdout(&o),
        }
    })
}

fn unit_file(out: &Path, unit: &str) -> PathBuf {
    out.join(format!("{unit}.sqlite"))
}

/// Every row of `table` (the columns `columns`, else all), as values.
fn rows_of(path: &Path, table: &str, columns: Option<&[String]>) -> Vec<Vec<Value>> {
    let conn = Connection::open(path).expect("open");
    let list = columns.map_or_else(|| "*".to_string(), |c| c.join(", "));
    let mut st = conn
        .prepare(&format!("SELECT {list} FROM {table}"))
        .expect("prepare");
    let n = st.column_count();
    st.query_map([], |r| (0..n).map(|i| r.get::<_, Value>(i)).collect())
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows")
}

fn columns_of(path: &Path, table: &str) -> Vec<String> {
    let conn = Connection::open(path).expect("open");
    let mut st = conn
        .prepare(&format!("SELECT name FROM pragma_table_info('{table}')"))
        .expect("prepare");
    st.query_map([], |r| r.get(0))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("names")
}

/// A row as text that tells every value apart (type included).
fn key(row: &[Value]) -> String {
    format!("{row:?}")
}

/// Asserts that the rows of the unit files, table by table, are the rows of `whole` (as a
/// set: a row in several files counts once), with the columns of `whole`.
fn assert_union_is_whole(whole: &Path, files: &[PathBuf], tables: &[&str]) {
    for table in tables {
        let columns = columns_of(whole, table);
        let want: BTreeSet<String> = rows_of(whole, table, Some(&columns))
            .iter()
            .map(|r| key(r))
            .collect();
        let mut got = BTreeSet::new();
        for f in files {
            got.extend(rows_of(f, table, Some(&columns)).iter().map(|r| key(r)));
        }
        assert_eq!(
            got.len(),
            want.len(),
            "{table}: {} rows in the unit files, {} in the whole",
            got.len(),
            want.len()
        );
        assert!(
            got == want,
            "{table}: the unit files' rows are not the whole's"
        );
    }
}

#[test]
fn a_file_per_unit_in_unit_order_each_line_naming_its_cases() {
    let f = fixture();
    let count = |unit: &str| {
        rows_of(&f.whole, "cases", Some(&["unit_id".into()]))
            .iter()
            .filter(|r| r[0] == Value::Text(unit.into()))
            .count()
    };
    let grouped = |n: usize| bevaka::snapshot::split::grouped(n);
    let expected: String = UNITS
        .iter()
        .map(|u| {
            let n = count(u);
            let noun = if n == 1 { "ärende" } else { "ärenden" };
            format!(
                "Skrev {} ({} {noun})\n",
                unit_file(&f.out, u).display(),
                grouped(n)
            )
        })
        .chain(std::iter::once(format!(
            "Skrev {} (sammanfattning, pseudonymiserad: {} ärenden)\n",
            f.out.join("sammanfattning.sqlite").display(),
            grouped(UNITS.iter().map(|u| count(u)).sum())
        )))
        .collect();
    assert_eq!(f.printed, expected);
    assert!(f.printed.contains("(1 664 ärenden)"), "{}", f.printed);
    let mut names: Vec<String> = std::fs::read_dir(&f.out)
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "BFN.sqlite",
            "EBA.sqlite",
            "STAB.sqlite",
            "sammanfattning.sqlite"
        ],
        "no lock or temporary file is left"
    );
}

#[test]
fn the_unit_files_together_are_the_whole_and_the_people_are_in_one_each() {
    let f = fixture();
    let files: Vec<PathBuf> = UNITS.iter().map(|u| unit_file(&f.out, u)).collect();
    assert_union_is_whole(&f.whole, &files, &bevaka::model::TABLES);
    // A unit's file has only its own people: every case is the unit's, and the person
    // rows of all files add up to the whole's (none is in two files).
    for (unit, file) in UNITS.iter().zip(&files) {
        for r in rows_of(file, "cases", Some(&["unit_id".into()])) {
            assert_eq!(r[0], Value::Text((*unit).into()), "{unit}'s file");
        }
    }
    for table in [
        "cases",
        "applications",
        "interventions",
        "interruptions",
        "followups",
    ] {
        let parts: usize = files.iter().map(|f| rows_of(f, table, None).len()).sum();
        assert_eq!(parts, rows_of(&f.whole, table, None).len(), "{table}");
    }
    // What belongs to no unit is in every file; the unit without cases has its plan.
    let ids = |file: &Path, table: &str| -> BTreeSet<String> {
        let column = if table == "goals" {
            "goal_id"
        } else {
            "indicator_id"
        };
        rows_of(file, table, Some(&[column.into()]))
            .into_iter()
            .map(|r| match &r[0] {
                Value::Text(t) => t.clone(),
                v => panic!("{v:?}"),
            })
            .collect()
    };
    for file in &files {
        for g in ["KF-1", "KF-2"] {
            assert!(ids(file, "goals").contains(g), "{} has {g}", file.display());
        }
        for i in ["KF-I1", "KF-I2"] {
            assert!(ids(file, "indicators").contains(i), "{}", file.display());
        }
    }
    let stab = unit_file(&f.out, "STAB");
    assert!(ids(&stab, "goals").contains("STAB-G1"));
    assert!(ids(&stab, "indicators").contains("STAB-I1"));
    assert!(rows_of(&stab, "cases", None).is_empty());
    // EBA's indicator on a BFN goal is EBA's, with the goal; BFN's file does not have it.
    assert!(ids(&unit_file(&f.out, "EBA"), "indicators").contains("EBA-X1"));
    assert!(!ids(&unit_file(&f.out, "BFN"), "indicators").contains("EBA-X1"));
}

#[test]
fn every_file_written_passes_snapshot_check() {
    let f = fixture();
    for name in UNITS
        .iter()
        .map(|u| format!("{u}.sqlite"))
        .chain(["sammanfattning.sqlite".to_string()])
    {
        let path = f.out.join(&name);
        let o = run(&["snapshot", "check", text(&path)]);
        assert!(o.status.success(), "{name}: {}", stderr(&o));
        assert!(stdout(&o).contains("referenser     ok"), "{name}");
    }
}

fn report_json(file: &Path, report: &str, unit: Option<&str>) -> Json {
    let mut args = vec![
        "report",
        report,
        "--snapshot",
        text(file),
        "--today",
        TODAY,
        "--format",
        "json",
    ];
    if let Some(u) = unit {
        args.extend(["--unit", u]);
    }
    let o = run(&args);
    assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    serde_json::from_str(&stdout(&o)).expect("json")
}

const REPORTS: [&str; 5] = [
    "caseload",
    "deadlines",
    "processing-time",
    "ivo",
    "indicators",
];

#[test]
fn each_units_reports_are_the_same_from_its_file_as_from_the_whole() {
    let f = fixture();
    // The indicators too: the goals and indicators that belong to no unit are in every
    // file, and a unit's view leaves them out of both alike (they are not the unit's); the
    // city goals above the unit's goals are in its file, and in its view of both.
    for unit in UNITS {
        let file = unit_file(&f.out, unit);
        for report in REPORTS {
            assert_eq!(
                report_json(&file, report, Some(unit)),
                report_json(&f.whole, report, Some(unit)),
                "{report} --unit {unit}"
            );
        }
    }
}

/// The keys whose values name or describe a person, or are pseudonymised in the summary.
const PERSONAL_KEYS: [&str; 11] = [
    "case_id",
    "application_id",
    "intervention_id",
    "interruption_id",
    "followup_id",
    "source_id",
    "client_label",
    "delay_reason",
    "reason",
    "note",
    "provider",
];

/// `json` with the values of [`PERSONAL_KEYS`] blanked and every list sorted: what must be
/// the same in the summary's report as in the whole's (the pseudonyms can order a list of
/// equal items otherwise).
fn figures(json: &Json) -> Json {
    match json {
        Json::Object(map) => Json::Object(
            map.iter()
                .map(|(k, v)| {
                    let v = if PERSONAL_KEYS.contains(&k.as_str()) {
                        Json::Null
                    } else {
                        figures(v)
                    };
                    (k.clone(), v)
                })
                .collect(),
        ),
        Json::Array(items) => {
            let mut items: Vec<Json> = items.iter().map(figures).collect();
            items.sort_by_key(|i| i.to_string());
            Json::Array(items)
        }
        other => other.clone(),
    }
}

#[test]
fn the_summary_gives_the_wholes_figures() {
    let f = fixture();
    let summary = f.out.join("sammanfattning.sqlite");
    for report in REPORTS {
        let (whole, part) = (
            report_json(&f.whole, report, None),
            report_json(&summary, report, None),
        );
        assert_eq!(figures(&part), figures(&whole), "{report}");
    }
    // The counts outright: the caseload, the review's decisions, the IVO report's rows by
    // status and the bevakningslista's items by status.
    let caseload = report_json(&summary, "caseload", None);
    assert_eq!(
        caseload["rows"],
        report_json(&f.whole, "caseload", None)["rows"]
    );
    let statuses = |j: &Json, list: &str| -> BTreeMap<String, usize> {
        let mut out = BTreeMap::new();
        for item in j[list].as_array().expect(list) {
            *out.entry(item["status"].to_string()).or_default() += 1;
        }
        out
    };
    for (report, list) in [("ivo", "rows"), ("deadlines", "items")] {
        let (w, s) = (
            report_json(&f.whole, report, None),
            report_json(&summary, report, None),
        );
        assert!(!statuses(&w, list).is_empty(), "{report}");
        assert_eq!(statuses(&s, list), statuses(&w, list), "{report}");
    }
}

/// The whole's values of `column` in `table`, as text, without NULLs.
fn texts(path: &Path, table: &str, column: &str) -> BTreeSet<String> {
    rows_of(path, table, Some(&[column.into()]))
        .into_iter()
        .filter_map(|r| match &r[0] {
            Value::Text(t) => Some(t.clone()),
            _ => None,
        })
        .collect()
}

/// The needles of `needles` that occur in `haystack`: each position's first eight bytes
/// looked up, so that thousands of needles take one pass.
fn found_in<'n>(haystack: &[u8], needles: &'n BTreeSet<String>) -> Vec<&'n str> {
    const K: usize = 8;
    let mut by_prefix: HashMap<&[u8], Vec<&str>> = HashMap::new();
    for n in needles {
        assert!(n.len() >= K, "{n:?} is too short to look for");
        by_prefix.entry(&n.as_bytes()[..K]).or_default().push(n);
    }
    let mut found = BTreeSet::new();
    for at in 0..haystack.len().saturating_sub(K - 1) {
        if let Some(candidates) = by_prefix.get(&haystack[at..at + K]) {
            for n in candidates {
                if haystack[at..].starts_with(n.as_bytes()) {
                    found.insert(*n);
                }
            }
        }
    }
    found.into_iter().collect()
}

#[test]
fn the_summary_holds_none_of_the_peoples_ids_labels_or_notes() {
    let f = fixture();
    let summary = f.out.join("sammanfattning.sqlite");
    let case_ids = texts(&f.whole, "cases", "case_id");
    let labels = texts(&f.whole, "cases", "client_label");
    let notes = texts(&f.whole, "followups", "note");
    let reasons: BTreeSet<String> = texts(&f.whole, "interruptions", "reason")
        .into_iter()
        .chain(texts(&f.whole, "interventions", "delay_reason"))
        .collect();
    assert!(case_ids.len() > 3000 && labels.len() > 1000 && !notes.is_empty());
    assert!(!reasons.is_empty());

    // In the tables: no id, label or note of the whole, and the pseudonyms in case order.
    let pseudonyms = texts(&summary, "cases", "case_id");
    assert!(pseudonyms.is_disjoint(&case_ids));
    assert_eq!(pseudonyms.len(), case_ids.len());
    assert!(pseudonyms.contains("S000001"));
    for (table, column) in [
        ("cases", "client_label"),
        ("followups", "note"),
        ("interruptions", "reason"),
        ("interventions", "delay_reason"),
        ("interventions", "provider"),
    ] {
        assert!(
            texts(&summary, table, column).is_empty(),
            "{table}.{column} is left out"
        );
    }
    for (table, column) in [
        ("applications", "application_id"),
        ("interventions", "intervention_id"),
        ("interruptions", "interruption_id"),
        ("followups", "followup_id"),
    ] {
        assert!(
            texts(&summary, table, column).is_disjoint(&texts(&f.whole, table, column)),
            "{table}.{column}"
        );
    }

    // In the file's bytes: none of them anywhere (free pages, indexes, statistics).
    let bytes = std::fs::read(&summary).expect("read the summary");
    for (what, needles) in [
        ("case_id", &case_ids),
        ("client_label", &labels),
        ("note", &notes),
        ("reason", &reasons),
    ] {
        let found = found_in(&bytes, needles);
        assert!(found.is_empty(), "{what} in the summary's bytes: {found:?}");
    }
    // The search finds what is there.
    let whole = std::fs::read(&f.whole).expect("read the whole");
    assert_eq!(found_in(&whole, &case_ids).len(), case_ids.len());

    // And as the sqlite3 shell sees the file, where it is installed.
    let Ok(o) = std::process::Command::new("sqlite3")
        .args([
            "-readonly",
            text(&summary),
            "SELECT count(*) FROM cases WHERE client_label IS NOT NULL OR case_id NOT GLOB 'S[0-9][0-9][0-9][0-9][0-9][0-9]*';
             SELECT count(*) FROM followups WHERE note IS NOT NULL;
             SELECT count(*) FROM interruptions WHERE reason IS NOT NULL;
             SELECT case_id FROM cases UNION ALL SELECT client_label FROM cases;",
        ])
        .output()
    else {
        eprintln!("no sqlite3 shell: its look at the summary is skipped");
        return;
    };
    assert!(o.status.success(), "sqlite3: {}", stderr(&o));
    let out = stdout(&o);
    let mut lines = out.lines();
    assert_eq!(lines.by_ref().take(3).collect::<Vec<_>>(), ["0", "0", "0"]);
    for line in lines {
        assert!(
            !case_ids.contains(line) && !labels.contains(line),
            "{line} in the summary"
        );
    }
}

#[test]
fn a_version_1_file_splits_and_its_units_give_the_same_reports() {
    let f = fixture();
    let dir = tempfile::tempdir().expect("tempdir");
    let v1 = dir.path().join("v1.sqlite");
    crate::quarterly::as_version_1(&f.whole, &v1);
    let out = dir.path().join("ut");
    std::fs::create_dir(&out).expect("out dir");
    let o = run(&["snapshot", "split", text(&v1), "--out-dir", text(&out)]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o).lines().count(), UNITS.len(), "{}", stdout(&o));
    let files: Vec<PathBuf> = UNITS.iter().map(|u| unit_file(&out, u)).collect();
    // Version 1's columns and tables, row for row; the files are version 2, its new
    // columns empty.
    let v1_tables: Vec<&str> = bevaka::model::TABLES
        .into_iter()
        .filter(|t| *t != "interruptions")
        .collect();
    assert_union_is_whole(&v1, &files, &v1_tables);
    for file in &files {
        let o = run(&["snapshot", "check", text(file)]);
        assert!(o.status.success(), "{}", stderr(&o));
        assert!(stdout(&o).contains("schemaversion  2"));
        assert!(rows_of(file, "interruptions", None).is_empty());
    }
    for report in ["caseload", "ivo"] {
        assert_eq!(
            report_json(&files[0], report, Some(UNITS[0])),
            report_json(&v1, report, Some(UNITS[0])),
            "{report}"
        );
    }
}

#[test]
fn build_split_unit_writes_the_imports_units() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("ut");
    std::fs::create_dir(&out).expect("out dir");
    let from = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/csv/valid_comma"
    );
    let o = run(&[
        "snapshot",
        "build",
        "--from",
        from,
        "--split",
        "unit",
        "--out-dir",
        text(&out),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        format!(
            "Skrev {} (2 ärenden)\nSkrev {} (2 ärenden)\n",
            unit_file(&out, "U1").display(),
            unit_file(&out, "U2").display()
        )
    );
    // The same rows as the import written whole.
    let whole = dir.path().join("hela.sqlite");
    let o = run(&["snapshot", "build", "--from", from, "--out", text(&whole)]);
    assert!(o.status.success(), "{}", stderr(&o));
    let files = [unit_file(&out, "U1"), unit_file(&out, "U2")];
    assert_union_is_whole(&whole, &files, &bevaka::model::TABLES);
    // The city goals G1 and G2 belong to no unit: U2, which has no goals, has them too;
    // K4, U2's indicator without a goal, is U2's alone.
    let u2 = texts(&files[1], "goals", "goal_id");
    assert_eq!(u2, ["G1", "G2"].map(String::from).into());
    let u2 = texts(&files[1], "indicators", "indicator_id");
    assert_eq!(u2, ["K4"].map(String::from).into());
    assert!(!texts(&files[0], "indicators", "indicator_id").contains("K4"));
}

/// The entries of `dir`.
fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn wrong_options_and_bad_unit_ids_are_refused_and_nothing_is_written() {
    let f = fixture();
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("ut");
    std::fs::create_dir(&out).expect("out dir");
    let file = dir.path().join("fil.sqlite");
    let from = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/csv/valid_comma"
    );
    let (o_dir, o_file) = (text(&out), text(&file));
    // Usage errors, from clap (as every usage error of bevaka): they name the options.
    let cases: &[(&[&str], &[&str])] = &[
        (
            &["snapshot", "build", "--from", from, "--split", "unit"],
            &["--out-dir"],
        ),
        (
            &[
                "snapshot",
                "build",
                "--from",
                from,
                "--out",
                o_file,
                "--out-dir",
                o_dir,
            ],
            &["--out", "--out-dir"],
        ),
        (
            &[
                "snapshot",
                "build",
                "--from",
                from,
                "--split",
                "unit",
                "--out-dir",
                o_dir,
                "--out",
                o_file,
            ],
            &["--split", "--out"],
        ),
        (
            &[
                "snapshot",
                "build",
                "--from",
                from,
                "--out",
                o_file,
                "--summary",
            ],
            &["--out", "--summary"],
        ),
        (
            &["snapshot", "build", "--from", from],
            &["--out", "--split"],
        ),
        (
            &[
                "snapshot",
                "build",
                "--from",
                from,
                "--split",
                "team",
                "--out-dir",
                o_dir,
            ],
            &["--split", "team"],
        ),
        (&["snapshot", "split", text(&f.whole)], &["--out-dir"]),
    ];
    for (args, names) in cases {
        let o = run(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        let e = stderr(&o);
        for name in *names {
            assert!(e.contains(name), "{args:?} names {name}: {e}");
        }
        assert!(o.stdout.is_empty());
    }

    // A directory that is not there is named (not made: it is where the access is set).
    let missing = dir.path().join("saknas");
    let o = run(&[
        "snapshot",
        "split",
        text(&f.whole),
        "--out-dir",
        text(&missing),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stderr(&o),
        format!(
            "bevaka: {}: katalogen finns inte; skapa den först\n",
            missing.display()
        )
    );
    assert!(!missing.exists());

    // A unit id that cannot be a file name, from a snapshot and from an import.
    for bad in [
        "../ut",
        "a/b",
        "",
        ".dold",
        "sammanfattning",
        "rad\nbrytning",
    ] {
        let mut data = bevaka::demo::build(NaiveDate::from_ymd_opt(2014, 12, 31).expect("date"));
        data.units[1].unit_id = bad.into();
        for c in data.cases.iter_mut().filter(|c| c.unit_id == "EBA") {
            c.unit_id = bad.into();
        }
        for w in data.case_workers.iter_mut().filter(|w| w.unit_id == "EBA") {
            w.unit_id = bad.into();
        }
        for g in data
            .goals
            .iter_mut()
            .filter(|g| g.unit_id.as_deref() == Some("EBA"))
        {
            g.unit_id = Some(bad.into());
        }
        for i in data
            .indicators
            .iter_mut()
            .filter(|i| i.unit_id.as_deref() == Some("EBA"))
        {
            i.unit_id = Some(bad.into());
        }
        bevaka::snapshot::write_snapshot(&file, &data).expect("write");
        let o = run(&["snapshot", "split", o_file, "--out-dir", o_dir, "--summary"]);
        assert_eq!(o.status.code(), Some(1), "{bad:?}");
        let e = stderr(&o);
        assert!(
            e.starts_with(&format!(
                "bevaka: enhet {bad:?}: unit_id kan inte bli ett filnamn ("
            )),
            "{e}"
        );
        assert!(e.contains("inga filer skrevs"), "{e}");
        assert!(o.stdout.is_empty());
        assert!(listing(&out).is_empty(), "{bad:?}: {:?}", listing(&out));
    }
    let csv = dir.path().join("csv");
    std::fs::create_dir(&csv).expect("csv dir");
    for entry in std::fs::read_dir(from).expect("fixture") {
        let entry = entry.expect("entry");
        let content = std::fs::read_to_string(entry.path()).expect("read");
        std::fs::write(csv.join(entry.file_name()), content.replace("U2", "U/2")).expect("write");
    }
    let o = run(&[
        "snapshot",
        "build",
        "--from",
        text(&csv),
        "--split",
        "unit",
        "--out-dir",
        o_dir,
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o)
            .starts_with("bevaka: enhet \"U/2\": unit_id kan inte bli ett filnamn (innehåller /)"),
        "{}",
        stderr(&o)
    );
    assert!(listing(&out).is_empty(), "{:?}", listing(&out));
}

#[test]
fn a_file_of_a_unit_no_longer_there_is_named() {
    let f = fixture();
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("NEDLAGD.sqlite"), "gammal").expect("old file");
    let o = run(&[
        "snapshot",
        "split",
        text(&f.whole),
        "--out-dir",
        text(dir.path()),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        stderr(&o),
        format!(
            "Obs: {} skrevs inte av den här delningen och kan vara inaktuell\n",
            dir.path().join("NEDLAGD.sqlite").display()
        )
    );
}
