use chrono::NaiveDate;
use import::{Cell, SourceFormat, parse_date, parse_number, read_table};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

fn workbook_bytes() -> Vec<u8> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Personeel").unwrap();
    let date = Format::new().set_num_format("dd-mm-yyyy");
    // A title in row 1, an empty row 2, the header in row 3, data from row 4.
    ws.write_string(0, 0, "Personeelsbestand").unwrap();
    for (c, h) in [
        "Personeelsnummer",
        "Afdeling",
        "Contracturen",
        "Geboortedatum",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string(2, c as u16, *h).unwrap();
    }
    ws.write_number(3, 0, 1001.0).unwrap();
    ws.write_string(3, 1, "Zon").unwrap();
    ws.write_number(3, 2, 24.5).unwrap();
    let born = ExcelDateTime::from_ymd(1970, 3, 1).unwrap();
    ws.write_datetime_with_format(3, 3, &born, &date).unwrap();
    ws.write_number(5, 0, 1002.0).unwrap();
    ws.write_string(5, 1, "Maan").unwrap();
    ws.write_string(5, 2, "3,5O").unwrap();
    ws.write_number(5, 3, 46349.0).unwrap();
    wb.save_to_buffer().unwrap()
}

#[test]
fn xlsx_rows_are_numbered_as_excel_shows_them() {
    let t = read_table(&workbook_bytes()).unwrap();
    assert_eq!(
        t.source,
        SourceFormat::Spreadsheet {
            sheet: "Personeel".into()
        }
    );
    assert_eq!(t.header_row, 3);
    assert_eq!(t.headers[2], "Contracturen");
    assert_eq!(t.rows.len(), 2);
    assert_eq!(t.rows[0].number, 4);
    assert_eq!(t.rows[1].number, 6);
    assert_eq!(t.rows[0].get(0), &Cell::Number(1001.0));
    assert_eq!(
        import::parse_text(t.rows[0].get(0)).as_deref(),
        Some("1001")
    );
    assert_eq!(parse_number(t.rows[0].get(2)).unwrap().to_string(), "24.5");
    assert_eq!(
        parse_date(t.rows[0].get(3)).unwrap(),
        NaiveDate::from_ymd_opt(1970, 3, 1).unwrap()
    );
    // A plain number in a date column is read as a serial date.
    assert_eq!(
        parse_date(t.rows[1].get(3)).unwrap(),
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
    );
    let e = parse_number(t.rows[1].get(2)).unwrap_err();
    assert_eq!(
        e.to_diagnostic(t.rows[1].number, "contracturen")
            .to_string(),
        "rij 6: contracturen '3,5O' is geen getal. Gebruik alleen cijfers en één komma, bijvoorbeeld 24,5 of 1.234,56"
    );
}

#[test]
fn named_sheet_and_missing_sheet() {
    let bytes = workbook_bytes();
    assert!(import::read_spreadsheet(&bytes, Some("Personeel")).is_ok());
    assert_eq!(
        import::read_spreadsheet(&bytes, Some("Blad2")).unwrap_err(),
        import::ReadError::NoSuchSheet("Blad2".into())
    );
}
