//! The bevakningslista: every open follow-up deadline, derived from the rows by the rules of
//! DOMAIN.md ("Deadlines"), relative to an injected `today`.

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::config::DeadlineRules;
use crate::domain::dates::{add_months, days_between};
use crate::model::{Application, Case, Followup, Intervention};

/// What a deadline waits for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Utredning,
    Beslut,
    Genomforandeplan,
    Uppfoljning,
    Omprovning,
    Verkstallighet,
    Bevakning,
}

impl Kind {
    pub const ALL: [Kind; 7] = [
        Kind::Utredning,
        Kind::Beslut,
        Kind::Genomforandeplan,
        Kind::Uppfoljning,
        Kind::Omprovning,
        Kind::Verkstallighet,
        Kind::Bevakning,
    ];

    /// DOMAIN.md's lowercase ASCII name (reports, JSON).
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Kind::Utredning => "utredning",
            Kind::Beslut => "beslut",
            Kind::Genomforandeplan => "genomforandeplan",
            Kind::Uppfoljning => "uppfoljning",
            Kind::Omprovning => "omprovning",
            Kind::Verkstallighet => "verkstallighet",
            Kind::Bevakning => "bevakning",
        }
    }

    /// The Swedish word on screen.
    #[must_use]
    pub const fn label(self) -> &'static str {
        match self {
            Kind::Utredning => "utredning",
            Kind::Beslut => "beslut",
            Kind::Genomforandeplan => "genomförandeplan",
            Kind::Uppfoljning => "uppföljning",
            Kind::Omprovning => "omprövning",
            Kind::Verkstallighet => "verkställighet",
            Kind::Bevakning => "bevakning",
        }
    }
}

/// How urgent a deadline is, relative to today.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Status {
    /// Overdue: due before today.
    Forsenad,
    /// Due today.
    Idag,
    /// 1–7 days left.
    Vecka,
    /// 8–30 days left.
    Kommande,
    /// More than 30 days left.
    Senare,
}

impl Status {
    pub const ALL: [Status; 5] = [
        Status::Forsenad,
        Status::Idag,
        Status::Vecka,
        Status::Kommande,
        Status::Senare,
    ];

    /// The status of a deadline with `days_left` days left (negative: overdue).
    #[must_use]
    pub fn from_days_left(days_left: i64) -> Self {
        match days_left {
            i64::MIN..=-1 => Status::Forsenad,
            0 => Status::Idag,
            1..=7 => Status::Vecka,
            8..=30 => Status::Kommande,
            _ => Status::Senare,
        }
    }

    /// DOMAIN.md's lowercase ASCII name.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Status::Forsenad => "forsenad",
            Status::Idag => "idag",
            Status::Vecka => "vecka",
            Status::Kommande => "kommande",
            Status::Senare => "senare",
        }
    }

    /// The Swedish words on screen, readable without colour.
    #[must_use]
    pub const fn label(self) -> &'static str {
        match self {
            Status::Forsenad => "försenad",
            Status::Idag => "idag",
            Status::Vecka => "denna vecka",
            Status::Kommande => "kommande",
            Status::Senare => "senare",
        }
    }
}

/// One open deadline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub kind: Kind,
    pub case_id: String,
    /// The application, intervention or followup row the deadline comes from.
    pub source_id: String,
    /// The responsible handläggare: the row's own, else the case's.
    pub worker_id: Option<String>,
    pub insats_code: Option<String>,
    /// The date the rule starts from (received, ordered, decided, last follow-up …).
    pub basis: NaiveDate,
    pub due: NaiveDate,
    pub days_left: i64,
    pub status: Status,
}

/// Derives every open deadline of the open cases on `today`, sorted overdue first, then by
/// due date (then kind and case, so the order is total).
#[must_use]
pub fn derive(
    cases: &[Case],
    applications: &[Application],
    interventions: &[Intervention],
    followups: &[Followup],
    target_days: &HashMap<String, Option<i64>>,
    rules: &DeadlineRules,
    today: NaiveDate,
) -> Vec<Item> {
    let open: HashMap<&str, &Case> = cases
        .iter()
        .filter(|c| c.opened <= today && c.closed.is_none_or(|cl| cl > today))
        .map(|c| (c.case_id.as_str(), c))
        .collect();
    let mut items = Vec::new();
    let mut push = |kind: Kind,
                    case: &Case,
                    source_id: &str,
                    own_worker: Option<&String>,
                    insats: Option<&String>,
                    basis: NaiveDate,
                    due: NaiveDate| {
        let days_left = days_between(today, due);
        items.push(Item {
            kind,
            case_id: case.case_id.clone(),
            source_id: source_id.to_string(),
            worker_id: own_worker.or(case.worker_id.as_ref()).cloned(),
            insats_code: insats.cloned(),
            basis,
            due,
            days_left,
            status: Status::from_days_left(days_left),
        });
    };

    for a in applications {
        let Some(case) = open.get(a.case_id.as_str()) else {
            continue;
        };
        if a.decided.is_some() {
            continue;
        }
        if a.investigation_started.is_none() {
            let due = a.received + chrono::Days::new(u64::from(rules.utredning_days));
            push(
                Kind::Utredning,
                case,
                &a.application_id,
                a.worker_id.as_ref(),
                Some(&a.insats_code),
                a.received,
                due,
            );
        }
        if let Some(Some(days)) = target_days.get(&a.insats_code) {
            let due = a.received + chrono::Days::new(u64::try_from(*days).unwrap_or(0));
            push(
                Kind::Beslut,
                case,
                &a.application_id,
                a.worker_id.as_ref(),
                Some(&a.insats_code),
                a.received,
                due,
            );
        }
    }

    for i in interventions {
        let Some(case) = open.get(i.case_id.as_str()) else {
            continue;
        };
        let ended = i.end.is_some_and(|e| e < today);
        let started = i.start.is_some_and(|s| s <= today);
        let active = started && !ended;
        if let (Some(ordered), None, false) = (i.ordered, i.plan_received, ended) {
            let due = ordered + chrono::Days::new(u64::from(rules.genomforandeplan_days));
            push(
                Kind::Genomforandeplan,
                case,
                &i.intervention_id,
                None,
                Some(&i.insats_code),
                ordered,
                due,
            );
        }
        if active {
            let basis = match (i.last_followup, i.decided) {
                (Some(f), Some(d)) => Some(f.max(d)),
                (Some(f), None) => Some(f),
                (None, Some(d)) => Some(d),
                (None, None) => i.start,
            };
            if let Some(basis) = basis {
                push(
                    Kind::Uppfoljning,
                    case,
                    &i.intervention_id,
                    None,
                    Some(&i.insats_code),
                    basis,
                    add_months(basis, rules.uppfoljning_months),
                );
            }
            if let Some(end) = i.end {
                push(
                    Kind::Omprovning,
                    case,
                    &i.intervention_id,
                    None,
                    Some(&i.insats_code),
                    end,
                    end,
                );
            }
        }
        if let (Some(decided), false) = (i.decided, started) {
            push(
                Kind::Verkstallighet,
                case,
                &i.intervention_id,
                None,
                Some(&i.insats_code),
                decided,
                add_months(decided, rules.verkstallighet_months),
            );
        }
    }

    for f in followups {
        let Some(case) = open.get(f.case_id.as_str()) else {
            continue;
        };
        if f.done.is_none() {
            push(
                Kind::Bevakning,
                case,
                &f.followup_id,
                f.worker_id.as_ref(),
                None,
                f.due,
                f.due,
            );
        }
    }

    items.sort_by(|a, b| {
        (a.due, a.kind, &a.case_id, &a.source_id).cmp(&(b.due, b.kind, &b.case_id, &b.source_id))
    });
    items
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        crate::domain::dates::parse_iso(s).expect("date")
    }

    fn case(id: &str, closed: Option<&str>) -> Case {
        Case {
            case_id: id.into(),
            unit_id: "U".into(),
            team: None,
            worker_id: Some("H1".into()),
            client_label: None,
            opened: d("2010-01-01"),
            closed: closed.map(d),
        }
    }

    fn app(id: &str, received: &str) -> Application {
        Application {
            application_id: id.into(),
            case_id: "C".into(),
            insats_code: "HT".into(),
            received: d(received),
            investigation_started: None,
            decided: None,
            outcome: None,
            worker_id: None,
        }
    }

    fn int(id: &str) -> Intervention {
        Intervention {
            intervention_id: id.into(),
            case_id: "C".into(),
            application_id: None,
            insats_code: "HT".into(),
            decided: None,
            start: None,
            end: None,
            provider: None,
            ordered: None,
            plan_received: None,
            last_followup: None,
        }
    }

    fn derive_one(
        apps: &[Application],
        ints: &[Intervention],
        fups: &[Followup],
        today: &str,
    ) -> Vec<(Kind, NaiveDate, Status)> {
        let targets = HashMap::from([("HT".to_string(), Some(14)), ("VB".to_string(), None)]);
        derive(
            &[case("C", None)],
            apps,
            ints,
            fups,
            &targets,
            &DeadlineRules::default(),
            d(today),
        )
        .into_iter()
        .map(|i| (i.kind, i.due, i.status))
        .collect()
    }

    #[test]
    fn status_bands() {
        assert_eq!(Status::from_days_left(-1), Status::Forsenad);
        assert_eq!(Status::from_days_left(0), Status::Idag);
        assert_eq!(Status::from_days_left(1), Status::Vecka);
        assert_eq!(Status::from_days_left(7), Status::Vecka);
        assert_eq!(Status::from_days_left(8), Status::Kommande);
        assert_eq!(Status::from_days_left(30), Status::Kommande);
        assert_eq!(Status::from_days_left(31), Status::Senare);
    }

    #[test]
    fn undecided_application_gives_utredning_and_beslut() {
        let got = derive_one(&[app("A", "2014-10-01")], &[], &[], "2014-10-10");
        assert_eq!(
            got,
            [
                (Kind::Utredning, d("2014-10-08"), Status::Forsenad),
                (Kind::Beslut, d("2014-10-15"), Status::Vecka),
            ]
        );
        let mut started = app("A", "2014-10-01");
        started.investigation_started = Some(d("2014-10-02"));
        let got = derive_one(&[started.clone()], &[], &[], "2014-10-10");
        assert_eq!(got, [(Kind::Beslut, d("2014-10-15"), Status::Vecka)]);
        // Decided the day it came in: nothing open.
        started.decided = Some(d("2014-10-01"));
        assert!(derive_one(&[started], &[], &[], "2014-10-10").is_empty());
        // No target days for the type: no beslut item.
        let mut vb = app("B", "2014-10-01");
        vb.insats_code = "VB".into();
        vb.investigation_started = Some(d("2014-10-01"));
        assert!(derive_one(&[vb], &[], &[], "2014-10-10").is_empty());
    }

    #[test]
    fn genomforandeplan_until_plan_or_end() {
        let mut i = int("I");
        i.ordered = Some(d("2014-10-01"));
        assert_eq!(
            derive_one(&[], &[i.clone()], &[], "2014-10-27"),
            [(Kind::Genomforandeplan, d("2014-10-15"), Status::Forsenad)]
        );
        i.plan_received = Some(d("2014-10-10"));
        assert!(derive_one(&[], &[i.clone()], &[], "2014-10-27").is_empty());
        i.plan_received = None;
        i.end = Some(d("2014-10-26"));
        assert!(derive_one(&[], &[i], &[], "2014-10-27").is_empty());
    }

    #[test]
    fn uppfoljning_from_the_later_of_followup_and_decision_clamped_to_month_end() {
        let mut i = int("I");
        i.start = Some(d("2015-03-01"));
        i.decided = Some(d("2015-02-28"));
        i.last_followup = Some(d("2015-01-31"));
        assert_eq!(
            derive_one(&[], &[i.clone()], &[], "2015-06-01"),
            [(Kind::Uppfoljning, d("2016-02-28"), Status::Senare)]
        );
        // Leap day basis: + 12 months → 28 Feb.
        i.decided = Some(d("2016-02-29"));
        i.last_followup = None;
        i.start = Some(d("2016-03-01"));
        assert_eq!(
            derive_one(&[], &[i.clone()], &[], "2016-06-01"),
            [(Kind::Uppfoljning, d("2017-02-28"), Status::Senare)]
        );
        // Neither followed up nor decided: from start.
        i.decided = None;
        assert_eq!(derive_one(&[], &[i], &[], "2016-06-01")[0].1, d("2017-03-01"));
    }

    #[test]
    fn intervention_ending_today_is_active_and_due_for_omprovning() {
        let mut i = int("I");
        i.start = Some(d("2014-01-01"));
        i.decided = Some(d("2014-06-01"));
        i.end = Some(d("2014-12-31"));
        let got = derive_one(&[], &[i.clone()], &[], "2014-12-31");
        assert!(got.contains(&(Kind::Omprovning, d("2014-12-31"), Status::Idag)), "{got:?}");
        assert!(derive_one(&[], &[i], &[], "2015-01-01").is_empty());
    }

    #[test]
    fn verkstallighet_three_months_after_decision_until_started() {
        let mut i = int("I");
        i.decided = Some(d("2014-08-31"));
        assert_eq!(
            derive_one(&[], &[i.clone()], &[], "2014-12-01"),
            [(Kind::Verkstallighet, d("2014-11-30"), Status::Forsenad)]
        );
        i.start = Some(d("2014-12-15"));
        assert_eq!(
            derive_one(&[], &[i.clone()], &[], "2014-12-01")[0].0,
            Kind::Verkstallighet,
            "a future start is not yet verkställt"
        );
        i.start = Some(d("2014-11-15"));
        assert!(
            !derive_one(&[], &[i], &[], "2014-12-01")
                .iter()
                .any(|x| x.0 == Kind::Verkstallighet)
        );
    }

    #[test]
    fn bevakning_until_done_and_only_for_open_cases() {
        let f = Followup {
            followup_id: "F".into(),
            case_id: "C".into(),
            kind: "SIP".into(),
            due: d("2014-12-24"),
            done: None,
            worker_id: Some("H9".into()),
            note: None,
        };
        let targets = HashMap::new();
        let rules = DeadlineRules::default();
        let items = derive(&[case("C", None)], &[], &[], &[f.clone()], &targets, &rules, d("2014-12-20"));
        assert_eq!(items.len(), 1);
        assert_eq!(items[0].worker_id.as_deref(), Some("H9"), "the row's own worker wins");
        assert_eq!(items[0].status, Status::Vecka);
        // Closed today: no longer open.
        let closed = derive(&[case("C", Some("2014-12-20"))], &[], &[], &[f.clone()], &targets, &rules, d("2014-12-20"));
        assert!(closed.is_empty());
        let mut done = f;
        done.done = Some(d("2014-12-01"));
        assert!(derive(&[case("C", None)], &[], &[], &[done], &targets, &rules, d("2014-12-20")).is_empty());
    }
}
