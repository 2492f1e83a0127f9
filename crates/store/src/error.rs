use thiserror::Error;

/// What can go wrong in the store. Messages here are for operators and logs; the web
/// layer turns them into Dutch messages for users.
#[derive(Debug, Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    /// A unique constraint was violated (e.g. an organisation name that exists).
    #[error("already exists: {0}")]
    Conflict(String),
    /// Input that the store refuses, with the field and a Dutch message for the user.
    #[error("invalid {field}: {message}")]
    Invalid {
        field: &'static str,
        message: String,
    },
    #[error("configuration: {0}")]
    Config(String),
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

pub type StoreResult<T> = Result<T, StoreError>;

impl StoreError {
    pub(crate) fn invalid(field: &'static str, message: impl Into<String>) -> Self {
        StoreError::Invalid {
            field,
            message: message.into(),
        }
    }
}
