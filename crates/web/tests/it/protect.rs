//! Data protection pages (issue 34): the processing register and the retention form for
//! the programme admin, their JSON API, and both closed to organisation roles.

use axum::http::StatusCode;
use serde_json::json;
use store::Role;

use crate::helpers::on_each_backend;

#[tokio::test]
async fn the_programme_admin_reads_the_register_and_sets_retention() {
    on_each_backend(|app| async move {
        let org = app.org("Org").await;
        let pa = app
            .user("pa@example.nl", Role::ProgrammeAdmin, None, vec![])
            .await;
        let hr = app
            .user("hr@example.nl", Role::OrgAdmin, Some(org.id), vec![])
            .await;
        let mut c = app.login("pa@example.nl").await;
        let dash = app.get(&mut c, "/dashboard").await;
        assert!(dash.body.contains("href=\"/verwerkingsregister\""));
        let r = app.get(&mut c, "/verwerkingsregister").await;
        assert_eq!(r.status, StatusCode::OK);
        for needle in [
            "HR-gegevens (nulmeting)",
            "hr_employees",
            "Grondslag",
            "Bewaartermijn nu: 24 maanden.",
        ] {
            assert!(r.body.contains(needle), "register lacks {needle}");
        }
        let r = app.get(&mut c, "/bewaartermijnen").await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.body.contains("name=\"audit_log_months\""));

        let form = [
            ("hr_snapshots_months", "36"),
            ("uploads_minutes", "15"),
            ("survey_drafts_days", "7"),
            ("contract_requests_months", "6"),
            ("audit_log_months", "0"),
        ];
        let r = app.post_form(&mut c, "/bewaartermijnen", &form).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let now = app::retention::current(app.store()).await.unwrap();
        assert_eq!(now.get("hr_snapshots_months"), 36);
        assert_eq!(now.get("audit_log_months"), 0);
        let r = app.get(&mut c, "/verwerkingsregister").await;
        assert!(
            r.body
                .contains("Bewaartermijn nu: bewaren zolang de organisatie meedoet.")
        );

        // A bad value: a Dutch message naming the kind, nothing stored.
        let mut bad = form;
        bad[0] = ("hr_snapshots_months", "3");
        bad[1] = ("uploads_minutes", "5");
        let r = app.post_form(&mut c, "/bewaartermijnen", &bad).await;
        let flash = app.get(&mut c, r.location()).await;
        assert!(
            flash
                .body
                .contains("HR-gegevens (peildata): kies een getal van 12"),
            "{}",
            flash.body
        );
        let after = app::retention::current(app.store()).await.unwrap();
        assert_eq!(after, now, "nothing stored");

        // The API twins.
        let mut api = app.api_client(pa.id).await;
        let r = app.api(&mut api, "GET", "/api/v1/retention", None).await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(r.json()["settings"].as_array().unwrap().len(), 5);
        let r = app
            .api(
                &mut api,
                "PUT",
                "/api/v1/retention",
                Some(json!({"audit_log_months": 12})),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let audit = r.json()["settings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["key"] == "audit_log_months")
            .unwrap()
            .clone();
        assert_eq!(audit["value"], 12);
        let r = app
            .api(
                &mut api,
                "PUT",
                "/api/v1/retention",
                Some(json!({"uploads_minutes": 99})),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(r.json()["error"]["field"], "uploads_minutes");
        let r = app.api(&mut api, "GET", "/api/v1/register", None).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.json()["kinds"].as_array().unwrap().len() >= 10);

        // Closed to organisation roles.
        let mut c = app.login("hr@example.nl").await;
        for uri in ["/verwerkingsregister", "/bewaartermijnen"] {
            assert_eq!(
                app.get(&mut c, uri).await.status,
                StatusCode::FORBIDDEN,
                "{uri}"
            );
        }
        let r = app.post_form(&mut c, "/bewaartermijnen", &form).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let mut api = app.api_client(hr.id).await;
        for (method, uri, body) in [
            ("GET", "/api/v1/register", None),
            ("GET", "/api/v1/retention", None),
            (
                "PUT",
                "/api/v1/retention",
                Some(json!({"audit_log_months": 6})),
            ),
        ] {
            let r = app.api(&mut api, method, uri, body).await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{method} {uri}");
        }
        assert_eq!(
            app::retention::current(app.store())
                .await
                .unwrap()
                .get("audit_log_months"),
            12
        );
        app
    })
    .await;
}
