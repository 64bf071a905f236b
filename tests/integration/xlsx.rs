//! `--format xlsx --out FILE` (issue 18): every report's workbook, read back with a reader
//! bevaka did not write (calamine), holds exactly the figures of the same report's JSON —
//! numbers as numbers, dates as Excel dates, never text — with the screen's Swedish words.

use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::OnceLock;

use calamine::{Data, Range, Reader, Xlsx, open_workbook_from_rs};
use chrono::NaiveDate;
use serde_json::Value;

use crate::support::bevaka;

/// The demo snapshot of 2014-12-31, written once for the module.
fn demo() -> &'static Path {
    static DEMO: OnceLock<PathBuf> = OnceLock::new();
    DEMO.get_or_init(|| {
        let dir = tempfile::tempdir().expect("dir").keep();
        let path = dir.join("demo.sqlite");
        let o = bevaka()
            .args(["demo", "--as-of", "2014-12-31", "--out"])
            .arg(&path)
            .output()
            .expect("demo");
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        path
    })
}

fn run(args: &[&str], extra: &[&std::ffi::OsStr]) -> Output {
    bevaka()
        .arg("report")
        .args(args)
        .args(extra)
        .args(["--today", "2014-12-31", "--snapshot"])
        .arg(demo())
        .output()
        .expect("bevaka runs")
}

fn json(args: &[&str]) -> Value {
    let mut a = args.to_vec();
    a.extend(["--format", "json"]);
    let o = run(&a, &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).expect("json")
}

/// The report as a workbook, written with `--out` into a fresh folder.
fn workbook(args: &[&str]) -> Xlsx<Cursor<Vec<u8>>> {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("rapport.xlsx");
    let mut a = args.to_vec();
    a.extend(["--format", "xlsx", "--out"]);
    let o = run(&a, &[path.as_os_str()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(o.stdout.is_empty(), "nothing on stdout");
    let bytes = std::fs::read(&path).expect("the file");
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).expect("stat").permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "private");
    }
    open_workbook_from_rs(Cursor::new(bytes)).expect("an xlsx calamine reads")
}

fn sheet(wb: &mut Xlsx<Cursor<Vec<u8>>>, name: &str) -> Range<Data> {
    wb.worksheet_range(name)
        .unwrap_or_else(|e| panic!("sheet {name}: {e}"))
}

/// The data rows below the header (totals included), each as cells.
fn rows(r: &Range<Data>) -> Vec<Vec<Data>> {
    r.rows().skip(1).map(<[Data]>::to_vec).collect()
}

fn heads(r: &Range<Data>) -> Vec<String> {
    r.rows()
        .next()
        .expect("header row")
        .iter()
        .map(text)
        .collect()
}

/// The column named `head`.
fn col(r: &Range<Data>, head: &str) -> usize {
    heads(r)
        .iter()
        .position(|h| h == head)
        .unwrap_or_else(|| panic!("no column {head:?} in {:?}", heads(r)))
}

fn text(c: &Data) -> String {
    match c {
        Data::String(s) => s.clone(),
        Data::Empty => String::new(),
        other => panic!("not text: {other:?}"),
    }
}

/// A number cell (never text that looks like one).
fn num(c: &Data) -> f64 {
    match c {
        Data::Float(f) => *f,
        #[allow(clippy::cast_precision_loss)]
        Data::Int(i) => *i as f64,
        other => panic!("not a number: {other:?}"),
    }
}

/// A number cell, or empty for JSON's null.
fn opt_num(c: &Data) -> Option<f64> {
    match c {
        Data::Empty => None,
        c => Some(num(c)),
    }
}

/// An Excel date (a serial date with a date format), as a date.
fn date(c: &Data) -> NaiveDate {
    match c {
        Data::DateTime(dt) => {
            let base = NaiveDate::from_ymd_opt(1899, 12, 30).expect("base");
            #[allow(clippy::cast_possible_truncation)]
            let days = dt.as_f64() as i64;
            assert!(dt.is_datetime(), "{dt:?}");
            base + chrono::Duration::days(days)
        }
        other => panic!("not a date: {other:?}"),
    }
}

fn opt_date(c: &Data) -> Option<String> {
    match c {
        Data::Empty => None,
        c => Some(date(c).format("%Y-%m-%d").to_string()),
    }
}

fn j_f64(v: &Value) -> Option<f64> {
    v.as_f64()
}

fn j_str(v: &Value) -> Option<String> {
    v.as_str().map(str::to_string)
}

/// The first sheet's value for `label`.
fn about(wb: &mut Xlsx<Cursor<Vec<u8>>>, label: &str) -> Data {
    let r = sheet(wb, "Urval");
    r.rows()
        .find(|row| {
            row.first()
                .is_some_and(|c| *c == Data::String(label.into()))
        })
        .and_then(|row| row.get(1).cloned())
        .unwrap_or_else(|| panic!("no {label:?} on the first sheet"))
}

#[test]
fn caseload_workbook_holds_the_json_figures_and_leaves_out_empty_areas() {
    let args = ["caseload", "--unit", "BFN"];
    let j = json(&args);
    let mut wb = workbook(&args);
    assert_eq!(
        date(&about(&mut wb, "Datum")).to_string(),
        j["as_of"].as_str().expect("as_of")
    );
    let unit = text(&about(&mut wb, "Enhet"));
    assert!(
        unit.starts_with("Beställarenheten") && unit.ends_with("(BFN)"),
        "{unit}"
    );

    let r = sheet(&mut wb, "Per insats");
    let (code, change) = (col(&r, "Kod"), col(&r, "Förändring"));
    let j_rows = j["rows"].as_array().expect("rows");
    let xs = rows(&r);
    for x in &xs {
        let jr = j_rows
            .iter()
            .find(|jr| jr["insats_code"] == text(&x[code]).as_str())
            .expect("a JSON row");
        for k in 0..3 {
            assert_eq!(num(&x[3 + k]), jr["counts"][k].as_f64().expect("count"));
        }
        assert_eq!(num(&x[change]), jr["change"].as_f64().expect("change"));
    }
    // Every row of an area with a case, none of an area without.
    let busy = |area: &Value| {
        j_rows
            .iter()
            .filter(|jr| jr["area"] == *area)
            .any(|jr| jr["counts"].as_array().expect("c").iter().any(|n| n != 0))
    };
    let expected: Vec<&Value> = j_rows.iter().filter(|jr| busy(&jr["area"])).collect();
    assert_eq!(xs.len(), expected.len());
    assert!(expected.len() < j_rows.len(), "BFN lacks an area: left out");

    let r = sheet(&mut wb, "Per insats och kön");
    let xs = rows(&r);
    assert_eq!(xs.len(), expected.len() * 3);
    for (i, jr) in expected.iter().enumerate() {
        for k in 0..3 {
            let x = &xs[i * 3 + k];
            assert_eq!(
                date(&x[2]).to_string(),
                j["dates"][k].as_str().expect("date")
            );
            for (c, key) in ["K", "M", "unknown"].iter().enumerate() {
                assert_eq!(num(&x[3 + c]), jr["by_sex"][key][k].as_f64().expect("n"));
            }
        }
    }

    let r = sheet(&mut wb, "Per handläggare");
    let xs = rows(&r);
    let workers = j["workers"].as_array().expect("workers");
    for (x, w) in xs.iter().zip(workers) {
        assert_eq!(text(&x[0]), w["name"].as_str().expect("name"));
        assert_eq!(text(&x[1]), w["worker_id"].as_str().expect("id"));
        assert_eq!(num(&x[3]), w["open_cases"].as_f64().expect("n"));
    }
    let total = xs.last().expect("totals row");
    assert_eq!(text(&total[0]), "Öppna ärenden totalt");
    assert_eq!(num(&total[3]), j["open_cases"].as_f64().expect("open"));
}

#[test]
fn monthly_workbook_holds_the_json_series() {
    let args = [
        "caseload",
        "--monthly",
        "--from",
        "2014-01",
        "--to",
        "2014-12",
    ];
    let j = json(&args);
    let mut wb = workbook(&args);
    let r = sheet(&mut wb, "Per månad");
    let xs = rows(&r);
    assert!(!xs.is_empty());
    let series = j["series"].as_array().expect("series");
    for x in &xs {
        let d = date(&x[0]).to_string();
        let month = series
            .iter()
            .find(|m| m["date"] == d.as_str())
            .expect("month");
        let jr = month["rows"]
            .as_array()
            .expect("rows")
            .iter()
            .find(|r| r["insats_code"] == text(&x[2]).as_str())
            .expect("insats");
        assert_eq!(num(&x[4]), jr["count"].as_f64().expect("n"));
        assert_eq!(num(&x[5]), jr["by_sex"]["K"].as_f64().expect("n"));
        assert_eq!(num(&x[6]), jr["by_sex"]["M"].as_f64().expect("n"));
        assert_eq!(num(&x[7]), jr["by_sex"]["unknown"].as_f64().expect("n"));
    }
    // The areas' distinct cases and the open cases: the JSON's figures, every month.
    let month_of = |x: &[Data]| {
        let d = date(&x[0]).to_string();
        series
            .iter()
            .find(|m| m["date"] == d.as_str())
            .expect("month")
            .clone()
    };
    let r = sheet(&mut wb, "Områden per månad");
    let xs = rows(&r);
    assert!(!xs.is_empty());
    for x in &xs {
        let month = month_of(x);
        let ja = month["areas"]
            .as_array()
            .expect("areas")
            .iter()
            .find(|a| a["area"] == text(&x[1]).as_str())
            .expect("area")
            .clone();
        assert_eq!(num(&x[2]), ja["count"].as_f64().expect("n"));
        assert_eq!(num(&x[3]), ja["by_sex"]["K"].as_f64().expect("n"));
        assert_eq!(num(&x[4]), ja["by_sex"]["M"].as_f64().expect("n"));
        assert_eq!(num(&x[5]), ja["by_sex"]["unknown"].as_f64().expect("n"));
    }
    let r = sheet(&mut wb, "Öppna ärenden per månad");
    let xs = rows(&r);
    assert_eq!(xs.len(), series.len());
    for x in &xs {
        let month = month_of(x);
        assert_eq!(num(&x[1]), month["open_cases"].as_f64().expect("n"));
        assert_eq!(num(&x[2]), month["open_by_sex"]["K"].as_f64().expect("n"));
        assert_eq!(num(&x[3]), month["open_by_sex"]["M"].as_f64().expect("n"));
        assert_eq!(
            num(&x[4]),
            month["open_by_sex"]["unknown"].as_f64().expect("n")
        );
    }
}

#[test]
fn deadlines_workbook_holds_the_json_items_in_swedish_words() {
    let args = ["deadlines", "--unit", "BFN"];
    let j = json(&args);
    let mut wb = workbook(&args);
    let r = sheet(&mut wb, "Bevakningar");
    let xs = rows(&r);
    let items = j["items"].as_array().expect("items");
    assert_eq!(xs.len(), items.len());
    let status = |s: &str| match s {
        "forsenad" => "försenad",
        "idag" => "idag",
        "vecka" => "denna vecka",
        "kommande" => "kommande",
        _ => "senare",
    };
    let kind = |k: &str| match k {
        "genomforandeplan" => "genomförandeplan".to_string(),
        "uppfoljning" => "uppföljning".to_string(),
        "omprovning" => "omprövning".to_string(),
        "verkstallighet" => "verkställighet".to_string(),
        other => other.to_string(),
    };
    let c = |h| col(&r, h);
    for (x, i) in xs.iter().zip(items) {
        assert_eq!(
            text(&x[c("Status")]),
            status(i["status"].as_str().expect("s"))
        );
        assert_eq!(text(&x[c("Typ")]), kind(i["kind"].as_str().expect("k")));
        assert_eq!(opt_date(&x[c("Förfaller")]), j_str(&i["due"]));
        assert_eq!(opt_date(&x[c("Räknas från")]), j_str(&i["basis"]));
        assert_eq!(opt_num(&x[c("Dagar kvar")]), j_f64(&i["days_left"]));
        assert_eq!(text(&x[c("Ärende")]), i["case_id"].as_str().expect("case"));
        assert_eq!(text(&x[c("Källa")]), i["source_id"].as_str().expect("src"));
        let id = i["worker_id"].as_str().unwrap_or("");
        assert_eq!(text(&x[c("Handläggar-id")]), id);
        if !id.is_empty() {
            assert!(!text(&x[c("Handläggare")]).is_empty(), "a name beside {id}");
        }
    }
}

#[test]
fn processing_workbook_holds_every_period_statistic_and_list_of_the_json() {
    let args = ["processing-time", "--period", "tertial"];
    let j = json(&args);
    let mut wb = workbook(&args);
    // Means and shares at full precision; serde_json's own float parsing may differ from
    // the exact value in the last bit, which is no difference in the figure.
    let same = |a: Option<f64>, b: Option<f64>| match (a, b) {
        (Some(a), Some(b)) => assert!((a - b).abs() <= 1e-12 * b.abs().max(1.0), "{a} {b}"),
        (a, b) => assert_eq!(a, b),
    };
    let stats = |x: &[Data], at: usize, jp: &Value, count: &str, within: &str| {
        assert_eq!(opt_num(&x[at]), j_f64(&jp[count]), "{jp}");
        assert_eq!(opt_num(&x[at + 1]), j_f64(&jp["median_days"]));
        same(opt_num(&x[at + 2]), j_f64(&jp["mean_days"]));
        assert_eq!(opt_num(&x[at + 3]), j_f64(&jp["p90_days"]));
        assert_eq!(opt_num(&x[at + 4]), j_f64(&jp["max_days"]));
        same(opt_num(&x[at + 5]), j_f64(&jp[within]));
    };
    for (name, key, count, within) in [
        ("Handläggningstid", "periods", "decisions", "within_target"),
        (
            "Verkställighetstid",
            "execution_time",
            "started",
            "within_3_months",
        ),
    ] {
        let periods = j[key].as_array().expect("periods");
        let xs = rows(&sheet(&mut wb, name));
        assert_eq!(xs.len(), periods.len(), "{name}");
        for (x, jp) in xs.iter().zip(periods) {
            assert_eq!(text(&x[0]), jp["period"].as_str().expect("p"));
            stats(x, 1, jp, count, within);
        }
        let xs = rows(&sheet(&mut wb, &format!("{name} per kön")));
        assert_eq!(xs.len(), periods.len() * 3);
        for (i, jp) in periods.iter().enumerate() {
            for (k, sex) in ["K", "M", "unknown"].iter().enumerate() {
                let x = &xs[i * 3 + k];
                assert_eq!(text(&x[1]), if *sex == "unknown" { "okänt" } else { sex });
                stats(x, 2, &jp["by_sex"][sex], count, within);
            }
        }
    }
    let xs = rows(&sheet(&mut wb, "Över mål"));
    let over = j["open_past_target"].as_array().expect("over");
    assert_eq!(xs.len(), over.len());
    for (x, o) in xs.iter().zip(over) {
        assert_eq!(opt_date(&x[0]), j_str(&o["received"]));
        assert_eq!(opt_num(&x[1]), j_f64(&o["days_waiting"]));
        assert_eq!(opt_num(&x[2]), j_f64(&o["target_days"]));
        assert_eq!(text(&x[3]), o["application_id"].as_str().expect("id"));
    }
    let xs = rows(&sheet(&mut wb, "Ej verkställda"));
    let not = j["not_executed"].as_array().expect("not executed");
    assert_eq!(xs.len(), not.len());
    assert!(!not.is_empty(), "the demo has ej verkställda beslut");
    for (x, n) in xs.iter().zip(not) {
        assert_eq!(opt_date(&x[0]), j_str(&n["decided"]));
        assert_eq!(opt_num(&x[1]), j_f64(&n["days_waiting"]));
        assert_eq!(text(&x[2]), n["intervention_id"].as_str().expect("id"));
    }
}

#[test]
fn indicators_workbook_holds_the_json_values_and_statuses() {
    let args = ["indicators", "--unit", "BFN"];
    let j = json(&args);
    let mut wb = workbook(&args);
    let r = sheet(&mut wb, "Indikatorer");
    let xs = rows(&r);
    let inds = j["indicators"].as_array().expect("indicators");
    assert_eq!(xs.len(), inds.len());
    let c = |h| col(&r, h);
    let status = |s: &str| {
        match s {
            "ej_uppfyllt" => "ej uppfyllt",
            "ej_malsatt" => "ej målsatt",
            "ej_matt" => "ej mätt",
            other => other,
        }
        .to_string()
    };
    for (x, i) in xs.iter().zip(inds) {
        assert_eq!(
            text(&x[c("Indikator-id")]),
            i["indicator_id"].as_str().expect("id")
        );
        assert_eq!(opt_num(&x[c("Periodens utfall")]), j_f64(&i["value"]));
        assert_eq!(
            opt_num(&x[c("Utfall föregående år")]),
            j_f64(&i["previous"])
        );
        assert_eq!(opt_num(&x[c("Årsmål")]), j_f64(&i["target"]));
        assert_eq!(opt_num(&x[c("KF:s årsmål")]), j_f64(&i["city_target"]));
        assert_eq!(opt_num(&x[c("Tolerans")]), j_f64(&i["tolerance"]));
        assert_eq!(
            text(&x[c("Status")]),
            status(i["status"].as_str().expect("s"))
        );
        let better = if i["direction"] == "higher" {
            "högre är bättre"
        } else {
            "lägre är bättre"
        };
        assert_eq!(text(&x[c("Riktning")]), better);
    }
    for (label, key) in [
        ("Indikatorer uppfyllt", "uppfyllt"),
        ("Indikatorer delvis", "delvis"),
        ("Indikatorer ej uppfyllt", "ej_uppfyllt"),
    ] {
        assert_eq!(
            num(&about(&mut wb, label)),
            j["summary"][key].as_f64().expect("n")
        );
    }
    let goals = rows(&sheet(&mut wb, "Mål"));
    assert_eq!(goals.len(), j["goals"].as_array().expect("goals").len());
}

#[test]
fn ivo_workbook_has_the_list_for_ivo_and_an_anonymous_summary_for_the_namnd() {
    let args = ["ivo", "--quarter", "2014-Q4"];
    let j = json(&args);
    let mut wb = workbook(&args);
    let r = sheet(&mut wb, "Till IVO");
    let xs = rows(&r);
    let jrows = j["rows"].as_array().expect("rows");
    assert!(!jrows.is_empty(), "the demo has rows to report");
    assert_eq!(xs.len(), jrows.len());
    let c = |h| col(&r, h);
    for (x, jr) in xs.iter().zip(jrows) {
        assert_eq!(text(&x[c("Ärende")]), jr["case_id"].as_str().expect("case"));
        assert_eq!(opt_num(&x[c("Dagar")]), j_f64(&jr["days"]));
        assert_eq!(opt_date(&x[c("Beslutsdatum")]), j_str(&jr["decided"]));
        assert_eq!(opt_date(&x[c("Avbrott från")]), j_str(&jr["interrupted"]));
        assert_eq!(opt_date(&x[c("Statusdatum")]), j_str(&jr["status_date"]));
        assert_eq!(opt_date(&x[c("Erbjudet")]), j_str(&jr["offered"]));
    }
    let s = sheet(&mut wb, "Till nämnden");
    let xs = rows(&s);
    let summary = j["summary"].as_array().expect("summary");
    let total: f64 = summary
        .iter()
        .map(|r| r["count"].as_f64().expect("n"))
        .sum();
    for (x, jr) in xs.iter().zip(summary) {
        assert_eq!(num(&x[5]), jr["count"].as_f64().expect("n"));
    }
    let last = xs.last().expect("totals");
    assert_eq!(num(&last[5]), total);
    assert_eq!(xs.len(), summary.len() + 4, "three bands and the whole");
    // Anonymised: no case reference anywhere on the nämnd's sheet.
    let cases: Vec<&str> = jrows.iter().filter_map(|r| r["case_id"].as_str()).collect();
    for cell in s.used_cells() {
        if let Data::String(t) = cell.2 {
            assert!(!cases.iter().any(|c| t.contains(c)), "{t}");
        }
    }
}

#[test]
fn cases_and_decisions_workbooks_hold_the_json_dates_and_days() {
    let args = ["cases", "--insats", "FN_HEMTJ"];
    let j = json(&args);
    let mut wb = workbook(&args);
    let r = sheet(&mut wb, "Ärenden");
    let xs = rows(&r);
    let cases = j["cases"].as_array().expect("cases");
    assert_eq!(xs.len(), cases.len());
    assert_eq!(xs.len(), 108, "the seeds' Hemtjänst dec-14");
    for (x, jc) in xs.iter().zip(cases) {
        assert_eq!(
            text(&x[col(&r, "Ärende")]),
            jc["case_id"].as_str().expect("id")
        );
        assert_eq!(opt_date(&x[col(&r, "Öppnat")]), j_str(&jc["opened"]));
        assert_eq!(opt_date(&x[col(&r, "Avslutat")]), j_str(&jc["closed"]));
    }

    let args = ["decisions", "--period", "2014-Q4"];
    let j = json(&args);
    let mut wb = workbook(&args);
    let r = sheet(&mut wb, "Beslut");
    let xs = rows(&r);
    let ds = j["decisions"].as_array().expect("decisions");
    assert_eq!(xs.len(), ds.len());
    for (x, jd) in xs.iter().zip(ds) {
        assert_eq!(opt_date(&x[col(&r, "Inkom")]), j_str(&jd["from"]));
        assert_eq!(opt_date(&x[col(&r, "Beslut")]), j_str(&jd["to"]));
        assert_eq!(opt_num(&x[col(&r, "Dagar")]), j_f64(&jd["days"]));
        assert_eq!(opt_num(&x[col(&r, "Mål dagar")]), j_f64(&jd["target_days"]));
    }
}

#[test]
fn xlsx_without_out_is_refused_and_an_existing_file_is_never_replaced() {
    let o = run(&["caseload", "--format", "xlsx"], &[]);
    assert!(!o.status.success());
    assert!(o.stdout.is_empty(), "no binary on a terminal");
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(e.contains("--out"), "{e}");

    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("finns.xlsx");
    std::fs::write(&path, "mine").expect("write");
    let o = run(
        &["caseload", "--format", "xlsx", "--out"],
        &[path.as_os_str()],
    );
    assert!(!o.status.success());
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(e.contains("finns redan") && e.contains("finns.xlsx"), "{e}");
    assert_eq!(std::fs::read_to_string(&path).expect("read"), "mine");
    let left: Vec<_> = std::fs::read_dir(dir.path()).expect("dir").collect();
    assert_eq!(left.len(), 1, "no temporary file left");
}

#[test]
fn a_report_written_to_a_file_is_in_the_access_log_with_rows_and_format() {
    let dir = tempfile::tempdir().expect("dir");
    let log = dir.path().join("access.log");
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        format!("access_log = {:?}\n", log.display().to_string()),
    )
    .expect("config");
    for (format, name) in [("xlsx", "r.xlsx"), ("csv", "r.csv")] {
        let out = dir.path().join(name);
        let o = run(
            &["cases", "--insats", "FN_HEMTJ", "--format", format, "--out"],
            &[out.as_os_str(), "--config".as_ref(), config.as_os_str()],
        );
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    let text = std::fs::read_to_string(&log).expect("log");
    let lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect();
    assert_eq!(lines.len(), 2, "{text}");
    for (line, (format, name)) in lines.iter().zip([("xlsx", "r.xlsx"), ("csv", "r.csv")]) {
        assert_eq!(line["action"], "export");
        assert_eq!(line["format"], format);
        assert_eq!(line["rows"], 108);
        assert!(
            line["file"].as_str().expect("file").ends_with(name),
            "{line}"
        );
    }
}

// CSV: the screen's words, not codes (issue 18).

/// The report as plain CSV, its rows as maps from heading to cell.
fn csv_rows(args: &[&str]) -> Vec<std::collections::HashMap<String, String>> {
    let mut a = args.to_vec();
    a.extend(["--format", "csv", "--csv-plain"]);
    let o = run(&a, &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let mut r = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(o.stdout.as_slice());
    let heads: Vec<String> = r
        .headers()
        .expect("heads")
        .iter()
        .map(str::to_string)
        .collect();
    r.records()
        .map(|x| {
            let x = x.expect("row");
            heads
                .iter()
                .cloned()
                .zip(x.iter().map(str::to_string))
                .collect()
        })
        .collect()
}

#[test]
fn csv_rows_have_the_screens_words_and_names() {
    use bevaka::domain::deadlines::Status;
    // The bevakningslista: status and kind as on screen, the handläggare's name by the id.
    let j = json(&["deadlines"]);
    let rows = csv_rows(&["deadlines"]);
    let first = &rows[0];
    let item = &j["items"][0];
    assert_eq!(item["status"], "forsenad");
    assert_eq!(first["status"], Status::Forsenad.label());
    assert!(!first["typ"].contains("foljning") || first["typ"] == "uppföljning");
    assert_eq!(
        first["handläggare_id"],
        item["worker_id"].as_str().unwrap_or("")
    );
    assert!(!first["handläggare"].is_empty() && first["handläggare"] != first["handläggare_id"]);

    // The caseload of a unit without Äldreomsorg: no block of zeros for it.
    let rows = csv_rows(&["caseload", "--unit", "BFN"]);
    assert!(
        rows.iter().all(|r| r["område"] != "Äldreomsorg"),
        "{rows:?}"
    );
    assert!(rows.iter().any(|r| r["namn"] == "Daglig verksamhet"));

    // Indicators: direction and status in words.
    let rows = csv_rows(&["indicators", "--unit", "BFN"]);
    assert!(
        rows.iter().all(|r| r["riktning"].ends_with("är bättre")),
        "{rows:?}"
    );
    assert!(rows.iter().all(|r| !r["status"].contains('_')), "{rows:?}");

    // The review's lists: the insats and the handläggare by name, the id beside.
    let rows = csv_rows(&["processing-time"]);
    let waiting = rows
        .iter()
        .find(|r| r["typ"] == "ej_verkställt")
        .expect("a row");
    assert!(!waiting["insats"].contains('_'), "{waiting:?}");
    assert!(!waiting["handläggare_id"].is_empty());
    assert_ne!(waiting["handläggare"], waiting["handläggare_id"]);

    // Decisions: the insats's name beside its code.
    let rows = csv_rows(&["decisions", "--period", "2014-Q4", "--insats", "FN_DAGLIG"]);
    assert!(
        rows.iter()
            .all(|r| r["insats"] == "FN_DAGLIG" && r["insats_namn"] == "Daglig verksamhet")
    );

    // Cases: the handläggare's name beside the id.
    let rows = csv_rows(&["cases", "--insats", "FN_HEMTJ"]);
    let named = rows
        .iter()
        .find(|r| !r["handläggare"].is_empty())
        .expect("a handläggare");
    assert_ne!(named["handläggare_namn"], named["handläggare"]);

    // IVO: status in words.
    let rows = csv_rows(&["ivo", "--quarter", "2014-Q4"]);
    assert!(
        rows.iter()
            .filter(|r| r["del"] == "rad")
            .all(|r| !r["status"].contains('_'))
    );
}

// Text: the unit by name in the heading, the screen's totals (issue 18).

fn text_report(args: &[&str]) -> String {
    let o = run(args, &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout).expect("utf-8")
}

#[test]
fn text_headings_name_the_unit_and_the_caseload_has_the_screens_totals() {
    let unit = "Enhet: Beställarenheten funktionsnedsättning (BFN)";
    for args in [
        &["caseload", "--unit", "BFN"][..],
        &["caseload", "--unit", "BFN", "--monthly"],
        &["processing-time", "--unit", "BFN"],
        &["ivo", "--unit", "BFN", "--quarter", "2014-Q4"],
        &["cases", "--unit", "BFN", "--insats", "FN_DAGLIG"],
        &[
            "decisions",
            "--unit",
            "BFN",
            "--period",
            "2014-Q4",
            "--insats",
            "FN_DAGLIG",
        ],
    ] {
        let t = text_report(args);
        assert_eq!(t.lines().nth(1), Some(unit), "{args:?}\n{t}");
        assert!(!t.contains("enhet BFN"), "{args:?}\n{t}");
    }
    // A team besides the unit stays in the title's parentheses; no filter says so.
    let t = text_report(&["caseload", "--unit", "BFN", "--team", "Socialpsykiatri"]);
    assert!(
        t.starts_with(&format!(
            "Ärenden per insats, 2014-12-31 (arbetsgrupp Socialpsykiatri)\n{unit}\n"
        )),
        "{t}"
    );
    let t = text_report(&["caseload"]);
    assert!(
        t.starts_with("Ärenden per insats, 2014-12-31 (alla enheter)\n\n"),
        "{t}"
    );

    // The caseload's totals as the Ärenden view shows them: open cases in all (with those
    // without a handläggare), by kön, and the number of handläggare.
    let j = json(&["caseload", "--unit", "BFN"]);
    let t = text_report(&["caseload", "--unit", "BFN"]);
    assert!(
        t.contains(&format!(
            "\nÖppna ärenden 2014-12-31: {}\n",
            j["open_cases"]
        )),
        "{t}"
    );
    let by_sex = &j["open_cases_by_sex"];
    assert!(
        t.contains(&format!(
            "Öppna ärenden per kön: kvinnor {}, män {}, kön okänt {}\n",
            by_sex["K"], by_sex["M"], by_sex["unknown"]
        )),
        "{t}"
    );
    let workers = j["workers"].as_array().expect("workers").len();
    assert!(
        t.contains(&format!(
            "Öppna ärenden per handläggare ({workers} handläggare)"
        )),
        "{t}"
    );
}

// A CSV row of each report against the screen's row for the same item (issue 18).

/// The demo dashboard (the same data as the demo file the reports read) on `view`,
/// drawn 320 columns wide by [`drawn`].
fn dashboard(view: usize) -> bevaka::tui::app::App {
    use std::time::{Duration, SystemTime};
    let today = NaiveDate::from_ymd_opt(2014, 12, 31).expect("date");
    let data = bevaka::demo::build(today);
    let mut app = bevaka::tui::app::App::new(
        crate::caseload::memory_snapshot(&data),
        bevaka::config::Config::default(),
        bevaka::snapshot::queries::Filter::default(),
        today,
        SystemTime::UNIX_EPOCH + Duration::from_secs(1_420_000_000),
        bevaka::tui::theme::Theme {
            color: false,
            ascii: false,
        },
    )
    .expect("app");
    app.handle(bevaka::tui::keymap::Action::View(view))
        .expect("view");
    app
}

fn drawn(app: &bevaka::tui::app::App) -> String {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    let mut t = Terminal::new(TestBackend::new(320, 80)).expect("terminal");
    t.draw(|f| f.render_widget(app, f.area())).expect("draw");
    t.backend().to_string()
}

/// The screen's line holding every one of `keys`.
fn line_with<'a>(screen: &'a str, keys: &[&str]) -> &'a str {
    screen
        .lines()
        .find(|l| keys.iter().all(|k| l.contains(k)))
        .unwrap_or_else(|| panic!("no line with {keys:?}\n{screen}"))
}

fn has_word(line: &str, word: &str) {
    assert!(
        !word.is_empty() && line.to_lowercase().contains(&word.to_lowercase()),
        "{word:?} not in {line}"
    );
}

#[test]
fn a_csv_row_of_each_report_is_the_screens_row() {
    use bevaka::tui::keymap::Action;
    // Bevakningar: status, kind, insats and handläggare as on the item's row.
    let row = &csv_rows(&["deadlines"])[0];
    let s = drawn(&dashboard(0));
    let line = line_with(&s, &[&row["ärende"], &row["förfallodag"]]);
    for col in ["status", "typ", "insats", "handläggare", "klient"] {
        has_word(line, &row[col]);
    }

    // Ärenden: the insats's name and its three counts.
    let rows = csv_rows(&["caseload"]);
    let row = rows
        .iter()
        .find(|r| r["namn"] == "Daglig verksamhet")
        .expect("a row");
    let s = drawn(&dashboard(2));
    let line = line_with(&s, &[" Daglig verksamhet "]);
    let counts: Vec<&str> = line
        .split_whitespace()
        .filter(|w| w.chars().all(|c| c.is_ascii_digit()))
        .collect();
    assert_eq!(
        counts[..3],
        [
            row["2014-12-31"].as_str(),
            row["2013-12-31"].as_str(),
            row["2012-12-31"].as_str()
        ],
        "{line}"
    );

    // Handläggningstid: an ej verkställt beslut, its insats by name, on the list's row.
    let rows = csv_rows(&["processing-time"]);
    let row = rows
        .iter()
        .find(|r| r["typ"] == "ej_verkställt")
        .expect("a row");
    let mut app = dashboard(3);
    let s = drawn(&app);
    let line = line_with(&s, &[&row["ärende"]]);
    has_word(line, &row["insats"]);
    has_word(line, &row["dagar_väntat"]);

    // IVO: kind, status, insats, lagrum and kön of the first row (the list on screen has
    // no case reference or handläggare: the row is found by insats, date and days).
    let rows = csv_rows(&["ivo", "--quarter", "2014-Q4"]);
    let row = rows.iter().find(|r| r["del"] == "rad").expect("a row");
    app.handle(Action::Ivo).expect("ivo");
    let s = drawn(&app);
    let line = line_with(&s, &[&row["insats"], &row["beslutsdatum"], &row["dagar"]]);
    for col in ["typ", "status", "lagrum", "kön"] {
        has_word(line, &row[col]);
    }

    // Mål och indikatorer: an indicator's status and utfall, as listed.
    let rows = csv_rows(&["indicators", "--unit", "BFN"]);
    let row = &rows[0];
    let mut app = dashboard(4);
    bevaka::tui::app::App::choose_unit(&mut app, Some("BFN".into()));
    let s = drawn(&app);
    let line = line_with(&s, &[&row["indikator"]]);
    has_word(line, &row["status"]);
    has_word(line, &row["utfall"].replace('.', ","));
}
