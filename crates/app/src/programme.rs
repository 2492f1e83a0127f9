//! The programme (issue 31) as application services: a region's phases and cohorts and
//! each organisation's onboarding (the timeline), the intervention plan pre-filled from
//! the Value Case, meetings, action lists with "Mijn acties", and the daily e-mail
//! reminder job.
//!
//! Access (all decided here):
//! - phases, cohorts, onboarding and the timeline: the programme admins of the region
//!   ([`crate::region::region_access`] plus the role); an organisation reads its own
//!   onboarding; a regio-lezer sees none of it;
//! - plan and meetings: everyone of the organisation reads, its admins (and the programme)
//!   change; the Value Case's reasons show only to who may read the Value Case;
//! - actions: organisation admins and the programme see all of the organisation; managers
//!   and planners the actions they own and those of their teams.

use chrono::NaiveDate;
use serde::Serialize;
use store::{
    Action, ActionStatus, Cohort, LinkKind, Meeting, MeetingKind, NewAction, Onboarding, Phase,
    PlanItem, PlanItemInput, PlanStatus, ProgrammePhase, Region, Role, Store, User,
};

use crate::access::Caller;
use crate::mail::{Mail, MailConfig};
use crate::{AppError, AppResult};

/// The largest cohort (the roll-out takes 10 to 15 organisations at once).
pub const MAX_COHORT: usize = 15;
/// The smallest cohort the programme aims for; smaller ones are shown with a note.
pub const MIN_COHORT: usize = 10;
/// Actions due within this many days come into the reminder digest.
pub const SOON_DAYS: u64 = 3;
/// The job kind of the daily reminders.
pub const REMINDERS: &str = "herinneringen";

/// Today in the Netherlands.
pub fn today() -> NaiveDate {
    chrono::Utc::now()
        .with_timezone(&chrono_tz::Europe::Amsterdam)
        .date_naive()
}

/// The programme's name of a phase (the organisation's `Phase` codes).
pub fn phase_label(p: Phase) -> &'static str {
    match p {
        Phase::Ontwerp => "Ontwerp",
        Phase::Pilot => "Uitrol (pilot)",
        Phase::Opschalen => "Opschalen en borgen",
    }
}

/// Reads a phase as typed: the codes, and the programme's words ("uitrol", "borgen").
pub fn parse_phase(s: &str) -> AppResult<Phase> {
    match s.trim().to_lowercase().as_str() {
        "uitrol" | "uitrol/pilot" => Ok(Phase::Pilot),
        "borgen" | "opschalen en borgen" => Ok(Phase::Opschalen),
        other => other.parse::<Phase>().map_err(|_| {
            AppError::invalid(
                "phase",
                format!("'{s}' is geen fase. Kies ontwerp, pilot (uitrol) of opschalen."),
            )
        }),
    }
}

/// An ISO date from user input (`2026-03-01` or `01-03-2026`).
pub fn parse_day(field: &'static str, label: &str, s: &str) -> AppResult<String> {
    let s = s.trim();
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(s, "%d-%m-%Y"))
        .map(|d| d.format("%Y-%m-%d").to_string())
        .map_err(|_| {
            AppError::invalid(
                field,
                format!("{label}: '{s}' is geen datum. Schrijf de datum als dd-mm-jjjj."),
            )
        })
}

fn optional_day(field: &'static str, label: &str, s: &str) -> AppResult<Option<String>> {
    if s.trim().is_empty() {
        Ok(None)
    } else {
        parse_day(field, label, s).map(Some)
    }
}

// ----- access -----------------------------------------------------------------------------

/// The programme admins of a region (the operator too); everyone else is refused.
pub async fn require_region_admin(
    store: &Store,
    caller: Caller<'_>,
    region_id: i64,
) -> AppResult<Region> {
    let region = store.region(region_id).await?;
    if let Caller::User(u) = caller {
        if u.role != Role::ProgrammeAdmin {
            return Err(AppError::Forbidden);
        }
        crate::region::region_access(store, u, region_id).await?;
    }
    Ok(region)
}

/// Whether a user sees an action (see the module's rules).
pub fn can_see_action(user: &User, action: &Action) -> bool {
    match user.role {
        Role::ProgrammeAdmin => true,
        Role::RegioLezer => false,
        _ if user.org_id != Some(action.org_id) => false,
        Role::OrgAdmin => true,
        Role::Manager | Role::Planner => {
            action.owner_user_id == Some(user.id)
                || action.team_id.is_some_and(|t| user.team_ids.contains(&t))
        }
    }
}

fn caller_sees_action(caller: Caller<'_>, action: &Action) -> bool {
    match caller {
        Caller::User(u) => can_see_action(u, action),
        Caller::Operator => true,
    }
}

// ----- catalogue ------------------------------------------------------------------------

/// The 12 interventions of the programme, from the Value Case's rules file.
pub fn catalogue() -> AppResult<&'static [valuecase::rules::Intervention]> {
    Ok(crate::value_case::rules()?.interventions())
}

fn intervention(code: &str) -> AppResult<&'static valuecase::rules::Intervention> {
    catalogue()?
        .iter()
        .find(|i| i.code == code.trim())
        .ok_or_else(|| {
            AppError::invalid(
                "intervention",
                format!(
                    "'{}' is geen interventie. Kies een code uit de lijst van 12 interventies.",
                    code.trim()
                ),
            )
        })
}

// ----- phases, cohorts, onboarding, timeline ---------------------------------------------

/// Sets the dates of a phase of a region's programme.
pub async fn set_phase(
    store: &Store,
    caller: Caller<'_>,
    region_id: i64,
    phase: Phase,
    from: &str,
    to: &str,
) -> AppResult<ProgrammePhase> {
    let region = require_region_admin(store, caller, region_id).await?;
    let from = parse_day("from", "Begindatum", from)?;
    let to = parse_day("to", "Einddatum", to)?;
    if to < from {
        return Err(AppError::invalid(
            "to",
            "De einddatum ligt vóór de begindatum. Kies een latere einddatum.",
        ));
    }
    let p = store
        .set_programme_phase(region_id, phase, &from, &to)
        .await?;
    store
        .audit(
            &caller.actor(),
            None,
            "programme.phase",
            &region.name,
            &format!("{} {from}..{to}", phase.code()),
        )
        .await?;
    Ok(p)
}

/// Adds a cohort of the region's organisations (by id or name). Every organisation must
/// belong to the region and be in no other cohort; at most [`MAX_COHORT`].
pub async fn add_cohort(
    store: &Store,
    caller: Caller<'_>,
    region_id: i64,
    name: &str,
    phase: Phase,
    orgs: &[String],
) -> AppResult<Cohort> {
    let region = require_region_admin(store, caller, region_id).await?;
    if name.trim().is_empty() {
        return Err(AppError::invalid("name", "Geef het cohort een naam."));
    }
    if orgs.is_empty() {
        return Err(AppError::invalid(
            "orgs",
            "Noem de organisaties van het cohort.",
        ));
    }
    if orgs.len() > MAX_COHORT {
        return Err(AppError::invalid(
            "orgs",
            format!(
                "Een cohort heeft hoogstens {MAX_COHORT} organisaties; u noemde er {}. Maak twee cohorten.",
                orgs.len()
            ),
        ));
    }
    let members = store.region_organisations(region_id).await?;
    let mut ids = Vec::new();
    for o in orgs {
        let org = store.find_organisation(o).await.map_err(|e| match e {
            store::StoreError::NotFound => {
                AppError::invalid("orgs", format!("Er is geen organisatie '{}'.", o.trim()))
            }
            other => other.into(),
        })?;
        if !members.iter().any(|m| m.id == org.id) {
            return Err(AppError::invalid(
                "orgs",
                format!("{} hoort niet bij regio {}.", org.name, region.name),
            ));
        }
        if let Some(c) = store.organisation_cohort(org.id).await? {
            return Err(AppError::invalid(
                "orgs",
                format!(
                    "{} zit al in cohort '{}'. Een organisatie zit in één cohort.",
                    org.name, c.name
                ),
            ));
        }
        if ids.contains(&org.id) {
            return Err(AppError::invalid(
                "orgs",
                format!("{} staat twee keer in de lijst.", org.name),
            ));
        }
        ids.push(org.id);
    }
    let cohort = store.create_cohort(region_id, name, phase, &ids).await?;
    store
        .audit(
            &caller.actor(),
            None,
            "programme.cohort",
            &cohort.name,
            &format!("region={} orgs={ids:?}", region.name),
        )
        .await?;
    Ok(cohort)
}

/// A cohort of the region (`NotFound` for another region's).
async fn cohort_of(store: &Store, region_id: i64, cohort_id: i64) -> AppResult<Cohort> {
    store
        .cohorts(region_id)
        .await?
        .into_iter()
        .find(|c| c.id == cohort_id)
        .ok_or(AppError::NotFound)
}

/// Adds an organisation to an existing cohort: the programme admins of its region.
pub async fn add_cohort_member(
    store: &Store,
    caller: Caller<'_>,
    region_id: i64,
    cohort_id: i64,
    org: &str,
) -> AppResult<Cohort> {
    let region = require_region_admin(store, caller, region_id).await?;
    let cohort = cohort_of(store, region_id, cohort_id).await?;
    if cohort.org_ids.len() >= MAX_COHORT {
        return Err(AppError::invalid(
            "org",
            format!(
                "Cohort '{}' heeft al {MAX_COHORT} organisaties, het maximum. Maak een nieuw cohort.",
                cohort.name
            ),
        ));
    }
    let found = store.find_organisation(org).await.map_err(|e| match e {
        store::StoreError::NotFound => {
            AppError::invalid("org", format!("Er is geen organisatie '{}'.", org.trim()))
        }
        other => other.into(),
    })?;
    if !store
        .region_organisations(region_id)
        .await?
        .iter()
        .any(|m| m.id == found.id)
    {
        return Err(AppError::invalid(
            "org",
            format!("{} hoort niet bij regio {}.", found.name, region.name),
        ));
    }
    if let Some(c) = store.organisation_cohort(found.id).await? {
        return Err(AppError::invalid(
            "org",
            format!(
                "{} zit al in cohort '{}'. Haal de organisatie daar eerst uit.",
                found.name, c.name
            ),
        ));
    }
    store.add_cohort_member(cohort_id, found.id).await?;
    store
        .audit(
            &caller.actor(),
            Some(found.id),
            "programme.cohort_member_add",
            &cohort.name,
            &found.name,
        )
        .await?;
    cohort_of(store, region_id, cohort_id).await
}

/// Takes an organisation out of a cohort (the organisation and its data stay; only the
/// membership goes): the programme admins of the region.
pub async fn remove_cohort_member(
    store: &Store,
    caller: Caller<'_>,
    region_id: i64,
    cohort_id: i64,
    org_id: i64,
) -> AppResult<Cohort> {
    require_region_admin(store, caller, region_id).await?;
    let cohort = cohort_of(store, region_id, cohort_id).await?;
    if !cohort.org_ids.contains(&org_id) {
        return Err(AppError::NotFound);
    }
    store.remove_cohort_member(cohort_id, org_id).await?;
    let org_name = store
        .organisation(org_id)
        .await
        .map(|o| o.name)
        .unwrap_or_default();
    store
        .audit(
            &caller.actor(),
            Some(org_id),
            "programme.cohort_member_remove",
            &cohort.name,
            &org_name,
        )
        .await?;
    cohort_of(store, region_id, cohort_id).await
}

/// What an admin types for an organisation's onboarding.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct OnboardingInput {
    #[serde(default)]
    pub project_lead: String,
    /// ISO date, or empty/absent when the board has not committed yet.
    #[serde(default)]
    pub board_commitment_on: Option<String>,
    #[serde(default)]
    pub people_reserved: i64,
    #[serde(default)]
    pub hours_reserved: f64,
    #[serde(default)]
    pub notes: String,
}

/// Records an organisation's onboarding: the programme admins of its region.
pub async fn set_onboarding(
    store: &Store,
    caller: Caller<'_>,
    org_id: i64,
    input: &OnboardingInput,
) -> AppResult<Onboarding> {
    caller.require_view_org(org_id)?;
    let region = store.organisation_region(org_id).await?;
    require_region_admin(store, caller, region.id).await?;
    if input.people_reserved < 0 || input.people_reserved > 10_000 {
        return Err(AppError::invalid(
            "people_reserved",
            "Vul bij 'mensen vrijgemaakt' een aantal van 0 of meer in.",
        ));
    }
    if !(input.hours_reserved.is_finite() && (0.0..=10_000.0).contains(&input.hours_reserved)) {
        return Err(AppError::invalid(
            "hours_reserved",
            "Vul bij 'uren per week vrijgemaakt' een aantal van 0 of meer in.",
        ));
    }
    if input.project_lead.trim().chars().count() > 120 {
        return Err(AppError::invalid(
            "project_lead",
            "De naam van de projectleider is te lang (hoogstens 120 tekens).",
        ));
    }
    let board = match input.board_commitment_on.as_deref() {
        Some(d) => optional_day("board_commitment_on", "Datum commitment bestuur", d)?,
        None => None,
    };
    let o = store
        .set_onboarding(&Onboarding {
            org_id,
            project_lead: input.project_lead.clone(),
            board_commitment_on: board,
            people_reserved: input.people_reserved,
            hours_reserved: input.hours_reserved,
            notes: input.notes.clone(),
            updated_at: 0,
        })
        .await?;
    store
        .audit(
            &caller.actor(),
            Some(org_id),
            "programme.onboarding",
            &o.project_lead,
            "",
        )
        .await?;
    Ok(o)
}

/// An organisation's onboarding state, in words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OnboardingState {
    /// Nothing recorded.
    NietGestart,
    /// A project lead, but no board commitment or no people and time reserved yet.
    Bezig,
    /// Project lead, board commitment and reserved people and hours.
    Gereed,
}

impl OnboardingState {
    pub fn of(o: Option<&Onboarding>) -> OnboardingState {
        match o {
            None => OnboardingState::NietGestart,
            Some(o)
                if !o.project_lead.is_empty()
                    && o.board_commitment_on.is_some()
                    && o.people_reserved > 0
                    && o.hours_reserved > 0.0 =>
            {
                OnboardingState::Gereed
            }
            Some(_) => OnboardingState::Bezig,
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            OnboardingState::NietGestart => "Niet gestart",
            OnboardingState::Bezig => "Onboarding bezig",
            OnboardingState::Gereed => "Onboarding rond",
        }
    }
}

/// One organisation on the timeline.
#[derive(Debug, Clone, Serialize)]
pub struct TimelineOrg {
    pub org_id: i64,
    pub name: String,
    pub phase: Phase,
    pub state: OnboardingState,
    pub onboarding: Option<Onboarding>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TimelineCohort {
    pub cohort: Cohort,
    pub organisations: Vec<TimelineOrg>,
}

/// A region's programme: phases, cohorts with their organisations' onboarding, and the
/// organisations in no cohort.
#[derive(Debug, Clone, Serialize)]
pub struct Timeline {
    pub region: Region,
    pub phases: Vec<ProgrammePhase>,
    pub cohorts: Vec<TimelineCohort>,
    pub without_cohort: Vec<TimelineOrg>,
}

pub async fn timeline(store: &Store, caller: Caller<'_>, region_id: i64) -> AppResult<Timeline> {
    let region = require_region_admin(store, caller, region_id).await?;
    let phases = store.programme_phases(region_id).await?;
    let cohorts = store.cohorts(region_id).await?;
    let mut entries = Vec::new();
    for o in store.region_organisations(region_id).await? {
        let org = store.organisation(o.id).await?;
        let onboarding = store.onboarding(o.id).await?;
        entries.push(TimelineOrg {
            org_id: o.id,
            name: o.name,
            phase: org.phase,
            state: OnboardingState::of(onboarding.as_ref()),
            onboarding,
        });
    }
    entries.sort_by(|a, b| a.name.cmp(&b.name));
    let mut out = Vec::new();
    for c in cohorts {
        let organisations = entries
            .iter()
            .filter(|e| c.org_ids.contains(&e.org_id))
            .cloned()
            .collect();
        out.push(TimelineCohort {
            cohort: c,
            organisations,
        });
    }
    let without_cohort = entries
        .into_iter()
        .filter(|e| !out.iter().any(|c| c.cohort.org_ids.contains(&e.org_id)))
        .collect();
    Ok(Timeline {
        region,
        phases,
        cohorts: out,
        without_cohort,
    })
}

/// An organisation's own view of its place in the programme.
#[derive(Debug, Clone, Serialize)]
pub struct OwnProgramme {
    pub cohort: Option<String>,
    pub state: OnboardingState,
    pub onboarding: Option<Onboarding>,
}

pub async fn own_programme(
    store: &Store,
    caller: Caller<'_>,
    org_id: i64,
) -> AppResult<OwnProgramme> {
    caller.require_view_org(org_id)?;
    let onboarding = store.onboarding(org_id).await?;
    Ok(OwnProgramme {
        cohort: store.organisation_cohort(org_id).await?.map(|c| c.name),
        state: OnboardingState::of(onboarding.as_ref()),
        onboarding,
    })
}

// ----- the intervention plan --------------------------------------------------------------

/// One intervention of the catalogue in an organisation's plan.
#[derive(Debug, Clone, Serialize)]
pub struct PlanEntry {
    pub code: String,
    pub name: String,
    pub group: String,
    pub description: String,
    pub status: PlanStatus,
    pub owner: String,
    pub starts_on: Option<String>,
    pub ends_on: Option<String>,
    pub recommended: bool,
    /// Why the Value Case recommended it; empty for who may not read the Value Case.
    pub reason: String,
    pub team_ids: Vec<i64>,
    pub sessions: Vec<store::PlanSession>,
    pub materials: Vec<store::PlanMaterial>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Plan {
    pub org_id: i64,
    pub interventions: Vec<PlanEntry>,
}

/// The plan: all 12 interventions in catalogue order, each with its stored state or
/// "niet gekozen".
pub async fn plan(store: &Store, caller: Caller<'_>, org_id: i64) -> AppResult<Plan> {
    caller.require_view_org(org_id)?;
    let show_reasons = caller.require_value_case_view(org_id).is_ok();
    let items: Vec<PlanItem> = store.plan_items(org_id).await?;
    let interventions = catalogue()?
        .iter()
        .map(|i| {
            let item = items.iter().find(|x| x.intervention == i.code);
            PlanEntry {
                code: i.code.clone(),
                name: i.name.clone(),
                group: i.group.clone(),
                description: i.description.clone(),
                status: item.map_or(PlanStatus::NietGekozen, |x| x.status),
                owner: item.map(|x| x.owner.clone()).unwrap_or_default(),
                starts_on: item.and_then(|x| x.starts_on.clone()),
                ends_on: item.and_then(|x| x.ends_on.clone()),
                recommended: item.is_some_and(|x| x.recommended),
                reason: match item {
                    Some(x) if show_reasons => x.reason.clone(),
                    _ => String::new(),
                },
                team_ids: item.map(|x| x.team_ids.clone()).unwrap_or_default(),
                sessions: item.map(|x| x.sessions.clone()).unwrap_or_default(),
                materials: item.map(|x| x.materials.clone()).unwrap_or_default(),
            }
        })
        .collect();
    Ok(Plan {
        org_id,
        interventions,
    })
}

/// What an editor sets of one intervention of the plan.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct PlanItemForm {
    pub status: String,
    #[serde(default)]
    pub owner: String,
    #[serde(default)]
    pub starts_on: Option<String>,
    #[serde(default)]
    pub ends_on: Option<String>,
    #[serde(default)]
    pub team_ids: Vec<i64>,
}

pub async fn save_plan_item(
    store: &Store,
    caller: Caller<'_>,
    org_id: i64,
    code: &str,
    form: &PlanItemForm,
) -> AppResult<PlanItem> {
    caller.require_admin_org(org_id)?;
    let i = intervention(code)?;
    let status: PlanStatus = form.status.parse().map_err(|_| {
        AppError::invalid(
            "status",
            format!(
                "'{}' is geen status. Kies gepland, bezig, afgerond of niet_gekozen.",
                form.status
            ),
        )
    })?;
    let starts_on = optional_day(
        "starts_on",
        "Begindatum",
        form.starts_on.as_deref().unwrap_or(""),
    )?;
    let ends_on = optional_day(
        "ends_on",
        "Einddatum",
        form.ends_on.as_deref().unwrap_or(""),
    )?;
    if let (Some(a), Some(b)) = (&starts_on, &ends_on)
        && b < a
    {
        return Err(AppError::invalid(
            "ends_on",
            "De einddatum ligt vóór de begindatum. Kies een latere einddatum.",
        ));
    }
    // "What contributed" places an intervention in time; a finished one without an end
    // would count as running for ever.
    if status == store::PlanStatus::Afgerond && ends_on.is_none() {
        return Err(AppError::invalid(
            "ends_on",
            "Een afgeronde interventie heeft een einddatum. Vul in wanneer ze klaar was.",
        ));
    }
    let item = store
        .save_plan_item(
            org_id,
            &i.code,
            &PlanItemInput {
                status,
                owner: form.owner.clone(),
                starts_on,
                ends_on,
                team_ids: form.team_ids.clone(),
            },
        )
        .await?;
    store
        .audit(
            &caller.actor(),
            Some(org_id),
            "plan.item",
            &i.name,
            status.code(),
        )
        .await?;
    Ok(item)
}

/// Fills the plan from the organisation's latest Value Case: each recommended intervention
/// is marked as recommended (with the reason) and planned when it was not chosen yet.
/// Returns the number of interventions recommended.
pub async fn prefill_plan(
    store: &Store,
    caller: Caller<'_>,
    org_id: i64,
    today: NaiveDate,
) -> AppResult<usize> {
    caller.require_admin_org(org_id)?;
    // The caller may administer the organisation; the plan keeps only which interventions
    // were recommended and why, so the Value Case is assembled as the system.
    let vc =
        crate::value_case::assemble(store, Caller::Operator, org_id, None, None, today).await?;
    for r in &vc.recommendations {
        store
            .recommend_plan_item(org_id, &r.code, &r.reason)
            .await?;
    }
    store
        .audit(
            &caller.actor(),
            Some(org_id),
            "plan.prefill",
            &vc.organisation.name,
            &format!("{} aanbevelingen", vc.recommendations.len()),
        )
        .await?;
    Ok(vc.recommendations.len())
}

/// Records a session held for an intervention.
pub async fn add_session(
    store: &Store,
    caller: Caller<'_>,
    org_id: i64,
    code: &str,
    held_on: &str,
    participants: i64,
    notes: &str,
) -> AppResult<store::PlanSession> {
    caller.require_admin_org(org_id)?;
    let i = intervention(code)?;
    let held_on = parse_day("held_on", "Datum van de sessie", held_on)?;
    if !(0..=100_000).contains(&participants) {
        return Err(AppError::invalid(
            "participants",
            "Vul bij deelnemers een aantal van 0 of meer in.",
        ));
    }
    let item = planned_item(store, org_id, &i.code).await?;
    let s = store
        .add_plan_session(item.id, &held_on, participants, notes)
        .await?;
    store
        .audit(
            &caller.actor(),
            Some(org_id),
            "plan.session",
            &i.name,
            &held_on,
        )
        .await?;
    Ok(s)
}

/// Adds a material (a link) to an intervention.
pub async fn add_material(
    store: &Store,
    caller: Caller<'_>,
    org_id: i64,
    code: &str,
    title: &str,
    url: &str,
) -> AppResult<store::PlanMaterial> {
    caller.require_admin_org(org_id)?;
    let i = intervention(code)?;
    let url = url.trim();
    if !(url.starts_with("https://") || url.starts_with("http://")) {
        return Err(AppError::invalid(
            "url",
            "Een materiaal is een link die begint met https:// of http://.",
        ));
    }
    if title.trim().is_empty() {
        return Err(AppError::invalid("title", "Geef het materiaal een titel."));
    }
    let item = planned_item(store, org_id, &i.code).await?;
    let m = store.add_plan_material(item.id, title, url).await?;
    store
        .audit(&caller.actor(), Some(org_id), "plan.material", &i.name, url)
        .await?;
    Ok(m)
}

/// The stored item of an intervention; one is made ("gepland") when there is none yet.
async fn planned_item(store: &Store, org_id: i64, code: &str) -> AppResult<PlanItem> {
    match store.plan_item(org_id, code).await {
        Ok(i) => Ok(i),
        Err(store::StoreError::NotFound) => Ok(store
            .save_plan_item(
                org_id,
                code,
                &PlanItemInput {
                    status: PlanStatus::Gepland,
                    owner: String::new(),
                    starts_on: None,
                    ends_on: None,
                    team_ids: vec![],
                },
            )
            .await?),
        Err(e) => Err(e.into()),
    }
}

// ----- meetings ---------------------------------------------------------------------------

pub async fn meetings(store: &Store, caller: Caller<'_>, org_id: i64) -> AppResult<Vec<Meeting>> {
    caller.require_view_org(org_id)?;
    Ok(store.meetings(org_id).await?)
}

/// A meeting and the actions linked to it that the caller may see.
pub async fn meeting(
    store: &Store,
    caller: Caller<'_>,
    org_id: i64,
    meeting_id: i64,
) -> AppResult<(Meeting, Vec<ActionView>)> {
    caller.require_view_org(org_id)?;
    let m = store.meeting(meeting_id).await?;
    if m.org_id != org_id {
        return Err(AppError::NotFound);
    }
    let actions = store
        .linked_actions(LinkKind::Meeting, &m.id.to_string())
        .await?
        .into_iter()
        .filter(|a| caller_sees_action(caller, a))
        .collect::<Vec<_>>();
    let views = views(store, &actions, today()).await?;
    Ok((m, views))
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct MeetingInput {
    pub kind: String,
    pub held_on: String,
    #[serde(default)]
    pub notes: String,
    #[serde(default)]
    pub decisions: String,
}

pub async fn add_meeting(
    store: &Store,
    caller: Caller<'_>,
    org_id: i64,
    input: &MeetingInput,
) -> AppResult<Meeting> {
    caller.require_admin_org(org_id)?;
    let kind: MeetingKind = input.kind.parse().map_err(|_| {
        AppError::invalid(
            "kind",
            format!(
                "'{}' is geen soort overleg. Kies stuurgroep, projectgroep of dialoogsessie.",
                input.kind
            ),
        )
    })?;
    let held_on = parse_day("held_on", "Datum van het overleg", &input.held_on)?;
    let m = store
        .create_meeting(org_id, kind, &held_on, &input.notes, &input.decisions)
        .await?;
    store
        .audit(
            &caller.actor(),
            Some(org_id),
            "meeting.create",
            kind.label(),
            &held_on,
        )
        .await?;
    Ok(m)
}

// ----- actions ----------------------------------------------------------------------------

/// An action as lists show it.
#[derive(Debug, Clone, Serialize)]
pub struct ActionView {
    #[serde(flatten)]
    pub action: Action,
    /// The owner's name, or "Programmateam".
    pub owner: String,
    pub team: Option<String>,
    pub org_name: String,
    /// What it is linked to, in words ("Interventie Roostersessies", "Overleg 12-03-2026").
    pub link: Option<String>,
    /// Not finished and due before today.
    pub overdue: bool,
}

async fn views(store: &Store, actions: &[Action], today: NaiveDate) -> AppResult<Vec<ActionView>> {
    let today = today.format("%Y-%m-%d").to_string();
    let mut out = Vec::with_capacity(actions.len());
    let mut names: std::collections::HashMap<i64, String> = Default::default();
    for a in actions {
        let owner = match a.owner_user_id {
            Some(id) => match names.get(&id) {
                Some(n) => n.clone(),
                None => {
                    let n = store.user(id).await.map(|u| u.name).unwrap_or_default();
                    names.insert(id, n.clone());
                    n
                }
            },
            None if a.owner_programme => "Programmateam".to_string(),
            None => "–".to_string(),
        };
        let team = match a.team_id {
            Some(t) => store.team(t).await.ok().map(|t| t.name),
            None => None,
        };
        let link = match (&a.link_kind, &a.link_ref) {
            (Some(LinkKind::Intervention), Some(code)) => Some(format!(
                "Interventie {}",
                intervention(code).map_or(code.clone(), |i| i.name.clone())
            )),
            (Some(LinkKind::Meeting), Some(id)) => {
                let m = match id.parse::<i64>() {
                    Ok(id) => store.meeting(id).await.ok(),
                    Err(_) => None,
                };
                Some(match m {
                    Some(m) => format!(
                        "{} {}",
                        m.kind.label(),
                        NaiveDate::parse_from_str(&m.held_on, "%Y-%m-%d")
                            .map(report::nl::date)
                            .unwrap_or(m.held_on.clone())
                    ),
                    None => format!("Overleg {id}"),
                })
            }
            (Some(LinkKind::RoundTable), Some(id)) => Some(format!("Ronde tafel {id}")),
            _ => None,
        };
        out.push(ActionView {
            overdue: a.status != ActionStatus::Klaar && a.due_on < today,
            org_name: store.organisation(a.org_id).await?.name,
            action: a.clone(),
            owner,
            team,
            link,
        });
    }
    Ok(out)
}

/// The organisation's actions the caller may see.
pub async fn actions(
    store: &Store,
    caller: Caller<'_>,
    org_id: i64,
    today: NaiveDate,
) -> AppResult<Vec<ActionView>> {
    caller.require_view_org(org_id)?;
    let list: Vec<Action> = store
        .actions(org_id)
        .await?
        .into_iter()
        .filter(|a| caller_sees_action(caller, a))
        .collect();
    views(store, &list, today).await
}

/// "Mijn acties": the actions a user owns (a programme admin also the programme team's),
/// and for managers and planners the actions of their teams.
pub async fn my_actions(
    store: &Store,
    user: &User,
    today: NaiveDate,
) -> AppResult<Vec<ActionView>> {
    let programme = user.role == Role::ProgrammeAdmin;
    let mut list = store.owned_actions(user.id, programme).await?;
    if matches!(user.role, Role::Manager | Role::Planner)
        && let Some(org) = user.org_id
    {
        for a in store.actions(org).await? {
            if can_see_action(user, &a) && !list.iter().any(|x| x.id == a.id) {
                list.push(a);
            }
        }
    }
    list.retain(|a| user.role == Role::ProgrammeAdmin || user.org_id == Some(a.org_id));
    list.sort_by(|a, b| {
        (a.status == ActionStatus::Klaar, &a.due_on, a.id).cmp(&(
            b.status == ActionStatus::Klaar,
            &b.due_on,
            b.id,
        ))
    });
    views(store, &list, today).await
}

/// The count in the navigation: (not finished actions the user owns, of which overdue).
pub async fn my_action_counts(
    store: &Store,
    user: &User,
    today: NaiveDate,
) -> AppResult<(i64, i64)> {
    Ok(store
        .open_action_counts(user.id, &today.format("%Y-%m-%d").to_string())
        .await?)
}

/// What is typed for a new action.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct ActionInput {
    pub title: String,
    /// The owner's e-mail address, or "programma" for the programme team.
    pub owner: String,
    /// ISO date or dd-mm-jjjj.
    pub due_on: String,
    #[serde(default)]
    pub team_id: Option<i64>,
    /// `intervention`, `meeting` or `round_table`.
    #[serde(default)]
    pub link_kind: Option<String>,
    /// The intervention's code, the meeting's id or the round table's id.
    #[serde(default)]
    pub link_ref: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
}

/// Checks what was typed for an action (new or changed) and who may set it:
/// organisation admins and the programme anything; a manager only actions they own or of
/// one of their teams.
async fn checked_action(
    store: &Store,
    caller: Caller<'_>,
    org_id: i64,
    input: &ActionInput,
) -> AppResult<NewAction> {
    caller.require_view_org(org_id)?;
    let is_admin = caller.require_admin_org(org_id).is_ok();
    if let Caller::User(u) = caller
        && !is_admin
        && u.role != Role::Manager
    {
        return Err(AppError::Forbidden);
    }
    let title = input.title.trim();
    if title.is_empty() || title.chars().count() > 200 {
        return Err(AppError::invalid(
            "title",
            "Geef de actie een titel van 1 tot 200 tekens.",
        ));
    }
    let due_on = parse_day("due_on", "Deadline", &input.due_on)?;
    let owner_text = input.owner.trim();
    let (owner_user_id, owner_programme) = if owner_text.eq_ignore_ascii_case("programma")
        || owner_text.eq_ignore_ascii_case("programmateam")
    {
        (None, true)
    } else if owner_text.is_empty() {
        return Err(AppError::invalid(
            "owner",
            "Kies wie de actie trekt: een e-mailadres van iemand van de organisatie, of 'programma'.",
        ));
    } else {
        let u = store.user_by_email(owner_text).await.map_err(|_| {
            AppError::invalid(
                "owner",
                format!(
                    "Er is geen gebruiker met e-mailadres '{owner_text}' bij deze organisatie."
                ),
            )
        })?;
        if u.org_id != Some(org_id) && u.role != Role::ProgrammeAdmin {
            return Err(AppError::invalid(
                "owner",
                format!(
                    "Er is geen gebruiker met e-mailadres '{owner_text}' bij deze organisatie."
                ),
            ));
        }
        (Some(u.id), false)
    };
    if let Caller::User(u) = caller
        && !is_admin
    {
        // A manager: their own actions, or actions of their teams.
        let own = owner_user_id == Some(u.id);
        let team_ok = input.team_id.is_some_and(|t| u.team_ids.contains(&t));
        if !own && !team_ok {
            return Err(AppError::Forbidden);
        }
    }
    let link = match input.link_kind.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(kind) => {
            let kind: LinkKind = kind.parse().map_err(|_| {
                AppError::invalid(
                    "link_kind",
                    format!(
                        "'{kind}' is geen koppeling. Kies intervention, meeting of round_table."
                    ),
                )
            })?;
            let reference = input.link_ref.as_deref().unwrap_or("").trim().to_string();
            match kind {
                LinkKind::Intervention => {
                    intervention(&reference)?;
                }
                LinkKind::Meeting => {
                    let ok = match reference.parse::<i64>() {
                        Ok(id) => store.meeting(id).await.is_ok_and(|m| m.org_id == org_id),
                        Err(_) => false,
                    };
                    if !ok {
                        return Err(AppError::invalid(
                            "link_ref",
                            format!("Er is geen overleg {reference} bij deze organisatie."),
                        ));
                    }
                }
                LinkKind::RoundTable => {
                    if reference.is_empty() || reference.chars().count() > 40 {
                        return Err(AppError::invalid(
                            "link_ref",
                            "Noem het nummer van de ronde tafel.",
                        ));
                    }
                }
            }
            Some((kind, reference))
        }
    };
    if let Some(t) = input.team_id {
        let team = store.team(t).await.map_err(|_| AppError::NotFound)?;
        if team.org_id != org_id {
            return Err(AppError::NotFound);
        }
    }
    let status = match input.status.as_deref().map(str::trim) {
        None | Some("") => ActionStatus::Open,
        Some(s) => s.parse().map_err(|_| {
            AppError::invalid(
                "status",
                format!("'{s}' is geen status. Kies open, bezig of klaar."),
            )
        })?,
    };
    Ok(NewAction {
        org_id,
        title: title.to_string(),
        owner_user_id,
        owner_programme,
        team_id: input.team_id,
        due_on,
        status,
        link,
    })
}

/// Adds an action: organisation admins and the programme for anyone; a manager for
/// themselves or one of their teams.
pub async fn add_action(
    store: &Store,
    caller: Caller<'_>,
    org_id: i64,
    input: &ActionInput,
) -> AppResult<ActionView> {
    let new = checked_action(store, caller, org_id, input).await?;
    let a = store.create_action(&new).await?;
    store
        .audit(
            &caller.actor(),
            Some(org_id),
            "action.create",
            &a.title,
            &a.due_on,
        )
        .await?;
    Ok(views(store, std::slice::from_ref(&a), today())
        .await?
        .remove(0))
}

/// Changes an action (title, owner, team, due date, status, link): whoever may see the
/// action, within the same rules as adding one (a manager cannot hand an action to
/// someone outside their own teams).
pub async fn update_action(
    store: &Store,
    caller: Caller<'_>,
    org_id: i64,
    action_id: i64,
    input: &ActionInput,
) -> AppResult<ActionView> {
    caller.require_view_org(org_id)?;
    let current = store.action(action_id).await?;
    if current.org_id != org_id || !caller_sees_action(caller, &current) {
        return Err(AppError::NotFound);
    }
    let new = checked_action(store, caller, org_id, input).await?;
    let a = store.update_action(action_id, &new).await?;
    store
        .audit(
            &caller.actor(),
            Some(org_id),
            "action.update",
            &a.title,
            &format!("due={} status={}", a.due_on, a.status.code()),
        )
        .await?;
    Ok(views(store, std::slice::from_ref(&a), today())
        .await?
        .remove(0))
}

/// The form values of an existing action (for the edit form): the owner as an e-mail
/// address or "programma".
pub async fn action_input(
    store: &Store,
    caller: Caller<'_>,
    org_id: i64,
    action_id: i64,
) -> AppResult<(Action, ActionInput)> {
    caller.require_view_org(org_id)?;
    let a = store.action(action_id).await?;
    if a.org_id != org_id || !caller_sees_action(caller, &a) {
        return Err(AppError::NotFound);
    }
    let owner = match a.owner_user_id {
        Some(u) => store.user(u).await.map(|u| u.email).unwrap_or_default(),
        None => "programma".into(),
    };
    let input = ActionInput {
        title: a.title.clone(),
        owner,
        due_on: a.due_on.clone(),
        team_id: a.team_id,
        link_kind: a.link_kind.map(|k| k.code().to_string()),
        link_ref: a.link_ref.clone(),
        status: Some(a.status.code().to_string()),
    };
    Ok((a, input))
}

/// Sets an action's status: whoever may see the action.
pub async fn set_action_status(
    store: &Store,
    caller: Caller<'_>,
    org_id: i64,
    action_id: i64,
    status: &str,
) -> AppResult<ActionView> {
    caller.require_view_org(org_id)?;
    let a = store.action(action_id).await?;
    if a.org_id != org_id || !caller_sees_action(caller, &a) {
        return Err(AppError::NotFound);
    }
    let status: ActionStatus = status.parse().map_err(|_| {
        AppError::invalid(
            "status",
            format!(
                "'{}' is geen status. Kies open, bezig of klaar.",
                status.trim()
            ),
        )
    })?;
    let a = store.set_action_status(action_id, status).await?;
    store
        .audit(
            &caller.actor(),
            Some(org_id),
            "action.status",
            &a.title,
            status.code(),
        )
        .await?;
    Ok(views(store, std::slice::from_ref(&a), today())
        .await?
        .remove(0))
}

// ----- reminders --------------------------------------------------------------------------

/// What one reminder run did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ReminderRun {
    /// Users with overdue or soon-due actions.
    pub users: usize,
    /// Digests sent.
    pub sent: usize,
    /// Users already sent a digest today (by this or another instance).
    pub already_sent: usize,
    /// Digests that failed (tried again on the next run).
    pub failed: usize,
    /// Whether mail is configured at all (without it only the in-app count reminds).
    pub mail_configured: bool,
}

/// The digest of one user's actions.
pub fn digest(name: &str, actions: &[store::DueAction], today: NaiveDate) -> Mail {
    let t = today.format("%Y-%m-%d").to_string();
    let (overdue, soon): (Vec<_>, Vec<_>) = actions.iter().partition(|d| d.action.due_on < t);
    let line = |d: &store::DueAction| {
        let due = NaiveDate::parse_from_str(&d.action.due_on, "%Y-%m-%d")
            .map(report::nl::date)
            .unwrap_or_else(|_| d.action.due_on.clone());
        format!("- {} ({}), deadline {due}", d.action.title, d.org_name)
    };
    let mut body = format!("Beste {name},\n\n");
    if !overdue.is_empty() {
        body.push_str("Deze acties zijn over de deadline:\n");
        for d in &overdue {
            body.push_str(&line(d));
            body.push('\n');
        }
        body.push('\n');
    }
    if !soon.is_empty() {
        body.push_str(&format!(
            "Deze acties hebben binnen {SOON_DAYS} dagen hun deadline:\n"
        ));
        for d in &soon {
            body.push_str(&line(d));
            body.push('\n');
        }
        body.push('\n');
    }
    body.push_str(
        "U vindt al uw acties in Urenwinst onder 'Mijn acties' (/acties).\n\nUrenwinst\n",
    );
    let to_email = actions.first().map(|d| d.email.clone()).unwrap_or_default();
    Mail {
        to_name: name.to_string(),
        to_email,
        subject: format!(
            "Urenwinst: {} acties vragen aandacht ({} over de deadline)",
            actions.len(),
            overdue.len()
        ),
        body,
    }
}

/// Sends each user with overdue or soon-due actions one digest for `today`, never twice a
/// day (the send is claimed in the store first, so instances do not both send).
pub async fn send_reminders(
    store: &Store,
    mail: Option<&MailConfig>,
    today: NaiveDate,
) -> AppResult<ReminderRun> {
    let until = (today + chrono::Days::new(SOON_DAYS))
        .format("%Y-%m-%d")
        .to_string();
    let day = today.format("%Y-%m-%d").to_string();
    let due = store.actions_due_by(&until).await?;
    let mut by_user: std::collections::BTreeMap<i64, Vec<store::DueAction>> = Default::default();
    for d in due {
        by_user.entry(d.user_id).or_default().push(d);
    }
    let mut run = ReminderRun {
        users: by_user.len(),
        mail_configured: mail.is_some(),
        ..ReminderRun::default()
    };
    let Some(mail) = mail else {
        tracing::info!(
            users = run.users,
            "reminders: no SMTP configured, in-app only"
        );
        return Ok(run);
    };
    for (user_id, list) in by_user {
        if !store
            .claim_reminder(user_id, &day, list.len() as i64)
            .await?
        {
            run.already_sent += 1;
            continue;
        }
        let name = list[0].name.clone();
        match mail.send(&digest(&name, &list, today)).await {
            Ok(()) => run.sent += 1,
            Err(e) => {
                tracing::warn!(user = user_id, error = %e, "reminder mail failed");
                store.release_reminder(user_id, &day).await?;
                run.failed += 1;
            }
        }
    }
    tracing::info!(
        sent = run.sent,
        already = run.already_sent,
        failed = run.failed,
        "reminders sent"
    );
    Ok(run)
}

/// The daily reminder job (kind [`REMINDERS`]).
pub struct ReminderJob {
    pub mail: Option<MailConfig>,
}

impl crate::jobs::JobHandler for ReminderJob {
    fn kind(&self) -> &'static str {
        REMINDERS
    }

    fn run(
        &self,
        ctx: crate::jobs::JobContext,
        _input: serde_json::Value,
    ) -> crate::jobs::JobFuture {
        let mail = self.mail.clone();
        Box::pin(async move {
            let run = send_reminders(&ctx.store, mail.as_ref(), today())
                .await
                .map_err(|e| crate::jobs::JobError::Retry(e.to_string()))?;
            serde_json::to_value(run).map_err(|e| crate::jobs::JobError::Fatal(e.to_string()))
        })
    }
}

/// Registers the reminder job and schedules it daily.
pub fn register_reminders(worker: &mut crate::jobs::Worker, mail: Option<MailConfig>) {
    worker
        .register(ReminderJob { mail })
        .schedule(crate::jobs::Schedule {
            kind: REMINDERS,
            every: std::time::Duration::from_secs(24 * 3600),
            input: serde_json::json!({}),
        });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(role: Role, org: Option<i64>, teams: Vec<i64>) -> User {
        User {
            id: 1,
            email: "a@b.nl".into(),
            name: "A".into(),
            role,
            org_id: org,
            active: true,
            has_password: true,
            created_at: 0,
            team_ids: teams,
        }
    }

    fn action(owner: Option<i64>, team: Option<i64>) -> Action {
        Action {
            id: 9,
            org_id: 2,
            title: "t".into(),
            owner_user_id: owner,
            owner_programme: owner.is_none(),
            team_id: team,
            due_on: "2026-01-01".into(),
            status: ActionStatus::Open,
            link_kind: None,
            link_ref: None,
            created_at: 0,
            updated_at: 0,
        }
    }

    #[test]
    fn who_sees_an_action() {
        let mgr = user(Role::Manager, Some(2), vec![7]);
        assert!(can_see_action(&mgr, &action(Some(1), None)));
        assert!(can_see_action(&mgr, &action(Some(5), Some(7))));
        assert!(!can_see_action(&mgr, &action(Some(5), Some(8))));
        assert!(!can_see_action(&mgr, &action(None, None)));
        assert!(can_see_action(
            &user(Role::OrgAdmin, Some(2), vec![]),
            &action(None, None)
        ));
        assert!(!can_see_action(
            &user(Role::OrgAdmin, Some(3), vec![]),
            &action(None, None)
        ));
        assert!(!can_see_action(
            &user(Role::RegioLezer, None, vec![]),
            &action(None, None)
        ));
        let other_org_mgr = User {
            id: 5,
            ..user(Role::Manager, Some(3), vec![7])
        };
        assert!(!can_see_action(&other_org_mgr, &action(Some(5), Some(7))));
    }

    #[test]
    fn phases_and_dates_read_as_typed() {
        assert_eq!(parse_phase("uitrol").unwrap(), Phase::Pilot);
        assert_eq!(parse_phase("Opschalen").unwrap(), Phase::Opschalen);
        assert!(parse_phase("afbouwen").is_err());
        assert_eq!(parse_day("d", "Datum", "01-03-2026").unwrap(), "2026-03-01");
        assert_eq!(parse_day("d", "Datum", "2026-03-01").unwrap(), "2026-03-01");
        let e = parse_day("d", "Deadline", "31-02-2026").unwrap_err();
        assert!(e.to_string().contains("Deadline"), "{e}");
    }

    #[test]
    fn the_catalogue_has_the_twelve_interventions() {
        let c = catalogue().unwrap();
        assert_eq!(c.len(), 12);
        assert!(c.iter().any(|i| i.code == "roostersessies"));
    }

    #[test]
    fn a_digest_names_overdue_and_soon_due_actions() {
        let due = |title: &str, on: &str| store::DueAction {
            action: Action {
                title: title.into(),
                due_on: on.into(),
                ..action(Some(1), None)
            },
            user_id: 1,
            email: "a@b.nl".into(),
            name: "Anna".into(),
            org_name: "De Dinkel".into(),
        };
        let today = NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
        let m = digest(
            "Anna",
            &[
                due("Rooster bespreken", "2026-12-01"),
                due("Brochure", "2026-12-09"),
            ],
            today,
        );
        assert_eq!(m.to_email, "a@b.nl");
        assert!(m.subject.contains("2 acties") && m.subject.contains("1 over"));
        let over = m.body.find("over de deadline:").unwrap();
        let soon = m.body.find("binnen 3 dagen").unwrap();
        assert!(
            m.body[over..soon].contains("Rooster bespreken, ")
                || m.body[over..soon].contains("Rooster bespreken (")
        );
        assert!(m.body[soon..].contains("Brochure (De Dinkel), deadline 09-12-2026"));
    }
}
