//! The statistics of handläggningstid (DOMAIN.md "Handläggningstid"): count, median, mean,
//! nearest-rank 90th percentile, max and the share within target, of any set of decisions —
//! a quarter, an insats type or a handläggare — and the calendar quarters they are grouped by.

use std::fmt;

use chrono::{Datelike, NaiveDate};

/// A calendar quarter (`number` 1–4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Quarter {
    pub year: i32,
    pub number: u32,
}

impl Quarter {
    /// The quarter `date` falls in.
    #[must_use]
    pub fn of(date: NaiveDate) -> Self {
        Self {
            year: date.year(),
            number: date.month0() / 3 + 1,
        }
    }

    /// Quarters since the year 0 began, so that quarters subtract.
    #[must_use]
    pub(crate) fn ordinal(self) -> i64 {
        i64::from(self.year) * 4 + i64::from(self.number) - 1
    }

    /// The quarter `n` quarters earlier.
    #[must_use]
    pub fn back(self, n: u32) -> Self {
        let index = self.ordinal() - i64::from(n);
        Self {
            year: i32::try_from(index.div_euclid(4)).unwrap_or(i32::MIN),
            number: u32::try_from(index.rem_euclid(4)).unwrap_or(0) + 1,
        }
    }

    /// Its first day.
    #[must_use]
    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.number.saturating_sub(1) * 3 + 1, 1)
            .unwrap_or(NaiveDate::MIN)
    }
}

/// `2014-Q4`, as `crate::domain::dates::quarter_label` writes it.
impl fmt::Display for Quarter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-Q{}", self.year, self.number)
    }
}

/// The statistics of a set of handläggningstider.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Stats {
    pub decisions: u64,
    /// The middle value; the mean of the two middle values for an even count.
    pub median_days: Option<f64>,
    pub mean_days: Option<f64>,
    /// Nearest rank: the ⌈0.9·n⌉-th smallest.
    pub p90_days: Option<i64>,
    pub max_days: Option<i64>,
    /// Decisions whose insats type has a `target_days`.
    pub with_target: u64,
    /// Of those, decided within it (`days <= target_days`).
    pub within: u64,
}

impl Stats {
    /// The share decided within target, 0–1; `None` when no decision had a target.
    #[must_use]
    pub fn within_target(&self) -> Option<f64> {
        (self.with_target > 0).then(|| self.within as f64 / self.with_target as f64)
    }
}

/// Statistics of `(days, target_days)` samples. Pure: the unit tests pin the definitions.
#[must_use]
pub fn stats(samples: &[(i64, Option<i64>)]) -> Stats {
    let flagged: Vec<(i64, Option<bool>)> = samples
        .iter()
        .map(|&(d, t)| (d, t.map(|t| d <= t)))
        .collect();
    summarize(&flagged)
}

/// Statistics of `(days, within)` samples, `within` being whether the sample met its target
/// (`None`: it has none). [`stats`] for handläggningstid, and verkställighetstid, whose
/// target is three calendar months rather than a number of days, both come here.
#[must_use]
pub fn summarize(samples: &[(i64, Option<bool>)]) -> Stats {
    let mut days: Vec<i64> = samples.iter().map(|s| s.0).collect();
    days.sort_unstable();
    let n = days.len();
    let with_target = samples.iter().filter(|s| s.1.is_some()).count() as u64;
    let within = samples.iter().filter(|s| s.1 == Some(true)).count() as u64;
    if n == 0 {
        return Stats::default();
    }
    let median = if n % 2 == 1 {
        days[n / 2] as f64
    } else {
        (days[n / 2 - 1] as f64 + days[n / 2] as f64) / 2.0
    };
    // ⌈0.9·n⌉ in integers: ⌈9n/10⌉ = (9n + 9) / 10.
    let rank = (9 * n).div_ceil(10);
    Stats {
        decisions: n as u64,
        median_days: Some(median),
        // Summed in i128: a crafted snapshot's day counts may not fit an i64 sum.
        mean_days: Some(days.iter().map(|&d| i128::from(d)).sum::<i128>() as f64 / n as f64),
        p90_days: days.get(rank.saturating_sub(1)).copied(),
        max_days: days.last().copied(),
        with_target,
        within,
    }
}

/// [`summarize`] of samples that arrive in ascending order of days, without holding them:
/// a first pass [`Ranked::count`]s every sample, a second [`Ranked::pick`]s the same
/// samples in the same order and keeps only the day counts at the ranks the median, the
/// 90th percentile and the max need. A city's review groups millions of samples by period
/// and kön; copying them into groups (and sorting each copy) took more memory than the
/// samples themselves.
#[derive(Debug, Clone, Copy, Default)]
pub struct Ranked {
    n: u64,
    sum: i128,
    with_target: u64,
    within: u64,
    /// Samples seen by the second pass.
    seen: u64,
    /// The day counts at the ranks of [`Ranked::ranks`].
    picked: [Option<i64>; 4],
}

impl Ranked {
    /// The first pass: one sample.
    pub fn count(&mut self, (days, within): (i64, Option<bool>)) {
        self.n += 1;
        self.sum += i128::from(days);
        self.with_target += u64::from(within.is_some());
        self.within += u64::from(within == Some(true));
    }

    /// The places (from 0, in ascending order) of the lower and upper middle, the nearest
    /// rank ⌈0.9·n⌉ and the max.
    fn ranks(&self) -> [u64; 4] {
        let n = self.n;
        let (low, high) = if n % 2 == 1 {
            (n / 2, n / 2)
        } else {
            ((n / 2).saturating_sub(1), n / 2)
        };
        [
            low,
            high,
            (9 * n).div_ceil(10).saturating_sub(1),
            n.saturating_sub(1),
        ]
    }

    /// The second pass: the same samples' day counts, in the same ascending order.
    pub fn pick(&mut self, days: i64) {
        let ranks = self.ranks();
        for (slot, rank) in self.picked.iter_mut().zip(ranks) {
            if rank == self.seen {
                *slot = Some(days);
            }
        }
        self.seen += 1;
    }

    /// The statistics, as [`summarize`] gives them for the same samples.
    #[must_use]
    pub fn stats(&self) -> Stats {
        let n = self.n;
        let [Some(low), Some(high), p90, max] = self.picked else {
            // No samples (or a second pass that did not see them all).
            return Stats {
                with_target: self.with_target,
                within: self.within,
                ..Stats::default()
            };
        };
        if n == 0 {
            return Stats::default();
        }
        let median = if n % 2 == 1 {
            low as f64
        } else {
            (low as f64 + high as f64) / 2.0
        };
        Stats {
            decisions: n,
            median_days: Some(median),
            mean_days: Some(self.sum as f64 / n as f64),
            p90_days: p90,
            max_days: max,
            with_target: self.with_target,
            within: self.within,
        }
    }
}

/// The difference between two quarters' figures (`None` where either lacks one).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Change {
    pub decisions: i64,
    pub median_days: Option<f64>,
    /// In shares (0.05 = five percentage points).
    pub within_target: Option<f64>,
}

impl Change {
    #[must_use]
    pub fn between(now: &Stats, then: &Stats) -> Self {
        let count = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
        Self {
            decisions: count(now.decisions) - count(then.decisions),
            median_days: now.median_days.zip(then.median_days).map(|(a, b)| a - b),
            within_target: now
                .within_target()
                .zip(then.within_target())
                .map(|(a, b)| a - b),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        crate::domain::dates::parse_iso(s).expect("date")
    }

    fn days(v: &[i64]) -> Vec<(i64, Option<i64>)> {
        v.iter().map(|d| (*d, Some(14))).collect()
    }

    /// Ranked's two passes over sorted samples give summarize's figures, for every count
    /// from 0 to 40 (odd and even, the p90 rank at each remainder) and any flags.
    #[test]
    fn ranked_passes_equal_summarize() {
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for n in 0..=40 {
            for _ in 0..5 {
                let mut samples: Vec<(i64, Option<bool>)> = (0..n)
                    .map(|_| {
                        let days = i64::try_from(next() % 200).unwrap_or(0) - 20;
                        let within = match next() % 3 {
                            0 => None,
                            1 => Some(true),
                            _ => Some(false),
                        };
                        (days, within)
                    })
                    .collect();
                samples.sort_by_key(|s| s.0);
                let mut ranked = Ranked::default();
                for &s in &samples {
                    ranked.count(s);
                }
                for &(days, _) in &samples {
                    ranked.pick(days);
                }
                assert_eq!(ranked.stats(), summarize(&samples), "{samples:?}");
            }
        }
    }

    #[test]
    fn empty_quarter_has_no_statistics() {
        let s = stats(&[]);
        assert_eq!(s, Stats::default());
        assert_eq!(s.median_days, None);
        assert_eq!(s.within_target(), None);
    }

    #[test]
    fn one_decision_is_every_statistic() {
        let s = stats(&[(0, Some(14))]);
        assert_eq!(s.decisions, 1);
        assert_eq!(s.median_days, Some(0.0));
        assert_eq!(s.mean_days, Some(0.0));
        assert_eq!(s.p90_days, Some(0));
        assert_eq!(s.max_days, Some(0));
        assert_eq!(s.within_target(), Some(1.0));
    }

    #[test]
    fn even_count_median_is_the_mean_of_the_two_middle_values() {
        let s = stats(&days(&[20, 3, 10, 1]));
        assert_eq!(s.median_days, Some(6.5));
        assert_eq!(s.mean_days, Some(8.5));
        assert_eq!(s.max_days, Some(20));
        let s = stats(&days(&[5, 1, 9]));
        assert_eq!(s.median_days, Some(5.0));
    }

    #[test]
    fn p90_is_the_nearest_rank() {
        // n = 10: rank 9; n = 11: rank ⌈9.9⌉ = 10; n = 20: rank 18; n = 2: rank 2.
        let ten: Vec<i64> = (1..=10).collect();
        assert_eq!(stats(&days(&ten)).p90_days, Some(9));
        let eleven: Vec<i64> = (1..=11).rev().collect();
        assert_eq!(stats(&days(&eleven)).p90_days, Some(10));
        let twenty: Vec<i64> = (1..=20).map(|x| x * 10).collect();
        assert_eq!(stats(&days(&twenty)).p90_days, Some(180));
        assert_eq!(stats(&days(&[3, 7])).p90_days, Some(7));
        assert_eq!(
            stats(&days(&[4, 4, 4, 4, 4, 4, 4, 4, 4, 100])).p90_days,
            Some(4)
        );
    }

    #[test]
    fn share_counts_only_types_with_a_target_and_includes_the_target_day() {
        let s = stats(&[(14, Some(14)), (15, Some(14)), (40, None), (30, Some(30))]);
        assert_eq!((s.with_target, s.within), (3, 2));
        assert_eq!(s.within_target(), Some(2.0 / 3.0));
        assert_eq!(s.decisions, 4);
        assert_eq!(stats(&[(40, None)]).within_target(), None);
    }

    #[test]
    fn quarters_step_back_over_years() {
        let q = Quarter::of(d("2014-02-10"));
        assert_eq!(q.to_string(), "2014-Q1");
        assert_eq!(q.back(1).to_string(), "2013-Q4");
        assert_eq!(q.back(8).to_string(), "2012-Q1");
        assert_eq!(
            Quarter::of(d("2014-12-31")).back(7).first_day(),
            d("2013-01-01")
        );
    }
}
