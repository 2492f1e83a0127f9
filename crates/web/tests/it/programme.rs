//! The programme part (issue 31): the demo's timeline, plans, actions and meetings as each
//! role sees them, and a workflow through the pages and their API twins.

use axum::http::StatusCode;
use serde_json::json;
use store::Role;

use crate::helpers::{PASSWORD, TestApp, on_each_backend};

async fn with_password(app: &TestApp, email: &str) -> store::User {
    let u = app.store().user_by_email(email).await.unwrap();
    app.store()
        .set_password_hash(u.id, &app::auth::hash_password_blocking(PASSWORD).unwrap())
        .await
        .unwrap();
    u
}

#[tokio::test]
async fn the_demo_programme_as_each_role_sees_it() {
    on_each_backend(|app| async move {
        app::demo::load(app.store()).await.unwrap().unwrap();
        let region = app.store().default_region().await.unwrap();
        let dinkel = app
            .store()
            .find_organisation("Zorggroep De Dinkel")
            .await
            .unwrap();
        let pa = app
            .user("pa@test.example", Role::ProgrammeAdmin, None, vec![])
            .await;
        let timeline = format!("/regio/{}/programma", region.id);

        let mut c = app.login("pa@test.example").await;
        let r = app.get(&mut c, &timeline).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        for text in [
            "Pilotcohort 2024-2025",
            "Uitrol (pilot)",
            "Opschalen en borgen",
            "Zorggroep De Dinkel",
            "Onboarding rond",
            "Onboarding bezig",
            "16-09-2024",
        ] {
            assert!(r.body.contains(text), "timeline lacks {text}");
        }
        let mut api = app.api_client(pa.id).await;
        let t = app
            .api(
                &mut api,
                "GET",
                &format!("/api/v1/regions/{}/programme", region.id),
                None,
            )
            .await
            .json();
        assert_eq!(t["phases"].as_array().unwrap().len(), 3);
        let pilot = &t["cohorts"][0];
        assert_eq!(pilot["cohort"]["name"], "Pilotcohort 2024-2025");
        assert_eq!(pilot["organisations"].as_array().unwrap().len(), 3);

        // The organisation's HR: its plan with the Value Case's reasons, its actions with
        // the overdue ones marked, the count in the navigation; not the region's timeline.
        let hr = with_password(&app, "hr@dedinkel.example").await;
        let mut c = app.login("hr@dedinkel.example").await;
        assert_eq!(
            app.get(&mut c, &timeline).await.status,
            StatusCode::FORBIDDEN
        );
        let plan = app
            .get(&mut c, &format!("/organisaties/{}/plan", dinkel.id))
            .await;
        assert_eq!(plan.status, StatusCode::OK);
        for text in [
            "Roostersessies",
            "aanbevolen",
            "Waarom aanbevolen",
            "Pilotcohort 2024-2025",
            "Onboarding rond",
        ] {
            assert!(plan.body.contains(text), "plan lacks {text}");
        }
        let mine = app.get(&mut c, "/acties").await;
        assert!(mine.body.contains("class=\"overdue\""), "{}", mine.body);
        assert!(mine.body.contains("Bericht over de WerkUrenBerekenaar"));
        let dash = app.get(&mut c, "/dashboard").await;
        assert!(
            dash.body.contains("nav-count late"),
            "no count in the navigation"
        );
        let mut hr_api = app.api_client(hr.id).await;
        let list = app
            .api(
                &mut hr_api,
                "GET",
                &format!("/api/v1/organisations/{}/actions", dinkel.id),
                None,
            )
            .await
            .json();
        let actions = list["actions"].as_array().unwrap();
        assert_eq!(actions.len(), 6);
        assert!(actions.iter().filter(|a| a["overdue"] == true).count() >= 2);
        let meetings = app
            .api(
                &mut hr_api,
                "GET",
                &format!("/api/v1/organisations/{}/meetings", dinkel.id),
                None,
            )
            .await
            .json();
        let stuurgroep = meetings["meetings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["kind"] == "stuurgroep")
            .unwrap()
            .clone();
        assert!(
            stuurgroep["decisions"]
                .as_str()
                .unwrap()
                .contains("roostersessies")
        );
        let one = app
            .get(
                &mut c,
                &format!(
                    "/organisaties/{}/overleggen/{}",
                    dinkel.id, stuurgroep["id"]
                ),
            )
            .await;
        assert!(
            one.body.contains("Bericht over de WerkUrenBerekenaar"),
            "{}",
            one.body
        );

        // A manager sees their teams' actions and their own only.
        let manager = with_password(&app, "manager@dedinkel.example").await;
        let mut m_api = app.api_client(manager.id).await;
        let list = app
            .api(
                &mut m_api,
                "GET",
                &format!("/api/v1/organisations/{}/actions", dinkel.id),
                None,
            )
            .await
            .json();
        let seen = list["actions"].as_array().unwrap();
        assert!(!seen.is_empty() && seen.len() < 6, "{list}");
        for a in seen {
            let own = a["owner_user_id"] == json!(manager.id);
            let team = a["team_id"]
                .as_i64()
                .is_some_and(|t| manager.team_ids.contains(&t));
            assert!(own || team, "manager sees {a}");
        }
        // A planner reads the plan without the Value Case's reasons.
        with_password(&app, "planner@dedinkel.example").await;
        let mut p = app.login("planner@dedinkel.example").await;
        let plan = app
            .get(&mut p, &format!("/organisaties/{}/plan", dinkel.id))
            .await;
        assert_eq!(plan.status, StatusCode::OK);
        assert!(!plan.body.contains("Waarom aanbevolen"));

        // The regio-lezer sees none of it.
        with_password(&app, "regio@urenwinst.example").await;
        let mut rl = app.login("regio@urenwinst.example").await;
        for uri in [
            timeline.clone(),
            format!("/organisaties/{}/plan", dinkel.id),
            format!("/organisaties/{}/acties", dinkel.id),
            format!("/organisaties/{}/overleggen", dinkel.id),
        ] {
            let r = app.get(&mut rl, &uri).await;
            assert!(
                r.status == StatusCode::FORBIDDEN || r.status == StatusCode::NOT_FOUND,
                "regio-lezer GET {uri}: {}",
                r.status
            );
        }
        let mine = app.get(&mut rl, "/acties").await;
        assert!(!mine.body.contains("De Dinkel"));
        app
    })
    .await;
}

#[tokio::test]
async fn a_programme_workflow_through_pages_and_api_twins() {
    on_each_backend(|app| async move {
        let region = app.store().default_region().await.unwrap();
        let org = app.org("Zorggroep Werkstroom").await;
        let team = app.store().create_team(org.id, "Team Noord", None).await.unwrap();
        let pa = app.user("pa@test.example", Role::ProgrammeAdmin, None, vec![]).await;
        let hr = app.user("hr@werk.example", Role::OrgAdmin, Some(org.id), vec![]).await;
        let mut c = app.login("pa@test.example").await;
        let r = app
            .post_form(
                &mut c,
                &format!("/regio/{}/programma/fasen", region.id),
                &[("phase", "uitrol"), ("from", "2026-01-01"), ("to", "2026-06-30")],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let r = app
            .post_form(
                &mut c,
                &format!("/regio/{}/programma/cohorten", region.id),
                &[("name", "Cohort 1"), ("phase", "pilot"), ("org_ids", &org.id.to_string())],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let r = app
            .post_form(
                &mut c,
                &format!("/organisaties/{}/onboarding", org.id),
                &[
                    ("project_lead", "Joke"),
                    ("board_commitment_on", "2026-01-15"),
                    ("people_reserved", "2"),
                    ("hours_reserved", "8,5"),
                    ("terug", &format!("/regio/{}/programma", region.id)),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let o = app.store().onboarding(org.id).await.unwrap().unwrap();
        assert_eq!((o.project_lead.as_str(), o.hours_reserved), ("Joke", 8.5));

        let mut api = app.api_client(pa.id).await;
        let r = app
            .api(
                &mut api,
                "POST",
                &format!("/api/v1/regions/{}/programme/cohorts", region.id),
                Some(json!({"name": "Cohort 2", "orgs": [org.id]})),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.json()["error"]["message"].as_str().unwrap().contains("zit al in cohort"));
        let r = app
            .api(
                &mut api,
                "POST",
                &format!("/api/v1/regions/{}/programme/phases", region.id),
                Some(json!({"phase": "opschalen", "from": "2026-07-01", "to": "2026-03-01"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(r.json()["error"]["field"], "to");

        // The organisation's admin: no onboarding (the programme's), but the plan.
        let mut h = app.api_client(hr.id).await;
        let r = app
            .api(&mut h, "PUT", &format!("/api/v1/organisations/{}/onboarding", org.id), Some(json!({"project_lead": "Ik"})))
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let r = app
            .api(&mut h, "GET", &format!("/api/v1/organisations/{}/onboarding", org.id), None)
            .await;
        assert_eq!(r.json()["cohort"], "Cohort 1");
        let r = app
            .api(
                &mut h,
                "PUT",
                &format!("/api/v1/organisations/{}/plan/roostersessies", org.id),
                Some(json!({"status": "bezig", "owner": "Priya", "starts_on": "2026-02-01", "team_ids": [team.id]})),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let r = app
            .api(
                &mut h,
                "POST",
                &format!("/api/v1/organisations/{}/plan/roostersessies/sessions", org.id),
                Some(json!({"held_on": "2026-02-10", "participants": 8, "notes": "Eerste werksessie"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let r = app
            .api(
                &mut h,
                "POST",
                &format!("/api/v1/organisations/{}/plan/roostersessies/materials", org.id),
                Some(json!({"title": "Scan", "url": "javascript:alert(1)"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(r.json()["error"]["field"], "url");
        let r = app
            .api(&mut h, "PUT", &format!("/api/v1/organisations/{}/plan/bakken", org.id), Some(json!({"status": "bezig"})))
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(r.json()["error"]["field"], "intervention");
        // Prefilling needs a Value Case: a clear message without a closed round.
        let r = app
            .api(&mut h, "POST", &format!("/api/v1/organisations/{}/plan/prefill", org.id), None)
            .await;
        assert!(
            r.status == StatusCode::BAD_REQUEST || r.status == StatusCode::UNPROCESSABLE_ENTITY,
            "{} {}",
            r.status,
            r.body
        );
        assert!(r.json()["error"]["message"].as_str().is_some_and(|m| !m.is_empty()));
        let plan = app
            .api(&mut h, "GET", &format!("/api/v1/organisations/{}/plan", org.id), None)
            .await
            .json();
        let rs = plan["interventions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["code"] == "roostersessies")
            .unwrap()
            .clone();
        assert_eq!(rs["status"], "bezig");
        assert_eq!(rs["sessions"][0]["participants"], 8);

        // A meeting, an action from it (page), its status (API twin).
        let m = app
            .api(
                &mut h,
                "POST",
                &format!("/api/v1/organisations/{}/meetings", org.id),
                Some(json!({"kind": "stuurgroep", "held_on": "2026-03-01", "decisions": "Starten met roosters"})),
            )
            .await;
        assert_eq!(m.status, StatusCode::CREATED, "{}", m.body);
        let meeting_id = m.json()["id"].as_i64().unwrap();
        let mut page = app.login("hr@werk.example").await;
        let r = app
            .post_form(
                &mut page,
                &format!("/organisaties/{}/acties", org.id),
                &[
                    ("title", "Rooster Noord bespreken"),
                    ("owner", "hr@werk.example"),
                    ("due_on", "2026-03-15"),
                    ("team_id", &team.id.to_string()),
                    ("link_kind", "meeting"),
                    ("link_ref", &meeting_id.to_string()),
                    ("terug", &format!("/organisaties/{}/overleggen/{meeting_id}", org.id)),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(r.location(), format!("/organisaties/{}/overleggen/{meeting_id}", org.id));
        let one = app
            .api(&mut h, "GET", &format!("/api/v1/organisations/{}/meetings/{meeting_id}", org.id), None)
            .await
            .json();
        let action = one["actions"][0].clone();
        assert_eq!(action["title"], "Rooster Noord bespreken");
        let r = app
            .api(
                &mut h,
                "PUT",
                &format!("/api/v1/organisations/{}/actions/{}/status", org.id, action["id"]),
                Some(json!({"status": "klaar"})),
            )
            .await;
        assert_eq!(r.json()["status"], "klaar");
        assert_eq!(r.json()["overdue"], false);
        let mine = app.api(&mut h, "GET", "/api/v1/me/actions", None).await.json();
        assert_eq!(mine["actions"].as_array().unwrap().len(), 1);
        // Every change is in the audit log.
        let log = app.store().audit_entries(100, None).await.unwrap();
        for action in ["programme.phase", "programme.cohort", "programme.onboarding", "plan.item", "plan.session", "meeting.create", "action.create", "action.status"] {
            assert!(log.iter().any(|e| e.action == action), "no audit entry {action}");
        }
        app
    })
    .await;
}
