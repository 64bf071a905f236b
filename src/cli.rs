//! The command line: the dashboard by default, and the subcommands that work without a
//! terminal (demo, snapshot build/check, report).
//!
//! Each command accepts, and lists in its `--help`, only the options it uses: they are
//! small groups of arguments flattened into the commands that read them, so that an option
//! given where it means nothing is an error from clap, not silently ignored.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{ArgGroup, Args, Parser, Subcommand, ValueEnum};

fn parse_date(text: &str) -> Result<NaiveDate, String> {
    crate::domain::dates::parse_iso(text)
        .ok_or_else(|| format!("ogiltigt datum {text:?}, väntade ÅÅÅÅ-MM-DD"))
}

/// bevaka — bevakningslista, ärenden och handläggningstid ur en delad ögonblicksbild.
// The dashboard's options belong to the dashboard alone: given before a subcommand they
// are an error (`bevaka --snapshot X report caseload`), not ignored.
#[derive(Debug, Parser)]
#[command(
    name = "bevaka",
    version,
    about,
    long_about = None,
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(flatten)]
    pub dashboard: DashboardArgs,

    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The dashboard's options (no subcommand).
#[derive(Debug, Clone, Default, Args)]
pub struct DashboardArgs {
    #[command(flatten)]
    pub source: SourceArgs,
    #[command(flatten)]
    pub today: TodayArg,
    #[command(flatten)]
    pub worker: WorkerArg,
    #[command(flatten)]
    pub unit: UnitArg,
    #[command(flatten)]
    pub team: TeamArg,
    #[command(flatten)]
    pub ascii: AsciiArg,
}

/// Where the data and the settings come from.
#[derive(Debug, Clone, Default, Args)]
pub struct SourceArgs {
    /// The snapshot to read (else the config's `snapshot`, else the built-in demo).
    #[arg(long, value_name = "FILE")]
    pub snapshot: Option<PathBuf>,

    /// The config file (else $BEVAKA_CONFIG, else $XDG_CONFIG_HOME/bevaka/config.toml).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, Default, Args)]
pub struct TodayArg {
    /// The date the figures are computed for (default: today).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub today: Option<NaiveDate>,
}

#[derive(Debug, Clone, Default, Args)]
pub struct WorkerArg {
    /// Your handläggare id (else the config's `worker`).
    #[arg(long, value_name = "ID")]
    pub worker: Option<String>,
}

#[derive(Debug, Clone, Default, Args)]
pub struct UnitArg {
    /// Show only this unit (enhet) by unit_id.
    #[arg(long, value_name = "ID")]
    pub unit: Option<String>,
}

#[derive(Debug, Clone, Default, Args)]
pub struct TeamArg {
    /// Show only this team (arbetsgrupp).
    #[arg(long, value_name = "TEAM")]
    pub team: Option<String>,
}

#[derive(Debug, Clone, Copy, Default, Args)]
pub struct AsciiArg {
    /// Use ASCII borders and symbols (for terminals without UTF-8).
    #[arg(long)]
    pub ascii: bool,
}

/// What every report reads: the snapshot and config, the date, and the text's symbols.
#[derive(Debug, Clone, Default, Args)]
pub struct ReportArgs {
    #[command(flatten)]
    pub source: SourceArgs,
    #[command(flatten)]
    pub today: TodayArg,
    #[command(flatten)]
    pub ascii: AsciiArg,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Write the demo snapshot (synthetic people, the seeds' figures).
    Demo {
        /// Where to write it.
        #[arg(long, value_name = "FILE", default_value = "bevaka-demo.sqlite")]
        out: PathBuf,
        /// The date the demo's figures hold on (default: today).
        #[arg(long, value_name = "DATE", value_parser = parse_date)]
        as_of: Option<NaiveDate>,
        /// The seeds' two units with their figures, or a whole city: 14 districts, three
        /// units each, about 150 000 cases.
        #[arg(long, value_enum, default_value_t = Scale::Unit)]
        scale: Scale,
        /// With `--scale city`: this many copies of the city in one snapshot (1–20; ids
        /// prefixed `C2-`, `C3-`, … from the second on), to measure how bevaka grows.
        #[arg(long, value_name = "N", value_parser = parse_cities)]
        cities: Option<usize>,
    },
    /// Build, check or split snapshot files.
    #[command(subcommand)]
    Snapshot(SnapshotCommand),
    /// Print a view's figures without a terminal.
    Report {
        #[command(subcommand)]
        report: ReportKind,
    },
    /// Show the configuration in use, or print the commented default config.
    Config {
        #[command(flatten)]
        source: SourceArgs,
        #[command(flatten)]
        worker: WorkerArg,
        #[command(flatten)]
        unit: UnitArg,
        #[command(flatten)]
        team: TeamArg,
        #[command(flatten)]
        ascii: AsciiArg,
        /// Print the commented default config file.
        #[arg(long)]
        default: bool,
    },
    /// Print the shell completions for bash, zsh or fish (generated from these options).
    Completions {
        /// The shell.
        #[arg(value_enum, value_name = "SHELL")]
        shell: CompletionShell,
    },
    /// Print the man page, bevaka(1), as roff (`bevaka man | man -l -`), or write it and a
    /// page per subcommand (bevaka-report-case(1), …) into a folder.
    Man {
        /// Write bevaka.1 and the subcommands' pages into this folder instead (e.g.
        /// /usr/local/share/man/man1).
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub enum SnapshotCommand {
    /// Import the CSV files of a directory into a new snapshot (written atomically), or into
    /// one snapshot per unit (`--split unit --out-dir DIR`).
    #[command(group(ArgGroup::new("target").required(true).args(["out", "split"])))]
    Build {
        /// Directory with units.csv, case_workers.csv, insats_types.csv, cases.csv, …
        #[arg(long, value_name = "DIR")]
        from: PathBuf,
        /// The snapshot to write (replaced only when the new one is complete and checked).
        #[arg(long, value_name = "FILE", conflicts_with_all = ["out_dir", "summary"])]
        out: Option<PathBuf>,
        /// Instead of --out: one snapshot per unit, DIR/<unit_id>.sqlite (with --out-dir).
        #[arg(long, value_enum, value_name = "unit", requires = "out_dir")]
        split: Option<SplitBy>,
        /// With --split: the directory to write the snapshots in (it must exist).
        #[arg(long, value_name = "DIR", requires = "split")]
        out_dir: Option<PathBuf>,
        /// With --split: also DIR/sammanfattning.sqlite, every figure of the whole with the
        /// people pseudonymised.
        #[arg(long, requires = "split")]
        summary: bool,
    },
    /// Split a snapshot (version 1 or 2) into one per unit, DIR/<unit_id>.sqlite, each
    /// written atomically.
    Split {
        /// The snapshot to split.
        file: PathBuf,
        /// The directory to write them in (it must exist).
        #[arg(long, value_name = "DIR")]
        out_dir: PathBuf,
        /// Also DIR/sammanfattning.sqlite: every figure of the whole, the people
        /// pseudonymised.
        #[arg(long)]
        summary: bool,
    },
    /// Report schema version, integrity and row counts of a snapshot.
    Check {
        /// The snapshot to check.
        file: PathBuf,
    },
}

/// `--split` of `snapshot build`: what to write one snapshot per.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SplitBy {
    /// One snapshot per unit (enhet).
    Unit,
}

#[derive(Debug, Clone, Subcommand)]
pub enum ReportKind {
    /// Caseload by insats on today, one and two years before, and open cases per handläggare.
    Caseload {
        #[command(flatten)]
        common: ReportArgs,
        #[command(flatten)]
        unit: UnitArg,
        #[command(flatten)]
        team: TeamArg,
        /// The caseload by insats on the last day of every month (--from/--to; default the
        /// last 24 months up to today's, counted on today).
        #[arg(long)]
        monthly: bool,
        /// The series' first month, YYYY-MM.
        #[arg(long, value_name = "YYYY-MM", value_parser = parse_month, requires = "monthly")]
        from: Option<crate::domain::caseload::Month>,
        /// The series' last month, YYYY-MM.
        #[arg(long, value_name = "YYYY-MM", value_parser = parse_month, requires = "monthly")]
        to: Option<crate::domain::caseload::Month>,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// The bevakningslista: every open deadline, overdue first (`--worker ID` for one
    /// handläggare's list).
    Deadlines {
        #[command(flatten)]
        common: ReportArgs,
        #[command(flatten)]
        worker: WorkerArg,
        #[command(flatten)]
        unit: UnitArg,
        #[command(flatten)]
        team: TeamArg,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// Handläggningstid per quarter (the last eight), applications waiting past their target
    /// and the ej verkställda beslut on today (`--worker ID` for one handläggare).
    #[command(name = "processing-time")]
    ProcessingTime {
        /// Only this insats type, by insats_code.
        #[arg(long, value_name = "CODE")]
        insats: Option<String>,
        /// The periods of the review: the last eight quarters, tertials (T1 Jan–Apr, T2
        /// May–Aug, T3 Sep–Dec), half-years or years.
        #[arg(long, value_enum, default_value_t = PeriodArg::Quarter)]
        period: PeriodArg,
        #[command(flatten)]
        common: ReportArgs,
        #[command(flatten)]
        worker: WorkerArg,
        #[command(flatten)]
        unit: UnitArg,
        #[command(flatten)]
        team: TeamArg,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// The IVO report of a quarter: every decision not verkställt within three months and
    /// every avbrott over three months, with its status on the report date, and the nämnd's
    /// anonymised summary (`--worker ID` for one handläggare's cases).
    Ivo {
        /// The quarter, as YYYY-Qn (default: today's).
        #[arg(long, value_name = "YYYY-Qn", value_parser = parse_quarter)]
        quarter: Option<crate::domain::periods::Period>,
        #[command(flatten)]
        common: ReportArgs,
        #[command(flatten)]
        worker: WorkerArg,
        #[command(flatten)]
        unit: UnitArg,
        #[command(flatten)]
        team: TeamArg,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// Mål och indikatorer: the goal chain with each indicator's status against årsmål
    /// (`--unit ID` for one unit).
    // No --team: goals and indicators belong to units, not teams.
    Indicators {
        /// The year (default: today's, else the latest year with indicators).
        #[arg(long, value_name = "YYYY")]
        year: Option<i32>,
        #[command(flatten)]
        common: ReportArgs,
        #[command(flatten)]
        unit: UnitArg,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// The cases behind a caseload figure: with `--insats CODE` those with that insats
    /// active on the date, else those open on it (`--worker ID` for one handläggare's).
    Cases {
        /// Only cases with an intervention of this insats type active on the date.
        #[arg(long, value_name = "CODE")]
        insats: Option<String>,
        /// The date (default: --today).
        #[arg(long, value_name = "DATE", value_parser = parse_date)]
        date: Option<NaiveDate>,
        #[command(flatten)]
        common: ReportArgs,
        #[command(flatten)]
        worker: WorkerArg,
        #[command(flatten)]
        unit: UnitArg,
        #[command(flatten)]
        team: TeamArg,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// The decisions behind a period's handläggningstid (or the starts behind its
    /// verkställighetstid), longest first, with their days: what the review's figure for
    /// the period counts (`--insats`, `--worker`, `--sex` for one row of its breakdown).
    Decisions {
        /// The period, as YYYY-Qn, YYYY-Tn, YYYY-Hn or YYYY.
        #[arg(long, value_name = "PERIOD", value_parser = parse_period)]
        period: crate::domain::periods::Period,
        /// What the figure measures: handläggningstid (ansökan → beslut, by the decision's
        /// period) or verkställighetstid (beslut → start, by the start's period).
        #[arg(long, value_enum, default_value_t = MeasureArg::Handlaggning)]
        measure: MeasureArg,
        /// Only this insats type, by insats_code.
        #[arg(long, value_name = "CODE")]
        insats: Option<String>,
        /// Only the cases of this kön: K, M or okänt.
        #[arg(long, value_name = "K|M|okänt", value_parser = parse_sex)]
        sex: Option<SexArg>,
        #[command(flatten)]
        common: ReportArgs,
        #[command(flatten)]
        worker: WorkerArg,
        #[command(flatten)]
        unit: UnitArg,
        #[command(flatten)]
        team: TeamArg,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// One case's card: the case, its applications, interventions, avbrott and bevakningar,
    /// and its open deadlines with the reason for each (text or json).
    Case {
        /// The case's case_id.
        #[arg(value_name = "CASE_ID")]
        case_id: String,
        #[command(flatten)]
        common: ReportArgs,
        #[command(flatten)]
        output: CardOutputArgs,
    },
}

/// The output of the reports that are tables.
#[derive(Debug, Clone, Args)]
pub struct OutputArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// With --format csv: RFC 4180 (`,`, decimal point, no BOM) instead of Swedish Excel.
    #[arg(long)]
    pub csv_plain: bool,
    /// Write the report to this new file (readable by you only; an existing file is not
    /// replaced) instead of stdout. Required with --format xlsx.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// The output of the case card: not a table, so no CSV.
#[derive(Debug, Clone, Copy, Args)]
pub struct CardOutputArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = CardFormat::Text)]
    pub format: CardFormat,
}

/// `--period` of the quarterly review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PeriodArg {
    Quarter,
    Tertial,
    Half,
    Year,
}

impl From<PeriodArg> for crate::domain::periods::PeriodKind {
    fn from(arg: PeriodArg) -> Self {
        match arg {
            PeriodArg::Quarter => Self::Quarter,
            PeriodArg::Tertial => Self::Tertial,
            PeriodArg::Half => Self::Half,
            PeriodArg::Year => Self::Year,
        }
    }
}

/// `--measure` of `report decisions`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MeasureArg {
    Handlaggning,
    Verkstallighet,
}

impl From<MeasureArg> for crate::domain::processing::Measure {
    fn from(arg: MeasureArg) -> Self {
        match arg {
            MeasureArg::Handlaggning => Self::Handlaggning,
            MeasureArg::Verkstallighet => Self::Verkstallighet,
        }
    }
}

/// `--sex`: a kön, or not known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SexArg(pub Option<crate::model::Sex>);

fn parse_sex(text: &str) -> Result<SexArg, String> {
    match text {
        "K" | "k" => Ok(SexArg(Some(crate::model::Sex::K))),
        "M" | "m" => Ok(SexArg(Some(crate::model::Sex::M))),
        "okänt" | "okant" | "OKÄNT" | "OKANT" => Ok(SexArg(None)),
        _ => Err(format!("ogiltigt kön {text:?}, väntade K, M eller okänt")),
    }
}

fn parse_period(text: &str) -> Result<crate::domain::periods::Period, String> {
    crate::domain::periods::Period::parse(text).ok_or_else(|| {
        format!("ogiltig period {text:?}, väntade ÅÅÅÅ-Qn, ÅÅÅÅ-Tn, ÅÅÅÅ-Hn eller ÅÅÅÅ")
    })
}

fn parse_cities(text: &str) -> Result<usize, String> {
    let max = crate::demo::city::MAX_CITIES;
    text.trim()
        .parse()
        .ok()
        .filter(|n| (1..=max).contains(n))
        .ok_or_else(|| format!("ogiltigt antal städer {text:?}, väntade ett heltal 1–{max}"))
}

fn parse_quarter(text: &str) -> Result<crate::domain::periods::Period, String> {
    crate::domain::periods::Period::parse(text)
        .filter(|p| p.kind == crate::domain::periods::PeriodKind::Quarter)
        .ok_or_else(|| format!("ogiltigt kvartal {text:?}, väntade ÅÅÅÅ-Qn (t.ex. 2014-Q4)"))
}

/// The size of the demo snapshot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Scale {
    /// The unit demo: the seeds' two units.
    Unit,
    /// Stockholm's 14 stadsdelsnämnder, three units each.
    City,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Csv,
    Json,
    /// An Excel workbook (with --out FILE): a sheet per table, dates and figures as numbers.
    Xlsx,
}

/// `--format` of the case card.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CardFormat {
    Text,
    Json,
}

impl From<CardFormat> for Format {
    fn from(format: CardFormat) -> Self {
        match format {
            CardFormat::Text => Self::Text,
            CardFormat::Json => Self::Json,
        }
    }
}

/// The shells `bevaka completions` writes for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CompletionShell {
    Bash,
    Zsh,
    Fish,
}

impl From<CompletionShell> for clap_complete::Shell {
    fn from(shell: CompletionShell) -> Self {
        match shell {
            CompletionShell::Bash => Self::Bash,
            CompletionShell::Zsh => Self::Zsh,
            CompletionShell::Fish => Self::Fish,
        }
    }
}

/// The completions of `shell` for the command line defined here.
///
/// # Errors
/// Writing to `out`.
pub fn write_completions(
    shell: CompletionShell,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let mut command = <Cli as clap::CommandFactory>::command();
    let mut buf = Vec::new();
    clap_complete::generate(
        clap_complete::Shell::from(shell),
        &mut command,
        "bevaka",
        &mut buf,
    );
    out.write_all(&buf)
}

/// The command line defined here as the man pages see it: without clap's `help`
/// subcommand, which has no page of its own.
fn man_command() -> clap::Command {
    let mut command = <Cli as clap::CommandFactory>::command().disable_help_subcommand(true);
    command.build();
    command
}

/// The man page bevaka(1) for the command line defined here, as roff.
///
/// # Errors
/// Writing to `out`.
pub fn write_man(out: &mut dyn std::io::Write) -> std::io::Result<()> {
    out.write_all(&man_page(man_command())?)
}

/// Writes bevaka.1 and a page for each subcommand (bevaka-report.1, bevaka-report-case.1,
/// …) into `dir`; returns the files written.
///
/// # Errors
/// Creating or writing a file; each error names it.
pub fn write_man_pages(dir: &std::path::Path) -> std::io::Result<Vec<PathBuf>> {
    fn pages(
        command: clap::Command,
        dir: &std::path::Path,
        written: &mut Vec<PathBuf>,
    ) -> std::io::Result<()> {
        for sub in command.get_subcommands().filter(|s| !s.is_hide_set()) {
            pages(sub.clone(), dir, written)?;
        }
        let path = dir.join(clap_mangen::Man::new(command.clone()).get_filename());
        std::fs::write(&path, man_page(command)?).map_err(|e| {
            std::io::Error::new(e.kind(), format!("kan inte skriva {}: {e}", path.display()))
        })?;
        written.push(path);
        Ok(())
    }
    let mut written = Vec::new();
    pages(man_command(), dir, &mut written)?;
    Ok(written)
}

/// One command's page, its `.TH` title first (roff's definition of the apostrophe string,
/// which clap_mangen writes before it, follows the title).
fn man_page(command: clap::Command) -> std::io::Result<Vec<u8>> {
    let mut roff = Vec::new();
    clap_mangen::Man::new(command)
        .source(format!("bevaka {}", env!("CARGO_PKG_VERSION")))
        .render(&mut roff)?;
    let text = String::from_utf8_lossy(&roff);
    let Some(title) = text.find("\n.TH ") else {
        return Ok(roff);
    };
    let (preamble, rest) = text.split_at(title + 1);
    let (title_line, body) = rest.split_at(rest.find('\n').map_or(rest.len(), |i| i + 1));
    Ok(format!("{title_line}{preamble}{body}").into_bytes())
}

fn parse_month(s: &str) -> Result<crate::domain::caseload::Month, String> {
    crate::domain::caseload::Month::parse(s)
        .ok_or_else(|| format!("{s:?} är ingen månad ÅÅÅÅ-MM (till exempel 2014-12)"))
}
