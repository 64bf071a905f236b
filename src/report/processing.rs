//! `bevaka report processing-time`: the quarterly review — handläggningstid per quarter,
//! applications waiting past their target, and the ej verkställda beslut the IVO report
//! needs — as text, CSV or JSON. The JSON layout is a stable interface (README).
//!
//! The number formats here (decimal comma, shares as whole percent) are shared with the
//! dashboard's view so that the screen and the report read the same.

use std::io::Write;

use serde::Serialize;

use super::caseload::JsonBySex;
use super::{CsvFlavour, Output, csv_number, csv_text, csv_writer};
use crate::cli::Format;
use crate::domain::processing::{Change, Measure, PeriodRow, Processing, Stats};
use crate::snapshot::queries::Filter;
use crate::text::{clean, pad_left, pad_right, width};

/// The sign of a change column's heading: `±`, or `+/-` where only ASCII will do.
#[must_use]
pub fn plus_minus(ascii: bool) -> &'static str {
    if ascii { "+/-" } else { "±" }
}

/// Days with one decimal and a decimal comma ("12,5"); "–" for none.
#[must_use]
pub fn days(value: Option<f64>) -> String {
    value.map_or_else(|| "–".to_string(), |v| format!("{v:.1}").replace('.', ","))
}

/// Whole days ("14"); "–" for none.
#[must_use]
pub fn whole(value: Option<i64>) -> String {
    value.map_or_else(|| "–".to_string(), |v| v.to_string())
}

/// A share as whole percent ("83 %"); "–" for none.
#[must_use]
pub fn percent(share: Option<f64>) -> String {
    share.map_or_else(|| "–".to_string(), |s| format!("{:.0} %", s * 100.0))
}

/// A change in days with sign and one decimal ("+2,5", "−1,0"); "–" for none.
#[must_use]
pub fn days_change(change: Option<f64>, ascii: bool) -> String {
    change.map_or_else(
        || "–".to_string(),
        |c| {
            let text = format!("{:.1}", c.abs()).replace('.', ",");
            if text == "0,0" {
                text
            } else if c > 0.0 {
                format!("+{text}")
            } else if ascii {
                format!("-{text}")
            } else {
                format!("−{text}")
            }
        },
    )
}

/// A change of a share in whole percentage points ("+5", "−12"); "–" for none.
#[must_use]
pub fn points_change(change: Option<f64>, ascii: bool) -> String {
    change.map_or_else(
        || "–".to_string(),
        |c| {
            // Rounded in f64 and held as a small whole number of points.
            let points = (c * 100.0).round();
            crate::text::signed(if points.is_finite() { points as i64 } else { 0 }, ascii)
        },
    )
}

#[derive(Serialize)]
struct Json<'a> {
    today: String,
    filter: JsonFilter<'a>,
    quarters: Vec<JsonQuarter>,
    /// The kind of `periods` and `execution_time`: quarter, tertial, half or year.
    period: &'static str,
    periods: Vec<JsonPeriod>,
    execution_time: Vec<JsonExecution>,
    open_past_target: Vec<JsonOver<'a>>,
    not_executed: Vec<JsonNotExecuted<'a>>,
}

#[derive(Serialize)]
struct JsonPeriod {
    period: String,
    decisions: u64,
    median_days: Option<f64>,
    mean_days: Option<f64>,
    p90_days: Option<i64>,
    max_days: Option<i64>,
    within_target: Option<f64>,
    decisions_with_target: u64,
    change_previous: JsonChange,
    change_year: JsonChange,
    by_sex: JsonBySex<JsonSexStats>,
}

#[derive(Serialize)]
struct JsonSexStats {
    decisions: u64,
    median_days: Option<f64>,
    mean_days: Option<f64>,
    p90_days: Option<i64>,
    max_days: Option<i64>,
    within_target: Option<f64>,
}

#[derive(Serialize)]
struct JsonExecution {
    period: String,
    started: u64,
    median_days: Option<f64>,
    mean_days: Option<f64>,
    p90_days: Option<i64>,
    max_days: Option<i64>,
    within_3_months: Option<f64>,
    change_previous: JsonExecutionChange,
    change_year: JsonExecutionChange,
    by_sex: JsonBySex<JsonExecutionSex>,
}

#[derive(Serialize)]
struct JsonExecutionChange {
    started: i64,
    median_days: Option<f64>,
    within_3_months: Option<f64>,
}

#[derive(Serialize)]
struct JsonExecutionSex {
    started: u64,
    median_days: Option<f64>,
    mean_days: Option<f64>,
    p90_days: Option<i64>,
    max_days: Option<i64>,
    within_3_months: Option<f64>,
}

fn sex_stats(s: &Stats) -> JsonSexStats {
    JsonSexStats {
        decisions: s.decisions,
        median_days: s.median_days,
        mean_days: s.mean_days,
        p90_days: s.p90_days,
        max_days: s.max_days,
        within_target: s.within_target(),
    }
}

fn execution_sex(s: &Stats) -> JsonExecutionSex {
    JsonExecutionSex {
        started: s.decisions,
        median_days: s.median_days,
        mean_days: s.mean_days,
        p90_days: s.p90_days,
        max_days: s.max_days,
        within_3_months: s.within_target(),
    }
}

fn execution_change(c: &Change) -> JsonExecutionChange {
    JsonExecutionChange {
        started: c.decisions,
        median_days: c.median_days,
        within_3_months: c.within_target,
    }
}

#[derive(Serialize)]
struct JsonFilter<'a> {
    unit_id: Option<&'a str>,
    team: Option<&'a str>,
    insats_code: Option<&'a str>,
    worker_id: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonQuarter {
    quarter: String,
    decisions: u64,
    median_days: Option<f64>,
    mean_days: Option<f64>,
    p90_days: Option<i64>,
    max_days: Option<i64>,
    within_target: Option<f64>,
    decisions_with_target: u64,
    change_previous: JsonChange,
    change_year: JsonChange,
}

#[derive(Serialize)]
struct JsonChange {
    decisions: i64,
    median_days: Option<f64>,
    within_target: Option<f64>,
}

#[derive(Serialize)]
struct JsonOver<'a> {
    application_id: &'a str,
    case_id: &'a str,
    insats_code: &'a str,
    worker_id: Option<&'a str>,
    received: String,
    target_days: i64,
    days_waiting: i64,
}

#[derive(Serialize)]
struct JsonNotExecuted<'a> {
    intervention_id: &'a str,
    case_id: &'a str,
    insats_code: &'a str,
    worker_id: Option<&'a str>,
    decided: String,
    days_waiting: i64,
}

fn iso(d: chrono::NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn json_change(c: &Change) -> JsonChange {
    JsonChange {
        decisions: c.decisions,
        median_days: c.median_days,
        within_target: c.within_target,
    }
}

fn json<'a>(p: &'a Processing, filter: &'a Filter) -> Json<'a> {
    Json {
        today: iso(p.today),
        filter: JsonFilter {
            unit_id: filter.unit_id.as_deref(),
            team: filter.team.as_deref(),
            insats_code: p.scope.insats_code.as_deref(),
            worker_id: p.scope.worker_id.as_deref(),
        },
        quarters: p
            .quarters
            .iter()
            .map(|q| JsonQuarter {
                quarter: q.quarter.to_string(),
                decisions: q.stats.decisions,
                median_days: q.stats.median_days,
                mean_days: q.stats.mean_days,
                p90_days: q.stats.p90_days,
                max_days: q.stats.max_days,
                within_target: q.stats.within_target(),
                decisions_with_target: q.stats.with_target,
                change_previous: json_change(&q.vs_prev),
                change_year: json_change(&q.vs_year),
            })
            .collect(),
        period: p.kind.as_str(),
        periods: p
            .periods
            .iter()
            .map(|r| JsonPeriod {
                period: r.period.to_string(),
                decisions: r.stats.decisions,
                median_days: r.stats.median_days,
                mean_days: r.stats.mean_days,
                p90_days: r.stats.p90_days,
                max_days: r.stats.max_days,
                within_target: r.stats.within_target(),
                decisions_with_target: r.stats.with_target,
                change_previous: json_change(&r.vs_prev),
                change_year: json_change(&r.vs_year),
                by_sex: JsonBySex::from_parts(r.by_sex.each_ref().map(sex_stats)),
            })
            .collect(),
        execution_time: p
            .execution
            .iter()
            .map(|r| JsonExecution {
                period: r.period.to_string(),
                started: r.stats.decisions,
                median_days: r.stats.median_days,
                mean_days: r.stats.mean_days,
                p90_days: r.stats.p90_days,
                max_days: r.stats.max_days,
                within_3_months: r.stats.within_target(),
                change_previous: execution_change(&r.vs_prev),
                change_year: execution_change(&r.vs_year),
                by_sex: JsonBySex::from_parts(r.by_sex.each_ref().map(execution_sex)),
            })
            .collect(),
        open_past_target: p
            .over_target
            .iter()
            .map(|o| JsonOver {
                application_id: &o.application_id,
                case_id: &o.case_id,
                insats_code: &o.insats_code,
                worker_id: o.worker_id.as_deref(),
                received: iso(o.received),
                target_days: o.target_days,
                days_waiting: o.days_waiting,
            })
            .collect(),
        not_executed: p
            .not_executed
            .iter()
            .map(|n| JsonNotExecuted {
                intervention_id: &n.intervention_id,
                case_id: &n.case_id,
                insats_code: &n.insats_code,
                worker_id: n.worker_id.as_deref(),
                decided: iso(n.decided),
                days_waiting: n.days_waiting,
            })
            .collect(),
    }
}

/// Writes the processing-time report.
///
/// # Errors
/// I/O errors (a closed pipe among them) and CSV errors.
pub fn write(
    out: &mut dyn Write,
    p: &Processing,
    filter: &Filter,
    names: &super::Names,
    options: Output,
) -> color_eyre::Result<()> {
    match options.format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut *out, &json(p, filter))?;
            writeln!(out)?;
        }
        Format::Csv => write_csv(out, p, options.csv)?,
        Format::Xlsx => return Err(super::xlsx::elsewhere()),
        Format::Text => {
            let text = text(p, filter, names, options.ascii);
            super::write_text(out, &text, options.ascii)?;
        }
    }
    out.flush()?;
    Ok(())
}

/// A figure for CSV rounded to `decimals` places (the report's precision, not the float's).
fn csv_opt(value: Option<f64>, decimals: i32, flavour: CsvFlavour) -> String {
    let scale = 10_f64.powi(decimals);
    value.map_or_else(String::new, |v| {
        csv_number((v * scale).round() / scale, flavour)
    })
}

fn write_csv(out: &mut dyn Write, p: &Processing, flavour: CsvFlavour) -> color_eyre::Result<()> {
    let mut w = csv_writer(out, flavour)?;
    w.write_record([
        "typ",
        "kvartal_eller_datum",
        "id",
        "ärende",
        "insats",
        "handläggare",
        "beslut",
        "median_dagar",
        "medel_dagar",
        "p90_dagar",
        "max_dagar",
        "inom_mål",
        "dagar_väntat",
        "handläggare_id",
    ])?;
    let kind = p.kind.heading().to_lowercase();
    let rows = p.periods.iter().map(|r| (kind.clone(), r)).chain(
        p.execution
            .iter()
            .map(|r| ("verkställighetstid".to_string(), r)),
    );
    for (typ, q) in rows {
        let s: &Stats = &q.stats;
        w.write_record([
            typ,
            q.period.to_string(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            s.decisions.to_string(),
            csv_opt(s.median_days, 1, flavour),
            csv_opt(s.mean_days, 2, flavour),
            s.p90_days.map_or_else(String::new, |v| v.to_string()),
            s.max_days.map_or_else(String::new, |v| v.to_string()),
            csv_opt(s.within_target(), 4, flavour),
            String::new(),
            String::new(),
        ])?;
    }
    let text = |s: &str| csv_text(s, flavour);
    for o in &p.over_target {
        w.write_record([
            "över_mål".to_string(),
            iso(o.received),
            text(&o.application_id),
            text(&o.case_id),
            text(p.insats_name(&o.insats_code)),
            text(p.worker_name(o.worker_id.as_deref()).unwrap_or("")),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            o.days_waiting.to_string(),
            text(o.worker_id.as_deref().unwrap_or("")),
        ])?;
    }
    for n in &p.not_executed {
        w.write_record([
            "ej_verkställt".to_string(),
            iso(n.decided),
            text(&n.intervention_id),
            text(&n.case_id),
            text(p.insats_name(&n.insats_code)),
            text(p.worker_name(n.worker_id.as_deref()).unwrap_or("")),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            n.days_waiting.to_string(),
            text(n.worker_id.as_deref().unwrap_or("")),
        ])?;
    }
    w.flush()?;
    Ok(())
}

/// What narrows the figures besides unit and team: "insats Hemtjänst", "handläggare …".
#[must_use]
pub fn scope_parts(p: &Processing) -> Vec<String> {
    let mut parts = Vec::new();
    if let Some(c) = &p.scope.insats_code {
        parts.push(format!("insats {}", clean(p.insats_name(c))));
    }
    if let Some(w) = &p.scope.worker_id {
        parts.push(format!(
            "handläggare {}",
            clean(p.worker_name(Some(w)).unwrap_or(w))
        ));
    }
    parts
}

/// One measure's periods as a table of the seeds' kind: count, median, mean, p90, max,
/// share within target and the changes of the median.
fn period_table(rows: &[PeriodRow], measure: Measure, kind_heading: &str, ascii: bool) -> String {
    let (count, within) = match measure {
        Measure::Handlaggning => ("Beslut", "Inom mål"),
        Measure::Verkstallighet => ("Startade", "Inom 3 mån"),
    };
    let heads = [
        (kind_heading, 9),
        (count, 9),
        ("Median", 9),
        ("Medel", 9),
        ("90:e pct", 10),
        ("Längst", 9),
        (within, 11),
        ("Median ±per", 13),
        ("Median ±år", 12),
    ]
    .map(|(h, w)| (h.replace('±', plus_minus(ascii)), w));
    let mut s = String::new();
    for (i, (h, w)) in heads.iter().enumerate() {
        s.push_str(&if i == 0 {
            pad_right(h, *w)
        } else {
            pad_left(h, *w)
        });
    }
    s.push('\n');
    for q in rows {
        let st = &q.stats;
        let cells = [
            q.period.to_string(),
            st.decisions.to_string(),
            days(st.median_days),
            days(st.mean_days),
            whole(st.p90_days),
            whole(st.max_days),
            percent(st.within_target()),
            days_change(q.vs_prev.median_days, ascii),
            days_change(q.vs_year.median_days, ascii),
        ];
        for (i, (c, (_, w))) in cells.iter().zip(heads.iter()).enumerate() {
            s.push_str(&if i == 0 {
                pad_right(c, *w)
            } else {
                pad_left(c, *w)
            });
        }
        s.push('\n');
    }
    s
}

/// One measure's periods split by kön: count, median and share within target for
/// kvinnor, män and okänt kön (the three add up to the period's count).
fn sex_table(rows: &[PeriodRow], measure: Measure, kind_heading: &str) -> String {
    let within = match measure {
        Measure::Handlaggning => "inom mål",
        Measure::Verkstallighet => "inom 3 mån",
    };
    // Each kön: count, median and share, under its name.
    let share_w = width(within).max(5);
    let group_w = 2 + 6 + 2 + 6 + 2 + share_w;
    let mut s = pad_right("", 9);
    for sex in crate::domain::processing::SEXES {
        s.push_str(&pad_left(crate::domain::processing::sex_name(sex), group_w));
    }
    s.push('\n');
    s.push_str(&pad_right(kind_heading, 9));
    for _ in 0..3 {
        s.push_str(&format!(
            "  {}  {}  {}",
            pad_left("Antal", 6),
            pad_left("Median", 6),
            pad_left(within, share_w)
        ));
    }
    s.push('\n');
    for q in rows {
        s.push_str(&pad_right(&q.period.to_string(), 9));
        for st in &q.by_sex {
            s.push_str(&format!(
                "  {}  {}  {}",
                pad_left(&st.decisions.to_string(), 6),
                pad_left(&days(st.median_days), 6),
                pad_left(&percent(st.within_target()), share_w),
            ));
        }
        s.push('\n');
    }
    s
}

/// The text layout: handläggningstid and verkställighetstid by period as in the seeds'
/// tables, each split by kön, then the two lists.
#[must_use]
pub fn text(p: &Processing, filter: &Filter, names: &super::Names, ascii: bool) -> String {
    let heading = p.kind.heading();
    let mut s = names.heading(
        &format!("Handläggningstid {}, {}", p.kind.per(), iso(p.today)),
        "",
        filter,
        &scope_parts(p),
    );
    s.push_str(&format!(
        "Dagar från ansökan till beslut, {} för beslutsdatum.\n\n",
        p.kind.per()
    ));
    s.push_str(&period_table(
        &p.periods,
        Measure::Handlaggning,
        heading,
        ascii,
    ));
    s.push_str("\nPer kön\n");
    s.push_str(&sex_table(&p.periods, Measure::Handlaggning, heading));
    s.push_str(&format!(
        "\nVerkställighetstid {}\nDagar från beslut till verkställighet, {} för startdatum; \
         inom 3 mån: startad senast tre kalendermånader efter beslutet.\n\n",
        p.kind.per(),
        p.kind.per()
    ));
    s.push_str(&period_table(
        &p.execution,
        Measure::Verkstallighet,
        heading,
        ascii,
    ));
    s.push_str("\nPer kön\n");
    s.push_str(&sex_table(&p.execution, Measure::Verkstallighet, heading));

    let insats_w = p
        .over_target
        .iter()
        .map(|o| o.insats_code.as_str())
        .chain(p.not_executed.iter().map(|n| n.insats_code.as_str()))
        .map(|c| width(&clean(p.insats_name(c))))
        .max()
        .unwrap_or(6)
        .clamp(6, 30);
    let case_w = p
        .over_target
        .iter()
        .map(|o| width(&clean(&o.case_id)))
        .chain(p.not_executed.iter().map(|n| width(&clean(&n.case_id))))
        .max()
        .unwrap_or(6)
        .clamp(6, 20);
    s.push_str(&format!(
        "\nAnsökningar utan beslut efter målet ({})\n",
        p.over_target.len()
    ));
    if p.over_target.is_empty() {
        s.push_str("Inga.\n");
    } else {
        s.push_str(&format!(
            "{}  {}  {}  {}  {}  Handläggare\n",
            pad_right("Inkom", 10),
            pad_left("Dagar", 6),
            pad_left("Mål", 4),
            pad_right("Ärende", case_w),
            pad_right("Insats", insats_w),
        ));
        for o in &p.over_target {
            s.push_str(&format!(
                "{}  {}  {}  {}  {}  {}\n",
                iso(o.received),
                pad_left(&o.days_waiting.to_string(), 6),
                pad_left(&o.target_days.to_string(), 4),
                pad_right(&clean(&o.case_id), case_w),
                pad_right(&clean(p.insats_name(&o.insats_code)), insats_w),
                clean(p.worker_name(o.worker_id.as_deref()).unwrap_or("–")),
            ));
        }
    }
    s.push_str(&format!(
        "\nEj verkställda beslut {} ({})\n",
        iso(p.today),
        p.not_executed.len()
    ));
    if p.not_executed.is_empty() {
        s.push_str("Inga.\n");
    } else {
        s.push_str(&format!(
            "{}  {}  {}  {}  Handläggare\n",
            pad_right("Beslutad", 10),
            pad_left("Dagar", 6),
            pad_right("Ärende", case_w),
            pad_right("Insats", insats_w),
        ));
        for n in &p.not_executed {
            s.push_str(&format!(
                "{}  {}  {}  {}  {}\n",
                iso(n.decided),
                pad_left(&n.days_waiting.to_string(), 6),
                pad_right(&clean(&n.case_id), case_w),
                pad_right(&clean(p.insats_name(&n.insats_code)), insats_w),
                clean(p.worker_name(n.worker_id.as_deref()).unwrap_or("–")),
            ));
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_swedish() {
        assert_eq!(days(Some(12.5)), "12,5");
        assert_eq!(days(Some(3.0)), "3,0");
        assert_eq!(days(None), "–");
        assert_eq!(percent(Some(2.0 / 3.0)), "67 %");
        assert_eq!(days_change(Some(-1.0), false), "−1,0");
        assert_eq!(days_change(Some(-1.0), true), "-1,0");
        assert_eq!(days_change(Some(0.5), true), "+0,5");
        assert_eq!(days_change(Some(-0.01), true), "0,0");
        assert_eq!(points_change(Some(0.054), true), "+5");
        assert_eq!(points_change(None, true), "–");
    }
}
