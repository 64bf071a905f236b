//! Drill-downs in the dashboard (issue 13): the cases behind a figure, the case card, and
//! Esc back to exactly where the user came from.

use std::time::{Duration, SystemTime};

use bevaka::config::Config;
use bevaka::domain::dates::parse_iso;
use bevaka::snapshot::queries::Filter;
use bevaka::tui::app::{App, Pane, View};
use bevaka::tui::drill::Layer;
use bevaka::tui::keymap::Action;
use bevaka::tui::theme::Theme;
use chrono::NaiveDate;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use crate::caseload::memory_snapshot;

fn d(s: &str) -> NaiveDate {
    parse_iso(s).expect("date")
}

const PLAIN: Theme = Theme {
    color: false,
    ascii: false,
};

fn demo(view: usize) -> App {
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
    app.handle(Action::View(view)).expect("view");
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

#[test]
fn each_caseload_count_opens_exactly_its_cases() {
    let mut app = demo(2);
    let rows: Vec<(String, [u64; 3])> = app
        .caseload
        .shown()
        .iter()
        .map(|r| (r.insats_code.clone(), r.counts))
        .collect();
    assert!(!rows.is_empty());
    for (i, (code, counts)) in rows.iter().enumerate() {
        app.caseload.insats.cursor.selected = i;
        for (k, count) in counts.iter().enumerate() {
            app.caseload.column = k;
            press(&mut app, &[Action::Open]);
            let Some(Layer::Cases(l)) = app.drill() else {
                panic!("no list for {code} column {k}");
            };
            assert_eq!(l.list.insats.as_ref().map(|t| &t.insats_code), Some(code));
            assert_eq!(l.list.date, app.caseload.data.dates[k]);
            assert_eq!(l.list.cases.len() as u64, *count, "{code} on column {k}");
            press(&mut app, &[Action::Back]);
            assert!(app.drill().is_none());
        }
    }
}

#[test]
fn each_handlaggare_opens_exactly_their_open_cases() {
    let mut app = demo(2);
    // → through the three dates, then to the handläggare.
    press(&mut app, &[Action::FocusRight; 3]);
    assert_eq!(app.caseload.pane, Pane::Workers);
    let workers = app.caseload.data.workers.clone();
    for (i, w) in workers.iter().enumerate() {
        app.caseload.workers.cursor.selected = i;
        press(&mut app, &[Action::Open]);
        let Some(Layer::Cases(l)) = app.drill() else {
            panic!("no list for {}", w.worker_id);
        };
        assert_eq!(l.list.cases.len() as u64, w.open_cases, "{}", w.worker_id);
        assert!(
            l.list
                .cases
                .iter()
                .all(|c| c.worker_id.as_deref() == Some(w.worker_id.as_str()))
        );
        press(&mut app, &[Action::Back]);
    }
}

#[test]
fn enter_list_enter_card_then_esc_esc_returns_to_the_first_screen_exactly() {
    let mut app = demo(2);
    press(&mut app, &[Action::Down, Action::Down, Action::FocusRight]);
    let before = screen(&app, 120, 40);
    let (selected, column) = (app.caseload.insats.cursor.selected, app.caseload.column);
    press(&mut app, &[Action::Open]);
    assert_eq!(app.key_context(), View::Cases);
    press(&mut app, &[Action::Down, Action::Down]);
    let list = screen(&app, 120, 40);
    press(&mut app, &[Action::Open]);
    assert_eq!(app.key_context(), View::Card);
    assert_eq!(app.depth(), 2);
    // Keys of the view beneath do nothing over the card.
    press(
        &mut app,
        &[Action::NextView, Action::PickUnit, Action::PageDown],
    );
    assert!(app.picker.is_none(), "no unit picker over the card");
    assert_eq!(app.view, View::Caseload);
    assert_eq!(app.filter, Filter::default());
    press(&mut app, &[Action::Back]);
    assert_eq!(
        screen(&app, 120, 40),
        list,
        "back to the list, selection kept"
    );
    press(&mut app, &[Action::Back]);
    assert_eq!(app.depth(), 0);
    assert_eq!(app.caseload.insats.cursor.selected, selected);
    assert_eq!(app.caseload.column, column);
    assert_eq!(screen(&app, 120, 40), before);
}

#[test]
fn esc_after_per_handlaggare_enter_returns_to_the_same_selection() {
    let mut app = demo(1);
    assert_eq!(app.view, View::Summary);
    press(&mut app, &[Action::Down, Action::Down, Action::Down]);
    let before = screen(&app, 80, 24);
    let selected = app.deadlines.summary_view().cursor.selected;
    let worker = app.deadlines.worker.clone();
    press(&mut app, &[Action::Open]);
    assert_eq!(app.view, View::Deadlines);
    assert!(app.deadlines.worker.is_some());
    // Into an item's detail, its card, and all the way back.
    press(&mut app, &[Action::Open, Action::Open]);
    assert_eq!(app.key_context(), View::Card);
    press(&mut app, &[Action::Back]);
    assert!(app.deadlines.detail, "the card closes onto the detail");
    press(&mut app, &[Action::Back, Action::Back]);
    assert_eq!(app.view, View::Summary);
    assert_eq!(app.deadlines.summary_view().cursor.selected, selected);
    assert_eq!(app.deadlines.worker, worker);
    assert_eq!(screen(&app, 80, 24), before);
}

#[test]
fn the_card_is_a_case_detail_in_the_access_log_or_not_shown() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("access.jsonl");
    let mut app = demo(2);
    app.access_log = Some(bevaka::access_log::AccessLog::new(
        path.clone(),
        Some("anna".into()),
        "demo.sqlite",
    ));
    press(&mut app, &[Action::Open, Action::Open]);
    let Some(Layer::Card(c)) = app.drill() else {
        panic!("no card");
    };
    let case = c.card.rows.case.case_id.clone();
    let text = std::fs::read_to_string(&path).expect("log");
    let line: serde_json::Value = serde_json::from_str(text.trim()).expect("json");
    assert_eq!(line["action"], "detalj");
    assert_eq!(line["case_id"], case.as_str());

    // No line, no card.
    press(&mut app, &[Action::Back]);
    app.access_log = Some(bevaka::access_log::AccessLog::new(
        dir.path().join("missing-dir/a.jsonl"),
        Some("anna".into()),
        "demo.sqlite",
    ));
    press(&mut app, &[Action::Open]);
    assert_eq!(app.key_context(), View::Cases);
    assert!(app.message.as_ref().is_some_and(|m| m.warning));
}

#[test]
fn the_card_scrolls_and_the_review_lists_open_it() {
    let mut app = demo(3);
    // The review's "Över mål" list: → to it, Enter on its first row.
    press(
        &mut app,
        &[Action::FocusRight, Action::FocusRight, Action::Open],
    );
    let Some(Layer::Card(c)) = app.drill() else {
        panic!("no card from Över mål");
    };
    let case = c.card.rows.case.case_id.clone();
    assert_eq!(
        Some(case.as_str()),
        app.processing
            .data
            .over_target
            .first()
            .map(|r| r.case_id.as_str())
    );
    let top = screen(&app, 80, 24);
    press(&mut app, &[Action::PageDown]);
    let Some(Layer::Card(c)) = app.drill() else {
        panic!("card gone");
    };
    if c.lines.get() > c.page.get() {
        assert!(c.scroll > 0);
        assert_ne!(screen(&app, 80, 24), top);
    }
    press(&mut app, &[Action::Back]);
    assert!(app.drill().is_none());
    assert_eq!(app.view, View::Processing);
}

#[test]
fn drill_screens_80x24_and_120x40() {
    let mut app = demo(2);
    press(&mut app, &[Action::Open]);
    insta::assert_snapshot!("cases_list_80x24", screen(&app, 80, 24));
    insta::assert_snapshot!("cases_list_120x40", screen(&app, 120, 40));
    press(&mut app, &[Action::Open]);
    insta::assert_snapshot!("case_card_80x24", screen(&app, 80, 24));
    insta::assert_snapshot!("case_card_120x40", screen(&app, 120, 40));
}

#[test]
fn x_clears_the_lists_own_filters_too() {
    let mut app = demo(0);
    let all = app.deadlines.visible.len();
    // f: the kind filter one step on, then a search that matches nothing.
    press(
        &mut app,
        &[
            Action::Filters,
            Action::FocusRight,
            Action::Back,
            Action::Mine,
        ],
    );
    app.deadlines.search = "ingen sådan text".into();
    app.deadlines.refilter();
    assert!(app.deadlines.visible.len() < all);
    press(&mut app, &[Action::ClearFilter]);
    assert_eq!(app.deadlines.kind, None);
    assert_eq!(app.deadlines.worker, None);
    assert!(app.deadlines.search.is_empty());
    assert_eq!(app.deadlines.visible.len(), all);
}

#[test]
fn on_the_loader_thread_a_drill_down_arrives_as_the_inline_one_does() {
    let data = bevaka::demo::build(d("2014-12-31"));
    let mut app = App::start(
        memory_snapshot(&data),
        Config::default(),
        Filter::default(),
        d("2014-12-31"),
        SystemTime::UNIX_EPOCH,
        PLAIN,
    )
    .expect("start");
    let settle = |app: &mut App| {
        let start = std::time::Instant::now();
        while app.loading() {
            app.receive();
            assert!(start.elapsed() < Duration::from_secs(60), "never finished");
            std::thread::sleep(Duration::from_millis(2));
        }
    };
    app.handle(Action::View(2)).expect("caseload");
    settle(&mut app);
    press(&mut app, &[Action::Open]);
    settle(&mut app);
    let reference = {
        let mut r = demo(2);
        press(&mut r, &[Action::Open]);
        r
    };
    let (Some(Layer::Cases(got)), Some(Layer::Cases(want))) = (app.drill(), reference.drill())
    else {
        panic!("no list");
    };
    assert_eq!(got.list, want.list);
    assert!(app.message.is_none(), "{:?}", app.message);
    // Another view chosen while a list loads: the list is not drawn over it.
    press(&mut app, &[Action::Back, Action::Open, Action::NextView]);
    settle(&mut app);
    assert_eq!(app.view, View::Processing);
    assert!(app.drill().is_none());
    // A filter changed while a list loads: the old filter's list is not shown.
    press(&mut app, &[Action::View(2)]);
    settle(&mut app);
    press(&mut app, &[Action::Open]);
    crate::support::next_unit(&mut app);
    settle(&mut app);
    assert!(app.drill().is_none());
    assert!(app.message.is_none(), "{:?}", app.message);
}

#[test]
fn each_periods_decisions_are_its_count_longest_first() {
    let mut app = demo(3);
    let periods: Vec<(String, u64)> = app
        .processing
        .periods()
        .iter()
        .map(|p| (p.period.to_string(), p.stats.decisions))
        .collect();
    assert!(periods.iter().any(|(_, n)| *n > 0));
    for (i, (period, count)) in periods.iter().enumerate() {
        app.processing.period_cursor.selected = i;
        press(&mut app, &[Action::Open]);
        let Some(Layer::Decisions(l)) = app.drill() else {
            panic!("no decisions for {period}");
        };
        assert_eq!(l.list.period.to_string(), *period);
        assert_eq!(l.list.decisions.len() as u64, *count, "{period}");
        assert!(l.list.decisions.windows(2).all(|w| w[0].days >= w[1].days));
        let stats = &app.processing.periods()[i].stats;
        let over = l
            .list
            .decisions
            .iter()
            .filter(|d| d.target_days.is_some_and(|t| d.days > t))
            .count() as u64;
        assert_eq!(over, stats.with_target - stats.within, "{period}");
        let max = l.list.decisions.first().map(|d| d.days);
        assert_eq!(max, app.processing.periods()[i].stats.max_days, "{period}");
        press(&mut app, &[Action::Back]);
    }
    // Enter on a decision opens its case's card; Esc, Esc back to the review.
    let before = screen(&app, 80, 24);
    press(&mut app, &[Action::Open, Action::Down, Action::Open]);
    assert_eq!(app.key_context(), View::Card);
    press(&mut app, &[Action::Back]);
    insta::assert_snapshot!("period_decisions_80x24", screen(&app, 80, 24));
    press(&mut app, &[Action::Back]);
    assert_eq!(screen(&app, 80, 24), before);
}
