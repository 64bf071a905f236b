//! The streamed `snapshot build` (issue 16): each CSV file read once, its rows written as
//! they are read. It writes the snapshot the import held in memory would have written,
//! reports the same errors, leaves nothing behind when it fails however late, and says
//! nothing on stderr when that is not a terminal.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use bevaka::import::read_dir;
use bevaka::model::{Dataset, TABLES};
use bevaka::snapshot::write_snapshot;
use chrono::NaiveDate;
use rusqlite::Connection;
use rusqlite::types::Value;

use crate::support::bevaka;
use crate::support::csv_export::{write_dataset, write_goals};
use crate::support::random_csv::{Rng, write_random};

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// `bevaka snapshot build --from FROM --out OUT`.
fn build(from: &Path, out: &Path) -> Output {
    bevaka()
        .args(["snapshot", "build", "--from"])
        .arg(from)
        .arg("--out")
        .arg(out)
        .output()
        .expect("bevaka runs")
}

/// What a snapshot holds: every table's rows in file order, the planner's statistics, the
/// schema and the file's identification.
fn content(path: &Path) -> Vec<(String, Vec<Vec<Value>>)> {
    let conn = Connection::open(path).expect("open");
    let rows = |sql: &str| -> Vec<Vec<Value>> {
        let mut st = conn.prepare(sql).expect("prepare");
        let n = st.column_count();
        st.query_map([], |r| (0..n).map(|i| r.get::<_, Value>(i)).collect())
            .expect("query")
            .collect::<rusqlite::Result<_>>()
            .expect("rows")
    };
    let mut all: Vec<(String, Vec<Vec<Value>>)> = TABLES
        .iter()
        .map(|t| {
            (
                t.to_string(),
                rows(&format!("SELECT * FROM {t} ORDER BY rowid")),
            )
        })
        .collect();
    all.push((
        "sqlite_stat1".into(),
        rows("SELECT tbl, idx, stat FROM sqlite_stat1 ORDER BY tbl, idx"),
    ));
    all.push((
        "schema".into(),
        rows("SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY name"),
    ));
    all.push((
        "pragmas".into(),
        rows("SELECT * FROM pragma_user_version, pragma_application_id"),
    ));
    all
}

/// Builds `csv` both ways, streamed by the binary and through [`read_dir`] and
/// [`write_snapshot`], and checks that the two files hold the same.
fn same_both_ways(csv: &Path, what: &str) {
    let dir = tempfile::tempdir().expect("tempdir");
    let streamed = dir.path().join("streamed.sqlite");
    let o = build(csv, &streamed);
    assert!(o.status.success(), "{what}: {}", stderr(&o));
    assert_eq!(stderr(&o), "", "{what}: nothing on stderr");
    assert!(
        stdout(&o).starts_with(&format!("Skrev {} (", streamed.display())),
        "{what}: {}",
        stdout(&o)
    );
    let held = dir.path().join("held.sqlite");
    let data = read_dir(csv).unwrap_or_else(|e| panic!("{what}: {e}"));
    write_snapshot(&held, &data).expect("write");
    let (streamed, held) = (content(&streamed), content(&held));
    for ((table, a), (_, b)) in streamed.iter().zip(&held) {
        assert_eq!(a.len(), b.len(), "{what}: {table}: rows");
        assert!(a == b, "{what}: {table} differs");
    }
}

#[test]
fn a_streamed_build_of_the_demo_export_is_the_snapshot_of_the_import_in_memory() {
    let today = NaiveDate::from_ymd_opt(2014, 12, 31).expect("date");
    let data: Dataset = bevaka::demo::build(today);
    let dir = tempfile::tempdir().expect("tempdir");
    let csv = dir.path().join("export");
    fs::create_dir(&csv).expect("mkdir");
    let mut rng = Rng::new(16);
    write_dataset(&mut rng, &csv, &data);
    // Children before their parents: the import puts the parents first.
    let mut goals = data.goals.clone();
    rng.shuffle(&mut goals);
    write_goals(&mut rng, &csv, &goals);
    same_both_ways(&csv, "the demo");
}

#[test]
fn streamed_builds_of_random_exports_are_the_snapshots_of_the_import_in_memory() {
    for seed in 1600..1606 {
        let dir = tempfile::tempdir().expect("tempdir");
        write_random(dir.path(), seed);
        same_both_ways(dir.path(), &format!("seed {seed}"));
    }
}

/// Spoils `dir`'s export a little: a value replaced, a row repeated or cut, a file cut short
/// or made binary.
fn spoil(rng: &mut Rng, dir: &Path) {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .expect("dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "csv"))
        .collect();
    files.sort();
    let file = rng.pick(&files).clone();
    let text = fs::read(&file).expect("read");
    let mut lines: Vec<Vec<u8>> = text.split(|&b| b == b'\n').map(<[u8]>::to_vec).collect();
    let at = 1 + rng.below(lines.len().max(2) - 1);
    let at = at.min(lines.len() - 1);
    match rng.below(7) {
        0 => {
            // A value of the line replaced.
            let line = String::from_utf8_lossy(&lines[at]).into_owned();
            let sep = if line.contains(';') { ';' } else { ',' };
            let mut fields: Vec<String> = line.split(sep).map(str::to_owned).collect();
            let i = rng.below(fields.len());
            let bad = ["", "x", "2014-13-01", "U999", "1,5", "-7", "M0", "ÅÄÖ"];
            fields[i] = (*rng.pick(&bad)).to_owned();
            lines[at] = fields.join(&sep.to_string()).into_bytes();
        }
        1 => {
            let copy = lines[at].clone();
            lines.insert(at, copy);
        }
        2 => {
            let half = lines[at].len() / 2;
            lines[at].truncate(half);
        }
        3 => lines[at].extend_from_slice(b",extra"),
        4 => lines[at].push(0xFF),
        5 => lines[at].push(0),
        _ => lines.truncate(at),
    }
    fs::write(&file, lines.join(&b'\n')).expect("write");
}

#[test]
fn a_streamed_build_reports_the_errors_of_the_import_in_memory_and_leaves_nothing() {
    let mut rng = Rng::new(1616);
    let mut failed = 0;
    for seed in 1700..1740 {
        let dir = tempfile::tempdir().expect("tempdir");
        let csv = dir.path().join("export");
        fs::create_dir(&csv).expect("mkdir");
        write_random(&csv, seed);
        for _ in 0..1 + rng.below(3) {
            spoil(&mut rng, &csv);
        }
        let out = dir.path().join("out.sqlite");
        let o = build(&csv, &out);
        match read_dir(&csv) {
            Ok(_) => {
                assert!(o.status.success(), "seed {seed}: {}", stderr(&o));
                assert_eq!(stderr(&o), "", "seed {seed}");
            }
            Err(errors) => {
                failed += 1;
                assert!(!o.status.success(), "seed {seed}");
                let expected: Vec<String> = errors.0.iter().map(ToString::to_string).collect();
                let err = stderr(&o);
                let mut lines: Vec<&str> = err.lines().collect();
                let last = lines.pop().unwrap_or_default();
                assert!(last.starts_with("Ingen ögonblicksbild skrevs; "), "{err}");
                assert_eq!(lines, expected, "seed {seed}");
                let left: Vec<_> = fs::read_dir(dir.path())
                    .expect("list")
                    .map(|e| e.expect("entry").file_name())
                    .collect();
                assert_eq!(left, ["export"], "seed {seed}: nothing written");
            }
        }
    }
    assert!(failed >= 20, "most spoilt exports fail: {failed} of 40");
}

#[test]
fn an_error_in_the_last_file_after_the_large_ones_leaves_the_old_snapshot_as_it_was() {
    let dir = tempfile::tempdir().expect("tempdir");
    let csv = dir.path().join("export");
    fs::create_dir(&csv).expect("mkdir");
    let today = NaiveDate::from_ymd_opt(2014, 12, 31).expect("date");
    let data = bevaka::demo::build(today);
    write_dataset(&mut Rng::new(3), &csv, &data);
    write_goals(&mut Rng::new(3), &csv, &data.goals);
    let out = dir.path().join("bevaka.sqlite");
    assert!(build(&csv, &out).status.success());
    let before = fs::read(&out).expect("read");
    // The rows of every other file are in the temporary snapshot when this is found.
    let last = csv.join("indicator_values.csv");
    let mut text = fs::read_to_string(&last).expect("read");
    let sep = if text.lines().next().is_some_and(|l| l.contains(';')) {
        ';'
    } else {
        ','
    };
    let width = text.lines().next().map_or(0, |l| l.split(sep).count());
    text.push_str(&format!("\nOKÄND{}", sep.to_string().repeat(width - 1)));
    fs::write(&last, text).expect("write");
    let o = build(&csv, &out);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(err.contains("indicator_values.csv:"), "{err}");
    assert!(
        err.contains("okänd referens till indicators.indicator_id"),
        "{err}"
    );
    assert_eq!(
        fs::read(&out).expect("read"),
        before,
        "the old file is untouched"
    );
    let mut left: Vec<String> = fs::read_dir(dir.path())
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(left, ["bevaka.sqlite", "export"], "no temporary, no lock");
}

#[test]
fn progress_is_not_shown_when_stderr_is_not_a_terminal() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = |name: &str| dir.path().join(name);
    let csv = path("export");
    fs::create_dir(&csv).expect("mkdir");
    let data = bevaka::demo::build(NaiveDate::from_ymd_opt(2014, 12, 31).expect("date"));
    write_dataset(&mut Rng::new(4), &csv, &data);
    write_goals(&mut Rng::new(4), &csv, &data.goals);
    let quiet = |what: &str, o: &Output| {
        assert!(o.status.success(), "{what}: {}", stderr(o));
        assert_eq!(stderr(o), "", "{what}: stderr");
        assert!(stdout(o).starts_with("Skrev "), "{what}: {}", stdout(o));
    };
    quiet("snapshot build", &build(&csv, &path("s.sqlite")));
    let split = |args: &[&str]| bevaka().args(args).output().expect("bevaka runs");
    fs::create_dir(path("units")).expect("mkdir");
    let file = path("s.sqlite");
    let units = path("units");
    let (file, units) = (
        file.to_str().expect("utf-8"),
        units.to_str().expect("utf-8"),
    );
    quiet(
        "snapshot split",
        &split(&["snapshot", "split", file, "--out-dir", units]),
    );
    fs::create_dir(path("units2")).expect("mkdir");
    quiet(
        "snapshot build --split unit",
        &split(&[
            "snapshot",
            "build",
            "--from",
            csv.to_str().expect("utf-8"),
            "--split",
            "unit",
            "--out-dir",
            path("units2").to_str().expect("utf-8"),
        ]),
    );
    let o = bevaka()
        .env("BEVAKA_TEST_DISTRICTS", "1")
        .args(["demo", "--scale", "city", "--as-of", "2014-12-31", "--out"])
        .arg(path("city.sqlite"))
        .output()
        .expect("bevaka runs");
    quiet("demo --scale city", &o);
    assert!(stdout(&o).contains("(1 stadsdelar"), "{}", stdout(&o));
}

/// The demo's export with `change` made to its rows first, in a new directory.
fn demo_export(change: impl FnOnce(&mut Dataset)) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let csv = dir.path().join("export");
    fs::create_dir(&csv).expect("mkdir");
    let today = NaiveDate::from_ymd_opt(2014, 12, 31).expect("date");
    let mut data = bevaka::demo::build(today);
    change(&mut data);
    write_dataset(&mut Rng::new(5), &csv, &data);
    write_goals(&mut Rng::new(5), &csv, &data.goals);
    (dir, csv)
}

/// [`build`] with fingerprints of `bits` bits (a debug build's test hook): different keys
/// share them all the time.
fn build_with_fingerprint_bits(from: &Path, out: &Path, bits: u32) -> Output {
    bevaka()
        .env("BEVAKA_TEST_FINGERPRINT_BITS", bits.to_string())
        .args(["snapshot", "build", "--from"])
        .arg(from)
        .arg("--out")
        .arg(out)
        .output()
        .expect("bevaka runs")
}

/// The names in `dir`, sorted.
fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn keys_that_only_share_a_fingerprint_build_the_same_snapshot() {
    let (dir, csv) = demo_export(|_| {});
    let exact = dir.path().join("exact.sqlite");
    let o = build(&csv, &exact);
    assert!(o.status.success(), "{}", stderr(&o));
    // Four bits: sixteen fingerprints for thousands of keys a table, every table read
    // twice to tell shared fingerprints from repeated keys.
    let shared = dir.path().join("shared.sqlite");
    let o = build_with_fingerprint_bits(&csv, &shared, 4);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stderr(&o), "");
    assert!(content(&exact) == content(&shared), "the same snapshot");
}

#[test]
fn a_repeated_key_names_both_lines_and_leaves_nothing_whether_or_not_its_row_went_to_sqlite() {
    // Inside the first batch (which goes to SQLite while the file is read, and whose
    // INSERT the primary key refuses), and the file's last row (in the last batch, which
    // is held until the file's keys are settled).
    for at in [bevaka::import::BATCH_ROWS - 1, usize::MAX] {
        let mut first = String::new();
        let mut rows = 0;
        let (dir, csv) = demo_export(|data| {
            assert!(
                data.cases.len() > bevaka::import::BATCH_ROWS,
                "rows go before"
            );
            let case = data.cases[0].clone();
            first.clone_from(&case.case_id);
            data.cases.insert(at.min(data.cases.len()), case);
            rows = data.cases.len();
        });
        let text = fs::read_to_string(csv.join("cases.csv")).expect("read");
        assert_eq!(text.trim_end().lines().count(), rows + 1, "a line a row");
        let line = at.min(rows - 1) + 2;
        let expected =
            format!("cases.csv:{line}: case_id: {first}: dubblett av case_id (första på rad 2)");
        let out = dir.path().join("out.sqlite");
        // Found whether the fingerprints of all keys differ or many share them.
        for o in [
            build(&csv, &out),
            build_with_fingerprint_bits(&csv, &out, 4),
        ] {
            assert!(!o.status.success());
            let err = stderr(&o);
            let lines: Vec<&str> = err.lines().collect();
            assert_eq!(lines.len(), 2, "{err}");
            assert_eq!(lines[0], expected, "{err}");
            assert!(
                lines[1].starts_with("Ingen ögonblicksbild skrevs; "),
                "{err}"
            );
            assert_eq!(names_in(dir.path()), ["export"], "nothing written");
        }
    }
}

#[test]
fn a_dangling_reference_that_shares_a_fingerprint_is_caught_by_the_gate() {
    let (dir, csv) = demo_export(|data| {
        let last = data.interventions.last_mut().expect("interventions");
        last.case_id = "SAKNAS".into();
    });
    let out = dir.path().join("out.sqlite");
    let o = build(&csv, &out);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(err.starts_with("interventions.csv:"), "{err}");
    assert!(
        err.contains(": case_id: SAKNAS: okänd referens till cases.case_id\n"),
        "{err}"
    );
    assert_eq!(names_in(dir.path()), ["export"], "nothing written");
    // With sixteen fingerprints 'SAKNAS' shares one with some case: the reader lets it
    // through, and the gate's check of every reference names the table, row and value.
    let o = build_with_fingerprint_bits(&csv, &out, 4);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(
        err.contains("interventions.case_id: pekar på en rad som saknas i cases (1 rad)"),
        "{err}"
    );
    assert!(err.contains("'SAKNAS'"), "{err}");
    assert_eq!(names_in(dir.path()), ["export"], "nothing written");
}
