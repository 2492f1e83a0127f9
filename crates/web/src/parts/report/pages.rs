//! Dutch pages of Fase 0's report part: the Value Case (round and snapshot chosen in the
//! query, a print stylesheet, the PDF download and "Delen met de organisatie"), the Fase 0
//! interview (read by the organisation, edited by the programme and the organisation's
//! admins), and the Fase 0 checklist of one organisation and, for the programme, of all.

use std::collections::HashMap;

use askama::Template;
use axum::Form;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::{get, post};
use valuecase::checklist::Checklist;
use valuecase::interview::{Interview, InterviewItem, ItemKind, Theme};

use crate::auth::Auth;
use crate::page::{Fields, Layout, PageAction, flash_error, redirect_with, render};
use crate::{AppState, PageError};
use app::access::{self, Caller};
use app::value_case;

/// The POST actions of the report pages (see [`PageAction`]).
pub const ACTIONS: &[PageAction] = &[
    PageAction::new(
        "/organisaties/{id}/interview",
        &["PUT /organisations/{id}/interview"],
        || post(save_interview),
    ),
    PageAction::new(
        "/organisaties/{id}/value-case/delen",
        &["POST /organisations/{id}/value-case/shares"],
        || post(share),
    ),
];

/// The GET routes of the report pages; the POST routes come from [`ACTIONS`].
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/organisaties/{id}/value-case", get(value_case_page))
        .route("/organisaties/{id}/value-case.pdf", get(value_case_pdf))
        .route("/organisaties/{id}/interview", get(interview_page))
        .route("/organisaties/{id}/fase0", get(checklist_page))
        .route("/fase0", get(overview_page))
}

/// One item row of the interview form.
struct ItemRow {
    kind: &'static str,
    theme: &'static str,
    text: String,
    quote: String,
    who: String,
    in_report: bool,
}

impl ItemRow {
    fn blank() -> ItemRow {
        ItemRow {
            kind: ItemKind::Kans.code(),
            theme: Theme::Rooster.code(),
            text: String::new(),
            quote: String::new(),
            who: String::new(),
            in_report: true,
        }
    }
}

/// Empty rows offered under the recorded items, for new ones.
const BLANK_ROWS: usize = 3;

#[derive(Template)]
#[template(path = "report/interview.html")]
struct InterviewPage {
    l: Layout,
    org_id: i64,
    org_name: String,
    can_edit: bool,
    recorded: bool,
    held_on: String,
    participants: String,
    contract_policy: String,
    roster_practice: String,
    flex_pnil: String,
    earlier_initiatives: String,
    items: Vec<ItemRow>,
    kinds: Vec<(&'static str, &'static str)>,
    themes: Vec<(&'static str, &'static str)>,
}

impl InterviewPage {
    fn kind_label(&self, code: &str) -> &'static str {
        self.kinds
            .iter()
            .find(|(c, _)| *c == code)
            .map_or("", |(_, l)| l)
    }
    fn theme_label(&self, code: &str) -> &'static str {
        self.themes
            .iter()
            .find(|(c, _)| *c == code)
            .map_or("", |(_, l)| l)
    }
}

async fn interview_page(
    State(state): State<AppState>,
    Auth(session): Auth,
    Path(id): Path<i64>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let caller = Caller::User(&session.user);
    let interview = value_case::interview(&state.store, caller, id).await?;
    let org = state.store.organisation(id).await?;
    let can_edit = access::require_value_case_edit(&session.user, id).is_ok();
    let l = Layout::new(
        &format!("Interview · {}", org.name),
        "organisaties",
        Some(&session),
        &headers,
    );
    let recorded = interview.is_some();
    let i = interview.unwrap_or_default();
    let mut items: Vec<ItemRow> = i
        .items
        .iter()
        .map(|x| ItemRow {
            kind: x.kind.code(),
            theme: x.theme.code(),
            text: x.text.clone(),
            quote: x.quote.clone().unwrap_or_default(),
            who: x.who.clone(),
            in_report: x.in_report,
        })
        .collect();
    if can_edit {
        items.extend((0..BLANK_ROWS).map(|_| ItemRow::blank()));
    }
    let had_flash = l.flash.is_some();
    render(
        &InterviewPage {
            l,
            org_id: id,
            org_name: org.name,
            can_edit,
            recorded,
            held_on: i
                .held_on
                .map(|d| d.format("%Y-%m-%d").to_string())
                .unwrap_or_default(),
            participants: i.participants,
            contract_policy: i.contract_policy,
            roster_practice: i.roster_practice,
            flex_pnil: i.flex_pnil,
            earlier_initiatives: i.earlier_initiatives,
            items,
            kinds: ItemKind::ALL
                .iter()
                .map(|k| (k.code(), k.label()))
                .collect(),
            themes: Theme::ALL.iter().map(|t| (t.code(), t.label())).collect(),
        },
        had_flash,
    )
}

/// The interview as submitted by the form: rows with an empty description are left out
/// (that is how an item is removed).
fn interview_from_form(f: &Fields) -> Result<Interview, PageError> {
    let held_on = match f.get("held_on").trim() {
        "" => None,
        s => Some(
            chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| {
                PageError::BadRequest(format!("Datum van het interview: '{s}' is geen datum."))
            })?,
        ),
    };
    let kinds = f.all("item_kind");
    let themes = f.all("item_theme");
    let texts = f.all("item_text");
    let quotes = f.all("item_quote");
    let whos = f.all("item_who");
    let reports = f.all("item_report");
    let n = texts.len();
    if [
        kinds.len(),
        themes.len(),
        quotes.len(),
        whos.len(),
        reports.len(),
    ]
    .iter()
    .any(|&len| len != n)
    {
        return Err(PageError::BadRequest(
            "Het formulier is niet volledig verstuurd. Laad de pagina opnieuw.".into(),
        ));
    }
    let mut items = Vec::new();
    for row in 0..n {
        if texts[row].trim().is_empty() {
            continue;
        }
        let bad = |what: &str| {
            PageError::BadRequest(format!("Regel {}: kies een geldige {what}.", row + 1))
        };
        items.push(InterviewItem {
            kind: kinds[row].parse().map_err(|_| bad("soort"))?,
            theme: themes[row].parse().map_err(|_| bad("thema"))?,
            text: texts[row].to_string(),
            quote: Some(quotes[row].to_string()).filter(|q| !q.trim().is_empty()),
            who: whos[row].to_string(),
            in_report: reports[row] == "ja",
        });
    }
    Ok(Interview {
        held_on,
        participants: f.get("participants").into(),
        contract_policy: f.get("contract_policy").into(),
        roster_practice: f.get("roster_practice").into(),
        flex_pnil: f.get("flex_pnil").into(),
        earlier_initiatives: f.get("earlier_initiatives").into(),
        items,
    })
}

async fn save_interview(
    State(state): State<AppState>,
    Auth(session): Auth,
    Path(id): Path<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let back = format!("/organisaties/{id}/interview");
    let interview = match interview_from_form(&Fields(fields)) {
        Ok(i) => i,
        Err(e) => return flash_error(e, &back),
    };
    match value_case::save_interview(&state.store, Caller::User(&session.user), id, interview).await
    {
        Ok(saved) => Ok(redirect_with(
            &back,
            true,
            &format!(
                "Het interview is opgeslagen ({} kansen en belemmeringen).",
                saved.items.len()
            ),
        )),
        Err(e) => flash_error(e, &back),
    }
}

/// One step of a checklist as shown.
struct StepView {
    label: &'static str,
    state: &'static str,
    state_label: &'static str,
    detail: String,
}

fn steps(c: &Checklist) -> Vec<StepView> {
    c.steps
        .iter()
        .map(|s| StepView {
            label: s.label,
            state: match s.state {
                valuecase::checklist::StepState::Klaar => "klaar",
                valuecase::checklist::StepState::Bezig => "bezig",
                valuecase::checklist::StepState::Open => "open",
            },
            state_label: s.state.label(),
            detail: s.detail.clone(),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "report/checklist.html")]
struct ChecklistPage {
    l: Layout,
    org_id: i64,
    org_name: String,
    steps: Vec<StepView>,
    done: usize,
    total: usize,
}

async fn checklist_page(
    State(state): State<AppState>,
    Auth(session): Auth,
    Path(id): Path<i64>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let c = value_case::checklist(&state.store, Caller::User(&session.user), id).await?;
    let org = state.store.organisation(id).await?;
    let l = Layout::new(
        &format!("Fase 0 · {}", org.name),
        "organisaties",
        Some(&session),
        &headers,
    );
    let had_flash = l.flash.is_some();
    render(
        &ChecklistPage {
            l,
            org_id: id,
            org_name: org.name,
            total: c.steps.len(),
            done: c.done,
            steps: steps(&c),
        },
        had_flash,
    )
}

struct OverviewRow {
    org_id: i64,
    org_name: String,
    steps: Vec<StepView>,
    done: usize,
}

#[derive(Template)]
#[template(path = "report/overview.html")]
struct OverviewPage {
    l: Layout,
    labels: Vec<&'static str>,
    rows: Vec<OverviewRow>,
    total: usize,
}

async fn overview_page(
    State(state): State<AppState>,
    Auth(session): Auth,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let all = value_case::checklists(&state.store, Caller::User(&session.user)).await?;
    let l = Layout::new("Fase 0-checklist", "fase0", Some(&session), &headers);
    let labels: Vec<&'static str> = all
        .first()
        .map(|(_, c)| c.steps.iter().map(|s| s.label).collect())
        .unwrap_or_default();
    let rows = all
        .iter()
        .map(|(org, c)| OverviewRow {
            org_id: org.id,
            org_name: org.name.clone(),
            steps: steps(c),
            done: c.done,
        })
        .collect();
    let had_flash = l.flash.is_some();
    render(
        &OverviewPage {
            l,
            total: labels.len(),
            labels,
            rows,
        },
        had_flash,
    )
}

#[derive(Template)]
#[template(path = "report/value_case.html")]
struct ValueCasePage {
    l: Layout,
    org_id: i64,
    org_name: String,
    /// (id, "name (gesloten 04-10-2026)")
    rounds: Vec<(i64, String)>,
    /// (ISO, Dutch)
    snapshots: Vec<(String, String)>,
    round_id: i64,
    snapshot: String,
    refused: Option<String>,
    has_report: bool,
    query: String,
    can_share: bool,
    shares: Vec<String>,
    body: String,
}

/// The page's selection from its query (`ronde`, `peildatum`).
fn page_selection(
    q: &HashMap<String, String>,
) -> Result<(Option<i64>, Option<chrono::NaiveDate>), app::AppError> {
    super::api::selection(
        q.get("ronde").map(String::as_str),
        q.get("peildatum").map(String::as_str),
    )
}

async fn value_case_page(
    State(state): State<AppState>,
    Auth(session): Auth,
    Path(id): Path<i64>,
    Query(q): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let caller = Caller::User(&session.user);
    let choices = value_case::choices(&state.store, caller, id).await?;
    let org = state.store.organisation(id).await?;
    let l = Layout::new(
        &format!("Value Case · {}", org.name),
        "organisaties",
        Some(&session),
        &headers,
    );
    let mut refused = None;
    let mut vc = None;
    match page_selection(&q) {
        Err(e) => refused = Some(e.to_string()),
        Ok((round, snapshot)) if choices.default_round.is_some() || round.is_some() => {
            match value_case::assemble(&state.store, caller, id, round, snapshot, super::today())
                .await
            {
                Ok(v) => vc = Some(v),
                Err(e @ (app::AppError::Invalid { .. } | app::AppError::BadRequest(_))) => {
                    refused = Some(e.to_string())
                }
                Err(e) => return Err(e.into()),
            }
        }
        Ok(_) => {}
    }
    let (round_id, snapshot, body, query) = match &vc {
        Some(v) => {
            value_case::record_generated(&state.store, caller, v, "html").await?;
            let snapshot = v.snapshot.peildatum.format("%Y-%m-%d").to_string();
            (
                v.round.id,
                snapshot.clone(),
                report::to_html(&valuecase::document::document(v)),
                format!("ronde={}&peildatum={snapshot}", v.round.id),
            )
        }
        None => (
            choices.default_round.unwrap_or_default(),
            choices
                .default_snapshot
                .map(|d| d.format("%Y-%m-%d").to_string())
                .unwrap_or_default(),
            String::new(),
            String::new(),
        ),
    };
    let mut shares = Vec::new();
    for s in value_case::shares(&state.store, caller, id).await? {
        let who = match s.shared_by {
            Some(uid) => state
                .store
                .user(uid)
                .await
                .map(|u| u.name)
                .unwrap_or_else(|_| "een verwijderd account".into()),
            None => "de beheerder (opdrachtregel)".into(),
        };
        shares.push(format!(
            "{} door {who}",
            report::nl::datetime_unix(s.shared_at)
        ));
    }
    let had_flash = l.flash.is_some();
    render(
        &ValueCasePage {
            l,
            org_id: id,
            org_name: org.name,
            rounds: choices
                .rounds
                .iter()
                .map(|r| {
                    (
                        r.id,
                        format!("{} (gesloten {})", r.name, report::nl::date(r.closes_on)),
                    )
                })
                .collect(),
            snapshots: choices
                .snapshots
                .iter()
                .map(|d| (d.format("%Y-%m-%d").to_string(), report::nl::date(*d)))
                .collect(),
            round_id,
            snapshot,
            refused,
            has_report: vc.is_some(),
            query,
            can_share: vc.is_some() && access::require_value_case_edit(&session.user, id).is_ok(),
            shares,
            body,
        },
        had_flash,
    )
}

async fn share(
    State(state): State<AppState>,
    Auth(session): Auth,
    Path(id): Path<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let f = Fields(fields);
    let caller = Caller::User(&session.user);
    let (round, snapshot) =
        match super::api::selection(Some(f.get("ronde")), Some(f.get("peildatum"))) {
            Ok(x) => x,
            Err(e) => return flash_error(e, &format!("/organisaties/{id}/value-case")),
        };
    let back = match (round, snapshot) {
        (Some(r), Some(s)) => format!("/organisaties/{id}/value-case?ronde={r}&peildatum={s}"),
        _ => format!("/organisaties/{id}/value-case"),
    };
    let vc = match value_case::assemble(&state.store, caller, id, round, snapshot, super::today())
        .await
    {
        Ok(v) => v,
        Err(e) => return flash_error(e, &back),
    };
    match value_case::share(&state.store, caller, &vc).await {
        Ok(_) => Ok(redirect_with(
            &back,
            true,
            "De Value Case is gedeeld met de organisatie.",
        )),
        Err(e) => flash_error(e, &back),
    }
}

async fn value_case_pdf(
    State(state): State<AppState>,
    Auth(session): Auth,
    Path(id): Path<i64>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let caller = Caller::User(&session.user);
    let (round, snapshot) = page_selection(&q)?;
    let vc =
        value_case::assemble(&state.store, caller, id, round, snapshot, super::today()).await?;
    match super::render_pdf(&state, &vc).await {
        Ok(bytes) => {
            value_case::record_generated(&state.store, caller, &vc, "pdf").await?;
            Ok(super::pdf_response(&vc, bytes))
        }
        Err(problem) => Ok(problem.page_response()),
    }
}
