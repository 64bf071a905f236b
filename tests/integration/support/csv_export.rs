//! Writing a `Dataset` as CSV files the way Swedish exports come: each file with its own
//! separator (`;` or `,`), BOM or not, CRLF or LF, decimal comma (quoted in a `,` file),
//! thousands grouped with a space, Swedish spellings of enumerated values, `k`/`m` or
//! `kvinna`/`man` for `K`/`M`, shuffled or upper-case headers, quoting where needed and
//! sometimes everywhere, blank trailing rows, a column that is empty throughout (the
//! version 2 ones too) and an empty optional table (`interruptions.csv` too) sometimes left
//! out altogether.

use std::fs;
use std::path::Path;

use bevaka::model::{Assessment, Dataset, Goal, Outcome, Sex};
use chrono::NaiveDate;

use super::random_csv::Rng;

/// One cell of a file, before the file's style is applied.
pub enum Cell {
    Null,
    Text(String),
    Real(f64),
    /// An enumerated value, by its ASCII name.
    Choice(&'static str),
    /// `cases.sex`: `K` or `M`, but real exports write `k`, `m`, `kvinna` or `man` too.
    Sex(Sex),
}

fn t(value: &str) -> Cell {
    Cell::Text(value.to_owned())
}

fn ot(value: Option<&String>) -> Cell {
    value.map_or(Cell::Null, |v| Cell::Text(v.clone()))
}

fn d(value: NaiveDate) -> Cell {
    Cell::Text(value.format("%Y-%m-%d").to_string())
}

fn od(value: Option<NaiveDate>) -> Cell {
    value.map_or(Cell::Null, d)
}

fn or(value: Option<f64>) -> Cell {
    value.map_or(Cell::Null, Cell::Real)
}

fn oi(value: Option<i64>) -> Cell {
    value.map_or(Cell::Null, |n| Cell::Text(n.to_string()))
}

fn oc(value: Option<&'static str>) -> Cell {
    value.map_or(Cell::Null, Cell::Choice)
}

fn os(value: Option<Sex>) -> Cell {
    value.map_or(Cell::Null, Cell::Sex)
}

/// The Swedish spelling of an enumerated value.
fn swedish(ascii: &str) -> &str {
    match ascii {
        "aterkallad" => "återkallad",
        "inriktningsmal" => "inriktningsmål",
        "verksamhetsmal" => "verksamhetsmål",
        "namndmal" => "nämndmål",
        "atagande" => "åtagande",
        other => other,
    }
}

/// A number as an export writes it. `f64`'s `Display` is the shortest text that reads back
/// as the same number, so the importer must get exactly `value` back.
fn number(value: f64, mark: char, group: Option<char>) -> String {
    let text = value.to_string();
    let (sign, unsigned) = text
        .strip_prefix('-')
        .map_or(("", text.as_str()), |u| ("-", u));
    let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    let mut groups = Vec::new();
    let mut rest = whole;
    while rest.len() > 3 {
        let (head, tail) = rest.split_at(rest.len() - 3);
        groups.push(tail);
        rest = head;
    }
    groups.push(rest);
    groups.reverse();
    let whole = group.map_or_else(|| whole.to_owned(), |g| groups.join(&g.to_string()));
    if fraction.is_empty() {
        format!("{sign}{whole}")
    } else {
        format!("{sign}{whole}{mark}{fraction}")
    }
}

/// How one file is written.
struct Style {
    separator: char,
    newline: &'static str,
    bom: bool,
    decimal_mark: char,
    quote_all: bool,
    upper_header: bool,
}

impl Style {
    fn random(rng: &mut Rng) -> Self {
        let separator = if rng.chance(50) { ';' } else { ',' };
        Self {
            separator,
            newline: if rng.chance(50) { "\r\n" } else { "\n" },
            bom: rng.chance(50),
            decimal_mark: if separator == ';' || rng.chance(30) {
                ','
            } else {
                '.'
            },
            quote_all: rng.chance(15),
            upper_header: rng.chance(10),
        }
    }

    fn field(&self, rng: &mut Rng, cell: &Cell) -> String {
        let raw = match cell {
            // Whitespace only is NULL as well.
            Cell::Null => return if rng.chance(10) { " " } else { "" }.to_owned(),
            Cell::Text(s) => s.clone(),
            Cell::Real(x) => {
                let group = (self.decimal_mark == ',' && rng.chance(50))
                    .then(|| *rng.pick(&[' ', '\u{a0}']));
                number(*x, self.decimal_mark, group)
            }
            Cell::Sex(sex) => match (rng.below(10), sex) {
                (0..=5, _) => sex.as_str().to_owned(),
                (6 | 7, _) => sex.as_str().to_lowercase(),
                (8, Sex::K) => "kvinna".to_owned(),
                (8, Sex::M) => "man".to_owned(),
                (_, Sex::K) => "Kvinna".to_owned(),
                (_, Sex::M) => "MAN".to_owned(),
            },
            Cell::Choice(ascii) => {
                let spelt = if rng.chance(50) {
                    swedish(ascii)
                } else {
                    ascii
                };
                if rng.chance(20) {
                    spelt.to_uppercase()
                } else {
                    spelt.to_owned()
                }
            }
        };
        let raw = raw.replace('\n', self.newline);
        if raw.contains([',', ';', '"', '\n', '\r']) || self.quote_all || rng.chance(5) {
            format!("\"{}\"", raw.replace('"', "\"\""))
        } else {
            raw
        }
    }
}

/// Writes one table's file in a random style.
fn write_table(rng: &mut Rng, dir: &Path, table: &str, header: &[&str], rows: &[Vec<Cell>]) {
    let optional = !matches!(table, "units" | "case_workers" | "insats_types" | "cases");
    if rows.is_empty() && optional && rng.chance(50) {
        return;
    }
    let style = Style::random(rng);
    let mut order: Vec<usize> = (0..header.len()).collect();
    if rng.chance(30) {
        rng.shuffle(&mut order);
    }
    // A column that is empty in every row (never a required one) may be left out.
    order.retain(|&c| {
        rows.is_empty() || rows.iter().any(|r| !matches!(r[c], Cell::Null)) || rng.chance(50)
    });
    let newline = style.newline;
    let separator = style.separator.to_string();
    let mut out = String::new();
    if style.bom {
        out.push('\u{feff}');
    }
    let names: Vec<String> = order
        .iter()
        .map(|&c| {
            if style.upper_header {
                header[c].to_uppercase()
            } else {
                header[c].to_owned()
            }
        })
        .collect();
    out.push_str(&names.join(&separator));
    for row in rows {
        out.push_str(newline);
        let fields: Vec<String> = order.iter().map(|&c| style.field(rng, &row[c])).collect();
        out.push_str(&fields.join(&separator));
    }
    if rng.chance(20) {
        // An empty row at the end, as spreadsheets export one.
        out.push_str(newline);
        out.push_str(&separator.repeat(order.len() - 1));
    }
    if rng.chance(80) {
        out.push_str(newline);
    }
    fs::write(dir.join(format!("{table}.csv")), out).expect("write test CSV");
}

/// Writes every table of `data` but the goals into `dir`, each file in its own random
/// style.
pub fn write_dataset(rng: &mut Rng, dir: &Path, data: &Dataset) {
    write_organisation(rng, dir, data);
    write_cases(rng, dir, data);
    write_interventions(rng, dir, data);
    write_indicators(rng, dir, data);
}

/// Units, case workers and insats types.
fn write_organisation(rng: &mut Rng, dir: &Path, data: &Dataset) {
    let rows: Vec<Vec<Cell>> = data
        .units
        .iter()
        .map(|u| {
            vec![
                t(&u.unit_id),
                t(&u.name),
                ot(u.district.as_ref()),
                ot(u.area.as_ref()),
            ]
        })
        .collect();
    write_table(
        rng,
        dir,
        "units",
        &["unit_id", "name", "district", "area"],
        &rows,
    );

    let rows: Vec<Vec<Cell>> = data
        .case_workers
        .iter()
        .map(|w| {
            vec![
                t(&w.worker_id),
                t(&w.name),
                t(&w.unit_id),
                ot(w.team.as_ref()),
                ot(w.login.as_ref()),
            ]
        })
        .collect();
    write_table(
        rng,
        dir,
        "case_workers",
        &["worker_id", "name", "unit_id", "team", "login"],
        &rows,
    );

    let rows: Vec<Vec<Cell>> = data
        .insats_types
        .iter()
        .map(|i| {
            vec![
                t(&i.insats_code),
                t(&i.name),
                t(&i.area),
                ot(i.law.as_ref()),
                oi(i.target_days),
            ]
        })
        .collect();
    let header = ["insats_code", "name", "area", "law", "target_days"];
    write_table(rng, dir, "insats_types", &header, &rows);
}

/// Cases and applications.
fn write_cases(rng: &mut Rng, dir: &Path, data: &Dataset) {
    let rows: Vec<Vec<Cell>> = data
        .cases
        .iter()
        .map(|c| {
            let (team, worker, label) = (
                c.team.as_ref(),
                c.worker_id.as_ref(),
                c.client_label.as_ref(),
            );
            vec![
                t(&c.case_id),
                t(&c.unit_id),
                ot(team),
                ot(worker),
                ot(label),
                d(c.opened),
                od(c.closed),
                os(c.sex),
            ]
        })
        .collect();
    let header = [
        "case_id",
        "unit_id",
        "team",
        "worker_id",
        "client_label",
        "opened",
        "closed",
        "sex",
    ];
    write_table(rng, dir, "cases", &header, &rows);

    let rows: Vec<Vec<Cell>> = data
        .applications
        .iter()
        .map(|a| {
            let (id, case, code) = (&a.application_id, &a.case_id, &a.insats_code);
            let (started, outcome) = (a.investigation_started, a.outcome.map(Outcome::as_str));
            let worker = a.worker_id.as_ref();
            vec![
                t(id),
                t(case),
                t(code),
                d(a.received),
                od(started),
                od(a.decided),
                oc(outcome),
                ot(worker),
            ]
        })
        .collect();
    let header = [
        "application_id",
        "case_id",
        "insats_code",
        "received",
        "investigation_started",
        "decided",
        "outcome",
        "worker_id",
    ];
    write_table(rng, dir, "applications", &header, &rows);
}

/// Interventions and followups.
fn write_interventions(rng: &mut Rng, dir: &Path, data: &Dataset) {
    let rows: Vec<Vec<Cell>> = data
        .interventions
        .iter()
        .map(|i| {
            let (id, case, application) =
                (&i.intervention_id, &i.case_id, i.application_id.as_ref());
            let mut row = vec![t(id), t(case), ot(application), t(&i.insats_code)];
            row.extend([
                od(i.decided),
                od(i.start),
                od(i.end),
                ot(i.provider.as_ref()),
            ]);
            row.extend([od(i.ordered), od(i.plan_received), od(i.last_followup)]);
            row.extend([od(i.offered), ot(i.delay_reason.as_ref())]);
            row
        })
        .collect();
    let header = [
        "intervention_id",
        "case_id",
        "application_id",
        "insats_code",
        "decided",
        "start",
        "end",
        "provider",
        "ordered",
        "plan_received",
        "last_followup",
        "offered",
        "delay_reason",
    ];
    write_table(rng, dir, "interventions", &header, &rows);

    let rows: Vec<Vec<Cell>> = data
        .interruptions
        .iter()
        .map(|a| {
            vec![
                t(&a.interruption_id),
                t(&a.intervention_id),
                d(a.interrupted),
                od(a.resumed),
                ot(a.reason.as_ref()),
            ]
        })
        .collect();
    let header = [
        "interruption_id",
        "intervention_id",
        "interrupted",
        "resumed",
        "reason",
    ];
    write_table(rng, dir, "interruptions", &header, &rows);

    let rows: Vec<Vec<Cell>> = data
        .followups
        .iter()
        .map(|f| {
            let (worker, note) = (f.worker_id.as_ref(), f.note.as_ref());
            vec![
                t(&f.followup_id),
                t(&f.case_id),
                t(&f.kind),
                d(f.due),
                od(f.done),
                ot(worker),
                ot(note),
            ]
        })
        .collect();
    let header = [
        "followup_id",
        "case_id",
        "kind",
        "due",
        "done",
        "worker_id",
        "note",
    ];
    write_table(rng, dir, "followups", &header, &rows);
}

/// Indicators and their values.
fn write_indicators(rng: &mut Rng, dir: &Path, data: &Dataset) {
    let rows: Vec<Vec<Cell>> = data
        .indicators
        .iter()
        .map(|k| {
            let mut row = vec![
                t(&k.indicator_id),
                ot(k.goal_id.as_ref()),
                ot(k.unit_id.as_ref()),
                t(&k.name),
            ];
            row.extend([Cell::Text(k.year.to_string()), ot(k.measure.as_ref())]);
            row.extend([
                Cell::Choice(k.direction.as_str()),
                ot(k.periodicity.as_ref()),
            ]);
            row.extend([or(k.target), ot(k.target_text.as_ref()), or(k.city_target)]);
            row.extend([ot(k.city_target_text.as_ref()), or(k.tolerance)]);
            row
        })
        .collect();
    let header = [
        "indicator_id",
        "goal_id",
        "unit_id",
        "name",
        "year",
        "measure",
        "direction",
        "periodicity",
        "target",
        "target_text",
        "city_target",
        "city_target_text",
        "tolerance",
    ];
    write_table(rng, dir, "indicators", &header, &rows);

    let rows: Vec<Vec<Cell>> = data
        .indicator_values
        .iter()
        .map(|v| {
            vec![
                t(&v.indicator_id),
                t(&v.period),
                Cell::Real(v.value),
                ot(v.comment.as_ref()),
            ]
        })
        .collect();
    let header = ["indicator_id", "period", "value", "comment"];
    write_table(rng, dir, "indicator_values", &header, &rows);
}

/// Writes `goals.csv` in a random style, the rows in the order given.
pub fn write_goals(rng: &mut Rng, dir: &Path, goals: &[Goal]) {
    let rows: Vec<Vec<Cell>> = goals
        .iter()
        .map(|g| {
            let mut row = vec![
                t(&g.goal_id),
                ot(g.parent_id.as_ref()),
                ot(g.unit_id.as_ref()),
            ];
            row.extend([
                Cell::Choice(g.level.as_str()),
                ot(g.code.as_ref()),
                t(&g.title),
            ]);
            row.extend([
                oc(g.assessment.map(Assessment::as_str)),
                od(g.start),
                od(g.end),
                ot(g.comment.as_ref()),
            ]);
            row
        })
        .collect();
    let header = [
        "goal_id",
        "parent_id",
        "unit_id",
        "level",
        "code",
        "title",
        "assessment",
        "start",
        "end",
        "comment",
    ];
    write_table(rng, dir, "goals", &header, &rows);
}
