//! Calculator inputs are never logged: its own test binary (one process, one test), so
//! the capturing subscriber can be the global one and sees every log line the server
//! writes, at every level down to trace.

#[allow(dead_code)]
#[path = "it/helpers.rs"]
mod helpers;

use axum::http::StatusCode;
use helpers::{Client, on_each_backend};

/// Calculator inputs are never logged, not even at trace level: every log line the
/// server writes while computing is captured and searched for the values entered.
#[tokio::test]
async fn the_server_logs_no_calculator_input() {
    use std::sync::{Arc, Mutex};
    #[derive(Clone, Default)]
    struct Capture(Arc<Mutex<Vec<u8>>>);
    impl std::io::Write for Capture {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let capture = Capture::default();
    let writer = capture.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    // The global default: the only test in this binary (its own process), so no callsite
    // interest is cached by another thread without this subscriber.
    tracing::subscriber::set_global_default(subscriber).expect("first subscriber");
    // Distinctive values: an hourly wage, hours, a rent, a partner's wage, a child's age.
    on_each_backend(|app| async move {
        let mut c = Client::default();
        let q = "/berekenaar?cao=geen&loonsoort=uur&uurloon=17,93&uren=23,75&meer=31,25&huishouden=partner&partnerloon=31.789&kind1=7&huur=812,34";
        assert_eq!(app.get(&mut c, q).await.status, StatusCode::OK);
        assert_eq!(app.get(&mut c, &format!("{q}&afdrukken=1")).await.status, StatusCode::OK);
        let body = serde_json::json!({"year": 2026, "employee": {"hourly_wage": 17.93, "hours_per_week": 23.75},
            "partner": {"annual_gross_wage": 31789}, "children": [{"age": 7}], "rent_per_month": 812.34, "hours": [31.25]});
        let r = app.api(&mut c, "POST", "/api/v1/calc", Some(body.clone())).await;
        assert_eq!(r.status, StatusCode::OK);
        let r = app.api(&mut c, "POST", "/api/v1/calc/curve", Some(body)).await;
        assert_eq!(r.status, StatusCode::OK);
        // An invalid input is not logged either.
        let bad = serde_json::json!({"year": 2026, "employee": {"hourly_wage": 3.71, "hours_per_week": 23.75}});
        app.api(&mut c, "POST", "/api/v1/calc", Some(bad)).await;
        app.get(&mut c, "/berekenaar?loonsoort=uur&uurloon=3,71&uren=23,75").await;
        app
    })
    .await;
    let log = String::from_utf8(capture.0.lock().unwrap().clone()).unwrap();
    // The capture works: the request spans are there, with the route template only.
    assert!(
        log.contains("route=/berekenaar"),
        "nothing captured:\n{log}"
    );
    assert!(
        log.contains("route=/api/v1/calc"),
        "nothing captured:\n{log}"
    );
    // Database timings ("elapsed=…") are numbers that could match by chance; the
    // database never sees calculator input (see `nothing_is_stored`).
    let log: String = log
        .lines()
        .filter(|l| !l.contains("elapsed"))
        .collect::<Vec<_>>()
        .join("\n");
    for needle in [
        "17,93",
        "17.93",
        "23,75",
        "23.75",
        "31,25",
        "31.25",
        "31.789",
        "31789",
        "812,34",
        "812.34",
        "3,71",
        "3.71",
        "uurloon",
        "partnerloon",
    ] {
        assert!(!log.contains(needle), "the log contains `{needle}`:\n{log}");
    }
}
