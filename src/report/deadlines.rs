//! `bevaka report deadlines`: the bevakningslista as text, CSV or JSON — every open item,
//! all statuses, sorted by due date. The JSON layout is a stable interface (README).

use std::fmt::Write as _;
use std::io::{BufWriter, Write};

use serde::{Serialize, Serializer};

use super::{Output, csv_field, csv_writer};
use crate::cli::Format;
use crate::domain::deadlines::{Deadlines, Item, relative};
use crate::text::{clean, pad_left, pad_right, padded, to_ascii, width};

#[derive(Serialize)]
struct Json<'a> {
    today: IsoDate,
    worker_id: Option<&'a str>,
    items: JsonItems<'a>,
}

/// The items, serialized one at a time as they are written.
struct JsonItems<'a> {
    deadlines: &'a Deadlines,
    items: Listed<'a>,
}

/// The items a report lists: the whole list in its order, or some of its items (one
/// handläggare's). A city's whole list is not copied into a list of references (7 MB at
/// six cities).
#[derive(Debug, Clone, Copy)]
pub enum Listed<'a> {
    All(&'a Deadlines),
    /// The items at these places of the list (as [`Deadlines::places_where`] gives them).
    These(&'a Deadlines, &'a [usize]),
}

impl<'a> Listed<'a> {
    #[must_use]
    pub fn len(self) -> usize {
        match self {
            Listed::All(d) => d.len(),
            Listed::These(_, places) => places.len(),
        }
    }

    #[must_use]
    pub fn is_empty(self) -> bool {
        self.len() == 0
    }

    /// The items' case ids, in order (without making the items).
    #[must_use]
    pub fn case_ids(self) -> Box<dyn Iterator<Item = &'a str> + 'a> {
        match self {
            Listed::All(d) => Box::new((0..d.len()).map(|p| d.case_id_at(p))),
            Listed::These(d, places) => Box::new(places.iter().map(|&p| d.case_id_at(p))),
        }
    }

    /// The items, in order.
    #[must_use]
    pub fn iter(self) -> Box<dyn Iterator<Item = Item> + 'a> {
        match self {
            Listed::All(d) => Box::new(d.items()),
            Listed::These(d, places) => Box::new(places.iter().map(|&p| d.item(p))),
        }
    }
}

impl Serialize for JsonItems<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.items.iter().map(|i| JsonOne(i, self.deadlines)))
    }
}

/// One item, serialized as a [`JsonItem`].
struct JsonOne<'a>(Item, &'a Deadlines);

impl Serialize for JsonOne<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let i = &self.0;
        JsonItem {
            kind: i.kind.as_str(),
            case_id: &i.case_id,
            worker_id: i.worker_id.as_deref(),
            due: IsoDate(i.due),
            days_left: i.days_left,
            status: i.status.as_str(),
            source_id: &i.source_id,
            insats_code: i.insats_code.as_deref(),
            followup_kind: i.followup.as_deref().map(|(k, _)| &**k),
            basis: IsoDate(i.basis),
            client_label: client_label(self.1, i),
        }
        .serialize(serializer)
    }
}

#[derive(Serialize)]
struct JsonItem<'a> {
    kind: &'static str,
    case_id: &'a str,
    worker_id: Option<&'a str>,
    due: IsoDate,
    days_left: i64,
    status: &'static str,
    source_id: &'a str,
    insats_code: Option<&'a str>,
    followup_kind: Option<&'a str>,
    basis: IsoDate,
    client_label: Option<&'a str>,
}

/// A date as `YYYY-MM-DD`, formatted where it is written.
struct IsoDate(chrono::NaiveDate);

impl std::fmt::Display for IsoDate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use chrono::Datelike;
        let d = self.0;
        if (0..=9999).contains(&d.year()) {
            write!(f, "{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
        } else {
            write!(f, "{}", d.format("%Y-%m-%d"))
        }
    }
}

impl Serialize for IsoDate {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

fn client_label<'a>(d: &'a Deadlines, i: &Item) -> Option<&'a str> {
    d.case_of(i).and_then(|c| c.client_label)
}

/// Writes the deadlines report of `items` (already filtered to the worker, if any), item by
/// item: a city's list is tens of megabytes of text, never held whole.
///
/// # Errors
/// I/O and CSV errors.
pub fn write(
    out: &mut dyn Write,
    deadlines: &Deadlines,
    items: Listed<'_>,
    today: chrono::NaiveDate,
    worker: Option<&str>,
    options: Output,
) -> color_eyre::Result<()> {
    let mut out = BufWriter::with_capacity(64 * 1024, out);
    match options.format {
        Format::Json => {
            let json = Json {
                today: IsoDate(today),
                worker_id: worker,
                items: JsonItems { deadlines, items },
            };
            serde_json::to_writer_pretty(&mut out, &json)?;
            writeln!(out)?;
        }
        Format::Csv => {
            let flavour = options.csv;
            let mut w = csv_writer(&mut out, flavour)?;
            w.write_record([
                "status",
                "förfallodag",
                "dagar_kvar",
                "typ",
                "ärende",
                "klient",
                "insats",
                "handläggare",
                "handläggare_id",
            ])?;
            let mut scratch = String::new();
            for i in items.iter() {
                w.write_field(i.status.label())?;
                scratch.clear();
                write!(scratch, "{}", IsoDate(i.due))?;
                w.write_field(&scratch)?;
                scratch.clear();
                write!(scratch, "{}", i.days_left)?;
                w.write_field(&scratch)?;
                w.write_field(i.kind.label())?;
                w.write_field(csv_field(&i.case_id, flavour).as_bytes())?;
                w.write_field(
                    csv_field(client_label(deadlines, &i).unwrap_or(""), flavour).as_bytes(),
                )?;
                w.write_field(csv_field(insats_name(deadlines, &i), flavour).as_bytes())?;
                let name = i
                    .worker_id
                    .as_deref()
                    .and_then(|w| deadlines.workers.get(w))
                    .map_or("", |(n, _)| n.as_str());
                w.write_field(csv_field(name, flavour).as_bytes())?;
                w.write_field(csv_field(i.worker_id.as_deref().unwrap_or(""), flavour).as_bytes())?;
                w.write_record(None::<&[u8]>)?;
            }
            w.flush()?;
        }
        Format::Xlsx => return Err(super::xlsx::elsewhere()),
        Format::Text => text(&mut out, deadlines, items, today, worker, options.ascii)?,
    }
    out.flush()?;
    Ok(())
}

/// The insats, or for a bevakning its own kind.
pub(crate) fn insats_name<'a>(d: &'a Deadlines, i: &'a Item) -> &'a str {
    if let Some((kind, _)) = i.followup.as_deref() {
        return kind;
    }
    i.insats_code
        .as_deref()
        .map(|c| d.insats_names.get(c).map_or(c, String::as_str))
        .unwrap_or("")
}

/// Writes `line`, in ASCII if asked (the transliteration is per character, so line by
/// line gives what the whole text would).
fn put(out: &mut dyn Write, line: &str, ascii: bool) -> std::io::Result<()> {
    if ascii {
        out.write_all(to_ascii(line).as_bytes())
    } else {
        out.write_all(line.as_bytes())
    }
}

fn text(
    out: &mut dyn Write,
    d: &Deadlines,
    items: Listed<'_>,
    today: chrono::NaiveDate,
    worker: Option<&str>,
    ascii: bool,
) -> color_eyre::Result<()> {
    let mut s = format!("Bevakningslista {}", IsoDate(today));
    if let Some(w) = worker {
        let name = d.workers.get(w).map_or(w, |(n, _)| n.as_str());
        write!(s, ", {}", clean(name))?;
    }
    write!(s, " ({} öppna)\n\n", items.len())?;
    let case_w = items
        .case_ids()
        .map(|id| width(&clean(id)))
        .max()
        .unwrap_or(6)
        .clamp(6, 20);
    writeln!(
        s,
        "{}  {}  {}  {}  {}  {}  Insats",
        pad_right("Status", 11),
        pad_right("Förfaller", 10),
        pad_left("Dagar", 6),
        pad_right("Typ", 16),
        pad_right("Ärende", case_w),
        pad_right("Klient", 12),
    )?;
    put(out, &s, ascii)?;
    // The footer's figures, counted as the items are written (made once each).
    let mut overdue = 0;
    let mut nearest = None;
    for i in items.iter() {
        if i.days_left < 0 {
            overdue += 1;
        } else if nearest.is_none() {
            nearest = Some(i.days_left);
        }
        let label = client_label(d, &i).unwrap_or("");
        s.clear();
        writeln!(
            s,
            "{}  {}  {}  {}  {}  {}  {}",
            padded(i.status.label(), 11, false),
            IsoDate(i.due),
            format_args!("{:>6}", i.days_left),
            padded(i.kind.label(), 16, false),
            padded(&clean(&i.case_id), case_w, false),
            padded(&clean(label), 12, false),
            clean(insats_name(d, &i))
        )?;
        put(out, &s, ascii)?;
    }
    s.clear();
    if items.is_empty() {
        s.push_str("Inga öppna bevakningar.\n");
    } else {
        writeln!(
            s,
            "\n{overdue} försenade; närmast: {}",
            nearest.map_or_else(|| "–".to_string(), relative)
        )?;
    }
    put(out, &s, ascii)?;
    Ok(())
}
