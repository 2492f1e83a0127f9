//! Results of a round: headlines and the aggregated tables from crate `survey` (the same
//! tables as the CSV and XLSX exports, so a page never shows more than an export), and the
//! raw anonymous export for the programme admin.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use report::nl;
use survey::export::{Table, TableCell};

use crate::auth::{Auth, Session};
use crate::page::Layout;
use crate::{AppState, PageError};
use app::survey as svc;

pub struct Headline {
    pub label: String,
    pub value: String,
}

pub struct TableView {
    pub caption: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<CellView>>,
}

pub struct CellView {
    pub text: String,
    pub numeric: bool,
    pub hidden: bool,
}

pub fn cell_view(c: &TableCell) -> CellView {
    let (text, numeric, hidden) = match c {
        TableCell::Text(s) => (s.clone(), false, false),
        TableCell::Int(n) => (nl::number(*n as f64, 0), true, false),
        TableCell::Number(x) => (nl::number(*x, 1), true, false),
        TableCell::Percent(x) => (nl::percent(*x, 1), true, false),
        TableCell::Suppressed => ("—".into(), true, true),
        TableCell::Empty => (String::new(), false, false),
    };
    CellView {
        text,
        numeric,
        hidden,
    }
}

fn table_view(t: &Table, caption: &str) -> TableView {
    TableView {
        caption: caption.into(),
        headers: t.headers.clone(),
        rows: t
            .rows
            .iter()
            .map(|r| r.iter().map(cell_view).collect())
            .collect(),
    }
}

#[derive(Template)]
#[template(path = "survey/results.html")]
struct ResultsPage {
    l: Layout,
    org: store::Organisation,
    round: store::SurveyRound,
    suppressed: bool,
    manager_view: bool,
    headlines: Vec<Headline>,
    tables: Vec<TableView>,
    is_programme_admin: bool,
    min_group_size: u64,
    /// The round is closed and its results released.
    released: bool,
    import_note: String,
    free_texts: Vec<FreeTextView>,
}

pub struct FreeTextView {
    pub question: String,
    pub answers: Vec<String>,
}

pub async fn show(
    State(state): State<AppState>,
    Auth(session): Auth,
    Path(id): Path<i64>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let (html, had_flash) = page_html(&state, &session, &headers, id).await?;
    Ok(crate::page::html_response(html, had_flash))
}

/// The results page of round `id` as `session`'s user sees it, and whether it showed a
/// flash message (the handler then clears the cookie). Used by the handler and by
/// `urenwinst bench survey-results`.
pub async fn page_html(
    state: &AppState,
    session: &Session,
    headers: &HeaderMap,
    id: i64,
) -> Result<(String, bool), PageError> {
    let ctx = svc::round_for(&state.store, &session.user, id).await?;
    svc::require_results_access(&session.user, ctx.org.id)?;
    let import_note = if ctx.round.import_round {
        svc::IMPORT_NOTE.to_string()
    } else {
        String::new()
    };
    if ctx.round.status != "gesloten" {
        // Not released: nothing is computed while the round runs.
        let l = Layout::new(&ctx.round.name, "organisaties", Some(session), headers);
        let had_flash = l.flash.is_some();
        let page = ResultsPage {
            is_programme_admin: app::access::is_programme_admin(&session.user),
            manager_view: session.user.role == store::Role::Manager,
            suppressed: false,
            min_group_size: svc::policy(&ctx.org, &ctx.round).k(),
            l,
            org: ctx.org,
            round: ctx.round,
            headlines: vec![],
            tables: vec![],
            released: false,
            import_note,
            free_texts: vec![],
        };
        return Ok((page.render()?, had_flash));
    }
    let results = svc::results_for(&state.store, &session.user, &ctx).await?;
    let q = svc::questionnaire(&ctx.round)?;
    let mut headlines = Vec::new();
    let mut free_texts = Vec::new();
    if let Some(f) = &results.figures {
        let g = &f.group;
        headlines.push(Headline {
            label: "Aantal ingevulde vragenlijsten".into(),
            value: nl::number(g.respondents as f64, 0),
        });
        if let Some(r) = g.response_rate {
            headlines.push(Headline {
                label: "Respons".into(),
                value: nl::percent(r, 0),
            });
        }
        if let (Some(s), Some(ci)) = (g.open_share, g.open_share_ci95) {
            headlines.push(Headline {
                label: "Staat open voor een groter contract".into(),
                value: format!(
                    "{} (95%-betrouwbaarheidsinterval {} tot {})",
                    nl::percent(s, 0),
                    nl::percent(ci[0], 0),
                    nl::percent(ci[1], 0)
                ),
            });
        }
        if let Some(h) = g
            .desired_extra_hours
            .as_ref()
            .and_then(|d| d.figures.as_ref())
            .and_then(|d| d.hours.figures.as_ref())
        {
            headlines.push(Headline {
                label: "Gewenste extra uren per week (samen)".into(),
                value: format!(
                    "{} uur = {} fte (voltijd {} uur); gemiddeld {} uur per persoon die meer wil",
                    nl::number(h.total, 1),
                    nl::number(h.fte, 2),
                    nl::number(h.full_time_hours, 0),
                    nl::number(h.mean, 1)
                ),
            });
        }
        for ft in &f.free_text {
            if let Some(answers) = &ft.answers {
                free_texts.push(FreeTextView {
                    question: q
                        .question(&ft.question)
                        .map(|qq| qq.text.nl.clone())
                        .unwrap_or_else(|| ft.question.clone()),
                    answers: answers.clone(),
                });
            }
        }
        for (label, list) in [
            ("Belangrijkste voorwaarden", &f.top_conditions),
            ("Belangrijkste belemmeringen", &f.top_obstacles),
        ] {
            if !list.is_empty() {
                headlines.push(Headline {
                    label: label.into(),
                    value: list
                        .iter()
                        .map(|o| format!("{} ({})", o.label.nl, nl::percent(o.share.share, 0)))
                        .collect::<Vec<_>>()
                        .join(" · "),
                });
            }
        }
    }
    let tables = svc::tables(&ctx.round, &q, &results);
    let n = tables.len();
    let views = vec![
        table_view(&tables[n - 2], "Kerncijfers per groep"),
        table_view(&tables[n - 1], "Antwoorden per vraag"),
    ];
    let l = Layout::new(&ctx.round.name, "organisaties", Some(session), headers);
    let had_flash = l.flash.is_some();
    let page = ResultsPage {
        is_programme_admin: app::access::is_programme_admin(&session.user),
        manager_view: session.user.role == store::Role::Manager,
        suppressed: results.suppressed,
        min_group_size: results.min_group_size,
        l,
        org: ctx.org,
        round: ctx.round,
        headlines,
        tables: views,
        released: true,
        import_note,
        free_texts,
    };
    Ok((page.render()?, had_flash))
}

pub async fn csv(
    State(state): State<AppState>,
    Auth(session): Auth,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let ctx = svc::round_for(&state.store, &session.user, id).await?;
    let results = svc::results_for(&state.store, &session.user, &ctx).await?;
    let q = svc::questionnaire(&ctx.round)?;
    let csv = svc::tables_csv(&svc::tables(&ctx.round, &q, &results))?;
    Ok(super::pages::download(
        "text/csv; charset=utf-8",
        &format!(
            "resultaten-{}.csv",
            super::pages::file_stem(&ctx.round.name)
        ),
        csv.into_bytes(),
    ))
}

pub async fn xlsx(
    State(state): State<AppState>,
    Auth(session): Auth,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let ctx = svc::round_for(&state.store, &session.user, id).await?;
    let results = svc::results_for(&state.store, &session.user, &ctx).await?;
    let q = svc::questionnaire(&ctx.round)?;
    let bytes = svc::tables_xlsx(&svc::tables(&ctx.round, &q, &results))?;
    Ok(super::pages::download(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        &format!(
            "resultaten-{}.xlsx",
            super::pages::file_stem(&ctx.round.name)
        ),
        bytes,
    ))
}

pub async fn raw(
    State(state): State<AppState>,
    Auth(session): Auth,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let ctx = svc::round_for(&state.store, &session.user, id).await?;
    let csv = svc::raw_csv(&state.store, &session.user, &ctx).await?;
    Ok(super::pages::download(
        "text/csv; charset=utf-8",
        &format!(
            "ruwe-antwoorden-{}.csv",
            super::pages::file_stem(&ctx.round.name)
        ),
        csv.into_bytes(),
    ))
}
