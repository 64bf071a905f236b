//! The rows of the bevakningslista (DOMAIN.md "Deadlines").
//!
//! The rows are streamed into a [`DeadlineSink`], borrowed from SQLite's row buffer: no
//! row is collected and no string allocated here, so a city-wide list (hundreds of
//! thousands of rows read) costs the items it produces, not the rows it reads.

use chrono::NaiveDate;
use rusqlite::types::{FromSqlError, Type, ValueRef};
use rusqlite::{Connection, Row, ToSql};

use super::{Filter, date_col, iso, opt_date_col};

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
/// # Errors
/// SQLite errors, and a date that is not `YYYY-MM-DD`.
pub fn deadline_rows<S: DeadlineSink>(
    conn: &Connection,
    filter: &Filter,
    today: NaiveDate,
    sink: &mut S,
) -> rusqlite::Result<()> {
    let d = iso(today);
    let open = "opened <= :d AND (closed IS NULL OR closed > :d)";
    let only = filter.sql("");
    let filtered = !only.is_empty();
    let mut with_d = filter.params();
    with_d.push((":d", &d));
    // The rows of other cases than the filter's are left out in SQL only when filtered.
    let (of_cases, params): (String, &[(&str, &dyn ToSql)]) = if filtered {
        (
            format!(" AND case_id IN (SELECT case_id FROM cases WHERE {open}{only})"),
            &with_d,
        )
    } else {
        (String::new(), &[])
    };

    let mut st = conn.prepare_cached(&format!(
        "SELECT case_id, unit_id, team, worker_id, client_label, opened, closed FROM cases
         WHERE {open}{only}"
    ))?;
    let mut rows = st.query(&*with_d)?;
    while let Some(r) = rows.next()? {
        sink.case(CaseRow {
            case_id: text(r, 0)?,
            unit_id: text(r, 1)?,
            team: opt_text(r, 2)?,
            worker_id: opt_text(r, 3)?,
            client_label: opt_text(r, 4)?,
            opened: date(r, 5)?,
            closed: opt_date(r, 6)?,
        });
    }

    let mut st = conn.prepare_cached(&format!(
        "SELECT case_id, application_id, insats_code, received, investigation_started, decided,
                worker_id
         FROM applications WHERE decided IS NULL{of_cases}"
    ))?;
    let mut rows = st.query(params)?;
    while let Some(r) = rows.next()? {
        let Some(case) = sink.find(text(r, 0)?) else {
            continue;
        };
        let row = ApplicationRow {
            application_id: text(r, 1)?,
            insats_code: text(r, 2)?,
            received: date(r, 3)?,
            investigation_started: opt_date(r, 4)?,
            decided: opt_date(r, 5)?,
            worker_id: opt_text(r, 6)?,
        };
        sink.application(case, row);
    }

    let mut st = conn.prepare_cached(&format!(
        "SELECT case_id, intervention_id, insats_code, decided, start, end, ordered,
                plan_received, last_followup
         FROM interventions
         WHERE (end IS NULL OR end >= :d OR start IS NULL OR start > :d){of_cases}"
    ))?;
    let only_d: [(&str, &dyn ToSql); 1] = [(":d", &d)];
    let mut rows = st.query(if filtered { &*with_d } else { &only_d })?;
    while let Some(r) = rows.next()? {
        let Some(case) = sink.find(text(r, 0)?) else {
            continue;
        };
        let row = InterventionRow {
            intervention_id: text(r, 1)?,
            insats_code: text(r, 2)?,
            decided: opt_date(r, 3)?,
            start: opt_date(r, 4)?,
            end: opt_date(r, 5)?,
            ordered: opt_date(r, 6)?,
            plan_received: opt_date(r, 7)?,
            last_followup: opt_date(r, 8)?,
        };
        sink.intervention(case, row);
    }

    let mut st = conn.prepare_cached(&format!(
        "SELECT case_id, followup_id, kind, due, done, worker_id, note FROM followups
         WHERE done IS NULL{of_cases}"
    ))?;
    let mut rows = st.query(params)?;
    while let Some(r) = rows.next()? {
        let Some(case) = sink.find(text(r, 0)?) else {
            continue;
        };
        let row = FollowupRow {
            followup_id: text(r, 1)?,
            kind: text(r, 2)?,
            due: date(r, 3)?,
            done: opt_date(r, 4)?,
            worker_id: opt_text(r, 5)?,
            note: opt_text(r, 6)?,
        };
        sink.followup(case, row);
    }
    Ok(())
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

/// A TEXT column, borrowed from the row.
fn text<'r>(r: &'r Row<'_>, idx: usize) -> rusqlite::Result<&'r str> {
    r.get_ref(idx)?.as_str().map_err(|e| not_text(r, idx, e))
}

fn opt_text<'r>(r: &'r Row<'_>, idx: usize) -> rusqlite::Result<Option<&'r str>> {
    r.get_ref(idx)?
        .as_str_or_null()
        .map_err(|e| not_text(r, idx, e))
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

fn date(r: &Row<'_>, idx: usize) -> rusqlite::Result<NaiveDate> {
    if let ValueRef::Text(b) = r.get_ref(idx)?
        && let Some(d) = quick_date(b)
    {
        return Ok(d);
    }
    date_col(r, idx)
}

fn opt_date(r: &Row<'_>, idx: usize) -> rusqlite::Result<Option<NaiveDate>> {
    let value = r.get_ref(idx)?;
    if let ValueRef::Text(b) = value
        && let Some(d) = quick_date(b)
    {
        return Ok(Some(d));
    }
    if matches!(value, ValueRef::Null) {
        return Ok(None);
    }
    opt_date_col(r, idx)
}

#[cfg(test)]
mod tests {
    use super::*;

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
