use roster::solve::{SolveOptions, solve};

fn solve_and_check(p: &roster::Problem, opts: &SolveOptions) -> u64 {
    let r = solve(p, opts).expect("valid problem");
    let roster = r.roster.as_ref().expect("a feasible roster");
    let ev = roster::check(p, roster);
    assert!(ev.feasible(), "{}: {:?}", p.name, ev.violations);
    assert_eq!(
        Some(ev.score.total),
        r.objective,
        "{}: solver and checker disagree",
        p.name
    );
    ev.score.total
}

#[test]
fn instance1_reaches_its_known_optimum_607() {
    let p = crate::instance(1);
    let opts = SolveOptions {
        seconds: 60.0,
        seed: 7,
        target: Some(607),
        ..Default::default()
    };
    assert_eq!(solve_and_check(&p, &opts), 607);
}

#[test]
fn every_result_passes_the_checker() {
    for n in [2, 3, 4, 14] {
        let p = crate::instance(n);
        let opts = SolveOptions {
            seconds: 1.0,
            seed: 3,
            max_epochs: Some(4),
            ..Default::default()
        };
        solve_and_check(&p, &opts);
    }
}

#[test]
fn same_seed_and_epochs_give_the_same_roster() {
    let p = crate::instance(2);
    let opts = SolveOptions {
        seconds: 1e9,
        seed: 11,
        max_epochs: Some(3),
        ..Default::default()
    };
    let a = solve(&p, &opts).unwrap();
    let b = solve(&p, &opts).unwrap();
    assert_eq!(a.roster, b.roster);
    assert_eq!(a.epochs, 3);
}

#[test]
fn invalid_problems_and_start_rosters_are_refused() {
    let mut p = crate::instance(1);
    p.employees[0].max_shifts.clear();
    assert!(solve(&p, &SolveOptions::default()).is_err());
    let p = crate::instance(1);
    let opts = SolveOptions {
        initial: Some(roster::Roster { shifts: vec![] }),
        ..Default::default()
    };
    assert!(solve(&p, &opts).is_err());
}

#[test]
fn a_start_roster_is_used_and_the_result_is_never_worse_when_it_is_feasible() {
    let p = crate::instance(2);
    let first = solve(
        &p,
        &SolveOptions {
            seconds: 60.0,
            max_epochs: Some(1),
            ..Default::default()
        },
    )
    .unwrap();
    let start = first.roster.expect("feasible");
    let opts = SolveOptions {
        seconds: 60.0,
        seed: 9,
        max_epochs: Some(1),
        initial: Some(start),
        ..Default::default()
    };
    let second = solve(&p, &opts).unwrap();
    assert!(second.objective.unwrap() <= first.objective.unwrap());
}
