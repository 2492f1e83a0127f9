//! Accounts: list, create or invite, teams, deactivate, password reset links.

use askama::Template;
use axum::Form;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::{get, post};
use store::{Role, User};

use crate::auth::Auth;
use crate::page::{Fields, Layout, PageAction, redirect_with, render};
use crate::parts::orgs::pages::Choice;
use app::{access, users};

use crate::{AppState, PageError};

/// The POST actions of the user pages (see [`crate::page::PageAction`]).
pub const ACTIONS: &[PageAction] = &[
    PageAction::new("/gebruikers", &["POST /users"], || post(create)),
    PageAction::new("/gebruikers/{id}/teams", &["PUT /users/{id}/teams"], || {
        post(set_teams)
    }),
    PageAction::new(
        "/gebruikers/{id}/deactiveren",
        &["POST /users/{id}/deactivate"],
        || post(deactivate),
    ),
    PageAction::new(
        "/gebruikers/{id}/activeren",
        &["POST /users/{id}/activate"],
        || post(activate),
    ),
    PageAction::new(
        "/gebruikers/{id}/regios",
        &["PUT /users/{id}/regions"],
        || post(set_regions),
    ),
    PageAction::new(
        "/gebruikers/{id}/wachtwoord",
        &["POST /users/{id}/reset-password"],
        || post(reset_password),
    ),
];

/// The GET routes of the user pages; the POST routes come from [`ACTIONS`].
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/gebruikers", get(list))
        .route("/gebruikers/{id}", get(show))
}

pub struct UserRow {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub role: String,
    pub org: String,
    pub active: bool,
    pub invited: bool,
}

pub struct OrgOption {
    pub id: i64,
    pub name: String,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "users.html")]
struct UsersPage {
    l: Layout,
    users: Vec<UserRow>,
    roles: Vec<Choice>,
    orgs: Vec<OrgOption>,
    fixed_org: Option<(i64, String)>,
}

#[derive(serde::Deserialize)]
pub struct UsersQuery {
    org: Option<i64>,
}

pub async fn list(
    State(state): State<AppState>,
    Auth(session): Auth,
    Query(q): Query<UsersQuery>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let me = &session.user;
    let scope = match me.role {
        Role::ProgrammeAdmin => q.org,
        Role::OrgAdmin => me.org_id,
        _ => return Err(PageError::Forbidden),
    };
    if let Some(org) = scope {
        access::require_admin_org(me, org)?;
    }
    let orgs = state.store.organisations().await?;
    let org_name = |id: Option<i64>| {
        id.and_then(|i| orgs.iter().find(|o| o.id == i))
            .map(|o| o.name.clone())
            .unwrap_or_else(|| "Programma (hele regio)".into())
    };
    let users = state
        .store
        .users(scope)
        .await?
        .into_iter()
        .map(|u| UserRow {
            id: u.id,
            org: org_name(u.org_id),
            role: u.role.label().into(),
            active: u.active,
            invited: !u.has_password,
            name: u.name,
            email: u.email,
        })
        .collect();
    let roles = Role::ALL
        .iter()
        .filter(|r| access::can_grant_role(me, **r))
        .map(|r| Choice {
            code: r.code(),
            label: r.label(),
            selected: *r == Role::Manager,
        })
        .collect();
    let fixed_org = if access::is_programme_admin(me) {
        None
    } else {
        me.org_id.map(|id| (id, org_name(Some(id))))
    };
    let org_options = orgs
        .iter()
        .map(|o| OrgOption {
            id: o.id,
            name: o.name.clone(),
            selected: Some(o.id) == scope,
        })
        .collect();
    let l = Layout::new("Gebruikers", "gebruikers", Some(&session), &headers);
    let had_flash = l.flash.is_some();
    render(
        &UsersPage {
            l,
            users,
            roles,
            orgs: org_options,
            fixed_org,
        },
        had_flash,
    )
}

#[derive(Template)]
#[template(path = "secret.html")]
pub struct SecretPage {
    pub l: Layout,
    pub heading: String,
    pub explanation: String,
    pub secret: String,
    pub back_href: String,
    pub back_label: String,
}

pub async fn create(
    State(state): State<AppState>,
    Auth(session): Auth,
    headers: HeaderMap,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let f = Fields(fields);
    let role: Role = match f.get("role").parse() {
        Ok(r) => r,
        Err(e) => return crate::page::flash_error(e, "/gebruikers"),
    };
    let org_id = if !role.needs_org() {
        None
    } else {
        f.get("org_id")
            .trim()
            .parse::<i64>()
            .ok()
            .or(session.user.org_id)
    };
    let input = users::UserInput {
        email: f.get("email").into(),
        name: f.get("name").into(),
        role,
        org_id,
        team_ids: f.ids("team_ids"),
        password: Some(f.get("password").to_string()),
    };
    let links = users::LinkSettings::new(&state.config.public_url, state.config.mail.as_ref());
    match users::create_user(&state.store, (&session.user).into(), &input, links).await {
        Ok(created) => match created.invitation {
            Some(delivery) => {
                let message = delivery.message(users::LinkPurpose::Invite, &created.user.email);
                match delivery.link() {
                    Some(link) => render(
                        &SecretPage {
                            l: Layout::new("Uitnodiging", "gebruikers", Some(&session), &headers),
                            heading: format!("{} is uitgenodigd", created.user.name),
                            explanation: message,
                            secret: link.to_string(),
                            back_href: format!("/gebruikers/{}", created.user.id),
                            back_label: "Naar de gebruiker".into(),
                        },
                        false,
                    ),
                    None => Ok(redirect_with(
                        &format!("/gebruikers/{}", created.user.id),
                        true,
                        &message,
                    )),
                }
            }
            None => Ok(redirect_with(
                &format!("/gebruikers/{}", created.user.id),
                true,
                &format!("Account voor {} is aangemaakt.", created.user.email),
            )),
        },
        Err(e) => crate::page::flash_error(e, "/gebruikers"),
    }
}

pub struct TeamChoice {
    pub id: i64,
    pub name: String,
    pub checked: bool,
}

#[derive(Template)]
#[template(path = "user.html")]
struct UserPage {
    l: Layout,
    target: User,
    org_name: String,
    teams: Vec<TeamChoice>,
    is_self: bool,
    /// For a regio-lezer seen by a programme admin: the regions to grant.
    regions: Vec<TeamChoice>,
}

pub async fn show(
    State(state): State<AppState>,
    Auth(session): Auth,
    Path(id): Path<i64>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let target = users::managed_user(&state.store, &session.user, id).await?;
    let (org_name, teams) = match target.org_id {
        Some(org) => (
            state.store.organisation(org).await?.name,
            state
                .store
                .teams(org)
                .await?
                .into_iter()
                .map(|t| TeamChoice {
                    checked: target.team_ids.contains(&t.id),
                    id: t.id,
                    name: t.name,
                })
                .collect(),
        ),
        None => ("Programma (hele regio)".into(), Vec::new()),
    };
    let regions = if target.role == Role::RegioLezer && access::is_programme_admin(&session.user) {
        let granted = state.store.user_region_ids(target.id).await?;
        app::region::visible_regions(&state.store, &session.user)
            .await?
            .into_iter()
            .map(|r| TeamChoice {
                checked: granted.contains(&r.id),
                id: r.id,
                name: r.name,
            })
            .collect()
    } else {
        Vec::new()
    };
    let l = Layout::new(&target.name, "gebruikers", Some(&session), &headers);
    let had_flash = l.flash.is_some();
    render(
        &UserPage {
            is_self: target.id == session.user.id,
            l,
            target,
            org_name,
            teams,
            regions,
        },
        had_flash,
    )
}

pub async fn set_teams(
    State(state): State<AppState>,
    Auth(session): Auth,
    Path(id): Path<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let f = Fields(fields);
    let back = format!("/gebruikers/{id}");
    match users::set_user_teams(&state.store, &session.user, id, &f.ids("team_ids")).await {
        Ok(_) => Ok(redirect_with(&back, true, "De teams zijn opgeslagen.")),
        Err(e) => crate::page::flash_error(e, &back),
    }
}

/// The regions a regio-lezer may read (the programme admin, from the user page).
pub async fn set_regions(
    State(state): State<AppState>,
    Auth(session): Auth,
    Path(id): Path<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let f = Fields(fields);
    let back = format!("/gebruikers/{id}");
    match app::region::set_user_regions(&state.store, &session.user, id, &f.ids("region_ids")).await
    {
        Ok(r) => Ok(redirect_with(
            &back,
            true,
            &format!("De regio's zijn opgeslagen ({}).", r.len()),
        )),
        Err(e @ (app::AppError::NotFound | app::AppError::Forbidden)) => Err(e.into()),
        Err(e) => crate::page::flash_error(e, &back),
    }
}

async fn set_active(
    state: AppState,
    session: crate::auth::Session,
    id: i64,
    active: bool,
) -> Result<Response, PageError> {
    let back = format!("/gebruikers/{id}");
    match users::set_user_active(&state.store, &session.user, id, active).await {
        Ok(u) => Ok(redirect_with(
            &back,
            true,
            &if active {
                format!("{} kan weer inloggen.", u.email)
            } else {
                format!("{} is uitgeschakeld en kan niet meer inloggen.", u.email)
            },
        )),
        Err(e) => crate::page::flash_error(e, &back),
    }
}

pub async fn deactivate(
    State(state): State<AppState>,
    Auth(session): Auth,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    set_active(state, session, id, false).await
}

pub async fn activate(
    State(state): State<AppState>,
    Auth(session): Auth,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    set_active(state, session, id, true).await
}

pub async fn reset_password(
    State(state): State<AppState>,
    Auth(session): Auth,
    Path(id): Path<i64>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let links = users::LinkSettings::new(&state.config.public_url, state.config.mail.as_ref());
    let (target, delivery) =
        users::reset_password_link(&state.store, (&session.user).into(), id, links).await?;
    let message = delivery.message(users::LinkPurpose::Reset, &target.email);
    let Some(link) = delivery.link() else {
        return Ok(redirect_with(&format!("/gebruikers/{id}"), true, &message));
    };
    render(
        &SecretPage {
            l: Layout::new("Nieuw wachtwoord", "gebruikers", Some(&session), &headers),
            heading: format!("Link voor een nieuw wachtwoord voor {}", target.name),
            explanation: message,
            secret: link.to_string(),
            back_href: format!("/gebruikers/{id}"),
            back_label: "Naar de gebruiker".into(),
        },
        false,
    )
}
