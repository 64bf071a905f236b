//! The rows of the handläggningstid review (DOMAIN.md "Handläggningstid", "Ej verkställt
//! beslut on D").

use chrono::NaiveDate;
use rusqlite::{Connection, named_params};

use super::{Filter, collect, date_col, iso, opt_date_col};

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
