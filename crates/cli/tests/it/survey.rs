//! Survey durability with the real binary: respondents submit concurrently, the server is
//! killed with SIGKILL in the middle of it, and after a restart every response that was
//! acknowledged to a respondent is there. Also `survey results --json` and `survey codes`.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::support::{DataDir, Server, run_ok};

const ORG: &str = "GGZ Regge en Vecht";
const ROUND: &str = "Nulmeting (loopt nu)";

/// One form POST on a fresh connection; returns the status and the Location header.
fn post(port: u16, path: &str, cookie: &str, body: &str) -> std::io::Result<(u16, String)> {
    let mut s = TcpStream::connect(("127.0.0.1", port))?;
    s.set_read_timeout(Some(Duration::from_secs(20)))?;
    write!(
        s,
        "POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nCookie: {cookie}\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n{body}",
        body.len()
    )?;
    let mut text = String::new();
    s.read_to_string(&mut text)?;
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let location = text
        .lines()
        .find_map(|l| {
            l.split_once(':')
                .filter(|(k, _)| k.eq_ignore_ascii_case("location"))
        })
        .map(|(_, v)| v.trim().to_string())
        .unwrap_or_default();
    Ok((status, location))
}

/// Answers the whole questionnaire with `code`; `Ok(true)` when the last step was
/// acknowledged (303 to the closing page).
fn answer(port: u16, code: &str) -> std::io::Result<bool> {
    let csrf = "a".repeat(64);
    // A browser keeps its cookies: the draft of each step is bound to this secret.
    let cookie = format!("uw_csrf={csrf}; uw_enquete={}", "b".repeat(64));
    let path = format!("/enquete/{code}");
    let steps = [
        "stap=uren&contract_uren=20&gewerkte_uren=22&gewenste_uren=28",
        "stap=meer_uren&bereidheid=ja_zeker",
        "stap=geld_en_werk&rondkomen=goed&weet_netto=ja&tevredenheid_rooster=4&blijven=zeker_wel",
        "stap=over_uzelf&leeftijd=25_34",
    ];
    for (i, s) in steps.iter().enumerate() {
        let (status, location) = post(port, &path, &cookie, &format!("csrf={csrf}&lang=nl&{s}"))?;
        if status != 303 {
            return Ok(false);
        }
        if i == steps.len() - 1 {
            return Ok(location.starts_with("/enquete/klaar"));
        }
    }
    Ok(false)
}

/// Respondents so far, from the response rates (the results of an open round are not
/// released).
fn respondents(data: &DataDir) -> u64 {
    let out = run_ok(
        data,
        &["survey", "rates", "--org", ORG, "--round", ROUND, "--json"],
    );
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    v["respondents"].as_u64().expect("respondents shown")
}

#[test]
fn every_acknowledged_response_survives_sigkill() {
    let data = DataDir::new();
    run_ok(&data, &["demo"]);
    let before = respondents(&data);
    let csv = run_ok(
        &data,
        &[
            "survey",
            "codes",
            "--org",
            ORG,
            "--round",
            ROUND,
            "--team",
            "Kliniek Acuut",
            "--count",
            "600",
        ],
    );
    let codes: Vec<String> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(';').nth(1).unwrap().to_string())
        .collect();
    assert_eq!(codes.len(), 600);

    let mut server = Server::start(&data, &[]);
    let port = server.port;
    let codes = Arc::new(codes);
    let next = Arc::new(AtomicUsize::new(0));
    let acked = Arc::new(Mutex::new(Vec::new()));
    let finished_last_step = Arc::new(AtomicUsize::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let mut threads = Vec::new();
    for _ in 0..8 {
        let (codes, next, acked, stop, finished) = (
            codes.clone(),
            next.clone(),
            acked.clone(),
            stop.clone(),
            finished_last_step.clone(),
        );
        threads.push(std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= codes.len() {
                    break;
                }
                match answer(port, &codes[i]) {
                    Ok(true) => acked.lock().unwrap().push(codes[i].clone()),
                    Ok(false) => {}
                    Err(_) => {
                        // The server is gone: this response may or may not be stored.
                        finished.fetch_add(1, Ordering::Relaxed);
                        break;
                    }
                }
            }
        }));
    }
    // Let submissions flow, then kill the server hard in the middle of them.
    while acked.lock().unwrap().len() < 40 {
        std::thread::sleep(Duration::from_millis(20));
    }
    server.child.kill().expect("SIGKILL"); // Child::kill sends SIGKILL on Unix.
    server.child.wait().unwrap();
    stop.store(true, Ordering::Relaxed);
    for t in threads {
        t.join().unwrap();
    }
    let acked = acked.lock().unwrap().clone();
    let unsure = finished_last_step.load(Ordering::Relaxed) as u64;
    drop(server);

    eprintln!(
        "durability: {} acknowledged, {unsure} cut off by the kill",
        acked.len()
    );
    // Restart: the server comes back healthy and every acknowledged response is there.
    let server = Server::start(&data, &[]);
    drop(server);
    let after = respondents(&data);
    let stored = after - before;
    eprintln!("durability: {stored} stored after restart");
    assert!(
        stored >= acked.len() as u64,
        "{} acknowledged, {stored} stored",
        acked.len()
    );
    assert!(
        stored <= acked.len() as u64 + unsure,
        "more stored ({stored}) than submitted ({} acknowledged + {unsure} cut off)",
        acked.len()
    );
    // Each acknowledged code is used: answering again is refused.
    let server = Server::start(&data, &[]);
    for code in acked.iter().take(5) {
        let (status, _) = post(
            server.port,
            &format!("/enquete/{code}"),
            &format!("uw_csrf={}", "a".repeat(64)),
            &format!("csrf={}&lang=nl&stap=uren&contract_uren=1", "a".repeat(64)),
        )
        .unwrap();
        assert_eq!(status, 410, "code {code} not marked used");
    }
}

#[test]
fn survey_results_json_has_the_documented_fields() {
    let data = DataDir::new();
    run_ok(&data, &["demo"]);
    let out = run_ok(
        &data,
        &[
            "survey",
            "results",
            "--org",
            "Zorggroep De Dinkel",
            "--round",
            "Nulmeting najaar 2026",
            "--json",
        ],
    );
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["respondents"], 100);
    assert_eq!(v["open_share"], 0.45);
    assert_eq!(v["open_share_ci95"].as_array().unwrap().len(), 2);
    let teams = v["teams"].as_array().unwrap();
    assert!(teams.iter().any(|t| t["suppressed"] == true));
    for t in teams {
        assert!(t["team"].is_string());
        if t["suppressed"] == true {
            assert!(t.get("respondents").is_none() && t.get("open_share").is_none());
        } else {
            assert!(t["respondents"].as_u64().unwrap() >= 5);
        }
    }
}

/// Attack 1 of issue 26 through the command line: an open round has no results, only
/// response rates (suppressed like the round page).
#[test]
fn survey_results_of_an_open_round_are_not_released() {
    let data = DataDir::new();
    run_ok(&data, &["demo"]);
    let out = crate::support::run(
        &data,
        &[
            "survey", "results", "--org", ORG, "--round", ROUND, "--json",
        ],
    );
    assert!(!out.status.success(), "results of an open round released");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("als de ronde gesloten is"), "{err}");
    assert!(!String::from_utf8_lossy(&out.stdout).contains("respondents"));
    let rates: serde_json::Value = serde_json::from_str(&run_ok(
        &data,
        &["survey", "rates", "--org", ORG, "--round", ROUND, "--json"],
    ))
    .unwrap();
    assert_eq!(rates["respondents"], 35);
    for t in rates["teams"].as_array().unwrap() {
        if t["suppressed"] == true {
            assert!(t.get("respondents").is_none(), "{t}");
        }
    }
}
