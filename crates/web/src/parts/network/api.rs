//! The learning network in the JSON API, the twins of its pages: the library
//! (`GET /practices` with the filters `theme`, `intervention`, `subsector`, `effect`, `q`),
//! one practice (`GET /practices/{id}`), withdrawal (`DELETE /practices/{id}`), and an
//! organisation's own practices (`GET`, `POST /organisations/{id}/practices`).

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{Value, json};

use crate::auth::ApiUser;
use crate::parts::roundtable::api::parse;
use crate::{ApiError, AppState};
use app::access::Caller;
use app::practices::{self, Filter, PracticeForm};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/practices", get(library))
        .route("/practices/{id}", get(one).delete(withdraw))
        .route(
            "/organisations/{id}/practices",
            get(of_organisation).post(share),
        )
}

async fn library(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Query(filter): Query<Filter>,
) -> Result<Json<Value>, ApiError> {
    let list = practices::library(&state.store, Caller::User(&user), &filter).await?;
    Ok(Json(json!({ "practices": list })))
}

async fn one(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<Value>, ApiError> {
    Ok(Json(json!(
        practices::practice(&state.store, Caller::User(&user), id).await?
    )))
}

async fn withdraw(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    let caller = Caller::User(&user);
    let p = state.store.practice(id).await?;
    caller.require_admin_org(p.org_id)?;
    practices::withdraw(&state.store, caller, p.org_id, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn of_organisation(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<Value>, ApiError> {
    let list = practices::of_organisation(&state.store, Caller::User(&user), id).await?;
    Ok(Json(json!({ "practices": list })))
}

async fn share(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    bytes: Bytes,
) -> Result<Response, ApiError> {
    let caller = Caller::User(&user);
    caller.require_admin_org(id)?;
    let form: PracticeForm = parse(&bytes)?;
    let p = practices::share(&state.store, caller, id, &form).await?;
    Ok((StatusCode::CREATED, Json(json!(p))).into_response())
}
