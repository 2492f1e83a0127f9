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

    /// A second, independent [`Store`] (its own connection pool) over the same database:
    /// what another instance behind the load balancer would see. Close it before
    /// [`TestDb::cleanup`].
    pub async fn another_instance(&self) -> StoreResult<Store> {
        match (&self.pg, &self._dir) {
            (Some((server, name)), _) => Store::connect(&with_database(server, name)).await,
            (None, Some(dir)) => Store::open_data_dir(&dir.0).await,
            (None, None) => Err(crate::StoreError::Config(
                "test database without a home".into(),
            )),
        }
    }

    /// The URL of this test's own PostgreSQL database (`None` for SQLite).
    pub fn postgres_database_url(&self) -> Option<String> {
        self.pg
            .as_ref()
            .map(|(server, name)| with_database(server, name))
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

/// One column as both backends can be compared: name, type family and nullability.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ColumnShape {
    pub table: String,
    pub column: String,
    /// `integer`, `real` or `text` (`BIGINT`/`INTEGER`/`int8` are one family).
    pub family: String,
    pub not_null: bool,
}

/// One index other than a primary key: its table, columns in order, uniqueness, and
/// whether it is partial. Names are left out (the backends name constraint indexes
/// differently).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct IndexShape {
    pub table: String,
    pub columns: Vec<String>,
    pub unique: bool,
    pub partial: bool,
}

/// The shape of a migrated database, sorted, for comparing the two backends' schemas.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaShape {
    pub columns: Vec<ColumnShape>,
    pub indexes: Vec<IndexShape>,
}

fn type_family(declared: &str) -> String {
    let t = declared.to_ascii_lowercase();
    if t.contains("int") {
        "integer".into()
    } else if t.contains("real") || t.contains("double") || t.contains("float") {
        "real".into()
    } else if t.contains("text") || t.contains("char") {
        "text".into()
    } else {
        t
    }
}

fn quoted(identifier: &str) -> StoreResult<String> {
    if identifier.is_empty()
        || !identifier
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_')
    {
        return Err(crate::StoreError::Config(format!(
            "not a plain identifier: {identifier}"
        )));
    }
    Ok(format!("\"{identifier}\""))
}

impl Store {
    /// Rows of `table` whose integer `column` equals `value` (for tests that walk the
    /// schema; table and column must be plain identifiers).
    pub async fn count_rows_equal(
        &self,
        table: &str,
        column: &str,
        value: i64,
    ) -> StoreResult<i64> {
        use sqlx::Row;
        let sql = format!(
            "SELECT COUNT(*) AS n FROM {} WHERE {} = $1",
            quoted(table)?,
            quoted(column)?
        );
        Ok(sqlx::query(&sql)
            .bind(value)
            .fetch_one(&self.pool)
            .await?
            .try_get("n")?)
    }

    /// Rows of `table` whose text `column` contains `needle` (SQLite compares ASCII
    /// letters case-insensitively, PostgreSQL exactly).
    pub async fn count_rows_containing(
        &self,
        table: &str,
        column: &str,
        needle: &str,
    ) -> StoreResult<i64> {
        use sqlx::Row;
        let pattern = format!(
            "%{}%",
            needle
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        );
        let sql = format!(
            "SELECT COUNT(*) AS n FROM {} WHERE {} LIKE $1 ESCAPE '\\'",
            quoted(table)?,
            quoted(column)?
        );
        Ok(sqlx::query(&sql)
            .bind(pattern)
            .fetch_one(&self.pool)
            .await?
            .try_get("n")?)
    }

    /// The schema's shape (tables, columns by type family, indexes), without sqlx's own
    /// bookkeeping table.
    pub async fn schema_shape(&self) -> StoreResult<SchemaShape> {
        use sqlx::Row;
        let mut columns = Vec::new();
        let mut indexes = Vec::new();
        match self.backend() {
            crate::Backend::Sqlite => {
                let tables: Vec<String> = sqlx::query(
                    "SELECT name FROM sqlite_master WHERE type = 'table' \
                     AND name NOT LIKE 'sqlite_%' AND name <> '_sqlx_migrations' ORDER BY name",
                )
                .fetch_all(&self.pool)
                .await?
                .iter()
                .map(|r| r.try_get::<String, _>("name"))
                .collect::<Result<_, _>>()?;
                for table in tables {
                    let cols = sqlx::query(
                        "SELECT name, type, \"notnull\" AS nn, pk FROM pragma_table_info($1)",
                    )
                    .bind(&table)
                    .fetch_all(&self.pool)
                    .await?;
                    for c in cols {
                        let not_null =
                            c.try_get::<i64, _>("nn")? != 0 || c.try_get::<i64, _>("pk")? != 0;
                        columns.push(ColumnShape {
                            table: table.clone(),
                            column: c.try_get("name")?,
                            family: type_family(&c.try_get::<String, _>("type")?),
                            not_null,
                        });
                    }
                    let idx = sqlx::query(
                        "SELECT name, \"unique\" AS uniq, origin, partial \
                         FROM pragma_index_list($1)",
                    )
                    .bind(&table)
                    .fetch_all(&self.pool)
                    .await?;
                    for i in idx {
                        if i.try_get::<String, _>("origin")? == "pk" {
                            continue;
                        }
                        let name: String = i.try_get("name")?;
                        let cols: Vec<String> =
                            sqlx::query("SELECT name FROM pragma_index_info($1) ORDER BY seqno")
                                .bind(&name)
                                .fetch_all(&self.pool)
                                .await?
                                .iter()
                                .map(|r| r.try_get::<String, _>("name"))
                                .collect::<Result<_, _>>()?;
                        indexes.push(IndexShape {
                            table: table.clone(),
                            columns: cols,
                            unique: i.try_get::<i64, _>("uniq")? != 0,
                            partial: i.try_get::<i64, _>("partial")? != 0,
                        });
                    }
                }
            }
            crate::Backend::Postgres => {
                let cols = sqlx::query(
                    "SELECT table_name::TEXT AS tbl, column_name::TEXT AS col, \
                     data_type::TEXT AS ty, is_nullable::TEXT AS nullable \
                     FROM information_schema.columns WHERE table_schema = 'public' \
                     AND table_name <> '_sqlx_migrations'",
                )
                .fetch_all(&self.pool)
                .await?;
                for c in cols {
                    columns.push(ColumnShape {
                        table: c.try_get("tbl")?,
                        column: c.try_get("col")?,
                        family: type_family(&c.try_get::<String, _>("ty")?),
                        not_null: c.try_get::<String, _>("nullable")? == "NO",
                    });
                }
                let idx = sqlx::query(
                    "SELECT t.relname::TEXT AS tbl, \
                       CAST(CASE WHEN ix.indisunique THEN 1 ELSE 0 END AS BIGINT) AS uniq, \
                       CAST(CASE WHEN ix.indpred IS NULL THEN 0 ELSE 1 END AS BIGINT) AS partial, \
                       array_to_string(ARRAY(SELECT a.attname::TEXT \
                         FROM unnest(ix.indkey) WITH ORDINALITY AS k(attnum, ord) \
                         JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum \
                         ORDER BY k.ord), ',') AS cols \
                     FROM pg_index ix \
                     JOIN pg_class t ON t.oid = ix.indrelid \
                     JOIN pg_namespace n ON n.oid = t.relnamespace \
                     WHERE n.nspname = 'public' AND NOT ix.indisprimary \
                       AND t.relname <> '_sqlx_migrations'",
                )
                .fetch_all(&self.pool)
                .await?;
                for i in idx {
                    let cols: String = i.try_get("cols")?;
                    indexes.push(IndexShape {
                        table: i.try_get("tbl")?,
                        columns: cols.split(',').map(str::to_string).collect(),
                        unique: i.try_get::<i64, _>("uniq")? != 0,
                        partial: i.try_get::<i64, _>("partial")? != 0,
                    });
                }
            }
        }
        columns.sort();
        indexes.sort();
        Ok(SchemaShape { columns, indexes })
    }

    /// Row counts of every table of the database (sqlx's bookkeeping table included), by
    /// table name: for tests that check that a request stored nothing.
    pub async fn row_counts(&self) -> StoreResult<Vec<(String, i64)>> {
        use sqlx::Row;
        let sql = match self.backend() {
            crate::Backend::Sqlite => {
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            }
            crate::Backend::Postgres => {
                "SELECT table_name::TEXT AS name FROM information_schema.tables \
                 WHERE table_schema = 'public' ORDER BY table_name"
            }
        };
        let names: Vec<String> = sqlx::query(sql)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| r.try_get::<String, _>(0))
            .collect::<Result<_, _>>()?;
        let mut out = Vec::new();
        for n in names {
            let count: i64 = sqlx::query(&format!("SELECT COUNT(*) FROM \"{n}\""))
                .fetch_one(&self.pool)
                .await?
                .try_get(0)?;
            out.push((n, count));
        }
        Ok(out)
    }

    /// Every row of the open-link throttle, its columns joined by `|`: for tests that
    /// check what is (not) stored.
    pub async fn link_attempts_for_tests(&self) -> StoreResult<Vec<String>> {
        use sqlx::Row;
        let rows = sqlx::query(
            "SELECT token_hash, client_hash, kind, window_start, attempts, expires_at \
             FROM link_attempts ORDER BY window_start, kind, token_hash, client_hash",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(format!(
                    "{}|{}|{}|{}|{}|{}",
                    r.try_get::<String, _>("token_hash")?,
                    r.try_get::<String, _>("client_hash")?,
                    r.try_get::<String, _>("kind")?,
                    r.try_get::<i64, _>("window_start")?,
                    r.try_get::<i64, _>("attempts")?,
                    r.try_get::<i64, _>("expires_at")?,
                ))
            })
            .collect()
    }

    /// Runs one SQL statement with no parameters: for tests that check what the database's
    /// own constraints refuse, or that set up rows from before a migration.
    pub async fn execute_for_tests(&self, sql: &str) -> StoreResult<u64> {
        Ok(sqlx::query(sql).execute(&self.pool).await?.rows_affected())
    }

    /// One nullable integer column of a query: for tests that read what a migration wrote.
    pub async fn int_column_for_tests(&self, sql: &str) -> StoreResult<Vec<Option<i64>>> {
        Ok(sqlx::query_scalar(sql).fetch_all(&self.pool).await?)
    }

    /// Runs the migrations in `dir` whose version is below `below`: for tests of a
    /// migration against data that existed before it.
    pub async fn migrate_below_for_tests(
        &self,
        dir: &std::path::Path,
        below: i64,
    ) -> StoreResult<()> {
        let mut migrator = sqlx::migrate::Migrator::new(dir).await?;
        migrator.migrations = migrator
            .migrations
            .iter()
            .filter(|m| m.version < below)
            .cloned()
            .collect::<Vec<_>>()
            .into();
        migrator.run(&self.pool).await?;
        Ok(())
    }
}
