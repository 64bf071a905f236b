//! The drill-downs without a terminal (issue 13, point 7): the cases behind each caseload
//! figure against a naive computation from the rows and against the figure itself, each
//! case card's deadlines against the bevakningslista, and `report cases` / `report case`
//! as the binary runs them (JSON shape, refusals, version 1 files, the access log).

use std::collections::HashMap;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use bevaka::config::DeadlineRules;
use bevaka::domain::cases::{self, ListQuery};
use bevaka::domain::dates::parse_iso;
use bevaka::domain::{caseload, deadlines};
use bevaka::model::{Application, Case, Dataset, Followup, Interruption, Intervention};
use bevaka::snapshot::Snapshot;
use bevaka::snapshot::queries::Filter;
use chrono::NaiveDate;
use serde_json::Value;

use crate::caseload::{every_kind_of_filter, file_snapshot, memory_snapshot};

fn d(s: &str) -> NaiveDate {
    parse_iso(s).expect("date")
}

/// The cases of `data` by id, for the naive computations.
fn by_id(data: &Dataset) -> HashMap<&str, &Case> {
    data.cases.iter().map(|c| (c.case_id.as_str(), c)).collect()
}

fn in_filter(filter: &Filter, c: &Case) -> bool {
    filter.unit_id.as_ref().is_none_or(|u| *u == c.unit_id)
        && filter
            .team
            .as_ref()
            .is_none_or(|t| Some(t) == c.team.as_ref())
}

/// DOMAIN.md "Caseload by insats on D", naively: the ids of the cases of the filter with
/// an intervention of `code` with start <= day and (no end or end >= day), sorted.
fn naive_active(data: &Dataset, filter: &Filter, code: &str, day: NaiveDate) -> Vec<String> {
    let cases = by_id(data);
    let mut ids: Vec<String> = data
        .interventions
        .iter()
        .filter(|i| i.insats_code == code)
        .filter(|i| i.start.is_some_and(|s| s <= day) && i.end.is_none_or(|e| e >= day))
        .filter(|i| in_filter(filter, cases[i.case_id.as_str()]))
        .map(|i| i.case_id.clone())
        .collect();
    ids.sort();
    ids.dedup();
    ids
}

/// DOMAIN.md "open on D", naively, of one handläggare or of all.
fn naive_open(
    data: &Dataset,
    filter: &Filter,
    worker: Option<&str>,
    day: NaiveDate,
) -> Vec<String> {
    let mut ids: Vec<String> = data
        .cases
        .iter()
        .filter(|c| c.opened <= day && c.closed.is_none_or(|cl| cl > day))
        .filter(|c| worker.is_none_or(|w| c.worker_id.as_deref() == Some(w)))
        .filter(|c| in_filter(filter, c))
        .map(|c| c.case_id.clone())
        .collect();
    ids.sort();
    ids
}

fn ids(list: &cases::CaseList) -> Vec<String> {
    list.cases.iter().map(|c| c.case_id.clone()).collect()
}

/// Every caseload count of `filter` on `as_of` (each insats type on its three dates, each
/// handläggare's open cases, all open cases) has its cases listed, exactly the naive ones.
fn assert_lists_behind_caseload(
    snap: &Snapshot,
    data: &Dataset,
    filter: &Filter,
    as_of: NaiveDate,
) {
    let conn = snap.conn();
    let c = caseload::load(conn, filter, as_of).expect("caseload");
    for row in &c.rows {
        for (k, day) in c.dates.iter().enumerate() {
            let query = ListQuery {
                insats_code: Some(row.insats_code.clone()),
                worker_id: None,
                date: *day,
            };
            let list = cases::load_list(conn, filter, &query).expect("list");
            let got = ids(&list);
            assert_eq!(
                got,
                naive_active(data, filter, &row.insats_code, *day),
                "{} on {day} ({filter:?})",
                row.insats_code
            );
            assert_eq!(
                got.len() as u64,
                row.counts[k],
                "{} on {day} ({filter:?}): list and count",
                row.insats_code
            );
            // Every listed case is of the filter, and carries its own row.
            for case in &list.cases {
                let want = data
                    .cases
                    .iter()
                    .find(|x| x.case_id == case.case_id)
                    .expect("listed case exists");
                assert_eq!(case, want);
            }
        }
    }
    for w in &c.workers {
        let query = ListQuery {
            insats_code: None,
            worker_id: Some(w.worker_id.clone()),
            date: as_of,
        };
        let got = ids(&cases::load_list(conn, filter, &query).expect("list"));
        assert_eq!(
            got,
            naive_open(data, filter, Some(&w.worker_id), as_of),
            "{} ({filter:?})",
            w.worker_id
        );
        assert_eq!(
            got.len() as u64,
            w.open_cases,
            "{} ({filter:?})",
            w.worker_id
        );
    }
    let query = ListQuery {
        insats_code: None,
        worker_id: None,
        date: as_of,
    };
    let got = ids(&cases::load_list(conn, filter, &query).expect("list"));
    assert_eq!(got, naive_open(data, filter, None, as_of), "{filter:?}");
    assert_eq!(got.len() as u64, c.open_cases, "{filter:?}");
}

/// The bevakningslista's items, as a card compares them (the case rank is the list's).
type ItemKey = (
    &'static str,
    String,
    NaiveDate,
    NaiveDate,
    i64,
    &'static str,
    Option<String>,
);

fn key(i: &deadlines::Item) -> ItemKey {
    (
        i.kind.as_str(),
        i.source_id.to_string(),
        i.basis,
        i.due,
        i.days_left,
        i.status.as_str(),
        i.worker_id.as_deref().map(str::to_string),
    )
}

/// The rows of `data` by case (interruptions by intervention).
#[derive(Default)]
struct RowsByCase<'a> {
    applications: HashMap<&'a str, Vec<&'a Application>>,
    interventions: HashMap<&'a str, Vec<&'a Intervention>>,
    interruptions: HashMap<&'a str, Vec<&'a Interruption>>,
    followups: HashMap<&'a str, Vec<&'a Followup>>,
}

impl<'a> RowsByCase<'a> {
    fn of(data: &'a Dataset) -> Self {
        let mut r = Self::default();
        for a in &data.applications {
            r.applications.entry(&a.case_id).or_default().push(a);
        }
        for i in &data.interventions {
            r.interventions.entry(&i.case_id).or_default().push(i);
        }
        for a in &data.interruptions {
            r.interruptions
                .entry(&a.intervention_id)
                .or_default()
                .push(a);
        }
        for f in &data.followups {
            r.followups.entry(&f.case_id).or_default().push(f);
        }
        r
    }
}

/// Each case's card lists exactly the bevakningslista's items of that case, in its order,
/// each with the list's explanation.
fn assert_cards_match_list(
    snap: &Snapshot,
    data: &Dataset,
    rules: &DeadlineRules,
    today: NaiveDate,
) {
    let conn = snap.conn();
    let list = deadlines::load(conn, &Filter::default(), rules, today).expect("deadlines");
    let items: Vec<deadlines::Item> = list.items().collect();
    let mut by_case: HashMap<&str, Vec<&deadlines::Item>> = HashMap::new();
    for i in &items {
        by_case.entry(&i.case_id).or_default().push(i);
    }
    let rows = RowsByCase::of(data);
    let mut with_items = 0;
    for c in &data.cases {
        let card = cases::load_card(conn, &c.case_id, rules, today).expect("card");
        assert_eq!(card.rows.case, *c);
        let want: Vec<ItemKey> = by_case
            .get(c.case_id.as_str())
            .map(|v| v.iter().map(|i| key(i)).collect())
            .unwrap_or_default();
        let got: Vec<ItemKey> = card.deadlines.iter().map(|x| key(&x.item)).collect();
        assert_eq!(got, want, "{} on {today}", c.case_id);
        for (x, i) in card
            .deadlines
            .iter()
            .zip(by_case.get(c.case_id.as_str()).into_iter().flatten())
        {
            let target = i
                .insats_code
                .as_deref()
                .and_then(|code| list.target_days.get(code).copied().flatten());
            assert_eq!(x.explanation, deadlines::explain(i, rules, target));
        }
        with_items += usize::from(!want.is_empty());
        // The card's rows are the case's rows of the data.
        let mut apps = rows
            .applications
            .get(c.case_id.as_str())
            .cloned()
            .unwrap_or_default();
        let mut got: Vec<_> = card.rows.applications.iter().collect();
        apps.sort_by_key(|a| &a.application_id);
        got.sort_by_key(|a| &a.application_id);
        assert_eq!(got, apps, "{}", c.case_id);
        for a in &card.rows.applications {
            assert_eq!(
                cases::handlaggningstid(a),
                a.decided.map(|dd| (dd - a.received).num_days())
            );
        }
        let mut ints = rows
            .interventions
            .get(c.case_id.as_str())
            .cloned()
            .unwrap_or_default();
        let mut got: Vec<_> = card.rows.interventions.iter().collect();
        ints.sort_by_key(|i| &i.intervention_id);
        got.sort_by_key(|i| &i.intervention_id);
        assert_eq!(got, ints, "{}", c.case_id);
        let mut avbrott: Vec<_> = ints
            .iter()
            .flat_map(|i| {
                rows.interruptions
                    .get(i.intervention_id.as_str())
                    .cloned()
                    .unwrap_or_default()
            })
            .collect();
        let mut got: Vec<_> = card.rows.interruptions.iter().collect();
        avbrott.sort_by_key(|a| &a.interruption_id);
        got.sort_by_key(|a| &a.interruption_id);
        assert_eq!(got, avbrott, "{}", c.case_id);
        let mut fups = rows
            .followups
            .get(c.case_id.as_str())
            .cloned()
            .unwrap_or_default();
        let mut got: Vec<_> = card.rows.followups.iter().collect();
        fups.sort_by_key(|f| &f.followup_id);
        got.sort_by_key(|f| &f.followup_id);
        assert_eq!(got, fups, "{}", c.case_id);
    }
    assert_eq!(
        with_items,
        by_case.len(),
        "every case of the list has a card with its items"
    );
}

#[test]
fn demo_lists_are_the_cases_behind_each_caseload_figure() {
    let today = d("2014-12-31");
    let data = bevaka::demo::build(today);
    let snap = memory_snapshot(&data);
    for filter in every_kind_of_filter(&data) {
        assert_lists_behind_caseload(&snap, &data, &filter, today);
    }
    // The seeds' figure, by name: 108 cases with hemtjänst in December 2014.
    let query = ListQuery {
        insats_code: Some("FN_HEMTJ".into()),
        worker_id: None,
        date: today,
    };
    let list = cases::load_list(snap.conn(), &Filter::default(), &query).expect("list");
    assert_eq!(list.cases.len(), 108);
}

#[test]
fn demo_cards_have_the_bevakningslista_items_of_their_case() {
    let today = d("2014-12-31");
    let data = bevaka::demo::build(today);
    let snap = memory_snapshot(&data);
    assert_cards_match_list(&snap, &data, &DeadlineRules::default(), today);
}

#[test]
fn random_exports_list_and_card_what_the_rules_say() {
    let rules = DeadlineRules {
        utredning_days: 5,
        genomforandeplan_days: 10,
        uppfoljning_months: 6,
        verkstallighet_months: 4,
    };
    for seed in 0..8 {
        let dir = tempfile::tempdir().expect("tempdir");
        crate::support::random_csv::write_random(dir.path(), seed);
        let data = bevaka::import::read_dir(dir.path()).expect("valid export imports");
        let snap = memory_snapshot(&data);
        // The edges live around the dates the generator favours.
        let mut days: Vec<NaiveDate> = data
            .interventions
            .iter()
            .flat_map(|i| [i.start, i.end])
            .chain(data.cases.iter().map(|c| c.closed))
            .flatten()
            .take(3)
            .collect();
        days.push(d("2016-02-29"));
        for day in &days {
            for filter in every_kind_of_filter(&data) {
                assert_lists_behind_caseload(&snap, &data, &filter, *day);
            }
            assert_cards_match_list(&snap, &data, &rules, *day);
        }
    }
}

#[test]
fn an_unknown_insats_or_case_is_an_error_naming_it() {
    let data = bevaka::demo::build(d("2014-12-31"));
    let snap = memory_snapshot(&data);
    let query = ListQuery {
        insats_code: Some("XX_INGEN".into()),
        worker_id: None,
        date: d("2014-12-31"),
    };
    let e = cases::load_list(snap.conn(), &Filter::default(), &query).expect_err("unknown");
    assert!(e.to_string().contains("XX_INGEN"), "{e}");
    let e = cases::load_card(
        snap.conn(),
        "BF-1999-99999",
        &DeadlineRules::default(),
        d("2014-12-31"),
    )
    .expect_err("unknown");
    assert!(e.to_string().contains("BF-1999-99999"), "{e}");
}

// The binary.

fn bevaka() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_bevaka"));
    c.env_remove("BEVAKA_CONFIG")
        .env("XDG_CONFIG_HOME", "/nonexistent-bevaka-test")
        .env("NO_COLOR", "1")
        .env("USER", "anna")
        .stdin(Stdio::null());
    c
}

fn run(snapshot: &Path, args: &[&str]) -> Output {
    bevaka()
        .arg("report")
        .args(args)
        .args(["--today", "2014-12-31", "--snapshot"])
        .arg(snapshot)
        .output()
        .expect("bevaka runs")
}

fn json(snapshot: &Path, args: &[&str]) -> Value {
    let o = run(snapshot, args);
    assert!(
        o.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    serde_json::from_slice(&o.stdout).expect("json")
}

fn keys(v: &Value) -> Vec<&str> {
    let mut k: Vec<&str> = v
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    k.sort_unstable();
    k
}

const CASE_KEYS: [&str; 8] = [
    "case_id",
    "client_label",
    "closed",
    "opened",
    "sex",
    "team",
    "unit_id",
    "worker_id",
];

/// The first case with an avbrott, a bevakning not done and an open deadline, the most
/// filled card there is.
fn full_case(data: &Dataset, today: NaiveDate) -> String {
    let items = deadlines::derive(
        &data.cases,
        &data.applications,
        &data.interventions,
        &data.followups,
        &data
            .insats_types
            .iter()
            .map(|t| (t.insats_code.clone(), t.target_days))
            .collect(),
        &DeadlineRules::default(),
        today,
    );
    data.cases
        .iter()
        .find(|c| {
            let ints: Vec<&str> = data
                .interventions
                .iter()
                .filter(|i| i.case_id == c.case_id)
                .map(|i| i.intervention_id.as_str())
                .collect();
            data.interruptions
                .iter()
                .any(|a| ints.contains(&a.intervention_id.as_str()))
                && data
                    .followups
                    .iter()
                    .any(|f| f.case_id == c.case_id && f.done.is_none())
                && items.iter().any(|i| *i.case_id == *c.case_id)
                && data.applications.iter().any(|a| a.case_id == c.case_id)
        })
        .expect("the demo has such a case")
        .case_id
        .clone()
}

#[test]
fn cli_cases_json_has_its_documented_shape() {
    let today = d("2014-12-31");
    let data = bevaka::demo::build(today);
    let (dir, _snap) = file_snapshot(&data);
    let snap = dir.path().join("snapshot.sqlite");

    let v = json(
        &snap,
        &["cases", "--insats", "FN_HEMTJ", "--format", "json"],
    );
    assert_eq!(keys(&v), ["cases", "date", "filter", "insats_code"]);
    assert_eq!(v["date"], "2014-12-31");
    assert_eq!(v["insats_code"], "FN_HEMTJ");
    assert_eq!(
        v["filter"],
        serde_json::json!({"unit_id": null, "team": null, "worker_id": null})
    );
    let list = v["cases"].as_array().expect("cases");
    assert_eq!(list.len(), 108);
    for c in list {
        assert_eq!(keys(c), CASE_KEYS);
        assert!(matches!(c["sex"].as_str(), Some("K" | "M")) || c["sex"].is_null());
    }
    let ids: Vec<&str> = list
        .iter()
        .map(|c| c["case_id"].as_str().expect("id"))
        .collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "sorted by case_id");

    // --date, and one handläggare's open cases with --worker.
    let v = json(
        &snap,
        &[
            "cases",
            "--insats",
            "FN_HEMTJ",
            "--date",
            "2013-12-31",
            "--format",
            "json",
        ],
    );
    assert_eq!(v["date"], "2013-12-31");
    assert_eq!(v["cases"].as_array().expect("cases").len(), 118);
    let c =
        caseload::load(memory_snapshot(&data).conn(), &Filter::default(), today).expect("caseload");
    let w = &c.workers[0];
    let v = json(
        &snap,
        &["cases", "--worker", &w.worker_id, "--format", "json"],
    );
    assert_eq!(v["insats_code"], Value::Null);
    assert_eq!(v["filter"]["worker_id"], w.worker_id.as_str());
    assert_eq!(
        v["cases"].as_array().expect("cases").len() as u64,
        w.open_cases
    );

    // Text: the heading says what the list is; CSV: Swedish headers.
    let o = run(&snap, &["cases", "--insats", "FN_HEMTJ"]);
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.starts_with("Ärenden med Hemtjänst (FN_HEMTJ) aktiv 2014-12-31 (alla enheter): 108\n"),
        "{text}"
    );
    let o = run(&snap, &["cases", "--format", "csv", "--csv-plain"]);
    let csv = String::from_utf8_lossy(&o.stdout);
    assert!(
        csv.starts_with(
            "ärende,enhet,arbetsgrupp,handläggare,klient,öppnat,avslutat,kön,handläggare_namn\r\n"
        ),
        "{csv}"
    );
    assert_eq!(csv.lines().count() as u64, 1 + c.open_cases);
}

#[test]
fn cli_case_json_has_its_documented_shape() {
    let today = d("2014-12-31");
    let data = bevaka::demo::build(today);
    let (dir, _snap) = file_snapshot(&data);
    let snap = dir.path().join("snapshot.sqlite");
    let id = full_case(&data, today);

    let v = json(&snap, &["case", &id, "--format", "json"]);
    assert_eq!(
        keys(&v),
        [
            "applications",
            "case",
            "deadlines",
            "followups",
            "interruptions",
            "interventions",
            "today"
        ]
    );
    assert_eq!(keys(&v["case"]), CASE_KEYS);
    assert_eq!(v["case"]["case_id"], id.as_str());
    let first = |part: &str| v[part].as_array().expect(part)[0].clone();
    assert_eq!(
        keys(&first("applications")),
        [
            "application_id",
            "decided",
            "handlaggningstid_days",
            "insats_code",
            "investigation_started",
            "outcome",
            "received",
            "worker_id"
        ]
    );
    assert_eq!(
        keys(&first("interventions")),
        [
            "application_id",
            "decided",
            "delay_reason",
            "end",
            "insats_code",
            "intervention_id",
            "last_followup",
            "offered",
            "ordered",
            "plan_received",
            "provider",
            "start"
        ]
    );
    assert_eq!(
        keys(&first("interruptions")),
        [
            "interrupted",
            "interruption_id",
            "intervention_id",
            "reason",
            "resumed"
        ]
    );
    assert_eq!(
        keys(&first("followups")),
        ["done", "due", "followup_id", "kind", "note", "worker_id"]
    );
    assert_eq!(
        keys(&first("deadlines")),
        [
            "basis",
            "days_left",
            "due",
            "explanation",
            "kind",
            "source_id",
            "status"
        ]
    );
    for a in v["applications"].as_array().expect("applications") {
        match (a["received"].as_str(), a["decided"].as_str()) {
            (Some(r), Some(dd)) => assert_eq!(
                a["handlaggningstid_days"].as_i64(),
                Some((d(dd) - d(r)).num_days())
            ),
            _ => assert!(a["handlaggningstid_days"].is_null()),
        }
    }
    for x in v["deadlines"].as_array().expect("deadlines") {
        let due = x["due"].as_str().expect("due");
        assert!(
            x["explanation"].as_str().expect("text").contains(due),
            "{x}"
        );
    }

    // The text card's sections, in Swedish.
    let o = run(&snap, &["case", &id]);
    assert!(o.status.success());
    let text = String::from_utf8_lossy(&o.stdout);
    for section in [
        "Ärende ",
        "\nInsatser (",
        "\nAnsökningar (",
        "\nAvbrott (",
        "\nBevakningar (",
        "\nÖppna bevakningar med skäl (",
    ] {
        assert!(text.contains(section), "{section:?} in {text}");
    }
    // A card is not a table.
    let o = run(&snap, &["case", &id, "--format", "csv"]);
    assert!(!o.status.success());
    assert!(o.stdout.is_empty());
}

#[test]
fn cli_unknown_case_or_insats_fails_naming_it() {
    let data = bevaka::demo::build(d("2014-12-31"));
    let (dir, _snap) = file_snapshot(&data);
    let snap = dir.path().join("snapshot.sqlite");
    for (args, name) in [
        (
            &["case", "BF-1999-99999", "--format", "json"][..],
            "BF-1999-99999",
        ),
        (&["case", "BF-1999-99999"][..], "BF-1999-99999"),
        (
            &["cases", "--insats", "XX_INGEN", "--format", "json"][..],
            "XX_INGEN",
        ),
    ] {
        let o = run(&snap, args);
        assert!(!o.status.success(), "{args:?}");
        assert!(o.stdout.is_empty(), "{args:?}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains(name), "{args:?}: {err}");
    }
}

#[test]
fn cli_version_1_file_reads_with_empty_version_2_fields() {
    let today = d("2014-12-31");
    let data = bevaka::demo::build(today);
    let (dir, _snap) = file_snapshot(&data);
    let v2 = dir.path().join("snapshot.sqlite");
    let v1 = dir.path().join("v1.sqlite");
    crate::quarterly::as_version_1(&v2, &v1);

    let list = |file: &Path| {
        json(
            file,
            &["cases", "--insats", "SP_BOSTOD", "--format", "json"],
        )
    };
    let (a, b) = (list(&v1), list(&v2));
    let (a, b) = (
        a["cases"].as_array().expect("cases"),
        b["cases"].as_array().expect("cases"),
    );
    assert_eq!(a.len(), 161);
    assert_eq!(a.len(), b.len());
    assert!(b.iter().any(|c| !c["sex"].is_null()), "version 2 has kön");
    for (x, y) in a.iter().zip(b) {
        assert!(x["sex"].is_null());
        let mut y = y.clone();
        y["sex"] = Value::Null;
        assert_eq!(*x, y);
    }

    let id = full_case(&data, today);
    let (a, b) = (
        json(&v1, &["case", &id, "--format", "json"]),
        json(&v2, &["case", &id, "--format", "json"]),
    );
    assert!(a["case"]["sex"].is_null());
    assert_eq!(a["interruptions"], serde_json::json!([]));
    assert!(!b["interruptions"].as_array().expect("avbrott").is_empty());
    for i in a["interventions"].as_array().expect("interventions") {
        assert!(i["offered"].is_null() && i["delay_reason"].is_null(), "{i}");
    }
    assert_eq!(a["applications"], b["applications"]);
    assert_eq!(a["followups"], b["followups"]);
    assert_eq!(a["deadlines"], b["deadlines"]);
    let o = run(&v1, &["case", &id]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stdout).contains("\nAvbrott (0)\n  inga\n"));
}

#[test]
fn cli_case_card_is_written_to_the_access_log_or_not_at_all() {
    let data = bevaka::demo::build(d("2014-12-31"));
    let (dir, _snap) = file_snapshot(&data);
    let snap = dir.path().join("snapshot.sqlite");
    let id = data.cases[0].case_id.clone();
    let log = dir.path().join("access.log");
    let config = dir.path().join("config.toml");
    std::fs::write(&config, "access_log = \"access.log\"\n").expect("config");

    let card = |config: &Path, args: &[&str]| {
        bevaka()
            .arg("report")
            .args(args)
            .arg("--config")
            .arg(config)
            .args(["--today", "2014-12-31", "--snapshot"])
            .arg(&snap)
            .output()
            .expect("runs")
    };
    let o = card(&config, &["case", &id, "--format", "json"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = std::fs::read_to_string(&log).expect("log written");
    let lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect();
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["action"], "rapport");
    assert_eq!(lines[0]["case_id"], id.as_str());
    assert_eq!(lines[0]["user"], "anna");
    assert!(!text.contains(data.cases[0].client_label.as_deref().expect("label")));

    // A list of cases is not a case detail, and an unknown case is not logged.
    let o = card(&config, &["cases", "--format", "json"]);
    assert!(o.status.success());
    let o = card(&config, &["case", "BF-1999-99999"]);
    assert!(!o.status.success());
    assert_eq!(
        std::fs::read_to_string(&log).expect("log").lines().count(),
        1
    );

    // No line, no card.
    let broken = dir.path().join("broken.toml");
    std::fs::write(&broken, "access_log = \"/nonexistent-dir/a.log\"\n").expect("config");
    let o = card(&broken, &["case", &id]);
    assert!(!o.status.success());
    assert!(o.stdout.is_empty());
    assert!(String::from_utf8_lossy(&o.stderr).contains("åtkomstloggen"));
}
