//! Unit 1: Beställarenheten funktionsnedsättning, Hägersten-Liljeholmen (seed 001).
//!
//! The caseload counts are the document's tables ("Insats funktionsnedsättning dec-14
//! dec-13 dec-12", "Insats socialpsykiatri …") and the team targets its "Ärendena fördelar
//! sig enligt följande" (268 / 156 / 476 in December 2014, 261 / 146 / 465 a year before).
//! Everything else (churn, team shares, providers, time limits) is invented to look like
//! such a unit's data.

use super::spec::{Attach, Churn, InsatsSpec, TeamSpec, UnitSpec};

const SP: usize = 0;
const BARN: usize = 1;
const VUXNA: usize = 2;

const AREA_FN: &str = "Funktionsnedsättning";
const AREA_SP: &str = "Socialpsykiatri";

/// Long-lasting LSS insatser: most people keep them for years.
const STABLE: Churn = Churn {
    stable: 820,
    ended: 500,
    started: 650,
};
/// Insatser that come and go more.
const MOVING: Churn = Churn {
    stable: 550,
    ended: 500,
    started: 600,
};
const SHORT_LIVED: Churn = Churn {
    stable: 450,
    ended: 450,
    started: 550,
};

const FN_FOLLOWUPS: &[(&str, &str)] = &[
    (
        "Individuell plan LSS §10",
        "Erbjud individuell plan enligt LSS §10",
    ),
    (
        "Individuell plan LSS §10",
        "Följ upp den individuella planen med den enskilde",
    ),
    ("DUR-uppföljning", "Följ upp mål och delmål enligt DUR"),
    ("SIP", "Kalla till SIP med habiliteringen"),
    ("Omprövning", "Ompröva beslutet inför ny period"),
];
const BARN_FOLLOWUPS: &[(&str, &str)] = &[
    (
        "Individuell plan LSS §10",
        "Erbjud individuell plan enligt LSS §10",
    ),
    ("SIP", "Kalla till SIP med skola och BUP"),
    ("DUR-uppföljning", "Följ upp mål och delmål enligt DUR"),
    ("Omprövning", "Ompröva avlösning inför nytt år"),
];
const SP_FOLLOWUPS: &[(&str, &str)] = &[
    ("SIP", "Kalla till SIP med psykiatrin"),
    ("DUR-uppföljning", "Följ upp mål och delmål enligt DUR"),
    ("DUR-uppföljning", "Uppföljning av funktionsförmåga"),
    ("Omprövning", "Ompröva tidsbegränsat beslut"),
];

pub(crate) const UNIT: UnitSpec = UnitSpec {
    id: "BFN",
    case_prefix: "BF",
    name: "Beställarenheten funktionsnedsättning",
    district: "Hägersten-Liljeholmen",
    area: AREA_FN,
    first_worker: 101,
    // 001: 18 socialsekreterare/biståndsbedömare; vuxna was reinforced in 2014.
    teams: &[
        TeamSpec {
            name: "Socialpsykiatri",
            ages: (19, 64),
            open: [268, 261],
            workers: 6,
            attach: &[Attach {
                code: "SP_SYSS",
                permille: 450,
                hosts: &["SP_BOSTOD", "SP_SARBO"],
            }],
            followups: SP_FOLLOWUPS,
        },
        TeamSpec {
            name: "Funktionsnedsättning barn/ungdom",
            ages: (1, 20),
            open: [156, 146],
            workers: 3,
            attach: &[
                Attach {
                    code: "FN_AVLOS",
                    permille: 150,
                    hosts: &["FN_ASSERS", "FN_PASS"],
                },
                Attach {
                    code: "FN_DAGLIG",
                    permille: 250,
                    hosts: &["FN_GRUPPBO", "FN_BOSTOD"],
                },
            ],
            followups: BARN_FOLLOWUPS,
        },
        TeamSpec {
            name: "Funktionsnedsättning vuxna",
            ages: (21, 64),
            open: [476, 465],
            workers: 9,
            attach: &[
                Attach {
                    code: "FN_DAGLIG",
                    permille: 480,
                    hosts: &[
                        "FN_GRUPPBO",
                        "FN_BOSTOD",
                        "FN_ASSERS",
                        "FN_PASS",
                        "FN_HEMTJ",
                    ],
                },
                Attach {
                    code: "FN_AVLOS",
                    permille: 500,
                    hosts: &["FN_ASSERS", "FN_PASS", "FN_HEMTJ"],
                },
                Attach {
                    code: "FN_BOSTOD",
                    permille: 250,
                    hosts: &["FN_HEMTJ"],
                },
            ],
            followups: FN_FOLLOWUPS,
        },
    ],
    insats: &[
        InsatsSpec {
            code: "FN_HEMTJ",
            name: "Hemtjänst",
            area: AREA_FN,
            law: Some("SoL"),
            target_days: Some(14),
            counts: [108, 118, 106],
            teams: &[(BARN, 100), (VUXNA, 900)],
            churn: MOVING,
            between: 80,
            limit_months: &[],
            short: false,
            providers: &[
                "Hemtjänst Hägersten-Liljeholmen (egen regi)",
                "Vardagshjälpen i Söder AB",
                "Trygga Händer Omsorg AB",
                "Lindens hemtjänst AB",
            ],
        },
        InsatsSpec {
            code: "FN_BOSTOD",
            name: "Boendestöd",
            area: AREA_FN,
            law: Some("SoL"),
            target_days: Some(30),
            counts: [70, 58, 43],
            teams: &[(BARN, 130), (VUXNA, 870)],
            churn: MOVING,
            between: 100,
            limit_months: &[6, 12],
            short: false,
            providers: &[
                "Boendestöd funktionsnedsättning (egen regi)",
                "Stegvis Boendestöd AB",
                "Vägvisaren stöd och service",
            ],
        },
        InsatsSpec {
            code: "FN_PASS",
            name: "Personlig assistans",
            area: AREA_FN,
            law: Some("LSS"),
            target_days: Some(30),
            counts: [11, 11, 10],
            teams: &[(BARN, 500), (VUXNA, 500)],
            churn: STABLE,
            between: 0,
            limit_months: &[],
            short: false,
            providers: &[
                "Personlig assistans (egen regi)",
                "Assistanskooperativet Medvind",
                "Assistansgruppen Fyren AB",
            ],
        },
        InsatsSpec {
            code: "FN_ASSERS",
            name: "Assistansersättning",
            area: AREA_FN,
            law: Some("LASS"),
            // Försäkringskassan decides; the unit has no handläggningstid goal of its own.
            target_days: None,
            counts: [82, 79, 69],
            teams: &[(BARN, 450), (VUXNA, 550)],
            churn: STABLE,
            between: 20,
            limit_months: &[],
            short: false,
            providers: &[
                "Assistanskooperativet Medvind",
                "Assistansgruppen Fyren AB",
                "Assistans Norrsken AB",
                "Personlig assistans (egen regi)",
            ],
        },
        InsatsSpec {
            code: "FN_GRUPPBO",
            name: "Grupp- och servicebostad",
            area: AREA_FN,
            law: Some("LSS"),
            target_days: Some(30),
            counts: [146, 138, 132],
            teams: &[(BARN, 110), (VUXNA, 890)],
            churn: STABLE,
            between: 20,
            limit_months: &[],
            short: false,
            providers: &[
                "Gruppbostaden Rönnbäret",
                "Gruppbostaden Vinbäret",
                "Servicebostaden Kastanjen",
                "Servicebostaden Lönnen",
                "Gruppbostaden Ekorren (extern placering)",
            ],
        },
        InsatsSpec {
            code: "FN_DAGLIG",
            name: "Daglig verksamhet",
            area: AREA_FN,
            law: Some("LSS"),
            target_days: Some(30),
            counts: [227, 215, 209],
            teams: &[(BARN, 110), (VUXNA, 890)],
            churn: STABLE,
            between: 30,
            limit_months: &[],
            short: false,
            providers: &[
                "Daglig verksamhet Verkstaden",
                "Daglig verksamhet Kaféet Solstrålen",
                "Daglig verksamhet Trädgården",
                "Arbetslaget Framsteg",
            ],
        },
        InsatsSpec {
            code: "FN_AVLOS",
            name: "Avlösning",
            area: AREA_FN,
            law: Some("LSS"),
            target_days: Some(30),
            counts: [38, 39, 33],
            teams: &[(BARN, 900), (VUXNA, 100)],
            churn: MOVING,
            between: 100,
            limit_months: &[12],
            short: false,
            providers: &["Avlösarservice (egen regi)", "Avlösning Vilan AB"],
        },
        InsatsSpec {
            code: "SP_HVB",
            name: "HVB-hem särskilt boende",
            area: AREA_SP,
            law: Some("SoL"),
            target_days: Some(30),
            counts: [25, 25, 29],
            teams: &[(SP, 1000)],
            churn: MOVING,
            between: 80,
            limit_months: &[6],
            short: false,
            providers: &[
                "HVB Skogsbrynet",
                "HVB Sjöängen",
                "Behandlingshemmet Åkerbo",
            ],
        },
        InsatsSpec {
            code: "SP_SARBO",
            name: "Särskilt boende egen regi",
            area: AREA_SP,
            law: Some("SoL"),
            target_days: Some(30),
            counts: [26, 24, 21],
            teams: &[(SP, 1000)],
            churn: STABLE,
            between: 40,
            limit_months: &[],
            short: false,
            providers: &[
                "Stödboendet Tallbacken (egen regi)",
                "Stödboendet Björken (egen regi)",
            ],
        },
        InsatsSpec {
            code: "SP_BOSTOD",
            name: "Boendestöd",
            area: AREA_SP,
            law: Some("SoL"),
            target_days: Some(30),
            counts: [161, 149, 157],
            teams: &[(SP, 1000)],
            churn: SHORT_LIVED,
            between: 100,
            limit_months: &[6, 12],
            short: false,
            providers: &[
                "Boendestöd socialpsykiatri (egen regi)",
                "Stödteamet Kompassen AB",
                "Boendestöd Vägskälet",
            ],
        },
        InsatsSpec {
            code: "SP_SYSS",
            name: "Sysselsättning",
            area: AREA_SP,
            law: Some("SoL"),
            target_days: Some(30),
            counts: [56, 58, 57],
            teams: &[(SP, 1000)],
            churn: MOVING,
            between: 80,
            limit_months: &[12],
            short: false,
            providers: &[
                "Sysselsättning Ateljén",
                "Träffpunkt Verkstan",
                "Arbetslaget Nystart",
            ],
        },
    ],
    ej_verkstallda: 5,
    seed: 0x4245_5354_4645_0001,
};
