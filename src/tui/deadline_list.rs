//! State of the bevakningslista view: which items are shown (filters, search, horizon),
//! which one is selected, and the per-handläggare summary's sort. Pure state; drawing is in
//! `views/deadlines.rs`.

use crate::domain::deadlines::{Deadlines, Item, Kind, Status, WorkerSummary};
use crate::tui::app::ListCursor;

/// How far ahead the list reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Horizon {
    Days(i64),
    All,
}

impl Horizon {
    pub const CHOICES: [Horizon; 4] = [
        Horizon::Days(7),
        Horizon::Days(30),
        Horizon::Days(90),
        Horizon::All,
    ];

    #[must_use]
    pub fn label(self) -> String {
        match self {
            Horizon::Days(n) => format!("{n} dagar"),
            Horizon::All => "alla (även senare)".into(),
        }
    }

    fn admits(self, item: &Item) -> bool {
        match self {
            Horizon::Days(n) => item.days_left <= n,
            Horizon::All => true,
        }
    }
}

/// The fields of the filter popup, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Kind,
    Status,
    Horizon,
    Worker,
}

impl Field {
    pub const ALL: [Field; 4] = [Field::Kind, Field::Status, Field::Horizon, Field::Worker];

    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Field::Kind => "Typ",
            Field::Status => "Status",
            Field::Horizon => "Visa framåt",
            Field::Worker => "Handläggare",
        }
    }
}

/// Columns of the per-handläggare summary, for sorting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SummarySort {
    Overdue,
    Week,
    Month,
    Total,
    Name,
}

impl SummarySort {
    pub const ALL: [SummarySort; 5] = [
        SummarySort::Overdue,
        SummarySort::Week,
        SummarySort::Month,
        SummarySort::Total,
        SummarySort::Name,
    ];

    #[must_use]
    pub fn next(self) -> Self {
        let i = Self::ALL.iter().position(|s| *s == self).unwrap_or(0);
        Self::ALL[(i + 1) % Self::ALL.len()]
    }
}

/// The bevakningslista's state.
#[derive(Debug)]
pub struct DeadlineList {
    pub data: Deadlines,
    pub worker: Option<String>,
    pub kind: Option<Kind>,
    pub status: Option<Status>,
    pub horizon: Horizon,
    pub search: String,
    /// The search line is being edited.
    pub searching: bool,
    pub cursor: ListCursor,
    /// The places in `data` of the items shown, in order.
    pub visible: Vec<usize>,
    /// How many of those are overdue (counted with them, not on every frame).
    pub overdue: usize,
    pub detail: bool,
    /// The filter popup is open on this field.
    pub popup: Option<Field>,
    /// The per-handläggare summary, counted when first shown (not on the way to the first
    /// screen: a city's list is some hundred thousand items), sorted by `summary_sort`.
    summary: std::cell::OnceCell<Vec<WorkerSummary>>,
    pub summary_sort: SummarySort,
    pub summary_cursor: ListCursor,
}

impl DeadlineList {
    #[must_use]
    pub fn new(data: Deadlines, worker: Option<String>) -> Self {
        let mut list = Self {
            data,
            worker,
            kind: None,
            status: None,
            horizon: Horizon::Days(30),
            search: String::new(),
            searching: false,
            cursor: ListCursor::default(),
            visible: Vec::new(),
            overdue: 0,
            detail: false,
            popup: None,
            summary: std::cell::OnceCell::new(),
            summary_sort: SummarySort::Overdue,
            summary_cursor: ListCursor::default(),
        };
        list.refilter();
        list
    }

    /// `x`: every filter of the list back to how it starts for all (no kind, status,
    /// handläggare or search; the default horizon); returns whether any was set.
    pub fn clear_filters(&mut self) -> bool {
        let had = self.kind.is_some()
            || self.status.is_some()
            || self.worker.is_some()
            || !self.search.is_empty()
            || self.horizon != Horizon::Days(30);
        if had {
            self.kind = None;
            self.status = None;
            self.worker = None;
            self.search.clear();
            self.horizon = Horizon::Days(30);
            self.refilter();
        }
        had
    }

    /// Replaces the data (new filter or snapshot), keeping the selected item where it still
    /// exists.
    pub fn replace(&mut self, data: Deadlines) -> Deadlines {
        let keep = self.selected().map(|i| (i.kind, i.source_id.clone()));
        let old = std::mem::replace(&mut self.data, data);
        self.recompute();
        self.summary = std::cell::OnceCell::new();
        self.cursor.selected = keep
            .and_then(|(kind, source)| {
                self.visible.iter().position(|&ix| {
                    let i = self.data.item(ix);
                    i.kind == kind && i.source_id == source
                })
            })
            .unwrap_or(0);
        old
    }

    /// Whether `item` passes the filters; `needle` is the search in lowercase.
    fn matches(&self, item: &Item, needle: &str) -> bool {
        if self
            .worker
            .as_ref()
            .is_some_and(|w| item.worker_id.as_deref() != Some(w.as_str()))
        {
            return false;
        }
        if self.kind.is_some_and(|k| k != item.kind) {
            return false;
        }
        if self.status.is_some_and(|s| s != item.status) {
            return false;
        }
        // An explicit status choice overrides the horizon (asking for `senare` shows them).
        if self.status.is_none() && !self.horizon.admits(item) {
            return false;
        }
        if !needle.is_empty() {
            let label = self
                .data
                .cases
                .get(&item.case_id)
                .and_then(|c| c.client_label.as_deref())
                .unwrap_or("");
            if !contains_lowercase(&item.case_id, needle) && !contains_lowercase(label, needle) {
                return false;
            }
        }
        true
    }

    /// Recomputes the visible items after a filter change.
    pub fn refilter(&mut self) {
        let was = self.visible.get(self.cursor.selected).copied();
        self.recompute();
        // The selected item stays selected while it is shown; once a search or filter hides
        // it, the list starts from the top (the most overdue), not at some row further down.
        self.cursor.selected = was
            .and_then(|ix| self.visible.binary_search(&ix).ok())
            .unwrap_or(0);
    }

    /// The places of the items that pass the filters, in order.
    fn recompute(&mut self) {
        let needle = self.search.to_lowercase();
        let mut overdue = 0;
        let visible = self.data.places(|i| {
            let shown = self.matches(i, &needle);
            overdue += usize::from(shown && i.status == Status::Forsenad);
            shown
        });
        self.visible = visible;
        self.overdue = overdue;
    }

    /// The data's items counted per handläggare (the list's filters do not apply to it),
    /// sorted by the chosen column.
    pub fn summary(&self) -> &[WorkerSummary] {
        self.summary.get_or_init(|| {
            let mut summary = self.data.summary();
            sort_summary(&mut summary, self.summary_sort);
            summary
        })
    }

    /// Sorts the summary by the chosen column, once it is counted.
    pub fn sort_summary(&mut self) {
        if let Some(summary) = self.summary.get_mut() {
            sort_summary(summary, self.summary_sort);
        }
    }

    /// The selected item, if any is shown.
    #[must_use]
    pub fn selected(&self) -> Option<&Item> {
        self.visible
            .get(self.cursor.selected)
            .map(|&i| self.data.item(i))
    }

    /// The items shown, in order.
    pub fn shown(&self) -> impl Iterator<Item = &Item> {
        self.visible.iter().map(|&i| self.data.item(i))
    }

    /// Changes the popup's current field by one step (`forward` or back).
    pub fn step_field(&mut self, field: Field, forward: bool, workers: &[(String, String)]) {
        fn step<T: Copy + PartialEq>(cur: Option<T>, all: &[T], forward: bool) -> Option<T> {
            // None (= alla) sits before the first choice.
            let pos = cur.and_then(|c| all.iter().position(|x| *x == c));
            let n = all.len();
            match (pos, forward) {
                (None, true) => all.first().copied(),
                (None, false) => all.last().copied(),
                (Some(i), true) if i + 1 < n => Some(all[i + 1]),
                (Some(i), false) if i > 0 => Some(all[i - 1]),
                _ => None,
            }
        }
        match field {
            Field::Kind => self.kind = step(self.kind, &Kind::ALL, forward),
            Field::Status => self.status = step(self.status, &Status::ALL, forward),
            Field::Horizon => {
                let all = Horizon::CHOICES;
                let i = all.iter().position(|h| *h == self.horizon).unwrap_or(1);
                let next = if forward {
                    (i + 1) % all.len()
                } else {
                    (i + all.len() - 1) % all.len()
                };
                self.horizon = all[next];
            }
            Field::Worker => {
                let ids: Vec<&str> = workers.iter().map(|(id, _)| id.as_str()).collect();
                let pos = self
                    .worker
                    .as_deref()
                    .and_then(|w| ids.iter().position(|x| *x == w));
                self.worker = match (pos, forward) {
                    (None, true) => ids.first().map(|s| (*s).to_string()),
                    (None, false) => ids.last().map(|s| (*s).to_string()),
                    (Some(i), true) => ids.get(i + 1).map(|s| (*s).to_string()),
                    (Some(i), false) if i > 0 => ids.get(i - 1).map(|s| (*s).to_string()),
                    _ => None,
                };
            }
        }
        self.refilter();
    }
}

/// Whether `hay` in lowercase contains `needle` (lowercase): without allocating where `hay`
/// is ASCII (most case ids), where lowercasing is byte by byte.
fn contains_lowercase(hay: &str, needle: &str) -> bool {
    if !hay.is_ascii() {
        return hay.to_lowercase().contains(needle);
    }
    let (hay, needle) = (hay.as_bytes(), needle.as_bytes());
    needle.is_empty()
        || hay.windows(needle.len()).any(|w| {
            w.iter()
                .zip(needle)
                .all(|(h, n)| h.to_ascii_lowercase() == *n)
        })
}

/// Sorts by `key` (descending counts), then by name ascending.
fn sort_summary(summary: &mut [WorkerSummary], key: SummarySort) {
    summary.sort_by(|a, b| {
        let by = match key {
            SummarySort::Overdue => b.overdue.cmp(&a.overdue),
            SummarySort::Week => b.week.cmp(&a.week),
            SummarySort::Month => b.month.cmp(&a.month),
            SummarySort::Total => b.total.cmp(&a.total),
            SummarySort::Name => std::cmp::Ordering::Equal,
        };
        by.then_with(|| a.name.cmp(&b.name))
            .then_with(|| a.worker_id.cmp(&b.worker_id))
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::deadlines::{CaseInfo, CaseMap};

    fn item(kind: Kind, case: &str, days_left: i64, worker: Option<&str>) -> Item {
        let today = chrono::NaiveDate::from_ymd_opt(2014, 12, 31).expect("date");
        Item {
            kind,
            case_id: case.into(),
            source_id: format!("{case}-{days_left}").into(),
            worker_id: worker.map(Into::into),
            insats_code: None,
            followup: None,
            basis: today,
            due: today + chrono::Duration::days(days_left),
            days_left,
            status: Status::from_days_left(days_left),
            case_rank: 0,
        }
    }

    fn list() -> DeadlineList {
        let items = vec![
            item(Kind::Beslut, "BF-1", -3, Some("H1")),
            item(Kind::Bevakning, "BF-2", 0, Some("H2")),
            item(Kind::Uppfoljning, "ÄO-3", 20, Some("H1")),
            item(Kind::Omprovning, "BF-1", 200, Some("H1")),
        ];
        let cases = CaseMap::from_iter([(
            "ÄO-3".into(),
            CaseInfo {
                client_label: Some("K.L. 1931".into()),
                unit_id: "U".into(),
                team: None,
                worker_id: None,
            },
        )]);
        let mut data = Deadlines::from_items(items);
        data.cases = cases;
        DeadlineList::new(data, None)
    }

    #[test]
    fn default_hides_later_than_30_days() {
        let l = list();
        assert_eq!(l.visible, [0, 1, 2]);
        assert_eq!(l.overdue, 1, "the title's count of overdue items shown");
    }

    #[test]
    fn filters_combine_and_search_matches_case_or_label() {
        let mut l = list();
        l.worker = Some("H1".into());
        l.refilter();
        assert_eq!(l.visible, [0, 2]);
        l.search = "k.l.".into();
        l.refilter();
        assert_eq!(l.visible, [2]);
        l.search.clear();
        l.worker = None;
        l.status = Some(Status::Senare);
        l.refilter();
        assert_eq!(l.visible, [3], "asking for senare shows them");
        l.status = None;
        l.kind = Some(Kind::Bevakning);
        l.refilter();
        assert_eq!(l.visible, [1]);
    }

    #[test]
    fn a_filter_keeps_the_selected_item_while_shown_else_starts_from_the_top() {
        let mut l = list();
        l.cursor.selected = 2; // ÄO-3, uppföljning
        l.search = "äo".into();
        l.refilter();
        assert_eq!(l.visible, [2]);
        assert_eq!(l.cursor.selected, 0, "the same item, now the first shown");
        assert_eq!(l.selected().map(|i| &*i.case_id), Some("ÄO-3"));
        l.search.clear();
        l.refilter();
        assert_eq!(
            l.selected().map(|i| &*i.case_id),
            Some("ÄO-3"),
            "still selected"
        );
        l.kind = Some(Kind::Beslut);
        l.refilter();
        assert_eq!(l.cursor.selected, 0);
        l.kind = None;
        l.refilter();
        assert_eq!(
            l.selected().map(|i| i.kind),
            Some(Kind::Beslut),
            "the item selected under the filter stays selected"
        );
        l.cursor.selected = 2;
        l.search = "bf-2".into();
        l.refilter();
        assert_eq!(l.cursor.selected, 0, "the selected item hidden: the top");
    }

    #[test]
    fn search_ignores_case_as_lowercasing_does() {
        for (hay, needle) in [
            ("BF-2014-00012", "bf-2014"),
            ("BF-2014-00012", "0012"),
            ("BF-2014-00012", "x"),
            ("BF-2014-00012", "bf-2014-000123"),
            ("ÄO-3", "äo"),
            ("K.L. 1931", "k.l."),
            ("Åsa", "å"),
            ("ABC", "é"),
            ("", "a"),
        ] {
            assert_eq!(
                contains_lowercase(hay, needle),
                hay.to_lowercase().contains(needle),
                "{hay:?} {needle:?}"
            );
        }
    }

    #[test]
    fn selection_survives_new_data_when_the_item_still_exists() {
        let mut l = list();
        l.cursor.selected = 2;
        let mut data = Deadlines::from_items(l.data.items().skip(1).cloned().collect());
        data.cases = l.data.cases.clone();
        l.replace(data);
        assert_eq!(l.selected().map(|i| &*i.case_id), Some("ÄO-3"));
    }

    #[test]
    fn summary_sorts_by_chosen_column() {
        let mut l = list();
        assert_eq!(l.summary()[0].worker_id.as_deref(), Some("H1"));
        l.summary_sort = SummarySort::Week;
        l.sort_summary();
        assert_eq!(l.summary()[0].worker_id.as_deref(), Some("H2"));
    }
}
