//! Steering on impact (issue 31): goals and their measured progress, the impact report
//! ("Het Verhaal van …"), the region's impact picture, and contract requests ("Jouw
//! contract, een bewuste keuze") from the public form through the managers' pipeline.
//! The measuring is the pure crate `impact`; this module loads the data, checks access
//! and writes through `store`, with an audit entry for every change.
//!
//! Access: goals are set by the organisation's admins (and the programme); progress and
//! the report are read like the Value Case (admins, managers, programme). Requests are
//! seen and moved by the organisation's admins and by managers for their own teams only;
//! planners and the regio-lezer see none. The region's picture carries no organisation's
//! name or figure, only sums that pass the region's disclosure rules.

use std::collections::{BTreeMap, BTreeSet};

use ::impact::story::{RequestCounts, StoryInput};
use ::impact::{
    ContractChanges, Data, Goal, GoalKind, GoalProgress, Point, RequestCheck, RequestFact,
    RequestStatus, RosterScan, Snapshot, SurveyAnswer, SurveyRound,
};
use chrono::NaiveDate;
use rand::Rng;
use serde::Serialize;
use store::{
    ContractRequestRecord, GoalRecord, NewContractRequest, NewGoal, Organisation, RequestForm,
    RequestUpdate, Role, Store, Team, User,
};

use crate::access::Caller;
use crate::{AppError, AppResult};

fn invalid(field: &'static str, message: impl Into<String>) -> AppError {
    AppError::Invalid {
        field,
        message: message.into(),
    }
}

fn iso(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn parse_iso(field: &'static str, s: &str) -> AppResult<NaiveDate> {
    crate::nulmeting::parse_date(s, field)
}

// ------------------------------------------------------------------ goals

/// A goal as asked for by a page, the API or the command line.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct GoalInput {
    pub kind: String,
    pub target: f64,
    /// YYYY-MM-DD or DD-MM-YYYY.
    pub deadline: String,
    /// Default: today (the baseline snapshot is then the latest one).
    #[serde(default)]
    pub baseline_date: Option<String>,
    /// A team of the organisation by name (or id); empty: the whole organisation.
    #[serde(default)]
    pub team: Option<String>,
    /// Only for `manual` goals.
    #[serde(default)]
    pub baseline_value: Option<f64>,
    #[serde(default)]
    pub note: Option<String>,
}

fn kinds_list() -> String {
    GoalKind::ALL
        .iter()
        .map(|k| k.code())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Parses a goal kind with a Dutch message listing the kinds.
pub fn parse_kind(s: &str) -> AppResult<GoalKind> {
    s.trim().parse().map_err(|_| {
        invalid(
            "kind",
            format!(
                "'{}' is geen soort doel. Kies uit: {}.",
                s.trim(),
                kinds_list()
            ),
        )
    })
}

async fn find_team(store: &Store, org_id: i64, team: &str) -> AppResult<Team> {
    let t = team.trim();
    let teams = store.all_teams(org_id).await?;
    teams
        .iter()
        .find(|x| x.name.eq_ignore_ascii_case(t) || t.parse::<i64>().ok() == Some(x.id))
        .cloned()
        .ok_or_else(|| {
            invalid(
                "team",
                format!(
                    "Team '{t}' bestaat niet in deze organisatie. Kies uit: {}.",
                    teams
                        .iter()
                        .map(|x| x.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
        })
}

/// Adds a goal. The organisation's admins and the programme.
pub async fn add_goal(
    store: &Store,
    caller: Caller<'_>,
    org_id: i64,
    input: &GoalInput,
    today: NaiveDate,
) -> AppResult<GoalRecord> {
    caller.require_admin_org(org_id)?;
    store.organisation(org_id).await?;
    let kind = parse_kind(&input.kind)?;
    if !input.target.is_finite() {
        return Err(invalid("target", "Vul als streefwaarde een getal in."));
    }
    let baseline = match input.baseline_date.as_deref().map(str::trim) {
        Some(d) if !d.is_empty() => parse_iso("baseline_date", d)?,
        _ => today,
    };
    let deadline = parse_iso("deadline", &input.deadline)?;
    if deadline <= baseline {
        return Err(invalid(
            "deadline",
            format!(
                "De einddatum ({}) moet na de datum van de nulmeting ({}) liggen.",
                report::nl::date(deadline),
                report::nl::date(baseline)
            ),
        ));
    }
    let team = match input.team.as_deref().map(str::trim) {
        Some(t) if !t.is_empty() => Some(find_team(store, org_id, t).await?),
        _ => None,
    };
    if team.is_some() && !kind.team_scope_allowed() {
        return Err(invalid(
            "team",
            format!(
                "'{}' wordt per organisatie gemeten (de roosterscan), niet per team. Laat het team leeg.",
                kind.code()
            ),
        ));
    }
    let baseline_value = if kind == GoalKind::Manual {
        Some(input.baseline_value.filter(|v| v.is_finite()).ok_or_else(|| {
            invalid(
                "baseline_value",
                "Een eigen doel heeft een beginwaarde nodig: vul de waarde bij de nulmeting in.",
            )
        })?)
    } else {
        if input.baseline_value.is_some() {
            return Err(invalid(
                "baseline_value",
                format!(
                    "'{}' wordt gemeten uit de gegevens; alleen een eigen doel (manual) krijgt een ingevulde beginwaarde.",
                    kind.code()
                ),
            ));
        }
        None
    };
    let note = input.note.as_deref().unwrap_or("").trim();
    if note.chars().count() > 500 {
        return Err(invalid(
            "note",
            "De toelichting is te lang (maximaal 500 tekens).",
        ));
    }
    let (b, d) = (iso(baseline), iso(deadline));
    let rec = store
        .add_goal(
            org_id,
            &NewGoal {
                kind,
                team_id: team.as_ref().map(|t| t.id),
                baseline_date: &b,
                baseline_value,
                target: input.target,
                deadline: &d,
                note,
                created_by: caller.user_id(),
            },
        )
        .await?;
    store
        .audit(
            &caller.actor(),
            Some(org_id),
            "goal.add",
            kind.code(),
            &format!("streefwaarde {} vóór {d}", input.target),
        )
        .await?;
    Ok(rec)
}

/// Removes a goal.
pub async fn delete_goal(store: &Store, caller: Caller<'_>, org_id: i64, id: i64) -> AppResult<()> {
    caller.require_admin_org(org_id)?;
    let g = store.goal(org_id, id).await?;
    store.delete_goal(org_id, id).await?;
    store
        .audit(
            &caller.actor(),
            Some(org_id),
            "goal.delete",
            g.kind.code(),
            "",
        )
        .await?;
    Ok(())
}

/// Records a value of a `manual` goal.
pub async fn add_goal_value(
    store: &Store,
    caller: Caller<'_>,
    org_id: i64,
    goal_id: i64,
    measured_on: &str,
    value: f64,
    note: &str,
) -> AppResult<()> {
    caller.require_admin_org(org_id)?;
    let g = store.goal(org_id, goal_id).await?;
    if g.kind != GoalKind::Manual {
        return Err(invalid(
            "value",
            "Dit doel wordt gemeten uit de gegevens; alleen bij een eigen doel vult u zelf een waarde in.",
        ));
    }
    if !value.is_finite() {
        return Err(invalid("value", "Vul een getal in."));
    }
    let d = parse_iso("measured_on", measured_on)?;
    store
        .add_goal_value(
            org_id,
            goal_id,
            &iso(d),
            value,
            note.trim(),
            caller.user_id(),
        )
        .await?;
    store
        .audit(
            &caller.actor(),
            Some(org_id),
            "goal.value",
            "manual",
            &iso(d),
        )
        .await?;
    Ok(())
}

// ------------------------------------------------------------------ measuring

fn open_of(o: valuecase::Openness) -> bool {
    !matches!(o, valuecase::Openness::Closed)
}

async fn survey_rounds(store: &Store, org_id: i64) -> AppResult<Vec<SurveyRound>> {
    let mut out = Vec::new();
    let mut rounds: Vec<store::SurveyRound> = store
        .survey_rounds(org_id)
        .await?
        .into_iter()
        .filter(|r| r.status == "gesloten")
        .collect();
    rounds.sort_by(|a, b| (&a.closes_on, a.id).cmp(&(&b.closes_on, b.id)));
    for r in rounds {
        let q = crate::survey::questionnaire(&r)?;
        if q.by_role(survey::Role::Openness).is_none() {
            continue;
        }
        let satisfaction = q
            .questions
            .iter()
            .find(|x| x.id == "tevredenheid_rooster")
            .map(|x| x.id.clone());
        let answers = crate::survey::submissions(store, &r)
            .await?
            .iter()
            .map(|s| {
                let resp = valuecase::Respondent::from_submission(
                    &q,
                    valuecase::RespondentRole::Employee,
                    s,
                );
                SurveyAnswer {
                    team: s.team.clone(),
                    open: resp.openness.map(open_of),
                    schedule_satisfaction: satisfaction.as_deref().and_then(|id| {
                        match s.response.answers.get(id) {
                            Some(survey::Answer::Scale(v)) => Some(*v as f64),
                            _ => None,
                        }
                    }),
                }
            })
            .collect();
        out.push(SurveyRound {
            closes_on: parse_iso("closes_on", &r.closes_on)?,
            answers,
        });
    }
    Ok(out)
}

async fn snapshots(store: &Store, org_id: i64) -> AppResult<Vec<Snapshot>> {
    let mut out = Vec::new();
    for s in store.hr_snapshots(org_id).await? {
        out.push(Snapshot {
            peildatum: parse_iso("peildatum", &s.peildatum)?,
            employees: store.hr_employees(s.id).await?,
        });
    }
    out.sort_by_key(|s| s.peildatum);
    Ok(out)
}

fn team_names(teams: &[Team]) -> BTreeMap<i64, String> {
    teams.iter().map(|t| (t.id, t.name.clone())).collect()
}

fn request_fact(
    r: &ContractRequestRecord,
    teams: &BTreeMap<i64, String>,
) -> AppResult<RequestFact> {
    Ok(RequestFact {
        team: r.team_id.and_then(|t| teams.get(&t).cloned()),
        created_on: parse_iso("created_on", &r.created_on)?,
        accepted_on: if r.status.is_accepted() {
            r.accepted_on
                .as_deref()
                .map(|d| parse_iso("accepted_on", d))
                .transpose()?
        } else {
            None
        },
        hours_agreed: r.hours_agreed.filter(|_| r.status.is_accepted()),
    })
}

/// Everything goals of `org` are measured from.
async fn data(store: &Store, org: &Organisation) -> AppResult<Data> {
    let teams = team_names(&store.all_teams(org.id).await?);
    let roster_scans = store
        .roster_scan_summaries(org.id)
        .await?
        .iter()
        .map(|s| {
            Ok(RosterScan {
                scanned_on: parse_iso("scanned_on", &s.scanned_on)?,
                employees: s.employees.max(0) as u64,
                shifts: s.shifts.max(0) as u64,
                short_shift_share: s.short_shift_share,
            })
        })
        .collect::<AppResult<Vec<_>>>()?;
    Ok(Data {
        full_time_hours: crate::nulmeting::full_time_hours(org),
        min_group_size: crate::nulmeting::min_group_size(org),
        snapshots: snapshots(store, org.id).await?,
        pnil: store.pnil_entries(org.id).await?,
        roster_scans,
        survey_rounds: survey_rounds(store, org.id).await?,
        requests: store
            .contract_requests(org.id)
            .await?
            .iter()
            .map(|r| request_fact(r, &teams))
            .collect::<AppResult<Vec<_>>>()?,
    })
}

/// One goal with its progress (the JSON of `goals`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GoalView {
    pub id: i64,
    pub label: String,
    pub note: String,
    pub baseline_date: NaiveDate,
    #[serde(flatten)]
    pub progress: GoalProgress,
}

/// An organisation's impact on a date.
///
/// JSON: `{"organisation": {"id", "name"}, "as_of": "2026-07-15", "goals": [{"id",
/// "kind", "team", "baseline", "baseline_at", "target", "deadline", "measured",
/// "measured_at", "progress", "on_track", "expected", "suppressed", "trend", …}],
/// "contracts": {"from", "to", "grown", "hours_added", "fte_added", "shrunk",
/// "hours_removed", "joined", "left"} | null, "requests": {…counts}}`.
#[derive(Debug, Clone, Serialize)]
pub struct Impact {
    pub organisation: OrgRef,
    pub as_of: NaiveDate,
    pub goals: Vec<GoalView>,
    pub contracts: Option<ContractChanges>,
    /// Which interventions ran in the teams where hours grew (same period as `contracts`).
    pub contributed: Option<::impact::Contributions>,
    pub requests: RequestCounts,
    pub full_time_hours: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct OrgRef {
    pub id: i64,
    pub name: String,
}

fn goal_of(
    rec: &GoalRecord,
    teams: &BTreeMap<i64, String>,
    values: &[store::GoalValueRecord],
) -> AppResult<Goal> {
    Ok(Goal {
        kind: rec.kind,
        team: rec.team_id.and_then(|t| teams.get(&t).cloned()),
        baseline_date: parse_iso("baseline_date", &rec.baseline_date)?,
        target: rec.target,
        deadline: parse_iso("deadline", &rec.deadline)?,
        baseline_value: rec.baseline_value,
        manual_values: values
            .iter()
            .filter(|v| v.goal_id == rec.id)
            .map(|v| {
                Ok(Point {
                    date: parse_iso("measured_on", &v.measured_on)?,
                    value: v.value,
                })
            })
            .collect::<AppResult<Vec<_>>>()?,
    })
}

fn counts(
    requests: &[ContractRequestRecord],
    checks: &BTreeMap<i64, RequestCheck>,
) -> RequestCounts {
    RequestCounts {
        by_status: RequestStatus::ALL
            .iter()
            .map(|s| (*s, requests.iter().filter(|r| r.status == *s).count()))
            .collect(),
        total: requests.len(),
        accepted: requests.iter().filter(|r| r.status.is_accepted()).count(),
        hours_agreed: requests
            .iter()
            .filter(|r| r.status.is_accepted())
            .filter_map(|r| r.hours_agreed)
            .sum(),
        flagged: checks.values().filter(|c| c.is_flagged()).count(),
    }
}

fn check_of(r: &ContractRequestRecord, snapshots: &[Snapshot]) -> Option<RequestCheck> {
    if !r.status.is_accepted() {
        return None;
    }
    let requested = NaiveDate::parse_from_str(&r.created_on, "%Y-%m-%d").ok()?;
    let agreed = r
        .accepted_on
        .as_deref()
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())?;
    Some(::impact::check_agreed_hours(
        snapshots,
        r.employee_pseudonym.as_deref(),
        requested,
        agreed,
        r.hours_agreed.unwrap_or(0.0),
    ))
}

/// The interventions of the organisation's plan that ran ("bezig" or "afgerond"), with
/// their teams and dates, for "what contributed".
async fn interventions_run(
    store: &Store,
    org_id: i64,
    teams: &BTreeMap<i64, String>,
) -> AppResult<Vec<::impact::InterventionFact>> {
    let catalogue = crate::programme::catalogue()?;
    let day = |s: &Option<String>| {
        s.as_deref()
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
    };
    Ok(store
        .plan_items(org_id)
        .await?
        .into_iter()
        .filter(|p| {
            matches!(
                p.status,
                store::PlanStatus::Bezig | store::PlanStatus::Afgerond
            )
        })
        .map(|p| ::impact::InterventionFact {
            name: catalogue
                .iter()
                .find(|c| c.code == p.intervention)
                .map_or_else(|| p.intervention.clone(), |c| c.name.clone()),
            teams: p
                .team_ids
                .iter()
                .filter_map(|t| teams.get(t).cloned())
                .collect(),
            starts_on: day(&p.starts_on),
            ends_on: day(&p.ends_on),
            code: p.intervention,
        })
        .collect())
}

async fn impact_unchecked(
    store: &Store,
    org: &Organisation,
    as_of: NaiveDate,
) -> AppResult<Impact> {
    let teams = team_names(&store.all_teams(org.id).await?);
    let data = data(store, org).await?;
    let values = store.goal_values(org.id).await?;
    let records = store.goals(org.id).await?;
    let mut goals = Vec::new();
    for rec in &records {
        let goal = goal_of(rec, &teams, &values)?;
        goals.push(GoalView {
            id: rec.id,
            label: rec.kind.label_nl().to_string(),
            note: rec.note.clone(),
            baseline_date: goal.baseline_date,
            progress: ::impact::evaluate(&goal, &data, as_of),
        });
    }
    // Contracts from the earliest baseline of a goal (else the first snapshot).
    let baseline = goals
        .iter()
        .map(|g| g.baseline_date)
        .min()
        .unwrap_or(NaiveDate::MIN);
    let contracts = ::impact::contract_changes(&data, baseline, as_of);
    let contributed = ::impact::contributions(
        &data,
        baseline,
        as_of,
        &interventions_run(store, org.id, &teams).await?,
    );
    let requests = store.contract_requests(org.id).await?;
    let checks: BTreeMap<i64, RequestCheck> = requests
        .iter()
        .filter_map(|r| Some((r.id, check_of(r, &data.snapshots)?)))
        .collect();
    Ok(Impact {
        organisation: OrgRef {
            id: org.id,
            name: org.name.clone(),
        },
        as_of,
        goals,
        contracts,
        contributed,
        requests: counts(&requests, &checks),
        full_time_hours: org.fulltime_hours,
    })
}

/// The organisation's goals with progress, the contract changes since the baseline and
/// the request counts, on `as_of`. Read like the Value Case.
pub async fn impact(
    store: &Store,
    caller: Caller<'_>,
    org_id: i64,
    as_of: NaiveDate,
) -> AppResult<Impact> {
    caller.require_value_case_view(org_id)?;
    let org = store.organisation(org_id).await?;
    impact_unchecked(store, &org, as_of).await
}

/// The impact report "Het Verhaal van <organisatie>" as a document (page and PDF).
pub fn story(imp: &Impact) -> report::doc::Document {
    let goals: Vec<GoalProgress> = imp.goals.iter().map(|g| g.progress.clone()).collect();
    ::impact::story::document(&StoryInput {
        organisation: &imp.organisation.name,
        date: imp.as_of,
        goals: &goals,
        contracts: imp.contracts.as_ref(),
        contributed: imp.contributed.as_ref(),
        requests: &imp.requests,
        full_time_hours: imp.full_time_hours,
    })
}

// ------------------------------------------------------------------ region

/// One summed figure of the region, or why it is hidden.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RegionFigure {
    pub key: &'static str,
    pub label: &'static str,
    /// `null` when hidden.
    pub value: Option<f64>,
    pub organisations: usize,
    pub hidden_reason: Option<String>,
}

/// The region's impact: sums over its organisations, each shown only when at least the
/// region's minimum number of organisations contribute and none dominates.
#[derive(Debug, Clone, Serialize)]
pub struct RegionImpact {
    pub region_id: i64,
    pub region: String,
    pub as_of: NaiveDate,
    pub organisations: usize,
    pub figures: Vec<RegionFigure>,
}

/// The region's impact picture. Access as the regional picture (`app::region`).
pub async fn region_impact(
    store: &Store,
    user: &User,
    region_id: i64,
    as_of: NaiveDate,
) -> AppResult<RegionImpact> {
    crate::region::region_access(store, user, region_id).await?;
    region_impact_unchecked(store, region_id, as_of).await
}

/// [`region_impact`] for the command line (the operator).
pub async fn region_impact_unchecked(
    store: &Store,
    region_id: i64,
    as_of: NaiveDate,
) -> AppResult<RegionImpact> {
    let region = store.region(region_id).await?;
    let policy = region::Policy::new(region.min_orgs as u32, region.dominance_percent as u32)
        .map_err(AppError::internal)?;
    let orgs = store.region_organisations(region_id).await?;
    type Pick = fn(&Impact) -> Option<f64>;
    let measures: [(&'static str, &'static str, Pick); 6] = [
        ("contracts_grown", "Contracten uitgebreid", |i| {
            i.contracts.as_ref().map(|c| c.grown as f64)
        }),
        ("hours_added", "Contracturen erbij", |i| {
            i.contracts.as_ref().map(|c| c.hours_added)
        }),
        ("fte_added", "Fte erbij", |i| {
            i.contracts.as_ref().map(|c| c.fte_added)
        }),
        ("requests", "Verzoeken om meer uren", |i| {
            Some(i.requests.total as f64).filter(|n| *n > 0.0)
        }),
        ("requests_accepted", "Verzoeken met akkoord", |i| {
            Some(i.requests.accepted as f64).filter(|_| i.requests.total > 0)
        }),
        ("hours_agreed", "Afgesproken uren erbij", |i| {
            Some(i.requests.hours_agreed).filter(|_| i.requests.total > 0)
        }),
    ];
    let mut contributions: Vec<region::disclosure::Contributions> =
        vec![Default::default(); measures.len()];
    for o in &orgs {
        let org = store.organisation(o.id).await?;
        let imp = impact_unchecked(store, &org, as_of).await?;
        for (i, (_, _, pick)) in measures.iter().enumerate() {
            if let Some(v) = pick(&imp) {
                contributions[i].insert(o.id, vec![v]);
            }
        }
    }
    let figures = measures
        .iter()
        .zip(contributions)
        .map(|((key, label, _), c)| {
            let reason = region::disclosure::primary(&c, &policy);
            let sum: f64 = c.values().map(|v| v[0]).sum();
            RegionFigure {
                key,
                label,
                value: reason.is_none().then_some((sum * 10.0).round() / 10.0),
                organisations: c.len(),
                hidden_reason: reason.map(|r| r.text(&policy)),
            }
        })
        .collect();
    Ok(RegionImpact {
        region_id,
        region: region.name,
        as_of,
        organisations: orgs.len(),
        figures,
    })
}

/// The region's impact report as a document (page and PDF): [`region_impact`]'s figures,
/// the organisations per programme phase and how many run each intervention. Counts
/// only: no organisation's name or own figure, so a regio-lezer may read it.
pub async fn region_story(
    store: &Store,
    user: &User,
    region_id: i64,
    as_of: NaiveDate,
) -> AppResult<report::doc::Document> {
    crate::region::region_access(store, user, region_id).await?;
    region_story_unchecked(store, region_id, as_of).await
}

/// [`region_story`] for the command line (the operator).
pub async fn region_story_unchecked(
    store: &Store,
    region_id: i64,
    as_of: NaiveDate,
) -> AppResult<report::doc::Document> {
    let r = region_impact_unchecked(store, region_id, as_of).await?;
    let region = store.region(region_id).await?;
    let mut orgs = Vec::new();
    for o in store.region_organisations(region_id).await? {
        orgs.push(store.organisation(o.id).await?);
    }
    let phases: Vec<(String, usize)> = store::Phase::ALL
        .iter()
        .map(|p| {
            (
                crate::programme::phase_label(*p).to_string(),
                orgs.iter().filter(|o| o.phase == *p).count(),
            )
        })
        .filter(|(_, n)| *n > 0)
        .collect();
    let mut interventions: Vec<::impact::InterventionCount> = crate::programme::catalogue()?
        .iter()
        .map(|i| ::impact::InterventionCount {
            name: i.name.clone(),
            planned: 0,
            running: 0,
            done: 0,
        })
        .collect();
    let catalogue = crate::programme::catalogue()?;
    for o in &orgs {
        for item in store.plan_items(o.id).await? {
            let Some(i) = catalogue.iter().position(|c| c.code == item.intervention) else {
                continue;
            };
            match item.status {
                store::PlanStatus::Gepland => interventions[i].planned += 1,
                store::PlanStatus::Bezig => interventions[i].running += 1,
                store::PlanStatus::Afgerond => interventions[i].done += 1,
                store::PlanStatus::NietGekozen => {}
            }
        }
    }
    let figures: Vec<::impact::RegionLine> = r
        .figures
        .iter()
        .map(|f| ::impact::RegionLine {
            label: f.label.to_string(),
            value: f.value.map(|v| region_figure_text(f.key, v)),
            reason: f.hidden_reason.clone(),
        })
        .collect();
    Ok(::impact::story::region_document(
        &::impact::RegionStoryInput {
            region: &r.region,
            date: as_of,
            organisations: r.organisations,
            phases: &phases,
            figures: &figures,
            interventions: &interventions,
            min_orgs: region.min_orgs.max(0) as usize,
        },
    ))
}

/// A region figure as text: hours with "uur", FTE, counts as integers.
pub fn region_figure_text(key: &str, v: f64) -> String {
    match key {
        "hours_added" | "hours_agreed" => format!("{} uur", report::nl::hours(v)),
        "fte_added" => report::nl::fte(v),
        _ => report::nl::number(v, 0),
    }
}

// ------------------------------------------------------------------ request form

const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
/// Default retention of a closed request's personal data.
pub const DEFAULT_RETENTION_MONTHS: i64 = 12;

fn new_code() -> String {
    let mut rng = rand::rng();
    (0..10)
        .map(|_| CODE_ALPHABET[rng.random_range(0..CODE_ALPHABET.len())] as char)
        .collect()
}

/// The organisation's public form, created with a random code on first use. Admins only
/// (they show the code to employees).
pub async fn request_form(
    store: &Store,
    caller: Caller<'_>,
    org_id: i64,
) -> AppResult<RequestForm> {
    caller.require_admin_org(org_id)?;
    store.organisation(org_id).await?;
    match store.request_form(org_id).await? {
        Some(f) => Ok(f),
        None => {
            let months = crate::retention::current(store)
                .await?
                .get("contract_requests_months");
            Ok(store.set_request_form(org_id, &new_code(), months).await?)
        }
    }
}

/// A new code (the old one stops working) and, when given, a new retention period.
pub async fn regenerate_request_form(
    store: &Store,
    caller: Caller<'_>,
    org_id: i64,
    retention_months: Option<i64>,
    new_code_too: bool,
) -> AppResult<RequestForm> {
    let current = request_form(store, caller, org_id).await?;
    let months = retention_months.unwrap_or(current.retention_months);
    let code = if new_code_too {
        new_code()
    } else {
        current.code.clone()
    };
    let form = store.set_request_form(org_id, &code, months).await?;
    store
        .audit(
            &caller.actor(),
            Some(org_id),
            "request_form.update",
            "verzoekformulier",
            &format!(
                "{}bewaartermijn {months} maanden",
                if new_code_too { "nieuwe code, " } else { "" }
            ),
        )
        .await?;
    Ok(form)
}

/// Days an employee can choose on the form.
pub const DAYS: &[(&str, &str)] = &[
    ("ma", "maandag"),
    ("di", "dinsdag"),
    ("wo", "woensdag"),
    ("do", "donderdag"),
    ("vr", "vrijdag"),
    ("za", "zaterdag"),
    ("zo", "zondag"),
];
/// Shifts an employee can choose on the form.
pub const SHIFTS: &[(&str, &str)] = &[
    ("vroeg", "vroege dienst"),
    ("laat", "late dienst"),
    ("nacht", "nachtdienst"),
    ("lang", "lange dienst"),
    ("combinatie", "combinatiedienst (intramuraal en thuiszorg)"),
];

/// The conditions question of the employees' survey (same options as the survey).
pub fn condition_options() -> AppResult<Vec<(String, String)>> {
    let q = survey::Questionnaire::standard("medewerkers", 1)
        .map_err(|e| AppError::internal(format!("questionnaire: {e}")))?;
    let c = q
        .by_role(survey::Role::Conditions)
        .ok_or_else(|| AppError::internal("questionnaire has no conditions question"))?;
    Ok(c.kind
        .options()
        .iter()
        .map(|o| (o.id.clone(), o.label.nl.clone()))
        .collect())
}

/// What the public form shows.
#[derive(Debug, Clone, Serialize)]
pub struct PublicForm {
    pub organisation: String,
    pub teams: Vec<(i64, String)>,
    pub conditions: Vec<(String, String)>,
}

/// The public form of the organisation with `code` (unknown code: not found).
pub async fn public_form(store: &Store, code: &str) -> AppResult<PublicForm> {
    let form = store.request_form_by_code(code.trim()).await?;
    let org = store.organisation(form.org_id).await?;
    Ok(PublicForm {
        organisation: org.name,
        teams: store
            .teams(org.id)
            .await?
            .into_iter()
            .map(|t| (t.id, t.name))
            .collect(),
        conditions: condition_options()?,
    })
}

/// A request as sent from the public form.
#[derive(Debug, Clone, Default)]
pub struct RequestInput {
    pub extra_hours: String,
    pub team_id: Option<i64>,
    pub days: Vec<String>,
    pub shifts: Vec<String>,
    pub conditions: Vec<String>,
    pub name: String,
    pub contact: String,
    pub consent: bool,
}

fn check_codes(
    field: &'static str,
    what: &str,
    given: &[String],
    allowed: &[String],
) -> AppResult<String> {
    for g in given {
        if !allowed.contains(g) {
            return Err(invalid(
                field,
                format!("'{g}' is geen keuze bij {what}. Kies uit de lijst."),
            ));
        }
    }
    let set: BTreeSet<&str> = given.iter().map(String::as_str).collect();
    Ok(allowed
        .iter()
        .filter(|a| set.contains(a.as_str()))
        .cloned()
        .collect::<Vec<_>>()
        .join(","))
}

/// Stores a request from the public form. Nothing is linked to survey answers: the form
/// knows no survey code, round or response.
pub async fn submit_request(
    store: &Store,
    code: &str,
    input: &RequestInput,
    today: NaiveDate,
) -> AppResult<ContractRequestRecord> {
    let form = store.request_form_by_code(code.trim()).await?;
    let hours = report::nl::parse_number_f64(input.extra_hours.trim())
        .ok()
        .filter(|h| (0.5..=40.0).contains(h))
        .ok_or_else(|| {
            invalid(
                "extra_hours",
                "Hoeveel uur per week wilt u erbij? Vul een getal tussen 0,5 en 40 in, bijvoorbeeld 4.",
            )
        })?;
    let name = input.name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(invalid(
            "name",
            "Vul uw naam in (maximaal 100 tekens), zodat uw leidinggevende u kan benaderen.",
        ));
    }
    let contact = input.contact.trim();
    if contact.len() < 6 || contact.chars().count() > 100 {
        return Err(invalid(
            "contact",
            "Vul uw e-mailadres of telefoonnummer in, zodat we een gesprek kunnen plannen.",
        ));
    }
    if !input.consent {
        return Err(invalid(
            "consent",
            "Zet een vinkje bij toestemming: zonder toestemming kunnen we uw naam niet aan uw leidinggevende en HR doorgeven.",
        ));
    }
    if let Some(t) = input.team_id {
        let teams = store.teams(form.org_id).await?;
        if !teams.iter().any(|x| x.id == t) {
            return Err(invalid("team", "Kies uw team uit de lijst."));
        }
    }
    let codes = |list: &[(&str, &str)]| list.iter().map(|(c, _)| c.to_string()).collect::<Vec<_>>();
    let days = check_codes("days", "dagen", &input.days, &codes(DAYS))?;
    let shifts = check_codes("shifts", "diensten", &input.shifts, &codes(SHIFTS))?;
    let allowed: Vec<String> = condition_options()?.into_iter().map(|(c, _)| c).collect();
    let conditions = check_codes("conditions", "voorwaarden", &input.conditions, &allowed)?;
    let created_on = iso(today);
    let rec = store
        .add_contract_request(
            form.org_id,
            &NewContractRequest {
                team_id: input.team_id,
                extra_hours: hours,
                days: &days,
                shifts: &shifts,
                conditions: &conditions,
                name,
                contact,
                created_on: &created_on,
            },
        )
        .await?;
    // The audit names no person: only that a request came in.
    store
        .audit(
            &store::Actor {
                id: None,
                label: "verzoekformulier".into(),
            },
            Some(form.org_id),
            "request.add",
            &format!("verzoek {}", rec.id),
            "",
        )
        .await?;
    Ok(rec)
}

// ------------------------------------------------------------------ pipeline

/// Which requests the caller sees: `None` for all of the organisation, else the team ids.
fn request_scope(caller: Caller<'_>, org_id: i64) -> AppResult<Option<Vec<i64>>> {
    match caller {
        Caller::Operator => Ok(None),
        Caller::User(u) => {
            crate::access::require_view_org(u, org_id)?;
            match u.role {
                Role::ProgrammeAdmin | Role::OrgAdmin => Ok(None),
                Role::Manager => Ok(Some(u.team_ids.clone())),
                Role::Planner | Role::RegioLezer => Err(AppError::Forbidden),
            }
        }
    }
}

/// A request as the pipeline shows it, with the HR check of agreed hours.
#[derive(Debug, Clone, Serialize)]
pub struct RequestView {
    #[serde(flatten)]
    pub record: ContractRequestRecord,
    pub team: Option<String>,
    pub status_label: &'static str,
    pub check: Option<RequestCheck>,
    pub flagged: bool,
}

/// The requests the caller may see (managers: their own teams), newest first.
pub async fn requests(
    store: &Store,
    caller: Caller<'_>,
    org_id: i64,
) -> AppResult<Vec<RequestView>> {
    let scope = request_scope(caller, org_id)?;
    store.organisation(org_id).await?;
    let teams = team_names(&store.all_teams(org_id).await?);
    let snaps = snapshots(store, org_id).await?;
    Ok(store
        .contract_requests(org_id)
        .await?
        .into_iter()
        .filter(|r| match &scope {
            None => true,
            Some(ids) => r.team_id.is_some_and(|t| ids.contains(&t)),
        })
        .map(|r| {
            let check = check_of(&r, &snaps);
            RequestView {
                team: r.team_id.and_then(|t| teams.get(&t).cloned()),
                status_label: r.status.label_nl(),
                flagged: check.is_some_and(|c| c.is_flagged()),
                check,
                record: r,
            }
        })
        .collect())
}

/// A move in the pipeline as asked for.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct RequestMove {
    pub status: String,
    #[serde(default)]
    pub reason: Option<String>,
    #[serde(default)]
    pub hours_agreed: Option<f64>,
    /// Entered by HR when processing; stored only as the organisation's pseudonym.
    #[serde(default)]
    pub employee_number: Option<String>,
}

/// Moves a request: forward in the pipeline, or to "niet gelukt" with a reason. Agreed
/// hours are needed from "akkoord" on; the employee number (pseudonymised with the
/// organisation's HR key, as in the HR import) lets the next HR snapshot confirm them.
pub async fn move_request(
    store: &Store,
    caller: Caller<'_>,
    org_id: i64,
    id: i64,
    m: &RequestMove,
    today: NaiveDate,
) -> AppResult<ContractRequestRecord> {
    let scope = request_scope(caller, org_id)?;
    let r = store.contract_request(org_id, id).await?;
    if let Some(ids) = &scope
        && !r.team_id.is_some_and(|t| ids.contains(&t))
    {
        return Err(AppError::NotFound);
    }
    if r.anonymised_at.is_some() {
        return Err(AppError::NotFound);
    }
    let to: RequestStatus = m.status.trim().parse().map_err(|_| {
        invalid(
            "status",
            format!(
                "'{}' is geen stap. Kies uit: {}.",
                m.status.trim(),
                RequestStatus::ALL
                    .iter()
                    .map(|s| s.code())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )
    })?;
    if !r.status.can_move_to(to) {
        return Err(invalid(
            "status",
            format!(
                "Een verzoek met stap '{}' kan niet naar '{}'. Een verzoek gaat alleen vooruit, of naar 'niet gelukt'.",
                r.status.label_nl(),
                to.label_nl()
            ),
        ));
    }
    let reason = m.reason.as_deref().map(str::trim).filter(|s| !s.is_empty());
    if to == RequestStatus::NietGelukt && reason.is_none() {
        return Err(invalid(
            "reason",
            "Vul in waarom het niet gelukt is (bijvoorbeeld: geen ruimte in het rooster, medewerker ziet ervan af).",
        ));
    }
    let hours = m.hours_agreed.or(r.hours_agreed);
    if to.is_accepted() && !hours.is_some_and(|h| h > 0.0 && h <= 40.0) {
        return Err(invalid(
            "hours_agreed",
            "Vul het aantal afgesproken uren per week in (meer dan 0, hoogstens 40).",
        ));
    }
    let pseudonym = match m.employee_number.as_deref().map(str::trim) {
        Some(n) if !n.is_empty() => {
            if let Caller::User(u) = caller
                && !crate::access::can_admin_org(u, org_id)
            {
                return Err(invalid(
                    "employee_number",
                    "Alleen HR (de beheerder van de organisatie) vult het personeelsnummer in.",
                ));
            }
            Some(
                crate::nulmeting::pseudonymiser(store, org_id)
                    .await?
                    .pseudonym(n),
            )
        }
        _ => None,
    };
    let accepted_on = to.is_accepted().then(|| iso(today));
    let rec = store
        .update_contract_request(
            org_id,
            id,
            &RequestUpdate {
                status: to,
                reason: reason.filter(|_| to == RequestStatus::NietGelukt),
                hours_agreed: hours.filter(|_| to.is_accepted() || r.hours_agreed.is_some()),
                employee_pseudonym: pseudonym.as_deref(),
                accepted_on: accepted_on.as_deref(),
            },
        )
        .await?;
    store
        .audit(
            &caller.actor(),
            Some(org_id),
            "request.move",
            &format!("verzoek {id}"),
            to.code(),
        )
        .await?;
    Ok(rec)
}

/// Housekeeping: removes the personal data of requests closed longer ago than their
/// organisation's retention period (the installation's default, `app::retention`, for
/// organisations without a request form). Returns how many requests were anonymised.
pub async fn purge_request_personal_data(store: &Store, now: i64) -> AppResult<u64> {
    let months = crate::retention::current(store)
        .await?
        .get("contract_requests_months");
    Ok(store.anonymise_closed_requests(now, months).await?)
}
