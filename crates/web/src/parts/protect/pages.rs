//! The processing register page and the retention form, for the programme admin.

use std::collections::BTreeMap;

use askama::Template;
use axum::Form;
use axum::Router;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::{get, post};

use crate::auth::Auth;
use crate::page::{Fields, Layout, PageAction, redirect_with, render};
use crate::{AppState, PageError};

/// The POST actions of these pages (see [`crate::page::PageAction`]).
pub const ACTIONS: &[PageAction] = &[PageAction::new(
    "/bewaartermijnen",
    &["PUT /retention"],
    || post(save_retention),
)];

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/verwerkingsregister", get(register))
        .route("/bewaartermijnen", get(retention))
}

#[derive(Template)]
#[template(path = "protect/register.html")]
struct RegisterPage {
    l: Layout,
    kinds: Vec<app::register::KindView>,
}

async fn register(
    State(state): State<AppState>,
    Auth(session): Auth,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let kinds = app::register::view(&state.store, (&session.user).into()).await?;
    let l = Layout::new("Verwerkingsregister", "privacy", Some(&session), &headers);
    let had_flash = l.flash.is_some();
    render(&RegisterPage { l, kinds }, had_flash)
}

pub struct PeriodRow {
    pub spec: &'static app::retention::Spec,
    pub value: i64,
    pub now: String,
}

#[derive(Template)]
#[template(path = "protect/retention.html")]
struct RetentionPage {
    l: Layout,
    rows: Vec<PeriodRow>,
}

async fn retention(
    State(state): State<AppState>,
    Auth(session): Auth,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    app::access::require_programme_admin(&session.user)?;
    let periods = app::retention::current(&state.store).await?;
    let rows = app::retention::SPECS
        .iter()
        .map(|spec| {
            let value = periods.get(spec.key);
            PeriodRow {
                spec,
                value,
                now: app::retention::describe(spec.key, value),
            }
        })
        .collect();
    let l = Layout::new("Bewaartermijnen", "privacy", Some(&session), &headers);
    let had_flash = l.flash.is_some();
    render(&RetentionPage { l, rows }, had_flash)
}

async fn save_retention(
    State(state): State<AppState>,
    Auth(session): Auth,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    app::access::require_programme_admin(&session.user)?;
    let f = Fields(fields);
    let mut changes = BTreeMap::new();
    for spec in app::retention::SPECS {
        let raw = f.get(spec.key).trim();
        let Ok(value) = raw.parse::<i64>() else {
            return crate::page::flash_error(
                app::AppError::invalid(
                    spec.key,
                    format!(
                        "{}: vul een heel getal in ({}). Er is niets opgeslagen.",
                        spec.label, spec.unit
                    ),
                ),
                "/bewaartermijnen",
            );
        };
        changes.insert(spec.key.to_string(), value);
    }
    match app::retention::update(&state.store, (&session.user).into(), &changes).await {
        Ok(_) => Ok(redirect_with(
            "/bewaartermijnen",
            true,
            "De bewaartermijnen zijn opgeslagen. De opruimtaak past ze binnen een uur toe.",
        )),
        Err(e) => crate::page::flash_error(e, "/bewaartermijnen"),
    }
}
