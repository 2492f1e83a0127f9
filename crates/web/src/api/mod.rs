//! The JSON API under `/api/v1`, authenticated with personal API tokens. It offers what an
//! admin can do in the pages; errors are `{"error": {"code", "message", "field"?}}`.

pub(crate) mod calc;
mod hr;
pub mod openapi;
pub(crate) mod survey;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::{get, post, put};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};
use store::{OrganisationInput, Role, User};

use crate::auth::ApiUser;
use app::{access, orgs, users};

use crate::{ApiError, AppState};

pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(calc::routes())
        .merge(survey::routes())
        .route("/openapi.json", get(openapi::document))
        .route("/me", get(me))
        .route("/organisations", get(list_orgs).post(create_org))
        .route(
            "/organisations/{id}",
            get(get_org).put(update_org).delete(delete_org),
        )
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
        .route("/users", get(list_users).post(create_user))
        .route("/users/{id}", get(get_user))
        .route("/users/{id}/teams", put(set_teams))
        .route("/users/{id}/deactivate", post(deactivate))
        .route("/users/{id}/activate", post(activate))
        .route("/users/{id}/reset-password", post(reset_password))
        .route("/audit", get(audit))
        .merge(hr::routes())
        .merge(crate::parts::report::api::routes())
        .fallback(|| async { ApiError::NotFound })
}

/// A JSON body, with a Dutch message naming the problem when it does not parse.
pub struct JsonBody<T>(pub T);

impl<T: serde::de::DeserializeOwned, S: Send + Sync> axum::extract::FromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, ApiError> {
        let bytes = axum::body::Bytes::from_request(req, state)
            .await
            .map_err(|_| {
                ApiError::BadRequest("De inhoud van het verzoek kon niet worden gelezen.".into())
            })?;
        let mut de = serde_json::Deserializer::from_slice(&bytes);
        match serde_path_to_error::deserialize(&mut de) {
            Ok(v) => Ok(JsonBody(v)),
            Err(e) => {
                let path = e.path().to_string();
                Err(ApiError::Invalid {
                    field: if path == "." { "body".into() } else { path },
                    message: format!("Dit veld klopt niet: {}", e.inner()),
                })
            }
        }
    }
}

fn user_json(u: &User) -> Value {
    json!({
        "id": u.id, "email": u.email, "name": u.name, "role": u.role.code(),
        "org_id": u.org_id, "active": u.active, "invited": !u.has_password,
        "team_ids": u.team_ids, "created_at": u.created_at,
    })
}

async fn me(ApiUser(user): ApiUser) -> Json<Value> {
    Json(user_json(&user))
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

async fn get_org(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<Value>, ApiError> {
    access::require_view_org(&user, id)?;
    Ok(Json(json!(state.store.organisation(id).await?)))
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

async fn list_locations(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<Value>, ApiError> {
    access::require_view_org(&user, id)?;
    state.store.organisation(id).await?;
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
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<Value>, ApiError> {
    access::require_view_org(&user, id)?;
    state.store.organisation(id).await?;
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
struct UsersQuery {
    org_id: Option<i64>,
}

async fn list_users(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<UsersQuery>,
) -> Result<Json<Value>, ApiError> {
    let scope = match user.role {
        Role::ProgrammeAdmin => q.org_id,
        Role::OrgAdmin => {
            if q.org_id.is_some_and(|o| Some(o) != user.org_id) {
                return Err(ApiError::NotFound);
            }
            user.org_id
        }
        _ => return Err(ApiError::Forbidden),
    };
    let users: Vec<Value> = state
        .store
        .users(scope)
        .await?
        .iter()
        .map(user_json)
        .collect();
    Ok(Json(json!({ "users": users })))
}

async fn create_user(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    JsonBody(input): JsonBody<users::UserInput>,
) -> Result<impl IntoResponse, ApiError> {
    let created = users::create_user(
        &state.store,
        (&user).into(),
        &input,
        &state.config.public_url,
    )
    .await?;
    let mut body = user_json(&created.user);
    body["invite_link"] = json!(created.invite_link);
    Ok((StatusCode::CREATED, Json(body)))
}

async fn get_user(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<Value>, ApiError> {
    if id == user.id {
        return Ok(Json(user_json(&user)));
    }
    Ok(Json(user_json(
        &users::managed_user(&state.store, &user, id).await?,
    )))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TeamsInput {
    team_ids: Vec<i64>,
}

async fn set_teams(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    JsonBody(input): JsonBody<TeamsInput>,
) -> Result<Json<Value>, ApiError> {
    let u = users::set_user_teams(&state.store, &user, id, &input.team_ids).await?;
    Ok(Json(user_json(&u)))
}

async fn deactivate(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<Value>, ApiError> {
    let u = users::set_user_active(&state.store, &user, id, false).await?;
    Ok(Json(user_json(&u)))
}

async fn activate(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<Value>, ApiError> {
    let u = users::set_user_active(&state.store, &user, id, true).await?;
    Ok(Json(user_json(&u)))
}

async fn reset_password(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<Value>, ApiError> {
    let link =
        users::reset_password_link(&state.store, &user, id, &state.config.public_url).await?;
    Ok(Json(
        json!({ "reset_link": link, "valid_hours": users::LINK_HOURS }),
    ))
}

#[derive(Deserialize)]
struct AuditQuery {
    limit: Option<i64>,
    before_id: Option<i64>,
}

async fn audit(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<AuditQuery>,
) -> Result<Json<Value>, ApiError> {
    access::require_programme_admin(&user)?;
    let limit = q.limit.unwrap_or(100).clamp(1, 1000);
    Ok(Json(
        json!({ "entries": state.store.audit_entries(limit, q.before_id).await? }),
    ))
}
