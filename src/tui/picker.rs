//! The unit and team picker (`u`, `t`): a pop-up list of "all" and every choice, narrowed
//! by what is typed. It owns its state and its keys; the app only opens it and applies
//! what it answers ([`Outcome`]). While it is open every key goes to it, so typing a name
//! never reaches the keymap (no "r" reloading, no "e" exporting).

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::app::ListCursor;
use super::keymap::Action;
use crate::text::to_ascii;

/// What the picker chooses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Unit,
    Team,
}

impl Kind {
    /// The pop-up's title.
    #[must_use]
    pub fn title(self) -> &'static str {
        match self {
            Kind::Unit => "Välj enhet",
            Kind::Team => "Välj arbetsgrupp",
        }
    }

    /// The first row, which clears the choice.
    #[must_use]
    pub fn all(self) -> &'static str {
        match self {
            Kind::Unit => "Alla enheter",
            Kind::Team => "Alla arbetsgrupper",
        }
    }
}

/// One row: what choosing it sets (`None`: all), and what it shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub value: Option<String>,
    pub name: String,
    /// Shown beside the name, and matched as it is: a unit's id.
    pub id: Option<String>,
    /// `name` and `id` in lower case, as typed text is matched against them.
    key: String,
    /// `key` in ASCII, for a query typed without å, ä, ö.
    ascii_key: String,
}

impl Item {
    fn new(value: Option<String>, name: String, id: Option<String>) -> Self {
        let key = match &id {
            Some(id) => format!("{name}\n{id}").to_lowercase(),
            None => name.to_lowercase(),
        };
        let ascii_key = to_ascii(&key).into_owned();
        Self {
            value,
            name,
            id,
            key,
            ascii_key,
        }
    }

    /// Whether the lower-cased `query` is part of the name or the id; a query without
    /// Swedish letters also matches their ASCII forms ("goteborg" finds "Göteborg").
    fn matches(&self, query: &str) -> bool {
        query.is_empty()
            || self.key.contains(query)
            || (query.is_ascii() && self.ascii_key.contains(query))
    }
}

/// What a key did to the picker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Enter on a row: the value to set (`None`: all). The picker is done.
    Chosen(Option<String>),
    /// Esc: nothing changes. The picker is done.
    Closed,
    /// Ctrl-C: the dashboard quits.
    Quit,
    /// The query or the selection changed.
    Redraw,
    /// The key did nothing.
    Ignored,
}

/// Longest query kept (in chars).
const MAX_QUERY: usize = 40;

/// An open picker.
#[derive(Debug)]
pub struct Picker {
    pub kind: Kind,
    items: Vec<Item>,
    pub query: String,
    /// Indexes into `items` of the rows the query leaves, in order.
    visible: Vec<usize>,
    /// Selection among `visible`.
    pub cursor: ListCursor,
}

impl Picker {
    /// The unit picker: all units, then each `(id, name)`, with `current` selected.
    #[must_use]
    pub fn units<'a>(
        units: impl IntoIterator<Item = (&'a str, &'a str)>,
        current: Option<&str>,
    ) -> Self {
        let items = units
            .into_iter()
            .map(|(id, name)| Item::new(Some(id.to_string()), name.to_string(), Some(id.into())));
        Self::new(Kind::Unit, items, current)
    }

    /// The team picker: all teams, then each team, with `current` selected.
    #[must_use]
    pub fn teams<'a>(teams: impl IntoIterator<Item = &'a str>, current: Option<&str>) -> Self {
        let items = teams
            .into_iter()
            .map(|t| Item::new(Some(t.to_string()), t.to_string(), None));
        Self::new(Kind::Team, items, current)
    }

    fn new(kind: Kind, items: impl Iterator<Item = Item>, current: Option<&str>) -> Self {
        let items: Vec<Item> = std::iter::once(Item::new(None, kind.all().into(), None))
            .chain(items)
            .collect();
        let selected = items
            .iter()
            .position(|i| i.value.as_deref() == current)
            .unwrap_or(0);
        let cursor = ListCursor {
            selected,
            ..ListCursor::default()
        };
        Self {
            kind,
            visible: (0..items.len()).collect(),
            items,
            query: String::new(),
            cursor,
        }
    }

    /// The rows the query leaves, in order.
    pub fn visible(&self) -> impl ExactSizeIterator<Item = &Item> {
        self.visible.iter().map(|&i| &self.items[i])
    }

    /// Every row, the query aside.
    #[must_use]
    pub fn items(&self) -> &[Item] {
        &self.items
    }

    /// The selected row, if the query leaves any.
    #[must_use]
    pub fn selected(&self) -> Option<&Item> {
        self.visible
            .get(self.cursor.selected)
            .map(|&i| &self.items[i])
    }

    /// Narrows the rows to the query; the selected row stays selected while it is left,
    /// else the first row is.
    fn narrow(&mut self) {
        let was = self.visible.get(self.cursor.selected).copied();
        let query = self.query.to_lowercase();
        self.visible = (0..self.items.len())
            .filter(|&i| self.items[i].matches(&query))
            .collect();
        self.cursor.selected = was
            .and_then(|w| self.visible.iter().position(|&i| i == w))
            .unwrap_or(0);
        self.cursor.offset.set(0);
    }

    /// Handles one key: typing narrows, the arrows (and PgUp/PgDn, Home/End) move, Enter
    /// chooses, Esc closes, Backspace edits, Ctrl-C quits. Every other key is ignored
    /// here, never passed on.
    pub fn handle_key(&mut self, key: KeyEvent) -> Outcome {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let movement = match key.code {
            KeyCode::Char('c') if ctrl => return Outcome::Quit,
            KeyCode::Esc => return Outcome::Closed,
            KeyCode::Enter => {
                return match self.selected() {
                    Some(item) => Outcome::Chosen(item.value.clone()),
                    None => Outcome::Ignored,
                };
            }
            KeyCode::Backspace => {
                if self.query.pop().is_none() {
                    return Outcome::Ignored;
                }
                self.narrow();
                return Outcome::Redraw;
            }
            KeyCode::Up => Action::Up,
            KeyCode::Char('p') if ctrl => Action::Up,
            KeyCode::Down => Action::Down,
            KeyCode::Char('n') if ctrl => Action::Down,
            KeyCode::PageUp => Action::PageUp,
            KeyCode::PageDown => Action::PageDown,
            KeyCode::Home => Action::Top,
            KeyCode::End => Action::Bottom,
            KeyCode::Char(c)
                if !ctrl && !c.is_control() && self.query.chars().count() < MAX_QUERY =>
            {
                self.query.push(c);
                self.narrow();
                return Outcome::Redraw;
            }
            _ => return Outcome::Ignored,
        };
        if self.cursor.apply(movement, self.visible.len()) {
            Outcome::Redraw
        } else {
            Outcome::Ignored
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    fn typed(p: &mut Picker, text: &str) {
        for c in text.chars() {
            assert_eq!(p.handle_key(key(KeyCode::Char(c))), Outcome::Redraw, "{c}");
        }
    }

    fn names(p: &Picker) -> Vec<&str> {
        p.visible().map(|i| i.name.as_str()).collect()
    }

    fn units() -> Picker {
        Picker::units(
            [
                ("SDN01", "Rinkeby-Kista"),
                ("SDN02", "Spånga-Tensta"),
                ("SDN03", "Hässelby-Vällingby"),
                ("SDN04", "Bromma"),
                ("SDN10", "Södermalm"),
            ],
            None,
        )
    }

    #[test]
    fn typing_narrows_by_name_or_id_ignoring_case() {
        let mut p = units();
        assert_eq!(names(&p).len(), 6);
        assert_eq!(names(&p)[0], "Alla enheter");
        typed(&mut p, "BROM");
        assert_eq!(names(&p), ["Bromma"]);
        p.handle_key(key(KeyCode::Backspace));
        p.handle_key(key(KeyCode::Backspace));
        p.handle_key(key(KeyCode::Backspace));
        assert_eq!(names(&p), ["Rinkeby-Kista", "Hässelby-Vällingby", "Bromma"]);
        p.handle_key(key(KeyCode::Backspace));
        assert_eq!(names(&p).len(), 6, "an empty query shows every row");
        typed(&mut p, "sdn1");
        assert_eq!(names(&p), ["Södermalm"], "matched on the id");
    }

    #[test]
    fn swedish_letters_match_in_any_case_and_in_ascii() {
        let mut p = units();
        typed(&mut p, "SÖDER");
        assert_eq!(names(&p), ["Södermalm"]);
        let mut p = units();
        typed(&mut p, "hässelby");
        assert_eq!(names(&p), ["Hässelby-Vällingby"]);
        let mut p = units();
        typed(&mut p, "spanga");
        assert_eq!(names(&p), ["Spånga-Tensta"], "ASCII finds å");
        let mut p = units();
        typed(&mut p, "zzz");
        assert!(names(&p).is_empty());
        assert_eq!(p.handle_key(key(KeyCode::Enter)), Outcome::Ignored);
    }

    #[test]
    fn enter_chooses_the_selected_row_and_esc_nothing() {
        let mut p = units();
        typed(&mut p, "a");
        // "Alla enheter" stays first and selected; down to the first unit with an a.
        assert_eq!(p.selected().map(|i| i.value.clone()), Some(None));
        assert_eq!(p.handle_key(key(KeyCode::Down)), Outcome::Redraw);
        assert_eq!(
            p.handle_key(key(KeyCode::Enter)),
            Outcome::Chosen(Some("SDN01".into()))
        );
        assert_eq!(p.handle_key(key(KeyCode::End)), Outcome::Redraw);
        assert_eq!(p.handle_key(key(KeyCode::Down)), Outcome::Ignored);
        assert_eq!(
            p.handle_key(key(KeyCode::Enter)),
            Outcome::Chosen(Some("SDN10".into()))
        );
        assert_eq!(p.handle_key(key(KeyCode::Home)), Outcome::Redraw);
        assert_eq!(p.handle_key(key(KeyCode::Enter)), Outcome::Chosen(None));
        assert_eq!(p.handle_key(key(KeyCode::Esc)), Outcome::Closed);
        let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(p.handle_key(ctrl_c), Outcome::Quit);
        assert_eq!(p.handle_key(key(KeyCode::F(5))), Outcome::Ignored);
    }

    #[test]
    fn the_current_choice_is_selected_and_stays_so_while_it_matches() {
        let mut p = Picker::teams(["Barn", "Vuxna", "Äldre"], Some("Vuxna"));
        assert_eq!(p.kind, Kind::Team);
        assert_eq!(names(&p)[0], "Alla arbetsgrupper");
        assert_eq!(p.selected().map(|i| i.name.as_str()), Some("Vuxna"));
        typed(&mut p, "x");
        assert_eq!(names(&p), ["Vuxna"]);
        assert_eq!(p.selected().map(|i| i.name.as_str()), Some("Vuxna"));
        let mut p = Picker::teams(["Barn", "Vuxna"], Some("Vuxna"));
        typed(&mut p, "r");
        assert_eq!(names(&p), ["Alla arbetsgrupper", "Barn"]);
        assert_eq!(
            p.cursor.selected, 0,
            "the first row when the choice is gone"
        );
        let p = Picker::units([("A", "Enhet A")], Some("gone"));
        assert_eq!(p.cursor.selected, 0);
    }

    #[test]
    fn keys_of_the_keymap_are_text_here() {
        let mut p = units();
        // q, r, e, j, k, ? would quit, reload, export, move, help elsewhere.
        typed(&mut p, "qrejk?");
        assert_eq!(p.query, "qrejk?");
        assert!(names(&p).is_empty());
    }
}
