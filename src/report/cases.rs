//! `bevaka report cases` (the cases behind a caseload figure) and `bevaka report case` (one
//! case's card) as text, CSV or JSON.
//!
//! The JSON layouts are a stable interface (documented in the README): fields may be
//! added, never renamed or removed.

use std::fmt::Write as _;
use std::io::Write;

use chrono::NaiveDate;
use serde::Serialize;

use super::{Output, csv_text, csv_writer, write_text};
use crate::cli::Format;
use crate::domain::cases::{CaseCard, CaseList, DecisionList, GroupKey};
use crate::domain::processing::{Measure, Scope};
use crate::model::{Case, Sex};
use crate::snapshot::queries::Filter;
use crate::text::{clean, pad_left, pad_right, to_ascii, width};

fn iso(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn opt_iso(d: Option<NaiveDate>) -> Option<String> {
    d.map(iso)
}

#[derive(Serialize)]
struct JsonCase<'a> {
    case_id: &'a str,
    unit_id: &'a str,
    team: Option<&'a str>,
    worker_id: Option<&'a str>,
    client_label: Option<&'a str>,
    opened: String,
    closed: Option<String>,
    sex: Option<&'static str>,
}

impl<'a> JsonCase<'a> {
    fn of(c: &'a Case) -> Self {
        Self {
            case_id: &c.case_id,
            unit_id: &c.unit_id,
            team: c.team.as_deref(),
            worker_id: c.worker_id.as_deref(),
            client_label: c.client_label.as_deref(),
            opened: iso(c.opened),
            closed: opt_iso(c.closed),
            sex: c.sex.map(Sex::as_str),
        }
    }
}

#[derive(Serialize)]
struct JsonFilter<'a> {
    unit_id: Option<&'a str>,
    team: Option<&'a str>,
    worker_id: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonList<'a> {
    date: String,
    filter: JsonFilter<'a>,
    insats_code: Option<&'a str>,
    cases: JsonCases<'a>,
}

/// The cases, each serialized as it is written (not all of them first).
struct JsonCases<'a>(&'a [Case]);

impl Serialize for JsonCases<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(JsonCase::of))
    }
}

/// Writes `text` to `out`, in ASCII if asked.
fn put(out: &mut dyn Write, text: &str, ascii: bool) -> std::io::Result<()> {
    if ascii {
        out.write_all(to_ascii(text).as_bytes())
    } else {
        out.write_all(text.as_bytes())
    }
}

/// Writes the list of cases behind a caseload figure.
///
/// # Errors
/// I/O errors (a closed pipe among them) and CSV errors.
pub fn write_list(
    out: &mut dyn Write,
    list: &CaseList,
    filter: &Filter,
    names: &super::Names,
    options: Output,
) -> color_eyre::Result<()> {
    match options.format {
        Format::Json => {
            let json = JsonList {
                date: iso(list.date),
                filter: JsonFilter {
                    unit_id: filter.unit_id.as_deref(),
                    team: filter.team.as_deref(),
                    worker_id: list.worker_id.as_deref(),
                },
                insats_code: list.insats.as_ref().map(|t| t.insats_code.as_str()),
                cases: JsonCases(&list.cases),
            };
            serde_json::to_writer_pretty(&mut *out, &json)?;
            writeln!(out)?;
        }
        Format::Csv => {
            let flavour = options.csv;
            let mut w = csv_writer(&mut *out, flavour)?;
            w.write_record([
                "ärende",
                "enhet",
                "arbetsgrupp",
                "handläggare",
                "klient",
                "öppnat",
                "avslutat",
                "kön",
                "handläggare_namn",
            ])?;
            for c in &list.cases {
                w.write_record([
                    csv_text(&c.case_id, flavour),
                    csv_text(&c.unit_id, flavour),
                    csv_text(c.team.as_deref().unwrap_or(""), flavour),
                    csv_text(c.worker_id.as_deref().unwrap_or(""), flavour),
                    csv_text(c.client_label.as_deref().unwrap_or(""), flavour),
                    iso(c.opened),
                    opt_iso(c.closed).unwrap_or_default(),
                    c.sex.map_or("", Sex::as_str).to_string(),
                    csv_text(
                        c.worker_id.as_deref().map_or("", |w| list.worker_name(w)),
                        flavour,
                    ),
                ])?;
            }
            w.flush()?;
        }
        Format::Xlsx => return Err(super::xlsx::elsewhere()),
        Format::Text => write_list_text(out, list, filter, names, options.ascii)?,
    }
    out.flush()?;
    Ok(())
}

/// The short word for a case's kön in a table.
fn sex_short(sex: Option<Sex>) -> &'static str {
    sex.map_or("okänt", Sex::as_str)
}

/// What the list is, for which filter, and how many: the text's heading.
#[must_use]
pub fn list_heading(list: &CaseList, filter: &Filter, names: &super::Names) -> String {
    let mut s = match &list.insats {
        Some(t) => format!(
            "Ärenden med {} ({}) aktiv {}",
            clean(&t.name),
            clean(&t.insats_code),
            iso(list.date)
        ),
        None => format!("Öppna ärenden {}", iso(list.date)),
    };
    if let Some(w) = &list.worker_id {
        let name = list.worker_name(w);
        if name == w {
            let _ = write!(s, ", handläggare {}", clean(w));
        } else {
            let _ = write!(s, ", handläggare {} ({})", clean(name), clean(w));
        }
    }
    names.heading(&s, &format!(": {}", list.cases.len()), filter, &[])
}

/// A heading saying what the list is, then a table of the cases.
#[must_use]
pub fn list_text(list: &CaseList, filter: &Filter, names: &super::Names) -> String {
    let mut out = Vec::new();
    // Writing to memory fails only when memory does.
    let _ = write_list_text(&mut out, list, filter, names, false);
    String::from_utf8_lossy(&out).into_owned()
}

/// [`list_text`], written a line at a time: the columns are measured in one pass over the
/// cases and written in a second, so six cities' open cases are never held as text
/// (they were, twice: 270 MB).
fn write_list_text(
    out: &mut dyn Write,
    list: &CaseList,
    filter: &Filter,
    names: &super::Names,
    ascii: bool,
) -> std::io::Result<()> {
    put(out, &list_heading(list, filter, names), ascii)?;
    if list.cases.is_empty() {
        return Ok(());
    }
    let cells = |c: &'_ Case| -> [String; 6] {
        [
            clean(&c.case_id).into_owned(),
            clean(c.client_label.as_deref().unwrap_or("")).into_owned(),
            clean(c.worker_id.as_deref().map_or("", |w| list.worker_name(w))).into_owned(),
            clean(c.team.as_deref().unwrap_or("")).into_owned(),
            iso(c.opened),
            sex_short(c.sex).to_string(),
        ]
    };
    let heads = [
        "Ärende",
        "Klient",
        "Handläggare",
        "Arbetsgrupp",
        "Öppnat",
        "Kön",
    ];
    let max = [24, 20, 30, 34, 10, 5];
    let mut widths: [usize; 6] = std::array::from_fn(|k| width(heads[k]).min(max[k]));
    for c in &list.cases {
        for (k, cell) in cells(c).iter().enumerate() {
            widths[k] = widths[k].max(width(cell).min(max[k]));
        }
    }
    put(out, "\n", ascii)?;
    let mut l = String::new();
    let mut line = |cells: [&str; 6]| -> std::io::Result<()> {
        l.clear();
        for (k, cell) in cells.iter().enumerate() {
            if k > 0 {
                l.push_str("  ");
            }
            l.push_str(&pad_right(cell, widths[k]));
        }
        l.truncate(l.trim_end().len());
        l.push('\n');
        put(out, &l, ascii)
    };
    line(heads)?;
    for c in &list.cases {
        let r = cells(c);
        line([&r[0], &r[1], &r[2], &r[3], &r[4], &r[5]])?;
    }
    Ok(())
}

#[derive(Serialize)]
struct JsonDecision<'a> {
    /// The application's id (handläggningstid) or the intervention's (verkställighetstid).
    source_id: &'a str,
    case_id: &'a str,
    client_label: Option<&'a str>,
    insats_code: &'a str,
    worker_id: Option<&'a str>,
    sex: Option<&'static str>,
    /// Received (handläggningstid) or decided (verkställighetstid).
    from: String,
    /// Decided (handläggningstid) or started (verkställighetstid).
    to: String,
    days: i64,
    target_days: Option<i64>,
}

#[derive(Serialize)]
struct JsonDecisions<'a> {
    period: String,
    measure: &'static str,
    filter: JsonFilter<'a>,
    insats_code: Option<&'a str>,
    sex: Option<&'static str>,
    decisions: Vec<JsonDecision<'a>>,
}

/// The measure as `--measure` names it.
fn measure_name(measure: Measure) -> &'static str {
    match measure {
        Measure::Handlaggning => "handlaggning",
        Measure::Verkstallighet => "verkstallighet",
    }
}

/// The days a decision is counted from and to, as the list's columns name them.
pub(crate) fn decision_heads(measure: Measure) -> (&'static str, &'static str) {
    match measure {
        Measure::Handlaggning => ("Inkom", "Beslut"),
        Measure::Verkstallighet => ("Beslut", "Start"),
    }
}

/// Writes the decisions behind a period's figure (`bevaka report decisions`).
///
/// # Errors
/// I/O errors (a closed pipe among them) and CSV errors.
pub fn write_decisions(
    out: &mut dyn Write,
    list: &DecisionList,
    filter: &Filter,
    scope: &Scope,
    names: &super::Names,
    options: Output,
) -> color_eyre::Result<()> {
    let sex = match &list.group {
        Some(GroupKey::Sex(s)) => Some(sex_short(*s)),
        _ => None,
    };
    match options.format {
        Format::Json => {
            let json = JsonDecisions {
                period: list.period.to_string(),
                measure: measure_name(list.measure),
                filter: JsonFilter {
                    unit_id: filter.unit_id.as_deref(),
                    team: filter.team.as_deref(),
                    worker_id: scope.worker_id.as_deref(),
                },
                insats_code: scope.insats_code.as_deref(),
                sex,
                decisions: list
                    .decisions
                    .iter()
                    .map(|d| JsonDecision {
                        source_id: &d.row.id,
                        case_id: &d.row.case_id,
                        client_label: d.row.client_label.as_deref(),
                        insats_code: &d.row.insats_code,
                        worker_id: d.row.worker_id.as_deref(),
                        sex: d.row.sex.map(Sex::as_str),
                        from: iso(d.row.from),
                        to: iso(d.row.to),
                        days: d.days,
                        target_days: d.target_days,
                    })
                    .collect(),
            };
            serde_json::to_writer_pretty(&mut *out, &json)?;
            writeln!(out)?;
        }
        Format::Csv => {
            let flavour = options.csv;
            let (from, to) = decision_heads(list.measure);
            let mut w = csv_writer(&mut *out, flavour)?;
            w.write_record([
                "ärende",
                "klient",
                "insats",
                "handläggare",
                "kön",
                &from.to_lowercase(),
                &to.to_lowercase(),
                "dagar",
                "mål dagar",
                "insats_namn",
                "handläggare_namn",
            ])?;
            for d in &list.decisions {
                let r = &d.row;
                w.write_record([
                    csv_text(&r.case_id, flavour),
                    csv_text(r.client_label.as_deref().unwrap_or(""), flavour),
                    csv_text(&r.insats_code, flavour),
                    csv_text(r.worker_id.as_deref().unwrap_or(""), flavour),
                    r.sex.map_or("", Sex::as_str).to_string(),
                    iso(r.from),
                    iso(r.to),
                    d.days.to_string(),
                    d.target_days.map(|t| t.to_string()).unwrap_or_default(),
                    csv_text(list.insats_name(&r.insats_code), flavour),
                    csv_text(
                        r.worker_id.as_deref().map_or("", |w| list.worker_name(w)),
                        flavour,
                    ),
                ])?;
            }
            w.flush()?;
        }
        Format::Xlsx => return Err(super::xlsx::elsewhere()),
        Format::Text => write_text(
            out,
            &decisions_text(list, filter, scope, names),
            options.ascii,
        )?,
    }
    out.flush()?;
    Ok(())
}

/// The list's heading ([`DecisionList::heading`]) with the filter and the review's
/// insats / handläggare, then a table of the decisions.
#[must_use]
pub fn decisions_text(
    list: &DecisionList,
    filter: &Filter,
    narrowed: &Scope,
    names: &super::Names,
) -> String {
    let mut within = Vec::new();
    if let Some(code) = &narrowed.insats_code {
        within.push(format!(
            "insats {} ({})",
            clean(list.insats_name(code)),
            clean(code)
        ));
    }
    if let Some(w) = &narrowed.worker_id {
        within.push(format!(
            "handläggare {} ({})",
            clean(list.worker_name(w)),
            clean(w)
        ));
    }
    let mut s = names.heading(&clean(&list.heading()), "", filter, &within);
    if list.decisions.is_empty() {
        return s;
    }
    let (from, to) = decision_heads(list.measure);
    let heads = [
        "Ärende",
        "Klient",
        "Insats",
        "Handläggare",
        from,
        to,
        "Dagar",
        "Mål",
    ];
    let rows: Vec<[String; 8]> = list
        .decisions
        .iter()
        .map(|d| {
            let r = &d.row;
            [
                clean(&r.case_id).into_owned(),
                clean(r.client_label.as_deref().unwrap_or("")).into_owned(),
                clean(list.insats_name(&r.insats_code)).into_owned(),
                clean(r.worker_id.as_deref().map_or("", |w| list.worker_name(w))).into_owned(),
                iso(r.from),
                iso(r.to),
                d.days.to_string(),
                d.target_days.map(|t| t.to_string()).unwrap_or_default(),
            ]
        })
        .collect();
    let widths = column_widths(&heads, &rows, &[24, 20, 30, 30, 10, 10, 6, 4]);
    let line = |cells: [&str; 8]| {
        let mut l = String::new();
        for (k, cell) in cells.iter().enumerate() {
            if k > 0 {
                l.push_str("  ");
            }
            // The day counts are numbers: right-aligned.
            if k >= 6 {
                l.push_str(&pad_left(cell, widths[k]));
            } else {
                l.push_str(&pad_right(cell, widths[k]));
            }
        }
        l.trim_end().to_string()
    };
    s.push('\n');
    s.push_str(&line(heads));
    s.push('\n');
    for r in &rows {
        s.push_str(&line([
            &r[0], &r[1], &r[2], &r[3], &r[4], &r[5], &r[6], &r[7],
        ]));
        s.push('\n');
    }
    s
}

#[derive(Serialize)]
struct JsonCard<'a> {
    today: String,
    case: JsonCase<'a>,
    applications: Vec<JsonApplication<'a>>,
    interventions: Vec<JsonIntervention<'a>>,
    interruptions: Vec<JsonInterruption<'a>>,
    followups: Vec<JsonFollowup<'a>>,
    deadlines: Vec<JsonDeadline<'a>>,
}

#[derive(Serialize)]
struct JsonApplication<'a> {
    application_id: &'a str,
    insats_code: &'a str,
    received: String,
    investigation_started: Option<String>,
    decided: Option<String>,
    outcome: Option<&'static str>,
    worker_id: Option<&'a str>,
    handlaggningstid_days: Option<i64>,
}

#[derive(Serialize)]
struct JsonIntervention<'a> {
    intervention_id: &'a str,
    application_id: Option<&'a str>,
    insats_code: &'a str,
    decided: Option<String>,
    start: Option<String>,
    end: Option<String>,
    provider: Option<&'a str>,
    ordered: Option<String>,
    plan_received: Option<String>,
    last_followup: Option<String>,
    offered: Option<String>,
    delay_reason: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonInterruption<'a> {
    interruption_id: &'a str,
    intervention_id: &'a str,
    interrupted: String,
    resumed: Option<String>,
    reason: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonFollowup<'a> {
    followup_id: &'a str,
    kind: &'a str,
    due: String,
    done: Option<String>,
    worker_id: Option<&'a str>,
    note: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonDeadline<'a> {
    kind: &'static str,
    due: String,
    days_left: i64,
    status: &'static str,
    basis: String,
    source_id: &'a str,
    explanation: &'a str,
}

fn card_json(card: &CaseCard) -> JsonCard<'_> {
    let rows = &card.rows;
    JsonCard {
        today: iso(card.today),
        case: JsonCase::of(&rows.case),
        applications: rows
            .applications
            .iter()
            .map(|a| JsonApplication {
                application_id: &a.application_id,
                insats_code: &a.insats_code,
                received: iso(a.received),
                investigation_started: opt_iso(a.investigation_started),
                decided: opt_iso(a.decided),
                outcome: a.outcome.map(crate::model::Outcome::as_str),
                worker_id: a.worker_id.as_deref(),
                handlaggningstid_days: crate::domain::cases::handlaggningstid(a),
            })
            .collect(),
        interventions: rows
            .interventions
            .iter()
            .map(|i| JsonIntervention {
                intervention_id: &i.intervention_id,
                application_id: i.application_id.as_deref(),
                insats_code: &i.insats_code,
                decided: opt_iso(i.decided),
                start: opt_iso(i.start),
                end: opt_iso(i.end),
                provider: i.provider.as_deref(),
                ordered: opt_iso(i.ordered),
                plan_received: opt_iso(i.plan_received),
                last_followup: opt_iso(i.last_followup),
                offered: opt_iso(i.offered),
                delay_reason: i.delay_reason.as_deref(),
            })
            .collect(),
        interruptions: rows
            .interruptions
            .iter()
            .map(|a| JsonInterruption {
                interruption_id: &a.interruption_id,
                intervention_id: &a.intervention_id,
                interrupted: iso(a.interrupted),
                resumed: opt_iso(a.resumed),
                reason: a.reason.as_deref(),
            })
            .collect(),
        followups: rows
            .followups
            .iter()
            .map(|f| JsonFollowup {
                followup_id: &f.followup_id,
                kind: &f.kind,
                due: iso(f.due),
                done: opt_iso(f.done),
                worker_id: f.worker_id.as_deref(),
                note: f.note.as_deref(),
            })
            .collect(),
        deadlines: card
            .deadlines
            .iter()
            .map(|d| JsonDeadline {
                kind: d.item.kind.as_str(),
                due: iso(d.item.due),
                days_left: d.item.days_left,
                status: d.item.status.as_str(),
                basis: iso(d.item.basis),
                source_id: &d.item.source_id,
                explanation: &d.explanation,
            })
            .collect(),
    }
}

/// Whether a card can be written in `format`: text or JSON (a card is not a table, so
/// there is no CSV). Checked before the card is read, and logged as read.
///
/// # Errors
/// `--format csv`.
pub fn card_format(format: Format) -> color_eyre::Result<()> {
    if matches!(format, Format::Csv | Format::Xlsx) {
        return Err(color_eyre::eyre::eyre!(
            "report case skrivs som text eller json, inte som tabell (--format text|json)"
        ));
    }
    Ok(())
}

/// Writes one case's card: text or JSON (a card is not a table, so there is no CSV).
///
/// # Errors
/// `--format csv`, and I/O errors (a closed pipe among them).
pub fn write_card(out: &mut dyn Write, card: &CaseCard, options: Output) -> color_eyre::Result<()> {
    match options.format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut *out, &card_json(card))?;
            writeln!(out)?;
        }
        Format::Csv | Format::Xlsx => card_format(options.format)?,
        Format::Text => put(out, &card_text(card), options.ascii)?,
    }
    out.flush()?;
    Ok(())
}

/// A date, or a dash when there is none.
fn date_or_dash(d: Option<NaiveDate>) -> String {
    d.map_or_else(|| "–".to_string(), iso)
}

/// A handläggare as "Name (id)", or just the id when the snapshot has no name for it.
fn worker_text(card: &CaseCard, worker_id: Option<&str>) -> String {
    match worker_id {
        None => "–".to_string(),
        Some(w) => {
            let name = card.worker_name(w);
            if name == w {
                clean(w).into_owned()
            } else {
                format!("{} ({})", clean(name), clean(w))
            }
        }
    }
}

fn insats_text(card: &CaseCard, code: &str) -> String {
    let name = card.insats_name(code);
    if name == code {
        clean(code).into_owned()
    } else {
        format!("{} ({})", clean(name), clean(code))
    }
}

fn section(s: &mut String, title: &str, n: usize) {
    let _ = write!(s, "\n{title} ({n})\n");
    if n == 0 {
        s.push_str("  inga\n");
    }
}

/// The card in readable sections: Ärende, Insatser, Ansökningar, Avbrott, Bevakningar and
/// Öppna bevakningar med skäl.
#[must_use]
pub fn card_text(card: &CaseCard) -> String {
    let rows = &card.rows;
    let c = &rows.case;
    let mut s = format!("Ärende {} ({})\n", clean(&c.case_id), iso(card.today));
    let sex = match c.sex {
        Some(Sex::K) => "kvinna",
        Some(Sex::M) => "man",
        None => "okänt",
    };
    for (label, value) in [
        (
            "Klient",
            clean(c.client_label.as_deref().unwrap_or("–")).into_owned(),
        ),
        ("Enhet", clean(&c.unit_id).into_owned()),
        (
            "Arbetsgrupp",
            clean(c.team.as_deref().unwrap_or("–")).into_owned(),
        ),
        ("Handläggare", worker_text(card, c.worker_id.as_deref())),
        ("Öppnat", iso(c.opened)),
        ("Avslutat", date_or_dash(c.closed)),
        ("Kön", sex.to_string()),
    ] {
        let _ = writeln!(s, "  {}{value}", pad_right(label, 13));
    }

    section(&mut s, "Insatser", rows.interventions.len());
    for i in &rows.interventions {
        let _ = writeln!(
            s,
            "  {}  {}",
            clean(&i.intervention_id),
            insats_text(card, &i.insats_code)
        );
        let mut parts = vec![
            format!("beslut {}", date_or_dash(i.decided)),
            format!("start {}", date_or_dash(i.start)),
            format!("slut {}", date_or_dash(i.end)),
        ];
        if let Some(p) = &i.provider {
            parts.push(format!("utförare {}", clean(p)));
        }
        let _ = writeln!(s, "    {}", parts.join(", "));
        let mut more = Vec::new();
        for (label, date) in [
            ("beställd", i.ordered),
            ("genomförandeplan", i.plan_received),
            ("senast uppföljd", i.last_followup),
            ("erbjuden", i.offered),
        ] {
            if let Some(d) = date {
                more.push(format!("{label} {}", iso(d)));
            }
        }
        if let Some(r) = &i.delay_reason {
            more.push(format!("skäl till dröjsmål: {}", clean(r)));
        }
        if !more.is_empty() {
            let _ = writeln!(s, "    {}", more.join(", "));
        }
    }

    section(&mut s, "Ansökningar", rows.applications.len());
    for a in &rows.applications {
        let _ = writeln!(
            s,
            "  {}  {}",
            clean(&a.application_id),
            insats_text(card, &a.insats_code)
        );
        let mut parts = vec![
            format!("inkom {}", iso(a.received)),
            format!("utredning {}", date_or_dash(a.investigation_started)),
            format!("beslut {}", date_or_dash(a.decided)),
        ];
        if let Some(o) = a.outcome {
            parts.push(outcome_label(o).to_string());
        }
        if let Some(days) = crate::domain::cases::handlaggningstid(a) {
            parts.push(format!(
                "handläggningstid {days} {}",
                if days == 1 { "dag" } else { "dagar" }
            ));
        }
        parts.push(format!(
            "handläggare {}",
            worker_text(card, a.worker_id.as_deref())
        ));
        let _ = writeln!(s, "    {}", parts.join(", "));
    }

    section(&mut s, "Avbrott", rows.interruptions.len());
    for a in &rows.interruptions {
        let mut line = format!(
            "  {}  insats {}, avbrott {}, återupptaget {}",
            clean(&a.interruption_id),
            clean(&a.intervention_id),
            iso(a.interrupted),
            date_or_dash(a.resumed)
        );
        if let Some(r) = &a.reason {
            let _ = write!(line, ", skäl: {}", clean(r));
        }
        let _ = writeln!(s, "{line}");
    }

    section(&mut s, "Bevakningar", rows.followups.len());
    for f in &rows.followups {
        let mut line = format!(
            "  {}  {}, förfaller {}, klar {}, handläggare {}",
            clean(&f.followup_id),
            clean(&f.kind),
            iso(f.due),
            date_or_dash(f.done),
            worker_text(card, f.worker_id.as_deref())
        );
        if let Some(n) = &f.note {
            let _ = write!(line, ": {}", clean(n));
        }
        let _ = writeln!(s, "{line}");
    }

    section(&mut s, "Öppna bevakningar med skäl", card.deadlines.len());
    for d in &card.deadlines {
        let i = &d.item;
        let _ = writeln!(
            s,
            "  {}  {}  {}  {}  {}",
            pad_right(i.status.label(), 11),
            iso(i.due),
            pad_left(&i.days_left.to_string(), 6),
            pad_right(i.kind.label(), 16),
            clean(&i.source_id)
        );
        let _ = writeln!(s, "      {}", clean(&d.explanation));
    }
    s
}

/// An application's outcome in Swedish.
fn outcome_label(o: crate::model::Outcome) -> &'static str {
    use crate::model::Outcome;
    match o {
        Outcome::Beviljad => "beviljad",
        Outcome::Avslag => "avslag",
        Outcome::Delvis => "delvis beviljad",
        Outcome::Aterkallad => "återkallad",
    }
}

/// The width of each column of a text table: its widest cell or heading, at most `max`.
fn column_widths<const N: usize>(
    heads: &[&str; N],
    rows: &[[String; N]],
    max: &[usize; N],
) -> Vec<usize> {
    (0..N)
        .map(|k| {
            rows.iter()
                .map(|r| width(&r[k]))
                .chain([width(heads[k])])
                .max()
                .unwrap_or(0)
                .min(max[k])
        })
        .collect()
}
