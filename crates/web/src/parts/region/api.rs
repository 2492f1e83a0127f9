//! The region API: the regions a token's user may see, a region's picture (aggregates
//! only, the shape `region::RegionalPicture` defines) and an organisation's own view.

use axum::extract::{Path, State};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{Value, json};

use super::today;
use crate::auth::ApiUser;
use crate::{ApiError, AppState};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/regions", get(list))
        .route("/regions/{id}/picture", get(picture))
        .route("/organisations/{id}/regional-view", get(own_view))
        .route("/users/{id}/regions", axum::routing::put(set_user_regions))
}

/// `{"region_ids": [..]}`: the regions a regio-lezer may read (replaces the earlier ones).
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RegionIds {
    region_ids: Vec<i64>,
}

/// The twin of the user page's region form. Who may change the account is checked before
/// the body is read.
async fn set_user_regions(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    bytes: axum::body::Bytes,
) -> Result<Json<Value>, ApiError> {
    app::users::managed_user(&state.store, &user, id).await?;
    if !app::access::is_programme_admin(&user) {
        return Err(ApiError::Forbidden);
    }
    let body: RegionIds = crate::parts::roundtable::api::parse(&bytes)?;
    let regions = app::region::set_user_regions(&state.store, &user, id, &body.region_ids).await?;
    Ok(Json(json!({ "user_id": id, "regions": regions })))
}

async fn list(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> Result<Json<Value>, ApiError> {
    let regions = app::region::visible_regions(&state.store, &user).await?;
    Ok(Json(json!({ "regions": regions })))
}

/// The picture, plus how many of the region's organisations have no results yet (a
/// number: which organisations take part is not a figure, but the count is enough here).
async fn picture(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<Value>, ApiError> {
    let p = app::region::picture_for(&state.store, &user, id, today()).await?;
    let mut body = serde_json::to_value(&p.picture).map_err(anyhow::Error::from)?;
    body["region_id"] = json!(p.region.id);
    body["organisations_without_results"] = json!(p.without_results.len());
    body["option_labels"] = json!(p.labels);
    Ok(Json(body))
}

/// The organisation's own view in its latest period; `{"view": null}` without results.
async fn own_view(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<Value>, ApiError> {
    let found =
        app::region::own_view_for(&state.store, app::access::Caller::User(&user), id, today())
            .await?;
    Ok(Json(match found {
        Some((region, view)) => json!({ "region_id": region.id, "view": view }),
        None => json!({ "region_id": state.store.organisation_region(id).await?.id, "view": null }),
    }))
}
