//! What the importer reports: one [`ImportError`] per problem, pointing at file, line,
//! column and value, worded in Swedish for the people who fix the export.
//!
//! The importer collects every problem before it gives up, so that one round trip to the
//! export is enough; [`Collector`] keeps the first [`MAX_ERRORS`] and counts the rest.

use std::fmt;

/// How many errors are kept; the rest are only counted.
pub const MAX_ERRORS: usize = 200;

/// The longest value shown in a message, in characters.
const MAX_SHOWN_VALUE: usize = 60;

/// One problem in the CSV files.
///
/// Displayed as `file:line: column: value: message`, leaving out the parts that do not
/// apply (`units.csv: saknas`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportError {
    /// The file name inside the import directory (or the directory itself). Empty only for
    /// the closing "… och N fler fel" line.
    pub file: String,
    /// Physical line in the file, the header being line 1.
    pub line: Option<u64>,
    pub column: Option<String>,
    pub value: Option<String>,
    /// What is wrong, in Swedish.
    pub message: String,
}

impl ImportError {
    /// A problem with a whole file.
    #[must_use]
    pub fn new(file: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            file: file.into(),
            line: None,
            column: None,
            value: None,
            message: message.into(),
        }
    }

    #[must_use]
    pub fn at_line(mut self, line: u64) -> Self {
        self.line = Some(line);
        self
    }

    #[must_use]
    pub fn in_column(mut self, column: impl Into<String>) -> Self {
        self.column = Some(column.into());
        self
    }

    #[must_use]
    pub fn with_value(mut self, value: impl Into<String>) -> Self {
        self.value = Some(value.into());
        self
    }
}

/// A value as it is shown in a message: on one line, and not too long.
fn shown(value: &str) -> String {
    let mut out = String::new();
    for (i, c) in value.chars().enumerate() {
        if i == MAX_SHOWN_VALUE {
            out.push('…');
            break;
        }
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut sep = "";
        if !self.file.is_empty() {
            f.write_str(&self.file)?;
            if let Some(line) = self.line {
                write!(f, ":{line}")?;
            }
            sep = ": ";
        }
        if let Some(column) = &self.column {
            write!(f, "{sep}{column}")?;
            sep = ": ";
        }
        if let Some(value) = self.value.as_deref().filter(|v| !v.is_empty()) {
            write!(f, "{sep}{}", shown(value))?;
            sep = ": ";
        }
        write!(f, "{sep}{}", self.message)
    }
}

impl std::error::Error for ImportError {}

/// Every problem found in an import directory, in file order and line order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportErrors(pub Vec<ImportError>);

impl fmt::Display for ImportErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, error) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{error}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ImportErrors {}

/// A place in a [`Collector`]'s errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mark {
    kept: usize,
    omitted: usize,
}

/// Gathers errors during an import, keeping the first [`MAX_ERRORS`].
#[derive(Debug, Default)]
pub struct Collector {
    errors: Vec<ImportError>,
    omitted: usize,
}

impl Collector {
    pub fn push(&mut self, error: ImportError) {
        if self.errors.len() < MAX_ERRORS {
            self.errors.push(error);
        } else {
            self.omitted += 1;
        }
    }

    /// Where the errors stand now: for [`Collector::sort_lines_from`] and
    /// [`Collector::rewind`].
    #[must_use]
    pub fn mark(&self) -> Mark {
        Mark {
            kept: self.errors.len(),
            omitted: self.omitted,
        }
    }

    /// Puts the errors kept since `mark` (one file's) in line order.
    pub fn sort_lines_from(&mut self, mark: Mark) {
        if let Some(tail) = self.errors.get_mut(mark.kept..) {
            tail.sort_by_key(|e| e.line);
        }
    }

    /// Forgets the errors found since `mark`: those of a file's rows, when the file turns
    /// out not to be CSV text after all and that is the one thing to say about it.
    pub fn rewind(&mut self, mark: Mark) {
        self.errors.truncate(mark.kept);
        self.omitted = mark.omitted;
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    /// The errors, closed by "… och N fler fel" when some were only counted.
    #[must_use]
    pub fn finish(mut self) -> ImportErrors {
        if self.omitted > 0 {
            self.errors.push(ImportError::new(
                "",
                format!("… och {} fler fel", self.omitted),
            ));
        }
        ImportErrors(self.errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_leaves_out_missing_parts() {
        assert_eq!(
            ImportError::new("units.csv", "saknas").to_string(),
            "units.csv: saknas"
        );
        let e = ImportError::new("cases.csv", "ogiltigt datum, väntade ÅÅÅÅ-MM-DD")
            .at_line(4)
            .in_column("opened")
            .with_value("2014-13-01");
        assert_eq!(
            e.to_string(),
            "cases.csv:4: opened: 2014-13-01: ogiltigt datum, väntade ÅÅÅÅ-MM-DD"
        );
        let e = ImportError::new("cases.csv", "fel antal fält").at_line(9);
        assert_eq!(e.to_string(), "cases.csv:9: fel antal fält");
    }

    #[test]
    fn values_are_shown_on_one_line() {
        let e = ImportError::new("f.csv", "m")
            .at_line(2)
            .in_column("c")
            .with_value("a\nb");
        assert_eq!(e.to_string(), "f.csv:2: c: a\\nb: m");
        let long = "x".repeat(100);
        let e = ImportError::new("f.csv", "m").with_value(long);
        assert_eq!(e.to_string(), format!("f.csv: {}…: m", "x".repeat(60)));
    }

    #[test]
    fn collector_caps_and_counts() {
        let mut c = Collector::default();
        for line in 0..205 {
            c.push(ImportError::new("f.csv", "m").at_line(line));
        }
        let all = c.finish();
        assert_eq!(all.0.len(), MAX_ERRORS + 1);
        assert_eq!(all.0[MAX_ERRORS].to_string(), "… och 5 fler fel");
        assert_eq!(all.to_string().lines().count(), MAX_ERRORS + 1);
    }
}
