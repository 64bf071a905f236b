//! The queries the views need, one function per question, returning typed values.
//!
//! Counting is done in SQL so that it scales with the indexes of `db/schema.sql` rather than
//! by loading every row; each query states the DOMAIN.md rule it implements, and the
//! integration tests check it against an independent computation from the rows.

use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::{Connection, Row, named_params};

use crate::model::{CaseWorker, InsatsType, Unit};

/// Which part of the snapshot a view looks at. `None` means all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub unit_id: Option<String>,
    pub team: Option<String>,
}

fn iso(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

fn collect<T>(
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
/// # Errors
/// SQLite errors.
pub fn teams(conn: &Connection, unit_id: Option<&str>) -> rusqlite::Result<Vec<String>> {
    collect(
        conn,
        "SELECT team FROM cases WHERE team IS NOT NULL AND (:unit IS NULL OR unit_id = :unit)
         UNION
         SELECT team FROM case_workers WHERE team IS NOT NULL AND (:unit IS NULL OR unit_id = :unit)
         ORDER BY 1",
        named_params! {":unit": unit_id},
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
    })
}

/// The handläggare of the filtered unit and team, ordered by name.
///
/// # Errors
/// SQLite errors.
pub fn case_workers(conn: &Connection, filter: &Filter) -> rusqlite::Result<Vec<CaseWorker>> {
    collect(
        conn,
        "SELECT worker_id, name, unit_id, team FROM case_workers
         WHERE (:unit IS NULL OR unit_id = :unit) AND (:team IS NULL OR team = :team)
         ORDER BY name, worker_id",
        named_params! {":unit": filter.unit_id, ":team": filter.team},
        worker_row,
    )
}

/// Caseload by insats on `date`: per insats code, the number of distinct (filtered) cases
/// with at least one intervention of that type active on `date`, where active means
/// `start <= date` and (`end` is NULL or `end >= date`). Codes without any are absent.
///
/// # Errors
/// SQLite errors.
pub fn active_cases_by_insats(
    conn: &Connection,
    filter: &Filter,
    date: NaiveDate,
) -> rusqlite::Result<HashMap<String, u64>> {
    let rows = collect(
        conn,
        "SELECT i.insats_code, COUNT(DISTINCT i.case_id)
         FROM interventions AS i
         JOIN cases AS c ON c.case_id = i.case_id
         WHERE i.start <= :d AND (i.end IS NULL OR i.end >= :d)
           AND (:unit IS NULL OR c.unit_id = :unit)
           AND (:team IS NULL OR c.team = :team)
         GROUP BY i.insats_code",
        named_params! {":d": iso(date), ":unit": filter.unit_id, ":team": filter.team},
        |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)),
    )?;
    Ok(rows
        .into_iter()
        .map(|(code, n)| (code, u64::try_from(n).unwrap_or(0)))
        .collect())
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
    let rows = collect(
        conn,
        "SELECT worker_id, COUNT(*) FROM cases
         WHERE opened <= :d AND (closed IS NULL OR closed > :d)
           AND (:unit IS NULL OR unit_id = :unit)
           AND (:team IS NULL OR team = :team)
         GROUP BY worker_id",
        named_params! {":d": iso(date), ":unit": filter.unit_id, ":team": filter.team},
        |r| Ok((r.get::<_, Option<String>>(0)?, r.get::<_, i64>(1)?)),
    )?;
    Ok(rows
        .into_iter()
        .map(|(w, n)| (w, u64::try_from(n).unwrap_or(0)))
        .collect())
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

/// Row counts per table, for `bevaka snapshot check`.
///
/// # Errors
/// SQLite errors (a missing table among them).
pub fn row_counts(conn: &Connection) -> rusqlite::Result<Vec<(&'static str, u64)>> {
    crate::model::TABLES
        .iter()
        .map(|&table| {
            let n: i64 =
                conn.query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get(0))?;
            Ok((table, u64::try_from(n).unwrap_or(0)))
        })
        .collect()
}

/// The rows the deadline rules need on `today`: the (filtered) cases open on `today`, their
/// undecided applications, their interventions that can still carry a deadline, and their
/// bevakningar not done. The rules themselves live in [`crate::domain::deadlines`]; this
/// only leaves out rows that cannot produce an item.
///
/// # Errors
/// SQLite errors.
pub fn deadline_rows(
    conn: &Connection,
    filter: &Filter,
    today: NaiveDate,
) -> rusqlite::Result<DeadlineRows> {
    let d = iso(today);
    let open_cases = "SELECT case_id FROM cases
         WHERE opened <= :d AND (closed IS NULL OR closed > :d)
           AND (:unit IS NULL OR unit_id = :unit) AND (:team IS NULL OR team = :team)";
    let p = named_params! {":d": d, ":unit": filter.unit_id, ":team": filter.team};
    let cases = collect(
        conn,
        "SELECT case_id, unit_id, team, worker_id, client_label, opened, closed FROM cases
         WHERE opened <= :d AND (closed IS NULL OR closed > :d)
           AND (:unit IS NULL OR unit_id = :unit) AND (:team IS NULL OR team = :team)",
        p,
        |r| {
            Ok(crate::model::Case {
                case_id: r.get(0)?,
                unit_id: r.get(1)?,
                team: r.get(2)?,
                worker_id: r.get(3)?,
                client_label: r.get(4)?,
                opened: date_col(r, 5)?,
                closed: opt_date_col(r, 6)?,
            })
        },
    )?;
    let applications = collect(
        conn,
        &format!(
            "SELECT application_id, case_id, insats_code, received, investigation_started,
                    decided, outcome, worker_id
             FROM applications WHERE decided IS NULL AND case_id IN ({open_cases})"
        ),
        p,
        |r| {
            Ok(crate::model::Application {
                application_id: r.get(0)?,
                case_id: r.get(1)?,
                insats_code: r.get(2)?,
                received: date_col(r, 3)?,
                investigation_started: opt_date_col(r, 4)?,
                decided: opt_date_col(r, 5)?,
                outcome: r
                    .get::<_, Option<String>>(6)?
                    .and_then(|o| crate::model::Outcome::parse(&o)),
                worker_id: r.get(7)?,
            })
        },
    )?;
    let interventions = collect(
        conn,
        &format!(
            "SELECT intervention_id, case_id, application_id, insats_code, decided, start, end,
                    provider, ordered, plan_received, last_followup
             FROM interventions
             WHERE (end IS NULL OR end >= :d OR start IS NULL OR start > :d)
               AND case_id IN ({open_cases})"
        ),
        p,
        |r| {
            Ok(crate::model::Intervention {
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
            })
        },
    )?;
    let followups = collect(
        conn,
        &format!(
            "SELECT followup_id, case_id, kind, due, done, worker_id, note FROM followups
             WHERE done IS NULL AND case_id IN ({open_cases})"
        ),
        p,
        |r| {
            Ok(crate::model::Followup {
                followup_id: r.get(0)?,
                case_id: r.get(1)?,
                kind: r.get(2)?,
                due: date_col(r, 3)?,
                done: opt_date_col(r, 4)?,
                worker_id: r.get(5)?,
                note: r.get(6)?,
            })
        },
    )?;
    Ok(DeadlineRows {
        cases,
        applications,
        interventions,
        followups,
    })
}

/// What [`deadline_rows`] returns.
#[derive(Debug, Clone, Default)]
pub struct DeadlineRows {
    pub cases: Vec<crate::model::Case>,
    pub applications: Vec<crate::model::Application>,
    pub interventions: Vec<crate::model::Intervention>,
    pub followups: Vec<crate::model::Followup>,
}

fn bad_date(idx: usize, text: &str) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(
        idx,
        rusqlite::types::Type::Text,
        format!("ogiltigt datum {text:?}, väntade ÅÅÅÅ-MM-DD").into(),
    )
}

fn date_col(r: &Row<'_>, idx: usize) -> rusqlite::Result<NaiveDate> {
    let text: String = r.get(idx)?;
    crate::domain::dates::parse_iso(&text).ok_or_else(|| bad_date(idx, &text))
}

fn opt_date_col(r: &Row<'_>, idx: usize) -> rusqlite::Result<Option<NaiveDate>> {
    r.get::<_, Option<String>>(idx)?
        .map(|text| crate::domain::dates::parse_iso(&text).ok_or_else(|| bad_date(idx, &text)))
        .transpose()
}

/// One application with what handläggningstid needs: its dates, the responsible handläggare
/// (`applications.worker_id`, else the case's), the insats type's `target_days`, and the
/// case's dates (an open application counts as waiting only while its case is open).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplicationTiming {
    pub application_id: String,
    pub case_id: String,
    pub insats_code: String,
    pub received: NaiveDate,
    pub decided: Option<NaiveDate>,
    pub outcome: Option<crate::model::Outcome>,
    pub worker_id: Option<String>,
    pub target_days: Option<i64>,
    pub case_opened: NaiveDate,
    pub case_closed: Option<NaiveDate>,
}

/// The (filtered) cases' applications that are undecided or decided on or after `from`: the
/// rows of DOMAIN.md "Handläggningstid". The statistics are computed in
/// [`crate::domain::processing`].
///
/// # Errors
/// SQLite errors.
pub fn application_timings(
    conn: &Connection,
    filter: &Filter,
    from: NaiveDate,
) -> rusqlite::Result<Vec<ApplicationTiming>> {
    collect(
        conn,
        "SELECT a.application_id, a.case_id, a.insats_code, a.received, a.decided, a.outcome,
                COALESCE(a.worker_id, c.worker_id), t.target_days, c.opened, c.closed
         FROM applications AS a
         JOIN cases AS c ON c.case_id = a.case_id
         LEFT JOIN insats_types AS t ON t.insats_code = a.insats_code
         WHERE (a.decided IS NULL OR a.decided >= :from)
           AND (:unit IS NULL OR c.unit_id = :unit) AND (:team IS NULL OR c.team = :team)
         ORDER BY a.received, a.application_id",
        named_params! {":from": iso(from), ":unit": filter.unit_id, ":team": filter.team},
        |r| {
            Ok(ApplicationTiming {
                application_id: r.get(0)?,
                case_id: r.get(1)?,
                insats_code: r.get(2)?,
                received: date_col(r, 3)?,
                decided: opt_date_col(r, 4)?,
                outcome: r
                    .get::<_, Option<String>>(5)?
                    .and_then(|o| crate::model::Outcome::parse(&o)),
                worker_id: r.get(6)?,
                target_days: r.get(7)?,
                case_opened: date_col(r, 8)?,
                case_closed: opt_date_col(r, 9)?,
            })
        },
    )
}

/// A decided intervention not started on the day asked for, with its case's handläggare and
/// client label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingIntervention {
    pub intervention_id: String,
    pub case_id: String,
    pub insats_code: String,
    pub decided: NaiveDate,
    pub start: Option<NaiveDate>,
    pub worker_id: Option<String>,
    pub client_label: Option<String>,
}

/// The interventions of the (filtered) cases open on `today` that are decided and not
/// started on `today` (`start` NULL or later): the candidates for DOMAIN.md "Ej verkställt
/// beslut on D". The three months are counted in [`crate::domain::processing`].
///
/// # Errors
/// SQLite errors.
pub fn pending_interventions(
    conn: &Connection,
    filter: &Filter,
    today: NaiveDate,
) -> rusqlite::Result<Vec<PendingIntervention>> {
    collect(
        conn,
        "SELECT i.intervention_id, i.case_id, i.insats_code, i.decided, i.start,
                c.worker_id, c.client_label
         FROM interventions AS i
         JOIN cases AS c ON c.case_id = i.case_id
         WHERE i.decided IS NOT NULL AND i.decided <= :d AND (i.start IS NULL OR i.start > :d)
           AND c.opened <= :d AND (c.closed IS NULL OR c.closed > :d)
           AND (:unit IS NULL OR c.unit_id = :unit) AND (:team IS NULL OR c.team = :team)
         ORDER BY i.decided, i.intervention_id",
        named_params! {":d": iso(today), ":unit": filter.unit_id, ":team": filter.team},
        |r| {
            Ok(PendingIntervention {
                intervention_id: r.get(0)?,
                case_id: r.get(1)?,
                insats_code: r.get(2)?,
                decided: date_col(r, 3)?,
                start: opt_date_col(r, 4)?,
                worker_id: r.get(5)?,
                client_label: r.get(6)?,
            })
        },
    )
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
