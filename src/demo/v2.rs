//! The columns and table of snapshot version 2: the client's kön, the handläggare's login,
//! the offers and reasons of decisions that wait for verkställighet, and avbrott i
//! verkställigheten.
//!
//! They are added after a unit's rows are made, from a random stream of their own, so they
//! change none of the rows the demo had before: every version 1 column of every row, and
//! so every figure the demo reproduces, stays what it was.

use std::collections::HashSet;

use chrono::{Months, NaiveDate};

use super::history::{days, span_days};
use super::names;
use super::rng::Rng;
use super::spec::UnitSpec;
use crate::model::{Case, Dataset, Interruption, Intervention, Sex};

/// Where a unit's rows begin in the dataset, taken before they are appended.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RowStarts {
    workers: usize,
    cases: usize,
    interventions: usize,
}

impl RowStarts {
    pub(crate) fn of(data: &Dataset) -> Self {
        Self {
            workers: data.case_workers.len(),
            cases: data.cases.len(),
            interventions: data.interventions.len(),
        }
    }
}

/// The logins given so far in one snapshot: a login names one handläggare across it.
#[derive(Debug, Default)]
pub(crate) struct Logins(HashSet<String>);

impl Logins {
    /// A handläggare's login, numbered on a collision (`anbe`, `anbe2`, …); `None` for
    /// the one in ten without an account on the jump host.
    fn give(&mut self, name: &str, rng: &mut Rng) -> Option<String> {
        if rng.chance(NO_LOGIN_PERMILLE) {
            return None;
        }
        let mut base = names::login_base(name);
        if base.is_empty() {
            base.push_str("handl");
        }
        let mut login = base.clone();
        let mut n = 2;
        while self.0.contains(&login) {
            login = format!("{base}{n}");
            n += 1;
        }
        self.0.insert(login.clone());
        Some(login)
    }
}

/// Handläggare without a login (they never use the jump host).
const NO_LOGIN_PERMILLE: u32 = 100;

/// Cases whose kön the case system does not have.
const UNKNOWN_SEX_PERMILLE: u32 = 25;

/// Started interventions (of the insats types that can be interrupted) with an avbrott.
const AVBROTT_PERMILLE: u32 = 30;

/// Avbrott över tre månader on `as_of` each unit has at least: the IVO report always has
/// some to show.
const MIN_LONG_AVBROTT: usize = 1;

/// Fills in the version 2 values of the unit's rows that begin at `starts`: logins,
/// kön, offers and delay reasons, and appends the unit's avbrott.
pub(crate) fn add(
    spec: &UnitSpec,
    as_of: NaiveDate,
    mut rng: Rng,
    data: &mut Dataset,
    starts: RowStarts,
    logins: &mut Logins,
) {
    // A stream for each part, so that one drawing more does not move the others.
    let mut login_rng = rng.fork(1);
    let mut sex_rng = rng.fork(2);
    let mut delay_rng = rng.fork(3);
    let mut avbrott_rng = rng.fork(4);

    for worker in &mut data.case_workers[starts.workers..] {
        worker.login = logins.give(&worker.name, &mut login_rng);
    }

    let women: Vec<(&str, u32)> = (0..spec.teams.len())
        .map(|t| (spec.teams[t].name, women_permille(spec, t)))
        .collect();
    for case in &mut data.cases[starts.cases..] {
        let share = women
            .iter()
            .find(|(name, _)| case.team.as_deref() == Some(*name))
            .map_or(500, |w| w.1);
        case.sex = if sex_rng.chance(UNKNOWN_SEX_PERMILLE) {
            None
        } else if sex_rng.chance(share) {
            Some(Sex::K)
        } else {
            Some(Sex::M)
        };
    }

    let Dataset {
        cases,
        interventions,
        interruptions,
        ..
    } = data;
    let cases = &cases[starts.cases..];
    let inters = &mut interventions[starts.interventions..];
    let mut long = 0;
    // Running interventions without an avbrott that one over three months could be given.
    let mut spare: Vec<(usize, usize)> = Vec::new();
    // A case's interventions follow it, case by case: the two lists walk in step.
    let mut at = 0;
    for (c, case) in cases.iter().enumerate() {
        let n = inters[at..]
            .iter()
            .take_while(|i| i.case_id == case.case_id)
            .count();
        let run = &mut inters[at..at + n];
        for k in 0..run.len() {
            let renewal = is_renewal(run, k);
            let renewed = is_renewed(run, k);
            delay(&mut run[k], renewal, as_of, &mut delay_rng);
            let before = interruptions.len();
            avbrott(
                &run[k],
                renewed,
                case,
                as_of,
                &mut avbrott_rng,
                interruptions,
            );
            long += interruptions[before..]
                .iter()
                .filter(|a| a.resumed.is_none() && over_three_months(a.interrupted, as_of))
                .filter(|_| runs_on(&run[k], case, as_of))
                .count();
            if interruptions.len() == before && can_be_long(&run[k], case, as_of) {
                spare.push((c, at + k));
            }
        }
        at += n;
    }
    while long < MIN_LONG_AVBROTT && !spare.is_empty() {
        let pick = avbrott_rng.below(spare.len() as u64) as usize;
        let (c, k) = spare.swap_remove(pick);
        long_avbrott(
            &inters[k],
            &cases[c],
            as_of,
            &mut avbrott_rng,
            interruptions,
        );
        long += 1;
    }
}

/// Kvinnor per mille of a team's clients: äldreomsorg's are two thirds women (more in
/// särskilt boende, where the oldest are), LSS's more boys and men, socialpsykiatri's
/// about even.
fn women_permille(spec: &UnitSpec, team: usize) -> u32 {
    let codes: Vec<&str> = spec
        .team_insats(team)
        .into_iter()
        .map(|k| spec.insats[k].code)
        .collect();
    let ages = spec.teams[team].ages;
    if codes.iter().any(|c| c.starts_with("AO_")) {
        if ages.0 >= 75 { 700 } else { 640 }
    } else if codes.iter().any(|c| c.starts_with("SP_")) {
        480
    } else if ages.0 < 18 {
        370
    } else {
        430
    }
}

/// Whether the intervention continues another of the same insats in its case (a renewal
/// or a new decision on changed needs): it never waited for verkställighet.
fn is_renewal(run: &[Intervention], k: usize) -> bool {
    let this = &run[k];
    let Some(start) = this.start else {
        return false;
    };
    run.iter()
        .any(|p| p.insats_code == this.insats_code && p.end.is_some_and(|e| days(e, 1) == start))
}

/// Whether another intervention of the same insats continues this one the day after it
/// ends (it was renewed).
fn is_renewed(run: &[Intervention], k: usize) -> bool {
    let Some(end) = run[k].end else {
        return false;
    };
    run.iter()
        .any(|n| n.insats_code == run[k].insats_code && n.start == Some(days(end, 1)))
}

/// What the person may have been offered while a decision waits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Offer {
    /// Nothing to offer yet (no place, no provider).
    None,
    /// An offer was made and declined.
    Declined,
    /// The person chose to wait, offered something or not.
    Maybe,
}

/// Reasons a case system gives for a decision not (yet) verkställd, by insats.
fn delay_reasons(code: &str) -> &'static [(&'static str, Offer)] {
    match code {
        "FN_GRUPPBO" => &[
            ("Ingen ledig plats i gruppbostad", Offer::None),
            ("Ingen ledig plats i gruppbostad", Offer::None),
            ("Ingen ledig lägenhet i servicebostad", Offer::None),
            (
                "Den enskilde har tackat nej till erbjudet boende",
                Offer::Declined,
            ),
            ("Den enskilde vill avvakta", Offer::Maybe),
        ],
        "SP_SARBO" => &[
            ("Ingen ledig plats i särskilt boende", Offer::None),
            ("Ingen ledig plats i särskilt boende", Offer::None),
            (
                "Den enskilde har tackat nej till erbjudet boende",
                Offer::Declined,
            ),
            ("Den enskilde vill avvakta", Offer::Maybe),
        ],
        "SP_HVB" => &[
            ("Inget lämpligt HVB-hem med ledig plats", Offer::None),
            ("Avvaktar utförare", Offer::None),
            (
                "Den enskilde har tackat nej till erbjuden plats",
                Offer::Declined,
            ),
        ],
        "AO_VOBO" => &[
            (
                "Ingen ledig plats på önskat vård- och omsorgsboende",
                Offer::None,
            ),
            (
                "Ingen ledig plats på önskat vård- och omsorgsboende",
                Offer::None,
            ),
            (
                "Den enskilde har tackat nej till erbjudet boende",
                Offer::Declined,
            ),
            ("Den enskilde vill avvakta", Offer::Maybe),
        ],
        "AO_KORTT" => &[("Ingen ledig korttidsplats", Offer::None)],
        "FN_DAGLIG" => &[
            ("Ingen ledig plats i daglig verksamhet", Offer::None),
            ("Avvaktar utförare", Offer::None),
            (
                "Den enskilde har tackat nej till erbjuden plats",
                Offer::Declined,
            ),
            ("Den enskilde vill avvakta", Offer::Maybe),
        ],
        "SP_SYSS" => &[
            ("Ingen ledig plats i sysselsättning", Offer::None),
            (
                "Den enskilde har tackat nej till erbjuden plats",
                Offer::Declined,
            ),
            ("Den enskilde vill avvakta", Offer::Maybe),
        ],
        "AO_DAGV" => &[
            ("Ingen ledig plats i dagverksamhet", Offer::None),
            (
                "Den enskilde har tackat nej till erbjuden plats",
                Offer::Declined,
            ),
            ("Den enskilde vill avvakta", Offer::Maybe),
        ],
        "FN_PASS" => &[
            ("Rekrytering av personliga assistenter pågår", Offer::None),
            ("Avvaktar utförare", Offer::None),
            ("Den enskilde vill avvakta", Offer::Maybe),
        ],
        "FN_ASSERS" => &[("Avvaktar Försäkringskassans beslut", Offer::None)],
        "FN_AVLOS" => &[
            ("Brist på avlösare", Offer::None),
            ("Avvaktar utförare", Offer::None),
            (
                "Den enskilde har tackat nej till erbjuden avlösare",
                Offer::Declined,
            ),
            ("Den enskilde vill avvakta", Offer::Maybe),
        ],
        "FN_HEMTJ" | "AO_HEMTJ" | "FN_BOSTOD" | "SP_BOSTOD" => &[
            ("Resursbrist hos utföraren", Offer::None),
            ("Avvaktar utförare", Offer::None),
            ("Den enskilde vill avvakta", Offer::Maybe),
            (
                "Den enskilde har tackat nej till erbjuden insats",
                Offer::Declined,
            ),
        ],
        "AO_LARM" => &[
            ("Avvaktar installation av trygghetslarm", Offer::None),
            ("Den enskilde vill avvakta", Offer::Maybe),
        ],
        _ => &[
            ("Avvaktar utförare", Offer::None),
            ("Den enskilde vill avvakta", Offer::Maybe),
        ],
    }
}

/// A place to live: the offer is what U23401 counts to, so it is usually recorded.
fn residential(code: &str) -> bool {
    matches!(code, "FN_GRUPPBO" | "SP_SARBO" | "SP_HVB" | "AO_VOBO")
}

/// The offer and the delay reason of a first decision: the longer it waited (or waits),
/// the likelier a reason. Those started within a few weeks rarely have one.
fn delay(i: &mut Intervention, renewal: bool, as_of: NaiveDate, rng: &mut Rng) {
    let Some(decided) = i.decided.filter(|&d| d <= as_of) else {
        return;
    };
    if renewal {
        return;
    }
    let start = i.start.filter(|&s| s <= as_of);
    let waited = span_days(decided, start.unwrap_or(as_of));
    let permille = match (start.is_some(), waited) {
        (false, ..=21) => 200,
        (false, 22..=90) => 700,
        (false, _) => 950,
        (true, ..=30) => 20,
        (true, 31..=60) => 120,
        (true, 61..=90) => 550,
        (true, _) => 950,
    };
    let reason = if rng.chance(permille) {
        rng.pick(delay_reasons(&i.insats_code)).copied()
    } else {
        None
    };
    let place = start.is_some() && residential(&i.insats_code);
    let offer_permille = match reason.map(|r| r.1) {
        Some(Offer::Declined) => 1000,
        Some(Offer::Maybe) => 600,
        Some(Offer::None) | None if place => 600,
        Some(Offer::None) | None => 0,
    };
    if rng.chance(offer_permille) {
        i.offered = Some(match start {
            // The last offer, the one taken up, came shortly before the start.
            Some(start) => rng.date(days(start, -21).max(decided), start),
            None => {
                let (lo, hi) = (days(decided, 10), days(as_of, -3));
                if lo <= hi {
                    rng.date(lo, hi)
                } else {
                    rng.date(decided, as_of)
                }
            }
        });
    }
    i.delay_reason = reason.map(|r| r.0.to_owned());
}

/// Why an insats' verkställighet stops for a while, and for how long (days, from–to).
fn avbrott_reasons(code: &str) -> &'static [(&'static str, i64, i64)] {
    match code {
        "AO_HEMTJ" | "FN_HEMTJ" => &[
            ("Vistelse på sjukhus", 4, 45),
            ("Vistelse på sjukhus", 4, 45),
            ("Vistelse på sjukhus", 4, 45),
            ("Vistelse på korttidsboende", 14, 90),
            ("Vistelse utomlands", 20, 120),
            ("Den enskilde har tackat nej tillfälligt", 20, 200),
        ],
        "FN_BOSTOD" | "FN_PASS" | "FN_AVLOS" => &[
            ("Vistelse på sjukhus", 7, 60),
            ("Vistelse utomlands", 20, 120),
            ("Den enskilde har tackat nej tillfälligt", 30, 240),
            ("Utföraren saknar personal", 14, 150),
        ],
        "SP_BOSTOD" => &[
            ("Vistelse på sjukhus", 14, 90),
            ("Vård på behandlingshem", 30, 180),
            ("Den enskilde har tackat nej tillfälligt", 30, 240),
            ("Utföraren saknar personal", 14, 150),
        ],
        "FN_DAGLIG" | "SP_SYSS" | "AO_DAGV" => &[
            ("Den enskilde har tackat nej tillfälligt", 30, 240),
            ("Den enskilde har tackat nej tillfälligt", 30, 240),
            ("Vistelse på sjukhus", 7, 60),
            ("Utföraren saknar personal", 14, 120),
            ("Vistelse utomlands", 20, 90),
        ],
        "AO_MAT" => &[("Vistelse på sjukhus", 4, 40)],
        // Places to live, larm and assistansersättning are not interrupted here.
        _ => &[],
    }
}

/// The reasons of the avbrott that last: these are the ones still waiting after months.
const LONG_REASONS: [&str; 3] = [
    "Den enskilde har tackat nej tillfälligt",
    "Utföraren saknar personal",
    "Vistelse utomlands",
];

/// The last day an intervention runs on in the rows: its end, the day before its case
/// closed, or `as_of`, whichever is earliest.
fn last_day(i: &Intervention, case: &Case, as_of: NaiveDate) -> NaiveDate {
    [i.end, case.closed.map(|c| days(c, -1)), Some(as_of)]
        .into_iter()
        .flatten()
        .min()
        .unwrap_or(as_of)
}

/// Whether the intervention runs on `as_of`, in a case open on it.
fn runs_on(i: &Intervention, case: &Case, as_of: NaiveDate) -> bool {
    i.start.is_some_and(|s| s <= as_of)
        && i.end.is_none_or(|e| e > as_of)
        && case.closed.is_none_or(|c| c > as_of)
}

/// `as_of` is more than three calendar months after `interrupted` (clamped to the
/// month's end, as DOMAIN.md counts).
fn over_three_months(interrupted: NaiveDate, as_of: NaiveDate) -> bool {
    interrupted
        .checked_add_months(Months::new(3))
        .is_some_and(|limit| as_of > limit)
}

/// Now and then an avbrott of a started intervention, a second one after it now and
/// then: it resumes after its reason's weeks or months, or is still on when the
/// intervention ends (or on `as_of`). One that would outlast a decision that was
/// `renewed` resumes with the new decision instead.
fn avbrott(
    i: &Intervention,
    renewed: bool,
    case: &Case,
    as_of: NaiveDate,
    rng: &mut Rng,
    out: &mut Vec<Interruption>,
) {
    let Some(start) = i.start else {
        return;
    };
    let reasons = avbrott_reasons(&i.insats_code);
    if reasons.is_empty() || !rng.chance(AVBROTT_PERMILLE) {
        return;
    }
    let last = last_day(i, case, as_of);
    let mut from = days(start, 14);
    let mut n = 0;
    // Interrupted before the last day: an avbrott needs a day to stop.
    while from < last {
        let interrupted = rng.date(from, days(last, -1));
        let Some(&(reason, lo, hi)) = rng.pick(reasons) else {
            return;
        };
        let back = days(interrupted, rng.range(lo, hi));
        let resumed = if renewed {
            Some(back.min(last))
        } else {
            (back <= last).then_some(back)
        };
        n += 1;
        out.push(Interruption {
            interruption_id: format!("{}/AV{n}", i.intervention_id),
            intervention_id: i.intervention_id.clone(),
            interrupted,
            resumed,
            reason: Some(reason.to_owned()),
        });
        match resumed {
            Some(r) if rng.chance(150) => from = days(r, 30),
            _ => return,
        }
    }
}

/// Whether an avbrott over three months on `as_of` fits the intervention: it runs on
/// `as_of`, began long enough before, and is of a kind that is interrupted.
fn can_be_long(i: &Intervention, case: &Case, as_of: NaiveDate) -> bool {
    runs_on(i, case, as_of)
        && i.start.is_some_and(|s| span_days(s, as_of) >= 250)
        && !avbrott_reasons(&i.insats_code).is_empty()
}

/// An avbrott that began four to six and a half months before `as_of` and is still on.
fn long_avbrott(
    i: &Intervention,
    case: &Case,
    as_of: NaiveDate,
    rng: &mut Rng,
    out: &mut Vec<Interruption>,
) {
    let Some(start) = i.start else {
        return;
    };
    let interrupted = days(as_of, -rng.range(125, 200)).max(days(start, 14));
    let reason = rng.pick(&LONG_REASONS).copied();
    debug_assert!(runs_on(i, case, as_of) && over_three_months(interrupted, as_of));
    out.push(Interruption {
        interruption_id: format!("{}/AV1", i.intervention_id),
        intervention_id: i.intervention_id.clone(),
        interrupted,
        resumed: None,
        reason: reason.map(str::to_owned),
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    #[test]
    fn three_months_clamp_to_the_month_s_end() {
        // 31 Aug + 3 months = 30 Nov: 1 Dec is the first day over three months.
        assert!(!over_three_months(d(2014, 8, 31), d(2014, 11, 30)));
        assert!(over_three_months(d(2014, 8, 31), d(2014, 12, 1)));
        assert!(!over_three_months(d(2014, 9, 15), d(2014, 12, 15)));
        assert!(over_three_months(d(2014, 9, 15), d(2014, 12, 16)));
    }

    #[test]
    fn logins_are_numbered_on_collisions() {
        let mut logins = Logins::default();
        let mut rng = Rng::new(5);
        let mut given = Vec::new();
        while given.len() < 3 {
            // Some draws give no login; the others must count up.
            if let Some(login) = logins.give("Anna Berg", &mut rng) {
                given.push(login);
            }
        }
        assert_eq!(given, ["anbe", "anbe2", "anbe3"]);
        let given_to_others = (0..200)
            .filter(|_| logins.give("Åsa Öberg", &mut rng).is_some())
            .count();
        assert!((160..=195).contains(&given_to_others), "{given_to_others}");
        assert!(logins.0.contains("asob") && logins.0.contains("asob2"));
    }
}
