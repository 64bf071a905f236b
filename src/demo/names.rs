//! Invented names for the demo: handläggare and the initials in client labels.
//!
//! Handläggare get a plain first name and surname combined at random from common Swedish
//! names, so that no combination is meant to be anyone. Clients get only initials and a
//! birth year, as DOMAIN.md asks of `client_label`: no personnummer, no names.

use super::rng::Rng;

const FIRST: &[&str] = &[
    "Anna", "Maria", "Karin", "Sara", "Lena", "Emma", "Elin", "Johanna", "Eva", "Malin", "Sofia",
    "Linda", "Helena", "Camilla", "Jenny", "Frida", "Ida", "Hanna", "Petra", "Annika", "Louise",
    "Therese", "Ulrika", "Åsa", "Jonas", "Erik", "Johan", "Anders", "Mikael", "Fredrik", "Daniel",
    "Magnus", "Peter", "Niklas", "Henrik", "Mattias", "Oskar", "Björn",
];

const LAST: &[&str] = &[
    "Lindqvist",
    "Bergström",
    "Holm",
    "Sandberg",
    "Nyström",
    "Åberg",
    "Ekström",
    "Lundgren",
    "Forsberg",
    "Hedlund",
    "Sjöberg",
    "Wallin",
    "Engström",
    "Dahl",
    "Björk",
    "Falk",
    "Strand",
    "Lindholm",
    "Hellström",
    "Blom",
    "Nordin",
    "Sundberg",
    "Öberg",
    "Lindblad",
    "Söderlund",
    "Ahlström",
    "Berglund",
    "Kvist",
    "Mårtensson",
    "Hägg",
];

/// Letters that begin Swedish given names and surnames often enough to look ordinary.
const INITIALS: &[char] = &[
    'A', 'A', 'B', 'C', 'D', 'E', 'E', 'F', 'G', 'H', 'H', 'I', 'J', 'J', 'K', 'K', 'L', 'L', 'M',
    'M', 'N', 'O', 'P', 'R', 'S', 'S', 'T', 'U', 'V', 'W', 'Y', 'Å', 'Ö',
];

/// `count` distinct handläggare names.
pub(crate) fn worker_names(count: usize, rng: &mut Rng) -> Vec<String> {
    let mut names: Vec<String> = Vec::with_capacity(count);
    let mut used_first: Vec<&str> = Vec::new();
    while names.len() < count {
        let (Some(&first), Some(&last)) = (rng.pick(FIRST), rng.pick(LAST)) else {
            break;
        };
        // Distinct first names while they last, so the screens are easy to read.
        if used_first.contains(&first) && used_first.len() < FIRST.len() {
            continue;
        }
        let name = format!("{first} {last}");
        if !names.contains(&name) {
            used_first.push(first);
            names.push(name);
        }
    }
    names
}

/// A client label: initials and birth year, e.g. `K.L. 1987`.
pub(crate) fn client_label(birth_year: i32, rng: &mut Rng) -> String {
    let first = rng.pick(INITIALS).copied().unwrap_or('A');
    let last = rng.pick(INITIALS).copied().unwrap_or('A');
    format!("{first}.{last}. {birth_year}")
}

/// The login a handläggare's account would get from their name: the first two letters of
/// the first name and of the surname, lowercase ASCII (`Åsa Öberg` → `asob`), as many
/// municipalities' IT departments make them. Collisions are the caller's to number.
pub(crate) fn login_base(name: &str) -> String {
    let mut words = name.split_whitespace();
    let first = words.next().unwrap_or_default();
    let last = words.last().unwrap_or_default();
    let mut out = String::with_capacity(4);
    for word in [first, last] {
        out.extend(word.chars().filter_map(fold_ascii).take(2));
    }
    out
}

/// A letter of a name as it can stand in a login: lowercase ASCII, with å, ä, ö, é and
/// their kin folded to the bare letter; `None` for anything else (hyphens, apostrophes).
fn fold_ascii(c: char) -> Option<char> {
    let folded = match c.to_lowercase().next().unwrap_or(c) {
        'å' | 'ä' | 'á' | 'à' | 'â' => 'a',
        'ö' | 'ø' | 'ó' | 'ò' | 'ô' => 'o',
        'é' | 'è' | 'ê' | 'ë' => 'e',
        'ü' | 'ú' | 'ù' => 'u',
        'í' | 'ì' | 'ï' => 'i',
        other => other,
    };
    folded.is_ascii_alphanumeric().then_some(folded)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logins_fold_swedish_letters() {
        assert_eq!(login_base("Anna Berg"), "anbe");
        assert_eq!(login_base("Åsa Öberg"), "asob");
        assert_eq!(login_base("Björn Mårtensson"), "bjma");
        assert_eq!(login_base("René Hägg"), "reha");
        assert_eq!(login_base("Eva-Lena Ek"), "evek");
    }
}
