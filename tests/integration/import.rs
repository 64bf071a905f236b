//! The CSV importer (`bevaka snapshot build --from DIR`): the fixtures import, every kind of
//! bad input is refused with one exact `file:line: column: value: message` line, random but
//! valid exports round-trip, and a failed build never touches the snapshot.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use bevaka::import::{MAX_ERRORS, read_dir};
use bevaka::model::{Dataset, GoalLevel, IndicatorValue, Interruption, Outcome, Sex};
use bevaka::snapshot::write_snapshot;

use crate::support::random_csv::write_random;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/csv")
        .join(name)
}

/// A fresh copy of a fixture directory, to break.
fn copy_of(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for entry in fs::read_dir(fixture(name)).expect("fixture") {
        let path = entry.expect("entry").path();
        fs::copy(&path, dir.path().join(path.file_name().expect("name"))).expect("copy");
    }
    dir
}

/// Replaces the first `from` in `file` with `to`.
fn replace(dir: &Path, file: &str, from: &str, to: &str) {
    let path = dir.join(file);
    let text = fs::read_to_string(&path).expect("read");
    assert!(text.contains(from), "{file} has no {from:?}");
    fs::write(&path, text.replacen(from, to, 1)).expect("write");
}

/// Adds `line` at the end of `file`.
fn append(dir: &Path, file: &str, line: &str) {
    let path = dir.join(file);
    let mut text = fs::read_to_string(&path).expect("read");
    text.push_str(line);
    text.push('\n');
    fs::write(&path, text).expect("write");
}

/// The error lines of importing `dir`, which must fail.
fn errors(dir: &Path) -> Vec<String> {
    match read_dir(dir) {
        Ok(_) => panic!("the import of {} should fail", dir.display()),
        Err(errors) => errors.0.iter().map(ToString::to_string).collect(),
    }
}

/// The error lines after `edit` breaks a copy of `valid_comma`.
fn broken(edit: impl FnOnce(&Path)) -> Vec<String> {
    let dir = copy_of("valid_comma");
    edit(dir.path());
    errors(dir.path())
}

fn valid() -> Dataset {
    read_dir(&fixture("valid_comma")).expect("valid_comma imports")
}

#[test]
fn comma_fixture_imports_completely() {
    let data = valid();
    let counts = [
        data.units.len(),
        data.case_workers.len(),
        data.insats_types.len(),
        data.cases.len(),
        data.applications.len(),
        data.interventions.len(),
        data.followups.len(),
        data.goals.len(),
        data.indicators.len(),
        data.indicator_values.len(),
    ];
    assert_eq!(counts, [2, 3, 4, 4, 5, 3, 3, 4, 4, 7]);
    assert_eq!(data.cases[0].client_label.as_deref(), Some("A.A., 1975"));
    assert_eq!(data.cases[0].closed, None);
    assert_eq!(data.case_workers[2].team, None);
    assert_eq!(data.insats_types[2].target_days, None);
    assert_eq!(data.insats_types[1].target_days, Some(30));
    assert_eq!(
        data.interventions[0].provider.as_deref(),
        Some("Daglig verksamhet \"Solrosen\"")
    );
    assert_eq!(
        data.followups[0].note.as_deref(),
        Some("Planen ses över\ntillsammans med god man")
    );
    assert_eq!(data.applications[4].outcome, Some(Outcome::Aterkallad));
    assert_eq!(data.goals[0].level, GoalLevel::Inriktningsmal);
    assert_eq!(data.indicators[0].city_target, Some(88.5));
    assert_eq!(data.indicators[0].tolerance, Some(2.5));
    let full_year = IndicatorValue {
        indicator_id: "K1".into(),
        period: "2014".into(),
        value: 90.25,
        comment: Some("VB".into()),
    };
    assert_eq!(data.indicator_values[2], full_year);
    assert_eq!(
        data.indicator_values[6].comment.as_deref(),
        Some("Utfall, helår")
    );
    assert_eq!(data.indicators[3].target, Some(12_000.0));
}

#[test]
fn semicolon_crlf_bom_decimal_comma_and_swedish_spellings_import_the_same() {
    let semicolon = read_dir(&fixture("valid_semicolon")).expect("valid_semicolon imports");
    assert_eq!(semicolon, valid());
}

#[test]
fn a_missing_optional_file_is_an_empty_table_and_other_files_are_ignored() {
    let dir = copy_of("valid_comma");
    fs::remove_file(dir.path().join("indicator_values.csv")).expect("remove");
    fs::write(dir.path().join("notes.txt"), "\0binary\0").expect("write");
    fs::write(dir.path().join("extra.csv"), "x;y\n1;2\n").expect("write");
    let data = read_dir(dir.path()).expect("imports");
    assert!(data.indicator_values.is_empty());
    assert_eq!(data.indicators.len(), 4);
}

#[test]
fn a_header_only_file_is_an_empty_table() {
    let dir = copy_of("valid_comma");
    fs::write(
        dir.path().join("indicator_values.csv"),
        "indicator_id,period,value,comment\n",
    )
    .expect("write");
    assert!(
        read_dir(dir.path())
            .expect("imports")
            .indicator_values
            .is_empty()
    );
}

#[test]
fn trailing_separators_make_a_column_without_header_that_must_stay_empty() {
    let dir = copy_of("valid_semicolon");
    let path = dir.path().join("units.csv");
    let text = fs::read_to_string(&path).expect("read");
    fs::write(&path, text.replace("\r\n", ";\r\n")).expect("write");
    assert_eq!(read_dir(dir.path()).expect("imports"), valid());
    replace(dir.path(), "units.csv", "Äldreomsorg;", "Äldreomsorg;x");
    assert_eq!(
        errors(dir.path()),
        ["units.csv:3: kolumn 5: x: värde i en kolumn utan rubrik"]
    );
}

#[test]
fn file_names_may_differ_in_case() {
    let dir = copy_of("valid_comma");
    fs::rename(dir.path().join("units.csv"), dir.path().join("Units.CSV")).expect("rename");
    assert_eq!(read_dir(dir.path()).expect("imports"), valid());
}

#[test]
fn blank_rows_are_skipped_and_line_numbers_still_count_them() {
    let dir = copy_of("valid_comma");
    replace(dir.path(), "cases.csv", "\nC2,", "\n\n,,,,,,\n  \nC2,");
    append(dir.path(), "cases.csv", ",,,,,,");
    assert_eq!(read_dir(dir.path()).expect("imports"), valid());
    replace(dir.path(), "cases.csv", "2014-02-28,", "2014-02-30,");
    assert_eq!(
        errors(dir.path()),
        ["cases.csv:7: opened: 2014-02-30: ogiltigt datum, väntade ÅÅÅÅ-MM-DD"]
    );
}

#[test]
fn a_missing_required_file_is_named() {
    let errors = broken(|dir| fs::remove_file(dir.join("units.csv")).expect("remove"));
    assert_eq!(errors, ["units.csv: saknas"]);
}

#[test]
fn a_file_that_is_not_utf8_is_refused_at_its_line() {
    let errors = broken(|dir| {
        let mut bytes = fs::read(dir.join("case_workers.csv")).expect("read");
        let at = bytes
            .windows(2)
            .position(|w| w == "ö".as_bytes())
            .expect("ö");
        bytes.splice(at..at + 2, [0xF6]); // ö in Latin-1
        fs::write(dir.join("case_workers.csv"), bytes).expect("write");
    });
    assert_eq!(
        errors,
        ["case_workers.csv:3: filen är inte UTF-8 (spara som UTF-8)"]
    );
}

#[test]
fn a_binary_file_is_not_csv() {
    let errors = broken(|dir| {
        fs::write(
            dir.join("goals.csv"),
            b"PK\x03\x04\x14\x00\x06\x00xl/workbook.xml",
        )
        .expect("write");
    });
    assert_eq!(errors, ["goals.csv:1: filen är inte CSV"]);
}

#[test]
fn a_utf16_file_is_not_utf8_csv() {
    let errors = broken(|dir| {
        let text = fs::read_to_string(dir.join("units.csv")).expect("read");
        let mut bytes = vec![0xFF, 0xFE];
        bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        fs::write(dir.join("units.csv"), bytes).expect("write");
    });
    assert_eq!(
        errors,
        ["units.csv: filen är inte CSV i UTF-8 (den är UTF-16; spara som CSV UTF-8)"]
    );
}

#[test]
fn an_empty_file_has_no_header() {
    let errors = broken(|dir| fs::write(dir.join("followups.csv"), "\u{feff}\r\n").expect("write"));
    assert_eq!(errors, ["followups.csv: filen är tom (rubrikraden saknas)"]);
    let errors = broken(|dir| fs::write(dir.join("goals.csv"), ";;;\n;;\n").expect("write"));
    assert_eq!(errors, ["goals.csv: filen är tom (rubrikraden saknas)"]);
}

#[test]
fn a_header_that_does_not_decide_the_separator() {
    let errors = broken(|dir| {
        replace(
            dir,
            "units.csv",
            "unit_id,name,district,area",
            "unit_id;name,district",
        );
    });
    assert_eq!(
        errors,
        ["units.csv:1: kan inte avgöra om avgränsaren är , eller ; i rubrikraden"]
    );
}

#[test]
fn a_row_with_the_wrong_number_of_fields() {
    let errors = broken(|dir| append(dir, "cases.csv", "C9,U1,,H1"));
    assert_eq!(
        errors,
        ["cases.csv:6: fel antal fält: 4, rubrikraden har 7"]
    );
}

#[test]
fn a_missing_required_column() {
    let errors = broken(|dir| {
        let path = dir.join("cases.csv");
        let mut reader = csv::Reader::from_path(&path).expect("read");
        let mut writer = csv::Writer::from_path(dir.join("cases.tmp")).expect("write");
        writer
            .write_record([
                "case_id",
                "unit_id",
                "team",
                "worker_id",
                "client_label",
                "closed",
            ])
            .expect("header");
        for record in reader.records() {
            let record = record.expect("record");
            let kept: Vec<&str> = [0, 1, 2, 3, 4, 6].iter().map(|&i| &record[i]).collect();
            writer.write_record(kept).expect("row");
        }
        writer.flush().expect("flush");
        fs::rename(dir.join("cases.tmp"), path).expect("rename");
    });
    assert_eq!(errors, ["cases.csv:1: opened: obligatorisk kolumn saknas"]);
}

#[test]
fn an_unknown_column_names_the_expected_ones() {
    let errors = broken(|dir| replace(dir, "units.csv", "district", "distrikt"));
    assert_eq!(
        errors,
        ["units.csv:1: distrikt: okänd kolumn (väntade: unit_id, name, district, area)"]
    );
}

#[test]
fn a_repeated_column() {
    let errors = broken(|dir| {
        replace(dir, "units.csv", ",area\n", ",Name\n");
    });
    assert_eq!(errors, ["units.csv:1: Name: kolumnen finns flera gånger"]);
}

#[test]
fn header_names_are_trimmed_and_matched_in_any_case() {
    let dir = copy_of("valid_comma");
    replace(
        dir.path(),
        "units.csv",
        "unit_id,name,",
        " Unit_ID , NAME ,",
    );
    assert_eq!(read_dir(dir.path()).expect("imports"), valid());
}

#[test]
fn an_empty_required_value() {
    let errors = broken(|dir| {
        replace(
            dir,
            "units.csv",
            "U2,Enheten för biståndsbedömning",
            "U2,  ",
        );
    });
    assert_eq!(
        errors,
        ["units.csv:3: name: värde saknas i obligatorisk kolumn"]
    );
}

/// One test per refused value: `rejects!(name, file, from => to, "expected line")`.
macro_rules! rejects {
    ($($name:ident: $file:literal, $from:literal => $to:literal, $expected:literal;)+) => {$(
        #[test]
        fn $name() {
            let errors = broken(|dir| replace(dir, $file, $from, $to));
            assert_eq!(errors, [$expected]);
        }
    )+};
}

rejects! {
    date_that_does_not_exist: "cases.csv", "2014-02-28," => "2014-02-30,",
        "cases.csv:4: opened: 2014-02-30: ogiltigt datum, väntade ÅÅÅÅ-MM-DD";
    date_in_swedish_order: "applications.csv", "2014-10-02" => "02/10/2014",
        "applications.csv:5: investigation_started: 02/10/2014: ogiltigt datum, väntade ÅÅÅÅ-MM-DD";
    date_without_zeros: "followups.csv", "2015-01-31" => "2015-1-31",
        "followups.csv:5: due: 2015-1-31: ogiltigt datum, väntade ÅÅÅÅ-MM-DD";
    date_with_time: "interventions.csv", "2013-02-15" => "2013-02-15 08:00",
        "interventions.csv:3: start: 2013-02-15 08:00: ogiltigt datum, väntade ÅÅÅÅ-MM-DD";
    number_with_percent: "indicators.csv", "higher,Tertial,90," => "higher,Tertial,90 %,",
        "indicators.csv:2: target: 90 %: ogiltigt tal, väntade t.ex. 27,38 eller 27.38";
    number_with_two_marks: "indicator_values.csv", "12345.5" => "\"12.345,5\"",
        "indicator_values.csv:8: value: 12.345,5: ogiltigt tal, väntade t.ex. 27,38 eller 27.38";
    number_badly_grouped: "indicator_values.csv", "12345.5" => "1 2345",
        "indicator_values.csv:8: value: 1 2345: ogiltigt tal, väntade t.ex. 27,38 eller 27.38";
    integer_with_decimals: "insats_types.csv", "SoL,14" => "SoL,\"14,5\"",
        "insats_types.csv:2: target_days: 14,5: ogiltigt heltal";
    negative_target_days: "insats_types.csv", "SoL,14" => "SoL,-14",
        "insats_types.csv:2: target_days: -14: får inte vara negativt";
    target_days_past_the_calendar: "insats_types.csv", "SoL,14" => "SoL,9223372036854775807",
        "insats_types.csv:2: target_days: 9223372036854775807: utanför 0–3650 dagar";
    target_days_over_ten_years: "insats_types.csv", "SoL,14" => "SoL,3651",
        "insats_types.csv:2: target_days: 3651: utanför 0–3650 dagar";
    date_in_a_far_year: "followups.csv", "2015-01-31" => "9999-01-31",
        "followups.csv:5: due: 9999-01-31: datum utanför åren 1900–2199";
    negative_tolerance: "indicators.csv", ",,2.5" => ",,-2.5",
        "indicators.csv:2: tolerance: -2.5: får inte vara negativt";
    year_with_two_digits: "indicators.csv", "K2,G4,U1,Handläggningstid hemtjänst,2014" => "K2,G4,U1,Handläggningstid hemtjänst,14",
        "indicators.csv:3: year: 14: ogiltigt år, väntade ÅÅÅÅ";
    unknown_outcome: "applications.csv", "delvis" => "bevilj",
        "applications.csv:3: outcome: bevilj: okänt värde, väntade ett av: beviljad, avslag, delvis, aterkallad";
    unknown_level: "goals.csv", "namndmal" => "nämndemål",
        "goals.csv:4: level: nämndemål: okänt värde, väntade ett av: inriktningsmal, verksamhetsmal, namndmal, atagande, aktivitet";
    unknown_assessment: "goals.csv", "helt" => "uppfylls helt",
        "goals.csv:4: assessment: uppfylls helt: okänt värde, väntade ett av: helt, delvis, ej";
    unknown_direction: "indicators.csv", "dagar,lower" => "dagar,lägre",
        "indicators.csv:3: direction: lägre: okänt värde, väntade ett av: higher, lower";
    period_fourth_tertial: "indicator_values.csv", "K1,2014-T2" => "K1,2014-T4",
        "indicator_values.csv:3: period: 2014-T4: ogiltig period, väntade ÅÅÅÅ, ÅÅÅÅ-T1..T3, ÅÅÅÅ-Q1..Q4 eller ÅÅÅÅ-MM";
    period_vb: "indicator_values.csv", "K1,2014," => "K1,VB 2014,",
        "indicator_values.csv:4: period: VB 2014: ogiltig period, väntade ÅÅÅÅ, ÅÅÅÅ-T1..T3, ÅÅÅÅ-Q1..Q4 eller ÅÅÅÅ-MM";
    closed_before_opened: "cases.csv", "2016-02-29,2016-02-29" => "2016-02-29,2016-02-28",
        "cases.csv:5: closed: 2016-02-28: avslutat före öppnat (opened 2016-02-29)";
    decided_before_received: "applications.csv", "2014-03-03,2014-03-10" => "2014-03-03,2014-02-27",
        "applications.csv:4: decided: 2014-02-27: beslutat före mottaget (received 2014-02-28)";
    case_unit: "cases.csv", "C3,U2," => "C3,U9,",
        "cases.csv:4: unit_id: U9: okänd referens till units.unit_id";
    case_worker: "cases.csv", "C3,U2,,H3" => "C3,U2,,H9",
        "cases.csv:4: worker_id: H9: okänd referens till case_workers.worker_id";
    worker_unit: "case_workers.csv", "H3,Cecilia Ek,U2" => "H3,Cecilia Ek,U9",
        "case_workers.csv:4: unit_id: U9: okänd referens till units.unit_id";
    application_case: "applications.csv", "A4,C3," => "A4,C9,",
        "applications.csv:5: case_id: C9: okänd referens till cases.case_id";
    application_insats: "applications.csv", "A4,C3,VOB" => "A4,C3,VÅB",
        "applications.csv:5: insats_code: VÅB: okänd referens till insats_types.insats_code";
    application_worker: "applications.csv", "2014-10-02,,,H3" => "2014-10-02,,,H9",
        "applications.csv:5: worker_id: H9: okänd referens till case_workers.worker_id";
    intervention_case: "interventions.csv", "I3,C3," => "I3,C9,",
        "interventions.csv:4: case_id: C9: okänd referens till cases.case_id";
    intervention_application: "interventions.csv", "I3,C3,A3," => "I3,C3,A9,",
        "interventions.csv:4: application_id: A9: okänd referens till applications.application_id";
    intervention_insats: "interventions.csv", "I3,C3,A3,HT" => "I3,C3,A3,ht",
        "interventions.csv:4: insats_code: ht: okänd referens till insats_types.insats_code";
    followup_case: "followups.csv", "F3,C3," => "F3,C9,",
        "followups.csv:5: case_id: C9: okänd referens till cases.case_id";
    followup_worker: "followups.csv", "2015-01-31,,H3" => "2015-01-31,,H9",
        "followups.csv:5: worker_id: H9: okänd referens till case_workers.worker_id";
    goal_parent: "goals.csv", "G3,G2," => "G3,G9,",
        "goals.csv:4: parent_id: G9: okänd referens till goals.goal_id";
    goal_unit: "goals.csv", "G3,G2,U1" => "G3,G2,U9",
        "goals.csv:4: unit_id: U9: okänd referens till units.unit_id";
    goal_cycle: "goals.csv", "G1,," => "G1,G4,",
        "goals.csv:2: parent_id: G4: målkedjan går i cirkel: G1 → G4 → G3 → G2 → G1";
    goal_own_parent: "goals.csv", "G2,G1," => "G2,G2,",
        "goals.csv:3: parent_id: G2: målkedjan går i cirkel: G2 → G2";
    indicator_goal: "indicators.csv", "K2,G4," => "K2,G9,",
        "indicators.csv:3: goal_id: G9: okänd referens till goals.goal_id";
    indicator_unit: "indicators.csv", "K4,,U2" => "K4,,U9",
        "indicators.csv:5: unit_id: U9: okänd referens till units.unit_id";
    value_indicator: "indicator_values.csv", "K2,2014-Q3" => "K9,2014-Q3",
        "indicator_values.csv:5: indicator_id: K9: okänd referens till indicators.indicator_id";
}

#[test]
fn a_duplicate_primary_key_points_at_the_first() {
    let errors = broken(|dir| append(dir, "cases.csv", "C1,U1,,,,2014-01-01,"));
    assert_eq!(
        errors,
        ["cases.csv:6: case_id: C1: dubblett av case_id (första på rad 2)"]
    );
}

#[test]
fn a_duplicate_indicator_period_even_in_lowercase() {
    let errors = broken(|dir| append(dir, "indicator_values.csv", "K1,2014-t1,88,"));
    assert_eq!(
        errors,
        [
            "indicator_values.csv:9: indicator_id, period: K1, 2014-T1: dubblett av (indicator_id, period) (första på rad 2)"
        ]
    );
}

#[test]
fn lines_count_line_breaks_inside_quoted_fields() {
    let errors = broken(|dir| replace(dir, "followups.csv", "2014-06-25", "2014-06-31"));
    assert_eq!(
        errors,
        ["followups.csv:4: done: 2014-06-31: ogiltigt datum, väntade ÅÅÅÅ-MM-DD"]
    );
}

#[test]
fn lines_in_a_crlf_file_with_bom() {
    let dir = copy_of("valid_semicolon");
    replace(dir.path(), "followups.csv", "2015-01-31", "31.01.2015");
    let units = dir.path().join("units.csv");
    let mut bytes = fs::read(&units).expect("read");
    bytes.extend_from_slice("U1;Dubblett;;\r\n".as_bytes());
    fs::write(&units, bytes).expect("write");
    assert_eq!(
        errors(dir.path()),
        [
            "units.csv:4: unit_id: U1: dubblett av unit_id (första på rad 2)",
            "followups.csv:5: due: 31.01.2015: ogiltigt datum, väntade ÅÅÅÅ-MM-DD",
        ]
    );
}

#[test]
fn every_error_is_reported_in_file_and_line_order() {
    let errors = broken(|dir| {
        replace(dir, "goals.csv", "G1,,", "G1,G9,");
        replace(dir, "goals.csv", "G4,G3,U1,atagande", "G4,G3,U1,mål");
        replace(
            dir,
            "cases.csv",
            "C2,U1,Socialpsykiatri,H2,B.B. 1980,2013-01-15",
            "C2,U7,Socialpsykiatri,H2,B.B. 1980,15/1",
        );
        fs::remove_file(dir.join("insats_types.csv")).expect("remove");
    });
    assert_eq!(
        errors,
        [
            "insats_types.csv: saknas",
            "cases.csv:3: unit_id: U7: okänd referens till units.unit_id",
            "cases.csv:3: opened: 15/1: ogiltigt datum, väntade ÅÅÅÅ-MM-DD",
            "goals.csv:2: parent_id: G9: okänd referens till goals.goal_id",
            "goals.csv:5: level: mål: okänt värde, väntade ett av: inriktningsmal, verksamhetsmal, namndmal, atagande, aktivitet",
        ]
    );
}

#[test]
fn errors_are_capped_with_a_count_of_the_rest() {
    let errors = broken(|dir| {
        for i in 0..250 {
            append(dir, "followups.csv", &format!("X{i},C1,SIP,i morgon,,,"));
        }
    });
    assert_eq!(errors.len(), MAX_ERRORS + 1);
    assert_eq!(
        errors[0],
        "followups.csv:6: due: i morgon: ogiltigt datum, väntade ÅÅÅÅ-MM-DD"
    );
    assert_eq!(errors[MAX_ERRORS], "… och 50 fler fel");
}

#[test]
fn a_directory_that_does_not_exist() {
    let dir = tempfile::tempdir().expect("tempdir");
    let missing = dir.path().join("export");
    let errors = errors(&missing);
    assert_eq!(errors.len(), 1);
    assert!(errors[0].starts_with(&format!("{}: kan inte läsa katalogen: ", missing.display())));
}

/// Which of the version 2 values the random exports have shown.
#[derive(Debug, Default)]
struct SeenV2 {
    women: bool,
    men: bool,
    unknown_sex: bool,
    logins: bool,
    offered: bool,
    delay_reasons: bool,
    open_interruptions: bool,
    resumed_interruptions: bool,
}

#[test]
fn random_valid_exports_import_exactly() {
    let mut seen = SeenV2::default();
    for seed in 0..30 {
        let dir = tempfile::tempdir().expect("tempdir");
        let expected = write_random(dir.path(), seed);
        let imported =
            read_dir(dir.path()).unwrap_or_else(|e| panic!("seed {seed}: the import failed:\n{e}"));
        assert_eq!(imported.units, expected.units, "seed {seed}");
        assert_eq!(imported.case_workers, expected.case_workers, "seed {seed}");
        assert_eq!(imported.insats_types, expected.insats_types, "seed {seed}");
        assert_eq!(imported.cases, expected.cases, "seed {seed}");
        assert_eq!(imported.applications, expected.applications, "seed {seed}");
        assert_eq!(
            imported.interventions, expected.interventions,
            "seed {seed}"
        );
        assert_eq!(
            imported.interruptions, expected.interruptions,
            "seed {seed}"
        );
        assert_eq!(imported.followups, expected.followups, "seed {seed}");
        assert_eq!(imported.goals, expected.goals, "seed {seed}");
        assert_eq!(imported.indicators, expected.indicators, "seed {seed}");
        assert_eq!(
            imported.indicator_values, expected.indicator_values,
            "seed {seed}"
        );
        // Every table, including any added later.
        assert_eq!(imported, expected, "seed {seed}");
        for case in &expected.cases {
            match case.sex {
                Some(Sex::K) => seen.women = true,
                Some(Sex::M) => seen.men = true,
                None => seen.unknown_sex = true,
            }
        }
        seen.logins |= expected.case_workers.iter().any(|w| w.login.is_some());
        seen.offered |= expected.interventions.iter().any(|i| i.offered.is_some());
        seen.delay_reasons |= expected
            .interventions
            .iter()
            .any(|i| i.delay_reason.is_some());
        for interruption in &expected.interruptions {
            match interruption.resumed {
                Some(_) => seen.resumed_interruptions = true,
                None => seen.open_interruptions = true,
            }
        }
    }
    let SeenV2 {
        women,
        men,
        unknown_sex,
        logins,
        offered,
        delay_reasons,
        open_interruptions,
        resumed_interruptions,
    } = seen;
    assert!(
        women
            && men
            && unknown_sex
            && logins
            && offered
            && delay_reasons
            && open_interruptions
            && resumed_interruptions,
        "{seen:?}"
    );
}

/// `snapshot build` at the library level: import, and write only what imported.
fn build(from: &Path, out: &Path) -> Result<(), String> {
    let data = read_dir(from).map_err(|e| e.to_string())?;
    write_snapshot(out, &data).map_err(|e| e.to_string())
}

#[test]
fn an_import_builds_a_snapshot() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("bevaka.sqlite");
    build(&fixture("valid_semicolon"), &out).expect("build");
    let conn = rusqlite::Connection::open(&out).expect("open");
    let count = |table: &str| -> i64 {
        conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
            .expect("count")
    };
    assert_eq!(count("cases"), 4);
    assert_eq!(count("indicator_values"), 7);
    let outcome: String = conn
        .query_row(
            "SELECT outcome FROM applications WHERE application_id = 'A5'",
            [],
            |r| r.get(0),
        )
        .expect("A5");
    assert_eq!(outcome, "aterkallad");
    let level: String = conn
        .query_row("SELECT level FROM goals WHERE goal_id = 'G1'", [], |r| {
            r.get(0)
        })
        .expect("G1");
    assert_eq!(level, "inriktningsmal");
}

#[test]
fn random_exports_build_snapshots() {
    for seed in 100..105 {
        let dir = tempfile::tempdir().expect("tempdir");
        let from = dir.path().join("export");
        fs::create_dir(&from).expect("mkdir");
        write_random(&from, seed);
        build(&from, &dir.path().join("out.sqlite")).unwrap_or_else(|e| panic!("seed {seed}: {e}"));
    }
}

#[test]
fn a_failed_import_creates_no_file() {
    let from = copy_of("valid_comma");
    replace(from.path(), "cases.csv", "C3,U2,", "C3,U9,");
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("bevaka.sqlite");
    let error = build(from.path(), &out).expect_err("the build fails");
    assert_eq!(
        error,
        "cases.csv:4: unit_id: U9: okänd referens till units.unit_id"
    );
    assert_eq!(
        fs::read_dir(dir.path()).expect("list").count(),
        0,
        "no file, no temporary"
    );
}

#[test]
fn a_failed_import_leaves_the_old_snapshot_byte_identical() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("bevaka.sqlite");
    build(&fixture("valid_comma"), &out).expect("first build");
    let before = fs::read(&out).expect("read");
    let from = copy_of("valid_comma");
    fs::write(from.path().join("units.csv"), b"\xFF\xFEu\0").expect("write");
    assert!(build(from.path(), &out).is_err());
    assert_eq!(fs::read(&out).expect("read"), before);
    assert_eq!(
        fs::read_dir(dir.path()).expect("list").count(),
        1,
        "no temporary left"
    );
}

/// Adds the column `name` to `file`: to its header, and `values[i]` to its `i`-th data line.
fn add_column(dir: &Path, file: &str, name: &str, values: &[&str]) {
    let path = dir.join(file);
    let text = fs::read_to_string(&path).expect("read");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines.len(),
        values.len() + 1,
        "{file}: one value per data line"
    );
    let mut out = format!("{},{name}\n", lines[0]);
    for (line, value) in lines[1..].iter().zip(values) {
        out.push_str(&format!("{line},{value}\n"));
    }
    fs::write(&path, out).expect("write");
}

/// `valid_comma` as a version 2 export: the new columns (K/M in both cases and spelt out,
/// a login with spaces around it, a delay reason with a comma) and `interruptions.csv`.
fn v2_copy() -> tempfile::TempDir {
    let dir = copy_of("valid_comma");
    let path = dir.path();
    add_column(
        path,
        "case_workers.csv",
        "login",
        &["anna.andersson", "", " cek01 "],
    );
    add_column(path, "cases.csv", "sex", &["K", "m", "kvinna", ""]);
    add_column(
        path,
        "interventions.csv",
        "offered",
        &["", "", "2014-06-01"],
    );
    add_column(
        path,
        "interventions.csv",
        "delay_reason",
        &[
            "",
            "",
            "\"Tackat nej till erbjudande, väntar på annan plats\"",
        ],
    );
    fs::write(
        path.join("interruptions.csv"),
        "interruption_id,intervention_id,interrupted,resumed,reason\n\
         AV1,I1,2013-06-01,2013-09-30,Sjukhusvistelse\n\
         AV2,I2,2014-10-01,,\"Flyttat, tillfälligt boende\"\n\
         AV3,I1,2014-05-05,2014-05-05,\n",
    )
    .expect("write");
    dir
}

/// What `v2_copy` must import as.
fn v2_expected() -> Dataset {
    let mut data = valid();
    data.case_workers[0].login = Some("anna.andersson".into());
    data.case_workers[2].login = Some("cek01".into());
    data.cases[0].sex = Some(Sex::K);
    data.cases[1].sex = Some(Sex::M);
    data.cases[2].sex = Some(Sex::K);
    data.interventions[2].offered = Some("2014-06-01".parse().expect("date"));
    data.interventions[2].delay_reason =
        Some("Tackat nej till erbjudande, väntar på annan plats".into());
    let interruption =
        |id: &str, of: &str, from: &str, to: Option<&str>, why: Option<&str>| Interruption {
            interruption_id: id.into(),
            intervention_id: of.into(),
            interrupted: from.parse().expect("date"),
            resumed: to.map(|d| d.parse().expect("date")),
            reason: why.map(Into::into),
        };
    data.interruptions = vec![
        interruption(
            "AV1",
            "I1",
            "2013-06-01",
            Some("2013-09-30"),
            Some("Sjukhusvistelse"),
        ),
        interruption(
            "AV2",
            "I2",
            "2014-10-01",
            None,
            Some("Flyttat, tillfälligt boende"),
        ),
        interruption("AV3", "I1", "2014-05-05", Some("2014-05-05"), None),
    ];
    data
}

/// `bevaka snapshot build --from FROM --out OUT`, the real binary: its success and stderr.
fn build_command(from: &Path, out: &Path) -> (bool, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_bevaka"))
        .env_remove("BEVAKA_CONFIG")
        .env("XDG_CONFIG_HOME", "/nonexistent-bevaka-test")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .args(["snapshot", "build", "--from"])
        .arg(from)
        .arg("--out")
        .arg(out)
        .output()
        .expect("bevaka runs");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    (output.status.success(), stderr)
}

/// Builds from `from`, which must fail with exactly the error lines `expected`, a non-zero
/// exit status, and nothing written: no snapshot, no temporary file.
fn build_fails(from: &Path, expected: &[&str]) {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("bevaka.sqlite");
    let (success, stderr) = build_command(from, &out);
    assert!(!success, "the build should fail:\n{stderr}");
    let mut lines: Vec<&str> = stderr.lines().collect();
    let last = lines.pop().unwrap_or_default();
    assert!(
        last.starts_with("Ingen ögonblicksbild skrevs; "),
        "{stderr}"
    );
    assert_eq!(lines, expected);
    let left: Vec<_> = fs::read_dir(dir.path())
        .expect("list")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert!(left.is_empty(), "no file, no temporary: {left:?}");
}

#[test]
fn a_version_2_export_imports_every_new_field() {
    let from = v2_copy();
    assert_eq!(read_dir(from.path()).expect("imports"), v2_expected());

    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("bevaka.sqlite");
    let (success, stderr) = build_command(from.path(), &out);
    assert!(success, "{stderr}");
    let conn = rusqlite::Connection::open(&out).expect("open");
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .expect("version");
    assert_eq!(version, 2);
    let pairs = |sql: &str| -> Vec<(String, Option<String>)> {
        let mut st = conn.prepare(sql).expect("prepare");
        st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .expect("query")
            .collect::<Result<_, _>>()
            .expect("rows")
    };
    let some = |id: &str, v: &str| (id.to_owned(), Some(v.to_owned()));
    let none = |id: &str| (id.to_owned(), None);
    assert_eq!(
        pairs("SELECT case_id, sex FROM cases ORDER BY case_id"),
        [
            some("C1", "K"),
            some("C2", "M"),
            some("C3", "K"),
            none("C4")
        ]
    );
    assert_eq!(
        pairs("SELECT worker_id, login FROM case_workers ORDER BY worker_id"),
        [
            some("H1", "anna.andersson"),
            none("H2"),
            some("H3", "cek01")
        ]
    );
    assert_eq!(
        pairs("SELECT intervention_id, offered FROM interventions ORDER BY 1"),
        [none("I1"), none("I2"), some("I3", "2014-06-01")]
    );
    assert_eq!(
        pairs("SELECT intervention_id, delay_reason FROM interventions ORDER BY 1"),
        [
            none("I1"),
            none("I2"),
            some("I3", "Tackat nej till erbjudande, väntar på annan plats")
        ]
    );
    let mut st = conn
        .prepare("SELECT * FROM interruptions ORDER BY interruption_id")
        .expect("prepare");
    type Row = (String, String, String, Option<String>, Option<String>);
    let rows: Vec<Row> = st
        .query_map([], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows");
    let row = |id: &str, of: &str, from: &str, to: Option<&str>, why: Option<&str>| -> Row {
        (
            id.into(),
            of.into(),
            from.into(),
            to.map(Into::into),
            why.map(Into::into),
        )
    };
    assert_eq!(
        rows,
        [
            row(
                "AV1",
                "I1",
                "2013-06-01",
                Some("2013-09-30"),
                Some("Sjukhusvistelse")
            ),
            row(
                "AV2",
                "I2",
                "2014-10-01",
                None,
                Some("Flyttat, tillfälligt boende")
            ),
            row("AV3", "I1", "2014-05-05", Some("2014-05-05"), None),
        ]
    );
}

#[test]
fn a_version_2_export_with_semicolons_and_shuffled_columns_imports_the_same() {
    let dir = v2_copy();
    for file in ["cases.csv", "interruptions.csv"] {
        let path = dir.path().join(file);
        let mut reader = csv::Reader::from_path(&path).expect("read");
        let header = reader.headers().expect("header").clone();
        let order: Vec<usize> = (0..header.len()).rev().collect();
        let mut writer = csv::WriterBuilder::new()
            .delimiter(b';')
            .from_path(dir.path().join("shuffled.tmp"))
            .expect("write");
        let upper: Vec<String> = order.iter().map(|&i| header[i].to_uppercase()).collect();
        writer.write_record(&upper).expect("header");
        for record in reader.records() {
            let record = record.expect("record");
            writer
                .write_record(order.iter().map(|&i| &record[i]))
                .expect("row");
        }
        writer.flush().expect("flush");
        fs::rename(dir.path().join("shuffled.tmp"), path).expect("rename");
    }
    assert_eq!(read_dir(dir.path()).expect("imports"), v2_expected());
}

#[test]
fn a_version_1_export_still_imports_and_builds() {
    let data = valid();
    assert!(data.case_workers.iter().all(|w| w.login.is_none()));
    assert!(data.cases.iter().all(|c| c.sex.is_none()));
    assert!(
        data.interventions
            .iter()
            .all(|i| i.offered.is_none() && i.delay_reason.is_none())
    );
    assert!(data.interruptions.is_empty());
    // Apart from the new fields, a version 2 export of the same rows imports the same.
    let mut v2 = v2_expected();
    for w in &mut v2.case_workers {
        w.login = None;
    }
    for c in &mut v2.cases {
        c.sex = None;
    }
    for i in &mut v2.interventions {
        i.offered = None;
        i.delay_reason = None;
    }
    v2.interruptions.clear();
    assert_eq!(v2, data);

    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("bevaka.sqlite");
    let (success, stderr) = build_command(&fixture("valid_semicolon"), &out);
    assert!(success, "{stderr}");
    let conn = rusqlite::Connection::open(&out).expect("open");
    let count = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).expect("count") };
    assert_eq!(count("SELECT count(*) FROM cases"), 4);
    assert_eq!(count("SELECT count(*) FROM cases WHERE sex IS NOT NULL"), 0);
    assert_eq!(
        count("SELECT count(*) FROM case_workers WHERE login IS NOT NULL"),
        0
    );
    assert_eq!(
        count(
            "SELECT count(*) FROM interventions \
             WHERE offered IS NOT NULL OR delay_reason IS NOT NULL"
        ),
        0
    );
    assert_eq!(count("SELECT count(*) FROM interruptions"), 0);
}

#[test]
fn an_unknown_sex_is_refused_with_the_accepted_values() {
    let from = v2_copy();
    replace(from.path(), "cases.csv", "2014-12-31,m", "2014-12-31,f");
    replace(from.path(), "cases.csv", ",kvinna", ",Kvinnor");
    build_fails(
        from.path(),
        &[
            "cases.csv:3: sex: f: okänt värde, väntade ett av: K, M (eller kvinna, man)",
            "cases.csv:4: sex: Kvinnor: okänt värde, väntade ett av: K, M (eller kvinna, man)",
        ],
    );
}

#[test]
fn an_interruption_of_an_unknown_intervention_is_refused() {
    let from = v2_copy();
    replace(from.path(), "interruptions.csv", "AV2,I2,", "AV2,I9,");
    build_fails(
        from.path(),
        &[
            "interruptions.csv:3: intervention_id: I9: okänd referens till interventions.intervention_id",
        ],
    );
}

#[test]
fn interruptions_without_interventions_csv_refer_to_nothing() {
    let from = v2_copy();
    fs::remove_file(from.path().join("interventions.csv")).expect("remove");
    assert_eq!(
        errors(from.path()),
        [
            "interruptions.csv:2: intervention_id: I1: okänd referens till interventions.intervention_id",
            "interruptions.csv:3: intervention_id: I2: okänd referens till interventions.intervention_id",
            "interruptions.csv:4: intervention_id: I1: okänd referens till interventions.intervention_id",
        ]
    );
}

#[test]
fn an_interruption_resumed_before_it_began_is_refused() {
    let from = v2_copy();
    replace(
        from.path(),
        "interruptions.csv",
        "2013-06-01,2013-09-30",
        "2013-06-01,2013-05-31",
    );
    build_fails(
        from.path(),
        &[
            "interruptions.csv:2: resumed: 2013-05-31: återupptaget före avbrottet (interrupted 2013-06-01)",
        ],
    );
}

#[test]
fn version_2_values_are_checked_like_the_others() {
    let cases: &[(&str, &str, &str, &str)] = &[
        (
            "interruptions.csv",
            "AV3,I1,",
            "AV1,I1,",
            "interruptions.csv:4: interruption_id: AV1: dubblett av interruption_id (första på rad 2)",
        ),
        (
            "interruptions.csv",
            "2014-10-01,,",
            "2014-10-32,,",
            "interruptions.csv:3: interrupted: 2014-10-32: ogiltigt datum, väntade ÅÅÅÅ-MM-DD",
        ),
        (
            "interruptions.csv",
            "2014-05-05,2014-05-05",
            ",2014-05-05",
            "interruptions.csv:4: interrupted: värde saknas i obligatorisk kolumn",
        ),
        (
            "interruptions.csv",
            "2013-09-30,",
            "30/9 2013,",
            "interruptions.csv:2: resumed: 30/9 2013: ogiltigt datum, väntade ÅÅÅÅ-MM-DD",
        ),
        (
            "interventions.csv",
            ",2014-06-01,",
            ",2014-06,",
            "interventions.csv:4: offered: 2014-06: ogiltigt datum, väntade ÅÅÅÅ-MM-DD",
        ),
    ];
    for (file, from, to, expected) in cases {
        let dir = v2_copy();
        replace(dir.path(), file, from, to);
        assert_eq!(errors(dir.path()), [*expected], "{from} → {to}");
    }
}
