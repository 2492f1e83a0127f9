//! The survey part's page routes and `PageAction` table, and helpers its pages share
//! (dates typed the Dutch way, downloads, file names).

use axum::Router;
use axum::routing::{get, post};

use super::{invite, manage, respond, results, review};
use crate::AppState;
use crate::page::PageAction;

/// The POST actions of the survey pages (see [`crate::page::PageAction`]).
pub const ACTIONS: &[PageAction] = &[
    PageAction::new("/enquete", &[], || post(respond::code_submit)),
    PageAction::new("/enquete/{key}", &[], || post(respond::post)),
    PageAction::new(
        "/organisaties/{id}/enquetes",
        &["POST /organisations/{id}/survey-rounds"],
        || post(manage::create),
    ),
    PageAction::new(
        "/enquetes/{id}/status",
        &["PUT /survey-rounds/{id}/status"],
        || post(manage::set_status),
    ),
    PageAction::new(
        "/enquetes/{id}/verwijderen",
        &["DELETE /survey-rounds/{id}"],
        || post(manage::delete),
    ),
    PageAction::new(
        "/enquetes/{id}/uitgenodigd",
        &["PUT /survey-rounds/{id}/invited"],
        || post(manage::set_invited),
    ),
    PageAction::new(
        "/enquetes/{id}/codes",
        &["POST /survey-rounds/{id}/codes"],
        || post(manage::codes),
    ),
    PageAction::new(
        "/enquetes/{id}/uitnodigingen",
        &["POST /survey-rounds/{id}/invitations"],
        || post(invite::add),
    ),
    PageAction::new(
        "/enquetes/{id}/herinnering",
        &["POST /survey-rounds/{id}/reminders"],
        || post(invite::remind),
    ),
    PageAction::new(
        "/enquetes/{id}/import",
        &["POST /survey-rounds/{id}/import"],
        || post(manage::import),
    ),
    PageAction::new(
        "/open-antwoorden/{id}",
        &["POST /survey-free-texts/{id}/review"],
        || post(review::review),
    ),
];

/// The GET routes of the survey pages; the POST routes come from [`ACTIONS`].
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/enquete", get(respond::code_form))
        .route("/enquete/klaar", get(respond::done))
        .route("/enquete/{key}", get(respond::show))
        .route("/organisaties/{id}/enquetes", get(manage::list))
        .route("/enquetes/{id}", get(manage::show))
        .route("/enquetes/{id}/uitnodigingen", get(invite::show))
        .route("/enquetes/{id}/resultaten", get(results::show))
        .route("/enquetes/{id}/resultaten.csv", get(results::csv))
        .route("/enquetes/{id}/resultaten.xlsx", get(results::xlsx))
        .route("/enquetes/{id}/ruwe-antwoorden.csv", get(results::raw))
        .route("/enquetes/{id}/open-antwoorden", get(review::list))
}

/// ISO date from a date field (`2026-03-01`) or Dutch typing (`1-3-2026`), read by
/// [`report::nl::parse_date`] (four-digit years only).
pub fn parse_date(input: &str) -> Option<String> {
    report::nl::parse_date(input, None)
        .ok()
        .map(|d| d.format("%Y-%m-%d").to_string())
}

/// A file download response.
pub fn download(content_type: &str, filename: &str, body: Vec<u8>) -> axum::response::Response {
    use axum::http::header;
    use axum::response::IntoResponse;
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
        ],
        body,
    )
        .into_response()
}

/// A safe file name part from a round name.
pub fn file_stem(name: &str) -> String {
    let s: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let s = s.trim_matches('-').to_string();
    if s.is_empty() { "enquete".into() } else { s }
}
