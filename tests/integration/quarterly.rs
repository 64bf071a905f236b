//! The quarterly reporting of snapshot version 2 against DOMAIN.md, computed straight from
//! the rows here (naively: day by day, month by month, without the production code): the
//! IVO report and the nämnd's summary, handläggningstid and verkställighetstid by quarter,
//! tertial and half-year and by kön, and caseload by kön — on random version 2 exports
//! read through the CSV import, and on the demo. And version 1 files: the same figures as
//! before, the new ones empty.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::process::Command;

use bevaka::domain::caseload;
use bevaka::domain::ivo::{self, Status};
use bevaka::domain::periods::{Period, PeriodKind};
use bevaka::domain::processing::{self, Measure, Scope};
use bevaka::model::{Case, Dataset, Sex};
use bevaka::snapshot::queries::Filter;
use chrono::{Datelike, Months, NaiveDate};
use serde_json::Value;

use crate::caseload::{every_kind_of_filter, file_snapshot, memory_snapshot};

fn d(s: &str) -> NaiveDate {
    bevaka::domain::dates::parse_iso(s).expect("date")
}

fn plus_months(day: NaiveDate, months: u32) -> NaiveDate {
    day.checked_add_months(Months::new(months))
        .unwrap_or(NaiveDate::MAX)
}

fn in_filter(case: &Case, filter: &Filter) -> bool {
    filter.unit_id.as_ref().is_none_or(|u| *u == case.unit_id)
        && filter
            .team
            .as_ref()
            .is_none_or(|t| Some(t) == case.team.as_ref())
}

fn cases(data: &Dataset) -> HashMap<&str, &Case> {
    data.cases.iter().map(|c| (c.case_id.as_str(), c)).collect()
}

/// Every day from `first` to `last`.
fn days(first: NaiveDate, last: NaiveDate) -> impl Iterator<Item = NaiveDate> {
    first.iter_days().take_while(move |x| *x <= last)
}

/// A quarter's first and last day, from its year and number.
fn quarter_days(year: i32, number: u32) -> (NaiveDate, NaiveDate) {
    let first = NaiveDate::from_ymd_opt(year, 3 * (number - 1) + 1, 1).expect("first");
    let next = plus_months(first, 3);
    (first, next.pred_opt().expect("last"))
}

/// One expected IVO row: what a user checks against the case system.
type Row = (
    &'static str,   // kind
    String,         // intervention
    Option<String>, // interruption
    &'static str,   // status
    Option<NaiveDate>,
    i64,  // days
    bool, // new
    Option<Sex>,
    Option<String>, // law
);

/// The nämnd's summary: (kind, lagrum, insats, kön, band) → count.
type Summary = BTreeMap<(String, Option<String>, String, Option<Sex>, String), u64>;

/// Count, median, mean, p90, max, share within.
type Figures = (
    usize,
    Option<f64>,
    Option<f64>,
    Option<i64>,
    Option<i64>,
    Option<f64>,
);

/// DOMAIN.md "IVO-rapporten for a quarter Q", day by day: a row is in the report when on
/// some day from Q's first day to R it waits and is past three months.
fn oracle_ivo(
    data: &Dataset,
    filter: &Filter,
    quarter: (i32, u32),
    today: NaiveDate,
) -> (Vec<Row>, Summary) {
    let cases = cases(data);
    let law: HashMap<&str, Option<String>> = data
        .insats_types
        .iter()
        .map(|t| (t.insats_code.as_str(), t.law.clone()))
        .collect();
    let interventions: HashMap<&str, _> = data
        .interventions
        .iter()
        .map(|i| (i.intervention_id.as_str(), i))
        .collect();
    let report = |q: (i32, u32)| {
        let (first, last) = quarter_days(q.0, q.1);
        (first, last.min(today))
    };
    let (q_first, r) = report(quarter);
    let previous = if quarter.1 == 1 {
        (quarter.0 - 1, 4)
    } else {
        (quarter.0, quarter.1 - 1)
    };
    let (p_first, p_r) = report(previous);
    // (base, [(stop day, resumes-or-starts first)]): the stop is the earliest, a start or
    // resumption first on a tie.
    let stop_of = |stops: &[(Option<NaiveDate>, &'static str)]| {
        let mut best: Option<(NaiveDate, &'static str)> = None;
        for (day, what) in stops {
            if let Some(day) = day
                && best.is_none_or(|(b, _)| *day < b)
            {
                best = Some((*day, what));
            }
        }
        best
    };
    let reported =
        |base: NaiveDate, stop: Option<(NaiveDate, &str)>, first: NaiveDate, r: NaiveDate| {
            days(first, r).any(|day| {
                base <= day && stop.is_none_or(|(s, _)| day < s) && day > plus_months(base, 3)
            })
        };
    let mut rows = Vec::new();
    let mut summary = BTreeMap::new();
    let mut add = |kind: &'static str,
                   intervention: &bevaka::model::Intervention,
                   interruption: Option<String>,
                   base: NaiveDate,
                   stop: Option<(NaiveDate, &'static str)>,
                   case: &Case| {
        if !reported(base, stop, q_first, r) {
            return;
        }
        let waiting = stop.is_none_or(|(s, _)| s > r);
        let (status, status_date, until) = if waiting {
            (
                if kind == "beslut" {
                    "ej_verkstallt"
                } else {
                    "avbrott"
                },
                None,
                r,
            )
        } else {
            let (s, what) = stop.expect("stop");
            (what, Some(s), s)
        };
        let law = law[intervention.insats_code.as_str()].clone();
        rows.push((
            kind,
            intervention.intervention_id.clone(),
            interruption,
            status,
            status_date,
            (until - base).num_days(),
            !reported(base, stop, p_first, p_r),
            case.sex,
            law.clone(),
        ));
        if waiting {
            let band = if r <= plus_months(base, 6) {
                "3-6"
            } else if r <= plus_months(base, 12) {
                "6-12"
            } else {
                "12+"
            };
            *summary
                .entry((
                    kind.to_string(),
                    law,
                    intervention.insats_code.clone(),
                    case.sex,
                    band.to_string(),
                ))
                .or_insert(0) += 1;
        }
    };
    for i in &data.interventions {
        let case = cases[i.case_id.as_str()];
        let Some(decided) = i.decided else { continue };
        if !in_filter(case, filter) {
            continue;
        }
        let stop = stop_of(&[
            (i.start, "verkstallt"),
            (i.end, "avslutat"),
            (case.closed, "avslutat"),
        ]);
        add("beslut", i, None, decided, stop, case);
    }
    for a in &data.interruptions {
        let i = interventions[a.intervention_id.as_str()];
        let case = cases[i.case_id.as_str()];
        if !in_filter(case, filter) {
            continue;
        }
        let stop = stop_of(&[
            (a.resumed, "aterupptaget"),
            (i.end, "avslutat"),
            (case.closed, "avslutat"),
        ]);
        add(
            "avbrott",
            i,
            Some(a.interruption_id.clone()),
            a.interrupted,
            stop,
            case,
        );
    }
    rows.sort_by(|a, b| (a.0, &a.1, &a.2).cmp(&(b.0, &b.1, &b.2)));
    (rows, summary)
}

fn assert_ivo(
    data: &Dataset,
    filter: &Filter,
    quarter: (i32, u32),
    today: NaiveDate,
    seen: &mut Seen,
) {
    let snap = memory_snapshot(data);
    let period = Period::parse(&format!("{}-Q{}", quarter.0, quarter.1)).expect("quarter");
    let got = ivo::load(snap.conn(), filter, None, period, today).expect("ivo");
    let (want, want_summary) = oracle_ivo(data, filter, quarter, today);
    let mut rows: Vec<Row> = got
        .rows
        .iter()
        .map(|r| {
            (
                r.kind.as_str(),
                r.intervention_id.clone(),
                r.interruption_id.clone(),
                r.status.as_str(),
                r.status_date,
                r.days,
                r.new,
                r.sex,
                r.law.clone(),
            )
        })
        .collect();
    rows.sort_by(|a, b| (a.0, &a.1, &a.2).cmp(&(b.0, &b.1, &b.2)));
    let what = format!("{quarter:?} on {today}, {filter:?}");
    assert_eq!(rows, want, "{what}");
    let summary: BTreeMap<_, u64> = got
        .summary
        .iter()
        .map(|s| {
            (
                (
                    s.kind.as_str().to_string(),
                    s.law.clone(),
                    s.insats_code.clone(),
                    s.sex,
                    s.band.as_str().to_string(),
                ),
                s.count,
            )
        })
        .collect();
    assert_eq!(summary, want_summary, "summary {what}");
    for r in &got.rows {
        seen.statuses.insert(r.status.as_str());
        seen.new |= r.new;
        seen.old |= !r.new;
    }
    seen.rows += got.rows.len();
    seen.bands
        .extend(got.summary.iter().map(|s| s.band.as_str()));
}

#[derive(Default)]
struct Seen {
    rows: usize,
    statuses: std::collections::BTreeSet<&'static str>,
    bands: std::collections::BTreeSet<&'static str>,
    new: bool,
    old: bool,
    periods_with_sex: usize,
}

/// The statistics of DOMAIN.md for samples of (days, within): count, median, mean,
/// nearest-rank p90, max, share within.
fn figures(samples: &[(i64, Option<bool>)]) -> Figures {
    let mut days: Vec<i64> = samples.iter().map(|s| s.0).collect();
    days.sort();
    let n = days.len();
    let with: Vec<bool> = samples.iter().filter_map(|s| s.1).collect();
    let share =
        (!with.is_empty()).then(|| with.iter().filter(|w| **w).count() as f64 / with.len() as f64);
    if n == 0 {
        return (0, None, None, None, None, share);
    }
    let median = if n.is_multiple_of(2) {
        (days[n / 2 - 1] + days[n / 2]) as f64 / 2.0
    } else {
        days[n / 2] as f64
    };
    let mut k = 1;
    while 10 * k < 9 * n {
        k += 1;
    }
    (
        n,
        Some(median),
        Some(days.iter().sum::<i64>() as f64 / n as f64),
        Some(days[k - 1]),
        Some(days[n - 1]),
        share,
    )
}

fn close(a: Option<f64>, b: Option<f64>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(x), Some(y)) => (x - y).abs() < 1e-9,
        _ => false,
    }
}

/// The period of `kind` a day falls in, as (year, number), by months: Q 3, T 4, H 6.
fn period_of(months: u32, day: NaiveDate) -> (i32, u32) {
    (day.year(), (day.month() - 1) / months + 1)
}

fn label(months: u32, (year, n): (i32, u32)) -> String {
    match months {
        3 => format!("{year}-Q{n}"),
        4 => format!("{year}-T{n}"),
        6 => format!("{year}-H{n}"),
        _ => format!("{year}"),
    }
}

/// The samples of a measure per (period, kön), straight from the rows.
fn oracle_samples(
    data: &Dataset,
    filter: &Filter,
    measure: Measure,
    today: NaiveDate,
) -> Vec<(NaiveDate, Option<Sex>, i64, Option<bool>)> {
    let cases = cases(data);
    let target: HashMap<&str, Option<i64>> = data
        .insats_types
        .iter()
        .map(|t| (t.insats_code.as_str(), t.target_days))
        .collect();
    let mut out = Vec::new();
    match measure {
        Measure::Handlaggning => {
            for a in &data.applications {
                let case = cases[a.case_id.as_str()];
                let Some(decided) = a.decided else { continue };
                if !in_filter(case, filter) || decided > today {
                    continue;
                }
                let n = (decided - a.received).num_days();
                let within = target[a.insats_code.as_str()].map(|t| n <= t);
                out.push((decided, case.sex, n, within));
            }
        }
        Measure::Verkstallighet => {
            for i in &data.interventions {
                let case = cases[i.case_id.as_str()];
                let (Some(decided), Some(start)) = (i.decided, i.start) else {
                    continue;
                };
                if !in_filter(case, filter) || start > today {
                    continue;
                }
                let within = start <= plus_months(decided, 3);
                out.push((start, case.sex, (start - decided).num_days(), Some(within)));
            }
        }
    }
    out
}

fn assert_periods(data: &Dataset, filter: &Filter, today: NaiveDate, seen: &mut Seen) {
    let snap = memory_snapshot(data);
    for (kind, months) in [
        (PeriodKind::Quarter, 3),
        (PeriodKind::Tertial, 4),
        (PeriodKind::Half, 6),
        (PeriodKind::Year, 12),
    ] {
        let p = processing::load_by(snap.conn(), filter, Scope::default(), today, kind)
            .expect("review");
        for measure in [Measure::Handlaggning, Measure::Verkstallighet] {
            let samples = oracle_samples(data, filter, measure, today);
            let rows = p.rows_of(measure);
            assert_eq!(rows.len(), 8);
            let per_year = 12 / months;
            let now = period_of(months, today);
            let index = |(y, n): (i32, u32)| i64::from(y) * i64::from(per_year) + i64::from(n) - 1;
            let label_of = |idx: i64| {
                let y = idx.div_euclid(i64::from(per_year));
                let n = idx.rem_euclid(i64::from(per_year)) + 1;
                label(months, (y as i32, n as u32))
            };
            let of = |idx: i64, sex: Option<Option<Sex>>| {
                let picked: Vec<(i64, Option<bool>)> = samples
                    .iter()
                    .filter(|s| index(period_of(months, s.0)) == idx)
                    .filter(|s| sex.is_none_or(|x| x == s.1))
                    .map(|s| (s.2, s.3))
                    .collect();
                figures(&picked)
            };
            for (k, row) in rows.iter().enumerate() {
                let idx = index(now) - 7 + k as i64;
                let what = format!("{measure:?} {} {today} {filter:?}", label_of(idx));
                assert_eq!(row.period.to_string(), label_of(idx), "{what}");
                let want = of(idx, None);
                let st = &row.stats;
                assert_eq!(st.decisions as usize, want.0, "{what}");
                assert!(close(st.median_days, want.1), "median {what}");
                assert!(close(st.mean_days, want.2), "mean {what}");
                assert_eq!(st.p90_days, want.3, "p90 {what}");
                assert_eq!(st.max_days, want.4, "max {what}");
                assert!(close(st.within_target(), want.5), "share {what}");
                let prev = of(idx - 1, None);
                let year = of(idx - i64::from(per_year), None);
                let diff = |a: Option<f64>, b: Option<f64>| a.zip(b).map(|(x, y)| x - y);
                assert!(
                    close(row.vs_prev.median_days, diff(want.1, prev.1)),
                    "{what}"
                );
                assert!(
                    close(row.vs_year.median_days, diff(want.1, year.1)),
                    "{what}"
                );
                let mut sum = 0;
                for (s, sex) in [Some(Sex::K), Some(Sex::M), None].into_iter().enumerate() {
                    let want = of(idx, Some(sex));
                    let st = &row.by_sex[s];
                    assert_eq!(st.decisions as usize, want.0, "{sex:?} {what}");
                    assert!(close(st.median_days, want.1), "{sex:?} median {what}");
                    assert_eq!(st.p90_days, want.3, "{sex:?} p90 {what}");
                    assert!(close(st.within_target(), want.5), "{sex:?} share {what}");
                    sum += st.decisions;
                    if sex.is_some() && want.0 > 0 {
                        seen.periods_with_sex += 1;
                    }
                }
                assert_eq!(sum, row.stats.decisions, "kön adds up {what}");
            }
        }
    }
}

/// Caseload by insats and kön: distinct cases with an active intervention of the type,
/// per kön, the three adding up to the count.
fn assert_caseload_by_sex(data: &Dataset, filter: &Filter, today: NaiveDate) {
    let snap = memory_snapshot(data);
    let c = caseload::load(snap.conn(), filter, today).expect("caseload");
    let cases = cases(data);
    for row in &c.rows {
        for (k, day) in c.dates.iter().enumerate() {
            for (s, sex) in [Some(Sex::K), Some(Sex::M), None].into_iter().enumerate() {
                let mut seen = std::collections::HashSet::new();
                for i in &data.interventions {
                    let case = cases[i.case_id.as_str()];
                    if i.insats_code == row.insats_code
                        && in_filter(case, filter)
                        && case.sex == sex
                        && i.start.is_some_and(|x| x <= *day)
                        && i.end.is_none_or(|e| e >= *day)
                    {
                        seen.insert(i.case_id.as_str());
                    }
                }
                assert_eq!(
                    row.by_sex[s][k],
                    seen.len() as u64,
                    "{} {day} {sex:?}",
                    row.insats_code
                );
            }
            let sum: u64 = (0..3).map(|s| row.by_sex[s][k]).sum();
            assert_eq!(sum, row.counts[k]);
        }
    }
    for (s, sex) in [Some(Sex::K), Some(Sex::M), None].into_iter().enumerate() {
        let open = data
            .cases
            .iter()
            .filter(|x| {
                in_filter(x, filter)
                    && x.sex == sex
                    && x.opened <= today
                    && x.closed.is_none_or(|c| c > today)
            })
            .count();
        assert_eq!(c.open_by_sex[s], open as u64, "open {sex:?}");
    }
}

/// `data` with copies of its decisions and avbrott whose stops fall on the days the rules
/// turn on: the first day past three months (in the report only if the stop is later), the
/// day before it, a start and an end on the same day, an end on that day alone, and a
/// decision or avbrott that waits on.
fn with_edges(data: &Dataset) -> Dataset {
    let mut out = data.clone();
    let day_after = |x: NaiveDate| x.succ_opt().expect("day");
    for i in &data.interventions {
        let Some(decided) = i.decided else { continue };
        let first = day_after(plus_months(decided, 3));
        let edges = [
            (Some(first), None),
            (first.pred_opt(), None),
            (Some(day_after(first)), Some(day_after(first))),
            (None, Some(first)),
            (None, None),
        ];
        for (k, (start, end)) in edges.into_iter().enumerate() {
            let mut copy = i.clone();
            copy.intervention_id = format!("{}/e{k}", i.intervention_id);
            copy.start = start;
            copy.end = end;
            out.interventions.push(copy);
        }
    }
    for a in &data.interruptions {
        let first = day_after(plus_months(a.interrupted, 3));
        for (k, resumed) in [Some(first), first.pred_opt(), Some(day_after(first)), None]
            .into_iter()
            .enumerate()
        {
            let mut copy = a.clone();
            copy.interruption_id = format!("{}/e{k}", a.interruption_id);
            copy.resumed = resumed;
            out.interruptions.push(copy);
        }
    }
    out
}

/// The days a random export's figures are asked for: around its latest decisions and
/// interruptions, where the rows are.
fn interesting_days(data: &Dataset) -> Vec<NaiveDate> {
    let mut out: Vec<NaiveDate> = data
        .interventions
        .iter()
        .filter_map(|i| i.decided)
        .chain(data.interruptions.iter().map(|a| a.interrupted))
        .map(|x| plus_months(x, 5))
        .collect();
    out.sort();
    out.dedup();
    let picks = [0, out.len() / 3, out.len() / 2, out.len().saturating_sub(1)];
    let mut days: Vec<NaiveDate> = picks.iter().filter_map(|&i| out.get(i).copied()).collect();
    days.push(d("2016-02-29"));
    days.sort();
    days.dedup();
    days
}

#[test]
fn random_version_2_exports_give_the_rules_figures() {
    let mut seen = Seen::default();
    for seed in 0..40 {
        let dir = tempfile::tempdir().expect("tempdir");
        crate::support::random_csv::write_random(dir.path(), seed);
        let data = bevaka::import::read_dir(dir.path()).expect("imports");
        let edges = with_edges(&data);
        for filter in every_kind_of_filter(&data) {
            for today in interesting_days(&data) {
                let q = ((today.month() - 1) / 3 + 1, today.year());
                let before = if q.0 == 1 {
                    (q.1 - 1, 4)
                } else {
                    (q.1, q.0 - 1)
                };
                for rows in [&data, &edges] {
                    assert_ivo(rows, &filter, (q.1, q.0), today, &mut seen);
                    // The quarter before, reported in full.
                    assert_ivo(rows, &filter, before, today, &mut seen);
                }
                assert_periods(&data, &filter, today, &mut seen);
                assert_caseload_by_sex(&data, &filter, today);
            }
        }
    }
    // The random exports reach the rules' cases, or the test proves little.
    assert!(seen.rows >= 20, "{} rows", seen.rows);
    for status in [
        "ej_verkstallt",
        "verkstallt",
        "avbrott",
        "aterupptaget",
        "avslutat",
    ] {
        assert!(
            seen.statuses.contains(status),
            "no {status}: {:?}",
            seen.statuses
        );
    }
    assert!(seen.new && seen.old, "new and carried-over rows");
    assert!(seen.periods_with_sex > 0);
    assert_eq!(seen.bands.len(), 3, "{:?}", seen.bands);
}

#[test]
fn the_demo_gives_the_rules_figures() {
    let data = bevaka::demo::build(d("2014-12-31"));
    let mut seen = Seen::default();
    let filter = Filter::default();
    for (quarter, today) in [
        ((2014, 4), "2014-12-31"),
        ((2014, 3), "2014-12-31"),
        ((2014, 4), "2014-11-15"),
    ] {
        assert_ivo(&data, &filter, quarter, d(today), &mut seen);
    }
    assert!(seen.rows > 0);
    assert_periods(&data, &filter, d("2014-12-31"), &mut seen);
    let unit = Filter {
        unit_id: data.cases.first().map(|c| c.unit_id.clone()),
        team: None,
    };
    assert_caseload_by_sex(&data, &unit, d("2014-12-31"));
}

/// Rewrites a version 2 file as the version 1 file a producer of before would have
/// written: the version 1 schema, the version 1 columns.
pub(crate) fn as_version_1(v2: &Path, v1: &Path) {
    let conn = rusqlite::Connection::open(v1).expect("create");
    conn.execute_batch(include_str!("../fixtures/schema_v1.sql"))
        .expect("v1 schema");
    conn.execute("ATTACH ?1 AS v2", [v2.to_str().expect("utf-8")])
        .expect("attach");
    for table in [
        "units",
        "case_workers",
        "insats_types",
        "cases",
        "applications",
        "interventions",
        "followups",
        "goals",
        "indicators",
        "indicator_values",
    ] {
        let columns: Vec<String> = conn
            .prepare(&format!(
                "SELECT name FROM main.pragma_table_info('{table}')"
            ))
            .expect("columns")
            .query_map([], |r| r.get(0))
            .expect("names")
            .collect::<Result<_, _>>()
            .expect("names");
        let list = columns.join(", ");
        conn.execute_batch(&format!(
            "INSERT INTO main.{table} ({list}) SELECT {list} FROM v2.{table};"
        ))
        .expect("copy");
    }
    conn.execute_batch("DETACH v2; ANALYZE;").expect("detach");
}

fn run(args: &[&str]) -> (bool, String, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_bevaka"))
        .args(args)
        .env_remove("BEVAKA_CONFIG")
        .env("XDG_CONFIG_HOME", "/nonexistent")
        .output()
        .expect("runs");
    (
        o.status.success(),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

fn json(args: &[&str]) -> Value {
    let (ok, out, err) = run(args);
    assert!(ok, "{args:?}: {err}");
    serde_json::from_str(&out).expect("json")
}

#[test]
fn version_1_files_give_the_version_1_figures_and_empty_new_ones() {
    let data = bevaka::demo::build(d("2014-12-31"));
    let (dir, _snap) = file_snapshot(&data);
    let v2 = dir.path().join("snapshot.sqlite");
    let v1 = dir.path().join("v1.sqlite");
    as_version_1(&v2, &v1);
    let (v1s, v2s) = (v1.to_str().expect("utf-8"), v2.to_str().expect("utf-8"));

    let (ok, out, err) = run(&["snapshot", "check", v1s]);
    assert!(ok, "{err}");
    assert!(out.contains("schemaversion  1"), "{out}");
    assert!(!out.contains("interruptions"), "{out}");

    let common = ["--today", "2014-12-31", "--format", "json"];
    let report = |file: &str, what: &[&str]| {
        let mut args = vec!["report"];
        args.extend_from_slice(what);
        args.extend_from_slice(&common);
        args.extend_from_slice(&["--snapshot", file]);
        json(&args)
    };
    // Caseload: the same counts; all of them "unknown" kön in version 1.
    let (a, b) = (report(v1s, &["caseload"]), report(v2s, &["caseload"]));
    for (r1, r2) in a["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .zip(b["rows"].as_array().expect("rows"))
    {
        assert_eq!(r1["counts"], r2["counts"]);
        assert_eq!(r1["by_sex"]["unknown"], r1["counts"]);
        assert_eq!(r1["by_sex"]["K"], serde_json::json!([0, 0, 0]));
    }
    assert_eq!(a["open_cases"], b["open_cases"]);
    // The review: the same quarters and lists.
    let (a, b) = (
        report(v1s, &["processing-time"]),
        report(v2s, &["processing-time"]),
    );
    for key in [
        "quarters",
        "open_past_target",
        "not_executed",
        "execution_time",
    ] {
        let strip = |v: &Value| {
            let mut v = v.clone();
            if let Some(rows) = v.as_array_mut() {
                for r in rows {
                    if let Some(o) = r.as_object_mut() {
                        o.remove("by_sex");
                    }
                }
            }
            v
        };
        assert_eq!(strip(&a[key]), strip(&b[key]), "{key}");
    }
    // The bevakningslista: the same list.
    assert_eq!(report(v1s, &["deadlines"]), report(v2s, &["deadlines"]));
    // IVO: the decisions, without kön, offers or avbrott.
    let (a, b) = (report(v1s, &["ivo"]), report(v2s, &["ivo"]));
    let decisions = |v: &Value| -> Vec<Value> {
        v["rows"]
            .as_array()
            .expect("rows")
            .iter()
            .filter(|r| r["kind"] == "beslut")
            .map(|r| {
                serde_json::json!([
                    r["intervention_id"],
                    r["status"],
                    r["status_date"],
                    r["days"],
                    r["new"]
                ])
            })
            .collect()
    };
    assert!(!decisions(&a).is_empty());
    assert_eq!(decisions(&a), decisions(&b));
    for r in a["rows"].as_array().expect("rows") {
        assert_eq!(r["kind"], "beslut");
        assert_eq!(r["sex"], Value::Null);
        assert_eq!(r["offered"], Value::Null);
    }
    // The dashboard's data loads from it too.
    let snap = bevaka::snapshot::Snapshot::open(&v1).expect("open v1");
    let p = processing::load(
        snap.readers(),
        &Filter::default(),
        Scope::default(),
        d("2014-12-31"),
    )
    .expect("review");
    assert!(p.quarters.iter().any(|q| q.stats.decisions > 0));
    let i = ivo::load(
        snap.readers(),
        &Filter::default(),
        None,
        ivo::quarter_of(d("2014-12-31")),
        d("2014-12-31"),
    )
    .expect("ivo");
    assert!(i.rows.iter().all(|r| r.status != Status::Avbrott));
}

#[test]
fn report_ivo_prints_the_quarter_asked_for_and_refuses_a_bad_one() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("demo.sqlite");
    let (ok, _, err) = run(&[
        "demo",
        "--out",
        file.to_str().expect("utf-8"),
        "--as-of",
        "2014-12-31",
    ]);
    assert!(ok, "{err}");
    let f = file.to_str().expect("utf-8");
    let v = json(&[
        "report",
        "ivo",
        "--snapshot",
        f,
        "--today",
        "2015-02-10",
        "--quarter",
        "2014-Q4",
        "--format",
        "json",
    ]);
    assert_eq!(v["quarter"], "2014-Q4");
    assert_eq!(v["report_date"], "2014-12-31");
    let v = json(&[
        "report",
        "ivo",
        "--snapshot",
        f,
        "--today",
        "2014-11-15",
        "--format",
        "json",
    ]);
    assert_eq!(v["quarter"], "2014-Q4", "today's quarter by default");
    assert_eq!(v["report_date"], "2014-11-15");
    let (ok, _, err) = run(&["report", "ivo", "--snapshot", f, "--quarter", "2014-Q5"]);
    assert!(!ok);
    assert!(err.contains("ogiltigt kvartal"), "{err}");
    // The summary names no case and no person.
    let (ok, out, err) = run(&["report", "ivo", "--snapshot", f, "--today", "2014-12-31"]);
    assert!(ok, "{err}");
    let summary = out
        .split("Sammanställning till nämnden")
        .nth(1)
        .expect("summary section");
    for c in &bevaka::demo::build(d("2014-12-31")).cases {
        assert!(!summary.contains(&c.case_id), "{}", c.case_id);
        if let Some(label) = &c.client_label {
            assert!(!summary.contains(label.as_str()), "{label}");
        }
    }
}
