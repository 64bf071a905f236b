//! The reports as workbooks (`--format xlsx`): each report's domain values put into the
//! typed cells of [`super::xlsx`], with the screen's Swedish words and the names behind
//! the ids. Every figure is the one the report's JSON has; nothing is computed here but
//! the layout.

use chrono::NaiveDate;

use super::Names;
use super::xlsx::{Book, Cell, Sheet, Stream};
use crate::domain::caseload::{Caseload, Monthly};
use crate::domain::cases::{CaseList, DecisionList};
use crate::domain::deadlines::Deadlines;
use crate::domain::indicators::{Overview, Status, assessment_label, direction_label, level_label};
use crate::domain::ivo::Ivo;
use crate::domain::processing::{PeriodRow, Processing, Stats};
use crate::model::Sex;
use crate::snapshot::queries::Filter;

/// `K`, `M` or `okänt`, as the screens write kön in a column.
fn sex(s: Option<Sex>) -> Cell {
    Cell::Text(s.map_or("okänt", Sex::as_str).to_string())
}

/// The handläggare's name, else nothing (the id has a column of its own).
fn worker_name(names: &Names, id: Option<&str>) -> Cell {
    Cell::opt_text(id.and_then(|w| names.worker_name(w)))
}

fn start(title: &str, names: &Names, filter: &Filter, worker: Option<&str>) -> Book<'static> {
    let mut book = Book::new(title);
    super::xlsx::about_filter(&mut book, names, filter, worker);
    book
}

/// `report caseload`: the insats table (areas without a case left out) and the open
/// cases per handläggare, with the total of open cases as the screen has it.
#[must_use]
pub fn caseload(c: &Caseload, filter: &Filter, names: &Names) -> Book<'static> {
    let mut book = start("Ärenden per insats", names, filter, None);
    book.about("Datum", Cell::Date(c.as_of));
    let [d0, d1, d2] = c.dates.map(|d| d.format("%Y-%m-%d").to_string());
    let mut table = Sheet::new(
        "Per insats",
        &[
            "Verksamhetsområde",
            "Kod",
            "Insats",
            &d0,
            &d1,
            &d2,
            "Förändring",
        ],
    );
    let mut by_sex = Sheet::new(
        "Per insats och kön",
        &[
            "Verksamhetsområde",
            "Insats",
            "Datum",
            "Kvinnor",
            "Män",
            "Kön okänt",
        ],
    );
    for (area, rows) in c.areas_with_cases() {
        for r in rows {
            let mut row = vec![
                Cell::text(area),
                Cell::text(&r.insats_code),
                Cell::text(&r.insats),
            ];
            row.extend(r.counts.iter().map(|&n| Cell::count(n)));
            row.push(Cell::Int(r.change()));
            table.rows.push(row);
            for (k, date) in c.dates.iter().enumerate() {
                let mut row = vec![Cell::text(area), Cell::text(&r.insats), Cell::Date(*date)];
                row.extend(r.by_sex.iter().map(|parts| Cell::count(parts[k])));
                by_sex.rows.push(row);
            }
        }
    }
    let mut workers = Sheet::new(
        "Per handläggare",
        &["Handläggare", "Id", "Arbetsgrupp", "Öppna ärenden"],
    );
    for w in &c.workers {
        workers.rows.push(vec![
            Cell::text(&w.name),
            Cell::text(&w.worker_id),
            Cell::opt_text(w.team.as_deref()),
            Cell::count(w.open_cases),
        ]);
    }
    if c.unassigned > 0 {
        workers.totals.push(vec![
            Cell::text("Utan handläggare"),
            Cell::Empty,
            Cell::Empty,
            Cell::count(c.unassigned),
        ]);
    }
    workers.totals.push(vec![
        Cell::text("Öppna ärenden totalt"),
        Cell::Empty,
        Cell::Empty,
        Cell::count(c.open_cases),
    ]);
    let [k, m, u] = c.open_by_sex;
    let mut open = Sheet::new("Öppna ärenden per kön", &["Kön", "Öppna ärenden"]);
    for (label, n) in [("Kvinnor", k), ("Män", m), ("Kön okänt", u)] {
        open.rows.push(vec![Cell::text(label), Cell::count(n)]);
    }
    open.totals
        .push(vec![Cell::text("Summa"), Cell::count(c.open_cases)]);
    book.sheets = vec![table, by_sex, workers, open];
    book
}

/// `report caseload --monthly`: a row per month and insats (areas without a case in the
/// series left out).
#[must_use]
pub fn monthly(m: &Monthly, filter: &Filter, names: &Names) -> Book<'static> {
    let mut book = start("Ärenden per insats och månad", names, filter, None);
    if let (Some(a), Some(b)) = (m.dates.first(), m.dates.last()) {
        book.about("Från", Cell::Date(*a));
        book.about("Till", Cell::Date(*b));
    }
    let mut sheet = Sheet::new(
        "Per månad",
        &[
            "Datum",
            "Verksamhetsområde",
            "Kod",
            "Insats",
            "Antal",
            "Kvinnor",
            "Män",
            "Kön okänt",
        ],
    );
    let shown = m.rows_with_cases();
    for (k, d) in m.dates.iter().enumerate() {
        for &i in &shown {
            let r = &m.rows[i];
            let [kv, ma, uk] = r.counts.get(k).copied().unwrap_or([0; 3]);
            sheet.rows.push(vec![
                Cell::Date(*d),
                Cell::text(&r.area),
                Cell::text(&r.insats_code),
                Cell::text(&r.insats),
                Cell::count(kv + ma + uk),
                Cell::count(kv),
                Cell::count(ma),
                Cell::count(uk),
            ]);
        }
    }
    book.sheets.push(sheet);
    // The areas' totals (distinct cases), for the areas of the rows shown.
    let mut areas = Sheet::new(
        "Områden per månad",
        &[
            "Datum",
            "Verksamhetsområde",
            "Olika ärenden",
            "Kvinnor",
            "Män",
            "Kön okänt",
        ],
    );
    let shown_areas: Vec<_> = m
        .areas
        .iter()
        .filter(|a| shown.iter().any(|&i| m.rows[i].area == a.area))
        .collect();
    for (k, d) in m.dates.iter().enumerate() {
        for a in &shown_areas {
            let [kv, ma, uk] = a.counts.get(k).copied().unwrap_or([0; 3]);
            areas.rows.push(vec![
                Cell::Date(*d),
                Cell::text(&a.area),
                Cell::count(kv + ma + uk),
                Cell::count(kv),
                Cell::count(ma),
                Cell::count(uk),
            ]);
        }
    }
    book.sheets.push(areas);
    let mut open = Sheet::new(
        "Öppna ärenden per månad",
        &["Datum", "Öppna ärenden", "Kvinnor", "Män", "Kön okänt"],
    );
    for (k, d) in m.dates.iter().enumerate() {
        let [kv, ma, uk] = m.open.get(k).copied().unwrap_or([0; 3]);
        open.rows.push(vec![
            Cell::Date(*d),
            Cell::count(kv + ma + uk),
            Cell::count(kv),
            Cell::count(ma),
            Cell::count(uk),
        ]);
    }
    book.sheets.push(open);
    book
}

/// `report deadlines`: the bevakningslista, the items given (already the worker's).
#[must_use]
pub fn deadlines<'a>(
    d: &'a Deadlines,
    items: super::deadlines::Listed<'a>,
    today: NaiveDate,
    worker: Option<&str>,
    filter: &Filter,
    names: &'a Names,
) -> Book<'a> {
    let mut book = start("Bevakningslista", names, filter, worker);
    book.about("Datum", Cell::Date(today));
    book.about("Öppna bevakningar", Cell::count(items.len() as u64));
    let mut sheet = Sheet::new(
        "Bevakningar",
        &[
            "Status",
            "Förfaller",
            "Dagar kvar",
            "Typ",
            "Ärende",
            "Klient",
            "Insats",
            "Handläggare",
            "Handläggar-id",
            "Räknas från",
            "Källa",
        ],
    );
    sheet.stream = Some(Stream::new(move |put| {
        for i in items.iter() {
            put(&[
                Cell::text(i.status.label()),
                Cell::Date(i.due),
                Cell::Int(i.days_left),
                Cell::text(i.kind.label()),
                Cell::text(&i.case_id),
                Cell::opt_text(d.case_of(&i).and_then(|c| c.client_label)),
                Cell::text(super::deadlines::insats_name(d, &i)),
                worker_name(names, i.worker_id.as_deref()),
                Cell::opt_text(i.worker_id.as_deref()),
                Cell::Date(i.basis),
                Cell::text(&i.source_id),
            ])?;
        }
        Ok(())
    }));
    book.sheets.push(sheet);
    book
}

/// `report ivo`: the individual list for IVO's e-service, and the nämnd's anonymised
/// summary (no case reference, no client label, no handläggare) with its totals.
#[must_use]
pub fn ivo(ivo: &Ivo, filter: &Filter, names: &Names) -> Book<'static> {
    let mut book = start(
        "Ej verkställda beslut och avbrott i verkställigheten",
        names,
        filter,
        ivo.worker_id.as_deref(),
    );
    book.about(
        "Kvartal",
        Cell::Text(ivo.quarter.map(|q| q.to_string()).unwrap_or_default()),
    );
    book.about("Rapportdatum", Cell::Date(ivo.report_date));
    let mut rows = Sheet::new(
        "Till IVO",
        &[
            "Typ",
            "Ärende",
            "Insats",
            "Lagrum",
            "Kön",
            "Beslutsdatum",
            "Avbrott från",
            "Status",
            "Statusdatum",
            "Dagar",
            "Erbjudet",
            "Orsak till dröjsmål",
            "Orsak till avbrott",
            "Handläggare",
            "Handläggar-id",
            "Ny sedan förra kvartalet",
        ],
    );
    for r in &ivo.rows {
        rows.rows.push(vec![
            Cell::text(r.kind.label()),
            Cell::text(&r.case_id),
            Cell::text(ivo.insats_name(&r.insats_code)),
            Cell::opt_text(r.law.as_deref()),
            sex(r.sex),
            Cell::opt_date(r.decided),
            Cell::opt_date(r.interrupted),
            Cell::text(r.status.label()),
            Cell::opt_date(r.status_date),
            Cell::Int(r.days),
            Cell::opt_date(r.offered),
            Cell::opt_text(r.delay_reason.as_deref()),
            Cell::opt_text(r.reason.as_deref()),
            worker_name(names, r.worker_id.as_deref()),
            Cell::opt_text(r.worker_id.as_deref()),
            Cell::text(if r.new { "ja" } else { "nej" }),
        ]);
    }
    let mut summary = Sheet::new(
        "Till nämnden",
        &["Typ", "Lagrum", "Insats", "Kön", "Väntetid", "Antal"],
    );
    for s in &ivo.summary {
        summary.rows.push(vec![
            Cell::text(s.kind.label()),
            Cell::opt_text(s.law.as_deref()),
            Cell::text(ivo.insats_name(&s.insats_code)),
            sex(s.sex),
            Cell::text(s.band.label()),
            Cell::count(s.count),
        ]);
    }
    let (bands, total) = ivo.band_totals();
    for (band, n) in crate::domain::ivo::Band::ALL.iter().zip(bands) {
        summary.totals.push(vec![
            Cell::text("Summa"),
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
            Cell::text(band.label()),
            Cell::count(n),
        ]);
    }
    summary.totals.push(vec![
        Cell::text("Summa"),
        Cell::Empty,
        Cell::Empty,
        Cell::Empty,
        Cell::text("alla"),
        Cell::count(total),
    ]);
    book.sheets = vec![rows, summary];
    book
}

/// `report cases`: the cases behind a caseload figure.
#[must_use]
pub fn cases<'a>(list: &'a CaseList, filter: &Filter, names: &'a Names) -> Book<'a> {
    let title = list.insats.as_ref().map_or_else(
        || "Öppna ärenden".to_string(),
        |t| format!("Ärenden med {} aktiv", crate::text::clean(&t.name)),
    );
    let mut book = start(&title, names, filter, list.worker_id.as_deref());
    book.about("Datum", Cell::Date(list.date));
    if let Some(t) = &list.insats {
        book.about("Insats", Cell::text(&t.name));
    }
    book.about("Ärenden", Cell::count(list.cases.len() as u64));
    let mut sheet = Sheet::new(
        "Ärenden",
        &[
            "Ärende",
            "Klient",
            "Enhet",
            "Arbetsgrupp",
            "Handläggare",
            "Handläggar-id",
            "Öppnat",
            "Avslutat",
            "Kön",
        ],
    );
    sheet.stream = Some(Stream::new(move |put| {
        for c in &list.cases {
            put(&[
                Cell::text(&c.case_id),
                Cell::opt_text(c.client_label.as_deref()),
                Cell::text(&c.unit_id),
                Cell::opt_text(c.team.as_deref()),
                worker_name(names, c.worker_id.as_deref()),
                Cell::opt_text(c.worker_id.as_deref()),
                Cell::Date(c.opened),
                Cell::opt_date(c.closed),
                sex(c.sex),
            ])?;
        }
        Ok(())
    }));
    book.sheets.push(sheet);
    book
}

/// `report decisions`: the decisions behind a period's figure, longest first.
#[must_use]
pub fn decisions<'a>(
    list: &'a DecisionList,
    filter: &Filter,
    worker: Option<&str>,
    names: &'a Names,
) -> Book<'a> {
    let mut book = start(&list.heading(), names, filter, worker);
    book.about("Period", Cell::Text(list.period.to_string()));
    let (from, to) = super::cases::decision_heads(list.measure);
    let mut sheet = Sheet::new(
        "Beslut",
        &[
            "Ärende",
            "Klient",
            "Insats",
            "Handläggare",
            "Handläggar-id",
            "Kön",
            from,
            to,
            "Dagar",
            "Mål dagar",
        ],
    );
    sheet.stream = Some(Stream::new(move |put| {
        for d in &list.decisions {
            let r = &d.row;
            put(&[
                Cell::text(&r.case_id),
                Cell::opt_text(r.client_label.as_deref()),
                Cell::text(
                    list.insats_names
                        .get(&r.insats_code)
                        .unwrap_or(&r.insats_code),
                ),
                worker_name(names, r.worker_id.as_deref()),
                Cell::opt_text(r.worker_id.as_deref()),
                sex(r.sex),
                Cell::Date(r.from),
                Cell::Date(r.to),
                Cell::Int(d.days),
                Cell::opt_int(d.target_days),
            ])?;
        }
        Ok(())
    }));
    book.sheets.push(sheet);
    book
}

fn stats_cells(s: &Stats) -> Vec<Cell> {
    vec![
        Cell::count(s.decisions),
        Cell::opt_num(s.median_days),
        Cell::opt_num(s.mean_days),
        Cell::opt_int(s.p90_days),
        Cell::opt_int(s.max_days),
        Cell::opt_share(s.within_target()),
    ]
}

fn period_sheets(
    name: &str,
    rows: &[PeriodRow],
    kind: &str,
    count: &str,
    within: &str,
) -> [Sheet<'static>; 2] {
    let heads = [
        kind,
        count,
        "Median dagar",
        "Medel dagar",
        "P90 dagar",
        "Max dagar",
        within,
    ];
    let mut all = Sheet::new(name, &heads);
    let mut split_heads = vec![kind, "Kön"];
    split_heads.extend(&heads[1..]);
    let mut by_sex = Sheet::new(&format!("{name} per kön"), &split_heads);
    for r in rows {
        let mut row = vec![Cell::Text(r.period.to_string())];
        row.extend(stats_cells(&r.stats));
        all.rows.push(row);
        for (st, s) in r.by_sex.iter().zip(crate::domain::processing::SEXES) {
            let mut row = vec![Cell::Text(r.period.to_string()), sex(s)];
            row.extend(stats_cells(st));
            by_sex.rows.push(row);
        }
    }
    [all, by_sex]
}

/// `report processing-time`: handläggningstid and verkställighetstid by period (each
/// split by kön), the applications past their target and the ej verkställda beslut.
#[must_use]
pub fn processing(p: &Processing, filter: &Filter, names: &Names) -> Book<'static> {
    let mut book = start(
        "Handläggningstid och verkställighetstid",
        names,
        filter,
        p.scope.worker_id.as_deref(),
    );
    book.about("Datum", Cell::Date(p.today));
    book.about(
        "Insats",
        Cell::Text(
            p.scope
                .insats_code
                .as_deref()
                .map_or_else(|| "alla".to_string(), |c| p.insats_name(c).to_string()),
        ),
    );
    let kind = p.kind.heading();
    let [h, h_sex] = period_sheets("Handläggningstid", &p.periods, kind, "Beslut", "Inom mål");
    let [v, v_sex] = period_sheets(
        "Verkställighetstid",
        &p.execution,
        kind,
        "Startade",
        "Inom 3 månader",
    );
    book.sheets = vec![h, h_sex, v, v_sex];
    let mut over = Sheet::new(
        "Över mål",
        &[
            "Inkom",
            "Dagar väntat",
            "Mål dagar",
            "Ansökan",
            "Ärende",
            "Insats",
            "Handläggare",
            "Handläggar-id",
        ],
    );
    for o in &p.over_target {
        over.rows.push(vec![
            Cell::Date(o.received),
            Cell::Int(o.days_waiting),
            Cell::Int(o.target_days),
            Cell::text(&o.application_id),
            Cell::text(&o.case_id),
            Cell::text(p.insats_name(&o.insats_code)),
            worker_name(names, o.worker_id.as_deref()),
            Cell::opt_text(o.worker_id.as_deref()),
        ]);
    }
    let mut not_executed = Sheet::new(
        "Ej verkställda",
        &[
            "Beslutad",
            "Dagar väntat",
            "Insats (beslut)",
            "Ärende",
            "Insats",
            "Handläggare",
            "Handläggar-id",
        ],
    );
    for n in &p.not_executed {
        not_executed.rows.push(vec![
            Cell::Date(n.decided),
            Cell::Int(n.days_waiting),
            Cell::text(&n.intervention_id),
            Cell::text(&n.case_id),
            Cell::text(p.insats_name(&n.insats_code)),
            worker_name(names, n.worker_id.as_deref()),
            Cell::opt_text(n.worker_id.as_deref()),
        ]);
    }
    book.sheets.push(over);
    book.sheets.push(not_executed);
    book
}

/// `report indicators`: the indicators `shown` with their status, and the goals above
/// them with their counts; the summary on the first sheet.
#[must_use]
pub fn indicators(o: &Overview, shown: &[usize], names: &Names) -> Book<'static> {
    let mut book = Book::new("Mål och indikatorer");
    book.about(
        "Enhet",
        Cell::Text(
            o.unit_id
                .as_deref()
                .map_or_else(|| "alla enheter".to_string(), |u| names.unit(u)),
        ),
    );
    book.about("År", Cell::Int(i64::from(o.year)));
    book.about("Datum", Cell::Date(o.today));
    let summary = o.summary();
    for (status, n) in Status::ALL.iter().zip(summary.statuses) {
        book.about(&format!("Indikatorer {}", status.label()), Cell::count(n));
    }
    let mut sheet = Sheet::new(
        "Indikatorer",
        &[
            "Indikator",
            "Enhet",
            "Mål",
            "Period",
            "Periodens utfall",
            "Utfall föregående år",
            "Årsmål",
            "Årsmål (text)",
            "KF:s årsmål",
            "KF:s årsmål (text)",
            "Mått",
            "Riktning",
            "Tolerans",
            "Status",
            "Förklaring",
            "Analys",
            "Indikator-id",
        ],
    );
    let goal_title = |id: Option<&str>| {
        id.and_then(|id| o.nodes.iter().find(|n| n.goal.goal_id == id))
            .map(|n| n.goal.title.as_str())
    };
    for a in shown.iter().filter_map(|&i| o.indicators.get(i)) {
        let i = &a.indicator;
        sheet.rows.push(vec![
            Cell::text(&i.name),
            Cell::opt_text(a.unit_id.as_deref()),
            Cell::opt_text(goal_title(i.goal_id.as_deref()).or(i.goal_id.as_deref())),
            Cell::opt_text(a.period.as_deref()),
            Cell::opt_num(a.value),
            Cell::opt_num(a.previous),
            Cell::opt_num(i.target),
            Cell::opt_text(i.target_text.as_deref()),
            Cell::opt_num(i.city_target),
            Cell::opt_text(i.city_target_text.as_deref()),
            Cell::opt_text(i.measure.as_deref()),
            Cell::text(direction_label(i.direction)),
            Cell::opt_num(a.tolerance),
            Cell::text(a.status.label()),
            Cell::text(&a.explanation),
            Cell::opt_text(a.comment.as_deref()),
            Cell::text(&i.indicator_id),
        ]);
    }
    let mut goals = Sheet::new(
        "Mål",
        &[
            "Nivå",
            "Kod",
            "Mål",
            "Bedömning",
            "Start",
            "Slut",
            "Passerat slutdatum",
            "Uppfyllt",
            "Delvis",
            "Ej uppfyllt",
            "Ej målsatt",
            "Ej mätt",
        ],
    );
    for n in super::indicators::goals_for(o, shown) {
        let node = &o.nodes[n];
        let g = &node.goal;
        let mut row = vec![
            Cell::text(level_label(g.level)),
            Cell::opt_text(g.code.as_deref()),
            Cell::text(&g.title),
            Cell::opt_text(g.assessment.map(assessment_label)),
            Cell::opt_date(g.start),
            Cell::opt_date(g.end),
            Cell::text(if node.past_end { "ja" } else { "nej" }),
        ];
        row.extend(o.goal_summary(n).statuses.iter().map(|&c| Cell::count(c)));
        goals.rows.push(row);
    }
    book.sheets = vec![sheet, goals];
    book
}
