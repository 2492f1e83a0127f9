//! An extract as a spreadsheet: numbers, dates and text cells as Excel keeps them.

use crate::{date, key};
use hr::{ContractKind, HrField, ImportOptions, import_extract, propose_mapping};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

type Ymd = (u16, u8, u8);
/// Number, name, team, factor, birth date, start date, kind.
type Line = (f64, &'static str, &'static str, f64, Ymd, Ymd, &'static str);

fn workbook() -> Vec<u8> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let d = Format::new().set_num_format("dd-mm-yyyy");
    let headers = [
        "Medewerker ID",
        "Roepnaam",
        "Kostenplaats",
        "DTF",
        "Geboortedatum",
        "Datum in dienst",
        "Type contract",
    ];
    for (c, h) in headers.iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    let rows: [Line; 3] = [
        (
            501.0,
            "Anna",
            "Wijk Oost",
            0.6667,
            (1985, 5, 17),
            (2015, 3, 1),
            "Onbepaalde tijd",
        ),
        (
            502.0,
            "Bram",
            "Wijk Oost",
            0.8889,
            (1999, 12, 1),
            (2023, 9, 1),
            "Bepaalde tijd",
        ),
        (
            503.0,
            "Carla",
            "Wijk West",
            2.5,
            (1970, 1, 31),
            (2001, 1, 1),
            "Nuluren",
        ),
    ];
    for (i, (num, name, team, dtf, born, start, kind)) in rows.iter().enumerate() {
        let r = i as u32 + 1;
        ws.write_number(r, 0, *num).unwrap();
        ws.write_string(r, 1, *name).unwrap();
        ws.write_string(r, 2, *team).unwrap();
        ws.write_number(r, 3, *dtf).unwrap();
        let b = ExcelDateTime::from_ymd(born.0, born.1, born.2).unwrap();
        ws.write_datetime_with_format(r, 4, &b, &d).unwrap();
        let s = ExcelDateTime::from_ymd(start.0, start.1, start.2).unwrap();
        ws.write_datetime_with_format(r, 5, &s, &d).unwrap();
        ws.write_string(r, 6, *kind).unwrap();
    }
    wb.save_to_buffer().unwrap()
}

#[test]
fn spreadsheet_extract_with_a_part_time_factor() {
    let t = import::read_table(&workbook()).unwrap();
    let p = propose_mapping(&t);
    assert_eq!(p.name_columns, vec!["Roepnaam"]);
    assert_eq!(
        p.mapping
            .columns
            .get(&HrField::PartTimeFactor)
            .map(String::as_str),
        Some("DTF")
    );
    assert_eq!(
        p.mapping
            .columns
            .get(&HrField::EmployeeNumber)
            .map(String::as_str),
        Some("Medewerker ID")
    );
    let r = import_extract(
        &t,
        &p.mapping,
        &ImportOptions::new(date(2026, 11, 23)),
        &key(),
    );
    // 2,5 is not a factor: this column is not a percentage (all others are below 1,5),
    // so row 4 is refused.
    let errors: Vec<String> = r.errors().map(ToString::to_string).collect();
    assert_eq!(
        errors,
        vec![
            "rij 4: deeltijdfactor 2,5 ligt niet tussen 0 en 1,5. Vul de deeltijdfactor in als getal, bijvoorbeeld 0,8889 voor 32 uur bij 36 uur voltijd"
        ]
    );
    assert_eq!(r.employees.len(), 2);
    let e = &r.employees[0];
    assert_eq!(e.contract_hours.to_string(), "24.0012");
    assert_eq!(e.contract_kind, Some(ContractKind::Vast));
    assert_eq!(e.start_date, Some(date(2015, 3, 1)));
    assert_eq!(e.age_band, Some(hr::AgeBand::From35To44));
    assert_eq!(r.employees[1].age_band, Some(hr::AgeBand::From25To34));
    assert_eq!(e.pseudonym, key().pseudonym("501"));
}
