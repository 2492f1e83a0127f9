//! One audit actor format for every product part: organisations, survey and HR baseline
//! name the same user the same way (they used to differ: "Name <email>" in one part, the
//! bare email in another).

use app::access::Caller;
use store::{NewSurveyRound, NewUser, OrganisationInput, Role, Subsector};

use crate::for_each_backend;

#[tokio::test]
async fn every_part_names_the_actor_the_same_way() {
    for_each_backend(|store| async move {
        let user = store
            .create_user(&NewUser {
                email: "petra@programma.example".into(),
                name: "Petra Programma".into(),
                role: Role::ProgrammeAdmin,
                org_id: None,
                team_ids: vec![],
                password_hash: None,
            })
            .await
            .unwrap();
        // Organisations part.
        let org = app::orgs::create_organisation(
            &store,
            Caller::User(&user),
            &OrganisationInput::new("Zorggroep Audit", Subsector::Vvt),
        )
        .await
        .unwrap();
        let team = app::orgs::create_team(&store, Caller::User(&user), org.id, "Berk", None)
            .await
            .unwrap();
        // Survey part.
        let round = app::survey::create_round(
            &store,
            Caller::User(&user),
            org.id,
            &NewSurveyRound {
                name: "Nulmeting".into(),
                kind: "nulmeting".into(),
                questionnaire: "medewerkers".into(),
                version: 1,
                custom_questions: "[]".into(),
                opens_on: "2026-01-01".into(),
                closes_on: "2026-02-01".into(),
                invitation_text: String::new(),
                import_round: false,
            },
            &[team.id],
        )
        .await
        .unwrap();
        app::survey::set_round_status(&store, Caller::User(&user), round.id, "open")
            .await
            .unwrap();
        // HR part.
        app::nulmeting::set_wage_cost(&store, &user, org.id, Some(5_800_000))
            .await
            .unwrap();
        app::nulmeting::set_benchmarks(&store, &user, None)
            .await
            .unwrap();

        let entries = store.audit_entries(100, None).await.unwrap();
        let mine: Vec<_> = entries
            .iter()
            .filter(|e| e.actor_id == Some(user.id))
            .collect();
        let actions: Vec<&str> = mine.iter().map(|e| e.action.as_str()).collect();
        for expected in [
            "organisation.create",
            "team.create",
            "survey.round.create",
            "survey.round.status",
            "hr.wage_cost",
            "hr.benchmarks_reset",
        ] {
            assert!(
                actions.contains(&expected),
                "{expected} not logged: {actions:?}"
            );
        }
        for e in &mine {
            assert_eq!(
                e.actor, "Petra Programma <petra@programma.example>",
                "{}",
                e.action
            );
            assert_eq!(e.actor, app::audit::actor(&user).label);
        }
        // The command line is named as itself.
        app::orgs::create_team(&store, Caller::Operator, org.id, "Eik", None)
            .await
            .unwrap();
        let last = &store.audit_entries(1, None).await.unwrap()[0];
        assert_eq!((last.actor_id, last.actor.as_str()), (None, "command line"));
    })
    .await;
}
