//! The queries the views need, one function per question, returning typed values.
//!
//! Counting is done in SQL so that it scales with the indexes of `db/schema.sql` rather than
//! by loading every row; each query states the DOMAIN.md rule it implements, and the
//! integration tests check it against an independent computation from the rows.

use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, Row, named_params};

use crate::model::{CaseWorker, InsatsType, Sex, Unit};
use crate::snapshot::Stop;

mod cases;
mod dataset;
mod deadlines;
mod ivo;
mod processing;

pub use cases::{
    DecidedRow, Span, case_applications, case_by_id, case_followups, case_interruptions,
    case_interventions, cases_of, decided_between, insats_spans, started_between,
};

pub use dataset::dataset;
pub use deadlines::{
    ApplicationRow, CaseRow, CaseSink, DeadlineSink, DueBy, FollowupRow, InterventionRow, RowSink,
    deadline_rows, deadline_rows_due_by, deadline_rows_of_worker,
};
pub use ivo::{ivo_candidates, ivo_candidates_kept};
pub use processing::{
    CaseMap, PendingIntervention, StartRow, TimingRow, application_rowid_middle,
    for_each_application, for_each_start, intervention_rowid_middle, pending_interventions,
};

/// Which part of the snapshot a view looks at. `None` means all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub unit_id: Option<String>,
    pub team: Option<String>,
}

impl Filter {
    /// The filter as SQL conditions on the cases (or case_workers) table `alias`, each
    /// starting with " AND ": only the parts that are set, so that SQLite can search
    /// `cases_by_unit` instead of scanning (`:unit IS NULL OR unit_id = :unit` never uses an
    /// index). Bind the values with [`Filter::params`].
    #[must_use]
    pub(crate) fn sql(&self, alias: &str) -> String {
        let mut out = String::new();
        let dot = if alias.is_empty() { "" } else { "." };
        if self.unit_id.is_some() {
            out.push_str(&format!(" AND {alias}{dot}unit_id = :unit"));
        }
        if self.team.is_some() {
            out.push_str(&format!(" AND {alias}{dot}team = :team"));
        }
        out
    }

    /// The named parameters [`Filter::sql`] refers to.
    #[must_use]
    pub(crate) fn params(&self) -> Vec<(&'static str, &dyn rusqlite::ToSql)> {
        let mut out: Vec<(&'static str, &dyn rusqlite::ToSql)> = Vec::new();
        if let Some(u) = &self.unit_id {
            out.push((":unit", u));
        }
        if let Some(t) = &self.team {
            out.push((":team", t));
        }
        out
    }
}

/// The rows a query reads on one side of [`Readers::both`](crate::snapshot::Readers::both):
/// those whose key is from `from` (if set) and below `below` (if set), the key being what
/// the query says (a rowid, a key of an index). The query returns early, with what it has
/// so far, once `stop` is set: the other side has failed, and this side's result is dropped.
#[derive(Debug, Clone, Copy)]
pub struct Part<'s, K> {
    pub from: Option<K>,
    pub below: Option<K>,
    pub stop: &'s Stop,
}

impl<'s, K> Part<'s, K> {
    /// Every row.
    #[must_use]
    pub fn all(stop: &'s Stop) -> Self {
        Self {
            from: None,
            below: None,
            stop,
        }
    }

    /// The bounds as SQL conditions on `key` (a column or a row value), each starting with
    /// " AND ": `key >= {from}` and `key < {below}` for those set, `from` and `below` naming
    /// the parameters (or rows of them) that hold the bounds.
    fn sql(&self, key: &str, from: &str, below: &str) -> String {
        let mut out = String::new();
        if self.from.is_some() {
            out.push_str(&format!(" AND {key} >= {from}"));
        }
        if self.below.is_some() {
            out.push_str(&format!(" AND {key} < {below}"));
        }
        out
    }
}

pub(crate) fn iso(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

pub(crate) fn collect<T>(
    conn: &Connection,
    sql: &str,
    params: &[(&str, &dyn rusqlite::ToSql)],
    map: impl FnMut(&Row<'_>) -> rusqlite::Result<T>,
) -> rusqlite::Result<Vec<T>> {
    let mut st = conn.prepare_cached(sql)?;
    st.query_map(params, map)?.collect()
}

/// Every unit, in the order the producer wrote them.
///
/// # Errors
/// SQLite errors.
pub fn units(conn: &Connection) -> rusqlite::Result<Vec<Unit>> {
    collect(
        conn,
        "SELECT unit_id, name, district, area FROM units ORDER BY rowid",
        &[],
        |r| {
            Ok(Unit {
                unit_id: r.get(0)?,
                name: r.get(1)?,
                district: r.get(2)?,
                area: r.get(3)?,
            })
        },
    )
}

/// The teams (arbetsgrupper) in use by cases or handläggare of a unit (all units for `None`).
///
/// The cases' teams are found as distinct (unit, team) pairs, which SQLite reads off the
/// order of `cases_by_unit`; distinct teams alone sorted every case's team in a temporary
/// table (158 ms at six cities, on the way to the first screen; now 5).
///
/// # Errors
/// SQLite errors.
pub fn teams(conn: &Connection, unit_id: Option<&str>) -> rusqlite::Result<Vec<String>> {
    let filter = Filter {
        unit_id: unit_id.map(str::to_string),
        team: None,
    };
    let only = filter.sql("");
    collect(
        conn,
        &format!(
            "SELECT team FROM (SELECT DISTINCT unit_id, team FROM cases
                               WHERE team IS NOT NULL{only})
             UNION
             SELECT team FROM case_workers WHERE team IS NOT NULL{only}
             ORDER BY 1"
        ),
        &filter.params(),
        |r| r.get(0),
    )
}

/// Every insats type, in the order the producer wrote them (the order of the seeds' tables).
///
/// # Errors
/// SQLite errors.
pub fn insats_types(conn: &Connection) -> rusqlite::Result<Vec<InsatsType>> {
    collect(
        conn,
        "SELECT insats_code, name, area, law, target_days FROM insats_types ORDER BY rowid",
        &[],
        |r| {
            Ok(InsatsType {
                insats_code: r.get(0)?,
                name: r.get(1)?,
                area: r.get(2)?,
                law: r.get(3)?,
                target_days: r.get(4)?,
            })
        },
    )
}

/// A `case_workers` row selected as `worker_id, name, unit_id, team`.
fn worker_row(r: &Row<'_>) -> rusqlite::Result<CaseWorker> {
    Ok(CaseWorker {
        worker_id: r.get(0)?,
        name: r.get(1)?,
        unit_id: r.get(2)?,
        team: r.get(3)?,
        login: None,
    })
}

/// The handläggare of the filtered unit and team, ordered by name.
///
/// # Errors
/// SQLite errors.
pub fn case_workers(conn: &Connection, filter: &Filter) -> rusqlite::Result<Vec<CaseWorker>> {
    collect(
        conn,
        &format!(
            "SELECT worker_id, name, unit_id, team FROM case_workers WHERE 1{}
             ORDER BY name, worker_id",
            filter.sql("")
        ),
        &filter.params(),
        worker_row,
    )
}

/// A key of `interventions_by_insats` without its dates: where [`active_cases_by_insats`]
/// can split its pass, since all the interventions of one case and insats type are on the
/// same side of it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct InsatsCase {
    pub insats_code: String,
    pub case_id: String,
}

/// Caseload by insats on each of `dates`: per insats code, the number of distinct
/// (filtered) cases with at least one intervention of that type active on the date, where
/// active means `start <= date` and (`end` is NULL or `end >= date`). Codes without any
/// are absent. Only the interventions whose (insats code, case) is within `part` are read:
/// the counts of two parts add up to those of both.
///
/// One pass for all the dates: the interventions active on any of them come from the
/// covering index `interventions_by_insats` in (insats, case) order, so each case is
/// counted once per insats and date without a temporary B-tree per date (at city scale
/// three `COUNT(DISTINCT …)` queries took three times as long). Dates are ISO text, so
/// comparing the text compares the dates, exactly as SQL does.
///
/// # Errors
/// SQLite errors.
pub fn active_cases_by_insats<const N: usize>(
    conn: &Connection,
    filter: &Filter,
    dates: &[NaiveDate; N],
    part: Part<'_, &InsatsCase>,
) -> rusqlite::Result<[HashMap<String, u64>; N]> {
    let by_sex = active_cases_by_insats_and_sex(conn, filter, dates, part, &CaseSexes::default())?;
    Ok(by_sex.map(|counts| {
        counts
            .into_iter()
            .map(|(code, parts)| (code, parts.iter().sum()))
            .collect()
    }))
}

/// The kön of the cases that have one (version 2), for splitting counts by case: read in
/// parts (on two connections at once for the whole city), each part a map of its own.
#[derive(Debug, Default)]
pub struct CaseSexes(Vec<HashMap<Box<str>, Sex, rustc_hash::FxBuildHasher>>);

impl CaseSexes {
    /// The index of a case's kön in [`crate::domain::processing::SEXES`]: 0 `K`, 1 `M`,
    /// 2 not known.
    #[must_use]
    pub fn index(&self, case_id: &str) -> usize {
        crate::domain::processing::sex_index(self.0.iter().find_map(|m| m.get(case_id).copied()))
    }

    /// Both parts' cases.
    #[must_use]
    pub fn join(mut self, other: CaseSexes) -> Self {
        self.0.extend(other.0);
        self
    }
}

/// The tables whose rows a load splits between two connections by rowid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowidTable {
    Cases,
    Applications,
    Interventions,
}

/// The first and last rowid of `table` (`None` when it is empty). Each in its own SELECT:
/// together in one, SQLite scans the table for them.
///
/// # Errors
/// SQLite errors.
pub fn rowid_bounds(conn: &Connection, table: RowidTable) -> rusqlite::Result<Option<(i64, i64)>> {
    let name = match table {
        RowidTable::Cases => "cases",
        RowidTable::Applications => "applications",
        RowidTable::Interventions => "interventions",
    };
    let (first, last): (Option<i64>, Option<i64>) = conn.query_row(
        &format!("SELECT (SELECT min(rowid) FROM {name}), (SELECT max(rowid) FROM {name})"),
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    Ok(first.zip(last))
}

/// A rowid near the middle of `table`, where a load splits its reading into two parts of
/// about the same length (half-way between the first rowid and the last: the snapshot
/// writer numbers the rows one by one); `None` for an empty table.
///
/// # Errors
/// SQLite errors.
pub fn rowid_middle(conn: &Connection, table: RowidTable) -> rusqlite::Result<Option<i64>> {
    // In i128: the sum of two rowids need not fit an i64.
    Ok(rowid_bounds(conn, table)?.map(|(first, last)| {
        i64::try_from((i128::from(first) + i128::from(last)) / 2).unwrap_or(last)
    }))
}

/// A rowid near the middle of `cases`, where the maps of cases are read in two parts.
///
/// # Errors
/// SQLite errors.
pub fn case_rowid_middle(conn: &Connection) -> rusqlite::Result<Option<i64>> {
    rowid_middle(conn, RowidTable::Cases)
}

/// How many cases of rowids within `part` there can be: the room a map of them needs.
pub(crate) fn case_capacity(conn: &Connection, part: &Part<'_, i64>) -> rusqlite::Result<usize> {
    let Some((first, last)) = rowid_bounds(conn, RowidTable::Cases)? else {
        return Ok(0);
    };
    let from = part.from.unwrap_or(first).max(first);
    let below = part
        .below
        .unwrap_or(last.saturating_add(1))
        .min(last.saturating_add(1));
    Ok(usize::try_from(below.saturating_sub(from))
        .unwrap_or(0)
        .min(10_000_000))
}

/// The kön of every (filtered) case of rowids within `part` that has one; empty for a
/// version 1 file.
///
/// # Errors
/// SQLite errors, and a kön other than `K` or `M`.
pub fn case_sexes(
    conn: &Connection,
    filter: &Filter,
    part: Part<'_, i64>,
) -> rusqlite::Result<CaseSexes> {
    if !has_v2(conn)? {
        return Ok(CaseSexes::default());
    }
    let rowids = part.sql("rowid", ":from_rowid", ":below_rowid");
    let mut params = filter.params();
    if let Some(rowid) = &part.from {
        params.push((":from_rowid", rowid));
    }
    if let Some(rowid) = &part.below {
        params.push((":below_rowid", rowid));
    }
    let mut st = conn.prepare_cached(&format!(
        "SELECT case_id, sex FROM cases WHERE sex IS NOT NULL{}{rowids}",
        filter.sql("")
    ))?;
    let mut rows = st.query(params.as_slice())?;
    let mut map = HashMap::with_hasher(rustc_hash::FxBuildHasher);
    if filter.sql("").is_empty() {
        map.reserve(case_capacity(conn, &part)?);
    }
    while let Some(r) = rows.next()? {
        if part.stop.is_set() {
            break;
        }
        if let Some(sex) = processing::sex_col(r, 1)? {
            map.insert(Box::from(r.get_ref(0)?.as_str()?), sex);
        }
    }
    Ok(CaseSexes(vec![map]))
}

/// [`active_cases_by_insats`] split by the cases' kön as `sexes` gives it: per insats code
/// and date, `[K, M, not known]`.
///
/// # Errors
/// SQLite errors.
pub fn active_cases_by_insats_and_sex<const N: usize>(
    conn: &Connection,
    filter: &Filter,
    dates: &[NaiveDate; N],
    part: Part<'_, &InsatsCase>,
    sexes: &CaseSexes,
) -> rusqlite::Result<[HashMap<String, [u64; 3]>; N]> {
    let counts = active_cases_by_insats_and_sex_on(conn, filter, dates, part, sexes)?;
    Ok(counts
        .try_into()
        .unwrap_or_else(|_| std::array::from_fn(|_| HashMap::new())))
}

/// [`active_cases_by_insats_and_sex`] on any number of dates (a month's series): one pass
/// over the interventions active on any of them, a count per date.
///
/// # Errors
/// SQLite errors.
pub fn active_cases_by_insats_and_sex_on(
    conn: &Connection,
    filter: &Filter,
    dates: &[NaiveDate],
    part: Part<'_, &InsatsCase>,
    sexes: &CaseSexes,
) -> rusqlite::Result<Vec<HashMap<String, [u64; 3]>>> {
    let n = dates.len();
    let mut counts: Vec<HashMap<String, [u64; 3]>> = vec![HashMap::new(); n];
    let (Some(latest), Some(earliest)) = (dates.iter().max(), dates.iter().min()) else {
        return Ok(counts);
    };
    // The dates in order, each with its place in `dates`: an intervention is active on a
    // run of them, found by two binary searches rather than a comparison per date, and
    // counted as a run (the Ärenden view counts 27 dates in one pass, the whole history 146).
    let mut sorted: Vec<(NaiveDate, usize)> = dates.iter().copied().zip(0..).collect();
    sorted.sort_unstable();
    let (latest, earliest) = (iso(*latest), iso(*earliest));
    let mut params = filter.params();
    params.push((":latest", &latest));
    params.push((":earliest", &earliest));
    if let Some(from) = part.from {
        params.push((":from_insats", &from.insats_code));
        params.push((":from_case", &from.case_id));
    }
    if let Some(below) = part.below {
        params.push((":below_insats", &below.insats_code));
        params.push((":below_case", &below.case_id));
    }
    let keys = |alias: &str| {
        part.sql(
            &format!("({alias}insats_code, {alias}case_id)"),
            "(:from_insats, :from_case)",
            "(:below_insats, :below_case)",
        )
    };
    let sql = if filter.unit_id.is_none() && filter.team.is_none() {
        format!(
            "SELECT insats_code, case_id, start, end FROM interventions
             WHERE start <= :latest AND (end IS NULL OR end >= :earliest){}
             ORDER BY insats_code, case_id",
            keys("")
        )
    } else {
        format!(
            "SELECT i.insats_code, i.case_id, i.start, i.end
             FROM cases AS c JOIN interventions AS i ON i.case_id = c.case_id
             WHERE i.start <= :latest AND (i.end IS NULL OR i.end >= :earliest){}{}
             ORDER BY i.insats_code, i.case_id",
            filter.sql("c"),
            keys("i.")
        )
    };
    let mut st = conn.prepare_cached(&sql)?;
    let mut rows = st.query(params.as_slice())?;
    let mut insats = String::new();
    let mut case = String::new();
    // The current insats type's counts; its current case's spans.
    let mut runs = crate::domain::caseload::Runs::new(n);
    let mut put = |insats: &str, runs: &mut crate::domain::caseload::Runs| {
        for (c, &(_, k)) in runs.take().into_iter().zip(&sorted) {
            if c != [0; 3] {
                counts[k].insert(insats.to_string(), c);
            }
        }
    };
    let date = |text: &str, idx: usize| {
        crate::domain::dates::parse_digits(text.as_bytes()).ok_or_else(|| bad_date(idx, text))
    };
    while let Some(r) = rows.next()? {
        if part.stop.is_set() {
            break;
        }
        let code = r.get_ref(0)?.as_str()?;
        let case_id = r.get_ref(1)?.as_str()?;
        if code != insats || case_id != case {
            runs.close(sexes.index(&case));
            if code != insats {
                put(&insats, &mut runs);
                insats.clear();
                insats.push_str(code);
            }
            case.clear();
            case.push_str(case_id);
        }
        let start = r.get_ref(2)?.as_str_or_null()?;
        let end = r.get_ref(3)?.as_str_or_null()?;
        if let Some(start) = start {
            let start = date(start, 2)?;
            let from = sorted.partition_point(|(d, _)| *d < start);
            let to = match end {
                Some(e) => {
                    let e = date(e, 3)?;
                    sorted.partition_point(|(d, _)| *d <= e)
                }
                None => sorted.len(),
            };
            runs.span(from, to);
        }
    }
    runs.close(sexes.index(&case));
    put(&insats, &mut runs);
    Ok(counts)
}

/// The day the snapshot's first case was opened; `None` without cases.
///
/// # Errors
/// SQLite errors, and a value that is not a date.
pub fn first_opened(conn: &Connection) -> rusqlite::Result<Option<NaiveDate>> {
    conn.query_row("SELECT min(opened) FROM cases", [], |r| opt_date_col(r, 0))
}

/// Interventions sampled to find a key's place in `interventions_by_insats`.
const SAMPLES: i64 = 100;

/// A key of `interventions_by_insats` about `percent` per cent of the way through the index,
/// where [`active_cases_by_insats`] can split its pass into two parts of known shares: the
/// key at that place among the keys of `SAMPLES` interventions evenly spaced by rowid, a
/// search each (stepping through the index to it would read that much of the index).
/// `None` without interventions.
///
/// # Errors
/// SQLite errors.
pub fn insats_case_at(conn: &Connection, percent: usize) -> rusqlite::Result<Option<InsatsCase>> {
    let (first, last): (Option<i64>, Option<i64>) = conn.query_row(
        // Each in its own SELECT: together in one, SQLite scans the table for them.
        "SELECT (SELECT min(rowid) FROM interventions), (SELECT max(rowid) FROM interventions)",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let (Some(first), Some(last)) = (first, last) else {
        return Ok(None);
    };
    let mut st = conn.prepare_cached(
        "SELECT insats_code, case_id FROM interventions WHERE rowid >= ?1
         ORDER BY rowid LIMIT 1",
    )?;
    let mut keys = Vec::new();
    for k in 0..SAMPLES {
        // In i128: the distance between two rowids need not fit an i64.
        let step = (i128::from(last) - i128::from(first)) * i128::from(k) / i128::from(SAMPLES);
        let rowid = i64::try_from(i128::from(first) + step).unwrap_or(last);
        let key = st
            .query_row([rowid], |r| {
                Ok(InsatsCase {
                    insats_code: r.get(0)?,
                    case_id: r.get(1)?,
                })
            })
            .optional()?;
        keys.extend(key);
    }
    keys.sort_unstable();
    let at = (keys.len() * percent / 100).min(keys.len().saturating_sub(1));
    Ok((!keys.is_empty()).then(|| keys.swap_remove(at)))
}

/// Cases per handläggare on `date`: the (filtered) cases open on `date` — `opened <= date`
/// and (`closed` is NULL or `closed > date`) — counted by `cases.worker_id`; the `None` key
/// holds open cases without a handläggare.
///
/// # Errors
/// SQLite errors.
pub fn open_cases_by_worker(
    conn: &Connection,
    filter: &Filter,
    date: NaiveDate,
) -> rusqlite::Result<HashMap<Option<String>, u64>> {
    open_cases_by(conn, filter, date, "worker_id")
}

/// Open cases on `date` by a text column of `cases` (a fixed name, never user input).
fn open_cases_by(
    conn: &Connection,
    filter: &Filter,
    date: NaiveDate,
    column: &'static str,
) -> rusqlite::Result<HashMap<Option<String>, u64>> {
    let d = iso(date);
    let mut params = filter.params();
    params.push((":d", &d));
    let rows = collect(
        conn,
        &format!(
            "SELECT {column}, COUNT(*) FROM cases
             WHERE opened <= :d AND (closed IS NULL OR closed > :d){}
             GROUP BY {column}",
            filter.sql("")
        ),
        &params,
        |r| Ok((r.get::<_, Option<String>>(0)?, r.get::<_, i64>(1)?)),
    )?;
    Ok(rows
        .into_iter()
        .map(|(w, n)| (w, u64::try_from(n).unwrap_or(0)))
        .collect())
}

/// Open cases on `date` by their arbetsgrupp (`cases.team`, the column `--team` filters).
///
/// # Errors
/// SQLite errors.
pub fn open_cases_by_team(
    conn: &Connection,
    filter: &Filter,
    date: NaiveDate,
) -> rusqlite::Result<HashMap<Option<String>, u64>> {
    open_cases_by(conn, filter, date, "team")
}

/// Open cases on `date` by kön, `[K, M, not known]` (all not known in a version 1 file).
///
/// # Errors
/// SQLite errors, and a kön other than `K` or `M`.
pub fn open_cases_by_sex(
    conn: &Connection,
    filter: &Filter,
    date: NaiveDate,
) -> rusqlite::Result<[u64; 3]> {
    let d = iso(date);
    let mut params = filter.params();
    params.push((":d", &d));
    let rows = collect(
        conn,
        &format!(
            "SELECT {}, COUNT(*) FROM cases
             WHERE opened <= :d AND (closed IS NULL OR closed > :d){}
             GROUP BY 1",
            v2_column(has_v2(conn)?, "sex"),
            filter.sql("")
        ),
        &params,
        |r| Ok((processing::sex_col(r, 0)?, r.get::<_, i64>(1)?)),
    )?;
    let mut out = [0; 3];
    for (sex, n) in rows {
        out[crate::domain::processing::sex_index(sex)] += u64::try_from(n).unwrap_or(0);
    }
    Ok(out)
}

/// One handläggare by id (a case of team A handled by someone registered in team B still
/// shows under its handläggare).
///
/// # Errors
/// SQLite errors.
pub fn worker_by_id(conn: &Connection, worker_id: &str) -> rusqlite::Result<Option<CaseWorker>> {
    let mut rows = collect(
        conn,
        "SELECT worker_id, name, unit_id, team FROM case_workers WHERE worker_id = :w",
        named_params! {":w": worker_id},
        worker_row,
    )?;
    Ok(rows.pop())
}

/// The snapshot's schema version (`PRAGMA user_version`; the opener has checked it is one
/// this build reads).
///
/// # Errors
/// SQLite errors.
pub fn schema_version(conn: &Connection) -> rusqlite::Result<i32> {
    conn.query_row("PRAGMA user_version", [], |r| r.get(0))
}

/// Whether the snapshot has version 2's columns and table (`cases.sex`,
/// `interventions.offered`, `interruptions` …). A version 1 file has not: the queries read
/// NULL in place of those columns and no interruptions.
///
/// # Errors
/// SQLite errors.
pub fn has_v2(conn: &Connection) -> rusqlite::Result<bool> {
    Ok(schema_version(conn)? >= 2)
}

/// The handläggare whose `case_workers.login` is `login` (version 2; none in a version 1
/// file), as `(worker_id, name)` in id order.
///
/// # Errors
/// SQLite errors.
pub fn workers_of_login(conn: &Connection, login: &str) -> rusqlite::Result<Vec<(String, String)>> {
    if !has_v2(conn)? {
        return Ok(Vec::new());
    }
    collect(
        conn,
        "SELECT worker_id, name FROM case_workers WHERE login = :login ORDER BY worker_id",
        &[(":login", &login)],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
}

/// `column` where the snapshot is version 2, else `NULL`: for a SELECT list that reads a
/// version 2 column from either version.
pub(crate) fn v2_column(v2: bool, column: &str) -> &str {
    if v2 { column } else { "NULL" }
}

/// Row counts per table, for `bevaka snapshot check` (a version 1 file has no
/// `interruptions`: it is not listed).
///
/// # Errors
/// SQLite errors (a missing table among them).
pub fn row_counts(conn: &Connection) -> rusqlite::Result<Vec<(&'static str, u64)>> {
    let v2 = has_v2(conn)?;
    crate::model::TABLES
        .iter()
        .filter(|&&table| v2 || table != "interruptions")
        .map(|&table| {
            let n: i64 =
                conn.query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get(0))?;
            Ok((table, u64::try_from(n).unwrap_or(0)))
        })
        .collect()
}

pub(crate) fn bad_date(idx: usize, text: &str) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(
        idx,
        rusqlite::types::Type::Text,
        format!("ogiltigt datum {text:?}, väntade ÅÅÅÅ-MM-DD").into(),
    )
}

pub(crate) fn date_col(r: &Row<'_>, idx: usize) -> rusqlite::Result<NaiveDate> {
    let text: String = r.get(idx)?;
    crate::domain::dates::parse_iso(&text).ok_or_else(|| bad_date(idx, &text))
}

pub(crate) fn opt_date_col(r: &Row<'_>, idx: usize) -> rusqlite::Result<Option<NaiveDate>> {
    r.get::<_, Option<String>>(idx)?
        .map(|text| crate::domain::dates::parse_iso(&text).ok_or_else(|| bad_date(idx, &text)))
        .transpose()
}

fn choice_col<T>(r: &Row<'_>, idx: usize, parse: fn(&str) -> Option<T>) -> rusqlite::Result<T> {
    let text: String = r.get(idx)?;
    parse(&text).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            idx,
            rusqlite::types::Type::Text,
            format!("okänt värde {text:?}").into(),
        )
    })
}

/// Every goal of the målkedja, in the producer's order. The goal and indicator tables are
/// a unit's plan (tens of rows a year), so the tree is built in
/// [`crate::domain::indicators`] from all of them.
///
/// # Errors
/// SQLite errors, and a level, assessment or date the schema does not allow.
pub fn goals(conn: &Connection) -> rusqlite::Result<Vec<crate::model::Goal>> {
    collect(
        conn,
        "SELECT goal_id, parent_id, unit_id, level, code, title, assessment, start, end, comment
         FROM goals ORDER BY rowid",
        &[],
        |r| {
            Ok(crate::model::Goal {
                goal_id: r.get(0)?,
                parent_id: r.get(1)?,
                unit_id: r.get(2)?,
                level: choice_col(r, 3, crate::model::GoalLevel::parse)?,
                code: r.get(4)?,
                title: r.get(5)?,
                assessment: r
                    .get::<_, Option<String>>(6)?
                    .map(|a| {
                        crate::model::Assessment::parse(&a).ok_or_else(|| {
                            rusqlite::Error::FromSqlConversionFailure(
                                6,
                                rusqlite::types::Type::Text,
                                format!("okänt värde {a:?}").into(),
                            )
                        })
                    })
                    .transpose()?,
                start: opt_date_col(r, 7)?,
                end: opt_date_col(r, 8)?,
                comment: r.get(9)?,
            })
        },
    )
}

/// Every indicator, of every year, in the producer's order.
///
/// # Errors
/// SQLite errors, and a direction the schema does not allow.
pub fn indicators(conn: &Connection) -> rusqlite::Result<Vec<crate::model::Indicator>> {
    collect(
        conn,
        "SELECT indicator_id, goal_id, unit_id, name, year, measure, direction, periodicity,
                target, target_text, city_target, city_target_text, tolerance
         FROM indicators ORDER BY rowid",
        &[],
        |r| {
            Ok(crate::model::Indicator {
                indicator_id: r.get(0)?,
                goal_id: r.get(1)?,
                unit_id: r.get(2)?,
                name: r.get(3)?,
                year: r.get(4)?,
                measure: r.get(5)?,
                direction: choice_col(r, 6, crate::model::Direction::parse)?,
                periodicity: r.get(7)?,
                target: r.get(8)?,
                target_text: r.get(9)?,
                city_target: r.get(10)?,
                city_target_text: r.get(11)?,
                tolerance: r.get(12)?,
            })
        },
    )
}

/// Every indicator value (utfall), in the producer's order; the period as written.
///
/// # Errors
/// SQLite errors.
pub fn indicator_values(conn: &Connection) -> rusqlite::Result<Vec<crate::model::IndicatorValue>> {
    collect(
        conn,
        "SELECT indicator_id, period, value, comment FROM indicator_values ORDER BY rowid",
        &[],
        |r| {
            Ok(crate::model::IndicatorValue {
                indicator_id: r.get(0)?,
                period: r.get(1)?,
                value: r.get(2)?,
                comment: r.get(3)?,
            })
        },
    )
}

/// Feeds `counter` every (filtered) intervention active on some day from `earliest` to
/// `latest`, grouped by case as [`crate::domain::caseload::TotalsCounter`] needs (read in
/// case order from the index `interventions_by_case`), with its case's kön from `sexes`;
/// then every case open on some day of that range.
///
/// # Errors
/// SQLite errors, and a date or kön the snapshot cannot hold.
pub fn count_totals(
    conn: &Connection,
    filter: &Filter,
    earliest: NaiveDate,
    latest: NaiveDate,
    sexes: &CaseSexes,
    counter: &mut crate::domain::caseload::TotalsCounter,
) -> rusqlite::Result<()> {
    let (earliest, latest) = (iso(earliest), iso(latest));
    let mut params = filter.params();
    params.push((":latest", &latest));
    params.push((":earliest", &earliest));
    let sql = if filter.unit_id.is_none() && filter.team.is_none() {
        "SELECT case_id, insats_code, start, end FROM interventions
         WHERE start <= :latest AND (end IS NULL OR end >= :earliest)
         ORDER BY case_id"
            .to_string()
    } else {
        format!(
            "SELECT i.case_id, i.insats_code, i.start, i.end
             FROM cases AS c JOIN interventions AS i ON i.case_id = c.case_id
             WHERE i.start <= :latest AND (i.end IS NULL OR i.end >= :earliest){}
             ORDER BY i.case_id",
            filter.sql("c")
        )
    };
    let mut st = conn.prepare_cached(&sql)?;
    let mut rows = st.query(params.as_slice())?;
    // Dates read in place, without a String per row (223 000 rows at city scale).
    let date_at = |r: &Row<'_>, idx: usize| -> rusqlite::Result<Option<NaiveDate>> {
        r.get_ref(idx)?
            .as_str_or_null()?
            .map(|text| crate::domain::dates::parse_iso(text).ok_or_else(|| bad_date(idx, text)))
            .transpose()
    };
    while let Some(r) = rows.next()? {
        let case_id = r.get_ref(0)?.as_str()?;
        let code = r.get_ref(1)?.as_str()?;
        counter.intervention(
            case_id,
            code,
            date_at(r, 2)?,
            date_at(r, 3)?,
            sexes.index(case_id),
        );
    }
    let mut st = conn.prepare_cached(&format!(
        "SELECT opened, closed, {} FROM cases
         WHERE opened <= :latest AND (closed IS NULL OR closed > :earliest){}",
        v2_column(has_v2(conn)?, "sex"),
        filter.sql("")
    ))?;
    let mut rows = st.query(params.as_slice())?;
    while let Some(r) = rows.next()? {
        counter.case(
            date_col(r, 0)?,
            opt_date_col(r, 1)?,
            crate::domain::processing::sex_index(processing::sex_col(r, 2)?),
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    #[test]
    fn teams_are_those_of_the_units_cases_and_handlaggare() {
        let today = NaiveDate::from_ymd_opt(2014, 12, 31).expect("date");
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("s.sqlite");
        let mut data = crate::demo::build(today);
        // A team only a handläggare has, and one unit's team on a case of another unit.
        data.case_workers[0].team = Some("Bara handläggare".into());
        let (first, other) = (data.units[0].unit_id.clone(), data.units[1].unit_id.clone());
        let borrowed = data
            .cases
            .iter()
            .find(|c| c.unit_id == other && c.team.is_some())
            .and_then(|c| c.team.clone())
            .expect("a case with a team in the second unit");
        crate::snapshot::write_snapshot(&path, &data).expect("write");
        let snapshot = crate::snapshot::Snapshot::open(&path).expect("open");
        let expected = |unit: Option<&str>| -> Vec<String> {
            let of_cases = data
                .cases
                .iter()
                .filter(|c| unit.is_none_or(|u| c.unit_id == u))
                .filter_map(|c| c.team.clone());
            let of_workers = data
                .case_workers
                .iter()
                .filter(|w| unit.is_none_or(|u| w.unit_id == u))
                .filter_map(|w| w.team.clone());
            of_cases
                .chain(of_workers)
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect()
        };
        let all = teams(snapshot.conn(), None).expect("teams");
        assert_eq!(all, expected(None));
        assert!(all.contains(&"Bara handläggare".to_string()));
        assert!(all.contains(&borrowed));
        for unit in [&first, &other] {
            let of_unit = teams(snapshot.conn(), Some(unit)).expect("teams");
            assert!(!of_unit.is_empty(), "{unit}");
            assert_eq!(of_unit, expected(Some(unit)), "{unit}");
        }
    }
}
