//! The start page per role (issue 33): what each role sees first and what it should do
//! next, assembled from the other services (so every figure passes the same access checks
//! and suppression as on its own page), and the navigation each role may open.
//!
//! - Programme admin: organisations per cohort and phase, the Fase 0 checklist per
//!   organisation, what needs attention (open rounds with low response, reports made but
//!   not shared, overdue actions) and the region's headline figures where the regional
//!   picture shows them. With no organisations yet: the first-run page (`first_run`).
//! - Organisation admin: the next Fase 0 step with the page that does it, the latest own
//!   figures, open actions.
//! - Manager: results of closed rounds where at least one own team is shown, contract
//!   requests and actions of the own teams.
//! - Planner: roster scans and designs of the own teams, and whether they may upload.
//! - Regio-lezer: the regions they may read.

use chrono::NaiveDate;
use serde::Serialize;
use store::{ActionStatus, Role, Store, User};

use crate::AppResult;
use crate::access::Caller;
use crate::programme::ActionView;

/// A round counts as "low response" when fewer than this share of the invited have
/// answered. 30% is where the programme's experience says a round will not reach a
/// usable response without a reminder from the organisation.
pub const LOW_RESPONSE_PERCENT: f64 = 30.0;
/// Low response is only flagged once a round has been open this many days: the first
/// week's answers come in slowly and a flag on day two helps no one.
pub const LOW_RESPONSE_AFTER_DAYS: i64 = 7;
/// How many open actions a dashboard lists (the rest is on the actions page).
pub const ACTIONS_SHOWN: usize = 5;

// ----- navigation -------------------------------------------------------------------------

/// One item of the main navigation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NavItem {
    pub href: String,
    pub label: &'static str,
    /// The key a page passes as "current" (`aria-current="page"`).
    pub key: &'static str,
}

fn item(href: impl Into<String>, label: &'static str, key: &'static str) -> NavItem {
    NavItem {
        href: href.into(),
        label,
        key,
    }
}

/// The navigation of `user`: only pages the role may open (no link that answers 403).
/// "Mijn acties" is added by the layout (it carries a count).
pub fn nav(user: &User) -> Vec<NavItem> {
    let mut out = vec![item("/dashboard", "Overzicht", "dashboard")];
    match (user.role, user.org_id) {
        (Role::ProgrammeAdmin, _) => {
            out.push(item("/organisaties", "Organisaties", "organisaties"));
            out.push(item("/regio", "Regio", "regio"));
            out.push(item("/fase0", "Fase 0", "fase0"));
            out.push(item("/leernetwerk", "Leernetwerk", "leernetwerk"));
            out.push(item("/gebruikers", "Gebruikers", "gebruikers"));
            out.push(item("/audit", "Logboek", "audit"));
            out.push(item("/verwerkingsregister", "Privacy", "privacy"));
        }
        (Role::OrgAdmin, Some(org)) => {
            out.push(item(
                format!("/organisaties/{org}"),
                "Mijn organisatie",
                "organisaties",
            ));
            out.push(item(
                format!("/organisaties/{org}/fase0"),
                "Fase 0",
                "fase0",
            ));
            out.push(item("/regio", "Regio", "regio"));
            out.push(item("/leernetwerk", "Leernetwerk", "leernetwerk"));
            out.push(item("/gebruikers", "Gebruikers", "gebruikers"));
            out.push(item(
                format!("/organisaties/{org}/logboek"),
                "Logboek",
                "audit",
            ));
        }
        (Role::Manager, Some(org)) => {
            out.push(item(
                format!("/organisaties/{org}"),
                "Mijn organisatie",
                "organisaties",
            ));
            out.push(item("/leernetwerk", "Leernetwerk", "leernetwerk"));
        }
        (Role::Planner, Some(org)) => {
            out.push(item(
                format!("/organisaties/{org}/roosters"),
                "Roosters",
                "roosters",
            ));
            out.push(item("/leernetwerk", "Leernetwerk", "leernetwerk"));
        }
        (Role::RegioLezer, _) => {
            out.push(item("/regio", "Regio", "regio"));
            out.push(item("/leernetwerk", "Leernetwerk", "leernetwerk"));
        }
        // An organisation role without an organisation cannot open organisation pages.
        (Role::OrgAdmin | Role::Manager | Role::Planner, None) => {}
    }
    out
}

/// Whether the role has "Mijn acties" (everyone who can own or follow actions).
pub fn has_actions(user: &User) -> bool {
    user.role == Role::ProgrammeAdmin || (user.role.needs_org() && user.org_id.is_some())
}

// ----- the dashboards ---------------------------------------------------------------------

/// The start page of one user.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "role", rename_all = "snake_case")]
pub enum Dashboard {
    Programme(ProgrammeDashboard),
    Organisation(OrgDashboard),
    Manager(ManagerDashboard),
    Planner(PlannerDashboard),
    Region(RegionDashboard),
}

/// A cohort (or "no cohort") with its organisations counted per phase.
#[derive(Debug, Clone, Serialize)]
pub struct CohortRow {
    pub name: String,
    /// Counts in the order of [`PHASES`].
    pub per_phase: Vec<usize>,
    pub organisations: Vec<OrgLine>,
}

/// The programme's phases in their order, as the dashboard's columns.
pub const PHASES: [store::Phase; 3] = [
    store::Phase::Ontwerp,
    store::Phase::Pilot,
    store::Phase::Opschalen,
];

#[derive(Debug, Clone, Serialize)]
pub struct OrgLine {
    pub id: i64,
    pub name: String,
    pub phase: &'static str,
}

/// One organisation's Fase 0 checklist as a row.
#[derive(Debug, Clone, Serialize)]
pub struct ChecklistRow {
    pub org_id: i64,
    pub name: String,
    pub done: usize,
    pub steps: Vec<valuecase::checklist::Step>,
}

/// Something the programme should look at, with the page to go to.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Attention {
    pub org_id: i64,
    pub org_name: String,
    pub text: String,
    pub href: String,
}

/// A headline figure of the regional picture (shown only when the picture shows it).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Headline {
    pub label: &'static str,
    pub value: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct RegionHeadlines {
    pub region_id: i64,
    pub region: String,
    pub period: Option<String>,
    pub organisations: u64,
    /// Empty when the picture hides the region's figures (too few organisations).
    pub figures: Vec<Headline>,
    /// Why figures are hidden, in Dutch.
    pub hidden_reason: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ProgrammeDashboard {
    pub region: String,
    /// No organisations yet: the page shows the first-run explanation instead.
    pub first_run: bool,
    pub phases: Vec<&'static str>,
    pub cohorts: Vec<CohortRow>,
    pub checklists: Vec<ChecklistRow>,
    pub low_response: Vec<Attention>,
    pub not_shared: Vec<Attention>,
    pub overdue: Vec<Attention>,
    pub headlines: Vec<RegionHeadlines>,
}

/// The next Fase 0 step with the page that does it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NextStep {
    pub label: &'static str,
    pub detail: String,
    pub button: &'static str,
    pub href: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct OrgDashboard {
    pub org_id: i64,
    pub org_name: String,
    pub cohort: Option<String>,
    pub checklist: valuecase::checklist::Checklist,
    /// `None` when every step is done.
    pub next: Option<NextStep>,
    /// The own figures of the latest period (`None` before the first results).
    pub figures: Option<(String, region::OwnFigures)>,
    pub actions: Vec<ActionView>,
    pub open_actions: usize,
}

/// A closed round as a manager sees it: which own teams its results show.
#[derive(Debug, Clone, Serialize)]
pub struct ManagerRound {
    pub round_id: i64,
    pub name: String,
    pub closes_on: String,
    /// Own teams with figures in the results.
    pub shown: Vec<String>,
    /// Own teams in the round whose figures are hidden (fewer than the minimum).
    pub hidden: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ManagerDashboard {
    pub org_id: i64,
    pub org_name: String,
    pub teams: Vec<String>,
    pub rounds: Vec<ManagerRound>,
    pub requests: Vec<crate::impact::RequestView>,
    pub open_requests: usize,
    pub actions: Vec<ActionView>,
    pub open_actions: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct PlannerScan {
    pub scan_id: i64,
    pub team: String,
    pub period_start: String,
    pub period_end: String,
    pub employees: i64,
    pub designs: usize,
    /// The newest design's state in Dutch, if any.
    pub last_design: Option<&'static str>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PlannerDashboard {
    pub org_id: i64,
    pub org_name: String,
    pub teams: Vec<String>,
    pub scans: Vec<PlannerScan>,
    pub can_upload: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct RegionDashboard {
    pub regions: Vec<(i64, String)>,
}

/// The start page for `user` on `today`.
pub async fn dashboard(store: &Store, user: &User, today: NaiveDate) -> AppResult<Dashboard> {
    match (user.role, user.org_id) {
        (Role::ProgrammeAdmin, _) => Ok(Dashboard::Programme(
            programme_dashboard(store, user, today).await?,
        )),
        (Role::OrgAdmin, Some(org)) => Ok(Dashboard::Organisation(
            org_dashboard(store, user, org, today).await?,
        )),
        (Role::Manager, Some(org)) => Ok(Dashboard::Manager(
            manager_dashboard(store, user, org, today).await?,
        )),
        (Role::Planner, Some(org)) => Ok(Dashboard::Planner(
            planner_dashboard(store, user, org).await?,
        )),
        (Role::RegioLezer, _) | (_, None) => Ok(Dashboard::Region(RegionDashboard {
            regions: crate::region::visible_regions(store, user)
                .await?
                .into_iter()
                .map(|r| (r.id, r.name))
                .collect(),
        })),
    }
}

fn iso(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn nl_date(iso_date: &str) -> String {
    NaiveDate::parse_from_str(iso_date, "%Y-%m-%d")
        .map(report::nl::date)
        .unwrap_or_else(|_| iso_date.to_string())
}

/// Response of an open round in percent of the invited, when the invited are known.
async fn response_percent(store: &Store, round_id: i64) -> AppResult<Option<f64>> {
    let invited: u64 = crate::survey::invited(store, round_id)
        .await?
        .values()
        .sum();
    if invited == 0 {
        return Ok(None);
    }
    let responded: i64 = store
        .survey_response_counts(round_id)
        .await?
        .iter()
        .map(|(_, n)| *n)
        .sum();
    Ok(Some(responded.max(0) as f64 * 100.0 / invited as f64))
}

/// Whether an open round that opened on `opens_on` with `percent` response is "low".
pub fn is_low_response(opens_on: NaiveDate, percent: f64, today: NaiveDate) -> bool {
    (today - opens_on).num_days() >= LOW_RESPONSE_AFTER_DAYS && percent < LOW_RESPONSE_PERCENT
}

async fn programme_dashboard(
    store: &Store,
    user: &User,
    today: NaiveDate,
) -> AppResult<ProgrammeDashboard> {
    let caller = Caller::User(user);
    let region = store
        .setting("region_name")
        .await?
        .unwrap_or_else(|| "de regio".into());
    let orgs = store.organisations().await?;
    let mut out = ProgrammeDashboard {
        region,
        first_run: orgs.is_empty(),
        phases: PHASES
            .iter()
            .map(|p| crate::programme::phase_label(*p))
            .collect(),
        cohorts: Vec::new(),
        checklists: Vec::new(),
        low_response: Vec::new(),
        not_shared: Vec::new(),
        overdue: Vec::new(),
        headlines: Vec::new(),
    };
    if out.first_run {
        return Ok(out);
    }
    let regions = crate::region::visible_regions(store, user).await?;
    for r in &regions {
        let t = crate::programme::timeline(store, caller, r.id).await?;
        let row = |name: String, list: &[crate::programme::TimelineOrg]| CohortRow {
            name,
            per_phase: PHASES
                .iter()
                .map(|p| list.iter().filter(|o| o.phase == *p).count())
                .collect(),
            organisations: list
                .iter()
                .map(|o| OrgLine {
                    id: o.org_id,
                    name: o.name.clone(),
                    phase: crate::programme::phase_label(o.phase),
                })
                .collect(),
        };
        let prefix = if regions.len() > 1 {
            format!("{}: ", r.name)
        } else {
            String::new()
        };
        for c in &t.cohorts {
            out.cohorts
                .push(row(format!("{prefix}{}", c.cohort.name), &c.organisations));
        }
        if !t.without_cohort.is_empty() {
            out.cohorts.push(row(
                format!("{prefix}Nog in geen cohort"),
                &t.without_cohort,
            ));
        }
        let p = crate::region::picture_for(store, user, r.id, today).await?;
        out.headlines.push(headlines(r.id, &p));
    }
    for (org, checklist) in crate::value_case::checklists(store, caller).await? {
        if checklist
            .steps
            .iter()
            .any(|s| s.code == "rapport" && s.state == valuecase::checklist::StepState::Bezig)
        {
            out.not_shared.push(Attention {
                org_id: org.id,
                org_name: org.name.clone(),
                text: "De Value Case is gemaakt maar nog niet gedeeld met de organisatie.".into(),
                href: format!("/organisaties/{}/value-case", org.id),
            });
        }
        out.checklists.push(ChecklistRow {
            org_id: org.id,
            name: org.name.clone(),
            done: checklist.done,
            steps: checklist.steps,
        });
    }
    let today_iso = iso(today);
    for org in &orgs {
        for round in store.survey_rounds(org.id).await? {
            if round.status != "open" {
                continue;
            }
            let Ok(opens_on) = NaiveDate::parse_from_str(&round.opens_on, "%Y-%m-%d") else {
                continue;
            };
            if let Some(pct) = response_percent(store, round.id).await?
                && is_low_response(opens_on, pct, today)
            {
                out.low_response.push(Attention {
                    org_id: org.id,
                    org_name: org.name.clone(),
                    text: format!(
                        "Ronde '{}' staat sinds {} open en heeft {} respons.",
                        round.name,
                        nl_date(&round.opens_on),
                        report::nl::percent(pct / 100.0, 0)
                    ),
                    href: format!("/enquetes/{}", round.id),
                });
            }
        }
        let late = store
            .actions(org.id)
            .await?
            .into_iter()
            .filter(|a| a.status != ActionStatus::Klaar && a.due_on < today_iso)
            .count();
        if late > 0 {
            out.overdue.push(Attention {
                org_id: org.id,
                org_name: org.name.clone(),
                text: if late == 1 {
                    "1 actie is over de deadline.".into()
                } else {
                    format!("{late} acties zijn over de deadline.")
                },
                href: format!("/organisaties/{}/acties", org.id),
            });
        }
    }
    Ok(out)
}

fn headlines(region_id: i64, p: &crate::region::PictureForUser) -> RegionHeadlines {
    use report::nl;
    let t = &p.picture.total;
    let mut figures = Vec::new();
    if let Some(e) = t.employees {
        figures.push(Headline {
            label: "Medewerkers",
            value: nl::integer(e as i64),
        });
    }
    if let Some(d) = t.deeltijdfactor {
        figures.push(Headline {
            label: "Deeltijdfactor",
            value: nl::number(d, 2),
        });
    }
    if let Some(s) = t.open_share {
        figures.push(Headline {
            label: "Staat open voor meer uren",
            value: nl::percent(s, 0),
        });
    }
    if let Some(f) = t.potential_fte {
        figures.push(Headline {
            label: "Urenpotentieel (fte)",
            value: nl::number(f, 1),
        });
    }
    if let Some(c) = t.pnil_last_12_months_cost_cents {
        figures.push(Headline {
            label: "PNIL-kosten, laatste 12 maanden",
            value: nl::euro_cents(c),
        });
    }
    RegionHeadlines {
        region_id,
        region: p.region.name.clone(),
        period: p.picture.period.clone(),
        organisations: t.organisations,
        hidden_reason: if figures.is_empty() {
            Some(t.reason.clone().unwrap_or_else(|| {
                "Er zijn nog te weinig organisaties met resultaten om regiocijfers te tonen.".into()
            }))
        } else {
            None
        },
        figures,
    }
}

/// The page and button of each Fase 0 step (checklist codes of `valuecase::checklist`).
pub fn step_target(code: &str, org_id: i64) -> (&'static str, String) {
    match code {
        "interview" => (
            "Interview vastleggen",
            format!("/organisaties/{org_id}/interview"),
        ),
        "vragenlijst" => (
            "Naar de vragenlijsten",
            format!("/organisaties/{org_id}/enquetes"),
        ),
        "hr" => (
            "HR-bestand inlezen",
            format!("/organisaties/{org_id}/nulmeting/bestanden#bestand-inlezen"),
        ),
        "pnil" => (
            "PNIL-kosten inlezen",
            format!("/organisaties/{org_id}/nulmeting/pnil"),
        ),
        "roosterscan" => (
            "Rooster inlezen",
            format!("/organisaties/{org_id}/roosters"),
        ),
        _ => (
            "Naar de Value Case",
            format!("/organisaties/{org_id}/value-case"),
        ),
    }
}

fn open_first(mut actions: Vec<ActionView>) -> (Vec<ActionView>, usize) {
    actions.retain(|a| a.action.status != ActionStatus::Klaar);
    actions.sort_by(|a, b| (&a.action.due_on, a.action.id).cmp(&(&b.action.due_on, b.action.id)));
    let n = actions.len();
    actions.truncate(ACTIONS_SHOWN);
    (actions, n)
}

async fn org_dashboard(
    store: &Store,
    user: &User,
    org_id: i64,
    today: NaiveDate,
) -> AppResult<OrgDashboard> {
    let caller = Caller::User(user);
    let org = store.organisation(org_id).await?;
    let checklist = crate::value_case::checklist(store, caller, org_id).await?;
    let next = checklist
        .steps
        .iter()
        .find(|s| s.state != valuecase::checklist::StepState::Klaar)
        .map(|s| {
            let (button, href) = step_target(s.code, org_id);
            NextStep {
                label: s.label,
                detail: s.detail.clone(),
                button,
                href,
            }
        });
    let own = crate::programme::own_programme(store, caller, org_id).await?;
    let figures = crate::region::own_view_for(store, caller, org_id, today)
        .await?
        .map(|(_, v)| (v.period, v.organisation));
    let (actions, open_actions) =
        open_first(crate::programme::actions(store, caller, org_id, today).await?);
    Ok(OrgDashboard {
        org_id,
        org_name: org.name,
        cohort: own.cohort,
        checklist,
        next,
        figures,
        actions,
        open_actions,
    })
}

async fn team_names(store: &Store, user: &User) -> AppResult<Vec<String>> {
    let mut out = Vec::new();
    for id in &user.team_ids {
        out.push(store.team(*id).await?.name);
    }
    out.sort();
    Ok(out)
}

async fn manager_dashboard(
    store: &Store,
    user: &User,
    org_id: i64,
    today: NaiveDate,
) -> AppResult<ManagerDashboard> {
    let caller = Caller::User(user);
    let org = store.organisation(org_id).await?;
    let teams = team_names(store, user).await?;
    let mut rounds = Vec::new();
    for round in store.survey_rounds(org_id).await? {
        if round.status != "gesloten" {
            continue;
        }
        let in_round: Vec<String> = store
            .survey_round_teams(round.id)
            .await?
            .into_iter()
            .filter(|t| user.team_ids.contains(&t.team_id))
            .map(|t| t.team)
            .collect();
        if in_round.is_empty() {
            continue;
        }
        let ctx = crate::survey::round_for(store, user, round.id).await?;
        // The manager's own view of the results: the same subset the results page shows.
        let results = crate::survey::results_for(store, user, &ctx).await?;
        let (shown, hidden): (Vec<String>, Vec<String>) = in_round.into_iter().partition(|t| {
            results
                .teams
                .iter()
                .any(|r| &r.team == t && !r.cell.suppressed && r.cell.figures.is_some())
        });
        rounds.push(ManagerRound {
            round_id: round.id,
            name: round.name,
            closes_on: nl_date(&round.closes_on),
            shown,
            hidden,
        });
    }
    let mut requests = crate::impact::requests(store, caller, org_id).await?;
    requests.retain(|r| {
        !matches!(
            r.record.status,
            impact::RequestStatus::Verwerkt | impact::RequestStatus::NietGelukt
        )
    });
    let open_requests = requests.len();
    requests.truncate(ACTIONS_SHOWN);
    let (actions, open_actions) =
        open_first(crate::programme::my_actions(store, user, today).await?);
    Ok(ManagerDashboard {
        org_id,
        org_name: org.name,
        teams,
        rounds,
        requests,
        open_requests,
        actions,
        open_actions,
    })
}

fn design_label(status: &str) -> &'static str {
    match status {
        "queued" => "wacht op zijn beurt",
        "running" => "wordt gemaakt",
        "done" => "klaar",
        "failed" => "mislukt",
        "cancelled" => "gestopt",
        _ => "onbekend",
    }
}

async fn planner_dashboard(store: &Store, user: &User, org_id: i64) -> AppResult<PlannerDashboard> {
    let caller = Caller::User(user);
    let org = store.organisation(org_id).await?;
    let teams = team_names(store, user).await?;
    let mut scans = Vec::new();
    for s in crate::roster::scans(store, caller, org_id).await? {
        let designs = crate::roster::designs(store, caller, org_id, s.scan.id).await?;
        scans.push(PlannerScan {
            scan_id: s.scan.id,
            team: s.team,
            period_start: nl_date(&s.scan.period_start),
            period_end: nl_date(&s.scan.period_end),
            employees: s.scan.employees,
            last_design: designs.first().map(|d| design_label(&d.status)),
            designs: designs.len(),
        });
    }
    let can_upload = !crate::roster::upload_teams(store, caller, org_id)
        .await?
        .is_empty();
    Ok(PlannerDashboard {
        org_id,
        org_name: org.name,
        teams,
        scans,
        can_upload,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(role: Role, org: Option<i64>) -> User {
        User {
            id: 1,
            email: "x@example.org".into(),
            name: "X".into(),
            role,
            org_id: org,
            active: true,
            has_password: true,
            created_at: 0,
            team_ids: vec![],
        }
    }

    #[test]
    fn low_response_needs_a_week_and_less_than_the_threshold() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let opened = d("2026-03-01");
        assert!(!is_low_response(opened, 10.0, d("2026-03-07")));
        assert!(is_low_response(opened, 10.0, d("2026-03-08")));
        assert!(is_low_response(opened, 29.9, d("2026-04-01")));
        assert!(!is_low_response(opened, 30.0, d("2026-04-01")));
    }

    #[test]
    fn organisation_users_see_no_programme_pages() {
        for role in [Role::OrgAdmin, Role::Manager, Role::Planner] {
            let nav = nav(&user(role, Some(7)));
            for href in ["/organisaties", "/fase0", "/audit"] {
                assert!(!nav.iter().any(|i| i.href == href), "{role:?} sees {href}");
            }
            assert!(has_actions(&user(role, Some(7))));
        }
        // The organisation admin's log is the own organisation's (issue 33).
        let admin = nav(&user(Role::OrgAdmin, Some(7)));
        assert!(admin.iter().any(|i| i.href == "/organisaties/7/logboek"));
        for role in [Role::Manager, Role::Planner] {
            assert!(!nav(&user(role, Some(7))).iter().any(|i| i.key == "audit"));
        }
        let planner = nav(&user(Role::Planner, Some(7)));
        assert!(planner.iter().any(|i| i.href == "/organisaties/7/roosters"));
        assert!(!planner.iter().any(|i| i.href == "/gebruikers"));
        let reader = user(Role::RegioLezer, None);
        assert!(!has_actions(&reader));
        assert!(
            !nav(&reader)
                .iter()
                .any(|i| i.href.starts_with("/organisaties"))
        );
    }
}
