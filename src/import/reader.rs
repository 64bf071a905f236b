//! From a directory of files to CSV rows: finding each table's file, checking that it is
//! UTF-8 text (with or without BOM), detecting `,` or `;` from the header row, matching the
//! header against the table's columns, and handing each data row to a builder with its
//! physical line number.

use std::collections::HashMap;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

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
        // The builders ask with the same literals the specs name the columns with: the same
        // address, most often, which is quicker to compare than the text.
        self.columns
            .iter()
            .find(|(name, _)| std::ptr::eq(*name, column) || *name == column)
            .map(|&(_, index)| index)
    }
}

/// Bytes read from a file at a time.
const CHUNK: usize = 1 << 16;

/// One data row's fields, as the CSV parser unquoted them.
#[derive(Debug, Clone, Copy)]
pub struct Record<'a> {
    text: &'a str,
    /// Where each field ends in `text`.
    ends: &'a [usize],
}

impl<'a> Record<'a> {
    #[must_use]
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Field `i`, when the row has that many.
    #[must_use]
    pub fn get(&self, i: usize) -> Option<&'a str> {
        let end = *self.ends.get(i)?;
        let start = match i.checked_sub(1) {
            Some(before) => self.ends[before],
            None => 0,
        };
        self.text.get(start..end)
    }

    pub fn iter(&self) -> impl Iterator<Item = &'a str> + '_ {
        (0..self.len()).filter_map(|i| self.get(i))
    }
}

/// Reads one table's file and calls `on_row` for every non-blank data row.
///
/// The file is read once, a piece at a time, so that a file of any size takes the same
/// little memory. What a file that is not CSV text gets (UTF-16, a NUL byte, bytes that
/// are not UTF-8) is the one error about it, wherever in the file the problem is: the
/// rows before it may have been handed to `on_row` already, but their errors are taken
/// back and the file counts as unusable.
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
    let cannot_read =
        |e: std::io::Error| ImportError::new(name.as_str(), format!("kan inte läsa filen: {e}"));
    let mark = errors.mark();
    let mut input = match fs::File::open(path) {
        Ok(file) => Input::new(file),
        Err(e) => {
            errors.push(cannot_read(e));
            return None;
        }
    };
    let parsed = parse(&mut input, spec, &name, errors, &mut on_row);
    // The rest of the file is looked through for what would make it not CSV text.
    let rest = input.scan_to_end();
    let (header, problem) = match (parsed, rest) {
        (Err(Stop::Io(e)), _) | (_, Err(e)) => (None, Some(cannot_read(e))),
        (Err(Stop::Encoding), Ok(())) => (None, input.problem.map(|p| p.error(&name))),
        (Ok(header), Ok(())) => (header, input.problem.map(|p| p.error(&name))),
    };
    if let Some(problem) = problem {
        errors.rewind(mark);
        errors.push(problem);
        return None;
    }
    header
}

/// Why reading a file's rows stopped before its end.
enum Stop {
    /// It is not CSV text: [`Input::problem`] says why.
    Encoding,
    Io(std::io::Error),
}

impl From<std::io::Error> for Stop {
    fn from(e: std::io::Error) -> Self {
        Self::Io(e)
    }
}

/// The header and the rows of a file whose text is checked as it comes.
fn parse(
    input: &mut Input,
    spec: &TableSpec,
    name: &str,
    errors: &mut Collector,
    on_row: &mut impl FnMut(&mut Row<'_>),
) -> Result<Option<Header>, Stop> {
    input.start()?;
    let empty = "filen är tom (rubrikraden saknas)";
    let Some((line, first_line)) = input.first_non_blank_line()? else {
        errors.push(ImportError::new(name, empty));
        return Ok(None);
    };
    let Some(delimiter) = detect_delimiter(&first_line, spec) else {
        errors.push(
            ImportError::new(
                name,
                "kan inte avgöra om avgränsaren är , eller ; i rubrikraden",
            )
            .at_line(line),
        );
        return Ok(None);
    };
    let mut reader = csv_core::ReaderBuilder::new().delimiter(delimiter).build();
    let mut fields = Fields::default();
    let mut header: Option<Header> = None;
    while let Some(line) = input.next_record(&mut reader, &mut fields)? {
        let Ok(text) = std::str::from_utf8(&fields.text[..fields.text_len]) else {
            // The text was checked as it was read; this cannot happen.
            input.problem.get_or_insert(Problem::Utf8(line));
            return Err(Stop::Encoding);
        };
        let record = Record {
            text,
            ends: &fields.ends[..fields.ends_len],
        };
        if record.iter().all(|field| field.trim().is_empty()) {
            continue;
        }
        let Some(header) = &header else {
            header = Some(parse_header(&record, line, spec, name, errors));
            continue;
        };
        if record.len() != header.width {
            errors.push(
                ImportError::new(
                    name,
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
                    ImportError::new(name, "värde i en kolumn utan rubrik")
                        .at_line(line)
                        .in_column(format!("kolumn {}", index + 1))
                        .with_value(value),
                );
            }
        }
        on_row(&mut Row::new(name, line, record, header, errors));
    }
    if header.is_none() {
        // Only separators: no header row after all.
        errors.push(ImportError::new(name, empty));
    }
    Ok(header)
}

/// What makes a file not CSV text, found while it is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Problem {
    /// Starts with a UTF-16 byte order mark.
    Utf16,
    /// A NUL byte on this line: binary, not text.
    Nul(u64),
    /// The first byte that is not UTF-8 is on this line.
    Utf8(u64),
}

impl Problem {
    fn error(self, name: &str) -> ImportError {
        match self {
            Self::Utf16 => ImportError::new(
                name,
                "filen är inte CSV i UTF-8 (den är UTF-16; spara som CSV UTF-8)",
            ),
            Self::Nul(line) => ImportError::new(name, "filen är inte CSV").at_line(line),
            Self::Utf8(line) => {
                ImportError::new(name, "filen är inte UTF-8 (spara som UTF-8)").at_line(line)
            }
        }
    }
}

/// One record's unquoted fields, as `csv_core` writes them: `text[..text_len]` and
/// `ends[..ends_len]`. The buffers keep their size from record to record.
#[derive(Default)]
struct Fields {
    text: Vec<u8>,
    text_len: usize,
    ends: Vec<usize>,
    ends_len: usize,
}

/// A file read a piece at a time: its bytes are checked as they arrive (UTF-16, NUL,
/// UTF-8), and the lines counted as the parser moves on.
struct Input {
    file: fs::File,
    /// Bytes read and not yet parsed: `buf[pos..]`.
    buf: Vec<u8>,
    pos: usize,
    /// `buf[..checked]` is known to be UTF-8 (a character cut by the end of a piece waits
    /// for the next).
    checked: usize,
    /// Line breaks in the file before `buf[pos]`.
    newlines: u64,
    eof: bool,
    /// The first thing found that makes the file not CSV text. A NUL byte outranks bytes
    /// that are not UTF-8, wherever it is: the file is binary.
    problem: Option<Problem>,
}

fn count_newlines(bytes: &[u8]) -> u64 {
    let n = memchr::memchr_iter(b'\n', bytes).count();
    u64::try_from(n).unwrap_or(u64::MAX)
}

impl Input {
    fn new(file: fs::File) -> Self {
        Self {
            file,
            buf: Vec::with_capacity(CHUNK),
            pos: 0,
            checked: 0,
            newlines: 0,
            eof: false,
            problem: None,
        }
    }

    /// The 1-based line of `buf[at]` (`at >= pos`).
    fn line_at(&self, at: usize) -> u64 {
        self.newlines + count_newlines(&self.buf[self.pos..at]) + 1
    }

    /// Reads the next piece of the file and checks it. Returns whether anything was read.
    fn fill(&mut self) -> Result<bool, std::io::Error> {
        if self.eof || matches!(self.problem, Some(Problem::Nul(_) | Problem::Utf16)) {
            return Ok(false);
        }
        if self.pos > 0 {
            self.buf.drain(..self.pos);
            self.checked -= self.pos;
            self.pos = 0;
        }
        let old = self.buf.len();
        self.buf.resize(old + CHUNK, 0);
        let n = loop {
            match self.file.read(&mut self.buf[old..]) {
                Ok(n) => break n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => {
                    self.buf.truncate(old);
                    return Err(e);
                }
            }
        };
        self.buf.truncate(old + n);
        if n == 0 {
            self.eof = true;
        }
        if let Some(at) = memchr::memchr(0, &self.buf[old..]) {
            self.problem = Some(Problem::Nul(self.line_at(old + at)));
            return Ok(n > 0);
        }
        if self.problem.is_none() {
            match std::str::from_utf8(&self.buf[self.checked..]) {
                Ok(_) => self.checked = self.buf.len(),
                Err(e) if e.error_len().is_none() && !self.eof => self.checked += e.valid_up_to(),
                Err(e) => {
                    let line = self.line_at(self.checked + e.valid_up_to());
                    self.problem = Some(Problem::Utf8(line));
                }
            }
        }
        Ok(n > 0)
    }

    /// Reads the first bytes: a UTF-16 file is refused, a UTF-8 byte order mark skipped.
    fn start(&mut self) -> Result<(), Stop> {
        while self.buf.len() < 3 && self.fill()? {}
        if self.buf.starts_with(&[0xFF, 0xFE]) || self.buf.starts_with(&[0xFE, 0xFF]) {
            self.problem = Some(Problem::Utf16);
            return Err(Stop::Encoding);
        }
        if self.problem.is_some() {
            return Err(Stop::Encoding);
        }
        if self.buf.starts_with(b"\xEF\xBB\xBF") {
            self.pos = 3;
        }
        Ok(())
    }

    /// Reads on while the checked bytes are all parsed. Fails once the file turns out not
    /// to be text; `false` at its end.
    fn more(&mut self) -> Result<bool, Stop> {
        let read = self.fill()?;
        if self.problem.is_some() {
            return Err(Stop::Encoding);
        }
        Ok(read || self.checked > self.pos)
    }

    /// The first line with more than white space (its number and text), read ahead without
    /// moving on: the separator is detected from it.
    fn first_non_blank_line(&mut self) -> Result<Option<(u64, String)>, Stop> {
        let mut from = self.pos;
        let mut line = self.newlines + 1;
        loop {
            let text = &self.buf[from..self.checked];
            let (this, complete) = match memchr::memchr(b'\n', text) {
                Some(at) => (&text[..at], true),
                None => (text, self.eof),
            };
            if complete {
                let this = String::from_utf8_lossy(this);
                if !this.trim().is_empty() {
                    return Ok(Some((line, this.into_owned())));
                }
                if from + this.len() >= self.checked {
                    // The last line, blank.
                    return Ok(None);
                }
                from += this.len() + 1;
                line += 1;
                continue;
            }
            let before = self.pos;
            if !self.more()? {
                return Ok(None);
            }
            // `fill` moves the unparsed bytes to the front.
            from -= before - self.pos;
        }
    }

    /// Parses the next record into `fields`; its first line, or `None` at the end.
    fn next_record(
        &mut self,
        reader: &mut csv_core::Reader,
        fields: &mut Fields,
    ) -> Result<Option<u64>, Stop> {
        // Line breaks before a record are blank lines, which the parser would skip without
        // telling: they are counted here, so the record's line is known.
        loop {
            while let Some(&b) = self.buf[..self.checked].get(self.pos) {
                if b != b'\n' && b != b'\r' {
                    break;
                }
                self.newlines += u64::from(b == b'\n');
                self.pos += 1;
            }
            if self.pos < self.checked || !self.more()? {
                break;
            }
        }
        let line = self.newlines + 1;
        fields.text_len = 0;
        fields.ends_len = 0;
        loop {
            if self.pos == self.checked && self.more()? {
                continue;
            }
            // Empty only at the end of the file, which tells the parser so.
            let input = &self.buf[self.pos..self.checked];
            let (result, read, wrote, ended) = reader.read_record(
                input,
                &mut fields.text[fields.text_len..],
                &mut fields.ends[fields.ends_len..],
            );
            self.newlines += count_newlines(&input[..read]);
            self.pos += read;
            fields.text_len += wrote;
            fields.ends_len += ended;
            match result {
                csv_core::ReadRecordResult::InputEmpty => {}
                csv_core::ReadRecordResult::OutputFull => {
                    let double = (fields.text.len() * 2).max(1024);
                    fields.text.resize(double, 0);
                }
                csv_core::ReadRecordResult::OutputEndsFull => {
                    let double = (fields.ends.len() * 2).max(32);
                    fields.ends.resize(double, 0);
                }
                csv_core::ReadRecordResult::Record => return Ok(Some(line)),
                csv_core::ReadRecordResult::End => return Ok(None),
            }
        }
    }

    /// Reads the rest of the file only to look for a NUL byte, and for bytes that are not
    /// UTF-8 until some are found.
    fn scan_to_end(&mut self) -> Result<(), std::io::Error> {
        loop {
            if matches!(self.problem, Some(Problem::Nul(_) | Problem::Utf16)) {
                return Ok(());
            }
            if self.problem.is_some() {
                // The UTF-8 check is over: every byte read counts as checked.
                self.checked = self.buf.len();
            }
            // A character cut by the end of the piece stays to be checked with the next.
            self.newlines += count_newlines(&self.buf[self.pos..self.checked]);
            self.pos = self.checked;
            if !self.fill()? {
                return Ok(());
            }
        }
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
    record: &Record<'_>,
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

    /// The rows of `text` read as `units.csv` in pieces of every size: (line, fields).
    fn rows_of(text: &[u8]) -> (Vec<(u64, Vec<String>)>, Vec<String>) {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("units.csv");
        fs::write(&path, text).expect("write");
        let mut errors = Collector::default();
        let mut rows = Vec::new();
        read_table(&path, &SPECS[0], &mut errors, |row| {
            rows.push((
                row.line,
                (0..4)
                    .filter_map(|c| row.field(c).map(str::to_owned))
                    .collect(),
            ));
        });
        let errors = errors.finish().0.iter().map(ToString::to_string).collect();
        (rows, errors)
    }

    #[test]
    fn record_lines_skip_line_ends_and_blank_lines() {
        let (rows, errors) = rows_of(b"unit_id,name\r\nU1,a\r\n\r\n\nU2,\"b\nc\"\rU3,d\n\n");
        assert!(errors.is_empty(), "{errors:?}");
        let lines: Vec<u64> = rows.iter().map(|r| r.0).collect();
        assert_eq!(lines, [2, 5, 6]);
        assert_eq!(rows[1].1, ["U2", "b\nc"]);
    }

    #[test]
    fn a_file_larger_than_a_piece_keeps_its_lines_and_characters() {
        // Rows with a three-byte character, so that pieces cut characters and lines.
        let mut text = String::from("\u{feff}unit_id;name\n");
        for i in 0..20_000 {
            text.push_str(&format!("U{i};Enhet \u{2014} {i}\n"));
        }
        let (rows, errors) = rows_of(text.as_bytes());
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(rows.len(), 20_000);
        assert_eq!(
            rows[19_999],
            (20_001, vec!["U19999".into(), "Enhet \u{2014} 19999".into()])
        );
    }

    #[test]
    fn a_late_nul_or_bad_byte_is_the_one_error_and_outranks_the_rows() {
        let mut text = b"unit_id,name\nU1,\n".to_vec();
        for i in 0..10_000 {
            text.extend_from_slice(format!("U{i},x\n").as_bytes());
        }
        let mut bad = text.clone();
        bad.extend_from_slice(b"U,\xFF\n");
        let (_, errors) = rows_of(&bad);
        assert_eq!(
            errors,
            ["units.csv:10003: filen är inte UTF-8 (spara som UTF-8)"]
        );
        bad.extend_from_slice(b"U,\0\n");
        let (_, errors) = rows_of(&bad);
        assert_eq!(errors, ["units.csv:10004: filen är inte CSV"]);
        // A character cut off by the end of the file.
        let mut cut = text;
        cut.extend_from_slice(b"U,\xE2\x80");
        let (_, errors) = rows_of(&cut);
        assert_eq!(
            errors,
            ["units.csv:10003: filen är inte UTF-8 (spara som UTF-8)"]
        );
    }
}
