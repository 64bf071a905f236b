//! The split's rules on a small dataset that has every kind of row the rules tell apart:
//! a unit without cases, a handläggare of another unit, city goals, a goal without a unit
//! below a unit's goal, an indicator of one unit on another's goal, and goals and
//! indicators that belong to no unit.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use rusqlite::Connection;

use super::*;
use crate::model::{
    CaseWorker, GoalLevel, Indicator, IndicatorValue, InsatsType, Outcome, Sex, Unit,
};

fn d(s: &str) -> NaiveDate {
    crate::domain::dates::parse_iso(s).expect("date")
}

fn unit(id: &str) -> Unit {
    Unit {
        unit_id: id.into(),
        name: format!("Enhet {id}"),
        district: None,
        area: None,
    }
}

fn worker(id: &str, unit: &str) -> CaseWorker {
    CaseWorker {
        worker_id: id.into(),
        name: format!("Handläggare {id}"),
        unit_id: unit.into(),
        team: None,
        login: None,
    }
}

fn case(id: &str, unit: &str, worker: Option<&str>) -> Case {
    Case {
        case_id: id.into(),
        unit_id: unit.into(),
        team: None,
        worker_id: worker.map(Into::into),
        client_label: Some(format!("Etikett {id}")),
        opened: d("2014-01-01"),
        closed: None,
        sex: Some(Sex::K),
    }
}

fn application(id: &str, case: &str, worker: Option<&str>) -> Application {
    Application {
        application_id: id.into(),
        case_id: case.into(),
        insats_code: "T1".into(),
        received: d("2014-02-01"),
        investigation_started: None,
        decided: Some(d("2014-02-10")),
        outcome: Some(Outcome::Beviljad),
        worker_id: worker.map(Into::into),
    }
}

fn intervention(id: &str, case: &str, application: Option<&str>) -> Intervention {
    Intervention {
        intervention_id: id.into(),
        case_id: case.into(),
        application_id: application.map(Into::into),
        insats_code: "T1".into(),
        decided: Some(d("2014-02-10")),
        start: Some(d("2014-03-01")),
        end: None,
        provider: Some("Familjehem Andersson".into()),
        ordered: None,
        plan_received: None,
        last_followup: None,
        offered: None,
        delay_reason: Some("Vistelse på sjukhus".into()),
    }
}

fn goal(id: &str, parent: Option<&str>, unit: Option<&str>) -> Goal {
    Goal {
        goal_id: id.into(),
        parent_id: parent.map(Into::into),
        unit_id: unit.map(Into::into),
        level: GoalLevel::Namndmal,
        code: None,
        title: format!("Mål {id}"),
        assessment: None,
        start: None,
        end: None,
        comment: None,
    }
}

fn indicator(id: &str, goal: Option<&str>, unit: Option<&str>) -> Indicator {
    Indicator {
        indicator_id: id.into(),
        goal_id: goal.map(Into::into),
        unit_id: unit.map(Into::into),
        name: format!("Indikator {id}"),
        year: 2014,
        measure: None,
        direction: crate::model::Direction::Higher,
        periodicity: None,
        target: None,
        target_text: None,
        city_target: None,
        city_target_text: None,
        tolerance: None,
    }
}

/// Units A, B and C (C without cases). A's case A-1 has B's handläggare; goal GA2 has no
/// unit but hangs below A's GA; B's indicator IB hangs on A's goal GA; KX, IK and IN
/// belong to no unit.
fn data() -> Dataset {
    Dataset {
        units: vec![unit("A"), unit("B"), unit("C")],
        case_workers: vec![worker("HA1", "A"), worker("HB1", "B")],
        insats_types: vec![InsatsType {
            insats_code: "T1".into(),
            name: "Hemtjänst".into(),
            area: "Äldreomsorg".into(),
            law: Some("SoL".into()),
            target_days: Some(14),
        }],
        cases: vec![
            case("A-1", "A", Some("HB1")),
            case("B-1", "B", Some("HB1")),
            case("A-2", "A", None),
        ],
        applications: vec![
            application("A-1/a", "A-1", Some("HA1")),
            application("B-1/a", "B-1", None),
        ],
        interventions: vec![
            intervention("A-1/i", "A-1", Some("A-1/a")),
            intervention("B-1/i", "B-1", Some("B-1/a")),
        ],
        interruptions: vec![Interruption {
            interruption_id: "A-1/v".into(),
            intervention_id: "A-1/i".into(),
            interrupted: d("2014-05-01"),
            resumed: None,
            reason: Some("Vistelse utomlands".into()),
        }],
        followups: vec![Followup {
            followup_id: "A-2/f".into(),
            case_id: "A-2".into(),
            kind: "SIP".into(),
            due: d("2014-06-01"),
            done: None,
            worker_id: Some("HB1".into()),
            note: Some("Ring A-2:s dotter".into()),
        }],
        goals: vec![
            goal("K1", None, None),
            goal("K2", Some("K1"), None),
            goal("GA", Some("K2"), Some("A")),
            goal("GA2", Some("GA"), None),
            goal("GB", Some("K2"), Some("B")),
            goal("KX", None, None),
            goal("GC", Some("K1"), Some("C")),
        ],
        indicators: vec![
            indicator("IA", Some("GA2"), None),
            indicator("IB", Some("GA"), Some("B")),
            indicator("IK", Some("KX"), None),
            indicator("IN", None, None),
            indicator("IC", None, Some("C")),
        ],
        indicator_values: ["IA", "IB", "IK", "IN", "IC"]
            .iter()
            .map(|id| IndicatorValue {
                indicator_id: (*id).into(),
                period: "2014".into(),
                value: 1.0,
                comment: None,
            })
            .collect(),
    }
}

fn ids<T>(rows: &[T], key: impl Fn(&T) -> &str) -> Vec<&str> {
    rows.iter().map(key).collect()
}

fn part<'a>(parts: &'a [(String, Dataset)], unit: &str) -> &'a Dataset {
    &parts
        .iter()
        .find(|(u, _)| u == unit)
        .expect("unit's part")
        .1
}

#[test]
fn each_unit_gets_its_people_its_plan_and_what_they_refer_to() {
    let data = data();
    let parts = split_by_unit(&data).expect("split");
    assert_eq!(
        parts.iter().map(|(u, _)| u.as_str()).collect::<Vec<_>>(),
        ["A", "B", "C"]
    );
    let a = part(&parts, "A");
    assert_eq!(ids(&a.units, |u| &u.unit_id), ["A", "B"], "HB1's unit");
    assert_eq!(ids(&a.case_workers, |w| &w.worker_id), ["HA1", "HB1"]);
    assert_eq!(ids(&a.cases, |c| &c.case_id), ["A-1", "A-2"]);
    assert_eq!(ids(&a.applications, |r| &r.application_id), ["A-1/a"]);
    assert_eq!(ids(&a.interventions, |r| &r.intervention_id), ["A-1/i"]);
    assert_eq!(ids(&a.interruptions, |r| &r.interruption_id), ["A-1/v"]);
    assert_eq!(ids(&a.followups, |r| &r.followup_id), ["A-2/f"]);
    assert_eq!(
        ids(&a.goals, |g| &g.goal_id),
        ["K1", "K2", "GA", "GA2", "KX"]
    );
    assert_eq!(ids(&a.indicators, |i| &i.indicator_id), ["IA", "IK", "IN"]);
    assert_eq!(
        ids(&a.indicator_values, |v| &v.indicator_id),
        ["IA", "IK", "IN"]
    );

    let b = part(&parts, "B");
    assert_eq!(ids(&b.units, |u| &u.unit_id), ["A", "B"], "GA's unit");
    assert_eq!(ids(&b.case_workers, |w| &w.worker_id), ["HB1"]);
    assert_eq!(ids(&b.cases, |c| &c.case_id), ["B-1"]);
    assert_eq!(
        ids(&b.goals, |g| &g.goal_id),
        ["K1", "K2", "GA", "GB", "KX"],
        "IB hangs on A's GA"
    );
    assert_eq!(ids(&b.indicators, |i| &i.indicator_id), ["IB", "IK", "IN"]);

    let c = part(&parts, "C");
    assert_eq!(ids(&c.units, |u| &u.unit_id), ["C"]);
    assert!(c.case_workers.is_empty() && c.cases.is_empty());
    assert_eq!(ids(&c.goals, |g| &g.goal_id), ["K1", "K2", "KX", "GC"]);
    assert_eq!(ids(&c.indicators, |i| &i.indicator_id), ["IK", "IN", "IC"]);
    assert_eq!(
        c.insats_types, data.insats_types,
        "every file has every type"
    );
}

/// The rows of `data` as text, table by table, for comparing sets of rows.
fn rows(data: &Dataset) -> Vec<BTreeSet<String>> {
    fn set<T: std::fmt::Debug>(rows: &[T]) -> BTreeSet<String> {
        rows.iter().map(|r| format!("{r:?}")).collect()
    }
    vec![
        set(&data.units),
        set(&data.case_workers),
        set(&data.insats_types),
        set(&data.cases),
        set(&data.applications),
        set(&data.interventions),
        set(&data.interruptions),
        set(&data.followups),
        set(&data.goals),
        set(&data.indicators),
        set(&data.indicator_values),
    ]
}

/// Writes `data` into a database in memory and runs the writer's check on it.
fn passes_the_writers_check(data: &Dataset) -> Result<(), String> {
    let mut conn = Connection::open_in_memory().map_err(|e| e.to_string())?;
    crate::snapshot::write::fill(&mut conn, data).map_err(|e| e.to_string())?;
    crate::snapshot::write::check(&conn)
}

#[test]
fn the_union_of_the_parts_is_the_whole_and_each_part_holds_together() {
    let data = data();
    let parts = split_by_unit(&data).expect("split");
    let mut union = vec![BTreeSet::new(); TABLES_COUNT];
    for (unit, part) in &parts {
        passes_the_writers_check(part).unwrap_or_else(|e| panic!("{unit}: {e}"));
        for (all, these) in union.iter_mut().zip(rows(part)) {
            all.extend(these);
        }
    }
    assert_eq!(union, rows(&data));
    let people: usize = parts.iter().map(|(_, p)| p.cases.len()).sum();
    assert_eq!(people, data.cases.len(), "each case in one file");
}

const TABLES_COUNT: usize = crate::model::TABLES.len();

#[test]
fn an_intervention_on_another_units_application_is_refused() {
    let mut data = data();
    data.interventions[1].application_id = Some("A-1/a".into());
    let e = split_by_unit(&data).expect_err("refused").to_string();
    for name in [
        "\"B-1/i\"",
        "\"B-1\"",
        "\"B\"",
        "\"A-1/a\"",
        "\"A-1\"",
        "\"A\"",
    ] {
        assert!(e.contains(name), "{e} names {name}");
    }
    assert!(e.contains("inga filer skrevs"), "{e}");
}

#[test]
fn unit_ids_that_cannot_be_file_names_are_refused_by_name() {
    for bad in [
        "",
        "a/b",
        "/",
        "..",
        ".",
        ".dold",
        "a\nb",
        "a\u{7f}",
        "sammanfattning",
        &"x".repeat(201),
    ] {
        assert!(unsafe_unit_id(bad).is_some(), "{bad:?}");
        let mut data = data();
        data.units.push(unit(bad));
        let e = split_by_unit(&data).expect_err("refused").to_string();
        assert!(e.starts_with(&format!("enhet {bad:?}: ")), "{e}");
    }
    for good in ["BFN", "Östermalm 2", "a..b", "SDN-12_ä", &"x".repeat(200)] {
        assert_eq!(unsafe_unit_id(good), None, "{good:?}");
    }
}

#[test]
fn a_reference_to_nothing_is_named_not_dropped() {
    let mut data = data();
    data.followups[0].case_id = "Z-9".into();
    let e = split_by_unit(&data).expect_err("refused").to_string();
    assert!(
        e.starts_with("followups \"A-2/f\": case_id \"Z-9\" finns inte"),
        "{e}"
    );
    let mut data = self::data();
    data.goals[2].unit_id = Some("Z".into());
    let e = split_by_unit(&data).expect_err("refused").to_string();
    assert!(
        e.starts_with("goals \"GA\": unit_id \"Z\" finns inte"),
        "{e}"
    );
    let none = Dataset::default();
    assert!(matches!(split_by_unit(&none), Err(SplitError::NoUnits)));
}

#[test]
fn a_goal_chain_that_comes_round_ends() {
    let mut data = data();
    data.goals.push(goal("X", Some("Y"), Some("A")));
    data.goals.push(goal("Y", Some("X"), None));
    let parts = split_by_unit(&data).expect("split");
    let a = part(&parts, "A");
    assert!(a.goals.iter().any(|g| g.goal_id == "X"));
    assert!(a.goals.iter().any(|g| g.goal_id == "Y"));
    passes_the_writers_check(a).expect("A holds together");
}

#[test]
fn the_summary_keeps_the_figures_and_leaves_out_the_people() {
    let data = data();
    let s = summary(&data);
    passes_the_writers_check(&s).expect("summary holds together");
    assert_eq!(
        ids(&s.cases, |c| &c.case_id),
        ["S000001", "S000002", "S000003"]
    );
    assert_eq!(
        ids(&s.applications, |a| &a.case_id),
        ["S000001", "S000002"],
        "the same case, the same pseudonym"
    );
    assert_eq!(
        ids(&s.interventions, |i| &i.intervention_id),
        ["I000001", "I000002"]
    );
    assert_eq!(
        s.interventions
            .iter()
            .map(|i| i.application_id.as_deref())
            .collect::<Vec<_>>(),
        [Some("A000001"), Some("A000002")]
    );
    assert_eq!(s.interruptions[0].interruption_id, "AV000001");
    assert_eq!(s.interruptions[0].intervention_id, "I000001");
    assert_eq!(s.followups[0].followup_id, "B000001");
    assert_eq!(s.followups[0].case_id, "S000003");
    assert!(s.cases.iter().all(|c| c.client_label.is_none()));
    assert!(
        s.interventions
            .iter()
            .all(|i| i.provider.is_none() && i.delay_reason.is_none())
    );
    assert!(s.interruptions.iter().all(|b| b.reason.is_none()));
    assert!(s.followups.iter().all(|f| f.note.is_none()));
    // Everything a figure reads is as it was.
    for (a, b) in data.cases.iter().zip(&s.cases) {
        assert_eq!(
            (&a.unit_id, &a.team, &a.worker_id, a.opened, a.closed, a.sex),
            (&b.unit_id, &b.team, &b.worker_id, b.opened, b.closed, b.sex)
        );
    }
    for (a, b) in data.interventions.iter().zip(&s.interventions) {
        assert_eq!(
            (&a.insats_code, a.decided, a.start, a.end, a.offered),
            (&b.insats_code, b.decided, b.start, b.end, b.offered)
        );
    }
    assert_eq!(s.followups[0].kind, data.followups[0].kind);
    assert_eq!(
        (&s.units, &s.case_workers, &s.goals, &s.indicators),
        (
            &data.units,
            &data.case_workers,
            &data.goals,
            &data.indicators
        )
    );
    let text = format!("{s:?}");
    for c in &data.cases {
        assert!(
            !text.contains(&c.case_id),
            "{} left in the summary",
            c.case_id
        );
    }
}

#[test]
fn counts_are_grouped_by_thousands() {
    for (n, text) in [
        (0, "0"),
        (999, "999"),
        (1000, "1 000"),
        (1234, "1 234"),
        (123_456, "123 456"),
        (1_234_567, "1 234 567"),
    ] {
        assert_eq!(grouped(n), text);
    }
}

#[test]
fn a_split_writes_a_file_per_unit_and_names_the_others() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("GAMMAL.sqlite"), "x").expect("old file");
    let lock = SplitLock::acquire(dir.path()).expect("lock");
    let mut out = Vec::new();
    let others = write_split(&lock, &data(), true, &mut out).expect("split");
    drop(lock);
    let out = String::from_utf8(out).expect("utf-8");
    let p = |name: &str| dir.path().join(name).display().to_string();
    assert_eq!(
        out,
        format!(
            "Skrev {} (2 ärenden)\nSkrev {} (1 ärende)\nSkrev {} (0 ärenden)\nSkrev {} (sammanfattning, pseudonymiserad: 3 ärenden)\n",
            p("A.sqlite"),
            p("B.sqlite"),
            p("C.sqlite"),
            p(SUMMARY_FILE)
        )
    );
    assert_eq!(others, [dir.path().join("GAMMAL.sqlite")]);
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "A.sqlite",
            "B.sqlite",
            "C.sqlite",
            "GAMMAL.sqlite",
            "sammanfattning.sqlite"
        ],
        "no lock or temporary file left"
    );
}

#[test]
fn a_second_split_into_the_same_directory_is_refused_and_a_missing_one_named() {
    let dir = tempfile::tempdir().expect("tempdir");
    let first = SplitLock::acquire(dir.path()).expect("first");
    let e = SplitLock::acquire(dir.path())
        .expect_err("second")
        .to_string();
    assert!(
        e.contains("en annan delning till samma katalog pågår redan"),
        "{e}"
    );
    drop(first);
    let missing = dir.path().join("saknas");
    let e = SplitLock::acquire(&missing)
        .expect_err("missing")
        .to_string();
    assert_eq!(
        e,
        format!(
            "{}: katalogen finns inte; skapa den först",
            missing.display()
        )
    );
}
