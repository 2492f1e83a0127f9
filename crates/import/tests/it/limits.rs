//! Issue 34: files over a limit are refused early with a Dutch message, before they take
//! the server's memory or time.

use import::{LimitKind, Limits, ReadError, read_csv_with, read_spreadsheet_with, read_table};
use rust_xlsxwriter::Workbook;

#[test]
#[allow(clippy::disallowed_methods)] // the test measures the parse time; the crate reads no clock
fn a_csv_with_50000_columns_is_refused_quickly() {
    let header: Vec<String> = (0..50_000).map(|i| format!("vraag_{i}")).collect();
    let csv = format!("{}\n{}\n", header.join(";"), vec!["3"; 50_000].join(";"));
    let started = std::time::Instant::now();
    let err = read_table(csv.as_bytes()).unwrap_err();
    let took = started.elapsed();
    assert_eq!(err, ReadError::TooLarge(LimitKind::Columns(1000)));
    assert!(took.as_secs_f64() < 2.0, "took {took:?}");
    let d = err.to_diagnostic();
    assert_eq!(
        d.message_nl,
        "het bestand heeft meer kolommen dan de grens van 1.000"
    );
    assert!(d.fix_nl.unwrap().contains("scheidingsteken"));
}

#[test]
fn csv_rows_cells_and_size_are_limited() {
    let limits = Limits {
        max_uncompressed_bytes: 10_000,
        max_rows: 3,
        max_columns: 10,
        max_cells: 12,
    };
    let ok = "a;b;c\n1;2;3\n4;5;6\n7;8;9\n";
    assert_eq!(read_csv_with(ok.as_bytes(), &limits).unwrap().rows.len(), 3);
    let rows = format!("{ok}10;11;12\n");
    assert_eq!(
        read_csv_with(rows.as_bytes(), &limits).unwrap_err(),
        ReadError::TooLarge(LimitKind::Rows(3))
    );
    let cells = "a;b;c;d\n1;2;3;4\n5;6;7;8\n9;10;11;12\n";
    assert_eq!(
        read_csv_with(cells.as_bytes(), &limits).unwrap_err(),
        ReadError::TooLarge(LimitKind::Cells(12))
    );
    let big = format!("a;b\n{}", "1;2\n".repeat(3000));
    assert_eq!(
        read_csv_with(big.as_bytes(), &limits).unwrap_err(),
        ReadError::TooLarge(LimitKind::UncompressedBytes(10_000))
    );
}

/// A small XLSX whose sheet unpacks to megabytes ("zip bomb"): refused on its unpacked
/// size, counted while unpacking.
#[test]
fn an_xlsx_that_unpacks_too_far_is_refused() {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    for r in 0..40_000u32 {
        for c in 0..5u16 {
            ws.write_number(r, c, 1.0).unwrap();
        }
    }
    let bytes = wb.save_to_buffer().unwrap();
    let limits = Limits {
        max_uncompressed_bytes: 2 * 1024 * 1024,
        ..Limits::default()
    };
    assert!(bytes.len() < 1024 * 1024, "{} bytes packed", bytes.len());
    let err = read_spreadsheet_with(&bytes, None, &limits).unwrap_err();
    assert_eq!(
        err,
        ReadError::TooLarge(LimitKind::UncompressedBytes(2 * 1024 * 1024))
    );
    assert_eq!(
        err.message_nl(),
        "het bestand is uitgepakt groter dan de grens van 2 MB"
    );
    // Within the default limits the same file reads.
    assert_eq!(read_table(&bytes).unwrap().rows.len(), 39_999);
}

/// One cell at the sheet's far corner would make a grid of 17 billion cells: refused on
/// its position, before any grid is made.
#[test]
fn a_far_away_xlsx_cell_is_refused_without_a_grid() {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "a").unwrap();
    ws.write_string(0, 1, "b").unwrap();
    ws.write_string(1_048_575, 16_383, "ver weg").unwrap();
    let bytes = wb.save_to_buffer().unwrap();
    let err = read_table(&bytes).unwrap_err();
    assert!(
        matches!(
            err,
            ReadError::TooLarge(LimitKind::Rows(_) | LimitKind::Columns(_))
        ),
        "{err:?}"
    );
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "a").unwrap();
    ws.write_string(0, 5000, "b").unwrap();
    assert_eq!(
        read_table(&wb.save_to_buffer().unwrap()).unwrap_err(),
        ReadError::TooLarge(LimitKind::Columns(1000))
    );
}
