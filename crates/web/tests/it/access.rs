//! Every route, walked as users of organisation A against the data of organisation B:
//! each answers 403 or 404 and B's data stays as it was.

use axum::http::StatusCode;
use store::Role;

use crate::helpers::{TestApp, on_each_backend};

struct World {
    b_org: i64,
    b_location: i64,
    b_team: i64,
    b_round: i64,
    b_user: i64,
    b_name: String,
    b_email: String,
}

async fn world(app: &TestApp) -> (World, Vec<String>) {
    let a = app.org("Organisatie A").await;
    let b = app.org("Organisatie B").await;
    let a_team = app
        .store()
        .create_team(a.id, "Team A1", None)
        .await
        .unwrap();
    let b_loc = app
        .store()
        .create_location(b.id, "Locatie B")
        .await
        .unwrap();
    let b_team = app
        .store()
        .create_team(b.id, "Team B1", Some(b_loc.id))
        .await
        .unwrap();
    let b_user = app
        .user(
            "manager@b.example",
            Role::Manager,
            Some(b.id),
            vec![b_team.id],
        )
        .await;
    app.user("hr@b.example", Role::OrgAdmin, Some(b.id), vec![])
        .await;
    let mut a_users = Vec::new();
    for (email, role, teams) in [
        ("hr@a.example", Role::OrgAdmin, vec![]),
        ("manager@a.example", Role::Manager, vec![a_team.id]),
        ("planner@a.example", Role::Planner, vec![a_team.id]),
    ] {
        app.user(email, role, Some(a.id), teams).await;
        a_users.push(email.to_string());
    }
    let b_round = crate::survey::round(app, b.id, &[b_team.id]).await;
    // B's e-mail invitation list (issue 33): A can neither read nor change nor remind it.
    app.store()
        .add_survey_invitations(b_round, b_team.id, &["collega@b.example".into()])
        .await
        .unwrap();
    // An entry in B's audit log; its target is the email, so no list may show it.
    app.store()
        .audit(
            &store::Actor::cli(),
            Some(b.id),
            "user.reset_password",
            "manager@b.example",
            "",
        )
        .await
        .unwrap();
    (
        World {
            b_round,
            b_org: b.id,
            b_location: b_loc.id,
            b_team: b_team.id,
            b_user: b_user.id,
            b_name: b.name,
            b_email: b_user.email,
        },
        a_users,
    )
}

async fn b_snapshot(app: &TestApp, w: &World) -> String {
    let s = app.store();
    format!(
        "{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}",
        s.organisation(w.b_org).await.unwrap(),
        s.locations(w.b_org).await.unwrap(),
        s.teams(w.b_org).await.unwrap(),
        s.users(Some(w.b_org)).await.unwrap(),
        s.password_hash(w.b_user).await.unwrap(),
        s.survey_rounds(w.b_org).await.unwrap(),
        s.survey_round_teams(w.b_round).await.unwrap(),
        s.survey_responses(w.b_round).await.unwrap(),
        s.survey_invitation_counts(w.b_round).await.unwrap(),
    )
}

fn denied(status: StatusCode) -> bool {
    status == StatusCode::FORBIDDEN || status == StatusCode::NOT_FOUND
}

#[tokio::test]
async fn pages_of_another_organisation_are_closed() {
    on_each_backend(|app| async move {
        let (w, a_users) = world(&app).await;
        let before = b_snapshot(&app, &w).await;
        let get_routes = [
            format!("/organisaties/{}", w.b_org),
            format!("/organisaties/{}/export.zip", w.b_org),
            format!("/gebruikers/{}", w.b_user),
            format!("/organisaties/{}/enquetes", w.b_org),
            format!("/enquetes/{}", w.b_round),
            format!("/enquetes/{}/resultaten", w.b_round),
            format!("/enquetes/{}/resultaten.csv", w.b_round),
            format!("/enquetes/{}/resultaten.xlsx", w.b_round),
            format!("/enquetes/{}/ruwe-antwoorden.csv", w.b_round),
            format!("/enquetes/{}/uitnodigingen", w.b_round),
            // Issue 33: B's audit log, and the HR baseline's sub-pages and print views.
            format!("/organisaties/{}/logboek", w.b_org),
            format!("/organisaties/{}/logboek?wie=x", w.b_org),
            format!("/organisaties/{}/nulmeting", w.b_org),
            format!("/organisaties/{}/nulmeting/afdrukken", w.b_org),
            format!("/organisaties/{}/nulmeting/verdeling", w.b_org),
            format!("/organisaties/{}/nulmeting/verdeling/afdrukken", w.b_org),
            format!("/organisaties/{}/nulmeting/urenruimte", w.b_org),
            format!("/organisaties/{}/nulmeting/urenruimte/afdrukken", w.b_org),
            format!("/organisaties/{}/nulmeting/vergelijking", w.b_org),
            format!("/organisaties/{}/nulmeting/vergelijking/afdrukken", w.b_org),
            format!("/organisaties/{}/nulmeting/pnil", w.b_org),
            format!("/organisaties/{}/nulmeting/pnil/afdrukken", w.b_org),
            format!("/organisaties/{}/nulmeting/bestanden", w.b_org),
            format!("/organisaties/{}/nulmeting/bestanden/afdrukken", w.b_org),
        ];
        let post_routes = [
            format!("/organisaties/{}", w.b_org),
            format!("/organisaties/{}/verwijderen", w.b_org),
            format!("/organisaties/{}/locaties", w.b_org),
            format!("/organisaties/{}/teams", w.b_org),
            format!("/locaties/{}/verwijderen", w.b_location),
            format!("/teams/{}/verwijderen", w.b_team),
            format!("/gebruikers/{}/teams", w.b_user),
            format!("/gebruikers/{}/deactiveren", w.b_user),
            format!("/gebruikers/{}/activeren", w.b_user),
            format!("/gebruikers/{}/wachtwoord", w.b_user),
            format!("/organisaties/{}/enquetes", w.b_org),
            format!("/enquetes/{}/status", w.b_round),
            format!("/enquetes/{}/verwijderen", w.b_round),
            format!("/enquetes/{}/uitgenodigd", w.b_round),
            format!("/enquetes/{}/codes", w.b_round),
            format!("/enquetes/{}/import", w.b_round),
            format!("/enquetes/{}/uitnodigingen", w.b_round),
            format!("/enquetes/{}/herinnering", w.b_round),
        ];
        for email in &a_users {
            let mut c = app.login(email).await;
            for route in &get_routes {
                let r = app.get(&mut c, route).await;
                assert!(denied(r.status), "{email} GET {route}: {}", r.status);
            }
            for route in &post_routes {
                let r = app
                    .post_form(
                        &mut c,
                        route,
                        &[
                            ("name", "Overgenomen"),
                            ("subsector", "vvt"),
                            ("phase", "pilot"),
                            ("fulltime_hours", "36"),
                            ("min_group_size", "3"),
                            ("team_ids", &w.b_team.to_string()),
                        ],
                    )
                    .await;
                assert!(denied(r.status), "{email} POST {route}: {}", r.status);
            }
            // Creating an account in B through A's form.
            let r = app
                .post_form(
                    &mut c,
                    "/gebruikers",
                    &[
                        ("name", "Indringer"),
                        ("email", "x@evil.example"),
                        ("role", "org_admin"),
                        ("org_id", &w.b_org.to_string()),
                    ],
                )
                .await;
            assert!(
                denied(r.status),
                "{email} POST /gebruikers into B: {}",
                r.status
            );
            // Lists never show B.
            for route in [
                "/dashboard",
                "/organisaties",
                "/gebruikers",
                &format!("/gebruikers?org={}", w.b_org),
                "/audit",
                &format!("/audit?organisatie={}", w.b_org),
                // Issue 33: help pages and the sample HR file hold no organisation's data.
                "/hulp",
                "/hulp/begrippen",
                "/hulp/nulmeting",
                "/nulmeting/voorbeeld-hr.csv",
            ] {
                let r = app.get(&mut c, route).await;
                assert!(
                    !r.body.contains(&w.b_name) && !r.body.contains(&w.b_email),
                    "{email} GET {route} shows B's data"
                );
            }
        }
        assert_eq!(before, b_snapshot(&app, &w).await, "B's data changed");
        assert!(app.store().user_by_email("x@evil.example").await.is_err());
        app
    })
    .await;
}

#[tokio::test]
async fn every_documented_api_route_of_another_organisation_is_closed() {
    on_each_backend(|app| async move {
        let (w, a_users) = world(&app).await;
        let before = b_snapshot(&app, &w).await;
        let doc = web::api::openapi::document_value();
        let paths = doc["paths"].as_object().unwrap();
        for email in &a_users {
            let user = app.store().user_by_email(email).await.unwrap();
            let mut c = app.api_client(user.id).await;
            for (path, ops) in paths {
                for (method, op) in ops.as_object().unwrap() {
                    let method = method.to_uppercase();
                    // Public on purpose (`security: []`, e.g. the calculator): it must
                    // answer, and leak nothing of B.
                    if op["security"].as_array().is_some_and(Vec::is_empty) {
                        let body = (method == "POST")
                            .then(|| serde_json::to_value(&income::examples()[0].input).unwrap());
                        let uri = format!("/api/v1{path}");
                        let r = app.api(&mut c, &method, &uri, body).await;
                        assert_eq!(
                            r.status,
                            StatusCode::OK,
                            "{email} {method} {uri}: {}",
                            r.body
                        );
                        assert!(
                            !r.body.contains(&w.b_name) && !r.body.contains(&w.b_email),
                            "{email} {method} {uri} shows B's data: {}",
                            r.body
                        );
                        continue;
                    }
                    let id = if path.starts_with("/organisations/") {
                        w.b_org
                    } else if path.starts_with("/locations/") {
                        w.b_location
                    } else if path.starts_with("/teams/") {
                        w.b_team
                    } else if path.starts_with("/users/") {
                        w.b_user
                    } else if path.starts_with("/survey-rounds/") {
                        w.b_round
                    } else {
                        0
                    };
                    let uri = format!(
                        "/api/v1{}",
                        path.replace("{id}", &id.to_string())
                            .replace("{snapshot}", "1")
                            .replace("{month}", "2025-01")
                    );
                    let body = match (method.as_str(), path.as_str()) {
                        ("GET" | "DELETE", _) => None,
                        (_, "/organisations" | "/organisations/{id}") => {
                            Some(serde_json::json!({"name": "Overgenomen", "subsector": "vvt"}))
                        }
                        (_, "/organisations/{id}/locations" | "/organisations/{id}/teams") => {
                            Some(serde_json::json!({"name": "Overgenomen"}))
                        }
                        (_, "/organisations/{id}/survey-rounds") => Some(serde_json::json!({
                            "name": "Overgenomen", "kind": "nulmeting",
                            "questionnaire": "medewerkers", "version": 1,
                            "opens_on": "2026-01-01", "closes_on": "2026-12-31",
                            "team_ids": [w.b_team],
                        })),
                        (_, "/survey-rounds/{id}/status") => {
                            Some(serde_json::json!({"status": "gesloten"}))
                        }
                        (_, "/survey-rounds/{id}/codes") => {
                            Some(serde_json::json!({"team_id": w.b_team, "count": 2}))
                        }
                        (_, "/survey-rounds/{id}/invitations") => Some(serde_json::json!({
                            "team_id": w.b_team, "addresses": "x@evil.example",
                        })),
                        (_, "/survey-rounds/{id}/invited") => Some(serde_json::json!({
                            "teams": [{"team_id": w.b_team, "invited": 3}],
                        })),
                        (_, "/organisations/{id}/hr/wage-cost") => {
                            Some(serde_json::json!({"wage_cost_cents": 100}))
                        }
                        (_, "/organisations/{id}/hr/pnil/entries") => {
                            Some(serde_json::json!({"month": "2025-01", "amount_cents": 100}))
                        }
                        (_, "/organisations/{id}/interview") => {
                            Some(serde_json::json!({"participants": "Overgenomen"}))
                        }
                        (_, "/organisations/{id}/value-case/shares") => Some(serde_json::json!({})),
                        (_, "/users/{id}/teams") => {
                            Some(serde_json::json!({"team_ids": [w.b_team]}))
                        }
                        (_, "/users") => Some(serde_json::json!({
                            "email": "x@evil.example", "name": "Indringer",
                            "role": "org_admin", "org_id": w.b_org,
                        })),
                        _ => None,
                    };
                    let r = app.api(&mut c, &method, &uri, body).await;
                    if path.contains("{id}") || method == "POST" {
                        assert!(
                            denied(r.status),
                            "{email} {method} {uri}: {} {}",
                            r.status,
                            r.body
                        );
                    } else {
                        assert!(
                            !r.body.contains(&w.b_name) && !r.body.contains(&w.b_email),
                            "{email} {method} {uri} shows B's data: {}",
                            r.body
                        );
                    }
                }
            }
            // The query filter cannot widen an organisation admin's scope.
            let r = app
                .api(
                    &mut c,
                    "GET",
                    &format!("/api/v1/users?org_id={}", w.b_org),
                    None,
                )
                .await;
            assert!(denied(r.status), "{email}: {}", r.status);
        }
        assert_eq!(before, b_snapshot(&app, &w).await, "B's data changed");
        assert!(app.store().user_by_email("x@evil.example").await.is_err());
        app
    })
    .await;
}

/// Every organisation-scoped page route (`/organisaties/{id}/…`), taken from the
/// `PageAction` tables rather than listed by hand, walked as users of A against B: each
/// POST action and each GET page on the way to it (`/organisaties/{id}/nulmeting` for
/// `…/nulmeting/loonkosten`) answers 403 or 404 and shows nothing of B. B's own admin
/// reaches the GET pages, so the walk cannot pass by hitting routes that do not exist.
#[tokio::test]
async fn every_org_scoped_page_route_refuses_another_organisation() {
    on_each_backend(|app| async move {
        let (w, a_users) = world(&app).await;
        let before = b_snapshot(&app, &w).await;
        let fill = |p: &str| {
            p.replace("{id}", &w.b_org.to_string())
                .replace("{snapshot}", "1")
                .replace("{token}", "0123456789abcdef")
        };
        const SCOPED: &str = "/organisaties/{id}";
        let actions: Vec<&str> = web::page_actions()
            .map(|a| a.path)
            .filter(|p| p.starts_with(SCOPED))
            .collect();
        let mut pages = std::collections::BTreeSet::new();
        for path in &actions {
            let mut p = *path;
            pages.insert(p);
            while let Some((head, _)) = p.rsplit_once('/')
                && head.starts_with(SCOPED)
            {
                pages.insert(head);
                p = head;
            }
        }
        assert!(
            actions.len() >= 10,
            "only {} org-scoped actions",
            actions.len()
        );

        // The control: B's admin gets the pages that exist as GET routes.
        let mut b_admin = app.login("hr@b.example").await;
        let mut get_pages = Vec::new();
        for p in &pages {
            let r = app.get(&mut b_admin, &fill(p)).await;
            if r.status != StatusCode::METHOD_NOT_ALLOWED {
                get_pages.push((*p, r.status));
            }
        }
        let reached = get_pages
            .iter()
            .filter(|(_, s)| *s == StatusCode::OK)
            .count();
        assert!(
            reached >= 3,
            "B's admin reaches only {reached} org pages: {get_pages:?}"
        );

        for email in &a_users {
            let mut c = app.login(email).await;
            for (p, _) in &get_pages {
                let uri = fill(p);
                let r = app.get(&mut c, &uri).await;
                assert!(denied(r.status), "{email} GET {uri}: {}", r.status);
                assert!(
                    !r.body.contains(&w.b_name),
                    "{email} GET {uri} shows B's name"
                );
            }
            for p in &actions {
                let uri = fill(p);
                let r = app
                    .post_form(
                        &mut c,
                        &uri,
                        &[
                            ("name", "Overgenomen"),
                            ("subsector", "vvt"),
                            ("phase", "pilot"),
                            ("fulltime_hours", "36"),
                            ("min_group_size", "3"),
                            ("loonkosten", "58.000"),
                            ("maand", "03-2025"),
                            ("bedrag", "100"),
                            ("team_id", &w.b_team.to_string()),
                        ],
                    )
                    .await;
                assert!(denied(r.status), "{email} POST {uri}: {}", r.status);
                assert!(
                    !r.body.contains(&w.b_name),
                    "{email} POST {uri} shows B's name"
                );
            }
        }
        assert_eq!(before, b_snapshot(&app, &w).await, "B's data changed");
        assert!(
            app.store()
                .hr_wage_cost(w.b_org)
                .await
                .is_ok_and(|c| c.is_none())
        );
        app
    })
    .await;
}

/// Round tables, the pack and the learning network (issue 30) walked as users of A
/// against B: a round table only B was invited to, B's own pack copy, B's practice list
/// and withdrawal, and a practice of another region, stay closed, and nothing of B
/// changes.
#[tokio::test]
async fn round_tables_and_practices_of_another_organisation_are_closed() {
    on_each_backend(|app| async move {
        let (w, a_users) = world(&app).await;
        let store = app.store();
        let region = store.default_region().await.unwrap();
        let rt = app::round_table::create(
            store,
            app::access::Caller::Operator,
            region.id,
            &app::round_table::RoundTableForm {
                subsector: Some("vvt".into()),
                title: "Alleen voor B".into(),
                held_on: "2026-11-12".into(),
                place: "Hengelo".into(),
                invited: vec![app::round_table::InvitedForm {
                    org_id: w.b_org,
                    attendees: Some(2),
                }],
                ..Default::default()
            },
        )
        .await
        .unwrap();
        let practice = app::practices::share(
            store,
            app::access::Caller::Operator,
            w.b_org,
            &app::practices::PracticeForm {
                title: "Praktijk van B".into(),
                intervention: "roostersessies".into(),
                theme: "rooster".into(),
                description: "Wat B deed.".into(),
                size_band: "tot_100".into(),
                started_on: "2026-01-01".into(),
                consent: true,
                ..Default::default()
            },
        )
        .await
        .unwrap();
        // A practice of an organisation in another region.
        let actor = store::Actor::cli();
        app::region::create_region(store, &actor, "Salland", 3, 50)
            .await
            .unwrap();
        let elsewhere = app.org("Zorg Elders").await;
        app::region::set_organisation_region(store, &actor, elsewhere.id, "Salland")
            .await
            .unwrap();
        let far = app::practices::share(
            store,
            app::access::Caller::Operator,
            elsewhere.id,
            &app::practices::PracticeForm {
                title: "Praktijk in Salland".into(),
                intervention: "goed_gesprek".into(),
                theme: "cultuur".into(),
                description: "Elders.".into(),
                size_band: "tot_100".into(),
                started_on: "2026-01-01".into(),
                consent: true,
                ..Default::default()
            },
        )
        .await
        .unwrap();
        let before = b_snapshot(&app, &w).await;
        for email in &a_users {
            let mut c = app.login(email).await;
            for route in [
                format!("/regio/{}/rondetafels/{}", region.id, rt.id),
                format!(
                    "/regio/{}/rondetafelpakket?sector=vvt&org={}",
                    region.id, w.b_org
                ),
                format!("/organisaties/{}/leernetwerk", w.b_org),
                format!("/leernetwerk/{}", far.id),
            ] {
                let r = app.get(&mut c, &route).await;
                assert!(denied(r.status), "{email} GET {route}: {}", r.status);
            }
            let r = app
                .get(&mut c, &format!("/regio/{}/rondetafels", region.id))
                .await;
            assert!(
                !r.body.contains("Alleen voor B"),
                "{email} sees B's round table"
            );
            let r = app.get(&mut c, "/leernetwerk").await;
            assert!(
                !r.body.contains("Praktijk in Salland"),
                "{email} sees Salland"
            );
            for route in [
                format!("/regio/{}/rondetafels/{}", region.id, rt.id),
                format!("/regio/{}/rondetafels/{}/verwijderen", region.id, rt.id),
                format!("/organisaties/{}/leernetwerk/intrekken", w.b_org),
            ] {
                let r = app
                    .post_form(
                        &mut c,
                        &route,
                        &[
                            ("practice_id", &practice.id.to_string()),
                            ("title", "Overgenomen"),
                        ],
                    )
                    .await;
                assert!(denied(r.status), "{email} POST {route}: {}", r.status);
            }
            let user = store.user_by_email(email).await.unwrap();
            let mut api = app.api_client(user.id).await;
            for (method, uri) in [
                ("GET", format!("/api/v1/round-tables/{}", rt.id)),
                ("DELETE", format!("/api/v1/round-tables/{}", rt.id)),
                ("PUT", format!("/api/v1/round-tables/{}", rt.id)),
                ("DELETE", format!("/api/v1/practices/{}", practice.id)),
                ("GET", format!("/api/v1/practices/{}", far.id)),
                (
                    "GET",
                    format!("/api/v1/organisations/{}/practices", w.b_org),
                ),
                (
                    "POST",
                    format!("/api/v1/organisations/{}/practices", w.b_org),
                ),
                (
                    "GET",
                    format!(
                        "/api/v1/regions/{}/round-table-pack.pdf?subsector=vvt&org={}",
                        region.id, w.b_org
                    ),
                ),
            ] {
                let body = (method == "PUT" || method == "POST")
                    .then(|| serde_json::json!({"title": "Overgenomen"}));
                let r = app.api(&mut api, method, &uri, body).await;
                assert!(denied(r.status), "{email} {method} {uri}: {}", r.status);
            }
        }
        assert_eq!(before, b_snapshot(&app, &w).await, "B's data changed");
        assert_eq!(
            store.round_table(rt.id).await.unwrap().title,
            "Alleen voor B"
        );
        assert!(
            store
                .practice(practice.id)
                .await
                .unwrap()
                .withdrawn_at
                .is_none()
        );
        app
    })
    .await;
}

/// The impact part (issue 31): B's goals, requests and their pages and API routes, walked
/// with B's real goal and request ids by users of A (403/404, nothing of B shown or
/// changed), and by B's manager of another team for a request (404: managers see their
/// own teams only).
#[tokio::test]
async fn impact_routes_of_another_organisation_are_closed() {
    on_each_backend(|app| async move {
        let (w, a_users) = world(&app).await;
        let s = app.store();
        let goal = app::impact::add_goal(
            s,
            app::access::Caller::Operator,
            w.b_org,
            &app::impact::GoalInput {
                kind: "requests".into(),
                target: 5.0,
                deadline: "2030-01-01".into(),
                ..Default::default()
            },
            "2026-01-01".parse().unwrap(),
        )
        .await
        .unwrap();
        let form = app::impact::request_form(s, app::access::Caller::Operator, w.b_org)
            .await
            .unwrap();
        let b_other_team = s.create_team(w.b_org, "Team B2", None).await.unwrap();
        let request = app::impact::submit_request(
            s,
            &form.code,
            &app::impact::RequestInput {
                extra_hours: "4".into(),
                team_id: Some(b_other_team.id),
                name: "Geheime Naam".into(),
                contact: "geheim@b.example".into(),
                consent: true,
                ..Default::default()
            },
            "2026-02-01".parse().unwrap(),
        )
        .await
        .unwrap();
        let state = || async {
            format!(
                "{:?}|{:?}|{:?}",
                s.goals(w.b_org).await.unwrap(),
                s.contract_requests(w.b_org).await.unwrap(),
                s.request_form(w.b_org).await.unwrap()
            )
        };
        let before = state().await;
        let (b, g, r) = (w.b_org, goal.id, request.id);
        let pages = [
            format!("/organisaties/{b}/impact"),
            format!("/organisaties/{b}/impact/verhaal"),
            format!("/organisaties/{b}/impact/verhaal.pdf"),
            format!("/organisaties/{b}/verzoeken"),
        ];
        let posts = [
            format!("/organisaties/{b}/impact/doelen"),
            format!("/organisaties/{b}/impact/doelen/{g}/verwijderen"),
            format!("/organisaties/{b}/impact/doelen/{g}/waarden"),
            format!("/organisaties/{b}/verzoeken/formulier"),
            format!("/organisaties/{b}/verzoeken/{r}"),
        ];
        let api = [
            ("GET", format!("/api/v1/organisations/{b}/goals"), None),
            (
                "POST",
                format!("/api/v1/organisations/{b}/goals"),
                Some(
                    serde_json::json!({"kind": "requests", "target": 1, "deadline": "2030-01-01"}),
                ),
            ),
            (
                "DELETE",
                format!("/api/v1/organisations/{b}/goals/{g}"),
                None,
            ),
            (
                "POST",
                format!("/api/v1/organisations/{b}/goals/{g}/values"),
                Some(serde_json::json!({"measured_on": "2026-03-01", "value": 1})),
            ),
            ("GET", format!("/api/v1/organisations/{b}/impact"), None),
            (
                "GET",
                format!("/api/v1/organisations/{b}/request-form"),
                None,
            ),
            (
                "POST",
                format!("/api/v1/organisations/{b}/request-form"),
                Some(serde_json::json!({"new_code": true})),
            ),
            (
                "GET",
                format!("/api/v1/organisations/{b}/contract-requests"),
                None,
            ),
            (
                "POST",
                format!("/api/v1/organisations/{b}/contract-requests/{r}"),
                Some(serde_json::json!({"status": "niet_gelukt", "reason": "x"})),
            ),
        ];
        for email in &a_users {
            let mut c = app.login(email).await;
            for uri in &pages {
                let res = app.get(&mut c, uri).await;
                assert!(denied(res.status), "{email} GET {uri}: {}", res.status);
                assert!(!res.body.contains("Geheime Naam") && !res.body.contains(&w.b_name));
            }
            for uri in &posts {
                let res = app
                    .post_form(
                        &mut c,
                        uri,
                        &[
                            ("kind", "requests"),
                            ("target", "1"),
                            ("deadline", "2030-01-01"),
                            ("status", "niet_gelukt"),
                            ("reason", "x"),
                            ("value", "1"),
                            ("measured_on", "2026-03-01"),
                            ("new_code", "1"),
                        ],
                    )
                    .await;
                assert!(denied(res.status), "{email} POST {uri}: {}", res.status);
            }
            let user = s.user_by_email(email).await.unwrap();
            let mut k = app.api_client(user.id).await;
            for (method, uri, body) in &api {
                let res = app.api(&mut k, method, uri, body.clone()).await;
                assert!(denied(res.status), "{email} {method} {uri}: {}", res.status);
                assert!(!res.body.contains("Geheime Naam"));
            }
        }
        // B's own manager of Team B1 does not see or move Team B2's request.
        let mut mgr = app.login(&w.b_email).await;
        let res = app
            .get(&mut mgr, &format!("/organisaties/{b}/verzoeken"))
            .await;
        assert_eq!(res.status, StatusCode::OK);
        assert!(!res.body.contains("Geheime Naam"));
        let res = app
            .post_form(
                &mut mgr,
                &format!("/organisaties/{b}/verzoeken/{r}"),
                &[("status", "niet_gelukt"), ("reason", "x")],
            )
            .await;
        assert_eq!(res.status, StatusCode::NOT_FOUND);
        assert_eq!(before, state().await, "B's goals and requests changed");
        app
    })
    .await;
}

/// The programme (issue 31): B's plan, actions and meetings, walked with their real ids
/// as A's users and as a regio-lezer, pages and API: each answers 403 or 404, shows
/// nothing of B, and B's data stays as it was. The region's timeline is for its
/// programme admins only.
#[tokio::test]
async fn programme_routes_of_another_organisation_are_closed() {
    on_each_backend(|app| async move {
        let (w, mut a_users) = world(&app).await;
        let region = app.store().default_region().await.unwrap();
        let reader = app
            .user("regio@lezer.example", Role::RegioLezer, None, vec![])
            .await;
        app.store()
            .grant_region(reader.id, region.id)
            .await
            .unwrap();
        a_users.push(reader.email.clone());
        let op = app::access::Caller::Operator;
        let b_meeting = app::programme::add_meeting(
            app.store(),
            op,
            w.b_org,
            &app::programme::MeetingInput {
                kind: "stuurgroep".into(),
                held_on: "2026-03-01".into(),
                notes: "Geheim verslag van B".into(),
                decisions: "Besluit van B".into(),
            },
        )
        .await
        .unwrap();
        let b_action = app::programme::add_action(
            app.store(),
            op,
            w.b_org,
            &app::programme::ActionInput {
                title: "Actie van B".into(),
                owner: w.b_email.clone(),
                due_on: "2026-03-15".into(),
                team_id: Some(w.b_team),
                link_kind: Some("meeting".into()),
                link_ref: Some(b_meeting.id.to_string()),
                status: None,
            },
        )
        .await
        .unwrap()
        .action;
        app::programme::save_plan_item(
            app.store(),
            op,
            w.b_org,
            "roostersessies",
            &app::programme::PlanItemForm {
                status: "bezig".into(),
                owner: "Eigenaar B".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        let b_cohort = app::programme::add_cohort(
            app.store(),
            op,
            region.id,
            "Cohort van B",
            store::Phase::Pilot,
            &[w.b_org.to_string()],
        )
        .await
        .unwrap();
        let b_state = |app: &crate::helpers::TestApp| {
            let s = app.store().clone();
            let org = w.b_org;
            async move {
                format!(
                    "{:?}|{:?}|{:?}|{:?}|{:?}",
                    s.plan_items(org).await.unwrap(),
                    s.actions(org).await.unwrap(),
                    s.meetings(org).await.unwrap(),
                    s.onboarding(org).await.unwrap(),
                    s.organisation_cohort(org).await.unwrap(),
                )
            }
        };
        let before = b_state(&app).await;
        let b = w.b_org;
        let (act, meet) = (b_action.id, b_meeting.id);
        let gets = [
            format!("/organisaties/{b}/plan"),
            format!("/organisaties/{b}/acties"),
            format!("/organisaties/{b}/overleggen"),
            format!("/organisaties/{b}/overleggen/{meet}"),
            format!("/organisaties/{b}/acties/{act}"),
            format!("/regio/{}/programma", region.id),
        ];
        let posts = [
            format!("/organisaties/{b}/onboarding"),
            format!("/organisaties/{b}/plan/vullen"),
            format!("/organisaties/{b}/plan/roostersessies"),
            format!("/organisaties/{b}/plan/roostersessies/sessies"),
            format!("/organisaties/{b}/plan/roostersessies/materialen"),
            format!("/organisaties/{b}/acties"),
            format!("/organisaties/{b}/acties/{act}/status"),
            format!("/organisaties/{b}/acties/{act}/wijzigen"),
            format!("/organisaties/{b}/overleggen"),
            format!("/regio/{}/programma/fasen", region.id),
            format!("/regio/{}/programma/cohorten", region.id),
            format!("/regio/{}/programma/cohorten/{}/leden", region.id, b_cohort.id),
            format!(
                "/regio/{}/programma/cohorten/{}/leden/{b}/verwijderen",
                region.id, b_cohort.id
            ),
        ];
        let api = [
            ("GET", format!("/api/v1/organisations/{b}/plan"), None),
            ("GET", format!("/api/v1/organisations/{b}/actions"), None),
            ("GET", format!("/api/v1/organisations/{b}/meetings"), None),
            (
                "GET",
                format!("/api/v1/organisations/{b}/meetings/{meet}"),
                None,
            ),
            ("GET", format!("/api/v1/organisations/{b}/onboarding"), None),
            (
                "GET",
                format!("/api/v1/regions/{}/programme", region.id),
                None,
            ),
            (
                "POST",
                format!("/api/v1/organisations/{b}/plan/prefill"),
                None,
            ),
            (
                "PUT",
                format!("/api/v1/organisations/{b}/plan/roostersessies"),
                Some(serde_json::json!({"status": "afgerond"})),
            ),
            (
                "POST",
                format!("/api/v1/organisations/{b}/plan/roostersessies/sessions"),
                Some(serde_json::json!({"held_on": "2026-01-01", "participants": 1})),
            ),
            (
                "POST",
                format!("/api/v1/organisations/{b}/plan/roostersessies/materials"),
                Some(serde_json::json!({"title": "x", "url": "https://x.example"})),
            ),
            (
                "POST",
                format!("/api/v1/organisations/{b}/actions"),
                Some(
                    serde_json::json!({"title": "x", "owner": "programma", "due_on": "2026-01-01"}),
                ),
            ),
            (
                "PUT",
                format!("/api/v1/organisations/{b}/actions/{act}/status"),
                Some(serde_json::json!({"status": "klaar"})),
            ),
            (
                "PUT",
                format!("/api/v1/organisations/{b}/actions/{act}"),
                Some(
                    serde_json::json!({"title": "Overgenomen", "owner": "programma", "due_on": "2026-01-01"}),
                ),
            ),
            (
                "POST",
                format!(
                    "/api/v1/regions/{}/programme/cohorts/{}/members",
                    region.id, b_cohort.id
                ),
                Some(serde_json::json!({"org": b})),
            ),
            (
                "DELETE",
                format!(
                    "/api/v1/regions/{}/programme/cohorts/{}/members/{b}",
                    region.id, b_cohort.id
                ),
                None,
            ),
            (
                "POST",
                format!("/api/v1/organisations/{b}/meetings"),
                Some(serde_json::json!({"kind": "stuurgroep", "held_on": "2026-01-01"})),
            ),
            (
                "PUT",
                format!("/api/v1/organisations/{b}/onboarding"),
                Some(serde_json::json!({"project_lead": "x"})),
            ),
            (
                "POST",
                format!("/api/v1/regions/{}/programme/phases", region.id),
                Some(
                    serde_json::json!({"phase": "pilot", "from": "2026-01-01", "to": "2026-02-01"}),
                ),
            ),
            (
                "POST",
                format!("/api/v1/regions/{}/programme/cohorts", region.id),
                Some(serde_json::json!({"name": "x", "orgs": [b]})),
            ),
        ];
        let secret = [
            "Actie van B",
            "Geheim verslag van B",
            "Eigenaar B",
            &w.b_name,
        ];
        for email in &a_users {
            let mut c = app.login(email).await;
            for uri in &gets {
                let r = app.get(&mut c, uri).await;
                assert!(denied(r.status), "{email} GET {uri}: {}", r.status);
                assert!(
                    !secret.iter().any(|s| r.body.contains(s)),
                    "{email} GET {uri} shows B"
                );
            }
            for uri in &posts {
                let r = app
                    .post_form(
                        &mut c,
                        uri,
                        &[
                            ("status", "klaar"),
                            ("title", "Overgenomen"),
                            ("owner", "programma"),
                            ("due_on", "2026-01-01"),
                            ("held_on", "2026-01-01"),
                            ("participants", "3"),
                            ("url", "https://x.example"),
                            ("kind", "stuurgroep"),
                            ("project_lead", "Overgenomen"),
                            ("phase", "pilot"),
                            ("from", "2026-01-01"),
                            ("to", "2026-02-01"),
                            ("name", "Overgenomen"),
                            ("org_ids", &b.to_string()),
                            ("org", &b.to_string()),
                        ],
                    )
                    .await;
                assert!(denied(r.status), "{email} POST {uri}: {}", r.status);
            }
            for r in ["/acties", "/dashboard"] {
                let page = app.get(&mut c, r).await;
                assert!(
                    !secret[..3].iter().any(|s| page.body.contains(s)),
                    "{email} GET {r} shows B"
                );
            }
            let user = app.store().user_by_email(email).await.unwrap();
            let mut k = app.api_client(user.id).await;
            for (method, uri, body) in &api {
                let r = app.api(&mut k, method, uri, body.clone()).await;
                assert!(
                    denied(r.status),
                    "{email} {method} {uri}: {} {}",
                    r.status,
                    r.body
                );
                assert!(
                    !secret.iter().any(|s| r.body.contains(s)),
                    "{email} {method} {uri} shows B"
                );
            }
            let mine = app.api(&mut k, "GET", "/api/v1/me/actions", None).await;
            assert!(!mine.body.contains("Actie van B"), "{email}: {}", mine.body);
        }
        assert_eq!(before, b_state(&app).await, "B's programme data changed");
        let cohorts = app.store().cohorts(region.id).await.unwrap();
        assert_eq!(cohorts.len(), 1, "no cohort added");
        assert_eq!(cohorts[0].org_ids, vec![w.b_org], "B's cohort unchanged");
        assert!(
            app.store()
                .programme_phases(region.id)
                .await
                .unwrap()
                .is_empty()
        );
        app
    })
    .await;
}

/// Roster scans and designs (issue 32): organisation B has a scan and a design; every
/// roster page, action and API route with B's real ids answers 403 or 404 to A's users
/// (admin, manager, planner) and to a regio-lezer, and B's rosters stay as they were.
#[tokio::test]
async fn roster_routes_of_another_organisation_are_closed() {
    on_each_backend(|app| async move {
        let (w, mut a_users) = world(&app).await;
        let team = app.store().team(w.b_team).await.unwrap();
        let org = app.store().organisation(w.b_org).await.unwrap();
        let up = app::roster::new_upload(
            app.store(),
            app::access::Caller::Operator,
            w.b_org,
            team.id,
            "rooster.csv",
            crate::roster::sample_csv().as_bytes(),
        )
        .await
        .unwrap();
        let key = app::uploads::UploadKey::random();
        let scan =
            app::roster::store_upload(app.store(), &key, app::access::Caller::Operator, &org, &up)
                .await
                .unwrap();
        let design = app::roster::design_now(app.store(), w.b_org, scan.id, 0, 1.0)
            .await
            .unwrap();
        let before = format!(
            "{:?}{:?}",
            app.store().roster_scans(w.b_org).await.unwrap(),
            app.store().roster_designs(w.b_org, scan.id).await.unwrap()
        );
        app.user("regio@r.example", Role::RegioLezer, None, vec![])
            .await;
        a_users.push("regio@r.example".into());
        let (o, s, d) = (w.b_org, scan.id, design.id);
        let pages = [
            format!("/organisaties/{o}/roosters"),
            format!("/organisaties/{o}/roosters/{s}"),
            format!("/organisaties/{o}/roosters/ontwerpen/{d}"),
            format!("/organisaties/{o}/roosters/ontwerpen/{d}/status"),
            format!("/organisaties/{o}/roosters/ontwerpen/{d}/voorstel.csv"),
            format!("/organisaties/{o}/roosters/ontwerpen/{d}/voorstel.xlsx"),
            format!("/organisaties/{o}/roosters/ontwerpen/{d}/afdrukken"),
        ];
        let actions = [
            format!("/organisaties/{o}/roosters/{s}/ontwerpen"),
            format!("/organisaties/{o}/roosters/ontwerpen/{d}/stoppen"),
        ];
        let api = [
            (
                "GET",
                format!("/api/v1/organisations/{o}/roster-scans"),
                None,
            ),
            (
                "GET",
                format!("/api/v1/organisations/{o}/roster-scans/{s}"),
                None,
            ),
            (
                "POST",
                format!("/api/v1/organisations/{o}/roster-designs"),
                Some(serde_json::json!({"scan_id": s, "seconds": 1})),
            ),
            (
                "GET",
                format!("/api/v1/organisations/{o}/roster-designs/{d}"),
                None,
            ),
            (
                "POST",
                format!("/api/v1/organisations/{o}/roster-designs/{d}/cancel"),
                None,
            ),
        ];
        // The control: B's admin reaches the pages.
        let mut b_admin = app.login("hr@b.example").await;
        for p in &pages {
            let r = app.get(&mut b_admin, p).await;
            assert_eq!(r.status, StatusCode::OK, "B's admin GET {p}");
        }
        for email in &a_users {
            let mut c = app.login(email).await;
            for p in &pages {
                let r = app.get(&mut c, p).await;
                assert!(denied(r.status), "{email} GET {p}: {}", r.status);
                assert!(
                    !r.body.contains("Medewerker 1"),
                    "{email} GET {p} shows B's roster"
                );
            }
            for p in &actions {
                let r = app.post_form(&mut c, p, &[("seconden", "1")]).await;
                assert!(denied(r.status), "{email} POST {p}: {}", r.status);
            }
            let user = app.store().user_by_email(email).await.unwrap();
            let mut k = app.api_client(user.id).await;
            for (method, uri, body) in &api {
                let r = app.api(&mut k, method, uri, body.clone()).await;
                assert!(
                    denied(r.status),
                    "{email} {method} {uri}: {} {}",
                    r.status,
                    r.body
                );
            }
            // Uploading into B's team through the API.
            let r = app
                .api(
                    &mut k,
                    "POST",
                    &format!("/api/v1/organisations/{o}/roster-scans?team_id={}", team.id),
                    None,
                )
                .await;
            assert!(denied(r.status), "{email} upload into B: {}", r.status);
        }
        let after = format!(
            "{:?}{:?}",
            app.store().roster_scans(w.b_org).await.unwrap(),
            app.store().roster_designs(w.b_org, scan.id).await.unwrap()
        );
        assert_eq!(before, after, "B's rosters changed");
        assert_eq!(
            app.store()
                .jobs(None, None, 100)
                .await
                .map(|j| j.len())
                .unwrap_or(0),
            0,
            "a job was queued for B"
        );
        app
    })
    .await;
}

/// The organisation export (issue 34): B's own admin downloads it on the page and through
/// the API as a ZIP; B's manager is refused (403) and A's users get 403/404 (above, in
/// the walks over the pages and the documented API).
#[tokio::test]
async fn the_export_is_for_the_organisations_admin() {
    on_each_backend(|app| async move {
        let (w, _) = world(&app).await;
        let uri = format!("/organisaties/{}/export.zip", w.b_org);
        let mut admin = app.login("hr@b.example").await;
        let r = app.get(&mut admin, &uri).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.headers["content-type"], "application/zip");
        assert!(
            r.headers["content-disposition"]
                .to_str()
                .unwrap()
                .contains("urenwinst-export-organisatie-b-"),
            "{:?}",
            r.headers
        );
        assert!(r.body.starts_with("PK"));
        let admin_user = app.store().user_by_email("hr@b.example").await.unwrap();
        let mut api = app.api_client(admin_user.id).await;
        let api_uri = format!("/api/v1/organisations/{}/export", w.b_org);
        let r = app.api(&mut api, "GET", &api_uri, None).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.headers["content-type"], "application/zip");
        assert!(r.body.starts_with("PK"));

        let mut manager = app.login("manager@b.example").await;
        assert_eq!(
            app.get(&mut manager, &uri).await.status,
            StatusCode::FORBIDDEN
        );
        let mut api = app.api_client(w.b_user).await;
        let r = app.api(&mut api, "GET", &api_uri, None).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        assert!(r.json()["error"]["message"].is_string(), "{}", r.body);
        app
    })
    .await;
}
