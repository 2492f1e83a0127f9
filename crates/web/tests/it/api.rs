//! The JSON API as a programme admin and an organisation admin would use it.

use axum::http::StatusCode;
use store::Role;

use crate::helpers::on_each_backend;

#[tokio::test]
async fn admin_workflow_through_the_api() {
    on_each_backend(|app| async move {
        let admin = app
            .user("pa@example.nl", Role::ProgrammeAdmin, None, vec![])
            .await;
        let mut c = app.api_client(admin.id).await;

        let r = app.api(&mut c, "GET", "/api/v1/me", None).await;
        assert_eq!(r.json()["role"], "programme_admin");

        let r = app
            .api(&mut c, "POST", "/api/v1/organisations", Some(serde_json::json!({
                "name": "Zorggroep API", "subsector": "ggz", "fulltime_hours": 38, "phase": "pilot"
            })))
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let org = r.json();
        assert_eq!(org["min_group_size"], 5);
        let org_id = org["id"].as_i64().unwrap();

        // Errors are JSON with a stable code, a Dutch message and the field.
        let r = app
            .api(
                &mut c,
                "POST",
                "/api/v1/organisations",
                Some(serde_json::json!({
                    "name": "X", "subsector": "bakkerij"
                })),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(r.json()["error"]["code"], "invalid");
        assert_eq!(r.json()["error"]["field"], "subsector");
        let r = app
            .api(
                &mut c,
                "POST",
                "/api/v1/organisations",
                Some(serde_json::json!({
                    "name": "Zorggroep API", "subsector": "ggz"
                })),
            )
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT);
        assert!(
            r.json()["error"]["message"]
                .as_str()
                .unwrap()
                .contains("bestaat al")
        );

        let r = app
            .api(
                &mut c,
                "POST",
                &format!("/api/v1/organisations/{org_id}/locations"),
                Some(serde_json::json!({"name": "Almelo"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED);
        let loc = r.json()["id"].as_i64().unwrap();
        let r = app
            .api(
                &mut c,
                "POST",
                &format!("/api/v1/organisations/{org_id}/teams"),
                Some(serde_json::json!({"name": "Team Noord", "location_id": loc})),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED);
        let team = r.json()["id"].as_i64().unwrap();

        let r = app
            .api(
                &mut c,
                "POST",
                "/api/v1/users",
                Some(serde_json::json!({
                    "email": "hr@api.example", "name": "HR", "role": "org_admin", "org_id": org_id
                })),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let hr = r.json();
        assert!(hr["invite_link"].as_str().unwrap().contains("/wachtwoord/"));
        assert_eq!(hr["invited"], true);

        // The organisation admin continues with their own token.
        let hr_id = hr["id"].as_i64().unwrap();
        let mut h = app.api_client(hr_id).await;
        let r = app
            .api(
                &mut h,
                "POST",
                "/api/v1/users",
                Some(serde_json::json!({
                    "email": "m@api.example", "name": "M", "role": "manager", "org_id": org_id,
                    "team_ids": [team], "password": "lang-genoeg-wachtwoord"
                })),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let m = r.json()["id"].as_i64().unwrap();
        let r = app
            .api(
                &mut h,
                "POST",
                "/api/v1/users",
                Some(serde_json::json!({
                    "email": "pa2@api.example", "name": "P", "role": "programme_admin"
                })),
            )
            .await;
        assert_eq!(
            r.status,
            StatusCode::FORBIDDEN,
            "an org admin cannot make programme admins"
        );
        let r = app
            .api(
                &mut h,
                "POST",
                &format!("/api/v1/users/{m}/deactivate"),
                None,
            )
            .await;
        assert_eq!(r.json()["active"], false);
        let r = app
            .api(
                &mut h,
                "POST",
                &format!("/api/v1/users/{m}/reset-password"),
                None,
            )
            .await;
        assert!(
            r.json()["reset_link"]
                .as_str()
                .unwrap()
                .contains("/wachtwoord/")
        );
        let r = app.api(&mut h, "GET", "/api/v1/users", None).await;
        assert_eq!(r.json()["users"].as_array().unwrap().len(), 2);
        // The organisation admin reads the own organisation's log only (issue 33), with
        // the actions in Dutch; asking for another organisation is "not found".
        let r = app.api(&mut h, "GET", "/api/v1/audit", None).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let own = r.json()["entries"].as_array().unwrap().clone();
        assert!(!own.is_empty());
        for e in &own {
            assert_eq!(e["org_id"], org_id, "{e}");
            assert!(!e["action_nl"].as_str().unwrap().contains('.'), "{e}");
        }
        let r = app
            .api(
                &mut h,
                "GET",
                &format!("/api/v1/audit?org_id={}", org_id + 1000),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        let r = app
            .api(
                &mut c,
                "GET",
                "/api/v1/audit?action=team.create&limit=1",
                None,
            )
            .await;
        let page = r.json();
        assert_eq!(page["entries"].as_array().unwrap().len(), 1, "{page}");
        assert_eq!(page["entries"][0]["action_nl"], "Team aangemaakt");

        let r = app.api(&mut c, "GET", "/api/v1/audit", None).await;
        let actions: Vec<String> = r.json()["entries"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["action"].as_str().unwrap().to_string())
            .collect();
        for expected in [
            "organisation.create",
            "location.create",
            "team.create",
            "user.create",
            "user.deactivate",
            "user.reset_password",
        ] {
            assert!(
                actions.contains(&expected.to_string()),
                "audit lacks {expected}: {actions:?}"
            );
        }

        let r = app
            .api(
                &mut c,
                "DELETE",
                &format!("/api/v1/organisations/{org_id}"),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::NO_CONTENT);
        let r = app
            .api(
                &mut c,
                "GET",
                &format!("/api/v1/organisations/{org_id}"),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        assert_eq!(r.json()["error"]["code"], "not_found");
        app
    })
    .await;
}

#[tokio::test]
async fn tokens_are_required_and_revocable() {
    on_each_backend(|app| async move {
        let mut anon = crate::helpers::Client::default();
        let r = app
            .api(&mut anon, "GET", "/api/v1/organisations", None)
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        assert_eq!(r.json()["error"]["code"], "unauthenticated");
        anon.bearer = Some("uw_0000".into());
        let r = app
            .api(&mut anon, "GET", "/api/v1/organisations", None)
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        // The OpenAPI document is public.
        let r = app
            .get(
                &mut crate::helpers::Client::default(),
                "/api/v1/openapi.json",
            )
            .await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(r.json()["openapi"], "3.1.0");

        let u = app
            .user("pa@example.nl", Role::ProgrammeAdmin, None, vec![])
            .await;
        let mut c = app.api_client(u.id).await;
        assert_eq!(
            app.api(&mut c, "GET", "/api/v1/me", None).await.status,
            StatusCode::OK
        );
        let tok = app.store().api_tokens(u.id).await.unwrap()[0].id;
        app.store().revoke_api_token(u.id, tok).await.unwrap();
        assert_eq!(
            app.api(&mut c, "GET", "/api/v1/me", None).await.status,
            StatusCode::UNAUTHORIZED
        );
        app
    })
    .await;
}
