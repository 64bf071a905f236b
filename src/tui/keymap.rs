//! The keymap: one table that both handles the keys and generates the help overlay and
//! the status line hints, so they can never disagree.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

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
    NextUnit,
    NextTeam,
    ClearFilter,
    Reload,
    Help,
    Back,
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
}

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
    },
    Binding {
        keys: &[(KeyCode::Down, NONE), (KeyCode::Char('j'), NONE)],
        label: "↓ j",
        action: Action::Down,
        help: "nästa rad",
        hint: None,
    },
    Binding {
        keys: &[(KeyCode::PageUp, NONE), (KeyCode::Char('b'), CTRL)],
        label: "PgUp",
        action: Action::PageUp,
        help: "en sida upp",
        hint: None,
    },
    Binding {
        keys: &[(KeyCode::PageDown, NONE), (KeyCode::Char('f'), CTRL)],
        label: "PgDn",
        action: Action::PageDown,
        help: "en sida ned",
        hint: None,
    },
    Binding {
        keys: &[(KeyCode::Home, NONE), (KeyCode::Char('g'), NONE)],
        label: "Home g",
        action: Action::Top,
        help: "första raden",
        hint: None,
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
    },
    Binding {
        keys: &[(KeyCode::Left, NONE), (KeyCode::Char('h'), NONE)],
        label: "← h",
        action: Action::FocusLeft,
        help: "föregående ruta",
        hint: None,
    },
    Binding {
        keys: &[(KeyCode::Right, NONE), (KeyCode::Char('l'), NONE)],
        label: "→ l",
        action: Action::FocusRight,
        help: "nästa ruta",
        hint: None,
    },
    Binding {
        keys: &[(KeyCode::Tab, NONE)],
        label: "Tab",
        action: Action::NextView,
        help: "nästa vy",
        hint: Some("vy"),
    },
    Binding {
        keys: &[(KeyCode::BackTab, NONE), (KeyCode::BackTab, SHIFT)],
        label: "S-Tab",
        action: Action::PrevView,
        help: "föregående vy",
        hint: None,
    },
    Binding {
        keys: &[(KeyCode::Char('1'), NONE)],
        label: "1",
        action: Action::View(0),
        help: "vyn Bevakningar",
        hint: None,
    },
    Binding {
        keys: &[(KeyCode::Char('2'), NONE)],
        label: "2",
        action: Action::View(1),
        help: "vyn Per handläggare",
        hint: None,
    },
    Binding {
        keys: &[(KeyCode::Char('3'), NONE)],
        label: "3",
        action: Action::View(2),
        help: "vyn Ärenden",
        hint: None,
    },
    Binding {
        keys: &[(KeyCode::Char('4'), NONE)],
        label: "4",
        action: Action::View(3),
        help: "vyn Handläggningstid",
        hint: None,
    },
    Binding {
        keys: &[(KeyCode::Char('5'), NONE)],
        label: "5",
        action: Action::View(4),
        help: "vyn Mål och indikatorer",
        hint: None,
    },
    Binding {
        keys: &[(KeyCode::Enter, NONE)],
        label: "Enter",
        action: Action::Open,
        help: "öppna detalj, lista eller gren",
        hint: Some("detalj"),
    },
    Binding {
        keys: &[(KeyCode::Char('/'), NONE), (KeyCode::Char('/'), SHIFT)],
        label: "/",
        action: Action::Search,
        help: "sök ärende, klient eller mål",
        hint: Some("sök"),
    },
    Binding {
        keys: &[(KeyCode::Char('f'), NONE)],
        label: "f",
        action: Action::Filters,
        help: "filter: typ, status, m.m.",
        hint: Some("filter"),
    },
    Binding {
        keys: &[(KeyCode::Char('s'), NONE)],
        label: "s",
        action: Action::Sort,
        help: "sortera om efter nästa kolumn",
        hint: None,
    },
    Binding {
        keys: &[(KeyCode::Char('m'), NONE)],
        label: "m",
        action: Action::Mine,
        help: "mina / allas bevakningar",
        hint: None,
    },
    Binding {
        keys: &[(KeyCode::Char('u'), NONE)],
        label: "u",
        action: Action::NextUnit,
        help: "nästa enhet (eller alla)",
        hint: Some("enhet"),
    },
    Binding {
        keys: &[(KeyCode::Char('t'), NONE)],
        label: "t",
        action: Action::NextTeam,
        help: "nästa arbetsgrupp",
        hint: Some("grupp"),
    },
    Binding {
        keys: &[(KeyCode::Char('x'), NONE)],
        label: "x",
        action: Action::ClearFilter,
        help: "rensa filter",
        hint: None,
    },
    Binding {
        keys: &[(KeyCode::Char('e'), NONE)],
        label: "e",
        action: Action::Export,
        help: "exportera vyn till CSV-fil",
        hint: None,
    },
    Binding {
        keys: &[(KeyCode::Char('r'), NONE), (KeyCode::F(5), NONE)],
        label: "r",
        action: Action::Reload,
        help: "läs om ögonblicksbilden",
        hint: None,
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
    },
    Binding {
        keys: &[(KeyCode::Esc, NONE)],
        label: "Esc",
        action: Action::Back,
        help: "tillbaka / stäng",
        hint: None,
    },
    Binding {
        keys: &[(KeyCode::Char('q'), NONE), (KeyCode::Char('c'), CTRL)],
        label: "q",
        action: Action::Quit,
        help: "avsluta",
        hint: Some("avsluta"),
    },
];

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
    }
}
