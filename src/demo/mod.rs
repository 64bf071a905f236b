//! The demo data: a synthetic snapshot whose totals are the seed documents' own.
//!
//! `bevaka demo`, and the dashboard when no snapshot is configured, show this data, so a
//! user who knows the annual report of Beställarenheten funktionsnedsättning (seed 001)
//! recognises its figures, and the bevakningslista always looks current: every date is
//! placed relative to `as_of`. The people are invented; nothing here is a real case.
//!
//! How the figures come out exact: `plan` decides, before any date is drawn, which of
//! the three report dates every insats episode and every case covers, so that the
//! caseload per insats and the open cases per team are right by construction, for every
//! `as_of`; `history` then draws dates inside those windows, which cannot move a count.
//! The random numbers come from the fixed `rng` stream, so the same `as_of` gives the
//! same rows byte for byte.

mod aldre;
mod chain;
pub mod city;
mod goals;
mod history;
mod names;
mod plan;
mod rng;
mod rows;
mod spec;
mod unit_fn;
mod v2;
mod waiting;

use chrono::{Datelike, NaiveDate};

use crate::model::{Dataset, InsatsType, Unit};
use history::{Dates, Gen};
use rng::Rng;
use spec::UnitSpec;

/// The two demo units, in the order their rows (and insats types) are written.
const UNITS: [&UnitSpec; 2] = [&unit_fn::UNIT, &aldre::UNIT];

/// Builds the demo dataset whose totals are the seeds' figures on `as_of`, one and two years before.
#[must_use]
pub fn build(as_of: NaiveDate) -> Dataset {
    let dates = Dates::new(as_of);
    let mut data = Dataset::default();
    for unit in UNITS {
        data.units.push(Unit {
            unit_id: unit.id.to_owned(),
            name: unit.name.to_owned(),
            district: Some(unit.district.to_owned()),
            area: Some(unit.area.to_owned()),
        });
        // The caseload screens list insats types in rowid order: the document's table
        // order, unit by unit.
        data.insats_types
            .extend(unit.insats.iter().map(|ins| InsatsType {
                insats_code: ins.code.to_owned(),
                name: ins.name.to_owned(),
                area: ins.area.to_owned(),
                law: ins.law.map(str::to_owned),
                target_days: ins.target_days,
            }));
    }
    let mut logins = v2::Logins::default();
    for unit in UNITS {
        unit_rows(unit, &dates, &mut data, &mut logins, |_, _| {});
    }
    goals::unit_fn(&mut data, unit_fn::UNIT.id, as_of.year());
    aldre::goals(&mut data, aldre::UNIT.id, as_of.year());
    data
}

/// Generates one unit's handläggare, cases, applications, interventions, avbrott and
/// bevakningar and appends them to `data`. `more` may add rows to each drawn case before
/// ids are given (the city demo's extra history); the unit demo adds nothing. `logins`
/// holds the logins of the snapshot's handläggare so far: each is given once.
pub(crate) fn unit_rows(
    unit: &UnitSpec,
    dates: &Dates,
    data: &mut Dataset,
    logins: &mut v2::Logins,
    mut more: impl FnMut(&mut Gen<'_>, &mut history::CaseBuild),
) {
    // Separate streams: the structure must not depend on how many numbers the dates
    // of another part happened to draw.
    let mut root = Rng::new(unit.seed);
    let mut structure = root.fork(1);
    let history = root.fork(2);
    let mut people = root.fork(3);
    // Version 2's values come last, from a stream of their own: the rows above, and so
    // every figure they reproduce, are the same as before version 2.
    let extra = root.fork(4);

    let plans = plan::plan_unit(unit, &mut structure);
    let workers = rows::workers(unit, &mut people);
    let mut generator = Gen {
        spec: unit,
        dates,
        rng: history,
    };
    let mut cases: Vec<_> = plans.iter().map(|p| generator.case(p)).collect();
    generator.ej_verkstallda(&mut cases);
    for case in &mut cases {
        generator.refused_history(case);
        more(&mut generator, case);
        generator.followups(case);
    }
    let starts = v2::RowStarts::of(data);
    rows::emit(&mut generator, cases, &workers, data);
    data.case_workers.extend(workers);
    v2::add(unit, dates.as_of(), extra, data, starts, logins);
}
