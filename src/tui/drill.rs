//! Drill-downs and the back stack (issue 13): Enter on a figure opens the cases behind it,
//! Enter on a row that names a case opens the case's card, and Esc goes back to exactly
//! where the user came from, as many steps as they went in.
//!
//! The stack holds what is drawn over the view (a case list, a case card) and the jumps
//! from one view into another (Per handläggare → Bevakningar), with what to restore. The
//! view beneath keeps its own state (filters, selection, scroll) untouched while covered,
//! so popping a layer shows it as it was. The rows and the rules come from
//! [`crate::domain::cases`]; the card's text is the one `bevaka report case` prints.

use std::cell::Cell;

use std::cmp::Ordering;

use super::app::{App, Message, View};
use super::keymap::Action;
use super::loader::{Ask, Drilled};
use super::table::{ListView, Rows, by_figure, by_text, has};
use crate::domain::cases::{CaseCard, CaseList, DecisionList, DecisionQuery, ListQuery};
use crate::snapshot::queries::Filter;

/// What the status line says while a drill-down loads on the loader thread (no "…": it
/// has no one-column ASCII form).
const FETCHING: &str = "Hämtar från ögonblicksbilden";

/// The cases behind a figure, as drawn over the view.
#[derive(Debug)]
pub struct CasesLayer {
    /// What was asked for, to ask again for a new snapshot.
    pub ask: Ask,
    /// Read from a snapshot since replaced: asked for again when next on top.
    pub stale: bool,
    pub list: CaseList,
    /// The filter the list was made for (the heading names it).
    pub filter: Filter,
    pub view: ListView,
}

/// A case list's rows, for search and sort: ärende, klient, handläggare, arbetsgrupp,
/// öppnat, kön.
pub struct CaseRows<'a>(pub &'a CaseList);

impl Rows for CaseRows<'_> {
    fn count(&self) -> usize {
        self.0.cases.len()
    }
    fn columns(&self) -> usize {
        6
    }
    fn matches(&self, i: usize, needle: &str) -> bool {
        let c = &self.0.cases[i];
        has(&c.case_id, needle)
            || c.client_label.as_deref().is_some_and(|l| has(l, needle))
            || c.worker_id
                .as_deref()
                .is_some_and(|w| has(w, needle) || has(self.0.worker_name(w), needle))
            || c.team.as_deref().is_some_and(|t| has(t, needle))
    }
    fn compare(&self, a: usize, b: usize, column: usize) -> Ordering {
        let (x, y) = (&self.0.cases[a], &self.0.cases[b]);
        let worker = |c: &'_ crate::model::Case| -> String {
            c.worker_id
                .as_deref()
                .map_or_else(String::new, |w| self.0.worker_name(w).to_string())
        };
        match column {
            0 => by_text(&x.case_id, &y.case_id),
            1 => by_text(
                x.client_label.as_deref().unwrap_or(""),
                y.client_label.as_deref().unwrap_or(""),
            ),
            2 => by_text(&worker(x), &worker(y)),
            3 => by_text(
                x.team.as_deref().unwrap_or(""),
                y.team.as_deref().unwrap_or(""),
            ),
            4 => x.opened.cmp(&y.opened),
            _ => by_text(
                x.sex.map_or("", crate::model::Sex::as_str),
                y.sex.map_or("", crate::model::Sex::as_str),
            ),
        }
    }
}

/// The decisions behind a figure of the review, as drawn over it.
#[derive(Debug)]
pub struct DecisionsLayer {
    pub ask: Ask,
    pub stale: bool,
    pub list: DecisionList,
    pub view: ListView,
}

/// A decision list's rows, for search and sort: ärende, klient, insats, handläggare,
/// inkom, beslut, dagar, mål.
pub struct DecisionRows<'a>(pub &'a DecisionList);

impl Rows for DecisionRows<'_> {
    fn count(&self) -> usize {
        self.0.decisions.len()
    }
    fn columns(&self) -> usize {
        8
    }
    fn matches(&self, i: usize, needle: &str) -> bool {
        let r = &self.0.decisions[i].row;
        has(&r.case_id, needle)
            || r.client_label.as_deref().is_some_and(|l| has(l, needle))
            || has(self.0.insats_name(&r.insats_code), needle)
            || r.worker_id
                .as_deref()
                .is_some_and(|w| has(w, needle) || has(self.0.worker_name(w), needle))
    }
    fn compare(&self, a: usize, b: usize, column: usize) -> Ordering {
        let (x, y) = (&self.0.decisions[a], &self.0.decisions[b]);
        let worker = |d: &'_ crate::domain::cases::Decision| -> String {
            d.row
                .worker_id
                .as_deref()
                .map_or_else(String::new, |w| self.0.worker_name(w).to_string())
        };
        match column {
            0 => by_text(&x.row.case_id, &y.row.case_id),
            1 => by_text(
                x.row.client_label.as_deref().unwrap_or(""),
                y.row.client_label.as_deref().unwrap_or(""),
            ),
            2 => by_text(
                self.0.insats_name(&x.row.insats_code),
                self.0.insats_name(&y.row.insats_code),
            ),
            3 => by_text(&worker(x), &worker(y)),
            4 => x.row.from.cmp(&y.row.from),
            5 => x.row.to.cmp(&y.row.to),
            6 => by_figure(Some(x.days), Some(y.days)),
            _ => by_figure(x.target_days, y.target_days),
        }
    }
}

impl CasesLayer {
    /// The selected case.
    #[must_use]
    pub fn selected(&self) -> Option<&crate::model::Case> {
        self.list.cases.get(self.view.selected()?)
    }
}

impl DecisionsLayer {
    /// The selected decision.
    #[must_use]
    pub fn selected(&self) -> Option<&crate::domain::cases::Decision> {
        self.list.decisions.get(self.view.selected()?)
    }
}

/// One case's card, as drawn over the view or list it was opened from.
#[derive(Debug)]
pub struct CardLayer {
    pub ask: Ask,
    pub stale: bool,
    pub card: CaseCard,
    /// The first line shown.
    pub scroll: usize,
    /// Lines visible at the last draw (PgUp/PgDn), and lines in all at that width: layout
    /// caches written while drawing, as [`ListCursor`]'s.
    pub page: Cell<usize>,
    pub lines: Cell<usize>,
}

impl CardLayer {
    /// Scrolls for a movement action; returns whether it moved.
    fn apply(&mut self, action: Action) -> bool {
        let page = self.page.get().max(1);
        let last = self.lines.get().saturating_sub(page);
        let next = match action {
            Action::Up => self.scroll.saturating_sub(1),
            Action::Down => (self.scroll + 1).min(last),
            Action::PageUp => self.scroll.saturating_sub(page),
            Action::PageDown => (self.scroll + page).min(last),
            Action::Top => 0,
            Action::Bottom => last,
            _ => return false,
        };
        let moved = next != self.scroll;
        self.scroll = next;
        moved
    }
}

/// Where a jump from one view into another came from, to go back to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Return {
    pub view: View,
    /// The bevakningslista's handläggare filter before the jump.
    pub worker: Option<String>,
    /// The bevakningslista's selection and scroll before the jump.
    pub selected: usize,
    pub offset: usize,
}

/// One step of the back stack.
#[derive(Debug)]
pub enum Layer {
    Cases(CasesLayer),
    Decisions(DecisionsLayer),
    Card(CardLayer),
    Jump(Return),
}

impl Layer {
    /// What a drill-down was asked for, and whether it is from an older snapshot.
    fn ask_mut(&mut self) -> Option<(&mut Ask, &mut bool)> {
        match self {
            Layer::Cases(l) => Some((&mut l.ask, &mut l.stale)),
            Layer::Decisions(l) => Some((&mut l.ask, &mut l.stale)),
            Layer::Card(c) => Some((&mut c.ask, &mut c.stale)),
            Layer::Jump(_) => None,
        }
    }
}

impl App {
    /// The context the keys, the footer and the help are for: the drill-down on top, else
    /// the view.
    #[must_use]
    pub fn key_context(&self) -> View {
        match self.back.last() {
            // A list of decisions is a list of cases to the keys: Enter opens the card.
            Some(Layer::Cases(_) | Layer::Decisions(_)) => View::Cases,
            Some(Layer::Card(_)) => View::Card,
            _ => self.view,
        }
    }

    /// The drill-down drawn over the view, if any.
    #[must_use]
    pub fn drill(&self) -> Option<&Layer> {
        self.back.last().filter(|l| !matches!(l, Layer::Jump(_)))
    }

    /// How many steps Esc can go back.
    #[must_use]
    pub fn depth(&self) -> usize {
        self.back.len()
    }

    /// Opens the card of `case_id`: a case detail for the access log, so nothing is asked
    /// for when the line cannot be written.
    pub(super) fn open_card(&mut self, case_id: &str) -> bool {
        if !self.log_detail(case_id) {
            return true;
        }
        self.ask_drill(Ask::Card {
            case_id: case_id.to_string(),
        });
        true
    }

    /// Opens the cases of the current filter that `query` asks for.
    pub(super) fn open_cases(&mut self, query: ListQuery) -> bool {
        self.ask_drill(Ask::Cases {
            filter: self.filter.clone(),
            query,
        });
        true
    }

    /// Opens the decisions behind a figure of the review: a period's, or a row's of its
    /// breakdown.
    pub(super) fn open_decisions(&mut self, query: DecisionQuery) -> bool {
        self.ask_drill(Ask::Decisions {
            filter: self.filter.clone(),
            scope: self.processing.data.scope.clone(),
            query,
        });
        true
    }

    fn ask_drill(&mut self, ask: Ask) {
        self.renewing = false;
        self.fetch(ask, true);
    }

    /// Asks the loader for `ask`; `say` puts "Hämtar" in the status line meanwhile (not
    /// over the message of a new snapshot).
    fn fetch(&mut self, ask: Ask, say: bool) {
        self.clear_fetching();
        self.pending = Some(ask.clone());
        let params = self.params();
        let generation = self.generation;
        self.loader.drill(generation, ask, params);
        self.receive_inline();
        if say && self.pending.is_some() {
            // On a loader thread: a few milliseconds; said, in case the file is slow.
            self.message = Some(Message {
                text: FETCHING.into(),
                warning: false,
            });
        }
    }

    /// The snapshot was replaced: every drill-down on the stack was read from the old
    /// file. The one on screen is asked for again at once (it stays, with its search,
    /// sort and selection, until the new rows arrive); the others when Esc shows them.
    pub(super) fn drills_stale(&mut self) {
        for layer in &mut self.back {
            if let Some((_, stale)) = layer.ask_mut() {
                *stale = true;
            }
        }
        self.renew_top();
    }

    /// Asks again for the drill-down on top if it was read from an older snapshot.
    pub(super) fn renew_top(&mut self) {
        let Some((ask, stale)) = self.back.last_mut().and_then(Layer::ask_mut) else {
            return;
        };
        if !*stale {
            return;
        }
        *stale = false;
        let ask = ask.clone();
        self.renewing = true;
        self.fetch(ask, false);
    }

    fn clear_fetching(&mut self) {
        if self
            .message
            .as_ref()
            .is_some_and(|m| !m.warning && m.text == FETCHING)
        {
            self.message = None;
        }
    }

    /// A drill-down the loader finished; returns whether the screen changed.
    pub(super) fn take_drill(
        &mut self,
        generation: u64,
        ask: &Ask,
        result: Result<Drilled, String>,
    ) -> bool {
        if self.pending.as_ref() != Some(ask) {
            return false;
        }
        self.pending = None;
        self.clear_fetching();
        if generation != self.generation {
            // The filter changed meanwhile: the list is of the old one.
            return true;
        }
        // Asked for again for a new snapshot: it takes the old one's place, as it was.
        let renew = std::mem::take(&mut self.renewing)
            && self
                .back
                .last_mut()
                .and_then(Layer::ask_mut)
                .is_some_and(|(a, _)| a == ask);
        // Its old rows go whatever the answer: a case the new file lacks has no card.
        let old = if renew { self.back.pop() } else { None };
        let ask = ask.clone();
        match result {
            Ok(Drilled::Cases(list)) => {
                let filter = match &ask {
                    Ask::Cases { filter, .. } => filter.clone(),
                    Ask::Card { .. } | Ask::Decisions { .. } => self.filter.clone(),
                };
                let mut view = match old {
                    Some(Layer::Cases(l)) => l.view,
                    _ => ListView::default(),
                };
                view.refresh(&CaseRows(&list));
                self.back.push(Layer::Cases(CasesLayer {
                    ask,
                    stale: false,
                    list: *list,
                    filter,
                    view,
                }));
            }
            Ok(Drilled::Decisions(list)) => {
                // Longest first, as loaded, and said by the arrow on "Dagar".
                let mut view = match old {
                    Some(Layer::Decisions(l)) => l.view,
                    _ => ListView::sorted_by(6),
                };
                view.refresh(&DecisionRows(&list));
                self.back.push(Layer::Decisions(DecisionsLayer {
                    ask,
                    stale: false,
                    list: *list,
                    view,
                }));
            }
            Ok(Drilled::Card(card)) => {
                let scroll = match old {
                    Some(Layer::Card(c)) => c.scroll,
                    _ => 0,
                };
                self.back.push(Layer::Card(CardLayer {
                    ask,
                    stale: false,
                    card: *card,
                    scroll,
                    page: Cell::new(1),
                    lines: Cell::new(0),
                }));
            }
            Err(e) => {
                self.message = Some(Message {
                    text: format!("Kunde inte hämta: {e}"),
                    warning: true,
                });
                if renew {
                    // What is beneath is from the old file too.
                    self.renew_top();
                }
            }
        }
        true
    }

    /// Keys of the drill-down on top; `None` when there is none.
    pub(super) fn handle_drill(&mut self, action: Action) -> Option<bool> {
        let top = self.back.last_mut()?;
        let redraw = match (top, action) {
            (Layer::Jump(_), _) => return None,
            (Layer::Cases(l), Action::Back) if !l.view.search.text.is_empty() => l
                .view
                .handle(Action::Back, &CaseRows(&l.list))
                .unwrap_or(false),
            (Layer::Decisions(l), Action::Back) if !l.view.search.text.is_empty() => l
                .view
                .handle(Action::Back, &DecisionRows(&l.list))
                .unwrap_or(false),
            (_, Action::Back) => {
                self.back.pop();
                if std::mem::take(&mut self.renewing) {
                    // The popped one's rows, asked for again, are no longer wanted.
                    self.pending = None;
                }
                self.renew_top();
                true
            }
            (Layer::Cases(l), Action::Open) => {
                let Some(case_id) = l.selected().map(|c| c.case_id.clone()) else {
                    return Some(false);
                };
                self.open_card(&case_id)
            }
            (Layer::Cases(l), a) => l.view.handle(a, &CaseRows(&l.list)).unwrap_or(false),
            (Layer::Decisions(l), Action::Open) => {
                let Some(case_id) = l.selected().map(|d| d.row.case_id.clone()) else {
                    return Some(false);
                };
                self.open_card(&case_id)
            }
            (Layer::Decisions(l), a) => l.view.handle(a, &DecisionRows(&l.list)).unwrap_or(false),
            (Layer::Card(c), a) => c.apply(a),
        };
        Some(redraw)
    }

    /// A key while the search of the drill-down list on top is typed; `None` when none is.
    pub(super) fn drill_search_key(
        &mut self,
        key: crossterm::event::KeyEvent,
    ) -> Option<super::table::Edit> {
        match self.back.last_mut()? {
            Layer::Cases(l) => l.view.search_key(key, &CaseRows(&l.list)),
            Layer::Decisions(l) => l.view.search_key(key, &DecisionRows(&l.list)),
            Layer::Card(_) | Layer::Jump(_) => None,
        }
    }

    /// Esc in a view reached by a jump: back to the view it came from, as it was.
    pub(super) fn jump_back(&mut self) -> bool {
        let Some(Layer::Jump(_)) = self.back.last() else {
            return false;
        };
        let Some(Layer::Jump(r)) = self.back.pop() else {
            return false;
        };
        let list = &mut self.deadlines;
        list.worker = r.worker;
        list.refilter();
        list.cursor.selected = r.selected;
        list.cursor.offset.set(r.offset);
        list.cursor.clamp(list.visible.len());
        self.view = r.view;
        true
    }

    /// Remembers where a jump into another view came from.
    pub(super) fn push_jump(&mut self, from: View) {
        let list = &self.deadlines;
        self.back.push(Layer::Jump(Return {
            view: from,
            worker: list.worker.clone(),
            selected: list.cursor.selected,
            offset: list.cursor.offset.get(),
        }));
    }
}
