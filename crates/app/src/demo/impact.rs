//! Demo data for steering on impact: goals for the pilot organisations that have HR
//! snapshots (measured from the baseline of 01-01-2025 to the snapshot six months later),
//! one own (`manual`) goal with values, the public request form, and contract requests in
//! every step of the pipeline, some of them accepted with an employee number so the HR
//! check has something to confirm or flag. Names are fictional.

use ::impact::{GoalKind, RequestStatus};
use store::{NewContractRequest, NewGoal, Phase, RequestUpdate, Store};

use crate::AppResult;

/// (kind, target, team index or none).
const GOALS: &[(GoalKind, f64, Option<usize>)] = &[
    (GoalKind::ContractsExpanded, 30.0, None),
    (GoalKind::ContractHoursAdded, 120.0, None),
    (GoalKind::FteAdded, 3.3, None),
    (GoalKind::AverageContractHours, 24.0, None),
    (GoalKind::PnilMonthlyCost, 5_000.0, None),
    (GoalKind::RequestsAccepted, 6.0, None),
    (GoalKind::HoursAgreed, 24.0, None),
    (GoalKind::ContractHoursAdded, 30.0, Some(0)),
];

/// (name, contact, team index, extra hours, status, agreed hours, employee number
/// offset, created, decided).
type DemoRequest = (
    &'static str,
    &'static str,
    usize,
    f64,
    RequestStatus,
    Option<f64>,
    Option<usize>,
    &'static str,
    Option<&'static str>,
);

const REQUESTS: &[DemoRequest] = &[
    (
        "Anouk Jansen",
        "anouk.jansen@voorbeeld.example",
        0,
        4.0,
        RequestStatus::Nieuw,
        None,
        None,
        "2025-06-20",
        None,
    ),
    (
        "Bram Hendriks",
        "06-11112222",
        1,
        8.0,
        RequestStatus::GesprekGepland,
        None,
        None,
        "2025-06-02",
        None,
    ),
    (
        "Carla de Vries",
        "carla@voorbeeld.example",
        0,
        6.0,
        RequestStatus::AanbodGedaan,
        None,
        None,
        "2025-05-12",
        None,
    ),
    (
        "Dewi Pranoto",
        "06-33334444",
        1,
        4.0,
        RequestStatus::Akkoord,
        Some(4.0),
        Some(3),
        "2025-04-01",
        Some("2025-05-01"),
    ),
    (
        "Erik Bos",
        "erik.bos@voorbeeld.example",
        0,
        8.0,
        RequestStatus::Verwerkt,
        Some(8.0),
        Some(5),
        "2025-02-03",
        Some("2025-03-01"),
    ),
    (
        "Fleur Smit",
        "06-55556666",
        2,
        4.0,
        RequestStatus::Verwerkt,
        Some(4.0),
        Some(7),
        "2025-02-10",
        Some("2025-03-15"),
    ),
    (
        "Gijs Mulder",
        "gijs@voorbeeld.example",
        1,
        12.0,
        RequestStatus::NietGelukt,
        None,
        None,
        "2025-03-03",
        None,
    ),
];

/// Loads goals and requests into the demo's pilot organisations with HR snapshots that
/// have no goals yet.
pub async fn load(store: &Store) -> AppResult<()> {
    for org in store.organisations().await? {
        if org.phase != Phase::Pilot
            || store.hr_snapshots(org.id).await?.len() < 2
            || !store.goals(org.id).await?.is_empty()
        {
            continue;
        }
        let teams = store.teams(org.id).await?;
        if teams.len() < 3 {
            continue;
        }
        for (kind, target, team) in GOALS {
            store
                .add_goal(
                    org.id,
                    &NewGoal {
                        kind: *kind,
                        team_id: team.map(|t| teams[t].id),
                        baseline_date: "2025-01-01",
                        baseline_value: None,
                        target: *target,
                        deadline: "2025-12-31",
                        note: "",
                        created_by: None,
                    },
                )
                .await?;
        }
        let manual = store
            .add_goal(
                org.id,
                &NewGoal {
                    kind: GoalKind::Manual,
                    team_id: None,
                    baseline_date: "2025-01-01",
                    baseline_value: Some(0.0),
                    target: 8.0,
                    deadline: "2025-12-31",
                    note: "Dialoogsessies over contractomvang gehouden",
                    created_by: None,
                },
            )
            .await?;
        for (date, value) in [
            ("2025-03-01", 2.0),
            ("2025-05-01", 4.0),
            ("2025-07-01", 5.0),
        ] {
            store
                .add_goal_value(org.id, manual.id, date, value, "", None)
                .await?;
        }
        let code = format!("DEMO{:02}{}", org.id, &org.name[..1].to_uppercase());
        store.set_request_form(org.id, &code, 12).await?;
        let key = crate::nulmeting::pseudonymiser(store, org.id).await?;
        // The demo's HR employees are numbered by the organisation's place in the HR demo
        // list; ask the snapshots which prefix they carry instead of guessing.
        let first = store.hr_snapshots(org.id).await?;
        let employees = store.hr_employees(first[0].id).await?;
        let number = |offset: usize| -> Option<String> {
            (1..=9).find_map(|prefix| {
                let n = format!("{prefix}{offset:05}");
                let p = key.pseudonym(&n);
                employees.iter().any(|e| e.pseudonym == p).then_some(n)
            })
        };
        for (name, contact, team, hours, status, agreed, emp, created, decided) in REQUESTS {
            let r = store
                .add_contract_request(
                    org.id,
                    &NewContractRequest {
                        team_id: Some(teams[*team % teams.len()].id),
                        extra_hours: *hours,
                        days: "ma,wo,vr",
                        shifts: "vroeg,lang",
                        conditions: "langere_diensten,vast_rooster",
                        name,
                        contact,
                        created_on: created,
                    },
                )
                .await?;
            if *status == RequestStatus::Nieuw {
                continue;
            }
            let pseudonym = emp.and_then(number).map(|n| key.pseudonym(&n));
            store
                .update_contract_request(
                    org.id,
                    r.id,
                    &RequestUpdate {
                        status: *status,
                        reason: (*status == RequestStatus::NietGelukt)
                            .then_some("Geen ruimte in het rooster van het team"),
                        hours_agreed: *agreed,
                        employee_pseudonym: pseudonym.as_deref(),
                        accepted_on: *decided,
                    },
                )
                .await?;
        }
    }
    Ok(())
}
