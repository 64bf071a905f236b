//! `bevaka report caseload`: the caseload view as text, CSV or JSON.
//!
//! The JSON layout is a stable interface (documented in the README): fields may be added,
//! never renamed or removed.

use std::io::Write;

use serde::Serialize;

use super::{CsvFlavour, Output, csv_text, csv_writer};
use crate::cli::Format;
use crate::domain::caseload::Caseload;
use crate::snapshot::queries::Filter;
use crate::text::{clean, pad_left, pad_right, signed, width};

#[derive(Serialize)]
struct Json<'a> {
    as_of: String,
    dates: [String; 3],
    filter: JsonFilter<'a>,
    rows: Vec<JsonRow<'a>>,
    workers: Vec<JsonWorker<'a>>,
    open_cases: u64,
    unassigned_open_cases: u64,
    open_cases_by_sex: JsonBySex<u64>,
}

/// A figure split by kön (DOMAIN.md "Könsuppdelad"): the three parts add up to the whole.
#[derive(Serialize)]
pub(crate) struct JsonBySex<T> {
    #[serde(rename = "K")]
    pub(crate) k: T,
    #[serde(rename = "M")]
    pub(crate) m: T,
    pub(crate) unknown: T,
}

impl<T> JsonBySex<T> {
    pub(crate) fn from_parts([k, m, unknown]: [T; 3]) -> Self {
        Self { k, m, unknown }
    }
}

#[derive(Serialize)]
struct JsonFilter<'a> {
    unit_id: Option<&'a str>,
    team: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonRow<'a> {
    area: &'a str,
    insats_code: &'a str,
    insats: &'a str,
    counts: [u64; 3],
    change: i64,
    /// The counts on the three dates, by kön.
    by_sex: JsonBySex<[u64; 3]>,
}

#[derive(Serialize)]
struct JsonWorker<'a> {
    worker_id: &'a str,
    name: &'a str,
    team: Option<&'a str>,
    open_cases: u64,
}

fn iso(d: chrono::NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// Writes the caseload report.
///
/// # Errors
/// I/O errors (a closed pipe among them) and CSV errors.
pub fn write(
    out: &mut dyn Write,
    caseload: &Caseload,
    filter: &Filter,
    names: &super::Names,
    options: Output,
) -> color_eyre::Result<()> {
    match options.format {
        Format::Json => {
            let json = Json {
                as_of: iso(caseload.as_of),
                dates: caseload.dates.map(iso),
                filter: JsonFilter {
                    unit_id: filter.unit_id.as_deref(),
                    team: filter.team.as_deref(),
                },
                rows: caseload
                    .rows
                    .iter()
                    .map(|r| JsonRow {
                        area: &r.area,
                        insats_code: &r.insats_code,
                        insats: &r.insats,
                        counts: r.counts,
                        change: r.change(),
                        by_sex: JsonBySex::from_parts(r.by_sex),
                    })
                    .collect(),
                workers: caseload
                    .workers
                    .iter()
                    .map(|w| JsonWorker {
                        worker_id: &w.worker_id,
                        name: &w.name,
                        team: w.team.as_deref(),
                        open_cases: w.open_cases,
                    })
                    .collect(),
                open_cases: caseload.open_cases,
                unassigned_open_cases: caseload.unassigned,
                open_cases_by_sex: JsonBySex::from_parts(caseload.open_by_sex),
            };
            serde_json::to_writer_pretty(&mut *out, &json)?;
            writeln!(out)?;
        }
        Format::Csv => write_csv(out, caseload, options.csv)?,
        Format::Xlsx => return Err(super::xlsx::elsewhere()),
        Format::Text => {
            let text = text(caseload, filter, names);
            super::write_text(out, &text, options.ascii)?;
        }
    }
    out.flush()?;
    Ok(())
}

fn write_csv(out: &mut dyn Write, c: &Caseload, flavour: CsvFlavour) -> color_eyre::Result<()> {
    let mut w = csv_writer(out, flavour)?;
    let [d0, d1, d2] = c.dates.map(iso);
    w.write_record(["typ", "område", "kod", "namn", &d0, &d1, &d2, "förändring"])?;
    for r in c.areas_with_cases().into_iter().flat_map(|(_, rows)| rows) {
        w.write_record([
            "insats".to_string(),
            csv_text(&r.area, flavour),
            csv_text(&r.insats_code, flavour),
            csv_text(&r.insats, flavour),
            r.counts[0].to_string(),
            r.counts[1].to_string(),
            r.counts[2].to_string(),
            r.change().to_string(),
        ])?;
    }
    for wl in &c.workers {
        w.write_record([
            "handläggare".to_string(),
            csv_text(wl.team.as_deref().unwrap_or(""), flavour),
            csv_text(&wl.worker_id, flavour),
            csv_text(&wl.name, flavour),
            wl.open_cases.to_string(),
            String::new(),
            String::new(),
            String::new(),
        ])?;
    }
    w.flush()?;
    Ok(())
}

/// The text layout: one table per area as in the seeds ("Insats funktionsnedsättning
/// dec-14 dec-13 dec-12"), then open cases per handläggare.
#[must_use]
pub fn text(c: &Caseload, filter: &Filter, names: &super::Names) -> String {
    let mut s = names.heading(
        &format!("Ärenden per insats, {}", iso(c.as_of)),
        "",
        filter,
        &[],
    );
    let name_w = c
        .rows
        .iter()
        .map(|r| width(&clean(&r.insats)))
        .chain(c.by_area().iter().map(|(a, _)| width(&clean(a)) + 7))
        .max()
        .unwrap_or(10)
        .clamp(10, 40);
    for (area, rows) in c.areas_with_cases() {
        s.push('\n');
        s.push_str(&pad_right(
            &format!("Insats {}", clean(area).to_lowercase()),
            name_w,
        ));
        for d in c.dates {
            s.push_str(&pad_left(&iso(d), 12));
        }
        s.push_str(&pad_left("Förändring", 12));
        s.push('\n');
        for r in rows {
            s.push_str(&pad_right(&clean(&r.insats), name_w));
            for n in r.counts {
                s.push_str(&pad_left(&n.to_string(), 12));
            }
            s.push_str(&pad_left(&signed(r.change(), false), 12));
            s.push('\n');
        }
    }
    s.push_str(&format!(
        "\nÖppna ärenden {}: {}",
        iso(c.as_of),
        c.open_cases
    ));
    if c.unassigned > 0 {
        s.push_str(&format!(" (varav {} utan handläggare)", c.unassigned));
    }
    s.push('\n');
    // As the screen's title has them with `c`: the open cases by kön add up to the total.
    let [k, m, unknown] = c.open_by_sex;
    s.push_str(&format!(
        "Öppna ärenden per kön: kvinnor {k}, män {m}, kön okänt {unknown}\n"
    ));
    // The open cases by arbetsgrupp, as `--team` counts them; they add up to the total.
    if !c.open_by_team.is_empty() {
        let name =
            |t: &Option<String>| clean(t.as_deref().unwrap_or("utan arbetsgrupp")).into_owned();
        let gw = c
            .open_by_team
            .iter()
            .map(|(t, _)| width(&name(t)))
            .max()
            .unwrap_or(0)
            .clamp(11, 40);
        s.push_str("\nÖppna ärenden per arbetsgrupp\n");
        s.push_str(&format!(
            "{}{}\n",
            pad_right("Arbetsgrupp", gw),
            pad_left("Öppna ärenden", 15)
        ));
        for (team, n) in &c.open_by_team {
            s.push_str(&format!(
                "{}{}\n",
                pad_right(&name(team), gw),
                pad_left(&n.to_string(), 15)
            ));
        }
        s.push_str(&format!(
            "{}{}\n",
            pad_right("Summa", gw),
            pad_left(&c.open_cases.to_string(), 15)
        ));
    }
    if !c.workers.is_empty() {
        s.push_str(&format!(
            "\nÖppna ärenden per handläggare ({} handläggare)\n",
            c.workers.len()
        ));
        let wn = c
            .workers
            .iter()
            .map(|w| width(&clean(&w.name)))
            .max()
            .unwrap_or(0)
            .clamp(11, 30);
        let tw = c
            .workers
            .iter()
            .map(|w| width(&clean(w.team.as_deref().unwrap_or(""))))
            .max()
            .unwrap_or(0)
            .clamp(11, 34);
        s.push_str(&format!(
            "{}  {}  {}{}\n",
            pad_right("Handläggare", wn),
            pad_right("Id", 8),
            pad_right("Arbetsgrupp", tw),
            pad_left("Öppna ärenden", 15)
        ));
        for w in &c.workers {
            s.push_str(&format!(
                "{}  {}  {}{}\n",
                pad_right(&clean(&w.name), wn),
                pad_right(&clean(&w.worker_id), 8),
                pad_right(&clean(w.team.as_deref().unwrap_or("")), tw),
                pad_left(&w.open_cases.to_string(), 15)
            ));
        }
    }
    s
}

#[derive(Serialize)]
struct MonthlyJson<'a> {
    filter: JsonFilter<'a>,
    series: Vec<MonthJson<'a>>,
}

#[derive(Serialize)]
struct MonthJson<'a> {
    date: String,
    rows: Vec<MonthRowJson<'a>>,
    areas: Vec<MonthAreaJson<'a>>,
    open_cases: u64,
    open_by_sex: JsonBySex<u64>,
}

/// An area's total in a month: distinct cases with an insats of the area active.
#[derive(Serialize)]
struct MonthAreaJson<'a> {
    area: &'a str,
    count: u64,
    by_sex: JsonBySex<u64>,
}

#[derive(Serialize)]
struct MonthRowJson<'a> {
    insats_code: &'a str,
    count: u64,
    by_sex: JsonBySex<u64>,
}

/// `report caseload --monthly`: the caseload by insats on the last day of every month (see
/// [`crate::domain::caseload::Monthly`]). JSON `{"filter", "series": [{"date", "rows":
/// [{"insats_code", "count", "by_sex"}], "areas": [{"area", "count", "by_sex"}], "open_cases",
/// "open_by_sex"}]}`, every insats type and area in every month; CSV a row per month and
/// insats; text a table per area with a row per month, then the open cases.
///
/// # Errors
/// Write errors.
pub fn write_monthly(
    out: &mut dyn Write,
    m: &crate::domain::caseload::Monthly,
    filter: &Filter,
    names: &super::Names,
    options: Output,
) -> color_eyre::Result<()> {
    match options.format {
        Format::Json => {
            let json = MonthlyJson {
                filter: JsonFilter {
                    unit_id: filter.unit_id.as_deref(),
                    team: filter.team.as_deref(),
                },
                series: m
                    .dates
                    .iter()
                    .enumerate()
                    .map(|(k, d)| MonthJson {
                        date: iso(*d),
                        rows: m
                            .rows
                            .iter()
                            .map(|r| {
                                let parts = r.counts.get(k).copied().unwrap_or([0; 3]);
                                MonthRowJson {
                                    insats_code: &r.insats_code,
                                    count: parts.iter().sum(),
                                    by_sex: JsonBySex::from_parts(parts),
                                }
                            })
                            .collect(),
                        areas: m
                            .areas
                            .iter()
                            .map(|a| {
                                let parts = a.counts.get(k).copied().unwrap_or([0; 3]);
                                MonthAreaJson {
                                    area: &a.area,
                                    count: parts.iter().sum(),
                                    by_sex: JsonBySex::from_parts(parts),
                                }
                            })
                            .collect(),
                        open_cases: m.open.get(k).map_or(0, |p| p.iter().sum()),
                        open_by_sex: JsonBySex::from_parts(
                            m.open.get(k).copied().unwrap_or([0; 3]),
                        ),
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
                "datum",
                "område",
                "kod",
                "insats",
                "antal",
                "kvinnor",
                "män",
                "kön okänt",
            ])?;
            for (k, d) in m.dates.iter().enumerate() {
                for r in &m.rows {
                    let [k_, m_, u] = r.counts.get(k).copied().unwrap_or([0; 3]);
                    w.write_record([
                        iso(*d),
                        csv_text(&r.area, flavour),
                        csv_text(&r.insats_code, flavour),
                        csv_text(&r.insats, flavour),
                        (k_ + m_ + u).to_string(),
                        k_.to_string(),
                        m_.to_string(),
                        u.to_string(),
                    ])?;
                }
            }
            w.flush()?;
        }
        Format::Xlsx => return Err(super::xlsx::elsewhere()),
        Format::Text => {
            let text = monthly_text(m, filter, names);
            super::write_text(out, &text, options.ascii)?;
        }
    }
    out.flush()?;
    Ok(())
}

/// The text layout of the series: per area, a row per month and a column per insats type
/// (its code, the names listed under the table), then the area's total.
#[must_use]
pub fn monthly_text(
    m: &crate::domain::caseload::Monthly,
    filter: &Filter,
    names: &super::Names,
) -> String {
    let mut s = String::new();
    let (first, last) = (m.dates.first(), m.dates.last());
    if let (Some(a), Some(b)) = (first, last) {
        s.push_str(&names.heading(
            &format!(
                "Ärenden per insats, sista dagen i varje månad {}–{}",
                iso(*a),
                iso(*b)
            ),
            "",
            filter,
            &[],
        ));
    }
    // The areas with a case in some month of the series, as the CSV and the workbook.
    let busy = m.rows_with_cases();
    let mut areas: Vec<&str> = Vec::new();
    for r in busy.iter().map(|&i| &m.rows[i]) {
        if !areas.contains(&r.area.as_str()) {
            areas.push(&r.area);
        }
    }
    for area in areas {
        let rows: Vec<(usize, &crate::domain::caseload::SeriesRow)> = m
            .rows
            .iter()
            .enumerate()
            .filter(|(_, r)| r.area == area)
            .collect();
        let col = |r: &crate::domain::caseload::SeriesRow| width(&clean(&r.insats_code)).max(6) + 2;
        s.push('\n');
        s.push_str(&format!("Insats {}\n", clean(area).to_lowercase()));
        s.push_str(&pad_right("Datum", 10));
        for (_, r) in &rows {
            s.push_str(&pad_left(&clean(&r.insats_code), col(r)));
        }
        s.push_str(&pad_left("Summa", 8));
        s.push_str(&pad_left("Olika ärenden", 15));
        s.push('\n');
        let total = m.areas.iter().find(|a| a.area == area);
        for (k, d) in m.dates.iter().enumerate() {
            s.push_str(&pad_right(&iso(*d), 10));
            let mut sum = 0;
            for (i, r) in &rows {
                let n = m.count(*i, k);
                sum += n;
                s.push_str(&pad_left(&n.to_string(), col(r)));
            }
            s.push_str(&pad_left(&sum.to_string(), 8));
            let distinct = total
                .and_then(|a| a.counts.get(k))
                .map_or(0, |p| p.iter().sum::<u64>());
            s.push_str(&pad_left(&distinct.to_string(), 15));
            s.push('\n');
        }
        for (_, r) in &rows {
            s.push_str(&format!(
                "  {}: {}\n",
                clean(&r.insats_code),
                clean(&r.insats)
            ));
        }
    }
    if !m.dates.is_empty() {
        s.push_str(&format!(
            "  Summa: insatsernas antal; olika ärenden: ärenden med minst en av områdets insatser\n\nÖppna ärenden\n{}{}{}{}{}\n",
            pad_right("Datum", 10),
            pad_left("Antal", 8),
            pad_left("K", 8),
            pad_left("M", 8),
            pad_left("okänt", 8)
        ));
        for (k, d) in m.dates.iter().enumerate() {
            let [kv, mn, u] = m.open.get(k).copied().unwrap_or([0; 3]);
            s.push_str(&format!(
                "{}{}{}{}{}\n",
                pad_right(&iso(*d), 10),
                pad_left(&(kv + mn + u).to_string(), 8),
                pad_left(&kv.to_string(), 8),
                pad_left(&mn.to_string(), 8),
                pad_left(&u.to_string(), 8)
            ));
        }
    }
    s
}
