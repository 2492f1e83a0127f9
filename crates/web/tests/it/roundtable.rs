//! Round tables, the round-table pack and the learning network through the web layer:
//! pages and their API twins, who reads what (invited organisations only; a regio-lezer
//! sees practices without names or effects), withdrawal hiding a practice everywhere, and
//! the regio-lezer grant on the users page.

use axum::http::StatusCode;
use serde_json::json;
use store::Role;

use crate::helpers::{TestApp, on_each_backend};

fn denied(status: StatusCode) -> bool {
    status == StatusCode::FORBIDDEN || status == StatusCode::NOT_FOUND
}

struct World {
    region: i64,
    a: i64,
    b: i64,
}

async fn world(app: &TestApp) -> World {
    let region = app.store().default_region().await.unwrap().id;
    let a = app.org("Zorg Aa").await.id;
    let b = app.org("Zorg Bee").await.id;
    app.user("pa@programma.example", Role::ProgrammeAdmin, None, vec![])
        .await;
    app.user("hr@aa.example", Role::OrgAdmin, Some(a), vec![])
        .await;
    app.user("hr@bee.example", Role::OrgAdmin, Some(b), vec![])
        .await;
    let reader = app
        .user("lezer@fonds.example", Role::RegioLezer, None, vec![])
        .await;
    app.store().grant_region(reader.id, region).await.unwrap();
    World { region, a, b }
}

#[tokio::test]
async fn a_round_table_is_made_on_its_page_and_read_by_the_invited_only() {
    on_each_backend(|app| async move {
        let w = world(&app).await;
        let mut pa = app.login("pa@programma.example").await;
        let r = app
            .get(&mut pa, &format!("/regio/{}/rondetafels/nieuw", w.region))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(r.body.contains("Zorg Aa") && r.body.contains("Zorg Bee"));
        let (a, region) = (w.a.to_string(), w.region);
        let r = app
            .post_form(
                &mut pa,
                &format!("/regio/{region}/rondetafels"),
                &[
                    ("title", "Rondetafel VVT"),
                    ("held_on", "2026-11-12"),
                    ("place", "Hengelo"),
                    ("subsector", "vvt"),
                    ("invite", &a),
                    (&format!("attendees_{a}"), "3"),
                    ("item_kind", "kans"),
                    ("item_theme", "rooster"),
                    ("item_text", "Vaste diensten"),
                    ("item_practice", ""),
                    ("item_kind", "kans"),
                    ("item_theme", "rooster"),
                    ("item_text", ""),
                    ("item_practice", ""),
                    ("action_text", "Werkgroep starten"),
                    ("action_owner", "Els de Vries"),
                    ("action_due", "2027-01-15"),
                    ("action_status", "open"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let detail = r.location().to_string();
        let rt: i64 = detail.rsplit('/').next().unwrap().parse().unwrap();
        let stored = app.store().round_table(rt).await.unwrap();
        assert_eq!(stored.invited[0].attendees, Some(3));
        assert_eq!(stored.items.len(), 1);
        assert_eq!(stored.actions[0].owner, "Els de Vries");

        // A bad date: a Dutch message naming the row, nothing written.
        let r = app
            .post_form(
                &mut pa,
                &detail,
                &[
                    ("title", "Anders"),
                    ("held_on", "2026-11-12"),
                    ("place", "Hengelo"),
                    ("action_text", "X"),
                    ("action_owner", "Y"),
                    ("action_due", "morgen"),
                    ("action_status", "open"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let page = app.get(&mut pa, &detail).await;
        assert!(page.body.contains("Actie 1"), "{}", page.body);
        assert_eq!(
            app.store().round_table(rt).await.unwrap().title,
            "Rondetafel VVT"
        );

        // The invited organisation reads the outcome; the other one and the regio-lezer
        // do not, on the page or through the API.
        let mut a_hr = app.login("hr@aa.example").await;
        let r = app.get(&mut a_hr, &detail).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.body.contains("Vaste diensten") && !r.body.contains("Rondetafel opslaan"));
        let r = app
            .post_form(&mut a_hr, &format!("{detail}/verwijderen"), &[])
            .await;
        assert!(denied(r.status), "{}", r.status);
        for email in ["hr@bee.example", "lezer@fonds.example"] {
            let mut c = app.login(email).await;
            let r = app.get(&mut c, &detail).await;
            assert!(denied(r.status), "{email}: {}", r.status);
            assert!(!r.body.contains("Vaste diensten"));
            let r = app
                .get(&mut c, &format!("/regio/{region}/rondetafels"))
                .await;
            assert!(!r.body.contains("Rondetafel VVT"), "{email} sees the list");
            let user = app.store().user_by_email(email).await.unwrap();
            let mut api = app.api_client(user.id).await;
            let r = app
                .api(&mut api, "GET", &format!("/api/v1/round-tables/{rt}"), None)
                .await;
            assert!(denied(r.status), "{email}: {}", r.status);
        }

        // The API twins: update and delete.
        let pa_user = app
            .store()
            .user_by_email("pa@programma.example")
            .await
            .unwrap();
        let mut api = app.api_client(pa_user.id).await;
        let r = app
            .api(&mut api, "GET", &format!("/api/v1/round-tables/{rt}"), None)
            .await;
        assert_eq!(r.status, StatusCode::OK);
        let mut body = r.json()["round_table"].clone();
        body["place"] = json!("Enschede");
        let r = app
            .api(
                &mut api,
                "PUT",
                &format!("/api/v1/round-tables/{rt}"),
                Some(body),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(app.store().round_table(rt).await.unwrap().place, "Enschede");
        let r = app
            .api(
                &mut api,
                "GET",
                &format!("/api/v1/regions/{region}/round-tables"),
                None,
            )
            .await;
        assert_eq!(r.json()["round_tables"].as_array().unwrap().len(), 1);
        let r = app
            .api(
                &mut api,
                "DELETE",
                &format!("/api/v1/round-tables/{rt}"),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::NO_CONTENT);
        assert!(app.store().round_table(rt).await.is_err());
        app
    })
    .await;
}

#[tokio::test]
async fn practices_are_shared_with_consent_and_withdrawn_everywhere() {
    on_each_backend(|app| async move {
        let w = world(&app).await;
        let mut a_hr = app.login("hr@aa.example").await;
        let share = format!("/organisaties/{}/leernetwerk", w.a);
        let r = app.get(&mut a_hr, &share).await;
        assert_eq!(r.status, StatusCode::OK);
        let fields = [
            ("title", "Vaste dagen"),
            ("intervention", "roostersessies"),
            ("theme", "rooster"),
            ("description", "Roosters met vaste dagen."),
            ("subsector", "vvt"),
            ("team_type", "wijkteam"),
            ("size_band", "100_500"),
            ("started_on", "2026-03-01"),
            ("link_label", "Draaiboek"),
            ("link_url", "https://example.org/draaiboek"),
        ];
        // Without consent nothing is shared.
        let r = app.post_form(&mut a_hr, &share, &fields).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(r.location(), share);
        assert!(app.store().practices(None, None).await.unwrap().is_empty());
        let mut with = fields.to_vec();
        with.push(("consent", "ja"));
        let r = app.post_form(&mut a_hr, &share, &with).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let detail = r.location().to_string();
        assert!(detail.starts_with("/leernetwerk/"), "{detail}");
        let id: i64 = detail.rsplit('/').next().unwrap().parse().unwrap();

        // Another organisation of the region sees it with the name and the effect's
        // reasons; the regio-lezer sees it without the name or any effect.
        let mut b_hr = app.login("hr@bee.example").await;
        let r = app.get(&mut b_hr, "/leernetwerk?thema=rooster").await;
        assert!(r.body.contains("Vaste dagen") && r.body.contains("Zorg Aa"));
        assert!(r.body.contains("geen HR-bestand"), "{}", r.body);
        let r = app.get(&mut b_hr, "/leernetwerk?thema=cultuur").await;
        assert!(!r.body.contains("Vaste dagen"));
        let mut lezer = app.login("lezer@fonds.example").await;
        let r = app.get(&mut lezer, &detail).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.body.contains("Vaste dagen") && !r.body.contains("Zorg Aa"));
        let reader = app
            .store()
            .user_by_email("lezer@fonds.example")
            .await
            .unwrap();
        let mut api = app.api_client(reader.id).await;
        let r = app.api(&mut api, "GET", "/api/v1/practices", None).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(!r.body.contains("Zorg Aa"), "{}", r.body);
        assert!(r.json()["practices"][0]["effect"].is_null());

        // B cannot withdraw A's practice, on the page or through the API.
        let r = app
            .post_form(
                &mut b_hr,
                &format!("/organisaties/{}/leernetwerk/intrekken", w.a),
                &[("practice_id", &id.to_string())],
            )
            .await;
        assert!(denied(r.status));
        let b_user = app.store().user_by_email("hr@bee.example").await.unwrap();
        let mut b_api = app.api_client(b_user.id).await;
        let r = app
            .api(
                &mut b_api,
                "DELETE",
                &format!("/api/v1/practices/{id}"),
                None,
            )
            .await;
        assert!(denied(r.status));
        let r = app
            .post_form(
                &mut b_hr,
                &format!("/organisaties/{}/leernetwerk/intrekken", w.b),
                &[("practice_id", &id.to_string())],
            )
            .await;
        assert!(denied(r.status), "{}", r.status);
        assert!(
            app.store()
                .practice(id)
                .await
                .unwrap()
                .withdrawn_at
                .is_none()
        );

        // A withdraws: gone from the library, the detail and the API.
        let r = app
            .post_form(
                &mut a_hr,
                &format!("/organisaties/{}/leernetwerk/intrekken", w.a),
                &[("practice_id", &id.to_string())],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let r = app.get(&mut b_hr, "/leernetwerk").await;
        assert!(!r.body.contains("Vaste dagen"));
        let r = app.get(&mut b_hr, &detail).await;
        assert!(denied(r.status));
        let r = app
            .api(&mut b_api, "GET", &format!("/api/v1/practices/{id}"), None)
            .await;
        assert!(denied(r.status));

        // The API twin of sharing.
        let a_user = app.store().user_by_email("hr@aa.example").await.unwrap();
        let mut a_api = app.api_client(a_user.id).await;
        let body = json!({
            "title": "Goed gesprek", "intervention": "goed_gesprek", "theme": "cultuur",
            "description": "Gesprekken over meer uren.", "size_band": "tot_100",
            "started_on": "2026-02-01", "consent": true,
        });
        let r = app
            .api(
                &mut a_api,
                "POST",
                &format!("/api/v1/organisations/{}/practices", w.a),
                Some(body.clone()),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let r = app
            .api(
                &mut b_api,
                "POST",
                &format!("/api/v1/organisations/{}/practices", w.a),
                Some(body),
            )
            .await;
        assert!(denied(r.status));
        let r = app
            .api(
                &mut a_api,
                "GET",
                &format!("/api/v1/organisations/{}/practices", w.a),
                None,
            )
            .await;
        assert_eq!(r.json()["practices"].as_array().unwrap().len(), 2);
        app
    })
    .await;
}

#[tokio::test]
async fn the_pack_names_no_organisation_in_the_shared_version() {
    on_each_backend(|app| async move {
        let w = world(&app).await;
        let mut pa = app.login("pa@programma.example").await;
        let r = app
            .get(
                &mut pa,
                &format!("/regio/{}/rondetafelpakket?sector=vvt", w.region),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(r.body.contains("Rondetafelpakket") && r.body.contains("Gespreksvragen"));
        assert!(!r.body.contains("Zorg Aa") && !r.body.contains("Zorg Bee"));
        // B's admin cannot get A's own copy; A's admin can.
        let mut b_hr = app.login("hr@bee.example").await;
        let own = format!(
            "/regio/{}/rondetafelpakket?sector=vvt&org={}",
            w.region, w.a
        );
        let r = app.get(&mut b_hr, &own).await;
        assert!(denied(r.status), "{}", r.status);
        let mut a_hr = app.login("hr@aa.example").await;
        let r = app.get(&mut a_hr, &own).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(r.body.contains("Zorg Aa"));
        // No PDF renderer in tests: a clear 503, not a crash.
        let r = app
            .get(
                &mut a_hr,
                &format!("/regio/{}/rondetafelpakket.pdf?sector=vvt", w.region),
            )
            .await;
        assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE);
        app
    })
    .await;
}

#[tokio::test]
async fn a_programme_admin_grants_a_regio_lezer_a_region_on_the_users_page() {
    on_each_backend(|app| async move {
        let w = world(&app).await;
        let actor = store::Actor::cli();
        let salland = app::region::create_region(app.store(), &actor, "Salland", 3, 50)
            .await
            .unwrap();
        let reader = app
            .store()
            .user_by_email("lezer@fonds.example")
            .await
            .unwrap();
        let mut pa = app.login("pa@programma.example").await;
        let page = app
            .get(&mut pa, &format!("/gebruikers/{}", reader.id))
            .await;
        assert!(page.body.contains("Salland"), "{}", page.body);
        let r = app
            .post_form(
                &mut pa,
                &format!("/gebruikers/{}/regios", reader.id),
                &[("region_ids", &salland.id.to_string())],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(
            app.store().user_region_ids(reader.id).await.unwrap(),
            vec![salland.id]
        );
        // An organisation admin cannot; the API twin does the same for the programme.
        let mut a_hr = app.login("hr@aa.example").await;
        let r = app
            .post_form(
                &mut a_hr,
                &format!("/gebruikers/{}/regios", reader.id),
                &[("region_ids", &w.region.to_string())],
            )
            .await;
        assert!(denied(r.status), "{}", r.status);
        let pa_user = app
            .store()
            .user_by_email("pa@programma.example")
            .await
            .unwrap();
        let mut api = app.api_client(pa_user.id).await;
        let r = app
            .api(
                &mut api,
                "PUT",
                &format!("/api/v1/users/{}/regions", reader.id),
                Some(json!({"region_ids": [w.region, salland.id]})),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(
            app.store().user_region_ids(reader.id).await.unwrap().len(),
            2
        );
        app
    })
    .await;
}
