//! Demo data for the regional picture: generated organisations in Twente, each with a
//! closed survey round and an HR snapshot (and PNIL costs), so that the picture shows some
//! subsectors and suppresses others. Deterministic (fixed seeds); fictional and nameless.
//!
//! With the hand-made demo organisations (De Dinkel's and Twentse Horizon's closed rounds;
//! GGZ Regge en Vecht's round still runs) the contributing organisations are: VVT 4,
//! gehandicaptenzorg 3, GGZ 1, sociaal werk 2 — so VVT and gehandicaptenzorg are shown,
//! GGZ and sociaal werk are hidden ("minder dan 3 organisaties"), and the three
//! organisations of the hidden subsectors together pass the rules, so the region's total
//! can be shown without giving them away.

use chrono::NaiveDate;
use hr::pnil::{PnilEntry, PnilKind, YearMonth};
use hr::{AgeBand, ContractKind, Employee};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rust_decimal::Decimal;
use store::{NewHrSnapshot, NewResponse, OrganisationInput, Store, Subsector};
use survey::Questionnaire;

use super::survey::{OPENNESS, demo_response};
use crate::{AppError, AppResult};

/// (name, subsector, headcount, respondents, openness counts in the order of `OPENNESS`
/// as percentages of the respondents).
type Generated = (&'static str, Subsector, usize, usize, [u64; 5]);

pub(super) const GENERATED: &[Generated] = &[
    (
        "Thuiszorg Het Noorden",
        Subsector::Vvt,
        110,
        60,
        [15, 30, 35, 12, 8],
    ),
    (
        "Woonzorg De Esch",
        Subsector::Vvt,
        95,
        52,
        [12, 28, 38, 12, 10],
    ),
    (
        "Zorgcentrum Saxonia",
        Subsector::Vvt,
        120,
        70,
        [10, 35, 30, 15, 10],
    ),
    (
        "Stichting De Vlinder",
        Subsector::Gz,
        85,
        48,
        [14, 26, 36, 14, 10],
    ),
    (
        "Zorg en Wonen Tubbergen",
        Subsector::Gz,
        75,
        45,
        [11, 33, 32, 14, 10],
    ),
    (
        "GGZ Oost-Twente",
        Subsector::Ggz,
        70,
        38,
        [13, 29, 34, 14, 10],
    ),
    (
        "Buurtwerk Almelo",
        Subsector::SociaalWerk,
        45,
        28,
        [18, 25, 32, 15, 10],
    ),
    (
        "Welzijn Noordoost",
        Subsector::SociaalWerk,
        40,
        24,
        [16, 30, 30, 14, 10],
    ),
];

const TEAMS: [&str; 3] = ["Team Noord", "Team Zuid", "Team Midden"];
const HOURS: &[u32] = &[
    12, 16, 16, 18, 20, 20, 24, 24, 24, 24, 26, 28, 28, 28, 30, 32, 32, 32, 36, 36,
];

fn contract_kind(rng: &mut StdRng) -> ContractKind {
    match rng.random_range(0..100) {
        0..78 => ContractKind::Vast,
        78..92 => ContractKind::Tijdelijk,
        _ => ContractKind::Flex,
    }
}

/// Loads the generated organisations (skipped when one of that name exists). Returns how
/// many were added.
pub async fn load(store: &Store) -> AppResult<usize> {
    let q = Questionnaire::standard("medewerkers", 1).map_err(AppError::internal)?;
    let mut added = 0;
    for (i, (name, subsector, headcount, respondents, openness)) in GENERATED.iter().enumerate() {
        if store.find_organisation(name).await.is_ok() {
            continue;
        }
        generated_organisation(
            store,
            q,
            &GeneratedOrg {
                name,
                subsector: *subsector,
                headcount: *headcount,
                respondents: *respondents,
                openness: *openness,
                teams: &TEAMS,
                invited_per_team: (*respondents / 2) as i64 + 10,
                seed: 0x7e61_0000 + i as u64,
                employee_prefix: &format!("G{i}"),
            },
        )
        .await?;
        added += 1;
    }
    Ok(added)
}

/// What [`generated_organisation`] makes: an organisation of `headcount` employees spread
/// over `teams` in turn, `respondents` responses to the standard employees' questionnaire
/// with the openness answers in `openness` (percentages in the order of `OPENNESS`), 12
/// months of PNIL and an hourly wage cost.
pub struct GeneratedOrg<'a> {
    pub name: &'a str,
    pub subsector: Subsector,
    pub headcount: usize,
    pub respondents: usize,
    pub openness: [u64; 5],
    pub teams: &'a [&'a str],
    /// Invited employees per team of the round (the response rate's denominator).
    pub invited_per_team: i64,
    /// The random generator's seed: the same seed gives the same organisation.
    pub seed: u64,
    /// Employee numbers are `{employee_prefix}{n:05}` before pseudonymisation.
    pub employee_prefix: &'a str,
}

/// Creates one generated organisation with a location, its teams, an HR snapshot (peildatum
/// 01-09-2026), PNIL for the 12 months up to October 2026 and a closed survey round
/// (14-09-2026 to 04-10-2026). Also used by `urenwinst bench value-case` to build an
/// organisation of any size.
pub async fn generated_organisation(
    store: &Store,
    q: &Questionnaire,
    spec: &GeneratedOrg<'_>,
) -> AppResult<store::Organisation> {
    let GeneratedOrg {
        name,
        subsector,
        headcount,
        respondents,
        openness,
        teams: team_names,
        ..
    } = *spec;
    let peildatum = NaiveDate::from_ymd_opt(2026, 9, 1).expect("date");
    let opens = NaiveDate::from_ymd_opt(2026, 9, 14).expect("date");
    let closes = NaiveDate::from_ymd_opt(2026, 10, 4).expect("date");
    let mut rng = StdRng::seed_from_u64(spec.seed);
    let org = store
        .create_organisation(&OrganisationInput::new(name, subsector))
        .await?;
    let loc = store.create_location(org.id, "Hoofdlocatie").await?;
    let mut teams = Vec::new();
    for t in team_names {
        teams.push(store.create_team(org.id, t, Some(loc.id)).await?);
    }

    // HR snapshot.
    let key = crate::nulmeting::pseudonymiser(store, org.id)
        .await
        .map_err(|e| AppError::internal(format!("{e:?}")))?;
    let ft = crate::nulmeting::full_time_hours(&org);
    let employees: Vec<Employee> = (0..headcount)
        .map(|n| {
            let hours = HOURS[rng.random_range(0..HOURS.len())];
            let start_year = rng.random_range(1998..2026);
            Employee {
                pseudonym: key.pseudonym(&format!("{}{n:05}", spec.employee_prefix)),
                team: Some(team_names[n % team_names.len()].to_string()),
                function: Some("Medewerker zorg".into()),
                fwg_scale: Some("FWG 35".into()),
                contract_hours: Decimal::from(hours),
                part_time_factor: hr::fte(Decimal::from(hours), ft),
                age_band: Some(AgeBand::ALL[rng.random_range(0..AgeBand::ALL.len())]),
                start_date: NaiveDate::from_ymd_opt(start_year, rng.random_range(1..13), 1),
                end_date: None,
                contract_kind: Some(contract_kind(&mut rng)),
                source_rows: Vec::new(),
            }
        })
        .collect();
    store
        .insert_hr_snapshot(
            org.id,
            &NewHrSnapshot {
                peildatum,
                file_name: "demo-hr-2026-09.csv",
                rows_read: employees.len(),
                skipped: 0,
                employees: &employees,
            },
        )
        .await?;

    // PNIL: the 12 months up to the round's close month.
    let mut entries = Vec::new();
    for m in 0..12i64 {
        let month = YearMonth::from_index(YearMonth::new(2025, 11).expect("month").index() + m);
        let cents = 400_i64 * headcount as i64 * rng.random_range(80..121);
        entries.push(PnilEntry {
            month,
            team: Some(team_names[0].to_string()),
            kind: Some(PnilKind::Uitzend),
            amount_cents: cents,
            hours: Some(Decimal::from(cents / 7_500)),
            source_row: entries.len() as u32 + 2,
        });
    }
    store.replace_pnil_months(org.id, &entries).await?;
    store.set_hr_wage_cost(org.id, Some(5_800_000)).await?;

    // A closed survey round.
    let round = store
        .create_survey_round(
            org.id,
            &store::NewSurveyRound {
                name: "Nulmeting najaar 2026".into(),
                kind: "nulmeting".into(),
                questionnaire: "medewerkers".into(),
                version: 1,
                custom_questions: "[]".into(),
                opens_on: opens.format("%Y-%m-%d").to_string(),
                closes_on: closes.format("%Y-%m-%d").to_string(),
                invitation_text: format!(
                    "Beste collega, {name} wil weten wie meer uren wil werken."
                ),
                import_round: false,
            },
            &teams.iter().map(|t| t.id).collect::<Vec<_>>(),
        )
        .await?;
    let mut answers: Vec<&str> = Vec::new();
    for (k, pct) in openness.iter().enumerate() {
        let n = (respondents as u64 * pct).div_ceil(100) as usize;
        answers.extend(std::iter::repeat_n(OPENNESS[k], n));
    }
    answers.truncate(respondents);
    answers.shuffle(&mut rng);
    let mut responses = Vec::new();
    for (n, o) in answers.into_iter().enumerate() {
        let team = &teams[n % teams.len()];
        let validated = q
            .validate(&demo_response(&mut rng, o))
            .map_err(|e| AppError::internal(format!("demo response invalid: {:?}", e.errors)))?;
        let mut response = validated.response;
        response
            .answers
            .retain(|_, a| !matches!(a, survey::Answer::Text(_)));
        responses.push(NewResponse {
            team_id: Some(team.id),
            version: 1,
            answers: serde_json::to_string(&response).map_err(AppError::internal)?,
            day: (opens + chrono::Days::new(rng.random_range(0..7)))
                .format("%Y-%m-%d")
                .to_string(),
            source: "code",
        });
    }
    for team in &teams {
        store
            .set_round_team_invited(round.id, team.id, spec.invited_per_team)
            .await?;
    }
    store
        .import_survey_responses_with_texts(round.id, &responses, &[])
        .await?;
    store.set_survey_round_status(round.id, "gesloten").await?;
    Ok(org)
}
