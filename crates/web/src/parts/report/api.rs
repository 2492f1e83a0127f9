//! The Value Case, the Fase 0 interview and the Fase 0 checklist in the JSON API, the
//! twins of the report pages. Access as in the pages (`app::access`): another
//! organisation's data answers 404, a role that may not 403.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::{Value, json};
use valuecase::interview::{Interview, InterviewItem};

use crate::api::JsonBody;
use crate::auth::ApiUser;
use crate::{ApiError, AppState};
use app::access::Caller;
use app::value_case;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/organisations/{id}/value-case", get(value_case_json))
        .route("/organisations/{id}/value-case.pdf", get(value_case_pdf))
        .route("/organisations/{id}/value-case/choices", get(choices))
        .route(
            "/organisations/{id}/value-case/shares",
            get(shares).post(share),
        )
        .route(
            "/organisations/{id}/interview",
            get(interview).put(save_interview),
        )
        .route("/organisations/{id}/fase0", get(checklist))
        .route("/fase0", get(checklists))
}

/// The round and snapshot of a request (`round`, `snapshot` as YYYY-MM-DD), with a Dutch
/// message naming the field that does not parse.
pub(crate) fn selection(
    round: Option<&str>,
    snapshot: Option<&str>,
) -> Result<(Option<i64>, Option<NaiveDate>), app::AppError> {
    let round = match round.map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(r) => Some(r.parse::<i64>().map_err(|_| {
            app::AppError::invalid("round", format!("'{r}' is geen nummer van een ronde."))
        })?),
    };
    let snapshot = match snapshot.map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => Some(NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| {
            app::AppError::invalid(
                "snapshot",
                format!("'{s}' is geen datum; gebruik JJJJ-MM-DD."),
            )
        })?),
    };
    Ok((round, snapshot))
}

type Params = Query<HashMap<String, String>>;

async fn value_case_json(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    Query(q): Params,
) -> Result<Json<Value>, ApiError> {
    let (round, snapshot) = selection(
        q.get("round").map(String::as_str),
        q.get("snapshot").map(String::as_str),
    )?;
    let caller = Caller::User(&user);
    let vc =
        value_case::assemble(&state.store, caller, id, round, snapshot, super::today()).await?;
    value_case::record_generated(&state.store, caller, &vc, "json").await?;
    Ok(Json(json!(vc)))
}

async fn value_case_pdf(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    Query(q): Params,
) -> Result<axum::response::Response, ApiError> {
    let (round, snapshot) = selection(
        q.get("round").map(String::as_str),
        q.get("snapshot").map(String::as_str),
    )?;
    let caller = Caller::User(&user);
    let vc =
        value_case::assemble(&state.store, caller, id, round, snapshot, super::today()).await?;
    match super::render_pdf(&state, &vc).await {
        Ok(bytes) => {
            value_case::record_generated(&state.store, caller, &vc, "pdf").await?;
            Ok(super::pdf_response(&vc, bytes))
        }
        Err(problem) => Ok(problem.api_response()),
    }
}

async fn choices(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<Value>, ApiError> {
    Ok(Json(json!(
        value_case::choices(&state.store, Caller::User(&user), id).await?
    )))
}

async fn shares(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<Value>, ApiError> {
    let shares = value_case::shares(&state.store, Caller::User(&user), id).await?;
    let shares: Vec<Value> = shares.iter().map(share_json).collect();
    Ok(Json(json!({ "shares": shares })))
}

fn share_json(s: &store::ValueCaseShare) -> Value {
    json!({
        "id": s.id, "org_id": s.org_id, "round_id": s.round_id, "snapshot": s.snapshot,
        "shared_at": s.shared_at, "shared_by": s.shared_by,
    })
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct ShareInput {
    #[serde(default)]
    round: Option<i64>,
    #[serde(default)]
    snapshot: Option<NaiveDate>,
}

async fn share(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    JsonBody(input): JsonBody<ShareInput>,
) -> Result<impl IntoResponse, ApiError> {
    let caller = Caller::User(&user);
    let vc = value_case::assemble(
        &state.store,
        caller,
        id,
        input.round,
        input.snapshot,
        super::today(),
    )
    .await?;
    let shared = value_case::share(&state.store, caller, &vc).await?;
    Ok((StatusCode::CREATED, Json(share_json(&shared))))
}

async fn interview(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<Value>, ApiError> {
    let interview = value_case::interview(&state.store, Caller::User(&user), id).await?;
    Ok(Json(json!({ "interview": interview })))
}

/// The interview as the API takes it: every field may be left out (empty).
#[derive(Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
struct InterviewInput {
    held_on: Option<NaiveDate>,
    participants: String,
    contract_policy: String,
    roster_practice: String,
    flex_pnil: String,
    earlier_initiatives: String,
    items: Vec<InterviewItem>,
}

async fn save_interview(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    JsonBody(input): JsonBody<InterviewInput>,
) -> Result<Json<Value>, ApiError> {
    let interview = Interview {
        held_on: input.held_on,
        participants: input.participants,
        contract_policy: input.contract_policy,
        roster_practice: input.roster_practice,
        flex_pnil: input.flex_pnil,
        earlier_initiatives: input.earlier_initiatives,
        items: input.items,
    };
    let saved =
        value_case::save_interview(&state.store, Caller::User(&user), id, interview).await?;
    Ok(Json(json!({ "interview": saved })))
}

async fn checklist(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<Value>, ApiError> {
    Ok(Json(json!(
        value_case::checklist(&state.store, Caller::User(&user), id).await?
    )))
}

async fn checklists(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> Result<Json<Value>, ApiError> {
    let all = value_case::checklists(&state.store, Caller::User(&user)).await?;
    let rows: Vec<Value> = all
        .iter()
        .map(|(org, c)| json!({"organisation": {"id": org.id, "name": org.name}, "checklist": c}))
        .collect();
    Ok(Json(json!({ "organisations": rows })))
}
