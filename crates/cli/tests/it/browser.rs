//! Browser checks in headless Chromium (Debian's package) driven by playwright-core from
//! `tests/browser`. `./urenwinst test` (through `scripts/install-test-deps.sh`) installs
//! both. A missing browser is a failure, unless `URENWINST_SKIP_BROWSER=1` says to skip the
//! browser checks on purpose.

use std::path::PathBuf;
use std::process::Command;

use crate::support::{DataDir, Server, run_ok};

fn browser_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/browser")
}

/// Whether the browser checks should run: `false` only when `URENWINST_SKIP_BROWSER=1`.
/// Panics when they should run but the tooling is missing, so a missing browser never
/// passes silently.
pub fn browser_ready() -> bool {
    if skip_requested(std::env::var("URENWINST_SKIP_BROWSER").ok().as_deref()) {
        eprintln!("SKIPPED browser check: URENWINST_SKIP_BROWSER=1");
        return false;
    }
    let ready = browser_dir().join("node_modules/playwright-core").is_dir()
        && browser_dir().join("node_modules/axe-core").is_dir()
        && std::path::Path::new("/usr/bin/chromium").exists();
    assert!(
        ready,
        "browser tests need Chromium and tests/browser/node_modules: run `./urenwinst test` \
         (or scripts/install-test-deps.sh), or set URENWINST_SKIP_BROWSER=1 to skip them"
    );
    ready
}

/// `URENWINST_SKIP_BROWSER` skips only when set to `1` (or `true`); anything else runs them.
fn skip_requested(value: Option<&str>) -> bool {
    matches!(value.map(str::trim), Some("1") | Some("true"))
}

#[test]
fn browser_checks_skip_only_when_asked() {
    assert!(skip_requested(Some("1")));
    assert!(skip_requested(Some("true")));
    assert!(!skip_requested(None));
    assert!(!skip_requested(Some("")));
    assert!(!skip_requested(Some("0")));
}

/// Runs `node tests/browser/SCRIPT` with the environment given; panics with its output
/// when it fails.
pub fn run_script(script: &str, env: &[(&str, String)]) -> String {
    let mut cmd = Command::new("node");
    cmd.arg(browser_dir().join(script))
        .current_dir(browser_dir());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("run node");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.status.success(),
        "browser script {script} failed:\n{text}"
    );
    text
}

#[test]
fn admin_logs_in_creates_a_team_and_logs_out() {
    if !browser_ready() {
        return;
    }
    let data = DataDir::new();
    run_ok(&data, &["migrate"]);
    let org = run_ok(
        &data,
        &["org", "add", "--name", "Browser Zorg", "--subsector", "gz"],
    );
    let org_id = org.split('\t').next().unwrap().trim().to_string();
    let user = run_ok(
        &data,
        &[
            "user",
            "add",
            "--email",
            "pa@browser.example",
            "--name",
            "Petra",
            "--role",
            "programme_admin",
        ],
    );
    let password = user.trim().split('\t').nth(1).unwrap().to_string();
    let server = Server::start(&data, &[]);
    let out = run_script(
        "admin.mjs",
        &[
            ("URENWINST_URL", server.url()),
            ("URENWINST_EMAIL", "pa@browser.example".into()),
            ("URENWINST_PASSWORD", password),
            ("URENWINST_ORG_ID", org_id),
        ],
    );
    assert!(out.contains("browser admin flow ok"), "{out}");
}

#[test]
fn employee_answers_the_survey_on_a_phone() {
    if !browser_ready() {
        return;
    }
    let data = DataDir::new();
    run_ok(&data, &["demo"]);
    // The demo's open round is the third (GGZ Regge en Vecht); one fresh code for a team.
    let codes = run_ok(
        &data,
        &[
            "survey",
            "codes",
            "--org",
            "GGZ Regge en Vecht",
            "--round",
            "3",
            "--team",
            "Kliniek Acuut",
            "--count",
            "1",
        ],
    );
    let code = codes
        .lines()
        .last()
        .and_then(|l| l.split(';').nth(1))
        .expect("a code line")
        .trim()
        .to_string();
    let server = Server::start(&data, &[]);
    let out = run_script(
        "survey.mjs",
        &[(
            "URENWINST_SURVEY_LINK",
            format!("{}/enquete/{code}", server.url()),
        )],
    );
    assert!(out.contains("browser survey flow ok"), "{out}");
}

#[test]
fn hr_upload_with_an_error_then_fixed_mapping_shows_the_picture() {
    if !browser_ready() {
        return;
    }
    let data = DataDir::new();
    run_ok(&data, &["migrate"]);
    let org = run_ok(
        &data,
        &[
            "org",
            "add",
            "--name",
            "Zorggroep Sint Maarten",
            "--subsector",
            "vvt",
        ],
    );
    let org_id = org.split('\t').next().unwrap().trim().to_string();
    let user = run_ok(
        &data,
        &[
            "user",
            "add",
            "--email",
            "hr@sm.example",
            "--name",
            "Hanna",
            "--role",
            "org_admin",
            "--org",
            &org_id,
        ],
    );
    let password = user.trim().split('\t').nth(1).unwrap().to_string();
    let file =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../hr/tests/data/snapshot-2024-03-01.csv");
    let server = Server::start(&data, &[]);
    let out = run_script(
        "nulmeting.mjs",
        &[
            ("URENWINST_URL", server.url()),
            ("URENWINST_EMAIL", "hr@sm.example".into()),
            ("URENWINST_PASSWORD", password),
            ("URENWINST_ORG_ID", org_id),
            ("URENWINST_HR_FILE", file.display().to_string()),
        ],
    );
    assert!(out.contains("browser nulmeting flow ok"), "{out}");
}

/// The Value Case in the running product (issue 29): the page of a demo organisation, its
/// PDF from the real typst renderer that `serve` passes to the web layer, and sharing.
#[test]
fn admin_opens_the_value_case_downloads_the_pdf_and_shares_it() {
    if !browser_ready() {
        return;
    }
    let data = DataDir::new();
    run_ok(&data, &["demo"]);
    let orgs = run_ok(&data, &["org", "list"]);
    let org_id = orgs
        .lines()
        .find(|l| l.contains("Zorggroep De Dinkel"))
        .and_then(|l| l.split('\t').next())
        .expect("De Dinkel in the demo")
        .to_string();
    let user = run_ok(
        &data,
        &[
            "user",
            "add",
            "--email",
            "hr2@dedinkel.example",
            "--name",
            "Hanneke",
            "--role",
            "org_admin",
            "--org",
            &org_id,
        ],
    );
    let password = user.trim().split('\t').nth(1).unwrap().to_string();
    let server = Server::start(&data, &[]);
    let out = run_script(
        "valuecase.mjs",
        &[
            ("URENWINST_URL", server.url()),
            ("URENWINST_EMAIL", "hr2@dedinkel.example".into()),
            ("URENWINST_PASSWORD", password),
            ("URENWINST_ORG_ID", org_id.clone()),
        ],
    );
    assert!(out.contains("browser value case flow ok"), "{out}");
    // The share and the PDF are in the Fase 0 checklist.
    let list = run_ok(&data, &["report", "fase0", "--org", &org_id, "--json"]);
    assert!(list.contains("gedeeld met de organisatie"), "{list}");
}

/// The survey results page on a phone (issue 33): the demo's largest round (De Dinkel, the
/// first demo round) as its organisation admin reads it at 390×844, with axe-core and a
/// check that the page never scrolls sideways; the screenshot lands in the test's
/// temporary directory.
#[test]
fn org_admin_reads_the_survey_results_on_a_phone() {
    if !browser_ready() {
        return;
    }
    let data = DataDir::new();
    run_ok(&data, &["demo"]);
    let orgs = run_ok(&data, &["org", "list"]);
    let org_id = orgs
        .lines()
        .find(|l| l.contains("Zorggroep De Dinkel"))
        .and_then(|l| l.split('\t').next())
        .expect("De Dinkel in the demo")
        .to_string();
    let user = run_ok(
        &data,
        &[
            "user",
            "add",
            "--email",
            "hr3@dedinkel.example",
            "--name",
            "Hester",
            "--role",
            "org_admin",
            "--org",
            &org_id,
        ],
    );
    let password = user.trim().split('\t').nth(1).unwrap().to_string();
    let shots = data.path().join("screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    let server = Server::start(&data, &[]);
    let out = run_script(
        "results.mjs",
        &[
            ("URENWINST_URL", server.url()),
            ("URENWINST_EMAIL", "hr3@dedinkel.example".into()),
            ("URENWINST_PASSWORD", password),
            ("URENWINST_ROUND_ID", "1".into()),
            ("URENWINST_SCREENSHOTS", shots.display().to_string()),
        ],
    );
    assert!(out.contains("browser results flow ok"), "{out}");
    let shot = shots.join("resultaten-telefoon.png");
    assert!(
        std::fs::metadata(&shot).is_ok_and(|m| m.len() > 10_000),
        "no screenshot at {}",
        shot.display()
    );
}

/// Issue 33: each role of the demo logs in, sees its own dashboard title and finds its main
/// action there; no link of the navigation answers 403.
#[test]
fn every_role_finds_its_dashboards_main_action() {
    if !browser_ready() {
        return;
    }
    let data = DataDir::new();
    let demo = run_ok(&data, &["demo"]);
    // "  email  role  organisation  password": the first and the last word of a line.
    let password = |email: &str| -> String {
        demo.lines()
            .find(|l| l.split_whitespace().next() == Some(email))
            .and_then(|l| l.split_whitespace().last())
            .unwrap_or_else(|| panic!("{email} not in the demo's logins:\n{demo}"))
            .to_string()
    };
    let accounts: Vec<serde_json::Value> = [
        (
            "programma@urenwinst.example",
            "Overzicht Twente",
            "Organisatie toevoegen",
        ),
        (
            "hr@dedinkel.example",
            "Overzicht Zorggroep De Dinkel",
            "Naar de Value Case",
        ),
        (
            "manager@dedinkel.example",
            "Overzicht Zorggroep De Dinkel",
            "Naar de verzoeken",
        ),
        (
            "planner@dedinkel.example",
            "Overzicht Zorggroep De Dinkel",
            "Rooster inlezen",
        ),
        ("regio@urenwinst.example", "Overzicht", "Regiobeeld Twente"),
    ]
    .into_iter()
    .map(|(email, title, action)| {
        serde_json::json!({
            "email": email, "password": password(email), "title": title, "action": action,
        })
    })
    .collect();
    let server = Server::start(&data, &[]);
    let out = run_script(
        "dashboard.mjs",
        &[
            ("URENWINST_URL", server.url()),
            (
                "URENWINST_ACCOUNTS",
                serde_json::Value::Array(accounts).to_string(),
            ),
        ],
    );
    assert!(out.contains("browser dashboard flow ok: 5 roles"), "{out}");
}
