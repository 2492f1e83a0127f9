//! One problem in an input file, said in Dutch, with where it is and how to fix it.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Whether a problem stops the row (error) or is only worth telling (warning).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Warning,
    Error,
}

/// A problem found in an input file.
///
/// `row` is the row number as the user sees it in Excel (header = row 1 when it is the
/// first line); `None` for problems with the whole file. `field` is the Dutch label of
/// the field (or the column header), `value` the cell as the user typed it.
/// `message_nl` is a complete Dutch sentence without the row prefix; `Display` adds
/// "rij N: " and the fix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    pub row: Option<u32>,
    pub field: Option<String>,
    pub value: Option<String>,
    pub severity: Severity,
    pub message_nl: String,
    pub fix_nl: Option<String>,
}

impl Diagnostic {
    /// An error in one cell.
    pub fn error(row: u32, field: &str, value: &str, message_nl: impl Into<String>) -> Self {
        Self {
            row: Some(row),
            field: Some(field.to_owned()),
            value: Some(value.to_owned()),
            severity: Severity::Error,
            message_nl: message_nl.into(),
            fix_nl: None,
        }
    }

    /// A problem with the file as a whole (no row).
    pub fn file(message_nl: impl Into<String>) -> Self {
        Self {
            row: None,
            field: None,
            value: None,
            severity: Severity::Error,
            message_nl: message_nl.into(),
            fix_nl: None,
        }
    }

    /// Set the Dutch advice on how to fix it.
    #[must_use]
    pub fn with_fix(mut self, fix_nl: impl Into<String>) -> Self {
        self.fix_nl = Some(fix_nl.into());
        self
    }

    /// Turn it into a warning.
    #[must_use]
    pub fn warning(mut self) -> Self {
        self.severity = Severity::Warning;
        self
    }

    /// Set the row.
    #[must_use]
    pub fn at_row(mut self, row: u32) -> Self {
        self.row = Some(row);
        self
    }

    /// Set the field label.
    #[must_use]
    pub fn for_field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.row {
            Some(row) => write!(f, "rij {row}: ")?,
            None => write!(f, "bestand: ")?,
        }
        if self.severity == Severity::Warning {
            write!(f, "let op: ")?;
        }
        write!(f, "{}", self.message_nl)?;
        if let Some(fix) = &self.fix_nl {
            write!(f, ". {fix}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_reads_like_a_sentence() {
        let d = Diagnostic::error(
            14,
            "contracturen",
            "3,5O",
            "contracturen '3,5O' is geen getal",
        )
        .with_fix("Gebruik alleen cijfers en één komma, bijvoorbeeld 24,5");
        assert_eq!(
            d.to_string(),
            "rij 14: contracturen '3,5O' is geen getal. Gebruik alleen cijfers en één komma, bijvoorbeeld 24,5"
        );
        assert_eq!(
            Diagnostic::file("het bestand is leeg")
                .warning()
                .to_string(),
            "bestand: let op: het bestand is leeg"
        );
    }
}
