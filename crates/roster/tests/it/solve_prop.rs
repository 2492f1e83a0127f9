//! Property: on small random problems (Curtois model plus the Dutch care terms) every
//! roster the solver returns passes the independent checker with the objective the solver
//! reports, whatever the seed, thread count and epoch budget.

use proptest::prelude::*;
use roster::model::{CareRules, Cover, Employee, Problem, Request, ShiftType};
use roster::solve::{SolveOptions, solve};

fn problem() -> impl Strategy<Value = Problem> {
    (
        1usize..=3,
        2usize..=5,
        prop::sample::select(vec![7usize, 14]),
        0usize..7,
    )
        .prop_flat_map(|(s, e, days, first_weekday)| {
            let shift = (
                prop::sample::select(vec![240u32, 360, 480, 600]),
                prop::collection::vec(any::<bool>(), s),
                1u32..=2,
            );
            let employee = (
                prop::collection::vec(0u32..=days as u32, s),
                0u32..=days as u32 * 480,
                0u32..=days as u32 * 480,
                1u32..=6,
                1u32..=3,
                1u32..=3,
                0u32..=2,
                prop::collection::vec(0..days, 0..3),
                prop::option::of(0u32..=days as u32 * 480),
            );
            let request = (0..e, 0..days, 0..s, 1u32..=3);
            let cover = (0u32..=2, 1u32..=100, 0u32..=10);
            let care = (
                prop::option::of(prop::sample::select(vec![1440u32, 2400])),
                0u32..=3,
                0u32..=2,
                0u32..=2,
            );
            (
                prop::collection::vec(shift, s),
                prop::collection::vec(employee, e),
                prop::collection::vec(request.clone(), 0..6),
                prop::collection::vec(request, 0..6),
                prop::collection::vec(cover, days * s),
                care,
            )
                .prop_map(move |(shifts, emps, on, off, cover, care)| Problem {
                    name: "random".into(),
                    days,
                    first_weekday,
                    shifts: shifts
                        .iter()
                        .enumerate()
                        .map(|(i, (minutes, forbid, opkomsten))| ShiftType {
                            id: format!("S{i}"),
                            minutes: *minutes,
                            start_minute: None,
                            cannot_follow: (0..s).filter(|&j| forbid[j]).collect(),
                            covers: vec![i],
                            opkomsten: *opkomsten,
                        })
                        .collect(),
                    slots: (0..s).map(|i| format!("S{i}")).collect(),
                    employees: emps
                        .into_iter()
                        .enumerate()
                        .map(
                            |(
                                i,
                                (
                                    max_shifts,
                                    a,
                                    b,
                                    max_cons,
                                    min_cons,
                                    min_off,
                                    max_we,
                                    mut off,
                                    target,
                                ),
                            )| {
                                off.sort_unstable();
                                off.dedup();
                                Employee {
                                    id: format!("E{i}"),
                                    max_shifts,
                                    max_total_minutes: a.max(b),
                                    min_total_minutes: a.min(b),
                                    max_consecutive_shifts: max_cons.max(min_cons),
                                    min_consecutive_shifts: min_cons,
                                    min_consecutive_days_off: min_off,
                                    max_weekends: max_we,
                                    days_off: off,
                                    target_minutes: target,
                                }
                            },
                        )
                        .collect(),
                    on_requests: on
                        .iter()
                        .map(|&(employee, day, shift, weight)| Request {
                            employee,
                            day,
                            shift,
                            weight,
                        })
                        .collect(),
                    off_requests: off
                        .iter()
                        .map(|&(employee, day, shift, weight)| Request {
                            employee,
                            day,
                            shift,
                            weight,
                        })
                        .collect(),
                    cover: cover
                        .iter()
                        .enumerate()
                        .map(|(k, &(requirement, weight_under, weight_over))| Cover {
                            day: k / s,
                            slot: k % s,
                            requirement,
                            weight_under,
                            weight_over,
                        })
                        .collect(),
                    care: CareRules {
                        min_rest_minutes: None,
                        max_week_minutes: care.0,
                        opkomst_weight: care.1,
                        short_shift_minutes: 360,
                        short_shift_weight: care.2,
                        target_weight_per_hour: care.3,
                        weekly_rest: false,
                    },
                })
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

    #[test]
    fn every_solver_result_passes_the_checker_with_the_same_score(
        p in problem(),
        seed in 0u64..1000,
        threads in 1usize..=2,
        epochs in 1u64..=3,
    ) {
        prop_assume!(p.validate().is_ok());
        let opts = SolveOptions { seed, threads, max_epochs: Some(epochs), ..SolveOptions::default() };
        let r = solve(&p, &opts).expect("a valid problem is solved");
        prop_assert_eq!(r.feasible, r.roster.is_some());
        prop_assert_eq!(r.feasible, r.objective.is_some());
        if let Some(roster) = &r.roster {
            let ev = roster::check(&p, roster);
            prop_assert!(ev.feasible(), "hard violations: {:?}", ev.violations);
            prop_assert_eq!(Some(ev.score.total), r.objective);
        }
    }
}
