//! Reading CSV and spreadsheet bytes into a [`Table`].

use crate::decode::decode_text;
use crate::diagnostic::Diagnostic;
use crate::limits::{LimitKind, Limits, Meter};
use crate::table::{Cell, Row, SourceFormat, Table, column_letter};
#[cfg(feature = "xlsx")]
use calamine::{Data, Reader};
#[cfg(feature = "xlsx")]
use std::io::Cursor;

/// Why a file could not be read at all. Every variant has a Dutch message
/// ([`ReadError::message_nl`]) and can become a [`Diagnostic`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    #[error("the file is empty")]
    Empty,
    #[error("the file has no header row")]
    NoHeader,
    #[error("the spreadsheet could not be opened: {0}")]
    Spreadsheet(String),
    #[error("the spreadsheet has no sheet named {0:?}")]
    NoSuchSheet(String),
    #[error("the file looks binary, not like a table")]
    NotATable,
    #[error("CSV error near row {row}: {message}")]
    Csv { row: u32, message: String },
    #[error("the file is over a limit: {0:?}")]
    TooLarge(LimitKind),
}

impl From<LimitKind> for ReadError {
    fn from(kind: LimitKind) -> Self {
        ReadError::TooLarge(kind)
    }
}

impl ReadError {
    /// A Dutch sentence for the user.
    pub fn message_nl(&self) -> String {
        match self {
            ReadError::Empty => "het bestand is leeg".to_owned(),
            ReadError::NoHeader => "het bestand heeft geen rij met kolomnamen".to_owned(),
            ReadError::Spreadsheet(_) => "het Excel-bestand kan niet worden geopend".to_owned(),
            ReadError::NoSuchSheet(s) => format!("het Excel-bestand heeft geen blad '{s}'"),
            ReadError::NotATable => {
                "het bestand is geen CSV- of Excel-bestand met een tabel".to_owned()
            }
            ReadError::Csv { row, .. } => format!("het CSV-bestand is kapot bij rij {row}"),
            ReadError::TooLarge(kind) => kind.message_nl(),
        }
    }

    /// As a file-level diagnostic with advice.
    pub fn to_diagnostic(&self) -> Diagnostic {
        let fix = match self {
            ReadError::Empty | ReadError::NoHeader => {
                "Zet in de eerste rij de kolomnamen en daaronder één rij per medewerker"
            }
            ReadError::Spreadsheet(_) | ReadError::NotATable => {
                "Sla het bestand op als .xlsx of als CSV (puntkomma of komma) en probeer het opnieuw"
            }
            ReadError::NoSuchSheet(_) => "Kies een blad dat in het bestand staat",
            ReadError::Csv { .. } => {
                "Controleer de aanhalingstekens in die rij, of sla het bestand opnieuw op als CSV"
            }
            ReadError::TooLarge(kind) => kind.fix_nl(),
        };
        let d = Diagnostic::file(self.message_nl()).with_fix(fix);
        match self {
            ReadError::Csv { row, .. } => d.at_row(*row),
            _ => d,
        }
    }
}

/// Read CSV or a spreadsheet (xlsx, xlsm, xls, xlsb, ods), decided by the bytes: zip
/// (`PK\x03\x04`) and OLE (`D0 CF 11 E0`) files are spreadsheets, the rest is CSV.
/// Spreadsheets are read from their first sheet.
/// Held to [`Limits::default`]; [`read_table_with`] takes other limits.
pub fn read_table(bytes: &[u8]) -> Result<Table, ReadError> {
    read_table_with(bytes, &Limits::default())
}

/// [`read_table`] with the given limits.
pub fn read_table_with(bytes: &[u8], limits: &Limits) -> Result<Table, ReadError> {
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        read_spreadsheet_with(bytes, None, limits)
    } else {
        read_csv_with(bytes, limits)
    }
}

/// Read CSV bytes. The delimiter (`;`, `,` or tab) is the one that occurs most, outside
/// quotes, in the first lines; a tie goes to `;` (Dutch Excel's default). Held to
/// [`Limits::default`].
pub fn read_csv(bytes: &[u8]) -> Result<Table, ReadError> {
    read_csv_with(bytes, &Limits::default())
}

/// [`read_csv`] with the given limits: the text size is checked before parsing, rows,
/// columns and cells while parsing, so a file over a limit stops at the first record that
/// passes it.
pub fn read_csv_with(bytes: &[u8], limits: &Limits) -> Result<Table, ReadError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(ReadError::Empty);
    }
    // Decoding never shrinks below a third (UTF-16 to UTF-8 at worst grows by half).
    if bytes.len() as u64 > limits.max_uncompressed_bytes {
        return Err(LimitKind::UncompressedBytes(limits.max_uncompressed_bytes).into());
    }
    let mut meter = Meter::new(*limits);
    let (text, encoding) = decode_text(bytes);
    // A table has no NUL or other control characters besides tab/CR/LF.
    let controls = text
        .chars()
        .take(4096)
        .filter(|c| c.is_control() && !matches!(c, '\t' | '\r' | '\n'))
        .count();
    if controls > 0 {
        return Err(ReadError::NotATable);
    }
    let delimiter = detect_delimiter(&text);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut raw: Vec<(u32, Vec<Cell>)> = Vec::new();
    // Excel shows one row per record and per blank line; a record with a line break
    // inside a quoted cell is still one row. So: row = line of the record's first
    // character minus the line breaks inside earlier records.
    let bytes = text.as_bytes();
    let mut scanned = 0usize;
    let mut newlines_before = 0u64;
    let mut embedded_newlines: u64 = 0;
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                let mut start = record.position().map_or(0, |p| p.byte() as usize);
                while start < bytes.len() && matches!(bytes[start], b'\r' | b'\n') {
                    start += 1;
                }
                let start = start.max(scanned).min(bytes.len());
                newlines_before += line_breaks(&bytes[scanned..start]);
                scanned = start;
                let line = newlines_before + 1;
                let row = u32::try_from(line.saturating_sub(embedded_newlines)).unwrap_or(u32::MAX);
                meter.row(
                    record.len(),
                    record.iter().filter(|f| !f.trim().is_empty()).count(),
                )?;
                embedded_newlines += record
                    .iter()
                    .map(|f| line_breaks(f.as_bytes()))
                    .sum::<u64>();
                let cells = record
                    .iter()
                    .map(|f| {
                        if f.trim().is_empty() {
                            Cell::Empty
                        } else {
                            Cell::Text(f.to_owned())
                        }
                    })
                    .collect();
                raw.push((row, cells));
            }
            Err(e) => {
                let row = e
                    .position()
                    .map_or(0, |p| p.line().saturating_sub(embedded_newlines))
                    as u32;
                return Err(ReadError::Csv {
                    row,
                    message: e.to_string(),
                });
            }
        }
    }
    build_table(
        raw,
        SourceFormat::Csv {
            delimiter: char::from(delimiter),
            encoding,
        },
    )
}

/// Line breaks in `bytes` as the CSV reader ends records on them: `\r\n`, `\n`, and a
/// lone `\r` (old Mac files), each counted once.
fn line_breaks(bytes: &[u8]) -> u64 {
    bytes
        .iter()
        .enumerate()
        .filter(|&(i, &b)| b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')))
        .count() as u64
}

fn detect_delimiter(text: &str) -> u8 {
    let mut counts = [0usize; 3]; // ; , \t
    let mut in_quotes = false;
    let mut lines = 0;
    for c in text.chars() {
        match c {
            '"' => in_quotes = !in_quotes,
            ';' if !in_quotes => counts[0] += 1,
            ',' if !in_quotes => counts[1] += 1,
            '\t' if !in_quotes => counts[2] += 1,
            '\n' if !in_quotes => {
                lines += 1;
                if lines >= 5 {
                    break;
                }
            }
            _ => {}
        }
    }
    let best = [(b';', counts[0]), (b',', counts[1]), (b'\t', counts[2])]
        .into_iter()
        .fold((b';', 0), |acc, x| if x.1 > acc.1 { x } else { acc });
    best.0
}

/// Without the `xlsx` feature no spreadsheet can be read: a clear refusal.
#[cfg(not(feature = "xlsx"))]
pub fn read_spreadsheet(_bytes: &[u8], _sheet: Option<&str>) -> Result<Table, ReadError> {
    read_spreadsheet_with(_bytes, _sheet, &Limits::default())
}

/// Without the `xlsx` feature no spreadsheet can be read: a clear refusal.
#[cfg(not(feature = "xlsx"))]
pub fn read_spreadsheet_with(
    _bytes: &[u8],
    _sheet: Option<&str>,
    _limits: &Limits,
) -> Result<Table, ReadError> {
    Err(ReadError::Spreadsheet(
        "built without spreadsheet support (feature xlsx of crate import)".into(),
    ))
}

/// Read a spreadsheet's sheet (`None`: the first sheet), held to [`Limits::default`].
#[cfg(feature = "xlsx")]
pub fn read_spreadsheet(bytes: &[u8], sheet: Option<&str>) -> Result<Table, ReadError> {
    read_spreadsheet_with(bytes, sheet, &Limits::default())
}

/// [`read_spreadsheet`] with the given limits. A zip-based file (XLSX, ODS) is first
/// unpacked into nothing to check its declared and actual sizes; an XLSX sheet is then
/// read cell by cell, so a cell far out ("XFD1048576") is refused before any grid of that
/// size is made.
#[cfg(feature = "xlsx")]
pub fn read_spreadsheet_with(
    bytes: &[u8],
    sheet: Option<&str>,
    limits: &Limits,
) -> Result<Table, ReadError> {
    if bytes.starts_with(b"PK\x03\x04") {
        crate::limits::check_zip(bytes, limits).map_err(|p| match p {
            crate::limits::ZipProblem::TooLarge => {
                ReadError::TooLarge(LimitKind::UncompressedBytes(limits.max_uncompressed_bytes))
            }
            crate::limits::ZipProblem::Broken(e) => ReadError::Spreadsheet(e),
        })?;
        if let Ok(mut book) = calamine::Xlsx::new(Cursor::new(bytes)) {
            let name = pick_sheet(book.sheet_names(), sheet)?;
            return read_xlsx_cells(&mut book, &name, limits);
        }
    }
    let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(bytes))
        .map_err(|e| ReadError::Spreadsheet(e.to_string()))?;
    let name = pick_sheet(book.sheet_names(), sheet)?;
    let range = book
        .worksheet_range(&name)
        .map_err(|e| ReadError::Spreadsheet(e.to_string()))?;
    let (first_row, first_col) = range.start().unwrap_or((0, 0));
    let lead = first_col as usize;
    let mut meter = Meter::new(*limits);
    let mut raw: Vec<(u32, Vec<Cell>)> = Vec::new();
    for (i, r) in range.rows().enumerate() {
        let mut cells = vec![Cell::Empty; lead];
        cells.extend(r.iter().map(cell_from_data));
        meter.row(cells.len(), cells.iter().filter(|c| !c.is_empty()).count())?;
        raw.push((first_row.saturating_add(i as u32).saturating_add(1), cells));
    }
    build_table(raw, SourceFormat::Spreadsheet { sheet: name })
}

#[cfg(feature = "xlsx")]
fn pick_sheet(names: Vec<String>, sheet: Option<&str>) -> Result<String, ReadError> {
    match sheet {
        Some(s) => names
            .iter()
            .find(|n| n.as_str() == s)
            .cloned()
            .ok_or_else(|| ReadError::NoSuchSheet(s.to_owned())),
        None => names.first().cloned().ok_or(ReadError::Empty),
    }
}

/// An XLSX sheet read cell by cell, each position checked against the limits first.
#[cfg(feature = "xlsx")]
fn read_xlsx_cells(
    book: &mut calamine::Xlsx<Cursor<&[u8]>>,
    name: &str,
    limits: &Limits,
) -> Result<Table, ReadError> {
    let meter = Meter::new(*limits);
    let mut reader = book
        .worksheet_cells_reader(name)
        .map_err(|e| ReadError::Spreadsheet(e.to_string()))?;
    let mut grid: std::collections::BTreeMap<u32, Vec<Cell>> = std::collections::BTreeMap::new();
    let mut filled = 0usize;
    while let Some(cell) = reader
        .next_cell()
        .map_err(|e| ReadError::Spreadsheet(e.to_string()))?
    {
        let (row, col) = cell.get_position();
        meter.row_index(row as usize)?;
        meter.column(col as usize)?;
        let value = cell_from_data(&Data::from(cell.get_value().clone()));
        if value.is_empty() {
            continue;
        }
        filled += 1;
        if filled > meter.limits().max_cells {
            return Err(LimitKind::Cells(meter.limits().max_cells).into());
        }
        let cells = grid.entry(row).or_default();
        let col = col as usize;
        if cells.len() <= col {
            cells.resize(col + 1, Cell::Empty);
        }
        cells[col] = value;
    }
    let mut meter = Meter::new(*limits);
    let mut raw: Vec<(u32, Vec<Cell>)> = Vec::with_capacity(grid.len());
    for (row, cells) in grid {
        meter.row(cells.len(), cells.iter().filter(|c| !c.is_empty()).count())?;
        raw.push((row.saturating_add(1), cells));
    }
    build_table(
        raw,
        SourceFormat::Spreadsheet {
            sheet: name.to_owned(),
        },
    )
}

#[cfg(feature = "xlsx")]
fn cell_from_data(d: &Data) -> Cell {
    match d {
        Data::Empty => Cell::Empty,
        Data::String(s) if s.trim().is_empty() => Cell::Empty,
        Data::String(s) => Cell::Text(s.clone()),
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(dt) => {
            if dt.is_duration() {
                Cell::Number(dt.as_f64())
            } else {
                match dt.as_datetime() {
                    Some(t) => Cell::DateTime(t),
                    None => Cell::Number(dt.as_f64()),
                }
            }
        }
        Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::Text(s.clone()),
        Data::Error(e) => Cell::Error(format!("{e}")),
    }
}

/// Pick the header row, name empty headers, drop wholly empty rows.
fn build_table(raw: Vec<(u32, Vec<Cell>)>, source: SourceFormat) -> Result<Table, ReadError> {
    let filled = |cells: &[Cell]| cells.iter().filter(|c| !c.is_empty()).count();
    let nonempty: Vec<usize> = raw
        .iter()
        .enumerate()
        .filter(|(_, (_, c))| filled(c) > 0)
        .map(|(i, _)| i)
        .take(20)
        .collect();
    if nonempty.is_empty() {
        return Err(ReadError::Empty);
    }
    // Header: the first of the first 20 non-empty rows that has at least two filled cells
    // and at least half as many as the fullest of them (skips title lines above it).
    let widest = nonempty
        .iter()
        .map(|&i| filled(&raw[i].1))
        .max()
        .unwrap_or(0);
    let header_idx = nonempty
        .iter()
        .copied()
        .find(|&i| {
            let n = filled(&raw[i].1);
            n >= widest.min(2) && n * 2 >= widest
        })
        .ok_or(ReadError::NoHeader)?;
    let mut notes = Vec::new();
    let skipped = nonempty.iter().filter(|&&i| i < header_idx).count();
    let header_row = raw[header_idx].0;
    let header_cells = &raw[header_idx].1;
    if skipped > 0 {
        notes.push(
            Diagnostic::file(format!(
                "de rijen boven rij {header_row} zijn overgeslagen; rij {header_row} is gelezen als de rij met kolomnamen"
            ))
            .warning(),
        );
    }
    // Trailing empty header cells are not columns.
    let width = header_cells
        .iter()
        .rposition(|c| !c.is_empty())
        .map_or(0, |p| p + 1);
    let headers: Vec<String> = header_cells[..width]
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let t = c.display();
            let t = t.trim();
            if t.is_empty() {
                format!("kolom {}", column_letter(i))
            } else {
                t.to_owned()
            }
        })
        .collect();
    let mut rows = Vec::with_capacity(raw.len().saturating_sub(header_idx + 1));
    for (number, mut cells) in raw.into_iter().skip(header_idx + 1) {
        if filled(&cells) == 0 {
            continue;
        }
        if cells.len() > width {
            if cells[width..].iter().any(|c| !c.is_empty()) {
                notes.push(
                    Diagnostic::file(format!(
                        "rij {number} heeft meer waarden dan er kolomnamen zijn; de extra waarden zijn genegeerd"
                    ))
                    .at_row(number)
                    .warning()
                    .with_fix("Geef elke kolom een naam in de rij met kolomnamen"),
                );
            }
            cells.truncate(width);
        }
        rows.push(Row { number, cells });
    }
    Ok(Table {
        headers,
        header_row,
        rows,
        source,
        notes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delimiter_detection() {
        assert_eq!(detect_delimiter("a;b;c\n1;2,5;3\n"), b';');
        assert_eq!(detect_delimiter("a,b,c\n1,2,3\n"), b',');
        assert_eq!(detect_delimiter("a\tb\n1\t2\n"), b'\t');
        assert_eq!(detect_delimiter("\"x,y\";b\n"), b';');
        assert_eq!(detect_delimiter("alleen\n"), b';');
    }
}
