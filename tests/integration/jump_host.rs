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
