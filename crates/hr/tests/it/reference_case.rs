//! The reference case (Zorggroep Sint Maarten, one region, after 6 months): 27 contracts
//! grown, 105 hours in total, 2.9 FTE at 36 hours full time. Two snapshot files in
//! different layouts (semicolon CSV with decimal commas and zero-padded numbers; comma
//! CSV with ISO dates, decimal points and a second contract for one employee).

use crate::{date, key};
use hr::{ImportOptions, compare_snapshots, import_extract, propose_mapping};

const BASELINE: &[u8] = include_bytes!("../data/snapshot-2024-03-01.csv");
const FOLLOW_UP: &[u8] = include_bytes!("../data/snapshot-2024-09-01.csv");

fn load(bytes: &[u8], peildatum: chrono::NaiveDate) -> hr::HrImport {
    let table = import::read_table(bytes).unwrap();
    let proposal = propose_mapping(&table);
    import_extract(
        &table,
        &proposal.mapping,
        &ImportOptions::new(peildatum),
        &key(),
    )
}

#[test]
fn reproduces_27_contracts_105_hours_2_9_fte() {
    let before = load(BASELINE, date(2024, 3, 1));
    let after = load(FOLLOW_UP, date(2024, 9, 1));
    assert!(
        !before.has_errors(),
        "{:#?}",
        before.errors().collect::<Vec<_>>()
    );
    assert!(
        !after.has_errors(),
        "{:#?}",
        after.errors().collect::<Vec<_>>()
    );
    assert_eq!(before.employees.len(), 60);
    assert_eq!(before.dropped_columns, vec!["Naam".to_owned()]);
    // 63 rows: one employee on two rows, one out of service on the peildatum.
    assert_eq!(after.rows_read, 63);
    assert_eq!(after.employees.len(), 61);
    assert_eq!(after.out_of_service_rows.len(), 1);

    let c = compare_snapshots(&before.employees, &after.employees, "36".parse().unwrap());
    assert_eq!(c.contracts_grown, 27);
    assert_eq!(c.hours_added, 105.0);
    assert_eq!(c.fte_added, 2.9);
    assert_eq!(c.contracts_shrunk, 1);
    assert_eq!(c.hours_removed, 4.0);
    assert_eq!(c.joined, 2);
    assert_eq!(c.left, 1);
    assert_eq!(c.unchanged, 31);
    assert_eq!(c.hours_joined, 48.0);

    // The JSON the CLI prints carries these names.
    let json = serde_json::to_value(&c).unwrap();
    for (k, v) in [
        ("contracts_grown", 27.0),
        ("hours_added", 105.0),
        ("fte_added", 2.9),
        ("contracts_shrunk", 1.0),
        ("hours_removed", 4.0),
        ("joined", 2.0),
        ("left", 1.0),
    ] {
        assert_eq!(json[k].as_f64(), Some(v), "{k}");
    }
    // No employee number or name anywhere in what is kept.
    let kept = serde_json::to_string(&after.employees).unwrap()
        + &serde_json::to_string(&before.employees).unwrap();
    assert!(!kept.contains("1001"));
    assert!(!kept.contains("Bos"));
}

#[test]
fn another_key_matches_nobody() {
    let before = load(BASELINE, date(2024, 3, 1));
    let table = import::read_table(FOLLOW_UP).unwrap();
    let other = hr::Pseudonymiser::new(b"another-organisation-key-32-byte").unwrap();
    let after = import_extract(
        &table,
        &propose_mapping(&table).mapping,
        &ImportOptions::new(date(2024, 9, 1)),
        &other,
    );
    let c = compare_snapshots(&before.employees, &after.employees, "36".parse().unwrap());
    assert_eq!(c.contracts_grown, 0);
    assert_eq!(c.joined, 61);
    assert_eq!(c.left, 60);
}
