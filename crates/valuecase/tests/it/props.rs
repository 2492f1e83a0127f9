use proptest::prelude::*;
use valuecase::{Openness, compute};

use crate::*;

fn openness() -> impl Strategy<Value = Option<Openness>> {
    prop_oneof![
        Just(None),
        Just(Some(Openness::Sure)),
        Just(Some(Openness::Conditional)),
        Just(Some(Openness::Closed)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// potential >= sure potential >= 0, the interval holds the point, and a suppressed
    /// team carries no numbers; a shown team has at least k respondents.
    #[test]
    fn potential_invariants(
        teams in proptest::collection::vec(1usize..20, 1..6),
        answers in proptest::collection::vec(
            (0usize..7, openness(), 0u32..40, 0u32..40), 0..60),
        k in 2u64..7,
    ) {
        let names = ["A", "B", "C", "D", "E", "F"];
        let mut emp = Vec::new();
        for (i, n) in teams.iter().enumerate() {
            emp.extend(staff(Some(names[i]), *n, 24, "p"));
        }
        let r: Vec<_> = answers
            .iter()
            .map(|(t, o, c, dsr)| {
                // Team index beyond the snapshot's teams: outside the snapshot.
                let team = if *t < teams.len() { Some(names[*t]) } else { Some("Elders") };
                resp(team, *o, f64::from(*c), f64::from(*dsr))
            })
            .collect();
        let vc = compute(&input(emp, r, k), &rules());
        if let (Some(p), Some(s)) = (vc.potential.hours_per_week, vc.potential.sure_hours_per_week) {
            prop_assert!(p >= s && s >= 0.0, "{p} {s}");
            if let Some([lo, hi]) = vc.potential.hours_per_week_ci95 {
                prop_assert!(lo <= hi && lo >= 0.0);
            }
        } else {
            prop_assert!(vc.potential.suppressed);
        }
        for t in &vc.teams {
            if t.suppressed {
                prop_assert!(t.employees.is_none() && t.respondents.is_none()
                    && t.open_share.is_none() && t.potential_hours_per_week.is_none());
            } else {
                prop_assert!(t.respondents.unwrap() >= k);
            }
        }
        // Hidden teams: none with respondents, or together at least k (no single hidden
        // team follows from the total). Known from the input, not from the output.
        let shown: u64 = vc.teams.iter().filter_map(|t| t.respondents).sum();
        let total = vc.survey.respondents;
        let hidden = total - shown;
        prop_assert!(hidden == 0 || hidden >= k || vc.potential.suppressed);
    }
}
