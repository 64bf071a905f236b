//! Every status, chosen period, value and previous value of random exports against
//! DOMAIN.md's rule, computed here independently: naively, from the rows, in exact
//! hundredths.

use std::collections::BTreeMap;

use bevaka::domain::indicators;
use bevaka::model::{Dataset, Direction, Indicator};
use bevaka::snapshot::queries::Filter;

use super::d;
use crate::caseload::memory_snapshot;
use crate::support::random_indicators::{hundredths, write_random};

/// What DOMAIN.md's rule gives for one indicator: (period, value, previous, status).
type Expected = (Option<String>, Option<i64>, Option<i64>, &'static str);

/// The period's year and (last month, breadth) — a full year is broadest.
fn naive_period(p: &str) -> Option<(i32, (i64, i64))> {
    let (y, rest) = p.split_once('-').unwrap_or((p, ""));
    let year: i32 = y.parse().ok()?;
    let n = |s: &str| s.parse::<i64>().ok();
    let end = match rest.chars().next() {
        None => (12, 3),
        Some('T') => (4 * n(&rest[1..])?, 2),
        Some('Q') => (3 * n(&rest[1..])?, 1),
        Some(_) => (n(rest)?, 0),
    };
    Some((year, end))
}

fn oracle(data: &Dataset, unit: Option<&str>, year: i32) -> BTreeMap<String, Expected> {
    let goal_unit = |id: Option<&String>| -> Option<String> {
        let mut id = id.cloned();
        while let Some(g) = id.and_then(|i| data.goals.iter().find(|g| g.goal_id == i)) {
            if g.unit_id.is_some() {
                return g.unit_id.clone();
            }
            id = g.parent_id.clone();
        }
        None
    };
    let full = |id: &str, y: i32| {
        data.indicator_values
            .iter()
            .find(|v| v.indicator_id == id && v.period == y.to_string())
            .map(|v| hundredths(v.value))
    };
    let mut out = BTreeMap::new();
    for ind in data.indicators.iter().filter(|i| i.year == year) {
        let own = ind
            .unit_id
            .clone()
            .or_else(|| goal_unit(ind.goal_id.as_ref()));
        if unit.is_some_and(|u| own.as_deref() != Some(u)) {
            continue;
        }
        let latest = data
            .indicator_values
            .iter()
            .filter(|v| v.indicator_id == ind.indicator_id)
            .filter_map(|v| naive_period(&v.period).map(|(y, end)| (y, end, v)))
            .filter(|(y, _, _)| *y == year)
            .max_by_key(|(_, end, _)| *end)
            .map(|(_, _, v)| v);
        let previous = full(&ind.indicator_id, year - 1).or_else(|| {
            data.indicators
                .iter()
                .filter(|o| o.year == year - 1 && o.name == ind.name && o.unit_id == ind.unit_id)
                .find_map(|o| full(&o.indicator_id, year - 1))
        });
        let value = latest.map(|v| hundredths(v.value));
        out.insert(
            ind.indicator_id.clone(),
            (
                latest.map(|v| v.period.clone()),
                value,
                previous,
                status(ind, value, previous),
            ),
        );
    }
    out
}

fn status(ind: &Indicator, value: Option<i64>, previous: Option<i64>) -> &'static str {
    let Some(v) = value else { return "ej_matt" };
    if let Some(t) = ind.target.map(hundredths) {
        // In ten-thousandths: 5 % of t hundredths is t·5 ten-thousandths, exactly.
        let (v, t4) = (v * 100, t * 100);
        let tol = ind.tolerance.map_or(t.abs() * 5, |x| hundredths(x) * 100);
        let lower = ind.direction == Direction::Lower;
        let (met, near) = if lower {
            (v <= t4, v <= t4 + tol)
        } else {
            (v >= t4, v >= t4 - tol)
        };
        return if met {
            "uppfyllt"
        } else if near {
            "delvis"
        } else {
            "ej_uppfyllt"
        };
    }
    let text = ind.target_text.as_deref().unwrap_or("").to_lowercase();
    let up = match text.as_str() {
        "öka" | "oka" => true,
        "minska" => false,
        _ => return "ej_malsatt",
    };
    match previous {
        None => "ej_malsatt",
        Some(p) if p == v => "delvis",
        Some(p) if (v > p) == up => "uppfyllt",
        Some(_) => "ej_uppfyllt",
    }
}

#[test]
fn random_exports_get_exactly_the_rules_statuses() {
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for seed in 0..40 {
        let dir = tempfile::tempdir().expect("tempdir");
        let data = write_random(dir.path(), seed);
        let imported = bevaka::import::read_dir(dir.path()).expect("imports");
        assert_eq!(imported.goals, data.goals, "seed {seed}");
        assert_eq!(imported.indicators, data.indicators, "seed {seed}");
        assert_eq!(
            imported.indicator_values, data.indicator_values,
            "seed {seed}"
        );
        let snap = memory_snapshot(&imported);
        let units: Vec<Option<String>> = std::iter::once(None)
            .chain(data.units.iter().map(|u| Some(u.unit_id.clone())))
            .collect();
        for unit in &units {
            let filter = Filter {
                unit_id: unit.clone(),
                team: None,
            };
            for year in 2012..=2016 {
                let o = indicators::load(snap.conn(), &filter, Some(year), d("2015-06-30"), 5)
                    .expect("load");
                let got: BTreeMap<String, Expected> = o
                    .indicators
                    .iter()
                    .map(|a| {
                        let e = (
                            a.period.clone(),
                            a.value.map(hundredths),
                            a.previous.map(hundredths),
                            a.status.as_str(),
                        );
                        (a.indicator.indicator_id.clone(), e)
                    })
                    .collect();
                let want = oracle(&data, unit.as_deref(), year);
                assert_eq!(got, want, "seed {seed}, unit {unit:?}, year {year}");
                let mut counts = [0_u64; 5];
                for (_, _, _, st) in want.values() {
                    let k = ["uppfyllt", "delvis", "ej_uppfyllt", "ej_malsatt", "ej_matt"]
                        .iter()
                        .position(|s| s == st)
                        .expect("status");
                    counts[k] += 1;
                }
                assert_eq!(
                    o.summary().statuses,
                    counts,
                    "seed {seed}, {unit:?}, {year}"
                );
                if unit.is_none() {
                    tally(&data, &o, &mut seen);
                }
            }
        }
    }
    for case in [
        "own tolerance, delvis",
        "lower is better, judged",
        "öka/minska, judged",
        "öka/minska without previous",
        "previous from last year's row",
        "tertial beside last year's full year",
        "Q3 beside T2",
        "no value",
        "delvis on the limit",
    ] {
        assert!(
            seen.get(case).copied().unwrap_or(0) > 0,
            "no case of {case:?}: {seen:?}"
        );
    }
}

/// Counts the cases the random data are meant to cover.
fn tally(data: &Dataset, o: &indicators::Overview, seen: &mut BTreeMap<&'static str, usize>) {
    for a in &o.indicators {
        let i = &a.indicator;
        let values: Vec<&str> = data
            .indicator_values
            .iter()
            .filter(|v| v.indicator_id == i.indicator_id)
            .map(|v| v.period.as_str())
            .collect();
        let y = i.year;
        let mut hit = |case: &'static str, cond: bool| {
            if cond {
                *seen.entry(case).or_default() += 1;
            }
        };
        let judged = matches!(a.status.as_str(), "uppfyllt" | "delvis" | "ej_uppfyllt");
        hit(
            "own tolerance, delvis",
            i.target.is_some() && i.tolerance.is_some() && a.status.as_str() == "delvis",
        );
        hit(
            "lower is better, judged",
            i.target.is_some() && i.direction == Direction::Lower && judged,
        );
        hit(
            "öka/minska, judged",
            i.target.is_none() && i.target_text.is_some() && judged,
        );
        hit(
            "öka/minska without previous",
            i.target.is_none()
                && a.previous.is_none()
                && a.value.is_some()
                && i.target_text
                    .as_deref()
                    .is_some_and(|t| t.to_lowercase() != "tas fram av nämnden"),
        );
        hit(
            "previous from last year's row",
            a.previous.is_some() && !values.contains(&(y - 1).to_string().as_str()),
        );
        hit(
            "tertial beside last year's full year",
            a.period.as_deref().is_some_and(|p| p.contains("-T"))
                && values.contains(&(y - 1).to_string().as_str()),
        );
        hit(
            "Q3 beside T2",
            a.period.as_deref() == Some(&format!("{y}-Q3"))
                && values.contains(&format!("{y}-T2").as_str()),
        );
        hit("no value", a.status.as_str() == "ej_matt");
        hit(
            "delvis on the limit",
            a.status.as_str() == "delvis"
                && a.value
                    .zip(i.target)
                    .zip(a.tolerance)
                    .is_some_and(|((v, t), tol)| {
                        (hundredths(v) - hundredths(t)).abs() * 100
                            == (tol * 10_000.0).round() as i64
                    }),
        );
    }
}
