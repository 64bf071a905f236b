//! State of the Mål och indikatorer view: the chosen year, which goals are collapsed, the
//! filters (ej uppfyllda, level, search) and the rows of the tree they leave, the selection
//! and the detail. Pure state; drawing is in `views/goals.rs`.

use std::collections::HashSet;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::domain::indicators::Overview;
use crate::domain::indicators::Status;
use crate::model::{Assessment, GoalLevel};
use crate::tui::app::ListCursor;
use crate::tui::keymap::Action;
use crate::tui::table::{SortBy, by_figure, by_text, next_sort};

/// The level filter: whose goals (KF / nämnd / enhet).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// KF:s inriktningsmål and mål för verksamhetsområdet.
    Kf,
    Namnd,
    /// Åtaganden and aktiviteter.
    Enhet,
}

impl Level {
    pub const ALL: [Level; 3] = [Level::Kf, Level::Namnd, Level::Enhet];

    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Level::Kf => "KF",
            Level::Namnd => "nämnd",
            Level::Enhet => "enhet",
        }
    }

    #[must_use]
    pub fn admits(self, level: GoalLevel) -> bool {
        match self {
            Level::Kf => matches!(level, GoalLevel::Inriktningsmal | GoalLevel::Verksamhetsmal),
            Level::Namnd => level == GoalLevel::Namndmal,
            Level::Enhet => matches!(level, GoalLevel::Atagande | GoalLevel::Aktivitet),
        }
    }
}

/// One row of the tree on screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Row {
    /// A goal (index into `data.nodes`).
    Goal(usize),
    /// An indicator (index into `data.indicators`).
    Indicator(usize),
    /// The heading over the indicators without a goal in the view.
    Loose,
}

/// The fields of the filter popup.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Year,
    Status,
    Level,
}

impl Field {
    pub const ALL: [Field; 3] = [Field::Year, Field::Status, Field::Level];

    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Field::Year => "År",
            Field::Status => "Visa",
            Field::Level => "Nivå",
        }
    }
}

/// The columns of the tree (as drawn, from the left) that `s` sorts the indicators under
/// each goal by: name, utfall, föregående år and status. The tree itself keeps its order.
pub const SORT_COLUMNS: [usize; 4] = [0, 1, 3, 7];

/// How urgent a status reads: ej uppfyllt first, uppfyllt last.
fn urgency(s: Status) -> u8 {
    match s {
        Status::EjUppfyllt => 0,
        Status::Delvis => 1,
        Status::EjMatt => 2,
        Status::EjMalsatt => 3,
        Status::Uppfyllt => 4,
    }
}

/// The view's state.
#[derive(Debug)]
pub struct GoalsState {
    pub data: Overview,
    /// The year the user chose; `None` follows the default (today's year).
    pub year: Option<i32>,
    /// Goal ids folded shut.
    pub collapsed: HashSet<String>,
    /// Only indicators delvis / ej uppfyllt, åtaganden assessed delvis / ej and aktiviteter
    /// past their end (with the goals above them).
    pub unfulfilled: bool,
    pub level: Option<Level>,
    pub search: String,
    pub searching: bool,
    pub rows: Vec<Row>,
    pub cursor: ListCursor,
    pub detail: bool,
    pub detail_scroll: u16,
    pub popup: Option<Field>,
    /// `s`: the indicators under each goal sorted by a column of [`SORT_COLUMNS`]; `None`
    /// keeps the snapshot's order.
    pub sort: Option<SortBy>,
    goals_shown: Vec<bool>,
    indicators_shown: Vec<bool>,
}

impl GoalsState {
    #[must_use]
    pub fn new(data: Overview) -> Self {
        let mut s = Self {
            data,
            year: None,
            collapsed: HashSet::new(),
            unfulfilled: false,
            level: None,
            search: String::new(),
            searching: false,
            rows: Vec::new(),
            cursor: ListCursor::default(),
            detail: false,
            detail_scroll: 0,
            popup: None,
            sort: None,
            goals_shown: Vec::new(),
            indicators_shown: Vec::new(),
        };
        s.refilter();
        s
    }

    /// Replaces the data (new unit or snapshot, another year), keeping the selected row
    /// where it still exists.
    pub fn replace(&mut self, data: Overview) -> Overview {
        let keep = self.selected_key();
        let old = std::mem::replace(&mut self.data, data);
        // The rows index the old data: no selection to keep inside `rebuild`.
        self.rows.clear();
        self.refilter();
        if let Some(key) = keep
            && let Some(pos) = self.rows.iter().position(|r| self.key(*r) == key)
        {
            self.cursor.selected = pos;
        }
        if self.selected_indicator().is_none() {
            self.detail = false;
        }
        old
    }

    fn key(&self, row: Row) -> (u8, String) {
        match row {
            Row::Goal(n) => (0, self.data.nodes[n].goal.goal_id.clone()),
            Row::Indicator(i) => (1, self.data.indicators[i].indicator.indicator_id.clone()),
            Row::Loose => (2, String::new()),
        }
    }

    fn selected_key(&self) -> Option<(u8, String)> {
        self.selected().map(|r| self.key(r))
    }

    /// Any filter narrows the tree.
    #[must_use]
    pub fn filtering(&self) -> bool {
        self.unfulfilled || self.level.is_some() || !self.search.is_empty()
    }

    fn indicator_matches(&self, i: usize) -> bool {
        let a = &self.data.indicators[i];
        if self.unfulfilled && !a.status.not_fulfilled() {
            return false;
        }
        if let Some(level) = self.level {
            let goal_level = a.node.map(|n| self.data.nodes[n].goal.level);
            if !goal_level.is_some_and(|l| level.admits(l)) {
                return false;
            }
        }
        self.search.is_empty()
            || a.indicator
                .name
                .to_lowercase()
                .contains(&self.search.to_lowercase())
    }

    fn goal_matches(&self, n: usize) -> bool {
        let node = &self.data.nodes[n];
        let g = &node.goal;
        if self.unfulfilled
            && !node.past_end
            && !matches!(g.assessment, Some(Assessment::Delvis | Assessment::Ej))
        {
            return false;
        }
        if self.level.is_some_and(|l| !l.admits(g.level)) {
            return false;
        }
        let needle = self.search.to_lowercase();
        needle.is_empty()
            || g.title.to_lowercase().contains(&needle)
            || g.code
                .as_deref()
                .is_some_and(|c| c.to_lowercase().contains(&needle))
    }

    /// Recomputes what the filters leave and the rows of the tree.
    pub fn refilter(&mut self) {
        let all = !self.filtering();
        self.indicators_shown = (0..self.data.indicators.len())
            .map(|i| all || self.indicator_matches(i))
            .collect();
        let mut goals = vec![false; self.data.nodes.len()];
        // A goal lifted has its chain lifted: the walk stops there (linear in the goals).
        let mut lift = |mut at: Option<usize>| {
            while let Some(n) = at.filter(|&n| !goals[n]) {
                goals[n] = true;
                at = self.data.nodes[n].parent;
            }
        };
        for n in 0..self.data.nodes.len() {
            if all || self.goal_matches(n) {
                lift(Some(n));
            }
        }
        for (i, a) in self.data.indicators.iter().enumerate() {
            if self.indicators_shown[i] {
                lift(a.node);
            }
        }
        self.goals_shown = goals;
        self.rebuild();
    }

    /// Lays out the rows: a goal, then (unless collapsed) its indicators and its children.
    pub fn rebuild(&mut self) {
        let keep = self.selected_key();
        let mut rows = Vec::new();
        let mut stack: Vec<usize> = self.data.roots.iter().rev().copied().collect();
        while let Some(n) = stack.pop() {
            if !self.goals_shown.get(n).copied().unwrap_or(false) {
                continue;
            }
            rows.push(Row::Goal(n));
            let node = &self.data.nodes[n];
            if self.collapsed.contains(&node.goal.goal_id) {
                continue;
            }
            let mut under: Vec<usize> = node
                .indicators
                .iter()
                .copied()
                .filter(|i| self.indicators_shown[*i])
                .collect();
            self.sort_indicators(&mut under);
            rows.extend(under.into_iter().map(Row::Indicator));
            stack.extend(node.children.iter().rev());
        }
        let mut loose: Vec<usize> = self
            .data
            .loose
            .iter()
            .copied()
            .filter(|i| self.indicators_shown[*i])
            .collect();
        self.sort_indicators(&mut loose);
        let loose: Vec<Row> = loose.into_iter().map(Row::Indicator).collect();
        if !loose.is_empty() {
            rows.push(Row::Loose);
            rows.extend(loose);
        }
        self.rows = rows;
        match keep.and_then(|k| self.rows.iter().position(|r| self.key(*r) == k)) {
            Some(pos) => self.cursor.selected = pos,
            None => self.cursor.clamp(self.rows.len()),
        }
    }

    /// `x`: no filter, search or sort (the year stays); returns whether any was set.
    pub fn clear_filters(&mut self) -> bool {
        let had = self.filtering() || self.searching || self.sort.is_some();
        if had {
            self.unfulfilled = false;
            self.level = None;
            self.search.clear();
            self.searching = false;
            self.sort = None;
            self.refilter();
        }
        had
    }

    /// Sorts indicators (places in `data.indicators`) by the chosen column; stable.
    fn sort_indicators(&self, places: &mut [usize]) {
        let Some(sort) = self.sort else {
            return;
        };
        let all = &self.data.indicators;
        places.sort_by(|&a, &b| {
            let (x, y) = (&all[a], &all[b]);
            let o = match SORT_COLUMNS.get(sort.column) {
                Some(0) => by_text(&x.indicator.name, &y.indicator.name),
                Some(1) => by_figure(x.value, y.value),
                Some(3) => by_figure(x.previous, y.previous),
                _ => urgency(x.status).cmp(&urgency(y.status)),
            };
            if sort.reversed { o.reverse() } else { o }
        });
    }

    /// The drawn column the sort is by, and which way: for the arrow.
    #[must_use]
    pub fn sorted_column(&self) -> Option<(usize, bool)> {
        let s = self.sort?;
        Some((*SORT_COLUMNS.get(s.column)?, s.reversed))
    }

    #[must_use]
    pub fn selected(&self) -> Option<Row> {
        self.rows.get(self.cursor.selected).copied()
    }

    #[must_use]
    pub fn selected_indicator(&self) -> Option<usize> {
        match self.selected() {
            Some(Row::Indicator(i)) => Some(i),
            _ => None,
        }
    }

    /// Whether goal `n` has anything to fold.
    #[must_use]
    pub fn has_content(&self, n: usize) -> bool {
        let node = &self.data.nodes[n];
        node.indicators.iter().any(|i| self.indicators_shown[*i])
            || node.children.iter().any(|c| self.goals_shown[*c])
    }

    /// The indicators the filters leave, in tree order (collapsed goals included): what
    /// `e` exports.
    #[must_use]
    pub fn shown_indicators(&self) -> Vec<usize> {
        let mut out: Vec<usize> = Vec::new();
        for n in 0..self.data.nodes.len() {
            out.extend(
                self.data.nodes[n]
                    .indicators
                    .iter()
                    .filter(|i| self.indicators_shown[**i]),
            );
        }
        out.extend(
            self.data
                .loose
                .iter()
                .filter(|i| self.indicators_shown[**i]),
        );
        out
    }

    /// Another year's tree, from the rows already read.
    pub fn set_year(&mut self, year: i32) {
        self.year = Some(year);
        let data = self.data.for_year(year);
        self.replace(data);
    }

    fn step_year(&mut self, forward: bool) {
        let mut years = self.data.years.clone();
        if !years.contains(&self.data.year) {
            years.push(self.data.year);
            years.sort_unstable();
        }
        let i = years.iter().position(|y| *y == self.data.year).unwrap_or(0);
        let next = if forward {
            years.get(i + 1)
        } else {
            i.checked_sub(1).and_then(|j| years.get(j))
        };
        if let Some(&y) = next {
            self.set_year(y);
        }
    }

    fn step_field(&mut self, field: Field, forward: bool) {
        match field {
            Field::Year => return self.step_year(forward),
            Field::Status => self.unfulfilled = !self.unfulfilled,
            Field::Level => {
                let pos = self
                    .level
                    .and_then(|l| Level::ALL.iter().position(|x| *x == l));
                self.level = match (pos, forward) {
                    (None, true) => Some(Level::ALL[0]),
                    (None, false) => Level::ALL.last().copied(),
                    (Some(i), true) => Level::ALL.get(i + 1).copied(),
                    (Some(i), false) => i.checked_sub(1).map(|j| Level::ALL[j]),
                };
            }
        }
        self.refilter();
    }

    fn toggle(&mut self, n: usize, open: Option<bool>) -> bool {
        let id = self.data.nodes[n].goal.goal_id.clone();
        let is_open = !self.collapsed.contains(&id);
        let want = open.unwrap_or(!is_open);
        if want == is_open || !self.has_content(n) {
            return false;
        }
        if want {
            self.collapsed.remove(&id);
        } else {
            self.collapsed.insert(id);
        }
        self.rebuild();
        true
    }

    /// Handles an action of this view; `None` when it is not the view's (view switching,
    /// unit filter, reload, quit …), `Some(redraw)` otherwise.
    pub fn handle(&mut self, action: Action) -> Option<bool> {
        if let Some(field) = self.popup {
            let i = Field::ALL.iter().position(|f| *f == field).unwrap_or(0);
            return match action {
                Action::Up => {
                    self.popup = Some(Field::ALL[i.saturating_sub(1)]);
                    Some(true)
                }
                Action::Down => {
                    self.popup = Some(Field::ALL[(i + 1).min(Field::ALL.len() - 1)]);
                    Some(true)
                }
                Action::FocusLeft | Action::FocusRight => {
                    self.step_field(field, action == Action::FocusRight);
                    Some(true)
                }
                Action::Back | Action::Open | Action::Filters => {
                    self.popup = None;
                    Some(true)
                }
                Action::Quit => None,
                _ => Some(false),
            };
        }
        if self.detail {
            return match action {
                Action::Back | Action::Open => {
                    self.detail = false;
                    Some(true)
                }
                Action::Up | Action::PageUp | Action::Top => {
                    let step = if action == Action::Up { 1 } else { u16::MAX };
                    let before = self.detail_scroll;
                    self.detail_scroll = self.detail_scroll.saturating_sub(step);
                    Some(before != self.detail_scroll)
                }
                Action::Down | Action::PageDown => {
                    let step = if action == Action::Down { 1 } else { 10 };
                    self.detail_scroll = self.detail_scroll.saturating_add(step).min(200);
                    Some(true)
                }
                Action::Quit => None,
                _ => Some(false),
            };
        }
        match (action, self.selected()) {
            (Action::Open, Some(Row::Goal(n))) => Some(self.toggle(n, None)),
            (Action::Open, Some(Row::Indicator(_))) => {
                self.detail = true;
                self.detail_scroll = 0;
                Some(true)
            }
            (Action::FocusRight, Some(Row::Goal(n))) => Some(self.toggle(n, Some(true))),
            (Action::FocusLeft, Some(Row::Goal(n))) if self.toggle(n, Some(false)) => Some(true),
            (Action::FocusLeft, Some(row)) => {
                // To the goal above: the parent of a goal, the goal of an indicator.
                let up = match row {
                    Row::Goal(n) => self.data.nodes[n].parent,
                    Row::Indicator(i) => self.data.indicators[i].node,
                    Row::Loose => None,
                };
                let pos = up.and_then(|u| self.rows.iter().position(|r| *r == Row::Goal(u)));
                Some(pos.is_some_and(|p| {
                    self.cursor.selected = p;
                    true
                }))
            }
            (Action::Open | Action::FocusRight | Action::FocusLeft, _) => Some(false),
            (Action::Search, _) => {
                self.searching = true;
                Some(true)
            }
            (Action::Filters, _) => {
                self.popup = Some(Field::Year);
                Some(true)
            }
            (Action::Sort, _) => {
                self.sort = next_sort(self.sort, SORT_COLUMNS.len());
                self.rebuild();
                Some(true)
            }
            (Action::Back, _) if !self.search.is_empty() => {
                self.search.clear();
                self.refilter();
                Some(true)
            }
            (
                Action::Up
                | Action::Down
                | Action::PageUp
                | Action::PageDown
                | Action::Top
                | Action::Bottom,
                _,
            ) => Some(self.cursor.apply(action, self.rows.len())),
            _ => None,
        }
    }

    /// A key while the search line is open: edits it, filtering as one types. Returns
    /// (redraw, quit).
    pub fn search_key(&mut self, key: KeyEvent) -> (bool, bool) {
        match key.code {
            KeyCode::Char('c') if key.modifiers.contains(KeyModifiers::CONTROL) => {
                return (false, true);
            }
            KeyCode::Esc => {
                self.searching = false;
                self.search.clear();
            }
            KeyCode::Enter => self.searching = false,
            KeyCode::Backspace => {
                self.search.pop();
            }
            KeyCode::Char(c) if !c.is_control() && self.search.chars().count() < 40 => {
                self.search.push(c);
            }
            _ => return (false, false),
        }
        self.refilter();
        (true, false)
    }
}

#[cfg(test)]
mod tests;
