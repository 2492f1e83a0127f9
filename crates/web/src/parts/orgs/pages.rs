//! Organisations with their locations and teams.

use askama::Template;
use axum::Form;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use report::nl;
use store::{OrganisationInput, Phase, Subsector};

use crate::auth::Auth;
use crate::page::{Fields, Layout, PageAction, redirect_with, render};
use crate::scope::OrgScope;
use app::{access, orgs};
use axum::routing::{get, post};

use crate::{AppState, PageError};

/// The POST actions of the organisation pages (see [`crate::page::PageAction`]).
pub const ACTIONS: &[PageAction] = &[
    PageAction::new("/organisaties", &["POST /organisations"], || post(create)),
    PageAction::new("/organisaties/{id}", &["PUT /organisations/{id}"], || {
        post(update)
    }),
    PageAction::new(
        "/organisaties/{id}/verwijderen",
        &["DELETE /organisations/{id}"],
        || post(delete),
    ),
    PageAction::new(
        "/organisaties/{id}/locaties",
        &["POST /organisations/{id}/locations"],
        || post(add_location),
    ),
    PageAction::new(
        "/organisaties/{id}/teams",
        &["POST /organisations/{id}/teams"],
        || post(add_team),
    ),
    PageAction::new(
        "/locaties/{id}/verwijderen",
        &["DELETE /locations/{id}"],
        || post(delete_location),
    ),
    PageAction::new("/teams/{id}/verwijderen", &["DELETE /teams/{id}"], || {
        post(delete_team)
    }),
    PageAction::new(
        "/teams/{id}/archiveren",
        &["POST /teams/{id}/archive"],
        || post(archive_team),
    ),
];

/// The GET routes of the organisation pages and the audit log (the dashboard is in `home`); the POST
/// routes come from [`ACTIONS`].
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/organisaties", get(list))
        .route("/organisaties/{id}", get(show))
        .route("/organisaties/{id}/export.zip", get(export))
        .route("/audit", get(super::audit::list))
        .route("/organisaties/{id}/logboek", get(super::audit::org_list))
}

pub struct Choice {
    pub code: &'static str,
    pub label: &'static str,
    pub selected: bool,
}

fn subsector_choices(selected: Option<Subsector>) -> Vec<Choice> {
    Subsector::ALL
        .iter()
        .map(|s| Choice {
            code: s.code(),
            label: s.label(),
            selected: Some(*s) == selected,
        })
        .collect()
}

fn phase_choices(selected: Phase) -> Vec<Choice> {
    Phase::ALL
        .iter()
        .map(|p| Choice {
            code: p.code(),
            label: p.label(),
            selected: *p == selected,
        })
        .collect()
}

#[derive(Template)]
#[template(path = "orgs.html")]
struct OrgsPage {
    l: Layout,
    orgs: Vec<OrgCard>,
    subsectors: Vec<Choice>,
    phases: Vec<Choice>,
}

pub async fn list(
    State(state): State<AppState>,
    Auth(session): Auth,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    if !access::is_programme_admin(&session.user) {
        return match session.user.org_id {
            Some(id) => Ok(Redirect::to(&format!("/organisaties/{id}")).into_response()),
            None => Err(PageError::Forbidden),
        };
    }
    let orgs = org_cards(&state, |_| true).await?;
    let l = Layout::new("Organisaties", "organisaties", Some(&session), &headers);
    let had_flash = l.flash.is_some();
    render(
        &OrgsPage {
            l,
            orgs,
            subsectors: subsector_choices(None),
            phases: phase_choices(Phase::Ontwerp),
        },
        had_flash,
    )
}

fn org_input(f: &Fields) -> Result<OrganisationInput, PageError> {
    let subsector: Subsector = f.get("subsector").parse()?;
    let phase: Phase = f.get("phase").parse()?;
    let mut input = OrganisationInput::new(f.get("name"), subsector);
    input.phase = phase;
    input.fulltime_hours = f.number("fulltime_hours", "Voltijd (uur per week)")?;
    input.min_group_size = f.get("min_group_size").trim().parse().map_err(|_| {
        PageError::BadRequest(
            "Minimale groepsgrootte: vul een heel getal in, bijvoorbeeld 5.".into(),
        )
    })?;
    Ok(input)
}

pub async fn create(
    State(state): State<AppState>,
    Auth(session): Auth,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let f = Fields(fields);
    let input = match org_input(&f) {
        Ok(i) => i,
        Err(e) => return crate::page::flash_error(e, "/organisaties"),
    };
    match orgs::create_organisation(&state.store, (&session.user).into(), &input).await {
        Ok(org) => Ok(redirect_with(
            &format!("/organisaties/{}", org.id),
            true,
            &format!("Organisatie '{}' is toegevoegd.", org.name),
        )),
        Err(e) => crate::page::flash_error(e, "/organisaties"),
    }
}

pub struct TeamRow {
    pub id: i64,
    pub name: String,
    pub location: String,
}

pub struct LocationRow {
    pub id: i64,
    pub name: String,
}

#[derive(Template)]
#[template(path = "org.html")]
struct OrgPage {
    l: Layout,
    org: store::Organisation,
    fulltime: String,
    created: String,
    can_admin: bool,
    subsectors: Vec<Choice>,
    phases: Vec<Choice>,
    locations: Vec<LocationRow>,
    teams: Vec<TeamRow>,
    user_count: usize,
}

pub async fn show(
    State(state): State<AppState>,
    scope: OrgScope,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let can_admin = scope.can_admin();
    let OrgScope {
        org,
        caller: session,
        ..
    } = scope;
    let id = org.id;
    let locations = state.store.locations(id).await?;
    let teams = state
        .store
        .teams(id)
        .await?
        .into_iter()
        .map(|t| TeamRow {
            id: t.id,
            location: t
                .location_id
                .and_then(|l| locations.iter().find(|x| x.id == l))
                .map(|l| l.name.clone())
                .unwrap_or_else(|| "–".into()),
            name: t.name,
        })
        .collect();
    let user_count = state.store.users(Some(id)).await?.len();
    let l = Layout::new(&org.name, "organisaties", Some(&session), &headers);
    let had_flash = l.flash.is_some();
    render(
        &OrgPage {
            can_admin,
            fulltime: nl::hours(org.fulltime_hours),
            created: nl::date_unix(org.created_at),
            subsectors: subsector_choices(Some(org.subsector)),
            phases: phase_choices(org.phase),
            locations: locations
                .iter()
                .map(|l| LocationRow {
                    id: l.id,
                    name: l.name.clone(),
                })
                .collect(),
            teams,
            user_count,
            org,
            l,
        },
        had_flash,
    )
}

pub async fn update(
    State(state): State<AppState>,
    Auth(session): Auth,
    Path(id): Path<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let back = format!("/organisaties/{id}");
    let f = Fields(fields);
    let result = match org_input(&f) {
        Ok(input) => orgs::update_organisation(&state.store, &session.user, id, &input)
            .await
            .map_err(PageError::from),
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => Ok(redirect_with(
            &back,
            true,
            "De instellingen zijn opgeslagen.",
        )),
        Err(e) => crate::page::flash_error(e, &back),
    }
}

pub async fn delete(
    State(state): State<AppState>,
    Auth(session): Auth,
    Path(id): Path<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let f = Fields(fields);
    // The confirmation step: the organisation's name typed over (checked after access,
    // so another organisation's name is not confirmed to exist).
    app::access::require_view_org(&session.user, id)?;
    app::access::require_programme_admin(&session.user)?;
    let org = state.store.organisation(id).await?;
    if !f
        .get("bevestig")
        .trim()
        .eq_ignore_ascii_case(org.name.trim())
    {
        return crate::page::flash_error(
            app::AppError::invalid(
                "bevestig",
                format!(
                    "Typ de naam '{}' over om te bevestigen dat de organisatie en al haar gegevens weg mogen. Er is niets verwijderd.",
                    org.name
                ),
            ),
            &format!("/organisaties/{id}"),
        );
    }
    orgs::delete_organisation(&state.store, &session.user, id).await?;
    Ok(redirect_with(
        "/organisaties",
        true,
        "De organisatie is verwijderd.",
    ))
}

/// All data of the organisation as a ZIP (AVG right of access and portability): the
/// organisation's admin and the programme admin; audited by the service.
pub async fn export(
    State(state): State<AppState>,
    Auth(session): Auth,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let bytes = app::export::organisation_export(&state.store, (&session.user).into(), id).await?;
    let org = state.store.organisation(id).await?;
    Ok(crate::parts::survey::pages::download(
        "application/zip",
        &app::export::file_name(&org.name, &app::survey::today()),
        bytes,
    ))
}

pub async fn add_location(
    State(state): State<AppState>,
    Auth(session): Auth,
    Path(id): Path<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let back = format!("/organisaties/{id}");
    let f = Fields(fields);
    match orgs::create_location(&state.store, &session.user, id, f.get("name")).await {
        Ok(l) => Ok(redirect_with(
            &back,
            true,
            &format!("Locatie '{}' is toegevoegd.", l.name),
        )),
        Err(e) => crate::page::flash_error(e, &back),
    }
}

pub async fn add_team(
    State(state): State<AppState>,
    Auth(session): Auth,
    Path(id): Path<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let back = format!("/organisaties/{id}");
    let f = Fields(fields);
    let location = f.get("location_id").trim().parse::<i64>().ok();
    match orgs::create_team(
        &state.store,
        (&session.user).into(),
        id,
        f.get("name"),
        location,
    )
    .await
    {
        Ok(t) => Ok(redirect_with(
            &back,
            true,
            &format!("Team '{}' is toegevoegd.", t.name),
        )),
        Err(e) => crate::page::flash_error(e, &back),
    }
}

pub async fn delete_location(
    State(state): State<AppState>,
    Auth(session): Auth,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let loc = orgs::delete_location(&state.store, &session.user, id).await?;
    Ok(redirect_with(
        &format!("/organisaties/{}", loc.org_id),
        true,
        &format!("Locatie '{}' is verwijderd.", loc.name),
    ))
}

pub async fn delete_team(
    State(state): State<AppState>,
    Auth(session): Auth,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let org_id = state.store.team(id).await?.org_id;
    match orgs::delete_team(&state.store, &session.user, id).await {
        Ok(team) => Ok(redirect_with(
            &format!("/organisaties/{}", team.org_id),
            true,
            &format!("Team '{}' is verwijderd.", team.name),
        )),
        Err(e @ app::AppError::Invalid { .. }) => {
            crate::page::flash_error(e, &format!("/organisaties/{org_id}"))
        }
        Err(e) => Err(e.into()),
    }
}

/// Archives a team (the way to retire a team with survey data).
pub async fn archive_team(
    State(state): State<AppState>,
    Auth(session): Auth,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let team = orgs::archive_team(&state.store, &session.user, id).await?;
    Ok(redirect_with(
        &format!("/organisaties/{}", team.org_id),
        true,
        &format!(
            "Team '{}' is gearchiveerd: het blijft in eerdere uitkomsten staan en doet niet \
             meer mee aan nieuwe rondes.",
            team.name
        ),
    ))
}

pub struct OrgCard {
    pub id: i64,
    pub name: String,
    pub subsector: String,
    pub phase: String,
    pub teams: i64,
    pub users: i64,
}

/// Cards of the organisations `keep` lets through, with their team and user counts.
async fn org_cards(
    state: &AppState,
    keep: impl Fn(&store::Organisation) -> bool,
) -> Result<Vec<OrgCard>, PageError> {
    let counts = state.store.organisation_counts().await?;
    Ok(state
        .store
        .organisations()
        .await?
        .into_iter()
        .filter(|o| keep(o))
        .map(|o| {
            let (_, teams, users) = counts
                .iter()
                .find(|c| c.0 == o.id)
                .copied()
                .unwrap_or_default();
            OrgCard {
                id: o.id,
                name: o.name,
                subsector: o.subsector.label().into(),
                phase: o.phase.label().into(),
                teams,
                users,
            }
        })
        .collect())
}
