//! HR baseline (nulmeting): upload with an error → Dutch message naming row and field →
//! fix the mapping → contract picture; suppression on the page and in the API (also for a
//! manager); the HR routes of another organisation are closed.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use store::Role;

use crate::helpers::{Client, Reply, TestApp, on_each_backend};

pub const REFERENCE: &str = include_str!("../../../hr/tests/data/snapshot-2024-03-01.csv");

/// Posts a multipart form (fields and one file) to `uri` with `?csrf=` as a browser would.
pub async fn upload(
    app: &TestApp,
    c: &mut Client,
    uri: &str,
    fields: &[(&str, &str)],
    file_name: &str,
    content: &[u8],
) -> Reply {
    let boundary = "----urenwinst-test-boundary";
    let mut body = Vec::new();
    for (k, v) in fields {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"bestand\"; filename=\"{file_name}\"\r\nContent-Type: text/csv\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(content);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let cookies = c
        .cookies
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("; ");
    let req = Request::builder()
        .method("POST")
        .uri(format!("{uri}?csrf={}", c.csrf))
        .header(header::HOST, "localhost")
        .header(header::COOKIE, cookies)
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(Body::from(body))
        .unwrap();
    app.send(c, req).await
}

pub const RIGHT: &[(&str, &str)] = &[
    ("map_employee_number", "Personeelsnr"),
    ("map_team", "Afdeling"),
    ("map_function", "Functie"),
    ("map_fwg_scale", "FWG-schaal"),
    ("map_contract_hours", "Contracturen per week"),
    ("map_birth_date", "Geboortedatum"),
    ("map_start_date", "Datum in dienst"),
    ("map_end_date", "Datum uit dienst"),
    ("map_contract_kind", "Soort contract"),
];

#[tokio::test]
async fn upload_error_fix_mapping_then_contract_picture() {
    on_each_backend(|app| async move {
        let org = app.org("Zorggroep Sint Maarten").await;
        app.user("hr@sm.example", Role::OrgAdmin, Some(org.id), vec![])
            .await;
        let mut c = app.login("hr@sm.example").await;
        let base = format!("/organisaties/{}/nulmeting", org.id);
        let page = app.get(&mut c, &base).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert!(page.body.contains("nog geen HR-bestand"));

        let r = upload(
            &app,
            &mut c,
            &format!("{base}/bestand"),
            &[("soort", "hr"), ("peildatum", "2024-03-01")],
            "hr.csv",
            REFERENCE.as_bytes(),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let mapping_url = r.location().to_string();
        assert!(mapping_url.contains("/koppelen/"), "{mapping_url}");
        let m = app.get(&mut c, &mapping_url).await;
        assert_eq!(m.status, StatusCode::OK);
        // The proposal, the name column refused, and a preview.
        assert!(m.body.contains("Naam"), "name column listed as not read");
        assert!(m.body.contains("Voorbeeld"));
        assert!(
            !m.body.contains("Hanna Bos"),
            "names never shown in the preview"
        );
        // Issue 33: the file's teams that the organisation lacks are listed, with the
        // option to create them (one exists already, in other case).
        app.store()
            .create_team(org.id, "de linde", None)
            .await
            .unwrap();
        let m = app.get(&mut c, &mapping_url).await;
        assert!(
            m.body.contains("3 teams staan nog niet in Urenwinst"),
            "{}",
            m.body
        );
        for t in [
            "<li>Sint Jozef</li>",
            "<li>Wijkzorg Oost</li>",
            "<li>Dagbesteding</li>",
        ] {
            assert!(m.body.contains(t), "{t}");
        }
        assert!(
            !m.body.contains("<li>De Linde</li>"),
            "an existing team is not new"
        );
        assert!(m.body.contains("name=\"maak_teams\""));

        // The admin picks the wrong column for the contract hours: nothing is imported and
        // every problem is named by row and field, in Dutch.
        let mut wrong: Vec<(&str, &str)> = RIGHT
            .iter()
            .map(|(k, v)| {
                if *k == "map_contract_hours" {
                    (*k, "Functie")
                } else {
                    (*k, *v)
                }
            })
            .collect();
        wrong.push(("actie", "inlezen"));
        wrong.push(("maak_teams", "1"));
        let r = app.post_form(&mut c, &mapping_url, &wrong).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(r.location(), mapping_url);
        let m = app.get(&mut c, &mapping_url).await;
        assert!(m.body.contains("Er is niets ingelezen"), "{}", m.body);
        assert!(m.body.contains("rij 2: contracturen"), "{}", m.body);
        assert!(m.body.contains("Helpende"), "the wrong value is quoted");
        assert!(app.store().hr_snapshots(org.id).await.unwrap().is_empty());
        assert_eq!(
            app.store().teams(org.id).await.unwrap().len(),
            1,
            "a refused file creates no team"
        );

        // Fixed mapping: imported with the new teams, and the picture shows.
        let mut right = RIGHT.to_vec();
        right.push(("actie", "inlezen"));
        right.push(("maak_teams", "1"));
        let r = app.post_form(&mut c, &mapping_url, &right).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert!(r.location().starts_with(&base), "{}", r.location());
        let p = app.get(&mut c, r.location()).await;
        assert_eq!(p.status, StatusCode::OK);
        assert!(p.body.contains("Ingelezen: 60 medewerkers"), "{}", p.body);
        assert!(
            p.body
                .contains("Teams aangemaakt: Sint Jozef, Wijkzorg Oost, Dagbesteding"),
            "{}",
            p.body
        );
        let mut names: Vec<String> = app
            .store()
            .teams(org.id)
            .await
            .unwrap()
            .into_iter()
            .map(|t| t.name)
            .collect();
        names.sort();
        assert_eq!(
            names,
            ["Dagbesteding", "Sint Jozef", "Wijkzorg Oost", "de linde"]
        );
        assert!(p.body.contains("Peildatum 01-03-2024"));
        assert!(p.body.contains("Gemiddeld contract"));
        assert!(p.body.contains("24,9 uur"), "sector average shown");
        assert!(p.body.contains("Bron:"), "sector source shown");
        assert!(p.body.contains("Urenruimte"), "the sub-navigation");
        assert!(!p.body.contains("style=\""), "no inline style attributes");
        // Names and employee numbers are nowhere.
        assert!(!p.body.contains("Hanna Bos") && !p.body.contains("001001"));
        // Issue 33: the sub-pages, each with a print view without forms or menus, for the
        // same snapshot.
        for (sub, expect) in [
            ("/verdeling", "Verdeling over contractomvang"),
            ("/urenruimte", "Groeiende contracten"),
            ("/vergelijking", "Lees een tweede HR-bestand in"),
            ("/pnil", "Er zijn nog geen PNIL-kosten ingelezen"),
            ("/bestanden", "1 momentopname"),
        ] {
            let page = app.get(&mut c, &format!("{base}{sub}")).await;
            assert_eq!(page.status, StatusCode::OK, "{sub}");
            assert!(page.body.contains(expect), "{sub}: {}", page.body);
            assert!(page.body.contains("aria-current=\"page\">"), "{sub}");
            assert!(!page.body.contains("style=\""), "{sub}: no inline style");
            assert!(!page.body.contains("Hanna Bos") && !page.body.contains("001001"));
            let print = app
                .get(
                    &mut c,
                    &format!("{base}{sub}/afdrukken?peildatum=2024-03-01"),
                )
                .await;
            assert_eq!(print.status, StatusCode::OK, "{sub}/afdrukken");
            assert!(print.body.contains("print-view"), "{sub}/afdrukken");
            assert!(
                print.body.contains(expect),
                "{sub}/afdrukken: {}",
                print.body
            );
            assert!(
                !print.body.contains("<form class=\"stack"),
                "{sub}/afdrukken has no forms"
            );
            assert!(!print.body.contains("class=\"subnav"), "{sub}/afdrukken");
        }
        let v = app.get(&mut c, &format!("{base}/verdeling")).await;
        assert!(v.body.contains("<svg"), "charts inline");
        assert!(v.body.contains("Per team"), "{}", v.body);
        let print = app.get(&mut c, &format!("{base}/afdrukken")).await;
        assert!(print.body.contains("Gemiddeld contract") && print.body.contains("24,9 uur"));
        assert!(print.body.contains("peildatum 01-03-2024"));

        // The mapping is remembered: the next upload proposes it.
        let snaps = app.store().hr_snapshots(org.id).await.unwrap();
        assert_eq!(snaps.len(), 1);
        assert_eq!(snaps[0].employees, 60);
        let remembered = app
            .store()
            .hr_mapping(org.id, store::MappingKind::Hr)
            .await
            .unwrap()
            .unwrap();
        assert!(remembered.contains("Contracturen per week"));
        let r = upload(
            &app,
            &mut c,
            &format!("{base}/bestand"),
            &[("soort", "hr"), ("peildatum", "2024-09-01")],
            "hr2.csv",
            REFERENCE.as_bytes(),
        )
        .await;
        let m = app.get(&mut c, r.location()).await;
        assert!(m.body.contains("van de vorige keer"), "{}", m.body);
        app
    })
    .await;
}

fn small_teams_csv() -> String {
    let mut s = String::from("Personeelsnummer;Team;Functie;Uren per week;Leeftijd\n");
    let teams = [
        ("Team Groot", 12, "24"),
        ("Team Midden", 6, "20"),
        ("Team Klein", 2, "16"),
    ];
    let mut n = 100;
    for (team, count, hours) in teams {
        for _ in 0..count {
            n += 1;
            s.push_str(&format!("{n};{team};Verzorgende IG;{hours};40\n"));
        }
    }
    s
}

#[tokio::test]
async fn suppression_on_page_and_api_and_manager_sees_own_team_only() {
    on_each_backend(|app| async move {
        let org = app.org("Zorggroep Klein").await;
        let klein = app
            .store()
            .create_team(org.id, "Team Klein", None)
            .await
            .unwrap();
        let admin = app
            .user("hr@klein.example", Role::OrgAdmin, Some(org.id), vec![])
            .await;
        let manager = app
            .user(
                "mgr@klein.example",
                Role::Manager,
                Some(org.id),
                vec![klein.id],
            )
            .await;
        let planner = app
            .user(
                "pl@klein.example",
                Role::Planner,
                Some(org.id),
                vec![klein.id],
            )
            .await;
        let mut api = app.api_client(admin.id).await;
        let csv = small_teams_csv();
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
        let r = app.send(&mut api, req).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        assert_eq!(r.json()["snapshot"]["employees"], 20);

        // API: the small team and one more are hidden, the total shows.
        let r = app
            .api(
                &mut api,
                "GET",
                &format!("/api/v1/organisations/{}/hr/picture", org.id),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let v = r.json();
        assert_eq!(v["picture"]["total"]["headcount"], 20);
        let teams = v["picture"]["breakdowns"]
            .as_array()
            .unwrap()
            .iter()
            .find(|b| b["dimension"] == "team")
            .unwrap()["groups"]
            .as_array()
            .unwrap()
            .clone();
        let group = |name: &str| teams.iter().find(|g| g["label"] == name).unwrap().clone();
        assert!(group("Team Klein")["figures"].is_null());
        assert_eq!(group("Team Klein")["suppressed"], "too_small");
        assert!(group("Team Midden")["figures"].is_null());
        assert_eq!(group("Team Midden")["suppressed"], "complementary");
        assert_eq!(group("Team Groot")["figures"]["headcount"], 12);
        assert!(v["sector"]["source"].as_str().unwrap().len() > 3);

        // The gap per team is suppressed the same way.
        let r = app
            .api(
                &mut api,
                "GET",
                &format!("/api/v1/organisations/{}/hr/gap?below=24&by=4", org.id),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let g = r.json();
        assert_eq!(g["gap"]["total"]["contracts_growing"], 8);
        let klein_gap = g["gap"]["by_team"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["label"] == "Team Klein")
            .unwrap()
            .clone();
        assert!(klein_gap["figures"].is_null());

        // The page shows the same.
        let mut c = app.login("hr@klein.example").await;
        let p = app
            .get(
                &mut c,
                &format!("/organisaties/{}/nulmeting/verdeling", org.id),
            )
            .await;
        assert_eq!(p.status, StatusCode::OK);
        assert!(p.body.contains("te klein om te tonen"));
        assert!(p.body.contains("verborgen (privacy)"));
        // The same suppression on the hours gap and in the print views.
        for sub in ["urenruimte", "urenruimte/afdrukken", "verdeling/afdrukken"] {
            let p = app
                .get(&mut c, &format!("/organisaties/{}/nulmeting/{sub}", org.id))
                .await;
            assert_eq!(p.status, StatusCode::OK, "{sub}");
            assert!(p.body.contains("te klein om te tonen"), "{sub}");
            assert!(p.body.contains("verborgen (privacy)"), "{sub}");
        }

        // A manager of the small team: only that team, too small for any figure.
        let mut m = app.api_client(manager.id).await;
        let r = app
            .api(
                &mut m,
                "GET",
                &format!("/api/v1/organisations/{}/hr/picture", org.id),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let v = r.json();
        assert!(v["picture"]["total"].is_null(), "{v}");
        assert_eq!(v["scope"]["kind"], "teams");
        assert!(!r.body.contains("Team Groot") && !r.body.contains("Team Midden"));
        let r = app
            .api(
                &mut m,
                "GET",
                &format!("/api/v1/organisations/{}/hr/snapshots", org.id),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(
            r.json()["snapshots"][0]["employees"].is_null(),
            "{}",
            r.body
        );
        let mut mc = app.login("mgr@klein.example").await;
        let p = app
            .get(&mut mc, &format!("/organisaties/{}/nulmeting", org.id))
            .await;
        assert_eq!(p.status, StatusCode::OK);
        assert!(p.body.contains("Te weinig medewerkers"));
        assert!(!p.body.contains("Team Groot"));
        assert!(
            !p.body.contains("Bestand inlezen"),
            "managers cannot upload"
        );
        // A manager cannot import; a planner sees no HR figures.
        let r = app
            .api(
                &mut m,
                "POST",
                &format!(
                    "/api/v1/organisations/{}/hr/snapshots?date=2025-02-01",
                    org.id
                ),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let mut pl = app.api_client(planner.id).await;
        let r = app
            .api(
                &mut pl,
                "GET",
                &format!("/api/v1/organisations/{}/hr/picture", org.id),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);

        // An API import with an error names row and field and writes nothing.
        let bad = small_teams_csv().replace(
            "105;Team Groot;Verzorgende IG;24",
            "105;Team Groot;Verzorgende IG;3,5O",
        );
        let req = Request::builder()
            .method("POST")
            .uri(format!(
                "/api/v1/organisations/{}/hr/snapshots?date=2025-03-01",
                org.id
            ))
            .header(header::HOST, "localhost")
            .header(
                header::AUTHORIZATION,
                format!("Bearer {}", api.bearer.clone().unwrap()),
            )
            .body(Body::from(bad))
            .unwrap();
        let r = app.send(&mut api, req).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.body.contains("3,5O"), "{}", r.body);
        assert_eq!(r.json()["problems"][0]["row"], 6);
        assert_eq!(app.store().hr_snapshots(org.id).await.unwrap().len(), 1);
        app
    })
    .await;
}

#[tokio::test]
async fn hr_pages_of_another_organisation_are_closed() {
    on_each_backend(|app| async move {
        let a = app.org("Organisatie A").await;
        let b = app.org("Organisatie B").await;
        let a_team = app
            .store()
            .create_team(a.id, "Team A1", None)
            .await
            .unwrap();
        app.user("hr@b.example", Role::OrgAdmin, Some(b.id), vec![])
            .await;
        // B has a snapshot and an upload waiting for its mapping step.
        let mut bc = app.login("hr@b.example").await;
        let r = upload(
            &app,
            &mut bc,
            &format!("/organisaties/{}/nulmeting/bestand", b.id),
            &[("soort", "hr"), ("peildatum", "2024-03-01")],
            "hr.csv",
            REFERENCE.as_bytes(),
        )
        .await;
        let b_mapping = r.location().to_string();
        let mut right = RIGHT.to_vec();
        right.push(("actie", "inlezen"));
        let r = app.post_form(&mut bc, &b_mapping, &right).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let r = upload(
            &app,
            &mut bc,
            &format!("/organisaties/{}/nulmeting/bestand", b.id),
            &[("soort", "hr"), ("peildatum", "2024-09-01")],
            "hr.csv",
            REFERENCE.as_bytes(),
        )
        .await;
        let b_pending = r.location().to_string();
        let snap = app.store().hr_snapshots(b.id).await.unwrap()[0].clone();
        let before = format!("{:?}", app.store().hr_snapshots(b.id).await.unwrap());

        for (email, role, teams) in [
            ("hr@a.example", Role::OrgAdmin, vec![]),
            ("manager@a.example", Role::Manager, vec![a_team.id]),
            ("planner@a.example", Role::Planner, vec![a_team.id]),
        ] {
            app.user(email, role, Some(a.id), teams).await;
            let mut c = app.login(email).await;
            for route in [
                format!("/organisaties/{}/nulmeting", b.id),
                format!("/organisaties/{}/nulmeting?peildatum=2024-03-01", b.id),
                b_pending.clone(),
                "/nulmeting/sectorcijfers".to_string(),
            ] {
                let r = app.get(&mut c, &route).await;
                assert!(
                    r.status == StatusCode::NOT_FOUND || r.status == StatusCode::FORBIDDEN,
                    "{email} GET {route}: {}",
                    r.status
                );
                assert!(
                    !r.body.contains("Sint Jozef"),
                    "{email} GET {route} shows B"
                );
            }
            // The pending upload of B, even if A's id is put in the URL.
            let stolen = b_pending.replace(
                &format!("/organisaties/{}/", b.id),
                &format!("/organisaties/{}/", a.id),
            );
            for route in [
                b_pending.clone(),
                stolen.clone(),
                format!("/organisaties/{}/nulmeting/loonkosten", b.id),
                format!("/organisaties/{}/nulmeting/pnil", b.id),
                format!("/organisaties/{}/nulmeting/pnil/verwijderen", b.id),
                format!(
                    "/organisaties/{}/nulmeting/momentopnamen/{}/verwijderen",
                    b.id, snap.id
                ),
                format!(
                    "/organisaties/{}/nulmeting/momentopnamen/{}/verwijderen",
                    a.id, snap.id
                ),
                "/nulmeting/sectorcijfers".to_string(),
            ] {
                let mut fields = right.clone();
                fields.push(("loonkosten", "1"));
                fields.push(("maand", "01-2024"));
                fields.push(("bedrag", "100"));
                fields.push(("toml", "x"));
                let r = app.post_form(&mut c, &route, &fields).await;
                assert!(
                    r.status == StatusCode::NOT_FOUND || r.status == StatusCode::FORBIDDEN,
                    "{email} POST {route}: {}",
                    r.status
                );
            }
            // The API, with B's data present.
            let me = app.store().user_by_email(email).await.unwrap();
            let mut api = app.api_client(me.id).await;
            for (method, path) in [
                ("GET", "snapshots"),
                ("GET", "picture"),
                ("GET", "picture?date=2024-03-01"),
                ("GET", "gap"),
                ("GET", "compare?from=2024-03-01&to=2024-03-01"),
                ("GET", "pnil"),
                ("POST", "snapshots?date=2024-05-01"),
                ("POST", "pnil"),
            ] {
                let uri = format!("/api/v1/organisations/{}/hr/{path}", b.id);
                let r = app.api(&mut api, method, &uri, None).await;
                assert!(
                    r.status == StatusCode::NOT_FOUND || r.status == StatusCode::FORBIDDEN,
                    "{email} {method} {uri}: {}",
                    r.status
                );
                assert!(!r.body.contains("Sint Jozef"), "{email} {uri} shows B");
            }
            let r = upload(
                &app,
                &mut c,
                &format!("/organisaties/{}/nulmeting/bestand", b.id),
                &[("soort", "hr"), ("peildatum", "2024-05-01")],
                "x.csv",
                REFERENCE.as_bytes(),
            )
            .await;
            assert!(
                r.status == StatusCode::NOT_FOUND || r.status == StatusCode::FORBIDDEN,
                "{email} upload into B: {}",
                r.status
            );
        }
        assert_eq!(
            before,
            format!("{:?}", app.store().hr_snapshots(b.id).await.unwrap()),
            "B's snapshots changed"
        );
        assert_eq!(app.store().hr_wage_cost(b.id).await.unwrap(), None);
        assert!(app.store().pnil_entries(b.id).await.unwrap().is_empty());
        app
    })
    .await;
}

#[tokio::test]
async fn demo_region_shows_picture_comparison_and_pnil_trend() {
    on_each_backend(|app| async move {
        app::demo::load(app.store()).await.unwrap().unwrap();
        let org = app
            .store()
            .find_organisation("Zorggroep De Dinkel")
            .await
            .unwrap();
        let snaps = app.store().hr_snapshots(org.id).await.unwrap();
        // The HR demo's two of 2025, and the one made for the Fase 0 round (October 2026).
        assert_eq!(snaps.len(), 3);
        assert_eq!(snaps[0].peildatum, "2025-01-01");
        assert_eq!(snaps[1].peildatum, "2025-07-01");
        assert_eq!(snaps[2].peildatum, "2026-10-01");
        assert!(!app.store().pnil_entries(org.id).await.unwrap().is_empty());
        app.user("hr2@dedinkel.example", Role::OrgAdmin, Some(org.id), vec![])
            .await;
        let mut c = app.login("hr2@dedinkel.example").await;
        let p = app
            .get(&mut c, &format!("/organisaties/{}/nulmeting", org.id))
            .await;
        assert_eq!(p.status, StatusCode::OK);
        assert!(p.body.contains("Peildatum 01-10-2026"), "{}", p.body);
        let v = app
            .get(
                &mut c,
                &format!("/organisaties/{}/nulmeting/vergelijking", org.id),
            )
            .await;
        assert!(v.body.contains("Contracten uitgebreid"), "{}", v.body);
        let p = app
            .get(&mut c, &format!("/organisaties/{}/nulmeting/pnil", org.id))
            .await;
        assert!(p.body.contains("Kosten per maand"));
        assert!(
            p.body.contains("dalend"),
            "PNIL trend falls after contracts grew"
        );
        let mut api = app
            .api_client(
                app.store()
                    .user_by_email("hr2@dedinkel.example")
                    .await
                    .unwrap()
                    .id,
            )
            .await;
        let r = app
            .api(
                &mut api,
                "GET",
                &format!(
                    "/api/v1/organisations/{}/hr/compare?from=2025-01-01&to=2025-07-01",
                    org.id
                ),
                None,
            )
            .await;
        let v = r.json();
        assert!(
            v["comparison"]["contracts_grown"].as_u64().unwrap() >= 10,
            "{v}"
        );
        assert!(v["comparison"]["fte_added"].as_f64().unwrap() > 1.0, "{v}");
        assert!(v["comparison"].get("employees").is_none());
        app
    })
    .await;
}

#[tokio::test]
async fn pnil_by_form_with_dutch_amounts_and_wage_cost() {
    on_each_backend(|app| async move {
        let org = app.org("Zorggroep PNIL").await;
        app.user("hr@pnil.example", Role::OrgAdmin, Some(org.id), vec![])
            .await;
        let mut c = app.login("hr@pnil.example").await;
        let base = format!("/organisaties/{}/nulmeting", org.id);
        let r = app
            .post_form(
                &mut c,
                &format!("{base}/pnil"),
                &[("maand", "03-2025"), ("bedrag", "12,5O"), ("soort", "zzp")],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let p = app.get(&mut c, &base).await;
        assert!(
            p.body.contains("Bedrag: &#39;12,5O&#39; is geen bedrag"),
            "{}",
            p.body
        );
        for (m, amount) in [
            ("01-2025", "12.500,00"),
            ("02-2025", "10.000"),
            ("03-2025", "7.500,50"),
        ] {
            let r = app
                .post_form(
                    &mut c,
                    &format!("{base}/pnil"),
                    &[
                        ("maand", m),
                        ("bedrag", amount),
                        ("soort", "uitzend"),
                        ("team", "Team Es"),
                    ],
                )
                .await;
            assert_eq!(r.status, StatusCode::SEE_OTHER);
        }
        let r = app
            .post_form(
                &mut c,
                &format!("{base}/loonkosten"),
                &[("loonkosten", "58.000")],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(
            app.store().hr_wage_cost(org.id).await.unwrap(),
            Some(5_800_000)
        );
        // Issue 27's defect: "58000.50" was read as 5.800.050 euros (every dot deleted,
        // then a float); now it is 58.000,50 euros, exactly, as are the Dutch spellings.
        for (typed, cents) in [
            ("58000.50", 5_800_050),
            ("58.000,50", 5_800_050),
            ("€ 58.000", 5_800_000),
        ] {
            let r = app
                .post_form(&mut c, &format!("{base}/loonkosten"), &[("loonkosten", typed)])
                .await;
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{typed}");
            assert_eq!(
                app.store().hr_wage_cost(org.id).await.unwrap(),
                Some(cents),
                "{typed}"
            );
        }
        let r = app
            .post_form(&mut c, &format!("{base}/loonkosten"), &[("loonkosten", "58.000")])
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let p = app.get(&mut c, &format!("{base}/pnil")).await;
        assert!(p.body.contains("€ 7.500,50"), "{}", p.body);
        assert!(p.body.contains("€ 30.000,50"), "year total");
        assert!(p.body.contains("dalend"));
        assert!(p.body.contains("eigen fte"));
        let mut api = app
            .api_client(
                app.store()
                    .user_by_email("hr@pnil.example")
                    .await
                    .unwrap()
                    .id,
            )
            .await;
        let r = app
            .api(
                &mut api,
                "GET",
                &format!("/api/v1/organisations/{}/hr/pnil", org.id),
                None,
            )
            .await;
        assert_eq!(r.json()["summary"]["years"][0]["total_cents"], 3_000_050);
        // A PNIL file through the upload and mapping step replaces the months it holds.
        let file = "Periode;Kostenplaats;Soort inhuur;Kosten\n04-2025;Team Es;ZZP;4.000,00\n05-2025;Team Es;Uitzendbureau;3.000,00\n";
        let r = upload(&app, &mut c, &format!("{base}/bestand"), &[("soort", "pnil")], "pnil.csv", file.as_bytes()).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let mapping_url = r.location().to_string();
        let m = app.get(&mut c, &mapping_url).await;
        assert!(m.body.contains("PNIL-kosten koppelen"), "{}", m.body);
        let r = app
            .post_form(
                &mut c,
                &mapping_url,
                &[
                    ("map_month", "Periode"),
                    ("map_team", "Kostenplaats"),
                    ("map_kind", "Soort inhuur"),
                    ("map_amount", "Kosten"),
                    ("actie", "inlezen"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert!(r.location().ends_with("/nulmeting/pnil"), "{}", r.location());
        let p = app.get(&mut c, r.location()).await;
        assert!(p.body.contains("Ingelezen: 2 kostenregels over 2 maanden"), "{}", p.body);
        assert_eq!(app.store().pnil_entries(org.id).await.unwrap().len(), 5);
        let r = app
            .post_form(
                &mut c,
                &format!("{base}/pnil/verwijderen"),
                &[("maand", "2025-03")],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(app.store().pnil_entries(org.id).await.unwrap().len(), 4);
        app
    })
    .await;
}

/// The sector figures are edited in a plain form (issue 33: no TOML for users): a Dutch
/// number is stored, a mistake is refused naming the figure and the fix and changes
/// nothing, and the shipped figures can be put back.
#[tokio::test]
async fn sector_figures_are_edited_in_a_form() {
    on_each_backend(|app| async move {
        app.user("pl@sector.example", Role::ProgrammeAdmin, None, vec![])
            .await;
        let mut c = app.login("pl@sector.example").await;
        let url = "/nulmeting/sectorcijfers";
        let page = app.get(&mut c, url).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(!page.body.contains("TOML") && !page.body.contains("<textarea"));
        assert!(page.body.contains("name=\"f_0_waarde\""), "{}", page.body);

        // Post the form back as shown, with one value changed.
        let inputs = form_inputs(&page.body);
        let key_of_average = inputs
            .iter()
            .find(|(_, v)| v == hr::benchmark::AVERAGE_CONTRACT_HOURS)
            .map(|(k, _)| k.trim_end_matches("_key").to_string())
            .expect("the average contract hours on the form");
        let with = |name: &str, value: &str| -> Vec<(String, String)> {
            inputs
                .iter()
                .map(|(k, v)| {
                    if k == name {
                        (k.clone(), value.to_string())
                    } else {
                        (k.clone(), v.clone())
                    }
                })
                .chain([("actie".to_string(), "opslaan".to_string())])
                .collect()
        };
        let fields = with(&format!("{key_of_average}_waarde"), "25,3");
        let refs: Vec<(&str, &str)> = fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let r = app.post_form(&mut c, url, &refs).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let b = app::nulmeting::benchmarks(app.store()).await.unwrap();
        assert_eq!(
            b.figure(hr::benchmark::AVERAGE_CONTRACT_HOURS)
                .unwrap()
                .value
                .to_string(),
            "25.3"
        );

        let fields = with(&format!("{key_of_average}_waarde"), "veel");
        let refs: Vec<(&str, &str)> = fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let r = app.post_form(&mut c, url, &refs).await;
        let shown = app.get(&mut c, r.location()).await;
        assert!(
            shown.body.contains("&#39;veel&#39; is geen getal")
                || shown.body.contains("'veel' is geen getal"),
            "{}",
            shown.body
        );
        let b = app::nulmeting::benchmarks(app.store()).await.unwrap();
        assert_eq!(
            b.figure(hr::benchmark::AVERAGE_CONTRACT_HOURS)
                .unwrap()
                .value
                .to_string(),
            "25.3",
            "a refused form changes nothing"
        );

        let r = app.post_form(&mut c, url, &[("actie", "herstellen")]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let b = app::nulmeting::benchmarks(app.store()).await.unwrap();
        assert_eq!(
            b.figure(hr::benchmark::AVERAGE_CONTRACT_HOURS)
                .unwrap()
                .value
                .to_string(),
            "24.9"
        );
        app
    })
    .await;
}

/// Every `<input name=… value=…>` of a page, in order (csrf included).
fn form_inputs(html: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for tag in html.split("<input").skip(1) {
        let tag = &tag[..tag.find('>').unwrap_or(tag.len())];
        let attr = |name: &str| {
            let needle = format!(" {name}=\"");
            tag.find(&needle).map(|i| {
                let rest = &tag[i + needle.len()..];
                rest[..rest.find('"').unwrap_or(rest.len())].to_string()
            })
        };
        if let Some(name) = attr("name") {
            let value = attr("value").unwrap_or_default();
            out.push((name, html_unescape(&value)));
        }
    }
    out
}

fn html_unescape(s: &str) -> String {
    s.replace("&#39;", "'")
        .replace("&quot;", "\"")
        .replace("&#34;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}
