//! Roostersessies in the product (issue 32): roster scans per team and period, and roster
//! designs solved as background jobs. Pages, API, command line and the job worker call
//! these services; the figures come from the `roster` crate.
//!
//! Privacy: employee numbers are pseudonymised with the organisation's key on read (the
//! same key as the HR baseline, so contract hours come from the latest HR snapshot when
//! the numbers match). Employees appear as "Medewerker N" (numbered per scan); names are
//! kept only when the planner mapped a name column, sealed with the server key, and shown
//! only to the team's own planners (`access::can_see_roster_names`).

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine as _;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use import::Table;
use roster::plan::{DesignInput, DesignResult};
use roster::scan::{Export, ScanOptions, TeamReport};
use serde::{Deserialize, Serialize};
use store::{Organisation, RosterDesign, RosterScan, Store, Team};

use crate::access::{self, Caller};
use crate::jobs::{JobContext, JobError, JobFuture, JobHandler};
use crate::uploads::UploadKey;
use crate::{AppError, AppResult};

/// The job kind of a roster design.
pub const DESIGN_JOB: &str = "roster_design";
/// Default and largest time limit of a design solve, in seconds.
pub const DEFAULT_SECONDS: i64 = 60;
pub const MAX_SECONDS: i64 = 600;
/// The stash kind of a roster upload waiting for its mapping step.
pub const UPLOAD_KIND: &str = "roster";

// ---------------------------------------------------------------------------------------
// Access.

/// What the caller may do with a team's rosters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TeamRights {
    pub edit: bool,
    pub names: bool,
}

fn rights(caller: Caller<'_>, team: &Team) -> AppResult<TeamRights> {
    match caller {
        Caller::Operator => Ok(TeamRights {
            edit: true,
            names: false,
        }),
        Caller::User(u) => {
            access::require_view_org(u, team.org_id)?;
            if !access::can_view_roster(u, team) {
                return Err(AppError::Forbidden);
            }
            Ok(TeamRights {
                edit: access::can_edit_roster(u, team),
                names: access::can_see_roster_names(u, team),
            })
        }
    }
}

async fn team_of(store: &Store, org_id: i64, team_id: i64) -> AppResult<Team> {
    let team = store.team(team_id).await?;
    if team.org_id != org_id {
        return Err(AppError::NotFound);
    }
    Ok(team)
}

/// The teams of the organisation whose rosters the caller may upload.
pub async fn upload_teams(store: &Store, caller: Caller<'_>, org_id: i64) -> AppResult<Vec<Team>> {
    caller.require_view_org(org_id)?;
    let teams = store.teams(org_id).await?;
    Ok(teams
        .into_iter()
        .filter(|t| rights(caller, t).is_ok_and(|r| r.edit))
        .collect())
}

// ---------------------------------------------------------------------------------------
// Upload and mapping.

/// A roster file waiting for the mapping step (stashed sealed, see `app::uploads`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RosterUpload {
    pub org_id: i64,
    pub user_id: i64,
    pub team_id: i64,
    pub file_name: String,
    pub table: Table,
    /// Column index per role (`roster::scan::COLUMN_ROLES`).
    pub columns: BTreeMap<String, usize>,
    /// The column with names, if the planner keeps them.
    pub name_column: Option<usize>,
    /// Problems of the last attempt, in Dutch.
    pub errors: Vec<String>,
}

/// Reads CSV or XLSX bytes into a table; a file that cannot be read gives a Dutch message.
pub fn read_file(bytes: &[u8]) -> AppResult<Table> {
    import::read_table(bytes).map_err(|e| AppError::invalid("bestand", e.message_nl()))
}

fn norm(h: &str) -> String {
    h.trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// The proposed columns of a table: the scan's header names per role, and a name column
/// when a header says so.
pub fn propose(table: &Table) -> (BTreeMap<String, usize>, Option<usize>) {
    let columns = roster::scan::propose_columns(&table.headers);
    let name = table.headers.iter().position(|h| {
        matches!(
            norm(h).as_str(),
            "naam" | "medewerkernaam" | "volledigenaam" | "name" | "achternaam"
        )
    });
    (columns, name)
}

/// A new upload for the mapping step, with the proposed columns; checks that the caller
/// may upload for the team.
pub async fn new_upload(
    store: &Store,
    caller: Caller<'_>,
    org_id: i64,
    team_id: i64,
    file_name: &str,
    bytes: &[u8],
) -> AppResult<RosterUpload> {
    let team = team_of(store, org_id, team_id).await?;
    if !rights(caller, &team)?.edit {
        return Err(AppError::Forbidden);
    }
    let table = read_file(bytes)?;
    let (columns, name_column) = propose(&table);
    Ok(RosterUpload {
        org_id,
        user_id: caller.user_id().unwrap_or(0),
        team_id,
        file_name: file_name.to_string(),
        table,
        columns,
        name_column,
        errors: Vec::new(),
    })
}

fn seal_names(key: &UploadKey, org_id: i64, names: &BTreeMap<String, String>) -> AppResult<String> {
    use rand::RngCore;
    let cipher = XChaCha20Poly1305::new(&key.derive("roster names").into());
    let plain = serde_json::to_vec(names).map_err(AppError::internal)?;
    let mut nonce = [0u8; 24];
    rand::rng().fill_bytes(&mut nonce);
    let aad = format!("urenwinst roster names\0{org_id}");
    let sealed = cipher
        .encrypt(
            XNonce::from_slice(&nonce),
            Payload {
                msg: &plain,
                aad: aad.as_bytes(),
            },
        )
        .map_err(|_| AppError::internal("names cannot be sealed"))?;
    let mut out = nonce.to_vec();
    out.extend_from_slice(&sealed);
    Ok(base64::engine::general_purpose::STANDARD.encode(out))
}

fn open_names(key: &UploadKey, org_id: i64, sealed: &str) -> Option<BTreeMap<String, String>> {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(sealed)
        .ok()?;
    if bytes.len() < 24 {
        return None;
    }
    let (nonce, body) = bytes.split_at(24);
    let cipher = XChaCha20Poly1305::new(&key.derive("roster names").into());
    let aad = format!("urenwinst roster names\0{org_id}");
    let plain = cipher
        .decrypt(
            XNonce::from_slice(nonce),
            Payload {
                msg: body,
                aad: aad.as_bytes(),
            },
        )
        .ok()?;
    serde_json::from_slice(&plain).ok()
}

/// Reads the export of an upload with its columns: pseudonyms with the organisation's
/// key, every row in the team, contract hours from the latest HR snapshot where the
/// pseudonyms match (else from the file's column). Returns the export and the names.
pub async fn export_of_upload(
    store: &Store,
    org: &Organisation,
    team: &Team,
    up: &RosterUpload,
) -> AppResult<(Export, BTreeMap<String, String>)> {
    let pseudo = crate::nulmeting::pseudonymiser(store, org.id).await?;
    let mut export =
        roster::scan::export_from_table(&up.table, &up.columns, &|n: &str| pseudo.pseudonym(n))
            .map_err(|e| AppError::invalid("bestand", e.to_string()))?;
    for s in &mut export.shifts {
        s.team = team.name.clone();
    }
    let mut names = BTreeMap::new();
    if let (Some(col), Some(num)) = (up.name_column, up.columns.get("personeelsnummer")) {
        for r in &up.table.rows {
            let number = r.get(*num).display();
            let name = r.get(col).display();
            if !number.trim().is_empty() && !name.trim().is_empty() {
                names.insert(pseudo.pseudonym(number.trim()), name.trim().to_string());
            }
        }
    }
    if let Some(snap) = store.hr_snapshots(org.id).await?.pop() {
        let wanted: std::collections::BTreeSet<&str> =
            export.shifts.iter().map(|s| s.employee.as_str()).collect();
        let from_hr: Vec<(String, f64)> = store
            .hr_employees(snap.id)
            .await?
            .into_iter()
            .filter(|e| wanted.contains(e.pseudonym.as_str()))
            .filter_map(|e| {
                e.contract_hours
                    .to_string()
                    .parse::<f64>()
                    .ok()
                    .map(|h| (e.pseudonym, h))
            })
            .collect();
        export.contract_hours.extend(from_hr);
    }
    Ok((export, names))
}

/// Stores the scan of an upload: checks access, reads and scans the file, stores the
/// scan (with sealed names when a name column was chosen), records the summary for the
/// Fase 0 checklist and the audit entry. Bad input names row and field and writes nothing.
pub async fn store_upload(
    store: &Store,
    key: &UploadKey,
    caller: Caller<'_>,
    org: &Organisation,
    up: &RosterUpload,
) -> AppResult<RosterScan> {
    let team = team_of(store, org.id, up.team_id).await?;
    if !rights(caller, &team)?.edit {
        return Err(AppError::Forbidden);
    }
    let (export, names) = export_of_upload(store, org, &team, up).await?;
    let sealed = if names.is_empty() {
        None
    } else {
        Some(seal_names(key, org.id, &names)?)
    };
    store_export(
        store,
        caller,
        org,
        &team,
        &up.file_name,
        &export,
        sealed.as_deref(),
    )
    .await
}

/// Scans and stores an export of a team (the command line's `roster scan --team` and the
/// demo come here directly).
pub async fn store_export(
    store: &Store,
    caller: Caller<'_>,
    org: &Organisation,
    team: &Team,
    file_name: &str,
    export: &Export,
    names_sealed: Option<&str>,
) -> AppResult<RosterScan> {
    if !rights(caller, team)?.edit {
        return Err(AppError::Forbidden);
    }
    let report = roster::scan::scan(export, &ScanOptions::default());
    let t = report
        .teams
        .first()
        .ok_or_else(|| AppError::invalid("bestand", "het bestand bevat geen diensten"))?;
    let export_json = serde_json::to_string(export).map_err(AppError::internal)?;
    let report_json = serde_json::to_string(&report).map_err(AppError::internal)?;
    let scan = store
        .add_roster_scan(&store::NewRosterScan {
            org_id: org.id,
            team_id: team.id,
            period_start: &report.period_start.format("%Y-%m-%d").to_string(),
            period_end: &report.period_end.format("%Y-%m-%d").to_string(),
            file_name,
            employees: i64::from(t.employees),
            shifts: i64::from(t.shifts),
            export_json: &export_json,
            report_json: &report_json,
            names_sealed,
            created_by: caller.user_id(),
        })
        .await?;
    // The summary for the Value Case checklist. The caller's right to store the scan was
    // checked above; the summary is part of storing it, so it is recorded as the system.
    crate::value_case::record_roster_scan(
        store,
        Caller::Operator,
        org.id,
        crate::value_case::RosterScanCounts {
            scanned_on: report.period_end,
            employees: u64::from(t.employees),
            shifts: u64::from(t.shifts),
            short_shifts: u64::from(t.short_shifts),
            split_shifts: u64::from(t.split_shifts),
        },
    )
    .await?;
    store
        .audit(
            &caller.actor(),
            Some(org.id),
            "roster.scan",
            &team.name,
            &format!(
                "{file_name}: {} diensten van {} medewerkers, {} t/m {}",
                t.shifts,
                t.employees,
                report::nl::date(report.period_start),
                report::nl::date(report.period_end)
            ),
        )
        .await?;
    tracing::info!(org_id = org.id, scan = scan.id, "roster scan stored");
    Ok(scan)
}

// ---------------------------------------------------------------------------------------
// Reading scans.

/// A scan in a list, with its team.
#[derive(Debug, Clone, Serialize)]
pub struct ScanItem {
    #[serde(flatten)]
    pub scan: RosterScan,
    pub team: String,
}

/// The scans the caller may see, newest period first.
pub async fn scans(store: &Store, caller: Caller<'_>, org_id: i64) -> AppResult<Vec<ScanItem>> {
    caller.require_view_org(org_id)?;
    if let Caller::User(u) = caller
        && u.role == store::Role::RegioLezer
    {
        return Err(AppError::Forbidden);
    }
    let teams: BTreeMap<i64, Team> = store
        .teams(org_id)
        .await?
        .into_iter()
        .map(|t| (t.id, t))
        .collect();
    Ok(store
        .roster_scans(org_id)
        .await?
        .into_iter()
        .filter_map(|s| {
            let team = teams.get(&s.team_id)?;
            rights(caller, team).ok()?;
            Some(ScanItem {
                team: team.name.clone(),
                scan: s,
            })
        })
        .collect())
}

/// One scan as the caller may see it: employees as "Medewerker N", or by name for the
/// team's planners where names were uploaded.
#[derive(Debug, Clone, Serialize)]
pub struct ScanView {
    pub scan: RosterScan,
    pub team: Team,
    pub rights: TeamRightsView,
    pub names_shown: bool,
    pub period_start: chrono::NaiveDate,
    pub period_end: chrono::NaiveDate,
    pub weeks: f64,
    pub report: TeamReport,
    /// "zorgpiek" or "zorggolf".
    pub curve_shape: &'static str,
    /// Peak hours (weekday 0 = Monday, hour) marked on the heatmap.
    pub peaks: Vec<(usize, usize)>,
    /// The Dutch reading of what blocks bigger contracts.
    pub reading: String,
}

/// The caller's rights, for the page to show or hide forms.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct TeamRightsView {
    pub edit: bool,
}

/// Labels per pseudonym: "Medewerker N" in pseudonym order, or the uploaded name.
pub fn labels(
    employees: impl Iterator<Item = String>,
    names: Option<&BTreeMap<String, String>>,
) -> BTreeMap<String, String> {
    let mut ids: Vec<String> = employees.collect();
    ids.sort();
    ids.dedup();
    ids.into_iter()
        .enumerate()
        .map(|(i, id)| {
            let label = names
                .and_then(|n| n.get(&id).cloned())
                .unwrap_or_else(|| format!("Medewerker {}", i + 1));
            (id, label)
        })
        .collect()
}

fn relabel(report: &mut TeamReport, labels: &BTreeMap<String, String>) {
    let l = |id: &str| {
        labels
            .get(id)
            .cloned()
            .unwrap_or_else(|| "Medewerker ?".into())
    };
    for e in &mut report.per_employee {
        e.employee = l(&e.employee);
    }
    for b in &mut report.atw_breaches {
        b.employee = l(&b.employee);
    }
    report.per_employee.sort_by_key(|a| natural(&a.employee));
}

/// Sort key that puts "Medewerker 2" before "Medewerker 10".
fn natural(s: &str) -> (String, u64) {
    match s.rsplit_once(' ') {
        Some((head, n)) if n.chars().all(|c| c.is_ascii_digit()) => {
            (head.to_string(), n.parse().unwrap_or(0))
        }
        _ => (s.to_string(), 0),
    }
}

/// Peaks of the staffing curve: the hours at or above 90% of the highest hour.
pub fn peaks(curve: &[Vec<f64>]) -> Vec<(usize, usize)> {
    let max = curve.iter().flatten().copied().fold(0.0, f64::max);
    if max <= 0.0 {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (d, row) in curve.iter().enumerate() {
        for (h, v) in row.iter().enumerate() {
            if *v >= 0.9 * max {
                out.push((d, h));
            }
        }
    }
    out
}

/// The one-paragraph Dutch reading of what in this roster blocks bigger contracts.
pub fn reading(t: &TeamReport, weeks: f64) -> String {
    use report::nl;
    let mut parts: Vec<String> = Vec::new();
    let shape = if t.peak_ratio >= 1.5 {
        format!(
            "De bezetting heeft een zorgpiek: op het drukste uur werken {} keer zoveel mensen als gemiddeld overdag. Pieken vragen om korte diensten; een zorggolf (taken over de dag spreiden) maakt langere diensten mogelijk.",
            nl::decimal_f64(t.peak_ratio, 1)
        )
    } else {
        "De bezetting is al een zorggolf: de drukte is redelijk over de dag verspreid, dus langere diensten passen goed.".to_string()
    };
    if t.shifts > 0 && t.short_shift_share >= 0.2 {
        parts.push(format!(
            "{} van de {} diensten zijn korter dan 6 uur ({}). Met korte diensten komen medewerkers vaak op het werk voor weinig uren; dat maakt een groter contract onaantrekkelijk.",
            t.short_shifts,
            t.shifts,
            nl::percent(t.short_shift_share, 0)
        ));
    }
    if t.split_shifts > 0 {
        parts.push(format!(
            "Er zijn {} gebroken diensten (twee keer op een dag komen).",
            t.split_shifts
        ));
    }
    if t.structural_extra_employees > 0 {
        parts.push(format!(
            "{} medewerker(s) werken structureel meer dan hun contract: daar ligt een groter contract klaar.",
            t.structural_extra_employees
        ));
    }
    if t.hours_without_contract > 0.0 {
        parts.push(format!(
            "{} uur per week wordt gewerkt door mensen zonder bekend contract (flex of extern).",
            nl::decimal_f64(t.hours_without_contract / weeks.max(1.0), 1)
        ));
    }
    if !t.atw_breaches.is_empty() {
        parts.push(format!(
            "Het rooster overtreedt de Arbeidstijdenwet {} keer; die punten moeten eerst opgelost.",
            t.atw_breaches.len()
        ));
    }
    if t.absorbable_contract_hours > 0.0 {
        parts.push(format!(
            "Met langere diensten bij dezelfde bezetting kan het team naar schatting {} contracturen extra opnemen in deze periode.",
            nl::decimal_f64(t.absorbable_contract_hours, 0)
        ));
    }
    if parts.is_empty() {
        parts.push("Het rooster laat weinig belemmeringen zien voor grotere contracten.".into());
    }
    format!("{shape} {}", parts.join(" "))
}

async fn names_for(
    store: &Store,
    key: Option<&UploadKey>,
    scan: &RosterScan,
    rights: TeamRights,
) -> AppResult<Option<BTreeMap<String, String>>> {
    if !rights.names || !scan.has_names {
        return Ok(None);
    }
    let Some(key) = key else { return Ok(None) };
    let data = store.roster_scan_data(scan.org_id, scan.id).await?;
    Ok(data
        .names_sealed
        .as_deref()
        .and_then(|s| open_names(key, scan.org_id, s)))
}

struct Loaded {
    scan: RosterScan,
    team: Team,
    rights: TeamRights,
    export: Export,
    report: roster::scan::ScanReport,
    labels: BTreeMap<String, String>,
    names_shown: bool,
}

async fn load(
    store: &Store,
    key: Option<&UploadKey>,
    caller: Caller<'_>,
    org_id: i64,
    scan_id: i64,
) -> AppResult<Loaded> {
    caller.require_view_org(org_id)?;
    let scan = store.roster_scan(org_id, scan_id).await?;
    let team = team_of(store, org_id, scan.team_id).await?;
    let rights = rights(caller, &team)?;
    let data = store.roster_scan_data(org_id, scan_id).await?;
    let export: Export = serde_json::from_str(&data.export_json).map_err(AppError::internal)?;
    let report: roster::scan::ScanReport =
        serde_json::from_str(&data.report_json).map_err(AppError::internal)?;
    let names = names_for(store, key, &scan, rights).await?;
    let labels = labels(
        export.shifts.iter().map(|s| s.employee.clone()),
        names.as_ref(),
    );
    Ok(Loaded {
        scan,
        team,
        rights,
        export,
        report,
        labels,
        names_shown: names.is_some(),
    })
}

/// The scan page's data.
pub async fn scan_view(
    store: &Store,
    key: Option<&UploadKey>,
    caller: Caller<'_>,
    org_id: i64,
    scan_id: i64,
) -> AppResult<ScanView> {
    let l = load(store, key, caller, org_id, scan_id).await?;
    let mut report = l
        .report
        .teams
        .first()
        .cloned()
        .ok_or_else(|| AppError::internal("stored scan without a team"))?;
    relabel(&mut report, &l.labels);
    let reading = reading(&report, l.report.weeks);
    Ok(ScanView {
        curve_shape: if report.peak_ratio >= 1.5 {
            "zorgpiek"
        } else {
            "zorggolf"
        },
        peaks: peaks(&report.staffing_curve),
        reading,
        period_start: l.report.period_start,
        period_end: l.report.period_end,
        weeks: l.report.weeks,
        report,
        names_shown: l.names_shown,
        rights: TeamRightsView {
            edit: l.rights.edit,
        },
        scan: l.scan,
        team: l.team,
    })
}

// ---------------------------------------------------------------------------------------
// Designs.

/// What the planner chooses for a design (page form or API body). Employees are named by
/// their label ("Medewerker 3", or the name a planner sees).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct DesignRequest {
    pub seconds: Option<i64>,
    #[serde(default)]
    pub flatten_hours: u32,
    #[serde(default = "yes")]
    pub longer_shifts: bool,
    #[serde(default)]
    pub employees: Vec<EmployeeWish>,
    /// 7 × 96 people per weekday and quarter hour; none: today's coverage (flattened).
    pub demand: Option<Vec<Vec<u32>>>,
    /// Seed of the optimiser (default 1).
    pub seed: Option<u64>,
}

fn yes() -> bool {
    true
}

/// The planner's entries for one employee.
#[derive(Debug, Clone, Deserialize)]
pub struct EmployeeWish {
    pub employee: String,
    pub desired_hours: Option<f64>,
    #[serde(default)]
    pub fixed_days_off: Vec<u8>,
}

/// The design form's data: the default input with labels.
#[derive(Debug, Clone, Serialize)]
pub struct DesignForm {
    pub input: DesignInput,
    /// The label of each employee of `input.employees`, in order.
    pub labels: Vec<String>,
}

/// The default design of a scan (today's coverage, today's hours), for the form.
pub async fn design_form(
    store: &Store,
    key: Option<&UploadKey>,
    caller: Caller<'_>,
    org_id: i64,
    scan_id: i64,
    flatten_hours: u32,
) -> AppResult<DesignForm> {
    let l = load(store, key, caller, org_id, scan_id).await?;
    let input = roster::plan::default_input(&l.export, &l.team.name, flatten_hours.min(4), true)
        .map_err(|e| AppError::invalid("ontwerp", e.to_string()))?;
    let labels = input
        .employees
        .iter()
        .map(|e| l.labels.get(&e.id).cloned().unwrap_or_default())
        .collect();
    Ok(DesignForm { input, labels })
}

/// Starts a design of a scan: validates the request, stores the design and enqueues its
/// job in one transaction. Planners of the team and admins only.
pub async fn start_design(
    store: &Store,
    key: Option<&UploadKey>,
    caller: Caller<'_>,
    org_id: i64,
    scan_id: i64,
    req: &DesignRequest,
) -> AppResult<RosterDesign> {
    let l = load(store, key, caller, org_id, scan_id).await?;
    if !l.rights.edit {
        return Err(AppError::Forbidden);
    }
    let seconds = req.seconds.unwrap_or(DEFAULT_SECONDS);
    if !(1..=MAX_SECONDS).contains(&seconds) {
        return Err(AppError::invalid(
            "seconds",
            format!("De rekentijd moet tussen 1 en {MAX_SECONDS} seconden liggen."),
        ));
    }
    if req.flatten_hours > 4 {
        return Err(AppError::invalid(
            "flatten_hours",
            "Vlakker maken kan met 0 tot 4 uur.",
        ));
    }
    let mut input = roster::plan::default_input(
        &l.export,
        &l.team.name,
        req.flatten_hours,
        req.longer_shifts,
    )
    .map_err(|e| AppError::invalid("ontwerp", e.to_string()))?;
    if let Some(d) = &req.demand {
        if d.len() != 7 || d.iter().any(|r| r.len() != roster::plan::QUARTERS) {
            return Err(AppError::invalid(
                "demand",
                "De zorgvraag moet 7 dagen van 96 kwartieren hebben.",
            ));
        }
        if d.iter().flatten().any(|&v| v > 200) {
            return Err(AppError::invalid(
                "demand",
                "De zorgvraag per kwartier moet tussen 0 en 200 mensen liggen.",
            ));
        }
        input.demand = roster::plan::flatten(
            &roster::plan::Demand {
                quarters: d.clone(),
            },
            req.flatten_hours,
        );
    }
    let by_label: BTreeMap<&str, &str> = l
        .labels
        .iter()
        .map(|(id, label)| (label.as_str(), id.as_str()))
        .collect();
    for w in &req.employees {
        let Some(id) = by_label.get(w.employee.trim()) else {
            return Err(AppError::invalid(
                "employees",
                format!(
                    "Medewerker '{}' staat niet in dit rooster. Gebruik de naam zoals in de scan.",
                    w.employee
                ),
            ));
        };
        let e = input
            .employees
            .iter_mut()
            .find(|e| e.id == *id)
            .ok_or_else(|| AppError::internal("label without employee"))?;
        if let Some(h) = w.desired_hours
            && !(h.is_finite() && (0.0..=60.0).contains(&h))
        {
            return Err(AppError::invalid(
                "employees",
                format!(
                    "{}: gewenste uren per week moeten tussen 0 en 60 liggen.",
                    w.employee
                ),
            ));
        }
        if w.fixed_days_off.iter().any(|&d| d > 6) {
            return Err(AppError::invalid(
                "employees",
                format!(
                    "{}: vaste vrije dagen zijn 0 (maandag) tot en met 6 (zondag).",
                    w.employee
                ),
            ));
        }
        e.desired_hours = w.desired_hours;
        e.fixed_days_off = w.fixed_days_off.clone();
    }
    roster::plan::problem(&input).map_err(|e| AppError::invalid("ontwerp", e.to_string()))?;
    let stored = StoredInput {
        input,
        seed: req.seed.unwrap_or(1),
    };
    let json = serde_json::to_string(&stored).map_err(AppError::internal)?;
    let design = store
        .add_roster_design(
            org_id,
            scan_id,
            &json,
            seconds,
            caller.user_id(),
            DESIGN_JOB,
            2,
        )
        .await?;
    store
        .audit(
            &caller.actor(),
            Some(org_id),
            "roster.design",
            &l.team.name,
            &format!(
                "ontwerp {} gestart ({} s, vlakker {} uur)",
                design.id, seconds, req.flatten_hours
            ),
        )
        .await?;
    Ok(design)
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct StoredInput {
    input: DesignInput,
    seed: u64,
}

/// Designs a scan right away, without the queue, with a time limit in seconds, and keeps
/// the result: for the demo and for tests.
pub async fn design_now(
    store: &Store,
    org_id: i64,
    scan_id: i64,
    flatten_hours: u32,
    seconds: f64,
) -> AppResult<RosterDesign> {
    let scan = store.roster_scan(org_id, scan_id).await?;
    let team = team_of(store, org_id, scan.team_id).await?;
    let data = store.roster_scan_data(org_id, scan_id).await?;
    let export: Export = serde_json::from_str(&data.export_json).map_err(AppError::internal)?;
    let input = roster::plan::default_input(&export, &team.name, flatten_hours, true)
        .map_err(|e| AppError::invalid("ontwerp", e.to_string()))?;
    let stored = StoredInput {
        input: input.clone(),
        seed: 1,
    };
    let opts = roster::solve::SolveOptions {
        seconds,
        threads: 1,
        seed: 1,
        ..roster::solve::SolveOptions::default()
    };
    let result = tokio::task::spawn_blocking(move || roster::plan::run(&input, &export, &opts))
        .await
        .map_err(AppError::internal)?
        .map_err(|e| AppError::invalid("ontwerp", e.to_string()))?;
    let json = serde_json::to_string(&stored).map_err(AppError::internal)?;
    let result_json = serde_json::to_string(&result).map_err(AppError::internal)?;
    Ok(store
        .add_finished_roster_design(
            org_id,
            scan_id,
            &json,
            seconds.ceil() as i64,
            None,
            result
                .objective
                .map(|o| i64::try_from(o).unwrap_or(i64::MAX)),
            &result_json,
        )
        .await?)
}

/// A designed roster as an XLSX workbook with the CSV's columns
/// (`roster::plan::HEADERS`; dates and times as text in the CSV's notation, the break in
/// minutes as a number), one row per shift: what `roster scan` reads back.
pub fn proposal_xlsx(rows: &[roster::scan::ShiftRow]) -> AppResult<Vec<u8>> {
    use rust_xlsxwriter::{Format, Workbook};
    let err = |e: rust_xlsxwriter::XlsxError| AppError::internal(format!("xlsx: {e}"));
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let ws = wb.add_worksheet();
    ws.set_name("voorstel").map_err(err)?;
    for (c, h) in roster::plan::HEADERS.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &bold)
            .map_err(err)?;
    }
    for (i, r) in rows.iter().enumerate() {
        let n = u32::try_from(i + 1).map_err(AppError::internal)?;
        ws.write_string(n, 0, &r.employee).map_err(err)?;
        ws.write_string(n, 1, &r.team).map_err(err)?;
        ws.write_string(n, 2, r.date.format("%d-%m-%Y").to_string())
            .map_err(err)?;
        ws.write_string(n, 3, r.start.format("%H:%M").to_string())
            .map_err(err)?;
        ws.write_string(n, 4, r.end.format("%H:%M").to_string())
            .map_err(err)?;
        ws.write_number(n, 5, f64::from(r.break_minutes))
            .map_err(err)?;
        ws.write_string(n, 6, &r.code).map_err(err)?;
    }
    ws.set_freeze_panes(1, 0).map_err(err)?;
    wb.save_to_buffer().map_err(err)
}

/// A design's state and, when finished, its result (employees relabelled).
#[derive(Debug, Clone, Serialize)]
pub struct DesignStatus {
    pub id: i64,
    pub scan_id: i64,
    pub team: String,
    /// queued | running | done | failed | cancelled (| unknown when its job was purged
    /// before it finished).
    pub status: String,
    pub seconds: i64,
    pub best_objective: Option<i64>,
    pub seconds_left: Option<i64>,
    pub error: Option<String>,
    pub flatten_hours: u32,
    pub created_at: i64,
    pub result: Option<DesignResult>,
    #[serde(skip)]
    pub can_edit: bool,
}

/// The designs of a scan, newest first (without results).
pub async fn designs(
    store: &Store,
    caller: Caller<'_>,
    org_id: i64,
    scan_id: i64,
) -> AppResult<Vec<DesignStatus>> {
    let scan = store.roster_scan(org_id, scan_id).await?;
    let team = team_of(store, org_id, scan.team_id).await?;
    let r = rights(caller, &team)?;
    let mut out = Vec::new();
    for d in store.roster_designs(org_id, scan_id).await? {
        out.push(status_of(store, &team, d, None, r, false).await?);
    }
    Ok(out)
}

async fn status_of(
    store: &Store,
    team: &Team,
    d: RosterDesign,
    labels: Option<&BTreeMap<String, String>>,
    r: TeamRights,
    with_result: bool,
) -> AppResult<DesignStatus> {
    let job = match d.job_id {
        Some(j) => store.job(j).await.ok(),
        None => None,
    };
    let status = match (&job, &d.result_json) {
        (Some(j), _) => j.status.clone(),
        (None, Some(_)) => "done".into(),
        (None, None) => "unknown".into(),
    };
    let stored: Option<StoredInput> = serde_json::from_str(&d.input_json).ok();
    let result = if with_result {
        d.result_json
            .as_deref()
            .and_then(|j| serde_json::from_str::<DesignResult>(j).ok())
            .map(|mut res| {
                if let Some(labels) = labels {
                    relabel_result(&mut res, labels);
                }
                res
            })
    } else {
        None
    };
    Ok(DesignStatus {
        id: d.id,
        scan_id: d.scan_id,
        team: team.name.clone(),
        status,
        seconds: d.seconds,
        best_objective: d.best_objective,
        seconds_left: d.seconds_left,
        error: job.and_then(|j| j.error),
        flatten_hours: stored.map_or(0, |s| s.input.flatten_hours),
        created_at: d.created_at,
        result,
        can_edit: r.edit,
    })
}

fn relabel_result(res: &mut DesignResult, labels: &BTreeMap<String, String>) {
    let l = |id: &str| {
        labels
            .get(id)
            .cloned()
            .unwrap_or_else(|| "Medewerker ?".into())
    };
    for e in &mut res.employees {
        e.employee = l(&e.employee);
    }
    for line in &mut res.roster {
        line.employee = l(&line.employee);
    }
    for r in &mut res.rows {
        r.employee = l(&r.employee);
    }
    res.employees.sort_by_key(|a| natural(&a.employee));
    res.roster.sort_by_key(|a| natural(&a.employee));
}

/// One design with its progress or result, as the caller may see it.
pub async fn design_status(
    store: &Store,
    key: Option<&UploadKey>,
    caller: Caller<'_>,
    org_id: i64,
    design_id: i64,
) -> AppResult<DesignStatus> {
    caller.require_view_org(org_id)?;
    let d = store.roster_design(org_id, design_id).await?;
    let l = load(store, key, caller, org_id, d.scan_id).await?;
    status_of(store, &l.team, d, Some(&l.labels), l.rights, true).await
}

/// Asks to cancel a design: a queued job stops at once, a running one at its worker's
/// next heartbeat (the best roster so far is kept).
pub async fn cancel_design(
    store: &Store,
    caller: Caller<'_>,
    org_id: i64,
    design_id: i64,
) -> AppResult<String> {
    caller.require_view_org(org_id)?;
    let d = store.roster_design(org_id, design_id).await?;
    let team = team_of(store, org_id, d.team_id).await?;
    if !rights(caller, &team)?.edit {
        return Err(AppError::Forbidden);
    }
    let Some(job) = d.job_id else {
        return Err(AppError::BadRequest(
            "Dit ontwerp is al klaar; er valt niets te stoppen.".into(),
        ));
    };
    let status = store.cancel_job(job, store::now()).await?;
    store
        .audit(
            &caller.actor(),
            Some(org_id),
            "roster.design.cancel",
            &team.name,
            &format!("ontwerp {design_id}: {status}"),
        )
        .await?;
    Ok(status)
}

// ---------------------------------------------------------------------------------------
// The job.

/// Solves a roster design on the worker: the optimiser runs on a blocking thread with the
/// design's time limit; its best objective and the time left go to the design's row every
/// second (any instance's page shows them); the job's cancel flag stops it, and the best
/// roster so far is kept.
pub struct DesignJob;

#[derive(Default)]
struct Best {
    objective: Option<i64>,
}

struct Recorder(Arc<Mutex<Best>>);

impl roster::solve::Observer for Recorder {
    fn progress(&self, event: &roster::solve::Progress) {
        use roster::solve::Progress;
        let found = match event {
            Progress::CycleEnd { best, .. } | Progress::Colgen { best, .. } => *best,
            Progress::FixPart { to, .. } => *to,
            _ => None,
        };
        if let Some(v) = found {
            let mut b = self.0.lock().unwrap_or_else(|e| e.into_inner());
            b.objective = Some(b.objective.map_or(v, |o| o.min(v)));
        }
    }
}

/// Runs one design (also used by tests and the demo without a worker).
pub async fn run_design(
    store: &Store,
    design_id: i64,
    cancel: Arc<AtomicBool>,
    report: impl Fn(f64, String) + Send + Sync,
) -> Result<DesignResult, JobError> {
    let d = store
        .roster_design_for_job(design_id)
        .await
        .map_err(|e| JobError::Fatal(format!("ontwerp niet gevonden ({e})")))?;
    let stored: StoredInput = serde_json::from_str(&d.input_json)
        .map_err(|e| JobError::Fatal(format!("de invoer van het ontwerp is ongeldig ({e})")))?;
    let data = store
        .roster_scan_data(d.org_id, d.scan_id)
        .await
        .map_err(|e| JobError::Retry(e.to_string()))?;
    let export: Export = serde_json::from_str(&data.export_json)
        .map_err(|e| JobError::Fatal(format!("het opgeslagen rooster is ongeldig ({e})")))?;
    let best = Arc::new(Mutex::new(Best::default()));
    let seconds = d.seconds.clamp(1, MAX_SECONDS);
    let opts = roster::solve::SolveOptions {
        seconds: seconds as f64,
        seed: stored.seed,
        threads: 2,
        observer: Some(Arc::new(Recorder(best.clone()))),
        cancel: Some(cancel.clone()),
        ..roster::solve::SolveOptions::default()
    };
    let input = stored.input.clone();
    let mut task = tokio::task::spawn_blocking(move || roster::plan::run(&input, &export, &opts));
    let started = tokio::time::Instant::now();
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    let outcome = loop {
        tokio::select! {
            joined = &mut task => break joined,
            _ = tick.tick() => {
                let elapsed = started.elapsed().as_secs() as i64;
                let left = (seconds - elapsed).max(0);
                let b = best.lock().unwrap_or_else(|e| e.into_inner()).objective;
                if let Err(e) = store.set_roster_design_progress(d.id, b, left).await {
                    tracing::warn!(design = d.id, error = %e, "design progress not written");
                }
                let note = match b {
                    Some(v) => format!("beste score {v}, nog {left} s"),
                    None => format!("zoekt een eerste rooster, nog {left} s"),
                };
                report((elapsed as f64 / seconds as f64).min(1.0), note);
            }
        }
    };
    let result = match outcome {
        Ok(Ok(r)) => r,
        Ok(Err(e)) => return Err(JobError::Fatal(e.to_string())),
        Err(e) => return Err(JobError::Retry(format!("de berekening stopte ({e})"))),
    };
    let json = serde_json::to_string(&result).map_err(|e| JobError::Fatal(e.to_string()))?;
    let objective = result
        .objective
        .map(|o| i64::try_from(o).unwrap_or(i64::MAX));
    store
        .set_roster_design_result(d.id, objective, &json)
        .await
        .map_err(|e| JobError::Retry(e.to_string()))?;
    if cancel.load(Ordering::Relaxed) {
        return Err(JobError::Cancelled);
    }
    Ok(result)
}

impl JobHandler for DesignJob {
    fn kind(&self) -> &'static str {
        DESIGN_JOB
    }

    fn run(&self, ctx: JobContext, input: serde_json::Value) -> JobFuture {
        Box::pin(async move {
            let id = input
                .get("design_id")
                .and_then(serde_json::Value::as_i64)
                .ok_or_else(|| JobError::Fatal("de taak noemt geen ontwerp".into()))?;
            let flag = ctx.cancel_flag();
            let reporter = ctx.clone();
            let result = run_design(&ctx.store, id, flag, move |f, note| {
                reporter.report(f, note)
            })
            .await?;
            Ok(serde_json::json!({
                "design_id": id,
                "found": result.found,
                "objective": result.objective,
            }))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The XLSX proposal reads back through the scan's reader as the same shifts as the
    /// CSV (a night shift past midnight included).
    #[test]
    fn the_xlsx_proposal_reads_back_as_the_csv() {
        let csv = "personeelsnummer;team;datum;begintijd;eindtijd;pauze;dienstcode\n\
                   a;Zon;02-03-2026;07:00;15:30;30;V\n\
                   b;Zon;02-03-2026;23:00;07:00;30;N\n\
                   a;Zon;03-03-2026;17:00;21:00;0;LK\n";
        let from_csv =
            roster::scan::read_export(csv.as_bytes(), roster::scan::FileKind::Csv, b"k").unwrap();
        let bytes = proposal_xlsx(&from_csv.shifts).unwrap();
        let back = roster::scan::read_export(&bytes, roster::scan::FileKind::Xlsx, b"k").unwrap();
        // The pseudonyms were pseudonymised again on read; everything else is the same.
        assert_eq!(back.shifts.len(), 3);
        for (a, b) in from_csv.shifts.iter().zip(&back.shifts) {
            assert_eq!(
                (a.date, a.start, a.end, a.break_minutes, &a.code, &a.team),
                (b.date, b.start, b.end, b.break_minutes, &b.code, &b.team)
            );
        }
        assert_eq!(
            roster::plan::write_csv(&from_csv.shifts).lines().next(),
            Some(roster::plan::HEADERS.join(";").as_str())
        );
    }

    #[test]
    fn labels_number_pseudonyms_and_use_names_only_when_given() {
        let ids = ["b", "a", "c", "a"].into_iter().map(String::from);
        let l = labels(ids, None);
        assert_eq!(l["a"], "Medewerker 1");
        assert_eq!(l["c"], "Medewerker 3");
        let names = BTreeMap::from([("b".to_string(), "Bea".to_string())]);
        let l = labels(["a", "b"].into_iter().map(String::from), Some(&names));
        assert_eq!((l["a"].as_str(), l["b"].as_str()), ("Medewerker 1", "Bea"));
        assert!(natural("Medewerker 2") < natural("Medewerker 10"));
    }

    #[test]
    fn names_open_only_with_the_key_and_organisation_they_were_sealed_for() {
        let key = UploadKey::random();
        let names = BTreeMap::from([("p1".to_string(), "Jan".to_string())]);
        let sealed = seal_names(&key, 4, &names).unwrap();
        assert!(!sealed.contains("Jan"));
        assert_eq!(open_names(&key, 4, &sealed), Some(names));
        assert_eq!(open_names(&key, 5, &sealed), None);
        assert_eq!(open_names(&UploadKey::random(), 4, &sealed), None);
    }

    #[test]
    fn peaks_and_reading() {
        let mut curve = vec![vec![1.0; 24]; 7];
        curve[0][8] = 5.0;
        curve[2][8] = 4.6;
        assert_eq!(peaks(&curve), vec![(0, 8), (2, 8)]);
        let t = TeamReport {
            team: "Zon".into(),
            employees: 5,
            shifts: 100,
            scheduled_hours: 500.0,
            contract_hours: 480.0,
            hours_without_contract: 40.0,
            extra_hours: 20.0,
            structural_extra_employees: 2,
            opkomstmomenten: 110,
            opkomstmomenten_per_week: 27.5,
            opkomstmomenten_per_week_per_fte: Some(6.0),
            short_shifts: 40,
            short_shift_share: 0.4,
            split_shifts: 10,
            length_distribution: [10, 30, 40, 20, 0],
            mix: Default::default(),
            max_consecutive_days: 6,
            atw_breaches: Vec::new(),
            staffing_curve: curve,
            peak_ratio: 2.1,
            absorbable_contract_hours: 80.0,
            per_employee: Vec::new(),
        };
        let r = reading(&t, 4.0);
        assert!(r.contains("zorgpiek"), "{r}");
        assert!(r.contains("40 van de 100 diensten"), "{r}");
        assert!(r.contains("2 medewerker(s)"), "{r}");
        assert!(r.contains("10 uur per week"), "{r}");
    }
}
