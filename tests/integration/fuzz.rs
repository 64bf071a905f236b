//! Fuzzing in the test suite (issue 14), bounded to seconds with fixed seeds: byte flips
//! of a small snapshot through `snapshot check` and a report, and mutated CSV folders
//! through `snapshot build`. Whatever the input, bevaka never panics (exit 101), never
//! hangs, and a failure says which file. `scripts/fuzz.sh` runs the same for longer.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::random_csv::{Rng, write_random};

/// A run longer than this is a hang (debug build, loaded two-core machine).
const LIMIT: Duration = Duration::from_secs(20);

/// How many mutants each test tries; `BEVAKA_FUZZ_ROUNDS` raises it for a long run.
fn rounds(default: usize) -> usize {
    std::env::var("BEVAKA_FUZZ_ROUNDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

/// Runs bevaka with `args`; returns (exit code, stderr). Panics (the test fails) on a
/// hang, killing the process.
fn run(args: &[&std::ffi::OsStr]) -> (Option<i32>, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_bevaka"))
        .args(args)
        .env_remove("BEVAKA_CONFIG")
        .env("XDG_CONFIG_HOME", "/nonexistent-bevaka-test")
        .env("NO_COLOR", "1")
        .env("RUST_BACKTRACE", "0")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("bevaka runs");
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            let mut err = String::new();
            if let Some(mut e) = child.stderr.take() {
                std::io::Read::read_to_string(&mut e, &mut err).expect("stderr");
            }
            return (status.code(), err);
        }
        if start.elapsed() > LIMIT {
            child.kill().ok();
            child.wait().ok();
            panic!("bevaka {args:?} hung for {LIMIT:?}");
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// The checks on one outcome: no panic, and a failure names `file`.
fn assert_sane(what: &str, (code, err): (Option<i32>, String), file: &str) {
    assert_ne!(code, Some(101), "{what}: panicked\n{err}");
    assert!(code.is_some(), "{what}: killed by a signal\n{err}");
    assert!(!err.contains("panicked"), "{what}: {err}");
    if code != Some(0) {
        assert!(
            err.contains(file),
            "{what}: the error does not name {file}:\n{err}"
        );
    }
}

#[test]
fn flipped_bytes_in_a_snapshot_never_panic_or_hang() {
    let dir = tempfile::tempdir().expect("dir");
    let csv = dir.path().join("csv");
    std::fs::create_dir(&csv).expect("csv dir");
    let data = write_random(&csv, 14);
    let good = dir.path().join("good.sqlite");
    bevaka::snapshot::write_snapshot(&good, &data).expect("write");
    let bytes = std::fs::read(&good).expect("read");
    let mut rng = Rng::new(0x0f0f_1414);
    let bad = dir.path().join("flipped.sqlite");
    let name = "flipped.sqlite";
    for round in 0..rounds(60) {
        let mut b = bytes.clone();
        // One to eight bytes, anywhere: the header, the schema page, data pages.
        for _ in 0..1 + rng.below(8) {
            let at = if rng.chance(30) {
                rng.below(b.len().min(4096))
            } else {
                rng.below(b.len())
            };
            b[at] ^= 1 << rng.below(8);
        }
        std::fs::write(&bad, &b).expect("write");
        let f = bad.as_os_str();
        assert_sane(
            &format!("round {round}: snapshot check"),
            run(&["snapshot".as_ref(), "check".as_ref(), f]),
            name,
        );
        let report = [
            "deadlines",
            "processing-time",
            "caseload",
            "indicators",
            "ivo",
        ][round % 5];
        assert_sane(
            &format!("round {round}: report {report}"),
            run(&[
                "report".as_ref(),
                report.as_ref(),
                "--snapshot".as_ref(),
                f,
                "--today".as_ref(),
                "2014-12-31".as_ref(),
                "--format".as_ref(),
                "json".as_ref(),
            ]),
            name,
        );
    }
}

/// One mutation of one CSV file of an export.
fn mutate(rng: &mut Rng, dir: &Path) {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "csv"))
        .collect();
    files.sort();
    let file = rng.pick(&files).clone();
    let mut b = std::fs::read(&file).expect("read");
    match rng.below(6) {
        // A flipped byte (may break UTF-8, a quote, a delimiter).
        0 if !b.is_empty() => {
            let at = rng.below(b.len());
            b[at] ^= 1 << rng.below(8);
        }
        // Cut short, mid-line.
        1 => b.truncate(rng.below(b.len() + 1)),
        // A line twice (duplicate keys).
        2 => {
            let text = String::from_utf8_lossy(&b).into_owned();
            let lines: Vec<&str> = text.lines().collect();
            if let Some(line) = lines.get(rng.below(lines.len().max(1))) {
                b.extend_from_slice(format!("\n{line}\n").as_bytes());
            }
        }
        // An absurd value in place of a field.
        3 => {
            let text = String::from_utf8_lossy(&b).into_owned();
            let absurd = *rng.pick(&[
                "9223372036854775807",
                "-1",
                "2014-02-30",
                "9999-99-99",
                "",
                "\"",
                "\u{1b}[2J",
                "NaN",
            ]);
            let mut fields: Vec<String> = text.split(',').map(str::to_string).collect();
            if fields.len() > 2 {
                let at = 1 + rng.below(fields.len() - 1);
                fields[at] = absurd.to_string();
            }
            b = fields.join(",").into_bytes();
        }
        // Empty, or the header only.
        4 => {
            let text = String::from_utf8_lossy(&b).into_owned();
            b = text.lines().next().unwrap_or("").as_bytes().to_vec();
        }
        _ => b.clear(),
    }
    std::fs::write(&file, b).expect("write");
}

#[test]
fn mutated_csv_exports_never_panic_or_hang() {
    let dir = tempfile::tempdir().expect("dir");
    let mut rng = Rng::new(0x0c5f_1414);
    for round in 0..rounds(40) {
        let csv = dir.path().join(format!("csv{round}"));
        std::fs::create_dir(&csv).expect("csv dir");
        write_random(&csv, 100 + round as u64);
        for _ in 0..1 + rng.below(3) {
            mutate(&mut rng, &csv);
        }
        let out = dir.path().join("out.sqlite");
        let (code, err) = run(&[
            "snapshot".as_ref(),
            "build".as_ref(),
            "--from".as_ref(),
            csv.as_os_str(),
            "--out".as_ref(),
            out.as_os_str(),
        ]);
        assert_sane(
            &format!("round {round}: snapshot build"),
            (code, err.clone()),
            ".csv",
        );
        if code == Some(0) {
            // What the import accepts, every report reads.
            for report in [
                "deadlines",
                "processing-time",
                "caseload",
                "indicators",
                "ivo",
            ] {
                assert_sane(
                    &format!("round {round}: report {report} of an accepted export"),
                    run(&[
                        "report".as_ref(),
                        report.as_ref(),
                        "--snapshot".as_ref(),
                        out.as_os_str(),
                        "--today".as_ref(),
                        "2014-12-31".as_ref(),
                    ]),
                    "out.sqlite",
                );
            }
        } else {
            assert!(!out.exists(), "round {round}: a failed build left {out:?}");
        }
        let litter: Vec<_> = std::fs::read_dir(dir.path())
            .expect("dir")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".tmp"))
            .collect();
        assert!(litter.is_empty(), "round {round}: {litter:?}");
        std::fs::remove_file(&out).ok();
        std::fs::remove_dir_all(&csv).ok();
    }
}
