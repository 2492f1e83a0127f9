//! Passwords (argon2id), session cookies, API tokens and login throttling.

pub use app::auth::{
    generate_password, hash_password, hash_password_blocking, password_problem, verify_password,
    verify_password_blocking,
};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use store::{Store, StoreError, User};

use crate::AppState;
use crate::error::{ApiError, PageError};

pub const SESSION_COOKIE: &str = "uw_sessie";
pub const LOGIN_CSRF_COOKIE: &str = "uw_csrf";
/// Failed logins allowed per account and per client address in [`THROTTLE_WINDOW`] seconds.
pub const MAX_FAILURES_PER_ACCOUNT: i64 = 5;
pub const MAX_FAILURES_PER_ADDRESS: i64 = 20;
pub const THROTTLE_WINDOW: i64 = 15 * 60;

/// A new API token: `uw_` + 64 hex characters; returns (token, display prefix).
pub fn new_api_token() -> (String, String) {
    let token = format!("uw_{}", store::new_secret());
    let prefix = token[..10].to_string();
    (token, prefix)
}

/// The logged-in user of a page request with the session's CSRF token.
#[derive(Debug, Clone)]
pub struct Session {
    pub user: User,
    pub csrf: String,
    /// The "Mijn acties" count in the navigation: the user's actions not finished, and
    /// how many of them are overdue (issue 31).
    pub actions: (i64, i64),
}

/// Extractor for pages that need a login; redirects to the login page otherwise.
pub struct Auth(pub Session);

impl FromRequestParts<AppState> for Auth {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, Self::Rejection> {
        match parts.extensions.get::<Session>() {
            Some(s) => Ok(Auth(s.clone())),
            None => Err(PageError::LoginRequired(
                parts
                    .uri
                    .path_and_query()
                    .map(|p| p.to_string())
                    .unwrap_or_else(|| "/".into()),
            )),
        }
    }
}

/// The session when there is one (public pages that show a logged-in header).
pub struct MaybeAuth(pub Option<Session>);

impl FromRequestParts<AppState> for MaybeAuth {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, Self::Rejection> {
        Ok(MaybeAuth(parts.extensions.get::<Session>().cloned()))
    }
}

/// Extractor for the JSON API: a personal API token as `Authorization: Bearer uw_…`.
pub struct ApiUser(pub User);

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let header = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .ok_or(ApiError::Unauthenticated)?;
        let token = header
            .strip_prefix("Bearer ")
            .map(str::trim)
            .ok_or(ApiError::Unauthenticated)?;
        match state
            .store
            .user_for_api_token(&store::hash_secret(token))
            .await
        {
            Ok(user) => Ok(ApiUser(user)),
            Err(StoreError::NotFound) => Err(ApiError::Unauthenticated),
            Err(StoreError::Invalid {
                violation: store::Violation::TokenExpired,
                ..
            }) => Err(ApiError::TokenExpired),
            Err(e) => Err(e.into()),
        }
    }
}

/// Why a login attempt failed.
#[derive(Debug)]
pub enum LoginFailure {
    Throttled,
    Invalid,
    Internal(anyhow::Error),
}

/// Checks credentials with throttling per account and per client address. Unknown
/// accounts cost the same time as known ones.
pub async fn login(
    store: &Store,
    email: &str,
    password: &str,
    client: &str,
) -> Result<User, LoginFailure> {
    let email = email.trim().to_lowercase();
    let since = store::now() - THROTTLE_WINDOW;
    let account_key = format!("account:{email}");
    let address_key = format!("address:{client}");
    let internal = |e: StoreError| LoginFailure::Internal(e.into());
    if store
        .login_failures_since(&account_key, since)
        .await
        .map_err(internal)?
        >= MAX_FAILURES_PER_ACCOUNT
        || store
            .login_failures_since(&address_key, since)
            .await
            .map_err(internal)?
            >= MAX_FAILURES_PER_ADDRESS
    {
        return Err(LoginFailure::Throttled);
    }
    let user = store.user_by_email(&email).await.ok();
    let hash = match &user {
        Some(u) if u.active => store.password_hash(u.id).await.map_err(internal)?,
        _ => None,
    };
    let ok = match &hash {
        Some(h) => verify_password(password, h).await,
        None => {
            // Spend the same work as a real check so timing does not reveal accounts.
            let password = password.to_string();
            let _ = tokio::task::spawn_blocking(move || {
                verify_password_blocking(&password, &DUMMY_HASH)
            })
            .await;
            false
        }
    };
    match (ok, user) {
        (true, Some(user)) => {
            store
                .clear_login_failures(&account_key)
                .await
                .map_err(internal)?;
            Ok(user)
        }
        _ => {
            store
                .record_login_failure(&account_key)
                .await
                .map_err(internal)?;
            store
                .record_login_failure(&address_key)
                .await
                .map_err(internal)?;
            Err(LoginFailure::Invalid)
        }
    }
}

/// An argon2id hash of a random string, used to equalise timing for unknown accounts.
static DUMMY_HASH: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| hash_password_blocking(&store::new_secret()).unwrap_or_default());

/// Starts a session; returns the cookie value (the secret session id).
pub async fn start_session(state: &AppState, user_id: i64) -> Result<String, StoreError> {
    let id = store::new_secret();
    let csrf = store::new_secret();
    let expires = store::now() + state.config.session_hours * 3600;
    state
        .store
        .create_session(&store::hash_secret(&id), user_id, &csrf, expires)
        .await?;
    Ok(id)
}

/// A `Set-Cookie` value with the safe attributes.
pub fn cookie(config: &crate::WebConfig, name: &str, value: &str, max_age: i64) -> String {
    let secure = if config.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}")
}

/// Reads one cookie from the request headers.
pub fn read_cookie(headers: &axum::http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// The client's address, for throttling (see [`crate::middleware::client_address`]).
pub struct ClientAddr(pub String);

impl FromRequestParts<AppState> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(ClientAddr(crate::middleware::client_address(
            state,
            &parts.headers,
            &parts.extensions,
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookie_attributes() {
        let mut c = crate::WebConfig::default();
        assert!(!cookie(&c, "a", "b", 1).contains("Secure"));
        c.secure_cookies = true;
        let s = cookie(&c, "a", "b", 1);
        assert!(s.contains("HttpOnly") && s.contains("SameSite=Lax") && s.contains("Secure"));
    }
}
