//! The rows of the handläggningstid review (DOMAIN.md "Handläggningstid", "Ej verkställt
//! beslut on D").
//!
//! A city's review covers some 300 000 decisions, so the applications are not collected into
//! owned rows: [`for_each_application`] hands each row to the caller borrowed from SQLite's
//! buffers, with its dates parsed, and the caller keeps what it needs in compact form.

use chrono::NaiveDate;
use rusqlite::types::ValueRef;
use rusqlite::{Connection, OptionalExtension, Row, named_params};

use std::collections::HashMap;

use super::{Filter, Part, collect, date_col, iso, opt_date_col, v2_column};
use crate::model::Sex;

/// One application the review needs, as the query steps through it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimingRow<'a> {
    /// Decided on or before the day asked for (and not before `from`).
    Decided {
        insats_code: &'a str,
        /// `applications.worker_id`, else the case's.
        worker_id: Option<&'a str>,
        received: NaiveDate,
        decided: NaiveDate,
        /// The case's kön (version 2; `None` in a version 1 file).
        sex: Option<Sex>,
    },
    /// Undecided on the day asked for (no decision, or a later one).
    Waiting {
        application_id: &'a str,
        case_id: &'a str,
        insats_code: &'a str,
        /// `applications.worker_id`, else the case's.
        worker_id: Option<&'a str>,
        received: NaiveDate,
        /// Whether the case is open on the day asked for (`opened <= today` and `closed`
        /// NULL or later): an application waits only while its case is open. `None` where
        /// the caller said it need not know (see [`for_each_application`]).
        case_open: Option<bool>,
    },
}

/// The (filtered) cases' applications that are undecided on `today` or decided from `from`
/// to `today`: the rows of DOMAIN.md "Handläggningstid". Each is handed to `each` in no
/// particular order; the statistics are computed in [`crate::domain::processing`].
///
/// Without a unit or team filter the applications table is read straight through (the
/// window holds half of it in the city demo, which a scan reads several times faster than
/// `applications_by_decided` and a look-up per row), and a case is looked up only for an
/// application without its own handläggare or one still waiting. With a filter the cases
/// are searched by `cases_by_unit` and their applications by `applications_by_case`. Both
/// orders are fixed (`NOT INDEXED`, `CROSS JOIN`): with other statistics, or none, the
/// planner took the index for the window and was six times slower on the city file.
///
/// Of an application undecided on `today` only the caller knows whether its case matters
/// (only one waiting past its insats type's target is listed, and only while its case is
/// open): `needs_case(insats_code, received)` says so, and where it does not the case is not
/// looked up. A day in the past leaves a hundred thousand applications of the city demo
/// undecided on it, nearly all of them within their target.
///
/// Each decision carries its case's kön (version 2; a version 1 file has none). With a
/// filter it comes with the join; without one, the case's handläggare (where the
/// application has none) and kön come from `cases` ([`CaseMap::load`]): looked up in SQL,
/// half a million decisions took seconds.
///
/// Only the applications whose rowid is within `part` are read. Without a filter they come
/// in rowid order, so the part below a rowid and then the part from it hand over the rows in
/// the order of reading them all.
///
/// # Errors
/// SQLite errors, and a date that is not `YYYY-MM-DD`.
// The bounds, the day, the part and the version each narrow the one statement; a struct of
// them would only be unpacked again here.
#[allow(clippy::too_many_arguments)]
pub fn for_each_application(
    conn: &Connection,
    filter: &Filter,
    from: NaiveDate,
    today: NaiveDate,
    part: Part<'_, i64>,
    cases: &CaseMap,
    mut needs_case: impl FnMut(&str, NaiveDate) -> bool,
    mut each: impl FnMut(TimingRow<'_>),
) -> rusqlite::Result<()> {
    // Columns: decided, received, insats_code, the handläggare, application_id, case_id,
    // and with a filter whether the case is open on today (without one that is asked only
    // for the few waiting applications: as a column it cost a comparison on every row).
    let filtered = !filter.sql("c").is_empty();
    let rowids = part.sql("a.rowid", ":from_rowid", ":below_rowid");
    let sql = if filtered {
        format!(
            "SELECT a.decided, a.received, a.insats_code, COALESCE(a.worker_id, c.worker_id),
                    a.application_id, a.case_id,
                    c.opened <= :today AND (c.closed IS NULL OR c.closed > :today),
                    {}
             FROM cases AS c
             CROSS JOIN applications AS a ON a.case_id = c.case_id
             WHERE (a.decided IS NULL OR a.decided >= :from){}{rowids}",
            v2_column(cases.v2, "c.sex"),
            filter.sql("c")
        )
    } else {
        format!(
            "SELECT a.decided, a.received, a.insats_code, a.worker_id,
                    a.application_id, a.case_id
             FROM applications AS a NOT INDEXED
             WHERE (a.decided IS NULL OR a.decided >= :from){rowids}"
        )
    };
    let from_text = iso(from);
    let today_text = iso(today);
    let mut params = filter.params();
    params.push((":from", &from_text));
    if filtered {
        params.push((":today", &today_text));
    }
    if let Some(rowid) = &part.from {
        params.push((":from_rowid", rowid));
    }
    if let Some(rowid) = &part.below {
        params.push((":below_rowid", rowid));
    }
    let mut case_open = conn.prepare_cached(
        "SELECT opened <= :today AND (closed IS NULL OR closed > :today)
         FROM cases WHERE case_id = :case",
    )?;
    let mut st = conn.prepare_cached(&sql)?;
    let mut rows = st.query(params.as_slice())?;
    while let Some(r) = rows.next()? {
        if part.stop.is_set() {
            break;
        }
        let decided = opt_day(r, 0)?;
        let received = day(r, 1)?;
        let insats_code = text(r, 2)?;
        let (worker_id, sex) = if filtered {
            (opt_text(r, 3)?, None)
        } else {
            let case = cases.get(text(r, 5)?);
            (
                opt_text(r, 3)?.or_else(|| case.and_then(|c| c.0)),
                case.and_then(|c| c.1),
            )
        };
        match decided {
            Some(decided) if decided <= today => each(TimingRow::Decided {
                insats_code,
                worker_id,
                received,
                decided,
                sex: if filtered { sex_col(r, 7)? } else { sex },
            }),
            _ => {
                let case_id = text(r, 5)?;
                let open = if filtered {
                    Some(r.get(6)?)
                } else if needs_case(insats_code, received) {
                    // No case, no row: as the join with a filter leaves it out.
                    let Some(open) = case_open
                        .query_row(
                            named_params! {":today": today_text, ":case": case_id},
                            |c| c.get(0),
                        )
                        .optional()?
                    else {
                        continue;
                    };
                    Some(open)
                } else {
                    None
                };
                each(TimingRow::Waiting {
                    application_id: text(r, 4)?,
                    case_id,
                    insats_code,
                    worker_id,
                    received,
                    case_open: open,
                });
            }
        }
    }
    Ok(())
}

/// A rowid near the middle of the applications, where [`for_each_application`] can split
/// its reading into two parts of about the same length; `None` without applications.
///
/// # Errors
/// SQLite errors.
pub fn application_rowid_middle(conn: &Connection) -> rusqlite::Result<Option<i64>> {
    super::rowid_middle(conn, super::RowidTable::Applications)
}

/// A rowid near the middle of the interventions, where [`for_each_start`] splits its
/// reading in two; `None` without interventions.
///
/// # Errors
/// SQLite errors.
pub fn intervention_rowid_middle(conn: &Connection) -> rusqlite::Result<Option<i64>> {
    super::rowid_middle(conn, super::RowidTable::Interventions)
}

/// A TEXT column borrowed from the row (no String per row); errors as `Row::get` words them.
fn text<'r>(r: &'r Row<'_>, idx: usize) -> rusqlite::Result<&'r str> {
    as_text(r, idx, r.get_ref(idx)?)
}

fn opt_text<'r>(r: &'r Row<'_>, idx: usize) -> rusqlite::Result<Option<&'r str>> {
    match r.get_ref(idx)? {
        ValueRef::Null => Ok(None),
        value => as_text(r, idx, value).map(Some),
    }
}

fn as_text<'r>(r: &Row<'_>, idx: usize, value: ValueRef<'r>) -> rusqlite::Result<&'r str> {
    match value {
        ValueRef::Text(bytes) => {
            std::str::from_utf8(bytes).map_err(|e| rusqlite::Error::Utf8Error(idx, e))
        }
        other => Err(rusqlite::Error::InvalidColumnType(
            idx,
            r.as_ref().column_name(idx).unwrap_or("").to_string(),
            other.data_type(),
        )),
    }
}

/// A `YYYY-MM-DD` column as a date: the digits read directly (the review reads 300 000
/// pairs of them), anything else as [`date_col`] reads it, so both accept the same dates.
fn day(r: &Row<'_>, idx: usize) -> rusqlite::Result<NaiveDate> {
    if let ValueRef::Text(bytes) = r.get_ref(idx)?
        && let Some(date) = digits_date(bytes)
    {
        return Ok(date);
    }
    date_col(r, idx)
}

fn opt_day(r: &Row<'_>, idx: usize) -> rusqlite::Result<Option<NaiveDate>> {
    match r.get_ref(idx)? {
        ValueRef::Null => Ok(None),
        ValueRef::Text(bytes) => match digits_date(bytes) {
            Some(date) => Ok(Some(date)),
            None => opt_date_col(r, idx),
        },
        _ => opt_date_col(r, idx),
    }
}

/// `YYYY-MM-DD` of ASCII digits, a valid day; `None` for anything else.
fn digits_date(bytes: &[u8]) -> Option<NaiveDate> {
    let [y1, y2, y3, y4, b'-', m1, m2, b'-', d1, d2] = *bytes else {
        return None;
    };
    let digit = |b: u8| b.is_ascii_digit().then(|| u32::from(b - b'0'));
    let year = ((digit(y1)? * 10 + digit(y2)?) * 10 + digit(y3)?) * 10 + digit(y4)?;
    let month = digit(m1)? * 10 + digit(m2)?;
    let day = digit(d1)? * 10 + digit(d2)?;
    NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)
}

/// A decided intervention not started on the day asked for, with its case's handläggare,
/// client label, closing and kön.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingIntervention {
    pub intervention_id: String,
    pub case_id: String,
    pub insats_code: String,
    pub decided: NaiveDate,
    pub start: Option<NaiveDate>,
    pub end: Option<NaiveDate>,
    pub case_closed: Option<NaiveDate>,
    pub worker_id: Option<String>,
    pub client_label: Option<String>,
    pub sex: Option<Sex>,
}

impl PendingIntervention {
    /// When the decision stops waiting (DOMAIN.md version 2): the earliest of its start,
    /// its end and its case's closing; `None` while none is set.
    #[must_use]
    pub fn stop(&self) -> Option<NaiveDate> {
        [self.start, self.end, self.case_closed]
            .into_iter()
            .flatten()
            .min()
    }
}

/// The interventions of the (filtered) cases that are decided and still wait for
/// verkställighet on `today`: decided on or before it, and not started, ended or closed
/// on or before it (DOMAIN.md version 2 "Waiting for verkställighet"). The three months
/// are counted in [`crate::domain::processing`].
///
/// Few interventions are unstarted (about one in 300 in the city demo). Without a filter
/// they are picked by rowid first: `interventions_by_start` finds them, and in a snapshot
/// written before that index a pass over another index holding `start` (far narrower than
/// the table) does; only then are their rows and cases read. With a filter the cases are
/// searched by `cases_by_unit` and their interventions by `interventions_by_case`. Left to
/// itself the planner could choose to walk every open case's interventions (a quarter of the
/// review's time on the city file).
///
/// # Errors
/// SQLite errors.
pub fn pending_interventions(
    conn: &Connection,
    filter: &Filter,
    today: NaiveDate,
    v2: bool,
) -> rusqlite::Result<Vec<PendingIntervention>> {
    let d = iso(today);
    let mut params = filter.params();
    params.push((":d", &d));
    let select = format!(
        "SELECT i.intervention_id, i.case_id, i.insats_code, i.decided, i.start,
                c.worker_id, c.client_label, i.end, c.closed, {}",
        v2_column(v2, "c.sex")
    );
    let conditions = "i.decided IS NOT NULL AND i.decided <= :d
               AND (i.end IS NULL OR i.end > :d) AND (c.closed IS NULL OR c.closed > :d)";
    let sql = if filter.sql("c").is_empty() {
        format!(
            "{select}
             FROM interventions AS i CROSS JOIN cases AS c ON c.case_id = i.case_id
             WHERE i.rowid IN (SELECT rowid FROM interventions
                               WHERE start IS NULL OR start > :d)
               AND {conditions}
             ORDER BY i.decided, i.intervention_id"
        )
    } else {
        format!(
            "{select}
             FROM cases AS c CROSS JOIN interventions AS i ON i.case_id = c.case_id
             WHERE (i.start IS NULL OR i.start > :d) AND {conditions}{}
             ORDER BY i.decided, i.intervention_id",
            filter.sql("c")
        )
    };
    collect(conn, &sql, &params, |r| {
        Ok(PendingIntervention {
            intervention_id: r.get(0)?,
            case_id: r.get(1)?,
            insats_code: r.get(2)?,
            decided: date_col(r, 3)?,
            start: opt_date_col(r, 4)?,
            worker_id: r.get(5)?,
            client_label: r.get(6)?,
            end: opt_date_col(r, 7)?,
            case_closed: opt_date_col(r, 8)?,
            sex: sex_col(r, 9)?,
        })
    })
}

/// A started decision, as [`for_each_start`] steps through them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StartRow<'a> {
    pub insats_code: &'a str,
    /// The case's handläggare.
    pub worker_id: Option<&'a str>,
    pub decided: NaiveDate,
    pub start: NaiveDate,
    pub sex: Option<Sex>,
}

/// The (filtered) cases' decided interventions that started from `from` to `today`: the
/// rows of DOMAIN.md "Verkställighetstid", handed to `each` in no particular order.
///
/// # Errors
/// SQLite errors, a date that is not `YYYY-MM-DD`, a kön that is not `K` or `M`.
// As `for_each_application`: each argument narrows the one statement.
#[allow(clippy::too_many_arguments)]
pub fn for_each_start(
    conn: &Connection,
    filter: &Filter,
    from: NaiveDate,
    today: NaiveDate,
    cases: &CaseMap,
    part: Part<'_, i64>,
    mut each: impl FnMut(StartRow<'_>),
) -> rusqlite::Result<()> {
    let (from, today) = (iso(from), iso(today));
    let mut params = filter.params();
    params.push((":from", &from));
    params.push((":today", &today));
    if let Some(rowid) = &part.from {
        params.push((":from_rowid", rowid));
    }
    if let Some(rowid) = &part.below {
        params.push((":below_rowid", rowid));
    }
    let rowids = part.sql("i.rowid", ":from_rowid", ":below_rowid");
    let filtered = !filter.sql("c").is_empty();
    // With a filter its cases are searched by `cases_by_unit` and their interventions by
    // `interventions_by_case`; without one the table is read straight through (a search
    // of `interventions_by_start` and of the case per row took seconds for the city) and
    // the case looked up in `cases`.
    let sql = if filtered {
        format!(
            "SELECT i.insats_code, i.case_id, i.decided, i.start, c.worker_id, {}
             FROM cases AS c CROSS JOIN interventions AS i ON i.case_id = c.case_id
             WHERE i.decided IS NOT NULL AND i.start >= :from AND i.start <= :today{}{rowids}",
            v2_column(cases.v2, "c.sex"),
            filter.sql("c")
        )
    } else {
        format!(
            "SELECT i.insats_code, i.case_id, i.decided, i.start
             FROM interventions AS i NOT INDEXED
             WHERE i.decided IS NOT NULL AND i.start >= :from AND i.start <= :today{rowids}"
        )
    };
    let mut st = conn.prepare_cached(&sql)?;
    let mut rows = st.query(params.as_slice())?;
    while let Some(r) = rows.next()? {
        if part.stop.is_set() {
            break;
        }
        let (worker_id, sex) = if filtered {
            (opt_text(r, 4)?, sex_col(r, 5)?)
        } else {
            // No case, no row: as the join with a filter leaves it out.
            let Some(case) = cases.get(text(r, 1)?) else {
                continue;
            };
            case
        };
        each(StartRow {
            insats_code: text(r, 0)?,
            worker_id,
            decided: day(r, 2)?,
            start: day(r, 3)?,
            sex,
        });
    }
    Ok(())
}

/// Every case's handläggare and kön, for the reviews that read the whole city without a
/// filter: a hash look-up per row instead of a search of `cases` per row.
#[derive(Debug, Default)]
pub struct CaseMap {
    /// Whether the snapshot is version 2 (has `cases.sex`).
    pub v2: bool,
    /// Each part read.
    parts: Vec<CasePart>,
}

/// The cases of one part, compact (some 26 bytes a case rather than 46 as a map of boxed
/// ids: six cities' 886 000 cases took 41 MB of the review's peak, issue 16): the ids one
/// after the other in one string, and a table of their positions by the ids' hashes.
#[derive(Debug, Default)]
struct CasePart {
    /// Every case's id, one after the other.
    ids: String,
    /// Where each case's id ends in `ids`; it starts where the one before ends.
    ends: Vec<u32>,
    /// Each case's handläggare (index into `workers`, 0: none) times 4, plus its kön: 0 none,
    /// 1 K, 2 M.
    infos: Vec<u32>,
    /// Positions (into `ends` and `infos`) by the hash of their id.
    table: hashbrown::HashTable<u32>,
    workers: Vec<Box<str>>,
}

fn hash_id(id: &str) -> u64 {
    use std::hash::BuildHasher;
    rustc_hash::FxBuildHasher.hash_one(id)
}

/// The id at `at` of ids kept one after the other in `ids`, ending at `ends`.
fn id_at<'a>(ids: &'a str, ends: &[u32], at: u32) -> &'a str {
    let at = at as usize;
    let start = at.checked_sub(1).map_or(0, |before| ends[before] as usize);
    &ids[start..ends[at] as usize]
}

impl CasePart {
    /// The id of the case at `at`.
    fn id(&self, at: u32) -> &str {
        id_at(&self.ids, &self.ends, at)
    }

    /// The position of `id`, if present.
    fn position(&self, id: &str) -> Option<u32> {
        self.table
            .find(hash_id(id), |&at| self.id(at) == id)
            .copied()
    }

    /// Adds a case (a second row with the same id, which the snapshot's key rules out, is
    /// not added: the first is kept). `None` when the ids or handläggare outgrow the
    /// 32-bit positions, some 4 GB of ids.
    fn insert(&mut self, id: &str, worker: u32, sex: Option<Sex>) -> Option<()> {
        let at = u32::try_from(self.ends.len()).ok()?;
        let end = u32::try_from(self.ids.len() + id.len()).ok()?;
        let sex = match sex {
            None => 0,
            Some(Sex::K) => 1,
            Some(Sex::M) => 2,
        };
        let info = worker.checked_mul(4)? | sex;
        let (ids, ends) = (&self.ids, &self.ends);
        match self.table.entry(
            hash_id(id),
            |&p| id_at(ids, ends, p) == id,
            |&p| hash_id(id_at(ids, ends, p)),
        ) {
            hashbrown::hash_table::Entry::Occupied(_) => return Some(()),
            hashbrown::hash_table::Entry::Vacant(v) => {
                v.insert(at);
            }
        }
        self.ids.push_str(id);
        self.ends.push(end);
        self.infos.push(info);
        Some(())
    }

    fn get(&self, case_id: &str) -> Option<(Option<&str>, Option<Sex>)> {
        let info = self.infos[self.position(case_id)? as usize];
        let w = info / 4;
        let worker = (w != 0)
            .then(|| self.workers.get(w as usize).map(AsRef::as_ref))
            .flatten();
        let sex = match info % 4 {
            1 => Some(Sex::K),
            2 => Some(Sex::M),
            _ => None,
        };
        Some((worker, sex))
    }
}

impl CaseMap {
    /// No cases: for a filtered load, whose joins bring the case's columns.
    #[must_use]
    pub fn empty(v2: bool) -> Self {
        Self {
            v2,
            ..Self::default()
        }
    }

    /// Every case of the snapshot.
    ///
    /// # Errors
    /// SQLite errors, and a kön other than `K` or `M`.
    pub fn load(conn: &Connection) -> rusqlite::Result<Self> {
        Self::load_part(conn, Part::all(&crate::snapshot::Stop::default()))
    }

    /// The cases of rowids within `part` (two parts read at once on two connections, then
    /// [`CaseMap::join`]ed).
    ///
    /// # Errors
    /// SQLite errors, and a kön other than `K` or `M`.
    pub fn load_part(conn: &Connection, part: Part<'_, i64>) -> rusqlite::Result<Self> {
        let v2 = super::has_v2(conn)?;
        let mut map = CasePart::default();
        map.workers.push(Box::from(""));
        // Sized once (rowids are numbered one by one by the writer): growing the table
        // step by step rehashed every case several times.
        let capacity = super::case_capacity(conn, &part)?;
        map.table.reserve(capacity, |_| 0);
        map.ends.reserve_exact(capacity);
        map.infos.reserve_exact(capacity);
        let mut worker_index: HashMap<Box<str>, u32, rustc_hash::FxBuildHasher> =
            HashMap::default();
        let rowids = part.sql("rowid", ":from_rowid", ":below_rowid");
        let mut params: Vec<(&str, &dyn rusqlite::ToSql)> = Vec::new();
        if let Some(rowid) = &part.from {
            params.push((":from_rowid", rowid));
        }
        if let Some(rowid) = &part.below {
            params.push((":below_rowid", rowid));
        }
        let mut st = conn.prepare_cached(&format!(
            "SELECT case_id, worker_id, {} FROM cases WHERE 1{rowids}",
            v2_column(v2, "sex")
        ))?;
        let mut rows = st.query(params.as_slice())?;
        while let Some(r) = rows.next()? {
            if part.stop.is_set() {
                break;
            }
            let worker = match opt_text(r, 1)? {
                None => 0,
                Some(w) => {
                    if let Some(&i) = worker_index.get(w) {
                        i
                    } else {
                        let i = u32::try_from(map.workers.len()).unwrap_or(u32::MAX);
                        map.workers.push(Box::from(w));
                        worker_index.insert(Box::from(w), i);
                        i
                    }
                }
            };
            if map.insert(text(r, 0)?, worker, sex_col(r, 2)?).is_none() {
                return Err(rusqlite::Error::FromSqlConversionFailure(
                    0,
                    rusqlite::types::Type::Text,
                    "cases: fler ärenden eller längre ärende-id än granskningen rymmer".into(),
                ));
            }
        }
        Ok(Self {
            v2,
            parts: vec![map],
        })
    }

    /// Both parts' cases.
    #[must_use]
    pub fn join(mut self, other: CaseMap) -> Self {
        self.parts.extend(other.parts);
        self
    }

    /// A case's handläggare and kön; `None` for a case the snapshot does not have.
    #[must_use]
    pub fn get(&self, case_id: &str) -> Option<(Option<&str>, Option<Sex>)> {
        self.parts.iter().find_map(|part| part.get(case_id))
    }
}

/// A `cases.sex` column: `K`, `M` or NULL; anything else is an error naming the value.
pub(crate) fn sex_col(r: &Row<'_>, idx: usize) -> rusqlite::Result<Option<Sex>> {
    match r.get_ref(idx)? {
        ValueRef::Null => Ok(None),
        ValueRef::Text(b"K") => Ok(Some(Sex::K)),
        ValueRef::Text(b"M") => Ok(Some(Sex::M)),
        other => Err(rusqlite::Error::FromSqlConversionFailure(
            idx,
            other.data_type(),
            format!(
                "cases.sex: ogiltigt kön {:?}, väntade K, M eller tomt",
                String::from_utf8_lossy(other.as_bytes().unwrap_or(b"?"))
            )
            .into(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The case map read in two parts gives every case's handläggare and kön as the rows
    /// hold them, and nothing for an id it does not have (ids of every length, some sharing
    /// a prefix, with å, ä, ö).
    #[test]
    fn the_case_map_gives_each_case_as_its_row() {
        let conn = Connection::open_in_memory().expect("memory");
        conn.execute_batch(
            "PRAGMA user_version = 2;
             CREATE TABLE cases (case_id TEXT PRIMARY KEY NOT NULL, worker_id TEXT, sex TEXT);",
        )
        .expect("table");
        let mut want = Vec::new();
        for n in 0..3000_u32 {
            let id = match n % 4 {
                0 => format!("C{n}"),
                1 => format!("ÄRENDE-åäö-{n:07}"),
                2 => format!("C{n}-{}", "x".repeat((n % 40) as usize)),
                _ => format!("{n}"),
            };
            let worker = (n % 7 != 0).then(|| format!("H{}", n % 13));
            let sex = match n % 3 {
                0 => Some(Sex::K),
                1 => Some(Sex::M),
                _ => None,
            };
            conn.execute(
                "INSERT INTO cases VALUES (?1, ?2, ?3)",
                rusqlite::params![id, worker, sex.map(Sex::as_str)],
            )
            .expect("insert");
            want.push((id, worker, sex));
        }
        let stop = crate::snapshot::Stop::default();
        let lower = CaseMap::load_part(
            &conn,
            Part {
                below: Some(1500),
                ..Part::all(&stop)
            },
        )
        .expect("lower");
        let upper = CaseMap::load_part(
            &conn,
            Part {
                from: Some(1500),
                ..Part::all(&stop)
            },
        )
        .expect("upper");
        let map = lower.join(upper);
        assert!(map.v2);
        for (id, worker, sex) in &want {
            assert_eq!(map.get(id), Some((worker.as_deref(), *sex)), "{id}");
        }
        for missing in ["", "C", "C3000", "ÄRENDE-åäö-", "c0", "C1 "] {
            assert_eq!(map.get(missing), None, "{missing:?}");
        }
    }

    #[test]
    fn digits_read_as_the_iso_parser_reads_them() {
        for text in [
            "2014-12-31",
            "2016-02-29",
            "2015-02-29",
            "2014-13-01",
            "2014-00-10",
            "0000-01-01",
            "2014-1-310",
            "2014/12/31",
            "+014-12-31",
            "2014-12-3x",
            "2014-12-31 ",
        ] {
            let fast = digits_date(text.as_bytes());
            let slow = crate::domain::dates::parse_iso(text);
            assert!(
                fast.is_none() || fast == slow,
                "{text}: {fast:?} against {slow:?}"
            );
            if text.bytes().all(|b| b.is_ascii_digit() || b == b'-') && text.len() == 10 {
                assert_eq!(fast, slow, "{text}");
            }
        }
    }
}
