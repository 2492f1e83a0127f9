//! Logging in and out, and choosing a password from an invitation or reset link.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};

use crate::auth::{self, LoginFailure, MaybeAuth};
use crate::page::{Fields, Layout, redirect_with, render};
use crate::{AppState, PageError};

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    l: Layout,
    login_csrf: String,
    back: String,
    email: String,
    error: Option<String>,
}

/// The pre-login CSRF token: the double-submit cookie, made when missing.
fn login_csrf(headers: &HeaderMap) -> (String, bool) {
    match auth::read_cookie(headers, auth::LOGIN_CSRF_COOKIE) {
        Some(v) if v.len() == 64 => (v, false),
        _ => (store::new_secret(), true),
    }
}

fn with_csrf_cookie(state: &AppState, mut res: Response, token: &str, fresh: bool) -> Response {
    let cookie = auth::cookie(&state.config, auth::LOGIN_CSRF_COOKIE, token, 24 * 3600);
    if fresh && let Ok(v) = HeaderValue::from_str(&cookie) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    res
}

/// Only plain same-site paths are followed after login: a single leading `/`, then
/// printable ASCII without backslashes (no tab, newline or other control character, no
/// scheme or host, which need `//` or `\\` after the first slash), at most 2,000 long.
/// Anything else goes to the dashboard.
pub(crate) fn safe_back(back: &str) -> String {
    let mut chars = back.chars();
    let plain = chars.next() == Some('/')
        && !matches!(chars.next(), Some('/' | '\\'))
        && back.len() <= 2000
        && back.chars().all(|c| c.is_ascii_graphic() && c != '\\');
    if plain {
        back.to_string()
    } else {
        "/dashboard".into()
    }
}

#[derive(serde::Deserialize)]
pub struct BackQuery {
    terug: Option<String>,
}

pub async fn form(
    State(state): State<AppState>,
    MaybeAuth(session): MaybeAuth,
    Query(q): Query<BackQuery>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    if session.is_some() {
        return Ok(Redirect::to("/dashboard").into_response());
    }
    let (token, fresh) = login_csrf(&headers);
    let l = Layout::new("Inloggen", "login", None, &headers);
    let had_flash = l.flash.is_some();
    let page = LoginPage {
        l,
        login_csrf: token.clone(),
        back: safe_back(q.terug.as_deref().unwrap_or("/dashboard")),
        email: String::new(),
        error: None,
    };
    Ok(with_csrf_cookie(
        &state,
        render(&page, had_flash)?,
        &token,
        fresh,
    ))
}

pub async fn submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    auth::ClientAddr(client): auth::ClientAddr,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let f = Fields(fields);
    let email = f.get("email").trim().to_string();
    let back = safe_back(f.get("terug"));
    match auth::login(&state.store, &email, f.get("password"), &client).await {
        Ok(user) => {
            let sid = auth::start_session(&state, user.id).await?;
            tracing::info!(user_id = user.id, "login");
            let mut res = Redirect::to(&back).into_response();
            let cookie = auth::cookie(
                &state.config,
                auth::SESSION_COOKIE,
                &sid,
                state.config.session_hours * 3600,
            );
            res.headers_mut().append(
                header::SET_COOKIE,
                HeaderValue::from_str(&cookie).map_err(anyhow::Error::from)?,
            );
            Ok(res)
        }
        Err(failure) => {
            let (status, message) = match failure {
                LoginFailure::Throttled => (
                    axum::http::StatusCode::TOO_MANY_REQUESTS,
                    "Te veel mislukte pogingen. Wacht 15 minuten en probeer het dan opnieuw.",
                ),
                LoginFailure::Invalid => (
                    axum::http::StatusCode::UNAUTHORIZED,
                    "Dit e-mailadres en wachtwoord horen niet bij elkaar, of het account is uitgeschakeld.",
                ),
                LoginFailure::Internal(e) => return Err(PageError::Internal(e)),
            };
            let (token, fresh) = login_csrf(&headers);
            let page = LoginPage {
                l: Layout::new("Inloggen", "login", None, &HeaderMap::new()),
                login_csrf: token.clone(),
                back,
                email,
                error: Some(message.into()),
            };
            let mut res = render(&page, false)?;
            *res.status_mut() = status;
            Ok(with_csrf_cookie(&state, res, &token, fresh))
        }
    }
}

pub async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    if let Some(sid) = auth::read_cookie(&headers, auth::SESSION_COOKIE) {
        state
            .store
            .delete_session(&store::hash_secret(&sid))
            .await?;
    }
    let mut res = redirect_with("/inloggen", true, "U bent uitgelogd.");
    let clear = auth::cookie(&state.config, auth::SESSION_COOKIE, "", 0);
    res.headers_mut().append(
        header::SET_COOKIE,
        HeaderValue::from_str(&clear).map_err(anyhow::Error::from)?,
    );
    Ok(res)
}

#[derive(Template)]
#[template(path = "set_password.html")]
struct SetPasswordPage {
    l: Layout,
    login_csrf: String,
    token: String,
    email: String,
    error: Option<String>,
}

async fn token_user(
    state: &AppState,
    token: &str,
) -> Result<(store::User, &'static str), PageError> {
    let hash = store::hash_secret(token);
    for purpose in ["invite", "reset"] {
        if let Ok(user) = state.store.peek_user_token(&hash, purpose).await {
            return Ok((user, purpose));
        }
    }
    Err(PageError::BadRequest(
        "Deze link is verlopen of al gebruikt. Vraag de beheerder om een nieuwe link.".into(),
    ))
}

pub async fn set_password_form(
    State(state): State<AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let (user, _) = token_user(&state, &token).await?;
    let (csrf, fresh) = login_csrf(&headers);
    let page = SetPasswordPage {
        l: Layout::new("Kies een wachtwoord", "login", None, &headers),
        login_csrf: csrf.clone(),
        token,
        email: user.email,
        error: None,
    };
    Ok(with_csrf_cookie(
        &state,
        render(&page, false)?,
        &csrf,
        fresh,
    ))
}

pub async fn set_password(
    State(state): State<AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let f = Fields(fields);
    let (user, purpose) = token_user(&state, &token).await?;
    let password = f.get("password");
    let problem = if password != f.get("password2") {
        Some("De twee wachtwoorden zijn niet gelijk.")
    } else {
        auth::password_problem(password)
    };
    if let Some(problem) = problem {
        let (csrf, _) = login_csrf(&headers);
        let page = SetPasswordPage {
            l: Layout::new("Kies een wachtwoord", "login", None, &HeaderMap::new()),
            login_csrf: csrf,
            token,
            email: user.email,
            error: Some(problem.into()),
        };
        let mut res = render(&page, false)?;
        *res.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
        return Ok(res);
    }
    let hash = auth::hash_password(password).await?;
    let user = state
        .store
        .redeem_user_token(&store::hash_secret(&token), purpose, &hash)
        .await?;
    state
        .store
        .audit(
            &app::audit::actor(&user),
            user.org_id,
            "user.set_password",
            &user.email,
            purpose,
        )
        .await?;
    Ok(redirect_with(
        "/inloggen",
        true,
        "Uw wachtwoord is opgeslagen. U kunt nu inloggen.",
    ))
}

#[derive(Template)]
#[template(path = "forgotten_password.html")]
struct ForgottenPage {
    l: Layout,
    login_csrf: String,
    hours: i64,
    mail_configured: bool,
    answer: Option<&'static str>,
}

pub async fn forgotten_form(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let (token, fresh) = login_csrf(&headers);
    let page = ForgottenPage {
        l: Layout::new("Wachtwoord vergeten", "login", None, &headers),
        login_csrf: token.clone(),
        hours: app::users::LINK_HOURS,
        mail_configured: state.config.mail.is_some(),
        answer: None,
    };
    Ok(with_csrf_cookie(
        &state,
        render(&page, false)?,
        &token,
        fresh,
    ))
}

/// "Wachtwoord vergeten": the same answer whether or not the address has an account, and
/// the mail is sent off the request, so neither the text nor the timing tells. Throttled
/// per client address (an answer saying so) and per e-mail address (silently: the answer
/// stays the same, only no mail goes out).
pub async fn forgotten(
    State(state): State<AppState>,
    auth::ClientAddr(client): auth::ClientAddr,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    use app::throttle::{LinkAttempt, LinkThrottle};
    let f = Fields(fields);
    let email = f.get("email").trim().to_lowercase();
    let throttle = LinkThrottle::new(state.store.clone(), &state.config.upload_key);
    const KEY: &str = "wachtwoord-vergeten";
    let page = |answer: &'static str| ForgottenPage {
        l: Layout::new("Wachtwoord vergeten", "login", None, &HeaderMap::new()),
        login_csrf: String::new(),
        hours: app::users::LINK_HOURS,
        mail_configured: state.config.mail.is_some(),
        answer: Some(answer),
    };
    if !throttle
        .allow(KEY, &client, LinkAttempt::ForgottenFromClient)
        .await?
    {
        let mut res = render(
            &page("Te veel aanvragen vanaf dit adres. Probeer het over een uur opnieuw."),
            false,
        )?;
        *res.status_mut() = axum::http::StatusCode::TOO_MANY_REQUESTS;
        return Ok(res);
    }
    if throttle
        .allow(KEY, &email, LinkAttempt::ForgottenForAddress)
        .await?
    {
        let store = state.store.clone();
        let public_url = state.config.public_url.clone();
        let mail = state.config.mail.clone();
        tokio::spawn(async move {
            let links = app::users::LinkSettings::new(&public_url, mail.as_ref());
            if let Err(e) = app::users::forgotten_password(&store, &email, links).await {
                tracing::warn!(error = %e, "forgotten password");
            }
        });
    }
    render(&page(app::users::FORGOTTEN_ANSWER), false)
}

#[cfg(test)]
mod tests {
    use super::safe_back;

    #[test]
    fn only_plain_same_site_paths_are_followed() {
        for ok in ["/dashboard", "/organisaties/3?tab=teams", "/a/b%2Fc", "/"] {
            assert_eq!(safe_back(ok), ok);
        }
        for bad in [
            "//evil.example",
            "/\t/evil.example",
            "/\t//evil.example",
            "/\\evil.example",
            "/\\/evil.example",
            "\\\\evil.example",
            "https://evil.example",
            "javascript:alert(1)",
            "evil.example",
            "/x\ny",
            "/x\r\nSet-Cookie: a=b",
            "/ spatie",
            "/\u{202e}rev",
            "/\u{0}",
            "",
        ] {
            assert_eq!(safe_back(bad), "/dashboard", "{bad:?} was followed");
        }
        assert_eq!(safe_back(&format!("/{}", "a".repeat(3000))), "/dashboard");
    }
}
