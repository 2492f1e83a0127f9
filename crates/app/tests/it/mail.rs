//! Mail of one-time links and survey invitations against a local SMTP sink
//! (`app::mail::testing::SmtpSink`), on each backend: invitations and resets are mailed
//! when SMTP is configured and shown when not or when the send fails; "wachtwoord
//! vergeten" mails only existing accounts; survey invitations give every address its own
//! code, and a reminder reaches only those whose code is unused; closing the round deletes
//! the list; the invitation table and the responses share nothing but round and team.

use std::collections::BTreeSet;

use app::access::Caller;
use app::jobs::{Ran, Worker, WorkerConfig};
use app::mail::testing::{Received, SmtpSink};
use app::users::{Delivery, LinkSettings, UserInput};
use store::{NewResponse, NewSurveyRound, OrganisationInput, Role, Store, Subsector};

use crate::for_each_backend;

const URL: &str = "https://urenwinst.test";

/// The one-time link token in a mail body.
fn link_token(mail: &Received) -> String {
    let body = mail.body();
    let at = body
        .find("/wachtwoord/")
        .unwrap_or_else(|| panic!("no link in {body}"));
    body[at + "/wachtwoord/".len()..]
        .chars()
        .take_while(|c| c.is_ascii_hexdigit())
        .collect()
}

/// The survey code in a mail body (`…/enquete/CODE`).
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

fn dead_server() -> app::mail::MailConfig {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    drop(l);
    app::mail::MailConfig {
        port,
        ..SmtpSink::start().config()
    }
}

fn new_user(email: &str, org: i64) -> UserInput {
    UserInput {
        email: email.into(),
        name: "Hanneke de Vries".into(),
        role: Role::OrgAdmin,
        org_id: Some(org),
        team_ids: vec![],
        password: None,
    }
}

#[tokio::test]
async fn invitations_and_resets_are_mailed_when_smtp_is_configured() {
    let sink = SmtpSink::start();
    for_each_backend(|s| {
        let sink = sink.clone();
        async move {
            sink.clear();
            let org = s
                .create_organisation(&OrganisationInput::new(
                    "Zorggroep De Dinkel",
                    Subsector::Vvt,
                ))
                .await
                .unwrap();
            let mail = sink.config();
            let links = LinkSettings::new(URL, Some(&mail));

            // Invitation by mail: the admin gets no link, the user a mail with it.
            let created = app::users::create_user(
                &s,
                Caller::Operator,
                &new_user("hr@dinkel.nl", org.id),
                links,
            )
            .await
            .unwrap();
            assert_eq!(created.invitation, Some(Delivery::Mailed));
            let got = sink.received();
            assert_eq!(got.len(), 1);
            assert!(got[0].is_to("hr@dinkel.nl"), "{:?}", got[0].rcpt);
            let body = got[0].body();
            assert!(body.contains("Beste Hanneke de Vries"), "{body}");
            assert!(body.contains("Zorggroep De Dinkel"), "{body}");
            assert!(body.contains("het programmateam van Urenwinst"), "{body}");
            assert!(body.contains(&format!("{URL}/wachtwoord/")), "{body}");
            assert!(body.contains("werkt tot "), "{body}");
            let token = link_token(&got[0]);
            assert_eq!(token.len(), 64, "{body}");
            let user = s
                .peek_user_token(&store::hash_secret(&token), "invite")
                .await
                .expect("the mailed link is a working invitation");
            assert_eq!(user.email, "hr@dinkel.nl");

            // The same by a signed-in admin names the admin.
            let admin = s.user(user.id).await.unwrap();
            let by_admin = app::users::create_user(
                &s,
                Caller::User(&admin),
                &UserInput {
                    role: Role::Manager,
                    ..new_user("manager@dinkel.nl", org.id)
                },
                links,
            )
            .await
            .unwrap();
            assert_eq!(by_admin.invitation, Some(Delivery::Mailed));
            let got = sink.received();
            assert!(got[1].is_to("manager@dinkel.nl"));
            assert!(
                got[1].body().contains("Hanneke de Vries heeft een account"),
                "{}",
                got[1].body()
            );

            // A reset by mail.
            let (target, delivery) =
                app::users::reset_password_link(&s, Caller::User(&admin), by_admin.user.id, links)
                    .await
                    .unwrap();
            assert_eq!(delivery, Delivery::Mailed);
            assert!(
                delivery
                    .message(app::users::LinkPurpose::Reset, &target.email)
                    .contains("gemaild naar manager@dinkel.nl")
            );
            let got = sink.received();
            assert_eq!(got.len(), 3);
            assert!(got[2].is_to("manager@dinkel.nl"));
            assert!(got[2].data.contains("Nieuw wachtwoord"), "{}", got[2].data);
            let reset = link_token(&got[2]);
            assert!(
                s.peek_user_token(&store::hash_secret(&reset), "reset")
                    .await
                    .is_ok()
            );

            // Without SMTP: the link is shown, nothing is mailed.
            let shown = app::users::create_user(
                &s,
                Caller::Operator,
                &new_user("zonder@dinkel.nl", org.id),
                LinkSettings::new(URL, None),
            )
            .await
            .unwrap();
            let Some(Delivery::Shown { link }) = shown.invitation else {
                panic!("expected a shown link");
            };
            assert!(link.starts_with(&format!("{URL}/wachtwoord/")));
            assert_eq!(sink.received().len(), 3);

            // A server that does not answer: the link is not lost but shown, with why.
            let dead = dead_server();
            let failed = app::users::create_user(
                &s,
                Caller::Operator,
                &new_user("kapot@dinkel.nl", org.id),
                LinkSettings::new(URL, Some(&dead)),
            )
            .await
            .unwrap();
            let Some(d @ Delivery::MailFailed { .. }) = failed.invitation else {
                panic!("expected a failed mail");
            };
            let link = d.link().unwrap().to_string();
            let token = link.rsplit('/').next().unwrap();
            assert!(
                s.peek_user_token(&store::hash_secret(token), "invite")
                    .await
                    .is_ok()
            );
            let m = d.message(app::users::LinkPurpose::Invite, "kapot@dinkel.nl");
            assert!(
                m.contains("kon niet worden gemaild") && m.contains("Stuur deze link"),
                "{m}"
            );
        }
    })
    .await;
}

#[tokio::test]
async fn forgotten_password_mails_only_existing_active_accounts() {
    let sink = SmtpSink::start();
    for_each_backend(|s| {
        let sink = sink.clone();
        async move {
            sink.clear();
            let org = s
                .create_organisation(&OrganisationInput::new(
                    "Zorggroep Vergeten",
                    Subsector::Vvt,
                ))
                .await
                .unwrap();
            app::users::create_user(
                &s,
                Caller::Operator,
                &new_user("wel@vergeten.nl", org.id),
                LinkSettings::new(URL, None),
            )
            .await
            .unwrap();
            let mail = sink.config();
            let links = LinkSettings::new(URL, Some(&mail));
            for unknown in ["niet@vergeten.nl", "geen adres", ""] {
                assert!(
                    !app::users::forgotten_password(&s, unknown, links)
                        .await
                        .unwrap()
                );
            }
            assert!(sink.received().is_empty());
            // Without SMTP nothing is sent either.
            assert!(
                !app::users::forgotten_password(
                    &s,
                    "wel@vergeten.nl",
                    LinkSettings::new(URL, None)
                )
                .await
                .unwrap()
            );
            assert!(
                app::users::forgotten_password(&s, " Wel@Vergeten.nl ", links)
                    .await
                    .unwrap()
            );
            let got = sink.received();
            assert_eq!(got.len(), 1);
            assert!(got[0].is_to("wel@vergeten.nl"));
            let token = link_token(&got[0]);
            assert!(
                s.peek_user_token(&store::hash_secret(&token), "reset")
                    .await
                    .is_ok()
            );
            // A deactivated account gets nothing.
            let u = s.user_by_email("wel@vergeten.nl").await.unwrap();
            s.set_user_active(u.id, false).await.unwrap();
            assert!(
                !app::users::forgotten_password(&s, "wel@vergeten.nl", links)
                    .await
                    .unwrap()
            );
            assert_eq!(sink.received().len(), 1);
        }
    })
    .await;
}

async fn round_with_teams(s: &Store, name: &str) -> (i64, i64, i64) {
    let org = s
        .create_organisation(&OrganisationInput::new(name, Subsector::Vvt))
        .await
        .unwrap();
    let berk = app::orgs::create_team(s, Caller::Operator, org.id, "Berk", None)
        .await
        .unwrap();
    let eik = app::orgs::create_team(s, Caller::Operator, org.id, "Eik", None)
        .await
        .unwrap();
    let today = chrono::Local::now().date_naive();
    let round = app::survey::create_round(
        s,
        Caller::Operator,
        org.id,
        &NewSurveyRound {
            name: "Nulmeting".into(),
            kind: "nulmeting".into(),
            questionnaire: "medewerkers".into(),
            version: 1,
            custom_questions: "[]".into(),
            opens_on: (today - chrono::Days::new(1))
                .format("%Y-%m-%d")
                .to_string(),
            closes_on: (today + chrono::Days::new(14))
                .format("%Y-%m-%d")
                .to_string(),
            invitation_text: "Doe mee, het telt!".into(),
            import_round: false,
        },
        &[berk.id, eik.id],
    )
    .await
    .unwrap();
    (round.id, berk.id, eik.id)
}

fn worker(s: &Store, mail: Option<app::mail::MailConfig>, name: &str) -> Worker {
    let mut w = Worker::new(s.clone(), WorkerConfig::new(name));
    app::survey_mail::register(&mut w, mail, URL);
    w
}

async fn run_all(s: &Store, w: &Worker) -> usize {
    let mut jobs = 0;
    loop {
        match w.run_once().await.unwrap() {
            Ran::Idle => return jobs,
            Ran::Job { id, status } => {
                assert_eq!(status, "done", "{:?}", s.job(id).await.unwrap());
                jobs += 1;
            }
        }
    }
}

#[tokio::test]
async fn survey_invitations_give_each_address_a_code_and_remind_only_non_responders() {
    let sink = SmtpSink::start();
    for_each_backend(|s| {
        let sink = sink.clone();
        async move {
            sink.clear();
            let (round, berk, eik) = round_with_teams(&s, "Zorggroep Enquête").await;
            let mail = sink.config();
            // Listed while the round is a concept: stored, mailed when it opens.
            let list = "e-mailadres\nanna@enquete.nl\nbert@enquete.nl\nANNA@enquete.nl\n\ncor@enquete.nl\n";
            let r = app::survey_mail::invite(&s, Caller::Operator, round, berk, list, true)
                .await
                .unwrap();
            assert_eq!((r.added, r.repeated_in_list, r.job_id), (3, 1, None));
            // Without SMTP the service refuses with the Dutch reason.
            let e = app::survey_mail::invite(&s, Caller::Operator, round, eik, "x@enquete.nl", false)
                .await
                .unwrap_err();
            assert!(e.to_string().contains("geen e-mail ingesteld"), "{e}");
            // A bad row: nothing stored, the row named.
            let e = app::survey_mail::invite(&s, Caller::Operator, round, eik, "dirk@enquete.nl\nkapot\n", true)
                .await
                .unwrap_err();
            assert!(e.to_string().contains("Regel 2"), "{e}");
            assert!(s.survey_invitation_counts(round).await.unwrap().iter().all(|c| c.team_id == berk));

            app::survey::set_round_status(&s, Caller::Operator, round, "open")
                .await
                .unwrap();
            // Eik gets two addresses too (one already on the list elsewhere is left alone).
            let r = app::survey_mail::invite(&s, Caller::Operator, round, eik, "dirk@enquete.nl\neva@enquete.nl\nbert@enquete.nl", true)
                .await
                .unwrap();
            assert_eq!((r.added, r.already_listed), (2, 1));
            assert!(r.job_id.is_some());
            // Two instances' workers: together they mail each address once.
            let (w1, w2) = (worker(&s, Some(mail.clone()), "een"), worker(&s, Some(mail.clone()), "twee"));
            let (a, b) = tokio::join!(run_all(&s, &w1), run_all(&s, &w2));
            assert!(a + b >= 1);
            let got = sink.received();
            assert_eq!(got.len(), 5, "one mail per address: {got:?}");
            let codes: BTreeSet<String> = got.iter().map(survey_code).collect();
            assert_eq!(codes.len(), 5, "five distinct codes");
            for m in &got {
                let body = m.body();
                assert!(body.contains("Doe mee, het telt!"), "{body}");
                assert!(body.contains("Zorggroep Enquête") || m.data.contains("Zorggroep"), "{body}");
                assert!(body.contains("anoniem"), "{body}");
            }
            // Each code opens the round (a working link) and is stored only as a hash.
            for c in &codes {
                assert!(matches!(
                    s.survey_invitation(c).await.unwrap(),
                    store::Invitation::Code { round_id, .. } if round_id == round
                ));
                for table_col in [("survey_invitations", "code_hash"), ("survey_codes", "code_hash"), ("jobs", "input"), ("jobs", "result")] {
                    assert_eq!(
                        s.count_rows_containing(table_col.0, table_col.1, c).await.unwrap(),
                        0,
                        "code in clear in {table_col:?}"
                    );
                }
            }
            let counts = s.survey_invitation_counts(round).await.unwrap();
            assert_eq!(counts.iter().map(|c| (c.addresses, c.sent, c.used)).collect::<Vec<_>>(), vec![(3, 3, 0), (2, 2, 0)]);

            // Anna answers with her code.
            let anna = got.iter().find(|m| m.is_to("anna@enquete.nl")).unwrap();
            let anna_code = survey_code(anna);
            s.submit_survey_response(
                round,
                Some(&store::hash_secret(&anna_code)),
                None,
                None,
                &NewResponse {
                    team_id: Some(berk),
                    version: 1,
                    answers: "{}".into(),
                    day: app::survey::today(),
                    source: "code",
                },
            )
            .await
            .unwrap();

            // A reminder today: nobody is due (all mailed today already).
            let r = app::survey_mail::remind(&s, Caller::Operator, round, true).await.unwrap();
            assert_eq!((r.to_remind, r.job_id), (0, None));
            // Tomorrow, as far as the list knows: make the sends yesterday's.
            s.execute_for_tests("UPDATE survey_invitations SET last_sent_on = '2000-01-01'")
                .await
                .unwrap();
            sink.clear();
            let r = app::survey_mail::remind(&s, Caller::Operator, round, true).await.unwrap();
            assert_eq!(r.to_remind, 4);
            let again = app::survey_mail::remind(&s, Caller::Operator, round, true).await.unwrap_err();
            assert!(again.to_string().contains("al een herinnering"), "{again}");
            assert_eq!(run_all(&s, &worker(&s, Some(mail.clone()), "een")).await, 1);
            let got = sink.received();
            assert_eq!(got.len(), 4, "N-1 reminders: {got:?}");
            assert!(!got.iter().any(|m| m.is_to("anna@enquete.nl")), "the respondent gets no reminder");
            for m in &got {
                assert!(m.data.contains("Herinnering"), "{}", m.data);
            }
            // A reminder's code replaces the first mail's: the old one leads nowhere.
            let bert_new = survey_code(got.iter().find(|m| m.is_to("bert@enquete.nl")).unwrap());
            assert!(!codes.contains(&bert_new));
            assert!(s.survey_invitation(&bert_new).await.is_ok());
            // Anna's used code still counts as used.
            assert!(matches!(s.survey_invitation(&anna_code).await.unwrap(), store::Invitation::UsedCode { .. }));
            let counts = s.survey_invitation_counts(round).await.unwrap();
            assert_eq!(counts.iter().map(|c| c.used).sum::<i64>(), 1);
            // Used counts follow the response-rate rules: one respondent in a team is hidden.
            let ctx = app::survey::round_for_caller(&s, Caller::Operator, round).await.unwrap();
            let overview = app::survey_mail::overview(&s, &ctx).await.unwrap();
            assert!(overview.iter().all(|t| t.used.is_none()), "{overview:?}");
            assert_eq!(overview.iter().map(|t| t.sent).sum::<i64>(), 5);

            // Closing the round deletes the address list.
            app::survey::set_round_status(&s, Caller::Operator, round, "gesloten").await.unwrap();
            assert!(s.survey_invitation_counts(round).await.unwrap().is_empty());
            assert_eq!(s.count_rows_containing("survey_invitations", "email", "@enquete.nl").await.unwrap(), 0);
            let e = app::survey_mail::invite(&s, Caller::Operator, round, eik, "late@enquete.nl", true)
                .await
                .unwrap_err();
            assert!(e.to_string().contains("gesloten"), "{e}");
        }
    })
    .await;
}

/// The attack: someone with the whole database tries to join the invitation list to the
/// responses. The two tables share only round and team (no code, address, id or time of
/// day), and no response holds a code or an address.
#[tokio::test]
async fn the_invitation_list_cannot_be_joined_to_responses() {
    let sink = SmtpSink::start();
    for_each_backend(|s| {
        let sink = sink.clone();
        async move {
            let (round, berk, _) = round_with_teams(&s, "Zorggroep Aanval").await;
            app::survey::set_round_status(&s, Caller::Operator, round, "open")
                .await
                .unwrap();
            let list: String = (0..6).map(|i| format!("p{i}@aanval.nl\n")).collect();
            app::survey_mail::invite(&s, Caller::Operator, round, berk, &list, true)
                .await
                .unwrap();
            sink.clear();
            run_all(&s, &worker(&s, Some(sink.config()), "w")).await;
            let got = sink.wait_for(6, std::time::Duration::from_secs(5));
            for m in got.iter().take(3) {
                s.submit_survey_response(
                    round,
                    Some(&store::hash_secret(&survey_code(m))),
                    None,
                    None,
                    &NewResponse {
                        team_id: Some(berk),
                        version: 1,
                        answers: "{\"bereidheid\":\"nee\"}".into(),
                        day: app::survey::today(),
                        source: "code",
                    },
                )
                .await
                .unwrap();
            }
            let shape = s.schema_shape().await.unwrap();
            let cols = |t: &str| -> BTreeSet<String> {
                shape
                    .columns
                    .iter()
                    .filter(|c| c.table == t)
                    .map(|c| c.column.clone())
                    .collect()
            };
            let inv = cols("survey_invitations");
            let resp = cols("survey_responses");
            assert!(!inv.is_empty() && !resp.is_empty());
            let shared: BTreeSet<_> = inv.intersection(&resp).cloned().collect();
            assert_eq!(
                shared,
                ["round_id", "team_id"]
                    .iter()
                    .map(|c| c.to_string())
                    .collect(),
                "only round and team in common"
            );
            // No id and no time finer than a day on the list.
            assert!(
                !inv.contains("id") && !inv.iter().any(|c| c.ends_with("_at")),
                "{inv:?}"
            );
            // No response holds a code, its hash, or an address.
            for m in &got {
                let code = survey_code(m);
                for needle in [
                    code.clone(),
                    store::hash_secret(&code),
                    m.rcpt[0].trim_matches(['<', '>']).to_string(),
                ] {
                    assert_eq!(
                        s.count_rows_containing("survey_responses", "answers", &needle)
                            .await
                            .unwrap(),
                        0
                    );
                    assert_eq!(
                        s.count_rows_containing("survey_responses", "source", &needle)
                            .await
                            .unwrap(),
                        0
                    );
                    assert_eq!(
                        s.count_rows_containing("survey_responses", "day", &needle)
                            .await
                            .unwrap(),
                        0
                    );
                }
            }
        }
    })
    .await;
}

/// The hourly purge removes the address lists of closed rounds and of rounds a month past
/// their closing date; open rounds keep theirs.
#[tokio::test]
async fn the_purge_deletes_address_lists_of_ended_rounds() {
    for_each_backend(|s| async move {
        let (old, berk, _) = round_with_teams(&s, "Zorggroep Oud").await;
        let (current, eik, _) = round_with_teams(&s, "Zorggroep Nu").await;
        for (round, team) in [(old, berk), (current, eik)] {
            app::survey::set_round_status(&s, Caller::Operator, round, "open")
                .await
                .unwrap();
            app::survey_mail::invite(
                &s,
                Caller::Operator,
                round,
                team,
                "p@purge.nl\nq@purge.nl",
                true,
            )
            .await
            .unwrap();
        }
        s.execute_for_tests(&format!(
            "UPDATE survey_rounds SET closes_on = '2001-01-31' WHERE id = {old}"
        ))
        .await
        .unwrap();
        // The purge as the standard worker runs it (the invitations' mail jobs run too,
        // without SMTP: they fail for good and mail nobody).
        let mut w = app::maintenance::standard_worker(s.clone(), WorkerConfig::new("opruimen"));
        app::survey_mail::register(&mut w, None, URL);
        let purge = s
            .enqueue_job(&store::NewJob::new(app::maintenance::PURGE, "{}".into()))
            .await
            .unwrap()
            .unwrap();
        while w.run_once().await.unwrap() != Ran::Idle {}
        let job = s.job(purge).await.unwrap();
        assert_eq!(job.status, "done", "{job:?}");
        assert!(job.result.unwrap().contains("\"survey_invitations\":2"));
        assert!(s.survey_invitation_counts(old).await.unwrap().is_empty());
        assert_eq!(
            s.survey_invitation_counts(current).await.unwrap()[0].addresses,
            2
        );
    })
    .await;
}
