//! The audit log: the programme admin reads all of it at `/audit` (with a choice of
//! organisation), an organisation admin their own organisation's entries (at `/audit` and
//! `/organisaties/{id}/logboek`); filters on actor and action, 50 entries per page.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use report::nl;

use crate::auth::{Auth, Session};
use crate::page::{Layout, render};
use crate::scope::OrgScope;
use app::audit::{self, LogQuery};
use store::{Role, User};

use crate::{AppState, PageError};

pub struct Row {
    pub at: String,
    pub actor: String,
    pub organisation: String,
    pub action: String,
    pub target: String,
    pub detail: String,
}

pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    l: Layout,
    /// The page's own address (the form's action and the paging links).
    here: String,
    /// Set when the reader is held to one organisation (no organisation column or choice).
    org_name: Option<String>,
    org_choices: Vec<Choice>,
    actor_choices: Vec<Choice>,
    action_choices: Vec<Choice>,
    filtered: bool,
    rows: Vec<Row>,
    /// The query of the filters, without the page (`&` separated, may be empty).
    filter_query: String,
    older: Option<i64>,
    first_page: bool,
}

#[derive(serde::Deserialize, Default)]
pub struct AuditQuery {
    voor: Option<i64>,
    organisatie: Option<String>,
    wie: Option<String>,
    actie: Option<String>,
}

fn non_empty(s: &Option<String>) -> Option<String> {
    s.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// The whole log (programme admin), or the own organisation's (organisation admin).
pub async fn list(
    State(state): State<AppState>,
    Auth(session): Auth,
    Query(q): Query<AuditQuery>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let org = match non_empty(&q.organisatie) {
        Some(s) => Some(
            s.parse::<i64>()
                .map_err(|_| PageError::BadRequest("Kies een organisatie uit de lijst.".into()))?,
        ),
        None => None,
    };
    page(&state, &session, "/audit".into(), org, &q, &headers).await
}

/// One organisation's log (its admins and the programme admin).
pub async fn org_list(
    State(state): State<AppState>,
    scoped: OrgScope,
    Query(q): Query<AuditQuery>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    scoped.require_admin()?;
    let id = scoped.org.id;
    page(
        &state,
        &scoped.caller,
        format!("/organisaties/{id}/logboek"),
        Some(id),
        &q,
        &headers,
    )
    .await
}

async fn page(
    state: &AppState,
    session: &Session,
    here: String,
    org: Option<i64>,
    q: &AuditQuery,
    headers: &HeaderMap,
) -> Result<Response, PageError> {
    let user: &User = &session.user;
    let fixed = here != "/audit" || user.role != Role::ProgrammeAdmin;
    let query = LogQuery {
        org_id: org,
        actor: non_empty(&q.wie),
        action: non_empty(&q.actie),
        before_id: q.voor,
    };
    let log = audit::read(&state.store, user, &query).await?;
    let org_of_choices = if fixed { log.fixed_org.or(org) } else { org };
    let choices = audit::choices(&state.store, user, org_of_choices).await?;
    let names: BTreeMap<i64, String> = if user.role == Role::ProgrammeAdmin {
        state
            .store
            .organisations()
            .await?
            .into_iter()
            .map(|o| (o.id, o.name))
            .collect()
    } else if let Some(own) = log.fixed_org {
        let o = state.store.organisation(own).await?;
        BTreeMap::from([(o.id, o.name)])
    } else {
        BTreeMap::new()
    };
    let org_name = if fixed {
        org_of_choices.and_then(|id| names.get(&id).cloned())
    } else {
        None
    };
    let org_choices = if fixed {
        Vec::new()
    } else {
        names
            .iter()
            .map(|(id, name)| Choice {
                value: id.to_string(),
                label: name.clone(),
                selected: org == Some(*id),
            })
            .collect()
    };
    let actor_choices = choices
        .actors
        .iter()
        .map(|a| Choice {
            value: a.clone(),
            label: actor_label(a),
            selected: query.actor.as_deref() == Some(a.as_str()),
        })
        .collect();
    let mut action_choices: Vec<Choice> = choices
        .actions
        .iter()
        .map(|a| Choice {
            value: a.clone(),
            label: audit::action_name(a).to_string(),
            selected: query.action.as_deref() == Some(a.as_str()),
        })
        .collect();
    action_choices.sort_by(|a, b| a.label.cmp(&b.label));
    let rows = log
        .entries
        .into_iter()
        .map(|e| Row {
            at: nl::datetime_unix(e.at),
            actor: actor_label(&e.actor),
            organisation: e
                .org_id
                .and_then(|id| names.get(&id).cloned())
                .unwrap_or_else(|| "—".into()),
            action: audit::action_name(&e.action).to_string(),
            target: e.target,
            detail: e.detail,
        })
        .collect();
    let mut ser = url::form_urlencoded::Serializer::new(String::new());
    if !fixed && let Some(o) = org {
        ser.append_pair("organisatie", &o.to_string());
    }
    if let Some(a) = &query.actor {
        ser.append_pair("wie", a);
    }
    if let Some(a) = &query.action {
        ser.append_pair("actie", a);
    }
    let filter_query = ser.finish();
    let l = Layout::new(
        &match &org_name {
            Some(n) => format!("Logboek · {n}"),
            None => "Logboek".into(),
        },
        "audit",
        Some(session),
        headers,
    );
    let had_flash = l.flash.is_some();
    render(
        &AuditPage {
            l,
            here,
            org_name,
            org_choices,
            actor_choices,
            action_choices,
            filtered: query.actor.is_some() || query.action.is_some() || (!fixed && org.is_some()),
            rows,
            filter_query,
            older: log.older,
            first_page: q.voor.is_none(),
        },
        had_flash,
    )
}

/// The command line in Dutch; users as they are logged (`Name <email>`).
fn actor_label(actor: &str) -> String {
    if actor == "command line" {
        "Opdrachtregel (beheerder van de server)".into()
    } else {
        actor.to_string()
    }
}
