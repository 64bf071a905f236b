//! Issue 7: long lists draw only the rows on screen. The bevakningslista of a city has a
//! hundred thousand items; a frame builds the twenty that fit, scrolled exactly as a whole
//! table would scroll.

use std::time::SystemTime;

use bevaka::config::Config;
use bevaka::domain::dates::parse_iso;
use bevaka::snapshot::queries::Filter;
use bevaka::tui::app::App;
use bevaka::tui::deadline_list::Horizon;
use bevaka::tui::keymap::Action;
use bevaka::tui::theme::Theme;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::style::Modifier;

use crate::caseload::memory_snapshot;

/// The case references in the list's rows, top to bottom, and the row drawn selected.
fn rows_on_screen(t: &Terminal<TestBackend>) -> (Vec<String>, Option<usize>) {
    let buf = t.backend().buffer();
    let area = buf.area;
    let mut refs = Vec::new();
    let mut selected = None;
    // Rows 3.. are the table's body (tabs, filter line, border, header above it).
    for y in 4..area.height.saturating_sub(2) {
        let line: String = (0..area.width)
            .map(|x| buf[(x, y)].symbol().to_string())
            .collect();
        let Some(r) = line.split_whitespace().find(|w| {
            w.len() > 8 && w.starts_with(|c: char| c.is_ascii_uppercase()) && w.contains('-')
        }) else {
            continue;
        };
        if buf[(2, y)].modifier.contains(Modifier::REVERSED) {
            selected = Some(refs.len());
        }
        refs.push(r.to_string());
    }
    (refs, selected)
}

#[test]
fn long_list_draws_a_window_that_scrolls_like_a_table() {
    let today = parse_iso("2014-12-31").expect("date");
    let snap = memory_snapshot(&bevaka::demo::build(today));
    let theme = Theme {
        color: false,
        ascii: false,
    };
    let mut app = App::new(
        snap,
        Config::default(),
        Filter::default(),
        today,
        SystemTime::UNIX_EPOCH,
        theme,
    )
    .expect("app");
    app.deadlines.horizon = Horizon::All;
    app.deadlines.refilter();
    let len = app.deadlines.visible.len();
    assert!(len > 1000, "a long list: {len}");
    let mut t = Terminal::new(TestBackend::new(80, 24)).expect("terminal");
    let height = 24 - 2 - 1 - 3; // tabs and filter, status line, borders and header
    let mut offset = 0_usize;
    // Down a little, page down past the screen, to the end, back up one at a time past
    // the top of the window, and to the top.
    let moves = [Action::Down; 5]
        .into_iter()
        .chain([Action::PageDown; 3])
        .chain([Action::Bottom])
        .chain([Action::Up; 25])
        .chain([Action::PageUp, Action::Top, Action::Down]);
    for action in moves {
        app.handle(action).expect("move");
        t.draw(|f| f.render_widget(&app, f.area())).expect("draw");
        let sel = app.deadlines.cursor.selected;
        // The least scrolling that keeps the selection in view.
        if sel >= offset + height {
            offset = sel + 1 - height;
        }
        if sel < offset {
            offset = sel;
        }
        let (refs, highlighted) = rows_on_screen(&t);
        let expected: Vec<String> = app.deadlines.visible[offset..(offset + height).min(len)]
            .iter()
            .map(|&ix| app.deadlines.data.item(ix).case_id.to_string())
            .collect();
        assert_eq!(refs, expected, "{action:?} at {sel}");
        assert_eq!(highlighted, Some(sel - offset), "{action:?}");
    }
}
