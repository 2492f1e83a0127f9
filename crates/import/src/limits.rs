//! Resource limits for reading a file: how large it may be once unpacked, and how many
//! rows, columns and cells it may hold. A file over a limit is refused with a Dutch message
//! before it can take the server's memory or time (issue 34: a 50,000-column CSV froze the
//! server, a 3.5 MB XLSX unpacked to 430 MB of sheet XML).

/// The limits one read is held to. [`Limits::default`] is what every upload gets; the
/// largest accepted HR file (100,000 employees with a few dozen columns) fits well inside.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Bytes of text (CSV) or of all unpacked parts together (XLSX, ODS).
    pub max_uncompressed_bytes: u64,
    /// Data rows below the header.
    pub max_rows: usize,
    /// Columns in any row.
    pub max_columns: usize,
    /// Filled cells in the whole table.
    pub max_cells: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_uncompressed_bytes: 200 * 1024 * 1024,
            max_rows: 200_000,
            max_columns: 1_000,
            max_cells: 5_000_000,
        }
    }
}

/// Which limit a file went over; the payload is the limit itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LimitKind {
    UncompressedBytes(u64),
    Rows(usize),
    Columns(usize),
    Cells(usize),
}

impl LimitKind {
    /// A Dutch sentence naming the limit.
    pub fn message_nl(&self) -> String {
        match *self {
            LimitKind::UncompressedBytes(max) => format!(
                "het bestand is uitgepakt groter dan de grens van {} MB",
                report::nl::integer((max / (1024 * 1024)) as i64)
            ),
            LimitKind::Rows(max) => format!(
                "het bestand heeft meer rijen dan de grens van {}",
                report::nl::integer(max as i64)
            ),
            LimitKind::Columns(max) => format!(
                "het bestand heeft meer kolommen dan de grens van {}",
                report::nl::integer(max as i64)
            ),
            LimitKind::Cells(max) => format!(
                "het bestand heeft meer gevulde cellen dan de grens van {}",
                report::nl::integer(max as i64)
            ),
        }
    }

    /// What the user can do about it.
    pub fn fix_nl(&self) -> &'static str {
        match self {
            LimitKind::UncompressedBytes(_) | LimitKind::Cells(_) => {
                "Laat kolommen en bladen weg die niet nodig zijn, of splits het bestand in delen"
            }
            LimitKind::Rows(_) => "Splits het bestand in delen, bijvoorbeeld per locatie",
            LimitKind::Columns(_) => {
                "Laat alleen de kolommen staan die nodig zijn; controleer of het scheidingsteken klopt"
            }
        }
    }
}

/// Counts rows, columns and cells as a reader goes, and stops at the first limit passed.
#[derive(Debug)]
pub(crate) struct Meter {
    limits: Limits,
    rows: usize,
    cells: usize,
}

impl Meter {
    pub(crate) fn new(limits: Limits) -> Self {
        Meter {
            limits,
            rows: 0,
            cells: 0,
        }
    }

    /// One more row of `width` cells, `filled` of them with a value. The header counts as
    /// a row too, so the row limit leaves one row of room for it.
    pub(crate) fn row(&mut self, width: usize, filled: usize) -> Result<(), LimitKind> {
        self.column(width.saturating_sub(1))?;
        self.rows += 1;
        if self.rows > self.limits.max_rows.saturating_add(1) {
            return Err(LimitKind::Rows(self.limits.max_rows));
        }
        self.cells = self.cells.saturating_add(filled);
        if self.cells > self.limits.max_cells {
            return Err(LimitKind::Cells(self.limits.max_cells));
        }
        Ok(())
    }

    /// A cell at zero-based column `index`.
    pub(crate) fn column(&self, index: usize) -> Result<(), LimitKind> {
        if index >= self.limits.max_columns {
            return Err(LimitKind::Columns(self.limits.max_columns));
        }
        Ok(())
    }

    /// A cell at zero-based row `index` (counting from the sheet's top).
    #[cfg_attr(not(feature = "xlsx"), allow(dead_code))]
    pub(crate) fn row_index(&self, index: usize) -> Result<(), LimitKind> {
        // Leading empty rows and a header may sit above the data; allow a little room.
        if index > self.limits.max_rows.saturating_add(1000) {
            return Err(LimitKind::Rows(self.limits.max_rows));
        }
        Ok(())
    }

    #[cfg_attr(not(feature = "xlsx"), allow(dead_code))]
    pub(crate) fn limits(&self) -> Limits {
        self.limits
    }
}

/// Checks a zip archive (XLSX, ODS) before it is opened: the sizes its directory declares,
/// and then the sizes its parts really unpack to, read in a streaming way so that a
/// "zip bomb" costs at most the limit in time and nothing in memory.
#[cfg(feature = "xlsx")]
pub(crate) fn check_zip(bytes: &[u8], limits: &Limits) -> Result<(), ZipProblem> {
    use std::io::Read;
    let max = limits.max_uncompressed_bytes;
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| ZipProblem::Broken(e.to_string()))?;
    let mut declared: u64 = 0;
    for i in 0..archive.len() {
        let entry = archive
            .by_index_raw(i)
            .map_err(|e| ZipProblem::Broken(e.to_string()))?;
        declared = declared.saturating_add(entry.size());
    }
    if declared > max {
        return Err(ZipProblem::TooLarge);
    }
    let mut actual: u64 = 0;
    let mut sink = vec![0u8; 64 * 1024];
    for i in 0..archive.len() {
        let mut entry = archive
            .by_index(i)
            .map_err(|e| ZipProblem::Broken(e.to_string()))?;
        loop {
            let n = entry
                .read(&mut sink)
                .map_err(|e| ZipProblem::Broken(e.to_string()))?;
            if n == 0 {
                break;
            }
            actual += n as u64;
            if actual > max {
                return Err(ZipProblem::TooLarge);
            }
        }
    }
    Ok(())
}

#[cfg(feature = "xlsx")]
#[derive(Debug)]
pub(crate) enum ZipProblem {
    TooLarge,
    Broken(String),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_meter_stops_at_each_limit() {
        let limits = Limits {
            max_uncompressed_bytes: 1000,
            max_rows: 2,
            max_columns: 3,
            max_cells: 7,
        };
        let mut m = Meter::new(limits);
        assert_eq!(m.row(4, 1), Err(LimitKind::Columns(3)));
        let mut m = Meter::new(limits);
        m.row(3, 3).unwrap(); // header
        m.row(3, 3).unwrap();
        assert_eq!(m.row(3, 3), Err(LimitKind::Cells(7)));
        let mut m = Meter::new(limits);
        for _ in 0..3 {
            m.row(1, 1).unwrap();
        }
        assert_eq!(m.row(1, 1), Err(LimitKind::Rows(2)));
    }

    #[test]
    fn messages_are_dutch_and_name_the_limit() {
        assert_eq!(
            LimitKind::Columns(1000).message_nl(),
            "het bestand heeft meer kolommen dan de grens van 1.000"
        );
        assert!(
            LimitKind::UncompressedBytes(200 * 1024 * 1024)
                .message_nl()
                .contains("200 MB")
        );
    }
}
