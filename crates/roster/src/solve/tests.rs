use super::driver::{cycle_length, epoch_iterations, lns_every};
use super::*;
use crate::model::{OFF, Problem};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// A Curtois instance from `../shared` (also used by the `fixopt` tests).
#[allow(clippy::disallowed_methods)] // a test reads its instance file
pub(super) fn instance(n: u32) -> Problem {
    let path = format!(
        "{}/../../../shared/bench/roster/curtois/Instance{n}.txt",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).expect("instance file next to the repo");
    crate::curtois::parse_instance("t", &text).expect("instance parses")
}

/// The Curtois instances (1–24) for which `pick` holds under these options.
fn instances_where(
    seconds: f64,
    max_epochs: Option<u64>,
    pick: fn(&Data, &SolveOptions) -> bool,
) -> Vec<u32> {
    let opts = SolveOptions {
        seconds,
        max_epochs,
        ..Default::default()
    };
    (1..=24)
        .filter(|&n| pick(&Data::new(&instance(n), Tuning::default()), &opts))
        .collect()
}

/// The exact parts run on the small Curtois instances, and with a time limit of 60 s
/// or more also on the two longer ones of the same size (14: 6 weeks, 16: 8 weeks),
/// where they reached or nearly reached the optima; larger instances keep the
/// annealing's time (run 14).
#[test]
fn exact_parts_run_on_small_problems_and_with_time_on_medium_ones() {
    let with = |seconds, max_epochs| instances_where(seconds, max_epochs, Data::exact);
    let small: Vec<u32> = (1..=11).collect();
    let mut medium = small.clone();
    medium.extend([14, 16]);
    assert_eq!(with(60.0, None), medium);
    assert_eq!(with(45.0, None), small);
    assert_eq!(with(10.0, None), small);
    assert_eq!(with(60.0, Some(4)), small);
}

/// Fix-and-optimise alone runs on the four-week instances too large for the exact
/// parts, and only with a time limit of at least 60 s; its parts start within their
/// budgets of binaries.
#[test]
fn large_problems_get_fix_and_optimise_alone_with_parts_sized_to_fit() {
    let with = |seconds, max_epochs| instances_where(seconds, max_epochs, Data::fix_large);
    let large = vec![12, 13];
    assert_eq!(with(60.0, None), large);
    assert_eq!(with(45.0, None), Vec::<u32>::new());
    assert_eq!(with(60.0, Some(4)), Vec::<u32>::new());
    for n in large {
        let data = Data::new(&instance(n), Tuning::default());
        let z = fixopt::Sizer::large(&data);
        assert!(z.days >= 2 && z.emps >= 2, "Instance{n}");
        assert!(z.days * data.e * data.s <= 8000, "Instance{n}");
        assert!(z.emps * data.d * data.s <= 2000, "Instance{n}");
    }
    let z = fixopt::Sizer::large(&Data::new(&instance(13), Tuning::default()));
    assert_eq!((z.days, z.emps), (3, 3));
}

/// The annealing scores a move from the days it touched and the employees' totals.
/// After thousands of moves (hot, so most are taken) every cached score, the totals
/// and the roster's cost must equal a full re-score: on a Curtois instance, on a
/// half-year one, and on one with the Dutch care terms (weekly maximum, weekly rest, contract
/// targets, opkomst and short-shift costs) starting mid-week.
#[test]
fn move_scores_match_a_full_rescore() {
    let mut care = instance(4);
    care.first_weekday = 3;
    care.care.max_week_minutes = Some(2400);
    care.care.target_weight_per_hour = 2;
    care.care.opkomst_weight = 3;
    care.care.short_shift_minutes = 500;
    care.care.short_shift_weight = 4;
    for (i, emp) in care.employees.iter_mut().enumerate().step_by(2) {
        emp.target_minutes = Some(3000 + 240 * i as u32);
    }
    // Clock times and the weekly rest of ATW art. 5:5, kept per 14-day block.
    for (i, s) in care.shifts.iter_mut().enumerate() {
        s.start_minute = Some([390, 840, 1320][i % 3]);
    }
    care.care.weekly_rest = true;
    assert!(care.rest_blocks() >= 1);
    for (name, p) in [("1", instance(1)), ("20", instance(20)), ("care", care)] {
        let data = Data::new(&p, Tuning::default());
        let init = vec![OFF; data.e * data.d];
        let mut w = Worker::new(&data, &init, 7, 0);
        // With aimed steps too, also on the small problems (which leave them out).
        w.aimed_share = Tuning::default().aimed_share;
        let mut accepted = 0;
        for round in 0..20 {
            w.temp = if round % 2 == 0 { 500.0 } else { 5.0 };
            for _ in 0..2_000 {
                let before = w.st.asg.clone();
                w.step();
                accepted += usize::from(w.st.asg != before);
            }
            let fresh = State::new(&data, w.st.asg.clone(), &mut w.counts, &mut w.weeks);
            assert_eq!(w.st.tot, fresh.tot, "{name}: totals");
            assert_eq!(w.st.soft_e, fresh.soft_e, "{name}: soft per employee");
            assert_eq!(w.st.hard_e, fresh.hard_e, "{name}: hard per employee");
            assert_eq!(w.st.cover, fresh.cover, "{name}: cover");
            assert_eq!((w.st.soft, w.st.hard), (fresh.soft, fresh.hard), "{name}");
        }
        assert!(accepted > 5_000, "{name}: only {accepted} moves taken");
    }
}

/// On instances that are not small, a fifth of the steps are aimed: every one they
/// take changes a cell on a cover line that cost something (a short line gets a
/// shift, an over line loses one). Small instances keep plain cell changes.
#[test]
fn aimed_steps_mend_a_costly_cover_line() {
    let small = Data::new(&instance(1), Tuning::default());
    let off = vec![OFF; small.e * small.d];
    assert_eq!(Worker::new(&small, &off, 1, 0).aimed_share, 0);
    let data = Data::new(&instance(15), Tuning::default());
    let (d, ns) = (data.d, data.nslots);
    // A random start has both short and over lines.
    let mut rng = ChaCha8Rng::seed_from_u64(5);
    let init: Vec<u8> = (0..data.e * d)
        .map(|i| {
            let ch = &data.choices[i];
            ch[rng.random_range(0..ch.len())]
        })
        .collect();
    let mut w = Worker::new(&data, &init, 3, 0);
    assert_eq!(w.aimed_share, Tuning::default().aimed_share);
    w.aimed_share = 100;
    w.temp = 5.0;
    let (mut short, mut over) = (0, 0);
    for _ in 0..3_000 {
        let (before, cnt) = (w.st.asg.clone(), w.st.cnt.clone());
        w.step();
        let changed: Vec<usize> = (0..before.len())
            .filter(|&i| before[i] != w.st.asg[i])
            .collect();
        let [i] = changed[..] else {
            assert!(changed.is_empty(), "one cell per aimed step");
            continue;
        };
        let day = i % d;
        let lines = |v: u8| {
            if v == OFF {
                &[][..]
            } else {
                &data.covers[usize::from(v)][..]
            }
        };
        let line = |k: usize| day * ns + k;
        if lines(w.st.asg[i])
            .iter()
            .any(|&k| cnt[line(k)] < data.req[line(k)])
        {
            short += 1;
        } else if lines(before[i])
            .iter()
            .any(|&k| cnt[line(k)] > data.req[line(k)])
        {
            over += 1;
        } else {
            panic!("day {day}: {} -> {} mends no line", before[i], w.st.asg[i]);
        }
    }
    assert!(short > 100 && over > 100, "short {short}, over {over}");
}

/// Cycles double while the time left holds the next two; then one cycle takes the
/// rest of the time (less a margin for the speed estimate), longer or shorter than
/// the doubled one, and never empty.
#[test]
fn the_last_cycle_is_fitted_to_the_time_left() {
    // 100 epochs per second, 10 s left: 970 epochs fit.
    assert_eq!(cycle_length(&Tuning::default(), 256, 100.0, 10.0), 256);
    assert_eq!(cycle_length(&Tuning::default(), 323, 100.0, 10.0), 323);
    assert_eq!(cycle_length(&Tuning::default(), 324, 100.0, 10.0), 970);
    assert_eq!(cycle_length(&Tuning::default(), 2048, 100.0, 10.0), 970);
    assert_eq!(cycle_length(&Tuning::default(), 4, 100.0, 0.0), 1);
    for doubled in [2u64, 64, 1024] {
        for left in [0.0, 0.5, 3.0, 40.0] {
            let n = cycle_length(&Tuning::default(), doubled, 150.0, left);
            assert!(n >= 1);
            // Either the doubled cycle, or what fits in the time left (at least one).
            assert!(n == doubled || n as f64 <= (150.0 * left).max(1.0));
            // The doubled cycle only while the next one fits after it too.
            assert!(n != doubled || 3.0 * doubled as f64 <= 150.0 * left);
        }
    }
}

/// Large-neighbourhood moves follow every block of annealing steps on horizons of at
/// most four weeks and about every 2 500 steps per shift type (at least four types)
/// on longer ones.
#[test]
fn long_horizons_space_their_large_neighbourhood_moves() {
    let spacing: Vec<(u32, u64, u64, u64)> = [1, 13, 15, 16, 19, 21, 24]
        .into_iter()
        .map(|n| {
            let data = Data::new(&instance(n), Tuning::default());
            let iters = epoch_iterations(&data);
            let every = lns_every(&data, iters);
            let aim = Tuning::default().steps_per_lns_per_type * data.s.max(4) as u64;
            (n, every, every * (iters / 16), aim)
        })
        .collect();
    let every: Vec<(u32, u64)> = spacing.iter().map(|&(n, e, ..)| (n, e)).collect();
    assert_eq!(
        every,
        [
            (1, 1),
            (13, 1),
            (15, 3),
            (16, 2),
            (19, 4),
            (21, 15),
            (24, 119)
        ]
    );
    for &(n, every, steps, aim) in &spacing[2..] {
        assert!(
            steps <= aim && steps * 10 >= aim * 7,
            "Instance{n}: {every} blocks, {steps} steps, aim {aim}"
        );
    }
}

/// Column generation is called again only while it may still help: before its LP
/// has converged (no bound yet), or while that LP is within 2 % of the best roster.
#[test]
fn column_generation_is_called_again_only_while_its_lp_is_close() {
    let p = instance(1);
    let data = Data::new(&p, Tuning::default());
    let init = vec![OFF; data.e * data.d];
    let mut w = Worker::new(&data, &init, 1, 0);
    w.best = Some((1000, init.clone()));
    assert!(w.lp_is_close(), "no LP yet");
    w.lp_bound = Some(981.0);
    assert!(w.lp_is_close(), "1,9 % below the best roster");
    w.lp_bound = Some(979.0);
    assert!(!w.lp_is_close(), "2,1 % below the best roster");
}

/// Instance 22: every employee must work 232–234 of 364 days with per-type maxima
/// and at most 26 weekends. The Lagrangian re-plan must find a row within all limits
/// for each employee (here against an empty roster, so cover pulls towards working
/// every day) — and the checker-equivalent scoring must agree.
#[test]
fn priced_replan_keeps_every_limit_over_a_year() {
    let p = instance(22);
    let data = Data::new(&p, Tuning::default());
    let init = vec![OFF; data.e * data.d];
    let mut w = Worker::new(&data, &init, 3, 0);
    for e in 0..6 {
        assert!(
            w.replan_priced(e, 0, data.d, 40),
            "employee {e}: no row in limits"
        );
        let (_, hard) = w.rescore(e);
        assert_eq!(hard, 0, "employee {e}");
        let row = &w.st.asg[e * data.d..(e + 1) * data.d];
        let shifts = row.iter().filter(|&&v| v != OFF).count();
        assert!(
            (232..=234).contains(&shifts),
            "employee {e}: {shifts} shifts"
        );
    }
}
