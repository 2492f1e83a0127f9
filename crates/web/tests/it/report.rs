//! Fase 0's report part: the Value Case JSON, the interview (page and API), sharing, and
//! the Fase 0 checklist, on the demo region; access as the pages.

use axum::http::StatusCode;
use serde_json::json;
use store::Role;

use crate::helpers::{hidden_value, on_each_backend};

#[tokio::test]
async fn value_case_json_checklists_and_access_on_the_demo() {
    on_each_backend(|app| async move {
        app::demo::load(app.store()).await.unwrap().unwrap();
        let dinkel = app
            .store()
            .find_organisation("Zorggroep De Dinkel")
            .await
            .unwrap();
        let programme = app
            .user("pa@test.example", Role::ProgrammeAdmin, None, vec![])
            .await;
        let mut c = app.api_client(programme.id).await;
        let r = app
            .get(
                &mut c,
                &format!("/api/v1/organisations/{}/value-case", dinkel.id),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let vc = r.json();
        // The fields issue 29 names.
        assert_eq!(vc["organisation"]["name"], "Zorggroep De Dinkel");
        for path in [
            "/round/id",
            "/snapshot/peildatum",
            "/workforce/employees",
            "/workforce/average_contract_hours",
            "/workforce/fte",
            "/workforce/deeltijdfactor",
            "/survey/respondents",
            "/survey/response_rate",
            "/survey/open_share",
            "/survey/open_share_ci95",
            "/survey/sure_share",
            "/survey/conditional_share",
            "/potential/hours_per_week",
            "/potential/hours_per_week_ci95",
            "/potential/fte",
            "/potential/sure_hours_per_week",
            "/pnil/last_12_months_cost",
        ] {
            assert!(
                vc.pointer(path).is_some_and(|v| !v.is_null()),
                "{path} missing: {vc}"
            );
        }
        // The reference case: 45% open = 14% + 31%.
        assert_eq!(vc["survey"]["open_share"], json!(0.45));
        for list in ["teams", "conditions", "obstacles", "recommendations"] {
            assert!(vc[list].as_array().is_some_and(|a| !a.is_empty()), "{list}");
        }
        // The demo team with 3 respondents is suppressed: no numbers.
        let teams = vc["teams"].as_array().unwrap();
        let hidden: Vec<_> = teams.iter().filter(|t| t["suppressed"] == true).collect();
        assert!(!hidden.is_empty(), "{teams:?}");
        for t in hidden {
            for f in [
                "employees",
                "respondents",
                "open_share",
                "potential_hours_per_week",
            ] {
                assert!(t[f].is_null(), "{t}");
            }
        }
        // The interview's report items are in the Value Case.
        assert!(vc["interview"].as_array().is_some_and(|a| a.len() >= 5));

        // GGZ: the default is the closed spring round; the round of now is refused.
        let ggz = app
            .store()
            .find_organisation("GGZ Regge en Vecht")
            .await
            .unwrap();
        let rounds = app.store().survey_rounds(ggz.id).await.unwrap();
        let open = rounds.iter().find(|r| r.status == "open").unwrap();
        let url = format!("/api/v1/organisations/{}/value-case", ggz.id);
        let r = app.get(&mut c, &url).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.json()["round"]["name"], "Nulmeting voorjaar 2026");
        let r = app.get(&mut c, &format!("{url}?round={}", open.id)).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.body.contains("nog niet gesloten"), "{}", r.body);
        let r = app.get(&mut c, &format!("{url}?snapshot=gisteren")).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);

        // Every demo organisation with survey data has a closed round and an interview;
        // the programme's checklist covers all sixteen organisations (the eight of the
        // programme and the eight generated for the regional picture).
        let r = app.get(&mut c, "/api/v1/fase0").await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let all = r.json()["organisations"].as_array().unwrap().clone();
        assert_eq!(all.len(), 16);
        for name in [
            "Zorggroep De Dinkel",
            "Stichting Twentse Horizon",
            "GGZ Regge en Vecht",
        ] {
            let row = all
                .iter()
                .find(|o| o["organisation"]["name"] == name)
                .unwrap();
            let steps = row["checklist"]["steps"].as_array().unwrap();
            let step = |code: &str| {
                steps
                    .iter()
                    .find(|s| s["code"] == code)
                    .unwrap_or_else(|| panic!("{code}"))["state"]
                    .clone()
            };
            assert_eq!(step("interview"), "klaar", "{name}");
        }

        // Access: a planner of De Dinkel may not read its Value Case; another
        // organisation's admin does not learn it exists; a manager may read it.
        let planner = app
            .user("pl@dinkel.test", Role::Planner, Some(dinkel.id), vec![])
            .await;
        let stranger = app
            .user("hr@ggz.test", Role::OrgAdmin, Some(ggz.id), vec![])
            .await;
        let manager = app
            .user("mg@dinkel.test", Role::Manager, Some(dinkel.id), vec![])
            .await;
        let dinkel_url = format!("/api/v1/organisations/{}/value-case", dinkel.id);
        let mut cp = app.api_client(planner.id).await;
        assert_eq!(
            app.get(&mut cp, &dinkel_url).await.status,
            StatusCode::FORBIDDEN
        );
        let mut cs = app.api_client(stranger.id).await;
        assert_eq!(
            app.get(&mut cs, &dinkel_url).await.status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            app.get(&mut cs, "/api/v1/fase0").await.status,
            StatusCode::FORBIDDEN
        );
        let mut cm = app.api_client(manager.id).await;
        assert_eq!(app.get(&mut cm, &dinkel_url).await.status, StatusCode::OK);
        // The manager may not share.
        let r = app
            .api(
                &mut cm,
                "POST",
                &format!("/api/v1/organisations/{}/value-case/shares", dinkel.id),
                Some(json!({})),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);

        // The page: the report with its sections, suppressed figures as –, the pickers;
        // sharing through the page is recorded; the open round is refused with the reason.
        app.user("hr9@dinkel.test", Role::OrgAdmin, Some(dinkel.id), vec![])
            .await;
        let mut b = app.login("hr9@dinkel.test").await;
        let page = format!("/organisaties/{}/value-case", dinkel.id);
        let r = app.get(&mut b, &page).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        for text in [
            "Samenvatting",
            "Het potentieel",
            "Voorwaarden en belemmeringen",
            "Het contractbeeld",
            "Aanbevelingen",
            "Bronnen en methode",
            "Download als PDF",
            "Delen met de organisatie",
            "title=\"te klein om te tonen\">–</td>",
            "/static/report.css",
        ] {
            assert!(r.body.contains(text), "{text} missing");
        }
        let round = hidden_value(&r.body, "ronde");
        let snapshot = hidden_value(&r.body, "peildatum");
        let r = app
            .post_form(
                &mut b,
                &format!("/organisaties/{}/value-case/delen", dinkel.id),
                &[("ronde", &round), ("peildatum", &snapshot)],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert_eq!(
            app.store()
                .value_case_shares(dinkel.id)
                .await
                .unwrap()
                .len(),
            1
        );
        let r = app.get(&mut b, &page).await;
        assert!(r.body.contains("Gedeeld: "), "the share is listed");
        // Without a PDF renderer (this router has none) the PDF answers 503 in Dutch.
        let r = app.get(&mut b, &format!("{page}.pdf")).await;
        assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE);
        assert!(r.body.contains("kan geen PDF maken"), "{}", r.body);
        let r = app
            .get(
                &mut c,
                &format!("/api/v1/organisations/{}/value-case.pdf", dinkel.id),
            )
            .await;
        assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(r.json()["error"]["code"], "pdf_unavailable");
        // GGZ's round of now, asked for by URL: the reason, no report.
        app.user("hr9@ggz.test", Role::OrgAdmin, Some(ggz.id), vec![])
            .await;
        let mut g = app.login("hr9@ggz.test").await;
        let r = app
            .get(
                &mut g,
                &format!("/organisaties/{}/value-case?ronde={}", ggz.id, open.id),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.body.contains("nog niet gesloten"), "{}", r.body);
        assert!(!r.body.contains("Download als PDF"));
        // The programme's overview page.
        let mut p = app.login("pa@test.example").await;
        let r = app.get(&mut p, "/fase0").await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.body.contains("Zorggroep De Dinkel") && r.body.contains("Interview vastgelegd"));
        app
    })
    .await;
}

#[tokio::test]
async fn interview_page_and_api_share_and_checklist() {
    on_each_backend(|app| async move {
        let org = app.org("Zorggroep Gesprek").await;
        let admin = app
            .user("hr@gesprek.test", Role::OrgAdmin, Some(org.id), vec![])
            .await;
        let planner = app
            .user("pl@gesprek.test", Role::Planner, Some(org.id), vec![])
            .await;
        let mut c = app.login("hr@gesprek.test").await;
        let page = format!("/organisaties/{}/interview", org.id);
        let r = app.get(&mut c, &page).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.body.contains("Interview opslaan"), "an admin edits");
        // Two filled rows and one empty row (left out).
        let r = app
            .post_form(
                &mut c,
                &page,
                &[
                    ("held_on", "2026-11-02"),
                    ("participants", "bestuurder, HR-adviseur"),
                    ("contract_policy", "Standaard 24 uur."),
                    ("roster_practice", ""),
                    ("flex_pnil", ""),
                    ("earlier_initiatives", ""),
                    ("item_kind", "kans"),
                    ("item_theme", "rooster"),
                    ("item_text", "Langere diensten"),
                    ("item_quote", "Plak de avond aan de middag."),
                    ("item_who", "teamleider"),
                    ("item_report", "ja"),
                    ("item_kind", "belemmering"),
                    ("item_theme", "formatie_budget"),
                    ("item_text", "Formatie per team"),
                    ("item_quote", ""),
                    ("item_who", "HR-adviseur"),
                    ("item_report", "nee"),
                    ("item_kind", "kans"),
                    ("item_theme", "rooster"),
                    ("item_text", ""),
                    ("item_quote", ""),
                    ("item_who", ""),
                    ("item_report", "ja"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let saved = app.store().interview(org.id).await.unwrap().unwrap();
        assert_eq!(saved.items.len(), 2);
        assert_eq!(
            saved.items[0].quote.as_deref(),
            Some("Plak de avond aan de middag.")
        );
        assert!(!saved.items[1].in_report);
        assert_eq!(saved.updated_by, Some(admin.id));
        // A bad theme is refused with a Dutch message, nothing changes.
        let r = app
            .post_form(
                &mut c,
                &page,
                &[
                    ("item_kind", "kans"),
                    ("item_theme", "weer"),
                    ("item_text", "x"),
                    ("item_quote", ""),
                    ("item_who", ""),
                    ("item_report", "ja"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(
            app.store()
                .interview(org.id)
                .await
                .unwrap()
                .unwrap()
                .items
                .len(),
            2
        );

        // The planner reads the interview but gets no form, and may not save.
        let mut cp = app.login("pl@gesprek.test").await;
        let r = app.get(&mut cp, &page).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.body.contains("Langere diensten") && !r.body.contains("Interview opslaan"));
        // No links to pages the planner may not open.
        for path in ["fase0", "value-case"] {
            let url = format!("/organisaties/{}/{path}", org.id);
            assert!(!r.body.contains(&format!("href=\"{url}\"")), "{path}");
            assert_eq!(app.get(&mut cp, &url).await.status, StatusCode::FORBIDDEN);
        }
        let r = app
            .post_form(&mut cp, &page, &[("participants", "x")])
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let mut api_p = app.api_client(planner.id).await;
        let api_url = format!("/api/v1/organisations/{}/interview", org.id);
        let r = app.get(&mut api_p, &api_url).await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(r.json()["interview"]["items"].as_array().unwrap().len(), 2);
        let r = app
            .api(&mut api_p, "PUT", &api_url, Some(json!({"items": []})))
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);

        // The API twin replaces the interview.
        let mut api_a = app.api_client(admin.id).await;
        let r = app
            .api(
                &mut api_a,
                "PUT",
                &api_url,
                Some(json!({
                    "held_on": "2026-11-03",
                    "participants": "HR-adviseur",
                    "items": [{"kind": "kans", "theme": "financien", "text": "Netto laten zien",
                               "quote": null, "who": "HR-adviseur", "in_report": true}]
                })),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.json()["interview"]["items"][0]["theme"], "financien");
        let r = app
            .api(
                &mut api_a,
                "PUT",
                &api_url,
                Some(
                    json!({"items": [{"kind": "kans", "theme": "financien", "text": "  ",
                                       "who": "x", "in_report": true}]}),
                ),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);

        // The checklist: the interview is done; no round yet, so no Value Case and
        // nothing to share.
        let r = app
            .get(
                &mut api_a,
                &format!("/api/v1/organisations/{}/fase0", org.id),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.json()["steps"][0]["state"], "klaar");
        let r = app
            .api(
                &mut api_a,
                "POST",
                &format!("/api/v1/organisations/{}/value-case/shares", org.id),
                Some(json!({})),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.body.contains("gesloten ronde"), "{}", r.body);
        let r = app
            .get(&mut c, &format!("/organisaties/{}/fase0", org.id))
            .await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.body.contains("Interview vastgelegd"));
        // The programme overview is the programme's.
        let r = app.get(&mut c, "/fase0").await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        app
    })
    .await;
}
