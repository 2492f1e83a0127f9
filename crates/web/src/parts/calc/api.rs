//! The WerkUrenBerekenaar API: `POST /api/v1/calc` takes and returns exactly the JSON of
//! `urenwinst calc` (the `income` crate's `CalcInput` and `CalcOutput`). Public on
//! purpose: no token, no session, and nothing entered is stored or logged (the request
//! trace records only the path; the body is never written anywhere).

use std::sync::LazyLock;

use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use income::{CalcInput, ErrorCode, InputError, RuleBook};
use serde_json::json;

use crate::AppState;

/// The rule book, loaded and validated once (forced when the router is built).
static BOOK: LazyLock<RuleBook> = LazyLock::new(|| {
    RuleBook::embedded().expect("the embedded income rules are valid (tested in crates/income)")
});

/// The shared rule book of the page and the API.
pub(crate) fn book() -> &'static RuleBook {
    &BOOK
}

/// Largest request body accepted: a household is a few hundred bytes.
const MAX_BODY: usize = 64 * 1024;

pub fn routes() -> Router<AppState> {
    LazyLock::force(&BOOK);
    Router::new()
        .route("/calc", post(calc))
        .route("/calc/curve", post(curve))
        .route("/calc/examples", get(examples))
        .layer(DefaultBodyLimit::max(MAX_BODY))
}

/// An engine error as `{"error": {"code", "message", "field"}}` with the engine's code.
pub(crate) fn input_error(e: &InputError) -> Response {
    let mut body = json!({"error": {"code": e.code.as_str(), "message": e.message}});
    if !e.field.is_empty() {
        body["error"]["field"] = json!(e.field);
    }
    (StatusCode::UNPROCESSABLE_ENTITY, Json(body)).into_response()
}

fn parse(body: &Bytes) -> Result<CalcInput, InputError> {
    let text = std::str::from_utf8(body).map_err(|_| {
        InputError::new(
            "",
            ErrorCode::InvalidJson,
            "De invoer is geen geldige tekst (UTF-8).",
        )
    })?;
    CalcInput::from_json(text)
}

async fn calc(body: Bytes) -> Response {
    match parse(&body).and_then(|input| book().calculate(&input)) {
        Ok(out) => Json(out).into_response(),
        Err(e) => input_error(&e),
    }
}

async fn curve(body: Bytes) -> Response {
    match parse(&body).and_then(|input| book().curve(&input)) {
        Ok(out) => Json(out).into_response(),
        Err(e) => input_error(&e),
    }
}

async fn examples() -> Response {
    Json(json!({ "examples": income::examples() })).into_response()
}
