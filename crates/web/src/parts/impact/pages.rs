//! Dutch pages of the impact part: progress per organisation with the goal form, the
//! impact report (page and PDF), the requests' pipeline, the public request form and the
//! region's impact.

use std::collections::HashMap;

use ::impact::{GoalKind, RequestStatus};
use askama::Template;
use axum::Form;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

use crate::auth::{self, Auth, ClientAddr};
use crate::page::{Fields, Layout, PageAction, flash_error, redirect_with, render};
use crate::scope::OrgScope;
use crate::{AppState, PageError};
use app::access::Caller;
use app::impact::{self as svc, GoalInput, RequestInput, RequestMove};
use report::nl;

/// The POST actions of the impact pages (see [`PageAction`]).
pub const ACTIONS: &[PageAction] = &[
    PageAction::new(
        "/organisaties/{id}/impact/doelen",
        &["POST /organisations/{id}/goals"],
        || post(add_goal),
    ),
    PageAction::new(
        "/organisaties/{id}/impact/doelen/{goal}/verwijderen",
        &["DELETE /organisations/{id}/goals/{goal}"],
        || post(delete_goal),
    ),
    PageAction::new(
        "/organisaties/{id}/impact/doelen/{goal}/waarden",
        &["POST /organisations/{id}/goals/{goal}/values"],
        || post(add_value),
    ),
    PageAction::new(
        "/organisaties/{id}/verzoeken/formulier",
        &["POST /organisations/{id}/request-form"],
        || post(update_form),
    ),
    PageAction::new(
        "/organisaties/{id}/verzoeken/{request}",
        &["POST /organisations/{id}/contract-requests/{request}"],
        || post(move_request),
    ),
    PageAction::new("/verzoek/{code}", &[], || post(submit_public)),
];

/// The GET routes; the POST routes come from [`ACTIONS`].
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/organisaties/{id}/impact", get(impact_page))
        .route("/organisaties/{id}/impact/verhaal", get(story_page))
        .route("/organisaties/{id}/impact/verhaal.pdf", get(story_pdf))
        .route("/organisaties/{id}/verzoeken", get(requests_page))
        .route("/verzoek/{code}", get(public_page))
        .route("/regio/{id}/impact", get(region_page))
        .route("/regio/{id}/impact/verslag", get(region_story_page))
        .route("/regio/{id}/impact/verslag.pdf", get(region_story_pdf))
}

fn yes_no(v: Option<bool>) -> &'static str {
    match v {
        Some(true) => "ja",
        Some(false) => "nee",
        None => "–",
    }
}

struct GoalRow {
    id: i64,
    label: String,
    scope: String,
    note: String,
    baseline: String,
    measured: String,
    target: String,
    progress: String,
    on_track: &'static str,
    behind: bool,
    suppressed: bool,
    manual: bool,
    chart: String,
}

#[derive(Template)]
#[template(path = "impact/progress.html")]
struct ProgressPage {
    l: Layout,
    org_id: i64,
    org_name: String,
    as_of: String,
    as_of_iso: String,
    can_admin: bool,
    contracts: Option<Vec<(String, String)>>,
    contracts_note: String,
    /// "Wat heeft bijgedragen" as HTML (escaped by `report::doc`); empty without it.
    contributed: String,
    goals: Vec<GoalRow>,
    requests: Vec<(String, usize)>,
    requests_summary: String,
    kinds: Vec<(&'static str, &'static str)>,
    teams: Vec<String>,
}

fn goal_rows(imp: &svc::Impact) -> Vec<GoalRow> {
    imp.goals
        .iter()
        .enumerate()
        .map(|(i, g)| {
            let p = &g.progress;
            let fmt = |v: Option<f64>, d: Option<chrono::NaiveDate>| match (v, d) {
                (Some(v), Some(d)) => format!("{} ({})", p.kind.format(v), nl::date(d)),
                _ => "–".into(),
            };
            GoalRow {
                id: g.id,
                label: g.label.clone(),
                scope: p
                    .team
                    .as_ref()
                    .map(|t| format!("team {t}"))
                    .unwrap_or_else(|| "hele organisatie".into()),
                note: g.note.clone(),
                baseline: fmt(p.baseline, p.baseline_at),
                measured: fmt(p.measured, p.measured_at),
                target: format!("{} vóór {}", p.kind.format(p.target), nl::date(p.deadline)),
                progress: p
                    .progress
                    .map(|x| nl::percent(x, 0))
                    .unwrap_or_else(|| "–".into()),
                on_track: yes_no(p.on_track),
                behind: p.on_track == Some(false),
                suppressed: p.suppressed,
                manual: p.kind == GoalKind::Manual,
                chart: if p.trend.len() >= 2 {
                    ::impact::story::trend_chart(&format!("doel-{}", i + 1), p)
                } else {
                    String::new()
                },
            }
        })
        .collect()
}

async fn impact_page(
    State(state): State<AppState>,
    scoped: OrgScope,
    Query(q): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let user = &scoped.caller.user;
    let as_of = super::as_of(q.get("peildatum").map(String::as_str))?;
    let imp = svc::impact(&state.store, Caller::User(user), scoped.org.id, as_of).await?;
    let l = Layout::new(
        &format!("Impact · {}", scoped.org.name),
        "organisaties",
        Some(&scoped.caller),
        &headers,
    );
    let had_flash = l.flash.is_some();
    let contracts = imp.contracts.as_ref().map(|c| {
        vec![
            (
                "Contracten uitgebreid".to_string(),
                nl::integer(c.grown as i64),
            ),
            (
                "Uren erbij per week".into(),
                format!("{} uur", nl::hours(c.hours_added)),
            ),
            ("Fte erbij".into(), nl::fte(c.fte_added)),
            ("Contracten kleiner".into(), nl::integer(c.shrunk as i64)),
            (
                "Uren minder".into(),
                format!("{} uur", nl::hours(c.hours_removed)),
            ),
            ("In dienst".into(), nl::integer(c.joined as i64)),
            ("Uit dienst".into(), nl::integer(c.left as i64)),
        ]
    });
    let contracts_note = imp
        .contracts
        .as_ref()
        .map(|c| {
            format!(
                "Tussen het HR-bestand van {} (nulmeting) en dat van {}.",
                nl::date(c.from),
                nl::date(c.to)
            )
        })
        .unwrap_or_default();
    let r = &imp.requests;
    let requests_summary = format!(
        "{} verzoeken, {} met akkoord, samen {} uur per week afgesproken{}.",
        r.total,
        r.accepted,
        nl::hours(r.hours_agreed),
        if r.flagged > 0 {
            format!(
                "; {} afspraken nog niet terug te zien in het HR-bestand",
                r.flagged
            )
        } else {
            String::new()
        }
    );
    render(
        &ProgressPage {
            l,
            org_id: scoped.org.id,
            org_name: scoped.org.name.clone(),
            as_of: nl::date(as_of),
            as_of_iso: as_of.format("%Y-%m-%d").to_string(),
            can_admin: scoped.can_admin(),
            contracts,
            contracts_note,
            contributed: imp
                .contributed
                .as_ref()
                .map(|c| report::doc::blocks_to_html(&::impact::contributed::blocks(c)))
                .unwrap_or_default(),
            goals: goal_rows(&imp),
            requests: r
                .by_status
                .iter()
                .map(|(s, n)| (s.label_nl().to_string(), *n))
                .collect(),
            requests_summary,
            kinds: GoalKind::ALL
                .iter()
                .map(|k| (k.code(), k.label_nl()))
                .collect(),
            teams: state
                .store
                .teams(scoped.org.id)
                .await?
                .into_iter()
                .map(|t| t.name)
                .collect(),
        },
        had_flash,
    )
}

fn optional(f: &Fields, key: &str) -> Option<String> {
    Some(f.get(key).trim().to_string()).filter(|s| !s.is_empty())
}

fn number(f: &Fields, key: &str, label: &str) -> Result<f64, PageError> {
    f.number(key, label)
}

async fn add_goal(
    State(state): State<AppState>,
    scoped: OrgScope,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let f = Fields(fields);
    let back = format!("/organisaties/{}/impact", scoped.org.id);
    let target = match number(&f, "target", "Streefwaarde") {
        Ok(t) => t,
        Err(e) => return flash_error(e, &back),
    };
    let baseline_value = match optional(&f, "baseline_value") {
        None => None,
        Some(_) => match number(&f, "baseline_value", "Beginwaarde") {
            Ok(v) => Some(v),
            Err(e) => return flash_error(e, &back),
        },
    };
    let input = GoalInput {
        kind: f.get("kind").to_string(),
        target,
        deadline: f.get("deadline").to_string(),
        baseline_date: optional(&f, "baseline_date"),
        team: optional(&f, "team"),
        baseline_value,
        note: optional(&f, "note"),
    };
    match svc::add_goal(
        &state.store,
        Caller::User(&scoped.caller.user),
        scoped.org.id,
        &input,
        super::today(),
    )
    .await
    {
        Ok(g) => Ok(redirect_with(
            &back,
            true,
            &format!("Doel '{}' is toegevoegd.", g.kind.label_nl()),
        )),
        Err(e) => flash_error(e, &back),
    }
}

async fn delete_goal(
    State(state): State<AppState>,
    scoped: OrgScope,
    Path((_, goal)): Path<(i64, i64)>,
) -> Result<Response, PageError> {
    let back = format!("/organisaties/{}/impact", scoped.org.id);
    match svc::delete_goal(
        &state.store,
        Caller::User(&scoped.caller.user),
        scoped.org.id,
        goal,
    )
    .await
    {
        Ok(()) => Ok(redirect_with(&back, true, "Het doel is verwijderd.")),
        Err(e) => flash_error(e, &back),
    }
}

async fn add_value(
    State(state): State<AppState>,
    scoped: OrgScope,
    Path((_, goal)): Path<(i64, i64)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let f = Fields(fields);
    let back = format!("/organisaties/{}/impact", scoped.org.id);
    let value = match number(&f, "value", "Waarde") {
        Ok(v) => v,
        Err(e) => return flash_error(e, &back),
    };
    match svc::add_goal_value(
        &state.store,
        Caller::User(&scoped.caller.user),
        scoped.org.id,
        goal,
        f.get("measured_on"),
        value,
        f.get("note"),
    )
    .await
    {
        Ok(()) => Ok(redirect_with(&back, true, "De waarde is vastgelegd.")),
        Err(e) => flash_error(e, &back),
    }
}

#[derive(Template)]
#[template(path = "impact/story.html")]
struct StoryPage {
    l: Layout,
    org_id: i64,
    org_name: String,
    as_of_iso: String,
    body: String,
}

async fn story_page(
    State(state): State<AppState>,
    scoped: OrgScope,
    Query(q): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let as_of = super::as_of(q.get("peildatum").map(String::as_str))?;
    let imp = svc::impact(
        &state.store,
        Caller::User(&scoped.caller.user),
        scoped.org.id,
        as_of,
    )
    .await?;
    let doc = svc::story(&imp);
    let l = Layout::new(&doc.title, "organisaties", Some(&scoped.caller), &headers);
    let had_flash = l.flash.is_some();
    render(
        &StoryPage {
            l,
            org_id: scoped.org.id,
            org_name: scoped.org.name.clone(),
            as_of_iso: as_of.format("%Y-%m-%d").to_string(),
            body: report::doc::to_html(&doc),
        },
        had_flash,
    )
}

async fn story_pdf(
    State(state): State<AppState>,
    scoped: OrgScope,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let as_of = super::as_of(q.get("peildatum").map(String::as_str))?;
    let imp = svc::impact(
        &state.store,
        Caller::User(&scoped.caller.user),
        scoped.org.id,
        as_of,
    )
    .await?;
    match crate::parts::report::render_document_pdf(&state, svc::story(&imp)).await {
        Ok(bytes) => {
            let name = format!(
                "het-verhaal-van-organisatie-{}-{}.pdf",
                scoped.org.id,
                as_of.format("%Y-%m-%d")
            );
            Ok(pdf_attachment(&name, bytes))
        }
        Err(problem) => Ok(problem.page_response()),
    }
}

/// A PDF as a download that no cache keeps.
fn pdf_attachment(name: &str, bytes: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/pdf".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        bytes,
    )
        .into_response()
}

struct RequestRow {
    id: i64,
    created_on: String,
    team: String,
    name: String,
    contact: String,
    extra_hours: String,
    wishes: String,
    status: &'static str,
    closed: bool,
    anonymised: bool,
    agreed: String,
    reason: String,
    check: String,
    flagged: bool,
    next: Vec<(&'static str, &'static str)>,
}

#[derive(Template)]
#[template(path = "impact/requests.html")]
struct RequestsPage {
    l: Layout,
    org_id: i64,
    org_name: String,
    can_admin: bool,
    form_code: String,
    form_link: String,
    retention_months: i64,
    rows: Vec<RequestRow>,
    counts: Vec<(&'static str, usize)>,
}

fn labels(codes: &str, table: &[(String, String)]) -> Vec<String> {
    codes
        .split(',')
        .filter(|c| !c.is_empty())
        .map(|c| {
            table
                .iter()
                .find(|(k, _)| k == c)
                .map(|(_, l)| l.clone())
                .unwrap_or_else(|| c.to_string())
        })
        .collect()
}

fn owned(t: &[(&str, &str)]) -> Vec<(String, String)> {
    t.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

async fn requests_page(
    State(state): State<AppState>,
    scoped: OrgScope,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let caller = Caller::User(&scoped.caller.user);
    let list = svc::requests(&state.store, caller, scoped.org.id).await?;
    let form = if scoped.can_admin() {
        Some(svc::request_form(&state.store, caller, scoped.org.id).await?)
    } else {
        None
    };
    let conditions = svc::condition_options()?;
    let (days, shifts) = (owned(svc::DAYS), owned(svc::SHIFTS));
    let rows = list
        .iter()
        .map(|v| {
            let r = &v.record;
            let mut wishes = Vec::new();
            let d = labels(&r.days, &days);
            if !d.is_empty() {
                wishes.push(format!("dagen: {}", d.join(", ")));
            }
            let s = labels(&r.shifts, &shifts);
            if !s.is_empty() {
                wishes.push(format!("diensten: {}", s.join(", ")));
            }
            let c = labels(&r.conditions, &conditions);
            if !c.is_empty() {
                wishes.push(format!("voorwaarden: {}", c.join(", ")));
            }
            RequestRow {
                id: r.id,
                created_on: nl::iso_date(&r.created_on),
                team: v.team.clone().unwrap_or_else(|| "–".into()),
                name: r.name.clone().unwrap_or_else(|| "(verwijderd)".into()),
                contact: r.contact.clone().unwrap_or_default(),
                extra_hours: format!("{} uur", nl::hours(r.extra_hours)),
                wishes: wishes.join("; "),
                status: r.status.label_nl(),
                closed: r.status.is_closed(),
                anonymised: r.anonymised_at.is_some(),
                agreed: r
                    .hours_agreed
                    .map(|h| format!("{} uur", nl::hours(h)))
                    .unwrap_or_default(),
                reason: r.reason.clone().unwrap_or_default(),
                check: v.check.map(|c| c.label_nl()).unwrap_or_default(),
                flagged: v.flagged,
                next: RequestStatus::ALL
                    .iter()
                    .filter(|s| r.status.can_move_to(**s))
                    .map(|s| (s.code(), s.label_nl()))
                    .collect(),
            }
        })
        .collect();
    let counts = RequestStatus::ALL
        .iter()
        .map(|s| {
            (
                s.label_nl(),
                list.iter().filter(|v| v.record.status == *s).count(),
            )
        })
        .collect();
    let l = Layout::new(
        &format!("Verzoeken om meer uren · {}", scoped.org.name),
        "organisaties",
        Some(&scoped.caller),
        &headers,
    );
    let had_flash = l.flash.is_some();
    let public = state.config.public_url.trim_end_matches('/').to_string();
    render(
        &RequestsPage {
            l,
            org_id: scoped.org.id,
            org_name: scoped.org.name.clone(),
            can_admin: scoped.can_admin(),
            form_code: form.as_ref().map(|f| f.code.clone()).unwrap_or_default(),
            form_link: form
                .as_ref()
                .map(|f| format!("{public}/verzoek/{}", f.code))
                .unwrap_or_default(),
            retention_months: form
                .as_ref()
                .map(|f| f.retention_months)
                .unwrap_or(svc::DEFAULT_RETENTION_MONTHS),
            rows,
            counts,
        },
        had_flash,
    )
}

async fn update_form(
    State(state): State<AppState>,
    scoped: OrgScope,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let f = Fields(fields);
    let back = format!("/organisaties/{}/verzoeken", scoped.org.id);
    let months = match optional(&f, "retention_months") {
        None => None,
        Some(m) => match m.parse::<i64>() {
            Ok(m) => Some(m),
            Err(_) => {
                return Ok(redirect_with(
                    &back,
                    false,
                    &format!("Bewaartermijn: '{m}' is geen aantal maanden."),
                ));
            }
        },
    };
    match svc::regenerate_request_form(
        &state.store,
        Caller::User(&scoped.caller.user),
        scoped.org.id,
        months,
        f.get("new_code") == "1",
    )
    .await
    {
        Ok(_) => Ok(redirect_with(&back, true, "Het formulier is bijgewerkt.")),
        Err(e) => flash_error(e, &back),
    }
}

async fn move_request(
    State(state): State<AppState>,
    scoped: OrgScope,
    Path((_, request)): Path<(i64, i64)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let f = Fields(fields);
    let back = format!("/organisaties/{}/verzoeken", scoped.org.id);
    let hours = match optional(&f, "hours_agreed") {
        None => None,
        Some(_) => match number(&f, "hours_agreed", "Afgesproken uren") {
            Ok(h) => Some(h),
            Err(e) => return flash_error(e, &back),
        },
    };
    let m = RequestMove {
        status: f.get("status").to_string(),
        reason: optional(&f, "reason"),
        hours_agreed: hours,
        employee_number: optional(&f, "employee_number"),
    };
    match svc::move_request(
        &state.store,
        Caller::User(&scoped.caller.user),
        scoped.org.id,
        request,
        &m,
        super::today(),
    )
    .await
    {
        Ok(r) => Ok(redirect_with(
            &back,
            true,
            &format!("Verzoek {} staat nu op '{}'.", r.id, r.status.label_nl()),
        )),
        Err(e) => flash_error(e, &back),
    }
}

// ----- the public form ------------------------------------------------------------------

#[derive(Template)]
#[template(path = "impact/public.html")]
struct PublicPage {
    lang: &'static str,
    title: String,
    switch_href: String,
    switch_lang: &'static str,
    switch_label: &'static str,
    code: String,
    csrf: String,
    organisation: String,
    teams: Vec<(i64, String)>,
    days: Vec<(&'static str, &'static str)>,
    shifts: Vec<(&'static str, &'static str)>,
    conditions: Vec<(String, String)>,
    error: String,
    done: bool,
}

/// The double-submit CSRF token of public forms (the login page's cookie).
fn public_csrf(headers: &HeaderMap) -> (String, bool) {
    match auth::read_cookie(headers, auth::LOGIN_CSRF_COOKIE) {
        Some(v) if v.len() == 64 => (v, false),
        _ => (store::new_secret(), true),
    }
}

fn with_csrf_cookie(state: &AppState, mut res: Response, csrf: (&str, bool)) -> Response {
    if csrf.1
        && let Ok(v) = HeaderValue::from_str(&auth::cookie(
            &state.config,
            auth::LOGIN_CSRF_COOKIE,
            csrf.0,
            24 * 3600,
        ))
    {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    res
}

async fn public_view(
    state: &AppState,
    code: &str,
    headers: &HeaderMap,
    error: String,
    done: bool,
) -> Result<Response, PageError> {
    let form = svc::public_form(&state.store, code).await?;
    let (csrf, fresh) = public_csrf(headers);
    let page = PublicPage {
        lang: "nl",
        title: "Jouw contract, een bewuste keuze".into(),
        switch_href: String::new(),
        switch_lang: "en",
        switch_label: "",
        code: code.to_string(),
        csrf: csrf.clone(),
        organisation: form.organisation,
        teams: form.teams,
        days: svc::DAYS.to_vec(),
        shifts: svc::SHIFTS.to_vec(),
        conditions: form.conditions,
        error,
        done,
    };
    let res = render(&page, false)?;
    Ok(with_csrf_cookie(state, res, (&csrf, fresh)))
}

async fn public_page(
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(q): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    public_view(
        &state,
        &code,
        &headers,
        String::new(),
        q.contains_key("verstuurd"),
    )
    .await
}

async fn submit_public(
    State(state): State<AppState>,
    Path(code): Path<String>,
    ClientAddr(addr): ClientAddr,
    headers: HeaderMap,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    // An unknown code is not found before anything is counted or read.
    svc::public_form(&state.store, &code).await?;
    let allowed = app::throttle::LinkThrottle::new(state.store.clone(), &state.config.upload_key)
        .allow(
            &format!("verzoek:{code}"),
            &addr,
            app::throttle::LinkAttempt::Request,
        )
        .await?;
    if !allowed {
        let mut res = public_view(
            &state,
            &code,
            &headers,
            "Er zijn vanaf dit adres te veel verzoeken verstuurd. Probeer het over een uur opnieuw.".into(),
            false,
        )
        .await?;
        *res.status_mut() = axum::http::StatusCode::TOO_MANY_REQUESTS;
        return Ok(res);
    }
    let f = Fields(fields);
    let input = RequestInput {
        extra_hours: f.get("extra_hours").to_string(),
        team_id: f.get("team_id").parse().ok(),
        days: f.all("days").into_iter().map(String::from).collect(),
        shifts: f.all("shifts").into_iter().map(String::from).collect(),
        conditions: f.all("conditions").into_iter().map(String::from).collect(),
        name: f.get("name").to_string(),
        contact: f.get("contact").to_string(),
        consent: f.get("consent") == "ja",
    };
    match svc::submit_request(&state.store, &code, &input, super::today()).await {
        Ok(_) => Ok(
            axum::response::Redirect::to(&format!("/verzoek/{code}?verstuurd=1")).into_response(),
        ),
        Err(e) => match e.user_message() {
            Some(m) => {
                let mut res = public_view(&state, &code, &headers, m, false).await?;
                *res.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
                Ok(res)
            }
            None => Err(e.into()),
        },
    }
}

// ----- the region ------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "impact/region.html")]
struct RegionPage {
    l: Layout,
    region_id: i64,
    region: String,
    as_of: String,
    as_of_iso: String,
    organisations: usize,
    rows: Vec<(String, String, bool)>,
}

#[derive(Template)]
#[template(path = "impact/region_story.html")]
struct RegionStoryPage {
    l: Layout,
    region_id: i64,
    region: String,
    as_of_iso: String,
    body: String,
}

async fn region_story_page(
    State(state): State<AppState>,
    Auth(session): Auth,
    Path(id): Path<i64>,
    Query(q): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let as_of = super::as_of(q.get("peildatum").map(String::as_str))?;
    let doc = svc::region_story(&state.store, &session.user, id, as_of).await?;
    let region = state.store.region(id).await?;
    let l = Layout::new(&doc.title, "regio", Some(&session), &headers);
    let had_flash = l.flash.is_some();
    render(
        &RegionStoryPage {
            l,
            region_id: id,
            region: region.name,
            as_of_iso: as_of.format("%Y-%m-%d").to_string(),
            body: report::doc::to_html(&doc),
        },
        had_flash,
    )
}

async fn region_story_pdf(
    State(state): State<AppState>,
    Auth(session): Auth,
    Path(id): Path<i64>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let as_of = super::as_of(q.get("peildatum").map(String::as_str))?;
    let doc = svc::region_story(&state.store, &session.user, id, as_of).await?;
    match crate::parts::report::render_document_pdf(&state, doc).await {
        Ok(bytes) => {
            let name = format!("impact-regio-{id}-{}.pdf", as_of.format("%Y-%m-%d"));
            Ok(pdf_attachment(&name, bytes))
        }
        Err(problem) => Ok(problem.page_response()),
    }
}

async fn region_page(
    State(state): State<AppState>,
    Auth(session): Auth,
    Path(id): Path<i64>,
    Query(q): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let as_of = super::as_of(q.get("peildatum").map(String::as_str))?;
    let r = svc::region_impact(&state.store, &session.user, id, as_of).await?;
    let rows = r
        .figures
        .iter()
        .map(|f| match (f.value, &f.hidden_reason) {
            (Some(v), _) => (
                f.label.to_string(),
                svc::region_figure_text(f.key, v),
                false,
            ),
            (None, reason) => (
                f.label.to_string(),
                format!(
                    "niet getoond: {}",
                    reason.clone().unwrap_or_else(|| "geen gegevens".into())
                ),
                true,
            ),
        })
        .collect();
    let l = Layout::new(
        &format!("Impact · {}", r.region),
        "regio",
        Some(&session),
        &headers,
    );
    let had_flash = l.flash.is_some();
    render(
        &RegionPage {
            l,
            region_id: r.region_id,
            region: r.region,
            as_of: nl::date(as_of),
            as_of_iso: as_of.format("%Y-%m-%d").to_string(),
            organisations: r.organisations,
            rows,
        },
        had_flash,
    )
}
