//! Survey invitations by e-mail (issue 33): the round's address list per team, the mail
//! job that sends each address its own code, and the reminder to those who did not answer
//! yet. The service is `app::survey_mail`; this page only shows and forwards.

use askama::Template;
use axum::extract::{Multipart, Path, State};
use axum::http::HeaderMap;
use axum::response::Response;

use crate::auth::Auth;
use crate::page::{Layout, flash_error, redirect_with, render};
use crate::{AppState, PageError};
use app::survey as svc;
use app::survey_mail;

pub struct TeamRow {
    pub name: String,
    pub addresses: String,
    pub sent: String,
    pub used: String,
}

#[derive(Template)]
#[template(path = "survey/invitations.html")]
struct InvitationsPage {
    l: Layout,
    round_id: i64,
    round_name: String,
    status: String,
    closes_on: String,
    mail_configured: bool,
    can_add: bool,
    teams: Vec<(i64, String)>,
    rows: Vec<TeamRow>,
    max_addresses: String,
}

pub async fn show(
    State(state): State<AppState>,
    Auth(session): Auth,
    Path(id): Path<i64>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let ctx = svc::round_for_admin(&state.store, &session.user, id).await?;
    let overview = survey_mail::overview(&state.store, &ctx).await?;
    let teams = state
        .store
        .survey_round_teams(id)
        .await?
        .into_iter()
        .map(|t| (t.team_id, t.team))
        .collect();
    let rows = overview
        .into_iter()
        .map(|t| TeamRow {
            name: t.team,
            addresses: report::nl::integer(t.addresses),
            sent: report::nl::integer(t.sent),
            used: match t.used {
                Some(n) => report::nl::integer(n),
                None => "nog niet te tonen".into(),
            },
        })
        .collect();
    let page = InvitationsPage {
        l: Layout::new(
            &format!("Uitnodigen per e-mail: {}", ctx.round.name),
            "organisaties",
            Some(&session),
            &headers,
        ),
        round_id: id,
        round_name: ctx.round.name.clone(),
        status: ctx.round.status.clone(),
        closes_on: report::nl::iso_date(&ctx.round.closes_on),
        mail_configured: state.config.mail.is_some(),
        can_add: !ctx.round.import_round && ctx.round.status != "gesloten",
        teams,
        rows,
        max_addresses: report::nl::integer(survey_mail::MAX_ADDRESSES as i64),
    };
    render(&page, page.l.flash.is_some())
}

/// Adds an address list (pasted, or a CSV/text file) for one team.
pub async fn add(
    State(state): State<AppState>,
    Auth(session): Auth,
    Path(id): Path<i64>,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, PageError> {
    svc::round_for_admin(&state.store, &session.user, id).await?;
    let back = format!("/enquetes/{id}/uitnodigingen");
    let Ok(mut multipart) = multipart else {
        return flash_error(
            PageError::BadRequest("Het formulier kon niet worden gelezen.".into()),
            &back,
        );
    };
    let mut team_id = None;
    let mut pasted = String::new();
    let mut file = Vec::new();
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|_| PageError::BadRequest("Het formulier kon niet worden gelezen.".into()))?
    {
        let name = field.name().unwrap_or_default().to_string();
        let data = field
            .bytes()
            .await
            .map_err(|_| PageError::BadRequest("Het bestand kon niet worden gelezen.".into()))?;
        if data.len() > survey_mail::MAX_LIST_BYTES + 1 {
            return flash_error(
                PageError::BadRequest(format!(
                    "De lijst is te groot. Geef maximaal {} kB per keer.",
                    survey_mail::MAX_LIST_BYTES / 1024
                )),
                &back,
            );
        }
        match name.as_str() {
            "team_id" => team_id = String::from_utf8_lossy(&data).trim().parse::<i64>().ok(),
            "adressen" => pasted = String::from_utf8_lossy(&data).into_owned(),
            "bestand" => file = data.to_vec(),
            _ => {}
        }
    }
    let Some(team_id) = team_id else {
        return flash_error(PageError::BadRequest("Kies een team.".into()), &back);
    };
    let list = if file.is_empty() {
        pasted
    } else {
        match String::from_utf8(file) {
            Ok(text) => text,
            Err(_) => {
                return flash_error(
                    PageError::BadRequest(
                        "Het bestand is geen tekst (UTF-8). Sla het op als CSV (UTF-8) of \
                         plak de adressen in het tekstvak."
                            .into(),
                    ),
                    &back,
                );
            }
        }
    };
    match survey_mail::invite(
        &state.store,
        (&session.user).into(),
        id,
        team_id,
        &list,
        state.config.mail.is_some(),
    )
    .await
    {
        Ok(r) => {
            let mut message = format!("{} adressen toegevoegd.", r.added);
            if r.already_listed > 0 {
                message.push_str(&format!(
                    " {} stonden al op de lijst en krijgen geen tweede uitnodiging.",
                    r.already_listed
                ));
            }
            if r.repeated_in_list > 0 {
                message.push_str(&format!(
                    " {} stonden dubbel in de lijst.",
                    r.repeated_in_list
                ));
            }
            message.push_str(if r.job_id.is_some() {
                " De uitnodigingen worden nu op de achtergrond verstuurd."
            } else if r.added > 0 {
                " De uitnodigingen gaan uit zodra de ronde opent."
            } else {
                ""
            });
            Ok(redirect_with(&back, true, &message))
        }
        Err(e) => flash_error(e, &back),
    }
}

/// Mails a reminder to every listed address whose code is still unused.
pub async fn remind(
    State(state): State<AppState>,
    Auth(session): Auth,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let back = format!("/enquetes/{id}/uitnodigingen");
    match survey_mail::remind(
        &state.store,
        (&session.user).into(),
        id,
        state.config.mail.is_some(),
    )
    .await
    {
        Ok(r) if r.to_remind == 0 => Ok(redirect_with(
            &back,
            true,
            "Er is niemand om te herinneren: iedereen op de lijst heeft geantwoord of kreeg \
             vandaag al een mail.",
        )),
        Ok(r) => Ok(redirect_with(
            &back,
            true,
            &format!(
                "Een herinnering gaat naar {} adressen die nog niet hebben geantwoord; wie \
                 al antwoordde, krijgt niets.",
                r.to_remind
            ),
        )),
        Err(e) => flash_error(e, &back),
    }
}
