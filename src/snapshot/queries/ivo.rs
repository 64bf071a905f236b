//! The rows of the IVO report (DOMAIN.md "Rules of version 2"): the decided interventions
//! and the interruptions that may be in a quarter's report, narrowed in SQL; the rules
//! themselves are applied in [`crate::domain::ivo`].

use chrono::NaiveDate;
use rusqlite::Connection;

use super::processing::sex_col;
use super::{Filter, has_v2, iso, opt_date_col, v2_column};
use crate::domain::ivo::{Candidate, Kind};

/// The (filtered) cases' decided interventions, decided on or before `until`, and — in a
/// version 2 file — the interruptions from on or before `until`, of which nothing that
/// stops waiting (a start, a resumption, an end, a closing) falls on or before `since`:
/// every row that can be in a report whose quarter and the quarter before it begin on or
/// after `since` and end by `until`.
///
/// Without a filter the unstarted (or late-started) interventions are picked by rowid
/// through `interventions_by_start`, as for the ej verkställda beslut: a few of many.
///
/// # Errors
/// SQLite errors, and a date or kön the snapshot cannot hold.
pub fn ivo_candidates(
    conn: &Connection,
    filter: &Filter,
    since: NaiveDate,
    until: NaiveDate,
) -> rusqlite::Result<Vec<Candidate>> {
    ivo_candidates_kept(conn, filter, since, until, |_| true)
}

/// [`ivo_candidates`] that `keep`s, looked at one at a time as they are read: the others
/// are never held (six cities have some 400 000 decisions not started by a quarter's
/// start, 130 MB as candidates, of which the report keeps a few thousand).
///
/// # Errors
/// As [`ivo_candidates`].
pub fn ivo_candidates_kept(
    conn: &Connection,
    filter: &Filter,
    since: NaiveDate,
    until: NaiveDate,
    mut keep: impl FnMut(&Candidate) -> bool,
) -> rusqlite::Result<Vec<Candidate>> {
    let v2 = has_v2(conn)?;
    let (since, until) = (iso(since), iso(until));
    let mut params = filter.params();
    params.push((":since", &since));
    params.push((":until", &until));
    let common = format!(
        "i.intervention_id, c.case_id, c.worker_id, c.client_label, i.insats_code, t.law, {},
         i.decided, i.end, c.closed, {}, {}",
        v2_column(v2, "c.sex"),
        v2_column(v2, "i.offered"),
        v2_column(v2, "i.delay_reason"),
    );
    let stops = "(i.end IS NULL OR i.end > :since) AND (c.closed IS NULL OR c.closed > :since)";
    let decisions = if filter.sql("c").is_empty() {
        format!(
            "SELECT {common}, i.start
             FROM interventions AS i CROSS JOIN cases AS c ON c.case_id = i.case_id
             LEFT JOIN insats_types AS t ON t.insats_code = i.insats_code
             WHERE i.rowid IN (SELECT rowid FROM interventions
                               WHERE start IS NULL OR start > :since)
               AND i.decided IS NOT NULL AND i.decided <= :until AND {stops}"
        )
    } else {
        format!(
            "SELECT {common}, i.start
             FROM cases AS c CROSS JOIN interventions AS i ON i.case_id = c.case_id
             LEFT JOIN insats_types AS t ON t.insats_code = i.insats_code
             WHERE (i.start IS NULL OR i.start > :since)
               AND i.decided IS NOT NULL AND i.decided <= :until AND {stops}{}",
            filter.sql("c")
        )
    };
    let row = |kind: Kind| {
        move |r: &rusqlite::Row<'_>| {
            Ok(Candidate {
                kind,
                intervention_id: r.get(0)?,
                case_id: r.get(1)?,
                worker_id: r.get(2)?,
                client_label: r.get(3)?,
                insats_code: r.get(4)?,
                law: r.get(5)?,
                sex: sex_col(r, 6)?,
                decided: opt_date_col(r, 7)?,
                end: opt_date_col(r, 8)?,
                case_closed: opt_date_col(r, 9)?,
                offered: opt_date_col(r, 10)?,
                delay_reason: r.get(11)?,
                resumed: opt_date_col(r, 12)?,
                interruption_id: if kind == Kind::Avbrott {
                    r.get(13)?
                } else {
                    None
                },
                interrupted: if kind == Kind::Avbrott {
                    opt_date_col(r, 14)?
                } else {
                    None
                },
                reason: if kind == Kind::Avbrott {
                    r.get(15)?
                } else {
                    None
                },
            })
        }
    };
    let mut out = Vec::new();
    let mut read = |sql: &str, kind: Kind| -> rusqlite::Result<()> {
        let mut st = conn.prepare_cached(sql)?;
        for c in st.query_map(params.as_slice(), row(kind))? {
            let c = c?;
            if keep(&c) {
                out.push(c);
            }
        }
        Ok(())
    };
    read(&decisions, Kind::Beslut)?;
    if v2 {
        let sql = format!(
            "SELECT {common}, a.resumed, a.interruption_id, a.interrupted, a.reason
             FROM interruptions AS a
             CROSS JOIN interventions AS i ON i.intervention_id = a.intervention_id
             CROSS JOIN cases AS c ON c.case_id = i.case_id
             LEFT JOIN insats_types AS t ON t.insats_code = i.insats_code
             WHERE a.interrupted <= :until AND (a.resumed IS NULL OR a.resumed > :since)
               AND {stops}{}",
            filter.sql("c")
        );
        read(&sql, Kind::Avbrott)?;
    }
    Ok(out)
}
