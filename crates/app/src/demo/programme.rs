//! Demo data for the programme (issue 31): Twente's phases with the indicative timeline of
//! DOMAIN.md, the pilot cohort (the demo organisations in the pilot phase) with their
//! onboarding, intervention plans pre-filled from the Value Case with some progress,
//! meetings with decisions, and actions (some overdue, relative to the day of loading, so
//! the demo always shows late ones).

use chrono::NaiveDate;
use store::{Phase, Store};

use crate::AppResult;
use crate::access::Caller;
use crate::programme::{self, ActionInput, MeetingInput, OnboardingInput, PlanItemForm};

/// (organisation, project lead, board commitment, people, hours per week)
type DemoOnboarding = (&'static str, &'static str, Option<&'static str>, i64, f64);

const ONBOARDING: &[DemoOnboarding] = &[
    (
        "Zorggroep De Dinkel",
        "Hanneke Oude Luttikhuis (HR-adviseur)",
        Some("2024-09-16"),
        4,
        16.0,
    ),
    (
        "Stichting Twentse Horizon",
        "Ingrid Lansink (HR)",
        Some("2024-10-01"),
        3,
        12.0,
    ),
    // Still busy: no board commitment yet.
    ("Huisartsenzorg Twente Samen", "Wendy Wiggers", None, 1, 4.0),
];

fn day(d: NaiveDate, offset: i64) -> String {
    (d + chrono::Duration::days(offset))
        .format("%Y-%m-%d")
        .to_string()
}

pub async fn load(store: &Store) -> AppResult<()> {
    let op = Caller::Operator;
    let region = store.default_region().await?;
    for (phase, from, to) in [
        (Phase::Ontwerp, "2024-04-01", "2024-09-30"),
        (Phase::Pilot, "2024-09-01", "2025-03-31"),
        (Phase::Opschalen, "2025-01-01", "2026-12-31"),
    ] {
        programme::set_phase(store, op, region.id, phase, from, to).await?;
    }
    let mut pilot = Vec::new();
    for o in store.region_organisations(region.id).await? {
        if store.organisation(o.id).await?.phase == Phase::Pilot {
            pilot.push(o.id.to_string());
        }
    }
    pilot.truncate(programme::MAX_COHORT);
    if !pilot.is_empty() {
        programme::add_cohort(
            store,
            op,
            region.id,
            "Pilotcohort 2024-2025",
            Phase::Pilot,
            &pilot,
        )
        .await?;
    }
    for (org, lead, board, people, hours) in ONBOARDING {
        let Ok(o) = store.find_organisation(org).await else {
            continue;
        };
        programme::set_onboarding(
            store,
            op,
            o.id,
            &OnboardingInput {
                project_lead: lead.to_string(),
                board_commitment_on: board.map(str::to_string),
                people_reserved: *people,
                hours_reserved: *hours,
                notes: String::new(),
            },
        )
        .await?;
    }

    let today = programme::today();
    // Plans from the Value Case, where the organisation has one.
    for org in [
        "Zorggroep De Dinkel",
        "Stichting Twentse Horizon",
        "GGZ Regge en Vecht",
    ] {
        let Ok(o) = store.find_organisation(org).await else {
            continue;
        };
        if let Err(e) = programme::prefill_plan(store, op, o.id, today).await {
            tracing::debug!(org, error = %e, "demo: no Value Case to fill the plan from");
        }
    }

    let Ok(dinkel) = store.find_organisation("Zorggroep De Dinkel").await else {
        return Ok(());
    };
    let teams = store.teams(dinkel.id).await?;
    let team = |i: usize| teams.get(i).map(|t| t.id);
    let set = |code: &'static str,
               status: &'static str,
               owner: &'static str,
               from: i64,
               to: i64,
               team_ids: Vec<i64>| {
        (
            code,
            PlanItemForm {
                status: status.into(),
                owner: owner.into(),
                starts_on: Some(day(today, from)),
                ends_on: Some(day(today, to)),
                team_ids,
            },
        )
    };
    for (code, form) in [
        set("value_case", "afgerond", "Programmateam", -120, -60, vec![]),
        set(
            "roostersessies",
            "bezig",
            "Priya Ramdin (planner)",
            -45,
            60,
            [team(0), team(1)].into_iter().flatten().collect(),
        ),
        set(
            "werkurenberekenaar",
            "bezig",
            "Hanneke Oude Luttikhuis",
            -30,
            90,
            vec![],
        ),
        set(
            "goed_gesprek",
            "gepland",
            "Mark Nijhuis",
            14,
            120,
            team(0).into_iter().collect(),
        ),
        // The first pilot half year (the period of the demo's two HR snapshots), so the
        // impact page's "what contributed" has an intervention to place.
        (
            "dialoogsessies",
            PlanItemForm {
                status: "afgerond".into(),
                owner: "Hanneke Oude Luttikhuis".into(),
                starts_on: Some("2025-02-01".into()),
                ends_on: Some("2025-06-15".into()),
                team_ids: [team(0), team(1)].into_iter().flatten().collect(),
            },
        ),
    ] {
        programme::save_plan_item(store, op, dinkel.id, code, &form).await?;
    }
    programme::add_session(
        store,
        op,
        dinkel.id,
        "roostersessies",
        &day(today, -40),
        9,
        "Roosterscan besproken met planners en teamleiders van Essenhof 1 en 2; drie knelpunten gekozen.",
    )
    .await?;
    programme::add_session(
        store,
        op,
        dinkel.id,
        "roostersessies",
        &day(today, -12),
        7,
        "Werksessie: langere diensten in het weekend uitgeprobeerd op papier.",
    )
    .await?;
    programme::add_material(
        store,
        op,
        dinkel.id,
        "werkurenberekenaar",
        "WerkUrenBerekenaar voor medewerkers",
        "https://urenwinst.example/berekenaar",
    )
    .await?;

    let stuurgroep = programme::add_meeting(
        store,
        op,
        dinkel.id,
        &MeetingInput {
            kind: "stuurgroep".into(),
            held_on: day(today, -35),
            notes: "Value Case besproken met bestuurder, HR en twee teamleiders. 45% van de respondenten staat open voor meer uren.".into(),
            decisions: "1. We starten met roostersessies in Essenhof 1 en 2. 2. HR maakt de WerkUrenBerekenaar bekend via het intranet. 3. Doel: 20 contractuitbreidingen binnen zes maanden.".into(),
        },
    )
    .await?;
    let projectgroep = programme::add_meeting(
        store,
        op,
        dinkel.id,
        &MeetingInput {
            kind: "projectgroep".into(),
            held_on: day(today, -7),
            notes: "Voortgang roostersessies; eerste medewerkers hebben om een gesprek gevraagd."
                .into(),
            decisions: "Goed Gesprek-workshop voor leidinggevenden plannen vóór de jaarwisseling."
                .into(),
        },
    )
    .await?;

    let action = |title: &str,
                  owner: &str,
                  due: i64,
                  team_id: Option<i64>,
                  link: Option<(&str, String)>,
                  status: &str| ActionInput {
        title: title.into(),
        owner: owner.into(),
        due_on: day(today, due),
        team_id,
        link_kind: link.as_ref().map(|(k, _)| k.to_string()),
        link_ref: link.map(|(_, r)| r),
        status: Some(status.into()),
    };
    for a in [
        action(
            "Roosterknelpunten Essenhof 1 op een rij zetten",
            "manager@dedinkel.example",
            -10,
            team(0),
            Some(("intervention", "roostersessies".into())),
            "bezig",
        ),
        action(
            "Bericht over de WerkUrenBerekenaar op intranet zetten",
            "hr@dedinkel.example",
            -4,
            None,
            Some(("meeting", stuurgroep.id.to_string())),
            "open",
        ),
        action(
            "Datum Goed Gesprek-workshop vastleggen",
            "hr@dedinkel.example",
            2,
            None,
            Some(("meeting", projectgroep.id.to_string())),
            "open",
        ),
        action(
            "Resultaten De Dinkel inbrengen bij de ronde tafel VVT",
            "programma",
            21,
            None,
            Some(("round_table", "1".into())),
            "open",
        ),
        action(
            "Value Case delen met de ondernemingsraad",
            "hr@dedinkel.example",
            -50,
            None,
            Some(("intervention", "value_case".into())),
            "klaar",
        ),
        action(
            "Weekendrooster Essenhof 2 proefdraaien",
            "planner@dedinkel.example",
            30,
            team(0),
            Some(("intervention", "roostersessies".into())),
            "open",
        ),
    ] {
        programme::add_action(store, op, dinkel.id, &a).await?;
    }
    if let Ok(horizon) = store.find_organisation("Stichting Twentse Horizon").await {
        programme::add_meeting(
            store,
            op,
            horizon.id,
            &MeetingInput {
                kind: "dialoogsessie".into(),
                held_on: day(today, -20),
                notes: "Open sessie met medewerkers van de woongroepen over meer uren en combinatiediensten.".into(),
                decisions: "Informatiepakket met vragen en antwoorden maken.".into(),
            },
        )
        .await?;
        programme::add_action(
            store,
            op,
            horizon.id,
            &action(
                "Informatiepakket vragen en antwoorden opstellen",
                "hr@twentsehorizon.example",
                -3,
                None,
                Some(("intervention", "informatiepakketten".into())),
                "open",
            ),
        )
        .await?;
    }
    Ok(())
}
