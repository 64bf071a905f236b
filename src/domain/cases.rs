//! The cases behind a figure, and one case's card (issue 13: "the same drill-downs without
//! a terminal").
//!
//! - The cases behind a caseload count (DOMAIN.md "Caseload by insats on D"): the cases
//!   with at least one intervention of the insats type **active on D** — `start <= D` and
//!   (`end` is NULL or `end >= D`).
//! - The cases behind "Per handläggare" (DOMAIN.md "Cases per handläggare on D"): the
//!   cases **open on D** — `opened <= D` and (`closed` is NULL or `closed > D`) — by
//!   `cases.worker_id`.
//! - A case card: the case's rows, and its open deadlines by the bevakningslista's own
//!   rules ([`crate::domain::deadlines::derive`], not written again here).

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use rusqlite::Connection;

use crate::config::DeadlineRules;
use crate::domain::dates::{add_months, days_between};
use crate::domain::deadlines::{self, Item};
use crate::domain::periods::Period;
use crate::domain::processing::{self, By, Group, Measure, NOT_EXECUTED_MONTHS, Scope, sex_name};
use crate::model::{Application, Case, Followup, InsatsType, Interruption, Intervention, Sex};
use crate::snapshot::queries::{self, DecidedRow, Filter, Span};

/// What a list or a card could not be made for.
#[derive(Debug)]
pub enum Error {
    /// An `--insats` code the snapshot has no insats type for.
    UnknownInsats(String),
    /// A case id the snapshot has no case for.
    UnknownCase(String),
    Sqlite(rusqlite::Error),
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::UnknownInsats(code) => write!(
                f,
                "okänd insats {code:?}: ingen sådan insats_code i ögonblicksbilden"
            ),
            Error::UnknownCase(id) => {
                write!(
                    f,
                    "okänt ärende {id:?}: inget sådant case_id i ögonblicksbilden"
                )
            }
            Error::Sqlite(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Sqlite(e) => Some(e),
            _ => None,
        }
    }
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        Error::Sqlite(e)
    }
}

/// DOMAIN.md: a case is open on `date` when `opened <= date` and (`closed` is NULL or
/// `closed > date`).
#[must_use]
pub fn open_on(case: &Case, date: NaiveDate) -> bool {
    case.opened <= date && case.closed.is_none_or(|c| c > date)
}

/// DOMAIN.md "Active on a date D": `start <= D` and (`end` is NULL or `end >= D`); an
/// intervention not started is active on no date.
#[must_use]
pub fn active_on(start: Option<NaiveDate>, end: Option<NaiveDate>, date: NaiveDate) -> bool {
    start.is_some_and(|s| s <= date) && end.is_none_or(|e| e >= date)
}

/// The cases of `cases` open on `date`, in the order given.
#[must_use]
pub fn open_cases(cases: Vec<Case>, date: NaiveDate) -> Vec<Case> {
    cases.into_iter().filter(|c| open_on(c, date)).collect()
}

/// The cases of `cases` with at least one of `spans` (one insats type's interventions)
/// active on `date`, in the order given: the cases counted by the caseload of that type.
#[must_use]
pub fn with_active(cases: Vec<Case>, spans: &[Span], date: NaiveDate) -> Vec<Case> {
    let active = active_cases(spans, date);
    cases
        .into_iter()
        .filter(|c| active.contains(c.case_id.as_str()))
        .collect()
}

/// The cases of `spans` with one of them active on `date`.
fn active_cases(spans: &[Span], date: NaiveDate) -> HashSet<&str> {
    spans
        .iter()
        .filter(|s| active_on(s.start, s.end, date))
        .map(|s| s.case_id.as_str())
        .collect()
}

/// DOMAIN.md "Handläggningstid" of an application: `decided - received` in calendar days;
/// `None` while it is undecided.
#[must_use]
pub fn handlaggningstid(a: &Application) -> Option<i64> {
    a.decided.map(|d| days_between(a.received, d))
}

/// Which cases a list is asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListQuery {
    /// The cases with this insats type active on `date`; `None`: the cases open on `date`.
    pub insats_code: Option<String>,
    /// Only the cases of this handläggare (`cases.worker_id`).
    pub worker_id: Option<String>,
    pub date: NaiveDate,
}

/// The cases behind a caseload figure.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseList {
    pub date: NaiveDate,
    /// The insats type asked for; `None` for the open cases.
    pub insats: Option<InsatsType>,
    pub worker_id: Option<String>,
    /// Ordered by case id.
    pub cases: Vec<Case>,
    /// worker_id → name, of every handläggare of the snapshot.
    pub worker_names: HashMap<String, String>,
}

impl CaseList {
    /// The name of a handläggare, else the id itself.
    #[must_use]
    pub fn worker_name<'a>(&'a self, worker_id: &'a str) -> &'a str {
        self.worker_names
            .get(worker_id)
            .map_or(worker_id, String::as_str)
    }
}

fn worker_names(conn: &Connection) -> rusqlite::Result<HashMap<String, String>> {
    Ok(queries::case_workers(conn, &Filter::default())?
        .into_iter()
        .map(|w| (w.worker_id, w.name))
        .collect())
}

/// The cases of `filter` that `query` asks for.
///
/// # Errors
/// An insats code the snapshot does not have, and SQLite errors.
pub fn load_list(conn: &Connection, filter: &Filter, query: &ListQuery) -> Result<CaseList, Error> {
    let insats = match &query.insats_code {
        Some(code) => Some(
            queries::insats_types(conn)?
                .into_iter()
                .find(|t| &t.insats_code == code)
                .ok_or_else(|| Error::UnknownInsats(code.clone()))?,
        ),
        None => None,
    };
    let worker = query.worker_id.as_ref();
    let cases = match &insats {
        Some(t) => {
            let spans = queries::insats_spans(conn, filter, worker, &t.insats_code)?;
            let active = active_cases(&spans, query.date);
            queries::cases_of(conn, filter, worker, |c| {
                active.contains(c.case_id.as_str())
            })?
        }
        None => queries::cases_of(conn, filter, worker, |c| open_on(c, query.date))?,
    };
    Ok(CaseList {
        date: query.date,
        insats,
        worker_id: query.worker_id.clone(),
        cases,
        worker_names: worker_names(conn)?,
    })
}

/// One decision behind a period's figure: an application and its handläggningstid, or a
/// started decision and its verkställighetstid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub row: DecidedRow,
    /// `to - from` in calendar days: handläggningstid (`decided - received`) or
    /// verkställighetstid (`start - decided`).
    pub days: i64,
    /// The days within which it meets its target, if it has one: the insats type's
    /// `target_days` (handläggningstid), or the days from the decision to three calendar
    /// months after it (verkställighetstid: started within them when `days <=` these).
    pub target_days: Option<i64>,
}

/// One row of a period's breakdown ([`crate::domain::processing::By`]), as a narrowing of
/// its decisions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GroupKey {
    Insats(String),
    /// The handläggare the review counts the decision by; `None`: no handläggare.
    Worker(Option<String>),
    /// `None`: kön not known.
    Sex(Option<Sex>),
}

impl GroupKey {
    /// The key of a breakdown row grouped `by`.
    #[must_use]
    pub fn of(by: By, group: &Group) -> Option<Self> {
        match by {
            By::Insats => group.key.clone().map(GroupKey::Insats),
            By::Worker => Some(GroupKey::Worker(group.key.clone())),
            By::Sex => match group.key.as_deref() {
                None => Some(GroupKey::Sex(None)),
                Some(k) => Sex::parse(k).map(|s| GroupKey::Sex(Some(s))),
            },
        }
    }

    fn admits(&self, row: &DecidedRow) -> bool {
        match self {
            GroupKey::Insats(code) => row.insats_code == *code,
            GroupKey::Worker(w) => row.worker_id == *w,
            GroupKey::Sex(s) => row.sex == *s,
        }
    }
}

/// Which decisions a list is asked for: those of a period's figure of `measure`, or of
/// one row of its breakdown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionQuery {
    pub measure: Measure,
    pub period: Period,
    /// The breakdown row; `None`: the whole period.
    pub group: Option<GroupKey>,
}

/// The decisions a period's figure is computed from (DOMAIN.md "Handläggningstid": per
/// period of the decision date; "Verkställighetstid": per period of the start), longest
/// first.
#[derive(Debug, Clone, PartialEq)]
pub struct DecisionList {
    pub period: Period,
    pub measure: Measure,
    pub group: Option<GroupKey>,
    pub decisions: Vec<Decision>,
    /// insats_code → name.
    pub insats_names: HashMap<String, String>,
    /// worker_id → name, of every handläggare of the snapshot.
    pub worker_names: HashMap<String, String>,
}

impl DecisionList {
    /// The name of a handläggare, else the id itself.
    #[must_use]
    pub fn worker_name<'a>(&'a self, worker_id: &'a str) -> &'a str {
        self.worker_names
            .get(worker_id)
            .map_or(worker_id, String::as_str)
    }

    /// The name of an insats type, else the code itself.
    #[must_use]
    pub fn insats_name<'a>(&'a self, code: &'a str) -> &'a str {
        self.insats_names.get(code).map_or(code, String::as_str)
    }

    /// How many took longer than their target.
    #[must_use]
    pub fn over_target(&self) -> usize {
        self.decisions
            .iter()
            .filter(|d| d.target_days.is_some_and(|t| d.days > t))
            .count()
    }

    /// The breakdown row in words ("Hemtjänst", "Anna Berg", "ingen handläggare",
    /// "kvinnor"); `None` for the whole period.
    #[must_use]
    pub fn group_name(&self) -> Option<String> {
        Some(match self.group.as_ref()? {
            GroupKey::Insats(code) => self.insats_name(code).to_string(),
            GroupKey::Worker(Some(w)) => self.worker_name(w).to_string(),
            GroupKey::Worker(None) => "ingen handläggare".to_string(),
            GroupKey::Sex(s) => sex_name(*s).to_lowercase(),
        })
    }

    /// What the list is, as its heading begins, the count before the words a narrow
    /// window cuts: "Beslut 2014-Q4, Hemtjänst: 12 (3 över mål), längst handläggningstid
    /// först".
    #[must_use]
    pub fn heading(&self) -> String {
        let (what, measure, over) = match self.measure {
            Measure::Handlaggning => ("Beslut", "handläggningstid", "över mål"),
            Measure::Verkstallighet => ("Startade", "verkställighetstid", "efter 3 mån"),
        };
        let group = self
            .group_name()
            .map_or_else(String::new, |g| format!(", {g}"));
        format!(
            "{what} {}{group}: {} ({} {over}), längst {measure} först",
            self.period,
            self.decisions.len(),
            self.over_target()
        )
    }
}

/// The decisions of `filter`, the review's `scope` and `query` up to `today`, longest first
/// (then by the day counted to and id): as many as the figure's count. The rows are the
/// ones the review reads for the measure ([`queries::decided_between`],
/// [`queries::started_between`]), with the handläggare and kön it counts them by.
///
/// # Errors
/// SQLite errors.
pub fn load_decisions(
    conn: &Connection,
    filter: &Filter,
    scope: &Scope,
    query: &DecisionQuery,
    today: NaiveDate,
) -> Result<DecisionList, Error> {
    let period = query.period;
    let to = period.last_day().min(today);
    let between = match query.measure {
        Measure::Handlaggning => queries::decided_between,
        Measure::Verkstallighet => queries::started_between,
    };
    let mut rows = between(
        conn,
        filter,
        scope.insats_code.as_ref(),
        scope.worker_id.as_ref(),
        period.first_day(),
        to,
    )?;
    if let Some(group) = &query.group {
        rows.retain(|r| group.admits(r));
    }
    let types = queries::insats_types(conn)?;
    crate::domain::dates::check_target_days(&types)?;
    let targets: HashMap<&str, Option<i64>> = types
        .iter()
        .map(|t| (t.insats_code.as_str(), t.target_days))
        .collect();
    let mut decisions: Vec<Decision> = rows
        .into_iter()
        .map(|row| Decision {
            days: days_between(row.from, row.to),
            target_days: match query.measure {
                Measure::Handlaggning => targets.get(row.insats_code.as_str()).copied().flatten(),
                Measure::Verkstallighet => Some(days_between(
                    row.from,
                    add_months(row.from, NOT_EXECUTED_MONTHS),
                )),
            },
            row,
        })
        .collect();
    decisions.sort_by(|a, b| {
        b.days
            .cmp(&a.days)
            .then_with(|| a.row.to.cmp(&b.row.to))
            .then_with(|| a.row.id.cmp(&b.row.id))
    });
    Ok(DecisionList {
        period,
        measure: query.measure,
        group: query.group.clone(),
        decisions,
        // As the review names them, so that the list's heading names its row alike.
        insats_names: processing::insats_names(&types),
        worker_names: worker_names(conn)?,
    })
}

/// Everything the snapshot holds about one case.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseRows {
    pub case: Case,
    pub applications: Vec<Application>,
    pub interventions: Vec<Intervention>,
    /// The avbrott of the case's interventions (none in a version 1 file).
    pub interruptions: Vec<Interruption>,
    pub followups: Vec<Followup>,
}

/// An open deadline of the case, with the bevakningslista's explanation of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardDeadline {
    pub item: Item,
    pub explanation: String,
}

/// One case's card.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseCard {
    pub today: NaiveDate,
    pub rows: CaseRows,
    /// The case's open deadlines on `today`, in the bevakningslista's order (none when the
    /// case is not open on `today`).
    pub deadlines: Vec<CardDeadline>,
    /// insats_code → name.
    pub insats_names: HashMap<String, String>,
    /// worker_id → name, of every handläggare of the snapshot.
    pub worker_names: HashMap<String, String>,
}

impl CaseCard {
    /// The name of an insats type, else the code itself.
    #[must_use]
    pub fn insats_name<'a>(&'a self, code: &'a str) -> &'a str {
        self.insats_names.get(code).map_or(code, String::as_str)
    }

    /// The name of a handläggare, else the id itself.
    #[must_use]
    pub fn worker_name<'a>(&'a self, worker_id: &'a str) -> &'a str {
        self.worker_names
            .get(worker_id)
            .map_or(worker_id, String::as_str)
    }
}

/// The open deadlines of one case on `today`, by the bevakningslista's rules with `rules`
/// and the insats types' target days, each with [`deadlines::explain`]'s text.
#[must_use]
pub fn card_deadlines(
    rows: &CaseRows,
    types: &[InsatsType],
    rules: &DeadlineRules,
    today: NaiveDate,
) -> Vec<CardDeadline> {
    let target_days: HashMap<String, Option<i64>> = types
        .iter()
        .map(|t| (t.insats_code.clone(), t.target_days))
        .collect();
    deadlines::derive(
        std::slice::from_ref(&rows.case),
        &rows.applications,
        &rows.interventions,
        &rows.followups,
        &target_days,
        rules,
        today,
    )
    .into_iter()
    .map(|item| {
        let target = item
            .insats_code
            .as_deref()
            .and_then(|c| target_days.get(c).copied().flatten());
        let explanation = deadlines::explain(&item, rules, target);
        CardDeadline { item, explanation }
    })
    .collect()
}

/// The card of the case `case_id` on `today`.
///
/// # Errors
/// A case id the snapshot does not have, and SQLite errors.
pub fn load_card(
    conn: &Connection,
    case_id: &str,
    rules: &DeadlineRules,
    today: NaiveDate,
) -> Result<CaseCard, Error> {
    let case =
        queries::case_by_id(conn, case_id)?.ok_or_else(|| Error::UnknownCase(case_id.into()))?;
    let rows = CaseRows {
        applications: queries::case_applications(conn, case_id)?,
        interventions: queries::case_interventions(conn, case_id)?,
        interruptions: queries::case_interruptions(conn, case_id)?,
        followups: queries::case_followups(conn, case_id)?,
        case,
    };
    let types = queries::insats_types(conn)?;
    crate::domain::dates::check_target_days(&types)?;
    let deadlines = card_deadlines(&rows, &types, rules, today);
    Ok(CaseCard {
        today,
        rows,
        deadlines,
        insats_names: types.into_iter().map(|t| (t.insats_code, t.name)).collect(),
        worker_names: worker_names(conn)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        crate::domain::dates::parse_iso(s).expect("date")
    }

    fn case(id: &str, opened: &str, closed: Option<&str>) -> Case {
        Case {
            case_id: id.into(),
            unit_id: "U".into(),
            team: None,
            worker_id: Some("H1".into()),
            client_label: None,
            opened: d(opened),
            closed: closed.map(d),
            sex: None,
        }
    }

    fn span(case: &str, start: Option<&str>, end: Option<&str>) -> Span {
        Span {
            case_id: case.into(),
            start: start.map(d),
            end: end.map(d),
        }
    }

    #[test]
    fn a_case_is_open_from_its_opening_day_until_the_day_before_it_closes() {
        let c = case("C", "2014-01-10", Some("2014-03-01"));
        assert!(!open_on(&c, d("2014-01-09")));
        assert!(open_on(&c, d("2014-01-10")));
        assert!(open_on(&c, d("2014-02-28")));
        assert!(!open_on(&c, d("2014-03-01")));
        assert!(open_on(&case("D", "2014-01-10", None), d("2099-01-01")));
    }

    #[test]
    fn an_intervention_is_active_from_start_through_end() {
        let (s, e) = (Some(d("2014-01-10")), Some(d("2014-03-01")));
        assert!(!active_on(s, e, d("2014-01-09")));
        assert!(active_on(s, e, d("2014-01-10")));
        assert!(active_on(s, e, d("2014-03-01")));
        assert!(!active_on(s, e, d("2014-03-02")));
        assert!(active_on(s, None, d("2099-01-01")));
        assert!(!active_on(None, None, d("2014-02-01")));
    }

    #[test]
    fn cases_with_any_active_span_are_kept_once_in_the_given_order() {
        let cases = vec![
            case("A", "2010-01-01", None),
            case("B", "2010-01-01", None),
            case("C", "2010-01-01", Some("2014-01-01")),
        ];
        let spans = [
            span("A", Some("2013-01-01"), Some("2013-12-31")),
            span("A", Some("2014-02-01"), None),
            span("B", Some("2014-06-01"), None),
            // Active although the case is closed: the caseload counts interventions.
            span("C", Some("2013-01-01"), None),
        ];
        let ids = |v: Vec<Case>| v.into_iter().map(|c| c.case_id).collect::<Vec<_>>();
        assert_eq!(
            ids(with_active(cases.clone(), &spans, d("2014-03-01"))),
            ["A", "C"]
        );
        assert_eq!(
            ids(with_active(cases.clone(), &spans, d("2014-01-15"))),
            ["C"]
        );
        assert_eq!(ids(open_cases(cases, d("2014-01-01"))), ["A", "B"]);
    }

    #[test]
    fn handlaggningstid_counts_calendar_days_and_is_none_while_undecided() {
        let mut a = Application {
            application_id: "A1".into(),
            case_id: "C".into(),
            insats_code: "HT".into(),
            received: d("2014-02-20"),
            investigation_started: None,
            decided: None,
            outcome: None,
            worker_id: None,
        };
        assert_eq!(handlaggningstid(&a), None);
        a.decided = Some(d("2014-03-06"));
        assert_eq!(handlaggningstid(&a), Some(14));
    }

    #[test]
    fn card_deadlines_are_the_rules_items_with_their_explanations() {
        let rows = CaseRows {
            case: case("C", "2010-01-01", None),
            applications: Vec::new(),
            interventions: vec![Intervention {
                intervention_id: "I".into(),
                case_id: "C".into(),
                application_id: None,
                insats_code: "HT".into(),
                decided: None,
                start: None,
                end: None,
                provider: None,
                ordered: Some(d("2014-10-01")),
                plan_received: None,
                last_followup: None,
                offered: None,
                delay_reason: None,
            }],
            interruptions: Vec::new(),
            followups: Vec::new(),
        };
        let rules = DeadlineRules::default();
        let got = card_deadlines(&rows, &[], &rules, d("2014-10-27"));
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].item.kind, deadlines::Kind::Genomforandeplan);
        assert_eq!(
            got[0].explanation,
            "Beställd 2014-10-01, ingen genomförandeplan inkommen; regel 14 dagar → 2014-10-15 (12 dagar sen)"
        );
        let mut closed = rows;
        closed.case.closed = Some(d("2014-10-27"));
        assert!(card_deadlines(&closed, &[], &rules, d("2014-10-27")).is_empty());
    }
}
