//! The city's districts and their units, scaled from the unit demo's two units.
//!
//! Each of Stockholm's fourteen stadsdelsnämnder gets three units: funktionsnedsättning and
//! socialpsykiatri (the two halves of [`super::super::unit_fn`]'s Beställarenheten) and
//! äldreomsorg ([`super::super::aldre`]). Every figure of the template unit — caseload per
//! insats on the three report dates, open cases and handläggare per team, ej verkställda
//! beslut — is multiplied by the district's size for that area, and each insats a little
//! more or less (±6 %), so no two districts look alike. A team that would grow past nine
//! handläggare is split into numbered arbetsgrupper, as a large unit is organised, which
//! also keeps every team's caseload as the unit demo's (about fifty open cases each).
//!
//! The generator ([`super::super::plan`], [`super::super::history`]) takes `'static` specs,
//! as the unit demo's are constants. The city's are computed once per process and kept for
//! its lifetime (a few kilobytes), not once per build.

use std::sync::OnceLock;

use crate::demo::rng::Rng;
use crate::demo::spec::{InsatsSpec, TeamSpec, UnitSpec};
use crate::demo::{aldre, unit_fn};

/// A stadsdelsnämnd and the size of its three units, in per mille of the template unit's
/// figures: funktionsnedsättning and socialpsykiatri of Hägersten-Liljeholmen (seed 001),
/// äldreomsorg of the Östermalm unit (after seed 004, a unit much smaller than a district's).
#[derive(Debug)]
pub(crate) struct District {
    pub name: &'static str,
    /// Prefix of the district's unit ids (`RK-FN`) and case ids (`RKF-2014-00001`).
    pub code: &'static str,
    pub scale: [u32; 3],
}

/// The fourteen districts (2014). The sizes follow each district's population and its
/// age: many elderly in Bromma, Östermalm, Hässelby-Vällingby and Södermalm, fewer in
/// Rinkeby-Kista, Spånga-Tensta and Skärholmen, where the other two areas weigh more.
pub(crate) const DISTRICTS: [District; 14] = [
    District {
        name: "Rinkeby-Kista",
        code: "RK",
        scale: [1300, 1700, 2600],
    },
    District {
        name: "Spånga-Tensta",
        code: "ST",
        scale: [1000, 1400, 2400],
    },
    District {
        name: "Hässelby-Vällingby",
        code: "HV",
        scale: [1300, 1300, 5600],
    },
    District {
        name: "Bromma",
        code: "BR",
        scale: [1100, 1000, 6200],
    },
    District {
        name: "Kungsholmen",
        code: "KU",
        scale: [1000, 1300, 4800],
    },
    District {
        name: "Norrmalm",
        code: "NO",
        scale: [900, 1500, 4700],
    },
    District {
        name: "Östermalm",
        code: "OM",
        scale: [900, 1100, 5900],
    },
    District {
        name: "Södermalm",
        code: "SO",
        scale: [1600, 2200, 6300],
    },
    District {
        name: "Enskede-Årsta-Vantör",
        code: "EAV",
        scale: [1600, 1700, 5800],
    },
    District {
        name: "Skarpnäck",
        code: "SK",
        scale: [1000, 1200, 3200],
    },
    District {
        name: "Farsta",
        code: "FA",
        scale: [1200, 1300, 5000],
    },
    District {
        name: "Älvsjö",
        code: "AL",
        scale: [700, 700, 2500],
    },
    District {
        name: "Hägersten-Liljeholmen",
        code: "HL",
        scale: [1000, 1000, 4600],
    },
    District {
        name: "Skärholmen",
        code: "SH",
        scale: [1000, 1200, 2400],
    },
];

/// Which of a district's three units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Area {
    Funktionsnedsattning,
    Socialpsykiatri,
    Aldreomsorg,
}

/// A district's unit of one area, cut out of a template unit.
struct Part {
    area: Area,
    template: &'static UnitSpec,
    /// The template's teams this unit takes (and with them the insats types they use).
    teams: &'static [usize],
    name: &'static str,
    area_name: &'static str,
    /// Unit id suffix and case-prefix letter.
    suffix: &'static str,
    letter: char,
    /// Ej verkställda beslut of a unit at scale 1000.
    ej_verkstallda: u32,
}

const PARTS: [Part; 3] = [
    Part {
        area: Area::Funktionsnedsattning,
        template: &unit_fn::UNIT,
        teams: &[1, 2],
        name: "Beställarenheten funktionsnedsättning",
        area_name: "Funktionsnedsättning",
        suffix: "FN",
        letter: 'F',
        ej_verkstallda: 3,
    },
    Part {
        area: Area::Socialpsykiatri,
        template: &unit_fn::UNIT,
        teams: &[0],
        name: "Beställarenheten socialpsykiatri",
        area_name: "Socialpsykiatri",
        suffix: "SP",
        letter: 'S',
        ej_verkstallda: 2,
    },
    Part {
        area: Area::Aldreomsorg,
        template: &aldre::UNIT,
        teams: &[0, 1, 2],
        name: "Enheten för biståndsbedömning äldreomsorg",
        area_name: "Äldreomsorg",
        suffix: "AO",
        letter: 'A',
        ej_verkstallda: 4,
    },
];

/// The most handläggare in one arbetsgrupp before it is split.
const MAX_TEAM_WORKERS: u32 = 9;

/// A district with its three units' specs.
#[derive(Debug)]
pub(crate) struct DistrictUnits {
    pub district: &'static District,
    pub units: [(Area, UnitSpec); 3],
}

/// Every district's units, computed on first use.
pub(crate) fn all() -> &'static [DistrictUnits] {
    static ALL: OnceLock<Vec<DistrictUnits>> = OnceLock::new();
    ALL.get_or_init(|| {
        DISTRICTS
            .iter()
            .enumerate()
            .map(|(d, district)| DistrictUnits {
                district,
                units: [0, 1, 2].map(|p| (PARTS[p].area, unit(d, district, &PARTS[p]))),
            })
            .collect()
    })
}

fn leak(text: String) -> &'static str {
    text.leak()
}

/// `n` × `permille` / 1000, rounded.
fn scale(n: u32, permille: u64) -> u32 {
    u32::try_from((u64::from(n) * permille + 500) / 1000).unwrap_or(u32::MAX)
}

/// Shares `n` into `parts` near-equal parts that add up to `n`.
fn share(n: u32, parts: u32, k: u32) -> u32 {
    let upto = |k: u32| (u64::from(n) * u64::from(k) / u64::from(parts.max(1))) as u32;
    upto(k + 1) - upto(k)
}

fn unit(d: usize, district: &'static District, part: &Part) -> UnitSpec {
    let template = part.template;
    let permille = u64::from(district.scale[part.area as usize]);
    let seed = template.seed ^ ((d as u64 + 1) << 40) ^ ((part.area as u64 + 1) << 32);
    let mut rng = Rng::new(seed ^ 0x4349_5459);

    // Teams: the template's, scaled, split into arbetsgrupper of at most nine.
    let mut teams: Vec<TeamSpec> = Vec::new();
    // For each template team, the indices of its copies in `teams`.
    let mut copies_of: Vec<(usize, Vec<usize>)> = Vec::new();
    for &t in part.teams {
        let tt = &template.teams[t];
        let workers = scale(tt.workers, permille).max(1);
        let copies = workers.div_ceil(MAX_TEAM_WORKERS);
        let open = tt.open.map(|n| scale(n, permille));
        let mut indices = Vec::new();
        for k in 0..copies {
            indices.push(teams.len());
            let open = open.map(|n| share(n, copies, k));
            // The template's caseload per handläggare, whatever the rounding of the split.
            let workers = u32::try_from(
                (u64::from(open[0]) * u64::from(tt.workers) + u64::from(tt.open[0]) / 2)
                    / u64::from(tt.open[0].max(1)),
            )
            .unwrap_or(1)
            .max(1);
            teams.push(TeamSpec {
                name: if copies == 1 {
                    tt.name
                } else {
                    leak(format!("{} {}", tt.name, k + 1))
                },
                ages: tt.ages,
                open,
                workers,
                attach: tt.attach,
                followups: tt.followups,
            });
        }
        copies_of.push((t, indices));
    }

    // Insats types of those teams, with the district's counts and the teams' shares spread
    // over their arbetsgrupper.
    let mut insats: Vec<InsatsSpec> = Vec::new();
    for ins in template.insats {
        let in_part = ins
            .teams
            .iter()
            .all(|(t, share)| *share == 0 || part.teams.contains(t));
        if !in_part {
            continue;
        }
        let jitter = permille * rng.range(940, 1060) as u64 / 1000;
        let mut shares: Vec<(usize, u32)> = Vec::new();
        for &(t, permille_of_team) in ins.teams {
            let Some((_, indices)) = copies_of.iter().find(|(tt, _)| *tt == t) else {
                continue;
            };
            let n = indices.len() as u32;
            for (k, &i) in indices.iter().enumerate() {
                shares.push((i, share(permille_of_team, n, k as u32)));
            }
        }
        let providers: Vec<&'static str> = ins
            .providers
            .iter()
            .map(|p| {
                if p.contains(template.district) {
                    leak(p.replace(template.district, district.name))
                } else {
                    *p
                }
            })
            .collect();
        insats.push(InsatsSpec {
            code: ins.code,
            name: ins.name,
            area: ins.area,
            law: ins.law,
            target_days: ins.target_days,
            counts: ins.counts.map(|n| scale(n, jitter)),
            teams: shares.leak(),
            churn: ins.churn,
            between: ins.between,
            limit_months: limit_months(ins),
            short: ins.short,
            providers: providers.leak(),
        });
    }

    UnitSpec {
        id: leak(format!("{}-{}", district.code, part.suffix)),
        case_prefix: leak(format!("{}{}", district.code, part.letter)),
        name: leak(format!("{} {}", part.name, district.name)),
        district: district.name,
        area: part.area_name,
        first_worker: 10_000 + 1000 * d as u32 + 300 * part.area as u32 + 1,
        teams: teams.leak(),
        insats: insats.leak(),
        ej_verkstallda: scale(part.ej_verkstallda, permille).max(1),
        seed,
    }
}

/// How long the city's decisions of an insats run before they are renewed: hemtjänst,
/// matdistribution and dagverksamhet are decided for six months or a year at a time (a
/// large city reviews its biggest insats often); the rest as in the unit demo.
fn limit_months(ins: &InsatsSpec) -> &'static [u32] {
    match ins.code {
        "AO_HEMTJ" => &[6, 6, 12],
        "AO_MAT" | "AO_DAGV" => &[6, 12],
        "FN_HEMTJ" => &[12],
        _ => ins.limit_months,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_add_up() {
        for n in [0, 1, 7, 470, 1000] {
            for parts in 1..6 {
                assert_eq!((0..parts).map(|k| share(n, parts, k)).sum::<u32>(), n);
            }
        }
    }

    #[test]
    fn every_unit_has_its_area_s_insats_and_small_teams() {
        for d in all() {
            for (area, unit) in &d.units {
                assert!(!unit.insats.is_empty(), "{}", unit.id);
                for ins in unit.insats {
                    assert_eq!(
                        ins.teams.iter().map(|t| t.1).sum::<u32>(),
                        1000,
                        "{} {}",
                        unit.id,
                        ins.code
                    );
                    let prefix = match area {
                        Area::Funktionsnedsattning => "FN_",
                        Area::Socialpsykiatri => "SP_",
                        Area::Aldreomsorg => "AO_",
                    };
                    assert!(ins.code.starts_with(prefix), "{} {}", unit.id, ins.code);
                }
                assert!(unit.teams.iter().all(|t| t.workers <= MAX_TEAM_WORKERS));
            }
        }
    }
}
