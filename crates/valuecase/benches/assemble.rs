//! Speed of the Value Case for a large organisation: 5,000 employees in 50 teams and 2,000
//! responses, computed with 1,000 bootstrap resamples and serialised to JSON (issue 29:
//! under 100 ms). Run: `cargo bench -p valuecase --bench assemble`.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use criterion::{Criterion, criterion_group, criterion_main};
use rust_decimal::Decimal;
use survey::Questionnaire;
use valuecase::{Input, Openness, Respondent, RespondentRole, RoundRef, Rules, Snapshot};

fn input(q: &'static Questionnaire) -> Input<'static> {
    // A simple LCG: deterministic data without a randomness crate.
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = |m: u64| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) % m
    };
    let employees: Vec<hr::Employee> = (0..5_000)
        .map(|i| {
            let hours = Decimal::from(8 + next(29));
            hr::Employee {
                pseudonym: format!("{i:064}"),
                team: Some(format!("Team {:02}", next(50))),
                function: None,
                fwg_scale: None,
                contract_hours: hours,
                part_time_factor: hours / Decimal::from(36),
                age_band: None,
                start_date: None,
                end_date: None,
                contract_kind: None,
                source_rows: vec![],
            }
        })
        .collect();
    let open = [
        Some(Openness::Sure),
        Some(Openness::Conditional),
        Some(Openness::Closed),
        None,
    ];
    let conditions = [
        "langere_diensten",
        "kinderopvang",
        "vast_rooster",
        "zeker_financieel",
    ];
    let respondents = (0..2_000)
        .map(|_| {
            let contract = (8 + next(29)) as f64;
            let mut choices = BTreeMap::new();
            choices.insert(
                "voorwaarden".to_string(),
                vec![conditions[next(4) as usize].to_string()],
            );
            choices.insert("weet_netto".to_string(), vec!["nee".to_string()]);
            Respondent {
                role: RespondentRole::Employee,
                team: Some(format!("Team {:02}", next(55))),
                openness: open[next(4) as usize],
                contract_hours: Some(contract),
                desired_hours: Some(contract + next(9) as f64),
                choices,
            }
        })
        .collect();
    let d = |s: &str| s.parse::<NaiveDate>().unwrap();
    Input {
        organisation_id: 1,
        organisation: "Groot".into(),
        round: RoundRef {
            id: 1,
            name: "Ronde".into(),
            questionnaire: "medewerkers".into(),
            opens_on: d("2026-03-01"),
            closes_on: d("2026-03-31"),
            invited: Some(4_000),
        },
        questionnaire: q,
        manager_questionnaire: None,
        snapshot: Snapshot {
            peildatum: d("2026-03-01"),
            employees,
        },
        previous_snapshot: None,
        full_time_hours: 36.0,
        min_group_size: 5,
        respondents,
        pnil: vec![],
        wage_cost_per_fte_year_cents: None,
        interview: None,
        roster_scans: vec![],
        today: d("2026-04-01"),
        resamples: valuecase::DEFAULT_RESAMPLES,
        survey_gate: None,
    }
}

fn bench(c: &mut Criterion) {
    let q = Questionnaire::standard("medewerkers", 1).unwrap();
    let rules = Rules::embedded().unwrap();
    let input = input(q);
    c.bench_function("value_case_json_5000_employees_2000_responses", |b| {
        b.iter(|| serde_json::to_string(&valuecase::compute(&input, &rules)).unwrap())
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = bench
}
criterion_main!(benches);
