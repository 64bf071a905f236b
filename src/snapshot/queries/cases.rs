//! The rows behind a figure and of one case (issue 13: "the same drill-downs without a
//! terminal"): the cases of a filter, the spans of one insats type's interventions, and
//! everything the snapshot holds about one case. The rules that pick among them (open on a
//! date, active on a date) are applied in [`crate::domain::cases`].

use chrono::NaiveDate;
use rusqlite::{Connection, Row};

use super::processing::sex_col;
use super::{Filter, collect, date_col, has_v2, opt_date_col, v2_column};
use crate::model::{Application, Case, Followup, Interruption, Intervention, Outcome, Sex};

/// The columns of a [`Case`], read by [`case_row`] (`alias` the cases table's).
fn case_columns(v2: bool, alias: &str) -> String {
    format!(
        "{alias}.case_id, {alias}.unit_id, {alias}.team, {alias}.worker_id,
         {alias}.client_label, {alias}.opened, {alias}.closed, {}",
        v2_column(v2, &format!("{alias}.sex"))
    )
}

fn case_row(r: &Row<'_>) -> rusqlite::Result<Case> {
    Ok(Case {
        case_id: r.get(0)?,
        unit_id: r.get(1)?,
        team: r.get(2)?,
        worker_id: r.get(3)?,
        client_label: r.get(4)?,
        opened: date_col(r, 5)?,
        closed: opt_date_col(r, 6)?,
        sex: sex_col(r, 7)?,
    })
}

/// The condition on the handläggare, starting with " AND ", and its parameter.
fn worker_sql<'w>(
    alias: &str,
    worker_id: Option<&'w String>,
    params: &mut Vec<(&'static str, &'w dyn rusqlite::ToSql)>,
) -> String {
    match worker_id {
        Some(w) => {
            params.push((":worker", w));
            format!(" AND {alias}.worker_id = :worker")
        }
        None => String::new(),
    }
}

/// Every case of `filter` (and of the handläggare `worker_id`, by `cases.worker_id`, when
/// given) that `keep`s, ordered by case id.
///
/// # Errors
/// SQLite errors, and a date or kön the snapshot cannot hold.
pub fn cases_of(
    conn: &Connection,
    filter: &Filter,
    worker_id: Option<&String>,
    mut keep: impl FnMut(&Case) -> bool,
) -> rusqlite::Result<Vec<Case>> {
    let v2 = has_v2(conn)?;
    let mut params = filter.params();
    let worker = worker_sql("c", worker_id, &mut params);
    let mut st = conn.prepare_cached(&format!(
        "SELECT {} FROM cases AS c WHERE 1{}{worker} ORDER BY c.case_id",
        case_columns(v2, "c"),
        filter.sql("c")
    ))?;
    // Looked at as read: a list of six cities' open cases held every case first (320 MB).
    let mut kept = Vec::new();
    for c in st.query_map(params.as_slice(), case_row)? {
        let c = c?;
        if keep(&c) {
            kept.push(c);
        }
    }
    Ok(kept)
}

/// When one intervention of a case was in effect: what "active on D" is decided from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    pub case_id: String,
    pub start: Option<NaiveDate>,
    pub end: Option<NaiveDate>,
}

/// The spans of every intervention of the insats type `insats_code` whose case is of
/// `filter` (and of the handläggare `worker_id`, when given), in (case, start) order, read
/// from the covering index `interventions_by_insats`. Unstarted decisions are left out:
/// they are active on no date.
///
/// # Errors
/// SQLite errors, and a date the snapshot cannot hold.
pub fn insats_spans(
    conn: &Connection,
    filter: &Filter,
    worker_id: Option<&String>,
    insats_code: &str,
) -> rusqlite::Result<Vec<Span>> {
    let code = insats_code.to_string();
    let mut params = filter.params();
    params.push((":code", &code));
    let worker = worker_sql("c", worker_id, &mut params);
    let narrowed = !filter.sql("c").is_empty() || !worker.is_empty();
    let sql = if narrowed {
        format!(
            "SELECT i.case_id, i.start, i.end
             FROM interventions AS i JOIN cases AS c ON c.case_id = i.case_id
             WHERE i.insats_code = :code AND i.start IS NOT NULL{}{worker}
             ORDER BY i.case_id, i.start",
            filter.sql("c")
        )
    } else {
        "SELECT case_id, start, end FROM interventions
         WHERE insats_code = :code AND start IS NOT NULL
         ORDER BY case_id, start"
            .to_string()
    };
    collect(conn, &sql, &params, |r| {
        Ok(Span {
            case_id: r.get(0)?,
            start: opt_date_col(r, 1)?,
            end: opt_date_col(r, 2)?,
        })
    })
}

/// One case by id; `None` when the snapshot has no such case.
///
/// # Errors
/// SQLite errors, and a date or kön the snapshot cannot hold.
pub fn case_by_id(conn: &Connection, case_id: &str) -> rusqlite::Result<Option<Case>> {
    let v2 = has_v2(conn)?;
    let mut rows = collect(
        conn,
        &format!(
            "SELECT {} FROM cases AS c WHERE c.case_id = :case",
            case_columns(v2, "c")
        ),
        &[(":case", &case_id)],
        case_row,
    )?;
    Ok(rows.pop())
}

fn outcome_col(r: &Row<'_>, idx: usize) -> rusqlite::Result<Option<Outcome>> {
    r.get::<_, Option<String>>(idx)?
        .map(|text| {
            Outcome::parse(&text).ok_or_else(|| {
                rusqlite::Error::FromSqlConversionFailure(
                    idx,
                    rusqlite::types::Type::Text,
                    format!(
                        "applications.outcome: okänt värde {text:?}, väntade {}",
                        Outcome::expected()
                    )
                    .into(),
                )
            })
        })
        .transpose()
}

/// The applications of one case, by date received (then id).
///
/// # Errors
/// SQLite errors, and a date or outcome the snapshot cannot hold.
pub fn case_applications(conn: &Connection, case_id: &str) -> rusqlite::Result<Vec<Application>> {
    collect(
        conn,
        "SELECT application_id, case_id, insats_code, received, investigation_started, decided,
                outcome, worker_id
         FROM applications WHERE case_id = :case ORDER BY received, application_id",
        &[(":case", &case_id)],
        |r| {
            Ok(Application {
                application_id: r.get(0)?,
                case_id: r.get(1)?,
                insats_code: r.get(2)?,
                received: date_col(r, 3)?,
                investigation_started: opt_date_col(r, 4)?,
                decided: opt_date_col(r, 5)?,
                outcome: outcome_col(r, 6)?,
                worker_id: r.get(7)?,
            })
        },
    )
}

/// The interventions of one case, by decision date (undecided last), then id; `offered`
/// and `delay_reason` empty in a version 1 file.
///
/// # Errors
/// SQLite errors, and a date the snapshot cannot hold.
pub fn case_interventions(conn: &Connection, case_id: &str) -> rusqlite::Result<Vec<Intervention>> {
    let v2 = has_v2(conn)?;
    collect(
        conn,
        &format!(
            "SELECT intervention_id, case_id, application_id, insats_code, decided, start, end,
                    provider, ordered, plan_received, last_followup, {}, {}
             FROM interventions WHERE case_id = :case
             ORDER BY decided IS NULL, decided, intervention_id",
            v2_column(v2, "offered"),
            v2_column(v2, "delay_reason"),
        ),
        &[(":case", &case_id)],
        |r| {
            Ok(Intervention {
                intervention_id: r.get(0)?,
                case_id: r.get(1)?,
                application_id: r.get(2)?,
                insats_code: r.get(3)?,
                decided: opt_date_col(r, 4)?,
                start: opt_date_col(r, 5)?,
                end: opt_date_col(r, 6)?,
                provider: r.get(7)?,
                ordered: opt_date_col(r, 8)?,
                plan_received: opt_date_col(r, 9)?,
                last_followup: opt_date_col(r, 10)?,
                offered: opt_date_col(r, 11)?,
                delay_reason: r.get(12)?,
            })
        },
    )
}

/// The avbrott of one case's interventions, by the day they began (then id); none in a
/// version 1 file, which has no such table.
///
/// # Errors
/// SQLite errors, and a date the snapshot cannot hold.
pub fn case_interruptions(conn: &Connection, case_id: &str) -> rusqlite::Result<Vec<Interruption>> {
    if !has_v2(conn)? {
        return Ok(Vec::new());
    }
    collect(
        conn,
        "SELECT a.interruption_id, a.intervention_id, a.interrupted, a.resumed, a.reason
         FROM interventions AS i JOIN interruptions AS a ON a.intervention_id = i.intervention_id
         WHERE i.case_id = :case
         ORDER BY a.interrupted, a.interruption_id",
        &[(":case", &case_id)],
        |r| {
            Ok(Interruption {
                interruption_id: r.get(0)?,
                intervention_id: r.get(1)?,
                interrupted: date_col(r, 2)?,
                resumed: opt_date_col(r, 3)?,
                reason: r.get(4)?,
            })
        },
    )
}

/// The bevakningar (followups rows) of one case, done or not, by due date (then id).
///
/// # Errors
/// SQLite errors, and a date the snapshot cannot hold.
pub fn case_followups(conn: &Connection, case_id: &str) -> rusqlite::Result<Vec<Followup>> {
    collect(
        conn,
        "SELECT followup_id, case_id, kind, due, done, worker_id, note
         FROM followups WHERE case_id = :case ORDER BY due, followup_id",
        &[(":case", &case_id)],
        |r| {
            Ok(Followup {
                followup_id: r.get(0)?,
                case_id: r.get(1)?,
                kind: r.get(2)?,
                due: date_col(r, 3)?,
                done: opt_date_col(r, 4)?,
                worker_id: r.get(5)?,
                note: r.get(6)?,
            })
        },
    )
}

/// One sample behind a period's figure: a decided application (handläggningstid) or a
/// started decision (verkställighetstid), with what the review counts it by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecidedRow {
    /// `application_id` (handläggningstid) or `intervention_id` (verkställighetstid).
    pub id: String,
    pub case_id: String,
    pub client_label: Option<String>,
    pub insats_code: String,
    /// Handläggningstid: the application's handläggare, else the case's (as
    /// [`super::for_each_application`] reads it); verkställighetstid: the case's (as
    /// [`super::for_each_start`] reads it).
    pub worker_id: Option<String>,
    /// The day counted from: `received`, or the intervention's `decided`.
    pub from: NaiveDate,
    /// The day counted to, whose period the sample is in: `decided`, or `start`.
    pub to: NaiveDate,
    /// The case's kön (`None` in a version 1 file).
    pub sex: Option<Sex>,
}

/// The conditions on the insats type and handläggare, starting with " AND ".
fn narrow_sql<'w>(
    insats: &str,
    worker: &str,
    insats_code: Option<&'w String>,
    worker_id: Option<&'w String>,
    params: &mut Vec<(&'static str, &'w dyn rusqlite::ToSql)>,
) -> String {
    let mut extra = String::new();
    if let Some(code) = insats_code {
        params.push((":code", code));
        extra.push_str(&format!(" AND {insats} = :code"));
    }
    if let Some(w) = worker_id {
        params.push((":worker", w));
        extra.push_str(&format!(" AND {worker} = :worker"));
    }
    extra
}

fn decided_row(r: &Row<'_>) -> rusqlite::Result<DecidedRow> {
    Ok(DecidedRow {
        id: r.get(0)?,
        case_id: r.get(1)?,
        client_label: r.get(2)?,
        insats_code: r.get(3)?,
        worker_id: r.get(4)?,
        from: date_col(r, 5)?,
        to: date_col(r, 6)?,
        sex: sex_col(r, 7)?,
    })
}

/// The applications of `filter`'s cases decided from `from` through `to` (of the insats
/// type and handläggare given, when given), in no particular order: the rows of
/// DOMAIN.md "Handläggningstid" whose decision falls in those days.
///
/// # Errors
/// SQLite errors, and a date or kön the snapshot cannot hold.
pub fn decided_between(
    conn: &Connection,
    filter: &Filter,
    insats_code: Option<&String>,
    worker_id: Option<&String>,
    from: NaiveDate,
    to: NaiveDate,
) -> rusqlite::Result<Vec<DecidedRow>> {
    timed_between(
        conn,
        filter,
        &Timed {
            columns: "a.application_id, a.case_id, c.client_label, a.insats_code,
                      COALESCE(a.worker_id, c.worker_id), a.received, a.decided",
            from: "applications AS a JOIN cases AS c ON c.case_id = a.case_id",
            within: "a.decided >= :from AND a.decided <= :to",
            insats: "a.insats_code",
            worker: "COALESCE(a.worker_id, c.worker_id)",
        },
        (insats_code, worker_id),
        (from, to),
    )
}

/// The decided interventions of `filter`'s cases that started from `from` through `to`
/// (of the insats type and the case's handläggare given, when given), in no particular
/// order: the rows of DOMAIN.md "Verkställighetstid" ([`super::for_each_start`]) whose
/// start falls in those days.
///
/// # Errors
/// SQLite errors, and a date or kön the snapshot cannot hold.
pub fn started_between(
    conn: &Connection,
    filter: &Filter,
    insats_code: Option<&String>,
    worker_id: Option<&String>,
    from: NaiveDate,
    to: NaiveDate,
) -> rusqlite::Result<Vec<DecidedRow>> {
    timed_between(
        conn,
        filter,
        &Timed {
            columns: "i.intervention_id, i.case_id, c.client_label, i.insats_code,
                      c.worker_id, i.decided, i.start",
            from: "interventions AS i JOIN cases AS c ON c.case_id = i.case_id",
            within: "i.decided IS NOT NULL AND i.start >= :from AND i.start <= :to",
            insats: "i.insats_code",
            worker: "c.worker_id",
        },
        (insats_code, worker_id),
        (from, to),
    )
}

/// The parts of a query for [`timed_between`]: the columns of a [`DecidedRow`] (the
/// case's kön follows), the tables with the case as `c`, the days, and what the insats
/// and handläggare filters compare.
struct Timed {
    columns: &'static str,
    from: &'static str,
    within: &'static str,
    insats: &'static str,
    worker: &'static str,
}

fn timed_between(
    conn: &Connection,
    filter: &Filter,
    q: &Timed,
    (insats_code, worker_id): (Option<&String>, Option<&String>),
    (from, to): (NaiveDate, NaiveDate),
) -> rusqlite::Result<Vec<DecidedRow>> {
    let v2 = has_v2(conn)?;
    let (from, to) = (
        from.format("%Y-%m-%d").to_string(),
        to.format("%Y-%m-%d").to_string(),
    );
    let mut params = filter.params();
    params.push((":from", &from));
    params.push((":to", &to));
    let extra = narrow_sql(q.insats, q.worker, insats_code, worker_id, &mut params);
    collect(
        conn,
        &format!(
            "SELECT {}, {} FROM {} WHERE {}{}{extra}",
            q.columns,
            v2_column(v2, "c.sex"),
            q.from,
            q.within,
            filter.sql("c")
        ),
        &params,
        decided_row,
    )
}
