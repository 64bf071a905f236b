//! Handläggningstid, verkställighetstid and ej verkställda beslut: the enhetschef's
//! quarterly review (DOMAIN.md "Handläggningstid", "Rules of version 2"), by quarter,
//! tertial, half-year or year, and by kön.
//!
//! The snapshot hands over typed rows; the statistics are computed here, by one function
//! ([`stats`]), so that a quarter, an insats type and a handläggare are summarised alike. Every
//! figure is relative to an injected `today`: a decision counts once it is made (`decided <=
//! today`), and an application is waiting until then.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use rusqlite::Connection;

use crate::domain::dates::{add_months, days_between};
use crate::domain::periods::{Period, PeriodKind};
use crate::model::{InsatsType, Sex};
use crate::snapshot::Readers;
use crate::snapshot::queries::{self, Filter, Part, PendingIntervention, StartRow, TimingRow};

mod stats;

pub use stats::{Change, Quarter, Ranked, Stats, stats, summarize};

/// How many periods the review shows, up to today's (of whichever kind).
pub const PERIODS: usize = 8;
/// How many quarters the review's `quarters` show (the same eight, by quarter).
pub const QUARTERS: usize = PERIODS;
/// Calendar months after the decision when an unstarted intervention becomes ej verkställt.
pub const NOT_EXECUTED_MONTHS: u32 = 3;

/// One quarter of the review (handläggningstid by quarter, as `report processing-time`'s
/// `"quarters"` have always been).
#[derive(Debug, Clone, PartialEq)]
pub struct QuarterRow {
    pub quarter: Quarter,
    pub stats: Stats,
    pub vs_prev: Change,
    /// Against the same quarter a year before.
    pub vs_year: Change,
}

/// One period of the review, of the chosen [`PeriodKind`], for one measure.
#[derive(Debug, Clone, PartialEq)]
pub struct PeriodRow {
    pub period: Period,
    pub stats: Stats,
    pub vs_prev: Change,
    /// Against the same period a year before.
    pub vs_year: Change,
    /// The same statistics for [`SEXES`]: kvinnor, män, okänt (they add up to `stats`).
    pub by_sex: [Stats; 3],
}

/// What a period's figures measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Measure {
    /// Handläggningstid: days from ansökan to beslut, by the decision's period; within the
    /// insats type's `target_days`.
    #[default]
    Handlaggning,
    /// Verkställighetstid: days from beslut to start, by the start's period; within three
    /// calendar months.
    Verkstallighet,
}

impl Measure {
    /// The Swedish name, for titles.
    #[must_use]
    pub const fn title(self) -> &'static str {
        match self {
            Measure::Handlaggning => "Handläggningstid",
            Measure::Verkstallighet => "Verkställighetstid",
        }
    }
}

/// The three parts of a split by kön, in this order everywhere: `K`, `M`, not known.
pub const SEXES: [Option<Sex>; 3] = [Some(Sex::K), Some(Sex::M), None];

/// The index of `sex` in [`SEXES`].
#[must_use]
pub fn sex_index(sex: Option<Sex>) -> usize {
    match sex {
        Some(Sex::K) => 0,
        Some(Sex::M) => 1,
        None => 2,
    }
}

/// What the share "inom mål" is counted against ([`Processing::target`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// A number of days: the insats type's `target_days`.
    Days(i64),
    /// Calendar months after the decision (verkställighet: 89–92 days, by the month).
    Months(u32),
    /// The insats types in scope have different targets, from the first to the second.
    Varies(i64, i64),
    /// No insats type in scope has a target.
    None,
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

/// How a period is broken down.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum By {
    Insats,
    Worker,
    Sex,
}

/// One insats type's, handläggare's or kön's statistics in a period.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// The insats code, handläggare id or `K`/`M` (`None`: no handläggare, kön not known).
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
    pub sex: Option<Sex>,
}

/// A sample's day count and whether it met its target (`None`: it has none).
type Flagged = (i64, Option<bool>);

/// One decision (or start) of the window: its day count, its month and who and what it
/// was, as an index into [`Rows`]' pairs of insats code and handläggare. Eight bytes, so
/// that six cities' 3.3 million decisions and starts take 27 MB (they took 67 at twenty
/// bytes, 40 at twelve; issue 16) and a new insats / handläggare filter is a pass over
/// integers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Sample {
    /// Handläggningstid (`decided - received`) or verkställighetstid (`start - decided`).
    days: i32,
    /// From the lowest bit: the index into [`Rows`]' `pairs` (the insats code and the
    /// handläggare; [`WHO_BITS`] bits), the month ([`MONTH_BITS`]) and the flags.
    ///
    /// The month is the decision's (or start's), counted from the window's first month
    /// ([`Rows`]' `from`): every kind of period is a run of whole months from January, so
    /// it says which period the sample counts in. A window is at most some ten years.
    ///
    /// The flags are the kön's index into [`SEXES`] times 3, plus 0: no target, 1: within
    /// it, 2: past it.
    bits: u32,
}

const _: () = assert!(std::mem::size_of::<Sample>() == 8);

/// The bits of a [`Sample`]'s pair index: [`MAX_PAIRS`] pairs of insats code and
/// handläggare (six cities have some 30 000; a review with more is refused).
const WHO_BITS: u32 = 20;
/// The bits of a [`Sample`]'s month: 21 years (a window is at most some ten).
const MONTH_BITS: u32 = 8;
/// The most pairs of insats code and handläggare a review holds.
pub const MAX_PAIRS: usize = 1 << WHO_BITS;
const _: () = assert!(WHO_BITS + MONTH_BITS + 4 == 32);

/// How many samples a chunk of [`Gathered`] holds (768 kB).
const SAMPLE_CHUNK: usize = 1 << 16;

/// Samples as they are pushed, in chunks: a vector that grows by doubling holds up to
/// twice its samples while it is read (six cities' four half-read vectors held 52 MB for
/// 40 MB of samples, at the review's peak; issue 16). [`Gathered::move_into`] puts them in
/// one vector of exactly their size, a chunk at a time.
#[derive(Debug, Clone, Default)]
struct Gathered {
    chunks: Vec<Vec<Sample>>,
}

impl Gathered {
    fn push(&mut self, sample: Sample) {
        match self.chunks.last_mut() {
            Some(chunk) if chunk.len() < chunk.capacity() => chunk.push(sample),
            _ => {
                let mut chunk = Vec::with_capacity(SAMPLE_CHUNK);
                chunk.push(sample);
                self.chunks.push(chunk);
            }
        }
    }

    /// Takes over `later`'s chunks after these, each sample passed through `renumber`.
    fn append(&mut self, later: Gathered, renumber: impl Fn(Sample) -> Sample) {
        for mut chunk in later.chunks {
            for s in &mut chunk {
                *s = renumber(*s);
            }
            self.chunks.push(chunk);
        }
    }

    /// Appends the samples to `to`, which grows once to its new size; each chunk is freed
    /// as soon as it is copied.
    fn move_into(&mut self, to: &mut Vec<Sample>) {
        to.reserve_exact(self.chunks.iter().map(Vec::len).sum());
        for chunk in self.chunks.drain(..) {
            to.extend_from_slice(&chunk);
        }
    }
}

impl Sample {
    /// A sample of pair `who` (below [`MAX_PAIRS`]), month `month` and `flags`
    /// ([`flags_of`]).
    fn new(days: i32, who: u32, month: u8, flags: u8) -> Self {
        let who = who & ((1 << WHO_BITS) - 1);
        Self {
            days,
            bits: who | u32::from(month) << WHO_BITS | u32::from(flags) << (WHO_BITS + MONTH_BITS),
        }
    }

    fn who(self) -> u32 {
        self.bits & ((1 << WHO_BITS) - 1)
    }

    fn month(self) -> u8 {
        // Eight bits.
        (self.bits >> WHO_BITS) as u8
    }

    fn flags(self) -> u8 {
        // Four bits.
        (self.bits >> (WHO_BITS + MONTH_BITS)) as u8
    }

    /// The same sample of pair `who`.
    fn with_who(self, who: u32) -> Self {
        Self::new(self.days, who, self.month(), self.flags())
    }

    fn sex(self) -> u8 {
        self.flags() / 3
    }

    fn flagged(self) -> Flagged {
        (
            i64::from(self.days),
            match self.flags() % 3 {
                0 => None,
                w => Some(w == 1),
            },
        )
    }
}

/// The flags of a [`Sample`] of kön `sex` (index into [`SEXES`]) and `within` (0: no
/// target, 1: within it, 2: past it).
fn flags_of(sex: usize, within: u8) -> u8 {
    u8::try_from(sex.min(2)).unwrap_or(2) * 3 + within.min(2)
}

fn month_number(date: NaiveDate) -> i32 {
    // Years within chrono's range: no overflow.
    date.year() * 12 + i32::try_from(date.month0()).unwrap_or(0)
}

/// The ordinal (as [`Period::ordinal`]) of the period of `kind` holding month `month`.
fn period_ordinal(kind: PeriodKind, month: i32) -> i64 {
    i64::from(month).div_euclid(i64::from(kind.months()))
}

fn clamp_days(days: i64) -> i32 {
    i32::try_from(days).unwrap_or(if days < 0 { i32::MIN } else { i32::MAX })
}

/// A list entry with the indexes the scope filter compares.
#[derive(Debug, Clone)]
struct Keyed<T> {
    insats: u32,
    worker: u32,
    item: T,
}

/// The rows the review is computed from (unit and team already applied), compact: the
/// decisions and starts of the window as integers, the two lists (tens to a few thousand
/// entries) in full. Build with [`Rows::new`], [`Rows::target`], [`Rows::push`],
/// [`Rows::push_start`] and [`Rows::push_pending`], or [`Rows::from_timings`].
#[derive(Debug, Clone)]
pub struct Rows {
    today: NaiveDate,
    /// The first day of the window ([`window_start`]).
    from: NaiveDate,
    /// `target_days` of the insats types the snapshot knows.
    targets: HashMap<String, Option<i64>>,
    /// The insats codes met in the rows, with their `target_days`; indexed by
    /// [`Sample::insats`].
    insats: Vec<(String, Option<i64>)>,
    insats_index: IdMap<u32>,
    /// The handläggare met in the rows; index 0 is none.
    workers: Vec<Option<String>>,
    worker_index: IdMap<u32>,
    /// The (insats, handläggare) pairs met in the samples, as indexes into `insats` and
    /// `workers`; indexed by [`Sample::who`].
    pairs: Vec<(u32, u32)>,
    pair_index: HashMap<(u32, u32), u32, rustc_hash::FxBuildHasher>,
    /// The decisions of the window, by handläggningstid once finished, so that any subset
    /// of them is sorted too.
    decisions: Vec<Sample>,
    /// Decisions pushed since the last [`Rows::finish`], in chunks.
    new_decisions: Gathered,
    /// The starts of the window (verkställighetstid), sorted likewise.
    starts: Vec<Sample>,
    /// Starts pushed since the last [`Rows::finish`], in chunks.
    new_starts: Gathered,
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
    /// No rows yet, for the review on `today` by quarter.
    #[must_use]
    pub fn new(today: NaiveDate) -> Self {
        Self::new_for(today, PeriodKind::Quarter)
    }

    /// No rows yet, for the review on `today` by `kind`: the rows of [`window_for`] are kept.
    #[must_use]
    pub fn new_for(today: NaiveDate, kind: PeriodKind) -> Self {
        Self {
            today,
            from: window_for(today, kind),
            targets: HashMap::new(),
            insats: Vec::new(),
            insats_index: IdMap::default(),
            workers: vec![None],
            worker_index: IdMap::default(),
            pairs: Vec::new(),
            pair_index: HashMap::default(),
            decisions: Vec::new(),
            new_decisions: Gathered::default(),
            starts: Vec::new(),
            new_starts: Gathered::default(),
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

    /// The index of the pair (insats, handläggare) among [`Rows`]' `pairs`.
    fn pair_of(&mut self, insats: u32, worker: u32) -> u32 {
        if let Some(&i) = self.pair_index.get(&(insats, worker)) {
            return i;
        }
        let i = u32::try_from(self.pairs.len()).unwrap_or(u32::MAX);
        self.pairs.push((insats, worker));
        self.pair_index.insert((insats, worker), i);
        i
    }

    /// The month of `day` (within the window) counted from the window's first month.
    fn month_of(&self, day: NaiveDate) -> u8 {
        // A window is at most some ten years ([`window_for`]): 120 months.
        u8::try_from(month_number(day) - month_number(self.from)).unwrap_or(u8::MAX)
    }

    /// A sample's month as [`month_number`] counts it.
    fn absolute_month(&self, s: Sample) -> i32 {
        month_number(self.from) + i32::from(s.month())
    }

    /// A sample's insats code's and handläggare's indexes.
    fn who(&self, s: Sample) -> (u32, u32) {
        self.pairs[s.who() as usize]
    }

    /// Whether every pair of insats code and handläggare met fits in a sample (at most
    /// [`MAX_PAIRS`]): the review of rows that do not is refused, not shown.
    #[must_use]
    pub fn fits(&self) -> bool {
        self.pairs.len() <= MAX_PAIRS
    }

    fn in_window(&self, day: NaiveDate) -> bool {
        self.from <= day && day <= self.today
    }

    /// Takes one application as [`queries::for_each_application`] hands it over: a decision
    /// of the window, or one undecided on today (listed when its case is open and it waits
    /// past its target).
    pub fn push(&mut self, row: TimingRow<'_>) {
        match row {
            TimingRow::Decided {
                insats_code,
                worker_id,
                received,
                decided,
                sex,
            } => {
                if !self.in_window(decided) {
                    return;
                }
                let days = days_between(received, decided);
                let insats = self.insats_of(insats_code);
                let within = match self.insats[insats as usize].1 {
                    None => 0,
                    Some(t) if days <= t => 1,
                    Some(_) => 2,
                };
                let worker = self.worker_of(worker_id);
                let sample = Sample::new(
                    clamp_days(days),
                    self.pair_of(insats, worker),
                    self.month_of(decided),
                    flags_of(sex_index(sex), within),
                );
                self.new_decisions.push(sample);
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

    /// Takes one started decision as [`queries::for_each_start`] hands it over: its
    /// verkställighetstid counts in the period of its start, when that is in the window.
    pub fn push_start(&mut self, row: &StartRow<'_>) {
        if !self.in_window(row.start) {
            return;
        }
        let within = if row.start <= add_months(row.decided, NOT_EXECUTED_MONTHS) {
            1
        } else {
            2
        };
        let insats = self.insats_of(row.insats_code);
        let worker = self.worker_of(row.worker_id);
        let sample = Sample::new(
            clamp_days(days_between(row.decided, row.start)),
            self.pair_of(insats, worker),
            self.month_of(row.start),
            flags_of(sex_index(row.sex), within),
        );
        self.new_starts.push(sample);
        self.finished = false;
    }

    /// Takes one intervention as [`queries::pending_interventions`] returns it; listed when
    /// it is ej verkställt on today.
    pub fn push_pending(&mut self, i: PendingIntervention) {
        let insats = self.insats_of(&i.insats_code);
        let worker = self.worker_of(i.worker_id.as_deref());
        if is_not_executed(i.decided, i.stop(), self.today) {
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

    /// Appends `later`'s rows as if they had been pushed here after these, the insats
    /// codes and handläggare numbered in the order they were met, so that the review is
    /// the same as when one pass pushes all of them.
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
        let pairs: Vec<u32> = later
            .pairs
            .iter()
            .map(|&(i, w)| self.pair_of(insats[i as usize], workers[w as usize]))
            .collect();
        let insats = |i: u32| insats[i as usize];
        let worker = |w: u32| workers[w as usize];
        let renumber = |s: Sample| s.with_who(pairs[s.who() as usize]);
        // `later` is not finished: its samples are all in its chunks, which are taken over
        // as they are (no copy).
        debug_assert!(later.decisions.is_empty() && later.starts.is_empty());
        self.new_decisions.append(later.new_decisions, renumber);
        self.new_starts.append(later.new_starts, renumber);
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

    /// Rows from owned applications, started decisions and pending interventions, with each
    /// application's `target_days` declared for its code and the rows chosen as the
    /// snapshot queries choose them (decided from the longest kind's window, [`window_for`],
    /// to `today`, or undecided on `today`).
    #[must_use]
    pub fn from_timings(
        today: NaiveDate,
        applications: &[ApplicationTiming],
        pending: Vec<PendingIntervention>,
    ) -> Self {
        // Every kind's window: hand-made rows can be looked at by any kind of period.
        let mut rows = Self::new_for(today, PeriodKind::Year);
        for a in applications {
            if !rows.targets.contains_key(&a.insats_code) {
                rows.target(&a.insats_code, a.target_days);
            }
            match a.decided {
                Some(decided) if decided <= today => rows.push(TimingRow::Decided {
                    insats_code: &a.insats_code,
                    worker_id: a.worker_id.as_deref(),
                    received: a.received,
                    decided,
                    sex: a.sex,
                }),
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
            if let Some(start) = i.start.filter(|s| *s <= today) {
                rows.push_start(&StartRow {
                    insats_code: &i.insats_code,
                    worker_id: i.worker_id.as_deref(),
                    decided: i.decided,
                    start,
                    sex: i.sex,
                });
            }
            rows.push_pending(i);
        }
        rows
    }

    /// Sorts what the pushes left unsorted: the samples by day count, the lists oldest
    /// first.
    fn finish(&mut self) {
        if self.finished {
            return;
        }
        self.new_decisions.move_into(&mut self.decisions);
        self.decisions.sort_unstable_by_key(|s| s.days);
        self.new_starts.move_into(&mut self.starts);
        self.starts.sort_unstable_by_key(|s| s.days);
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

    fn samples_of(&self, measure: Measure) -> &[Sample] {
        match measure {
            Measure::Handlaggning => &self.decisions,
            Measure::Verkstallighet => &self.starts,
        }
    }

    /// The samples of `measure` in `period` and `selection` (and of kön `sex`, if given),
    /// by day count.
    fn samples(
        &self,
        measure: Measure,
        period: Period,
        selection: Selection,
        sex: Option<u8>,
    ) -> impl Iterator<Item = &Sample> {
        let ordinal = period.ordinal();
        self.samples_of(measure).iter().filter(move |&&s| {
            let (insats, worker) = self.who(s);
            period_ordinal(period.kind, self.absolute_month(s)) == ordinal
                && selection.admits(insats, worker)
                && sex.is_none_or(|x| x == s.sex())
        })
    }

    /// The statistics of `measure` for each of `periods` (and kön), in one pass over the
    /// samples rather than one per period.
    fn period_stats(
        &self,
        measure: Measure,
        periods: &[Period],
        selection: Selection,
    ) -> Vec<(Stats, [Stats; 3])> {
        let Some(first) = periods.first() else {
            return Vec::new();
        };
        let kind = first.kind;
        let base = first.ordinal();
        // The samples are sorted by day count ([`Rows::finish`]), so any group of them is
        // too: two passes give each group's ranks without copying it. Per period: the
        // three kön and then the whole.
        debug_assert!(self.finished);
        let mut groups: Vec<[Ranked; 4]> = vec![Default::default(); periods.len()];
        // Whether each pair is in the selection, once rather than per sample.
        let admits: Vec<bool> = self
            .pairs
            .iter()
            .map(|&(insats, worker)| selection.admits(insats, worker))
            .collect();
        let admitted = || {
            self.samples_of(measure).iter().filter_map(|&s| {
                if !admits[s.who() as usize] {
                    return None;
                }
                let k =
                    usize::try_from(period_ordinal(kind, self.absolute_month(s)) - base).ok()?;
                (k < periods.len()).then_some((k, usize::from(s.sex()).min(2), s))
            })
        };
        for (k, sex, s) in admitted() {
            groups[k][sex].count(s.flagged());
            groups[k][3].count(s.flagged());
        }
        for (k, sex, s) in admitted() {
            groups[k][sex].pick(i64::from(s.days));
            groups[k][3].pick(i64::from(s.days));
        }
        groups
            .iter()
            .map(|[k, m, unknown, all]| (all.stats(), [k.stats(), m.stats(), unknown.stats()]))
            .collect()
    }
}

/// The whole review.
#[derive(Debug, Clone, Default)]
pub struct Processing {
    pub today: NaiveDate,
    pub scope: Scope,
    /// The kind of [`Processing::periods`] and [`Processing::execution`].
    pub kind: PeriodKind,
    /// Handläggningstid for the last [`QUARTERS`] quarters up to today's, oldest first,
    /// empty ones included.
    pub quarters: Vec<QuarterRow>,
    /// Handläggningstid for the last [`PERIODS`] periods of `kind`, oldest first.
    pub periods: Vec<PeriodRow>,
    /// Verkställighetstid for the same periods.
    pub execution: Vec<PeriodRow>,
    /// Oldest first.
    pub over_target: Vec<OverTarget>,
    /// Oldest first.
    pub not_executed: Vec<NotExecuted>,
    pub insats_names: HashMap<String, String>,
    pub worker_names: HashMap<String, String>,
    rows: Rows,
}

/// The first day of the oldest quarter whose figures the review by quarter needs: a year
/// before the first of the [`QUARTERS`] quarters shown (for the change against the same
/// quarter a year before).
#[must_use]
pub fn window_start(today: NaiveDate) -> NaiveDate {
    window_for(today, PeriodKind::Quarter)
}

/// The first day of the rows the review by `kind` needs: a year before the first of its
/// [`PERIODS`] periods, and never later than the quarters' (which every review shows).
/// Eight years and the one before them read three times the rows of twelve quarters, so
/// the window is as long as the kind needs and no longer.
#[must_use]
pub fn window_for(today: NaiveDate, kind: PeriodKind) -> NaiveDate {
    let of = |kind: PeriodKind| {
        Period::of(kind, today)
            .back(PERIODS as u32 + kind.per_year() - 1)
            .first_day()
    };
    of(kind).min(of(PeriodKind::Quarter))
}

/// The last [`PERIODS`] periods of `kind` up to today's, oldest first.
#[must_use]
pub fn shown_periods(today: NaiveDate, kind: PeriodKind) -> Vec<Period> {
    let now = Period::of(kind, today);
    (0..PERIODS as u32).rev().map(|n| now.back(n)).collect()
}

/// The rows of `measure` for `periods` with their changes, from statistics of the periods
/// and of those a year before each (computed in the same call).
fn period_rows(
    rows: &Rows,
    measure: Measure,
    periods: &[Period],
    selection: Selection,
) -> Vec<PeriodRow> {
    let Some(first) = periods.first() else {
        return Vec::new();
    };
    let per_year = first.kind.per_year() as usize;
    // The periods shown and the year before the first of them.
    let all: Vec<Period> = (0..per_year as u32)
        .rev()
        .map(|n| first.back(n + 1))
        .chain(periods.iter().copied())
        .collect();
    let stats = rows.period_stats(measure, &all, selection);
    periods
        .iter()
        .enumerate()
        .map(|(i, period)| {
            let k = i + per_year;
            PeriodRow {
                period: *period,
                stats: stats[k].0,
                vs_prev: Change::between(&stats[k].0, &stats[k - 1].0),
                vs_year: Change::between(&stats[k].0, &stats[k - per_year].0),
                by_sex: stats[k].1,
            }
        })
        .collect()
}

impl Processing {
    /// Computes the review of `rows` for `scope` on the rows' today, by quarter.
    #[must_use]
    pub fn compute(rows: Rows, scope: Scope) -> Self {
        Self::compute_by(rows, scope, PeriodKind::Quarter)
    }

    /// Computes the review of `rows` for `scope` on the rows' today, by `kind`.
    #[must_use]
    pub fn compute_by(mut rows: Rows, scope: Scope, kind: PeriodKind) -> Self {
        rows.finish();
        let mut p = Self {
            today: rows.today,
            scope,
            kind,
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

    /// Gives the periods by another kind, from the same rows, when they cover it (see
    /// [`Processing::covers`]); returns whether they did (else nothing changes: a longer
    /// kind needs a new load, [`load_by`]).
    pub fn set_kind(&mut self, kind: PeriodKind) -> bool {
        if !self.covers(kind) {
            return false;
        }
        self.kind = kind;
        self.recompute();
        true
    }

    /// Whether the rows reach back far enough for the review by `kind`.
    #[must_use]
    pub fn covers(&self, kind: PeriodKind) -> bool {
        self.rows.from <= window_for(self.today, kind)
    }

    fn recompute(&mut self) {
        let rows = &self.rows;
        let selection = rows.select(&self.scope);
        let quarters = shown_periods(rows.today, PeriodKind::Quarter);
        self.quarters = period_rows(rows, Measure::Handlaggning, &quarters, selection)
            .into_iter()
            .map(|r| QuarterRow {
                quarter: Quarter {
                    year: r.period.year,
                    number: r.period.number,
                },
                stats: r.stats,
                vs_prev: r.vs_prev,
                vs_year: r.vs_year,
            })
            .collect();
        let periods = shown_periods(rows.today, self.kind);
        self.periods = period_rows(rows, Measure::Handlaggning, &periods, selection);
        self.execution = period_rows(rows, Measure::Verkstallighet, &periods, selection);
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

    /// The target the share "inom mål" of `measure` is counted against, in scope: a
    /// chart draws it as its target line. Handläggningstid: the insats type's
    /// `target_days` (filtered to one insats, or when every insats type met has the same);
    /// verkställighetstid: three calendar months.
    #[must_use]
    pub fn target(&self, measure: Measure) -> Target {
        if measure == Measure::Verkstallighet {
            return Target::Months(NOT_EXECUTED_MONTHS);
        }
        let days: Vec<i64> = match &self.scope.insats_code {
            Some(code) => self
                .rows
                .targets
                .get(code)
                .copied()
                .flatten()
                .into_iter()
                .collect(),
            None => self.rows.insats.iter().filter_map(|(_, t)| *t).collect(),
        };
        match (days.iter().min(), days.iter().max()) {
            (Some(&lo), Some(&hi)) if lo == hi => Target::Days(lo),
            (Some(&lo), Some(&hi)) => Target::Varies(lo, hi),
            _ => Target::None,
        }
    }

    /// The rows of `measure` by the chosen kind of period.
    #[must_use]
    pub fn rows_of(&self, measure: Measure) -> &[PeriodRow] {
        match measure {
            Measure::Handlaggning => &self.periods,
            Measure::Verkstallighet => &self.execution,
        }
    }

    fn shown(&self, period: Period) -> bool {
        period.kind == self.kind && self.periods.iter().any(|p| p.period == period)
            || period.kind == PeriodKind::Quarter
                && self
                    .quarters
                    .iter()
                    .any(|q| q.quarter.year == period.year && q.quarter.number == period.number)
    }

    /// The `(days, target_days)` of the decisions of `quarter` in scope, by days: what
    /// [`stats`] summarises (empty for a quarter not shown).
    #[must_use]
    pub fn decisions(&self, quarter: Quarter) -> Vec<(i64, Option<i64>)> {
        let period = Period {
            kind: PeriodKind::Quarter,
            year: quarter.year,
            number: quarter.number,
        };
        if !self.shown(period) {
            return Vec::new();
        }
        let selection = self.rows.select(&self.scope);
        self.rows
            .samples(Measure::Handlaggning, period, selection, None)
            .map(|&s| {
                let (insats, _) = self.rows.who(s);
                (i64::from(s.days), self.rows.insats[insats as usize].1)
            })
            .collect()
    }

    /// The `(days, within)` samples of `measure` in `period` and scope, by days (empty for
    /// a period not shown).
    #[must_use]
    pub fn samples(&self, measure: Measure, period: Period) -> Vec<Flagged> {
        if !self.shown(period) {
            return Vec::new();
        }
        let selection = self.rows.select(&self.scope);
        self.rows
            .samples(measure, period, selection, None)
            .map(|s| s.flagged())
            .collect()
    }

    /// The decisions of `quarter` grouped by insats type or handläggare, by key.
    #[must_use]
    pub fn breakdown(&self, quarter: Quarter, by: By) -> Vec<Group> {
        let period = Period {
            kind: PeriodKind::Quarter,
            year: quarter.year,
            number: quarter.number,
        };
        self.breakdown_of(Measure::Handlaggning, period, by)
    }

    /// The samples of `measure` in `period` grouped by insats type, handläggare or kön, by
    /// key (kön: `K`, `M`, not known, each shown even when empty, so that they add up).
    #[must_use]
    pub fn breakdown_of(&self, measure: Measure, period: Period, by: By) -> Vec<Group> {
        if !self.shown(period) {
            return Vec::new();
        }
        let rows = &self.rows;
        let selection = rows.select(&self.scope);
        let mut groups: HashMap<u32, Vec<Flagged>> = HashMap::new();
        if by == By::Sex {
            for k in 0..3 {
                groups.insert(k, Vec::new());
            }
        }
        for s in rows.samples(measure, period, selection, None) {
            let (insats, worker) = rows.who(*s);
            let key = match by {
                By::Insats => insats,
                By::Worker => worker,
                By::Sex => u32::from(s.sex()),
            };
            groups.entry(key).or_default().push(s.flagged());
        }
        let mut out: Vec<Group> = groups
            .into_iter()
            .map(|(key, samples)| {
                let (key, name) = match by {
                    By::Insats => {
                        let code = rows.insats[key as usize].0.clone();
                        let name = self.insats_names.get(&code).cloned();
                        (Some(code), name)
                    }
                    By::Worker => {
                        let id = rows.workers[key as usize].clone();
                        let name = id.as_ref().and_then(|k| self.worker_names.get(k)).cloned();
                        (id, name)
                    }
                    By::Sex => {
                        let sex = SEXES[(key as usize).min(2)];
                        (
                            sex.map(|s| s.as_str().to_string()),
                            Some(sex_name(sex).to_string()),
                        )
                    }
                };
                Group {
                    name,
                    key,
                    stats: summarize(&samples),
                }
            })
            .collect();
        if by == By::Sex {
            out.sort_by_key(|g| match g.key.as_deref() {
                Some("K") => 0,
                Some("M") => 1,
                _ => 2,
            });
        } else {
            out.sort_by(|a, b| a.key.cmp(&b.key));
        }
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

/// The Swedish name of a part of the split by kön: "Kvinnor", "Män", "Okänt".
#[must_use]
pub fn sex_name(sex: Option<Sex>) -> &'static str {
    match sex {
        Some(Sex::K) => "Kvinnor",
        Some(Sex::M) => "Män",
        None => "Okänt kön",
    }
}

/// Whether an application received on `received` and undecided on `today` has waited past
/// `target_days`: more days than the target (a decision on the target day is within it).
#[must_use]
pub fn waits_past(received: NaiveDate, today: NaiveDate, target_days: i64) -> bool {
    days_between(received, today) > target_days
}

/// DOMAIN.md version 2 "Waiting for verkställighet": a decision waits from `decided` until
/// its `stop` (the earliest of its start, its end and its case's closing; none: it still
/// waits), and is ej verkställt on D when it waits on D and D is more than three calendar
/// months after the decision.
#[must_use]
pub fn is_not_executed(decided: NaiveDate, stop: Option<NaiveDate>, today: NaiveDate) -> bool {
    decided <= today
        && stop.is_none_or(|s| s > today)
        && add_months(decided, NOT_EXECUTED_MONTHS) < today
}

/// Loads the review for `filter` and `scope` on `today`, by quarter.
///
/// # Errors
/// SQLite errors.
pub fn load<'a>(
    db: impl Into<Readers<'a>>,
    filter: &Filter,
    scope: Scope,
    today: NaiveDate,
) -> rusqlite::Result<Processing> {
    load_by(db, filter, scope, today, PeriodKind::Quarter)
}

/// Loads the review for `filter` and `scope` on `today`, its periods by `kind`.
///
/// With a spare connection and no filter, the applications (most of the work: the table is
/// read straight through) are read in two halves by rowid on two threads, each into its own
/// [`Rows`], and the later half is appended to the earlier: the same rows as one pass reads,
/// in the same order. The other thread reads the started and pending interventions after
/// its half. With a filter the applications are searched through the cases, a fraction of
/// the work, and read on this thread while the other reads the interventions.
///
/// # Errors
/// SQLite errors.
pub fn load_by<'a>(
    db: impl Into<Readers<'a>>,
    filter: &Filter,
    scope: Scope,
    today: NaiveDate,
    kind: PeriodKind,
) -> rusqlite::Result<Processing> {
    let db = db.into();
    let types = queries::insats_types(db.main)?;
    // A target_days outside 0..=MAX_TARGET_DAYS would make every application late, or
    // none: the review is refused with the insats type and the value named instead.
    crate::domain::dates::check_target_days(&types)?;
    let v2 = queries::has_v2(db.main)?;
    let mut empty = Rows::new_for(today, kind);
    for t in &types {
        empty.target(&t.insats_code, t.target_days);
    }
    // Only an application waiting past its target needs its case (open or not).
    let targets: HashMap<&str, i64> = types
        .iter()
        .filter_map(|t| Some((t.insats_code.as_str(), t.target_days?)))
        .collect();
    let from = window_for(today, kind);
    // Without a filter the whole city is read straight through, and each row's case is
    // looked up here rather than searched for in SQL.
    let case_map = if *filter != Filter::default() {
        queries::CaseMap::empty(v2)
    } else if let (Some(middle), Some(_)) = (queries::case_rowid_middle(db.main)?, db.spare) {
        let (lower, upper) = db.both(
            |conn, stop| {
                let part = Part {
                    below: Some(middle),
                    ..Part::all(stop)
                };
                queries::CaseMap::load_part(conn, part)
            },
            |conn, stop| {
                let part = Part {
                    from: Some(middle),
                    ..Part::all(stop)
                };
                queries::CaseMap::load_part(conn, part)
            },
        )?;
        lower.join(upper)
    } else {
        queries::CaseMap::load(db.main)?
    };
    let cases = &case_map;
    let read = |conn: &Connection, part: Part<'_, i64>| -> rusqlite::Result<Rows> {
        let mut rows = empty.clone();
        queries::for_each_application(
            conn,
            filter,
            from,
            today,
            part,
            cases,
            |code, received| {
                targets
                    .get(code)
                    .is_some_and(|t| waits_past(received, today, *t))
            },
            |row| rows.push(row),
        )?;
        Ok(rows)
    };
    let split = db.spare.is_some() && *filter == Filter::default();
    let (middle, starts_middle) = if split {
        (
            queries::application_rowid_middle(db.main)?,
            queries::intervention_rowid_middle(db.main)?,
        )
    } else {
        (None, None)
    };
    // Each side reads half of the applications and half of the started interventions
    // into its own rows (by rowid, without a filter); the other side also reads the
    // pending interventions.
    let starts = |conn: &Connection, part: Part<'_, i64>, rows: &mut Rows| {
        queries::for_each_start(conn, filter, from, today, cases, part, |row| {
            rows.push_start(&row);
        })
    };
    let (mut rows, (later, pending)) = db.both(
        |conn, stop| {
            let mut rows = read(
                conn,
                Part {
                    below: middle,
                    ..Part::all(stop)
                },
            )?;
            let part = Part {
                below: starts_middle,
                ..Part::all(stop)
            };
            starts(conn, part, &mut rows)?;
            Ok(rows)
        },
        |conn, stop| {
            let mut later = match middle {
                Some(middle) => read(
                    conn,
                    Part {
                        from: Some(middle),
                        ..Part::all(stop)
                    },
                )?,
                None => empty.clone(),
            };
            if let Some(starts_middle) = starts_middle {
                let part = Part {
                    from: Some(starts_middle),
                    ..Part::all(stop)
                };
                starts(conn, part, &mut later)?;
            }
            Ok((
                later,
                queries::pending_interventions(conn, filter, today, v2)?,
            ))
        },
    )?;
    // The cases were only needed to read the rows (a six-city map is some 40 MB): let them
    // go before the halves are joined, the review's peak.
    drop(case_map);
    rows.append(later);
    if !rows.fits() {
        return Err(rusqlite::Error::FromSqlConversionFailure(
            0,
            rusqlite::types::Type::Text,
            format!(
                "applications, interventions: fler än {MAX_PAIRS} par av insats och handläggare \
                 än granskningen rymmer"
            )
            .into(),
        ));
    }
    for i in pending {
        rows.push_pending(i);
    }
    let mut p = Processing::compute_by(rows, scope, kind);
    p.insats_names = insats_names(&types);
    p.worker_names = queries::case_workers(db.main, &Filter::default())?
        .into_iter()
        .map(|w| (w.worker_id, w.name))
        .collect();
    Ok(p)
}

/// insats_code → the name the review shows. Two areas may both have a "Boendestöd": such
/// names carry their area, so a breakdown or a list never shows two insatser under one
/// name.
#[must_use]
pub fn insats_names(types: &[InsatsType]) -> HashMap<String, String> {
    let shared = |name: &str| types.iter().filter(|t| t.name == name).count() > 1;
    types
        .iter()
        .map(|t| {
            let name = if shared(&t.name) {
                format!("{} ({})", t.name, t.area)
            } else {
                t.name.clone()
            };
            (t.insats_code.clone(), name)
        })
        .collect()
}

/// Insats codes and handläggare ids to their numbers in [`Rows`], hashed with FxHash (as
/// rustc hashes its identifiers; several times cheaper than SipHash on short ids): every
/// decision of a city's review looks up two of them. The ids come from the snapshot, not
/// from an adversary, so SipHash's protection against chosen collisions buys nothing here.
type IdMap<V> = HashMap<String, V, rustc_hash::FxBuildHasher>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_with_more_pairs_than_a_sample_holds_do_not_fit() {
        let today = d("2014-12-31");
        let mut rows = Rows::new(today);
        rows.target("HT", Some(14));
        let push = |rows: &mut Rows, n: usize| {
            let w = format!("H{n}");
            rows.push(TimingRow::Decided {
                insats_code: "HT",
                worker_id: Some(&w),
                received: d("2014-11-01"),
                decided: d("2014-11-10"),
                sex: None,
            });
        };
        for n in 0..MAX_PAIRS {
            push(&mut rows, n);
        }
        assert!(rows.fits(), "{MAX_PAIRS} pairs fit");
        push(&mut rows, MAX_PAIRS);
        assert!(!rows.fits(), "one more does not");
    }

    #[test]
    fn a_sample_keeps_its_day_count_pair_month_and_flags() {
        let max_who = u32::try_from(MAX_PAIRS - 1).expect("fits");
        for (days, who, month, flags) in [
            (0, 0, 0, 0),
            (i32::MIN, max_who, u8::MAX, 8),
            (i32::MAX, 12_345, 119, flags_of(2, 2)),
            (-3, 1, 1, flags_of(1, 1)),
        ] {
            let s = Sample::new(days, who, month, flags);
            assert_eq!(
                (s.days, s.who(), s.month(), s.flags()),
                (days, who, month, flags)
            );
            let moved = s.with_who(7);
            assert_eq!(
                (moved.days, moved.who(), moved.month(), moved.flags()),
                (days, 7, month, flags)
            );
        }
    }

    fn d(s: &str) -> NaiveDate {
        crate::domain::dates::parse_iso(s).expect("date")
    }

    #[test]
    fn window_reaches_a_year_before_the_first_period_shown() {
        // Eight years shown and the one before them: every shorter kind fits in it.
        assert_eq!(window_start(d("2014-12-31")), d("2012-01-01"));
        assert_eq!(window_start(d("2016-02-29")), d("2013-04-01"));
        // Eight years and the one before them; tertials from the year before the first.
        assert_eq!(
            window_for(d("2014-12-31"), PeriodKind::Year),
            d("2006-01-01")
        );
        assert_eq!(
            window_for(d("2014-12-31"), PeriodKind::Tertial),
            d("2011-05-01")
        );
        assert_eq!(
            window_for(d("2014-12-31"), PeriodKind::Half),
            d("2010-01-01")
        );
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
            sex: None,
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
    fn the_target_line_is_the_insats_types_days_or_three_months() {
        let mut lss = app("B", "2014-10-01", Some("2014-10-20"), Some(30));
        lss.insats_code = "LSS".into();
        let applications = [app("A", "2014-10-01", Some("2014-10-11"), Some(14)), lss];
        let rows = Rows::from_timings(d("2014-12-31"), &applications, vec![]);
        let mut p = Processing::compute(rows, Scope::default());
        assert_eq!(p.target(Measure::Handlaggning), Target::Varies(14, 30));
        assert_eq!(p.target(Measure::Verkstallighet), Target::Months(3));
        p.rescope(Scope {
            insats_code: Some("LSS".into()),
            worker_id: None,
        });
        assert_eq!(p.target(Measure::Handlaggning), Target::Days(30));
        let none = [app("C", "2014-10-01", Some("2014-10-11"), None)];
        let p = Processing::compute(
            Rows::from_timings(d("2014-12-31"), &none, vec![]),
            Scope::default(),
        );
        assert_eq!(p.target(Measure::Handlaggning), Target::None);
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
