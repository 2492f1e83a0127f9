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
        match (vc.potential.hours_per_week, vc.potential.sure_hours_per_week) {
            (Some(p), sure) => {
                prop_assert!(!vc.potential.suppressed);
                if let Some(s) = sure {
                    prop_assert!(p >= s && s >= 0.0, "{p} {s}");
                }
                if let Some([lo, hi]) = vc.potential.hours_per_week_ci95 {
                    prop_assert!(lo <= hi && lo >= 0.0);
                }
            }
            (None, sure) => prop_assert!(vc.potential.suppressed && sure.is_none()),
        }
        for t in &vc.teams {
            if t.suppressed {
                prop_assert!(t.employees.is_none() && t.respondents.is_none()
                    && t.open_share.is_none() && t.potential_hours_per_week.is_none());
            } else {
                prop_assert!(t.respondents.unwrap() >= k);
            }
        }
        // A team's potential is about those in it who want more: at least k of them, and
        // the teams whose potential is hidden hold none of them or at least k together.
        let wanting = |team: &str| answers
            .iter()
            .filter(|(t, o, c, dsr)| *t < teams.len() && names[*t] == team
                && matches!(o, Some(Openness::Sure | Openness::Conditional)) && dsr > c)
            .count() as u64;
        // The hidden teams' part of the total (total − shown teams) rests on the people
        // behind their rates: own (at least k answered), the small teams' pool (when the
        // pool has k answers) or everyone. Recomputed here from the input.
        let answered = |team: &str| answers
            .iter()
            .filter(|(t, o, _, _)| *t < teams.len() && names[*t] == team && o.is_some())
            .count() as u64;
        let small: Vec<&str> = names[..teams.len()]
            .iter()
            .copied()
            .filter(|t| answered(t) < k)
            .collect();
        let pooled = small.iter().map(|t| answered(t)).sum::<u64>() >= k;
        let everyone = answers
            .iter()
            .filter(|(_, o, c, dsr)| matches!(o, Some(Openness::Sure | Openness::Conditional)) && dsr > c)
            .count() as u64;
        let behind = |selected: &dyn Fn(&str) -> bool| -> u64 {
            let (mut own, mut pool, mut org) = (0, false, false);
            for t in names[..teams.len()].iter().copied().filter(|t| selected(t)) {
                if !small.contains(&t) {
                    own += wanting(t);
                } else if pooled {
                    pool = true;
                } else {
                    org = true;
                }
            }
            if org {
                return everyone;
            }
            if pool {
                own += small.iter().map(|t| wanting(t)).sum::<u64>();
            }
            own
        };
        let few = |n: u64| n > 0 && n < k;
        if vc.potential.hours_per_week.is_some() {
            prop_assert!(!few(behind(&|_| true)));
            let hidden: Vec<&str> = vc
                .teams
                .iter()
                .filter(|t| t.potential_hours_per_week.is_none())
                .map(|t| t.team.as_str())
                .collect();
            for t in &vc.teams {
                if t.potential_hours_per_week.is_some() {
                    prop_assert!(wanting(&t.team) >= k, "{t:?}");
                }
            }
            prop_assert!(!few(behind(&|t| hidden.contains(&t))), "{hidden:?}");
        }
        // Hidden teams: none with respondents, or together at least k (no single hidden
        // team follows from the total). Known from the input, not from the output.
        let shown: u64 = vc.teams.iter().filter_map(|t| t.respondents).sum();
        let total = vc.survey.respondents;
        let hidden = total - shown;
        prop_assert!(hidden == 0 || hidden >= k || vc.potential.suppressed);
    }
}
