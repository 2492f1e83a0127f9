//! API parity: everything an admin can do in the pages can be done through the JSON API.
//! Every state-changing page action (every POST route of the page router, which is built
//! from `web::page_actions()`) names its API twins, and each twin must be a documented
//! operation of `/api/v1` (the OpenAPI document, which `access.rs` and `api.rs` check
//! against the router). Actions without a twin are deliberate and listed here with why.

use std::collections::BTreeSet;

/// Page actions that have no API twin on purpose, with the reason.
const EXCEPTIONS: &[(&str, &str)] = &[
    (
        "/inloggen",
        "signing in starts a browser session; the API authenticates with a key per request",
    ),
    (
        "/uitloggen",
        "ends a browser session; API keys have no session",
    ),
    (
        "/wachtwoord/{token}",
        "a one-time link from an invitation or reset mail, used in the browser before any \
         key exists",
    ),
    (
        "/account/wachtwoord",
        "changing one's own password needs the current one, typed in a signed-in browser",
    ),
    (
        "/account/sleutels",
        "an API key must not mint further keys; keys are made in a signed-in browser",
    ),
    (
        "/account/sleutels/{id}/intrekken",
        "revoking keys belongs with making them, in a signed-in browser",
    ),
    (
        "/enquete",
        "the public respondent flow (a code typed in) is for respondents, not admins",
    ),
    (
        "/enquete/{key}",
        "the public respondent flow (answering the questionnaire) is for respondents",
    ),
];

fn documented() -> BTreeSet<String> {
    let doc = web::api::openapi::document_value();
    let mut out = BTreeSet::new();
    for (path, ops) in doc["paths"].as_object().expect("paths") {
        for method in ops.as_object().expect("operations").keys() {
            out.insert(format!("{} {path}", method.to_uppercase()));
        }
    }
    out
}

#[test]
fn every_page_action_has_an_api_twin_or_a_reason() {
    let documented = documented();
    let exceptions: BTreeSet<&str> = EXCEPTIONS.iter().map(|(p, _)| *p).collect();
    let mut missing = Vec::new();
    let mut seen = BTreeSet::new();
    for action in web::page_actions() {
        seen.insert(action.path);
        if action.api.is_empty() {
            if !exceptions.contains(action.path) {
                missing.push(format!("{}: no API twin and no reason", action.path));
            }
            continue;
        }
        assert!(
            !exceptions.contains(action.path),
            "{} has an API twin but is listed as an exception",
            action.path
        );
        for twin in action.api {
            if !documented.contains(*twin) {
                missing.push(format!(
                    "{}: twin '{twin}' is not in the OpenAPI document",
                    action.path
                ));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "page actions without an API twin:\n{}",
        missing.join("\n")
    );
    for (path, reason) in EXCEPTIONS {
        assert!(
            seen.contains(path),
            "exception {path} is no page action any more"
        );
        assert!(!reason.trim().is_empty(), "exception {path} needs a reason");
    }
}

#[test]
fn the_walk_sees_every_part_of_the_product() {
    // The table the router is built from covers the page parts that change data.
    let paths: Vec<&str> = web::page_actions().map(|a| a.path).collect();
    for expected in [
        "/organisaties/{id}/teams",
        "/gebruikers",
        "/organisaties/{id}/nulmeting/loonkosten",
        "/organisaties/{id}/nulmeting/pnil",
        "/nulmeting/sectorcijfers",
        "/organisaties/{id}/enquetes",
        "/enquetes/{id}/status",
    ] {
        assert!(paths.contains(&expected), "{expected} is not walked");
    }
    let unique: BTreeSet<&str> = paths.iter().copied().collect();
    assert_eq!(unique.len(), paths.len(), "a page action is listed twice");
}
