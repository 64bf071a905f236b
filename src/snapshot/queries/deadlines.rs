//! The rows of the bevakningslista (DOMAIN.md "Deadlines").

use chrono::NaiveDate;
use rusqlite::{Connection, named_params};

use super::{Filter, collect, date_col, iso, opt_date_col};

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
