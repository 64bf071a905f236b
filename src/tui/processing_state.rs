//! State of the Handläggningstid view: the focused pane, the measure (handläggningstid or
//! verkställighetstid), the kind of period and the chosen period, the split by kön, how
//! the period's breakdown is grouped and sorted, and the insats / handläggare filters.
//! Pure state; drawing is in `views/processing.rs`.

use crate::domain::periods::PeriodKind;
use std::cmp::Ordering;

use crate::domain::processing::{
    By, Group, Measure, NotExecuted, OverTarget, PeriodRow, Processing, Scope,
};
use crate::tui::app::ListCursor;
use crate::tui::keymap::Action;
use crate::tui::table::{ListView, Rows, by_figure, by_text, has};

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

/// The breakdown's rows, for search and sort: name, count, median, mean, P90, max, within.
pub struct GroupRows<'a>(pub &'a [Group]);

/// The name a breakdown row shows.
#[must_use]
pub fn group_name(g: &Group) -> &str {
    match (&g.name, &g.key) {
        (Some(n), _) => n,
        (None, Some(k)) => k,
        (None, None) => "(ingen handläggare)",
    }
}

impl Rows for GroupRows<'_> {
    fn count(&self) -> usize {
        self.0.len()
    }
    fn columns(&self) -> usize {
        7
    }
    fn matches(&self, i: usize, needle: &str) -> bool {
        let g = &self.0[i];
        has(group_name(g), needle) || g.key.as_deref().is_some_and(|k| has(k, needle))
    }
    fn compare(&self, a: usize, b: usize, column: usize) -> Ordering {
        let (x, y) = (&self.0[a].stats, &self.0[b].stats);
        let names = by_text(group_name(&self.0[a]), group_name(&self.0[b]));
        // Equal figures read by name.
        match column {
            0 => names,
            1 => by_figure(Some(x.decisions), Some(y.decisions)),
            2 => by_figure(x.median_days, y.median_days),
            3 => by_figure(x.mean_days, y.mean_days),
            4 => by_figure(x.p90_days, y.p90_days),
            5 => by_figure(x.max_days, y.max_days),
            _ => by_figure(x.within_target(), y.within_target()),
        }
        .then(names)
    }
}

/// "Utan beslut efter målet", for search and sort: inkom, dagar, mål, ärende, insats,
/// handläggare.
pub struct OverRows<'a>(pub &'a Processing);

impl Rows for OverRows<'_> {
    fn count(&self) -> usize {
        self.0.over_target.len()
    }
    fn columns(&self) -> usize {
        6
    }
    fn matches(&self, i: usize, needle: &str) -> bool {
        let p = self.0;
        let o = &p.over_target[i];
        has(&o.case_id, needle)
            || has(p.insats_name(&o.insats_code), needle)
            || p.worker_name(o.worker_id.as_deref())
                .is_some_and(|w| has(w, needle))
    }
    fn compare(&self, a: usize, b: usize, column: usize) -> Ordering {
        let p = self.0;
        let (x, y) = (&p.over_target[a], &p.over_target[b]);
        let worker = |o: &'_ OverTarget| -> String {
            p.worker_name(o.worker_id.as_deref())
                .unwrap_or("")
                .to_string()
        };
        match column {
            // Dates oldest first, as one reads a waiting list.
            0 => x.received.cmp(&y.received),
            1 => by_figure(Some(x.days_waiting), Some(y.days_waiting)),
            2 => by_figure(Some(x.target_days), Some(y.target_days)),
            3 => by_text(&x.case_id, &y.case_id),
            4 => by_text(p.insats_name(&x.insats_code), p.insats_name(&y.insats_code)),
            _ => by_text(&worker(x), &worker(y)),
        }
    }
}

/// "Ej verkställda beslut", for search and sort: beslutad, dagar, ärende, insats,
/// handläggare.
pub struct NotExecutedRows<'a>(pub &'a Processing);

impl Rows for NotExecutedRows<'_> {
    fn count(&self) -> usize {
        self.0.not_executed.len()
    }
    fn columns(&self) -> usize {
        5
    }
    fn matches(&self, i: usize, needle: &str) -> bool {
        let p = self.0;
        let n = &p.not_executed[i];
        has(&n.case_id, needle)
            || n.client_label.as_deref().is_some_and(|c| has(c, needle))
            || has(p.insats_name(&n.insats_code), needle)
            || p.worker_name(n.worker_id.as_deref())
                .is_some_and(|w| has(w, needle))
    }
    fn compare(&self, a: usize, b: usize, column: usize) -> Ordering {
        let p = self.0;
        let (x, y) = (&p.not_executed[a], &p.not_executed[b]);
        let worker = |n: &'_ NotExecuted| -> String {
            p.worker_name(n.worker_id.as_deref())
                .unwrap_or("")
                .to_string()
        };
        match column {
            0 => x.decided.cmp(&y.decided),
            1 => by_figure(Some(x.days_waiting), Some(y.days_waiting)),
            2 => by_text(&x.case_id, &y.case_id),
            3 => by_text(p.insats_name(&x.insats_code), p.insats_name(&y.insats_code)),
            _ => by_text(&worker(x), &worker(y)),
        }
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
    /// The chosen period's breakdown, in the domain's order; `breakdown_view` says which
    /// rows are shown and how they are sorted.
    pub breakdown: Vec<Group>,
    pub breakdown_view: ListView,
    pub over: ListView,
    pub not_executed: ListView,
    pub popup: Option<Field>,
    /// The user's own handläggare id, for `m`.
    pub me: Option<String>,
    /// A kind of period asked for (`p`) that the rows on screen do not reach back for: the
    /// app loads the review again for it, and shows it when it arrives.
    pub wanted_kind: Option<PeriodKind>,
    /// The periods as a chart in place of their table (`o`).
    pub chart: bool,
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
            breakdown: Vec::new(),
            // Most decisions first, said by the arrow.
            breakdown_view: ListView::sorted_by(1),
            over: ListView::default(),
            not_executed: ListView::default(),
            popup: None,
            me,
            wanted_kind: None,
            chart: false,
        };
        s.period_cursor.selected = s.periods().len().saturating_sub(1);
        s.regroup();
        s.refresh_lists();
        s
    }

    /// The two lists anew from the data (new data or scope).
    fn refresh_lists(&mut self) {
        self.over.refresh(&OverRows(&self.data));
        self.not_executed.refresh(&NotExecutedRows(&self.data));
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
        self.refresh_lists();
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
        self.breakdown_view.refresh(&GroupRows(&self.breakdown));
    }

    /// The breakdown's rows shown, in order.
    #[must_use]
    pub fn breakdown_shown(&self) -> Vec<&Group> {
        self.breakdown_view
            .order
            .iter()
            .filter_map(|&i| self.breakdown.get(i))
            .collect()
    }

    /// The selected breakdown row.
    #[must_use]
    pub fn selected_group(&self) -> Option<&Group> {
        self.breakdown.get(self.breakdown_view.selected()?)
    }

    /// The selected row of "Utan beslut efter målet".
    #[must_use]
    pub fn selected_over(&self) -> Option<&OverTarget> {
        self.data.over_target.get(self.over.selected()?)
    }

    /// The selected row of "Ej verkställda beslut".
    #[must_use]
    pub fn selected_not_executed(&self) -> Option<&NotExecuted> {
        self.data.not_executed.get(self.not_executed.selected()?)
    }

    /// The list `/` and `s` act on: the focused one; over the periods, the breakdown.
    fn list_mut(&mut self) -> (&mut ListView, Box<dyn Rows + '_>) {
        match self.pane {
            Pane::Quarters | Pane::Breakdown => (
                &mut self.breakdown_view,
                Box::new(GroupRows(&self.breakdown)),
            ),
            Pane::OverTarget => (&mut self.over, Box::new(OverRows(&self.data))),
            Pane::NotExecuted => (
                &mut self.not_executed,
                Box::new(NotExecutedRows(&self.data)),
            ),
        }
    }

    /// A key while the focused list's search is typed; `None` when none is.
    pub fn search_key(
        &mut self,
        key: crossterm::event::KeyEvent,
    ) -> Option<crate::tui::table::Edit> {
        let (view, rows) = self.list_mut();
        view.search_key(key, rows.as_ref())
    }

    /// `x`: no search or sort in any list (the breakdown back to most decisions first).
    pub fn clear(&mut self) -> bool {
        let mut had = self.over.clear(&OverRows(&self.data));
        had |= self.not_executed.clear(&NotExecutedRows(&self.data));
        had |= self.breakdown_view.clear(&GroupRows(&self.breakdown));
        had
    }

    /// `x` in the review: its own filters (insats, handläggare) too, besides searches and
    /// sorts.
    pub fn clear_all(&mut self) -> bool {
        let mut had = self.clear();
        if self.data.scope != Scope::default() {
            self.rescope(Scope::default());
            had = true;
        }
        had
    }

    fn rescope(&mut self, scope: Scope) {
        self.data.rescope(scope);
        self.refresh_lists();
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
            Pane::Breakdown => {
                let len = self.breakdown_view.len();
                (&mut self.breakdown_view.cursor, len)
            }
            Pane::OverTarget => {
                let len = self.over.len();
                (&mut self.over.cursor, len)
            }
            Pane::NotExecuted => {
                let len = self.not_executed.len();
                (&mut self.not_executed.cursor, len)
            }
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
            Action::Chart => {
                // The chart follows the chosen period: the focus goes to the periods.
                self.chart = !self.chart;
                self.pane = Pane::Quarters;
                Some(true)
            }
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
            Action::Sort | Action::Search => {
                if self.pane == Pane::Quarters {
                    // Over the periods (a time line), `/` and `s` are the breakdown's.
                    self.lower = Pane::Breakdown;
                }
                let (view, rows) = self.list_mut();
                view.handle(action, rows.as_ref())
            }
            Action::Back => {
                let (view, rows) = self.list_mut();
                view.handle(action, rows.as_ref())
            }
            Action::GroupBy => {
                self.by = match self.by {
                    By::Insats => By::Worker,
                    By::Worker => By::Sex,
                    By::Sex => By::Insats,
                };
                self.breakdown_view.cursor.selected = 0;
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
                self.breakdown_view.cursor.selected = 0;
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
    use crate::tui::table::SortBy;

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
        let keys: Vec<_> = s.breakdown_shown().iter().map(|g| g.key.clone()).collect();
        assert_eq!(keys, [Some("HT".into()), Some("BS".into())]);
    }

    #[test]
    fn b_toggles_grouping_s_sorts_and_up_changes_quarter() {
        let mut s = state();
        assert_eq!(s.handle(Action::GroupBy), Some(true));
        assert_eq!(s.by, By::Worker);
        assert_eq!(s.breakdown_shown()[0].key.as_deref(), Some("H2"));
        s.handle(Action::Sort); // Beslut reversed: H1 with one first
        s.handle(Action::Sort); // Median: H1 29 days first
        assert_eq!(
            s.breakdown_view.sort,
            Some(SortBy {
                column: 2,
                reversed: false
            })
        );
        assert_eq!(s.breakdown_shown()[0].key.as_deref(), Some("H1"));
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
