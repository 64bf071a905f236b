//! One snapshot per unit, and a summary of the whole without the people: `bevaka snapshot
//! split FILE --out-dir DIR [--summary]` and `bevaka snapshot build --from CSVDIR --split
//! unit --out-dir DIR [--summary]`.
//!
//! Whoever can read a snapshot sees all of it, so what each person may see is decided by
//! which files they may read: one file per unit, `DIR/<unit_id>.sqlite`, each written by
//! [`write_snapshot`] (checked, published by rename, under its build lock).
//!
//! # Which rows go in the file of unit U
//!
//! - `cases` with `unit_id` = U, and everything under them: their applications,
//!   interventions, followups, and the interruptions of those interventions. These, the
//!   people, are in exactly one file. An intervention whose `application_id` names another
//!   unit's application cannot be split without putting that unit's person in U's file, or
//!   changing the row: the split is refused, naming both, and no file is written.
//! - `case_workers` of U, and every handläggare that U's cases, applications and followups
//!   name (a handläggare of another unit keeps its reference whole).
//! - `insats_types`: all of them, in every file (reference data).
//! - Goals and indicators by the unit they belong to, the rule of the indicators view
//!   ([`crate::domain::indicators::tree`]): a goal belongs to its own `unit_id`, else to its
//!   nearest ancestor's; an indicator to its own `unit_id`, else to its goal's. U's file
//!   holds the goals and indicators that belong to U, the values of those indicators, and
//!   every goal up the chain from them, so that every `parent_id` and `goal_id` holds (a
//!   goal of another unit comes along as such an ancestor; its indicators do not). An
//!   indicator with `unit_id` V on a goal of U is V's: it is in V's file, with U's goal.
//! - What belongs to no unit — goals with no `unit_id` up their chain (the city's own KF
//!   goals) and indicators without a `unit_id` on such a goal or on none — is in **every**
//!   unit's file: it is the plan the units' goals are measured against, not anyone's
//!   person, and this way nothing of the whole is left out of the unit files.
//! - `units`: U, and every unit a row above refers to.
//!
//! So every row of the whole is in at least one unit's file and a row in several files is
//! the same row in each: the union of the unit files is the whole file. A report with
//! `--unit U` reads the same rows of U from U's file as from the whole, and gives the same
//! figures. One corner of the indicators view aside: an indicator without a full-year
//! value of the year before takes it from the first indicator of that year with the same
//! name and the same own `unit_id`; for one whose own `unit_id` is empty, the whole may
//! hold such a row of another unit that U's file does not.
//!
//! # The summary
//!
//! `DIR/sammanfattning.sqlite` ([`SUMMARY_FILE`]): every row of the whole, every figure
//! unchanged, with the people pseudonymised ([`summary`]): each id of a person's rows is
//! replaced by a number in the file's order, the same in every table that refers to it,
//! and the text that names or describes a person is left out. Dates, kön, insatser, units
//! and handläggare stay, as the figures need them: the summary is pseudonymised, not
//! anonymous.

use std::collections::{BTreeSet, HashMap};
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::build::BuildLock;
use super::write::{WriteError, write_snapshot};
use crate::model::{Application, Case, Dataset, Followup, Goal, Interruption, Intervention};
use crate::progress::Progress;

/// The summary's file name in the output directory (a directory of unit files is read
/// without it).
pub const SUMMARY_FILE: &str = "sammanfattning.sqlite";

/// The name the output directory's split lock is taken for: `<DIR>/.bevaka-delning.lock`.
const LOCK_NAME: &str = ".bevaka-delning";

/// The longest unit id written as a file name, in bytes: with `.sqlite` and the temporary
/// name's `.<name>.<pid>.tmp` it stays under the usual 255-byte limit of a name.
const MAX_UNIT_ID_BYTES: usize = 200;

/// Why a snapshot could not be split.
#[derive(Debug, thiserror::Error)]
pub enum SplitError {
    #[error("enhet {unit:?}: unit_id kan inte bli ett filnamn ({why}); inga filer skrevs")]
    BadUnitId { unit: String, why: &'static str },
    #[error(
        "insats {:?} i ärende {:?} (enhet {:?}) hänvisar till ansökan {:?} i ärende {:?} (enhet {:?}): en enhets fil kan inte ta med en annan enhets ärende; inga filer skrevs",
        .0.intervention, .0.case, .0.unit, .0.application, .0.other_case, .0.other_unit
    )]
    CrossUnitApplication(Box<CrossUnit>),
    #[error(
        "{table} {id:?}: {column} {value:?} finns inte i ögonblicksbilden (bevaka snapshot check listar alla fel); inga filer skrevs"
    )]
    Dangling {
        table: &'static str,
        id: String,
        column: &'static str,
        value: String,
    },
    #[error("ögonblicksbilden har inga enheter (tabellen units är tom); inga filer skrevs")]
    NoUnits,
    #[error("{0}: katalogen finns inte; skapa den först")]
    NoDir(PathBuf),
    #[error("{0}: är ingen katalog")]
    NotADir(PathBuf),
    #[error(
        "{dir}: en annan delning till samma katalog pågår redan ({holder}; låset {lock}); inga filer skrevs, försök igen när den är klar"
    )]
    Busy {
        dir: PathBuf,
        lock: PathBuf,
        holder: String,
    },
    #[error(transparent)]
    Write(#[from] WriteError),
    #[error("kan inte skriva ut vad som skrevs: {0}")]
    Output(#[source] std::io::Error),
    #[error("{dir}: kan inte läsa katalogen: {source}")]
    ReadDir {
        dir: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// An intervention whose application is another unit's: the rows the refusal names.
#[derive(Debug)]
pub struct CrossUnit {
    pub intervention: String,
    pub case: String,
    pub unit: String,
    pub application: String,
    pub other_case: String,
    pub other_unit: String,
}

/// Why `unit_id` cannot name a file `<unit_id>.sqlite` beside the others, if it cannot.
#[must_use]
pub fn unsafe_unit_id(unit_id: &str) -> Option<&'static str> {
    if unit_id.is_empty() {
        Some("tomt")
    } else if unit_id.contains('/') {
        Some("innehåller /")
    } else if unit_id.starts_with('.') {
        Some("börjar med en punkt: .., . och dolda filer")
    } else if unit_id.chars().any(char::is_control) {
        Some("innehåller ett styrtecken")
    } else if unit_id.len() > MAX_UNIT_ID_BYTES {
        Some("längre än 200 byte")
    } else if Some(unit_id) == SUMMARY_FILE.strip_suffix(".sqlite") {
        Some("sammanfattning.sqlite är sammanfattningens namn")
    } else {
        None
    }
}

/// Which rows of the whole one unit's file holds: positions in each table of the whole,
/// ascending, so that the file keeps the producer's order.
#[derive(Debug, Default)]
struct Picks {
    units: BTreeSet<usize>,
    case_workers: BTreeSet<usize>,
    cases: Vec<usize>,
    applications: Vec<usize>,
    interventions: Vec<usize>,
    interruptions: Vec<usize>,
    followups: Vec<usize>,
    goals: BTreeSet<usize>,
    indicators: Vec<usize>,
}

impl Picks {
    /// The rows picked, cloned from `data`; every insats type, and the values of the
    /// indicators picked.
    fn rows(&self, data: &Dataset) -> Dataset {
        fn pick<'a, T: Clone + 'a>(rows: &[T], at: impl IntoIterator<Item = &'a usize>) -> Vec<T> {
            at.into_iter().map(|&i| rows[i].clone()).collect()
        }
        let indicators = pick(&data.indicators, &self.indicators);
        let ids: std::collections::HashSet<&str> =
            indicators.iter().map(|i| i.indicator_id.as_str()).collect();
        Dataset {
            units: pick(&data.units, &self.units),
            case_workers: pick(&data.case_workers, &self.case_workers),
            insats_types: data.insats_types.clone(),
            cases: pick(&data.cases, &self.cases),
            applications: pick(&data.applications, &self.applications),
            interventions: pick(&data.interventions, &self.interventions),
            interruptions: pick(&data.interruptions, &self.interruptions),
            followups: pick(&data.followups, &self.followups),
            goals: pick(&data.goals, &self.goals),
            indicator_values: data
                .indicator_values
                .iter()
                .filter(|v| ids.contains(v.indicator_id.as_str()))
                .cloned()
                .collect(),
            indicators,
        }
    }
}

/// The position of each row of a table by its key.
fn positions<T>(rows: &[T], key: impl Fn(&T) -> &str) -> HashMap<&str, usize> {
    rows.iter().enumerate().map(|(i, r)| (key(r), i)).collect()
}

/// Looks up the row `value` refers to; a reference to nothing is an error naming the row.
fn find(
    at: &HashMap<&str, usize>,
    value: &str,
    (table, id, column): (&'static str, &str, &'static str),
) -> Result<usize, SplitError> {
    at.get(value).copied().ok_or_else(|| SplitError::Dangling {
        table,
        id: id.to_owned(),
        column,
        value: value.to_owned(),
    })
}

/// Splits `data` into one dataset per unit, in the order of `data.units`, by the rules of
/// the module documentation.
///
/// # Errors
/// A unit id that cannot be a file name ([`unsafe_unit_id`]), an intervention referring to
/// another unit's application, a reference to a row that does not exist, and no units.
pub fn split_by_unit(data: &Dataset) -> Result<Vec<(String, Dataset)>, SplitError> {
    Ok(plan(data)?
        .iter()
        .zip(&data.units)
        .map(|(picks, unit)| (unit.unit_id.clone(), picks.rows(data)))
        .collect())
}

/// Which rows each unit's file holds, in the order of `data.units`.
fn plan(data: &Dataset) -> Result<Vec<Picks>, SplitError> {
    for u in &data.units {
        if let Some(why) = unsafe_unit_id(&u.unit_id) {
            return Err(SplitError::BadUnitId {
                unit: u.unit_id.clone(),
                why,
            });
        }
    }
    if data.units.is_empty() {
        return Err(SplitError::NoUnits);
    }
    let mut picks: Vec<Picks> = (0..data.units.len()).map(|_| Picks::default()).collect();
    for (u, p) in picks.iter_mut().enumerate() {
        p.units.insert(u);
    }
    let units = positions(&data.units, |u| u.unit_id.as_str());
    let workers = positions(&data.case_workers, |w| w.worker_id.as_str());
    people(data, &units, &workers, &mut picks)?;
    for (i, w) in data.case_workers.iter().enumerate() {
        let u = find(
            &units,
            &w.unit_id,
            ("case_workers", &w.worker_id, "unit_id"),
        )?;
        picks[u].case_workers.insert(i);
    }
    plans(data, &units, &mut picks)?;
    // The units the rows picked refer to.
    for p in &mut picks {
        let named = p
            .case_workers
            .iter()
            .map(|&w| Some(data.case_workers[w].unit_id.as_str()))
            .chain(p.goals.iter().map(|&g| data.goals[g].unit_id.as_deref()))
            .chain(
                p.indicators
                    .iter()
                    .map(|&i| data.indicators[i].unit_id.as_deref()),
            );
        let found: Vec<usize> = named
            .flatten()
            .filter_map(|u| units.get(u).copied())
            .collect();
        p.units.extend(found);
    }
    Ok(picks)
}

/// Picks the cases of each unit and the rows under them, and the handläggare they name.
fn people(
    data: &Dataset,
    units: &HashMap<&str, usize>,
    workers: &HashMap<&str, usize>,
    picks: &mut [Picks],
) -> Result<(), SplitError> {
    let named = |p: &mut Picks, worker: Option<&String>, row| {
        if let Some(w) = worker {
            p.case_workers.insert(find(workers, w, row)?);
        }
        Ok::<(), SplitError>(())
    };
    let mut case_unit: HashMap<&str, usize> = HashMap::with_capacity(data.cases.len());
    for (i, c) in data.cases.iter().enumerate() {
        let u = find(units, &c.unit_id, ("cases", &c.case_id, "unit_id"))?;
        named(
            &mut picks[u],
            c.worker_id.as_ref(),
            ("cases", &c.case_id, "worker_id"),
        )?;
        case_unit.insert(&c.case_id, u);
        picks[u].cases.push(i);
    }
    let mut application_unit: HashMap<&str, usize> = HashMap::new();
    for (i, a) in data.applications.iter().enumerate() {
        let id = a.application_id.as_str();
        let u = find(&case_unit, &a.case_id, ("applications", id, "case_id"))?;
        named(
            &mut picks[u],
            a.worker_id.as_ref(),
            ("applications", id, "worker_id"),
        )?;
        application_unit.insert(id, u);
        picks[u].applications.push(i);
    }
    let mut intervention_unit: HashMap<&str, usize> = HashMap::new();
    for (i, iv) in data.interventions.iter().enumerate() {
        let id = iv.intervention_id.as_str();
        let u = find(&case_unit, &iv.case_id, ("interventions", id, "case_id"))?;
        if let Some(a) = &iv.application_id {
            let other = find(
                &application_unit,
                a,
                ("interventions", id, "application_id"),
            )?;
            if other != u {
                return Err(cross_unit(data, iv, a));
            }
        }
        intervention_unit.insert(id, u);
        picks[u].interventions.push(i);
    }
    for (i, b) in data.interruptions.iter().enumerate() {
        let row = (
            "interruptions",
            b.interruption_id.as_str(),
            "intervention_id",
        );
        picks[find(&intervention_unit, &b.intervention_id, row)?]
            .interruptions
            .push(i);
    }
    for (i, f) in data.followups.iter().enumerate() {
        let id = f.followup_id.as_str();
        let u = find(&case_unit, &f.case_id, ("followups", id, "case_id"))?;
        named(
            &mut picks[u],
            f.worker_id.as_ref(),
            ("followups", id, "worker_id"),
        )?;
        picks[u].followups.push(i);
    }
    Ok(())
}

/// The refusal of an intervention whose application is another unit's.
fn cross_unit(data: &Dataset, iv: &Intervention, application: &str) -> SplitError {
    let unit_of_case = |case: &str| {
        data.cases
            .iter()
            .find(|c| c.case_id == case)
            .map(|c| c.unit_id.clone())
            .unwrap_or_default()
    };
    let other_case = data
        .applications
        .iter()
        .find(|a| a.application_id == application)
        .map(|a| a.case_id.clone())
        .unwrap_or_default();
    SplitError::CrossUnitApplication(Box::new(CrossUnit {
        intervention: iv.intervention_id.clone(),
        case: iv.case_id.clone(),
        unit: unit_of_case(&iv.case_id),
        application: application.to_owned(),
        other_unit: unit_of_case(&other_case),
        other_case,
    }))
}

/// Picks the goals and indicators of each unit, with the goals up their chains, and what
/// belongs to no unit for every unit.
fn plans(
    data: &Dataset,
    units: &HashMap<&str, usize>,
    picks: &mut [Picks],
) -> Result<(), SplitError> {
    let goals = positions(&data.goals, |g| g.goal_id.as_str());
    let parent = data
        .goals
        .iter()
        .map(|g| {
            g.parent_id
                .as_deref()
                .map(|p| find(&goals, p, ("goals", &g.goal_id, "parent_id")))
                .transpose()
        })
        .collect::<Result<Vec<_>, _>>()?;
    for g in &data.goals {
        if let Some(u) = &g.unit_id {
            find(units, u, ("goals", &g.goal_id, "unit_id"))?;
        }
    }
    for i in &data.indicators {
        if let Some(u) = &i.unit_id {
            find(units, u, ("indicators", &i.indicator_id, "unit_id"))?;
        }
    }
    // Every unit_id is a unit's (checked above): `None` belongs to no unit.
    let owners = goal_owners(&data.goals, &parent);
    let unit_of = |owner: Option<&str>| owner.and_then(|u| units.get(u).copied());
    // The goals that belong to no unit, which every file holds.
    let mut everyone: Vec<usize> = Vec::new();
    for (g, owner) in owners.iter().enumerate() {
        match unit_of(*owner) {
            Some(u) => with_ancestors(&mut picks[u].goals, &parent, g),
            None => everyone.push(g),
        }
    }
    for (i, ind) in data.indicators.iter().enumerate() {
        let id = ind.indicator_id.as_str();
        let goal = ind
            .goal_id
            .as_deref()
            .map(|g| find(&goals, g, ("indicators", id, "goal_id")))
            .transpose()?;
        let owner = ind
            .unit_id
            .as_deref()
            .or_else(|| goal.and_then(|g| owners[g]));
        match unit_of(owner) {
            Some(u) => {
                picks[u].indicators.push(i);
                if let Some(g) = goal {
                    with_ancestors(&mut picks[u].goals, &parent, g);
                }
            }
            None => {
                for p in picks.iter_mut() {
                    p.indicators.push(i);
                }
                everyone.extend(goal);
            }
        }
    }
    for p in picks.iter_mut() {
        for &g in &everyone {
            with_ancestors(&mut p.goals, &parent, g);
        }
    }
    let indicators = positions(&data.indicators, |i| i.indicator_id.as_str());
    for v in &data.indicator_values {
        let row = ("indicator_values", v.indicator_id.as_str(), "indicator_id");
        find(&indicators, &v.indicator_id, row)?;
    }
    Ok(())
}

/// Each goal's unit: its own `unit_id`, else the nearest one up its chain; `None` when there
/// is none up to the top (or the chain comes round on itself, which the importer refuses).
fn goal_owners<'d>(goals: &'d [Goal], parent: &[Option<usize>]) -> Vec<Option<&'d str>> {
    // Known inherited units, each goal's found once: a walk stops at the first known one.
    let mut inherited: Vec<Option<Option<&str>>> = vec![None; goals.len()];
    let mut seen = vec![false; goals.len()];
    for start in 0..goals.len() {
        let mut path = Vec::new();
        let mut at = Some(start);
        let found = loop {
            let Some(g) = at else { break None };
            if let Some(own) = goals[g].unit_id.as_deref() {
                break Some(own);
            }
            if let Some(known) = inherited[g] {
                break known;
            }
            if seen[g] {
                break None;
            }
            seen[g] = true;
            path.push(g);
            at = parent[g];
        };
        for g in path {
            inherited[g] = Some(found);
        }
    }
    goals
        .iter()
        .zip(inherited)
        .map(|(g, up)| g.unit_id.as_deref().or(up.flatten()))
        .collect()
}

/// Adds goal `g` and every goal up its chain to `set`. A goal already in the set has its
/// chain there too (everything is added through here), so the walk stops at it.
fn with_ancestors(set: &mut BTreeSet<usize>, parent: &[Option<usize>], g: usize) {
    let mut at = Some(g);
    while let Some(x) = at {
        if !set.insert(x) {
            break;
        }
        at = parent[x];
    }
}

/// The whole of `data` without the people: every figure the same, every id of a case,
/// application, intervention, interruption and followup replaced by a pseudonym numbered
/// in the table's order — `S000001` (ärende), `A000001` (ansökan), `I000001` (insats),
/// `AV000001` (avbrott), `B000001` (bevakning) — consistent across tables, and the text
/// that names or describes a person left out (NULL): `cases.client_label` (who the person
/// is), `interventions.provider` (a utförare may be a familjehem or a kontaktperson: a
/// name and where the person is), `interventions.delay_reason`, `interruptions.reason`
/// and `followups.note` (free text from the case system about the person). Units,
/// handläggare, insats types, goals and indicators are as in the whole.
///
/// `data` must hold together (every reference resolves): a reference to a missing row
/// becomes an empty id, which the writer's check refuses.
#[must_use]
pub fn summary(data: &Dataset) -> Dataset {
    let cases = Pseudonyms::new(data.cases.iter().map(|c| &c.case_id), "S");
    let applications = Pseudonyms::new(data.applications.iter().map(|a| &a.application_id), "A");
    let interventions = Pseudonyms::new(data.interventions.iter().map(|i| &i.intervention_id), "I");
    let interruptions =
        Pseudonyms::new(data.interruptions.iter().map(|i| &i.interruption_id), "AV");
    let followups = Pseudonyms::new(data.followups.iter().map(|f| &f.followup_id), "B");
    Dataset {
        units: data.units.clone(),
        case_workers: data.case_workers.clone(),
        insats_types: data.insats_types.clone(),
        cases: map(&data.cases, |c| Case {
            case_id: cases.of(&c.case_id),
            client_label: None,
            ..c.clone()
        }),
        applications: map(&data.applications, |a| Application {
            application_id: applications.of(&a.application_id),
            case_id: cases.of(&a.case_id),
            ..a.clone()
        }),
        interventions: map(&data.interventions, |i| Intervention {
            intervention_id: interventions.of(&i.intervention_id),
            case_id: cases.of(&i.case_id),
            application_id: i.application_id.as_deref().map(|a| applications.of(a)),
            provider: None,
            delay_reason: None,
            ..i.clone()
        }),
        interruptions: map(&data.interruptions, |b| Interruption {
            interruption_id: interruptions.of(&b.interruption_id),
            intervention_id: interventions.of(&b.intervention_id),
            reason: None,
            ..b.clone()
        }),
        followups: map(&data.followups, |f| Followup {
            followup_id: followups.of(&f.followup_id),
            case_id: cases.of(&f.case_id),
            note: None,
            ..f.clone()
        }),
        goals: data.goals.clone(),
        indicators: data.indicators.clone(),
        indicator_values: data.indicator_values.clone(),
    }
}

/// `f` of each row.
fn map<T, U>(rows: &[T], f: impl Fn(&T) -> U) -> Vec<U> {
    rows.iter().map(f).collect()
}

/// The pseudonyms of one table's ids: `prefix` and the row's position (from 1, six digits
/// or more) in the order given.
struct Pseudonyms<'d>(HashMap<&'d str, String>);

impl<'d> Pseudonyms<'d> {
    fn new(ids: impl Iterator<Item = &'d String>, prefix: &str) -> Self {
        Self(
            ids.enumerate()
                .map(|(i, id)| (id.as_str(), format!("{prefix}{:06}", i + 1)))
                .collect(),
        )
    }

    /// The pseudonym of `id`; empty for an id that is not in the table.
    fn of(&self, id: &str) -> String {
        self.0.get(id).cloned().unwrap_or_default()
    }
}

/// The output directory of a split, held against other splits into it from before the
/// input is read until every file is written (so a split that read older data cannot
/// publish after one that read newer). Each file also takes its own build lock.
#[derive(Debug)]
pub struct SplitLock {
    dir: PathBuf,
    _lock: BuildLock,
}

impl SplitLock {
    /// Takes the lock of the existing directory `dir` (`.bevaka-delning.lock` in it).
    ///
    /// # Errors
    /// `dir` missing or not a directory, another split into it running ([`SplitError::Busy`]),
    /// I/O errors.
    pub fn acquire(dir: &Path) -> Result<Self, SplitError> {
        match fs::metadata(dir) {
            Ok(m) if m.is_dir() => {}
            Ok(_) => return Err(SplitError::NotADir(dir.to_path_buf())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(SplitError::NoDir(dir.to_path_buf()));
            }
            Err(source) => {
                return Err(SplitError::ReadDir {
                    dir: dir.to_path_buf(),
                    source,
                });
            }
        }
        let lock = BuildLock::acquire(&dir.join(LOCK_NAME)).map_err(|e| match e {
            WriteError::Busy { lock, holder, .. } => SplitError::Busy {
                dir: dir.to_path_buf(),
                lock,
                holder,
            },
            e => SplitError::Write(e),
        })?;
        Ok(Self {
            dir: dir.to_path_buf(),
            _lock: lock,
        })
    }

    /// The output directory.
    #[must_use]
    pub fn dir(&self) -> &Path {
        &self.dir
    }
}

/// Writes the file of each unit of `data` into the locked directory, in unit order, and
/// with `with_summary` the summary ([`SUMMARY_FILE`]), each with [`write_snapshot`]. A
/// line per file written goes to `out` (`Skrev DIR/BFN.sqlite (1 234 ärenden)`). Returns
/// the other `.sqlite` files of the directory, which this split did not write (a unit no
/// longer in the data, or the summary of an earlier split).
///
/// # Errors
/// Everything [`split_by_unit`] refuses, before any file is written; a failed write (the
/// files written before it stay published, each complete and checked).
pub fn write_split(
    lock: &SplitLock,
    data: &Dataset,
    with_summary: bool,
    out: &mut dyn Write,
) -> Result<Vec<PathBuf>, SplitError> {
    write_split_with_progress(lock, data, with_summary, out, &Progress::hidden())
}

/// As [`write_split`], saying on `progress` which file is being written.
///
/// # Errors
/// As [`write_split`].
pub fn write_split_with_progress(
    lock: &SplitLock,
    data: &Dataset,
    with_summary: bool,
    out: &mut dyn Write,
    progress: &Progress,
) -> Result<Vec<PathBuf>, SplitError> {
    let plan = plan(data)?;
    // A line that cannot be printed (stdout closed early: `| head -1`) does not keep the
    // other files from being written; the first such error is returned once they are.
    let mut unsaid: Option<std::io::Error> = None;
    let mut say = |line: String| {
        if unsaid.is_none()
            && let Err(e) = writeln!(out, "{line}")
        {
            unsaid = Some(e);
        }
    };
    let mut written = Vec::new();
    let files = data.units.len() + usize::from(with_summary);
    for (i, (picks, unit)) in plan.iter().zip(&data.units).enumerate() {
        let path = lock.dir().join(format!("{}.sqlite", unit.unit_id));
        progress.step(format!(
            "Skriver fil {} av {files}: {}",
            i + 1,
            path.display()
        ));
        let rows = picks.rows(data);
        write_snapshot(&path, &rows)?;
        say(format!(
            "Skrev {} ({})",
            path.display(),
            cases(rows.cases.len())
        ));
        written.push(path);
    }
    if with_summary {
        let path = lock.dir().join(SUMMARY_FILE);
        progress.step(format!(
            "Skriver fil {files} av {files}: {}",
            path.display()
        ));
        write_snapshot(&path, &summary(data))?;
        say(format!(
            "Skrev {} (sammanfattning, pseudonymiserad: {})",
            path.display(),
            cases(data.cases.len())
        ));
        written.push(path);
    }
    let others = others(lock.dir(), &written)?;
    match unsaid {
        Some(e) => Err(SplitError::Output(e)),
        None => Ok(others),
    }
}

/// `1 ärende`, `1 234 ärenden`.
fn cases(n: usize) -> String {
    let noun = if n == 1 { "ärende" } else { "ärenden" };
    format!("{} {noun}", grouped(n))
}

/// The `.sqlite` files of `dir` other than `written`, sorted.
fn others(dir: &Path, written: &[PathBuf]) -> Result<Vec<PathBuf>, SplitError> {
    let read_dir = |source| SplitError::ReadDir {
        dir: dir.to_path_buf(),
        source,
    };
    let mut found = Vec::new();
    for entry in fs::read_dir(dir).map_err(read_dir)? {
        let path = dir.join(entry.map_err(read_dir)?.file_name());
        let sqlite = path.extension().is_some_and(|e| e == "sqlite");
        if sqlite && path.is_file() && !written.contains(&path) {
            found.push(path);
        }
    }
    found.sort();
    Ok(found)
}

/// A count with its thousands set apart by spaces, as Swedish text writes it: `1 234`.
#[must_use]
pub fn grouped(n: usize) -> String {
    crate::progress::grouped(n as u64)
}

#[cfg(test)]
mod tests;
