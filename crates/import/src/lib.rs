//! Tabular input for Urenwinst: CSV or spreadsheet bytes in, a [`Table`] of cells out,
//! with the row numbers a user sees in Excel (the header is row 1 when it is the first
//! line), Dutch-friendly value parsers and [`Diagnostic`]s that say in Dutch what is
//! wrong and how to fix it.
//!
//! Architecture invariant: this crate parses bytes. It does not read files, does not know
//! a database or HTTP, and does not know what an HR extract is; the domain crates (`hr`,
//! `roster`) give meaning to columns.

mod decode;
mod diagnostic;
mod header;
mod limits;
mod parse;
mod read;
mod table;

pub use decode::{TextEncoding, decode_text};
pub use diagnostic::{Diagnostic, Severity};
pub use header::{
    Candidate, ColumnChoice, FieldSpec, MappingProposal, header_score, normalise_header,
    propose_mapping,
};
pub use limits::{LimitKind, Limits};
pub use parse::{
    DateOptions, NumberStyle, ParseError, ParseErrorKind, infer_number_style, parse_date,
    parse_date_str, parse_date_with, parse_minutes_of_day, parse_minutes_of_day_str, parse_number,
    parse_number_cell, parse_number_str, parse_number_with, parse_text, parse_time, parse_time_str,
};
pub use read::{
    ReadError, read_csv, read_csv_with, read_spreadsheet, read_spreadsheet_with, read_table,
    read_table_with,
};
pub use table::{Cell, Row, SourceFormat, Table, column_letter};
