//! The Value Case service against a real database with seeded data (SQLite, and
//! PostgreSQL when `URENWINST_TEST_POSTGRES` is set).

use crate::for_each_backend;
use app::AppError;
use app::access::Caller;
use app::value_case;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use store::{NewHrSnapshot, NewResponse, NewSurveyRound, NewUser, OrganisationInput, Role, Store};
use valuecase::checklist::StepState;
use valuecase::interview::{Interview, InterviewItem, ItemKind, Theme};

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn staff(team: &str, n: usize, hours: i64, tag: &str) -> Vec<hr::Employee> {
    (0..n)
        .map(|i| hr::Employee {
            pseudonym: format!("{tag}{team}{i:03}"),
            team: Some(team.to_string()),
            function: None,
            fwg_scale: None,
            contract_hours: Decimal::from(hours),
            part_time_factor: Decimal::from(hours) / Decimal::from(36),
            age_band: None,
            start_date: None,
            end_date: None,
            contract_kind: None,
            source_rows: vec![1],
        })
        .collect()
}

fn answers(openness: &str, contract: f64, desired: f64, conditions: &[&str]) -> String {
    let mut v = serde_json::json!({
        "contract_uren": {"number": contract},
        "gewenste_uren": {"number": desired},
        "bereidheid": {"choice": openness},
        "weet_netto": {"choice": "nee"},
    });
    if !conditions.is_empty() {
        v["voorwaarden"] = serde_json::json!({ "choices": conditions });
    }
    v.to_string()
}

struct Seeded {
    org: i64,
    round: i64,
    open_round: i64,
}

/// An organisation with teams Zon (12 employees, 6 respondents) and Maan (8 employees, 2
/// respondents), a closed import round, an open round, two HR snapshots and PNIL.
async fn seed(s: &Store) -> Seeded {
    let org = s
        .create_organisation(&OrganisationInput::new(
            "Zorggroep Test",
            store::Subsector::Vvt,
        ))
        .await
        .unwrap();
    let zon = s.create_team(org.id, "Zon", None).await.unwrap();
    let maan = s.create_team(org.id, "Maan", None).await.unwrap();
    let new_round = |name: &str, closes: &str| NewSurveyRound {
        name: name.into(),
        kind: "nulmeting".into(),
        questionnaire: "medewerkers".into(),
        version: 1,
        custom_questions: "[]".into(),
        opens_on: "2026-03-01".into(),
        closes_on: closes.into(),
        invitation_text: String::new(),
        import_round: true,
    };
    let round = s
        .create_survey_round(
            org.id,
            &new_round("Voorjaar 2026", "2026-03-31"),
            &[zon.id, maan.id],
        )
        .await
        .unwrap();
    let mut responses = Vec::new();
    // Zon: 2 sure (+4 h each), 2 conditional (+2 h each), 2 no → 12 / 6 = 2 h per person.
    for (o, c, w, cond) in [
        ("ja_zeker", 20.0, 24.0, vec![]),
        ("ja_zeker", 24.0, 28.0, vec![]),
        ("ja_onder_voorwaarden", 20.0, 22.0, vec!["langere_diensten"]),
        (
            "ja_onder_voorwaarden",
            16.0,
            18.0,
            vec!["langere_diensten", "kinderopvang"],
        ),
        ("nee", 24.0, 24.0, vec![]),
        ("nee", 32.0, 32.0, vec![]),
    ] {
        responses.push(NewResponse {
            team_id: Some(zon.id),
            version: 1,
            answers: answers(o, c, w, &cond),
            day: "2026-03-10".into(),
            source: "import",
        });
    }
    // Maan: 2 respondents (below k = 5) → pooled 2 < 5 → organisation rate.
    for (o, c, w) in [("ja_zeker", 20.0, 28.0), ("nee", 20.0, 20.0)] {
        responses.push(NewResponse {
            team_id: Some(maan.id),
            version: 1,
            answers: answers(o, c, w, &[]),
            day: "2026-03-10".into(),
            source: "import",
        });
    }
    s.import_survey_responses(round.id, &responses)
        .await
        .unwrap();
    s.set_round_team_invited(round.id, zon.id, 10)
        .await
        .unwrap();
    s.set_round_team_invited(round.id, maan.id, 6)
        .await
        .unwrap();
    s.set_survey_round_status(round.id, "gesloten")
        .await
        .unwrap();

    let open_round = s
        .create_survey_round(org.id, &new_round("Najaar 2026", "2026-10-31"), &[zon.id])
        .await
        .unwrap();
    s.set_survey_round_status(open_round.id, "open")
        .await
        .unwrap();

    let mut now = staff("Zon", 12, 24, "p");
    now.extend(staff("Maan", 8, 20, "p"));
    s.insert_hr_snapshot(
        org.id,
        &NewHrSnapshot {
            peildatum: d("2026-04-01"),
            file_name: "hr.csv",
            rows_read: 20,
            skipped: 0,
            employees: &now,
        },
    )
    .await
    .unwrap();
    let before = staff("Zon", 12, 20, "p");
    s.insert_hr_snapshot(
        org.id,
        &NewHrSnapshot {
            peildatum: d("2025-04-01"),
            file_name: "hr-2025.csv",
            rows_read: 12,
            skipped: 0,
            employees: &before,
        },
    )
    .await
    .unwrap();
    let pnil: Vec<hr::pnil::PnilEntry> = (1..=3)
        .map(|m| hr::pnil::PnilEntry {
            month: hr::pnil::YearMonth::new(2026, m).unwrap(),
            team: None,
            kind: None,
            amount_cents: 250_000,
            hours: Some(Decimal::from(40)),
            source_row: m,
        })
        .collect();
    s.replace_pnil_months(org.id, &pnil).await.unwrap();
    Seeded {
        org: org.id,
        round: round.id,
        open_round: open_round.id,
    }
}

#[tokio::test]
async fn assembles_the_value_case_from_stored_data() {
    for_each_backend(|s| async move {
        let x = seed(&s).await;
        let vc = value_case::assemble(&s, Caller::Operator, x.org, None, None, d("2026-04-20"))
            .await
            .unwrap();
        assert_eq!(vc.round.id, x.round, "the last closed round");
        assert_eq!(
            vc.snapshot.peildatum,
            d("2026-04-01"),
            "nearest the close date"
        );
        assert_eq!(vc.round.invited, Some(16));
        assert_eq!(vc.survey.respondents, 8);
        assert_eq!(vc.survey.response_rate, Some(0.5));
        assert_eq!(vc.survey.open_share, Some(0.625));
        assert_eq!(vc.workforce.employees, Some(20));
        assert_eq!(vc.workforce.average_contract_hours, Some(22.4));
        // Zon: 12 / 6 = 2 → 24 h. Maan: organisation rate (12 + 8) / 8 = 2.5 → 20 h.
        assert_eq!(vc.potential.hours_per_week, Some(44.0));
        assert_eq!(vc.potential.fte, Some(1.22));
        // Maan (2 respondents) is hidden, and Zon with it (else Maan = total − Zon).
        assert!(vc.teams.iter().all(|t| t.suppressed), "{:?}", vc.teams);
        assert_eq!(vc.pnil.last_12_months_cost, Some(750_000));
        let change = vc.contract_change.as_ref().unwrap();
        assert_eq!((change.contracts_grown, change.joined), (12, 8));
        assert!(
            vc.recommendations
                .iter()
                .any(|r| r.code == "werkurenberekenaar")
        );

        // The pickers offer the closed round and both snapshots, with the same defaults.
        let c = value_case::choices(&s, Caller::Operator, x.org)
            .await
            .unwrap();
        assert_eq!(
            c.rounds.iter().map(|r| r.id).collect::<Vec<_>>(),
            vec![x.round]
        );
        assert_eq!(c.snapshots, vec![d("2026-04-01"), d("2025-04-01")]);
        assert_eq!(c.default_round, Some(vc.round.id));
        assert_eq!(c.default_snapshot, Some(vc.snapshot.peildatum));

        // The same data give the same JSON.
        let again = value_case::assemble(&s, Caller::Operator, x.org, None, None, d("2026-04-20"))
            .await
            .unwrap();
        assert_eq!(
            serde_json::to_string(&vc).unwrap(),
            serde_json::to_string(&again).unwrap()
        );

        // A chosen snapshot and round.
        let old = value_case::assemble(
            &s,
            Caller::Operator,
            x.org,
            Some(x.round),
            Some(d("2025-04-01")),
            d("2026-04-20"),
        )
        .await
        .unwrap();
        assert_eq!(old.workforce.employees, Some(12));
        assert!(old.contract_change.is_none());
    })
    .await;
}

#[tokio::test]
async fn refuses_an_open_round_a_missing_snapshot_and_other_organisations() {
    for_each_backend(|s| async move {
        let x = seed(&s).await;
        let today = d("2026-04-20");
        match value_case::assemble(&s, Caller::Operator, x.org, Some(x.open_round), None, today)
            .await
        {
            Err(AppError::Invalid {
                field: "round",
                message,
            }) => assert!(message.contains("nog niet gesloten"), "{message}"),
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            value_case::assemble(
                &s,
                Caller::Operator,
                x.org,
                None,
                Some(d("2020-01-01")),
                today
            )
            .await,
            Err(AppError::Invalid {
                field: "snapshot",
                ..
            })
        ));
        let other = s
            .create_organisation(&OrganisationInput::new("Ander", store::Subsector::Gz))
            .await
            .unwrap();
        assert!(matches!(
            value_case::assemble(&s, Caller::Operator, other.id, None, None, today).await,
            Err(AppError::Invalid { field: "round", .. })
        ));
        // Round of another organisation: not found.
        assert!(matches!(
            value_case::assemble(&s, Caller::Operator, other.id, Some(x.round), None, today).await,
            Err(AppError::NotFound)
        ));
        let user = |role: Role, org: i64, email: &'static str| NewUser {
            email: email.into(),
            name: "Gebruiker".into(),
            role,
            org_id: Some(org),
            team_ids: vec![],
            password_hash: None,
        };
        let planner = s
            .create_user(&user(Role::Planner, x.org, "p@x.nl"))
            .await
            .unwrap();
        let stranger = s
            .create_user(&user(Role::OrgAdmin, other.id, "a@y.nl"))
            .await
            .unwrap();
        let manager = s
            .create_user(&user(Role::Manager, x.org, "m@x.nl"))
            .await
            .unwrap();
        assert!(matches!(
            value_case::assemble(&s, Caller::User(&planner), x.org, None, None, today).await,
            Err(AppError::Forbidden)
        ));
        assert!(matches!(
            value_case::assemble(&s, Caller::User(&stranger), x.org, None, None, today).await,
            Err(AppError::NotFound)
        ));
        // The interview is visible to the whole organisation, planners included.
        assert_eq!(
            value_case::interview(&s, Caller::User(&planner), x.org)
                .await
                .unwrap(),
            None
        );
        assert!(matches!(
            value_case::interview(&s, Caller::User(&stranger), x.org).await,
            Err(AppError::NotFound)
        ));
        assert!(matches!(
            value_case::save_interview(&s, Caller::User(&planner), x.org, Interview::default())
                .await,
            Err(AppError::Forbidden)
        ));
        let vc = value_case::assemble(&s, Caller::User(&manager), x.org, None, None, today)
            .await
            .unwrap();
        assert!(matches!(
            value_case::share(&s, Caller::User(&manager), &vc).await,
            Err(AppError::Forbidden)
        ));
    })
    .await;
}

#[tokio::test]
async fn interview_share_and_checklists() {
    for_each_backend(|s| async move {
        let x = seed(&s).await;
        let admin = s
            .create_user(&NewUser {
                email: "beheer@x.nl".into(),
                name: "Beheer".into(),
                role: Role::OrgAdmin,
                org_id: Some(x.org),
                team_ids: vec![],
                password_hash: None,
            })
            .await
            .unwrap();
        let caller = Caller::User(&admin);
        let before = value_case::checklist(&s, caller, x.org).await.unwrap();
        let state = |c: &valuecase::checklist::Checklist, code: &str| {
            c.steps.iter().find(|s| s.code == code).unwrap().state
        };
        assert_eq!(state(&before, "interview"), StepState::Open);
        assert_eq!(state(&before, "vragenlijst"), StepState::Klaar);
        assert_eq!(state(&before, "hr"), StepState::Klaar);
        assert_eq!(state(&before, "pnil"), StepState::Bezig);
        assert_eq!(state(&before, "rapport"), StepState::Open);

        assert_eq!(
            value_case::interview(&s, caller, x.org).await.unwrap(),
            None
        );
        let saved = value_case::save_interview(
            &s,
            caller,
            x.org,
            Interview {
                held_on: Some(d("2026-02-01")),
                contract_policy: " Standaard 24 uur ".into(),
                items: vec![InterviewItem {
                    kind: ItemKind::Belemmering,
                    theme: Theme::HrBeleid,
                    text: "Uitbreiding alleen bij vacature".into(),
                    quote: None,
                    who: "HR-adviseur".into(),
                    in_report: true,
                }],
                ..Interview::default()
            },
        )
        .await
        .unwrap();
        assert_eq!(saved.contract_policy, "Standaard 24 uur");
        assert_eq!(
            value_case::interview(&s, caller, x.org).await.unwrap(),
            Some(saved)
        );
        let bad = Interview {
            items: vec![InterviewItem {
                kind: ItemKind::Kans,
                theme: Theme::Overig,
                text: "  ".into(),
                quote: None,
                who: "x".into(),
                in_report: false,
            }],
            ..Interview::default()
        };
        assert!(matches!(
            value_case::save_interview(&s, caller, x.org, bad).await,
            Err(AppError::Invalid { field: "items", .. })
        ));

        let vc = value_case::assemble(&s, caller, x.org, None, None, d("2026-04-20"))
            .await
            .unwrap();
        assert_eq!(vc.interview.len(), 1);
        assert!(
            vc.recommendations
                .iter()
                .any(|r| r.code == "spelregels_speelruimte"),
            "HR-policy obstacle in the interview"
        );
        value_case::record_generated(&s, caller, &vc, "pdf")
            .await
            .unwrap();
        let shared = value_case::share(&s, caller, &vc).await.unwrap();
        assert_eq!(shared.shared_by, Some(admin.id));
        assert_eq!(
            value_case::shares(&s, caller, x.org).await.unwrap().len(),
            1
        );

        let after = value_case::checklist(&s, caller, x.org).await.unwrap();
        assert_eq!(state(&after, "interview"), StepState::Klaar);
        assert_eq!(state(&after, "rapport"), StepState::Klaar);

        assert!(matches!(
            value_case::checklists(&s, caller).await,
            Err(AppError::Forbidden)
        ));
        let all = value_case::checklists(&s, Caller::Operator).await.unwrap();
        assert_eq!(all.len(), 1);
        assert_eq!(all[0].1, after);
    })
    .await;
}
