//! The impact part in the JSON API: goals, progress, the request form and the requests'
//! pipeline, and the region's impact. Another organisation answers 404 (the scope
//! extractor), a role that may not 403 (the service).

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::api::JsonBody;
use crate::auth::ApiUser;
use crate::scope::ApiOrgScope;
use crate::{ApiError, AppState};
use app::access::Caller;
use app::impact::{self, GoalInput, RequestMove};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/organisations/{id}/goals", get(goals).post(add_goal))
        .route("/organisations/{id}/goals/{goal}", delete(delete_goal))
        .route("/organisations/{id}/goals/{goal}/values", post(add_value))
        .route("/organisations/{id}/impact", get(impact_json))
        .route(
            "/organisations/{id}/request-form",
            get(request_form).post(update_request_form),
        )
        .route("/organisations/{id}/contract-requests", get(requests))
        .route(
            "/organisations/{id}/contract-requests/{request}",
            post(move_request),
        )
        .route("/regions/{id}/impact", get(region_impact))
}

type Params = Query<HashMap<String, String>>;

async fn impact_json(
    State(state): State<AppState>,
    scoped: ApiOrgScope,
    Query(q): Params,
) -> Result<Json<Value>, ApiError> {
    let as_of = super::as_of(q.get("as_of").map(String::as_str))?;
    let imp = impact::impact(
        &state.store,
        Caller::User(scoped.user()),
        scoped.org.id,
        as_of,
    )
    .await?;
    Ok(Json(json!(imp)))
}

async fn goals(
    State(state): State<AppState>,
    scoped: ApiOrgScope,
    Query(q): Params,
) -> Result<Json<Value>, ApiError> {
    let as_of = super::as_of(q.get("as_of").map(String::as_str))?;
    let imp = impact::impact(
        &state.store,
        Caller::User(scoped.user()),
        scoped.org.id,
        as_of,
    )
    .await?;
    Ok(Json(json!({"goals": imp.goals})))
}

async fn add_goal(
    State(state): State<AppState>,
    scoped: ApiOrgScope,
    JsonBody(body): JsonBody<GoalInput>,
) -> Result<Response, ApiError> {
    let g = impact::add_goal(
        &state.store,
        Caller::User(scoped.user()),
        scoped.org.id,
        &body,
        super::today(),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(json!(g))).into_response())
}

async fn delete_goal(
    State(state): State<AppState>,
    scoped: ApiOrgScope,
    Path((_, goal)): Path<(i64, i64)>,
) -> Result<StatusCode, ApiError> {
    impact::delete_goal(
        &state.store,
        Caller::User(scoped.user()),
        scoped.org.id,
        goal,
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize)]
struct ValueBody {
    measured_on: String,
    value: f64,
    #[serde(default)]
    note: String,
}

async fn add_value(
    State(state): State<AppState>,
    scoped: ApiOrgScope,
    Path((_, goal)): Path<(i64, i64)>,
    JsonBody(body): JsonBody<ValueBody>,
) -> Result<Response, ApiError> {
    impact::add_goal_value(
        &state.store,
        Caller::User(scoped.user()),
        scoped.org.id,
        goal,
        &body.measured_on,
        body.value,
        &body.note,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(json!({"ok": true}))).into_response())
}

async fn request_form(
    State(state): State<AppState>,
    scoped: ApiOrgScope,
) -> Result<Json<Value>, ApiError> {
    let f = impact::request_form(&state.store, Caller::User(scoped.user()), scoped.org.id).await?;
    Ok(Json(json!({
        "code": f.code,
        "path": format!("/verzoek/{}", f.code),
        "retention_months": f.retention_months,
    })))
}

#[derive(Deserialize)]
struct FormBody {
    #[serde(default)]
    new_code: bool,
    #[serde(default)]
    retention_months: Option<i64>,
}

async fn update_request_form(
    State(state): State<AppState>,
    scoped: ApiOrgScope,
    JsonBody(body): JsonBody<FormBody>,
) -> Result<Json<Value>, ApiError> {
    let f = impact::regenerate_request_form(
        &state.store,
        Caller::User(scoped.user()),
        scoped.org.id,
        body.retention_months,
        body.new_code,
    )
    .await?;
    Ok(Json(json!({
        "code": f.code,
        "path": format!("/verzoek/{}", f.code),
        "retention_months": f.retention_months,
    })))
}

async fn requests(
    State(state): State<AppState>,
    scoped: ApiOrgScope,
) -> Result<Json<Value>, ApiError> {
    let list = impact::requests(&state.store, Caller::User(scoped.user()), scoped.org.id).await?;
    Ok(Json(json!({"requests": list})))
}

async fn move_request(
    State(state): State<AppState>,
    scoped: ApiOrgScope,
    Path((_, request)): Path<(i64, i64)>,
    JsonBody(body): JsonBody<RequestMove>,
) -> Result<Json<Value>, ApiError> {
    let r = impact::move_request(
        &state.store,
        Caller::User(scoped.user()),
        scoped.org.id,
        request,
        &body,
        super::today(),
    )
    .await?;
    Ok(Json(json!(r)))
}

async fn region_impact(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    Query(q): Params,
) -> Result<Json<Value>, ApiError> {
    let as_of = super::as_of(q.get("as_of").map(String::as_str))?;
    let r = impact::region_impact(&state.store, &user, id, as_of).await?;
    Ok(Json(json!(r)))
}
