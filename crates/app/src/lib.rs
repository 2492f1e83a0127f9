//! Application services without HTTP: what pages, the API, the command line and the
//! background worker do with the platform's data, with one error type.
//!
//! Architecture invariant: this crate knows no HTTP (no status codes, no requests, no
//! templates); `web` renders [`AppError`] as a page or as JSON, `cli` as a message.

pub mod jobs;
pub mod maintenance;
pub mod region;

use store::StoreError;

/// What an application service can answer instead of a result. Messages are Dutch and
/// meant for the user.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The thing does not exist, or the user may not know that it does.
    #[error("niet gevonden")]
    NotFound,
    /// The user may see the thing but not do this with it.
    #[error("u mag dit niet doen")]
    Forbidden,
    /// Input that is refused, with the field it concerns and a Dutch message.
    #[error("{message}")]
    Invalid {
        field: &'static str,
        message: String,
    },
    /// The change clashes with what exists (a name in use, a round that is closed).
    #[error("{0}")]
    Conflict(String),
    /// The database failed; details go to the log, not to the user.
    #[error("database: {0}")]
    Store(StoreError),
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> AppError {
        match e {
            StoreError::NotFound => AppError::NotFound,
            StoreError::Conflict(m) => AppError::Conflict(m),
            StoreError::Invalid { field, message } => AppError::Invalid { field, message },
            other => AppError::Store(other),
        }
    }
}

pub type AppResult<T> = Result<T, AppError>;
