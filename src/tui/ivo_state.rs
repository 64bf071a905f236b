//! State of the IVO report view, opened from the quarterly review with `i`: the chosen
//! quarter, the selected row and whether its detail is open. Pure state; the report is
//! loaded by the loader thread like every view's data, drawing is in `views/ivo.rs`.

use chrono::NaiveDate;

use crate::domain::ivo::{self, Ivo, IvoRow};
use crate::domain::periods::Period;
use crate::tui::keymap::Action;
use crate::tui::table::{ListView, Rows, by_figure, by_text, has};
use crate::tui::views::ivo::Col;

/// The report's rows, for search and sort: by the list's columns, searched in their texts
/// and the case reference.
pub struct IvoRows<'a>(pub &'a Ivo);

impl Rows for IvoRows<'_> {
    fn count(&self) -> usize {
        self.0.rows.len()
    }
    fn columns(&self) -> usize {
        Col::ALL.len()
    }
    fn matches(&self, i: usize, needle: &str) -> bool {
        let r = &self.0.rows[i];
        has(&r.case_id, needle) || Col::ALL.iter().any(|c| has(&c.text(self.0, r), needle))
    }
    fn compare(&self, a: usize, b: usize, column: usize) -> std::cmp::Ordering {
        let (x, y) = (&self.0.rows[a], &self.0.rows[b]);
        match Col::ALL.get(column) {
            Some(Col::Days) => by_figure(Some(x.days), Some(y.days)),
            Some(c) => by_text(&c.text(self.0, x), &c.text(self.0, y)),
            None => std::cmp::Ordering::Equal,
        }
    }
}

/// The view's state.
#[derive(Debug)]
pub struct IvoState {
    /// The report on screen (for [`IvoState::quarter`] once loaded).
    pub data: Ivo,
    /// The quarter asked for; today's to begin with.
    pub quarter: Period,
    /// The last quarter that can be asked for: today's (a later one has no report yet).
    latest: Period,
    /// The rows' selection, search and sort.
    pub list: ListView,
    /// The selected row's detail is open.
    pub detail: bool,
}

impl IvoState {
    #[must_use]
    pub fn new(today: NaiveDate) -> Self {
        let quarter = ivo::quarter_of(today);
        Self {
            data: Ivo::default(),
            quarter,
            latest: quarter,
            list: ListView::default(),
            detail: false,
        }
    }

    /// Replaces the report (a new filter, snapshot or quarter); returns the old one.
    pub fn replace(&mut self, data: Ivo) -> Ivo {
        let old = std::mem::replace(&mut self.data, data);
        if old.quarter == self.data.quarter {
            self.list.refresh(&IvoRows(&self.data));
        } else {
            self.list.reset(&IvoRows(&self.data));
        }
        if self.list.is_empty() {
            self.detail = false;
        }
        old
    }

    /// The selected row.
    #[must_use]
    pub fn selected(&self) -> Option<&IvoRow> {
        self.data.rows.get(self.list.selected()?)
    }

    /// The rows shown (search, sort), in order.
    #[must_use]
    pub fn shown(&self) -> Vec<&IvoRow> {
        self.list
            .order
            .iter()
            .filter_map(|&i| self.data.rows.get(i))
            .collect()
    }

    /// A key while the search is typed; `None` when none is.
    pub fn search_key(
        &mut self,
        key: crossterm::event::KeyEvent,
    ) -> Option<crate::tui::table::Edit> {
        self.list.search_key(key, &IvoRows(&self.data))
    }

    /// `x`: no search, the report's own order.
    pub fn clear(&mut self) -> bool {
        self.list.clear(&IvoRows(&self.data))
    }

    /// Steps the quarter; returns whether it changed (the report must then be loaded).
    pub fn step(&mut self, forward: bool) -> bool {
        let next = if forward {
            self.quarter.next()
        } else {
            self.quarter.back(1)
        };
        if next > self.latest {
            return false;
        }
        self.quarter = next;
        self.detail = false;
        true
    }

    /// Movement keys and closing the detail; `None` when the key is not the view's own.
    pub fn handle(&mut self, action: Action) -> Option<bool> {
        if self.detail {
            return match action {
                Action::Back | Action::Open => {
                    self.detail = false;
                    Some(true)
                }
                Action::Quit => None,
                _ => Some(false),
            };
        }
        self.list.handle(action, &IvoRows(&self.data))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quarters_step_back_and_not_past_today() {
        let mut s = IvoState::new(crate::domain::dates::parse_iso("2014-12-31").expect("d"));
        assert_eq!(s.quarter.to_string(), "2014-Q4");
        assert!(!s.step(true), "no report for a quarter to come");
        assert!(s.step(false));
        assert!(s.step(false));
        assert_eq!(s.quarter.to_string(), "2014-Q2");
        assert!(s.step(true));
        assert_eq!(s.quarter.to_string(), "2014-Q3");
    }
}
