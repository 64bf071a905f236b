//! The rows of the bevakningslista (DOMAIN.md "Deadlines").
//!
//! The rows are streamed into a [`DeadlineSink`] in small batches: no row is collected and
//! no string allocated per row here, so a city-wide list (hundreds of thousands of rows
//! read) costs the items it produces, not the rows it reads.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, PoisonError};

use chrono::NaiveDate;
use rusqlite::types::{FromSqlError, Type, ValueRef};
use rusqlite::{Connection, Row, ToSql};

use super::{Filter, bad_date, iso};
use crate::domain::dates::parse_iso;
use crate::snapshot::Readers;

/// A case of the filter, open on `today` by the SQL prefilter (the rule is the sink's).
#[derive(Debug, Clone, Copy)]
pub struct CaseRow<'a> {
    pub case_id: &'a str,
    pub unit_id: &'a str,
    pub team: Option<&'a str>,
    pub worker_id: Option<&'a str>,
    pub client_label: Option<&'a str>,
    pub opened: NaiveDate,
    pub closed: Option<NaiveDate>,
}

/// An undecided application.
#[derive(Debug, Clone, Copy)]
pub struct ApplicationRow<'a> {
    pub application_id: &'a str,
    pub insats_code: &'a str,
    pub received: NaiveDate,
    pub investigation_started: Option<NaiveDate>,
    pub decided: Option<NaiveDate>,
    pub worker_id: Option<&'a str>,
}

/// An intervention that can still carry a deadline.
#[derive(Debug, Clone, Copy)]
pub struct InterventionRow<'a> {
    pub intervention_id: &'a str,
    pub insats_code: &'a str,
    pub decided: Option<NaiveDate>,
    pub start: Option<NaiveDate>,
    pub end: Option<NaiveDate>,
    pub ordered: Option<NaiveDate>,
    pub plan_received: Option<NaiveDate>,
    pub last_followup: Option<NaiveDate>,
}

/// A bevakning not done.
#[derive(Debug, Clone, Copy)]
pub struct FollowupRow<'a> {
    pub followup_id: &'a str,
    pub kind: &'a str,
    pub due: NaiveDate,
    pub done: Option<NaiveDate>,
    pub worker_id: Option<&'a str>,
    pub note: Option<&'a str>,
}

/// Takes the cases of the filter that SQL found open on `today`.
pub trait CaseSink {
    fn case(&mut self, row: CaseRow<'_>);
}

/// Where [`deadline_rows`] sends the rows: first every case (some maybe through a taker of
/// cases on another thread, [`DeadlineSink::spare_cases`]), then the rows of the cases it
/// knows, through takers ([`DeadlineSink::rows`]) that may run on two threads at once.
pub trait DeadlineSink: CaseSink + Sync {
    /// What a taker made of its rows, given back to the sink.
    type Made: Send;
    /// A taker of cases on another thread.
    type Cases: CaseSink + Send;
    /// A taker of rows, made once every case is in.
    type Rows<'s>: RowSink<Made = Self::Made> + Send
    where
        Self: 's;
    /// A taker of cases for another thread, whose cases come back through
    /// [`DeadlineSink::add_cases`]. The cases come in no particular order; none is given
    /// twice (an id given twice is a case given again, as to [`CaseSink::case`]).
    fn spare_cases(&self) -> Self::Cases;
    /// The cases a [`DeadlineSink::spare_cases`] took, into the sink.
    fn add_cases(&mut self, cases: Self::Cases);
    /// Every case is in (before the first [`DeadlineSink::rows`]).
    fn cases_in(&mut self) {}
    /// A taker for the other rows (called once every case is in; maybe more than once).
    fn rows(&self) -> Self::Rows<'_>;
    /// Work that needs every case but no row, beside a taker taking rows: called on the
    /// spare thread before it takes its first row, and on this one once its taker is done
    /// (before its [`RowSink::made`]); maybe both at once. Without a spare, only the latter.
    fn aside(&self) {}
    /// What a taker made, back into the sink; takers are joined in no particular order.
    fn join(&mut self, made: Self::Made);
}

/// Takes the rows of the cases the sink knows (see [`DeadlineSink::rows`]).
pub trait RowSink {
    /// What the taker knows an open case by.
    type Case;
    type Made;
    /// The case `case_id`, if the sink wants its rows (it is among the open cases).
    fn find(&mut self, case_id: &str) -> Option<Self::Case>;
    fn application(&mut self, case: Self::Case, row: ApplicationRow<'_>);
    fn intervention(&mut self, case: Self::Case, row: InterventionRow<'_>);
    fn followup(&mut self, case: Self::Case, row: FollowupRow<'_>);
    /// What the taker made of its rows.
    fn made(self) -> Self::Made;
}

/// Streams the rows the deadline rules need on `today` into `sink`: the (filtered) cases
/// open on `today`, then of those cases (by [`RowSink::find`]) the undecided applications,
/// the interventions that can still carry a deadline, and the bevakningar not done. The
/// rules themselves live in [`crate::domain::deadlines`]; this only leaves out rows that
/// cannot produce an item. A row's dates are parsed only when its case is wanted.
///
/// Without a filter every table is read in one scan and the rows are matched to their
/// cases by `find`: the city's open cases are most cases, and reaching their rows through
/// `*_by_case` would read the tables in random order, several times slower. With a unit or
/// team filter the rows are found through `cases_by_unit` and the `*_by_case` indexes.
///
/// With a spare connection (see [`Readers`]) and no filter, two threads read and take. The
/// cases are read in rowid ranges from both ends: here from the first on, each given to the
/// sink as read; on the spare from the last back, each given to a taker of cases of its own
/// ([`DeadlineSink::spare_cases`]), which is given to the sink here once the two have met.
/// Then the spare reads ahead in the interventions (the largest table, in rowid ranges,
/// up to [`READ_AHEAD_BYTES`]), keeping the rows, while this side adds the spare's cases.
/// Once every case is in, each thread takes rows with a taker of its own, straight from
/// SQLite's rows: the spare its kept rows and then the ranges left, this one the
/// applications, the bevakningar and then the ranges left. Reading is most of the work, and
/// neither thread waits long for the other. Without a spare all is read and taken here, in
/// order. The sink gets the cases, and the takers the rows, in an order that may vary
/// between loads; what the sink makes must not depend on it (the bevakningslista is sorted).
/// An error in the cases is the one reading them on one connection gives (the first in
/// their order); of the other rows, a row's error is reported, not always the first.
///
/// # Errors
/// SQLite errors, and a date that is not `YYYY-MM-DD`.
pub fn deadline_rows<'a, S: DeadlineSink>(
    db: impl Into<Readers<'a>>,
    filter: &Filter,
    today: NaiveDate,
    sink: &mut S,
) -> rusqlite::Result<()> {
    rows_of(db.into(), filter, None, today, sink)
}

/// [`deadline_rows`] of the cases where handläggare `worker` can own an item: their own
/// cases, and those with an undecided application or a bevakning not done in their name
/// (found through `cases_by_worker`, `applications_by_worker` and `followups_by_worker`).
/// Every item of `worker` in the whole list is among the items of these rows, made by the
/// same rules: a handläggare's own list costs their rows, not the city's.
///
/// # Errors
/// As [`deadline_rows`].
pub fn deadline_rows_of_worker<'a, S: DeadlineSink>(
    db: impl Into<Readers<'a>>,
    filter: &Filter,
    worker: &str,
    today: NaiveDate,
    sink: &mut S,
) -> rusqlite::Result<()> {
    rows_of(db.into(), filter, Some(worker), today, sink)
}

/// The latest dates a row can have for an item of its to be due on or before
/// [`DueBy::last`] ([`deadline_rows_due_by`]), worked out from the rules by their caller:
/// none of them may be later than the rules allow (a month may be counted as 28 days).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DueBy {
    /// A bevakning's `due` and an intervention's `end` (its omprövning).
    pub last: NaiveDate,
    /// `ordered` of an intervention without a genomförandeplan.
    pub ordered: NaiveDate,
    /// Both `last_followup` and `decided` (or `start`, when both are empty) of an
    /// intervention's uppföljning.
    pub basis: NaiveDate,
    /// `decided` of an intervention not started on the day.
    pub decided: NaiveDate,
}

/// [`deadline_rows`] of the rows that can give an item due on or before `due_by.last`: the
/// same cases and undecided applications, the bevakningar due by then, and the
/// interventions with a date on or before its bound in `due_by` for some rule. The other
/// rows' items are all due later. The dashboard's first screen, 30 days ahead, needs these
/// only: at six cities 57 000 of the 475 000 interventions (DOMAIN.md's rules, BENCHMARKS.md).
///
/// # Errors
/// As [`deadline_rows`].
pub fn deadline_rows_due_by<'a, S: DeadlineSink>(
    db: impl Into<Readers<'a>>,
    filter: &Filter,
    due_by: DueBy,
    today: NaiveDate,
    sink: &mut S,
) -> rusqlite::Result<()> {
    rows_of_due_by(db.into(), filter, None, Some(due_by), today, sink)
}

fn rows_of<S: DeadlineSink>(
    db: Readers<'_>,
    filter: &Filter,
    worker: Option<&str>,
    today: NaiveDate,
    sink: &mut S,
) -> rusqlite::Result<()> {
    rows_of_due_by(db, filter, worker, None, today, sink)
}

fn rows_of_due_by<S: DeadlineSink>(
    db: Readers<'_>,
    filter: &Filter,
    worker: Option<&str>,
    due_by: Option<DueBy>,
    today: NaiveDate,
    sink: &mut S,
) -> rusqlite::Result<()> {
    let conn = db.main;
    let q = Reading {
        filter,
        worker,
        due_by,
        today,
    };
    let (shares, case_shares) = match db.spare {
        Some(_) if filter.sql("").is_empty() && worker.is_none() => (
            Shares::of(conn, Table::Interventions),
            Shares::of(conn, Table::Cases),
        ),
        _ => (Shares::default(), Shares::default()),
    };
    let spare = db.spare.filter(|_| !shares.is_empty());
    // Set when a side fails: the other stops at its next batch.
    let stop = AtomicBool::new(false);
    let (stop, shares, case_shares) = (&stop, &shares, &case_shares);

    // The cases: here from the first rowids on, given to the sink; on the spare from the
    // last ones back, given to a taker of cases of its own, which comes back here once the
    // two have met. (Giving a case to the sink costs about as much as reading it: when this
    // side gave the spare's cases too, the spare waited for it a quarter of the time.) Then
    // the spare reads the interventions ahead, until every case is in.
    let cases_in = AtomicBool::new(false);
    let cases_in = &cases_in;
    let (spare_cases, theirs) = std::sync::mpsc::channel();
    let taker = spare.map(|_| sink.spare_cases());
    let (cases, ahead) = std::thread::scope(|scope| {
        let ahead = spare.zip(taker).and_then(|(spare, mut taker)| {
            on_spare(scope, spare, move |conn| {
                let mut read_cases = Ok(());
                while let Some(range) = case_shares.take_back() {
                    match take_cases(conn, q, Some(range), &mut taker, stop) {
                        Ok(true) => {}
                        Ok(false) => break,
                        Err(e) => {
                            read_cases = Err(e);
                            break;
                        }
                    }
                }
                // An error here does not stop the other side: its ranges come before these,
                // and an error in them is the one to tell.
                let failed = read_cases.is_err();
                // Gone only if that side has stopped waiting.
                let _ = spare_cases.send(read_cases.map(|()| taker));
                let held = std::cell::Cell::new(0);
                let mut kept = Vec::new();
                // Bounded: at six cities the cases take longer to read than all of the
                // interventions, which kept whole were 230 MB. The ranges not read ahead
                // are read once the cases are in, as when the cases come first.
                while !failed && !cases_in.load(Ordering::Relaxed) && held.get() < READ_AHEAD_BYTES
                {
                    let Some(range) = shares.take() else { break };
                    let read = q.read(
                        conn,
                        Table::Interventions,
                        Some(range),
                        Batch::default(),
                        keep(&mut kept, &held, stop),
                    );
                    if read.is_err() {
                        stop.store(true, Ordering::Relaxed);
                    }
                    if read?.is_none() {
                        break;
                    }
                }
                Ok::<_, rusqlite::Error>(kept)
            })
        });
        // Whether every case of this side's ranges was read and given (not stopped).
        let mut read_here = || -> rusqlite::Result<bool> {
            if case_shares.is_empty() {
                return take_cases(conn, q, None, &mut *sink, stop);
            }
            while let Some(range) = case_shares.take() {
                if !take_cases(conn, q, Some(range), &mut *sink, stop)? {
                    return Ok(false);
                }
            }
            Ok(true)
        };
        // An error here comes first: these are the first in the cases' order.
        let mine = read_here();
        if mine.is_err() {
            stop.store(true, Ordering::Relaxed);
        }
        // The spare's cases, which follow this side's; or its error. (Nothing without a
        // spare thread; the spare sends soon once `stop` is set.)
        let theirs = ahead.as_ref().and_then(|_| theirs.recv().ok());
        let cases = match (mine, theirs) {
            (Err(e), _) | (Ok(_), Some(Err(e))) => Err(e),
            (Ok(true), Some(Ok(taker))) => {
                sink.add_cases(taker);
                Ok(())
            }
            (Ok(_), _) => Ok(()),
        };
        cases_in.store(true, Ordering::Relaxed);
        if cases.is_err() {
            stop.store(true, Ordering::Relaxed);
        }
        let ahead = ahead.map(|t| {
            t.join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        });
        (cases, ahead)
    });
    cases?;
    sink.cases_in();
    let ahead = ahead.transpose()?;

    // The other rows, on both connections at once where there are two.
    let shared: &S = sink;
    let (here, there) = std::thread::scope(|scope| {
        let there = spare.and_then(|spare| {
            on_spare(scope, spare, move |conn| {
                // Before its rows: what is set aside here shares the rows' time with the
                // other thread's taking, instead of coming after it.
                shared.aside();
                let mut rows = shared.rows();
                let took = take(&mut rows, stop, |hand| {
                    for batch in ahead.into_iter().flatten() {
                        if hand(batch).is_none() {
                            return Ok(None);
                        }
                    }
                    Ok(Some(Batch::default()))
                })
                .and_then(|()| shares.take_all(conn, q, &mut rows, stop));
                took.map(|()| rows.made())
            })
        });
        // Without a thread for the spare, its kept rows are lost: they are read again
        // here (the ranges they came from are not marked as read).
        let tables: &[Table] = if there.is_some() {
            &[Table::Applications, Table::Followups]
        } else {
            &[Table::Applications, Table::Interventions, Table::Followups]
        };
        // Taken as SQLite steps (copying the rows into batches cost some 5 % of this
        // phase's time); only the spare's rows read ahead come in batches.
        let mut rows = shared.rows();
        let mut take_here = || -> rusqlite::Result<()> {
            for &table in tables {
                if !take_direct(conn, q, table, None, &mut rows, stop)? {
                    return Ok(());
                }
            }
            if there.is_some() {
                shares.take_all(conn, q, &mut rows, stop)?;
            }
            Ok(())
        };
        let took = take_here();
        if took.is_err() {
            stop.store(true, Ordering::Relaxed);
        }
        shared.aside();
        let here = took.map(|()| rows.made());
        let there = there.map(|t| {
            t.join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        });
        (here, there)
    });
    sink.join(here?);
    if let Some(there) = there {
        sink.join(there?);
    }
    Ok(())
}

/// A hand that keeps the batches it is given in `kept`, counting their bytes in `held`, and
/// stops when `stop` is set.
fn keep<'k>(
    kept: &'k mut Vec<Batch>,
    held: &'k std::cell::Cell<usize>,
    stop: &'k AtomicBool,
) -> impl FnMut(Batch) -> Option<Batch> + 'k {
    move |full: Batch| {
        held.set(held.get() + full.bytes());
        kept.push(full);
        (!stop.load(Ordering::Relaxed)).then(Batch::default)
    }
}

/// Runs `work` on the spare connection, on a thread of `scope`; `None` if no thread can be
/// had (the caller then does the work here).
fn on_spare<'scope, T: Send + 'scope>(
    scope: &'scope std::thread::Scope<'scope, '_>,
    spare: &'scope Mutex<Connection>,
    work: impl FnOnce(&Connection) -> T + Send + 'scope,
) -> Option<std::thread::ScopedJoinHandle<'scope, T>> {
    std::thread::Builder::new()
        .name("insatser".into())
        .spawn_scoped(scope, move || {
            work(&spare.lock().unwrap_or_else(PoisonError::into_inner))
        })
        .ok()
}

/// Runs `reading` with a hand that gives each full batch to `rows` and gives it back to
/// fill again; stops (`None`) when a row fails or the other side has failed, and then sets
/// `stop` for the other side. Returns the first error.
fn take<R: RowSink>(
    rows: &mut R,
    stop: &AtomicBool,
    reading: impl FnOnce(&mut dyn FnMut(Batch) -> Option<Batch>) -> rusqlite::Result<Option<Batch>>,
) -> rusqlite::Result<()> {
    let mut failed = None;
    let read = reading(&mut |full: Batch| {
        if stop.load(Ordering::Relaxed) {
            return None;
        }
        match feed_rows(&full, rows) {
            Ok(()) => Some(full),
            Err(e) => {
                failed = Some(e);
                None
            }
        }
    });
    let result = failed.map_or(read.map(drop), Err);
    if result.is_err() {
        stop.store(true, Ordering::Relaxed);
    }
    result
}

/// A table's rows in rowid ranges, taken one at a time by whichever reader is free: from
/// the first range on ([`Shares::take`]) or from the last one back ([`Shares::take_back`]).
#[derive(Debug, Default)]
struct Shares {
    table: Table,
    /// The ranges not taken yet: `ranges[front..back]`.
    left: Mutex<(usize, usize)>,
    ranges: Vec<(i64, i64)>,
}

impl Shares {
    /// How many ranges a table is read in at least: enough that neither reader waits long
    /// for the other at the end.
    const RANGES: i64 = 32;

    /// The most rowids in a range: what is read ahead stops between two ranges, so a range
    /// is the most it can overshoot [`READ_AHEAD_BYTES`] by (some 4 MB).
    const MOST_ROWIDS: i64 = 16_384;

    /// The rowids of `table` in [`Shares::RANGES`] ranges or more; none if the table is
    /// empty or has no rowids to range over (then it is read whole, by one reader).
    fn of(conn: &Connection, table: Table) -> Self {
        let name = table.name();
        // Each bound its own query: SQLite finds one min() or max() at the end of the table,
        // but scans the whole table for both in one SELECT (21 ms at city scale).
        let bounds = conn.query_row(
            &format!("SELECT (SELECT min(rowid) FROM {name}), (SELECT max(rowid) FROM {name})"),
            [],
            |r| Ok((r.get::<_, Option<i64>>(0)?, r.get::<_, Option<i64>>(1)?)),
        );
        let Ok((Some(first), Some(last))) = bounds else {
            return Self::default();
        };
        let step = (last.saturating_sub(first) / Self::RANGES).clamp(1, Self::MOST_ROWIDS);
        let mut ranges = Vec::new();
        let mut lo = first;
        while lo <= last {
            let hi = if last - lo < 2 * step {
                last
            } else {
                lo + step - 1
            };
            ranges.push((lo, hi));
            let Some(next) = hi.checked_add(1) else { break };
            lo = next;
        }
        Self {
            table,
            left: Mutex::new((0, ranges.len())),
            ranges,
        }
    }

    fn is_empty(&self) -> bool {
        self.ranges.is_empty()
    }

    fn left(&self) -> std::sync::MutexGuard<'_, (usize, usize)> {
        self.left.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The first range no reader has taken yet.
    fn take(&self) -> Option<(i64, i64)> {
        let mut left = self.left();
        let (front, back) = *left;
        (front < back).then(|| {
            left.0 += 1;
            self.ranges[front]
        })
    }

    /// The last range no reader has taken yet.
    fn take_back(&self) -> Option<(i64, i64)> {
        let mut left = self.left();
        let (front, back) = *left;
        (front < back).then(|| {
            left.1 -= 1;
            self.ranges[back - 1]
        })
    }

    /// Takes the ranges not yet taken, one at a time, on `conn`, straight into `taker`
    /// ([`take_direct`]); stops when `stop` is set, and sets it on an error.
    fn take_all<R: RowSink>(
        &self,
        conn: &Connection,
        q: Reading<'_>,
        taker: &mut R,
        stop: &AtomicBool,
    ) -> rusqlite::Result<()> {
        while let Some(range) = self.take() {
            match take_direct(conn, q, self.table, Some(range), taker, stop) {
                Ok(true) => {}
                Ok(false) => return Ok(()),
                Err(e) => {
                    stop.store(true, Ordering::Relaxed);
                    return Err(e);
                }
            }
        }
        Ok(())
    }
}

/// The most bytes of interventions the spare reads ahead while this side adds the spare's
/// cases. (Every intervention to read was some 40 MB at city and 230 at six cities when a
/// value's span took 24 bytes; it takes 8 now.)
const READ_AHEAD_BYTES: usize = 24 << 20;

/// Rows per batch: enough to keep SQLite busy between hand-overs, little enough to stay
/// in the processor's caches.
const BATCH: usize = 1024;

/// Which table a batch's rows come from (each with its own columns, see [`read`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
enum Table {
    #[default]
    Cases,
    Applications,
    Interventions,
    Followups,
}

impl Table {
    const fn name(self) -> &'static str {
        match self {
            Table::Cases => "cases",
            Table::Applications => "applications",
            Table::Interventions => "interventions",
            Table::Followups => "followups",
        }
    }

    /// The columns selected, in order.
    const fn columns(self) -> &'static [&'static str] {
        match self {
            Table::Cases => &[
                "case_id",
                "unit_id",
                "team",
                "worker_id",
                "client_label",
                "opened",
                "closed",
            ],
            Table::Applications => &[
                "case_id",
                "application_id",
                "insats_code",
                "received",
                "investigation_started",
                "decided",
                "worker_id",
            ],
            Table::Interventions => &[
                "case_id",
                "intervention_id",
                "insats_code",
                "decided",
                "start",
                "end",
                "ordered",
                "plan_received",
                "last_followup",
            ],
            Table::Followups => &[
                "case_id",
                "followup_id",
                "kind",
                "due",
                "done",
                "worker_id",
                "note",
            ],
        }
    }
}

/// Rows of one table copied out of SQLite: each column a span of `text` ([`NULL`]: NULL).
/// A span is two `u32`s (8 bytes a value, not the 24 of an `Option<(usize, usize)>`): what
/// is read ahead and kept holds twice the rows in the same bytes. The text stays far below
/// 4 GiB: a batch is handed over once it holds [`TEXT_MOST`] bytes, and SQLite keeps a
/// row below a gigabyte.
#[derive(Debug, Default)]
struct Batch {
    table: Table,
    text: Vec<u8>,
    columns: Vec<(u32, u32)>,
}

/// The span of a NULL.
const NULL: (u32, u32) = (u32::MAX, u32::MAX);

/// A batch with this much text is handed over before its next row.
const TEXT_MOST: usize = 1 << 30;

impl Batch {
    /// The batch without rows, for rows of `table`.
    fn emptied(mut self, table: Table) -> Self {
        self.table = table;
        self.text.clear();
        self.columns.clear();
        self
    }

    fn width(&self) -> usize {
        self.table.columns().len()
    }

    fn rows(&self) -> usize {
        self.columns.len() / self.width()
    }

    /// The memory it holds.
    fn bytes(&self) -> usize {
        self.text.capacity() + self.columns.capacity() * std::mem::size_of::<(u32, u32)>()
    }

    /// The bytes of column `c` of row `row`.
    fn get(&self, row: usize, c: usize) -> Option<&[u8]> {
        let (start, end) = self.columns[row * self.width() + c];
        (start, end)
            .ne(&NULL)
            .then(|| &self.text[start as usize..end as usize])
    }

    /// Adds a value of the row being read.
    ///
    /// # Errors
    /// `SQLITE_TOOBIG` where the text would reach 4 GiB (it cannot: see [`Batch`]).
    fn push(&mut self, value: Option<&[u8]>) -> rusqlite::Result<()> {
        let Some(bytes) = value else {
            self.columns.push(NULL);
            return Ok(());
        };
        let start = self.text.len();
        let end = start + bytes.len();
        match (u32::try_from(start), u32::try_from(end)) {
            (Ok(start), Ok(end)) if end < u32::MAX => {
                self.text.extend_from_slice(bytes);
                self.columns.push((start, end));
                Ok(())
            }
            _ => Err(rusqlite::Error::SqliteFailure(
                rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_TOOBIG),
                None,
            )),
        }
    }
}

/// What a load reads: the filter's rows, or those of a handläggare's cases, on a day.
#[derive(Debug, Clone, Copy)]
struct Reading<'q> {
    filter: &'q Filter,
    worker: Option<&'q str>,
    /// Only the rows that can give an item due by then.
    due_by: Option<DueBy>,
    today: NaiveDate,
}

impl Reading<'_> {
    /// Runs the query of `table` and hands its rows over in batches, in order, filling `batch`
    /// first; `hand` gives back an empty batch to fill next, or `None` to stop reading (without
    /// error: the taker has one, or another reader). Returns the batch to fill next, or `None`
    /// when reading stopped.
    fn read(
        self,
        conn: &Connection,
        table: Table,
        rowids: Option<(i64, i64)>,
        batch: Batch,
        mut hand: impl FnMut(Batch) -> Option<Batch>,
    ) -> rusqlite::Result<Option<Batch>> {
        let width = table.columns().len();
        let mut batch = batch.emptied(table);
        let read = self.query(conn, table, rowids, |rows| {
            while let Some(r) = rows.next()? {
                for c in 0..width {
                    match r.get_ref(c)? {
                        ValueRef::Null => batch.push(None)?,
                        ValueRef::Text(bytes) => batch.push(Some(bytes))?,
                        _ => return Err(not_text(r, c, FromSqlError::InvalidType)),
                    }
                }
                if batch.columns.len() >= BATCH * width || batch.text.len() >= TEXT_MOST {
                    let Some(next) = hand(std::mem::take(&mut batch)) else {
                        return Ok(false);
                    };
                    batch = next.emptied(table);
                }
            }
            Ok(true)
        })?;
        if !read {
            return Ok(None);
        }
        if !batch.columns.is_empty() {
            let Some(next) = hand(batch) else {
                return Ok(None);
            };
            batch = next;
        }
        Ok(Some(batch))
    }

    /// Runs the query of `table` (the filter's rows, or those of the handläggare's cases, on
    /// the day; those of `rowids` only where given) and gives its rows to `each`.
    fn query<T>(
        self,
        conn: &Connection,
        table: Table,
        rowids: Option<(i64, i64)>,
        each: impl FnOnce(&mut rusqlite::Rows<'_>) -> rusqlite::Result<T>,
    ) -> rusqlite::Result<T> {
        let Reading {
            filter,
            worker,
            due_by,
            today,
        } = self;
        let d = iso(today);
        let by = due_by.map(|b| [iso(b.last), iso(b.ordered), iso(b.basis), iso(b.decided)]);
        let open = "opened <= :d AND (closed IS NULL OR closed > :d)";
        let mut only = filter.sql("");
        let mut with_d = filter.params();
        if let Some(worker) = &worker {
            only.push_str(
                " AND case_id IN (SELECT case_id FROM cases WHERE worker_id = :worker
               UNION SELECT case_id FROM applications WHERE worker_id = :worker
               UNION SELECT case_id FROM followups WHERE worker_id = :worker)",
            );
            with_d.push((":worker", worker));
        }
        let filtered = !only.is_empty();
        with_d.push((":d", &d));
        let only_d: [(&str, &dyn ToSql); 1] = [(":d", &d)];
        let none: [(&str, &dyn ToSql); 0] = [];
        // The rows of other cases than the filter's are left out in SQL only when filtered.
        let (of_cases, params, params_d) = if filtered {
            (
                format!(" AND case_id IN (SELECT case_id FROM cases WHERE {open}{only})"),
                &with_d[..],
                &with_d[..],
            )
        } else {
            (String::new(), &none[..], &only_d[..])
        };
        let columns = table.columns().join(", ");
        let (sql, params): (String, &[(&str, &dyn ToSql)]) = match table {
            Table::Cases => (
                format!("SELECT {columns} FROM cases WHERE {open}{only}"),
                &*with_d,
            ),
            Table::Applications => (
                format!("SELECT {columns} FROM applications WHERE decided IS NULL{of_cases}"),
                params,
            ),
            Table::Interventions => (
                format!(
                    "SELECT {columns} FROM interventions
                 WHERE (end IS NULL OR end >= :d OR start IS NULL OR start > :d){of_cases}{}",
                    if by.is_some() {
                        " AND ((plan_received IS NULL AND ordered <= :by_ordered)
                           OR end <= :by_last
                           OR (decided <= :by_decided AND (start IS NULL OR start > :d))
                           OR ((last_followup IS NULL OR last_followup <= :by_basis)
                               AND (decided IS NULL OR decided <= :by_basis)
                               AND coalesce(last_followup, decided, start) <= :by_basis))"
                    } else {
                        ""
                    }
                ),
                params_d,
            ),
            Table::Followups => (
                format!(
                    "SELECT {columns} FROM followups WHERE done IS NULL{of_cases}{}",
                    if by.is_some() {
                        " AND due <= :by_last"
                    } else {
                        ""
                    }
                ),
                params,
            ),
        };
        let mut params = params.to_vec();
        let (sql, lo, hi) = match rowids {
            Some((lo, hi)) => (format!("{sql} AND rowid BETWEEN :lo AND :hi"), lo, hi),
            None => (sql, 0, 0),
        };
        if rowids.is_some() {
            params.extend([(":lo", &lo as &dyn ToSql), (":hi", &hi)]);
        }
        if let Some([last, ordered, basis, decided]) = &by {
            match table {
                Table::Interventions => params.extend([
                    (":by_last", last as &dyn ToSql),
                    (":by_ordered", ordered),
                    (":by_basis", basis),
                    (":by_decided", decided),
                ]),
                Table::Followups => params.push((":by_last", last)),
                Table::Cases | Table::Applications => {}
            }
        }
        let mut st = conn.prepare_cached(&sql)?;
        let mut rows = st.query(params.as_slice())?;
        each(&mut rows)
    }
}

/// Takes the rows of `table`'s query straight from SQLite (not through a batch), giving each
/// to `taker`, and looks at `stop` every [`BATCH`] rows. Whether every row was taken (not
/// stopped); the first error of a row or of reading.
fn take_direct<R: RowSink>(
    conn: &Connection,
    q: Reading<'_>,
    table: Table,
    rowids: Option<(i64, i64)>,
    taker: &mut R,
    stop: &AtomicBool,
) -> rusqlite::Result<bool> {
    each_row(conn, q, table, rowids, stop, |r| feed_row(r, table, taker))
}

/// [`take_direct`] of the cases, given to `sink`.
fn take_cases(
    conn: &Connection,
    q: Reading<'_>,
    rowids: Option<(i64, i64)>,
    sink: &mut impl CaseSink,
    stop: &AtomicBool,
) -> rusqlite::Result<bool> {
    each_row(conn, q, Table::Cases, rowids, stop, |r| feed_case(r, sink))
}

/// Gives each row of `table`'s query, where SQLite has it, to `each`; looks at `stop` every
/// [`BATCH`] rows. Whether every row was given (not stopped); the first error.
fn each_row(
    conn: &Connection,
    q: Reading<'_>,
    table: Table,
    rowids: Option<(i64, i64)>,
    stop: &AtomicBool,
    mut each: impl FnMut(&Cols<Direct<'_, '_>>) -> rusqlite::Result<()>,
) -> rusqlite::Result<bool> {
    if stop.load(Ordering::Relaxed) {
        return Ok(false);
    }
    q.query(conn, table, rowids, |rows| {
        let mut n = 0_usize;
        while let Some(r) = rows.next()? {
            n += 1;
            if n.is_multiple_of(BATCH) && stop.load(Ordering::Relaxed) {
                return Ok(false);
            }
            each(&Cols(Direct { row: r, table }))?;
        }
        Ok(true)
    })
}

/// Gives case `r` to `sink`.
fn feed_case(r: &Cols<impl Values>, sink: &mut impl CaseSink) -> rusqlite::Result<()> {
    sink.case(CaseRow {
        case_id: r.text(0)?,
        unit_id: r.text(1)?,
        team: r.opt_text(2)?,
        worker_id: r.opt_text(3)?,
        client_label: r.opt_text(4)?,
        opened: r.date(5)?,
        closed: r.opt_date(6)?,
    });
    Ok(())
}

/// Gives the rows of `batch` (not cases) to `rows`.
fn feed_rows<R: RowSink>(batch: &Batch, rows: &mut R) -> rusqlite::Result<()> {
    for row in 0..batch.rows() {
        feed_row(&Cols(Kept { batch, row }), batch.table, rows)?;
    }
    Ok(())
}

/// Gives row `r` of `table` (not a case) to `rows`.
fn feed_row<R: RowSink>(r: &Cols<impl Values>, table: Table, rows: &mut R) -> rusqlite::Result<()> {
    // A value that is not text is an error, as where rows are kept; an id that is NULL or
    // not UTF-8 names no case read (those are all UTF-8).
    let id = r.0.value(0)?;
    let Some(case) = id
        .and_then(|b| std::str::from_utf8(b).ok())
        .and_then(|id| rows.find(id))
    else {
        return Ok(());
    };
    {
        match table {
            Table::Cases => {}
            Table::Applications => rows.application(
                case,
                ApplicationRow {
                    application_id: r.text(1)?,
                    insats_code: r.text(2)?,
                    received: r.date(3)?,
                    investigation_started: r.opt_date(4)?,
                    decided: r.opt_date(5)?,
                    worker_id: r.opt_text(6)?,
                },
            ),
            Table::Interventions => rows.intervention(
                case,
                InterventionRow {
                    intervention_id: r.text(1)?,
                    insats_code: r.text(2)?,
                    decided: r.opt_date(3)?,
                    start: r.opt_date(4)?,
                    end: r.opt_date(5)?,
                    ordered: r.opt_date(6)?,
                    plan_received: r.opt_date(7)?,
                    last_followup: r.opt_date(8)?,
                },
            ),
            Table::Followups => rows.followup(
                case,
                FollowupRow {
                    followup_id: r.text(1)?,
                    kind: r.text(2)?,
                    due: r.date(3)?,
                    done: r.opt_date(4)?,
                    worker_id: r.opt_text(5)?,
                    note: r.opt_text(6)?,
                },
            ),
        }
    }
    Ok(())
}

/// Where a row's values are read: a batch's row, or SQLite's row itself.
trait Values {
    fn table(&self) -> Table;
    /// The bytes of column `c` (`None`: NULL); an error for a value that is not text.
    fn value(&self, c: usize) -> rusqlite::Result<Option<&[u8]>>;
}

/// Row `row` of a batch (whose values were checked to be text as they were copied).
struct Kept<'a> {
    batch: &'a Batch,
    row: usize,
}

impl Values for Kept<'_> {
    fn table(&self) -> Table {
        self.batch.table
    }

    fn value(&self, c: usize) -> rusqlite::Result<Option<&[u8]>> {
        Ok(self.batch.get(self.row, c))
    }
}

/// SQLite's row, read where it is (as [`read`] copies it into a batch: the same errors).
struct Direct<'r, 's> {
    row: &'r Row<'s>,
    table: Table,
}

impl Values for Direct<'_, '_> {
    fn table(&self) -> Table {
        self.table
    }

    fn value(&self, c: usize) -> rusqlite::Result<Option<&[u8]>> {
        match self.row.get_ref(c)? {
            ValueRef::Null => Ok(None),
            ValueRef::Text(bytes) => Ok(Some(bytes)),
            _ => Err(not_text(self.row, c, FromSqlError::InvalidType)),
        }
    }
}

/// One row's values, read as `row.get` would: the same values and errors.
struct Cols<V>(V);

impl<V: Values> Cols<V> {
    fn null(&self, c: usize) -> rusqlite::Error {
        rusqlite::Error::InvalidColumnType(c, self.0.table().columns()[c].to_string(), Type::Null)
    }

    fn opt_text(&self, c: usize) -> rusqlite::Result<Option<&str>> {
        self.0
            .value(c)?
            .map(|b| {
                std::str::from_utf8(b).map_err(|e| {
                    rusqlite::Error::FromSqlConversionFailure(c, Type::Text, Box::new(e))
                })
            })
            .transpose()
    }

    fn text(&self, c: usize) -> rusqlite::Result<&str> {
        self.opt_text(c)?.ok_or_else(|| self.null(c))
    }

    fn opt_date(&self, c: usize) -> rusqlite::Result<Option<NaiveDate>> {
        let Some(bytes) = self.0.value(c)? else {
            return Ok(None);
        };
        if let Some(d) = crate::domain::dates::parse_digits(bytes) {
            return Ok(Some(d));
        }
        let text = self.text(c)?;
        parse_iso(text).map(Some).ok_or_else(|| bad_date(c, text))
    }

    fn date(&self, c: usize) -> rusqlite::Result<NaiveDate> {
        self.opt_date(c)?.ok_or_else(|| self.null(c))
    }
}

/// The error `row.get::<_, String>(idx)` gives for a value that is not text.
fn not_text(r: &Row<'_>, idx: usize, e: FromSqlError) -> rusqlite::Error {
    match e {
        FromSqlError::InvalidType => rusqlite::Error::InvalidColumnType(
            idx,
            r.as_ref()
                .column_name(idx)
                .map_or_else(|_| String::new(), str::to_string),
            r.get_ref(idx).map_or(Type::Null, |v| v.data_type()),
        ),
        e => rusqlite::Error::FromSqlConversionFailure(idx, Type::Text, Box::new(e)),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    /// Every row it is given, as text; wants the rows of every case it was given.
    #[derive(Default)]
    struct Record {
        open: HashSet<String>,
        rows: Vec<String>,
        /// Whether its first case takes 30 ms (see [`slow`]).
        slow: bool,
    }

    struct RecordRows<'s> {
        open: &'s HashSet<String>,
        rows: Vec<String>,
    }

    impl CaseSink for Record {
        fn case(&mut self, row: CaseRow<'_>) {
            if self.slow && self.rows.is_empty() {
                std::thread::sleep(std::time::Duration::from_millis(30));
            }
            self.open.insert(row.case_id.to_string());
            self.rows.push(format!("{row:?}"));
        }
    }

    impl DeadlineSink for Record {
        type Made = Vec<String>;
        type Cases = Record;
        type Rows<'s> = RecordRows<'s>;

        fn spare_cases(&self) -> Record {
            Record::default()
        }

        fn add_cases(&mut self, cases: Record) {
            self.open.extend(cases.open);
            self.rows.extend(cases.rows);
        }

        fn rows(&self) -> RecordRows<'_> {
            RecordRows {
                open: &self.open,
                rows: Vec::new(),
            }
        }

        fn join(&mut self, made: Vec<String>) {
            self.rows.extend(made);
        }
    }

    impl RowSink for RecordRows<'_> {
        type Case = ();
        type Made = Vec<String>;

        fn find(&mut self, case_id: &str) -> Option<()> {
            self.open.contains(case_id).then_some(())
        }

        fn application(&mut self, (): (), row: ApplicationRow<'_>) {
            self.rows.push(format!("{row:?}"));
        }

        fn intervention(&mut self, (): (), row: InterventionRow<'_>) {
            self.rows.push(format!("{row:?}"));
        }

        fn followup(&mut self, (): (), row: FollowupRow<'_>) {
            self.rows.push(format!("{row:?}"));
        }

        fn made(self) -> Vec<String> {
            self.rows
        }
    }

    #[test]
    fn on_two_connections_the_sink_gets_every_case_first_and_the_same_rows() {
        let today = NaiveDate::from_ymd_opt(2014, 12, 31).expect("date");
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("s.sqlite");
        let data = crate::demo::build(today);
        crate::snapshot::write_snapshot(&path, &data).expect("write");
        let snapshot = crate::snapshot::Snapshot::open(&path).expect("open");
        assert!(snapshot.readers().spare.is_some(), "a file has a spare");
        for filter in [
            Filter::default(),
            Filter {
                unit_id: Some(data.units[0].unit_id.clone()),
                team: None,
            },
        ] {
            let mut two = Record::default();
            deadline_rows(snapshot.readers(), &filter, today, &mut two).expect("rows");
            let mut one = Record::default();
            deadline_rows(snapshot.conn(), &filter, today, &mut one).expect("rows");
            // More than a batch (and the interventions in rowid ranges).
            assert!(one.rows.len() > 2 * BATCH, "{}", one.rows.len());
            let cases = one.rows.iter().filter(|r| r.starts_with("CaseRow")).count();
            assert!(cases > 0);
            assert!(
                same_set(&two.rows[..cases], &one.rows[..cases]),
                "cases first"
            );
            let (mut a, mut b) = (two.rows, one.rows);
            a.sort();
            b.sort();
            assert_eq!(a, b);
        }
    }

    /// A [`Record`] whose first case takes 30 ms: the spare meanwhile reads cases from the
    /// last ranges back.
    fn slow() -> Record {
        Record {
            slow: true,
            ..Record::default()
        }
    }

    /// The demo written to a file, with two connections to it.
    fn two_readers(today: NaiveDate) -> (tempfile::TempDir, Connection, Mutex<Connection>) {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("s.sqlite");
        crate::snapshot::write_snapshot(&path, &crate::demo::build(today)).expect("write");
        let main = Connection::open(&path).expect("open");
        let spare = Mutex::new(Connection::open(&path).expect("open"));
        (dir, main, spare)
    }

    /// The rowid of the last case open on `today`.
    fn last_open_case(conn: &Connection) -> i64 {
        conn.query_row(
            "SELECT max(rowid) FROM cases WHERE closed IS NULL OR closed > '2014-12-31'",
            [],
            |r| r.get(0),
        )
        .expect("an open case")
    }

    /// The rowid of the last intervention of an open case that can carry a deadline.
    fn last_open_intervention(conn: &Connection) -> i64 {
        conn.query_row(
            "SELECT max(i.rowid) FROM interventions i JOIN cases c USING (case_id)
             WHERE (c.closed IS NULL OR c.closed > '2014-12-31')
               AND (i.end IS NULL OR i.end >= '2014-12-31')",
            [],
            |r| r.get(0),
        )
        .expect("an intervention of an open case")
    }

    /// A bad date in column `date` of the row of `table` that `row_of` finds, and (STRICT
    /// tables hold only text; a copy without it can hold anything) a blob in column `text`
    /// there: the same errors on both connections as on one, naming the date and the column.
    fn fails_alike(table: &str, row_of: fn(&Connection) -> i64, date: &str, text: &str) {
        let today = NaiveDate::from_ymd_opt(2014, 12, 31).expect("date");
        // `column` of the row set to `value`: the error, which must name `named`.
        let check = |main: &Connection,
                     spare: &Mutex<Connection>,
                     column: &str,
                     value: &str,
                     named: &str| {
            let row = row_of(main);
            main.execute(
                &format!("UPDATE {table} SET {column} = {value} WHERE rowid = ?1"),
                [row],
            )
            .expect("update");
            let readers = Readers {
                main,
                spare: Some(spare),
            };
            let two = same_error(readers, today);
            assert!(two.contains(named), "{two}");
        };
        let (_dir, main, spare) = two_readers(today);
        check(&main, &spare, date, "'2014-02-30'", "2014-02-30");
        let (_dir, main, spare) = two_readers(today);
        main.execute_batch(&format!(
            "PRAGMA foreign_keys = OFF;
             CREATE TABLE loose AS SELECT * FROM {table};
             DROP TABLE {table};
             ALTER TABLE loose RENAME TO {table};"
        ))
        .expect("a table without STRICT");
        check(&main, &spare, text, "x'05'", text);
    }

    /// Rows taken straight from SQLite fail as rows kept in a batch do.
    #[test]
    fn rows_taken_as_read_fail_as_rows_kept() {
        fails_alike(
            "interventions",
            last_open_intervention,
            "ordered",
            "insats_code",
        );
    }

    #[test]
    fn cases_read_from_both_ends_come_first_and_fail_as_read_alone() {
        let today = NaiveDate::from_ymd_opt(2014, 12, 31).expect("date");
        let (_dir, main, spare) = two_readers(today);
        let readers = Readers {
            main: &main,
            spare: Some(&spare),
        };
        let mut alone = Record::default();
        deadline_rows(&main, &Filter::default(), today, &mut alone).expect("rows");
        let mut two = slow();
        deadline_rows(readers, &Filter::default(), today, &mut two).expect("rows");
        let cases = alone
            .rows
            .iter()
            .filter(|r| r.starts_with("CaseRow"))
            .count();
        assert!(cases > 1000, "{cases}");
        assert!(
            same_set(&two.rows[..cases], &alone.rows[..cases]),
            "cases first"
        );
        let (mut a, mut b) = (two.rows, alone.rows);
        a.sort();
        b.sort();
        assert_eq!(a, b);

        // A bad date in the last open case (read by the spare while the first case waits)
        // and a value that is not text there: the same errors as read on one connection.
        fails_alike("cases", last_open_case, "opened", "team");
    }

    /// Whether `a` and `b` hold the same rows, in any order (the cases come in the order
    /// each side read them: the spare's after this side's).
    fn same_set(a: &[String], b: &[String]) -> bool {
        let (mut a, mut b) = (a.to_vec(), b.to_vec());
        a.sort();
        b.sort();
        a == b
    }

    /// The error of reading on both of `readers` (the first case waiting), which must be
    /// the one reading on the main connection alone gives.
    fn same_error(readers: Readers<'_>, today: NaiveDate) -> String {
        let all = Filter::default();
        let alone = deadline_rows(readers.main, &all, today, &mut Record::default())
            .expect_err("an error alone")
            .to_string();
        let two = deadline_rows(readers, &all, today, &mut slow())
            .expect_err("an error on two")
            .to_string();
        assert_eq!(two, alone);
        two
    }

    #[test]
    fn ranges_are_taken_from_either_end_once() {
        let conn = Connection::open_in_memory().expect("memory");
        conn.execute_batch(
            "CREATE TABLE cases (x);
             WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100)
             INSERT INTO cases (rowid, x) SELECT i, i FROM n;",
        )
        .expect("table");
        let shares = Shares::of(&conn, Table::Cases);
        let (mut front, mut back) = (Vec::new(), Vec::new());
        loop {
            match (shares.take(), shares.take_back()) {
                (None, None) => break,
                (f, b) => {
                    front.extend(f);
                    back.extend(b);
                }
            }
        }
        back.reverse();
        let all: Vec<_> = front.into_iter().chain(back).collect();
        assert_eq!(all, shares.ranges);
        assert_eq!(all.first().map(|r| r.0), Some(1));
        assert_eq!(all.last().map(|r| r.1), Some(100));
        assert!(all.windows(2).all(|w| w[0].1 + 1 == w[1].0));
    }

    #[test]
    fn rowid_ranges_cover_the_table_once() {
        let conn = Connection::open_in_memory().expect("memory");
        conn.execute_batch("CREATE TABLE interventions (x); INSERT INTO interventions (rowid, x) VALUES (3, 1), (5, 1), (90, 1), (1000, 1);")
            .expect("table");
        let shares = Shares::of(&conn, Table::Interventions);
        let mut next = 3;
        for &(lo, hi) in &shares.ranges {
            assert_eq!(lo, next);
            assert!(hi >= lo);
            next = hi + 1;
        }
        assert_eq!(next, 1001);
        let empty = Connection::open_in_memory().expect("memory");
        empty
            .execute_batch("CREATE TABLE interventions (x);")
            .expect("table");
        assert!(Shares::of(&empty, Table::Interventions).is_empty());
    }
}
