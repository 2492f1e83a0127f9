//! Round-table pages: list and new (programme admin of the region), one round table
//! (read by the invited organisations, edited by the programme admin), and the pack.

use std::collections::HashMap;

use askama::Template;
use axum::Form;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::{get, post};
use store::{RoundTable, Subsector};
use valuecase::interview::Theme;

use crate::auth::Auth;
use crate::page::{Fields, Layout, PageAction, flash_error, redirect_with, render};
use crate::parts::region::today;
use crate::{AppState, PageError};
use app::access::Caller;
use app::round_table::{
    ACTION_STATUSES, ActionForm, ITEM_KINDS, InvitedForm, ItemForm, RoundTableForm, label_of,
};
use report::nl;

/// The POST actions of the round-table pages (see [`PageAction`]).
pub const ACTIONS: &[PageAction] = &[
    PageAction::new(
        "/regio/{id}/rondetafels",
        &["POST /regions/{id}/round-tables"],
        || post(create),
    ),
    PageAction::new(
        "/regio/{id}/rondetafels/{rt}",
        &["PUT /round-tables/{id}"],
        || post(update),
    ),
    PageAction::new(
        "/regio/{id}/rondetafels/{rt}/verwijderen",
        &["DELETE /round-tables/{id}"],
        || post(delete),
    ),
];

/// The GET routes; the POST routes come from [`ACTIONS`].
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/regio/{id}/rondetafels", get(list))
        .route("/regio/{id}/rondetafels/nieuw", get(new_page))
        .route("/regio/{id}/rondetafels/{rt}", get(detail))
        .route("/regio/{id}/rondetafelpakket", get(pack_page))
        .route("/regio/{id}/rondetafelpakket.pdf", get(pack_pdf))
}

/// Empty rows offered under the recorded items and actions.
const BLANK_ROWS: usize = 3;

pub struct Summary {
    pub id: i64,
    pub title: String,
    pub date: String,
    pub place: String,
    pub subsector: String,
    pub invited: usize,
    pub open_actions: usize,
}

fn subsector_label(code: Option<&str>) -> String {
    match code {
        None => "Mix van subsectoren".into(),
        Some(c) => Subsector::from_code(c).map_or_else(|| c.to_string(), |s| s.label().to_string()),
    }
}

#[derive(Template)]
#[template(path = "roundtable/list.html")]
struct ListPage {
    l: Layout,
    region_id: i64,
    region: String,
    manage: bool,
    tables: Vec<Summary>,
    subsectors: Vec<(&'static str, &'static str)>,
}

async fn list(
    State(state): State<AppState>,
    Auth(session): Auth,
    Path(id): Path<i64>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let caller = Caller::User(&session.user);
    let (tables, manage) = app::round_table::list(&state.store, caller, id).await?;
    let region = state.store.region(id).await?;
    let l = Layout::new(
        &format!("Rondetafels {}", region.name),
        "regio",
        Some(&session),
        &headers,
    );
    let had_flash = l.flash.is_some();
    let tables = tables
        .iter()
        .map(|t| Summary {
            id: t.id,
            title: t.title.clone(),
            date: nl::iso_date(&t.held_on),
            place: t.place.clone(),
            subsector: subsector_label(t.subsector.as_deref()),
            invited: t.invited.len(),
            open_actions: t.actions.iter().filter(|a| a.status != "klaar").count(),
        })
        .collect();
    render(
        &ListPage {
            l,
            region_id: id,
            region: region.name,
            manage,
            tables,
            subsectors: Subsector::ALL
                .iter()
                .map(|s| (s.code(), s.label()))
                .collect(),
        },
        had_flash,
    )
}

pub struct OrgRow {
    pub id: i64,
    pub name: String,
    pub subsector: String,
    pub invited: bool,
    pub attendees: String,
}

pub struct ItemRow {
    pub kind: String,
    pub theme: String,
    pub text: String,
    pub practice: String,
}

pub struct ActionRow {
    pub text: String,
    pub owner: String,
    pub due_on: String,
    pub status: String,
}

pub struct ItemView {
    pub kind: String,
    pub theme: String,
    pub text: String,
    pub practice: Option<(i64, String)>,
}

pub struct ActionView {
    pub text: String,
    pub owner: String,
    pub due: String,
    pub status: String,
}

pub struct Attendance {
    pub name: String,
    pub attendees: String,
}

#[derive(Template)]
#[template(path = "roundtable/detail.html")]
struct DetailPage {
    l: Layout,
    region_id: i64,
    region: String,
    /// `None` on the "new" page.
    id: Option<i64>,
    manage: bool,
    title: String,
    date: String,
    place: String,
    subsector: String,
    subsector_code: Option<String>,
    attendance: Vec<Attendance>,
    items: Vec<ItemView>,
    actions: Vec<ActionView>,
    /// The caller's own organisation when it was invited and may have its own copy.
    own_org: Option<i64>,
    // The form.
    form: RoundTableForm,
    orgs: Vec<OrgRow>,
    item_rows: Vec<ItemRow>,
    action_rows: Vec<ActionRow>,
    subsectors: Vec<(&'static str, &'static str)>,
    kinds: Vec<(&'static str, &'static str)>,
    themes: Vec<(&'static str, &'static str)>,
    statuses: Vec<(&'static str, &'static str)>,
    practices: Vec<(String, String)>,
}

impl DetailPage {
    fn is_subsector(&self, code: &str) -> bool {
        self.form.subsector.as_deref() == Some(code)
    }
}

async fn detail_page(
    state: &AppState,
    session: &crate::auth::Session,
    region_id: i64,
    rt: Option<(RoundTable, bool)>,
    headers: &HeaderMap,
) -> Result<Response, PageError> {
    let store = &state.store;
    let caller = Caller::User(&session.user);
    let region = store.region(region_id).await?;
    let manage = match &rt {
        Some((_, m)) => *m,
        None => {
            app::round_table::require_manage(store, caller, region_id).await?;
            true
        }
    };
    let form = rt
        .as_ref()
        .map(|(t, _)| app::round_table::to_form(t))
        .unwrap_or_default();
    let library = app::practices::library(store, caller, &app::practices::Filter::default())
        .await
        .unwrap_or_default();
    let practice_title = |id: i64| library.iter().find(|p| p.id == id).map(|p| p.title.clone());
    let (attendance, items, actions) = match &rt {
        None => (Vec::new(), Vec::new(), Vec::new()),
        Some((t, _)) => (
            t.invited
                .iter()
                .map(|i| Attendance {
                    name: i.name.clone(),
                    attendees: i
                        .attendees
                        .map_or_else(|| "niet genoteerd".into(), |a| a.to_string()),
                })
                .collect(),
            t.items
                .iter()
                .map(|i| ItemView {
                    kind: label_of(&ITEM_KINDS, &i.kind),
                    theme: i
                        .theme
                        .parse::<Theme>()
                        .map_or_else(|_| i.theme.clone(), |t| t.label().to_string()),
                    text: i.text.clone(),
                    practice: i
                        .practice_id
                        .and_then(|p| practice_title(p).map(|title| (p, title))),
                })
                .collect(),
            t.actions
                .iter()
                .map(|a| ActionView {
                    text: a.text.clone(),
                    owner: a.owner.clone(),
                    due: nl::iso_date(&a.due_on),
                    status: label_of(&ACTION_STATUSES, &a.status),
                })
                .collect(),
        ),
    };
    let orgs = if manage {
        store
            .region_organisations(region_id)
            .await?
            .into_iter()
            .map(|o| {
                let inv = form.invited.iter().find(|i| i.org_id == o.id);
                OrgRow {
                    id: o.id,
                    name: o.name,
                    subsector: o.subsector.label().to_string(),
                    invited: inv.is_some(),
                    attendees: inv
                        .and_then(|i| i.attendees)
                        .map(|a| a.to_string())
                        .unwrap_or_default(),
                }
            })
            .collect()
    } else {
        Vec::new()
    };
    let mut item_rows: Vec<ItemRow> = form
        .items
        .iter()
        .map(|i| ItemRow {
            kind: i.kind.clone(),
            theme: i.theme.clone(),
            text: i.text.clone(),
            practice: i.practice_id.map(|p| p.to_string()).unwrap_or_default(),
        })
        .collect();
    let mut action_rows: Vec<ActionRow> = form
        .actions
        .iter()
        .map(|a| ActionRow {
            text: a.text.clone(),
            owner: a.owner.clone(),
            due_on: a.due_on.clone(),
            status: a.status.clone(),
        })
        .collect();
    if manage {
        item_rows.extend((0..BLANK_ROWS).map(|_| ItemRow {
            kind: "kans".into(),
            theme: "rooster".into(),
            text: String::new(),
            practice: String::new(),
        }));
        action_rows.extend((0..BLANK_ROWS).map(|_| ActionRow {
            text: String::new(),
            owner: String::new(),
            due_on: String::new(),
            status: "open".into(),
        }));
    }
    let own_org = session.user.org_id.filter(|o| {
        rt.as_ref()
            .is_some_and(|(t, _)| t.invited.iter().any(|i| i.org_id == *o))
            && app::access::require_value_case_view(&session.user, *o).is_ok()
    });
    let title = match &rt {
        Some((t, _)) => t.title.clone(),
        None => "Nieuwe rondetafel".into(),
    };
    let l = Layout::new(&title, "regio", Some(session), headers);
    let had_flash = l.flash.is_some();
    let (date, place, subsector, subsector_code) = match &rt {
        Some((t, _)) => (
            nl::iso_date(&t.held_on),
            t.place.clone(),
            subsector_label(t.subsector.as_deref()),
            t.subsector.clone(),
        ),
        None => Default::default(),
    };
    render(
        &DetailPage {
            l,
            region_id,
            region: region.name,
            id: rt.as_ref().map(|(t, _)| t.id),
            manage,
            title,
            date,
            place,
            subsector,
            subsector_code,
            attendance,
            items,
            actions,
            own_org,
            form,
            orgs,
            item_rows,
            action_rows,
            subsectors: Subsector::ALL
                .iter()
                .map(|s| (s.code(), s.label()))
                .collect(),
            kinds: ITEM_KINDS.to_vec(),
            themes: Theme::ALL.iter().map(|t| (t.code(), t.label())).collect(),
            statuses: ACTION_STATUSES.to_vec(),
            practices: library
                .iter()
                .map(|p| (p.id.to_string(), p.title.clone()))
                .collect(),
        },
        had_flash,
    )
}

async fn new_page(
    State(state): State<AppState>,
    Auth(session): Auth,
    Path(id): Path<i64>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    detail_page(&state, &session, id, None, &headers).await
}

async fn detail(
    State(state): State<AppState>,
    Auth(session): Auth,
    Path((id, rt)): Path<(i64, i64)>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let found = app::round_table::get(&state.store, Caller::User(&session.user), rt).await?;
    if found.0.region_id != id {
        return Err(PageError::NotFound);
    }
    detail_page(&state, &session, id, Some(found), &headers).await
}

/// The form as the service takes it: rows without text are left out.
fn form_from(f: &Fields) -> RoundTableForm {
    let invited = f
        .ids("invite")
        .into_iter()
        .map(|org_id| InvitedForm {
            org_id,
            attendees: f
                .get(&format!("attendees_{org_id}"))
                .trim()
                .parse::<i64>()
                .ok(),
        })
        .collect();
    let (kinds, themes, texts, practices) = (
        f.all("item_kind"),
        f.all("item_theme"),
        f.all("item_text"),
        f.all("item_practice"),
    );
    let items = texts
        .iter()
        .enumerate()
        .filter(|(_, t)| !t.trim().is_empty())
        .map(|(i, t)| ItemForm {
            kind: kinds.get(i).copied().unwrap_or_default().to_string(),
            theme: themes.get(i).copied().unwrap_or_default().to_string(),
            text: (*t).to_string(),
            practice_id: practices.get(i).and_then(|p| p.trim().parse().ok()),
        })
        .collect();
    let (owners, dues, statuses) = (
        f.all("action_owner"),
        f.all("action_due"),
        f.all("action_status"),
    );
    let actions = f
        .all("action_text")
        .iter()
        .enumerate()
        .filter(|(i, t)| {
            !t.trim().is_empty() || owners.get(*i).is_some_and(|o| !o.trim().is_empty())
        })
        .map(|(i, t)| ActionForm {
            text: (*t).to_string(),
            owner: owners.get(i).copied().unwrap_or_default().to_string(),
            due_on: dues.get(i).copied().unwrap_or_default().to_string(),
            status: statuses.get(i).copied().unwrap_or("open").to_string(),
        })
        .collect();
    let subsector = f.get("subsector").trim();
    RoundTableForm {
        subsector: (!subsector.is_empty() && subsector != "mix").then(|| subsector.to_string()),
        title: f.get("title").to_string(),
        held_on: f.get("held_on").to_string(),
        place: f.get("place").to_string(),
        invited,
        items,
        actions,
    }
}

async fn create(
    State(state): State<AppState>,
    Auth(session): Auth,
    Path(id): Path<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let caller = Caller::User(&session.user);
    app::round_table::require_manage(&state.store, caller, id).await?;
    let form = form_from(&Fields(fields));
    match app::round_table::create(&state.store, caller, id, &form).await {
        Ok(rt) => Ok(redirect_with(
            &format!("/regio/{id}/rondetafels/{}", rt.id),
            true,
            "De rondetafel is aangemaakt.",
        )),
        Err(e) => flash_error(e, &format!("/regio/{id}/rondetafels/nieuw")),
    }
}

async fn update(
    State(state): State<AppState>,
    Auth(session): Auth,
    Path((id, rt)): Path<(i64, i64)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let caller = Caller::User(&session.user);
    let (found, _) = app::round_table::get(&state.store, caller, rt).await?;
    if found.region_id != id {
        return Err(PageError::NotFound);
    }
    let back = format!("/regio/{id}/rondetafels/{rt}");
    let form = form_from(&Fields(fields));
    match app::round_table::update(&state.store, caller, rt, &form).await {
        Ok(saved) => Ok(redirect_with(
            &back,
            true,
            &format!(
                "De rondetafel is opgeslagen ({} uitkomsten, {} acties).",
                saved.items.len(),
                saved.actions.len()
            ),
        )),
        Err(e) => flash_error(e, &back),
    }
}

async fn delete(
    State(state): State<AppState>,
    Auth(session): Auth,
    Path((id, rt)): Path<(i64, i64)>,
) -> Result<Response, PageError> {
    let caller = Caller::User(&session.user);
    let (found, _) = app::round_table::get(&state.store, caller, rt).await?;
    if found.region_id != id {
        return Err(PageError::NotFound);
    }
    app::round_table::delete(&state.store, caller, rt).await?;
    Ok(redirect_with(
        &format!("/regio/{id}/rondetafels"),
        true,
        "De rondetafel is verwijderd.",
    ))
}

type Params = Query<HashMap<String, String>>;

/// `sector` and the optional `org` of a pack request.
fn pack_params(q: &HashMap<String, String>) -> Result<(String, Option<i64>), PageError> {
    let sector = q.get("sector").cloned().unwrap_or_default();
    let org = match q.get("org").map(|s| s.trim()).filter(|s| !s.is_empty()) {
        None => None,
        Some(o) => Some(o.parse::<i64>().map_err(|_| {
            PageError::BadRequest(format!("'{o}' is geen nummer van een organisatie."))
        })?),
    };
    Ok((sector, org))
}

#[derive(Template)]
#[template(path = "roundtable/pack.html")]
struct PackPage {
    l: Layout,
    region_id: i64,
    pdf_link: String,
    html: String,
}

async fn pack_page(
    State(state): State<AppState>,
    Auth(session): Auth,
    Path(id): Path<i64>,
    Query(q): Params,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let (sector, org) = pack_params(&q)?;
    let doc = app::round_table::pack(
        &state.store,
        Caller::User(&session.user),
        id,
        &sector,
        org,
        today(),
    )
    .await?;
    let l = Layout::new(&doc.title, "regio", Some(&session), &headers);
    let had_flash = l.flash.is_some();
    let pdf_link = match org {
        Some(o) => format!("/regio/{id}/rondetafelpakket.pdf?sector={sector}&org={o}"),
        None => format!("/regio/{id}/rondetafelpakket.pdf?sector={sector}"),
    };
    render(
        &PackPage {
            l,
            region_id: id,
            pdf_link,
            html: report::doc::to_html(&doc),
        },
        had_flash,
    )
}

async fn pack_pdf(
    State(state): State<AppState>,
    Auth(session): Auth,
    Path(id): Path<i64>,
    Query(q): Params,
) -> Result<Response, PageError> {
    let (sector, org) = pack_params(&q)?;
    let doc = app::round_table::pack(
        &state.store,
        Caller::User(&session.user),
        id,
        &sector,
        org,
        today(),
    )
    .await?;
    match crate::parts::report::render_document_pdf(&state, doc).await {
        Ok(bytes) => Ok(super::pack_pdf_response(&sector, org, bytes)),
        Err(p) => Ok(p.page_response()),
    }
}
