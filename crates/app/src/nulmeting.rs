//! HR baseline (nulmeting) services shared by the pages, the API and the command line:
//! read an uploaded file, apply (and remember) the column mapping, import a snapshot or
//! PNIL months in one transaction, and compute the contract picture, hours gap, PNIL
//! summary and snapshot comparison for what a user may see. The figures come from the
//! `hr` crate; this module only chooses the data and checks access.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use hr::pnil::{PnilEntry, PnilMapping, PnilSummary};
use hr::{
    ContractPicture, Employee, GapScenario, HoursGap, HrImport, HrMapping, ImportOptions,
    PictureOptions, Pseudonymiser, SectorBenchmarks, SnapshotComparison,
};
pub use import::Diagnostic;
use import::Table;
use rust_decimal::Decimal;
use serde::Serialize;
use store::{Actor, HrSnapshot, MappingKind, Organisation, Role, Store, User};

use crate::{AppError, access};

/// Why an import wrote nothing.
#[derive(Debug)]
pub enum ImportError {
    /// The file has problems; every one named by row and field in Dutch.
    Refused(Vec<Diagnostic>),
    App(AppError),
}

impl From<AppError> for ImportError {
    fn from(e: AppError) -> Self {
        ImportError::App(e)
    }
}

impl From<store::StoreError> for ImportError {
    fn from(e: store::StoreError) -> Self {
        ImportError::App(e.into())
    }
}

/// The organisation's full-time hours as an exact decimal.
pub fn full_time_hours(org: &Organisation) -> Decimal {
    Decimal::try_from(org.fulltime_hours)
        .map(|d| d.round_dp(2))
        .unwrap_or(Decimal::from(36))
}

pub fn min_group_size(org: &Organisation) -> usize {
    use crate::policy::OrganisationPolicy;
    org.policy().k()
}

/// Reads CSV or XLSX bytes within the import's limits; a file that cannot be read gives
/// one Dutch diagnostic. Parsing is CPU work: on a multi-threaded runtime it runs with the
/// worker handed off ([`off_runtime`]), so other requests go on meanwhile.
pub fn read_file(bytes: &[u8]) -> Result<Table, ImportError> {
    off_runtime(|| import::read_table(bytes))
        .map_err(|e| ImportError::Refused(vec![e.to_diagnostic()]))
}

pub use store::off_runtime;

/// The organisation's pseudonymisation key.
pub async fn pseudonymiser(store: &Store, org_id: i64) -> Result<Pseudonymiser, AppError> {
    let key = store.organisation_pseudonym_key(org_id).await?;
    let bytes = hex::decode(key.trim()).unwrap_or_else(|_| key.into_bytes());
    Pseudonymiser::new(&bytes).map_err(|e| AppError::internal(format!("{e}")))
}

/// The remembered HR mapping, if every remembered column is in this table; else the
/// proposal from the headers and the data.
pub async fn hr_mapping_for(
    store: &Store,
    org_id: i64,
    table: &Table,
) -> Result<(HrMapping, bool), AppError> {
    if let Some(json) = store.hr_mapping(org_id, MappingKind::Hr).await?
        && let Ok(m) = serde_json::from_str::<HrMapping>(&json)
        && !m.columns.is_empty()
        && m.missing_in(table).is_empty()
    {
        return Ok((m, true));
    }
    Ok((off_runtime(|| hr::propose_mapping(table)).mapping, false))
}

pub async fn pnil_mapping_for(
    store: &Store,
    org_id: i64,
    table: &Table,
) -> Result<(PnilMapping, bool), AppError> {
    if let Some(json) = store.hr_mapping(org_id, MappingKind::Pnil).await?
        && let Ok(m) = serde_json::from_str::<PnilMapping>(&json)
        && !m.columns.is_empty()
        && m.resolve(table).len() == m.columns.len()
    {
        return Ok((m, true));
    }
    Ok((
        off_runtime(|| hr::propose_pnil_mapping(table)).mapping,
        false,
    ))
}

/// What an HR import wrote.
#[derive(Debug)]
pub struct HrImported {
    pub snapshot: HrSnapshot,
    pub import: HrImport,
}

/// Imports an HR extract as the snapshot on `peildatum`: nothing is written while the
/// file has errors, unless `valid_rows_only` (then the refused rows are listed in
/// `import.skipped_rows`). Problems with the file itself always refuse. The mapping is
/// remembered for the next upload. The caller checks access (`access::require_admin_org`).
#[allow(clippy::too_many_arguments)]
pub async fn import_hr(
    store: &Store,
    by: &Actor,
    org: &Organisation,
    peildatum: NaiveDate,
    file_name: &str,
    table: &Table,
    mapping: &HrMapping,
    valid_rows_only: bool,
) -> Result<HrImported, ImportError> {
    let result = check_hr(store, org, peildatum, table, mapping, valid_rows_only).await?;
    write_hr(store, by, org, peildatum, file_name, mapping, result).await
}

/// As [`import_hr`], and first creates the teams of the file that the organisation does
/// not have yet ([`unknown_teams`]) — only once the file has passed its checks, so a
/// refused file creates no team. For an organisation admin (checked here).
#[allow(clippy::too_many_arguments)]
pub async fn import_hr_creating_teams(
    store: &Store,
    by: &User,
    org: &Organisation,
    peildatum: NaiveDate,
    file_name: &str,
    table: &Table,
    mapping: &HrMapping,
    valid_rows_only: bool,
) -> Result<(HrImported, Vec<String>), ImportError> {
    access::require_admin_org(by, org.id)?;
    let result = check_hr(store, org, peildatum, table, mapping, valid_rows_only).await?;
    let new = unknown_teams(store, org.id, table, mapping).await?;
    for name in &new {
        crate::orgs::create_team(store, by.into(), org.id, name, None).await?;
    }
    let done = write_hr(
        store,
        &crate::audit::actor(by),
        org,
        peildatum,
        file_name,
        mapping,
        result,
    )
    .await?;
    Ok((done, new))
}

/// The team names in the file's team column (as mapped) that the organisation has no
/// team of, archived teams included, compared without regard to case and surrounding
/// spaces; in the file's order, each once.
pub async fn unknown_teams(
    store: &Store,
    org_id: i64,
    table: &Table,
    mapping: &HrMapping,
) -> Result<Vec<String>, AppError> {
    let Some(col) = mapping
        .columns
        .get(&hr::HrField::Team)
        .and_then(|h| table.headers.iter().position(|x| x == h))
    else {
        return Ok(Vec::new());
    };
    let mut seen: BTreeSet<String> = store
        .all_teams(org_id)
        .await?
        .iter()
        .map(|t| t.name.trim().to_lowercase())
        .collect();
    let mut out = Vec::new();
    for row in &table.rows {
        let name = row.get(col).display().trim().to_string();
        if !name.is_empty() && seen.insert(name.to_lowercase()) {
            out.push(name);
        }
    }
    Ok(out)
}

/// The checks of an HR import, without writing: the employees, or the refusal.
async fn check_hr(
    store: &Store,
    org: &Organisation,
    peildatum: NaiveDate,
    table: &Table,
    mapping: &HrMapping,
    valid_rows_only: bool,
) -> Result<HrImport, ImportError> {
    let mut opts = ImportOptions::new(peildatum);
    opts.full_time_hours = full_time_hours(org);
    let key = pseudonymiser(store, org.id).await?;
    let result = off_runtime(|| hr::import_extract(table, mapping, &opts, &key));
    let file_level = result.errors().any(|d| d.row.is_none());
    if result.has_errors() && (!valid_rows_only || file_level) {
        return Err(ImportError::Refused(result.errors().cloned().collect()));
    }
    if result.employees.is_empty() {
        return Err(ImportError::Refused(vec![Diagnostic::file(
            "het bestand bevat geen medewerkers die op de peildatum in dienst zijn",
        )]));
    }
    Ok(result)
}

/// Writes a checked HR import as the snapshot on `peildatum`, remembers the mapping and
/// records the audit entry.
async fn write_hr(
    store: &Store,
    by: &Actor,
    org: &Organisation,
    peildatum: NaiveDate,
    file_name: &str,
    mapping: &HrMapping,
    result: HrImport,
) -> Result<HrImported, ImportError> {
    let snapshot = store
        .insert_hr_snapshot(
            org.id,
            &store::NewHrSnapshot {
                peildatum,
                file_name,
                rows_read: result.rows_read,
                skipped: result.skipped_rows.len(),
                employees: &result.employees,
            },
        )
        .await?;
    if let Ok(json) = serde_json::to_string(mapping) {
        store.set_hr_mapping(org.id, MappingKind::Hr, &json).await?;
    }
    store
        .audit(
            by,
            Some(org.id),
            "hr.import",
            &snapshot.peildatum,
            &format!(
                "{}: {} medewerkers, {} rijen overgeslagen",
                file_name,
                snapshot.employees,
                result.skipped_rows.len()
            ),
        )
        .await?;
    Ok(HrImported {
        snapshot,
        import: result,
    })
}

/// What a PNIL import wrote.
#[derive(Debug, Serialize)]
pub struct PnilImported {
    pub entries: usize,
    pub months: usize,
    pub rows_read: usize,
    pub skipped_rows: Vec<u32>,
}

/// Imports PNIL costs; months in the file replace the stored ones for those months. The
/// caller checks access.
pub async fn import_pnil(
    store: &Store,
    by: &Actor,
    org: &Organisation,
    file_name: &str,
    table: &Table,
    mapping: &PnilMapping,
    valid_rows_only: bool,
) -> Result<PnilImported, ImportError> {
    let result = off_runtime(|| hr::import_pnil(table, mapping));
    let errors: Vec<Diagnostic> = result
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .cloned()
        .collect();
    let file_level = errors.iter().any(|d| d.row.is_none());
    if !errors.is_empty() && (!valid_rows_only || file_level) {
        return Err(ImportError::Refused(errors));
    }
    if result.entries.is_empty() {
        return Err(ImportError::Refused(vec![Diagnostic::file(
            "het bestand bevat geen kosten",
        )]));
    }
    store.replace_pnil_months(org.id, &result.entries).await?;
    if let Ok(json) = serde_json::to_string(mapping) {
        store
            .set_hr_mapping(org.id, MappingKind::Pnil, &json)
            .await?;
    }
    let months: BTreeSet<_> = result.entries.iter().map(|e| e.month).collect();
    store
        .audit(
            by,
            Some(org.id),
            "hr.pnil_import",
            file_name,
            &format!("{} regels, {} maanden", result.entries.len(), months.len()),
        )
        .await?;
    Ok(PnilImported {
        entries: result.entries.len(),
        months: months.len(),
        rows_read: result.rows_read,
        skipped_rows: result.skipped_rows,
    })
}

/// The sector benchmarks: the programme's edited file, or the shipped one.
pub async fn benchmarks(store: &Store) -> Result<SectorBenchmarks, AppError> {
    if let Some(o) = store.hr_benchmark_override().await?
        && let Ok(b) = SectorBenchmarks::from_toml(&o.toml)
    {
        return Ok(b);
    }
    SectorBenchmarks::embedded().map_err(|e| AppError::internal(format!("{e}")))
}

/// Which employees a user may see figures of: everyone (organisation admin, programme
/// admin) or the employees of the manager's own teams (matched by team name). Planners see
/// no HR figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    Organisation,
    Teams(Vec<String>),
}

impl Scope {
    pub fn includes(&self, team: Option<&str>) -> bool {
        match self {
            Scope::Organisation => true,
            Scope::Teams(names) => team.is_some_and(|t| {
                let t = t.trim().to_lowercase();
                names.iter().any(|n| n.trim().to_lowercase() == t)
            }),
        }
    }

    pub fn is_teams(&self) -> bool {
        matches!(self, Scope::Teams(_))
    }
}

/// The scope of `user` in organisation `org_id`: not found for another organisation,
/// forbidden for planners.
pub async fn scope(store: &Store, user: &User, org_id: i64) -> Result<Scope, AppError> {
    access::require_view_org(user, org_id)?;
    match user.role {
        Role::ProgrammeAdmin | Role::OrgAdmin => Ok(Scope::Organisation),
        Role::Manager => {
            let mut names = Vec::new();
            for id in &user.team_ids {
                if let Ok(t) = store.team(*id).await
                    && t.org_id == org_id
                {
                    names.push(t.name);
                }
            }
            Ok(Scope::Teams(names))
        }
        Role::Planner | Role::RegioLezer => Err(AppError::Forbidden),
    }
}

/// Employees of a snapshot within the scope.
pub async fn employees(
    store: &Store,
    snapshot: &HrSnapshot,
    scope: &Scope,
) -> Result<Vec<Employee>, AppError> {
    Ok(store
        .hr_employees(snapshot.id)
        .await?
        .into_iter()
        .filter(|e| scope.includes(e.team.as_deref()))
        .collect())
}

/// The snapshot on `date` (ISO), or the latest one when `date` is empty.
pub async fn snapshot(
    store: &Store,
    org_id: i64,
    date: Option<&str>,
) -> Result<Option<HrSnapshot>, AppError> {
    match date.map(str::trim).filter(|d| !d.is_empty()) {
        Some(d) => {
            let d = parse_date(d, "date")?;
            Ok(Some(
                store
                    .hr_snapshot_on(org_id, &d.format("%Y-%m-%d").to_string())
                    .await?,
            ))
        }
        None => Ok(store.hr_snapshots(org_id).await?.pop()),
    }
}

/// A date as `2024-03-01` or `01-03-2024`.
pub fn parse_date(s: &str, field: &'static str) -> Result<NaiveDate, AppError> {
    let s = s.trim();
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(s, "%d-%m-%Y"))
        .map_err(|_| AppError::Invalid {
            field,
            message: format!("'{s}' is geen datum; schrijf bijvoorbeeld 01-03-2024."),
        })
}

fn picture_options(org: &Organisation) -> PictureOptions {
    PictureOptions {
        full_time_hours: full_time_hours(org),
        min_group_size: min_group_size(org),
    }
}

/// The contract picture of what the user may see, with suppression at the organisation's
/// minimum group size.
pub fn picture(org: &Organisation, emps: &[Employee]) -> ContractPicture {
    let opts = picture_options(org);
    // Tens of milliseconds at 100,000 employees: off the async runtime.
    off_runtime(|| hr::contract_picture(emps, &opts))
}

/// The organisation-wide figures of what the user may see, without the breakdowns (the
/// overview page): the picture's `total`, at a sixth of the work.
pub fn picture_total(org: &Organisation, emps: &[Employee]) -> Option<hr::Figures> {
    let opts = picture_options(org);
    off_runtime(|| hr::contract_total(emps, &opts))
}

/// The sector comparison, only when the total is shown.
pub fn sector(
    total: Option<&hr::Figures>,
    bench: &SectorBenchmarks,
) -> Option<hr::SectorComparison> {
    let total = total?;
    let own = Decimal::try_from(total.average_hours).ok()?;
    hr::compare_with_sector(own, bench)
}

pub fn gap(org: &Organisation, emps: &[Employee], scenario: &GapScenario) -> HoursGap {
    off_runtime(|| hr::hours_gap(emps, scenario, full_time_hours(org), min_group_size(org)))
}

/// A comparison of two snapshots within the scope, totals only (no per-employee list);
/// `None` when either side of the scope is smaller than the minimum group size.
pub fn compare(
    org: &Organisation,
    from: &[Employee],
    to: &[Employee],
    per_employee: bool,
) -> Option<SnapshotComparison> {
    let k = min_group_size(org);
    if from.len() < k || to.len() < k {
        return None;
    }
    let ft = full_time_hours(org);
    Some(off_runtime(|| {
        if per_employee {
            hr::compare_snapshots(from, to, ft)
        } else {
            hr::compare_snapshot_totals(from, to, ft)
        }
    }))
}

/// PNIL entries within the scope (a manager sees the entries booked on their teams).
pub async fn pnil_entries(
    store: &Store,
    org_id: i64,
    scope: &Scope,
) -> Result<Vec<PnilEntry>, AppError> {
    Ok(store
        .pnil_entries(org_id)
        .await?
        .into_iter()
        .filter(|e| !scope.is_teams() || scope.includes(e.team.as_deref()))
        .collect())
}

pub async fn pnil(
    store: &Store,
    org: &Organisation,
    entries: &[PnilEntry],
) -> Result<PnilSummary, AppError> {
    let wage = store.hr_wage_cost(org.id).await?;
    Ok(hr::pnil_summary(
        entries,
        &hr::PnilOptions {
            full_time_hours: full_time_hours(org),
            wage_cost_per_fte_year_cents: wage,
        },
    ))
}

fn gap_hours(s: Option<&str>, default: i64, field: &'static str) -> Result<Decimal, AppError> {
    match s.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(Decimal::from(default)),
        Some(v) => v
            .replace(',', ".")
            .parse::<Decimal>()
            .ok()
            .filter(|d| *d >= Decimal::ZERO && *d <= Decimal::from(60))
            .ok_or_else(|| AppError::Invalid {
                field,
                message: format!("'{v}' is geen aantal uren tussen 0 en 60."),
            }),
    }
}

/// An hours-gap scenario from typed values (Dutch decimal comma accepted); defaults:
/// contracts under 24 hours grow by 4 hours.
pub fn gap_scenario(
    below: Option<&str>,
    grow_to: bool,
    hours: Option<&str>,
    include_zero_hours: bool,
) -> Result<GapScenario, AppError> {
    let below_hours = gap_hours(below, 24, "below")?;
    let hours = gap_hours(hours, 4, "hours")?;
    Ok(GapScenario {
        below_hours,
        growth: if grow_to {
            hr::Growth::To(hours)
        } else {
            hr::Growth::By(hours)
        },
        include_zero_hours,
    })
}

// ----- HR write actions (one call each for page, API and command line) ----------------

/// Sets (or with `None` clears) the organisation's average yearly wage cost per FTE in
/// cents, used to value PNIL hours.
pub async fn set_wage_cost(
    store: &Store,
    by: &User,
    org_id: i64,
    cents: Option<i64>,
) -> Result<(), AppError> {
    access::require_admin_org(by, org_id)?;
    if cents.is_some_and(|c| c < 0) {
        return Err(AppError::invalid(
            "loonkosten",
            "Loonkosten: vul een bedrag van 0 of meer in.",
        ));
    }
    store.set_hr_wage_cost(org_id, cents).await?;
    store
        .audit(
            &crate::audit::actor(by),
            Some(org_id),
            "hr.wage_cost",
            &cents.map(hr::pnil::format_euro).unwrap_or_default(),
            "",
        )
        .await?;
    Ok(())
}

/// Adds one month of PNIL cost typed in by hand.
pub async fn add_pnil_entry(
    store: &Store,
    by: &User,
    org_id: i64,
    entry: &PnilEntry,
) -> Result<(), AppError> {
    access::require_admin_org(by, org_id)?;
    if entry.amount_cents < 0 {
        return Err(AppError::invalid(
            "bedrag",
            "Bedrag: vul een bedrag van 0 of meer in.",
        ));
    }
    store.add_pnil_entry(org_id, entry).await?;
    store
        .audit(
            &crate::audit::actor(by),
            Some(org_id),
            "hr.pnil_add",
            &entry.month.to_string(),
            &hr::pnil::format_euro(entry.amount_cents),
        )
        .await?;
    Ok(())
}

/// Deletes every PNIL line of one month; returns how many lines went.
pub async fn delete_pnil_month(
    store: &Store,
    by: &User,
    org_id: i64,
    month: hr::pnil::YearMonth,
) -> Result<u64, AppError> {
    access::require_admin_org(by, org_id)?;
    let n = store.delete_pnil_month(org_id, month).await?;
    store
        .audit(
            &crate::audit::actor(by),
            Some(org_id),
            "hr.pnil_delete",
            &month.to_string(),
            &format!("{n} regels"),
        )
        .await?;
    Ok(n)
}

/// Deletes one HR snapshot with its employees; returns what was deleted.
pub async fn delete_snapshot(
    store: &Store,
    by: &User,
    org_id: i64,
    snapshot_id: i64,
) -> Result<HrSnapshot, AppError> {
    access::require_admin_org(by, org_id)?;
    let snap = store.hr_snapshot(org_id, snapshot_id).await?;
    store.delete_hr_snapshot(org_id, snapshot_id).await?;
    store
        .audit(
            &crate::audit::actor(by),
            Some(org_id),
            "hr.snapshot_delete",
            &snap.peildatum,
            &snap.file_name,
        )
        .await?;
    Ok(snap)
}

/// Replaces the sector benchmark figures with `toml` (checked first), or with `None`
/// returns to the figures shipped with the program. Programme admin only.
pub async fn set_benchmarks(store: &Store, by: &User, toml: Option<&str>) -> Result<(), AppError> {
    access::require_programme_admin(by)?;
    let actor = crate::audit::actor(by);
    let action = match toml {
        None => "hr.benchmarks_reset",
        Some(text) => {
            SectorBenchmarks::from_toml(text).map_err(|e| {
                AppError::invalid("toml", format!("De cijfers zijn niet opgeslagen: {e}"))
            })?;
            "hr.benchmarks_edit"
        }
    };
    store.set_hr_benchmark_override(toml, &actor.label).await?;
    store
        .audit(&actor, None, action, "sectorcijfers", "")
        .await?;
    Ok(())
}

/// Example values of one HR field for the sample file, three employees (an exhaustive
/// match: a new field cannot be left out of the sample).
fn sample_values(field: hr::HrField) -> [&'static str; 3] {
    use hr::HrField as F;
    match field {
        F::EmployeeNumber => ["100234", "100871", "101502"],
        F::Team => ["Team Noord", "Team Noord", "Team Zuid"],
        F::Function => ["Verzorgende IG", "Verpleegkundige", "Helpende"],
        F::FwgScale => ["35", "45", "25"],
        F::ContractHours => ["24", "32", "16"],
        F::PartTimeFactor => ["0,6667", "0,8889", "0,4444"],
        F::BirthDate => ["12-04-1985", "03-11-1992", "27-06-1968"],
        F::Age => ["", "", ""],
        F::StartDate => ["01-09-2015", "01-02-2021", "15-03-2010"],
        F::EndDate => ["", "", ""],
        F::ContractKind => ["vast", "tijdelijk", "vast"],
    }
}

/// A sample HR file (CSV with `;`, Dutch numbers and dates): one column per field of the
/// HR extract, headed by the first header the import recognises, and three made-up
/// employees. Generated from `hr`'s field definitions, so it cannot drift from what the
/// import reads (the test reads it back through the import).
pub fn sample_hr_csv() -> String {
    let fields: Vec<hr::HrField> = hr::HrField::ALL
        .into_iter()
        // Age and birth date say the same; the sample shows the birth date.
        .filter(|f| *f != hr::HrField::Age)
        .collect();
    let mut out = fields
        .iter()
        .map(|f| f.spec().aliases.first().copied().unwrap_or(f.label_nl()))
        .collect::<Vec<_>>()
        .join(";");
    out.push('\n');
    for row in 0..3 {
        out.push_str(
            &fields
                .iter()
                .map(|f| sample_values(*f)[row])
                .collect::<Vec<_>>()
                .join(";"),
        );
        out.push('\n');
    }
    out
}

/// The one line under the upload button that says what an HR file must contain.
pub fn hr_file_requirements() -> String {
    format!(
        "Eén regel per medewerker, met minstens de kolommen {} en {}. {}, {}, {} en {} \
         maken het beeld rijker. Namen zijn niet nodig.",
        hr::HrField::EmployeeNumber.label_nl(),
        hr::HrField::ContractHours.label_nl(),
        capitalise(hr::HrField::Team.label_nl()),
        hr::HrField::Function.label_nl(),
        hr::HrField::FwgScale.label_nl(),
        hr::HrField::StartDate.label_nl(),
    )
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod sample_tests {
    use super::*;

    #[test]
    fn the_sample_hr_file_reads_back_without_errors() {
        let csv = sample_hr_csv();
        let table = import::read_table(csv.as_bytes()).unwrap();
        let proposal = hr::propose_mapping(&table);
        for f in hr::HrField::ALL {
            if f != hr::HrField::Age {
                assert!(
                    proposal.mapping.columns.contains_key(&f),
                    "{f:?} not recognised in {:?}",
                    table.headers
                );
            }
        }
        let opts = hr::ImportOptions::new(chrono::NaiveDate::from_ymd_opt(2026, 3, 1).unwrap());
        let key = hr::Pseudonymiser::new(b"0123456789abcdef0123456789abcdef").unwrap();
        let result = hr::import_extract(&table, &proposal.mapping, &opts, &key);
        let errors: Vec<_> = result.errors().collect();
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(result.employees.len(), 3);
    }
}
