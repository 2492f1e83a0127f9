use chrono::NaiveDate;
use hr::Employee;
use hr::pnil::{PnilEntry, YearMonth};
use proptest::prelude::*;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

use crate::measure::expected_on;
use crate::*;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn emp(id: usize, team: &str, hours: Decimal) -> Employee {
    Employee {
        pseudonym: format!("{id:064x}"),
        team: Some(team.into()),
        function: None,
        fwg_scale: None,
        contract_hours: hours,
        part_time_factor: (hours / dec!(36)).round_dp(4),
        age_band: None,
        start_date: None,
        end_date: None,
        contract_kind: None,
        source_rows: vec![],
    }
}

/// Sint Maarten's region: 60 employees on 20 hours; six months later 24 of them work 4
/// hours more and 3 of them 3 hours more (27 contracts, 105 hours, 2.9 FTE at 36 hours).
fn reference() -> Data {
    let before: Vec<Employee> = (0..60)
        .map(|i| emp(i, if i < 30 { "Sint Jozef" } else { "De Linde" }, dec!(20)))
        .collect();
    let after: Vec<Employee> = before
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let extra = match i {
                0..24 => dec!(4),
                24..27 => dec!(3),
                _ => dec!(0),
            };
            Employee {
                contract_hours: e.contract_hours + extra,
                ..e.clone()
            }
        })
        .collect();
    Data {
        full_time_hours: dec!(36),
        min_group_size: 5,
        snapshots: vec![
            Snapshot {
                peildatum: d("2026-01-01"),
                employees: before,
            },
            Snapshot {
                peildatum: d("2026-07-01"),
                employees: after,
            },
        ],
        ..Data::default()
    }
}

fn goal(kind: GoalKind, target: f64) -> Goal {
    Goal {
        kind,
        team: None,
        baseline_date: d("2026-01-01"),
        target,
        deadline: d("2026-07-01"),
        baseline_value: None,
        manual_values: vec![],
    }
}

#[test]
fn the_reference_case_27_contracts_105_hours_2_9_fte() {
    let data = reference();
    let as_of = d("2026-07-15");
    let c = contract_changes(&data, d("2026-01-01"), as_of).unwrap();
    assert_eq!((c.grown, c.hours_added, c.fte_added), (27, 105.0, 2.9));
    assert_eq!((c.shrunk, c.joined, c.left), (0, 0, 0));
    for (kind, target, measured) in [
        (GoalKind::ContractsExpanded, 27.0, 27.0),
        (GoalKind::ContractHoursAdded, 105.0, 105.0),
        (GoalKind::FteAdded, 2.9, 2.9),
    ] {
        let p = evaluate(&goal(kind, target), &data, as_of);
        assert_eq!(p.baseline, Some(0.0), "{kind}");
        assert_eq!(p.measured, Some(measured), "{kind}");
        assert_eq!(p.measured_at, Some(d("2026-07-01")));
        assert_eq!(p.progress, Some(1.0));
        assert_eq!(p.on_track, Some(true));
    }
    // Before the second snapshot, nothing grew yet: the measurement is the baseline.
    let early = evaluate(&goal(GoalKind::FteAdded, 2.9), &data, d("2026-03-01"));
    assert_eq!(early.measured, Some(0.0));
    assert_eq!(early.measured_at, Some(d("2026-01-01")));
    assert_eq!(early.on_track, None, "nothing measured since the baseline");
}

#[test]
fn a_level_goal_and_a_team_goal() {
    let data = reference();
    let mut g = goal(GoalKind::AverageContractHours, 22.0);
    let p = evaluate(&g, &data, d("2026-12-31"));
    assert_eq!(p.baseline, Some(20.0));
    assert_eq!(p.measured, Some(21.75)); // (60*20 + 105) / 60
    assert_eq!(p.progress, Some(0.875));
    assert_eq!(p.on_track, Some(false));
    g.team = Some("sint jozef".into());
    g.kind = GoalKind::ContractsExpanded;
    g.target = 24.0;
    let p = evaluate(&g, &data, d("2026-12-31"));
    // Everyone who grew works in Sint Jozef (the first 30).
    assert_eq!(p.measured, Some(27.0));
    assert_eq!(p.on_track, Some(true));
}

#[test]
fn a_team_below_the_minimum_group_size_shows_no_value() {
    let mut data = reference();
    for s in &mut data.snapshots {
        for (i, e) in s.employees.iter_mut().enumerate() {
            if i < 4 {
                e.team = Some("Klein".into());
            }
        }
    }
    let mut g = goal(GoalKind::AverageContractHours, 25.0);
    g.team = Some("Klein".into());
    let p = evaluate(&g, &data, d("2026-12-31"));
    assert!(p.suppressed);
    assert_eq!((p.baseline, p.measured, p.progress), (None, None, None));
    assert!(p.trend.is_empty());
}

#[test]
fn survey_goals_respect_the_minimum_group_size() {
    let answers = |n: usize, open: usize, team: &str| -> Vec<SurveyAnswer> {
        (0..n)
            .map(|i| SurveyAnswer {
                team: Some(team.into()),
                open: Some(i < open),
                schedule_satisfaction: Some(if i < open { 4.0 } else { 3.0 }),
            })
            .collect()
    };
    let mut data = reference();
    data.survey_rounds = vec![
        SurveyRound {
            closes_on: d("2025-12-01"),
            answers: [answers(10, 4, "A"), answers(4, 4, "B")].concat(),
        },
        SurveyRound {
            closes_on: d("2026-11-01"),
            answers: [answers(10, 6, "A"), answers(4, 0, "B")].concat(),
        },
    ];
    let mut g = goal(GoalKind::OpenShare, 0.6);
    let p = evaluate(&g, &data, d("2026-12-01"));
    assert_eq!(p.baseline, Some(0.571)); // 8 of 14
    assert_eq!(p.measured, Some(0.429)); // 6 of 14
    g.team = Some("B".into());
    let p = evaluate(&g, &data, d("2026-12-01"));
    assert!(p.suppressed && p.measured.is_none());
    g.team = Some("A".into());
    g.kind = GoalKind::ScheduleSatisfaction;
    g.target = 4.0;
    let p = evaluate(&g, &data, d("2026-12-01"));
    assert_eq!((p.baseline, p.measured), (Some(3.4), Some(3.6)));
}

#[test]
fn pnil_is_a_three_month_average() {
    let mut data = reference();
    data.pnil = (1..=6)
        .map(|m| PnilEntry {
            month: YearMonth::new(2026, m).unwrap(),
            team: None,
            kind: None,
            amount_cents: 300_000 - i64::from(m) * 30_000,
            hours: None,
            source_row: m,
        })
        .collect();
    let mut g = goal(GoalKind::PnilMonthlyCost, 0.0);
    g.baseline_date = d("2026-03-31");
    let p = evaluate(&g, &data, d("2026-12-31"));
    // Jan–Mar: 2700 + 2400 + 2100 = 7200 / 3; Apr–Jun: 1800 + 1500 + 1200 = 4500 / 3.
    assert_eq!(p.baseline, Some(2400.0));
    assert_eq!(p.measured, Some(1500.0));
    assert_eq!(p.measured_at, Some(d("2026-06-30")));
    assert_eq!(p.trend.len(), 4);
}

#[test]
fn roster_scan_goals() {
    let mut data = reference();
    data.roster_scans = vec![
        RosterScan {
            scanned_on: d("2026-01-10"),
            employees: 60,
            shifts: 1000,
            short_shift_share: 0.4,
        },
        RosterScan {
            scanned_on: d("2026-07-10"),
            employees: 60,
            shifts: 900,
            short_shift_share: 0.25,
        },
    ];
    let mut g = goal(GoalKind::ShortShiftShare, 0.2);
    g.baseline_date = d("2026-01-31");
    let p = evaluate(&g, &data, d("2026-12-31"));
    assert_eq!((p.baseline, p.measured), (Some(0.4), Some(0.25)));
    assert_eq!(p.progress, Some(0.75));
    g.kind = GoalKind::OpkomstmomentenPerFte;
    g.target = 20.0;
    let p = evaluate(&g, &data, d("2026-12-31"));
    // 1000 shifts / (1200 h / 36) = 30.0; 900 / (1305 / 36) = 24.8
    assert_eq!((p.baseline, p.measured), (Some(30.0), Some(24.8)));
    g.team = Some("De Linde".into());
    assert_eq!(evaluate(&g, &data, d("2026-12-31")).measured, None);
}

#[test]
fn request_goals_count_from_the_baseline() {
    let mut data = reference();
    let req = |created: &str, accepted: Option<&str>, hours: Option<f64>| RequestFact {
        team: Some("Sint Jozef".into()),
        created_on: d(created),
        accepted_on: accepted.map(d),
        hours_agreed: hours,
    };
    data.requests = vec![
        req("2025-12-01", Some("2025-12-20"), Some(8.0)),
        req("2026-02-01", Some("2026-03-01"), Some(4.0)),
        req("2026-02-02", Some("2026-03-01"), Some(6.0)),
        req("2026-02-03", None, None),
    ];
    let as_of = d("2026-04-01");
    assert_eq!(
        evaluate(&goal(GoalKind::Requests, 6.0), &data, as_of).measured,
        Some(3.0)
    );
    assert_eq!(
        evaluate(&goal(GoalKind::RequestsAccepted, 6.0), &data, as_of).measured,
        Some(2.0)
    );
    let h = evaluate(&goal(GoalKind::HoursAgreed, 20.0), &data, as_of);
    assert_eq!(
        (h.measured, h.measured_at),
        (Some(10.0), Some(d("2026-03-01")))
    );
    assert_eq!(h.progress, Some(0.5));
}

#[test]
fn agreed_hours_are_checked_against_the_next_snapshot() {
    let data = reference();
    let p0 = format!("{:064x}", 0); // +4 h
    let p40 = format!("{:064x}", 40); // unchanged
    let check = |p: &str, agreed: f64| {
        check_agreed_hours(
            &data.snapshots,
            Some(p),
            d("2026-02-01"),
            d("2026-03-01"),
            agreed,
        )
    };
    assert_eq!(check(&p0, 4.0), RequestCheck::Confirmed { growth: 4.0 });
    assert!(check(&p0, 6.0).is_flagged());
    assert_eq!(check(&p40, 4.0), RequestCheck::NoGrowth);
    assert_eq!(check("onbekend", 4.0), RequestCheck::NoGrowth);
    assert_eq!(
        check_agreed_hours(
            &data.snapshots,
            Some(&p0),
            d("2026-02-01"),
            d("2026-08-01"),
            4.0
        ),
        RequestCheck::Pending
    );
    assert_eq!(
        check_agreed_hours(&data.snapshots, None, d("2026-02-01"), d("2026-03-01"), 4.0),
        RequestCheck::Pending
    );
}

#[test]
fn the_story_has_the_reference_figures() {
    let data = reference();
    let as_of = d("2026-07-15");
    let goals = vec![evaluate(&goal(GoalKind::FteAdded, 2.9), &data, as_of)];
    let c = contract_changes(&data, d("2026-01-01"), as_of).unwrap();
    let counts = story::RequestCounts::default();
    let doc = story::document(&StoryInput {
        organisation: "Zorggroep Sint Maarten",
        date: as_of,
        goals: &goals,
        contracts: Some(&c),
        requests: &counts,
        contributed: None,
        full_time_hours: 36.0,
    });
    assert_eq!(doc.title, "Het Verhaal van Zorggroep Sint Maarten");
    let html = report::doc::to_html(&doc);
    for needle in [
        "27",
        "105 uur",
        "2,9 fte",
        "Aanbevelingen voor borging",
        "ligt op schema",
    ] {
        assert!(html.contains(needle), "{needle} missing in {html}");
    }
}

proptest! {
    /// The straight path starts at the baseline, ends at the target and never leaves the
    /// interval between them.
    #[test]
    fn the_path_is_between_baseline_and_target(
        b in -1000.0f64..1000.0, t in -1000.0f64..1000.0, days in 1i64..2000, at in -100i64..3000
    ) {
        let start = d("2026-01-01");
        let deadline = start + chrono::Duration::days(days);
        let e = expected_on(b, start, t, deadline, start + chrono::Duration::days(at));
        let (lo, hi) = if b < t { (b, t) } else { (t, b) };
        prop_assert!(e >= lo - 1e-9 && e <= hi + 1e-9);
        prop_assert!((expected_on(b, start, t, deadline, start) - b).abs() < 1e-9);
        prop_assert!((expected_on(b, start, t, deadline, deadline) - t).abs() < 1e-9);
    }

    /// A measurement on the path is on track; one behind it (in the goal's direction) is not.
    #[test]
    fn on_track_follows_the_path(grown in 0usize..40) {
        let mut data = reference();
        for (i, e) in data.snapshots[1].employees.iter_mut().enumerate() {
            e.contract_hours = if i < grown { dec!(21) } else { dec!(20) };
        }
        let p = evaluate(&goal(GoalKind::ContractsExpanded, 20.0), &data, d("2026-12-31"));
        prop_assert_eq!(p.measured, Some(grown as f64));
        prop_assert_eq!(p.on_track, Some(grown >= 20));
    }
}

#[test]
fn the_region_report_names_a_leading_intervention_only_when_one_stands_out() {
    use crate::story::{InterventionCount, RegionStoryInput, region_document};
    let count = |name: &str, running: usize, done: usize| InterventionCount {
        name: name.into(),
        planned: 0,
        running,
        done,
    };
    let doc = |interventions: &[InterventionCount]| {
        report::doc::to_html(&region_document(&RegionStoryInput {
            region: "Twente",
            date: "2026-12-07".parse().unwrap(),
            organisations: 16,
            phases: &[],
            figures: &[],
            interventions,
            min_orgs: 3,
        }))
    };
    let tie = doc(&[count("Roostersessies", 1, 1), count("Dialoogsessies", 0, 2)]);
    assert!(!tie.contains("meest ingezette"), "{tie}");
    let one = doc(&[count("Roostersessies", 1, 0)]);
    assert!(!one.contains("meest ingezette"), "{one}");
    let lead = doc(&[count("Roostersessies", 2, 1), count("Dialoogsessies", 0, 1)]);
    assert!(
        lead.contains(
            "meest ingezette interventie is <strong>Roostersessies</strong>: 3 organisaties"
        ),
        "{lead}"
    );
}
