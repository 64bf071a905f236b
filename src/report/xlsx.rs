//! `--format xlsx`: a report as an Excel workbook an enhetschef can hand on (issue 18).
//!
//! The report writers put their domain values into [`Book`]s of typed cells — text,
//! whole numbers, decimals, shares, dates — and this module alone knows how Excel wants
//! them: dates as serial dates formatted `yyyy-mm-dd`, shares as numbers formatted as
//! percent, a header row that is frozen and filterable, columns wide enough for their
//! contents, and a first sheet saying what the report is, for which filter and date.
//! Excel shows decimal commas by the reader's locale: the file stores numbers, not text.

use chrono::NaiveDate;
use rust_xlsxwriter::{Format, FormatAlign, Workbook, Worksheet, XlsxError};

/// One cell of a table.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    /// A count or a day count: shown without decimals.
    Int(i64),
    /// A measured value (an utfall, a median): shown as written, up to two decimals.
    Num(f64),
    /// A share 0–1: shown as percent with one decimal.
    Share(f64),
    Date(NaiveDate),
}

impl Cell {
    /// Snapshot text, cleaned of control characters (as every report's text is).
    #[must_use]
    pub fn text(s: &str) -> Self {
        Self::Text(crate::text::clean(s).into_owned())
    }

    /// Optional text: empty when absent.
    #[must_use]
    pub fn opt_text(s: Option<&str>) -> Self {
        s.map_or(Self::Empty, Self::text)
    }

    #[must_use]
    pub fn opt_date(d: Option<NaiveDate>) -> Self {
        d.map_or(Self::Empty, Self::Date)
    }

    #[must_use]
    pub fn opt_int(n: Option<i64>) -> Self {
        n.map_or(Self::Empty, Self::Int)
    }

    #[must_use]
    pub fn opt_num(n: Option<f64>) -> Self {
        n.map_or(Self::Empty, Self::Num)
    }

    #[must_use]
    pub fn opt_share(n: Option<f64>) -> Self {
        n.map_or(Self::Empty, Self::Share)
    }

    #[must_use]
    pub fn count(n: u64) -> Self {
        Self::Int(i64::try_from(n).unwrap_or(i64::MAX))
    }

    /// The width the cell needs, in characters.
    fn width(&self) -> usize {
        match self {
            Self::Empty => 0,
            Self::Text(s) => crate::text::width(s),
            Self::Int(n) => n.to_string().len(),
            Self::Num(_) => 8,
            Self::Share(_) => 7,
            Self::Date(_) => 10,
        }
    }
}

/// Gives each row of a long table to the writer in turn ([`Stream`]).
pub type RowSink<'w> = dyn FnMut(&[Cell]) -> Result<(), XlsxError> + 'w;

/// A long table's rows, made one at a time while its sheet is written, from the report's
/// own list: a whole city's bevakningslista held as cells took 2 GB at six cities.
pub struct Stream<'a>(Box<MakeRows<'a>>);

/// What makes a [`Stream`]'s rows: given a sink, gives it each row.
type MakeRows<'a> = dyn Fn(&mut RowSink<'_>) -> Result<(), XlsxError> + 'a;

impl<'a> Stream<'a> {
    /// Rows made by `rows`, which gives each to the sink it is handed.
    pub fn new(rows: impl Fn(&mut RowSink<'_>) -> Result<(), XlsxError> + 'a) -> Self {
        Self(Box::new(rows))
    }
}

impl std::fmt::Debug for Stream<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Stream")
    }
}

/// A table on a sheet of its own: the header row, the rows (held, then streamed), and an
/// optional totals row (where the screen has totals) below them.
#[derive(Debug)]
pub struct Sheet<'a> {
    /// The sheet's name (at most 31 characters, none of `[]:*?/\`).
    pub name: String,
    pub heads: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
    /// Rows after `rows`, made as the sheet is written.
    pub stream: Option<Stream<'a>>,
    pub totals: Vec<Vec<Cell>>,
}

impl Sheet<'_> {
    #[must_use]
    pub fn new(name: &str, heads: &[&str]) -> Self {
        Self {
            name: name.to_string(),
            heads: heads.iter().map(|h| (*h).to_string()).collect(),
            rows: Vec::new(),
            stream: None,
            totals: Vec::new(),
        }
    }
}

/// A workbook: the first sheet says what the report is ([`Book::about`], label and value
/// per line), then a sheet per table.
#[derive(Debug)]
pub struct Book<'a> {
    /// The report's title, the first sheet's first line.
    pub title: String,
    pub about: Vec<(String, Cell)>,
    pub sheets: Vec<Sheet<'a>>,
}

/// The name of the first sheet.
pub const ABOUT_SHEET: &str = "Urval";

impl Book<'_> {
    #[must_use]
    pub fn new(title: &str) -> Self {
        Self {
            title: title.to_string(),
            about: Vec::new(),
            sheets: Vec::new(),
        }
    }

    /// Adds a line to the first sheet.
    pub fn about(&mut self, label: &str, value: Cell) {
        self.about.push((label.to_string(), value));
    }

    /// The workbook as the bytes of an `.xlsx` file.
    ///
    /// # Errors
    /// The writer's errors (a sheet name Excel refuses, a string over Excel's limit).
    pub fn to_bytes(&self) -> Result<Vec<u8>, XlsxError> {
        let mut bytes = Vec::new();
        self.save_to(&mut bytes)?;
        Ok(bytes)
    }

    /// Writes the workbook's `.xlsx` bytes to `out` as they are made.
    ///
    /// # Errors
    /// As [`Book::to_bytes`], and `out`'s.
    pub fn save_to(&self, out: impl std::io::Write + Send) -> Result<(), XlsxError> {
        let formats = Formats::new();
        let mut wb = Workbook::new();
        let about = wb.add_worksheet();
        about.set_name(ABOUT_SHEET)?;
        about.write_string_with_format(0, 0, &self.title, &formats.title)?;
        let mut label_w = 10;
        let mut value_w = 12;
        for (i, (label, value)) in self.about.iter().enumerate() {
            let row = u32::try_from(i + 2).unwrap_or(u32::MAX);
            about.write_string_with_format(row, 0, label, &formats.head)?;
            put(about, row, 1, value, &formats, false)?;
            label_w = label_w.max(crate::text::width(label));
            value_w = value_w.max(value.width());
        }
        about.set_column_width(0, width(label_w))?;
        about.set_column_width(1, width(value_w))?;
        for sheet in &self.sheets {
            // Each row goes to a temporary file (unnamed, gone when closed) as it is
            // written, not kept as cells until the workbook is saved.
            let ws = wb.add_worksheet_with_constant_memory()?;
            ws.set_name(sheet_name(&sheet.name))?;
            write_sheet(ws, sheet, &formats)?;
        }
        wb.save_to_writer(out)
    }
}

struct Formats {
    title: Format,
    head: Format,
    date: Format,
    int: Format,
    num: Format,
    share: Format,
    total_text: Format,
    total_int: Format,
}

impl Formats {
    fn new() -> Self {
        Self {
            title: Format::new().set_bold().set_font_size(14),
            head: Format::new()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Top),
            date: Format::new().set_num_format("yyyy-mm-dd"),
            int: Format::new().set_num_format("0"),
            num: Format::new().set_num_format("0.0#"),
            share: Format::new().set_num_format("0.0%"),
            total_text: Format::new().set_bold(),
            total_int: Format::new().set_bold().set_num_format("0"),
        }
    }
}

/// A column width for `chars` characters, with a little room, never absurd.
fn width(chars: usize) -> f64 {
    let chars = u32::try_from(chars.clamp(6, 60)).unwrap_or(60);
    f64::from(chars) + 2.0
}

/// A name Excel accepts for a sheet.
fn sheet_name(name: &str) -> String {
    name.chars()
        .map(|c| if "[]:*?/\\".contains(c) { '-' } else { c })
        .take(31)
        .collect()
}

fn put(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    cell: &Cell,
    f: &Formats,
    total: bool,
) -> Result<(), XlsxError> {
    match cell {
        Cell::Empty => {}
        Cell::Text(s) if total => {
            ws.write_string_with_format(row, col, s, &f.total_text)?;
        }
        Cell::Text(s) => {
            ws.write_string(row, col, s)?;
        }
        Cell::Int(n) => {
            // Counts and day counts are far below 2^53: exact as an Excel number.
            #[allow(clippy::cast_precision_loss)]
            let v = *n as f64;
            let format = if total { &f.total_int } else { &f.int };
            ws.write_number_with_format(row, col, v, format)?;
        }
        Cell::Num(v) => {
            ws.write_number_with_format(row, col, *v, &f.num)?;
        }
        Cell::Share(v) => {
            ws.write_number_with_format(row, col, *v, &f.share)?;
        }
        Cell::Date(d) => {
            ws.write_date_with_format(row, col, *d, &f.date)?;
        }
    }
    Ok(())
}

fn write_sheet(ws: &mut Worksheet, sheet: &Sheet<'_>, f: &Formats) -> Result<(), XlsxError> {
    let cols = sheet.heads.len();
    let mut widths: Vec<usize> = sheet
        .heads
        .iter()
        .map(|h| crate::text::width(h).min(24))
        .collect();
    for (c, head) in sheet.heads.iter().enumerate() {
        ws.write_string_with_format(0, col(c), head, &f.head)?;
    }
    let mut row = 1_u32;
    let mut put_row = |cells: &[Cell]| -> Result<(), XlsxError> {
        for (c, cell) in cells.iter().enumerate().take(cols) {
            put(ws, row, col(c), cell, f, false)?;
            widths[c] = widths[c].max(cell.width());
        }
        row = row.saturating_add(1);
        Ok(())
    };
    for cells in &sheet.rows {
        put_row(cells)?;
    }
    if let Some(stream) = &sheet.stream {
        (stream.0)(&mut put_row)?;
    }
    let last_data = row.saturating_sub(1);
    for cells in &sheet.totals {
        for (c, cell) in cells.iter().enumerate().take(cols) {
            put(ws, row, col(c), cell, f, true)?;
            widths[c] = widths[c].max(cell.width());
        }
        row += 1;
    }
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(col(c), width(*w))?;
    }
    ws.set_freeze_panes(1, 0)?;
    if cols > 0 {
        ws.autofilter(0, 0, last_data, col(cols - 1))?;
    }
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(0, 0)?;
    Ok(())
}

fn col(c: usize) -> u16 {
    u16::try_from(c).unwrap_or(u16::MAX)
}

/// Writes `book` to `out` as `.xlsx` bytes.
///
/// # Errors
/// The writer's errors and I/O errors.
pub fn write(out: &mut dyn std::io::Write, book: &Book<'_>) -> color_eyre::Result<()> {
    let bytes = book
        .to_bytes()
        .map_err(|e| color_eyre::eyre::eyre!("{}", failed(&e)))?;
    out.write_all(&bytes)?;
    Ok(())
}

/// Why the workbook could not be made, in the user's words where bevaka can say it.
#[must_use]
pub fn failed(e: &XlsxError) -> String {
    match e {
        XlsxError::TempFileError(dir, error) => format!(
            "kan inte skapa xlsx-filen: ingen tillfällig fil i {} (TMPDIR): {}",
            dir.display(),
            crate::private_file::cause(error)
        ),
        XlsxError::RowColumnLimitError => "kan inte skapa xlsx-filen: ett blad i Excel rymmer \
             högst 1 048 576 rader; välj en enhet eller arbetsgrupp, eller CSV"
            .to_string(),
        other => format!("kan inte skapa xlsx-filen: {other}"),
    }
}

/// The filter's lines of the first sheet: enhet (with its name), arbetsgrupp, handläggare.
pub fn about_filter(
    book: &mut Book<'_>,
    names: &crate::report::Names,
    filter: &crate::snapshot::queries::Filter,
    worker: Option<&str>,
) {
    book.about(
        "Enhet",
        Cell::Text(
            filter
                .unit_id
                .as_deref()
                .map_or_else(|| "alla enheter".to_string(), |u| names.unit(u)),
        ),
    );
    book.about(
        "Arbetsgrupp",
        Cell::Text(filter.team.as_deref().map_or_else(
            || "alla".to_string(),
            |t| crate::text::clean(t).into_owned(),
        )),
    );
    if let Some(w) = worker {
        book.about("Handläggare", Cell::Text(names.worker(w)));
    }
}

/// A workbook needs the names of the snapshot: it is built by [`super::books`], not by a
/// report's text/CSV/JSON writer. Reaching a writer with xlsx is a mistake in bevaka.
pub fn elsewhere() -> color_eyre::Report {
    color_eyre::eyre::eyre!("xlsx skrivs av report::books, inte av rapportens textskrivare")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A sheet past Excel's last row is refused in Swedish, saying what to do instead; the
    /// rows before it are streamed, not held.
    #[test]
    fn a_sheet_past_excels_last_row_is_refused_saying_what_to_do() {
        let mut book = Book::new("Bevakningslista");
        let mut sheet = Sheet::new("Bevakningar", &["Ärende"]);
        sheet.stream = Some(Stream::new(|put| {
            // The header is row 0: the 1 048 576th data row is past the last.
            for _ in 0..1_048_576 {
                put(&[Cell::Int(1)])?;
            }
            Ok(())
        }));
        book.sheets.push(sheet);
        let e = book.save_to(std::io::sink()).expect_err("too many rows");
        assert_eq!(
            failed(&e),
            "kan inte skapa xlsx-filen: ett blad i Excel rymmer högst 1 048 576 rader; \
             välj en enhet eller arbetsgrupp, eller CSV"
        );
    }
}
