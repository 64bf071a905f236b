//! The rows of the bevakningslista (DOMAIN.md "Deadlines").
//!
//! The rows are streamed into a [`DeadlineSink`] in small batches: no row is collected and
//! no string allocated per row here, so a city-wide list (hundreds of thousands of rows
//! read) costs the items it produces, not the rows it reads.

use std::sync::mpsc::{self, Receiver, Sender};

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

/// Where [`deadline_rows`] sends the rows: first every case, then the rows of the cases
/// [`DeadlineSink::find`] knows.
pub trait DeadlineSink {
    /// What the sink knows an open case by.
    type Case;
    /// A case of the filter that SQL found open on `today`.
    fn case(&mut self, row: CaseRow<'_>);
    /// The case `case_id`, if the sink wants its rows (it is among the open cases).
    fn find(&mut self, case_id: &str) -> Option<Self::Case>;
    fn application(&mut self, case: Self::Case, row: ApplicationRow<'_>);
    fn intervention(&mut self, case: Self::Case, row: InterventionRow<'_>);
    fn followup(&mut self, case: Self::Case, row: FollowupRow<'_>);
}

/// Streams the rows the deadline rules need on `today` into `sink`: the (filtered) cases
/// open on `today`, then of those cases (by [`DeadlineSink::find`]) the undecided
/// applications, the interventions that can still carry a deadline, and the bevakningar not
/// done. The rules themselves live in [`crate::domain::deadlines`]; this only leaves out
/// rows that cannot produce an item. A row's dates are parsed only when its case is wanted.
///
/// Without a filter every table is read in one scan and the rows are matched to their
/// cases by `find`: the city's open cases are most cases, and reaching their rows through
/// `*_by_case` would read the tables in random order, several times slower. With a unit or
/// team filter the rows are found through `cases_by_unit` and the `*_by_case` indexes.
///
/// SQLite reads on this thread while `sink` takes the rows on another, in batches copied
/// out of SQLite's buffers, in order: at city scale reading and matching take about as
/// long each, so the two halves overlap on two cores. The spare connection is not used:
/// reading the interventions on it as well (a third thread, on two cores) measured slower
/// in a freshly started process (city, median of 12: 194 against 167 ms), where the
/// first screen is waiting.
///
/// # Errors
/// SQLite errors, and a date that is not `YYYY-MM-DD`.
pub fn deadline_rows<'a, S: DeadlineSink + Send>(
    db: impl Into<Readers<'a>>,
    filter: &Filter,
    today: NaiveDate,
    sink: &mut S,
) -> rusqlite::Result<()> {
    let conn = db.into().main;
    std::thread::scope(|scope| {
        let (send, batches) = mpsc::sync_channel::<Batch>(QUEUE);
        let (recycle, spare) = mpsc::channel::<Batch>();
        // The sink goes over once the thread exists; without one it stays here.
        let (give, given) = mpsc::sync_channel::<&mut S>(1);
        let taker = std::thread::Builder::new()
            .name("bevakningar".into())
            .spawn_scoped(scope, move || match given.recv() {
                Ok(sink) => take(&batches, &recycle, sink),
                Err(_) => Ok(()),
            });
        let Ok(taker) = taker else {
            // No thread to be had: the same, one batch after the other.
            return alone(conn, filter, today, sink);
        };
        // The taker waits for it; a send fails only if the taker is gone (then it panicked,
        // and the join below says so).
        let _ = give.send(sink);
        let read = read(conn, filter, today, |full| {
            send.send(full).ok()?;
            Some(spare.try_recv().unwrap_or_default())
        });
        drop(send);
        let taken = taker
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        // Reading stops when the taker stops on an error: that error is the cause.
        taken.and(read)
    })
}

/// [`deadline_rows`] on this thread only.
fn alone<S: DeadlineSink>(
    conn: &Connection,
    filter: &Filter,
    today: NaiveDate,
    sink: &mut S,
) -> rusqlite::Result<()> {
    let mut failed = None;
    let read = read(conn, filter, today, |full| match feed(&full, sink) {
        Ok(()) => Some(full),
        Err(e) => {
            failed = Some(e);
            None
        }
    });
    failed.map_or(read, Err)
}

/// Rows per batch, and batches on their way: enough to keep both threads busy, little
/// enough to stay in the processor's caches.
const BATCH: usize = 1024;
const QUEUE: usize = 4;

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

/// Rows of one table copied out of SQLite: each column a span of `text` (`None`: NULL).
#[derive(Debug, Default)]
struct Batch {
    table: Table,
    text: Vec<u8>,
    columns: Vec<Option<(usize, usize)>>,
}

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

    /// The bytes of column `c` of row `row`.
    fn get(&self, row: usize, c: usize) -> Option<&[u8]> {
        self.columns[row * self.width() + c].map(|(start, end)| &self.text[start..end])
    }
}

/// Runs the queries and hands their rows over in batches, in order; `hand` gives back an
/// empty batch to fill next, or `None` to stop reading (without error: the taker has one).
fn read(
    conn: &Connection,
    filter: &Filter,
    today: NaiveDate,
    mut hand: impl FnMut(Batch) -> Option<Batch>,
) -> rusqlite::Result<()> {
    let d = iso(today);
    let open = "opened <= :d AND (closed IS NULL OR closed > :d)";
    let only = filter.sql("");
    let filtered = !only.is_empty();
    let mut with_d = filter.params();
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
    let select = |t: Table| t.columns().join(", ");
    let queries = [
        (
            Table::Cases,
            format!(
                "SELECT {} FROM cases WHERE {open}{only}",
                select(Table::Cases)
            ),
            &*with_d,
        ),
        (
            Table::Applications,
            format!(
                "SELECT {} FROM applications WHERE decided IS NULL{of_cases}",
                select(Table::Applications)
            ),
            params,
        ),
        (
            Table::Interventions,
            format!(
                "SELECT {} FROM interventions
                 WHERE (end IS NULL OR end >= :d OR start IS NULL OR start > :d){of_cases}",
                select(Table::Interventions)
            ),
            params_d,
        ),
        (
            Table::Followups,
            format!(
                "SELECT {} FROM followups WHERE done IS NULL{of_cases}",
                select(Table::Followups)
            ),
            params,
        ),
    ];
    let mut batch = Batch::default();
    for (table, sql, params) in queries {
        let width = table.columns().len();
        batch.table = table;
        let mut st = conn.prepare_cached(&sql)?;
        let mut rows = st.query(params)?;
        while let Some(r) = rows.next()? {
            for c in 0..width {
                match r.get_ref(c)? {
                    ValueRef::Null => batch.columns.push(None),
                    ValueRef::Text(bytes) => {
                        let start = batch.text.len();
                        batch.text.extend_from_slice(bytes);
                        batch.columns.push(Some((start, batch.text.len())));
                    }
                    _ => return Err(not_text(r, c, FromSqlError::InvalidType)),
                }
            }
            if batch.columns.len() >= BATCH * width {
                let Some(next) = hand(batch) else {
                    return Ok(());
                };
                batch = next.emptied(table);
            }
        }
        if !batch.columns.is_empty() {
            let Some(next) = hand(batch) else {
                return Ok(());
            };
            batch = next;
        }
        batch = batch.emptied(table);
    }
    Ok(())
}

/// Gives the rows of every batch to `sink`, in order, and sends the emptied batches back.
fn take<S: DeadlineSink>(
    batches: &Receiver<Batch>,
    recycle: &Sender<Batch>,
    sink: &mut S,
) -> rusqlite::Result<()> {
    for batch in batches {
        feed(&batch, sink)?;
        // The reader may be done already; then the batch is simply dropped.
        let _ = recycle.send(batch);
    }
    Ok(())
}

/// Gives the rows of `batch` to `sink`.
fn feed<S: DeadlineSink>(batch: &Batch, sink: &mut S) -> rusqlite::Result<()> {
    for row in 0..batch.rows() {
        let r = Cols { batch, row };
        if batch.table == Table::Cases {
            sink.case(CaseRow {
                case_id: r.text(0)?,
                unit_id: r.text(1)?,
                team: r.opt_text(2)?,
                worker_id: r.opt_text(3)?,
                client_label: r.opt_text(4)?,
                opened: r.date(5)?,
                closed: r.opt_date(6)?,
            });
            continue;
        }
        // An id that is not UTF-8 names no case read (those are all UTF-8).
        let Some(case) = r.text(0).ok().and_then(|id| sink.find(id)) else {
            continue;
        };
        match batch.table {
            Table::Cases => {}
            Table::Applications => sink.application(
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
            Table::Interventions => sink.intervention(
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
            Table::Followups => sink.followup(
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

/// One row of a batch, read as `row.get` would: the same values and errors.
struct Cols<'a> {
    batch: &'a Batch,
    row: usize,
}

impl<'a> Cols<'a> {
    fn null(&self, c: usize) -> rusqlite::Error {
        rusqlite::Error::InvalidColumnType(c, self.batch.table.columns()[c].to_string(), Type::Null)
    }

    fn opt_text(&self, c: usize) -> rusqlite::Result<Option<&'a str>> {
        self.batch
            .get(self.row, c)
            .map(|b| {
                std::str::from_utf8(b).map_err(|e| {
                    rusqlite::Error::FromSqlConversionFailure(c, Type::Text, Box::new(e))
                })
            })
            .transpose()
    }

    fn text(&self, c: usize) -> rusqlite::Result<&'a str> {
        self.opt_text(c)?.ok_or_else(|| self.null(c))
    }

    fn opt_date(&self, c: usize) -> rusqlite::Result<Option<NaiveDate>> {
        let Some(bytes) = self.batch.get(self.row, c) else {
            return Ok(None);
        };
        if let Some(d) = quick_date(bytes) {
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

/// `YYYY-MM-DD` of ASCII digits, read without allocating. `None` for anything else, which
/// the general parser then decides (same result, same error).
fn quick_date(b: &[u8]) -> Option<NaiveDate> {
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let mut n = [0_u32; 8];
    for (out, &c) in n
        .iter_mut()
        .zip(b[..4].iter().chain(&b[5..7]).chain(&b[8..]))
    {
        if !c.is_ascii_digit() {
            return None;
        }
        *out = u32::from(c - b'0');
    }
    let year = n[0] * 1000 + n[1] * 100 + n[2] * 10 + n[3];
    NaiveDate::from_ymd_opt(
        i32::try_from(year).ok()?,
        n[4] * 10 + n[5],
        n[6] * 10 + n[7],
    )
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
    }

    impl DeadlineSink for Record {
        type Case = ();

        fn case(&mut self, row: CaseRow<'_>) {
            self.open.insert(row.case_id.to_string());
            self.rows.push(format!("{row:?}"));
        }

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
    }

    #[test]
    fn with_a_thread_or_without_the_sink_gets_the_same_rows_in_the_same_order() {
        let today = NaiveDate::from_ymd_opt(2014, 12, 31).expect("date");
        let data = crate::demo::build(today);
        let mut conn = Connection::open_in_memory().expect("memory");
        crate::snapshot::write::fill(&mut conn, &data).expect("fill");
        for filter in [
            Filter::default(),
            Filter {
                unit_id: Some(data.units[0].unit_id.clone()),
                team: None,
            },
        ] {
            let mut threaded = Record::default();
            deadline_rows(&conn, &filter, today, &mut threaded).expect("rows");
            let mut here = Record::default();
            alone(&conn, &filter, today, &mut here).expect("rows");
            // More than a batch: batches follow each other in order.
            assert!(threaded.rows.len() > 2 * BATCH, "{}", threaded.rows.len());
            assert_eq!(threaded.rows, here.rows);
        }
    }

    #[test]
    fn quick_dates_agree_with_the_general_parser() {
        for text in [
            "2014-12-31",
            "2016-02-29",
            "2015-02-29",
            "0000-01-01",
            "9999-12-31",
            "2014-00-10",
            "2014-13-01",
            "2014-04-31",
            "2014-12-00",
            "2014-1a-01",
            "+014-12-31",
            "2014-12-3 ",
            "2014/12/31",
            "2014-12-310",
            "",
        ] {
            let quick = quick_date(text.as_bytes());
            if quick.is_some() {
                assert_eq!(quick, crate::domain::dates::parse_iso(text), "{text:?}");
            }
        }
        assert_eq!(
            quick_date(b"2014-12-31"),
            NaiveDate::from_ymd_opt(2014, 12, 31)
        );
        assert_eq!(quick_date(b"2015-02-29"), None);
    }
}
