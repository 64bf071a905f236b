use super::*;
use crate::domain::indicators::Rows;
use crate::model::{Direction, Goal, Indicator, IndicatorValue};

fn goal(id: &str, parent: Option<&str>, level: GoalLevel) -> Goal {
    Goal {
        goal_id: id.into(),
        parent_id: parent.map(Into::into),
        unit_id: Some("U".into()),
        level,
        code: None,
        title: format!("Mål {id}"),
        assessment: None,
        start: None,
        end: None,
        comment: None,
    }
}

fn ind(id: &str, goal: Option<&str>, target: f64) -> Indicator {
    Indicator {
        indicator_id: id.into(),
        goal_id: goal.map(Into::into),
        unit_id: Some("U".into()),
        name: format!("Indikator {id}"),
        year: 2014,
        measure: Some("%".into()),
        direction: Direction::Higher,
        periodicity: None,
        target: Some(target),
        target_text: None,
        city_target: None,
        city_target_text: None,
        tolerance: None,
    }
}

fn state() -> GoalsState {
    let mut at = goal("AT", Some("NM"), GoalLevel::Atagande);
    at.assessment = Some(Assessment::Delvis);
    let rows = Rows {
        goals: vec![
            goal("IM", None, GoalLevel::Inriktningsmal),
            goal("NM", Some("IM"), GoalLevel::Namndmal),
            at,
        ],
        indicators: vec![
            ind("A", Some("IM"), 80.0),
            ind("B", Some("NM"), 50.0),
            ind("C", None, 1.0),
        ],
        values: ["A", "B", "C"]
            .iter()
            .map(|id| IndicatorValue {
                indicator_id: (*id).into(),
                period: "2014".into(),
                value: 60.0,
                comment: None,
            })
            .collect(),
    };
    let today = chrono::NaiveDate::from_ymd_opt(2014, 12, 31).expect("date");
    GoalsState::new(Overview::compute(rows, None, None, today, 5))
}

#[test]
fn the_tree_folds_and_left_goes_up() {
    let mut s = state();
    assert_eq!(
        s.rows,
        [
            Row::Goal(0),
            Row::Indicator(0),
            Row::Goal(1),
            Row::Indicator(1),
            Row::Goal(2),
            Row::Loose,
            Row::Indicator(2)
        ]
    );
    s.handle(Action::Down);
    assert_eq!(s.handle(Action::FocusLeft), Some(true), "to its goal");
    assert_eq!(s.selected(), Some(Row::Goal(0)));
    assert_eq!(s.handle(Action::FocusLeft), Some(true), "collapses");
    assert_eq!(s.rows, [Row::Goal(0), Row::Loose, Row::Indicator(2)]);
    assert_eq!(s.handle(Action::FocusLeft), Some(false), "no parent");
    assert_eq!(s.handle(Action::Open), Some(true), "Enter opens again");
    assert_eq!(s.rows.len(), 7);
    assert_eq!(s.handle(Action::Open), Some(true));
    assert_eq!(s.handle(Action::FocusRight), Some(true));
    s.handle(Action::Down);
    assert_eq!(s.handle(Action::Open), Some(true));
    assert!(s.detail);
    assert_eq!(s.handle(Action::Down), Some(true), "scrolls the detail");
    assert_eq!(s.handle(Action::Back), Some(true));
    assert!(!s.detail);
    assert_eq!(s.handle(Action::PickUnit), None, "not the view's key");
}

#[test]
fn filters_keep_the_chain_above_what_matches() {
    let mut s = state();
    s.handle(Action::Filters);
    s.handle(Action::Down);
    s.handle(Action::FocusRight); // ej uppfyllda
    assert!(s.unfulfilled);
    // A 60 of 80 is ej uppfyllt, B 60 of 50 uppfyllt, C 60 of 1 uppfyllt; AT is delvis.
    assert_eq!(
        s.rows,
        [Row::Goal(0), Row::Indicator(0), Row::Goal(1), Row::Goal(2)]
    );
    assert_eq!(s.shown_indicators(), [0]);
    s.handle(Action::Down);
    s.handle(Action::FocusRight); // level KF
    assert_eq!(s.rows, [Row::Goal(0), Row::Indicator(0)]);
    s.handle(Action::Back);
    s.unfulfilled = false;
    s.level = None;
    s.handle(Action::Search);
    for c in "indikator b".chars() {
        s.search_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
    }
    assert_eq!(s.rows, [Row::Goal(0), Row::Goal(1), Row::Indicator(1)]);
    assert_eq!(
        s.search_key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)),
        (true, false)
    );
    assert!(!s.searching);
    assert_eq!(s.handle(Action::Back), Some(true), "Esc clears the search");
    assert_eq!(s.rows.len(), 7);
    let quit = s.search_key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL));
    assert_eq!(quit, (false, true));
}

#[test]
fn the_year_steps_through_the_years_with_indicators() {
    let mut s = state();
    assert_eq!(s.data.year, 2014);
    s.handle(Action::Filters);
    s.handle(Action::FocusRight);
    assert_eq!(s.data.year, 2014, "no later year");
    s.set_year(2013);
    assert_eq!(s.data.year, 2013);
    assert!(s.data.indicators.is_empty());
    s.step_year(true);
    assert_eq!(s.data.year, 2014);
    assert_eq!(s.year, Some(2014));
}
