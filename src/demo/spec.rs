//! The shape of a demo unit: its teams, its insats types and the figures they must meet.
//!
//! The units themselves ([`super::unit_fn`], [`super::aldre`]) are constant data of these
//! types, so the figures taken from the seed documents stand in one place, and the
//! generator ([`super::plan`], [`super::history`]) is shared by both.

/// One unit (enhet) and everything the generator needs to invent its caseload.
#[derive(Debug)]
pub(crate) struct UnitSpec {
    /// `units.unit_id`.
    pub id: &'static str,
    /// Prefix of the unit's case ids (`BF-2014-00123`).
    pub case_prefix: &'static str,
    pub name: &'static str,
    pub district: &'static str,
    pub area: &'static str,
    /// The number of the unit's first handläggare (`H101`).
    pub first_worker: u32,
    pub teams: &'static [TeamSpec],
    pub insats: &'static [InsatsSpec],
    /// Granted decisions older than three months and still not verkställda on `as_of`.
    pub ej_verkstallda: u32,
    /// Seed of the unit's random stream.
    pub seed: u64,
}

/// An arbetsgrupp: its cases, its handläggare and its open-case figures.
#[derive(Debug)]
pub(crate) struct TeamSpec {
    pub name: &'static str,
    /// Age range of the team's clients (inclusive), on `as_of` or when the case closed.
    pub ages: (i32, i32),
    /// Open cases on `as_of` and one year earlier, met exactly.
    pub open: [u32; 2],
    /// Handläggare in the team.
    pub workers: u32,
    /// Insats types that usually come on top of another one in the same case.
    pub attach: &'static [Attach],
    /// Bevakningar kept for the team's cases: (kind, note).
    pub followups: &'static [(&'static str, &'static str)],
}

/// "An episode of `code` joins an existing case having one of `hosts`, with probability
/// `permille` / 1000" (daglig verksamhet for someone in a gruppbostad, for example).
#[derive(Debug)]
pub(crate) struct Attach {
    pub code: &'static str,
    pub permille: u32,
    /// Insats codes a host case must have; empty for any case of the team.
    pub hosts: &'static [&'static str],
}

/// An insats type and how its caseload moves over the three report dates.
#[derive(Debug)]
pub(crate) struct InsatsSpec {
    pub code: &'static str,
    pub name: &'static str,
    pub area: &'static str,
    pub law: Option<&'static str>,
    pub target_days: Option<i64>,
    /// Cases with the insats active on `as_of`, one year and two years before (the order of
    /// the document's columns: dec-14, dec-13, dec-12).
    pub counts: [u32; 3],
    /// Team index and share in per mille of every count; the last team takes the rest.
    pub teams: &'static [(usize, u32)],
    pub churn: Churn,
    /// Episodes that fall entirely between report dates, per mille of `counts[0]`.
    pub between: u32,
    /// Lengths (months) of time-limited decisions; empty when decisions run until further
    /// notice.
    pub limit_months: &'static [u32],
    /// Stays of weeks rather than years (korttidsboende): placed close to a report date.
    pub short: bool,
    pub providers: &'static [&'static str],
}

/// How many of an insats' cases carry over between report dates, in per mille.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Churn {
    /// Of the smallest count: episodes active on all three dates.
    pub stable: u32,
    /// Of the rest on the two earlier dates: episodes active on both that ended before
    /// `as_of`.
    pub ended: u32,
    /// Of the rest on the two later dates: episodes that began between the first two dates
    /// and still run.
    pub started: u32,
}

impl UnitSpec {
    /// Indices of the insats types a team's cases use.
    pub(crate) fn team_insats(&self, team: usize) -> Vec<usize> {
        self.insats
            .iter()
            .enumerate()
            .filter(|(_, spec)| spec.teams.iter().any(|&(t, share)| t == team && share > 0))
            .map(|(i, _)| i)
            .collect()
    }

    pub(crate) fn insats_index(&self, code: &str) -> Option<usize> {
        self.insats.iter().position(|spec| spec.code == code)
    }
}
