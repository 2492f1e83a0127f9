//! Arbitrary input through the whole import never panics; bad input gives diagnostics.

use crate::{date, key};
use hr::{
    ImportOptions, import_extract, import_pnil, preview, propose_mapping, propose_pnil_mapping,
};
use proptest::prelude::*;

fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        "[0-9]{1,6}",
        "[0-9]{1,2},[0-9]{1,3}",
        "[0-9]{1,2}-[0-9]{1,2}-[0-9]{2,4}",
        "(vast|tijdelijk|oproep|flex|BBL|x)",
        "[a-zA-Zé ]{0,8}",
        "\\PC{0,6}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..1500)) {
        if let Ok(t) = import::read_table(&bytes) {
            let p = propose_mapping(&t);
            let opts = ImportOptions::new(date(2026, 11, 23));
            let r = import_extract(&t, &p.mapping, &opts, &key());
            let _ = preview(&t, &p.mapping, &opts, 5);
            // Every row is accounted for: kept, skipped or out of service (or merged).
            let kept_rows: usize = r.employees.iter().map(|e| e.source_rows.len()).sum();
            prop_assert_eq!(kept_rows + r.skipped_rows.len() + r.out_of_service_rows.len(), t.rows.len());
            let _ = import_pnil(&t, &propose_pnil_mapping(&t).mapping);
        }
    }

    #[test]
    fn arbitrary_extracts_are_fully_accounted_for(rows in proptest::collection::vec(proptest::collection::vec(cell(), 6), 1..30)) {
        let mut text = String::from("Personeelsnummer;Team;Contracturen;Geboortedatum;Datum in dienst;Soort contract\n");
        for r in &rows {
            text.push_str(&r.iter().map(|c| c.replace([';', '\n', '\r', '"'], "")).collect::<Vec<_>>().join(";"));
            text.push('\n');
        }
        let Ok(t) = import::read_table(text.as_bytes()) else { return Ok(()) };
        let p = propose_mapping(&t);
        let r = import_extract(&t, &p.mapping, &ImportOptions::new(date(2026, 11, 23)), &key());
        let kept_rows: usize = r.employees.iter().map(|e| e.source_rows.len()).sum();
        prop_assert_eq!(kept_rows + r.skipped_rows.len() + r.out_of_service_rows.len(), t.rows.len());
        // A skipped row always has at least one error that names it.
        for row in &r.skipped_rows {
            prop_assert!(r.diagnostics.iter().any(|d| d.is_error() && (d.row == Some(*row) || d.row.is_none())));
        }
        for e in &r.employees {
            prop_assert!(e.contract_hours >= rust_decimal::Decimal::ZERO);
            prop_assert_eq!(e.pseudonym.len(), 64);
        }
    }
}
