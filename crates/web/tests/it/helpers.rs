//! A test application: a fresh database, the real router, and a small client that keeps
//! cookies and sends the CSRF token like a browser form would.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use store::testing::TestDb;
use store::{NewUser, OrganisationInput, Role, Store, Subsector};
use tower::ServiceExt;
use web::{AppState, WebConfig};

pub const PASSWORD: &str = "een-test-wachtwoord-123";

pub struct TestApp {
    pub db: TestDb,
    pub router: axum::Router,
}

/// Runs `f` once per configured backend with a fresh app.
pub async fn on_each_backend<F, Fut>(f: F)
where
    F: Fn(TestApp) -> Fut,
    Fut: std::future::Future<Output = TestApp>,
{
    for db in TestDb::all().await.expect("test database") {
        let router = web::router(AppState::new(db.store.clone(), WebConfig::default()));
        let app = f(TestApp { db, router }).await;
        app.db.cleanup().await.expect("cleanup");
    }
}

/// [`on_each_backend`] with a web configuration of the test's own (e.g. SMTP settings).
pub async fn on_each_backend_with<C, F, Fut>(config: C, f: F)
where
    C: Fn() -> WebConfig,
    F: Fn(TestApp) -> Fut,
    Fut: std::future::Future<Output = TestApp>,
{
    for db in TestDb::all().await.expect("test database") {
        let router = web::router(AppState::new(db.store.clone(), config()));
        let app = f(TestApp { db, router }).await;
        app.db.cleanup().await.expect("cleanup");
    }
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
}

impl Reply {
    pub fn location(&self) -> &str {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

/// A browser-like client: cookie jar and CSRF token of the current session.
#[derive(Clone, Default)]
pub struct Client {
    pub cookies: Vec<(String, String)>,
    pub csrf: String,
    pub bearer: Option<String>,
}

impl TestApp {
    pub fn store(&self) -> &Store {
        &self.db.store
    }

    pub async fn send(&self, client: &mut Client, req: Request<Body>) -> Reply {
        let res = self.router.clone().oneshot(req).await.expect("router");
        let status = res.status();
        let headers = res.headers().clone();
        for v in headers.get_all(header::SET_COOKIE) {
            let s = v.to_str().unwrap();
            let pair = s.split(';').next().unwrap();
            let (k, val) = pair.split_once('=').unwrap();
            client.cookies.retain(|(n, _)| n != k);
            if !s.contains("Max-Age=0") {
                client.cookies.push((k.to_string(), val.to_string()));
            }
        }
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        Reply {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    fn builder(client: &Client, method: &str, uri: &str) -> axum::http::request::Builder {
        let mut b = Request::builder()
            .method(method)
            .uri(uri)
            .header(header::HOST, "localhost");
        if !client.cookies.is_empty() {
            let c = client
                .cookies
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join("; ");
            b = b.header(header::COOKIE, c);
        }
        if let Some(t) = &client.bearer {
            b = b.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        b
    }

    pub async fn get(&self, client: &mut Client, uri: &str) -> Reply {
        let req = Self::builder(client, "GET", uri)
            .body(Body::empty())
            .unwrap();
        self.send(client, req).await
    }

    /// Posts a form; adds the client's CSRF token unless the fields carry one.
    pub async fn post_form(
        &self,
        client: &mut Client,
        uri: &str,
        fields: &[(&str, &str)],
    ) -> Reply {
        let mut pairs: Vec<(String, String)> = fields
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        if !pairs.iter().any(|(k, _)| k == "csrf") {
            pairs.push(("csrf".into(), client.csrf.clone()));
        }
        let body = serde_urlencoded::to_string(&pairs).unwrap();
        let req = Self::builder(client, "POST", uri)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap();
        self.send(client, req).await
    }

    pub async fn api(
        &self,
        client: &mut Client,
        method: &str,
        uri: &str,
        body: Option<serde_json::Value>,
    ) -> Reply {
        let b = Self::builder(client, method, uri);
        let req = match body {
            Some(v) => b
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(v.to_string()))
                .unwrap(),
            None => b.body(Body::empty()).unwrap(),
        };
        self.send(client, req).await
    }

    /// Creates an account with [`PASSWORD`].
    pub async fn user(
        &self,
        email: &str,
        role: Role,
        org: Option<i64>,
        teams: Vec<i64>,
    ) -> store::User {
        self.store()
            .create_user(&NewUser {
                email: email.into(),
                name: email.split('@').next().unwrap().into(),
                role,
                org_id: org,
                team_ids: teams,
                password_hash: Some(app::auth::hash_password_blocking(PASSWORD).unwrap()),
            })
            .await
            .unwrap()
    }

    pub async fn org(&self, name: &str) -> store::Organisation {
        self.store()
            .create_organisation(&OrganisationInput::new(name, Subsector::Vvt))
            .await
            .unwrap()
    }

    /// Logs in through the login page and returns a client with session and CSRF token.
    pub async fn login(&self, email: &str) -> Client {
        self.login_with(email, PASSWORD).await
    }

    /// Logs in with a given password (e.g. a demo account's).
    pub async fn login_with(&self, email: &str, password: &str) -> Client {
        let mut c = Client::default();
        let page = self.get(&mut c, "/inloggen").await;
        assert_eq!(page.status, StatusCode::OK);
        let token = hidden_value(&page.body, "csrf");
        let r = self
            .post_form(
                &mut c,
                "/inloggen",
                &[("email", email), ("password", password), ("csrf", &token)],
            )
            .await;
        assert_eq!(
            r.status,
            StatusCode::SEE_OTHER,
            "login of {email}: {}",
            r.body
        );
        let dash = self.get(&mut c, "/dashboard").await;
        assert_eq!(dash.status, StatusCode::OK);
        c.csrf = hidden_value(&dash.body, "csrf");
        c
    }

    /// A client with a personal API token for `user_id`.
    pub async fn api_client(&self, user_id: i64) -> Client {
        let (token, prefix) = web::auth::new_api_token();
        self.store()
            .create_api_token(user_id, "test", &prefix, &store::hash_secret(&token))
            .await
            .unwrap();
        Client {
            bearer: Some(token),
            ..Client::default()
        }
    }
}

/// The value of the first hidden input named `name` in `html`.
pub fn hidden_value(html: &str, name: &str) -> String {
    let needle = format!("name=\"{name}\" value=\"");
    let start = html
        .find(&needle)
        .unwrap_or_else(|| panic!("no hidden field {name} in page"))
        + needle.len();
    html[start..].split('"').next().unwrap().to_string()
}

/// An open survey round ("Nulmeting", medewerkers-v1) of `org` over `teams`, running from a
/// week ago to a week ahead; returns its id.
pub async fn open_round(app: &TestApp, org: i64, teams: &[i64]) -> i64 {
    let today = chrono::Local::now().date_naive();
    let r = app
        .store()
        .create_survey_round(
            org,
            &store::NewSurveyRound {
                name: "Nulmeting".into(),
                kind: "nulmeting".into(),
                questionnaire: "medewerkers".into(),
                version: 1,
                custom_questions: "[]".into(),
                opens_on: (today - chrono::Days::new(7))
                    .format("%Y-%m-%d")
                    .to_string(),
                closes_on: (today + chrono::Days::new(7))
                    .format("%Y-%m-%d")
                    .to_string(),
                invitation_text: "Doe mee!".into(),
                import_round: false,
            },
            teams,
        )
        .await
        .unwrap();
    app.store()
        .set_survey_round_status(r.id, "open")
        .await
        .unwrap();
    r.id
}
