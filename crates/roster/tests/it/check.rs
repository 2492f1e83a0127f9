use roster::curtois::{parse_instance, parse_roster};
use roster::{Violation, check};

#[test]
fn feasible_roster_scored_by_hand() {
    let p = parse_instance("t", crate::TINY).unwrap();
    // A works E on Tuesday and Wednesday; B is off all week.
    let r = parse_roster(&p, "employee,day,shift\nA,1,E\nA,2,E\n").unwrap();
    let ev = check(&p, &r);
    assert_eq!(ev.violations, vec![]);
    // Cover: day 0 E short by one (100), day 1 E met, day 1 L short by one (100).
    // A's on-request (E on day 1) met, off-request (L on day 2) not violated.
    assert_eq!(ev.score.cover, 200);
    assert_eq!(ev.score.on_requests, 0);
    assert_eq!(ev.score.off_requests, 0);
    assert_eq!(ev.score.total, 200);
}

#[test]
fn violations_and_soft_costs_scored_by_hand() {
    let p = parse_instance("t", crate::TINY).unwrap();
    let r = parse_roster(
        &p,
        "employee,day,shift\nB,0,E\nA,1,L\nA,2,E\nA,5,E\nA,6,L\n",
    )
    .unwrap();
    let ev = check(&p, &r);
    // B works on a fixed day off; E after L is forbidden; A's one-day run on day 5 is not
    // a run touching the border (day 6 is worked too, so days 5-6 form a run of 2 that
    // touches the end: allowed). Days 3-4 off: length 2, allowed.
    assert_eq!(
        ev.violations,
        vec![
            Violation::ForbiddenSuccession {
                employee: 0,
                day: 1,
                first: 1,
                second: 0
            },
            Violation::DayOff {
                employee: 1,
                day: 0
            },
        ]
    );
    // On-request of A (E on day 1) missed: 2. Cover: day 0 E met by B, day 1 E missing
    // (100), day 1 L met.
    assert_eq!(ev.score.on_requests, 2);
    assert_eq!(ev.score.off_requests, 0);
    assert_eq!(ev.score.cover, 100);
    assert_eq!(ev.score.total, 102);
}

#[test]
fn interior_short_runs_weekends_and_minutes() {
    let p = parse_instance("t", crate::TINY).unwrap();
    // A: one interior working day (day 2), one interior off day (day 4), works Sat+Sun
    // (one weekend, allowed) and has 4 shifts = 1920 minutes.
    let r = parse_roster(&p, "employee,day,shift\nA,2,L\nA,3,E\nA,5,E\nA,6,E\n").unwrap();
    let ev = check(&p, &r);
    assert_eq!(
        ev.violations,
        vec![
            Violation::RestTooShort {
                employee: 0,
                start: 4,
                length: 1,
                min: 2
            },
            Violation::ForbiddenSuccession {
                employee: 0,
                day: 2,
                first: 1,
                second: 0
            },
        ]
    );
    // Off-request: L on day 2 assigned (3). On-request missed (2). Cover: day 0 E (100),
    // day 1 E (100), day 1 L (100).
    assert_eq!(ev.score.off_requests, 3);
    assert_eq!(ev.score.on_requests, 2);
    assert_eq!(ev.score.cover, 300);
    let r = parse_roster(&p, "employee,day,shift\nA,1,E\nA,3,E\nA,4,E\n").unwrap();
    let ev = check(&p, &r);
    assert!(ev.violations.contains(&Violation::RunTooShort {
        employee: 0,
        start: 1,
        length: 1,
        min: 2
    }));
    // 8 shifts would exceed A's 2880 minutes and the max of 3 consecutive days.
    let all = "employee,day,shift\nA,0,E\nA,1,E\nA,2,E\nA,3,E\nA,4,E\nA,5,E\nA,6,E\n";
    let ev = check(&p, &parse_roster(&p, all).unwrap());
    assert!(ev.violations.contains(&Violation::TooManyMinutes {
        employee: 0,
        minutes: 3360,
        max: 2880
    }));
    assert!(ev.violations.contains(&Violation::RunTooLong {
        employee: 0,
        start: 0,
        length: 7,
        max: 3
    }));
    // Too few minutes: B has no minimum, A needs 960.
    let ev = check(
        &p,
        &parse_roster(&p, "employee,day,shift\nA,0,E\n").unwrap(),
    );
    assert!(ev.violations.contains(&Violation::TooFewMinutes {
        employee: 0,
        minutes: 480,
        min: 960
    }));
}

#[test]
fn weekends_count_once_and_max_is_enforced() {
    let text = crate::TINY
        .replace("A,E=7|L=7,2880,960,3,2,2,1", "A,E=14|L=14,9999,0,14,1,1,1")
        .replace("7\n\nSECTION_SHIFTS", "14\n\nSECTION_SHIFTS");
    let p = parse_instance("t", &text).unwrap();
    let r = parse_roster(&p, "employee,day,shift\nA,5,E\nA,6,E\nA,12,E\n").unwrap();
    let ev = check(&p, &r);
    assert_eq!(
        ev.violations,
        vec![Violation::TooManyWeekends {
            employee: 0,
            weekends: 2,
            max: 1
        }]
    );
}

#[test]
fn a_roster_of_the_wrong_shape_is_refused() {
    // A roster is checked for shape first.
    let p = crate::instance(1);
    let ev = check(
        &p,
        &roster::Roster {
            shifts: vec![vec![None; 3]],
        },
    );
    assert_eq!(ev.violations, vec![Violation::Shape]);
}
