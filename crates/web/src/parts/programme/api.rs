//! The programme API: a region's programme (phases, cohorts, onboarding), an
//! organisation's onboarding, intervention plan, actions and meetings, and the caller's
//! own actions. Each handler is the twin of a page action and calls the same service.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::{delete, get, post, put};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::api::JsonBody;
use crate::auth::ApiUser;
use crate::scope::ApiOrgScope;
use crate::{ApiError, AppState};
use app::access::Caller;
use app::programme;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/regions/{id}/programme", get(region_programme))
        .route("/regions/{id}/programme/phases", post(set_phase))
        .route("/regions/{id}/programme/cohorts", post(add_cohort))
        .route(
            "/regions/{id}/programme/cohorts/{cohort}/members",
            post(add_cohort_member),
        )
        .route(
            "/regions/{id}/programme/cohorts/{cohort}/members/{org}",
            delete(remove_cohort_member),
        )
        .route(
            "/organisations/{id}/onboarding",
            get(onboarding).put(set_onboarding),
        )
        .route("/organisations/{id}/plan", get(plan))
        .route("/organisations/{id}/plan/prefill", post(prefill))
        .route("/organisations/{id}/plan/{code}", put(save_item))
        .route(
            "/organisations/{id}/plan/{code}/sessions",
            post(add_session),
        )
        .route(
            "/organisations/{id}/plan/{code}/materials",
            post(add_material),
        )
        .route("/organisations/{id}/actions", get(actions).post(add_action))
        .route("/organisations/{id}/actions/{action}", put(update_action))
        .route(
            "/organisations/{id}/actions/{action}/status",
            put(action_status),
        )
        .route(
            "/organisations/{id}/meetings",
            get(meetings).post(add_meeting),
        )
        .route("/organisations/{id}/meetings/{meeting}", get(meeting))
        .route("/me/actions", get(my_actions))
}

/// A JSON body read after the region's access check (so another region's route answers
/// 403/404 whatever the body).
fn json_body<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    serde_json::from_slice(bytes).map_err(|e| ApiError::Invalid {
        field: "body".into(),
        message: format!("Dit veld klopt niet: {e}"),
    })
}

async fn region_programme(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<Value>, ApiError> {
    let t = programme::timeline(&state.store, Caller::User(&user), id).await?;
    Ok(Json(serde_json::to_value(t).map_err(anyhow::Error::from)?))
}

#[derive(Deserialize)]
struct PhaseInput {
    phase: String,
    from: String,
    to: String,
}

async fn set_phase(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    programme::require_region_admin(&state.store, Caller::User(&user), id).await?;
    let input: PhaseInput = json_body(&body)?;
    let phase = programme::parse_phase(&input.phase)?;
    let p = programme::set_phase(
        &state.store,
        Caller::User(&user),
        id,
        phase,
        &input.from,
        &input.to,
    )
    .await?;
    Ok(Json(json!(p)))
}

#[derive(Deserialize)]
struct CohortInput {
    name: String,
    #[serde(default = "pilot")]
    phase: String,
    /// Organisation ids or names.
    orgs: Vec<Value>,
}

fn pilot() -> String {
    "pilot".into()
}

async fn add_cohort(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    body: Bytes,
) -> Result<impl IntoResponse, ApiError> {
    programme::require_region_admin(&state.store, Caller::User(&user), id).await?;
    let input: CohortInput = json_body(&body)?;
    let phase = programme::parse_phase(&input.phase)?;
    let orgs: Vec<String> = input
        .orgs
        .iter()
        .map(|v| match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        })
        .collect();
    let c = programme::add_cohort(
        &state.store,
        Caller::User(&user),
        id,
        &input.name,
        phase,
        &orgs,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(json!(c))))
}

async fn onboarding(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<Value>, ApiError> {
    let own = programme::own_programme(&state.store, Caller::User(&user), id).await?;
    Ok(Json(json!(own)))
}

async fn set_onboarding(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    _scope: ApiOrgScope,
    Path(id): Path<i64>,
    JsonBody(input): JsonBody<programme::OnboardingInput>,
) -> Result<Json<Value>, ApiError> {
    let o = programme::set_onboarding(&state.store, Caller::User(&user), id, &input).await?;
    Ok(Json(json!(o)))
}

async fn plan(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<Value>, ApiError> {
    let p = programme::plan(&state.store, Caller::User(&user), id).await?;
    Ok(Json(json!(p)))
}

async fn prefill(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    _scope: ApiOrgScope,
    Path(id): Path<i64>,
) -> Result<Json<Value>, ApiError> {
    let caller = Caller::User(&user);
    let n = programme::prefill_plan(&state.store, caller, id, programme::today()).await?;
    let p = programme::plan(&state.store, caller, id).await?;
    Ok(Json(json!({ "recommended": n, "plan": p })))
}

async fn save_item(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    _scope: ApiOrgScope,
    Path((id, code)): Path<(i64, String)>,
    JsonBody(input): JsonBody<programme::PlanItemForm>,
) -> Result<Json<Value>, ApiError> {
    let item =
        programme::save_plan_item(&state.store, Caller::User(&user), id, &code, &input).await?;
    Ok(Json(json!(item)))
}

#[derive(Deserialize)]
struct SessionInput {
    held_on: String,
    participants: i64,
    #[serde(default)]
    notes: String,
}

async fn add_session(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    _scope: ApiOrgScope,
    Path((id, code)): Path<(i64, String)>,
    JsonBody(input): JsonBody<SessionInput>,
) -> Result<impl IntoResponse, ApiError> {
    let s = programme::add_session(
        &state.store,
        Caller::User(&user),
        id,
        &code,
        &input.held_on,
        input.participants,
        &input.notes,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(json!(s))))
}

#[derive(Deserialize)]
struct MaterialInput {
    title: String,
    url: String,
}

async fn add_material(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    _scope: ApiOrgScope,
    Path((id, code)): Path<(i64, String)>,
    JsonBody(input): JsonBody<MaterialInput>,
) -> Result<impl IntoResponse, ApiError> {
    let m = programme::add_material(
        &state.store,
        Caller::User(&user),
        id,
        &code,
        &input.title,
        &input.url,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(json!(m))))
}

async fn actions(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<Value>, ApiError> {
    let list =
        programme::actions(&state.store, Caller::User(&user), id, programme::today()).await?;
    Ok(Json(json!({ "actions": list })))
}

async fn add_action(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    _scope: ApiOrgScope,
    Path(id): Path<i64>,
    JsonBody(input): JsonBody<programme::ActionInput>,
) -> Result<impl IntoResponse, ApiError> {
    let a = programme::add_action(&state.store, Caller::User(&user), id, &input).await?;
    Ok((StatusCode::CREATED, Json(json!(a))))
}

async fn update_action(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    _scope: ApiOrgScope,
    Path((id, action)): Path<(i64, String)>,
    JsonBody(input): JsonBody<programme::ActionInput>,
) -> Result<Json<Value>, ApiError> {
    let action: i64 = action.parse().map_err(|_| ApiError::NotFound)?;
    let a = programme::update_action(&state.store, Caller::User(&user), id, action, &input).await?;
    Ok(Json(json!(a)))
}

#[derive(Deserialize)]
struct MemberInput {
    /// The organisation's id or name.
    org: Value,
}

async fn add_cohort_member(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path((id, cohort)): Path<(i64, String)>,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    programme::require_region_admin(&state.store, Caller::User(&user), id).await?;
    let cohort: i64 = cohort.parse().map_err(|_| ApiError::NotFound)?;
    let input: MemberInput = json_body(&body)?;
    let org = match input.org {
        Value::String(s) => s,
        other => other.to_string(),
    };
    let c =
        programme::add_cohort_member(&state.store, Caller::User(&user), id, cohort, &org).await?;
    Ok(Json(json!(c)))
}

async fn remove_cohort_member(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path((id, cohort, org)): Path<(i64, String, String)>,
) -> Result<Json<Value>, ApiError> {
    programme::require_region_admin(&state.store, Caller::User(&user), id).await?;
    let cohort: i64 = cohort.parse().map_err(|_| ApiError::NotFound)?;
    let org: i64 = org.parse().map_err(|_| ApiError::NotFound)?;
    let c =
        programme::remove_cohort_member(&state.store, Caller::User(&user), id, cohort, org).await?;
    Ok(Json(json!(c)))
}

#[derive(Deserialize)]
struct StatusInput {
    status: String,
}

async fn action_status(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    _scope: ApiOrgScope,
    Path((id, action)): Path<(i64, String)>,
    JsonBody(input): JsonBody<StatusInput>,
) -> Result<Json<Value>, ApiError> {
    let action: i64 = action.parse().map_err(|_| ApiError::NotFound)?;
    let a =
        programme::set_action_status(&state.store, Caller::User(&user), id, action, &input.status)
            .await?;
    Ok(Json(json!(a)))
}

async fn meetings(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<Value>, ApiError> {
    let list = programme::meetings(&state.store, Caller::User(&user), id).await?;
    Ok(Json(json!({ "meetings": list })))
}

async fn add_meeting(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    _scope: ApiOrgScope,
    Path(id): Path<i64>,
    JsonBody(input): JsonBody<programme::MeetingInput>,
) -> Result<impl IntoResponse, ApiError> {
    let m = programme::add_meeting(&state.store, Caller::User(&user), id, &input).await?;
    Ok((StatusCode::CREATED, Json(json!(m))))
}

async fn meeting(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    _scope: ApiOrgScope,
    Path((id, meeting)): Path<(i64, String)>,
) -> Result<Json<Value>, ApiError> {
    let meeting: i64 = meeting.parse().map_err(|_| ApiError::NotFound)?;
    let (m, actions) = programme::meeting(&state.store, Caller::User(&user), id, meeting).await?;
    let mut body = json!(m);
    body["actions"] = json!(actions);
    Ok(Json(body))
}

async fn my_actions(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> Result<Json<Value>, ApiError> {
    let list = programme::my_actions(&state.store, &user, programme::today()).await?;
    Ok(Json(json!({ "actions": list })))
}
