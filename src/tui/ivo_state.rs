//! State of the IVO report view, opened from the quarterly review with `i`: the chosen
//! quarter, the selected row and whether its detail is open. Pure state; the report is
//! loaded by the loader thread like every view's data, drawing is in `views/ivo.rs`.

use chrono::NaiveDate;

use crate::domain::ivo::{self, Ivo, IvoRow};
use crate::domain::periods::Period;
use crate::tui::app::ListCursor;
use crate::tui::keymap::Action;

/// The view's state.
#[derive(Debug)]
pub struct IvoState {
    /// The report on screen (for [`IvoState::quarter`] once loaded).
    pub data: Ivo,
    /// The quarter asked for; today's to begin with.
    pub quarter: Period,
    /// The last quarter that can be asked for: today's (a later one has no report yet).
    latest: Period,
    pub cursor: ListCursor,
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
            cursor: ListCursor::default(),
            detail: false,
        }
    }

    /// Replaces the report (a new filter, snapshot or quarter); returns the old one.
    pub fn replace(&mut self, data: Ivo) -> Ivo {
        let old = std::mem::replace(&mut self.data, data);
        if old.quarter != self.data.quarter {
            self.cursor = ListCursor::default();
        }
        self.cursor.clamp(self.data.rows.len());
        if self.data.rows.is_empty() {
            self.detail = false;
        }
        old
    }

    /// The selected row.
    #[must_use]
    pub fn selected(&self) -> Option<&IvoRow> {
        self.data.rows.get(self.cursor.selected)
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
        match action {
            Action::Up
            | Action::Down
            | Action::PageUp
            | Action::PageDown
            | Action::Top
            | Action::Bottom => Some(self.cursor.apply(action, self.data.rows.len())),
            _ => None,
        }
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
