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
use crate::snapshot::Readers;
use crate::snapshot::queries::{self, Filter, Part, PendingIntervention, TimingRow};

mod stats;

pub use stats::{Change, Quarter, Stats, stats};

/// How many quarters the review shows, up to today's.
pub const QUARTERS: usize = 8;
/// Calendar months after the decision when an unstarted intervention becomes ej verkställt.
pub const NOT_EXECUTED_MONTHS: u32 = 3;
/// The quarters whose decisions the rows keep: those shown and the four before the first
/// (for the change against the same quarter a year before).
const KEPT: usize = QUARTERS + 4;

/// One quarter of the review.
#[derive(Debug, Clone, PartialEq)]
pub struct QuarterRow {
    pub quarter: Quarter,
    pub stats: Stats,
    pub vs_prev: Change,
    /// Against the same quarter a year before.
    pub vs_year: Change,
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

/// An application with what the review needs, owned: for building [`Rows`] by hand (tests,
/// small inputs). The snapshot hands [`TimingRow`]s to [`Rows::push`] instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplicationTiming {
    pub application_id: String,
    pub case_id: String,
    pub insats_code: String,
    pub received: NaiveDate,
    pub decided: Option<NaiveDate>,
    /// `applications.worker_id`, else the case's.
    pub worker_id: Option<String>,
    /// The insats type's.
    pub target_days: Option<i64>,
    pub case_opened: NaiveDate,
    pub case_closed: Option<NaiveDate>,
}

/// One decision of a kept quarter: its handläggningstid and who and what it was, as indexes
/// into [`Rows`]' insats codes and handläggare. Twelve bytes, so that a city's 300 000
/// decisions take a few MB and a new insats / handläggare filter is a pass over integers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Decision {
    /// Handläggningstid: `decided - received` in calendar days.
    days: i32,
    insats: u32,
    /// 0: no handläggare.
    worker: u32,
}

/// A list entry with the indexes the scope filter compares.
#[derive(Debug, Clone)]
struct Keyed<T> {
    insats: u32,
    worker: u32,
    item: T,
}

/// The rows the review is computed from (unit and team already applied), compact: the
/// decisions of the kept quarters as integers, the two lists (tens to a few thousand
/// entries) in full. Build with [`Rows::new`], [`Rows::target`], [`Rows::push`] and
/// [`Rows::push_pending`], or [`Rows::from_timings`].
#[derive(Debug, Clone)]
pub struct Rows {
    today: NaiveDate,
    /// The oldest kept quarter.
    first: Quarter,
    /// `target_days` of the insats types the snapshot knows.
    targets: HashMap<String, Option<i64>>,
    /// The insats codes met in the rows, with their `target_days`; indexed by
    /// [`Decision::insats`].
    insats: Vec<(String, Option<i64>)>,
    insats_index: IdMap<u32>,
    /// The handläggare met in the rows; index 0 is none.
    workers: Vec<Option<String>>,
    worker_index: IdMap<u32>,
    /// The decisions of the [`KEPT`] quarters, oldest first; each quarter by handläggningstid
    /// once finished, so that any subset of it is sorted too.
    quarters: Vec<Vec<Decision>>,
    over_target: Vec<Keyed<OverTarget>>,
    not_executed: Vec<Keyed<NotExecuted>>,
    finished: bool,
}

impl Default for Rows {
    fn default() -> Self {
        Self::new(NaiveDate::default())
    }
}

/// A [`Scope`] as indexes into [`Rows`]; `nothing` when it names an insats code or a
/// handläggare the rows do not have.
#[derive(Debug, Clone, Copy)]
struct Selection {
    insats: Option<u32>,
    worker: Option<u32>,
    nothing: bool,
}

impl Selection {
    fn admits(self, insats: u32, worker: u32) -> bool {
        !self.nothing
            && self.insats.is_none_or(|i| i == insats)
            && self.worker.is_none_or(|w| w == worker)
    }
}

impl Rows {
    /// No rows yet, for the review on `today`.
    #[must_use]
    pub fn new(today: NaiveDate) -> Self {
        Self {
            today,
            first: Quarter::of(today).back(KEPT as u32 - 1),
            targets: HashMap::new(),
            insats: Vec::new(),
            insats_index: IdMap::default(),
            workers: vec![None],
            worker_index: IdMap::default(),
            quarters: vec![Vec::new(); KEPT],
            over_target: Vec::new(),
            not_executed: Vec::new(),
            finished: true,
        }
    }

    /// Declares an insats type's `target_days` (from `insats_types`); give them before the
    /// rows. A code not declared has no target.
    pub fn target(&mut self, insats_code: &str, target_days: Option<i64>) {
        self.targets.insert(insats_code.to_string(), target_days);
    }

    fn insats_of(&mut self, code: &str) -> u32 {
        if let Some(&i) = self.insats_index.get(code) {
            return i;
        }
        let i = u32::try_from(self.insats.len()).unwrap_or(u32::MAX);
        let target = self.targets.get(code).copied().flatten();
        self.insats.push((code.to_string(), target));
        self.insats_index.insert(code.to_string(), i);
        i
    }

    fn worker_of(&mut self, id: Option<&str>) -> u32 {
        let Some(id) = id else { return 0 };
        if let Some(&i) = self.worker_index.get(id) {
            return i;
        }
        let i = u32::try_from(self.workers.len()).unwrap_or(u32::MAX);
        self.workers.push(Some(id.to_string()));
        self.worker_index.insert(id.to_string(), i);
        i
    }

    /// Takes one application as [`queries::for_each_application`] hands it over: a decision
    /// of a kept quarter, or one undecided on today (listed when its case is open and it
    /// waits past its target).
    pub fn push(&mut self, row: TimingRow<'_>) {
        match row {
            TimingRow::Decided {
                insats_code,
                worker_id,
                received,
                decided,
            } => {
                let k = Quarter::of(decided).ordinal() - self.first.ordinal();
                let Some(quarter) = usize::try_from(k).ok().filter(|k| *k < KEPT) else {
                    return;
                };
                let days = days_between(received, decided);
                let decision = Decision {
                    days: i32::try_from(days).unwrap_or(if days < 0 { i32::MIN } else { i32::MAX }),
                    insats: self.insats_of(insats_code),
                    worker: self.worker_of(worker_id),
                };
                self.quarters[quarter].push(decision);
                self.finished = false;
            }
            TimingRow::Waiting {
                application_id,
                case_id,
                insats_code,
                worker_id,
                received,
                case_open,
            } => {
                let insats = self.insats_of(insats_code);
                let worker = self.worker_of(worker_id);
                let Some(target_days) = self.insats[insats as usize].1 else {
                    return;
                };
                if case_open == Some(true) && waits_past(received, self.today, target_days) {
                    let days_waiting = days_between(received, self.today);
                    self.over_target.push(Keyed {
                        insats,
                        worker,
                        item: OverTarget {
                            application_id: application_id.to_string(),
                            case_id: case_id.to_string(),
                            insats_code: insats_code.to_string(),
                            worker_id: worker_id.map(str::to_string),
                            received,
                            target_days,
                            days_waiting,
                        },
                    });
                    self.finished = false;
                }
            }
        }
    }

    /// Takes one intervention as [`queries::pending_interventions`] returns it; listed when
    /// it is ej verkställt on today.
    pub fn push_pending(&mut self, i: PendingIntervention) {
        let insats = self.insats_of(&i.insats_code);
        let worker = self.worker_of(i.worker_id.as_deref());
        if is_not_executed(i.decided, i.start, self.today) {
            let days_waiting = days_between(i.decided, self.today);
            self.not_executed.push(Keyed {
                insats,
                worker,
                item: NotExecuted {
                    intervention_id: i.intervention_id,
                    case_id: i.case_id,
                    insats_code: i.insats_code,
                    worker_id: i.worker_id,
                    client_label: i.client_label,
                    decided: i.decided,
                    days_waiting,
                },
            });
            self.finished = false;
        }
    }

    /// Appends `later`'s rows as if they had been pushed here after these: the decisions and
    /// lists in the same order, and the insats codes and handläggare numbered in the order
    /// they were met, so that the review is the same to the last sample as when one pass
    /// pushes all of them (a quarter is sorted unstably: only the same rows in the same
    /// order come out in the same order).
    /// `later` is for the same day and targets, and neither has pending interventions yet.
    fn append(&mut self, later: Rows) {
        let insats: Vec<u32> = later
            .insats
            .iter()
            .map(|(code, _)| self.insats_of(code))
            .collect();
        let workers: Vec<u32> = later
            .workers
            .iter()
            .map(|id| self.worker_of(id.as_deref()))
            .collect();
        let insats = |i: u32| insats[i as usize];
        let worker = |w: u32| workers[w as usize];
        for (mine, theirs) in self.quarters.iter_mut().zip(later.quarters) {
            mine.extend(theirs.into_iter().map(|d| Decision {
                insats: insats(d.insats),
                worker: worker(d.worker),
                ..d
            }));
        }
        self.over_target
            .extend(later.over_target.into_iter().map(|o| Keyed {
                insats: insats(o.insats),
                worker: worker(o.worker),
                ..o
            }));
        self.not_executed
            .extend(later.not_executed.into_iter().map(|n| Keyed {
                insats: insats(n.insats),
                worker: worker(n.worker),
                ..n
            }));
        self.finished &= later.finished;
    }

    /// Rows from owned applications and pending interventions, with each application's
    /// `target_days` declared for its code and the rows chosen as the snapshot queries choose
    /// them (decided from [`window_start`] to `today`, or undecided on `today`).
    #[must_use]
    pub fn from_timings(
        today: NaiveDate,
        applications: &[ApplicationTiming],
        pending: Vec<PendingIntervention>,
    ) -> Self {
        let mut rows = Self::new(today);
        let from = window_start(today);
        for a in applications {
            if !rows.targets.contains_key(&a.insats_code) {
                rows.target(&a.insats_code, a.target_days);
            }
            match a.decided {
                Some(decided) if decided <= today => {
                    if decided >= from {
                        rows.push(TimingRow::Decided {
                            insats_code: &a.insats_code,
                            worker_id: a.worker_id.as_deref(),
                            received: a.received,
                            decided,
                        });
                    }
                }
                _ => rows.push(TimingRow::Waiting {
                    application_id: &a.application_id,
                    case_id: &a.case_id,
                    insats_code: &a.insats_code,
                    worker_id: a.worker_id.as_deref(),
                    received: a.received,
                    case_open: Some(
                        a.case_opened <= today && a.case_closed.is_none_or(|c| c > today),
                    ),
                }),
            }
        }
        for i in pending {
            rows.push_pending(i);
        }
        rows
    }

    /// Sorts what the pushes left unsorted: each quarter by handläggningstid, the lists
    /// oldest first.
    fn finish(&mut self) {
        if self.finished {
            return;
        }
        for q in &mut self.quarters {
            q.sort_unstable_by_key(|d| d.days);
            q.shrink_to_fit();
        }
        self.over_target.sort_by(|a, b| {
            (a.item.received, &a.item.application_id)
                .cmp(&(b.item.received, &b.item.application_id))
        });
        self.not_executed.sort_by(|a, b| {
            (a.item.decided, &a.item.intervention_id)
                .cmp(&(b.item.decided, &b.item.intervention_id))
        });
        self.finished = true;
    }

    fn select(&self, scope: &Scope) -> Selection {
        let mut nothing = false;
        let insats = scope.insats_code.as_ref().and_then(|c| {
            let i = self.insats_index.get(c).copied();
            nothing |= i.is_none();
            i
        });
        let worker = scope.worker_id.as_ref().and_then(|w| {
            let i = self.worker_index.get(w).copied();
            nothing |= i.is_none();
            i
        });
        Selection {
            insats,
            worker,
            nothing,
        }
    }

    /// The kept quarter `quarter`'s index, if kept.
    fn kept(&self, quarter: Quarter) -> Option<usize> {
        usize::try_from(quarter.ordinal() - self.first.ordinal())
            .ok()
            .filter(|k| *k < KEPT)
    }

    /// The `(days, target_days)` samples of kept quarter `k` in `selection`, by days.
    fn samples(&self, k: usize, selection: Selection) -> Vec<(i64, Option<i64>)> {
        self.quarters[k]
            .iter()
            .filter(|d| selection.admits(d.insats, d.worker))
            .map(|d| (i64::from(d.days), self.insats[d.insats as usize].1))
            .collect()
    }
}

/// The whole review.
#[derive(Debug, Clone, Default)]
pub struct Processing {
    pub today: NaiveDate,
    pub scope: Scope,
    /// The last [`QUARTERS`] quarters up to today's, oldest first, empty ones included.
    pub quarters: Vec<QuarterRow>,
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
    /// Computes the review of `rows` for `scope` on the rows' today.
    #[must_use]
    pub fn compute(mut rows: Rows, scope: Scope) -> Self {
        rows.finish();
        let mut p = Self {
            today: rows.today,
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
        let rows = &self.rows;
        let selection = rows.select(&self.scope);
        let all: Vec<Stats> = (0..KEPT)
            .map(|k| stats(&rows.samples(k, selection)))
            .collect();
        self.quarters = (KEPT - QUARTERS..KEPT)
            .map(|i| QuarterRow {
                quarter: Quarter::of(rows.today).back((KEPT - 1 - i) as u32),
                stats: all[i],
                vs_prev: Change::between(&all[i], &all[i - 1]),
                vs_year: Change::between(&all[i], &all[i - 4]),
            })
            .collect();
        self.over_target = rows
            .over_target
            .iter()
            .filter(|o| selection.admits(o.insats, o.worker))
            .map(|o| o.item.clone())
            .collect();
        self.not_executed = rows
            .not_executed
            .iter()
            .filter(|n| selection.admits(n.insats, n.worker))
            .map(|n| n.item.clone())
            .collect();
    }

    /// The `(days, target_days)` of the decisions of `quarter` in scope, by days: what
    /// [`stats`] summarises (empty for a quarter not shown).
    #[must_use]
    pub fn decisions(&self, quarter: Quarter) -> Vec<(i64, Option<i64>)> {
        self.shown(quarter)
            .map(|k| self.rows.samples(k, self.rows.select(&self.scope)))
            .unwrap_or_default()
    }

    /// A shown quarter's index in the rows.
    fn shown(&self, quarter: Quarter) -> Option<usize> {
        self.rows.kept(quarter).filter(|k| *k >= KEPT - QUARTERS)
    }

    /// The decisions of `quarter` grouped by insats type or handläggare, by key.
    #[must_use]
    pub fn breakdown(&self, quarter: Quarter, by: By) -> Vec<Group> {
        let Some(k) = self.shown(quarter) else {
            return Vec::new();
        };
        let rows = &self.rows;
        let selection = rows.select(&self.scope);
        let mut groups: HashMap<u32, Vec<(i64, Option<i64>)>> = HashMap::new();
        for d in rows.quarters[k]
            .iter()
            .filter(|d| selection.admits(d.insats, d.worker))
        {
            let key = match by {
                By::Insats => d.insats,
                By::Worker => d.worker,
            };
            groups
                .entry(key)
                .or_default()
                .push((i64::from(d.days), rows.insats[d.insats as usize].1));
        }
        let names = match by {
            By::Insats => &self.insats_names,
            By::Worker => &self.worker_names,
        };
        let mut out: Vec<Group> = groups
            .into_iter()
            .map(|(key, samples)| {
                let key = match by {
                    By::Insats => Some(rows.insats[key as usize].0.clone()),
                    By::Worker => rows.workers[key as usize].clone(),
                };
                Group {
                    name: key.as_ref().and_then(|k| names.get(k)).cloned(),
                    key,
                    stats: stats(&samples),
                }
            })
            .collect();
        out.sort_by(|a, b| a.key.cmp(&b.key));
        out
    }

    /// The handläggare that occur in the rows (for the filter), by name.
    #[must_use]
    pub fn workers(&self) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = self
            .rows
            .workers
            .iter()
            .flatten()
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
        let mut codes: Vec<String> = self.rows.insats.iter().map(|(c, _)| c.clone()).collect();
        codes.sort();
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

/// Whether an application received on `received` and undecided on `today` has waited past
/// `target_days`: more days than the target (a decision on the target day is within it).
#[must_use]
pub fn waits_past(received: NaiveDate, today: NaiveDate, target_days: i64) -> bool {
    days_between(received, today) > target_days
}

/// DOMAIN.md "Ej verkställt beslut on D": decided, not started on D (no start, or a later
/// one), and D more than three calendar months after the decision.
#[must_use]
pub fn is_not_executed(decided: NaiveDate, start: Option<NaiveDate>, today: NaiveDate) -> bool {
    start.is_none_or(|s| s > today) && add_months(decided, NOT_EXECUTED_MONTHS) < today
}

/// Loads the review for `filter` and `scope` on `today`.
///
/// With a spare connection and no filter, the applications (most of the work: the table is
/// read straight through) are read in two halves by rowid on two threads, each into its own
/// [`Rows`], and the later half is appended to the earlier: the same rows as one pass reads,
/// in the same order. The other thread reads the pending interventions after its half. With
/// a filter the applications are searched through the cases, a fraction of the work, and
/// read on this thread while the other reads the pending interventions.
///
/// # Errors
/// SQLite errors.
pub fn load<'a>(
    db: impl Into<Readers<'a>>,
    filter: &Filter,
    scope: Scope,
    today: NaiveDate,
) -> rusqlite::Result<Processing> {
    let db = db.into();
    let types = queries::insats_types(db.main)?;
    let mut empty = Rows::new(today);
    for t in &types {
        empty.target(&t.insats_code, t.target_days);
    }
    // Only an application waiting past its target needs its case (open or not).
    let targets: HashMap<&str, i64> = types
        .iter()
        .filter_map(|t| Some((t.insats_code.as_str(), t.target_days?)))
        .collect();
    let read = |conn: &Connection, part: Part<'_, i64>| -> rusqlite::Result<Rows> {
        let mut rows = empty.clone();
        queries::for_each_application(
            conn,
            filter,
            window_start(today),
            today,
            part,
            |code, received| {
                targets
                    .get(code)
                    .is_some_and(|t| waits_past(received, today, *t))
            },
            |row| rows.push(row),
        )?;
        Ok(rows)
    };
    let middle = if db.spare.is_some() && *filter == Filter::default() {
        queries::application_rowid_middle(db.main)?
    } else {
        None
    };
    let (mut rows, (later, pending)) = db.both(
        |conn, stop| {
            let earlier = Part {
                below: middle,
                ..Part::all(stop)
            };
            read(conn, earlier)
        },
        |conn, stop| {
            let later = middle
                .map(|middle| {
                    let later = Part {
                        from: Some(middle),
                        ..Part::all(stop)
                    };
                    read(conn, later)
                })
                .transpose()?;
            Ok((later, queries::pending_interventions(conn, filter, today)?))
        },
    )?;
    if let Some(later) = later {
        rows.append(later);
    }
    for i in pending {
        rows.push_pending(i);
    }
    let mut p = Processing::compute(rows, scope);
    // Two areas may both have a "Boendestöd": such names carry their area, so a breakdown
    // or a list never shows two insatser under one name.
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
    p.worker_names = queries::case_workers(db.main, &Filter::default())?
        .into_iter()
        .map(|w| (w.worker_id, w.name))
        .collect();
    Ok(p)
}

/// Insats codes and handläggare ids to their numbers in [`Rows`], hashed with FxHash (as
/// rustc hashes its identifiers; several times cheaper than SipHash on short ids): every
/// decision of a city's review looks up two of them. The ids come from the snapshot, not
/// from an adversary, so SipHash's protection against chosen collisions buys nothing here.
type IdMap<V> = HashMap<String, V, rustc_hash::FxBuildHasher>;

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
            worker_id: Some("H1".into()),
            target_days: target,
            case_opened: d("2010-01-01"),
            case_closed: None,
        }
    }

    #[test]
    fn eight_quarters_oldest_first_with_changes() {
        let applications = [
            app("A", "2013-10-01", Some("2013-10-11"), Some(14)),
            app("B", "2014-09-20", Some("2014-10-01"), Some(14)),
            app("C", "2014-12-31", Some("2014-12-31"), None),
            app("D", "2014-12-01", Some("2015-01-05"), Some(14)),
            app("E", "2014-06-01", None, Some(14)),
        ];
        let rows = Rows::from_timings(d("2014-12-31"), &applications, vec![]);
        let p = Processing::compute(rows, Scope::default());
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
        let applications = [app("A", "2014-10-01", Some("2014-10-05"), Some(14)), other];
        let rows = Rows::from_timings(d("2014-12-31"), &applications, vec![]);
        let scope = Scope {
            insats_code: None,
            worker_id: Some("H2".into()),
        };
        let mut p = Processing::compute(rows, scope);
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
