use roster::solve::{SolveOptions, solve};

fn solve_and_check(p: &roster::Problem, opts: &SolveOptions) -> u64 {
    let r = solve(p, opts);
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
    let a = solve(&p, &opts);
    let b = solve(&p, &opts);
    assert_eq!(a.roster, b.roster);
    assert_eq!(a.epochs, 3);
}
