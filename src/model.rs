//! Typed rows of the snapshot, one struct per table of `db/schema.sql`.
//!
//! These are the values every other layer works with: the importer and the demo produce
//! them, the snapshot writer stores them, and the queries return them (or aggregates of
//! them). Enumerated columns get Rust enums so that a misspelt outcome cannot reach a rule.

use chrono::NaiveDate;

/// `applications.outcome`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Outcome {
    Beviljad,
    Avslag,
    Delvis,
    Aterkallad,
}

/// `goals.level`: the links of the målkedja, top to bottom.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum GoalLevel {
    Inriktningsmal,
    Verksamhetsmal,
    Namndmal,
    Atagande,
    Aktivitet,
}

/// `goals.assessment`: how a goal or åtagande is judged ("Uppfylls helt").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Assessment {
    Helt,
    Delvis,
    Ej,
}

/// `cases.sex` (version 2): kvinna or man; a case without it is "okänt", never left out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Sex {
    K,
    M,
}

/// `indicators.direction`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    Higher,
    Lower,
}

macro_rules! ascii_enum {
    ($ty:ty { $($variant:ident => $text:literal),+ $(,)? }) => {
        impl $ty {
            /// Every value, in declaration order.
            pub const ALL: &'static [$ty] = &[$(<$ty>::$variant),+];

            /// The lowercase ASCII name used in the snapshot and in reports.
            #[must_use]
            pub const fn as_str(self) -> &'static str {
                match self { $(<$ty>::$variant => $text),+ }
            }

            /// Parses the snapshot's ASCII name; `None` for anything else.
            #[must_use]
            pub fn parse(text: &str) -> Option<Self> {
                match text { $($text => Some(<$ty>::$variant),)+ _ => None }
            }

            /// The accepted names, for error messages.
            #[must_use]
            pub fn expected() -> String {
                [$($text),+].join(", ")
            }
        }

        impl std::fmt::Display for $ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

ascii_enum!(Outcome { Beviljad => "beviljad", Avslag => "avslag", Delvis => "delvis", Aterkallad => "aterkallad" });
ascii_enum!(GoalLevel {
    Inriktningsmal => "inriktningsmal",
    Verksamhetsmal => "verksamhetsmal",
    Namndmal => "namndmal",
    Atagande => "atagande",
    Aktivitet => "aktivitet",
});
ascii_enum!(Assessment { Helt => "helt", Delvis => "delvis", Ej => "ej" });
ascii_enum!(Sex { K => "K", M => "M" });
ascii_enum!(Direction { Higher => "higher", Lower => "lower" });

#[derive(Debug, Clone, PartialEq)]
pub struct Unit {
    pub unit_id: String,
    pub name: String,
    pub district: Option<String>,
    pub area: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CaseWorker {
    pub worker_id: String,
    pub name: String,
    pub unit_id: String,
    pub team: Option<String>,
    /// Version 2: the handläggare's user name on the jump host, as the OS gives it.
    pub login: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct InsatsType {
    pub insats_code: String,
    pub name: String,
    pub area: String,
    pub law: Option<String>,
    /// Handläggningstid goal in days (14 for hemtjänst, 30 for vård- och omsorgsboende).
    pub target_days: Option<i64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Case {
    pub case_id: String,
    pub unit_id: String,
    pub team: Option<String>,
    pub worker_id: Option<String>,
    pub client_label: Option<String>,
    pub opened: NaiveDate,
    pub closed: Option<NaiveDate>,
    /// Version 2: `K`, `M`, or not known.
    pub sex: Option<Sex>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Application {
    pub application_id: String,
    pub case_id: String,
    pub insats_code: String,
    pub received: NaiveDate,
    pub investigation_started: Option<NaiveDate>,
    pub decided: Option<NaiveDate>,
    pub outcome: Option<Outcome>,
    pub worker_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Intervention {
    pub intervention_id: String,
    pub case_id: String,
    pub application_id: Option<String>,
    pub insats_code: String,
    pub decided: Option<NaiveDate>,
    pub start: Option<NaiveDate>,
    pub end: Option<NaiveDate>,
    pub provider: Option<String>,
    pub ordered: Option<NaiveDate>,
    pub plan_received: Option<NaiveDate>,
    pub last_followup: Option<NaiveDate>,
    /// Version 2: the day verkställighet was last offered to the person.
    pub offered: Option<NaiveDate>,
    /// Version 2: why it is not verkställd (free text from the case system).
    pub delay_reason: Option<String>,
}

/// Version 2: an avbrott i verkställigheten of an intervention.
#[derive(Debug, Clone, PartialEq)]
pub struct Interruption {
    pub interruption_id: String,
    pub intervention_id: String,
    /// The day verkställigheten stopped.
    pub interrupted: NaiveDate,
    /// The day it started again; `None` while interrupted.
    pub resumed: Option<NaiveDate>,
    pub reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Followup {
    pub followup_id: String,
    pub case_id: String,
    pub kind: String,
    pub due: NaiveDate,
    pub done: Option<NaiveDate>,
    pub worker_id: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Goal {
    pub goal_id: String,
    pub parent_id: Option<String>,
    pub unit_id: Option<String>,
    pub level: GoalLevel,
    pub code: Option<String>,
    pub title: String,
    pub assessment: Option<Assessment>,
    pub start: Option<NaiveDate>,
    pub end: Option<NaiveDate>,
    pub comment: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Indicator {
    pub indicator_id: String,
    pub goal_id: Option<String>,
    pub unit_id: Option<String>,
    pub name: String,
    pub year: i32,
    pub measure: Option<String>,
    pub direction: Direction,
    pub periodicity: Option<String>,
    pub target: Option<f64>,
    pub target_text: Option<String>,
    pub city_target: Option<f64>,
    pub city_target_text: Option<String>,
    pub tolerance: Option<f64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorValue {
    pub indicator_id: String,
    pub period: String,
    pub value: f64,
    pub comment: Option<String>,
}

/// A whole snapshot's rows, as produced by the importer or the demo and consumed by the
/// writer. The views never load this: they query what they need (`snapshot split` reads
/// one whole, to write it again in parts).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Dataset {
    pub units: Vec<Unit>,
    pub case_workers: Vec<CaseWorker>,
    pub insats_types: Vec<InsatsType>,
    pub cases: Vec<Case>,
    pub applications: Vec<Application>,
    pub interventions: Vec<Intervention>,
    pub interruptions: Vec<Interruption>,
    pub followups: Vec<Followup>,
    pub goals: Vec<Goal>,
    pub indicators: Vec<Indicator>,
    pub indicator_values: Vec<IndicatorValue>,
}

impl Dataset {
    /// Appends the rows of `other`, table by table.
    pub fn append(&mut self, other: Self) {
        let Self {
            units,
            case_workers,
            insats_types,
            cases,
            applications,
            interventions,
            interruptions,
            followups,
            goals,
            indicators,
            indicator_values,
        } = other;
        self.units.extend(units);
        self.case_workers.extend(case_workers);
        self.insats_types.extend(insats_types);
        self.cases.extend(cases);
        self.applications.extend(applications);
        self.interventions.extend(interventions);
        self.interruptions.extend(interruptions);
        self.followups.extend(followups);
        self.goals.extend(goals);
        self.indicators.extend(indicators);
        self.indicator_values.extend(indicator_values);
    }

    /// The number of rows of each table, in [`TABLES`] order.
    #[must_use]
    pub fn lens(&self) -> [usize; TABLES.len()] {
        [
            self.units.len(),
            self.case_workers.len(),
            self.insats_types.len(),
            self.cases.len(),
            self.applications.len(),
            self.interventions.len(),
            self.interruptions.len(),
            self.followups.len(),
            self.goals.len(),
            self.indicators.len(),
            self.indicator_values.len(),
        ]
    }
}

/// The tables of the snapshot in the order they must be written (references first).
pub const TABLES: [&str; 11] = [
    "units",
    "case_workers",
    "insats_types",
    "cases",
    "applications",
    "interventions",
    "interruptions",
    "followups",
    "goals",
    "indicators",
    "indicator_values",
];
