//! Dispatch of the command line to the library, with the environment and the clock passed
//! in by `main` (the only place that reads them).

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::SystemTime;

use chrono::NaiveDate;
use color_eyre::Result;
use color_eyre::eyre::{WrapErr, eyre};

use crate::cli::{
    Cli, Command, DashboardArgs, Format, ReportArgs, ReportKind, Scale, SnapshotCommand, TeamArg,
    UnitArg, WorkerArg,
};
use crate::config::{self, Config};
use crate::report::{self, CsvFlavour, Output};
use crate::snapshot::queries::Filter;
use crate::snapshot::split::SplitLock;
use crate::snapshot::{Snapshot, write_snapshot};
use crate::tui;

/// What `main` reads from the outside world.
pub struct Env {
    pub today: NaiveDate,
    pub now: SystemTime,
    /// The wall clock, for the event loop (snapshot age) and the access log.
    pub clock: fn() -> SystemTime,
    pub bevaka_config: Option<String>,
    pub xdg_config_home: Option<String>,
    /// `XDG_CONFIG_DIRS`: the system's config directories beside `/etc/bevaka`.
    pub xdg_config_dirs: Option<String>,
    /// The system's own config directory: `/etc/bevaka`.
    pub etc: PathBuf,
    /// Where the check of a snapshot's values is remembered (see
    /// [`crate::snapshot::shape::GoodValues`]).
    pub xdg_cache_home: Option<String>,
    pub home: Option<String>,
    pub term: Option<String>,
    /// The OS user (`USER`, else `LOGNAME`), for the access log.
    pub user: Option<String>,
    /// The real user id, for the access log in the system log.
    pub uid: u32,
    /// Where the system log listens (`/dev/log`; `BEVAKA_SYSLOG_SOCKET` for tests), for
    /// `access_log = "syslog"`.
    pub syslog_socket: PathBuf,
    /// `NO_COLOR` set and not empty.
    pub no_color: bool,
    /// The locale's character set is not UTF-8 (`LANG=C`).
    pub non_utf8_locale: bool,
}

/// The options a command was given, of those it takes (the others are `None`): each
/// command's arguments (see [`crate::cli`]) in the one shape the helpers below read.
#[derive(Debug, Default)]
struct Given {
    snapshot: Option<PathBuf>,
    config: Option<PathBuf>,
    today: Option<NaiveDate>,
    worker: Option<String>,
    unit: Option<String>,
    team: Option<String>,
    ascii: bool,
}

impl Given {
    fn dashboard(args: &DashboardArgs) -> Self {
        Self {
            snapshot: args.source.snapshot.clone(),
            config: args.source.config.clone(),
            today: args.today.today,
            worker: args.worker.worker.clone(),
            unit: args.unit.unit.clone(),
            team: args.team.team.clone(),
            ascii: args.ascii.ascii,
        }
    }

    fn report(
        common: &ReportArgs,
        worker: Option<&WorkerArg>,
        unit: Option<&UnitArg>,
        team: Option<&TeamArg>,
    ) -> Self {
        Self {
            snapshot: common.source.snapshot.clone(),
            config: common.source.config.clone(),
            today: common.today.today,
            worker: worker.and_then(|w| w.worker.clone()),
            unit: unit.and_then(|u| u.unit.clone()),
            team: team.and_then(|t| t.team.clone()),
            ascii: common.ascii.ascii,
        }
    }
}

/// A report's options and its output format (`--csv-plain` only where there is CSV), and
/// the file `--out` names.
fn report_options(report: &ReportKind) -> (Given, Format, bool, Option<PathBuf>) {
    match report {
        ReportKind::Caseload {
            common,
            unit,
            team,
            output,
            ..
        } => (
            Given::report(common, None, Some(unit), Some(team)),
            output.format,
            output.csv_plain,
            output.out.clone(),
        ),
        ReportKind::Deadlines {
            common,
            worker,
            unit,
            team,
            output,
        }
        | ReportKind::ProcessingTime {
            common,
            worker,
            unit,
            team,
            output,
            ..
        }
        | ReportKind::Ivo {
            common,
            worker,
            unit,
            team,
            output,
            ..
        }
        | ReportKind::Cases {
            common,
            worker,
            unit,
            team,
            output,
            ..
        }
        | ReportKind::Decisions {
            common,
            worker,
            unit,
            team,
            output,
            ..
        } => (
            Given::report(common, Some(worker), Some(unit), Some(team)),
            output.format,
            output.csv_plain,
            output.out.clone(),
        ),
        ReportKind::Indicators {
            common,
            unit,
            output,
            ..
        } => (
            Given::report(common, None, Some(unit), None),
            output.format,
            output.csv_plain,
            output.out.clone(),
        ),
        ReportKind::Case { common, output, .. } => (
            Given::report(common, None, None, None),
            output.format.into(),
            false,
            None,
        ),
    }
}

/// The config: the system's files, the user's over them, and the command line's
/// `--worker` over both.
fn load_config(common: &Given, env: &Env) -> Result<Config> {
    let user = config::locate(
        common.config.as_deref(),
        env.bevaka_config.as_deref(),
        env.xdg_config_home.as_deref(),
        env.home.as_deref(),
    );
    let mut config =
        config::Layers::locate(&env.etc, env.xdg_config_dirs.as_deref(), user).load()?;
    if let Some(w) = &common.worker {
        config.worker = Some(w.clone());
        config.given("worker", "--worker");
    }
    Ok(config)
}

/// The snapshot to read: `--snapshot`, the config's, or the demo built in memory.
fn open_snapshot(common: &Given, config: &Config, today: NaiveDate) -> Result<Snapshot> {
    let path: Option<PathBuf> = common.snapshot.clone().or_else(|| config.snapshot.clone());
    match path {
        Some(p) => Ok(Snapshot::open(&p)?),
        None => {
            let data = crate::demo::build(today);
            let mut conn = rusqlite::Connection::open_in_memory()?;
            crate::snapshot::write::fill(&mut conn, &data)
                .wrap_err("kunde inte bygga demo-ögonblicksbilden")?;
            Ok(Snapshot::from_memory(conn))
        }
    }
}

/// A report is not printed from a file with a value its rules cannot compute with (a date
/// that is no date would leave its row out of the figures without a word): the first one
/// is named, with the file, table and row.
///
/// The check scans the file once, which on a newly published city file costs about as
/// much as the report itself, so it runs on a second connection to the same file beside
/// the report, and the report's output is held back until it has passed.
struct ValueCheck {
    /// The file, its identity when the report opened it, and the user's record of good
    /// files; `None` for the demo in memory or a file already found good.
    file: Option<(PathBuf, crate::snapshot::FileIdentity)>,
    good: Option<crate::snapshot::shape::GoodValues>,
    reads: Option<&'static [&'static str]>,
    /// The scan beside the report: `None` from it if it could not read the same file
    /// (replaced in the meantime), and the scan is then made on the report's connection.
    aside: Option<std::thread::JoinHandle<Option<Result<Option<String>>>>>,
    /// The check already made, of the rows one handläggare's list reads.
    scoped: Option<Result<Option<String>>>,
}

/// A report's output, held in memory until the value check beside the report has passed
/// (a report from a file with a bad value is not printed at all), then written to stdout
/// through a buffer. Output past [`HELD_LIMIT`] waits for the check instead of growing:
/// a city's bevakningslista as JSON is 50 MB.
struct Held<'a, W: Write> {
    held: Vec<u8>,
    check: Option<ValueCheck>,
    snapshot: &'a Snapshot,
    /// The check's error when a write had to wait for it and it failed.
    failed: Option<color_eyre::Report>,
    out: W,
}

/// How much output is held before writing waits for the check.
const HELD_LIMIT: usize = 4 << 20;

/// Where a report goes: stdout, or the temporary of the new `--out` file (named once
/// complete, see [`crate::private_file::save_as`]).
enum Sink<'f> {
    Stdout(std::io::BufWriter<std::io::StdoutLock<'static>>),
    File(std::io::BufWriter<&'f mut std::fs::File>),
}

impl Write for Sink<'_> {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        match self {
            Sink::Stdout(w) => w.write(data),
            Sink::File(w) => w.write(data),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Sink::Stdout(w) => w.flush(),
            Sink::File(w) => w.flush(),
        }
    }
}

impl<'a, W: Write> Held<'a, W> {
    fn to(check: ValueCheck, snapshot: &'a Snapshot, out: W) -> Self {
        Self {
            // Its whole room at once: the pages are used as they are written, and the held
            // bytes are not copied as they grow.
            held: Vec::with_capacity(HELD_LIMIT),
            check: Some(check),
            snapshot,
            failed: None,
            out,
        }
    }

    /// Waits for the check (if not done) and writes what was held.
    ///
    /// # Errors
    /// The check's error (a bad value, named); an error writing to stdout.
    fn release(&mut self) -> Result<()> {
        if let Some(e) = self.failed.take() {
            return Err(e);
        }
        if let Some(check) = self.check.take() {
            check.finish(self.snapshot)?;
            self.out.write_all(&std::mem::take(&mut self.held))?;
        }
        Ok(())
    }
}

impl<W: Write> Write for Held<'_, W> {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        if self.check.is_none() {
            return self.out.write(data);
        }
        // Past the limit, wait for the check and pass the rest on as it comes: the held
        // bytes never need more than the limit's room (growing past it would double it).
        if self.held.len().saturating_add(data.len()) > HELD_LIMIT {
            if let Err(e) = self.release() {
                let text = e.to_string();
                self.failed = Some(e);
                return Err(std::io::Error::other(text));
            }
            return self.out.write(data);
        }
        self.held.extend_from_slice(data);
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if self.check.is_none() {
            self.out.flush()
        } else {
            Ok(())
        }
    }
}

/// The tables a handläggare's own bevakningslista reads.
const OWN_LIST_READS: [&str; 8] = [
    "units",
    "case_workers",
    "insats_types",
    "cases",
    "applications",
    "interventions",
    "interruptions",
    "followups",
];

/// The rows of each table a handläggare's own list can read (see
/// [`crate::snapshot::queries::deadline_rows_of_worker`]): those of the cases where they
/// own the case, an application or a bevakning.
fn own_list_rows(worker: &str) -> Vec<(&'static str, String)> {
    let w = format!("'{}'", worker.replace('\'', "''"));
    let cases = format!(
        "case_id IN (SELECT case_id FROM cases WHERE worker_id = {w} \
         UNION SELECT case_id FROM applications WHERE worker_id = {w} \
         UNION SELECT case_id FROM followups WHERE worker_id = {w})"
    );
    vec![
        ("cases", cases.clone()),
        ("applications", cases.clone()),
        ("interventions", cases.clone()),
        ("followups", cases.clone()),
        (
            "interruptions",
            format!("intervention_id IN (SELECT intervention_id FROM interventions WHERE {cases})"),
        ),
    ]
}

impl ValueCheck {
    /// Starts the check for `report`; `own` is the handläggare whose own list a deadlines
    /// report prints (the check then reads only their cases' rows, as the report does).
    fn start(snapshot: &Snapshot, env: &Env, report: &ReportKind, own: Option<&str>) -> Self {
        let good = good_values(env);
        let reads = reads(report);
        let crate::snapshot::Source::File { path, identity, .. } = snapshot.source() else {
            return Self {
                file: None,
                good,
                reads,
                aside: None,
                scoped: None,
            };
        };
        if good.as_ref().is_some_and(|g| g.knows(identity)) {
            return Self {
                file: None,
                good,
                reads,
                aside: None,
                scoped: None,
            };
        }
        if let (ReportKind::Deadlines { .. }, Some(worker)) = (report, own) {
            let found = crate::snapshot::shape::first_bad_value_within(
                snapshot.conn(),
                Some(&OWN_LIST_READS),
                &own_list_rows(worker),
            )
            .map_err(|e| snapshot.read_error(e).into());
            return Self {
                file: Some((path.clone(), *identity)),
                good,
                reads: Some(&OWN_LIST_READS),
                aside: None,
                scoped: Some(found),
            };
        }

        let (path, identity) = (path.clone(), *identity);
        let in_thread = path.clone();
        let aside = std::thread::Builder::new()
            .name("bevaka-values".into())
            .spawn(move || {
                let s = Snapshot::open(&in_thread).ok()?;
                let same = matches!(s.source(),
                    crate::snapshot::Source::File { identity: i, .. } if *i == identity);
                if !same {
                    return None;
                }
                // A scan reads every page once: a small page cache will do.
                let _ = s.conn().pragma_update(None, "cache_size", -256);
                Some(
                    crate::snapshot::shape::first_bad_value_in(s.conn(), reads)
                        .map_err(|e| s.read_error(e).into()),
                )
            })
            .ok();
        Self {
            file: Some((path, identity)),
            good,
            reads,
            aside,
            scoped: None,
        }
    }

    /// Waits for the check: an error naming the file, table, row and value if a value is
    /// bad.
    fn finish(self, snapshot: &Snapshot) -> Result<()> {
        let Some((path, identity)) = self.file else {
            return Ok(());
        };
        let found = match self
            .scoped
            .or_else(|| self.aside.and_then(|h| h.join().ok().flatten()))
        {
            Some(found) => found?,
            None => crate::snapshot::shape::first_bad_value_in(snapshot.conn(), self.reads)
                .map_err(|e| snapshot.read_error(e))?,
        };
        // Only a file found good throughout is remembered.
        if found.is_none()
            && self.reads.is_none()
            && let Some(g) = &self.good
        {
            g.remember(&identity);
        }
        match found {
            Some(problem) => Err(eyre!(
                "{}: {problem} (bevaka snapshot check listar alla fel)",
                path.display()
            )),
            None => Ok(()),
        }
    }
}

/// What a report reads, for the check of values before it (see
/// [`crate::snapshot::shape::first_bad_value_in`]): the caseload and the indicators read
/// a few of the date columns, which saves most of the scan on a big file; the others
/// read (nearly) all of them.
fn reads(report: &ReportKind) -> Option<&'static [&'static str]> {
    match report {
        ReportKind::Caseload { .. } => Some(&[
            "units",
            "case_workers",
            "insats_types",
            "cases",
            "interventions.start",
            "interventions.end",
        ]),
        ReportKind::Indicators { .. } => {
            Some(&["units", "goals", "indicators", "indicator_values"])
        }
        _ => None,
    }
}

/// The user's record of snapshots whose values were found good.
fn good_values(env: &Env) -> Option<crate::snapshot::shape::GoodValues> {
    crate::snapshot::shape::GoodValues::at(env.xdg_cache_home.as_deref(), env.home.as_deref())
}

/// Checks the unit, team and handläggare in use (command line, else config) against the
/// snapshot: a mistyped id is an error naming it and the nearest known ones, not an empty
/// list.
fn check_ids(common: &Given, config: &Config, snapshot: &Snapshot) -> Result<()> {
    let from_config = |key: &str| crate::known::Source(config.origin_of(key));
    let source = |given: bool, flag: &str, key: &str| {
        if given {
            crate::known::Source(flag.to_string())
        } else {
            from_config(key)
        }
    };
    let worker = config
        .worker
        .as_deref()
        .map(|w| (w, source(common.worker.is_some(), "--worker", "worker")));
    crate::known::check(
        snapshot.conn(),
        &filter(common, config),
        worker,
        &source(common.unit.is_some(), "--unit", "unit"),
        &source(common.team.is_some(), "--team", "team"),
    )
}

fn filter(common: &Given, config: &Config) -> Filter {
    Filter {
        unit_id: common.unit.clone().or_else(|| config.unit.clone()),
        team: common.team.clone().or_else(|| config.team.clone()),
    }
}

/// Runs the command line.
///
/// # Errors
/// Everything a user should see as an error: bad config, bad snapshot, bad CSV, I/O.
pub fn run(cli: Cli, env: &Env) -> Result<ExitCode> {
    match cli.command {
        None => dashboard(&Given::dashboard(&cli.dashboard), env),
        Some(Command::Demo {
            out,
            as_of,
            scale: Scale::City,
            cities,
        }) => {
            let districts = crate::demo::city::DISTRICTS;
            // A debug build (the tests') may write fewer districts, to see a whole run.
            #[cfg(debug_assertions)]
            let districts = std::env::var("BEVAKA_TEST_DISTRICTS")
                .ok()
                .and_then(|n| n.parse().ok())
                .unwrap_or(districts);
            let cities = cities.unwrap_or(1);
            let progress = crate::progress::Progress::on_stderr();
            let written = crate::demo::city::write_cities(
                &out,
                as_of.unwrap_or(env.today),
                districts,
                cities,
                &progress,
            );
            progress.finish();
            let counts = written?;
            let count = |table: &str| counts.iter().find(|c| c.0 == table).map_or(0, |c| c.1);
            let copies = if cities == 1 {
                String::new()
            } else {
                format!("{cities} städer à ")
            };
            println!(
                "Skrev stadens demo-ögonblicksbild {} ({copies}{districts} stadsdelar, {} enheter, {} ärenden, {} ansökningar, {} insatser, {} bevakningar)",
                out.display(),
                count("units"),
                count("cases"),
                count("applications"),
                count("interventions"),
                count("followups"),
            );
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Demo {
            scale: Scale::Unit,
            cities: Some(_),
            ..
        }) => Err(eyre!(
            "--cities gäller stadens demo: ange --scale city --cities N"
        )),
        Some(Command::Demo {
            out,
            as_of,
            scale: Scale::Unit,
            cities: None,
        }) => {
            let data = crate::demo::build(as_of.unwrap_or(env.today));
            write_snapshot(&out, &data)?;
            println!(
                "Skrev demo-ögonblicksbilden {} ({} ärenden, {} insatser)",
                out.display(),
                data.cases.len(),
                data.interventions.len()
            );
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Snapshot(SnapshotCommand::Build {
            from,
            out: Some(out),
            ..
        })) => {
            // Taken before the export is read: a build that read older data cannot publish
            // after one that read newer.
            let lock = crate::snapshot::build::BuildLock::acquire(&out)?;
            let progress = crate::progress::Progress::on_stderr();
            let built = crate::import::build(&lock, &from, &progress);
            progress.finish();
            match built {
                Ok(counts) => {
                    let count =
                        |table: &str| counts.iter().find(|c| c.0 == table).map_or(0, |c| c.1);
                    println!(
                        "Skrev {} ({} ärenden, {} ansökningar, {} insatser, {} bevakningar)",
                        out.display(),
                        count("cases"),
                        count("applications"),
                        count("interventions"),
                        count("followups"),
                    );
                    Ok(ExitCode::SUCCESS)
                }
                Err(crate::import::BuildError::Import(errors)) => import_failed(
                    &errors,
                    &format!(
                        "Ingen ögonblicksbild skrevs; {} lämnades orörd.",
                        out.display()
                    ),
                ),
                Err(crate::import::BuildError::Write(e)) => Err(e.into()),
            }
        }
        Some(Command::Snapshot(SnapshotCommand::Build {
            from,
            out: None,
            out_dir,
            summary,
            ..
        })) => {
            // clap requires --out or --split with --out-dir.
            let dir = out_dir
                .ok_or_else(|| eyre!("ange --out FIL eller --split unit --out-dir KATALOG"))?;
            let lock = SplitLock::acquire(&dir)?;
            let progress = crate::progress::Progress::on_stderr();
            match crate::import::read_dir_with_progress(&from, &progress) {
                Ok(data) => write_split(&lock, &data, summary, &progress),
                Err(errors) => import_failed(
                    &errors,
                    &format!(
                        "Inga ögonblicksbilder skrevs; {} lämnades orörd.",
                        dir.display()
                    ),
                ),
            }
        }
        Some(Command::Snapshot(SnapshotCommand::Split {
            file,
            out_dir,
            summary,
        })) => split(&file, &out_dir, summary),
        Some(Command::Snapshot(SnapshotCommand::Check { file })) => check(&file),
        Some(Command::Report { report }) => {
            let (given, format, csv_plain, out_file) = report_options(&report);
            if format == Format::Xlsx && out_file.is_none() {
                return Err(eyre!(
                    "--format xlsx skrivs till en fil: ange --out FIL.xlsx (en arbetsbok skrivs aldrig till terminalen)"
                ));
            }
            if let Some(path) = &out_file
                && std::fs::symlink_metadata(path).is_ok()
            {
                return Err(eyre!(
                    "{} finns redan; bevaka skriver inte över en fil (välj ett annat namn eller ta bort den)",
                    path.display()
                ));
            }
            let today = given.today.unwrap_or(env.today);
            let mut config = load_config(&given, env)?;
            let snapshot = open_snapshot(&given, &config, today)?;
            if let crate::snapshot::Source::Union {
                dir, unreadable, ..
            } = snapshot.source()
                && !unreadable.is_empty()
            {
                eprintln!(
                    "bevaka: {}: ingen läsbehörighet: {} (utelämnade)",
                    dir.display(),
                    crate::snapshot::open::file_names(unreadable)
                );
            }
            let me =
                crate::identity::Identity::resolve(&config, env.user.as_deref(), snapshot.conn())
                    .map_err(in_snapshot(&snapshot))?;
            me.apply(&mut config);
            let values = ValueCheck::start(&snapshot, env, &report, config.worker.as_deref());
            if let crate::identity::Identity::Ambiguous { .. } = me
                && let Some((text, _)) = me.describe()
            {
                eprintln!("bevaka: {text}");
            }
            check_ids(&given, &config, &snapshot).map_err(in_snapshot(&snapshot))?;
            let options = Output {
                format,
                csv: if csv_plain {
                    CsvFlavour::Plain
                } else {
                    CsvFlavour::Excel
                },
                ascii: given.ascii
                    || config.ascii
                    || (env.non_utf8_locale && format == Format::Text),
            };
            let filter = filter(&given, &config);
            let xlsx = format == Format::Xlsx;
            // The names behind the ids, for the workbook's headings and columns (read where
            // a report shows them: a handläggare's own list in text needs none of the city's).
            let load_names =
                || report::Names::load(snapshot.conn()).map_err(in_snapshot(&snapshot));
            // A workbook goes straight into its file once the value check has passed (held as
            // bytes too, a six-city bevakningslista's 51 MB were there twice).
            let book =
                |out: &mut Held<'_, Sink<'_>>, book: &report::xlsx::Book<'_>| -> Result<()> {
                    out.release()?;
                    match &mut out.out {
                        Sink::File(file) => book.save_to(file).map_err(|e| {
                            let path = out_file.as_deref().unwrap_or(std::path::Path::new(""));
                            let why = std::io::Error::other(report::xlsx::failed(&e));
                            crate::private_file::write_error(path, why).into()
                        }),
                        Sink::Stdout(_) => Err(eyre!(
                            "--format xlsx skrivs till en fil: ange --out FIL.xlsx"
                        )),
                    }
                };
            // The rows of the report, for the access log's entry of a file written.
            let rows = std::cell::Cell::new(0_usize);
            let produce = |out: &mut Held<'_, Sink<'_>>| -> Result<()> {
                match report {
                    ReportKind::Caseload {
                        monthly: true,
                        from,
                        to,
                        ..
                    } => {
                        use crate::domain::caseload::{Month, SeriesError, monthly};
                        let to = to.unwrap_or_else(|| Month::of(today));
                        let from = match from {
                            Some(from) => from,
                            None => to.back(23).ok_or(SeriesError::Calendar(to))?,
                        };
                        let m = monthly(snapshot.conn(), &filter, from, to, today).map_err(
                            |e| match e {
                                SeriesError::Sqlite(e) => snapshot.read_error(e).into(),
                                other => eyre!("{other}"),
                            },
                        )?;
                        rows.set(m.rows_with_cases().len() * m.dates.len());
                        if xlsx {
                            book(out, &report::books::monthly(&m, &filter, &load_names()?))?;
                        } else {
                            report::caseload::write_monthly(
                                &mut *out,
                                &m,
                                &filter,
                                &load_names()?,
                                options,
                            )?;
                        }
                    }
                    ReportKind::Caseload { .. } => {
                        let c = crate::domain::caseload::load_with(
                            snapshot.readers(),
                            &filter,
                            today,
                            false,
                        )
                        .map_err(in_snapshot(&snapshot))?;
                        rows.set(
                            c.areas_with_cases()
                                .iter()
                                .map(|(_, r)| r.len())
                                .sum::<usize>()
                                + c.workers.len(),
                        );
                        if xlsx {
                            book(out, &report::books::caseload(&c, &filter, &load_names()?))?;
                        } else {
                            report::caseload::write(
                                &mut *out,
                                &c,
                                &filter,
                                &load_names()?,
                                options,
                            )?;
                        }
                    }
                    ReportKind::Deadlines { .. } => {
                        let worker = config.worker.clone();
                        // A handläggare's own list reads only their cases' rows.
                        let d = match &worker {
                            Some(w) => crate::domain::deadlines::load_of_worker(
                                snapshot.readers(),
                                &filter,
                                w,
                                &config.deadlines,
                                today,
                            ),
                            None => crate::domain::deadlines::load(
                                snapshot.readers(),
                                &filter,
                                &config.deadlines,
                                today,
                            ),
                        }
                        .map_err(in_snapshot(&snapshot))?;
                        let own: Vec<_>;
                        let items = match &worker {
                            Some(w) => {
                                own = d.places_of_worker(w);
                                report::deadlines::Listed::These(&d, &own)
                            }
                            None => report::deadlines::Listed::All(&d),
                        };
                        rows.set(items.len());
                        if xlsx {
                            let names = load_names()?;
                            let b = report::books::deadlines(
                                &d,
                                items,
                                today,
                                worker.as_deref(),
                                &filter,
                                &names,
                            );
                            book(out, &b)?;
                        } else {
                            report::deadlines::write(
                                &mut *out,
                                &d,
                                items,
                                today,
                                worker.as_deref(),
                                options,
                            )?;
                        }
                    }
                    ReportKind::Ivo { quarter, .. } => {
                        let quarter =
                            quarter.unwrap_or_else(|| crate::domain::ivo::quarter_of(today));
                        // Like the review: only an explicit --worker narrows the report.
                        let ivo = crate::domain::ivo::load(
                            snapshot.readers(),
                            &filter,
                            given.worker.as_deref(),
                            quarter,
                            today,
                        )
                        .map_err(in_snapshot(&snapshot))?;
                        rows.set(ivo.rows.len());
                        if xlsx {
                            book(out, &report::books::ivo(&ivo, &filter, &load_names()?))?;
                        } else {
                            report::ivo::write(&mut *out, &ivo, &filter, &load_names()?, options)?;
                        }
                    }
                    ReportKind::ProcessingTime { insats, period, .. } => {
                        // The unit's review: only an explicit --worker narrows it, not the
                        // config's own handläggare id (that one is for the bevakningslista).
                        let scope = crate::domain::processing::Scope {
                            insats_code: insats,
                            worker_id: given.worker.clone(),
                        };
                        let p = crate::domain::processing::load_by(
                            snapshot.readers(),
                            &filter,
                            scope,
                            today,
                            period.into(),
                        )
                        .map_err(in_snapshot(&snapshot))?;
                        if let Some(code) = &p.scope.insats_code
                            && !p.insats_names.contains_key(code)
                        {
                            return Err(eyre!(
                                "okänd insats {code:?}: ingen sådan insats_code i ögonblicksbilden"
                            ));
                        }
                        rows.set(
                            p.periods.len()
                                + p.execution.len()
                                + p.over_target.len()
                                + p.not_executed.len(),
                        );
                        if xlsx {
                            book(out, &report::books::processing(&p, &filter, &load_names()?))?;
                        } else {
                            report::processing::write(
                                &mut *out,
                                &p,
                                &filter,
                                &load_names()?,
                                options,
                            )?;
                        }
                    }
                    ReportKind::Indicators { year, .. } => {
                        let o = crate::domain::indicators::load(
                            snapshot.conn(),
                            &filter,
                            year,
                            today,
                            config.indicator_tolerance_percent,
                        )
                        .map_err(in_snapshot(&snapshot))?;
                        let units = crate::snapshot::queries::units(snapshot.conn())
                            .map_err(in_snapshot(&snapshot))?;
                        let name = filter.unit_id.as_ref().map(|id| {
                            units
                                .iter()
                                .find(|u| &u.unit_id == id)
                                .map_or(id.as_str(), |u| u.name.as_str())
                        });
                        let all: Vec<usize> = (0..o.indicators.len()).collect();
                        rows.set(all.len());
                        if xlsx {
                            book(out, &report::books::indicators(&o, &all, &load_names()?))?;
                        } else {
                            report::indicators::write(&mut *out, &o, &all, name, options)?;
                        }
                    }
                    ReportKind::Cases { insats, date, .. } => {
                        // Like the review: only an explicit --worker narrows the list.
                        let query = crate::domain::cases::ListQuery {
                            insats_code: insats,
                            worker_id: given.worker.clone(),
                            date: date.unwrap_or(today),
                        };
                        let list =
                            crate::domain::cases::load_list(snapshot.conn(), &filter, &query)
                                .map_err(in_snapshot(&snapshot))?;
                        rows.set(list.cases.len());
                        if xlsx {
                            book(out, &report::books::cases(&list, &filter, &load_names()?))?;
                        } else {
                            report::cases::write_list(
                                &mut *out,
                                &list,
                                &filter,
                                &load_names()?,
                                options,
                            )?;
                        }
                    }
                    ReportKind::Decisions {
                        period,
                        measure,
                        insats,
                        sex,
                        ..
                    } => {
                        // Like the review: only an explicit --worker narrows the list.
                        let scope = crate::domain::processing::Scope {
                            insats_code: insats,
                            worker_id: given.worker.clone(),
                        };
                        let query = crate::domain::cases::DecisionQuery {
                            measure: measure.into(),
                            period,
                            group: sex.map(|s| crate::domain::cases::GroupKey::Sex(s.0)),
                        };
                        let list = crate::domain::cases::load_decisions(
                            snapshot.conn(),
                            &filter,
                            &scope,
                            &query,
                            today,
                        )
                        .map_err(in_snapshot(&snapshot))?;
                        if let Some(code) = &scope.insats_code
                            && !list.insats_names.contains_key(code)
                        {
                            return Err(eyre!(
                                "okänd insats {code:?}: ingen sådan insats_code i ögonblicksbilden"
                            ));
                        }
                        rows.set(list.decisions.len());
                        if xlsx {
                            let names = load_names()?;
                            let b = report::books::decisions(
                                &list,
                                &filter,
                                scope.worker_id.as_deref(),
                                &names,
                            );
                            book(out, &b)?;
                        } else {
                            report::cases::write_decisions(
                                &mut *out,
                                &list,
                                &filter,
                                &scope,
                                &load_names()?,
                                options,
                            )?;
                        }
                    }
                    ReportKind::Case { case_id, .. } => {
                        report::cases::card_format(options.format)?;
                        let card = crate::domain::cases::load_card(
                            snapshot.conn(),
                            &case_id,
                            &config.deadlines,
                            today,
                        )
                        .map_err(in_snapshot(&snapshot))?;
                        log_report(&config, &snapshot, env, &case_id)?;
                        rows.set(1);
                        report::cases::write_card(&mut *out, &card, options)?;
                    }
                }
                Ok(())
            };
            // The report is held back until the value check has passed (see `Held`).
            let finish = |mut out: Held<'_, Sink<'_>>| -> Result<()> {
                let produced = produce(&mut out);
                // A bad value is the error to show, whatever else went wrong.
                out.release()?;
                produced?;
                out.flush()?;
                Ok(())
            };
            let Some(path) = &out_file else {
                let stdout = std::io::BufWriter::with_capacity(64 << 10, std::io::stdout().lock());
                finish(Held::to(values, &snapshot, Sink::Stdout(stdout)))?;
                return Ok(ExitCode::SUCCESS);
            };
            // Written as it is made into the new file's temporary (a six-city bevakningslista
            // as JSON is 310 MB), which gets its name once the report and the check are done.
            // Ctrl-C or a lost SSH link while it is written removes the temporary.
            crate::snapshot::build::handle_signals();
            let mut failed = None;
            let saved = crate::private_file::save_as(path, |file| {
                let sink = Sink::File(std::io::BufWriter::with_capacity(64 << 10, file));
                finish(Held::to(values, &snapshot, sink)).map_err(|e| {
                    let text = e.to_string();
                    failed = Some(e);
                    std::io::Error::other(text)
                })
            });
            let saved = match (saved, failed) {
                (Ok(saved), _) => saved,
                (Err(_), Some(e)) => return Err(e),
                (Err(e), None) => return Err(e.into()),
            };
            log_export(&saved, rows.get(), format, &config, &snapshot, env)?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Completions { shell }) => {
            let mut out = std::io::stdout().lock();
            crate::cli::write_completions(shell, &mut out)?;
            out.flush()?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Man { dir: None }) => {
            let mut out = std::io::stdout().lock();
            crate::cli::write_man(&mut out)?;
            out.flush()?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Man { dir: Some(dir) }) => {
            let written = crate::cli::write_man_pages(&dir)?;
            eprintln!("Skrev {} manualsidor i {}", written.len(), dir.display());
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Config {
            source,
            worker,
            unit,
            team,
            ascii,
            default,
        }) => {
            if default {
                print!("{}", config::DEFAULT_TOML);
            } else {
                let c = &Given {
                    snapshot: source.snapshot,
                    config: source.config,
                    today: None,
                    worker: worker.worker,
                    unit: unit.unit,
                    team: team.team,
                    ascii: ascii.ascii,
                };
                let mut config = load_config(c, env)?;
                // What the same command line would run with: its options win.
                let mut set = |key: &'static str, given: bool, flag: &str| {
                    if given {
                        config.given(key, flag);
                    }
                };
                set("worker", c.worker.is_some(), "--worker");
                set("snapshot", c.snapshot.is_some(), "--snapshot");
                set("unit", c.unit.is_some(), "--unit");
                set("team", c.team.is_some(), "--team");
                set("ascii", c.ascii, "--ascii");
                if let Some(s) = &c.snapshot {
                    config.snapshot = Some(s.clone());
                }
                if let Some(u) = &c.unit {
                    config.unit = Some(u.clone());
                }
                if let Some(t) = &c.team {
                    config.team = Some(t.clone());
                }
                config.ascii |= c.ascii;
                // The handläggare behind the login, where the snapshot can say.
                let mut note = String::new();
                if let Some(path) = &config.snapshot {
                    match Snapshot::open(path) {
                        Ok(snapshot) => {
                            let me = crate::identity::Identity::resolve(
                                &config,
                                env.user.as_deref(),
                                snapshot.conn(),
                            )
                            .map_err(in_snapshot(&snapshot))?;
                            me.apply(&mut config);
                            if let Some((text, _)) = me.describe() {
                                note = format!("# {text}\n");
                            }
                        }
                        Err(e) => {
                            note = format!("# Inloggningens handläggare okänd: {e}\n");
                        }
                    }
                }
                print!("{}{note}", config.to_toml());
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn dashboard(given: &Given, env: &Env) -> Result<ExitCode> {
    let today = given.today.unwrap_or(env.today);
    if let Some(why) = tui::unusable_terminal(env.term.as_deref()) {
        eprintln!("{why}");
        return Ok(ExitCode::from(2));
    }
    let mut config = load_config(given, env)?;
    let snapshot = open_snapshot(given, &config, today)?;
    let me = crate::identity::Identity::resolve(&config, env.user.as_deref(), snapshot.conn())
        .map_err(in_snapshot(&snapshot))?;
    me.apply(&mut config);
    check_ids(given, &config, &snapshot)?;
    let theme = tui::theme::Theme {
        color: !env.no_color,
        ascii: given.ascii || config.ascii || env.non_utf8_locale,
    };
    let filter = filter(given, &config);
    let access_log = access_log(&config, &snapshot, env);
    if let Some(log) = &access_log {
        log.record(env.now, "start", None).wrap_err_with(|| {
            format!(
                "åtkomstloggen {} kan inte skrivas (access_log i konfigurationen)",
                log.shown()
            )
        })?;
    }
    let export_dir = config.export_dir.clone();
    let mut app = tui::app::App::start(snapshot, config, filter, today, env.now, theme)?;
    // The values are checked once the first screen is there, on a thread and connection
    // of their own: the status line names the first bad one.
    app.good_values = good_values(env);
    app.check_values_when_shown();
    app.access_log = access_log;
    app.clock = Some(env.clock);
    if let Some((text, warning)) = me.describe() {
        app.message = Some(tui::app::Message { text, warning });
    }
    match export_dir {
        Some(dir) => app.export_dir = dir,
        None => app.export_fallback = env.home.as_ref().map(std::path::PathBuf::from),
    }
    tui::run(&mut app, &env.clock)?;
    Ok(ExitCode::SUCCESS)
}

/// Prints the import's errors and what was left untouched (`left`); the build fails.
fn import_failed(errors: &crate::import::ImportErrors, left: &str) -> Result<ExitCode> {
    let mut err = std::io::stderr().lock();
    write!(err, "{errors}")?;
    if !errors.to_string().ends_with('\n') {
        writeln!(err)?;
    }
    writeln!(err, "{left}")?;
    Ok(ExitCode::FAILURE)
}

/// `snapshot split FILE --out-dir DIR`: the file, checked as a new one is before it is
/// published, read whole and written one file per unit.
fn split(file: &std::path::Path, dir: &std::path::Path, summary: bool) -> Result<ExitCode> {
    // Taken before the file is read, as a build's lock is.
    let lock = SplitLock::acquire(dir)?;
    let progress = crate::progress::Progress::on_stderr();
    progress.step(format!("Kontrollerar {}", file.display()));
    let snapshot = Snapshot::open(file)?;
    // Each table is read in one statement, as the check reads it.
    snapshot.set_query_limit(crate::snapshot::shape::CHECK_LIMIT);
    let findings = crate::snapshot::shape::problems_with(
        snapshot.conn(),
        crate::snapshot::shape::Integrity::Quick,
    )
    .map_err(in_snapshot(&snapshot))?;
    if !findings.is_empty() {
        return Err(eyre!(
            "{}: ögonblicksbilden klarar inte kontrollen, {} fel; inga filer skrevs:\n{}",
            file.display(),
            findings.len(),
            crate::snapshot::shape::render(&findings).trim_end()
        ));
    }
    progress.step(format!("Läser {}", file.display()));
    let data =
        crate::snapshot::queries::dataset(snapshot.conn()).map_err(in_snapshot(&snapshot))?;
    drop(snapshot);
    write_split(&lock, &data, summary, &progress)
}

/// Writes the unit files (and the summary) of `data`, a line per file on stdout, and names
/// on stderr the other snapshots in the directory, which may be out of date.
fn write_split(
    lock: &SplitLock,
    data: &crate::model::Dataset,
    summary: bool,
    progress: &crate::progress::Progress,
) -> Result<ExitCode> {
    let written = crate::snapshot::split::write_split_with_progress(
        lock,
        data,
        summary,
        &mut std::io::stdout(),
        progress,
    );
    progress.finish();
    let others = written?;
    for path in others {
        eprintln!(
            "Obs: {} skrevs inte av den här delningen och kan vara inaktuell",
            path.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn check(file: &std::path::Path) -> Result<ExitCode> {
    // The shape is listed with every other problem, not refused at the open.
    let snapshot = Snapshot::open_unchecked(file)?;
    snapshot.set_query_limit(crate::snapshot::shape::CHECK_LIMIT);
    let conn = snapshot.conn();
    let version = crate::snapshot::queries::schema_version(conn).map_err(in_snapshot(&snapshot))?;
    let findings = crate::snapshot::shape::problems(conn).map_err(in_snapshot(&snapshot))?;
    if !findings.is_empty() {
        return Err(eyre!(
            "{}: ögonblicksbilden klarar inte kontrollen, {} fel (bevaka kan inte läsa den rätt):\n{}",
            file.display(),
            findings.len(),
            crate::snapshot::shape::render(&findings).trim_end()
        ));
    }
    let counts = crate::snapshot::queries::row_counts(conn)
        .wrap_err_with(|| format!("{}: tabellerna stämmer inte med schemat", file.display()))?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "{}", file.display())?;
    writeln!(out, "  schemaversion  {version}")?;
    writeln!(out, "  integritet     ok")?;
    writeln!(out, "  referenser     ok")?;
    for (table, n) in counts {
        writeln!(out, "  {table:<17}{n:>9}")?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Names the snapshot in an error from reading it, and says when a statement ran out of
/// time: SQLite's own messages ("database disk image is malformed") name no file.
fn in_snapshot<E: Into<color_eyre::Report>>(
    snapshot: &Snapshot,
) -> impl FnOnce(E) -> color_eyre::Report + '_ {
    move |e| {
        let report: color_eyre::Report = e.into();
        let report = match report.downcast::<rusqlite::Error>() {
            Ok(e) => return snapshot.read_error(e).into(),
            Err(report) => report,
        };
        let sqlite = |c: &(dyn std::error::Error + 'static)| {
            c.downcast_ref::<rusqlite::Error>()
                .map(rusqlite::Error::sqlite_error_code)
        };
        match report.chain().find_map(sqlite) {
            None => report,
            Some(Some(rusqlite::ErrorCode::OperationInterrupted)) if snapshot.timed_out() => {
                let interrupt = rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_INTERRUPT);
                snapshot
                    .read_error(rusqlite::Error::SqliteFailure(interrupt, None))
                    .into()
            }
            Some(_) => report.wrap_err(format!(
                "{}: kan inte läsa ögonblicksbilden",
                snapshot.name()
            )),
        }
    }
}

/// Appends the access log's line for a case card written by `report case`, where the unit
/// keeps the log (action `rapport`, so that the log tells a card printed from one opened
/// on screen): no line, no card.
fn log_report(config: &Config, snapshot: &Snapshot, env: &Env, case_id: &str) -> Result<()> {
    let Some(log) = access_log(config, snapshot, env) else {
        return Ok(());
    };
    log.record(env.now, "rapport", Some(case_id))
        .wrap_err_with(|| {
            format!(
                "åtkomstloggen {} kan inte skrivas (access_log i konfigurationen); ärendet visas inte",
                log.shown()
            )
        })
}

/// Makes the access log's entry for a report saved with `--out` as the new private file
/// `saved`, where the unit keeps the log (no entry, no file: it is removed again).
fn log_export(
    saved: &std::path::Path,
    rows: usize,
    format: Format,
    config: &Config,
    snapshot: &Snapshot,
    env: &Env,
) -> Result<()> {
    let saved = saved.to_path_buf();
    let Some(log) = access_log(config, snapshot, env) else {
        return Ok(());
    };
    let named = std::path::absolute(&saved).unwrap_or_else(|_| saved.clone());
    let format = match format {
        Format::Text => "text",
        Format::Csv => "csv",
        Format::Json => "json",
        Format::Xlsx => "xlsx",
    };
    if let Err(e) = log.record_export(env.now, &named, rows, format) {
        let removed = match std::fs::remove_file(&saved) {
            Ok(()) => "filen togs bort".to_string(),
            Err(r) => format!("filen {} kunde inte tas bort: {r}", saved.display()),
        };
        return Err(eyre!(
            "åtkomstloggen {} kan inte skrivas (access_log i konfigurationen): {e}; {removed}",
            log.shown()
        ));
    }
    Ok(())
}

/// The access log the config asks for, as the user, naming the snapshot.
fn access_log(
    config: &Config,
    snapshot: &Snapshot,
    env: &Env,
) -> Option<crate::access_log::AccessLog> {
    let target = config.access_log.as_ref()?;
    Some(crate::access_log::AccessLog::to(
        target,
        &env.syslog_socket,
        env.user.clone(),
        Some(env.uid),
        &snapshot.name(),
    ))
}

#[cfg(test)]
mod held_tests {
    use super::*;

    /// A check already made, with `found` as its result, for the file `Cargo.toml` stands
    /// in for.
    fn check(found: Option<&str>) -> ValueCheck {
        let meta = std::fs::metadata(env!("CARGO_MANIFEST_DIR")).expect("meta");
        ValueCheck {
            file: Some((
                PathBuf::from("stad.sqlite"),
                crate::snapshot::FileIdentity::of(&meta),
            )),
            good: None,
            reads: Some(&OWN_LIST_READS),
            aside: None,
            scoped: Some(Ok(found.map(str::to_string))),
        }
    }

    #[test]
    fn output_is_written_only_once_the_check_has_passed() {
        let snapshot = Snapshot::from_memory(rusqlite::Connection::open_in_memory().expect("db"));
        let big = vec![b'x'; HELD_LIMIT + 10];
        for size in [10, big.len()] {
            // Passed: everything, in order.
            let mut out = Vec::new();
            let mut held = Held::to(check(None), &snapshot, &mut out);
            held.write_all(&big[..size]).expect("write");
            held.write_all(b"slut").expect("write");
            held.release().expect("passes");
            held.flush().expect("flush");
            drop(held);
            assert_eq!(out.len(), size + 4);
            // Failed: nothing at all, and the check's error, naming the file.
            let mut out = Vec::new();
            let mut held = Held::to(check(Some("tabellen cases, rad 3: …")), &snapshot, &mut out);
            let _ = held.write_all(&big[..size]);
            let e = held.release().expect_err("fails");
            assert!(
                e.to_string()
                    .starts_with("stad.sqlite: tabellen cases, rad 3"),
                "{e}"
            );
            drop(held);
            assert!(out.is_empty(), "{size}: nothing printed");
        }
    }
}
