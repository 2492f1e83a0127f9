//! The audit log, for the programme admin.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use report::nl;

use crate::auth::Auth;
use crate::page::{Layout, render};
use app::access;

use crate::{AppState, PageError};

pub struct Row {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub target: String,
    pub detail: String,
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    l: Layout,
    rows: Vec<Row>,
    older: Option<i64>,
}

#[derive(serde::Deserialize)]
pub struct AuditQuery {
    voor: Option<i64>,
}

pub const PAGE_SIZE: i64 = 100;

pub async fn list(
    State(state): State<AppState>,
    Auth(session): Auth,
    Query(q): Query<AuditQuery>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    access::require_programme_admin(&session.user)?;
    let entries = state.store.audit_entries(PAGE_SIZE, q.voor).await?;
    let older = if entries.len() as i64 == PAGE_SIZE {
        entries.last().map(|e| e.id)
    } else {
        None
    };
    let rows = entries
        .into_iter()
        .map(|e| Row {
            at: nl::datetime_unix(e.at),
            actor: e.actor,
            action: e.action,
            target: e.target,
            detail: e.detail,
        })
        .collect();
    let l = Layout::new("Logboek", "audit", Some(&session), &headers);
    let had_flash = l.flash.is_some();
    render(&AuditPage { l, rows, older }, had_flash)
}
