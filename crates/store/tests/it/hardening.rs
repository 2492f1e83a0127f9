//! Hardening from the attack test (issue 34): credentials that must end together.

use store::{NewUser, Role};

use crate::for_each_backend;

async fn account(s: &store::Store, email: &str) -> store::User {
    s.create_user(&NewUser {
        email: email.into(),
        name: "Iemand".into(),
        role: Role::ProgrammeAdmin,
        org_id: None,
        team_ids: vec![],
        password_hash: Some("h1".into()),
    })
    .await
    .unwrap()
}

#[tokio::test]
async fn a_new_password_ends_the_api_tokens() {
    for_each_backend(|s| async move {
        let user = account(&s, "a@example.nl").await;
        let other = account(&s, "b@example.nl").await;
        s.create_api_token(user.id, "rapport", "uw_aa", "t1")
            .await
            .unwrap();
        s.create_api_token(other.id, "rapport", "uw_bb", "t2")
            .await
            .unwrap();
        s.set_password_hash(user.id, "h2").await.unwrap();
        assert!(
            s.user_for_api_token("t1").await.is_err(),
            "a changed password revokes the account's tokens"
        );
        assert!(s.api_tokens(user.id).await.unwrap()[0].revoked);
        assert_eq!(
            s.user_for_api_token("t2").await.unwrap().id,
            other.id,
            "other accounts keep theirs"
        );

        // Through a reset link as well.
        s.create_api_token(user.id, "rapport 2", "uw_cc", "t3")
            .await
            .unwrap();
        s.create_user_token(user.id, "reset", "r1", store::now() + 60)
            .await
            .unwrap();
        s.redeem_user_token("r1", "reset", "h3").await.unwrap();
        assert!(s.user_for_api_token("t3").await.is_err());
    })
    .await;
}

/// An API token may get an expiry (issue 34): before it the token works, after it the
/// store refuses it as expired (not as unknown), and the list shows the end.
#[tokio::test]
async fn an_api_token_ends_at_its_expiry() {
    for_each_backend(|s| async move {
        let user = account(&s, "a@example.nl").await;
        let now = store::now();
        s.create_api_token_until(user.id, "kort", "uw_aa", "t-past", Some(now - 1))
            .await
            .unwrap();
        s.create_api_token_until(
            user.id,
            "maand",
            "uw_bb",
            "t-future",
            Some(now + 30 * 86_400),
        )
        .await
        .unwrap();
        s.create_api_token(user.id, "altijd", "uw_cc", "t-none")
            .await
            .unwrap();
        assert!(matches!(
            s.user_for_api_token("t-past").await,
            Err(store::StoreError::Invalid {
                violation: store::Violation::TokenExpired,
                ..
            })
        ));
        assert_eq!(s.user_for_api_token("t-future").await.unwrap().id, user.id);
        assert_eq!(s.user_for_api_token("t-none").await.unwrap().id, user.id);
        assert!(matches!(
            s.user_for_api_token("t-unknown").await,
            Err(store::StoreError::NotFound)
        ));
        let list = s.api_tokens(user.id).await.unwrap();
        let ends: Vec<Option<i64>> = list.iter().map(|t| t.expires_at).collect();
        assert_eq!(ends, vec![Some(now - 1), Some(now + 30 * 86_400), None]);
    })
    .await;
}

#[tokio::test]
async fn a_new_reset_link_revokes_the_older_ones() {
    for_each_backend(|s| async move {
        let user = account(&s, "a@example.nl").await;
        let other = account(&s, "b@example.nl").await;
        s.create_user_token(user.id, "reset", "old", store::now() + 60)
            .await
            .unwrap();
        s.create_user_token(other.id, "reset", "others", store::now() + 60)
            .await
            .unwrap();
        s.create_user_token(user.id, "reset", "new", store::now() + 60)
            .await
            .unwrap();
        assert!(s.peek_user_token("old", "reset").await.is_err());
        assert!(s.redeem_user_token("old", "reset", "h2").await.is_err());
        assert_eq!(s.peek_user_token("new", "reset").await.unwrap().id, user.id);
        assert_eq!(
            s.peek_user_token("others", "reset").await.unwrap().id,
            other.id
        );
        // An invitation made later ends the reset link too: one open link per account.
        s.create_user_token(user.id, "invite", "inv", store::now() + 60)
            .await
            .unwrap();
        assert!(s.peek_user_token("new", "reset").await.is_err());
        assert_eq!(
            s.peek_user_token("inv", "invite").await.unwrap().id,
            user.id
        );
    })
    .await;
}

/// NUL, other control characters, bidi overrides and zero-width characters in names are a
/// named rule broken on both databases (PostgreSQL answered 500 for NUL).
#[tokio::test]
async fn names_with_control_or_invisible_characters_are_refused() {
    use store::{OrganisationInput, StoreError, Subsector, Violation};
    for_each_backend(|s| async move {
        let org = s
            .create_organisation(&OrganisationInput::new("Org", Subsector::Vvt))
            .await
            .unwrap();
        for bad in [
            "Team\u{0}Zon",
            "Team\u{202E}noZ",
            "Te\u{200B}am",
            "Team\u{7}",
        ] {
            let names = |r: Result<_, StoreError>| {
                matches!(
                    r,
                    Err(StoreError::Invalid {
                        field: "name",
                        violation: Violation::NameCharacters
                    })
                )
            };
            let r = s.create_team(org.id, bad, None).await;
            assert!(names(r.map(|_| ())), "team {bad:?}");
            let r = s.create_location(org.id, bad).await;
            assert!(names(r.map(|_| ())), "location {bad:?}");
            let r = s
                .create_organisation(&OrganisationInput::new(bad, Subsector::Gz))
                .await;
            assert!(names(r.map(|_| ())), "organisation {bad:?}");
            let r = s
                .create_user(&NewUser {
                    email: "x@example.nl".into(),
                    name: bad.into(),
                    role: Role::ProgrammeAdmin,
                    org_id: None,
                    team_ids: vec![],
                    password_hash: None,
                })
                .await;
            assert!(names(r.map(|_| ())), "user {bad:?}");
        }
        let r = s
            .create_user(&NewUser {
                email: "x\u{0}@example.nl".into(),
                name: "X".into(),
                role: Role::ProgrammeAdmin,
                org_id: None,
                team_ids: vec![],
                password_hash: None,
            })
            .await;
        assert!(
            matches!(r, Err(StoreError::Invalid { field: "email", .. })),
            "{r:?}"
        );
        assert!(s.create_team(org.id, "Team 't Hofje", None).await.is_ok());
    })
    .await;
}

/// A survey round's dates must be real days: `2026-02-30` is refused, as on the pages.
#[tokio::test]
async fn impossible_dates_are_refused() {
    use store::{NewSurveyRound, OrganisationInput, StoreError, Subsector};
    for_each_backend(|s| async move {
        let org = s
            .create_organisation(&OrganisationInput::new("Org", Subsector::Vvt))
            .await
            .unwrap();
        let team = s.create_team(org.id, "T", None).await.unwrap();
        let round = |opens: &str| NewSurveyRound {
            name: "Nulmeting".into(),
            kind: "nulmeting".into(),
            questionnaire: "medewerkers".into(),
            version: 1,
            custom_questions: "[]".into(),
            opens_on: opens.into(),
            closes_on: "2026-03-31".into(),
            invitation_text: String::new(),
            import_round: false,
        };
        let r = s
            .create_survey_round(org.id, &round("2026-02-30"), &[team.id])
            .await;
        assert!(
            matches!(
                r,
                Err(StoreError::Invalid {
                    field: "opens_on",
                    ..
                })
            ),
            "{r:?}"
        );
        s.create_survey_round(org.id, &round("2026-02-28"), &[team.id])
            .await
            .unwrap();
    })
    .await;
}

/// A list of ids that names a team twice is refused, for accounts and rounds alike.
#[tokio::test]
async fn duplicate_ids_are_refused() {
    use store::{OrganisationInput, StoreError, Subsector, Violation};
    for_each_backend(|s| async move {
        let org = s
            .create_organisation(&OrganisationInput::new("Org", Subsector::Vvt))
            .await
            .unwrap();
        let team = s.create_team(org.id, "T", None).await.unwrap();
        let r = s
            .create_user(&NewUser {
                email: "m@example.nl".into(),
                name: "M".into(),
                role: Role::Manager,
                org_id: Some(org.id),
                team_ids: vec![team.id, team.id],
                password_hash: None,
            })
            .await;
        assert!(
            matches!(
                r,
                Err(StoreError::Invalid {
                    field: "team_ids",
                    violation: Violation::DuplicateId { .. }
                })
            ),
            "{r:?}"
        );
    })
    .await;
}
