//! The dashboard's state and how keys change it. Drawing lives in `views/` and only reads
//! this state; every figure comes from [`crate::domain`].

use std::cell::Cell;
use std::time::SystemTime;

use chrono::NaiveDate;
use color_eyre::Result;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::caseload_state::{CaseloadState, DateEdit};
use super::deadline_list::{DeadlineList, Field};
use super::drill::Layer;
use super::goals_state::GoalsState;
use super::ivo_state::IvoState;
use super::keymap::{self, Action};
use super::loader::{Ask, Data, Done, Loader, Params, Part};
use super::picker::{Outcome, Picker};
use super::processing_state::ProcessingState;
use super::table::Edit;
use super::theme::Theme;
use crate::config::Config;
use crate::domain::cases::{DecisionQuery, GroupKey};
use crate::domain::deadlines::Deadlines;
use crate::domain::indicators::Overview;
use crate::domain::periods::Period;
use crate::domain::processing::Processing;
use crate::model::Unit;
use crate::snapshot::queries::Filter;
use crate::snapshot::{FileIdentity, Snapshot, Source};

/// The views, in tab order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    Deadlines,
    Summary,
    Caseload,
    Processing,
    Goals,
    /// The IVO report: part of the quarterly review (reached with `i` from it, Esc back),
    /// so not a tab of its own.
    Ivo,
    /// The cases behind a figure, drawn over the view it was opened from. Never
    /// [`App::view`]: only what [`App::key_context`] says while it is on top (the keys that
    /// work, the footer and the help).
    Cases,
    /// One case's card, drawn over the view or list it was opened from; as [`View::Cases`].
    Card,
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
            View::Ivo => "IVO-rapport",
            View::Cases => "Ärenden bakom siffran",
            View::Card => "Ärendekort",
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
            View::Ivo => "IVO",
            View::Cases => "Ärenden",
            View::Card => "Ärendekort",
        }
    }

    /// The tab the view belongs to: the IVO report is the review's.
    #[must_use]
    pub fn tab(self) -> View {
        match self {
            View::Ivo => View::Processing,
            v => v,
        }
    }

    /// Whether this is a drill-down drawn over a view rather than a view.
    #[must_use]
    pub fn is_drill(self) -> bool {
        matches!(self, View::Cases | View::Card)
    }

    fn index(self) -> usize {
        Self::ALL.iter().position(|v| *v == self.tab()).unwrap_or(0)
    }

    /// The data the view shows.
    #[must_use]
    pub fn part(self) -> Part {
        match self {
            View::Deadlines | View::Summary => Part::Deadlines,
            // A drill-down is loaded on its own; it never is `App::view`.
            View::Caseload | View::Cases | View::Card => Part::Caseload,
            View::Processing => Part::Processing,
            View::Goals => Part::Goals,
            View::Ivo => Part::Ivo,
        }
    }
}

/// Where one part of the data stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PartState {
    /// Not loaded for the current filter and snapshot; loaded when a view needs it.
    Stale,
    /// Asked for, under the given generation.
    Loading(u64),
    /// Asked for, under the given generation, and the handläggare's own bevakningslista is
    /// in and shown while the whole list loads ([`Data::OwnDeadlines`]).
    Partial(u64),
    Ready,
    /// The load failed; the text says why.
    Failed(String),
}

/// Why a switch to another snapshot file was asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SwitchReason {
    /// The user pressed r.
    Reload,
    /// The watch saw a new file at the path.
    Published,
}

#[derive(Debug, Clone)]
struct Switching {
    reason: SwitchReason,
    identity: Option<FileIdentity>,
}

const STALE: [PartState; 5] = [
    PartState::Stale,
    PartState::Stale,
    PartState::Stale,
    PartState::Stale,
    PartState::Stale,
];

pub use super::caseload_state::Pane;

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
    /// Reads the snapshot, on its own thread in the dashboard.
    pub(super) loader: Loader,
    /// Per [`Part`]: loaded, loading, or to be loaded when shown.
    parts: [PartState; 5],
    /// Bumped whenever the filter or the snapshot changes: answers to older requests are
    /// dropped.
    pub(super) generation: u64,
    /// The generation of the meta data (units, teams) asked for, while it loads.
    meta_loading: Option<u64>,
    switching: Option<Switching>,
    /// Per [`Part`]: asked for as a prefetch, not answered yet.
    ahead: [bool; 5],
    /// Per [`Part`]: the filter the data in the view's state was loaded for.
    shown_for: [Option<Filter>; 5],
    /// The data of the filter before, one per part: going back to it (`x` after `u`)
    /// shows it at once instead of loading it again. Besides it, all units' data while a
    /// unit or team is shown (see `others`). A unit's data is small beside the city's, so
    /// memory stays within what all units with every view need.
    previous: Vec<(Filter, Part, Data)>,
    /// Per [`Part`]: the generation of a prefetch of all units' data, asked for while a
    /// unit or team is shown, so that clearing the filter (`x`) — the one filter change
    /// that reads a whole city — is a redraw too. It is kept as the filter to go back to.
    others: [Option<u64>; 5],
    pub config: Config,
    pub today: NaiveDate,
    /// The wall clock as last injected by the event loop (for the snapshot's age).
    pub now: SystemTime,
    pub theme: Theme,
    pub units: Vec<Unit>,
    pub teams: Vec<String>,
    pub filter: Filter,
    pub view: View,
    /// The Ärenden view.
    pub caseload: CaseloadState,
    /// The user's own handläggare id (config or `--worker`).
    pub me: Option<String>,
    pub deadlines: DeadlineList,
    /// The Handläggningstid view.
    pub processing: ProcessingState,
    /// The Mål och indikatorer view.
    pub goals: GoalsState,
    /// The IVO report view.
    pub ivo: IvoState,
    /// "Who looked at what", when the unit configured it.
    pub access_log: Option<crate::access_log::AccessLog>,
    /// The wall clock for the access log, injected by `main` (tests leave it unset and the
    /// log uses `now`).
    pub clock: Option<fn() -> SystemTime>,
    /// Where `e` writes the current view (the working directory unless set).
    pub export_dir: std::path::PathBuf,
    /// Where an export goes when `export_dir` (not configured: the current directory)
    /// cannot be written: the home directory.
    pub export_fallback: Option<std::path::PathBuf>,
    /// A new file that failed to open, not retried until it changes again.
    rejected: Option<FileIdentity>,
    /// A folder's members as they were when reading it failed (see `watch_folder`).
    rejected_folder: Option<Vec<(std::path::PathBuf, Option<FileIdentity>)>>,
    /// Set when another snapshot file is switched to: whether it still knows [`App::me`]
    /// is checked when the data that lists the handläggare (the bevakningslista's)
    /// arrives from it, with the switch or later.
    me_unchecked: bool,
    /// The back stack: drill-downs drawn over the view and jumps between views, the
    /// latest last (see [`super::drill`]).
    pub(super) back: Vec<Layer>,
    /// The drill-down asked for, until the loader answers.
    pub(super) pending: Option<Ask>,
    /// Whether `pending` is the drill-down on top asked for again from a new snapshot
    /// (it replaces the top rather than going on it).
    pub(super) renewing: bool,
    pub help: bool,
    /// The unit or team picker (`u`, `t`) while it is open: it takes every key.
    pub picker: Option<Picker>,
    /// The choice of CSV or Excel that `e` opens when `export_format` is not configured:
    /// it takes every key while open.
    pub export_choice: Option<super::export::Choice>,
    pub message: Option<Message>,
    /// The check of the snapshot's values, running beside the first screen: a problem it
    /// finds is warned of in the status line.
    pub value_check: Option<std::sync::mpsc::Receiver<String>>,
    /// A check of the values asked for, started once the view on screen has its data (so
    /// that its scan does not slow the first screen down).
    value_check_wanted: bool,
    /// The user's record of snapshots whose values were found good.
    pub good_values: Option<crate::snapshot::shape::GoodValues>,
    /// Text for the terminal to put on the clipboard (`y`, OSC 52), until the event loop
    /// has written it.
    pub clipboard: Option<String>,
    pub quit: bool,
    /// The loader thread is gone (it panicked): the event loop ends the dashboard with an
    /// error rather than leave it saying "laddar…" for good.
    lost: bool,
}

impl App {
    /// Builds the state and loads every view on this thread before returning (tests, and
    /// other users of the library): the screens drawn afterwards are complete.
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
        let loader = Loader::inline(snapshot);
        let mut app = Self::with_loader(loader, config, filter, today, now, theme);
        app.request(Part::ALL.to_vec(), true);
        for state in &app.parts {
            if let PartState::Failed(e) = state {
                return Err(color_eyre::eyre::eyre!("{e}"));
            }
        }
        Ok(app)
    }

    /// Builds the state with the snapshot on a loader thread and asks for the first view:
    /// the screen can be drawn at once ("laddar…") and fills in as the data arrives
    /// ([`App::receive`]).
    ///
    /// # Errors
    /// When the loader thread cannot be started.
    pub fn start(
        snapshot: Snapshot,
        config: Config,
        filter: Filter,
        today: NaiveDate,
        now: SystemTime,
        theme: Theme,
    ) -> Result<Self> {
        let loader = Loader::spawn(snapshot)?;
        let mut app = Self::with_loader(loader, config, filter, today, now, theme);
        app.request(vec![app.view.part()], true);
        Ok(app)
    }

    fn with_loader(
        loader: Loader,
        config: Config,
        filter: Filter,
        today: NaiveDate,
        now: SystemTime,
        theme: Theme,
    ) -> Self {
        let me = config.worker.clone();
        Self {
            loader,
            parts: STALE,
            generation: 0,
            meta_loading: None,
            switching: None,
            ahead: [false; 5],
            shown_for: [None, None, None, None, None],
            previous: Vec::new(),
            others: [None; 5],
            config,
            today,
            now,
            theme,
            units: Vec::new(),
            teams: Vec::new(),
            filter,
            // The bevakningslista is why most people open bevaka: own list when the
            // handläggare id is known, the filter's otherwise.
            view: View::Deadlines,
            caseload: CaseloadState::default(),
            deadlines: DeadlineList::new(Deadlines::default(), me.clone()),
            processing: ProcessingState::new(Processing::default(), me.clone()),
            goals: GoalsState::new(Overview::default()),
            ivo: IvoState::new(today),
            me,
            access_log: None,
            clock: None,
            export_dir: std::path::PathBuf::from("."),
            export_fallback: None,
            rejected: None,
            rejected_folder: None,
            me_unchecked: false,
            back: Vec::new(),
            pending: None,
            renewing: false,
            help: false,
            picker: None,
            export_choice: None,
            message: None,
            value_check: None,
            value_check_wanted: false,
            good_values: None,
            clipboard: None,
            quit: false,
            lost: false,
        }
    }

    /// Whether the loader thread is gone: nothing more can be loaded.
    #[must_use]
    pub fn loader_lost(&self) -> bool {
        self.lost
    }

    /// The snapshot on screen.
    #[must_use]
    pub fn source(&self) -> &Source {
        self.loader.source()
    }

    /// Where the data of `part` stands.
    #[must_use]
    pub fn part_state(&self, part: Part) -> &PartState {
        &self.parts[part.index()]
    }

    /// Calls `wake` whenever the loader has an answer for [`App::receive`].
    pub fn wake_with(&self, wake: impl Fn() + Send + Sync + 'static) {
        self.loader.wake_with(wake);
    }

    /// Whether an answer from the loader is awaited.
    #[must_use]
    pub fn loading(&self) -> bool {
        self.meta_loading.is_some()
            || self.switching.is_some()
            || self.pending.is_some()
            || self.others.iter().any(Option::is_some)
            || self
                .parts
                .iter()
                .any(|p| matches!(p, PartState::Loading(_) | PartState::Partial(_)))
    }

    /// Whether the view on screen is the own bevakningslista, which a [`PartState::Partial`]
    /// list can show.
    #[must_use]
    pub fn shows_own_list(&self) -> bool {
        self.view == View::Deadlines && self.deadlines.worker.is_some()
    }

    /// Whether the [`PartState::Partial`] list in hand shows the view on screen as the whole
    /// list would: an own list the own list ([`App::shows_own_list`]), a list of the next
    /// 30 days what needs no later item ([`DeadlineList::shown_by`]).
    #[must_use]
    pub fn shows_partial_list(&self) -> bool {
        match self.deadlines.data.due_by() {
            None => self.shows_own_list(),
            Some(last) => self.view == View::Deadlines && self.deadlines.shown_by(last),
        }
    }

    pub(super) fn params(&self) -> Params {
        Params {
            filter: self.filter.clone(),
            today: self.today,
            rules: self.config.deadlines,
            scope: self.processing.data.scope.clone(),
            year: self.goals.year,
            tolerance_percent: self.config.indicator_tolerance_percent,
            kind: self.processing.kind(),
            ivo_quarter: self.ivo.quarter,
            caseload_day: self.caseload.day,
            own: if self.shows_own_list() {
                self.deadlines.worker.clone()
            } else {
                None
            },
        }
    }

    /// Whether the current view waits for its data (what the screen says "laddar…" for).
    #[must_use]
    pub fn view_loading(&self) -> bool {
        self.switching.is_some()
            || match self.parts[self.view.part().index()] {
                PartState::Loading(_) | PartState::Stale => true,
                PartState::Partial(_) => !self.shows_partial_list(),
                PartState::Ready | PartState::Failed(_) => false,
            }
    }

    /// Asks the loader, once the current view is there, for the views not loaded yet, so
    /// that switching to them is instant. The loader runs these after anything asked for
    /// later, and drops them when the filter changes.
    fn prefetch(&mut self) {
        if self.loader.is_inline() || self.view_loading() {
            return;
        }
        let stale: Vec<Part> = Part::ALL
            .into_iter()
            .filter(|p| self.parts[p.index()] == PartState::Stale)
            .collect();
        if stale.is_empty() {
            self.prefetch_all_units();
            return;
        }
        let generation = self.generation;
        for part in &stale {
            self.parts[part.index()] = PartState::Loading(generation);
            self.ahead[part.index()] = true;
        }
        let params = self.params();
        for part in stale {
            self.loader
                .load(generation, true, false, vec![part], params.clone());
        }
    }

    /// Once every view of a unit's or team's filter is in, asks the loader for every view
    /// of all units too (the view on screen first), kept as the filter to go back to: `x`
    /// then shows the city at once rather than after its load (60–170 ms at city scale).
    /// Memory stays within what all units with every view need.
    fn prefetch_all_units(&mut self) {
        let all = Filter::default();
        if self.filter == all
            || self.parts.iter().any(|p| {
                matches!(
                    p,
                    PartState::Stale | PartState::Loading(_) | PartState::Partial(_)
                )
            })
        {
            return;
        }
        let mut params = self.params();
        params.filter = all.clone();
        let mut order = Part::ALL;
        order.sort_by_key(|p| *p != self.view.part());
        for part in order {
            let i = part.index();
            let kept = self
                .previous
                .iter()
                .any(|(f, p, _)| *f == all && *p == part);
            if kept || self.others[i].is_some() {
                continue;
            }
            self.others[i] = Some(self.generation);
            self.loader
                .load(self.generation, true, false, vec![part], params.clone());
        }
    }

    /// Keeps all units' data prefetched by [`App::prefetch_all_units`] as the filter to go
    /// back to; drops anything else loaded for a filter that is not the current one.
    fn keep_other(
        &mut self,
        generation: u64,
        part: Part,
        filter: Filter,
        result: Result<Data, String>,
    ) {
        let i = part.index();
        if self.others[i] != Some(generation) || filter != Filter::default() {
            return;
        }
        self.others[i] = None;
        if let Ok(data) = result {
            self.previous.retain(|(_, p, _)| *p != part);
            self.previous.push((filter, part, data));
        }
    }

    /// Asks the loader for `parts` (and the units and teams when `meta`).
    fn request(&mut self, parts: Vec<Part>, meta: bool) {
        let generation = self.generation;
        for part in &parts {
            self.parts[part.index()] = PartState::Loading(generation);
            self.ahead[part.index()] = false;
        }
        if meta {
            self.meta_loading = Some(generation);
        }
        let params = self.params();
        self.loader.load(generation, false, meta, parts, params);
        self.receive_inline();
    }

    /// Loads the current view's data if it is not there for the current filter.
    fn ensure_loaded(&mut self) {
        let part = self.view.part();
        // A prefetch may wait behind another: ask for the view now.
        if self.parts[part.index()] == PartState::Stale || self.ahead[part.index()] {
            self.request(vec![part], false);
        }
    }

    /// The filter changed: everything loaded so far is for another filter, but the filter
    /// before may be the one now asked for again.
    fn refilter(&mut self, meta: bool) {
        self.generation += 1;
        self.parts = STALE;
        self.ahead = [false; 5];
        self.others = [None; 5];
        if meta {
            self.teams.clear();
        }
        let quarter = self.ivo.quarter;
        let (back, other): (Vec<_>, Vec<_>) = std::mem::take(&mut self.previous)
            .into_iter()
            .partition(|(f, _, data)| *f == self.filter && Self::current(data, quarter));
        self.previous = other;
        for (_, part, data) in back {
            self.apply(part, data);
        }
        let part = self.view.part();
        let parts = if self.parts[part.index()] == PartState::Ready {
            Vec::new()
        } else {
            vec![part]
        };
        if meta || !parts.is_empty() {
            self.request(parts, meta);
        }
        self.prefetch();
    }

    /// Whether kept or loaded `data` is for what the views ask for now: an IVO report only
    /// for the chosen quarter (the others have no such choice that needs a new load).
    fn current(data: &Data, quarter: Period) -> bool {
        match data {
            Data::Ivo(ivo) => ivo.quarter == Some(quarter),
            _ => true,
        }
    }

    /// Puts `data` (loaded for the current filter) in the view's state; what it replaces
    /// is kept as [`App::previous`] when it was another filter's.
    fn apply(&mut self, part: Part, data: Data) {
        let old = match data {
            Data::Deadlines(d) | Data::OwnDeadlines(d) | Data::NearDeadlines(d) => {
                let old = self.deadlines.replace(*d);
                self.check_me();
                Data::Deadlines(Box::new(old))
            }
            Data::Caseload(c) => {
                let filtered = self.filter != Filter::default();
                Data::Caseload(Box::new(self.caseload.replace(*c, filtered)))
            }
            Data::Processing(mut p) => {
                // The review's own insats / handläggare and period choices apply to data
                // kept from before they were made, too.
                let scope = self.processing.data.scope.clone();
                if p.scope != scope {
                    p.rescope(scope);
                }
                let kind = self.processing.kind();
                // Rows that do not reach back for the kind keep their own (right, if not
                // the one asked for) until the load asked for arrives.
                if p.kind == kind || p.set_kind(kind) {
                    self.processing.wanted_kind = None;
                }
                Data::Processing(Box::new(self.processing.replace(*p)))
            }
            Data::Goals(g) => {
                let old = self.goals.replace(*g);
                if let Some(year) = self.goals.year
                    && self.goals.data.year != year
                {
                    self.goals.set_year(year);
                }
                Data::Goals(Box::new(old))
            }
            Data::Ivo(ivo) => Data::Ivo(Box::new(self.ivo.replace(*ivo))),
        };
        let i = part.index();
        if let Some(was) = self.shown_for[i].take()
            && was != self.filter
        {
            // One other filter's data per part, besides all units' (see `others`).
            let all = Filter::default();
            self.previous
                .retain(|(f, p, _)| *p != part || (*f == all && was != all));
            self.previous.push((was, part, old));
        }
        self.shown_for[i] = Some(self.filter.clone());
        self.parts[i] = PartState::Ready;
    }

    /// Work the screen just drawn did not need: the bevakningslista's order beyond its near
    /// part ([`Deadlines::complete_order`]), so that the first key needing it finds it.
    pub fn after_draw(&self) {
        self.deadlines.data.complete_order();
    }

    /// Takes what the loader has finished; returns whether the screen needs redrawing.
    /// A view prefetched behind the one on screen changes nothing on it: the screen is not
    /// redrawn for it (an idle dashboard writes nothing to the terminal).
    pub fn receive(&mut self) -> bool {
        let mut taken = false;
        self.start_value_check();
        let mut shown = self.take_value_check();
        while let Some(done) = self.loader.try_next() {
            let hidden = match &done {
                Done::Part { part, .. } if *part != self.view.part() => true,
                // The whole list where its next 30 days are on screen: the same rows.
                Done::Part {
                    part: Part::Deadlines,
                    result: Ok(Data::Deadlines(_)),
                    filter,
                    ..
                } => {
                    *filter == self.filter
                        && matches!(self.parts[Part::Deadlines.index()], PartState::Partial(_))
                        && self.deadlines.data.due_by().is_some()
                        && self.shows_partial_list()
                }
                _ => false,
            };
            let took = self.take(done);
            taken |= took;
            shown |= took && !hidden;
        }
        if taken {
            self.prefetch();
        }
        shown
    }

    /// Asks for a check of the snapshot file's values (see
    /// [`crate::snapshot::shape::check_values_aside`]) once the view on screen is shown.
    pub fn check_values_when_shown(&mut self) {
        self.value_check_wanted = matches!(self.source(), Source::File { .. });
        self.start_value_check();
    }

    fn start_value_check(&mut self) {
        if !self.value_check_wanted || self.view_loading() {
            return;
        }
        if let Source::File { path, .. } = self.source() {
            self.value_check = Some(crate::snapshot::shape::check_values_aside(
                path.clone(),
                self.good_values.clone(),
            ));
        }
        self.value_check_wanted = false;
    }

    /// What the check of the snapshot's values found, once it is done: a warning.
    fn take_value_check(&mut self) -> bool {
        let Some(rx) = &self.value_check else {
            return false;
        };
        match rx.try_recv() {
            Ok(problem) => {
                self.value_check = None;
                self.warn(problem);
                true
            }
            Err(std::sync::mpsc::TryRecvError::Disconnected) => {
                self.value_check = None;
                false
            }
            Err(std::sync::mpsc::TryRecvError::Empty) => false,
        }
    }

    /// Inline loads are finished as soon as asked for; a loader thread's answers are taken
    /// by the event loop ([`App::receive`]), so the state changes only there.
    pub(super) fn receive_inline(&mut self) {
        if self.loader.is_inline() {
            self.receive();
        }
    }

    fn take(&mut self, done: Done) -> bool {
        match done {
            Done::Meta { generation, result } => {
                if self.meta_loading != Some(generation) {
                    return false;
                }
                self.meta_loading = None;
                match result {
                    Ok(meta) => {
                        self.units = meta.units;
                        self.teams = meta.teams;
                    }
                    Err(e) => self.warn(format!("Kunde inte läsa enheterna: {e}")),
                }
                true
            }
            Done::Part {
                generation,
                part,
                filter,
                result,
            } => {
                if filter != self.filter {
                    self.keep_other(generation, part, filter, result);
                    return false;
                }
                let state = &self.parts[part.index()];
                if (*state != PartState::Loading(generation)
                    && *state != PartState::Partial(generation))
                    || result
                        .as_ref()
                        .is_ok_and(|d| !Self::current(d, self.ivo.quarter))
                {
                    return false;
                }
                if let Ok(Data::OwnDeadlines(own) | Data::NearDeadlines(own)) = result {
                    // Shown as the own list (or the next 30 days) until the whole arrives;
                    // never kept for another filter (it is not the whole list).
                    self.deadlines.replace(*own);
                    self.check_me();
                    self.shown_for[part.index()] = None;
                    self.parts[part.index()] = PartState::Partial(generation);
                    return true;
                }
                self.ahead[part.index()] = false;
                match result {
                    Ok(data) => self.apply(part, data),
                    Err(e) => self.parts[part.index()] = PartState::Failed(e),
                }
                true
            }
            Done::Switched {
                generation,
                meta,
                parts,
                ..
            } => {
                let Some(switching) = self.switching.take() else {
                    return false;
                };
                self.rejected = None;
                // What was kept for going back, and what is on screen, came from the old
                // file: none of it may be kept for going back.
                self.previous.clear();
                self.others = [None; 5];
                self.shown_for = [None, None, None, None, None];
                self.units = meta.units;
                self.teams = meta.teams;
                self.meta_loading = None;
                // Everything else was read from the old file.
                self.parts = STALE;
                self.ahead = [false; 5];
                // Said first: a handläggare the new file does not know is warned of over it.
                self.message = Some(Message {
                    text: match switching.reason {
                        SwitchReason::Reload => "Ögonblicksbilden är omläst".into(),
                        SwitchReason::Published => "Ny ögonblicksbild inläst".into(),
                    },
                    warning: false,
                });
                self.me_unchecked = self.me.is_some();
                if generation == self.generation {
                    for (part, data) in parts {
                        if Self::current(&data, self.ivo.quarter) {
                            self.apply(part, data);
                        }
                    }
                } else {
                    // The filter changed meanwhile: what was loaded is for the old one.
                    self.generation += 1;
                }
                self.ensure_loaded();
                self.drills_stale();
                // The new file's values are checked as the first one's were.
                self.check_values_when_shown();
                true
            }
            Done::SwitchFailed { error, .. } => {
                let Some(switching) = self.switching.take() else {
                    return false;
                };
                self.rejected = switching.identity;
                self.warn(match switching.reason {
                    SwitchReason::Reload => format!("Kunde inte läsa om, visar den förra: {error}"),
                    SwitchReason::Published => {
                        format!("Ny ögonblicksbild kunde inte läsas, visar den förra: {error}")
                    }
                });
                true
            }
            Done::Drill {
                generation,
                ask,
                result,
            } => self.take_drill(generation, &ask, result),
            Done::Lost => {
                self.lost = true;
                self.meta_loading = None;
                self.pending = None;
                self.switching = None;
                for p in &mut self.parts {
                    if matches!(p, PartState::Loading(_) | PartState::Partial(_)) {
                        *p = PartState::Failed("inläsningen avbröts".into());
                    }
                }
                true
            }
        }
    }

    /// The case reference of the selected row, where the row names a case: a bevakning,
    /// an IVO row, a drill-down list's row, or the card on screen.
    #[must_use]
    pub fn selected_case(&self) -> Option<String> {
        match self.back.last() {
            Some(Layer::Cases(l)) => l.selected().map(|c| c.case_id.clone()),
            Some(Layer::Decisions(l)) => l.selected().map(|d| d.row.case_id.clone()),
            Some(Layer::Card(c)) => Some(c.card.rows.case.case_id.clone()),
            _ => match self.view {
                View::Deadlines => self.deadlines.selected().map(|i| i.case_id.to_string()),
                View::Ivo => self.ivo.selected().map(|r| r.case_id.clone()),
                _ => None,
            },
        }
    }

    /// `y`: the selected case's reference to the clipboard, through the terminal (the
    /// event loop writes it), and the status line says so.
    fn copy_selected_case(&mut self) -> bool {
        match self.selected_case() {
            Some(case_id) => {
                self.message = Some(Message {
                    text: format!("Kopierade {case_id} (urklipp via terminalen)"),
                    warning: false,
                });
                self.clipboard = Some(case_id);
            }
            None => self.warn("Inget ärende valt att kopiera".into()),
        }
        true
    }

    /// After a switch to another snapshot file, once its bevakningslista is in: when it no
    /// longer knows the user's handläggare id, the status line says so and the list shows
    /// everyone's items instead of silently none.
    fn check_me(&mut self) {
        if !std::mem::take(&mut self.me_unchecked) {
            return;
        }
        let Some(me) = self.me.clone() else {
            return;
        };
        if self.deadlines.data.workers.contains_key(&me) {
            return;
        }
        if self.deadlines.worker.as_deref() == Some(me.as_str()) {
            self.deadlines.worker = None;
            self.deadlines.refilter();
        }
        // Short enough for the status line at 80 columns beside the file's name and age.
        self.warn(format!(
            "Handläggare {me} saknas nu; visar allas bevakningar"
        ));
    }

    /// Whether a view's filter pop-up is open (it takes the keys until closed).
    fn popup_open(&self) -> bool {
        self.back.is_empty()
            && match self.view {
                View::Deadlines => self.deadlines.popup.is_some(),
                View::Processing => self.processing.popup.is_some(),
                View::Goals => self.goals.popup.is_some(),
                _ => false,
            }
    }

    fn warn(&mut self, text: String) {
        self.message = Some(Message {
            text,
            warning: true,
        });
    }

    /// Handles one key press; returns whether the screen needs redrawing. While the search
    /// line is open, keys edit it; otherwise they go through the keymap.
    ///
    /// # Errors
    /// SQLite errors while recomputing a view.
    pub fn handle_key(&mut self, key: KeyEvent) -> Result<bool> {
        if let Some(picker) = &mut self.picker {
            let outcome = picker.handle_key(key);
            return Ok(self.picked(outcome));
        }
        if let Some(choice) = &mut self.export_choice {
            use super::export::Answer;
            return match choice.handle_key(key) {
                Answer::Chosen(format) => {
                    self.export_choice = None;
                    self.export_view(format)
                }
                Answer::Cancelled => {
                    self.export_choice = None;
                    Ok(true)
                }
                Answer::Quit => {
                    self.quit = true;
                    Ok(false)
                }
                Answer::Moved => Ok(true),
                Answer::Ignored => Ok(false),
            };
        }
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
        if !self.help && self.key_context() == View::Caseload {
            let today = self.today;
            match self.caseload.date_key(key, today) {
                Some(DateEdit::Moved) => {
                    // The table and the chart again, for the date typed.
                    self.request(vec![Part::Caseload], false);
                    return Ok(true);
                }
                Some(DateEdit::Changed) => return Ok(true),
                None => {}
            }
        }
        if let Some(redraw) = self.search_key(key) {
            return Ok(redraw);
        }
        match keymap::action_for(key) {
            Some(action) => self.handle(action),
            None => Ok(false),
        }
    }

    /// A key while the search of the list in front is typed: it edits the search and
    /// never reaches the keymap. `None` when no search is being typed.
    fn search_key(&mut self, key: KeyEvent) -> Option<bool> {
        if self.help {
            return None;
        }
        let edit = match self.key_context() {
            View::Cases => self.drill_search_key(key),
            View::Summary => self.deadlines.summary_search_key(key),
            View::Caseload => self.caseload.search_key(key),
            View::Processing => self.processing.search_key(key),
            View::Ivo => self.ivo.search_key(key),
            _ => None,
        }?;
        Some(match edit {
            Edit::Changed => true,
            Edit::Quit => {
                self.quit = true;
                false
            }
            Edit::Ignored => false,
        })
    }

    /// Applies what the open picker answered to a key; returns whether the screen needs
    /// redrawing.
    fn picked(&mut self, outcome: Outcome) -> bool {
        match outcome {
            Outcome::Redraw => true,
            Outcome::Ignored => false,
            Outcome::Closed => {
                self.picker = None;
                true
            }
            Outcome::Quit => {
                self.quit = true;
                false
            }
            Outcome::Chosen(value) => {
                let kind = self.picker.take().map(|p| p.kind);
                match kind {
                    Some(super::picker::Kind::Unit) => self.choose_unit(value),
                    Some(super::picker::Kind::Team) => self.choose_team(value),
                    None => false,
                };
                true
            }
        }
    }

    /// Shows `unit` (`None`: all units), with all its teams; returns whether the filter
    /// changed.
    pub fn choose_unit(&mut self, unit: Option<String>) -> bool {
        if unit == self.filter.unit_id && self.filter.team.is_none() {
            return false;
        }
        self.filter.unit_id = unit;
        // A team belongs to a unit: changing unit resets it.
        self.filter.team = None;
        self.refilter(true);
        true
    }

    /// Shows `team` (`None`: all teams) of the unit shown; returns whether the filter
    /// changed.
    pub fn choose_team(&mut self, team: Option<String>) -> bool {
        if team == self.filter.team {
            return false;
        }
        self.filter.team = team;
        self.refilter(false);
        true
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

    /// Appends the access log's line for a case detail, where the unit keeps the log;
    /// returns whether the detail may be shown (no line, no detail).
    pub(super) fn log_detail(&mut self, case_id: &str) -> bool {
        let Some(log) = &self.access_log else {
            return true;
        };
        let now = self.clock.map_or(self.now, |c| c());
        if let Err(e) = log.record(now, "detalj", Some(case_id)) {
            // The unit requires the log: no line, no detail.
            self.message = Some(Message {
                text: format!(
                    "Åtkomstloggen {} kan inte skrivas ({e}); detaljen visas inte",
                    log.shown()
                ),
                warning: true,
            });
            return false;
        }
        true
    }

    /// Makes the access log's entry for an export just written, where the unit keeps the
    /// log: no entry, no export (the file is removed again).
    fn log_export(&self, path: &std::path::Path, rows: usize) -> color_eyre::Result<()> {
        let Some(log) = &self.access_log else {
            return Ok(());
        };
        let now = self.clock.map_or(self.now, |c| c());
        // The log names the file wherever it was read from: not `./bevaka-….csv`.
        let named = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        let format = path.extension().and_then(|e| e.to_str()).unwrap_or("csv");
        let Err(e) = log.record_export(now, &named, rows, format) else {
            return Ok(());
        };
        let removed = match std::fs::remove_file(path) {
            Ok(()) => "filen togs bort".to_string(),
            Err(r) => format!("filen {} kunde inte tas bort: {r}", path.display()),
        };
        Err(color_eyre::eyre::eyre!(
            "åtkomstloggen {} kan inte skrivas ({e}); {removed}",
            log.shown()
        ))
    }

    /// Keys of the IVO report; `None` when not its own.
    fn handle_ivo(&mut self, action: Action) -> Option<bool> {
        if self.ivo.detail && action == Action::Open {
            // From the row's detail to its case's card.
            let case_id = self.ivo.selected().map(|r| r.case_id.clone())?;
            return Some(self.open_card(&case_id));
        }
        if let Some(redraw) = self.ivo.handle(action) {
            return Some(redraw);
        }
        match action {
            Action::Open => {
                let Some(case_id) = self.ivo.selected().map(|r| r.case_id.clone()) else {
                    return Some(false);
                };
                if self.log_detail(&case_id) {
                    self.ivo.detail = true;
                }
                Some(true)
            }
            Action::PrevQuarter | Action::NextQuarter => {
                if !self.ivo.step(action == Action::NextQuarter) {
                    return Some(false);
                }
                self.show_ivo_quarter();
                Some(true)
            }
            Action::Back => {
                self.view = View::Processing;
                self.ensure_loaded();
                Some(true)
            }
            _ => None,
        }
    }

    /// The IVO report's quarter changed: shows its report, kept from before or loaded.
    fn show_ivo_quarter(&mut self) {
        let quarter = self.ivo.quarter;
        let kept = self.previous.iter().position(|(f, p, data)| {
            *f == self.filter && *p == Part::Ivo && Self::current(data, quarter)
        });
        if let Some(i) = kept {
            let (_, part, data) = self.previous.remove(i);
            self.apply(part, data);
        } else {
            self.request(vec![Part::Ivo], false);
        }
    }

    /// Enter in the review: the case of a row of "Över mål" or "Ej verkställda" opens its
    /// card; elsewhere the review's own Enter (the next breakdown).
    fn open_from_review(&mut self) -> Option<bool> {
        use super::processing_state::Pane as Review;
        let p = &self.processing;
        let case_id = match p.pane {
            Review::OverTarget => p.selected_over().map(|r| r.case_id.clone()),
            Review::NotExecuted => p.selected_not_executed().map(|r| r.case_id.clone()),
            // A period, or a row of its breakdown: the decisions (of handläggningstid) or
            // starts (of verkställighetstid) its figure counts, longest first.
            Review::Quarters => {
                let query = DecisionQuery {
                    measure: p.measure,
                    period: p.period()?.period,
                    group: None,
                };
                return Some(self.open_decisions(query));
            }
            Review::Breakdown => {
                let group = p.selected_group()?;
                let query = DecisionQuery {
                    measure: p.measure,
                    period: p.period()?.period,
                    group: Some(GroupKey::of(p.by, group)?),
                };
                return Some(self.open_decisions(query));
            }
        };
        Some(case_id.is_some_and(|id| self.open_card(&id)))
    }

    /// Keys of the Ärenden view; `None` when not its own. Enter opens the cases behind
    /// the chosen figure.
    fn handle_caseload(&mut self, action: Action) -> Option<bool> {
        if action == Action::Open {
            let query = self.caseload.open()?;
            return Some(self.open_cases(query));
        }
        self.caseload.handle(action)
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
                Action::Open => {
                    // From the item's detail to its case's card.
                    let case_id = list.selected().map(|i| i.case_id.to_string())?;
                    Some(self.open_card(&case_id))
                }
                Action::Back => {
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
                if self.log_detail(&case_id) {
                    self.deadlines.detail = true;
                }
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
            (View::Deadlines, Action::Sort) => {
                list.next_sort(DeadlineList::COLUMNS.len());
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
            (View::Summary, Action::Open) => {
                // From the summary into one handläggare's list.
                let Some(row) = list.summary_selected() else {
                    return Some(false);
                };
                let worker = row.worker_id.clone();
                self.push_jump(View::Summary);
                let list = &mut self.deadlines;
                list.worker = worker;
                list.refilter();
                list.cursor.selected = 0;
                list.cursor.offset.set(0);
                self.view = View::Deadlines;
                Some(true)
            }
            (View::Summary, a) => list.summary_handle(a),
            _ => None,
        }
    }

    /// Handles one action; returns whether the screen needs redrawing.
    ///
    /// # Errors
    /// SQLite errors while recomputing a view.
    pub fn handle(&mut self, action: Action) -> Result<bool> {
        if self.export_choice.is_some() {
            // The choice takes its keys in `handle_key`; no other action reaches past it.
            self.quit |= action == Action::Quit;
            return Ok(false);
        }
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
        // A key that means nothing here does nothing (and is not shown here either). A
        // filter pop-up is modal and takes its own keys (← → change a field).
        if !self.popup_open() && !keymap::works_in(action, self.key_context()) {
            return Ok(false);
        }
        if action == Action::Copy {
            return Ok(self.copy_selected_case());
        }
        // A drill-down drawn over the view takes every key that works there.
        if let Some(redraw) = self.handle_drill(action) {
            return Ok(redraw || self.quit);
        }
        // The view's own keys first; `Some(redraw)` when the view took the key. A key that
        // changes nothing sends nothing to the terminal.
        let taken = match self.view {
            View::Deadlines | View::Summary => self.handle_deadlines(action),
            View::Processing if action == Action::Open && self.processing.popup.is_none() => {
                self.open_from_review()
            }
            View::Processing => {
                let taken = self.processing.handle(action);
                if action == Action::PeriodKind && self.processing.wanted_kind.is_some() {
                    // The review again, reaching back as far as the kind needs.
                    self.request(vec![Part::Processing], false);
                }
                taken
            }
            View::Goals => self.goals.handle(action),
            View::Caseload => self.handle_caseload(action),
            View::Ivo => self.handle_ivo(action),
            View::Cases | View::Card => None,
        };
        if let Some(redraw) = taken {
            return Ok(redraw || self.quit);
        }
        match action {
            // Taken before the views (`copy_selected_case`).
            Action::Quit | Action::Help | Action::Copy => Ok(false),
            Action::Back => {
                // Esc also cancels a drill-down still loading.
                self.pending = None;
                let had = self.message.take().is_some();
                Ok(self.jump_back() || had)
            }
            Action::FocusLeft
            | Action::FocusRight
            | Action::Up
            | Action::Down
            | Action::PageUp
            | Action::PageDown
            | Action::Top
            | Action::Bottom => Ok(false),
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
                // Another tab is a new start: nothing to go back to from there, and a
                // drill-down still loading was for the view left.
                self.back.clear();
                self.pending = None;
                self.view = View::ALL[next];
                self.ensure_loaded();
                Ok(changed)
            }
            Action::Ivo => {
                self.pending = None;
                self.view = View::Ivo;
                self.ensure_loaded();
                Ok(true)
            }
            Action::Open
            | Action::Search
            | Action::Filters
            | Action::Sort
            | Action::Mine
            | Action::PeriodKind
            | Action::Measure
            | Action::GroupBy
            | Action::SplitSex
            | Action::Chart
            | Action::ChartOpen
            | Action::Date
            | Action::PrevQuarter
            | Action::NextQuarter => Ok(false),
            Action::PickUnit => {
                let units = self
                    .units
                    .iter()
                    .map(|u| (u.unit_id.as_str(), u.name.as_str()));
                self.picker = Some(Picker::units(units, self.filter.unit_id.as_deref()));
                Ok(true)
            }
            Action::PickTeam => {
                let teams = self.teams.iter().map(String::as_str);
                self.picker = Some(Picker::teams(teams, self.filter.team.as_deref()));
                Ok(true)
            }
            Action::ClearFilter => {
                // Every filter: unit and team, and every view's own (`f`, `m`, searches,
                // sorts), so that a list filtered to nothing is one key from everything.
                let mut listed = self.deadlines.clear_filters();
                listed |= self.caseload.clear();
                listed |= self.processing.clear_all();
                listed |= self.ivo.clear();
                listed |= self.goals.clear_filters();
                let had = self.filter != Filter::default();
                if had {
                    self.filter = Filter::default();
                    self.refilter(true);
                }
                if !had && !listed {
                    // Said, so that the key is seen to work.
                    self.message = Some(Message {
                        text: "Inga filter att rensa".into(),
                        warning: false,
                    });
                }
                Ok(true)
            }
            Action::Reload => {
                self.reload();
                Ok(true)
            }
            Action::Export if self.parts[self.view.part().index()] != PartState::Ready => {
                self.warn("Vyn är inte inläst än; exportera när den visas".into());
                Ok(true)
            }
            Action::Export => match self.config.export_format {
                Some(format) => self.export_view(format),
                None => {
                    self.export_choice = Some(super::export::Choice::new());
                    Ok(true)
                }
            },
        }
    }

    /// Writes the current view as `format` into the export folder (else the fallback), logs
    /// it, and says in the status line what was written.
    fn export_view(&mut self, format: crate::config::ExportFormat) -> Result<bool> {
        let first = super::export::export(self, &self.export_dir, format);
        let result = match (first, &self.export_fallback) {
            (Err(e), Some(home)) => super::export::export(self, home, format)
                .map(|written| (written, Some(e.to_string())))
                .map_err(|_| e),
            (first, _) => first.map(|written| (written, None)),
        };
        let result = result.and_then(|((path, rows), why)| {
            self.log_export(&path, rows)?;
            Ok((path, why))
        });
        self.message = Some(match result {
            Ok((path, None)) => Message {
                text: format!("Exporterade till {}", path.display()),
                warning: false,
            },
            Ok((path, Some(why))) => Message {
                text: format!("Exporterade till {} ({why})", path.display()),
                warning: true,
            },
            Err(e) => Message {
                text: format!("Export misslyckades: {e}"),
                warning: true,
            },
        });
        Ok(true)
    }

    /// Asks the loader to switch to `snapshot` once the current view loads from it; the
    /// old file stays on screen until then, and stays if the new one fails. Filters, view
    /// and selections stay; selections follow their rows where the rows still exist.
    fn switch_to(
        &mut self,
        snapshot: Snapshot,
        reason: SwitchReason,
        identity: Option<FileIdentity>,
    ) {
        self.switching = Some(Switching { reason, identity });
        let params = self.params();
        let part = self.view.part();
        self.loader
            .switch(self.generation, snapshot, vec![part], params);
        self.receive_inline();
    }

    /// Re-opens the snapshot file (a publisher may have replaced it) and recomputes.
    pub fn reload(&mut self) {
        if self.switching.is_some() {
            return;
        }
        match self.source().clone() {
            Source::File { path, .. } | Source::Union { dir: path, .. } => {
                match Snapshot::open(&path) {
                    Ok(s) => self.switch_to(s, SwitchReason::Reload, None),
                    Err(e) => self.warn(format!("Kunde inte läsa om, visar den förra: {e}")),
                }
            }
            Source::EmbeddedDemo => {
                self.refilter(true);
                self.message = Some(Message {
                    text: "Ögonblicksbilden är omläst".into(),
                    warning: false,
                });
            }
        }
    }

    /// Checks whether the snapshot's path now names another file (a publisher renamed a
    /// new one over it) and, if so, switches to it; a bad new file keeps the old one on
    /// screen with a warning (and is not retried until it changes again). Returns whether
    /// the screen needs redrawing.
    pub fn watch(&mut self) -> bool {
        if self.switching.is_some() {
            return false;
        }
        if let Source::Union { dir, .. } = self.source() {
            return self.watch_folder(&dir.clone());
        }
        let Source::File { path, identity, .. } = self.source().clone() else {
            return false;
        };
        let Some(now) = FileIdentity::current(&path) else {
            return false; // Briefly absent during a publish, or gone: keep what we have.
        };
        if now == identity || self.rejected == Some(now) {
            return false;
        }
        match Snapshot::open(&path) {
            Ok(s) => self.switch_to(s, SwitchReason::Published, Some(now)),
            Err(e) => {
                self.rejected = Some(now);
                self.warn(format!(
                    "Ny ögonblicksbild kunde inte läsas, visar den förra: {e}"
                ));
            }
        }
        true
    }

    /// [`App::watch`] for a folder: a file published, removed or made readable in it
    /// reads the folder again; a bad file keeps the old union on screen with a warning
    /// until the folder changes again.
    fn watch_folder(&mut self, dir: &std::path::Path) -> bool {
        if !crate::snapshot::union::changed(self.source()) {
            return false;
        }
        let now = crate::snapshot::union::current(dir);
        if self.rejected_folder.as_ref() == Some(&now) {
            return false;
        }
        match Snapshot::open(dir) {
            Ok(s) => self.switch_to(s, SwitchReason::Published, None),
            Err(e) => {
                self.rejected_folder = Some(now);
                self.warn(format!(
                    "Ny ögonblicksbild kunde inte läsas, visar den förra: {e}"
                ));
            }
        }
        true
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

#[cfg(test)]
mod tests {
    use super::*;

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
