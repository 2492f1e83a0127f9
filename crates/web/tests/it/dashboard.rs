//! The start page per role (issue 33) on the demo data: each role's dashboard with its main
//! action, a navigation without links that answer 403, the first-run page of an empty
//! region, the help pages and the sample HR file.

use axum::http::StatusCode;
use store::Role;

use crate::helpers::{Client, PASSWORD, TestApp, on_each_backend};

async fn demo_login(app: &TestApp, email: &str) -> Client {
    let u = app.store().user_by_email(email).await.unwrap();
    app.store()
        .set_password_hash(u.id, &app::auth::hash_password_blocking(PASSWORD).unwrap())
        .await
        .unwrap();
    app.login(email).await
}

/// The page's `<main>` as text: tags dropped, one line per block, dates masked (the demo's
/// dates follow today).
fn main_text(html: &str) -> String {
    let main = html
        .split("<main")
        .nth(1)
        .and_then(|m| m.split("</main>").next())
        .unwrap_or("");
    let main = main.split_once('>').map_or(main, |(_, rest)| rest);
    let mut text = String::new();
    let mut in_tag = false;
    let mut tag = String::new();
    for c in main.chars() {
        match c {
            '<' => {
                in_tag = true;
                tag.clear();
            }
            '>' if in_tag => {
                in_tag = false;
                let name = tag
                    .trim_start_matches('/')
                    .split([' ', '\n'])
                    .next()
                    .unwrap_or("");
                if matches!(
                    name,
                    "p" | "li" | "tr" | "h1" | "h2" | "h3" | "section" | "div" | "br" | "summary"
                ) {
                    text.push('\n');
                } else if matches!(name, "td" | "th") {
                    text.push_str(" | ");
                }
            }
            _ if in_tag => tag.push(c),
            c => text.push(c),
        }
    }
    let text = text.replace("&#39;", "'").replace("&amp;", "&");
    let lines: Vec<String> = text
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty() && l != "|")
        .map(|l| mask_dates(&l))
        .collect();
    lines.join("\n")
}

/// Replaces every `dd-mm-jjjj` with `[datum]`.
fn mask_dates(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = String::new();
    let mut i = 0;
    while i < b.len() {
        let is_date = i + 10 <= b.len()
            && b[i..i + 10].iter().enumerate().all(|(k, c)| match k {
                2 | 5 => *c == b'-',
                _ => c.is_ascii_digit(),
            });
        if is_date {
            out.push_str("[datum]");
            i += 10;
        } else {
            let ch = s[i..].chars().next().unwrap();
            out.push(ch);
            i += ch.len_utf8();
        }
    }
    out
}

/// Every navigation link of the page (the `Hoofdmenu`).
fn nav_links(html: &str) -> Vec<String> {
    let nav = html
        .split("aria-label=\"Hoofdmenu\"")
        .nth(1)
        .and_then(|n| n.split("</nav>").next())
        .unwrap_or("");
    nav.split("href=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .map(str::to_string)
        .collect()
}

#[tokio::test]
async fn each_role_sees_its_dashboard_and_only_links_it_may_open() {
    on_each_backend(|app| async move {
        app::demo::load(app.store()).await.unwrap().unwrap();
        // (login, what the dashboard must show, snapshot name)
        let roles: [(&str, &[&str], &str); 5] = [
            (
                "programma@urenwinst.example",
                &[
                    "Overzicht Twente",
                    "Wat aandacht vraagt",
                    "Organisaties per cohort en fase",
                    "Pilotcohort 2024-2025",
                    "Fase 0 per organisatie",
                    "Organisatie toevoegen",
                ],
                "programme",
            ),
            (
                "hr@dedinkel.example",
                &[
                    "Overzicht Zorggroep De Dinkel",
                    "Waar staan we",
                    "Laatste cijfers",
                    "Open acties",
                ],
                "organisation",
            ),
            (
                "manager@dedinkel.example",
                &[
                    "Overzicht Zorggroep De Dinkel",
                    "Uitkomsten van de vragenlijst",
                    "Verzoeken om meer uren",
                    "Naar de verzoeken",
                ],
                "manager",
            ),
            (
                "planner@dedinkel.example",
                &[
                    "Overzicht Zorggroep De Dinkel",
                    "Rooster inlezen",
                    "Roosterscans en ontwerpen",
                ],
                "planner",
            ),
            (
                "regio@urenwinst.example",
                &["Regiobeeld Twente"],
                "regio_lezer",
            ),
        ];
        for (email, texts, name) in roles {
            let mut c = demo_login(&app, email).await;
            let r = app.get(&mut c, "/dashboard").await;
            assert_eq!(r.status, StatusCode::OK, "{email}: {}", r.body);
            for t in texts {
                assert!(r.body.contains(t), "{email}: dashboard lacks '{t}'");
            }
            if email != "programma@urenwinst.example" {
                assert!(
                    !r.body.contains("Overzicht Twente"),
                    "{email} sees the programme's title"
                );
            }
            let links = nav_links(&r.body);
            assert!(
                links.contains(&"/hulp".to_string()),
                "{email}: no help link"
            );
            for link in &links {
                let page = app.get(&mut c, link).await;
                assert!(
                    page.status == StatusCode::OK || page.status == StatusCode::SEE_OTHER,
                    "{email}: nav link {link} answers {}",
                    page.status
                );
            }
            insta::assert_snapshot!(format!("dashboard_{name}"), main_text(&r.body));
        }
        app
    })
    .await;
}

#[tokio::test]
async fn the_manager_sees_results_only_where_own_teams_are_shown() {
    on_each_backend(|app| async move {
        app::demo::load(app.store()).await.unwrap().unwrap();
        let manager = app
            .store()
            .user_by_email("manager@dedinkel.example")
            .await
            .unwrap();
        let d = app::dashboard::dashboard(app.store(), &manager, app::programme::today())
            .await
            .unwrap();
        let app::dashboard::Dashboard::Manager(m) = d else {
            panic!("a manager gets the manager dashboard");
        };
        for r in &m.rounds {
            let ctx = app::survey::round_for(app.store(), &manager, r.round_id)
                .await
                .unwrap();
            let results = app::survey::results_for(app.store(), &manager, &ctx)
                .await
                .unwrap();
            for t in &r.shown {
                assert!(
                    results
                        .teams
                        .iter()
                        .any(|x| &x.team == t && !x.cell.suppressed),
                    "{t} listed as shown but hidden in the results"
                );
            }
            for t in &r.hidden {
                assert!(
                    !results
                        .teams
                        .iter()
                        .any(|x| &x.team == t && !x.cell.suppressed),
                    "{t} listed as hidden but shown in the results"
                );
            }
        }
        app
    })
    .await;
}

#[tokio::test]
async fn an_empty_region_gets_the_first_run_page() {
    on_each_backend(|app| async move {
        app.user("pa@test.example", Role::ProgrammeAdmin, None, vec![])
            .await;
        let mut c = app.login("pa@test.example").await;
        let r = app.get(&mut c, "/dashboard").await;
        assert_eq!(r.status, StatusCode::OK);
        for t in [
            "Welkom bij Urenwinst",
            "Organisatie toevoegen",
            "Beheerder uitnodigen",
            "De stappen van Fase 0",
        ] {
            assert!(r.body.contains(t), "first-run page lacks '{t}'");
        }
        // With one organisation the dashboard takes over.
        app.org("Eerste Zorg").await;
        let r = app.get(&mut c, "/dashboard").await;
        assert!(!r.body.contains("Welkom bij Urenwinst"));
        assert!(r.body.contains("Fase 0 per organisatie"));
        app
    })
    .await;
}

#[tokio::test]
async fn help_pages_and_the_sample_hr_file() {
    on_each_backend(|app| async move {
        let org = app.org("Hulp Zorg").await;
        app.user("hr@hulp.example", Role::OrgAdmin, Some(org.id), vec![])
            .await;
        let mut anon = Client::default();
        for part in app::help::parts() {
            let uri = if part.key == "start" {
                "/hulp".to_string()
            } else {
                format!("/hulp/{}", part.key)
            };
            let r = app.get(&mut anon, &uri).await;
            assert_eq!(r.status, StatusCode::OK, "{uri}");
            assert!(r.body.contains(&part.title), "{uri}");
        }
        let r = app.get(&mut anon, "/hulp/begrippen").await;
        for t in app::help::terms() {
            assert!(r.body.contains(&format!("id=\"{}\"", t.key)), "{}", t.key);
        }
        assert_eq!(
            app.get(&mut anon, "/hulp/bestaat-niet").await.status,
            StatusCode::NOT_FOUND
        );
        // The sample file needs a login; signed in it is the generated CSV.
        let r = app.get(&mut anon, "/nulmeting/voorbeeld-hr.csv").await;
        assert_ne!(r.status, StatusCode::OK);
        let mut c = app.login("hr@hulp.example").await;
        let r = app.get(&mut c, "/nulmeting/voorbeeld-hr.csv").await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(r.body, app::nulmeting::sample_hr_csv());
        // The empty HR baseline says what to do, with the sample.
        let r = app
            .get(&mut c, &format!("/organisaties/{}/nulmeting", org.id))
            .await;
        for t in [
            "Er is nog geen HR-bestand ingelezen",
            "HR-bestand inlezen",
            "/nulmeting/voorbeeld-hr.csv",
            "personeelsnummer",
        ] {
            assert!(r.body.contains(t), "empty baseline lacks '{t}'");
        }
        app
    })
    .await;
}

/// Every term a template explains exists in the help file (an unknown key would show
/// nothing).
#[test]
fn every_explained_term_exists() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
    let mut found = 0;
    let mut stack = vec![dir];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            let text = std::fs::read_to_string(&p).unwrap();
            let calls = text
                .split("uitleg(\"")
                .skip(1)
                .chain(text.split("begrip(\"").skip(1));
            for call in calls {
                let key = call.split('"').next().unwrap();
                assert!(
                    app::help::term(key).is_some(),
                    "{}: unknown help term '{key}'",
                    p.display()
                );
                found += 1;
            }
        }
    }
    assert!(found >= 6, "only {found} explained terms in the templates");
}
