//! E-mail through the pages and the API, against a local SMTP sink started by the test
//! (`app::mail::testing::SmtpSink`): an invitation mail whose link sets the password, a
//! reset mail, "wachtwoord vergeten" answering the same for unknown addresses (and mailing
//! nobody), survey invitations with a code each and a reminder only to non-responders.

use std::collections::BTreeSet;
use std::time::Duration;

use app::mail::testing::{Received, SmtpSink};
use axum::http::StatusCode;
use store::Role;
use web::WebConfig;

use crate::helpers::{Client, TestApp, hidden_value, on_each_backend_with, open_round};

const URL: &str = "http://localhost";

fn config(sink: &SmtpSink) -> WebConfig {
    WebConfig {
        mail: Some(sink.config()),
        public_url: URL.into(),
        ..WebConfig::default()
    }
}

/// The path of the one-time link in a mail (`/wachtwoord/TOKEN`).
fn link_path(mail: &Received) -> String {
    let body = mail.body();
    let at = body
        .find(&format!("{URL}/wachtwoord/"))
        .unwrap_or_else(|| panic!("no link in {body}"));
    body[at + URL.len()..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '/')
        .collect()
}

fn survey_code(mail: &Received) -> String {
    let body = mail.body();
    let needle = format!("{URL}/enquete/");
    let at = body
        .find(&needle)
        .unwrap_or_else(|| panic!("no survey link in {body}"));
    body[at + needle.len()..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect()
}

/// Follows a set-password link as a new browser and chooses `password`.
async fn set_password(app: &TestApp, path: &str, email: &str, password: &str) {
    let mut c = Client::default();
    let page = app.get(&mut c, path).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains(email), "{}", page.body);
    let csrf = hidden_value(&page.body, "csrf");
    let r = app
        .post_form(
            &mut c,
            path,
            &[
                ("password", password),
                ("password2", password),
                ("csrf", &csrf),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location(), "/inloggen");
}

#[tokio::test]
async fn invitation_and_reset_mails_carry_working_links() {
    let sink = SmtpSink::start();
    on_each_backend_with(
        || config(&sink),
        |app| {
            let sink = sink.clone();
            async move {
                sink.clear();
                let org = app.org("Zorggroep Post").await;
                app.user("hr@post.example", Role::OrgAdmin, Some(org.id), vec![])
                    .await;
                let mut c = app.login("hr@post.example").await;
                let r = app
                    .post_form(
                        &mut c,
                        "/gebruikers",
                        &[
                            ("email", "nieuw@post.example"),
                            ("name", "Nina Nieuw"),
                            ("role", "manager"),
                            ("org_id", &org.id.to_string()),
                            ("password", ""),
                        ],
                    )
                    .await;
                assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
                let page = app.get(&mut c, r.location()).await;
                assert!(
                    page.body
                        .contains("De uitnodiging is gemaild naar nieuw@post.example"),
                    "{}",
                    page.body
                );
                assert!(!page.body.contains("/wachtwoord/"), "the link is not shown");
                let got = sink.received();
                assert_eq!(got.len(), 1);
                assert!(got[0].is_to("nieuw@post.example"));
                assert!(
                    got[0].body().contains("hr heeft een account"),
                    "{}",
                    got[0].body()
                );
                assert!(got[0].body().contains("Zorggroep Post"));
                // Follow the link: the set-password page accepts it, and the new password
                // logs in.
                let path = link_path(&got[0]);
                set_password(
                    &app,
                    &path,
                    "nieuw@post.example",
                    "een-eigen-wachtwoord-456",
                )
                .await;
                app.login_with("nieuw@post.example", "een-eigen-wachtwoord-456")
                    .await;
                // The link worked once.
                let again = app.get(&mut Client::default(), &path).await;
                assert_eq!(again.status, StatusCode::BAD_REQUEST);

                // A reset from the user's page is mailed too.
                let nina = app
                    .store()
                    .user_by_email("nieuw@post.example")
                    .await
                    .unwrap();
                let r = app
                    .post_form(&mut c, &format!("/gebruikers/{}/wachtwoord", nina.id), &[])
                    .await;
                assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
                let page = app.get(&mut c, r.location()).await;
                assert!(
                    page.body.contains("is gemaild naar nieuw@post.example"),
                    "{}",
                    page.body
                );
                let got = sink.received();
                assert_eq!(got.len(), 2);
                assert!(got[1].data.contains("Nieuw wachtwoord"));
                set_password(
                    &app,
                    &link_path(&got[1]),
                    "nieuw@post.example",
                    "nog-een-wachtwoord-789",
                )
                .await;
                app.login_with("nieuw@post.example", "nog-een-wachtwoord-789")
                    .await;

                // The API says how the link travelled.
                let hr = app.store().user_by_email("hr@post.example").await.unwrap();
                let mut api = app.api_client(hr.id).await;
                let r = app
                    .api(
                        &mut api,
                        "POST",
                        "/api/v1/users",
                        Some(serde_json::json!({
                            "email": "api@post.example", "name": "Api", "role": "planner",
                            "org_id": org.id,
                        })),
                    )
                    .await;
                assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
                let v = r.json();
                assert_eq!(v["link_delivery"], "mailed");
                assert!(v["invite_link"].is_null());
                assert!(
                    v["message"]
                        .as_str()
                        .unwrap()
                        .contains("gemaild naar api@post.example")
                );
                let r = app
                    .api(
                        &mut api,
                        "POST",
                        &format!("/api/v1/users/{}/reset-password", nina.id),
                        None,
                    )
                    .await;
                assert_eq!(r.status, StatusCode::OK, "{}", r.body);
                assert_eq!(r.json()["link_delivery"], "mailed");
                assert!(r.json()["reset_link"].is_null());
                assert_eq!(sink.received().len(), 4);
                app
            }
        },
    )
    .await;
}

// The mail goes out from a spawned task; the sink is waited for on this thread, so the
// runtime needs threads of its own.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forgotten_password_answers_the_same_for_unknown_addresses_and_mails_no_one() {
    let sink = SmtpSink::start();
    on_each_backend_with(
        || config(&sink),
        |app| {
            let sink = sink.clone();
            async move {
                sink.clear();
                let org = app.org("Zorggroep Vergeten").await;
                app.user("wel@vergeten.example", Role::Manager, Some(org.id), vec![])
                    .await;
                let mut c = Client::default();
                let login = app.get(&mut c, "/inloggen").await;
                assert!(login.body.contains("href=\"/wachtwoord-vergeten\""));
                let form = app.get(&mut c, "/wachtwoord-vergeten").await;
                assert_eq!(form.status, StatusCode::OK);
                c.csrf = hidden_value(&form.body, "csrf");

                let unknown = app
                    .post_form(
                        &mut c,
                        "/wachtwoord-vergeten",
                        &[("email", "niet@vergeten.example")],
                    )
                    .await;
                // Give a (wrongly) sent mail time to arrive: none may.
                assert!(sink.wait_for(1, Duration::from_millis(800)).is_empty());
                let known = app
                    .post_form(
                        &mut c,
                        "/wachtwoord-vergeten",
                        &[("email", "wel@vergeten.example")],
                    )
                    .await;
                assert_eq!(unknown.status, StatusCode::OK, "{}", unknown.body);
                assert_eq!((known.status, &known.body), (unknown.status, &unknown.body));
                assert!(
                    known
                        .body
                        .contains("Als dit e-mailadres bij een actief account hoort")
                );
                let got = sink.wait_for(1, Duration::from_secs(10));
                assert_eq!(got.len(), 1);
                assert!(got[0].is_to("wel@vergeten.example"));
                set_password(
                    &app,
                    &link_path(&got[0]),
                    "wel@vergeten.example",
                    "vergeten-en-weer-terug-1",
                )
                .await;
                app.login_with("wel@vergeten.example", "vergeten-en-weer-terug-1")
                    .await;

                // Throttled per address: the answer stays the same, the mails stop.
                for _ in 0..4 {
                    let r = app
                        .post_form(
                            &mut c,
                            "/wachtwoord-vergeten",
                            &[("email", "wel@vergeten.example")],
                        )
                        .await;
                    assert_eq!((r.status, &r.body), (unknown.status, &unknown.body));
                }
                let got = sink.wait_for(5, Duration::from_secs(3));
                assert_eq!(
                    got.len(),
                    app::throttle::FORGOTTEN_PER_ADDRESS_PER_HOUR,
                    "at most three mails an hour to one address"
                );
                // The address is stored only as a keyed hash in the throttle.
                assert_eq!(
                    app.store()
                        .count_rows_containing("link_attempts", "client_hash", "vergeten.example")
                        .await
                        .unwrap(),
                    0
                );
                app
            }
        },
    )
    .await;
}

#[tokio::test]
async fn survey_invitations_by_mail_and_reminders_only_to_non_responders() {
    let sink = SmtpSink::start();
    on_each_backend_with(
        || config(&sink),
        |app| {
            let sink = sink.clone();
            async move {
                sink.clear();
                let org = app.org("Zorggroep Uitnodiging").await;
                let team = app
                    .store()
                    .create_team(org.id, "Team Linde", None)
                    .await
                    .unwrap();
                let round = open_round(&app, org.id, &[team.id]).await;
                let hr = app
                    .user(
                        "hr@uitnodiging.example",
                        Role::OrgAdmin,
                        Some(org.id),
                        vec![],
                    )
                    .await;
                let mut api = app.api_client(hr.id).await;
                let uri = format!("/api/v1/survey-rounds/{round}/invitations");
                // A bad row is named; nothing is stored.
                let r = app
                    .api(
                        &mut api,
                        "POST",
                        &uri,
                        Some(serde_json::json!({
                            "team_id": team.id, "addresses": "a@linde.example\nkapot",
                        })),
                    )
                    .await;
                assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
                assert!(r.body.contains("Regel 2"), "{}", r.body);
                let r = app
                    .api(
                        &mut api,
                        "POST",
                        &uri,
                        Some(serde_json::json!({
                            "team_id": team.id,
                            "addresses": "a@linde.example\nb@linde.example\nc@linde.example",
                        })),
                    )
                    .await;
                assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
                assert_eq!(r.json()["added"], 3);
                assert!(r.json()["job_id"].is_i64());

                let mut worker = app::jobs::Worker::new(
                    app.store().clone(),
                    app::jobs::WorkerConfig::new("test"),
                );
                app::survey_mail::register(&mut worker, Some(sink.config()), URL);
                while worker.run_once().await.unwrap() != app::jobs::Ran::Idle {}
                let got = sink.received();
                assert_eq!(got.len(), 3);
                let codes: BTreeSet<String> = got.iter().map(survey_code).collect();
                assert_eq!(codes.len(), 3, "three distinct codes");

                // A answers through the pages with the code from the mail.
                let a_code = survey_code(got.iter().find(|m| m.is_to("a@linde.example")).unwrap());
                let done = crate::survey::answer_all(&app, &mut Client::default(), &a_code).await;
                assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
                assert_eq!(app.store().survey_responses(round).await.unwrap().len(), 1);

                // The list as the admin sees it: the used count of one respondent is hidden.
                let r = app.api(&mut api, "GET", &uri, None).await;
                let v = r.json();
                assert_eq!(v["mail_configured"], true);
                assert_eq!(v["teams"][0]["addresses"], 3);
                assert_eq!(v["teams"][0]["sent"], 3);
                assert!(v["teams"][0]["used"].is_null(), "{v}");
                let mut c = app.login("hr@uitnodiging.example").await;
                let page = app
                    .get(&mut c, &format!("/enquetes/{round}/uitnodigingen"))
                    .await;
                assert_eq!(page.status, StatusCode::OK);
                assert!(
                    page.body
                        .contains("De adressen worden verwijderd zodra de ronde sluit")
                );

                // The next day's reminder (the sends made a day older) reaches B and C only.
                app.store()
                    .execute_for_tests("UPDATE survey_invitations SET last_sent_on = '2000-01-01'")
                    .await
                    .unwrap();
                sink.clear();
                let r = app
                    .post_form(&mut c, &format!("/enquetes/{round}/herinnering"), &[])
                    .await;
                assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
                let page = app.get(&mut c, r.location()).await;
                assert!(page.body.contains("naar 2 adressen"), "{}", page.body);
                while worker.run_once().await.unwrap() != app::jobs::Ran::Idle {}
                let got = sink.received();
                assert_eq!(got.len(), 2, "{got:?}");
                assert!(!got.iter().any(|m| m.is_to("a@linde.example")));
                // A second reminder the same day is refused.
                let r = app
                    .api(
                        &mut api,
                        "POST",
                        &format!("/api/v1/survey-rounds/{round}/reminders"),
                        None,
                    )
                    .await;
                assert!(
                    r.status == StatusCode::CONFLICT || r.json()["to_remind"] == 0,
                    "{} {}",
                    r.status,
                    r.body
                );
                app
            }
        },
    )
    .await;
}

/// Posts the invitation form (multipart: team, pasted list, file) as the browser does.
async fn post_list(
    app: &TestApp,
    c: &mut Client,
    round: i64,
    team: i64,
    pasted: &str,
    file: &str,
) -> crate::helpers::Reply {
    let body = format!(
        "--XyZ\r\nContent-Disposition: form-data; name=\"team_id\"\r\n\r\n{team}\r\n\
         --XyZ\r\nContent-Disposition: form-data; name=\"adressen\"\r\n\r\n{pasted}\r\n\
         --XyZ\r\nContent-Disposition: form-data; name=\"bestand\"; filename=\"lijst.csv\"\r\n\
         Content-Type: text/csv\r\n\r\n{file}\r\n--XyZ--\r\n"
    );
    let cookies = c
        .cookies
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("; ");
    let req = axum::http::Request::builder()
        .method("POST")
        .uri(format!("/enquetes/{round}/uitnodigingen?csrf={}", c.csrf))
        .header("host", "localhost")
        .header("cookie", cookies)
        .header("content-type", "multipart/form-data; boundary=XyZ")
        .body(axum::body::Body::from(body))
        .unwrap();
    let r = app.send(c, req).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    app.get(c, r.location()).await
}

#[tokio::test]
async fn the_invitation_page_takes_a_pasted_list_or_a_file_and_names_bad_rows() {
    let sink = SmtpSink::start();
    on_each_backend_with(
        || config(&sink),
        |app| {
            let sink = sink.clone();
            async move {
                let org = app.org("Zorggroep Formulier").await;
                let team = app
                    .store()
                    .create_team(org.id, "Team Eik", None)
                    .await
                    .unwrap();
                let round = open_round(&app, org.id, &[team.id]).await;
                app.user("hr@formulier.example", Role::OrgAdmin, Some(org.id), vec![])
                    .await;
                let mut c = app.login("hr@formulier.example").await;
                let page = app.get(&mut c, &format!("/enquetes/{round}")).await;
                assert!(
                    page.body
                        .contains(&format!("/enquetes/{round}/uitnodigingen"))
                );
                let page = post_list(
                    &app,
                    &mut c,
                    round,
                    team.id,
                    "a@eik.example\r\nb@eik.example",
                    "",
                )
                .await;
                assert!(page.body.contains("2 adressen toegevoegd"), "{}", page.body);
                assert!(
                    page.body.contains("op de achtergrond verstuurd"),
                    "{}",
                    page.body
                );
                let page = post_list(
                    &app,
                    &mut c,
                    round,
                    team.id,
                    "",
                    "e-mail\r\nc@eik.example\r\na@eik.example",
                )
                .await;
                assert!(page.body.contains("1 adressen toegevoegd"), "{}", page.body);
                assert!(
                    page.body.contains("1 stonden al op de lijst"),
                    "{}",
                    page.body
                );
                let page = post_list(
                    &app,
                    &mut c,
                    round,
                    team.id,
                    "",
                    "d@eik.example\r\nnaam zonder adres",
                )
                .await;
                assert!(page.body.contains("Regel 2"), "{}", page.body);
                assert!(page.body.contains("niets opgeslagen"), "{}", page.body);
                let counts = app.store().survey_invitation_counts(round).await.unwrap();
                assert_eq!(counts[0].addresses, 3);
                // The table shows the list; nothing was mailed yet (no worker ran).
                assert!(page.body.contains("Uitnodigingen per team"));
                assert!(sink.received().iter().all(|m| !m.is_to("d@eik.example")));
                app
            }
        },
    )
    .await;
    // Without SMTP the page explains and the form refuses.
    crate::helpers::on_each_backend(|app| async move {
        let org = app.org("Zorggroep Zonder").await;
        let team = app
            .store()
            .create_team(org.id, "Team Eik", None)
            .await
            .unwrap();
        let round = open_round(&app, org.id, &[team.id]).await;
        app.user("hr@zonder.example", Role::OrgAdmin, Some(org.id), vec![])
            .await;
        let mut c = app.login("hr@zonder.example").await;
        let page = app
            .get(&mut c, &format!("/enquetes/{round}/uitnodigingen"))
            .await;
        assert!(page.body.contains("geen e-mail ingesteld"), "{}", page.body);
        assert!(!page.body.contains("Toevoegen en uitnodigen"));
        let page = post_list(&app, &mut c, round, team.id, "a@eik.example", "").await;
        assert!(page.body.contains("geen e-mail ingesteld"), "{}", page.body);
        assert!(
            app.store()
                .survey_invitation_counts(round)
                .await
                .unwrap()
                .is_empty()
        );
        app
    })
    .await;
}
