//! Dates for the planned structure: when each case opened and closed, and the applications
//! and decisions behind every insats episode.
//!
//! Every date is drawn inside the window [`super::plan`] gave it (an episode covering the
//! dates 1 and 2 starts in the year before date 1 and runs past `as_of`), so the counts on
//! the report dates cannot move whatever is drawn. Inside those bounds the draws aim at
//! what the seeds describe: utredning within a week, beslut around the insats'
//! target_days and sometimes over, beställning a few days after the decision, the
//! genomförandeplan back within two weeks, a yearly uppföljning, time-limited decisions
//! renewed before they end.

use chrono::{Months, NaiveDate, TimeDelta};

use super::plan::{CasePlan, Cover};
use super::rng::Rng;
use super::spec::{InsatsSpec, UnitSpec};
use crate::model::Outcome;

/// The three report dates (two years before `as_of`, one year before, `as_of`) and the
/// start of the generated history.
#[derive(Debug, Clone)]
pub(crate) struct Dates {
    at: [NaiveDate; 3],
    horizon: NaiveDate,
}

impl Dates {
    /// Report dates a year apart, with calendar-month arithmetic (29 Feb → 28 Feb).
    pub(crate) fn new(as_of: NaiveDate) -> Self {
        let back = |m| as_of.checked_sub_months(Months::new(m)).unwrap_or(as_of);
        let at = [back(24), back(12), as_of];
        // Three more years before the first report date: about five years of history.
        let horizon = days(at[0], -1100);
        Self { at, horizon }
    }

    pub(crate) fn as_of(&self) -> NaiveDate {
        self.at[2]
    }

    pub(crate) fn at(&self, t: u8) -> NaiveDate {
        self.at[usize::from(t.min(2))]
    }

    /// The first day of the window that ends with date `t`.
    pub(crate) fn lower(&self, t: u8) -> NaiveDate {
        if t == 0 {
            self.horizon
        } else {
            days(self.at(t - 1), 1)
        }
    }
}

pub(crate) fn days(d: NaiveDate, n: i64) -> NaiveDate {
    d.checked_add_signed(TimeDelta::days(n)).unwrap_or(d)
}

pub(crate) fn span_days(from: NaiveDate, to: NaiveDate) -> i64 {
    (to - from).num_days()
}

/// An application (ansökan) of a case; interventions refer to it by index.
#[derive(Debug, Clone)]
pub(crate) struct App {
    pub insats: usize,
    pub received: NaiveDate,
    pub inv: Option<NaiveDate>,
    pub decided: Option<NaiveDate>,
    pub outcome: Option<Outcome>,
}

/// A granted decision: `start` is `None` while it is not verkställt.
#[derive(Debug, Clone)]
pub(crate) struct Inter {
    pub app: usize,
    pub insats: usize,
    pub decided: NaiveDate,
    pub start: Option<NaiveDate>,
    pub end: Option<NaiveDate>,
    pub provider: Option<&'static str>,
    pub ordered: Option<NaiveDate>,
    pub plan: Option<NaiveDate>,
    pub followup: Option<NaiveDate>,
}

/// A bevakning.
#[derive(Debug, Clone)]
pub(crate) struct Follow {
    pub kind: &'static str,
    pub note: &'static str,
    pub due: NaiveDate,
    pub done: Option<NaiveDate>,
    pub with_worker: bool,
}

/// A case with its rows, before ids are given.
#[derive(Debug, Clone)]
pub(crate) struct CaseBuild {
    pub team: usize,
    pub opened: NaiveDate,
    pub closed: Option<NaiveDate>,
    pub apps: Vec<App>,
    pub inters: Vec<Inter>,
    pub follows: Vec<Follow>,
}

impl CaseBuild {
    /// Whether an insats of this type is active on `d`.
    pub(crate) fn active(&self, insats: usize, d: NaiveDate) -> bool {
        self.inters.iter().any(|i| {
            i.insats == insats && i.start.is_some_and(|s| s <= d) && i.end.is_none_or(|e| e >= d)
        })
    }
}

/// Draws the dates of one unit's cases.
pub(crate) struct Gen<'a> {
    pub spec: &'a UnitSpec,
    pub dates: &'a Dates,
    pub rng: Rng,
}

impl Gen<'_> {
    /// An insats type of the unit (`'static`, so it can be held while `self` draws).
    pub(crate) fn ins(&self, insats: usize) -> &'static InsatsSpec {
        let list: &'static [InsatsSpec] = self.spec.insats;
        &list[insats]
    }

    /// A case's dates and rows, from its plan.
    pub(crate) fn case(&mut self, plan: &CasePlan) -> CaseBuild {
        let mut b = CaseBuild {
            team: plan.team,
            opened: self.dates.as_of(),
            closed: None,
            apps: Vec::new(),
            inters: Vec::new(),
            follows: Vec::new(),
        };
        match plan.open {
            Cover::Window(w) => self.window_case(&mut b, plan, w),
            Cover::Span(qa, qb) => self.span_case(&mut b, plan, qa, qb),
        }
        b
    }

    /// A short case that opened and closed between two report dates, around the one
    /// episode [`super::plan`] gives such a case.
    fn window_case(&mut self, b: &mut CaseBuild, plan: &CasePlan, w: u8) {
        let d = self.dates;
        let Some(ep) = plan.episodes.first() else {
            return;
        };
        let len = self.episode_len(self.ins(ep.insats).short);
        let lead = self.rng.range(15, 60);
        let lo = days(d.lower(w), lead + 5);
        let hi = days(d.at(w), -(len + 40));
        let start = self.rng.date(lo, hi.max(lo));
        let end = days(start, len);
        b.opened = days(start, -lead);
        self.episode(b, ep.insats, start, Some(end), true);
        let hi = days(d.at(w), -1);
        b.closed = Some(self.rng.date(days(end, 5).min(hi), days(end, 30).min(hi)));
    }

    fn episode_len(&mut self, short: bool) -> i64 {
        if short {
            self.rng.range(10, 60)
        } else {
            self.rng.range(45, 270)
        }
    }

    /// A case open on the report dates `qa..=qb`.
    fn span_case(&mut self, b: &mut CaseBuild, plan: &CasePlan, qa: u8, qb: u8) {
        let d = self.dates;
        let spans: Vec<(usize, u8, u8)> = plan
            .episodes
            .iter()
            .filter_map(|e| match e.cover {
                Cover::Span(a, z) => Some((e.insats, a, z)),
                Cover::Window(_) => None,
            })
            .collect();
        let windows: Vec<(usize, u8)> = plan
            .episodes
            .iter()
            .filter_map(|e| match e.cover {
                Cover::Window(w) => Some((e.insats, w)),
                Cover::Span(..) => None,
            })
            .collect();

        // The first episode fixes the opening date: its application opened the case.
        let first = (0..spans.len()).min_by_key(|&i| (spans[i].1, self.ins(spans[i].0).short, i));
        let mut starts = vec![d.as_of(); spans.len()];
        let mut bare_last = None;
        if let Some(first) = first {
            let (insats, a, _) = spans[first];
            let short = self.ins(insats).short;
            if plan.left_ext || a > qa {
                // Opened shortly before a report date; the insats began only after it
                // (a long utredning, or a wait for a place).
                b.opened = self.rng.date(days(d.at(qa), -75), days(d.at(qa), -5));
                let hi = days(d.at(qa), 60).min(d.at(a));
                starts[first] = self.rng.date(days(d.at(a.max(1) - 1), 1), hi);
            } else {
                let lead = if short {
                    self.rng.range(3, 20)
                } else {
                    self.rng.range(15, 90)
                };
                // Half of the cases open on the first report date are older than the
                // generated history: their decisions before it are left out (as an export
                // of the last few years would), which keeps the flow of decisions even.
                let old = a == 0 && !short && self.rng.chance(500);
                let hi = if old { d.horizon } else { d.at(a) };
                let lo = if old {
                    days(d.horizon, -2500)
                } else if short {
                    days(hi, -75)
                } else {
                    days(d.lower(a), lead + 10)
                };
                starts[first] = self.rng.date(lo.min(hi), hi);
                b.opened = days(starts[first], -lead);
            }
            for (i, &(insats, a, _)) in spans.iter().enumerate() {
                if i == first {
                    continue;
                }
                let hi = d.at(a);
                let mut lo = if a == 0 {
                    days(b.opened, 20)
                } else {
                    d.lower(a).max(days(b.opened, 20))
                };
                if self.ins(insats).short {
                    lo = lo.max(days(hi, -75));
                }
                starts[i] = self.rng.date(lo.min(hi), hi);
            }
        } else if windows.is_empty() {
            bare_last = Some(self.bare_case(b, plan, qa, qb));
        } else {
            // Its only insatser fall between report dates: opened early in the window.
            b.opened = self.rng.date(d.lower(qa), days(d.lower(qa), 100));
        }

        let mut last = bare_last.unwrap_or(b.opened);
        let mut ends = Vec::with_capacity(spans.len());
        for (i, &(insats, _, z)) in spans.iter().enumerate() {
            if z == 2 {
                ends.push(None);
                continue;
            }
            let lo = d.at(z).max(starts[i]);
            let mut hi = if z == qb {
                days(d.at(z + 1), -40)
            } else {
                days(d.at(z + 1), -1)
            };
            if self.ins(insats).short {
                hi = hi.min(days(lo, 75));
            }
            let end = self.rng.date(lo, hi);
            last = last.max(end);
            ends.push(Some(end));
        }
        for (i, &(insats, _, _)) in spans.iter().enumerate() {
            self.episode(b, insats, starts[i], ends[i], Some(i) == first);
        }
        for &(insats, w) in &windows {
            let short = self.ins(insats).short;
            let len = self.episode_len(short);
            let lo = d.lower(w).max(days(b.opened, 20));
            let hi_end = days(d.at(w), -1);
            let latest = days(hi_end, -len);
            let start = self.rng.date(lo.min(latest), latest).max(lo);
            if start >= hi_end {
                continue;
            }
            let end = days(start, len).min(hi_end);
            let first_app = spans.is_empty() && b.apps.is_empty() && start <= days(b.opened, 100);
            self.episode(b, insats, start, Some(end), first_app);
            last = last.max(end);
        }

        if qb == 2 {
            if bare_last.is_none() {
                let anchor = if plan.right_ext {
                    days(last, -30).max(b.opened)
                } else {
                    b.opened
                };
                self.waiting(b, plan.waiting, anchor, false);
            }
        } else {
            for app in &b.apps {
                last = last.max(app.decided.unwrap_or(app.received));
            }
            let lo = days(last, 5).max(days(d.at(qb), 1));
            let hi = days(last, 30).min(d.at(qb + 1)).max(lo);
            b.closed = Some(self.rng.date(lo, hi));
        }
    }

    /// Handläggningstid in days: mostly within the target, a quarter of them over it, a
    /// few far over.
    pub(crate) fn handl(&mut self, target: Option<i64>) -> i64 {
        let t = target.unwrap_or(45).max(1);
        match self.rng.below(100) {
            0..72 => self.rng.range((t / 4).max(1), t),
            72..94 => self.rng.range(t + 1, t + t / 2 + 3),
            _ => self.rng.range(t + t / 2 + 4, 3 * t + 5),
        }
    }

    /// Days from ansökan to the start of the utredning: within the week, mostly.
    pub(crate) fn inv_delay(&mut self) -> i64 {
        if self.rng.chance(880) {
            self.rng.range(0, 7)
        } else {
            self.rng.range(8, 21)
        }
    }

    /// Utredning, beslut and beställning between an application and the start.
    fn decision(
        &mut self,
        received: NaiveDate,
        start: NaiveDate,
        target: Option<i64>,
    ) -> (NaiveDate, NaiveDate, NaiveDate) {
        let avail = span_days(received, start).max(0);
        let h = self.handl(target).min(avail);
        let o = self.rng.range(0, 4).min(avail - h);
        let decided = days(received, h);
        let inv = days(received, self.inv_delay().min(h));
        (inv, decided, days(decided, o))
    }

    /// The decisions of one episode: a first decision, then renewals of time-limited ones.
    pub(crate) fn episode(
        &mut self,
        b: &mut CaseBuild,
        insats: usize,
        start: NaiveDate,
        end: Option<NaiveDate>,
        opens_case: bool,
    ) {
        let spec = self.ins(insats);
        let as_of = self.dates.as_of();
        let segments = self.segments(spec, start, end);
        let mut provider = self.rng.pick(spec.providers).copied();
        let mut prev: Option<(NaiveDate, NaiveDate)> = None;
        for &(s, e) in &segments {
            if e.is_some_and(|e| e < self.dates.horizon) {
                // Before the generated history (see `span_case`).
                prev = Some((s, e.unwrap_or(as_of)));
                continue;
            }
            let (received, renewal) = match prev {
                None if opens_case => (b.opened, false),
                None => {
                    let lead =
                        self.handl(spec.target_days) + self.rng.range(0, 4) + self.rng.range(3, 30);
                    (days(s, -lead).max(b.opened), false)
                }
                Some((ps, pe)) => {
                    // Omprövning: the new application comes in well before the old
                    // decision ends.
                    let lo = days(pe, -60).max(days(ps, 1));
                    let hi = days(pe, -14).max(lo);
                    if self.rng.chance(100) {
                        provider = self.rng.pick(spec.providers).copied();
                    }
                    (self.rng.date(lo, hi), true)
                }
            };
            let (inv, decided, ordered) = self.decision(received, s, spec.target_days);
            let outcome = if self.rng.chance(if renewal { 960 } else { 900 }) {
                Outcome::Beviljad
            } else {
                Outcome::Delvis
            };
            let app = b.apps.len();
            b.apps.push(App {
                insats,
                received,
                inv: Some(inv),
                decided: Some(decided),
                outcome: Some(outcome),
            });
            let plan = self.plan_received(ordered);
            let followup = self.last_followup(decided, s, e);
            b.inters.push(Inter {
                app,
                insats,
                decided,
                start: Some(s),
                end: e,
                provider,
                ordered: Some(ordered),
                plan,
                followup,
            });
            prev = Some((s, e.unwrap_or(as_of)));
        }
        // A renewal already applied for when a time-limited decision ends soon.
        if let (None, Some(&(s, Some(e)))) = (end, segments.last())
            && e >= as_of
            && e <= days(as_of, 45)
            && !spec.short
            && self.rng.chance(500)
        {
            let lo = days(e, -45).max(days(s, 1));
            if lo <= as_of {
                let received = self.rng.date(lo, as_of);
                self.pending(b, insats, received);
            }
        }
    }

    /// An episode cut into decisions: time-limited ones run for their months and are
    /// renewed; others run until further notice, a few changed once on the way.
    fn segments(
        &mut self,
        spec: &InsatsSpec,
        start: NaiveDate,
        end: Option<NaiveDate>,
    ) -> Vec<(NaiveDate, Option<NaiveDate>)> {
        let as_of = self.dates.as_of();
        if spec.short {
            let e = end.unwrap_or_else(|| days(as_of, self.rng.range(3, 40)));
            return vec![(start, Some(e))];
        }
        if !spec.limit_months.is_empty() {
            let mut out = Vec::new();
            let mut s = start;
            while out.len() < 100 {
                let months = self.rng.pick(spec.limit_months).copied().unwrap_or(12);
                let e = days(s.checked_add_months(Months::new(months)).unwrap_or(s), -1).max(s);
                match end {
                    Some(stop) if e >= stop => {
                        out.push((s, Some(stop)));
                        break;
                    }
                    None if e >= as_of => {
                        out.push((s, Some(e)));
                        break;
                    }
                    _ => {
                        out.push((s, Some(e)));
                        s = days(e, 1);
                    }
                }
            }
            return out;
        }
        let stop = end.unwrap_or(as_of);
        if span_days(start, stop) > 730 && self.rng.chance(300) {
            // Nytt beslut on changed needs.
            let cut = self.rng.date(days(start, 300), days(stop, -200));
            vec![(start, Some(days(cut, -1))), (cut, end)]
        } else {
            vec![(start, end)]
        }
    }

    /// Genomförandeplan: usually 3–14 days after the beställning, one in ten a little late
    /// (15–30 days). Every plan for a beställning more than six weeks old has come back;
    /// of the latest ones some are still missing, a few of them overdue by days or weeks.
    pub(crate) fn plan_received(&mut self, ordered: NaiveDate) -> Option<NaiveDate> {
        let as_of = self.dates.as_of();
        let got = if self.rng.chance(900) {
            days(ordered, self.rng.range(3, 14))
        } else {
            days(ordered, self.rng.range(15, 30))
        };
        if span_days(ordered, as_of) <= 42 && self.rng.chance(150) {
            // The provider has not sent it yet.
            return None;
        }
        (got <= as_of).then_some(got)
    }

    /// The latest uppföljning of a decision. For an active one: a decision from the last
    /// twelve months is not due yet, but most have had a first follow-up a month or two
    /// after the start; an older one has nearly always been followed up within the year,
    /// and the few that have not are overdue by days, weeks or a few months, never years.
    /// An ended decision sometimes had one while it ran.
    fn last_followup(
        &mut self,
        decided: NaiveDate,
        start: NaiveDate,
        end: Option<NaiveDate>,
    ) -> Option<NaiveDate> {
        let as_of = self.dates.as_of();
        if let Some(end) = end.filter(|&e| e < as_of) {
            return (span_days(start, end) >= 120 && self.rng.chance(700))
                .then(|| self.rng.date(days(start, 60), end));
        }
        let year_ago = as_of.checked_sub_months(Months::new(12)).unwrap_or(as_of);
        let first = days(start, 30);
        if decided > year_ago {
            let lo = days(start, 45);
            return (lo <= as_of && self.rng.chance(900)).then(|| self.rng.date(lo, as_of));
        }
        if first > as_of {
            // Verkställt only now, after a long wait: followed up at the start.
            return Some(start);
        }
        if start > year_ago || self.rng.chance(955) {
            // A few days of margin: twelve months on from the date must not fall before
            // `as_of` when the month ends differ (29 February).
            let lo = first.max(days(year_ago, 3));
            return Some(self.rng.date(lo.min(as_of), as_of));
        }
        let late = match self.rng.below(10) {
            0..6 => self.rng.range(1, 30),
            6..9 => self.rng.range(31, 90),
            _ => self.rng.range(91, 150),
        };
        Some(days(year_ago, -late).max(first))
    }
}
