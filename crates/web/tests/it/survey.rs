//! The survey end to end: a respondent answers a whole questionnaire through the pages
//! (steps, validation, back, resume, submit), open links with the duplicate guard, and
//! suppression on every output (pages, CSV, XLSX, API) checked by subtracting shown
//! figures from totals.

use axum::http::StatusCode;
use store::{NewResponse, Role};
use survey::{Answer, Response};

use crate::helpers::{Client, TestApp, on_each_backend};

/// An open round of `org` with `teams`, running from last week to next week.
pub async fn round(app: &TestApp, org: i64, teams: &[i64]) -> i64 {
    crate::helpers::open_round(app, org, teams).await
}

pub fn csrf_cookie(c: &Client) -> String {
    c.cookies
        .iter()
        .find(|(k, _)| k == "uw_csrf")
        .map(|(_, v)| v.clone())
        .expect("csrf cookie set by the survey page")
}

/// Posts one step and returns the reply.
pub async fn step(
    app: &TestApp,
    c: &mut Client,
    key: &str,
    stap: &str,
    fields: &[(&str, &str)],
) -> crate::helpers::Reply {
    let mut all: Vec<(&str, &str)> = vec![("stap", stap), ("lang", "nl")];
    all.extend_from_slice(fields);
    app.post_form(c, &format!("/enquete/{key}"), &all).await
}

#[tokio::test]
async fn a_respondent_answers_the_whole_survey_through_the_pages() {
    on_each_backend(|app| async move {
        let org = app.org("Zorg Oost").await;
        let team = app
            .store()
            .create_team(org.id, "Team Linde", None)
            .await
            .unwrap();
        let round_id = round(&app, org.id, &[team.id]).await;
        let code = "ABCD-EFGH-JKMN";
        app.store()
            .add_survey_codes(round_id, team.id, &[store::hash_secret(code)])
            .await
            .unwrap();

        let mut c = Client::default();
        // Welcome page, typed in lower case without dashes.
        let r = app.get(&mut c, "/enquete/abcdefghjkmn").await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(r.body.contains("Beginnen"));
        c.csrf = csrf_cookie(&c);

        // Step 1: hours. An empty required field gives a linked error message.
        let r = app.get(&mut c, &format!("/enquete/{code}?stap=uren")).await;
        assert!(r.body.contains("Stap 1 van"), "{}", r.body);
        assert!(r.body.contains("<label for=\"q-contract_uren\">"));
        let r = step(
            &app,
            &mut c,
            code,
            "uren",
            &[
                ("contract_uren", "24"),
                ("gewerkte_uren", ""),
                ("gewenste_uren", "abc"),
            ],
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            r.body.contains("aria-describedby=\"gewerkte_uren-fout\""),
            "{}",
            r.body
        );
        assert!(r.body.contains("aria-invalid=\"true\""));
        assert!(r.body.contains("href=\"#q-gewenste_uren\""));
        let r = step(
            &app,
            &mut c,
            code,
            "uren",
            &[
                ("contract_uren", "24"),
                ("gewerkte_uren", "26,5"),
                ("gewenste_uren", "32"),
            ],
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert_eq!(
            r.location(),
            format!("/enquete/{code}?stap=meer_uren&lang=nl")
        );

        // Step 2 in English: openness "under conditions" leads to the conditions page.
        let r = app
            .get(&mut c, &format!("/enquete/{code}?stap=meer_uren&lang=en"))
            .await;
        assert!(r.body.contains("<html lang=\"en\">") && r.body.contains("Step 2 of"));
        // Issue 33: "Back" stands left of "Next" (before it in the page), and Enter still
        // means "Next": the form's first submit button is an off-screen copy of it.
        let back = r.body.find("value=\"vorige\"").expect("a back button");
        let next = r.body.rfind("value=\"volgende\"").expect("a next button");
        assert!(back < next, "Vorige comes before Volgende");
        let first = r.body.find("type=\"submit\"").unwrap();
        assert!(
            r.body[first..].starts_with("type=\"submit\" name=\"actie\" value=\"volgende\""),
            "the default button is Next"
        );
        let r = step(
            &app,
            &mut c,
            code,
            "meer_uren",
            &[("bereidheid", "ja_onder_voorwaarden")],
        )
        .await;
        assert_eq!(
            r.location(),
            format!("/enquete/{code}?stap=voorwaarden&lang=nl")
        );
        // Back navigation keeps the answers.
        let r = step(&app, &mut c, code, "voorwaarden", &[("actie", "vorige")]).await;
        assert_eq!(
            r.location(),
            format!("/enquete/{code}?stap=meer_uren&lang=nl")
        );
        let r = app
            .get(&mut c, &format!("/enquete/{code}?stap=meer_uren"))
            .await;
        assert!(
            r.body.contains("value=\"ja_onder_voorwaarden\" checked"),
            "{}",
            r.body
        );

        // Resume in the same browser; another device with the same code starts fresh
        // (issue 26: a draft is bound to the browser's secret as well as the code).
        let r = app.get(&mut c, &format!("/enquete/{code}")).await;
        assert!(r.body.contains("Verder gaan"), "{}", r.body);
        let mut other = Client::default();
        let r = app.get(&mut other, &format!("/enquete/{code}")).await;
        assert!(r.body.contains("Beginnen"), "{}", r.body);
        let r = app
            .get(&mut other, &format!("/enquete/{code}?stap=uren"))
            .await;
        assert!(!r.body.contains("value=\"26,5\""), "{}", r.body);

        let r = step(
            &app,
            &mut c,
            code,
            "voorwaarden",
            &[
                ("voorwaarden", "langere_diensten"),
                ("voorwaarden", "kinderopvang"),
            ],
        )
        .await;
        assert_eq!(
            r.location(),
            format!("/enquete/{code}?stap=geld_en_werk&lang=nl")
        );
        let r = step(
            &app,
            &mut c,
            code,
            "geld_en_werk",
            &[
                ("rondkomen", "lukt_net"),
                ("weet_netto", "nee"),
                ("tevredenheid_rooster", "3"),
                ("blijven", "zeker_wel"),
            ],
        )
        .await;
        assert_eq!(
            r.location(),
            format!("/enquete/{code}?stap=over_uzelf&lang=nl")
        );
        let r = app
            .get(&mut c, &format!("/enquete/{code}?stap=over_uzelf"))
            .await;
        assert!(r.body.contains("Versturen"));
        assert!(r.body.contains("<legend>"));
        let r = step(&app, &mut c, code, "over_uzelf", &[("leeftijd", "35_44")]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert_eq!(r.location(), "/enquete/klaar?lang=nl");
        let r = app.get(&mut c, "/enquete/klaar?lang=nl").await;
        assert!(r.body.contains("href=\"/berekenaar\""));

        // Stored: answers and the day, no code; the code is used; the draft is gone.
        let stored = app.store().survey_responses(round_id).await.unwrap();
        assert_eq!(stored.len(), 1);
        let resp: Response = serde_json::from_str(&stored[0].answers).unwrap();
        assert_eq!(
            resp.choices("voorwaarden"),
            ["langere_diensten", "kinderopvang"]
        );
        assert_eq!(resp.number("gewerkte_uren"), Some(26.5));
        assert!(!stored[0].answers.contains("ABCD") && stored[0].day.len() == 10);
        let browser = c
            .cookies
            .iter()
            .find(|(k, _)| k == "uw_enquete")
            .map(|(_, v)| v.clone())
            .unwrap();
        assert!(
            app.store()
                .survey_draft(&app::survey::code_draft_key(
                    &store::hash_secret(code),
                    &browser
                ))
                .await
                .unwrap()
                .is_none()
        );
        // A used code shows the same welcome page as an unused one (issue 26)...
        let r = app.get(&mut other, &format!("/enquete/{code}")).await;
        assert_eq!(r.status, StatusCode::OK);
        // ...until a step is posted: a second submission with the used code is refused.
        let r = step(&app, &mut c, code, "over_uzelf", &[("leeftijd", "35_44")]).await;
        assert_eq!(r.status, StatusCode::GONE);
        assert_eq!(
            app.store().survey_responses(round_id).await.unwrap().len(),
            1
        );
        app
    })
    .await;
}

pub async fn answer_all(app: &TestApp, c: &mut Client, key: &str) -> crate::helpers::Reply {
    let r = app.get(c, &format!("/enquete/{key}")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    c.csrf = csrf_cookie(c);
    step(
        app,
        c,
        key,
        "uren",
        &[
            ("contract_uren", "20"),
            ("gewerkte_uren", "20"),
            ("gewenste_uren", "20"),
        ],
    )
    .await;
    step(app, c, key, "meer_uren", &[("bereidheid", "weet_ik_niet")]).await;
    step(
        app,
        c,
        key,
        "geld_en_werk",
        &[
            ("rondkomen", "goed"),
            ("weet_netto", "ja"),
            ("tevredenheid_rooster", "4"),
            ("blijven", "zeker_wel"),
        ],
    )
    .await;
    step(app, c, key, "over_uzelf", &[]).await
}

#[tokio::test]
async fn open_links_refuse_a_second_response_from_the_same_browser() {
    on_each_backend(|app| async move {
        let org = app.org("Zorg Oost").await;
        let team = app
            .store()
            .create_team(org.id, "Team Linde", None)
            .await
            .unwrap();
        let round_id = round(&app, org.id, &[team.id]).await;
        let token = app.store().survey_round_teams(round_id).await.unwrap()[0]
            .open_token
            .clone();
        let mut c = Client::default();
        let r = answer_all(&app, &mut c, &token).await;
        assert_eq!(r.location(), "/enquete/klaar?lang=nl", "{}", r.body);
        assert!(c.cookies.iter().any(|(k, _)| k == "uw_enquete"));
        let r = app.get(&mut c, &format!("/enquete/{token}")).await;
        assert_eq!(r.status, StatusCode::CONFLICT);
        // Another browser may answer.
        let mut d = Client::default();
        let r = answer_all(&app, &mut d, &token).await;
        assert_eq!(r.location(), "/enquete/klaar?lang=nl");
        assert_eq!(
            app.store().survey_responses(round_id).await.unwrap().len(),
            2
        );
        // A closed round takes no answers.
        app.store()
            .set_survey_round_status(round_id, "gesloten")
            .await
            .unwrap();
        let mut e = Client::default();
        let r = app.get(&mut e, &format!("/enquete/{token}")).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        app
    })
    .await;
}

pub fn response(open: &str) -> String {
    let r = Response::new()
        .with("contract_uren", Answer::Number(20.0))
        .with("gewerkte_uren", Answer::Number(22.0))
        .with(
            "gewenste_uren",
            Answer::Number(if open.starts_with("ja") { 28.0 } else { 20.0 }),
        )
        .with("bereidheid", Answer::Choice(open.into()))
        .with("rondkomen", Answer::Choice("goed".into()))
        .with("weet_netto", Answer::Choice("ja".into()))
        .with("tevredenheid_rooster", Answer::Scale(3))
        .with("blijven", Answer::Choice("zeker_wel".into()));
    serde_json::to_string(&r).unwrap()
}

/// Organisation with k = 5: Eik 9, Linde 7, Wilg 3 respondents. Wilg is below k; Linde is
/// the complement (otherwise Wilg = total − Eik − Linde).
pub async fn suppression_world(app: &TestApp) -> (i64, i64, Vec<i64>) {
    let org = app.org("Zorg West").await;
    let mut ids = Vec::new();
    for name in ["Team Eik", "Team Linde", "Team Wilg"] {
        ids.push(
            app.store()
                .create_team(org.id, name, None)
                .await
                .unwrap()
                .id,
        );
    }
    let round_id = round(app, org.id, &ids).await;
    let mut rs = Vec::new();
    for (team, n) in ids.iter().zip([9, 7, 3]) {
        for i in 0..n {
            let open = ["ja_zeker", "ja_onder_voorwaarden", "nee"][i % 3];
            rs.push(NewResponse {
                team_id: Some(*team),
                version: 1,
                answers: response(open),
                day: "2026-11-20".into(),
                source: "code",
            });
        }
    }
    app.store()
        .import_survey_responses(round_id, &rs)
        .await
        .unwrap();
    (org.id, round_id, ids)
}

/// A cell text that is a figure (count, percentage, hours), not a label.
fn is_figure(s: &str) -> bool {
    let s = s.trim();
    s.chars().any(|c| c.is_ascii_digit())
        && s.chars()
            .all(|c| c.is_ascii_digit() || ",.% -\u{a0}".contains(c))
}

/// The texts of the cells after the group name, in every table row of group `name`.
fn html_rows(html: &str, name: &str) -> Vec<Vec<String>> {
    let needle = format!("<td>{name}</td>");
    let mut out = Vec::new();
    for (i, _) in html.match_indices(&needle) {
        let end = i + html[i..].find("</tr>").unwrap();
        let cells = html[i + needle.len()..end]
            .split("<td")
            .skip(1)
            .map(|c| {
                let inner = c.split_once('>').map(|x| x.1).unwrap_or("");
                inner.split('<').next().unwrap_or("").to_string()
            })
            .collect();
        out.push(cells);
    }
    assert!(!out.is_empty(), "no rows for {name}");
    out
}

#[tokio::test]
async fn suppressed_teams_show_no_figure_on_pages_exports_or_api() {
    on_each_backend(|app| async move {
        let (org, round_id, teams) = suppression_world(&app).await;
        // Results are released only after closing (issue 26).
        app.store()
            .set_survey_round_status(round_id, "gesloten")
            .await
            .unwrap();
        let admin = app
            .user("hr@west.example", Role::OrgAdmin, Some(org), vec![])
            .await;

        // API: Wilg and its complement Linde carry no figures; the total minus the shown
        // teams covers at least k people in at least two teams.
        let mut api = app.api_client(admin.id).await;
        let r = app
            .api(
                &mut api,
                "GET",
                &format!("/api/v1/survey-rounds/{round_id}/results"),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let v = r.json();
        assert_eq!(v["respondents"], 19);
        let mut hidden = 0;
        let mut shown_sum = 0;
        for t in v["teams"].as_array().unwrap() {
            if t["suppressed"] == true {
                hidden += 1;
                assert_eq!(
                    t.as_object().unwrap().len(),
                    2,
                    "suppressed team with figures: {t}"
                );
            } else {
                shown_sum += t["respondents"].as_u64().unwrap();
            }
        }
        assert_eq!(hidden, 2, "{}", v["teams"]);
        assert!(19 - shown_sum >= 5);
        // Wilg's 3 never appears as a team count.
        let wilg = v["teams"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["team"] == "Team Wilg")
            .unwrap();
        assert_eq!(wilg["suppressed"], true);

        // Pages: the rows of Wilg and Linde show only hidden cells.
        let mut c = app.login("hr@west.example").await;
        let page = app
            .get(&mut c, &format!("/enquetes/{round_id}/resultaten"))
            .await;
        assert_eq!(page.status, StatusCode::OK);
        for name in ["Team Wilg", "Team Linde"] {
            for row in html_rows(&page.body, name) {
                // Answer rows start with four label cells (question, text, option, label).
                let figures = if row.len() == 12 { &row[4..] } else { &row[..] };
                assert!(
                    !figures.iter().any(|c| is_figure(c)),
                    "{name} shows a figure: {row:?}"
                );
            }
        }
        assert!(
            page.body.contains("Team Eik</td><td class=\"num\">9"),
            "{}",
            page.body
        );

        // CSV: same rows, only the suppression marker.
        let csv = app
            .get(&mut c, &format!("/enquetes/{round_id}/resultaten.csv"))
            .await;
        assert_eq!(csv.status, StatusCode::OK);
        for line in csv
            .body
            .lines()
            .filter(|l| l.contains("Team Wilg") || l.contains("Team Linde"))
        {
            let fields: Vec<&str> = line.split(';').collect();
            let skip = if fields.len() == 14 { 6 } else { 2 };
            let figures: Vec<&&str> = fields[skip..].iter().filter(|f| is_figure(f)).collect();
            assert!(figures.is_empty(), "figure in suppressed CSV row: {line}");
        }
        // XLSX: a workbook, generated from the same tables.
        let x = app
            .get(&mut c, &format!("/enquetes/{round_id}/resultaten.xlsx"))
            .await;
        assert_eq!(x.status, StatusCode::OK);
        assert!(
            x.headers["content-type"]
                .to_str()
                .unwrap()
                .contains("spreadsheetml")
        );

        // Live response rates: suppressed teams show no rate.
        app.store()
            .set_round_team_invited(round_id, teams[2], 4)
            .await
            .unwrap();
        let rates = app
            .api(
                &mut api,
                "GET",
                &format!("/api/v1/survey-rounds/{round_id}/response-rates"),
                None,
            )
            .await;
        for t in rates.json()["teams"].as_array().unwrap() {
            if t["suppressed"] == true {
                assert!(
                    t.get("respondents").is_none() && t.get("response_rate").is_none(),
                    "{t}"
                );
            }
        }
        let round_page = app.get(&mut c, &format!("/enquetes/{round_id}")).await;
        assert!(round_page.body.contains("nog niet te tonen"));

        // Raw export: programme admin only.
        let r = app
            .get(&mut c, &format!("/enquetes/{round_id}/ruwe-antwoorden.csv"))
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        app
    })
    .await;
}

#[tokio::test]
async fn managers_see_only_their_own_teams_and_planners_nothing() {
    on_each_backend(|app| async move {
        let (org, round_id, teams) = suppression_world(&app).await;
        app.store()
            .set_survey_round_status(round_id, "gesloten")
            .await
            .unwrap();
        let mgr = app
            .user("m@west.example", Role::Manager, Some(org), vec![teams[0]])
            .await;
        app.user("p@west.example", Role::Planner, Some(org), vec![teams[0]])
            .await;
        let mut api = app.api_client(mgr.id).await;
        let v = app
            .api(
                &mut api,
                "GET",
                &format!("/api/v1/survey-rounds/{round_id}/results"),
                None,
            )
            .await
            .json();
        let names: Vec<&str> = v["teams"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["team"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["Team Eik"]);
        assert!(v.get("respondents").is_none() && v["breakdowns"].as_array().unwrap().is_empty());
        let mut c = app.login("p@west.example").await;
        let r = app
            .get(&mut c, &format!("/enquetes/{round_id}/resultaten"))
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        // Issue 33: the planner's survey list shows no link that answers 403; the
        // manager's list does link the results.
        let list = app
            .get(&mut c, &format!("/organisaties/{org}/enquetes"))
            .await;
        assert_eq!(list.status, StatusCode::OK);
        assert!(list.body.contains("1 ronde<"), "{}", list.body);
        for href in list.body.split("href=\"").skip(1) {
            let href = &href[..href.find('"').unwrap()];
            if href.starts_with('/') && !href.starts_with("/static") {
                let r = app.get(&mut c, href).await;
                assert_ne!(r.status, StatusCode::FORBIDDEN, "planner link {href}");
            }
        }
        let mut m = app.login(&mgr.email).await;
        let list = app
            .get(&mut m, &format!("/organisaties/{org}/enquetes"))
            .await;
        assert!(
            list.body
                .contains(&format!("/enquetes/{round_id}/resultaten"))
        );
        app
    })
    .await;
}

#[tokio::test]
async fn round_admin_codes_and_import_all_or_nothing() {
    on_each_backend(|app| async move {
        let org = app.org("Zorg Noord").await;
        let team = app
            .store()
            .create_team(org.id, "Team Berk", None)
            .await
            .unwrap();
        app.user("hr@noord.example", Role::OrgAdmin, Some(org.id), vec![])
            .await;
        let mut c = app.login("hr@noord.example").await;
        let r = app
            .post_form(
                &mut c,
                &format!("/organisaties/{}/enquetes", org.id),
                &[
                    ("name", "Nulmeting 2026"),
                    ("kind", "nulmeting"),
                    ("questionnaire", "medewerkers-v1"),
                    ("team_id", &team.id.to_string()),
                    ("opens_on", "2026-01-01"),
                    ("closes_on", "31-12-2026"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let round_id: i64 = r.location().rsplit('/').next().unwrap().parse().unwrap();
        let list = app
            .get(&mut c, &format!("/organisaties/{}/enquetes", org.id))
            .await;
        assert!(list.body.contains("Nulmeting 2026") && list.body.contains("Ronde aanmaken"));
        let page = app.get(&mut c, &format!("/enquetes/{round_id}")).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("/enquete/t"), "open link shown");
        let r = app
            .post_form(
                &mut c,
                &format!("/enquetes/{round_id}/codes"),
                &[(&format!("count_{}", team.id), "3"), ("format", "csv")],
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let lines: Vec<&str> = r.body.lines().skip(1).collect();
        assert_eq!(lines.len(), 3);
        let code = lines[0].split(';').nth(1).unwrap();
        assert!(matches!(
            app.store().survey_invitation(code).await.unwrap(),
            store::Invitation::Code { .. }
        ));
        let print = app
            .post_form(
                &mut c,
                &format!("/enquetes/{round_id}/codes"),
                &[(&format!("count_{}", team.id), "1"), ("format", "print")],
            )
            .await;
        assert!(print.body.contains("data:image/svg+xml;base64,"));
        assert_eq!(
            app.store().survey_round_teams(round_id).await.unwrap()[0].invited,
            4
        );

        // Imports go into an import round, chosen when the round is made (issue 26).
        let r = app
            .post_form(
                &mut c,
                &format!("/organisaties/{}/enquetes", org.id),
                &[
                    ("name", "Eerdere meting"),
                    ("kind", "nulmeting"),
                    ("questionnaire", "medewerkers-v1"),
                    ("team_id", &team.id.to_string()),
                    ("opens_on", "2026-01-01"),
                    ("closes_on", "31-12-2026"),
                    ("import_round", "1"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let round_id: i64 = r.location().rsplit('/').next().unwrap().parse().unwrap();
        assert!(
            app.store()
                .survey_round(round_id)
                .await
                .unwrap()
                .import_round
        );

        // Import through the API: one bad row refuses the whole file. Rows carry every
        // required answer (an import row is validated like a web response).
        let admin = app.store().user_by_email("hr@noord.example").await.unwrap();
        let mut api = app.api_client(admin.id).await;
        let bad = "team;contract_uren;gewerkte_uren;gewenste_uren;bereidheid;rondkomen;\
                   weet_netto;tevredenheid_rooster;blijven\n\
                   Team Berk;24;24;28;Ja, zeker;Goed;Ja;3;Zeker wel\n\
                   Team Berk;veel;24;28;Weet ik niet;Goed;Nee;4;Zeker wel\n";
        let req = axum::http::Request::builder()
            .method("POST")
            .uri(format!("/api/v1/survey-rounds/{round_id}/import"))
            .header("host", "localhost")
            .header(
                "authorization",
                format!("Bearer {}", api.bearer.clone().unwrap()),
            )
            .body(axum::body::Body::from(bad))
            .unwrap();
        let r = app.send(&mut api, req).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        let v = r.json();
        assert_eq!(v["imported"], false);
        assert!(
            v["diagnostics"]
                .as_array()
                .unwrap()
                .iter()
                .any(|d| d["row"] == 3),
            "{v}"
        );
        assert!(
            app.store()
                .survey_responses(round_id)
                .await
                .unwrap()
                .is_empty()
        );
        // The same file through the page: a dry run shows the mapping and the row problems.
        let body = format!(
            "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n\
             Content-Type: text/csv\r\n\r\n{bad}\r\n--XyZ\r\nContent-Disposition: form-data; \
             name=\"check\"\r\n\r\n1\r\n--XyZ--\r\n"
        );
        let cookies = c
            .cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ");
        let req = axum::http::Request::builder()
            .method("POST")
            .uri(format!("/enquetes/{round_id}/import?csrf={}", c.csrf))
            .header("host", "localhost")
            .header("cookie", cookies.clone())
            .header("content-type", "multipart/form-data; boundary=XyZ")
            .body(axum::body::Body::from(body))
            .unwrap();
        let r = app.send(&mut c, req).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(
            r.body.contains("Meldingen per regel")
                && r.body.contains("value=\"q:contract_uren\" selected"),
            "the proposed mapping is the form's choice"
        );
        assert!(!r.body.contains("JSON"), "no JSON for users");
        assert!(r.body.contains("Er is nog niets ingelezen"));
        let good = bad.replace("veel", "20");
        let req = axum::http::Request::builder()
            .method("POST")
            .uri(format!("/api/v1/survey-rounds/{round_id}/import"))
            .header("host", "localhost")
            .header(
                "authorization",
                format!("Bearer {}", api.bearer.clone().unwrap()),
            )
            .body(axum::body::Body::from(good.clone()))
            .unwrap();
        let r = app.send(&mut api, req).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(
            app.store().survey_responses(round_id).await.unwrap().len(),
            2
        );

        // A header the proposal cannot place is chosen by hand on the mapping form.
        let renamed = good.replacen("contract_uren", "Kolom X", 1);
        let csrf = c.csrf.clone();
        let post = |fields: Vec<(String, String)>| {
            let mut body = format!(
                "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"b.csv\"\r\n\
                 Content-Type: text/csv\r\n\r\n{renamed}\r\n"
            );
            for (k, v) in fields {
                body.push_str(&format!(
                    "--XyZ\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"
                ));
            }
            body.push_str("--XyZ--\r\n");
            axum::http::Request::builder()
                .method("POST")
                .uri(format!("/enquetes/{round_id}/import?csrf={csrf}"))
                .header("host", "localhost")
                .header("cookie", cookies.clone())
                .header("content-type", "multipart/form-data; boundary=XyZ")
                .body(axum::body::Body::from(body))
                .unwrap()
        };
        let r = app
            .send(&mut c, post(vec![("check".into(), "1".into())]))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert!(
            r.body.contains("<label for=\"kolom-1\">Kolom X</label>"),
            "{}",
            r.body
        );
        assert!(r.body.contains("Er is nog niets ingelezen"));
        let r = app
            .send(
                &mut c,
                post(vec![("kolom_1".into(), "q:contract_uren".into())]),
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        assert_eq!(
            app.store().survey_responses(round_id).await.unwrap().len(),
            4
        );
        app
    })
    .await;
}

#[tokio::test]
async fn demo_round_reproduces_the_reference_case() {
    on_each_backend(|app| async move {
        app::demo::load(app.store()).await.unwrap();
        let org = app
            .store()
            .find_organisation("Zorggroep De Dinkel")
            .await
            .unwrap();
        let round = app.store().survey_rounds(org.id).await.unwrap().remove(0);
        let ctx = app::survey::RoundContext { org, round };
        let v = serde_json::to_value(app::survey::analyse_round(app.store(), &ctx).await.unwrap())
            .unwrap();
        assert_eq!(v["respondents"], 100);
        assert_eq!(v["open_share"], 0.45);
        let q = v["questions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|q| q["question"] == "bereidheid")
            .unwrap();
        let share = |o: &str| {
            q["options"]
                .as_array()
                .unwrap()
                .iter()
                .find(|x| x["option"] == o)
                .unwrap()["share"]
                .as_f64()
                .unwrap()
        };
        assert_eq!(
            (share("ja_zeker"), share("ja_onder_voorwaarden")),
            (0.14, 0.31)
        );
        assert!(
            v["teams"]
                .as_array()
                .unwrap()
                .iter()
                .any(|t| t["suppressed"] == true)
        );
        // Six free texts approved by the programme team (one edited), one withheld.
        let texts: Vec<String> = v["free_text"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|f| f["answers"].as_array().cloned().unwrap_or_default())
            .map(|a| a.as_str().unwrap().to_string())
            .collect();
        assert_eq!(texts.len(), 6, "{texts:?}");
        assert!(
            !texts
                .iter()
                .any(|t| t.contains("Henk") || t.contains("enige"))
        );
        // The open round at GGZ Regge en Vecht shows response rates only.
        let ggz = app
            .store()
            .find_organisation("GGZ Regge en Vecht")
            .await
            .unwrap();
        let round = app.store().survey_rounds(ggz.id).await.unwrap().remove(0);
        assert_eq!(round.status, "open");
        let ctx = app::survey::RoundContext { org: ggz, round };
        assert!(app::survey::analyse_round(app.store(), &ctx).await.is_err());
        let rates = app::survey::response_rates(app.store(), &ctx)
            .await
            .unwrap();
        assert_eq!(rates.respondents, Some(35));
        assert_eq!(
            app.store()
                .survey_free_texts(ctx.round.id)
                .await
                .unwrap()
                .iter()
                .filter(|t| t.status == "pending")
                .count(),
            3
        );
        app
    })
    .await;
}

/// Extra questions come from a plain form, not JSON (issue 33): a programme admin adds
/// them, a mistake names the question and the fix, an organisation admin cannot add them,
/// and the respondent sees them on their own page.
#[tokio::test]
async fn extra_questions_come_from_a_form() {
    on_each_backend(|app| async move {
        let org = app.org("Zorg Extra").await;
        let team = app
            .store()
            .create_team(org.id, "Team Es", None)
            .await
            .unwrap();
        app.user("pl@extra.example", Role::ProgrammeAdmin, None, vec![])
            .await;
        app.user("hr@extra.example", Role::OrgAdmin, Some(org.id), vec![])
            .await;
        let url = format!("/organisaties/{}/enquetes", org.id);
        let team_id = team.id.to_string();
        let base = |name: &'static str| {
            vec![
                ("name", name),
                ("kind", "nulmeting"),
                ("questionnaire", "medewerkers-v1"),
                ("team_id", team_id.as_str()),
                ("opens_on", "2026-01-01"),
                ("closes_on", "31-12-2026"),
            ]
        };

        let mut pl = app.login("pl@extra.example").await;
        let form = app.get(&mut pl, &url).await;
        assert!(
            form.body.contains("name=\"extra_1_vraag\""),
            "the form has fields"
        );
        assert!(!form.body.contains("JSON"), "no JSON for users");

        // A choice question with one answer: refused, naming the question and the fix.
        let mut fields = base("Met fout");
        fields.extend([
            ("extra_1_vraag", "Welke dienst werkt u het liefst?"),
            ("extra_1_soort", "single"),
            ("extra_1_antwoorden", "Vroeg"),
        ]);
        let r = app.post_form(&mut pl, &url, &fields).await;
        let shown = app.get(&mut pl, r.location()).await;
        assert!(
            shown
                .body
                .contains("Extra vraag 1: geef minstens twee antwoorden"),
            "{}",
            shown.body
        );
        assert!(app.store().survey_rounds(org.id).await.unwrap().is_empty());

        let mut fields = base("Met extra vragen");
        fields.extend([
            ("extra_1_vraag", "Welke dienst werkt u het liefst?"),
            ("extra_1_soort", "single"),
            ("extra_1_antwoorden", "Vroeg | Early\r\nLaat\r\nNacht"),
            ("extra_2_vraag", ""),
            ("extra_2_soort", "single"),
            ("extra_3_vraag", "Ik weet wat meer werken mij oplevert."),
            ("extra_3_soort", "scale"),
        ]);
        let r = app.post_form(&mut pl, &url, &fields).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let rounds = app.store().survey_rounds(org.id).await.unwrap();
        assert_eq!(rounds.len(), 1);
        let custom: Vec<survey::RawQuestion> =
            serde_json::from_str(&rounds[0].custom_questions).unwrap();
        let ids: Vec<&str> = custom.iter().map(|q| q.id.as_str()).collect();
        assert_eq!(ids, ["extra_1", "extra_3"]);
        assert_eq!(custom[0].options.len(), 3);
        assert_eq!(custom[0].options[0].en, "Early");

        // An organisation admin cannot add extra questions.
        let mut hr = app.login("hr@extra.example").await;
        let mut fields = base("Van HR");
        fields.extend([("extra_1_vraag", "Mag dit?"), ("extra_1_soort", "text")]);
        let r = app.post_form(&mut hr, &url, &fields).await;
        let shown = app.get(&mut hr, r.location()).await;
        assert!(
            shown.body.contains("Alleen de programmaleiding"),
            "{}",
            shown.body
        );
        assert_eq!(app.store().survey_rounds(org.id).await.unwrap().len(), 1);
        app
    })
    .await;
}

/// Issue 33: a round that has not opened yet was called "gesloten" on the respondent's
/// page; a closed one still is.
#[tokio::test]
async fn a_round_not_yet_open_is_not_called_closed() {
    on_each_backend(|app| async move {
        let org = app.org("Zorg Later").await;
        let team = app
            .store()
            .create_team(org.id, "Team Later", None)
            .await
            .unwrap();
        let today = chrono::Local::now().date_naive();
        let r = app
            .store()
            .create_survey_round(
                org.id,
                &store::NewSurveyRound {
                    name: "Later".into(),
                    kind: "nulmeting".into(),
                    questionnaire: "medewerkers".into(),
                    version: 1,
                    custom_questions: "[]".into(),
                    opens_on: (today + chrono::Days::new(7))
                        .format("%Y-%m-%d")
                        .to_string(),
                    closes_on: (today + chrono::Days::new(14))
                        .format("%Y-%m-%d")
                        .to_string(),
                    invitation_text: String::new(),
                    import_round: false,
                },
                &[team.id],
            )
            .await
            .unwrap();
        let code = "PQRS-TUVW-XYZA";
        app.store()
            .add_survey_codes(r.id, team.id, &[store::hash_secret(code)])
            .await
            .unwrap();
        let mut c = Client::default();
        // In preparation, and opened but before its first day: not yet open.
        for status in ["concept", "open"] {
            if status == "open" {
                app.store()
                    .set_survey_round_status(r.id, "open")
                    .await
                    .unwrap();
            }
            let page = app.get(&mut c, &format!("/enquete/{code}")).await;
            assert_eq!(page.status, StatusCode::FORBIDDEN, "{status}");
            assert!(
                page.body.contains("nog niet geopend") && !page.body.contains("is gesloten"),
                "{status}: {}",
                page.body
            );
        }
        app.store()
            .set_survey_round_status(r.id, "gesloten")
            .await
            .unwrap();
        let page = app.get(&mut c, &format!("/enquete/{code}")).await;
        assert!(
            page.body.contains("De vragenlijst is gesloten"),
            "{}",
            page.body
        );
        app
    })
    .await;
}
