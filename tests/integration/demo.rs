//! The demo data against the seeds' figures, computed independently straight from the
//! rows (not through the production queries): caseload by insats on the three report
//! dates, open cases per team, spans inside their cases, determinism, the snapshot
//! writer's constraints, and no personnummer-like labels.

use std::collections::{BTreeMap, HashMap, HashSet};

use bevaka::demo::build;
use bevaka::model::{Case, Dataset, Direction, Outcome, Sex};
use chrono::{Months, NaiveDate};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("date")
}

fn years_back(date: NaiveDate, years: u32) -> NaiveDate {
    date.checked_sub_months(Months::new(12 * years))
        .expect("date")
}

const AS_OFS: [(i32, u32, u32); 3] = [(2014, 12, 31), (2016, 2, 29), (2026, 11, 22)];

/// More dates for the figures: month ends, leap days and the days around them.
const MORE_AS_OFS: [(i32, u32, u32); 9] = [
    (2013, 3, 1),
    (2015, 2, 28),
    (2017, 2, 28),
    (2019, 6, 30),
    (2020, 2, 29),
    (2021, 3, 1),
    (2024, 2, 29),
    (2025, 8, 15),
    (2030, 1, 1),
];

/// 001's tables: (area, insats, dec-14, dec-13, dec-12).
const SEED: [(&str, &str, usize, usize, usize); 11] = [
    ("Funktionsnedsättning", "Hemtjänst", 108, 118, 106),
    ("Funktionsnedsättning", "Boendestöd", 70, 58, 43),
    ("Funktionsnedsättning", "Personlig assistans", 11, 11, 10),
    ("Funktionsnedsättning", "Assistansersättning", 82, 79, 69),
    (
        "Funktionsnedsättning",
        "Grupp- och servicebostad",
        146,
        138,
        132,
    ),
    ("Funktionsnedsättning", "Daglig verksamhet", 227, 215, 209),
    ("Funktionsnedsättning", "Avlösning", 38, 39, 33),
    ("Socialpsykiatri", "HVB-hem särskilt boende", 25, 25, 29),
    ("Socialpsykiatri", "Särskilt boende egen regi", 26, 24, 21),
    ("Socialpsykiatri", "Boendestöd", 161, 149, 157),
    ("Socialpsykiatri", "Sysselsättning", 56, 58, 57),
];

/// Distinct cases with an intervention of the insats active on `day`.
fn caseload(data: &Dataset, code: &str, day: NaiveDate) -> usize {
    data.interventions
        .iter()
        .filter(|i| {
            i.insats_code == code
                && i.start.is_some_and(|s| s <= day)
                && i.end.is_none_or(|e| e >= day)
        })
        .map(|i| i.case_id.as_str())
        .collect::<HashSet<_>>()
        .len()
}

fn is_open(c: &Case, day: NaiveDate) -> bool {
    c.opened <= day && c.closed.is_none_or(|x| x > day)
}

/// Open cases of unit 1 per team on `day`.
fn open_by_team(data: &Dataset, day: NaiveDate) -> BTreeMap<String, usize> {
    let unit = &data.units[0].unit_id;
    let mut out = BTreeMap::new();
    for c in data
        .cases
        .iter()
        .filter(|c| &c.unit_id == unit && is_open(c, day))
    {
        *out.entry(c.team.clone().unwrap_or_default()).or_insert(0) += 1;
    }
    out
}

fn code_of<'a>(data: &'a Dataset, area: &str, name: &str) -> &'a str {
    let found: Vec<_> = data
        .insats_types
        .iter()
        .filter(|t| t.area == area && t.name == name)
        .collect();
    assert_eq!(found.len(), 1, "one insats type {area}/{name}");
    &found[0].insats_code
}

#[test]
fn caseload_by_insats_is_the_seeds_on_all_three_dates() {
    for (y, m, day) in AS_OFS.into_iter().chain(MORE_AS_OFS) {
        let as_of = d(y, m, day);
        let data = build(as_of);
        let dates = [as_of, years_back(as_of, 1), years_back(as_of, 2)];
        for (area, name, now, one, two) in SEED {
            let code = code_of(&data, area, name);
            let got: Vec<usize> = dates.iter().map(|&x| caseload(&data, code, x)).collect();
            assert_eq!(got, [now, one, two], "{area}/{name} on {dates:?}");
        }
    }
}

#[test]
fn open_cases_per_team_are_the_seeds() {
    for (y, m, day) in AS_OFS.into_iter().chain(MORE_AS_OFS) {
        let as_of = d(y, m, day);
        let data = build(as_of);
        let want = |sp, barn, vuxna| {
            BTreeMap::from([
                ("Funktionsnedsättning barn/ungdom".to_owned(), barn),
                ("Funktionsnedsättning vuxna".to_owned(), vuxna),
                ("Socialpsykiatri".to_owned(), sp),
            ])
        };
        let now = open_by_team(&data, as_of);
        assert_eq!(now, want(268, 156, 476), "{as_of}");
        assert_eq!(now.values().sum::<usize>(), 900);
        let before = open_by_team(&data, years_back(as_of, 1));
        assert_eq!(before, want(261, 146, 465), "{as_of}");
        assert_eq!(before.values().sum::<usize>(), 872);
    }
}

#[test]
fn same_date_same_rows() {
    let as_of = d(2014, 12, 31);
    assert_eq!(build(as_of), build(as_of));
    let leap = d(2016, 2, 29);
    assert_eq!(build(leap), build(leap));
}

#[test]
fn every_row_lies_within_its_case() {
    for (y, m, day) in AS_OFS {
        let as_of = d(y, m, day);
        let data = build(as_of);
        let cases: HashMap<&str, &Case> =
            data.cases.iter().map(|c| (c.case_id.as_str(), c)).collect();
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
            assert!(
                a.received >= c.opened && a.received <= as_of,
                "{a:?} in {c:?}"
            );
            assert!(
                a.decided.is_none_or(|x| x >= a.received && x <= as_of),
                "{a:?}"
            );
            assert!(
                a.investigation_started
                    .is_none_or(|x| x >= a.received && x <= as_of)
            );
            assert_eq!(a.decided.is_some(), a.outcome.is_some(), "{a:?}");
            if c.closed.is_some() {
                assert!(a.decided.is_some(), "undecided in a closed case: {a:?}");
            }
        }
        for i in &data.interventions {
            let c = cases[i.case_id.as_str()];
            let app = apps[i
                .application_id
                .as_deref()
                .expect("linked to its application")];
            assert_eq!(app.case_id, i.case_id);
            assert_eq!(app.insats_code, i.insats_code);
            assert_eq!(app.decided, i.decided, "{i:?}");
            let decided = i.decided.expect("decided");
            assert!(decided >= c.opened && decided <= as_of, "{i:?} in {c:?}");
            if let Some(start) = i.start {
                // Every day the intervention is active, its case is open.
                assert!(
                    start >= c.opened && start >= decided && start <= as_of,
                    "{i:?} in {c:?}"
                );
                match (i.end, c.closed) {
                    (Some(end), Some(closed)) => {
                        assert!(end >= start && end < closed, "{i:?} in {c:?}")
                    }
                    (None, Some(_)) => panic!("open-ended intervention in a closed case: {i:?}"),
                    (Some(end), None) => assert!(end >= start, "{i:?}"),
                    (None, None) => {}
                }
            } else {
                assert!(c.closed.is_none(), "ej verkställt in a closed case: {i:?}");
            }
            assert!(
                i.ordered.is_none_or(|o| o >= decided && o <= as_of),
                "{i:?}"
            );
            assert!(i.plan_received.is_none_or(|p| p <= as_of), "{i:?}");
            assert!(i.last_followup.is_none_or(|f| f <= as_of), "{i:?}");
        }
        for f in &data.followups {
            let c = cases[f.case_id.as_str()];
            if c.closed.is_some() {
                assert!(f.done.is_some(), "open bevakning in a closed case: {f:?}");
            }
        }
    }
}

#[test]
fn the_snapshot_writer_accepts_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("demo.sqlite");
    bevaka::snapshot::write::write_snapshot(&out, &build(d(2014, 12, 31))).expect("write");
    assert!(out.exists());
}

#[test]
fn client_labels_are_initials_and_a_year() {
    let as_of = d(2014, 12, 31);
    let data = build(as_of);
    for c in &data.cases {
        let label = c.client_label.as_deref().expect("label");
        let mut run = 0;
        let mut longest = 0;
        for ch in label.chars() {
            run = if ch.is_ascii_digit() { run + 1 } else { 0 };
            longest = longest.max(run);
        }
        assert!(longest <= 4, "looks like a personnummer: {label}");
        let year: i32 = label
            .rsplit(' ')
            .next()
            .and_then(|y| y.parse().ok())
            .expect("year");
        let age = 2014 - year;
        match c.team.as_deref() {
            Some("Funktionsnedsättning barn/ungdom") if c.closed.is_none() => {
                assert!((0..=20).contains(&age), "{label}");
            }
            Some("Funktionsnedsättning vuxna") if c.closed.is_none() => {
                assert!((21..=64).contains(&age), "{label}");
            }
            Some("Ordinärt boende" | "Vårdplanering" | "Särskilt boende") => {
                assert!(age >= 65, "{label}");
            }
            _ => {}
        }
    }
}

#[test]
fn insats_types_in_the_documents_order() {
    let data = build(d(2014, 12, 31));
    let names: Vec<(&str, &str)> = data
        .insats_types
        .iter()
        .take(SEED.len())
        .map(|t| (t.area.as_str(), t.name.as_str()))
        .collect();
    let want: Vec<(&str, &str)> = SEED.iter().map(|s| (s.0, s.1)).collect();
    assert_eq!(names, want);
    assert!(
        data.insats_types[SEED.len()..]
            .iter()
            .all(|t| t.area == "Äldreomsorg")
    );
    let hemtj = data
        .insats_types
        .iter()
        .find(|t| t.area == "Äldreomsorg" && t.name == "Hemtjänst")
        .expect("äldreomsorg hemtjänst");
    assert_eq!(hemtj.target_days, Some(14));
}

#[test]
fn indicators_as_in_the_annual_report() {
    let data = build(d(2026, 11, 22));
    let values = |name: &str| -> Vec<Vec<(String, f64)>> {
        data.indicators
            .iter()
            .filter(|i| i.name == name)
            .map(|i| {
                assert_eq!(i.year, 2026);
                data.indicator_values
                    .iter()
                    .filter(|v| v.indicator_id == i.indicator_id)
                    .map(|v| (v.period.clone(), v.value))
                    .collect()
            })
            .collect()
    };
    let p = |y: &str, v: f64| (y.to_owned(), v);
    assert_eq!(
        values("Andel ekologiska livsmedel i stadens egna verksamheter"),
        [vec![p("2025", 20.58), p("2026", 27.38)]]
    );
    assert_eq!(
        values("Nämndens budgetföljsamhet efter resultatöverföringar"),
        [vec![p("2025", 99.96), p("2026", 99.99)]]
    );
    assert_eq!(
        values("Andel av utredningar inom IoF, socialpsykiatri där metoden DUR används"),
        [vec![p("2026", 98.13)]]
    );
    assert_eq!(
        values(
            "Nöjda brukare - LSS-boende, vuxna och barn (Stöd och service till personer med funktionsnedsättning)"
        ),
        [
            vec![p("2025", 82.0), p("2026", 91.0)],
            vec![p("2026", 91.0)]
        ]
    );
    let sjuk: Vec<_> = data
        .indicators
        .iter()
        .filter(|i| {
            i.name == "Sjukfrånvaro" && i.unit_id.as_deref() == Some(data.units[0].unit_id.as_str())
        })
        .collect();
    assert_eq!(sjuk.len(), 1);
    assert_eq!(sjuk[0].direction, Direction::Lower);
    assert_eq!(
        (sjuk[0].target, sjuk[0].city_target),
        (Some(5.8), Some(4.4))
    );
    assert_eq!(values("Sjukfrånvaro")[0], [p("2026", 5.5)]);
    let dur = data
        .indicators
        .iter()
        .find(|i| i.name.starts_with("Andel av utredningar inom IoF"))
        .expect("DUR");
    assert_eq!(
        (dur.target, dur.city_target, dur.city_target_text.as_deref()),
        (Some(90.0), None, None)
    );
    let funk = data
        .indicators
        .iter()
        .find(|i| i.name == "Andel enskilda som ökat sin funktionsförmåga inom socialpsykiatrin")
        .expect("funktionsförmåga");
    assert_eq!(
        funk.city_target_text.as_deref(),
        Some("tas fram av nämnden")
    );
    assert!(data.indicators.iter().all(|i| !i.name.contains('\n')));
    // The äldreomsorg unit reports by tertial too.
    assert!(data.indicator_values.iter().any(|v| v.period == "2026-T1"));
    assert!(data.indicator_values.iter().any(|v| v.period == "2026-T2"));
    // The goal chain's top and its commitments.
    let codes: Vec<&str> = data
        .goals
        .iter()
        .filter(|g| g.unit_id.as_deref() == Some(data.units[0].unit_id.as_str()))
        .filter_map(|g| g.code.as_deref())
        .collect();
    assert_eq!(
        codes,
        [
            "1", "1.3", "1.7", "2", "2.1", "2.3", "2.4", "3", "3.1", "3.2"
        ]
    );
}

/// The dashboard's lists must have something to show on any day: a little of everything
/// the rules look for, in plausible amounts.
#[test]
fn the_lists_have_something_in_them() {
    let as_of = d(2014, 12, 31);
    let data = build(as_of);
    let days = |a: NaiveDate, b: NaiveDate| (b - a).num_days();
    let unit = data.units[0].unit_id.as_str();
    let cases: HashMap<&str, &Case> = data.cases.iter().map(|c| (c.case_id.as_str(), c)).collect();
    let in_unit = |case_id: &str| cases[case_id].unit_id == unit;
    let target: HashMap<&str, Option<i64>> = data
        .insats_types
        .iter()
        .map(|t| (t.insats_code.as_str(), t.target_days))
        .collect();

    // Open cases without an active insats in every team of unit 1.
    for team in [
        "Socialpsykiatri",
        "Funktionsnedsättning barn/ungdom",
        "Funktionsnedsättning vuxna",
    ] {
        let idle = data
            .cases
            .iter()
            .filter(|c| c.team.as_deref() == Some(team) && is_open(c, as_of))
            .filter(|c| {
                !data.interventions.iter().any(|i| {
                    i.case_id == c.case_id
                        && i.start.is_some_and(|s| s <= as_of)
                        && i.end.is_none_or(|e| e >= as_of)
                })
            })
            .count();
        assert!(
            (5..=60).contains(&idle),
            "{team}: {idle} open cases without insats"
        );
    }

    // A few ej verkställda beslut older than three months.
    let three_months = as_of.checked_sub_months(Months::new(3)).expect("date");
    let ej = data
        .interventions
        .iter()
        .filter(|i| in_unit(&i.case_id) && i.start.is_none())
        .filter(|i| i.decided.is_some_and(|x| x < three_months))
        .count();
    assert!((2..=10).contains(&ej), "{ej} ej verkställda");

    // Applications under utredning: some past their target, some not yet investigated.
    let pending: Vec<_> = data
        .applications
        .iter()
        .filter(|a| in_unit(&a.case_id) && a.decided.is_none())
        .collect();
    assert!(
        (15..=90).contains(&pending.len()),
        "{} pending",
        pending.len()
    );
    assert!(
        pending.iter().any(|a| {
            target[a.insats_code.as_str()].is_some_and(|t| days(a.received, as_of) > t)
        })
    );
    assert!(
        pending
            .iter()
            .any(|a| a.investigation_started.is_none() && days(a.received, as_of) > 7)
    );

    // Outcomes of every kind; decisions mostly, not always, within the target.
    for outcome in Outcome::ALL {
        assert!(
            data.applications
                .iter()
                .any(|a| a.outcome == Some(*outcome)),
            "{outcome}"
        );
    }
    let timed: Vec<bool> = data
        .applications
        .iter()
        .filter_map(|a| Some(days(a.received, a.decided?) <= target[a.insats_code.as_str()]?))
        .collect();
    let within = timed.iter().filter(|&&w| w).count() * 100 / timed.len();
    assert!((60..=90).contains(&within), "{within} % within target");

    // Active decisions: omprövning soon, uppföljning overdue, genomförandeplan missing.
    let active: Vec<_> = data
        .interventions
        .iter()
        .filter(|i| i.start.is_some_and(|s| s <= as_of) && i.end.is_none_or(|e| e >= as_of))
        .collect();
    assert!(
        active
            .iter()
            .any(|i| i.end.is_some_and(|e| days(as_of, e) <= 30))
    );
    let year_ago = years_back(as_of, 1);
    assert!(
        active
            .iter()
            .any(|i| i.last_followup.is_some_and(|f| f < year_ago))
    );
    assert!(
        active
            .iter()
            .any(|i| i.plan_received.is_none() && i.ordered.is_some_and(|o| days(o, as_of) > 14))
    );
    let followed = active
        .iter()
        .filter(|i| i.last_followup.is_some_and(|f| f >= year_ago))
        .count();
    assert!(
        followed * 100 / active.len() >= 60,
        "{followed} of {} followed up",
        active.len()
    );

    // Bevakningar overdue, due this week and this month.
    let open: Vec<i64> = data
        .followups
        .iter()
        .filter(|f| f.done.is_none())
        .map(|f| days(as_of, f.due))
        .collect();
    assert!(open.iter().any(|&n| n < 0));
    assert!(open.iter().any(|&n| (1..=7).contains(&n)));
    assert!(open.iter().any(|&n| (8..=30).contains(&n)));

    // 18 handläggare in unit 1, around fifty open cases each.
    let workers: Vec<_> = data
        .case_workers
        .iter()
        .filter(|w| w.unit_id == unit)
        .collect();
    assert_eq!(workers.len(), 18);
    for w in workers {
        let n = data
            .cases
            .iter()
            .filter(|c| c.worker_id.as_deref() == Some(w.worker_id.as_str()) && is_open(c, as_of))
            .count();
        assert!((40..=60).contains(&n), "{}: {n}", w.worker_id);
    }
}

/// The bevakningslista of the whole demo on `as_of`, by the default rules.
fn bevakningslista(data: &Dataset, as_of: NaiveDate) -> Vec<bevaka::domain::deadlines::Item> {
    let target: HashMap<String, Option<i64>> = data
        .insats_types
        .iter()
        .map(|t| (t.insats_code.clone(), t.target_days))
        .collect();
    bevaka::domain::deadlines::derive(
        &data.cases,
        &data.applications,
        &data.interventions,
        &data.followups,
        &target,
        &bevaka::config::DeadlineRules::default(),
        as_of,
    )
}

/// A unit that keeps its bevakningslista in order: a handful of overdue items per
/// handläggare, mostly days or weeks late, none by years, and every kind of item present.
#[test]
fn the_bevakningslista_looks_like_a_real_units() {
    use bevaka::domain::deadlines::{Kind, Status};
    for (y, m, day) in AS_OFS {
        let as_of = d(y, m, day);
        let data = build(as_of);
        let items = bevakningslista(&data, as_of);
        let overdue: Vec<_> = items
            .iter()
            .filter(|i| i.status == Status::Forsenad)
            .collect();
        let late = |i: &&bevaka::domain::deadlines::Item| -i.days_left;
        assert!(
            (60..=150).contains(&overdue.len()),
            "{as_of}: {} overdue",
            overdue.len()
        );
        let max = overdue.iter().map(late).max().unwrap_or(0);
        assert!(max <= 365, "{as_of}: overdue by {max} days");
        let recent = overdue.iter().filter(|i| late(i) < 60).count();
        assert!(
            recent * 3 >= overdue.len() * 2,
            "{as_of}: {recent} of {} overdue less than 60 days",
            overdue.len()
        );
        for kind in Kind::ALL {
            assert!(
                items.iter().any(|i| i.kind == kind),
                "{as_of}: no {} item",
                kind.as_str()
            );
        }
        let mut per_worker: HashMap<&str, usize> = HashMap::new();
        for i in &overdue {
            *per_worker
                .entry(i.worker_id.as_deref().unwrap_or("-"))
                .or_insert(0) += 1;
        }
        for (worker, n) in per_worker {
            assert!(n <= 10, "{as_of}: {worker} has {n} overdue");
        }

        // The rows behind it. Every genomförandeplan of a beställning more than two
        // months old has come back, 3–30 days after it.
        let two_months = days_before(as_of, 60);
        for i in &data.interventions {
            if let Some(ordered) = i.ordered {
                if let Some(plan) = i.plan_received {
                    assert!((3..=30).contains(&(plan - ordered).num_days()), "{i:?}");
                } else {
                    assert!(ordered > two_months, "no plan: {i:?}");
                }
            }
            if let (Some(f), Some(start)) = (i.last_followup, i.start) {
                assert!(f >= start && i.decided.is_none_or(|x| f >= x), "{i:?}");
            }
        }
        // Most active decisions were followed up within the last year.
        let year_ago = years_back(as_of, 1);
        let active: Vec<_> = data
            .interventions
            .iter()
            .filter(|i| i.start.is_some_and(|s| s <= as_of) && i.end.is_none_or(|e| e >= as_of))
            .collect();
        let followed = active
            .iter()
            .filter(|i| i.last_followup.is_some_and(|f| f >= year_ago))
            .count();
        assert!(
            followed * 100 >= active.len() * 80,
            "{as_of}: {followed} of {} followed up",
            active.len()
        );
        // Applications under utredning and open bevakningar are recent.
        let open: HashSet<&str> = data
            .cases
            .iter()
            .filter(|c| is_open(c, as_of))
            .map(|c| c.case_id.as_str())
            .collect();
        for a in &data.applications {
            if a.decided.is_none() {
                assert!(a.received >= days_before(as_of, 90), "{a:?}");
            }
        }
        for f in &data.followups {
            if f.done.is_none() && open.contains(f.case_id.as_str()) {
                assert!(f.due >= days_before(as_of, 100), "{f:?}");
            }
        }
    }
}

fn days_before(date: NaiveDate, n: u64) -> NaiveDate {
    date.checked_sub_days(chrono::Days::new(n)).expect("date")
}

/// Version 2's values on `as_of`, checked straight from the rows: kön by area, logins,
/// offers and delay reasons of decisions that wait, and avbrott that lie within their
/// interventions, with something for the IVO report to show. Returns the units that have
/// an ej verkställt beslut on `as_of`, and those that have an avbrott over three months.
fn check_version_2(data: &Dataset, as_of: NaiveDate) -> [HashSet<String>; 2] {
    let cases: HashMap<&str, &Case> = data.cases.iter().map(|c| (c.case_id.as_str(), c)).collect();
    let area_of: HashMap<&str, &str> = data
        .units
        .iter()
        .map(|u| (u.unit_id.as_str(), u.area.as_deref().unwrap_or_default()))
        .collect();

    // Kön: nearly every case has one; two thirds of äldreomsorg's clients are women, more
    // men than women in LSS, about even in socialpsykiatri.
    let mut by_area: BTreeMap<&str, [usize; 3]> = BTreeMap::new();
    for c in &data.cases {
        let team = c.team.as_deref().unwrap_or_default();
        let area = if area_of[c.unit_id.as_str()] == "Äldreomsorg" {
            "Äldreomsorg"
        } else if team.starts_with("Socialpsykiatri") {
            "Socialpsykiatri"
        } else {
            assert!(team.starts_with("Funktionsnedsättning"), "{c:?}");
            "Funktionsnedsättning"
        };
        let counts = by_area.entry(area).or_default();
        counts[match c.sex {
            Some(Sex::K) => 0,
            Some(Sex::M) => 1,
            None => 2,
        }] += 1;
    }
    assert_eq!(by_area.len(), 3, "{by_area:?}");
    for (area, [k, m, unknown]) in &by_area {
        let women = k * 1000 / (k + m);
        let (lo, hi) = match *area {
            "Äldreomsorg" => (600, 720),
            "Funktionsnedsättning" => (320, 480),
            _ => (420, 580),
        };
        assert!(
            (lo..=hi).contains(&women),
            "{as_of} {area}: {women} ‰ women"
        );
        let unknown = unknown * 1000 / (k + m + unknown);
        assert!(
            (5..=50).contains(&unknown),
            "{as_of} {area}: {unknown} ‰ unknown"
        );
    }

    // Logins: lowercase ASCII from the name, unique, for nine in ten handläggare.
    let mut logins = HashSet::new();
    for w in &data.case_workers {
        let Some(login) = w.login.as_deref() else {
            continue;
        };
        assert!(logins.insert(login), "login {login} twice");
        assert!(
            login.starts_with(|c: char| c.is_ascii_lowercase())
                && login
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()),
            "{w:?}"
        );
        let initial = w.name.chars().next().expect("name").to_lowercase().next();
        let folded = match initial {
            Some('å' | 'ä') => Some('a'),
            Some('ö') => Some('o'),
            other => other,
        };
        assert_eq!(login.chars().next(), folded, "{w:?}");
    }
    let share = logins.len() * 100 / data.case_workers.len();
    assert!(
        (80..=97).contains(&share),
        "{as_of}: {share} % with a login"
    );

    // Offers and delay reasons: dated between the decision and the start (or `as_of`);
    // reasons for most decisions that waited long, seldom for those verkställda within
    // a month.
    let three_months = |d: NaiveDate| d.checked_add_months(Months::new(3)).expect("date");
    let mut ej_verkstallda = 0;
    let mut ej_units = HashSet::new();
    let mut ej_with_reason = 0;
    let (mut quick, mut quick_with_reason) = (0, 0);
    for i in &data.interventions {
        let decided = i.decided.expect("decided");
        if let Some(offered) = i.offered {
            assert!(
                offered >= decided && offered <= i.start.unwrap_or(as_of) && offered <= as_of,
                "{i:?}"
            );
        }
        if let Some(reason) = &i.delay_reason {
            assert!(
                reason.starts_with(char::is_uppercase) && reason.trim() == reason,
                "{i:?}"
            );
        }
        let c = cases[i.case_id.as_str()];
        let stop = [i.start, i.end, c.closed].into_iter().flatten().min();
        if stop.is_none_or(|s| s > as_of) && as_of > three_months(decided) {
            ej_verkstallda += 1;
            ej_units.insert(c.unit_id.clone());
            ej_with_reason += usize::from(i.delay_reason.is_some());
        }
        if i.start.is_some_and(|s| (s - decided).num_days() <= 30) {
            quick += 1;
            quick_with_reason += usize::from(i.delay_reason.is_some());
        }
    }
    assert!(ej_verkstallda >= 1, "{as_of}: no ej verkställt beslut");
    assert!(
        ej_with_reason * 10 >= ej_verkstallda * 7,
        "{as_of}: {ej_with_reason} of {ej_verkstallda} ej verkställda with a reason"
    );
    assert!(
        quick_with_reason * 100 <= quick * 5,
        "{as_of}: {quick_with_reason} of {quick} started within a month with a reason"
    );
    let with_reason = data
        .interventions
        .iter()
        .filter(|i| i.delay_reason.is_some())
        .count();
    assert!(with_reason >= 10, "{as_of}: {with_reason} delay reasons");
    assert!(
        data.interventions
            .iter()
            .any(|i| i.offered.is_some() && i.start.is_none()),
        "{as_of}: no offer to a decision still waiting"
    );
    assert!(
        data.interventions
            .iter()
            .any(|i| i.offered.is_some() && i.start.is_some()),
        "{as_of}: no offer taken up"
    );

    // Avbrott: within their started interventions, a few per hundred, some resumed and at
    // least one over three months on `as_of`.
    let inters: HashMap<&str, _> = data
        .interventions
        .iter()
        .map(|i| (i.intervention_id.as_str(), i))
        .collect();
    let mut ids = HashSet::new();
    let mut long = HashSet::new();
    for a in &data.interruptions {
        assert!(ids.insert(a.interruption_id.as_str()), "{a:?} twice");
        let i = inters
            .get(a.intervention_id.as_str())
            .unwrap_or_else(|| panic!("no intervention for {a:?}"));
        assert!(
            a.interruption_id
                .starts_with(&format!("{}/AV", i.intervention_id)),
            "{a:?}"
        );
        let start = i.start.expect("an avbrott of a started intervention");
        assert!(
            a.interrupted >= start && a.interrupted < as_of,
            "{a:?} {i:?}"
        );
        assert!(i.end.is_none_or(|e| a.interrupted < e), "{a:?} {i:?}");
        assert!(
            a.resumed
                .is_none_or(|r| r >= a.interrupted && r <= as_of && i.end.is_none_or(|e| r <= e)),
            "{a:?} {i:?}"
        );
        let c = cases[i.case_id.as_str()];
        assert!(c.closed.is_none_or(|x| a.interrupted < x), "{a:?} {c:?}");
        assert!(a.reason.as_deref().is_some_and(|r| !r.is_empty()), "{a:?}");
        let stop = [a.resumed, i.end, c.closed].into_iter().flatten().min();
        if stop.is_none_or(|s| s > as_of) && as_of > three_months(a.interrupted) {
            long.insert(c.unit_id.clone());
        }
    }
    let started = data
        .interventions
        .iter()
        .filter(|i| i.start.is_some())
        .count();
    let per_mille = data.interruptions.len() * 1000 / started;
    assert!(
        (5..=60).contains(&per_mille),
        "{as_of}: {per_mille} ‰ of started interventions interrupted"
    );
    assert!(
        data.interruptions.iter().any(|a| a.resumed.is_some()),
        "{as_of}: no avbrott resumed"
    );
    assert!(!long.is_empty(), "{as_of}: no avbrott over three months");
    [ej_units, long]
}

#[test]
fn version_2_values_are_realistic() {
    for (y, m, day) in AS_OFS {
        let as_of = d(y, m, day);
        let data = build(as_of);
        // Every unit has rows for the IVO report.
        for units in check_version_2(&data, as_of) {
            assert_eq!(units.len(), data.units.len(), "{as_of}: {units:?}");
        }
    }
}

#[test]
fn version_2_values_of_a_reduced_city() {
    let as_of = d(2014, 12, 31);
    let data = bevaka::demo::city::build(as_of, 2);
    // Each of the city's units has an ej verkställt beslut and an avbrott over three
    // months for the IVO report.
    let units: HashSet<String> = data.units.iter().map(|u| u.unit_id.clone()).collect();
    assert_eq!(units.len(), 6);
    for found in check_version_2(&data, as_of) {
        assert_eq!(found, units);
    }
}
