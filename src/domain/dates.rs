//! Calendar arithmetic as DOMAIN.md defines it: whole calendar days, and months that clamp
//! to the month's end (31 Jan + 1 month = 28/29 Feb; 29 Feb one year back = 28 Feb).

use chrono::{Datelike, Months, NaiveDate};

/// Parses a snapshot date: exactly `YYYY-MM-DD`.
#[must_use]
pub fn parse_iso(text: &str) -> Option<NaiveDate> {
    let bytes = text.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

/// `date` plus `months` calendar months, clamped to the end of the target month.
#[must_use]
pub fn add_months(date: NaiveDate, months: u32) -> NaiveDate {
    date.checked_add_months(Months::new(months))
        .unwrap_or(NaiveDate::MAX)
}

/// The same date `years` years earlier (29 Feb → 28 Feb).
#[must_use]
pub fn years_before(date: NaiveDate, years: u32) -> NaiveDate {
    date.checked_sub_months(Months::new(years.saturating_mul(12)))
        .unwrap_or(NaiveDate::MIN)
}

/// Whole calendar days from `from` to `to` (negative when `to` is earlier).
#[must_use]
pub fn days_between(from: NaiveDate, to: NaiveDate) -> i64 {
    (to - from).num_days()
}

/// The quarter label of a date, e.g. `2014-Q4`.
#[must_use]
pub fn quarter_label(date: NaiveDate) -> String {
    format!("{}-Q{}", date.year(), date.month0() / 3 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        parse_iso(s).expect("test date")
    }

    #[test]
    fn parse_accepts_only_iso_days() {
        assert_eq!(
            parse_iso("2014-12-31"),
            NaiveDate::from_ymd_opt(2014, 12, 31)
        );
        for bad in [
            "2014-2-3",
            "2014-02-30",
            "31/12/2014",
            "2014-12-31 ",
            "",
            "20141231",
        ] {
            assert_eq!(parse_iso(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn months_clamp_to_month_end() {
        assert_eq!(add_months(d("2014-01-31"), 1), d("2014-02-28"));
        assert_eq!(add_months(d("2016-01-31"), 1), d("2016-02-29"));
        assert_eq!(add_months(d("2015-02-28"), 12), d("2016-02-28"));
        assert_eq!(add_months(d("2014-08-31"), 3), d("2014-11-30"));
    }

    #[test]
    fn leap_day_one_year_back_is_28_february() {
        assert_eq!(years_before(d("2016-02-29"), 1), d("2015-02-28"));
        assert_eq!(years_before(d("2016-02-29"), 2), d("2014-02-28"));
        assert_eq!(years_before(d("2014-12-31"), 2), d("2012-12-31"));
    }

    #[test]
    fn quarters() {
        assert_eq!(quarter_label(d("2014-03-31")), "2014-Q1");
        assert_eq!(quarter_label(d("2014-04-01")), "2014-Q2");
        assert_eq!(quarter_label(d("2014-12-31")), "2014-Q4");
    }
}
