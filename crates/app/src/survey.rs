//! Survey services shared by the pages, the JSON API and the command line: loading a
//! round's questionnaire and results (through `survey::analyse`, so every figure passes the
//! anonymity rules), exports, invitation codes and the import of responses collected
//! elsewhere. The statistics and suppression live in crate `survey`; nothing here
//! aggregates over respondents.

use std::collections::BTreeMap;

use serde::Serialize;
use store::{Actor, NewResponse, Organisation, Store, SurveyRound, User};
use survey::export::{self, CsvOptions, RawExportOptions, Table, TableCell};
use survey::mapping::{self, Mapping};
use survey::{AnalysisOptions, Policy, Questionnaire, RawQuestion, Submission, SurveyResults};

use crate::AppError;
use crate::access::{self, Caller};

/// Code alphabet: no 0/O, 1/I/L, so codes read aloud and typed from paper survive.
const CODE_CHARS: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";

/// A new single-use code, e.g. `K7MP-3QXA-H9TD` (12 characters, ~59 bits).
pub fn new_code() -> String {
    use rand::Rng;
    let mut rng = rand::rng();
    (0..3)
        .map(|_| {
            (0..4)
                .map(|_| CODE_CHARS[rng.random_range(0..CODE_CHARS.len())] as char)
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("-")
}

/// Normalises a code as typed (lower case, spaces, missing dashes) to the stored form.
pub fn normalise_code(input: &str) -> String {
    let raw: String = input
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    if raw.len() == 12 && !input.trim().starts_with('t') {
        format!("{}-{}-{}", &raw[0..4], &raw[4..8], &raw[8..12])
    } else {
        input.trim().to_string()
    }
}

/// Cookie with a random secret per browser (64 hex characters): drafts are bound to it as
/// well as to the code, and open links use it against a second response.
pub const BROWSER_COOKIE: &str = "uw_enquete";

/// The key of the draft of a code in one browser: a hash of the code's hash and the
/// browser secret, so holding the code alone never reads a draft.
pub fn code_draft_key(code_hash: &str, browser: &str) -> String {
    store::hash_secret(&format!("draft:{code_hash}:{browser}"))
}

/// Today's date in the Netherlands as ISO text (the only time stored with a response).
pub fn today() -> String {
    use chrono::Utc;
    Utc::now()
        .with_timezone(&chrono_tz::Europe::Amsterdam)
        .date_naive()
        .format("%Y-%m-%d")
        .to_string()
}

/// The questionnaire of a round: the standard version (borrowed, no copy) or, when the
/// round has extra questions, the standard version with them.
pub fn questionnaire(
    round: &SurveyRound,
) -> Result<std::borrow::Cow<'static, Questionnaire>, AppError> {
    use std::borrow::Cow;
    let version = u32::try_from(round.version)
        .map_err(|_| AppError::BadRequest("Onbekende versie van de vragenlijst.".into()))?;
    let base = Questionnaire::standard(&round.questionnaire, version)
        .map_err(|e| AppError::BadRequest(format!("De vragenlijst bestaat niet: {e}")))?;
    let custom = round.custom_questions.trim();
    if custom.is_empty() || custom == "[]" {
        return Ok(Cow::Borrowed(base));
    }
    let custom: Vec<RawQuestion> = serde_json::from_str(custom)
        .map_err(|e| AppError::internal(format!("custom questions: {e}")))?;
    base.with_custom(custom)
        .map(Cow::Owned)
        .map_err(|e| AppError::Invalid {
            field: "custom_questions",
            message: format!("De extra vragen kloppen niet: {e}"),
        })
}

/// Checks extra questions (JSON list) against the standard questionnaire before storing.
pub fn check_custom(key: &str, version: i64, custom_json: &str) -> Result<(), AppError> {
    let version = u32::try_from(version)
        .map_err(|_| AppError::BadRequest("Onbekende versie van de vragenlijst.".into()))?;
    let base = Questionnaire::standard(key, version).map_err(|_| AppError::Invalid {
        field: "questionnaire",
        message: "Kies een bestaande vragenlijst.".into(),
    })?;
    let custom: Vec<RawQuestion> = serde_json::from_str(if custom_json.trim().is_empty() {
        "[]"
    } else {
        custom_json
    })
    .map_err(|e| AppError::Invalid {
        field: "custom_questions",
        message: format!("De extra vragen zijn geen geldige lijst: {e}"),
    })?;
    if !custom.is_empty() {
        base.with_custom(custom).map_err(|e| AppError::Invalid {
            field: "custom_questions",
            message: format!("De extra vragen kloppen niet: {e}"),
        })?;
    }
    Ok(())
}

/// A round with its organisation, after the access check for reading results.
pub struct RoundContext {
    pub org: Organisation,
    pub round: SurveyRound,
}

/// Loads a round the user may see (other organisation: not found).
pub async fn round_for(
    store: &Store,
    user: &User,
    round_id: i64,
) -> Result<RoundContext, AppError> {
    let round = store.survey_round(round_id).await?;
    access::require_view_org(user, round.org_id)?;
    let org = store.organisation(round.org_id).await?;
    Ok(RoundContext { org, round })
}

/// Loads a round the user may administer (own organisation, other role: forbidden).
pub async fn round_for_admin(
    store: &Store,
    user: &User,
    round_id: i64,
) -> Result<RoundContext, AppError> {
    let ctx = round_for(store, user, round_id).await?;
    access::require_admin_org(user, ctx.round.org_id)?;
    Ok(ctx)
}

/// Results may be read by organisation admins, the programme, and managers (their own
/// teams only); planners have no access to survey results.
pub fn require_results_access(user: &User, org_id: i64) -> Result<(), AppError> {
    access::require_view_org(user, org_id)?;
    match user.role {
        store::Role::ProgrammeAdmin | store::Role::OrgAdmin | store::Role::Manager => Ok(()),
        store::Role::Planner | store::Role::RegioLezer => Err(AppError::Forbidden),
    }
}

/// The submissions of a round (team names resolved, archived teams included). Free-text
/// answers are left out: they are published only after review (see [`free_text_results`]).
pub async fn submissions(store: &Store, round: &SurveyRound) -> Result<Vec<Submission>, AppError> {
    let teams: BTreeMap<i64, String> = store
        .all_teams(round.org_id)
        .await?
        .into_iter()
        .map(|t| (t.id, t.name))
        .collect();
    let mut out = Vec::new();
    for r in store.survey_responses(round.id).await? {
        let mut response: survey::Response = serde_json::from_str(&r.answers)
            .map_err(|e| AppError::internal(format!("stored answers: {e}")))?;
        response
            .answers
            .retain(|_, a| !matches!(a, survey::Answer::Text(_)));
        out.push(Submission {
            team: r.team_id.and_then(|t| teams.get(&t).cloned()),
            response,
        });
    }
    Ok(out)
}

/// The anonymity policy of a round: the minimum group size frozen when the round opened,
/// or the organisation's current one when that is larger (raising k applies to old
/// rounds; lowering it is not retroactive).
pub fn policy(org: &Organisation, round: &SurveyRound) -> Policy {
    use crate::policy::OrganisationPolicy;
    org.round_policy(round).survey()
}

/// Why results are not shown yet: the round is not closed.
pub fn not_released(round: &SurveyRound) -> AppError {
    AppError::Invalid {
        field: "status",
        message: format!(
            "De resultaten van '{}' komen beschikbaar als de ronde gesloten is. Zolang de \
             ronde loopt, ziet u alleen de respons: anders zou elk nieuw antwoord te volgen \
             zijn.",
            round.name
        ),
    }
}

/// Invited people per team of a round (teams with 0 invited are left out: no rate).
pub async fn invited(store: &Store, round_id: i64) -> Result<BTreeMap<String, u64>, AppError> {
    Ok(store
        .survey_round_teams(round_id)
        .await?
        .into_iter()
        .filter(|t| t.invited > 0)
        .map(|t| (t.team, t.invited as u64))
        .collect())
}

/// The options of a round's whole-organisation analysis: the round's anonymity policy,
/// the organisation's full-time hours and the invited counts. Every output that shows
/// survey figures of a round (the results page, the Value Case) analyses with these.
pub async fn analysis_options(
    store: &Store,
    org: &Organisation,
    round: &SurveyRound,
) -> Result<AnalysisOptions, AppError> {
    Ok(AnalysisOptions {
        policy: policy(org, round),
        full_time_hours: org.fulltime_hours,
        invited: invited(store, round.id).await?,
        ..AnalysisOptions::default()
    })
}

/// The whole-organisation results of a round with the round's minimum group size and the
/// organisation's full-time hours (no access check: for callers that checked, and the
/// command line). Only for a closed round: while a round is open nothing is computed, so
/// results cannot be compared before and after one response (see [`not_released`]).
pub async fn analyse_round(store: &Store, ctx: &RoundContext) -> Result<SurveyResults, AppError> {
    if ctx.round.status != "gesloten" {
        return Err(not_released(&ctx.round));
    }
    let q = questionnaire(&ctx.round)?;
    let subs = submissions(store, &ctx.round).await?;
    let opts = analysis_options(store, &ctx.org, &ctx.round).await?;
    let k = opts.policy.k();
    let mut results = survey::analyse(&q, &subs, &opts);
    if let Some(f) = results.figures.as_mut() {
        f.free_text = free_text_results(store, &q, ctx.round.id, k).await?;
    }
    Ok(results)
}

/// Free text at organisation level: only texts the programme team approved (edited where
/// needed), and only when at least `k` are approved for a question; sorted alphabetically.
pub async fn free_text_results(
    store: &Store,
    q: &Questionnaire,
    round_id: i64,
    k: u64,
) -> Result<Vec<survey::results::FreeTextResult>, AppError> {
    let approved = store.approved_survey_free_texts(round_id).await?;
    Ok(q.questions
        .iter()
        .filter(|qq| matches!(qq.kind, survey::QuestionKind::Text { .. }))
        .map(|qq| {
            let mut answers: Vec<String> = approved
                .iter()
                .filter(|(question, _)| *question == qq.id)
                .map(|(_, t)| t.clone())
                .collect();
            answers.sort();
            let shown = answers.len() as u64 >= k;
            survey::results::FreeTextResult {
                question: qq.id.clone(),
                suppressed: !shown,
                answers: shown.then_some(answers),
            }
        })
        .collect())
}

/// Results as JSON for the API and the command line: the `SurveyResults` shape plus
/// `import_round` (whether the answers were read in from another tool).
pub fn results_json(ctx: &RoundContext, results: &SurveyResults) -> serde_json::Value {
    let mut v = serde_json::json!(results);
    v["import_round"] = serde_json::json!(ctx.round.import_round);
    v
}

/// The results of a round for `user`: the whole analysis for organisation admins and the
/// programme; for a manager only the teams they lead (organisation-level figures and
/// breakdowns removed). Figures are always those of the full analysis, so what a manager
/// sees is a subset of what passed suppression for the whole organisation.
pub async fn results_for(
    store: &Store,
    user: &User,
    ctx: &RoundContext,
) -> Result<SurveyResults, AppError> {
    require_results_access(user, ctx.org.id)?;
    let mut results = analyse_round(store, ctx).await?;
    if user.role == store::Role::Manager {
        let mine: Vec<String> = store
            .all_teams(ctx.org.id)
            .await?
            .into_iter()
            .filter(|t| user.team_ids.contains(&t.id))
            .map(|t| t.name)
            .collect();
        results.figures = None;
        results.breakdowns.clear();
        results.teams.retain(|t| mine.contains(&t.team));
    }
    Ok(results)
}

/// The note that marks an import round in every output.
pub const IMPORT_NOTE: &str = "Let op: deze antwoorden zijn ingelezen uit een ander programma \
     (importronde), niet met Urenwinst verzameld.";

/// The aggregated tables of a result (headlines and answers), ready for CSV or XLSX; for
/// an import round a first table `bron` says the answers were read in.
pub fn tables(round: &SurveyRound, q: &Questionnaire, results: &SurveyResults) -> Vec<Table> {
    let mut out = Vec::new();
    if round.import_round {
        out.push(Table {
            name: "bron".into(),
            headers: vec!["bron".into()],
            rows: vec![vec![TableCell::Text(IMPORT_NOTE.into())]],
        });
    }
    out.push(export::headline_table(results));
    out.push(export::answers_table(q, results));
    out
}

/// All tables as one CSV (Dutch Excel settings), separated by an empty line.
pub fn tables_csv(tables: &[Table]) -> Result<String, AppError> {
    let mut out = String::new();
    for (i, t) in tables.iter().enumerate() {
        let opts = CsvOptions {
            bom: i == 0,
            ..CsvOptions::default()
        };
        let csv = t
            .to_csv(&opts)
            .map_err(|e| AppError::internal(format!("csv: {e}")))?;
        if i > 0 {
            out.push_str("\r\n");
        }
        out.push_str(&csv);
    }
    Ok(out)
}

/// All tables as an XLSX workbook, one sheet per table; suppressed figures as "—".
pub fn tables_xlsx(tables: &[Table]) -> Result<Vec<u8>, AppError> {
    use rust_xlsxwriter::{Format, Workbook};
    let err = |e: rust_xlsxwriter::XlsxError| AppError::internal(format!("xlsx: {e}"));
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let pct = Format::new().set_num_format("0.0%");
    let num = Format::new().set_num_format("0.0#");
    for t in tables {
        let ws = wb.add_worksheet();
        ws.set_name(sheet_name(&t.name)).map_err(err)?;
        for (c, h) in t.headers.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, h, &bold)
                .map_err(err)?;
        }
        for (r, row) in t.rows.iter().enumerate() {
            let r = (r + 1) as u32;
            for (c, cell) in row.iter().enumerate() {
                let c = c as u16;
                match cell {
                    TableCell::Text(s) => ws.write_string(r, c, s).map(|_| ()),
                    TableCell::Int(n) => ws.write_number(r, c, *n as f64).map(|_| ()),
                    TableCell::Number(x) => ws.write_number_with_format(r, c, *x, &num).map(|_| ()),
                    TableCell::Percent(x) => {
                        ws.write_number_with_format(r, c, *x, &pct).map(|_| ())
                    }
                    TableCell::Suppressed => ws.write_string(r, c, "—").map(|_| ()),
                    TableCell::Empty => Ok(()),
                }
                .map_err(err)?;
            }
        }
        ws.set_freeze_panes(1, 0).map_err(err)?;
    }
    wb.save_to_buffer().map_err(err)
}

fn sheet_name(name: &str) -> String {
    let clean: String = name
        .chars()
        .filter(|c| !matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\'))
        .take(31)
        .collect();
    if clean.is_empty() {
        "tabel".into()
    } else {
        clean
    }
}

/// Raw anonymous responses (programme admin only; coarsened by crate `survey`).
pub async fn raw_csv(store: &Store, user: &User, ctx: &RoundContext) -> Result<String, AppError> {
    access::require_programme_admin(user)?;
    if ctx.round.status != "gesloten" {
        return Err(not_released(&ctx.round));
    }
    let q = questionnaire(&ctx.round)?;
    let subs = submissions(store, &ctx.round).await?;
    let (table, _dropped) = export::raw_export(
        &q,
        &subs,
        &RawExportOptions {
            min_group_size: policy(&ctx.org, &ctx.round).k(),
            include_free_text: false,
        },
    );
    table
        .to_csv(&CsvOptions::default())
        .map_err(|e| AppError::internal(format!("csv: {e}")))
}

/// New codes for teams of a round: (team name, code), stored only as hashes. The plain
/// codes exist only in this answer; the caller hands them out (CSV, print sheet, API).
/// Callers check access first (`round_for_admin`).
pub async fn create_codes(
    store: &Store,
    actor: &Actor,
    ctx: &RoundContext,
    per_team: &[(i64, u32)],
) -> Result<Vec<(String, String)>, AppError> {
    let teams = store.survey_round_teams(ctx.round.id).await?;
    let mut out = Vec::new();
    for (team_id, count) in per_team {
        if *count == 0 {
            continue;
        }
        if *count > 2000 {
            return Err(AppError::Invalid {
                field: "count",
                message: "Maak maximaal 2000 codes per team tegelijk.".into(),
            });
        }
        let team = teams
            .iter()
            .find(|t| t.team_id == *team_id)
            .ok_or_else(|| AppError::Invalid {
                field: "team_id",
                message: "Dit team doet niet mee aan deze ronde.".into(),
            })?;
        let codes: Vec<String> = (0..*count).map(|_| new_code()).collect();
        let hashes: Vec<String> = codes.iter().map(|c| store::hash_secret(c)).collect();
        store
            .add_survey_codes(ctx.round.id, *team_id, &hashes)
            .await?;
        out.extend(codes.into_iter().map(|c| (team.team.clone(), c)));
    }
    store
        .audit(
            actor,
            Some(ctx.round.org_id),
            "survey.codes",
            &ctx.round.name,
            &format!("{} codes", out.len()),
        )
        .await?;
    Ok(out)
}

/// The result of an import attempt.
#[derive(Debug, Clone, Serialize)]
pub struct ImportReport {
    /// Whether the responses were stored (only when no row has an error).
    pub imported: bool,
    pub rows_read: usize,
    pub responses: usize,
    pub diagnostics: Vec<mapping::Diagnostic>,
    /// The mapping used (proposed when none was given), for the mapping step.
    pub mapping: Mapping,
    /// Problems with the mapping as a whole (Dutch).
    pub mapping_problems: Vec<String>,
}

/// At most this many columns in an import file.
pub const MAX_IMPORT_COLUMNS: usize = 200;
/// At most this many characters in one cell of an import file.
pub const MAX_IMPORT_CELL: usize = 2000;
/// At most this many rows in an import file.
pub const MAX_IMPORT_ROWS: usize = 20_000;
/// Reading, header matching and checking an import get this much time (off the async
/// runtime, on a blocking thread).
pub const IMPORT_TIME_BUDGET: std::time::Duration = std::time::Duration::from_secs(20);

fn import_invalid(message: String) -> AppError {
    AppError::Invalid {
        field: "file",
        message,
    }
}

/// What the blocking part of an import produces.
struct Checked {
    rows_read: usize,
    mapping: Mapping,
    mapping_problems: Vec<String>,
    diagnostics: Vec<mapping::Diagnostic>,
    /// Good rows: spreadsheet row number and the validated response.
    good: Vec<(usize, Submission)>,
}

/// Reads the file, proposes or checks the mapping and validates every row like a web
/// response (skip logic and required answers included). CPU-bound: runs on a blocking
/// thread.
/// How the columns of an import file are mapped to the questionnaire.
#[derive(Debug, Clone, Default)]
pub enum MappingChoice {
    /// Propose a mapping from the headers and values.
    #[default]
    Propose,
    /// A whole mapping (the JSON API and the command line).
    Given(Mapping),
    /// Targets chosen per column on the import form (by column position; `None` = not
    /// used); other columns keep the proposal.
    Columns(std::collections::BTreeMap<usize, Option<mapping::Target>>),
}

impl From<Option<Mapping>> for MappingChoice {
    fn from(m: Option<Mapping>) -> MappingChoice {
        m.map_or(MappingChoice::Propose, MappingChoice::Given)
    }
}

fn check_import(
    q: &Questionnaire,
    bytes: &[u8],
    given: MappingChoice,
) -> Result<Checked, AppError> {
    // Stop reading at the import's own limits (one row of room to say it has too many).
    let limits = import::Limits {
        max_columns: MAX_IMPORT_COLUMNS + 1,
        max_rows: MAX_IMPORT_ROWS + 1,
        ..import::Limits::default()
    };
    let table = import::read_table_with(bytes, &limits).map_err(|e| {
        let d = e.to_diagnostic();
        import_invalid(match d.fix_nl {
            Some(fix) => format!(
                "Het bestand kon niet worden gelezen: {}. {fix}.",
                d.message_nl
            ),
            None => format!("Het bestand kon niet worden gelezen: {}.", d.message_nl),
        })
    })?;
    if table.headers.len() > MAX_IMPORT_COLUMNS {
        return Err(import_invalid(format!(
            "Het bestand heeft {} kolommen; we lezen er maximaal {MAX_IMPORT_COLUMNS}. Laat \
             kolommen die niet bij de vragenlijst horen weg en probeer het opnieuw.",
            table.headers.len()
        )));
    }
    if table.rows.len() > MAX_IMPORT_ROWS {
        return Err(import_invalid(format!(
            "Het bestand heeft {} regels; we lezen er maximaal {MAX_IMPORT_ROWS} tegelijk. \
             Splits het bestand.",
            table.rows.len()
        )));
    }
    let mut rows: Vec<Vec<String>> = Vec::with_capacity(table.rows.len());
    for r in &table.rows {
        if r.cells.len() > MAX_IMPORT_COLUMNS {
            return Err(import_invalid(format!(
                "Regel {} heeft {} kolommen; we lezen er maximaal {MAX_IMPORT_COLUMNS}.",
                r.number,
                r.cells.len()
            )));
        }
        let cells: Vec<String> = r.cells.iter().map(|c| c.display()).collect();
        if let Some((i, c)) = cells
            .iter()
            .enumerate()
            .find(|(_, c)| c.chars().count() > MAX_IMPORT_CELL)
        {
            return Err(import_invalid(format!(
                "Regel {}, kolom '{}': de cel heeft {} tekens; maximaal {MAX_IMPORT_CELL}. \
                 Maak de tekst korter.",
                r.number,
                table.headers.get(i).map(String::as_str).unwrap_or("?"),
                c.chars().count()
            )));
        }
        rows.push(cells);
    }
    if let Some(h) = table
        .headers
        .iter()
        .find(|h| h.chars().count() > MAX_IMPORT_CELL)
    {
        return Err(import_invalid(format!(
            "Een kolomkop heeft {} tekens; maximaal {MAX_IMPORT_CELL}.",
            h.chars().count()
        )));
    }
    let mapping = match given {
        MappingChoice::Propose => mapping::propose_mapping(q, &table.headers, &rows),
        MappingChoice::Given(m) => m,
        MappingChoice::Columns(chosen) => mapping::with_targets(q, &table.headers, &rows, &chosen),
    };
    let mut checked = Checked {
        rows_read: 0,
        mapping,
        mapping_problems: vec![],
        diagnostics: vec![],
        good: vec![],
    };
    if let Err(e) = mapping::convert(q, &checked.mapping, &[]) {
        checked.mapping_problems = e.problems;
        return Ok(checked);
    }
    if !checked
        .mapping
        .columns
        .iter()
        .any(|c| matches!(c.target, Some(mapping::Target::Question(_))))
    {
        checked.mapping_problems.push(
            "Geen enkele kolom hoort bij een vraag van de vragenlijst. Controleer de kolomkoppen \
             of geef een koppeling mee."
                .into(),
        );
        return Ok(checked);
    }
    let column_of = |question: &str| -> String {
        checked
            .mapping
            .columns
            .iter()
            .find(|c| matches!(&c.target, Some(mapping::Target::Question(id)) if id == question))
            .map(|c| c.header.clone())
            .unwrap_or_else(|| question.to_string())
    };
    let mut diagnostics = Vec::new();
    let mut good = Vec::new();
    let mut rows_read = 0;
    for (row, r) in table.rows.iter().zip(&rows) {
        let number = row.number as usize;
        let outcome = match mapping::convert(q, &checked.mapping, std::slice::from_ref(r)) {
            Ok(o) => o,
            Err(e) => {
                checked.mapping_problems = e.problems;
                return Ok(checked);
            }
        };
        rows_read += outcome.rows_read;
        for mut d in outcome.diagnostics {
            d.row = number;
            diagnostics.push(d);
        }
        for sub in outcome.submissions {
            if sub.response.answers.is_empty() {
                diagnostics.push(mapping::Diagnostic {
                    row: number,
                    field: String::new(),
                    question: None,
                    severity: mapping::Severity::Error,
                    message: format!("Regel {number}: geen enkele vraag is beantwoord."),
                    fix: "Laat lege regels weg, of controleer of de kolommen bij de vragen horen."
                        .into(),
                });
                continue;
            }
            match q.validate(&sub.response) {
                Ok(v) => good.push((
                    number,
                    Submission {
                        team: sub.team,
                        response: v.response,
                    },
                )),
                Err(errs) => {
                    for e in errs.errors {
                        diagnostics.push(mapping::Diagnostic {
                            row: number,
                            field: column_of(&e.question),
                            question: Some(e.question.clone()),
                            severity: mapping::Severity::Error,
                            message: format!("Regel {number}: {}", e.nl),
                            fix: e.hint_nl.clone(),
                        });
                    }
                }
            }
        }
    }
    checked.rows_read = rows_read;
    checked.diagnostics = diagnostics;
    checked.good = good;
    Ok(checked)
}

/// Imports responses from CSV/XLSX bytes into an import round, all or nothing: when any
/// row has an error, nothing is stored and the report lists every row's problems (Dutch).
/// Only a round created as an import round takes an import (a round that collects
/// responses itself could otherwise be padded with known rows), and only before it is
/// closed. Every row is validated like a web response; free-text answers go to review.
pub async fn import_responses(
    store: &Store,
    actor: &Actor,
    ctx: &RoundContext,
    bytes: &[u8],
    given: impl Into<MappingChoice>,
    dry_run: bool,
) -> Result<ImportReport, AppError> {
    let given = given.into();
    if !ctx.round.import_round {
        return Err(import_invalid(
            "Antwoorden inlezen kan alleen in een importronde. Deze ronde verzamelt zelf \
             antwoorden met codes of links; maak voor antwoorden uit een ander programma een \
             nieuwe ronde aan en kies daarbij 'importronde'."
                .into(),
        ));
    }
    if ctx.round.status == "gesloten" {
        return Err(import_invalid(
            "Deze ronde is gesloten; er kunnen geen antwoorden meer bij.".into(),
        ));
    }
    let q = questionnaire(&ctx.round)?.into_owned();
    let data = bytes.to_vec();
    let task = tokio::task::spawn_blocking(move || check_import(&q, &data, given));
    let checked = match tokio::time::timeout(IMPORT_TIME_BUDGET, task).await {
        Ok(Ok(r)) => r?,
        Ok(Err(e)) => return Err(AppError::internal(format!("import task: {e}"))),
        Err(_) => {
            return Err(import_invalid(format!(
                "Het controleren van het bestand duurde langer dan {} seconden. Maak het \
                 bestand kleiner (minder regels of kolommen) en probeer het opnieuw.",
                IMPORT_TIME_BUDGET.as_secs()
            )));
        }
    };
    if !checked.mapping_problems.is_empty() {
        return Ok(ImportReport {
            imported: false,
            rows_read: checked.rows_read,
            responses: 0,
            diagnostics: checked.diagnostics,
            mapping: checked.mapping,
            mapping_problems: checked.mapping_problems,
        });
    }
    let teams = store.survey_round_teams(ctx.round.id).await?;
    let mut diagnostics = checked.diagnostics;
    let mut responses = Vec::new();
    let mut texts = Vec::new();
    let day = today();
    for (row, sub) in &checked.good {
        let team_id = match &sub.team {
            None => None,
            Some(name) => match teams
                .iter()
                .find(|t| t.team.eq_ignore_ascii_case(name.trim()))
            {
                Some(t) => Some(t.team_id),
                None => {
                    diagnostics.push(mapping::Diagnostic {
                        row: *row,
                        field: "team".into(),
                        question: None,
                        severity: mapping::Severity::Error,
                        message: format!(
                            "Regel {row}: team '{name}' doet niet mee aan deze ronde."
                        ),
                        fix: format!(
                            "Gebruik een van deze teams: {}.",
                            teams
                                .iter()
                                .map(|t| t.team.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    });
                    continue;
                }
            },
        };
        let mut response = sub.response.clone();
        response.answers.retain(|id, a| match a {
            survey::Answer::Text(t) => {
                texts.push((id.clone(), t.clone()));
                false
            }
            _ => true,
        });
        responses.push(NewResponse {
            team_id,
            version: ctx.round.version,
            answers: serde_json::to_string(&response).map_err(AppError::internal)?,
            day: day.clone(),
            source: "import",
        });
    }
    diagnostics.sort_by_key(|d| d.row);
    let has_errors = diagnostics
        .iter()
        .any(|d| d.severity == mapping::Severity::Error);
    let imported = !has_errors && !dry_run && !responses.is_empty();
    if imported {
        store
            .import_survey_responses_with_texts(ctx.round.id, &responses, &texts)
            .await?;
        store
            .audit(
                actor,
                Some(ctx.round.org_id),
                "survey.import",
                &ctx.round.name,
                &format!("{} antwoorden", responses.len()),
            )
            .await?;
    }
    Ok(ImportReport {
        imported,
        rows_read: checked.rows_read,
        responses: responses.len(),
        diagnostics,
        mapping: checked.mapping,
        mapping_problems: vec![],
    })
}

/// The free-text answers of a round for review (programme team only: no organisation user
/// sees a text before it is approved).
pub async fn free_texts_for_review(
    store: &Store,
    user: &User,
    ctx: &RoundContext,
) -> Result<Vec<store::FreeText>, AppError> {
    access::require_programme_admin(user)?;
    Ok(store.survey_free_texts(ctx.round.id).await?)
}

/// Reviews one free-text answer (programme team only): `approve` (publish as written, or
/// the edited `text` with identifying details taken out) or `withhold`. Audited without the
/// text itself.
pub async fn review_free_text(
    store: &Store,
    user: &User,
    id: i64,
    action: &str,
    text: Option<&str>,
) -> Result<store::FreeText, AppError> {
    access::require_programme_admin(user)?;
    let item = store.survey_free_text(id).await?;
    let round = store.survey_round(item.round_id).await?;
    let edited = text
        .map(str::trim)
        .filter(|t| !t.is_empty() && *t != item.text.trim());
    let (status, published, audit_action) = match action {
        "approve" => match edited {
            Some(t) => ("approved", Some(t), "survey.free_text.edit"),
            None => (
                "approved",
                Some(item.text.as_str()),
                "survey.free_text.approve",
            ),
        },
        "withhold" => ("withheld", None, "survey.free_text.withhold"),
        _ => {
            return Err(AppError::Invalid {
                field: "action",
                message: "Kies goedkeuren of achterhouden.".into(),
            });
        }
    };
    store.review_survey_free_text(id, status, published).await?;
    store
        .audit(
            &crate::audit::actor(user),
            Some(round.org_id),
            audit_action,
            &round.name,
            &format!("open antwoord {id} bij vraag {}", item.question),
        )
        .await?;
    Ok(store.survey_free_text(id).await?)
}

/// Live response rates of a round (organisation admins), through
/// `survey::results::response_rates`: only teams that reach the minimum group size show
/// figures, with complementary suppression.
pub async fn response_rates(
    store: &Store,
    ctx: &RoundContext,
) -> Result<survey::results::ResponseRates, AppError> {
    let teams = store.survey_round_teams(ctx.round.id).await?;
    let invited = invited(store, ctx.round.id).await?;
    let names: BTreeMap<i64, String> = teams.iter().map(|t| (t.team_id, t.team.clone())).collect();
    let mut responded = BTreeMap::new();
    let mut unknown = 0u64;
    for (team, n) in store.survey_response_counts(ctx.round.id).await? {
        match team.and_then(|t| names.get(&t)) {
            Some(name) => {
                responded.insert(name.clone(), n as u64);
            }
            None => unknown += n as u64,
        }
    }
    let mut rates = survey::results::response_rates(
        &invited,
        &responded,
        unknown,
        &policy(&ctx.org, &ctx.round),
    );
    if ctx.round.status == "gesloten" {
        // Once results are published, the response rates may show no team that the
        // results hide: the results' disclosure audit can hide more teams than the
        // response-rate rule alone (to protect cells of other breakdowns), and a
        // respondent count shown here would undo that.
        let results = analyse_round(store, ctx).await?;
        align_rates_with_results(&mut rates, &results);
    }
    Ok(rates)
}

/// Hides in `rates` every figure that `results` hides: the organisation when it is
/// suppressed there, and each team that is suppressed (or folded) or absent there.
pub fn align_rates_with_results(
    rates: &mut survey::results::ResponseRates,
    results: &SurveyResults,
) {
    if results.suppressed {
        rates.suppressed = true;
        rates.respondents = None;
        rates.response_rate = None;
    }
    for t in &mut rates.teams {
        let shown = results
            .teams
            .iter()
            .any(|r| r.team == t.team && !r.cell.suppressed && r.cell.figures.is_some());
        if !shown && !t.suppressed {
            t.suppressed = true;
            t.respondents = None;
            t.invited = None;
            t.response_rate = None;
        }
    }
}

/// The teams of a round for admins (API), with `codes_used` only where the response-rate
/// suppression shows the team's respondents (else `null`): used codes count respondents,
/// so they follow the same rule.
pub async fn round_teams_json(
    store: &Store,
    ctx: &RoundContext,
) -> Result<Vec<serde_json::Value>, AppError> {
    let teams = store.survey_round_teams(ctx.round.id).await?;
    let rates = response_rates(store, ctx).await?;
    Ok(teams
        .iter()
        .map(|t| {
            let shown = rates
                .teams
                .iter()
                .any(|r| r.team == t.team && !r.suppressed && r.respondents.is_some());
            let mut v = serde_json::json!(t);
            if !shown {
                v["codes_used"] = serde_json::Value::Null;
            }
            v
        })
        .collect())
}

// ----- round administration (one call each for page, API and command line) ------------

/// Creates a survey round for the teams `team_ids`. Extra questions are the programme's
/// choice (they keep rounds comparable) and are checked against the questionnaire.
pub async fn create_round(
    store: &Store,
    by: Caller<'_>,
    org_id: i64,
    input: &store::NewSurveyRound,
    team_ids: &[i64],
) -> Result<SurveyRound, AppError> {
    by.require_admin_org(org_id)?;
    let custom = input.custom_questions.trim();
    if !(custom.is_empty() || custom == "[]" || by.is_programme_admin()) {
        return Err(AppError::Forbidden);
    }
    check_custom(&input.questionnaire, input.version, &input.custom_questions)?;
    let round = store.create_survey_round(org_id, input, team_ids).await?;
    store
        .audit(
            &by.actor(),
            Some(org_id),
            "survey.round.create",
            &round.name,
            &round.kind,
        )
        .await?;
    Ok(round)
}

/// Loads a round the caller may administer.
pub async fn round_for_caller(
    store: &Store,
    by: Caller<'_>,
    round_id: i64,
) -> Result<RoundContext, AppError> {
    match by {
        Caller::User(user) => round_for_admin(store, user, round_id).await,
        Caller::Operator => {
            let round = store.survey_round(round_id).await?;
            let org = store.organisation(round.org_id).await?;
            Ok(RoundContext { org, round })
        }
    }
}

/// Sets a round's status (`concept`, `open`, `gesloten`); returns the round as it is now.
pub async fn set_round_status(
    store: &Store,
    by: Caller<'_>,
    round_id: i64,
    status: &str,
) -> Result<SurveyRound, AppError> {
    let ctx = round_for_caller(store, by, round_id).await?;
    store.set_survey_round_status(round_id, status).await?;
    store
        .audit(
            &by.actor(),
            Some(ctx.org.id),
            "survey.round.status",
            &ctx.round.name,
            status,
        )
        .await?;
    let round = store.survey_round(round_id).await?;
    if round.status == "open" && ctx.round.status != "open" {
        // Addresses listed before the round opened get their invitation now.
        let ctx = RoundContext {
            org: ctx.org,
            round: round.clone(),
        };
        crate::survey_mail::on_round_opened(store, by, &ctx).await?;
    }
    Ok(round)
}

/// Deletes a round; returns what it was.
pub async fn delete_round(
    store: &Store,
    by: Caller<'_>,
    round_id: i64,
) -> Result<RoundContext, AppError> {
    let ctx = round_for_caller(store, by, round_id).await?;
    store.delete_survey_round(round_id).await?;
    store
        .audit(
            &by.actor(),
            Some(ctx.org.id),
            "survey.round.delete",
            &ctx.round.name,
            "",
        )
        .await?;
    Ok(ctx)
}

/// Sets how many people were invited per team of a round (`(team_id, invited)` pairs);
/// the basis of the response rates.
pub async fn set_invited(
    store: &Store,
    by: Caller<'_>,
    round_id: i64,
    invited: &[(i64, i64)],
) -> Result<(), AppError> {
    round_for_caller(store, by, round_id).await?;
    for &(team_id, n) in invited {
        store.set_round_team_invited(round_id, team_id, n).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use survey::{Answer, Response};

    fn submission(team: &str, openness: &str) -> Submission {
        let mut response = Response::new();
        response
            .answers
            .insert("bereidheid".into(), Answer::Choice(openness.into()));
        Submission {
            team: Some(team.into()),
            response,
        }
    }

    /// A team that the results hide (here: hidden by hand, as the cross-table audit may do)
    /// loses its figures in the response rates too; teams the results show keep theirs.
    #[test]
    fn closed_round_rates_hide_what_the_results_hide() {
        let q = survey::Questionnaire::standard("medewerkers", 1).unwrap();
        let mut subs = Vec::new();
        for team in ["Berk", "Eik", "Linde"] {
            for i in 0..6 {
                subs.push(submission(
                    team,
                    if i % 2 == 0 { "ja_zeker" } else { "nee" },
                ));
            }
        }
        let invited: BTreeMap<String, u64> = ["Berk", "Eik", "Linde"]
            .iter()
            .map(|t| (t.to_string(), 8))
            .collect();
        let opts = AnalysisOptions {
            invited: invited.clone(),
            ..AnalysisOptions::default()
        };
        let mut results = survey::analyse(q, &subs, &opts);
        let responded: BTreeMap<String, u64> = invited.keys().map(|t| (t.clone(), 6)).collect();
        let mut rates =
            survey::results::response_rates(&invited, &responded, 0, &Policy::default());
        assert!(rates.teams.iter().all(|t| !t.suppressed));

        let eik = results.teams.iter_mut().find(|t| t.team == "Eik").unwrap();
        eik.cell.suppressed = true;
        eik.cell.figures = None;
        align_rates_with_results(&mut rates, &results);
        let eik = rates.teams.iter().find(|t| t.team == "Eik").unwrap();
        assert!(eik.suppressed);
        assert_eq!(
            (eik.respondents, eik.invited, eik.response_rate),
            (None, None, None)
        );
        let berk = rates.teams.iter().find(|t| t.team == "Berk").unwrap();
        assert_eq!(berk.respondents, Some(6));

        results.suppressed = true;
        align_rates_with_results(&mut rates, &results);
        assert!(rates.suppressed && rates.respondents.is_none());
    }
}
