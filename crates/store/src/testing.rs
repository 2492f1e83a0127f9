//! Test databases: a fresh SQLite file, or a fresh PostgreSQL database on the server named
//! by `URENWINST_TEST_POSTGRES` that is dropped afterwards.

use sqlx::Connection;

use crate::{Store, StoreResult};

/// A store made for one test. Call [`TestDb::cleanup`] at the end of the test.
pub struct TestDb {
    pub store: Store,
    _dir: Option<TempDir>,
    pg: Option<(String, String)>,
}

/// A directory removed on drop (kept small to avoid a dependency in the library).
struct TempDir(std::path::PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The PostgreSQL server URL for tests, when configured.
pub fn postgres_url() -> Option<String> {
    std::env::var("URENWINST_TEST_POSTGRES")
        .ok()
        .filter(|s| !s.trim().is_empty())
}

impl TestDb {
    /// A migrated SQLite database in a new temporary directory.
    pub async fn sqlite() -> StoreResult<TestDb> {
        let dir = std::env::temp_dir().join(format!("urenwinst-test-{}", crate::new_secret()));
        let store = Store::open_data_dir(&dir).await?;
        store.migrate().await?;
        Ok(TestDb {
            store,
            _dir: Some(TempDir(dir)),
            pg: None,
        })
    }

    /// A migrated PostgreSQL database of its own on the server at `server_url`.
    pub async fn postgres(server_url: &str) -> StoreResult<TestDb> {
        sqlx::any::install_default_drivers();
        let name = format!("urenwinst_t_{}", &crate::new_secret()[..16]);
        let mut admin = sqlx::AnyConnection::connect(server_url).await?;
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut admin)
            .await?;
        admin.close().await?;
        let url = with_database(server_url, &name);
        let store = Store::connect(&url).await?;
        store.migrate().await?;
        Ok(TestDb {
            store,
            _dir: None,
            pg: Some((server_url.to_string(), name)),
        })
    }

    /// Every backend configured for this run: SQLite always, PostgreSQL when
    /// `URENWINST_TEST_POSTGRES` is set.
    pub async fn all() -> StoreResult<Vec<TestDb>> {
        let mut dbs = vec![TestDb::sqlite().await?];
        if let Some(url) = postgres_url() {
            dbs.push(TestDb::postgres(&url).await?);
        }
        Ok(dbs)
    }

    /// Closes the pool and drops the PostgreSQL database.
    pub async fn cleanup(self) -> StoreResult<()> {
        self.store.close().await;
        if let Some((server, name)) = &self.pg {
            let mut admin = sqlx::AnyConnection::connect(server).await?;
            sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .execute(&mut admin)
                .await?;
            admin.close().await?;
        }
        Ok(())
    }
}

/// Replaces the database name (the URL path) in a PostgreSQL URL.
pub fn with_database(server_url: &str, name: &str) -> String {
    match url::Url::parse(server_url) {
        Ok(mut u) => {
            u.set_path(&format!("/{name}"));
            u.to_string()
        }
        Err(_) => format!("{}/{name}", server_url.trim_end_matches('/')),
    }
}
