use roster::curtois::{parse_instance, parse_roster, write_instance, write_roster};

#[test]
fn all_24_instances_parse_with_their_published_sizes_and_round_trip() {
    // (employees, shift types, days) from best_known.csv.
    let sizes = [
        (8, 1, 14),
        (14, 2, 14),
        (20, 3, 14),
        (10, 2, 28),
        (16, 2, 28),
        (18, 3, 28),
        (20, 3, 28),
        (30, 4, 28),
        (36, 4, 28),
        (40, 5, 28),
        (50, 6, 28),
        (60, 10, 28),
        (120, 18, 28),
        (32, 4, 42),
        (45, 6, 42),
        (20, 3, 56),
        (32, 4, 56),
        (22, 3, 84),
        (40, 5, 84),
        (50, 6, 182),
        (100, 8, 182),
        (50, 10, 364),
        (100, 16, 364),
        (150, 32, 364),
    ];
    for (i, &(e, s, d)) in sizes.iter().enumerate() {
        let p = crate::instance(i as u32 + 1);
        assert_eq!(
            (p.employees.len(), p.shifts.len(), p.days),
            (e, s, d),
            "Instance{}",
            i + 1
        );
        let again = parse_instance(&p.name, &write_instance(&p)).expect("written instance parses");
        assert_eq!(again, p, "Instance{} round trip", i + 1);
    }
}

#[test]
fn instance24_counts_match_the_readme() {
    let p = crate::instance(24);
    let days_off: usize = p.employees.iter().map(|e| e.days_off.len()).sum();
    assert_eq!(days_off, 5400);
    assert_eq!(p.on_requests.len() + p.off_requests.len(), 13_809);
}

#[test]
fn crlf_blank_lines_and_trailing_commas_are_accepted() {
    let crlf = crate::TINY
        .replace('\n', "\r\n")
        .replace("SECTION_HORIZON", "\r\nSECTION_HORIZON");
    let a = parse_instance("t", crate::TINY).unwrap();
    let b = parse_instance("t", &crlf).unwrap();
    assert_eq!(a, b);
    assert_eq!(a.shifts[0].cannot_follow, Vec::<usize>::new());
    assert_eq!(a.shifts[1].cannot_follow, vec![0]);
}

#[test]
fn errors_name_the_line() {
    let bad = crate::TINY.replace("A,1,E,2", "A,1,X,2");
    let e = parse_instance("t", &bad).unwrap_err();
    assert_eq!(e.line, 17);
    assert!(e.message.contains("onbekende dienst 'X'"), "{e}");
}

#[test]
fn roster_csv_rejects_double_assignments_and_unknown_ids() {
    let p = parse_instance("t", crate::TINY).unwrap();
    assert!(parse_roster(&p, "employee,day,shift\nA,1,E\nA,1,L\n").is_err());
    assert!(parse_roster(&p, "employee,day,shift\nZ,1,E\n").is_err());
    assert!(parse_roster(&p, "employee,day,shift\nA,7,E\n").is_err());
    assert!(parse_roster(&p, "emp,day,shift\n").is_err());
}

mod props {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn roster_csv_round_trips(cells in proptest::collection::vec(0usize..3, 14)) {
            let p = parse_instance("t", crate::TINY).unwrap();
            let mut r = roster::Roster::empty(&p);
            for (i, c) in cells.iter().enumerate() {
                r.shifts[i / 7][i % 7] = if *c == 2 { None } else { Some(*c) };
            }
            let back = parse_roster(&p, &write_roster(&p, &r)).unwrap();
            prop_assert_eq!(back, r);
        }
    }
}
