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
use axum::routing::{delete, get, post, put};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::api::JsonBody;

use crate::auth::ApiUser;
use crate::scope::ApiOrgScope;
use app::nulmeting::{self, ImportError, Scope};

use crate::{ApiError, AppState};

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
        .route(
            "/organisations/{id}/hr/snapshots/{snapshot}",
            delete(delete_snapshot),
        )
        .route("/organisations/{id}/hr/wage-cost", put(set_wage_cost))
        .route("/organisations/{id}/hr/pnil/entries", post(add_pnil_entry))
        .route(
            "/organisations/{id}/hr/pnil/months/{month}",
            delete(delete_pnil_month),
        )
        .route("/hr/benchmarks", put(set_benchmarks))
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
    scoped: ApiOrgScope,
) -> Result<Json<Value>, ApiError> {
    let id = scoped.org.id;
    let scope = nulmeting::scope(&state.store, &scoped.caller, id).await?;
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
    scoped: ApiOrgScope,
    Query(q): Params,
) -> Result<Json<Value>, ApiError> {
    let (org, id) = (&scoped.org, scoped.org.id);
    let scope = nulmeting::scope(&state.store, &scoped.caller, id).await?;
    let snap = snapshot_or_404(&state, id, q.get("date")).await?;
    let emps = nulmeting::employees(&state.store, &snap, &scope).await?;
    let picture = nulmeting::picture(org, &emps);
    let bench = nulmeting::benchmarks(&state.store).await?;
    let sector = nulmeting::sector(picture.total.as_ref(), &bench);
    Ok(Json(json!({
        "peildatum": snap.peildatum,
        "scope": scope_name(&scope),
        "picture": picture,
        "sector": sector,
    })))
}

async fn gap(
    State(state): State<AppState>,
    scoped: ApiOrgScope,
    Query(q): Params,
) -> Result<Json<Value>, ApiError> {
    let (org, id) = (&scoped.org, scoped.org.id);
    let scope = nulmeting::scope(&state.store, &scoped.caller, id).await?;
    let snap = snapshot_or_404(&state, id, q.get("date")).await?;
    let s = nulmeting::gap_scenario(
        q.get("below").map(String::as_str),
        q.contains_key("to"),
        q.get("to").or(q.get("by")).map(String::as_str),
        flag(&q, "include_zero_hours"),
    )?;
    let emps = nulmeting::employees(&state.store, &snap, &scope).await?;
    let gap = nulmeting::gap(org, &emps, &s);
    Ok(Json(json!({
        "peildatum": snap.peildatum,
        "scope": scope_name(&scope),
        "gap": gap,
    })))
}

async fn compare(
    State(state): State<AppState>,
    scoped: ApiOrgScope,
    Query(q): Params,
) -> Result<Json<Value>, ApiError> {
    let (org, id) = (&scoped.org, scoped.org.id);
    let scope = nulmeting::scope(&state.store, &scoped.caller, id).await?;
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
    let c = nulmeting::compare(org, &ea, &eb, false);
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

async fn pnil(State(state): State<AppState>, scoped: ApiOrgScope) -> Result<Json<Value>, ApiError> {
    let (org, id) = (&scoped.org, scoped.org.id);
    let scope = nulmeting::scope(&state.store, &scoped.caller, id).await?;
    let entries = nulmeting::pnil_entries(&state.store, id, &scope).await?;
    let summary = nulmeting::pnil(&state.store, org, &entries).await?;
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
    scoped: ApiOrgScope,
    Query(q): Params,
    body: Bytes,
) -> Result<Response, ApiError> {
    scoped.require_admin()?;
    let (org, user, id) = (&scoped.org, &scoped.caller, scoped.org.id);
    let date = nulmeting::parse_date(q.get("date").map(String::as_str).unwrap_or(""), "date")?;
    let table = match nulmeting::read_file(&body) {
        Ok(t) => t,
        Err(ImportError::Refused(p)) => return Ok(refused(p)),
        Err(ImportError::App(e)) => return Err(e.into()),
    };
    let (mapping, _) = nulmeting::hr_mapping_for(&state.store, id, &table).await?;
    let name = q.get("file_name").cloned().unwrap_or_else(|| "api".into());
    match nulmeting::import_hr(
        &state.store,
        &app::audit::actor(user),
        org,
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
        Err(ImportError::App(e)) => Err(e.into()),
    }
}

async fn import_pnil(
    State(state): State<AppState>,
    scoped: ApiOrgScope,
    Query(q): Params,
    body: Bytes,
) -> Result<Response, ApiError> {
    scoped.require_admin()?;
    let (org, user, id) = (&scoped.org, &scoped.caller, scoped.org.id);
    let table = match nulmeting::read_file(&body) {
        Ok(t) => t,
        Err(ImportError::Refused(p)) => return Ok(refused(p)),
        Err(ImportError::App(e)) => return Err(e.into()),
    };
    let (mapping, _) = nulmeting::pnil_mapping_for(&state.store, id, &table).await?;
    let name = q.get("file_name").cloned().unwrap_or_else(|| "api".into());
    match nulmeting::import_pnil(
        &state.store,
        &app::audit::actor(user),
        org,
        &name,
        &table,
        &mapping,
        flag(&q, "valid_rows_only"),
    )
    .await
    {
        Ok(done) => Ok((StatusCode::CREATED, Json(json!(done))).into_response()),
        Err(ImportError::Refused(p)) => Ok(refused(p)),
        Err(ImportError::App(e)) => Err(e.into()),
    }
}

async fn delete_snapshot(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path((id, snapshot)): Path<(i64, i64)>,
) -> Result<StatusCode, ApiError> {
    nulmeting::delete_snapshot(&state.store, &user, id, snapshot).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WageCostBody {
    /// Average yearly wage cost per FTE in cents; `null` clears it.
    wage_cost_cents: Option<i64>,
}

async fn set_wage_cost(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<WageCostBody>,
) -> Result<Json<Value>, ApiError> {
    nulmeting::set_wage_cost(&state.store, &user, id, body.wage_cost_cents).await?;
    Ok(Json(json!({"wage_cost_cents": body.wage_cost_cents})))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PnilEntryBody {
    /// `2025-03` (or `03-2025`, `maart 2025`).
    month: String,
    amount_cents: i64,
    #[serde(default)]
    kind: Option<String>,
    #[serde(default)]
    team: Option<String>,
}

async fn add_pnil_entry(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<PnilEntryBody>,
) -> Result<Response, ApiError> {
    let month = hr::pnil::parse_month_str(&body.month).ok_or_else(|| {
        ApiError::invalid(
            "month",
            format!(
                "'{}' is geen maand; schrijf bijvoorbeeld 2025-03.",
                body.month
            ),
        )
    })?;
    let kind = match body.kind.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(k) => Some(hr::pnil::parse_pnil_kind(k).ok_or_else(|| {
            ApiError::invalid("kind", "Kies zzp, uitzendkrachten, detachering of overig.")
        })?),
    };
    let entry = hr::pnil::PnilEntry {
        month,
        team: body
            .team
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty()),
        kind,
        amount_cents: body.amount_cents,
        hours: None,
        source_row: 0,
    };
    nulmeting::add_pnil_entry(&state.store, &user, id, &entry).await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({"month": month.to_string(), "amount_cents": entry.amount_cents})),
    )
        .into_response())
}

async fn delete_pnil_month(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path((id, month)): Path<(i64, String)>,
) -> Result<Json<Value>, ApiError> {
    let month = hr::pnil::parse_month_str(&month)
        .ok_or_else(|| ApiError::invalid("month", "Geen maand; schrijf bijvoorbeeld 2025-03."))?;
    let n = nulmeting::delete_pnil_month(&state.store, &user, id, month).await?;
    Ok(Json(json!({"month": month.to_string(), "deleted_rows": n})))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BenchmarksBody {
    /// The sector figures as TOML; `null` returns to the figures shipped with the program.
    toml: Option<String>,
}

async fn set_benchmarks(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    JsonBody(body): JsonBody<BenchmarksBody>,
) -> Result<Json<Value>, ApiError> {
    nulmeting::set_benchmarks(&state.store, &user, body.toml.as_deref()).await?;
    let bench = nulmeting::benchmarks(&state.store).await?;
    Ok(Json(
        json!({"figures": bench.figures.len(), "custom": body.toml.is_some()}),
    ))
}
