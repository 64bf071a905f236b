//! The status rule of DOMAIN.md "Indicator status", case by case, and the goal tree.

use super::*;
use crate::model::{Goal, GoalLevel};

fn d(s: &str) -> NaiveDate {
    crate::domain::dates::parse_iso(s).expect("date")
}

fn ind(id: &str, year: i32, direction: Direction) -> Indicator {
    Indicator {
        indicator_id: id.into(),
        goal_id: None,
        unit_id: Some("U".into()),
        name: format!("Indikator {id}"),
        year,
        measure: Some("%".into()),
        direction,
        periodicity: None,
        target: None,
        target_text: None,
        city_target: None,
        city_target_text: None,
        tolerance: None,
    }
}

fn val(id: &str, period: &str, value: f64) -> IndicatorValue {
    IndicatorValue {
        indicator_id: id.into(),
        period: period.into(),
        value,
        comment: None,
    }
}

fn target(mut i: Indicator, t: f64, tolerance: Option<f64>) -> Indicator {
    i.target = Some(t);
    i.tolerance = tolerance;
    i
}

/// The status of `i` for `year` from `values`, through the whole view.
fn status(i: &Indicator, values: &[IndicatorValue], year: i32) -> (Status, Option<String>) {
    let rows = Rows {
        goals: vec![],
        indicators: vec![i.clone()],
        values: values.to_vec(),
    };
    let o = Overview::compute(rows, None, Some(year), d("2015-12-31"), 5);
    let a = &o.indicators[0];
    (a.status, a.period.clone())
}

#[test]
fn periods_parse_and_end_where_domain_says() {
    let end = |t: &str| Period::parse(t).and_then(Period::end);
    assert_eq!(end("2014"), Some(d("2014-12-31")));
    assert_eq!(end("2014-T1"), Some(d("2014-04-30")));
    assert_eq!(end("2014-t2"), Some(d("2014-08-31")));
    assert_eq!(end("2014-T3"), Some(d("2014-12-31")));
    assert_eq!(end("2014-Q1"), Some(d("2014-03-31")));
    assert_eq!(end("2016-02"), Some(d("2016-02-29")));
    for bad in [
        "2014-T4", "2014-Q0", "2014-13", "2014-00", "14", "2014-VB", "", "2014-1",
    ] {
        assert_eq!(Period::parse(bad), None, "{bad:?}");
    }
    assert_eq!(period_label("2014-T2"), "T2 2014");
    assert_eq!(period_label("2014"), "VB 2014");
    assert_eq!(period_label("konstig"), "konstig");
}

#[test]
fn the_latest_period_wins_and_the_full_year_wins_ties() {
    let i = target(ind("A", 2014, Direction::Higher), 80.0, None);
    // Q3 (September) is later than T2 (August).
    let v = [val("A", "2014-T2", 90.0), val("A", "2014-Q3", 10.0)];
    assert_eq!(
        status(&i, &v, 2014),
        (Status::EjUppfyllt, Some("2014-Q3".into()))
    );
    // The full year ends with Q4, T3 and December and wins over all of them.
    let v = [
        val("A", "2014-12", 1.0),
        val("A", "2014-Q4", 2.0),
        val("A", "2014", 85.0),
        val("A", "2014-T3", 3.0),
    ];
    assert_eq!(
        status(&i, &v, 2014),
        (Status::Uppfyllt, Some("2014".into()))
    );
    // Then tertial, quarter, month.
    let v = [
        val("A", "2014-12", 1.0),
        val("A", "2014-T3", 79.0),
        val("A", "2014-Q4", 2.0),
    ];
    assert_eq!(status(&i, &v, 2014).1.as_deref(), Some("2014-T3"));
    let v = [val("A", "2014-06", 1.0), val("A", "2014-Q2", 2.0)];
    assert_eq!(status(&i, &v, 2014).1.as_deref(), Some("2014-Q2"));
}

#[test]
fn a_later_tertial_beats_an_earlier_full_year() {
    // 2014's full year and 2015-T1: the year 2015 uses T1, the year 2014 the full year.
    let i15 = target(ind("A", 2015, Direction::Higher), 80.0, None);
    let v = [val("A", "2014", 90.0), val("A", "2015-T1", 70.0)];
    assert_eq!(
        status(&i15, &v, 2015),
        (Status::EjUppfyllt, Some("2015-T1".into()))
    );
    let i14 = target(ind("A", 2014, Direction::Higher), 80.0, None);
    assert_eq!(
        status(&i14, &v, 2014),
        (Status::Uppfyllt, Some("2014".into()))
    );
}

#[test]
fn default_tolerance_is_five_percent_of_the_target() {
    let i = target(ind("A", 2014, Direction::Higher), 80.0, None);
    let at = |v: f64| status(&i, &[val("A", "2014", v)], 2014).0;
    assert_eq!(at(80.0), Status::Uppfyllt);
    assert_eq!(at(79.0), Status::Delvis);
    assert_eq!(at(76.0), Status::Delvis, "80 − 4 is still delvis");
    assert_eq!(at(75.99), Status::EjUppfyllt);
    let v = judge(
        &i,
        Some((79.0, Period::parse("2014").expect("p"))),
        None,
        2014,
        5,
    );
    assert_eq!(
        v.explanation,
        "VB 2014: 79 % mot årsmål 80 %, tolerans 4 (5 % av årsmålet) → delvis"
    );
    // Another configured default.
    let v = judge(
        &i,
        Some((76.0, Period::parse("2014").expect("p"))),
        None,
        2014,
        2,
    );
    assert_eq!(v.status, Status::EjUppfyllt);
}

#[test]
fn the_indicators_own_tolerance_wins() {
    let i = target(ind("A", 2014, Direction::Higher), 80.0, Some(10.0));
    let at = |v: f64| status(&i, &[val("A", "2014", v)], 2014).0;
    assert_eq!(at(70.0), Status::Delvis);
    assert_eq!(at(69.9), Status::EjUppfyllt);
    let zero = target(ind("A", 2014, Direction::Higher), 80.0, Some(0.0));
    assert_eq!(
        status(&zero, &[val("A", "2014", 79.99)], 2014).0,
        Status::EjUppfyllt
    );
    let v = judge(
        &i,
        Some((75.0, Period::parse("2014-T2").expect("p"))),
        None,
        2014,
        5,
    );
    assert_eq!(
        v.explanation,
        "T2 2014: 75 % mot årsmål 80 %, tolerans 10 → delvis"
    );
}

#[test]
fn lower_is_better_is_mirrored() {
    // 001: sjukfrånvaro 5,5 % against 5,8 %, lower being better.
    let i = target(ind("S", 2014, Direction::Lower), 5.8, None);
    let at = |v: f64| status(&i, &[val("S", "2014", v)], 2014).0;
    assert_eq!(at(5.5), Status::Uppfyllt);
    assert_eq!(at(5.8), Status::Uppfyllt);
    assert_eq!(
        at(6.09),
        Status::Delvis,
        "5,8 + 0,29, despite binary rounding"
    );
    assert_eq!(at(6.1), Status::EjUppfyllt);
    let v = judge(
        &i,
        Some((6.0, Period::parse("2014").expect("p"))),
        None,
        2014,
        5,
    );
    assert!(
        v.explanation.contains("lägre är bättre, tolerans 0,29"),
        "{}",
        v.explanation
    );
}

#[test]
fn oka_and_minska_compare_with_last_years_full_year() {
    let mut i = ind("A", 2014, Direction::Higher);
    i.target_text = Some(" Öka ".into());
    let with = |v: &[IndicatorValue]| status(&i, v, 2014).0;
    assert_eq!(
        with(&[val("A", "2013", 50.0), val("A", "2014-T1", 51.0)]),
        Status::Uppfyllt
    );
    assert_eq!(
        with(&[val("A", "2013", 50.0), val("A", "2014", 50.0)]),
        Status::Delvis
    );
    assert_eq!(
        with(&[val("A", "2013", 50.0), val("A", "2014", 49.0)]),
        Status::EjUppfyllt
    );
    // Only the full year of the year before counts, not its tertials.
    assert_eq!(
        with(&[val("A", "2013-T3", 50.0), val("A", "2014", 60.0)]),
        Status::EjMalsatt
    );
    assert_eq!(with(&[val("A", "2014", 60.0)]), Status::EjMalsatt);
    i.target_text = Some("minska".into());
    let with = |v: &[IndicatorValue]| status(&i, v, 2014).0;
    assert_eq!(
        with(&[val("A", "2013", 50.0), val("A", "2014", 49.0)]),
        Status::Uppfyllt
    );
    assert_eq!(
        with(&[val("A", "2013", 50.0), val("A", "2014", 51.0)]),
        Status::EjUppfyllt
    );
    i.target_text = Some("oka".into());
    assert_eq!(
        status(&i, &[val("A", "2013", 5.0), val("A", "2014", 6.0)], 2014).0,
        Status::Uppfyllt
    );
    // A numeric target wins over the text.
    let mut both = target(ind("A", 2014, Direction::Higher), 80.0, None);
    both.target_text = Some("öka".into());
    assert_eq!(
        status(
            &both,
            &[val("A", "2013", 10.0), val("A", "2014", 20.0)],
            2014
        )
        .0,
        Status::EjUppfyllt
    );
}

#[test]
fn previous_falls_back_to_last_years_row_with_the_same_name_and_unit() {
    let mut i = ind("B", 2014, Direction::Higher);
    i.target_text = Some("öka".into());
    let mut old = ind("A", 2013, Direction::Higher);
    old.name = i.name.clone();
    let mut other_unit = old.clone();
    other_unit.indicator_id = "C".into();
    other_unit.unit_id = Some("V".into());
    let rows = Rows {
        goals: vec![],
        indicators: vec![other_unit, old, i],
        values: vec![
            val("C", "2013", 99.0),
            val("A", "2013", 40.0),
            val("B", "2014", 45.0),
        ],
    };
    let o = Overview::compute(rows, Some("U"), Some(2014), d("2014-12-31"), 5);
    assert_eq!(o.indicators.len(), 1);
    assert_eq!(o.indicators[0].previous, Some(40.0));
    assert_eq!(o.indicators[0].status, Status::Uppfyllt);
    let points: Vec<_> = o.series(0).into_iter().map(|p| p.period).collect();
    assert_eq!(points, ["2013", "2014"]);
}

#[test]
fn no_target_is_ej_malsatt_and_no_value_ej_matt() {
    let mut i = ind("A", 2014, Direction::Higher);
    i.target_text = Some("tas fram av nämnden".into());
    assert_eq!(
        status(&i, &[val("A", "2014", 5.0)], 2014).0,
        Status::EjMalsatt
    );
    let i = target(ind("A", 2014, Direction::Higher), 80.0, None);
    // Values of other years only: not measured this year.
    assert_eq!(
        status(
            &i,
            &[val("A", "2013", 90.0), val("A", "2015-T1", 90.0)],
            2014
        ),
        (Status::EjMatt, None)
    );
    assert_eq!(status(&i, &[], 2014), (Status::EjMatt, None));
}

#[test]
fn numbers_are_written_the_swedish_way() {
    assert_eq!(number(27.38), "27,38");
    assert_eq!(number(80.0), "80");
    assert_eq!(number(0.1 + 0.2), "0,3");
    assert_eq!(number(-3.5), "\u{2212}3,5");
    assert_eq!(number(-0.000_01), "0");
    assert_eq!(with_measure(5.5, Some("%")), "5,5 %");
    assert_eq!(with_measure(80.0, Some("index")), "80");
    assert_eq!(with_measure(14.0, Some("dagar")), "14 dagar");
}

fn goal(id: &str, parent: Option<&str>, level: GoalLevel, unit: Option<&str>) -> Goal {
    Goal {
        goal_id: id.into(),
        parent_id: parent.map(Into::into),
        unit_id: unit.map(Into::into),
        level,
        code: None,
        title: format!("Mål {id}"),
        assessment: None,
        start: None,
        end: None,
        comment: None,
    }
}

#[test]
fn tree_unit_year_and_summaries() {
    use GoalLevel::{Aktivitet, Atagande, Inriktningsmal, Namndmal};
    let mut at = goal("AT", Some("NM"), Atagande, None);
    at.assessment = Some(crate::model::Assessment::Helt);
    let mut akt = goal("AK", Some("NM"), Aktivitet, None);
    akt.end = Some(d("2014-04-30"));
    let goals = vec![
        goal("NM", Some("IM"), Namndmal, Some("U")),
        goal("IM", None, Inriktningsmal, None),
        at,
        akt,
        goal("OLD", None, Inriktningsmal, Some("U")),
        goal("V", None, Inriktningsmal, Some("V")),
    ];
    let mut a = target(ind("A", 2014, Direction::Higher), 80.0, None);
    a.goal_id = Some("AT".into());
    a.unit_id = None;
    let mut b = target(ind("B", 2013, Direction::Higher), 80.0, None);
    b.goal_id = Some("OLD".into());
    let loose = ind("C", 2014, Direction::Higher);
    let rows = Rows {
        goals,
        indicators: vec![a, b, loose],
        values: vec![val("A", "2014-T1", 79.0)],
    };
    let o = Overview::compute(rows, Some("U"), None, d("2014-06-01"), 5);
    assert_eq!(o.year, 2014);
    assert_eq!(o.years, [2013, 2014]);
    let ids: Vec<_> = o.nodes.iter().map(|n| n.goal.goal_id.as_str()).collect();
    assert_eq!(
        ids,
        ["IM", "NM", "AT", "AK"],
        "OLD is 2013's plan, V another unit's"
    );
    assert_eq!(
        o.nodes.iter().map(|n| n.depth).collect::<Vec<_>>(),
        [0, 1, 2, 2]
    );
    assert!(o.nodes[3].past_end);
    assert_eq!(
        o.indicators[0].unit_id.as_deref(),
        Some("U"),
        "from its goal's chain"
    );
    assert_eq!(o.nodes[2].indicators, [0]);
    assert_eq!(o.loose, [1]);
    let s = o.summary();
    assert_eq!(s.statuses, [0, 1, 0, 0, 1]);
    assert_eq!((s.helt, s.past_end, s.ataganden()), (1, 1, 1));
    assert_eq!(o.goal_summary(1).statuses, [0, 1, 0, 0, 0]);
    let o13 = o.for_year(2013);
    let ids: Vec<_> = o13.nodes.iter().map(|n| n.goal.goal_id.as_str()).collect();
    assert_eq!(ids, ["OLD"]);
    assert_eq!(o13.unit_summaries().len(), 1);
}

#[test]
fn the_trend_compares_with_the_period_before_of_the_same_kind() {
    let since = |direction: Direction, values: &[IndicatorValue], year: i32| {
        let rows = Rows {
            goals: vec![],
            indicators: vec![ind("A", 2013, direction), ind("B", 2014, direction)]
                .into_iter()
                .map(|mut i| {
                    i.name = "Samma".into();
                    i
                })
                .collect(),
            values: values.to_vec(),
        };
        let o = Overview::compute(rows, Some("U"), Some(year), d("2014-12-31"), 5);
        o.indicators[0].since.clone()
    };
    // A tertial against the tertial before (T3 of the year before), not the full year.
    let values = [
        val("A", "2013-T3", 50.0),
        val("A", "2013", 70.0),
        val("B", "2014-T1", 55.0),
    ];
    let s = since(Direction::Higher, &values, 2014).expect("since");
    assert_eq!((s.period.as_str(), s.value), ("2013-T3", 50.0));
    assert_eq!(s.movement, Movement::Better);
    // Lower is better: the same rise is worse.
    let s = since(Direction::Lower, &values, 2014).expect("since");
    assert_eq!(s.movement, Movement::Worse);
    // A full year against the year before; equal to the hundredth is the same.
    let values = [val("A", "2013", 70.0), val("B", "2014", 70.004)];
    let s = since(Direction::Higher, &values, 2014).expect("since");
    assert_eq!((s.period.as_str(), s.movement), ("2013", Movement::Same));
    // Nothing before: no trend.
    assert_eq!(
        since(Direction::Higher, &[val("B", "2014", 1.0)], 2014),
        None
    );
    assert_eq!(movement(Direction::Lower, 20.0, 18.0), Movement::Better);
}
