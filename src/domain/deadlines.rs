//! The bevakningslista: every open follow-up deadline, derived from the rows by the rules of
//! DOMAIN.md ("Deadlines"), relative to an injected `today`.

use arcstr::{ArcStr, Substr};
use std::collections::HashMap;
use std::sync::Arc;

use chrono::{Datelike, NaiveDate};

use crate::config::DeadlineRules;
use crate::domain::dates::{add_months, days_between};
use crate::model::{Application, Case, Followup, Intervention};
use crate::snapshot::queries::{
    ApplicationRow, CaseRow, CaseSink, DeadlineSink, FollowupRow, InterventionRow, RowSink,
};

mod index;

use index::Interner;
pub use index::{CaseMap, CaseRef, IdHash};

/// What a deadline waits for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Utredning,
    Beslut,
    Genomforandeplan,
    Uppfoljning,
    Omprovning,
    Verkstallighet,
    Bevakning,
}

impl Kind {
    pub const ALL: [Kind; 7] = [
        Kind::Utredning,
        Kind::Beslut,
        Kind::Genomforandeplan,
        Kind::Uppfoljning,
        Kind::Omprovning,
        Kind::Verkstallighet,
        Kind::Bevakning,
    ];

    /// DOMAIN.md's lowercase ASCII name (reports, JSON).
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Kind::Utredning => "utredning",
            Kind::Beslut => "beslut",
            Kind::Genomforandeplan => "genomforandeplan",
            Kind::Uppfoljning => "uppfoljning",
            Kind::Omprovning => "omprovning",
            Kind::Verkstallighet => "verkstallighet",
            Kind::Bevakning => "bevakning",
        }
    }

    /// The Swedish word on screen.
    #[must_use]
    pub const fn label(self) -> &'static str {
        match self {
            Kind::Utredning => "utredning",
            Kind::Beslut => "beslut",
            Kind::Genomforandeplan => "genomförandeplan",
            Kind::Uppfoljning => "uppföljning",
            Kind::Omprovning => "omprövning",
            Kind::Verkstallighet => "verkställighet",
            Kind::Bevakning => "bevakning",
        }
    }
}

/// How urgent a deadline is, relative to today.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Status {
    /// Overdue: due before today.
    Forsenad,
    /// Due today.
    Idag,
    /// 1–7 days left.
    Vecka,
    /// 8–30 days left.
    Kommande,
    /// More than 30 days left.
    Senare,
}

/// The most days left of an item that is not [`Status::Senare`]: the items due within them
/// are the list's near part ([`Order`]).
pub const NEAR_DAYS: i64 = 30;

impl Status {
    pub const ALL: [Status; 5] = [
        Status::Forsenad,
        Status::Idag,
        Status::Vecka,
        Status::Kommande,
        Status::Senare,
    ];

    /// The status of a deadline with `days_left` days left (negative: overdue).
    #[must_use]
    pub fn from_days_left(days_left: i64) -> Self {
        match days_left {
            i64::MIN..=-1 => Status::Forsenad,
            0 => Status::Idag,
            1..=7 => Status::Vecka,
            8..=NEAR_DAYS => Status::Kommande,
            _ => Status::Senare,
        }
    }

    /// DOMAIN.md's lowercase ASCII name.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Status::Forsenad => "forsenad",
            Status::Idag => "idag",
            Status::Vecka => "vecka",
            Status::Kommande => "kommande",
            Status::Senare => "senare",
        }
    }

    /// The Swedish words on screen, readable without colour.
    #[must_use]
    pub const fn label(self) -> &'static str {
        match self {
            Status::Forsenad => "försenad",
            Status::Idag => "idag",
            Status::Vecka => "denna vecka",
            Status::Kommande => "kommande",
            Status::Senare => "senare",
        }
    }
}

/// A bevakning's own kind and its note.
pub type FollowupText = Arc<(ArcStr, Option<ArcStr>)>;

/// One open deadline. Its strings are shared ([`ArcStr`]): one allocation per distinct
/// case, handläggare, insats code and source row, however many items refer to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub kind: Kind,
    /// Shared: a part of the list's one text of case ids.
    pub case_id: Substr,
    /// The application, intervention or followup row the deadline comes from.
    pub source_id: Substr,
    /// The responsible handläggare: the row's own, else the case's.
    pub worker_id: Option<ArcStr>,
    pub insats_code: Option<ArcStr>,
    /// For a bevakning: its own kind (e.g. "SIP", "Individuell plan LSS §10") and note.
    /// Shared by the items with the same ones (most notes are the kind's standard wording).
    pub followup: Option<FollowupText>,
    /// The date the rule starts from (received, ordered, decided, last follow-up …).
    pub basis: NaiveDate,
    pub due: NaiveDate,
    pub days_left: i64,
    pub status: Status,
    /// The place of `case_id` among the ids of the list's cases, in the ids' order: the
    /// list sorts by it as by the id, without reading the strings (a city's list is too
    /// large for its ids to stay in the processor's caches while it is sorted).
    pub case_rank: u32,
}

// The rules of DOMAIN.md "Deadlines", one function per kind of row. [`derive`] and
// [`load`] both reach them only through [`Builder`], so there is one definition.

/// A deadline found by a rule: what it waits for, the date the rule starts from, and due.
type Found = Option<(Kind, NaiveDate, NaiveDate)>;

/// A case counts on `today` when opened by then and not closed by then.
fn is_open(opened: NaiveDate, closed: Option<NaiveDate>, today: NaiveDate) -> bool {
    opened <= today && closed.is_none_or(|c| c > today)
}

/// `days` after `from`. A due date past the end of the calendar (chrono's, some 260 000
/// years ahead) is never reached: the item is due on the calendar's last day, so it is
/// listed, as `senare`, rather than lost or a panic. The rules' own day counts and the
/// target days that [`load`] accepts never get there from a `YYYY-MM-DD` date.
fn after_days(from: NaiveDate, days: i64) -> NaiveDate {
    crate::domain::dates::add_days(from, days).unwrap_or(NaiveDate::MAX)
}

/// An application not decided: utredning until started, beslut by the insats type's
/// target days (none when the type has none).
fn application_deadlines(
    a: &ApplicationRow<'_>,
    target_days: Option<i64>,
    rules: &DeadlineRules,
) -> [Found; 2] {
    if a.decided.is_some() {
        return [None, None];
    }
    let utredning = a.investigation_started.is_none().then(|| {
        let due = after_days(a.received, i64::from(rules.utredning_days));
        (Kind::Utredning, a.received, due)
    });
    // The snapshot's target_days is checked when the list is loaded ([`load`] refuses one
    // outside 0..=MAX_TARGET_DAYS, naming it); a negative one given to [`derive`] counts
    // as 0, as before.
    let beslut = target_days.map(|days| {
        let due = after_days(a.received, days.max(0));
        (Kind::Beslut, a.received, due)
    });
    [utredning, beslut]
}

/// An intervention: genomförandeplan until received (while not ended), uppföljning and
/// omprövning while active, verkställighet until started.
fn intervention_deadlines(
    i: &InterventionRow<'_>,
    rules: &DeadlineRules,
    today: NaiveDate,
) -> [Found; 4] {
    let ended = i.end.is_some_and(|e| e < today);
    let started = i.start.is_some_and(|s| s <= today);
    let active = started && !ended;
    let plan = match (i.ordered, i.plan_received, ended) {
        (Some(ordered), None, false) => {
            let due = after_days(ordered, i64::from(rules.genomforandeplan_days));
            Some((Kind::Genomforandeplan, ordered, due))
        }
        _ => None,
    };
    let (followup, review) = if active {
        let basis = match (i.last_followup, i.decided) {
            (Some(f), Some(d)) => Some(f.max(d)),
            (Some(f), None) => Some(f),
            (None, Some(d)) => Some(d),
            (None, None) => i.start,
        };
        (
            basis.map(|b| {
                (
                    Kind::Uppfoljning,
                    b,
                    add_months(b, rules.uppfoljning_months),
                )
            }),
            i.end.map(|end| (Kind::Omprovning, end, end)),
        )
    } else {
        (None, None)
    };
    // DOMAIN.md version 2: a decision waits until its start, its end or its case's closing
    // (only open cases reach here); one that ended before it started no longer waits.
    let stopped = started || i.end.is_some_and(|e| e <= today);
    let enforce = match (i.decided, stopped) {
        (Some(decided), false) => Some((
            Kind::Verkstallighet,
            decided,
            add_months(decided, rules.verkstallighet_months),
        )),
        _ => None,
    };
    [plan, followup, review, enforce]
}

/// A bevakning: until done, due on its own date.
fn followup_deadline(f: &FollowupRow<'_>) -> Found {
    f.done.is_none().then_some((Kind::Bevakning, f.due, f.due))
}

/// No string: an item without a handläggare, insats or bevakning text.
const NONE: u32 = u32::MAX;

/// An item as the list keeps it: 32 bytes where an [`Item`] is 72. Its case, source id and
/// strings are numbers into the list's cases and its part's source ids and table; its days
/// left and status follow from the list's `today`. [`Deadlines::item`] makes the [`Item`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Packed {
    /// The case's position in the list's [`CaseMap`].
    case: u32,
    /// Where the source id starts and ends in its part's `sources`; where `prefixed`, only
    /// what follows the case id is kept there.
    source: (u32, u32),
    /// The responsible handläggare, by number in its part's [`Table`] ([`NONE`]: none).
    worker: u32,
    /// By number in its part's [`Table`]: a bevakning's kind and note
    /// ([`Table::followups`]), any other item's insats code ([`Table::strings`]).
    what: u32,
    basis: NaiveDate,
    due: NaiveDate,
    kind: Kind,
    /// The source id starts with the case id, which is not kept twice (producers often
    /// number a case's rows after it: `RKF-2002-00001/I1`; 8 MB at six cities).
    prefixed: bool,
}

// Six cities' 874 524 items are 28 MB at this size, 63 MB as items.
const _: () = assert!(std::mem::size_of::<Packed>() == 32);

/// The strings of a taker's items, by number.
#[derive(Debug, Clone, Default)]
struct Table {
    /// Handläggare and insats codes.
    strings: Vec<ArcStr>,
    /// Bevakning kinds and notes (mostly the kind's standard wording, so few).
    followups: Vec<FollowupText>,
}

impl Table {
    fn string(&self, n: u32) -> Option<&ArcStr> {
        self.strings.get(n as usize)
    }
}

/// Makes a [`Table`]: one number for each distinct string, and for each kind and note.
#[derive(Debug, Default)]
struct Tabler {
    table: Table,
    numbers: HashMap<ArcStr, u32, IdHash>,
    /// The builder's shared strings (the cases' handläggare) by address: found without
    /// hashing their text.
    by_address: HashMap<usize, u32, IdHash>,
    pairs: HashMap<(u32, u32), u32, IdHash>,
}

impl Tabler {
    fn string(&mut self, s: &str) -> u32 {
        if let Some(&n) = self.numbers.get(s) {
            return n;
        }
        let Ok(n) = u32::try_from(self.table.strings.len()) else {
            return NONE;
        };
        let s = ArcStr::from(s);
        self.table.strings.push(ArcStr::clone(&s));
        self.numbers.insert(s, n);
        n
    }

    fn shared(&mut self, s: &ArcStr) -> u32 {
        let at = s.as_ptr() as usize;
        if let Some(&n) = self.by_address.get(&at) {
            return n;
        }
        let n = self.string(s);
        self.by_address.insert(at, n);
        n
    }

    fn followup(&mut self, kind: &str, note: Option<&str>) -> u32 {
        let (k, n) = (self.string(kind), note.map_or(NONE, |n| self.string(n)));
        if let Some(&at) = self.pairs.get(&(k, n)) {
            return at;
        }
        let Ok(at) = u32::try_from(self.table.followups.len()) else {
            return NONE;
        };
        let text = (
            ArcStr::clone(&self.table.strings[k as usize]),
            note.map(|_| ArcStr::clone(&self.table.strings[n as usize])),
        );
        self.table.followups.push(Arc::new(text));
        self.pairs.insert((k, n), at);
        at
    }
}

/// A chunk of items with the source ids they refer to.
#[derive(Debug, Clone)]
struct Part {
    items: Vec<Packed>,
    /// The items' source ids, one after the other.
    sources: ArcStr,
    /// The strings' [`Table`], by position among the list's.
    table: u32,
}

/// Builds the items from the rows, by the rules above: the open cases first, then the rows
/// of those cases, through [`Taker`]s (one per thread). Keeps only what the items and their
/// display need.
struct Builder<'a> {
    target_days: &'a HashMap<String, Option<i64>>,
    rules: &'a DeadlineRules,
    today: NaiveDate,
    strings: Interner,
    cases: CaseMap,
    /// Each case's rank among the ids, by position in `cases`; made once all cases are in,
    /// by the spare thread before its rows ([`DeadlineSink::aside`]).
    ranks: std::sync::OnceLock<Vec<u32>>,
    /// What the takers made, in the order made ([`Builder::finish`] orders it).
    made: Made,
    /// Only the items due on or before this day are kept (the rows read may give others).
    due_by: Option<NaiveDate>,
}

/// What a taker made: its chunks of items with their source ids, and its strings.
type Taken = (Vec<(Vec<Packed>, ArcStr)>, Table);

/// Takes rows of the cases a [`Builder`] has, into items of its own.
struct Taker<'s, 'a> {
    b: &'s Builder<'a>,
    /// Its own strings by number: a taker runs beside another.
    strings: Tabler,
    /// The case of the row before.
    last: Option<u32>,
    /// Its items in chunks of at most [`CHUNK`], each with its source ids.
    items: Vec<(Vec<Packed>, ArcStr)>,
    /// The source ids of the last chunk's items, one after the other: when the chunk is
    /// done they become one string (one allocation a chunk instead of one of some 48 bytes
    /// a row: 20 MB at six cities).
    sources: String,
}

/// The most bytes of source ids in one chunk's string (a city's some 330 kB).
const SOURCE_BLOCK: usize = 1 << 20;

/// The most items in one of a taker's chunks (512 kB): a list that grows one chunk at a
/// time never holds the spare half of a doubled vector, nor copies itself into one (a
/// single vector of six cities' items peaked at 188 MB for 105 MB of items).
const CHUNK: usize = 1 << 14;

impl<'a> Builder<'a> {
    fn new(
        target_days: &'a HashMap<String, Option<i64>>,
        rules: &'a DeadlineRules,
        today: NaiveDate,
    ) -> Self {
        Self {
            target_days,
            rules,
            today,
            strings: Interner::default(),
            cases: CaseMap::default(),
            ranks: std::sync::OnceLock::new(),
            made: Made::default(),
            due_by: None,
        }
    }

    /// The list of what was made, in order ([`order_of`]), without names.
    fn finish(mut self) -> Deadlines {
        let ranks = match self.ranks.take() {
            Some(ranks) => ranks,
            None => self.cases.ranks(),
        };
        self.cases.seal(&ranks);
        let order = Order::new(&self.made, &ranks, &self.cases, self.today);
        Deadlines {
            made: self.made,
            order,
            ranks,
            today: self.today,
            cases: self.cases,
            due_by: self.due_by,
            ..Deadlines::default()
        }
    }
}

impl Taker<'_, '_> {
    /// Gives the last chunk its source ids and starts a new chunk.
    fn next_chunk(&mut self) {
        if let Some((_, sources)) = self.items.last_mut() {
            *sources = ArcStr::from(&*self.sources);
        }
        self.sources.clear();
        self.items.push((Vec::new(), ArcStr::new()));
    }

    /// Adds the deadlines `found` of one row, whose strings are numbered only when it has
    /// any. `what` is the insats code, or a bevakning's kind and note.
    fn push(
        &mut self,
        found: &[Found],
        case: u32,
        source_id: &str,
        own_worker: Option<&str>,
        what: What<'_>,
    ) {
        // A list of the items due by a day keeps only those.
        let due_by = self.b.due_by;
        let within = |f: &Found| f.filter(|&(_, _, day)| due_by.is_none_or(|last| day <= last));
        let n = found.iter().filter_map(within).count();
        if n == 0 {
            return;
        }
        if self.items.last().is_none_or(|(c, _)| c.len() + n > CHUNK)
            || self.sources.len() + source_id.len() > SOURCE_BLOCK
        {
            self.next_chunk();
        }
        let (prefixed, kept) = without_case(source_id, self.b.cases.id(case));
        let (Ok(start), Ok(end)) = (
            u32::try_from(self.sources.len()),
            u32::try_from(self.sources.len() + kept.len()),
        ) else {
            return;
        };
        self.sources.push_str(kept);
        let worker = match own_worker {
            Some(w) => self.strings.string(w),
            None => match self.b.cases.worker(case) {
                Some(w) => self.strings.shared(w),
                None => NONE,
            },
        };
        let what = match what {
            What::Insats(code) => self.strings.string(code),
            What::Followup(kind, note) => self.strings.followup(kind, note),
        };
        let Some((chunk, _)) = self.items.last_mut() else {
            return;
        };
        for (kind, basis, due) in found.iter().filter_map(within) {
            chunk.push(Packed {
                case,
                source: (start, end),
                worker,
                what,
                basis,
                due,
                kind,
                prefixed,
            });
        }
    }
}

/// What an item is about besides its case: an insats, or a bevakning's kind and note.
#[derive(Debug, Clone, Copy)]
enum What<'r> {
    Insats(&'r str),
    Followup(&'r str, Option<&'r str>),
}

/// An item's place in the list, as far as numbers tell it: due date and kind in one number,
/// the case rank, and the item's position among the items as made.
type Key = (u32, u32, u32);

/// Whether `source_id` starts with `case_id`, and what of it is kept ([`Packed::prefixed`]).
fn without_case<'s>(source_id: &'s str, case_id: &str) -> (bool, &'s str) {
    match source_id.strip_prefix(case_id) {
        Some(rest) if !case_id.is_empty() => (true, rest),
        _ => (false, source_id),
    }
}

fn key(i: &Packed, ranks: &[u32], ix: usize) -> Key {
    // Days from chrono's first date to its last (some 191 million) times 8 fit in 32 bits.
    let day = i.due.num_days_from_ce() - NaiveDate::MIN.num_days_from_ce();
    let day = u32::try_from(day).unwrap_or_default();
    // A list of more than 4 294 967 295 items does not fit in memory anyway.
    let at = u32::try_from(ix).unwrap_or(u32::MAX);
    let rank = ranks.get(i.case as usize).copied().unwrap_or(u32::MAX);
    (day.saturating_mul(8) | i.kind as u32, rank, at)
}

/// The list's order: due date, then kind, case and source, so the order is total. The
/// case is compared by its rank, which orders as its id does: the strings are read only
/// for two items of the same case, kind and due date.
fn by_key(items: &Made, cases: &CaseMap, a: &Key, b: &Key) -> std::cmp::Ordering {
    (a.0, a.1).cmp(&(b.0, b.1)).then_with(|| {
        let (a, b) = (
            items.source(a.2 as usize, cases),
            items.source(b.2 as usize, cases),
        );
        a.0.bytes()
            .chain(a.1.bytes())
            .cmp(b.0.bytes().chain(b.1.bytes()))
    })
}

/// The keys of the items of `items[range]` that `keep`, sorted [`by_key`].
fn sorted_keys(
    items: &Made,
    ranks: &[u32],
    cases: &CaseMap,
    range: std::ops::Range<usize>,
    keep: &(impl Fn(&Packed) -> bool + Sync),
) -> Vec<Key> {
    // The items walked in order, not each found by its place.
    let mut keys: Vec<Key> = items
        .iter()
        .skip(range.start)
        .take(range.len())
        .zip(range)
        .filter(|((_, i), _)| keep(i))
        .map(|((_, i), ix)| key(i, ranks, ix))
        .collect();
    keys.sort_unstable_by(|a, b| by_key(items, cases, a, b));
    keys
}

/// The positions of the items of `items` that `keep`, in the list's order ([`by_key`]);
/// `ranks` are their cases'. The items themselves are not moved: moving a city's items
/// into order took longer than finding it. A long list is sorted in two halves on two
/// threads (the takers' shares of the items can be far from even, so each taker does not
/// sort its own), and the two halves' keys are merged.
fn order_of(
    items: &Made,
    ranks: &[u32],
    cases: &CaseMap,
    keep: &(impl Fn(&Packed) -> bool + Sync),
) -> Vec<u32> {
    let n = items.len();
    if n < SORT_ALONE {
        return sorted_keys(items, ranks, cases, 0..n, keep)
            .into_iter()
            .map(|k| k.2)
            .collect();
    }
    let half = n / 2;
    let (left, right) = std::thread::scope(|scope| {
        let beside = std::thread::Builder::new()
            .name("bevaka-sort".into())
            .spawn_scoped(scope, || sorted_keys(items, ranks, cases, 0..half, keep));
        let right = sorted_keys(items, ranks, cases, half..n, keep);
        let left = match beside {
            Ok(t) => t
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            // No second thread: both halves on this one.
            Err(_) => sorted_keys(items, ranks, cases, 0..half, keep),
        };
        (left, right)
    });
    let mut order = Vec::with_capacity(left.len() + right.len());
    let (mut l, mut r) = (left.iter().peekable(), right.iter().peekable());
    loop {
        let next = match (l.peek(), r.peek()) {
            (Some(a), Some(b)) if by_key(items, cases, b, a).is_lt() => r.next(),
            (Some(_), _) => l.next(),
            (None, _) => r.next(),
        };
        match next {
            Some(k) => order.push(k.2),
            None => return order,
        }
    }
}

/// A list shorter than this is sorted on one thread (a unit's is some thousand items).
const SORT_ALONE: usize = 20_000;

/// How many cases from the last row's [`Builder::find`] tries before the hash table.
const AHEAD: usize = 8;

/// Adds case `c` to `cases` if it is open on `today`.
fn take_case(cases: &mut CaseMap, c: &CaseRow<'_>, today: NaiveDate) {
    if !is_open(c.opened, c.closed, today) {
        return;
    }
    let info = CaseRef {
        client_label: c.client_label,
        unit_id: c.unit_id,
        team: c.team,
        worker_id: c.worker_id,
    };
    cases.insert(c.case_id, info);
}

impl CaseSink for Builder<'_> {
    fn case(&mut self, c: CaseRow<'_>) {
        take_case(&mut self.cases, &c, self.today);
    }
}

/// The open cases a [`Builder`]'s spare thread takes, added to the builder's once taken.
struct SpareCases {
    cases: CaseMap,
    today: NaiveDate,
}

impl CaseSink for SpareCases {
    fn case(&mut self, c: CaseRow<'_>) {
        take_case(&mut self.cases, &c, self.today);
    }
}

impl<'a> DeadlineSink for Builder<'a> {
    type Made = Taken;
    type Cases = SpareCases;
    type Rows<'s>
        = Taker<'s, 'a>
    where
        Self: 's;

    fn spare_cases(&self) -> SpareCases {
        SpareCases {
            cases: CaseMap::default(),
            today: self.today,
        }
    }

    fn add_cases(&mut self, spare: SpareCases) {
        self.cases.append(&spare.cases);
    }

    fn cases_in(&mut self) {
        self.cases.shrink_to_fit();
    }

    fn rows(&self) -> Taker<'_, 'a> {
        Taker {
            b: self,
            strings: Tabler::default(),
            last: None,
            items: Vec::new(),
            sources: String::new(),
        }
    }

    /// The ranks, by the spare thread before its rows, while this one takes: made as the
    /// takers started, both threads waiting for them, they took 53 ms at six cities; by the
    /// first taker done, the other then done first waited some 15 ms; and the first screen
    /// peaked 9 MB higher, the rows' items being in when the ids were sorted.
    fn aside(&self) {
        self.ranks.get_or_init(|| self.cases.ranks());
    }

    fn join(&mut self, (chunks, table): Taken) {
        self.made.add(chunks, table);
    }
}

impl RowSink for Taker<'_, '_> {
    /// The case's position in the builder's `cases`.
    type Case = u32;
    type Made = Taken;

    fn find(&mut self, case_id: &str) -> Option<Self::Case> {
        // Producers write a case's rows together and the tables in the same order of cases,
        // so a row's case is mostly the last row's or one a little after it: those are tried
        // first, before the hash table (the city: 99.8 % of the interventions, 94 % of the
        // open bevakningar).
        if let Some(last) = self.last {
            let ahead = (last as usize..self.b.cases.len()).take(AHEAD);
            for p in ahead.filter_map(|p| u32::try_from(p).ok()) {
                if self.b.cases.id(p) == case_id {
                    self.last = Some(p);
                    return Some(p);
                }
            }
        }
        let found = self.b.cases.position(case_id);
        if found.is_some() {
            self.last = found;
        }
        found
    }

    fn application(&mut self, case: Self::Case, a: ApplicationRow<'_>) {
        let target = self.b.target_days.get(a.insats_code).copied().flatten();
        let found = application_deadlines(&a, target, self.b.rules);
        self.push(
            &found,
            case,
            a.application_id,
            a.worker_id,
            What::Insats(a.insats_code),
        );
    }

    fn intervention(&mut self, case: Self::Case, i: InterventionRow<'_>) {
        let found = intervention_deadlines(&i, self.b.rules, self.b.today);
        self.push(
            &found,
            case,
            i.intervention_id,
            None,
            What::Insats(i.insats_code),
        );
    }

    fn followup(&mut self, case: Self::Case, f: FollowupRow<'_>) {
        let found = followup_deadline(&f);
        self.push(
            &[found],
            case,
            f.followup_id,
            f.worker_id,
            What::Followup(f.kind, f.note),
        );
    }

    /// The items, in the order made ([`Builder::finish`] sorts them).
    fn made(mut self) -> Taken {
        self.next_chunk();
        (self.items, self.strings.table)
    }
}

/// Feeds model rows to `sink` as [`deadline_rows`](crate::snapshot::queries::deadline_rows)
/// does from SQLite (without a spare connection): every case, then the rows of the cases
/// it wants, through one taker.
fn feed<S: DeadlineSink>(
    sink: &mut S,
    cases: &[Case],
    applications: &[Application],
    interventions: &[Intervention],
    followups: &[Followup],
) {
    for c in cases {
        sink.case(CaseRow {
            case_id: &c.case_id,
            unit_id: &c.unit_id,
            team: c.team.as_deref(),
            worker_id: c.worker_id.as_deref(),
            client_label: c.client_label.as_deref(),
            opened: c.opened,
            closed: c.closed,
        });
    }
    sink.cases_in();
    let mut rows = sink.rows();
    for a in applications {
        if let Some(case) = rows.find(&a.case_id) {
            rows.application(
                case,
                ApplicationRow {
                    application_id: &a.application_id,
                    insats_code: &a.insats_code,
                    received: a.received,
                    investigation_started: a.investigation_started,
                    decided: a.decided,
                    worker_id: a.worker_id.as_deref(),
                },
            );
        }
    }
    for i in interventions {
        if let Some(case) = rows.find(&i.case_id) {
            rows.intervention(
                case,
                InterventionRow {
                    intervention_id: &i.intervention_id,
                    insats_code: &i.insats_code,
                    decided: i.decided,
                    start: i.start,
                    end: i.end,
                    ordered: i.ordered,
                    plan_received: i.plan_received,
                    last_followup: i.last_followup,
                },
            );
        }
    }
    for f in followups {
        if let Some(case) = rows.find(&f.case_id) {
            rows.followup(
                case,
                FollowupRow {
                    followup_id: &f.followup_id,
                    kind: &f.kind,
                    due: f.due,
                    done: f.done,
                    worker_id: f.worker_id.as_deref(),
                    note: f.note.as_deref(),
                },
            );
        }
    }
    let made = rows.made();
    sink.join(made);
}

/// Derives every open deadline of the open cases on `today`, sorted overdue first, then by
/// due date (then kind and case, so the order is total). [`load`] does the same from the
/// snapshot, by the same code.
#[must_use]
pub fn derive(
    cases: &[Case],
    applications: &[Application],
    interventions: &[Intervention],
    followups: &[Followup],
    target_days: &HashMap<String, Option<i64>>,
    rules: &DeadlineRules,
    today: NaiveDate,
) -> Vec<Item> {
    let mut b = Builder::new(target_days, rules, today);
    feed(&mut b, cases, applications, interventions, followups);
    b.finish().items().collect()
}

/// Who and what the items refer to, for display.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseInfo {
    pub client_label: Option<ArcStr>,
    pub unit_id: ArcStr,
    pub team: Option<ArcStr>,
    pub worker_id: Option<ArcStr>,
}

/// The items as the takers made them, in the chunks they made them in (putting them in one
/// list would copy six cities' some thirty megabytes once more), read as one list: the
/// first chunk's, then the next one's.
#[derive(Debug, Clone, Default)]
struct Made {
    parts: Vec<Part>,
    /// The takers' strings, which the parts refer to by position.
    tables: Vec<Table>,
    /// Where each part starts in the one list.
    starts: Vec<usize>,
}

impl Made {
    /// Adds a taker's chunks, whose items refer to `table`; empty chunks are dropped.
    fn add(&mut self, chunks: Vec<(Vec<Packed>, ArcStr)>, table: Table) {
        let Ok(t) = u32::try_from(self.tables.len()) else {
            return;
        };
        self.tables.push(table);
        for (items, sources) in chunks {
            if items.is_empty() {
                continue;
            }
            self.starts.push(self.len());
            self.parts.push(Part {
                items,
                sources,
                table: t,
            });
        }
    }

    /// How many items.
    fn len(&self) -> usize {
        match (self.starts.last(), self.parts.last()) {
            (Some(s), Some(p)) => s + p.items.len(),
            _ => 0,
        }
    }

    /// The item at `at` of the one list, with its part.
    ///
    /// # Panics
    /// When `at` is not less than [`Made::len`].
    fn get(&self, at: usize) -> (&Part, &Packed) {
        let part = self.starts.partition_point(|&s| s <= at).saturating_sub(1);
        let p = &self.parts[part];
        (p, &p.items[at - self.starts[part]])
    }

    /// The source id of the item at `at`, in two parts: the case id where it is not kept
    /// twice ([`Packed::prefixed`]; else empty) and what is kept.
    fn source<'s>(&'s self, at: usize, cases: &'s CaseMap) -> (&'s str, &'s str) {
        let (part, i) = self.get(at);
        let kept = part
            .sources
            .get(i.source.0 as usize..i.source.1 as usize)
            .unwrap_or_default();
        (if i.prefixed { cases.id(i.case) } else { "" }, kept)
    }

    /// The items in the order of the one list, with their parts.
    fn iter(&self) -> impl Iterator<Item = (&Part, &Packed)> {
        self.parts
            .iter()
            .flat_map(|part| part.items.iter().map(move |i| (part, i)))
    }

    /// The strings of `part`.
    fn table(&self, part: &Part) -> &Table {
        static EMPTY: Table = Table {
            strings: Vec::new(),
            followups: Vec::new(),
        };
        self.tables.get(part.table as usize).unwrap_or(&EMPTY)
    }
}

/// The list's order ([`order_of`]): its near part (the items of [`NEAR_DAYS`], the list's
/// first places) made with the list, the rest the first time it is asked for. The first
/// screen shows the near part (its default horizon is 30 days), which at six cities is a
/// sixth of the items: sorting only those cut the sort from some 65 ms to some 12.
#[derive(Debug, Clone, Default)]
struct Order {
    /// The positions in `made` of the items with at most [`NEAR_DAYS`] days left, in order.
    near: Vec<u32>,
    /// The positions in `made` of every item, in order, once asked for.
    all: std::sync::OnceLock<Vec<u32>>,
}

/// Whether item `p` is in the near part of a list of `today` ([`Order`]).
fn near(today: NaiveDate, p: &Packed) -> bool {
    days_between(today, p.due) <= NEAR_DAYS
}

impl Order {
    /// The near part of the order of `made` on `today` (the rest follows when asked for).
    fn new(made: &Made, ranks: &[u32], cases: &CaseMap, today: NaiveDate) -> Self {
        Self {
            near: order_of(made, ranks, cases, &|p| near(today, p)),
            all: std::sync::OnceLock::new(),
        }
    }
}

/// The bevakningslista of a filter on a day, with what is needed to show it.
#[derive(Debug, Clone, Default)]
pub struct Deadlines {
    /// The items as they were made; [`Deadlines::items`] gives them in the list's order.
    made: Made,
    /// Positions in `made`, in the list's order.
    order: Order,
    /// Each case's rank among the ids ([`Item::case_rank`]), by position in `cases`.
    ranks: Vec<u32>,
    /// The day the list is of: the items' days left count from it.
    today: NaiveDate,
    /// `Some(day)`: only the items due on or before `day` ([`load_near`]); `None`: all.
    due_by: Option<NaiveDate>,
    /// The open cases of the filter.
    cases: CaseMap,
    pub insats_names: HashMap<String, String>,
    pub target_days: HashMap<ArcStr, Option<i64>>,
    /// worker_id → (name, team).
    pub workers: HashMap<String, (String, Option<String>)>,
}

impl Deadlines {
    /// A list of `items` on `today` (put in the list's order; their days left, status and
    /// case ranks follow from `today` and their case ids), whose cases are `cases` (the
    /// items' cases missing from it are added, with nothing known of them). As the rules
    /// make them, a bevakning keeps its kind and note and any other item its insats code.
    #[must_use]
    pub fn from_items(items: Vec<Item>, today: NaiveDate, mut cases: CaseMap) -> Self {
        let mut table = Tabler::default();
        let mut chunks = Vec::new();
        let mut chunk: Vec<Packed> = Vec::new();
        let mut sources = String::new();
        for i in &items {
            let Some(case) = cases
                .position(&i.case_id)
                .or_else(|| cases.insert_id(&i.case_id))
            else {
                continue;
            };
            if chunk.len() == CHUNK || sources.len() + i.source_id.len() > SOURCE_BLOCK {
                chunks.push((std::mem::take(&mut chunk), ArcStr::from(&*sources)));
                sources.clear();
            }
            let (prefixed, kept) = without_case(&i.source_id, &i.case_id);
            let (Ok(start), Ok(end)) = (
                u32::try_from(sources.len()),
                u32::try_from(sources.len() + kept.len()),
            ) else {
                continue;
            };
            sources.push_str(kept);
            let worker = i.worker_id.as_deref().map_or(NONE, |w| table.string(w));
            let what = match (i.kind, i.followup.as_deref()) {
                (Kind::Bevakning, Some((kind, note))) => table.followup(kind, note.as_deref()),
                (Kind::Bevakning, None) => NONE,
                _ => i.insats_code.as_deref().map_or(NONE, |c| table.string(c)),
            };
            chunk.push(Packed {
                case,
                source: (start, end),
                worker,
                what,
                basis: i.basis,
                due: i.due,
                kind: i.kind,
                prefixed,
            });
        }
        chunks.push((chunk, ArcStr::from(sources)));
        let mut made = Made::default();
        made.add(chunks, table.table);
        let ranks = cases.ranks();
        cases.seal(&ranks);
        let order = Order::new(&made, &ranks, &cases, today);
        Self {
            made,
            order,
            ranks,
            today,
            cases,
            ..Self::default()
        }
    }

    /// The item of `part` stored as `p`.
    fn make(&self, part: &Part, p: &Packed) -> Item {
        let table = self.made.table(part);
        let days_left = days_between(self.today, p.due);
        let (insats_code, followup) = match p.kind {
            Kind::Bevakning => (None, table.followups.get(p.what as usize).cloned()),
            _ => (table.string(p.what).cloned(), None),
        };
        Item {
            kind: p.kind,
            case_id: self.cases.id_part(p.case),
            source_id: self.source_id(part, p),
            worker_id: table.string(p.worker).cloned(),
            insats_code,
            followup,
            basis: p.basis,
            due: p.due,
            days_left,
            status: Status::from_days_left(days_left),
            case_rank: self.ranks.get(p.case as usize).copied().unwrap_or(u32::MAX),
        }
    }

    /// The source id of the item of `part` stored as `p`.
    fn source_id(&self, part: &Part, p: &Packed) -> Substr {
        let kept = p.source.0 as usize..p.source.1 as usize;
        if !p.prefixed {
            return part.sources.substr(kept);
        }
        let (case, rest) = (self.cases.id(p.case), part.sources.get(kept));
        let mut id = String::with_capacity(case.len() + rest.map_or(0, str::len));
        id.push_str(case);
        id.push_str(rest.unwrap_or_default());
        Substr::from(id)
    }

    /// The item at position `at` of `made`.
    fn made_item(&self, at: u32) -> Item {
        let (part, p) = self.made.get(at as usize);
        self.make(part, p)
    }

    /// The open case of `item`: found by its rank at once, else by its id.
    #[must_use]
    pub fn case_of(&self, item: &Item) -> Option<CaseRef<'_>> {
        self.cases
            .of_rank(item.case_rank, &item.case_id)
            .or_else(|| self.cases.get(&item.case_id))
    }

    /// The open cases of the list's filter, with who and what they refer to.
    #[must_use]
    pub fn cases(&self) -> &CaseMap {
        &self.cases
    }

    /// The day the list is of.
    #[must_use]
    pub fn today(&self) -> NaiveDate {
        self.today
    }

    /// `Some(day)` for a list of only the items due on or before `day` ([`load_near`]);
    /// `None` for the whole list.
    #[must_use]
    pub fn due_by(&self) -> Option<NaiveDate> {
        self.due_by
    }

    /// How many items.
    #[must_use]
    pub fn len(&self) -> usize {
        self.made.len()
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The positions in `made` of every item, in the list's order: the near part's made
    /// with the list, the rest's sorted the first time they are asked for.
    fn order(&self) -> &[u32] {
        self.order.all.get_or_init(|| {
            let mut all = Vec::with_capacity(self.made.len());
            all.extend_from_slice(&self.order.near);
            let today = self.today;
            all.extend(order_of(&self.made, &self.ranks, &self.cases, &|p| {
                !near(today, p)
            }));
            all
        })
    }

    /// Puts the whole list in order now, if it is not yet: the first screen needs only its
    /// near part, and the dashboard does the rest once it has drawn it (else the first
    /// thing to need it does).
    pub fn complete_order(&self) {
        self.order();
    }

    /// The position in `made` of the item at `place`: from the near part where it is there.
    fn at_place(&self, place: usize) -> u32 {
        match self.order.near.get(place) {
            Some(&at) => at,
            None => self.order()[place],
        }
    }

    /// The item at `place` in the list (from 0), as [`Deadlines::places_where`] gives them.
    ///
    /// # Panics
    /// When `place` is not less than [`Deadlines::len`].
    #[must_use]
    pub fn item(&self, place: usize) -> Item {
        self.made_item(self.at_place(place))
    }

    /// The case id of the item at `place` (as [`Deadlines::item`]'s, without making it).
    ///
    /// # Panics
    /// When `place` is not less than [`Deadlines::len`].
    #[must_use]
    pub fn case_id_at(&self, place: usize) -> &str {
        let (_, p) = self.made.get(self.at_place(place) as usize);
        self.cases.id(p.case)
    }

    /// The items in the list's order: overdue first, then by due date (then kind, case and
    /// source row, so the order is total).
    pub fn items(&self) -> impl ExactSizeIterator<Item = Item> + DoubleEndedIterator + Clone + '_ {
        self.order().iter().map(|&at| self.made_item(at))
    }

    /// The places in the list of the items that `keep`, in order. The items are looked at
    /// once each, as they are stored ([`ItemRef`], not made): a city's list is walked
    /// several times faster that way than in the list's order.
    pub fn places_where(&self, mut keep: impl FnMut(ItemRef<'_>) -> bool) -> Vec<usize> {
        self.places_stored(|part, p| {
            keep(ItemRef {
                list: self,
                part,
                p,
            })
        })
    }

    /// [`Deadlines::places_where`] of the items due on or before `last`: the list is in due
    /// order, so those are its first places, and the items due later are not looked at (a
    /// 30-day horizon is a sixth of a city's items). Within [`NEAR_DAYS`] of the list's day
    /// they are all in the order's near part, and the rest need not be in order yet.
    pub fn places_due_by(
        &self,
        last: NaiveDate,
        mut keep: impl FnMut(ItemRef<'_>) -> bool,
    ) -> Vec<usize> {
        let order = if days_between(self.today, last) <= NEAR_DAYS {
            &self.order.near
        } else {
            self.order()
        };
        let due_by = order.partition_point(|&at| self.made.get(at as usize).1.due <= last);
        let kept: Vec<bool> = self
            .made
            .iter()
            .map(|(part, p)| {
                p.due <= last
                    && keep(ItemRef {
                        list: self,
                        part,
                        p,
                    })
            })
            .collect();
        (0..due_by)
            .filter(|&place| kept[order[place] as usize])
            .collect()
    }

    /// The item at `place` in the list, read where it is stored.
    ///
    /// # Panics
    /// When `place` is not less than [`Deadlines::len`].
    #[must_use]
    pub fn at(&self, place: usize) -> ItemRef<'_> {
        let (part, p) = self.made.get(self.at_place(place) as usize);
        ItemRef {
            list: self,
            part,
            p,
        }
    }

    /// [`Deadlines::places_where`] of the items as stored.
    fn places_stored(&self, mut keep: impl FnMut(&Part, &Packed) -> bool) -> Vec<usize> {
        let kept: Vec<bool> = self.made.iter().map(|(part, p)| keep(part, p)).collect();
        let order = self.order();
        (0..order.len())
            .filter(|&place| kept[order[place] as usize])
            .collect()
    }

    /// The items of one handläggare (the responsible one, see [`Item::worker_id`]), in order.
    pub fn of_worker<'a>(&'a self, worker_id: &str) -> impl Iterator<Item = Item> + 'a {
        self.places_of_worker(worker_id)
            .into_iter()
            .map(|place| self.item(place))
    }

    /// The places of [`Deadlines::of_worker`]'s items, in order.
    #[must_use]
    pub fn places_of_worker(&self, worker_id: &str) -> Vec<usize> {
        // The handläggare's number in each table, if it has one.
        let numbers: Vec<Option<u32>> = self
            .made
            .tables
            .iter()
            .map(|t| {
                (0_u32..)
                    .zip(&t.strings)
                    .find(|(_, s)| ***s == *worker_id)
                    .map(|(n, _)| n)
            })
            .collect();
        self.places_stored(|part, p| {
            numbers.get(part.table as usize).copied().flatten() == Some(p.worker)
        })
    }

    /// The other open items of the same case, in order.
    pub fn same_case<'a>(&'a self, item: &Item) -> impl Iterator<Item = Item> + 'a {
        let case = self.cases.position(&item.case_id);
        let item = item.clone();
        self.places_stored(|_, p| Some(p.case) == case)
            .into_iter()
            .map(|place| self.item(place))
            .filter(move |i| *i != item)
    }

    /// Per handläggare: counts by status, most overdue first.
    #[must_use]
    pub fn summary(&self) -> Vec<WorkerSummary> {
        let mut by: HashMap<Option<&str>, WorkerSummary, IdHash> = HashMap::default();
        for (part, i) in self.made.iter() {
            let worker = self.made.table(part).string(i.worker).map(|w| &**w);
            let e = by.entry(worker).or_insert_with(|| WorkerSummary {
                worker_id: worker.map(str::to_string),
                name: worker
                    .and_then(|w| self.workers.get(w))
                    .map(|(n, _)| n.clone()),
                ..WorkerSummary::default()
            });
            e.total += 1;
            match Status::from_days_left(days_between(self.today, i.due)) {
                Status::Forsenad => e.overdue += 1,
                Status::Idag | Status::Vecka => {
                    e.week += 1;
                    e.month += 1;
                }
                Status::Kommande => e.month += 1,
                Status::Senare => {}
            }
        }
        let mut out: Vec<WorkerSummary> = by.into_values().collect();
        out.sort_by(|a, b| {
            (b.overdue, b.week, b.month)
                .cmp(&(a.overdue, a.week, a.month))
                .then_with(|| a.name.cmp(&b.name))
                .then_with(|| a.worker_id.cmp(&b.worker_id))
        });
        out
    }
}

/// An item of a [`Deadlines`] read where it is stored: what [`Item`] has, without making
/// it (its strings are borrowed from the list).
#[derive(Debug, Clone, Copy)]
pub struct ItemRef<'a> {
    list: &'a Deadlines,
    part: &'a Part,
    p: &'a Packed,
}

impl<'a> ItemRef<'a> {
    #[must_use]
    pub fn kind(self) -> Kind {
        self.p.kind
    }

    #[must_use]
    pub fn due(self) -> NaiveDate {
        self.p.due
    }

    /// As [`Item::days_left`].
    #[must_use]
    pub fn days_left(self) -> i64 {
        days_between(self.list.today, self.p.due)
    }

    #[must_use]
    pub fn status(self) -> Status {
        Status::from_days_left(self.days_left())
    }

    #[must_use]
    pub fn case_id(self) -> &'a str {
        self.list.cases.id(self.p.case)
    }

    /// As [`Item::worker_id`].
    #[must_use]
    pub fn worker_id(self) -> Option<&'a str> {
        self.list
            .made
            .table(self.part)
            .string(self.p.worker)
            .map(|s| &**s)
    }

    /// As [`Item::insats_code`].
    #[must_use]
    pub fn insats_code(self) -> Option<&'a str> {
        match self.p.kind {
            Kind::Bevakning => None,
            _ => self
                .list
                .made
                .table(self.part)
                .string(self.p.what)
                .map(|s| &**s),
        }
    }

    /// A bevakning's own kind (as [`Item::followup`]'s).
    #[must_use]
    pub fn followup_kind(self) -> Option<&'a str> {
        match self.p.kind {
            Kind::Bevakning => self
                .list
                .made
                .table(self.part)
                .followups
                .get(self.p.what as usize)
                .map(|f| &*f.0),
            _ => None,
        }
    }

    /// Whether the item's source id is `id` (without making it).
    #[must_use]
    pub fn source_is(self, id: &str) -> bool {
        let p = self.p;
        let kept = self
            .part
            .sources
            .get(p.source.0 as usize..p.source.1 as usize)
            .unwrap_or_default();
        if p.prefixed {
            id.strip_prefix(self.case_id()) == Some(kept)
        } else {
            id == kept
        }
    }

    /// The item's open case, as [`Deadlines::case_of`] finds it.
    #[must_use]
    pub fn case(self) -> Option<CaseRef<'a>> {
        self.list.cases.info(self.p.case)
    }

    /// The item itself.
    #[must_use]
    pub fn item(self) -> Item {
        self.list.make(self.part, self.p)
    }
}

/// One handläggare's load of deadlines.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WorkerSummary {
    pub worker_id: Option<String>,
    pub name: Option<String>,
    /// Försenade.
    pub overdue: u64,
    /// Due today or within 7 days.
    pub week: u64,
    /// Due today or within 30 days (the week's included).
    pub month: u64,
    /// Every open item, `senare` included.
    pub total: u64,
}

/// Loads the bevakningslista for `filter` on `today`: the rows are streamed from the
/// snapshot through the rules, so only the items and the open cases are kept.
///
/// # Errors
/// SQLite errors.
pub fn load<'a>(
    db: impl Into<crate::snapshot::Readers<'a>>,
    filter: &crate::snapshot::queries::Filter,
    rules: &DeadlineRules,
    today: NaiveDate,
) -> rusqlite::Result<Deadlines> {
    load_for(db.into(), filter, None, None, rules, today)
}

/// The rows' bounds for the items due within [`NEAR_DAYS`] of `today` under `rules`
/// (a month counted as 28 days: `add_months` never gives less); `None` where a date would
/// fall outside the calendar.
#[must_use]
pub fn near_bounds(
    rules: &DeadlineRules,
    today: NaiveDate,
) -> Option<crate::snapshot::queries::DueBy> {
    let before = |days: u64| last_near(today)?.checked_sub_days(chrono::Days::new(days));
    let months = |m: u32| u64::from(m) * 28;
    Some(crate::snapshot::queries::DueBy {
        last: last_near(today)?,
        ordered: before(u64::from(rules.genomforandeplan_days))?,
        basis: before(months(rules.uppfoljning_months))?,
        decided: before(months(rules.verkstallighet_months))?,
    })
}

/// The last day of the list's near part on `today` ([`NEAR_DAYS`] ahead).
fn last_near(today: NaiveDate) -> Option<NaiveDate> {
    today.checked_add_days(chrono::Days::new(NEAR_DAYS.unsigned_abs()))
}

/// The items of [`load`] due within [`NEAR_DAYS`] of `today` (the dashboard's first screen:
/// its default horizon), read from the rows that can give them
/// ([`crate::snapshot::queries::deadline_rows_due_by`]): at six cities in some 0.8 of the
/// whole list's time. `None` where the bounds fall outside the calendar
/// ([`near_bounds`]). [`Deadlines::due_by`] of it says what it holds.
///
/// # Errors
/// As [`load`].
pub fn load_near<'a>(
    db: impl Into<crate::snapshot::Readers<'a>>,
    filter: &crate::snapshot::queries::Filter,
    rules: &DeadlineRules,
    today: NaiveDate,
) -> rusqlite::Result<Option<Deadlines>> {
    match near_bounds(rules, today) {
        Some(by) => load_for(db.into(), filter, None, Some(by), rules, today).map(Some),
        None => Ok(None),
    }
}

/// [`load`] of the cases where handläggare `worker` can own an item (see
/// [`crate::snapshot::queries::deadline_rows_of_worker`]): [`Deadlines::of_worker`] of the
/// result is the same as of the whole list, read through the worker indexes in a fraction
/// of the time. Its other items (of other handläggare on the same cases) are not the whole
/// list's: use only `of_worker(worker)` of it.
///
/// # Errors
/// As [`load`].
pub fn load_of_worker<'a>(
    db: impl Into<crate::snapshot::Readers<'a>>,
    filter: &crate::snapshot::queries::Filter,
    worker: &str,
    rules: &DeadlineRules,
    today: NaiveDate,
) -> rusqlite::Result<Deadlines> {
    load_for(db.into(), filter, Some(worker), None, rules, today)
}

fn load_for(
    db: crate::snapshot::Readers<'_>,
    filter: &crate::snapshot::queries::Filter,
    worker: Option<&str>,
    due_by: Option<crate::snapshot::queries::DueBy>,
    rules: &DeadlineRules,
    today: NaiveDate,
) -> rusqlite::Result<Deadlines> {
    use crate::snapshot::queries;
    let conn = db.main;
    let types = queries::insats_types(conn)?;
    crate::domain::dates::check_target_days(&types)?;
    let target_days: HashMap<String, Option<i64>> = types
        .iter()
        .map(|t| (t.insats_code.clone(), t.target_days))
        .collect();
    let mut b = Builder::new(&target_days, rules, today);
    b.due_by = due_by.map(|by| by.last);
    match (worker, due_by) {
        (Some(w), _) => queries::deadline_rows_of_worker(db, filter, w, today, &mut b)?,
        (None, Some(by)) => queries::deadline_rows_due_by(db, filter, by, today, &mut b)?,
        (None, None) => queries::deadline_rows(db, filter, today, &mut b)?,
    }
    let target_days = types
        .iter()
        .map(|t| (b.strings.get(&t.insats_code), t.target_days))
        .collect();
    let mut list = b.finish();
    list.workers = match worker {
        // An own list names the handläggare of its items and their cases, not the city's
        // thousands (six cities' 6 636, read and sorted twice, were over half its time).
        Some(w) => {
            let made = &list.made;
            let ids: std::collections::BTreeSet<&str> = made
                .iter()
                .filter_map(|(part, i)| made.table(part).string(i.worker).map(|s| &**s))
                .chain(list.cases.iter().filter_map(|(_, c)| c.worker_id))
                .chain([w])
                .collect();
            let mut found = Vec::with_capacity(ids.len());
            for id in ids {
                found.extend(queries::worker_by_id(conn, id)?);
            }
            found
        }
        None => queries::case_workers(conn, &queries::Filter::default())?,
    }
    .into_iter()
    .map(|w| (w.worker_id, (w.name, w.team)))
    .collect();
    list.insats_names = types.into_iter().map(|t| (t.insats_code, t.name)).collect();
    list.target_days = target_days;
    Ok(list)
}

fn days_word(n: u32) -> &'static str {
    if n == 1 { "dag" } else { "dagar" }
}

fn months_word(n: u32) -> &'static str {
    if n == 1 { "månad" } else { "månader" }
}

/// How far off a due date is, in words: "12 dagar sen", "i dag", "om 3 dagar".
#[must_use]
pub fn relative(days_left: i64) -> String {
    match days_left {
        0 => "i dag".into(),
        -1 => "1 dag sen".into(),
        1 => "om 1 dag".into(),
        n if n < 0 => format!("{} dagar sen", n.unsigned_abs()),
        n => format!("om {n} dagar"),
    }
}

/// Why an item is due: the dates and the rule, in Swedish, e.g. "Beställd 2014-10-01,
/// ingen genomförandeplan inkommen; regel 14 dagar → 2014-10-15 (12 dagar sen)".
#[must_use]
pub fn explain(item: &Item, rules: &DeadlineRules, target_days: Option<i64>) -> String {
    let b = item.basis.format("%Y-%m-%d");
    let due = item.due.format("%Y-%m-%d");
    let rel = relative(item.days_left);
    match item.kind {
        Kind::Utredning => format!(
            "Ansökan inkom {b}, ingen utredning påbörjad; regel {} {} → {due} ({rel})",
            rules.utredning_days,
            days_word(rules.utredning_days)
        ),
        Kind::Beslut => {
            let n = target_days.unwrap_or(0);
            format!(
                "Ansökan inkom {b}, inget beslut; insatsens mål {n} {} → {due} ({rel})",
                if n == 1 { "dag" } else { "dagar" }
            )
        }
        Kind::Genomforandeplan => format!(
            "Beställd {b}, ingen genomförandeplan inkommen; regel {} {} → {due} ({rel})",
            rules.genomforandeplan_days,
            days_word(rules.genomforandeplan_days)
        ),
        Kind::Uppfoljning => format!(
            "Senast beslutad eller uppföljd {b}; regel {} {} → {due} ({rel})",
            rules.uppfoljning_months,
            months_word(rules.uppfoljning_months)
        ),
        Kind::Omprovning => {
            format!("Tidsbegränsat beslut upphör {b}; omprövas senast {due} ({rel})")
        }
        Kind::Verkstallighet => format!(
            "Beslutad {b}, inte verkställd; regel {} {} → {due} ({rel})",
            rules.verkstallighet_months,
            months_word(rules.verkstallighet_months)
        ),
        Kind::Bevakning => match item.followup.as_deref() {
            Some((kind, Some(note))) => {
                format!("Bevakning \"{kind}\" med förfallodag {due} ({rel}): {note}")
            }
            Some((kind, None)) => format!("Bevakning \"{kind}\" med förfallodag {due} ({rel})"),
            None => format!("Bevakning med förfallodag {due} ({rel})"),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        crate::domain::dates::parse_iso(s).expect("date")
    }

    fn case(id: &str, closed: Option<&str>) -> Case {
        Case {
            case_id: id.into(),
            unit_id: "U".into(),
            team: None,
            worker_id: Some("H1".into()),
            client_label: None,
            opened: d("2010-01-01"),
            closed: closed.map(d),
            sex: None,
        }
    }

    fn app(id: &str, received: &str) -> Application {
        Application {
            application_id: id.into(),
            case_id: "C".into(),
            insats_code: "HT".into(),
            received: d(received),
            investigation_started: None,
            decided: None,
            outcome: None,
            worker_id: None,
        }
    }

    fn int(id: &str) -> Intervention {
        Intervention {
            intervention_id: id.into(),
            case_id: "C".into(),
            application_id: None,
            insats_code: "HT".into(),
            decided: None,
            start: None,
            end: None,
            provider: None,
            ordered: None,
            plan_received: None,
            last_followup: None,
            offered: None,
            delay_reason: None,
        }
    }

    fn derive_one(
        apps: &[Application],
        ints: &[Intervention],
        fups: &[Followup],
        today: &str,
    ) -> Vec<(Kind, NaiveDate, Status)> {
        let targets = HashMap::from([("HT".to_string(), Some(14)), ("VB".to_string(), None)]);
        derive(
            &[case("C", None)],
            apps,
            ints,
            fups,
            &targets,
            &DeadlineRules::default(),
            d(today),
        )
        .into_iter()
        .map(|i| (i.kind, i.due, i.status))
        .collect()
    }

    #[test]
    fn explanation_names_dates_rule_and_distance() {
        let mut i = int("I");
        i.ordered = Some(d("2014-10-01"));
        let targets = HashMap::new();
        let items = derive(
            &[case("C", None)],
            &[],
            &[i],
            &[],
            &targets,
            &DeadlineRules::default(),
            d("2014-10-27"),
        );
        assert_eq!(
            explain(&items[0], &DeadlineRules::default(), None),
            "Beställd 2014-10-01, ingen genomförandeplan inkommen; regel 14 dagar → 2014-10-15 (12 dagar sen)"
        );
    }

    #[test]
    fn summary_counts_per_worker() {
        let f = |id: &str, due: &str, w: Option<&str>| Followup {
            followup_id: id.into(),
            case_id: "C".into(),
            kind: "SIP".into(),
            due: d(due),
            done: None,
            worker_id: w.map(Into::into),
            note: None,
        };
        let fups = [
            f("1", "2014-12-01", Some("H2")),
            f("2", "2014-12-20", Some("H2")),
            f("3", "2014-12-25", Some("H2")),
            f("4", "2015-01-10", None),
            f("5", "2015-06-10", None),
        ];
        let items = derive(
            &[case("C", None)],
            &[],
            &[],
            &fups,
            &HashMap::new(),
            &DeadlineRules::default(),
            d("2014-12-20"),
        );
        let dl = Deadlines::from_items(items, d("2014-12-20"), CaseMap::default());
        let s = dl.summary();
        assert_eq!(s[0].worker_id.as_deref(), Some("H2"));
        assert_eq!(
            (s[0].overdue, s[0].week, s[0].month, s[0].total),
            (1, 2, 2, 3)
        );
        // The case's worker H1 is responsible where the row has none.
        assert_eq!(s[1].worker_id.as_deref(), Some("H1"));
        assert_eq!(
            (s[1].overdue, s[1].week, s[1].month, s[1].total),
            (0, 0, 1, 2)
        );
    }

    /// The list's order on the strings themselves.
    fn by_due(a: &Item, b: &Item) -> std::cmp::Ordering {
        (a.due, a.kind, &a.case_id, &a.source_id).cmp(&(b.due, b.kind, &b.case_id, &b.source_id))
    }

    #[test]
    fn sort_orders_by_due_kind_case_and_source() {
        let day = |n: u64| d("2014-12-01") + chrono::Days::new(n);
        let ids = [
            "BF-2014-00001",
            "BF-2014-00001-LONGER-THAN-16",
            "BF-2014-00001-LONGER-THAN-15",
            "BF-2014-0000",
            "BF-2014-0000\0",
            "ÄO-2014-1",
            "A",
            "",
        ];
        let mut items = Vec::new();
        let mut x: u64 = 7;
        for n in 0..2000_u64 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let case = ids[usize::try_from(x % 8).expect("small")];
            items.push(Item {
                kind: Kind::ALL[usize::try_from(x / 8 % 3).expect("small")],
                case_id: case.into(),
                // Mostly the case id and more (kept without the case id), some not.
                source_id: if x.is_multiple_of(7) {
                    format!("{}", x % 5).into()
                } else {
                    format!("{case}/{}", x % 5).into()
                },
                worker_id: None,
                insats_code: None,
                followup: None,
                basis: day(0),
                due: day(x / 64 % 4),
                days_left: 0,
                status: Status::Idag,
                // Set by `from_items`, from the case ids.
                case_rank: 0,
            });
            if n % 3 == 0 {
                let twin = items[items.len() - 1].clone();
                items.push(twin);
            }
        }
        let mut want = items.clone();
        want.sort_by(by_due);
        // What the order is about (the ranks are `from_items`' own).
        let seen = |i: &Item| (i.due, i.kind, i.case_id.clone(), i.source_id.clone());
        let list = Deadlines::from_items(items, day(0), CaseMap::default());
        assert!(list.items().map(|i| seen(&i)).eq(want.iter().map(seen)));
        // A list long enough to be sorted in two halves on two threads.
        let long: Vec<Item> = want
            .iter()
            .rev()
            .cycle()
            .take(SORT_ALONE * 2 + 1)
            .cloned()
            .collect();
        let mut long_want = long.clone();
        long_want.sort_by(by_due);
        let list = Deadlines::from_items(long.clone(), day(0), CaseMap::default());
        assert!(
            list.items()
                .map(|i| seen(&i))
                .eq(long_want.iter().map(seen))
        );
        // The chunks read as one list, in the order made.
        assert!(list.made.parts.len() > 2, "{}", list.made.parts.len());
        assert_eq!(list.made.len(), long.len());
        let made: Vec<Item> = (0..long.len())
            .map(|at| list.made_item(u32::try_from(at).expect("small")))
            .collect();
        assert!(made.iter().map(seen).eq(long.iter().map(seen)));
        // `places` gives the places of the items kept, in the list's order.
        let late = list.places_where(|i| i.due() > day(1));
        assert!(late.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(
            late.len(),
            long_want.iter().filter(|i| i.due > day(1)).count()
        );
        assert!(late.iter().all(|&p| list.item(p).due > day(1)));
    }

    #[test]
    fn the_near_part_is_ordered_first_and_the_rest_when_asked_for() {
        let today = d("2014-12-01");
        let mut items = Vec::new();
        let mut x: u64 = 11;
        // Long enough that both parts are sorted on two threads.
        for _ in 0..SORT_ALONE * 5 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let case = format!("BF-2014-{:05}", x % 997);
            let days = i64::try_from(x % 46).expect("small") - 5;
            items.push(Item {
                kind: Kind::ALL[usize::try_from(x / 64 % 7).expect("small")],
                source_id: format!("{case}/{}", x % 13).into(),
                case_id: case.into(),
                worker_id: None,
                insats_code: None,
                followup: None,
                basis: today,
                due: today + chrono::TimeDelta::days(days),
                days_left: 0,
                status: Status::Idag,
                case_rank: 0,
            });
        }
        let mut want = items.clone();
        want.sort_by(by_due);
        let seen = |i: &Item| (i.due, i.kind, i.case_id.clone(), i.source_id.clone());
        let near = want.iter().filter(|i| i.due <= d("2014-12-31")).count();
        assert!(near > SORT_ALONE && items.len() - near > SORT_ALONE);

        let list = Deadlines::from_items(items.clone(), today, CaseMap::default());
        assert!(
            list.order.all.get().is_none(),
            "only the near part is made at once"
        );
        assert_eq!(list.len(), want.len());
        // The first screen's 30 days: the near part's places, each item as in the list.
        let places = list.places_due_by(d("2014-12-31"), |_| true);
        assert_eq!(places, (0..near).collect::<Vec<_>>());
        assert!(
            places
                .iter()
                .map(|&p| seen(&list.item(p)))
                .eq(want[..near].iter().map(seen))
        );
        assert_eq!(list.places_due_by(d("2014-12-08"), |_| true).len(), {
            want.iter().filter(|i| i.due <= d("2014-12-08")).count()
        });
        assert!(list.order.all.get().is_none(), "30 days need no more");
        // The whole list, once asked for: the near part, then the rest in order.
        assert!(list.items().map(|i| seen(&i)).eq(want.iter().map(seen)));
        assert!(list.order.all.get().is_some());

        // A day beyond the near part puts the rest in order.
        let list = Deadlines::from_items(items, today, CaseMap::default());
        let places = list.places_due_by(d("2015-01-01"), |_| true);
        assert!(list.order.all.get().is_some());
        assert_eq!(
            places.len(),
            want.iter().filter(|i| i.due <= d("2015-01-01")).count()
        );
        assert!(
            places
                .iter()
                .map(|&p| seen(&list.item(p)))
                .eq(want.iter().map(seen).take(places.len()))
        );
    }

    #[test]
    fn an_item_read_where_it_is_stored_is_the_item_made() {
        let today = d("2014-12-20");
        let item = |kind: Kind, case: &str, source: &str, due: &str, w: Option<&str>| Item {
            kind,
            case_id: case.into(),
            source_id: source.into(),
            worker_id: w.map(Into::into),
            insats_code: (kind != Kind::Bevakning).then(|| "HT".into()),
            followup: (kind == Kind::Bevakning)
                .then(|| Arc::new((ArcStr::from("SIP"), Some(ArcStr::from("Kalla till möte"))))),
            basis: d("2014-01-01"),
            due: d(due),
            days_left: 0,
            status: Status::Idag,
            case_rank: 0,
        };
        let items = vec![
            item(Kind::Beslut, "BF-1", "BF-1/A1", "2014-12-01", Some("H1")),
            item(Kind::Bevakning, "BF-1", "F-77", "2015-03-01", None),
            item(
                Kind::Uppfoljning,
                "ÄO-2",
                "ÄO-2/I3",
                "2014-12-20",
                Some("H2"),
            ),
            item(Kind::Omprovning, "", "X", "2014-12-27", Some("H1")),
        ];
        let list = Deadlines::from_items(items, today, CaseMap::default());
        for place in 0..list.len() {
            let (r, i) = (list.at(place), list.item(place));
            assert_eq!(r.item(), i);
            assert_eq!(
                (r.kind(), r.due(), r.days_left()),
                (i.kind, i.due, i.days_left)
            );
            assert_eq!((r.status(), r.case_id()), (i.status, &*i.case_id));
            assert_eq!(r.worker_id(), i.worker_id.as_deref());
            assert_eq!(r.insats_code(), i.insats_code.as_deref());
            assert_eq!(r.followup_kind(), i.followup.as_deref().map(|f| &*f.0));
            assert!(r.source_is(&i.source_id), "{}", i.source_id);
            assert!(!r.source_is("BF-1/A"), "{}", i.source_id);
            assert_eq!(i.days_left, days_between(today, i.due));
        }
        assert_eq!(
            list.item(0).source_id,
            "BF-1/A1",
            "kept without its case id"
        );
        assert_eq!(list.places_where(|r| r.worker_id() == Some("H1")), [0, 2]);
    }

    #[test]
    fn a_loaded_list_can_move_to_and_be_shared_across_threads() {
        fn send_sync<T: Send + Sync>() {}
        send_sync::<Deadlines>();
    }

    #[test]
    fn status_bands() {
        assert_eq!(Status::from_days_left(-1), Status::Forsenad);
        assert_eq!(Status::from_days_left(0), Status::Idag);
        assert_eq!(Status::from_days_left(1), Status::Vecka);
        assert_eq!(Status::from_days_left(7), Status::Vecka);
        assert_eq!(Status::from_days_left(8), Status::Kommande);
        assert_eq!(Status::from_days_left(30), Status::Kommande);
        assert_eq!(Status::from_days_left(31), Status::Senare);
    }

    #[test]
    fn undecided_application_gives_utredning_and_beslut() {
        let got = derive_one(&[app("A", "2014-10-01")], &[], &[], "2014-10-10");
        assert_eq!(
            got,
            [
                (Kind::Utredning, d("2014-10-08"), Status::Forsenad),
                (Kind::Beslut, d("2014-10-15"), Status::Vecka),
            ]
        );
        let mut started = app("A", "2014-10-01");
        started.investigation_started = Some(d("2014-10-02"));
        let got = derive_one(&[started.clone()], &[], &[], "2014-10-10");
        assert_eq!(got, [(Kind::Beslut, d("2014-10-15"), Status::Vecka)]);
        // Decided the day it came in: nothing open.
        started.decided = Some(d("2014-10-01"));
        assert!(derive_one(&[started], &[], &[], "2014-10-10").is_empty());
        // No target days for the type: no beslut item.
        let mut vb = app("B", "2014-10-01");
        vb.insats_code = "VB".into();
        vb.investigation_started = Some(d("2014-10-01"));
        assert!(derive_one(&[vb], &[], &[], "2014-10-10").is_empty());
    }

    #[test]
    fn genomforandeplan_until_plan_or_end() {
        let mut i = int("I");
        i.ordered = Some(d("2014-10-01"));
        assert_eq!(
            derive_one(&[], &[i.clone()], &[], "2014-10-27"),
            [(Kind::Genomforandeplan, d("2014-10-15"), Status::Forsenad)]
        );
        i.plan_received = Some(d("2014-10-10"));
        assert!(derive_one(&[], &[i.clone()], &[], "2014-10-27").is_empty());
        i.plan_received = None;
        i.end = Some(d("2014-10-26"));
        assert!(derive_one(&[], &[i], &[], "2014-10-27").is_empty());
    }

    #[test]
    fn uppfoljning_from_the_later_of_followup_and_decision_clamped_to_month_end() {
        let mut i = int("I");
        i.start = Some(d("2015-03-01"));
        i.decided = Some(d("2015-02-28"));
        i.last_followup = Some(d("2015-01-31"));
        assert_eq!(
            derive_one(&[], &[i.clone()], &[], "2015-06-01"),
            [(Kind::Uppfoljning, d("2016-02-28"), Status::Senare)]
        );
        // Leap day basis: + 12 months → 28 Feb.
        i.decided = Some(d("2016-02-29"));
        i.last_followup = None;
        i.start = Some(d("2016-03-01"));
        assert_eq!(
            derive_one(&[], &[i.clone()], &[], "2016-06-01"),
            [(Kind::Uppfoljning, d("2017-02-28"), Status::Senare)]
        );
        // Neither followed up nor decided: from start.
        i.decided = None;
        assert_eq!(
            derive_one(&[], &[i], &[], "2016-06-01")[0].1,
            d("2017-03-01")
        );
    }

    #[test]
    fn intervention_ending_today_is_active_and_due_for_omprovning() {
        let mut i = int("I");
        i.start = Some(d("2014-01-01"));
        i.decided = Some(d("2014-06-01"));
        i.end = Some(d("2014-12-31"));
        let got = derive_one(&[], &[i.clone()], &[], "2014-12-31");
        assert!(
            got.contains(&(Kind::Omprovning, d("2014-12-31"), Status::Idag)),
            "{got:?}"
        );
        assert!(derive_one(&[], &[i], &[], "2015-01-01").is_empty());
    }

    #[test]
    fn verkstallighet_three_months_after_decision_until_started() {
        let mut i = int("I");
        i.decided = Some(d("2014-08-31"));
        assert_eq!(
            derive_one(&[], &[i.clone()], &[], "2014-12-01"),
            [(Kind::Verkstallighet, d("2014-11-30"), Status::Forsenad)]
        );
        i.start = Some(d("2014-12-15"));
        assert_eq!(
            derive_one(&[], &[i.clone()], &[], "2014-12-01")[0].0,
            Kind::Verkstallighet,
            "a future start is not yet verkställt"
        );
        i.start = Some(d("2014-11-15"));
        assert!(
            !derive_one(&[], &[i.clone()], &[], "2014-12-01")
                .iter()
                .any(|x| x.0 == Kind::Verkstallighet)
        );
        // Version 2: a decision whose intervention ended before it started no longer waits.
        i.start = None;
        i.end = Some(d("2014-11-20"));
        assert!(
            !derive_one(&[], &[i.clone()], &[], "2014-12-01")
                .iter()
                .any(|x| x.0 == Kind::Verkstallighet)
        );
        i.end = Some(d("2014-12-20"));
        assert_eq!(
            derive_one(&[], &[i], &[], "2014-12-01")[0].0,
            Kind::Verkstallighet,
            "an end still ahead does not stop the waiting"
        );
    }

    #[test]
    fn bevakning_until_done_and_only_for_open_cases() {
        let f = Followup {
            followup_id: "F".into(),
            case_id: "C".into(),
            kind: "SIP".into(),
            due: d("2014-12-24"),
            done: None,
            worker_id: Some("H9".into()),
            note: None,
        };
        let targets = HashMap::new();
        let rules = DeadlineRules::default();
        let items = derive(
            &[case("C", None)],
            &[],
            &[],
            std::slice::from_ref(&f),
            &targets,
            &rules,
            d("2014-12-20"),
        );
        assert_eq!(items.len(), 1);
        assert_eq!(
            items[0].worker_id.as_deref(),
            Some("H9"),
            "the row's own worker wins"
        );
        assert_eq!(items[0].status, Status::Vecka);
        // Closed today: no longer open.
        let closed = derive(
            &[case("C", Some("2014-12-20"))],
            &[],
            &[],
            std::slice::from_ref(&f),
            &targets,
            &rules,
            d("2014-12-20"),
        );
        assert!(closed.is_empty());
        let mut done = f;
        done.done = Some(d("2014-12-01"));
        assert!(
            derive(
                &[case("C", None)],
                &[],
                &[],
                &[done],
                &targets,
                &rules,
                d("2014-12-20")
            )
            .is_empty()
        );
    }

    #[test]
    fn items_past_a_chunk_and_a_source_block_keep_their_own_rows() {
        // More items than a chunk holds, and source ids long enough that a chunk's string
        // fills before its items do: each item still names its own row, kind and note.
        let cases = [case("C", None), case("D", None)];
        let followups: Vec<Followup> = (0..CHUNK * 2 + 77)
            .map(|n| Followup {
                followup_id: if n % 1000 == 7 {
                    format!("F{n:06}-{}", "x".repeat(200_000))
                } else {
                    format!("F{n:06}")
                },
                case_id: if n % 2 == 0 { "C" } else { "D" }.into(),
                kind: format!("K{}", n % 3),
                due: d("2014-12-01"),
                done: None,
                worker_id: None,
                note: (n % 5 == 0).then(|| format!("N{}", n % 2)),
            })
            .collect();
        let rules = DeadlineRules::default();
        let items = derive(
            &cases,
            &[],
            &[],
            &followups,
            &HashMap::new(),
            &rules,
            d("2014-12-31"),
        );
        assert_eq!(items.len(), followups.len());
        let by_id: HashMap<&str, &Followup> = followups
            .iter()
            .map(|f| (f.followup_id.as_str(), f))
            .collect();
        for i in &items {
            let f = by_id[&*i.source_id];
            assert_eq!(*i.case_id, *f.case_id);
            let (kind, note) = i.followup.as_deref().expect("a bevakning");
            assert_eq!(**kind, *f.kind);
            assert_eq!(note.as_deref(), f.note.as_deref());
        }
        // Same case, kind and due date: ordered by the source row.
        assert!(
            items.windows(2).all(|w| {
                (&*w[0].case_id, &*w[0].source_id) < (&*w[1].case_id, &*w[1].source_id)
            })
        );
    }
}
