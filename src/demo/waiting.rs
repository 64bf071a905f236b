//! What a case is doing when it has no active insats: an application under utredning, a
//! granted decision waiting to be verkställt, a refusal, or a short insats that has just
//! ended. These fill the open cases the seed's counts demand beyond those with an insats,
//! and give the bevakningslista its utredning, beslut and verkställighet items.

use chrono::NaiveDate;

use super::history::{App, CaseBuild, Gen, Inter, days, span_days};
use super::plan::{CasePlan, Cover, Waiting};
use super::rng::Rng;
use crate::model::Outcome;

impl Gen<'_> {
    /// A case without any insats episode: what kept it open on its report dates. Returns
    /// the date of its latest event.
    pub(crate) fn bare_case(
        &mut self,
        b: &mut CaseBuild,
        plan: &CasePlan,
        qa: u8,
        qb: u8,
    ) -> NaiveDate {
        let d = self.dates;
        let as_of = d.as_of();
        if qb < 2 {
            // Mostly a short insats that ended just before the report date (the case
            // closed soon after), else a refused application.
            if self.rng.chance(700) {
                let end_lo = days(d.at(qb), -40);
                return self.short_ended(b, end_lo, days(d.at(qb), -1), d.lower(qa));
            }
            b.opened = self.bare_opened(plan, qa);
            self.refusal(b, b.opened, as_of);
        } else if qa == 2 {
            // New since the last report date.
            if plan.waiting == Waiting::Nothing {
                return self.short_ended(b, days(as_of, -60), days(as_of, -1), d.lower(2));
            }
            b.opened = self.bare_opened(plan, qa);
            self.waiting(b, plan.waiting, b.opened, true);
        } else {
            // Open for over a year without an insats: an early refusal, and something now.
            b.opened = self.bare_opened(plan, qa);
            self.refusal(b, b.opened, as_of);
            if plan.waiting == Waiting::Nothing {
                return self.short_ended(b, days(as_of, -60), days(as_of, -1), d.lower(2));
            }
            self.waiting(b, plan.waiting, b.opened, false);
        }
        b.apps
            .iter()
            .map(|a| a.decided.unwrap_or(a.received))
            .max()
            .unwrap_or(b.opened)
    }

    /// A short insats that ended between `end_lo` and `end_hi`. When it is the case's first
    /// event it opens the case, after `lower`. Returns its end.
    pub(crate) fn short_ended(
        &mut self,
        b: &mut CaseBuild,
        end_lo: NaiveDate,
        end_hi: NaiveDate,
        lower: NaiveDate,
    ) -> NaiveDate {
        let team_insats = self.spec.team_insats(b.team);
        let Some(&insats) = self.rng.pick(&team_insats) else {
            b.opened = end_lo;
            return end_lo;
        };
        let len = if self.ins(insats).short {
            self.rng.range(10, 60)
        } else {
            self.rng.range(30, 240)
        };
        let end = self.rng.date(end_lo, end_hi);
        let mut start = days(end, -len);
        let opens = b.apps.is_empty();
        if opens {
            let lead = self.rng.range(15, 60);
            start = start.max(days(lower, lead + 1)).min(end);
            b.opened = days(start, -lead);
        } else {
            start = start.max(days(b.opened, 20)).min(end);
        }
        self.episode(b, insats, start, Some(end), opens);
        end
    }

    /// The opening date of a case without any insats episode.
    pub(crate) fn bare_opened(&mut self, plan: &CasePlan, qa: u8) -> NaiveDate {
        let d = self.dates;
        let as_of = d.as_of();
        let (lo, hi) = match (plan.open, plan.waiting) {
            (Cover::Span(2, 2), Waiting::Granted) => (days(as_of, -100), days(as_of, -20)),
            (Cover::Span(2, 2), Waiting::Refused) => (days(as_of, -80), days(as_of, -10)),
            (Cover::Span(2, 2), _) => (days(as_of, -40), as_of),
            (Cover::Span(1, 1), _) => (days(d.at(1), -90), days(d.at(1), -1)),
            (Cover::Span(1, 2), _) => (days(d.lower(1), 30), days(d.at(1), -30)),
            _ => (days(d.lower(qa), 10), days(d.at(qa), -10)),
        };
        self.rng.date(lo, hi)
    }

    /// An application not yet decided on `as_of`.
    pub(crate) fn pending(&mut self, b: &mut CaseBuild, insats: usize, received: NaiveDate) {
        let as_of = self.dates.as_of();
        let waited = span_days(received, as_of);
        let inv = if waited >= 7 {
            self.rng
                .chance(900)
                .then(|| days(received, self.rng.range(0, 7)))
        } else {
            self.rng
                .chance(500)
                .then(|| days(received, self.rng.range(0, waited)))
        };
        b.apps.push(App {
            insats,
            received,
            inv,
            decided: None,
            outcome: None,
        });
    }

    /// A refused or withdrawn application received on `received`, decided by `latest`.
    pub(crate) fn refusal(&mut self, b: &mut CaseBuild, received: NaiveDate, latest: NaiveDate) {
        let team_insats = self.spec.team_insats(b.team);
        let Some(&insats) = self.rng.pick(&team_insats) else {
            return;
        };
        let h = self
            .handl(self.ins(insats).target_days)
            .min(span_days(received, latest))
            .max(0);
        let inv = days(received, self.inv_delay().min(h));
        let outcome = if self.rng.chance(750) {
            Outcome::Avslag
        } else {
            Outcome::Aterkallad
        };
        b.apps.push(App {
            insats,
            received,
            inv: Some(inv),
            decided: Some(days(received, h)),
            outcome: Some(outcome),
        });
    }

    /// What an open case is waiting for on `as_of`: an application under utredning, a
    /// granted decision not yet verkställt, or a recent avslag.
    pub(crate) fn waiting(
        &mut self,
        b: &mut CaseBuild,
        what: Waiting,
        anchor: NaiveDate,
        exact: bool,
    ) {
        let as_of = self.dates.as_of();
        let free: Vec<usize> = self
            .spec
            .team_insats(b.team)
            .into_iter()
            .filter(|&i| !b.active(i, as_of))
            .collect();
        let Some(&insats) = self.rng.pick(&free) else {
            return;
        };
        let when = |rng: &mut Rng, back_lo: i64, back_hi: i64| {
            if exact {
                anchor
            } else {
                let lo = days(as_of, -back_lo).max(anchor);
                rng.date(lo, days(as_of, -back_hi).max(lo))
            }
        };
        match what {
            Waiting::Nothing => {}
            Waiting::Pending => {
                let received = when(&mut self.rng, 40, 0);
                self.pending(b, insats, received);
            }
            Waiting::Granted => {
                let received = when(&mut self.rng, 100, 20);
                self.granted_unstarted(b, insats, received, None);
            }
            Waiting::Refused => {
                let received = when(&mut self.rng, 80, 10);
                self.refusal(b, received, as_of);
            }
        }
    }

    /// A granted decision without a start: beställd or not, waiting for a place. Decided
    /// on `decided` when given, else after a drawn handläggningstid.
    pub(crate) fn granted_unstarted(
        &mut self,
        b: &mut CaseBuild,
        insats: usize,
        received: NaiveDate,
        decided: Option<NaiveDate>,
    ) {
        let as_of = self.dates.as_of();
        let spec = self.ins(insats);
        let decided = decided.unwrap_or_else(|| {
            let h = self
                .handl(spec.target_days)
                .min(span_days(received, as_of) - 1)
                .max(0);
            days(received, h)
        });
        let h = span_days(received, decided);
        let inv = days(received, self.inv_delay().min(h));
        let ordered = Some(days(decided, self.rng.range(1, 5)))
            .filter(|&o| o <= as_of && self.rng.chance(700));
        let app = b.apps.len();
        b.apps.push(App {
            insats,
            received,
            inv: Some(inv),
            decided: Some(decided),
            outcome: Some(Outcome::Beviljad),
        });
        // Beställd: the provider plans with the client while waiting for a place.
        let plan = ordered.and_then(|o| self.plan_received(o));
        let provider = if ordered.is_some() {
            self.rng.pick(spec.providers).copied()
        } else {
            None
        };
        b.inters.push(Inter {
            app,
            insats,
            decided,
            start: None,
            end: None,
            provider,
            ordered,
            plan,
            followup: None,
        });
    }
}
