//! The only crate that knows SQL.
//!
//! One [`Store`] over SQLite (the embedded default) or PostgreSQL (scale-out), chosen by the
//! database URL. Both backends run the same numbered migrations (`migrations/sqlite` and
//! `migrations/postgres`) and every query is written once in the dialect both accept
//! (`$1` parameters, `RETURNING`, `ON CONFLICT`). Column types are kept to what both map the
//! same way: BIGINT, TEXT and REAL/DOUBLE PRECISION; timestamps are unix seconds, dates ISO
//! text and flags 0/1.
//!
//! Optional floats: a statement that binds an `Option<f64>` is not cached
//! (`.persistent(false)`). sqlx's Any driver sends a `None` of a double to PostgreSQL as
//! a null `float4`, and a cached statement keeps the parameter types of its first use, so
//! a later `Some(f64)` (8 bytes) on the same connection fails with "incorrect binary data
//! format". Unnamed statements are typed anew on each use.
//!
//! Architecture invariant: this crate knows nothing about HTTP, templates or passwords; it
//! stores hashes it is given.

mod audit;
mod auth;
mod error;
mod export;
mod figures;
mod goals;
mod hr;
mod hr_pack;
mod jobs;
mod model;
mod orgs;
mod programme;
mod region;
mod retention;
mod roster;
mod round_table;
mod shared;
mod survey;
mod survey_mail;
pub mod testing;
pub mod text;
mod users;
mod value_case;

pub use self::hr::{BenchmarkOverride, HrSnapshot, MappingKind, NewHrSnapshot};
pub use audit::{Actor, AuditChoices, AuditFilter};
pub use export::{Cell, ExportScope, ExportTable};
pub use figures::KeptFigures;
pub use goals::{
    ContractRequestRecord, GoalRecord, GoalValueRecord, NewContractRequest, NewGoal, RequestForm,
    RequestUpdate, SECONDS_PER_MONTH,
};
pub use jobs::{Beat, JOB_STATUSES, Job, NewJob};
pub use programme::{
    Action, ActionStatus, Cohort, DueAction, LinkKind, Meeting, MeetingKind, NewAction, Onboarding,
    PlanItem, PlanItemInput, PlanMaterial, PlanSession, PlanStatus, ProgrammePhase,
};
pub use region::{REGION_DOMINANCE_CEILING, REGION_MIN_ORGS_FLOOR, Region, RegionOrganisation};
pub use roster::{NewRosterScan, RosterDesign, RosterScan, RosterScanData};
pub use round_table::{
    Practice, PracticeInput, RoundTable, RoundTableAction, RoundTableInput, RoundTableItem,
    RoundTableOrg,
};
pub use shared::{NewStashedUpload, StashedUpload};
pub use survey::{
    DRAFT_DAYS, FREE_TEXT_STATUSES, FreeText, Invitation, NewResponse, NewSurveyRound, ROUND_KINDS,
    ROUND_STATUSES, RoundTeam, StoredResponse, SubmitError, SurveyRound,
};
pub use survey_mail::{AddedInvitations, InvitationCounts, InvitationRun, SurveyInvitee};
pub use users::{NewUser, normalise_email};
pub use value_case::{
    Fase0Counts, InterviewItemRecord, InterviewRecord, REPORT_FORMATS, RosterScanRecord,
    ValueCaseReport, ValueCaseShare,
};

pub use error::{StoreError, StoreResult, Violation};
pub use model::*;

use std::path::Path;
use std::str::FromStr;
use std::sync::Once;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, ConnectOptions, Connection, Executor};

/// Which database a [`Store`] talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A handle on the database; cheap to clone.
#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    /// SQLite allows one writer at a time; hot write paths queue here instead of in
    /// SQLite's busy handler, whose sleeps (up to 100 ms each) make the latency tail.
    write_gate: std::sync::Arc<tokio::sync::Mutex<()>>,
}

static DRIVERS: Once = Once::new();

/// Runs CPU-bound work (parsing, header matching, unpacking) without stalling the async
/// runtime: on tokio's multi-threaded runtime through `block_in_place`, which moves the
/// worker's other tasks to another thread first; outside a runtime, or on a single-threaded
/// one (tests, the command line), it simply runs.
pub fn off_runtime<R>(work: impl FnOnce() -> R) -> R {
    match tokio::runtime::Handle::try_current() {
        Ok(h) if h.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread => {
            tokio::task::block_in_place(work)
        }
        _ => work(),
    }
}

static SQLITE_MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// Current time in unix seconds.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// How the embedded SQLite database syncs to disk (`PRAGMA synchronous`). In WAL mode
/// `normal` never corrupts the database, but the last transactions before a power loss
/// (not a crash of the process) can be lost; `full` syncs at every commit, so an
/// acknowledged write survives a power loss too, at some cost per write
/// (https://www.sqlite.org/pragma.html#pragma_synchronous).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SqliteSync {
    #[default]
    Normal,
    Full,
}

impl SqliteSync {
    fn pragma(self) -> &'static str {
        match self {
            SqliteSync::Normal => "NORMAL",
            SqliteSync::Full => "FULL",
        }
    }
}

impl FromStr for SqliteSync {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "normal" => Ok(SqliteSync::Normal),
            "full" => Ok(SqliteSync::Full),
            other => Err(format!("'{other}': choose normal or full")),
        }
    }
}

/// The SQLite file in a data directory.
pub const SQLITE_FILE: &str = "urenwinst.sqlite";

impl Store {
    /// Connects to `url` (`sqlite://PATH` or `postgres://…`). SQLite files are created when
    /// missing and opened with WAL, foreign keys on and a busy timeout.
    pub async fn connect(url: &str) -> StoreResult<Store> {
        Store::connect_with(url, SqliteSync::Normal).await
    }

    /// [`Store::connect`] with the SQLite sync level (ignored for PostgreSQL).
    pub async fn connect_with(url: &str, sync: SqliteSync) -> StoreResult<Store> {
        DRIVERS.call_once(sqlx::any::install_default_drivers);
        let backend = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else {
            return Err(StoreError::Config(format!(
                "unsupported database URL (use sqlite:// or postgres://): {}",
                redact(url)
            )));
        };
        let url = match backend {
            Backend::Sqlite if !url.contains('?') => format!("{url}?mode=rwc"),
            _ => url.to_string(),
        };
        let options = AnyConnectOptions::from_str(&url)?
            .log_statements(tracing::log::LevelFilter::Trace)
            .log_slow_statements(
                tracing::log::LevelFilter::Warn,
                std::time::Duration::from_millis(500),
            );
        let max = match backend {
            Backend::Sqlite => 8,
            Backend::Postgres => 16,
        };
        let pool = AnyPoolOptions::new()
            .max_connections(max)
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        let pragmas = format!(
                            "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; \
                             PRAGMA busy_timeout = 10000; PRAGMA synchronous = {};",
                            sync.pragma()
                        );
                        conn.execute(pragmas.as_str()).await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await?;
        tracing::info!(backend = ?backend, "database connected");
        Ok(Store {
            pool,
            backend,
            write_gate: std::sync::Arc::new(tokio::sync::Mutex::new(())),
        })
    }

    /// Opens (and creates) the SQLite database `urenwinst.sqlite` in `data_dir`.
    pub async fn open_data_dir(data_dir: &Path) -> StoreResult<Store> {
        Store::open_data_dir_with(data_dir, SqliteSync::Normal).await
    }

    /// [`Store::open_data_dir`] with the SQLite sync level.
    pub async fn open_data_dir_with(data_dir: &Path, sync: SqliteSync) -> StoreResult<Store> {
        std::fs::create_dir_all(data_dir).map_err(|e| {
            StoreError::Config(format!("cannot create {}: {e}", data_dir.display()))
        })?;
        let path = data_dir.join(SQLITE_FILE);
        Store::connect_with(&format!("sqlite://{}", path.display()), sync).await
    }

    /// Restores a copy made by [`Store::backup_sqlite`] into `data_dir`, which must not
    /// hold a database yet. The copy is checked first (SQLite's integrity check, and it
    /// must be an Urenwinst database: it has the migrations table and organisations), then
    /// written under a temporary name and renamed, so a failed restore leaves no half
    /// database behind; finally the migrations of this version are applied to it.
    /// Returns the number of organisations in the restored database.
    pub async fn restore_sqlite(backup: &Path, data_dir: &Path) -> StoreResult<i64> {
        let dest = data_dir.join(SQLITE_FILE);
        if dest.exists() {
            return Err(StoreError::Config(format!(
                "{} already exists; restore into an empty data directory",
                dest.display()
            )));
        }
        if !backup.is_file() {
            return Err(StoreError::Config(format!(
                "{} is not a file",
                backup.display()
            )));
        }
        // Check the copy on a plain read-only connection (no pragmas that would write).
        DRIVERS.call_once(sqlx::any::install_default_drivers);
        let mut check =
            sqlx::AnyConnection::connect(&format!("sqlite://{}?mode=ro", backup.display())).await?;
        let verdict: Result<(String, i64, i64), StoreError> = async {
            let (ok,): (String,) = sqlx::query_as("PRAGMA integrity_check")
                .fetch_one(&mut check)
                .await?;
            let (migrations,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM _sqlx_migrations")
                .fetch_one(&mut check)
                .await?;
            let (orgs,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM organisations")
                .fetch_one(&mut check)
                .await?;
            Ok((ok, migrations, orgs))
        }
        .await;
        let _ = check.close().await;
        let (ok, migrations, orgs) = verdict.map_err(|e| {
            StoreError::Config(format!(
                "{} is not an Urenwinst database copy: {e}",
                backup.display()
            ))
        })?;
        if ok != "ok" || migrations == 0 {
            return Err(StoreError::Config(format!(
                "{} fails the check ({ok}; {migrations} migrations)",
                backup.display()
            )));
        }
        std::fs::create_dir_all(data_dir).map_err(|e| {
            StoreError::Config(format!("cannot create {}: {e}", data_dir.display()))
        })?;
        let partial = data_dir.join(format!("{SQLITE_FILE}.restoring"));
        std::fs::copy(backup, &partial)
            .and_then(|_| std::fs::File::open(&partial)?.sync_all())
            .and_then(|()| std::fs::rename(&partial, &dest))
            .map_err(|e| {
                let _ = std::fs::remove_file(&partial);
                StoreError::Config(format!("cannot write {}: {e}", dest.display()))
            })?;
        let store = Store::open_data_dir(data_dir).await?;
        let migrated = store.migrate().await;
        store.close().await;
        migrated?;
        Ok(orgs)
    }

    /// Applies all pending migrations of this backend.
    pub async fn migrate(&self) -> StoreResult<()> {
        match self.backend {
            Backend::Sqlite => SQLITE_MIGRATOR.run(&self.pool).await?,
            Backend::Postgres => POSTGRES_MIGRATOR.run(&self.pool).await?,
        }
        Ok(())
    }

    /// Waits for the single-writer turn on SQLite (no-op on PostgreSQL). Hold the guard
    /// for the whole write transaction of a hot path (survey answers, autosave).
    pub(crate) async fn write_turn(&self) -> Option<tokio::sync::MutexGuard<'_, ()>> {
        match self.backend {
            Backend::Sqlite => Some(self.write_gate.lock().await),
            Backend::Postgres => None,
        }
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The connection pool's use: (connections open, of which idle), for metrics.
    pub fn pool_use(&self) -> (u32, usize) {
        (self.pool.size(), self.pool.num_idle())
    }

    /// Checks that the database answers.
    pub async fn ping(&self) -> StoreResult<()> {
        let one: (i64,) = sqlx::query_as("SELECT CAST(1 AS BIGINT)")
            .fetch_one(&self.pool)
            .await?;
        debug_assert_eq!(one.0, 1);
        Ok(())
    }

    /// Writes a consistent copy of a live SQLite database to `dest` (`VACUUM INTO`).
    pub async fn backup_sqlite(&self, dest: &Path) -> StoreResult<()> {
        if self.backend != Backend::Sqlite {
            return Err(StoreError::Config(
                "backup copies the embedded SQLite database; for PostgreSQL use pg_dump".into(),
            ));
        }
        if dest.exists() {
            return Err(StoreError::Config(format!(
                "{} already exists; choose a new file",
                dest.display()
            )));
        }
        let dest = dest
            .to_str()
            .ok_or_else(|| StoreError::Config("path is not UTF-8".into()))?;
        sqlx::query("VACUUM INTO $1")
            .bind(dest.to_string())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Closes the pool, waiting for connections to be returned.
    pub async fn close(&self) {
        self.pool.close().await;
    }

    pub(crate) fn is_unique_violation(err: &sqlx::Error) -> bool {
        match err {
            sqlx::Error::Database(db) => db.is_unique_violation(),
            _ => false,
        }
    }
}

/// `NotFound` when a write touched no row (the id does not exist, or is not this owner's).
pub(crate) fn require_found(done: &sqlx::any::AnyQueryResult) -> StoreResult<()> {
    if done.rows_affected() == 0 {
        Err(StoreError::NotFound)
    } else {
        Ok(())
    }
}

/// Hides the password part of a database URL for logs and messages.
pub fn redact(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) if u.password().is_some() => {
            let _ = u.set_password(Some("***"));
            u.to_string()
        }
        _ => url.to_string(),
    }
}

/// Returns the lowercase hex SHA-256 of `secret`; used for session ids and tokens, which
/// are random and long, so a fast hash is enough.
pub fn hash_secret(secret: &str) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(secret.as_bytes()))
}

/// A new random secret: 32 bytes as URL-safe text.
pub fn new_secret() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}
