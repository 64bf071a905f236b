//! The decisions behind a figure of the quarterly review (issue 13: "a period's or a
//! breakdown row's handläggningstid → its decisions with their days, longest first"): for
//! every period and every breakdown row of both measures, the list is as long as the
//! figure's count and its days are those computed straight from the rows.

use std::collections::HashMap;
use std::process::Command;
use std::time::{Duration, SystemTime};

use bevaka::config::Config;
use bevaka::domain::cases::{self, DecisionQuery, GroupKey};
use bevaka::domain::periods::PeriodKind;
use bevaka::domain::processing::{self, By, Measure, Scope};
use bevaka::model::{Case, Dataset, Sex};
use bevaka::snapshot::queries::Filter;
use bevaka::tui::app::App;
use bevaka::tui::drill::Layer;
use bevaka::tui::keymap::Action;
use bevaka::tui::theme::Theme;
use chrono::{Months, NaiveDate};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use serde_json::Value;

use crate::caseload::{every_kind_of_filter, file_snapshot, memory_snapshot};

fn d(s: &str) -> NaiveDate {
    bevaka::domain::dates::parse_iso(s).expect("date")
}

/// One sample as the rules define it, straight from the dataset's rows.
#[derive(Debug, Clone)]
struct Sample {
    /// The day whose period it counts in: the decision (handläggningstid) or the start.
    day: NaiveDate,
    insats: String,
    worker: Option<String>,
    sex: Option<Sex>,
    days: i64,
    /// Took longer than its target (handläggningstid: the insats type's `target_days`;
    /// verkställighetstid: three calendar months).
    over: bool,
}

fn in_filter(case: &Case, filter: &Filter) -> bool {
    filter.unit_id.as_ref().is_none_or(|u| *u == case.unit_id)
        && filter
            .team
            .as_ref()
            .is_none_or(|t| Some(t) == case.team.as_ref())
}

/// DOMAIN.md "Handläggningstid" (`decided - received`, by the decision's period, the
/// handläggare the application's else the case's) and "Verkställighetstid" (`start -
/// decided`, by the start's period, the case's handläggare).
fn oracle(data: &Dataset, filter: &Filter, measure: Measure, today: NaiveDate) -> Vec<Sample> {
    let cases: HashMap<&str, &Case> = data.cases.iter().map(|c| (c.case_id.as_str(), c)).collect();
    let target: HashMap<&str, Option<i64>> = data
        .insats_types
        .iter()
        .map(|t| (t.insats_code.as_str(), t.target_days))
        .collect();
    let mut out = Vec::new();
    match measure {
        Measure::Handlaggning => {
            for a in &data.applications {
                let case = cases[a.case_id.as_str()];
                let Some(decided) = a.decided else { continue };
                if !in_filter(case, filter) || decided > today {
                    continue;
                }
                let days = (decided - a.received).num_days();
                out.push(Sample {
                    day: decided,
                    insats: a.insats_code.clone(),
                    worker: a.worker_id.clone().or_else(|| case.worker_id.clone()),
                    sex: case.sex,
                    days,
                    over: target
                        .get(a.insats_code.as_str())
                        .copied()
                        .flatten()
                        .is_some_and(|t| days > t),
                });
            }
        }
        Measure::Verkstallighet => {
            for i in &data.interventions {
                let case = cases[i.case_id.as_str()];
                let (Some(decided), Some(start)) = (i.decided, i.start) else {
                    continue;
                };
                if !in_filter(case, filter) || start > today {
                    continue;
                }
                let three = decided
                    .checked_add_months(Months::new(3))
                    .unwrap_or(NaiveDate::MAX);
                out.push(Sample {
                    day: start,
                    insats: i.insats_code.clone(),
                    worker: case.worker_id.clone(),
                    sex: case.sex,
                    days: (start - decided).num_days(),
                    over: start > three,
                });
            }
        }
    }
    out
}

fn admits(group: Option<&GroupKey>, s: &Sample) -> bool {
    match group {
        None => true,
        Some(GroupKey::Insats(code)) => s.insats == *code,
        Some(GroupKey::Worker(w)) => s.worker == *w,
        Some(GroupKey::Sex(x)) => s.sex == *x,
    }
}

/// How many lists were compared, and how many of them had decisions: the test proves
/// little if the rows never reach them.
#[derive(Default)]
struct Seen {
    lists: usize,
    non_empty: usize,
    no_worker: usize,
    unknown_sex: usize,
}

/// Every period of every kind, both measures, and every row of its three breakdowns:
/// the list's length is the figure's count, its days (longest first) the oracle's, and
/// those over their target as many as the figure says.
fn assert_lists(data: &Dataset, filter: &Filter, today: NaiveDate, seen: &mut Seen) {
    let snap = memory_snapshot(data);
    for kind in [
        PeriodKind::Quarter,
        PeriodKind::Tertial,
        PeriodKind::Half,
        PeriodKind::Year,
    ] {
        let p = processing::load_by(snap.conn(), filter, Scope::default(), today, kind)
            .expect("review");
        for measure in [Measure::Handlaggning, Measure::Verkstallighet] {
            let samples = oracle(data, filter, measure, today);
            for row in p.rows_of(measure) {
                let period = row.period;
                let mut asks: Vec<(Option<GroupKey>, u64, u64)> = vec![(
                    None,
                    row.stats.decisions,
                    row.stats.with_target - row.stats.within,
                )];
                for by in [By::Insats, By::Worker, By::Sex] {
                    for g in p.breakdown_of(measure, period, by) {
                        let key = GroupKey::of(by, &g).expect("a key for every row");
                        asks.push((
                            Some(key),
                            g.stats.decisions,
                            g.stats.with_target - g.stats.within,
                        ));
                    }
                }
                for (group, count, over) in asks {
                    let what = format!("{measure:?} {period} {group:?} {today} {filter:?}");
                    let query = DecisionQuery {
                        measure,
                        period,
                        group: group.clone(),
                    };
                    let list = cases::load_decisions(
                        snap.conn(),
                        filter,
                        &Scope::default(),
                        &query,
                        today,
                    )
                    .expect("decisions");
                    let got: Vec<i64> = list.decisions.iter().map(|x| x.days).collect();
                    let mut want: Vec<i64> = samples
                        .iter()
                        .filter(|s| period.contains(s.day) && admits(group.as_ref(), s))
                        .map(|s| s.days)
                        .collect();
                    want.sort_by(|a, b| b.cmp(a));
                    assert_eq!(got.len() as u64, count, "count {what}");
                    assert_eq!(got, want, "days {what}");
                    let want_over = samples
                        .iter()
                        .filter(|s| period.contains(s.day) && admits(group.as_ref(), s))
                        .filter(|s| s.over)
                        .count();
                    assert_eq!(list.over_target(), want_over, "over {what}");
                    assert_eq!(list.over_target() as u64, over, "over, figure {what}");
                    // Each decision's own days and period, from its own dates.
                    for x in &list.decisions {
                        assert_eq!(x.days, (x.row.to - x.row.from).num_days(), "{what}");
                        assert!(period.contains(x.row.to) && x.row.to <= today, "{what}");
                    }
                    seen.lists += 1;
                    if count > 0 {
                        seen.non_empty += 1;
                        match &group {
                            Some(GroupKey::Worker(None)) => seen.no_worker += 1,
                            Some(GroupKey::Sex(None)) => seen.unknown_sex += 1,
                            _ => {}
                        }
                    }
                }
            }
        }
    }
}

#[test]
fn random_version_2_exports_list_exactly_each_figures_decisions() {
    let mut seen = Seen::default();
    for seed in 0..12 {
        let dir = tempfile::tempdir().expect("tempdir");
        crate::support::random_csv::write_random(dir.path(), seed);
        let data = bevaka::import::read_dir(dir.path()).expect("imports");
        let mut days: Vec<NaiveDate> = data
            .interventions
            .iter()
            .filter_map(|i| i.start.or(i.decided))
            .collect();
        days.sort();
        let picks = [days.len() / 2, days.len().saturating_sub(1)];
        let days: Vec<NaiveDate> = picks.iter().filter_map(|&i| days.get(i).copied()).collect();
        for filter in every_kind_of_filter(&data) {
            for today in &days {
                assert_lists(&data, &filter, *today, &mut seen);
            }
        }
    }
    assert!(seen.non_empty > 100, "{} of {}", seen.non_empty, seen.lists);
    assert!(
        seen.no_worker > 0,
        "no list of the decisions without handläggare"
    );
    assert!(seen.unknown_sex > 0, "no list of kön okänt");
}

#[test]
fn the_demo_lists_exactly_each_figures_decisions() {
    let data = bevaka::demo::build(d("2014-12-31"));
    let mut seen = Seen::default();
    assert_lists(&data, &Filter::default(), d("2014-12-31"), &mut seen);
    let unit = Filter {
        unit_id: data.cases.first().map(|c| c.unit_id.clone()),
        team: None,
    };
    assert_lists(&data, &unit, d("2014-12-31"), &mut seen);
    assert!(seen.non_empty > 100, "{} of {}", seen.non_empty, seen.lists);
}

const PLAIN: Theme = Theme {
    color: false,
    ascii: false,
};

fn demo_review() -> App {
    let data = bevaka::demo::build(d("2014-12-31"));
    let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_420_000_000);
    let mut app = App::new(
        memory_snapshot(&data),
        Config::default(),
        Filter::default(),
        d("2014-12-31"),
        now,
        PLAIN,
    )
    .expect("app");
    app.handle(Action::View(3)).expect("view");
    app
}

fn screen(app: &App, width: u16, height: u16) -> String {
    let mut t = Terminal::new(TestBackend::new(width, height)).expect("terminal");
    t.draw(|f| f.render_widget(app, f.area())).expect("draw");
    t.backend().to_string()
}

fn press(app: &mut App, actions: &[Action]) {
    for a in actions {
        app.handle(*a).expect("key");
    }
}

fn opened(app: &App) -> (usize, String) {
    let Some(Layer::Decisions(l)) = app.drill() else {
        panic!("no decisions");
    };
    assert!(l.list.decisions.windows(2).all(|w| w[0].days >= w[1].days));
    (l.list.decisions.len(), l.list.heading())
}

#[test]
fn enter_on_each_period_and_breakdown_row_of_both_measures_opens_its_count() {
    let mut app = demo_review();
    for measure in [Measure::Handlaggning, Measure::Verkstallighet] {
        assert_eq!(app.processing.measure, measure);
        let n = app.processing.periods().len();
        for i in 0..n {
            app.processing.period_cursor.selected = i;
            app.processing.regroup();
            let count = app.processing.periods()[i].stats.decisions as usize;
            press(&mut app, &[Action::Open]);
            assert_eq!(opened(&app).0, count, "{measure:?} period {i}");
            press(&mut app, &[Action::Back]);
            // → to the breakdown, each row of each grouping, ← back.
            press(&mut app, &[Action::FocusRight]);
            for _ in 0..3 {
                // The rows as shown (sorted), which the cursor moves through.
                let rows: Vec<u64> = app
                    .processing
                    .breakdown_shown()
                    .iter()
                    .map(|g| g.stats.decisions)
                    .collect();
                for (k, count) in rows.iter().enumerate() {
                    app.processing.breakdown_view.cursor.selected = k;
                    press(&mut app, &[Action::Open]);
                    let (len, heading) = opened(&app);
                    assert_eq!(len as u64, *count, "{measure:?} {heading}");
                    press(&mut app, &[Action::Back]);
                }
                press(&mut app, &[Action::GroupBy]);
            }
            press(&mut app, &[Action::FocusLeft]);
        }
        press(&mut app, &[Action::Measure]);
    }
}

#[test]
fn verkstallighet_decisions_80x24() {
    let mut app = demo_review();
    // Verkställighetstid, today's quarter, its breakdown by insats: the first row.
    press(
        &mut app,
        &[Action::Measure, Action::FocusRight, Action::Open],
    );
    let s = screen(&app, 80, 24);
    assert!(s.contains("Startade 2014-Q4"), "{s}");
    insta::assert_snapshot!("verkstallighet_decisions_80x24", s);
    // Esc back to the breakdown, as it was.
    press(&mut app, &[Action::Back]);
    assert!(app.drill().is_none());
    press(&mut app, &[Action::FocusLeft, Action::Open]);
    let (count, _) = opened(&app);
    assert_eq!(
        count as u64,
        app.processing.period().expect("period").stats.decisions
    );
}

fn run(args: &[&str]) -> (bool, String, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_bevaka"))
        .args(args)
        .env_remove("BEVAKA_CONFIG")
        .env("XDG_CONFIG_HOME", "/nonexistent")
        .output()
        .expect("runs");
    (
        o.status.success(),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[test]
fn report_decisions_json_on_the_demo_is_each_figures_list() {
    let data = bevaka::demo::build(d("2014-12-31"));
    let (dir, snap) = file_snapshot(&data);
    let path = dir.path().join("snapshot.sqlite");
    let path = path.to_str().expect("utf-8");
    let today = d("2014-12-31");
    let base = [
        "report",
        "decisions",
        "--snapshot",
        path,
        "--today",
        "2014-12-31",
    ];
    for (kind, period, measure) in [
        (PeriodKind::Quarter, "2014-Q4", Measure::Handlaggning),
        (PeriodKind::Quarter, "2014-Q3", Measure::Verkstallighet),
        (PeriodKind::Tertial, "2014-T3", Measure::Handlaggning),
        (PeriodKind::Half, "2014-H2", Measure::Verkstallighet),
        (PeriodKind::Year, "2014", Measure::Handlaggning),
    ] {
        let p = processing::load_by(
            snap.conn(),
            &Filter::default(),
            Scope::default(),
            today,
            kind,
        )
        .expect("review");
        let row = p
            .rows_of(measure)
            .iter()
            .find(|r| r.period.to_string() == period)
            .expect("period shown");
        let name = match measure {
            Measure::Handlaggning => "handlaggning",
            Measure::Verkstallighet => "verkstallighet",
        };
        for (sex, arg) in [
            (None, None),
            (Some(0), Some("K")),
            (Some(1), Some("M")),
            (Some(2), Some("okänt")),
        ] {
            let mut args = base.to_vec();
            args.extend(["--period", period, "--measure", name, "--format", "json"]);
            if let Some(a) = arg {
                args.extend(["--sex", a]);
            }
            let (ok, out, err) = run(&args);
            assert!(ok, "{args:?}: {err}");
            let v: Value = serde_json::from_str(&out).expect("json");
            assert_eq!(v["period"], period);
            assert_eq!(v["measure"], name);
            let list = v["decisions"].as_array().expect("decisions");
            let want = sex.map_or(row.stats.decisions, |k| row.by_sex[k].decisions);
            assert_eq!(list.len() as u64, want, "{args:?}");
            for x in list {
                let from = d(x["from"].as_str().expect("from"));
                let to = d(x["to"].as_str().expect("to"));
                assert_eq!(x["days"].as_i64(), Some((to - from).num_days()), "{x}");
                assert!(
                    x["case_id"].is_string() && x["insats_code"].is_string(),
                    "{x}"
                );
                for field in ["client_label", "worker_id", "target_days", "source_id"] {
                    assert!(x.get(field).is_some(), "{field} in {x}");
                }
                assert!(row.period.contains(to), "{x} in {period}");
            }
            let days: Vec<i64> = list.iter().filter_map(|x| x["days"].as_i64()).collect();
            assert!(days.windows(2).all(|w| w[0] >= w[1]), "longest first");
            if arg.is_none() {
                assert_eq!(days.first().copied(), row.stats.max_days, "{args:?}");
            }
        }
    }
    // A row of the breakdown by insats, and the checks `report cases` makes.
    let p =
        processing::load(snap.conn(), &Filter::default(), Scope::default(), today).expect("review");
    let q4 = p.periods.last().expect("Q4").period;
    let group = &p.breakdown_of(Measure::Handlaggning, q4, By::Insats)[0];
    let code = group.key.clone().expect("code");
    let mut args = base.to_vec();
    args.extend(["--period", "2014-Q4", "--insats", &code, "--format", "json"]);
    let (ok, out, err) = run(&args);
    assert!(ok, "{err}");
    let v: Value = serde_json::from_str(&out).expect("json");
    assert_eq!(v["insats_code"], code.as_str());
    assert_eq!(
        v["decisions"].as_array().map(Vec::len),
        Some(group.stats.decisions as usize)
    );
    for (flag, value) in [
        ("--worker", "NOBODY"),
        ("--unit", "NOWHERE"),
        ("--team", "NOTEAM"),
        ("--insats", "NOCODE"),
    ] {
        let mut args = base.to_vec();
        args.extend(["--period", "2014-Q4", flag, value]);
        let (ok, _, err) = run(&args);
        assert!(!ok && err.contains(value), "{flag}: {err}");
    }
    let mut args = base.to_vec();
    args.extend(["--period", "2014-Q5"]);
    assert!(!run(&args).0, "a period that is none");
    let mut args = base.to_vec();
    args.extend(["--period", "2014-Q4", "--format", "csv", "--csv-plain"]);
    let (ok, out, _) = run(&args);
    assert!(ok);
    assert!(
        out.starts_with("ärende,klient,insats,handläggare,kön,inkom,beslut,dagar,mål dagar"),
        "{out}"
    );
}
