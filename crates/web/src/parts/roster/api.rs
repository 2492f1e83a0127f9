//! Roster scans and designs in the JSON API (issue 32): upload a roster export as the
//! request body (columns proposed from the headers, or chosen with `map_<role>` query
//! parameters, the mapping step's twin), list and read scans, start a design as a
//! background job, read its status and result, cancel it. The same `app::roster`
//! services as the pages; employees appear as "Medewerker N" (names only to the team's
//! planners, where uploaded).

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::api::JsonBody;
use crate::scope::ApiOrgScope;
use crate::{ApiError, AppState};
use app::access::Caller;
use app::roster as svc;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/organisations/{id}/roster-scans",
            get(list_scans)
                .post(upload_scan)
                .layer(DefaultBodyLimit::max(32 * 1024 * 1024)),
        )
        .route("/organisations/{id}/roster-scans/{scan}", get(get_scan))
        .route("/organisations/{id}/roster-designs", post(start_design))
        .route(
            "/organisations/{id}/roster-designs/{design}",
            get(get_design),
        )
        .route(
            "/organisations/{id}/roster-designs/{design}/cancel",
            post(cancel_design),
        )
}

async fn list_scans(
    State(state): State<AppState>,
    scoped: ApiOrgScope,
) -> Result<Json<Value>, ApiError> {
    let scans = svc::scans(&state.store, Caller::User(&scoped.caller), scoped.org.id).await?;
    Ok(Json(json!({ "scans": scans })))
}

/// `POST /organisations/{id}/roster-scans?team_id=N&file_name=…&map_datum=Kolom…`: the file
/// is the body. Columns not named in the query are proposed from the headers;
/// `map_naam` keeps a name column (sealed; shown only to the team's planners).
async fn upload_scan(
    State(state): State<AppState>,
    scoped: ApiOrgScope,
    Query(q): Query<HashMap<String, String>>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let who = Caller::User(&scoped.caller);
    let org = &scoped.org;
    let team_id: i64 = q
        .get("team_id")
        .and_then(|t| t.trim().parse().ok())
        .ok_or_else(|| ApiError::Invalid {
            field: "team_id".into(),
            message: "Noem het team van het rooster (team_id).".into(),
        })?;
    let file_name = q.get("file_name").cloned().unwrap_or_else(|| "api".into());
    let mut up = svc::new_upload(&state.store, who, org.id, team_id, &file_name, &body).await?;
    let column = |header: &str| -> Result<usize, ApiError> {
        up.table
            .headers
            .iter()
            .position(|h| h.trim() == header.trim())
            .ok_or_else(|| ApiError::Invalid {
                field: "map".into(),
                message: format!("Kolom '{header}' staat niet in het bestand."),
            })
    };
    for (role, _, _) in roster::scan::COLUMN_ROLES {
        if let Some(h) = q.get(&format!("map_{role}")) {
            let i = column(h)?;
            up.columns.insert((*role).to_string(), i);
        }
    }
    up.name_column = match q.get("map_naam") {
        Some(h) => Some(column(h)?),
        None => None,
    };
    let scan = svc::store_upload(&state.store, &state.config.upload_key, who, org, &up).await?;
    Ok((StatusCode::CREATED, Json(json!({ "scan": scan }))).into_response())
}

async fn get_scan(
    State(state): State<AppState>,
    scoped: ApiOrgScope,
    Path((_, scan)): Path<(i64, i64)>,
) -> Result<Json<Value>, ApiError> {
    let view = svc::scan_view(
        &state.store,
        Some(&state.config.upload_key),
        Caller::User(&scoped.caller),
        scoped.org.id,
        scan,
    )
    .await?;
    Ok(Json(json!(view)))
}

#[derive(Deserialize)]
struct StartBody {
    scan_id: i64,
    #[serde(flatten)]
    design: StartDesign,
}

#[derive(Deserialize)]
struct StartDesign {
    seconds: Option<i64>,
    #[serde(default)]
    flatten_hours: u32,
    longer_shifts: Option<bool>,
    #[serde(default)]
    employees: Vec<Wish>,
    demand: Option<Vec<Vec<u32>>>,
    seed: Option<u64>,
}

#[derive(Deserialize)]
struct Wish {
    employee: String,
    desired_hours: Option<f64>,
    #[serde(default)]
    fixed_days_off: Vec<u8>,
}

async fn start_design(
    State(state): State<AppState>,
    scoped: ApiOrgScope,
    JsonBody(body): JsonBody<StartBody>,
) -> Result<Response, ApiError> {
    let d = body.design;
    let req = svc::DesignRequest {
        seconds: d.seconds,
        flatten_hours: d.flatten_hours,
        longer_shifts: d.longer_shifts.unwrap_or(true),
        employees: d
            .employees
            .into_iter()
            .map(|w| svc::EmployeeWish {
                employee: w.employee,
                desired_hours: w.desired_hours,
                fixed_days_off: w.fixed_days_off,
            })
            .collect(),
        demand: d.demand,
        seed: d.seed,
    };
    let design = svc::start_design(
        &state.store,
        Some(&state.config.upload_key),
        Caller::User(&scoped.caller),
        scoped.org.id,
        body.scan_id,
        &req,
    )
    .await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(json!({
            "design": {
                "id": design.id,
                "scan_id": design.scan_id,
                "job_id": design.job_id,
                "seconds": design.seconds,
                "status": "queued",
            }
        })),
    )
        .into_response())
}

async fn get_design(
    State(state): State<AppState>,
    scoped: ApiOrgScope,
    Path((_, design)): Path<(i64, i64)>,
) -> Result<Json<Value>, ApiError> {
    let d = svc::design_status(
        &state.store,
        Some(&state.config.upload_key),
        Caller::User(&scoped.caller),
        scoped.org.id,
        design,
    )
    .await?;
    Ok(Json(json!({ "design": d })))
}

async fn cancel_design(
    State(state): State<AppState>,
    scoped: ApiOrgScope,
    Path((_, design)): Path<(i64, i64)>,
) -> Result<Json<Value>, ApiError> {
    let status = svc::cancel_design(
        &state.store,
        Caller::User(&scoped.caller),
        scoped.org.id,
        design,
    )
    .await?;
    Ok(Json(json!({ "id": design, "status": status })))
}
