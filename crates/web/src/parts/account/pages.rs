//! The user's own account: password and personal API tokens.

use askama::Template;
use axum::Form;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{Redirect, Response};
use axum::routing::{get, post};
use report::nl;

use super::login;
use crate::auth::{self, Auth};
use crate::page::{Fields, Layout, PageAction, redirect_with, render};
use crate::parts::users::pages::SecretPage;
use crate::{AppState, PageError};

/// The POST actions of signing in and of the own account (see [`crate::page::PageAction`]);
/// all are deliberate exceptions without an API twin (see `tests/it/api_parity.rs`).
pub const ACTIONS: &[PageAction] = &[
    PageAction::new("/inloggen", &[], || post(login::submit)),
    PageAction::new("/uitloggen", &[], || post(login::logout)),
    PageAction::new("/wachtwoord/{token}", &[], || post(login::set_password)),
    PageAction::new("/wachtwoord-vergeten", &[], || post(login::forgotten)),
    PageAction::new("/account/wachtwoord", &[], || post(change_password)),
    PageAction::new("/account/sleutels", &[], || post(create_token)),
    PageAction::new("/account/sleutels/{id}/intrekken", &[], || {
        post(revoke_token)
    }),
];

/// The GET routes of signing in and of the own account; the POST routes come from
/// [`ACTIONS`].
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/inloggen", get(login::form))
        .route("/wachtwoord/{token}", get(login::set_password_form))
        .route("/wachtwoord-vergeten", get(login::forgotten_form))
        .route("/account", get(show))
}

/// The start page: the dashboard when signed in, the login page otherwise.
async fn home(auth: crate::auth::MaybeAuth) -> Redirect {
    match auth.0 {
        Some(_) => Redirect::to("/dashboard"),
        None => Redirect::to("/inloggen"),
    }
}

pub struct TokenRow {
    pub id: i64,
    pub name: String,
    pub prefix: String,
    pub created: String,
    pub last_used: String,
    pub revoked: bool,
    /// "verloopt op 07-01-2027", "verlopen op …" or "geen einddatum".
    pub expiry: String,
    pub expired: bool,
}

/// The longest expiry a new token may get, in days (two years).
pub const MAX_TOKEN_DAYS: i64 = 730;

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    l: Layout,
    tokens: Vec<TokenRow>,
}

pub async fn show(
    State(state): State<AppState>,
    Auth(session): Auth,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let now = store::now();
    let tokens = state
        .store
        .api_tokens(session.user.id)
        .await?
        .into_iter()
        .map(|t| TokenRow {
            expired: t.expires_at.is_some_and(|e| e <= now),
            expiry: match t.expires_at {
                None => "geen einddatum".into(),
                Some(e) if e <= now => format!("verlopen op {}", nl::date_unix(e)),
                Some(e) => format!("verloopt op {}", nl::date_unix(e)),
            },
            id: t.id,
            name: t.name,
            prefix: t.prefix,
            created: nl::date_unix(t.created_at),
            last_used: t
                .last_used_at
                .map(nl::datetime_unix)
                .unwrap_or_else(|| "nooit".into()),
            revoked: t.revoked,
        })
        .collect();
    let l = Layout::new("Mijn account", "account", Some(&session), &headers);
    let had_flash = l.flash.is_some();
    render(&AccountPage { l, tokens }, had_flash)
}

pub async fn change_password(
    State(state): State<AppState>,
    Auth(session): Auth,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let f = Fields(fields);
    let current_ok = match state.store.password_hash(session.user.id).await? {
        Some(h) => auth::verify_password(f.get("current"), &h).await,
        None => false,
    };
    if !current_ok {
        return Ok(redirect_with(
            "/account",
            false,
            "Uw huidige wachtwoord klopt niet.",
        ));
    }
    let new = f.get("password");
    if new != f.get("password2") {
        return Ok(redirect_with(
            "/account",
            false,
            "De twee nieuwe wachtwoorden zijn niet gelijk.",
        ));
    }
    if let Some(problem) = auth::password_problem(new) {
        return Ok(redirect_with("/account", false, problem));
    }
    state
        .store
        .set_password_hash(session.user.id, &auth::hash_password(new).await?)
        .await?;
    state
        .store
        .audit(
            &app::audit::actor(&session.user),
            session.user.org_id,
            "user.change_password",
            &session.user.email,
            "",
        )
        .await?;
    Ok(redirect_with(
        "/inloggen",
        true,
        "Uw wachtwoord is gewijzigd. Log opnieuw in met het nieuwe wachtwoord.",
    ))
}

pub async fn create_token(
    State(state): State<AppState>,
    Auth(session): Auth,
    headers: HeaderMap,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let f = Fields(fields);
    // Optional expiry in days; empty: no end.
    let days = f.get("dagen").trim();
    let expires_at = if days.is_empty() {
        None
    } else {
        match days.parse::<i64>() {
            Ok(d) if (1..=MAX_TOKEN_DAYS).contains(&d) => Some(store::now() + d * 86_400),
            _ => {
                return Ok(redirect_with(
                    "/account",
                    false,
                    &format!(
                        "Geldig (dagen): vul een heel getal van 1 tot en met {MAX_TOKEN_DAYS} \
                         in, of laat het leeg voor een sleutel zonder einddatum. Er is geen \
                         sleutel gemaakt."
                    ),
                ));
            }
        }
    };
    let (token, prefix) = auth::new_api_token();
    let info = match state
        .store
        .create_api_token_until(
            session.user.id,
            f.get("name"),
            &prefix,
            &store::hash_secret(&token),
            expires_at,
        )
        .await
    {
        Ok(info) => info,
        Err(store::StoreError::Invalid { violation, .. }) => {
            let message = app::messages::dutch(&violation);
            return Ok(redirect_with("/account", false, &message));
        }
        Err(e) => return Err(e.into()),
    };
    state
        .store
        .audit(
            &app::audit::actor(&session.user),
            session.user.org_id,
            "api_token.create",
            &info.name,
            &match info.expires_at {
                Some(e) => format!("{} verloopt={}", info.prefix, nl::date_unix(e)),
                None => info.prefix.clone(),
            },
        )
        .await?;
    render(
        &SecretPage {
            l: Layout::new("Nieuwe API-sleutel", "account", Some(&session), &headers),
            heading: format!("API-sleutel '{}'", info.name),
            explanation: "Gebruik deze sleutel in de kop 'Authorization: Bearer <sleutel>' bij \
                          /api/v1. Wij bewaren alleen een versleutelde vorm."
                .into(),
            secret: token,
            back_href: "/account".into(),
            back_label: "Terug naar mijn account".into(),
        },
        false,
    )
}

pub async fn revoke_token(
    State(state): State<AppState>,
    Auth(session): Auth,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    state.store.revoke_api_token(session.user.id, id).await?;
    state
        .store
        .audit(
            &app::audit::actor(&session.user),
            session.user.org_id,
            "api_token.revoke",
            &id.to_string(),
            "",
        )
        .await?;
    Ok(redirect_with(
        "/account",
        true,
        "De sleutel is ingetrokken.",
    ))
}
