//! The plumbing every product part's pages share: the `PageAction` table row, the layout
//! (navigation, flash message, CSRF token), rendering, redirects with a message, form
//! fields and the error page. Every page works as plain HTML forms (POST-redirect-GET);
//! `static/app.js` only adds confirmations.

use askama::Template;
use axum::Router;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::MethodRouter;
use store::{Role, User};

use crate::auth::Session;
use crate::{AppState, PageError};

/// A state-changing page action (a POST route) and its twins in the JSON API. The page
/// router is built from these tables, so the list cannot drift from the routes; the API
/// parity test (`tests/it/api_parity.rs`) checks every twin against the OpenAPI document
/// and lists the deliberate exceptions (actions with no twin) with their reasons.
pub struct PageAction {
    /// The page route, e.g. `/organisaties/{id}/teams`.
    pub path: &'static str,
    /// The API routes doing the same as `METHOD /path` under `/api/v1`; empty for a
    /// deliberate exception.
    pub api: &'static [&'static str],
    route: fn() -> MethodRouter<AppState>,
}

impl PageAction {
    pub const fn new(
        path: &'static str,
        api: &'static [&'static str],
        route: fn() -> MethodRouter<AppState>,
    ) -> PageAction {
        PageAction { path, api, route }
    }

    /// Adds this action's POST route to `router`; axum joins it to the GET route of the
    /// same path.
    pub fn register(&self, router: Router<AppState>) -> Router<AppState> {
        router.route(self.path, (self.route)())
    }
}

const FLASH_COOKIE: &str = "uw_melding";

/// What the layout needs on every page.
pub struct Layout {
    pub title: String,
    pub user: Option<User>,
    pub csrf: String,
    pub flash: Option<(bool, String)>,
    pub current: &'static str,
    pub is_programme_admin: bool,
    pub is_org_admin: bool,
    pub role_label: String,
    /// "Mijn acties" in the navigation: not finished, of which overdue.
    pub my_actions: (i64, i64),
    /// The main navigation of the user's role (only pages the role may open).
    pub nav: Vec<app::dashboard::NavItem>,
    /// Whether the role has "Mijn acties".
    pub has_actions: bool,
}

impl Layout {
    pub fn new(
        title: &str,
        current: &'static str,
        session: Option<&Session>,
        headers: &HeaderMap,
    ) -> Layout {
        let flash = crate::auth::read_cookie(headers, FLASH_COOKIE).and_then(|raw| {
            let text: String = url::form_urlencoded::parse(format!("m={raw}").as_bytes())
                .next()
                .map(|(_, v)| v.into_owned())?;
            let (kind, msg) = text.split_once('|')?;
            Some((kind == "ok", msg.to_string()))
        });
        let user = session.map(|s| s.user.clone());
        Layout {
            title: title.to_string(),
            is_programme_admin: user
                .as_ref()
                .is_some_and(|u| u.role == Role::ProgrammeAdmin),
            is_org_admin: user.as_ref().is_some_and(|u| u.role == Role::OrgAdmin),
            role_label: user
                .as_ref()
                .map(|u| u.role.label().to_string())
                .unwrap_or_default(),
            nav: user.as_ref().map(app::dashboard::nav).unwrap_or_default(),
            has_actions: user.as_ref().is_some_and(app::dashboard::has_actions),
            user,
            csrf: session.map(|s| s.csrf.clone()).unwrap_or_default(),
            my_actions: session.map(|s| s.actions).unwrap_or_default(),
            flash,
            current,
        }
    }

    /// `aria-current` for the navigation item of this page.
    pub fn current_attr(&self, item: &str) -> &'static str {
        if self.current == item {
            "page"
        } else {
            "false"
        }
    }
}

/// Renders a page and clears a shown flash message.
pub fn render<T: Template>(tpl: &T, had_flash: bool) -> Result<Response, PageError> {
    Ok(html_response(tpl.render()?, had_flash))
}

/// A rendered page as a response; clears the flash cookie when the page showed it.
pub fn html_response(html: String, had_flash: bool) -> Response {
    let mut res = Html(html).into_response();
    if had_flash {
        res.headers_mut().append(
            header::SET_COOKIE,
            HeaderValue::from_str(&format!("{FLASH_COOKIE}=; Path=/; Max-Age=0; SameSite=Lax"))
                .expect("static cookie"),
        );
    }
    res
}

/// Redirects (303) and shows `message` on the next page.
pub fn redirect_with(to: &str, ok: bool, message: &str) -> Response {
    let value = format!("{}|{message}", if ok { "ok" } else { "fout" });
    let encoded: String = url::form_urlencoded::byte_serialize(value.as_bytes()).collect();
    let mut res = Redirect::to(to).into_response();
    if let Ok(v) = HeaderValue::from_str(&format!(
        "{FLASH_COOKIE}={encoded}; Path=/; Max-Age=60; SameSite=Lax; HttpOnly"
    )) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    res
}

/// Form fields as submitted (repeated keys kept, e.g. checkboxes).
pub struct Fields(pub Vec<(String, String)>);

impl Fields {
    pub fn get(&self, key: &str) -> &str {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    }
    pub fn all(&self, key: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .collect()
    }
    /// Parses a number typed the Dutch way ("36", "32,5"; the rules are
    /// [`report::nl`]'s).
    pub fn number(&self, key: &str, label: &str) -> Result<f64, PageError> {
        report::nl::parse_number_f64(self.get(key))
            .ok()
            .ok_or_else(|| {
                PageError::BadRequest(format!("{label}: '{}' is geen getal.", self.get(key)))
            })
    }
    pub fn ids(&self, key: &str) -> Vec<i64> {
        self.all(key)
            .iter()
            .filter_map(|v| v.parse().ok())
            .collect()
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    title: &'a str,
    text: &'a str,
}

/// A minimal Dutch error page (no session needed).
pub fn error_page(title: &str, text: &str) -> String {
    ErrorPage { title, text }
        .render()
        .unwrap_or_else(|_| format!("<!doctype html><title>{title}</title><p>{text}</p>"))
}

pub async fn not_found() -> PageError {
    PageError::NotFound
}

/// For an error the user can fix: back to `to` with the message shown; otherwise the
/// error page.
pub fn flash_error(e: impl Into<PageError>, to: &str) -> Result<Response, PageError> {
    let e: PageError = e.into();
    match e.user_message() {
        Some(m) => Ok(redirect_with(to, false, &m)),
        None => Err(e),
    }
}
