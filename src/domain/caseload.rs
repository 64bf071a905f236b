//! Caseload by insats and cases per handläggare (DOMAIN.md "Caseload by insats on D",
//! "Cases per handläggare on D"), on today, one year and two years before, as the seeds'
//! tables show them ("Insats funktionsnedsättning dec-14 dec-13 dec-12").

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::domain::dates::years_before;
use crate::model::{CaseWorker, InsatsType};
use crate::snapshot::Readers;
use crate::snapshot::queries::{self, Filter, Part};

/// One insats type's counts on the three dates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InsatsRow {
    pub area: String,
    pub insats_code: String,
    pub insats: String,
    /// Cases with the insats active on `dates[0]`, `dates[1]`, `dates[2]`.
    pub counts: [u64; 3],
    /// The same counts split by the cases' kön: `by_sex[s][k]` for part `s` of
    /// [`crate::domain::processing::SEXES`] (K, M, not known) on `dates[k]`. They add up to
    /// `counts`.
    pub by_sex: [[u64; 3]; 3],
    /// The count on each of [`Caseload::months`] (the chart of the view).
    pub series: Vec<u64>,
    /// The same split by kön (K, M, not known, as `by_sex`): they add up to `series`.
    pub series_by_sex: Vec<[u64; 3]>,
}

impl InsatsRow {
    /// Change against one year before (the seeds' "en ökning med 28").
    #[must_use]
    pub fn change(&self) -> i64 {
        i64::try_from(self.counts[0]).unwrap_or(i64::MAX)
            - i64::try_from(self.counts[1]).unwrap_or(i64::MAX)
    }
}

/// Open cases of one handläggare on the first date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkerLoad {
    pub worker_id: String,
    pub name: String,
    pub team: Option<String>,
    pub open_cases: u64,
}

/// The whole caseload view.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Caseload {
    pub as_of: NaiveDate,
    /// Today, one year before, two years before (29 Feb → 28 Feb).
    pub dates: [NaiveDate; 3],
    /// Every insats type of the snapshot, zeros included, grouped by area in the order the
    /// areas first appear among the types.
    pub rows: Vec<InsatsRow>,
    /// Handläggare of the filter, most open cases first.
    pub workers: Vec<WorkerLoad>,
    /// Open cases on `as_of` (all of the filter, with or without a handläggare).
    pub open_cases: u64,
    /// Open cases on `as_of` without a handläggare.
    pub unassigned: u64,
    /// The last day of each month of the snapshot's history up to `as_of`'s (that month
    /// counted on `as_of`; see [`series_dates`]): the dates of [`InsatsRow::series`],
    /// counted in the same pass as the three dates.
    pub months: Vec<NaiveDate>,
    /// Open cases on `as_of` by kön: K, M, not known (they add up to `open_cases`).
    pub open_by_sex: [u64; 3],
    /// Open cases on `as_of` by arbetsgrupp (the case's own, as `--team` filters), in name
    /// order, cases without one last (they add up to `open_cases`).
    pub open_by_team: Vec<(Option<String>, u64)>,
    /// The areas' totals (distinct cases) and the open cases on each of [`Caseload::months`]
    /// (the chart of an area or of the open cases).
    pub totals: Totals,
}

impl Caseload {
    /// The rows grouped by area, keeping their order.
    #[must_use]
    pub fn by_area(&self) -> Vec<(&str, Vec<&InsatsRow>)> {
        let mut groups: Vec<(&str, Vec<&InsatsRow>)> = Vec::new();
        for row in &self.rows {
            match groups.iter_mut().find(|(area, _)| *area == row.area) {
                Some((_, rows)) => rows.push(row),
                None => groups.push((&row.area, vec![row])),
            }
        }
        groups
    }

    /// The areas that have a case on at least one of the three dates, with their rows:
    /// what the text, CSV and xlsx reports show (an area a unit does not have is a block of
    /// zeros there; JSON keeps every row).
    #[must_use]
    pub fn areas_with_cases(&self) -> Vec<(&str, Vec<&InsatsRow>)> {
        self.by_area()
            .into_iter()
            .filter(|(_, rows)| rows.iter().any(|r| r.counts.iter().any(|&n| n > 0)))
            .collect()
    }
}

/// The three dates of the view.
#[must_use]
pub fn dates(as_of: NaiveDate) -> [NaiveDate; 3] {
    [as_of, years_before(as_of, 1), years_before(as_of, 2)]
}

/// Assembles the view from what the snapshot counted. Pure: tested without a database.
#[must_use]
pub fn assemble(
    as_of: NaiveDate,
    types: &[InsatsType],
    active: &[HashMap<String, [u64; 3]>; 3],
    workers: &[CaseWorker],
    open_by_worker: &HashMap<Option<String>, u64>,
    open_by_sex: [u64; 3],
) -> Caseload {
    let mut rows: Vec<InsatsRow> = types
        .iter()
        .map(|t| {
            let parts = [0, 1, 2].map(|k| active[k].get(&t.insats_code).copied().unwrap_or([0; 3]));
            InsatsRow {
                area: t.area.clone(),
                insats_code: t.insats_code.clone(),
                insats: t.name.clone(),
                counts: parts.map(|p| p.iter().sum()),
                by_sex: [0, 1, 2].map(|s| parts.map(|p| p[s])),
                series: Vec::new(),
                series_by_sex: Vec::new(),
            }
        })
        .collect();
    // Group by area (stable: the order of first appearance), keeping the producer's order.
    let mut area_order: Vec<&str> = Vec::new();
    for t in types {
        if !area_order.contains(&t.area.as_str()) {
            area_order.push(&t.area);
        }
    }
    rows.sort_by_key(|r| area_order.iter().position(|a| *a == r.area));

    let mut loads: Vec<WorkerLoad> = workers
        .iter()
        .map(|w| WorkerLoad {
            worker_id: w.worker_id.clone(),
            name: w.name.clone(),
            team: w.team.clone(),
            open_cases: open_by_worker
                .get(&Some(w.worker_id.clone()))
                .copied()
                .unwrap_or(0),
        })
        .collect();
    loads.sort_by(|a, b| {
        b.open_cases
            .cmp(&a.open_cases)
            .then_with(|| a.name.cmp(&b.name))
            .then_with(|| a.worker_id.cmp(&b.worker_id))
    });
    Caseload {
        as_of,
        dates: dates(as_of),
        rows,
        workers: loads,
        open_cases: open_by_worker.values().sum(),
        unassigned: open_by_worker.get(&None).copied().unwrap_or(0),
        open_by_sex,
        open_by_team: Vec::new(),
        months: Vec::new(),
        totals: Totals::default(),
    }
}

/// The month ends of the view's series (see [`Caseload::months`]): every month of the
/// snapshot's history, from the month its first case was opened to `as_of`'s, at most the
/// last [`MAX_MONTHS`]; empty without cases or at the calendar's edge.
///
/// # Errors
/// SQLite errors, and a first opening that is not a date.
pub fn series_dates(
    conn: &rusqlite::Connection,
    as_of: NaiveDate,
) -> rusqlite::Result<Vec<NaiveDate>> {
    let Some(first) = queries::first_opened(conn)? else {
        return Ok(Vec::new());
    };
    let to = Month::of(as_of);
    let last_allowed = u32::try_from(MAX_MONTHS - 1).ok().and_then(|n| to.back(n));
    let from = Month::of(first.min(as_of));
    let from = last_allowed.map_or(from, |earliest| from.max(earliest));
    Ok(month_ends(from, to, as_of).unwrap_or_default())
}

/// Where [`load`] splits the pass over the interventions for all units, in per cent of the
/// index: more than half on this thread, since the other thread also counts the open cases
/// per handläggare after its part, about a sixth of the pass on the city file (measured
/// there: 58 % left the two threads finishing together).
const LOWER_PERCENT: usize = 58;

/// Computes the caseload view from the snapshot for `filter` on `as_of`.
///
/// With a spare connection the work is shared by two threads. For all units the pass over
/// the interventions, most of the work, is split in two parts of its index (see
/// `LOWER_PERCENT`): this thread counts the lower part, the other the upper part and then
/// the open cases per handläggare. With a filter the pass is an index search of a fraction
/// of the work, and the other thread only counts the open cases meanwhile.
///
/// # Errors
/// SQLite errors.
pub fn load<'a>(
    db: impl Into<Readers<'a>>,
    filter: &Filter,
    as_of: NaiveDate,
) -> rusqlite::Result<Caseload> {
    load_with(db, filter, as_of, true)
}

/// [`load`] without the month series ([`Caseload::months`], [`Caseload::totals`], left
/// empty) when `totals` is false: for `report caseload`, which prints no chart (the pass by
/// case costs about 0.2 s at city scale).
///
/// # Errors
/// SQLite errors.
pub fn load_with<'a>(
    db: impl Into<Readers<'a>>,
    filter: &Filter,
    as_of: NaiveDate,
    totals: bool,
) -> rusqlite::Result<Caseload> {
    let db = db.into();
    // `report caseload` prints no series: it counts the three dates alone.
    let months = if totals {
        series_dates(db.main, as_of)?
    } else {
        Vec::new()
    };
    // The three dates of the table and the months of the chart, in one pass.
    let days: Vec<NaiveDate> = dates(as_of)
        .into_iter()
        .chain(months.iter().copied())
        .collect();
    let split = if db.spare.is_some() && *filter == Filter::default() {
        queries::insats_case_at(db.main, LOWER_PERCENT)?
    } else {
        None
    };
    let split = split.as_ref();
    // The cases' kön, looked up per counted case (empty for a version 1 file); for the
    // whole city read in two halves at once.
    let sexes = match split.and(queries::case_rowid_middle(db.main)?) {
        Some(middle) => {
            let (lower, upper) = db.both(
                |conn, stop| {
                    let part = Part {
                        below: Some(middle),
                        ..Part::all(stop)
                    };
                    queries::case_sexes(conn, filter, part)
                },
                |conn, stop| {
                    let part = Part {
                        from: Some(middle),
                        ..Part::all(stop)
                    };
                    queries::case_sexes(conn, filter, part)
                },
            )?;
            lower.join(upper)
        }
        None => queries::case_sexes(
            db.main,
            filter,
            Part::all(&crate::snapshot::Stop::default()),
        )?,
    };
    let sexes = &sexes;
    let ((types, mut active), (upper, open, mut workers, (open_by_sex, totals), by_team)) = db
        .both(
            |conn, stop| {
                let types = queries::insats_types(conn)?;
                let lower = Part {
                    below: split,
                    ..Part::all(stop)
                };
                Ok((
                    types,
                    queries::active_cases_by_insats_and_sex_on(conn, filter, &days, lower, sexes)?,
                ))
            },
            |conn, stop| {
                let upper = split
                    .map(|split| {
                        let upper = Part {
                            from: Some(split),
                            ..Part::all(stop)
                        };
                        queries::active_cases_by_insats_and_sex_on(
                            conn, filter, &days, upper, sexes,
                        )
                    })
                    .transpose()?;
                let open = queries::open_cases_by_worker(conn, filter, as_of)?;
                let open_by_sex = queries::open_cases_by_sex(conn, filter, as_of)?;
                let totals = if totals {
                    count_totals(conn, filter, &months, sexes)?
                } else {
                    Totals::default()
                };
                Ok((
                    upper,
                    open,
                    queries::case_workers(conn, filter)?,
                    (open_by_sex, totals),
                    queries::open_cases_by_team(conn, filter, as_of)?,
                ))
            },
        )?;
    // No (insats, case) is on both sides of the split: the counts add up.
    for (counts, upper) in active.iter_mut().zip(upper.into_iter().flatten()) {
        for (code, n) in upper {
            let sum = counts.entry(code).or_insert([0; 3]);
            for (a, b) in sum.iter_mut().zip(n) {
                *a += b;
            }
        }
    }
    let conn = db.main;
    // A case of this filter handled by someone registered elsewhere still counts for them.
    for id in open.keys().flatten() {
        if !workers.iter().any(|w| &w.worker_id == id)
            && let Some(w) = queries::worker_by_id(conn, id)?
        {
            workers.push(w);
        }
    }
    let mut active = active.into_iter();
    let three: [HashMap<String, [u64; 3]>; 3] =
        std::array::from_fn(|_| active.next().unwrap_or_default());
    let mut caseload = assemble(as_of, &types, &three, &workers, &open, open_by_sex);
    let mut by_team: Vec<(Option<String>, u64)> = by_team.into_iter().collect();
    // Teams by name, the cases without one last (`None` sorts first otherwise).
    by_team.sort_by(|a, b| (a.0.is_none(), &a.0).cmp(&(b.0.is_none(), &b.0)));
    caseload.open_by_team = by_team;
    let by_month: Vec<HashMap<String, [u64; 3]>> = active.collect();
    for row in &mut caseload.rows {
        row.series_by_sex = by_month
            .iter()
            .map(|m| m.get(&row.insats_code).copied().unwrap_or([0; 3]))
            .collect();
        row.series = row.series_by_sex.iter().map(|p| p.iter().sum()).collect();
    }
    caseload.months = months;
    caseload.totals = totals;
    Ok(caseload)
}

/// The areas' totals and the open cases of `filter` on each of `dates` (see
/// [`TotalsCounter`]).
///
/// # Errors
/// SQLite errors.
pub fn count_totals(
    conn: &rusqlite::Connection,
    filter: &Filter,
    dates: &[NaiveDate],
    sexes: &queries::CaseSexes,
) -> rusqlite::Result<Totals> {
    count(conn, filter, dates, sexes, false)
}

/// [`count_totals`], and each insats type's count ([`Totals::insats`]) when `by_insats`.
fn count(
    conn: &rusqlite::Connection,
    filter: &Filter,
    dates: &[NaiveDate],
    sexes: &queries::CaseSexes,
    by_insats: bool,
) -> rusqlite::Result<Totals> {
    let types = queries::insats_types(conn)?;
    let mut counter = TotalsCounter::new(dates, &types);
    if by_insats {
        counter = counter.with_insats(&types);
    }
    if let (Some(&earliest), Some(&latest)) = (dates.iter().min(), dates.iter().max()) {
        queries::count_totals(conn, filter, earliest, latest, sexes, &mut counter)?;
    }
    Ok(counter.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(super) fn d(s: &str) -> NaiveDate {
        crate::domain::dates::parse_iso(s).expect("date")
    }

    pub(super) fn t(code: &str, area: &str) -> InsatsType {
        InsatsType {
            insats_code: code.into(),
            name: code.to_lowercase(),
            area: area.into(),
            law: None,
            target_days: None,
        }
    }

    #[test]
    fn every_type_gets_a_row_grouped_by_area_in_first_appearance_order() {
        let types = [t("A", "FN"), t("B", "SP"), t("C", "FN")];
        let active = [
            HashMap::from([("A".to_string(), [2, 0, 1]), ("B".to_string(), [0, 1, 0])]),
            HashMap::from([("A".to_string(), [1, 4, 0])]),
            HashMap::new(),
        ];
        let c = assemble(
            d("2014-12-31"),
            &types,
            &active,
            &[],
            &HashMap::new(),
            [0; 3],
        );
        let codes: Vec<_> = c.rows.iter().map(|r| r.insats_code.as_str()).collect();
        assert_eq!(codes, ["A", "C", "B"]);
        assert_eq!(c.rows[0].counts, [3, 5, 0]);
        assert_eq!(c.rows[0].change(), -2);
        assert_eq!(c.rows[0].by_sex, [[2, 1, 0], [0, 4, 0], [1, 0, 0]]);
        assert_eq!(c.rows[1].counts, [0, 0, 0]);
        assert_eq!(c.by_area().len(), 2);
        assert_eq!(c.dates, [d("2014-12-31"), d("2013-12-31"), d("2012-12-31")]);
    }

    #[test]
    fn open_cases_include_those_without_a_handlaggare() {
        let w = |id: &str, name: &str| CaseWorker {
            worker_id: id.into(),
            name: name.into(),
            unit_id: "U".into(),
            team: None,
            login: None,
        };
        let open = HashMap::from([(Some("H1".to_string()), 4), (None, 2)]);
        let c = assemble(
            d("2016-02-29"),
            &[],
            &Default::default(),
            &[w("H2", "Anna"), w("H1", "Bo")],
            &open,
            [1, 2, 3],
        );
        assert_eq!(c.open_cases, 6);
        assert_eq!(c.unassigned, 2);
        assert_eq!(c.workers[0].worker_id, "H1");
        assert_eq!(c.workers[1].open_cases, 0);
        assert_eq!(c.dates[1], d("2015-02-28"));
    }
}

/// The most months one series covers (50 years): bounds the work a `--from`/`--to` can ask.
pub const MAX_MONTHS: usize = 600;

/// A month of the series: its year and month (1–12).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Month {
    pub year: i32,
    pub month: u32,
}

impl Month {
    /// The month `date` is in.
    #[must_use]
    pub fn of(date: NaiveDate) -> Self {
        use chrono::Datelike;
        Self {
            year: date.year(),
            month: date.month(),
        }
    }

    /// Parses `YYYY-MM`.
    #[must_use]
    pub fn parse(text: &str) -> Option<Self> {
        let (y, m) = text.split_once('-')?;
        if y.len() != 4 || m.len() != 2 {
            return None;
        }
        let month = Self {
            year: y.parse().ok()?,
            month: m.parse().ok()?,
        };
        month.first_day().map(|_| month)
    }

    fn first_day(self) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(self.year, self.month, 1)
    }

    /// The month's last day.
    #[must_use]
    pub fn last_day(self) -> Option<NaiveDate> {
        self.next()?.first_day()?.pred_opt()
    }

    /// The month after.
    #[must_use]
    pub fn next(self) -> Option<Self> {
        let (year, month) = if self.month == 12 {
            (self.year.checked_add(1)?, 1)
        } else {
            (self.year, self.month + 1)
        };
        Some(Self { year, month })
    }

    /// The month `n` months before.
    #[must_use]
    pub fn back(self, n: u32) -> Option<Self> {
        let index = i64::from(self.year) * 12 + i64::from(self.month) - 1 - i64::from(n);
        let year = i32::try_from(index.div_euclid(12)).ok()?;
        let month = u32::try_from(index.rem_euclid(12)).ok()? + 1;
        let m = Self { year, month };
        m.first_day().map(|_| m)
    }
}

impl std::fmt::Display for Month {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// One insats type's counts over the months.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeriesRow {
    pub area: String,
    pub insats_code: String,
    pub insats: String,
    /// `counts[k]` on `Monthly::dates[k]`, split by kön (K, M, not known: they add up).
    pub counts: Vec<[u64; 3]>,
}

/// The caseload by insats on the last day of every month from `from` to `to` (DOMAIN.md
/// "Caseload over time"); a month not over on `as_of` is counted on `as_of`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Monthly {
    pub dates: Vec<NaiveDate>,
    /// Every insats type of the snapshot, zeros included, in the caseload's order.
    pub rows: Vec<SeriesRow>,
    /// Every area's total (distinct cases, see [`AreaSeries`]) on each date, in the rows'
    /// order of areas.
    pub areas: Vec<AreaSeries>,
    /// Open cases on each date, by kön (K, M, not known).
    pub open: Vec<[u64; 3]>,
}

impl Monthly {
    /// The count of row `r` on date `k`, all kön.
    #[must_use]
    pub fn count(&self, r: usize, k: usize) -> u64 {
        self.rows
            .get(r)
            .and_then(|row| row.counts.get(k))
            .map_or(0, |c| c.iter().sum())
    }

    /// The indices of the rows whose area has a case in at least one month of the series
    /// (the rows the text, CSV and xlsx reports show; JSON keeps every row).
    #[must_use]
    pub fn rows_with_cases(&self) -> Vec<usize> {
        let busy = |area: &str| {
            self.rows
                .iter()
                .filter(|r| r.area == area)
                .any(|r| r.counts.iter().any(|c| c.iter().any(|&n| n > 0)))
        };
        (0..self.rows.len())
            .filter(|&i| busy(&self.rows[i].area))
            .collect()
    }
}

/// Why a series cannot be made.
#[derive(Debug, thiserror::Error)]
pub enum SeriesError {
    #[error("--from {from} ligger efter --to {to}")]
    Reversed { from: Month, to: Month },
    #[error("{from}–{to} är {months} månader; högst {MAX_MONTHS} i en serie")]
    TooLong {
        from: Month,
        to: Month,
        months: usize,
    },
    #[error("{0}: månaden ligger utanför kalendern")]
    Calendar(Month),
    #[error(transparent)]
    Sqlite(#[from] rusqlite::Error),
}

/// The month-end dates from `from` to `to`, the last capped at `as_of`.
///
/// # Errors
/// `from` after `to`, more than [`MAX_MONTHS`] months, a month past the calendar.
pub fn month_ends(from: Month, to: Month, as_of: NaiveDate) -> Result<Vec<NaiveDate>, SeriesError> {
    if from > to {
        return Err(SeriesError::Reversed { from, to });
    }
    let mut dates = Vec::new();
    let mut m = from;
    loop {
        if dates.len() == MAX_MONTHS {
            let months = (i64::from(to.year) * 12 + i64::from(to.month))
                - (i64::from(from.year) * 12 + i64::from(from.month))
                + 1;
            return Err(SeriesError::TooLong {
                from,
                to,
                months: usize::try_from(months).unwrap_or(usize::MAX),
            });
        }
        let last = m.last_day().ok_or(SeriesError::Calendar(m))?;
        dates.push(if Month::of(as_of) == m {
            last.min(as_of)
        } else {
            last
        });
        if m == to {
            return Ok(dates);
        }
        m = m.next().ok_or(SeriesError::Calendar(m))?;
    }
}

/// The series of `filter`'s caseload by insats from `from` to `to` (see [`Monthly`]).
///
/// # Errors
/// As [`month_ends`]; SQLite errors.
pub fn monthly(
    conn: &rusqlite::Connection,
    filter: &Filter,
    from: Month,
    to: Month,
    as_of: NaiveDate,
) -> Result<Monthly, SeriesError> {
    let dates = month_ends(from, to, as_of)?;
    let stop = crate::snapshot::Stop::default();
    let sexes = queries::case_sexes(conn, filter, Part::all(&stop))?;
    let types = queries::insats_types(conn)?;
    // One pass by case: each insats type's, each area's and the open cases' counts.
    let Totals {
        areas: area_totals,
        open,
        insats,
    } = count(conn, filter, &dates, &sexes, true)?;
    // The caseload's order of the types: grouped by area, areas as they first appear.
    let mut areas: Vec<&str> = Vec::new();
    for t in &types {
        let area = t.area.as_str();
        if !areas.contains(&area) {
            areas.push(area);
        }
    }
    let mut rows = Vec::new();
    for area in areas {
        for (t, counts) in types.iter().zip(&insats).filter(|(t, _)| t.area == area) {
            rows.push(SeriesRow {
                area: area.to_string(),
                insats_code: t.insats_code.clone(),
                insats: t.name.clone(),
                counts: counts.clone(),
            });
        }
    }
    Ok(Monthly {
        dates,
        rows,
        areas: area_totals,
        open,
    })
}

#[cfg(test)]
mod month_tests {
    use super::*;

    #[test]
    fn months_parse_step_and_end_on_the_calendars_last_day() {
        let m = |s: &str| Month::parse(s).expect(s);
        assert_eq!(
            m("2016-02").last_day(),
            NaiveDate::from_ymd_opt(2016, 2, 29)
        );
        assert_eq!(
            m("2015-02").last_day(),
            NaiveDate::from_ymd_opt(2015, 2, 28)
        );
        assert_eq!(
            m("2014-12").last_day(),
            NaiveDate::from_ymd_opt(2014, 12, 31)
        );
        assert_eq!(m("2014-12").back(23), Some(m("2013-01")));
        assert_eq!(m("2014-01").back(1), Some(m("2013-12")));
        for bad in [
            "2014-13", "2014-00", "14-01", "2014-1", "2014/01", "", "abcd-ef",
        ] {
            assert_eq!(Month::parse(bad), None, "{bad}");
        }
        let day = NaiveDate::from_ymd_opt(2014, 12, 15).expect("day");
        assert_eq!(
            month_ends(m("2014-11"), m("2014-12"), day).expect("ends"),
            [NaiveDate::from_ymd_opt(2014, 11, 30).expect("d"), day]
        );
        assert!(matches!(
            month_ends(m("1900-01"), m("2014-12"), day),
            Err(SeriesError::TooLong { months: 1380, .. })
        ));
        assert!(matches!(
            month_ends(m("2015-01"), m("2014-12"), day),
            Err(SeriesError::Reversed { .. })
        ));
        // The calendar's end is an error, not a panic.
        let end = Month {
            year: 262_143,
            month: 12,
        };
        assert!(end.last_day().is_none());
        assert!(month_ends(end, end, day).is_err());
    }
}

/// One area's total on each date: the distinct cases with at least one intervention of any
/// insats type of the area active on it, split by kön (K, M, not known: they add up). One
/// case with two insatser of the area counts once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AreaSeries {
    pub area: String,
    /// `counts[k]` on the `k`-th date.
    pub counts: Vec<[u64; 3]>,
}

impl AreaSeries {
    /// The totals of all kön, date by date.
    #[must_use]
    pub fn totals(&self) -> Vec<u64> {
        self.counts.iter().map(|c| c.iter().sum()).collect()
    }
}

/// What [`TotalsCounter`] counted: the areas' totals and the open cases on each date.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Totals {
    /// Every area of the insats types, in the caseload's order (first appearance).
    pub areas: Vec<AreaSeries>,
    /// Cases open on each date (`opened <= D` and not closed by D), by kön.
    pub open: Vec<[u64; 3]>,
    /// Per insats type, in the order of the types given, the cases with one active on each
    /// date; empty unless asked for ([`TotalsCounter::with_insats`]).
    pub insats: Vec<Vec<[u64; 3]>>,
}

/// Counts per date, by kön, the groups (a case in an insats type, or in an area) active on
/// it, each group once however many of its spans cover the date. The dates are positions
/// `0..n` of a sorted list; a group's spans are merged when it is closed, and each merged run
/// adds one to a difference array: the work is per span, not per date a span covers (a
/// city's whole history is 146 month ends, and an intervention is active on dozens).
#[derive(Debug, Clone)]
pub struct Runs {
    /// `diff[p]`: change of the count from position `p - 1` to `p`.
    diff: Vec<[i64; 3]>,
    /// The open group's spans, `[from, to)` positions.
    spans: Vec<(usize, usize)>,
}

impl Runs {
    /// Counts over `n` positions.
    #[must_use]
    pub fn new(n: usize) -> Self {
        Self {
            diff: vec![[0; 3]; n + 1],
            spans: Vec::new(),
        }
    }

    /// A span of the open group, over positions `from..to` (nothing when empty).
    pub fn span(&mut self, from: usize, to: usize) {
        if from < to && to < self.diff.len() {
            self.spans.push((from, to));
        }
    }

    /// Closes the open group, of kön index `sex`: each position one of its spans covers
    /// counts it once.
    pub fn close(&mut self, sex: usize) {
        let sex = sex.min(2);
        self.spans.sort_unstable();
        let mut runs = self.spans.drain(..);
        let Some(mut run) = runs.next() else { return };
        for (from, to) in runs {
            if from <= run.1 {
                run.1 = run.1.max(to);
            } else {
                self.diff[run.0][sex] += 1;
                self.diff[run.1][sex] -= 1;
                run = (from, to);
            }
        }
        self.diff[run.0][sex] += 1;
        self.diff[run.1][sex] -= 1;
    }

    /// The counts at each position, and the counts cleared for the next groups.
    pub fn take(&mut self) -> Vec<[u64; 3]> {
        let n = self.diff.len() - 1;
        let mut at = [0_i64; 3];
        let counts = self.diff[..n]
            .iter()
            .map(|d| {
                for s in 0..3 {
                    at[s] += d[s];
                }
                at.map(|c| u64::try_from(c).unwrap_or_default())
            })
            .collect();
        self.diff.iter_mut().for_each(|d| *d = [0; 3]);
        counts
    }
}

/// Counts, in one pass over typed rows, the area totals (DOMAIN.md "Caseload by insats on
/// D", distinct cases per area) and the open cases on each of a list of dates. The
/// interventions must come grouped by case (any order within a case): a case's dates are
/// counted once per area when the next case begins or at [`TotalsCounter::finish`].
#[derive(Debug)]
pub struct TotalsCounter {
    /// The dates in order, each with its place in the caller's list.
    sorted: Vec<(NaiveDate, usize)>,
    /// Insats code → index into `areas`.
    area_of: HashMap<String, usize, rustc_hash::FxBuildHasher>,
    totals: Totals,
    case: Option<(String, usize)>,
    /// Per area, over the sorted dates: the current case's spans, and the counts.
    areas: Vec<Runs>,
    /// Insats code → index into `insats` (set by [`TotalsCounter::with_insats`]).
    insats_of: HashMap<String, usize, rustc_hash::FxBuildHasher>,
    /// Per insats type, as `areas`.
    insats: Vec<Runs>,
    /// The insats types the current case has spans in.
    touched: Vec<usize>,
    /// The open cases over the sorted dates.
    open: Runs,
}

impl TotalsCounter {
    /// A counter for `dates` and the areas of `types` (areas in first-appearance order).
    #[must_use]
    pub fn new(dates: &[NaiveDate], types: &[InsatsType]) -> Self {
        let n = dates.len();
        let mut areas: Vec<AreaSeries> = Vec::new();
        let mut area_of = HashMap::with_hasher(rustc_hash::FxBuildHasher);
        for t in types {
            let a = match areas.iter().position(|a| a.area == t.area) {
                Some(a) => a,
                None => {
                    areas.push(AreaSeries {
                        area: t.area.clone(),
                        counts: vec![[0; 3]; n],
                    });
                    areas.len() - 1
                }
            };
            area_of.insert(t.insats_code.clone(), a);
        }
        let mut sorted: Vec<(NaiveDate, usize)> = dates.iter().copied().zip(0..).collect();
        sorted.sort_unstable();
        Self {
            sorted,
            area_of,
            areas: vec![Runs::new(n); areas.len()],
            totals: Totals {
                areas,
                open: vec![[0; 3]; n],
                insats: Vec::new(),
            },
            case: None,
            open: Runs::new(n),
            insats_of: HashMap::with_hasher(rustc_hash::FxBuildHasher),
            insats: Vec::new(),
            touched: Vec::new(),
        }
    }

    /// Also counts each of `types` on its own (see [`Totals::insats`]), in the same pass.
    #[must_use]
    pub fn with_insats(mut self, types: &[InsatsType]) -> Self {
        let n = self.totals.open.len();
        self.insats_of = types
            .iter()
            .enumerate()
            .map(|(i, t)| (t.insats_code.clone(), i))
            .collect();
        self.insats = vec![Runs::new(n); types.len()];
        self.totals.insats = vec![vec![[0; 3]; n]; types.len()];
        self
    }

    /// The range of `sorted` of the dates from `from` (inclusive) to `to` (inclusive when
    /// `to_inclusive`, `None`: the last).
    fn within(
        &self,
        from: NaiveDate,
        to: Option<NaiveDate>,
        to_inclusive: bool,
    ) -> std::ops::Range<usize> {
        let lo = self.sorted.partition_point(|(d, _)| *d < from);
        let hi = to.map_or(self.sorted.len(), |e| {
            self.sorted
                .partition_point(|(d, _)| if to_inclusive { *d <= e } else { *d < e })
        });
        lo..hi.max(lo)
    }

    /// One intervention of case `case_id` (kön index `sex`, see
    /// [`crate::domain::processing::sex_index`]): active on D when `start <= D` and (`end`
    /// is none or `end >= D`). Unstarted ones and unknown insats codes count nowhere.
    pub fn intervention(
        &mut self,
        case_id: &str,
        insats_code: &str,
        start: Option<NaiveDate>,
        end: Option<NaiveDate>,
        sex: usize,
    ) {
        if self.case.as_ref().is_none_or(|(c, _)| c != case_id) {
            self.flush();
            self.case = Some((case_id.to_string(), sex.min(2)));
        }
        let (Some(start), Some(&a)) = (start, self.area_of.get(insats_code)) else {
            return;
        };
        let range = self.within(start, end, true);
        if let Some(runs) = self.areas.get_mut(a) {
            runs.span(range.start, range.end);
        }
        if let Some(&t) = self.insats_of.get(insats_code)
            && let Some(runs) = self.insats.get_mut(t)
        {
            runs.span(range.start, range.end);
            if !self.touched.contains(&t) {
                self.touched.push(t);
            }
        }
    }

    /// One case: open on D when `opened <= D` and (`closed` is none or `closed > D`).
    pub fn case(&mut self, opened: NaiveDate, closed: Option<NaiveDate>, sex: usize) {
        let range = self.within(opened, closed, false);
        self.open.span(range.start, range.end);
        self.open.close(sex);
    }

    /// Counts the current case in each area it was active in.
    fn flush(&mut self) {
        let Some((_, sex)) = self.case.take() else {
            return;
        };
        for runs in &mut self.areas {
            runs.close(sex);
        }
        for t in self.touched.drain(..) {
            if let Some(runs) = self.insats.get_mut(t) {
                runs.close(sex);
            }
        }
    }

    /// The counts.
    #[must_use]
    pub fn finish(mut self) -> Totals {
        self.flush();
        let sorted = &self.sorted;
        let place = |counts: Vec<[u64; 3]>, out: &mut Vec<[u64; 3]>| {
            for (c, &(_, k)) in counts.into_iter().zip(sorted) {
                if let Some(slot) = out.get_mut(k) {
                    *slot = c;
                }
            }
        };
        for (runs, area) in self.areas.iter_mut().zip(&mut self.totals.areas) {
            place(runs.take(), &mut area.counts);
        }
        place(self.open.take(), &mut self.totals.open);
        for (runs, counts) in self.insats.iter_mut().zip(&mut self.totals.insats) {
            place(runs.take(), counts);
        }
        self.totals
    }
}

#[cfg(test)]
mod runs_tests {
    use super::Runs;

    #[test]
    fn a_group_counts_once_a_position_however_many_spans_cover_it() {
        let mut r = Runs::new(6);
        // One group (kön 0): overlapping, adjacent and nested spans.
        r.span(0, 2);
        r.span(1, 3);
        r.span(3, 4);
        r.span(1, 2);
        r.close(0);
        // Another (kön 2): two spans with a gap; an empty and an out-of-range one.
        r.span(4, 6);
        r.span(0, 1);
        r.span(2, 2);
        r.span(5, 9);
        r.close(2);
        // A group without spans counts nowhere.
        r.close(1);
        let counts = r.take();
        assert_eq!(
            counts,
            [
                [1, 0, 1],
                [1, 0, 0],
                [1, 0, 0],
                [1, 0, 0],
                [0, 0, 1],
                [0, 0, 1]
            ]
        );
        assert_eq!(r.take(), vec![[0; 3]; 6], "taken: cleared");
    }
}

#[cfg(test)]
mod totals_tests {
    use super::*;

    use super::tests::{d, t};

    fn dates() -> Vec<NaiveDate> {
        vec![d("2014-10-31"), d("2014-11-30"), d("2014-12-31")]
    }

    #[test]
    fn a_case_with_two_insatser_of_one_area_counts_once_there() {
        let types = [t("A", "FN"), t("B", "FN"), t("C", "SP")];
        let mut c = TotalsCounter::new(&dates(), &types);
        // Case 1 (K): A and B both active in November and December, C in December.
        c.intervention("1", "A", Some(d("2014-11-01")), None, 0);
        c.intervention("1", "B", Some(d("2014-10-01")), None, 0);
        c.intervention("1", "C", Some(d("2014-12-31")), None, 0);
        // Case 2 (M): A only, ending on November's last day: counted on it, not after.
        c.intervention("2", "A", Some(d("2014-01-01")), Some(d("2014-11-30")), 1);
        // Case 3 (not known): an unstarted decision and an unknown code count nowhere.
        c.intervention("3", "A", None, None, 2);
        c.intervention("3", "ZZ", Some(d("2014-01-01")), None, 2);
        let totals = c.finish();
        let areas: Vec<_> = totals.areas.iter().map(|a| a.area.as_str()).collect();
        assert_eq!(areas, ["FN", "SP"]);
        assert_eq!(
            totals.areas[0].counts,
            [[1, 1, 0], [1, 1, 0], [1, 0, 0]],
            "case 1 once in FN each month; case 2 up to its end"
        );
        assert_eq!(totals.areas[0].totals(), [2, 2, 1]);
        assert_eq!(totals.areas[1].counts, [[0, 0, 0], [0, 0, 0], [1, 0, 0]]);
    }

    #[test]
    fn open_cases_end_the_day_they_close() {
        let mut c = TotalsCounter::new(&dates(), &[]);
        // Closed on November's last day: not open on it.
        c.case(d("2014-01-01"), Some(d("2014-11-30")), 0);
        // Closed the day after: open on November's last day.
        c.case(d("2014-01-01"), Some(d("2014-12-01")), 1);
        // Opened on December's last day: open on it.
        c.case(d("2014-12-31"), None, 2);
        // Opened after every date: nowhere.
        c.case(d("2015-01-01"), None, 0);
        let totals = c.finish();
        assert_eq!(totals.open, [[1, 1, 0], [0, 1, 0], [0, 0, 1]]);
        assert!(totals.areas.is_empty());
    }

    #[test]
    fn no_dates_or_reversed_spans_are_no_panic() {
        let types = [t("A", "FN")];
        let mut c = TotalsCounter::new(&[], &types);
        c.intervention("1", "A", Some(d("2014-01-01")), None, 9);
        c.case(d("2014-01-01"), None, 9);
        assert_eq!(c.finish().open, Vec::<[u64; 3]>::new());
        let mut c = TotalsCounter::new(&dates(), &types);
        c.intervention("1", "A", Some(d("2014-12-01")), Some(d("2014-10-01")), 9);
        c.case(d("2014-12-01"), Some(d("2014-10-01")), 9);
        let totals = c.finish();
        assert_eq!(totals.areas[0].totals(), [0, 0, 0]);
        assert_eq!(totals.open, [[0; 3]; 3]);
    }
}
