use hr::{
    ContractKind, Dimension, Employee, GapScenario, Growth, PictureOptions, Suppression,
    contract_picture, hours_gap,
};
use rust_decimal::Decimal;

fn emp(i: usize, team: &str, hours: &str, kind: ContractKind) -> Employee {
    let h: Decimal = hours.parse().unwrap();
    Employee {
        pseudonym: format!("p{i:03}"),
        team: Some(team.to_owned()),
        function: Some(
            if i.is_multiple_of(2) {
                "Helpende"
            } else {
                "Verzorgende IG"
            }
            .to_owned(),
        ),
        fwg_scale: None,
        contract_hours: h,
        part_time_factor: h / Decimal::from(36),
        age_band: Some(hr::AgeBand::of_age(20 + (i as u32 * 7) % 45)),
        start_date: None,
        end_date: None,
        contract_kind: Some(kind),
        source_rows: vec![i as u32 + 2],
    }
}

/// Zon 8, Maan 6, Ster 3 (too small), Nacht 5: Ster is suppressed, and Nacht (the
/// next-smallest) with it, so Ster cannot be found as total minus the rest.
pub fn fixture() -> Vec<Employee> {
    org()
}

fn org() -> Vec<Employee> {
    let mut v = Vec::new();
    let hours = [
        "12", "16", "20", "24", "24", "28", "32", "36", "10", "18", "22.5", "26",
    ];
    let mut i: usize = 0;
    for (team, n) in [("Zon", 8), ("Maan", 6), ("Ster", 3), ("Nacht", 5)] {
        for _ in 0..n {
            let kind = if i.is_multiple_of(5) {
                ContractKind::Tijdelijk
            } else {
                ContractKind::Vast
            };
            v.push(emp(i, team, hours[i % hours.len()], kind));
            i += 1;
        }
    }
    v
}

#[test]
fn picture_with_suppression() {
    let p = contract_picture(&org(), &PictureOptions::default());
    let total = p.total.as_ref().unwrap();
    assert_eq!(total.headcount, 22);
    let teams = p.breakdown(Dimension::Team).unwrap();
    let labels: Vec<&str> = teams.groups.iter().map(|g| g.label.as_str()).collect();
    assert_eq!(labels, vec!["Maan", "Nacht", "Ster", "Zon"]);
    assert_eq!(
        teams.group(Some("Ster")).unwrap().suppressed,
        Some(Suppression::TooSmall)
    );
    assert_eq!(
        teams.group(Some("Nacht")).unwrap().suppressed,
        Some(Suppression::Complementary)
    );
    assert!(teams.group(Some("Nacht")).unwrap().figures.is_none());
    assert!(teams.group(Some("Zon")).unwrap().figures.is_some());
    // Contract kind: 5 tijdelijk, 17 vast: both shown.
    let kinds = p.breakdown(Dimension::ContractKind).unwrap();
    assert_eq!(
        kinds
            .groups
            .iter()
            .map(|g| g.label.as_str())
            .collect::<Vec<_>>(),
        vec!["vast", "tijdelijk"]
    );
    assert!(kinds.groups.iter().all(|g| g.figures.is_some()));
    insta::assert_json_snapshot!(p);
}

#[test]
fn a_small_organisation_shows_nothing() {
    let small: Vec<Employee> = org().into_iter().take(4).collect();
    let p = contract_picture(&small, &PictureOptions::default());
    assert!(p.total.is_none());
    assert!(
        p.breakdowns
            .iter()
            .all(|b| b.groups.iter().all(|g| g.figures.is_none()))
    );
}

#[test]
fn hours_gap_under_24_plus_4() {
    let s = GapScenario {
        below_hours: "24".parse().unwrap(),
        growth: Growth::By("4".parse().unwrap()),
        include_zero_hours: false,
    };
    let g = hours_gap(&org(), &s, "36".parse().unwrap(), 5);
    let t = g.total.as_ref().unwrap();
    // Under 24 h: 12, 16, 20, 10, 18, 22.5 in the 12-cycle over 22 people.
    assert_eq!(t.contracts_growing, 11);
    assert_eq!(t.hours_added, 44.0);
    assert_eq!(t.fte_added, 1.2);
    insta::assert_json_snapshot!(g);
}

mod properties {
    use super::*;
    use hr::{Change, compare_snapshots};
    use proptest::prelude::*;

    fn employees() -> impl Strategy<Value = Vec<Employee>> {
        proptest::collection::vec((0usize..6, 0u32..=160, 0usize..4), 0..60).prop_map(|v| {
            v.into_iter()
                .enumerate()
                .map(|(i, (team, quarter_hours, kind))| {
                    let mut e = emp(
                        i,
                        ["A", "B", "C", "D", "E", "F"][team],
                        "0",
                        ContractKind::ALL[kind],
                    );
                    e.contract_hours = Decimal::new(i64::from(quarter_hours) * 25, 2); // 0..=40 in steps of 0.25
                    e.pseudonym = format!("p{:03}", i * 7 % 97);
                    e
                })
                .collect()
        })
    }

    proptest! {
        #[test]
        fn no_small_group_is_shown_or_derivable(emps in employees(), k in 1usize..8) {
            let p = contract_picture(&emps, &PictureOptions { full_time_hours: Decimal::from(36), min_group_size: k });
            prop_assert_eq!(p.total.is_some(), emps.len() >= k);
            for b in &p.breakdowns {
                let shown: usize = b.groups.iter().filter_map(|g| g.figures.as_ref()).map(|f| f.headcount).sum();
                let hidden = b.groups.iter().filter(|g| g.figures.is_none()).count();
                for f in b.groups.iter().filter_map(|g| g.figures.as_ref()) {
                    prop_assert!(f.headcount >= k);
                }
                if p.total.is_some() && hidden > 0 {
                    prop_assert!(hidden >= 2 || hidden == b.groups.len());
                    prop_assert!(emps.len() - shown >= k);
                }
            }
        }

        /// The overview's total alone is the picture's total, also under the group size.
        #[test]
        fn the_total_alone_is_the_pictures_total(emps in employees(), k in 1usize..8) {
            let opts = PictureOptions { full_time_hours: Decimal::from(36), min_group_size: k };
            prop_assert_eq!(hr::contract_total(&emps, &opts), contract_picture(&emps, &opts).total);
        }

        #[test]
        fn comparison_adds_up(a in employees(), b in employees()) {
            let c = compare_snapshots(&a, &b, Decimal::from(36));
            let net = c.hours_added - c.hours_removed + c.hours_joined - c.hours_left;
            prop_assert!((net - c.net_hours).abs() < 1e-9, "{} vs {}", net, c.net_hours);
            prop_assert_eq!(c.contracts_grown + c.contracts_shrunk + c.unchanged + c.joined, b.len());
            prop_assert_eq!(c.contracts_grown + c.contracts_shrunk + c.unchanged + c.left, a.len());
            // The totals alone are the same comparison without the per-employee list, whose
            // changes the counts are.
            let mut without = c.clone();
            without.employees.clear();
            prop_assert_eq!(hr::compare_snapshot_totals(&a, &b, Decimal::from(36)), without);
            for (change, n) in [(Change::Grown, c.contracts_grown), (Change::Shrunk, c.contracts_shrunk),
                (Change::Unchanged, c.unchanged), (Change::Joined, c.joined), (Change::Left, c.left)] {
                prop_assert_eq!(c.employees.iter().filter(|e| e.change == change).count(), n);
            }
        }
    }
}
