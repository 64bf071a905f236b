//! From drawn cases to snapshot rows: handläggare, the few extra rows that make the
//! dashboard's lists interesting (ej verkställda beslut, refusals, bevakningar), client
//! labels, and the ids.

use std::collections::BTreeMap;

use chrono::Datelike;

use super::history::{CaseBuild, Follow, Gen, days, span_days};
use super::names;
use super::rng::Rng;
use super::spec::UnitSpec;
use crate::model::{Application, Case, CaseWorker, Dataset, Followup, Intervention};

impl Gen<'_> {
    /// Granted decisions that have waited more than three months for a start on `as_of`
    /// (ej verkställda beslut, reported to IVO every quarter): a few, in open cases.
    pub(crate) fn ej_verkstallda(&mut self, cases: &mut [CaseBuild]) {
        let as_of = self.dates.as_of();
        let mut order: Vec<usize> = (0..cases.len())
            .filter(|&i| cases[i].closed.is_none() && !cases[i].inters.is_empty())
            .collect();
        self.rng.shuffle(&mut order);
        let mut made = 0;
        for i in order {
            if made >= self.spec.ej_verkstallda {
                break;
            }
            let case = &mut cases[i];
            let free: Vec<usize> = self
                .spec
                .team_insats(case.team)
                .into_iter()
                .filter(|&k| !case.active(k, as_of) && !self.spec.insats[k].short)
                .collect();
            let Some(&insats) = self.rng.pick(&free) else {
                continue;
            };
            let decided = days(as_of, -self.rng.range(95, 260));
            let h = self.handl(self.spec.insats[insats].target_days);
            let received = days(decided, -h);
            if received < case.opened {
                continue;
            }
            self.granted_unstarted(case, insats, received, Some(decided));
            made += 1;
        }
    }

    /// Now and then an application that was refused or withdrawn, at any time of a case.
    pub(crate) fn refused_history(&mut self, case: &mut CaseBuild) {
        if !self.rng.chance(100) {
            return;
        }
        let as_of = self.dates.as_of();
        let upto = case.closed.map_or(days(as_of, -15), |c| days(c, -20));
        if span_days(case.opened, upto) < 15 {
            return;
        }
        let received = self.rng.date(case.opened, upto);
        let latest = case.closed.map_or(as_of, |c| days(c, -5));
        self.refusal(case, received, latest);
    }

    /// Bevakningar: some done in the past, and for open cases a few due around `as_of`
    /// (a few overdue by days or weeks, this week, this month, later).
    pub(crate) fn followups(&mut self, case: &mut CaseBuild) {
        let kinds = self.spec.teams[case.team].followups;
        if kinds.is_empty() {
            return;
        }
        let as_of = self.dates.as_of();
        let until = case.closed.map_or(as_of, |c| days(c, -1));
        let done_count = if self.rng.chance(450) {
            self.rng.range(1, 2)
        } else {
            0
        };
        for _ in 0..done_count {
            let (lo, hi) = (days(case.opened, 60), days(until, -5));
            if lo > hi {
                break;
            }
            let due = self.rng.date(lo, hi);
            let done = self
                .rng
                .date(days(due, -14).max(case.opened), days(due, 20).min(until));
            let Some(&(kind, note)) = self.rng.pick(kinds) else {
                break;
            };
            let with_worker = self.rng.chance(600);
            case.follows.push(Follow {
                kind,
                note,
                due,
                done: Some(done),
                with_worker,
            });
        }
        if case.closed.is_some() || !self.rng.chance(300) {
            return;
        }
        // Kept in order mostly: the few overdue are days or weeks late, now and then a
        // couple of months.
        let ahead = match self.rng.below(100) {
            0..4 => -self.rng.range(1, 30),
            4..6 => -self.rng.range(31, 90),
            6..10 => 0,
            10..30 => self.rng.range(1, 7),
            30..58 => self.rng.range(8, 30),
            _ => self.rng.range(31, 180),
        };
        let due = days(as_of, ahead).max(case.opened);
        let Some(&(kind, note)) = self.rng.pick(kinds) else {
            return;
        };
        let with_worker = self.rng.chance(600);
        case.follows.push(Follow {
            kind,
            note,
            due,
            done: None,
            with_worker,
        });
    }
}

/// The unit's handläggare, team by team: ids `H101`, `H102`, …
pub(crate) fn workers(spec: &UnitSpec, rng: &mut Rng) -> Vec<CaseWorker> {
    let total: u32 = spec.teams.iter().map(|t| t.workers).sum();
    let names = names::worker_names(total as usize, rng);
    let mut out = Vec::with_capacity(names.len());
    let mut names = names.into_iter();
    let mut number = spec.first_worker;
    for team in spec.teams {
        for _ in 0..team.workers {
            let Some(name) = names.next() else {
                break;
            };
            out.push(CaseWorker {
                worker_id: format!("H{number}"),
                name,
                unit_id: spec.id.to_owned(),
                team: Some(team.name.to_owned()),
                login: None,
            });
            number += 1;
        }
    }
    out
}

/// Gives ids and handläggare to the cases and appends their rows to `data`.
pub(crate) fn emit(
    g: &mut Gen<'_>,
    cases: Vec<CaseBuild>,
    workers: &[CaseWorker],
    data: &mut Dataset,
) {
    let spec = g.spec;
    let as_of = g.dates.as_of();
    // Open cases are shared out evenly within the team; closed ones had someone too,
    // except a few whose handläggare has left.
    let mut assigned: Vec<Option<String>> = vec![None; cases.len()];
    for (t, team) in spec.teams.iter().enumerate() {
        let mut ids: Vec<&str> = workers
            .iter()
            .filter(|w| w.team.as_deref() == Some(team.name))
            .map(|w| w.worker_id.as_str())
            .collect();
        g.rng.shuffle(&mut ids);
        let mut turn = 0;
        for (i, case) in cases.iter().enumerate().filter(|(_, c)| c.team == t) {
            assigned[i] = if case.closed.is_none() {
                turn += 1;
                ids.get(turn % ids.len().max(1)).map(|s| (*s).to_owned())
            } else if g.rng.chance(920) {
                g.rng.pick(&ids).map(|s| (*s).to_owned())
            } else {
                None
            };
        }
    }

    let mut order: Vec<usize> = (0..cases.len()).collect();
    order.sort_by_key(|&i| (cases[i].opened, i));
    let mut per_year: BTreeMap<i32, u32> = BTreeMap::new();
    for i in order {
        let case = &cases[i];
        let team = &spec.teams[case.team];
        let year = case.opened.year();
        let number = per_year.entry(year).or_insert(0);
        *number += 1;
        let case_id = format!("{}-{year}-{:05}", spec.case_prefix, *number);
        let worker = assigned[i].clone();

        // Age within the team's range on `as_of` (or when the case closed), and born
        // before the case opened.
        let reference = case.closed.unwrap_or(as_of).year();
        let (young, old) = team.ages;
        let mut age = g.rng.range(i64::from(young), i64::from(old));
        if young >= 65 {
            // Äldreomsorg: most clients are well over 80.
            age = age.max(g.rng.range(i64::from(young), i64::from(old)));
        }
        let birth = (reference - i32::try_from(age).unwrap_or(young)).min(year);
        let label = names::client_label(birth, &mut g.rng);

        data.cases.push(Case {
            case_id: case_id.clone(),
            unit_id: spec.id.to_owned(),
            team: Some(team.name.to_owned()),
            worker_id: worker.clone(),
            client_label: Some(label),
            opened: case.opened,
            closed: case.closed,
            sex: None,
        });

        let mut apps: Vec<usize> = (0..case.apps.len()).collect();
        apps.sort_by_key(|&a| (case.apps[a].received, a));
        let mut app_ids = vec![String::new(); case.apps.len()];
        for (n, &a) in apps.iter().enumerate() {
            let app = &case.apps[a];
            let id = format!("{case_id}/A{}", n + 1);
            app_ids[a] = id.clone();
            let with_worker = g.rng.chance(750);
            data.applications.push(Application {
                application_id: id,
                case_id: case_id.clone(),
                insats_code: spec.insats[app.insats].code.to_owned(),
                received: app.received,
                investigation_started: app.inv,
                decided: app.decided,
                outcome: app.outcome,
                worker_id: worker.clone().filter(|_| with_worker),
            });
        }

        let mut inters: Vec<usize> = (0..case.inters.len()).collect();
        inters.sort_by_key(|&k| {
            let r = &case.inters[k];
            (r.start.unwrap_or(r.decided), r.decided, k)
        });
        for (n, &k) in inters.iter().enumerate() {
            let r = &case.inters[k];
            data.interventions.push(Intervention {
                intervention_id: format!("{case_id}/I{}", n + 1),
                case_id: case_id.clone(),
                application_id: app_ids.get(r.app).cloned(),
                insats_code: spec.insats[r.insats].code.to_owned(),
                decided: Some(r.decided),
                start: r.start,
                end: r.end,
                provider: r.provider.map(str::to_owned),
                ordered: r.ordered,
                plan_received: r.plan,
                last_followup: r.followup,
                offered: None,
                delay_reason: None,
            });
        }

        let mut follows: Vec<&Follow> = case.follows.iter().collect();
        follows.sort_by_key(|f| f.due);
        for (n, f) in follows.into_iter().enumerate() {
            data.followups.push(Followup {
                followup_id: format!("{case_id}/B{}", n + 1),
                case_id: case_id.clone(),
                kind: f.kind.to_owned(),
                due: f.due,
                done: f.done,
                worker_id: worker.clone().filter(|_| f.with_worker),
                note: Some(f.note.to_owned()),
            });
        }
    }
}
