//! The keymap: one table that both handles the keys and generates the help overlay and
//! the status line hints, so they can never disagree.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::app::View;

/// What a key asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Quit,
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    FocusLeft,
    FocusRight,
    NextView,
    PrevView,
    View(usize),
    Open,
    Search,
    Filters,
    Sort,
    Mine,
    Export,
    PickUnit,
    PickTeam,
    ClearFilter,
    Reload,
    Help,
    Back,
    /// The review: the next kind of period (kvartal, tertial, halvår, år).
    PeriodKind,
    /// The review: handläggningstid or verkställighetstid.
    Measure,
    /// The review: group the period's breakdown by insats, handläggare or kön.
    GroupBy,
    /// The review and the caseload: split by kön or not.
    SplitSex,
    /// Ärenden: the chart of the selected insats over the months in place of the
    /// handläggare list; the review: the periods' chart in place of their table; and back.
    Chart,
    /// Ärenden: the chart of the open cases, or back to the selection's.
    ChartOpen,
    /// Ärenden: move the table's dates (a date typed in a pop-up).
    Date,
    /// The review: open the IVO report.
    Ivo,
    /// The IVO report: the quarter before.
    PrevQuarter,
    /// The IVO report: the quarter after.
    NextQuarter,
    /// The selected case's reference to the clipboard (OSC 52).
    Copy,
}

/// One row of the keymap.
pub struct Binding {
    pub keys: &'static [(KeyCode, KeyModifiers)],
    /// How the keys are written in the help.
    pub label: &'static str,
    pub action: Action,
    /// What it does, in Swedish.
    pub help: &'static str,
    /// Short hint for the status line, when the binding is worth one there.
    pub hint: Option<&'static str>,
    /// The views where the key does something ([`EVERYWHERE`]: all of them). The help and
    /// the status line show a key only there, and the key is ignored elsewhere.
    pub only: &'static [View],
}

/// [`Binding::only`] for keys that work in every view.
pub const EVERYWHERE: &[View] = &[];

const NONE: KeyModifiers = KeyModifiers::NONE;
const SHIFT: KeyModifiers = KeyModifiers::SHIFT;
const CTRL: KeyModifiers = KeyModifiers::CONTROL;

/// Every binding, in the order the help shows them.
pub const KEYMAP: &[Binding] = &[
    Binding {
        keys: &[(KeyCode::Up, NONE), (KeyCode::Char('k'), NONE)],
        label: "↑ k",
        action: Action::Up,
        help: "föregående rad",
        hint: None,
        only: EVERYWHERE,
    },
    Binding {
        keys: &[(KeyCode::Down, NONE), (KeyCode::Char('j'), NONE)],
        label: "↓ j",
        action: Action::Down,
        help: "nästa rad",
        hint: None,
        only: EVERYWHERE,
    },
    Binding {
        keys: &[(KeyCode::PageUp, NONE), (KeyCode::Char('b'), CTRL)],
        label: "PgUp",
        action: Action::PageUp,
        help: "en sida upp",
        hint: None,
        only: EVERYWHERE,
    },
    Binding {
        keys: &[(KeyCode::PageDown, NONE), (KeyCode::Char('f'), CTRL)],
        label: "PgDn",
        action: Action::PageDown,
        help: "en sida ned",
        hint: None,
        only: EVERYWHERE,
    },
    Binding {
        keys: &[(KeyCode::Home, NONE), (KeyCode::Char('g'), NONE)],
        label: "Home g",
        action: Action::Top,
        help: "första raden",
        hint: None,
        only: EVERYWHERE,
    },
    Binding {
        keys: &[
            (KeyCode::End, NONE),
            (KeyCode::Char('G'), NONE),
            (KeyCode::Char('G'), SHIFT),
        ],
        label: "End G",
        action: Action::Bottom,
        help: "sista raden",
        hint: None,
        only: EVERYWHERE,
    },
    Binding {
        keys: &[(KeyCode::Left, NONE), (KeyCode::Char('h'), NONE)],
        label: "← h",
        action: Action::FocusLeft,
        help: "föregående ruta eller datum",
        hint: None,
        only: &[View::Caseload, View::Processing, View::Goals],
    },
    Binding {
        keys: &[(KeyCode::Right, NONE), (KeyCode::Char('l'), NONE)],
        label: "→ l",
        action: Action::FocusRight,
        help: "nästa ruta eller datum",
        hint: None,
        only: &[View::Caseload, View::Processing, View::Goals],
    },
    Binding {
        keys: &[(KeyCode::Tab, NONE)],
        label: "Tab",
        action: Action::NextView,
        help: "nästa vy",
        hint: Some("vy"),
        only: EVERYWHERE,
    },
    Binding {
        keys: &[(KeyCode::BackTab, NONE), (KeyCode::BackTab, SHIFT)],
        label: "S-Tab",
        action: Action::PrevView,
        help: "föregående vy",
        hint: None,
        only: EVERYWHERE,
    },
    Binding {
        keys: &[(KeyCode::Char('1'), NONE)],
        label: "1",
        action: Action::View(0),
        help: "vyn Bevakningar",
        hint: None,
        only: EVERYWHERE,
    },
    Binding {
        keys: &[(KeyCode::Char('2'), NONE)],
        label: "2",
        action: Action::View(1),
        help: "vyn Per handläggare",
        hint: None,
        only: EVERYWHERE,
    },
    Binding {
        keys: &[(KeyCode::Char('3'), NONE)],
        label: "3",
        action: Action::View(2),
        help: "vyn Ärenden",
        hint: None,
        only: EVERYWHERE,
    },
    Binding {
        keys: &[(KeyCode::Char('4'), NONE)],
        label: "4",
        action: Action::View(3),
        help: "vyn Handläggningstid",
        hint: None,
        only: EVERYWHERE,
    },
    Binding {
        keys: &[(KeyCode::Char('5'), NONE)],
        label: "5",
        action: Action::View(4),
        help: "vyn Mål och indikatorer",
        hint: None,
        only: EVERYWHERE,
    },
    Binding {
        keys: &[(KeyCode::Enter, NONE)],
        label: "Enter",
        action: Action::Open,
        help: "öppna detalj, ärenden, kort",
        hint: Some("öppna"),
        only: &[
            View::Deadlines,
            View::Summary,
            View::Caseload,
            View::Processing,
            View::Goals,
            View::Ivo,
            View::Cases,
        ],
    },
    Binding {
        keys: &[(KeyCode::Char('/'), NONE), (KeyCode::Char('/'), SHIFT)],
        label: "/",
        action: Action::Search,
        help: "sök i listan",
        hint: Some("sök"),
        only: &[
            View::Deadlines,
            View::Summary,
            View::Caseload,
            View::Processing,
            View::Goals,
            View::Ivo,
            View::Cases,
        ],
    },
    Binding {
        keys: &[(KeyCode::Char('f'), NONE)],
        label: "f",
        action: Action::Filters,
        help: "filter: typ, status, m.m.",
        hint: Some("filter"),
        only: &[View::Deadlines, View::Processing, View::Goals],
    },
    Binding {
        keys: &[(KeyCode::Char('s'), NONE)],
        label: "s",
        action: Action::Sort,
        help: "sortera: nästa kolumn, omvänt",
        hint: None,
        only: &[
            View::Deadlines,
            View::Summary,
            View::Caseload,
            View::Processing,
            View::Goals,
            View::Ivo,
            View::Cases,
        ],
    },
    Binding {
        keys: &[(KeyCode::Char('m'), NONE)],
        label: "m",
        action: Action::Mine,
        help: "bara mina / allas",
        hint: None,
        only: &[View::Deadlines, View::Processing],
    },
    Binding {
        keys: &[(KeyCode::Char('u'), NONE)],
        label: "u",
        action: Action::PickUnit,
        help: "välj enhet",
        hint: Some("enhet"),
        only: EVERYWHERE,
    },
    Binding {
        keys: &[(KeyCode::Char('t'), NONE)],
        label: "t",
        action: Action::PickTeam,
        help: "välj arbetsgrupp",
        hint: Some("grupp"),
        only: EVERYWHERE,
    },
    Binding {
        keys: &[(KeyCode::Char('y'), NONE)],
        label: "y",
        action: Action::Copy,
        help: "kopiera det valda ärendets referens (genom terminalen, OSC 52: även över SSH)",
        hint: None,
        only: &[View::Deadlines, View::Ivo, View::Cases, View::Card],
    },
    Binding {
        keys: &[(KeyCode::Char('x'), NONE)],
        label: "x",
        action: Action::ClearFilter,
        help: "rensa alla filter",
        hint: None,
        only: EVERYWHERE,
    },
    Binding {
        keys: &[(KeyCode::Char('p'), NONE)],
        label: "p",
        action: Action::PeriodKind,
        help: "kvartal/tertial/halvår/år",
        hint: Some("period"),
        only: &[View::Processing],
    },
    Binding {
        keys: &[(KeyCode::Char('v'), NONE)],
        label: "v",
        action: Action::Measure,
        help: "handläggnings-/verkställighetstid",
        hint: Some("mått"),
        only: &[View::Processing],
    },
    Binding {
        keys: &[(KeyCode::Char('b'), NONE)],
        label: "b",
        action: Action::GroupBy,
        help: "bryt ned per insats/handläggare/kön",
        hint: None,
        only: &[View::Processing],
    },
    Binding {
        keys: &[(KeyCode::Char('c'), NONE)],
        label: "c",
        action: Action::SplitSex,
        help: "dela upp per kön (K, M, okänt)",
        hint: Some("kön"),
        only: &[View::Processing, View::Caseload],
    },
    Binding {
        keys: &[(KeyCode::Char('o'), NONE)],
        label: "o",
        action: Action::Chart,
        help: "visa/dölj diagrammet",
        // Named in the title of the pane the chart replaces.
        hint: None,
        only: &[View::Caseload, View::Processing],
    },
    Binding {
        keys: &[(KeyCode::Char('a'), NONE)],
        label: "a",
        action: Action::ChartOpen,
        help: "diagram över öppna ärenden",
        // Named in the chart's title.
        hint: None,
        only: &[View::Caseload],
    },
    Binding {
        keys: &[(KeyCode::Char('d'), NONE)],
        label: "d",
        action: Action::Date,
        help: "tabellens datum (ÅÅÅÅ-MM-DD)",
        hint: None,
        only: &[View::Caseload],
    },
    Binding {
        keys: &[(KeyCode::Char('i'), NONE)],
        label: "i",
        action: Action::Ivo,
        help: "IVO-rapporten för kvartalet",
        hint: Some("IVO"),
        only: &[View::Processing],
    },
    Binding {
        keys: &[(KeyCode::Char('['), NONE)],
        label: "[",
        action: Action::PrevQuarter,
        help: "föregående kvartal",
        hint: None,
        only: &[View::Ivo],
    },
    Binding {
        keys: &[(KeyCode::Char(']'), NONE)],
        label: "]",
        action: Action::NextQuarter,
        help: "nästa kvartal",
        hint: None,
        only: &[View::Ivo],
    },
    Binding {
        keys: &[(KeyCode::Char('e'), NONE)],
        label: "e",
        action: Action::Export,
        help: "exportera vyn (CSV/Excel)",
        hint: None,
        only: EVERYWHERE,
    },
    Binding {
        keys: &[(KeyCode::Char('r'), NONE), (KeyCode::F(5), NONE)],
        label: "r",
        action: Action::Reload,
        help: "läs om ögonblicksbilden",
        hint: None,
        only: EVERYWHERE,
    },
    Binding {
        keys: &[
            (KeyCode::Char('?'), NONE),
            (KeyCode::Char('?'), SHIFT),
            (KeyCode::F(1), NONE),
        ],
        label: "?",
        action: Action::Help,
        help: "visa/dölj hjälp",
        hint: Some("hjälp"),
        only: EVERYWHERE,
    },
    Binding {
        keys: &[(KeyCode::Esc, NONE)],
        label: "Esc",
        action: Action::Back,
        help: "tillbaka dit du kom / stäng",
        hint: None,
        only: EVERYWHERE,
    },
    Binding {
        keys: &[(KeyCode::Char('q'), NONE), (KeyCode::Char('c'), CTRL)],
        label: "q",
        action: Action::Quit,
        help: "avsluta",
        hint: Some("avsluta"),
        only: EVERYWHERE,
    },
];

/// The keys that work in a drill-down drawn over a view (the case list, the case card)
/// without naming it: moving, help, back and quit. Everything else there must name it in
/// [`Binding::only`], so that the view beneath takes no key while it is covered.
const IN_DRILL: &[Action] = &[
    Action::Up,
    Action::Down,
    Action::PageUp,
    Action::PageDown,
    Action::Top,
    Action::Bottom,
    Action::Help,
    Action::Back,
    Action::Quit,
];

impl Binding {
    /// Whether the key does something in `view`.
    #[must_use]
    pub fn works_in(&self, view: View) -> bool {
        if view.is_drill() {
            return self.only.contains(&view) || IN_DRILL.contains(&self.action);
        }
        self.only.is_empty() || self.only.contains(&view)
    }
}

/// The bindings that work in `view`, in the order the help shows them.
pub fn bindings_in(view: View) -> impl Iterator<Item = &'static Binding> {
    KEYMAP.iter().filter(move |b| b.works_in(view))
}

/// Whether `action` does something in `view` (actions without a binding always may).
#[must_use]
pub fn works_in(action: Action, view: View) -> bool {
    KEYMAP
        .iter()
        .find(|b| b.action == action)
        .is_none_or(|b| b.works_in(view))
}

/// The action bound to `key`, if any.
#[must_use]
pub fn action_for(key: KeyEvent) -> Option<Action> {
    // Terminals disagree on whether Shift accompanies an upper-case letter or a `?`.
    let mods = key.modifiers & (KeyModifiers::SHIFT | KeyModifiers::CONTROL | KeyModifiers::ALT);
    KEYMAP
        .iter()
        .find(|b| {
            b.keys
                .iter()
                .any(|&(code, m)| code == key.code && m == mods)
        })
        .map(|b| b.action)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_key_is_bound_twice() {
        let mut seen = Vec::new();
        for b in KEYMAP {
            for k in b.keys {
                assert!(!seen.contains(k), "{k:?} bound twice");
                seen.push(*k);
            }
        }
    }

    #[test]
    fn keys_map_to_actions() {
        let k = |c, m| action_for(KeyEvent::new(c, m));
        assert_eq!(k(KeyCode::Char('j'), NONE), Some(Action::Down));
        assert_eq!(k(KeyCode::Char('G'), SHIFT), Some(Action::Bottom));
        assert_eq!(k(KeyCode::Char('c'), CTRL), Some(Action::Quit));
        assert_eq!(k(KeyCode::Char('?'), SHIFT), Some(Action::Help));
        assert_eq!(k(KeyCode::Char('z'), NONE), None);
        assert_eq!(k(KeyCode::Char('c'), NONE), Some(Action::SplitSex));
        assert_eq!(k(KeyCode::Char(']'), NONE), Some(Action::NextQuarter));
    }

    #[test]
    fn view_keys_work_only_in_their_views() {
        assert!(works_in(Action::PeriodKind, View::Processing));
        assert!(!works_in(Action::PeriodKind, View::Caseload));
        assert!(works_in(Action::SplitSex, View::Caseload));
        assert!(!works_in(Action::SplitSex, View::Deadlines));
        assert!(!works_in(Action::Ivo, View::Ivo));
        assert!(works_in(Action::PrevQuarter, View::Ivo));
        assert!(!works_in(Action::NextQuarter, View::Processing));
        assert!(works_in(Action::Export, View::Ivo));
        assert!(works_in(Action::Quit, View::Goals));
        let ivo: Vec<&str> = bindings_in(View::Ivo).map(|b| b.label).collect();
        assert!(ivo.contains(&"[") && !ivo.contains(&"p"), "{ivo:?}");
        // Over a drill-down, the view beneath takes no key: no tabs, filters or export.
        for drill in [View::Cases, View::Card] {
            assert!(works_in(Action::Back, drill));
            assert!(works_in(Action::PageDown, drill));
            assert!(!works_in(Action::NextView, drill));
            assert!(!works_in(Action::PickUnit, drill));
            assert!(!works_in(Action::Export, drill));
        }
        assert!(works_in(Action::Open, View::Cases));
        assert!(!works_in(Action::Open, View::Card));
        assert!(works_in(Action::Open, View::Caseload));
    }
}
