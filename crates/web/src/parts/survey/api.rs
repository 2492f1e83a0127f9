//! Survey API: rounds, invitation codes, live response rates, results (with the anonymity
//! rules of crate `survey`), exports and the import of responses collected elsewhere.
//! Documented in `openapi-survey.json`.

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};
use store::NewSurveyRound;

use crate::api::JsonBody;
use crate::auth::ApiUser;
use crate::scope::ApiOrgScope;
use app::access;
use app::survey as svc;

use crate::{ApiError, AppState};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/organisations/{id}/survey-rounds",
            get(list_rounds).post(create_round),
        )
        .route("/survey-rounds/{id}", get(get_round).delete(delete_round))
        .route("/survey-rounds/{id}/invited", put(set_invited))
        .route("/survey-rounds/{id}/status", put(set_status))
        .route("/survey-rounds/{id}/codes", post(create_codes))
        .route(
            "/survey-rounds/{id}/invitations",
            get(invitations).post(add_invitations),
        )
        .route("/survey-rounds/{id}/reminders", post(send_reminders))
        .route("/survey-rounds/{id}/response-rates", get(response_rates))
        .route("/survey-rounds/{id}/results", get(results))
        .route("/survey-rounds/{id}/results.csv", get(results_csv))
        .route("/survey-rounds/{id}/results.xlsx", get(results_xlsx))
        .route("/survey-rounds/{id}/raw.csv", get(raw_csv))
        .route("/survey-rounds/{id}/import", post(import))
        .route("/survey-rounds/{id}/free-texts", get(free_texts))
        .route("/survey-free-texts/{id}/review", post(review_free_text))
}

async fn list_rounds(
    State(state): State<AppState>,
    scope: ApiOrgScope,
) -> Result<Json<Value>, ApiError> {
    let rounds = state.store.survey_rounds(scope.org.id).await?;
    Ok(Json(json!({ "rounds": rounds })))
}

#[derive(Deserialize)]
struct RoundBody {
    #[serde(flatten)]
    round: NewSurveyRound,
    team_ids: Vec<i64>,
}

async fn create_round(
    State(state): State<AppState>,
    scope: ApiOrgScope,
    JsonBody(body): JsonBody<Value>,
) -> Result<Response, ApiError> {
    // Refused before the body is read, so a member learns nothing from its messages.
    scope.require_admin()?;
    let (org_id, user) = (scope.org.id, scope.caller);
    let body: RoundBody = serde_json::from_value(body)
        .map_err(|e| ApiError::invalid("body", format!("Dit veld klopt niet: {e}")))?;
    let round = svc::create_round(
        &state.store,
        (&user).into(),
        org_id,
        &body.round,
        &body.team_ids,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(json!(round))).into_response())
}

async fn get_round(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<Value>, ApiError> {
    let ctx = svc::round_for(&state.store, &user, id).await?;
    let mut v = json!(ctx.round);
    if access::can_admin_org(&user, ctx.org.id) {
        v["teams"] = json!(svc::round_teams_json(&state.store, &ctx).await?);
    }
    Ok(Json(v))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StatusBody {
    status: String,
}

async fn set_status(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<StatusBody>,
) -> Result<Json<Value>, ApiError> {
    let round = svc::set_round_status(&state.store, (&user).into(), id, &body.status).await?;
    Ok(Json(json!(round)))
}

async fn delete_round(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    svc::delete_round(&state.store, (&user).into(), id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct InvitedBody {
    teams: Vec<InvitedTeam>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct InvitedTeam {
    team_id: i64,
    invited: i64,
}

async fn set_invited(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<InvitedBody>,
) -> Result<Json<Value>, ApiError> {
    let pairs: Vec<(i64, i64)> = body.teams.iter().map(|t| (t.team_id, t.invited)).collect();
    svc::set_invited(&state.store, (&user).into(), id, &pairs).await?;
    let ctx = svc::round_for_admin(&state.store, &user, id).await?;
    Ok(Json(
        json!({"teams": svc::round_teams_json(&state.store, &ctx).await?}),
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CodesBody {
    team_id: i64,
    count: u32,
}

async fn create_codes(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<CodesBody>,
) -> Result<Response, ApiError> {
    let ctx = svc::round_for_admin(&state.store, &user, id).await?;
    let codes = svc::create_codes(
        &state.store,
        &app::audit::actor(&user),
        &ctx,
        &[(body.team_id, body.count)],
    )
    .await?;
    let base = state.config.public_url.trim_end_matches('/').to_string();
    let list: Vec<Value> = codes
        .into_iter()
        .map(|(team, code)| json!({"team": team, "link": format!("{base}/enquete/{code}"), "code": code}))
        .collect();
    Ok((StatusCode::CREATED, Json(json!({ "codes": list }))).into_response())
}

async fn invitations(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<Value>, ApiError> {
    let ctx = svc::round_for_admin(&state.store, &user, id).await?;
    let teams = app::survey_mail::overview(&state.store, &ctx).await?;
    Ok(Json(json!({
        "mail_configured": state.config.mail.is_some(),
        "teams": teams,
    })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct InvitationsBody {
    team_id: i64,
    /// One address per line, or CSV text with an address column.
    addresses: String,
}

async fn add_invitations(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    JsonBody(body): JsonBody<InvitationsBody>,
) -> Result<Response, ApiError> {
    let report = app::survey_mail::invite(
        &state.store,
        (&user).into(),
        id,
        body.team_id,
        &body.addresses,
        state.config.mail.is_some(),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(json!(report))).into_response())
}

async fn send_reminders(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    let report = app::survey_mail::remind(
        &state.store,
        (&user).into(),
        id,
        state.config.mail.is_some(),
    )
    .await?;
    Ok((StatusCode::ACCEPTED, Json(json!(report))).into_response())
}

async fn response_rates(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<Value>, ApiError> {
    let ctx = svc::round_for_admin(&state.store, &user, id).await?;
    Ok(Json(json!(svc::response_rates(&state.store, &ctx).await?)))
}

async fn results(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<Value>, ApiError> {
    let ctx = svc::round_for(&state.store, &user, id).await?;
    let results = svc::results_for(&state.store, &user, &ctx).await?;
    Ok(Json(svc::results_json(&ctx, &results)))
}

fn file(content_type: &'static str, bytes: Vec<u8>) -> Response {
    ([(axum::http::header::CONTENT_TYPE, content_type)], bytes).into_response()
}

async fn results_csv(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    let ctx = svc::round_for(&state.store, &user, id).await?;
    let results = svc::results_for(&state.store, &user, &ctx).await?;
    let q = svc::questionnaire(&ctx.round)?;
    let csv = svc::tables_csv(&svc::tables(&ctx.round, &q, &results))?;
    Ok(file("text/csv; charset=utf-8", csv.into_bytes()))
}

async fn results_xlsx(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    let ctx = svc::round_for(&state.store, &user, id).await?;
    let results = svc::results_for(&state.store, &user, &ctx).await?;
    let q = svc::questionnaire(&ctx.round)?;
    let bytes = svc::tables_xlsx(&svc::tables(&ctx.round, &q, &results))?;
    Ok(file(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        bytes,
    ))
}

async fn raw_csv(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    let ctx = svc::round_for(&state.store, &user, id).await?;
    let csv = svc::raw_csv(&state.store, &user, &ctx).await?;
    Ok(file("text/csv; charset=utf-8", csv.into_bytes()))
}

#[derive(Deserialize, Default)]
struct ImportQuery {
    #[serde(default)]
    dry_run: bool,
}

async fn import(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    Query(query): Query<ImportQuery>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let ctx = svc::round_for_admin(&state.store, &user, id).await?;
    if body.is_empty() {
        return Err(ApiError::invalid(
            "body",
            "Stuur een CSV- of Excelbestand mee.",
        ));
    }
    let report = svc::import_responses(
        &state.store,
        &app::audit::actor(&user),
        &ctx,
        &body,
        None,
        query.dry_run,
    )
    .await?;
    let status = if report.imported || query.dry_run {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((status, Json(json!(report))).into_response())
}

async fn free_texts(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<Value>, ApiError> {
    let ctx = svc::round_for(&state.store, &user, id).await?;
    let list = svc::free_texts_for_review(&state.store, &user, &ctx).await?;
    Ok(Json(json!({ "free_texts": list })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReviewBody {
    /// `approve` or `withhold`.
    action: String,
    /// For `approve`: the text to publish, edited where needed (default: as written).
    #[serde(default)]
    text: Option<String>,
}

async fn review_free_text(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    // Access first: nobody outside the programme team learns anything about a text.
    access::require_programme_admin(&user)?;
    let body: ReviewBody = serde_json::from_slice(&body)
        .map_err(|e| ApiError::invalid("body", format!("Dit veld klopt niet: {e}")))?;
    let item =
        svc::review_free_text(&state.store, &user, id, &body.action, body.text.as_deref()).await?;
    Ok(Json(json!(item)))
}
