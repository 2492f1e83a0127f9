//! The user's own account: password and personal API tokens.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;

use super::users::SecretPage;
use super::{Fields, Layout, redirect_with, render};
use crate::auth::{self, Auth};
use crate::{AppState, PageError, format};

pub struct TokenRow {
    pub id: i64,
    pub name: String,
    pub prefix: String,
    pub created: String,
    pub last_used: String,
    pub revoked: bool,
}

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
    let tokens = state
        .store
        .api_tokens(session.user.id)
        .await?
        .into_iter()
        .map(|t| TokenRow {
            id: t.id,
            name: t.name,
            prefix: t.prefix,
            created: format::date(t.created_at),
            last_used: t
                .last_used_at
                .map(format::datetime)
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
    let (token, prefix) = auth::new_api_token();
    let info = match state
        .store
        .create_api_token(
            session.user.id,
            f.get("name"),
            &prefix,
            &store::hash_secret(&token),
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
            &info.prefix,
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
