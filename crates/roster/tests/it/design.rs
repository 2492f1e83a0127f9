//! The Dutch care extensions: rest from clock times, contract targets, opkomst and
//! short-shift penalties, and design mode.

use roster::design::{DesignOptions, with_longer_shifts};
use roster::solve::{SolveOptions, solve};
use roster::{CareRules, Cover, Employee, Problem, Roster, ShiftType, Violation, check};

fn shift(id: &str, start_h: u32, minutes: u32, slot: usize) -> ShiftType {
    ShiftType {
        id: id.into(),
        minutes,
        start_minute: Some(start_h * 60),
        cannot_follow: vec![],
        covers: vec![slot],
        opkomsten: 1,
    }
}

/// Two weeks, three employees, a morning peak covered by two 4-hour parts.
fn care_problem() -> Problem {
    let shifts = vec![
        shift("V1", 7, 240, 0),  // 07:00-11:00
        shift("V2", 11, 240, 1), // 11:00-15:00
        shift("L", 15, 480, 2),  // 15:00-23:00
    ];
    let employees = (0..3)
        .map(|i| Employee {
            id: format!("M{i}"),
            max_shifts: vec![14; 3],
            max_total_minutes: 14 * 480,
            min_total_minutes: 0,
            max_consecutive_shifts: 6,
            min_consecutive_shifts: 1,
            min_consecutive_days_off: 1,
            max_weekends: 2,
            days_off: vec![],
            target_minutes: Some(if i == 0 { 3600 } else { 2880 }),
        })
        .collect();
    let mut cover = Vec::new();
    for day in 0..14 {
        for slot in 0..3 {
            cover.push(Cover {
                day,
                slot,
                requirement: 1,
                weight_under: 100,
                weight_over: 1,
            });
        }
    }
    Problem {
        name: "zorg".into(),
        days: 14,
        first_weekday: 0,
        shifts,
        slots: vec!["ochtend".into(), "middag".into(), "avond".into()],
        employees,
        on_requests: vec![],
        off_requests: vec![],
        cover,
        care: CareRules {
            min_rest_minutes: Some(660),
            max_week_minutes: Some(3600),
            opkomst_weight: 5,
            short_shift_minutes: 360,
            short_shift_weight: 5,
            target_weight_per_hour: 2,
            weekly_rest: false,
        },
    }
}

#[test]
fn rest_is_derived_from_clock_times() {
    let p = care_problem();
    // L ends 23:00, V1 starts 07:00: 8 h rest < 11 h. L then L: 16 h rest.
    assert!(p.forbidden_succession(2, 0));
    assert!(!p.forbidden_succession(2, 2));
    assert!(!p.forbidden_succession(0, 2));
    let mut r = Roster::empty(&p);
    r.shifts[0][0] = Some(2);
    r.shifts[0][1] = Some(0);
    let ev = check(&p, &r);
    assert!(ev.violations.contains(&Violation::ForbiddenSuccession {
        employee: 0,
        day: 0,
        first: 2,
        second: 0
    }));
}

#[test]
fn care_soft_costs_are_scored_by_hand() {
    let p = care_problem();
    let mut r = Roster::empty(&p);
    r.shifts[0][0] = Some(0); // V1, short
    r.shifts[0][2] = Some(2); // L
    let ev = check(&p, &r);
    assert!(ev.feasible(), "{:?}", ev.violations);
    assert_eq!(ev.score.opkomsten, 10);
    assert_eq!(ev.score.short_shifts, 5);
    // M0 720 of 3600 minutes: 48 h short, × 2. M1 and M2 0 of 2880: 48 h each, × 2.
    assert_eq!(ev.score.contract_target, 96 + 96 + 96);
    // 42 slots, 2 covered.
    assert_eq!(ev.score.cover, 40 * 100);
    // Weekly cap: 7 shifts of 480 minutes in one week is 3360, over a cap of 3000.
    let mut p = p;
    p.care.max_week_minutes = Some(3000);
    let mut r = Roster::empty(&p);
    for d in 0..7 {
        r.shifts[1][d] = Some(2);
    }
    let ev = check(&p, &r);
    assert!(ev.violations.iter().any(|v| matches!(
        v,
        Violation::WeekTooLong {
            employee: 1,
            week: 0,
            ..
        }
    )));
}

#[test]
fn design_mode_adds_a_long_shift_that_covers_both_parts() {
    let p = care_problem();
    let d = with_longer_shifts(&p, &DesignOptions::default());
    assert_eq!(d.shifts.len(), 5);
    let vv = d.shift_index("V1+V2").expect("V1+V2 added");
    assert_eq!(d.shifts[vv].minutes, 480);
    assert_eq!(d.shifts[vv].covers, vec![0, 1]);
    // V2+L (11:00-23:00, 12 h) is within the 12-hour limit; V1+V2+L is not considered.
    assert!(d.shift_index("V2+L").is_some());
    // After L no V1+V2 (8 h rest) by clock time.
    assert!(d.forbidden_succession(2, vv));

    let opts = SolveOptions {
        seconds: 30.0,
        seed: 5,
        max_epochs: Some(6),
        ..Default::default()
    };
    let base = solve(&p, &opts).expect("valid problem");
    let designed = solve(&d, &opts).expect("valid problem");
    let (rb, rd) = (base.roster.unwrap(), designed.roster.unwrap());
    let (eb, ed) = (check(&p, &rb), check(&d, &rd));
    assert!(eb.feasible() && ed.feasible());
    assert_eq!(Some(eb.score.total), base.objective);
    assert_eq!(Some(ed.score.total), designed.objective);
    // The same demand is covered at least as well, with fewer arrivals and short shifts.
    assert!(
        ed.score.cover <= eb.score.cover,
        "{:?} vs {:?}",
        ed.score,
        eb.score
    );
    assert!(
        ed.score.opkomsten < eb.score.opkomsten,
        "{:?} vs {:?}",
        ed.score,
        eb.score
    );
    assert!(ed.score.total < eb.score.total);
}
