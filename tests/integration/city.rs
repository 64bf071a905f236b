//! The city demo (issue 7) on a reduced city, checked straight from its rows: references
//! valid (through the snapshot writer), every row inside its case, three units per
//! district with goals and indicators, and the unit demo's realism per unit (caseload per
//! handläggare, a bevakningslista kept mostly in order).
//!
//! Two districts by default, to stay quick in a debug build; the full city with
//! `BEVAKA_CITY_DISTRICTS=14 cargo test --release --test integration city::` (seconds once
//! built).

use std::collections::{HashMap, HashSet};

use bevaka::demo::city;
use bevaka::model::{Case, Dataset};
use bevaka::progress::Progress;
use chrono::{Months, NaiveDate};

fn as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2014, 12, 31).expect("date")
}

/// A leap day and a date of the 2020s, besides the seeds' 2014-12-31.
fn more_as_ofs() -> [NaiveDate; 2] {
    [(2016, 2, 29), (2026, 11, 22)].map(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d).expect("date"))
}

fn districts() -> usize {
    std::env::var("BEVAKA_CITY_DISTRICTS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(2)
}

fn is_open(c: &Case, day: NaiveDate) -> bool {
    c.opened <= day && c.closed.is_none_or(|x| x > day)
}

#[test]
fn a_reduced_city_is_consistent_and_looks_like_real_units() {
    check_city(as_of(), districts());
}

#[test]
fn on_other_dates_too() {
    for as_of in more_as_ofs() {
        check_city(as_of, districts().min(1));
    }
}

fn check_city(as_of: NaiveDate, n: usize) {
    let data = city::build(as_of, n);

    // Three units per district, each with its handläggare, cases, goals and indicators.
    assert_eq!(data.units.len(), 3 * n);
    let names = city::district_names(n);
    for district in &names {
        let areas: Vec<&str> = data
            .units
            .iter()
            .filter(|u| u.district.as_deref() == Some(district))
            .filter_map(|u| u.area.as_deref())
            .collect();
        assert_eq!(
            areas,
            ["Funktionsnedsättning", "Socialpsykiatri", "Äldreomsorg"],
            "{district}"
        );
    }
    for u in &data.units {
        let id = Some(u.unit_id.as_str());
        assert!(data.case_workers.iter().any(|w| w.unit_id == u.unit_id));
        assert!(data.cases.iter().any(|c| c.unit_id == u.unit_id));
        assert!(
            data.goals.iter().any(|g| g.unit_id.as_deref() == id),
            "{}: no goals",
            u.unit_id
        );
        let indicators: HashSet<&str> = data
            .indicators
            .iter()
            .filter(|i| i.unit_id.as_deref() == id)
            .map(|i| i.indicator_id.as_str())
            .collect();
        assert!(!indicators.is_empty(), "{}: no indicators", u.unit_id);
        assert!(
            data.indicator_values
                .iter()
                .any(|v| indicators.contains(v.indicator_id.as_str())),
            "{}: no utfall",
            u.unit_id
        );
    }
    // Every indicator hangs on a goal of its own unit.
    let goal_unit: HashMap<&str, Option<&str>> = data
        .goals
        .iter()
        .map(|g| (g.goal_id.as_str(), g.unit_id.as_deref()))
        .collect();
    for i in &data.indicators {
        let goal = i.goal_id.as_deref().expect("goal");
        assert_eq!(goal_unit[goal], i.unit_id.as_deref(), "{i:?}");
    }

    rows_lie_within_their_cases(&data, as_of);
    units_look_real(&data, as_of);
}

/// The unit demo's checks of `every_row_lies_within_its_case`.
fn rows_lie_within_their_cases(data: &Dataset, as_of: NaiveDate) {
    let cases: HashMap<&str, &Case> = data.cases.iter().map(|c| (c.case_id.as_str(), c)).collect();
    assert_eq!(cases.len(), data.cases.len(), "unique case ids");
    for c in &data.cases {
        assert!(c.opened <= as_of, "{c:?}");
        assert!(c.closed.is_none_or(|x| x > c.opened && x <= as_of), "{c:?}");
    }
    let apps: HashMap<&str, _> = data
        .applications
        .iter()
        .map(|a| (a.application_id.as_str(), a))
        .collect();
    for a in &data.applications {
        let c = cases[a.case_id.as_str()];
        assert!(a.received >= c.opened && a.received <= as_of, "{a:?}");
        assert!(
            a.decided.is_none_or(|x| x >= a.received && x <= as_of),
            "{a:?}"
        );
        assert_eq!(a.decided.is_some(), a.outcome.is_some(), "{a:?}");
        if c.closed.is_some() {
            assert!(a.decided.is_some(), "undecided in a closed case: {a:?}");
        }
    }
    for i in &data.interventions {
        let c = cases[i.case_id.as_str()];
        let app = apps[i.application_id.as_deref().expect("application")];
        assert_eq!(
            (&app.case_id, &app.insats_code, app.decided),
            (&i.case_id, &i.insats_code, i.decided),
            "{i:?}"
        );
        let decided = i.decided.expect("decided");
        assert!(decided >= c.opened && decided <= as_of, "{i:?} in {c:?}");
        match (i.start, i.end, c.closed) {
            (Some(start), end, closed) => {
                assert!(start >= c.opened && start >= decided && start <= as_of);
                assert!(end.is_none_or(|e| e >= start), "{i:?}");
                if let Some(closed) = closed {
                    assert!(end.is_some_and(|e| e < closed), "{i:?} in {c:?}");
                }
            }
            (None, _, closed) => assert!(closed.is_none(), "ej verkställt, closed: {i:?}"),
        }
        assert!(i.ordered.is_none_or(|o| o >= decided && o <= as_of));
        assert!(i.plan_received.is_none_or(|p| p <= as_of));
        assert!(i.last_followup.is_none_or(|f| f <= as_of));
    }
    for f in &data.followups {
        if cases[f.case_id.as_str()].closed.is_some() {
            assert!(f.done.is_some(), "open bevakning in a closed case: {f:?}");
        }
    }
}

/// Per unit: about fifty open cases per handläggare, and a bevakningslista like the unit
/// demo's: a handful overdue per handläggare, recent, never by years, every kind present.
fn units_look_real(data: &Dataset, as_of: NaiveDate) {
    use bevaka::domain::deadlines::{Kind, Status};
    let target: HashMap<String, Option<i64>> = data
        .insats_types
        .iter()
        .map(|t| (t.insats_code.clone(), t.target_days))
        .collect();
    let items = bevaka::domain::deadlines::derive(
        &data.cases,
        &data.applications,
        &data.interventions,
        &data.followups,
        &target,
        &bevaka::config::DeadlineRules::default(),
        as_of,
    );
    for kind in Kind::ALL {
        assert!(items.iter().any(|i| i.kind == kind), "no {kind:?} item");
    }
    let overdue: Vec<_> = items
        .iter()
        .filter(|i| i.status == Status::Forsenad)
        .collect();
    let late = |i: &&bevaka::domain::deadlines::Item| -i.days_left;
    let max = overdue.iter().map(late).max().unwrap_or(0);
    assert!(max <= 365, "overdue by {max} days");
    let recent = overdue.iter().filter(|i| late(i) < 60).count();
    assert!(
        recent * 3 >= overdue.len() * 2,
        "{recent} of {}",
        overdue.len()
    );

    let mut overdue_of: HashMap<&str, usize> = HashMap::new();
    for i in &overdue {
        *overdue_of
            .entry(i.worker_id.as_deref().unwrap_or("-"))
            .or_default() += 1;
    }
    let mut open_of: HashMap<&str, usize> = HashMap::new();
    for c in data.cases.iter().filter(|c| is_open(c, as_of)) {
        *open_of
            .entry(c.worker_id.as_deref().unwrap_or("-"))
            .or_default() += 1;
    }
    // The unit demo's 31 handläggare have at most ten overdue each; among a city's
    // thousand the same habits leave a few with more, never many more.
    let mut over_ten = 0;
    for w in &data.case_workers {
        let id = w.worker_id.as_str();
        let open = open_of.get(id).copied().unwrap_or(0);
        assert!((30..=70).contains(&open), "{id}: {open} open cases");
        let late = overdue_of.get(id).copied().unwrap_or(0);
        assert!(late <= 20, "{id}: {late} overdue");
        over_ten += usize::from(late > 10);
    }
    assert!(
        over_ten <= (data.case_workers.len() / 50).max(2),
        "{over_ten} of {} handläggare with more than ten overdue",
        data.case_workers.len()
    );
    let per_worker = overdue.len() as f64 / data.case_workers.len() as f64;
    assert!(
        (2.0..=6.0).contains(&per_worker),
        "{per_worker} overdue per handläggare"
    );

    // Most active decisions followed up within the year (or taken within it: with decisions
    // renewed every six months many are younger than their first uppföljning); pending
    // applications recent.
    let year_ago = as_of.checked_sub_months(Months::new(12)).expect("date");
    let active: Vec<_> = data
        .interventions
        .iter()
        .filter(|i| i.start.is_some_and(|s| s <= as_of) && i.end.is_none_or(|e| e >= as_of))
        .collect();
    let followed = active
        .iter()
        .filter(|i| {
            i.last_followup.is_some_and(|f| f >= year_ago)
                || i.decided.is_some_and(|d| d >= year_ago)
        })
        .count();
    assert!(
        followed * 100 >= active.len() * 80,
        "{followed} of {}",
        active.len()
    );
    let ninety = as_of - chrono::TimeDelta::days(90);
    for a in data.applications.iter().filter(|a| a.decided.is_none()) {
        assert!(a.received >= ninety, "{a:?}");
    }
}

/// The same rows through the snapshot writer (references and constraints checked) and
/// through the city's streaming writer: identical tables.
#[test]
fn the_streaming_writer_writes_what_write_snapshot_writes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (whole, streamed) = (
        dir.path().join("whole.sqlite"),
        dir.path().join("streamed.sqlite"),
    );
    let n = districts().min(1);
    bevaka::snapshot::write_snapshot(&whole, &city::build(as_of(), n)).expect("write_snapshot");
    let counts = city::write(&streamed, as_of(), n).expect("streamed");

    let conn = rusqlite::Connection::open(&whole).expect("open");
    conn.execute("ATTACH ?1 AS s", [streamed.to_str().expect("utf-8 path")])
        .expect("attach");
    for (table, count) in counts {
        let n: i64 = conn
            .query_row(&format!("SELECT COUNT(*) FROM main.{table}"), [], |r| {
                r.get(0)
            })
            .expect("count");
        assert_eq!(u64::try_from(n).ok(), Some(count), "{table}");
        let differ: i64 = conn
            .query_row(
                &format!(
                    "SELECT COUNT(*) FROM (SELECT rowid, * FROM main.{table}
                     EXCEPT SELECT rowid, * FROM s.{table})"
                ),
                [],
                |r| r.get(0),
            )
            .expect("compare");
        assert_eq!(differ, 0, "{table}");
    }
    let schema = |db: &str| -> Vec<String> {
        conn.prepare(&format!(
            "SELECT type || ' ' || name || ' ' || COALESCE(sql, '') FROM {db}.sqlite_master
             WHERE name NOT LIKE 'sqlite_stat%' ORDER BY type, name"
        ))
        .and_then(|mut st| st.query_map([], |r| r.get(0))?.collect())
        .expect("schema")
    };
    assert_eq!(schema("main"), schema("s"));
    for pragma in ["user_version", "application_id"] {
        let v = |db: &str| -> i64 {
            conn.query_row(&format!("PRAGMA {db}.{pragma}"), [], |r| r.get(0))
                .expect("pragma")
        };
        assert_eq!(v("main"), v("s"), "{pragma}");
    }
}

#[test]
fn the_same_date_gives_the_same_city() {
    let a = city::build(as_of(), 1);
    let b = city::build(as_of(), 1);
    assert_eq!(a, b);
}

/// The second copy's rows with its names taken back: ids without `C2-`, names without
/// ` (stad 2)`, logins left out (each copy has its own).
fn as_first_copy(mut data: Dataset) -> Dataset {
    let id = |id: &mut String| {
        let bare = id
            .strip_prefix("C2-")
            .unwrap_or_else(|| panic!("{id}: not prefixed"))
            .to_owned();
        *id = bare;
    };
    let opt = |v: &mut Option<String>| {
        if let Some(v) = v {
            id(v);
        }
    };
    let name = |n: &mut String| {
        let bare = n
            .strip_suffix(" (stad 2)")
            .unwrap_or_else(|| panic!("{n}: not suffixed"))
            .to_owned();
        *n = bare;
    };
    for u in &mut data.units {
        id(&mut u.unit_id);
        name(&mut u.name);
        u.district.as_mut().map(name);
    }
    for w in &mut data.case_workers {
        id(&mut w.worker_id);
        id(&mut w.unit_id);
        w.login = None;
    }
    for c in &mut data.cases {
        id(&mut c.case_id);
        id(&mut c.unit_id);
        opt(&mut c.worker_id);
    }
    for a in &mut data.applications {
        id(&mut a.application_id);
        id(&mut a.case_id);
        opt(&mut a.worker_id);
    }
    for i in &mut data.interventions {
        id(&mut i.intervention_id);
        id(&mut i.case_id);
        opt(&mut i.application_id);
    }
    for i in &mut data.interruptions {
        id(&mut i.interruption_id);
        id(&mut i.intervention_id);
    }
    for f in &mut data.followups {
        id(&mut f.followup_id);
        id(&mut f.case_id);
        opt(&mut f.worker_id);
    }
    for g in &mut data.goals {
        id(&mut g.goal_id);
        opt(&mut g.parent_id);
        opt(&mut g.unit_id);
    }
    for i in &mut data.indicators {
        id(&mut i.indicator_id);
        opt(&mut i.goal_id);
        opt(&mut i.unit_id);
    }
    for v in &mut data.indicator_values {
        id(&mut v.indicator_id);
    }
    data
}

/// `--cities 2` (issue 16): the first copy is the city row for row, the second the same rows
/// under names of its own, every login once, the insats types once.
#[test]
fn two_cities_are_the_city_and_a_renamed_copy() {
    let n = districts().min(1);
    let city = city::build(as_of(), n);
    let pieces: Vec<Dataset> = city::cities_pieces(as_of(), n, 2).collect();
    assert_eq!(pieces.len(), 2 * n);
    let (first, second) = pieces.split_at(n);
    let mut whole = Dataset::default();
    for p in first {
        whole.units.extend(p.units.iter().cloned());
        whole.case_workers.extend(p.case_workers.iter().cloned());
        whole.insats_types.extend(p.insats_types.iter().cloned());
        whole.cases.extend(p.cases.iter().cloned());
        whole.applications.extend(p.applications.iter().cloned());
        whole.interventions.extend(p.interventions.iter().cloned());
        whole.interruptions.extend(p.interruptions.iter().cloned());
        whole.followups.extend(p.followups.iter().cloned());
        whole.goals.extend(p.goals.iter().cloned());
        whole.indicators.extend(p.indicators.iter().cloned());
        whole
            .indicator_values
            .extend(p.indicator_values.iter().cloned());
    }
    assert_eq!(whole, city, "the first copy is the city");

    let mut without_logins = city.clone();
    without_logins.insats_types.clear();
    for w in &mut without_logins.case_workers {
        w.login = None;
    }
    let copy = second
        .iter()
        .cloned()
        .fold(Dataset::default(), |mut all, p| {
            assert!(
                p.insats_types.is_empty(),
                "the insats types are written once"
            );
            all.units.extend(p.units);
            all.case_workers.extend(p.case_workers);
            all.cases.extend(p.cases);
            all.applications.extend(p.applications);
            all.interventions.extend(p.interventions);
            all.interruptions.extend(p.interruptions);
            all.followups.extend(p.followups);
            all.goals.extend(p.goals);
            all.indicators.extend(p.indicators);
            all.indicator_values.extend(p.indicator_values);
            all
        });
    let logins: Vec<&str> = city
        .case_workers
        .iter()
        .chain(&copy.case_workers)
        .filter_map(|w| w.login.as_deref())
        .collect();
    let unique: HashSet<&str> = logins.iter().copied().collect();
    assert_eq!(unique.len(), logins.len(), "a login is one handläggare's");
    assert_eq!(
        city.case_workers
            .iter()
            .filter(|w| w.login.is_some())
            .count(),
        copy.case_workers
            .iter()
            .filter(|w| w.login.is_some())
            .count(),
        "the copy's handläggare have logins as the city's do"
    );
    assert_eq!(as_first_copy(copy), without_logins);
}

/// Written through the streaming writer (references and constraints checked), a copy's
/// reports are the city's under its own names, and `--cities 1` writes what the city
/// demo writes.
#[test]
fn a_copy_reports_what_the_city_reports() {
    use crate::support::bevaka;
    let dir = tempfile::tempdir().expect("tempdir");
    let (one, two, again) = (
        dir.path().join("one.sqlite"),
        dir.path().join("two.sqlite"),
        dir.path().join("again.sqlite"),
    );
    let n = districts().min(1);
    let counts = city::write(&one, as_of(), n).expect("one city");
    let doubled = city::write_cities(&two, as_of(), n, 2, &Progress::hidden()).expect("two cities");
    for ((table, a), (_, b)) in counts.iter().zip(&doubled) {
        let want = if *table == "insats_types" { *a } else { 2 * a };
        assert_eq!(*b, want, "{table}");
    }
    let unit = city::cities_pieces(as_of(), n, 1)
        .next()
        .and_then(|p| p.units.first().map(|u| u.unit_id.clone()))
        .expect("a unit");
    let report = |file: &std::path::Path, unit: &str| -> String {
        let o = bevaka()
            .args([
                "report",
                "caseload",
                "--today",
                "2014-12-31",
                "--format",
                "json",
            ])
            .args(["--unit", unit, "--snapshot"])
            .arg(file)
            .output()
            .expect("run");
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8(o.stdout).expect("utf-8")
    };
    let city_json = report(&one, &unit);
    assert_eq!(report(&two, &unit), city_json, "the first copy");
    let copy_json = report(&two, &format!("C2-{unit}"));
    assert_ne!(copy_json, city_json);
    assert_eq!(
        copy_json.replace("C2-", "").replace(" (stad 2)", ""),
        city_json,
        "the second copy"
    );

    // `--cities 1` and the city demo: the same file, byte for byte.
    city::write_cities(&again, as_of(), n, 1, &Progress::hidden()).expect("again");
    assert!(
        std::fs::read(&one).expect("read") == std::fs::read(&again).expect("read"),
        "--cities 1 is the city"
    );
}

#[test]
fn the_number_of_cities_is_checked() {
    use crate::support::bevaka;
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("x.sqlite");
    for (args, want) in [
        (
            vec!["--scale", "city", "--cities", "0"],
            "ogiltigt antal städer",
        ),
        (vec!["--scale", "city", "--cities", "21"], "1–20"),
        (
            vec!["--scale", "city", "--cities", "tre"],
            "ogiltigt antal städer",
        ),
        (vec!["--cities", "2"], "--scale city"),
    ] {
        let o = bevaka()
            .arg("demo")
            .args(&args)
            .arg("--out")
            .arg(&out)
            .output()
            .expect("run");
        assert!(!o.status.success(), "{args:?}");
        let e = String::from_utf8_lossy(&o.stderr);
        assert!(e.contains(want), "{args:?}: {e}");
        assert!(!out.exists(), "{args:?}: wrote a file");
    }
}
