//! `bevaka report ivo`: the quarter's report to IVO of decisions not verkställda within
//! three months and avbrott over three months, and the nämnd's anonymised summary, as text,
//! CSV or JSON. The JSON layout is a stable interface (README): fields may be added, never
//! renamed or removed.

use std::io::Write;

use serde::Serialize;

use super::{CsvFlavour, Output, csv_text, csv_writer};
use crate::cli::Format;
use crate::domain::ivo::{Band, Ivo, IvoRow, Kind, SummaryRow};
use crate::model::Sex;
use crate::snapshot::queries::Filter;
use crate::text::{clean, pad_left, pad_right, width};

#[derive(Serialize)]
struct Json<'a> {
    quarter: String,
    report_date: String,
    filter: JsonFilter<'a>,
    rows: Vec<JsonRow<'a>>,
    summary: Vec<JsonSummary<'a>>,
}

#[derive(Serialize)]
struct JsonFilter<'a> {
    unit_id: Option<&'a str>,
    team: Option<&'a str>,
    worker_id: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonRow<'a> {
    kind: &'static str,
    intervention_id: &'a str,
    interruption_id: Option<&'a str>,
    case_id: &'a str,
    worker_id: Option<&'a str>,
    insats_code: &'a str,
    law: Option<&'a str>,
    sex: Option<&'static str>,
    decided: Option<String>,
    interrupted: Option<String>,
    status: &'static str,
    status_date: Option<String>,
    days: i64,
    offered: Option<String>,
    delay_reason: Option<&'a str>,
    reason: Option<&'a str>,
    new: bool,
}

#[derive(Serialize)]
struct JsonSummary<'a> {
    kind: &'static str,
    law: Option<&'a str>,
    insats_code: &'a str,
    sex: Option<&'static str>,
    band: &'static str,
    count: u64,
}

fn iso(d: chrono::NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn opt_iso(d: Option<chrono::NaiveDate>) -> Option<String> {
    d.map(iso)
}

fn json<'a>(ivo: &'a Ivo, filter: &'a Filter) -> Json<'a> {
    Json {
        quarter: ivo.quarter.map(|q| q.to_string()).unwrap_or_default(),
        report_date: iso(ivo.report_date),
        filter: JsonFilter {
            unit_id: filter.unit_id.as_deref(),
            team: filter.team.as_deref(),
            worker_id: ivo.worker_id.as_deref(),
        },
        rows: ivo
            .rows
            .iter()
            .map(|r| JsonRow {
                kind: r.kind.as_str(),
                intervention_id: &r.intervention_id,
                interruption_id: r.interruption_id.as_deref(),
                case_id: &r.case_id,
                worker_id: r.worker_id.as_deref(),
                insats_code: &r.insats_code,
                law: r.law.as_deref(),
                sex: r.sex.map(Sex::as_str),
                decided: opt_iso(r.decided),
                interrupted: opt_iso(r.interrupted),
                status: r.status.as_str(),
                status_date: opt_iso(r.status_date),
                days: r.days,
                offered: opt_iso(r.offered),
                delay_reason: r.delay_reason.as_deref(),
                reason: r.reason.as_deref(),
                new: r.new,
            })
            .collect(),
        summary: ivo
            .summary
            .iter()
            .map(|s| JsonSummary {
                kind: s.kind.as_str(),
                law: s.law.as_deref(),
                insats_code: &s.insats_code,
                sex: s.sex.map(Sex::as_str),
                band: s.band.as_str(),
                count: s.count,
            })
            .collect(),
    }
}

/// Writes the IVO report.
///
/// # Errors
/// I/O errors (a closed pipe among them) and CSV errors.
pub fn write(
    out: &mut dyn Write,
    ivo: &Ivo,
    filter: &Filter,
    names: &super::Names,
    options: Output,
) -> color_eyre::Result<()> {
    match options.format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut *out, &json(ivo, filter))?;
            writeln!(out)?;
        }
        Format::Csv => write_csv(out, ivo, options.csv)?,
        Format::Xlsx => return Err(super::xlsx::elsewhere()),
        Format::Text => {
            let text = text(ivo, filter, names, options.ascii);
            super::write_text(out, &text, options.ascii)?;
        }
    }
    out.flush()?;
    Ok(())
}

/// "K", "M" or "okänt": the kön as the report writes it.
#[must_use]
pub fn sex_word(sex: Option<Sex>) -> &'static str {
    sex.map_or("okänt", Sex::as_str)
}

/// The status with its day: "verkställt 2014-11-20", "ej verkställt".
#[must_use]
pub fn status_text(row: &IvoRow) -> String {
    match row.status_date {
        Some(d) => format!("{} {}", row.status.label(), iso(d)),
        None => row.status.label().to_string(),
    }
}

fn write_csv(out: &mut dyn Write, ivo: &Ivo, flavour: CsvFlavour) -> color_eyre::Result<()> {
    let mut w = csv_writer(out, flavour)?;
    w.write_record([
        "del",
        "typ",
        "status",
        "statusdatum",
        "dagar",
        "ärende",
        "insats",
        "lagrum",
        "kön",
        "beslutsdatum",
        "avbrott_från",
        "erbjudet",
        "orsak_dröjsmål",
        "orsak_avbrott",
        "handläggare",
        "ny",
        "väntetid",
        "antal",
    ])?;
    let text = |s: &str| csv_text(s, flavour);
    let opt = |s: Option<&str>| s.map_or_else(String::new, text);
    let date = |d: Option<chrono::NaiveDate>| d.map_or_else(String::new, iso);
    for r in &ivo.rows {
        w.write_record([
            "rad".to_string(),
            r.kind.as_str().to_string(),
            r.status.label().to_string(),
            date(r.status_date),
            r.days.to_string(),
            text(&r.case_id),
            text(ivo.insats_name(&r.insats_code)),
            opt(r.law.as_deref()),
            sex_word(r.sex).to_string(),
            date(r.decided),
            date(r.interrupted),
            date(r.offered),
            opt(r.delay_reason.as_deref()),
            opt(r.reason.as_deref()),
            opt(r.worker_id.as_deref().map(|w| ivo.worker_name(w))),
            if r.new { "ja" } else { "nej" }.to_string(),
            String::new(),
            String::new(),
        ])?;
    }
    for s in &ivo.summary {
        w.write_record([
            "sammanställning".to_string(),
            s.kind.as_str().to_string(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            text(ivo.insats_name(&s.insats_code)),
            opt(s.law.as_deref()),
            sex_word(s.sex).to_string(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            s.band.label().to_string(),
            s.count.to_string(),
        ])?;
    }
    w.flush()?;
    Ok(())
}

/// What narrows the report besides unit and team: "handläggare Anna Berg".
fn scope_parts(ivo: &Ivo) -> Vec<String> {
    let mut parts = Vec::new();
    if let Some(w) = &ivo.worker_id {
        parts.push(format!("handläggare {}", clean(ivo.worker_name(w))));
    }
    parts
}

fn rows_table(ivo: &Ivo, rows: &[&IvoRow], kind: Kind) -> String {
    let date_head = match kind {
        Kind::Beslut => "Beslutad",
        Kind::Avbrott => "Avbrott",
    };
    let insats_w = rows
        .iter()
        .map(|r| width(&clean(ivo.insats_name(&r.insats_code))))
        .max()
        .unwrap_or(6)
        .clamp(6, 30);
    let case_w = rows
        .iter()
        .map(|r| width(&clean(&r.case_id)))
        .max()
        .unwrap_or(6)
        .clamp(6, 20);
    let status_w = rows
        .iter()
        .map(|r| width(&status_text(r)))
        .max()
        .unwrap_or(6)
        .max(6);
    let mut s = format!(
        "{}  {}  {}  {}  {}  {}  {}  {}  {}  Orsak\n",
        pad_right(date_head, 10),
        pad_left("Dagar", 5),
        pad_right("Status", status_w),
        pad_right("Ny", 2),
        pad_right("Ärende", case_w),
        pad_right("Insats", insats_w),
        pad_right("Lagrum", 6),
        pad_right("Kön", 5),
        pad_right("Erbjudet", 10),
    );
    for r in rows {
        let day = match kind {
            Kind::Beslut => r.decided,
            Kind::Avbrott => r.interrupted,
        };
        let reason = match kind {
            Kind::Beslut => r.delay_reason.as_deref(),
            Kind::Avbrott => r.reason.as_deref(),
        };
        s.push_str(&format!(
            "{}  {}  {}  {}  {}  {}  {}  {}  {}  {}\n",
            pad_right(&day.map_or_else(|| "–".to_string(), iso), 10),
            pad_left(&r.days.to_string(), 5),
            pad_right(&status_text(r), status_w),
            pad_right(if r.new { "ny" } else { "" }, 2),
            pad_right(&clean(&r.case_id), case_w),
            pad_right(&clean(ivo.insats_name(&r.insats_code)), insats_w),
            pad_right(&clean(r.law.as_deref().unwrap_or("–")), 6),
            pad_right(sex_word(r.sex), 5),
            pad_right(&r.offered.map_or_else(|| "–".to_string(), iso), 10),
            clean(reason.unwrap_or("–")),
        ));
    }
    s
}

/// The summary as a table: one line per kind, lagrum, insats and kön, the bands as columns,
/// and a total per band. No case reference or client label.
#[must_use]
pub fn summary_text(ivo: &Ivo) -> String {
    type Key<'a> = (Kind, Option<&'a str>, &'a str, Option<Sex>);
    let mut lines: Vec<(Key<'_>, [u64; 3])> = Vec::new();
    for s in &ivo.summary {
        let key = (s.kind, s.law.as_deref(), s.insats_code.as_str(), s.sex);
        match lines.iter_mut().find(|(k, _)| *k == key) {
            Some((_, counts)) => counts[s.band as usize] += s.count,
            None => {
                let mut counts = [0; 3];
                counts[s.band as usize] = s.count;
                lines.push((key, counts));
            }
        }
    }
    let insats_w = lines
        .iter()
        .map(|((_, _, code, _), _)| width(&clean(ivo.insats_name(code))))
        .max()
        .unwrap_or(6)
        .clamp(6, 30);
    let bands = Band::ALL.map(Band::label);
    let mut s = format!(
        "{}  {}  {}  {}  {}  {}  {}  {}\n",
        pad_right("Typ", 7),
        pad_right("Lagrum", 6),
        pad_right("Insats", insats_w),
        pad_right("Kön", 5),
        pad_left(bands[0], 8),
        pad_left(bands[1], 8),
        pad_left(bands[2], 11),
        pad_left("Summa", 6),
    );
    for ((kind, law, code, sex), counts) in &lines {
        s.push_str(&format!(
            "{}  {}  {}  {}  {}  {}  {}  {}\n",
            pad_right(kind.as_str(), 7),
            pad_right(&clean(law.unwrap_or("–")), 6),
            pad_right(&clean(ivo.insats_name(code)), insats_w),
            pad_right(sex_word(*sex), 5),
            pad_left(&counts[0].to_string(), 8),
            pad_left(&counts[1].to_string(), 8),
            pad_left(&counts[2].to_string(), 11),
            pad_left(&counts.iter().sum::<u64>().to_string(), 6),
        ));
    }
    let (totals, all) = ivo.band_totals();
    s.push_str(&format!(
        "{}  {}  {}  {}  {}\n",
        pad_right("Summa", 7 + 2 + 6 + 2 + insats_w + 2 + 5),
        pad_left(&totals[0].to_string(), 8),
        pad_left(&totals[1].to_string(), 8),
        pad_left(&totals[2].to_string(), 11),
        pad_left(&all.to_string(), 6),
    ));
    s
}

/// The summary grouped for the nämnd by one of its dimensions: (label, count) per lagrum,
/// per kön, per band — the lines of the text report's short tables.
fn counts_by<'a>(
    summary: &'a [SummaryRow],
    key: impl Fn(&'a SummaryRow) -> String,
) -> Vec<(String, u64)> {
    let mut out: Vec<(String, u64)> = Vec::new();
    for s in summary {
        let k = key(s);
        match out.iter_mut().find(|(l, _)| *l == k) {
            Some((_, n)) => *n += s.count,
            None => out.push((k, s.count)),
        }
    }
    out
}

/// The text layout: the individual list for IVO's e-service, then the anonymised summary
/// the nämnd sends on.
#[must_use]
pub fn text(ivo: &Ivo, filter: &Filter, names: &super::Names, ascii: bool) -> String {
    let law = if ascii {
        "SoL 16 kap. 6 f par., LSS 28 f-g par."
    } else {
        "SoL 16 kap. 6 f §, LSS 28 f–g §§"
    };
    let quarter = ivo.quarter.map(|q| q.to_string()).unwrap_or_default();
    let mut s = names.heading(
        &format!("Ej verkställda beslut och avbrott i verkställigheten, {quarter}"),
        "",
        filter,
        &scope_parts(ivo),
    );
    s.push_str(&format!(
        "Rapportdatum {}. Beslut som inte verkställts inom tre månader och avbrott som varat \
         över tre månader någon dag under kvartalet ({law}).\n",
        iso(ivo.report_date)
    ));
    for kind in [Kind::Beslut, Kind::Avbrott] {
        let rows: Vec<&IvoRow> = ivo.rows.iter().filter(|r| r.kind == kind).collect();
        let waiting = rows.iter().filter(|r| r.status.waiting()).count();
        let new = rows.iter().filter(|r| r.new).count();
        let title = match kind {
            Kind::Beslut => "Ej verkställda beslut",
            Kind::Avbrott => "Avbrott i verkställigheten",
        };
        s.push_str(&format!(
            "\n{title}: {} ({waiting} väntar på rapportdatumet, {new} nya sedan förra kvartalet)\n",
            rows.len()
        ));
        if rows.is_empty() {
            s.push_str("Inga.\n");
        } else {
            s.push_str(&rows_table(ivo, &rows, kind));
        }
    }
    s.push_str(&format!(
        "\nSammanställning till nämnden (avidentifierad): väntande {}\n",
        iso(ivo.report_date)
    ));
    if ivo.summary.is_empty() {
        s.push_str("Inga beslut eller avbrott väntar.\n");
        return s;
    }
    s.push_str(&summary_text(ivo));
    let short = |title: &str, lines: Vec<(String, u64)>| {
        let mut t = format!("\n{title}\n");
        for (label, n) in lines {
            t.push_str(&format!(
                "{}  {}\n",
                pad_right(&label, 12),
                pad_left(&n.to_string(), 6)
            ));
        }
        t
    };
    s.push_str(&short(
        "Per lagrum",
        counts_by(&ivo.summary, |r| {
            clean(r.law.as_deref().unwrap_or("–")).into_owned()
        }),
    ));
    s.push_str(&short(
        "Per kön",
        counts_by(&ivo.summary, |r| {
            crate::domain::processing::sex_name(r.sex).to_string()
        }),
    ));
    s.push_str(&short(
        "Per väntetid",
        Band::ALL
            .iter()
            .map(|b| (b.label().to_string(), ivo.band_totals().0[*b as usize]))
            .collect(),
    ));
    s
}
