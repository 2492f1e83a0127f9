//! Attack 10 of issue 26: the logs. A real server (axum::serve with the client address, as
//! `web::serve` runs it) is driven over TCP from a distinctive loopback address through a
//! whole survey response and a password reset, with a tracing subscriber at TRACE level
//! (every target, span events included) writing to a buffer. The buffer must not contain
//! the survey code, the open-link token, the reset token, the API token or the client's
//! address, and must show the route templates instead.
//!
//! Its own test binary (one process, one test), so the capturing subscriber can be the
//! global one: a thread-local subscriber in the shared binary missed spans now and then,
//! because other tests' threads cache callsite interest without it.

#[allow(dead_code)]
#[path = "it/helpers.rs"]
mod helpers;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use store::Role;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use web::{AppState, WebConfig};

use helpers::{PASSWORD, TestApp, hidden_value, on_each_backend};

#[derive(Clone, Default)]
struct Buf(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Buf {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Buf {
    type Writer = Buf;
    fn make_writer(&'a self) -> Buf {
        self.clone()
    }
}

/// The client's source address: a loopback address nothing else in the test uses.
const CLIENT_IP: &str = "127.0.0.77";

struct Http {
    server: SocketAddr,
    cookies: Vec<(String, String)>,
}

struct HttpReply {
    status: u16,
    location: String,
    body: String,
}

impl Http {
    async fn send(&mut self, method: &str, path: &str, extra: &str, body: &str) -> HttpReply {
        let socket = tokio::net::TcpSocket::new_v4().unwrap();
        socket
            .bind(format!("{CLIENT_IP}:0").parse().unwrap())
            .unwrap();
        let mut s = socket.connect(self.server).await.unwrap();
        let cookie = if self.cookies.is_empty() {
            String::new()
        } else {
            format!(
                "Cookie: {}\r\n",
                self.cookies
                    .iter()
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect::<Vec<_>>()
                    .join("; ")
            )
        };
        let req = format!(
            "{method} {path} HTTP/1.1\r\nHost: localhost\r\n{cookie}{extra}\
             Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\
             Connection: close\r\n\r\n{body}",
            body.len()
        );
        s.write_all(req.as_bytes()).await.unwrap();
        let mut raw = Vec::new();
        s.read_to_end(&mut raw).await.unwrap();
        let text = String::from_utf8_lossy(&raw).into_owned();
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        let status = head
            .split_whitespace()
            .nth(1)
            .and_then(|c| c.parse().ok())
            .unwrap_or(0);
        let mut location = String::new();
        for line in head.lines().skip(1) {
            let Some((k, v)) = line.split_once(':') else {
                continue;
            };
            let v = v.trim();
            if k.eq_ignore_ascii_case("location") {
                location = v.to_string();
            }
            if k.eq_ignore_ascii_case("set-cookie") {
                let pair = v.split(';').next().unwrap();
                let (n, val) = pair.split_once('=').unwrap();
                self.cookies.retain(|(x, _)| x != n);
                self.cookies.push((n.to_string(), val.to_string()));
            }
        }
        HttpReply {
            status,
            location,
            body: body.to_string(),
        }
    }

    fn cookie(&self, name: &str) -> String {
        self.cookies
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }

    async fn form(&mut self, path: &str, fields: &[(&str, &str)]) -> HttpReply {
        let body = serde_urlencoded::to_string(fields).unwrap();
        self.send("POST", path, "", &body).await
    }
}

async fn respond(http: &mut Http, key: &str) {
    let r = http.send("GET", &format!("/enquete/{key}"), "", "").await;
    assert_eq!(r.status, 200, "{}", r.body);
    let csrf = http.cookie("uw_csrf");
    let path = format!("/enquete/{key}");
    let steps: [&[(&str, &str)]; 4] = [
        &[
            ("stap", "uren"),
            ("contract_uren", "20"),
            ("gewerkte_uren", "22"),
            ("gewenste_uren", "28"),
        ],
        &[("stap", "meer_uren"), ("bereidheid", "ja_zeker")],
        &[
            ("stap", "geld_en_werk"),
            ("rondkomen", "goed"),
            ("weet_netto", "ja"),
            ("tevredenheid_rooster", "4"),
            ("blijven", "zeker_wel"),
        ],
        &[("stap", "over_uzelf"), ("leeftijd", "25_34")],
    ];
    let mut last = String::new();
    for s in steps {
        let mut fields = vec![("csrf", csrf.as_str()), ("lang", "nl")];
        fields.extend_from_slice(s);
        let r = http.form(&path, &fields).await;
        assert_eq!(r.status, 303, "{}", r.body);
        last = r.location;
        let r = http.send("GET", &last, "", "").await;
        assert_eq!(r.status, 200);
    }
    assert!(last.starts_with("/enquete/klaar"), "{last}");
}

/// The buffer of the global subscriber, installed once for this binary.
fn captured() -> Buf {
    static BUF: std::sync::OnceLock<Buf> = std::sync::OnceLock::new();
    BUF.get_or_init(|| {
        let buf = Buf::default();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_span_events(tracing_subscriber::fmt::format::FmtSpan::FULL)
            .with_ansi(false)
            .with_writer(buf.clone())
            .finish();
        tracing::subscriber::set_global_default(subscriber).expect("first subscriber");
        buf
    })
    .clone()
}

async fn run(app: &TestApp) -> String {
    let buf = captured();
    let start = buf.0.lock().unwrap().len();

    let store = app.store().clone();
    let org = app.org("Zorg Log").await;
    let team = store.create_team(org.id, "Team Log", None).await.unwrap();
    let round_id = helpers::open_round(app, org.id, &[team.id]).await;
    let code = app::survey::new_code();
    store
        .add_survey_codes(round_id, team.id, &[store::hash_secret(&code)])
        .await
        .unwrap();
    let token = store.survey_round_teams(round_id).await.unwrap()[0]
        .open_token
        .clone();
    let prog = app
        .user("prog@log.example", Role::ProgrammeAdmin, None, vec![])
        .await;
    let target = app
        .user("hr@log.example", Role::OrgAdmin, Some(org.id), vec![])
        .await;
    let (_, delivery) = app::users::reset_password_link(
        &store,
        (&prog).into(),
        target.id,
        app::users::LinkSettings::new("http://localhost", None),
    )
    .await
    .unwrap();
    let link = delivery.link().unwrap().to_string();
    let reset_token = link.rsplit('/').next().unwrap().to_string();
    let (api_token, prefix) = web::auth::new_api_token();
    store
        .create_api_token(prog.id, "log", &prefix, &store::hash_secret(&api_token))
        .await
        .unwrap();

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let server = listener.local_addr().unwrap();
    let router = web::router(AppState::new(store.clone(), WebConfig::default()));
    let serving = tokio::spawn(
        axum::serve(
            listener,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .into_future(),
    );

    // The code typed on the code page, then the whole questionnaire; an open link too.
    let mut http = Http {
        server,
        cookies: vec![],
    };
    http.send("GET", "/enquete", "", "").await;
    let csrf = http.cookie("uw_csrf");
    let typed = http
        .form(
            "/enquete",
            &[("csrf", &csrf), ("code", &code.to_lowercase())],
        )
        .await;
    assert_eq!(typed.status, 303);
    respond(&mut http, &code).await;
    let mut other = Http {
        server,
        cookies: vec![],
    };
    respond(&mut other, &token).await;
    // A password reset through its link.
    let mut reset = Http {
        server,
        cookies: vec![],
    };
    let page = reset
        .send("GET", &format!("/wachtwoord/{reset_token}"), "", "")
        .await;
    assert_eq!(page.status, 200, "{}", page.body);
    let csrf = hidden_value(&page.body, "csrf");
    let done = reset
        .form(
            &format!("/wachtwoord/{reset_token}"),
            &[
                ("csrf", &csrf),
                ("password", PASSWORD),
                ("password2", PASSWORD),
            ],
        )
        .await;
    assert_eq!(done.status, 303, "{}", done.body);
    // An API call with the token.
    let me = reset
        .send(
            "GET",
            "/api/v1/me",
            &format!("Authorization: Bearer {api_token}\r\n"),
            "",
        )
        .await;
    assert_eq!(me.status, 200, "{}", me.body);

    serving.abort();
    let log = String::from_utf8(buf.0.lock().unwrap()[start..].to_vec()).unwrap();
    for (what, secret) in [
        ("survey code", code.as_str()),
        ("survey code as typed", &code.to_lowercase()),
        ("survey code without dashes", &code.replace('-', "")),
        ("open-link token", token.as_str()),
        ("password-reset token", reset_token.as_str()),
        ("API token", api_token.as_str()),
        ("client address", CLIENT_IP),
    ] {
        if let Some(at) = log.find(secret) {
            let from = log[..at].rfind('\n').map_or(0, |i| i + 1);
            let to = log[at..].find('\n').map_or(log.len(), |i| at + i);
            panic!("the log holds the {what}: {}", &log[from..to]);
        }
    }
    log
}

#[tokio::test(flavor = "current_thread")]
async fn attack10_logs_at_trace_level_hold_no_code_token_or_address() {
    on_each_backend(|app| async move {
        let log = run(&app).await;
        // The spans are there, with the route template instead of the path.
        for route in ["/enquete/{key}", "/wachtwoord/{token}", "/api/v1/me"] {
            assert!(log.contains(route), "no span for {route}");
        }
        app
    })
    .await;
}
