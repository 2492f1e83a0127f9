//! Roostersessies (issue 32): upload a roster with the mapping step, the scan page per
//! role (names only for the team's planners), bad input named by row and field, the API
//! twins, and a design run by the job worker with progress, result and cancel.

use axum::http::StatusCode;
use store::Role;

use crate::helpers::{TestApp, on_each_backend};

/// Two weeks of a small team: short mornings and evenings, one split shift, names.
pub fn sample_csv() -> String {
    let mut s = String::from("Personeelsnr;Naam;Datum;Van;Tot;Pauze;Dienst;Contracturen\n");
    let staff = [
        ("1001", "Anna de Vries", "07:00", "11:00", "V4"),
        ("1002", "Bram Jansen", "17:00", "21:00", "A4"),
        ("1003", "Cora Smit", "07:00", "15:00", "V"),
        ("1004", "Dirk Mulder", "15:00", "23:00", "L"),
        ("1005", "Eva Bos", "11:00", "17:00", "D"),
    ];
    for day in 2..16 {
        for (k, (nr, name, from, to, code)) in staff.iter().enumerate() {
            if (day + k) % 7 >= 5 {
                continue;
            }
            let brk = if code.len() == 1 { 30 } else { 0 };
            s.push_str(&format!(
                "{nr};{name};{day:02}-03-2026;{from};{to};{brk};{code};24\n"
            ));
        }
    }
    // A split shift: Anna comes back in the evening.
    s.push_str("1001;Anna de Vries;03-03-2026;17:00;20:00;0;A3;24\n");
    s
}

struct Team {
    org: store::Organisation,
    team: i64,
}

async fn setup(app: &TestApp) -> Team {
    let org = app.org("Zorggroep Roosters").await;
    let team = app
        .store()
        .create_team(org.id, "Team Zon", None)
        .await
        .unwrap();
    let other = app
        .store()
        .create_team(org.id, "Team Maan", None)
        .await
        .unwrap();
    app.user(
        "planner@r.example",
        Role::Planner,
        Some(org.id),
        vec![team.id],
    )
    .await;
    app.user(
        "planner2@r.example",
        Role::Planner,
        Some(org.id),
        vec![other.id],
    )
    .await;
    app.user(
        "manager@r.example",
        Role::Manager,
        Some(org.id),
        vec![team.id],
    )
    .await;
    app.user("hr@r.example", Role::OrgAdmin, Some(org.id), vec![])
        .await;
    Team { org, team: team.id }
}

/// Uploads and reads in the sample as the planner (with the name column); returns the
/// scan page's address.
async fn planner_uploads(app: &TestApp, t: &Team) -> String {
    let mut c = app.login("planner@r.example").await;
    let base = format!("/organisaties/{}/roosters", t.org.id);
    let r = crate::hr::upload(
        app,
        &mut c,
        &format!("{base}/bestand"),
        &[("team_id", &t.team.to_string())],
        "rooster.csv",
        sample_csv().as_bytes(),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let mapping = r.location().to_string();
    assert!(mapping.contains("/roosters/koppelen/"), "{mapping}");
    let page = app.get(&mut c, &mapping).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Personeelsnummer"));
    // The proposal found every column, the name column included.
    let r = app
        .post_form(
            &mut c,
            &mapping,
            &[
                ("actie", "inlezen"),
                ("map_personeelsnummer", "0"),
                ("map_naam", "1"),
                ("map_datum", "2"),
                ("map_begintijd", "3"),
                ("map_eindtijd", "4"),
                ("map_pauze", "5"),
                ("map_dienstcode", "6"),
                ("map_contracturen", "7"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let scan = r.location().to_string();
    assert!(scan.starts_with(&format!("{base}/")), "{scan}");
    scan
}

#[tokio::test]
async fn upload_scan_page_and_who_sees_names() {
    on_each_backend(|app| async move {
        let t = setup(&app).await;
        let scan = planner_uploads(&app, &t).await;
        // The planner of the team sees names, the heatmap with peaks and the reading.
        let mut planner = app.login("planner@r.example").await;
        let page = app.get(&mut planner, &scan).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert!(page.body.contains("Anna de Vries"), "planner sees names");
        assert!(page.body.contains("<svg"), "heatmap");
        assert!(page.body.contains("(piek)"), "peaks marked");
        assert!(page.body.contains("Wat houdt grotere contracten tegen?"));
        assert!(
            page.body.contains("Ontwerp rooster"),
            "the planner may design"
        );
        // The manager and the organisation admin see numbers, never names.
        for email in ["manager@r.example", "hr@r.example"] {
            let mut c = app.login(email).await;
            let page = app.get(&mut c, &scan).await;
            assert_eq!(page.status, StatusCode::OK, "{email}");
            assert!(!page.body.contains("Anna"), "{email} sees a name");
            assert!(page.body.contains("Medewerker 1"), "{email}");
        }
        let mut m = app.login("manager@r.example").await;
        assert!(
            !app.get(&mut m, &scan)
                .await
                .body
                .contains("Ontwerp rooster")
        );
        // A planner of another team sees nothing of it.
        let mut p2 = app.login("planner2@r.example").await;
        let r = app.get(&mut p2, &scan).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let list = app
            .get(&mut p2, &format!("/organisaties/{}/roosters", t.org.id))
            .await;
        assert!(!list.body.contains("Team Zon"));
        // No name is stored in the clear.
        let scans = app.store().roster_scans(t.org.id).await.unwrap();
        assert_eq!(scans.len(), 1);
        assert!(scans[0].has_names);
        let data = app
            .store()
            .roster_scan_data(t.org.id, scans[0].id)
            .await
            .unwrap();
        for text in [
            &data.export_json,
            &data.report_json,
            data.names_sealed.as_ref().unwrap(),
        ] {
            assert!(
                !text.contains("Anna") && !text.contains("1001;"),
                "clear text stored"
            );
        }
        // The summary went to the Fase 0 checklist.
        assert_eq!(
            app.store()
                .roster_scan_summaries(t.org.id)
                .await
                .unwrap()
                .len(),
            1
        );
        app
    })
    .await;
}

#[tokio::test]
async fn a_bad_row_is_named_and_nothing_is_stored() {
    on_each_backend(|app| async move {
        let t = setup(&app).await;
        let mut c = app.login("planner@r.example").await;
        let base = format!("/organisaties/{}/roosters", t.org.id);
        let csv = sample_csv().replacen("02-03-2026;07:00", "02-03-2026;laat", 1);
        let r = crate::hr::upload(
            &app,
            &mut c,
            &format!("{base}/bestand"),
            &[("team_id", &t.team.to_string())],
            "rooster.csv",
            csv.as_bytes(),
        )
        .await;
        let mapping = r.location().to_string();
        let r = app
            .post_form(
                &mut c,
                &mapping,
                &[
                    ("actie", "inlezen"),
                    ("map_personeelsnummer", "0"),
                    ("map_datum", "2"),
                    ("map_begintijd", "3"),
                    ("map_eindtijd", "4"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let page = app.get(&mut c, &mapping).await;
        assert!(
            page.body.contains("rij 2, veld &#39;begintijd&#39;")
                || page.body.contains("rij 2, veld 'begintijd'"),
            "{}",
            page.body
        );
        assert!(app.store().roster_scans(t.org.id).await.unwrap().is_empty());
        // A manager may not upload.
        let mut m = app.login("manager@r.example").await;
        let r = crate::hr::upload(
            &app,
            &mut m,
            &format!("{base}/bestand"),
            &[("team_id", &t.team.to_string())],
            "rooster.csv",
            sample_csv().as_bytes(),
        )
        .await;
        assert!(
            r.status == StatusCode::FORBIDDEN || r.location().contains("/roosters"),
            "{}",
            r.status
        );
        assert!(app.store().roster_scans(t.org.id).await.unwrap().is_empty());
        app
    })
    .await;
}

#[tokio::test]
async fn api_upload_design_by_the_worker_and_cancel() {
    on_each_backend(|app| async move {
        let t = setup(&app).await;
        let planner = app.store().user_by_email("planner@r.example").await.unwrap();
        let mut c = app.api_client(planner.id).await;
        let base = format!("/api/v1/organisations/{}", t.org.id);
        // Upload through the API: the body is the file, columns proposed.
        let req = axum::http::Request::builder()
            .method("POST")
            .uri(format!(
                "{base}/roster-scans?team_id={}&file_name=rooster.csv&map_naam=Naam",
                t.team
            ))
            .header("host", "localhost")
            .header(
                "authorization",
                format!("Bearer {}", c.bearer.clone().unwrap()),
            )
            .header("content-type", "text/csv")
            .body(axum::body::Body::from(sample_csv()))
            .unwrap();
        let r = app.send(&mut c, req).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let scan_id = r.json()["scan"]["id"].as_i64().unwrap();
        let list = app.api(&mut c, "GET", &format!("{base}/roster-scans"), None).await;
        assert_eq!(list.json()["scans"].as_array().unwrap().len(), 1);
        let one = app
            .api(&mut c, "GET", &format!("{base}/roster-scans/{scan_id}"), None)
            .await;
        assert_eq!(one.status, StatusCode::OK);
        assert_eq!(one.json()["report"]["staffing_curve"].as_array().unwrap().len(), 7);
        assert_eq!(one.json()["names_shown"], true);
        // A bad design request is named.
        let r = app
            .api(
                &mut c,
                "POST",
                &format!("{base}/roster-designs"),
                Some(serde_json::json!({"scan_id": scan_id, "seconds": 10000})),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        // Start a design with a short limit; the worker runs it.
        let r = app
            .api(
                &mut c,
                "POST",
                &format!("{base}/roster-designs"),
                Some(serde_json::json!({
                    "scan_id": scan_id, "seconds": 2,
                    "employees": [{"employee": "Eva Bos", "desired_hours": 28, "fixed_days_off": [2]}],
                })),
            )
            .await;
        assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
        let design = r.json()["design"]["id"].as_i64().unwrap();
        let status = app
            .api(&mut c, "GET", &format!("{base}/roster-designs/{design}"), None)
            .await;
        assert_eq!(status.json()["design"]["status"], "queued");
        let worker = app::maintenance::standard_worker(
            app.store().clone(),
            app::jobs::WorkerConfig::new("test"),
        );
        let ran = worker.run_once().await.unwrap();
        assert!(matches!(ran, app::jobs::Ran::Job { ref status, .. } if status == "done"), "{ran:?}");
        let status = app
            .api(&mut c, "GET", &format!("{base}/roster-designs/{design}"), None)
            .await;
        let d = &status.json()["design"];
        assert_eq!(d["status"], "done", "{d}");
        let res = &d["result"];
        assert_eq!(res["found"], true, "{res}");
        for k in ["opkomstmomenten", "short_shifts", "scheduled_hours", "under_coverage_hours", "over_coverage_hours", "atw_breaches"] {
            assert!(res["before"][k].is_number() && res["after"][k].is_number(), "{k}");
        }
        assert!(res["absorbed_contract_hours_per_week"].is_number());
        // Eva's fixed day off (Wednesday) is respected in the grid.
        let eva = res["roster"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["employee"] == "Eva Bos")
            .unwrap();
        let dates = res["dates"].as_array().unwrap();
        for (i, code) in eva["days"].as_array().unwrap().iter().enumerate() {
            let date = chrono::NaiveDate::parse_from_str(dates[i].as_str().unwrap(), "%Y-%m-%d").unwrap();
            if chrono::Datelike::weekday(&date) == chrono::Weekday::Wed {
                assert_eq!(code, "", "Eva works on her day off");
            }
        }
        // The design page and its CSV for the planner; the manager reads it by numbers.
        let mut p = app.login("planner@r.example").await;
        let page = app
            .get(&mut p, &format!("/organisaties/{}/roosters/ontwerpen/{design}", t.org.id))
            .await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("Voor en na"), "{}", page.body);
        let csv = app
            .get(&mut p, &format!("/organisaties/{}/roosters/ontwerpen/{design}/voorstel.csv", t.org.id))
            .await;
        assert!(csv.body.starts_with("personeelsnummer;team;datum"));
        let xlsx = app
            .get(&mut p, &format!("/organisaties/{}/roosters/ontwerpen/{design}/voorstel.xlsx", t.org.id))
            .await;
        assert_eq!(xlsx.status, StatusCode::OK);
        assert!(xlsx.body.starts_with("PK"), "an XLSX is a zip file");
        let grid = app
            .get(&mut p, &format!("/organisaties/{}/roosters/ontwerpen/{design}/afdrukken", t.org.id))
            .await;
        assert_eq!(grid.status, StatusCode::OK);
        assert!(grid.body.contains("roster-grid") && grid.body.contains("–\u{200b}"), "{}", grid.body);
        assert!(page.body.contains("/afdrukken") && page.body.contains("voorstel.xlsx"));
        let mut m = app.login("manager@r.example").await;
        let page = app
            .get(&mut m, &format!("/organisaties/{}/roosters/ontwerpen/{design}", t.org.id))
            .await;
        assert!(!page.body.contains("Eva Bos") && page.body.contains("Medewerker"));
        // A queued design is cancelled at once, through the page; the manager may not.
        let r = app
            .api(
                &mut c,
                "POST",
                &format!("{base}/roster-designs"),
                Some(serde_json::json!({"scan_id": scan_id, "seconds": 2})),
            )
            .await;
        let second = r.json()["design"]["id"].as_i64().unwrap();
        let cancel = format!("/organisaties/{}/roosters/ontwerpen/{second}/stoppen", t.org.id);
        let r = app.post_form(&mut m, &cancel, &[]).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let r = app.post_form(&mut p, &cancel, &[]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let s = app
            .api(&mut c, "GET", &format!("{base}/roster-designs/{second}"), None)
            .await;
        assert_eq!(s.json()["design"]["status"], "cancelled");
        assert_eq!(worker.run_once().await.unwrap(), app::jobs::Ran::Idle);
        app
    })
    .await;
}
