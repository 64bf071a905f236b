//! The periods a figure is given by (DOMAIN.md "Periods"): quarters (`2014-Q4`), tertials
//! (`2014-T1` Jan–Apr, `2014-T2` May–Aug, `2014-T3` Sep–Dec: the unit reports' rhythm),
//! half-years (`2014-H1`, Kolada's) and years (`2014`).
//!
//! A period is a run of whole calendar months starting in January, so one type with the
//! number of months per period covers all four kinds.

use std::fmt;

use chrono::{Datelike, NaiveDate};

/// How a figure is grouped in time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub enum PeriodKind {
    #[default]
    Quarter,
    Tertial,
    Half,
    Year,
}

impl PeriodKind {
    /// Every kind, in the order a key steps through them.
    pub const ALL: [PeriodKind; 4] = [
        PeriodKind::Quarter,
        PeriodKind::Tertial,
        PeriodKind::Half,
        PeriodKind::Year,
    ];

    /// Calendar months per period.
    #[must_use]
    pub const fn months(self) -> u32 {
        match self {
            PeriodKind::Quarter => 3,
            PeriodKind::Tertial => 4,
            PeriodKind::Half => 6,
            PeriodKind::Year => 12,
        }
    }

    /// Periods per year.
    #[must_use]
    pub const fn per_year(self) -> u32 {
        12 / self.months()
    }

    /// The name on the command line and in JSON (`quarter`, `tertial`, `half`, `year`).
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            PeriodKind::Quarter => "quarter",
            PeriodKind::Tertial => "tertial",
            PeriodKind::Half => "half",
            PeriodKind::Year => "year",
        }
    }

    /// The Swedish word, as a column heading or in a title ("Kvartal", "Tertial" …).
    #[must_use]
    pub const fn heading(self) -> &'static str {
        match self {
            PeriodKind::Quarter => "Kvartal",
            PeriodKind::Tertial => "Tertial",
            PeriodKind::Half => "Halvår",
            PeriodKind::Year => "År",
        }
    }

    /// "per kvartal", "per tertial" … for titles.
    #[must_use]
    pub const fn per(self) -> &'static str {
        match self {
            PeriodKind::Quarter => "per kvartal",
            PeriodKind::Tertial => "per tertial",
            PeriodKind::Half => "per halvår",
            PeriodKind::Year => "per år",
        }
    }

    /// The next kind, round.
    #[must_use]
    pub fn next(self) -> Self {
        let i = Self::ALL.iter().position(|k| *k == self).unwrap_or(0);
        Self::ALL[(i + 1) % Self::ALL.len()]
    }
}

/// One period of a kind: `number` counts from 1 within the year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Period {
    pub kind: PeriodKind,
    pub year: i32,
    pub number: u32,
}

impl Period {
    /// The period of `kind` that `date` falls in.
    #[must_use]
    pub fn of(kind: PeriodKind, date: NaiveDate) -> Self {
        Self {
            kind,
            year: date.year(),
            number: date.month0() / kind.months() + 1,
        }
    }

    /// Periods since the year 0 began, so that periods of one kind subtract.
    #[must_use]
    pub fn ordinal(self) -> i64 {
        i64::from(self.year) * i64::from(self.kind.per_year()) + i64::from(self.number) - 1
    }

    /// The period of `kind` with ordinal `index`.
    #[must_use]
    pub fn from_ordinal(kind: PeriodKind, index: i64) -> Self {
        let per_year = i64::from(kind.per_year());
        Self {
            kind,
            year: i32::try_from(index.div_euclid(per_year)).unwrap_or(i32::MIN),
            number: u32::try_from(index.rem_euclid(per_year)).unwrap_or(0) + 1,
        }
    }

    /// The period `n` periods earlier.
    #[must_use]
    pub fn back(self, n: u32) -> Self {
        Self::from_ordinal(self.kind, self.ordinal() - i64::from(n))
    }

    /// The period after this one.
    #[must_use]
    pub fn next(self) -> Self {
        Self::from_ordinal(self.kind, self.ordinal() + 1)
    }

    /// Its first day (the first representable day for a year chrono cannot hold).
    #[must_use]
    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(
            self.year,
            self.number.saturating_sub(1) * self.kind.months() + 1,
            1,
        )
        .unwrap_or(NaiveDate::MIN)
    }

    /// Its last day.
    #[must_use]
    pub fn last_day(self) -> NaiveDate {
        let next = self.next();
        if next.year > self.year && self.year >= NaiveDate::MAX.year() {
            return NaiveDate::MAX;
        }
        next.first_day().pred_opt().unwrap_or(NaiveDate::MIN)
    }

    /// Whether `date` is in this period.
    #[must_use]
    pub fn contains(self, date: NaiveDate) -> bool {
        Self::of(self.kind, date) == self
    }

    /// Parses a label of any kind: `2014-Q4`, `2014-T1`, `2014-H2` or `2014`.
    #[must_use]
    pub fn parse(text: &str) -> Option<Self> {
        let (year, rest) = match text.split_once('-') {
            Some((year, rest)) => (year, Some(rest)),
            None => (text, None),
        };
        if year.len() != 4 || !year.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let year: i32 = year.parse().ok()?;
        let (kind, number) = match rest {
            None => (PeriodKind::Year, 1),
            Some(rest) => {
                let mut chars = rest.chars();
                let kind = match chars.next()?.to_ascii_uppercase() {
                    'Q' | 'K' => PeriodKind::Quarter,
                    'T' => PeriodKind::Tertial,
                    'H' => PeriodKind::Half,
                    _ => return None,
                };
                let number: u32 = chars.as_str().parse().ok()?;
                (kind, number)
            }
        };
        (1..=kind.per_year())
            .contains(&number)
            .then_some(Self { kind, year, number })
    }
}

/// `2014-Q4`, `2014-T1`, `2014-H2`, `2014`.
impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            PeriodKind::Quarter => write!(f, "{}-Q{}", self.year, self.number),
            PeriodKind::Tertial => write!(f, "{}-T{}", self.year, self.number),
            PeriodKind::Half => write!(f, "{}-H{}", self.year, self.number),
            PeriodKind::Year => write!(f, "{}", self.year),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        crate::domain::dates::parse_iso(s).expect("date")
    }

    #[test]
    fn tertials_are_january_to_april_may_to_august_september_to_december() {
        let t = |s| Period::of(PeriodKind::Tertial, d(s)).to_string();
        assert_eq!(t("2014-01-01"), "2014-T1");
        assert_eq!(t("2014-04-30"), "2014-T1");
        assert_eq!(t("2014-05-01"), "2014-T2");
        assert_eq!(t("2014-08-31"), "2014-T2");
        assert_eq!(t("2014-09-01"), "2014-T3");
        assert_eq!(t("2014-12-31"), "2014-T3");
    }

    #[test]
    fn periods_have_first_and_last_days() {
        let p = Period::of(PeriodKind::Tertial, d("2016-02-10"));
        assert_eq!(
            (p.first_day(), p.last_day()),
            (d("2016-01-01"), d("2016-04-30"))
        );
        let h = Period::of(PeriodKind::Half, d("2014-07-01"));
        assert_eq!(h.to_string(), "2014-H2");
        assert_eq!(
            (h.first_day(), h.last_day()),
            (d("2014-07-01"), d("2014-12-31"))
        );
        let y = Period::of(PeriodKind::Year, d("2014-07-01"));
        assert_eq!(y.to_string(), "2014");
        assert_eq!(y.last_day(), d("2014-12-31"));
        let q = Period::of(PeriodKind::Quarter, d("2016-02-29"));
        assert_eq!(q.last_day(), d("2016-03-31"));
    }

    #[test]
    fn periods_step_back_over_years() {
        let t = Period::of(PeriodKind::Tertial, d("2014-02-01"));
        assert_eq!(t.back(1).to_string(), "2013-T3");
        assert_eq!(t.back(7).to_string(), "2011-T3");
        let h = Period::of(PeriodKind::Half, d("2014-02-01"));
        assert_eq!(h.back(3).to_string(), "2012-H2");
        assert_eq!(
            Period::of(PeriodKind::Year, d("2014-02-01"))
                .back(7)
                .to_string(),
            "2007"
        );
    }

    #[test]
    fn labels_parse_back() {
        for label in ["2014-Q4", "2014-T3", "2014-H1", "2014"] {
            assert_eq!(
                Period::parse(label).map(|p| p.to_string()).as_deref(),
                Some(label)
            );
        }
        assert_eq!(Period::parse("2014-q1").map(|p| p.number), Some(1));
        for bad in [
            "2014-Q5", "2014-T4", "2014-H0", "14-Q1", "2014-X1", "", "2014-Q",
        ] {
            assert_eq!(Period::parse(bad), None, "{bad}");
        }
    }
}
