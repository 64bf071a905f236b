//! Checks across rows and files: primary keys that repeat, references to rows that do not
//! exist, and a målkedja that loops back on itself.
//!
//! Keys are remembered as written, even from rows with other errors, so that one bad unit
//! row does not make every case of that unit an error too. References into a file that
//! could not be read at all are not checked (its own error says enough).

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap, HashSet};

use super::error::{Collector, ImportError};
use super::fields::Row;
use crate::model::Goal;

/// The keys of one table, as 64-bit fingerprints (8 bytes a key, however long the key).
///
/// A streamed build of six cities holds the keys of cases, applications and interventions
/// at once, nearly seven million of them: their text (about 30 bytes a key with a hash
/// table) would not fit in 100 MB. A fingerprint answers exactly when it says no (a key
/// never seen has a fingerprint never seen, or one shared with another key) and almost
/// always when it says yes, and each yes is made exact elsewhere:
///
/// - A repeated fingerprint within a table is only a suspicion: the caller reads the file
///   a second time ([`KeySet::suspects`]), holding the text of the suspected keys only,
///   and a key is reported as repeated only when its text is (two keys that merely share
///   a fingerprint are no error).
/// - A reference whose fingerprint is found is accepted here; a key that only shares its
///   fingerprint is caught by the gate, which checks every reference of the finished file
///   in SQL before anything is published (naming the table, row and value).
///
/// While the table is read the fingerprints are kept in file order; [`KeySet::seal`] then
/// sorts them and indexes them by their top bits, for one or two cache lines a look-up.
pub struct KeySet {
    /// The fingerprints: in file order while the table is read, sorted and without
    /// repeats once sealed.
    prints: Vec<u64>,
    /// Once sealed: where the fingerprints of each bucket start in `prints` (a bucket is
    /// the top `bits` bits), one more at the end; empty for a small or huge table.
    starts: Vec<u32>,
    bits: u32,
    sealed: bool,
    /// During a second read of the table: the suspected keys' text and first line.
    confirm: Option<Confirm>,
    /// The bits of a fingerprint that count: all but in tests that force collisions.
    mask: u64,
    /// Whether references into this table can be checked.
    pub checkable: bool,
}

/// The fingerprints that more than one key of a table had, and the keys with them seen so
/// far in the second read, with the line each first appeared on.
struct Confirm {
    suspects: HashSet<u64>,
    seen: HashMap<String, u64>,
}

impl Default for KeySet {
    fn default() -> Self {
        Self::with_mask(fingerprint_mask())
    }
}

impl std::fmt::Debug for KeySet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeySet")
            .field("keys", &self.prints.len())
            .field("checkable", &self.checkable)
            .finish_non_exhaustive()
    }
}

/// The bits of a fingerprint that count. A debug build (the tests') keeps only the top
/// `BEVAKA_TEST_FINGERPRINT_BITS` of them when that is set, so that different keys share
/// fingerprints and every path of a suspicion is taken.
fn fingerprint_mask() -> u64 {
    #[cfg(debug_assertions)]
    if let Some(bits) = std::env::var("BEVAKA_TEST_FINGERPRINT_BITS")
        .ok()
        .and_then(|b| b.parse::<u32>().ok())
        .filter(|&b| (1..64).contains(&b))
    {
        return !(u64::MAX >> bits);
    }
    u64::MAX
}

/// SplitMix64's finaliser: a bijection of 64 bits that mixes every bit into every other.
fn mix(mut x: u64) -> u64 {
    x ^= x >> 30;
    x = x.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x ^= x >> 27;
    x = x.wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// A 64-bit fingerprint of `key`: its length, then each 8 bytes mixed into the state in
/// turn. Two keys of up to 8 bytes never share one; longer keys do about as often as
/// random numbers would (once in 2^64 pairs).
#[must_use]
pub fn fingerprint(key: &str) -> u64 {
    let mut h = mix(0x9e37_79b9_7f4a_7c15 ^ key.len() as u64);
    for chunk in key.as_bytes().chunks(8) {
        let mut word = [0u8; 8];
        word[..chunk.len()].copy_from_slice(chunk);
        h = mix(h ^ u64::from_le_bytes(word));
    }
    h
}

impl KeySet {
    /// An empty set whose fingerprints keep the bits of `mask`.
    #[must_use]
    pub fn with_mask(mask: u64) -> Self {
        Self {
            prints: Vec::new(),
            starts: Vec::new(),
            bits: 0,
            sealed: false,
            confirm: None,
            mask,
            checkable: false,
        }
    }

    fn print(&self, key: &str) -> u64 {
        fingerprint(key) & self.mask
    }

    /// Whether a key with the fingerprint `print` was seen.
    fn contains(&self, print: u64) -> bool {
        if !self.sealed {
            return self.prints.contains(&print);
        }
        let range = if self.bits == 0 {
            &self.prints[..]
        } else {
            let bucket = (print >> (64 - self.bits)) as usize;
            match (self.starts.get(bucket), self.starts.get(bucket + 1)) {
                (Some(&a), Some(&b)) => self.prints.get(a as usize..b as usize).unwrap_or(&[]),
                _ => &[],
            }
        };
        range.binary_search(&print).is_ok()
    }

    /// Whether a reference to `key` is acceptable (see [`KeySet`] for how a yes is made
    /// exact).
    #[must_use]
    pub fn admits(&self, key: &str) -> bool {
        !self.checkable || self.contains(self.print(key))
    }

    /// Remembers `key`, seen on `line`. In a second read (after [`KeySet::suspects`]), the
    /// line a suspected key was first seen on when its text is not new.
    fn insert(&mut self, key: &str, line: u64) -> Result<(), u64> {
        let print = self.print(key);
        match &mut self.confirm {
            None => {
                if !self.sealed {
                    self.prints.push(print);
                }
                Ok(())
            }
            Some(confirm) => {
                if !confirm.suspects.contains(&print) {
                    return Ok(());
                }
                if let Some(&first) = confirm.seen.get(key) {
                    return Err(first);
                }
                confirm.seen.insert(key.to_owned(), line);
                Ok(())
            }
        }
    }

    /// The table has been read once: sorts the fingerprints and returns whether any was
    /// seen more than once. If so, the set is ready for a second read of the table, which
    /// reports the keys that truly repeat; [`KeySet::seal`] after it either way.
    pub fn suspects(&mut self) -> bool {
        self.prints.sort_unstable();
        let suspects: HashSet<u64> = self
            .prints
            .windows(2)
            .filter(|w| w[0] == w[1])
            .map(|w| w[0])
            .collect();
        self.prints.dedup();
        if suspects.is_empty() {
            return false;
        }
        self.confirm = Some(Confirm {
            suspects,
            seen: HashMap::new(),
        });
        true
    }

    /// The table is read: only whether a key exists is asked from now on.
    pub fn seal(&mut self) {
        if !self.sealed {
            self.prints.sort_unstable();
            self.prints.dedup();
        }
        self.confirm = None;
        self.prints.shrink_to_fit();
        // About eight fingerprints a bucket: a look-up reads one or two cache lines.
        let n = self.prints.len();
        self.bits = 0;
        self.starts = Vec::new();
        if n >= 64 && u32::try_from(n).is_ok() {
            let bits = (usize::BITS - 1 - n.leading_zeros())
                .saturating_sub(3)
                .min(24);
            let buckets = 1usize << bits;
            let mut starts = Vec::with_capacity(buckets + 1);
            let mut at = 0usize;
            for bucket in 0..buckets {
                while at < n && ((self.prints[at] >> (64 - bits)) as usize) < bucket {
                    at += 1;
                }
                starts.push(u32::try_from(at).unwrap_or(u32::MAX));
            }
            starts.push(u32::try_from(n).unwrap_or(u32::MAX));
            self.starts = starts;
            self.bits = bits;
        }
        self.sealed = true;
    }

    /// No table read after this one refers to it: the keys can go (references into it are
    /// no longer asked about).
    pub fn release(&mut self) {
        *self = Self {
            checkable: self.checkable,
            ..Self::with_mask(self.mask)
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
    /// Every `goals.goal_id` as written and the line it first appeared on, for the
    /// målkedja's parents (an export has a few thousand goals).
    pub goal_lines: HashMap<String, u64>,
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
        if !goals.checkable || keys.goal_lines.contains_key(parent_id.as_str()) {
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
    let line_of = |goal: &str| keys.goal_lines.get(goal).copied();
    let Some(at) = (0..cycle.len()).min_by_key(|&i| line_of(cycle[i])) else {
        return;
    };
    let mut chain: Vec<&str> = cycle[at..].iter().chain(&cycle[..at]).copied().collect();
    chain.push(cycle[at]);
    let line = line_of(cycle[at]).unwrap_or(1);
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

#[cfg(test)]
mod tests {
    use super::{KeySet, fingerprint};

    fn key(i: u32) -> String {
        format!("ärende-{i:07}")
    }

    /// Reads `keys` into `set` as a table would be: once, then a second time if a
    /// fingerprint repeats; the repeats reported (line, first line).
    fn read(set: &mut KeySet, keys: &[String]) -> Vec<(u64, u64)> {
        for (line, k) in (2u64..).zip(keys) {
            assert_eq!(set.insert(k, line), Ok(()));
        }
        let mut repeats = Vec::new();
        if set.suspects() {
            for (line, k) in (2u64..).zip(keys) {
                if let Err(first) = set.insert(k, line) {
                    repeats.push((line, first));
                }
            }
        }
        set.seal();
        repeats
    }

    #[test]
    fn keys_of_up_to_eight_bytes_never_share_a_fingerprint() {
        let prints: std::collections::HashSet<u64> = (0..100_000u32)
            .map(|i| fingerprint(&format!("{i:08}")))
            .collect();
        assert_eq!(prints.len(), 100_000);
        assert_ne!(fingerprint(""), fingerprint("\0"));
    }

    #[test]
    fn every_key_read_is_admitted_and_no_other() {
        for n in [0u32, 1, 63, 64, 65, 1000, 50_000] {
            let keys: Vec<String> = (0..n).map(key).collect();
            let mut set = KeySet::with_mask(u64::MAX);
            set.checkable = true;
            assert_eq!(read(&mut set, &keys), []);
            assert!(keys.iter().all(|k| set.admits(k)), "{n}");
            assert!((n..n + 1000).all(|i| !set.admits(&key(i))), "{n}");
            assert!(!set.admits(""));
        }
    }

    #[test]
    fn shared_fingerprints_are_suspicions_and_only_true_repeats_are_reported() {
        // Two bits: four fingerprints for ten thousand keys.
        let mut keys: Vec<String> = (0..10_000).map(key).collect();
        keys.push(key(17)); // line 10 002 repeats line 19
        keys.push(key(9_999)); // line 10 003 repeats line 10 001
        let mut set = KeySet::with_mask(!(u64::MAX >> 2));
        set.checkable = true;
        assert_eq!(read(&mut set, &keys), [(10_002, 19), (10_003, 10_001)]);
        // Every key is admitted, and so (a shared fingerprint) is any other: the gate
        // checks the references such a set lets through.
        assert!(keys.iter().all(|k| set.admits(k)));
        assert!(set.admits("finns inte"));
        let mut exact = KeySet::with_mask(u64::MAX);
        exact.checkable = true;
        assert_eq!(read(&mut exact, &keys), [(10_002, 19), (10_003, 10_001)]);
        assert!(!exact.admits("finns inte"));
    }

    #[test]
    fn an_unreadable_table_admits_everything_and_a_released_one_nothing() {
        let mut set = KeySet::with_mask(u64::MAX);
        assert_eq!(read(&mut set, &[key(1)]), []);
        assert!(set.admits("vad som helst"));
        set.checkable = true;
        assert!(set.admits(&key(1)));
        set.release();
        assert!(!set.admits(&key(1)));
    }
}
