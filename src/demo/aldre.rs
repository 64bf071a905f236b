//! Unit 2: Enheten för biståndsbedömning äldreomsorg (after seed 004, Östermalm).
//!
//! 004 is a plan without figures, so the counts here are invented at the scale of such a
//! unit; its rules are the seed's: utredning within a week, beslut within 14 days for
//! support at home and within a month for vård- och omsorgsboende, every decision followed
//! up at least once a year. The unit's indicators are 004's own, with invented values by
//! tertial, so that the data has T1/T2 periods as well as full years.

use super::chain::{Chain, Ind, Period};
use super::spec::{Attach, Churn, InsatsSpec, TeamSpec, UnitSpec};
use crate::model::{Dataset, Direction, GoalLevel};

const ORDINART: usize = 0;
const VARDPLANERING: usize = 1;
const SARBO: usize = 2;

const AREA: &str = "Äldreomsorg";

const FOLLOWUPS: &[(&str, &str)] = &[
    (
        "Individuppföljning",
        "Årlig uppföljning av beslut om hemtjänst",
    ),
    (
        "Individuppföljning",
        "Följ upp genomförandeplanen med utföraren",
    ),
    ("SIP", "Kalla till SIP med husläkaren"),
    ("Omprövning", "Ompröva beslutet efter ändrat behov"),
];
const VP_FOLLOWUPS: &[(&str, &str)] = &[
    (
        "Vårdplanering",
        "Vårdplanering inför utskrivning från sjukhus",
    ),
    (
        "Individuppföljning",
        "Uppföljning efter hemgång från sjukhus",
    ),
    ("SIP", "Kalla till SIP med primärvården"),
];
const SABO_FOLLOWUPS: &[(&str, &str)] = &[
    (
        "Individuppföljning",
        "Årlig uppföljning på vård- och omsorgsboendet",
    ),
    (
        "Individuppföljning",
        "Följ upp utevistelse och måltidssituation",
    ),
];

pub(crate) const UNIT: UnitSpec = UnitSpec {
    id: "EBA",
    case_prefix: "EB",
    name: "Enheten för biståndsbedömning äldreomsorg",
    district: "Östermalm",
    area: AREA,
    first_worker: 201,
    teams: &[
        TeamSpec {
            name: "Ordinärt boende",
            ages: (65, 101),
            open: [470, 455],
            workers: 8,
            attach: &[
                Attach {
                    code: "AO_LARM",
                    permille: 850,
                    hosts: &["AO_HEMTJ"],
                },
                Attach {
                    code: "AO_MAT",
                    permille: 800,
                    hosts: &["AO_HEMTJ", "AO_LARM"],
                },
                Attach {
                    code: "AO_DAGV",
                    permille: 700,
                    hosts: &["AO_HEMTJ"],
                },
            ],
            followups: FOLLOWUPS,
        },
        TeamSpec {
            name: "Vårdplanering",
            ages: (67, 101),
            open: [76, 74],
            workers: 2,
            attach: &[
                Attach {
                    code: "AO_LARM",
                    permille: 800,
                    hosts: &["AO_HEMTJ"],
                },
                Attach {
                    code: "AO_MAT",
                    permille: 800,
                    hosts: &["AO_HEMTJ"],
                },
            ],
            followups: VP_FOLLOWUPS,
        },
        TeamSpec {
            name: "Särskilt boende",
            ages: (75, 103),
            open: [160, 164],
            workers: 3,
            attach: &[],
            followups: SABO_FOLLOWUPS,
        },
    ],
    insats: &[
        InsatsSpec {
            code: "AO_HEMTJ",
            name: "Hemtjänst",
            area: AREA,
            law: Some("SoL"),
            target_days: Some(14),
            counts: [412, 398, 377],
            teams: &[(ORDINART, 900), (VARDPLANERING, 100)],
            churn: Churn {
                stable: 550,
                ended: 500,
                started: 600,
            },
            between: 120,
            limit_months: &[],
            short: false,
            providers: &[
                "Hemtjänst Östermalm (egen regi)",
                "Hemtjänst Lärkan AB",
                "Omsorgsfullt Östermalm AB",
                "Hemtjänsten Vintergatan",
                "Seniorhjälpen Ekbacken AB",
            ],
        },
        InsatsSpec {
            code: "AO_VOBO",
            name: "Vård- och omsorgsboende",
            area: AREA,
            law: Some("SoL"),
            target_days: Some(30),
            counts: [151, 156, 149],
            teams: &[(SARBO, 1000)],
            churn: Churn {
                stable: 450,
                ended: 450,
                started: 550,
            },
            between: 100,
            limit_months: &[],
            short: false,
            providers: &[
                "Vård- och omsorgsboendet Lindgården",
                "Vård- och omsorgsboendet Solbacken",
                "Vård- och omsorgsboendet Ekhagen",
                "Vård- och omsorgsboendet Sjöbris",
            ],
        },
        InsatsSpec {
            code: "AO_KORTT",
            name: "Korttidsboende",
            area: AREA,
            law: Some("SoL"),
            target_days: Some(14),
            counts: [19, 23, 17],
            teams: &[(VARDPLANERING, 1000)],
            // Stays of a few weeks: never the same stay on two report dates.
            churn: Churn {
                stable: 0,
                ended: 0,
                started: 0,
            },
            between: 3000,
            limit_months: &[],
            short: true,
            providers: &["Korttidsboendet Strandvillan", "Korttidsboendet Vilan"],
        },
        InsatsSpec {
            code: "AO_DAGV",
            name: "Dagverksamhet",
            area: AREA,
            law: Some("SoL"),
            target_days: Some(14),
            counts: [34, 31, 29],
            teams: &[(ORDINART, 1000)],
            churn: Churn {
                stable: 500,
                ended: 500,
                started: 600,
            },
            between: 100,
            limit_months: &[12],
            short: false,
            providers: &["Dagverksamheten Kvarnen", "Dagverksamheten Linnean"],
        },
        InsatsSpec {
            code: "AO_LARM",
            name: "Trygghetslarm",
            area: AREA,
            law: Some("SoL"),
            // Granted on a simplified handling, without a handläggningstid goal.
            target_days: None,
            counts: [296, 287, 270],
            teams: &[(ORDINART, 920), (VARDPLANERING, 80)],
            churn: Churn {
                stable: 600,
                ended: 500,
                started: 600,
            },
            between: 60,
            limit_months: &[],
            short: false,
            providers: &["Trygghetsjouren (egen regi)", "Larmtjänst Väktaren AB"],
        },
        InsatsSpec {
            code: "AO_MAT",
            name: "Matdistribution",
            area: AREA,
            law: Some("SoL"),
            target_days: Some(14),
            counts: [88, 81, 79],
            teams: &[(ORDINART, 950), (VARDPLANERING, 50)],
            churn: Churn {
                stable: 500,
                ended: 500,
                started: 600,
            },
            between: 100,
            limit_months: &[],
            short: false,
            providers: &["Matlådan Östermalm AB", "Matdistribution (egen regi)"],
        },
    ],
    ej_verkstallda: 4,
    seed: 0x4245_5354_414F_0002,
};

const T1: Period = Period::Tertial(0, 1);
const T2: Period = Period::Tertial(0, 2);
const PREV: Period = Period::Year(-1);

const fn tertial(
    name: &'static str,
    direction: Direction,
    target: f64,
    city_target_text: Option<&'static str>,
    values: &'static [(Period, f64, Option<&'static str>)],
) -> Ind {
    Ind {
        name,
        measure: "%",
        direction,
        periodicity: "Tertial",
        target: Some(target),
        target_text: None,
        city_target: None,
        city_target_text,
        values,
    }
}

/// The unit's goal chain from 004 (the plan's year becomes Y) and its indicators.
pub(crate) fn goals(data: &mut Dataset, unit: &'static str, year: i32) {
    use GoalLevel::{Inriktningsmal, Namndmal, Verksamhetsmal};
    let mut c = Chain::new(data, unit, year);

    let im = c.goal(
        None,
        Inriktningsmal,
        Some("1"),
        "Ett Stockholm som håller samman",
        None,
    );
    let vm = c.goal(
        Some(&im),
        Verksamhetsmal,
        Some("1.7"),
        "Alla äldre har en trygg ålderdom och får en äldreomsorg av god kvalitet",
        None,
    );
    let nm = c.goal(
        Some(&vm),
        Namndmal,
        None,
        "Äldre är trygga och äldreomsorgen präglas av god kvalitet och delaktighet.",
        Some("Förväntat resultat: De äldre ska kunna känna trygghet inför ålderdomen. Andelen nöjda omsorgstagare ökar."),
    );
    let em = c.atagande(
        &nm,
        "Vi arbetar professionellt med en rättssäker handläggning",
        None,
        "Förväntat resultat: Den enskilde är delaktig, har inflytande och ges möjlighet till egna val vid ansökan om bistånd. Utredning inleds senast inom en vecka; beslut om stöd i hemmet fattas inom 14 dagar och om vård- och omsorgsboende inom en månad.",
    );
    c.indicator(
        &em,
        &tertial(
            "Andel utredningar som inleds inom en vecka efter ansökan",
            Direction::Higher,
            100.0,
            None,
            &[
                (PREV, 93.0, None),
                (T1, 95.0, None),
                (T2, 97.0, Some("Semesterperioden klarades med vikarier.")),
            ],
        ),
    );
    c.indicator(
        &em,
        &tertial(
            "Andel beslut om hemtjänst som fattas inom 14 dagar",
            Direction::Higher,
            90.0,
            None,
            &[
                (PREV, 84.0, None),
                (T1, 81.0, Some("Ökat inflöde under våren.")),
                (T2, 88.0, None),
            ],
        ),
    );
    for title in [
        "Biståndshandläggare inleder alltid utredning inom en vecka efter att ansökan eller anmälan inkommit till enheten",
        "Biståndshandläggaren skickar alltid hem utredning och beslut till enskild",
        "Enheten gör i år en revision samt en akt granskning i verksamhetssystemet Paraplyt",
        "Videokonferens vid vårdplanering inleds",
    ] {
        c.aktivitet(&nm, title, 0, 12, None);
    }

    let im = c.goal(
        None,
        Inriktningsmal,
        Some("4"),
        "Ett demokratiskt hållbart Stockholm",
        None,
    );
    let vm = c.goal(
        Some(&im),
        Verksamhetsmal,
        Some("4.2"),
        "Stockholms stad är en bra arbetsgivare med goda arbetsvillkor",
        None,
    );
    c.indicator(
        &vm,
        &Ind {
            name: "Index Psykosocial arbetsmiljö",
            measure: "index",
            direction: Direction::Higher,
            periodicity: "År",
            target: Some(78.0),
            target_text: None,
            city_target: None,
            city_target_text: Some("fastställs {Y}"),
            values: &[(PREV, 76.0, None)],
        },
    );
    c.indicator(
        &vm,
        &tertial(
            "Sjukfrånvaro",
            Direction::Lower,
            5.0,
            Some("tas fram av nämnden"),
            &[
                (PREV, 5.9, None),
                (T1, 6.2, Some("Flera långa sjukskrivningar under våren.")),
                (T2, 4.8, None),
            ],
        ),
    );
    c.indicator(
        &vm,
        &tertial(
            "Sjukfrånvaro dag 1-14",
            Direction::Lower,
            2.0,
            Some("tas fram av nämnden"),
            &[(PREV, 2.3, None), (T1, 2.6, None), (T2, 1.7, None)],
        ),
    );
    c.goal(
        Some(&vm),
        Namndmal,
        None,
        "Nämnden är en bra arbetsgivare",
        Some("Förväntat resultat: Medarbetarenkäten visar att personalen är motiverad och delaktig. Heltidsanställningar är norm och sjukfrånvaron fortsätter att minska."),
    );
    let vm = c.goal(
        Some(&im),
        Verksamhetsmal,
        Some("4.6"),
        "Stockholm är en tillgänglig stad för alla",
        None,
    );
    c.indicator(
        &vm,
        &Ind {
            name: "Andel personer som upplever att de varit delaktiga i upprättandet av genomförandeplaner",
            measure: "%",
            direction: Direction::Higher,
            periodicity: "År",
            target: Some(80.0),
            target_text: None,
            city_target: None,
            city_target_text: Some("Fastställs {Y}"),
            values: &[(PREV, 78.0, None)],
        },
    );
    let nm = c.goal(
        Some(&vm),
        Namndmal,
        None,
        "Verksamheterna präglas av öppenhet, delaktighet och ett gott bemötande",
        None,
    );
    c.atagande(
        &nm,
        "Alla utredningar handläggs på ett likvärdigt sätt.",
        None,
        "Förväntat resultat: De äldre erhåller en likvärdig bedömning utifrån sina individuella behov.",
    );
    let vm = c.goal(
        Some(&im),
        Verksamhetsmal,
        Some("4.8"),
        "Offentlig upphandling utvecklar staden i hållbar riktning",
        None,
    );
    c.indicator(
        &vm,
        &tertial(
            "Andel elektroniska inköp",
            Direction::Higher,
            90.0,
            Some("Tas fram av nämnden"),
            &[(PREV, 84.0, None), (T1, 88.0, None), (T2, 93.0, None)],
        ),
    );
    let nm = c.goal(
        Some(&vm),
        Namndmal,
        None,
        "Nämndens upphandlingar och inköp utvecklar staden i hållbar riktning",
        None,
    );
    c.atagande(
        &nm,
        "Vi har en hög avtalstrohet",
        None,
        "Förväntat resultat: Inga avsteg från gällande ramavtal.",
    );
}
