//! The upload stash over the database: any instance serves the next step, the payload is
//! sealed, only its owner opens it, and expired uploads are refused and purged.

use app::AppError;
use app::jobs::{Ran, WorkerConfig};
use app::uploads::{UPLOAD_TTL, UploadKey, Uploads};
use serde::{Deserialize, Serialize};
use store::testing::TestDb;
use store::{NewUser, OrganisationInput, Role, Subsector};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Parsed {
    file_name: String,
    rows: Vec<Vec<String>>,
}

fn parsed() -> Parsed {
    Parsed {
        file_name: "personeel.xlsx".into(),
        rows: vec![
            vec!["Naam".into(), "Uren".into()],
            vec!["Jansen-Vermeulen".into(), "24".into()],
        ],
    }
}

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

#[tokio::test]
async fn an_upload_on_one_instance_is_mapped_on_another() {
    for db in TestDb::all().await.unwrap() {
        let key = UploadKey::random();
        let other_store = db.another_instance().await.unwrap();
        let a = Uploads::new(db.store.clone(), key.clone());
        let b = Uploads::new(other_store.clone(), key.clone());
        let (org, user) = org_and_user(&db.store, "Org").await;
        let token = a.put(org, user, "hr", &parsed()).await.unwrap();
        let (kind, got): (String, Parsed) = b.get(&token, org, user).await.unwrap();
        assert_eq!((kind.as_str(), &got), ("hr", &parsed()));
        // The mapping state changes on B and is seen on A.
        let mut changed = parsed();
        changed.rows.pop();
        b.update(&token, org, user, &changed).await.unwrap();
        let (_, got): (String, Parsed) = a.get(&token, org, user).await.unwrap();
        assert_eq!(got, changed);
        // Done on A: gone for B.
        a.remove(&token, org, user).await.unwrap();
        assert!(matches!(
            b.get::<Parsed>(&token, org, user).await,
            Err(AppError::NotFound)
        ));
        // An instance with another key cannot open what this one sealed.
        let token = a.put(org, user, "hr", &parsed()).await.unwrap();
        let stranger = Uploads::new(other_store.clone(), UploadKey::random());
        assert!(matches!(
            stranger.get::<Parsed>(&token, org, user).await,
            Err(AppError::NotFound)
        ));
        other_store.close().await;
        db.cleanup().await.unwrap();
    }
}

#[tokio::test]
async fn the_stored_payload_holds_no_plaintext_and_no_token() {
    for db in TestDb::all().await.unwrap() {
        let s = db.store.clone();
        let up = Uploads::new(s.clone(), UploadKey::random());
        let (org, user) = org_and_user(&s, "Org").await;
        let token = up.put(org, user, "hr", &parsed()).await.unwrap();
        let row = s
            .stashed_upload(&store::hash_secret(&token), org, user, store::now())
            .await
            .unwrap();
        assert!(row.payload.starts_with("v1:"));
        for plain in ["Jansen", "Vermeulen", "personeel", "Naam", &token] {
            assert!(
                !row.payload.contains(plain),
                "{plain} in the stored payload"
            );
        }
        assert!(
            row.payload.len() > 40,
            "the payload is stored, sealed: {}",
            row.payload
        );
        // The same value sealed twice differs (a fresh nonce per write).
        let token2 = up.put(org, user, "hr", &parsed()).await.unwrap();
        let row2 = s
            .stashed_upload(&store::hash_secret(&token2), org, user, store::now())
            .await
            .unwrap();
        assert_ne!(row.payload, row2.payload);
        db.cleanup().await.unwrap();
    }
}

#[tokio::test]
async fn another_user_or_organisation_cannot_take_the_token() {
    for db in TestDb::all().await.unwrap() {
        let s = db.store.clone();
        let up = Uploads::new(s.clone(), UploadKey::random());
        let (org, user) = org_and_user(&s, "Org").await;
        let (other_org, other_user) = org_and_user(&s, "Ander").await;
        let token = up.put(org, user, "hr", &parsed()).await.unwrap();
        for (o, u) in [
            (org, other_user),
            (other_org, user),
            (other_org, other_user),
        ] {
            assert!(matches!(
                up.get::<Parsed>(&token, o, u).await,
                Err(AppError::NotFound)
            ));
            assert!(matches!(
                up.update(&token, o, u, &parsed()).await,
                Err(AppError::NotFound)
            ));
            assert!(matches!(
                up.remove(&token, o, u).await,
                Err(AppError::NotFound)
            ));
        }
        // Still there for its owner.
        assert!(up.get::<Parsed>(&token, org, user).await.is_ok());
        db.cleanup().await.unwrap();
    }
}

#[tokio::test]
async fn expired_uploads_are_refused_and_purged_by_the_hourly_job() {
    for db in TestDb::all().await.unwrap() {
        let s = db.store.clone();
        let up = Uploads::new(s.clone(), UploadKey::random());
        let (org, user) = org_and_user(&s, "Org").await;
        let ttl = UPLOAD_TTL.as_secs() as i64;
        let then = store::now() - ttl - 1;
        let old = up.put_at(then, org, user, "hr", &parsed()).await.unwrap();
        assert!(matches!(
            up.get::<Parsed>(&old, org, user).await,
            Err(AppError::NotFound)
        ));
        assert!(
            up.get_at::<Parsed>(then + ttl - 1, &old, org, user)
                .await
                .is_ok(),
            "live until its expiry"
        );
        // Another user's upload is not touched by the purge.
        let (org2, user2) = org_and_user(&s, "Ander").await;
        let fresh = up.put(org2, user2, "pnil", &parsed()).await.unwrap();
        let before = count(&s, "upload_stash").await;
        assert_eq!(before, 2);
        let w = app::maintenance::standard_worker(s.clone(), WorkerConfig::new("purge"));
        w.enqueue_due(store::now()).await.unwrap();
        match w.run_once().await.unwrap() {
            Ran::Job { status, id } => {
                assert_eq!(status, "done");
                let result = s.job(id).await.unwrap().result.unwrap();
                assert!(result.contains("\"uploads\":1"), "{result}");
            }
            Ran::Idle => panic!("the purge job was not enqueued"),
        }
        assert_eq!(count(&s, "upload_stash").await, 1);
        let (kind, _) = up.get::<Parsed>(&fresh, org2, user2).await.unwrap();
        assert_eq!(kind, "pnil");
        db.cleanup().await.unwrap();
    }
}

async fn count(s: &store::Store, table: &str) -> i64 {
    s.row_counts()
        .await
        .unwrap()
        .into_iter()
        .find(|(t, _)| t == table)
        .map(|(_, n)| n)
        .unwrap()
}
