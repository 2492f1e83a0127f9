//! The JSON API of the processing register and the retention periods (programme admin).

use std::collections::BTreeMap;

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{Value, json};

use crate::api::JsonBody;
use crate::auth::ApiUser;
use crate::{ApiError, AppState};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/register", get(register))
        .route("/retention", get(retention).put(set_retention))
}

async fn register(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> Result<Json<Value>, ApiError> {
    let kinds = app::register::view(&state.store, (&user).into()).await?;
    Ok(Json(json!({ "kinds": kinds })))
}

async fn retention_json(state: &AppState) -> Result<Json<Value>, ApiError> {
    let periods = app::retention::current(&state.store).await?;
    let settings: Vec<Value> = app::retention::SPECS
        .iter()
        .map(|s| {
            let mut v = json!(s);
            v["value"] = json!(periods.get(s.key));
            v
        })
        .collect();
    Ok(Json(json!({ "settings": settings })))
}

async fn retention(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> Result<Json<Value>, ApiError> {
    app::access::require_programme_admin(&user)?;
    retention_json(&state).await
}

/// `{"audit_log_months": 24, …}`: the periods to change (others stay).
async fn set_retention(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    JsonBody(changes): JsonBody<BTreeMap<String, i64>>,
) -> Result<Json<Value>, ApiError> {
    app::retention::update(&state.store, (&user).into(), &changes).await?;
    retention_json(&state).await
}
