//! Random goal chains, indicators and indicator values as a unit's export writes them, for
//! the indicator-status oracle: `;` or `,` files, decimal comma, BOM, CRLF, lowercase `t`
//! and `q` in periods, Swedish spellings of levels, comments with separators and line
//! breaks. Every number is a whole number of hundredths, so the oracle can judge in exact
//! integers. The data favour what the rule has to get right: a tolerance of the
//! indicator's own, lower-is-better, öka / minska in any case, a later tertial beside an
//! earlier full year, Q3 beside T2, values exactly on the limits, indicators without
//! values, and last year's row of the same name and unit.

use std::fs;
use std::path::Path;

use bevaka::model::{
    Assessment, Dataset, Direction, Goal, GoalLevel, Indicator, IndicatorValue, Unit,
};
use chrono::NaiveDate;

use super::random_csv::Rng;

const NAMES: &[&str] = &[
    "Andel nöjda brukare",
    "Sjukfrånvaro",
    "Andel utredningar; inom en vecka",
    "Handläggningstid, dagar",
    "Aktivt Medskapandeindex",
];
const TEXTS: &[&str] = &[
    "öka",
    "Öka",
    "OKA",
    "minska",
    "MINSKA",
    "tas fram av nämnden",
];
const SUFFIXES: &[&str] = &[
    "", "-T1", "-t2", "-T3", "-Q1", "-Q2", "-q3", "-Q4", "-01", "-04", "-08", "-09", "-12",
];

/// `hundredths / 100` as the importer reads it back.
#[must_use]
pub fn real(hundredths: i64) -> f64 {
    hundredths as f64 / 100.0
}

/// Hundredths of a value the generator wrote (exact: it wrote whole hundredths).
#[must_use]
pub fn hundredths(value: f64) -> i64 {
    (value * 100.0).round() as i64
}

fn decimal_comma(value: f64) -> String {
    let h = hundredths(value);
    let sign = if h < 0 { "-" } else { "" };
    format!("{sign}{},{:02}", h.abs() / 100, h.abs() % 100)
}

/// One file's look: separator, BOM, line ends.
struct Style {
    sep: char,
    bom: bool,
    newline: &'static str,
}

impl Style {
    fn random(rng: &mut Rng) -> Self {
        Self {
            sep: if rng.chance(60) { ';' } else { ',' },
            bom: rng.chance(50),
            newline: if rng.chance(50) { "\r\n" } else { "\n" },
        }
    }

    fn field(&self, text: &str) -> String {
        if text.contains([self.sep, '"', '\n', '\r', ',']) {
            format!("\"{}\"", text.replace('"', "\"\""))
        } else {
            text.to_owned()
        }
    }
}

fn write(rng: &mut Rng, dir: &Path, table: &str, header: &[&str], rows: &[Vec<String>]) {
    let style = Style::random(rng);
    let sep = style.sep.to_string();
    let mut out = String::new();
    if style.bom {
        out.push('\u{feff}');
    }
    out.push_str(&header.join(&sep));
    for row in rows {
        out.push_str(style.newline);
        let cells: Vec<String> = row.iter().map(|c| style.field(c)).collect();
        out.push_str(&cells.join(&sep));
    }
    out.push_str(style.newline);
    fs::write(dir.join(format!("{table}.csv")), out).expect("write CSV");
}

fn opt(value: Option<&String>) -> String {
    value.cloned().unwrap_or_default()
}

fn opt_real(value: Option<f64>) -> String {
    value.map(decimal_comma).unwrap_or_default()
}

/// A goal chain: for each root, verksamhetsmål, nämndmål, åtaganden and aktiviteter below,
/// written parents first.
fn goals(rng: &mut Rng, units: &[String]) -> Vec<Goal> {
    let mut goals: Vec<Goal> = Vec::new();
    let mut add = |rng: &mut Rng, parent: Option<&str>, level: GoalLevel, unit: Option<String>| {
        let id = format!("M{}", goals.len() + 1);
        let day = |rng: &mut Rng| {
            NaiveDate::from_ymd_opt(2013 + rng.range(0, 2) as i32, rng.range(1, 12) as u32, 28)
        };
        let (start, end) = if level == GoalLevel::Aktivitet {
            (day(rng), day(rng))
        } else {
            (None, None)
        };
        goals.push(Goal {
            goal_id: id.clone(),
            parent_id: parent.map(str::to_owned),
            unit_id: unit,
            level,
            code: rng.maybe(40, |r| format!("{}.{}", r.range(1, 4), r.range(1, 9))),
            title: rng.word(&[
                "Brukarna är nöjda",
                "Budgeten är i balans",
                "Åtagande; gott bemötande",
            ]),
            assessment: (level == GoalLevel::Atagande)
                .then(|| rng.maybe(70, |r| *r.pick(Assessment::ALL)))
                .flatten(),
            start,
            end,
            comment: rng.maybe(30, |_| "Förväntat resultat: \"mer\"\nAnalys: ja".to_owned()),
        });
        id
    };
    for _ in 0..rng.count(1, 4) {
        // KF:s inriktningsmål are often written without a unit.
        let unit = rng.maybe_of(50, units);
        let root = add(rng, None, GoalLevel::Inriktningsmal, unit);
        for _ in 0..rng.count(0, 2) {
            let unit = rng.maybe_of(30, units);
            let vm = add(rng, Some(&root), GoalLevel::Verksamhetsmal, unit);
            for _ in 0..rng.count(0, 2) {
                let nm = add(rng, Some(&vm), GoalLevel::Namndmal, None);
                for _ in 0..rng.count(0, 3) {
                    let level = *rng.pick(&[GoalLevel::Atagande, GoalLevel::Aktivitet]);
                    let unit = rng.maybe_of(20, units);
                    add(rng, Some(&nm), level, unit);
                }
            }
        }
    }
    goals
}

fn indicator(rng: &mut Rng, id: usize, units: &[String], goal_ids: &[String]) -> Indicator {
    let target = rng.maybe(65, |r| {
        // Often a multiple of 20 hundredths, so 5 % of it is whole hundredths.
        let t = r.range(0, 500) * if r.chance(60) { 20 } else { 1 };
        real(if r.chance(10) { -t } else { t })
    });
    let text = rng.maybe(if target.is_some() { 15 } else { 70 }, |r| r.word(TEXTS));
    Indicator {
        indicator_id: format!("K{id}"),
        goal_id: rng.maybe_of(80, goal_ids),
        unit_id: rng.maybe_of(60, units),
        name: rng.word(NAMES),
        year: 2013 + rng.range(0, 2) as i32,
        measure: rng.maybe(70, |r| r.word(&["%", "dagar", "index"])),
        direction: *rng.pick(Direction::ALL),
        periodicity: rng.maybe(50, |r| r.word(&["Tertial", "År"])),
        target,
        target_text: text,
        city_target: rng.maybe(30, |r| real(r.range(0, 10_000))),
        city_target_text: rng.maybe(10, |_| "Fastställs 2015".to_owned()),
        tolerance: rng.maybe(35, |r| real(r.range(0, 800))),
    }
}

/// A value near the target, often exactly on a limit.
fn value_near(rng: &mut Rng, ind: &Indicator) -> f64 {
    let t = ind.target.map_or(5_000, hundredths);
    let tol = ind.tolerance.map_or_else(|| t.abs() * 5 / 100, hundredths);
    let h = match rng.below(6) {
        0 => t,
        1 => t - tol,
        2 => t + tol,
        3 => t - tol - 1,
        4 => t + tol + 1,
        _ => t + rng.range(-3 * tol.max(10), 3 * tol.max(10)),
    };
    real(h)
}

/// Writes goals, indicators and values for `seed` (and the organisation files the importer
/// requires) into `dir`; returns what a correct import gives.
pub fn write_random(dir: &Path, seed: u64) -> Dataset {
    let rng = &mut Rng::new(seed.wrapping_mul(7919).wrapping_add(17));
    let mut data = Dataset::default();
    for i in 1..=rng.count(1, 3) {
        data.units.push(Unit {
            unit_id: format!("U{i}"),
            name: format!("Enhet {i}, Söder"),
            district: None,
            area: None,
        });
    }
    let units: Vec<String> = data.units.iter().map(|u| u.unit_id.clone()).collect();
    data.goals = goals(rng, &units);
    let goal_ids: Vec<String> = data.goals.iter().map(|g| g.goal_id.clone()).collect();
    for id in 1..=rng.count(4, 14) {
        let ind = indicator(rng, id, &units, &goal_ids);
        if rng.chance(25) {
            // Last year's row of the same indicator, with its full-year value.
            let mut old = ind.clone();
            old.indicator_id = format!("K{id}-F");
            old.year = ind.year - 1;
            data.indicator_values.push(IndicatorValue {
                indicator_id: old.indicator_id.clone(),
                period: (old.year).to_string(),
                value: value_near(rng, &old),
                comment: None,
            });
            data.indicators.push(old);
        }
        let mut periods: Vec<String> = Vec::new();
        for _ in 0..rng.count(0, 4) {
            let year = ind.year + *rng.pick(&[0, 0, 0, -1, -1, 1]);
            let period = format!("{year}{}", rng.word(SUFFIXES));
            if !periods.iter().any(|p| p.eq_ignore_ascii_case(&period)) {
                periods.push(period);
            }
        }
        for period in periods {
            data.indicator_values.push(IndicatorValue {
                indicator_id: ind.indicator_id.clone(),
                // The importer stores T and Q uppercase.
                period: period.to_uppercase(),
                value: value_near(rng, &ind),
                comment: rng.maybe(30, |_| "Analys; \"T2\"\nandra raden".to_owned()),
            });
        }
        data.indicators.push(ind);
    }
    write_files(rng, dir, &data);
    data
}

fn write_files(rng: &mut Rng, dir: &Path, data: &Dataset) {
    let units: Vec<Vec<String>> = data
        .units
        .iter()
        .map(|u| vec![u.unit_id.clone(), u.name.clone()])
        .collect();
    write(rng, dir, "units", &["unit_id", "name"], &units);
    write(
        rng,
        dir,
        "case_workers",
        &["worker_id", "name", "unit_id"],
        &[],
    );
    write(
        rng,
        dir,
        "insats_types",
        &["insats_code", "name", "area"],
        &[],
    );
    write(rng, dir, "cases", &["case_id", "unit_id", "opened"], &[]);
    let day = |d: Option<NaiveDate>| {
        d.map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_default()
    };
    let level = |l: GoalLevel| match l {
        GoalLevel::Namndmal => "nämndmål".to_owned(),
        GoalLevel::Atagande => "Åtagande".to_owned(),
        l => l.as_str().to_owned(),
    };
    let goals: Vec<Vec<String>> = data
        .goals
        .iter()
        .map(|g| {
            vec![
                g.goal_id.clone(),
                opt(g.parent_id.as_ref()),
                opt(g.unit_id.as_ref()),
                level(g.level),
                opt(g.code.as_ref()),
                g.title.clone(),
                g.assessment
                    .map(|a| a.as_str().to_owned())
                    .unwrap_or_default(),
                day(g.start),
                day(g.end),
                opt(g.comment.as_ref()),
            ]
        })
        .collect();
    let header = [
        "goal_id",
        "parent_id",
        "unit_id",
        "level",
        "code",
        "title",
        "assessment",
        "start",
        "end",
        "comment",
    ];
    write(rng, dir, "goals", &header, &goals);
    let indicators: Vec<Vec<String>> = data
        .indicators
        .iter()
        .map(|i| {
            vec![
                i.indicator_id.clone(),
                opt(i.goal_id.as_ref()),
                opt(i.unit_id.as_ref()),
                i.name.clone(),
                i.year.to_string(),
                opt(i.measure.as_ref()),
                i.direction.as_str().to_owned(),
                opt(i.periodicity.as_ref()),
                opt_real(i.target),
                opt(i.target_text.as_ref()),
                opt_real(i.city_target),
                opt(i.city_target_text.as_ref()),
                opt_real(i.tolerance),
            ]
        })
        .collect();
    let header = [
        "indicator_id",
        "goal_id",
        "unit_id",
        "name",
        "year",
        "measure",
        "direction",
        "periodicity",
        "target",
        "target_text",
        "city_target",
        "city_target_text",
        "tolerance",
    ];
    write(rng, dir, "indicators", &header, &indicators);
    // Periods as an export writes them: `t` and `q` sometimes lowercase.
    let values: Vec<Vec<String>> = data
        .indicator_values
        .iter()
        .map(|v| {
            let period = if rng.chance(30) {
                v.period.to_lowercase()
            } else {
                v.period.clone()
            };
            vec![
                v.indicator_id.clone(),
                period,
                decimal_comma(v.value),
                opt(v.comment.as_ref()),
            ]
        })
        .collect();
    write(
        rng,
        dir,
        "indicator_values",
        &["indicator_id", "period", "value", "comment"],
        &values,
    );
}
