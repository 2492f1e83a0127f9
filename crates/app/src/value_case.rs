//! The Value Case service (issue 29): assembles an organisation's Value Case from stored
//! data, keeps the Fase 0 interview, records generated and shared reports, and computes the
//! Fase 0 checklist for one or all organisations. Pages, API, command line and PDF call
//! these functions; the computation itself is the pure crate `valuecase`.
//!
//! Access is an explicit argument ([`Caller`]): the web layer passes the signed-in user,
//! the command line [`Caller::Operator`]; the rules live in [`crate::access`].

use std::sync::OnceLock;

use chrono::NaiveDate;
use store::{
    InterviewItemRecord, InterviewRecord, Organisation, Store, SurveyRound, ValueCaseReport,
    ValueCaseShare,
};
use valuecase::checklist::{Checklist, Fase0Facts, RoundFacts};
use valuecase::interview::{Interview, InterviewItem};
use valuecase::{Respondent, RespondentRole, RosterScanSummary, Rules, ValueCase};

use crate::access::Caller;
use crate::survey::{questionnaire, submissions};
use crate::{AppError, AppResult};

/// The recommendation rules shipped with `valuecase`, loaded once.
pub fn rules() -> AppResult<&'static Rules> {
    static RULES: OnceLock<Result<Rules, String>> = OnceLock::new();
    RULES
        .get_or_init(|| Rules::embedded().map_err(|e| e.to_string()))
        .as_ref()
        .map_err(|e| AppError::internal(format!("recommendation rules: {e}")))
}

fn invalid(field: &'static str, message: impl Into<String>) -> AppError {
    AppError::Invalid {
        field,
        message: message.into(),
    }
}

fn parse_date(field: &'static str, s: &str) -> AppResult<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| invalid(field, format!("'{s}' is geen geldige datum.")))
}

/// Whether a round asks employees about a bigger contract (the Value Case's survey).
fn is_employee_round(round: &SurveyRound) -> bool {
    questionnaire(round)
        .map(|q| q.by_role(survey::Role::Openness).is_some())
        .unwrap_or(false)
}

/// Invited people of a round (sum over its teams), when any team has a count.
async fn invited(store: &Store, round_id: i64) -> AppResult<Option<u64>> {
    let total: u64 = crate::survey::invited(store, round_id)
        .await?
        .values()
        .sum();
    Ok((total > 0).then_some(total))
}

fn closed_sort_key(r: &SurveyRound) -> (String, i64) {
    (r.closes_on.clone(), r.id)
}

/// The round a Value Case uses: `round` when given (must be this organisation's, closed,
/// and an employees' round), else the employees' round closed last.
async fn choose_round(store: &Store, org_id: i64, round: Option<i64>) -> AppResult<SurveyRound> {
    let rounds = store.survey_rounds(org_id).await?;
    match round {
        Some(id) => {
            let r = rounds
                .into_iter()
                .find(|r| r.id == id)
                .ok_or(AppError::NotFound)?;
            if !is_employee_round(&r) {
                return Err(invalid(
                    "round",
                    format!(
                        "Ronde '{}' vraagt medewerkers niet naar een groter contract; kies een ronde met de vragenlijst voor medewerkers.",
                        r.name
                    ),
                ));
            }
            if r.status != "gesloten" {
                // Invalid, not Conflict: the pages and the API show this reason as it is
                // (Conflict means "the name is in use").
                return Err(invalid(
                    "round",
                    format!(
                        "Ronde '{}' is nog niet gesloten. De Value Case gebruikt alleen resultaten van een gesloten ronde: zolang de ronde loopt, zou elk nieuw antwoord te volgen zijn.",
                        r.name
                    ),
                ));
            }
            Ok(r)
        }
        None => rounds
            .into_iter()
            .filter(|r| r.status == "gesloten" && is_employee_round(r))
            .max_by_key(closed_sort_key)
            .ok_or_else(|| {
                invalid(
                    "round",
                    "Er is nog geen gesloten ronde van de vragenlijst voor medewerkers. Sluit eerst een ronde.",
                )
            }),
    }
}

/// The managers' round that goes with it: the managers' round closed last, if any.
async fn manager_round(store: &Store, org_id: i64) -> AppResult<Option<SurveyRound>> {
    Ok(store
        .survey_rounds(org_id)
        .await?
        .into_iter()
        .filter(|r| r.status == "gesloten" && r.questionnaire == "leidinggevenden")
        .max_by_key(closed_sort_key))
}

/// Converts a stored interview (codes checked).
pub fn interview_from_record(rec: &InterviewRecord) -> AppResult<Interview> {
    let items = rec
        .items
        .iter()
        .map(|i| {
            Ok(InterviewItem {
                kind: i
                    .kind
                    .parse()
                    .map_err(|e| invalid("items", format!("{e}")))?,
                theme: i
                    .theme
                    .parse()
                    .map_err(|e| invalid("items", format!("{e}")))?,
                text: i.text.clone(),
                quote: i.quote.clone(),
                who: i.who.clone(),
                in_report: i.in_report,
            })
        })
        .collect::<AppResult<Vec<_>>>()?;
    Ok(Interview {
        held_on: rec
            .held_on
            .as_deref()
            .map(|d| parse_date("held_on", d))
            .transpose()?,
        participants: rec.participants.clone(),
        contract_policy: rec.contract_policy.clone(),
        roster_practice: rec.roster_practice.clone(),
        flex_pnil: rec.flex_pnil.clone(),
        earlier_initiatives: rec.earlier_initiatives.clone(),
        items,
    })
}

fn interview_to_record(i: &Interview) -> InterviewRecord {
    InterviewRecord {
        held_on: i.held_on.map(|d| d.format("%Y-%m-%d").to_string()),
        participants: i.participants.clone(),
        contract_policy: i.contract_policy.clone(),
        roster_practice: i.roster_practice.clone(),
        flex_pnil: i.flex_pnil.clone(),
        earlier_initiatives: i.earlier_initiatives.clone(),
        items: i
            .items
            .iter()
            .map(|x| InterviewItemRecord {
                kind: x.kind.code().to_string(),
                theme: x.theme.code().to_string(),
                text: x.text.clone(),
                quote: x.quote.clone(),
                who: x.who.clone(),
                in_report: x.in_report,
            })
            .collect(),
        updated_at: 0,
        updated_by: None,
    }
}

async fn roster_scans(store: &Store, org_id: i64) -> AppResult<Vec<RosterScanSummary>> {
    store
        .roster_scan_summaries(org_id)
        .await?
        .into_iter()
        .map(|s| {
            Ok(RosterScanSummary {
                scanned_on: parse_date("scanned_on", &s.scanned_on)?,
                employees: s.employees.max(0) as u64,
                shifts: s.shifts.max(0) as u64,
                short_shift_share: s.short_shift_share,
                split_shift_share: s.split_shift_share,
            })
        })
        .collect()
}

/// Assembles the Value Case of `org_id` from stored data.
///
/// Defaults: the employees' round closed last, and the HR snapshot whose peildatum is
/// nearest the round's close date (the earlier one on a tie). An open round is refused:
/// results exist only after closing. `today` is the report date (no clock inside).
pub async fn assemble(
    store: &Store,
    caller: Caller<'_>,
    org_id: i64,
    round: Option<i64>,
    snapshot: Option<NaiveDate>,
    today: NaiveDate,
) -> AppResult<ValueCase> {
    assemble_with(
        store,
        caller,
        org_id,
        round,
        snapshot,
        today,
        valuecase::DEFAULT_RESAMPLES,
    )
    .await
}

/// [`assemble`] with a chosen number of bootstrap resamples (benchmarks, tests).
pub async fn assemble_with(
    store: &Store,
    caller: Caller<'_>,
    org_id: i64,
    round: Option<i64>,
    snapshot: Option<NaiveDate>,
    today: NaiveDate,
    resamples: u32,
) -> AppResult<ValueCase> {
    caller.require_value_case_view(org_id)?;
    let org: Organisation = store.organisation(org_id).await?;
    let round = choose_round(store, org_id, round).await?;
    let closes_on = parse_date("round", &round.closes_on)?;
    let opens_on = parse_date("round", &round.opens_on)?;

    let snapshots = store.hr_snapshots(org_id).await?;
    let dated: Vec<(NaiveDate, &store::HrSnapshot)> = snapshots
        .iter()
        .map(|s| Ok((parse_date("snapshot", &s.peildatum)?, s)))
        .collect::<AppResult<_>>()?;
    let chosen = match snapshot {
        Some(d) => dated.iter().find(|(p, _)| *p == d).ok_or_else(|| {
            invalid(
                "snapshot",
                format!(
                    "Er is geen HR-bestand met peildatum {}.",
                    d.format("%d-%m-%Y")
                ),
            )
        })?,
        None => dated
            .iter()
            .min_by_key(|(p, _)| ((*p - closes_on).num_days().abs(), *p))
            .ok_or_else(|| {
                invalid(
                    "snapshot",
                    "Er is nog geen HR-bestand. Lees eerst een HR-bestand in (nulmeting).",
                )
            })?,
    };
    let previous = dated
        .iter()
        .filter(|(p, _)| *p < chosen.0)
        .max_by_key(|(p, _)| *p);
    let employees = store.hr_employees(chosen.1.id).await?;
    let previous_snapshot = match previous {
        Some((p, s)) => Some(valuecase::Snapshot {
            peildatum: *p,
            employees: store.hr_employees(s.id).await?,
        }),
        None => None,
    };

    let q = questionnaire(&round)?;
    let subs = submissions(store, &round).await?;
    // The survey results page of the same round: the Value Case hides what it hides.
    let gate = valuecase::SurveyGate::from_results(&survey::analyse(
        &q,
        &subs,
        &crate::survey::analysis_options(store, &org, &round).await?,
    ));
    let mut respondents: Vec<Respondent> = subs
        .iter()
        .map(|s| Respondent::from_submission(&q, RespondentRole::Employee, s))
        .collect();
    let mround = manager_round(store, org_id).await?;
    let mq = match &mround {
        Some(r) => Some(questionnaire(r)?),
        None => None,
    };
    if let (Some(r), Some(mq)) = (&mround, &mq) {
        respondents.extend(
            submissions(store, r)
                .await?
                .iter()
                .map(|s| Respondent::from_submission(mq, RespondentRole::Manager, s)),
        );
    }
    let interview = match store.interview(org_id).await? {
        Some(rec) => Some(interview_from_record(&rec)?),
        None => None,
    };
    let k = round.effective_min_group_size(org.min_group_size).max(2) as u64;
    let input = valuecase::Input {
        organisation_id: org.id,
        organisation: org.name.clone(),
        round: valuecase::RoundRef {
            id: round.id,
            name: round.name.clone(),
            questionnaire: round.questionnaire.clone(),
            opens_on,
            closes_on,
            invited: invited(store, round.id).await?,
        },
        questionnaire: &q,
        manager_questionnaire: mq.as_deref(),
        snapshot: valuecase::Snapshot {
            peildatum: chosen.0,
            employees,
        },
        previous_snapshot,
        full_time_hours: org.fulltime_hours,
        min_group_size: k,
        respondents,
        pnil: store.pnil_entries(org_id).await?,
        wage_cost_per_fte_year_cents: store.hr_wage_cost(org_id).await?,
        interview,
        roster_scans: roster_scans(store, org_id).await?,
        today,
        resamples,
        survey_gate: Some(gate),
    };
    Ok(valuecase::compute(&input, rules()?))
}

/// A round a Value Case can be made from.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RoundChoice {
    pub id: i64,
    pub name: String,
    pub closes_on: NaiveDate,
}

/// What the page's round and snapshot pickers offer, with the defaults [`assemble`] uses.
/// `default_round`/`default_snapshot` are `None` when a Value Case cannot be made yet.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Choices {
    /// Closed employees' rounds, last closed first.
    pub rounds: Vec<RoundChoice>,
    /// Peildata of the HR snapshots, newest first.
    pub snapshots: Vec<NaiveDate>,
    pub default_round: Option<i64>,
    pub default_snapshot: Option<NaiveDate>,
}

/// The rounds and snapshots a Value Case of `org_id` can use, and the defaults.
pub async fn choices(store: &Store, caller: Caller<'_>, org_id: i64) -> AppResult<Choices> {
    caller.require_value_case_view(org_id)?;
    store.organisation(org_id).await?;
    let mut rounds: Vec<SurveyRound> = store
        .survey_rounds(org_id)
        .await?
        .into_iter()
        .filter(|r| r.status == "gesloten" && is_employee_round(r))
        .collect();
    rounds.sort_by_key(|r| std::cmp::Reverse(closed_sort_key(r)));
    let rounds = rounds
        .iter()
        .map(|r| {
            Ok(RoundChoice {
                id: r.id,
                name: r.name.clone(),
                closes_on: parse_date("round", &r.closes_on)?,
            })
        })
        .collect::<AppResult<Vec<_>>>()?;
    let mut snapshots = store
        .hr_snapshots(org_id)
        .await?
        .iter()
        .map(|s| parse_date("snapshot", &s.peildatum))
        .collect::<AppResult<Vec<_>>>()?;
    snapshots.sort_by(|a, b| b.cmp(a));
    let default_round = rounds.first();
    let default_snapshot = default_round.and_then(|r| {
        snapshots
            .iter()
            .min_by_key(|p| ((**p - r.closes_on).num_days().abs(), **p))
            .copied()
    });
    Ok(Choices {
        default_round: default_round.map(|r| r.id),
        default_snapshot,
        rounds,
        snapshots,
    })
}

/// The organisation's interview, if recorded.
pub async fn interview(
    store: &Store,
    caller: Caller<'_>,
    org_id: i64,
) -> AppResult<Option<Interview>> {
    caller.require_view_org(org_id)?;
    store.organisation(org_id).await?;
    match store.interview(org_id).await? {
        Some(rec) => Ok(Some(interview_from_record(&rec)?)),
        None => Ok(None),
    }
}

/// Saves (creates or replaces) the organisation's interview after validation.
pub async fn save_interview(
    store: &Store,
    caller: Caller<'_>,
    org_id: i64,
    mut interview: Interview,
) -> AppResult<Interview> {
    caller.require_value_case_edit(org_id)?;
    store.organisation(org_id).await?;
    interview.validate().map_err(|e| AppError::Invalid {
        field: e.field,
        message: e.message,
    })?;
    check_interview_characters(&interview)?;
    store
        .save_interview(org_id, &interview_to_record(&interview), caller.user_id())
        .await?;
    tracing::info!(org_id, items = interview.items.len(), "interview saved");
    Ok(interview)
}

/// NUL and other control characters (line breaks and tabs aside), bidi overrides and
/// zero-width characters are refused in the interview's texts, on both databases
/// (PostgreSQL refuses NUL in text with an error that was a 500).
fn check_interview_characters(i: &Interview) -> AppResult<()> {
    let bad = |t: &str| {
        t.chars()
            .any(|c| !matches!(c, '\n' | '\r' | '\t') && store::text::is_forbidden_in_name(c))
    };
    let fields = [
        ("participants", i.participants.as_str()),
        ("contract_policy", i.contract_policy.as_str()),
        ("roster_practice", i.roster_practice.as_str()),
        ("flex_pnil", i.flex_pnil.as_str()),
        ("earlier_initiatives", i.earlier_initiatives.as_str()),
    ];
    let items = i.items.iter().flat_map(|item| {
        [
            ("items", item.text.as_str()),
            ("items", item.quote.as_deref().unwrap_or("")),
            ("items", item.who.as_str()),
        ]
    });
    match fields.into_iter().chain(items).find(|(_, t)| bad(t)) {
        Some((field, _)) => Err(AppError::from(store::StoreError::Invalid {
            field,
            violation: store::Violation::TextCharacters,
        })),
        None => Ok(()),
    }
}

/// Records that the Value Case of `vc` was shared with its organisation.
pub async fn share(store: &Store, caller: Caller<'_>, vc: &ValueCase) -> AppResult<ValueCaseShare> {
    caller.require_value_case_edit(vc.organisation.id)?;
    let s = store
        .record_value_case_share(
            vc.organisation.id,
            Some(vc.round.id),
            &vc.snapshot.peildatum.format("%Y-%m-%d").to_string(),
            caller.user_id(),
        )
        .await?;
    tracing::info!(
        org_id = vc.organisation.id,
        round_id = vc.round.id,
        "value case shared"
    );
    Ok(s)
}

/// Records that `vc` was generated as `format` (`html`, `pdf`, `json`), for the checklist.
pub async fn record_generated(
    store: &Store,
    caller: Caller<'_>,
    vc: &ValueCase,
    format: &str,
) -> AppResult<ValueCaseReport> {
    caller.require_value_case_view(vc.organisation.id)?;
    Ok(store
        .record_value_case_report(
            vc.organisation.id,
            Some(vc.round.id),
            &vc.snapshot.peildatum.format("%Y-%m-%d").to_string(),
            format,
            caller.user_id(),
        )
        .await?)
}

/// The shares of an organisation's Value Case, newest first.
pub async fn shares(
    store: &Store,
    caller: Caller<'_>,
    org_id: i64,
) -> AppResult<Vec<ValueCaseShare>> {
    caller.require_value_case_view(org_id)?;
    Ok(store.value_case_shares(org_id).await?)
}

/// The facts of one organisation's Fase 0, from its rounds and snapshots and the counts.
async fn facts(store: &Store, org_id: i64, counts: &store::Fase0Counts) -> AppResult<Fase0Facts> {
    let rounds: Vec<SurveyRound> = store
        .survey_rounds(org_id)
        .await?
        .into_iter()
        .filter(is_employee_round)
        .collect();
    // The round that matters: the last closed one, else the newest.
    let round = rounds
        .iter()
        .filter(|r| r.status == "gesloten")
        .max_by_key(|r| closed_sort_key(r))
        .or_else(|| rounds.iter().max_by_key(|r| r.id));
    let round = match round {
        Some(r) => {
            let respondents: i64 = store
                .survey_response_counts(r.id)
                .await?
                .iter()
                .map(|(_, n)| *n)
                .sum();
            Some(RoundFacts {
                round_id: r.id,
                name: r.name.clone(),
                status: r.status.clone(),
                closes_on: parse_date("round", &r.closes_on)?,
                respondents: respondents.max(0) as u64,
                invited: invited(store, r.id).await?,
            })
        }
        None => None,
    };
    let snapshots = store
        .hr_snapshots(org_id)
        .await?
        .iter()
        .map(|s| parse_date("snapshot", &s.peildatum))
        .collect::<AppResult<Vec<_>>>()?;
    Ok(Fase0Facts {
        interview_recorded: counts.interview,
        round,
        snapshots,
        pnil_months: counts.pnil_months.max(0) as u32,
        roster_scans: counts.roster_scans.max(0) as u32,
        report_generated: counts.reports > 0,
        report_shared: counts.shares > 0,
    })
}

/// The Fase 0 checklist of one organisation.
pub async fn checklist(store: &Store, caller: Caller<'_>, org_id: i64) -> AppResult<Checklist> {
    caller.require_value_case_view(org_id)?;
    store.organisation(org_id).await?;
    let counts = store
        .fase0_counts()
        .await?
        .remove(&org_id)
        .unwrap_or_default();
    Ok(valuecase::checklist::checklist(
        &facts(store, org_id, &counts).await?,
    ))
}

/// The Fase 0 checklist of every organisation, by name (the programme's overview).
pub async fn checklists(
    store: &Store,
    caller: Caller<'_>,
) -> AppResult<Vec<(Organisation, Checklist)>> {
    caller.require_programme_admin()?;
    let mut counts = store.fase0_counts().await?;
    let mut out = Vec::new();
    for org in store.organisations().await? {
        let c = counts.remove(&org.id).unwrap_or_default();
        let f = facts(store, org.id, &c).await?;
        out.push((org, valuecase::checklist::checklist(&f)));
    }
    Ok(out)
}

/// The counts of one roster scan, for the Fase 0 checklist and the Value Case.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RosterScanCounts {
    /// The scan's last day.
    pub scanned_on: NaiveDate,
    pub employees: u64,
    pub shifts: u64,
    pub short_shifts: u64,
    pub split_shifts: u64,
}

/// Records the summary of a roster scan of `org_id` (the checklist's roster-scan step).
/// The programme and the organisation's admins may record one.
pub async fn record_roster_scan(
    store: &Store,
    caller: Caller<'_>,
    org_id: i64,
    counts: RosterScanCounts,
) -> AppResult<RosterScanSummary> {
    caller.require_value_case_edit(org_id)?;
    store.organisation(org_id).await?;
    let share = |part: u64| {
        if counts.shifts == 0 {
            0.0
        } else {
            (part as f64 / counts.shifts as f64).clamp(0.0, 1.0)
        }
    };
    let rec = store
        .add_roster_scan_summary(
            org_id,
            &store::RosterScanRecord {
                id: 0,
                org_id,
                scanned_on: counts.scanned_on.format("%Y-%m-%d").to_string(),
                employees: i64::try_from(counts.employees).unwrap_or(i64::MAX),
                shifts: i64::try_from(counts.shifts).unwrap_or(i64::MAX),
                short_shift_share: share(counts.short_shifts),
                split_shift_share: share(counts.split_shifts),
                recorded_at: 0,
            },
        )
        .await?;
    tracing::info!(org_id, "roster scan summary recorded");
    Ok(RosterScanSummary {
        scanned_on: counts.scanned_on,
        employees: rec.employees.max(0) as u64,
        shifts: rec.shifts.max(0) as u64,
        short_shift_share: rec.short_shift_share,
        split_shift_share: rec.split_shift_share,
    })
}
