//! Learning-network pages: the library, one practice, and an organisation's own practices
//! with the share form.

use std::collections::HashMap;

use askama::Template;
use axum::Form;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::{get, post};
use store::Subsector;
use valuecase::interview::Theme;

use crate::auth::Auth;
use crate::page::{Fields, Layout, PageAction, flash_error, redirect_with, render};
use crate::{AppState, PageError};
use app::access::Caller;
use app::practices::{EFFECT_FILTERS, Filter, LinkForm, PracticeForm, PracticeView, SIZE_BANDS};
use report::nl;

/// The POST actions of the learning-network pages (see [`PageAction`]).
pub const ACTIONS: &[PageAction] = &[
    PageAction::new(
        "/organisaties/{id}/leernetwerk",
        &["POST /organisations/{id}/practices"],
        || post(share),
    ),
    PageAction::new(
        "/organisaties/{id}/leernetwerk/intrekken",
        &["DELETE /practices/{id}"],
        || post(withdraw),
    ),
];

/// The GET routes; the POST routes come from [`ACTIONS`].
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/leernetwerk", get(library))
        .route("/leernetwerk/{id}", get(detail))
        .route("/organisaties/{id}/leernetwerk", get(own))
}

/// One line of a measured effect: what, the figure, or why there is none.
pub struct EffectLine {
    pub label: &'static str,
    pub value: Option<String>,
    pub reason: String,
}

/// A practice as the pages show it.
pub struct Card {
    pub id: i64,
    pub title: String,
    pub organisation: Option<String>,
    pub intervention: String,
    pub theme: String,
    pub subsector: String,
    pub team_type: String,
    pub size_band: String,
    pub started_on: String,
    pub description: String,
    pub teams: String,
    pub links: Vec<LinkForm>,
    pub all_regions: bool,
    pub withdrawn: bool,
    /// `None`: not shown to this reader (regio-lezer).
    pub effects: Option<Vec<EffectLine>>,
}

fn signed(x: f64, decimals: usize) -> String {
    if x > 0.0 {
        format!("+{}", nl::number(x, decimals))
    } else {
        nl::number(x, decimals)
    }
}

fn card(v: PracticeView) -> Card {
    let effects = v.effect.as_ref().map(|e| {
        let why = |r: &Option<String>| r.clone().unwrap_or_default();
        vec![
            EffectLine {
                label: "Contracturen",
                value: e.contract_hours.value.as_ref().map(|h| {
                    format!(
                        "{} contracten groter, samen {} uur per week ({} fte) tussen {} en {}; netto {} uur bij {} medewerkers",
                        h.contracts_grown,
                        nl::number(h.hours_added, 1),
                        nl::number(h.fte_added, 1),
                        nl::date(h.from),
                        nl::date(h.to),
                        signed(h.net_hours, 1),
                        h.employees
                    )
                }),
                reason: why(&e.contract_hours.reason),
            },
            EffectLine {
                label: "PNIL-kosten per maand (gemiddelde van 3 maanden)",
                value: e.pnil.value.as_ref().map(|p| {
                    format!(
                        "{} vóór ({} t/m {}), {} na ({} t/m {}): {}",
                        nl::euro_cents(p.before_avg_cents),
                        p.before[0],
                        p.before[1],
                        nl::euro_cents(p.after_avg_cents),
                        p.after[0],
                        p.after[1],
                        if p.change_cents <= 0 {
                            format!("{} minder", nl::euro_cents(-p.change_cents))
                        } else {
                            format!("{} meer", nl::euro_cents(p.change_cents))
                        }
                    )
                }),
                reason: why(&e.pnil.reason),
            },
            EffectLine {
                label: "Opkomstmomenten per medewerker",
                value: e.opkomstmomenten.value.as_ref().map(|o| {
                    format!(
                        "{} in de roosterscan van {}, {} in die van {} ({})",
                        nl::number(o.before_per_employee, 1),
                        nl::date(o.before_on),
                        nl::number(o.after_per_employee, 1),
                        nl::date(o.after_on),
                        signed(o.change, 1)
                    )
                }),
                reason: why(&e.opkomstmomenten.reason),
            },
        ]
    });
    Card {
        id: v.id,
        title: v.title,
        organisation: v.organisation,
        intervention: v.intervention_name,
        theme: v.theme_label,
        subsector: v.subsector_label,
        team_type: v.team_type,
        size_band: v.size_band_label,
        started_on: nl::iso_date(&v.started_on),
        description: v.description,
        teams: if v.teams.is_empty() {
            "hele organisatie".into()
        } else {
            v.teams.join(", ")
        },
        links: v.links,
        all_regions: v.all_regions,
        withdrawn: v.withdrawn,
        effects,
    }
}

#[derive(Template)]
#[template(path = "network/library.html")]
struct LibraryPage {
    l: Layout,
    cards: Vec<Card>,
    filter: Filter,
    themes: Vec<(&'static str, &'static str)>,
    interventions: Vec<(String, String)>,
    subsectors: Vec<(&'static str, &'static str)>,
    effects: Vec<(&'static str, &'static str)>,
    own_org: Option<i64>,
}

impl LibraryPage {
    fn chosen(&self, which: &str, code: &str) -> bool {
        let v = match which {
            "theme" => &self.filter.theme,
            "intervention" => &self.filter.intervention,
            "subsector" => &self.filter.subsector,
            _ => &self.filter.effect,
        };
        v.as_deref() == Some(code)
    }
    fn q(&self) -> &str {
        self.filter.q.as_deref().unwrap_or("")
    }
}

fn filter_from(q: &HashMap<String, String>) -> Filter {
    let get = |k: &str| {
        q.get(k)
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
    };
    Filter {
        theme: get("thema"),
        intervention: get("interventie"),
        subsector: get("sector"),
        effect: get("effect"),
        q: get("zoek"),
    }
}

async fn library(
    State(state): State<AppState>,
    Auth(session): Auth,
    Query(q): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let filter = filter_from(&q);
    let found = app::practices::library(&state.store, Caller::User(&session.user), &filter).await?;
    let l = Layout::new("Leernetwerk", "leernetwerk", Some(&session), &headers);
    let had_flash = l.flash.is_some();
    render(
        &LibraryPage {
            l,
            cards: found.into_iter().map(card).collect(),
            filter,
            themes: Theme::ALL.iter().map(|t| (t.code(), t.label())).collect(),
            interventions: app::practices::intervention_choices()?,
            subsectors: Subsector::ALL
                .iter()
                .map(|s| (s.code(), s.label()))
                .collect(),
            effects: EFFECT_FILTERS.to_vec(),
            own_org: session
                .user
                .org_id
                .filter(|o| app::access::can_admin_org(&session.user, *o)),
        },
        had_flash,
    )
}

#[derive(Template)]
#[template(path = "network/detail.html")]
struct DetailPage {
    l: Layout,
    c: Card,
}

async fn detail(
    State(state): State<AppState>,
    Auth(session): Auth,
    Path(id): Path<i64>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let v = app::practices::practice(&state.store, Caller::User(&session.user), id).await?;
    let l = Layout::new(&v.title, "leernetwerk", Some(&session), &headers);
    let had_flash = l.flash.is_some();
    render(&DetailPage { l, c: card(v) }, had_flash)
}

#[derive(Template)]
#[template(path = "network/own.html")]
struct OwnPage {
    l: Layout,
    org_id: i64,
    org_name: String,
    subsector: String,
    cards: Vec<Card>,
    themes: Vec<(&'static str, &'static str)>,
    interventions: Vec<(String, String)>,
    subsectors: Vec<(&'static str, &'static str)>,
    size_bands: Vec<(&'static str, &'static str)>,
    teams: Vec<(i64, String)>,
    can_share: bool,
}

async fn own(
    State(state): State<AppState>,
    Auth(session): Auth,
    Path(id): Path<i64>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let caller = Caller::User(&session.user);
    let list = app::practices::of_organisation(&state.store, caller, id).await?;
    let org = state.store.organisation(id).await?;
    let l = Layout::new(
        &format!("Leernetwerk · {}", org.name),
        "organisaties",
        Some(&session),
        &headers,
    );
    let had_flash = l.flash.is_some();
    render(
        &OwnPage {
            l,
            org_id: id,
            subsector: org.subsector.code().to_string(),
            org_name: org.name,
            cards: list.into_iter().map(card).collect(),
            themes: Theme::ALL.iter().map(|t| (t.code(), t.label())).collect(),
            interventions: app::practices::intervention_choices()?,
            subsectors: Subsector::ALL
                .iter()
                .map(|s| (s.code(), s.label()))
                .collect(),
            size_bands: SIZE_BANDS.to_vec(),
            teams: state
                .store
                .teams(id)
                .await?
                .into_iter()
                .map(|t| (t.id, t.name))
                .collect(),
            can_share: session.user.org_id == Some(id),
        },
        had_flash,
    )
}

fn practice_form(f: &Fields) -> PracticeForm {
    let labels = f.all("link_label");
    PracticeForm {
        title: f.get("title").to_string(),
        intervention: f.get("intervention").to_string(),
        theme: f.get("theme").to_string(),
        description: f.get("description").to_string(),
        subsector: f.get("subsector").to_string(),
        team_type: f.get("team_type").to_string(),
        size_band: f.get("size_band").to_string(),
        started_on: f.get("started_on").to_string(),
        team_ids: f.ids("team_ids"),
        links: f
            .all("link_url")
            .iter()
            .enumerate()
            .filter(|(_, u)| !u.trim().is_empty())
            .map(|(i, u)| LinkForm {
                label: labels.get(i).copied().unwrap_or_default().to_string(),
                url: (*u).to_string(),
            })
            .collect(),
        all_regions: f.get("all_regions") == "ja",
        consent: f.get("consent") == "ja",
    }
}

async fn share(
    State(state): State<AppState>,
    Auth(session): Auth,
    Path(id): Path<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let caller = Caller::User(&session.user);
    caller.require_admin_org(id)?;
    let back = format!("/organisaties/{id}/leernetwerk");
    match app::practices::share(&state.store, caller, id, &practice_form(&Fields(fields))).await {
        Ok(p) => Ok(redirect_with(
            &format!("/leernetwerk/{}", p.id),
            true,
            "Het praktijkvoorbeeld is gedeeld met het leernetwerk.",
        )),
        Err(app::AppError::Forbidden) => Err(PageError::Forbidden),
        Err(e) => flash_error(e, &back),
    }
}

async fn withdraw(
    State(state): State<AppState>,
    Auth(session): Auth,
    Path(id): Path<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let caller = Caller::User(&session.user);
    caller.require_admin_org(id)?;
    let back = format!("/organisaties/{id}/leernetwerk");
    let fields = Fields(fields);
    let Ok(practice) = fields.get("practice_id").trim().parse::<i64>() else {
        return Ok(redirect_with(
            &back,
            false,
            "Kies het praktijkvoorbeeld dat u wilt intrekken.",
        ));
    };
    match app::practices::withdraw(&state.store, caller, id, practice).await {
        Ok(()) => Ok(redirect_with(
            &back,
            true,
            "Het praktijkvoorbeeld is ingetrokken en is nergens meer te zien.",
        )),
        Err(e) => flash_error(e, &back),
    }
}
