//! The product parts of the web layer. Each part keeps its pages (`pages.rs`, with its
//! `PageAction` table of POST routes), its JSON API handlers (`api.rs`) and, where it has
//! API routes, its OpenAPI fragment (`openapi.json`) together. This module only lists the
//! parts: adding a part is one line in each list below.
//!
//! Organisation-scoped routes (`/organisaties/{id}/…`, `/organisations/{id}/…`) take the
//! [`OrgScope`](crate::scope::OrgScope) extractor, which checks the caller's access to
//! the organisation and loads it once.

pub mod account;
pub mod calc;
pub mod home;
pub mod impact;
pub mod network;
pub mod nulmeting;
pub mod orgs;
pub mod programme;
pub mod protect;
pub mod region;
pub mod report;
pub mod roster;
pub mod roundtable;
pub mod survey;
pub mod users;

use axum::Router;

use crate::AppState;
use crate::page::PageAction;

/// The `PageAction` tables of all parts.
const ACTION_TABLES: &[&[PageAction]] = &[
    account::pages::ACTIONS,
    orgs::pages::ACTIONS,
    users::pages::ACTIONS,
    nulmeting::pages::ACTIONS,
    survey::pages::ACTIONS,
    report::pages::ACTIONS,
    roundtable::pages::ACTIONS,
    network::pages::ACTIONS,
    impact::pages::ACTIONS,
    programme::pages::ACTIONS,
    roster::pages::ACTIONS,
    protect::pages::ACTIONS,
];

/// Every state-changing page action, of all product parts.
pub fn actions() -> impl Iterator<Item = &'static PageAction> {
    ACTION_TABLES.iter().flat_map(|t| t.iter())
}

/// The page routes of all parts: each part's GET routes, then every POST action.
pub fn page_routes() -> Router<AppState> {
    let router = Router::new()
        .merge(account::pages::routes())
        .merge(orgs::pages::routes())
        .merge(users::pages::routes())
        .merge(nulmeting::pages::routes())
        .merge(calc::pages::routes())
        .merge(survey::pages::routes())
        .merge(region::pages::routes())
        .merge(report::pages::routes())
        .merge(roundtable::pages::routes())
        .merge(network::pages::routes())
        .merge(impact::pages::routes())
        .merge(programme::pages::routes())
        .merge(roster::pages::routes())
        .merge(protect::pages::routes())
        .merge(home::pages::routes());
    actions().fold(router, |r, a| a.register(r))
}

/// The API routes of all parts, nested under `/api/v1` by the caller.
pub fn api_routes() -> Router<AppState> {
    Router::new()
        .merge(orgs::api::routes())
        .merge(users::api::routes())
        .merge(nulmeting::api::routes())
        .merge(calc::api::routes())
        .merge(survey::api::routes())
        .merge(region::api::routes())
        .merge(report::api::routes())
        .merge(roundtable::api::routes())
        .merge(network::api::routes())
        .merge(impact::api::routes())
        .merge(programme::api::routes())
        .merge(roster::api::routes())
        .merge(protect::api::routes())
}

/// The OpenAPI fragments of the parts (paths and schemas), merged into `api/openapi.json`.
pub const OPENAPI_FRAGMENTS: &[&str] = &[
    include_str!("nulmeting/openapi.json"),
    include_str!("calc/openapi.json"),
    include_str!("survey/openapi.json"),
    include_str!("region/openapi.json"),
    include_str!("report/openapi.json"),
    include_str!("roundtable/openapi.json"),
    include_str!("network/openapi.json"),
    include_str!("impact/openapi.json"),
    include_str!("programme/openapi.json"),
    include_str!("roster/openapi.json"),
    include_str!("protect/openapi.json"),
];
