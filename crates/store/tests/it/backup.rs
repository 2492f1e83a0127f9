//! The backup and restore drill: the embedded SQLite database through `backup_sqlite` and
//! `restore_sqlite`, and PostgreSQL through `pg_dump` / `pg_restore` (when a test server
//! and the client tools are there), each restored copy holding the same data.

use store::testing::{TestDb, postgres_url, with_database};
use store::{OrganisationInput, Store, Subsector};

fn temp_dir(tag: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("urenwinst-{tag}-{}", store::new_secret()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

async fn some_data(s: &Store) -> (String, String) {
    let org = s
        .create_organisation(&OrganisationInput::new("Zorggroep Kopie", Subsector::Vvt))
        .await
        .unwrap();
    s.create_team(org.id, "Team Kopie", None).await.unwrap();
    let orgs = format!("{:?}", s.organisations().await.unwrap());
    let teams = format!("{:?}", s.teams(org.id).await.unwrap());
    (orgs, teams)
}

async fn same_data(s: &Store) -> (String, String) {
    let org = s.find_organisation("Zorggroep Kopie").await.unwrap();
    (
        format!("{:?}", s.organisations().await.unwrap()),
        format!("{:?}", s.teams(org.id).await.unwrap()),
    )
}

#[tokio::test]
async fn a_sqlite_backup_restores_into_a_fresh_data_directory() {
    let db = TestDb::sqlite().await.unwrap();
    let before = some_data(&db.store).await;
    let dir = temp_dir("backup");
    let copy = dir.join("kopie.sqlite");
    db.store.backup_sqlite(&copy).await.unwrap();

    let fresh = dir.join("data");
    assert_eq!(Store::restore_sqlite(&copy, &fresh).await.unwrap(), 1);
    let restored = Store::open_data_dir(&fresh).await.unwrap();
    assert_eq!(same_data(&restored).await, before);
    restored.close().await;

    // Never over an existing database; never from something that is not a copy.
    assert!(Store::restore_sqlite(&copy, &fresh).await.is_err());
    let junk = dir.join("junk.sqlite");
    std::fs::write(&junk, b"geen database").unwrap();
    let empty = dir.join("leeg");
    assert!(Store::restore_sqlite(&junk, &empty).await.is_err());
    assert!(!empty.join(store::SQLITE_FILE).exists(), "no half database");
    db.cleanup().await.unwrap();
    let _ = std::fs::remove_dir_all(&dir);
}

/// PostgreSQL is backed up with its own tools (README): this runs them on a real database
/// of this schema, so a migration that `pg_dump`/`pg_restore` cannot carry shows here.
#[tokio::test]
async fn postgres_round_trips_through_pg_dump_and_pg_restore() {
    let Some(server) = postgres_url() else {
        eprintln!("SKIPPED: set URENWINST_TEST_POSTGRES");
        return;
    };
    let tool = |name: &str| {
        std::process::Command::new(name)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if !tool("pg_dump") || !tool("pg_restore") {
        eprintln!("SKIPPED: pg_dump/pg_restore not on PATH");
        return;
    }
    let db = TestDb::postgres(&server).await.unwrap();
    let before = some_data(&db.store).await;
    let url = db.postgres_database_url().unwrap();
    let dir = temp_dir("pgdump");
    let dump = dir.join("urenwinst.dump");
    let out = std::process::Command::new("pg_dump")
        .args(["--format=custom", "--no-owner", "--file"])
        .arg(&dump)
        .arg(&url)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let target = format!("urenwinst_r_{}", &store::new_secret()[..16]);
    let mut admin = {
        use sqlx::Connection;
        sqlx::AnyConnection::connect(&server).await.unwrap()
    };
    sqlx::query(&format!("CREATE DATABASE {target}"))
        .execute(&mut admin)
        .await
        .unwrap();
    let target_url = with_database(&server, &target);
    let out = std::process::Command::new("pg_restore")
        .args(["--no-owner", "--dbname"])
        .arg(&target_url)
        .arg(&dump)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let restored = Store::connect(&target_url).await.unwrap();
    restored.migrate().await.unwrap();
    assert_eq!(same_data(&restored).await, before);
    restored.close().await;
    sqlx::query(&format!("DROP DATABASE IF EXISTS {target} WITH (FORCE)"))
        .execute(&mut admin)
        .await
        .unwrap();
    db.cleanup().await.unwrap();
    let _ = std::fs::remove_dir_all(&dir);
}
