//! The JSON API of organisations, their locations and teams, and the audit log.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};
use store::OrganisationInput;

use crate::api::JsonBody;
use crate::auth::ApiUser;
use crate::scope::ApiOrgScope;
use app::{access, orgs};

use crate::{ApiError, AppState};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/organisations", get(list_orgs).post(create_org))
        .route(
            "/organisations/{id}",
            get(get_org).put(update_org).delete(delete_org),
        )
        .route("/organisations/{id}/export", get(export_org))
        .route(
            "/organisations/{id}/locations",
            get(list_locations).post(create_location),
        )
        .route(
            "/organisations/{id}/teams",
            get(list_teams).post(create_team),
        )
        .route("/locations/{id}", axum::routing::delete(delete_location))
        .route("/teams/{id}", axum::routing::delete(delete_team))
        .route("/teams/{id}/archive", post(archive_team))
        .route("/audit", get(audit))
}

async fn list_orgs(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> Result<Json<Value>, ApiError> {
    let orgs: Vec<_> = state
        .store
        .organisations()
        .await?
        .into_iter()
        .filter(|o| access::can_view_org(&user, o.id))
        .collect();
    Ok(Json(json!({ "organisations": orgs })))
}

async fn create_org(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    JsonBody(input): JsonBody<OrganisationInput>,
) -> Result<impl IntoResponse, ApiError> {
    let org = orgs::create_organisation(&state.store, (&user).into(), &input).await?;
    Ok((StatusCode::CREATED, Json(json!(org))))
}

async fn get_org(scope: ApiOrgScope) -> Json<Value> {
    Json(json!(scope.org))
}

async fn update_org(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    JsonBody(input): JsonBody<OrganisationInput>,
) -> Result<Json<Value>, ApiError> {
    Ok(Json(json!(
        orgs::update_organisation(&state.store, &user, id, &input).await?
    )))
}

async fn delete_org(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    orgs::delete_organisation(&state.store, &user, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// All data of the organisation as a ZIP (`application/zip`), see `app::export`.
async fn export_org(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> Result<axum::response::Response, ApiError> {
    let bytes = app::export::organisation_export(&state.store, (&user).into(), id).await?;
    let org = state.store.organisation(id).await?;
    Ok(crate::parts::survey::pages::download(
        "application/zip",
        &app::export::file_name(&org.name, &app::survey::today()),
        bytes,
    ))
}

async fn list_locations(
    State(state): State<AppState>,
    scope: ApiOrgScope,
) -> Result<Json<Value>, ApiError> {
    let id = scope.org.id;
    Ok(Json(
        json!({ "locations": state.store.locations(id).await? }),
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NameInput {
    name: String,
    #[serde(default)]
    location_id: Option<i64>,
}

async fn create_location(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    JsonBody(input): JsonBody<NameInput>,
) -> Result<impl IntoResponse, ApiError> {
    let loc = orgs::create_location(&state.store, &user, id, &input.name).await?;
    Ok((StatusCode::CREATED, Json(json!(loc))))
}

async fn delete_location(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    orgs::delete_location(&state.store, &user, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn list_teams(
    State(state): State<AppState>,
    scope: ApiOrgScope,
) -> Result<Json<Value>, ApiError> {
    let id = scope.org.id;
    Ok(Json(json!({ "teams": state.store.teams(id).await? })))
}

async fn create_team(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    JsonBody(input): JsonBody<NameInput>,
) -> Result<impl IntoResponse, ApiError> {
    let team = orgs::create_team(
        &state.store,
        (&user).into(),
        id,
        &input.name,
        input.location_id,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(json!(team))))
}

async fn archive_team(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<Value>, ApiError> {
    let team = orgs::archive_team(&state.store, &user, id).await?;
    Ok(Json(json!({ "team": team, "archived": true })))
}

async fn delete_team(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    orgs::delete_team(&state.store, &user, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize)]
struct AuditQuery {
    limit: Option<i64>,
    before_id: Option<i64>,
    org_id: Option<i64>,
    actor: Option<String>,
    action: Option<String>,
}

/// The log for the programme admin (all, or filtered) and an organisation admin (the own
/// organisation only); each entry with its action in Dutch.
async fn audit(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<AuditQuery>,
) -> Result<Json<Value>, ApiError> {
    let limit = q.limit.unwrap_or(100).clamp(1, 1000);
    let page = app::audit::read_limited(
        &state.store,
        &user,
        &app::audit::LogQuery {
            org_id: q.org_id,
            actor: q.actor,
            action: q.action,
            before_id: q.before_id,
        },
        limit,
    )
    .await?;
    let entries: Vec<Value> = page
        .entries
        .iter()
        .map(|e| {
            let mut v = json!(e);
            v["action_nl"] = json!(app::audit::action_name(&e.action));
            v
        })
        .collect();
    Ok(Json(
        json!({ "entries": entries, "older_before_id": page.older }),
    ))
}
