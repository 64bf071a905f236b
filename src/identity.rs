//! Who bevaka thinks the user is: the handläggare behind the OS login (DOMAIN.md, "The
//! handläggare behind a login"), unless a worker is given on the command line or in the
//! user's own config.
//!
//! On a shared jump host nobody has to configure their handläggare id: the snapshot's
//! `case_workers.login` names the OS user of each handläggare, and the user running bevaka
//! (`USER`, else `LOGNAME`) opens on their own list. A login that matches nobody means no
//! own list (the unit's list, as before), and the status line says so.

use rusqlite::Connection;

use crate::config::Config;

/// Who the user is, as far as bevaka can tell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Identity {
    /// A handläggare given on the command line or in the user's config (`origin`).
    Given { worker_id: String, origin: String },
    /// The login is this one handläggare's.
    Login {
        login: String,
        worker_id: String,
        name: String,
    },
    /// The login is several handläggare's: none is chosen.
    Ambiguous { login: String, workers: Vec<String> },
    /// The login is nobody's in the snapshot (or the snapshot has no logins).
    Unknown { login: String },
    /// No login is known (no `USER` or `LOGNAME`) and no handläggare given.
    Nobody,
}

impl Identity {
    /// Resolves the user: a worker the user set (option or own file) wins, else the
    /// login's handläggare in `conn`.
    ///
    /// # Errors
    /// SQLite errors.
    pub fn resolve(
        config: &Config,
        login: Option<&str>,
        conn: &Connection,
    ) -> rusqlite::Result<Self> {
        if let Some(worker_id) = &config.worker
            && !config.from_system.contains("worker")
        {
            return Ok(Self::Given {
                worker_id: worker_id.clone(),
                origin: config.origin_of("worker"),
            });
        }
        let Some(login) = login.map(str::trim).filter(|l| !l.is_empty()) else {
            return Ok(Self::Nobody);
        };
        let mut found = crate::snapshot::queries::workers_of_login(conn, login)?;
        let login = login.to_string();
        Ok(match found.len() {
            0 => Self::Unknown { login },
            1 => {
                let (worker_id, name) = found.remove(0);
                Self::Login {
                    login,
                    worker_id,
                    name,
                }
            }
            _ => Self::Ambiguous {
                login,
                workers: found.into_iter().map(|(id, _)| id).collect(),
            },
        })
    }

    /// The handläggare whose own list to show, if any.
    #[must_use]
    pub fn worker(&self) -> Option<&str> {
        match self {
            Self::Given { worker_id, .. } | Self::Login { worker_id, .. } => Some(worker_id),
            Self::Ambiguous { .. } | Self::Unknown { .. } | Self::Nobody => None,
        }
    }

    /// Sets `config.worker` to the user's handläggare (or none), with where it came from.
    pub fn apply(&self, config: &mut Config) {
        match self {
            Self::Given { .. } => {}
            Self::Login {
                login, worker_id, ..
            } => {
                config.worker = Some(worker_id.clone());
                config.given("worker", &format!("inloggningen {login}"));
            }
            Self::Ambiguous { .. } | Self::Unknown { .. } | Self::Nobody => {
                config.worker = None;
                config.sources.remove("worker");
                config.from_system.remove("worker");
            }
        }
    }

    /// What the status line says at start: who bevaka thinks you are. `None` where
    /// nothing is known or given (no login at all: nothing to say).
    #[must_use]
    pub fn describe(&self) -> Option<(String, bool)> {
        match self {
            Self::Given { .. } | Self::Nobody => None,
            Self::Login {
                login,
                worker_id,
                name,
            } => Some((
                format!("Du är {name} ({worker_id}, inloggning {login})"),
                false,
            )),
            Self::Unknown { login } => Some((
                format!("Inloggningen {login} är ingen handläggare här: allas bevakningar"),
                false,
            )),
            Self::Ambiguous { login, workers } => Some((
                format!(
                    "Inloggningen {login} hör till {}: ange --worker",
                    workers.join(", ")
                ),
                true,
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snapshot(logins: &[(&str, Option<&str>)]) -> Connection {
        let conn = Connection::open_in_memory().expect("memory");
        conn.execute_batch(crate::snapshot::write::SCHEMA_SQL)
            .expect("schema");
        conn.execute("INSERT INTO units VALUES ('U', 'Enheten', NULL, NULL)", [])
            .expect("unit");
        for (id, login) in logins {
            conn.execute(
                "INSERT INTO case_workers VALUES (?1, ?2, 'U', NULL, ?3)",
                rusqlite::params![id, format!("Namn {id}"), login],
            )
            .expect("worker");
        }
        conn
    }

    #[test]
    fn the_login_names_the_handlaggare_unless_the_user_gave_one() {
        let conn = snapshot(&[("H1", Some("anna")), ("H2", Some("bo")), ("H3", Some("bo"))]);
        let config = Config::default();
        let me = Identity::resolve(&config, Some("anna"), &conn).expect("resolve");
        assert_eq!(me.worker(), Some("H1"));
        let mut applied = config.clone();
        me.apply(&mut applied);
        assert_eq!(applied.worker.as_deref(), Some("H1"));
        assert_eq!(applied.origin_of("worker"), "inloggningen anna");

        let nobody = Identity::resolve(&config, Some("kalle"), &conn).expect("resolve");
        assert_eq!(
            nobody,
            Identity::Unknown {
                login: "kalle".into()
            }
        );
        assert_eq!(nobody.worker(), None);

        let two = Identity::resolve(&config, Some("bo"), &conn).expect("resolve");
        assert_eq!(two.worker(), None, "ambiguous: no own list");
        assert!(two.describe().expect("said").0.contains("H2, H3"));

        assert_eq!(
            Identity::resolve(&config, None, &conn).expect("resolve"),
            Identity::Nobody
        );

        // Given by the user: kept, whatever the login.
        let mut given = Config {
            worker: Some("H2".into()),
            ..Config::default()
        };
        given.given("worker", "--worker");
        let me = Identity::resolve(&given, Some("anna"), &conn).expect("resolve");
        assert_eq!(me.worker(), Some("H2"));

        // A worker in a system file is not the user's: the login wins.
        let mut system = Config {
            worker: Some("H2".into()),
            ..Config::default()
        };
        system
            .sources
            .insert("worker", "/etc/bevaka/config.toml".into());
        system.from_system.insert("worker");
        let me = Identity::resolve(&system, Some("anna"), &conn).expect("resolve");
        assert_eq!(me.worker(), Some("H1"));
    }
}
