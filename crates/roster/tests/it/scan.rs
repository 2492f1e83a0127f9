use roster::scan::{
    FileKind, ScanError, ScanOptions, pseudonym, read_contracts, read_export, scan, summary,
};

const KEY: &[u8] = b"test-sleutel";

fn example() -> roster::scan::Export {
    let bytes = include_bytes!("../data/rooster-voorbeeld.csv");
    read_export(bytes, FileKind::Csv, KEY).expect("example reads")
}

#[test]
fn example_roster_is_read_and_pseudonymised() {
    let ex = example();
    assert_eq!(ex.shifts.len(), 65);
    assert!(
        ex.shifts
            .iter()
            .all(|s| s.employee.starts_with("mw-") && s.employee.len() == 15)
    );
    assert!(!ex.shifts.iter().any(|s| s.employee.contains("1001")));
    assert_eq!(ex.contract_hours.get(&pseudonym(KEY, "2001")), Some(&36.0));
    // The flex worker has no contract hours.
    assert_eq!(ex.contract_hours.get(&pseudonym(KEY, "9001")), None);
    // Same number, same key, same pseudonym; another key, another pseudonym.
    assert_eq!(pseudonym(KEY, "1001"), pseudonym(KEY, " 1001 "));
    assert_ne!(pseudonym(KEY, "1001"), pseudonym(b"andere sleutel", "1001"));
}

#[test]
fn scan_of_the_example_roster() {
    let r = scan(&example(), &ScanOptions::default());
    assert_eq!(r.weeks, 2.0);
    let names: Vec<&str> = r.teams.iter().map(|t| t.team.as_str()).collect();
    assert_eq!(names, ["De Linde", "Sint Jozef"]);
    let linde = &r.teams[0];
    assert_eq!((linde.employees, linde.shifts), (2, 16));
    // 2001: 10 × 8 h = 80 h on 2 × 36 h; 2002: 6 × 4 h = 24 h on 2 × 12 h.
    assert_eq!(linde.scheduled_hours, 104.0);
    assert_eq!(linde.contract_hours, 96.0);
    assert_eq!(linde.extra_hours, 8.0);
    assert_eq!(linde.structural_extra_employees, 1);
    assert_eq!(linde.short_shifts, 6);
    assert_eq!(linde.split_shifts, 0);
    assert_eq!(linde.opkomstmomenten, 16);
    assert!(linde.atw_breaches.is_empty(), "{:?}", linde.atw_breaches);

    let jozef = &r.teams[1];
    assert_eq!((jozef.employees, jozef.shifts), (6, 49));
    // 1002 has five split days (two rows each) and one single shift.
    assert_eq!(jozef.split_shifts, 5);
    let p1002 = jozef
        .per_employee
        .iter()
        .find(|e| e.employee == pseudonym(KEY, "1002"))
        .unwrap();
    assert_eq!(p1002.opkomstmomenten, 11);
    // 10 + 11 + 7 + 9 + 5 + 7 arrivals.
    assert_eq!(jozef.opkomstmomenten, 49);
    // Short (< 6 h): 1001 six early 4,5 h shifts, 1002 ten split parts and one early,
    // 1005 four early shifts.
    assert_eq!(jozef.short_shifts, 21);
    assert_eq!(jozef.mix.night, 7);
    let breaches: Vec<(String, String, String)> = jozef
        .atw_breaches
        .iter()
        .map(|b| {
            (
                b.rule.clone(),
                b.employee.clone(),
                b.date.format("%d-%m-%Y").to_string(),
            )
        })
        .collect();
    assert_eq!(
        breaches,
        vec![
            (
                "dagelijkse_rust_korter_dan_11_uur".to_string(),
                pseudonym(KEY, "1004"),
                "06-11-2026".to_string()
            ),
            (
                "dienst_langer_dan_12_uur".to_string(),
                pseudonym(KEY, "1005"),
                "07-11-2026".to_string()
            ),
        ]
    );
    // Flex hours: 7 late shifts of 6,5 h.
    assert_eq!(jozef.hours_without_contract, 45.5);
    assert!(jozef.absorbable_contract_hours > 0.0);
    assert_eq!(jozef.staffing_curve.len(), 7);
    assert!(jozef.staffing_curve.iter().all(|r| r.len() == 24));
    let text = summary(&r);
    assert!(text.contains("Team Sint Jozef"), "{text}");
    assert!(text.contains("dagelijkse rust korter dan 11 uur"), "{text}");
    assert!(text.contains("06-11-2026"), "{text}");
}

#[test]
fn errors_name_row_and_field_in_dutch() {
    let bad = "Personeelsnummer;Team;Datum;Begintijd;Eindtijd\n1;A;02-11-2026;07:00;15:00\n2;A;31-02-2026;07:00;15:00\n";
    let e = read_export(bad.as_bytes(), FileKind::Csv, KEY).unwrap_err();
    assert_eq!(
        e.to_string(),
        "rij 3, veld 'datum': '31-02-2026' is geen datum (gebruik dd-mm-jjjj)"
    );
    let bad = "personeelsnr,afdeling,datum,van,tot\n1,A,02-11-2026,7.00,25:00\n";
    let e = read_export(bad.as_bytes(), FileKind::Csv, KEY).unwrap_err();
    assert!(
        matches!(&e, ScanError::Field { row: 2, field, .. } if field == "eindtijd"),
        "{e}"
    );
    let missing = "naam;datum\nx;02-11-2026\n";
    let e = read_export(missing.as_bytes(), FileKind::Csv, KEY).unwrap_err();
    assert!(
        e.to_string()
            .starts_with("kolom 'personeelsnummer' ontbreekt"),
        "{e}"
    );
}

#[test]
fn contracts_from_a_second_file() {
    let mut ex = read_export(
        b"Medewerker,Datum,Begintijd,Eindtijd\n77,02-11-2026,07:00,15:00\n",
        FileKind::Csv,
        KEY,
    )
    .unwrap();
    read_contracts(
        &mut ex,
        b"Personeelsnummer;Contracturen\n77;24,5\n",
        FileKind::Csv,
        KEY,
    )
    .unwrap();
    assert_eq!(ex.contract_hours.get(&pseudonym(KEY, "77")), Some(&24.5));
}

#[test]
fn dutch_number_format() {
    assert_eq!(roster::scan::nl_num(1234.56, 2), "1.234,56");
    assert_eq!(roster::scan::nl_num(12.0, 0), "12");
    assert_eq!(roster::scan::nl_num(-0.04, 1), "0,0");
    assert_eq!(roster::scan::nl_num(1_234_567.0, 1), "1.234.567,0");
}

#[test]
fn xlsx_with_date_and_time_cells_is_read() {
    // Made with openpyxl: real Excel date and time cells in the first two rows, text in
    // the third (see tests/data/README.md).
    let bytes = include_bytes!("../data/rooster-klein.xlsx");
    let ex = read_export(bytes, FileKind::Xlsx, KEY).expect("xlsx reads");
    assert_eq!(ex.shifts.len(), 3);
    let night = &ex.shifts[1];
    assert_eq!(night.date.format("%d-%m-%Y").to_string(), "03-11-2026");
    assert_eq!(night.start.format("%H:%M").to_string(), "22:45");
    // Ends the next morning.
    assert_eq!(
        night.end.format("%d-%m-%Y %H:%M").to_string(),
        "04-11-2026 07:15"
    );
    assert_eq!(night.worked_minutes(), 480);
    assert_eq!(ex.shifts[2].employee, pseudonym(KEY, "1002"));
    assert_eq!(ex.contract_hours.get(&pseudonym(KEY, "1002")), Some(&16.5));
    assert_eq!(ex.contract_hours.get(&pseudonym(KEY, "1001")), Some(&24.0));
}

/// Issue 34: overlapping shifts of one employee are reported with their rows, not merged
/// (merging counted the overlapping hours twice); touching shifts are fine.
#[test]
fn overlapping_shifts_are_reported_not_merged() {
    let file = "Personeelsnummer;Team;Datum;Begintijd;Eindtijd\n\
                1;A;02-11-2026;07:00;15:00\n\
                1;A;02-11-2026;15:00;23:00\n\
                2;A;02-11-2026;07:00;15:00\n\
                1;A;02-11-2026;14:00;16:00\n\
                2;A;03-11-2026;07:00;15:00\n\
                2;A;03-11-2026;07:00;15:00\n";
    let e = read_export(file.as_bytes(), FileKind::Csv, KEY).unwrap_err();
    let ScanError::Overlaps(list) = &e else {
        panic!("not reported as overlaps: {e}");
    };
    let rows: Vec<(usize, usize)> = list.iter().map(|o| (o.first_row, o.second_row)).collect();
    assert_eq!(rows, vec![(2, 5), (3, 5), (6, 7)], "{e}");
    let text = e.to_string();
    assert!(
        text.starts_with("3 keer overlappen twee diensten"),
        "{text}"
    );
    assert!(
        text.contains("rij 2 en rij 5 (02-11-2026 14:00–15:00)"),
        "{text}"
    );
    let touching = "Personeelsnummer;Datum;Begintijd;Eindtijd\n1;02-11-2026;07:00;15:00\n1;02-11-2026;15:00;23:00\n1;02-11-2026;23:00;07:00\n";
    assert_eq!(
        read_export(touching.as_bytes(), FileKind::Csv, KEY)
            .unwrap()
            .shifts
            .len(),
        3
    );
}

/// Issue 34: dates must be plausible: years 2000–2099 and a period of at most 400 days.
#[test]
fn implausible_dates_are_refused() {
    let old = "Personeelsnummer;Datum;Begintijd;Eindtijd\n1;02-11-1926;07:00;15:00\n";
    let e = read_export(old.as_bytes(), FileKind::Csv, KEY).unwrap_err();
    assert_eq!(
        e.to_string(),
        "rij 2, veld 'datum': 02-11-1926 ligt niet tussen 2000 en 2099; controleer het jaartal"
    );
    let long = "Personeelsnummer;Datum;Begintijd;Eindtijd\n1;02-11-2024;07:00;15:00\n1;02-11-2026;07:00;15:00\n";
    let e = read_export(long.as_bytes(), FileKind::Csv, KEY).unwrap_err();
    assert!(matches!(e, ScanError::Period(..)), "{e}");
    assert!(e.to_string().contains("meer dan 400 dagen"), "{e}");
}
