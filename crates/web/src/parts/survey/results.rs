//! Results of a round as a report (issue 33): headlines, one explanation of hidden
//! figures, per question a chart (shares with their 95% intervals) with the numbers beside
//! it and the breakdown by group folded under it, and the key figures per group (folded).
//! Everything comes from the aggregated tables of crate `survey` (the same tables as the
//! CSV and XLSX exports, so the page never shows more than an export). Also the exports
//! and the raw anonymous export for the programme admin.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use report::nl;
use survey::export::{Table, TableCell};
use survey::{QuestionKind, Questionnaire, SurveyResults};

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

fn text_cell(s: impl Into<String>) -> CellView {
    CellView {
        text: s.into(),
        numeric: false,
        hidden: false,
    }
}

fn num_cell(s: impl Into<String>) -> CellView {
    CellView {
        text: s.into(),
        numeric: true,
        hidden: false,
    }
}

fn hidden_cell() -> CellView {
    cell_view(&TableCell::Suppressed)
}

/// The Dutch name of a breakdown dimension as the export writes it.
fn dimension_label(key: &str) -> &str {
    match key {
        "organisatie" => "Hele organisatie",
        "team" => "Team",
        "function_level" => "Functieniveau",
        "contract_hours_band" => "Contracturen per week",
        "age_band" => "Leeftijd",
        other => other,
    }
}

/// The page's names of groups: the export writes keys (`tot_12`), the page the Dutch
/// labels of the analysis ("Minder dan 12 uur"). Labels only; no figure comes from here.
fn group_labels(results: &SurveyResults) -> BTreeMap<(String, String), String> {
    let mut out = BTreeMap::new();
    out.insert(
        ("organisatie".to_string(), "totaal".to_string()),
        "Hele organisatie".to_string(),
    );
    for b in &results.breakdowns {
        let dim = serde_json::to_value(b.dimension)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        for g in &b.groups {
            out.insert((dim.clone(), g.group.clone()), g.label.nl.clone());
        }
    }
    out
}

/// The headline table with Dutch names for dimensions and groups.
fn headline_view(t: &Table, labels: &BTreeMap<(String, String), String>) -> TableView {
    TableView {
        caption: "Kerncijfers per groep".into(),
        headers: t.headers.clone(),
        rows: t
            .rows
            .iter()
            .map(|r| {
                let mut cells: Vec<CellView> = r.iter().map(cell_view).collect();
                if let (Some(TableCell::Text(dim)), Some(TableCell::Text(group))) =
                    (r.first(), r.get(1))
                {
                    if let Some(l) = labels.get(&(dim.clone(), group.clone())) {
                        cells[1].text = l.clone();
                    }
                    cells[0].text = dimension_label(dim).to_string();
                }
                cells
            })
            .collect(),
    }
}

/// One question of the report: a chart with the numbers beside it, and the breakdown
/// (folded on the page).
pub struct QuestionView {
    pub anchor: String,
    pub text: String,
    /// How to read the figures ("meer antwoorden mogelijk", the ends of a scale).
    pub note: String,
    /// Answered by how many (or a hidden cell).
    pub answered: CellView,
    /// An SVG chart (empty for number questions).
    pub chart: String,
    pub numbers: TableView,
    /// The breakdown by group: rows per group, under a row per dimension.
    pub breakdown: Option<BreakdownView>,
}

pub struct BreakdownView {
    pub headers: Vec<String>,
    pub sections: Vec<BreakdownSection>,
}

pub struct BreakdownSection {
    pub dimension: String,
    pub rows: Vec<(String, Vec<CellView>)>,
}

// Columns of the answers table (crate survey, `export::answers_table`).
const C_DIM: usize = 0;
const C_GROUP: usize = 1;
const C_QUESTION: usize = 2;
const C_COUNT: usize = 6;
const C_SHARE: usize = 7;
const C_LOW: usize = 8;
const C_HIGH: usize = 9;
const C_N: usize = 10;
const C_MEAN: usize = 11;
const C_MEDIAN: usize = 12;
const C_TOTAL: usize = 13;

fn text_of(c: Option<&TableCell>) -> &str {
    match c {
        Some(TableCell::Text(s)) => s,
        _ => "",
    }
}

fn share_text(c: &TableCell) -> CellView {
    match c {
        TableCell::Percent(x) => num_cell(nl::percent(*x, 0)),
        other => cell_view(other),
    }
}

/// The report per question, built only from the answers table that the CSV and XLSX
/// exports write (so the page shows nothing an export hides): the organisation's rows
/// give the chart and the numbers, the other groups' rows the breakdown.
pub fn question_views(
    q: &Questionnaire,
    answers: &Table,
    labels: &BTreeMap<(String, String), String>,
) -> Vec<QuestionView> {
    // Rows per question, per group in table order.
    let mut groups: Vec<(String, String)> = Vec::new();
    let mut rows: BTreeMap<(String, String, String), Vec<&Vec<TableCell>>> = BTreeMap::new();
    for r in &answers.rows {
        let key = (
            text_of(r.get(C_DIM)).to_string(),
            text_of(r.get(C_GROUP)).to_string(),
        );
        if !groups.contains(&key) {
            groups.push(key.clone());
        }
        rows.entry((key.0, key.1, text_of(r.get(C_QUESTION)).to_string()))
            .or_default()
            .push(r);
    }
    let org = ("organisatie".to_string(), "totaal".to_string());
    let mut out = Vec::new();
    for (qi, question) in q.questions.iter().enumerate() {
        let row_of = |g: &(String, String)| {
            rows.get(&(g.0.clone(), g.1.clone(), question.id.clone()))
                .cloned()
                .unwrap_or_default()
        };
        let org_rows = row_of(&org);
        let (note, option_labels): (String, Vec<String>) = match &question.kind {
            QuestionKind::Text { .. } => continue,
            QuestionKind::Single { options } => (
                String::new(),
                options.iter().map(|o| o.label.nl.clone()).collect(),
            ),
            QuestionKind::Multi { options } => (
                "Meer antwoorden mogelijk: samen kunnen de percentages boven 100% uitkomen.".into(),
                options.iter().map(|o| o.label.nl.clone()).collect(),
            ),
            QuestionKind::Scale {
                min,
                max,
                min_label,
                max_label,
            } => (
                format!(
                    "Schaal van {min} ({}) tot {max} ({}).",
                    min_label.nl, max_label.nl
                ),
                (*min..=*max).map(|v| v.to_string()).collect(),
            ),
            QuestionKind::Number { unit, .. } => (
                if unit.nl.is_empty() {
                    String::new()
                } else {
                    format!("In {}.", unit.nl)
                },
                Vec::new(),
            ),
        };
        let first = org_rows.first().copied();
        let answered = match first.and_then(|r| r.get(C_N)) {
            Some(TableCell::Int(n)) => num_cell(nl::number(*n as f64, 0)),
            Some(c) => cell_view(c),
            None => hidden_cell(),
        };
        let is_number = matches!(question.kind, QuestionKind::Number { .. });
        let is_scale = matches!(question.kind, QuestionKind::Scale { .. });
        let (chart, numbers) = if is_number {
            let names = ["Aantal antwoorden", "Gemiddelde", "Mediaan", "Totaal"];
            let cols = [C_N, C_MEAN, C_MEDIAN, C_TOTAL];
            let num_rows = names
                .iter()
                .zip(cols)
                .map(|(name, c)| {
                    vec![
                        text_cell(*name),
                        first
                            .and_then(|r| r.get(c))
                            .map_or_else(hidden_cell, cell_view),
                    ]
                })
                .collect();
            (
                String::new(),
                TableView {
                    caption: format!("Cijfers: {}", question.text.nl),
                    headers: vec!["".into(), "Waarde".into()],
                    rows: num_rows,
                },
            )
        } else {
            let mut bars = Vec::new();
            let mut nrows = Vec::new();
            for (label, r) in option_labels.iter().zip(&org_rows) {
                let share = match r.get(C_SHARE) {
                    Some(TableCell::Percent(x)) => Some(*x),
                    _ => None,
                };
                let ci = match (r.get(C_LOW), r.get(C_HIGH)) {
                    (Some(TableCell::Percent(lo)), Some(TableCell::Percent(hi))) => {
                        Some([*lo, *hi])
                    }
                    _ => None,
                };
                bars.push(report::chart::ShareBar {
                    label: label.clone(),
                    share,
                    ci95: ci,
                    value_label: share.map_or_else(|| "verborgen".into(), |s| nl::percent(s, 0)),
                });
                nrows.push(vec![
                    text_cell(label.clone()),
                    r.get(C_COUNT).map_or_else(hidden_cell, cell_view),
                    r.get(C_SHARE).map_or_else(hidden_cell, share_text),
                    match ci {
                        Some([lo, hi]) => {
                            num_cell(format!("{} – {}", nl::percent(lo, 0), nl::percent(hi, 0)))
                        }
                        None => hidden_cell(),
                    },
                ]);
            }
            if is_scale {
                nrows.push(vec![
                    text_cell("Gemiddelde"),
                    text_cell(""),
                    first
                        .and_then(|r| r.get(C_MEAN))
                        .map_or_else(hidden_cell, cell_view),
                    text_cell(""),
                ]);
            }
            let all_hidden = bars.iter().all(|b| b.share.is_none());
            let chart = if all_hidden {
                String::new()
            } else {
                report::chart::share_chart(
                    &format!("v{qi}"),
                    &question.text.nl,
                    "Aandeel van de mensen die de vraag beantwoordden, per antwoord, met het 95%-betrouwbaarheidsinterval.",
                    &bars,
                )
            };
            (
                chart,
                TableView {
                    caption: format!("Cijfers: {}", question.text.nl),
                    headers: vec![
                        "Antwoord".into(),
                        "Aantal".into(),
                        "%".into(),
                        "95%-interval".into(),
                    ],
                    rows: nrows,
                },
            )
        };
        // The breakdown: every group but the organisation.
        let mut sections: Vec<BreakdownSection> = Vec::new();
        for g in groups.iter().filter(|g| **g != org) {
            let grows = row_of(g);
            let Some(first) = grows.first() else {
                continue;
            };
            let mut cells = vec![first.get(C_N).map_or_else(hidden_cell, cell_view)];
            if is_number {
                for c in [C_MEAN, C_MEDIAN, C_TOTAL] {
                    cells.push(first.get(c).map_or_else(hidden_cell, cell_view));
                }
            } else {
                for r in &grows {
                    cells.push(r.get(C_SHARE).map_or_else(hidden_cell, share_text));
                }
                if is_scale {
                    cells.push(first.get(C_MEAN).map_or_else(hidden_cell, cell_view));
                }
            }
            let dim = dimension_label(&g.0).to_string();
            let name = labels.get(g).cloned().unwrap_or_else(|| g.1.clone());
            match sections.last_mut() {
                Some(s) if s.dimension == dim => s.rows.push((name, cells)),
                _ => sections.push(BreakdownSection {
                    dimension: dim,
                    rows: vec![(name, cells)],
                }),
            }
        }
        let mut headers = vec!["Groep".to_string(), "Beantwoord".to_string()];
        if is_number {
            headers.extend(["Gemiddelde", "Mediaan", "Totaal"].map(String::from));
        } else {
            headers.extend(option_labels.iter().map(|l| format!("{l} (%)")));
            if is_scale {
                headers.push("Gemiddelde".into());
            }
        }
        out.push(QuestionView {
            anchor: format!("vraag-{}", question.id),
            text: question.text.nl.clone(),
            note,
            answered,
            chart,
            numbers,
            breakdown: (!sections.is_empty()).then_some(BreakdownView { headers, sections }),
        });
    }
    out
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
    key_figures: Option<TableView>,
    questions: Vec<QuestionView>,
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
            key_figures: None,
            questions: vec![],
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
    let labels = group_labels(&results);
    let key_figures = headline_view(&tables[n - 2], &labels);
    let questions = question_views(&q, &tables[n - 1], &labels);
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
        key_figures: Some(key_figures),
        questions,
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
