//! Property tests: arbitrary input never panics, and what comes out is consistent.

use import::{Cell, parse_date_str, parse_minutes_of_day_str, parse_number_str, read_table};
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        if let Ok(t) = read_table(&bytes) {
            // Row numbers increase and are below the header.
            let mut last = t.header_row;
            for r in &t.rows {
                prop_assert!(r.number > last);
                last = r.number;
                prop_assert!(r.cells.len() <= t.headers.len());
            }
        }
    }

    #[test]
    fn zip_prefixed_garbage_never_panics(tail in proptest::collection::vec(any::<u8>(), 0..1024)) {
        let mut bytes = b"PK\x03\x04".to_vec();
        bytes.extend(tail);
        let _ = read_table(&bytes);
    }

    #[test]
    fn csv_like_text_never_panics(s in "[a-z0-9;,\"\\n\\r\\t €é.:-]{0,400}") {
        let _ = read_table(s.as_bytes());
    }

    #[test]
    fn parsers_never_panic(s in "\\PC{0,40}") {
        let _ = parse_number_str(&s);
        let _ = parse_date_str(&s);
        let _ = parse_minutes_of_day_str(&s);
        let _ = import::parse_time_str(&s);
        let _ = import::normalise_header(&s);
        let _ = import::parse_number(&Cell::Text(s.clone()));
    }

    #[test]
    fn dutch_numbers_round_trip(cents in -100_000_000i64..100_000_000) {
        let d = rust_decimal::Decimal::new(cents, 2);
        let text = report::nl::decimal(d, 2);
        prop_assert_eq!(parse_number_str(&text).unwrap(), d.normalize());
    }

    #[test]
    fn dutch_dates_round_trip(days in 0i64..80_000) {
        let date = chrono::NaiveDate::from_ymd_opt(1900, 1, 1).unwrap() + chrono::Duration::days(days);
        prop_assert_eq!(parse_date_str(&date.format("%d-%m-%Y").to_string()).unwrap(), date);
        prop_assert_eq!(parse_date_str(&date.format("%Y-%m-%d").to_string()).unwrap(), date);
    }

    #[test]
    fn times_round_trip(m in 0u16..1440) {
        let text = format!("{:02}:{:02}", m / 60, m % 60);
        prop_assert_eq!(parse_minutes_of_day_str(&text).unwrap(), m);
    }

    #[test]
    fn csv_cells_round_trip(cells in proptest::collection::vec("[A-Za-z0-9 ,]{1,10}", 1..6)) {
        let header: Vec<String> = (0..cells.len()).map(|i| format!("k{i}")).collect();
        let quoted: Vec<String> = cells.iter().map(|c| format!("\"{c}\"")).collect();
        let text = format!("{}\n{}\n", header.join(";"), quoted.join(";"));
        let t = read_table(text.as_bytes()).unwrap();
        let nonblank = cells.iter().any(|c| !c.trim().is_empty());
        prop_assert_eq!(t.rows.len(), usize::from(nonblank));
        if nonblank {
            prop_assert_eq!(t.rows[0].number, 2);
            for (i, c) in cells.iter().enumerate() {
                let want = if c.trim().is_empty() { Cell::Empty } else { Cell::Text(c.clone()) };
                prop_assert_eq!(t.rows[0].get(i), &want);
            }
        }
    }
}
