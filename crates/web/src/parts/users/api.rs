//! The JSON API of accounts: the caller itself, the users an admin manages, their teams,
//! activation and password reset links.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::{get, post, put};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};
use store::{Role, User};

use crate::api::JsonBody;
use crate::auth::ApiUser;
use app::users;

use crate::{ApiError, AppState};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/me", get(me))
        .route("/users", get(list_users).post(create_user))
        .route("/users/{id}", get(get_user))
        .route("/users/{id}/teams", put(set_teams))
        .route("/users/{id}/deactivate", post(deactivate))
        .route("/users/{id}/activate", post(activate))
        .route("/users/{id}/reset-password", post(reset_password))
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
    let links = users::LinkSettings::new(&state.config.public_url, state.config.mail.as_ref());
    let created = users::create_user(&state.store, (&user).into(), &input, links).await?;
    let mut body = user_json(&created.user);
    body["invite_link"] = json!(created.invitation.as_ref().and_then(|d| d.link()));
    body["link_delivery"] = json!(created.invitation.as_ref().map(|d| d.code()));
    body["message"] = json!(
        created
            .invitation
            .as_ref()
            .map(|d| d.message(users::LinkPurpose::Invite, &created.user.email))
    );
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
    let links = users::LinkSettings::new(&state.config.public_url, state.config.mail.as_ref());
    let (target, delivery) =
        users::reset_password_link(&state.store, (&user).into(), id, links).await?;
    Ok(Json(json!({
        "reset_link": delivery.link(),
        "link_delivery": delivery.code(),
        "message": delivery.message(users::LinkPurpose::Reset, &target.email),
        "valid_hours": users::LINK_HOURS,
    })))
}
