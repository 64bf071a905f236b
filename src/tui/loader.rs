//! Reading the snapshot off the event loop's thread, so that a slow query never blocks the
//! screen: the views ask for their data, the screen says "laddar…" meanwhile, and keys (q
//! among them) keep working. The snapshot's connection lives on the loader's thread; the
//! dashboard only ever sees finished, typed results.
//!
//! In tests the same jobs run inline, on the caller's thread, so that a screen drawn right
//! after a key is the finished one.

use std::collections::VecDeque;
use std::sync::atomic::Ordering;
use std::sync::mpsc::{Receiver, Sender, TryRecvError, channel};

use chrono::NaiveDate;

use crate::config::DeadlineRules;
use crate::domain::caseload::{self, Caseload};
use crate::domain::cases::{self, CaseCard, CaseList, DecisionList, DecisionQuery, ListQuery};
use crate::domain::deadlines::{self, Deadlines};
use crate::domain::indicators::{self, Overview};
use crate::domain::ivo::{self, Ivo};
use crate::domain::periods::{Period, PeriodKind};
use crate::domain::processing::{self, Processing};
use crate::model::Unit;
use crate::snapshot::queries::{self, Filter};
use crate::snapshot::{Readers, Snapshot, Source};

/// The independently loaded parts of the dashboard's data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// The bevakningslista (views Bevakningar and Per handläggare).
    Deadlines,
    /// Caseload by insats and open cases per handläggare (Ärenden, Per handläggare).
    Caseload,
    /// The handläggningstid review.
    Processing,
    /// Mål och indikatorer.
    Goals,
    /// The IVO report of the chosen quarter.
    Ivo,
}

impl Part {
    pub const ALL: [Part; 5] = [
        Part::Deadlines,
        Part::Caseload,
        Part::Processing,
        Part::Goals,
        Part::Ivo,
    ];

    #[must_use]
    pub fn index(self) -> usize {
        self as usize
    }
}

/// Everything a load depends on besides the snapshot.
#[derive(Debug, Clone)]
pub struct Params {
    pub filter: Filter,
    pub today: NaiveDate,
    pub rules: DeadlineRules,
    pub scope: processing::Scope,
    pub year: Option<i32>,
    pub tolerance_percent: u32,
    /// The review's kind of period.
    pub kind: PeriodKind,
    /// The IVO report's quarter.
    pub ivo_quarter: Period,
    /// The first date of the caseload table when moved with `d` (else today): the table
    /// shows it, a year and two years before, and the chart the months up to it.
    pub caseload_day: Option<NaiveDate>,
    /// The handläggare whose own bevakningslista is on screen: a load of the list asked
    /// for now (not a prefetch) sends their items first ([`Data::OwnDeadlines`]), read
    /// through the worker indexes in milliseconds, and then the whole list.
    pub own: Option<String>,
}

/// The units and the filter unit's teams (the filter keys cycle through them).
#[derive(Debug, Clone, Default)]
pub struct Meta {
    pub units: Vec<Unit>,
    pub teams: Vec<String>,
}

/// One loaded part.
#[derive(Debug)]
pub enum Data {
    Deadlines(Box<Deadlines>),
    /// The bevakningslista with only [`Params::own`]'s items right (see
    /// [`deadlines::load_of_worker`]): shown as their own list until the whole arrives.
    OwnDeadlines(Box<Deadlines>),
    /// The bevakningslista of all units with only the items of the next 30 days (see
    /// [`deadlines::load_near`]): the first screen, shown until the whole arrives.
    NearDeadlines(Box<Deadlines>),
    Caseload(Box<Caseload>),
    Processing(Box<Processing>),
    Goals(Box<Overview>),
    Ivo(Box<Ivo>),
}

/// A drill-down asked for: the rows behind a figure, or one case's card. Not a [`Part`]:
/// it is loaded once, when asked for, and kept by the back stack rather than per filter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ask {
    /// The cases behind a caseload count or a handläggare's open cases, of `filter`.
    Cases { filter: Filter, query: ListQuery },
    /// One case's card.
    Card { case_id: String },
    /// The decisions behind a period's figure (or a row of its breakdown), of `filter`
    /// and the review's `scope`.
    Decisions {
        filter: Filter,
        scope: processing::Scope,
        query: DecisionQuery,
    },
}

/// A loaded drill-down.
#[derive(Debug)]
pub enum Drilled {
    Cases(Box<CaseList>),
    Card(Box<CaseCard>),
    Decisions(Box<DecisionList>),
}

/// Loads a drill-down (a few indexed queries: milliseconds even at city scale). An error
/// names the file.
fn load_drill(snapshot: &Snapshot, ask: &Ask, p: &Params) -> Result<Drilled, String> {
    let conn = snapshot.conn();
    let drilled = match ask {
        Ask::Cases { filter, query } => {
            cases::load_list(conn, filter, query).map(|l| Drilled::Cases(Box::new(l)))
        }
        Ask::Card { case_id } => {
            cases::load_card(conn, case_id, &p.rules, p.today).map(|c| Drilled::Card(Box::new(c)))
        }
        Ask::Decisions {
            filter,
            scope,
            query,
        } => cases::load_decisions(conn, filter, scope, query, p.today)
            .map(|d| Drilled::Decisions(Box::new(d))),
    };
    drilled.map_err(|e| match e {
        cases::Error::Sqlite(e) => snapshot.read_error(e).to_string(),
        other => other.to_string(),
    })
}

/// What the loader is asked to do.
enum Job {
    /// Load parts (and the meta data) from the current snapshot.
    Load {
        generation: u64,
        /// Asked for ahead of need (a view not shown yet): runs after every job that is
        /// needed now, and not at all once a newer generation is asked for.
        prefetch: bool,
        meta: bool,
        parts: Vec<Part>,
        params: Params,
    },
    /// Switch to another snapshot, but only if the meta data and `parts` all load from it:
    /// a broken new file never leaves a half-switched screen.
    Switch {
        generation: u64,
        snapshot: Box<Snapshot>,
        parts: Vec<Part>,
        params: Params,
    },
    /// Load a drill-down (never a prefetch).
    Drill {
        generation: u64,
        ask: Ask,
        params: Params,
    },
    /// Panic on the loader thread: how the tests see that a loader that dies ends the
    /// dashboard. Debug builds only (`BEVAKA_TEST_PANIC_LOADER=1`, [`Loader::panic_for_test`]).
    #[cfg(debug_assertions)]
    Panic,
}

/// The loader thread's name (the panic hook knows it by it).
pub const THREAD: &str = "bevaka-loader";

/// What the loader answers.
#[derive(Debug)]
pub enum Done {
    Meta {
        generation: u64,
        result: Result<Meta, String>,
    },
    Part {
        generation: u64,
        part: Part,
        /// The filter it was loaded for.
        filter: Filter,
        result: Result<Data, String>,
    },
    /// The switch succeeded: the new file's source, meta data and parts.
    Switched {
        generation: u64,
        source: Source,
        meta: Meta,
        parts: Vec<(Part, Data)>,
    },
    /// The new file failed to load; the old one stays.
    SwitchFailed { generation: u64, error: String },
    /// A drill-down, as asked for.
    Drill {
        generation: u64,
        ask: Ask,
        result: Result<Drilled, String>,
    },
    /// The loader thread is gone (a bug): nothing more will be loaded.
    Lost,
}

/// Loads one part of `snapshot`.
///
/// # Errors
/// SQLite errors, as text for the screen, naming the file.
fn load(snapshot: &Snapshot, part: Part, p: &Params) -> Result<Data, String> {
    load_part(snapshot.readers(), part, p).map_err(|e| snapshot.read_error(e).to_string())
}

fn load_part(db: Readers<'_>, part: Part, p: &Params) -> rusqlite::Result<Data> {
    let conn = db.main;
    match part {
        Part::Deadlines => {
            deadlines::load(db, &p.filter, &p.rules, p.today).map(|d| Data::Deadlines(Box::new(d)))
        }
        Part::Caseload => caseload::load(db, &p.filter, p.caseload_day.unwrap_or(p.today))
            .map(|c| Data::Caseload(Box::new(c))),
        Part::Processing => processing::load_by(db, &p.filter, p.scope.clone(), p.today, p.kind)
            .map(|d| Data::Processing(Box::new(d))),
        Part::Goals => indicators::load(conn, &p.filter, p.year, p.today, p.tolerance_percent)
            .map(|d| Data::Goals(Box::new(d))),
        // The whole filter's report: the review's handläggare scope is a lens on the
        // statistics, while the report goes to IVO for the unit.
        Part::Ivo => {
            ivo::load(db, &p.filter, None, p.ivo_quarter, p.today).map(|d| Data::Ivo(Box::new(d)))
        }
    }
}

fn interrupted(e: &rusqlite::Error) -> bool {
    e.sqlite_error_code() == Some(rusqlite::ErrorCode::OperationInterrupted)
}

/// What the loader thread shares with the dashboard: a way to stop a prefetch that is
/// in the way of a view asked for now.
#[derive(Default)]
struct Shared {
    /// Interrupt the current snapshot's running statements.
    interrupt: std::sync::Mutex<Vec<rusqlite::InterruptHandle>>,
    /// Whether a prefetch is running.
    prefetching: std::sync::atomic::AtomicBool,
    /// Called after each answer is sent: wakes the event loop, which then waits for input
    /// and answers alike instead of looking for answers every few milliseconds.
    wake: std::sync::OnceLock<Box<dyn Fn() + Send + Sync>>,
}

impl Shared {
    fn watch(&self, snapshot: &Snapshot) {
        if let Ok(mut h) = self.interrupt.lock() {
            *h = snapshot.interrupt_handles();
        }
    }
}

/// Loads the meta data of `snapshot`.
///
/// # Errors
/// SQLite errors, as text for the screen, naming the file.
fn load_meta(snapshot: &Snapshot, filter: &Filter) -> Result<Meta, String> {
    let conn = snapshot.conn();
    let named = |e| snapshot.read_error(e).to_string();
    let units = queries::units(conn).map_err(named)?;
    let teams = queries::teams(conn, filter.unit_id.as_deref()).map_err(named)?;
    Ok(Meta { units, teams })
}

/// Runs one job; returns what is left of a prefetch that was interrupted (to run later).
fn run(
    snapshot: &mut Snapshot,
    shared: &Shared,
    job: Job,
    out: &mut dyn FnMut(Done),
) -> Option<Job> {
    match job {
        Job::Load {
            generation,
            meta,
            prefetch,
            parts,
            params,
        } => {
            // The units and teams first: they take a millisecond, and arriving with the view
            // (not just after it) they cost no frame of their own.
            if meta {
                out(Done::Meta {
                    generation,
                    result: load_meta(snapshot, &params.filter),
                });
            }
            for (i, &part) in parts.iter().enumerate() {
                if let (Part::Deadlines, false, Some(own)) = (part, prefetch, &params.own) {
                    let own = deadlines::load_of_worker(
                        snapshot.readers(),
                        &params.filter,
                        own,
                        &params.rules,
                        params.today,
                    );
                    // A failure here is the whole list's too: it says so when it comes.
                    if let Ok(own) = own {
                        out(Done::Part {
                            generation,
                            part,
                            filter: params.filter.clone(),
                            result: Ok(Data::OwnDeadlines(Box::new(own))),
                        });
                    }
                }
                // All units' list asked for now: its next 30 days first (the first screen,
                // a sixth of the items, from a fraction of the rows), then the whole.
                if (part, prefetch, &params.own) == (Part::Deadlines, false, &None)
                    && params.filter == Filter::default()
                {
                    let near = deadlines::load_near(
                        snapshot.readers(),
                        &params.filter,
                        &params.rules,
                        params.today,
                    );
                    // A failure here is the whole list's too: it says so when it comes.
                    if let Ok(Some(near)) = near {
                        out(Done::Part {
                            generation,
                            part,
                            filter: params.filter.clone(),
                            result: Ok(Data::NearDeadlines(Box::new(near))),
                        });
                    }
                }
                let mut result = load_part(snapshot.readers(), part, &params);
                // A statement stopped by the snapshot's time limit is an error to show, not
                // an interrupt asked for: running it again would only hang again.
                if result
                    .as_ref()
                    .is_err_and(|e| interrupted(e) && !snapshot.timed_out())
                {
                    if prefetch {
                        return Some(Job::Load {
                            generation,
                            prefetch,
                            // Sent already.
                            meta: false,
                            parts: parts[i..].to_vec(),
                            params,
                        });
                    }
                    // Meant for a prefetch that had just finished: once more.
                    result = load_part(snapshot.readers(), part, &params);
                }
                out(Done::Part {
                    generation,
                    part,
                    filter: params.filter.clone(),
                    result: result.map_err(|e| snapshot.read_error(e).to_string()),
                });
            }
        }
        Job::Switch {
            generation,
            snapshot: new,
            parts,
            params,
        } => {
            let all = load_meta(&new, &params.filter).and_then(|meta| {
                let loaded = parts
                    .iter()
                    .map(|&part| load(&new, part, &params).map(|d| (part, d)))
                    .collect::<Result<Vec<_>, String>>()?;
                Ok((meta, loaded))
            });
            match all {
                Ok((meta, parts)) => {
                    *snapshot = *new;
                    shared.watch(snapshot);
                    out(Done::Switched {
                        generation,
                        source: snapshot.source().clone(),
                        meta,
                        parts,
                    });
                }
                Err(error) => out(Done::SwitchFailed { generation, error }),
            }
        }
        #[cfg(debug_assertions)]
        Job::Panic => {
            panic!("BEVAKA_TEST_PANIC_LOADER: inläsningstråden får panik som testet bad om")
        }
        Job::Drill {
            generation,
            ask,
            params,
        } => {
            let result = load_drill(snapshot, &ask, &params);
            out(Done::Drill {
                generation,
                ask,
                result,
            });
        }
    }
    None
}

/// The loader thread's jobs: those needed now in the order asked, then prefetches of the
/// newest generation; prefetches of older ones are dropped (their answers would be
/// dropped anyway).
#[derive(Default)]
struct Queue {
    now: VecDeque<Job>,
    ahead: VecDeque<Job>,
    newest: u64,
    /// The parts already loaded in the newest generation, with the filter they were loaded
    /// for (a view shown while its prefetch waited is asked for again, now; the prefetch is
    /// then not run).
    ran: Vec<(Part, Filter)>,
}

impl Queue {
    /// Puts an interrupted prefetch back, first among the prefetches.
    fn again(&mut self, job: Job) {
        if let Job::Load { parts, params, .. } = &job {
            self.ran
                .retain(|(p, f)| !parts.contains(p) || *f != params.filter);
        }
        self.ahead.push_front(job);
    }

    fn is_prefetch(job: &Job) -> bool {
        matches!(job, Job::Load { prefetch: true, .. })
    }

    fn push(&mut self, job: Job) {
        let (generation, prefetch) = match &job {
            Job::Load {
                generation,
                prefetch,
                ..
            } => (*generation, *prefetch),
            Job::Switch { generation, .. } | Job::Drill { generation, .. } => (*generation, false),
            #[cfg(debug_assertions)]
            Job::Panic => (self.newest, false),
        };
        if generation > self.newest {
            self.newest = generation;
            self.ran.clear();
        }
        if prefetch {
            self.ahead.push_back(job);
        } else {
            self.now.push_back(job);
        }
    }

    fn note(&mut self, job: &Job) {
        if let Job::Load {
            generation,
            parts,
            params,
            ..
        } = job
            && *generation == self.newest
        {
            self.ran
                .extend(parts.iter().map(|&p| (p, params.filter.clone())));
        }
    }

    /// The next job to run: waits only when there is none.
    fn next(&mut self, jobs: &Receiver<Job>) -> Option<Job> {
        loop {
            while let Ok(job) = jobs.try_recv() {
                self.push(job);
            }
            if let Some(job) = self.now.pop_front() {
                self.note(&job);
                return Some(job);
            }
            while let Some(job) = self.ahead.pop_front() {
                let wanted = match &job {
                    Job::Load {
                        generation,
                        parts,
                        params,
                        ..
                    } => {
                        *generation == self.newest
                            && parts
                                .iter()
                                .any(|&p| !self.ran.contains(&(p, params.filter.clone())))
                    }
                    _ => true,
                };
                if wanted {
                    self.note(&job);
                    return Some(job);
                }
            }
            let job = jobs.recv().ok()?;
            self.push(job);
        }
    }
}

/// Runs the loads: on its own thread, or inline.
pub struct Loader {
    mode: Mode,
    /// The snapshot's source, as the loader last switched to it.
    source: Source,
}

enum Mode {
    Thread {
        shared: std::sync::Arc<Shared>,
        jobs: Sender<Job>,
        done: Receiver<Done>,
        lost: bool,
    },
    Inline {
        snapshot: Box<Snapshot>,
        done: VecDeque<Done>,
    },
}

impl Loader {
    /// A loader thread that owns `snapshot`.
    ///
    /// # Errors
    /// When the system cannot start a thread.
    pub fn spawn(snapshot: Snapshot) -> std::io::Result<Self> {
        let source = snapshot.source().clone();
        let (jobs, job_rx) = channel::<Job>();
        let (done_tx, done) = channel::<Done>();
        let shared = std::sync::Arc::new(Shared::default());
        shared.watch(&snapshot);
        let theirs = std::sync::Arc::clone(&shared);
        std::thread::Builder::new()
            .name(THREAD.into())
            .spawn(move || {
                let mut snapshot = snapshot;
                let shared = theirs;
                let mut queue = Queue::default();
                while let Some(job) = queue.next(&job_rx) {
                    let mut gone = false;
                    let prefetch = Queue::is_prefetch(&job);
                    shared.prefetching.store(prefetch, Ordering::SeqCst);
                    let rest = run(&mut snapshot, &shared, job, &mut |d| {
                        gone |= done_tx.send(d).is_err();
                        if let Some(wake) = shared.wake.get() {
                            wake();
                        }
                    });
                    shared.prefetching.store(false, Ordering::SeqCst);
                    if let Some(rest) = rest {
                        queue.again(rest);
                    }
                    if gone {
                        return;
                    }
                }
            })?;
        let loader = Self {
            mode: Mode::Thread {
                shared,
                jobs,
                done,
                lost: false,
            },
            source,
        };
        // Debug builds only: the end-to-end test of a loader that dies (a release build
        // never reads this variable).
        #[cfg(debug_assertions)]
        if std::env::var_os("BEVAKA_TEST_PANIC_LOADER").is_some_and(|v| v == "1") {
            let mut loader = loader;
            loader.panic_for_test();
            return Ok(loader);
        }
        Ok(loader)
    }

    /// Makes the loader thread panic at its next job (debug builds: tests).
    #[cfg(debug_assertions)]
    pub fn panic_for_test(&mut self) {
        if let Mode::Thread { jobs, .. } = &self.mode {
            let _ = jobs.send(Job::Panic);
        }
    }

    /// Loads on the caller's thread (tests, and the benchmark of the loads themselves).
    #[must_use]
    pub fn inline(snapshot: Snapshot) -> Self {
        Self {
            source: snapshot.source().clone(),
            mode: Mode::Inline {
                snapshot: Box::new(snapshot),
                done: VecDeque::new(),
            },
        }
    }

    /// Whether loads run on the caller's thread (answers are there at once).
    #[must_use]
    pub fn is_inline(&self) -> bool {
        matches!(self.mode, Mode::Inline { .. })
    }

    /// Calls `wake` (once set, for good) whenever the loader thread has an answer ready
    /// for [`Loader::try_next`]. Inline loads answer at once and never call it.
    pub fn wake_with(&self, wake: impl Fn() + Send + Sync + 'static) {
        if let Mode::Thread { shared, .. } = &self.mode {
            let _ = shared.wake.set(Box::new(wake));
        }
    }

    /// The snapshot the loads read.
    #[must_use]
    pub fn source(&self) -> &Source {
        &self.source
    }

    fn send(&mut self, job: Job) {
        match &mut self.mode {
            Mode::Thread { jobs, shared, .. } => {
                // A prefetch in the way of what is needed now is stopped; it runs again
                // after.
                let now = !Queue::is_prefetch(&job);
                // A loader thread that died (it cannot, short of a bug) leaves the views
                // saying "laddar…"; q still quits.
                let _ = jobs.send(job);
                if now
                    && shared.prefetching.load(Ordering::SeqCst)
                    && let Ok(handles) = shared.interrupt.lock()
                {
                    for h in handles.iter() {
                        h.interrupt();
                    }
                }
            }
            Mode::Inline { snapshot, done } => {
                run(snapshot, &Shared::default(), job, &mut |d| {
                    done.push_back(d)
                });
            }
        }
    }

    /// Asks for `parts` (and the meta data when `meta`) under `params`; `prefetch` when
    /// they are not on screen yet.
    pub fn load(
        &mut self,
        generation: u64,
        prefetch: bool,
        meta: bool,
        parts: Vec<Part>,
        params: Params,
    ) {
        self.send(Job::Load {
            generation,
            prefetch,
            meta,
            parts,
            params,
        });
    }

    /// Asks to switch to `snapshot` if the meta data and `parts` load from it.
    pub fn switch(
        &mut self,
        generation: u64,
        snapshot: Snapshot,
        parts: Vec<Part>,
        params: Params,
    ) {
        self.send(Job::Switch {
            generation,
            snapshot: Box::new(snapshot),
            parts,
            params,
        });
    }

    /// Asks for a drill-down: the cases behind a figure, or a case's card.
    pub fn drill(&mut self, generation: u64, ask: Ask, params: Params) {
        self.send(Job::Drill {
            generation,
            ask,
            params,
        });
    }

    /// The next finished answer, without waiting.
    pub fn try_next(&mut self) -> Option<Done> {
        let done = match &mut self.mode {
            Mode::Thread { done, lost, .. } => match done.try_recv() {
                Ok(d) => Some(d),
                Err(TryRecvError::Empty) => None,
                Err(TryRecvError::Disconnected) if !*lost => {
                    *lost = true;
                    Some(Done::Lost)
                }
                Err(TryRecvError::Disconnected) => None,
            },
            Mode::Inline { done, .. } => done.pop_front(),
        };
        if let Some(Done::Switched { source, .. }) = &done {
            self.source = source.clone();
        }
        done
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(generation: u64, prefetch: bool, part: Part) -> Job {
        Job::Load {
            generation,
            prefetch,
            meta: false,
            parts: vec![part],
            params: Params {
                filter: Filter::default(),
                today: NaiveDate::default(),
                rules: DeadlineRules::default(),
                scope: processing::Scope::default(),
                year: None,
                tolerance_percent: 5,
                kind: PeriodKind::Quarter,
                ivo_quarter: ivo::quarter_of(NaiveDate::default()),
                caseload_day: None,
                own: None,
            },
        }
    }

    #[test]
    fn an_own_list_comes_first_and_then_the_whole_list() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("enhet.sqlite");
        let today = NaiveDate::from_ymd_opt(2014, 12, 31).expect("date");
        crate::snapshot::write_snapshot(&path, &crate::demo::build(today)).expect("write");
        let mut snapshot = Snapshot::open(&path).expect("open");
        let Job::Load { mut params, .. } = job(1, false, Part::Deadlines) else {
            unreachable!("a load job")
        };
        params.today = today;
        params.own = Some("H101".into());
        let load = |prefetch: bool, params: Params| Job::Load {
            generation: 1,
            prefetch,
            meta: false,
            parts: vec![Part::Deadlines],
            params,
        };
        let mut got = Vec::new();
        run(
            &mut snapshot,
            &Shared::default(),
            load(false, params.clone()),
            &mut |d| got.push(d),
        );
        let lists: Vec<(bool, Vec<(String, NaiveDate)>)> = got
            .into_iter()
            .map(|d| match d {
                Done::Part {
                    result: Ok(Data::OwnDeadlines(d)),
                    ..
                } => (
                    true,
                    d.of_worker("H101")
                        .map(|i| (i.source_id.to_string(), i.due))
                        .collect(),
                ),
                Done::Part {
                    result: Ok(Data::Deadlines(d)),
                    ..
                } => (
                    false,
                    d.of_worker("H101")
                        .map(|i| (i.source_id.to_string(), i.due))
                        .collect(),
                ),
                _ => panic!("a deadlines part"),
            })
            .collect();
        assert_eq!(lists.len(), 2);
        assert!(lists[0].0 && !lists[1].0, "own first, then the whole");
        assert!(!lists[0].1.is_empty());
        assert_eq!(lists[0].1, lists[1].1, "the same items in the same order");

        // A prefetch, or a list that is not someone's own, sends the whole list only.
        let mut got = Vec::new();
        run(
            &mut snapshot,
            &Shared::default(),
            load(true, params.clone()),
            &mut |d| got.push(d),
        );
        assert_eq!(got.len(), 1);

        // All units' list asked for now: the next 30 days first, then the whole list.
        params.own = None;
        let mut got = Vec::new();
        run(
            &mut snapshot,
            &Shared::default(),
            load(false, params.clone()),
            &mut |d| got.push(d),
        );
        let [
            Done::Part {
                result: Ok(Data::NearDeadlines(near)),
                ..
            },
            Done::Part {
                result: Ok(Data::Deadlines(whole)),
                ..
            },
        ] = got.as_slice()
        else {
            panic!("the next 30 days, then the whole list: {got:?}");
        };
        let last = today + chrono::Days::new(30);
        assert_eq!(near.due_by(), Some(last));
        assert_eq!(whole.due_by(), None);
        let first: Vec<_> = whole.items().filter(|i| i.due <= last).collect();
        assert!(!first.is_empty());
        assert!(near.items().eq(first), "the whole list's first 30 days");

        // One unit's list, or a prefetch, comes whole only.
        for (prefetch, unit) in [(false, Some("BFN")), (true, None)] {
            let mut params = params.clone();
            params.filter.unit_id = unit.map(str::to_string);
            let mut got = Vec::new();
            run(
                &mut snapshot,
                &Shared::default(),
                load(prefetch, params),
                &mut |d| got.push(d),
            );
            assert!(
                matches!(
                    got.as_slice(),
                    [Done::Part {
                        result: Ok(Data::Deadlines(_)),
                        ..
                    }]
                ),
                "{got:?}"
            );
        }
    }

    #[test]
    fn errors_of_the_meta_data_and_the_drill_downs_name_the_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("enhet.sqlite");
        let today = NaiveDate::from_ymd_opt(2014, 12, 31).expect("date");
        crate::snapshot::write_snapshot(&path, &crate::demo::build(today)).expect("write");
        // A file without two of its tables, opened past the shape check: every read of
        // them fails.
        let writer = rusqlite::Connection::open(&path).expect("writer");
        let case_id: String = writer
            .query_row("SELECT case_id FROM cases LIMIT 1", [], |r| r.get(0))
            .expect("a case");
        writer
            .execute_batch("PRAGMA foreign_keys = OFF; DROP TABLE units; DROP TABLE followups;")
            .expect("drop");
        drop(writer);
        let snapshot = Snapshot::open_unchecked(&path).expect("open");
        let Job::Load { mut params, .. } = job(1, false, Part::Deadlines) else {
            unreachable!("a load job")
        };
        params.today = today;
        let name = path.display().to_string();
        let meta = load_meta(&snapshot, &Filter::default()).expect_err("no units");
        assert!(meta.starts_with(&name) && meta.contains("units"), "{meta}");
        let card =
            load_drill(&snapshot, &Ask::Card { case_id }, &params).expect_err("no followups");
        assert!(card.starts_with(&name), "{card}");
    }

    fn order(jobs: Vec<Job>) -> Vec<(u64, Part)> {
        let (tx, rx) = channel();
        for j in jobs {
            tx.send(j).expect("send");
        }
        drop(tx);
        let mut queue = Queue::default();
        let mut out = Vec::new();
        while let Some(Job::Load {
            generation, parts, ..
        }) = queue.next(&rx)
        {
            out.push((generation, parts[0]));
        }
        out
    }

    #[test]
    fn a_loader_thread_that_panics_is_reported_lost_once() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("s.sqlite");
        let today = crate::domain::dates::parse_iso("2014-12-31").expect("date");
        crate::snapshot::write_snapshot(&path, &crate::demo::build(today)).expect("write");
        let mut loader = Loader::spawn(Snapshot::open(&path).expect("open")).expect("spawn");
        loader.panic_for_test();
        let start = std::time::Instant::now();
        let lost = loop {
            match loader.try_next() {
                Some(Done::Lost) => break true,
                Some(_) => {}
                None if start.elapsed() > std::time::Duration::from_secs(30) => break false,
                None => std::thread::sleep(std::time::Duration::from_millis(5)),
            }
        };
        assert!(lost, "the panic is seen as Done::Lost");
        assert!(loader.try_next().is_none(), "once");
    }

    #[test]
    fn prefetches_wait_for_needed_jobs_and_die_with_their_generation() {
        let got = order(vec![
            job(1, true, Part::Caseload),
            job(1, true, Part::Processing),
            job(1, false, Part::Goals),
        ]);
        assert_eq!(
            got,
            [(1, Part::Goals), (1, Part::Caseload), (1, Part::Processing)]
        );
        // A new filter: the old prefetches are not run.
        let got = order(vec![
            job(1, true, Part::Caseload),
            job(2, false, Part::Deadlines),
        ]);
        assert_eq!(got, [(2, Part::Deadlines)]);
        // A view shown while its prefetch waited is asked for now; the prefetch is skipped.
        let got = order(vec![job(3, true, Part::Goals), job(3, false, Part::Goals)]);
        assert_eq!(got, [(3, Part::Goals)]);
        // The same part for another filter (all units, fetched ahead) is another job.
        let mut unit = job(3, false, Part::Goals);
        if let Job::Load { params, .. } = &mut unit {
            params.filter.unit_id = Some("U1".into());
        }
        let got = order(vec![unit, job(3, true, Part::Goals)]);
        assert_eq!(got, [(3, Part::Goals), (3, Part::Goals)]);
        // An interrupted prefetch put back runs again, after what is needed now.
        let (tx, rx) = channel();
        tx.send(job(4, true, Part::Caseload)).expect("send");
        let mut queue = Queue::default();
        let first = queue.next(&rx).expect("prefetch");
        tx.send(job(4, false, Part::Goals)).expect("send");
        queue.again(first);
        drop(tx);
        let mut parts = Vec::new();
        while let Some(Job::Load { parts: p, .. }) = queue.next(&rx) {
            parts.push(p[0]);
        }
        assert_eq!(parts, [Part::Goals, Part::Caseload]);
    }
}
