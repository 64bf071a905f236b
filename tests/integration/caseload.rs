//! The caseload figures against an independent computation straight from the rows, on the
//! demo (the seeds' tables) and on random CSV exports; and the caseload screens.

use std::collections::{HashMap, HashSet};
use std::time::{Duration, SystemTime};

use bevaka::config::Config;
use bevaka::domain::caseload;
use bevaka::domain::dates::{parse_iso, years_before};
use bevaka::model::Dataset;
use bevaka::snapshot::queries::{self, Filter, Part};
use bevaka::snapshot::{Snapshot, Stop};
use bevaka::tui::app::{App, Pane, View};
use bevaka::tui::keymap::Action;
use bevaka::tui::theme::Theme;
use chrono::NaiveDate;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn d(s: &str) -> NaiveDate {
    parse_iso(s).expect("date")
}

/// A snapshot in memory holding `data`, through the same writer as the files.
pub fn memory_snapshot(data: &Dataset) -> Snapshot {
    let mut conn = rusqlite::Connection::open_in_memory().expect("memory db");
    bevaka::snapshot::write::fill(&mut conn, data).expect("fill");
    Snapshot::from_memory(conn)
}

/// DOMAIN.md "Caseload by insats on D", computed naively from the rows.
fn oracle_counts(data: &Dataset, filter: &Filter, day: NaiveDate) -> HashMap<String, u64> {
    let cases: HashMap<&str, _> = data.cases.iter().map(|c| (c.case_id.as_str(), c)).collect();
    let mut seen: HashMap<String, HashSet<&str>> = HashMap::new();
    for i in &data.interventions {
        let c = cases[i.case_id.as_str()];
        if filter.unit_id.as_ref().is_some_and(|u| *u != c.unit_id)
            || filter
                .team
                .as_ref()
                .is_some_and(|t| Some(t) != c.team.as_ref())
        {
            continue;
        }
        let active = i.start.is_some_and(|s| s <= day) && i.end.is_none_or(|e| e >= day);
        if active {
            seen.entry(i.insats_code.clone())
                .or_default()
                .insert(&i.case_id);
        }
    }
    seen.into_iter().map(|(k, v)| (k, v.len() as u64)).collect()
}

/// DOMAIN.md "Cases per handläggare on D", computed naively.
/// Whether `case` is of the filter's unit and team and open on `day` (DOMAIN.md).
fn open_in_filter(case: &bevaka::model::Case, filter: &Filter, day: NaiveDate) -> bool {
    filter.unit_id.as_ref().is_none_or(|u| *u == case.unit_id)
        && filter
            .team
            .as_ref()
            .is_none_or(|t| Some(t) == case.team.as_ref())
        && case.opened <= day
        && case.closed.is_none_or(|cl| cl > day)
}

fn oracle_open(data: &Dataset, filter: &Filter, day: NaiveDate) -> HashMap<Option<String>, u64> {
    let mut out = HashMap::new();
    for c in &data.cases {
        if open_in_filter(c, filter, day) {
            *out.entry(c.worker_id.clone()).or_insert(0) += 1;
        }
    }
    out
}

fn assert_matches_oracle(data: &Dataset, filter: &Filter, today: NaiveDate) {
    let snap = memory_snapshot(data);
    let c = caseload::load(snap.conn(), filter, today).expect("caseload");
    assert_eq!(
        c.rows.len(),
        data.insats_types.len(),
        "a row per insats type"
    );
    for (k, day) in c.dates.iter().enumerate() {
        let want = oracle_counts(data, filter, *day);
        for row in &c.rows {
            assert_eq!(
                row.counts[k],
                want.get(&row.insats_code).copied().unwrap_or(0),
                "{} on {day} ({filter:?})",
                row.insats_code
            );
        }
    }
    let open = oracle_open(data, filter, today);
    assert_eq!(
        c.open_cases,
        open.values().sum::<u64>(),
        "open cases {filter:?}"
    );
    assert_eq!(c.unassigned, open.get(&None).copied().unwrap_or(0));
    // By arbetsgrupp: the case's own team, as --team filters; they add up to the total.
    let mut by_team: HashMap<Option<String>, u64> = HashMap::new();
    for case in data
        .cases
        .iter()
        .filter(|c| open_in_filter(c, filter, today))
    {
        *by_team.entry(case.team.clone()).or_insert(0) += 1;
    }
    let got: HashMap<Option<String>, u64> = c.open_by_team.iter().cloned().collect();
    assert_eq!(got, by_team, "open cases by team {filter:?} on {today}");
    assert_eq!(
        c.open_by_team.iter().map(|t| t.1).sum::<u64>(),
        c.open_cases
    );
    for w in &c.workers {
        assert_eq!(
            w.open_cases,
            open.get(&Some(w.worker_id.clone())).copied().unwrap_or(0),
            "{}",
            w.worker_id
        );
    }
    for (worker, n) in &open {
        if let Some(id) = worker {
            assert!(
                c.workers.iter().any(|w| &w.worker_id == id) || *n == 0,
                "worker {id} with {n} open cases missing"
            );
        }
    }
}

#[test]
fn demo_reproduces_the_seed_tables_figure_for_figure() {
    let data = bevaka::demo::build(d("2014-12-31"));
    let snap = memory_snapshot(&data);
    let c = caseload::load(snap.conn(), &Filter::default(), d("2014-12-31")).expect("caseload");
    let got: HashMap<(&str, &str), [u64; 3]> = c
        .rows
        .iter()
        .map(|r| ((r.area.as_str(), r.insats.as_str()), r.counts))
        .collect();
    let fn_ = "Funktionsnedsättning";
    let sp = "Socialpsykiatri";
    for (area, insats, want) in [
        (fn_, "Hemtjänst", [108, 118, 106]),
        (fn_, "Boendestöd", [70, 58, 43]),
        (fn_, "Personlig assistans", [11, 11, 10]),
        (fn_, "Assistansersättning", [82, 79, 69]),
        (fn_, "Grupp- och servicebostad", [146, 138, 132]),
        (fn_, "Daglig verksamhet", [227, 215, 209]),
        (fn_, "Avlösning", [38, 39, 33]),
        (sp, "HVB-hem särskilt boende", [25, 25, 29]),
        (sp, "Särskilt boende egen regi", [26, 24, 21]),
        (sp, "Boendestöd", [161, 149, 157]),
        (sp, "Sysselsättning", [56, 58, 57]),
    ] {
        assert_eq!(got.get(&(area, insats)), Some(&want), "{area} / {insats}");
    }
    let unit = data.units[0].unit_id.clone();
    let only_unit = Filter {
        unit_id: Some(unit),
        team: None,
    };
    let c = caseload::load(snap.conn(), &only_unit, d("2014-12-31")).expect("caseload");
    assert_eq!(c.open_cases, 900);
    for (team, want) in [
        ("Socialpsykiatri", 268),
        ("Funktionsnedsättning barn/ungdom", 156),
        ("Funktionsnedsättning vuxna", 476),
    ] {
        let f = Filter {
            unit_id: only_unit.unit_id.clone(),
            team: Some(team.into()),
        };
        let c = caseload::load(snap.conn(), &f, d("2014-12-31")).expect("caseload");
        assert_eq!(c.open_cases, want, "{team}");
    }
}

#[test]
fn demo_figures_equal_the_rules_on_other_dates_and_filters() {
    for as_of in ["2016-02-29", "2026-11-22"] {
        let data = bevaka::demo::build(d(as_of));
        for today in [d(as_of), years_before(d(as_of), 1) + chrono::Days::new(45)] {
            assert_matches_oracle(&data, &Filter::default(), today);
        }
        let unit = data.units[1].unit_id.clone();
        assert_matches_oracle(
            &data,
            &Filter {
                unit_id: Some(unit),
                team: None,
            },
            d(as_of),
        );
    }
}

#[test]
fn random_swedish_exports_give_the_rules_figures() {
    for seed in 0..12 {
        let dir = tempfile::tempdir().expect("tempdir");
        let written = crate::support::random_csv::write_random(dir.path(), seed);
        let data = bevaka::import::read_dir(dir.path()).expect("valid export imports");
        assert_eq!(data, written, "seed {seed}");
        // The edges live around the dates the generator favours; probe several.
        let mut days: Vec<NaiveDate> = data
            .interventions
            .iter()
            .flat_map(|i| [i.start, i.end])
            .chain(data.cases.iter().map(|c| c.closed))
            .flatten()
            .take(6)
            .collect();
        days.push(d("2016-02-29"));
        for day in days {
            assert_matches_oracle(&data, &Filter::default(), day);
        }
        if let Some(c) = data.cases.first() {
            let f = Filter {
                unit_id: Some(c.unit_id.clone()),
                team: c.team.clone(),
            };
            assert_matches_oracle(&data, &f, c.opened);
        }
    }
}

/// A snapshot file holding `data`, opened as the dashboard opens it: with a spare
/// connection, so that the loads read on two threads.
pub fn file_snapshot(data: &Dataset) -> (tempfile::TempDir, Snapshot) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("snapshot.sqlite");
    bevaka::snapshot::write_snapshot(&path, data).expect("write");
    let snap = Snapshot::open(&path).expect("open");
    assert!(
        snap.readers().spare.is_some(),
        "a file has a spare connection"
    );
    (dir, snap)
}

/// No filter, a unit, a unit and one of its teams, and a team of any unit (the filters the
/// dashboard sets), those `data` has.
pub fn every_kind_of_filter(data: &Dataset) -> Vec<Filter> {
    let mut filters = vec![Filter::default()];
    if let Some(c) = data.cases.iter().find(|c| c.team.is_some()) {
        filters.push(Filter {
            unit_id: Some(c.unit_id.clone()),
            team: None,
        });
        filters.push(Filter {
            unit_id: Some(c.unit_id.clone()),
            team: c.team.clone(),
        });
        filters.push(Filter {
            unit_id: None,
            team: c.team.clone(),
        });
    }
    filters
}

#[test]
fn two_connections_count_what_one_counts() {
    let today = d("2014-12-31");
    let data = bevaka::demo::build(today);
    let (_dir, snap) = file_snapshot(&data);

    // The pass over the interventions is split for all units, and both parts have cases:
    // their counts add up to those of one pass.
    let conn = snap.conn();
    let stop = Stop::default();
    let days = caseload::dates(today);
    let all = Filter::default();
    let middle = queries::insats_case_at(conn, 50)
        .expect("sample")
        .expect("interventions");
    let count = |part| queries::active_cases_by_insats(conn, &all, &days, part).expect("count");
    let whole = count(Part::all(&stop));
    let lower = count(Part {
        below: Some(&middle),
        ..Part::all(&stop)
    });
    let upper = count(Part {
        from: Some(&middle),
        ..Part::all(&stop)
    });
    for k in 0..days.len() {
        assert!(!lower[k].is_empty() && !upper[k].is_empty(), "{middle:?}");
        let mut sum = lower[k].clone();
        for (code, n) in &upper[k] {
            *sum.entry(code.clone()).or_insert(0) += n;
        }
        assert_eq!(sum, whole[k], "{}", days[k]);
    }

    for filter in every_kind_of_filter(&data) {
        for day in [today, d("2013-08-15")] {
            let two = caseload::load(snap.readers(), &filter, day).expect("two connections");
            let one = caseload::load(snap.conn(), &filter, day).expect("one connection");
            assert_eq!(two, one, "{filter:?} {day}");
            assert!(two.open_cases > 0, "{filter:?} {day}");
        }
    }
}

#[test]
fn two_connections_count_what_one_counts_in_small_exports() {
    // Tables of a few rows, or none: a part may be empty, or there is nothing to split.
    for seed in 0..6 {
        let dir = tempfile::tempdir().expect("tempdir");
        crate::support::random_csv::write_random(dir.path(), seed);
        let data = bevaka::import::read_dir(dir.path()).expect("valid export imports");
        let (_file, snap) = file_snapshot(&data);
        for filter in every_kind_of_filter(&data) {
            let two = caseload::load(snap.readers(), &filter, d("2016-02-29")).expect("two");
            let one = caseload::load(snap.conn(), &filter, d("2016-02-29")).expect("one");
            assert_eq!(two, one, "seed {seed} {filter:?}");
        }
    }
    let (_file, snap) = file_snapshot(&Dataset::default());
    let empty = caseload::load(snap.readers(), &Filter::default(), d("2016-02-29"));
    assert_eq!(empty.expect("empty snapshot").open_cases, 0);
}

fn demo_app(width: u16, height: u16, theme: Theme) -> (App, Terminal<TestBackend>) {
    let data = bevaka::demo::build(d("2014-12-31"));
    let snap = memory_snapshot(&data);
    let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_420_000_000);
    let mut app = App::new(
        snap,
        Config::default(),
        Filter::default(),
        d("2014-12-31"),
        now,
        theme,
    )
    .expect("app");
    app.handle(Action::View(2)).expect("caseload view");
    assert_eq!(app.view, View::Caseload);
    let terminal = Terminal::new(TestBackend::new(width, height)).expect("terminal");
    (app, terminal)
}

fn screen(app: &App, terminal: &mut Terminal<TestBackend>) -> String {
    terminal
        .draw(|f| f.render_widget(app, f.area()))
        .expect("draw");
    terminal.backend().to_string()
}

const COLOR: Theme = Theme {
    color: true,
    ascii: false,
};

#[test]
fn caseload_screen_80x24() {
    let (app, mut t) = demo_app(80, 24, COLOR);
    insta::assert_snapshot!(screen(&app, &mut t));
}

#[test]
fn caseload_screen_120x40() {
    let (app, mut t) = demo_app(120, 40, COLOR);
    insta::assert_snapshot!(screen(&app, &mut t));
}

#[test]
fn caseload_screen_ascii_filtered_to_a_team_80x24() {
    let (mut app, mut t) = demo_app(
        80,
        24,
        Theme {
            color: false,
            ascii: true,
        },
    );
    crate::support::next_unit(&mut app);
    crate::support::next_team(&mut app);
    // → steps through the insats table's three dates, then on to the handläggare.
    for _ in 0..3 {
        app.handle(Action::FocusRight).expect("focus");
    }
    app.handle(Action::Down).expect("down");
    assert_eq!(app.caseload.pane, Pane::Workers);
    let s = screen(&app, &mut t);
    assert!(s.is_ascii(), "ASCII mode draws only ASCII:\n{s}");
    insta::assert_snapshot!(s);
}

#[test]
fn help_overlay_lists_the_keymap() {
    let (mut app, mut t) = demo_app(80, 24, COLOR);
    app.handle(Action::Help).expect("help");
    let s = screen(&app, &mut t);
    // The keys of the view under it, and no other.
    for b in bevaka::tui::keymap::KEYMAP {
        assert_eq!(
            s.contains(b.help),
            b.works_in(app.view),
            "{:?} in the help of {:?}:\n{s}",
            b.help,
            app.view
        );
    }
    insta::assert_snapshot!(s);
}

#[test]
fn c_splits_the_caseload_by_kon() {
    let (mut app, mut t) = demo_app(120, 40, COLOR);
    app.handle(Action::View(2)).expect("ärenden");
    assert!(app.handle(Action::SplitSex).expect("c"));
    assert!(app.caseload.by_sex);
    let s = screen(&app, &mut t);
    let [k, m, unknown] = app.caseload.data.open_by_sex;
    assert_eq!(k + m + unknown, app.caseload.data.open_cases);
    assert!(
        s.contains(&format!(
            "(öppna 2014-12-31: K {k}, M {m}, okänt {unknown})"
        )),
        "open cases by kön in the title: {s}"
    );
    for r in &app.caseload.data.rows {
        for d in 0..3 {
            assert_eq!(r.by_sex.iter().map(|p| p[d]).sum::<u64>(), r.counts[d]);
        }
    }
    // Each insats row is followed by its three parts.
    let lines: Vec<&str> = s.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.contains(" Hemtjänst "))
        .expect("an insats row");
    assert!(lines[at + 1].contains("   K "), "{s}");
    assert!(lines[at + 2].contains("   M "), "{s}");
    assert!(lines[at + 3].contains("   okänt "), "{s}");
    app.handle(Action::SplitSex).expect("c");
    assert!(!screen(&app, &mut t).contains("okänt"));
}

#[test]
fn small_and_zero_sizes_show_a_message_not_a_panic() {
    for (w, h) in [(0, 0), (1, 1), (20, 5), (79, 24), (80, 23)] {
        let (app, mut t) = demo_app(w, h, COLOR);
        if w == 0 {
            // TestBackend cannot print a zero-width buffer; drawing must still not panic.
            t.draw(|f| f.render_widget(&app, f.area())).expect("draw");
            continue;
        }
        let s = screen(&app, &mut t);
        if w >= 20 {
            assert!(s.contains("litet"), "{w}×{h}:\n{s}");
        }
    }
}

/// DOMAIN.md "Caseload over time": the caseload by insats on the last day of every month,
/// equal to the count straight from the rows for every month and insats type (zeros
/// included), on the demo and on random exports, for all units and each unit.
#[test]
fn the_monthly_series_is_the_count_from_the_rows_every_month() {
    use bevaka::domain::caseload::{Month, monthly};
    let mut sets = vec![bevaka::demo::build(
        NaiveDate::from_ymd_opt(2014, 12, 31).expect("date"),
    )];
    for seed in 0..4 {
        let dir = tempfile::tempdir().expect("tempdir");
        sets.push(crate::support::random_csv::write_random(dir.path(), seed));
    }
    let mut all_fewer = 0;
    for data in &sets {
        // From the month before the first start to the middle of the last start's month
        // (at most ten years): every month with something active, and empty ones.
        let starts: Vec<NaiveDate> = data.interventions.iter().filter_map(|i| i.start).collect();
        let (Some(first), Some(last)) = (starts.iter().min(), starts.iter().max()) else {
            continue;
        };
        let as_of = Month::of(*last)
            .last_day()
            .expect("day")
            .pred_opt()
            .expect("day");
        let to = Month::of(as_of);
        let from = Month::of(*first)
            .back(1)
            .expect("month")
            .max(to.back(119).expect("month"));
        let snap = memory_snapshot(data);
        let mut filters = vec![Filter::default()];
        filters.extend(data.units.iter().map(|u| Filter {
            unit_id: Some(u.unit_id.clone()),
            team: None,
        }));
        let mut nonzero = 0;
        let mut area_nonzero = 0;
        let mut fewer = 0;
        for filter in &filters {
            let m = monthly(snap.conn(), filter, from, to, as_of).expect("series");
            // The month not over is counted on the day.
            assert_eq!(m.dates.last(), Some(&as_of));
            assert_eq!(m.dates[0], from.last_day().expect("day"));
            assert_eq!(m.rows.len(), data.insats_types.len());
            for (k, day) in m.dates.iter().enumerate() {
                let want = oracle_counts(data, filter, *day);
                for (r, row) in m.rows.iter().enumerate() {
                    let n = want.get(&row.insats_code).copied().unwrap_or(0);
                    assert_eq!(m.count(r, k), n, "{filter:?} {day} {}", row.insats_code);
                    nonzero += usize::from(n > 0);
                }
                // The areas' distinct cases and the open cases, by kön.
                let (areas, open) = oracle_areas_and_open(data, filter, *day);
                assert_eq!(m.open[k], open, "{filter:?} {day} open cases");
                let mut names: Vec<&str> = Vec::new();
                for t in &data.insats_types {
                    if !names.contains(&t.area.as_str()) {
                        names.push(&t.area);
                    }
                }
                let got: Vec<&str> = m.areas.iter().map(|a| a.area.as_str()).collect();
                assert_eq!(got, names, "every area, in the rows' order");
                for a in &m.areas {
                    let want = areas.get(&a.area).copied().unwrap_or([0; 3]);
                    assert_eq!(a.counts[k], want, "{filter:?} {day} {}", a.area);
                    area_nonzero += usize::from(want != [0; 3]);
                    // A case with two insatser of the area counts once: less than the sum.
                    let sum: u64 = (0..m.rows.len())
                        .filter(|&r| m.rows[r].area == a.area)
                        .map(|r| m.count(r, k))
                        .sum();
                    fewer += usize::from(want.iter().sum::<u64>() < sum);
                }
            }
        }
        assert!(nonzero > 0, "nothing compared");
        assert!(area_nonzero > 0, "no area total compared");
        all_fewer += fewer;
    }
    // The demo has cases with two insatser of one area (616 area-months below the sum).
    assert!(
        all_fewer > 0,
        "no distinct-case total below the sum compared"
    );
}

/// DOMAIN.md's rules from the rows for one filter and day: per area, the distinct cases with
/// an intervention of a type of the area active, and the cases open, each by kön.
fn oracle_areas_and_open(
    data: &Dataset,
    filter: &Filter,
    day: NaiveDate,
) -> (HashMap<String, [u64; 3]>, [u64; 3]) {
    let cases: HashMap<&str, _> = data.cases.iter().map(|c| (c.case_id.as_str(), c)).collect();
    let area_of: HashMap<&str, &str> = data
        .insats_types
        .iter()
        .map(|t| (t.insats_code.as_str(), t.area.as_str()))
        .collect();
    let of_filter = |c: &bevaka::model::Case| {
        filter.unit_id.as_ref().is_none_or(|u| *u == c.unit_id)
            && filter
                .team
                .as_ref()
                .is_none_or(|t| Some(t) == c.team.as_ref())
    };
    let sex = |c: &bevaka::model::Case| bevaka::domain::processing::sex_index(c.sex);
    let mut seen: HashMap<&str, HashSet<&str>> = HashMap::new();
    for i in &data.interventions {
        let c = cases[i.case_id.as_str()];
        let active = i.start.is_some_and(|s| s <= day) && i.end.is_none_or(|e| e >= day);
        if of_filter(c)
            && active
            && let Some(area) = area_of.get(i.insats_code.as_str())
        {
            seen.entry(area).or_default().insert(&i.case_id);
        }
    }
    let areas = seen
        .into_iter()
        .map(|(area, ids)| {
            let mut parts = [0; 3];
            for id in ids {
                parts[sex(cases[id])] += 1;
            }
            (area.to_string(), parts)
        })
        .collect();
    let mut open = [0; 3];
    for c in &data.cases {
        if of_filter(c) && c.opened <= day && c.closed.is_none_or(|cl| cl > day) {
            open[sex(c)] += 1;
        }
    }
    (areas, open)
}

#[test]
fn report_caseload_monthly_lists_every_insats_in_every_month() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("demo.sqlite");
    bevaka::snapshot::write_snapshot(
        &path,
        &bevaka::demo::build(NaiveDate::from_ymd_opt(2014, 12, 31).expect("date")),
    )
    .expect("write");
    let report = |args: &[&str]| {
        crate::support::bevaka()
            .args(args)
            .arg("--snapshot")
            .arg(&path)
            .output()
            .expect("report")
    };
    let o = report(&[
        "report",
        "caseload",
        "--monthly",
        "--today",
        "2014-12-31",
        "--format",
        "json",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let series = v["series"].as_array().expect("series");
    // The last 24 months up to today's.
    assert_eq!(series.len(), 24);
    assert_eq!(series[0]["date"], "2013-01-31");
    assert_eq!(series[23]["date"], "2014-12-31");
    for month in series {
        assert_eq!(month["rows"].as_array().map(Vec::len), Some(17));
    }
    // The seed's table, dec-14: Hemtjänst (funktionsnedsättning) 108.
    let hemtj = series[23]["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .find(|r| r["insats_code"] == "FN_HEMTJ")
        .expect("FN_HEMTJ");
    assert_eq!(hemtj["count"], 108);
    // The text of a team with cases in one area leaves the other areas out (the JSON above
    // has every type); the open cases are still there.
    let o = report(&[
        "report",
        "caseload",
        "--monthly",
        "--from",
        "2014-10",
        "--team",
        "Socialpsykiatri",
        "--today",
        "2014-12-31",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains("Insats socialpsykiatri"), "{text}");
    assert!(!text.contains("Insats äldreomsorg"), "{text}");
    assert!(!text.contains("Insats funktionsnedsättning"), "{text}");
    assert!(text.contains("Öppna ärenden"), "{text}");
    // A reversed range is an error in Swedish, naming both months.
    let o = report(&[
        "report",
        "caseload",
        "--monthly",
        "--from",
        "2015-01",
        "--to",
        "2014-01",
    ]);
    assert!(!o.status.success());
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("--from 2015-01 ligger efter --to 2014-01")
    );
}

/// `o` puts the selected insats's last 24 months in place of the handläggare list: a
/// chart with its scale and the years on the time axis; the same in ASCII.
#[test]
fn o_charts_the_selected_insats_month_by_month() {
    for (w, h, theme) in [
        (80, 24, COLOR),
        (120, 40, COLOR),
        (
            80,
            24,
            Theme {
                color: false,
                ascii: true,
            },
        ),
    ] {
        let (mut app, mut t) = demo_app(w, h, theme);
        app.handle(Action::Chart).expect("chart");
        app.handle(Action::Down).expect("down");
        let s = screen(&app, &mut t);
        let title = if theme.ascii {
            "Utveckling: Boendestod per manad"
        } else {
            "Utveckling: Boendestöd per månad"
        };
        assert!(s.contains(title), "{s}");
        assert!(s.contains("senast 70 (2014-12-31)"), "{s}");
        assert!(s.contains("2014"), "{s}");
        if theme.ascii {
            assert!(s.is_ascii(), "ASCII mode draws only ASCII:\n{s}");
        }
        insta::assert_snapshot!(
            format!(
                "chart_{w}x{h}_{}",
                if theme.ascii { "ascii" } else { "utf8" }
            ),
            s
        );
        // o again: the handläggare are back.
        app.handle(Action::Chart).expect("chart");
        assert!(!screen(&app, &mut t).contains("Utveckling"));
    }
}

/// The chart's series is the monthly report's over the snapshot's whole history, from the
/// month its first case was opened: one count, computed once.
#[test]
fn the_views_series_is_the_monthly_reports() {
    use bevaka::domain::caseload::{Month, monthly};
    let day = d("2014-12-31");
    let data = bevaka::demo::build(day);
    let snap = memory_snapshot(&data);
    let first = data.cases.iter().map(|c| c.opened).min().expect("cases");
    for filter in [
        Filter::default(),
        Filter {
            unit_id: Some("BFN".into()),
            team: None,
        },
    ] {
        let c = caseload::load(snap.readers(), &filter, day).expect("caseload");
        let m =
            monthly(snap.conn(), &filter, Month::of(first), Month::of(day), day).expect("series");
        assert_eq!(c.months, m.dates);
        assert!(c.months.len() > 100, "{} months", c.months.len());
        for (r, row) in c.rows.iter().enumerate() {
            let want: Vec<u64> = (0..m.dates.len()).map(|k| m.count(r, k)).collect();
            assert_eq!(row.series, want, "{}", row.insats_code);
        }
    }
}

/// `c` with the chart: the selected insats's months as the whole and its parts by kön, a
/// line each, told apart by marker (and colour where there is colour); at three sizes in
/// colour, without colour and in ASCII.
#[test]
fn the_chart_split_by_kon_at_three_sizes_in_colour_no_color_and_ascii() {
    for (w, h) in [(80, 24), (120, 40), (200, 50)] {
        for (name, color, ascii) in [
            ("colour", true, false),
            ("no_color", false, false),
            ("ascii", false, true),
        ] {
            let (mut app, mut t) = demo_app(w, h, Theme { color, ascii });
            app.handle(Action::Chart).expect("chart");
            app.handle(Action::Down).expect("down");
            app.handle(Action::SplitSex).expect("kön");
            let row = app.caseload.selected_insats().expect("row").clone();
            let last = row.series.len() - 1;
            let [k, m, u] = row.series_by_sex[last];
            // The parts add up to the whole, month by month.
            for (n, p) in row.series.iter().zip(&row.series_by_sex) {
                assert_eq!(*n, p.iter().sum::<u64>());
            }
            t.draw(|f| f.render_widget(&app, f.area())).expect("draw");
            let s = crate::support::styled_screen(t.backend().buffer());
            let legend = if ascii {
                format!("* alla {}  + K {k}  o M {m}", row.series[last])
            } else {
                format!("● alla {}  ▲ K {k}  ■ M {m}", row.series[last])
            };
            assert!(s.contains(&legend), "{legend}\n{s}");
            if u > 0 {
                assert!(s.contains(&format!("okänt {u}")) || ascii, "{s}");
            }
            if ascii {
                assert!(s.is_ascii(), "{s}");
            }
            insta::assert_snapshot!(format!("chart_by_kon_{w}x{h}_{name}"), s);
        }
    }
}

/// `d` moves the table's dates: a date typed in a pop-up (refused, in Swedish, when it is
/// none or after today; Esc closes it), then the table on it, a year and two years before,
/// each count the rules' count on its day; `report caseload --today` prints the same.
#[test]
fn d_moves_the_tables_dates_to_a_date_typed() {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    let data = bevaka::demo::build(d("2014-12-31"));
    let (mut app, mut t) = demo_app(80, 24, COLOR);
    let key = |app: &mut App, code| {
        app.handle_key(KeyEvent::new(code, KeyModifiers::NONE))
            .expect("key")
    };
    let typed = |app: &mut App, text: &str| {
        for c in text.chars() {
            app.handle_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
                .expect("key");
        }
    };
    key(&mut app, KeyCode::Char('d'));
    let s = screen(&app, &mut t);
    assert!(s.contains("Datum (ÅÅÅÅ-MM-DD): 2014-12-31_"), "{s}");
    // Typed into the pop-up, not the keymap: `q` does not quit, `o` draws no chart.
    for _ in 0..10 {
        key(&mut app, KeyCode::Backspace);
    }
    typed(&mut app, "qo2013-02-30");
    assert!(!app.quit && !app.caseload.chart);
    key(&mut app, KeyCode::Enter);
    assert!(screen(&app, &mut t).contains("2013-02-30 finns inte i kalendern"));
    for _ in 0..10 {
        key(&mut app, KeyCode::Backspace);
    }
    typed(&mut app, "2015-01-01");
    key(&mut app, KeyCode::Enter);
    assert!(screen(&app, &mut t).contains("2015-01-01 ligger efter i dag (2014-12-31)"));
    for _ in 0..10 {
        key(&mut app, KeyCode::Backspace);
    }
    typed(&mut app, "2013-6");
    key(&mut app, KeyCode::Enter);
    assert!(screen(&app, &mut t).contains("är inget datum: skriv ÅÅÅÅ-MM-DD"));
    // Esc closes it and nothing moves.
    key(&mut app, KeyCode::Esc);
    assert!(app.caseload.date_input.is_none());
    assert_eq!(app.caseload.data.dates[0], d("2014-12-31"));
    key(&mut app, KeyCode::Char('d'));
    for _ in 0..10 {
        key(&mut app, KeyCode::Backspace);
    }
    typed(&mut app, "2013-06-30");
    key(&mut app, KeyCode::Enter);
    let start = std::time::Instant::now();
    while app.loading() {
        app.receive();
        assert!(start.elapsed() < Duration::from_secs(60), "never loaded");
        std::thread::sleep(Duration::from_millis(2));
    }
    let c = &app.caseload.data;
    assert_eq!(c.dates, [d("2013-06-30"), d("2012-06-30"), d("2011-06-30")]);
    for (k, day) in c.dates.iter().enumerate() {
        let want = oracle_counts(&data, &Filter::default(), *day);
        for r in &c.rows {
            let n = want.get(&r.insats_code).copied().unwrap_or(0);
            assert_eq!(r.counts[k], n, "{day} {}", r.insats_code);
        }
    }
    assert_eq!(c.months.last(), Some(&d("2013-06-30")));
    let s = screen(&app, &mut t);
    assert!(s.contains("2013-06-30  2012-06-30  2011-06-30"), "{s}");
    insta::assert_snapshot!("caseload_moved_to_2013_06_30_80x24", s);
}

/// ↑ from the first insats selects its area's heading: `o` then charts the area's total
/// (distinct cases, not the sum of its insatser), `a` the open cases, `c` splits either by
/// kön; Enter on a heading opens nothing. At 80×24 and 120×40 in colour, without colour
/// and in ASCII.
#[test]
fn the_area_and_open_cases_charts_at_two_sizes_in_colour_no_color_and_ascii() {
    for (w, h) in [(80, 24), (120, 40)] {
        for (name, color, ascii) in [
            ("colour", true, false),
            ("no_color", false, false),
            ("ascii", false, true),
        ] {
            let (mut app, mut t) = demo_app(w, h, Theme { color, ascii });
            app.handle(Action::Up).expect("up");
            let area = app.caseload.selected_area().expect("a heading").to_string();
            assert_eq!(area, "Funktionsnedsättning");
            assert!(
                app.caseload.open().is_none(),
                "Enter on a heading opens nothing"
            );
            app.handle(Action::Chart).expect("chart");
            let c = &app.caseload.data;
            let totals = c
                .totals
                .areas
                .iter()
                .find(|a| a.area == area)
                .expect("area series")
                .totals();
            let last = *totals.last().expect("months");
            // Distinct cases: at most the sum of the area's insatser, here fewer.
            let sum: u64 = c
                .rows
                .iter()
                .filter(|r| r.area == area)
                .map(|r| r.series.last().copied().unwrap_or(0))
                .sum();
            assert!(last < sum, "{last} < {sum}");
            let s = screen(&app, &mut t);
            let title = match (ascii, w) {
                (true, 80) => "Funktionsnedsattning, alla insatser (olika arenden)",
                (false, 80) => "Funktionsnedsättning, alla insatser (olika ärenden)",
                // The pane beside the table is narrower: a shorter title that still says it.
                (true, _) => "Funktionsnedsattning (olika arenden)",
                (false, _) => "Funktionsnedsättning (olika ärenden)",
            };
            assert!(s.contains(title), "{s}");
            assert!(s.contains(&format!("senast {last} (2014-12-31)")), "{s}");
            if ascii {
                assert!(s.is_ascii(), "{s}");
            }
            t.draw(|f| f.render_widget(&app, f.area())).expect("draw");
            let styled = crate::support::styled_screen(t.backend().buffer());
            insta::assert_snapshot!(format!("area_chart_{w}x{h}_{name}"), styled);

            // The open cases: the last month end is today, the title's figure.
            app.handle(Action::ChartOpen).expect("open cases");
            let c = &app.caseload.data;
            let open: Vec<u64> = c.totals.open.iter().map(|p| p.iter().sum()).collect();
            assert_eq!(open.last(), Some(&c.open_cases));
            assert_eq!(c.totals.open.last(), Some(&c.open_by_sex));
            let (open_cases, [k, m, _]) = (c.open_cases, c.open_by_sex);
            app.handle(Action::SplitSex).expect("kön");
            let s = screen(&app, &mut t);
            let title = if ascii {
                "Oppna arenden per manad"
            } else {
                "Öppna ärenden per månad"
            };
            assert!(s.contains(title), "{s}");
            let legend = if ascii {
                format!("* alla {open_cases}  + K {k}  o M {m}")
            } else {
                format!("● alla {open_cases}  ▲ K {k}  ■ M {m}")
            };
            assert!(s.contains(&legend), "{legend}\n{s}");
            if ascii {
                assert!(s.is_ascii(), "{s}");
            }
            t.draw(|f| f.render_widget(&app, f.area())).expect("draw");
            let styled = crate::support::styled_screen(t.backend().buffer());
            insta::assert_snapshot!(format!("open_chart_by_kon_{w}x{h}_{name}"), styled);
            // a again: back to the selection's chart; ↓ leaves the heading.
            app.handle(Action::ChartOpen).expect("back");
            assert!(!app.caseload.chart_open && app.caseload.chart);
            app.handle(Action::Down).expect("down");
            assert!(app.caseload.selected_area().is_none());
            assert!(app.caseload.open().is_some());
        }
    }
}

/// ↓ from an area's last insats goes to the next area's heading, ↑ from a heading to the
/// insats above; sorted, the table has no headings and ↑ ↓ move over the insatser only.
#[test]
fn up_and_down_pass_over_the_area_headings() {
    let (mut app, _t) = demo_app(80, 24, COLOR);
    let fn_rows = app
        .caseload
        .insats_shown()
        .iter()
        .filter(|r| r.area == "Funktionsnedsättning")
        .count();
    for _ in 1..fn_rows {
        app.handle(Action::Down).expect("down");
    }
    assert_eq!(app.caseload.selected_area(), None);
    app.handle(Action::Down).expect("down");
    assert_eq!(app.caseload.selected_area(), Some("Socialpsykiatri"));
    app.handle(Action::Up).expect("up");
    assert_eq!(app.caseload.selected_area(), None);
    assert_eq!(
        app.caseload.selected_insats().map(|r| r.area.as_str()),
        Some("Funktionsnedsättning")
    );
    app.handle(Action::Top).expect("top");
    app.handle(Action::Up).expect("up");
    assert_eq!(app.caseload.selected_area(), Some("Funktionsnedsättning"));
    // Up from the first heading stays there.
    app.handle(Action::Up).expect("up");
    assert_eq!(app.caseload.selected_area(), Some("Funktionsnedsättning"));
    app.handle(Action::Sort).expect("sort");
    assert_eq!(app.caseload.selected_area(), None);
    app.handle(Action::Up).expect("up");
    assert_eq!(app.caseload.selected_area(), None);
}
