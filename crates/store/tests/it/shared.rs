//! State shared by instances: the upload stash and the open-link throttle windows.

use store::{NewStashedUpload, NewUser, OrganisationInput, Role, StoreError, Subsector};

use super::for_each_backend;

async fn org_and_user(s: &store::Store, name: &str) -> (i64, i64) {
    let org = s
        .create_organisation(&OrganisationInput::new(name, Subsector::Gz))
        .await
        .unwrap();
    let user = s
        .create_user(&NewUser {
            email: format!("admin@{}.nl", name.to_lowercase()),
            name: "Admin".into(),
            role: Role::OrgAdmin,
            org_id: Some(org.id),
            team_ids: vec![],
            password_hash: None,
        })
        .await
        .unwrap();
    (org.id, user.id)
}

fn upload<'a>(token_hash: &'a str, org_id: i64, user_id: i64, now: i64) -> NewStashedUpload<'a> {
    NewStashedUpload {
        token_hash,
        org_id,
        user_id,
        kind: "hr",
        now,
        expires_at: now + 1800,
        payload: "v1:sealed",
        max_per_user: 3,
    }
}

#[tokio::test]
async fn uploads_belong_to_their_owner_expire_and_are_capped_per_user() {
    for_each_backend(|s| async move {
        let (org, user) = org_and_user(&s, "Org").await;
        let (other_org, other_user) = org_and_user(&s, "Ander").await;
        let now = 1_800_000_000;
        s.stash_upload(&upload("t1", org, user, now)).await.unwrap();
        let got = s.stashed_upload("t1", org, user, now + 10).await.unwrap();
        assert_eq!(
            (got.kind.as_str(), got.payload.as_str()),
            ("hr", "v1:sealed")
        );
        assert_eq!(got.expires_at, now + 1800);
        // Another user or organisation does not find it.
        for (o, u) in [
            (org, other_user),
            (other_org, user),
            (other_org, other_user),
        ] {
            assert!(matches!(
                s.stashed_upload("t1", o, u, now).await,
                Err(StoreError::NotFound)
            ));
            assert!(matches!(
                s.update_stashed_upload("t1", o, u, now, "x").await,
                Err(StoreError::NotFound)
            ));
            assert!(matches!(
                s.delete_stashed_upload("t1", o, u).await,
                Err(StoreError::NotFound)
            ));
        }
        s.update_stashed_upload("t1", org, user, now + 5, "v1:new")
            .await
            .unwrap();
        assert_eq!(
            s.stashed_upload("t1", org, user, now)
                .await
                .unwrap()
                .payload,
            "v1:new"
        );
        // Expired: refused, and purged.
        assert!(matches!(
            s.stashed_upload("t1", org, user, now + 1800).await,
            Err(StoreError::NotFound)
        ));
        assert!(matches!(
            s.update_stashed_upload("t1", org, user, now + 1800, "x")
                .await,
            Err(StoreError::NotFound)
        ));
        assert_eq!(s.purge_expired_uploads(now + 1799).await.unwrap(), 0);
        assert_eq!(s.purge_expired_uploads(now + 1800).await.unwrap(), 1);
        // At most three per user: the oldest go first; the other user keeps theirs.
        s.stash_upload(&upload("o1", other_org, other_user, now))
            .await
            .unwrap();
        for (i, t) in ["a", "b", "c", "d"].into_iter().enumerate() {
            s.stash_upload(&upload(t, org, user, now + i as i64))
                .await
                .unwrap();
        }
        assert!(s.stashed_upload("a", org, user, now + 5).await.is_err());
        for t in ["b", "c", "d"] {
            assert!(s.stashed_upload(t, org, user, now + 5).await.is_ok(), "{t}");
        }
        assert!(
            s.stashed_upload("o1", other_org, other_user, now + 5)
                .await
                .is_ok()
        );
        // The same token twice is a conflict, never an overwrite of another's upload.
        assert!(matches!(
            s.stash_upload(&upload("o1", org, user, now + 6)).await,
            Err(StoreError::Conflict(_))
        ));
        s.delete_stashed_upload("d", org, user).await.unwrap();
        assert!(s.stashed_upload("d", org, user, now + 5).await.is_err());
    })
    .await;
}

#[tokio::test]
async fn link_attempts_count_per_key_and_window_and_are_purged() {
    for_each_backend(|s| async move {
        let w = 1_800_000_000;
        for n in 1..=3 {
            assert_eq!(
                s.count_link_attempt("tok", "client", "step", w, w + 600)
                    .await
                    .unwrap(),
                n
            );
        }
        // Another client, kind or window counts apart.
        assert_eq!(
            s.count_link_attempt("tok", "client2", "step", w, w + 600)
                .await
                .unwrap(),
            1
        );
        assert_eq!(
            s.count_link_attempt("tok", "client", "submit", w, w + 3600)
                .await
                .unwrap(),
            1
        );
        assert_eq!(
            s.count_link_attempt("tok", "client", "step", w + 600, w + 1200)
                .await
                .unwrap(),
            1
        );
        assert_eq!(s.purge_expired_link_attempts(w + 599).await.unwrap(), 0);
        assert_eq!(s.purge_expired_link_attempts(w + 600).await.unwrap(), 2);
        assert_eq!(s.purge_expired_link_attempts(w + 3600).await.unwrap(), 2);
    })
    .await;
}
