//! On the jump host (issue 15): the system's config under the user's, and the handläggare
//! behind the login.

use std::path::Path;
use std::process::Output;

use serde_json::Value;

use crate::support::bevaka;

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The unit demo as a file in `dir`.
fn demo(dir: &Path) -> std::path::PathBuf {
    let path = dir.join("demo.sqlite");
    let o = bevaka()
        .args(["demo", "--as-of", "2014-12-31", "--out"])
        .arg(&path)
        .output()
        .expect("demo");
    assert!(o.status.success(), "{}", stderr(&o));
    path
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().expect("dir")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}

#[test]
fn the_users_file_overrides_the_systems_key_by_key() {
    let dir = tempfile::tempdir().expect("tempdir");
    let etc = dir.path().join("etc");
    let xdg_a = dir.path().join("xdg-a");
    let xdg_b = dir.path().join("xdg-b");
    let home = dir.path().join("home");
    write(
        &etc.join("config.toml"),
        "snapshot = \"/srv/bevaka/stad.sqlite\"\nmax_snapshot_age_hours = 48\n\
         [deadlines]\nutredning_days = 10\ngenomforandeplan_days = 20\n",
    );
    // XDG_CONFIG_DIRS lists the most important first: a over b, both over /etc/bevaka.
    write(
        &xdg_b.join("bevaka/config.toml"),
        "max_snapshot_age_hours = 12\n[deadlines]\nuppfoljning_months = 6\n",
    );
    write(
        &xdg_a.join("bevaka/config.toml"),
        "[deadlines]\nuppfoljning_months = 9\n",
    );
    write(
        &home.join("bevaka/config.toml"),
        "[deadlines]\nutredning_days = 5\n",
    );
    let dirs = format!("{}:{}", xdg_a.display(), xdg_b.display());
    let o = bevaka()
        .arg("config")
        .env("BEVAKA_TEST_ETC", &etc)
        .env("XDG_CONFIG_DIRS", &dirs)
        .env("XDG_CONFIG_HOME", &home)
        .output()
        .expect("config");
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    let line = |start: &str| {
        out.lines()
            .find(|l| l.starts_with(start))
            .unwrap_or_else(|| panic!("{start} in {out}"))
            .to_string()
    };
    let from = |file: &Path| format!("# från {}", file.display());
    assert!(
        line("snapshot = \"/srv/bevaka/stad.sqlite\"").ends_with(&from(&etc.join("config.toml")))
    );
    assert!(
        line("max_snapshot_age_hours = 12").ends_with(&from(&xdg_b.join("bevaka/config.toml")))
    );
    assert!(line("utredning_days = 5").ends_with(&from(&home.join("bevaka/config.toml"))));
    assert!(line("genomforandeplan_days = 20").ends_with(&from(&etc.join("config.toml"))));
    assert!(line("uppfoljning_months = 9").ends_with(&from(&xdg_a.join("bevaka/config.toml"))));
    assert!(line("verkstallighet_months = 3").ends_with("# standard"));

    // The system's access log is not the user's to change.
    write(
        &etc.join("config.toml"),
        "snapshot = \"/srv/bevaka/stad.sqlite\"\naccess_log = \"syslog\"\n\
         [deadlines]\nutredning_days = 10\ngenomforandeplan_days = 20\n",
    );
    write(
        &home.join("bevaka/config.toml"),
        "access_log = \"/tmp/min-logg\"\n[deadlines]\nutredning_days = 5\n",
    );
    let o = bevaka()
        .arg("config")
        .env("BEVAKA_TEST_ETC", &etc)
        .env("XDG_CONFIG_HOME", &home)
        .output()
        .expect("config");
    let out = stdout(&o);
    assert!(
        out.lines().any(|l| l.starts_with("access_log = \"syslog\"")
            && l.ends_with(&from(&etc.join("config.toml")))),
        "{out}"
    );
    assert!(out.contains("utredning_days = 5"), "{out}");

    // --config names the user's file in place of the default one; the system's still apply.
    let other = dir.path().join("annan.toml");
    write(&other, "[deadlines]\ngenomforandeplan_days = 30\n");
    let o = bevaka()
        .arg("config")
        .arg("--config")
        .arg(&other)
        .env("BEVAKA_TEST_ETC", &etc)
        .output()
        .expect("config");
    let out = stdout(&o);
    assert!(out.contains("genomforandeplan_days = 30"), "{out}");
    assert!(out.contains("utredning_days = 10"), "{out}");
}

#[test]
fn a_bad_key_in_either_file_names_that_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let etc = dir.path().join("etc");
    let home = dir.path().join("home");
    write(&etc.join("config.toml"), "snapshoot = \"x\"\n");
    write(
        &home.join("bevaka/config.toml"),
        "[deadlines]\nutredning_days = 5\n",
    );
    let o = bevaka()
        .arg("config")
        .env("BEVAKA_TEST_ETC", &etc)
        .env("XDG_CONFIG_HOME", &home)
        .output()
        .expect("config");
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(
        err.contains(&etc.join("config.toml").display().to_string()) && err.contains("snapshoot"),
        "{err}"
    );

    write(
        &etc.join("config.toml"),
        "[deadlines]\nutredning_days = 5\n",
    );
    write(
        &home.join("bevaka/config.toml"),
        "[deadlines]\nutredning_days = -1\n",
    );
    let o = bevaka()
        .arg("config")
        .env("BEVAKA_TEST_ETC", &etc)
        .env("XDG_CONFIG_HOME", &home)
        .output()
        .expect("config");
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(
        err.contains(&home.join("bevaka/config.toml").display().to_string())
            && err.contains("utredning_days = -1"),
        "{err}"
    );
}

/// `report deadlines --format json` on `snapshot`, as `user`, with `extra` arguments.
fn deadlines(snapshot: &Path, user: Option<&str>, extra: &[&str]) -> Value {
    let mut c = bevaka();
    c.args([
        "report",
        "deadlines",
        "--today",
        "2014-12-31",
        "--format",
        "json",
    ])
    .args(extra)
    .arg("--snapshot")
    .arg(snapshot);
    if let Some(u) = user {
        c.env("USER", u);
    }
    let o = c.output().expect("report");
    assert!(o.status.success(), "{}", stderr(&o));
    serde_json::from_str(&stdout(&o)).expect("json")
}

#[test]
fn the_login_is_the_handlaggare_unless_one_is_given() {
    let dir = tempfile::tempdir().expect("tempdir");
    let snapshot = demo(dir.path());
    let conn = rusqlite::Connection::open(&snapshot).expect("open");
    let (worker, login): (String, String) = conn
        .query_row(
            "SELECT worker_id, login FROM case_workers WHERE login IS NOT NULL
             ORDER BY worker_id LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("a login");
    let other: String = conn
        .query_row(
            "SELECT worker_id FROM case_workers WHERE worker_id <> ?1 LIMIT 1",
            [&worker],
            |r| r.get(0),
        )
        .expect("another");
    drop(conn);

    let everyone = deadlines(&snapshot, None, &[]);
    let mine = deadlines(&snapshot, Some(&login), &[]);
    assert_eq!(mine, deadlines(&snapshot, None, &["--worker", &worker]));
    assert_ne!(mine, everyone);
    // LOGNAME when USER is not set.
    let o = bevaka()
        .args([
            "report",
            "deadlines",
            "--today",
            "2014-12-31",
            "--format",
            "json",
        ])
        .arg("--snapshot")
        .arg(&snapshot)
        .env("LOGNAME", &login)
        .output()
        .expect("report");
    assert_eq!(
        serde_json::from_str::<Value>(&stdout(&o)).expect("json"),
        mine
    );
    // A login that is nobody's: everyone's list, as without one.
    assert_eq!(deadlines(&snapshot, Some("ingen-sadan"), &[]), everyone);
    // Given on the command line or in the user's file: that one.
    let theirs = deadlines(&snapshot, None, &["--worker", &other]);
    assert_eq!(
        deadlines(&snapshot, Some(&login), &["--worker", &other]),
        theirs
    );
    let own = dir.path().join("egen.toml");
    std::fs::write(&own, format!("worker = \"{other}\"\n")).expect("write");
    let own = own.to_str().expect("utf-8");
    assert_eq!(
        deadlines(&snapshot, Some(&login), &["--config", own]),
        theirs
    );

    // A version 1 file has no logins: everyone's list.
    let v1 = dir.path().join("v1.sqlite");
    crate::quarterly::as_version_1(&snapshot, &v1);
    assert_eq!(
        deadlines(&v1, Some(&login), &[])["items"]
            .as_array()
            .map(Vec::len),
        everyone["items"].as_array().map(Vec::len)
    );

    // `bevaka config` says whose the list is and why.
    let o = bevaka()
        .args(["config", "--snapshot"])
        .arg(&snapshot)
        .env("USER", &login)
        .output()
        .expect("config");
    let out = stdout(&o);
    assert!(
        out.contains(&format!("worker = \"{worker}\""))
            && out.contains(&format!("# från inloggningen {login}")),
        "{out}"
    );
}

/// The units of the snapshot at `whole`, each written to `dir/<unit>.sqlite` with only its
/// own cases and the rows under them (and every shared row): a folder of unit files made
/// without bevaka's own split.
fn unit_files(whole: &Path, dir: &Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(whole).expect("open");
    let units: Vec<String> = conn
        .prepare("SELECT unit_id FROM units ORDER BY unit_id")
        .expect("prepare")
        .query_map([], |r| r.get(0))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("units");
    drop(conn);
    for unit in &units {
        let path = dir.join(format!("{unit}.sqlite"));
        std::fs::copy(whole, &path).expect("copy");
        let conn = rusqlite::Connection::open(&path).expect("open");
        conn.execute_batch(&format!(
            "PRAGMA foreign_keys = OFF;
             CREATE TEMP TABLE other AS SELECT case_id FROM cases WHERE unit_id <> '{unit}';
             DELETE FROM interruptions WHERE intervention_id IN
                 (SELECT intervention_id FROM interventions WHERE case_id IN temp.other);
             DELETE FROM interventions WHERE case_id IN temp.other;
             DELETE FROM applications WHERE case_id IN temp.other;
             DELETE FROM followups WHERE case_id IN temp.other;
             DELETE FROM cases WHERE case_id IN temp.other;
             DELETE FROM case_workers WHERE unit_id <> '{unit}'
                 AND worker_id NOT IN (SELECT worker_id FROM cases WHERE worker_id IS NOT NULL)
                 AND worker_id NOT IN (SELECT worker_id FROM applications WHERE worker_id IS NOT NULL)
                 AND worker_id NOT IN (SELECT worker_id FROM followups WHERE worker_id IS NOT NULL);"
        ))
        .expect("narrow");
    }
    units
}

fn report_json(snapshot: &Path, what: &[&str]) -> Value {
    let o = bevaka()
        .arg("report")
        .args(what)
        .args(["--today", "2014-12-31", "--format", "json", "--snapshot"])
        .arg(snapshot)
        .output()
        .expect("report");
    assert!(o.status.success(), "{what:?}: {}", stderr(&o));
    serde_json::from_str(&stdout(&o)).expect("json")
}

const REPORTS: [&[&str]; 6] = [
    &["caseload"],
    &["deadlines"],
    &["processing-time"],
    &["processing-time", "--period", "tertial"],
    &["ivo", "--quarter", "2014-Q4"],
    &["indicators", "--year", "2014"],
];

#[test]
fn a_folder_of_unit_files_reads_as_the_whole_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let whole = demo(dir.path());
    let folder = dir.path().join("enheter");
    std::fs::create_dir(&folder).expect("mkdir");
    let units = unit_files(&whole, &folder);
    assert!(units.len() >= 2, "{units:?}");
    // Neither a temporary file of a build nor the summary is read with them.
    std::fs::write(folder.join(".BFN.sqlite.99.tmp"), b"halv").expect("tmp");
    std::fs::write(folder.join("sammanfattning.sqlite"), b"inte en databas").expect("summary");
    for what in REPORTS {
        assert_eq!(
            report_json(&folder, what),
            report_json(&whole, what),
            "{what:?}"
        );
    }
    // `snapshot = "DIR"` in the config does the same as --snapshot DIR.
    let config = dir.path().join("config.toml");
    std::fs::write(&config, format!("snapshot = \"{}\"\n", folder.display())).expect("w");
    let o = bevaka()
        .args([
            "report",
            "caseload",
            "--today",
            "2014-12-31",
            "--format",
            "json",
        ])
        .arg("--config")
        .arg(&config)
        .output()
        .expect("report");
    assert!(o.status.success(), "{}", stderr(&o));
    let from_config: Value = serde_json::from_str(&stdout(&o)).expect("json");
    assert_eq!(from_config, report_json(&whole, &["caseload"]));

    // A bad member is an error naming it, not a silent gap.
    let bad = folder.join(format!("{}.sqlite", units[0]));
    let conn = rusqlite::Connection::open(&bad).expect("open");
    conn.execute_batch(
        "PRAGMA ignore_check_constraints = ON;
         UPDATE cases SET opened = '2014-02-30' WHERE rowid = (SELECT min(rowid) FROM cases);",
    )
    .expect("tamper");
    drop(conn);
    let o = bevaka()
        .args(["report", "caseload", "--today", "2014-12-31", "--snapshot"])
        .arg(&folder)
        .output()
        .expect("report");
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(
        err.contains(&bad.display().to_string()) && err.contains("2014-02-30"),
        "{err}"
    );
    assert!(o.stdout.is_empty());
}

/// Whether this process runs as root (`/proc/self` is owned by the effective user).
fn is_root() -> bool {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0)
}

#[test]
fn a_unit_file_the_user_may_not_read_is_left_out_and_named() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let whole = demo(dir.path());
    let folder = dir.path().join("enheter");
    std::fs::create_dir(&folder).expect("mkdir");
    let units = unit_files(&whole, &folder);
    let (open, closed) = (&units[0], &units[1]);
    let mode = |p: &Path, m: u32| {
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(m)).expect("chmod");
    };
    mode(dir.path(), 0o755);
    mode(&folder, 0o755);
    for u in &units {
        mode(&folder.join(format!("{u}.sqlite")), 0o644);
    }
    mode(&whole, 0o644);
    // Root reads every file: the test runs bevaka as `nobody` then (`runuser`), and as
    // the user itself otherwise, with the other unit's file closed to it.
    let root = is_root();
    let runuser = ["/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser"]
        .into_iter()
        .find(|p| Path::new(p).exists());
    if root && runuser.is_none() {
        eprintln!("runuser saknas: testet hoppas över som root");
        return;
    }
    mode(
        &folder.join(format!("{closed}.sqlite")),
        if root { 0o600 } else { 0o000 },
    );
    let run = |snapshot: &Path, what: &[&str]| {
        let mut c = bevaka();
        if root {
            let program = c.get_program().to_owned();
            let envs: Vec<_> = c
                .get_envs()
                .map(|(k, v)| (k.to_owned(), v.map(ToOwned::to_owned)))
                .collect();
            c = std::process::Command::new(runuser.expect("runuser"));
            c.args(["-u", "nobody", "--"]).arg(program);
            for (k, v) in envs {
                match v {
                    Some(v) => c.env(k, v),
                    None => c.env_remove(k),
                };
            }
        }
        c.arg("report")
            .args(what)
            .args(["--today", "2014-12-31", "--format", "json", "--snapshot"])
            .arg(snapshot)
            .output()
            .expect("report")
    };
    // (The goals and indicators are left out of the comparison: these hand-made unit files
    // keep every unit's goals; `snapshot split`'s tests compare them.)
    for what in &REPORTS[..5] {
        let o = run(&folder, what);
        assert!(o.status.success(), "{what:?}: {}", stderr(&o));
        let err = stderr(&o);
        assert!(
            err.contains(&format!("ingen läsbehörighet: {closed}.sqlite"))
                && err.lines().count() == 1,
            "{err}"
        );
        // The figures of the readable unit, as the whole file gives them for it.
        let mut narrowed: Vec<&str> = what.to_vec();
        narrowed.extend_from_slice(&["--unit", open]);
        let theirs = run(&whole, &narrowed);
        assert!(theirs.status.success(), "{}", stderr(&theirs));
        let mut mine: Value = serde_json::from_str(&stdout(&o)).expect("json");
        let mut want: Value = serde_json::from_str(&stdout(&theirs)).expect("json");
        // Everything but the filter's own echo (no --unit on the folder).
        for v in [&mut mine, &mut want] {
            if let Some(o) = v.as_object_mut() {
                o.remove("filter");
                o.remove("unit_id");
            }
        }
        assert_eq!(mine, want, "{what:?}");
    }
    // Nothing readable: an error naming the folder and the files.
    mode(
        &folder.join(format!("{open}.sqlite")),
        if root { 0o600 } else { 0o000 },
    );
    let o = run(&folder, &["caseload"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("ingen läsbehörighet"), "{}", stderr(&o));
}

#[test]
fn the_login_works_on_a_snapshot_bevaka_did_not_write() {
    // Written as a producer would, with the contract's schema and plain SQL.
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("producent.sqlite");
    let conn = rusqlite::Connection::open(&path).expect("create");
    conn.execute_batch(include_str!("../../db/schema.sql"))
        .expect("schema");
    conn.execute_batch(
        "INSERT INTO units VALUES ('U1', 'Enheten', NULL, NULL);
         INSERT INTO case_workers VALUES ('W1', 'Ada Ek', 'U1', NULL, 'adek');
         INSERT INTO case_workers VALUES ('W2', 'Bo Lind', 'U1', NULL, 'bol');
         INSERT INTO cases VALUES ('C1', 'U1', NULL, 'W1', 'A.A. 1950', '2014-01-01', NULL, 'K');
         INSERT INTO cases VALUES ('C2', 'U1', NULL, 'W2', 'B.B. 1960', '2014-01-01', NULL, 'M');
         INSERT INTO followups VALUES ('F1', 'C1', 'uppföljning', '2014-12-01', NULL, 'W1', NULL);
         INSERT INTO followups VALUES ('F2', 'C2', 'uppföljning', '2014-12-02', NULL, 'W2', NULL);
         INSERT INTO followups VALUES ('F3', 'C2', 'uppföljning', '2014-12-03', NULL, 'W2', NULL);",
    )
    .expect("rows");
    drop(conn);
    let cases = |v: &Value| -> Vec<String> {
        v["items"]
            .as_array()
            .expect("items")
            .iter()
            .map(|i| i["case_id"].as_str().expect("case").to_string())
            .collect()
    };
    assert_eq!(cases(&deadlines(&path, Some("adek"), &[])), ["C1"]);
    assert_eq!(cases(&deadlines(&path, Some("bol"), &[])), ["C2", "C2"]);
    assert_eq!(cases(&deadlines(&path, Some("okand"), &[])).len(), 3);
}

#[test]
fn a_rebuild_keeps_the_files_group_and_mode() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("BFN.sqlite");
    let build = || {
        let o = bevaka()
            .args(["demo", "--as-of", "2014-12-31", "--out"])
            .arg(&out)
            .output()
            .expect("demo");
        assert!(o.status.success(), "{}", stderr(&o));
    };
    build();
    // Root can give any group; another user only its own ones, which is no change to test.
    let group = if is_root() {
        65534
    } else {
        std::fs::metadata(&out).expect("meta").gid()
    };
    std::os::unix::fs::chown(&out, None, Some(group)).expect("chgrp");
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o640)).expect("chmod");
    let before = std::fs::metadata(&out).expect("meta").ino();
    build();
    let meta = std::fs::metadata(&out).expect("meta");
    assert_ne!(meta.ino(), before, "a new file was published");
    assert_eq!(meta.gid(), group);
    assert_eq!(meta.permissions().mode() & 0o777, 0o640);
}
