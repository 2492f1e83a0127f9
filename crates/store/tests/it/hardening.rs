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
        assert_eq!(s.peek_user_token("inv", "invite").await.unwrap().id, user.id);
    })
    .await;
}
