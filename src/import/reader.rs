//! From a directory of files to CSV rows: finding each table's file, checking that it is
//! UTF-8 text (with or without BOM), detecting `,` or `;` from the header row, matching the
//! header against the table's columns, and handing each data row to a builder with its
//! physical line number.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

use csv::StringRecord;

use super::error::{Collector, ImportError};
use super::fields::Row;
use super::tables::TableSpec;

/// Where a table's file is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Located {
    File(PathBuf),
    /// An optional file that is not there: the table is empty.
    Absent,
    /// Missing although required, or not to be found (reported).
    Unusable,
}

/// Finds each table's file in `dir`: `units.csv`, or failing that one whose name differs
/// only in case (`Units.CSV`, as Windows tools write it). Other files are ignored.
pub fn locate(dir: &Path, specs: &[TableSpec], errors: &mut Collector) -> Vec<Located> {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            let message = format!("kan inte läsa katalogen: {e}");
            errors.push(ImportError::new(dir.display().to_string(), message));
            return vec![Located::Unusable; specs.len()];
        }
    };
    let mut by_lowercase: HashMap<String, Vec<String>> = HashMap::new();
    for entry in entries.flatten() {
        if let Ok(name) = entry.file_name().into_string() {
            by_lowercase
                .entry(name.to_lowercase())
                .or_default()
                .push(name);
        }
    }
    specs
        .iter()
        .map(|spec| {
            let wanted = spec.file_name();
            let mut names = by_lowercase.get(&wanted).cloned().unwrap_or_default();
            names.sort();
            if names.contains(&wanted) {
                return Located::File(dir.join(wanted));
            }
            match names.as_slice() {
                [] if spec.required => {
                    errors.push(ImportError::new(wanted, "saknas"));
                    Located::Unusable
                }
                [] => Located::Absent,
                [only] => Located::File(dir.join(only)),
                several => {
                    let message = format!("flera filer kan avses: {}", several.join(", "));
                    errors.push(ImportError::new(wanted, message));
                    Located::Unusable
                }
            }
        })
        .collect()
}

/// The columns of one file: which record position holds which of the table's columns.
#[derive(Debug, Default)]
pub struct Header {
    /// The table's column names and their positions in the record.
    columns: Vec<(&'static str, usize)>,
    /// Positions whose header is empty (a trailing separator): ignored while empty.
    unnamed: Vec<usize>,
    width: usize,
}

impl Header {
    /// The record position of `column`, when the file has it.
    #[must_use]
    pub fn index(&self, column: &str) -> Option<usize> {
        self.columns
            .iter()
            .find(|(name, _)| *name == column)
            .map(|&(_, index)| index)
    }
}

/// Reads one table's file and calls `on_row` for every non-blank data row.
///
/// Problems with the file or its rows go to `errors`. Returns the header when the file
/// could be read at all, `None` when it is not usable (unreadable, not UTF-8 text, empty).
pub fn read_table(
    path: &Path,
    spec: &TableSpec,
    errors: &mut Collector,
    mut on_row: impl FnMut(&mut Row<'_>),
) -> Option<Header> {
    let name = path
        .file_name()
        .map_or_else(|| spec.file_name(), |n| n.to_string_lossy().into_owned());
    let bytes = match fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) => {
            errors.push(ImportError::new(name, format!("kan inte läsa filen: {e}")));
            return None;
        }
    };
    let text = decode(bytes, &name, errors)?;
    let lines = LineIndex::new(&text);
    let empty = "filen är tom (rubrikraden saknas)";
    let Some((index, first_line)) = text.lines().enumerate().find(|(_, l)| !l.trim().is_empty())
    else {
        errors.push(ImportError::new(name, empty));
        return None;
    };
    let Some(delimiter) = detect_delimiter(first_line, spec) else {
        errors.push(
            ImportError::new(
                name,
                "kan inte avgöra om avgränsaren är , eller ; i rubrikraden",
            )
            .at_line(u64::try_from(index).map_or(u64::MAX, |i| i + 1)),
        );
        return None;
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut header: Option<Header> = None;
    let mut record = StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let line = e.position().map_or(1, |p| lines.record_line(p.byte()));
                errors.push(
                    ImportError::new(name.as_str(), format!("filen kan inte läsas som CSV: {e}"))
                        .at_line(line),
                );
                break;
            }
        }
        let line = record.position().map_or(1, |p| lines.record_line(p.byte()));
        if record.iter().all(|field| field.trim().is_empty()) {
            continue;
        }
        let Some(header) = &header else {
            header = Some(parse_header(&record, line, spec, &name, errors));
            continue;
        };
        if record.len() != header.width {
            errors.push(
                ImportError::new(
                    name.as_str(),
                    format!(
                        "fel antal fält: {}, rubrikraden har {}",
                        record.len(),
                        header.width
                    ),
                )
                .at_line(line),
            );
            continue;
        }
        for &index in &header.unnamed {
            if let Some(value) = record.get(index).map(str::trim).filter(|v| !v.is_empty()) {
                errors.push(
                    ImportError::new(name.as_str(), "värde i en kolumn utan rubrik")
                        .at_line(line)
                        .in_column(format!("kolumn {}", index + 1))
                        .with_value(value),
                );
            }
        }
        on_row(&mut Row::new(&name, line, &record, header, errors));
    }
    if header.is_none() {
        // Only separators: no header row after all.
        errors.push(ImportError::new(name, empty));
    }
    header
}

/// The file's text without BOM, or `None` (reported) when it is not UTF-8 text.
fn decode(mut bytes: Vec<u8>, name: &str, errors: &mut Collector) -> Option<String> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        errors.push(ImportError::new(
            name,
            "filen är inte CSV i UTF-8 (den är UTF-16; spara som CSV UTF-8)",
        ));
        return None;
    }
    if let Some(at) = bytes.iter().position(|&b| b == 0) {
        let line = line_of(&bytes, at);
        errors.push(ImportError::new(name, "filen är inte CSV").at_line(line));
        return None;
    }
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    match String::from_utf8(bytes) {
        Ok(text) => Some(text),
        Err(e) => {
            let line = line_of(e.as_bytes(), e.utf8_error().valid_up_to());
            errors.push(
                ImportError::new(name, "filen är inte UTF-8 (spara som UTF-8)").at_line(line),
            );
            None
        }
    }
}

/// The 1-based line of byte `at`.
fn line_of(bytes: &[u8], at: usize) -> u64 {
    let lines = bytes[..at.min(bytes.len())].split(|&b| b == b'\n').count();
    u64::try_from(lines).unwrap_or(u64::MAX)
}

/// Byte offsets of the line breaks, to turn a record's byte position into its line.
struct LineIndex<'a> {
    text: &'a str,
    newlines: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    fn new(text: &'a str) -> Self {
        let newlines = text.match_indices('\n').map(|(i, _)| i).collect();
        Self { text, newlines }
    }

    /// The 1-based line holding byte `at`.
    fn line_at(&self, at: usize) -> u64 {
        let before = self.newlines.partition_point(|&nl| nl < at);
        u64::try_from(before).map_or(u64::MAX, |n| n + 1)
    }

    /// The line where a record starts, given the reader's position before it: the reader
    /// may stand before the end of the previous line (`\n` of a CRLF) or blank lines.
    fn record_line(&self, byte: u64) -> u64 {
        let start = usize::try_from(byte)
            .unwrap_or(usize::MAX)
            .min(self.text.len());
        let skipped = self.text.as_bytes()[start..]
            .iter()
            .take_while(|&&b| b == b'\n' || b == b'\r')
            .count();
        self.line_at(start + skipped)
    }
}

/// The header name as written, without surrounding space or quotes.
fn bare(name: &str) -> &str {
    name.trim().trim_matches('"').trim()
}

/// `,` or `;`: whichever splits the header line into more of the table's column names;
/// when that ties, the only one of them that occurs. `None` when that does not decide.
fn detect_delimiter(line: &str, spec: &TableSpec) -> Option<u8> {
    let known = |d: char| {
        line.split(d)
            .filter(|n| spec.column(bare(n)).is_some())
            .count()
    };
    match known(',').cmp(&known(';')) {
        std::cmp::Ordering::Greater => Some(b','),
        std::cmp::Ordering::Less => Some(b';'),
        std::cmp::Ordering::Equal => match (line.contains(','), line.contains(';')) {
            (true, true) => None,
            (false, true) => Some(b';'),
            _ => Some(b','),
        },
    }
}

/// Matches the header row against the table's columns, reporting unknown, repeated and
/// missing columns.
fn parse_header(
    record: &StringRecord,
    line: u64,
    spec: &TableSpec,
    file: &str,
    errors: &mut Collector,
) -> Header {
    let mut header = Header {
        width: record.len(),
        ..Header::default()
    };
    let at = |message: &str, column: &str| {
        ImportError::new(file, message)
            .at_line(line)
            .in_column(column)
    };
    for (index, raw) in record.iter().enumerate() {
        let written = bare(raw);
        if written.is_empty() {
            header.unnamed.push(index);
        } else if let Some(column) = spec.column(written) {
            if header.index(column.name).is_some() {
                errors.push(at("kolumnen finns flera gånger", written));
            } else {
                header.columns.push((column.name, index));
            }
        } else {
            let message = format!("okänd kolumn (väntade: {})", spec.column_names());
            errors.push(at(&message, written));
        }
    }
    for column in spec.columns.iter().filter(|c| c.required) {
        if header.index(column.name).is_none() {
            errors.push(at("obligatorisk kolumn saknas", column.name));
        }
    }
    header
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::tables::SPECS;

    #[test]
    fn delimiter_from_known_names() {
        let units = &SPECS[0];
        assert_eq!(detect_delimiter("unit_id,name,district", units), Some(b','));
        assert_eq!(detect_delimiter("\"unit_id\";\"name\"", units), Some(b';'));
        // "Stöd; service" is not a column either way; the known names decide.
        assert_eq!(detect_delimiter("unit_id;name;area,x", units), Some(b';'));
        assert_eq!(detect_delimiter("foo;bar,baz", units), None);
        assert_eq!(detect_delimiter("foo;bar", units), Some(b';'));
    }

    #[test]
    fn record_lines_skip_line_ends_and_blank_lines() {
        let text = "a\r\nb\r\n\r\nc\n";
        let index = LineIndex::new(text);
        assert_eq!(index.record_line(0), 1);
        assert_eq!(index.record_line(2), 2);
        assert_eq!(index.record_line(4), 4);
    }
}
