//! State of the bevakningslista view: which items are shown (filters, search, horizon),
//! which one is selected, and the per-handläggare summary's sort. Pure state; drawing is in
//! `views/deadlines.rs`.

use crate::domain::dates::add_days;
use crate::domain::deadlines::{Deadlines, Item, ItemRef, Kind, Status, WorkerSummary};
use crate::tui::app::ListCursor;
use crate::tui::table::{ListView, Rows, SortBy, by_figure, by_text, has};

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

    fn admits(self, days_left: i64) -> bool {
        match self {
            Horizon::Days(n) => days_left <= n,
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
    /// How many of those a search found beyond the horizon: a search looks through every
    /// item of the filters, whatever their date, and says how many the horizon hid.
    pub beyond: usize,
    /// `s`: the list sorted by a column (see [`DeadlineList::COLUMNS`]); `None` is the
    /// list's own order, the most overdue first.
    pub sort: Option<SortBy>,
    pub detail: bool,
    /// The filter popup is open on this field.
    pub popup: Option<Field>,
    /// The per-handläggare summary, counted when first shown (not on the way to the first
    /// screen: a city's list is some hundred thousand items), most overdue first.
    summary: std::cell::OnceCell<Vec<WorkerSummary>>,
    /// The summary's selection, search and sort; its rows are worked out when the summary
    /// is first counted (see [`DeadlineList::summary_view`]).
    summary_view: std::cell::RefCell<ListView>,
    /// Whether `summary_view` is for the summary counted now.
    summary_fresh: std::cell::Cell<bool>,
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
            beyond: 0,
            sort: None,
            detail: false,
            popup: None,
            summary: std::cell::OnceCell::new(),
            // Most overdue first, as the summary's own order, and said by the arrow.
            summary_view: std::cell::RefCell::new(ListView::sorted_by(2)),
            summary_fresh: std::cell::Cell::new(false),
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
            || self.searching
            || self.sort.is_some()
            || self.horizon != Horizon::Days(30);
        if had {
            self.kind = None;
            self.status = None;
            self.worker = None;
            self.search.clear();
            self.searching = false;
            self.sort = None;
            self.horizon = Horizon::Days(30);
            self.refilter();
        }
        let summary = self.summary_clear();
        had || summary
    }

    /// Replaces the data (new filter or snapshot), keeping the selected item where it still
    /// exists.
    pub fn replace(&mut self, data: Deadlines) -> Deadlines {
        let keep = self.selected().map(|i| (i.kind, i.source_id.clone()));
        let old = std::mem::replace(&mut self.data, data);
        self.recompute();
        self.summary = std::cell::OnceCell::new();
        self.summary_fresh.set(false);
        self.cursor.selected = keep
            .and_then(|(kind, source)| {
                self.visible.iter().position(|&ix| {
                    let i = self.data.at(ix);
                    i.kind() == kind && i.source_is(&source)
                })
            })
            .unwrap_or(0);
        old
    }

    /// The columns `s` sorts by, as drawn (Handläggare only where the window is wide).
    pub const COLUMNS: [&'static str; 8] = [
        "Status",
        "Förfaller",
        "Dagar",
        "Typ",
        "Ärende",
        "Klient",
        "Insats",
        "Handläggare",
    ];

    /// What item `i` is sorted by in column `column` of [`DeadlineList::COLUMNS`].
    fn sort_key(&self, i: ItemRef<'_>, column: usize) -> SortKey {
        let data = &self.data;
        match column {
            0 => SortKey::Status(i.status()),
            1 => SortKey::Date(i.due()),
            2 => SortKey::Days(i.days_left()),
            3 => SortKey::Text(i.kind().label().to_string()),
            4 => SortKey::Text(i.case_id().to_string()),
            5 => SortKey::Text(
                i.case()
                    .and_then(|c| c.client_label)
                    .unwrap_or("")
                    .to_string(),
            ),
            6 => SortKey::Text(match i.followup_kind() {
                Some(kind) => kind.to_string(),
                None => i.insats_code().map_or_else(String::new, |c| {
                    data.insats_names
                        .get(c)
                        .map_or(c, String::as_str)
                        .to_string()
                }),
            }),
            _ => SortKey::Text(i.worker_id().map_or_else(String::new, |w| {
                data.workers
                    .get(w)
                    .map_or(w, |(n, _)| n.as_str())
                    .to_string()
            })),
        }
    }

    /// Whether `item` passes the filters; `needle` is the search in lowercase. A search
    /// looks beyond the horizon too.
    fn matches(&self, item: ItemRef<'_>, days_left: i64, needle: &str) -> bool {
        if self
            .worker
            .as_ref()
            .is_some_and(|w| item.worker_id() != Some(w.as_str()))
        {
            return false;
        }
        if self.kind.is_some_and(|k| k != item.kind()) {
            return false;
        }
        if self
            .status
            .is_some_and(|s| s != Status::from_days_left(days_left))
        {
            return false;
        }
        // An explicit status choice overrides the horizon (asking for `senare` shows them),
        // and so does a search: what is looked for is found whatever its date.
        if self.status.is_none() && needle.is_empty() && !self.horizon.admits(days_left) {
            return false;
        }
        if !needle.is_empty() {
            let label = item.case().and_then(|c| c.client_label).unwrap_or("");
            if !contains_lowercase(item.case_id(), needle) && !contains_lowercase(label, needle) {
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
            .and_then(|ix| match self.sort {
                None => self.visible.binary_search(&ix).ok(),
                Some(_) => self.visible.iter().position(|&p| p == ix),
            })
            .unwrap_or(0);
    }

    /// The places of the items that pass the filters, in order.
    /// Whether what is shown (and the detail) needs no item due after `last`: a list of
    /// only those ([`crate::domain::deadlines::load_near`]) then shows it as the whole
    /// would. Not with a search (an empty one being typed is none yet) or `senare` (they
    /// look past any horizon), a horizon beyond `last`, or the detail (it names the case's
    /// other items, whenever due).
    #[must_use]
    pub fn shown_by(&self, last: chrono::NaiveDate) -> bool {
        let horizon_within = match self.horizon {
            Horizon::Days(n) => add_days(self.data.today(), n).is_some_and(|h| h <= last),
            Horizon::All => false,
        };
        let status_within = match self.status {
            None => horizon_within,
            Some(s) => s != Status::Senare,
        };
        status_within && self.search.is_empty() && !self.detail
    }

    fn recompute(&mut self) {
        let needle = self.search.to_lowercase();
        let mut overdue = 0;
        let mut beyond = 0;
        let horizon = self.horizon;
        let by_horizon = self.status.is_none() && !needle.is_empty();
        let mut shown = |i: ItemRef<'_>| {
            let days_left = i.days_left();
            let shown = self.matches(i, days_left, &needle);
            overdue += usize::from(shown && days_left < 0);
            beyond += usize::from(shown && by_horizon && !horizon.admits(days_left));
            shown
        };
        // With neither a status nor a search, nothing past the horizon is shown: only the
        // items due by its last day are looked at.
        let last_day = match (self.status, needle.is_empty(), horizon) {
            (None, true, Horizon::Days(n)) => add_days(self.data.today(), n),
            _ => None,
        };
        let mut visible = match last_day {
            Some(last) => self.data.places_due_by(last, &mut shown),
            None => self.data.places_where(&mut shown),
        };
        if let Some(sort) = self.sort {
            // Each item's key is made once, not at each of the sort's comparisons.
            let mut keyed: Vec<(SortKey, usize)> = visible
                .iter()
                .map(|&place| (self.sort_key(self.data.at(place), sort.column), place))
                .collect();
            // Stable: equal items keep the list's own order.
            keyed.sort_by(|(a, _), (b, _)| {
                let o = a.cmp_natural(b);
                if sort.reversed { o.reverse() } else { o }
            });
            visible = keyed.into_iter().map(|(_, place)| place).collect();
        }
        self.visible = visible;
        self.overdue = overdue;
        self.beyond = beyond;
    }

    /// `s`: the next column to sort by, or the next way.
    pub fn next_sort(&mut self, columns: usize) {
        self.sort = crate::tui::table::next_sort(self.sort, columns);
        self.refilter();
    }

    /// The data's items counted per handläggare (the list's filters do not apply to it),
    /// most overdue first.
    pub fn summary(&self) -> &[WorkerSummary] {
        self.summary.get_or_init(|| {
            let mut summary = self.data.summary();
            summary.sort_by(|a, b| {
                b.overdue
                    .cmp(&a.overdue)
                    .then_with(|| a.name.cmp(&b.name))
                    .then_with(|| a.worker_id.cmp(&b.worker_id))
            });
            summary
        })
    }

    /// The summary's rows as [`Rows`]: with the team of each handläggare.
    fn summary_rows(&self) -> SummaryRows<'_> {
        SummaryRows {
            rows: self.summary(),
            workers: &self.data.workers,
        }
    }

    /// The summary's selection, search, sort and the rows they leave.
    pub fn summary_view(&self) -> std::cell::Ref<'_, ListView> {
        if !self.summary_fresh.get() {
            self.summary_view.borrow_mut().reset(&self.summary_rows());
            self.summary_fresh.set(true);
        }
        self.summary_view.borrow()
    }

    /// The keys of the summary's list (moving, `/`, `s`, Esc clearing a search).
    pub fn summary_handle(&mut self, action: crate::tui::keymap::Action) -> Option<bool> {
        drop(self.summary_view());
        let rows = SummaryRows {
            rows: self.summary.get().map_or(&[], Vec::as_slice),
            workers: &self.data.workers,
        };
        self.summary_view.get_mut().handle(action, &rows)
    }

    /// A key while the summary's search is typed; `None` when none is.
    pub fn summary_search_key(
        &mut self,
        key: crossterm::event::KeyEvent,
    ) -> Option<crate::tui::table::Edit> {
        drop(self.summary_view());
        let rows = SummaryRows {
            rows: self.summary.get().map_or(&[], Vec::as_slice),
            workers: &self.data.workers,
        };
        self.summary_view.get_mut().search_key(key, &rows)
    }

    /// `x` in the summary: no search, its own order.
    pub fn summary_clear(&mut self) -> bool {
        drop(self.summary_view());
        let rows = SummaryRows {
            rows: self.summary.get().map_or(&[], Vec::as_slice),
            workers: &self.data.workers,
        };
        self.summary_view.get_mut().clear(&rows)
    }

    /// The summary's selected row.
    #[must_use]
    pub fn summary_selected(&self) -> Option<&WorkerSummary> {
        let place = self.summary_view().selected()?;
        self.summary().get(place)
    }

    /// The summary's rows shown, in order.
    #[must_use]
    pub fn summary_shown(&self) -> Vec<&WorkerSummary> {
        let view = self.summary_view();
        let rows = self.summary();
        view.order.iter().filter_map(|&i| rows.get(i)).collect()
    }

    /// The selected item, if any is shown.
    #[must_use]
    pub fn selected(&self) -> Option<Item> {
        self.visible
            .get(self.cursor.selected)
            .map(|&i| self.data.item(i))
    }

    /// The items shown, in order.
    pub fn shown(&self) -> impl Iterator<Item = Item> + '_ {
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

/// The summary's rows with each handläggare's team, for search and sort.
pub struct SummaryRows<'a> {
    pub rows: &'a [WorkerSummary],
    pub workers: &'a std::collections::HashMap<String, (String, Option<String>)>,
}

impl SummaryRows<'_> {
    /// The name shown for a row: the handläggare's, else the id.
    #[must_use]
    pub fn name(s: &WorkerSummary) -> &str {
        match (&s.name, &s.worker_id) {
            (Some(n), _) => n,
            (None, Some(id)) => id,
            (None, None) => "(ingen handläggare)",
        }
    }

    /// The team of a row's handläggare.
    #[must_use]
    pub fn team(&self, s: &WorkerSummary) -> Option<&str> {
        s.worker_id
            .as_ref()
            .and_then(|w| self.workers.get(w))
            .and_then(|(_, t)| t.as_deref())
    }
}

impl Rows for SummaryRows<'_> {
    fn count(&self) -> usize {
        self.rows.len()
    }
    fn columns(&self) -> usize {
        6
    }
    fn matches(&self, i: usize, needle: &str) -> bool {
        let s = &self.rows[i];
        has(Self::name(s), needle)
            || s.worker_id.as_deref().is_some_and(|w| has(w, needle))
            || self.team(s).is_some_and(|t| has(t, needle))
    }
    fn compare(&self, a: usize, b: usize, column: usize) -> std::cmp::Ordering {
        let (x, y) = (&self.rows[a], &self.rows[b]);
        match column {
            0 => by_text(Self::name(x), Self::name(y)),
            1 => by_text(self.team(x).unwrap_or(""), self.team(y).unwrap_or("")),
            2 => by_figure(Some(x.overdue), Some(y.overdue)),
            3 => by_figure(Some(x.week), Some(y.week)),
            4 => by_figure(Some(x.month), Some(y.month)),
            _ => by_figure(Some(x.total), Some(y.total)),
        }
    }
}

/// What an item is sorted by in one column of the list.
#[derive(Debug, Clone, PartialEq, Eq)]
enum SortKey {
    Status(Status),
    Date(chrono::NaiveDate),
    Days(i64),
    Text(String),
}

impl SortKey {
    /// The column's natural direction: the most urgent first for status, date and days;
    /// texts A–Ö.
    fn cmp_natural(&self, other: &Self) -> std::cmp::Ordering {
        match (self, other) {
            (SortKey::Status(a), SortKey::Status(b)) => a.cmp(b),
            (SortKey::Date(a), SortKey::Date(b)) => a.cmp(b),
            (SortKey::Days(a), SortKey::Days(b)) => a.cmp(b),
            (SortKey::Text(a), SortKey::Text(b)) => by_text(a, b),
            // One column's keys are all of one kind.
            _ => std::cmp::Ordering::Equal,
        }
    }
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
        let today = chrono::NaiveDate::from_ymd_opt(2014, 12, 31).expect("date");
        DeadlineList::new(Deadlines::from_items(items, today, cases), None)
    }

    #[test]
    fn default_hides_later_than_30_days() {
        let l = list();
        assert_eq!(l.visible, [0, 1, 2]);
        assert_eq!(l.overdue, 1, "the title's count of overdue items shown");
    }

    /// Each horizon shows the items due by its last day, counted from the list's today,
    /// and no later one: the last day itself is in, the day after is out.
    #[test]
    fn each_horizon_ends_on_its_last_day() {
        let days = [-40, -3, 0, 6, 7, 8, 29, 30, 31, 89, 90, 91, 400];
        let items = days
            .iter()
            .map(|&d| item(Kind::Uppfoljning, &format!("BF-{d}"), d, Some("H1")))
            .collect();
        let today = chrono::NaiveDate::from_ymd_opt(2014, 12, 31).expect("date");
        let mut l = DeadlineList::new(
            Deadlines::from_items(items, today, CaseMap::default()),
            None,
        );
        for horizon in Horizon::CHOICES {
            l.horizon = horizon;
            l.refilter();
            let shown: Vec<i64> = l
                .visible
                .iter()
                .map(|&p| l.data.at(p).days_left())
                .collect();
            let expected: Vec<i64> = days.into_iter().filter(|&d| horizon.admits(d)).collect();
            assert_eq!(shown, expected, "{horizon:?}");
            assert_eq!(l.overdue, 2, "{horizon:?}");
        }
    }

    /// What a list of the next 30 days shows as the whole list would: the horizons up to
    /// 30 days and the statuses within them, not a search, `senare`, a longer horizon or the
    /// detail.
    #[test]
    fn the_next_30_days_show_what_needs_no_later_item() {
        let data = list().data;
        let last = data.today() + chrono::Days::new(30);
        let shown = |set: &dyn Fn(&mut DeadlineList)| {
            let mut l = DeadlineList::new(data.clone(), None);
            set(&mut l);
            l.shown_by(last)
        };
        assert!(shown(&|_| {}), "the first screen");
        assert!(shown(&|l| l.horizon = Horizon::Days(7)));
        assert!(!shown(&|l| l.horizon = Horizon::Days(90)));
        assert!(!shown(&|l| l.horizon = Horizon::All));
        assert!(shown(&|l| {
            l.horizon = Horizon::All;
            l.status = Some(Status::Forsenad);
        }));
        assert!(!shown(&|l| l.status = Some(Status::Senare)));
        assert!(shown(&|l| l.searching = true), "nothing typed yet");
        assert!(!shown(&|l| l.search = "bf".into()));
        assert!(!shown(&|l| l.detail = true));
        assert!(shown(&|l| {
            l.worker = Some("H1".into());
            l.kind = Some(Kind::Bevakning);
        }));
        // A day short of the horizon's last: not shown by it.
        let l = DeadlineList::new(data.clone(), None);
        assert!(!l.shown_by(last - chrono::Days::new(1)));
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
        l.search = "bf-1".into();
        l.refilter();
        assert_eq!(l.visible, [0, 3], "a search finds items beyond the horizon");
        assert_eq!(l.beyond, 1, "and says how many");
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
        assert_eq!(
            l.selected().map(|i| i.case_id.to_string()).as_deref(),
            Some("ÄO-3")
        );
        l.search.clear();
        l.refilter();
        assert_eq!(
            l.selected().map(|i| i.case_id.to_string()).as_deref(),
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
    fn s_sorts_by_the_next_column_then_reverses() {
        let mut l = list();
        l.horizon = Horizon::All;
        l.refilter();
        let cases = |l: &DeadlineList| -> Vec<String> {
            l.shown().map(|i| i.case_id.to_string()).collect()
        };
        assert_eq!(cases(&l), ["BF-1", "BF-2", "ÄO-3", "BF-1"]);
        for _ in 0..9 {
            l.next_sort(DeadlineList::COLUMNS.len());
        }
        assert_eq!(
            l.sort,
            Some(SortBy {
                column: 4,
                reversed: false
            })
        );
        assert_eq!(cases(&l), ["BF-1", "BF-1", "BF-2", "ÄO-3"], "Ärende A–Ö");
        l.next_sort(DeadlineList::COLUMNS.len());
        assert_eq!(cases(&l), ["ÄO-3", "BF-2", "BF-1", "BF-1"], "and reversed");
        assert!(l.clear_filters());
        assert_eq!(l.sort, None);
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
        let data = Deadlines::from_items(
            l.data.items().skip(1).collect(),
            l.data.today(),
            l.data.cases().clone(),
        );
        l.replace(data);
        assert_eq!(
            l.selected().map(|i| i.case_id.to_string()).as_deref(),
            Some("ÄO-3")
        );
    }

    #[test]
    fn summary_sorts_by_chosen_column() {
        use crate::tui::keymap::Action;
        let mut l = list();
        assert_eq!(
            l.summary_selected().and_then(|s| s.worker_id.as_deref()),
            Some("H1")
        );
        // s: from Försenade (the own order) to Försenade reversed, then Inom 7 d.
        for _ in 0..2 {
            l.summary_handle(Action::Sort);
        }
        l.summary_handle(Action::Top);
        assert_eq!(
            l.summary_selected().and_then(|s| s.worker_id.as_deref()),
            Some("H2")
        );
    }
}
