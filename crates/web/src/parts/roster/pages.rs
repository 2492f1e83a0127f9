//! Roster pages (issue 32): the list of a organisation's roster scans, the upload with
//! the "choose the columns" step, the scan page per team and period (with the staffing
//! heatmap), and roster designs: the design form on the scan page, and a design page that
//! shows the job's progress (refreshed by `app.js` through a small JSON endpoint) and the
//! kept result. Access and every figure come from `app::roster`.

use askama::Template;
use axum::Form;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use report::nl;
use store::Organisation;

use crate::page::{Fields, Layout, PageAction, flash_error, redirect_with, render};
use crate::scope::OrgScope;
use crate::{AppState, PageError};
use app::access::Caller;
use app::roster::{self as svc, RosterUpload};

/// The POST actions of the roster pages (see [`crate::page::PageAction`]).
pub const ACTIONS: &[PageAction] = &[
    PageAction::new(
        "/organisaties/{id}/roosters/bestand",
        &["POST /organisations/{id}/roster-scans"],
        || post(upload).layer(DefaultBodyLimit::max(32 * 1024 * 1024)),
    ),
    PageAction::new(
        "/organisaties/{id}/roosters/koppelen/{token}",
        &["POST /organisations/{id}/roster-scans"],
        || post(mapping_submit),
    ),
    PageAction::new(
        "/organisaties/{id}/roosters/{scan}/ontwerpen",
        &["POST /organisations/{id}/roster-designs"],
        || post(start_design),
    ),
    PageAction::new(
        "/organisaties/{id}/roosters/ontwerpen/{design}/stoppen",
        &["POST /organisations/{id}/roster-designs/{design}/cancel"],
        || post(cancel_design),
    ),
];

/// The GET routes of the roster pages; the POST routes come from [`ACTIONS`].
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/organisaties/{id}/roosters", get(list_page))
        .route(
            "/organisaties/{id}/roosters/koppelen/{token}",
            get(mapping_page),
        )
        .route("/organisaties/{id}/roosters/{scan}", get(scan_page))
        .route(
            "/organisaties/{id}/roosters/ontwerpen/{design}",
            get(design_page),
        )
        .route(
            "/organisaties/{id}/roosters/ontwerpen/{design}/status",
            get(design_status_json),
        )
        .route(
            "/organisaties/{id}/roosters/ontwerpen/{design}/voorstel.csv",
            get(design_csv),
        )
        .route(
            "/organisaties/{id}/roosters/ontwerpen/{design}/voorstel.xlsx",
            get(design_xlsx),
        )
        .route(
            "/organisaties/{id}/roosters/ontwerpen/{design}/afdrukken",
            get(design_print),
        )
}

fn stash(state: &AppState) -> app::uploads::Uploads {
    app::uploads::Uploads::new(state.store.clone(), state.config.upload_key.clone())
}

const WEEKDAYS: [&str; 7] = ["ma", "di", "wo", "do", "vr", "za", "zo"];

// ---------------------------------------------------------------------------------------
// List and upload.

pub struct ScanLine {
    pub id: i64,
    pub team: String,
    pub period: String,
    pub file_name: String,
    pub employees: i64,
    pub shifts: i64,
}

pub struct TeamOption {
    pub id: i64,
    pub name: String,
}

#[derive(Template)]
#[template(path = "roster/list.html")]
struct ListPage {
    l: Layout,
    org: Organisation,
    scans: Vec<ScanLine>,
    teams: Vec<TeamOption>,
}

pub async fn list_page(
    State(state): State<AppState>,
    scoped: OrgScope,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let OrgScope { org, caller, .. } = scoped;
    let who = Caller::User(&caller.user);
    let scans = svc::scans(&state.store, who, org.id).await?;
    let teams = svc::upload_teams(&state.store, who, org.id).await?;
    let l = Layout::new("Roosters", "organisaties", Some(&caller), &headers);
    let had_flash = l.flash.is_some();
    render(
        &ListPage {
            l,
            scans: scans
                .into_iter()
                .map(|s| ScanLine {
                    id: s.scan.id,
                    team: s.team,
                    period: format!(
                        "{} t/m {}",
                        nl::iso_date(&s.scan.period_start),
                        nl::iso_date(&s.scan.period_end)
                    ),
                    file_name: s.scan.file_name,
                    employees: s.scan.employees,
                    shifts: s.scan.shifts,
                })
                .collect(),
            teams: teams
                .into_iter()
                .map(|t| TeamOption {
                    id: t.id,
                    name: t.name,
                })
                .collect(),
            org,
        },
        had_flash,
    )
}

pub async fn upload(
    State(state): State<AppState>,
    scoped: OrgScope,
    mut multipart: Multipart,
) -> Result<Response, PageError> {
    let OrgScope { org, caller, .. } = scoped;
    let back = format!("/organisaties/{}/roosters", org.id);
    let mut team_id: Option<i64> = None;
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
        match field.name().unwrap_or("") {
            "team_id" => team_id = field.text().await.unwrap_or_default().trim().parse().ok(),
            "bestand" => {
                let name = field.file_name().unwrap_or("rooster").to_string();
                let bytes = field.bytes().await.map_err(|_| {
                    PageError::BadRequest("Het bestand kon niet worden ontvangen.".into())
                })?;
                file = Some((name, bytes.to_vec()));
            }
            _ => {}
        }
    }
    let Some(team_id) = team_id else {
        return Ok(redirect_with(
            &back,
            false,
            "Kies het team van het rooster.",
        ));
    };
    let Some((file_name, bytes)) = file.filter(|(_, b)| !b.is_empty()) else {
        return Ok(redirect_with(
            &back,
            false,
            "Kies een roosterbestand (CSV of Excel).",
        ));
    };
    let up = match svc::new_upload(
        &state.store,
        Caller::User(&caller.user),
        org.id,
        team_id,
        &file_name,
        &bytes,
    )
    .await
    {
        Ok(up) => up,
        Err(e) => return flash_error(e, &back),
    };
    let token = stash(&state)
        .put(org.id, caller.user.id, svc::UPLOAD_KIND, &up)
        .await?;
    Ok(Redirect::to(&format!(
        "/organisaties/{}/roosters/koppelen/{token}",
        org.id
    ))
    .into_response())
}

async fn take(
    state: &AppState,
    token: &str,
    org_id: i64,
    user_id: i64,
) -> Result<RosterUpload, PageError> {
    let (kind, up): (String, RosterUpload) = stash(state).get(token, org_id, user_id).await?;
    if kind != svc::UPLOAD_KIND || up.org_id != org_id || up.user_id != user_id {
        return Err(PageError::NotFound);
    }
    Ok(up)
}

pub struct ColumnChoice {
    pub index: usize,
    pub header: String,
    pub selected: bool,
}

pub struct FieldRow {
    pub key: String,
    pub label: String,
    pub required: bool,
    pub none_selected: bool,
    pub columns: Vec<ColumnChoice>,
}

#[derive(Template)]
#[template(path = "roster/mapping.html")]
struct MappingPage {
    l: Layout,
    org: Organisation,
    token: String,
    team: String,
    file_name: String,
    rows: usize,
    fields: Vec<FieldRow>,
    headers: Vec<String>,
    preview: Vec<Vec<String>>,
    errors: Vec<String>,
}

fn field_rows(up: &RosterUpload) -> Vec<FieldRow> {
    let choices = |chosen: Option<usize>| {
        up.table
            .headers
            .iter()
            .enumerate()
            .map(|(i, h)| ColumnChoice {
                index: i,
                header: h.clone(),
                selected: chosen == Some(i),
            })
            .collect()
    };
    let mut rows: Vec<FieldRow> = roster::scan::COLUMN_ROLES
        .iter()
        .map(|(key, label, required)| {
            let chosen = up.columns.get(*key).copied();
            FieldRow {
                key: (*key).to_string(),
                label: (*label).to_string(),
                required: *required,
                none_selected: chosen.is_none(),
                columns: choices(chosen),
            }
        })
        .collect();
    rows.push(FieldRow {
        key: "naam".into(),
        label: "Naam (alleen zichtbaar voor planners van het team)".into(),
        required: false,
        none_selected: up.name_column.is_none(),
        columns: choices(up.name_column),
    });
    rows
}

pub async fn mapping_page(
    State(state): State<AppState>,
    scoped: OrgScope,
    Path((_, token)): Path<(i64, String)>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let OrgScope { org, caller, .. } = scoped;
    let up = take(&state, &token, org.id, caller.user.id).await?;
    let team = state.store.team(up.team_id).await?;
    let l = Layout::new("Rooster koppelen", "organisaties", Some(&caller), &headers);
    let had_flash = l.flash.is_some();
    render(
        &MappingPage {
            l,
            token,
            team: team.name,
            file_name: up.file_name.clone(),
            rows: up.table.rows.len(),
            fields: field_rows(&up),
            headers: up.table.headers.clone(),
            preview: up
                .table
                .rows
                .iter()
                .take(8)
                .map(|r| {
                    (0..up.table.headers.len())
                        .map(|c| {
                            // Names are not shown back in the preview.
                            if Some(c) == up.name_column {
                                "(naam)".to_string()
                            } else {
                                r.get(c).display()
                            }
                        })
                        .collect()
                })
                .collect(),
            errors: up.errors.clone(),
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
    let OrgScope { org, caller, .. } = scoped;
    let mut up = take(&state, &token, org.id, caller.user.id).await?;
    let f = Fields(fields);
    let here = format!("/organisaties/{}/roosters/koppelen/{token}", org.id);
    if f.get("actie") == "annuleren" {
        let _ = stash(&state).remove(&token, org.id, caller.user.id).await;
        return Ok(redirect_with(
            &format!("/organisaties/{}/roosters", org.id),
            true,
            "Het rooster is niet ingelezen en verwijderd.",
        ));
    }
    let pick = |key: &str| -> Option<usize> {
        f.get(&format!("map_{key}"))
            .trim()
            .parse::<usize>()
            .ok()
            .filter(|i| *i < up.table.headers.len())
    };
    up.columns = roster::scan::COLUMN_ROLES
        .iter()
        .filter_map(|(k, _, _)| pick(k).map(|i| ((*k).to_string(), i)))
        .collect();
    up.name_column = pick("naam");
    up.errors.clear();
    if f.get("actie") != "inlezen" {
        stash(&state)
            .update(&token, org.id, caller.user.id, &up)
            .await?;
        return Ok(redirect_with(
            &here,
            true,
            "De kolomkeuze is bijgewerkt; bekijk het voorbeeld.",
        ));
    }
    match svc::store_upload(
        &state.store,
        &state.config.upload_key,
        Caller::User(&caller.user),
        &org,
        &up,
    )
    .await
    {
        Ok(scan) => {
            let _ = stash(&state).remove(&token, org.id, caller.user.id).await;
            Ok(redirect_with(
                &format!("/organisaties/{}/roosters/{}", org.id, scan.id),
                true,
                &format!(
                    "Ingelezen: {} diensten van {} medewerkers.",
                    scan.shifts, scan.employees
                ),
            ))
        }
        Err(app::AppError::Invalid { message, .. }) => {
            up.errors = vec![message.clone()];
            stash(&state)
                .update(&token, org.id, caller.user.id, &up)
                .await?;
            Ok(redirect_with(
                &here,
                false,
                &format!("Er is niets ingelezen: {message}"),
            ))
        }
        Err(e) => flash_error(e, &here),
    }
}

// ---------------------------------------------------------------------------------------
// The scan page.

pub struct Stat {
    pub label: String,
    pub value: String,
}

pub struct EmployeeLine {
    pub label: String,
    pub shifts: u32,
    pub hours_per_week: String,
    pub contract_per_week: String,
    pub opk_per_week: String,
    pub short: u32,
    pub split: u32,
    pub weeks_over: u32,
}

pub struct BreachLine {
    pub date: String,
    pub employee: String,
    pub rule: String,
    pub detail: String,
}

pub struct DesignLine {
    pub id: i64,
    pub status: String,
    pub seconds: i64,
    pub flatten: u32,
}

pub struct WishLine {
    pub index: usize,
    pub label: String,
    pub today: String,
    pub contract: String,
}

/// One quarter hour of the demand table: its index, "HH:MM", and (weekday, people).
type DemandRow = (usize, String, Vec<(usize, u32)>);

#[derive(Template)]
#[template(path = "roster/scan.html")]
struct ScanPage {
    l: Layout,
    org: Organisation,
    scan_id: i64,
    team: String,
    period: String,
    reading: String,
    stats: Vec<Stat>,
    lengths: String,
    mix: String,
    heatmap: String,
    shape: String,
    employees: Vec<EmployeeLine>,
    breaches: Vec<BreachLine>,
    names_shown: bool,
    can_edit: bool,
    designs: Vec<DesignLine>,
    wishes: Vec<WishLine>,
    weekdays: Vec<(usize, &'static str)>,
    demand_rows: Vec<DemandRow>,
}

pub fn rule_text(rule: &str) -> &'static str {
    match rule {
        "dienst_langer_dan_12_uur" => "dienst langer dan 12 uur (ATW art. 5:7)",
        "nachtdienst_langer_dan_10_uur" => "nachtdienst langer dan 10 uur (ATW art. 5:8)",
        "dagelijkse_rust_korter_dan_11_uur" => "dagelijkse rust korter dan 11 uur (ATW art. 5:3)",
        "meer_dan_60_uur_per_week" => "meer dan 60 uur in een week (ATW art. 5:7)",
        "gemiddeld_meer_dan_48_uur_16_weken" => {
            "gemiddeld meer dan 48 uur per week over 16 weken (ATW art. 5:7)"
        }
        "wekelijkse_rust" => "te weinig wekelijkse rust (ATW art. 5:5)",
        _ => "andere regel van de Arbeidstijdenwet",
    }
}

pub fn status_text(s: &str) -> &'static str {
    match s {
        "queued" => "wacht op een rekenplek",
        "running" => "wordt berekend",
        "done" => "klaar",
        "failed" => "mislukt",
        "cancelled" => "gestopt",
        _ => "onbekend",
    }
}

/// The staffing heatmap of a scan (weekday × hour, peaks marked).
pub fn heatmap_svg(view: &svc::ScanView) -> String {
    let desc = view
        .report
        .staffing_curve
        .iter()
        .enumerate()
        .map(|(d, row)| {
            let (h, v) =
                row.iter().enumerate().fold(
                    (0, 0.0),
                    |acc, (h, v)| if *v > acc.1 { (h, *v) } else { acc },
                );
            format!(
                "{}: drukste uur {}:00 met {} mensen",
                WEEKDAYS[d],
                h,
                nl::decimal_f64(v, 1)
            )
        })
        .collect::<Vec<_>>()
        .join("; ");
    report::chart::heatmap(&report::chart::Heatmap {
        id: "bezetting".into(),
        title: format!("Bezetting per weekdag en uur ({})", view.curve_shape),
        desc,
        row_labels: WEEKDAYS.iter().map(|d| (*d).to_string()).collect(),
        col_labels: (0..24).map(|h| h.to_string()).collect(),
        values: view.report.staffing_curve.clone(),
        marked: view.peaks.clone(),
        unit: "mensen gemiddeld".into(),
    })
}

pub async fn scan_page(
    State(state): State<AppState>,
    scoped: OrgScope,
    Path((_, scan_id)): Path<(i64, i64)>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let OrgScope { org, caller, .. } = scoped;
    let who = Caller::User(&caller.user);
    let view = svc::scan_view(
        &state.store,
        Some(&state.config.upload_key),
        who,
        org.id,
        scan_id,
    )
    .await?;
    let t = &view.report;
    let weeks = view.weeks.max(1.0 / 7.0);
    let stats = vec![
        Stat {
            label: "Medewerkers".into(),
            value: t.employees.to_string(),
        },
        Stat {
            label: "Diensten".into(),
            value: t.shifts.to_string(),
        },
        Stat {
            label: "Opkomstmomenten per week".into(),
            value: nl::decimal_f64(t.opkomstmomenten_per_week, 1),
        },
        Stat {
            label: "Opkomstmomenten per week per fte".into(),
            value: t
                .opkomstmomenten_per_week_per_fte
                .map_or("onbekend".into(), |x| nl::decimal_f64(x, 2)),
        },
        Stat {
            label: "Korte diensten (< 6 uur)".into(),
            value: format!(
                "{} ({})",
                t.short_shifts,
                nl::percent(t.short_shift_share, 0)
            ),
        },
        Stat {
            label: "Gebroken diensten".into(),
            value: t.split_shifts.to_string(),
        },
        Stat {
            label: "Structureel boven contract".into(),
            value: format!("{} medewerker(s)", t.structural_extra_employees),
        },
        Stat {
            label: "Uren boven contract".into(),
            value: nl::hours(t.extra_hours),
        },
        Stat {
            label: "Overtredingen Arbeidstijdenwet".into(),
            value: t.atw_breaches.len().to_string(),
        },
    ];
    let ld = t.length_distribution;
    let lengths = format!(
        "korter dan 4 uur: {}; 4 tot 6 uur: {}; 6 tot 8 uur: {}; 8 tot 10 uur: {}; 10 uur of meer: {}",
        ld[0], ld[1], ld[2], ld[3], ld[4]
    );
    let m = &t.mix;
    let mix = format!(
        "vroeg {}, dag {}, laat {}, nacht {}; in het weekend {}",
        m.early, m.day, m.late, m.night, m.weekend
    );
    let designs = svc::designs(&state.store, who, org.id, scan_id)
        .await?
        .into_iter()
        .map(|d| DesignLine {
            id: d.id,
            status: status_text(&d.status).into(),
            seconds: d.seconds,
            flatten: d.flatten_hours,
        })
        .collect();
    let (wishes, demand_rows) = if view.rights.edit {
        let form = svc::design_form(
            &state.store,
            Some(&state.config.upload_key),
            who,
            org.id,
            scan_id,
            0,
        )
        .await?;
        let wishes = form
            .input
            .employees
            .iter()
            .zip(&form.labels)
            .enumerate()
            .map(|(i, (e, label))| WishLine {
                index: i,
                label: label.clone(),
                today: nl::hours(e.today_hours),
                contract: e.contract_hours.map_or("onbekend".into(), nl::hours),
            })
            .collect();
        let rows = (0..roster::plan::QUARTERS)
            .map(|q| {
                (
                    q,
                    format!("{:02}:{:02}", q / 4, (q % 4) * 15),
                    (0..7)
                        .map(|d| (d, form.input.demand.quarters[d][q]))
                        .collect(),
                )
            })
            .collect();
        (wishes, rows)
    } else {
        (Vec::new(), Vec::new())
    };
    let l = Layout::new(
        &format!("Roosterscan {}", view.team.name),
        "organisaties",
        Some(&caller),
        &headers,
    );
    let had_flash = l.flash.is_some();
    render(
        &ScanPage {
            l,
            scan_id,
            team: view.team.name.clone(),
            period: format!(
                "{} t/m {} ({} weken)",
                nl::date(view.period_start),
                nl::date(view.period_end),
                nl::decimal_f64(view.weeks, 1)
            ),
            reading: view.reading.clone(),
            stats,
            lengths,
            mix,
            heatmap: heatmap_svg(&view),
            shape: view.curve_shape.to_string(),
            employees: t
                .per_employee
                .iter()
                .map(|e| EmployeeLine {
                    label: e.employee.clone(),
                    shifts: e.shifts,
                    hours_per_week: nl::hours(e.scheduled_hours / weeks),
                    contract_per_week: e
                        .contract_hours
                        .map_or("onbekend".into(), |c| nl::hours(c / weeks)),
                    opk_per_week: nl::decimal_f64(f64::from(e.opkomstmomenten) / weeks, 1),
                    short: e.short_shifts,
                    split: e.split_shifts,
                    weeks_over: e.weeks_over_contract,
                })
                .collect(),
            breaches: t
                .atw_breaches
                .iter()
                .map(|b| BreachLine {
                    date: nl::date(b.date),
                    employee: b.employee.clone(),
                    rule: rule_text(&b.rule).into(),
                    detail: b.detail.clone(),
                })
                .collect(),
            names_shown: view.names_shown,
            can_edit: view.rights.edit,
            designs,
            wishes,
            weekdays: WEEKDAYS.iter().copied().enumerate().collect(),
            demand_rows,
            org,
        },
        had_flash,
    )
}

// ---------------------------------------------------------------------------------------
// Designs.

/// Reads the design form: seconds, flattening, longer shifts, the planner's entries per
/// employee, and the demand table when it was edited.
fn design_request(f: &Fields, form: &svc::DesignForm) -> Result<svc::DesignRequest, app::AppError> {
    let seconds = match f.get("seconden").trim() {
        "" => None,
        s => Some(s.parse::<i64>().map_err(|_| {
            app::AppError::invalid("seconden", "Rekentijd: vul een aantal seconden in.")
        })?),
    };
    let flatten_hours = match f.get("vlakker").trim() {
        "" => 0,
        s => s
            .parse::<u32>()
            .map_err(|_| app::AppError::invalid("vlakker", "Vlakker maken: kies 0 tot 4 uur."))?,
    };
    let mut employees = Vec::new();
    for (i, label) in form.labels.iter().enumerate() {
        let hours = f.get(&format!("uren_{i}")).trim().replace(',', ".");
        let desired_hours = if hours.is_empty() {
            None
        } else {
            Some(hours.parse::<f64>().map_err(|_| {
                app::AppError::invalid(
                    "uren",
                    format!(
                        "{label}: gewenste uren per week moeten een getal zijn, zoals 24 of 27,5."
                    ),
                )
            })?)
        };
        let fixed_days_off: Vec<u8> = (0..7u8)
            .filter(|d| f.get(&format!("vrij_{i}_{d}")) == "1")
            .collect();
        if desired_hours.is_some() || !fixed_days_off.is_empty() {
            employees.push(svc::EmployeeWish {
                employee: label.clone(),
                desired_hours,
                fixed_days_off,
            });
        }
    }
    let edited = f.0.iter().any(|(k, _)| k.starts_with("vraag_"));
    let demand = if edited {
        let mut d = form.input.demand.quarters.clone();
        for (wd, row) in d.iter_mut().enumerate() {
            for (q, cell) in row.iter_mut().enumerate() {
                let v = f.get(&format!("vraag_{wd}_{q}")).trim();
                if v.is_empty() {
                    continue;
                }
                *cell = v.parse::<u32>().map_err(|_| {
                    app::AppError::invalid(
                        "vraag",
                        format!(
                            "Zorgvraag {} {:02}:{:02}: vul een aantal mensen in (0 of meer).",
                            WEEKDAYS[wd],
                            q / 4,
                            (q % 4) * 15
                        ),
                    )
                })?;
            }
        }
        Some(d)
    } else {
        None
    };
    Ok(svc::DesignRequest {
        seconds,
        flatten_hours,
        longer_shifts: f.get("langer") == "1",
        employees,
        demand,
        seed: None,
    })
}

pub async fn start_design(
    State(state): State<AppState>,
    scoped: OrgScope,
    Path((_, scan_id)): Path<(i64, i64)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let OrgScope { org, caller, .. } = scoped;
    let who = Caller::User(&caller.user);
    let back = format!("/organisaties/{}/roosters/{scan_id}", org.id);
    let key = Some(&state.config.upload_key);
    let form = svc::design_form(&state.store, key, who, org.id, scan_id, 0).await?;
    let req = match design_request(&Fields(fields), &form) {
        Ok(r) => r,
        Err(e) => return flash_error(e, &back),
    };
    match svc::start_design(&state.store, key, who, org.id, scan_id, &req).await {
        Ok(d) => Ok(redirect_with(
            &format!("/organisaties/{}/roosters/ontwerpen/{}", org.id, d.id),
            true,
            "Het ontwerp wordt berekend. Deze pagina toont de voortgang.",
        )),
        Err(e) => flash_error(e, &back),
    }
}

pub async fn cancel_design(
    State(state): State<AppState>,
    scoped: OrgScope,
    Path((_, design_id)): Path<(i64, i64)>,
) -> Result<Response, PageError> {
    let OrgScope { org, caller, .. } = scoped;
    let here = format!("/organisaties/{}/roosters/ontwerpen/{design_id}", org.id);
    match svc::cancel_design(&state.store, Caller::User(&caller.user), org.id, design_id).await {
        Ok(_) => Ok(redirect_with(
            &here,
            true,
            "Stoppen is gevraagd; het beste rooster tot nu toe wordt bewaard.",
        )),
        Err(e) => flash_error(e, &here),
    }
}

pub struct CompareLine {
    pub label: String,
    pub before: String,
    pub after: String,
}

pub struct PersonLine {
    pub label: String,
    pub contract: String,
    pub desired: String,
    pub before: String,
    pub after: String,
    pub opk_before: u32,
    pub opk_after: u32,
    pub short_before: u32,
    pub short_after: u32,
}

pub struct GridLine {
    pub label: String,
    pub days: Vec<String>,
}

#[derive(Template)]
#[template(path = "roster/design.html")]
struct DesignPage {
    l: Layout,
    org: Organisation,
    id: i64,
    scan_id: i64,
    team: String,
    status: String,
    running: bool,
    best: String,
    seconds_left: String,
    error: String,
    can_edit: bool,
    has_result: bool,
    found: bool,
    cancelled: bool,
    absorbed: String,
    compare: Vec<CompareLine>,
    people: Vec<PersonLine>,
    dates: Vec<String>,
    grid: Vec<GridLine>,
}

pub async fn design_page(
    State(state): State<AppState>,
    scoped: OrgScope,
    Path((_, design_id)): Path<(i64, i64)>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let OrgScope { org, caller, .. } = scoped;
    let d = svc::design_status(
        &state.store,
        Some(&state.config.upload_key),
        Caller::User(&caller.user),
        org.id,
        design_id,
    )
    .await?;
    let running = matches!(d.status.as_str(), "queued" | "running");
    let mut compare = Vec::new();
    let mut people = Vec::new();
    let mut grid = Vec::new();
    let mut dates = Vec::new();
    let (mut found, mut cancelled, mut absorbed) = (false, false, String::new());
    if let Some(r) = &d.result {
        found = r.found;
        cancelled = r.cancelled;
        absorbed = nl::hours(r.absorbed_contract_hours_per_week);
        let a = r.after.as_ref();
        let line = |label: &str, b: String, af: Option<String>| CompareLine {
            label: label.into(),
            before: b,
            after: af.unwrap_or_else(|| "–".into()),
        };
        compare = vec![
            line(
                "Opkomstmomenten",
                r.before.opkomstmomenten.to_string(),
                a.map(|x| x.opkomstmomenten.to_string()),
            ),
            line(
                "Diensten",
                r.before.shifts.to_string(),
                a.map(|x| x.shifts.to_string()),
            ),
            line(
                "Korte diensten (< 6 uur)",
                r.before.short_shifts.to_string(),
                a.map(|x| x.short_shifts.to_string()),
            ),
            line(
                "Ingeroosterde uren",
                nl::hours(r.before.scheduled_hours),
                a.map(|x| nl::hours(x.scheduled_hours)),
            ),
            line(
                "Uren onderbezetting",
                nl::hours(r.before.under_coverage_hours),
                a.map(|x| nl::hours(x.under_coverage_hours)),
            ),
            line(
                "Uren overbezetting",
                nl::hours(r.before.over_coverage_hours),
                a.map(|x| nl::hours(x.over_coverage_hours)),
            ),
            line(
                "Overtredingen Arbeidstijdenwet",
                r.before.atw_breaches.to_string(),
                a.map(|x| x.atw_breaches.to_string()),
            ),
        ];
        people = r
            .employees
            .iter()
            .map(|e| PersonLine {
                label: e.employee.clone(),
                contract: e
                    .contract_hours_per_week
                    .map_or("onbekend".into(), nl::hours),
                desired: e.desired_hours_per_week.map_or("–".into(), nl::hours),
                before: nl::hours(e.before_hours_per_week),
                after: nl::hours(e.after_hours_per_week),
                opk_before: e.before_opkomstmomenten,
                opk_after: e.after_opkomstmomenten,
                short_before: e.before_short_shifts,
                short_after: e.after_short_shifts,
            })
            .collect();
        dates = r
            .dates
            .iter()
            .map(|d| {
                use chrono::Datelike;
                format!(
                    "{} {}",
                    WEEKDAYS[d.weekday().num_days_from_monday() as usize],
                    d.format("%d-%m")
                )
            })
            .collect();
        grid = r
            .roster
            .iter()
            .map(|l| GridLine {
                label: l.employee.clone(),
                days: l.days.clone(),
            })
            .collect();
    }
    let l = Layout::new(
        &format!("Roosterontwerp {}", d.team),
        "organisaties",
        Some(&caller),
        &headers,
    );
    let had_flash = l.flash.is_some();
    render(
        &DesignPage {
            l,
            id: d.id,
            scan_id: d.scan_id,
            team: d.team.clone(),
            status: status_text(&d.status).into(),
            running,
            best: d
                .best_objective
                .map_or("nog geen".into(), |b| b.to_string()),
            seconds_left: d.seconds_left.map_or("–".into(), |s| format!("{s} s")),
            error: d.error.clone().unwrap_or_default(),
            can_edit: d.can_edit,
            has_result: d.result.is_some(),
            found,
            cancelled,
            absorbed,
            compare,
            people,
            dates,
            grid,
            org,
        },
        had_flash,
    )
}

/// The small JSON the design page polls: status, best objective, seconds left.
pub async fn design_status_json(
    State(state): State<AppState>,
    scoped: OrgScope,
    Path((_, design_id)): Path<(i64, i64)>,
) -> Result<Response, PageError> {
    let OrgScope { org, caller, .. } = scoped;
    let d = svc::design_status(
        &state.store,
        None,
        Caller::User(&caller.user),
        org.id,
        design_id,
    )
    .await?;
    Ok(axum::Json(serde_json::json!({
        "status": d.status,
        "status_text": status_text(&d.status),
        "best_objective": d.best_objective,
        "seconds_left": d.seconds_left,
        "finished": !matches!(d.status.as_str(), "queued" | "running"),
    }))
    .into_response())
}

/// A finished design with a proposal, as the caller may see it (labels or names).
async fn proposal(
    state: &AppState,
    scoped: OrgScope,
    design_id: i64,
) -> Result<(svc::DesignStatus, roster::plan::DesignResult, Organisation), PageError> {
    let OrgScope { org, caller, .. } = scoped;
    let mut d = svc::design_status(
        &state.store,
        Some(&state.config.upload_key),
        Caller::User(&caller.user),
        org.id,
        design_id,
    )
    .await?;
    let Some(r) = d.result.take().filter(|r| r.found) else {
        return Err(PageError::NotFound);
    };
    Ok((d, r, org))
}

/// The proposal in the upload's CSV layout.
pub async fn design_csv(
    State(state): State<AppState>,
    scoped: OrgScope,
    Path((_, design_id)): Path<(i64, i64)>,
) -> Result<Response, PageError> {
    let (d, r, _) = proposal(&state, scoped, design_id).await?;
    Ok(crate::parts::survey::pages::download(
        "text/csv; charset=utf-8",
        &format!("roosterontwerp-{}.csv", d.id),
        roster::plan::write_csv(&r.rows).into_bytes(),
    ))
}

/// The proposal as XLSX, with the CSV's columns.
pub async fn design_xlsx(
    State(state): State<AppState>,
    scoped: OrgScope,
    Path((_, design_id)): Path<(i64, i64)>,
) -> Result<Response, PageError> {
    let (d, r, _) = proposal(&state, scoped, design_id).await?;
    let bytes = svc::proposal_xlsx(&r.rows)?;
    Ok(crate::parts::survey::pages::download(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        &format!("roosterontwerp-{}.xlsx", d.id),
        bytes,
    ))
}

/// One week of the printable grid: its dates and a line per employee.
pub struct PrintWeek {
    pub title: String,
    pub dates: Vec<String>,
    pub lines: Vec<GridLine>,
}

#[derive(Template)]
#[template(path = "roster/print.html")]
struct PrintPage {
    l: Layout,
    org: Organisation,
    id: i64,
    team: String,
    period: String,
    weeks: Vec<PrintWeek>,
}

/// The proposal as a printable grid (employees × days, shift start–end per cell), A4
/// landscape, a table per four weeks.
pub async fn design_print(
    State(state): State<AppState>,
    scoped: OrgScope,
    Path((_, design_id)): Path<(i64, i64)>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let caller = scoped.caller.clone();
    let (d, r, org) = proposal(&state, scoped, design_id).await?;
    let cells = print_cells(&r);
    let mut weeks = Vec::new();
    for (k, chunk) in r.dates.chunks(28).enumerate() {
        let from = k * 28;
        weeks.push(PrintWeek {
            title: format!(
                "{} t/m {}",
                nl::date(chunk[0]),
                nl::date(chunk[chunk.len() - 1])
            ),
            dates: chunk
                .iter()
                .map(|d| {
                    use chrono::Datelike;
                    format!(
                        "{} {}",
                        WEEKDAYS[d.weekday().num_days_from_monday() as usize],
                        d.format("%d-%m")
                    )
                })
                .collect(),
            lines: cells
                .iter()
                .map(|(label, days)| GridLine {
                    label: label.clone(),
                    days: days[from..from + chunk.len()].to_vec(),
                })
                .collect(),
        });
    }
    let period = match (r.dates.first(), r.dates.last()) {
        (Some(a), Some(b)) => format!("{} t/m {}", nl::date(*a), nl::date(*b)),
        _ => String::new(),
    };
    let l = Layout::new(
        &format!("Rooster {} afdrukken", d.team),
        "organisaties",
        Some(&caller),
        &headers,
    );
    let had_flash = l.flash.is_some();
    render(
        &PrintPage {
            l,
            org,
            id: d.id,
            team: d.team,
            period,
            weeks,
        },
        had_flash,
    )
}

/// Per employee (in the result's order) and date: "07:00–15:00" for each shift that day
/// (several on one day joined by a comma), "" when free.
fn print_cells(r: &roster::plan::DesignResult) -> Vec<(String, Vec<String>)> {
    use std::collections::BTreeMap;
    let index: BTreeMap<chrono::NaiveDate, usize> =
        r.dates.iter().enumerate().map(|(i, d)| (*d, i)).collect();
    let mut out: Vec<(String, Vec<String>)> = r
        .roster
        .iter()
        .map(|l| (l.employee.clone(), vec![String::new(); r.dates.len()]))
        .collect();
    for row in &r.rows {
        let (Some(line), Some(&day)) = (
            out.iter_mut().find(|(e, _)| *e == row.employee),
            index.get(&row.date),
        ) else {
            continue;
        };
        let cell = &mut line.1[day];
        if !cell.is_empty() {
            cell.push_str(", ");
        }
        cell.push_str(&format!(
            // A zero-width space after the dash: the cell may wrap there on paper.
            "{}–\u{200b}{}",
            row.start.format("%H:%M"),
            row.end.format("%H:%M")
        ));
    }
    out
}
