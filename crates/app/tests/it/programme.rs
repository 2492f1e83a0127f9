//! The programme's services end to end: the daily reminder job sends one digest per user
//! through SMTP (a local sink that speaks just enough SMTP) and never twice a day; actions
//! are seen by who may; the plan is filled from the catalogue.

use std::sync::{Arc, Mutex};

use app::access::Caller;
use app::jobs::{Ran, Worker, WorkerConfig};
use app::mail::MailConfig;
use app::programme::{self, ActionInput};
use store::{NewUser, OrganisationInput, Role, Store, Subsector};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

use crate::for_each_backend;

/// One mail as the sink received it: the envelope recipients and the DATA text.
#[derive(Debug, Clone, Default)]
struct Received {
    rcpt: Vec<String>,
    data: String,
}

/// A local SMTP server on a free port that accepts every mail and keeps it.
async fn smtp_sink() -> (u16, Arc<Mutex<Vec<Received>>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let inbox: Arc<Mutex<Vec<Received>>> = Arc::default();
    let keep = inbox.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let keep = keep.clone();
            tokio::spawn(async move {
                let (r, mut w) = stream.into_split();
                let mut lines = BufReader::new(r).lines();
                w.write_all(b"220 sink ESMTP\r\n").await.unwrap();
                let mut current = Received::default();
                while let Ok(Some(line)) = lines.next_line().await {
                    let upper = line.to_uppercase();
                    let reply: &[u8] = if upper.starts_with("EHLO") || upper.starts_with("HELO") {
                        b"250-sink\r\n250 8BITMIME\r\n"
                    } else if upper.starts_with("RCPT TO:") {
                        current.rcpt.push(line[8..].trim().to_string());
                        b"250 OK\r\n"
                    } else if upper.starts_with("DATA") {
                        w.write_all(b"354 go ahead\r\n").await.unwrap();
                        while let Ok(Some(l)) = lines.next_line().await {
                            if l == "." {
                                break;
                            }
                            current.data.push_str(&l);
                            current.data.push('\n');
                        }
                        keep.lock().unwrap().push(std::mem::take(&mut current));
                        b"250 queued\r\n"
                    } else if upper.starts_with("QUIT") {
                        w.write_all(b"221 bye\r\n").await.ok();
                        break;
                    } else {
                        b"250 OK\r\n"
                    };
                    w.write_all(reply).await.unwrap();
                }
            });
        }
    });
    (port, inbox)
}

async fn user(s: &Store, email: &str, role: Role, org: i64, teams: Vec<i64>) -> store::User {
    s.create_user(&NewUser {
        email: email.into(),
        name: email.split('@').next().unwrap().into(),
        role,
        org_id: Some(org),
        team_ids: teams,
        password_hash: None,
    })
    .await
    .unwrap()
}

fn input(title: &str, owner: &str, due: chrono::NaiveDate, team: Option<i64>) -> ActionInput {
    ActionInput {
        title: title.into(),
        owner: owner.into(),
        due_on: due.format("%Y-%m-%d").to_string(),
        team_id: team,
        link_kind: Some("intervention".into()),
        link_ref: Some("roostersessies".into()),
        status: None,
    }
}

#[tokio::test]
async fn the_daily_job_mails_one_digest_per_user_and_never_twice_a_day() {
    let (port, inbox) = smtp_sink().await;
    for_each_backend(|s| {
        let inbox = inbox.clone();
        async move {
            inbox.lock().unwrap().clear();
            let org = s
                .create_organisation(&OrganisationInput::new("Zorggroep Mail", Subsector::Vvt))
                .await
                .unwrap();
            user(&s, "hr@mail.example", Role::OrgAdmin, org.id, vec![]).await;
            user(&s, "rust@mail.example", Role::OrgAdmin, org.id, vec![]).await;
            let today = programme::today();
            let day = |n: i64| today + chrono::Duration::days(n);
            for a in [
                input(
                    "Roosterknelpunten op een rij",
                    "hr@mail.example",
                    day(-5),
                    None,
                ),
                input("Brochure uitdelen", "hr@mail.example", day(2), None),
                input("Pas over een maand", "hr@mail.example", day(30), None),
                input("Niet van hem", "rust@mail.example", day(40), None),
            ] {
                programme::add_action(&s, Caller::Operator, org.id, &a)
                    .await
                    .unwrap();
            }
            let mail = MailConfig {
                host: "127.0.0.1".into(),
                port,
                from: "Urenwinst <noreply@urenwinst.example>".into(),
                user: None,
                password: None,
                starttls: false,
            };
            // The job, as the worker runs it from the queue.
            let mut worker = Worker::new(s.clone(), WorkerConfig::new("test"));
            programme::register_reminders(&mut worker, Some(mail.clone()));
            worker.enqueue_due(store::now()).await.unwrap();
            let ran = worker.run_once().await.unwrap();
            assert!(
                matches!(ran, Ran::Job { ref status, .. } if status == "done"),
                "{ran:?}"
            );
            {
                let got = inbox.lock().unwrap();
                assert_eq!(got.len(), 1, "one digest: {got:?}");
                assert_eq!(got[0].rcpt, vec!["<hr@mail.example>".to_string()]);
                let data = &got[0].data;
                assert!(data.contains("Roosterknelpunten op een rij"), "{data}");
                assert!(data.contains("Brochure uitdelen"), "{data}");
                assert!(!data.contains("Pas over een maand"), "{data}");
                assert!(data.contains("over de deadline"), "{data}");
            }
            // The schedule does not enqueue a second job today, and a second run (another
            // instance, the command line) sends nothing: the day's send is recorded.
            worker.enqueue_due(store::now()).await.unwrap();
            assert_eq!(worker.run_once().await.unwrap(), Ran::Idle);
            let again = programme::send_reminders(&s, Some(&mail), today)
                .await
                .unwrap();
            assert_eq!((again.sent, again.already_sent), (0, 1));
            assert_eq!(inbox.lock().unwrap().len(), 1);
            // Tomorrow is another day.
            let next = programme::send_reminders(&s, Some(&mail), day(1))
                .await
                .unwrap();
            assert_eq!(next.sent, 1);
            assert_eq!(inbox.lock().unwrap().len(), 2);

            // A server that does not answer: the send fails and is given back for a retry.
            let dead = MailConfig {
                port: {
                    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
                    l.local_addr().unwrap().port()
                },
                ..mail.clone()
            };
            let failed = programme::send_reminders(&s, Some(&dead), day(2))
                .await
                .unwrap();
            assert_eq!((failed.sent, failed.failed), (0, 1));
            let hr = s.user_by_email("hr@mail.example").await.unwrap();
            assert!(
                !s.reminder_days(hr.id)
                    .await
                    .unwrap()
                    .contains(&day(2).format("%Y-%m-%d").to_string())
            );
            // Without SMTP only the in-app count reminds.
            let none = programme::send_reminders(&s, None, day(3)).await.unwrap();
            assert!(!none.mail_configured && none.sent == 0 && none.users == 1);
        }
    })
    .await;
}

#[tokio::test]
async fn managers_see_their_teams_actions_and_their_own() {
    for_each_backend(|s| async move {
        let org = s
            .create_organisation(&OrganisationInput::new("Zorggroep Teams", Subsector::Vvt))
            .await
            .unwrap();
        let t1 = s.create_team(org.id, "Team 1", None).await.unwrap();
        let t2 = s.create_team(org.id, "Team 2", None).await.unwrap();
        let admin = user(&s, "hr@teams.example", Role::OrgAdmin, org.id, vec![]).await;
        let m1 = user(&s, "m1@teams.example", Role::Manager, org.id, vec![t1.id]).await;
        let m2 = user(&s, "m2@teams.example", Role::Manager, org.id, vec![t2.id]).await;
        let planner = user(&s, "p@teams.example", Role::Planner, org.id, vec![t1.id]).await;
        let due = programme::today() + chrono::Duration::days(7);
        let caller = Caller::User(&admin);
        programme::add_action(
            &s,
            caller,
            org.id,
            &input("Team 1", "hr@teams.example", due, Some(t1.id)),
        )
        .await
        .unwrap();
        programme::add_action(
            &s,
            caller,
            org.id,
            &input("Team 2", "hr@teams.example", due, Some(t2.id)),
        )
        .await
        .unwrap();
        programme::add_action(
            &s,
            caller,
            org.id,
            &input("Van m2", "m2@teams.example", due, None),
        )
        .await
        .unwrap();
        let titles = |v: Vec<programme::ActionView>| {
            v.into_iter().map(|a| a.action.title).collect::<Vec<_>>()
        };
        let today = programme::today();
        assert_eq!(
            titles(
                programme::actions(&s, Caller::User(&m1), org.id, today)
                    .await
                    .unwrap()
            ),
            vec!["Team 1"]
        );
        assert_eq!(
            titles(
                programme::actions(&s, Caller::User(&m2), org.id, today)
                    .await
                    .unwrap()
            ),
            vec!["Team 2", "Van m2"]
        );
        assert_eq!(
            titles(programme::my_actions(&s, &planner, today).await.unwrap()),
            vec!["Team 1"]
        );
        assert_eq!(
            programme::actions(&s, caller, org.id, today)
                .await
                .unwrap()
                .len(),
            3
        );
        // m1 cannot change or add actions of team 2.
        let team2 = s
            .actions(org.id)
            .await
            .unwrap()
            .into_iter()
            .find(|a| a.title == "Team 2")
            .unwrap();
        assert!(matches!(
            programme::set_action_status(&s, Caller::User(&m1), org.id, team2.id, "klaar").await,
            Err(app::AppError::NotFound)
        ));
        assert!(matches!(
            programme::add_action(
                &s,
                Caller::User(&m1),
                org.id,
                &input("x", "hr@teams.example", due, Some(t2.id))
            )
            .await,
            Err(app::AppError::Forbidden)
        ));
        // A planner adds no actions; a bad date names the field and the fix.
        assert!(matches!(
            programme::add_action(
                &s,
                Caller::User(&planner),
                org.id,
                &input("x", "p@teams.example", due, None)
            )
            .await,
            Err(app::AppError::Forbidden)
        ));
        let mut bad = input("x", "hr@teams.example", due, None);
        bad.due_on = "31-02-2026".into();
        match programme::add_action(&s, caller, org.id, &bad).await {
            Err(app::AppError::Invalid { field, message }) => {
                assert_eq!(field, "due_on");
                assert!(message.contains("dd-mm-jjjj"), "{message}");
            }
            other => panic!("{other:?}"),
        }
        // The plan lists the 12 interventions; a saved one keeps its status.
        let plan = programme::plan(&s, Caller::User(&planner), org.id)
            .await
            .unwrap();
        assert_eq!(plan.interventions.len(), 12);
        assert!(
            plan.interventions
                .iter()
                .all(|i| i.status == store::PlanStatus::NietGekozen)
        );
        assert!(matches!(
            programme::save_plan_item(
                &s,
                Caller::User(&m1),
                org.id,
                "roostersessies",
                &Default::default()
            )
            .await,
            Err(app::AppError::Forbidden)
        ));
    })
    .await;
}
