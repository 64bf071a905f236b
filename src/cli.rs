//! The command line: the dashboard by default, and the subcommands that work without a
//! terminal (demo, snapshot build/check, report).

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand, ValueEnum};

fn parse_date(text: &str) -> Result<NaiveDate, String> {
    crate::domain::dates::parse_iso(text)
        .ok_or_else(|| format!("ogiltigt datum {text:?}, väntade ÅÅÅÅ-MM-DD"))
}

/// bevaka — bevakningslista, ärenden och handläggningstid ur en delad ögonblicksbild.
#[derive(Debug, Parser)]
#[command(name = "bevaka", version, about, long_about = None)]
pub struct Cli {
    #[command(flatten)]
    pub common: Common,

    /// Use ASCII borders and symbols (for terminals without UTF-8).
    #[arg(long, global = true)]
    pub ascii: bool,

    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Options shared by the dashboard and the reports.
#[derive(Debug, Clone, Default, Args)]
pub struct Common {
    /// The snapshot to read (else the config's `snapshot`, else the built-in demo).
    #[arg(long, global = true, value_name = "FILE")]
    pub snapshot: Option<PathBuf>,

    /// The config file (else $BEVAKA_CONFIG, else $XDG_CONFIG_HOME/bevaka/config.toml).
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// The date the figures are computed for (default: today).
    #[arg(long, global = true, value_name = "DATE", value_parser = parse_date)]
    pub today: Option<NaiveDate>,

    /// Your handläggare id (else the config's `worker`).
    #[arg(long, global = true, value_name = "ID")]
    pub worker: Option<String>,

    /// Show only this unit (enhet) by unit_id.
    #[arg(long, global = true, value_name = "ID")]
    pub unit: Option<String>,

    /// Show only this team (arbetsgrupp).
    #[arg(long, global = true, value_name = "TEAM")]
    pub team: Option<String>,
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
    },
    /// Build or check snapshot files.
    #[command(subcommand)]
    Snapshot(SnapshotCommand),
    /// Print a view's figures without a terminal.
    Report {
        #[command(subcommand)]
        report: ReportKind,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// Show the configuration in use, or print the commented default config.
    Config {
        /// Print the commented default config file.
        #[arg(long)]
        default: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum SnapshotCommand {
    /// Import the CSV files of a directory into a new snapshot (written atomically).
    Build {
        /// Directory with units.csv, case_workers.csv, insats_types.csv, cases.csv, …
        #[arg(long, value_name = "DIR")]
        from: PathBuf,
        /// The snapshot to write (replaced only when the new one is complete and checked).
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Report schema version, integrity and row counts of a snapshot.
    Check {
        /// The snapshot to check.
        file: PathBuf,
    },
}

#[derive(Debug, Clone, Subcommand)]
pub enum ReportKind {
    /// Caseload by insats on today, one and two years before, and open cases per handläggare.
    Caseload,
    /// The bevakningslista: every open deadline, overdue first (`--worker ID` for one
    /// handläggare's list).
    Deadlines,
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
    },
    /// The IVO report of a quarter: every decision not verkställt within three months and
    /// every avbrott over three months, with its status on the report date, and the nämnd's
    /// anonymised summary (`--worker ID` for one handläggare's cases).
    Ivo {
        /// The quarter, as YYYY-Qn (default: today's).
        #[arg(long, value_name = "YYYY-Qn", value_parser = parse_quarter)]
        quarter: Option<crate::domain::periods::Period>,
    },
    /// Mål och indikatorer: the goal chain with each indicator's status against årsmål
    /// (`--unit ID` for one unit).
    Indicators {
        /// The year (default: today's, else the latest year with indicators).
        #[arg(long, value_name = "YYYY")]
        year: Option<i32>,
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
    },
    /// One case's card: the case, its applications, interventions, avbrott and bevakningar,
    /// and its open deadlines with the reason for each (text or json).
    Case {
        /// The case's case_id.
        #[arg(value_name = "CASE_ID")]
        case_id: String,
    },
}

#[derive(Debug, Clone, Copy, Args)]
pub struct OutputArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text, global = true)]
    pub format: Format,
    /// With --format csv: RFC 4180 (`,`, decimal point, no BOM) instead of Swedish Excel.
    #[arg(long, global = true)]
    pub csv_plain: bool,
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
}
