//! Rounds of an organisation: create, include teams, open and close, hand out invitations
//! (codes as CSV for mail merge or a printable sheet with QR codes; open links per team),
//! live response rates (only for teams that reach the minimum group size) and the import
//! of responses collected elsewhere.

use askama::Template;
use axum::Form;
use axum::extract::{Multipart, Path, State};
use axum::http::HeaderMap;
use axum::response::{Html, IntoResponse, Response};
use report::nl;
use store::NewSurveyRound;
use survey::Questionnaire;

use crate::auth::Auth;
use crate::page::{Fields, Layout, flash_error, redirect_with, render};
use crate::scope::OrgScope;
use app::access;
use app::survey::{self as svc, ImportReport};

use crate::{AppState, PageError};

pub struct RoundRow {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub questionnaire: String,
    pub period: String,
    pub status: String,
    pub import_round: bool,
    /// Closed: results are released.
    pub released: bool,
}

pub struct TeamChoice {
    pub id: i64,
    pub name: String,
}

pub struct QChoice {
    pub value: String,
    pub label: String,
}

#[derive(Template)]
#[template(path = "survey/rounds.html")]
struct RoundsPage {
    l: Layout,
    org: store::Organisation,
    rounds: Vec<RoundRow>,
    can_admin: bool,
    /// Whether the results link may show: a planner reads no survey results, so the list
    /// shows no link that would answer 403 (issue 33).
    can_see_results: bool,
    teams: Vec<TeamChoice>,
    questionnaires: Vec<QChoice>,
    /// 1..=MAX_EXTRA: the extra-question rows of the form.
    extra_numbers: Vec<usize>,
    extra_kinds: &'static [(&'static str, &'static str)],
}

fn status_label(s: &str) -> &'static str {
    match s {
        "concept" => "in voorbereiding",
        "open" => "open",
        _ => "gesloten",
    }
}

pub async fn list(
    State(state): State<AppState>,
    scope: OrgScope,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let can_admin = scope.can_admin();
    let OrgScope {
        org,
        caller: session,
        ..
    } = scope;
    let org_id = org.id;
    let can_see_results = svc::require_results_access(&session.user, org_id).is_ok();
    let rounds = state
        .store
        .survey_rounds(org_id)
        .await?
        .into_iter()
        .map(|r| RoundRow {
            id: r.id,
            period: format!(
                "{} t/m {}",
                nl::iso_date(&r.opens_on),
                nl::iso_date(&r.closes_on)
            ),
            released: r.status == "gesloten",
            import_round: r.import_round,
            kind: r.kind,
            questionnaire: format!("{} (versie {})", r.questionnaire, r.version),
            status: status_label(&r.status).into(),
            name: r.name,
        })
        .collect();
    let teams = state
        .store
        .teams(org_id)
        .await?
        .into_iter()
        .map(|t| TeamChoice {
            id: t.id,
            name: t.name,
        })
        .collect();
    let questionnaires = Questionnaire::all_standard()
        .map_err(|e| PageError::Internal(anyhow::anyhow!("{e}")))?
        .into_iter()
        .map(|q| QChoice {
            value: q.id(),
            label: format!("{} (versie {})", q.title.nl, q.version),
        })
        .collect();
    let l = Layout::new(
        &format!("Enquêtes · {}", org.name),
        "organisaties",
        Some(&session),
        &headers,
    );
    let had_flash = l.flash.is_some();
    render(
        &RoundsPage {
            can_admin,
            can_see_results,
            l,
            org,
            rounds,
            teams,
            questionnaires,
            extra_numbers: (1..=app::survey_extra::MAX_EXTRA).collect(),
            extra_kinds: app::survey_extra::KINDS,
        },
        had_flash,
    )
}

/// The extra questions of the round form (`extra_N_vraag`, `extra_N_vraag_en`,
/// `extra_N_soort`, `extra_N_antwoorden`), or the JSON list of `custom_questions` as the
/// JSON API takes it; `[]` when there are none.
fn custom_questions(f: &Fields) -> Result<String, PageError> {
    let json = f.get("custom_questions").trim();
    if !json.is_empty() {
        return Ok(json.to_string());
    }
    let rows: Vec<app::survey_extra::ExtraQuestionForm> = (1..=app::survey_extra::MAX_EXTRA)
        .map(|n| app::survey_extra::ExtraQuestionForm {
            text_nl: f.get(&format!("extra_{n}_vraag")).to_string(),
            text_en: f.get(&format!("extra_{n}_vraag_en")).to_string(),
            kind: f.get(&format!("extra_{n}_soort")).to_string(),
            options: f.get(&format!("extra_{n}_antwoorden")).to_string(),
        })
        .collect();
    Ok(app::survey_extra::custom_questions_json(&rows)?)
}

/// Whether the form adds extra questions (in either shape).
fn adds_custom_questions(f: &Fields) -> bool {
    !f.get("custom_questions").trim().is_empty()
        || (1..=app::survey_extra::MAX_EXTRA).any(|n| {
            ["vraag", "vraag_en", "antwoorden"]
                .iter()
                .any(|k| !f.get(&format!("extra_{n}_{k}")).trim().is_empty())
        })
}

fn round_input(f: &Fields) -> Result<NewSurveyRound, PageError> {
    let (key, version) = f
        .get("questionnaire")
        .rsplit_once("-v")
        .and_then(|(k, v)| Some((k.to_string(), v.parse::<i64>().ok()?)))
        .ok_or_else(|| PageError::BadRequest("Kies een vragenlijst.".into()))?;
    let date = |name: &str, label: &str| {
        super::pages::parse_date(f.get(name)).ok_or_else(|| {
            PageError::BadRequest(format!(
                "{label}: vul een datum in, bijvoorbeeld 01-03-2026."
            ))
        })
    };
    let custom = custom_questions(f)?;
    let custom = custom.as_str();
    svc::check_custom(&key, version, custom)?;
    Ok(NewSurveyRound {
        name: f.get("name").to_string(),
        kind: f.get("kind").to_string(),
        questionnaire: key,
        version,
        custom_questions: custom.to_string(),
        opens_on: date("opens_on", "Begindatum")?,
        closes_on: date("closes_on", "Einddatum")?,
        invitation_text: f.get("invitation_text").trim().to_string(),
        import_round: f.get("import_round") == "1",
    })
}

pub async fn create(
    State(state): State<AppState>,
    scope: OrgScope,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    // Refused before the form is read, so a member learns nothing from its messages.
    scope.require_admin()?;
    let (org_id, session) = (scope.org.id, scope.caller);
    let back = format!("/organisaties/{org_id}/enquetes");
    let f = Fields(fields);
    // Extra questions are a programme admin's choice (they keep rounds comparable).
    if adds_custom_questions(&f) && !access::is_programme_admin(&session.user) {
        return flash_error(
            PageError::BadRequest("Alleen de programmaleiding kan extra vragen toevoegen.".into()),
            &back,
        );
    }
    let input = match round_input(&f) {
        Ok(i) => i,
        Err(e) => return flash_error(e, &back),
    };
    match svc::create_round(
        &state.store,
        (&session.user).into(),
        org_id,
        &input,
        &f.ids("team_id"),
    )
    .await
    {
        Ok(round) => Ok(redirect_with(
            &format!("/enquetes/{}", round.id),
            true,
            &format!("Ronde '{}' is aangemaakt.", round.name),
        )),
        Err(e) => flash_error(e, &back),
    }
}

pub struct TeamView {
    pub id: i64,
    pub name: String,
    pub invited: i64,
    pub codes: i64,
    pub link: String,
    /// Response rate text, or why it is not shown.
    pub rate: String,
}

/// One column of an import file on the mapping form: its header and the choice of target
/// (value, label, selected).
pub struct MappingRow {
    pub index: usize,
    pub header: String,
    pub options: Vec<(String, String, bool)>,
    pub unmapped: String,
}

/// The mapping form's rows for a checked import: every column with "not used", the team
/// and every question of the round's questionnaire to choose from.
fn mapping_rows(round: &store::SurveyRound, report: &ImportReport) -> Vec<MappingRow> {
    use survey::mapping::Target;
    let questions: Vec<(String, String)> = match svc::questionnaire(round) {
        Ok(q) => q
            .questions
            .iter()
            .map(|q| (q.id.clone(), q.text.nl.clone()))
            .collect(),
        Err(_) => vec![],
    };
    report
        .mapping
        .columns
        .iter()
        .map(|c| {
            let mut options = vec![
                (
                    "".to_string(),
                    "niet gebruiken".to_string(),
                    c.target.is_none(),
                ),
                (
                    "team".to_string(),
                    "het team van de medewerker".to_string(),
                    c.target == Some(Target::Team),
                ),
            ];
            for (id, text) in &questions {
                let selected = c.target == Some(Target::Question(id.clone()));
                options.push((format!("q:{id}"), format!("vraag: {text}"), selected));
            }
            MappingRow {
                index: c.column,
                header: c.header.clone(),
                options,
                unmapped: c.unmapped_values.join(", "),
            }
        })
        .collect()
}

/// The column choices of the mapping form (`kolom_N` = "", "team" or "q:ID"), if the form
/// sent any.
fn chosen_columns(
    fields: &[(String, String)],
) -> Option<std::collections::BTreeMap<usize, Option<survey::mapping::Target>>> {
    use survey::mapping::Target;
    let mut chosen = std::collections::BTreeMap::new();
    for (k, v) in fields {
        let Some(index) = k
            .strip_prefix("kolom_")
            .and_then(|n| n.parse::<usize>().ok())
        else {
            continue;
        };
        let target = match v.as_str() {
            "" => None,
            "team" => Some(Target::Team),
            other => other
                .strip_prefix("q:")
                .map(|id| Target::Question(id.to_string())),
        };
        chosen.insert(index, target);
    }
    (!chosen.is_empty()).then_some(chosen)
}

#[derive(Template)]
#[template(path = "survey/round.html")]
struct RoundPage {
    l: Layout,
    org: store::Organisation,
    round: store::SurveyRound,
    status: String,
    period: String,
    teams: Vec<TeamView>,
    total_rate: String,
    min_group_size: i64,
    report: Option<ImportReport>,
    mapping_rows: Vec<MappingRow>,
    is_programme_admin: bool,
    pending_texts: usize,
    max_columns: usize,
    max_cell: usize,
}

async fn round_page(
    state: &AppState,
    session: &crate::auth::Session,
    round_id: i64,
    headers: &HeaderMap,
    report: Option<ImportReport>,
) -> Result<Response, PageError> {
    let ctx = svc::round_for_admin(&state.store, &session.user, round_id).await?;
    let teams = state.store.survey_round_teams(round_id).await?;
    let rates = svc::response_rates(&state.store, &ctx).await?;
    let rate_text = |respondents: Option<u64>, rate: Option<f64>| match (respondents, rate) {
        (Some(n), Some(r)) => format!("{n} antwoorden ({})", nl::percent(r, 0)),
        (Some(n), None) => format!("{n} antwoorden"),
        _ => "nog niet te tonen (te weinig antwoorden of uitnodigingen)".into(),
    };
    let base = state.config.public_url.trim_end_matches('/');
    let views = teams
        .iter()
        .map(|t| {
            let rate = rates
                .teams
                .iter()
                .find(|r| r.team == t.team)
                .map(|r| {
                    if r.suppressed {
                        "nog niet te tonen (te weinig antwoorden of uitnodigingen)".to_string()
                    } else {
                        rate_text(r.respondents, r.response_rate)
                    }
                })
                .unwrap_or_else(|| "nog geen uitnodigingen".into());
            TeamView {
                id: t.team_id,
                name: t.team.clone(),
                invited: t.invited,
                codes: t.codes,
                link: format!("{base}/enquete/{}", t.open_token),
                rate,
            }
        })
        .collect();
    let total_rate = if rates.suppressed {
        "nog niet te tonen (minder antwoorden dan de minimale groepsgrootte)".into()
    } else {
        rate_text(rates.respondents, rates.response_rate)
    };
    let mapping_rows = report
        .as_ref()
        .map(|r| mapping_rows(&ctx.round, r))
        .unwrap_or_default();
    let is_programme_admin = access::is_programme_admin(&session.user);
    let pending_texts = if is_programme_admin {
        state
            .store
            .survey_free_texts(round_id)
            .await?
            .iter()
            .filter(|t| t.status == "pending")
            .count()
    } else {
        0
    };
    let l = Layout::new(&ctx.round.name, "organisaties", Some(session), headers);
    let had_flash = l.flash.is_some();
    render(
        &RoundPage {
            is_programme_admin,
            pending_texts,
            max_columns: svc::MAX_IMPORT_COLUMNS,
            max_cell: svc::MAX_IMPORT_CELL,
            l,
            status: status_label(&ctx.round.status).into(),
            period: format!(
                "{} t/m {}",
                nl::iso_date(&ctx.round.opens_on),
                nl::iso_date(&ctx.round.closes_on)
            ),
            min_group_size: svc::policy(&ctx.org, &ctx.round).k() as i64,
            org: ctx.org,
            round: ctx.round,
            teams: views,
            total_rate,
            report,
            mapping_rows,
        },
        had_flash,
    )
}

pub async fn show(
    State(state): State<AppState>,
    Auth(session): Auth,
    Path(id): Path<i64>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    round_page(&state, &session, id, &headers, None).await
}

pub async fn set_status(
    State(state): State<AppState>,
    Auth(session): Auth,
    Path(id): Path<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    svc::round_for_admin(&state.store, &session.user, id).await?;
    let f = Fields(fields);
    let status = f.get("status");
    let back = format!("/enquetes/{id}");
    if let Err(e) = svc::set_round_status(&state.store, (&session.user).into(), id, status).await {
        return flash_error(e, &back);
    }
    Ok(redirect_with(
        &back,
        true,
        &format!("De ronde is nu {}.", status_label(status)),
    ))
}

pub async fn delete(
    State(state): State<AppState>,
    Auth(session): Auth,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let ctx = svc::delete_round(&state.store, (&session.user).into(), id).await?;
    Ok(redirect_with(
        &format!("/organisaties/{}/enquetes", ctx.org.id),
        true,
        &format!("Ronde '{}' is verwijderd.", ctx.round.name),
    ))
}

pub async fn set_invited(
    State(state): State<AppState>,
    Auth(session): Auth,
    Path(id): Path<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    svc::round_for_admin(&state.store, &session.user, id).await?;
    let f = Fields(fields);
    let back = format!("/enquetes/{id}");
    let mut invited = Vec::new();
    for t in state.store.survey_round_teams(id).await? {
        let raw = f.get(&format!("invited_{}", t.team_id)).trim();
        if raw.is_empty() {
            continue;
        }
        let Ok(n) = raw.parse::<i64>() else {
            return flash_error(
                PageError::BadRequest(format!(
                    "Aantal uitgenodigd bij {}: vul een heel getal in.",
                    t.team
                )),
                &back,
            );
        };
        invited.push((t.team_id, n));
    }
    if let Err(e) = svc::set_invited(&state.store, (&session.user).into(), id, &invited).await {
        return flash_error(e, &back);
    }
    Ok(redirect_with(&back, true, "De aantallen zijn opgeslagen."))
}

pub struct PrintCode {
    pub team: String,
    pub code: String,
    pub url: String,
    pub qr: String,
}

#[derive(Template)]
#[template(path = "survey/codes_print.html")]
struct PrintPage {
    title: String,
    invitation: String,
    base: String,
    codes: Vec<PrintCode>,
}

/// Makes new codes and hands them out right away (CSV for mail merge, or a print sheet).
/// Codes are stored only as hashes, so this answer is the only place they appear.
pub async fn codes(
    State(state): State<AppState>,
    Auth(session): Auth,
    Path(id): Path<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let ctx = svc::round_for_admin(&state.store, &session.user, id).await?;
    let f = Fields(fields);
    let back = format!("/enquetes/{id}");
    let mut per_team = Vec::new();
    for t in state.store.survey_round_teams(id).await? {
        let raw = f.get(&format!("count_{}", t.team_id)).trim();
        if raw.is_empty() {
            continue;
        }
        match raw.parse::<u32>() {
            Ok(n) => per_team.push((t.team_id, n)),
            Err(_) => {
                return flash_error(
                    PageError::BadRequest(format!(
                        "Aantal codes voor {}: vul een heel getal in.",
                        t.team
                    )),
                    &back,
                );
            }
        }
    }
    if per_team.iter().all(|(_, n)| *n == 0) {
        return flash_error(
            PageError::BadRequest("Vul bij minstens één team een aantal codes in.".into()),
            &back,
        );
    }
    let codes = match svc::create_codes(
        &state.store,
        &app::audit::actor(&session.user),
        &ctx,
        &per_team,
    )
    .await
    {
        Ok(c) => c,
        Err(e) => return flash_error(e, &back),
    };
    let base = state.config.public_url.trim_end_matches('/').to_string();
    if f.get("format") == "print" {
        let page = PrintPage {
            title: ctx.round.name.clone(),
            invitation: ctx.round.invitation_text.clone(),
            base: base.clone(),
            codes: codes
                .into_iter()
                .map(|(team, code)| {
                    let url = format!("{base}/enquete/{code}");
                    let svg = qr_svg(&url);
                    use base64::Engine;
                    let qr = format!(
                        "data:image/svg+xml;base64,{}",
                        base64::engine::general_purpose::STANDARD.encode(svg)
                    );
                    PrintCode {
                        team,
                        code,
                        url,
                        qr,
                    }
                })
                .collect(),
        };
        return Ok(Html(page.render()?).into_response());
    }
    let mut csv = String::from("\u{feff}team;code;link\r\n");
    for (team, code) in codes {
        csv.push_str(&format!(
            "{};{code};{base}/enquete/{code}\r\n",
            report::csv_cell::neutralise(&team.replace(';', ","))
        ));
    }
    Ok(super::pages::download(
        "text/csv; charset=utf-8",
        &format!("codes-{}.csv", super::pages::file_stem(&ctx.round.name)),
        csv.into_bytes(),
    ))
}

/// Import of responses collected elsewhere (multipart: `file`; the mapping form's column
/// choices `kolom_N`, or a whole `mapping` as JSON (kept for scripts); `check` for a dry
/// run). Shows the mapping and row-by-row diagnostics on the round page.
pub async fn import(
    State(state): State<AppState>,
    Auth(session): Auth,
    Path(id): Path<i64>,
    headers: HeaderMap,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, PageError> {
    let ctx = svc::round_for_admin(&state.store, &session.user, id).await?;
    let back = format!("/enquetes/{id}");
    let Ok(mut multipart) = multipart else {
        return flash_error(
            PageError::BadRequest("Kies een CSV- of Excelbestand.".into()),
            &back,
        );
    };
    let mut bytes = Vec::new();
    let mut mapping_text = String::new();
    let mut columns: Vec<(String, String)> = Vec::new();
    let mut check = false;
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
        match name.as_str() {
            "file" => bytes = data.to_vec(),
            "mapping" => mapping_text = String::from_utf8_lossy(&data).into_owned(),
            "check" => check = true,
            n if n.starts_with("kolom_") => {
                columns.push((n.to_string(), String::from_utf8_lossy(&data).into_owned()));
            }
            _ => {}
        }
    }
    if bytes.is_empty() {
        return flash_error(
            PageError::BadRequest("Kies een CSV- of Excelbestand.".into()),
            &back,
        );
    }
    let mapping = if let Some(chosen) = chosen_columns(&columns) {
        svc::MappingChoice::Columns(chosen)
    } else if mapping_text.trim().is_empty() {
        svc::MappingChoice::Propose
    } else {
        match serde_json::from_str(&mapping_text) {
            Ok(m) => svc::MappingChoice::Given(m),
            Err(e) => {
                return flash_error(
                    PageError::BadRequest(format!("De koppeling klopt niet: {e}")),
                    &back,
                );
            }
        }
    };
    let report = match svc::import_responses(
        &state.store,
        &app::audit::actor(&session.user),
        &ctx,
        &bytes,
        mapping,
        check,
    )
    .await
    {
        Ok(r) => r,
        Err(e) => return flash_error(e, &back),
    };
    if report.imported {
        return Ok(redirect_with(
            &back,
            true,
            &format!("{} antwoorden zijn ingelezen.", report.responses),
        ));
    }
    round_page(&state, &session, id, &headers, Some(report)).await
}

/// The QR code of `text` as an SVG string (for the printable code sheet).
pub fn qr_svg(text: &str) -> String {
    use qrcode::render::svg;
    match qrcode::QrCode::new(text.as_bytes()) {
        Ok(code) => code
            .render::<svg::Color>()
            .min_dimensions(120, 120)
            .quiet_zone(true)
            .build(),
        Err(_) => String::new(),
    }
}
