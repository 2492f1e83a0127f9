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

/// Instance 3's optimum (1001) is out of reach of the annealing alone (1005 after 60 s in
/// the benchmark before column generation); with column generation at the end of the first
/// cycle, two epochs reach it. The epoch budget makes the run the same on every machine.
#[test]
fn column_generation_reaches_instance3_optimum_1001_in_two_epochs() {
    let p = crate::instance(3);
    let opts = SolveOptions {
        seconds: 1e9,
        seed: 1,
        max_epochs: Some(2),
        ..Default::default()
    };
    assert_eq!(solve_and_check(&p, &opts), 1001);
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

/// A year with a tight total: each employee must work 232–234 eight-hour shifts of at most
/// 262 possible (5 on, 2 off), in runs of 2–5, at most 26 weekends — while every shift
/// costs over-cover on weekdays while weekends are short. The exact DP cannot keep all minute × weekend states for 364 days;
/// the Lagrangian re-plan must still find rows within every limit.
#[test]
fn a_year_with_tight_minimum_minutes_is_solved_feasibly() {
    let mut text =
        String::from("SECTION_HORIZON\n364\n\nSECTION_SHIFTS\nD,480,\nN,480,D\n\nSECTION_STAFF\n");
    for e in ["A", "B", "C"] {
        text.push_str(&format!("{e},D=364|N=60,112320,111360,5,2,2,26\n"));
    }
    text.push_str("\nSECTION_DAYS_OFF\nA,10,11\n\nSECTION_SHIFT_ON_REQUESTS\n\n");
    text.push_str("SECTION_SHIFT_OFF_REQUESTS\n\nSECTION_COVER\n");
    // Weekends are wanted (short of staff), weekdays are not (over-cover costs): the minimum,
    // the weekend maximum and the night maximum all bind at once.
    for day in 0..364 {
        let req = if day % 7 >= 5 { 3 } else { 0 };
        text.push_str(&format!("{day},D,{req},100,5\n{day},N,{req},100,5\n"));
    }
    let p = roster::curtois::parse_instance("year", &text).expect("instance parses");
    let opts = SolveOptions {
        seconds: 1e9,
        seed: 5,
        max_epochs: Some(1),
        ..Default::default()
    };
    let r = solve(&p, &opts).unwrap();
    assert!(r.feasible, "no feasible roster: {r:?}");
    let roster = r.roster.unwrap();
    let ev = roster::check(&p, &roster);
    assert!(ev.violations.is_empty(), "{:?}", ev.violations);
    for row in &roster.shifts {
        let n = row.iter().flatten().count();
        assert!((232..=234).contains(&n), "{n} shifts");
    }
}

/// Counts how often the solver reads it; time advances a second per read.
struct CountingClock(std::sync::atomic::AtomicU64);

impl roster::solve::Clock for CountingClock {
    fn now(&self) -> std::time::Duration {
        let n = self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        std::time::Duration::from_secs(n)
    }
}

/// With an epoch budget the search reads no clock: the caller's clock is read only to
/// report the elapsed time (once at the start, once at the end), however many epochs,
/// cycle ends and exact parts run; and the result is the same as with the system clock.
#[test]
fn an_epoch_budget_reads_the_clock_only_for_the_reported_time() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicU64, Ordering};
    let p = crate::instance(2);
    let clock = Arc::new(CountingClock(AtomicU64::new(0)));
    let opts = SolveOptions {
        seconds: 0.0,
        seed: 4,
        max_epochs: Some(3),
        clock: clock.clone(),
        ..Default::default()
    };
    let a = solve(&p, &opts).unwrap();
    assert_eq!(clock.0.load(Ordering::SeqCst), 2);
    assert_eq!(a.seconds, 1.0);
    assert_eq!(a.epochs, 3);
    let b = solve(
        &p,
        &SolveOptions {
            seed: 4,
            max_epochs: Some(3),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(a.roster, b.roster);
}

/// Progress goes to the caller's observer: each thread reports its construction and its
/// cycle ends (the first after two epochs), and column generation on a small instance.
#[test]
fn progress_events_reach_the_observer() {
    use roster::solve::{Observer, Progress};
    use std::sync::{Arc, Mutex};
    #[derive(Default)]
    struct Log(Mutex<Vec<String>>);
    impl Observer for Log {
        fn progress(&self, event: &Progress) {
            let line = match event {
                Progress::Constructed { thread, roster, .. } => {
                    format!("constructed {thread} {}", roster.shifts.len())
                }
                Progress::CycleEnd { thread, epoch, .. } => format!("cycle {thread} {epoch}"),
                Progress::Colgen { thread, .. } => format!("colgen {thread}"),
                Progress::ColgenStage { .. } => "stage".into(),
                Progress::FixPart { .. } => "part".into(),
            };
            self.0.lock().unwrap().push(line);
        }
    }
    let p = crate::instance(1);
    let log = Arc::new(Log::default());
    let opts = SolveOptions {
        seed: 2,
        max_epochs: Some(2),
        observer: Some(log.clone()),
        ..Default::default()
    };
    solve(&p, &opts).unwrap();
    let lines = log.0.lock().unwrap().clone();
    for t in 0..2 {
        let n = p.employees.len();
        assert!(lines.contains(&format!("constructed {t} {n}")), "{lines:?}");
        assert!(lines.contains(&format!("cycle {t} 2")), "{lines:?}");
        assert!(lines.contains(&format!("colgen {t}")), "{lines:?}");
    }
    assert!(lines.iter().any(|l| l == "part"), "{lines:?}");
}

/// A cancel flag set by the caller stops the run at the next epoch end, with the best
/// roster so far (here: set before the start, so after the first epoch, although the
/// time limit would allow many more).
#[test]
fn a_cancelled_run_stops_at_the_next_epoch_with_a_roster() {
    use std::sync::Arc;
    use std::sync::atomic::AtomicBool;
    let p = crate::instance(1);
    let opts = SolveOptions {
        seconds: 1e9,
        seed: 3,
        cancel: Some(Arc::new(AtomicBool::new(true))),
        ..Default::default()
    };
    let r = solve(&p, &opts).unwrap();
    assert_eq!(r.epochs, 1);
    let roster = r.roster.expect("a feasible roster after the construction");
    assert_eq!(Some(roster::check(&p, &roster).score.total), r.objective);
}
