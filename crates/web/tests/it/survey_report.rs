//! The survey results page as a report (issue 33), on the demo's largest closed round
//! (De Dinkel, 100 responses): under 200 KB of HTML, a chart with its numbers per
//! question, breakdowns folded, one explanation of hidden figures, Dutch names instead of
//! export codes, and the same hidden figures as before (the attack tests cover those).

use crate::helpers::*;

/// The largest closed round of the loaded demo and its organisation's admin.
async fn largest_demo_round(app: &TestApp) -> (store::SurveyRound, store::User) {
    let mut largest: Option<(usize, store::SurveyRound)> = None;
    for org in app.store().organisations().await.unwrap() {
        for round in app.store().survey_rounds(org.id).await.unwrap() {
            if round.status != "gesloten" {
                continue;
            }
            let n = app.store().survey_responses(round.id).await.unwrap().len();
            if largest.as_ref().is_none_or(|(m, _)| n > *m) {
                largest = Some((n, round));
            }
        }
    }
    let (n, round) = largest.expect("a closed demo round");
    assert_eq!(n, 100, "the largest demo round is De Dinkel's");
    let admin = app
        .store()
        .users(Some(round.org_id))
        .await
        .unwrap()
        .into_iter()
        .find(|u| u.role == store::Role::OrgAdmin)
        .unwrap();
    (round, admin)
}

#[tokio::test]
async fn demo_results_page_is_a_readable_report_under_200_kb() {
    on_each_backend(|app| async move {
        let demo = app::demo::load(app.store()).await.unwrap().unwrap();
        let (round, admin) = largest_demo_round(&app).await;
        let password = &demo
            .accounts
            .iter()
            .find(|a| a.email == admin.email)
            .unwrap()
            .password;
        let state = web::AppState::new(app.store().clone(), web::WebConfig::default());
        let html = web::survey_results_html(&state, admin.clone(), round.id)
            .await
            .unwrap();
        assert!(
            html.len() < 200 * 1024,
            "the results page is {} bytes",
            html.len()
        );
        // The same page through the router (login, handler) is the same size.
        let mut c = app.login_with(&admin.email, password).await;
        let page = app
            .get(&mut c, &format!("/enquetes/{}/resultaten", round.id))
            .await;
        assert_eq!(page.status, axum::http::StatusCode::OK);
        assert!(page.body.len() < 200 * 1024, "{} bytes", page.body.len());

        // One explanation of hidden figures, at the top.
        assert_eq!(html.matches("betekent: verborgen, niet nul").count(), 1);
        let explained = html.find("betekent: verborgen, niet nul").unwrap();
        let first_question = html.find("class=\"report-question\"").unwrap();
        assert!(explained < first_question);
        // Per choice question a chart with a title, a description and intervals, and
        // the numbers beside it; the reference case's 31% "onder voorwaarden".
        let charts = html.matches("<svg").count();
        assert!(charts >= 8, "{charts} charts");
        assert_eq!(html.matches("role=\"img\"").count(), charts);
        assert_eq!(html.matches("-title\">").count(), charts);
        assert_eq!(html.matches("-desc\">").count(), charts);
        assert!(
            html.contains("Ja, onder voorwaarden: 31% (95%-interval"),
            "no interval"
        );
        assert!(html.contains(
            "<td>Ja, onder voorwaarden</td><td class=\"num\">31</td><td class=\"num\">31%</td>"
        ));
        // Breakdowns folded: no details element is open for an admin.
        let details = html.matches("<details").count();
        assert!(details >= charts, "{details} folded breakdowns");
        assert!(!html.contains("<details class=\"report-breakdown\" open"));
        // A team below the minimum shows no figure; its rows are hidden cells only.
        // (A hidden cell reads "verborgen" to screen readers and shows a dash.)
        assert!(html.contains("<td class=\"num hid\">verborgen</td>"));
        // Dutch names, not export codes.
        for code in [
            "tot_12",
            "function_level",
            "contract_hours_band",
            "age_band",
        ] {
            assert!(!html.contains(&format!(">{code}<")), "{code} shown");
        }
        assert!(html.contains("Minder dan 12 uur") || html.contains("12 tot 20 uur"));
        // Every scroll wrapper can be reached with the keyboard and has a name.
        assert_eq!(
            html.matches("class=\"table-wrap\"").count(),
            html.matches("class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"")
                .count()
        );
        let main = html
            .split("<main")
            .nth(1)
            .and_then(|m| m.split("</main>").next())
            .unwrap()
            .to_string();
        insta::assert_snapshot!("demo_results_report", main);
        app
    })
    .await;
}
