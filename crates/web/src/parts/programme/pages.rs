//! The programme pages: the region's timeline, the intervention plan, action lists,
//! "Mijn acties" and meetings. Every page works as plain forms (POST-redirect-GET).

use askama::Template;
use axum::Router;
use axum::extract::{Form, Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::{get, post};
use store::{ActionStatus, MeetingKind, Phase, PlanStatus, Role};

use super::nl_date;
use crate::auth::Auth;
use crate::page::{Fields, Layout, PageAction, flash_error, redirect_with, render};
use crate::{AppState, PageError};
use app::access::Caller;
use app::programme::{self as programme, ActionView};

/// The POST actions of the programme pages (see [`PageAction`]).
pub const ACTIONS: &[PageAction] = &[
    PageAction::new(
        "/regio/{id}/programma/fasen",
        &["POST /regions/{id}/programme/phases"],
        || post(set_phase),
    ),
    PageAction::new(
        "/regio/{id}/programma/cohorten",
        &["POST /regions/{id}/programme/cohorts"],
        || post(add_cohort),
    ),
    PageAction::new(
        "/regio/{id}/programma/cohorten/{cohort}/leden",
        &["POST /regions/{id}/programme/cohorts/{cohort}/members"],
        || post(add_cohort_member),
    ),
    PageAction::new(
        "/regio/{id}/programma/cohorten/{cohort}/leden/{org}/verwijderen",
        &["DELETE /regions/{id}/programme/cohorts/{cohort}/members/{org}"],
        || post(remove_cohort_member),
    ),
    PageAction::new(
        "/organisaties/{id}/onboarding",
        &["PUT /organisations/{id}/onboarding"],
        || post(set_onboarding),
    ),
    PageAction::new(
        "/organisaties/{id}/plan/vullen",
        &["POST /organisations/{id}/plan/prefill"],
        || post(prefill),
    ),
    PageAction::new(
        "/organisaties/{id}/plan/{code}",
        &["PUT /organisations/{id}/plan/{code}"],
        || post(save_item),
    ),
    PageAction::new(
        "/organisaties/{id}/plan/{code}/sessies",
        &["POST /organisations/{id}/plan/{code}/sessions"],
        || post(add_session),
    ),
    PageAction::new(
        "/organisaties/{id}/plan/{code}/materialen",
        &["POST /organisations/{id}/plan/{code}/materials"],
        || post(add_material),
    ),
    PageAction::new(
        "/organisaties/{id}/acties",
        &["POST /organisations/{id}/actions"],
        || post(add_action),
    ),
    PageAction::new(
        "/organisaties/{id}/acties/{action}/wijzigen",
        &["PUT /organisations/{id}/actions/{action}"],
        || post(update_action),
    ),
    PageAction::new(
        "/organisaties/{id}/acties/{action}/status",
        &["PUT /organisations/{id}/actions/{action}/status"],
        || post(action_status),
    ),
    PageAction::new(
        "/organisaties/{id}/overleggen",
        &["POST /organisations/{id}/meetings"],
        || post(add_meeting),
    ),
];

/// The GET routes; the POST routes come from [`ACTIONS`].
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/regio/{id}/programma", get(timeline))
        .route("/organisaties/{id}/plan", get(plan))
        .route("/organisaties/{id}/acties", get(org_actions))
        .route("/organisaties/{id}/acties/{action}", get(edit_action))
        .route("/organisaties/{id}/overleggen", get(meetings))
        .route("/organisaties/{id}/overleggen/{meeting}", get(meeting))
        .route("/acties", get(my_actions))
}

fn layout(
    title: &str,
    current: &'static str,
    session: &crate::auth::Session,
    headers: &HeaderMap,
) -> Layout {
    Layout::new(title, current, Some(session), headers)
}

fn phases() -> Vec<(&'static str, &'static str)> {
    Phase::ALL
        .iter()
        .map(|p| (p.code(), programme::phase_label(*p)))
        .collect()
}

// ----- timeline --------------------------------------------------------------------------

pub struct PhaseRow {
    pub label: &'static str,
    pub from: String,
    pub to: String,
    pub current: bool,
}

pub struct OrgRow {
    pub id: i64,
    pub name: String,
    pub state: &'static str,
    pub ready: bool,
    pub project_lead: String,
    pub board: String,
    pub reserved: String,
    pub project_lead_raw: String,
    pub board_raw: String,
    pub people: i64,
    pub hours: String,
    pub notes: String,
}

pub struct CohortBlock {
    pub id: i64,
    pub name: String,
    pub phase: &'static str,
    pub small: bool,
    pub orgs: Vec<OrgRow>,
}

#[derive(Template)]
#[template(path = "programme/timeline.html")]
struct TimelinePage {
    l: Layout,
    region_id: i64,
    region: String,
    phase_rows: Vec<PhaseRow>,
    cohorts: Vec<CohortBlock>,
    others: Vec<OrgRow>,
    phases: Vec<(&'static str, &'static str)>,
    min_cohort: usize,
    max_cohort: usize,
}

fn org_row(o: &programme::TimelineOrg) -> OrgRow {
    let ob = o.onboarding.as_ref();
    OrgRow {
        id: o.org_id,
        name: o.name.clone(),
        state: o.state.label(),
        ready: o.state == programme::OnboardingState::Gereed,
        project_lead: ob
            .map(|x| x.project_lead.clone())
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| "–".into()),
        board: ob
            .and_then(|x| x.board_commitment_on.as_deref())
            .map(nl_date)
            .unwrap_or_else(|| "nog niet".into()),
        reserved: ob.map_or("–".into(), |x| {
            format!(
                "{} mensen, {} per week",
                x.people_reserved,
                report::nl::hours(x.hours_reserved)
            )
        }),
        project_lead_raw: ob.map(|x| x.project_lead.clone()).unwrap_or_default(),
        board_raw: ob
            .and_then(|x| x.board_commitment_on.clone())
            .unwrap_or_default(),
        people: ob.map_or(0, |x| x.people_reserved),
        hours: ob.map_or(String::new(), |x| report::nl::number(x.hours_reserved, 1)),
        notes: ob.map(|x| x.notes.clone()).unwrap_or_default(),
    }
}

async fn timeline(
    State(state): State<AppState>,
    Auth(session): Auth,
    Path(id): Path<i64>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let t = programme::timeline(&state.store, Caller::User(&session.user), id).await?;
    let today = programme::today().format("%Y-%m-%d").to_string();
    let l = layout(
        &format!("Programma {}", t.region.name),
        "regio",
        &session,
        &headers,
    );
    let had_flash = l.flash.is_some();
    render(
        &TimelinePage {
            l,
            region_id: t.region.id,
            region: t.region.name.clone(),
            phase_rows: t
                .phases
                .iter()
                .map(|p| PhaseRow {
                    label: programme::phase_label(p.phase),
                    from: nl_date(&p.starts_on),
                    to: nl_date(&p.ends_on),
                    current: p.starts_on <= today && today <= p.ends_on,
                })
                .collect(),
            cohorts: t
                .cohorts
                .iter()
                .map(|c| CohortBlock {
                    id: c.cohort.id,
                    name: c.cohort.name.clone(),
                    phase: programme::phase_label(c.cohort.phase),
                    small: c.organisations.len() < programme::MIN_COHORT,
                    orgs: c.organisations.iter().map(org_row).collect(),
                })
                .collect(),
            others: t.without_cohort.iter().map(org_row).collect(),
            phases: phases(),
            min_cohort: programme::MIN_COHORT,
            max_cohort: programme::MAX_COHORT,
        },
        had_flash,
    )
}

async fn set_phase(
    State(state): State<AppState>,
    Auth(session): Auth,
    Path(id): Path<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let f = Fields(fields);
    let back = format!("/regio/{id}/programma");
    programme::require_region_admin(&state.store, Caller::User(&session.user), id).await?;
    let phase = match programme::parse_phase(f.get("phase")) {
        Ok(p) => p,
        Err(e) => return flash_error(e, &back),
    };
    match programme::set_phase(
        &state.store,
        Caller::User(&session.user),
        id,
        phase,
        f.get("from"),
        f.get("to"),
    )
    .await
    {
        Ok(p) => Ok(redirect_with(
            &back,
            true,
            &format!("De fase {} is bijgewerkt.", programme::phase_label(p.phase)),
        )),
        Err(e) => flash_error(e, &back),
    }
}

async fn add_cohort(
    State(state): State<AppState>,
    Auth(session): Auth,
    Path(id): Path<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let f = Fields(fields);
    let back = format!("/regio/{id}/programma");
    programme::require_region_admin(&state.store, Caller::User(&session.user), id).await?;
    let phase = match programme::parse_phase(f.get("phase")) {
        Ok(p) => p,
        Err(e) => return flash_error(e, &back),
    };
    let orgs: Vec<String> = f.all("org_ids").iter().map(|s| s.to_string()).collect();
    match programme::add_cohort(
        &state.store,
        Caller::User(&session.user),
        id,
        f.get("name"),
        phase,
        &orgs,
    )
    .await
    {
        Ok(c) => Ok(redirect_with(
            &back,
            true,
            &format!(
                "Cohort '{}' is toegevoegd met {} organisaties.",
                c.name,
                c.org_ids.len()
            ),
        )),
        Err(e) => flash_error(e, &back),
    }
}

async fn add_cohort_member(
    State(state): State<AppState>,
    Auth(session): Auth,
    Path((id, cohort)): Path<(i64, String)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let cohort: i64 = cohort.parse().map_err(|_| PageError::NotFound)?;
    let f = Fields(fields);
    let back = format!("/regio/{id}/programma");
    programme::require_region_admin(&state.store, Caller::User(&session.user), id).await?;
    match programme::add_cohort_member(
        &state.store,
        Caller::User(&session.user),
        id,
        cohort,
        f.get("org"),
    )
    .await
    {
        Ok(c) => Ok(redirect_with(
            &back,
            true,
            &format!(
                "De organisatie is toegevoegd aan cohort '{}' ({} organisaties).",
                c.name,
                c.org_ids.len()
            ),
        )),
        Err(e) => flash_error(e, &back),
    }
}

async fn remove_cohort_member(
    State(state): State<AppState>,
    Auth(session): Auth,
    Path((id, cohort, org)): Path<(i64, String, String)>,
) -> Result<Response, PageError> {
    let cohort: i64 = cohort.parse().map_err(|_| PageError::NotFound)?;
    let org: i64 = org.parse().map_err(|_| PageError::NotFound)?;
    let back = format!("/regio/{id}/programma");
    programme::require_region_admin(&state.store, Caller::User(&session.user), id).await?;
    match programme::remove_cohort_member(
        &state.store,
        Caller::User(&session.user),
        id,
        cohort,
        org,
    )
    .await
    {
        Ok(c) => Ok(redirect_with(
            &back,
            true,
            &format!(
                "De organisatie is uit cohort '{}' gehaald; haar gegevens blijven bewaard.",
                c.name
            ),
        )),
        Err(e) => flash_error(e, &back),
    }
}

async fn set_onboarding(
    State(state): State<AppState>,
    Auth(session): Auth,
    Path(id): Path<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let f = Fields(fields);
    let back = match f.get("terug") {
        t if t.starts_with("/regio/") && !t.contains("//") => t.to_string(),
        _ => format!("/organisaties/{id}/plan"),
    };
    app::access::require_view_org(&session.user, id)?;
    let people = f.get("people_reserved").trim();
    let hours = f.get("hours_reserved").trim();
    let input = programme::OnboardingInput {
        project_lead: f.get("project_lead").to_string(),
        board_commitment_on: Some(f.get("board_commitment_on").to_string()),
        people_reserved: if people.is_empty() {
            0
        } else {
            match people.parse() {
                Ok(n) => n,
                Err(_) => {
                    return Ok(redirect_with(
                        &back,
                        false,
                        &format!("Mensen vrijgemaakt: '{people}' is geen heel getal."),
                    ));
                }
            }
        },
        hours_reserved: if hours.is_empty() {
            0.0
        } else {
            f.number("hours_reserved", "Uren per week vrijgemaakt")?
        },
        notes: f.get("notes").to_string(),
    };
    match programme::set_onboarding(&state.store, Caller::User(&session.user), id, &input).await {
        Ok(_) => Ok(redirect_with(&back, true, "De onboarding is opgeslagen.")),
        Err(e) => flash_error(e, &back),
    }
}

// ----- plan ------------------------------------------------------------------------------

pub struct EntryView {
    pub code: String,
    pub name: String,
    pub group: String,
    pub description: String,
    pub status: &'static str,
    pub status_code: &'static str,
    pub owner: String,
    pub starts_on: String,
    pub ends_on: String,
    pub dates: String,
    pub recommended: bool,
    pub reason: String,
    pub teams: String,
    pub team_ids: Vec<i64>,
    pub sessions: Vec<(String, i64, String)>,
    pub materials: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "programme/plan.html")]
struct PlanPage {
    l: Layout,
    org_id: i64,
    org_name: String,
    can_edit: bool,
    cohort: String,
    onboarding_state: &'static str,
    project_lead: String,
    board: String,
    reserved: String,
    entries: Vec<EntryView>,
    statuses: Vec<(&'static str, &'static str)>,
    teams: Vec<(i64, String)>,
    chosen: usize,
}

async fn plan(
    State(state): State<AppState>,
    Auth(session): Auth,
    Path(id): Path<i64>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let caller = Caller::User(&session.user);
    let p = programme::plan(&state.store, caller, id).await?;
    let own = programme::own_programme(&state.store, caller, id).await?;
    let org = state.store.organisation(id).await?;
    let teams: Vec<(i64, String)> = state
        .store
        .teams(id)
        .await?
        .into_iter()
        .map(|t| (t.id, t.name))
        .collect();
    let team_names = |ids: &[i64]| {
        let names: Vec<&str> = teams
            .iter()
            .filter(|(t, _)| ids.contains(t))
            .map(|(_, n)| n.as_str())
            .collect();
        if names.is_empty() {
            "–".to_string()
        } else {
            names.join(", ")
        }
    };
    let entries: Vec<EntryView> = p
        .interventions
        .iter()
        .map(|e| EntryView {
            code: e.code.clone(),
            name: e.name.clone(),
            group: e.group.clone(),
            description: e.description.clone(),
            status: e.status.label(),
            status_code: e.status.code(),
            owner: e.owner.clone(),
            starts_on: e.starts_on.clone().unwrap_or_default(),
            ends_on: e.ends_on.clone().unwrap_or_default(),
            dates: match (&e.starts_on, &e.ends_on) {
                (Some(a), Some(b)) => format!("{} – {}", nl_date(a), nl_date(b)),
                (Some(a), None) => format!("vanaf {}", nl_date(a)),
                (None, Some(b)) => format!("tot {}", nl_date(b)),
                (None, None) => "–".into(),
            },
            recommended: e.recommended,
            reason: e.reason.clone(),
            teams: team_names(&e.team_ids),
            team_ids: e.team_ids.clone(),
            sessions: e
                .sessions
                .iter()
                .map(|s| (nl_date(&s.held_on), s.participants, s.notes.clone()))
                .collect(),
            materials: e
                .materials
                .iter()
                .map(|m| (m.title.clone(), m.url.clone()))
                .collect(),
        })
        .collect();
    let ob = own.onboarding.as_ref();
    let l = layout(
        &format!("Interventieplan {}", org.name),
        "organisaties",
        &session,
        &headers,
    );
    let had_flash = l.flash.is_some();
    render(
        &PlanPage {
            l,
            org_id: id,
            can_edit: app::access::can_admin_org(&session.user, id),
            cohort: own.cohort.clone().unwrap_or_else(|| "geen".into()),
            onboarding_state: own.state.label(),
            project_lead: ob
                .map(|x| x.project_lead.clone())
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| "–".into()),
            board: ob
                .and_then(|x| x.board_commitment_on.as_deref())
                .map(nl_date)
                .unwrap_or_else(|| "nog niet".into()),
            reserved: ob.map_or("–".into(), |x| {
                format!(
                    "{} mensen, {} per week",
                    x.people_reserved,
                    report::nl::hours(x.hours_reserved)
                )
            }),
            chosen: entries
                .iter()
                .filter(|e| e.status_code != PlanStatus::NietGekozen.code())
                .count(),
            entries,
            statuses: PlanStatus::ALL
                .iter()
                .map(|s| (s.code(), s.label()))
                .collect(),
            teams,
            org_name: org.name,
        },
        had_flash,
    )
}

async fn prefill(
    State(state): State<AppState>,
    Auth(session): Auth,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let back = format!("/organisaties/{id}/plan");
    match programme::prefill_plan(
        &state.store,
        Caller::User(&session.user),
        id,
        programme::today(),
    )
    .await
    {
        Ok(n) => Ok(redirect_with(
            &back,
            true,
            &format!("Het plan is gevuld met {n} aanbevelingen uit de Value Case."),
        )),
        Err(e) => flash_error(e, &back),
    }
}

async fn save_item(
    State(state): State<AppState>,
    Auth(session): Auth,
    Path((id, code)): Path<(i64, String)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let f = Fields(fields);
    let back = format!("/organisaties/{id}/plan#{code}");
    let form = programme::PlanItemForm {
        status: f.get("status").to_string(),
        owner: f.get("owner").to_string(),
        starts_on: Some(f.get("starts_on").to_string()),
        ends_on: Some(f.get("ends_on").to_string()),
        team_ids: f.ids("team_ids"),
    };
    match programme::save_plan_item(&state.store, Caller::User(&session.user), id, &code, &form)
        .await
    {
        Ok(_) => Ok(redirect_with(&back, true, "De interventie is opgeslagen.")),
        Err(e) => flash_error(e, &back),
    }
}

async fn add_session(
    State(state): State<AppState>,
    Auth(session): Auth,
    Path((id, code)): Path<(i64, String)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let f = Fields(fields);
    let back = format!("/organisaties/{id}/plan#{code}");
    // Access before reading the input: another organisation answers 404 whatever is sent.
    app::access::require_admin_org(&session.user, id)?;
    let participants = match f.get("participants").trim().parse::<i64>() {
        Ok(n) => n,
        Err(_) => {
            return Ok(redirect_with(
                &back,
                false,
                &format!(
                    "Deelnemers: '{}' is geen heel getal.",
                    f.get("participants")
                ),
            ));
        }
    };
    match programme::add_session(
        &state.store,
        Caller::User(&session.user),
        id,
        &code,
        f.get("held_on"),
        participants,
        f.get("notes"),
    )
    .await
    {
        Ok(_) => Ok(redirect_with(&back, true, "De sessie is vastgelegd.")),
        Err(e) => flash_error(e, &back),
    }
}

async fn add_material(
    State(state): State<AppState>,
    Auth(session): Auth,
    Path((id, code)): Path<(i64, String)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let f = Fields(fields);
    let back = format!("/organisaties/{id}/plan#{code}");
    match programme::add_material(
        &state.store,
        Caller::User(&session.user),
        id,
        &code,
        f.get("title"),
        f.get("url"),
    )
    .await
    {
        Ok(_) => Ok(redirect_with(&back, true, "Het materiaal is toegevoegd.")),
        Err(e) => flash_error(e, &back),
    }
}

// ----- actions ---------------------------------------------------------------------------

pub struct ActionRow {
    pub id: i64,
    pub org_id: i64,
    pub org_name: String,
    pub title: String,
    pub owner: String,
    pub team: String,
    pub due: String,
    pub status_code: &'static str,
    pub link: String,
    pub overdue: bool,
}

fn action_row(a: &ActionView) -> ActionRow {
    ActionRow {
        id: a.action.id,
        org_id: a.action.org_id,
        org_name: a.org_name.clone(),
        title: a.action.title.clone(),
        owner: a.owner.clone(),
        team: a.team.clone().unwrap_or_else(|| "–".into()),
        due: nl_date(&a.action.due_on),
        status_code: a.action.status.code(),
        link: a.link.clone().unwrap_or_else(|| "–".into()),
        overdue: a.overdue,
    }
}

fn statuses() -> Vec<(&'static str, &'static str)> {
    ActionStatus::ALL
        .iter()
        .map(|s| (s.code(), s.label()))
        .collect()
}

#[derive(Template)]
#[template(path = "programme/actions.html")]
struct ActionsPage {
    l: Layout,
    org_id: i64,
    org_name: String,
    can_add: bool,
    rows: Vec<ActionRow>,
    overdue: usize,
    statuses: Vec<(&'static str, &'static str)>,
    people: Vec<(String, String)>,
    teams: Vec<(i64, String)>,
    interventions: Vec<(String, String)>,
    back: String,
}

async fn org_actions(
    State(state): State<AppState>,
    Auth(session): Auth,
    Path(id): Path<i64>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let caller = Caller::User(&session.user);
    let list = programme::actions(&state.store, caller, id, programme::today()).await?;
    let org = state.store.organisation(id).await?;
    let rows: Vec<ActionRow> = list.iter().map(action_row).collect();
    let l = layout(
        &format!("Acties {}", org.name),
        "organisaties",
        &session,
        &headers,
    );
    let had_flash = l.flash.is_some();
    let (people, teams) = action_choices(&state, &session.user, id).await?;
    render(
        &ActionsPage {
            l,
            org_id: id,
            org_name: org.name,
            can_add: app::access::can_admin_org(&session.user, id)
                || session.user.role == Role::Manager,
            overdue: rows.iter().filter(|r| r.overdue).count(),
            rows,
            statuses: statuses(),
            people,
            teams,
            interventions: interventions(),
            back: format!("/organisaties/{id}/acties"),
        },
        had_flash,
    )
}

fn interventions() -> Vec<(String, String)> {
    programme::catalogue()
        .map(|c| c.iter().map(|i| (i.code.clone(), i.name.clone())).collect())
        .unwrap_or_default()
}

/// People (e-mail, name) and teams (id, name) an action form offers.
type Choices = (Vec<(String, String)>, Vec<(i64, String)>);

/// Who an action can be given to and for which teams, as the form offers them.
async fn action_choices(
    state: &AppState,
    user: &store::User,
    org_id: i64,
) -> Result<Choices, PageError> {
    let admin = app::access::can_admin_org(user, org_id);
    let people = if admin {
        state
            .store
            .users(Some(org_id))
            .await?
            .into_iter()
            .filter(|u| u.active)
            .map(|u| (u.email, u.name))
            .collect()
    } else {
        vec![(user.email.clone(), user.name.clone())]
    };
    let teams = state
        .store
        .teams(org_id)
        .await?
        .into_iter()
        .filter(|t| admin || user.team_ids.contains(&t.id))
        .map(|t| (t.id, t.name))
        .collect();
    Ok((people, teams))
}

fn local_back(f: &Fields, id: i64, default: String) -> String {
    let t = f.get("terug");
    let own = format!("/organisaties/{id}/");
    if (t.starts_with(&own) || t == "/acties") && !t.contains("//") {
        t.to_string()
    } else {
        default
    }
}

async fn add_action(
    State(state): State<AppState>,
    Auth(session): Auth,
    Path(id): Path<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let f = Fields(fields);
    let back = local_back(&f, id, format!("/organisaties/{id}/acties"));
    let input = programme::ActionInput {
        title: f.get("title").to_string(),
        owner: f.get("owner").to_string(),
        due_on: f.get("due_on").to_string(),
        team_id: f.get("team_id").trim().parse().ok(),
        link_kind: Some(f.get("link_kind").to_string()),
        link_ref: Some(f.get("link_ref").to_string()),
        status: None,
    };
    match programme::add_action(&state.store, Caller::User(&session.user), id, &input).await {
        Ok(a) => Ok(redirect_with(
            &back,
            true,
            &format!("Actie '{}' is toegevoegd.", a.action.title),
        )),
        Err(e) => flash_error(e, &back),
    }
}

async fn action_status(
    State(state): State<AppState>,
    Auth(session): Auth,
    Path((id, action)): Path<(i64, String)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let action: i64 = action.parse().map_err(|_| PageError::NotFound)?;
    let f = Fields(fields);
    let back = local_back(&f, id, format!("/organisaties/{id}/acties"));
    match programme::set_action_status(
        &state.store,
        Caller::User(&session.user),
        id,
        action,
        f.get("status"),
    )
    .await
    {
        Ok(a) => Ok(redirect_with(
            &back,
            true,
            &format!(
                "Actie '{}': {}.",
                a.action.title,
                a.action.status.label().to_lowercase()
            ),
        )),
        Err(e) => flash_error(e, &back),
    }
}

#[derive(Template)]
#[template(path = "programme/action_edit.html")]
struct ActionEditPage {
    l: Layout,
    org_id: i64,
    org_name: String,
    action_id: i64,
    input: programme::ActionInput,
    statuses: Vec<(&'static str, &'static str)>,
    people: Vec<(String, String)>,
    teams: Vec<(i64, String)>,
    interventions: Vec<(String, String)>,
    back: String,
}

impl ActionEditPage {
    fn is_intervention(&self, code: &str) -> bool {
        self.input.link_kind.as_deref() == Some("intervention")
            && self.input.link_ref.as_deref() == Some(code)
    }

    fn team_selected(&self, id: &i64) -> bool {
        self.input.team_id == Some(*id)
    }

    fn status_selected(&self, code: &str) -> bool {
        self.input.status.as_deref() == Some(code)
    }

    fn owner_selected(&self, email: &str) -> bool {
        self.input.owner.eq_ignore_ascii_case(email)
    }

    fn link_is(&self, kind: &str) -> bool {
        self.input.link_kind.as_deref() == Some(kind)
    }

    /// A link to a meeting or round table is kept as it is (the form offers interventions).
    fn link_kept(&self) -> bool {
        self.link_is("meeting") || self.link_is("round_table")
    }

    fn link_kind(&self) -> &str {
        self.input.link_kind.as_deref().unwrap_or_default()
    }

    fn link_ref(&self) -> &str {
        self.input.link_ref.as_deref().unwrap_or_default()
    }
}

async fn edit_action(
    State(state): State<AppState>,
    Auth(session): Auth,
    Path((id, action)): Path<(i64, String)>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let action: i64 = action.parse().map_err(|_| PageError::NotFound)?;
    let caller = Caller::User(&session.user);
    let (a, input) = programme::action_input(&state.store, caller, id, action).await?;
    let org = state.store.organisation(id).await?;
    let l = layout(
        &format!("Actie wijzigen · {}", org.name),
        "organisaties",
        &session,
        &headers,
    );
    let had_flash = l.flash.is_some();
    let (mut people, teams) = action_choices(&state, &session.user, id).await?;
    // The current owner stays choosable even when the form would not offer them.
    if !input.owner.eq_ignore_ascii_case("programma")
        && !people
            .iter()
            .any(|(e, _)| e.eq_ignore_ascii_case(&input.owner))
    {
        people.push((input.owner.clone(), input.owner.clone()));
    }
    render(
        &ActionEditPage {
            l,
            org_id: id,
            org_name: org.name,
            action_id: a.id,
            input,
            statuses: statuses(),
            people,
            teams,
            interventions: interventions(),
            back: format!("/organisaties/{id}/acties"),
        },
        had_flash,
    )
}

async fn update_action(
    State(state): State<AppState>,
    Auth(session): Auth,
    Path((id, action)): Path<(i64, String)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let action: i64 = action.parse().map_err(|_| PageError::NotFound)?;
    let f = Fields(fields);
    let here = format!("/organisaties/{id}/acties/{action}");
    let back = local_back(&f, id, format!("/organisaties/{id}/acties"));
    let input = programme::ActionInput {
        title: f.get("title").to_string(),
        owner: f.get("owner").to_string(),
        due_on: f.get("due_on").to_string(),
        team_id: f.get("team_id").trim().parse().ok(),
        link_kind: Some(f.get("link_kind").to_string()),
        link_ref: Some(f.get("link_ref").to_string()),
        status: Some(f.get("status").to_string()),
    };
    match programme::update_action(
        &state.store,
        Caller::User(&session.user),
        id,
        action,
        &input,
    )
    .await
    {
        Ok(a) => Ok(redirect_with(
            &back,
            true,
            &format!("Actie '{}' is gewijzigd.", a.action.title),
        )),
        Err(e) => flash_error(e, &here),
    }
}

#[derive(Template)]
#[template(path = "programme/my_actions.html")]
struct MyActionsPage {
    l: Layout,
    rows: Vec<ActionRow>,
    overdue: usize,
    statuses: Vec<(&'static str, &'static str)>,
    back: String,
}

async fn my_actions(
    State(state): State<AppState>,
    Auth(session): Auth,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let list = programme::my_actions(&state.store, &session.user, programme::today()).await?;
    let rows: Vec<ActionRow> = list.iter().map(action_row).collect();
    let l = layout("Mijn acties", "acties", &session, &headers);
    let had_flash = l.flash.is_some();
    render(
        &MyActionsPage {
            l,
            overdue: rows.iter().filter(|r| r.overdue).count(),
            rows,
            statuses: statuses(),
            back: "/acties".into(),
        },
        had_flash,
    )
}

// ----- meetings --------------------------------------------------------------------------

pub struct MeetingRow {
    pub id: i64,
    pub kind: &'static str,
    pub date: String,
    pub notes: String,
    pub decisions: String,
}

fn meeting_row(m: &store::Meeting) -> MeetingRow {
    MeetingRow {
        id: m.id,
        kind: m.kind.label(),
        date: nl_date(&m.held_on),
        notes: m.notes.clone(),
        decisions: m.decisions.clone(),
    }
}

#[derive(Template)]
#[template(path = "programme/meetings.html")]
struct MeetingsPage {
    l: Layout,
    org_id: i64,
    org_name: String,
    can_edit: bool,
    rows: Vec<MeetingRow>,
    kinds: Vec<(&'static str, &'static str)>,
}

async fn meetings(
    State(state): State<AppState>,
    Auth(session): Auth,
    Path(id): Path<i64>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let list = programme::meetings(&state.store, Caller::User(&session.user), id).await?;
    let org = state.store.organisation(id).await?;
    let l = layout(
        &format!("Overleggen {}", org.name),
        "organisaties",
        &session,
        &headers,
    );
    let had_flash = l.flash.is_some();
    render(
        &MeetingsPage {
            l,
            org_id: id,
            org_name: org.name,
            can_edit: app::access::can_admin_org(&session.user, id),
            rows: list.iter().map(meeting_row).collect(),
            kinds: MeetingKind::ALL
                .iter()
                .map(|k| (k.code(), k.label()))
                .collect(),
        },
        had_flash,
    )
}

#[derive(Template)]
#[template(path = "programme/meeting.html")]
struct MeetingPage {
    l: Layout,
    org_id: i64,
    org_name: String,
    m: MeetingRow,
    rows: Vec<ActionRow>,
    overdue: usize,
    can_add: bool,
    statuses: Vec<(&'static str, &'static str)>,
    people: Vec<(String, String)>,
    teams: Vec<(i64, String)>,
    back: String,
}

async fn meeting(
    State(state): State<AppState>,
    Auth(session): Auth,
    Path((id, meeting)): Path<(i64, String)>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let meeting: i64 = meeting.parse().map_err(|_| PageError::NotFound)?;
    let (m, actions) =
        programme::meeting(&state.store, Caller::User(&session.user), id, meeting).await?;
    let org = state.store.organisation(id).await?;
    let row = meeting_row(&m);
    let l = layout(
        &format!("{} {}", row.kind, row.date),
        "organisaties",
        &session,
        &headers,
    );
    let had_flash = l.flash.is_some();
    let (people, teams) = action_choices(&state, &session.user, id).await?;
    render(
        &MeetingPage {
            l,
            org_id: id,
            org_name: org.name,
            rows: actions.iter().map(action_row).collect(),
            overdue: actions.iter().filter(|a| a.overdue).count(),
            can_add: app::access::can_admin_org(&session.user, id)
                || session.user.role == Role::Manager,
            statuses: statuses(),
            people,
            teams,
            back: format!("/organisaties/{id}/overleggen/{}", m.id),
            m: row,
        },
        had_flash,
    )
}

async fn add_meeting(
    State(state): State<AppState>,
    Auth(session): Auth,
    Path(id): Path<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let f = Fields(fields);
    let back = format!("/organisaties/{id}/overleggen");
    let input = programme::MeetingInput {
        kind: f.get("kind").to_string(),
        held_on: f.get("held_on").to_string(),
        notes: f.get("notes").to_string(),
        decisions: f.get("decisions").to_string(),
    };
    match programme::add_meeting(&state.store, Caller::User(&session.user), id, &input).await {
        Ok(m) => Ok(redirect_with(
            &format!("/organisaties/{id}/overleggen/{}", m.id),
            true,
            "Het overleg is vastgelegd.",
        )),
        Err(e) => flash_error(e, &back),
    }
}
