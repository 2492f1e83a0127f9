//! API parity: everything an admin can do in the pages can be done through the JSON API.
//! Every state-changing page action (every POST route of the page router, which is built
//! from `web::page_actions()`) names its API twins, and each twin must be a documented
//! operation of `/api/v1` (the OpenAPI document, which `access.rs` and `api.rs` check
//! against the router). Actions without a twin are deliberate and listed here with why.

use std::collections::BTreeSet;

/// Page actions that have no API twin on purpose, with the reason.
const EXCEPTIONS: &[(&str, &str)] = &[
    (
        "/inloggen",
        "signing in starts a browser session; the API authenticates with a key per request",
    ),
    (
        "/uitloggen",
        "ends a browser session; API keys have no session",
    ),
    (
        "/wachtwoord/{token}",
        "a one-time link from an invitation or reset mail, used in the browser before any \
         key exists",
    ),
    (
        "/wachtwoord-vergeten",
        "asking for a reset mail on the login page happens before anyone is signed in; \
         an admin resets through POST /users/{id}/reset-password",
    ),
    (
        "/account/wachtwoord",
        "changing one's own password needs the current one, typed in a signed-in browser",
    ),
    (
        "/account/sleutels",
        "an API key must not mint further keys; keys are made in a signed-in browser",
    ),
    (
        "/account/sleutels/{id}/intrekken",
        "revoking keys belongs with making them, in a signed-in browser",
    ),
    (
        "/enquete",
        "the public respondent flow (a code typed in) is for respondents, not admins",
    ),
    (
        "/enquete/{key}",
        "the public respondent flow (answering the questionnaire) is for respondents",
    ),
    (
        "/verzoek/{code}",
        "the public contract-request form is for employees without an account, not admins",
    ),
];

fn documented() -> BTreeSet<String> {
    let doc = web::api::openapi::document_value();
    let mut out = BTreeSet::new();
    for (path, ops) in doc["paths"].as_object().expect("paths") {
        for method in ops.as_object().expect("operations").keys() {
            out.insert(format!("{} {path}", method.to_uppercase()));
        }
    }
    out
}

#[test]
fn every_page_action_has_an_api_twin_or_a_reason() {
    let documented = documented();
    let exceptions: BTreeSet<&str> = EXCEPTIONS.iter().map(|(p, _)| *p).collect();
    let mut missing = Vec::new();
    let mut seen = BTreeSet::new();
    for action in web::page_actions() {
        seen.insert(action.path);
        if action.api.is_empty() {
            if !exceptions.contains(action.path) {
                missing.push(format!("{}: no API twin and no reason", action.path));
            }
            continue;
        }
        assert!(
            !exceptions.contains(action.path),
            "{} has an API twin but is listed as an exception",
            action.path
        );
        for twin in action.api {
            if !documented.contains(*twin) {
                missing.push(format!(
                    "{}: twin '{twin}' is not in the OpenAPI document",
                    action.path
                ));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "page actions without an API twin:\n{}",
        missing.join("\n")
    );
    for (path, reason) in EXCEPTIONS {
        assert!(
            seen.contains(path),
            "exception {path} is no page action any more"
        );
        assert!(!reason.trim().is_empty(), "exception {path} needs a reason");
    }
}

#[test]
fn the_walk_sees_every_part_of_the_product() {
    // The table the router is built from covers the page parts that change data.
    let paths: Vec<&str> = web::page_actions().map(|a| a.path).collect();
    for expected in [
        "/organisaties/{id}/teams",
        "/gebruikers",
        "/organisaties/{id}/nulmeting/loonkosten",
        "/organisaties/{id}/nulmeting/pnil",
        "/nulmeting/sectorcijfers",
        "/organisaties/{id}/enquetes",
        "/enquetes/{id}/status",
    ] {
        assert!(paths.contains(&expected), "{expected} is not walked");
    }
    let unique: BTreeSet<&str> = paths.iter().copied().collect();
    assert_eq!(unique.len(), paths.len(), "a page action is listed twice");
}

/// The API twins added for parity do what their pages do, through the same service.
#[tokio::test]
async fn the_twins_of_hr_and_survey_page_actions_work() {
    use axum::http::StatusCode;
    use serde_json::json;
    use store::Role;

    use crate::helpers::on_each_backend;

    on_each_backend(|app| async move {
        let org = app.org("Zorggroep Tweeling").await;
        let team = app.store().create_team(org.id, "Berk", None).await.unwrap();
        let admin = app
            .user("hr@tweeling.example", Role::OrgAdmin, Some(org.id), vec![])
            .await;
        let programme = app
            .user("pa@tweeling.example", Role::ProgrammeAdmin, None, vec![])
            .await;
        let mut c = app.api_client(admin.id).await;
        let base = format!("/api/v1/organisations/{}", org.id);

        // Wage cost: set, then clear.
        let r = app
            .api(
                &mut c,
                "PUT",
                &format!("{base}/hr/wage-cost"),
                Some(json!({"wage_cost_cents": 5_800_050})),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(
            app.store().hr_wage_cost(org.id).await.unwrap(),
            Some(5_800_050)
        );
        let r = app
            .api(
                &mut c,
                "PUT",
                &format!("{base}/hr/wage-cost"),
                Some(json!({"wage_cost_cents": null})),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(app.store().hr_wage_cost(org.id).await.unwrap(), None);

        // PNIL: add a month by hand, refuse a non-month, delete the month.
        let r = app
            .api(
                &mut c,
                "POST",
                &format!("{base}/hr/pnil/entries"),
                Some(json!({"month": "2025-03", "amount_cents": 1_250_000, "kind": "zzp"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        assert_eq!(app.store().pnil_entries(org.id).await.unwrap().len(), 1);
        let r = app
            .api(
                &mut c,
                "POST",
                &format!("{base}/hr/pnil/entries"),
                Some(json!({"month": "dertienmaand", "amount_cents": 1})),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert_eq!(r.json()["error"]["field"], "month");
        let r = app
            .api(
                &mut c,
                "DELETE",
                &format!("{base}/hr/pnil/months/2025-03"),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.json()["deleted_rows"], 1);
        assert!(app.store().pnil_entries(org.id).await.unwrap().is_empty());

        // A snapshot that does not exist.
        let r = app
            .api(
                &mut c,
                "DELETE",
                &format!("{base}/hr/snapshots/999999"),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);

        // Sector benchmarks: the programme's, checked before they are stored.
        let r = app
            .api(
                &mut c,
                "PUT",
                "/api/v1/hr/benchmarks",
                Some(json!({"toml": null})),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
        let mut p = app.api_client(programme.id).await;
        let r = app
            .api(
                &mut p,
                "PUT",
                "/api/v1/hr/benchmarks",
                Some(json!({"toml": "dit is geen toml ["})),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(app.store().hr_benchmark_override().await.unwrap().is_none());
        let r = app
            .api(
                &mut p,
                "PUT",
                "/api/v1/hr/benchmarks",
                Some(json!({"toml": null})),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);

        // Survey: invited counts, then delete the round.
        let r = app
            .api(
                &mut c,
                "POST",
                &format!("{base}/survey-rounds"),
                Some(json!({
                    "name": "Tweeling", "kind": "nulmeting",
                    "questionnaire": "medewerkers", "version": 1,
                    "opens_on": "2026-01-01", "closes_on": "2026-12-31",
                    "team_ids": [team.id],
                })),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let round = r.json()["id"].as_i64().unwrap();
        let r = app
            .api(
                &mut c,
                "PUT",
                &format!("/api/v1/survey-rounds/{round}/invited"),
                Some(json!({"teams": [{"team_id": team.id, "invited": 12}]})),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let teams = app.store().survey_round_teams(round).await.unwrap();
        assert_eq!(teams[0].invited, 12);
        let r = app
            .api(
                &mut c,
                "DELETE",
                &format!("/api/v1/survey-rounds/{round}"),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
        assert!(app.store().survey_rounds(org.id).await.unwrap().is_empty());

        // Every change is audited under the same actor as the pages use.
        let entries = app.store().audit_entries(50, None).await.unwrap();
        for action in [
            "hr.wage_cost",
            "hr.pnil_add",
            "hr.pnil_delete",
            "survey.round.create",
            "survey.round.delete",
        ] {
            let e = entries
                .iter()
                .find(|e| e.action == action)
                .unwrap_or_else(|| panic!("{action} not audited"));
            assert_eq!(e.actor, app::audit::actor(&admin).label, "{action}");
        }
        app
    })
    .await;
}

/// Every twin a page action names is routed, not only documented: without a key it
/// answers 401 from the API's authentication, where an unknown route or method would
/// answer 404 or 405.
#[tokio::test]
async fn every_named_twin_is_routed() {
    use axum::http::StatusCode;

    use crate::helpers::{Client, on_each_backend};

    on_each_backend(|app| async move {
        for action in web::page_actions() {
            for twin in action.api {
                let (method, path) = twin.split_once(' ').expect("METHOD /path");
                let path: String = path
                    .split('/')
                    .map(|part| if part.starts_with('{') { "1" } else { part })
                    .collect::<Vec<_>>()
                    .join("/");
                let mut c = Client::default();
                let r = app
                    .api(&mut c, method, &format!("/api/v1{path}"), None)
                    .await;
                assert_eq!(
                    r.status,
                    StatusCode::UNAUTHORIZED,
                    "{twin} (twin of {}): {}",
                    action.path,
                    r.body
                );
            }
        }
        app
    })
    .await;
}

/// Round tables, the learning network and the regio-lezer grant (issue 30) are in the
/// walked tables with their documented twins.
#[test]
fn round_table_and_learning_network_actions_have_their_twins() {
    let documented = documented();
    for (page, twin) in [
        ("/regio/{id}/rondetafels", "POST /regions/{id}/round-tables"),
        ("/regio/{id}/rondetafels/{rt}", "PUT /round-tables/{id}"),
        (
            "/regio/{id}/rondetafels/{rt}/verwijderen",
            "DELETE /round-tables/{id}",
        ),
        (
            "/organisaties/{id}/leernetwerk",
            "POST /organisations/{id}/practices",
        ),
        (
            "/organisaties/{id}/leernetwerk/intrekken",
            "DELETE /practices/{id}",
        ),
        ("/gebruikers/{id}/regios", "PUT /users/{id}/regions"),
    ] {
        let action = web::page_actions()
            .find(|a| a.path == page)
            .unwrap_or_else(|| panic!("{page} is not a page action"));
        assert_eq!(action.api, &[twin], "{page}");
        assert!(documented.contains(twin), "{twin} is not documented");
    }
    for read in [
        "GET /practices",
        "GET /practices/{id}",
        "GET /organisations/{id}/practices",
        "GET /regions/{id}/round-tables",
        "GET /round-tables/{id}",
        "GET /regions/{id}/round-table-pack.pdf",
    ] {
        assert!(documented.contains(read), "{read} is not documented");
    }
}
