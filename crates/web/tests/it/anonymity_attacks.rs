//! The attack suite of issue 26: each way an earlier version let an organisation user
//! recover one person's answers, as a test that must fail when the mechanism against it is
//! removed. Attacks run as organisation admin, manager and programme admin where the role
//! matters, on SQLite and (with `URENWINST_TEST_POSTGRES`) PostgreSQL. The cross-item
//! differencing (attack 4) and the raw-export linkage (attack 7) are tested in crate
//! `survey`, where those rules live.

use axum::http::StatusCode;
use store::{NewResponse, Role};

use crate::helpers::{Client, Reply, TestApp, on_each_backend};
use crate::survey::{answer_all, csrf_cookie, response, round, step, suppression_world};

/// Three users of one organisation: an organisation admin, a manager of `team` and a
/// programme admin, each with an API client.
struct Roles {
    admin: Client,
    manager: Client,
    programme: Client,
}

async fn roles(app: &TestApp, org: i64, team: i64) -> Roles {
    let tag = store::new_secret()[..8].to_string();
    let a = app
        .user(
            &format!("hr-{tag}@x.example"),
            Role::OrgAdmin,
            Some(org),
            vec![],
        )
        .await;
    let m = app
        .user(
            &format!("m-{tag}@x.example"),
            Role::Manager,
            Some(org),
            vec![team],
        )
        .await;
    let p = app
        .user(
            &format!("p-{tag}@x.example"),
            Role::ProgrammeAdmin,
            None,
            vec![],
        )
        .await;
    Roles {
        admin: app.api_client(a.id).await,
        manager: app.api_client(m.id).await,
        programme: app.api_client(p.id).await,
    }
}

async fn raw_post(app: &TestApp, c: &mut Client, uri: &str, body: String) -> Reply {
    let req = axum::http::Request::builder()
        .method("POST")
        .uri(uri)
        .header("host", "localhost")
        .header(
            "authorization",
            format!("Bearer {}", c.bearer.clone().unwrap()),
        )
        .body(axum::body::Body::from(body))
        .unwrap();
    app.send(c, req).await
}

async fn set_status(app: &TestApp, c: &mut Client, round_id: i64, status: &str) -> Reply {
    app.api(
        c,
        "PUT",
        &format!("/api/v1/survey-rounds/{round_id}/status"),
        Some(serde_json::json!({ "status": status })),
    )
    .await
}

// ----- attack 1: reading results before and after one response ----------------------

#[tokio::test]
async fn attack1_results_of_an_open_round_are_not_released() {
    on_each_backend(|app| async move {
        let (org, round_id, teams) = suppression_world(&app).await;
        let mut r = roles(&app, org, teams[0]).await;
        for (who, c) in [
            ("admin", &mut r.admin),
            ("manager", &mut r.manager),
            ("programme", &mut r.programme),
        ] {
            for path in ["results", "results.csv", "results.xlsx"] {
                let reply = app
                    .api(
                        c,
                        "GET",
                        &format!("/api/v1/survey-rounds/{round_id}/{path}"),
                        None,
                    )
                    .await;
                assert_eq!(
                    reply.status,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "{who} read {path} of an open round: {}",
                    reply.body
                );
                assert!(!reply.body.contains("Team Eik"), "{}", reply.body);
            }
        }
        // Nor the raw export (programme admin).
        let raw = app
            .api(
                &mut r.programme,
                "GET",
                &format!("/api/v1/survey-rounds/{round_id}/raw.csv"),
                None,
            )
            .await;
        assert_eq!(raw.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", raw.body);
        // The page explains it in Dutch and shows no figure.
        let hr = app.store().users(Some(org)).await.unwrap();
        let email = hr
            .iter()
            .find(|u| u.role == Role::OrgAdmin)
            .unwrap()
            .email
            .clone();
        let mut c = app.login(&email).await;
        let page = app
            .get(&mut c, &format!("/enquetes/{round_id}/resultaten"))
            .await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.body.contains("als de ronde gesloten is"),
            "{}",
            page.body
        );
        assert!(!page.body.contains("Team Eik</td><td class=\"num\">9"));
        // Response rates stay available (with their own suppression).
        let rates = app
            .api(
                &mut r.admin,
                "GET",
                &format!("/api/v1/survey-rounds/{round_id}/response-rates"),
                None,
            )
            .await;
        assert_eq!(rates.status, StatusCode::OK);

        // Closing releases the results; closing is final.
        let closed = set_status(&app, &mut r.admin, round_id, "gesloten").await;
        assert_eq!(closed.status, StatusCode::OK, "{}", closed.body);
        let res = app
            .api(
                &mut r.admin,
                "GET",
                &format!("/api/v1/survey-rounds/{round_id}/results"),
                None,
            )
            .await;
        assert_eq!(res.status, StatusCode::OK);
        assert_eq!(res.json()["respondents"], 19);
        for back in ["open", "concept"] {
            for c in [&mut r.admin, &mut r.programme] {
                let reply = set_status(&app, c, round_id, back).await;
                assert_eq!(
                    reply.status,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "a closed round went back to {back}: {}",
                    reply.body
                );
            }
            let page = app
                .post_form(
                    &mut c,
                    &format!("/enquetes/{round_id}/status"),
                    &[("status", back)],
                )
                .await;
            assert_eq!(page.status, StatusCode::SEE_OTHER);
        }
        assert_eq!(
            app.store().survey_round(round_id).await.unwrap().status,
            "gesloten"
        );
        let round_page = app.get(&mut c, &format!("/enquetes/{round_id}")).await;
        assert!(
            round_page
                .body
                .contains("Een gesloten ronde gaat niet meer open"),
            "{}",
            round_page.body
        );
        app
    })
    .await;
}

// ----- attack 2: drafts readable by whoever holds the code --------------------------

#[tokio::test]
async fn attack2_a_draft_needs_the_browser_that_wrote_it() {
    on_each_backend(|app| async move {
        let org = app.org("Zorg Draft").await;
        let team = app
            .store()
            .create_team(org.id, "Team Linde", None)
            .await
            .unwrap();
        let round_id = round(&app, org.id, &[team.id]).await;
        let codes = ["ABCD-EFGH-JKMN", "BCDE-FGHJ-KMNP", "CDEF-GHJK-MNPQ"];
        let hashes: Vec<String> = codes.iter().map(|c| store::hash_secret(c)).collect();
        app.store()
            .add_survey_codes(round_id, team.id, &hashes)
            .await
            .unwrap();
        let code = codes[0];
        let mut owner = Client::default();
        app.get(&mut owner, &format!("/enquete/{code}")).await;
        owner.csrf = csrf_cookie(&owner);
        let r = step(
            &app,
            &mut owner,
            code,
            "uren",
            &[
                ("contract_uren", "24"),
                ("gewerkte_uren", "26,5"),
                ("gewenste_uren", "32"),
            ],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let cookie = owner
            .cookies
            .iter()
            .find(|(k, _)| k == "uw_enquete")
            .expect("browser secret set for a code");
        let set = r
            .headers
            .get_all("set-cookie")
            .iter()
            .chain(
                app.get(&mut Client::default(), &format!("/enquete/{}", codes[2]))
                    .await
                    .headers
                    .get_all("set-cookie")
                    .iter(),
            )
            .map(|v| v.to_str().unwrap().to_string())
            .find(|v| v.starts_with("uw_enquete="))
            .unwrap_or_default();
        assert!(
            set.contains("HttpOnly") && set.contains("SameSite"),
            "{set}"
        );
        assert_eq!(cookie.1.len(), 64);

        // Someone else with the same code (the admin who printed it, the next user of a
        // shared PC) starts fresh and sees nothing.
        let mut other = Client::default();
        let r = app.get(&mut other, &format!("/enquete/{code}")).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(!r.body.contains("Verder gaan"), "{}", r.body);
        let r = app
            .get(&mut other, &format!("/enquete/{code}?stap=uren"))
            .await;
        assert!(!r.body.contains("26,5"), "draft shown to another browser");
        // The owner's browser still resumes.
        let r = app
            .get(&mut owner, &format!("/enquete/{code}?stap=uren"))
            .await;
        assert!(r.body.contains("value=\"26,5\""), "{}", r.body);

        // A used code and an unused code look the same until a step is posted.
        let mut c = Client::default();
        let done = answer_all(&app, &mut c, codes[1]).await;
        assert_eq!(done.location(), "/enquete/klaar?lang=nl", "{}", done.body);
        let mut fresh = Client::default();
        let used = app.get(&mut fresh, &format!("/enquete/{}", codes[1])).await;
        let mut fresh2 = Client::default();
        let unused = app
            .get(&mut fresh2, &format!("/enquete/{}", codes[2]))
            .await;
        assert_eq!(used.status, unused.status);
        assert_eq!(
            used.body.replace(codes[1], "X"),
            unused.body.replace(codes[2], "X")
        );
        let used_step = app
            .get(&mut fresh, &format!("/enquete/{}?stap=uren", codes[1]))
            .await;
        let unused_step = app
            .get(&mut fresh2, &format!("/enquete/{}?stap=uren", codes[2]))
            .await;
        assert_eq!(used_step.status, unused_step.status);
        // Posting a step with the used code is refused, and nothing is stored.
        fresh.csrf = csrf_cookie(&fresh);
        let r = step(
            &app,
            &mut fresh,
            codes[1],
            "uren",
            &[("contract_uren", "1")],
        )
        .await;
        assert_eq!(r.status, StatusCode::GONE);
        assert_eq!(
            app.store().survey_responses(round_id).await.unwrap().len(),
            1
        );

        // Drafts expire after 14 days.
        let old = (chrono::Local::now().date_naive() - chrono::Days::new(15))
            .format("%Y-%m-%d")
            .to_string();
        app.store()
            .save_survey_draft("oude-sleutel", round_id, "{}", &old)
            .await
            .unwrap();
        assert!(
            app.store()
                .survey_draft("oude-sleutel")
                .await
                .unwrap()
                .is_none(),
            "an expired draft is still served"
        );
        app
    })
    .await;
}

// ----- attack 5: used codes per team -------------------------------------------------

#[tokio::test]
async fn attack5_used_codes_per_team_follow_the_response_rate_suppression() {
    on_each_backend(|app| async move {
        let org = app.org("Zorg Codes").await;
        let mut ids = Vec::new();
        for name in ["Team Eik", "Team Wilg"] {
            ids.push(
                app.store()
                    .create_team(org.id, name, None)
                    .await
                    .unwrap()
                    .id,
            );
        }
        let round_id = round(&app, org.id, &ids).await;
        let mut r = roles(&app, org.id, ids[0]).await;
        // Eik: 12 codes, 9 used; Wilg: 10 codes, 2 used (below k = 5).
        for (team, made, used) in [(ids[0], 12, 9), (ids[1], 10, 2)] {
            let hashes: Vec<String> = (0..made)
                .map(|_| store::hash_secret(&store::new_secret()))
                .collect();
            app.store()
                .add_survey_codes(round_id, team, &hashes)
                .await
                .unwrap();
            for h in hashes.iter().take(used) {
                app.store()
                    .submit_survey_response(
                        round_id,
                        Some(h),
                        None,
                        None,
                        &NewResponse {
                            team_id: Some(team),
                            version: 1,
                            answers: response("nee"),
                            day: "2026-11-20".into(),
                            source: "code",
                        },
                    )
                    .await
                    .unwrap();
            }
        }
        for (who, c) in [("admin", &mut r.admin), ("programme", &mut r.programme)] {
            let v = app
                .api(c, "GET", &format!("/api/v1/survey-rounds/{round_id}"), None)
                .await
                .json();
            let teams = v["teams"].as_array().expect("teams for admins");
            for t in teams {
                if t["team"] == "Team Wilg" {
                    assert!(
                        t["codes_used"].is_null(),
                        "{who} sees used codes of a suppressed team: {t}"
                    );
                }
            }
            // Wilg's count is not derivable from a shown total minus Eik either: the
            // complement rule hides Eik too (two teams, one hidden).
            let shown: Vec<&serde_json::Value> = teams
                .iter()
                .filter(|t| !t["codes_used"].is_null())
                .collect();
            assert!(shown.is_empty(), "{who}: {shown:?}");
        }
        let v = app
            .api(
                &mut r.manager,
                "GET",
                &format!("/api/v1/survey-rounds/{round_id}"),
                None,
            )
            .await
            .json();
        assert!(v.get("teams").is_none(), "{v}");
        app
    })
    .await;
}

// ----- attack 3: padding a suppressed team by import ---------------------------------

const GOOD_ROW: &str = "Team Berk;24;24;28;Ja, zeker;Goed;Ja;3;Zeker wel";
const HEADER: &str = "team;contract_uren;gewerkte_uren;gewenste_uren;bereidheid;rondkomen;weet_netto;tevredenheid_rooster;blijven";

async fn create_round_api(app: &TestApp, c: &mut Client, org: i64, team: i64, import: bool) -> i64 {
    let r = app
        .api(
            c,
            "POST",
            &format!("/api/v1/organisations/{org}/survey-rounds"),
            Some(serde_json::json!({
                "name": if import { "Ingelezen meting" } else { "Gewone meting" },
                "kind": "nulmeting", "questionnaire": "medewerkers", "version": 1,
                "opens_on": "2026-01-01", "closes_on": "2026-12-31",
                "team_ids": [team], "import_round": import,
            })),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.json()["import_round"], import);
    r.json()["id"].as_i64().unwrap()
}

#[tokio::test]
async fn attack3_imports_only_into_import_rounds_and_only_valid_rows() {
    on_each_backend(|app| async move {
        let org = app.org("Zorg Import").await;
        let team = app
            .store()
            .create_team(org.id, "Team Berk", None)
            .await
            .unwrap();
        let mut r = roles(&app, org.id, team.id).await;
        let five = format!("{HEADER}\n{}", [GOOD_ROW; 5].join("\n"));

        // A round that collects responses takes no import, open or not.
        let normal = create_round_api(&app, &mut r.admin, org.id, team.id, false).await;
        for status in ["concept", "open"] {
            if status == "open" {
                set_status(&app, &mut r.admin, normal, "open").await;
            }
            for c in [&mut r.admin, &mut r.programme] {
                let reply = raw_post(
                    &app,
                    c,
                    &format!("/api/v1/survey-rounds/{normal}/import"),
                    five.clone(),
                )
                .await;
                assert_eq!(
                    reply.status,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "import into a {status} web round: {}",
                    reply.body
                );
            }
        }
        assert!(
            app.store()
                .survey_responses(normal)
                .await
                .unwrap()
                .is_empty()
        );

        // An import round: no codes, no open links.
        let imp = create_round_api(&app, &mut r.admin, org.id, team.id, true).await;
        let codes = app
            .api(
                &mut r.admin,
                "POST",
                &format!("/api/v1/survey-rounds/{imp}/codes"),
                Some(serde_json::json!({"team_id": team.id, "count": 3})),
            )
            .await;
        assert_eq!(
            codes.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            codes.body
        );
        set_status(&app, &mut r.admin, imp, "open").await;
        let token = app.store().survey_round_teams(imp).await.unwrap()[0]
            .open_token
            .clone();
        let mut resp = Client::default();
        let link = app.get(&mut resp, &format!("/enquete/{token}")).await;
        assert_eq!(link.status, StatusCode::NOT_FOUND);

        // Every row is validated like a web response: required answers included.
        let missing = format!("{HEADER}\nTeam Berk;24;24;28;;Goed;Ja;3;Zeker wel");
        let reply = raw_post(
            &app,
            &mut r.admin,
            &format!("/api/v1/survey-rounds/{imp}/import"),
            missing,
        )
        .await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            reply.body
        );
        assert!(
            reply.json()["diagnostics"]
                .as_array()
                .unwrap()
                .iter()
                .any(|d| d["row"] == 2 && d["question"] == "bereidheid"),
            "{}",
            reply.body
        );
        // A file with no matching column is refused, never stored as empty respondents.
        let nothing = "kleur;dier\nrood;kat\nblauw;hond\n".to_string();
        let reply = raw_post(
            &app,
            &mut r.admin,
            &format!("/api/v1/survey-rounds/{imp}/import"),
            nothing,
        )
        .await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            reply.body
        );
        assert!(app.store().survey_responses(imp).await.unwrap().is_empty());
        // Caps on columns and cells, with a Dutch message.
        let wide = format!(
            "{}\n{}",
            (0..300)
                .map(|i| format!("k{i}"))
                .collect::<Vec<_>>()
                .join(";"),
            (0..300).map(|_| "1").collect::<Vec<_>>().join(";")
        );
        let reply = raw_post(
            &app,
            &mut r.admin,
            &format!("/api/v1/survey-rounds/{imp}/import"),
            wide,
        )
        .await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(reply.body.contains("kolommen"), "{}", reply.body);
        let long = format!(
            "{HEADER}\nTeam Berk;24;24;28;{};Goed;Ja;3;Zeker wel",
            "x".repeat(5000)
        );
        let reply = raw_post(
            &app,
            &mut r.admin,
            &format!("/api/v1/survey-rounds/{imp}/import"),
            long,
        )
        .await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(reply.body.contains("cel"), "{}", reply.body);

        // Good rows are stored; the round is marked as imported in every output.
        let reply = raw_post(
            &app,
            &mut r.admin,
            &format!("/api/v1/survey-rounds/{imp}/import"),
            five.clone(),
        )
        .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        assert_eq!(app.store().survey_responses(imp).await.unwrap().len(), 5);
        set_status(&app, &mut r.admin, imp, "gesloten").await;
        // Closed: no more import.
        let reply = raw_post(
            &app,
            &mut r.programme,
            &format!("/api/v1/survey-rounds/{imp}/import"),
            five,
        )
        .await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            reply.body
        );
        assert_eq!(app.store().survey_responses(imp).await.unwrap().len(), 5);
        for c in [&mut r.admin, &mut r.programme, &mut r.manager] {
            let v = app
                .api(
                    c,
                    "GET",
                    &format!("/api/v1/survey-rounds/{imp}/results"),
                    None,
                )
                .await;
            assert_eq!(v.status, StatusCode::OK, "{}", v.body);
            assert_eq!(v.json()["import_round"], true, "{}", v.body);
            let csv = app
                .api(
                    c,
                    "GET",
                    &format!("/api/v1/survey-rounds/{imp}/results.csv"),
                    None,
                )
                .await;
            assert!(csv.body.contains("ingelezen"), "{}", csv.body);
        }
        let hr = app.store().users(Some(org.id)).await.unwrap();
        let email = hr
            .iter()
            .find(|u| u.role == Role::OrgAdmin)
            .unwrap()
            .email
            .clone();
        let mut c = app.login(&email).await;
        let page = app
            .get(&mut c, &format!("/enquetes/{imp}/resultaten"))
            .await;
        assert!(
            page.body.contains("ingelezen uit een ander programma"),
            "{}",
            page.body
        );
        app
    })
    .await;
}

// ----- attack 6: deleting teams ------------------------------------------------------

#[tokio::test]
async fn attack6_a_team_with_responses_is_archived_not_deleted() {
    on_each_backend(|app| async move {
        let (org, round_id, teams) = suppression_world(&app).await;
        let mut r = roles(&app, org, teams[0]).await;
        for c in [&mut r.admin, &mut r.programme] {
            let del = app
                .api(c, "DELETE", &format!("/api/v1/teams/{}", teams[2]), None)
                .await;
            assert_eq!(
                del.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "team with responses deleted: {}",
                del.body
            );
            assert!(del.body.contains("archiveer"), "{}", del.body);
        }
        let hr = app.store().users(Some(org)).await.unwrap();
        let email = hr
            .iter()
            .find(|u| u.role == Role::OrgAdmin)
            .unwrap()
            .email
            .clone();
        let mut c = app.login(&email).await;
        let page = app
            .post_form(&mut c, &format!("/teams/{}/verwijderen", teams[2]), &[])
            .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER);
        assert_eq!(app.store().team(teams[2]).await.unwrap().name, "Team Wilg");
        // Archive: gone from lists and new rounds, kept in the old round.
        let arch = app
            .api(
                &mut r.admin,
                "POST",
                &format!("/api/v1/teams/{}/archive", teams[2]),
                None,
            )
            .await;
        assert_eq!(arch.status, StatusCode::OK, "{}", arch.body);
        let list = app
            .api(
                &mut r.admin,
                "GET",
                &format!("/api/v1/organisations/{org}/teams"),
                None,
            )
            .await
            .json();
        assert!(
            !list["teams"]
                .as_array()
                .unwrap()
                .iter()
                .any(|t| t["name"] == "Team Wilg"),
            "{list}"
        );
        let new_round = app
            .api(
                &mut r.admin,
                "POST",
                &format!("/api/v1/organisations/{org}/survey-rounds"),
                Some(serde_json::json!({
                    "name": "Effectmeting", "kind": "effectmeting",
                    "questionnaire": "medewerkers", "version": 1,
                    "opens_on": "2027-01-01", "closes_on": "2027-01-31",
                    "team_ids": [teams[2]],
                })),
            )
            .await;
        assert_eq!(
            new_round.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            new_round.body
        );
        set_status(&app, &mut r.admin, round_id, "gesloten").await;
        let v = app
            .api(
                &mut r.admin,
                "GET",
                &format!("/api/v1/survey-rounds/{round_id}/results"),
                None,
            )
            .await
            .json();
        assert_eq!(v["respondents"], 19);
        let wilg = v["teams"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["team"] == "Team Wilg")
            .expect("archived team still in the old round");
        assert_eq!(wilg["suppressed"], true);
        assert!(
            !v["teams"]
                .as_array()
                .unwrap()
                .iter()
                .any(|t| t["team"] == "onbekend"),
            "{v}"
        );
        app
    })
    .await;
}

// ----- attack 9: lowering the minimum group size ------------------------------------

#[tokio::test]
async fn attack9_the_minimum_group_size_is_frozen_when_a_round_opens() {
    on_each_backend(|app| async move {
        let (org, round_id, teams) = suppression_world(&app).await;
        let mut r = roles(&app, org, teams[0]).await;
        set_status(&app, &mut r.admin, round_id, "gesloten").await;
        let set_k = |k: i64| serde_json::json!({"name": "Zorg West", "subsector": "vvt", "min_group_size": k});
        // Only the programme team sets k; an organisation admin cannot.
        let up = app
            .api(&mut r.admin, "PUT", &format!("/api/v1/organisations/{org}"), Some(set_k(3)))
            .await;
        assert_eq!(up.status, StatusCode::FORBIDDEN);
        let up = app
            .api(&mut r.programme, "PUT", &format!("/api/v1/organisations/{org}"), Some(set_k(3)))
            .await;
        assert_eq!(up.status, StatusCode::OK, "{}", up.body);
        for c in [&mut r.admin, &mut r.programme] {
            let v = app
                .api(
                    c,
                    "GET",
                    &format!("/api/v1/survey-rounds/{round_id}/results"),
                    None,
                )
                .await
                .json();
            assert_eq!(v["min_group_size"], 5, "lowering k applied: {v}");
            let wilg = v["teams"]
                .as_array()
                .unwrap()
                .iter()
                .find(|t| t["team"] == "Team Wilg")
                .unwrap();
            assert_eq!(wilg["suppressed"], true, "{wilg}");
        }
        // Manager: the same frozen k.
        let v = app
            .api(&mut r.manager, "GET", &format!("/api/v1/survey-rounds/{round_id}/results"), None)
            .await
            .json();
        assert_eq!(v["min_group_size"], 5);
        // Raising k applies.
        app.api(&mut r.programme, "PUT", &format!("/api/v1/organisations/{org}"), Some(set_k(10)))
            .await;
        let v = app
            .api(&mut r.admin, "GET", &format!("/api/v1/survey-rounds/{round_id}/results"), None)
            .await
            .json();
        assert_eq!(v["min_group_size"], 10);
        let eik = v["teams"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["team"] == "Team Eik")
            .unwrap();
        assert_eq!(eik["suppressed"], true, "9 < 10: {eik}");
        app
    })
    .await;
}

// ----- attack 8: free text published word for word ----------------------------------

const NAMING: &str = "Alleen als Jan van de nacht ook minder gaat werken";

async fn answer_with_text(app: &TestApp, key: &str, text: &str) -> Reply {
    let mut c = Client::default();
    let r = app.get(&mut c, &format!("/enquete/{key}")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    c.csrf = csrf_cookie(&c);
    step(
        app,
        &mut c,
        key,
        "uren",
        &[
            ("contract_uren", "20"),
            ("gewerkte_uren", "20"),
            ("gewenste_uren", "24"),
        ],
    )
    .await;
    step(
        app,
        &mut c,
        key,
        "meer_uren",
        &[("bereidheid", "ja_onder_voorwaarden")],
    )
    .await;
    let page = app
        .get(&mut c, &format!("/enquete/{key}?stap=voorwaarden"))
        .await;
    assert!(
        page.body.contains("Noem geen namen"),
        "the text field warns against naming people: {}",
        page.body
    );
    step(
        app,
        &mut c,
        key,
        "voorwaarden",
        &[("voorwaarden", "anders"), ("voorwaarden_anders", text)],
    )
    .await;
    step(
        app,
        &mut c,
        key,
        "geld_en_werk",
        &[
            ("rondkomen", "goed"),
            ("weet_netto", "ja"),
            ("tevredenheid_rooster", "4"),
            ("blijven", "zeker_wel"),
        ],
    )
    .await;
    step(app, &mut c, key, "over_uzelf", &[]).await
}

fn free_texts(v: &serde_json::Value) -> Vec<String> {
    v["free_text"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|f| f["answers"].as_array().cloned().unwrap_or_default())
        .map(|a| a.as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn attack8_free_text_is_reviewed_before_any_organisation_user_sees_it() {
    on_each_backend(|app| async move {
        let org = app.org("Zorg Tekst").await;
        let team = app
            .store()
            .create_team(org.id, "Team Nacht", None)
            .await
            .unwrap();
        let round_id = round(&app, org.id, &[team.id]).await;
        let mut r = roles(&app, org.id, team.id).await;
        let texts = [
            NAMING,
            "Meer vaste diensten in het weekend",
            "Een rooster dat eerder bekend is",
            "Betere afspraken over reistijd",
            "Minder losse diensten op een dag",
            "Zekerheid over mijn toeslagen",
        ];
        let codes: Vec<String> = (0..6).map(|_| app::survey::new_code()).collect();
        let hashes: Vec<String> = codes.iter().map(|c| store::hash_secret(c)).collect();
        app.store()
            .add_survey_codes(round_id, team.id, &hashes)
            .await
            .unwrap();
        for (code, text) in codes.iter().zip(texts) {
            let done = answer_with_text(&app, code, text).await;
            assert_eq!(done.location(), "/enquete/klaar?lang=nl", "{}", done.body);
        }
        // The stored response does not carry the text.
        for s in app.store().survey_responses(round_id).await.unwrap() {
            assert!(!s.answers.contains("Jan van de nacht"), "{}", s.answers);
        }
        set_status(&app, &mut r.admin, round_id, "gesloten").await;
        let results = |c: &mut Client| {
            let c = c.clone();
            let app = &app;
            async move {
                let mut c = c;
                app.api(
                    &mut c,
                    "GET",
                    &format!("/api/v1/survey-rounds/{round_id}/results"),
                    None,
                )
                .await
                .json()
            }
        };
        // Nothing reviewed: no organisation user sees any text.
        for c in [&r.admin, &r.manager] {
            let v = results(&mut c.clone()).await;
            assert!(free_texts(&v).is_empty(), "unreviewed text shown: {v}");
        }
        // Only the programme team reviews.
        let queue_url = format!("/api/v1/survey-rounds/{round_id}/free-texts");
        let denied = app.api(&mut r.admin, "GET", &queue_url, None).await;
        assert_eq!(denied.status, StatusCode::FORBIDDEN);
        let queue = app.api(&mut r.programme, "GET", &queue_url, None).await;
        assert_eq!(queue.status, StatusCode::OK, "{}", queue.body);
        let items = queue.json()["free_texts"].as_array().unwrap().clone();
        assert_eq!(items.len(), 6);
        let mut approved = 0;
        for item in &items {
            let id = item["id"].as_i64().unwrap();
            let text = item["text"].as_str().unwrap();
            let body = if text == NAMING {
                serde_json::json!({"action": "approve", "text": "Alleen als [naam] ook minder gaat werken"})
            } else if text.contains("toeslagen") {
                serde_json::json!({"action": "withhold"})
            } else {
                serde_json::json!({"action": "approve"})
            };
            let by_admin = app
                .api(&mut r.admin, "POST", &format!("/api/v1/survey-free-texts/{id}/review"), Some(body.clone()))
                .await;
            assert_eq!(by_admin.status, StatusCode::FORBIDDEN);
            let done = app
                .api(&mut r.programme, "POST", &format!("/api/v1/survey-free-texts/{id}/review"), Some(body))
                .await;
            assert_eq!(done.status, StatusCode::OK, "{}", done.body);
            if !text.contains("toeslagen") {
                approved += 1;
            }
            let shown = free_texts(&results(&mut r.admin.clone()).await);
            if approved < 5 {
                assert!(shown.is_empty(), "fewer than k approved texts shown: {shown:?}");
            }
        }
        let shown = free_texts(&results(&mut r.admin.clone()).await);
        assert_eq!(shown.len(), 5, "{shown:?}");
        assert!(shown.iter().any(|t| t.contains("[naam]")));
        assert!(!shown.iter().any(|t| t.contains("Jan") || t.contains("toeslagen")));
        // Managers never see free text (organisation level only).
        assert!(free_texts(&results(&mut r.manager.clone()).await).is_empty());
        // Every review is audited.
        let audit = app.store().audit_entries(200, None).await.unwrap();
        assert_eq!(
            audit
                .iter()
                .filter(|e| e.action.starts_with("survey.free_text"))
                .count(),
            6
        );
        assert!(!audit.iter().any(|e| e.detail.contains("Jan")));
        // The results page shows the approved texts.
        let hr = app.store().users(Some(org.id)).await.unwrap();
        let email = hr.iter().find(|u| u.role == Role::OrgAdmin).unwrap().email.clone();
        let mut c = app.login(&email).await;
        let page = app.get(&mut c, &format!("/enquetes/{round_id}/resultaten")).await;
        assert!(page.body.contains("[naam]"), "{}", page.body);
        app
    })
    .await;
}

/// Attack 10: the Value Case next to the survey results page. Both publish team figures of
/// the same round; a team figure the page hides must not appear in the Value Case, and a
/// team's potential must not be the wish of one or two people. The world (k = 5): Eik 9
/// respondents of whom 6 want more, Linde 7 of whom 1 wants more, Wilg 6 (5 want more),
/// Beuk 2. The page hides Beuk and, as complement, Wilg. Without the Value Case's rule,
/// Linde's potential × respondents ÷ employees would be that one person's extra hours.
#[tokio::test]
async fn attack10_the_value_case_hides_what_the_results_page_hides() {
    on_each_backend(|app| async move {
        let org = app.org("Zorg Oost").await;
        let teams = [
            ("Team Eik", 9, 6),
            ("Team Linde", 7, 1),
            ("Team Wilg", 6, 5),
            ("Team Beuk", 2, 1),
        ];
        let mut ids = Vec::new();
        let mut employees = Vec::new();
        for (name, respondents, _) in teams {
            ids.push(
                app.store()
                    .create_team(org.id, name, None)
                    .await
                    .unwrap()
                    .id,
            );
            for n in 0..respondents + 4 {
                employees.push(hr::Employee {
                    pseudonym: format!("{name}-{n}"),
                    team: Some(name.to_string()),
                    function: None,
                    fwg_scale: None,
                    contract_hours: rust_decimal::Decimal::from(20),
                    part_time_factor: rust_decimal::Decimal::from(20)
                        / rust_decimal::Decimal::from(36),
                    age_band: None,
                    start_date: None,
                    end_date: None,
                    contract_kind: None,
                    source_rows: vec![],
                });
            }
        }
        app.store()
            .insert_hr_snapshot(
                org.id,
                &store::NewHrSnapshot {
                    peildatum: chrono::Local::now().date_naive(),
                    file_name: "hr.csv",
                    rows_read: employees.len(),
                    skipped: 0,
                    employees: &employees,
                },
            )
            .await
            .unwrap();
        let round_id = round(&app, org.id, &ids).await;
        let mut rs = Vec::new();
        for ((_, respondents, wanting), team) in teams.iter().zip(&ids) {
            for i in 0..*respondents {
                rs.push(NewResponse {
                    team_id: Some(*team),
                    version: 1,
                    answers: response(if i < *wanting { "ja_zeker" } else { "nee" }),
                    day: "2026-11-20".into(),
                    source: "code",
                });
            }
        }
        app.store()
            .import_survey_responses(round_id, &rs)
            .await
            .unwrap();
        app.store()
            .set_survey_round_status(round_id, "gesloten")
            .await
            .unwrap();

        let r = roles(&app, org.id, ids[0]).await;
        for mut c in [r.admin, r.programme] {
            let page = app
                .get(&mut c, &format!("/api/v1/survey-rounds/{round_id}/results"))
                .await;
            assert_eq!(page.status, StatusCode::OK, "{}", page.body);
            let page = page.json();
            let vc = app
                .get(
                    &mut c,
                    &format!("/api/v1/organisations/{}/value-case", org.id),
                )
                .await;
            assert_eq!(vc.status, StatusCode::OK, "{}", vc.body);
            let vc = vc.json();
            let vc_team = |name: &str| {
                vc["teams"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|t| t["team"] == name)
                    .cloned()
                    .unwrap_or_else(|| panic!("{name} missing: {vc}"))
            };
            for t in page["teams"].as_array().unwrap() {
                let name = t["team"].as_str().unwrap();
                let v = vc_team(name);
                if t["suppressed"] == true {
                    assert_eq!(
                        v["suppressed"], true,
                        "{name}: hidden on the page, shown in the Value Case: {v}"
                    );
                    assert!(v["respondents"].is_null() && v["potential_hours_per_week"].is_null());
                }
                if t.get("open_share").is_none_or(|s| s.is_null()) {
                    assert!(v["open_share"].is_null(), "{name}: {v}");
                }
            }
            assert_eq!(vc_team("Team Beuk")["suppressed"], true);
            assert_eq!(vc_team("Team Wilg")["suppressed"], true);
            // Linde's row shows (7 respondents), its potential does not: one person wants more.
            let linde = vc_team("Team Linde");
            assert_eq!(linde["respondents"], 7, "{linde}");
            assert!(linde["potential_hours_per_week"].is_null(), "{linde}");
            // Eik's potential shows: 6 want 8 hours more, over 9 respondents, 13 employees.
            let eik = vc_team("Team Eik");
            assert_eq!(
                eik["potential_hours_per_week"],
                serde_json::json!(69.3),
                "{eik}"
            );
            // The sure potential is about 13 people who want more for sure: shown.
            assert!(!vc["potential"]["sure_hours_per_week"].is_null(), "{vc}");
        }
        app
    })
    .await;
}
