//! Shared strings and the open cases by id, built once per load of the bevakningslista.
//!
//! A city-wide list reads some hundred thousand rows, each naming its case; these keep that
//! lookup and the strings the items share cheap: a fast hash of the ids (the snapshot's
//! own, so no protection against chosen collisions is needed), one allocation per distinct
//! string, and a case index whose table holds only hashes and positions.

use arcstr::{ArcStr, Substr};
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasher, BuildHasherDefault, Hasher};

use super::CaseInfo;

/// rustc's multiply-add hash (FxHash): several times faster than the default SipHash on
/// short ids.
pub type IdHash = rustc_hash::FxBuildHasher;

fn hash_of(id: &str) -> u64 {
    IdHash::default().hash_one(id)
}

/// A hash used as its own key: already mixed.
#[derive(Debug, Default, Clone, Copy)]
struct Prehashed(u64);

impl Hasher for Prehashed {
    fn write(&mut self, bytes: &[u8]) {
        // Only u64 keys are hashed with this; anything else still gets a hash.
        let mut h = rustc_hash::FxHasher::with_seed(self.0 as usize);
        h.write(bytes);
        self.0 = h.finish();
    }

    fn write_u64(&mut self, i: u64) {
        self.0 = i;
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// One shared copy of each distinct string (handläggare, units, teams, insats codes,
/// bevakning kinds and notes).
#[derive(Debug, Default)]
pub(super) struct Interner(HashSet<ArcStr, IdHash>);

impl Interner {
    pub(super) fn get(&mut self, s: &str) -> ArcStr {
        if let Some(a) = self.0.get(s) {
            return ArcStr::clone(a);
        }
        let a: ArcStr = ArcStr::from(s);
        self.0.insert(ArcStr::clone(&a));
        a
    }
}

/// No further case with the same hash; no string.
const END: u32 = u32::MAX;

/// Who and what a case's items refer to, as [`CaseMap`] gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CaseRef<'a> {
    pub client_label: Option<&'a str>,
    pub unit_id: &'a str,
    pub team: Option<&'a str>,
    pub worker_id: Option<&'a str>,
}

impl<'a> From<&'a CaseInfo> for CaseRef<'a> {
    fn from(c: &'a CaseInfo) -> Self {
        Self {
            client_label: c.client_label.as_deref(),
            unit_id: &c.unit_id,
            team: c.team.as_deref(),
            worker_id: c.worker_id.as_deref(),
        }
    }
}

/// A case as the map keeps it: 20 bytes, its strings by number.
#[derive(Debug, Clone, Copy)]
struct Entry {
    /// Where the id ends in the ids' text; it starts where the case before's ends.
    id_end: u32,
    /// The client label, unit, team and handläggare, by number in `strings` (`END`: none;
    /// a unit of `END`: nothing is known of the case but its id).
    label: u32,
    unit: u32,
    team: u32,
    worker: u32,
}

/// The open cases of a bevakningslista by id, in the order they were added. The table maps
/// an id's hash to its position (16 bytes a case, so it stays in the processor's caches
/// while the rows are matched to their cases). The ids are kept one after the other in one
/// text, the rest by number (some 38 bytes a case instead of some 73 as shared strings:
/// 13 MB for six cities' 351 708 open cases instead of 26).
/// Once the rows are in, [`CaseMap::seal`] trades the table for the positions in the ids'
/// order (4 bytes a case instead of some 26), and the ids' text becomes one shared string
/// that the items' case ids are parts of.
#[derive(Debug, Clone, Default)]
pub struct CaseMap {
    by_hash: HashMap<u64, u32, BuildHasherDefault<Prehashed>>,
    /// The ids' text while cases are added (empty once sealed).
    open: String,
    /// The ids' text once sealed.
    sealed: ArcStr,
    entries: Vec<Entry>,
    /// Client labels, units, teams and handläggare, each once.
    strings: Vec<ArcStr>,
    /// The same strings one after the other, where a look-up compares them: compared as
    /// shared strings, each look-up of a client label read a string of its own far off in
    /// memory, a tenth of the time six cities' cases took to add.
    texts: String,
    /// Where each string ends in `texts`; it starts where the one before ends.
    text_ends: Vec<u32>,
    /// A string's hash to its number (the last numbered with that hash).
    numbers: HashMap<u64, u32, BuildHasherDefault<Prehashed>>,
    /// The string numbered before with the same hash (`END`: none), by number.
    same_text: Vec<u32>,
    /// The numbers of the last case's label, unit, team and handläggare: cases come a unit
    /// and team at a time, so most are the last case's and need no look-up.
    last: [u32; 4],
    /// The next case whose id has the same hash (`END`: none), for different ids that
    /// collide.
    next: Vec<u32>,
    /// Sealed: the positions in the order of the ids (`by_hash` and `next` are empty).
    by_rank: Vec<u32>,
}

impl CaseMap {
    /// The ids' text.
    fn text(&self) -> &str {
        if self.open.is_empty() {
            &self.sealed
        } else {
            &self.open
        }
    }

    /// Where the id at `position` is in the ids' text.
    fn span(&self, position: u32) -> std::ops::Range<usize> {
        let ix = position as usize;
        let start = match ix.checked_sub(1) {
            Some(before) => self.entries.get(before).map_or(0, |e| e.id_end as usize),
            None => 0,
        };
        let end = self.entries.get(ix).map_or(start, |e| e.id_end as usize);
        start..end
    }

    /// The id at `position` (from [`CaseMap::position`]); empty where there is none.
    pub(super) fn id(&self, position: u32) -> &str {
        self.text().get(self.span(position)).unwrap_or_default()
    }

    /// The id at `position` as a shared string: a part of the ids' text once sealed.
    pub(super) fn id_part(&self, position: u32) -> Substr {
        let span = self.span(position);
        if self.open.is_empty() && self.sealed.get(span.clone()).is_some() {
            self.sealed.substr(span)
        } else {
            Substr::from(self.id(position))
        }
    }

    fn string(&self, n: u32) -> Option<&ArcStr> {
        self.strings.get(n as usize)
    }

    /// The number of string `s` as field `field` of a case (see `last`), given one where it
    /// is new.
    fn number(&mut self, field: usize, s: Option<&str>) -> u32 {
        let Some(s) = s else {
            return END;
        };
        let last = self.last.get(field).copied().unwrap_or(END);
        if self.strings.get(last as usize).is_some_and(|l| **l == *s) {
            return last;
        }
        let n = self.number_of(s);
        if let Some(l) = self.last.get_mut(field) {
            *l = n;
        }
        n
    }

    /// String `n` as `texts` has it.
    fn text_of(&self, n: u32) -> &str {
        let ix = n as usize;
        let start = match ix.checked_sub(1) {
            Some(before) => self.text_ends.get(before).map_or(0, |&e| e as usize),
            None => 0,
        };
        let end = self.text_ends.get(ix).map_or(start, |&e| e as usize);
        self.texts.get(start..end).unwrap_or_default()
    }

    /// The number of string `s`, given one where it is new (`END` when no more fit).
    fn number_of(&mut self, s: &str) -> u32 {
        self.number_hashed(s, hash_of(s))
    }

    /// [`CaseMap::number_of`] of `s`, whose hash is `hash`.
    fn number_hashed(&mut self, s: &str, hash: u64) -> u32 {
        let first = self.numbers.get(&hash).copied().unwrap_or(END);
        let mut same = first;
        while same != END {
            if self.text_of(same) == s {
                return same;
            }
            same = self.same_text.get(same as usize).copied().unwrap_or(END);
        }
        let (Some(n), Ok(end)) = (
            u32::try_from(self.strings.len()).ok().filter(|&n| n != END),
            u32::try_from(self.texts.len() + s.len()),
        ) else {
            return END;
        };
        self.strings.push(ArcStr::from(s));
        self.texts.push_str(s);
        self.text_ends.push(end);
        self.same_text.push(first);
        self.numbers.insert(hash, n);
        n
    }

    /// The position of `id`, if present.
    #[must_use]
    pub(super) fn position(&self, id: &str) -> Option<u32> {
        if !self.by_rank.is_empty() {
            let at = self
                .by_rank
                .binary_search_by(|&p| self.id(p).cmp(id))
                .ok()?;
            return Some(self.by_rank[at]);
        }
        let mut at = *self.by_hash.get(&hash_of(id))?;
        while at != END {
            if self.id(at) == id {
                return Some(at);
            }
            at = *self.next.get(at as usize)?;
        }
        None
    }

    /// The info at `position` (from [`CaseMap::position`]), if known.
    pub(super) fn info(&self, position: u32) -> Option<CaseRef<'_>> {
        let e = self.entries.get(position as usize)?;
        let unit_id = self.string(e.unit)?;
        Some(CaseRef {
            client_label: self.string(e.label).map(|s| &**s),
            unit_id,
            team: self.string(e.team).map(|s| &**s),
            worker_id: self.string(e.worker).map(|s| &**s),
        })
    }

    /// The handläggare of the case at `position`, if any.
    pub(super) fn worker(&self, position: u32) -> Option<&ArcStr> {
        self.string(self.entries.get(position as usize)?.worker)
    }

    /// Adds a case; an id already present gets the new info (as a map would).
    pub fn insert(&mut self, id: &str, info: CaseRef<'_>) {
        let Some(at) = self.insert_id(id) else {
            return;
        };
        let label = self.number(0, info.client_label);
        let unit = self.number(1, Some(info.unit_id));
        let team = self.number(2, info.team);
        let worker = self.number(3, info.worker_id);
        if let Some(e) = self.entries.get_mut(at as usize) {
            (e.label, e.unit, e.team, e.worker) = (label, unit, team, worker);
        }
    }

    /// The position of case `id`, added with nothing known of it where it is new (`None`
    /// when the map is full).
    pub(super) fn insert_id(&mut self, id: &str) -> Option<u32> {
        if !self.by_rank.is_empty() {
            if let Some(at) = self.position(id) {
                return Some(at);
            }
            self.unseal();
        }
        // One hash and one look-up for both the search and the insert.
        let hash = hash_of(id);
        let first = self.by_hash.get(&hash).copied().unwrap_or(END);
        let mut same = first;
        while same != END {
            if self.id(same) == id {
                return Some(same);
            }
            same = self.next.get(same as usize).copied().unwrap_or(END);
        }
        let at = u32::try_from(self.entries.len())
            .ok()
            .filter(|&at| at != END)?;
        let id_end = u32::try_from(self.open.len() + id.len()).ok()?;
        self.by_hash.insert(hash, at);
        self.next.push(first);
        self.open.push_str(id);
        self.entries.push(Entry {
            id_end,
            label: END,
            unit: END,
            team: END,
            worker: END,
        });
        Some(at)
    }

    /// Adds the cases of `other`, as [`CaseMap::insert`] of each in its order would: the
    /// strings of `other` are looked up once each, not once a case.
    pub(super) fn append(&mut self, other: &CaseMap) {
        let numbers: Vec<u32> = other.strings.iter().map(|s| self.number_of(s)).collect();
        let number = |n: u32| numbers.get(n as usize).copied().unwrap_or(END);
        self.entries.reserve(other.entries.len());
        self.next.reserve(other.entries.len());
        self.by_hash.reserve(other.entries.len());
        self.open.reserve(other.text().len());
        for (p, from) in (0_u32..).zip(&other.entries) {
            let Some(at) = self.insert_id(other.id(p)) else {
                return;
            };
            if let Some(e) = self.entries.get_mut(at as usize) {
                (e.label, e.unit, e.team, e.worker) = (
                    number(from.label),
                    number(from.unit),
                    number(from.team),
                    number(from.worker),
                );
            }
        }
    }

    /// Trades the hash table for the positions in the order of the ids, given as `ranks`
    /// (each position's rank, as [`CaseMap::ranks`] gives them), and makes the ids' text
    /// one shared string. Lookups by id then search the ids; [`CaseMap::of_rank`] finds a
    /// case by its rank at once.
    pub(super) fn seal(&mut self, ranks: &[u32]) {
        if ranks.len() != self.entries.len() {
            return;
        }
        let mut by_rank = vec![0; ranks.len()];
        for (p, &rank) in (0_u32..).zip(ranks) {
            if let Some(r) = by_rank.get_mut(rank as usize) {
                *r = p;
            }
        }
        self.by_rank = by_rank;
        self.by_hash = HashMap::default();
        self.next = Vec::new();
        if !self.open.is_empty() {
            self.sealed = ArcStr::from(std::mem::take(&mut self.open));
        }
    }

    /// The hash table again, to add cases to a sealed map.
    fn unseal(&mut self) {
        if self.open.is_empty() && !self.sealed.is_empty() {
            self.open = self.sealed.to_string();
            self.sealed = ArcStr::new();
        }
        if self.by_rank.is_empty() {
            return;
        }
        self.by_rank = Vec::new();
        for at in (0_u32..).take(self.entries.len()) {
            let first = self.by_hash.entry(hash_of(self.id(at))).or_insert(END);
            let before = *first;
            *first = at;
            self.next.push(before);
        }
    }

    /// The case of rank `rank` (see [`CaseMap::ranks`]) in a sealed map, if it is `id`.
    #[must_use]
    pub fn of_rank(&self, rank: u32, id: &str) -> Option<CaseRef<'_>> {
        let at = *self.by_rank.get(rank as usize)?;
        if self.id(at) == id {
            self.info(at)
        } else {
            None
        }
    }

    /// Gives back the room kept for more cases.
    pub(super) fn shrink_to_fit(&mut self) {
        self.by_hash.shrink_to_fit();
        self.open.shrink_to_fit();
        self.entries.shrink_to_fit();
        self.strings.shrink_to_fit();
        self.texts.shrink_to_fit();
        self.text_ends.shrink_to_fit();
        self.same_text.shrink_to_fit();
        self.next.shrink_to_fit();
    }

    /// The case `id`.
    #[must_use]
    pub fn get(&self, id: &str) -> Option<CaseRef<'_>> {
        self.info(self.position(id)?)
    }

    /// How many cases.
    #[must_use]
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Each case's place in the order of the ids, by position: `ranks[p] < ranks[q]` where
    /// the id at `p` sorts before the one at `q`.
    ///
    /// The positions are sorted by the ids' first 16 bytes as two numbers, and only ids
    /// that share those are compared as strings: six cities' 351 708 ids took 53–56 ms to
    /// sort as strings (each comparison finding both ids in the text), 19–35 ms so. A
    /// shorter id is padded with zero bytes, so numbers that are less belong to an id that
    /// is less (where the padding meets a real byte, the shorter id is a prefix of the
    /// other); equal numbers are told apart by the whole ids.
    #[must_use]
    pub fn ranks(&self) -> Vec<u32> {
        let text = self.text().as_bytes();
        // The first 16 bytes as two numbers (24 bytes a case, where a u128 would align the
        // pair to 32).
        let mut keyed: Vec<(u64, u64, u32)> = Vec::with_capacity(self.entries.len());
        let mut start = 0;
        for (p, e) in (0_u32..).zip(&self.entries) {
            let end = e.id_end as usize;
            let id = text.get(start..end).unwrap_or_default();
            let mut head = [0_u8; 16];
            let n = id.len().min(head.len());
            head[..n].copy_from_slice(&id[..n]);
            let (hi, lo) = head.split_at(8);
            let number = |b: &[u8]| u64::from_be_bytes(b.try_into().unwrap_or_default());
            keyed.push((number(hi), number(lo), p));
            start = end;
        }
        // Stable: producers mostly write the cases in id order, a run per district or unit,
        // and the standard stable sort merges such runs with few comparisons.
        keyed.sort_by(|a, b| {
            (a.0, a.1)
                .cmp(&(b.0, b.1))
                .then_with(|| self.id(a.2).cmp(self.id(b.2)))
        });
        let mut ranks = vec![0; keyed.len()];
        for (rank, &(_, _, p)) in (0_u32..).zip(&keyed) {
            ranks[p as usize] = rank;
        }
        ranks
    }

    /// Every case whose info is known, in the order added.
    pub fn iter(&self) -> impl Iterator<Item = (&str, CaseRef<'_>)> {
        (0_u32..)
            .take(self.entries.len())
            .filter_map(|p| Some((self.id(p), self.info(p)?)))
    }
}

impl FromIterator<(ArcStr, CaseInfo)> for CaseMap {
    fn from_iter<T: IntoIterator<Item = (ArcStr, CaseInfo)>>(iter: T) -> Self {
        let mut map = Self::default();
        for (id, info) in iter {
            map.insert(&id, CaseRef::from(&info));
        }
        map
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn label<'a>(map: &'a CaseMap, id: &str) -> Option<&'a str> {
        map.get(id).and_then(|c| c.client_label)
    }

    fn info(label: &str) -> CaseInfo {
        CaseInfo {
            client_label: Some(label.into()),
            unit_id: "U".into(),
            team: None,
            worker_id: None,
        }
    }

    #[test]
    fn finds_every_case_and_nothing_else() {
        let map: CaseMap = (0..5000)
            .map(|n| {
                (
                    ArcStr::from(format!("BF-2014-{n:05}")),
                    info(&n.to_string()),
                )
            })
            .collect();
        assert_eq!(map.len(), 5000);
        for n in 0..5000 {
            let got = map.get(&format!("BF-2014-{n:05}")).expect("present");
            assert_eq!(got.client_label, Some(n.to_string().as_str()));
        }
        assert!(map.get("BF-2014-05000").is_none());
        assert!(map.get("").is_none());
    }

    #[test]
    fn ranks_order_the_cases_as_their_ids() {
        let ids = [
            "BF-2",
            "ÄO-1",
            "BF-10",
            "A",
            "BF-1",
            "BF-2-LONGER-THAN-SIXTEEN",
        ];
        let map: CaseMap = ids.iter().map(|&id| (ArcStr::from(id), info(id))).collect();
        let ranks = map.ranks();
        // "A" < "BF-1" < "BF-10" < "BF-2" < "BF-2-LONGER…" < "ÄO-1"
        assert_eq!(ranks, [3, 5, 2, 0, 1, 4]);
    }

    /// Each string gets one number, also where strings are prefixes of each other, empty,
    /// or share a hash, and is read back as given.
    #[test]
    fn strings_are_numbered_once_each_whatever_their_hashes() {
        let mut map = CaseMap::default();
        let strings = ["H1", "H10", "", "H1\0", "Åsa", "H"];
        let numbers: Vec<u32> = strings.iter().map(|s| map.number_of(s)).collect();
        assert_eq!(numbers, [0, 1, 2, 3, 4, 5]);
        // Again, in another order: the same numbers.
        for (s, n) in strings.iter().zip(&numbers).rev() {
            assert_eq!(map.number_of(s), *n, "{s:?}");
            assert_eq!(map.text_of(*n), *s);
            assert_eq!(map.string(*n).map(|a| &**a), Some(*s));
        }
        // Different strings with one hash: told apart by their text.
        let mut map = CaseMap::default();
        assert_eq!(map.number_hashed("U1", 7), 0);
        assert_eq!(map.number_hashed("U2", 7), 1);
        assert_eq!(map.number_hashed("U3", 7), 2);
        assert_eq!(map.number_hashed("U1", 7), 0);
        assert_eq!(map.number_hashed("U2", 7), 1);
        assert_eq!(map.number_hashed("U3", 7), 2);
    }

    /// A map taken on another thread and appended is the map of every case inserted in
    /// turn: the same ids, positions and info, strings shared, a case given twice updated.
    #[test]
    fn appended_cases_are_as_if_inserted_in_turn() {
        let case = |id: &str, unit: &str, worker: Option<&str>| {
            (
                ArcStr::from(id),
                CaseInfo {
                    client_label: Some(ArcStr::from(format!("L {id}"))),
                    unit_id: ArcStr::from(unit),
                    team: None,
                    worker_id: worker.map(ArcStr::from),
                },
            )
        };
        let first = [case("A-1", "U1", Some("H1")), case("A-2", "U1", None)];
        let second = [
            case("B-1", "U2", Some("H1")),
            case("A-1", "U3", Some("H2")),
            case("B-2", "U1", Some("H3")),
        ];
        let mut appended: CaseMap = first.iter().cloned().collect();
        let other: CaseMap = second.iter().cloned().collect();
        appended.append(&other);
        let in_turn: CaseMap = first.iter().chain(&second).cloned().collect();
        assert_eq!(appended.len(), 4);
        let all = |m: &CaseMap| {
            m.iter()
                .map(|(id, c)| (id.to_string(), format!("{c:?}")))
                .collect::<Vec<_>>()
        };
        assert_eq!(all(&appended), all(&in_turn));
        assert_eq!(
            appended.get("A-1").map(|c| (c.unit_id, c.worker_id)),
            Some(("U3", Some("H2"))),
            "given again: updated"
        );
        assert_eq!(appended.position("B-2"), Some(3));
        assert_eq!(appended.ranks(), in_turn.ranks());
    }

    /// Ids that share their first 16 bytes, that are prefixes of each other, or that hold
    /// zero bytes (which the padding of a short id looks like): ranked as the strings sort.
    #[test]
    fn ranks_are_the_strings_order_where_ids_share_their_first_sixteen_bytes() {
        let ids = [
            "C2-RKA-2010-00537",
            "C2-RKA-2010-00536",
            "C2-RKA-2010-0053",
            "C2-RKA-2010-005",
            "C2-RKA-2010-005\0",
            "C2-RKA-2010-005\0\0",
            "C2-RKA-2010-005\0A",
            "C2-RKA-2010-0053\0",
            "Ö",
            "",
            "\0",
            "C2-RKA-2010-00537-ÄNDRAD",
            "C2-RKA-2010-00537-ANDRAD",
        ];
        let map: CaseMap = ids.iter().map(|&id| (ArcStr::from(id), info(id))).collect();
        let ranks = map.ranks();
        let mut sorted = ids.to_vec();
        sorted.sort_unstable();
        for (p, id) in ids.iter().enumerate() {
            assert_eq!(sorted[ranks[p] as usize], *id, "{id:?}");
        }
    }

    #[test]
    fn sealed_ids_are_parts_of_one_text_and_unknown_cases_have_no_info() {
        let mut map = CaseMap::default();
        map.insert("BF-1", (&info("x")).into());
        assert_eq!(map.insert_id("BF-22"), Some(1));
        assert_eq!(map.insert_id("BF-1"), Some(0), "present: its position");
        map.insert("", (&info("empty")).into());
        let ranks = map.ranks();
        map.seal(&ranks);
        let parts: Vec<Substr> = (0..3).map(|p| map.id_part(p)).collect();
        assert_eq!(parts, ["BF-1", "BF-22", ""]);
        assert!(
            parts[0].parent().as_ptr() == parts[1].parent().as_ptr(),
            "one shared text"
        );
        assert!(map.get("BF-22").is_none(), "known by its id only");
        assert_eq!(map.position("BF-22"), Some(1));
        assert_eq!(label(&map, ""), Some("empty"));
        assert_eq!(
            map.iter().map(|(id, _)| id).collect::<Vec<_>>(),
            ["BF-1", ""]
        );
        let c = map.get("BF-1").expect("known");
        assert_eq!((c.unit_id, c.team, c.worker_id), ("U", None, None));
    }

    #[test]
    fn a_repeated_id_replaces_the_info() {
        let mut map = CaseMap::default();
        map.insert("A", (&info("1")).into());
        map.insert("A", (&info("2")).into());
        assert_eq!(map.len(), 1);
        assert_eq!(label(&map, "A"), Some("2"));
    }

    #[test]
    fn ids_with_the_same_hash_are_told_apart() {
        // Force a collision: both ids filed under one hash.
        let mut map = CaseMap::default();
        map.insert("A", (&info("a")).into());
        map.insert("B", (&info("b")).into());
        let h = hash_of("A");
        // File "B" (position 1) under "A"'s hash, before "A", and not under its own.
        map.next[1] = *map.by_hash.get(&h).expect("A");
        map.by_hash.insert(h, 1);
        map.by_hash.remove(&hash_of("B"));
        // Now "A"'s hash leads to "B" first, then to "A".
        assert_eq!(label(&map, "A"), Some("a"));
        assert!(map.get("B").is_none(), "B's own hash is not filed");
    }

    #[test]
    fn the_hash_spreads_similar_ids() {
        let hashes: HashSet<u64> = (0..10_000)
            .map(|n| hash_of(&format!("RKF-2002-{n:05}")) & 0xffff)
            .collect();
        // 10 000 ids into 65 536 buckets: a good hash leaves about 9 300 distinct.
        assert!(hashes.len() > 9000, "{}", hashes.len());
    }

    #[test]
    fn a_sealed_map_finds_by_id_and_rank_and_takes_more_cases() {
        let ids = ["BF-2", "ÄO-1", "BF-10", "A", "BF-1"];
        let mut map: CaseMap = ids.iter().map(|&id| (ArcStr::from(id), info(id))).collect();
        let ranks = map.ranks();
        map.seal(&ranks);
        assert!(map.by_hash.is_empty(), "the table is given back");
        for (p, &id) in ids.iter().enumerate() {
            assert_eq!(map.position(id), Some(p as u32));
            let by_rank = map.of_rank(ranks[p], id).expect("by rank");
            assert_eq!(by_rank.client_label, Some(id));
        }
        assert!(map.get("B").is_none());
        assert!(map.get("").is_none());
        assert!(
            map.of_rank(ranks[0], "ÄO-1").is_none(),
            "another case's rank"
        );
        assert!(map.of_rank(99, "A").is_none());
        map.insert("B", (&info("b")).into());
        map.insert("A", (&info("a2")).into());
        assert_eq!(map.len(), 6);
        assert_eq!(label(&map, "B"), Some("b"));
        assert_eq!(label(&map, "A"), Some("a2"));
        assert!(map.of_rank(0, "A").is_none(), "unsealed: no ranks");
    }
}
