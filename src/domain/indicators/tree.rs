//! The målkedja of a unit and year with each indicator judged (DOMAIN.md "Indicator
//! status"): goals as a tree by `parent_id`, the indicators under their goals, summaries
//! per goal and per unit, and an indicator's series across the years of the snapshot.
//!
//! Which rows belong to the view, decided here once:
//! - An indicator belongs to its own `unit_id`, else to its goal's; a goal to its own, else
//!   to its nearest ancestor's. A unit's view holds its goals and indicators and every
//!   ancestor goal they hang from (KF:s mål are often written without a unit).
//! - The year's indicators are those with `indicators.year` = the year. A whole goal tree
//!   (a root and its descendants) is shown when it holds an indicator of the year, or
//!   holds none of any year (a plan without indicators); a tree whose indicators are all of
//!   other years is another year's plan and is left out.
//! - "Previous" (utfall föregående år) is the indicator's own full-year value of the year
//!   before; when it has none, the full-year value of the year before of the first
//!   indicator row of that year with the same name and the same `unit_id` (a producer may
//!   write one row per indicator and year).
//! - An aktivitet is past its end when `end` < today and it is not assessed `helt`.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;

use super::{Period, Status, full_year, judge, latest};
use crate::model::{Assessment, Direction, Goal, GoalLevel, Indicator, IndicatorValue};

/// Everything the view is computed from: the goal and indicator tables, whole (a unit's
/// plan is tens of rows a year), in the producer's order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rows {
    pub goals: Vec<Goal>,
    pub indicators: Vec<Indicator>,
    pub values: Vec<IndicatorValue>,
}

/// One goal of the tree.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub goal: Goal,
    pub depth: usize,
    pub parent: Option<usize>,
    /// Child goals, in the producer's order (indices into [`Overview::nodes`]).
    pub children: Vec<usize>,
    /// The year's indicators of this goal (indices into [`Overview::indicators`]).
    pub indicators: Vec<usize>,
    /// The unit it belongs to: its own, else its nearest ancestor's.
    pub unit_id: Option<String>,
    /// An aktivitet whose end date has passed without being assessed `helt`.
    pub past_end: bool,
}

/// One indicator of the year, judged.
#[derive(Debug, Clone, PartialEq)]
pub struct Assessed {
    pub indicator: Indicator,
    /// The unit it belongs to: its own, else its goal's.
    pub unit_id: Option<String>,
    /// The node of its goal, when the goal is in the view.
    pub node: Option<usize>,
    /// The period that counts, as written in the snapshot.
    pub period: Option<String>,
    pub value: Option<f64>,
    /// The comment (analys) of that period.
    pub comment: Option<String>,
    /// The full-year value of the year before.
    pub previous: Option<f64>,
    pub status: Status,
    /// The tolerance used, when judged against a numeric target.
    pub tolerance: Option<f64>,
    pub explanation: String,
    /// The value against the period before of the same kind (the year before a full
    /// year, the tertial before a tertial …), better or worse by the indicator's direction.
    pub since: Option<Since>,
}

/// Whether an indicator's value moved the way its direction calls better.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Movement {
    Better,
    Same,
    Worse,
}

impl Movement {
    /// As the JSON report writes it.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Movement::Better => "better",
            Movement::Same => "same",
            Movement::Worse => "worse",
        }
    }

    /// In Swedish, for the screen.
    #[must_use]
    pub const fn label(self) -> &'static str {
        match self {
            Movement::Better => "bättre",
            Movement::Same => "oförändrat",
            Movement::Worse => "sämre",
        }
    }
}

/// The period an indicator's value is compared with, and how it moved since.
#[derive(Debug, Clone, PartialEq)]
pub struct Since {
    /// As written in the snapshot.
    pub period: String,
    pub value: f64,
    pub movement: Movement,
}

/// `value` against `before` by `direction`.
#[must_use]
pub fn movement(direction: Direction, before: f64, value: f64) -> Movement {
    // Values are read from text with at most a few decimals: equal to the hundredth is
    // equal.
    let diff = ((value - before) * 100.0).round();
    let up = match direction {
        Direction::Higher => diff > 0.0,
        Direction::Lower => diff < 0.0,
    };
    if diff == 0.0 {
        Movement::Same
    } else if up {
        Movement::Better
    } else {
        Movement::Worse
    }
}

/// Counts for a goal, a unit or the whole view.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    /// Indicators per status, in [`Status::ALL`] order.
    pub statuses: [u64; 5],
    /// Åtaganden assessed helt, delvis, ej, and not (yet) assessed.
    pub helt: u64,
    pub delvis: u64,
    pub ej: u64,
    pub unassessed: u64,
    pub past_end: u64,
}

impl Summary {
    #[must_use]
    pub fn indicators(&self) -> u64 {
        self.statuses.iter().sum()
    }

    #[must_use]
    pub fn ataganden(&self) -> u64 {
        self.helt + self.delvis + self.ej + self.unassessed
    }

    /// Adds `other`'s counts to these.
    fn add(&mut self, other: &Summary) {
        for (a, b) in self.statuses.iter_mut().zip(other.statuses) {
            *a += b;
        }
        self.helt += other.helt;
        self.delvis += other.delvis;
        self.ej += other.ej;
        self.unassessed += other.unassessed;
        self.past_end += other.past_end;
    }

    fn add_goal(&mut self, node: &Node) {
        if node.goal.level == GoalLevel::Atagande {
            match node.goal.assessment {
                Some(Assessment::Helt) => self.helt += 1,
                Some(Assessment::Delvis) => self.delvis += 1,
                Some(Assessment::Ej) => self.ej += 1,
                None => self.unassessed += 1,
            }
        }
        self.past_end += u64::from(node.past_end);
    }
}

/// One value of an indicator's series.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    /// As written in the snapshot.
    pub period: String,
    pub parsed: Option<Period>,
    pub value: f64,
    pub comment: Option<String>,
}

/// The view of one unit (or all) and one year.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Overview {
    pub year: i32,
    /// The years with indicators of the unit, ascending.
    pub years: Vec<i32>,
    pub today: NaiveDate,
    pub unit_id: Option<String>,
    pub tolerance_percent: u32,
    /// The goals shown, depth first, parents before children.
    pub nodes: Vec<Node>,
    pub roots: Vec<usize>,
    /// The year's indicators in tree order (a goal's indicators, then its children's);
    /// those without a goal in the view last.
    pub indicators: Vec<Assessed>,
    /// Indicators without a goal in the view (indices into `indicators`).
    pub loose: Vec<usize>,
    /// Each node's [`Overview::goal_summary`], added up once from the leaves.
    summaries: Vec<Summary>,
    rows: Rows,
}

impl Overview {
    /// Computes the view of `unit_id` (all units for `None`) for `year`, or when `None`,
    /// for today's year, else the latest year with indicators.
    #[must_use]
    pub fn compute(
        rows: Rows,
        unit_id: Option<&str>,
        year: Option<i32>,
        today: NaiveDate,
        tolerance_percent: u32,
    ) -> Self {
        let index: HashMap<&str, usize> = rows
            .goals
            .iter()
            .enumerate()
            .map(|(i, g)| (g.goal_id.as_str(), i))
            .collect();
        let n = rows.goals.len();
        // Each goal's parent, and from it, in one pass linear in the goals however deep
        // the chain (no walk up from every goal, no recursion): whether it is in a
        // parent_id cycle (the importer refuses those; another tool's snapshot may hold
        // one), the unit it belongs to and the root of its tree. A goal of a cycle is taken
        // as a root: `up` is its parent for every other goal, and the chain up from a goal
        // by `up` always ends.
        let parent: Vec<Option<usize>> = rows
            .goals
            .iter()
            .map(|g| g.parent_id.as_deref().and_then(|p| index.get(p).copied()))
            .collect();
        let mut up: Vec<Option<usize>> = parent.clone();
        let mut goal_unit: Vec<Option<&str>> = vec![None; n];
        let mut root: Vec<usize> = (0..n).collect();
        {
            const NEW: u8 = 0;
            const ON_PATH: u8 = 1;
            const DONE: u8 = 2;
            let mut state = vec![NEW; n];
            let mut path: Vec<usize> = Vec::new();
            for start in 0..n {
                path.clear();
                let mut at = start;
                while state[at] == NEW {
                    state[at] = ON_PATH;
                    path.push(at);
                    match parent[at] {
                        Some(p) => at = p,
                        None => break,
                    }
                }
                if state[at] == ON_PATH {
                    // The walk came back onto itself: `at` and the goals after it on the
                    // path are the cycle.
                    let from = path.iter().rposition(|&g| g == at).unwrap_or(0);
                    if parent[at].is_some() && path.len() > from {
                        for &g in &path[from..] {
                            up[g] = None;
                        }
                    }
                }
                // Top down: a goal's parent is done before it.
                for &g in path.iter().rev() {
                    let own = rows.goals[g].unit_id.as_deref();
                    match up[g] {
                        Some(p) => {
                            goal_unit[g] = own.or(goal_unit[p]);
                            root[g] = root[p];
                        }
                        None => goal_unit[g] = own,
                    }
                    state[g] = DONE;
                }
            }
        }
        let ind_goal = |ind: &Indicator| ind.goal_id.as_deref().and_then(|g| index.get(g).copied());
        let ind_units: Vec<Option<&str>> = rows
            .indicators
            .iter()
            .map(|ind| {
                ind.unit_id
                    .as_deref()
                    .or_else(|| ind_goal(ind).and_then(|g| goal_unit[g]))
            })
            .collect();
        let of_unit = |u: Option<&str>| unit_id.is_none() || u == unit_id;
        let unit_indicators: Vec<(&Indicator, Option<&str>)> = rows
            .indicators
            .iter()
            .zip(ind_units.iter().copied())
            .filter(|(_, u)| of_unit(*u))
            .collect();
        let mut years: Vec<i32> = unit_indicators.iter().map(|(i, _)| i.year).collect();
        years.sort_unstable();
        years.dedup();
        let this_year = chrono::Datelike::year(&today);
        let year = year.unwrap_or_else(|| {
            if years.contains(&this_year) {
                this_year
            } else {
                years.last().copied().unwrap_or(this_year)
            }
        });

        // Goals in the unit's view: its own and every ancestor of its goals and indicators.
        // A goal marked has its whole chain marked: a walk stops at the first one.
        let mut member = vec![false; n];
        let mut mark = |start: usize| {
            let mut at = Some(start);
            while let Some(g) = at.filter(|&g| !member[g]) {
                member[g] = true;
                at = up[g];
            }
        };
        for (g, unit) in goal_unit.iter().enumerate() {
            if unit_id.is_none() || *unit == unit_id {
                mark(g);
            }
        }
        for (ind, _) in &unit_indicators {
            if let Some(g) = ind_goal(ind) {
                mark(g);
            }
        }
        // Which trees belong to the year: their root is the top of the chain.
        let root_of = |g: usize| root[g];
        let mut any_year: HashSet<usize> = HashSet::new();
        let mut this: HashSet<usize> = HashSet::new();
        for (ind, _) in &unit_indicators {
            if let Some(g) = ind_goal(ind) {
                any_year.insert(root_of(g));
                if ind.year == year {
                    this.insert(root_of(g));
                }
            }
        }
        let shown = |g: usize| {
            let r = root_of(g);
            member[g] && (this.contains(&r) || !any_year.contains(&r))
        };

        // Depth-first, children in the producer's order. A goal whose parent is missing
        // is a root; so is every goal of a parent_id cycle (the importer refuses those).
        let mut children: Vec<Vec<usize>> = vec![Vec::new(); n];
        let mut top = Vec::new();
        for g in (0..n).filter(|g| shown(*g)) {
            match up[g].filter(|p| shown(*p)) {
                Some(p) => children[p].push(g),
                None => top.push(g),
            }
        }
        let mut nodes: Vec<Node> = Vec::new();
        let mut node_of: Vec<Option<usize>> = vec![None; n];
        let mut stack: Vec<(usize, usize, Option<usize>)> =
            top.iter().rev().map(|g| (*g, 0, None)).collect();
        while let Some((g, depth, up)) = stack.pop() {
            if node_of[g].is_some() {
                continue;
            }
            let goal = rows.goals[g].clone();
            let past_end = goal.level == GoalLevel::Aktivitet
                && goal.end.is_some_and(|e| e < today)
                && goal.assessment != Some(Assessment::Helt);
            let at = nodes.len();
            node_of[g] = Some(at);
            if let Some(p) = up {
                nodes[p].children.push(at);
            }
            nodes.push(Node {
                goal,
                depth,
                parent: up,
                children: Vec::new(),
                indicators: Vec::new(),
                unit_id: goal_unit[g].map(str::to_owned),
                past_end,
            });
            stack.extend(children[g].iter().rev().map(|c| (*c, depth + 1, Some(at))));
        }
        let roots = nodes
            .iter()
            .enumerate()
            .filter(|(_, n)| n.parent.is_none())
            .map(|(i, _)| i)
            .collect();

        let mut values: HashMap<&str, Vec<&IndicatorValue>> = HashMap::new();
        for v in &rows.values {
            values.entry(v.indicator_id.as_str()).or_default().push(v);
        }
        let no_values = Vec::new();
        let values_of = |id: &str| values.get(id).unwrap_or(&no_values);
        // The full-year value of the year before of the first row of that year with a
        // name and unit that has one: looked up, not searched for per indicator.
        let mut year_before: HashMap<(&str, Option<&str>), f64> = HashMap::new();
        for o in rows.indicators.iter().filter(|o| o.year == year - 1) {
            let key = (o.name.as_str(), o.unit_id.as_deref());
            if !year_before.contains_key(&key)
                && let Some(v) = full_year(values_of(&o.indicator_id).iter().copied(), year - 1)
            {
                year_before.insert(key, v.value);
            }
        }
        let previous = |ind: &Indicator| -> Option<f64> {
            full_year(values_of(&ind.indicator_id).iter().copied(), year - 1)
                .map(|v| v.value)
                .or_else(|| {
                    year_before
                        .get(&(ind.name.as_str(), ind.unit_id.as_deref()))
                        .copied()
                })
        };
        let assess = |ind: &Indicator, unit: Option<&str>| -> Assessed {
            let chosen = latest(values_of(&ind.indicator_id).iter().copied(), year);
            let prev = previous(ind);
            let verdict = judge(
                ind,
                chosen.map(|(v, p)| (v.value, p)),
                prev,
                year,
                tolerance_percent,
            );
            Assessed {
                indicator: ind.clone(),
                unit_id: unit.map(str::to_owned),
                node: ind_goal(ind).and_then(|g| node_of[g]),
                period: chosen.map(|(v, _)| v.period.clone()),
                value: chosen.map(|(v, _)| v.value),
                comment: chosen.and_then(|(v, _)| v.comment.clone()),
                previous: prev,
                status: verdict.status,
                tolerance: verdict.tolerance,
                explanation: verdict.explanation,
                since: None,
            }
        };
        let mut judged: Vec<Assessed> = unit_indicators
            .iter()
            .filter(|(i, _)| i.year == year)
            .map(|(i, u)| assess(i, *u))
            .collect();
        // Tree order: by the node's position, producer order within a node, loose last.
        judged.sort_by_key(|a| a.node.unwrap_or(usize::MAX));
        let mut loose = Vec::new();
        for (i, a) in judged.iter().enumerate() {
            match a.node {
                Some(n) => nodes[n].indicators.push(i),
                None => loose.push(i),
            }
        }
        // Nodes are in depth-first order, parents before children: from the last to the
        // first, each node's counts are complete when added to its parent's.
        let mut summaries = vec![Summary::default(); nodes.len()];
        for (at, node) in nodes.iter().enumerate().rev() {
            let mut own = summaries[at];
            own.add_goal(node);
            for &i in &node.indicators {
                own.statuses[judged[i].status.index()] += 1;
            }
            summaries[at] = own;
            if let Some(p) = node.parent {
                summaries[p].add(&own);
            }
        }
        let mut overview = Self {
            year,
            years,
            today,
            unit_id: unit_id.map(str::to_owned),
            tolerance_percent,
            nodes,
            roots,
            indicators: judged,
            loose,
            summaries,
            rows,
        };
        for i in 0..overview.indicators.len() {
            overview.indicators[i].since = overview.since(i);
        }
        overview
    }

    /// The value before indicator `i`'s counted one in its series, of the same kind of
    /// period (a full year against the year before, a tertial against the tertial before).
    fn since(&self, i: usize) -> Option<Since> {
        let a = &self.indicators[i];
        let value = a.value?;
        let now = Period::parse(a.period.as_deref()?)?;
        let same_kind =
            |p: &Period| std::mem::discriminant(&p.span) == std::mem::discriminant(&now.span);
        let before = self.series(i).into_iter().rev().find(|p| {
            p.parsed
                .is_some_and(|q| same_kind(&q) && q.order_key() < now.order_key())
        })?;
        Some(Since {
            movement: movement(a.indicator.direction, before.value, value),
            period: before.period,
            value: before.value,
        })
    }

    /// The same unit for another year.
    #[must_use]
    pub fn for_year(&self, year: i32) -> Self {
        Self::compute(
            self.rows.clone(),
            self.unit_id.as_deref(),
            Some(year),
            self.today,
            self.tolerance_percent,
        )
    }

    /// Node `node` and every node below it, depth first.
    #[must_use]
    pub fn subtree(&self, node: usize) -> Vec<usize> {
        let mut out = Vec::new();
        let mut stack = vec![node];
        while let Some(n) = stack.pop() {
            out.push(n);
            stack.extend(self.nodes[n].children.iter().rev());
        }
        out
    }

    /// The counts of a goal and everything below it (added up when the view was computed).
    #[must_use]
    pub fn goal_summary(&self, node: usize) -> Summary {
        self.summaries.get(node).copied().unwrap_or_default()
    }

    /// The counts of the whole view.
    #[must_use]
    pub fn summary(&self) -> Summary {
        let mut s = Summary::default();
        self.nodes.iter().for_each(|n| s.add_goal(n));
        for a in &self.indicators {
            s.statuses[a.status.index()] += 1;
        }
        s
    }

    /// The counts per unit (by the unit each goal and indicator belongs to), in order of
    /// first appearance; `None` holds what belongs to no unit.
    #[must_use]
    pub fn unit_summaries(&self) -> Vec<(Option<String>, Summary)> {
        let mut out: Vec<(Option<String>, Summary)> = Vec::new();
        let mut slot = |unit: &Option<String>| -> usize {
            out.iter().position(|(u, _)| u == unit).unwrap_or_else(|| {
                out.push((unit.clone(), Summary::default()));
                out.len() - 1
            })
        };
        let mut adds: Vec<(usize, Option<&Node>, Option<Status>)> = Vec::new();
        for n in &self.nodes {
            adds.push((slot(&n.unit_id), Some(n), None));
        }
        for a in &self.indicators {
            adds.push((slot(&a.unit_id), None, Some(a.status)));
        }
        for (i, node, status) in adds {
            if let Some(n) = node {
                out[i].1.add_goal(n);
            }
            if let Some(st) = status {
                out[i].1.statuses[st.index()] += 1;
            }
        }
        out
    }

    /// Every value of the indicator `indicators[i]` across the snapshot's years: its own,
    /// and those of the rows of other years with the same name and unit. Ordered by when
    /// the period ends; periods that do not parse last, as written.
    #[must_use]
    pub fn series(&self, i: usize) -> Vec<Point> {
        let Some(a) = self.indicators.get(i) else {
            return Vec::new();
        };
        let ind = &a.indicator;
        let same: HashSet<&str> = self
            .rows
            .indicators
            .iter()
            .filter(|o| o.year != ind.year && o.name == ind.name && o.unit_id == ind.unit_id)
            .map(|o| o.indicator_id.as_str())
            .collect();
        let mut points: Vec<Point> = Vec::new();
        let own = self
            .rows
            .values
            .iter()
            .filter(|v| v.indicator_id == ind.indicator_id);
        let others = self
            .rows
            .values
            .iter()
            .filter(|v| same.contains(v.indicator_id.as_str()));
        for v in own.chain(others) {
            let parsed = Period::parse(&v.period);
            let key = v.period.trim().to_uppercase();
            if points.iter().any(|p| p.period.trim().to_uppercase() == key) {
                continue;
            }
            points.push(Point {
                period: v.period.clone(),
                parsed,
                value: v.value,
                comment: v.comment.clone(),
            });
        }
        points.sort_by(|x, y| match (x.parsed, y.parsed) {
            (Some(a), Some(b)) => a.order_key().cmp(&b.order_key()),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => x.period.cmp(&y.period),
        });
        points
    }
}

/// How many levels of the tree are indented: a målkedja has five links, and a chain
/// thousands deep (another tool's snapshot) would otherwise print lines of thousands of
/// spaces, the report's size growing with the square of the depth. Deeper goals are
/// indented as this level.
pub const INDENT_LEVELS: usize = 16;

/// The indentation level of a goal at `depth`.
#[must_use]
pub fn indent_level(depth: usize) -> usize {
    depth.min(INDENT_LEVELS)
}

/// The links of the målkedja as the seeds name them.
#[must_use]
pub const fn level_label(level: GoalLevel) -> &'static str {
    match level {
        GoalLevel::Inriktningsmal => "KF:s inriktningsmål",
        GoalLevel::Verksamhetsmal => "KF:s mål för verksamhetsområdet",
        GoalLevel::Namndmal => "Nämndmål",
        GoalLevel::Atagande => "Åtagande",
        GoalLevel::Aktivitet => "Aktivitet",
    }
}

/// Which way an indicator is better, as the screen says it.
#[must_use]
pub const fn direction_label(d: crate::model::Direction) -> &'static str {
    match d {
        crate::model::Direction::Higher => "högre är bättre",
        crate::model::Direction::Lower => "lägre är bättre",
    }
}

/// `goals.assessment` as the seeds write it.
#[must_use]
pub const fn assessment_label(a: Assessment) -> &'static str {
    match a {
        Assessment::Helt => "Uppfylls helt",
        Assessment::Delvis => "Uppfylls delvis",
        Assessment::Ej => "Uppfylls ej",
    }
}
