//! CSRF, security headers, cookies, throttling and health.

use axum::http::StatusCode;
use store::Role;

use crate::helpers::{Client, on_each_backend};

#[tokio::test]
async fn every_state_changing_page_route_needs_the_csrf_token() {
    on_each_backend(|app| async move {
        let org = app.org("Org").await;
        let team = app.store().create_team(org.id, "T", None).await.unwrap();
        let loc = app.store().create_location(org.id, "L").await.unwrap();
        let u = app
            .user("pa@example.nl", Role::ProgrammeAdmin, None, vec![])
            .await;
        let mut c = app.login("pa@example.nl").await;
        let routes = [
            "/uitloggen".to_string(),
            "/organisaties".into(),
            format!("/organisaties/{}", org.id),
            format!("/organisaties/{}/verwijderen", org.id),
            format!("/organisaties/{}/locaties", org.id),
            format!("/organisaties/{}/teams", org.id),
            format!("/locaties/{}/verwijderen", loc.id),
            format!("/teams/{}/verwijderen", team.id),
            "/gebruikers".into(),
            format!("/gebruikers/{}/teams", u.id),
            format!("/gebruikers/{}/deactiveren", u.id),
            format!("/gebruikers/{}/activeren", u.id),
            format!("/gebruikers/{}/wachtwoord", u.id),
            "/account/wachtwoord".into(),
            "/account/sleutels".into(),
            "/account/sleutels/1/intrekken".into(),
        ];
        for route in &routes {
            for token in ["", "wrong"] {
                let r = app
                    .post_form(&mut c, route, &[("csrf", token), ("name", "x")])
                    .await;
                assert_eq!(
                    r.status,
                    StatusCode::FORBIDDEN,
                    "POST {route} with csrf '{token}'"
                );
            }
        }
        // The login form itself uses the double-submit cookie.
        let r = app
            .post_form(
                &mut Client::default(),
                "/inloggen",
                &[
                    ("email", "pa@example.nl"),
                    ("password", crate::helpers::PASSWORD),
                    ("csrf", "x"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        assert_eq!(
            app.store().organisations().await.unwrap().len(),
            1,
            "nothing changed"
        );
        // A cross-site Origin is refused even with the right token.
        let req = axum::http::Request::post("/organisaties")
            .header("host", "localhost")
            .header("origin", "http://evil.example")
            .header("content-type", "application/x-www-form-urlencoded")
            .header(
                "cookie",
                c.cookies
                    .iter()
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect::<Vec<_>>()
                    .join("; "),
            )
            .body(axum::body::Body::from(format!(
                "csrf={}&name=Evil&subsector=vvt&fulltime_hours=36&min_group_size=5&phase=pilot",
                c.csrf
            )))
            .unwrap();
        let r = app.send(&mut c, req).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        app
    })
    .await;
}

#[tokio::test]
async fn headers_cookies_throttle_and_health() {
    on_each_backend(|app| async move {
        let mut c = Client::default();
        let r = app.get(&mut c, "/inloggen").await;
        let csp = r.headers["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"));
        assert_eq!(r.headers["x-frame-options"], "DENY");
        assert_eq!(r.headers["x-content-type-options"], "nosniff");
        assert!(
            !r.body.contains("<script>") && !r.body.contains(" style="),
            "no inline script or style"
        );

        app.user("m@example.nl", Role::ProgrammeAdmin, None, vec![])
            .await;
        let login = app.login("m@example.nl").await;
        assert!(login.cookies.iter().any(|(k, _)| k == "uw_sessie"));

        // Five wrong passwords lock the account for a while, even for the right one.
        let mut c = Client::default();
        let page = app.get(&mut c, "/inloggen").await;
        let token = crate::helpers::hidden_value(&page.body, "csrf");
        for _ in 0..web::auth::MAX_FAILURES_PER_ACCOUNT {
            let r = app
                .post_form(
                    &mut c,
                    "/inloggen",
                    &[
                        ("email", "m@example.nl"),
                        ("password", "fout-wachtwoord-1"),
                        ("csrf", &token),
                    ],
                )
                .await;
            assert_eq!(r.status, StatusCode::UNAUTHORIZED);
            assert!(r.body.contains("horen niet bij elkaar"));
        }
        let r = app
            .post_form(
                &mut c,
                "/inloggen",
                &[
                    ("email", "m@example.nl"),
                    ("password", crate::helpers::PASSWORD),
                    ("csrf", &token),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
        assert!(r.body.contains("Wacht 15 minuten"));

        let r = app.get(&mut Client::default(), "/healthz").await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(r.json()["database"], "ok");
        let r = app.get(&mut Client::default(), "/static/app.css").await;
        assert_eq!(r.status, StatusCode::OK);
        let r = app.get(&mut Client::default(), "/bestaat-niet").await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        assert!(r.body.contains("Niet gevonden"));
        app
    })
    .await;
}

/// Issue 34: the after-login `terug` parameter follows only plain same-site paths; a tab
/// or newline neither sends the browser elsewhere nor breaks the page (it gave a 500).
#[tokio::test]
async fn after_login_only_plain_same_site_paths() {
    on_each_backend(|app| async move {
        app.user("m@example.nl", Role::ProgrammeAdmin, None, vec![])
            .await;
        for (back, expected) in [
            ("/organisaties", "/organisaties"),
            ("/\t/evil.example", "/dashboard"),
            ("//evil.example", "/dashboard"),
            ("/\\evil.example", "/dashboard"),
            ("https://evil.example/", "/dashboard"),
            ("/x\ny", "/dashboard"),
            ("/x\r\nSet-Cookie: a=b", "/dashboard"),
        ] {
            let mut c = Client::default();
            let encoded: String = url::form_urlencoded::byte_serialize(back.as_bytes()).collect();
            let page = app.get(&mut c, &format!("/inloggen?terug={encoded}")).await;
            assert_eq!(page.status, StatusCode::OK, "form with terug={back:?}");
            assert!(
                !page.body.contains("evil.example"),
                "{back:?} kept in the form"
            );
            let token = crate::helpers::hidden_value(&page.body, "csrf");
            let r = app
                .post_form(
                    &mut c,
                    "/inloggen",
                    &[
                        ("email", "m@example.nl"),
                        ("password", crate::helpers::PASSWORD),
                        ("csrf", &token),
                        ("terug", back),
                    ],
                )
                .await;
            assert_eq!(r.status, StatusCode::SEE_OTHER, "login with terug={back:?}");
            assert_eq!(r.location(), expected, "terug={back:?}");
        }
        app
    })
    .await;
}

/// Issue 34: a changed password ends the account's API tokens, a common password is
/// refused on every path that sets one, and a new reset link ends the older one.
#[tokio::test]
async fn passwords_tokens_and_reset_links() {
    on_each_backend(|app| async move {
        let org = app.org("Org").await;
        let pa = app
            .user("pa@example.nl", Role::ProgrammeAdmin, None, vec![])
            .await;
        let mut api = app.api_client(pa.id).await;
        assert_eq!(
            app.api(&mut api, "GET", "/api/v1/users", None).await.status,
            StatusCode::OK
        );

        // A common password is refused through the API and on the account page.
        let r = app
            .api(
                &mut api,
                "POST",
                "/api/v1/users",
                Some(serde_json::json!({
                    "email": "w@example.nl", "name": "W", "role": "org_admin",
                    "org_id": org.id, "password": "Wachtwoord2026!"
                })),
            )
            .await;
        assert!(r.status.is_client_error(), "{}", r.body);
        assert!(r.body.contains("veel gebruikt"), "{}", r.body);
        let mut c = app.login("pa@example.nl").await;
        let r = app
            .post_form(
                &mut c,
                "/account/wachtwoord",
                &[
                    ("current", crate::helpers::PASSWORD),
                    ("password", "welkom123456"),
                    ("password2", "welkom123456"),
                ],
            )
            .await;
        let flash = app.get(&mut c, r.location()).await;
        assert!(flash.body.contains("veel gebruikt"), "{}", flash.body);

        // Changing the password (with a stray space, trimmed like at login) ends the token.
        let r = app
            .post_form(
                &mut c,
                "/account/wachtwoord",
                &[
                    ("current", crate::helpers::PASSWORD),
                    ("password", " paard batterij nietje "),
                    ("password2", " paard batterij nietje "),
                ],
            )
            .await;
        assert_eq!(r.location(), "/inloggen");
        assert_eq!(
            app.api(&mut api, "GET", "/api/v1/users", None).await.status,
            StatusCode::UNAUTHORIZED,
            "the API token outlived the password"
        );
        let mut c = Client::default();
        let page = app.get(&mut c, "/inloggen").await;
        let token = crate::helpers::hidden_value(&page.body, "csrf");
        let r = app
            .post_form(
                &mut c,
                "/inloggen",
                &[
                    ("email", "pa@example.nl"),
                    ("password", "paard batterij nietje"),
                    ("csrf", &token),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "trimmed alike: {}", r.body);

        // Two reset links: only the newest works.
        let m = app
            .user("m@example.nl", Role::OrgAdmin, Some(org.id), vec![])
            .await;
        let mut api = app.api_client(pa.id).await;
        let link = |r: crate::helpers::Reply| {
            let l = r.json()["reset_link"].as_str().unwrap().to_string();
            l[l.find("/wachtwoord/").unwrap()..].to_string()
        };
        let uri = format!("/api/v1/users/{}/reset-password", m.id);
        let old = link(app.api(&mut api, "POST", &uri, None).await);
        let new = link(app.api(&mut api, "POST", &uri, None).await);
        assert_eq!(
            app.get(&mut Client::default(), &old).await.status,
            StatusCode::BAD_REQUEST,
            "the older link still works"
        );
        assert_eq!(
            app.get(&mut Client::default(), &new).await.status,
            StatusCode::OK
        );
        app
    })
    .await;
}

/// Issue 34: an API token may get an expiry in days on the account page; the list shows
/// it, a bad number makes no token, and an expired token gets the JSON error envelope
/// with its own code and a Dutch message.
#[tokio::test]
async fn api_tokens_may_expire() {
    on_each_backend(|app| async move {
        let pa = app
            .user("pa@example.nl", Role::ProgrammeAdmin, None, vec![])
            .await;
        let mut c = app.login("pa@example.nl").await;
        let r = app
            .post_form(
                &mut c,
                "/account/sleutels",
                &[("name", "maand"), ("dagen", "30")],
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let end = report::nl::date_unix(store::now() + 30 * 86_400);
        let page = app.get(&mut c, "/account").await;
        assert!(
            page.body.contains(&format!("verloopt op {end}")),
            "{}",
            page.body
        );
        let r = app
            .post_form(
                &mut c,
                "/account/sleutels",
                &[("name", "fout"), ("dagen", "0")],
            )
            .await;
        let flash = app.get(&mut c, r.location()).await;
        assert!(flash.body.contains("1 tot en met 730"), "{}", flash.body);
        let tokens = app.store().api_tokens(pa.id).await.unwrap();
        assert_eq!(tokens.len(), 1, "no token for a bad number of days");
        assert!(tokens[0].expires_at.is_some());

        let (token, prefix) = web::auth::new_api_token();
        app.store()
            .create_api_token_until(
                pa.id,
                "oud",
                &prefix,
                &store::hash_secret(&token),
                Some(store::now() - 60),
            )
            .await
            .unwrap();
        let mut api = Client {
            bearer: Some(token),
            ..Client::default()
        };
        let r = app.api(&mut api, "GET", "/api/v1/users", None).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        assert_eq!(r.json()["error"]["code"], "token_expired");
        assert!(
            r.json()["error"]["message"]
                .as_str()
                .unwrap()
                .contains("verlopen"),
            "{}",
            r.body
        );
        let page = app.get(&mut c, "/account").await;
        assert!(page.body.contains("verlopen op"), "{}", page.body);
        app
    })
    .await;
}

/// Issue 34: a 50,000-column file is refused with a Dutch message naming the limit, fast
/// (it froze the server for 20 s), through the HR API.
#[tokio::test]
async fn an_upload_with_50000_columns_is_refused_quickly() {
    use axum::body::Body;
    use axum::http::{Request, header};
    on_each_backend(|app| async move {
        let org = app.org("Org").await;
        let admin = app
            .user("hr@example.nl", Role::OrgAdmin, Some(org.id), vec![])
            .await;
        let mut api = app.api_client(admin.id).await;
        let header_row: Vec<String> = (0..50_000).map(|i| format!("kolom{i}")).collect();
        let csv = format!(
            "{}\n{}\n",
            header_row.join(";"),
            vec!["1"; 50_000].join(";")
        );
        let req = Request::builder()
            .method("POST")
            .uri(format!(
                "/api/v1/organisations/{}/hr/snapshots?date=2025-01-01",
                org.id
            ))
            .header(header::HOST, "localhost")
            .header(
                header::AUTHORIZATION,
                format!("Bearer {}", api.bearer.clone().unwrap()),
            )
            .header(header::CONTENT_TYPE, "text/csv")
            .body(Body::from(csv))
            .unwrap();
        let started = std::time::Instant::now();
        let r = app.send(&mut api, req).await;
        let took = started.elapsed();
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        let body = r.json();
        assert_eq!(body["error"]["field"], "file");
        assert!(
            body["error"]["message"]
                .as_str()
                .unwrap()
                .contains("meer kolommen dan de grens van 1.000"),
            "{body}"
        );
        assert!(took.as_secs_f64() < 3.0, "took {took:?}");
        app
    })
    .await;
}

/// Issue 34: creating an account with another organisation's address answers exactly as
/// for an address that is refused for any other reason, so accounts cannot be found out.
#[tokio::test]
async fn account_existence_does_not_leak_across_organisations() {
    on_each_backend(|app| async move {
        let a = app.org("A").await;
        let b = app.org("B").await;
        let admin = app
            .user("admin@a.example", Role::OrgAdmin, Some(a.id), vec![])
            .await;
        app.user("geheim@b.example", Role::OrgAdmin, Some(b.id), vec![])
            .await;
        let mut api = app.api_client(admin.id).await;
        let taken = create_account(&app, &mut api, a.id, "geheim@b.example").await;
        let malformed = create_account(&app, &mut api, a.id, "geen-adres").await;
        assert_eq!(taken.0, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(taken, malformed, "a taken address is told apart");
        assert_eq!(taken.1["error"]["field"], "email");
        app
    })
    .await;
}

async fn create_account(
    app: &crate::helpers::TestApp,
    api: &mut Client,
    org: i64,
    email: &str,
) -> (StatusCode, serde_json::Value) {
    let r = app
        .api(
            api,
            "POST",
            "/api/v1/users",
            Some(serde_json::json!({
                "email": email, "name": "X", "role": "manager", "org_id": org
            })),
        )
        .await;
    (r.status, r.json())
}

/// Issue 34: API errors are always the documented JSON envelope with a Dutch message and,
/// where there is one, the field: also a body over the limit, a path that does not parse
/// and a calculator input that is not JSON (these were plain English text).
#[tokio::test]
async fn api_errors_are_always_the_json_envelope() {
    use axum::body::Body;
    use axum::http::{Request, header};
    on_each_backend(|app| async move {
        let pa = app
            .user("pa@example.nl", Role::ProgrammeAdmin, None, vec![])
            .await;
        let mut api = app.api_client(pa.id).await;
        let r = app
            .api(&mut api, "POST", "/api/v1/users/abc/deactivate", None)
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert_eq!(r.json()["error"]["field"], "path", "{}", r.body);
        assert!(
            r.json()["error"]["message"]
                .as_str()
                .unwrap()
                .contains("adres")
        );

        let big = format!("{{\"x\": \"{}\"}}", "a".repeat(100 * 1024));
        let req = Request::builder()
            .method("POST")
            .uri("/api/v1/calc")
            .header(header::HOST, "localhost")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(big))
            .unwrap();
        let r = app.send(&mut Client::default(), req).await;
        assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
        assert_eq!(r.json()["error"]["code"], "too_large", "{}", r.body);
        assert_eq!(r.json()["error"]["field"], "body");

        for (body, field) in [
            ("{", "body"),
            (
                r#"{"year": 2026, "employee": {"hours_per_week": "veel"}}"#,
                "employee.hours_per_week",
            ),
        ] {
            let req = Request::builder()
                .method("POST")
                .uri("/api/v1/calc")
                .header(header::HOST, "localhost")
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(body))
                .unwrap();
            let r = app.send(&mut Client::default(), req).await;
            assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
            let e = &r.json()["error"];
            assert_eq!(e["field"], field, "{}", r.body);
            assert!(!e["message"].as_str().unwrap().contains("Technisch"));
        }
        app
    })
    .await;
}

/// Issue 34: `/metrics` is off without a token (404), refuses a wrong token and gives the
/// Prometheus text with request counts per route template, latency, queue and pool.
#[tokio::test]
async fn metrics_behind_a_token() {
    use axum::body::Body;
    use axum::http::{Request, header};
    use tower::ServiceExt;
    on_each_backend(|app| async move {
        let r = app.get(&mut Client::default(), "/metrics").await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);

        let router = web::router(web::AppState::new(
            app.store().clone(),
            web::WebConfig {
                metrics_token: Some("meet-token-1234".into()),
                ..web::WebConfig::default()
            },
        ));
        let send = |uri: &str, token: Option<&str>| {
            let mut b = Request::builder().uri(uri).header(header::HOST, "localhost");
            if let Some(t) = token {
                b = b.header(header::AUTHORIZATION, format!("Bearer {t}"));
            }
            router.clone().oneshot(b.body(Body::empty()).unwrap())
        };
        for _ in 0..3 {
            send("/inloggen", None).await.unwrap();
        }
        send("/enquete/GEHEIMECODE", None).await.unwrap();
        let r = send("/metrics", Some("fout")).await.unwrap();
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
        let r = send("/metrics", Some("meet-token-1234")).await.unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        assert!(
            r.headers()[header::CONTENT_TYPE]
                .to_str()
                .unwrap()
                .starts_with("text/plain; version=0.0.4")
        );
        let body = http_body_util::BodyExt::collect(r.into_body())
            .await
            .unwrap()
            .to_bytes();
        let text = String::from_utf8(body.to_vec()).unwrap();
        assert!(
            text.contains(
                "urenwinst_http_requests_total{method=\"GET\",route=\"/inloggen\",status=\"2xx\"} 3"
            ),
            "{text}"
        );
        assert!(text.contains("urenwinst_http_request_duration_seconds_bucket{method=\"GET\",route=\"/inloggen\",le=\"+Inf\"} 3"), "{text}");
        assert!(text.contains("route=\"/enquete/{"), "route template, not the path: {text}");
        assert!(!text.contains("GEHEIMECODE"), "{text}");
        assert!(text.contains("urenwinst_jobs_queued 0"), "{text}");
        assert!(text.contains("urenwinst_db_pool_connections{state=\"idle\"}"), "{text}");
        app
    })
    .await;
}

/// Deleting an organisation from its page asks for its name to be typed over: a wrong
/// name deletes nothing and says why; the right one (any letter case) deletes it.
#[tokio::test]
async fn deleting_an_organisation_asks_for_its_name() {
    on_each_backend(|app| async move {
        let org = app.org("Zorggroep Weg").await;
        let admin = app
            .user("pa@weg.example", Role::ProgrammeAdmin, None, vec![])
            .await;
        let mut c = app.login(&admin.email).await;
        let uri = format!("/organisaties/{}/verwijderen", org.id);
        let r = app
            .post_form(&mut c, &uri, &[("bevestig", "Zorggroep Anders")])
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let page = app.get(&mut c, &format!("/organisaties/{}", org.id)).await;
        assert!(
            page.body.contains("Er is niets verwijderd"),
            "{}",
            page.body
        );
        assert!(app.store().organisation(org.id).await.is_ok());
        let r = app
            .post_form(&mut c, &uri, &[("bevestig", " zorggroep weg ")])
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert!(app.store().organisation(org.id).await.is_err());
        app
    })
    .await;
}
