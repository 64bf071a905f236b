//! The dashboard's state and how keys change it. Drawing lives in `views/` and only reads
//! this state; every figure comes from [`crate::domain`].

use std::cell::Cell;
use std::time::SystemTime;

use chrono::NaiveDate;
use color_eyre::Result;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::deadline_list::{DeadlineList, Field};
use super::goals_state::GoalsState;
use super::keymap::{self, Action};
use super::processing_state::ProcessingState;
use super::theme::Theme;
use crate::config::Config;
use crate::domain::caseload::{self, Caseload};
use crate::domain::deadlines;
use crate::domain::indicators;
use crate::domain::processing;
use crate::model::Unit;
use crate::snapshot::queries::{self, Filter};
use crate::snapshot::{FileIdentity, Snapshot, Source};

/// The views, in tab order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    Deadlines,
    Summary,
    Caseload,
    Processing,
    Goals,
}

impl View {
    pub const ALL: [View; 5] = [
        View::Deadlines,
        View::Summary,
        View::Caseload,
        View::Processing,
        View::Goals,
    ];

    #[must_use]
    pub fn title(self) -> &'static str {
        match self {
            View::Deadlines => "Bevakningar",
            View::Summary => "Per handläggare",
            View::Caseload => "Ärenden",
            View::Processing => "Handläggningstid",
            View::Goals => "Mål och indikatorer",
        }
    }

    /// The tab's title where the full titles do not fit (80 columns).
    #[must_use]
    pub fn short_title(self) -> &'static str {
        match self {
            View::Deadlines => "Bevakningar",
            View::Summary => "Per handl.",
            View::Caseload => "Ärenden",
            View::Processing => "Handl.tid",
            View::Goals => "Mål",
        }
    }

    fn index(self) -> usize {
        Self::ALL.iter().position(|v| *v == self).unwrap_or(0)
    }
}

/// The panes of the caseload view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    Insats,
    Workers,
}

/// Selection and scroll of one list. The offset is a layout cache written while drawing.
#[derive(Debug, Default)]
pub struct ListCursor {
    pub selected: usize,
    pub offset: Cell<usize>,
    /// Rows visible at the last draw, for PgUp/PgDn.
    pub page: Cell<usize>,
}

impl ListCursor {
    /// Moves the selection for a movement action; returns whether it moved.
    pub fn apply(&mut self, action: Action, len: usize) -> bool {
        if len == 0 {
            return false;
        }
        let page = self.page.get().max(1);
        let last = len - 1;
        let next = match action {
            Action::Up => self.selected.saturating_sub(1),
            Action::Down => (self.selected + 1).min(last),
            Action::PageUp => self.selected.saturating_sub(page),
            Action::PageDown => (self.selected + page).min(last),
            Action::Top => 0,
            Action::Bottom => last,
            _ => return false,
        };
        let changed = next != self.selected;
        self.selected = next;
        changed
    }

    pub fn clamp(&mut self, len: usize) {
        self.selected = self.selected.min(len.saturating_sub(1));
    }
}

/// What the status line says besides the snapshot and the keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub text: String,
    pub warning: bool,
}

/// The whole dashboard state.
pub struct App {
    pub snapshot: Snapshot,
    pub config: Config,
    pub today: NaiveDate,
    /// The wall clock as last injected by the event loop (for the snapshot's age).
    pub now: SystemTime,
    pub theme: Theme,
    pub units: Vec<Unit>,
    pub teams: Vec<String>,
    pub filter: Filter,
    pub view: View,
    pub caseload: Caseload,
    pub pane: Pane,
    pub insats_cursor: ListCursor,
    pub worker_cursor: ListCursor,
    /// The user's own handläggare id (config or `--worker`).
    pub me: Option<String>,
    pub deadlines: DeadlineList,
    /// The Handläggningstid view.
    pub processing: ProcessingState,
    /// The Mål och indikatorer view.
    pub goals: GoalsState,
    /// "Who looked at what", when the unit configured it.
    pub access_log: Option<crate::access_log::AccessLog>,
    /// The wall clock for the access log, injected by `main` (tests leave it unset and the
    /// log uses `now`).
    pub clock: Option<fn() -> SystemTime>,
    /// Where `e` writes the current view (the working directory unless set).
    pub export_dir: std::path::PathBuf,
    /// A new file that failed to open, not retried until it changes again.
    rejected: Option<FileIdentity>,
    pub help: bool,
    pub message: Option<Message>,
    pub quit: bool,
}

impl App {
    /// Builds the state and computes the first view.
    ///
    /// # Errors
    /// SQLite errors while reading the snapshot.
    pub fn new(
        snapshot: Snapshot,
        config: Config,
        filter: Filter,
        today: NaiveDate,
        now: SystemTime,
        theme: Theme,
    ) -> Result<Self> {
        let units = queries::units(snapshot.conn())?;
        let teams = queries::teams(snapshot.conn(), filter.unit_id.as_deref())?;
        let caseload = caseload::load(snapshot.conn(), &filter, today)?;
        let me = config.worker.clone();
        let data = deadlines::load(snapshot.conn(), &filter, &config.deadlines, today)?;
        let deadlines = DeadlineList::new(data, me.clone());
        let review = processing::load(
            snapshot.conn(),
            &filter,
            processing::Scope::default(),
            today,
        )?;
        let processing = ProcessingState::new(review, me.clone());
        let tolerance = config.indicator_tolerance_percent;
        let overview = indicators::load(snapshot.conn(), &filter, None, today, tolerance)?;
        let goals = GoalsState::new(overview);
        Ok(Self {
            snapshot,
            config,
            today,
            now,
            theme,
            units,
            teams,
            filter,
            // The bevakningslista is why most people open bevaka: own list when the
            // handläggare id is known, the filter's otherwise.
            view: View::Deadlines,
            caseload,
            pane: Pane::Insats,
            insats_cursor: ListCursor::default(),
            worker_cursor: ListCursor::default(),
            me,
            deadlines,
            processing,
            goals,
            access_log: None,
            clock: None,
            export_dir: std::path::PathBuf::from("."),
            rejected: None,
            help: false,
            message: None,
            quit: false,
        })
    }

    fn refresh(&mut self) -> Result<()> {
        self.teams = queries::teams(self.snapshot.conn(), self.filter.unit_id.as_deref())?;
        self.caseload = caseload::load(self.snapshot.conn(), &self.filter, self.today)?;
        let data = deadlines::load(
            self.snapshot.conn(),
            &self.filter,
            &self.config.deadlines,
            self.today,
        )?;
        self.deadlines.replace(data);
        let scope = self.processing.data.scope.clone();
        let review = processing::load(self.snapshot.conn(), &self.filter, scope, self.today)?;
        self.processing.replace(review);
        let tolerance = self.config.indicator_tolerance_percent;
        let overview = indicators::load(
            self.snapshot.conn(),
            &self.filter,
            self.goals.year,
            self.today,
            tolerance,
        )?;
        self.goals.replace(overview);
        self.insats_cursor.clamp(self.insats_rows().len());
        self.worker_cursor.clamp(self.caseload.workers.len());
        Ok(())
    }

    /// Handles one key press; returns whether the screen needs redrawing. While the search
    /// line is open, keys edit it; otherwise they go through the keymap.
    ///
    /// # Errors
    /// SQLite errors while recomputing a view.
    pub fn handle_key(&mut self, key: KeyEvent) -> Result<bool> {
        if self.view == View::Goals && self.goals.searching {
            let (redraw, quit) = self.goals.search_key(key);
            self.quit |= quit;
            return Ok(redraw);
        }
        if self.deadlines.searching {
            let list = &mut self.deadlines;
            match key.code {
                KeyCode::Char('c') if key.modifiers.contains(KeyModifiers::CONTROL) => {
                    self.quit = true;
                    return Ok(false);
                }
                KeyCode::Esc => {
                    list.searching = false;
                    list.search.clear();
                }
                KeyCode::Enter => list.searching = false,
                KeyCode::Backspace => {
                    list.search.pop();
                }
                KeyCode::Char(c) if !c.is_control() && list.search.chars().count() < 40 => {
                    list.search.push(c);
                }
                _ => return Ok(false),
            }
            list.refilter();
            return Ok(true);
        }
        match keymap::action_for(key) {
            Some(action) => self.handle(action),
            None => Ok(false),
        }
    }

    fn workers_for_filter(&self) -> Vec<(String, String)> {
        let mut v: Vec<(String, String)> = self
            .deadlines
            .data
            .workers
            .iter()
            .filter(|(_, (_, team))| {
                self.filter.team.is_none() || team.as_ref() == self.filter.team.as_ref()
            })
            .map(|(id, (name, _))| (id.clone(), name.clone()))
            .collect();
        v.sort_by(|a, b| a.1.cmp(&b.1).then_with(|| a.0.cmp(&b.0)));
        v
    }

    /// Keys of the bevakningslista and summary views; `None` when not theirs.
    fn handle_deadlines(&mut self, action: Action) -> Option<bool> {
        let list = &mut self.deadlines;
        if let Some(field) = list.popup {
            let i = Field::ALL.iter().position(|f| *f == field).unwrap_or(0);
            let redraw = match action {
                Action::Up => {
                    list.popup = Some(Field::ALL[i.saturating_sub(1)]);
                    true
                }
                Action::Down => {
                    list.popup = Some(Field::ALL[(i + 1).min(Field::ALL.len() - 1)]);
                    true
                }
                Action::FocusLeft | Action::FocusRight => {
                    let workers = self.workers_for_filter();
                    self.deadlines
                        .step_field(field, action == Action::FocusRight, &workers);
                    true
                }
                Action::Back | Action::Open | Action::Filters => {
                    self.deadlines.popup = None;
                    true
                }
                Action::Quit => {
                    self.quit = true;
                    false
                }
                _ => false,
            };
            return Some(redraw);
        }
        if list.detail {
            return match action {
                Action::Back | Action::Open => {
                    list.detail = false;
                    Some(true)
                }
                Action::Quit => None,
                _ => Some(false),
            };
        }
        match (self.view, action) {
            (View::Deadlines, Action::Open) => {
                let Some(case_id) = list.selected().map(|i| i.case_id.clone()) else {
                    return Some(false);
                };
                if let Some(log) = &self.access_log {
                    let now = self.clock.map_or(self.now, |c| c());
                    if let Err(e) = log.record(now, "detalj", Some(&case_id)) {
                        // The unit requires the log: no line, no detail.
                        self.message = Some(Message {
                            text: format!(
                                "Åtkomstloggen {} kan inte skrivas ({e}); detaljen visas inte",
                                log.path().display()
                            ),
                            warning: true,
                        });
                        return Some(true);
                    }
                }
                self.deadlines.detail = true;
                Some(true)
            }
            (View::Deadlines, Action::Search) => {
                list.searching = true;
                Some(true)
            }
            (View::Deadlines, Action::Filters) => {
                list.popup = Some(Field::Kind);
                Some(true)
            }
            (View::Deadlines, Action::Mine) => {
                list.worker = if list.worker.is_some() {
                    None
                } else {
                    self.me.clone()
                };
                list.refilter();
                Some(true)
            }
            (View::Deadlines, Action::Back) if !list.search.is_empty() => {
                list.search.clear();
                list.refilter();
                Some(true)
            }
            (View::Deadlines, a) if is_move(a) => Some(list.cursor.apply(a, list.visible.len())),
            (View::Summary, Action::Sort) => {
                list.summary_sort = list.summary_sort.next();
                list.sort_summary();
                Some(true)
            }
            (View::Summary, Action::Open) => {
                // From the summary into one handläggare's list.
                let Some(row) = list.summary.get(list.summary_cursor.selected) else {
                    return Some(false);
                };
                list.worker = row.worker_id.clone();
                list.refilter();
                list.cursor.selected = 0;
                self.view = View::Deadlines;
                Some(true)
            }
            (View::Summary, a) if is_move(a) => {
                Some(list.summary_cursor.apply(a, list.summary.len()))
            }
            _ => None,
        }
    }

    /// Handles one action; returns whether the screen needs redrawing.
    ///
    /// # Errors
    /// SQLite errors while recomputing a view.
    pub fn handle(&mut self, action: Action) -> Result<bool> {
        if self.help {
            // The help overlay is modal: anything closes it, q still quits.
            match action {
                Action::Quit => self.quit = true,
                _ => self.help = false,
            }
            return Ok(true);
        }
        match action {
            Action::Quit => {
                self.quit = true;
                return Ok(false);
            }
            Action::Help => {
                self.help = true;
                return Ok(true);
            }
            _ => {}
        }
        // The view's own keys first; `Some(redraw)` when the view took the key. A key that
        // changes nothing sends nothing to the terminal.
        let taken = match self.view {
            View::Deadlines | View::Summary => self.handle_deadlines(action),
            View::Processing => self.processing.handle(action),
            View::Goals => self.goals.handle(action),
            View::Caseload => None,
        };
        if let Some(redraw) = taken {
            return Ok(redraw || self.quit);
        }
        match action {
            Action::Quit | Action::Help => Ok(false),
            Action::Back => {
                let had = self.message.take().is_some();
                Ok(had)
            }
            Action::FocusLeft | Action::FocusRight => {
                let next = match (self.pane, action) {
                    (Pane::Insats, Action::FocusRight) => Pane::Workers,
                    (Pane::Workers, Action::FocusLeft) => Pane::Insats,
                    (p, _) => p,
                };
                let changed = next != self.pane;
                self.pane = next;
                Ok(changed)
            }
            Action::Up
            | Action::Down
            | Action::PageUp
            | Action::PageDown
            | Action::Top
            | Action::Bottom => Ok(match self.pane {
                Pane::Insats => self.insats_cursor.apply(action, self.insats_rows().len()),
                Pane::Workers => self
                    .worker_cursor
                    .apply(action, self.caseload.workers.len()),
            }),
            Action::NextView | Action::PrevView | Action::View(_) => {
                let n = View::ALL.len();
                let i = self.view.index();
                let next = match action {
                    Action::NextView => (i + 1) % n,
                    Action::PrevView => (i + n - 1) % n,
                    Action::View(k) => k.min(n - 1),
                    _ => i,
                };
                let changed = next != i;
                self.view = View::ALL[next];
                Ok(changed)
            }
            Action::Open | Action::Search | Action::Filters | Action::Sort | Action::Mine => {
                Ok(false)
            }
            Action::NextUnit => {
                self.filter.unit_id = cycle(
                    self.filter.unit_id.as_deref(),
                    self.units.iter().map(|u| u.unit_id.as_str()),
                );
                // A team belongs to a unit: changing unit resets it.
                self.filter.team = None;
                self.refresh()?;
                Ok(true)
            }
            Action::NextTeam => {
                self.filter.team = cycle(
                    self.filter.team.as_deref(),
                    self.teams.iter().map(String::as_str),
                );
                self.refresh()?;
                Ok(true)
            }
            Action::ClearFilter => {
                let had = self.filter != Filter::default();
                self.filter = Filter::default();
                self.refresh()?;
                Ok(had)
            }
            Action::Reload => {
                self.reload();
                Ok(true)
            }
            Action::Export => {
                self.message = Some(match super::export::export(self, &self.export_dir) {
                    Ok(path) => Message {
                        text: format!("Exporterade till {}", path.display()),
                        warning: false,
                    },
                    Err(e) => Message {
                        text: format!("Export misslyckades: {e}"),
                        warning: true,
                    },
                });
                Ok(true)
            }
        }
    }

    /// Computes every view from `snapshot` and switches to it only when all succeeded, so
    /// a broken new file never leaves a half-switched screen. Filters, view and selections
    /// stay; selections follow their rows where the rows still exist.
    fn switch_to(&mut self, snapshot: Snapshot) -> Result<()> {
        let conn = snapshot.conn();
        let units = queries::units(conn)?;
        let teams = queries::teams(conn, self.filter.unit_id.as_deref())?;
        let caseload = caseload::load(conn, &self.filter, self.today)?;
        let data = deadlines::load(conn, &self.filter, &self.config.deadlines, self.today)?;
        let scope = self.processing.data.scope.clone();
        let review = processing::load(conn, &self.filter, scope, self.today)?;
        let tolerance = self.config.indicator_tolerance_percent;
        let overview =
            indicators::load(conn, &self.filter, self.goals.year, self.today, tolerance)?;
        self.snapshot = snapshot;
        self.units = units;
        self.teams = teams;
        self.caseload = caseload;
        self.deadlines.replace(data);
        self.processing.replace(review);
        self.goals.replace(overview);
        self.insats_cursor.clamp(self.insats_rows().len());
        self.worker_cursor.clamp(self.caseload.workers.len());
        Ok(())
    }

    /// Re-opens the snapshot file (a publisher may have replaced it) and recomputes.
    pub fn reload(&mut self) {
        let result = match self.snapshot.source().clone() {
            Source::File { path, .. } => Snapshot::open(&path)
                .map_err(color_eyre::Report::from)
                .and_then(|s| self.switch_to(s)),
            Source::EmbeddedDemo => self.refresh(),
        };
        self.message = Some(match result {
            Ok(()) => Message {
                text: "Ögonblicksbilden är omläst".into(),
                warning: false,
            },
            Err(e) => Message {
                text: format!("Kunde inte läsa om, visar den förra: {e}"),
                warning: true,
            },
        });
    }

    /// Checks whether the snapshot's path now names another file (a publisher renamed a
    /// new one over it) and, if so, switches to it; a bad new file keeps the old one on
    /// screen with a warning (and is not retried until it changes again). Returns whether
    /// the screen needs redrawing.
    pub fn watch(&mut self) -> bool {
        let Source::File { path, identity, .. } = self.snapshot.source().clone() else {
            return false;
        };
        let Some(now) = FileIdentity::current(&path) else {
            return false; // Briefly absent during a publish, or gone: keep what we have.
        };
        if now == identity || self.rejected == Some(now) {
            return false;
        }
        let result = Snapshot::open(&path)
            .map_err(color_eyre::Report::from)
            .and_then(|s| self.switch_to(s));
        self.message = Some(match result {
            Ok(()) => {
                self.rejected = None;
                Message {
                    text: "Ny ögonblicksbild inläst".into(),
                    warning: false,
                }
            }
            Err(e) => {
                self.rejected = Some(now);
                Message {
                    text: format!("Ny ögonblicksbild kunde inte läsas, visar den förra: {e}"),
                    warning: true,
                }
            }
        });
        true
    }

    /// The insats rows the caseload screen shows: all of them without a filter; with one,
    /// those with a case on any of the three dates (a unit's screen should not be padded
    /// with the other units' insatser). The report always has every row.
    #[must_use]
    pub fn insats_rows(&self) -> Vec<&crate::domain::caseload::InsatsRow> {
        let filtered = self.filter != Filter::default();
        self.caseload
            .rows
            .iter()
            .filter(|r| !filtered || r.counts.iter().any(|n| *n > 0))
            .collect()
    }

    /// The unit's display name for the filter line.
    #[must_use]
    pub fn unit_name(&self) -> Option<&str> {
        let id = self.filter.unit_id.as_deref()?;
        Some(
            self.units
                .iter()
                .find(|u| u.unit_id == id)
                .map_or(id, |u| u.name.as_str()),
        )
    }
}

fn is_move(a: Action) -> bool {
    matches!(
        a,
        Action::Up
            | Action::Down
            | Action::PageUp
            | Action::PageDown
            | Action::Top
            | Action::Bottom
    )
}

/// The next value after `current` in `all`, wrapping through `None` (= all).
fn cycle<'a>(current: Option<&str>, all: impl Iterator<Item = &'a str>) -> Option<String> {
    let all: Vec<&str> = all.collect();
    match current {
        None => all.first().map(|s| (*s).to_string()),
        Some(c) => all
            .iter()
            .position(|s| *s == c)
            .and_then(|i| all.get(i + 1))
            .map(|s| (*s).to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cycle_goes_through_all_and_back_to_none() {
        let all = ["a", "b"];
        assert_eq!(cycle(None, all.into_iter()), Some("a".into()));
        assert_eq!(cycle(Some("a"), all.into_iter()), Some("b".into()));
        assert_eq!(cycle(Some("b"), all.into_iter()), None);
        assert_eq!(cycle(Some("gone"), all.into_iter()), None);
        assert_eq!(cycle(None, [].into_iter()), None);
    }

    #[test]
    fn cursor_moves_within_bounds() {
        let mut c = ListCursor::default();
        c.page.set(5);
        assert!(!c.apply(Action::Up, 10));
        assert!(c.apply(Action::PageDown, 10));
        assert_eq!(c.selected, 5);
        assert!(c.apply(Action::Bottom, 10));
        assert_eq!(c.selected, 9);
        assert!(!c.apply(Action::Down, 10));
        assert!(!c.apply(Action::Down, 0));
    }
}
