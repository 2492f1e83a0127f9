//! HR baseline (nulmeting) pages: upload an HR extract or PNIL costs, choose the columns
//! with a preview, import, and read the contract picture (against the sector), the hours
//! gap, PNIL and the comparison between two snapshots. Managers see their own teams only,
//! aggregated and with suppression; planners see nothing here.
//!
//! The baseline is split into sub-pages with a sub-navigation ([`Sub`]): overzicht (the
//! page's old address `/organisaties/{id}/nulmeting`, which other tools link), verdeling,
//! urenruimte, vergelijking, pnil and bestanden; each has a print view at `…/afdrukken`
//! (the overview's at `/organisaties/{id}/nulmeting/afdrukken`) without forms or menus.

use askama::Template;
use axum::Form;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::{get, post};
use chrono::NaiveDate;
use hr::pnil::{PnilField, PnilMapping, PnilSummary, TrendDirection};
use hr::{Breakdown, Dimension, Figures, GapScenario, Growth, HrField, HrMapping, Suppression};
use import::{Diagnostic, Table};
use report::nl;
use serde::{Deserialize, Serialize};
use store::Organisation;

use crate::auth::Auth;
use crate::page::{Fields, Layout, PageAction, flash_error, redirect_with, render};
use crate::scope::OrgScope;
use app::access;
use app::nulmeting::{self, ImportError, Scope};

use crate::{AppState, PageError};

/// The POST actions of the HR baseline pages (see [`crate::page::PageAction`]).
pub const ACTIONS: &[PageAction] = &[
    PageAction::new(
        "/organisaties/{id}/nulmeting/bestand",
        &[
            "POST /organisations/{id}/hr/snapshots",
            "POST /organisations/{id}/hr/pnil",
        ],
        || post(upload).layer(DefaultBodyLimit::max(32 * 1024 * 1024)),
    ),
    PageAction::new(
        "/organisaties/{id}/nulmeting/koppelen/{token}",
        &[
            "POST /organisations/{id}/hr/snapshots",
            "POST /organisations/{id}/hr/pnil",
        ],
        || post(mapping_submit),
    ),
    PageAction::new(
        "/organisaties/{id}/nulmeting/loonkosten",
        &["PUT /organisations/{id}/hr/wage-cost"],
        || post(set_wage_cost),
    ),
    PageAction::new(
        "/organisaties/{id}/nulmeting/pnil",
        &["POST /organisations/{id}/hr/pnil/entries"],
        || post(add_pnil),
    ),
    PageAction::new(
        "/organisaties/{id}/nulmeting/pnil/verwijderen",
        &["DELETE /organisations/{id}/hr/pnil/months/{month}"],
        || post(delete_pnil_month),
    ),
    PageAction::new(
        "/organisaties/{id}/nulmeting/momentopnamen/{snapshot}/verwijderen",
        &["DELETE /organisations/{id}/hr/snapshots/{snapshot}"],
        || post(delete_snapshot),
    ),
    PageAction::new("/nulmeting/sectorcijfers", &["PUT /hr/benchmarks"], || {
        post(benchmark_submit)
    }),
];

/// The GET routes of the HR baseline pages; the POST routes come from [`ACTIONS`].
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/organisaties/{id}/nulmeting", get(overzicht_page))
        .route(
            "/organisaties/{id}/nulmeting/afdrukken",
            get(overzicht_print),
        )
        .route(
            "/organisaties/{id}/nulmeting/verdeling",
            get(verdeling_page),
        )
        .route(
            "/organisaties/{id}/nulmeting/verdeling/afdrukken",
            get(verdeling_print),
        )
        .route(
            "/organisaties/{id}/nulmeting/urenruimte",
            get(urenruimte_page),
        )
        .route(
            "/organisaties/{id}/nulmeting/urenruimte/afdrukken",
            get(urenruimte_print),
        )
        .route(
            "/organisaties/{id}/nulmeting/vergelijking",
            get(vergelijking_page),
        )
        .route(
            "/organisaties/{id}/nulmeting/vergelijking/afdrukken",
            get(vergelijking_print),
        )
        .route("/organisaties/{id}/nulmeting/pnil", get(pnil_page))
        .route(
            "/organisaties/{id}/nulmeting/pnil/afdrukken",
            get(pnil_print),
        )
        .route(
            "/organisaties/{id}/nulmeting/bestanden",
            get(bestanden_page),
        )
        .route(
            "/organisaties/{id}/nulmeting/bestanden/afdrukken",
            get(bestanden_print),
        )
        .route(
            "/organisaties/{id}/nulmeting/koppelen/{token}",
            get(mapping_page),
        )
        .route("/nulmeting/sectorcijfers", get(benchmark_page))
        .route("/nulmeting/voorbeeld-hr.csv", get(sample_hr_file))
}

/// The sample HR file of the empty state, generated from the HR field definitions
/// (`app::nulmeting::sample_hr_csv`). Holds no data of anyone, but is only for signed-in
/// users like every page of the baseline.
async fn sample_hr_file(_auth: Auth) -> Response {
    use axum::http::header;
    use axum::response::IntoResponse;
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"voorbeeld-hr-bestand.csv\"",
            ),
        ],
        app::nulmeting::sample_hr_csv(),
    )
        .into_response()
}

// ---------------------------------------------------------------------------------------
// Uploads waiting for the mapping step: in the database (any instance serves the next
// step), sealed with the server's upload key because the parsed file may hold names, for
// 30 minutes, for the uploading user only (app::uploads).

#[derive(Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
enum Kind {
    Hr,
    Pnil,
}

impl Kind {
    fn code(self) -> &'static str {
        match self {
            Kind::Hr => "hr",
            Kind::Pnil => "pnil",
        }
    }
}

#[derive(Clone, Serialize, Deserialize)]
struct Upload {
    org_id: i64,
    user_id: i64,
    kind: Kind,
    peildatum: Option<NaiveDate>,
    file_name: String,
    table: Table,
    hr_mapping: HrMapping,
    pnil_mapping: PnilMapping,
    remembered: bool,
    errors: Vec<Diagnostic>,
}

fn upload_stash(state: &AppState) -> app::uploads::Uploads {
    app::uploads::Uploads::new(state.store.clone(), state.config.upload_key.clone())
}

fn stash_error(e: app::AppError) -> PageError {
    PageError::from(e)
}

async fn stash(state: &AppState, upload: Upload) -> Result<String, PageError> {
    upload_stash(state)
        .put(upload.org_id, upload.user_id, upload.kind.code(), &upload)
        .await
        .map_err(stash_error)
}

async fn take_upload(
    state: &AppState,
    token: &str,
    org_id: i64,
    user_id: i64,
) -> Result<Upload, PageError> {
    let (kind, up): (String, Upload) = upload_stash(state)
        .get(token, org_id, user_id)
        .await
        .map_err(stash_error)?;
    if kind != up.kind.code() || up.org_id != org_id || up.user_id != user_id {
        return Err(PageError::NotFound);
    }
    Ok(up)
}

async fn update_upload(
    state: &AppState,
    token: &str,
    org_id: i64,
    user_id: i64,
    f: impl FnOnce(&mut Upload),
) -> Result<(), PageError> {
    let mut up = take_upload(state, token, org_id, user_id).await?;
    f(&mut up);
    upload_stash(state)
        .update(token, org_id, user_id, &up)
        .await
        .map_err(stash_error)
}

async fn drop_upload(state: &AppState, token: &str, org_id: i64, user_id: i64) {
    // Gone already (expired, or a second submit) is fine; the purge removes the rest.
    if let Err(e) = upload_stash(state).remove(token, org_id, user_id).await
        && !matches!(e, app::AppError::NotFound)
    {
        tracing::warn!(error = %e, "a finished upload could not be deleted");
    }
}

// ---------------------------------------------------------------------------------------
// Upload and mapping.

pub async fn upload(
    State(state): State<AppState>,
    scoped: OrgScope,
    mut multipart: Multipart,
) -> Result<Response, PageError> {
    scoped.require_admin()?;
    let OrgScope {
        org,
        caller: session,
        ..
    } = scoped;
    let id = org.id;
    let back = format!("/organisaties/{id}/nulmeting/bestanden");
    let mut kind = Kind::Hr;
    let mut peildatum = String::new();
    let mut file: Option<(String, Vec<u8>)> = None;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(_) => {
                return Ok(redirect_with(
                    &back,
                    false,
                    "Het bestand kon niet worden ontvangen. Probeer het opnieuw.",
                ));
            }
        };
        let name = field.name().unwrap_or("").to_string();
        match name.as_str() {
            "soort" => {
                kind = match field.text().await.unwrap_or_default().as_str() {
                    "pnil" => Kind::Pnil,
                    _ => Kind::Hr,
                }
            }
            "peildatum" => peildatum = field.text().await.unwrap_or_default(),
            "bestand" => {
                let fname = field.file_name().unwrap_or("bestand").to_string();
                let bytes = field.bytes().await.map_err(|_| {
                    PageError::BadRequest("Het bestand kon niet worden ontvangen.".into())
                })?;
                file = Some((fname, bytes.to_vec()));
            }
            _ => {}
        }
    }
    let Some((file_name, bytes)) = file.filter(|(_, b)| !b.is_empty()) else {
        return Ok(redirect_with(
            &back,
            false,
            "Kies een bestand (CSV of Excel).",
        ));
    };
    let peildatum = match kind {
        Kind::Hr => match nulmeting::parse_date(&peildatum, "peildatum") {
            Ok(d) => Some(d),
            Err(e) => return flash_error(e, &back),
        },
        Kind::Pnil => None,
    };
    let table = match nulmeting::read_file(&bytes) {
        Ok(t) => t,
        Err(ImportError::Refused(d)) => {
            let text = d
                .iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
                .join(" ");
            return Ok(redirect_with(&back, false, &text));
        }
        Err(ImportError::App(e)) => return Err(e.into()),
    };
    let (hr_mapping, pnil_mapping, remembered) = match kind {
        Kind::Hr => {
            let (m, r) = nulmeting::hr_mapping_for(&state.store, id, &table).await?;
            (m, PnilMapping::default(), r)
        }
        Kind::Pnil => {
            let (m, r) = nulmeting::pnil_mapping_for(&state.store, id, &table).await?;
            (HrMapping::default(), m, r)
        }
    };
    let token = stash(
        &state,
        Upload {
            org_id: id,
            user_id: session.user.id,
            kind,
            peildatum,
            file_name,
            table,
            hr_mapping,
            pnil_mapping,
            remembered,
            errors: Vec::new(),
        },
    )
    .await?;
    Ok(axum::response::IntoResponse::into_response(
        axum::response::Redirect::to(&format!("/organisaties/{id}/nulmeting/koppelen/{token}")),
    ))
}

pub struct ColumnChoice {
    pub header: String,
    pub selected: bool,
}

pub struct FieldRow {
    pub key: String,
    pub label: String,
    pub columns: Vec<ColumnChoice>,
    pub none_selected: bool,
}

pub struct PreviewLine {
    pub row: u32,
    pub values: Vec<String>,
    pub problems: Vec<String>,
}

#[derive(Template)]
#[template(path = "hr/mapping.html")]
struct MappingPage {
    l: Layout,
    org: Organisation,
    token: String,
    is_hr: bool,
    file_name: String,
    peildatum: String,
    rows: usize,
    remembered: bool,
    fields: Vec<FieldRow>,
    preview_headers: Vec<String>,
    preview: Vec<PreviewLine>,
    file_problems: Vec<String>,
    errors: Vec<String>,
    dropped: Vec<String>,
    /// Team names in the file that the organisation has no team of.
    new_teams: Vec<String>,
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn field_rows<'a>(
    table: &Table,
    fields: impl Iterator<Item = (&'a str, &'a str, Option<&'a String>)>,
) -> Vec<FieldRow> {
    fields
        .map(|(key, label, chosen)| FieldRow {
            key: key.to_string(),
            label: capitalise(label),
            none_selected: chosen.is_none(),
            columns: table
                .headers
                .iter()
                .map(|h| ColumnChoice {
                    header: h.clone(),
                    selected: chosen == Some(h),
                })
                .collect(),
        })
        .collect()
}

pub async fn mapping_page(
    State(state): State<AppState>,
    scoped: OrgScope,
    Path((_, token)): Path<(i64, String)>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    scoped.require_admin()?;
    let OrgScope {
        org,
        caller: session,
        ..
    } = scoped;
    let id = org.id;
    let up = take_upload(&state, &token, id, session.user.id).await?;
    let mut file_problems = Vec::new();
    let preview_headers: Vec<String>;
    let preview: Vec<PreviewLine>;
    let mut dropped = Vec::new();
    let new_teams = match up.kind {
        Kind::Hr => nulmeting::unknown_teams(&state.store, id, &up.table, &up.hr_mapping).await?,
        Kind::Pnil => Vec::new(),
    };
    let fields = match up.kind {
        Kind::Hr => {
            let name_cols = nulmeting::off_runtime(|| hr::propose_mapping(&up.table)).name_columns;
            dropped = name_cols;
            let mut opts = hr::ImportOptions::new(up.peildatum.unwrap_or_default());
            opts.full_time_hours = nulmeting::full_time_hours(&org);
            let p = hr::preview(&up.table, &up.hr_mapping, &opts, 10);
            preview_headers = p
                .columns
                .iter()
                .map(|c| format!("{} ({})", capitalise(&c.label_nl), c.header))
                .collect();
            // File-level errors; the warning about name columns is shown as a hint.
            file_problems = p
                .diagnostics
                .iter()
                .filter(|d| d.row.is_none() && d.is_error())
                .map(|d| d.to_string())
                .collect();
            preview = p
                .rows
                .iter()
                .map(|r| PreviewLine {
                    row: r.row,
                    values: p
                        .columns
                        .iter()
                        .map(|c| r.values.get(&c.field).cloned().unwrap_or_default())
                        .collect(),
                    problems: r.diagnostics.iter().map(|d| d.to_string()).collect(),
                })
                .collect();
            field_rows(
                &up.table,
                HrField::ALL
                    .iter()
                    .map(|f| (f.key(), f.label_nl(), up.hr_mapping.columns.get(f))),
            )
        }
        Kind::Pnil => {
            preview_headers = up.table.headers.clone();
            preview = up
                .table
                .rows
                .iter()
                .take(10)
                .map(|r| PreviewLine {
                    row: r.number,
                    values: (0..up.table.headers.len())
                        .map(|c| r.get(c).display())
                        .collect(),
                    problems: Vec::new(),
                })
                .collect();
            field_rows(
                &up.table,
                PnilField::ALL
                    .iter()
                    .map(|f| (f.spec().key, f.label_nl(), up.pnil_mapping.columns.get(f))),
            )
        }
    };
    let l = Layout::new("Bestand koppelen", "organisaties", Some(&session), &headers);
    let had_flash = l.flash.is_some();
    render(
        &MappingPage {
            l,
            token,
            is_hr: up.kind == Kind::Hr,
            file_name: up.file_name.clone(),
            peildatum: up.peildatum.map(nl::date).unwrap_or_default(),
            rows: up.table.rows.len(),
            remembered: up.remembered,
            fields,
            preview_headers,
            preview,
            file_problems,
            errors: up.errors.iter().map(|d| d.to_string()).collect(),
            dropped,
            new_teams,
            org,
        },
        had_flash,
    )
}

pub async fn mapping_submit(
    State(state): State<AppState>,
    scoped: OrgScope,
    Path((_, token)): Path<(i64, String)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    scoped.require_admin()?;
    let OrgScope {
        org,
        caller: session,
        ..
    } = scoped;
    let id = org.id;
    let up = take_upload(&state, &token, id, session.user.id).await?;
    let f = Fields(fields);
    let here = format!("/organisaties/{id}/nulmeting/koppelen/{token}");
    if f.get("actie") == "annuleren" {
        drop_upload(&state, &token, id, session.user.id).await;
        return Ok(redirect_with(
            &format!("/organisaties/{id}/nulmeting/bestanden"),
            true,
            "Het bestand is niet ingelezen en verwijderd.",
        ));
    }
    let pick = |key: &str| {
        let v = f.get(&format!("map_{key}")).trim().to_string();
        (!v.is_empty() && up.table.headers.contains(&v)).then_some(v)
    };
    let mut hr_mapping = HrMapping::default();
    let mut pnil_mapping = PnilMapping::default();
    match up.kind {
        Kind::Hr => {
            for field in HrField::ALL {
                if let Some(h) = pick(field.key()) {
                    hr_mapping.columns.insert(field, h);
                }
            }
        }
        Kind::Pnil => {
            for field in PnilField::ALL {
                if let Some(h) = pick(field.spec().key) {
                    pnil_mapping.columns.insert(field, h);
                }
            }
        }
    }
    let valid_rows_only = f.get("alleen_geldige") == "1";
    update_upload(&state, &token, id, session.user.id, |u| {
        u.hr_mapping = hr_mapping.clone();
        u.pnil_mapping = pnil_mapping.clone();
        u.errors.clear();
    })
    .await?;
    if f.get("actie") != "inlezen" {
        return Ok(redirect_with(
            &here,
            true,
            "De kolomkeuze is bijgewerkt; bekijk het voorbeeld.",
        ));
    }
    let actor = app::audit::actor(&session.user);
    let create_teams = f.get("maak_teams") == "1";
    let result = match up.kind {
        Kind::Hr => {
            let imported = if create_teams {
                nulmeting::import_hr_creating_teams(
                    &state.store,
                    &session.user,
                    &org,
                    up.peildatum.unwrap_or_default(),
                    &up.file_name,
                    &up.table,
                    &hr_mapping,
                    valid_rows_only,
                )
                .await
            } else {
                nulmeting::import_hr(
                    &state.store,
                    &actor,
                    &org,
                    up.peildatum.unwrap_or_default(),
                    &up.file_name,
                    &up.table,
                    &hr_mapping,
                    valid_rows_only,
                )
                .await
                .map(|done| (done, Vec::new()))
            };
            imported.map(|(done, teams)| {
                let mut msg = format!(
                    "Ingelezen: {} medewerkers op peildatum {}.",
                    done.snapshot.employees,
                    nl::iso_date(&done.snapshot.peildatum)
                );
                if !teams.is_empty() {
                    msg.push_str(&format!(
                        " {} aangemaakt: {}.",
                        if teams.len() == 1 { "Team" } else { "Teams" },
                        teams.join(", ")
                    ));
                }
                if !done.import.skipped_rows.is_empty() {
                    msg.push_str(&format!(
                        " Overgeslagen rijen ({}): {}.",
                        done.import.skipped_rows.len(),
                        rows_list(&done.import.skipped_rows)
                    ));
                }
                (msg, format!("?peildatum={}", done.snapshot.peildatum))
            })
        }
        Kind::Pnil => nulmeting::import_pnil(
            &state.store,
            &actor,
            &org,
            &up.file_name,
            &up.table,
            &pnil_mapping,
            valid_rows_only,
        )
        .await
        .map(|done| {
            let mut msg = format!(
                "Ingelezen: {} kostenregels over {} maanden.",
                done.entries, done.months
            );
            if !done.skipped_rows.is_empty() {
                msg.push_str(&format!(
                    " Overgeslagen rijen ({}): {}.",
                    done.skipped_rows.len(),
                    rows_list(&done.skipped_rows)
                ));
            }
            (msg, "/pnil".to_string())
        }),
    };
    match result {
        Ok((msg, suffix)) => {
            drop_upload(&state, &token, id, session.user.id).await;
            Ok(redirect_with(
                &format!("/organisaties/{id}/nulmeting{suffix}"),
                true,
                &msg,
            ))
        }
        Err(ImportError::Refused(errors)) => {
            let n = errors.len();
            update_upload(&state, &token, id, session.user.id, |u| u.errors = errors).await?;
            Ok(redirect_with(
                &here,
                false,
                &format!(
                    "Er is niets ingelezen: het bestand heeft {n} {}. Pas de kolomkeuze of het bestand aan, of lees alleen de goede rijen in.",
                    if n == 1 { "fout" } else { "fouten" }
                ),
            ))
        }
        Err(ImportError::App(e)) => flash_error(e, &here),
    }
}

fn rows_list(rows: &[u32]) -> String {
    let mut s: Vec<String> = rows.iter().take(50).map(u32::to_string).collect();
    if rows.len() > 50 {
        s.push(format!("en {} meer", rows.len() - 50));
    }
    s.join(", ")
}

// ---------------------------------------------------------------------------------------
// The contract picture page.

#[derive(Deserialize)]
pub struct PictureQuery {
    #[serde(default)]
    pub peildatum: Option<String>,
    #[serde(default)]
    pub onder: Option<String>,
    #[serde(default)]
    pub groei: Option<String>,
    #[serde(default)]
    pub uren: Option<String>,
    #[serde(default)]
    pub nuluren: Option<String>,
    #[serde(default)]
    pub van: Option<String>,
    #[serde(default)]
    pub tot: Option<String>,
}

pub struct Stat {
    pub label: String,
    pub value: String,
}

pub struct GroupRow {
    pub label: String,
    pub shown: bool,
    pub why: String,
    pub headcount: String,
    pub fte: String,
    pub average_hours: String,
    pub factor: String,
}

pub struct BreakdownView {
    pub title: String,
    pub rows: Vec<GroupRow>,
}

pub struct BandRow {
    pub label: String,
    pub count: String,
    pub share: String,
}

pub struct SnapshotRow {
    pub id: i64,
    pub iso: String,
    pub date: String,
    pub employees: i64,
    pub file_name: String,
    pub imported: String,
    pub current: bool,
    pub skipped: i64,
}

pub struct GapRow {
    pub label: String,
    pub shown: bool,
    pub why: String,
    pub headcount: String,
    pub growing: String,
    pub hours_added: String,
    pub fte_added: String,
    pub new_fte: String,
}

pub struct Option2 {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

pub struct PnilMonthRow {
    pub key: String,
    pub month: String,
    pub total: String,
}

/// The sub-pages of the HR baseline: each its own route under `/organisaties/{id}/nulmeting`
/// and its own print view (`…/afdrukken`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Sub {
    Overzicht,
    Verdeling,
    Urenruimte,
    Vergelijking,
    Pnil,
    Bestanden,
}

impl Sub {
    pub const ALL: [Sub; 6] = [
        Sub::Overzicht,
        Sub::Verdeling,
        Sub::Urenruimte,
        Sub::Vergelijking,
        Sub::Pnil,
        Sub::Bestanden,
    ];

    /// The path segment after `/nulmeting` ("" for the overview, which keeps the page's
    /// old address because other tools link it).
    pub fn segment(self) -> &'static str {
        match self {
            Sub::Overzicht => "",
            Sub::Verdeling => "/verdeling",
            Sub::Urenruimte => "/urenruimte",
            Sub::Vergelijking => "/vergelijking",
            Sub::Pnil => "/pnil",
            Sub::Bestanden => "/bestanden",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Sub::Overzicht => "overzicht",
            Sub::Verdeling => "verdeling",
            Sub::Urenruimte => "urenruimte",
            Sub::Vergelijking => "vergelijking",
            Sub::Pnil => "pnil",
            Sub::Bestanden => "bestanden",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Sub::Overzicht => "Overzicht",
            Sub::Verdeling => "Verdeling",
            Sub::Urenruimte => "Urenruimte",
            Sub::Vergelijking => "Vergelijking",
            Sub::Pnil => "PNIL",
            Sub::Bestanden => "Bestanden",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Sub::Overzicht => "Nulmeting: contractbeeld",
            Sub::Verdeling => "Nulmeting: verdeling van de contracten",
            Sub::Urenruimte => "Nulmeting: urenruimte",
            Sub::Vergelijking => "Nulmeting: vergelijking tussen twee peildata",
            Sub::Pnil => "Nulmeting: personeel niet in loondienst (PNIL)",
            Sub::Bestanden => "Nulmeting: bestanden",
        }
    }

    /// Whether the sub-page shows figures of one snapshot (and so keeps `?peildatum=`).
    fn per_snapshot(self) -> bool {
        matches!(self, Sub::Overzicht | Sub::Verdeling | Sub::Urenruimte)
    }
}

/// One link of the sub-navigation.
pub struct SubLink {
    pub href: String,
    pub label: &'static str,
    pub current: bool,
}

#[derive(Template)]
#[template(path = "hr/picture.html")]
struct PicturePage {
    l: Layout,
    org: Organisation,
    sub: &'static str,
    title: &'static str,
    print: bool,
    /// This sub-page's own address (without query), for forms and the print link.
    here: String,
    /// The query to carry along (`?peildatum=…`, or the scenario of the hours gap).
    query: String,
    subnav: Vec<SubLink>,
    printed_on: String,
    can_admin: bool,
    is_manager: bool,
    team_names: String,
    snapshots: Vec<SnapshotRow>,
    peildatum: String,
    peildatum_iso: String,
    has_snapshot: bool,
    total_shown: bool,
    stats: Vec<Stat>,
    bands: Vec<BandRow>,
    sector: Vec<Stat>,
    sector_source: String,
    distribution_svg: String,
    team_svg: String,
    breakdowns: Vec<BreakdownView>,
    gap_below: String,
    gap_hours: String,
    gap_to: bool,
    gap_zero: bool,
    gap_rows: Vec<GapRow>,
    gap_total: Option<GapRow>,
    compare_options_from: Vec<Option2>,
    compare_options_to: Vec<Option2>,
    compare: Vec<Stat>,
    compare_note: String,
    pnil_months: Vec<PnilMonthRow>,
    pnil_years: Vec<Stat>,
    pnil_stats: Vec<Stat>,
    pnil_svg: String,
    wage_cost: String,
    today: String,
}

fn why(s: Option<Suppression>) -> String {
    match s {
        Some(Suppression::Complementary) => "verborgen (privacy)".into(),
        _ => "te klein om te tonen".into(),
    }
}

fn group_row(label: &str, figures: Option<&Figures>, suppressed: Option<Suppression>) -> GroupRow {
    match figures {
        Some(f) => GroupRow {
            label: label.to_string(),
            shown: true,
            why: String::new(),
            headcount: f.headcount.to_string(),
            fte: nl::number(f.fte, 1),
            average_hours: nl::number(f.average_hours, 1),
            factor: nl::number(f.average_part_time_factor, 3),
        },
        None => GroupRow {
            label: label.to_string(),
            shown: false,
            why: why(suppressed),
            headcount: String::new(),
            fte: String::new(),
            average_hours: String::new(),
            factor: String::new(),
        },
    }
}

fn breakdown_view(b: &Breakdown) -> BreakdownView {
    BreakdownView {
        title: format!("Per {}", b.dimension.label_nl()),
        rows: b
            .groups
            .iter()
            .map(|g| group_row(&g.label, g.figures.as_ref(), g.suppressed))
            .collect(),
    }
}

fn gap_row(label: &str, f: Option<&hr::gap::GapFigures>, s: Option<Suppression>) -> GapRow {
    match f {
        Some(f) => GapRow {
            label: label.to_string(),
            shown: true,
            why: String::new(),
            headcount: f.headcount.to_string(),
            growing: f.contracts_growing.to_string(),
            hours_added: nl::number(f.hours_added, 1),
            fte_added: nl::number(f.fte_added, 1),
            new_fte: nl::number(f.new_fte, 1),
        },
        None => GapRow {
            label: label.to_string(),
            shown: false,
            why: why(s),
            headcount: String::new(),
            growing: String::new(),
            hours_added: String::new(),
            fte_added: String::new(),
            new_fte: String::new(),
        },
    }
}

/// The hours-gap scenario from the page's query (defaults: under 24 hours, + 4 hours).
fn scenario(q: &PictureQuery) -> Result<GapScenario, PageError> {
    nulmeting::gap_scenario(
        q.onder.as_deref(),
        q.groei.as_deref() == Some("tot"),
        q.uren.as_deref(),
        q.nuluren.as_deref() == Some("1"),
    )
    .map_err(PageError::from)
}

pub fn pnil_stats(summary: &PnilSummary) -> (Vec<PnilMonthRow>, Vec<Stat>, Vec<Stat>) {
    let months = summary
        .months
        .iter()
        .map(|m| PnilMonthRow {
            key: m.month.to_string(),
            month: m.month.label_nl(),
            total: nl::euro_cents(m.total_cents),
        })
        .collect();
    let years = summary
        .years
        .iter()
        .map(|y| Stat {
            label: format!(
                "{} ({} {})",
                y.year,
                y.months,
                if y.months == 1 { "maand" } else { "maanden" }
            ),
            value: nl::euro_cents(y.total_cents),
        })
        .collect();
    let mut stats = Vec::new();
    if let Some(t) = &summary.trend {
        stats.push(Stat {
            label: "Trend".into(),
            value: format!(
                "{} ({} per maand; gemiddeld {} per maand)",
                match t.direction {
                    TrendDirection::Up => "stijgend",
                    TrendDirection::Down => "dalend",
                    TrendDirection::Flat => "gelijk",
                },
                nl::euro_cents(t.slope_cents_per_month),
                nl::euro_cents(t.average_month_cents)
            ),
        });
    }
    if let Some(c) = &summary.comparison {
        stats.push(Stat {
            label: format!(
                "Uitgaven over {} maanden ({} t/m {})",
                c.months,
                c.first_month.label_nl(),
                c.last_month.label_nl()
            ),
            value: nl::euro_cents(c.spend_cents),
        });
        stats.push(Stat {
            label: "Op jaarbasis".into(),
            value: nl::euro_cents(c.annualised_spend_cents),
        });
        stats.push(Stat {
            label: format!(
                "Daarvan te betalen eigen fte (bij {} per fte per jaar)",
                nl::euro_cents(c.wage_cost_per_fte_year_cents)
            ),
            value: nl::number(c.own_fte_equivalent, 1),
        });
        if let (Some(fte), Some(cost)) = (c.external_fte, c.cost_per_external_fte_year_cents) {
            stats.push(Stat {
                label: "Ingehuurde fte (uit de uren)".into(),
                value: nl::number(fte, 1),
            });
            stats.push(Stat {
                label: "Kosten per ingehuurde fte per jaar".into(),
                value: nl::euro_cents(cost),
            });
        }
        if let Some(p) = c.premium_pct {
            stats.push(Stat {
                label: "Meerkosten tegenover eigen personeel".into(),
                value: format!("{}%", nl::number(p, 0)),
            });
        }
    }
    (months, years, stats)
}

/// The sub-pages' GET handlers: each sub-page and its print view.
macro_rules! sub_pages {
    ($($name:ident, $print:ident => $sub:expr;)*) => {$(
        pub async fn $name(
            state: State<AppState>,
            scoped: OrgScope,
            q: Query<PictureQuery>,
            headers: HeaderMap,
        ) -> Result<Response, PageError> {
            picture_page(state, scoped, q, headers, $sub, false).await
        }

        pub async fn $print(
            state: State<AppState>,
            scoped: OrgScope,
            q: Query<PictureQuery>,
            headers: HeaderMap,
        ) -> Result<Response, PageError> {
            picture_page(state, scoped, q, headers, $sub, true).await
        }
    )*};
}

sub_pages! {
    overzicht_page, overzicht_print => Sub::Overzicht;
    verdeling_page, verdeling_print => Sub::Verdeling;
    urenruimte_page, urenruimte_print => Sub::Urenruimte;
    vergelijking_page, vergelijking_print => Sub::Vergelijking;
    pnil_page, pnil_print => Sub::Pnil;
    bestanden_page, bestanden_print => Sub::Bestanden;
}

/// The query a sub-page carries to its print view and (the peildatum) to the other
/// sub-pages that show one snapshot.
fn carried_query(sub: Sub, q: &PictureQuery) -> String {
    let mut pairs: Vec<(&'static str, String)> = Vec::new();
    let mut push = |k: &'static str, v: &Option<String>| {
        if let Some(v) = v.as_deref().filter(|v| !v.is_empty()) {
            pairs.push((k, v.to_string()));
        }
    };
    match sub {
        Sub::Overzicht | Sub::Verdeling => push("peildatum", &q.peildatum),
        Sub::Urenruimte => {
            push("peildatum", &q.peildatum);
            push("onder", &q.onder);
            push("groei", &q.groei);
            push("uren", &q.uren);
            push("nuluren", &q.nuluren);
        }
        Sub::Vergelijking => {
            push("van", &q.van);
            push("tot", &q.tot);
        }
        Sub::Pnil | Sub::Bestanden => {}
    }
    if pairs.is_empty() {
        return String::new();
    }
    let mut ser = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in &pairs {
        ser.append_pair(k, v);
    }
    format!("?{}", ser.finish())
}

async fn picture_page(
    State(state): State<AppState>,
    scoped: OrgScope,
    Query(q): Query<PictureQuery>,
    headers: HeaderMap,
    sub: Sub,
    print: bool,
) -> Result<Response, PageError> {
    let can_admin = scoped.can_admin();
    let OrgScope {
        org,
        caller: session,
        ..
    } = scoped;
    let id = org.id;
    let scope = nulmeting::scope(&state.store, &session.user, id).await?;
    let base = format!("/organisaties/{id}/nulmeting");
    let here = format!("{base}{}", sub.segment());
    let all = state.store.hr_snapshots(id).await?;
    let snap = match nulmeting::snapshot(&state.store, id, q.peildatum.as_deref()).await {
        Ok(s) => s,
        Err(e @ app::AppError::Invalid { .. }) => return flash_error(e, &base),
        Err(e) => return Err(e.into()),
    };
    let scenario = match scenario(&q) {
        Ok(s) => s,
        Err(e) => return flash_error(e, &base),
    };
    // The peildatum travels between the sub-pages that show one snapshot.
    let peil_query = carried_query(Sub::Overzicht, &q);
    let subnav = Sub::ALL
        .iter()
        .map(|s| SubLink {
            href: format!(
                "{base}{}{}",
                s.segment(),
                if s.per_snapshot() {
                    peil_query.as_str()
                } else {
                    ""
                }
            ),
            label: s.label(),
            current: *s == sub,
        })
        .collect();
    let title = if print {
        format!("{} afdrukken · {}", sub.title(), org.name)
    } else {
        format!("{} · {}", sub.title(), org.name)
    };
    let mut page = PicturePage {
        sub: sub.code(),
        title: sub.title(),
        print,
        here,
        query: carried_query(sub, &q),
        subnav,
        printed_on: nl::date(
            chrono::NaiveDate::parse_from_str(&app::survey::today(), "%Y-%m-%d")
                .unwrap_or_default(),
        ),
        can_admin,
        is_manager: scope.is_teams(),
        team_names: match &scope {
            Scope::Teams(t) => t.join(", "),
            Scope::Organisation => String::new(),
        },
        snapshots: all
            .iter()
            .map(|s| SnapshotRow {
                id: s.id,
                iso: s.peildatum.clone(),
                date: nl::iso_date(&s.peildatum),
                employees: s.employees,
                file_name: s.file_name.clone(),
                imported: nl::datetime_unix(s.imported_at),
                current: snap.as_ref().is_some_and(|x| x.id == s.id),
                skipped: s.skipped,
            })
            .collect(),
        peildatum: snap
            .as_ref()
            .map(|s| nl::iso_date(&s.peildatum))
            .unwrap_or_default(),
        peildatum_iso: snap
            .as_ref()
            .map(|s| s.peildatum.clone())
            .unwrap_or_default(),
        has_snapshot: snap.is_some(),
        total_shown: false,
        stats: Vec::new(),
        bands: Vec::new(),
        sector: Vec::new(),
        sector_source: String::new(),
        distribution_svg: String::new(),
        team_svg: String::new(),
        breakdowns: Vec::new(),
        gap_below: nl::number(scenario.below_hours.try_into().unwrap_or(24.0), 0),
        gap_hours: match scenario.growth {
            Growth::By(h) | Growth::To(h) => nl::hours(h.try_into().unwrap_or(4.0)),
        },
        gap_to: matches!(scenario.growth, Growth::To(_)),
        gap_zero: scenario.include_zero_hours,
        gap_rows: Vec::new(),
        gap_total: None,
        compare_options_from: Vec::new(),
        compare_options_to: Vec::new(),
        compare: Vec::new(),
        compare_note: String::new(),
        pnil_months: Vec::new(),
        pnil_years: Vec::new(),
        pnil_stats: Vec::new(),
        pnil_svg: String::new(),
        wage_cost: String::new(),
        today: default_peildatum(),
        org: org.clone(),
        l: Layout::new(&title, "organisaties", Some(&session), &headers),
    };
    match sub {
        Sub::Overzicht | Sub::Verdeling | Sub::Urenruimte => {
            if let Some(snap) = &snap {
                let emps = nulmeting::employees(&state.store, snap, &scope).await?;
                if sub == Sub::Urenruimte {
                    let gap = nulmeting::gap(&org, &emps, &scenario);
                    page.gap_total = gap.total.as_ref().map(|t| gap_row("Totaal", Some(t), None));
                    if gap.total.is_some() {
                        page.gap_rows = gap
                            .by_team
                            .iter()
                            .map(|g| gap_row(&g.label, g.figures.as_ref(), g.suppressed))
                            .collect();
                    }
                } else {
                    let bench = nulmeting::benchmarks(&state.store).await?;
                    picture_figures(&mut page, &org, &emps, &bench, sub);
                }
            }
        }
        Sub::Vergelijking => compare_figures(&state, &mut page, &org, &all, &scope, &q).await?,
        Sub::Pnil => {
            page.wage_cost = state
                .store
                .hr_wage_cost(id)
                .await?
                .map(|c| nl::number(c as f64 / 100.0, 0).replace('.', ""))
                .unwrap_or_default();
            let entries = nulmeting::pnil_entries(&state.store, id, &scope).await?;
            if !entries.is_empty() {
                let summary = nulmeting::pnil(&state.store, &org, &entries).await?;
                let (m, y, s) = pnil_stats(&summary);
                page.pnil_months = m;
                page.pnil_years = y;
                page.pnil_stats = s;
                page.pnil_svg = hr::chart::pnil_trend_chart("hr-pnil", &summary);
            }
        }
        Sub::Bestanden => {}
    }
    let had_flash = page.l.flash.is_some();
    render(&page, had_flash)
}

/// The contract picture of one snapshot: the key figures and the sector (overview), or
/// the distribution and the breakdowns (verdeling). Suppression comes with the picture.
fn picture_figures(
    page: &mut PicturePage,
    org: &Organisation,
    emps: &[hr::Employee],
    bench: &hr::SectorBenchmarks,
    sub: Sub,
) {
    if sub == Sub::Overzicht {
        let total = nulmeting::picture_total(org, emps);
        if let Some(t) = &total {
            page.total_shown = true;
            page.stats = vec![
                Stat {
                    label: "Medewerkers".into(),
                    value: t.headcount.to_string(),
                },
                Stat {
                    label: format!("Fte (voltijd {} uur)", nl::hours(org.fulltime_hours)),
                    value: nl::number(t.fte, 1),
                },
                Stat {
                    label: "Gemiddeld contract (uur per week)".into(),
                    value: nl::number(t.average_hours, 1),
                },
                Stat {
                    label: "Gemiddelde deeltijdfactor".into(),
                    value: nl::number(t.average_part_time_factor, 3),
                },
            ];
        }
        if let Some(s) = nulmeting::sector(total.as_ref(), bench) {
            page.sector = vec![
                Stat {
                    label: "Eigen gemiddelde".into(),
                    value: format!("{} uur", nl::number(s.own_average_hours, 1)),
                },
                Stat {
                    label: "Sector zorg en welzijn".into(),
                    value: format!("{} uur", nl::number(s.sector_average_hours, 1)),
                },
                Stat {
                    label: "Verschil".into(),
                    value: format!("{} uur", nl::number(s.difference_hours, 1)),
                },
            ];
            page.sector_source = format!(
                "Bron: {} ({}), {}. {}",
                s.source, s.source_date, s.source_url, s.note
            );
        }
        return;
    }
    let picture = nulmeting::picture(org, emps);
    if let Some(t) = &picture.total {
        page.total_shown = true;
        page.bands = t
            .bands
            .iter()
            .map(|b| BandRow {
                label: b.label.clone(),
                count: b.count.to_string(),
                share: nl::percent(b.share, 1),
            })
            .collect();
        page.distribution_svg = hr::chart::distribution_chart("hr-verdeling", t);
    }
    let sector_avg = bench
        .figure(hr::benchmark::AVERAGE_CONTRACT_HOURS)
        .and_then(|f| f.value.try_into().ok());
    if let Some(b) = picture.breakdown(Dimension::Team)
        && page.total_shown
    {
        page.team_svg = hr::chart::group_average_chart("hr-teams", b, sector_avg);
    }
    if page.total_shown {
        page.breakdowns = picture.breakdowns.iter().map(breakdown_view).collect();
    }
}

/// The comparison between two snapshots; defaults to the first and the latest.
async fn compare_figures(
    state: &AppState,
    page: &mut PicturePage,
    org: &Organisation,
    all: &[store::HrSnapshot],
    scope: &Scope,
    q: &PictureQuery,
) -> Result<(), PageError> {
    let from = q
        .van
        .clone()
        .filter(|s| !s.is_empty())
        .or_else(|| all.first().map(|s| s.peildatum.clone()));
    let to = q
        .tot
        .clone()
        .filter(|s| !s.is_empty())
        .or_else(|| all.last().map(|s| s.peildatum.clone()));
    let options = |sel: &Option<String>| {
        all.iter()
            .map(|s| Option2 {
                value: s.peildatum.clone(),
                label: nl::iso_date(&s.peildatum),
                selected: sel.as_deref() == Some(s.peildatum.as_str()),
            })
            .collect::<Vec<_>>()
    };
    page.compare_options_from = options(&from);
    page.compare_options_to = options(&to);
    if all.len() < 2 {
        return Ok(());
    }
    let (Some(from), Some(to)) = (&from, &to) else {
        return Ok(());
    };
    let a = all.iter().find(|s| &s.peildatum == from);
    let b = all.iter().find(|s| &s.peildatum == to);
    let (Some(a), Some(b)) = (a, b) else {
        return Ok(());
    };
    let ea = nulmeting::employees(&state.store, a, scope).await?;
    let eb = nulmeting::employees(&state.store, b, scope).await?;
    match nulmeting::compare(org, &ea, &eb, false) {
        Some(c) => {
            page.compare = vec![
                Stat {
                    label: "Contracten uitgebreid".into(),
                    value: c.contracts_grown.to_string(),
                },
                Stat {
                    label: "Uren erbij (per week)".into(),
                    value: nl::number(c.hours_added, 1),
                },
                Stat {
                    label: "Fte erbij".into(),
                    value: nl::number(c.fte_added, 1),
                },
                Stat {
                    label: "Contracten verkleind".into(),
                    value: c.contracts_shrunk.to_string(),
                },
                Stat {
                    label: "Uren eraf (per week)".into(),
                    value: nl::number(c.hours_removed, 1),
                },
                Stat {
                    label: "In dienst gekomen".into(),
                    value: c.joined.to_string(),
                },
                Stat {
                    label: "Uit dienst".into(),
                    value: c.left.to_string(),
                },
                Stat {
                    label: "Netto fte".into(),
                    value: nl::number(c.net_fte, 1),
                },
            ];
            page.compare_note = format!("Van {} naar {}.", nl::iso_date(from), nl::iso_date(to));
        }
        None => {
            page.compare_note = format!(
                "Te weinig medewerkers om te vergelijken (minimaal {}).",
                nulmeting::min_group_size(org)
            )
        }
    }
    Ok(())
}

pub async fn set_wage_cost(
    State(state): State<AppState>,
    scoped: OrgScope,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    scoped.require_admin()?;
    let OrgScope {
        org,
        caller: session,
        ..
    } = scoped;
    let id = org.id;
    let back = format!("/organisaties/{id}/nulmeting/pnil");
    let f = Fields(fields);
    // Money through report::nl (exact, to cents): "58.000", "58.000,50" and "58000.50"
    // are what a Dutch reader means.
    let raw = f.get("loonkosten").trim();
    let cents = if raw.is_empty() {
        None
    } else {
        match nl::parse_cents(raw) {
            Ok(c) => Some(c),
            Err(_) => {
                return Ok(redirect_with(
                    &back,
                    false,
                    "Loonkosten: vul een bedrag in euro in, bijvoorbeeld 58.000.",
                ));
            }
        }
    };
    if let Err(e) = nulmeting::set_wage_cost(&state.store, &session.user, id, cents).await {
        return flash_error(e, &back);
    }
    Ok(redirect_with(&back, true, "De loonkosten zijn opgeslagen."))
}

pub async fn add_pnil(
    State(state): State<AppState>,
    scoped: OrgScope,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    scoped.require_admin()?;
    let OrgScope {
        org,
        caller: session,
        ..
    } = scoped;
    let id = org.id;
    let back = format!("/organisaties/{id}/nulmeting/pnil");
    let f = Fields(fields);
    let Some(month) = hr::pnil::parse_month_str(f.get("maand")) else {
        return Ok(redirect_with(
            &back,
            false,
            &format!(
                "Maand: '{}' is geen maand; schrijf bijvoorbeeld 03-2025.",
                f.get("maand")
            ),
        ));
    };
    let amount = nl::parse_number(f.get("bedrag"))
        .ok()
        .filter(|d| *d >= rust_decimal::Decimal::ZERO)
        .and_then(hr::pnil::to_cents);
    let Some(amount_cents) = amount else {
        return Ok(redirect_with(
            &back,
            false,
            &format!(
                "Bedrag: '{}' is geen bedrag; schrijf bijvoorbeeld 12.500,00.",
                f.get("bedrag")
            ),
        ));
    };
    let kind = match f.get("soort").trim() {
        "" => None,
        k => match hr::pnil::parse_pnil_kind(k) {
            Some(k) => Some(k),
            None => {
                return Ok(redirect_with(
                    &back,
                    false,
                    "Soort: kies ZZP, uitzendkrachten, detachering of overig.",
                ));
            }
        },
    };
    let team = Some(f.get("team").trim().to_string()).filter(|t| !t.is_empty());
    let entry = hr::pnil::PnilEntry {
        month,
        team,
        kind,
        amount_cents,
        hours: None,
        source_row: 0,
    };
    nulmeting::add_pnil_entry(&state.store, &session.user, id, &entry).await?;
    Ok(redirect_with(
        &back,
        true,
        &format!(
            "{} voor {} is toegevoegd.",
            nl::euro_cents(amount_cents),
            month.label_nl()
        ),
    ))
}

pub async fn delete_pnil_month(
    State(state): State<AppState>,
    scoped: OrgScope,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    scoped.require_admin()?;
    let OrgScope {
        org,
        caller: session,
        ..
    } = scoped;
    let id = org.id;
    let back = format!("/organisaties/{id}/nulmeting/pnil");
    let f = Fields(fields);
    let Some(month) = hr::pnil::parse_month_str(f.get("maand")) else {
        return Ok(redirect_with(&back, false, "Kies een maand."));
    };
    nulmeting::delete_pnil_month(&state.store, &session.user, id, month).await?;
    Ok(redirect_with(
        &back,
        true,
        &format!("De kosten van {} zijn verwijderd.", month.label_nl()),
    ))
}

pub async fn delete_snapshot(
    State(state): State<AppState>,
    Auth(session): Auth,
    Path((id, snapshot)): Path<(i64, i64)>,
) -> Result<Response, PageError> {
    let snap = nulmeting::delete_snapshot(&state.store, &session.user, id, snapshot).await?;
    Ok(redirect_with(
        &format!("/organisaties/{id}/nulmeting/bestanden"),
        true,
        &format!(
            "De momentopname van {} is verwijderd.",
            nl::iso_date(&snap.peildatum)
        ),
    ))
}

// ---------------------------------------------------------------------------------------
// Sector benchmark figures (programme admin).

/// One sector figure on the form.
struct FigureRow {
    key: String,
    label: String,
    value: String,
    unit: String,
    period: String,
    source: String,
    url: String,
    date: String,
}

/// One published distribution on the form: its classes with their shares.
struct DistributionRow {
    key: String,
    label: String,
    classes: Vec<(String, String)>,
    period: String,
    source: String,
    url: String,
    date: String,
}

#[derive(Template)]
#[template(path = "hr/benchmark.html")]
struct BenchmarkPage {
    l: Layout,
    edited: String,
    figures: Vec<FigureRow>,
    distributions: Vec<DistributionRow>,
}

pub async fn benchmark_page(
    State(state): State<AppState>,
    Auth(session): Auth,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    access::require_programme_admin(&session.user)?;
    let o = state.store.hr_benchmark_override().await?;
    let bench = nulmeting::benchmarks(&state.store).await?;
    let figures = bench
        .figures
        .iter()
        .map(|f| FigureRow {
            key: f.key.clone(),
            label: f.label_nl.clone(),
            value: nl::decimal(f.value, 4),
            unit: f.unit.clone(),
            period: f.reference_period.clone(),
            source: f.source.clone(),
            url: f.source_url.clone(),
            date: f.source_date.clone(),
        })
        .collect();
    let distributions = bench
        .distributions
        .iter()
        .map(|d| DistributionRow {
            key: d.key.clone(),
            label: d.label_nl.clone(),
            classes: d
                .classes
                .iter()
                .map(|c| (c.label.clone(), nl::decimal(c.share, 4)))
                .collect(),
            period: d.reference_period.clone(),
            source: d.source.clone(),
            url: d.source_url.clone(),
            date: d.source_date.clone(),
        })
        .collect();
    let l = Layout::new("Sectorcijfers", "organisaties", Some(&session), &headers);
    let had_flash = l.flash.is_some();
    render(
        &BenchmarkPage {
            l,
            edited: o
                .as_ref()
                .map(|o| {
                    format!(
                        "Aangepast op {} door {}.",
                        nl::datetime_unix(o.updated_at),
                        o.updated_by
                    )
                })
                .unwrap_or_else(|| "De meegeleverde cijfers zijn in gebruik.".into()),
            figures,
            distributions,
        },
        had_flash,
    )
}

/// The form's edits: `f_N_*` per figure and `d_N_*` per distribution (with `d_N_share_M`
/// per class), each with its `_key`.
fn benchmark_edits(
    f: &Fields,
) -> (
    Vec<app::sector_figures::FigureEdit>,
    Vec<app::sector_figures::DistributionEdit>,
) {
    let mut figures = Vec::new();
    for n in 0.. {
        let key = f.get(&format!("f_{n}_key"));
        if key.is_empty() {
            break;
        }
        let get = |field: &str| f.get(&format!("f_{n}_{field}")).to_string();
        figures.push(app::sector_figures::FigureEdit {
            key: key.to_string(),
            value: get("waarde"),
            reference_period: get("periode"),
            source: get("bron"),
            source_url: get("adres"),
            source_date: get("datum"),
        });
    }
    let mut distributions = Vec::new();
    for n in 0.. {
        let key = f.get(&format!("d_{n}_key"));
        if key.is_empty() {
            break;
        }
        let get = |field: &str| f.get(&format!("d_{n}_{field}")).to_string();
        let mut shares = Vec::new();
        for m in 0.. {
            let name = format!("d_{n}_share_{m}");
            if !f.0.iter().any(|(k, _)| *k == name) {
                break;
            }
            shares.push(f.get(&name).to_string());
        }
        distributions.push(app::sector_figures::DistributionEdit {
            key: key.to_string(),
            shares,
            reference_period: get("periode"),
            source: get("bron"),
            source_url: get("adres"),
            source_date: get("datum"),
        });
    }
    (figures, distributions)
}

pub async fn benchmark_submit(
    State(state): State<AppState>,
    Auth(session): Auth,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    access::require_programme_admin(&session.user)?;
    let back = "/nulmeting/sectorcijfers";
    let f = Fields(fields);
    if f.get("actie") == "herstellen" {
        nulmeting::set_benchmarks(&state.store, &session.user, None).await?;
        return Ok(redirect_with(
            back,
            true,
            "De meegeleverde sectorcijfers zijn weer in gebruik.",
        ));
    }
    let (figures, distributions) = benchmark_edits(&f);
    match app::sector_figures::save(&state.store, &session.user, &figures, &distributions).await {
        Ok(()) => Ok(redirect_with(
            back,
            true,
            "De sectorcijfers zijn opgeslagen.",
        )),
        Err(app::AppError::Invalid { message, .. }) => Ok(redirect_with(back, false, &message)),
        Err(e) => Err(e.into()),
    }
}

/// The peildatum the upload form suggests: today in the Netherlands, whatever time zone
/// the server runs in (like every other date the product shows).
fn default_peildatum() -> String {
    app::survey::today()
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHILD: &str = "URENWINST_PEILDATUM_CHILD";

    /// Runs in a child process with `TZ` set far from Amsterdam: at any hour one of
    /// UTC+14 and UTC-12 is on another date than Amsterdam, so a default taken from the
    /// server's zone shows the wrong day in one of the two runs.
    #[test]
    fn default_peildatum_is_amsterdam_today_in_any_server_time_zone() {
        if std::env::var_os(CHILD).is_some() {
            let amsterdam = chrono::Utc::now()
                .with_timezone(&chrono_tz::Europe::Amsterdam)
                .date_naive()
                .format("%Y-%m-%d")
                .to_string();
            let shown = default_peildatum();
            // Midnight in Amsterdam between the two readings: read once more.
            let again = chrono::Utc::now()
                .with_timezone(&chrono_tz::Europe::Amsterdam)
                .date_naive()
                .format("%Y-%m-%d")
                .to_string();
            assert!(
                shown == amsterdam || shown == again,
                "{shown} is not {amsterdam}"
            );
            return;
        }
        let exe = std::env::current_exe().expect("test binary");
        // This test's own name, wherever the module lives.
        let name = format!(
            "{}::default_peildatum_is_amsterdam_today_in_any_server_time_zone",
            module_path!().trim_start_matches("web::")
        );
        for tz in ["Pacific/Kiritimati", "Etc/GMT+12"] {
            let out = std::process::Command::new(&exe)
                .args(["--exact", name.as_str(), "--nocapture"])
                .env(CHILD, "1")
                .env("TZ", tz)
                .output()
                .expect("run the test binary");
            assert!(
                out.status.success() && String::from_utf8_lossy(&out.stdout).contains("1 passed"),
                "TZ={tz}: {}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
}
