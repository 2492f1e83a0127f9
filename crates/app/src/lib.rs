//! Application services without HTTP: what pages, the API, the command line and the
//! background worker do with the platform's data, with one error type.
//!
//! Architecture invariant: this crate knows no HTTP (no status codes, no requests, no
//! templates); `web` renders [`AppError`] as a page or as JSON, `cli` as a message.

pub mod access;
pub mod audit;
pub mod auth;
pub mod dashboard;
pub mod demo;
pub mod export;
pub mod help;
pub mod impact;
pub mod jobs;
pub mod mail;
pub mod maintenance;
pub mod messages;
pub mod nulmeting;
pub mod orgs;
pub mod policy;
pub mod practices;
pub mod programme;
pub mod region;
pub mod register;
pub mod retention;
pub mod roster;
pub mod round_table;
pub mod sector_figures;
pub mod survey;
pub mod survey_extra;
pub mod survey_mail;
pub mod throttle;
pub mod uploads;
pub mod users;
pub mod value_case;

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
    /// A request that cannot be carried out as asked, with a Dutch message (no single
    /// field to point at).
    #[error("{0}")]
    BadRequest(String),
    /// The change clashes with what exists (a name in use, a round that is closed).
    #[error("{0}")]
    Conflict(String),
    /// The database failed; details go to the log, not to the user.
    #[error("database: {0}")]
    Store(StoreError),
    /// Something on our side failed (stored data that does not parse, an export writer);
    /// the text goes to the log, not to the user.
    #[error("internal: {0}")]
    Internal(String),
}

impl AppError {
    pub fn invalid(field: &'static str, message: impl Into<String>) -> AppError {
        AppError::Invalid {
            field,
            message: message.into(),
        }
    }

    /// The Dutch message for the user, for errors the user can fix; `None` for the rest
    /// (not found, forbidden, failures on our side).
    pub fn user_message(&self) -> Option<String> {
        match self {
            AppError::BadRequest(m) | AppError::Invalid { message: m, .. } => Some(m.clone()),
            AppError::Conflict(what) => Some(format!("'{what}' bestaat al. Kies een andere naam.")),
            _ => None,
        }
    }

    pub fn internal(what: impl std::fmt::Display) -> AppError {
        AppError::Internal(what.to_string())
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> AppError {
        match e {
            StoreError::NotFound => AppError::NotFound,
            StoreError::Conflict(m) => AppError::Conflict(m),
            StoreError::Invalid { field, violation } => AppError::Invalid {
                field,
                message: messages::dutch(&violation),
            },
            other => AppError::Store(other),
        }
    }
}

pub type AppResult<T> = Result<T, AppError>;
