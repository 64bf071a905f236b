//! The målkedja and indicators of unit 1, as they stand in its annual report (seed 001).
//!
//! The document's year 2014 becomes `as_of`'s year Y (2013 becomes Y−1, 2015 Y+1), in
//! dates, periods and text alike, so that the demo reads as this year's report. Names and
//! titles are the document's, typos included ("fungerade bostad", "ta hänsyn den
//! enskildes"); analyses are kept as comments, shortened. Empty cells stay empty.

use super::chain::{Chain, Ind, Period};
use crate::model::{Assessment, Dataset, Direction, GoalLevel};

const NAMNDEN: Option<&str> = Some("tas fram av nämnden");

/// A yearly percentage indicator of 001 with its utfall (Y), VB of the year before (Y−1),
/// årsmål and KF:s årsmål.
const fn pct(
    name: &'static str,
    target: Option<f64>,
    city_target: Option<f64>,
    city_target_text: Option<&'static str>,
    values: &'static [(Period, f64, Option<&'static str>)],
) -> Ind {
    Ind {
        name,
        measure: "%",
        direction: Direction::Higher,
        periodicity: "År",
        target,
        target_text: None,
        city_target,
        city_target_text,
        values,
    }
}

const PREV: Period = Period::Year(-1);
const NOW: Period = Period::Year(0);

const EKOLOGISKA: Ind = pct(
    "Andel ekologiska livsmedel i stadens egna verksamheter",
    Some(20.0),
    Some(20.0),
    None,
    &[(PREV, 20.58, None), (NOW, 27.38, None)],
);

const VALMOJLIGHET: Ind = pct(
    "Andel brukare som upplever att de har valmöjlighet inom omsorg om personer med funktionsnedsättning",
    Some(69.0),
    Some(69.0),
    None,
    &[
        (PREV, 59.0, None),
        (
            NOW,
            73.0,
            Some(
                "I stadens brukarundersökningar till personer med LSS-insatser ställs frågan \"vet du att du har möjlighet att välja verksamhet\". Under {Y} har 73 % av brukarna med insats från beställarenheten svarat ja på denna fråga, vilket är en markant ökning jämfört med {Y-1} då 59 % svarade ja.",
            ),
        ),
    ],
);

const GOOD_SERVICE: &[Ind] = &[
    pct(
        "Andel av utredningar inom IoF, socialpsykiatri där metoden DUR används",
        Some(90.0),
        None,
        None,
        &[(
            NOW,
            98.13,
            Some(
                "I 98 % av de utredningar som genomförts inom socialpsykiatrin har metoden DUR använts.",
            ),
        )],
    ),
    pct(
        "Andel enskilda som ökat sin funktionsförmåga inom socialpsykiatrin",
        Some(68.0),
        None,
        NAMNDEN,
        &[
            (PREV, 54.76, None),
            (
                NOW,
                55.45,
                Some(
                    "Totalt antal enskilda som handläggarna har registrerat minst en uppföljning av mål och delmål under {Y} är 110 personer. Av dessa beräknas 61 personer ha minskat sitt behov av stöd, vilket ger ett utfall för indikatorn på 55 %. Här kan resultatet förklaras av att vi satt för höga mål i samtalet med den enskilde.",
                ),
            ),
        ],
    ),
    pct(
        "Andel personer med insatser inom socialpsykiatrin som är nöjda med hur utredningen av deras behov av stöd genomfördes (IoF)",
        Some(80.0),
        Some(80.0),
        None,
        &[
            (PREV, 78.0, None),
            (
                NOW,
                79.0,
                Some(
                    "I stadens brukarundersökning bland brukare med socialpsykiatrisk insats svarade 79,4 % av brukarna med insats beviljad av beställarenheten att utredningen av deras behov av stöd var bra. Årsmålet är därmed så gott som uppfyllt. Årets genomsnitt i staden var 76,8 %.",
                ),
            ),
        ],
    ),
    pct(
        "Andel genomförda utredningar enligt DUR inom stöd och service för personer med funktionsnedsättning (stöd och service till personer med funktionsnedsättning)",
        Some(80.0),
        None,
        NAMNDEN,
        &[
            (PREV, 82.0, None),
            (
                NOW,
                83.0,
                Some(
                    "DUR-utredningar har gjorts i 82 % av samtliga utredningar under {Y}: 98 % inom socialpsykiatrin, som arbetat längst med DUR, 85 % inom funktionsnedsättning vuxna och 65 % inom barn/ungdom, som nyligen har börjat använda materialet.",
                ),
            ),
        ],
    ),
    pct(
        "Andel personer med funktionsnedsättning som upplever att de blir väl bemötta av stadens personal (stöd och service till personer med funktionsnedsättning)",
        Some(84.0),
        Some(84.0),
        None,
        &[
            (PREV, 85.0, None),
            (
                NOW,
                89.0,
                Some(
                    "I stadens brukarundersökning för {Y} fick brukare med insats till följd av funktionsnedsättning ta ställning till påståendet \"personalen respekterar mig och lyssnar på mig\". Av de brukare som beviljats insats från beställarenheten svarade 89 % ja på frågan. I staden som helhet var andelen ja-svar 88 %.",
                ),
            ),
        ],
    ),
    pct(
        "Andel personer med funktionsnedsättning som upplever att de kan påverka insatsens utformning (stöd och service till personer med funktionsnedsättning)",
        Some(74.0),
        Some(74.0),
        None,
        &[
            (PREV, 64.0, None),
            (
                NOW,
                77.0,
                Some(
                    "I stadens brukarundersökningar bland personer med insatser enligt LSS ställs frågan om personen varit med och planerat sin verksamhet. År {Y} svarade 77 % av brukarna med insats från beställarenheten ja på denna fråga. Motsvarande siffra för staden som helhet är 76 %.",
                ),
            ),
        ],
    ),
    pct(
        "Andelen personer med funktionsnedsättning som upplever att de har en fungerade bostad (stöd och service till personer med funktionsnedsättning)",
        Some(83.0),
        None,
        NAMNDEN,
        &[
            (PREV, 83.0, None),
            (
                NOW,
                86.0,
                Some(
                    "Av de brukare som har insats beviljad av beställarenheten upplever 86 % att de har en fungerande bostad. Motsvarande siffra för staden som helhet är 86 %.",
                ),
            ),
        ],
    ),
    pct(
        "Andelen personer med funktionsnedsättning som övergår till lönearbete efter deltagande i dagliga verksamheter enligt LSS eller dagverksamheter enligt SoL (stöd och service till personer med funktionsnedsättning)",
        Some(2.0),
        None,
        NAMNDEN,
        &[
            (PREV, 2.0, None),
            (
                NOW,
                7.7,
                Some(
                    "Av totalt 103 brukare vid de arbetsinriktade verksamheterna Kravatten och Steget Framåt har åtta börjat arbeta, vilket motsvarar 7,7 % av samtliga brukare vid dessa två verksamheter. Från övriga dagliga verksamheter har ingen brukare övergått till lönearbete.",
                ),
            ),
        ],
    ),
    pct(
        "Brukarens upplevelse av trygghet - LSS-boende, vuxna och barn (stöd och service till personer med funktionsnedsättning)",
        Some(91.0),
        Some(91.0),
        None,
        &[
            (PREV, 93.0, None),
            (
                NOW,
                95.0,
                Some(
                    "I årets undersökning har 95 % av brukarna (vuxna och barn) med insats från beställarenheten svarat ja på frågan om de känner sig trygga i sina LSS-boenden. I staden som helhet är siffran 90 %.",
                ),
            ),
        ],
    ),
    pct(
        "Nöjda brukare - Daglig verksamhet (stöd och service till personer med funktionsnedsättning)",
        Some(91.0),
        Some(91.0),
        None,
        &[
            (PREV, 85.0, None),
            (
                NOW,
                95.0,
                Some(
                    "I årets undersökning har 95 % av brukarna med daglig verksamhet beviljad av beställarenheten svarat ja på frågan om de är nöjda, vilket är en ökning sedan föregående år (85 %).",
                ),
            ),
        ],
    ),
    pct(
        "Nöjda brukare - korttidsboende (stöd och service till personer med funktionsnedsättning)",
        Some(91.0),
        Some(91.0),
        None,
        &[
            (PREV, 94.0, None),
            (
                NOW,
                81.0,
                Some(
                    "81 % av brukarna med beviljat korttidsboende svarade att de är nöjda med boendet; för staden som helhet var utfallet 88 %. 70 barn och ungdomar har insatsen korttidsboende (vistelse); enkäten gick ut till 17 personer varav 6 svarade, och procentsatsen visar att en person är missnöjd.",
                ),
            ),
        ],
    ),
    pct(
        "Nöjda brukare - LSS-boende, vuxna och barn (Stöd och service till personer med funktionsnedsättning)",
        Some(90.0),
        Some(90.0),
        None,
        &[
            (PREV, 82.0, None),
            (
                NOW,
                91.0,
                Some(
                    "I undersökningen som gäller nöjdhet med sin bostad med särskild service för barn och vuxna har 90 % av de tillfrågade angett att de är nöjda med boendet. I staden som helhet är motsvarande siffra 87 %.",
                ),
            ),
        ],
    ),
    // The document lists this indicator twice; the second row has no value for the year
    // before.
    pct(
        "Nöjda brukare - LSS-boende, vuxna och barn (Stöd och service till personer med funktionsnedsättning)",
        Some(90.0),
        Some(90.0),
        None,
        &[(
            NOW,
            91.0,
            Some(
                "I undersökningen som gäller nöjdhet med sin bostad med särskild service för barn och vuxna har 91 % av de tillfrågade angett att de är nöjda med boendet. I staden som helhet är motsvarande siffra 87 %.",
            ),
        )],
    ),
];

const EMPLOYER: &[Ind] = &[
    Ind {
        name: "Aktivt Medskapandeindex",
        measure: "index",
        direction: Direction::Higher,
        periodicity: "År",
        target: Some(80.0),
        target_text: None,
        city_target: Some(80.0),
        city_target_text: None,
        values: &[
            (PREV, 80.0, None),
            (NOW, 80.0, Some("Beställarenheten har ett AMI på 78.")),
        ],
    },
    pct(
        "Andel medarbetare på deltid som erbjuds heltid",
        Some(100.0),
        Some(100.0),
        None,
        &[
            (PREV, 22.92, None),
            (
                NOW,
                42.5,
                Some("Enheten har ingen deltidsanställd personal."),
            ),
        ],
    ),
    pct(
        "Chefer och ledare ställer tydliga krav på sina medarbetare",
        Some(90.0),
        Some(80.0),
        None,
        &[
            (PREV, 91.0, None),
            (
                NOW,
                91.0,
                Some(
                    "Enligt medarbetarenkäten vill medarbetarna vid enheten ha tydligare krav från ledningen, här har vi ett utfall på 59 % och uppfyller inte målet.",
                ),
            ),
        ],
    ),
    pct(
        "Medarbetare vet vad som förväntas av dem i deras arbete.",
        Some(93.0),
        Some(92.0),
        None,
        &[
            (PREV, 93.0, None),
            (
                NOW,
                93.0,
                Some(
                    "100 % av medarbetarna vid enheten upplever att de vet vad som förväntas av dem i arbetet.",
                ),
            ),
        ],
    ),
    Ind {
        name: "Sjukfrånvaro",
        measure: "%",
        direction: Direction::Lower,
        periodicity: "År",
        target: Some(5.8),
        target_text: None,
        city_target: Some(4.4),
        city_target_text: None,
        values: &[(
            NOW,
            5.5,
            Some(
                "Enheten har en betydligt lägre nivå på sjukfrånvaron än stadsdelsförvaltningen i stort. I november {Y} uppgick sjukfrånvaron till 5,46 % beräknat på 12 månader, motsvarande siffra {Y-1} var 3,75 %. Ökningen beror främst på allvarlig långvarig sjukdom.",
            ),
        )],
    },
];

const BUDGET: Ind = pct(
    "Nämndens budgetföljsamhet efter resultatöverföringar",
    Some(100.0),
    Some(100.0),
    None,
    &[(PREV, 99.96, None), (NOW, 99.99, None)],
);

/// The målkedja and indicators of Beställarenheten funktionsnedsättning (001).
pub(crate) fn unit_fn(data: &mut Dataset, unit: &'static str, year: i32) {
    use GoalLevel::{Inriktningsmal, Namndmal, Verksamhetsmal};
    let helt = Some(Assessment::Helt);
    let mut c = Chain::new(data, unit, year);

    let im1 = c.goal(
        None,
        Inriktningsmal,
        Some("1"),
        "Stockholm är en attraktiv, trygg, tillgänglig och växande stad för boende, företagande och besök",
        None,
    );
    let vm = c.goal(
        Some(&im1),
        Verksamhetsmal,
        Some("1.3"),
        "Stockholms livsmiljö är hållbar",
        None,
    );
    c.indicator(&vm, &EKOLOGISKA);
    let nm = c.goal(
        Some(&vm),
        Namndmal,
        None,
        "Verksamheterna bedrivs med lägsta möjliga miljöbelastning",
        Some("Förväntat resultat: Att nämndens verksamheter bedrivs med lägsta möjliga miljöbelastning."),
    );
    c.atagande(
        &nm,
        "Vi åtar oss att bidra till en förbättrad miljö",
        helt,
        "Förväntat resultat: Alla medarbetare har ett aktivt tänkande kring miljöeffekter i sitt dagliga arbete. Analys: Enhetens mål har i stort sett uppfyllts. Möjligheten att påverka miljöeffekterna är begränsad och beroende av övriga enheter i fastigheten. Vi källsorterar miljöfarligt avfall och reser kollektivt, promenerar eller cyklar när det är möjligt.",
    );
    let vm = c.goal(
        Some(&im1),
        Verksamhetsmal,
        Some("1.7"),
        "Stockholm upplevs som en trygg, säker och ren stad",
        None,
    );
    let nm = c.goal(
        Some(&vm),
        Namndmal,
        None,
        "Stadsdelsnämndens verksamheter och lokaler ska vara tillgängliga för alla",
        Some("Förväntat resultat: Alla ska kunna besöka nämndens lokaler och ta del av nämndens information utan att eventuell funktionsnedsättning ska utgöra ett hinder för detta."),
    );
    c.atagande(
        &nm,
        "Vi åtar oss att kommunicera och ge information på ett tillgängligt sätt.",
        helt,
        "Förväntat resultat: 80 % av tillfrågade klienter anser att vi givit tydlig information och att de förstått sitt beslut. Analys: Den egna brukarundersökningen under våren visar att 87 % är nöjda eller delvis nöjda med den information och vägledning de fått och 91 % vet vilken hjälp de ska få enligt beslutet.",
    );

    let im2 = c.goal(
        None,
        Inriktningsmal,
        Some("2"),
        "Kvalitet och valfrihet utvecklas och förbättras",
        None,
    );
    let vm = c.goal(
        Some(&im2),
        Verksamhetsmal,
        Some("2.1"),
        "Stockholmarna upplever att de erbjuds valfrihet och mångfald",
        None,
    );
    c.indicator(&vm, &VALMOJLIGHET);
    let vm = c.goal(
        Some(&im2),
        Verksamhetsmal,
        Some("2.3"),
        "Stockholmarna upplever att de får god service och omsorg",
        None,
    );
    for ind in GOOD_SERVICE {
        c.indicator(&vm, ind);
    }
    let nm = c.goal(
        Some(&vm),
        Namndmal,
        None,
        "All myndighetsutövning ska vara rättssäker och tillvara ta den enskildes resurser",
        Some("Förväntat resultat: Alla som har kontakt med förvaltningens myndighetsutövande enheter ska få sina rättigheter tillgodosedda i samband med utredningar och beslut."),
    );
    c.atagande(
        &nm,
        "Vi åtar oss att handlägga biståndsärenden på ett rättssäkert sätt med utgångspunkt från den enskildes egna resurser.",
        helt,
        "Förväntat resultat: Att alla biståndsärenden handläggs på ett rättsäkert sätt. Analys: Kollegiegranskningar har genomförts inom alla tre arbetsgrupper under våren och hösten {Y}. Ett utvecklingsområde som kvarstår är att sammankalla till samordnad individuell plan (SIP) och att dokumentera SIP på samma sätt i alla ärenden.",
    );
    let nm = c.goal(
        Some(&vm),
        Namndmal,
        None,
        "Anhöriga ska uppleva att de får stöd och hjälp utifrån sin aktuella situation",
        Some("Förväntat resultat: Anhöriga ska uppleva att de får stöd och hjälp utifrån sin aktuella situation."),
    );
    c.atagande(
        &nm,
        "Vi åtar oss att uppmärksamma anhörigas behov, informera om och erbjuda stöd för anhöriga.",
        helt,
        "Förväntat resultat: Anhöriga/närstående som kommer i kontakt med enheten upplever att de har fått sina behov uppmärksammade och fått information om anhörigstöd i Hägersten-Liljeholmen. Analys: Under {Y} har anhörigkonsulenten haft 38 stödsamtal med anhöriga i stadsdelen, 111 i de tre stadsdelarna.",
    );
    let nm = c.goal(
        Some(&vm),
        Namndmal,
        None,
        "Den enskilde ska få ett gott bemötande",
        Some("Förväntat resultat: Alla som har kontakt med förvaltningens verksamheter ska bemötas med kunskap och respekt."),
    );
    c.atagande(
        &nm,
        "Vi åtar oss att ge alla som har kontakt med oss ett respektfullt och gott bemötande.",
        helt,
        "Förväntat resultat: Att de allra flesta, 90 %, som har kontakt med oss upplever att de fått ett respektfullt och gott bemötande. Analys: Enhetens egen brukarundersökning visar att 87 % är nöjda med vårt bemötande. 4,5 % anger att de sällan eller aldrig kan nå sin handläggare, mot 16 % föregående år.",
    );
    let nm = c.goal(
        Some(&vm),
        Namndmal,
        None,
        "Den enskilde ska få insatser av god kvalitet som erbjuder delaktighet och stärker förmågan att leva ett självständigt liv",
        Some("Förväntat resultat: Den enskilde ska kunna leva ett så självständigt liv som möjligt. Brukarna är nöjda med verksamhetens kvalitet."),
    );
    c.atagande(
        &nm,
        "Vi åtar oss att brukarna är informerade om valfriheten inom SoL och LSS.",
        helt,
        "Förväntat resultat: 80% av de klienter som är beviljade den typ av insatser där det finns valfrihet ska känna till möjligheten att välja utförare. Analys: Handläggarna har alltid uppdaterade kataloger över utförare och checklistor vid mötet med enskilda. 94 % av dem som har assistansersättning och 75 % av dem som har hemtjänst väljer en privat utförare.",
    );
    c.atagande(
        &nm,
        "Vi åtar oss att ta hänsyn den enskildes önskemål vid planering av insatser.",
        helt,
        "Förväntat resultat: I 90 % av alla ärenden framgår det i dokumentationen hur den enskilde kommit till tals vid den senaste nyprövningen av insatser. Analys: Vi använder DUR i alla utredningar. I brukarundersökningen svarar 61 % att de har mycket inflytande och 35 % att de har inflytande till en viss del över det beslut som fattats.",
    );
    let vm = c.goal(
        Some(&im2),
        Verksamhetsmal,
        Some("2.4"),
        "Stockholms stad är en attraktiv arbetsgivare med spännande och utmanande arbeten",
        None,
    );
    for ind in EMPLOYER {
        c.indicator(&vm, ind);
    }
    let nm = c.goal(
        Some(&vm),
        Namndmal,
        None,
        "Sjukfrånvaron ska minska jämfört med {Y-1}",
        Some("Förväntat resultat: Sjukfrånvaron ska minska genom att samtliga chefer använder de verktyg som förvaltningen, staden och företagshälsovården tillhandahåller."),
    );
    c.aktivitet(
        &nm,
        "Chefer ska arbeta aktivt för att främja hälsan hos medarbetarna.",
        1,
        12,
        Some("En planeringsdag under hösten ägnades helt åt att utveckla och förbättra arbetsmiljön vid arbetsplatsen."),
    );
    c.aktivitet(
        &nm,
        "Chefer ska löpande följa upp all sjukfrånvaro på enheten samt systematiskt arbeta enligt stadens rehabiliteringsprocess vid medarbetares sjukfrånvaro.",
        1,
        12,
        Some("Enhetschef följer löpande sjukfrånvaron på enheten."),
    );
    c.atagande(
        &nm,
        "Vi åtar oss att arbeta för att enhetens sjukfrånvaro ska fortsätta hålla en låg nivå.",
        helt,
        "Förväntat resultat: Sjukfrånvaron vid enheten är lägre än i stadsdelsförvaltningen i övrigt. Analys: I november {Y} uppgick sjukfrånvaron till 5,46 % beräknat på 12 månader ({Y-1}: 3,75 %), främst till följd av allvarlig långvarig sjukdom. Två friskvårdscoacher anordnar och inspirerar till olika aktiviteter.",
    );
    let nm = c.goal(
        Some(&vm),
        Namndmal,
        None,
        "Förvaltningen ska erbjuda en god arbetsmiljö där alla medarbetare behandlas likvärdigt. Medarbetares och chefers kompetens ska utvecklas genom riktade insatser (Se även aktiviteter under 2.2 och 2.3.)",
        Some("Förväntat resultat: Att individuella kompetensutvecklingsplaner utarbetas för samtliga månadsanställda medarbetare. En god arbetsmiljö och likvärdig behandling förväntas leda till större arbetstillfredsställelse, ökad motivation och effektivitet."),
    );
    c.aktivitet(
        &nm,
        "Chefer ska registrera deltidsanställdas önskemål om utökad tjänstgöringsgrad i systemet.",
        0,
        4,
        Some("Det finns inte någon medarbetare vid enheten som har deltidsanställning."),
    );
    c.aktivitet(
        &nm,
        "De myndighetsutövande enheterna inom social omsorg ska se över sina rutiner för introduktion av nya medarbetare.",
        0,
        12,
        Some("Det pågår ett arbete med att utveckla introduktionsprogrammet för nya medarbetare."),
    );
    c.aktivitet(
        &nm,
        "Nyrekrytering av deltidsanställda ska övervägas noga.",
        1,
        12,
        Some("Nyrekrytering av deltidsanställda är inte aktuellt."),
    );
    c.atagande(
        &nm,
        "Medarbetares behov av kompetensutveckling ska tillgodoses.",
        helt,
        "Förväntat resultat: Alla medarbetare erbjuds kompetensutveckling under år {Y} utifrån kompetensutvecklingsplan. Analys: Alla biståndsbedömare har fått extern handledning var fjärde vecka under {Y}, och juridisk handledning vid fem tillfällen. De flesta har genomgått utbildning i MI, och alla inom socialpsykiatrin utbildning i samordnad individuell plan (SIP).",
    );

    let im3 = c.goal(
        None,
        Inriktningsmal,
        Some("3"),
        "Stadens verksamheter är kostnadseffektiva",
        None,
    );
    let vm = c.goal(
        Some(&im3),
        Verksamhetsmal,
        Some("3.1"),
        "Budgeten är i balans",
        None,
    );
    c.indicator(&vm, &BUDGET);
    let nm = c.goal(
        Some(&vm),
        Namndmal,
        None,
        "Nämndens verksamheter ska bedrivas på ett kostnadseffektivt sätt och inom beslutad budget",
        Some("Förväntat resultat: Förvaltningen beräknar att verksamheterna kan bedrivas på ett kostnadseffektivt sätt och inom beslutad budget."),
    );
    c.atagande(
        &nm,
        "Vi åtar oss att använda tilldelade resurser på ett effektivt sätt.",
        helt,
        "Förväntat resultat: Vi förväntar oss en budget i balans. Analys: Funktionsnedsättning redovisar ett överskott om 1,9 mnkr (0,6 % av budgeten), socialpsykiatri ett underskott om 498 tkr till följd av ökade personalkostnader och lägre hyresintäkter. Ärendeantalet per handläggare ligger i den övre skalan jämfört med övriga stadsdelar.",
    );
    let vm = c.goal(
        Some(&im3),
        Verksamhetsmal,
        Some("3.2"),
        "Alla verksamheter staden finansierar ska vara effektiva",
        None,
    );
    let nm = c.goal(
        Some(&vm),
        Namndmal,
        None,
        "Styrningen och uppföljningen av verksamhet och ekonomi ska vara tydlig",
        Some("Förväntat resultat: Genom hög delaktighet i framtagandet av verksamhetsplan, anvisningar och uppföljningsrapporter säkerställs en tydlig styrning och uppföljning av verksamhet och ekonomi."),
    );
    c.aktivitet(
        &nm,
        "Internkontroll ska genomföras och dokumenteras i ILS-webben inom samtliga avdelningar och enheter.",
        0,
        12,
        Some("Internkontroll har genomförts framför allt inom områdena bemötande, dokumentation och ekonomi, bland annat genom dokumentationsgranskning och kollegiegranskning."),
    );
    c.atagande(
        &nm,
        "Vi åtar oss att kontinuerligt följa upp verksamhet och ekonomi som underlag för en tydlig styrning av enhetens arbete.",
        helt,
        "Förväntat resultat: God kontroll över hur våra tilldelade resurser används och kommer att användas under året. Analys: Vi följer upp ekonomin varje månad genom en månadsrapport, och verksamheten genom dokumentgranskning, kollegiegranskning och brukarenkäter.",
    );
}
