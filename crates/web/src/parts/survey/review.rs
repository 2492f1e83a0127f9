//! Review of free-text answers by the programme team (issue 26): every open answer is held
//! until someone of the programme approves it (as written, or edited to take out names and
//! other identifying details) or withholds it. Organisation users only ever see approved
//! texts, at organisation level, and only when at least `k` are approved.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;

use crate::auth::Auth;
use crate::page::{Fields, Layout, flash_error, redirect_with, render};
use app::access;
use app::survey as svc;

use crate::{AppState, PageError};

pub struct TextView {
    pub id: i64,
    pub question: String,
    pub text: String,
    pub published: String,
    pub status: &'static str,
}

#[derive(Template)]
#[template(path = "survey/free_texts.html")]
struct ReviewPage {
    l: Layout,
    org: store::Organisation,
    round: store::SurveyRound,
    texts: Vec<TextView>,
    pending: usize,
    min_group_size: u64,
}

fn status_label(s: &str) -> &'static str {
    match s {
        "approved" => "goedgekeurd",
        "withheld" => "achtergehouden",
        _ => "wacht op beoordeling",
    }
}

pub async fn list(
    State(state): State<AppState>,
    Auth(session): Auth,
    Path(id): Path<i64>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    access::require_programme_admin(&session.user)?;
    let ctx = svc::round_for(&state.store, &session.user, id).await?;
    let q = svc::questionnaire(&ctx.round)?;
    let items = svc::free_texts_for_review(&state.store, &session.user, &ctx).await?;
    let pending = items.iter().filter(|t| t.status == "pending").count();
    let texts = items
        .into_iter()
        .map(|t| TextView {
            id: t.id,
            question: q
                .question(&t.question)
                .map(|qq| qq.text.nl.clone())
                .unwrap_or_else(|| t.question.clone()),
            published: t.published.clone().unwrap_or_else(|| t.text.clone()),
            status: status_label(&t.status),
            text: t.text,
        })
        .collect();
    let l = Layout::new(
        &format!("Open antwoorden · {}", ctx.round.name),
        "organisaties",
        Some(&session),
        &headers,
    );
    let had_flash = l.flash.is_some();
    render(
        &ReviewPage {
            l,
            min_group_size: svc::policy(&ctx.org, &ctx.round).k(),
            org: ctx.org,
            round: ctx.round,
            texts,
            pending,
        },
        had_flash,
    )
}

pub async fn review(
    State(state): State<AppState>,
    Auth(session): Auth,
    Path(text_id): Path<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    access::require_programme_admin(&session.user)?;
    let item = state.store.survey_free_text(text_id).await?;
    let back = format!("/enquetes/{}/open-antwoorden", item.round_id);
    let f = Fields(fields);
    match svc::review_free_text(
        &state.store,
        &session.user,
        text_id,
        f.get("action"),
        Some(f.get("text")),
    )
    .await
    {
        Ok(t) => Ok(redirect_with(
            &back,
            true,
            &format!("Het antwoord is {}.", status_label(&t.status)),
        )),
        Err(e @ app::AppError::Invalid { .. }) => flash_error(e, &back),
        Err(e) => Err(e.into()),
    }
}
