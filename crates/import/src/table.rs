//! The table read from a file.

use crate::decode::TextEncoding;
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

/// One cell. CSV cells are always `Text` (or `Empty`); spreadsheet cells keep their type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    Bool(bool),
    /// A date or date-time cell of a spreadsheet (time-only cells have date 1899-12-30).
    DateTime(NaiveDateTime),
    /// A spreadsheet error value such as `#N/A`.
    Error(String),
}

impl Cell {
    /// True for `Empty` and for text that is only whitespace.
    pub fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(s) => s.trim().is_empty(),
            _ => false,
        }
    }

    /// The cell as the user would read it (Dutch number and date formats), for messages.
    pub fn display(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(s) => s.clone(),
            Cell::Number(n) => crate::parse::format_f64_nl(*n),
            Cell::Bool(true) => "WAAR".to_owned(),
            Cell::Bool(false) => "ONWAAR".to_owned(),
            Cell::DateTime(dt) => {
                if dt.time() == chrono::NaiveTime::MIN {
                    dt.format("%d-%m-%Y").to_string()
                } else if dt.date() == crate::parse::excel_epoch() {
                    dt.format("%H:%M").to_string()
                } else {
                    dt.format("%d-%m-%Y %H:%M").to_string()
                }
            }
            Cell::Error(e) => e.clone(),
        }
    }
}

/// One data row with its spreadsheet row number.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Row {
    /// 1-based row number as Excel shows it.
    pub number: u32,
    pub cells: Vec<Cell>,
}

static EMPTY: Cell = Cell::Empty;

impl Row {
    /// The cell in column `col` (0-based); `Empty` past the end of a short row.
    pub fn get(&self, col: usize) -> &Cell {
        self.cells.get(col).unwrap_or(&EMPTY)
    }
}

/// Where a table came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "format", rename_all = "snake_case")]
pub enum SourceFormat {
    Csv {
        delimiter: char,
        encoding: TextEncoding,
    },
    Spreadsheet {
        sheet: String,
    },
}

/// A table: one header row and the data rows below it (rows that are wholly empty are
/// left out; their numbers are skipped, so numbers still match the spreadsheet).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Table {
    /// Header texts, trimmed; an empty header becomes "kolom C" (its column letter).
    pub headers: Vec<String>,
    /// Row number of the header row.
    pub header_row: u32,
    pub rows: Vec<Row>,
    pub source: SourceFormat,
    /// Warnings about the file's structure (rows longer than the header, skipped title
    /// lines). Never errors: a file that cannot be read gives a `ReadError`.
    pub notes: Vec<crate::Diagnostic>,
}

impl Table {
    /// The values of one column, with their row numbers.
    pub fn column(&self, col: usize) -> impl Iterator<Item = (u32, &Cell)> {
        self.rows.iter().map(move |r| (r.number, r.get(col)))
    }

    /// Index of the first header equal to `name` after normalisation.
    pub fn find_header(&self, name: &str) -> Option<usize> {
        let want = crate::normalise_header(name);
        self.headers
            .iter()
            .position(|h| crate::normalise_header(h) == want)
    }
}

/// Spreadsheet column letters for a 0-based index: 0 → "A", 25 → "Z", 26 → "AA".
pub fn column_letter(mut index: usize) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (index % 26) as u8);
        if index < 26 {
            break;
        }
        index = index / 26 - 1;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(27), "AB");
        assert_eq!(column_letter(701), "ZZ");
        assert_eq!(column_letter(702), "AAA");
    }
}
