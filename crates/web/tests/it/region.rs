//! The regional picture through the web layer: the demo region's picture for the
//! programme, a regio-lezer who gets no organisation-level route at all, region isolation,
//! an organisation's own view, and an attacker who combines everything the picture API
//! returns.

use axum::http::StatusCode;
use store::Role;

use crate::helpers::on_each_backend;

fn denied(status: StatusCode) -> bool {
    status == StatusCode::FORBIDDEN || status == StatusCode::NOT_FOUND
}

/// Every route the web crate registers (`.route("…"` in its sources) and every page action,
/// so a route added later is walked too.
fn all_routes() -> Vec<(String, String)> {
    let mut out = std::collections::BTreeSet::new();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut dirs = vec![root];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let api = path.to_string_lossy().contains("/api/")
                || path.file_name().is_some_and(|f| f == "api.rs");
            if api {
                continue;
            }
            for part in text.split(".route(\"").skip(1) {
                let route = part.split('"').next().unwrap();
                out.insert(("GET".to_string(), route.to_string()));
            }
        }
    }
    for a in web::page_actions() {
        out.insert(("POST".to_string(), a.path.to_string()));
    }
    // The API: every documented path and method (the parity test keeps the document
    // equal to the router).
    let doc = web::api::openapi::document_value();
    for (path, ops) in doc["paths"].as_object().unwrap() {
        for method in ops.as_object().unwrap().keys() {
            out.insert((method.to_uppercase(), format!("/api/v1{path}")));
        }
    }
    // Not walked: logging out and revoking one's own keys would end the walk's own
    // session and token (they concern only the user's own account).
    out.retain(|(_, p)| p != "/uitloggen" && !p.starts_with("/account/sleutels/"));
    assert!(out.len() > 60, "too few routes found: {}", out.len());
    out.into_iter().collect()
}

/// Routes that concern one organisation (or its teams, rounds, accounts): never for a
/// regio-lezer.
fn org_scoped(path: &str) -> bool {
    [
        "organisat",
        "team",
        "locati",
        "enquete",
        "survey",
        "gebruiker",
        "users",
        "hr",
        "nulmeting",
        "pnil",
        "value-case",
        "valuecase",
        "rapport",
        "report",
    ]
    .iter()
    .any(|k| path.contains(k))
        && !path.starts_with("/enquete/")
}

/// Public routes (login, the respondent's survey flow, the calculator) and the user's own
/// account: open to anyone signed in, about no organisation.
fn public_or_own(path: &str) -> bool {
    [
        "/inloggen",
        "/uitloggen",
        "/wachtwoord",
        "/wachtwoord-vergeten",
        "/account",
        "/enquete",
        "/berekenaar",
        "/api/v1/calc",
    ]
    .iter()
    .any(|p| path == *p || path.starts_with(&format!("{p}/")))
}

#[tokio::test]
async fn regio_lezer_gets_no_organisation_level_route() {
    on_each_backend(|app| async move {
        let a = app.org("Organisatie Aalst").await;
        let team = app
            .store()
            .create_team(a.id, "Team Aalst", None)
            .await
            .unwrap();
        let round = crate::survey::round(&app, a.id, &[team.id]).await;
        let a_hr = app
            .user("hr@aalst.example", Role::OrgAdmin, Some(a.id), vec![])
            .await;
        let twente = app.store().default_region().await.unwrap();
        let reader = app
            .user("lezer@fonds.example", Role::RegioLezer, None, vec![])
            .await;
        app.store()
            .grant_region(reader.id, twente.id)
            .await
            .unwrap();
        let mut page = app.login("lezer@fonds.example").await;
        let mut api = app.api_client(reader.id).await;
        let ids = [a.id, team.id, round, twente.id, a_hr.id];
        let before = app.store().row_counts().await.unwrap();
        for (method, route) in all_routes() {
            let api_route = route.starts_with("/api/v1");
            for id in ids {
                let uri = route
                    .split('/')
                    .map(|seg| {
                        if seg.starts_with('{') {
                            match seg {
                                "{month}" => "2025-01".to_string(),
                                "{*path}" => "app.css".to_string(),
                                _ => id.to_string(),
                            }
                        } else {
                            seg.to_string()
                        }
                    })
                    .collect::<Vec<_>>()
                    .join("/");
                let r = match (api_route, method.as_str()) {
                    (true, m) => {
                        let body = (m != "GET").then(|| serde_json::json!({}));
                        app.api(&mut api, m, &uri, body).await
                    }
                    (false, "GET") => app.get(&mut page, &uri).await,
                    (false, _) => {
                        let (org, team) = (a.id.to_string(), team.id.to_string());
                        let fields = [
                            ("name", "Overgenomen"),
                            ("email", "x@evil.example"),
                            ("role", "org_admin"),
                            ("org_id", org.as_str()),
                            ("team_ids", team.as_str()),
                            ("subsector", "vvt"),
                            ("phase", "pilot"),
                            ("fulltime_hours", "36"),
                            ("min_group_size", "3"),
                        ];
                        app.post_form(&mut page, &uri, &fields).await
                    }
                };
                if api_route {
                    assert_ne!(
                        r.status,
                        StatusCode::UNAUTHORIZED,
                        "{method} {uri}: walk lost its login"
                    );
                }
                // Everything else that takes an id or changes something refuses the
                // regio-lezer (403/404; 400/422 for an API body that is refused first,
                // which changes nothing either).
                if (org_scoped(&route) && route.contains('{') || method != "GET")
                    && !public_or_own(&route)
                {
                    assert!(
                        denied(r.status)
                            || (!api_route && r.status == StatusCode::SEE_OTHER)
                            || r.status == StatusCode::BAD_REQUEST
                            || r.status == StatusCode::UNPROCESSABLE_ENTITY
                            || r.status == StatusCode::METHOD_NOT_ALLOWED,
                        "regio-lezer {method} {uri}: {}",
                        r.status
                    );
                }
                assert!(
                    !r.body.contains("Organisatie Aalst")
                        && !r.body.contains("Team Aalst")
                        && !r.body.contains("aalst.example"),
                    "regio-lezer {method} {uri} shows the organisation: {}",
                    r.status
                );
            }
        }
        // Nothing changed (a refused form redirects with a message): only the sessions
        // and tokens of the walk itself, and the log of refused attempts, are new.
        let ignore = |t: &str| {
            t.contains("session")
                || t.contains("token")
                || t.contains("audit")
                || t.contains("throttle")
                || t.contains("login")
                // "Wachtwoord vergeten" counts requests in the shared throttle table.
                || t == "link_attempts"
                || t == "sqlite_sequence"
                // The regional picture's kept figures: aggregates a GET may refresh.
                || t == "org_figures"
        };
        let after = app.store().row_counts().await.unwrap();
        let keep = |v: Vec<(String, i64)>| -> Vec<(String, i64)> {
            v.into_iter().filter(|(t, _)| !ignore(t)).collect()
        };
        assert_eq!(keep(before), keep(after), "a regio-lezer changed data");
        // The region itself is theirs.
        let r = app.get(&mut page, &format!("/regio/{}", twente.id)).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.body.contains("Regiobeeld Twente"));
        let r = app
            .api(
                &mut api,
                "GET",
                &format!("/api/v1/regions/{}/picture", twente.id),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.json()["region"], "Twente");
        app
    })
    .await;
}

#[tokio::test]
async fn a_user_of_one_region_sees_nothing_of_another() {
    on_each_backend(|app| async move {
        let actor = store::Actor::cli();
        let twente = app.store().default_region().await.unwrap();
        let salland = app::region::create_region(app.store(), &actor, "Salland", 3, 50)
            .await
            .unwrap();
        let s_org = app.org("Zorg Salland").await;
        app::region::set_organisation_region(app.store(), &actor, s_org.id, "Salland")
            .await
            .unwrap();
        let hr = app
            .user("hr@salland.example", Role::OrgAdmin, Some(s_org.id), vec![])
            .await;
        let reader = app
            .user("lezer@salland.example", Role::RegioLezer, None, vec![])
            .await;
        app.store()
            .grant_region(reader.id, salland.id)
            .await
            .unwrap();
        let limited = app
            .user("prog@salland.example", Role::ProgrammeAdmin, None, vec![])
            .await;
        app.store()
            .grant_region(limited.id, salland.id)
            .await
            .unwrap();
        for (email, id) in [
            ("hr@salland.example", hr.id),
            ("lezer@salland.example", reader.id),
            ("prog@salland.example", limited.id),
        ] {
            let mut page = app.login(email).await;
            let r = app.get(&mut page, &format!("/regio/{}", twente.id)).await;
            assert!(denied(r.status), "{email}: {}", r.status);
            assert!(!r.body.contains("Regiobeeld Twente"));
            let r = app.get(&mut page, &format!("/regio/{}", salland.id)).await;
            assert_eq!(r.status, StatusCode::OK, "{email}");
            let mut api = app.api_client(id).await;
            let r = app
                .api(
                    &mut api,
                    "GET",
                    &format!("/api/v1/regions/{}/picture", twente.id),
                    None,
                )
                .await;
            assert!(denied(r.status), "{email}: {}", r.status);
            let r = app.api(&mut api, "GET", "/api/v1/regions", None).await;
            let names: Vec<String> = r.json()["regions"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["name"].as_str().unwrap().to_string())
                .collect();
            assert_eq!(names, vec!["Salland".to_string()], "{email}");
        }
        app
    })
    .await;
}

/// The demo region, as the programme, a regio-lezer and an organisation see it; and an
/// attacker with everything the picture API returns.
#[tokio::test]
async fn demo_picture_shown_suppressed_and_not_derivable() {
    on_each_backend(|app| async move {
        app::demo::load(app.store()).await.unwrap().unwrap();
        let twente = app.store().default_region().await.unwrap();
        let reader = app
            .store()
            .user_by_email("regio@urenwinst.example")
            .await
            .unwrap();
        let mut api = app.api_client(reader.id).await;
        let r = app
            .api(
                &mut api,
                "GET",
                &format!("/api/v1/regions/{}/picture", twente.id),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let p = r.json();
        let rows = p["subsectors"].as_array().unwrap();
        let shown: Vec<&str> = rows
            .iter()
            .filter(|r| r["employees"].is_number())
            .map(|r| r["subsector"].as_str().unwrap())
            .collect();
        let hidden: Vec<&str> = rows
            .iter()
            .filter(|r| r["employees"].is_null())
            .map(|r| r["subsector"].as_str().unwrap())
            .collect();
        assert_eq!(shown, vec!["gz", "vvt"]);
        assert_eq!(hidden, vec!["ggz", "sociaal_werk"]);
        assert_eq!(p["total"]["organisations"], 11);
        assert!(p["total"]["employees"].is_number());
        assert_eq!(p["organisations_without_results"], 5);
        insta::assert_json_snapshot!("demo_region_picture_api", p);
        // No organisation's name anywhere in what a regio-lezer gets.
        for o in app.store().organisations().await.unwrap() {
            assert!(!r.body.contains(&o.name), "{} in the picture", o.name);
        }

        // The attack: the total minus the shown subsectors is what the hidden ones hold
        // together. With the ground truth, check it is never one organisation's figure
        // and never dominated by one (the region's rules), for every additive measure.
        let truth =
            app::region::region_figures(app.store(), twente.id, chrono::Utc::now().date_naive())
                .await
                .unwrap();
        let orgs = app.store().region_organisations(twente.id).await.unwrap();
        let in_hidden: Vec<&region::OrgFigures> = truth
            .figures
            .iter()
            .filter(|f| {
                let sub = orgs
                    .iter()
                    .find(|o| o.id == f.org_id)
                    .unwrap()
                    .subsector
                    .code();
                hidden.contains(&sub)
            })
            .collect();
        assert!(
            in_hidden.len() >= 3,
            "the residual holds {} organisations",
            in_hidden.len()
        );
        let shown_sum =
            |key: &str| -> f64 { rows.iter().filter_map(|r| r[key].as_f64()).sum::<f64>() };
        for (key, of) in [
            (
                "employees",
                (|f: &region::OrgFigures| f.employees as f64) as fn(&region::OrgFigures) -> f64,
            ),
            ("respondents", |f: &region::OrgFigures| f.respondents as f64),
        ] {
            let residual = p["total"][key].as_f64().unwrap() - shown_sum(key);
            let truth_sum: f64 = in_hidden.iter().map(|f| of(f)).sum();
            assert!(
                (residual - truth_sum).abs() < 0.5,
                "{key}: {residual} vs {truth_sum}"
            );
            for f in &in_hidden {
                assert!(
                    of(f) * 2.0 <= residual,
                    "{key}: organisation {} dominates the derivable residual",
                    f.org_id
                );
            }
        }

        // The programme admin's page shows the table with shown and hidden cells.
        let admin = app
            .store()
            .user_by_email("programma@urenwinst.example")
            .await
            .unwrap();
        app.store()
            .set_password_hash(
                admin.id,
                &app::auth::hash_password_blocking(crate::helpers::PASSWORD).unwrap(),
            )
            .await
            .unwrap();
        let mut c = app.login("programma@urenwinst.example").await;
        let page = app.get(&mut c, &format!("/regio/{}", twente.id)).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.body
                .contains("niet getoond: minder dan 3 organisaties")
        );
        let table = page
            .body
            .split("<table>")
            .nth(1)
            .and_then(|t| t.split("</table>").next())
            .unwrap()
            .to_string();
        insta::assert_snapshot!("demo_region_picture_table", table);
        assert!(
            page.body.contains(&truth.without_results[0]),
            "names without results"
        );

        // An organisation's own view.
        let dinkel = app
            .store()
            .find_organisation("Zorggroep De Dinkel")
            .await
            .unwrap();
        let hr = app
            .store()
            .user_by_email("hr@dedinkel.example")
            .await
            .unwrap();
        let mut hr_api = app.api_client(hr.id).await;
        let r = app
            .api(
                &mut hr_api,
                "GET",
                &format!("/api/v1/organisations/{}/regional-view", dinkel.id),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let v = r.json();
        assert!(v["view"]["organisation"]["employees"].as_u64().unwrap() > 100);
        assert!(v["view"]["subsector"]["employees"].is_number());
        assert!(!v["view"]["national"].as_array().unwrap().is_empty());
        app.store()
            .set_password_hash(
                hr.id,
                &app::auth::hash_password_blocking(crate::helpers::PASSWORD).unwrap(),
            )
            .await
            .unwrap();
        let mut hr_page = app.login("hr@dedinkel.example").await;
        let own = app
            .get(&mut hr_page, &format!("/organisaties/{}/regio", dinkel.id))
            .await;
        assert_eq!(own.status, StatusCode::OK);
        assert!(own.body.contains("Zorggroep De Dinkel in Twente"));
        assert!(
            own.body
                .contains("Uw sector (VVT (ouderenzorg en wijkverpleging)) in Twente")
        );
        assert!(own.body.contains("Landelijk"));
        let other = app
            .store()
            .find_organisation("Stichting Twentse Horizon")
            .await
            .unwrap();
        let r = app
            .get(&mut hr_page, &format!("/organisaties/{}/regio", other.id))
            .await;
        assert!(
            denied(r.status),
            "another organisation's own view: {}",
            r.status
        );
        let r = app
            .api(
                &mut api,
                "GET",
                &format!("/api/v1/organisations/{}/regional-view", dinkel.id),
                None,
            )
            .await;
        assert!(denied(r.status), "regio-lezer: {}", r.status);
        app
    })
    .await;
}
