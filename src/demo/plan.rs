//! The structure of the demo caseload, decided before any date is drawn.
//!
//! The seed's figures are counts on three report dates (as_of, one and two years before).
//! Rather than drawing random histories and repairing the totals afterwards, this module
//! decides for every insats *episode* (one client's continuous run of one insats) and for
//! every case which of the three dates it covers. The caseload of an insats on a date is
//! then the number of episodes covering it (a case never holds two episodes of one type
//! on one date), and a team's open cases on a date the number of cases covering it: both
//! exact by construction. [`super::history`] only draws dates inside these windows.
//!
//! Nothing here depends on `as_of`, so the structure, and with it the exactness, is the
//! same for every date the demo is built for.

use super::rng::Rng;
use super::spec::{Churn, TeamSpec, UnitSpec};

/// Which report dates something covers. Dates are numbered chronologically: 0 = two years
/// before `as_of`, 1 = one year before, 2 = `as_of`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cover {
    /// Active (or open) on every date from the first to the second index, inclusive.
    Span(u8, u8),
    /// Entirely between report dates: in the year before date `w` (before date 0 for 0).
    Window(u8),
}

impl Cover {
    pub(crate) fn covers(self, t: u8) -> bool {
        matches!(self, Cover::Span(a, b) if a <= t && t <= b)
    }

    fn holds_span(self, a: u8, b: u8) -> bool {
        matches!(self, Cover::Span(qa, qb) if qa <= a && b <= qb)
    }
}

/// One insats episode: `insats` indexes the unit's insats list.
#[derive(Debug, Clone, Copy)]
pub(crate) struct EpisodePlan {
    pub insats: usize,
    pub cover: Cover,
}

/// What a case open on `as_of` without an active insats is waiting for (and what some
/// ordinary open cases have in progress).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Waiting {
    Nothing,
    /// An application under utredning.
    Pending,
    /// A granted decision not yet verkställt.
    Granted,
    /// A recent avslag; the case is not yet closed.
    Refused,
}

/// One case: the dates it is open on and its episodes.
#[derive(Debug, Clone)]
pub(crate) struct CasePlan {
    pub team: usize,
    pub open: Cover,
    pub episodes: Vec<EpisodePlan>,
    /// Opened shortly before date 1 although its first insats began after it.
    pub left_ext: bool,
    /// Still open on `as_of` although its last insats ended before.
    pub right_ext: bool,
    pub waiting: Waiting,
}

impl CasePlan {
    fn new(team: usize, open: Cover) -> Self {
        Self {
            team,
            open,
            episodes: Vec::new(),
            left_ext: false,
            right_ext: false,
            waiting: Waiting::Nothing,
        }
    }

    fn has_insats(&self, insats: usize) -> bool {
        self.episodes.iter().any(|e| e.insats == insats)
    }

    /// No episode covering a report date.
    pub(crate) fn is_bare(&self) -> bool {
        self.episodes
            .iter()
            .all(|e| matches!(e.cover, Cover::Window(_)))
    }
}

/// The cases of a unit, team by team.
pub(crate) fn plan_unit(spec: &UnitSpec, rng: &mut Rng) -> Vec<CasePlan> {
    let teams = spec.teams.len();
    let mut spans: Vec<Vec<EpisodePlan>> = vec![Vec::new(); teams];
    let mut between: Vec<Vec<EpisodePlan>> = vec![Vec::new(); teams];
    for (insats, ins) in spec.insats.iter().enumerate() {
        let parts = decompose(ins.counts, ins.churn);
        for (cover, n) in parts {
            for (team, k) in split(n, ins.teams) {
                let list = &mut spans[team];
                list.extend((0..k).map(|_| EpisodePlan { insats, cover }));
            }
        }
        let per_year = ins.counts[0] * ins.between / 3000;
        // The history before the first report date is three years long. About as many
        // episodes begin there each year as in the last year (`started_now`); those
        // still running on the first date are already planned (half of those are older),
        // the rest also ended in it. Without them the flow of decisions would seem to grow
        // year by year.
        let started_now = parts[5].1 + per_year;
        let first_window = (3 * started_now)
            .saturating_sub(ins.counts[2] / 2)
            .max(per_year);
        for w in 0..3u8 {
            let n = if w == 0 { first_window } else { per_year };
            let cover = Cover::Window(w);
            for (team, k) in split(n, ins.teams) {
                between[team].extend((0..k).map(|_| EpisodePlan { insats, cover }));
            }
        }
    }
    let mut cases = Vec::new();
    for (team, (team_spans, team_between)) in spans.into_iter().zip(between).enumerate() {
        cases.extend(plan_team(spec, team, team_spans, team_between, rng));
    }
    cases
}

/// Splits an insats' counts on the three dates into episodes by the dates they cover, so
/// that the episodes covering each date add up to its count exactly.
fn decompose(counts: [u32; 3], churn: Churn) -> [(Cover, u32); 6] {
    let [c_now, c_1, c_2] = counts;
    let all = churn.stable * c_now.min(c_1).min(c_2) / 1000;
    let (r_now, r_1, r_2) = (c_now - all, c_1 - all, c_2 - all);
    let ended = churn.ended * r_2.min(r_1) / 1000;
    let started = churn.started * (r_1 - ended).min(r_now) / 1000;
    [
        (Cover::Span(0, 2), all),
        (Cover::Span(0, 1), ended),
        (Cover::Span(1, 2), started),
        (Cover::Span(0, 0), r_2 - ended),
        (Cover::Span(1, 1), r_1 - ended - started),
        (Cover::Span(2, 2), r_now - started),
    ]
}

/// Shares `n` among teams by per mille, rounding cumulatively so the parts add up to `n`.
fn split(n: u32, shares: &[(usize, u32)]) -> Vec<(usize, u32)> {
    let mut out = Vec::with_capacity(shares.len());
    let (mut cumulative, mut given) = (0u64, 0u32);
    for (i, &(team, permille)) in shares.iter().enumerate() {
        cumulative += u64::from(permille);
        let upto = if i + 1 == shares.len() {
            n
        } else {
            u32::try_from((u64::from(n) * cumulative + 500) / 1000)
                .unwrap_or(n)
                .min(n)
        };
        out.push((team, upto.saturating_sub(given)));
        given = given.max(upto);
    }
    out
}

fn open_on(cases: &[CasePlan], t: u8) -> u32 {
    cases.iter().filter(|c| c.open.covers(t)).count() as u32
}

fn plan_team(
    spec: &UnitSpec,
    team: usize,
    mut episodes: Vec<EpisodePlan>,
    mut between: Vec<EpisodePlan>,
    rng: &mut Rng,
) -> Vec<CasePlan> {
    let tspec = &spec.teams[team];
    let rule_of = |insats: usize| {
        tspec
            .attach
            .iter()
            .position(|a| a.code == spec.insats[insats].code)
    };
    // Insats types that start cases first (in random order), then those that join them.
    rng.shuffle(&mut episodes);
    episodes.sort_by_key(|e| rule_of(e.insats).map_or(0, |r| r + 1));

    let mut cases: Vec<CasePlan> = Vec::new();
    for ep in episodes {
        let Cover::Span(a, b) = ep.cover else {
            continue;
        };
        let rule = rule_of(ep.insats).map(|r| &tspec.attach[r]);
        let host = match rule {
            Some(rule) if rng.chance(rule.permille) => {
                find_host(spec, &cases, ep, a, b, rule.hosts, rng)
            }
            _ => None,
        };
        match host {
            Some(i) => cases[i].episodes.push(ep),
            None => {
                let mut case = CasePlan::new(team, ep.cover);
                case.episodes.push(ep);
                cases.push(case);
            }
        }
    }
    merge_overflow(tspec, &mut cases);
    fill_open(tspec, team, &mut cases, rng);
    place_between(team, &mut cases, &mut between, rng);
    cases
}

/// A case that can take the episode: open on its dates, without the insats, and having
/// one of `hosts` (any case when empty).
fn find_host(
    spec: &UnitSpec,
    cases: &[CasePlan],
    ep: EpisodePlan,
    a: u8,
    b: u8,
    hosts: &[&str],
    rng: &mut Rng,
) -> Option<usize> {
    let hosts: Vec<usize> = hosts
        .iter()
        .filter_map(|code| spec.insats_index(code))
        .collect();
    let fits = |c: &CasePlan| {
        c.open.holds_span(a, b)
            && !c.has_insats(ep.insats)
            && (hosts.is_empty() || hosts.iter().any(|&h| c.has_insats(h)))
    };
    let exact: Vec<usize> = (0..cases.len())
        .filter(|&i| cases[i].open == ep.cover && fits(&cases[i]))
        .collect();
    // Mostly the same dates as the host: someone in a gruppbostad has usually had daglig
    // verksamhet for as long.
    if !exact.is_empty() && rng.chance(800) {
        return rng.pick(&exact).copied();
    }
    let any: Vec<usize> = (0..cases.len()).filter(|&i| fits(&cases[i])).collect();
    rng.pick(&any).copied()
}

/// Should the episodes alone leave more open cases than the team has, moves single
/// cases into others that span the same dates. (The unit data are tuned so this rarely
/// has anything to do; it keeps the open counts exact if the tuning drifts.)
fn merge_overflow(tspec: &TeamSpec, cases: &mut Vec<CasePlan>) {
    for (k, t) in [(0usize, 2u8), (1, 1)] {
        while open_on(cases, t) > tspec.open[k] {
            let found = (0..cases.len()).find_map(|c| {
                let case = &cases[c];
                if !case.open.covers(t) {
                    return None;
                }
                let Cover::Span(qa, qb) = case.open else {
                    return None;
                };
                (0..cases.len())
                    .find(|&h| {
                        h != c
                            && cases[h].open.holds_span(qa, qb)
                            && case.episodes.iter().all(|e| !cases[h].has_insats(e.insats))
                    })
                    .map(|h| (c, h))
            });
            let Some((c, h)) = found else {
                break;
            };
            let moved = std::mem::take(&mut cases[c].episodes);
            cases[h].episodes.extend(moved);
            cases.remove(c);
        }
    }
}

/// Adds open cases without an active insats until the team's open counts are met: new
/// cases under utredning, cases kept open after their insats ended, cases opened before a
/// report date whose insats began after it.
fn fill_open(tspec: &TeamSpec, team: usize, cases: &mut Vec<CasePlan>, rng: &mut Rng) {
    let short_now = tspec.open[0].saturating_sub(open_on(cases, 2));
    let short_then = tspec.open[1].saturating_sub(open_on(cases, 1));
    let both = short_now.min(short_then) / 5;
    for i in 0..both {
        let mut case = CasePlan::new(team, Cover::Span(1, 2));
        case.waiting = if i % 2 == 1 {
            Waiting::Nothing
        } else {
            Waiting::Pending
        };
        cases.push(case);
    }

    let now = short_now - both;
    let mut candidates: Vec<usize> = (0..cases.len())
        .filter(|&i| matches!(cases[i].open, Cover::Span(_, 1)) && !cases[i].is_bare())
        .collect();
    rng.shuffle(&mut candidates);
    let right = (now * 3 / 10).min(candidates.len() as u32);
    for (n, &i) in candidates.iter().take(right as usize).enumerate() {
        let case = &mut cases[i];
        if let Cover::Span(qa, _) = case.open {
            case.open = Cover::Span(qa, 2);
        }
        case.right_ext = true;
        case.waiting = [Waiting::Pending, Waiting::Nothing, Waiting::Granted][n % 3];
    }

    let then = short_then - both;
    let mut candidates: Vec<usize> = (0..cases.len())
        .filter(|&i| cases[i].open == Cover::Span(2, 2) && !cases[i].is_bare())
        .collect();
    rng.shuffle(&mut candidates);
    let left = (then * 3 / 10).min(candidates.len() as u32);
    for &i in candidates.iter().take(left as usize) {
        cases[i].open = Cover::Span(1, 2);
        cases[i].left_ext = true;
    }

    const NEW: [Waiting; 6] = [
        Waiting::Pending,
        Waiting::Granted,
        Waiting::Nothing,
        Waiting::Refused,
        Waiting::Pending,
        Waiting::Nothing,
    ];
    for i in 0..(now - right) {
        let mut case = CasePlan::new(team, Cover::Span(2, 2));
        case.waiting = NEW[i as usize % NEW.len()];
        cases.push(case);
    }
    for _ in 0..(then - left) {
        cases.push(CasePlan::new(team, Cover::Span(1, 1)));
    }
}

/// Places the episodes that cover no report date: in a case open over the whole window
/// (or a case without any other insats that opens early in it), else in a short case of
/// their own that opened and closed between report dates.
fn place_between(
    team: usize,
    cases: &mut Vec<CasePlan>,
    between: &mut Vec<EpisodePlan>,
    rng: &mut Rng,
) {
    rng.shuffle(between);
    for ep in between.drain(..) {
        let Cover::Window(w) = ep.cover else {
            continue;
        };
        let host = if w > 0 && rng.chance(500) {
            let fits = |c: &CasePlan| match c.open {
                Cover::Span(qa, qb) => {
                    w <= qb
                        && (qa < w || (qa == w && c.episodes.is_empty()))
                        && !c.has_insats(ep.insats)
                }
                Cover::Window(_) => false,
            };
            let bare: Vec<usize> = (0..cases.len())
                .filter(|&i| cases[i].is_bare() && fits(&cases[i]))
                .collect();
            if !bare.is_empty() && rng.chance(700) {
                rng.pick(&bare).copied()
            } else {
                let any: Vec<usize> = (0..cases.len()).filter(|&i| fits(&cases[i])).collect();
                rng.pick(&any).copied()
            }
        } else {
            None
        };
        match host {
            Some(i) => cases[i].episodes.push(ep),
            None => {
                let mut case = CasePlan::new(team, ep.cover);
                case.episodes.push(ep);
                cases.push(case);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decomposition_adds_up_on_every_date() {
        let churn = Churn {
            stable: 600,
            ended: 500,
            started: 600,
        };
        for counts in [[108, 118, 106], [25, 25, 29], [11, 11, 10], [0, 3, 7]] {
            let parts = decompose(counts, churn);
            for (t, want) in [(2u8, counts[0]), (1, counts[1]), (0, counts[2])] {
                let got: u32 = parts
                    .iter()
                    .filter(|(c, _)| c.covers(t))
                    .map(|(_, n)| n)
                    .sum();
                assert_eq!(got, want, "{counts:?} on {t}");
            }
        }
    }

    #[test]
    fn split_adds_up() {
        for n in [0, 1, 7, 38, 227] {
            let parts = split(n, &[(1, 890), (2, 110)]);
            assert_eq!(parts.iter().map(|p| p.1).sum::<u32>(), n);
        }
    }
}
