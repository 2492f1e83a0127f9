//! Round tables in the JSON API, the twins of the round-table pages: a region's round
//! tables (`GET`, `POST /regions/{id}/round-tables`), one round table (`GET`, `PUT`,
//! `DELETE /round-tables/{id}`) and the pack as PDF
//! (`GET /regions/{id}/round-table-pack.pdf?subsector=CODE[&org=ID]`).
//!
//! Access is checked before a body is read, so a caller who may not touch the round table
//! learns nothing from the validation of the body.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{Value, json};

use crate::auth::ApiUser;
use crate::parts::region::today;
use crate::{ApiError, AppState};
use app::access::Caller;
use app::round_table::{self, RoundTableForm};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/regions/{id}/round-tables", get(list).post(create))
        .route("/round-tables/{id}", get(one).put(update).delete(remove))
        .route("/regions/{id}/round-table-pack.pdf", get(pack_pdf))
}

/// Parses a JSON body, naming the field that does not fit.
pub(crate) fn parse<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        ApiError::Invalid {
            field: if path == "." { "body".into() } else { path },
            message: format!("Dit veld klopt niet: {}", e.inner()),
        }
    })
}

fn body(rt: &store::RoundTable, manage: bool) -> Value {
    json!({
        "id": rt.id,
        "region_id": rt.region_id,
        "round_table": round_table::to_form(rt),
        "invited": rt.invited,
        "updated_at": rt.updated_at,
        "can_edit": manage,
    })
}

async fn list(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<Value>, ApiError> {
    let (tables, manage) = round_table::list(&state.store, Caller::User(&user), id).await?;
    Ok(Json(json!({
        "region_id": id,
        "can_edit": manage,
        "round_tables": tables.iter().map(|t| body(t, manage)).collect::<Vec<_>>(),
    })))
}

async fn create(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    bytes: Bytes,
) -> Result<Response, ApiError> {
    let caller = Caller::User(&user);
    round_table::require_manage(&state.store, caller, id).await?;
    let form: RoundTableForm = parse(&bytes)?;
    let rt = round_table::create(&state.store, caller, id, &form).await?;
    Ok((StatusCode::CREATED, Json(body(&rt, true))).into_response())
}

async fn one(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<Value>, ApiError> {
    let (rt, manage) = round_table::get(&state.store, Caller::User(&user), id).await?;
    Ok(Json(body(&rt, manage)))
}

async fn update(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    bytes: Bytes,
) -> Result<Json<Value>, ApiError> {
    let caller = Caller::User(&user);
    let (_, manage) = round_table::get(&state.store, caller, id).await?;
    if !manage {
        return Err(ApiError::Forbidden);
    }
    let form: RoundTableForm = parse(&bytes)?;
    let rt = round_table::update(&state.store, caller, id, &form).await?;
    Ok(Json(body(&rt, true)))
}

async fn remove(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    round_table::delete(&state.store, Caller::User(&user), id).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn pack_pdf(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let sector = q.get("subsector").cloned().unwrap_or_default();
    let org = match q.get("org").map(|s| s.trim()).filter(|s| !s.is_empty()) {
        None => None,
        Some(o) => Some(o.parse::<i64>().map_err(|_| {
            ApiError::invalid("org", format!("'{o}' is geen nummer van een organisatie."))
        })?),
    };
    let doc =
        round_table::pack(&state.store, Caller::User(&user), id, &sector, org, today()).await?;
    match crate::parts::report::render_document_pdf(&state, doc).await {
        Ok(bytes) => Ok(super::pack_pdf_response(&sector, org, bytes)),
        Err(p) => Ok(p.api_response()),
    }
}
