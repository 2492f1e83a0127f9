//! Survey storage rules of issue 26 at the store level: rounds only move forward and
//! freeze the minimum group size, teams with survey data are archived instead of deleted,
//! drafts expire, free texts are kept apart from responses and reviewed.

use store::{NewResponse, NewSurveyRound, OrganisationInput, StoreError, Subsector};

use crate::for_each_backend;

fn round_input(import_round: bool) -> NewSurveyRound {
    NewSurveyRound {
        name: "Nulmeting".into(),
        kind: "nulmeting".into(),
        questionnaire: "medewerkers".into(),
        version: 1,
        custom_questions: "[]".into(),
        opens_on: "2026-01-01".into(),
        closes_on: "2026-12-31".into(),
        invitation_text: String::new(),
        import_round,
    }
}

#[tokio::test]
async fn rounds_move_forward_only_and_freeze_k() {
    for_each_backend(|s| async move {
        let mut input = OrganisationInput::new("Zorg Vooruit", Subsector::Vvt);
        input.min_group_size = 6;
        let org = s.create_organisation(&input).await.unwrap();
        let team = s.create_team(org.id, "Team A", None).await.unwrap();
        let r = s
            .create_survey_round(org.id, &round_input(false), &[team.id])
            .await
            .unwrap();
        assert_eq!(r.frozen_min_group_size, None);
        assert!(!r.import_round);
        s.set_survey_round_status(r.id, "open").await.unwrap();
        assert_eq!(
            s.survey_round(r.id).await.unwrap().frozen_min_group_size,
            Some(6)
        );
        assert!(matches!(
            s.set_survey_round_status(r.id, "concept").await,
            Err(StoreError::Invalid { .. })
        ));
        s.set_survey_round_status(r.id, "gesloten").await.unwrap();
        for back in ["open", "concept"] {
            assert!(matches!(
                s.set_survey_round_status(r.id, back).await,
                Err(StoreError::Invalid { .. })
            ));
        }
        let round = s.survey_round(r.id).await.unwrap();
        assert_eq!(round.status, "gesloten");
        // Lowering k later does not apply; raising it does.
        assert_eq!(round.effective_min_group_size(3), 6);
        assert_eq!(round.effective_min_group_size(9), 9);
        // Closed: no more codes.
        assert!(
            s.add_survey_codes(r.id, team.id, &[store::hash_secret("X")])
                .await
                .is_err()
        );
        // An import round takes no codes and has no open link.
        let imp = s
            .create_survey_round(org.id, &round_input(true), &[team.id])
            .await
            .unwrap();
        assert!(imp.import_round);
        assert!(
            s.add_survey_codes(imp.id, team.id, &[store::hash_secret("Y")])
                .await
                .is_err()
        );
        let token = s.survey_round_teams(imp.id).await.unwrap()[0]
            .open_token
            .clone();
        assert!(matches!(
            s.survey_invitation(&token).await,
            Err(StoreError::NotFound)
        ));
    })
    .await;
}

#[tokio::test]
async fn teams_with_survey_data_are_archived_not_deleted() {
    for_each_backend(|s| async move {
        let org = s
            .create_organisation(&OrganisationInput::new("Zorg Archief", Subsector::Gz))
            .await
            .unwrap();
        let used = s.create_team(org.id, "Team Oud", None).await.unwrap();
        let free = s.create_team(org.id, "Team Leeg", None).await.unwrap();
        let r = s
            .create_survey_round(org.id, &round_input(false), &[used.id, free.id])
            .await
            .unwrap();
        // In a concept round without data, a team may still go.
        s.delete_team(free.id).await.unwrap();
        s.set_survey_round_status(r.id, "open").await.unwrap();
        s.import_survey_responses(
            r.id,
            &[NewResponse {
                team_id: Some(used.id),
                version: 1,
                answers: "{}".into(),
                day: "2026-03-01".into(),
                source: "code",
            }],
        )
        .await
        .unwrap();
        assert!(s.team_has_survey_data(used.id).await.unwrap());
        assert!(matches!(
            s.delete_team(used.id).await,
            Err(StoreError::Invalid { .. })
        ));
        s.archive_team(used.id).await.unwrap();
        assert!(s.team_archived(used.id).await.unwrap());
        assert!(s.teams(org.id).await.unwrap().is_empty());
        assert_eq!(s.all_teams(org.id).await.unwrap().len(), 1);
        assert_eq!(
            s.survey_responses(r.id).await.unwrap()[0].team_id,
            Some(used.id)
        );
        // Not in a new round.
        assert!(
            s.create_survey_round(org.id, &round_input(false), &[used.id])
                .await
                .is_err()
        );
    })
    .await;
}

#[tokio::test]
async fn drafts_expire_and_free_texts_are_reviewed_apart() {
    for_each_backend(|s| async move {
        let org = s
            .create_organisation(&OrganisationInput::new("Zorg Tekst", Subsector::Ggz))
            .await
            .unwrap();
        let team = s.create_team(org.id, "Team T", None).await.unwrap();
        let r = s
            .create_survey_round(org.id, &round_input(false), &[team.id])
            .await
            .unwrap();
        let today = chrono::Utc::now().date_naive();
        let day = |d: u64| {
            (today - chrono::Days::new(d))
                .format("%Y-%m-%d")
                .to_string()
        };
        s.save_survey_draft("nieuw", r.id, "{\"a\":1}", &day(13))
            .await
            .unwrap();
        s.save_survey_draft("oud", r.id, "{\"a\":2}", &day(15))
            .await
            .unwrap();
        assert!(s.survey_draft("nieuw").await.unwrap().is_some());
        assert!(s.survey_draft("oud").await.unwrap().is_none());
        s.purge_expired_survey_drafts().await.unwrap();

        s.submit_survey_response_with_texts(
            r.id,
            None,
            None,
            None,
            &NewResponse {
                team_id: Some(team.id),
                version: 1,
                answers: "{}".into(),
                day: day(0),
                source: "link",
            },
            &[("voorwaarden_anders".into(), "Noem Piet".into())],
        )
        .await
        .unwrap();
        assert!(
            !s.survey_responses(r.id).await.unwrap()[0]
                .answers
                .contains("Piet")
        );
        let texts = s.survey_free_texts(r.id).await.unwrap();
        assert_eq!(texts.len(), 1);
        assert_eq!(texts[0].status, "pending");
        assert!(s.approved_survey_free_texts(r.id).await.unwrap().is_empty());
        assert!(
            s.review_survey_free_text(texts[0].id, "approved", Some("  "))
                .await
                .is_err()
        );
        s.review_survey_free_text(texts[0].id, "approved", Some("Noem [naam]"))
            .await
            .unwrap();
        assert_eq!(
            s.approved_survey_free_texts(r.id).await.unwrap(),
            vec![("voorwaarden_anders".to_string(), "Noem [naam]".to_string())]
        );
        s.review_survey_free_text(texts[0].id, "withheld", None)
            .await
            .unwrap();
        assert!(s.approved_survey_free_texts(r.id).await.unwrap().is_empty());
    })
    .await;
}
