//! The programme's services end to end: the daily reminder job sends one digest per user
//! through SMTP (a local sink that speaks just enough SMTP) and never twice a day; actions
//! are seen by who may; the plan is filled from the catalogue.

use app::access::Caller;
use app::jobs::{Ran, Worker, WorkerConfig};
use app::mail::testing::SmtpSink;
use app::programme::{self, ActionInput};
use store::{NewUser, OrganisationInput, Role, Store, Subsector};

use crate::for_each_backend;

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
    let sink = SmtpSink::start();
    for_each_backend(|s| {
        let sink = sink.clone();
        async move {
            sink.clear();
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
            let mail = sink.config();
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
                let got = sink.received();
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
            assert_eq!(sink.received().len(), 1);
            // Tomorrow is another day.
            let next = programme::send_reminders(&s, Some(&mail), day(1))
                .await
                .unwrap();
            assert_eq!(next.sent, 1);
            assert_eq!(sink.received().len(), 2);

            // A server that does not answer: the send fails and is given back for a retry.
            let dead = app::mail::MailConfig {
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

/// Actions are edited whole (title, owner, team, due date, status, link) under the rules
/// of adding one: a manager edits their teams' actions but cannot move one to another
/// team; a wrong date names the field; another organisation's action is not found.
#[tokio::test]
async fn actions_are_edited_within_the_rules_of_adding_them() {
    for_each_backend(|s| async move {
        let org = s
            .create_organisation(&OrganisationInput::new("Zorggroep Wijzig", Subsector::Vvt))
            .await
            .unwrap();
        let other = s
            .create_organisation(&OrganisationInput::new("Zorggroep Anders", Subsector::Vvt))
            .await
            .unwrap();
        let t1 = s.create_team(org.id, "Team 1", None).await.unwrap();
        let t2 = s.create_team(org.id, "Team 2", None).await.unwrap();
        let admin = user(&s, "hr@wijzig.example", Role::OrgAdmin, org.id, vec![]).await;
        let m1 = user(&s, "m1@wijzig.example", Role::Manager, org.id, vec![t1.id]).await;
        let due = programme::today() + chrono::Duration::days(7);
        let a = programme::add_action(
            &s,
            Caller::User(&admin),
            org.id,
            &input("Rooster bespreken", "hr@wijzig.example", due, Some(t1.id)),
        )
        .await
        .unwrap()
        .action;

        // The manager of team 1 moves the deadline and takes the action over.
        let later = due + chrono::Duration::days(14);
        let mut change = input(
            "Rooster bespreken met team 1",
            "m1@wijzig.example",
            later,
            Some(t1.id),
        );
        change.status = Some("bezig".into());
        let v = programme::update_action(&s, Caller::User(&m1), org.id, a.id, &change)
            .await
            .unwrap();
        assert_eq!(v.action.title, "Rooster bespreken met team 1");
        assert_eq!(v.action.due_on, later.format("%Y-%m-%d").to_string());
        assert_eq!(v.action.owner_user_id, Some(m1.id));
        assert_eq!(v.action.status, store::ActionStatus::Bezig);
        let (_, form) = programme::action_input(&s, Caller::User(&m1), org.id, a.id)
            .await
            .unwrap();
        assert_eq!(form.owner, "m1@wijzig.example");
        assert_eq!(form.title, "Rooster bespreken met team 1");

        // ... but cannot hand it to team 2 under someone else.
        let away = input("Weg", "hr@wijzig.example", later, Some(t2.id));
        assert!(matches!(
            programme::update_action(&s, Caller::User(&m1), org.id, a.id, &away).await,
            Err(app::AppError::Forbidden)
        ));
        // A wrong date names the field; nothing changed.
        let mut bad = input("x", "m1@wijzig.example", later, Some(t1.id));
        bad.due_on = "32-01-2027".into();
        match programme::update_action(&s, Caller::User(&m1), org.id, a.id, &bad).await {
            Err(app::AppError::Invalid { field, .. }) => assert_eq!(field, "due_on"),
            other => panic!("{other:?}"),
        }
        assert_eq!(
            s.action(a.id).await.unwrap().title,
            "Rooster bespreken met team 1"
        );
        // Through another organisation's path the action does not exist.
        assert!(matches!(
            programme::update_action(&s, Caller::Operator, other.id, a.id, &change).await,
            Err(app::AppError::NotFound)
        ));
    })
    .await;
}

/// Cohort membership: an organisation is added to an existing cohort and taken out again
/// (its data stay); it is never in two cohorts; only programme admins may do it. The
/// region's impact report names no organisation.
#[tokio::test]
async fn organisations_join_and_leave_cohorts_and_the_region_report_names_none() {
    for_each_backend(|s| async move {
        let mut orgs = Vec::new();
        for name in ["Zorg Een", "Zorg Twee", "Zorg Drie"] {
            orgs.push(
                s.create_organisation(&OrganisationInput::new(name, Subsector::Vvt))
                    .await
                    .unwrap(),
            );
        }
        let region = s.default_region().await.unwrap();
        let op = Caller::Operator;
        let cohort = programme::add_cohort(
            &s,
            op,
            region.id,
            "Cohort 1",
            store::Phase::Pilot,
            &["Zorg Een".into(), "Zorg Twee".into()],
        )
        .await
        .unwrap();
        let c = programme::add_cohort_member(&s, op, region.id, cohort.id, "Zorg Drie")
            .await
            .unwrap();
        assert_eq!(c.org_ids.len(), 3);
        match programme::add_cohort_member(&s, op, region.id, cohort.id, "Zorg Drie").await {
            Err(app::AppError::Invalid { field, message }) => {
                assert_eq!(field, "org");
                assert!(message.contains("zit al in cohort"), "{message}");
            }
            other => panic!("{other:?}"),
        }
        let admin = user(&s, "hr@een.example", Role::OrgAdmin, orgs[0].id, vec![]).await;
        assert!(matches!(
            programme::remove_cohort_member(
                &s,
                Caller::User(&admin),
                region.id,
                cohort.id,
                orgs[1].id
            )
            .await,
            Err(app::AppError::Forbidden)
        ));
        let c = programme::remove_cohort_member(&s, op, region.id, cohort.id, orgs[1].id)
            .await
            .unwrap();
        assert_eq!(c.org_ids.len(), 2);
        assert!(!c.org_ids.contains(&orgs[1].id));
        assert!(s.organisation_cohort(orgs[1].id).await.unwrap().is_none());
        assert!(
            s.organisation(orgs[1].id).await.is_ok(),
            "the organisation stays"
        );
        assert!(matches!(
            programme::remove_cohort_member(&s, op, region.id, cohort.id, orgs[1].id).await,
            Err(app::AppError::NotFound)
        ));

        // The region's impact report: counts only.
        programme::save_plan_item(
            &s,
            op,
            orgs[0].id,
            "roostersessies",
            &programme::PlanItemForm {
                status: "bezig".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        // A finished intervention needs its end: without one it would count as running.
        match programme::save_plan_item(
            &s,
            op,
            orgs[0].id,
            "dialoogsessies",
            &programme::PlanItemForm {
                status: "afgerond".into(),
                starts_on: Some("2026-01-05".into()),
                ..Default::default()
            },
        )
        .await
        {
            Err(app::AppError::Invalid { field, message }) => {
                assert_eq!(field, "ends_on");
                assert!(message.contains("einddatum"), "{message}");
            }
            other => panic!("{other:?}"),
        }
        let doc = app::impact::region_story_unchecked(&s, region.id, programme::today())
            .await
            .unwrap();
        let html = report::doc::to_html(&doc);
        assert!(
            html.contains(&format!("Impact in regio {}", region.name)),
            "{html}"
        );
        assert!(
            html.contains("Roostersessies") || html.contains("roostersessies"),
            "{html}"
        );
        for o in &orgs {
            assert!(!html.contains(&o.name), "{} in the region report", o.name);
        }
    })
    .await;
}
