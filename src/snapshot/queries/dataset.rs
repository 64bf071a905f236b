//! Every row of a snapshot as a [`Dataset`], for `bevaka snapshot split`, which writes the
//! rows again in parts. The views never do this: they query what they need.

use rusqlite::Connection;

use super::{choice_col, collect, date_col, has_v2, opt_date_col, v2_column};
use crate::model::{
    Application, Case, CaseWorker, Dataset, Followup, Interruption, Intervention, Outcome, Sex,
};

/// Every row of every table, each table in the producer's (rowid) order. A version 1 file
/// reads as version 2 with its missing columns empty and no interruptions.
///
/// # Errors
/// SQLite errors, and a value the schema does not allow (a date that is no date, an
/// unknown outcome or kön).
pub fn dataset(conn: &Connection) -> rusqlite::Result<Dataset> {
    let v2 = has_v2(conn)?;
    Ok(Dataset {
        units: super::units(conn)?,
        case_workers: case_workers(conn, v2)?,
        insats_types: super::insats_types(conn)?,
        cases: cases(conn, v2)?,
        applications: applications(conn)?,
        interventions: interventions(conn, v2)?,
        interruptions: if v2 { interruptions(conn)? } else { Vec::new() },
        followups: followups(conn)?,
        goals: super::goals(conn)?,
        indicators: super::indicators(conn)?,
        indicator_values: super::indicator_values(conn)?,
    })
}

fn case_workers(conn: &Connection, v2: bool) -> rusqlite::Result<Vec<CaseWorker>> {
    collect(
        conn,
        &format!(
            "SELECT worker_id, name, unit_id, team, {} FROM case_workers ORDER BY rowid",
            v2_column(v2, "login")
        ),
        &[],
        |r| {
            Ok(CaseWorker {
                worker_id: r.get(0)?,
                name: r.get(1)?,
                unit_id: r.get(2)?,
                team: r.get(3)?,
                login: r.get(4)?,
            })
        },
    )
}

fn cases(conn: &Connection, v2: bool) -> rusqlite::Result<Vec<Case>> {
    collect(
        conn,
        &format!(
            "SELECT case_id, unit_id, team, worker_id, client_label, opened, closed, {}
             FROM cases ORDER BY rowid",
            v2_column(v2, "sex")
        ),
        &[],
        |r| {
            Ok(Case {
                case_id: r.get(0)?,
                unit_id: r.get(1)?,
                team: r.get(2)?,
                worker_id: r.get(3)?,
                client_label: r.get(4)?,
                opened: date_col(r, 5)?,
                closed: opt_date_col(r, 6)?,
                sex: optional_choice(r, 7, Sex::parse)?,
            })
        },
    )
}

fn applications(conn: &Connection) -> rusqlite::Result<Vec<Application>> {
    collect(
        conn,
        "SELECT application_id, case_id, insats_code, received, investigation_started,
                decided, outcome, worker_id
         FROM applications ORDER BY rowid",
        &[],
        |r| {
            Ok(Application {
                application_id: r.get(0)?,
                case_id: r.get(1)?,
                insats_code: r.get(2)?,
                received: date_col(r, 3)?,
                investigation_started: opt_date_col(r, 4)?,
                decided: opt_date_col(r, 5)?,
                outcome: optional_choice(r, 6, Outcome::parse)?,
                worker_id: r.get(7)?,
            })
        },
    )
}

fn interventions(conn: &Connection, v2: bool) -> rusqlite::Result<Vec<Intervention>> {
    collect(
        conn,
        &format!(
            "SELECT intervention_id, case_id, application_id, insats_code, decided, start, end,
                    provider, ordered, plan_received, last_followup, {}, {}
             FROM interventions ORDER BY rowid",
            v2_column(v2, "offered"),
            v2_column(v2, "delay_reason")
        ),
        &[],
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

fn interruptions(conn: &Connection) -> rusqlite::Result<Vec<Interruption>> {
    collect(
        conn,
        "SELECT interruption_id, intervention_id, interrupted, resumed, reason
         FROM interruptions ORDER BY rowid",
        &[],
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

fn followups(conn: &Connection) -> rusqlite::Result<Vec<Followup>> {
    collect(
        conn,
        "SELECT followup_id, case_id, kind, due, done, worker_id, note
         FROM followups ORDER BY rowid",
        &[],
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

/// An enumerated column that may be NULL: `None` for NULL, an error for an unknown value.
fn optional_choice<T>(
    r: &rusqlite::Row<'_>,
    idx: usize,
    parse: fn(&str) -> Option<T>,
) -> rusqlite::Result<Option<T>> {
    match r.get_ref(idx)? {
        rusqlite::types::ValueRef::Null => Ok(None),
        _ => choice_col(r, idx, parse).map(Some),
    }
}
