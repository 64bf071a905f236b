//! Handläggningstid and ej verkställda beslut: the enhetschef's quarterly review (DOMAIN.md
//! "Handläggningstid", "Ej verkställt beslut on D").
//!
//! The snapshot hands over typed rows; the statistics are computed here, by one function
//! ([`stats`]), so that a quarter, an insats type and a handläggare are summarised alike. Every
//! figure is relative to an injected `today`: a decision counts once it is made (`decided <=
//! today`), and an application is waiting until then.

use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::Connection;

use crate::domain::dates::{add_months, days_between};
use crate::model::Outcome;
use crate::snapshot::queries::{self, ApplicationTiming, Filter, PendingIntervention};

mod stats;

pub use stats::{Change, Quarter, Stats, stats};

/// How many quarters the review shows, up to today's.
pub const QUARTERS: usize = 8;
/// Calendar months after the decision when an unstarted intervention becomes ej verkställt.
pub const NOT_EXECUTED_MONTHS: u32 = 3;

/// One quarter of the review.
#[derive(Debug, Clone, PartialEq)]
pub struct QuarterRow {
    pub quarter: Quarter,
    pub stats: Stats,
    pub vs_prev: Change,
    /// Against the same quarter a year before.
    pub vs_year: Change,
}

/// A decided application.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub application_id: String,
    pub case_id: String,
    pub insats_code: String,
    /// `applications.worker_id`, else the case's.
    pub worker_id: Option<String>,
    pub received: NaiveDate,
    pub decided: NaiveDate,
    pub outcome: Option<Outcome>,
    /// Handläggningstid: `decided - received` in calendar days.
    pub days: i64,
    pub target_days: Option<i64>,
}

/// An application of an open case, undecided on today and past its insats type's target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverTarget {
    pub application_id: String,
    pub case_id: String,
    pub insats_code: String,
    pub worker_id: Option<String>,
    pub received: NaiveDate,
    pub target_days: i64,
    /// `today - received`.
    pub days_waiting: i64,
}

/// An ej verkställt beslut on today.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotExecuted {
    pub intervention_id: String,
    pub case_id: String,
    pub insats_code: String,
    /// The case's handläggare.
    pub worker_id: Option<String>,
    pub client_label: Option<String>,
    pub decided: NaiveDate,
    /// `today - decided`.
    pub days_waiting: i64,
}

/// The review's own filters, on top of unit and team.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scope {
    pub insats_code: Option<String>,
    pub worker_id: Option<String>,
}

impl Scope {
    fn admits(&self, insats_code: &str, worker_id: Option<&String>) -> bool {
        self.insats_code.as_ref().is_none_or(|c| c == insats_code)
            && self.worker_id.as_ref().is_none_or(|w| Some(w) == worker_id)
    }
}

/// How a quarter is broken down.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum By {
    Insats,
    Worker,
}

/// One insats type's or handläggare's statistics in a quarter.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// The insats code or handläggare id (`None`: no handläggare).
    pub key: Option<String>,
    /// Its name from the snapshot, when known.
    pub name: Option<String>,
    pub stats: Stats,
}

/// The rows the review is computed from (unit and team already applied).
#[derive(Debug, Clone, Default)]
pub struct Rows {
    pub applications: Vec<ApplicationTiming>,
    pub pending: Vec<PendingIntervention>,
}

/// The whole review.
#[derive(Debug, Clone, Default)]
pub struct Processing {
    pub today: NaiveDate,
    pub scope: Scope,
    /// The last [`QUARTERS`] quarters up to today's, oldest first, empty ones included.
    pub quarters: Vec<QuarterRow>,
    /// The decisions of those quarters in scope, by decision date.
    pub decisions: Vec<Decision>,
    /// Oldest first.
    pub over_target: Vec<OverTarget>,
    /// Oldest first.
    pub not_executed: Vec<NotExecuted>,
    pub insats_names: HashMap<String, String>,
    pub worker_names: HashMap<String, String>,
    rows: Rows,
}

/// The first day of the oldest quarter whose figures the review needs (a year before the
/// first quarter shown, for the change against the same quarter a year before).
#[must_use]
pub fn window_start(today: NaiveDate) -> NaiveDate {
    Quarter::of(today).back(QUARTERS as u32 + 3).first_day()
}

impl Processing {
    /// Computes the review of `rows` for `scope` on `today`.
    #[must_use]
    pub fn compute(rows: Rows, scope: Scope, today: NaiveDate) -> Self {
        let mut p = Self {
            today,
            scope,
            rows,
            ..Self::default()
        };
        p.recompute();
        p
    }

    /// Applies another insats / handläggare filter to the same rows.
    pub fn rescope(&mut self, scope: Scope) {
        self.scope = scope;
        self.recompute();
    }

    fn recompute(&mut self) {
        let today = self.today;
        let from = window_start(today);
        let scope = &self.scope;
        let mut decisions: Vec<Decision> = self
            .rows
            .applications
            .iter()
            .filter(|a| scope.admits(&a.insats_code, a.worker_id.as_ref()))
            .filter_map(|a| {
                let decided = a.decided.filter(|d| *d <= today && *d >= from)?;
                Some(Decision {
                    application_id: a.application_id.clone(),
                    case_id: a.case_id.clone(),
                    insats_code: a.insats_code.clone(),
                    worker_id: a.worker_id.clone(),
                    received: a.received,
                    decided,
                    outcome: a.outcome,
                    days: days_between(a.received, decided),
                    target_days: a.target_days,
                })
            })
            .collect();
        decisions
            .sort_by(|a, b| (a.decided, &a.application_id).cmp(&(b.decided, &b.application_id)));
        let current = Quarter::of(today);
        let all: Vec<(Quarter, Stats)> = (0..QUARTERS as u32 + 4)
            .rev()
            .map(|k| {
                let q = current.back(k);
                (q, quarter_stats(&decisions, q))
            })
            .collect();
        self.quarters = (4..all.len())
            .map(|i| QuarterRow {
                quarter: all[i].0,
                stats: all[i].1,
                vs_prev: Change::between(&all[i].1, &all[i - 1].1),
                vs_year: Change::between(&all[i].1, &all[i - 4].1),
            })
            .collect();
        let shown_from = current.back(QUARTERS as u32 - 1).first_day();
        decisions.retain(|d| d.decided >= shown_from);
        self.decisions = decisions;

        let open_case = |a: &ApplicationTiming| {
            a.case_opened <= today && a.case_closed.is_none_or(|c| c > today)
        };
        self.over_target = self
            .rows
            .applications
            .iter()
            .filter(|a| scope.admits(&a.insats_code, a.worker_id.as_ref()))
            .filter(|a| a.decided.is_none_or(|d| d > today) && open_case(a))
            .filter_map(|a| {
                let target_days = a.target_days?;
                let days_waiting = days_between(a.received, today);
                (days_waiting > target_days).then(|| OverTarget {
                    application_id: a.application_id.clone(),
                    case_id: a.case_id.clone(),
                    insats_code: a.insats_code.clone(),
                    worker_id: a.worker_id.clone(),
                    received: a.received,
                    target_days,
                    days_waiting,
                })
            })
            .collect();
        self.over_target
            .sort_by(|a, b| (a.received, &a.application_id).cmp(&(b.received, &b.application_id)));

        self.not_executed = self
            .rows
            .pending
            .iter()
            .filter(|i| scope.admits(&i.insats_code, i.worker_id.as_ref()))
            .filter(|i| is_not_executed(i.decided, i.start, today))
            .map(|i| NotExecuted {
                intervention_id: i.intervention_id.clone(),
                case_id: i.case_id.clone(),
                insats_code: i.insats_code.clone(),
                worker_id: i.worker_id.clone(),
                client_label: i.client_label.clone(),
                decided: i.decided,
                days_waiting: days_between(i.decided, today),
            })
            .collect();
        self.not_executed
            .sort_by(|a, b| (a.decided, &a.intervention_id).cmp(&(b.decided, &b.intervention_id)));
    }

    /// The decisions of `quarter` grouped by insats type or handläggare, by key.
    #[must_use]
    pub fn breakdown(&self, quarter: Quarter, by: By) -> Vec<Group> {
        let mut groups: HashMap<Option<&str>, Vec<(i64, Option<i64>)>> = HashMap::new();
        for d in self
            .decisions
            .iter()
            .filter(|d| Quarter::of(d.decided) == quarter)
        {
            let key = match by {
                By::Insats => Some(d.insats_code.as_str()),
                By::Worker => d.worker_id.as_deref(),
            };
            groups.entry(key).or_default().push((d.days, d.target_days));
        }
        let names = match by {
            By::Insats => &self.insats_names,
            By::Worker => &self.worker_names,
        };
        let mut out: Vec<Group> = groups
            .into_iter()
            .map(|(key, samples)| Group {
                key: key.map(str::to_string),
                name: key.and_then(|k| names.get(k)).cloned(),
                stats: stats(&samples),
            })
            .collect();
        out.sort_by(|a, b| a.key.cmp(&b.key));
        out
    }

    /// The handläggare that occur in the rows (for the filter), by name.
    #[must_use]
    pub fn workers(&self) -> Vec<(String, String)> {
        let mut ids: Vec<&String> = self
            .rows
            .applications
            .iter()
            .filter_map(|a| a.worker_id.as_ref())
            .chain(
                self.rows
                    .pending
                    .iter()
                    .filter_map(|i| i.worker_id.as_ref()),
            )
            .collect();
        ids.sort();
        ids.dedup();
        let mut out: Vec<(String, String)> = ids
            .into_iter()
            .map(|id| {
                let name = self.worker_names.get(id).unwrap_or(id);
                (id.clone(), name.clone())
            })
            .collect();
        out.sort_by(|a, b| a.1.cmp(&b.1).then_with(|| a.0.cmp(&b.0)));
        out
    }

    /// The insats codes that occur in the rows (for the filter), in code order.
    #[must_use]
    pub fn insats_codes(&self) -> Vec<String> {
        let mut codes: Vec<String> = self
            .rows
            .applications
            .iter()
            .map(|a| a.insats_code.clone())
            .chain(self.rows.pending.iter().map(|i| i.insats_code.clone()))
            .collect();
        codes.sort();
        codes.dedup();
        codes
    }

    /// The name of an insats code, else the code.
    #[must_use]
    pub fn insats_name<'a>(&'a self, code: &'a str) -> &'a str {
        self.insats_names.get(code).map_or(code, String::as_str)
    }

    /// The name of a handläggare, else the id; `None` for no handläggare.
    #[must_use]
    pub fn worker_name<'a>(&'a self, id: Option<&'a str>) -> Option<&'a str> {
        id.map(|w| self.worker_names.get(w).map_or(w, String::as_str))
    }
}

fn quarter_stats(decisions: &[Decision], quarter: Quarter) -> Stats {
    let samples: Vec<(i64, Option<i64>)> = decisions
        .iter()
        .filter(|d| Quarter::of(d.decided) == quarter)
        .map(|d| (d.days, d.target_days))
        .collect();
    stats(&samples)
}

/// DOMAIN.md "Ej verkställt beslut on D": decided, not started on D (no start, or a later
/// one), and D more than three calendar months after the decision.
#[must_use]
pub fn is_not_executed(decided: NaiveDate, start: Option<NaiveDate>, today: NaiveDate) -> bool {
    start.is_none_or(|s| s > today) && add_months(decided, NOT_EXECUTED_MONTHS) < today
}

/// Loads the review for `filter` and `scope` on `today`.
///
/// # Errors
/// SQLite errors.
pub fn load(
    conn: &Connection,
    filter: &Filter,
    scope: Scope,
    today: NaiveDate,
) -> rusqlite::Result<Processing> {
    let rows = Rows {
        applications: queries::application_timings(conn, filter, window_start(today))?,
        pending: queries::pending_interventions(conn, filter, today)?,
    };
    let mut p = Processing::compute(rows, scope, today);
    // Two areas may both have a "Boendestöd": such names carry their area, so a breakdown
    // or a list never shows two insatser under one name.
    let types = queries::insats_types(conn)?;
    let shared = |name: &str| types.iter().filter(|t| t.name == name).count() > 1;
    p.insats_names = types
        .iter()
        .map(|t| {
            let name = if shared(&t.name) {
                format!("{} ({})", t.name, t.area)
            } else {
                t.name.clone()
            };
            (t.insats_code.clone(), name)
        })
        .collect();
    p.worker_names = queries::case_workers(conn, &Filter::default())?
        .into_iter()
        .map(|w| (w.worker_id, w.name))
        .collect();
    Ok(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        crate::domain::dates::parse_iso(s).expect("date")
    }

    #[test]
    fn window_reaches_a_year_before_the_first_quarter_shown() {
        assert_eq!(window_start(d("2014-12-31")), d("2012-01-01"));
        assert_eq!(window_start(d("2016-02-29")), d("2013-04-01"));
    }

    fn app(
        id: &str,
        received: &str,
        decided: Option<&str>,
        target: Option<i64>,
    ) -> ApplicationTiming {
        ApplicationTiming {
            application_id: id.into(),
            case_id: "C".into(),
            insats_code: if target.is_some() { "HT" } else { "VB" }.into(),
            received: d(received),
            decided: decided.map(d),
            outcome: None,
            worker_id: Some("H1".into()),
            target_days: target,
            case_opened: d("2010-01-01"),
            case_closed: None,
        }
    }

    #[test]
    fn eight_quarters_oldest_first_with_changes() {
        let rows = Rows {
            applications: vec![
                app("A", "2013-10-01", Some("2013-10-11"), Some(14)),
                app("B", "2014-09-20", Some("2014-10-01"), Some(14)),
                app("C", "2014-12-31", Some("2014-12-31"), None),
                app("D", "2014-12-01", Some("2015-01-05"), Some(14)),
                app("E", "2014-06-01", None, Some(14)),
            ],
            pending: vec![],
        };
        let p = Processing::compute(rows, Scope::default(), d("2014-12-31"));
        let labels: Vec<String> = p.quarters.iter().map(|q| q.quarter.to_string()).collect();
        assert_eq!(labels.first().map(String::as_str), Some("2013-Q1"));
        assert_eq!(labels.last().map(String::as_str), Some("2014-Q4"));
        assert_eq!(labels.len(), QUARTERS);
        let q4 = &p.quarters[7];
        assert_eq!(q4.stats.decisions, 2, "D is decided after today");
        assert_eq!(q4.stats.median_days, Some(5.5));
        assert_eq!(q4.stats.within_target(), Some(1.0), "C has no target");
        assert_eq!(q4.vs_prev.decisions, 2);
        assert_eq!(q4.vs_prev.median_days, None);
        assert_eq!(q4.vs_year.median_days, Some(-4.5));
        assert_eq!(p.quarters[2].stats, Stats::default());
        assert_eq!(p.quarters[3].stats.median_days, Some(10.0));
        // D (undecided on today, 30 days) and E (213 days) wait past the 14 days.
        let over: Vec<&str> = p
            .over_target
            .iter()
            .map(|o| o.application_id.as_str())
            .collect();
        assert_eq!(over, ["E", "D"]);
        assert_eq!(p.over_target[0].days_waiting, 213);
        let by = p.breakdown(q4.quarter, By::Insats);
        assert_eq!(by.len(), 2);
        assert_eq!(by[0].key.as_deref(), Some("HT"));
    }

    #[test]
    fn ej_verkstallt_after_more_than_three_calendar_months() {
        assert!(!is_not_executed(d("2014-08-31"), None, d("2014-11-30")));
        assert!(is_not_executed(d("2014-08-31"), None, d("2014-12-01")));
        assert!(is_not_executed(
            d("2014-08-31"),
            Some(d("2014-12-15")),
            d("2014-12-01")
        ));
        assert!(!is_not_executed(
            d("2014-08-31"),
            Some(d("2014-12-01")),
            d("2014-12-01")
        ));
    }

    #[test]
    fn scope_filters_insats_and_handlaggare() {
        let mut other = app("B", "2014-10-01", Some("2014-10-02"), Some(14));
        other.worker_id = Some("H2".into());
        let rows = Rows {
            applications: vec![app("A", "2014-10-01", Some("2014-10-05"), Some(14)), other],
            pending: vec![],
        };
        let scope = Scope {
            insats_code: None,
            worker_id: Some("H2".into()),
        };
        let mut p = Processing::compute(rows, scope, d("2014-12-31"));
        assert_eq!(p.quarters[7].stats.decisions, 1);
        assert_eq!(p.quarters[7].stats.max_days, Some(1));
        p.rescope(Scope {
            insats_code: Some("VB".into()),
            worker_id: None,
        });
        assert_eq!(p.quarters[7].stats.decisions, 0);
        p.rescope(Scope::default());
        let by = p.breakdown(p.quarters[7].quarter, By::Worker);
        assert_eq!(by.len(), 2);
    }
}
