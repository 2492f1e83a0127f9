//! Store behaviour, run on SQLite and (when configured) PostgreSQL.

mod backup;
mod goals;
mod hardening;
mod hr;
mod jobs;
mod programme;
mod region;
mod shared;
mod survey;
mod value_case;

use store::testing::TestDb;
use store::{Actor, NewUser, OrganisationInput, Role, StoreError, Subsector};

pub async fn for_each_backend<F, Fut>(f: F)
where
    F: Fn(store::Store) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    for db in TestDb::all().await.expect("test database") {
        f(db.store.clone()).await;
        db.cleanup().await.expect("cleanup");
    }
}

#[tokio::test]
async fn organisations_locations_teams() {
    for_each_backend(|s| async move {
        let org = s
            .create_organisation(&OrganisationInput::new("Zorggroep Test", Subsector::Vvt))
            .await
            .unwrap();
        assert_eq!(org.fulltime_hours, 36.0);
        assert_eq!(org.min_group_size, 5);
        let dup = s
            .create_organisation(&OrganisationInput::new("Zorggroep Test", Subsector::Gz))
            .await;
        assert!(matches!(dup, Err(StoreError::Conflict(_))));
        let loc = s.create_location(org.id, "Hengelo").await.unwrap();
        let team = s
            .create_team(org.id, "Team Es", Some(loc.id))
            .await
            .unwrap();
        assert_eq!(s.teams(org.id).await.unwrap(), vec![team.clone()]);
        assert_eq!(
            s.find_organisation("zorggroep test").await.unwrap().id,
            org.id
        );
        let other = s
            .create_organisation(&OrganisationInput::new("Ander", Subsector::Ggz))
            .await
            .unwrap();
        // A team cannot use another organisation's location.
        let bad = s.create_team(other.id, "X", Some(loc.id)).await;
        assert!(matches!(
            bad,
            Err(StoreError::Invalid {
                field: "location_id",
                ..
            })
        ));
        let mut edit = OrganisationInput::new("Zorggroep Test", Subsector::Vvt);
        edit.fulltime_hours = 60.0;
        assert!(matches!(
            s.update_organisation(org.id, &edit).await,
            Err(StoreError::Invalid {
                field: "fulltime_hours",
                ..
            })
        ));
        s.delete_organisation(org.id).await.unwrap();
        assert!(s.teams(org.id).await.unwrap().is_empty(), "teams cascade");
        assert_eq!(s.organisation_counts().await.unwrap().len(), 1);
    })
    .await;
}

#[tokio::test]
async fn users_sessions_tokens_and_throttle() {
    for_each_backend(|s| async move {
        let org = s
            .create_organisation(&OrganisationInput::new("Org", Subsector::Gz))
            .await
            .unwrap();
        let team = s.create_team(org.id, "Team A", None).await.unwrap();
        let no_org = s
            .create_user(&NewUser {
                email: "m@x.nl".into(),
                name: "M".into(),
                role: Role::Manager,
                org_id: None,
                team_ids: vec![],
                password_hash: None,
            })
            .await;
        assert!(matches!(
            no_org,
            Err(StoreError::Invalid {
                field: "org_id",
                ..
            })
        ));
        let user = s
            .create_user(&NewUser {
                email: " Manager@Org.NL ".into(),
                name: "Manager".into(),
                role: Role::Manager,
                org_id: Some(org.id),
                team_ids: vec![team.id],
                password_hash: Some("hash".into()),
            })
            .await
            .unwrap();
        assert_eq!(user.email, "manager@org.nl");
        assert_eq!(user.team_ids, vec![team.id]);
        s.create_session("sid", user.id, "csrf", store::now() + 60)
            .await
            .unwrap();
        assert_eq!(s.session("sid").await.unwrap().user.id, user.id);
        let tok = s
            .create_api_token(user.id, "rapport", "uw_ab", "th")
            .await
            .unwrap();
        assert_eq!(s.user_for_api_token("th").await.unwrap().id, user.id);
        s.set_user_active(user.id, false).await.unwrap();
        assert!(
            s.session("sid").await.is_err(),
            "deactivation ends sessions"
        );
        assert!(
            s.user_for_api_token("th").await.is_err(),
            "and revokes tokens"
        );
        assert!(s.api_tokens(user.id).await.unwrap()[0].revoked);
        assert!(s.revoke_api_token(user.id, tok.id).await.is_err());

        for _ in 0..3 {
            s.record_login_failure("k").await.unwrap();
        }
        assert_eq!(s.login_failures_since("k", 0).await.unwrap(), 3);
        s.clear_login_failures("k").await.unwrap();
        assert_eq!(s.login_failures_since("k", 0).await.unwrap(), 0);

        s.create_user_token(user.id, "reset", "rt", store::now() + 60)
            .await
            .unwrap();
        assert_eq!(s.peek_user_token("rt", "reset").await.unwrap().id, user.id);
        assert!(s.redeem_user_token("rt", "invite", "h2").await.is_err());
        s.redeem_user_token("rt", "reset", "h2").await.unwrap();
        assert!(
            s.redeem_user_token("rt", "reset", "h3").await.is_err(),
            "single use"
        );
        assert_eq!(
            s.password_hash(user.id).await.unwrap().as_deref(),
            Some("h2")
        );

        s.audit(&Actor::cli(), Some(org.id), "org.create", "Org", "")
            .await
            .unwrap();
        let entries = s.audit_entries(10, None).await.unwrap();
        assert_eq!(entries.len(), 1);
        assert_eq!(entries[0].action, "org.create");
        s.ping().await.unwrap();
    })
    .await;
}

#[tokio::test]
async fn sqlite_backup_is_a_consistent_copy() {
    let db = TestDb::sqlite().await.unwrap();
    db.store
        .create_organisation(&OrganisationInput::new("Org", Subsector::Gz))
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("copy.sqlite");
    db.store.backup_sqlite(&copy).await.unwrap();
    let restored = store::Store::connect(&format!("sqlite://{}", copy.display()))
        .await
        .unwrap();
    assert_eq!(restored.organisations().await.unwrap().len(), 1);
    assert!(
        db.store.backup_sqlite(&copy).await.is_err(),
        "never overwrites"
    );
    db.cleanup().await.unwrap();
}

#[test]
fn migration_lists_match() {
    let names = |dir: &str| {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    };
    let root = env!("CARGO_MANIFEST_DIR");
    assert_eq!(
        names(&format!("{root}/migrations/sqlite")),
        names(&format!("{root}/migrations/postgres"))
    );
}

/// After migration both backends have the same tables, columns (by type family and
/// nullability) and indexes; skipped with a note when PostgreSQL is not configured.
#[tokio::test]
async fn sqlite_and_postgres_schemas_match() {
    let Some(url) = store::testing::postgres_url() else {
        eprintln!("SKIPPED schema comparison: set URENWINST_TEST_POSTGRES");
        return;
    };
    let lite = TestDb::sqlite().await.unwrap();
    let pg = TestDb::postgres(&url).await.unwrap();
    let a = lite.store.schema_shape().await.unwrap();
    let b = pg.store.schema_shape().await.unwrap();
    assert!(a.columns.len() > 50, "columns found: {}", a.columns.len());
    assert!(
        a.indexes
            .iter()
            .any(|i| i.table == "jobs" && i.columns == ["dedupe_key"] && i.unique)
    );
    let only = |x: &[store::testing::ColumnShape], y: &[store::testing::ColumnShape]| {
        x.iter()
            .filter(|c| !y.contains(c))
            .cloned()
            .collect::<Vec<_>>()
    };
    assert_eq!(
        only(&a.columns, &b.columns),
        vec![],
        "columns only or different in SQLite"
    );
    assert_eq!(
        only(&b.columns, &a.columns),
        vec![],
        "columns only or different in PostgreSQL"
    );
    assert_eq!(a.indexes, b.indexes);
    lite.cleanup().await.unwrap();
    pg.cleanup().await.unwrap();
}
