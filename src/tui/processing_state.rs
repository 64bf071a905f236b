//! State of the Handläggningstid view: the focused pane, the measure (handläggningstid or
//! verkställighetstid), the kind of period and the chosen period, the split by kön, how
//! the period's breakdown is grouped and sorted, and the insats / handläggare filters.
//! Pure state; drawing is in `views/processing.rs`.

use crate::domain::periods::PeriodKind;
use crate::domain::processing::{By, Group, Measure, PeriodRow, Processing, Scope};
use crate::tui::app::ListCursor;
use crate::tui::keymap::Action;

/// The panes of the view, in ←/→ order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    Quarters,
    Breakdown,
    OverTarget,
    NotExecuted,
}

impl Pane {
    pub const ALL: [Pane; 4] = [
        Pane::Quarters,
        Pane::Breakdown,
        Pane::OverTarget,
        Pane::NotExecuted,
    ];
}

/// Columns of the breakdown, for sorting (`s` steps through them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sort {
    Name,
    Decisions,
    Median,
    Mean,
    P90,
    Max,
    Within,
}

impl Sort {
    pub const ALL: [Sort; 7] = [
        Sort::Name,
        Sort::Decisions,
        Sort::Median,
        Sort::Mean,
        Sort::P90,
        Sort::Max,
        Sort::Within,
    ];

    #[must_use]
    pub fn next(self) -> Self {
        let i = Self::ALL.iter().position(|s| *s == self).unwrap_or(0);
        Self::ALL[(i + 1) % Self::ALL.len()]
    }
}

/// The fields of the filter popup.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Insats,
    Worker,
}

impl Field {
    pub const ALL: [Field; 2] = [Field::Insats, Field::Worker];

    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Field::Insats => "Insats",
            Field::Worker => "Handläggare",
        }
    }
}

/// The view's state.
#[derive(Debug)]
pub struct ProcessingState {
    pub data: Processing,
    pub pane: Pane,
    /// The lower pane shown when there is room for one only (the last one focused).
    pub lower: Pane,
    /// Index into the measure's periods; today's period to begin with.
    pub period_cursor: ListCursor,
    /// What the periods and the breakdown measure (`v`).
    pub measure: Measure,
    /// Each period's figures split by kön below it (`c`).
    pub by_sex: bool,
    pub by: By,
    pub sort: Sort,
    /// The chosen quarter's breakdown, sorted.
    pub breakdown: Vec<Group>,
    pub breakdown_cursor: ListCursor,
    pub over_cursor: ListCursor,
    pub not_executed_cursor: ListCursor,
    pub popup: Option<Field>,
    /// The user's own handläggare id, for `m`.
    pub me: Option<String>,
    /// A kind of period asked for (`p`) that the rows on screen do not reach back for: the
    /// app loads the review again for it, and shows it when it arrives.
    pub wanted_kind: Option<PeriodKind>,
}

impl ProcessingState {
    #[must_use]
    pub fn new(data: Processing, me: Option<String>) -> Self {
        let mut s = Self {
            data,
            pane: Pane::Quarters,
            lower: Pane::Breakdown,
            period_cursor: ListCursor::default(),
            measure: Measure::Handlaggning,
            by_sex: false,
            by: By::Insats,
            sort: Sort::Decisions,
            breakdown: Vec::new(),
            breakdown_cursor: ListCursor::default(),
            over_cursor: ListCursor::default(),
            not_executed_cursor: ListCursor::default(),
            popup: None,
            me,
            wanted_kind: None,
        };
        s.period_cursor.selected = s.periods().len().saturating_sub(1);
        s.regroup();
        s
    }

    /// The periods of the chosen measure and kind, oldest first.
    #[must_use]
    pub fn periods(&self) -> &[PeriodRow] {
        self.data.rows_of(self.measure)
    }

    /// Replaces the data (new unit/team filter or snapshot), keeping the chosen period.
    pub fn replace(&mut self, data: Processing) -> Processing {
        let old = std::mem::replace(&mut self.data, data);
        if old.periods.is_empty() {
            // The first data (loaded after the state was made): start on the latest
            // period, as `new` does.
            self.period_cursor.selected = self.periods().len().saturating_sub(1);
        }
        self.period_cursor.clamp(self.periods().len());
        self.over_cursor.clamp(self.data.over_target.len());
        self.not_executed_cursor.clamp(self.data.not_executed.len());
        self.regroup();
        old
    }

    /// The kind of period chosen: asked for, else shown.
    #[must_use]
    pub fn kind(&self) -> PeriodKind {
        self.wanted_kind.unwrap_or(self.data.kind)
    }

    /// The chosen period.
    #[must_use]
    pub fn period(&self) -> Option<&PeriodRow> {
        self.periods().get(self.period_cursor.selected)
    }

    /// Recomputes the breakdown of the chosen period.
    pub fn regroup(&mut self) {
        self.breakdown = self
            .period()
            .map(|p| self.data.breakdown_of(self.measure, p.period, self.by))
            .unwrap_or_default();
        self.sort_breakdown();
        self.breakdown_cursor.clamp(self.breakdown.len());
    }

    /// Sorts the breakdown: names ascending, figures largest first, missing figures last.
    pub fn sort_breakdown(&mut self) {
        let sort = self.sort;
        let name = |g: &Group| {
            g.name
                .clone()
                .or_else(|| g.key.clone())
                .map(|n| n.to_lowercase())
        };
        let figure = |g: &Group| -> Option<f64> {
            let s = &g.stats;
            match sort {
                Sort::Name => None,
                Sort::Decisions => Some(s.decisions as f64),
                Sort::Median => s.median_days,
                Sort::Mean => s.mean_days,
                Sort::P90 => s.p90_days.map(|d| d as f64),
                Sort::Max => s.max_days.map(|d| d as f64),
                Sort::Within => s.within_target(),
            }
        };
        self.breakdown.sort_by(|a, b| {
            let by_figure = match (figure(a), figure(b)) {
                (Some(x), Some(y)) => y.total_cmp(&x),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            };
            // No handläggare (key None) sorts last among names.
            let by_name = match (name(a), name(b)) {
                (Some(x), Some(y)) => x.cmp(&y),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            };
            by_figure.then(by_name).then_with(|| a.key.cmp(&b.key))
        });
    }

    fn rescope(&mut self, scope: Scope) {
        self.data.rescope(scope);
        self.over_cursor.clamp(self.data.over_target.len());
        self.not_executed_cursor.clamp(self.data.not_executed.len());
        self.regroup();
    }

    /// Steps one filter of the popup forward or back through its values (none = alla first).
    pub fn step_field(&mut self, field: Field, forward: bool) {
        let choices: Vec<String> = match field {
            Field::Insats => self.data.insats_codes(),
            Field::Worker => self.data.workers().into_iter().map(|(id, _)| id).collect(),
        };
        let mut scope = self.data.scope.clone();
        let current = match field {
            Field::Insats => &mut scope.insats_code,
            Field::Worker => &mut scope.worker_id,
        };
        let pos = current
            .as_ref()
            .and_then(|c| choices.iter().position(|x| x == c));
        *current = match (pos, forward) {
            (None, true) => choices.first().cloned(),
            (None, false) => choices.last().cloned(),
            (Some(i), true) => choices.get(i + 1).cloned(),
            (Some(i), false) if i > 0 => choices.get(i - 1).cloned(),
            _ => None,
        };
        self.rescope(scope);
    }

    fn cursor(&mut self) -> (&mut ListCursor, usize) {
        match self.pane {
            Pane::Quarters => {
                let len = self.data.rows_of(self.measure).len();
                (&mut self.period_cursor, len)
            }
            Pane::Breakdown => (&mut self.breakdown_cursor, self.breakdown.len()),
            Pane::OverTarget => (&mut self.over_cursor, self.data.over_target.len()),
            Pane::NotExecuted => (&mut self.not_executed_cursor, self.data.not_executed.len()),
        }
    }

    /// Handles an action of this view; `None` when it is not the view's (view switching,
    /// unit and team filters, reload …), `Some(redraw)` otherwise.
    pub fn handle(&mut self, action: Action) -> Option<bool> {
        if let Some(field) = self.popup {
            let i = Field::ALL.iter().position(|f| *f == field).unwrap_or(0);
            return Some(match action {
                Action::Up => {
                    self.popup = Some(Field::ALL[i.saturating_sub(1)]);
                    true
                }
                Action::Down => {
                    self.popup = Some(Field::ALL[(i + 1).min(Field::ALL.len() - 1)]);
                    true
                }
                Action::FocusLeft | Action::FocusRight => {
                    self.step_field(field, action == Action::FocusRight);
                    true
                }
                Action::Back | Action::Open | Action::Filters => {
                    self.popup = None;
                    true
                }
                _ => false,
            });
        }
        match action {
            Action::FocusLeft | Action::FocusRight => {
                let i = Pane::ALL.iter().position(|p| *p == self.pane).unwrap_or(0);
                let next = if action == Action::FocusRight {
                    (i + 1).min(Pane::ALL.len() - 1)
                } else {
                    i.saturating_sub(1)
                };
                self.pane = Pane::ALL[next];
                if self.pane != Pane::Quarters {
                    self.lower = self.pane;
                }
                Some(next != i)
            }
            Action::Up
            | Action::Down
            | Action::PageUp
            | Action::PageDown
            | Action::Top
            | Action::Bottom => {
                let (cursor, len) = self.cursor();
                let moved = cursor.apply(action, len);
                if moved && self.pane == Pane::Quarters {
                    self.regroup();
                }
                Some(moved)
            }
            Action::Sort => {
                self.sort = self.sort.next();
                self.sort_breakdown();
                self.lower = Pane::Breakdown;
                Some(true)
            }
            Action::Open if matches!(self.pane, Pane::Quarters | Pane::Breakdown) => {
                self.by = match self.by {
                    By::Insats => By::Worker,
                    By::Worker => By::Sex,
                    By::Sex => By::Insats,
                };
                self.breakdown_cursor.selected = 0;
                self.lower = Pane::Breakdown;
                self.regroup();
                Some(true)
            }
            Action::Filters => {
                self.popup = Some(Field::Insats);
                Some(true)
            }
            Action::PeriodKind => {
                // The same number of periods up to today's of every kind: the cursor stays
                // as far back from today's.
                // A shorter kind than the rows reach for is a redraw; a longer one (a year
                // by year needs nine years of rows) is loaded: `wanted_kind` says so.
                let next = self.kind().next();
                if self.data.set_kind(next) {
                    self.wanted_kind = None;
                } else {
                    self.wanted_kind = Some(next);
                    return Some(true);
                }
                self.period_cursor.clamp(self.periods().len());
                self.regroup();
                Some(true)
            }
            Action::Measure => {
                self.measure = match self.measure {
                    Measure::Handlaggning => Measure::Verkstallighet,
                    Measure::Verkstallighet => Measure::Handlaggning,
                };
                self.breakdown_cursor.selected = 0;
                self.regroup();
                Some(true)
            }
            Action::SplitSex => {
                self.by_sex = !self.by_sex;
                Some(true)
            }
            Action::Mine => {
                let mut scope = self.data.scope.clone();
                scope.worker_id = if scope.worker_id.is_some() {
                    None
                } else {
                    self.me.clone()
                };
                self.rescope(scope);
                Some(true)
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::processing::{ApplicationTiming, Rows, Scope};

    fn d(s: &str) -> chrono::NaiveDate {
        crate::domain::dates::parse_iso(s).expect("date")
    }

    fn app(id: &str, code: &str, worker: &str, received: &str, decided: &str) -> ApplicationTiming {
        ApplicationTiming {
            application_id: id.into(),
            case_id: "C".into(),
            insats_code: code.into(),
            received: d(received),
            decided: Some(d(decided)),
            worker_id: Some(worker.into()),
            target_days: Some(14),
            case_opened: d("2010-01-01"),
            case_closed: None,
            sex: None,
        }
    }

    fn state() -> ProcessingState {
        let applications = [
            app("A", "HT", "H1", "2014-10-01", "2014-10-30"),
            app("B", "HT", "H2", "2014-10-01", "2014-10-02"),
            app("C", "BS", "H2", "2014-10-01", "2014-10-05"),
            app("D", "BS", "H2", "2014-07-01", "2014-07-05"),
        ];
        let rows = Rows::from_timings(d("2014-12-31"), &applications, vec![]);
        let data = Processing::compute(rows, Scope::default());
        ProcessingState::new(data, Some("H1".into()))
    }

    #[test]
    fn starts_on_todays_quarter_sorted_by_decisions() {
        let s = state();
        assert_eq!(
            s.period().map(|q| q.period.to_string()),
            Some("2014-Q4".into())
        );
        let keys: Vec<_> = s.breakdown.iter().map(|g| g.key.clone()).collect();
        assert_eq!(keys, [Some("HT".into()), Some("BS".into())]);
    }

    #[test]
    fn enter_toggles_grouping_s_sorts_and_up_changes_quarter() {
        let mut s = state();
        assert_eq!(s.handle(Action::Open), Some(true));
        assert_eq!(s.by, By::Worker);
        assert_eq!(s.breakdown[0].key.as_deref(), Some("H2"));
        s.handle(Action::Sort); // Median: H1 29 days first
        assert_eq!(s.sort, Sort::Median);
        assert_eq!(s.breakdown[0].key.as_deref(), Some("H1"));
        s.handle(Action::Up);
        assert_eq!(
            s.period().map(|q| q.period.to_string()),
            Some("2014-Q3".into())
        );
        assert_eq!(s.breakdown.len(), 1);
        assert_eq!(s.handle(Action::PickUnit), None, "not the view's key");
    }

    #[test]
    fn panes_and_filters() {
        let mut s = state();
        assert_eq!(s.handle(Action::FocusLeft), Some(false));
        s.handle(Action::FocusRight);
        s.handle(Action::FocusRight);
        assert_eq!((s.pane, s.lower), (Pane::OverTarget, Pane::OverTarget));
        s.handle(Action::Mine);
        assert_eq!(s.data.scope.worker_id.as_deref(), Some("H1"));
        assert_eq!(s.data.quarters[7].stats.decisions, 1);
        s.handle(Action::Filters);
        s.handle(Action::FocusRight);
        assert_eq!(s.data.scope.insats_code.as_deref(), Some("BS"));
        assert_eq!(s.data.quarters[7].stats.decisions, 0);
        s.handle(Action::Back);
        assert_eq!(s.popup, None);
    }

    #[test]
    fn p_steps_the_kind_v_the_measure_c_the_split() {
        use crate::domain::periods::PeriodKind;
        let mut s = state();
        let kinds: Vec<PeriodKind> = (0..4)
            .map(|_| {
                s.handle(Action::PeriodKind);
                s.data.kind
            })
            .collect();
        assert_eq!(
            kinds,
            [
                PeriodKind::Tertial,
                PeriodKind::Half,
                PeriodKind::Year,
                PeriodKind::Quarter
            ]
        );
        s.handle(Action::PeriodKind);
        assert_eq!(
            s.period().map(|p| p.period.to_string()),
            Some("2014-T3".into())
        );
        // Three decisions from September to December are in the third tertial.
        assert_eq!(s.period().map(|p| p.stats.decisions), Some(3));
        assert_eq!(s.handle(Action::Measure), Some(true));
        assert_eq!(s.measure, Measure::Verkstallighet);
        assert_eq!(
            s.period().map(|p| p.stats.decisions),
            Some(0),
            "none started"
        );
        assert!(s.breakdown.is_empty());
        s.handle(Action::Measure);
        assert_eq!(s.breakdown.len(), 2);
        assert!(!s.by_sex);
        assert_eq!(s.handle(Action::SplitSex), Some(true));
        assert!(s.by_sex);
    }
}
