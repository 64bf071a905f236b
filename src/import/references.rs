//! Checks across rows and files: primary keys that repeat, references to rows that do not
//! exist, and a målkedja that loops back on itself.
//!
//! Keys are remembered as written, even from rows with other errors, so that one bad unit
//! row does not make every case of that unit an error too. References into a file that
//! could not be read at all are not checked (its own error says enough).

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::hash::BuildHasher;

use hashbrown::HashTable;
use rustc_hash::FxBuildHasher;

use super::error::{Collector, ImportError};
use super::fields::Row;
use crate::model::Goal;

/// The keys of one table and the line each first appeared on.
///
/// Kept compact, as a city's export has a million keys: the keys' text end to end in one
/// string, and a hash table of their positions (about 30 bytes a key instead of the 80 of
/// a `HashMap<String, u64>`). The lines are only needed while the table itself is read
/// (for the message about a repeated key): [`KeySet::seal`] lets them go.
#[derive(Default)]
pub struct KeySet {
    /// Every key, end to end.
    text: String,
    /// Where key `i` ends in `text` (it starts where key `i - 1` ends).
    ends: Vec<usize>,
    /// The line key `i` first appeared on; empty once sealed.
    lines: Vec<u64>,
    /// Key numbers, hashed by their text.
    table: HashTable<u32>,
    /// Whether references into this table can be checked.
    pub checkable: bool,
}

impl std::fmt::Debug for KeySet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeySet")
            .field("keys", &self.ends.len())
            .field("checkable", &self.checkable)
            .finish_non_exhaustive()
    }
}

fn hash(key: &str) -> u64 {
    FxBuildHasher.hash_one(key)
}

impl KeySet {
    /// The text of key number `i`.
    fn key(&self, i: u32) -> &str {
        let i = i as usize;
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.text[start..self.ends[i]]
    }

    fn find(&self, key: &str) -> Option<u32> {
        self.table.find(hash(key), |&i| self.key(i) == key).copied()
    }

    /// Whether a reference to `key` is acceptable.
    #[must_use]
    pub fn admits(&self, key: &str) -> bool {
        !self.checkable || self.find(key).is_some()
    }

    /// The line `key` first appeared on, while the table is being read (and for the goals,
    /// whose målkedja is checked after).
    #[must_use]
    pub fn line_of(&self, key: &str) -> Option<u64> {
        self.find(key)
            .and_then(|i| self.lines.get(i as usize).copied())
    }

    /// Remembers `key`, first seen on `line`; the line it was first seen on when it is not
    /// new.
    fn insert(&mut self, key: &str, line: u64) -> Result<(), u64> {
        let hashed = hash(key);
        if let Some(&i) = self.table.find(hashed, |&i| self.key(i) == key) {
            return Err(self.lines.get(i as usize).copied().unwrap_or(0));
        }
        // More than four thousand million keys in one file is not an export this reads.
        let Ok(i) = u32::try_from(self.ends.len()) else {
            return Ok(());
        };
        self.text.push_str(key);
        self.ends.push(self.text.len());
        self.lines.push(line);
        let Self {
            text, ends, table, ..
        } = self;
        let key_of = |i: u32| {
            let i = i as usize;
            let start = if i == 0 { 0 } else { ends[i - 1] };
            &text[start..ends[i]]
        };
        table.insert_unique(hashed, i, |&j| hash(key_of(j)));
        Ok(())
    }

    /// The table is read: only whether a key exists is asked from now on.
    pub fn seal(&mut self) {
        self.lines = Vec::new();
        self.text.shrink_to_fit();
        self.ends.shrink_to_fit();
    }

    /// No table read after this one refers to it: the keys can go (references into it are
    /// no longer asked about).
    pub fn release(&mut self) {
        let checkable = self.checkable;
        *self = Self {
            checkable,
            ..Self::default()
        };
    }
}

/// The keys of every table read so far.
#[derive(Debug, Default)]
pub struct Keys {
    pub units: KeySet,
    pub case_workers: KeySet,
    pub insats_types: KeySet,
    pub cases: KeySet,
    pub applications: KeySet,
    pub interventions: KeySet,
    pub interruptions: KeySet,
    pub followups: KeySet,
    pub goals: KeySet,
    pub indicators: KeySet,
    pub indicator_values: KeySet,
    /// `goals.parent_id` as written, checked once all goals are read: (line, goal, parent).
    pub goal_parents: Vec<(u64, String, String)>,
}

impl Keys {
    /// The keys of the table `SPECS[index]`.
    pub fn set(&mut self, index: usize) -> &mut KeySet {
        match index {
            0 => &mut self.units,
            1 => &mut self.case_workers,
            2 => &mut self.insats_types,
            3 => &mut self.cases,
            4 => &mut self.applications,
            5 => &mut self.interventions,
            6 => &mut self.interruptions,
            7 => &mut self.followups,
            8 => &mut self.goals,
            9 => &mut self.indicators,
            _ => &mut self.indicator_values,
        }
    }
}

impl Row<'_> {
    /// Remembers the primary key `key` of this row, reporting a repeated one.
    pub fn unique(&mut self, keys: &mut KeySet, column: &str, key: Option<&str>) {
        if let Some(key) = key {
            self.unique_as(keys, key, column, key, column);
        }
    }

    /// Remembers a key under `key`, shown as `value` in `column`, named `what` in the
    /// message (for a key of several columns).
    pub fn unique_as(
        &mut self,
        keys: &mut KeySet,
        key: &str,
        column: &str,
        value: &str,
        what: &str,
    ) {
        if let Err(first) = keys.insert(key, self.line) {
            let message = format!("dubblett av {what} (första på rad {first})");
            self.error(column, Some(value), message);
        }
    }

    /// Reports `value` of `column` unless it is a key of `keys`, the table `target` names.
    pub fn refers(&mut self, column: &str, value: Option<&str>, keys: &KeySet, target: &str) {
        if let Some(value) = value
            && !keys.admits(value)
        {
            self.error(column, Some(value), format!("okänd referens till {target}"));
        }
    }
}

/// Checks `goals.parent_id` once the whole file is read: the parent must exist, and
/// following parents must not lead back to the goal (the målkedja is a tree).
///
/// One pass, linear in the number of goals however deep the chain: each goal is walked up
/// from once, and a walk stops at the first goal an earlier walk has finished with.
pub fn check_goal_parents(keys: &Keys, file: &str, errors: &mut Collector) {
    let goals = &keys.goals;
    let mut parent: HashMap<&str, &str> = HashMap::new();
    for (line, goal, parent_id) in &keys.goal_parents {
        if goals.admits(parent_id) {
            parent.entry(goal).or_insert(parent_id);
        } else {
            errors.push(
                ImportError::new(file, "okänd referens till goals.goal_id")
                    .at_line(*line)
                    .in_column("parent_id")
                    .with_value(parent_id),
            );
        }
    }
    /// Where a walk stands with a goal: on the walk going on now (at that place in
    /// `path`), or finished with.
    enum Seen {
        OnPath(usize),
        Done,
    }
    let mut seen: HashMap<&str, Seen> = HashMap::with_capacity(parent.len());
    let mut path: Vec<&str> = Vec::new();
    for (_, start, _) in &keys.goal_parents {
        let mut current: &str = start;
        path.clear();
        loop {
            match seen.get(current) {
                Some(Seen::Done) => break,
                Some(Seen::OnPath(at)) => {
                    report_cycle(&path[*at..], keys, file, errors);
                    break;
                }
                None => {
                    seen.insert(current, Seen::OnPath(path.len()));
                    path.push(current);
                    match parent.get(current) {
                        Some(&next) => current = next,
                        None => break,
                    }
                }
            }
        }
        for &g in &path {
            seen.insert(g, Seen::Done);
        }
    }
}

/// Reports a loop in the målkedja once, at the goal of the loop that comes first in the file.
fn report_cycle(cycle: &[&str], keys: &Keys, file: &str, errors: &mut Collector) {
    let Some(at) = (0..cycle.len()).min_by_key(|&i| keys.goals.line_of(cycle[i])) else {
        return;
    };
    let mut chain: Vec<&str> = cycle[at..].iter().chain(&cycle[..at]).copied().collect();
    chain.push(cycle[at]);
    let line = keys.goals.line_of(cycle[at]).unwrap_or(1);
    let parent = chain.get(1).copied().unwrap_or_default();
    errors.push(
        ImportError::new(
            file,
            format!("målkedjan går i cirkel: {}", chain.join(" → ")),
        )
        .at_line(line)
        .in_column("parent_id")
        .with_value(parent),
    );
}

/// The goals in file order, except that none comes before its parent: the next goal
/// placed is always the earliest in the file whose parent is already placed (or that has
/// none). The rows can then be inserted one by one under the schema's foreign key.
#[must_use]
pub fn parents_first(goals: Vec<Goal>) -> Vec<Goal> {
    let position: HashMap<&str, usize> = goals
        .iter()
        .enumerate()
        .rev()
        .map(|(i, g)| (g.goal_id.as_str(), i))
        .collect();
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); goals.len()];
    let mut waiting = vec![false; goals.len()];
    for (i, goal) in goals.iter().enumerate() {
        if let Some(&parent) = goal.parent_id.as_deref().and_then(|p| position.get(p))
            && parent != i
        {
            children[parent].push(i);
            waiting[i] = true;
        }
    }
    let mut ready: BinaryHeap<Reverse<usize>> = (0..goals.len())
        .filter(|&i| !waiting[i])
        .map(Reverse)
        .collect();
    let mut order = Vec::with_capacity(goals.len());
    while let Some(Reverse(i)) = ready.pop() {
        order.push(i);
        ready.extend(children[i].iter().copied().map(Reverse));
    }
    // Goals in a loop (refused before this is called) keep their place at the end.
    let mut placed = vec![false; goals.len()];
    for &i in &order {
        placed[i] = true;
    }
    order.extend((0..goals.len()).filter(|&i| !placed[i]));
    let mut slots: Vec<Option<Goal>> = goals.into_iter().map(Some).collect();
    order.into_iter().filter_map(|i| slots[i].take()).collect()
}
