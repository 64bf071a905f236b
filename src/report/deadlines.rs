//! `bevaka report deadlines`: the bevakningslista as text, CSV or JSON — every open item,
//! all statuses, sorted by due date. The JSON layout is a stable interface (README).

use std::io::Write;

use serde::Serialize;

use super::{Output, csv_text, csv_writer};
use crate::cli::Format;
use crate::domain::deadlines::{Deadlines, Item, relative};
use crate::text::{clean, pad_left, pad_right, to_ascii, width};

#[derive(Serialize)]
struct Json<'a> {
    today: String,
    worker_id: Option<&'a str>,
    items: Vec<JsonItem<'a>>,
}

#[derive(Serialize)]
struct JsonItem<'a> {
    kind: &'static str,
    case_id: &'a str,
    worker_id: Option<&'a str>,
    due: String,
    days_left: i64,
    status: &'static str,
    source_id: &'a str,
    insats_code: Option<&'a str>,
    followup_kind: Option<&'a str>,
    basis: String,
    client_label: Option<&'a str>,
}

fn iso(d: chrono::NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// Writes the deadlines report of `items` (already filtered to the worker, if any).
///
/// # Errors
/// I/O and CSV errors.
pub fn write(
    out: &mut dyn Write,
    deadlines: &Deadlines,
    items: &[&Item],
    today: chrono::NaiveDate,
    worker: Option<&str>,
    options: Output,
) -> color_eyre::Result<()> {
    let label = |i: &Item| {
        deadlines
            .cases
            .get(&i.case_id)
            .and_then(|c| c.client_label.as_deref())
    };
    match options.format {
        Format::Json => {
            let json = Json {
                today: iso(today),
                worker_id: worker,
                items: items
                    .iter()
                    .map(|i| JsonItem {
                        kind: i.kind.as_str(),
                        case_id: &i.case_id,
                        worker_id: i.worker_id.as_deref(),
                        due: iso(i.due),
                        days_left: i.days_left,
                        status: i.status.as_str(),
                        source_id: &i.source_id,
                        insats_code: i.insats_code.as_deref(),
                        followup_kind: i.followup.as_ref().map(|(k, _)| &**k),
                        basis: iso(i.basis),
                        client_label: label(i),
                    })
                    .collect(),
            };
            serde_json::to_writer_pretty(&mut *out, &json)?;
            writeln!(out)?;
        }
        Format::Csv => {
            let flavour = options.csv;
            let mut w = csv_writer(&mut *out, flavour)?;
            w.write_record([
                "status",
                "förfallodag",
                "dagar_kvar",
                "typ",
                "ärende",
                "klient",
                "insats",
                "handläggare",
            ])?;
            for i in items {
                w.write_record([
                    i.status.as_str().to_string(),
                    iso(i.due),
                    i.days_left.to_string(),
                    i.kind.as_str().to_string(),
                    csv_text(&i.case_id, flavour),
                    csv_text(label(i).unwrap_or(""), flavour),
                    csv_text(insats_name(deadlines, i), flavour),
                    csv_text(i.worker_id.as_deref().unwrap_or(""), flavour),
                ])?;
            }
            w.flush()?;
        }
        Format::Text => {
            let text = text(deadlines, items, today, worker);
            let text = if options.ascii {
                to_ascii(&text).into_owned()
            } else {
                text
            };
            out.write_all(text.as_bytes())?;
        }
    }
    out.flush()?;
    Ok(())
}

/// The insats, or for a bevakning its own kind.
fn insats_name<'a>(d: &'a Deadlines, i: &'a Item) -> &'a str {
    if let Some((kind, _)) = &i.followup {
        return kind;
    }
    i.insats_code
        .as_deref()
        .map(|c| d.insats_names.get(c).map_or(c, String::as_str))
        .unwrap_or("")
}

fn text(d: &Deadlines, items: &[&Item], today: chrono::NaiveDate, worker: Option<&str>) -> String {
    let mut s = format!("Bevakningslista {}", iso(today));
    if let Some(w) = worker {
        let name = d.workers.get(w).map_or(w, |(n, _)| n.as_str());
        s.push_str(&format!(", {}", clean(name)));
    }
    s.push_str(&format!(" ({} öppna)\n\n", items.len()));
    let case_w = items
        .iter()
        .map(|i| width(&clean(&i.case_id)))
        .max()
        .unwrap_or(6)
        .clamp(6, 20);
    s.push_str(&format!(
        "{}  {}  {}  {}  {}  {}  {}\n",
        pad_right("Status", 11),
        pad_right("Förfaller", 10),
        pad_left("Dagar", 6),
        pad_right("Typ", 16),
        pad_right("Ärende", case_w),
        pad_right("Klient", 12),
        "Insats"
    ));
    for i in items {
        let label = d
            .cases
            .get(&i.case_id)
            .and_then(|c| c.client_label.as_deref())
            .unwrap_or("");
        s.push_str(&format!(
            "{}  {}  {}  {}  {}  {}  {}\n",
            pad_right(i.status.label(), 11),
            iso(i.due),
            pad_left(&i.days_left.to_string(), 6),
            pad_right(i.kind.label(), 16),
            pad_right(&clean(&i.case_id), case_w),
            pad_right(&clean(label), 12),
            clean(insats_name(d, i))
        ));
    }
    if items.is_empty() {
        s.push_str("Inga öppna bevakningar.\n");
    } else {
        let overdue = items.iter().filter(|i| i.days_left < 0).count();
        s.push_str(&format!(
            "\n{overdue} försenade; närmast: {}\n",
            items
                .iter()
                .find(|i| i.days_left >= 0)
                .map_or_else(|| "–".to_string(), |i| relative(i.days_left))
        ));
    }
    s
}
