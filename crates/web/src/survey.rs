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

use crate::{PageError, access};

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
) -> Result<std::borrow::Cow<'static, Questionnaire>, PageError> {
    use std::borrow::Cow;
    let version = u32::try_from(round.version)
        .map_err(|_| PageError::BadRequest("Onbekende versie van de vragenlijst.".into()))?;
    let base = Questionnaire::standard(&round.questionnaire, version)
        .map_err(|e| PageError::BadRequest(format!("De vragenlijst bestaat niet: {e}")))?;
    let custom = round.custom_questions.trim();
    if custom.is_empty() || custom == "[]" {
        return Ok(Cow::Borrowed(base));
    }
    let custom: Vec<RawQuestion> = serde_json::from_str(custom)
        .map_err(|e| PageError::Internal(anyhow::anyhow!("custom questions: {e}")))?;
    base.with_custom(custom)
        .map(Cow::Owned)
        .map_err(|e| PageError::Invalid {
            field: "custom_questions".into(),
            message: format!("De extra vragen kloppen niet: {e}"),
        })
}

/// Checks extra questions (JSON list) against the standard questionnaire before storing.
pub fn check_custom(key: &str, version: i64, custom_json: &str) -> Result<(), PageError> {
    let version = u32::try_from(version)
        .map_err(|_| PageError::BadRequest("Onbekende versie van de vragenlijst.".into()))?;
    let base = Questionnaire::standard(key, version).map_err(|_| PageError::Invalid {
        field: "questionnaire".into(),
        message: "Kies een bestaande vragenlijst.".into(),
    })?;
    let custom: Vec<RawQuestion> = serde_json::from_str(if custom_json.trim().is_empty() {
        "[]"
    } else {
        custom_json
    })
    .map_err(|e| PageError::Invalid {
        field: "custom_questions".into(),
        message: format!("De extra vragen zijn geen geldige lijst: {e}"),
    })?;
    if !custom.is_empty() {
        base.with_custom(custom).map_err(|e| PageError::Invalid {
            field: "custom_questions".into(),
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
) -> Result<RoundContext, PageError> {
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
) -> Result<RoundContext, PageError> {
    let ctx = round_for(store, user, round_id).await?;
    access::require_admin_org(user, ctx.round.org_id)?;
    Ok(ctx)
}

/// Results may be read by organisation admins, the programme, and managers (their own
/// teams only); planners have no access to survey results.
pub fn require_results_access(user: &User, org_id: i64) -> Result<(), PageError> {
    access::require_view_org(user, org_id)?;
    match user.role {
        store::Role::ProgrammeAdmin | store::Role::OrgAdmin | store::Role::Manager => Ok(()),
        store::Role::Planner => Err(PageError::Forbidden),
    }
}

/// The submissions of a round (team names resolved).
pub async fn submissions(store: &Store, round: &SurveyRound) -> Result<Vec<Submission>, PageError> {
    let teams: BTreeMap<i64, String> = store
        .teams(round.org_id)
        .await?
        .into_iter()
        .map(|t| (t.id, t.name))
        .collect();
    let mut out = Vec::new();
    for r in store.survey_responses(round.id).await? {
        let response = serde_json::from_str(&r.answers)
            .map_err(|e| PageError::Internal(anyhow::anyhow!("stored answers: {e}")))?;
        out.push(Submission {
            team: r.team_id.and_then(|t| teams.get(&t).cloned()),
            response,
        });
    }
    Ok(out)
}

/// The anonymity policy of an organisation.
pub fn policy(org: &Organisation) -> Policy {
    Policy {
        min_group_size: org.min_group_size.max(2) as u64,
        ..Policy::default()
    }
}

/// Invited people per team of a round (teams with 0 invited are left out: no rate).
pub async fn invited(store: &Store, round_id: i64) -> Result<BTreeMap<String, u64>, PageError> {
    Ok(store
        .survey_round_teams(round_id)
        .await?
        .into_iter()
        .filter(|t| t.invited > 0)
        .map(|t| (t.team, t.invited as u64))
        .collect())
}

/// The whole-organisation results of a round with the organisation's minimum group size
/// and full-time hours (no access check: for callers that checked, and the command line).
pub async fn analyse_round(store: &Store, ctx: &RoundContext) -> Result<SurveyResults, PageError> {
    let q = questionnaire(&ctx.round)?;
    let subs = submissions(store, &ctx.round).await?;
    let opts = AnalysisOptions {
        policy: policy(&ctx.org),
        full_time_hours: ctx.org.fulltime_hours,
        invited: invited(store, ctx.round.id).await?,
        ..AnalysisOptions::default()
    };
    Ok(survey::analyse(&q, &subs, &opts))
}

/// The results of a round for `user`: the whole analysis for organisation admins and the
/// programme; for a manager only the teams they lead (organisation-level figures and
/// breakdowns removed). Figures are always those of the full analysis, so what a manager
/// sees is a subset of what passed suppression for the whole organisation.
pub async fn results_for(
    store: &Store,
    user: &User,
    ctx: &RoundContext,
) -> Result<SurveyResults, PageError> {
    require_results_access(user, ctx.org.id)?;
    let mut results = analyse_round(store, ctx).await?;
    if user.role == store::Role::Manager {
        let mine: Vec<String> = store
            .teams(ctx.org.id)
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

/// The aggregated tables of a result (headlines and answers), ready for CSV or XLSX.
pub fn tables(q: &Questionnaire, results: &SurveyResults) -> Vec<Table> {
    vec![
        export::headline_table(results),
        export::answers_table(q, results),
    ]
}

/// All tables as one CSV (Dutch Excel settings), separated by an empty line.
pub fn tables_csv(tables: &[Table]) -> Result<String, PageError> {
    let mut out = String::new();
    for (i, t) in tables.iter().enumerate() {
        let opts = CsvOptions {
            bom: i == 0,
            ..CsvOptions::default()
        };
        let csv = t
            .to_csv(&opts)
            .map_err(|e| PageError::Internal(anyhow::anyhow!("csv: {e}")))?;
        if i > 0 {
            out.push_str("\r\n");
        }
        out.push_str(&csv);
    }
    Ok(out)
}

/// All tables as an XLSX workbook, one sheet per table; suppressed figures as "—".
pub fn tables_xlsx(tables: &[Table]) -> Result<Vec<u8>, PageError> {
    use rust_xlsxwriter::{Format, Workbook};
    let err = |e: rust_xlsxwriter::XlsxError| PageError::Internal(anyhow::anyhow!("xlsx: {e}"));
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
pub async fn raw_csv(store: &Store, user: &User, ctx: &RoundContext) -> Result<String, PageError> {
    access::require_programme_admin(user)?;
    let q = questionnaire(&ctx.round)?;
    let subs = submissions(store, &ctx.round).await?;
    let (table, _dropped) = export::raw_export(
        &q,
        &subs,
        &RawExportOptions {
            min_group_size: policy(&ctx.org).k(),
            include_free_text: false,
        },
    );
    table
        .to_csv(&CsvOptions::default())
        .map_err(|e| PageError::Internal(anyhow::anyhow!("csv: {e}")))
}

/// New codes for teams of a round: (team name, code), stored only as hashes. The plain
/// codes exist only in this answer; the caller hands them out (CSV, print sheet, API).
/// Callers check access first (`round_for_admin`).
pub async fn create_codes(
    store: &Store,
    actor: &Actor,
    ctx: &RoundContext,
    per_team: &[(i64, u32)],
) -> Result<Vec<(String, String)>, PageError> {
    let teams = store.survey_round_teams(ctx.round.id).await?;
    let mut out = Vec::new();
    for (team_id, count) in per_team {
        if *count == 0 {
            continue;
        }
        if *count > 2000 {
            return Err(PageError::Invalid {
                field: "count".into(),
                message: "Maak maximaal 2000 codes per team tegelijk.".into(),
            });
        }
        let team = teams
            .iter()
            .find(|t| t.team_id == *team_id)
            .ok_or_else(|| PageError::Invalid {
                field: "team_id".into(),
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

pub fn actor_of(user: &User) -> Actor {
    Actor {
        id: Some(user.id),
        label: user.email.clone(),
    }
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

/// Imports responses from CSV/XLSX bytes into a round, all or nothing: when any row has an
/// error, nothing is stored and the report lists every row's problems (Dutch).
pub async fn import_responses(
    store: &Store,
    actor: &Actor,
    ctx: &RoundContext,
    bytes: &[u8],
    given: Option<Mapping>,
    dry_run: bool,
) -> Result<ImportReport, PageError> {
    let table = import::read_table(bytes).map_err(|e| PageError::Invalid {
        field: "file".into(),
        message: format!("Het bestand kon niet worden gelezen: {e}"),
    })?;
    let q = questionnaire(&ctx.round)?;
    let rows: Vec<Vec<String>> = table
        .rows
        .iter()
        .map(|r| r.cells.iter().map(|c| c.display()).collect())
        .collect();
    let mapping = given.unwrap_or_else(|| mapping::propose_mapping(&q, &table.headers, &rows));
    let outcome = match mapping::convert(&q, &mapping, &rows) {
        Ok(o) => o,
        Err(e) => {
            return Ok(ImportReport {
                imported: false,
                rows_read: rows.len(),
                responses: 0,
                diagnostics: vec![],
                mapping,
                mapping_problems: e.problems,
            });
        }
    };
    let teams = store.survey_round_teams(ctx.round.id).await?;
    let mut diagnostics = outcome.diagnostics.clone();
    let mut responses = Vec::new();
    let day = today();
    for (i, sub) in outcome.submissions.iter().enumerate() {
        let team_id = match &sub.team {
            None => None,
            Some(name) => match teams
                .iter()
                .find(|t| t.team.eq_ignore_ascii_case(name.trim()))
            {
                Some(t) => Some(t.team_id),
                None => {
                    diagnostics.push(mapping::Diagnostic {
                        row: 0,
                        field: "team".into(),
                        question: None,
                        severity: mapping::Severity::Error,
                        message: format!(
                            "Antwoord {}: team '{name}' doet niet mee aan deze ronde.",
                            i + 1
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
        responses.push(NewResponse {
            team_id,
            version: ctx.round.version,
            answers: serde_json::to_string(&sub.response)
                .map_err(|e| PageError::Internal(e.into()))?,
            day: day.clone(),
            source: "import",
        });
    }
    let has_errors = diagnostics
        .iter()
        .any(|d| d.severity == mapping::Severity::Error);
    let imported = !has_errors && !dry_run && !responses.is_empty();
    if imported {
        store
            .import_survey_responses(ctx.round.id, &responses)
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
        rows_read: outcome.rows_read,
        responses: responses.len(),
        diagnostics,
        mapping,
        mapping_problems: vec![],
    })
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

/// Live response rates of a round (organisation admins), through
/// `survey::results::response_rates`: only teams that reach the minimum group size show
/// figures, with complementary suppression.
pub async fn response_rates(
    store: &Store,
    ctx: &RoundContext,
) -> Result<survey::results::ResponseRates, PageError> {
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
    Ok(survey::results::response_rates(
        &invited,
        &responded,
        unknown,
        &policy(&ctx.org),
    ))
}

// ----- demo data ---------------------------------------------------------------------

/// One demo round: organisation, respondents per team (in team order; a team below the
/// minimum group size shows suppression), and the openness answers as exact counts
/// (`ja_zeker`, `ja_onder_voorwaarden`, `nee`, `weet_ik_niet`, `al_voltijd`).
struct DemoRound {
    org: &'static str,
    per_team: &'static [u64],
    openness: [u64; 5],
    open_now: bool,
}

/// De Dinkel reproduces the reference case (Zorggroep Sint Maarten, DOMAIN.md): 14% "ja,
/// zeker" and 31% "onder voorwaarden" of 100 respondents, so 45% open. The other rounds
/// are believable variations; invited counts are respondents plus non-responders.
const DEMO_ROUNDS: &[DemoRound] = &[
    DemoRound {
        org: "Zorggroep De Dinkel",
        per_team: &[22, 19, 3, 17, 15, 13, 11],
        openness: [14, 31, 30, 15, 10],
        open_now: false,
    },
    DemoRound {
        org: "Stichting Twentse Horizon",
        per_team: &[14, 12, 4, 16],
        openness: [8, 15, 10, 7, 6],
        open_now: false,
    },
    DemoRound {
        org: "GGZ Regge en Vecht",
        per_team: &[11, 9, 13, 2],
        openness: [5, 12, 10, 5, 3],
        open_now: true,
    },
];

const OPENNESS: [&str; 5] = [
    "ja_zeker",
    "ja_onder_voorwaarden",
    "nee",
    "weet_ik_niet",
    "al_voltijd",
];

fn demo_response(rng: &mut impl rand::Rng, openness: &str) -> survey::Response {
    use survey::Answer;
    let pick = |rng: &mut dyn rand::RngCore, xs: &[&str]| -> String {
        xs[(rng.next_u32() as usize) % xs.len()].to_string()
    };
    let contract: f64 = match openness {
        "al_voltijd" => 36.0,
        _ => [12.0, 16.0, 18.0, 20.0, 24.0, 24.0, 27.0, 28.0, 32.0][rng.random_range(0..9)],
    };
    let extra_shifts = [0.0, 0.0, 2.0, 4.0, 6.0][rng.random_range(0..5)];
    let desired = match openness {
        "ja_zeker" | "ja_onder_voorwaarden" => {
            (contract + [4.0, 4.0, 6.0, 8.0, 8.0, 12.0][rng.random_range(0..6)]).min(36.0)
        }
        "nee" => contract - [0.0, 0.0, 0.0, 4.0][rng.random_range(0..4)],
        _ => contract,
    };
    let mut r = survey::Response::new()
        .with("contract_uren", Answer::Number(contract))
        .with("gewerkte_uren", Answer::Number(contract + extra_shifts))
        .with("gewenste_uren", Answer::Number(desired))
        .with("bereidheid", Answer::Choice(openness.into()));
    if openness == "ja_onder_voorwaarden" {
        let all = [
            "langere_diensten",
            "minder_opkomstmomenten",
            "vast_rooster",
            "zelf_roosteren",
            "andere_diensttijden",
            "combinatiediensten",
            "kinderopvang",
            "mantelzorg",
            "lagere_werkdruk",
            "zeker_financieel",
            "reistijd",
            "ontwikkeling",
        ];
        // The reference case's themes weigh most: longer shifts, fewer arrivals, a
        // predictable roster and certainty that it pays.
        let mut chosen: Vec<String> = Vec::new();
        for (i, o) in all.iter().enumerate() {
            let p = if i < 3 || *o == "zeker_financieel" {
                0.45
            } else {
                0.12
            };
            if rng.random_bool(p) {
                chosen.push(o.to_string());
            }
        }
        if chosen.is_empty() {
            chosen.push("zeker_financieel".into());
        }
        r.set("voorwaarden", Answer::Choices(chosen));
    }
    if openness == "nee" {
        let all = [
            "korte_diensten",
            "te_veel_opkomstmomenten",
            "onvoorspelbaar_rooster",
            "zorg_kinderen",
            "mantelzorg",
            "gezondheid",
            "werkdruk",
            "levert_niet_op",
            "tevreden",
        ];
        let mut chosen: Vec<String> = Vec::new();
        for o in all {
            let p = if matches!(o, "werkdruk" | "zorg_kinderen" | "levert_niet_op") {
                0.4
            } else {
                0.12
            };
            if rng.random_bool(p) {
                chosen.push(o.to_string());
            }
        }
        if chosen.is_empty() {
            chosen.push("tevreden".into());
        }
        r.set("belemmeringen", Answer::Choices(chosen));
    }
    r.set(
        "rondkomen",
        Answer::Choice(pick(rng, &["moeilijk", "lukt_net", "lukt_net", "goed"])),
    );
    r.set(
        "weet_netto",
        Answer::Choice(pick(rng, &["ja", "ongeveer", "nee", "nee"])),
    );
    r.set(
        "tevredenheid_rooster",
        Answer::Scale(rng.random_range(1..=5)),
    );
    r.set(
        "blijven",
        Answer::Choice(pick(
            rng,
            &[
                "zeker_wel",
                "waarschijnlijk_wel",
                "waarschijnlijk_wel",
                "weet_ik_niet",
                "waarschijnlijk_niet",
            ],
        )),
    );
    if rng.random_bool(0.85) {
        r.set(
            "leeftijd",
            Answer::Choice(pick(rng, &["tot_25", "25_34", "35_44", "45_54", "55_plus"])),
        );
    }
    if rng.random_bool(0.8) {
        r.set(
            "dienstjaren",
            Answer::Choice(pick(rng, &["tot_2", "2_5", "5_10", "10_plus"])),
        );
    }
    if rng.random_bool(0.85) {
        r.set(
            "functieniveau",
            Answer::Choice(pick(
                rng,
                &[
                    "helpende",
                    "verzorgende",
                    "verzorgende",
                    "verpleegkundige_mbo",
                    "hbo",
                    "ondersteunend",
                ],
            )),
        );
    }
    if rng.random_bool(0.7) {
        r.set(
            "huishouden",
            Answer::Choice(pick(
                rng,
                &["alleen", "alleen_kinderen", "samen", "samen_kinderen"],
            )),
        );
    }
    r
}

/// Loads demo survey rounds with responses into the demo region (deterministic: fixed
/// seed). Returns the number of responses stored.
pub async fn demo(store: &Store) -> anyhow::Result<usize> {
    use rand::seq::SliceRandom;
    use rand::{Rng, SeedableRng};
    let mut rng = rand::rngs::StdRng::seed_from_u64(20260914);
    let q = Questionnaire::standard("medewerkers", 1).map_err(|e| anyhow::anyhow!("{e}"))?;
    let today = chrono::NaiveDate::parse_from_str(&today(), "%Y-%m-%d")?;
    let mut total = 0;
    for d in DEMO_ROUNDS {
        let org = store.find_organisation(d.org).await?;
        let teams = store.teams(org.id).await?;
        let (opens, closes, name) = if d.open_now {
            (
                today - chrono::Days::new(7),
                today + chrono::Days::new(14),
                "Nulmeting (loopt nu)",
            )
        } else {
            (
                chrono::NaiveDate::from_ymd_opt(2026, 9, 14).unwrap_or(today),
                chrono::NaiveDate::from_ymd_opt(2026, 10, 4).unwrap_or(today),
                "Nulmeting najaar 2026",
            )
        };
        let round = store
            .create_survey_round(
                org.id,
                &store::NewSurveyRound {
                    name: name.into(),
                    kind: "nulmeting".into(),
                    questionnaire: "medewerkers".into(),
                    version: 1,
                    custom_questions: "[]".into(),
                    opens_on: opens.format("%Y-%m-%d").to_string(),
                    closes_on: closes.format("%Y-%m-%d").to_string(),
                    invitation_text: format!(
                        "Beste collega, {} wil weten wie meer uren wil werken en wat daarvoor \
                         nodig is. Uw antwoorden zijn anoniem.",
                        org.name
                    ),
                },
                &teams.iter().map(|t| t.id).collect::<Vec<_>>(),
            )
            .await?;
        let mut openness: Vec<&str> = Vec::new();
        for (i, n) in d.openness.iter().enumerate() {
            openness.extend(std::iter::repeat_n(OPENNESS[i], *n as usize));
        }
        openness.shuffle(&mut rng);
        let mut next = openness.into_iter();
        let mut responses = Vec::new();
        for (team, n) in teams.iter().zip(d.per_team) {
            let invited = n + n / 2 + 3;
            store
                .set_round_team_invited(round.id, team.id, invited as i64)
                .await?;
            for _ in 0..*n {
                let Some(o) = next.next() else { break };
                let validated = q
                    .validate(&demo_response(&mut rng, o))
                    .map_err(|e| anyhow::anyhow!("demo response invalid: {:?}", e.errors))?;
                let day = opens + chrono::Days::new(rng.random_range(0..7));
                responses.push(NewResponse {
                    team_id: Some(team.id),
                    version: 1,
                    answers: serde_json::to_string(&validated.response)?,
                    day: day.format("%Y-%m-%d").to_string(),
                    source: "code",
                });
            }
        }
        total += store.import_survey_responses(round.id, &responses).await?;
        store
            .set_survey_round_status(round.id, if d.open_now { "open" } else { "gesloten" })
            .await?;
    }
    Ok(total)
}
