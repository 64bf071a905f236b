//! Shared strings and the open cases by id, built once per load of the bevakningslista.
//!
//! A city-wide list reads some hundred thousand rows, each naming its case; these keep that
//! lookup and the strings the items share cheap: a fast hash of the ids (the snapshot's
//! own, so no protection against chosen collisions is needed), one allocation per distinct
//! string, and a case index whose table holds only hashes and positions.

use arcstr::ArcStr;
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

/// No further case with the same hash.
const END: u32 = u32::MAX;

/// The open cases of a bevakningslista by id, in the order they were added. The table maps
/// an id's hash to its position (16 bytes a case, so it stays in the processor's caches
/// while the rows are matched to their cases); the ids and infos are kept side by side.
/// Once the rows are in, [`CaseMap::seal`] trades the table for the positions in the ids'
/// order (4 bytes a case instead of some 26: six cities' 351 000 open cases kept 10 MB of
/// table for the few lookups a screen makes).
#[derive(Debug, Clone, Default)]
pub struct CaseMap {
    by_hash: HashMap<u64, u32, BuildHasherDefault<Prehashed>>,
    ids: Vec<ArcStr>,
    /// `None`: a case known only by its id ([`CaseMap::insert_id`]).
    infos: Vec<Option<CaseInfo>>,
    /// The next case whose id has the same hash (`END`: none), for different ids that
    /// collide.
    next: Vec<u32>,
    /// Sealed: the positions in the order of the ids (`by_hash` and `next` are empty).
    by_rank: Vec<u32>,
}

impl CaseMap {
    /// The position of `id`, if present.
    #[must_use]
    pub(super) fn position(&self, id: &str) -> Option<u32> {
        if !self.by_rank.is_empty() {
            let at = self
                .by_rank
                .binary_search_by(|&p| (*self.ids[p as usize]).cmp(id))
                .ok()?;
            return Some(self.by_rank[at]);
        }
        let mut at = *self.by_hash.get(&hash_of(id))?;
        while at != END {
            let ix = at as usize;
            if *self.ids[ix] == *id {
                return Some(at);
            }
            at = self.next[ix];
        }
        None
    }

    /// The id at `position` (from [`CaseMap::position`]).
    ///
    /// # Panics
    /// When there is no case at `position`.
    pub(super) fn id(&self, position: u32) -> &ArcStr {
        &self.ids[position as usize]
    }

    /// The info at `position` (from [`CaseMap::position`]), if known.
    pub(super) fn info(&self, position: u32) -> Option<&CaseInfo> {
        self.infos.get(position as usize)?.as_ref()
    }

    /// Adds a case; an id already present gets the new info (as a map would).
    pub fn insert(&mut self, id: ArcStr, info: CaseInfo) {
        if let Some(at) = self.position(&id) {
            self.infos[at as usize] = Some(info);
            return;
        }
        if let Some(at) = self.insert_id(id) {
            self.infos[at as usize] = Some(info);
        }
    }

    /// The position of case `id`, added with nothing known of it where it is new (`None`
    /// when the map is full).
    pub(super) fn insert_id(&mut self, id: ArcStr) -> Option<u32> {
        if let Some(at) = self.position(&id) {
            return Some(at);
        }
        self.unseal();
        let at = u32::try_from(self.ids.len()).ok().filter(|&at| at != END)?;
        let first = self.by_hash.entry(hash_of(&id)).or_insert(END);
        self.next.push(*first);
        *first = at;
        self.ids.push(id);
        self.infos.push(None);
        Some(at)
    }

    /// Trades the hash table for the positions in the order of the ids, given as `ranks`
    /// (each position's rank, as [`CaseMap::ranks`] gives them). Lookups by id then search
    /// the ids; [`CaseMap::of_rank`] finds a case by its rank at once.
    pub(super) fn seal(&mut self, ranks: &[u32]) {
        if ranks.len() != self.ids.len() {
            return;
        }
        let mut by_rank = vec![0; ranks.len()];
        for (p, &rank) in (0_u32..).zip(ranks) {
            by_rank[rank as usize] = p;
        }
        self.by_rank = by_rank;
        self.by_hash = HashMap::default();
        self.next = Vec::new();
    }

    /// The hash table again, to add cases to a sealed map.
    fn unseal(&mut self) {
        if self.by_rank.is_empty() {
            return;
        }
        self.by_rank = Vec::new();
        for (at, id) in (0_u32..).zip(&self.ids) {
            let first = self.by_hash.entry(hash_of(id)).or_insert(END);
            self.next.push(*first);
            *first = at;
        }
    }

    /// The case of rank `rank` (see [`CaseMap::ranks`]) in a sealed map, if it is `id`.
    #[must_use]
    pub fn of_rank(&self, rank: u32, id: &str) -> Option<&CaseInfo> {
        let at = *self.by_rank.get(rank as usize)? as usize;
        if *self.ids[at] == *id {
            self.infos[at].as_ref()
        } else {
            None
        }
    }

    /// Gives back the room kept for more cases.
    pub(super) fn shrink_to_fit(&mut self) {
        self.by_hash.shrink_to_fit();
        self.ids.shrink_to_fit();
        self.infos.shrink_to_fit();
        self.next.shrink_to_fit();
    }

    /// The case `id`.
    #[must_use]
    pub fn get(&self, id: &str) -> Option<&CaseInfo> {
        self.infos.get(self.position(id)? as usize)?.as_ref()
    }

    /// How many cases.
    #[must_use]
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// Each case's place in the order of the ids, by position: `ranks[p] < ranks[q]` where
    /// the id at `p` sorts before the one at `q`. (Producers mostly write the cases in id
    /// order, a run per district or unit: the standard sort merges such runs quickly.)
    #[must_use]
    pub fn ranks(&self) -> Vec<u32> {
        let mut order: Vec<u32> = (0..self.len())
            .filter_map(|p| u32::try_from(p).ok())
            .collect();
        order.sort_by(|&p, &q| self.ids[p as usize].cmp(&self.ids[q as usize]));
        let mut ranks = vec![0; order.len()];
        for (rank, &p) in (0_u32..).zip(&order) {
            ranks[p as usize] = rank;
        }
        ranks
    }

    /// Every case whose info is known, in the order added.
    pub fn iter(&self) -> impl Iterator<Item = (&ArcStr, &CaseInfo)> {
        self.ids
            .iter()
            .zip(&self.infos)
            .filter_map(|(id, info)| Some((id, info.as_ref()?)))
    }
}

impl FromIterator<(ArcStr, CaseInfo)> for CaseMap {
    fn from_iter<T: IntoIterator<Item = (ArcStr, CaseInfo)>>(iter: T) -> Self {
        let mut map = Self::default();
        for (id, info) in iter {
            map.insert(id, info);
        }
        map
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn label<'a>(map: &'a CaseMap, id: &str) -> Option<&'a str> {
        map.get(id).and_then(|c| c.client_label.as_deref())
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
            assert_eq!(got.client_label.as_deref(), Some(n.to_string().as_str()));
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

    #[test]
    fn a_repeated_id_replaces_the_info() {
        let mut map = CaseMap::default();
        map.insert("A".into(), info("1"));
        map.insert("A".into(), info("2"));
        assert_eq!(map.len(), 1);
        assert_eq!(label(&map, "A"), Some("2"));
    }

    #[test]
    fn ids_with_the_same_hash_are_told_apart() {
        // Force a collision: both ids filed under one hash.
        let mut map = CaseMap::default();
        map.insert("A".into(), info("a"));
        let h = hash_of("A");
        map.by_hash.insert(hash_of("B"), 0);
        map.ids.push("B".into());
        map.infos.push(Some(info("b")));
        map.next.push(*map.by_hash.get(&h).expect("A"));
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
            assert_eq!(by_rank.client_label.as_deref(), Some(id));
        }
        assert!(map.get("B").is_none());
        assert!(map.get("").is_none());
        assert!(
            map.of_rank(ranks[0], "ÄO-1").is_none(),
            "another case's rank"
        );
        assert!(map.of_rank(99, "A").is_none());
        map.insert("B".into(), info("b"));
        map.insert("A".into(), info("a2"));
        assert_eq!(map.len(), 6);
        assert_eq!(label(&map, "B"), Some("b"));
        assert_eq!(label(&map, "A"), Some("a2"));
        assert!(map.of_rank(0, "A").is_none(), "unsealed: no ranks");
    }
}
