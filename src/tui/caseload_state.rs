//! State of the Ärenden view (the caseload): the two panes, the insats table with its date
//! column, the handläggare list, the split by kön, and each list's search and sort. Its
//! keys are handled here; Enter asks the app for the cases behind the chosen figure.
//! Drawing is in `views/caseload.rs`.

use std::cmp::Ordering;

use chrono::NaiveDate;
use crossterm::event::{KeyCode, KeyEvent};

use crate::domain::caseload::{Caseload, InsatsRow, WorkerLoad};
use crate::domain::cases::ListQuery;
use crate::tui::keymap::Action;
use crate::tui::table::{ListView, Rows, by_figure, by_text, has};

/// The panes of the view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    Insats,
    Workers,
}

/// The insats rows on screen, for search and sort: insats, the three dates, the change.
pub struct InsatsRows<'a>(pub Vec<&'a InsatsRow>);

impl Rows for InsatsRows<'_> {
    fn count(&self) -> usize {
        self.0.len()
    }
    fn columns(&self) -> usize {
        5
    }
    fn matches(&self, i: usize, needle: &str) -> bool {
        let r = self.0[i];
        has(&r.insats, needle) || has(&r.insats_code, needle) || has(&r.area, needle)
    }
    fn compare(&self, a: usize, b: usize, column: usize) -> Ordering {
        let (x, y) = (self.0[a], self.0[b]);
        match column {
            0 => by_text(&x.insats, &y.insats),
            1..=3 => by_figure(Some(x.counts[column - 1]), Some(y.counts[column - 1])),
            _ => by_figure(Some(x.change()), Some(y.change())),
        }
    }
}

/// The handläggare list, for search and sort: name, team, open cases.
pub struct WorkerRows<'a>(pub &'a [WorkerLoad]);

impl Rows for WorkerRows<'_> {
    fn count(&self) -> usize {
        self.0.len()
    }
    fn columns(&self) -> usize {
        3
    }
    fn matches(&self, i: usize, needle: &str) -> bool {
        let w = &self.0[i];
        has(&w.name, needle)
            || has(&w.worker_id, needle)
            || w.team.as_deref().is_some_and(|t| has(t, needle))
    }
    fn compare(&self, a: usize, b: usize, column: usize) -> Ordering {
        let (x, y) = (&self.0[a], &self.0[b]);
        match column {
            0 => by_text(&x.name, &y.name),
            1 => by_text(
                x.team.as_deref().unwrap_or(""),
                y.team.as_deref().unwrap_or(""),
            ),
            _ => by_figure(Some(x.open_cases), Some(y.open_cases)),
        }
    }
}

/// The view's state.
#[derive(Debug)]
pub struct CaseloadState {
    pub data: Caseload,
    /// Whether the data is of a unit or team: then the insats table leaves out insatser
    /// without a case on any of its dates (a unit's screen is not padded with the other
    /// units' insatser). The report always has every row.
    pub filtered: bool,
    pub pane: Pane,
    pub insats: ListView,
    /// The date column of the insats table Enter opens the cases of (0: the first date).
    pub column: usize,
    pub workers: ListView,
    /// Split by kön (`c`).
    pub by_sex: bool,
    /// The chart of the selected insats over the months in place of the handläggare
    /// list (`o`).
    pub chart: bool,
    /// The selection is on the area heading above the selected insats (reached with ↑ from
    /// the area's first insats, while the table is in its own order): the chart is then the
    /// area's total, and Enter opens nothing.
    pub area_selected: bool,
    /// The chart is of the open cases (`a`), whatever the selection.
    pub chart_open: bool,
    /// The table's first date when moved with `d` (`None`: today).
    pub day: Option<NaiveDate>,
    /// The date being typed (`d`), with what was wrong with the last one given.
    pub date_input: Option<DateInput>,
}

/// What the Ärenden chart draws.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartOf<'a> {
    /// The selected insats.
    Insats(&'a InsatsRow),
    /// An area's total: distinct cases with any of its insatser.
    Area(&'a str),
    /// The open cases.
    Open,
    /// Nothing selected.
    Nothing,
}

/// The pop-up of `d`: the date typed so far and why the last Enter was refused.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DateInput {
    pub text: String,
    pub error: Option<String>,
}

/// What a key did to the date pop-up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateEdit {
    /// The text or the message changed, or the pop-up closed (Esc).
    Changed,
    /// A valid date was given: the table is to be loaded for [`CaseloadState::day`].
    Moved,
}

/// The date typed, or why it cannot be the table's (in Swedish, for the pop-up).
///
/// # Errors
/// Not `ÅÅÅÅ-MM-DD`, no such day, or after today.
pub fn parse_day(text: &str, today: NaiveDate) -> Result<NaiveDate, String> {
    let text = text.trim();
    let well_formed = text.len() == 10
        && text.chars().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                c == '-'
            } else {
                c.is_ascii_digit()
            }
        });
    if !well_formed {
        return Err(format!(
            "\u{201c}{text}\u{201d} är inget datum: skriv ÅÅÅÅ-MM-DD"
        ));
    }
    let day = NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| format!("{text} finns inte i kalendern"))?;
    if day > today {
        return Err(format!(
            "{text} ligger efter i dag ({})",
            today.format("%Y-%m-%d")
        ));
    }
    Ok(day)
}

impl Default for CaseloadState {
    fn default() -> Self {
        Self::new(Caseload::default(), false)
    }
}

impl CaseloadState {
    #[must_use]
    pub fn new(data: Caseload, filtered: bool) -> Self {
        let mut s = Self {
            data,
            filtered,
            pane: Pane::Insats,
            insats: ListView::default(),
            column: 0,
            workers: ListView::default(),
            by_sex: false,
            chart: false,
            area_selected: false,
            chart_open: false,
            day: None,
            date_input: None,
        };
        s.refresh();
        s
    }

    /// Replaces the data (another filter or snapshot); returns the old. Search and sort
    /// stay; the selections stay where they were, as far as the new lists reach.
    pub fn replace(&mut self, data: Caseload, filtered: bool) -> Caseload {
        let old = std::mem::replace(&mut self.data, data);
        self.filtered = filtered;
        self.refresh();
        old
    }

    fn refresh(&mut self) {
        let rows = InsatsRows(shown_rows(&self.data, self.filtered));
        self.insats.refresh(&rows);
        self.workers.refresh(&WorkerRows(&self.data.workers));
    }

    /// The insats rows the screen can show (see [`CaseloadState::filtered`]), in the
    /// data's order; [`ListView::order`] of `insats` indexes these.
    #[must_use]
    pub fn shown(&self) -> Vec<&InsatsRow> {
        shown_rows(&self.data, self.filtered)
    }

    /// The insats rows shown, after search and sort, in order.
    #[must_use]
    pub fn insats_shown(&self) -> Vec<&InsatsRow> {
        let shown = self.shown();
        self.insats
            .order
            .iter()
            .filter_map(|&i| shown.get(i).copied())
            .collect()
    }

    /// The handläggare shown, after search and sort, in order.
    #[must_use]
    pub fn workers_shown(&self) -> Vec<&WorkerLoad> {
        let all = &self.data.workers;
        self.workers
            .order
            .iter()
            .filter_map(|&i| all.get(i))
            .collect()
    }

    #[must_use]
    pub fn selected_insats(&self) -> Option<&InsatsRow> {
        let place = self.insats.selected()?;
        self.shown().get(place).copied()
    }

    /// The area whose heading is selected (see [`CaseloadState::area_selected`]).
    #[must_use]
    pub fn selected_area(&self) -> Option<&str> {
        if !self.area_selected || self.insats.sort.is_some() {
            return None;
        }
        Some(self.selected_insats()?.area.as_str())
    }

    /// What the chart shows, from the selection and `a`.
    #[must_use]
    pub fn chart_of(&self) -> ChartOf<'_> {
        if self.chart_open {
            return ChartOf::Open;
        }
        if let Some(area) = self.selected_area() {
            return ChartOf::Area(area);
        }
        match self.selected_insats() {
            Some(row) => ChartOf::Insats(row),
            None => ChartOf::Nothing,
        }
    }

    /// ↑ ↓ in the insats table in its own order, where the area headings can be selected:
    /// `None` when the move is the list's own (no heading on the way).
    fn heading_move(&mut self, action: Action) -> Option<bool> {
        if self.insats.sort.is_some() || !matches!(action, Action::Up | Action::Down) {
            return None;
        }
        let shown = self.insats_shown();
        let i = self.insats.cursor.selected;
        let area = |k: usize| shown.get(k).map(|r| r.area.as_str());
        let heading_above = i == 0 || area(i.checked_sub(1)?) != area(i);
        let len = shown.len();
        match (action, self.area_selected) {
            (Action::Up, true) if i == 0 => Some(false),
            (Action::Up, true) => {
                self.area_selected = false;
                self.insats.cursor.apply(Action::Up, len);
                Some(true)
            }
            (Action::Up, false) if heading_above && len > 0 => {
                self.area_selected = true;
                Some(true)
            }
            (Action::Down, true) => {
                self.area_selected = false;
                Some(true)
            }
            (Action::Down, false) if i + 1 < len && area(i + 1) != area(i) => {
                self.insats.cursor.apply(Action::Down, len);
                self.area_selected = true;
                Some(true)
            }
            _ => None,
        }
    }

    #[must_use]
    pub fn selected_worker(&self) -> Option<&WorkerLoad> {
        self.data.workers.get(self.workers.selected()?)
    }

    /// What Enter opens: the cases with the selected insats active on the chosen date, or
    /// the selected handläggare's open cases.
    #[must_use]
    pub fn open(&self) -> Option<ListQuery> {
        match self.pane {
            Pane::Insats if self.selected_area().is_some() => None,
            Pane::Insats => Some(ListQuery {
                insats_code: Some(self.selected_insats()?.insats_code.clone()),
                worker_id: None,
                date: *self.data.dates.get(self.column)?,
            }),
            Pane::Workers => Some(ListQuery {
                insats_code: None,
                worker_id: Some(self.selected_worker()?.worker_id.clone()),
                date: self.data.as_of,
            }),
        }
    }

    /// A key while the focused list's search is typed; `None` when none is.
    pub fn search_key(
        &mut self,
        key: crossterm::event::KeyEvent,
    ) -> Option<crate::tui::table::Edit> {
        match self.pane {
            Pane::Insats => {
                let rows = InsatsRows(shown_rows(&self.data, self.filtered));
                self.insats.search_key(key, &rows)
            }
            Pane::Workers => self
                .workers
                .search_key(key, &WorkerRows(&self.data.workers)),
        }
    }

    /// `x`: no search or sort in either list.
    pub fn clear(&mut self) -> bool {
        let rows = InsatsRows(shown_rows(&self.data, self.filtered));
        let a = self.insats.clear(&rows);
        let b = self.workers.clear(&WorkerRows(&self.data.workers));
        a || b
    }

    /// A key while the date pop-up is open: digits and `-` type, Backspace erases, Enter
    /// gives the date (refused with a message when it is not one), Esc closes. `None` when
    /// the pop-up is not open: the key is the keymap's.
    pub fn date_key(&mut self, key: KeyEvent, today: NaiveDate) -> Option<DateEdit> {
        let input = self.date_input.as_mut()?;
        match key.code {
            KeyCode::Esc => self.date_input = None,
            KeyCode::Enter => match parse_day(&input.text, today) {
                Ok(day) => {
                    self.day = (day != today).then_some(day);
                    self.date_input = None;
                    return Some(DateEdit::Moved);
                }
                Err(e) => input.error = Some(e),
            },
            KeyCode::Backspace => {
                input.text.pop();
                input.error = None;
            }
            KeyCode::Char(c) if (c.is_ascii_digit() || c == '-') && input.text.len() < 10 => {
                input.text.push(c);
                input.error = None;
            }
            // Anything else typed is not part of a date, and is no command either.
            _ => {}
        }
        Some(DateEdit::Changed)
    }

    /// The view's keys (Enter is the app's: it opens a drill-down); `None` when the key
    /// is not the view's.
    pub fn handle(&mut self, action: Action) -> Option<bool> {
        if action == Action::Date {
            self.date_input = Some(DateInput {
                text: self
                    .data
                    .dates
                    .first()
                    .map(|d| d.format("%Y-%m-%d").to_string())
                    .unwrap_or_default(),
                error: None,
            });
            return Some(true);
        }
        match (self.pane, action) {
            (_, Action::SplitSex) => {
                self.by_sex = !self.by_sex;
                Some(true)
            }
            (_, Action::Chart) => {
                // The chart follows the insats table's selection: the focus goes there.
                self.chart = !self.chart;
                self.chart_open = false;
                self.pane = Pane::Insats;
                Some(true)
            }
            (_, Action::ChartOpen) => {
                // The open cases in the chart, or back to the selection's; shown if hidden.
                self.chart_open = !self.chart_open || !self.chart;
                self.chart = true;
                self.pane = Pane::Insats;
                Some(true)
            }
            // The chart in the other pane takes no focus.
            (Pane::Insats, Action::FocusRight)
                if self.chart && self.column + 1 >= self.data.dates.len() =>
            {
                Some(false)
            }
            // In the insats table ← → choose the date column, then the next pane.
            (Pane::Insats, Action::FocusLeft) if self.column > 0 => {
                self.column -= 1;
                Some(true)
            }
            (Pane::Insats, Action::FocusRight) if self.column + 1 < self.data.dates.len() => {
                self.column += 1;
                Some(true)
            }
            (Pane::Insats, Action::FocusRight) => {
                self.pane = Pane::Workers;
                Some(true)
            }
            (Pane::Workers, Action::FocusLeft) => {
                self.pane = Pane::Insats;
                Some(true)
            }
            (_, Action::FocusLeft | Action::FocusRight) => Some(false),
            (Pane::Insats, a) => {
                if let Some(moved) = self.heading_move(a) {
                    return Some(moved);
                }
                let rows = InsatsRows(shown_rows(&self.data, self.filtered));
                let done = self.insats.handle(a, &rows);
                // Any other move, search or sort leaves the heading for an insats.
                if done.is_some() {
                    self.area_selected = false;
                }
                done
            }
            (Pane::Workers, a) => self.workers.handle(a, &WorkerRows(&self.data.workers)),
        }
    }
}

fn shown_rows(data: &Caseload, filtered: bool) -> Vec<&InsatsRow> {
    data.rows
        .iter()
        .filter(|r| !filtered || r.counts.iter().any(|n| *n > 0))
        .collect()
}
