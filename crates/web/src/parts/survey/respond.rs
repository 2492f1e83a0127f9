//! The respondent's side: `/enquete/{code or open-link token}`, public, no account.
//! Phone first, one step per page with a progress indicator, skip logic and back
//! navigation from crate `survey`, autosave per step (resume in the same browser), Dutch
//! with an English switch (`?lang=en`), plain HTML forms without JavaScript.
//!
//! Anonymity: the response stored holds no code, address or time finer than the day.
//! A draft is keyed by the code (or open link) together with a random per-browser secret
//! (cookie `uw_enquete`, HttpOnly, SameSite): whoever holds the code but not the browser
//! (the admin who printed it, the next user of a shared PC) starts fresh and never sees
//! saved answers. Drafts expire after 14 days. A used and an unused code show the same
//! pages until a step is posted. Free-text answers are stored apart from the response,
//! held for review by the programme team. Open links are throttled per client address,
//! counted in the database for every instance; the address is stored only as an HMAC under
//! a server-side key, apart from the answers, and removed when its window ends (within an
//! hour); open links are also guarded against a
//! second response from the same browser by the same cookie, whose hash is stored apart
//! from the answers.

use report::nl;
use std::collections::HashMap;

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;
use store::{Invitation, NewResponse, SubmitError, SurveyRound};
use survey::{Answer, Lang, QuestionKind, Questionnaire, Response as Answers};

use crate::auth::{self, ClientAddr};
use app::survey as svc;

use crate::{AppState, PageError};

/// Cookie with a random value per browser, for the open-link duplicate guard and drafts.
pub const BROWSER_COOKIE: &str = svc::BROWSER_COOKIE;
/// Records an attempt and tells whether it is within the limit (at most
/// `app::throttle::LINK_SUBMITS_PER_HOUR` completed responses per hour and
/// `LINK_STEPS_PER_10_MIN` step posts per 10 minutes per link and address), counted in the
/// database for every instance; the address is stored only as a keyed hash.
async fn throttle_ok(
    state: &AppState,
    token: &str,
    addr: &str,
    submit: bool,
) -> Result<bool, PageError> {
    let attempt = if submit {
        app::throttle::LinkAttempt::Submit
    } else {
        app::throttle::LinkAttempt::Step
    };
    app::throttle::LinkThrottle::new(state.store.clone(), &state.config.upload_key)
        .allow(token, addr, attempt)
        .await
        .map_err(|e| match e {
            app::AppError::Store(e) => PageError::from(e),
            other => PageError::Internal(anyhow::anyhow!("throttle: {other}")),
        })
}

#[derive(Deserialize, Default)]
pub struct StepQuery {
    #[serde(default)]
    stap: Option<String>,
    #[serde(default)]
    lang: Option<String>,
}

fn lang_of(s: Option<&str>) -> Lang {
    if s == Some("en") { Lang::En } else { Lang::Nl }
}

fn lang_code(l: Lang) -> &'static str {
    match l {
        Lang::Nl => "nl",
        Lang::En => "en",
    }
}

fn t(lang: Lang, nl: &str, en: &str) -> String {
    match lang {
        Lang::Nl => nl.to_string(),
        Lang::En => en.to_string(),
    }
}

/// The double-submit CSRF token for public forms (the same cookie as the login page).
fn public_csrf(headers: &HeaderMap) -> (String, bool) {
    match auth::read_cookie(headers, auth::LOGIN_CSRF_COOKIE) {
        Some(v) if v.len() == 64 => (v, false),
        _ => (store::new_secret(), true),
    }
}

fn browser_id(headers: &HeaderMap) -> (String, bool) {
    match auth::read_cookie(headers, BROWSER_COOKIE) {
        Some(v) if v.len() == 64 && v.bytes().all(|b| b.is_ascii_hexdigit()) => (v, false),
        _ => (store::new_secret(), true),
    }
}

fn add_cookie(res: &mut Response, value: &str) {
    if let Ok(v) = HeaderValue::from_str(value) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
}

/// What an invitation key leads to, with the questionnaire of its round.
struct Target {
    round: SurveyRound,
    team_id: i64,
    q: std::borrow::Cow<'static, Questionnaire>,
    /// Hash of the code (codes).
    code_hash: Option<String>,
    /// The code has been used: pages look the same as for an unused code, but posting a
    /// step is refused.
    used: bool,
    /// Open link: hashes for the duplicate guard and the draft.
    guard_hash: Option<String>,
    draft_key: String,
    open_token: Option<String>,
}

enum Lookup {
    Ready(Box<Target>),
    /// A page to show instead (unknown code, used code, closed round, duplicate).
    Page(StatusCode, String, String),
}

async fn lookup(
    state: &AppState,
    key: &str,
    browser: &str,
    lang: Lang,
) -> Result<Lookup, PageError> {
    let key = svc::normalise_code(key);
    let inv = match state.store.survey_invitation(&key).await {
        Ok(i) => i,
        Err(store::StoreError::NotFound) => {
            return Ok(Lookup::Page(
                StatusCode::NOT_FOUND,
                t(lang, "Code niet gevonden", "Code not found"),
                t(
                    lang,
                    "Deze code of link kennen we niet. Controleer de code op uw uitnodiging; \
                     let op het verschil tussen letters en cijfers.",
                    "We do not know this code or link. Check the code on your invitation.",
                ),
            ));
        }
        Err(e) => return Err(e.into()),
    };
    // A used code looks like an unused one (same pages) until a step is posted.
    let (round_id, team_id, code_hash, open, used) = match inv {
        Invitation::UsedCode { round_id } => {
            (round_id, 0, Some(store::hash_secret(&key)), false, true)
        }
        Invitation::Code {
            round_id,
            team_id,
            code_hash,
        } => (round_id, team_id, Some(code_hash), false, false),
        Invitation::OpenLink { round_id, team_id } => (round_id, team_id, None, true, false),
    };
    let round = state.store.survey_round(round_id).await?;
    let today = svc::today();
    if round.status != "open" || today < round.opens_on || today > round.closes_on {
        // A round that has not opened yet is not "closed" (issue 33).
        let not_yet =
            round.status == "concept" || (round.status == "open" && today < round.opens_on);
        return Ok(Lookup::Page(
            StatusCode::FORBIDDEN,
            if not_yet {
                t(
                    lang,
                    "De vragenlijst is nog niet geopend",
                    "The questionnaire is not open yet",
                )
            } else {
                t(
                    lang,
                    "De vragenlijst is gesloten",
                    "The questionnaire is closed",
                )
            },
            t(
                lang,
                &format!(
                    "Deze vragenlijst kan worden ingevuld van {} tot en met {}.",
                    nl::iso_date(&round.opens_on),
                    nl::iso_date(&round.closes_on)
                ),
                &format!(
                    "This questionnaire is open from {} to {}.",
                    round.opens_on, round.closes_on
                ),
            ),
        ));
    }
    let q = svc::questionnaire(&round)?;
    let (guard_hash, draft_key, open_token) = if open {
        let guard = store::hash_secret(&format!("guard:{round_id}:{browser}"));
        if state
            .store
            .survey_link_guard_exists(round_id, &guard)
            .await?
        {
            return Ok(Lookup::Page(
                StatusCode::CONFLICT,
                t(lang, "Al ingevuld", "Already answered"),
                t(
                    lang,
                    "Op dit apparaat is de vragenlijst al ingevuld. Dank u wel!",
                    "The questionnaire has already been answered on this device. Thank you!",
                ),
            ));
        }
        (
            Some(guard),
            store::hash_secret(&format!("draft:{round_id}:{browser}")),
            Some(key.clone()),
        )
    } else {
        (
            None,
            svc::code_draft_key(code_hash.as_deref().unwrap_or_default(), browser),
            None,
        )
    };
    Ok(Lookup::Ready(Box::new(Target {
        round,
        team_id,
        q,
        code_hash,
        used,
        guard_hash,
        draft_key,
        open_token,
    })))
}

async fn load_draft(state: &AppState, target: &Target) -> Result<Answers, PageError> {
    if target.used {
        return Ok(Answers::new());
    }
    Ok(match state.store.survey_draft(&target.draft_key).await? {
        Some(json) => serde_json::from_str(&json).unwrap_or_default(),
        None => Answers::new(),
    })
}

// ----- views -------------------------------------------------------------------------

pub struct OptView {
    pub id: String,
    pub label: String,
    pub checked: bool,
}

pub struct QView {
    pub id: String,
    pub kind: &'static str,
    pub text: String,
    pub help: String,
    pub required: bool,
    pub error: String,
    pub value: String,
    pub unit: String,
    pub min: String,
    pub max: String,
    pub max_len: usize,
    pub options: Vec<OptView>,
    pub min_label: String,
    pub max_label: String,
    /// Shown on this page only under a condition on the same page (no JavaScript).
    pub condition: String,
    /// For free-text fields: do not name people (the text is reviewed before anyone of
    /// the organisation reads it).
    pub privacy: String,
}

impl QView {
    pub fn describedby(&self) -> String {
        let mut ids = Vec::new();
        if !self.help.is_empty() || !self.condition.is_empty() {
            ids.push(format!("{}-hint", self.id));
        }
        if !self.privacy.is_empty() {
            ids.push(format!("{}-privacy", self.id));
        }
        if !self.error.is_empty() {
            ids.push(format!("{}-fout", self.id));
        }
        ids.join(" ")
    }
}

pub struct ErrorLink {
    pub id: String,
    pub message: String,
}

#[derive(Template)]
#[template(path = "survey/respond.html")]
pub struct StepPage {
    pub lang: &'static str,
    pub title: String,
    pub heading: String,
    pub csrf: String,
    pub action: String,
    pub stap: String,
    pub step: usize,
    pub steps: usize,
    pub progress_text: String,
    pub questions: Vec<QView>,
    pub errors: Vec<ErrorLink>,
    pub error_title: String,
    pub can_back: bool,
    pub t_back: String,
    pub t_next: String,
    pub t_required: String,
    pub t_optional: String,
    pub switch_href: String,
    pub switch_label: String,
    pub switch_lang: &'static str,
    pub saved_note: String,
}

#[derive(Template)]
#[template(path = "survey/message.html")]
pub struct MessagePage {
    pub lang: &'static str,
    pub title: String,
    pub text: String,
    pub paragraphs: Vec<String>,
    pub start_href: String,
    pub start_label: String,
    pub calc_href: String,
    pub calc_label: String,
    pub switch_href: String,
    pub switch_label: String,
    pub switch_lang: &'static str,
    pub code_form: bool,
    pub csrf: String,
    pub t_code: String,
    pub t_go: String,
}

fn message(lang: Lang, title: String, text: String) -> MessagePage {
    MessagePage {
        lang: lang_code(lang),
        title,
        text,
        paragraphs: vec![],
        start_href: String::new(),
        start_label: String::new(),
        calc_href: String::new(),
        calc_label: String::new(),
        switch_href: String::new(),
        switch_label: String::new(),
        switch_lang: "en",
        code_form: false,
        csrf: String::new(),
        t_code: String::new(),
        t_go: String::new(),
    }
}

fn html(status: StatusCode, tpl: &impl Template) -> Result<Response, PageError> {
    Ok((status, Html(tpl.render()?)).into_response())
}

fn same_page_condition(
    q: &Questionnaire,
    question: &survey::Question,
    lang: Lang,
) -> Option<String> {
    let mut parts = Vec::new();
    for c in &question.show_if {
        let dep = q.question(&c.question)?;
        if dep.page != question.page {
            continue;
        }
        let labels: Vec<String> = c
            .any_of
            .iter()
            .filter_map(|o| dep.option(o))
            .map(|o| format!("'{}'", o.label.get(lang)))
            .collect();
        parts.push(labels.join(" / "));
    }
    if parts.is_empty() {
        None
    } else {
        Some(match lang {
            Lang::Nl => format!("Alleen invullen als u {} koos.", parts.join(" en ")),
            Lang::En => format!("Only if you chose {}.", parts.join(" and ")),
        })
    }
}

/// The questions of a page to show: those shown by earlier answers, plus those whose
/// condition is on this same page (labelled, since without JavaScript the page cannot
/// change while it is filled in).
fn page_views(
    q: &Questionnaire,
    page: &str,
    answers: &Answers,
    errors: &[survey::ValidationError],
    posted: Option<&HashMap<String, Vec<String>>>,
    lang: Lang,
) -> Vec<QView> {
    let mut out = Vec::new();
    for question in q.page_questions(page) {
        let condition = same_page_condition(q, question, lang);
        let depends_elsewhere_ok = question.show_if.iter().all(|c| {
            q.question(&c.question)
                .is_some_and(|d| d.page == question.page)
                || c.holds_for(answers)
        });
        if !(q.is_shown(question, answers) || (condition.is_some() && depends_elsewhere_ok)) {
            continue;
        }
        let answer = answers.get(&question.id);
        let raw: Vec<String> = posted
            .and_then(|p| p.get(&question.id).cloned())
            .unwrap_or_default();
        let value = if posted.is_some() {
            raw.first().cloned().unwrap_or_default()
        } else {
            match answer {
                Some(Answer::Number(x)) => nl::number(*x, 2)
                    .trim_end_matches('0')
                    .trim_end_matches(',')
                    .to_string(),
                Some(Answer::Text(s)) => s.clone(),
                Some(Answer::Scale(x)) => x.to_string(),
                _ => String::new(),
            }
        };
        let chosen: Vec<String> = if posted.is_some() {
            raw.clone()
        } else {
            match answer {
                Some(Answer::Choice(c)) => vec![c.clone()],
                Some(Answer::Choices(cs)) => cs.clone(),
                Some(Answer::Scale(x)) => vec![x.to_string()],
                _ => vec![],
            }
        };
        let error = errors
            .iter()
            .find(|e| e.question == question.id)
            .map(|e| match lang {
                Lang::Nl => e.hint_nl.clone(),
                Lang::En => e.hint_en.clone(),
            })
            .unwrap_or_default();
        let mut v = QView {
            id: question.id.clone(),
            kind: question.kind.name(),
            text: question.text.get(lang).to_string(),
            help: question
                .help
                .as_ref()
                .map(|h| h.get(lang).to_string())
                .unwrap_or_default(),
            required: question.required,
            error,
            value,
            unit: String::new(),
            min: String::new(),
            max: String::new(),
            max_len: 0,
            options: vec![],
            min_label: String::new(),
            max_label: String::new(),
            condition: condition.unwrap_or_default(),
            privacy: String::new(),
        };
        match &question.kind {
            QuestionKind::Number { min, max, unit, .. } => {
                v.unit = unit.get(lang).to_string();
                v.min = nl::number(*min, 0);
                v.max = nl::number(*max, 0);
            }
            QuestionKind::Single { options } | QuestionKind::Multi { options } => {
                v.options = options
                    .iter()
                    .map(|o| OptView {
                        id: o.id.clone(),
                        label: o.label.get(lang).to_string(),
                        checked: chosen.contains(&o.id),
                    })
                    .collect();
            }
            QuestionKind::Text { max_len } => {
                v.max_len = *max_len;
                v.privacy = t(
                    lang,
                    "Noem geen namen, en niets waaraan iemand te herkennen is (zoals 'de enige \
                     nachtdienst van ons team'). Iemand van het programma leest uw tekst eerst \
                     en haalt herkenbare details weg; de organisatie ziet teksten alleen als er \
                     genoeg zijn, nooit per team.",
                    "Do not name people, nor anything that identifies someone (such as 'the \
                     only night nurse of our team'). Someone of the programme reads your text \
                     first and removes identifying details; the organisation only sees texts \
                     when there are enough of them, never per team.",
                );
            }
            QuestionKind::Scale {
                min,
                max,
                min_label,
                max_label,
            } => {
                v.options = (*min..=*max)
                    .map(|x| OptView {
                        id: x.to_string(),
                        label: x.to_string(),
                        checked: chosen.contains(&x.to_string()),
                    })
                    .collect();
                v.min_label = min_label.get(lang).to_string();
                v.max_label = max_label.get(lang).to_string();
            }
        }
        out.push(v);
    }
    out
}

trait HoldsFor {
    fn holds_for(&self, answers: &Answers) -> bool;
}

impl HoldsFor for survey::Condition {
    fn holds_for(&self, answers: &Answers) -> bool {
        match answers.get(&self.question) {
            Some(Answer::Choice(c)) => self.any_of.contains(c),
            Some(Answer::Choices(cs)) => cs.iter().any(|c| self.any_of.contains(c)),
            _ => false,
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn step_page(
    target: &Target,
    key: &str,
    page_id: &str,
    answers: &Answers,
    errors: &[survey::ValidationError],
    posted: Option<&HashMap<String, Vec<String>>>,
    lang: Lang,
    csrf: &str,
) -> StepPage {
    let q = &target.q;
    let page = q.pages.iter().find(|p| p.id == page_id);
    let (step, steps) = q.progress(page_id, answers).unwrap_or((1, 1));
    let questions = page_views(q, page_id, answers, errors, posted, lang);
    let last = q.next_page(Some(page_id), answers).is_none();
    let other = match lang {
        Lang::Nl => Lang::En,
        Lang::En => Lang::Nl,
    };
    StepPage {
        lang: lang_code(lang),
        title: q.title.get(lang).to_string(),
        heading: page
            .map(|p| p.title.get(lang).to_string())
            .unwrap_or_default(),
        csrf: csrf.to_string(),
        action: format!("/enquete/{key}"),
        stap: page_id.to_string(),
        step,
        steps,
        progress_text: match lang {
            Lang::Nl => format!("Stap {step} van {steps}"),
            Lang::En => format!("Step {step} of {steps}"),
        },
        errors: errors
            .iter()
            .map(|e| ErrorLink {
                id: e.question.clone(),
                message: e.message(lang).to_string(),
            })
            .collect(),
        error_title: t(lang, "Er ging iets mis", "There is a problem"),
        questions,
        can_back: q.previous_page(page_id, answers).is_some(),
        t_back: t(lang, "Vorige", "Back"),
        t_next: if last {
            t(lang, "Versturen", "Submit")
        } else {
            t(lang, "Volgende", "Next")
        },
        t_required: t(lang, "verplicht", "required"),
        t_optional: t(lang, "niet verplicht", "optional"),
        switch_href: format!("/enquete/{key}?stap={page_id}&lang={}", lang_code(other)),
        switch_label: t(lang, "English", "Nederlands"),
        switch_lang: lang_code(other),
        saved_note: if target.open_token.is_some() {
            t(
                lang,
                "Uw antwoorden worden per stap bewaard, alleen voor deze browser, 14 dagen.",
                "Your answers are saved after each step, for this browser only, for 14 days.",
            )
        } else {
            t(
                lang,
                "Uw antwoorden worden per stap bewaard, alleen voor deze browser, 14 dagen. \
                 Met dezelfde code in deze browser kunt u later verder; op een ander apparaat \
                 begint u opnieuw.",
                "Your answers are saved after each step, for this browser only, for 14 days. \
                 You can continue later with the same code in this browser; on another device \
                 you start again.",
            )
        },
    }
}

fn with_cookies(
    state: &AppState,
    mut res: Response,
    csrf: (&str, bool),
    browser: (&str, bool),
) -> Response {
    if csrf.1 {
        add_cookie(
            &mut res,
            &auth::cookie(&state.config, auth::LOGIN_CSRF_COOKIE, csrf.0, 24 * 3600),
        );
    }
    if browser.1 {
        add_cookie(
            &mut res,
            &auth::cookie(&state.config, BROWSER_COOKIE, browser.0, 120 * 24 * 3600),
        );
    }
    res
}

// ----- handlers ----------------------------------------------------------------------

/// `/enquete`: a form to type the code from a paper invitation.
pub async fn code_form(
    State(state): State<AppState>,
    Query(query): Query<StepQuery>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let lang = lang_of(query.lang.as_deref());
    let (csrf, fresh) = public_csrf(&headers);
    let mut page = message(
        lang,
        t(lang, "Vragenlijst", "Questionnaire"),
        t(
            lang,
            "Vul de code in die op uw uitnodiging staat.",
            "Enter the code from your invitation.",
        ),
    );
    page.code_form = true;
    page.csrf = csrf.clone();
    page.t_code = t(lang, "Uw code", "Your code");
    page.t_go = t(lang, "Beginnen", "Start");
    page.switch_href = format!(
        "/enquete?lang={}",
        if lang == Lang::En { "nl" } else { "en" }
    );
    page.switch_label = t(lang, "English", "Nederlands");
    page.switch_lang = if lang == Lang::En { "nl" } else { "en" };
    let res = html(StatusCode::OK, &page)?;
    Ok(with_cookies(&state, res, (&csrf, fresh), ("", false)))
}

pub async fn code_submit(Form(fields): Form<Vec<(String, String)>>) -> Response {
    let f = crate::page::Fields(fields);
    let code = svc::normalise_code(f.get("code"));
    let lang = if f.get("lang") == "en" {
        "?lang=en"
    } else {
        ""
    };
    if code.is_empty() {
        return Redirect::to(&format!("/enquete{lang}")).into_response();
    }
    let enc: String = url::form_urlencoded::byte_serialize(code.as_bytes()).collect();
    Redirect::to(&format!("/enquete/{enc}{lang}")).into_response()
}

/// The closing page, with a link to the WerkUrenBerekenaar.
pub async fn done(Query(query): Query<StepQuery>) -> Result<Response, PageError> {
    let lang = lang_of(query.lang.as_deref());
    let mut page = message(
        lang,
        t(lang, "Dank u wel!", "Thank you!"),
        t(
            lang,
            "Uw antwoorden zijn goed ontvangen. Ze worden anoniem verwerkt: niemand kan zien \
             wat u heeft ingevuld.",
            "Your answers have been received. They are processed anonymously: nobody can see \
             what you answered.",
        ),
    );
    page.paragraphs = vec![t(
        lang,
        "Benieuwd wat meer uren werken u netto oplevert? Reken het uit met de \
         WerkUrenBerekenaar. Uw gegevens worden daarbij niet bewaard.",
        "Curious what working more hours would bring you net? Calculate it with the \
         WerkUrenBerekenaar (in Dutch). Nothing you enter is stored.",
    )];
    page.calc_href = "/berekenaar".into();
    page.calc_label = t(
        lang,
        "Naar de WerkUrenBerekenaar",
        "Go to the WerkUrenBerekenaar",
    );
    html(StatusCode::OK, &page)
}

/// One step of the questionnaire (or the welcome page when no step is given).
pub async fn show(
    State(state): State<AppState>,
    Path(key): Path<String>,
    Query(query): Query<StepQuery>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let lang = lang_of(query.lang.as_deref());
    let (csrf, csrf_fresh) = public_csrf(&headers);
    let (browser, browser_fresh) = browser_id(&headers);
    let target = match lookup(&state, &key, &browser, lang).await? {
        Lookup::Ready(t) => t,
        Lookup::Page(status, title, text) => {
            return html(status, &message(lang, title, text));
        }
    };
    let answers = load_draft(&state, &target).await?;
    let q = &target.q;
    let res = match query.stap.as_deref() {
        None => {
            let first = q
                .next_page(None, &answers)
                .map(|p| p.id.clone())
                .unwrap_or_default();
            let mut page = message(
                lang,
                q.title.get(lang).to_string(),
                q.intro.get(lang).to_string(),
            );
            if !target.round.invitation_text.trim().is_empty() && lang == Lang::Nl {
                page.paragraphs.push(target.round.invitation_text.clone());
            }
            page.paragraphs.push(t(
                lang,
                "Het invullen duurt ongeveer 5 minuten. Uw antwoorden zijn anoniem: we bewaren \
                 geen code, geen IP-adres en geen tijdstip bij uw antwoorden, alleen de datum.",
                "It takes about 5 minutes. Your answers are anonymous: we store no code, no IP \
                 address and no time with your answers, only the date.",
            ));
            if !answers.answers.is_empty() {
                page.paragraphs.push(t(
                    lang,
                    "U was al begonnen; uw eerdere antwoorden staan klaar.",
                    "You had started already; your earlier answers are filled in.",
                ));
            }
            page.start_href = format!("/enquete/{key}?stap={first}&lang={}", lang_code(lang));
            page.start_label = if answers.answers.is_empty() {
                t(lang, "Beginnen", "Start")
            } else {
                t(lang, "Verder gaan", "Continue")
            };
            let other = if lang == Lang::En { "nl" } else { "en" };
            page.switch_href = format!("/enquete/{key}?lang={other}");
            page.switch_label = t(lang, "English", "Nederlands");
            page.switch_lang = other;
            html(StatusCode::OK, &page)?
        }
        Some(stap) => {
            if !q.pages.iter().any(|p| p.id == stap) {
                return Err(PageError::NotFound);
            }
            let page = step_page(&target, &key, stap, &answers, &[], None, lang, &csrf);
            html(StatusCode::OK, &page)?
        }
    };
    Ok(with_cookies(
        &state,
        res,
        (&csrf, csrf_fresh),
        (&browser, browser_fresh),
    ))
}

/// Saves one step and goes forward, back, or submits after the last step. A browser
/// without the secret cookie gets a new one (and so a new, empty draft).
pub async fn post(
    State(state): State<AppState>,
    Path(key): Path<String>,
    ClientAddr(addr): ClientAddr,
    headers: HeaderMap,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let (browser, fresh) = browser_id(&headers);
    let res = post_step(&state, &key, &addr, &browser, &headers, fields).await?;
    Ok(with_cookies(&state, res, ("", false), (&browser, fresh)))
}

async fn post_step(
    state: &AppState,
    key: &str,
    addr: &str,
    browser: &str,
    headers: &HeaderMap,
    fields: Vec<(String, String)>,
) -> Result<Response, PageError> {
    let state = state.clone();
    let key = key.to_string();
    let f = crate::page::Fields(fields);
    let lang = lang_of(Some(f.get("lang")));
    let (csrf, _) = public_csrf(headers);
    let target = match lookup(&state, &key, browser, lang).await? {
        Lookup::Ready(t) => t,
        Lookup::Page(status, title, text) => {
            return html(status, &message(lang, title, text));
        }
    };
    if target.used {
        return html(
            StatusCode::GONE,
            &message(
                lang,
                t(lang, "Al ingevuld", "Already answered"),
                t(
                    lang,
                    "Met deze code is de vragenlijst al ingevuld. Dank u wel!",
                    "The questionnaire has already been answered with this code. Thank you!",
                ),
            ),
        );
    }
    if let Some(token) = &target.open_token
        && !throttle_ok(&state, token, addr, false).await?
    {
        return html(
            StatusCode::TOO_MANY_REQUESTS,
            &message(
                lang,
                t(lang, "Even wachten", "Please wait"),
                t(
                    lang,
                    "Vanaf dit adres komen nu erg veel antwoorden binnen. Probeer het over een \
                     paar minuten opnieuw.",
                    "Many answers are arriving from this address. Please try again in a few \
                     minutes.",
                ),
            ),
        );
    }
    let q = &target.q;
    let stap = f.get("stap").to_string();
    if !q.pages.iter().any(|p| p.id == stap) {
        return Err(PageError::BadRequest("Onbekende stap.".into()));
    }
    let mut answers = load_draft(&state, &target).await?;
    // Replace this page's answers by what was posted.
    let mut posted: HashMap<String, Vec<String>> = HashMap::new();
    for (k, v) in &f.0 {
        if q.question(k).is_some_and(|qq| qq.page == stap) {
            posted.entry(k.clone()).or_default().push(v.clone());
        }
    }
    let mut errors = Vec::new();
    for question in q.page_questions(&stap) {
        answers.answers.remove(&question.id);
        let values: Vec<&str> = posted
            .get(&question.id)
            .map(|v| v.iter().map(String::as_str).collect())
            .unwrap_or_default();
        match q.parse_form(&question.id, &values) {
            Ok(Some(a)) => {
                answers.set(question.id.clone(), a);
            }
            Ok(None) => {}
            Err(e) => errors.push(*e),
        }
    }
    let back = f.get("actie") == "vorige";
    if !back && let Err(e) = q.validate_page(&stap, &answers) {
        for err in e.errors {
            if !errors.iter().any(|x| x.question == err.question) {
                errors.push(err);
            }
        }
    }
    let day = svc::today();
    let draft_json = serde_json::to_string(&answers).map_err(|e| PageError::Internal(e.into()))?;
    if !errors.is_empty() {
        // Keep what is valid so far; show the page again with the problems.
        state
            .store
            .save_survey_draft(&target.draft_key, target.round.id, &draft_json, &day)
            .await?;
        let page = step_page(
            &target,
            &key,
            &stap,
            &answers,
            &errors,
            Some(&posted),
            lang,
            &csrf,
        );
        return html(StatusCode::UNPROCESSABLE_ENTITY, &page);
    }
    let lc = lang_code(lang);
    let next = if back {
        None
    } else {
        q.next_page(Some(&stap), &answers).map(|p| p.id.clone())
    };
    // Autosave, except on the last step: the submitting transaction removes the draft.
    if back || next.is_some() {
        state
            .store
            .save_survey_draft(&target.draft_key, target.round.id, &draft_json, &day)
            .await?;
    }
    if back {
        let to = q
            .previous_page(&stap, &answers)
            .map(|p| p.id.clone())
            .unwrap_or(stap);
        return Ok(Redirect::to(&format!("/enquete/{key}?stap={to}&lang={lc}")).into_response());
    }
    if let Some(next) = next {
        return Ok(Redirect::to(&format!("/enquete/{key}?stap={next}&lang={lc}")).into_response());
    }
    // Last step: check everything and store it in one transaction.
    let validated = match q.validate(&answers) {
        Ok(v) => v,
        Err(e) => {
            state
                .store
                .save_survey_draft(&target.draft_key, target.round.id, &draft_json, &day)
                .await?;
            let first = e
                .errors
                .first()
                .and_then(|err| q.question(&err.question))
                .map(|qq| qq.page.clone())
                .unwrap_or(stap);
            let page = step_page(
                &target, &key, &first, &answers, &e.errors, None, lang, &csrf,
            );
            return html(StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
    };
    if let Some(token) = &target.open_token
        && !throttle_ok(&state, token, addr, true).await?
    {
        state
            .store
            .save_survey_draft(&target.draft_key, target.round.id, &draft_json, &day)
            .await?;
        return html(
            StatusCode::TOO_MANY_REQUESTS,
            &message(
                lang,
                t(lang, "Even wachten", "Please wait"),
                t(
                    lang,
                    "Vanaf dit adres zijn in het afgelopen uur al veel vragenlijsten ingevuld. \
                     Uw antwoorden zijn bewaard; probeer het over een uur opnieuw.",
                    "Many questionnaires were completed from this address in the last hour. \
                     Your answers are saved; please try again in an hour.",
                ),
            ),
        );
    }
    // Free text goes to review, apart from the response (no link between them).
    let mut stored = validated.response;
    let mut texts = Vec::new();
    stored.answers.retain(|id, a| match a {
        Answer::Text(text) => {
            texts.push((id.clone(), text.clone()));
            false
        }
        _ => true,
    });
    let response = NewResponse {
        team_id: Some(target.team_id),
        version: target.round.version,
        answers: serde_json::to_string(&stored).map_err(|e| PageError::Internal(e.into()))?,
        day,
        source: if target.open_token.is_some() {
            "link"
        } else {
            "code"
        },
    };
    match state
        .store
        .submit_survey_response_with_texts(
            target.round.id,
            target.code_hash.as_deref(),
            target.guard_hash.as_deref(),
            Some(&target.draft_key),
            &response,
            &texts,
        )
        .await
    {
        Ok(()) => Ok(Redirect::to(&format!("/enquete/klaar?lang={lc}")).into_response()),
        Err(SubmitError::CodeUsed) | Err(SubmitError::Duplicate) => html(
            StatusCode::CONFLICT,
            &message(
                lang,
                t(lang, "Al ingevuld", "Already answered"),
                t(
                    lang,
                    "De vragenlijst is hiermee al ingevuld. Dank u wel!",
                    "The questionnaire has already been answered. Thank you!",
                ),
            ),
        ),
        Err(SubmitError::Store(e)) => Err(e.into()),
    }
}
