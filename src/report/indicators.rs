//! `bevaka report indicators`: the målkedja of a unit and year with each indicator's status,
//! as text laid out like the seeds' tables (ready for a tertial report), CSV or JSON. The
//! JSON layout is a stable interface (README): fields may be added, never renamed or
//! removed.

use std::io::Write;

use serde::Serialize;

use super::{CsvFlavour, Output, csv_number, csv_text, csv_writer};
use crate::cli::Format;
use crate::domain::indicators::{
    Assessed, Overview, Status, Summary, assessment_label, level_label, period_label, with_measure,
};
use crate::text::{clean, pad_right, width};

#[derive(Serialize)]
struct Json<'a> {
    year: i32,
    today: String,
    unit_id: Option<&'a str>,
    years: &'a [i32],
    tolerance_percent: u32,
    summary: JsonSummary,
    indicators: Vec<JsonIndicator<'a>>,
    goals: Vec<JsonGoal<'a>>,
}

#[derive(Serialize)]
struct JsonIndicator<'a> {
    indicator_id: &'a str,
    name: &'a str,
    unit_id: Option<&'a str>,
    goal_id: Option<&'a str>,
    measure: Option<&'a str>,
    direction: &'static str,
    periodicity: Option<&'a str>,
    period: Option<&'a str>,
    value: Option<f64>,
    previous: Option<f64>,
    target: Option<f64>,
    target_text: Option<&'a str>,
    city_target: Option<f64>,
    city_target_text: Option<&'a str>,
    tolerance: Option<f64>,
    status: &'static str,
    explanation: &'a str,
    comment: Option<&'a str>,
    /// The value of the period before of the same kind and how the value moved since:
    /// the tree's trend arrow.
    since: Option<JsonSince<'a>>,
}

#[derive(Serialize)]
struct JsonSince<'a> {
    period: &'a str,
    value: f64,
    movement: &'static str,
}

#[derive(Serialize)]
struct JsonGoal<'a> {
    goal_id: &'a str,
    parent_id: Option<&'a str>,
    level: &'static str,
    code: Option<&'a str>,
    title: &'a str,
    unit_id: Option<&'a str>,
    assessment: Option<&'static str>,
    start: Option<String>,
    end: Option<String>,
    past_end: bool,
    summary: JsonSummary,
}

#[derive(Serialize)]
struct JsonSummary {
    uppfyllt: u64,
    delvis: u64,
    ej_uppfyllt: u64,
    ej_malsatt: u64,
    ej_matt: u64,
    ataganden_helt: u64,
    ataganden_delvis: u64,
    ataganden_ej: u64,
    ataganden_ej_bedomda: u64,
    aktiviteter_passerat_slutdatum: u64,
}

impl From<Summary> for JsonSummary {
    fn from(s: Summary) -> Self {
        let [uppfyllt, delvis, ej_uppfyllt, ej_malsatt, ej_matt] = s.statuses;
        Self {
            uppfyllt,
            delvis,
            ej_uppfyllt,
            ej_malsatt,
            ej_matt,
            ataganden_helt: s.helt,
            ataganden_delvis: s.delvis,
            ataganden_ej: s.ej,
            ataganden_ej_bedomda: s.unassessed,
            aktiviteter_passerat_slutdatum: s.past_end,
        }
    }
}

fn iso(d: chrono::NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// The goals worth printing: all when every indicator is, else those on the way to one.
pub(crate) fn goals_for(o: &Overview, shown: &[usize]) -> Vec<usize> {
    if shown.len() == o.indicators.len() {
        return (0..o.nodes.len()).collect();
    }
    let mut keep = vec![false; o.nodes.len()];
    for &i in shown {
        let mut at = o.indicators.get(i).and_then(|a| a.node);
        // A goal kept has its chain kept: the walk stops there (linear in the goals).
        while let Some(n) = at.filter(|&n| !keep[n]) {
            keep[n] = true;
            at = o.nodes[n].parent;
        }
    }
    (0..o.nodes.len()).filter(|n| keep[*n]).collect()
}

/// Writes the indicators `shown` (indices into `o.indicators`, in order) and their goals.
///
/// # Errors
/// I/O and CSV errors.
pub fn write(
    out: &mut dyn Write,
    o: &Overview,
    shown: &[usize],
    unit_name: Option<&str>,
    options: Output,
) -> color_eyre::Result<()> {
    let goals = goals_for(o, shown);
    let text_shown = shown;
    let shown: Vec<&Assessed> = shown.iter().filter_map(|&i| o.indicators.get(i)).collect();
    match options.format {
        Format::Json => {
            let json = Json {
                year: o.year,
                today: iso(o.today),
                unit_id: o.unit_id.as_deref(),
                years: &o.years,
                tolerance_percent: o.tolerance_percent,
                summary: o.summary().into(),
                indicators: shown.iter().map(|a| json_indicator(a)).collect(),
                goals: goals
                    .iter()
                    .map(|&n| {
                        let node = &o.nodes[n];
                        let g = &node.goal;
                        JsonGoal {
                            goal_id: &g.goal_id,
                            parent_id: g.parent_id.as_deref(),
                            level: g.level.as_str(),
                            code: g.code.as_deref(),
                            title: &g.title,
                            unit_id: node.unit_id.as_deref(),
                            assessment: g.assessment.map(|a| a.as_str()),
                            start: g.start.map(iso),
                            end: g.end.map(iso),
                            past_end: node.past_end,
                            summary: o.goal_summary(n).into(),
                        }
                    })
                    .collect(),
            };
            serde_json::to_writer_pretty(&mut *out, &json)?;
            writeln!(out)?;
        }
        Format::Csv => write_csv(out, o, &shown, options.csv)?,
        Format::Xlsx => return Err(super::xlsx::elsewhere()),
        Format::Text => {
            let text = text(o, text_shown, &goals, unit_name);
            super::write_text(out, &text, options.ascii)?;
        }
    }
    out.flush()?;
    Ok(())
}

fn json_indicator(a: &Assessed) -> JsonIndicator<'_> {
    let i = &a.indicator;
    JsonIndicator {
        indicator_id: &i.indicator_id,
        name: &i.name,
        unit_id: a.unit_id.as_deref(),
        goal_id: i.goal_id.as_deref(),
        measure: i.measure.as_deref(),
        direction: i.direction.as_str(),
        periodicity: i.periodicity.as_deref(),
        period: a.period.as_deref(),
        value: a.value,
        previous: a.previous,
        target: i.target,
        target_text: i.target_text.as_deref(),
        city_target: i.city_target,
        city_target_text: i.city_target_text.as_deref(),
        tolerance: a.tolerance,
        status: a.status.as_str(),
        explanation: &a.explanation,
        comment: a.comment.as_deref(),
        since: a.since.as_ref().map(|s| JsonSince {
            period: &s.period,
            value: s.value,
            movement: s.movement.as_str(),
        }),
    }
}

fn write_csv(
    out: &mut dyn Write,
    o: &Overview,
    shown: &[&Assessed],
    flavour: CsvFlavour,
) -> color_eyre::Result<()> {
    let mut w = csv_writer(out, flavour)?;
    w.write_record([
        "år",
        "indikator_id",
        "indikator",
        "enhet",
        "mål_id",
        "period",
        "utfall",
        "utfall_föregående_år",
        "årsmål",
        "årsmål_text",
        "kf_årsmål",
        "kf_årsmål_text",
        "mått",
        "riktning",
        "tolerans",
        "status",
        "förklaring",
    ])?;
    let num = |v: Option<f64>| v.map(|v| csv_number(v, flavour)).unwrap_or_default();
    let txt = |v: Option<&str>| csv_text(v.unwrap_or(""), flavour);
    for a in shown {
        let i = &a.indicator;
        w.write_record([
            o.year.to_string(),
            csv_text(&i.indicator_id, flavour),
            csv_text(&i.name, flavour),
            txt(a.unit_id.as_deref()),
            txt(i.goal_id.as_deref()),
            txt(a.period.as_deref()),
            num(a.value),
            num(a.previous),
            num(i.target),
            txt(i.target_text.as_deref()),
            num(i.city_target),
            txt(i.city_target_text.as_deref()),
            txt(i.measure.as_deref()),
            crate::domain::indicators::direction_label(i.direction).to_string(),
            num(a.tolerance),
            a.status.label().to_string(),
            csv_text(&a.explanation, flavour),
        ])?;
    }
    w.flush()?;
    Ok(())
}

/// Longest text (in chars) kept from a comment or name that is wrapped over lines.
const LONG_CHARS: usize = 4000;

/// A long snapshot text (an analys, a long indicator name) made safe word by word, so that
/// it is not cut at [`crate::text::MAX_CHARS`] as a single-line string is; at most
/// `LONG_CHARS` characters, then an ellipsis.
#[must_use]
pub fn clean_long(s: &str) -> String {
    let mut out = String::new();
    for word in s.split_whitespace() {
        let word = clean(word);
        if word.trim().is_empty() {
            continue;
        }
        if out.chars().count() + word.chars().count() >= LONG_CHARS {
            out.push_str(" …");
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word.trim());
    }
    out
}

/// Words of `s` in lines of at most `cols` columns (a longer word gets a line of its own).
#[must_use]
pub fn wrap(s: &str, cols: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in s.split_whitespace() {
        if !line.is_empty() && width(&line) + 1 + width(word) > cols {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// The figure cells of one indicator row: utfall, föregående år, årsmål, KF:s årsmål,
/// period, status. Textual targets are shown as written.
#[must_use]
pub fn cells(a: &Assessed) -> [String; 6] {
    let i = &a.indicator;
    let m = i.measure.as_deref();
    let fig = |v: Option<f64>, text: Option<&str>| match (v, text) {
        (Some(v), _) => with_measure(v, m),
        (None, Some(t)) => clean(t).into_owned(),
        (None, None) => String::new(),
    };
    [
        fig(a.value, None),
        fig(a.previous, None),
        fig(i.target, i.target_text.as_deref()),
        fig(i.city_target, i.city_target_text.as_deref()),
        a.period.as_deref().map(period_label).unwrap_or_default(),
        a.status.label().to_string(),
    ]
}

const HEADER: [&str; 7] = [
    "Indikator",
    "Periodens utfall",
    "Utfall föregående år",
    "Årsmål",
    "KF:s årsmål",
    "Period",
    "Status",
];
const NAME_COLS: usize = 44;

fn table(s: &mut String, indent: &str, rows: &[&Assessed]) {
    let cells: Vec<[String; 6]> = rows.iter().map(|a| cells(a)).collect();
    let mut widths = [0_usize; 6];
    for (k, w) in widths.iter_mut().enumerate() {
        *w = cells
            .iter()
            .map(|c| width(&c[k]))
            .chain(std::iter::once(width(HEADER[k + 1])))
            .max()
            .unwrap_or(0);
    }
    let line = |first: &str, rest: &[&str]| {
        let mut l = format!("{indent}{}", pad_right(first, NAME_COLS));
        for (k, c) in rest.iter().enumerate() {
            l.push_str("  ");
            l.push_str(&pad_right(c, widths[k]));
        }
        format!("{}\n", l.trim_end())
    };
    s.push_str(&line(HEADER[0], &HEADER[1..]));
    for (a, c) in rows.iter().zip(&cells) {
        let name = wrap(&clean_long(&a.indicator.name), NAME_COLS);
        let rest: Vec<&str> = c.iter().map(String::as_str).collect();
        s.push_str(&line(&name[0], &rest));
        for more in &name[1..] {
            s.push_str(&format!("{indent}{more}\n"));
        }
        if let Some(comment) = &a.comment {
            for (k, l) in wrap(&clean_long(comment), 96).iter().enumerate() {
                let lead = if k == 0 { "Analys: " } else { "        " };
                s.push_str(&format!("{indent}  {lead}{l}\n"));
            }
        }
    }
}

/// "28 indikatorer: 21 uppfyllt, 2 delvis, …; åtaganden: 14 uppfylls helt, …".
#[must_use]
pub fn summary_text(s: &Summary) -> String {
    let statuses: Vec<String> = Status::ALL
        .iter()
        .map(|st| format!("{} {}", s.statuses[st.index()], st.label()))
        .collect();
    let n = s.indicators();
    let noun = if n == 1 { "indikator" } else { "indikatorer" };
    let mut t = format!("{n} {noun}: {}", statuses.join(", "));
    if s.ataganden() > 0 {
        t.push_str(&format!(
            "; åtaganden: {} uppfylls helt, {} delvis, {} ej",
            s.helt, s.delvis, s.ej
        ));
        if s.unassessed > 0 {
            t.push_str(&format!(", {} ej bedömda", s.unassessed));
        }
    }
    if s.past_end > 0 {
        let noun = if s.past_end == 1 {
            "aktivitet"
        } else {
            "aktiviteter"
        };
        t.push_str(&format!("; {} {noun} har passerat slutdatum", s.past_end));
    }
    t
}

fn text(o: &Overview, shown: &[usize], goals: &[usize], unit_name: Option<&str>) -> String {
    let scope = match (unit_name, &o.unit_id) {
        (Some(n), Some(id)) if n != id => format!("{} ({})", clean(n), clean(id)),
        (_, Some(id)) => clean(id).into_owned(),
        (_, None) => "alla enheter".into(),
    };
    let mut s = format!(
        "Mål och indikatorer {}, {scope}, per {}\n",
        o.year,
        iso(o.today)
    );
    let shown_set: std::collections::HashSet<usize> = shown.iter().copied().collect();
    let pick = |list: &[usize]| -> Vec<&Assessed> {
        list.iter()
            .filter(|i| shown_set.contains(i))
            .filter_map(|&i| o.indicators.get(i))
            .collect()
    };
    for &n in goals {
        let node = &o.nodes[n];
        let g = &node.goal;
        let indent = "  ".repeat(crate::domain::indicators::tree::indent_level(node.depth));
        let code = g
            .code
            .as_deref()
            .map(|c| format!(" {}", clean(c)))
            .unwrap_or_default();
        s.push_str(&format!(
            "\n{indent}{}{code}: {}",
            level_label(g.level),
            clean(&g.title)
        ));
        if let Some(a) = g.assessment {
            s.push_str(&format!(" — {}", assessment_label(a)));
        }
        if g.start.is_some() || g.end.is_some() {
            let day = |d: Option<chrono::NaiveDate>| d.map(iso).unwrap_or_default();
            s.push_str(&format!(" ({}–{})", day(g.start), day(g.end)));
        }
        if node.past_end {
            s.push_str(" [slutdatum passerat]");
        }
        s.push('\n');
        let rows = pick(&node.indicators);
        if !rows.is_empty() {
            s.push('\n');
            table(&mut s, &format!("{indent}  "), &rows);
        }
    }
    let loose = pick(&o.loose);
    if !loose.is_empty() {
        s.push_str("\nIndikatorer utan mål i målkedjan\n\n");
        table(&mut s, "  ", &loose);
    }
    if goals.is_empty() && shown.is_empty() {
        s.push_str(&format!("\nInga mål eller indikatorer för {}.\n", o.year));
    }
    s.push_str(&format!(
        "\nSammanfattning: {}.\n",
        summary_text(&o.summary())
    ));
    let units = o.unit_summaries();
    if o.unit_id.is_none() && units.len() > 1 {
        for (u, sum) in units {
            let name = u.as_deref().map_or_else(|| "utan enhet".into(), clean);
            s.push_str(&format!("  {}: {}.\n", name, summary_text(&sum)));
        }
    }
    s
}
