//! Random but valid CSV exports, and the `Dataset` a correct import must produce from them.
//!
//! The data favour what breaks importers and date rules: month ends, 29 February, decisions
//! on the day of the application, interventions ending and cases closing on a given day,
//! Swedish letters, separators, quotes and line breaks inside values, empty optional
//! fields, goals listed before their parents. How the files are written (separator, BOM,
//! CRLF, decimal comma …) is [`super::csv_export`]'s business. A tiny self-contained PRNG
//! keeps every seed reproducible without the `rand` crate.

use std::fs;
use std::path::Path;

use bevaka::model::{
    Application, Assessment, Case, CaseWorker, Dataset, Direction, Followup, Goal, GoalLevel,
    Indicator, IndicatorValue, InsatsType, Interruption, Intervention, Outcome, Sex, Unit,
};
use chrono::{Datelike as _, Days, Months, NaiveDate};

use super::csv_export;

/// splitmix64: small, fast and good enough to vary test data.
pub struct Rng(u64);

impl Rng {
    #[must_use]
    pub fn new(seed: u64) -> Self {
        Self(seed ^ 0x5EED_BE7A_4A00_0001)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        let n = u64::try_from(n).expect("small n");
        usize::try_from(self.next_u64() % n).expect("fits")
    }

    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        let span = usize::try_from(hi - lo + 1).expect("lo <= hi");
        lo + i64::try_from(self.below(span)).expect("fits")
    }

    /// A count in `lo..=hi`.
    pub fn count(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    /// True with probability `percent` / 100.
    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// `Some(value(self))` about `percent` % of the time.
    pub fn maybe<T>(&mut self, percent: usize, value: impl FnOnce(&mut Self) -> T) -> Option<T> {
        if self.chance(percent) {
            Some(value(self))
        } else {
            None
        }
    }

    /// One of `items` (none when empty) about `percent` % of the time.
    pub fn maybe_of(&mut self, percent: usize, items: &[String]) -> Option<String> {
        if items.is_empty() {
            return None;
        }
        self.maybe(percent, |r| r.pick(items).clone())
    }

    /// One of `words`, owned.
    pub fn word(&mut self, words: &[&str]) -> String {
        (*self.pick(words)).to_owned()
    }

    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            items.swap(i, self.below(i + 1));
        }
    }
}

/// A date between 2011 and 2017, often on an edge: a month end, 29 February, New Year.
fn date(rng: &mut Rng) -> NaiveDate {
    let year = i32::try_from(rng.range(2011, 2017)).expect("year");
    let month = u32::try_from(rng.range(1, 12)).expect("month");
    let first = NaiveDate::from_ymd_opt(year, month, 1).expect("date");
    let edge = match rng.below(6) {
        0 => Some(month_end(first)),
        1 => NaiveDate::from_ymd_opt(*rng.pick(&[2012, 2016]), 2, 29),
        2 => NaiveDate::from_ymd_opt(year, *rng.pick(&[1, 12]), *rng.pick(&[1, 31])),
        _ => None,
    };
    edge.unwrap_or_else(|| first + Days::new(rng.below(28).try_into().expect("days")))
}

fn month_end(day: NaiveDate) -> NaiveDate {
    let first = day.with_day(1).expect("first");
    first.checked_add_months(Months::new(1)).expect("date") - Days::new(1)
}

/// `from` or a later date: the same day, its month end, or up to 400 days later.
fn on_or_after(rng: &mut Rng, from: NaiveDate) -> NaiveDate {
    match rng.below(4) {
        0 => from,
        1 => month_end(from),
        _ => from + Days::new(rng.count(1, 400).try_into().expect("days")),
    }
}

/// Text as real exports hold it: Swedish letters, separators, quotes and, where
/// `multiline`, a line break.
fn text(rng: &mut Rng, base: &[&str], multiline: bool) -> String {
    let mut s = rng.word(base);
    match rng.below(8) {
        0 => s.push_str("; övrigt"),
        1 => s.push_str(", se även \"bilaga\""),
        2 if multiline => s.push_str("\nandra raden: åäö ÅÄÖ"),
        3 => s.insert_str(0, "\"Citat\" "),
        _ => {}
    }
    s
}

/// A number with up to two decimals in `lo..=hi`, as the importer reads it.
fn decimal(rng: &mut Rng, lo: i64, hi: i64) -> f64 {
    let whole = rng.range(lo, hi);
    let text = match rng.below(3) {
        0 => whole.to_string(),
        1 => format!("{whole}.{}", rng.range(0, 9)),
        _ => format!("{whole}.{:02}", rng.range(0, 99)),
    };
    text.parse().expect("decimal")
}

fn ids(prefix: &str, n: usize) -> Vec<String> {
    (1..=n).map(|i| format!("{prefix}{i}")).collect()
}

const UNIT_NAMES: &[&str] = &[
    "Stöd- och serviceenheten",
    "Beställarenheten funktionsnedsättning",
    "Försörjningsstödsenheten",
    "Enheten för biståndsbedömning",
];
const PEOPLE: &[&str] = &["Åsa Öberg", "Anna Andersson", "Per-Erik Ärlig", "Lena Ek"];
const TEAMS: &[&str] = &[
    "Funktionsnedsättning vuxna",
    "Socialpsykiatri",
    "Äldreomsorg",
];
const INSATSER: &[(&str, &str, &str, &str)] = &[
    ("HT", "Hemtjänst", "Äldreomsorg", "SoL"),
    ("VOB", "Vård- och omsorgsboende", "Äldreomsorg", "SoL"),
    ("BS", "Boendestöd", "Socialpsykiatri", "SoL"),
    ("DV", "Daglig verksamhet", "Funktionsnedsättning", "LSS"),
    ("PA", "Personlig assistans", "Funktionsnedsättning", "LSS"),
    (
        "GSB",
        "Grupp- och servicebostad",
        "Funktionsnedsättning",
        "LSS",
    ),
    ("HVB", "HVB-hem; särskilt boende", "Socialpsykiatri", "SoL"),
];
/// Login stems as the jump host's accounts look; a number makes each one unique.
const LOGINS: &[&str] = &["asa.oberg", "anan", "pe.arlig", "lenek", "SDF"];
const DELAY_REASONS: &[&str] = &[
    "Ingen ledig plats",
    "Tackat nej till erbjudande",
    "Väntar på utförare",
    "Den enskilde har avböjt tills vidare",
    "Brist på personal hos utföraren",
];
const INTERRUPTION_REASONS: &[&str] = &[
    "Sjukhusvistelse",
    "Vistelse på korttidsboende",
    "Tillfälligt flyttat till anhörig",
    "Utföraren har sagt upp avtalet",
];
const KINDS: &[&str] = &["individuell plan", "DUR-uppföljning", "SIP", "omprövning"];
const NOTES: &[&str] = &["Ring god man", "Väntar på läkarintyg", "Åtgärd enligt plan"];
const PROVIDERS: &[&str] = &["Solrosen AB", "Hemtjänst Söder", "Bräcke diakoni"];
const TITLES: &[&str] = &["Ett Stockholm som håller samman", "Brukarna är nöjda"];
const INDICATORS: &[&str] = &["Andel nöjda brukare", "Handläggningstid, dagar", "Kostnad"];
const PERIODS: &[&str] = &["T1", "T2", "T3", "Q1", "Q2", "Q3", "Q4", "03", "12", ""];

/// Writes a random valid export for `seed` into `dir` and returns what it holds.
///
/// The version 2 values (logins, sex, offered, delay reasons, interruptions) come from a
/// stream of their own, `v2`, so that every other value is the same for a seed as before
/// they were added: the tests that pick seeds for what their data holds keep that data.
pub fn write_random(dir: &Path, seed: u64) -> Dataset {
    let rng = &mut Rng::new(seed);
    let v2 = &mut Rng::new(seed ^ 0x7632_0000_0000_0000);
    let mut data = Dataset::default();
    organisation(rng, v2, &mut data);
    casework(rng, v2, &mut data);
    goals(rng, dir, &mut data);
    indicators(rng, &mut data);
    csv_export::write_dataset(rng, dir, &data);
    if rng.chance(30) {
        fs::write(dir.join("LÄSMIG.txt"), "Export från verksamhetssystemet\n").expect("write");
    }
    data
}

/// Units, case workers and insats types.
fn organisation(rng: &mut Rng, v2: &mut Rng, data: &mut Dataset) {
    let prefix = if rng.chance(50) { "U" } else { "SDF Söder/" };
    for unit_id in ids(prefix, rng.count(1, 3)) {
        data.units.push(Unit {
            unit_id,
            name: text(rng, UNIT_NAMES, false),
            district: rng.maybe(70, |r| r.word(&["Södermalm", "Östermalm", "Skärholmen"])),
            area: rng.maybe(70, |r| r.word(TEAMS)),
        });
    }
    let unit_ids: Vec<String> = data.units.iter().map(|u| u.unit_id.clone()).collect();
    for (i, worker_id) in ids("H", rng.count(1, 5)).into_iter().enumerate() {
        data.case_workers.push(CaseWorker {
            worker_id,
            name: text(rng, PEOPLE, false),
            unit_id: rng.pick(&unit_ids).clone(),
            team: rng.maybe(60, |r| r.word(TEAMS)),
            login: v2.maybe(60, |r| format!("{}{}", r.word(LOGINS), i + 1)),
        });
    }
    let mut insatser = INSATSER.to_vec();
    rng.shuffle(&mut insatser);
    insatser.truncate(rng.count(2, 6));
    for (code, name, area, law) in insatser {
        data.insats_types.push(InsatsType {
            insats_code: code.to_owned(),
            name: name.to_owned(),
            area: area.to_owned(),
            law: rng.maybe(80, |_| law.to_owned()),
            target_days: rng.maybe(70, |r| r.range(0, 60)),
        });
    }
}

/// Cases, applications, interventions, interruptions and followups.
fn casework(rng: &mut Rng, v2: &mut Rng, data: &mut Dataset) {
    let unit_ids: Vec<String> = data.units.iter().map(|u| u.unit_id.clone()).collect();
    let workers: Vec<String> = data
        .case_workers
        .iter()
        .map(|w| w.worker_id.clone())
        .collect();
    let codes: Vec<String> = data
        .insats_types
        .iter()
        .map(|i| i.insats_code.clone())
        .collect();
    for case_id in ids("2014/0", rng.count(0, 15)) {
        let opened = date(rng);
        let label = |r: &mut Rng| {
            let initials = format!("{}.{}.", r.word(&["Å", "A", "Ö"]), r.word(&["B", "Ä"]));
            format!("{initials}, {}", r.range(1920, 2000))
        };
        data.cases.push(Case {
            case_id,
            unit_id: rng.pick(&unit_ids).clone(),
            team: rng.maybe(50, |r| r.word(TEAMS)),
            worker_id: rng.maybe_of(80, &workers),
            client_label: rng.maybe(80, label),
            opened,
            closed: rng.maybe(30, |r| on_or_after(r, opened)),
            sex: sex(v2),
        });
    }
    let cases: Vec<String> = data.cases.iter().map(|c| c.case_id.clone()).collect();
    if cases.is_empty() {
        return;
    }
    for application_id in ids("A-", rng.count(0, 20)) {
        let received = date(rng);
        data.applications.push(Application {
            application_id,
            case_id: rng.pick(&cases).clone(),
            insats_code: rng.pick(&codes).clone(),
            received,
            investigation_started: rng.maybe(60, |r| on_or_after(r, received)),
            decided: rng.maybe(60, |r| on_or_after(r, received)),
            outcome: rng.maybe(60, |r| *r.pick(Outcome::ALL)),
            worker_id: rng.maybe_of(70, &workers),
        });
    }
    let applications: Vec<String> = data
        .applications
        .iter()
        .map(|a| a.application_id.clone())
        .collect();
    for intervention_id in ids("I", rng.count(0, 20)) {
        let decided = rng.maybe(80, date);
        let start = decided.and_then(|d| rng.maybe(70, |r| on_or_after(r, d)));
        // Offered after the decision, and not after the start it led to.
        let offered = decided.and_then(|d| {
            v2.maybe(30, |r| {
                let offered = on_or_after(r, d);
                start.map_or(offered, |s| offered.min(s))
            })
        });
        // A reason for the delay mostly where it is not verkställt yet.
        let reason_percent = if start.is_none() { 60 } else { 10 };
        let delay_reason =
            decided.and_then(|_| v2.maybe(reason_percent, |r| text(r, DELAY_REASONS, true)));
        data.interventions.push(Intervention {
            intervention_id,
            case_id: rng.pick(&cases).clone(),
            application_id: rng.maybe_of(50, &applications),
            insats_code: rng.pick(&codes).clone(),
            decided,
            start,
            end: start.and_then(|s| rng.maybe(40, |r| on_or_after(r, s))),
            provider: rng.maybe(50, |r| text(r, PROVIDERS, false)),
            ordered: decided.and_then(|d| rng.maybe(50, |r| on_or_after(r, d))),
            plan_received: rng.maybe(30, date),
            last_followup: rng.maybe(40, date),
            offered,
            delay_reason,
        });
    }
    interruptions(v2, data);
    for followup_id in ids("F", rng.count(0, 10)) {
        let due = date(rng);
        data.followups.push(Followup {
            followup_id,
            case_id: rng.pick(&cases).clone(),
            kind: rng.word(KINDS),
            due,
            done: rng.maybe(40, |r| on_or_after(r, due)),
            worker_id: rng.maybe_of(70, &workers),
            note: rng.maybe(50, |r| text(r, NOTES, true)),
        });
    }
}

/// `cases.sex`: about 48 % K, 48 % M and 4 % not known.
fn sex(rng: &mut Rng) -> Option<Sex> {
    match rng.below(100) {
        0..48 => Some(Sex::K),
        48..96 => Some(Sex::M),
        _ => None,
    }
}

/// Up to six avbrott of interventions that have started: each begins on or after its
/// intervention's start and ends (when it has) on or after it began, neither after the
/// intervention's end.
fn interruptions(rng: &mut Rng, data: &mut Dataset) {
    let started: Vec<(String, NaiveDate, Option<NaiveDate>)> = data
        .interventions
        .iter()
        .filter_map(|i| Some((i.intervention_id.clone(), i.start?, i.end)))
        .collect();
    if started.is_empty() {
        return;
    }
    for interruption_id in ids("AV", rng.count(0, 6)) {
        let (intervention_id, start, end) = rng.pick(&started).clone();
        let within = |day: NaiveDate| end.map_or(day, |e| day.min(e));
        let interrupted = within(on_or_after(rng, start));
        let resumed = rng.maybe(60, |r| within(on_or_after(r, interrupted)));
        data.interruptions.push(Interruption {
            interruption_id,
            intervention_id,
            interrupted,
            resumed,
            reason: rng.maybe(70, |r| text(r, INTERRUPTION_REASONS, true)),
        });
    }
}

/// The målkedja, written at once: parents are created before their children, but the rows
/// are shuffled, so a parent may come after its child in the file.
fn goals(rng: &mut Rng, dir: &Path, data: &mut Dataset) {
    let unit_ids: Vec<String> = data.units.iter().map(|u| u.unit_id.clone()).collect();
    let goal_ids = ids("M", rng.count(0, 8));
    for (i, goal_id) in goal_ids.iter().enumerate() {
        data.goals.push(Goal {
            goal_id: goal_id.clone(),
            parent_id: rng.maybe_of(80, &goal_ids[..i]),
            unit_id: rng.maybe_of(50, &unit_ids),
            level: *rng.pick(GoalLevel::ALL),
            code: rng.maybe(50, |r| format!("{}.{}", r.range(1, 3), r.range(1, 9))),
            title: text(rng, TITLES, false),
            assessment: rng.maybe(50, |r| *r.pick(Assessment::ALL)),
            start: rng.maybe(30, date),
            end: rng.maybe(30, date),
            comment: rng.maybe(30, |r| text(r, &["Uppfylls helt", "Se VB"], true)),
        });
    }
    rng.shuffle(&mut data.goals);
    csv_export::write_goals(rng, dir, &data.goals);
    // The importer places every goal after its parent, otherwise keeping the file order.
    let mut rest = std::mem::take(&mut data.goals);
    while !rest.is_empty() {
        let placed = |id: &String| data.goals.iter().any(|g| &g.goal_id == id);
        let next = rest
            .iter()
            .position(|g| g.parent_id.as_ref().is_none_or(placed))
            .expect("the goals form a tree");
        data.goals.push(rest.remove(next));
    }
}

/// Indicators and their values, each (indicator, period) once.
fn indicators(rng: &mut Rng, data: &mut Dataset) {
    let unit_ids: Vec<String> = data.units.iter().map(|u| u.unit_id.clone()).collect();
    let goal_ids: Vec<String> = data.goals.iter().map(|g| g.goal_id.clone()).collect();
    for indicator_id in ids("K", rng.count(0, 6)) {
        let year = rng.range(2012, 2016);
        data.indicators.push(Indicator {
            indicator_id,
            goal_id: rng.maybe_of(60, &goal_ids),
            unit_id: rng.maybe_of(50, &unit_ids),
            name: text(rng, INDICATORS, false),
            year: i32::try_from(year).expect("year"),
            measure: rng.maybe(70, |r| r.word(&["%", "st", "dagar", "kr"])),
            direction: *rng.pick(Direction::ALL),
            periodicity: rng.maybe(60, |r| r.word(&["Tertial", "Kvartal", "Månad", "År"])),
            target: rng.maybe(70, |r| decimal(r, 0, 20_000)),
            target_text: rng.maybe(30, |r| r.word(&["öka", "minska", "tas fram av nämnden"])),
            city_target: rng.maybe(40, |r| decimal(r, 0, 100)),
            city_target_text: rng.maybe(20, |_| "öka".to_owned()),
            tolerance: rng.maybe(40, |r| decimal(r, 0, 10)),
        });
    }
    for indicator in &data.indicators {
        let mut periods = PERIODS.to_vec();
        rng.shuffle(&mut periods);
        for suffix in &periods[..rng.below(4)] {
            // Distinct suffixes give distinct periods, whichever of the two years.
            let year = indicator.year - i32::from(rng.chance(30));
            let period = if suffix.is_empty() {
                year.to_string()
            } else {
                format!("{year}-{suffix}")
            };
            data.indicator_values.push(IndicatorValue {
                indicator_id: indicator.indicator_id.clone(),
                period,
                value: decimal(rng, -50, 50_000),
                comment: rng.maybe(30, |r| text(r, &["VB", "Utfall helår"], true)),
            });
        }
    }
}
