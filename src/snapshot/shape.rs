//! The snapshot's shape and content against the contract (`db/schema.sql`).
//!
//! A snapshot is published on a shared folder and read by every user: a crafted or broken
//! file must not run SQL of its own inside bevaka's queries, hang them, or make the figures
//! wrong without saying so. Three layers:
//!
//! * [`harden`]: every connection bevaka reads a snapshot with runs with `trusted_schema`
//!   off, views and triggers disabled, and a time limit per statement.
//! * [`shape`]: cheap, on every open: each table of the contract is a real table (not a
//!   view or a virtual table) with the contract's columns, and the file has no triggers.
//! * [`problems`]: `bevaka snapshot check`, the producer's gate: the shape, STRICT tables
//!   and declared columns as in the contract, SQLite's integrity check, and every row
//!   against the rules the contract states (NOT NULL, types, CHECKs, dates, references)
//!   and the bounds bevaka computes with.

use std::fmt::Write as _;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};
use std::time::{Duration, Instant};

use rusqlite::Connection;
use rusqlite::config::DbConfig;
use rusqlite::trace::{TraceEvent, TraceEventCodes};

use crate::snapshot::write::SCHEMA_SQL;

/// How long one statement may run before it is interrupted, for the reports and the
/// dashboard: far beyond any load of a city-wide snapshot, short of a hang.
pub const QUERY_LIMIT: Duration = Duration::from_secs(30);
/// The same for `bevaka snapshot check`, whose integrity check reads the whole file in one
/// statement.
pub const CHECK_LIMIT: Duration = Duration::from_secs(300);
/// SQLite virtual machine steps between two looks at the clock (some 0.1 ms of work).
const PROGRESS_STEPS: std::ffi::c_int = 10_000;

/// The largest `insats_types.target_days` bevaka computes with (ten years); the import
/// refuses larger ones, `snapshot check` flags them in a file.
pub const MAX_TARGET_DAYS: i64 = 3650;

/// Problems listed per kind; the rest are counted.
pub const LISTED: usize = 20;

/// The time limit shared by the connections of one snapshot.
#[derive(Debug)]
pub(crate) struct Limit {
    millis: AtomicU64,
}

impl Limit {
    pub(crate) fn new(limit: Duration) -> Arc<Self> {
        Arc::new(Self {
            millis: AtomicU64::new(u64::try_from(limit.as_millis()).unwrap_or(u64::MAX)),
        })
    }

    pub(crate) fn set(&self, limit: Duration) {
        self.millis.store(
            u64::try_from(limit.as_millis()).unwrap_or(u64::MAX),
            Ordering::Relaxed,
        );
    }

    pub(crate) fn get(&self) -> Duration {
        Duration::from_millis(self.millis.load(Ordering::Relaxed))
    }
}

/// One connection's clock: when its running statement started, and whether the last one
/// was stopped by the limit.
#[derive(Debug)]
pub(crate) struct Clock {
    started: Mutex<Instant>,
    fired: AtomicBool,
}

impl Clock {
    /// Whether the statement that failed last on this connection ran out of time.
    pub(crate) fn fired(&self) -> bool {
        self.fired.load(Ordering::Relaxed)
    }
}

/// Makes `conn` safe to read an untrusted snapshot with: no SQL from the file's schema runs
/// in our queries (`trusted_schema` off, views and triggers disabled), and a statement that
/// runs longer than `limit` is interrupted (SQLite's interrupt error; [`Clock::fired`]
/// tells it from an interrupt asked for).
///
/// # Errors
/// SQLite errors.
pub(crate) fn harden(conn: &mut Connection, limit: &Arc<Limit>) -> rusqlite::Result<Arc<Clock>> {
    conn.execute_batch("PRAGMA trusted_schema = OFF;")?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_TRUSTED_SCHEMA, false)?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_VIEW, false)?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_TRIGGER, false)?;
    let clock = Arc::new(Clock {
        started: Mutex::new(Instant::now()),
        fired: AtomicBool::new(false),
    });
    // Each statement gets the whole limit: its clock starts when it starts running.
    let on_start = Arc::clone(&clock);
    conn.trace_v2(
        TraceEventCodes::SQLITE_TRACE_STMT,
        Some(move |event: TraceEvent<'_>| {
            if let TraceEvent::Stmt(..) = event {
                *on_start
                    .started
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner) = Instant::now();
                on_start.fired.store(false, Ordering::Relaxed);
            }
        }),
    )?;
    let watch = Arc::clone(&clock);
    let limit = Arc::clone(limit);
    conn.progress_handler(
        PROGRESS_STEPS,
        Some(move || {
            let started = *watch.started.lock().unwrap_or_else(PoisonError::into_inner);
            let over = started.elapsed() > limit.get();
            if over {
                watch.fired.store(true, Ordering::Relaxed);
            }
            over
        }),
    )?;
    Ok(clock)
}

/// The limit as a user reads it: `30 s`, or milliseconds below a second.
#[must_use]
pub fn limit_text(limit: Duration) -> String {
    if limit >= Duration::from_secs(1) {
        format!("{} s", limit.as_secs())
    } else {
        format!("{} ms", limit.as_millis())
    }
}

// ---------------------------------------------------------------------------------------
// The contract, read from `db/schema.sql` itself.

/// A column of the contract.
#[derive(Debug, Clone)]
struct Column {
    name: String,
    /// Declared type, upper case (`TEXT`, `INTEGER`, `REAL`).
    kind: String,
    not_null: bool,
    /// Position in the primary key (0: not part of it).
    pk: i64,
}

/// A reference of the contract: `table.column` → `parent.to`.
#[derive(Debug, Clone)]
struct Reference {
    column: String,
    parent: String,
    to: String,
}

#[derive(Debug, Clone)]
struct Table {
    name: &'static str,
    columns: Vec<Column>,
    references: Vec<Reference>,
}

/// The columns and table version 2 added (schema.sql's "v2"): a version 1 file lacks them.
pub(crate) const V2_COLUMNS: [(&str, &str); 4] = [
    ("cases", "sex"),
    ("case_workers", "login"),
    ("interventions", "offered"),
    ("interventions", "delay_reason"),
];
pub(crate) const V2_TABLE: &str = "interruptions";

/// Every date column of the contract (`YYYY-MM-DD`).
pub const DATE_COLUMNS: [(&str, &str); 18] = [
    ("cases", "opened"),
    ("cases", "closed"),
    ("applications", "received"),
    ("applications", "investigation_started"),
    ("applications", "decided"),
    ("interventions", "decided"),
    ("interventions", "start"),
    ("interventions", "end"),
    ("interventions", "ordered"),
    ("interventions", "plan_received"),
    ("interventions", "last_followup"),
    ("interventions", "offered"),
    ("interruptions", "interrupted"),
    ("interruptions", "resumed"),
    ("followups", "due"),
    ("followups", "done"),
    ("goals", "start"),
    ("goals", "end"),
];

/// A rule on the rows of a table beyond the column declarations: each CHECK of the
/// contract, and the bounds bevaka computes with. `columns` must all be present;
/// `bad` selects the rows that break it, `shown` is the value listed.
struct Rule {
    table: &'static str,
    columns: &'static [&'static str],
    what: &'static str,
    bad: &'static str,
    shown: &'static str,
    /// A CHECK of `db/schema.sql` (else one of bevaka's own bounds).
    #[cfg_attr(
        not(test),
        allow(
            dead_code,
            reason = "the test that matches the rules to the CHECKs reads it"
        )
    )]
    check: bool,
}

/// The CHECK constraints of `db/schema.sql` (the unit test below counts them) and bevaka's
/// own bounds.
const RULES: [Rule; 14] = [
    Rule {
        table: "insats_types",
        columns: &["target_days"],
        what: "target_days utanför 0–3650 dagar",
        bad: "target_days IS NOT NULL AND NOT (typeof(target_days) = 'integer' AND target_days BETWEEN 0 AND 3650)",
        shown: "quote(target_days)",
        check: true,
    },
    Rule {
        table: "cases",
        columns: &["sex"],
        what: "sex är varken 'K', 'M' eller tomt",
        bad: "sex IS NOT NULL AND sex NOT IN ('K', 'M')",
        shown: "quote(sex)",
        check: true,
    },
    Rule {
        table: "cases",
        columns: &["opened", "closed"],
        what: "closed före opened",
        bad: "closed IS NOT NULL AND closed < opened",
        shown: "'opened ' || quote(opened) || ', closed ' || quote(closed)",
        check: true,
    },
    Rule {
        table: "applications",
        columns: &["outcome"],
        what: "outcome är inte beviljad, avslag, delvis, aterkallad eller tomt",
        bad: "outcome IS NOT NULL AND outcome NOT IN ('beviljad', 'avslag', 'delvis', 'aterkallad')",
        shown: "quote(outcome)",
        check: true,
    },
    Rule {
        table: "interruptions",
        columns: &["interrupted", "resumed"],
        what: "resumed före interrupted",
        bad: "resumed IS NOT NULL AND resumed < interrupted",
        shown: "'interrupted ' || quote(interrupted) || ', resumed ' || quote(resumed)",
        check: true,
    },
    Rule {
        table: "goals",
        columns: &["level"],
        what: "level är inte inriktningsmal, verksamhetsmal, namndmal, atagande eller aktivitet",
        bad: "level NOT IN ('inriktningsmal', 'verksamhetsmal', 'namndmal', 'atagande', 'aktivitet')",
        shown: "quote(level)",
        check: true,
    },
    Rule {
        table: "goals",
        columns: &["assessment"],
        what: "assessment är varken helt, delvis, ej eller tomt",
        bad: "assessment IS NOT NULL AND assessment NOT IN ('helt', 'delvis', 'ej')",
        shown: "quote(assessment)",
        check: true,
    },
    Rule {
        table: "indicators",
        columns: &["direction"],
        what: "direction är varken higher eller lower",
        bad: "direction NOT IN ('higher', 'lower')",
        shown: "quote(direction)",
        check: true,
    },
    Rule {
        table: "indicators",
        columns: &["tolerance"],
        what: "tolerance är negativ",
        bad: "tolerance IS NOT NULL AND tolerance < 0",
        shown: "quote(tolerance)",
        check: true,
    },
    Rule {
        table: "indicators",
        columns: &["year"],
        what: "year utanför 1–9999",
        bad: "NOT (typeof(year) = 'integer' AND year BETWEEN 1 AND 9999)",
        shown: "quote(year)",
        check: false,
    },
    Rule {
        table: "indicator_values",
        columns: &["value"],
        what: "value är inget ändligt tal",
        bad: "abs(value) >= 9e999",
        shown: "quote(value)",
        check: false,
    },
    Rule {
        table: "indicators",
        columns: &["target"],
        what: "target är inget ändligt tal",
        bad: "abs(target) >= 9e999",
        shown: "quote(target)",
        check: false,
    },
    Rule {
        table: "indicators",
        columns: &["city_target"],
        what: "city_target är inget ändligt tal",
        bad: "abs(city_target) >= 9e999",
        shown: "quote(city_target)",
        check: false,
    },
    Rule {
        table: "indicators",
        columns: &["tolerance"],
        what: "tolerance är inget ändligt tal",
        bad: "abs(tolerance) >= 9e999",
        shown: "quote(tolerance)",
        check: false,
    },
];

/// The contract's tables, columns and references, read from an in-memory database made
/// from `db/schema.sql` (once).
fn contract() -> &'static [Table] {
    static CONTRACT: OnceLock<Vec<Table>> = OnceLock::new();
    CONTRACT.get_or_init(|| {
        let read = || -> rusqlite::Result<Vec<Table>> {
            let conn = Connection::open_in_memory()?;
            conn.execute_batch(SCHEMA_SQL)?;
            crate::model::TABLES
                .iter()
                .map(|&name| {
                    let columns = conn
                        .prepare(
                            "SELECT name, upper(type), \"notnull\", pk FROM pragma_table_info(?1)",
                        )?
                        .query_map([name], |r| {
                            Ok(Column {
                                name: r.get(0)?,
                                kind: r.get(1)?,
                                not_null: r.get(2)?,
                                pk: r.get(3)?,
                            })
                        })?
                        .collect::<rusqlite::Result<_>>()?;
                    let references = conn
                        .prepare(
                            "SELECT \"from\", \"table\", \"to\" FROM pragma_foreign_key_list(?1)",
                        )?
                        .query_map([name], |r| {
                            Ok(Reference {
                                column: r.get(0)?,
                                parent: r.get(1)?,
                                to: r.get(2)?,
                            })
                        })?
                        .collect::<rusqlite::Result<_>>()?;
                    Ok(Table {
                        name,
                        columns,
                        references,
                    })
                })
                .collect()
        };
        // The schema is compiled in and tested: it cannot fail to load.
        read().unwrap_or_default()
    })
}

fn is_v2_column(table: &str, column: &str) -> bool {
    V2_COLUMNS.contains(&(table, column))
}

// ---------------------------------------------------------------------------------------
// The shape: what every open checks.

/// What the file has under a contract table's name.
#[derive(Debug)]
enum Object {
    Table { without_rowid: bool, strict: bool },
    View,
    Virtual,
    Missing,
}

/// The file's objects under the contract's table names, and its triggers.
struct Schema {
    objects: Vec<(&'static str, Object)>,
    triggers: Vec<(String, String)>,
}

fn schema(conn: &Connection) -> rusqlite::Result<Schema> {
    let rows: Vec<(String, String, String, Option<String>)> = conn
        .prepare("SELECT type, name, tbl_name, sql FROM main.sqlite_schema")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<rusqlite::Result<_>>()?;
    // pragma table_list: whether each table is STRICT and whether it has a rowid.
    let listed: Vec<(String, bool, bool)> = conn
        .prepare("SELECT name, wr, strict FROM pragma_table_list WHERE schema = 'main'")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let objects = contract()
        .iter()
        .map(|t| {
            let found = rows.iter().find(|(kind, name, ..)| {
                kind != "trigger" && kind != "index" && name.eq_ignore_ascii_case(t.name)
            });
            let object = match found {
                None => Object::Missing,
                Some((kind, ..)) if kind == "view" => Object::View,
                Some((_, _, _, Some(sql)))
                    if sql
                        .split_whitespace()
                        .nth(1)
                        .is_some_and(|w| w.eq_ignore_ascii_case("VIRTUAL")) =>
                {
                    Object::Virtual
                }
                Some((kind, ..)) if kind == "table" => {
                    let (without_rowid, strict) = listed
                        .iter()
                        .find(|(name, ..)| name.eq_ignore_ascii_case(t.name))
                        .map_or((false, false), |&(_, wr, strict)| (wr, strict));
                    Object::Table {
                        without_rowid,
                        strict,
                    }
                }
                Some(_) => Object::View,
            };
            (t.name, object)
        })
        .collect();
    let triggers = rows
        .into_iter()
        .filter(|(kind, ..)| kind == "trigger")
        .map(|(_, name, table, _)| (name, table))
        .collect();
    Ok(Schema { objects, triggers })
}

/// A column of a table in the file: name, stored (not generated), declared type (upper
/// case), NOT NULL, primary key position.
type FileColumn = (String, bool, String, bool, i64);

/// The names of `table`'s columns in the file, with whether each is a plain stored one
/// (not generated), its declared type (upper case), NOT NULL and primary key position.
fn file_columns(conn: &Connection, table: &str) -> rusqlite::Result<Vec<FileColumn>> {
    conn.prepare(
        "SELECT name, hidden = 0, upper(type), \"notnull\", pk FROM pragma_table_xinfo(?1, 'main')",
    )?
    .query_map([table], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
    })?
    .collect()
}

/// The shape problems of the file, cheap enough for every open: tables of the contract
/// that are missing, views or virtual tables, or without rowid, or whose primary key is
/// not the contract's; contract columns that are missing or generated (version 2's only
/// where the file is version 2); triggers.
///
/// # Errors
/// SQLite errors (a file too broken to read its schema).
pub fn shape(conn: &Connection, version: i32) -> rusqlite::Result<Vec<String>> {
    shape_of(conn, version, &schema(conn)?)
}

fn shape_of(conn: &Connection, version: i32, schema: &Schema) -> rusqlite::Result<Vec<String>> {
    let mut out = Vec::new();
    for (table, (name, object)) in contract().iter().zip(&schema.objects) {
        match object {
            Object::Missing if version < 2 && *name == V2_TABLE => {}
            Object::Missing => out.push(format!("tabellen {name} saknas")),
            Object::View => out.push(format!("tabellen {name} är en vy, inte en tabell")),
            Object::Virtual => out.push(format!(
                "tabellen {name} är en virtuell tabell, inte en vanlig tabell"
            )),
            Object::Table { without_rowid, .. } => {
                if *without_rowid {
                    out.push(format!("tabellen {name} saknar rowid (WITHOUT ROWID)"));
                }
                let have = file_columns(conn, name)?;
                for column in &table.columns {
                    if version < 2 && is_v2_column(name, &column.name) {
                        continue;
                    }
                    match have.iter().find(|c| c.0.eq_ignore_ascii_case(&column.name)) {
                        None => out.push(format!("kolumnen {name}.{} saknas", column.name)),
                        Some((_, false, ..)) => out.push(format!(
                            "kolumnen {name}.{} är beräknad (GENERATED), inte en vanlig kolumn",
                            column.name
                        )),
                        Some(_) => {}
                    }
                }
                // Without its key a table can hold two rows with the same id, and every
                // figure would count that case (or decision) twice without a word.
                let in_file_key =
                    |c: &str| have.iter().any(|h| h.0.eq_ignore_ascii_case(c) && h.4 > 0);
                let wanted: Vec<&str> = table
                    .columns
                    .iter()
                    .filter(|c| c.pk > 0)
                    .map(|c| c.name.as_str())
                    .collect();
                // A key column left out of the file's key, or a column in it that is not.
                let differs = have
                    .iter()
                    .any(|h| h.4 > 0 && !wanted.iter().any(|w| w.eq_ignore_ascii_case(&h.0)))
                    || wanted.iter().any(|w| !in_file_key(w));
                let all_there = wanted
                    .iter()
                    .all(|c| have.iter().any(|h| h.0.eq_ignore_ascii_case(c)));
                if !wanted.is_empty() && all_there && differs {
                    out.push(format!(
                        "tabellen {name} har inte PRIMARY KEY ({}) som kontraktet: två rader \
                         kan ha samma id",
                        wanted.join(", ")
                    ));
                }
            }
        }
    }
    for (trigger, table) in &schema.triggers {
        out.push(format!(
            "innehåller triggern {trigger} (på {table}); en ögonblicksbild har inga triggrar"
        ));
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------
// The full check.

/// One kind of problem found by [`problems`], with the rows that have it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// What is wrong, e.g. `cases.opened: inget giltigt datum ÅÅÅÅ-MM-DD`.
    pub what: String,
    /// Up to [`LISTED`] rows: rowid and the value, as SQL writes it (`'2014-02-30'`, `NULL`).
    pub rows: Vec<(i64, String)>,
    /// The rows with this problem (listed or not); 0 for a problem of the schema.
    pub count: u64,
}

impl Finding {
    fn schema(what: String) -> Self {
        Self {
            what,
            rows: Vec::new(),
            count: 0,
        }
    }
}

/// Everything that keeps bevaka from reading the file right: the shape, tables that are
/// not STRICT, columns declared otherwise than in the contract, SQLite's integrity check,
/// and every row against the contract's NOT NULL, types, CHECKs, dates (`YYYY-MM-DD`,
/// a real calendar day), references and bevaka's bounds. Empty: the file is good.
///
/// # Errors
/// SQLite errors (an interrupted statement among them).
pub fn problems(conn: &Connection) -> rusqlite::Result<Vec<Finding>> {
    problems_with(conn, Integrity::Full)
}

/// How much of SQLite's own check of the file [`problems_with`] runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Integrity {
    /// `PRAGMA integrity_check`: also that every index holds exactly its table's rows.
    /// For a file from elsewhere (`bevaka snapshot check`).
    Full,
    /// `PRAGMA quick_check`: the file's structure, in linear time, without SQLite's own
    /// pass over the CHECK constraints (the contract's rules cover them). For a file bevaka
    /// has just written in one transaction, whose indexes SQLite itself kept.
    Quick,
}

/// [`problems`], with the integrity check `integrity`.
///
/// # Errors
/// As [`problems`].
pub fn problems_with(conn: &Connection, integrity: Integrity) -> rusqlite::Result<Vec<Finding>> {
    let (mut out, readable) = prelude(conn)?;
    let mut jobs = Vec::with_capacity(readable.len() + 1);
    jobs.push(Job::Integrity(integrity));
    jobs.extend((0..readable.len()).map(Job::Table));
    for job in &jobs {
        out.extend(job.run(conn, &readable)?);
    }
    Ok(out)
}

/// [`problems_with`], the work shared between `conn` and `helper`, a second connection to
/// the same file (read-only will do), which runs in a thread of its own: SQLite's check of
/// the file and the tables' rules are independent passes over it. The same findings, in the
/// same order; about half the time on two cores.
///
/// `first` runs on `conn` before `conn` takes any part in the check, while `helper` already
/// checks the tables' rows: the writer's last step, which must not change those rows (its
/// `ANALYZE`). SQLite's check of the file comes after it, so the file is checked as it is
/// published. A write of `first` waits for the helper's statement to end (the busy
/// timeout), and the helper's next statement for the write.
///
/// # Errors
/// As [`problems`], and the error of `first`; a panic of the helper's thread is passed on.
pub fn problems_in_parallel(
    conn: &Connection,
    helper: Connection,
    integrity: Integrity,
    first: impl FnOnce(&Connection) -> rusqlite::Result<()>,
) -> rusqlite::Result<Vec<Finding>> {
    let (mut out, readable) = prelude(conn)?;
    let mut results: Vec<Option<rusqlite::Result<Vec<Finding>>>> =
        (0..readable.len()).map(|_| None).collect();
    let results_lock = Mutex::new(&mut results);
    let next = std::sync::atomic::AtomicUsize::new(0);
    // The tables, taken in turn by whichever connection is free.
    let tables = |conn: &Connection| {
        loop {
            let at = next.fetch_add(1, Ordering::Relaxed);
            if at >= readable.len() {
                break;
            }
            let found = Job::Table(at).run(conn, &readable);
            let failed = found.is_err();
            results_lock.lock().unwrap_or_else(PoisonError::into_inner)[at] = Some(found);
            if failed {
                // The other connection stops after its current table too.
                next.store(readable.len(), Ordering::Relaxed);
                break;
            }
        }
    };
    let tables = &tables;
    let mine = std::thread::scope(|scope| {
        let helping = std::thread::Builder::new()
            .name("kontroll".into())
            .spawn_scoped(scope, move || tables(&helper));
        let mine = first(conn).and_then(|()| Job::Integrity(integrity).run(conn, &readable));
        match &mine {
            // Without a thread, this one checks every table alone.
            Ok(_) => tables(conn),
            Err(_) => next.store(readable.len(), Ordering::Relaxed),
        }
        if let Ok(handle) = helping
            && let Err(panic) = handle.join()
        {
            std::panic::resume_unwind(panic);
        }
        mine
    });
    out.extend(mine?);
    // A table not checked: the other connection failed, and its error is returned in its
    // place.
    for found in results.into_iter().flatten() {
        out.extend(found?);
    }
    Ok(out)
}

/// One independent part of the check.
#[derive(Debug, Clone, Copy)]
enum Job {
    Integrity(Integrity),
    /// The rules of the table `readable[i]`.
    Table(usize),
}

impl Job {
    fn run(
        self,
        conn: &Connection,
        readable: &[(&Table, Vec<&Column>)],
    ) -> rusqlite::Result<Vec<Finding>> {
        match self {
            Self::Integrity(integrity) => integrity_problems(conn, integrity),
            Self::Table(index) => table_problems(conn, readable, index),
        }
    }
}

/// The tables that can be read, with the contract columns they have.
type Readable = Vec<(&'static Table, Vec<&'static Column>)>;

/// The findings about the file's shape, and the tables whose rows can be checked.
fn prelude(conn: &Connection) -> rusqlite::Result<(Vec<Finding>, Readable)> {
    let version: i32 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let schema = schema(conn)?;
    let mut out: Vec<Finding> = shape_of(conn, version, &schema)?
        .into_iter()
        .map(Finding::schema)
        .collect();

    // The tables that can be read, with the contract columns they have.
    let mut readable: Readable = Vec::new();
    for (table, (name, object)) in contract().iter().zip(&schema.objects) {
        let Object::Table {
            without_rowid: false,
            strict,
        } = object
        else {
            continue;
        };
        if !strict {
            out.push(Finding::schema(format!(
                "tabellen {name} är inte STRICT (kontraktet: CREATE TABLE … STRICT)"
            )));
        }
        let have = file_columns(conn, name)?;
        let mut present = Vec::new();
        for column in &table.columns {
            let Some((_, true, kind, not_null, pk)) =
                have.iter().find(|c| c.0.eq_ignore_ascii_case(&column.name))
            else {
                continue;
            };
            present.push(column);
            if *kind != column.kind || *not_null != column.not_null || (*pk > 0) != (column.pk > 0)
            {
                let describe = |kind: &str, not_null: bool, pk: bool| {
                    let mut s = kind.to_string();
                    if pk {
                        s.push_str(" PRIMARY KEY");
                    }
                    if not_null {
                        s.push_str(" NOT NULL");
                    }
                    s
                };
                out.push(Finding::schema(format!(
                    "kolumnen {name}.{} är deklarerad {}, kontraktet säger {}",
                    column.name,
                    describe(kind, *not_null, *pk > 0),
                    describe(&column.kind, column.not_null, column.pk > 0)
                )));
            }
        }
        readable.push((table, present));
    }
    Ok((out, readable))
}

/// SQLite's own check of the file, as a finding when it is not `ok`.
fn integrity_problems(conn: &Connection, integrity: Integrity) -> rusqlite::Result<Vec<Finding>> {
    let mut out = Vec::new();
    if integrity == Integrity::Quick {
        // SQLite would evaluate every CHECK per row again (an `IN (…)` list rebuilt for
        // each): the rules below check the same, once a table.
        conn.pragma_update(None, "ignore_check_constraints", true)?;
    }
    let result: rusqlite::Result<Vec<String>> = conn
        .prepare(match integrity {
            Integrity::Full => "PRAGMA integrity_check",
            Integrity::Quick => "PRAGMA quick_check",
        })
        .and_then(|mut st| {
            st.query_map([], |r| r.get::<_, String>(0))?
                .collect::<rusqlite::Result<_>>()
        });
    if integrity == Integrity::Quick {
        conn.pragma_update(None, "ignore_check_constraints", false)?;
    }
    let result = result?;
    if result != ["ok"] {
        out.push(Finding::schema(format!(
            "SQLite:s integritetskontroll ({} fel): {}",
            result.len(),
            result
                .iter()
                .take(LISTED)
                .cloned()
                .collect::<Vec<_>>()
                .join("; ")
        )));
    }

    Ok(out)
}

/// The rows of the table `readable[index]` against the contract's rules.
fn table_problems(
    conn: &Connection,
    readable: &[(&Table, Vec<&Column>)],
    index: usize,
) -> rusqlite::Result<Vec<Finding>> {
    let has = |present: &[&Column], column: &str| present.iter().any(|c| c.name == column);
    let (table, present) = &readable[index];
    let mut out = Vec::new();
    {
        let name = table.name;
        // (what, condition for a bad row, the value shown), in the order they are named.
        let mut checks: Vec<(String, String, String)> = Vec::new();
        // Dates are judged in Rust first (SQLite's date() is slow), by SQL when listed.
        let mut dates: Vec<&str> = Vec::new();
        for column in present {
            let c = &column.name;
            if column.not_null {
                checks.push((
                    format!("{name}.{c}: saknar värde (NOT NULL)"),
                    format!("\"{c}\" IS NULL"),
                    "'NULL'".into(),
                ));
            }
            if DATE_COLUMNS.contains(&(name, c.as_str())) {
                dates.push(c);
                continue;
            }
            // Comparisons, not `typeof(…) NOT IN (…)`: SQLite looks an IN list up in a
            // table of its own for every row, which made these half of a table's check.
            let other_type = match column.kind.as_str() {
                "TEXT" => format!("typeof(\"{c}\") <> 'text'"),
                "INTEGER" => format!("typeof(\"{c}\") <> 'integer'"),
                "REAL" => {
                    format!("typeof(\"{c}\") <> 'real' AND typeof(\"{c}\") <> 'integer'")
                }
                _ => continue,
            };
            checks.push((
                format!("{name}.{c}: fel typ, väntade {}", column.kind),
                format!("\"{c}\" IS NOT NULL AND {other_type}"),
                format!("quote(\"{c}\")"),
            ));
        }
        for rule in RULES.iter().filter(|r| r.table == name) {
            if rule.columns.iter().all(|c| has(present, c)) {
                checks.push((
                    format!("{name}: {}", rule.what),
                    rule.bad.to_string(),
                    rule.shown.to_string(),
                ));
            }
        }
        // References whose column leads an index are looked for once per distinct value
        // (in index order) rather than once per row: the scan below leaves them out.
        let mut by_value: Vec<String> = Vec::new();
        let mut scan = vec![true; checks.len()];
        for r in &table.references {
            let parent_ok = readable
                .iter()
                .any(|(t, p)| t.name == r.parent && has(p, &r.to));
            if !has(present, &r.column) || !parent_ok {
                continue;
            }
            let (c, to, parent) = (&r.column, &r.to, &r.parent);
            let indexed = leads_an_index(conn, name, c)?;
            if indexed {
                by_value.push(format!(
                    "SELECT 1 FROM (SELECT DISTINCT \"{c}\" AS v FROM main.\"{name}\" WHERE \"{c}\" IS NOT NULL) WHERE NOT EXISTS (SELECT 1 FROM main.\"{parent}\" AS p WHERE p.\"{to}\" = v) LIMIT 1"
                ));
            }
            scan.push(!indexed);
            checks.push((
                format!("{name}.{c}: pekar på en rad som saknas i {parent}"),
                // The parent's key is its primary key: one index look-up a row.
                format!(
                    "\"{c}\" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM main.\"{parent}\" AS p WHERE p.\"{to}\" = main.\"{name}\".\"{c}\")"
                ),
                format!("quote(\"{c}\")"),
            ));
        }
        if first_bad_date(conn, name, &dates)?.is_some() {
            for c in &dates {
                rows(
                    conn,
                    &mut out,
                    format!("{name}.{c}: inget giltigt datum ÅÅÅÅ-MM-DD"),
                    name,
                    &format!(
                        "\"{c}\" IS NOT NULL AND (typeof(\"{c}\") <> 'text' OR date(\"{c}\") IS NOT \"{c}\")"
                    ),
                    &format!("quote(\"{c}\")"),
                )?;
            }
        }
        // One scan of the table (and a look at each indexed reference's values) finds
        // whether any row is bad; only then is each kind listed.
        if !checks.is_empty() {
            let any: Vec<String> = checks
                .iter()
                .zip(&scan)
                .filter(|(_, scanned)| **scanned)
                .map(|((_, bad, _), _)| format!("({bad})"))
                .collect();
            let mut found = false;
            if !any.is_empty() {
                found = conn
                    .prepare(&format!(
                        "SELECT rowid FROM main.\"{name}\" WHERE {} LIMIT 1",
                        any.join(" OR ")
                    ))?
                    .exists([])?;
            }
            for sql in &by_value {
                if found {
                    break;
                }
                found = conn.prepare(sql)?.exists([])?;
            }
            if found {
                for (what, bad, shown) in checks {
                    rows(conn, &mut out, what, name, &bad, &shown)?;
                }
            }
        }
        if name == "indicator_values" && has(present, "period") {
            periods(conn, &mut out)?;
        }
    }
    Ok(out)
}

/// Whether an index of `table` has `column` as its first column.
fn leads_an_index(conn: &Connection, table: &str, column: &str) -> rusqlite::Result<bool> {
    conn.prepare(
        "SELECT 1 FROM pragma_index_list(?1) AS l, pragma_index_info(l.name) AS i \
         WHERE i.seqno = 0 AND i.name = ?2",
    )?
    .exists([table, column])
}

/// Adds a finding for the rows of `table` where `bad` holds, if any.
fn rows(
    conn: &Connection,
    out: &mut Vec<Finding>,
    what: String,
    table: &str,
    bad: &str,
    shown: &str,
) -> rusqlite::Result<()> {
    let sql = format!(
        "SELECT rowid, {shown}, count(*) OVER () FROM main.\"{table}\" WHERE {bad} ORDER BY rowid LIMIT {LISTED}"
    );
    let mut count = 0_u64;
    let rows: Vec<(i64, String)> = conn
        .prepare(&sql)?
        .query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, Option<String>>(1)?,
                r.get::<_, i64>(2)?,
            ))
        })?
        .map(|row| {
            row.map(|(id, value, n)| {
                count = u64::try_from(n).unwrap_or(0);
                (id, value.unwrap_or_else(|| "NULL".into()))
            })
        })
        .collect::<rusqlite::Result<_>>()?;
    if !rows.is_empty() {
        out.push(Finding { what, rows, count });
    }
    Ok(())
}

/// The first row whose values bevaka cannot compute with correctly, if any: a date that
/// is not a calendar date `YYYY-MM-DD` (SQL comparisons would silently leave its row out of
/// the figures) or a value outside a CHECK of the contract or bevaka's bounds. One scan per
/// table, stopping at the first: cheap enough for every report (a few hundred ms on a
/// city's snapshot), unlike [`problems`], which lists them all.
///
/// # Errors
/// SQLite errors.
pub fn first_bad_value(conn: &Connection) -> rusqlite::Result<Option<String>> {
    first_bad_value_in(conn, None)
}

/// [`first_bad_value`] among what one reader reads: `reads` names tables (`"goals"`: its
/// date columns and rules) and date columns (`"interventions.start"`: that column, and
/// the table's rules); `None` is everything.
///
/// # Errors
/// SQLite errors.
pub fn first_bad_value_in(
    conn: &Connection,
    reads: Option<&[&str]>,
) -> rusqlite::Result<Option<String>> {
    first_bad_value_within(conn, reads, &[])
}

/// [`first_bad_value_in`] among the rows of each table that meet its condition in
/// `within` (`(table, SQL condition on its columns)`; a table not named is read whole):
/// for a reader that reads only some cases, such as one handläggare's list.
///
/// # Errors
/// SQLite errors.
pub fn first_bad_value_within(
    conn: &Connection,
    reads: Option<&[&str]>,
    within: &[(&str, String)],
) -> rusqlite::Result<Option<String>> {
    let condition = |table: &str| {
        within
            .iter()
            .find(|(t, _)| *t == table)
            .map(|(_, c)| c.as_str())
    };
    let wanted_table = |t: &str| {
        reads.is_none_or(|r| {
            r.iter()
                .any(|e| *e == t || e.split_once('.').is_some_and(|(rt, _)| rt == t))
        })
    };
    let wanted_column = |t: &str, c: &str| {
        reads.is_none_or(|r| {
            r.iter()
                .any(|e| *e == t || e.split_once('.').is_some_and(|(rt, rc)| rt == t && rc == c))
        })
    };
    let mut tables: Vec<&str> = DATE_COLUMNS
        .iter()
        .map(|(t, _)| *t)
        .chain(RULES.iter().map(|r| r.table))
        .chain(contract().iter().map(|t| t.name))
        .collect();
    tables.dedup();
    let mut seen = Vec::new();
    for table in tables {
        if seen.contains(&table) || !wanted_table(table) {
            continue;
        }
        seen.push(table);
        let columns = file_columns(conn, table)?;
        let present: Vec<&str> = columns.iter().map(|c| c.0.as_str()).collect();
        if present.is_empty() {
            continue; // Not in the file (interruptions of version 1).
        }
        let has = |c: &str| present.contains(&c);
        let dates: Vec<&str> = DATE_COLUMNS
            .iter()
            .filter(|(t, c)| *t == table && has(c) && wanted_column(t, c))
            .map(|(_, c)| *c)
            .collect();
        if let Some(found) = first_bad_date_where(conn, table, &dates, condition(table))? {
            return Ok(Some(found));
        }
        // (condition, what, shown value), in the order they are named.
        let mut checks: Vec<(String, String, String)> = Vec::new();
        // A column the contract says NOT NULL, in a table that does not say so itself
        // (one that is not STRICT, or rebuilt): a NULL there would leave its row out of
        // every figure (a case without `opened` is never open) without a word.
        let loose = contract()
            .iter()
            .filter(|t| t.name == table)
            .flat_map(|t| &t.columns)
            .filter(|c| c.not_null && wanted_column(table, &c.name))
            .filter(|c| {
                columns
                    .iter()
                    .any(|f| f.0.eq_ignore_ascii_case(&c.name) && f.1 && !f.3)
            });
        checks.extend(loose.map(|c| {
            (
                format!("(\"{}\" IS NULL)", c.name),
                format!("{} saknar värde (kontraktet: NOT NULL)", c.name),
                "'NULL'".to_string(),
            )
        }));
        checks.extend(
            RULES
                .iter()
                .filter(|r| r.table == table && r.columns.iter().all(|c| has(c)))
                .map(|r| {
                    (
                        format!("({})", r.bad),
                        r.what.to_string(),
                        r.shown.to_string(),
                    )
                }),
        );
        if checks.is_empty() {
            continue;
        }
        let which: String = checks
            .iter()
            .map(|(cond, what, shown)| {
                format!(
                    "WHEN {cond} THEN '{}: ' || {shown}",
                    what.replace('\'', "''")
                )
            })
            .collect::<Vec<_>>()
            .join(" ");
        let any: Vec<&str> = checks.iter().map(|(c, _, _)| c.as_str()).collect();
        let within = condition(table).map_or_else(String::new, |c| format!(" AND ({c})"));
        let sql = format!(
            "SELECT rowid, CASE {which} END FROM main.\"{table}\" WHERE ({}){within} LIMIT 1",
            any.join(" OR ")
        );
        let found: Option<(i64, Option<String>)> = conn
            .prepare(&sql)?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .next()
            .transpose()?;
        if let Some((rowid, what)) = found {
            return Ok(Some(format!(
                "tabellen {table}, rad {rowid}: {}",
                what.unwrap_or_default()
            )));
        }
    }
    Ok(None)
}

/// The first row of `table` with a value in one of the date columns `columns` that is not
/// a calendar date `YYYY-MM-DD` (as SQLite's `date()` would give it back), read and judged
/// here rather than by `date()` in SQL: four times faster on a city's `interventions`.
fn first_bad_date(
    conn: &Connection,
    table: &str,
    columns: &[&str],
) -> rusqlite::Result<Option<String>> {
    first_bad_date_where(conn, table, columns, None)
}

/// [`first_bad_date`] among the rows of `table` that meet `condition`, if given.
fn first_bad_date_where(
    conn: &Connection,
    table: &str,
    columns: &[&str],
    condition: Option<&str>,
) -> rusqlite::Result<Option<String>> {
    use rusqlite::types::ValueRef;
    if columns.is_empty() {
        return Ok(None);
    }
    let list: Vec<String> = columns.iter().map(|c| format!("\"{c}\"")).collect();
    let within = condition.map_or_else(String::new, |c| format!(" WHERE {c}"));
    let mut st = conn.prepare(&format!(
        "SELECT rowid, {} FROM main.\"{table}\"{within}",
        list.join(", ")
    ))?;
    let mut rows = st.query([])?;
    while let Some(r) = rows.next()? {
        for (k, column) in columns.iter().enumerate() {
            let value = r.get_ref(k + 1)?;
            let good = match value {
                ValueRef::Null => true,
                ValueRef::Text(t) => is_calendar_date(t),
                _ => false,
            };
            if !good {
                let rowid: i64 = r.get(0)?;
                return Ok(Some(format!(
                    "tabellen {table}, rad {rowid}: {column} är inget giltigt datum ÅÅÅÅ-MM-DD: {}",
                    quoted(value)
                )));
            }
        }
    }
    Ok(None)
}

/// Whether `b` is `YYYY-MM-DD`, a day of the calendar (years 0000–9999, as SQLite's).
fn is_calendar_date(b: &[u8]) -> bool {
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let number = |range: std::ops::Range<usize>| {
        b[range].iter().try_fold(0_u32, |n, d| {
            d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0'))
        })
    };
    let (Some(year), Some(month), Some(day)) = (number(0..4), number(5..7), number(8..10)) else {
        return false;
    };
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

/// A value as SQLite's `quote()` writes it.
fn quoted(value: rusqlite::types::ValueRef<'_>) -> String {
    use rusqlite::types::ValueRef;
    match value {
        ValueRef::Null => "NULL".into(),
        ValueRef::Integer(n) => n.to_string(),
        ValueRef::Real(r) => r.to_string(),
        ValueRef::Text(t) => format!("'{}'", String::from_utf8_lossy(t).replace('\'', "''")),
        ValueRef::Blob(b) => {
            let hex: String = b.iter().map(|x| format!("{x:02X}")).collect();
            format!("X'{hex}'")
        }
    }
}

/// Published files whose values [`first_bad_value`] found good, remembered per user
/// (`$XDG_CACHE_HOME/bevaka/values-ok`, else `~/.cache/bevaka/values-ok`): a published file
/// never changes in place, so a report on the same file (same device, inode, length and
/// time, same bevaka) need not scan it again. Only good results are kept; a file the
/// cache cannot be read or written for is simply checked each time.
#[derive(Debug, Clone)]
pub struct GoodValues {
    path: std::path::PathBuf,
}

/// The edition of what [`first_bad_value`] looks for, part of what [`GoodValues`]
/// remembers: a file found good by an earlier edition is checked again by one that looks
/// for more (edition 2: NULL in a column the contract says NOT NULL, where the file's own
/// table does not say so; 3: indicator numbers that are not finite).
const VALUE_CHECKS: u32 = 3;

/// How many files the cache remembers (the newest).
const GOOD_KEPT: usize = 32;

impl GoodValues {
    /// The cache of the user whose cache and home directories these are.
    #[must_use]
    pub fn at(xdg_cache_home: Option<&str>, home: Option<&str>) -> Option<Self> {
        let base = match xdg_cache_home.filter(|s| s.starts_with('/')) {
            Some(dir) => std::path::PathBuf::from(dir),
            None => std::path::Path::new(home.filter(|s| s.starts_with('/'))?).join(".cache"),
        };
        Some(Self {
            path: base.join("bevaka").join("values-ok"),
        })
    }

    fn line(identity: &super::FileIdentity) -> String {
        format!(
            "{} {VALUE_CHECKS} {}",
            env!("CARGO_PKG_VERSION"),
            identity.key()
        )
    }

    /// Whether the file with `identity` was found good before.
    #[must_use]
    pub fn knows(&self, identity: &super::FileIdentity) -> bool {
        let line = Self::line(identity);
        std::fs::read_to_string(&self.path).is_ok_and(|s| s.lines().any(|l| l == line))
    }

    /// Remembers that the file with `identity` is good (best effort).
    pub fn remember(&self, identity: &super::FileIdentity) {
        let line = Self::line(identity);
        let old = std::fs::read_to_string(&self.path).unwrap_or_default();
        let mut lines: Vec<&str> = old.lines().filter(|l| *l != line).collect();
        lines.push(&line);
        let keep = lines.len().saturating_sub(GOOD_KEPT);
        let text = lines[keep..].join("\n") + "\n";
        let Some(dir) = self.path.parent() else {
            return;
        };
        if std::fs::create_dir_all(dir).is_err() {
            return;
        }
        // Whole or not at all: written aside, renamed over.
        let tmp = dir.join(format!(".values-ok.{}.tmp", std::process::id()));
        if std::fs::write(&tmp, text).is_ok() && std::fs::rename(&tmp, &self.path).is_ok() {
            return;
        }
        let _ = std::fs::remove_file(&tmp);
    }
}

/// Runs [`first_bad_value`] on a thread of its own, with a connection of its own, for the
/// dashboard: the receiver gets the problem if there is one, worded for the status line
/// (which names the file already); nothing otherwise.
#[must_use]
pub fn check_values_aside(
    path: std::path::PathBuf,
    good: Option<GoodValues>,
) -> std::sync::mpsc::Receiver<String> {
    let (tx, rx) = std::sync::mpsc::channel();
    let sender = tx.clone();
    let spawned = std::thread::Builder::new()
        .name("bevaka-values".into())
        .spawn(move || {
            let found = super::Snapshot::open(&path)
                .map_err(|e| e.to_string())
                .and_then(|s| {
                    let identity = match s.source() {
                        super::Source::File { identity, .. } => Some(*identity),
                        super::Source::Union { .. } | super::Source::EmbeddedDemo => None,
                    };
                    let known = good
                        .as_ref()
                        .zip(identity.as_ref())
                        .is_some_and(|(g, i)| g.knows(i));
                    if known {
                        return Ok(None);
                    }
                    // A scan reads every page once: a small page cache will do, and keeps
                    // the dashboard's memory where it was.
                    let _ = s.conn().pragma_update(None, "cache_size", -256);
                    let found =
                        first_bad_value(s.conn()).map_err(|e| s.read_error(e).to_string())?;
                    if found.is_none()
                        && let (Some(g), Some(i)) = (&good, &identity)
                    {
                        g.remember(i);
                    }
                    Ok(found)
                });
            let problem = match found {
                Ok(None) => return,
                Ok(Some(p)) => format!("Siffrorna kan sakna rader: {p}"),
                Err(e) => e,
            };
            let _ = sender.send(problem);
        });
    if let Err(e) = spawned {
        let _ = tx.send(format!("Kunde inte kontrollera värdena: {e}"));
    }
    rx
}

/// `indicator_values.period` values the indicator rules cannot place (they would drop
/// out of the status without a word).
fn periods(conn: &Connection, out: &mut Vec<Finding>) -> rusqlite::Result<()> {
    let mut finding = Finding {
        what:
            "indicator_values.period: okänd period (väntade 2014, 2014-T1, 2014-Q3 eller 2014-03)"
                .into(),
        rows: Vec::new(),
        count: 0,
    };
    let mut st = conn.prepare("SELECT rowid, period, quote(period) FROM main.indicator_values")?;
    let mut rows = st.query([])?;
    while let Some(r) = rows.next()? {
        let ok = r
            .get::<_, Option<String>>(1)
            .ok()
            .flatten()
            .and_then(|p| crate::domain::indicators::Period::parse(&p))
            .is_some();
        if !ok {
            finding.count += 1;
            if finding.rows.len() < LISTED {
                finding.rows.push((r.get(0)?, r.get(2)?));
            }
        }
    }
    if finding.count > 0 {
        out.push(finding);
    }
    Ok(())
}

/// The findings as `snapshot check` lists them: one line per problem of the schema, and
/// per kind of row problem a line with the count, then a line per listed row.
#[must_use]
pub fn render(findings: &[Finding]) -> String {
    let mut out = String::new();
    for f in findings {
        if f.rows.is_empty() {
            let _ = writeln!(out, "  {}", f.what);
            continue;
        }
        let noun = if f.count == 1 { "rad" } else { "rader" };
        let _ = writeln!(out, "  {} ({} {noun}):", f.what, f.count);
        for (rowid, value) in &f.rows {
            let _ = writeln!(out, "    rad {rowid}: {value}");
        }
        let rest = f.count.saturating_sub(f.rows.len() as u64);
        if rest > 0 {
            let _ = writeln!(out, "    … och {rest} till");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_check_in_parallel_finds_what_the_check_alone_finds() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("s.sqlite");
        let today = chrono::NaiveDate::from_ymd_opt(2014, 12, 31).expect("date");
        crate::snapshot::write_snapshot(&path, &crate::demo::build(today)).expect("write");
        let conn = Connection::open(&path).expect("open");
        conn.execute_batch(
            "PRAGMA ignore_check_constraints = ON; PRAGMA foreign_keys = OFF;
             UPDATE cases SET opened = '2014-02-30' WHERE rowid % 97 = 0;
             UPDATE applications SET outcome = 'kanske' WHERE rowid % 89 = 0;
             UPDATE interventions SET case_id = 'saknas' WHERE rowid % 83 = 0;
             UPDATE followups SET worker_id = 'ingen' WHERE rowid % 7 = 0;
             UPDATE indicator_values SET period = '2014-X' WHERE rowid % 5 = 0;",
        )
        .expect("spoil");
        let alone = problems_with(&conn, Integrity::Quick).expect("alone");
        assert!(alone.len() >= 5, "{alone:?}");
        let helper = Connection::open(&path).expect("helper");
        let mut ran = false;
        let shared = problems_in_parallel(&conn, helper, Integrity::Quick, |_| {
            ran = true;
            Ok(())
        })
        .expect("in parallel");
        assert!(ran);
        assert_eq!(shared, alone);
        let helper = Connection::open(&path).expect("helper");
        let failed = problems_in_parallel(&conn, helper, Integrity::Quick, |c| {
            c.execute_batch("SELECT * FROM no_such_table")
        });
        assert!(failed.is_err());
    }

    #[test]
    fn calendar_dates_as_sqlite_date_gives_them_back() {
        let conn = Connection::open_in_memory().expect("db");
        for text in [
            "2014-02-28",
            "2014-02-29",
            "2016-02-29",
            "1900-02-29",
            "2000-02-29",
            "2014-13-01",
            "2014-00-10",
            "2014-04-31",
            "2014-12-31",
            "2014-12-00",
            "20140101",
            "",
            "2014-1-1",
            "2014-01-0a",
            "0000-01-01",
            "9999-12-31",
            "9999-99-99",
            " 2014-01-01",
            "2014/01/01",
        ] {
            let sqlite: Option<String> = conn
                .query_row("SELECT date(?1)", [text], |r| r.get(0))
                .expect("date()");
            assert_eq!(
                is_calendar_date(text.as_bytes()),
                sqlite.as_deref() == Some(text),
                "{text:?}"
            );
        }
    }

    #[test]
    fn the_contract_is_read_from_the_schema() {
        let tables = contract();
        assert_eq!(tables.len(), crate::model::TABLES.len());
        for t in tables {
            assert!(!t.columns.is_empty(), "{}", t.name);
        }
        let cases = tables.iter().find(|t| t.name == "cases").expect("cases");
        let opened = cases
            .columns
            .iter()
            .find(|c| c.name == "opened")
            .expect("opened");
        assert!(opened.not_null);
        assert_eq!(opened.kind, "TEXT");
        assert!(
            cases
                .references
                .iter()
                .any(|r| r.column == "unit_id" && r.parent == "units")
        );
    }

    #[test]
    fn every_check_of_the_schema_has_a_rule() {
        // Each CHECK of db/schema.sql is a rule here (the bounds are rules of their own:
        // target_days' CHECK is inside its bound; year and the finite numbers have none).
        let checks = SCHEMA_SQL.matches("CHECK (").count();
        let from_schema = RULES.iter().filter(|r| r.check).count();
        assert_eq!(checks, from_schema, "a CHECK of the schema without a rule");
    }

    #[test]
    fn every_date_column_is_a_text_column_of_the_contract() {
        for (table, column) in DATE_COLUMNS {
            let t = contract().iter().find(|t| t.name == table).expect(table);
            let c = t.columns.iter().find(|c| c.name == column).expect(column);
            assert_eq!(c.kind, "TEXT", "{table}.{column}");
        }
    }

    #[test]
    fn a_built_snapshot_has_no_problems() {
        let mut conn = Connection::open_in_memory().expect("memory");
        let data = crate::demo::build(chrono::NaiveDate::from_ymd_opt(2014, 12, 31).expect("date"));
        crate::snapshot::write::fill(&mut conn, &data).expect("fill");
        assert_eq!(problems(&conn).expect("check"), Vec::<Finding>::new());
        assert_eq!(shape(&conn, 2).expect("shape"), Vec::<String>::new());
    }
}
