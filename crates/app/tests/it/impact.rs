//! Steering on impact against a real database: the reference case end to end (goals set
//! on a baseline HR extract, a second extract imported, progress = 27 contracts, 105 h,
//! 2.9 FTE), and contract requests from the public form through the pipeline to the HR
//! check and the retention purge (SQLite, and PostgreSQL when configured).

use crate::for_each_backend;
use app::AppError;
use app::access::Caller;
use app::impact::{self, GoalInput, RequestInput, RequestMove};
use chrono::NaiveDate;
use store::{Actor, NewUser, OrganisationInput, Role, Store, Subsector};

/// A goal's kind, measured value, progress and on-track verdict.
type Measured = (String, Option<f64>, Option<f64>, Option<bool>);

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// An HR extract of 60 employees on 20 hours, 30 in Sint Jozef and 30 in De Linde; with
/// `grown`, the first 24 have 4 hours more and the next 3 have 3 hours more.
fn extract(grown: bool) -> String {
    let mut s = String::from("Personeelsnummer;Team;Functie;Uren per week;Leeftijd\n");
    for i in 0..60 {
        let extra = match (grown, i) {
            (true, 0..24) => 4,
            (true, 24..27) => 3,
            _ => 0,
        };
        let team = if i < 30 { "Sint Jozef" } else { "De Linde" };
        s.push_str(&format!(
            "{};{team};Verzorgende IG;{};40\n",
            1000 + i,
            20 + extra
        ));
    }
    s
}

async fn import(store: &Store, org: &store::Organisation, date: &str, csv: &str) {
    let table = app::nulmeting::read_file(csv.as_bytes()).unwrap();
    let (mapping, _) = app::nulmeting::hr_mapping_for(store, org.id, &table)
        .await
        .unwrap();
    app::nulmeting::import_hr(
        store,
        &Actor::cli(),
        org,
        d(date),
        "hr.csv",
        &table,
        &mapping,
        false,
    )
    .await
    .unwrap();
}

#[tokio::test]
async fn the_reference_case_end_to_end() {
    for_each_backend(|s| async move {
        let org = s
            .create_organisation(&OrganisationInput::new(
                "Zorggroep Sint Maarten",
                Subsector::Vvt,
            ))
            .await
            .unwrap();
        s.create_team(org.id, "Sint Jozef", None).await.unwrap();
        s.create_team(org.id, "De Linde", None).await.unwrap();
        import(&s, &org, "2026-01-01", &extract(false)).await;
        // Goals are set on the baseline snapshot (today = its date, no baseline date given).
        for (kind, target) in [
            ("contracts_expanded", 27.0),
            ("contract_hours_added", 105.0),
            ("fte_added", 2.9),
        ] {
            impact::add_goal(
                &s,
                Caller::Operator,
                org.id,
                &GoalInput {
                    kind: kind.into(),
                    target,
                    deadline: "2026-07-01".into(),
                    ..GoalInput::default()
                },
                d("2026-01-01"),
            )
            .await
            .unwrap();
        }
        let before = impact::impact(&s, Caller::Operator, org.id, d("2026-03-01"))
            .await
            .unwrap();
        assert!(
            before.contracts.is_none(),
            "one snapshot: nothing to compare"
        );
        assert!(
            before
                .goals
                .iter()
                .all(|g| g.progress.measured == Some(0.0))
        );
        assert!(
            before.goals.iter().all(|g| g.progress.on_track.is_none()),
            "nothing measured since the baseline: no verdict"
        );

        // The organisation ran roster sessions in Sint Jozef from February.
        let jozef = s
            .teams(org.id)
            .await
            .unwrap()
            .into_iter()
            .find(|t| t.name == "Sint Jozef")
            .unwrap();
        app::programme::save_plan_item(
            &s,
            Caller::Operator,
            org.id,
            "roostersessies",
            &app::programme::PlanItemForm {
                status: "bezig".into(),
                owner: "Projectleider".into(),
                starts_on: Some("2026-02-01".into()),
                ends_on: None,
                team_ids: vec![jozef.id],
            },
        )
        .await
        .unwrap();

        // Six months later the second extract arrives.
        import(&s, &org, "2026-07-01", &extract(true)).await;
        let after = impact::impact(&s, Caller::Operator, org.id, d("2026-07-15"))
            .await
            .unwrap();
        let c = after.contracts.as_ref().unwrap();
        assert_eq!((c.grown, c.hours_added, c.fte_added), (27, 105.0, 2.9));
        assert_eq!(
            (c.shrunk, c.hours_removed, c.joined, c.left),
            (0, 0.0, 0, 0)
        );
        let measured: Vec<Measured> = after
            .goals
            .iter()
            .map(|g| {
                (
                    g.progress.kind.code().to_string(),
                    g.progress.measured,
                    g.progress.progress,
                    g.progress.on_track,
                )
            })
            .collect();
        assert_eq!(
            measured,
            vec![
                (
                    "contracts_expanded".into(),
                    Some(27.0),
                    Some(1.0),
                    Some(true)
                ),
                (
                    "contract_hours_added".into(),
                    Some(105.0),
                    Some(1.0),
                    Some(true)
                ),
                ("fte_added".into(), Some(2.9), Some(1.0), Some(true)),
            ]
        );
        // The JSON has the fields the issue names.
        let json = serde_json::to_value(&after).unwrap();
        for field in [
            "kind",
            "baseline",
            "target",
            "measured",
            "measured_at",
            "progress",
            "on_track",
        ] {
            assert!(json["goals"][0].get(field).is_some(), "goals[].{field}");
        }
        for field in [
            "grown",
            "hours_added",
            "fte_added",
            "shrunk",
            "hours_removed",
            "joined",
            "left",
        ] {
            assert!(json["contracts"].get(field).is_some(), "contracts.{field}");
        }
        assert_eq!(json["goals"][2]["measured_at"], "2026-07-01");

        // What contributed: all 27 grew in Sint Jozef, where the roster sessions ran.
        let contributed = after.contributed.as_ref().unwrap();
        let teams: Vec<(&str, usize, usize, f64, Vec<String>)> = contributed
            .teams
            .iter()
            .map(|t| {
                (
                    t.team.as_str(),
                    t.employees,
                    t.grown,
                    t.hours_added,
                    t.interventions.clone(),
                )
            })
            .collect();
        assert_eq!(
            teams,
            vec![
                (
                    "Sint Jozef",
                    30,
                    27,
                    105.0,
                    vec!["roostersessies".to_string()]
                ),
                ("De Linde", 30, 0, 0.0, vec![]),
            ]
        );
        assert_eq!(contributed.hidden_teams, 0);
        assert_eq!(contributed.interventions[0].hours_per_100, 350.0);
        assert_eq!(
            contributed
                .without_intervention
                .as_ref()
                .unwrap()
                .hours_added,
            0.0
        );

        // The impact report tells the same story.
        let html = report::doc::to_html(&impact::story(&after));
        assert!(html.contains("Het Verhaal van Zorggroep Sint Maarten"));
        assert!(html.contains("Wat heeft bijgedragen"), "{html}");
        assert!(
            html.contains("105 uur") && html.contains("2,9 fte"),
            "{html}"
        );
    })
    .await;
}

#[tokio::test]
async fn goals_refuse_what_cannot_be_measured() {
    for_each_backend(|s| async move {
        let org = s
            .create_organisation(&OrganisationInput::new("Zorg A", Subsector::Vvt))
            .await
            .unwrap();
        s.create_team(org.id, "Noord", None).await.unwrap();
        let add = |kind: &str, team: Option<&str>, baseline_value: Option<f64>| GoalInput {
            kind: kind.into(),
            target: 1.0,
            deadline: "2027-01-01".into(),
            team: team.map(String::from),
            baseline_value,
            ..GoalInput::default()
        };
        let today = d("2026-01-01");
        for (input, field) in [
            (add("fte", None, None), "kind"),
            (add("fte_added", Some("Zuid"), None), "team"),
            (add("short_shift_share", Some("Noord"), None), "team"),
            (add("manual", None, None), "baseline_value"),
            (add("fte_added", None, Some(3.0)), "baseline_value"),
        ] {
            match impact::add_goal(&s, Caller::Operator, org.id, &input, today).await {
                Err(AppError::Invalid { field: f, message }) => {
                    assert_eq!(f, field, "{message}");
                    assert!(!message.is_empty());
                }
                other => panic!("{field}: {other:?}"),
            }
        }
        let mut late = add("fte_added", None, None);
        late.deadline = "2025-12-31".into();
        assert!(matches!(
            impact::add_goal(&s, Caller::Operator, org.id, &late, today).await,
            Err(AppError::Invalid {
                field: "deadline",
                ..
            })
        ));
        assert!(
            s.goals(org.id).await.unwrap().is_empty(),
            "nothing half-written"
        );
    })
    .await;
}

async fn user(s: &Store, email: &str, role: Role, org: i64, teams: Vec<i64>) -> store::User {
    s.create_user(&NewUser {
        email: email.into(),
        name: email.into(),
        role,
        org_id: Some(org),
        team_ids: teams,
        password_hash: None,
    })
    .await
    .unwrap()
}

#[tokio::test]
async fn requests_from_the_form_to_the_hr_check_and_the_purge() {
    for_each_backend(|s| async move {
        let org = s
            .create_organisation(&OrganisationInput::new(
                "Zorggroep Sint Maarten",
                Subsector::Vvt,
            ))
            .await
            .unwrap();
        let jozef = s.create_team(org.id, "Sint Jozef", None).await.unwrap();
        let linde = s.create_team(org.id, "De Linde", None).await.unwrap();
        let hr = user(&s, "hr@sm.example", Role::OrgAdmin, org.id, vec![]).await;
        let mgr = user(&s, "mgr@sm.example", Role::Manager, org.id, vec![jozef.id]).await;
        let planner = user(&s, "pl@sm.example", Role::Planner, org.id, vec![jozef.id]).await;
        let form = impact::request_form(&s, Caller::User(&hr), org.id)
            .await
            .unwrap();
        assert_eq!(form.retention_months, 12);
        assert!(matches!(
            impact::request_form(&s, Caller::User(&mgr), org.id).await,
            Err(AppError::Forbidden)
        ));
        import(&s, &org, "2026-01-01", &extract(false)).await;

        let input = |team: i64, name: &str| RequestInput {
            extra_hours: "4".into(),
            team_id: Some(team),
            days: vec!["ma".into(), "wo".into()],
            shifts: vec!["vroeg".into()],
            conditions: vec!["langere_diensten".into()],
            name: name.into(),
            contact: "06-12345678".into(),
            consent: true,
        };
        let mut no_consent = input(jozef.id, "Anna");
        no_consent.consent = false;
        assert!(matches!(
            impact::submit_request(&s, &form.code, &no_consent, d("2026-02-01")).await,
            Err(AppError::Invalid {
                field: "consent",
                ..
            })
        ));
        let mut odd = input(jozef.id, "Anna");
        odd.conditions = vec!["hogere_beloning_nu".into()];
        assert!(matches!(
            impact::submit_request(&s, &form.code, &odd, d("2026-02-01")).await,
            Err(AppError::Invalid {
                field: "conditions",
                ..
            })
        ));
        assert!(matches!(
            impact::submit_request(&s, "ONBEKEND", &input(jozef.id, "Anna"), d("2026-02-01")).await,
            Err(AppError::NotFound)
        ));
        let a = impact::submit_request(&s, &form.code, &input(jozef.id, "Anna"), d("2026-02-01"))
            .await
            .unwrap();
        let b = impact::submit_request(&s, &form.code, &input(jozef.id, "Bram"), d("2026-02-02"))
            .await
            .unwrap();
        let c = impact::submit_request(&s, &form.code, &input(linde.id, "Cor"), d("2026-02-03"))
            .await
            .unwrap();
        // Managers see their own teams only; planners none.
        let seen: Vec<i64> = impact::requests(&s, Caller::User(&mgr), org.id)
            .await
            .unwrap()
            .iter()
            .map(|r| r.record.id)
            .collect();
        assert_eq!(seen, vec![b.id, a.id]);
        assert!(matches!(
            impact::requests(&s, Caller::User(&planner), org.id).await,
            Err(AppError::Forbidden)
        ));
        let mv = |status: &str, hours: Option<f64>, number: Option<&str>, reason: Option<&str>| {
            RequestMove {
                status: status.into(),
                hours_agreed: hours,
                employee_number: number.map(String::from),
                reason: reason.map(String::from),
            }
        };
        assert!(matches!(
            impact::move_request(
                &s,
                Caller::User(&mgr),
                org.id,
                c.id,
                &mv("gesprek_gepland", None, None, None),
                d("2026-02-10")
            )
            .await,
            Err(AppError::NotFound)
        ));
        assert!(matches!(
            impact::move_request(
                &s,
                Caller::User(&mgr),
                org.id,
                a.id,
                &mv("akkoord", None, None, None),
                d("2026-02-10")
            )
            .await,
            Err(AppError::Invalid {
                field: "hours_agreed",
                ..
            })
        ));
        assert!(matches!(
            impact::move_request(
                &s,
                Caller::User(&mgr),
                org.id,
                a.id,
                &mv("akkoord", Some(4.0), Some("1000"), None),
                d("2026-02-10")
            )
            .await,
            Err(AppError::Invalid {
                field: "employee_number",
                ..
            })
        ));
        impact::move_request(
            &s,
            Caller::User(&mgr),
            org.id,
            a.id,
            &mv("akkoord", Some(4.0), None, None),
            d("2026-03-01"),
        )
        .await
        .unwrap();
        // HR processes both: Anna is employee 1000 (grows by 4 in the next extract),
        // Bram is employee 1050 (does not grow).
        impact::move_request(
            &s,
            Caller::User(&hr),
            org.id,
            a.id,
            &mv("verwerkt", None, Some("1000"), None),
            d("2026-03-05"),
        )
        .await
        .unwrap();
        impact::move_request(
            &s,
            Caller::User(&hr),
            org.id,
            b.id,
            &mv("verwerkt", Some(6.0), Some("1050"), None),
            d("2026-03-05"),
        )
        .await
        .unwrap();
        assert!(matches!(
            impact::move_request(
                &s,
                Caller::User(&hr),
                org.id,
                a.id,
                &mv("niet_gelukt", None, None, Some("x")),
                d("2026-03-06")
            )
            .await,
            Err(AppError::Invalid {
                field: "status",
                ..
            })
        ));
        assert!(matches!(
            impact::move_request(
                &s,
                Caller::User(&hr),
                org.id,
                c.id,
                &mv("niet_gelukt", None, None, None),
                d("2026-03-06")
            )
            .await,
            Err(AppError::Invalid {
                field: "reason",
                ..
            })
        ));
        impact::move_request(
            &s,
            Caller::User(&hr),
            org.id,
            c.id,
            &mv(
                "niet_gelukt",
                None,
                None,
                Some("geen ruimte in het rooster"),
            ),
            d("2026-03-06"),
        )
        .await
        .unwrap();
        let stored = s.contract_request(org.id, a.id).await.unwrap();
        assert_ne!(
            stored.employee_pseudonym.as_deref(),
            Some("1000"),
            "never in the clear"
        );

        import(&s, &org, "2026-07-01", &extract(true)).await;
        let list = impact::requests(&s, Caller::User(&hr), org.id)
            .await
            .unwrap();
        let check = |id: i64| list.iter().find(|r| r.record.id == id).unwrap();
        assert_eq!(
            check(a.id).check,
            Some(::impact::RequestCheck::Confirmed { growth: 4.0 })
        );
        assert!(
            check(b.id).flagged,
            "agreed hours not in the snapshot are flagged"
        );
        assert_eq!(check(c.id).check, None);
        let imp = impact::impact(&s, Caller::User(&hr), org.id, d("2026-07-15"))
            .await
            .unwrap();
        assert_eq!(
            (
                imp.requests.total,
                imp.requests.accepted,
                imp.requests.hours_agreed,
                imp.requests.flagged
            ),
            (3, 2, 10.0, 1)
        );

        // Retention: a year after closing the names go, the counts stay.
        let closed = s
            .contract_request(org.id, a.id)
            .await
            .unwrap()
            .closed_at
            .unwrap();
        assert_eq!(
            impact::purge_request_personal_data(&s, closed + 3600)
                .await
                .unwrap(),
            0
        );
        let later = closed + 12 * store::SECONDS_PER_MONTH + 3600;
        assert_eq!(
            impact::purge_request_personal_data(&s, later)
                .await
                .unwrap(),
            3
        );
        let list = impact::requests(&s, Caller::User(&hr), org.id)
            .await
            .unwrap();
        assert!(
            list.iter()
                .all(|r| r.record.name.is_none() && r.record.contact.is_none())
        );
        let imp = impact::impact(&s, Caller::User(&hr), org.id, d("2026-07-15"))
            .await
            .unwrap();
        assert_eq!(
            (
                imp.requests.total,
                imp.requests.accepted,
                imp.requests.hours_agreed
            ),
            (3, 2, 10.0)
        );
        // Nothing of a request is tied to the survey: no survey table gained a row.
        let counts = s.row_counts().await.unwrap();
        for (table, n) in counts {
            if table.starts_with("survey") {
                assert_eq!(n, 0, "{table}");
            }
        }
    })
    .await;
}
