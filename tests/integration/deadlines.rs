//! The bevakningslista against DOMAIN.md's rules computed straight from the rows, on the
//! demo and on random exports; its report; and its screens.

use std::collections::{BTreeSet, HashMap};
use std::time::{Duration, SystemTime};

use bevaka::config::{Config, DeadlineRules};
use bevaka::domain::dates::parse_iso;
use bevaka::domain::deadlines;
use bevaka::model::Dataset;
use bevaka::snapshot::queries::Filter;
use bevaka::tui::app::{App, View};
use bevaka::tui::keymap::Action;
use bevaka::tui::theme::Theme;
use chrono::{Months, NaiveDate};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use crate::caseload::memory_snapshot;

fn d(s: &str) -> NaiveDate {
    parse_iso(s).expect("date")
}

/// (kind, case, source, due, days_left, status, worker) as DOMAIN.md defines them, written
/// independently of the production code: one pass per rule, plain date arithmetic.
type Expected = (
    String,
    String,
    String,
    NaiveDate,
    i64,
    String,
    Option<String>,
);

fn status(days_left: i64) -> &'static str {
    if days_left < 0 {
        "forsenad"
    } else if days_left == 0 {
        "idag"
    } else if days_left <= 7 {
        "vecka"
    } else if days_left <= 30 {
        "kommande"
    } else {
        "senare"
    }
}

fn oracle(data: &Dataset, rules: &DeadlineRules, today: NaiveDate) -> BTreeSet<Expected> {
    let open: HashMap<&str, Option<&String>> = data
        .cases
        .iter()
        .filter(|c| c.opened <= today && c.closed.is_none_or(|x| x > today))
        .map(|c| (c.case_id.as_str(), c.worker_id.as_ref()))
        .collect();
    let target: HashMap<&str, Option<i64>> = data
        .insats_types
        .iter()
        .map(|t| (t.insats_code.as_str(), t.target_days))
        .collect();
    let mut out = BTreeSet::new();
    let mut add = |kind: &str, case: &str, src: &str, due: NaiveDate, own: Option<&String>| {
        let Some(case_worker) = open.get(case) else {
            return;
        };
        let left = (due - today).num_days();
        out.insert((
            kind.to_string(),
            case.to_string(),
            src.to_string(),
            due,
            left,
            status(left).to_string(),
            own.or(*case_worker).cloned(),
        ));
    };
    for a in &data.applications {
        if a.decided.is_none() && a.investigation_started.is_none() {
            let due = a.received + chrono::Duration::days(i64::from(rules.utredning_days));
            add(
                "utredning",
                &a.case_id,
                &a.application_id,
                due,
                a.worker_id.as_ref(),
            );
        }
        if a.decided.is_none()
            && let Some(Some(t)) = target.get(a.insats_code.as_str())
        {
            let due = a.received + chrono::Duration::days(*t);
            add(
                "beslut",
                &a.case_id,
                &a.application_id,
                due,
                a.worker_id.as_ref(),
            );
        }
    }
    for i in &data.interventions {
        let active = i.start.is_some_and(|s| s <= today) && i.end.is_none_or(|e| e >= today);
        let not_ended = i.end.is_none_or(|e| e >= today);
        if let (Some(o), None) = (i.ordered, i.plan_received)
            && not_ended
        {
            let due = o + chrono::Duration::days(i64::from(rules.genomforandeplan_days));
            add(
                "genomforandeplan",
                &i.case_id,
                &i.intervention_id,
                due,
                None,
            );
        }
        if active {
            let basis = [i.last_followup, i.decided]
                .into_iter()
                .flatten()
                .max()
                .or(i.start);
            if let Some(b) = basis {
                let due = b
                    .checked_add_months(Months::new(rules.uppfoljning_months))
                    .expect("date");
                add("uppfoljning", &i.case_id, &i.intervention_id, due, None);
            }
            if let Some(e) = i.end {
                add("omprovning", &i.case_id, &i.intervention_id, e, None);
            }
        }
        // DOMAIN.md version 2: waits until started, ended or closed (closed: not open).
        if let Some(dec) = i.decided
            && i.start.is_none_or(|s| s > today)
            && i.end.is_none_or(|e| e > today)
        {
            let due = dec
                .checked_add_months(Months::new(rules.verkstallighet_months))
                .expect("date");
            add("verkstallighet", &i.case_id, &i.intervention_id, due, None);
        }
    }
    for f in &data.followups {
        if f.done.is_none() {
            add(
                "bevakning",
                &f.case_id,
                &f.followup_id,
                f.due,
                f.worker_id.as_ref(),
            );
        }
    }
    out
}

fn derived(data: &Dataset, rules: &DeadlineRules, today: NaiveDate) -> BTreeSet<Expected> {
    let snap = memory_snapshot(data);
    loaded(&snap, &Filter::default(), rules, today)
}

/// The items `deadlines::load` gives for `filter`, as the oracle writes them.
fn loaded(
    snap: &bevaka::snapshot::Snapshot,
    filter: &Filter,
    rules: &DeadlineRules,
    today: NaiveDate,
) -> BTreeSet<Expected> {
    let dl = deadlines::load(snap.conn(), filter, rules, today).expect("load");
    // Overdue first, then by due date.
    assert!(
        dl.items()
            .collect::<Vec<_>>()
            .windows(2)
            .all(|w| w[0].due <= w[1].due),
        "sorted by due"
    );
    dl.items()
        .map(|i| {
            (
                i.kind.as_str().to_string(),
                i.case_id.to_string(),
                i.source_id.to_string(),
                i.due,
                i.days_left,
                i.status.as_str().to_string(),
                i.worker_id.as_deref().map(str::to_string),
            )
        })
        .collect()
}

fn assert_same(data: &Dataset, rules: &DeadlineRules, today: NaiveDate, what: &str) {
    let want = oracle(data, rules, today);
    let got = derived(data, rules, today);
    let missing: Vec<_> = want.difference(&got).take(5).collect();
    let extra: Vec<_> = got.difference(&want).take(5).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "{what} on {today}: missing {missing:?}, extra {extra:?}"
    );
}

#[test]
fn demo_items_equal_the_rules() {
    let data = bevaka::demo::build(d("2014-12-31"));
    let rules = DeadlineRules::default();
    assert_same(&data, &rules, d("2014-12-31"), "demo");
    assert_same(&data, &rules, d("2014-06-30"), "demo, half a year back");
    let items = oracle(&data, &rules, d("2014-12-31"));
    for kind in [
        "utredning",
        "beslut",
        "genomforandeplan",
        "uppfoljning",
        "verkstallighet",
        "bevakning",
    ] {
        assert!(
            items.iter().any(|i| i.0 == kind),
            "the demo has no {kind} item"
        );
    }
    assert!(
        items.iter().any(|i| i.5 == "forsenad"),
        "the demo has no overdue item"
    );
}

/// A unit or team filter keeps exactly the items of the filter's cases (the filtered
/// queries go through the indexes, the unfiltered through scans).
#[test]
fn filtered_loads_are_the_rules_items_of_the_filters_cases() {
    let data = bevaka::demo::build(d("2014-12-31"));
    let snap = memory_snapshot(&data);
    let rules = DeadlineRules::default();
    let mut filters: Vec<Filter> = data
        .units
        .iter()
        .map(|u| Filter {
            unit_id: Some(u.unit_id.clone()),
            team: None,
        })
        .collect();
    let teams: BTreeSet<(&str, &str)> = data
        .cases
        .iter()
        .filter_map(|c| Some((c.unit_id.as_str(), c.team.as_deref()?)))
        .collect();
    for (unit, team) in &teams {
        filters.push(Filter {
            unit_id: Some((*unit).to_string()),
            team: Some((*team).to_string()),
        });
        filters.push(Filter {
            unit_id: None,
            team: Some((*team).to_string()),
        });
    }
    filters.push(Filter {
        unit_id: Some("NO-SUCH-UNIT".into()),
        team: None,
    });
    for today in [d("2014-12-31"), d("2014-06-30")] {
        let all = oracle(&data, &rules, today);
        for filter in &filters {
            let of_filter: BTreeSet<&str> = data
                .cases
                .iter()
                .filter(|c| {
                    filter.unit_id.as_ref().is_none_or(|u| *u == c.unit_id)
                        && filter
                            .team
                            .as_ref()
                            .is_none_or(|t| c.team.as_ref() == Some(t))
                })
                .map(|c| c.case_id.as_str())
                .collect();
            let want: BTreeSet<Expected> = all
                .iter()
                .filter(|e| of_filter.contains(e.1.as_str()))
                .cloned()
                .collect();
            assert!(
                !want.is_empty() || filter.unit_id.as_deref() == Some("NO-SUCH-UNIT"),
                "{filter:?}: nothing to compare"
            );
            assert_eq!(
                loaded(&snap, filter, &rules, today),
                want,
                "{filter:?} {today}"
            );
        }
    }
}

/// A date that is not `YYYY-MM-DD` in a row the list needs is an error naming it; the rows
/// of cases not open on the day are never parsed, so one there changes nothing.
#[test]
fn bad_dates_are_errors_where_the_list_needs_them() {
    let data = bevaka::demo::build(d("2014-12-31"));
    let snap = memory_snapshot(&data);
    let today = d("2014-12-31");
    let rules = DeadlineRules::default();
    let all = oracle(&data, &rules, today);
    // A case with an item from a live intervention, closed before today.
    let (case, intervention) = all
        .iter()
        .find(|e| e.0 == "uppfoljning")
        .map(|e| (e.1.clone(), e.2.clone()))
        .expect("an uppföljning");
    let unit = &data
        .cases
        .iter()
        .find(|c| c.case_id == case)
        .expect("case")
        .unit_id;
    let run = |sql: &str, value: &str| {
        snap.conn()
            .execute(sql, [value, &intervention])
            .expect("update");
    };
    run(
        "UPDATE interventions SET last_followup = ?1 WHERE intervention_id = ?2",
        "2014-02-30",
    );
    for filter in [
        Filter::default(),
        Filter {
            unit_id: Some(unit.clone()),
            team: None,
        },
    ] {
        let e = deadlines::load(snap.conn(), &filter, &rules, today)
            .expect_err("a bad date in a row read");
        assert!(e.to_string().contains("ogiltigt datum"), "{e}");
    }
    snap.conn()
        .execute(
            "UPDATE cases SET closed = '2014-12-01' WHERE case_id = ?1",
            [&case],
        )
        .expect("close");
    let items = deadlines::load(snap.conn(), &Filter::default(), &rules, today)
        .expect("the closed case's rows are not parsed");
    assert!(!items.is_empty());
    assert!(items.items().all(|i| *i.case_id != *case));
    assert!(items.cases().get(&case).is_none());
}

#[test]
fn random_exports_give_exactly_the_rules_items() {
    let rules = DeadlineRules::default();
    let other = DeadlineRules {
        utredning_days: 3,
        genomforandeplan_days: 10,
        uppfoljning_months: 6,
        verkstallighet_months: 2,
    };
    for seed in 0..12 {
        let dir = tempfile::tempdir().expect("tempdir");
        let data = crate::support::random_csv::write_random(dir.path(), seed);
        let data2 = bevaka::import::read_dir(dir.path()).expect("imports");
        assert_eq!(data, data2);
        // Probe on dates the edges sit on: ends, closings, decisions, dues.
        let mut days: Vec<NaiveDate> = data
            .interventions
            .iter()
            .flat_map(|i| [i.end, i.decided])
            .chain(data.cases.iter().map(|c| c.closed))
            .chain(data.followups.iter().map(|f| Some(f.due)))
            .flatten()
            .step_by(3)
            .take(6)
            .collect();
        days.push(d("2016-02-29"));
        for day in days {
            assert_same(&data, &rules, day, &format!("seed {seed}"));
            assert_same(&data, &other, day, &format!("seed {seed}, other rules"));
        }
    }
}

fn app(width: u16, height: u16, worker: Option<&str>) -> (App, Terminal<TestBackend>) {
    let data = bevaka::demo::build(d("2014-12-31"));
    let snap = memory_snapshot(&data);
    let config = Config {
        worker: worker.map(Into::into),
        ..Config::default()
    };
    let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_420_000_000);
    let theme = Theme {
        color: true,
        ascii: false,
    };
    let app = App::new(snap, config, Filter::default(), d("2014-12-31"), now, theme).expect("app");
    (
        app,
        Terminal::new(TestBackend::new(width, height)).expect("terminal"),
    )
}

fn screen(app: &App, t: &mut Terminal<TestBackend>) -> String {
    t.draw(|f| f.render_widget(app, f.area())).expect("draw");
    t.backend().to_string()
}

fn first_worker() -> String {
    let data = bevaka::demo::build(d("2014-12-31"));
    data.case_workers[0].worker_id.clone()
}

#[test]
fn own_list_80x24_and_120x40() {
    let me = first_worker();
    let (app, mut t) = app(80, 24, Some(&me));
    assert_eq!(app.view, View::Deadlines);
    assert!(
        app.deadlines
            .shown()
            .all(|i| i.worker_id.as_deref() == Some(me.as_str()))
    );
    insta::assert_snapshot!("own_list_80x24", screen(&app, &mut t));
    let (app, mut t) = self::app(120, 40, Some(&me));
    insta::assert_snapshot!("own_list_120x40", screen(&app, &mut t));
}

#[test]
fn a_wide_terminal_names_each_items_unit_200x30() {
    let (app, mut t) = app(200, 30, None);
    let s = screen(&app, &mut t);
    let header = s.lines().nth(3).expect("header");
    assert!(
        header.contains("Enhet") && header.contains("Handläggare"),
        "{header}"
    );
    // Both of the demo's units are on the first rows of everyone's list.
    for unit in &app.units {
        assert!(s.contains(&unit.name), "{} missing:\n{s}", unit.name);
    }
    insta::assert_snapshot!("all_units_200x30", s);
}

#[test]
fn detail_explains_the_rule_80x24_and_120x40() {
    for (w, h) in [(80, 24), (120, 40)] {
        let (mut a, mut t) = app(w, h, None);
        a.handle(Action::Open).expect("open");
        let s = screen(&a, &mut t);
        assert!(s.contains("Varför"), "{s}");
        insta::assert_snapshot!(format!("detail_{w}x{h}"), s);
    }
}

#[test]
fn summary_80x24_and_120x40() {
    for (w, h) in [(80, 24), (120, 40)] {
        let (mut a, mut t) = app(w, h, None);
        a.handle(Action::View(1)).expect("view");
        insta::assert_snapshot!(format!("summary_{w}x{h}"), screen(&a, &mut t));
    }
}

#[test]
fn summary_enter_opens_that_handlaggares_list() {
    let (mut a, _) = app(80, 24, None);
    a.handle(Action::View(1)).expect("view");
    a.handle(Action::Down).expect("down");
    let chosen = a.deadlines.summary()[1].worker_id.clone();
    a.handle(Action::Open).expect("open");
    assert_eq!(a.view, View::Deadlines);
    assert_eq!(a.deadlines.worker, chosen);
    assert!(
        a.deadlines
            .shown()
            .all(|i| i.worker_id.as_deref() == chosen.as_deref())
    );
}

#[test]
fn report_deadlines_json_is_every_item_of_the_worker_sorted_by_due() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("demo.sqlite");
    let me = first_worker();
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_bevaka"))
        .args(["demo", "--as-of", "2014-12-31", "--out"])
        .arg(&file)
        .status()
        .expect("demo");
    assert!(status.success());
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_bevaka"))
        .env("XDG_CONFIG_HOME", "/nonexistent-bevaka-test")
        .env_remove("BEVAKA_CONFIG")
        .args([
            "report",
            "deadlines",
            "--format",
            "json",
            "--today",
            "2014-12-31",
        ])
        .args(["--worker", &me, "--snapshot"])
        .arg(&file)
        .output()
        .expect("report");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["today"], "2014-12-31");
    let items = v["items"].as_array().expect("items");
    let got: BTreeSet<Expected> = items
        .iter()
        .map(|i| {
            (
                i["kind"].as_str().expect("kind").to_string(),
                i["case_id"].as_str().expect("case").to_string(),
                i["source_id"].as_str().expect("source").to_string(),
                d(i["due"].as_str().expect("due")),
                i["days_left"].as_i64().expect("days"),
                i["status"].as_str().expect("status").to_string(),
                i["worker_id"].as_str().map(str::to_string),
            )
        })
        .collect();
    let data = bevaka::demo::build(d("2014-12-31"));
    let want: BTreeSet<Expected> = oracle(&data, &DeadlineRules::default(), d("2014-12-31"))
        .into_iter()
        .filter(|e| e.6.as_deref() == Some(me.as_str()))
        .collect();
    assert_eq!(got, want);
    let dues: Vec<&str> = items
        .iter()
        .map(|i| i["due"].as_str().expect("due"))
        .collect();
    assert!(dues.windows(2).all(|w| w[0] <= w[1]), "sorted by due date");
    assert!(
        items.iter().any(|i| i["status"] == "senare"),
        "all statuses, senare too"
    );
}

#[test]
fn export_writes_exactly_the_rows_on_screen() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut a, _) = app(80, 24, None);
    a.export_dir = dir.path().to_path_buf();
    a.handle(Action::Filters).expect("filters");
    a.handle(Action::FocusRight).expect("kind: utredning");
    a.handle(Action::Back).expect("close");
    let shown: Vec<String> = a
        .deadlines
        .shown()
        .map(|i| i.source_id.to_string())
        .collect();
    assert!(!shown.is_empty());
    a.config.export_format = Some(bevaka::config::ExportFormat::Csv);
    a.handle(Action::Export).expect("export");
    let msg = a.message.clone().expect("message");
    assert!(!msg.warning, "{msg:?}");
    let path = dir.path().join("bevaka-bevakningar-2014-12-31.csv");
    assert!(
        msg.text.contains("bevaka-bevakningar-2014-12-31.csv"),
        "{msg:?}"
    );
    let bytes = std::fs::read(&path).expect("file");
    let text = String::from_utf8(bytes).expect("utf-8");
    let body = text.strip_prefix('\u{feff}').expect("BOM for Excel");
    let mut r = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(body.as_bytes());
    let kinds: Vec<String> = r
        .records()
        .map(|x| x.expect("row")[3].to_string())
        .collect();
    assert_eq!(kinds.len(), shown.len());
    assert!(kinds.iter().all(|k| k == "utredning"), "{kinds:?}");
    // A second export does not overwrite the first.
    a.config.export_format = Some(bevaka::config::ExportFormat::Csv);
    a.handle(Action::Export).expect("export");
    assert!(
        dir.path()
            .join("bevaka-bevakningar-2014-12-31-2.csv")
            .exists()
    );
}

#[test]
fn opening_a_case_detail_is_logged_and_refused_without_a_log() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("access.jsonl");
    let (mut a, _) = app(80, 24, None);
    a.access_log = Some(bevaka::access_log::AccessLog::new(
        path.clone(),
        Some("anna".into()),
        "demo.sqlite",
    ));
    let case = a.deadlines.selected().expect("item").case_id.to_string();
    a.handle(Action::Open).expect("open");
    assert!(a.deadlines.detail);
    let text = std::fs::read_to_string(&path).expect("log");
    let line: serde_json::Value = serde_json::from_str(text.trim()).expect("json");
    assert_eq!(line["case_id"], serde_json::Value::String(case));
    assert_eq!(line["action"], "detalj");
    assert_eq!(line["user"], "anna");
    // Only the case reference: no client label or name in the log.
    assert_eq!(line.as_object().expect("object").len(), 5);

    a.handle(Action::Back).expect("close");
    a.access_log = Some(bevaka::access_log::AccessLog::new(
        dir.path().join("missing-dir").join("a.jsonl"),
        None,
        "demo.sqlite",
    ));
    a.handle(Action::Open).expect("open");
    assert!(!a.deadlines.detail, "no log line, no detail");
    assert!(a.message.as_ref().is_some_and(|m| m.warning));
}

/// One row of the bevakningslista as `tests/sql/bevakningslista.sql` writes it: status,
/// due, days left, kind, case, client label, insats (or the bevakning's own kind), worker.
type SqlRow = (
    String,
    String,
    i64,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
);

const LIST_SQL: &str = include_str!("../sql/bevakningslista.sql");

fn listed_by_sql(snap: &bevaka::snapshot::Snapshot, today: NaiveDate) -> Vec<SqlRow> {
    let mut st = snap.conn().prepare(LIST_SQL).expect("sql");
    let day = today.to_string();
    st.query_map(rusqlite::named_params! {":today": day}, |r| {
        Ok((
            r.get(0)?,
            r.get(1)?,
            r.get(2)?,
            r.get(3)?,
            r.get(4)?,
            r.get(5)?,
            r.get(6)?,
            r.get(7)?,
        ))
    })
    .expect("query")
    .collect::<Result<_, _>>()
    .expect("rows")
}

fn listed_by_bevaka(snap: &bevaka::snapshot::Snapshot, today: NaiveDate) -> Vec<SqlRow> {
    let dl = deadlines::load(
        snap.readers(),
        &Filter::default(),
        &Config::default().deadlines,
        today,
    )
    .expect("load");
    dl.items()
        .map(|i| {
            let insats = match (i.followup.as_deref(), &i.insats_code) {
                (Some((kind, _)), _) => Some(kind.to_string()),
                (None, Some(code)) => Some(
                    dl.insats_names
                        .get(&**code)
                        .cloned()
                        .unwrap_or_else(|| code.to_string()),
                ),
                (None, None) => None,
            };
            (
                i.status.as_str().to_string(),
                i.due.to_string(),
                i.days_left,
                i.kind.as_str().to_string(),
                i.case_id.to_string(),
                dl.cases()
                    .get(&i.case_id)
                    .and_then(|c| c.client_label)
                    .map(str::to_string),
                insats,
                i.worker_id.as_deref().map(str::to_string),
            )
        })
        .collect()
}

/// DOMAIN.md's rules written once more, as one SQL statement, give exactly bevaka's list,
/// row by row in bevaka's order: on the demo, on random exports, on days the edges sit on
/// (a month's end, a leap day), read on one connection and on two.
#[test]
fn the_rules_in_sql_list_exactly_what_bevaka_lists() {
    let check = |data: &Dataset, days: &[NaiveDate], what: &str| {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("s.sqlite");
        bevaka::snapshot::write_snapshot(&path, data).expect("write");
        let snap = bevaka::snapshot::Snapshot::open(&path).expect("open");
        let mut listed = 0;
        for &day in days {
            let want = listed_by_sql(&snap, day);
            let got = listed_by_bevaka(&snap, day);
            listed += want.len();
            let first = want.iter().zip(&got).position(|(a, b)| a != b);
            assert!(
                want.len() == got.len() && first.is_none(),
                "{what} on {day}: {} rows in SQL, {} in bevaka; first difference {:?}",
                want.len(),
                got.len(),
                first.map(|n| (&want[n], &got[n]))
            );
        }
        assert!(listed > 0, "{what}: nothing listed on any day");
    };
    let demo = bevaka::demo::build(d("2014-12-31"));
    check(
        &demo,
        &[d("2014-12-31"), d("2014-06-30"), d("2014-02-28")],
        "demo",
    );
    for seed in 0..6 {
        let dir = tempfile::tempdir().expect("tempdir");
        let data = crate::support::random_csv::write_random(dir.path(), seed);
        let mut days: Vec<NaiveDate> = data
            .interventions
            .iter()
            .filter_map(|i| i.decided)
            .step_by(5)
            .take(3)
            .collect();
        days.extend([d("2016-02-29"), d("2015-11-30")]);
        check(&data, &days, &format!("seed {seed}"));
    }
}

/// The demo and the random exports of seeds `0..seeds`, named.
fn demo_and_random(seeds: u64) -> Vec<(String, Dataset)> {
    let mut sets = vec![("demo".into(), bevaka::demo::build(d("2014-12-31")))];
    for seed in 0..seeds {
        let dir = tempfile::tempdir().expect("tempdir");
        sets.push((
            format!("seed {seed}"),
            crate::support::random_csv::write_random(dir.path(), seed),
        ));
    }
    sets
}

/// Every handläggare's own list read through the worker indexes equals their part of the
/// whole list (items, order, every field), on the demo and on random exports, with and
/// without a unit filter, on several days.
#[test]
fn an_own_list_read_alone_is_the_same_as_from_the_whole() {
    let rules = DeadlineRules::default();
    for (name, data) in &demo_and_random(6) {
        let snap = memory_snapshot(data);
        let mut workers: Vec<&str> = data
            .case_workers
            .iter()
            .map(|w| w.worker_id.as_str())
            .collect();
        workers.push("INGEN-SADAN");
        let mut filters = vec![Filter::default()];
        filters.extend(data.units.iter().take(2).map(|u| Filter {
            unit_id: Some(u.unit_id.clone()),
            team: None,
        }));
        for today in [d("2014-12-31"), d("2014-03-15")] {
            for filter in &filters {
                let whole = deadlines::load(snap.conn(), filter, &rules, today).expect("whole");
                let mut seen = 0;
                for w in &workers {
                    let own = deadlines::load_of_worker(snap.conn(), filter, w, &rules, today)
                        .expect("own");
                    // The case's rank is its place among the cases read (for ties in the
                    // sort): a different number among fewer cases, the same order.
                    let unranked = |i: &deadlines::Item| deadlines::Item {
                        case_rank: 0,
                        ..i.clone()
                    };
                    let want: Vec<_> = whole.of_worker(w).map(|i| unranked(&i)).collect();
                    let got: Vec<_> = own.of_worker(w).map(|i| unranked(&i)).collect();
                    assert_eq!(got, want, "{name} {w} {filter:?} {today}");
                    // The names shown beside the items and their cases: the own list reads
                    // those handläggare alone, the same as the whole list has them.
                    let shown = got.iter().filter_map(|i| i.worker_id.as_deref()).chain(
                        got.iter()
                            .filter_map(|i| own.case_of(i).and_then(|c| c.worker_id)),
                    );
                    for id in shown {
                        assert_eq!(own.workers.get(id), whole.workers.get(id), "{name} {id}");
                    }
                    seen += want.len();
                }
                assert!(
                    seen > 0 || whole.items().next().is_none(),
                    "{name}: nothing compared"
                );
            }
        }
    }
}

/// The own list checks the values of the rows it reads, and only those: a bad date in one
/// of the handläggare's cases refuses the report, naming it; one in a case the list never
/// reads leaves the list as it was.
#[test]
fn an_own_list_checks_its_own_rows() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("demo.sqlite");
    bevaka::snapshot::write_snapshot(&path, &bevaka::demo::build(d("2014-12-31"))).expect("write");
    let run = |path: &std::path::Path| {
        crate::support::bevaka()
            .args([
                "report",
                "deadlines",
                "--worker",
                "H101",
                "--today",
                "2014-12-31",
            ])
            .args(["--format", "json", "--snapshot"])
            .arg(path)
            .output()
            .expect("report")
    };
    let before = run(&path);
    assert!(
        before.status.success(),
        "{}",
        String::from_utf8_lossy(&before.stderr)
    );
    let tamper = |sql: &str| {
        let copy = dir.path().join("copy.sqlite");
        std::fs::copy(&path, &copy).expect("copy");
        let conn = rusqlite::Connection::open(&copy).expect("open");
        conn.execute_batch(&format!("PRAGMA ignore_check_constraints = ON; {sql}"))
            .expect("tamper");
        drop(conn);
        copy
    };
    // Not H101's: closed cases of others are not read.
    let other = tamper(
        "UPDATE cases SET opened = '20140101' WHERE rowid = (SELECT min(rowid) FROM cases
         WHERE worker_id <> 'H101' AND case_id NOT IN (SELECT case_id FROM followups WHERE worker_id = 'H101')
         AND case_id NOT IN (SELECT case_id FROM applications WHERE worker_id = 'H101'));",
    );
    let o = run(&other);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(o.stdout, before.stdout);
    // H101's: refused, naming file, table, row and value.
    let own = tamper(
        "UPDATE cases SET opened = '20140101' WHERE rowid = (SELECT min(rowid) FROM cases WHERE worker_id = 'H101');",
    );
    let o = run(&own);
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("copy.sqlite")
            && err.contains("tabellen cases, rad")
            && err.contains("'20140101'"),
        "{err}"
    );
    assert!(o.stdout.is_empty());
}

/// The list of the next 30 days, read from only the rows that can give such items, is the
/// whole list's first 30 days: the same items in the same order, every field, on the demo
/// and on random exports, under the default rules and others, on days where the rules'
/// edges sit, on one connection and on two.
#[test]
fn a_near_list_is_the_whole_lists_first_thirty_days() {
    let rules = [
        DeadlineRules::default(),
        DeadlineRules {
            utredning_days: 3,
            genomforandeplan_days: 40,
            uppfoljning_months: 1,
            verkstallighet_months: 2,
        },
        DeadlineRules {
            utredning_days: 0,
            genomforandeplan_days: 0,
            uppfoljning_months: 0,
            verkstallighet_months: 0,
        },
    ];
    let mut compared = 0;
    for (name, data) in &demo_and_random(8) {
        let (_dir, snap) = crate::caseload::file_snapshot(data);
        // Days a rule's edge sits on (a month's last day, a leap day), and the rows' own.
        let mut days = vec![
            d("2014-12-31"),
            d("2014-01-31"),
            d("2016-01-30"),
            d("2016-02-29"),
        ];
        days.extend(
            data.interventions
                .iter()
                .flat_map(|i| [i.end, i.decided, i.last_followup, i.ordered])
                .flatten()
                .step_by(7)
                .take(4),
        );
        for rules in &rules {
            for &today in &days {
                let filter = Filter::default();
                let whole = deadlines::load(snap.conn(), &filter, rules, today).expect("whole");
                let last = today + chrono::Days::new(30);
                let want: Vec<_> = whole.items().filter(|i| i.due <= last).collect();
                for near in [
                    deadlines::load_near(snap.conn(), &filter, rules, today),
                    deadlines::load_near(snap.readers(), &filter, rules, today),
                ] {
                    let near = near.expect("near").expect("in the calendar");
                    assert_eq!(near.due_by(), Some(last));
                    let got: Vec<_> = near.items().collect();
                    assert_eq!(got, want, "{name} {today} {rules:?}");
                    assert_eq!(near.workers, whole.workers);
                    compared += got.len();
                }
            }
        }
    }
    assert!(compared > 1000, "{compared} items compared");
}
