//! Handläggningstid and ej verkställda beslut against DOMAIN.md computed straight from the
//! rows (written naively here, without the production code), on the demo and on random
//! exports; the report on the command line; and the screens.

use std::collections::HashMap;
use std::path::Path;

use std::time::{Duration, SystemTime};

use bevaka::config::Config;
use bevaka::domain::dates::parse_iso;
use bevaka::domain::processing::{self, By, Processing, Scope};
use bevaka::model::{Case, Dataset};
use bevaka::snapshot::queries::{self, Filter, Part};
use bevaka::snapshot::{Readers, Stop};
use bevaka::tui::app::{App, View};
use bevaka::tui::keymap::Action;
use bevaka::tui::theme::Theme;
use chrono::{Datelike, Months, NaiveDate};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use serde_json::Value;

use crate::caseload::{every_kind_of_filter, file_snapshot, memory_snapshot};

fn d(s: &str) -> NaiveDate {
    parse_iso(s).expect("date")
}

/// The day of the latest decision of `data` (a leap day when there is none).
fn last_decision(data: &bevaka::model::Dataset) -> NaiveDate {
    data.applications
        .iter()
        .filter_map(|a| a.decided)
        .max()
        .unwrap_or(d("2016-02-29"))
}

/// One quarter's expected figures: (label, count, median, mean, p90, max, share).
#[derive(Debug, Clone, PartialEq)]
struct Figures {
    label: String,
    count: usize,
    median: Option<f64>,
    mean: Option<f64>,
    p90: Option<i64>,
    max: Option<i64>,
    share: Option<f64>,
}

/// Quarter as "year*4 + quarter index", so stepping back is subtraction.
fn quarter_index(day: NaiveDate) -> i32 {
    day.year() * 4 + (day.month() as i32 - 1) / 3
}

fn quarter_label(index: i32) -> String {
    format!("{}-Q{}", index.div_euclid(4), index.rem_euclid(4) + 1)
}

fn in_filter(case: &Case, filter: &Filter) -> bool {
    filter.unit_id.as_ref().is_none_or(|u| *u == case.unit_id)
        && filter
            .team
            .as_ref()
            .is_none_or(|t| Some(t) == case.team.as_ref())
}

fn open_on(case: &Case, day: NaiveDate) -> bool {
    case.opened <= day && (case.closed.is_none() || case.closed.expect("closed") > day)
}

/// The figures of one quarter, by the definitions, the slow way.
fn oracle_quarter(
    data: &Dataset,
    filter: &Filter,
    scope: &Scope,
    today: NaiveDate,
    index: i32,
) -> Figures {
    let cases: HashMap<&str, &Case> = data.cases.iter().map(|c| (c.case_id.as_str(), c)).collect();
    let target: HashMap<&str, Option<i64>> = data
        .insats_types
        .iter()
        .map(|t| (t.insats_code.as_str(), t.target_days))
        .collect();
    let mut days = Vec::new();
    let mut with_target = 0;
    let mut within = 0;
    for a in &data.applications {
        let case = cases[a.case_id.as_str()];
        let worker = a.worker_id.clone().or_else(|| case.worker_id.clone());
        if !in_filter(case, filter)
            || scope
                .insats_code
                .as_ref()
                .is_some_and(|c| *c != a.insats_code)
            || scope.worker_id.is_some() && scope.worker_id != worker
        {
            continue;
        }
        let Some(decided) = a.decided else { continue };
        if decided > today || quarter_index(decided) != index {
            continue;
        }
        let n = (decided - a.received).num_days();
        days.push(n);
        if let Some(t) = target[a.insats_code.as_str()] {
            with_target += 1;
            if n <= t {
                within += 1;
            }
        }
    }
    days.sort();
    let n = days.len();
    let label = quarter_label(index);
    if n == 0 {
        return Figures {
            label,
            count: 0,
            median: None,
            mean: None,
            p90: None,
            max: None,
            share: None,
        };
    }
    let median = if n % 2 == 0 {
        (days[n / 2 - 1] + days[n / 2]) as f64 / 2.0
    } else {
        days[n / 2] as f64
    };
    // Nearest rank: the smallest rank k with k/n >= 0.9, i.e. 10k >= 9n.
    let mut k = 1;
    while 10 * k < 9 * n {
        k += 1;
    }
    Figures {
        label,
        count: n,
        median: Some(median),
        mean: Some(days.iter().sum::<i64>() as f64 / n as f64),
        p90: Some(days[k - 1]),
        max: Some(days[n - 1]),
        share: (with_target > 0).then(|| within as f64 / with_target as f64),
    }
}

/// (intervention, case, insats, decided, days waiting), oldest first.
type NotExecuted = (String, String, String, NaiveDate, i64);

fn oracle_not_executed(
    data: &Dataset,
    filter: &Filter,
    scope: &Scope,
    today: NaiveDate,
) -> Vec<NotExecuted> {
    let cases: HashMap<&str, &Case> = data.cases.iter().map(|c| (c.case_id.as_str(), c)).collect();
    let mut out = Vec::new();
    for i in &data.interventions {
        let case = cases[i.case_id.as_str()];
        if !in_filter(case, filter)
            || scope
                .insats_code
                .as_ref()
                .is_some_and(|c| *c != i.insats_code)
            || scope.worker_id.is_some() && scope.worker_id != case.worker_id
        {
            continue;
        }
        let Some(decided) = i.decided else { continue };
        // DOMAIN.md version 2: waits from the decision until the earliest of its start,
        // its end and its case's closing.
        let stop = [i.start, i.end, case.closed].into_iter().flatten().min();
        let waits = decided <= today && stop.is_none_or(|s| s > today);
        let three_months = decided.checked_add_months(Months::new(3)).expect("date");
        if waits && today > three_months {
            out.push((
                i.intervention_id.clone(),
                i.case_id.clone(),
                i.insats_code.clone(),
                decided,
                (today - decided).num_days(),
            ));
        }
    }
    out.sort_by(|a, b| (a.3, &a.0).cmp(&(b.3, &b.0)));
    out
}

/// (application, days waiting, target) of open applications past their target, oldest first.
fn oracle_over_target(
    data: &Dataset,
    filter: &Filter,
    scope: &Scope,
    today: NaiveDate,
) -> Vec<(String, i64, i64)> {
    let cases: HashMap<&str, &Case> = data.cases.iter().map(|c| (c.case_id.as_str(), c)).collect();
    let mut out = Vec::new();
    for a in &data.applications {
        let case = cases[a.case_id.as_str()];
        let worker = a.worker_id.clone().or_else(|| case.worker_id.clone());
        if !in_filter(case, filter)
            || !open_on(case, today)
            || scope
                .insats_code
                .as_ref()
                .is_some_and(|c| *c != a.insats_code)
            || scope.worker_id.is_some() && scope.worker_id != worker
            || a.decided.is_some_and(|x| x <= today)
        {
            continue;
        }
        let target = data
            .insats_types
            .iter()
            .find(|t| t.insats_code == a.insats_code)
            .and_then(|t| t.target_days);
        let waiting = (today - a.received).num_days();
        if let Some(t) = target
            && waiting > t
        {
            out.push((a.received, a.application_id.clone(), waiting, t));
        }
    }
    out.sort();
    out.into_iter().map(|(_, id, w, t)| (id, w, t)).collect()
}

fn close(a: Option<f64>, b: Option<f64>) -> bool {
    match (a, b) {
        (Some(x), Some(y)) => (x - y).abs() < 1e-9,
        (None, None) => true,
        _ => false,
    }
}

/// What coverage the comparisons reached, so the tests know they probed the edges.
#[derive(Default, Debug)]
struct Seen {
    same_day: bool,
    without_target: bool,
    even_count: bool,
    not_executed: bool,
    over_target: bool,
    empty_quarter: bool,
}

fn assert_matches(
    data: &Dataset,
    filter: &Filter,
    scope: &Scope,
    today: NaiveDate,
    seen: &mut Seen,
) {
    let snap = memory_snapshot(data);
    let p = processing::load(snap.conn(), filter, scope.clone(), today).expect("load");
    let what = format!("{today} {filter:?} {scope:?}");
    assert_eq!(p.quarters.len(), 8, "{what}");
    let now = quarter_index(today);
    for (k, q) in p.quarters.iter().enumerate() {
        let index = now - 7 + k as i32;
        let want = oracle_quarter(data, filter, scope, today, index);
        let st = &q.stats;
        assert_eq!(q.quarter.to_string(), want.label, "{what}");
        assert_eq!(st.decisions as usize, want.count, "{} {what}", want.label);
        assert!(
            close(st.median_days, want.median),
            "median {} {what}: {st:?} {want:?}",
            want.label
        );
        assert!(close(st.mean_days, want.mean), "mean {} {what}", want.label);
        assert_eq!(st.p90_days, want.p90, "p90 {} {what}", want.label);
        assert_eq!(st.max_days, want.max, "max {} {what}", want.label);
        assert!(
            close(st.within_target(), want.share),
            "share {} {what}",
            want.label
        );
        let prev = oracle_quarter(data, filter, scope, today, index - 1);
        let year = oracle_quarter(data, filter, scope, today, index - 4);
        let diff = |a: Option<f64>, b: Option<f64>| a.zip(b).map(|(x, y)| x - y);
        assert!(
            close(q.vs_prev.median_days, diff(want.median, prev.median)),
            "{what}"
        );
        assert!(
            close(q.vs_year.median_days, diff(want.median, year.median)),
            "{what}"
        );
        assert!(
            close(q.vs_year.within_target, diff(want.share, year.share)),
            "{what}"
        );
        assert_eq!(
            q.vs_prev.decisions,
            want.count as i64 - prev.count as i64,
            "{what}"
        );
        seen.even_count |= want.count >= 2 && want.count.is_multiple_of(2);
        seen.empty_quarter |= want.count == 0;
    }
    for (days, target_days) in p.quarters.iter().flat_map(|q| p.decisions(q.quarter)) {
        seen.same_day |= days == 0;
        seen.without_target |= target_days.is_none();
    }
    let got: Vec<NotExecuted> = p
        .not_executed
        .iter()
        .map(|n| {
            (
                n.intervention_id.clone(),
                n.case_id.clone(),
                n.insats_code.clone(),
                n.decided,
                n.days_waiting,
            )
        })
        .collect();
    assert_eq!(
        got,
        oracle_not_executed(data, filter, scope, today),
        "ej verkställda {what}"
    );
    seen.not_executed |= !got.is_empty();
    let got: Vec<(String, i64, i64)> = p
        .over_target
        .iter()
        .map(|o| (o.application_id.clone(), o.days_waiting, o.target_days))
        .collect();
    assert_eq!(
        got,
        oracle_over_target(data, filter, scope, today),
        "över mål {what}"
    );
    seen.over_target |= !got.is_empty();
}

#[test]
fn demo_quarters_and_lists_equal_the_rules() {
    let mut seen = Seen::default();
    let data = bevaka::demo::build(d("2014-12-31"));
    for today in ["2014-12-31", "2014-06-30", "2013-11-15"] {
        assert_matches(
            &data,
            &Filter::default(),
            &Scope::default(),
            d(today),
            &mut seen,
        );
    }
    let unit = Filter {
        unit_id: Some(data.units[0].unit_id.clone()),
        team: None,
    };
    assert_matches(&data, &unit, &Scope::default(), d("2014-12-31"), &mut seen);
    let team = data.cases.iter().find_map(|c| c.team.clone());
    let team = Filter {
        unit_id: None,
        team,
    };
    assert_matches(&data, &team, &Scope::default(), d("2014-12-31"), &mut seen);
    let busiest = data
        .applications
        .iter()
        .filter_map(|a| a.worker_id.clone())
        .next();
    for scope in [
        Scope {
            insats_code: Some(data.insats_types[0].insats_code.clone()),
            worker_id: None,
        },
        Scope {
            insats_code: None,
            worker_id: busiest,
        },
    ] {
        assert_matches(
            &data,
            &Filter::default(),
            &scope,
            d("2014-12-31"),
            &mut seen,
        );
    }
    assert!(
        seen.not_executed && seen.over_target && seen.even_count,
        "{seen:?}"
    );
}

#[test]
fn random_exports_give_the_rules_figures() {
    let mut seen = Seen::default();
    for seed in 0..40 {
        let dir = tempfile::tempdir().expect("tempdir");
        let written = crate::support::random_csv::write_random(dir.path(), seed);
        let data = bevaka::import::read_dir(dir.path()).expect("imports");
        assert_eq!(data, written, "seed {seed}");
        // Today on the dates the edges sit on: decisions, three months after them, closings.
        let mut days: Vec<NaiveDate> = data
            .applications
            .iter()
            .filter_map(|a| a.decided)
            .chain(data.interventions.iter().filter_map(|i| {
                i.decided.map(|x| {
                    x.checked_add_months(Months::new(3)).expect("date") + chrono::Days::new(1)
                })
            }))
            .chain(data.cases.iter().filter_map(|c| c.closed))
            .step_by(2)
            .take(5)
            .collect();
        days.push(d("2016-02-29"));
        for today in days {
            assert_matches(
                &data,
                &Filter::default(),
                &Scope::default(),
                today,
                &mut seen,
            );
        }
        if let (Some(c), Some(t)) = (data.cases.first(), data.insats_types.first()) {
            let today = last_decision(&data);
            let filter = Filter {
                unit_id: Some(c.unit_id.clone()),
                team: c.team.clone(),
            };
            assert_matches(&data, &filter, &Scope::default(), today, &mut seen);
            let scope = Scope {
                insats_code: Some(t.insats_code.clone()),
                worker_id: c.worker_id.clone(),
            };
            assert_matches(&data, &Filter::default(), &scope, today, &mut seen);
        }
    }
    assert!(
        seen.same_day
            && seen.without_target
            && seen.even_count
            && seen.not_executed
            && seen.over_target
            && seen.empty_quarter,
        "the random exports did not reach every edge: {seen:?}"
    );
}

/// Everything the review shows, and in which order, is the same in `a` and `b`.
fn assert_same_review(a: &mut Processing, b: &mut Processing, what: &str) {
    let worker = a.workers().first().map(|(id, _)| id.clone());
    let insats = a.insats_codes().first().cloned();
    let scopes = [
        Scope::default(),
        Scope {
            insats_code: None,
            worker_id: worker,
        },
        Scope {
            insats_code: insats,
            worker_id: None,
        },
    ];
    for scope in scopes {
        a.rescope(scope.clone());
        b.rescope(scope.clone());
        let what = format!("{what} {scope:?}");
        assert_eq!(a.quarters, b.quarters, "{what}");
        assert_eq!(a.over_target, b.over_target, "{what}");
        assert_eq!(a.not_executed, b.not_executed, "{what}");
        for q in &a.quarters {
            assert_eq!(a.decisions(q.quarter), b.decisions(q.quarter), "{what}");
            for by in [By::Insats, By::Worker] {
                let (x, y) = (a.breakdown(q.quarter, by), b.breakdown(q.quarter, by));
                assert_eq!(x, y, "{what}");
            }
        }
    }
    assert_eq!(a.workers(), b.workers(), "{what}");
    assert_eq!(a.insats_codes(), b.insats_codes(), "{what}");
    assert_eq!(a.insats_names, b.insats_names, "{what}");
    assert_eq!(a.worker_names, b.worker_names, "{what}");
}

#[test]
fn two_connections_give_the_review_one_gives() {
    let data = bevaka::demo::build(d("2014-12-31"));
    let (_dir, snap) = file_snapshot(&data);

    // For all units the applications are read in two parts by rowid, and both have rows.
    let conn = snap.conn();
    let stop = Stop::default();
    let middle = queries::application_rowid_middle(conn)
        .expect("middle")
        .expect("applications");
    let today = d("2014-12-31");
    let from = processing::window_start(today);
    let rows = |part| {
        let mut n = 0;
        queries::for_each_application(
            conn,
            &Filter::default(),
            from,
            today,
            part,
            &queries::CaseMap::load(conn).expect("cases"),
            |_, _| true,
            |_| {
                n += 1;
            },
        )
        .expect("rows");
        n
    };
    let lower = rows(Part {
        below: Some(middle),
        ..Part::all(&stop)
    });
    let upper = rows(Part {
        from: Some(middle),
        ..Part::all(&stop)
    });
    assert!(lower > 0 && upper > 0, "{lower} and {upper}");
    assert_eq!(lower + upper, rows(Part::all(&stop)));

    for filter in every_kind_of_filter(&data) {
        for today in ["2014-12-31", "2013-11-15"] {
            let today = d(today);
            let load = |db: Readers<'_>| {
                processing::load(db, &filter, Scope::default(), today).expect("load")
            };
            let mut two = load(snap.readers());
            let mut one = load(snap.conn().into());
            assert!(two.quarters.iter().any(|q| q.stats.decisions > 0));
            assert_same_review(&mut two, &mut one, &format!("{today} {filter:?}"));
        }
    }
}

#[test]
fn two_connections_give_the_review_one_gives_in_small_exports() {
    // Tables of a few rows, or none: a part may be empty, or there is nothing to split.
    for seed in 0..6 {
        let dir = tempfile::tempdir().expect("tempdir");
        crate::support::random_csv::write_random(dir.path(), seed);
        let data = bevaka::import::read_dir(dir.path()).expect("imports");
        let (_file, snap) = file_snapshot(&data);
        let today = last_decision(&data);
        for filter in every_kind_of_filter(&data) {
            let load = |db: Readers<'_>| {
                processing::load(db, &filter, Scope::default(), today).expect("load")
            };
            let mut two = load(snap.readers());
            let mut one = load(snap.conn().into());
            assert_same_review(&mut two, &mut one, &format!("seed {seed} {filter:?}"));
        }
    }
    let (_file, snap) = file_snapshot(&Dataset::default());
    let empty = processing::load(
        snap.readers(),
        &Filter::default(),
        Scope::default(),
        d("2016-02-29"),
    );
    assert!(empty.expect("empty snapshot").over_target.is_empty());
}

use crate::support::bevaka;

fn json_report(snap: &Path, args: &[&str]) -> Value {
    let o = bevaka()
        .args(["report", "processing-time", "--format", "json"])
        .args(args)
        .arg("--snapshot")
        .arg(snap)
        .output()
        .expect("runs");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).expect("json")
}

#[test]
fn report_json_on_a_demo_file_equals_the_rules() {
    let dir = tempfile::tempdir().expect("tempdir");
    let snap = dir.path().join("demo.sqlite");
    let o = bevaka()
        .args(["demo", "--as-of", "2014-12-31", "--out"])
        .arg(&snap)
        .output()
        .expect("runs");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let data = bevaka::demo::build(d("2014-12-31"));
    let today = d("2014-12-31");
    let v = json_report(&snap, &["--today", "2014-12-31"]);
    assert_eq!(v["today"], "2014-12-31");
    let quarters = v["quarters"].as_array().expect("quarters");
    assert_eq!(quarters.len(), 8);
    let now = quarter_index(today);
    for (k, q) in quarters.iter().enumerate() {
        let want = oracle_quarter(
            &data,
            &Filter::default(),
            &Scope::default(),
            today,
            now - 7 + k as i32,
        );
        assert_eq!(q["quarter"], want.label.as_str());
        assert_eq!(q["decisions"], want.count);
        assert!(close(q["median_days"].as_f64(), want.median), "{q}");
        assert!(close(q["mean_days"].as_f64(), want.mean), "{q}");
        assert_eq!(q["p90_days"].as_i64(), want.p90, "{q}");
        assert_eq!(q["max_days"].as_i64(), want.max, "{q}");
        assert!(close(q["within_target"].as_f64(), want.share), "{q}");
        let share = q["within_target"].as_f64().expect("share");
        assert!((0.0..=1.0).contains(&share));
    }
    assert_eq!(quarters[7]["quarter"], "2014-Q4");
    let want = oracle_not_executed(&data, &Filter::default(), &Scope::default(), today);
    let got: Vec<NotExecuted> = v["not_executed"]
        .as_array()
        .expect("not_executed")
        .iter()
        .map(|n| {
            (
                n["intervention_id"].as_str().expect("id").to_string(),
                n["case_id"].as_str().expect("case").to_string(),
                n["insats_code"].as_str().expect("insats").to_string(),
                d(n["decided"].as_str().expect("decided")),
                n["days_waiting"].as_i64().expect("days"),
            )
        })
        .collect();
    assert!(!want.is_empty());
    assert_eq!(got, want);

    // Years after the demo: eight empty quarters, statistics null, the share null.
    let v = json_report(&snap, &["--today", "2030-06-30"]);
    for q in v["quarters"].as_array().expect("quarters") {
        assert_eq!(q["decisions"], 0);
        for key in [
            "median_days",
            "mean_days",
            "p90_days",
            "max_days",
            "within_target",
        ] {
            assert!(q[key].is_null(), "{key} in {q}");
        }
    }

    // An insats code the snapshot does not know is an error, not eight empty quarters.
    let o = bevaka()
        .args([
            "report",
            "processing-time",
            "--insats",
            "NOPE",
            "--snapshot",
        ])
        .arg(&snap)
        .output()
        .expect("runs");
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("NOPE"));
}

fn app(width: u16, height: u16, theme: Theme) -> (App, Terminal<TestBackend>) {
    let data = bevaka::demo::build(d("2014-12-31"));
    let snap = memory_snapshot(&data);
    let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_420_000_000);
    let mut app = App::new(
        snap,
        Config::default(),
        Filter::default(),
        d("2014-12-31"),
        now,
        theme,
    )
    .expect("app");
    app.handle(Action::View(3)).expect("view");
    assert_eq!(app.view, View::Processing);
    (
        app,
        Terminal::new(TestBackend::new(width, height)).expect("terminal"),
    )
}

fn screen(app: &App, t: &mut Terminal<TestBackend>) -> String {
    t.draw(|f| f.render_widget(app, f.area())).expect("draw");
    t.backend().to_string()
}

const COLOR: Theme = Theme {
    color: true,
    ascii: false,
};

#[test]
fn processing_screens_80x24_and_120x40() {
    for (w, h) in [(80, 24), (120, 40)] {
        let (app, mut t) = app(w, h, COLOR);
        let s = screen(&app, &mut t);
        assert!(s.contains("2014-Q4") && s.contains("2013-Q1"), "{s}");
        insta::assert_snapshot!(format!("processing_{w}x{h}"), s);
    }
}

#[test]
fn processing_breakdown_by_handlaggare_sorted_80x24() {
    let (mut app, mut t) = app(80, 24, COLOR);
    app.handle(Action::Up).expect("previous quarter");
    // Enter opens a period's or a row's decisions; b switches the grouping.
    app.handle(Action::FocusRight).expect("breakdown");
    app.handle(Action::GroupBy).expect("by handläggare");
    app.handle(Action::FocusLeft).expect("periods");
    app.handle(Action::Sort).expect("sort");
    let s = screen(&app, &mut t);
    assert!(s.contains("2014-Q3 per handläggare"), "{s}");
    insta::assert_snapshot!("processing_by_worker_80x24", s);
}

#[test]
fn processing_not_executed_ascii_80x24() {
    let (mut app, mut t) = app(
        80,
        24,
        Theme {
            color: false,
            ascii: true,
        },
    );
    for _ in 0..3 {
        app.handle(Action::FocusRight).expect("focus");
    }
    let s = screen(&app, &mut t);
    assert!(s.is_ascii(), "ASCII mode draws only ASCII:\n{s}");
    assert!(s.contains("Ej verkstallda beslut 2014-12-31"), "{s}");
    insta::assert_snapshot!("processing_not_executed_ascii_80x24", s);
}

#[test]
fn processing_filter_popup_narrows_to_one_insats() {
    let (mut app, mut t) = app(120, 40, COLOR);
    app.handle(Action::Filters).expect("popup");
    app.handle(Action::FocusRight).expect("first insats");
    let code = app
        .processing
        .data
        .scope
        .insats_code
        .clone()
        .expect("an insats chosen");
    let s = screen(&app, &mut t);
    assert!(s.contains("Filter"), "{s}");
    app.handle(Action::Back).expect("close");
    assert!(
        app.processing
            .breakdown
            .iter()
            .all(|g| g.key.as_deref() == Some(code.as_str()))
    );
    // Unit and team still work from this view, and keep the insats filter.
    crate::support::next_unit(&mut app);
    assert_eq!(
        app.processing.data.scope.insats_code.as_deref(),
        Some(code.as_str())
    );
    assert_eq!(app.view, View::Processing);
}

#[test]
fn review_by_tertial_80x24_and_120x40() {
    for (w, h) in [(80, 24), (120, 40)] {
        let (mut app, mut t) = app(w, h, COLOR);
        app.handle(Action::PeriodKind).expect("tertial");
        let s = screen(&app, &mut t);
        assert!(
            s.contains("Handläggningstid per tertial") && s.contains("2014-T3"),
            "{s}"
        );
        assert!(s.contains("2012-T2"), "eight tertials back: {s}");
        insta::assert_snapshot!(format!("review_tertial_{w}x{h}"), s);
    }
}

#[test]
fn review_split_by_kon_80x24_and_120x40() {
    for (w, h) in [(80, 24), (120, 40)] {
        let (mut app, mut t) = app(w, h, COLOR);
        app.handle(Action::SplitSex).expect("split");
        let s = screen(&app, &mut t);
        assert!(s.contains("per kön") && s.contains("okänt"), "{s}");
        // The chosen (latest) period and its three parts are in view.
        let q4 = app.processing.period().expect("period");
        let parts: u64 = q4.by_sex.iter().map(|st| st.decisions).sum();
        assert_eq!(parts, q4.stats.decisions, "the parts add up");
        assert!(s.contains("2014-Q4"), "{s}");
        insta::assert_snapshot!(format!("review_by_kon_{w}x{h}"), s);
    }
}

#[test]
fn review_verkstallighetstid_80x24_and_120x40() {
    for (w, h) in [(80, 24), (120, 40)] {
        let (mut app, mut t) = app(w, h, COLOR);
        app.handle(Action::Measure).expect("verkställighetstid");
        let s = screen(&app, &mut t);
        assert!(
            s.contains("Verkställighetstid per kvartal")
                && s.contains("Startade")
                && s.contains("Inom 3 mån"),
            "{s}"
        );
        assert!(
            s.contains("startade per insats"),
            "the breakdown follows: {s}"
        );
        insta::assert_snapshot!(format!("review_verkstallighet_{w}x{h}"), s);
    }
}

#[test]
fn ivo_report_80x24_and_120x40() {
    for (w, h) in [(80, 24), (120, 40)] {
        let (mut app, mut t) = app(w, h, COLOR);
        app.handle(Action::Ivo).expect("ivo");
        let s = screen(&app, &mut t);
        assert!(s.contains("IVO-rapport 2014-Q4 per 2014-12-31"), "{s}");
        assert!(s.contains("Nämndens sammanställning"), "{s}");
        // The list and the summary name no case.
        for r in &app.ivo.data.rows {
            assert!(!s.contains(&r.case_id), "{} on screen:\n{s}", r.case_id);
        }
        insta::assert_snapshot!(format!("ivo_{w}x{h}"), s);
    }
}

#[test]
fn ivo_report_ascii_without_colour_at_200x50() {
    let (mut app, mut t) = app(
        200,
        50,
        Theme {
            color: false,
            ascii: true,
        },
    );
    app.handle(Action::Ivo).expect("ivo");
    let s = screen(&app, &mut t);
    assert!(s.is_ascii(), "ASCII mode draws only ASCII:\n{s}");
    assert!(
        s.contains("Erbjudet") && s.contains("Orsak"),
        "every column fits: {s}"
    );
    assert!(
        s.contains("Namndens sammanstallning"),
        "beside the list: {s}"
    );
}

#[test]
fn review_keys_p_v_c_change_the_review() {
    use bevaka::domain::periods::PeriodKind;
    use bevaka::domain::processing::Measure;
    let (mut app, _) = app(80, 24, COLOR);
    let mut kinds = Vec::new();
    for _ in 0..4 {
        assert!(app.handle(Action::PeriodKind).expect("p"));
        kinds.push(app.processing.data.kind);
        if app.processing.data.kind == PeriodKind::Year {
            // The rows of the quarters' window do not reach back eight years: the review
            // is loaded again for it, and its first years are the snapshot's, not empty.
            let data = bevaka::demo::build(d("2014-12-31"));
            let snap = memory_snapshot(&data);
            let want = processing::load_by(
                snap.conn(),
                &Filter::default(),
                Scope::default(),
                d("2014-12-31"),
                PeriodKind::Year,
            )
            .expect("by year");
            assert_eq!(app.processing.data.periods, want.periods);
            assert_eq!(app.processing.data.periods[0].period.to_string(), "2007");
            assert!(app.processing.data.periods[0].stats.decisions > 0);
        }
    }
    assert_eq!(
        kinds,
        [
            PeriodKind::Tertial,
            PeriodKind::Half,
            PeriodKind::Year,
            PeriodKind::Quarter
        ]
    );
    app.handle(Action::PeriodKind).expect("p");
    assert_eq!(
        app.processing.period().map(|p| p.period.to_string()),
        Some("2014-T3".into())
    );
    app.handle(Action::Measure).expect("v");
    assert_eq!(app.processing.measure, Measure::Verkstallighet);
    let started = app.processing.period().expect("period").stats.decisions;
    let in_breakdown: u64 = app
        .processing
        .breakdown
        .iter()
        .map(|g| g.stats.decisions)
        .sum();
    assert_eq!(in_breakdown, started, "the breakdown is of the starts");
    assert!(started > 0);
    app.handle(Action::Measure).expect("v");
    assert_eq!(app.processing.measure, Measure::Handlaggning);
    app.handle(Action::SplitSex).expect("c");
    assert!(app.processing.by_sex);
    app.handle(Action::SplitSex).expect("c");
    assert!(!app.processing.by_sex);
    // A new unit keeps the kind of period.
    crate::support::next_unit(&mut app);
    assert_eq!(app.processing.data.kind, PeriodKind::Tertial);
}

#[test]
fn review_keys_do_nothing_outside_the_review() {
    let (mut app, mut t) = app(80, 24, COLOR);
    app.handle(Action::View(0)).expect("bevakningar");
    for a in [
        Action::PeriodKind,
        Action::Measure,
        Action::SplitSex,
        Action::Ivo,
        Action::PrevQuarter,
    ] {
        assert!(!app.handle(a).expect("key"), "{a:?} outside the review");
    }
    assert_eq!(app.view, View::Deadlines);
    assert!(!app.processing.by_sex && !app.caseload.by_sex);
    let s = screen(&app, &mut t);
    assert!(!s.contains("c kön") && !s.contains("i IVO"), "{s}");
    app.handle(Action::View(2)).expect("ärenden");
    assert!(app.handle(Action::SplitSex).expect("c"));
    assert!(app.caseload.by_sex && !app.processing.by_sex);
    let s = screen(&app, &mut t);
    assert!(s.contains("c kön") && !s.contains("i IVO"), "{s}");
}

#[test]
fn ivo_opens_with_i_steps_quarters_and_esc_returns() {
    let (mut app, mut t) = app(80, 24, COLOR);
    let s = screen(&app, &mut t);
    assert!(s.contains("i IVO"), "the review offers the key: {s}");
    app.handle(Action::Ivo).expect("i");
    assert_eq!(app.view, View::Ivo);
    assert_eq!(app.ivo.quarter.to_string(), "2014-Q4");
    assert_eq!(
        app.ivo.data.quarter.map(|q| q.to_string()),
        Some("2014-Q4".into())
    );
    let q4 = app.ivo.data.rows.len();
    assert!(q4 > 0, "the demo has ej verkställda beslut");
    assert!(
        !app.handle(Action::NextQuarter).expect("]"),
        "no later quarter"
    );
    app.handle(Action::PrevQuarter).expect("[");
    assert_eq!(
        app.ivo.data.quarter.map(|q| q.to_string()),
        Some("2014-Q3".into())
    );
    assert_eq!(app.ivo.data.report_date, d("2014-09-30"));
    let s = screen(&app, &mut t);
    assert!(s.contains("IVO-rapport 2014-Q3 per 2014-09-30"), "{s}");
    app.handle(Action::NextQuarter).expect("]");
    assert_eq!(app.ivo.data.rows.len(), q4);
    // Keys of the review mean nothing here.
    assert!(!app.handle(Action::PeriodKind).expect("p"));
    app.handle(Action::Back).expect("esc");
    assert_eq!(app.view, View::Processing);
    assert_eq!(
        app.processing.data.kind,
        bevaka::domain::periods::PeriodKind::Quarter
    );
}

#[test]
fn ivo_detail_is_logged_and_export_writes_the_report() {
    let dir = tempfile::tempdir().expect("dir");
    let (mut app, mut t) = app(80, 24, COLOR);
    app.handle(Action::Ivo).expect("i");
    let path = dir.path().join("access.jsonl");
    app.access_log = Some(bevaka::access_log::AccessLog::new(
        path.clone(),
        Some("anna".into()),
        "demo.sqlite",
    ));
    app.handle(Action::Down).expect("down");
    let row = app.ivo.selected().expect("row").clone();
    app.handle(Action::Open).expect("enter");
    assert!(app.ivo.detail);
    let line: Value =
        serde_json::from_str(std::fs::read_to_string(&path).expect("log").trim()).expect("json");
    assert_eq!(line["case_id"], Value::String(row.case_id.clone()));
    assert_eq!(line["action"], "detalj");
    let s = screen(&app, &mut t);
    assert!(s.contains(&row.case_id) && s.contains("Detalj"), "{s}");
    app.handle(Action::Back).expect("close");
    assert!(!app.ivo.detail);
    assert_eq!(app.view, View::Ivo, "Esc closes the detail first");

    app.export_dir = dir.path().to_path_buf();
    app.config.export_format = Some(bevaka::config::ExportFormat::Csv);
    app.handle(Action::Export).expect("export");
    let file = dir.path().join("bevaka-ivo-rapport-2014-12-31.csv");
    let text = std::fs::read_to_string(&file).expect("export");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "\u{feff}IVO-rapport;2014-Q4;per;2014-12-31");
    assert!(lines[1].starts_with("Typ;Status;Statusdatum;Dagar;Insats;Lagrum;Kön"));
    assert_eq!(
        lines.len(),
        2 + app.ivo.data.rows.len() + 3 + summary_len(&app) + 1
    );
    assert!(text.contains("Beslut;ej verkställt;"), "{text}");
    assert!(!text.contains(&row.case_id), "the report names no case");
    assert!(text.contains("Nämndens sammanställning"), "{text}");
}

/// Lines of the nämnd's summary (one per kind, lagrum, insats and kön).
fn summary_len(app: &App) -> usize {
    let mut keys: Vec<_> = app
        .ivo
        .data
        .summary
        .iter()
        .map(|s| (s.kind, s.law.clone(), s.insats_code.clone(), s.sex))
        .collect();
    keys.dedup();
    keys.len()
}

#[test]
fn the_split_off_again_shows_every_period() {
    let (mut app, mut t) = app(80, 24, COLOR);
    app.handle(Action::SplitSex).expect("c");
    screen(&app, &mut t);
    app.handle(Action::SplitSex).expect("c");
    let s = screen(&app, &mut t);
    assert!(s.contains("2013-Q1") && s.contains("2014-Q4"), "{s}");
}

#[test]
fn y_copies_the_selected_case_where_a_row_names_one() {
    let (mut app, _) = app(80, 24, COLOR);
    // The review's periods name no case: y is neither shown nor acted on.
    assert!(!app.handle(Action::Copy).expect("y"));
    assert_eq!(app.clipboard, None);
    assert!(!bevaka::tui::keymap::works_in(
        Action::Copy,
        View::Processing
    ));
    app.handle(Action::Ivo).expect("ivo");
    assert!(bevaka::tui::keymap::works_in(Action::Copy, View::Ivo));
    let want = app.ivo.selected().map(|r| r.case_id.clone());
    assert!(want.is_some());
    assert!(app.handle(Action::Copy).expect("y"));
    assert_eq!(app.clipboard, want);
    let said = app
        .message
        .as_ref()
        .map(|m| m.text.clone())
        .unwrap_or_default();
    assert!(said.contains(want.as_deref().unwrap_or("?")), "{said}");
}

/// The three ways a screen is drawn: colour, `NO_COLOR`, and ASCII (no colour either).
const THEMES: [(&str, Theme); 3] = [
    (
        "colour",
        Theme {
            color: true,
            ascii: false,
        },
    ),
    (
        "no_color",
        Theme {
            color: false,
            ascii: false,
        },
    ),
    (
        "ascii",
        Theme {
            color: false,
            ascii: true,
        },
    ),
];

#[test]
fn review_chart_at_three_sizes_in_colour_no_color_and_ascii() {
    for (w, h) in [(80, 24), (120, 40), (200, 50)] {
        for (name, theme) in THEMES {
            let (mut app, mut t) = app(w, h, theme);
            if w < 120 {
                // Beside the table from 120 columns; in its place with `o` below that.
                let s = screen(&app, &mut t);
                assert!(!s.contains("Median per kvartal"), "{s}");
                assert!(s.contains("(o: diagram)"), "{s}");
                app.handle(Action::Chart).expect("chart");
            }
            t.draw(|f| f.render_widget(&app, f.area())).expect("draw");
            let s = bevaka_support_styled(&t);
            // The chosen quarter's figures, as the table has them (2014-Q4: median 20,0,
            // 74 % within target); its label reversed under the axis.
            assert!(s.contains("2014-Q4: median 20,0"), "{s}");
            assert!(s.contains("74 %"), "{s}");
            // The day axis is labelled with its unit, up to the highest median (20), and
            // not from zero: 17 and 20 days read apart.
            assert!(s.contains("20 d") && !s.contains(" 0 d"), "{s}");
            if theme.ascii {
                assert!(s.is_ascii(), "{s}");
            }
            insta::assert_snapshot!(format!("review_chart_{w}x{h}_{name}"), s);
        }
    }
}

/// `c` with the chart: a line per kön beside the whole, each with its marker, and the
/// chosen quarter's median of each in the legend (as the table's rows per kön have them).
#[test]
fn review_chart_split_by_kon_at_three_sizes_in_colour_no_color_and_ascii() {
    for ((w, h), (name, theme)) in [(80, 24), (120, 40), (200, 50)]
        .into_iter()
        .flat_map(|size| THEMES.into_iter().map(move |t| (size, t)))
    {
        let (mut app, mut t) = app(w, h, theme);
        if w < 120 {
            app.handle(Action::Chart).expect("chart");
        }
        app.handle(Action::SplitSex).expect("kön");
        assert!(app.processing.by_sex);
        let p = app.processing.period().expect("period").clone();
        let s = bevaka_support_styled_after(&app, &mut t);
        let (m1, m2) = if theme.ascii {
            ("+", "o")
        } else {
            ("▲", "■")
        };
        let median = |i: usize| {
            p.by_sex[i]
                .median_days
                .map(|d| format!("{d:.1}").replace('.', ","))
                .expect("a median")
        };
        assert!(s.contains(&format!("{m1} K {}", median(0))), "{s}");
        assert!(s.contains(&format!("{m2} M {}", median(1))), "{s}");
        // The kön lines' markers are on the chart, not only in the legend (where points of
        // two lines share a cell one marker shows, so in a small chart some are hidden; in
        // ASCII the markers are signs found elsewhere on screen too).
        if !theme.ascii {
            assert!(s.matches(m1).count() > 1, "{s}");
            assert!(s.matches(m1).count() + s.matches(m2).count() > 3, "{s}");
        }
        if theme.ascii {
            assert!(s.is_ascii(), "{s}");
        }
        insta::assert_snapshot!(format!("review_chart_by_kon_{w}x{h}_{name}"), s);
    }
}

fn bevaka_support_styled_after(app: &App, t: &mut Terminal<TestBackend>) -> String {
    t.draw(|f| f.render_widget(app, f.area())).expect("draw");
    bevaka_support_styled(t)
}

fn bevaka_support_styled(t: &Terminal<TestBackend>) -> String {
    crate::support::styled_screen(t.backend().buffer())
}

#[test]
fn review_chart_draws_the_target_line_of_one_insats_and_three_months() {
    let (mut app, mut t) = app(80, 24, COLOR);
    app.handle(Action::Chart).expect("chart");
    // Filtered to hemtjänst (target 14 days): its line, and the share within it.
    let code = app
        .processing
        .data
        .insats_codes()
        .into_iter()
        .find(|c| app.processing.data.insats_name(c).starts_with("Hemtjänst"))
        .expect("hemtjänst");
    let mut scope = app.processing.data.scope.clone();
    scope.insats_code = Some(code);
    app.processing.data.rescope(scope);
    let s = screen(&app, &mut t);
    assert!(s.contains("mål 14 d") && s.contains("mål 14 dagar"), "{s}");
    assert!(s.contains("┄"), "the target line: {s}");
    insta::assert_snapshot!("review_chart_hemtjanst_80x24", s);
    app.handle(Action::Measure).expect("verkställighetstid");
    let s = screen(&app, &mut t);
    assert!(s.contains("3 mån") && s.contains("inom 3 mån"), "{s}");
    insta::assert_snapshot!("review_chart_verkstallighet_80x24", s);
}

#[test]
fn o_in_the_review_shows_the_chart_which_follows_the_period_and_opens_it() {
    let (mut app, mut t) = app(80, 24, COLOR);
    app.handle(Action::FocusRight).expect("breakdown");
    app.handle(Action::Chart).expect("chart");
    assert!(app.processing.chart);
    app.handle(Action::Up).expect("previous quarter");
    let s = screen(&app, &mut t);
    assert!(s.contains("2014-Q3: median 19,0"), "{s}");
    assert!(
        s.contains("2014-Q3 per insats"),
        "the breakdown follows: {s}"
    );
    // Enter opens the chosen period's decisions, as from the table.
    app.handle(Action::Open).expect("open");
    let Some(bevaka::tui::drill::Layer::Decisions(l)) = app.drill() else {
        panic!("no decisions");
    };
    assert_eq!(l.list.period.to_string(), "2014-Q3");
    assert_eq!(l.list.decisions.len(), 320);
    app.handle(Action::Back).expect("back");
    app.handle(Action::Chart).expect("table");
    let s = screen(&app, &mut t);
    assert!(s.contains("Kvartal Beslut Median"), "{s}");
}
