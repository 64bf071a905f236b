//! What every list of the dashboard shares (issue 13, "one way to move"): a selection, a
//! search typed after `/` that narrows the list as one types, and a sort that `s` steps
//! through the columns, each first in its natural direction (names A–Ö, figures largest
//! first), then reversed, then back to the list's own order.
//!
//! A list's rows stay where they are in its data; [`ListView::order`] holds the places of
//! the rows shown, in the order shown, and the cursor moves through that. Each kind of
//! row says how it is searched and compared ([`Rows`]), so the rules live with the rows
//! and every list behaves the same.

use std::cmp::Ordering;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::app::ListCursor;
use super::keymap::Action;

/// The longest search kept (characters).
pub const SEARCH_MAX: usize = 40;

/// A sort chosen with `s`: the column (as drawn, from the left) and whether reversed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SortBy {
    pub column: usize,
    pub reversed: bool,
}

/// The sort after `sort` among `columns` columns: each column in its natural direction,
/// then reversed, then the next; after the last, the list's own order (`None`).
#[must_use]
pub fn next_sort(sort: Option<SortBy>, columns: usize) -> Option<SortBy> {
    match sort {
        _ if columns == 0 => None,
        None => Some(SortBy {
            column: 0,
            reversed: false,
        }),
        Some(SortBy {
            column,
            reversed: false,
        }) => Some(SortBy {
            column,
            reversed: true,
        }),
        Some(SortBy { column, .. }) if column + 1 < columns => Some(SortBy {
            column: column + 1,
            reversed: false,
        }),
        Some(_) => None,
    }
}

/// The arrow after a column's title: which way it is sorted, if it is. Written right after
/// the title, so that it fits where the column is as narrow as its title.
#[must_use]
pub fn arrow(sort: Option<SortBy>, column: usize, ascii: bool) -> &'static str {
    match sort {
        Some(s) if s.column == column => match (s.reversed, ascii) {
            (false, false) => "▼",
            (true, false) => "▲",
            (false, true) => "v",
            (true, true) => "^",
        },
        _ => "",
    }
}

/// What a key did to a search being typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edit {
    /// The text changed, or the line was closed: the list is narrowed anew.
    Changed,
    /// Ctrl-C: the dashboard quits.
    Quit,
    /// Not a key the search line takes; it does nothing (never a command).
    Ignored,
}

/// A search line: its text and whether it is being typed.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Search {
    pub text: String,
    pub editing: bool,
}

impl Search {
    /// A key while the line is typed: Esc clears and closes it, Enter closes it keeping
    /// the text, Backspace takes the last character, and printable characters are added.
    /// Nothing typed here reaches the keymap.
    pub fn key(&mut self, key: KeyEvent) -> Edit {
        match key.code {
            KeyCode::Char('c') if key.modifiers.contains(KeyModifiers::CONTROL) => Edit::Quit,
            KeyCode::Esc => {
                self.editing = false;
                self.text.clear();
                Edit::Changed
            }
            KeyCode::Enter => {
                self.editing = false;
                Edit::Changed
            }
            KeyCode::Backspace => {
                self.text.pop();
                Edit::Changed
            }
            KeyCode::Char(c)
                if !c.is_control()
                    && !key.modifiers.contains(KeyModifiers::CONTROL)
                    && self.text.chars().count() < SEARCH_MAX =>
            {
                self.text.push(c);
                Edit::Changed
            }
            _ => Edit::Ignored,
        }
    }

    /// The text to look for, in lowercase (empty: everything matches).
    #[must_use]
    pub fn needle(&self) -> String {
        self.text.to_lowercase()
    }

    /// Whether there is a search (typed or kept).
    #[must_use]
    pub fn active(&self) -> bool {
        self.editing || !self.text.is_empty()
    }
}

/// Rows a list can search and sort.
pub trait Rows {
    /// How many rows the data has.
    fn count(&self) -> usize;
    /// How many columns `s` steps through (the first ones drawn).
    fn columns(&self) -> usize;
    /// Whether row `i` contains `needle` (lowercase) in any of the texts it shows.
    fn matches(&self, i: usize, needle: &str) -> bool;
    /// Rows `a` and `b` by `column`, in its natural direction: texts A–Ö, figures largest
    /// first, missing values last. Ties are left to the list's own order.
    fn compare(&self, a: usize, b: usize, column: usize) -> Ordering;
}

/// A list's selection, search and sort, and the rows they leave.
#[derive(Debug, Default)]
pub struct ListView {
    pub cursor: ListCursor,
    pub search: Search,
    pub sort: Option<SortBy>,
    /// The sort the list starts with, and `x` goes back to.
    pub initial: Option<SortBy>,
    /// The places in the data of the rows shown, in the order shown.
    pub order: Vec<usize>,
}

impl ListView {
    /// A list of `rows` in their own order, nothing searched.
    #[must_use]
    pub fn new(rows: &(impl Rows + ?Sized)) -> Self {
        let mut v = Self::default();
        v.refresh(rows);
        v
    }

    /// A list that starts sorted by `column` in its natural direction (and says so with
    /// the arrow), which `x` goes back to.
    #[must_use]
    pub fn sorted_by(column: usize) -> Self {
        let sort = Some(SortBy {
            column,
            reversed: false,
        });
        Self {
            sort,
            initial: sort,
            ..Self::default()
        }
    }

    /// The place in the data of the selected row.
    #[must_use]
    pub fn selected(&self) -> Option<usize> {
        self.order.get(self.cursor.selected).copied()
    }

    /// How many rows are shown.
    #[must_use]
    pub fn len(&self) -> usize {
        self.order.len()
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    /// The arrow for `column`'s title.
    #[must_use]
    pub fn arrow(&self, column: usize, ascii: bool) -> &'static str {
        arrow(self.sort, column, ascii)
    }

    /// Computes the rows shown from the search and the sort. The selected row stays
    /// selected while shown; else the list starts from the top.
    pub fn refresh(&mut self, rows: &(impl Rows + ?Sized)) {
        let was = self.selected();
        let needle = self.search.needle();
        let mut order: Vec<usize> = (0..rows.count())
            .filter(|&i| needle.is_empty() || rows.matches(i, &needle))
            .collect();
        if let Some(sort) = self.sort {
            // Stable: equal rows keep the list's own order.
            order.sort_by(|&a, &b| {
                let o = rows.compare(a, b, sort.column);
                if sort.reversed { o.reverse() } else { o }
            });
        }
        self.order = order;
        self.cursor.selected = was
            .and_then(|p| self.order.iter().position(|&q| q == p))
            .unwrap_or(0);
        self.cursor.clamp(self.order.len());
    }

    /// New data in place of the old (another filter or snapshot): the search and the sort
    /// stay, the selection starts from the top.
    pub fn reset(&mut self, rows: &(impl Rows + ?Sized)) {
        self.cursor.selected = 0;
        self.cursor.offset.set(0);
        self.order.clear();
        self.refresh(rows);
    }

    /// A key while the search is typed; `None` when no search is being typed.
    pub fn search_key(&mut self, key: KeyEvent, rows: &(impl Rows + ?Sized)) -> Option<Edit> {
        if !self.search.editing {
            return None;
        }
        let edit = self.search.key(key);
        if edit == Edit::Changed {
            self.refresh(rows);
        }
        Some(edit)
    }

    /// The keys every list has: moving, `/`, `s`, and Esc clearing a search kept after
    /// typing. `None` when the action is not one of them (or Esc with nothing to clear).
    pub fn handle(&mut self, action: Action, rows: &(impl Rows + ?Sized)) -> Option<bool> {
        match action {
            Action::Up
            | Action::Down
            | Action::PageUp
            | Action::PageDown
            | Action::Top
            | Action::Bottom => Some(self.cursor.apply(action, self.order.len())),
            Action::Search => {
                self.search.editing = true;
                Some(true)
            }
            Action::Sort => {
                self.sort = next_sort(self.sort, rows.columns());
                self.refresh(rows);
                Some(true)
            }
            Action::Back if !self.search.text.is_empty() => {
                self.search.text.clear();
                self.refresh(rows);
                Some(true)
            }
            _ => None,
        }
    }

    /// `x`: no search and the order the list starts with; returns whether either was
    /// changed.
    pub fn clear(&mut self, rows: &(impl Rows + ?Sized)) -> bool {
        let had = self.search.active() || self.sort != self.initial;
        if had {
            self.search = Search::default();
            self.sort = self.initial;
            self.refresh(rows);
        }
        had
    }

    /// What the list's title adds for its search: `sök "…"` and how many matched.
    #[must_use]
    pub fn search_note(&self) -> Option<String> {
        self.search
            .active()
            .then(|| format!("sök \"{}\": {} träffar", self.search.text, self.order.len()))
    }
}

/// Compares texts as the lists sort names: case-insensitively, A–Ö.
#[must_use]
pub fn by_text(a: &str, b: &str) -> Ordering {
    crate::text::collate(a, b)
}

/// Compares figures largest first, a missing one last.
#[must_use]
pub fn by_figure<T: PartialOrd>(a: Option<T>, b: Option<T>) -> Ordering {
    match (a, b) {
        (Some(x), Some(y)) => y.partial_cmp(&x).unwrap_or(Ordering::Equal),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

/// Whether `hay` contains `needle` (lowercase), ignoring case.
#[must_use]
pub fn has(hay: &str, needle: &str) -> bool {
    hay.to_lowercase().contains(needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Names(Vec<(&'static str, Option<u32>)>);

    impl Rows for Names {
        fn count(&self) -> usize {
            self.0.len()
        }
        fn columns(&self) -> usize {
            2
        }
        fn matches(&self, i: usize, needle: &str) -> bool {
            has(self.0[i].0, needle)
        }
        fn compare(&self, a: usize, b: usize, column: usize) -> Ordering {
            let (x, y) = (&self.0[a], &self.0[b]);
            match column {
                0 => by_text(x.0, y.0),
                _ => by_figure(x.1, y.1),
            }
        }
    }

    fn names() -> Names {
        Names(vec![
            ("Örjan", Some(3)),
            ("anna", None),
            ("Åsa", Some(7)),
            ("Bertil", Some(3)),
        ])
    }

    fn shown(v: &ListView, rows: &Names) -> Vec<&'static str> {
        v.order.iter().map(|&i| rows.0[i].0).collect()
    }

    #[test]
    fn s_steps_each_column_both_ways_then_back_to_the_own_order() {
        let rows = names();
        let mut v = ListView::new(&rows);
        assert_eq!(shown(&v, &rows), ["Örjan", "anna", "Åsa", "Bertil"]);
        let mut seen = Vec::new();
        for _ in 0..5 {
            v.handle(Action::Sort, &rows);
            seen.push((v.sort, shown(&v, &rows)));
        }
        let s = |column, reversed| Some(SortBy { column, reversed });
        assert_eq!(
            seen,
            [
                (s(0, false), vec!["anna", "Bertil", "Åsa", "Örjan"]),
                (s(0, true), vec!["Örjan", "Åsa", "Bertil", "anna"]),
                // Largest first, missing last; equal figures keep the own order.
                (s(1, false), vec!["Åsa", "Örjan", "Bertil", "anna"]),
                (s(1, true), vec!["anna", "Örjan", "Bertil", "Åsa"]),
                (None, vec!["Örjan", "anna", "Åsa", "Bertil"]),
            ]
        );
        assert_eq!(arrow(s(1, true), 1, false), "▲");
        assert_eq!(arrow(s(1, false), 1, true), "v");
        assert_eq!(arrow(s(1, false), 0, false), "");
    }

    #[test]
    fn typed_text_narrows_and_never_leaves_the_line() {
        let rows = names();
        let mut v = ListView::new(&rows);
        v.cursor.selected = 2; // Åsa
        assert_eq!(v.handle(Action::Search, &rows), Some(true));
        let key = |c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE);
        for c in ['å', 'S'] {
            assert_eq!(v.search_key(key(c), &rows), Some(Edit::Changed));
        }
        assert_eq!(shown(&v, &rows), ["Åsa"]);
        assert_eq!(v.selected(), Some(2), "the selected row stays selected");
        // `q`, `e` and `r` are text here, not commands.
        for c in ['q', 'e'] {
            assert_eq!(v.search_key(key(c), &rows), Some(Edit::Changed));
        }
        assert!(v.is_empty());
        let enter = KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE);
        assert_eq!(v.search_key(enter, &rows), Some(Edit::Changed));
        assert_eq!(v.search_key(key('r'), &rows), None, "closed: keys are keys");
        assert_eq!(v.search_note().as_deref(), Some("sök \"åSqe\": 0 träffar"));
        assert_eq!(v.handle(Action::Back, &rows), Some(true), "Esc clears it");
        assert_eq!(v.len(), 4);
        assert_eq!(v.handle(Action::Back, &rows), None, "then Esc goes back");
        let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
        v.handle(Action::Search, &rows);
        assert_eq!(v.search_key(ctrl_c, &rows), Some(Edit::Quit));
    }

    #[test]
    fn x_clears_search_and_sort() {
        let rows = names();
        let mut v = ListView::new(&rows);
        v.handle(Action::Sort, &rows);
        v.search.text = "a".into();
        v.refresh(&rows);
        assert!(v.clear(&rows));
        assert_eq!(v.len(), 4);
        assert_eq!(v.sort, None);
        assert!(!v.clear(&rows));
    }
}
