//! The impact part through pages and API: goals and progress, the impact report, the
//! public request form (throttled, no account), the managers' pipeline (own teams only),
//! the regio-lezer (no names), and the demo.

use axum::http::StatusCode;
use rust_decimal::Decimal;
use store::{NewHrSnapshot, Role};

use crate::helpers::{TestApp, hidden_value, on_each_backend};

fn staff(n: usize, grown: usize) -> Vec<hr::Employee> {
    (0..n)
        .map(|i| hr::Employee {
            pseudonym: format!("{i:064x}"),
            team: Some(if i % 2 == 0 { "Noord" } else { "Zuid" }.into()),
            function: None,
            fwg_scale: None,
            contract_hours: Decimal::from(if i < grown { 24 } else { 20 }),
            part_time_factor: Decimal::from(20) / Decimal::from(36),
            age_band: None,
            start_date: None,
            end_date: None,
            contract_kind: None,
            source_rows: vec![],
        })
        .collect()
}

async fn snapshot(app: &TestApp, org: i64, date: &str, emps: &[hr::Employee]) {
    app.store()
        .insert_hr_snapshot(
            org,
            &NewHrSnapshot {
                peildatum: date.parse().unwrap(),
                file_name: "hr.csv",
                rows_read: emps.len(),
                skipped: 0,
                employees: emps,
            },
        )
        .await
        .unwrap();
}

#[tokio::test]
async fn goals_progress_and_the_impact_report() {
    on_each_backend(|app| async move {
        let org = app.org("Zorggroep Sint Maarten").await;
        let noord = app
            .store()
            .create_team(org.id, "Noord", None)
            .await
            .unwrap();
        app.user("hr@sm.example", Role::OrgAdmin, Some(org.id), vec![])
            .await;
        let mgr = app
            .user(
                "mgr@sm.example",
                Role::Manager,
                Some(org.id),
                vec![noord.id],
            )
            .await;
        snapshot(&app, org.id, "2026-01-01", &staff(40, 0)).await;
        snapshot(&app, org.id, "2026-07-01", &staff(40, 10)).await;
        let mut hr = app.login("hr@sm.example").await;
        let base = format!("/organisaties/{}/impact", org.id);
        let r = app
            .post_form(
                &mut hr,
                &format!("{base}/doelen"),
                &[
                    ("kind", "contract_hours_added"),
                    ("target", "40"),
                    ("deadline", "2026-07-01"),
                    ("baseline_date", "2026-01-01"),
                    ("team", ""),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        // A wrong kind comes back as a Dutch message, nothing stored.
        let r = app
            .post_form(
                &mut hr,
                &format!("{base}/doelen"),
                &[
                    ("kind", "uren"),
                    ("target", "4"),
                    ("deadline", "2026-07-01"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let page = app
            .get(&mut hr, &format!("{base}?peildatum=2026-07-15"))
            .await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("is geen soort doel"), "flash shown");
        assert!(page.body.contains("Contracturen erbij"));
        assert!(page.body.contains("40 uur (01-07-2026)"), "{}", page.body);
        assert!(page.body.contains("100%"));
        assert!(page.body.contains("<svg"), "a trend chart");
        assert_eq!(app.store().goals(org.id).await.unwrap().len(), 1);

        let story = app
            .get(&mut hr, &format!("{base}/verhaal?peildatum=2026-07-15"))
            .await;
        assert_eq!(story.status, StatusCode::OK);
        assert!(
            story
                .body
                .contains("Het Verhaal van Zorggroep Sint Maarten")
        );
        assert!(story.body.contains("Aanbevelingen voor borging"));
        // No PDF renderer in tests: a Dutch 503, as for the Value Case.
        let pdf = app.get(&mut hr, &format!("{base}/verhaal.pdf")).await;
        assert_eq!(pdf.status, StatusCode::SERVICE_UNAVAILABLE);

        // The API twin, with the fields the issue names.
        let user = app.store().user_by_email("hr@sm.example").await.unwrap();
        let mut api = app.api_client(user.id).await;
        let r = app
            .api(
                &mut api,
                "GET",
                &format!("/api/v1/organisations/{}/impact?as_of=2026-07-15", org.id),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let j = r.json();
        assert_eq!(j["contracts"]["grown"], 10);
        assert_eq!(j["contracts"]["hours_added"], 40.0);
        assert_eq!(j["goals"][0]["measured"], 40.0);
        assert_eq!(j["goals"][0]["on_track"], true);
        let r = app
            .api(
                &mut api,
                "POST",
                &format!("/api/v1/organisations/{}/goals", org.id),
                Some(serde_json::json!({"kind": "fte_added", "target": 1.5,
                    "deadline": "2026-12-31", "baseline_date": "2026-01-01", "team": "Noord"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let goal = r.json()["id"].as_i64().unwrap();
        let r = app
            .api(
                &mut api,
                "POST",
                &format!("/api/v1/organisations/{}/goals", org.id),
                Some(
                    serde_json::json!({"kind": "short_shift_share", "target": 0.2,
                    "deadline": "2026-12-31", "team": "Noord"}),
                ),
            )
            .await;
        assert_eq!(r.json()["error"]["field"], "team", "{}", r.body);
        // Managers read progress but set no goals.
        let mut m = app.api_client(mgr.id).await;
        let r = app
            .api(
                &mut m,
                "GET",
                &format!("/api/v1/organisations/{}/goals", org.id),
                None,
            )
            .await;
        assert_eq!(r.json()["goals"].as_array().unwrap().len(), 2);
        let r = app
            .api(
                &mut m,
                "DELETE",
                &format!("/api/v1/organisations/{}/goals/{goal}", org.id),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let r = app
            .api(
                &mut api,
                "DELETE",
                &format!("/api/v1/organisations/{}/goals/{goal}", org.id),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::NO_CONTENT);
        app
    })
    .await;
}

#[tokio::test]
async fn the_public_form_and_the_pipeline() {
    on_each_backend(|app| async move {
        let org = app.org("Zorggroep Sint Maarten").await;
        let noord = app
            .store()
            .create_team(org.id, "Noord", None)
            .await
            .unwrap();
        let zuid = app.store().create_team(org.id, "Zuid", None).await.unwrap();
        app.user("hr@sm.example", Role::OrgAdmin, Some(org.id), vec![])
            .await;
        app.user(
            "noord@sm.example",
            Role::Manager,
            Some(org.id),
            vec![noord.id],
        )
        .await;
        app.user(
            "zuid@sm.example",
            Role::Manager,
            Some(org.id),
            vec![zuid.id],
        )
        .await;
        let reader = app
            .user("lezer@fonds.example", Role::RegioLezer, None, vec![])
            .await;
        let twente = app.store().default_region().await.unwrap();
        app.store()
            .grant_region(reader.id, twente.id)
            .await
            .unwrap();

        let mut hr = app.login("hr@sm.example").await;
        let page = app
            .get(&mut hr, &format!("/organisaties/{}/verzoeken", org.id))
            .await;
        assert_eq!(page.status, StatusCode::OK);
        let code = app
            .store()
            .request_form(org.id)
            .await
            .unwrap()
            .unwrap()
            .code;
        assert!(page.body.contains(&format!("/verzoek/{code}")));

        // An employee without an account.
        let mut anon = crate::helpers::Client::default();
        let form = app.get(&mut anon, &format!("/verzoek/{code}")).await;
        assert_eq!(form.status, StatusCode::OK);
        assert!(
            form.body.contains("Langere diensten"),
            "the survey's conditions"
        );
        assert!(!form.body.contains("enquete"), "no survey code asked");
        let csrf = hidden_value(&form.body, "csrf");
        let send = |name: &'static str, team: i64, consent: &'static str| {
            let team = team.to_string();
            let csrf = csrf.clone();
            (name, team, consent, csrf)
        };
        let post = |args: (&'static str, String, &'static str, String)| {
            let app = &app;
            let code = code.clone();
            let mut anon = anon.clone();
            async move {
                app.post_form(
                    &mut anon,
                    &format!("/verzoek/{code}"),
                    &[
                        ("csrf", &args.3),
                        ("extra_hours", "4"),
                        ("team_id", &args.1),
                        ("days", "ma"),
                        ("days", "wo"),
                        ("shifts", "vroeg"),
                        ("conditions", "langere_diensten"),
                        ("name", args.0),
                        ("contact", "06-12345678"),
                        ("consent", args.2),
                    ],
                )
                .await
            }
        };
        let r = post(send("Anna Noord", noord.id, "")).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("toestemming"));
        let r = post(send("Anna Noord", noord.id, "ja")).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let r = post(send("Bert Zuid", zuid.id, "ja")).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        // Rate limit: five sends an hour from one address (one refused above counts too).
        let mut last = StatusCode::OK;
        for _ in 0..3 {
            last = post(send("Spam", zuid.id, "ja")).await.status;
        }
        assert_eq!(last, StatusCode::TOO_MANY_REQUESTS);
        let requests = app.store().contract_requests(org.id).await.unwrap();
        assert_eq!(requests.len(), 4);

        // Managers see their own teams' requests by name, never another team's.
        let mut noord_mgr = app.login("noord@sm.example").await;
        let p = app
            .get(
                &mut noord_mgr,
                &format!("/organisaties/{}/verzoeken", org.id),
            )
            .await;
        assert!(p.body.contains("Anna Noord") && !p.body.contains("Bert Zuid"));
        assert!(!p.body.contains(&code), "only admins see the form's code");
        let bert = requests
            .iter()
            .find(|r| r.name.as_deref() == Some("Bert Zuid"))
            .unwrap();
        let anna = requests
            .iter()
            .find(|r| r.name.as_deref() == Some("Anna Noord"))
            .unwrap();
        let r = app
            .post_form(
                &mut noord_mgr,
                &format!("/organisaties/{}/verzoeken/{}", org.id, bert.id),
                &[("status", "gesprek_gepland")],
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        let r = app
            .post_form(
                &mut noord_mgr,
                &format!("/organisaties/{}/verzoeken/{}", org.id, anna.id),
                &[("status", "akkoord"), ("hours_agreed", "4")],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(
            app.store()
                .contract_request(org.id, anna.id)
                .await
                .unwrap()
                .status,
            impact::RequestStatus::Akkoord
        );

        // The regio-lezer: no organisation page, no names, only sums.
        let mut lezer = app.login("lezer@fonds.example").await;
        for uri in [
            format!("/organisaties/{}/verzoeken", org.id),
            format!("/organisaties/{}/impact", org.id),
        ] {
            let r = app.get(&mut lezer, &uri).await;
            assert!(
                r.status == StatusCode::NOT_FOUND || r.status == StatusCode::FORBIDDEN,
                "{uri}: {}",
                r.status
            );
        }
        let r = app
            .get(&mut lezer, &format!("/regio/{}/impact", twente.id))
            .await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(!r.body.contains("Anna") && !r.body.contains("Sint Maarten"));
        assert!(r.body.contains("niet getoond"), "one organisation: hidden");
        let mut api = app.api_client(reader.id).await;
        let r = app
            .api(
                &mut api,
                "GET",
                &format!("/api/v1/regions/{}/impact", twente.id),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(
            r.json()["figures"]
                .as_array()
                .unwrap()
                .iter()
                .all(|f| f["value"].is_null())
        );
        app
    })
    .await;
}

#[tokio::test]
async fn the_demo_has_goals_requests_in_every_step_and_a_report() {
    on_each_backend(|app| async move {
        app::demo::load(app.store()).await.unwrap().unwrap();
        let org = app
            .store()
            .find_organisation("Zorggroep De Dinkel")
            .await
            .unwrap();
        let imp = app::impact::impact(
            app.store(),
            app::access::Caller::Operator,
            org.id,
            "2025-12-31".parse().unwrap(),
        )
        .await
        .unwrap();
        assert!(imp.goals.len() >= 8);
        assert!(imp.contracts.as_ref().is_some_and(|c| c.grown > 0));
        assert!(imp.goals.iter().all(|g| g.progress.measured.is_some()));
        assert!(
            imp.requests.by_status.iter().all(|(_, n)| *n > 0),
            "every step"
        );
        assert!(imp.requests.flagged + imp.requests.accepted > 0);
        app.user("pa@test.example", Role::ProgrammeAdmin, None, vec![])
            .await;
        let mut pa = app.login("pa@test.example").await;
        let r = app
            .get(&mut pa, &format!("/organisaties/{}/impact/verhaal", org.id))
            .await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.body.contains("Het Verhaal van Zorggroep De Dinkel"));
        app
    })
    .await;
}
