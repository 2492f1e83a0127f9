//! The WerkUrenBerekenaar through the real binary: `POST /api/v1/calc` answers exactly
//! what `urenwinst calc` prints, the request log holds no calculator input, and the page
//! works in headless Chromium.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::browser::{browser_ready, run_script};
use crate::support::{DataDir, Server, binary, free_port, http_get, run, run_ok};

/// A minimal HTTP/1.1 POST of a JSON body; returns status and body.
fn http_post_json(port: u16, path: &str, body: &str) -> (u16, String) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(
        s,
        "POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut text = String::new();
    s.read_to_string(&mut text).unwrap();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

/// `urenwinst calc FILE` on `input`; returns its exit code and JSON output.
fn cli_calc(data: &DataDir, input: &str) -> (Option<i32>, serde_json::Value) {
    let file = data.path().join("invoer.json");
    std::fs::write(&file, input).unwrap();
    let out = run(data, &["calc", file.to_str().unwrap()]);
    let json = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "calc output is not JSON ({e}): {}",
            String::from_utf8_lossy(&out.stdout)
        )
    });
    (out.status.code(), json)
}

#[test]
fn api_answers_exactly_what_the_command_prints() {
    let data = DataDir::new();
    run_ok(&data, &["migrate"]);
    let examples: serde_json::Value =
        serde_json::from_str(&run_ok(&data, &["calc", "--examples"])).unwrap();
    let server = Server::start(&data, &[]);
    let mut inputs: Vec<String> = examples
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["input"].to_string())
        .collect();
    assert_eq!(inputs.len(), 3);
    // Refusals too: the same code, Dutch message and field.
    inputs.push(r#"{"year": 2026, "employee": {"hourly_wage": 18.25, "hours_per_week": 24}, "children": [{"age": 30}]}"#.into());
    inputs.push(
        r#"{"year": 2026, "employee": {"cao": "vvt", "fwg": 35, "step": 4, "hours_per_week": 24}}"#
            .into(),
    );
    inputs.push(r#"{"year": 2026, "employee": {"hourly_wage": 18.25, "hours_per_week": 24, "year_end_bonus": true}}"#.into());
    for input in &inputs {
        let (code, cli) = cli_calc(&data, input);
        let (status, body) = http_post_json(server.port, "/api/v1/calc", input);
        let api: serde_json::Value = serde_json::from_str(&body).expect("API JSON");
        assert_eq!(api, cli, "{input}");
        match code {
            Some(0) => assert_eq!(status, 200, "{input}"),
            Some(2) => {
                assert_eq!(status, 422, "{input}");
                assert!(api["error"]["field"].is_string() && api["error"]["code"].is_string());
            }
            other => panic!("calc exit {other:?} for {input}"),
        }
    }
}

#[test]
fn the_request_log_holds_no_calculator_input() {
    let data = DataDir::new();
    run_ok(&data, &["migrate"]);
    let port = free_port();
    let mut child = Command::new(binary())
        .args(["serve", "--addr", &format!("127.0.0.1:{port}")])
        .env("URENWINST_DATA_DIR", data.path())
        .env_remove("DATABASE_URL")
        .env("URENWINST_LOG", "debug")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start server");
    let mut healthy = false;
    for _ in 0..600 {
        if let Ok((200, _)) = http_get(port, "/healthz") {
            healthy = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(healthy, "server did not start");
    // Distinctive values that must not appear anywhere in the log.
    let (status, _) = http_get(
        port,
        "/berekenaar?uurloon=17,93&uren=23&meer=31&huur=987,65&huishouden=partner&partnerloon=31415",
    )
    .unwrap();
    assert_eq!(status, 200);
    let (status, _) = http_post_json(
        port,
        "/api/v1/calc",
        r#"{"year": 2026, "employee": {"hourly_wage": 21.37, "hours_per_week": 27}, "rent_per_month": 876.54, "hours": [33]}"#,
    );
    assert_eq!(status, 200);
    let _ = child.kill();
    let out = child.wait_with_output().unwrap();
    let log = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        log.contains("/berekenaar") && log.contains("/api/v1/calc"),
        "requests are traced: {log}"
    );
    // (Bare numbers could occur in timestamps; names and comma decimals cannot.)
    for secret in [
        "17,93",
        "17%2C93",
        "987,65",
        "987%2C65",
        "uurloon",
        "partnerloon",
        "huishouden",
        "hourly_wage",
        "rent_per_month",
    ] {
        assert!(!log.contains(secret), "the log contains '{secret}':\n{log}");
    }
}

#[test]
fn calculator_in_the_browser() {
    if !browser_ready() {
        return;
    }
    let data = DataDir::new();
    run_ok(&data, &["migrate"]);
    let shots = data.path().join("screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    let server = Server::start(&data, &[]);
    let out = run_script(
        "calculator.mjs",
        &[
            ("URENWINST_URL", server.url()),
            ("URENWINST_SCREENSHOTS", shots.display().to_string()),
        ],
    );
    assert!(out.contains("browser calculator ok"), "{out}");
    // The phone-size (390×844) screenshot of the result, in the test's temporary directory.
    let shot = shots.join("berekenaar-telefoon.png");
    assert!(
        std::fs::metadata(&shot).is_ok_and(|m| m.len() > 10_000),
        "no screenshot at {}",
        shot.display()
    );
}
