//! Indicator status against årsmål (DOMAIN.md "Indicator status"): which period of a year
//! counts, how the value is judged against a numeric target with its tolerance or against
//! last year's value for `öka` / `minska`, and the sentence that says why. The goal chain
//! around the indicators (tree, summaries, series) is in [`tree`].
//!
//! Decisions the rule leaves open, made here once:
//! - Periods ending on the same day: the longer one wins (full year, then tertial, then
//!   quarter, then month), so T3 beats Q4 and Q4 beats December. Within one year no two
//!   periods of the same kind end on the same day, so this order is total.
//! - A numeric target wins over a `target_text`; `öka` / `minska` (any case, `oka` too,
//!   surrounding spaces ignored) count only without one. Any other text is shown as written
//!   and gives `ej_malsatt`.
//! - No value in the year is `ej_matt`, whatever the target.
//! - Comparisons allow for binary rounding (1e-9 relative), so 6,09 is within 5,8 + 0,29.

pub mod tree;

use chrono::NaiveDate;

use crate::model::{Direction, Indicator, IndicatorValue};
use crate::snapshot::queries::{self, Filter};

pub use tree::{
    Assessed, Movement, Node, Overview, Point, Rows, Since, Summary, assessment_label,
    direction_label, level_label, movement,
};

/// Computes the view of the filter's unit (its team plays no part: goals have none) for
/// `year`, or by default today's year, else the latest year with indicators.
///
/// # Errors
/// SQLite errors.
pub fn load(
    conn: &rusqlite::Connection,
    filter: &Filter,
    year: Option<i32>,
    today: NaiveDate,
    tolerance_percent: u32,
) -> rusqlite::Result<Overview> {
    let rows = Rows {
        goals: queries::goals(conn)?,
        indicators: queries::indicators(conn)?,
        values: queries::indicator_values(conn)?,
    };
    Ok(Overview::compute(
        rows,
        filter.unit_id.as_deref(),
        year,
        today,
        tolerance_percent,
    ))
}

/// An indicator's status for a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Status {
    Uppfyllt,
    Delvis,
    EjUppfyllt,
    EjMalsatt,
    EjMatt,
}

impl Status {
    pub const ALL: [Status; 5] = [
        Status::Uppfyllt,
        Status::Delvis,
        Status::EjUppfyllt,
        Status::EjMalsatt,
        Status::EjMatt,
    ];

    /// DOMAIN.md's ASCII name (reports, JSON).
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Status::Uppfyllt => "uppfyllt",
            Status::Delvis => "delvis",
            Status::EjUppfyllt => "ej_uppfyllt",
            Status::EjMalsatt => "ej_malsatt",
            Status::EjMatt => "ej_matt",
        }
    }

    /// The Swedish words on screen.
    #[must_use]
    pub const fn label(self) -> &'static str {
        match self {
            Status::Uppfyllt => "uppfyllt",
            Status::Delvis => "delvis",
            Status::EjUppfyllt => "ej uppfyllt",
            Status::EjMalsatt => "ej målsatt",
            Status::EjMatt => "ej mätt",
        }
    }

    /// Position in [`Status::ALL`], for counting.
    #[must_use]
    pub const fn index(self) -> usize {
        self as usize
    }

    /// Measured against a target and short of it: what a tertial report has to explain.
    #[must_use]
    pub const fn not_fulfilled(self) -> bool {
        matches!(self, Status::Delvis | Status::EjUppfyllt)
    }
}

/// What part of a year a period covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Span {
    /// The full year: the verksamhetsberättelse (VB) value.
    Year,
    /// T1 = January–April, T2 = May–August, T3 = September–December.
    Tertial(u8),
    Quarter(u8),
    Month(u8),
}

/// A parsed `indicator_values.period`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Period {
    pub year: i32,
    pub span: Span,
}

impl Period {
    /// Parses `2014`, `2014-T1`..`T3`, `2014-Q1`..`Q4`, `2014-01`..`12` (any case, spaces
    /// around ignored); `None` for anything else.
    #[must_use]
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        let (year, rest) = match text.split_once('-') {
            Some((y, r)) => (y, Some(r)),
            None => (text, None),
        };
        if year.len() != 4 || !year.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let year: i32 = year.parse().ok()?;
        let span = match rest.map(str::as_bytes) {
            None => Span::Year,
            Some([t, n @ b'1'..=b'3']) if t.eq_ignore_ascii_case(&b'T') => Span::Tertial(n - b'0'),
            Some([q, n @ b'1'..=b'4']) if q.eq_ignore_ascii_case(&b'Q') => Span::Quarter(n - b'0'),
            Some([a @ b'0'..=b'1', b @ b'0'..=b'9']) => {
                let m = (a - b'0') * 10 + (b - b'0');
                if !(1..=12).contains(&m) {
                    return None;
                }
                Span::Month(m)
            }
            _ => return None,
        };
        Some(Self { year, span })
    }

    /// The last month the period covers.
    #[must_use]
    pub const fn last_month(self) -> u32 {
        match self.span {
            Span::Year => 12,
            Span::Tertial(n) => 4 * n as u32,
            Span::Quarter(n) => 3 * n as u32,
            Span::Month(m) => m as u32,
        }
    }

    /// The day the period ends.
    #[must_use]
    pub fn end(self) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(self.year, self.last_month(), 1)
            .and_then(|d| d.checked_add_months(chrono::Months::new(1)))
            .and_then(|d| d.pred_opt())
    }

    /// Orders periods by when they end; at the same end, the longer period is later.
    #[must_use]
    pub const fn order_key(self) -> (i32, u32, u8) {
        let breadth = match self.span {
            Span::Year => 3,
            Span::Tertial(_) => 2,
            Span::Quarter(_) => 1,
            Span::Month(_) => 0,
        };
        (self.year, self.last_month(), breadth)
    }

    /// How the seeds' tables write it: `VB 2014`, `T1 2014`, `Q3 2014`, `2014-03`.
    #[must_use]
    pub fn label(self) -> String {
        match self.span {
            Span::Year => format!("VB {}", self.year),
            Span::Tertial(n) => format!("T{n} {}", self.year),
            Span::Quarter(n) => format!("Q{n} {}", self.year),
            Span::Month(m) => format!("{}-{m:02}", self.year),
        }
    }
}

/// A period as written in the snapshot, shown as the seeds write it when it parses.
#[must_use]
pub fn period_label(text: &str) -> String {
    Period::parse(text).map_or_else(|| text.to_string(), Period::label)
}

/// The value of `year` that counts: among `values` whose period falls in `year`, the one
/// whose period ends latest (see the module's note on ties).
pub fn latest<'a>(
    values: impl IntoIterator<Item = &'a IndicatorValue>,
    year: i32,
) -> Option<(&'a IndicatorValue, Period)> {
    values
        .into_iter()
        .filter_map(|v| Period::parse(&v.period).map(|p| (v, p)))
        .filter(|(_, p)| p.year == year)
        .max_by_key(|(_, p)| p.order_key())
}

/// The full-year value for `year` among `values`.
pub fn full_year<'a>(
    values: impl IntoIterator<Item = &'a IndicatorValue>,
    year: i32,
) -> Option<&'a IndicatorValue> {
    values.into_iter().find(|v| {
        Period::parse(&v.period)
            == Some(Period {
                year,
                span: Span::Year,
            })
    })
}

/// A textual target the rule can judge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trend {
    Oka,
    Minska,
}

impl Trend {
    #[must_use]
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_lowercase().as_str() {
            "öka" | "oka" => Some(Trend::Oka),
            "minska" => Some(Trend::Minska),
            _ => None,
        }
    }

    const fn word(self) -> &'static str {
        match self {
            Trend::Oka => "öka",
            Trend::Minska => "minska",
        }
    }
}

/// The outcome of the rule for one indicator and year.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    pub status: Status,
    /// The tolerance used, when a numeric target was judged.
    pub tolerance: Option<f64>,
    /// Why, in words: "T2 2014: 79 % mot årsmål 80 %, tolerans 4 → delvis".
    pub explanation: String,
}

const EPS: f64 = 1e-9;

fn at_least(value: f64, bound: f64) -> bool {
    value >= bound - EPS * bound.abs().max(1.0)
}

fn same(a: f64, b: f64) -> bool {
    (a - b).abs() <= EPS * a.abs().max(b.abs()).max(1.0)
}

/// A number as Swedish reports write it: decimal comma, at most four decimals, no
/// trailing zeros, a true minus sign.
#[must_use]
pub fn number(value: f64) -> String {
    let text = format!("{value:.4}");
    let text = if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.')
    } else {
        text.as_str()
    };
    let text = if text == "-0" { "0" } else { text };
    text.replacen('-', "\u{2212}", 1).replace('.', ",")
}

/// A value with its measure: `79 %`, `14 dagar`; an index or a bare number alone.
#[must_use]
pub fn with_measure(value: f64, measure: Option<&str>) -> String {
    match measure.map(str::trim) {
        None | Some("" | "index") => number(value),
        Some(m) => format!("{} {m}", number(value)),
    }
}

/// Judges `indicator` for `year` from its `latest` value of that year and the `previous`
/// year's full-year value, with `tolerance_percent` of |årsmål| when the indicator has no
/// tolerance of its own. The rule of DOMAIN.md "Indicator status".
#[must_use]
pub fn judge(
    indicator: &Indicator,
    latest: Option<(f64, Period)>,
    previous: Option<f64>,
    year: i32,
    tolerance_percent: u32,
) -> Verdict {
    let measure = indicator.measure.as_deref();
    let show = |v: f64| with_measure(v, measure);
    let Some((value, period)) = latest else {
        return Verdict {
            status: Status::EjMatt,
            tolerance: None,
            explanation: format!("inget utfall för {year} → {}", Status::EjMatt.label()),
        };
    };
    let head = format!("{}: {}", period.label(), show(value));
    if let Some(target) = indicator.target {
        let (tolerance, source) = match indicator.tolerance {
            Some(t) => (t, String::new()),
            None => (
                target.abs() * f64::from(tolerance_percent) / 100.0,
                format!(" ({tolerance_percent} % av årsmålet)"),
            ),
        };
        let status = match indicator.direction {
            Direction::Higher if at_least(value, target) => Status::Uppfyllt,
            Direction::Higher if at_least(value, target - tolerance) => Status::Delvis,
            Direction::Lower if at_least(target, value) => Status::Uppfyllt,
            Direction::Lower if at_least(target + tolerance, value) => Status::Delvis,
            _ => Status::EjUppfyllt,
        };
        let lower = match indicator.direction {
            Direction::Lower => ", lägre är bättre",
            Direction::Higher => "",
        };
        return Verdict {
            status,
            tolerance: Some(tolerance),
            explanation: format!(
                "{head} mot årsmål {}{lower}, tolerans {}{source} → {}",
                show(target),
                number(tolerance),
                status.label()
            ),
        };
    }
    let text = indicator.target_text.as_deref().unwrap_or("");
    let Some(trend) = Trend::parse(text) else {
        let quoted = if text.trim().is_empty() {
            String::new()
        } else {
            format!(" (årsmål: \"{}\")", text.trim())
        };
        return Verdict {
            status: Status::EjMalsatt,
            tolerance: None,
            explanation: format!(
                "{head}, inget numeriskt årsmål och inget öka/minska{quoted} → {}",
                Status::EjMalsatt.label()
            ),
        };
    };
    let Some(prev) = previous else {
        return Verdict {
            status: Status::EjMalsatt,
            tolerance: None,
            explanation: format!(
                "{head}, årsmål {}, men inget helårsutfall för {} att jämföra med → {}",
                trend.word(),
                year - 1,
                Status::EjMalsatt.label()
            ),
        };
    };
    let better = match trend {
        Trend::Oka => value > prev,
        Trend::Minska => value < prev,
    };
    let status = if same(value, prev) {
        Status::Delvis
    } else if better {
        Status::Uppfyllt
    } else {
        Status::EjUppfyllt
    };
    Verdict {
        status,
        tolerance: None,
        explanation: format!(
            "{head} mot {} för VB {}, årsmål {} → {}",
            show(prev),
            year - 1,
            trend.word(),
            status.label()
        ),
    }
}

#[cfg(test)]
mod tests;
