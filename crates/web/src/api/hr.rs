//! HR baseline (nulmeting) in the JSON API: snapshots, the contract picture with the sector
//! comparison, the hours gap, the snapshot comparison and PNIL; imports of an HR extract
//! or PNIL file sent as the request body. Suppression applies to every response: groups
//! under the organisation's minimum group size carry no figures, managers get their own
//! teams only.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{Value, json};

use crate::auth::ApiUser;
use crate::nulmeting::{self, ImportError, Scope};
use crate::{ApiError, AppState, access, admin};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/organisations/{id}/hr/snapshots",
            get(snapshots)
                .post(import_hr)
                .layer(DefaultBodyLimit::max(32 * 1024 * 1024)),
        )
        .route("/organisations/{id}/hr/picture", get(picture))
        .route("/organisations/{id}/hr/gap", get(gap))
        .route("/organisations/{id}/hr/compare", get(compare))
        .route(
            "/organisations/{id}/hr/pnil",
            get(pnil)
                .post(import_pnil)
                .layer(DefaultBodyLimit::max(32 * 1024 * 1024)),
        )
}

type Params = Query<HashMap<String, String>>;

fn scope_name(scope: &Scope) -> Value {
    match scope {
        Scope::Organisation => json!({"kind": "organisation"}),
        Scope::Teams(t) => json!({"kind": "teams", "teams": t}),
    }
}

async fn snapshots(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<Value>, ApiError> {
    let scope = nulmeting::scope(&state.store, &user, id).await?;
    let mut list = json!(state.store.hr_snapshots(id).await?);
    // Managers see their own teams only: no organisation counts.
    if scope.is_teams()
        && let Some(items) = list.as_array_mut()
    {
        for s in items.iter_mut().filter_map(Value::as_object_mut) {
            for k in ["rows_read", "employees", "skipped"] {
                s.insert(k.into(), Value::Null);
            }
        }
    }
    Ok(Json(
        json!({ "snapshots": list, "scope": scope_name(&scope) }),
    ))
}

async fn snapshot_or_404(
    state: &AppState,
    id: i64,
    date: Option<&String>,
) -> Result<store::HrSnapshot, ApiError> {
    nulmeting::snapshot(&state.store, id, date.map(String::as_str))
        .await?
        .ok_or(ApiError::NotFound)
}

async fn picture(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    Query(q): Params,
) -> Result<Json<Value>, ApiError> {
    let scope = nulmeting::scope(&state.store, &user, id).await?;
    let org = state.store.organisation(id).await?;
    let snap = snapshot_or_404(&state, id, q.get("date")).await?;
    let emps = nulmeting::employees(&state.store, &snap, &scope).await?;
    let picture = nulmeting::picture(&org, &emps);
    let bench = nulmeting::benchmarks(&state.store).await?;
    let sector = nulmeting::sector(&picture, &bench);
    Ok(Json(json!({
        "peildatum": snap.peildatum,
        "scope": scope_name(&scope),
        "picture": picture,
        "sector": sector,
    })))
}

async fn gap(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    Query(q): Params,
) -> Result<Json<Value>, ApiError> {
    let scope = nulmeting::scope(&state.store, &user, id).await?;
    let org = state.store.organisation(id).await?;
    let snap = snapshot_or_404(&state, id, q.get("date")).await?;
    let s = nulmeting::gap_scenario(
        q.get("below").map(String::as_str),
        q.contains_key("to"),
        q.get("to").or(q.get("by")).map(String::as_str),
        flag(&q, "include_zero_hours"),
    )?;
    let emps = nulmeting::employees(&state.store, &snap, &scope).await?;
    let gap = nulmeting::gap(&org, &emps, &s);
    Ok(Json(json!({
        "peildatum": snap.peildatum,
        "scope": scope_name(&scope),
        "gap": gap,
    })))
}

async fn compare(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    Query(q): Params,
) -> Result<Json<Value>, ApiError> {
    let scope = nulmeting::scope(&state.store, &user, id).await?;
    let org = state.store.organisation(id).await?;
    let (Some(from), Some(to)) = (q.get("from"), q.get("to")) else {
        return Err(ApiError::invalid(
            "from",
            "Geef twee peildata mee: ?from=JJJJ-MM-DD&to=JJJJ-MM-DD.",
        ));
    };
    let a = snapshot_or_404(&state, id, Some(from)).await?;
    let b = snapshot_or_404(&state, id, Some(to)).await?;
    let ea = nulmeting::employees(&state.store, &a, &scope).await?;
    let eb = nulmeting::employees(&state.store, &b, &scope).await?;
    let c = nulmeting::compare(&org, &ea, &eb, false);
    let mut body = json!({
        "from": a.peildatum,
        "to": b.peildatum,
        "scope": scope_name(&scope),
        "suppressed": c.is_none(),
        "comparison": c,
    });
    if let Some(o) = body["comparison"].as_object_mut() {
        o.remove("employees");
    }
    Ok(Json(body))
}

async fn pnil(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<Value>, ApiError> {
    let scope = nulmeting::scope(&state.store, &user, id).await?;
    let org = state.store.organisation(id).await?;
    let entries = nulmeting::pnil_entries(&state.store, id, &scope).await?;
    let summary = nulmeting::pnil(&state.store, &org, &entries).await?;
    Ok(Json(
        json!({ "scope": scope_name(&scope), "summary": summary }),
    ))
}

fn refused(problems: Vec<import::Diagnostic>) -> Response {
    let first = problems.first().map(|d| d.to_string()).unwrap_or_default();
    (
        StatusCode::UNPROCESSABLE_ENTITY,
        Json(json!({
            "error": {
                "code": "invalid",
                "field": "file",
                "message": format!("Er is niets ingelezen. {first}"),
            },
            "problems": problems,
        })),
    )
        .into_response()
}

fn flag(q: &HashMap<String, String>, key: &str) -> bool {
    q.get(key).is_some_and(|v| v == "true" || v == "1")
}

async fn import_hr(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    Query(q): Params,
    body: Bytes,
) -> Result<Response, ApiError> {
    access::require_admin_org(&user, id)?;
    let org = state.store.organisation(id).await?;
    let date = nulmeting::parse_date(q.get("date").map(String::as_str).unwrap_or(""), "date")?;
    let table = match nulmeting::read_file(&body) {
        Ok(t) => t,
        Err(ImportError::Refused(p)) => return Ok(refused(p)),
        Err(ImportError::Page(e)) => return Err(e.into()),
    };
    let (mapping, _) = nulmeting::hr_mapping_for(&state.store, id, &table).await?;
    let name = q.get("file_name").cloned().unwrap_or_else(|| "api".into());
    match nulmeting::import_hr(
        &state.store,
        &admin::actor(&user),
        &org,
        date,
        &name,
        &table,
        &mapping,
        flag(&q, "valid_rows_only"),
    )
    .await
    {
        Ok(done) => Ok((
            StatusCode::CREATED,
            Json(json!({
                "snapshot": done.snapshot,
                "skipped_rows": done.import.skipped_rows,
                "problems": done.import.diagnostics,
            })),
        )
            .into_response()),
        Err(ImportError::Refused(p)) => Ok(refused(p)),
        Err(ImportError::Page(e)) => Err(e.into()),
    }
}

async fn import_pnil(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    Query(q): Params,
    body: Bytes,
) -> Result<Response, ApiError> {
    access::require_admin_org(&user, id)?;
    let org = state.store.organisation(id).await?;
    let table = match nulmeting::read_file(&body) {
        Ok(t) => t,
        Err(ImportError::Refused(p)) => return Ok(refused(p)),
        Err(ImportError::Page(e)) => return Err(e.into()),
    };
    let (mapping, _) = nulmeting::pnil_mapping_for(&state.store, id, &table).await?;
    let name = q.get("file_name").cloned().unwrap_or_else(|| "api".into());
    match nulmeting::import_pnil(
        &state.store,
        &admin::actor(&user),
        &org,
        &name,
        &table,
        &mapping,
        flag(&q, "valid_rows_only"),
    )
    .await
    {
        Ok(done) => Ok((StatusCode::CREATED, Json(json!(done))).into_response()),
        Err(ImportError::Refused(p)) => Ok(refused(p)),
        Err(ImportError::Page(e)) => Err(e.into()),
    }
}
