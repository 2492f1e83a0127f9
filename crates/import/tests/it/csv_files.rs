use import::{Cell, SourceFormat, TextEncoding, read_table};

#[test]
fn semicolon_csv_with_bom_keeps_excel_row_numbers() {
    let mut bytes = vec![0xEF, 0xBB, 0xBF];
    bytes.extend_from_slice(
        "Personeelsnummer;Afdeling;Contracturen\n1001;Zon;24,5\n\n1002;\"Maan; west\";36\n1003;Ster;\"3,5O\"\n"
            .as_bytes(),
    );
    let t = read_table(&bytes).unwrap();
    assert_eq!(
        t.headers,
        vec!["Personeelsnummer", "Afdeling", "Contracturen"]
    );
    assert_eq!(t.header_row, 1);
    assert_eq!(
        t.source,
        SourceFormat::Csv {
            delimiter: ';',
            encoding: TextEncoding::Utf8Bom
        }
    );
    let numbers: Vec<u32> = t.rows.iter().map(|r| r.number).collect();
    // The blank line is row 3 in Excel: skipped, but counted.
    assert_eq!(numbers, vec![2, 4, 5]);
    assert_eq!(t.rows[1].get(1), &Cell::Text("Maan; west".into()));
    assert_eq!(t.rows[2].get(5), &Cell::Empty);
}

#[test]
fn lone_carriage_returns_end_rows_as_in_excel() {
    // Old Mac exports end lines with a lone CR; mixed with CRLF and LF, every line break
    // counts once, and the blank line (row 3) is skipped but counted.
    let t = read_table(b"nr;team\r1;Zon\r\r2;Maan\r\n3;Ster\n4;\"twee\rregels\"\r5;Dal").unwrap();
    assert_eq!(t.header_row, 1);
    let numbers: Vec<u32> = t.rows.iter().map(|r| r.number).collect();
    assert_eq!(numbers, vec![2, 4, 5, 6, 7]);
    assert_eq!(t.rows[3].get(1), &Cell::Text("twee\rregels".into()));
}

#[test]
fn comma_csv_in_windows_1252_with_a_title_line_and_multiline_cell() {
    let mut bytes = b"Export HRM 23-11-2026\n".to_vec();
    bytes.extend_from_slice(b"nr,team,opmerking\n1,Caf\xe9,\"twee\nregels\"\n2,Zon,x,extra\n");
    let t = read_table(&bytes).unwrap();
    assert_eq!(t.header_row, 2);
    assert_eq!(t.headers, vec!["nr", "team", "opmerking"]);
    assert_eq!(t.rows[0].number, 3);
    assert_eq!(t.rows[0].get(1), &Cell::Text("Café".into()));
    // The multi-line cell is one Excel row, so the next record is row 4.
    assert_eq!(t.rows[1].number, 4);
    assert_eq!(t.rows[1].cells.len(), 3);
    assert_eq!(t.notes.len(), 2, "{:?}", t.notes);
    assert_eq!(
        t.notes[1].to_string(),
        "rij 4: let op: rij 4 heeft meer waarden dan er kolomnamen zijn; de extra waarden zijn genegeerd. Geef elke kolom een naam in de rij met kolomnamen"
    );
}

#[test]
fn empty_header_cells_get_column_letters() {
    let t = read_table(b"a;;c\n1;2;3\n").unwrap();
    assert_eq!(t.headers, vec!["a", "kolom B", "c"]);
}

#[test]
fn bad_files_give_dutch_errors() {
    let e = read_table(b"").unwrap_err();
    assert_eq!(
        e.to_diagnostic().to_string(),
        "bestand: het bestand is leeg. Zet in de eerste rij de kolomnamen en daaronder één rij per medewerker"
    );
    let e = read_table(b" \n\n ").unwrap_err();
    assert_eq!(e, import::ReadError::Empty);
    let e = read_table(&[0x00, 0x01, 0x02, 0x03, b'a']).unwrap_err();
    assert_eq!(e, import::ReadError::NotATable);
    let e = read_table(b"PK\x03\x04 not really a zip").unwrap_err();
    assert!(matches!(e, import::ReadError::Spreadsheet(_)));
    assert_eq!(e.message_nl(), "het Excel-bestand kan niet worden geopend");
}
