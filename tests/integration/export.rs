//! `e` in the dashboard (issue 18): the view on screen written as `export_format` says, or
//! as chosen in a small choice when it is not set; the workbook holds the screen's figures.

use std::io::Cursor;
use std::path::Path;
use std::time::{Duration, SystemTime};

use bevaka::config::{Config, ExportFormat};
use bevaka::snapshot::queries::Filter;
use bevaka::tui::app::{App, View};
use bevaka::tui::keymap::Action;
use bevaka::tui::theme::Theme;
use calamine::{Data, Range, Reader, Xlsx, open_workbook_from_rs};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use crate::caseload::memory_snapshot;

const PLAIN: Theme = Theme {
    color: false,
    ascii: false,
};

/// The demo dashboard on `view`, exporting into `dir` as `format` says.
fn demo(view: usize, dir: &Path, format: Option<ExportFormat>) -> App {
    let today = bevaka::domain::dates::parse_iso("2014-12-31").expect("date");
    let data = bevaka::demo::build(today);
    let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_420_000_000);
    let config = Config {
        export_format: format,
        ..Config::default()
    };
    let mut app = App::new(
        memory_snapshot(&data),
        config,
        Filter::default(),
        today,
        now,
        PLAIN,
    )
    .expect("app");
    app.handle(Action::View(view)).expect("view");
    app.export_dir = dir.to_path_buf();
    app.export_fallback = None;
    app
}

fn screen(app: &App, width: u16, height: u16) -> String {
    let mut t = Terminal::new(TestBackend::new(width, height)).expect("terminal");
    t.draw(|f| f.render_widget(app, f.area())).expect("draw");
    t.backend().to_string()
}

fn key(app: &mut App, code: KeyCode) -> bool {
    app.handle_key(KeyEvent::new(code, KeyModifiers::NONE))
        .expect("key")
}

fn files(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

fn workbook(path: &Path) -> Xlsx<Cursor<Vec<u8>>> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path).expect("stat").permissions().mode();
    assert_eq!(mode & 0o777, 0o600, "private: {}", path.display());
    let bytes = std::fs::read(path).expect("read");
    open_workbook_from_rs(Cursor::new(bytes)).expect("an xlsx calamine reads")
}

fn sheet(wb: &mut Xlsx<Cursor<Vec<u8>>>, name: &str) -> Range<Data> {
    wb.worksheet_range(name)
        .unwrap_or_else(|e| panic!("sheet {name}: {e}"))
}

fn text(c: &Data) -> String {
    match c {
        Data::String(s) => s.clone(),
        Data::Empty => String::new(),
        other => panic!("not text: {other:?}"),
    }
}

#[allow(clippy::cast_possible_truncation)]
fn int(c: &Data) -> i64 {
    match c {
        Data::Float(f) => *f as i64,
        Data::Int(i) => *i,
        other => panic!("not a number: {other:?}"),
    }
}

/// The screen's line holding `needle`, its cells split at runs of spaces.
fn screen_row<'a>(s: &'a str, needle: &str) -> &'a str {
    s.lines()
        .find(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("{needle:?} not on screen\n{s}"))
}

#[test]
fn e_with_export_format_xlsx_writes_the_caseload_as_on_screen() {
    let dir = tempfile::tempdir().expect("dir");
    let mut app = demo(2, dir.path(), Some(ExportFormat::Xlsx));
    assert_eq!(app.view, View::Caseload);
    let s = screen(&app, 120, 40);
    assert!(key(&mut app, KeyCode::Char('e')));
    assert!(app.export_choice.is_none(), "configured: no choice");
    let path = dir.path().join("bevaka-arenden-2014-12-31.xlsx");
    let msg = app.message.clone().expect("said");
    assert!(!msg.warning, "{msg:?}");
    assert_eq!(msg.text, format!("Exporterade till {}", path.display()));
    let mut wb = workbook(&path);
    // Every insats row: its name and its three counts are the screen's row.
    let table = sheet(&mut wb, "Per insats");
    let mut checked = 0;
    for row in table.rows().skip(1) {
        let name = text(&row[2]);
        let counts: Vec<i64> = row[3..6].iter().map(int).collect();
        let wanted = format!(
            " {name} {}",
            counts
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(" ")
        );
        // The screen's row, its runs of spaces made one.
        let line = screen_row(&s, &format!(" {name} "));
        let cells: Vec<&str> = line
            .split('│')
            .nth(1)
            .expect("left pane")
            .split_whitespace()
            .collect();
        let shown = format!(" {}", cells.join(" "));
        assert!(
            shown.starts_with(&wanted) || area_twin(&s, &name),
            "{wanted:?} vs {shown:?}"
        );
        checked += 1;
    }
    assert_eq!(checked, app.caseload.insats_shown().len());
    // The handläggare and the total as the screen has them.
    let workers = sheet(&mut wb, "Per handläggare");
    let first = workers.rows().nth(1).expect("a handläggare");
    let line = screen_row(&s, &text(&first[0]));
    assert!(
        line.trim_end_matches(['"', '│'])
            .trim_end()
            .ends_with(&int(&first[3]).to_string()),
        "{line}"
    );
    let total = workers
        .rows()
        .find(|r| text(&r[0]) == "Öppna ärenden totalt")
        .expect("total");
    assert!(
        s.contains(&format!("({} öppna ärenden 2014-12-31)", int(&total[3]))),
        "{s}"
    );

    // Again the same day: a new file, never over the first.
    key(&mut app, KeyCode::Char('e'));
    assert_eq!(
        files(dir.path()),
        [
            "bevaka-arenden-2014-12-31-2.xlsx",
            "bevaka-arenden-2014-12-31.xlsx"
        ]
    );
}

/// Whether the insats name is on more than one line of the screen (Boendestöd is in two
/// areas): its row is then checked by the counts on another of them.
fn area_twin(s: &str, name: &str) -> bool {
    s.lines()
        .filter(|l| l.contains(&format!(" {name} ")))
        .count()
        > 1
}

#[test]
fn e_with_xlsx_writes_the_deadlines_and_per_handlaggare_as_on_screen() {
    let dir = tempfile::tempdir().expect("dir");
    let mut app = demo(0, dir.path(), Some(ExportFormat::Xlsx));
    let s = screen(&app, 200, 30);
    key(&mut app, KeyCode::Char('e'));
    let mut wb = workbook(&dir.path().join("bevaka-bevakningar-2014-12-31.xlsx"));
    let r = sheet(&mut wb, "Bevakningar");
    assert_eq!(r.rows().count() - 1, app.deadlines.shown().count());
    let first = r.rows().nth(1).expect("an item");
    // Status, kind, case, insats and handläggare by name: the screen's first row.
    let line = screen_row(&s, &text(&first[4]));
    for cell in [&first[0], &first[3], &first[4], &first[6], &first[7]] {
        assert!(line.contains(&text(cell)), "{cell:?} not in {line}");
    }

    // Per handläggare: a workbook of its own with the screen's rows and total.
    key(&mut app, KeyCode::Char('2'));
    assert_eq!(app.view, View::Summary);
    let s = screen(&app, 120, 40);
    key(&mut app, KeyCode::Char('e'));
    let mut wb = workbook(&dir.path().join("bevaka-per-handlaggare-2014-12-31.xlsx"));
    let r = sheet(&mut wb, "Per handläggare");
    let shown = app.deadlines.summary_shown().len();
    assert_eq!(r.rows().count(), 1 + shown + 1, "heads, rows, total");
    let first = r.rows().nth(1).expect("a row");
    let line = screen_row(&s, &text(&first[0]));
    let cells: Vec<i64> = line
        .split_whitespace()
        .filter_map(|c| c.trim_matches(['│', '"']).parse().ok())
        .collect();
    let figures: Vec<i64> = first[3..7].iter().map(int).collect();
    assert!(cells.ends_with(&figures), "{figures:?} vs {line}");
    let total = r.rows().next_back().expect("total");
    assert_eq!(text(&total[0]), "Summa");
    assert!(s.contains(&format!("{} försenade", int(&total[3]))), "{s}");
}

#[test]
fn without_export_format_e_asks_and_esc_writes_nothing() {
    let dir = tempfile::tempdir().expect("dir");
    let mut app = demo(2, dir.path(), None);
    assert!(key(&mut app, KeyCode::Char('e')));
    assert!(app.export_choice.is_some());
    let s = screen(&app, 80, 24);
    assert!(s.contains("CSV-fil (för Excel)"), "{s}");
    assert!(s.contains("Excel-arbetsbok (xlsx)"), "{s}");
    assert!(s.contains("↑↓ välj · Enter exportera · Esc avbryt"), "{s}");
    assert!(s.contains("Esc avbryt"), "{s}");
    // The footer's keys do not work while it is open, so they are not shown.
    assert!(!s.contains("q avsluta"), "{s}");
    // Keys it does not show do nothing: no reload, no help, no other view, no export.
    for c in ['r', '?', '1', 'e', 'x', 'j'] {
        assert!(!key(&mut app, KeyCode::Char(c)), "{c}");
    }
    assert!(!app.help);
    assert_eq!(app.view, View::Caseload);
    assert!(app.export_choice.is_some());
    assert!(files(dir.path()).is_empty());
    // Esc: closed, nothing written, nothing said.
    assert!(key(&mut app, KeyCode::Esc));
    assert!(app.export_choice.is_none());
    assert!(app.message.is_none());
    assert!(files(dir.path()).is_empty());
    let s = screen(&app, 80, 24);
    assert!(!s.contains("CSV-fil") && s.contains("q avsluta"), "{s}");

    // ↓ Enter: Excel; ↑ Enter another time: CSV.
    key(&mut app, KeyCode::Char('e'));
    assert!(key(&mut app, KeyCode::Down));
    assert!(key(&mut app, KeyCode::Enter));
    assert!(app.export_choice.is_none());
    key(&mut app, KeyCode::Char('e'));
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Up);
    key(&mut app, KeyCode::Enter);
    assert_eq!(
        files(dir.path()),
        [
            "bevaka-arenden-2014-12-31.csv",
            "bevaka-arenden-2014-12-31.xlsx"
        ]
    );
    let msg = app.message.clone().expect("said");
    assert!(msg.text.ends_with(".csv"), "{msg:?}");
}

#[test]
fn e_is_in_the_help_where_it_works_and_nowhere_else() {
    let dir = tempfile::tempdir().expect("dir");
    let mut app = demo(2, dir.path(), Some(ExportFormat::Xlsx));
    key(&mut app, KeyCode::Char('?'));
    let s = screen(&app, 160, 60);
    assert!(s.contains("exportera vyn (CSV/Excel)"), "{s}");
    key(&mut app, KeyCode::Esc);
    // Over a drill-down e does nothing, and the help does not list it.
    app.handle(Action::Open).expect("open");
    assert_eq!(app.key_context(), View::Cases);
    assert!(!key(&mut app, KeyCode::Char('e')));
    assert!(files(dir.path()).is_empty());
    key(&mut app, KeyCode::Char('?'));
    let s = screen(&app, 160, 60);
    assert!(s.contains("Tangenter"), "{s}");
    assert!(!s.contains("exportera"), "{s}");
}

#[test]
fn the_review_ivo_and_goals_export_the_reports_workbooks() {
    let dir = tempfile::tempdir().expect("dir");
    let mut app = demo(3, dir.path(), Some(ExportFormat::Xlsx));
    assert_eq!(app.view, View::Processing);
    key(&mut app, KeyCode::Char('e'));
    let mut wb = workbook(&dir.path().join("bevaka-handlaggningstid-2014-12-31.xlsx"));
    let r = sheet(&mut wb, "Handläggningstid");
    assert_eq!(r.rows().count() - 1, app.processing.data.periods.len());
    let r = sheet(&mut wb, "Ej verkställda");
    assert_eq!(
        r.rows().count() - 1,
        app.processing.not_executed.order.len()
    );
    app.handle(Action::Ivo).expect("ivo");
    assert_eq!(app.view, View::Ivo);
    key(&mut app, KeyCode::Char('e'));
    let mut wb = workbook(&dir.path().join("bevaka-ivo-rapport-2014-12-31.xlsx"));
    let r = sheet(&mut wb, "Till IVO");
    assert_eq!(r.rows().count() - 1, app.ivo.shown().len());
    key(&mut app, KeyCode::Esc);
    app.handle(Action::View(4)).expect("goals");
    assert_eq!(app.view, View::Goals);
    key(&mut app, KeyCode::Char('e'));
    let mut wb = workbook(
        &dir.path()
            .join("bevaka-mal-och-indikatorer-2014-12-31.xlsx"),
    );
    let r = sheet(&mut wb, "Indikatorer");
    let shown = app.goals.shown_indicators();
    let indicators = app.goals.data.indicators.len();
    assert_eq!(
        r.rows().count() - 1,
        shown.iter().filter(|&&i| i < indicators).count()
    );
}
