//! Errors of pages (Dutch HTML) and of the API (JSON with a stable code and a Dutch message).

use app::AppError;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use store::StoreError;

/// An error on a page: rendered as a Dutch error page, or a redirect to the login page.
#[derive(Debug, thiserror::Error)]
pub enum PageError {
    #[error("login required")]
    LoginRequired(String),
    #[error("forbidden")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error("bad request: {0}")]
    BadRequest(String),
    /// A field the user filled in wrongly, with a Dutch message.
    #[error("invalid {field}: {message}")]
    Invalid { field: String, message: String },
    /// Something with this name exists already.
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("internal: {0}")]
    Internal(#[from] anyhow::Error),
}

impl PageError {
    /// The Dutch message to show the user on the form they came from, for errors the user
    /// can fix; `None` for errors that get their own page.
    pub fn user_message(&self) -> Option<String> {
        match self {
            PageError::BadRequest(m) | PageError::Invalid { message: m, .. } => Some(m.clone()),
            PageError::Conflict(what) => {
                Some(format!("'{what}' bestaat al. Kies een andere naam."))
            }
            _ => None,
        }
    }
}

impl From<StoreError> for PageError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => PageError::NotFound,
            StoreError::Invalid { field, violation } => PageError::Invalid {
                field: field.to_string(),
                message: app::messages::dutch(&violation),
            },
            StoreError::Conflict(what) => PageError::Conflict(what),
            other => PageError::Internal(other.into()),
        }
    }
}

/// The page rendering of an application error.
impl From<AppError> for PageError {
    fn from(e: AppError) -> Self {
        match e {
            AppError::NotFound => PageError::NotFound,
            AppError::Forbidden => PageError::Forbidden,
            AppError::Invalid { field, message } => PageError::Invalid {
                field: field.to_string(),
                message,
            },
            AppError::BadRequest(m) => PageError::BadRequest(m),
            AppError::Conflict(what) => PageError::Conflict(what),
            AppError::Store(e) => PageError::Internal(e.into()),
            AppError::Internal(what) => PageError::Internal(anyhow::anyhow!(what)),
        }
    }
}

impl From<askama::Error> for PageError {
    fn from(e: askama::Error) -> Self {
        PageError::Internal(e.into())
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let (status, title, text) = match &self {
            PageError::LoginRequired(back) => {
                let target = format!(
                    "/inloggen?terug={}",
                    url::form_urlencoded::byte_serialize(back.as_bytes()).collect::<String>()
                );
                return Redirect::to(&target).into_response();
            }
            PageError::Forbidden => (
                StatusCode::FORBIDDEN,
                "Geen toegang",
                "U heeft geen toegang tot deze pagina.".to_string(),
            ),
            PageError::NotFound => (
                StatusCode::NOT_FOUND,
                "Niet gevonden",
                "Deze pagina bestaat niet, of u heeft er geen toegang toe.".to_string(),
            ),
            PageError::BadRequest(_) | PageError::Invalid { .. } | PageError::Conflict(_) => (
                StatusCode::BAD_REQUEST,
                "Dat lukte niet",
                self.user_message().unwrap_or_default(),
            ),
            PageError::Internal(e) => {
                tracing::error!(error = %e, "internal error");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Er ging iets mis",
                    "Er ging aan onze kant iets mis. Probeer het later opnieuw.".to_string(),
                )
            }
        };
        (
            status,
            axum::response::Html(crate::page::error_page(title, &text)),
        )
            .into_response()
    }
}

/// An API error: `{"error": {"code": "...", "message": "...", "field": "..."}}`.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("unauthenticated")]
    Unauthenticated,
    /// A known API token past the expiry chosen when it was made.
    #[error("token expired")]
    TokenExpired,
    #[error("forbidden")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error("conflict")]
    Conflict(String),
    #[error("invalid {field}")]
    Invalid { field: String, message: String },
    #[error("bad request")]
    BadRequest(String),
    #[error("internal: {0}")]
    Internal(#[from] anyhow::Error),
}

impl ApiError {
    pub fn invalid(field: &str, message: impl Into<String>) -> ApiError {
        ApiError::Invalid {
            field: field.to_string(),
            message: message.into(),
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => ApiError::NotFound,
            StoreError::Invalid { field, violation } => ApiError::Invalid {
                field: field.to_string(),
                message: app::messages::dutch(&violation),
            },
            StoreError::Conflict(what) => ApiError::Conflict(what),
            other => ApiError::Internal(other.into()),
        }
    }
}

/// The JSON rendering of an application error.
impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        match e {
            AppError::NotFound => ApiError::NotFound,
            AppError::Forbidden => ApiError::Forbidden,
            AppError::Invalid { field, message } => ApiError::Invalid {
                field: field.to_string(),
                message,
            },
            AppError::BadRequest(m) => ApiError::BadRequest(m),
            AppError::Conflict(what) => ApiError::Conflict(what),
            AppError::Store(e) => ApiError::Internal(e.into()),
            AppError::Internal(what) => ApiError::Internal(anyhow::anyhow!(what)),
        }
    }
}

impl From<PageError> for ApiError {
    fn from(e: PageError) -> Self {
        match e {
            PageError::LoginRequired(_) => ApiError::Unauthenticated,
            PageError::Forbidden => ApiError::Forbidden,
            PageError::NotFound => ApiError::NotFound,
            PageError::BadRequest(m) => ApiError::BadRequest(m),
            PageError::Invalid { field, message } => ApiError::Invalid { field, message },
            PageError::Conflict(what) => ApiError::Conflict(what),
            PageError::Internal(e) => ApiError::Internal(e),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code, message, field) = match self {
            ApiError::Unauthenticated => (
                StatusCode::UNAUTHORIZED,
                "unauthenticated",
                "Stuur een geldige API-sleutel mee als 'Authorization: Bearer <sleutel>'."
                    .to_string(),
                None,
            ),
            ApiError::TokenExpired => (
                StatusCode::UNAUTHORIZED,
                "token_expired",
                app::messages::dutch(&store::Violation::TokenExpired),
                None,
            ),
            ApiError::Forbidden => (
                StatusCode::FORBIDDEN,
                "forbidden",
                "U heeft geen toegang tot dit onderdeel.".to_string(),
                None,
            ),
            ApiError::NotFound => (
                StatusCode::NOT_FOUND,
                "not_found",
                "Dit onderdeel bestaat niet, of u heeft er geen toegang toe.".to_string(),
                None,
            ),
            ApiError::Conflict(what) => (
                StatusCode::CONFLICT,
                "conflict",
                format!("'{what}' bestaat al."),
                None,
            ),
            ApiError::Invalid { field, message } => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid",
                message,
                Some(field),
            ),
            ApiError::BadRequest(message) => {
                (StatusCode::BAD_REQUEST, "bad_request", message, None)
            }
            ApiError::Internal(e) => {
                tracing::error!(error = %e, "internal API error");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "Er ging aan onze kant iets mis. Probeer het later opnieuw.".to_string(),
                    None,
                )
            }
        };
        let mut body = serde_json::json!({"error": {"code": code, "message": message}});
        if let Some(field) = field {
            body["error"]["field"] = serde_json::Value::String(field);
        }
        (status, axum::Json(body)).into_response()
    }
}
