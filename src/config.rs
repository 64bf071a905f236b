//! Configuration: the TOML files an administrator and a user keep, validated into [`Config`].
//!
//! Each file is parsed with serde (unknown keys are errors, so a typo is not silently
//! ignored), then validated; every error names the file and the key. The files are read in
//! layers, each overriding the one before key by key ([`Layers`]): the system's
//! (`/etc/bevaka/config.toml`, then `$XDG_CONFIG_DIRS/bevaka/config.toml`), then the user's
//! (`~/.config/bevaka/config.toml`, or the one named by `--config`/`BEVAKA_CONFIG`), then the
//! command line. A file named explicitly must exist; the others may be absent.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::access_log::AccessLogTarget;

/// The commented default config, shipped in `config/` and printed by `bevaka config --default`.
pub const DEFAULT_TOML: &str = include_str!("../config/bevaka.toml");

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    snapshot: Option<PathBuf>,
    worker: Option<String>,
    unit: Option<String>,
    team: Option<String>,
    ascii: Option<bool>,
    max_snapshot_age_hours: Option<i64>,
    indicator_tolerance_percent: Option<i64>,
    access_log: Option<PathBuf>,
    export_dir: Option<PathBuf>,
    export_format: Option<String>,
    deadlines: Option<RawDeadlines>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDeadlines {
    utredning_days: Option<i64>,
    genomforandeplan_days: Option<i64>,
    uppfoljning_months: Option<i64>,
    verkstallighet_months: Option<i64>,
}

/// The day and month counts of the deadline rules (DOMAIN.md "Deadlines").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeadlineRules {
    pub utredning_days: u32,
    pub genomforandeplan_days: u32,
    pub uppfoljning_months: u32,
    pub verkstallighet_months: u32,
}

impl Default for DeadlineRules {
    fn default() -> Self {
        Self {
            utredning_days: 7,
            genomforandeplan_days: 14,
            uppfoljning_months: 12,
            verkstallighet_months: 3,
        }
    }
}

/// What `e` in the dashboard writes (`export_format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// A CSV file for Swedish Excel (`;`, decimal comma, BOM).
    Csv,
    /// An Excel workbook, the report's sheets.
    Xlsx,
}

impl ExportFormat {
    /// The word in the config file, and the file's extension.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            ExportFormat::Csv => "csv",
            ExportFormat::Xlsx => "xlsx",
        }
    }
}

/// The validated configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// The files it was read from, the system's first, the user's last.
    pub files: Vec<PathBuf>,
    pub snapshot: Option<PathBuf>,
    pub worker: Option<String>,
    pub unit: Option<String>,
    pub team: Option<String>,
    pub ascii: bool,
    pub max_snapshot_age_hours: u32,
    /// An indicator without a tolerance of its own is `delvis` within this percentage of
    /// |årsmål| (DOMAIN.md "Indicator status").
    pub indicator_tolerance_percent: u32,
    /// "Who looked at what": an entry per session start, case detail, case card and export,
    /// in a file (`access_log = PATH`) or the system log (`access_log = "syslog"`).
    pub access_log: Option<AccessLogTarget>,
    /// Where `e` in the dashboard writes its files (default: the current directory, else
    /// the home directory when that cannot be written).
    pub export_dir: Option<PathBuf>,
    /// What `e` writes; unset, `e` asks each time.
    pub export_format: Option<ExportFormat>,
    pub deadlines: DeadlineRules,
    /// Where each key that is not a default came from (`deadlines.utredning_days`, …):
    /// the file, or a command-line option. `bevaka config` prints it.
    pub sources: std::collections::BTreeMap<&'static str, String>,
    /// The keys whose value is the system's (no user file or option set them).
    pub from_system: std::collections::BTreeSet<&'static str>,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            files: Vec::new(),
            snapshot: None,
            worker: None,
            unit: None,
            team: None,
            ascii: false,
            max_snapshot_age_hours: 36,
            indicator_tolerance_percent: 5,
            access_log: None,
            export_dir: None,
            export_format: None,
            deadlines: DeadlineRules::default(),
            sources: std::collections::BTreeMap::new(),
            from_system: std::collections::BTreeSet::new(),
        }
    }
}

/// A config file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{path}: konfigurationsfilen finns inte")]
    Missing { path: PathBuf },
    #[error("{path}: kan inte läsa konfigurationen: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: {message}")]
    Invalid { path: PathBuf, message: String },
}

/// Where the config comes from, and whether it must exist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// Named by `--config` or `BEVAKA_CONFIG`: must exist.
    Explicit(PathBuf),
    /// The XDG default: may be absent.
    Default(PathBuf),
    /// No config directory could be determined.
    None,
}

/// Resolves the config location from the command line and the environment (passed in, so
/// tests do not depend on the process environment).
#[must_use]
pub fn locate(
    cli: Option<&Path>,
    bevaka_config: Option<&str>,
    xdg_config_home: Option<&str>,
    home: Option<&str>,
) -> Location {
    if let Some(p) = cli {
        return Location::Explicit(p.to_path_buf());
    }
    if let Some(p) = bevaka_config.filter(|s| !s.is_empty()) {
        return Location::Explicit(PathBuf::from(p));
    }
    let base = xdg_config_home
        .filter(|s| Path::new(s).is_absolute())
        .map(PathBuf::from)
        .or_else(|| {
            home.filter(|s| !s.is_empty())
                .map(|h| Path::new(h).join(".config"))
        });
    base.map_or(Location::None, |b| {
        Location::Default(b.join("bevaka").join("config.toml"))
    })
}

/// Loads and validates the config at `location`.
///
/// # Errors
/// A missing explicit file, an unreadable file, bad TOML, unknown keys, bad values.
pub fn load(location: &Location) -> Result<Config, ConfigError> {
    let (path, must_exist) = match location {
        Location::Explicit(p) => (p, true),
        Location::Default(p) => (p, false),
        Location::None => return Ok(Config::default()),
    };
    read(path, must_exist).map(Option::unwrap_or_default)
}

/// The config file at `path`, `None` if it is absent and need not exist.
fn read(path: &Path, must_exist: bool) -> Result<Option<Config>, ConfigError> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !must_exist => return Ok(None),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(ConfigError::Missing {
                path: path.to_path_buf(),
            });
        }
        Err(source) => {
            return Err(ConfigError::Io {
                path: path.to_path_buf(),
                source,
            });
        }
    };
    parse(&text, Some(path)).map(Some)
}

/// The config files read, from the least to the most specific.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layers {
    /// The system's files, each optional: `/etc/bevaka/config.toml` first, then those of
    /// `$XDG_CONFIG_DIRS` from the least to the most important (the variable lists the most
    /// important first; `/etc/xdg` when it is unset).
    pub system: Vec<PathBuf>,
    /// The user's file.
    pub user: Location,
}

impl Layers {
    /// The layers for the given environment (passed in, so tests do not depend on the
    /// process's): `etc` is `/etc/bevaka` outside tests.
    #[must_use]
    pub fn locate(etc: &Path, xdg_config_dirs: Option<&str>, user: Location) -> Self {
        let dirs = xdg_config_dirs
            .filter(|s| !s.is_empty())
            .unwrap_or("/etc/xdg");
        let mut system = vec![etc.join("config.toml")];
        // Relative entries are ignored, as the XDG specification asks.
        for dir in dirs.split(':').rev().filter(|d| Path::new(d).is_absolute()) {
            let file = Path::new(dir).join("bevaka").join("config.toml");
            if !system.contains(&file) {
                system.push(file);
            }
        }
        Self { system, user }
    }

    /// Reads every layer and lays each over the ones before, key by key.
    ///
    /// # Errors
    /// As [`load`], naming the file: a missing explicit user file, an unreadable file
    /// (a system file too: its rules are not silently skipped), bad TOML, unknown keys,
    /// bad values.
    pub fn load(&self) -> Result<Config, ConfigError> {
        let mut config = Config::default();
        for path in &self.system {
            if let Some(layer) = read(path, false)? {
                config.overlay(layer);
            }
        }
        config.from_system = config.sources.keys().copied().collect();
        // The access log the system keeps is not the user's to turn off or move: "who
        // looked at what" is logged where the person who looked cannot change it.
        let system_log = config
            .sources
            .get("access_log")
            .cloned()
            .map(|origin| (config.access_log.clone(), origin));
        let user = match &self.user {
            Location::Explicit(p) => read(p, true)?,
            Location::Default(p) => read(p, false)?,
            Location::None => None,
        };
        if let Some(layer) = user {
            config.overlay(layer);
        }
        if let Some((log, origin)) = system_log {
            config.access_log = log;
            config.sources.insert("access_log", origin);
            config.from_system.insert("access_log");
        }
        Ok(config)
    }
}

/// Parses and validates config text; `path` names the file in errors and anchors a
/// relative snapshot path.
///
/// # Errors
/// Bad TOML, unknown keys, bad values.
pub fn parse(text: &str, path: Option<&Path>) -> Result<Config, ConfigError> {
    let shown = path.map_or_else(|| PathBuf::from("<konfiguration>"), Path::to_path_buf);
    let invalid = |message: String| ConfigError::Invalid {
        path: shown.clone(),
        message,
    };
    let raw: RawConfig = toml::from_str(text).map_err(|e| {
        invalid(
            e.to_string()
                .trim_start_matches("TOML parse error at ")
                .replace('\n', " ")
                .trim()
                .to_string(),
        )
    })?;
    let mut config = Config {
        files: path.map(Path::to_path_buf).into_iter().collect(),
        ..Config::default()
    };
    config.snapshot = raw.snapshot.map(|p| match path.and_then(Path::parent) {
        Some(dir) if p.is_relative() => dir.join(p),
        _ => p,
    });
    // `"syslog"` is the system log; a file of that name is written `"./syslog"`.
    config.access_log = raw.access_log.map(|p| match path.and_then(Path::parent) {
        _ if p.as_os_str() == "syslog" => AccessLogTarget::Syslog,
        Some(dir) if p.is_relative() => AccessLogTarget::File(dir.join(p)),
        _ => AccessLogTarget::File(p),
    });
    config.export_dir = raw.export_dir.map(|p| match path.and_then(Path::parent) {
        Some(dir) if p.is_relative() => dir.join(p),
        _ => p,
    });
    config.export_format = match raw.export_format.as_deref().map(str::trim) {
        None => None,
        Some("csv") => Some(ExportFormat::Csv),
        Some("xlsx") => Some(ExportFormat::Xlsx),
        Some(other) => {
            return Err(invalid(format!(
                "export_format = {}: ogiltigt värde, väntade \"csv\" eller \"xlsx\"",
                toml::Value::String(other.to_string())
            )));
        }
    };
    config.worker = non_empty(raw.worker);
    config.unit = non_empty(raw.unit);
    config.team = non_empty(raw.team);
    config.ascii = raw.ascii.unwrap_or(false);
    if let Some(h) = raw.max_snapshot_age_hours {
        config.max_snapshot_age_hours =
            in_range("max_snapshot_age_hours", h, 1, 24 * 365).map_err(&invalid)?;
    }
    if let Some(p) = raw.indicator_tolerance_percent {
        config.indicator_tolerance_percent =
            in_range("indicator_tolerance_percent", p, 0, 100).map_err(&invalid)?;
    }
    let origin = shown.display().to_string();
    let mut from_file = |key: &'static str, set: bool| {
        if set {
            config.sources.insert(key, origin.clone());
        }
    };
    from_file("snapshot", config.snapshot.is_some());
    from_file("access_log", config.access_log.is_some());
    from_file("export_dir", config.export_dir.is_some());
    from_file("export_format", config.export_format.is_some());
    from_file("worker", config.worker.is_some());
    from_file("unit", config.unit.is_some());
    from_file("team", config.team.is_some());
    from_file("ascii", raw.ascii.is_some());
    from_file(
        "max_snapshot_age_hours",
        raw.max_snapshot_age_hours.is_some(),
    );
    from_file(
        "indicator_tolerance_percent",
        raw.indicator_tolerance_percent.is_some(),
    );
    if let Some(d) = &raw.deadlines {
        from_file("deadlines.utredning_days", d.utredning_days.is_some());
        from_file(
            "deadlines.genomforandeplan_days",
            d.genomforandeplan_days.is_some(),
        );
        from_file(
            "deadlines.uppfoljning_months",
            d.uppfoljning_months.is_some(),
        );
        from_file(
            "deadlines.verkstallighet_months",
            d.verkstallighet_months.is_some(),
        );
    }
    let d = raw.deadlines.unwrap_or_default();
    let rules = &mut config.deadlines;
    if let Some(v) = d.utredning_days {
        rules.utredning_days = in_range("deadlines.utredning_days", v, 0, 365).map_err(&invalid)?;
    }
    if let Some(v) = d.genomforandeplan_days {
        rules.genomforandeplan_days =
            in_range("deadlines.genomforandeplan_days", v, 0, 365).map_err(&invalid)?;
    }
    if let Some(v) = d.uppfoljning_months {
        rules.uppfoljning_months =
            in_range("deadlines.uppfoljning_months", v, 1, 120).map_err(&invalid)?;
    }
    if let Some(v) = d.verkstallighet_months {
        rules.verkstallighet_months =
            in_range("deadlines.verkstallighet_months", v, 1, 120).map_err(&invalid)?;
    }
    Ok(config)
}

impl Config {
    /// Lays `top` over this config: every key `top`'s file set (its `sources`) takes
    /// `top`'s value and origin; the others stay.
    pub fn overlay(&mut self, top: Config) {
        for (&key, origin) in &top.sources {
            match key {
                "snapshot" => self.snapshot.clone_from(&top.snapshot),
                "access_log" => self.access_log.clone_from(&top.access_log),
                "export_dir" => self.export_dir.clone_from(&top.export_dir),
                "export_format" => self.export_format = top.export_format,
                "worker" => self.worker.clone_from(&top.worker),
                "unit" => self.unit.clone_from(&top.unit),
                "team" => self.team.clone_from(&top.team),
                "ascii" => self.ascii = top.ascii,
                "max_snapshot_age_hours" => {
                    self.max_snapshot_age_hours = top.max_snapshot_age_hours;
                }
                "indicator_tolerance_percent" => {
                    self.indicator_tolerance_percent = top.indicator_tolerance_percent;
                }
                "deadlines.utredning_days" => {
                    self.deadlines.utredning_days = top.deadlines.utredning_days;
                }
                "deadlines.genomforandeplan_days" => {
                    self.deadlines.genomforandeplan_days = top.deadlines.genomforandeplan_days;
                }
                "deadlines.uppfoljning_months" => {
                    self.deadlines.uppfoljning_months = top.deadlines.uppfoljning_months;
                }
                "deadlines.verkstallighet_months" => {
                    self.deadlines.verkstallighet_months = top.deadlines.verkstallighet_months;
                }
                _ => continue,
            }
            self.sources.insert(key, origin.clone());
            self.from_system.remove(key);
        }
        self.files.extend(top.files);
    }

    /// Sets `key` from a command-line option `flag` (the value itself set by the caller).
    pub fn given(&mut self, key: &'static str, flag: &str) {
        self.sources.insert(key, flag.to_string());
        self.from_system.remove(key);
    }

    /// Where `key`'s value came from, for an error about it: "worker i FILE", the option,
    /// or "worker i konfigurationen".
    #[must_use]
    pub fn origin_of(&self, key: &str) -> String {
        match self.sources.get(key) {
            Some(o) if o.starts_with("--") || o.starts_with("inloggningen ") => o.clone(),
            Some(file) => format!("{key} i {file}"),
            None => format!("{key} i konfigurationen"),
        }
    }

    /// The configuration in effect as a config file (TOML, which `--config` reads back),
    /// each key with where its value came from: a file, an option, or the default. Keys
    /// without a value are listed commented out.
    #[must_use]
    pub fn to_toml(&self) -> String {
        let origin = |key: &str| {
            self.sources
                .get(key)
                .map_or_else(|| "standard".to_string(), |s| format!("från {s}"))
        };
        let text = |v: &str| toml::Value::String(v.to_string()).to_string();
        let path = |p: &Option<PathBuf>| p.as_ref().map(|p| text(&p.display().to_string()));
        let mut out = String::from("# Gällande konfiguration för bevaka (bevaka config)\n");
        out.push_str(&match self.files.as_slice() {
            [] => "# Ingen konfigurationsfil: standardvärden och flaggor.\n\n".to_string(),
            [one] => format!("# Konfigurationsfil: {}\n\n", one.display()),
            many => {
                let mut s =
                    String::from("# Konfigurationsfiler (den senare gäller före den förra):\n");
                for f in many {
                    s.push_str(&format!("#   {}\n", f.display()));
                }
                s.push('\n');
                s
            }
        });
        let mut line = |key: &str, value: Option<String>| {
            let shown = key.rsplit('.').next().unwrap_or(key);
            let (entry, why) = match value {
                Some(v) => (format!("{shown} = {v}"), origin(key)),
                None => (format!("# {shown} ="), "inte satt".to_string()),
            };
            out.push_str(&format!("{entry:<44} # {why}\n"));
        };
        line("snapshot", path(&self.snapshot));
        line("worker", self.worker.as_deref().map(text));
        line("unit", self.unit.as_deref().map(text));
        line("team", self.team.as_deref().map(text));
        line("ascii", Some(self.ascii.to_string()));
        line(
            "access_log",
            self.access_log.as_ref().map(|t| match t {
                AccessLogTarget::Syslog => text("syslog"),
                AccessLogTarget::File(p) if p.as_os_str() == "syslog" => text("./syslog"),
                AccessLogTarget::File(p) => text(&p.display().to_string()),
            }),
        );
        line("export_dir", path(&self.export_dir));
        line(
            "export_format",
            self.export_format.map(|f| text(f.as_str())),
        );
        line(
            "max_snapshot_age_hours",
            Some(self.max_snapshot_age_hours.to_string()),
        );
        line(
            "indicator_tolerance_percent",
            Some(self.indicator_tolerance_percent.to_string()),
        );
        out.push_str("\n[deadlines]\n");
        let d = self.deadlines;
        let mut line = |key: &str, value: u32| {
            let shown = key.rsplit('.').next().unwrap_or(key);
            let entry = format!("{shown} = {value}");
            out.push_str(&format!("{entry:<44} # {}\n", origin(key)));
        };
        line("deadlines.utredning_days", d.utredning_days);
        line("deadlines.genomforandeplan_days", d.genomforandeplan_days);
        line("deadlines.uppfoljning_months", d.uppfoljning_months);
        line("deadlines.verkstallighet_months", d.verkstallighet_months);
        out
    }
}

fn non_empty(value: Option<String>) -> Option<String> {
    value
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

fn in_range(key: &str, value: i64, min: i64, max: i64) -> Result<u32, String> {
    if (min..=max).contains(&value) {
        u32::try_from(value).map_err(|_| format!("{key} = {value}: värdet är för stort"))
    } else {
        Err(format!(
            "{key} = {value}: ogiltigt värde, väntade ett heltal från {min} till {max}"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_default_parses_to_the_built_in_defaults() {
        let c = parse(DEFAULT_TOML, None).expect("default config");
        assert_eq!(c, Config::default());
    }

    #[test]
    fn uncommented_default_values_are_the_defaults_too() {
        // Every commented `key = value` line of the shipped file, uncommented, must parse and
        // equal the built-in defaults for the deadline rules: the file documents the truth.
        let text: String = DEFAULT_TOML
            .lines()
            .map(|l| match l.strip_prefix("# ") {
                Some(rest)
                    if rest.contains(" = ")
                        && rest.starts_with(|c: char| c.is_ascii_lowercase()) =>
                {
                    rest.to_string()
                }
                _ => l.to_string(),
            })
            .collect::<Vec<_>>()
            .join("\n");
        let c = parse(&text, Some(Path::new("/etc/bevaka/config.toml"))).expect("parses");
        assert_eq!(c.deadlines, DeadlineRules::default());
        assert_eq!(c.max_snapshot_age_hours, 36);
        assert_eq!(c.indicator_tolerance_percent, 5);
        assert_eq!(c.worker.as_deref(), Some("H101"));
        assert_eq!(c.export_format, Some(ExportFormat::Xlsx));
    }

    #[test]
    fn a_layer_that_sets_every_key_overrides_every_key() {
        let path = Path::new("/home/anna/.config/bevaka/config.toml");
        let text = "snapshot = \"/s.sqlite\"\nworker = \"H1\"\nunit = \"U\"\nteam = \"T\"\n\
                    ascii = true\naccess_log = \"/log\"\nexport_dir = \"/ut\"\n\
                    export_format = \"xlsx\"\n\
                    max_snapshot_age_hours = 2\nindicator_tolerance_percent = 9\n\
                    [deadlines]\nutredning_days = 1\ngenomforandeplan_days = 2\n\
                    uppfoljning_months = 3\nverkstallighet_months = 4\n";
        let top = parse(text, Some(path)).expect("parses");
        let mut base = parse(
            "snapshot = \"/annan.sqlite\"\n[deadlines]\nutredning_days = 20\n",
            Some(Path::new("/etc/bevaka/config.toml")),
        )
        .expect("parses");
        base.from_system = base.sources.keys().copied().collect();
        base.overlay(top.clone());
        assert!(base.from_system.is_empty(), "{:?}", base.from_system);
        base.from_system.clone_from(&top.from_system);
        assert_eq!(base.files.len(), 2);
        base.files.clone_from(&top.files);
        assert_eq!(base, top);
    }

    #[test]
    fn bad_values_name_the_key_and_value() {
        let e = parse(
            "[deadlines]\nutredning_days = -3\n",
            Some(Path::new("c.toml")),
        )
        .expect_err("negative");
        assert_eq!(
            e.to_string(),
            "c.toml: deadlines.utredning_days = -3: ogiltigt värde, väntade ett heltal från 0 till 365"
        );
        let e = parse("snapshoot = \"x\"\n", Some(Path::new("c.toml"))).expect_err("typo");
        assert!(e.to_string().contains("snapshoot"), "{e}");
        let e = parse("[deadlines]\nutredning_days = \"sju\"\n", None).expect_err("type");
        assert!(e.to_string().contains("utredning_days"), "{e}");
    }

    #[test]
    fn export_format_is_csv_or_xlsx_and_says_where_it_came_from() {
        let path = Path::new("/home/anna/.config/bevaka/config.toml");
        let c = parse("export_format = \"xlsx\"\n", Some(path)).expect("parses");
        assert_eq!(c.export_format, Some(ExportFormat::Xlsx));
        let text = c.to_toml();
        assert!(
            text.contains("export_format = \"xlsx\"")
                && text.contains(&format!("# från {}", path.display())),
            "{text}"
        );
        let mut base = parse(
            "export_format = \"csv\"\n",
            Some(Path::new("/etc/bevaka/config.toml")),
        )
        .expect("parses");
        assert_eq!(base.export_format, Some(ExportFormat::Csv));
        base.overlay(c);
        assert_eq!(base.export_format, Some(ExportFormat::Xlsx));
        assert_eq!(
            base.origin_of("export_format"),
            format!("export_format i {}", path.display())
        );
        let e = parse("export_format = \"pdf\"\n", Some(Path::new("c.toml"))).expect_err("pdf");
        assert_eq!(
            e.to_string(),
            "c.toml: export_format = \"pdf\": ogiltigt värde, väntade \"csv\" eller \"xlsx\""
        );
        let e = parse("export_format = 1\n", Some(Path::new("c.toml"))).expect_err("number");
        assert!(
            e.to_string().starts_with("c.toml: ") && e.to_string().contains("export_format"),
            "{e}"
        );
        assert_eq!(Config::default().export_format, None);
        assert!(Config::default().to_toml().contains("# export_format ="));
    }

    #[test]
    fn indicator_tolerance_is_a_percentage() {
        let c = parse("indicator_tolerance_percent = 10\n", None).expect("parses");
        assert_eq!(c.indicator_tolerance_percent, 10);
        let e = parse(
            "indicator_tolerance_percent = 101\n",
            Some(Path::new("c.toml")),
        )
        .expect_err("too large");
        assert_eq!(
            e.to_string(),
            "c.toml: indicator_tolerance_percent = 101: ogiltigt värde, väntade ett heltal från 0 till 100"
        );
    }

    #[test]
    fn relative_snapshot_path_is_anchored_at_the_config_file() {
        let c = parse(
            "snapshot = \"data/s.sqlite\"\n",
            Some(Path::new("/etc/bevaka/c.toml")),
        )
        .expect("parses");
        assert_eq!(c.snapshot, Some(PathBuf::from("/etc/bevaka/data/s.sqlite")));
    }

    #[test]
    fn location_order_is_cli_env_xdg_home() {
        let cli = Path::new("/a.toml");
        assert_eq!(
            locate(Some(cli), Some("/b.toml"), Some("/x"), Some("/h")),
            Location::Explicit(cli.into())
        );
        assert_eq!(
            locate(None, Some("/b.toml"), Some("/x"), Some("/h")),
            Location::Explicit("/b.toml".into())
        );
        assert_eq!(
            locate(None, None, Some("/x"), Some("/h")),
            Location::Default("/x/bevaka/config.toml".into())
        );
        assert_eq!(
            locate(None, Some(""), Some("relative"), Some("/h")),
            Location::Default("/h/.config/bevaka/config.toml".into())
        );
        assert_eq!(locate(None, None, None, None), Location::None);
    }

    #[test]
    fn missing_explicit_file_is_an_error_missing_default_is_not() {
        let p = PathBuf::from("/nonexistent/bevaka.toml");
        assert!(matches!(
            load(&Location::Explicit(p.clone())),
            Err(ConfigError::Missing { .. })
        ));
        assert_eq!(load(&Location::Default(p)).ok(), Some(Config::default()));
    }

    #[test]
    fn effective_config_reads_back_and_says_where_each_value_came_from() {
        let path = Path::new("/etc/bevaka/config.toml");
        let mut c = parse(
            "worker = \"H101\"\nunit = \"B\\\"FN\"\n[deadlines]\nutredning_days = 5\n",
            Some(path),
        )
        .expect("parses");
        c.sources.insert("team", "--team".into());
        c.team = Some("Socialpsykiatri".into());
        let text = c.to_toml();
        assert!(text.contains("worker = \"H101\""), "{text}");
        assert!(text.contains("# från /etc/bevaka/config.toml"), "{text}");
        assert!(text.contains("# från --team"), "{text}");
        assert!(text.contains("genomforandeplan_days = 14"), "{text}");
        assert!(text.contains("# snapshot ="), "{text}");
        let mut again = parse(&text, Some(path)).expect("reads back");
        again.sources.clone_from(&c.sources);
        assert_eq!(again, c);
    }
}
