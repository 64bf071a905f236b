//! Checking the ids a user gives (`--worker`, `--unit`, `--team`, or the config's) against
//! the snapshot before anything is shown: a mistyped id would otherwise filter everything
//! out and look like an empty list — a handläggare told they have nothing to do.

use rusqlite::Connection;

use crate::snapshot::queries::{self, Filter};

/// Where a value came from, for the message: `--worker`, or the config file's key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source(pub String);

/// An id the snapshot does not know, with the nearest ones it does.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{what} {value:?} ({origin}) finns inte {place}{}", nearest_text(.nearest))]
pub struct Unknown {
    /// "i ögonblicksbilden", or "i enhet BFN" for a team of another unit.
    pub place: String,
    /// "okänd handläggare", "okänd enhet", "okänd arbetsgrupp".
    pub what: &'static str,
    pub value: String,
    pub origin: String,
    /// Up to three known values nearest to it, each with its name where it has one.
    pub nearest: Vec<String>,
}

fn nearest_text(nearest: &[String]) -> String {
    if nearest.is_empty() {
        String::new()
    } else {
        format!("; närmast: {}", nearest.join(", "))
    }
}

/// The (id, label) pairs nearest to `value`: by edit distance on the id, and on the name
/// where the user may have typed a name instead; ties in id order. At most three.
fn nearest(value: &str, known: &[(String, Option<String>)]) -> Vec<String> {
    let folded = value.to_lowercase();
    let mut scored: Vec<(f64, &String, &Option<String>)> = known
        .iter()
        .map(|(id, name)| {
            let by_id = strsim::normalized_levenshtein(&folded, &id.to_lowercase());
            let by_name = name.as_ref().map_or(0.0, |n| {
                strsim::normalized_levenshtein(&folded, &n.to_lowercase())
            });
            (by_id.max(by_name), id, name)
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    scored
        .into_iter()
        .take(3)
        .map(|(_, id, name)| match name {
            Some(n) if n != id => format!("{id} ({n})"),
            _ => id.clone(),
        })
        .collect()
}

/// Checks the filter's unit and team and the handläggare `worker` against the snapshot.
/// A team must be one of the unit's when a unit is given.
///
/// # Errors
/// [`Unknown`] for the first value the snapshot does not have (wrapped in a SQLite error's
/// place: the caller reports it); SQLite errors.
pub fn check(
    conn: &Connection,
    filter: &Filter,
    worker: Option<(&str, Source)>,
    unit_source: &Source,
    team_source: &Source,
) -> color_eyre::Result<()> {
    if let Some(unit) = &filter.unit_id {
        let units = queries::units(conn)?;
        if !units.iter().any(|u| &u.unit_id == unit) {
            let known: Vec<(String, Option<String>)> = units
                .into_iter()
                .map(|u| (u.unit_id, Some(u.name)))
                .collect();
            return Err(Unknown {
                place: "i ögonblicksbilden".into(),
                what: "okänd enhet",
                value: unit.clone(),
                origin: unit_source.0.clone(),
                nearest: nearest(unit, &known),
            }
            .into());
        }
    }
    if let Some(team) = &filter.team {
        let teams = queries::teams(conn, filter.unit_id.as_deref())?;
        if !teams.contains(team) {
            let known: Vec<(String, Option<String>)> =
                teams.into_iter().map(|t| (t, None)).collect();
            return Err(Unknown {
                place: filter
                    .unit_id
                    .as_ref()
                    .map_or_else(|| "i ögonblicksbilden".into(), |u| format!("i enhet {u}")),
                what: "okänd arbetsgrupp",
                value: team.clone(),
                origin: team_source.0.clone(),
                nearest: nearest(team, &known),
            }
            .into());
        }
    }
    if let Some((id, source)) = worker
        && queries::worker_by_id(conn, id)?.is_none()
    {
        let known: Vec<(String, Option<String>)> = queries::case_workers(conn, &Filter::default())?
            .into_iter()
            .map(|w| (w.worker_id, Some(w.name)))
            .collect();
        return Err(Unknown {
            place: "i ögonblicksbilden".into(),
            what: "okänd handläggare",
            value: id.to_string(),
            origin: source.0,
            nearest: nearest(id, &known),
        }
        .into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_ids_and_names_come_first() {
        let known = vec![
            ("H101".to_string(), Some("Anna Berg".to_string())),
            ("H102".to_string(), Some("Bo Ek".to_string())),
            ("H201".to_string(), Some("Eva Falk".to_string())),
            ("X9".to_string(), None),
        ];
        let n = nearest("H10l", &known);
        assert_eq!(n[0], "H101 (Anna Berg)");
        assert_eq!(n.len(), 3);
        assert_eq!(nearest("eva falk", &known)[0], "H201 (Eva Falk)");
        assert!(nearest("x", &[]).is_empty());
    }

    #[test]
    fn the_message_names_value_source_and_nearest() {
        let e = Unknown {
            place: "i ögonblicksbilden".into(),
            what: "okänd handläggare",
            value: "H999".into(),
            origin: "--worker".into(),
            nearest: vec!["H101 (Anna Berg)".into()],
        };
        assert_eq!(
            e.to_string(),
            "okänd handläggare \"H999\" (--worker) finns inte i ögonblicksbilden; närmast: H101 (Anna Berg)"
        );
    }
}
