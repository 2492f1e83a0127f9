//! The Value Case computed from hand-made inputs: the formula, the reference case,
//! suppression, PNIL, recommendations, determinism and invariants.

mod cases;
mod document;
mod props;

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use survey::Questionnaire;
use valuecase::{Input, Openness, Respondent, RespondentRole, RoundRef, Rules, Snapshot};

pub fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

pub fn employees_q() -> &'static Questionnaire {
    Questionnaire::standard("medewerkers", 1).unwrap()
}

pub fn managers_q() -> &'static Questionnaire {
    Questionnaire::standard("leidinggevenden", 1).unwrap()
}

/// `n` employees of `team` with `hours` contract hours each.
pub fn staff(team: Option<&str>, n: usize, hours: i64, tag: &str) -> Vec<hr::Employee> {
    (0..n)
        .map(|i| hr::Employee {
            pseudonym: format!("{tag}-{}-{i}", team.unwrap_or("none")),
            team: team.map(str::to_string),
            function: None,
            fwg_scale: None,
            contract_hours: Decimal::from(hours),
            part_time_factor: Decimal::from(hours) / Decimal::from(36),
            age_band: None,
            start_date: None,
            end_date: None,
            contract_kind: None,
            source_rows: vec![],
        })
        .collect()
}

/// An employee respondent.
pub fn resp(
    team: Option<&str>,
    openness: Option<Openness>,
    contract: f64,
    desired: f64,
) -> Respondent {
    Respondent {
        role: RespondentRole::Employee,
        team: team.map(str::to_string),
        openness,
        contract_hours: Some(contract),
        desired_hours: Some(desired),
        choices: BTreeMap::new(),
    }
}

pub fn with_choice(mut r: Respondent, question: &str, options: &[&str]) -> Respondent {
    r.choices.insert(
        question.to_string(),
        options.iter().map(|s| s.to_string()).collect(),
    );
    r
}

pub fn input(employees: Vec<hr::Employee>, respondents: Vec<Respondent>, k: u64) -> Input<'static> {
    Input {
        organisation_id: 1,
        organisation: "Zorggroep Test".into(),
        round: RoundRef {
            id: 7,
            name: "Voorjaar 2026".into(),
            questionnaire: "medewerkers".into(),
            opens_on: d("2026-03-01"),
            closes_on: d("2026-03-31"),
            invited: None,
        },
        questionnaire: employees_q(),
        manager_questionnaire: None,
        snapshot: Snapshot {
            peildatum: d("2026-03-01"),
            employees,
        },
        previous_snapshot: None,
        full_time_hours: 36.0,
        min_group_size: k,
        respondents,
        pnil: vec![],
        wage_cost_per_fte_year_cents: None,
        interview: None,
        roster_scans: vec![],
        today: d("2026-04-15"),
        resamples: 200,
        survey_gate: None,
    }
}

pub fn rules() -> Rules {
    Rules::embedded().unwrap()
}
