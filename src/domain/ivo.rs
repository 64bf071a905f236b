//! The IVO report of a quarter (DOMAIN.md "Rules of version 2"): every decision ej
//! verkställt within three months, and every avbrott i verkställigheten that has lasted
//! three months, on at least one day of the quarter up to the report date; each with its
//! status on that date; and the nämnd's anonymised summary of those still waiting.
//!
//! The rules are pure functions of the candidate rows ([`Candidate`]) and the dates; the
//! snapshot query only narrows the rows down to those that can be in the report.

use std::collections::BTreeMap;
use std::collections::HashMap;

use chrono::NaiveDate;

use crate::domain::dates::{add_months, days_between};
use crate::domain::periods::{Period, PeriodKind};
use crate::domain::processing::{NOT_EXECUTED_MONTHS, sex_index};
use crate::model::Sex;
use crate::snapshot::Readers;
use crate::snapshot::queries::{self, Filter};

/// A decision waiting for verkställighet, or an avbrott.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Beslut,
    Avbrott,
}

impl Kind {
    /// The JSON and CSV name: `beslut`, `avbrott`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Kind::Beslut => "beslut",
            Kind::Avbrott => "avbrott",
        }
    }

    /// The Swedish words of the screen and the text report.
    #[must_use]
    pub const fn label(self) -> &'static str {
        match self {
            Kind::Beslut => "Ej verkställt beslut",
            Kind::Avbrott => "Avbrott i verkställighet",
        }
    }
}

/// A row's status on the report date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    /// A decision still waiting.
    EjVerkstallt,
    /// A decision that started (`status_date` = its start).
    Verkstallt,
    /// An avbrott still going on.
    Avbrott,
    /// An avbrott that ended by resuming (`status_date` = resumed).
    Aterupptaget,
    /// Ended by the intervention's end or the case's closing, before it was verkställt or
    /// resumed.
    Avslutat,
}

impl Status {
    /// The JSON name: `ej_verkstallt`, `verkstallt`, `avbrott`, `aterupptaget`, `avslutat`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Status::EjVerkstallt => "ej_verkstallt",
            Status::Verkstallt => "verkstallt",
            Status::Avbrott => "avbrott",
            Status::Aterupptaget => "aterupptaget",
            Status::Avslutat => "avslutat",
        }
    }

    /// The Swedish word.
    #[must_use]
    pub const fn label(self) -> &'static str {
        match self {
            Status::EjVerkstallt => "ej verkställt",
            Status::Verkstallt => "verkställt",
            Status::Avbrott => "avbrott",
            Status::Aterupptaget => "återupptaget",
            Status::Avslutat => "avslutat",
        }
    }

    /// Whether the row still waits on the report date.
    #[must_use]
    pub const fn waiting(self) -> bool {
        matches!(self, Status::EjVerkstallt | Status::Avbrott)
    }
}

/// How long a row still waiting on the report date has waited, in the summary's bands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Band {
    /// 3–6 months: R <= base + 6 months.
    ThreeToSix,
    /// 6–12 months: R <= base + 12 months.
    SixToTwelve,
    /// Over 12 months.
    OverTwelve,
}

impl Band {
    pub const ALL: [Band; 3] = [Band::ThreeToSix, Band::SixToTwelve, Band::OverTwelve];

    /// The JSON name: `3-6`, `6-12`, `12+`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Band::ThreeToSix => "3-6",
            Band::SixToTwelve => "6-12",
            Band::OverTwelve => "12+",
        }
    }

    /// The Swedish heading.
    #[must_use]
    pub const fn label(self) -> &'static str {
        match self {
            Band::ThreeToSix => "3–6 mån",
            Band::SixToTwelve => "6–12 mån",
            Band::OverTwelve => "över 12 mån",
        }
    }

    /// The band of a row waiting since `base` on `report_date`.
    #[must_use]
    pub fn of(base: NaiveDate, report_date: NaiveDate) -> Self {
        if report_date <= add_months(base, 6) {
            Band::ThreeToSix
        } else if report_date <= add_months(base, 12) {
            Band::SixToTwelve
        } else {
            Band::OverTwelve
        }
    }
}

/// A row that may be in a report: a decided intervention (with the dates that stop its
/// waiting), or an interruption of one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub kind: Kind,
    pub intervention_id: String,
    /// `None` for a decision.
    pub interruption_id: Option<String>,
    pub case_id: String,
    /// The case's handläggare.
    pub worker_id: Option<String>,
    pub client_label: Option<String>,
    pub insats_code: String,
    pub law: Option<String>,
    pub sex: Option<Sex>,
    /// The intervention's decision (always set for a decision).
    pub decided: Option<NaiveDate>,
    /// The interruption's first day (avbrott only).
    pub interrupted: Option<NaiveDate>,
    /// The intervention's start (a decision) or the interruption's `resumed` (an avbrott):
    /// the stop that counts first on its day.
    pub resumed: Option<NaiveDate>,
    pub end: Option<NaiveDate>,
    pub case_closed: Option<NaiveDate>,
    pub offered: Option<NaiveDate>,
    pub delay_reason: Option<String>,
    /// The interruption's reason (avbrott only).
    pub reason: Option<String>,
}

impl Candidate {
    /// The day waiting began: the decision, or the interruption.
    #[must_use]
    pub fn base(&self) -> Option<NaiveDate> {
        match self.kind {
            Kind::Beslut => self.decided,
            Kind::Avbrott => self.interrupted,
        }
    }

    /// The day the waiting stopped and how: the earliest of the start (or resumption), the
    /// end and the closing; on a tie the start (or resumption) counts first.
    #[must_use]
    pub fn stop(&self) -> Option<(NaiveDate, Status)> {
        let first = match self.kind {
            Kind::Beslut => Status::Verkstallt,
            Kind::Avbrott => Status::Aterupptaget,
        };
        [
            self.resumed.map(|d| (d, first)),
            self.end.map(|d| (d, Status::Avslutat)),
            self.case_closed.map(|d| (d, Status::Avslutat)),
        ]
        .into_iter()
        .flatten()
        // `min_by_key` keeps the first of equal days: the start or resumption.
        .min_by_key(|(d, _)| *d)
    }

    /// The first day in `quarter` up to `report_date` on which the row is past three months
    /// and still waits: the day that puts it in that quarter's report (`None`: not in it).
    #[must_use]
    pub fn first_reported(&self, quarter: Period, report_date: NaiveDate) -> Option<NaiveDate> {
        let past = add_months(self.base()?, NOT_EXECUTED_MONTHS).succ_opt()?;
        let first = past.max(quarter.first_day());
        let waits = self.stop().is_none_or(|(stop, _)| stop > first);
        (first <= report_date && waits).then_some(first)
    }
}

/// A row of the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IvoRow {
    pub kind: Kind,
    pub intervention_id: String,
    pub interruption_id: Option<String>,
    pub case_id: String,
    pub worker_id: Option<String>,
    pub client_label: Option<String>,
    pub insats_code: String,
    pub law: Option<String>,
    pub sex: Option<Sex>,
    pub decided: Option<NaiveDate>,
    pub interrupted: Option<NaiveDate>,
    pub status: Status,
    /// The stop's day; `None` while waiting.
    pub status_date: Option<NaiveDate>,
    /// From the decision (or interruption) to the report date while waiting, else to the
    /// stop.
    pub days: i64,
    pub offered: Option<NaiveDate>,
    pub delay_reason: Option<String>,
    pub reason: Option<String>,
    /// Not in the previous quarter's report.
    pub new: bool,
}

/// One line of the nämnd's summary: rows still waiting on the report date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SummaryRow {
    pub kind: Kind,
    pub law: Option<String>,
    pub insats_code: String,
    pub sex: Option<Sex>,
    pub band: Band,
    pub count: u64,
}

/// The report of one quarter.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Ivo {
    /// `None` only for [`Ivo::default`].
    pub quarter: Option<Period>,
    /// The quarter's last day, or today when that is earlier.
    pub report_date: NaiveDate,
    /// Decisions first, then avbrott; each oldest first.
    pub rows: Vec<IvoRow>,
    /// Groups with a count, by kind, lagrum, insats, kön and band.
    pub summary: Vec<SummaryRow>,
    pub insats_names: HashMap<String, String>,
    pub worker_names: HashMap<String, String>,
    /// The worker the report is filtered to (`--worker`), if any.
    pub worker_id: Option<String>,
}

impl Ivo {
    /// The name of an insats code, else the code.
    #[must_use]
    pub fn insats_name<'a>(&'a self, code: &'a str) -> &'a str {
        self.insats_names.get(code).map_or(code, String::as_str)
    }

    /// The name of a handläggare, else the id.
    #[must_use]
    pub fn worker_name<'a>(&'a self, id: &'a str) -> &'a str {
        self.worker_names.get(id).map_or(id, String::as_str)
    }

    /// Rows still waiting on the report date.
    #[must_use]
    pub fn waiting(&self) -> usize {
        self.rows.iter().filter(|r| r.status.waiting()).count()
    }

    /// Rows new since the previous quarter's report.
    #[must_use]
    pub fn new_rows(&self) -> usize {
        self.rows.iter().filter(|r| r.new).count()
    }

    /// The summary's total per band, and in all.
    #[must_use]
    pub fn band_totals(&self) -> ([u64; 3], u64) {
        let mut totals = [0; 3];
        for s in &self.summary {
            totals[s.band as usize] += s.count;
        }
        (totals, totals.iter().sum())
    }
}

/// The report date of `quarter`: its last day, or `today` when that is earlier.
#[must_use]
pub fn report_date(quarter: Period, today: NaiveDate) -> NaiveDate {
    quarter.last_day().min(today)
}

/// The first day the candidates of `quarter`'s report (and the previous quarter's, for
/// "new") can stop on: what the snapshot query narrows by.
#[must_use]
pub fn since(quarter: Period) -> NaiveDate {
    quarter.back(1).first_day()
}

/// The report of `quarter` on `today` from its candidates (any superset of the rows in the
/// report or the previous quarter's: the rest are left out here), for handläggare
/// `worker` if given. Pure: the tests pin the rules.
#[must_use]
pub fn compute(
    candidates: &[Candidate],
    quarter: Period,
    today: NaiveDate,
    worker: Option<&str>,
) -> Ivo {
    let r = report_date(quarter, today);
    let previous = quarter.back(1);
    let r_previous = report_date(previous, today);
    let mut rows: Vec<IvoRow> = candidates
        .iter()
        .filter(|c| worker.is_none_or(|w| c.worker_id.as_deref() == Some(w)))
        .filter_map(|c| {
            c.first_reported(quarter, r)?;
            let base = c.base()?;
            let stop = c.stop().filter(|(s, _)| *s <= r);
            let (status, status_date, until) = match stop {
                None => (
                    match c.kind {
                        Kind::Beslut => Status::EjVerkstallt,
                        Kind::Avbrott => Status::Avbrott,
                    },
                    None,
                    r,
                ),
                Some((day, status)) => (status, Some(day), day),
            };
            Some(IvoRow {
                kind: c.kind,
                intervention_id: c.intervention_id.clone(),
                interruption_id: c.interruption_id.clone(),
                case_id: c.case_id.clone(),
                worker_id: c.worker_id.clone(),
                client_label: c.client_label.clone(),
                insats_code: c.insats_code.clone(),
                law: c.law.clone(),
                sex: c.sex,
                decided: c.decided,
                interrupted: c.interrupted,
                status,
                status_date,
                days: days_between(base, until),
                offered: c.offered,
                delay_reason: c.delay_reason.clone(),
                reason: c.reason.clone(),
                new: c.first_reported(previous, r_previous).is_none(),
            })
        })
        .collect();
    rows.sort_by(|a, b| {
        let key = |x: &IvoRow| {
            (
                x.kind,
                match x.kind {
                    Kind::Beslut => x.decided,
                    Kind::Avbrott => x.interrupted,
                },
            )
        };
        key(a)
            .cmp(&key(b))
            .then_with(|| a.intervention_id.cmp(&b.intervention_id))
            .then_with(|| a.interruption_id.cmp(&b.interruption_id))
    });
    let mut groups: BTreeMap<(Kind, Option<String>, String, usize, Band), u64> = BTreeMap::new();
    for row in rows.iter().filter(|x| x.status.waiting()) {
        let base = match row.kind {
            Kind::Beslut => row.decided,
            Kind::Avbrott => row.interrupted,
        };
        let Some(base) = base else { continue };
        *groups
            .entry((
                row.kind,
                row.law.clone(),
                row.insats_code.clone(),
                sex_index(row.sex),
                Band::of(base, r),
            ))
            .or_insert(0) += 1;
    }
    let summary = groups
        .into_iter()
        .map(|((kind, law, insats_code, sex, band), count)| SummaryRow {
            kind,
            law,
            insats_code,
            sex: crate::domain::processing::SEXES[sex],
            band,
            count,
        })
        .collect();
    Ivo {
        quarter: Some(quarter),
        report_date: r,
        rows,
        summary,
        worker_id: worker.map(str::to_string),
        ..Ivo::default()
    }
}

/// Loads `quarter`'s report for `filter` (and handläggare `worker`) on `today`.
///
/// # Errors
/// SQLite errors, and a date or kön the snapshot cannot hold.
pub fn load<'a>(
    db: impl Into<Readers<'a>>,
    filter: &Filter,
    worker: Option<&str>,
    quarter: Period,
    today: NaiveDate,
) -> rusqlite::Result<Ivo> {
    let db = db.into();
    let conn = db.main;
    let r = report_date(quarter, today);
    // Only what the quarter reports is kept ([`compute`] looks at nothing else).
    let candidates = queries::ivo_candidates_kept(conn, filter, since(quarter), r, |c| {
        c.first_reported(quarter, r).is_some()
    })?;
    let mut ivo = compute(&candidates, quarter, today, worker);
    let types = queries::insats_types(conn)?;
    let shared = |name: &str| types.iter().filter(|t| t.name == name).count() > 1;
    ivo.insats_names = types
        .iter()
        .map(|t| {
            let name = if shared(&t.name) {
                format!("{} ({})", t.name, t.area)
            } else {
                t.name.clone()
            };
            (t.insats_code.clone(), name)
        })
        .collect();
    ivo.worker_names = queries::case_workers(conn, &Filter::default())?
        .into_iter()
        .map(|w| (w.worker_id, w.name))
        .collect();
    Ok(ivo)
}

/// The quarter `today` falls in.
#[must_use]
pub fn quarter_of(today: NaiveDate) -> Period {
    Period::of(PeriodKind::Quarter, today)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        crate::domain::dates::parse_iso(s).expect("date")
    }

    fn q(s: &str) -> Period {
        Period::parse(s).expect("quarter")
    }

    fn decision(id: &str, decided: &str) -> Candidate {
        Candidate {
            kind: Kind::Beslut,
            intervention_id: id.into(),
            interruption_id: None,
            case_id: "C1".into(),
            worker_id: Some("H1".into()),
            client_label: Some("A.B. 1950".into()),
            insats_code: "GB".into(),
            law: Some("LSS".into()),
            sex: Some(Sex::K),
            decided: Some(d(decided)),
            interrupted: None,
            resumed: None,
            end: None,
            case_closed: None,
            offered: None,
            delay_reason: None,
            reason: None,
        }
    }

    fn avbrott(id: &str, interrupted: &str, resumed: Option<&str>) -> Candidate {
        Candidate {
            kind: Kind::Avbrott,
            interruption_id: Some(id.into()),
            interrupted: Some(d(interrupted)),
            resumed: resumed.map(d),
            decided: Some(d("2013-01-10")),
            ..decision("I9", "2013-01-10")
        }
    }

    #[test]
    fn month_end_31_august_plus_three_months_is_30_november() {
        let c = decision("I1", "2014-08-31");
        // Waiting on 30 Nov is not past three months; 1 Dec is the first such day.
        assert_eq!(c.first_reported(q("2014-Q4"), d("2014-11-30")), None);
        assert_eq!(
            c.first_reported(q("2014-Q4"), d("2014-12-31")),
            Some(d("2014-12-01"))
        );
        let ivo = compute(&[c], q("2014-Q4"), d("2014-12-31"), None);
        assert_eq!(ivo.rows.len(), 1);
        assert_eq!(ivo.rows[0].days, 122);
        assert!(ivo.rows[0].new, "not past three months in Q3");
    }

    #[test]
    fn started_mid_quarter_after_three_months_is_reported_as_verkstallt() {
        let mut c = decision("I1", "2014-06-15");
        c.resumed = Some(d("2014-11-20"));
        let ivo = compute(&[c], q("2014-Q4"), d("2014-12-31"), None);
        let row = &ivo.rows[0];
        assert_eq!(row.status, Status::Verkstallt);
        assert_eq!(row.status_date, Some(d("2014-11-20")));
        assert_eq!(row.days, 158);
        assert!(!row.new, "in Q3's report from 16 Sep");
        assert!(
            ivo.summary.is_empty(),
            "only rows still waiting are summarised"
        );
    }

    #[test]
    fn start_end_and_closing_on_the_same_day_count_the_start_first() {
        let mut c = decision("I1", "2014-06-15");
        c.resumed = Some(d("2014-10-10"));
        c.end = Some(d("2014-10-10"));
        c.case_closed = Some(d("2014-10-10"));
        assert_eq!(c.stop(), Some((d("2014-10-10"), Status::Verkstallt)));
        c.resumed = None;
        assert_eq!(c.stop(), Some((d("2014-10-10"), Status::Avslutat)));
        let ivo = compute(&[c], q("2014-Q4"), d("2014-12-31"), None);
        assert_eq!(ivo.rows[0].status, Status::Avslutat);
    }

    #[test]
    fn a_stop_on_the_first_reportable_day_keeps_it_out() {
        let mut c = decision("I1", "2014-08-31");
        c.resumed = Some(d("2014-12-01"));
        let ivo = compute(&[c.clone()], q("2014-Q4"), d("2014-12-31"), None);
        assert!(ivo.rows.is_empty());
        c.resumed = Some(d("2014-12-02"));
        let ivo = compute(&[c], q("2014-Q4"), d("2014-12-31"), None);
        assert_eq!(ivo.rows[0].status, Status::Verkstallt);
    }

    #[test]
    fn avbrott_resumed_and_interrupted_again_are_two_rows() {
        let first = avbrott("AV1", "2014-03-01", Some("2014-10-15"));
        let again = avbrott("AV2", "2014-11-01", None);
        let long_again = avbrott("AV3", "2014-07-01", None);
        let ivo = compute(
            &[first, again, long_again],
            q("2014-Q4"),
            d("2014-12-31"),
            None,
        );
        let ids: Vec<_> = ivo
            .rows
            .iter()
            .map(|r| (r.interruption_id.as_deref(), r.status, r.new))
            .collect();
        assert_eq!(
            ids,
            [
                (Some("AV1"), Status::Aterupptaget, false),
                (Some("AV3"), Status::Avbrott, true),
            ],
            "AV2 is under three months on the report date"
        );
        assert_eq!(ivo.rows[1].days, 183);
        assert_eq!(ivo.summary.len(), 1);
        assert_eq!(ivo.summary[0].band, Band::ThreeToSix, "31 Dec <= 1 Jan");
    }

    #[test]
    fn report_date_is_today_within_the_quarter() {
        let c = decision("I1", "2014-07-01");
        let ivo = compute(&[c], q("2014-Q4"), d("2014-11-15"), None);
        assert_eq!(ivo.report_date, d("2014-11-15"));
        assert_eq!(ivo.rows[0].days, 137);
        assert_eq!(ivo.rows[0].status, Status::EjVerkstallt);
        assert_eq!(ivo.summary[0].band, Band::ThreeToSix);
        assert_eq!(ivo.summary[0].count, 1);
    }

    #[test]
    fn bands_count_from_the_decision() {
        let r = d("2014-12-31");
        assert_eq!(Band::of(d("2014-07-01"), r), Band::ThreeToSix);
        assert_eq!(
            Band::of(d("2014-06-30"), r),
            Band::SixToTwelve,
            "30 Jun + 6 = 30 Dec"
        );
        assert_eq!(Band::of(d("2013-12-31"), r), Band::SixToTwelve);
        assert_eq!(Band::of(d("2013-12-30"), r), Band::OverTwelve);
    }

    #[test]
    fn a_worker_filter_keeps_their_cases() {
        let mut other = decision("I2", "2014-01-01");
        other.worker_id = Some("H2".into());
        let both = [decision("I1", "2014-01-01"), other];
        let ivo = compute(&both, q("2014-Q4"), d("2014-12-31"), Some("H2"));
        assert_eq!(ivo.rows.len(), 1);
        assert_eq!(ivo.rows[0].intervention_id, "I2");
    }
}
