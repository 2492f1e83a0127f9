//! The programme's tables (migration 0011): phases, cohorts (an organisation in at most
//! one, written all or nothing), onboarding, plan items with teams, sessions and materials,
//! meetings, actions with their links, and reminder claims (once per user per day).

use store::{
    ActionStatus, LinkKind, MeetingKind, NewAction, NewUser, Onboarding, OrganisationInput, Phase,
    PlanItemInput, PlanStatus, Role, StoreError, Subsector,
};

use super::for_each_backend;

#[tokio::test]
async fn phases_cohorts_and_onboarding() {
    for_each_backend(|s| async move {
        let region = s.default_region().await.unwrap();
        let a = s
            .create_organisation(&OrganisationInput::new("Zorg A", Subsector::Vvt))
            .await
            .unwrap();
        let b = s
            .create_organisation(&OrganisationInput::new("Zorg B", Subsector::Gz))
            .await
            .unwrap();
        s.set_programme_phase(region.id, Phase::Pilot, "2024-09-01", "2025-03-31")
            .await
            .unwrap();
        s.set_programme_phase(region.id, Phase::Ontwerp, "2024-04-01", "2024-09-30")
            .await
            .unwrap();
        // Setting a phase again replaces its dates.
        s.set_programme_phase(region.id, Phase::Pilot, "2024-10-01", "2025-03-31")
            .await
            .unwrap();
        let phases = s.programme_phases(region.id).await.unwrap();
        assert_eq!(
            phases
                .iter()
                .map(|p| (p.phase, p.starts_on.as_str()))
                .collect::<Vec<_>>(),
            vec![(Phase::Ontwerp, "2024-04-01"), (Phase::Pilot, "2024-10-01")]
        );
        assert!(matches!(
            s.set_programme_phase(region.id, Phase::Opschalen, "2026-01-01", "2025-01-01")
                .await,
            Err(StoreError::Invalid { field: "to", .. })
        ));
        assert!(matches!(
            s.set_programme_phase(region.id, Phase::Opschalen, "1-1-2026", "2026-12-31")
                .await,
            Err(StoreError::Invalid { field: "from", .. })
        ));

        let pilot = s
            .create_cohort(region.id, "Pilot", Phase::Pilot, &[b.id, a.id])
            .await
            .unwrap();
        assert_eq!(pilot.org_ids, vec![a.id, b.id]);
        assert_eq!(
            s.organisation_cohort(a.id).await.unwrap().unwrap().id,
            pilot.id
        );
        // An organisation in two cohorts is refused, and nothing of the second is kept.
        let c = s
            .create_organisation(&OrganisationInput::new("Zorg C", Subsector::Ggz))
            .await
            .unwrap();
        assert!(matches!(
            s.create_cohort(region.id, "Tweede", Phase::Opschalen, &[c.id, a.id])
                .await,
            Err(StoreError::Conflict(_))
        ));
        assert_eq!(s.cohorts(region.id).await.unwrap().len(), 1);
        assert!(s.organisation_cohort(c.id).await.unwrap().is_none());

        assert!(s.onboarding(a.id).await.unwrap().is_none());
        let mut o = Onboarding {
            org_id: a.id,
            project_lead: " Hanneke ".into(),
            board_commitment_on: Some("2024-09-16".into()),
            people_reserved: 3,
            hours_reserved: 12.5,
            notes: String::new(),
            updated_at: 0,
        };
        let saved = s.set_onboarding(&o).await.unwrap();
        assert_eq!(saved.project_lead, "Hanneke");
        assert_eq!(saved.hours_reserved, 12.5);
        o.board_commitment_on = Some("16-09-2024".into());
        assert!(s.set_onboarding(&o).await.is_err());
        o.board_commitment_on = None;
        o.people_reserved = 4;
        let saved = s.set_onboarding(&o).await.unwrap();
        assert_eq!(
            (saved.people_reserved, saved.board_commitment_on),
            (4, None)
        );
    })
    .await;
}

#[tokio::test]
async fn plan_meetings_actions_and_reminders() {
    for_each_backend(|s| async move {
        let org = s
            .create_organisation(&OrganisationInput::new("Zorg A", Subsector::Vvt))
            .await
            .unwrap();
        let other = s
            .create_organisation(&OrganisationInput::new("Zorg B", Subsector::Vvt))
            .await
            .unwrap();
        let team = s.create_team(org.id, "Team 1", None).await.unwrap();
        let other_team = s.create_team(other.id, "Team B", None).await.unwrap();
        let user = s
            .create_user(&NewUser {
                email: "hr@a.example".into(),
                name: "Anna".into(),
                role: Role::OrgAdmin,
                org_id: Some(org.id),
                team_ids: vec![],
                password_hash: None,
            })
            .await
            .unwrap();
        let outsider = s
            .create_user(&NewUser {
                email: "hr@b.example".into(),
                name: "Bert".into(),
                role: Role::OrgAdmin,
                org_id: Some(other.id),
                team_ids: vec![],
                password_hash: None,
            })
            .await
            .unwrap();

        // Recommending creates a planned item and keeps a status already chosen.
        assert!(
            s.recommend_plan_item(org.id, "roostersessies", "Omdat …")
                .await
                .unwrap()
        );
        let input = PlanItemInput {
            status: PlanStatus::Bezig,
            owner: "Priya".into(),
            starts_on: Some("2026-01-01".into()),
            ends_on: Some("2026-06-30".into()),
            team_ids: vec![team.id],
        };
        let item = s
            .save_plan_item(org.id, "roostersessies", &input)
            .await
            .unwrap();
        assert_eq!((item.status, item.recommended), (PlanStatus::Bezig, true));
        assert!(
            !s.recommend_plan_item(org.id, "roostersessies", "Omdat …")
                .await
                .unwrap()
        );
        assert_eq!(
            s.plan_item(org.id, "roostersessies").await.unwrap().status,
            PlanStatus::Bezig
        );
        // Another organisation's team is refused, and the item keeps its teams.
        let bad = PlanItemInput {
            team_ids: vec![other_team.id],
            ..input.clone()
        };
        assert!(
            s.save_plan_item(org.id, "roostersessies", &bad)
                .await
                .is_err()
        );
        assert_eq!(
            s.plan_item(org.id, "roostersessies")
                .await
                .unwrap()
                .team_ids,
            vec![team.id]
        );
        s.add_plan_session(item.id, "2026-02-01", 8, "Eerste sessie")
            .await
            .unwrap();
        s.add_plan_material(item.id, "Roosterscan", "https://example.org/scan")
            .await
            .unwrap();
        let item = s.plan_item(org.id, "roostersessies").await.unwrap();
        assert_eq!(item.sessions.len(), 1);
        assert_eq!(item.sessions[0].participants, 8);
        assert_eq!(item.materials[0].url, "https://example.org/scan");
        assert!(s.plan_items(other.id).await.unwrap().is_empty());

        let m = s
            .create_meeting(
                org.id,
                MeetingKind::Stuurgroep,
                "2026-03-01",
                "Verslag",
                "Besluit 1",
            )
            .await
            .unwrap();
        assert_eq!(s.meetings(org.id).await.unwrap(), vec![m.clone()]);
        assert!(s.meetings(other.id).await.unwrap().is_empty());

        let new = |title: &str, due: &str| NewAction {
            org_id: org.id,
            title: title.into(),
            owner_user_id: Some(user.id),
            owner_programme: false,
            team_id: Some(team.id),
            due_on: due.into(),
            status: ActionStatus::Open,
            link: Some((LinkKind::Meeting, m.id.to_string())),
        };
        let late = s
            .create_action(&new("Te laat", "2026-03-10"))
            .await
            .unwrap();
        let soon = s.create_action(&new("Bijna", "2026-03-22")).await.unwrap();
        s.create_action(&NewAction {
            link: Some((LinkKind::RoundTable, "7".into())),
            ..new("Later", "2026-05-01")
        })
        .await
        .unwrap();
        // Owners, teams and meetings of another organisation are refused.
        for bad in [
            NewAction {
                owner_user_id: Some(outsider.id),
                ..new("x", "2026-03-10")
            },
            NewAction {
                team_id: Some(other_team.id),
                ..new("x", "2026-03-10")
            },
            NewAction {
                org_id: other.id,
                owner_user_id: None,
                team_id: None,
                ..new("x", "2026-03-10")
            },
        ] {
            assert!(s.create_action(&bad).await.is_err(), "{bad:?}");
        }
        assert_eq!(s.actions(org.id).await.unwrap().len(), 3);
        assert_eq!(
            s.linked_actions(LinkKind::Meeting, &m.id.to_string())
                .await
                .unwrap()
                .len(),
            2
        );
        assert_eq!(
            s.open_action_counts(user.id, "2026-03-20").await.unwrap(),
            (3, 1)
        );
        s.set_action_status(late.id, ActionStatus::Klaar)
            .await
            .unwrap();
        assert_eq!(
            s.open_action_counts(user.id, "2026-03-20").await.unwrap(),
            (2, 0)
        );
        let due = s.actions_due_by("2026-03-23").await.unwrap();
        assert_eq!(
            due.iter().map(|d| d.action.id).collect::<Vec<_>>(),
            vec![soon.id]
        );
        assert_eq!(due[0].email, "hr@a.example");

        // One reminder per user per day, across instances; a failed send is given back.
        assert!(s.claim_reminder(user.id, "2026-03-20", 1).await.unwrap());
        assert!(!s.claim_reminder(user.id, "2026-03-20", 1).await.unwrap());
        s.release_reminder(user.id, "2026-03-20").await.unwrap();
        assert!(s.claim_reminder(user.id, "2026-03-20", 1).await.unwrap());
        assert!(s.claim_reminder(user.id, "2026-03-21", 1).await.unwrap());
        assert_eq!(
            s.reminder_days(user.id).await.unwrap(),
            vec!["2026-03-21".to_string(), "2026-03-20".to_string()]
        );
    })
    .await;
}
