//! Calendar arithmetic as DOMAIN.md defines it: whole calendar days, and months that clamp
//! to the month's end (31 Jan + 1 month = 28/29 Feb; 29 Feb one year back = 28 Feb).

use chrono::{Datelike, Months, NaiveDate, TimeDelta};

/// The longest handläggningstid goal (`insats_types.target_days`) the rules compute with:
/// ten years. The CSV import refuses a longer one, and the views that use it refuse a
/// snapshot (written by another tool) that has one, naming the insats type and the value
/// ([`check_target_days`]), rather than show a figure computed from nonsense.
pub const MAX_TARGET_DAYS: i64 = 3650;

/// The years the CSV import accepts in a date. Any `YYYY-MM-DD` (years 0000–9999) is
/// within chrono's calendar with room to spare for the rules' arithmetic, but a case
/// opened in 0001 or a bevakning due in 9999 is a typing error, not a plan.
pub const IMPORT_YEARS: std::ops::RangeInclusive<i32> = 1900..=2199;

/// Parses a snapshot date: exactly `YYYY-MM-DD`, four digits of year (no sign).
#[must_use]
pub fn parse_iso(text: &str) -> Option<NaiveDate> {
    let bytes = text.as_bytes();
    if bytes.len() != 10
        || bytes[4] != b'-'
        || bytes[7] != b'-'
        || !bytes[..4].iter().all(u8::is_ascii_digit)
    {
        return None;
    }
    // Anything but a valid all-digit date goes to chrono, which decides as it always has.
    parse_digits(bytes).or_else(|| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok())
}

/// An all-digit `YYYY-MM-DD`, read directly, as nearly every date is (a million rows of an
/// import, a city's bevakningslista, have millions of dates); `None` for anything else,
/// including a day that does not exist. Where it gives a date, [`parse_iso`] gives the same.
#[must_use]
pub fn parse_digits(bytes: &[u8]) -> Option<NaiveDate> {
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    let number = |range: std::ops::Range<usize>| {
        bytes[range].iter().try_fold(0_u32, |n, &b| {
            b.is_ascii_digit().then(|| n * 10 + u32::from(b - b'0'))
        })
    };
    let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
    // Most dates are of these years: each such year's days are made once (by chrono, as
    // below) and then looked up, several times faster than chrono's check of each date.
    if let Some(days) = year
        .checked_sub(FIRST_KEPT_YEAR)
        .and_then(|y| KEPT_YEARS.get(y as usize))
    {
        if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
            return None;
        }
        let at = (month - 1) * 31 + day - 1;
        return days
            .get_or_init(|| days_of(year))
            .get(at as usize)
            .copied()
            .flatten();
    }
    NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)
}

/// The years whose days [`parse_digits`] keeps: 1900 to 2199.
const FIRST_KEPT_YEAR: u32 = 1900;
static KEPT_YEARS: [std::sync::OnceLock<[Option<NaiveDate>; 12 * 31]>; 300] =
    [const { std::sync::OnceLock::new() }; 300];

/// Every `(month, day)` of `year` as `(month - 1) * 31 + day - 1`; `None` where there is no
/// such day.
fn days_of(year: u32) -> [Option<NaiveDate>; 12 * 31] {
    let mut days = [None; 12 * 31];
    for (at, d) in (0_u32..).zip(days.iter_mut()) {
        *d = i32::try_from(year)
            .ok()
            .and_then(|y| NaiveDate::from_ymd_opt(y, at / 31 + 1, at % 31 + 1));
    }
    days
}

/// `date` plus `days` calendar days; `None` past either end of the calendar (a
/// `target_days` of 9 223 372 036 854 775 807 from a snapshot is an integer like any
/// other). Every rule adds days through this, never with `+`.
#[must_use]
pub fn add_days(date: NaiveDate, days: i64) -> Option<NaiveDate> {
    date.checked_add_signed(TimeDelta::try_days(days)?)
}

/// Whether every insats type's `target_days` is one the rules can compute with (0 to
/// [`MAX_TARGET_DAYS`]).
///
/// # Errors
/// The first that is not, naming the table, the insats type and the value; the report or
/// view that needs the targets then fails with it instead of showing a wrong figure.
pub fn check_target_days(types: &[crate::model::InsatsType]) -> rusqlite::Result<()> {
    match types
        .iter()
        .find(|t| t.target_days.is_some_and(|d| !(0..=MAX_TARGET_DAYS).contains(&d)))
    {
        None => Ok(()),
        Some(t) => Err(rusqlite::Error::ToSqlConversionFailure(
            format!(
                "insats_types, insats_code {:?}: target_days {} ligger utanför 0–{MAX_TARGET_DAYS} dagar",
                t.insats_code,
                t.target_days.unwrap_or_default()
            )
            .into(),
        )),
    }
}

/// `date` plus `months` calendar months, clamped to the end of the target month. Past the
/// end of the calendar it is the calendar's last day: a due date never reached (listed as
/// `senare`), never a panic.
#[must_use]
pub fn add_months(date: NaiveDate, months: u32) -> NaiveDate {
    date.checked_add_months(Months::new(months))
        .unwrap_or(NaiveDate::MAX)
}

/// The same date `years` years earlier (29 Feb → 28 Feb); before the calendar's start, its
/// first day.
#[must_use]
pub fn years_before(date: NaiveDate, years: u32) -> NaiveDate {
    date.checked_sub_months(Months::new(years.saturating_mul(12)))
        .unwrap_or(NaiveDate::MIN)
}

/// Whole calendar days from `from` to `to` (negative when `to` is earlier).
#[must_use]
pub fn days_between(from: NaiveDate, to: NaiveDate) -> i64 {
    // The days since the common era's start, subtracted: the same as `(to - from).num_days()`
    // for every date chrono has, in a few instructions instead of its 400-year cycles (a
    // six-city list asks this of each of its 330 000 items whenever it is filtered).
    i64::from(to.num_days_from_ce()) - i64::from(from.num_days_from_ce())
}

/// The quarter label of a date, e.g. `2014-Q4`.
#[must_use]
pub fn quarter_label(date: NaiveDate) -> String {
    format!("{}-Q{}", date.year(), date.month0() / 3 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `m` calendar months (clamped to the month's end) are never fewer than `28 * m` days:
    /// the bound [`crate::domain::deadlines::near_bounds`] reads the rows by.
    #[test]
    fn months_are_never_fewer_than_28_days_each() {
        let mut day = NaiveDate::from_ymd_opt(1999, 1, 1).expect("date");
        let last = NaiveDate::from_ymd_opt(2032, 12, 31).expect("date");
        while day <= last {
            for m in 0..=30_u32 {
                let days = days_between(day, add_months(day, m));
                assert!(days >= 28 * i64::from(m), "{day} + {m} months: {days} days");
            }
            day = day.succ_opt().expect("date");
        }
        // The bound is tight: a month from the 31st of January is 28 days.
        let jan31 = NaiveDate::from_ymd_opt(2015, 1, 31).expect("date");
        assert_eq!(days_between(jan31, add_months(jan31, 1)), 28);
    }

    fn d(s: &str) -> NaiveDate {
        parse_iso(s).expect("test date")
    }

    /// The kept years' days are chrono's, and so are those of the years around them; a
    /// month or day out of range is none.
    #[test]
    fn digits_read_as_chrono_reads_them_in_and_out_of_the_kept_years() {
        for year in [
            0_i32, 1, 1899, 1900, 1901, 2000, 2014, 2100, 2199, 2200, 9999,
        ] {
            for month in 0..=13 {
                for day in 0..=32 {
                    let text = format!("{year:04}-{month:02}-{day:02}");
                    let chrono = NaiveDate::from_ymd_opt(year, month, day);
                    assert_eq!(parse_digits(text.as_bytes()), chrono, "{text}");
                    assert_eq!(parse_iso(&text), chrono, "{text}");
                }
            }
        }
        assert_eq!(parse_digits(b"2014-99-01"), None);
        assert_eq!(parse_digits(b"2014-01-99"), None);
    }

    #[test]
    fn days_between_is_chronos_difference_across_leap_years_centuries_and_eras() {
        let days = [
            NaiveDate::MIN,
            NaiveDate::from_ymd_opt(-401, 3, 1).expect("date"),
            NaiveDate::from_ymd_opt(0, 2, 29).expect("date"),
            d("1600-02-29"),
            d("1700-03-01"),
            d("1900-02-28"),
            d("2000-02-29"),
            d("2014-12-31"),
            d("2100-03-01"),
            NaiveDate::MAX,
        ];
        for &a in &days {
            for &b in &days {
                assert_eq!(days_between(a, b), (b - a).num_days(), "{a} → {b}");
            }
            // Every day of four years either side.
            let mut x = a;
            for _ in 0..(4 * 366) {
                assert_eq!(days_between(a, x), (x - a).num_days(), "{a} → {x}");
                let Some(next) = x.succ_opt() else { break };
                x = next;
            }
        }
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
            "-001-01-01",
            "+01-01-01x",
        ] {
            assert_eq!(parse_iso(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn the_digits_path_agrees_with_chrono() {
        let chrono = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
        for text in [
            "2014-12-31",
            "2016-02-29",
            "2015-02-29",
            "0000-01-01",
            "9999-12-31",
            "2014-00-10",
            "2014-13-01",
            "2014-04-31",
            "2014-12-00",
            "2014- 1-05",
            "2014-01- 5",
            "2014-1a-01",
        ] {
            assert_eq!(parse_iso(text), chrono(text), "{text:?}");
            let digits = parse_digits(text.as_bytes());
            assert!(digits.is_none() || digits == chrono(text), "{text:?}");
        }
        // Not dates to parse_iso (a sign, other separators, other lengths): none to the
        // digits either.
        for text in ["+014-12-31", "2014-12-3 ", "2014/12/31", "2014-12-310", ""] {
            assert_eq!(parse_digits(text.as_bytes()), None, "{text:?}");
            assert_eq!(parse_iso(text), None, "{text:?}");
        }
        assert_eq!(
            parse_digits(b"2014-12-31"),
            NaiveDate::from_ymd_opt(2014, 12, 31)
        );
        assert_eq!(parse_digits(b"2015-02-29"), None);
    }

    #[test]
    fn days_past_the_calendar_are_none() {
        assert_eq!(add_days(d("2014-12-01"), 14), Some(d("2014-12-15")));
        assert_eq!(add_days(d("2014-12-01"), -1), Some(d("2014-11-30")));
        assert_eq!(add_days(d("2014-12-01"), i64::MAX), None);
        assert_eq!(add_days(d("2014-12-01"), i64::MIN), None);
        assert_eq!(add_days(NaiveDate::MAX, 1), None);
        assert_eq!(
            add_days(d("9999-12-31"), MAX_TARGET_DAYS).map(|d| d.year()),
            Some(10009)
        );
    }

    #[test]
    fn target_days_out_of_range_name_the_type_and_value() {
        let t = |code: &str, days: Option<i64>| crate::model::InsatsType {
            insats_code: code.into(),
            name: "x".into(),
            area: "y".into(),
            law: None,
            target_days: days,
        };
        assert!(check_target_days(&[t("A", None), t("B", Some(0)), t("C", Some(3650))]).is_ok());
        for bad in [i64::MAX, -1, 3651, i64::MIN] {
            let e = check_target_days(&[t("A", Some(14)), t("HT", Some(bad))])
                .expect_err("refused")
                .to_string();
            assert!(e.contains("insats_types") && e.contains("\"HT\""), "{e}");
            assert!(e.contains(&format!("target_days {bad} ")), "{e}");
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
