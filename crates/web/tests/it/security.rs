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
