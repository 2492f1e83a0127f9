//! The region pages: the list of regions a user may see, the regional picture, and an
//! organisation's own view.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use store::Role;

use super::{Cell, MEASURES, row_cells, subsector_label, today};
use crate::auth::Auth;
use crate::page::{Layout, render};
use crate::{AppState, PageError};
use report::nl as format;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/regio", get(list))
        .route("/regio/{id}", get(picture))
        .route("/organisaties/{id}/regio", get(own_view))
}

pub struct RegionLink {
    pub id: i64,
    pub name: String,
}

#[derive(Template)]
#[template(path = "region/list.html")]
struct ListPage {
    l: Layout,
    regions: Vec<RegionLink>,
}

async fn list(
    State(state): State<AppState>,
    Auth(session): Auth,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let regions = app::region::visible_regions(&state.store, &session.user).await?;
    if let [only] = regions.as_slice() {
        return Ok(Redirect::to(&format!("/regio/{}", only.id)).into_response());
    }
    let l = Layout::new("Regio", "regio", Some(&session), &headers);
    let had_flash = l.flash.is_some();
    let regions = regions
        .into_iter()
        .map(|r| RegionLink {
            id: r.id,
            name: r.name,
        })
        .collect();
    render(&ListPage { l, regions }, had_flash)
}

/// One measure across the columns.
pub struct MeasureRow {
    pub label: &'static str,
    pub cells: Vec<Cell>,
}

/// One period of the trend: the whole region's main figures.
pub struct TrendRow {
    pub period: String,
    pub cells: Vec<Cell>,
}

#[derive(Template)]
#[template(path = "region/picture.html")]
struct PicturePage {
    l: Layout,
    region: String,
    period: String,
    min_orgs: u32,
    dominance_percent: u32,
    columns: Vec<String>,
    rows: Vec<MeasureRow>,
    trend: Vec<TrendRow>,
    without_results: Vec<String>,
    without_results_count: usize,
    show_names: bool,
    /// Open share per subsector and for the region (`report::chart`), hidden bars say why.
    open_svg: String,
}

/// Turns rows (subsectors, then the total) into one table with a column per row.
fn table(
    rows: &[&region::Row],
    labels: &std::collections::BTreeMap<String, String>,
) -> Vec<MeasureRow> {
    let mut columns: Vec<std::vec::IntoIter<Cell>> = rows
        .iter()
        .map(|r| row_cells(r, labels).into_iter())
        .collect();
    MEASURES
        .iter()
        .map(|label| MeasureRow {
            label,
            cells: columns.iter_mut().filter_map(|c| c.next()).collect(),
        })
        .collect()
}

async fn picture(
    State(state): State<AppState>,
    Auth(session): Auth,
    Path(id): Path<i64>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let p = app::region::picture_for(&state.store, &session.user, id, today()).await?;
    let rows: Vec<&region::Row> = p
        .picture
        .subsectors
        .iter()
        .chain(std::iter::once(&p.picture.total))
        .collect();
    let columns = rows
        .iter()
        .map(|r| subsector_label(r.subsector.as_deref()))
        .collect();
    let trend = if p.picture.trend.len() > 1 {
        p.picture
            .trend
            .iter()
            .map(|t| TrendRow {
                period: t.period.clone(),
                cells: row_cells(&t.total, &p.labels).into_iter().take(7).collect(),
            })
            .collect()
    } else {
        Vec::new()
    };
    let bars: Vec<report::chart::Bar> = rows
        .iter()
        .map(|r| report::chart::Bar {
            label: subsector_label(r.subsector.as_deref()),
            value: r.open_share.map(|s| s * 100.0),
            value_label: r
                .open_share
                .map_or_else(|| "niet getoond".to_string(), |s| format::percent(s, 0)),
        })
        .collect();
    let open_svg = report::chart::bar_chart(
        "regio-open",
        &format!("Open voor meer uren in {}", p.region.name),
        "Aandeel respondenten dat meer uren wil werken (zeker of onder voorwaarden), per subsector en voor de hele regio",
        &bars,
        None,
    );
    let title = format!("Regiobeeld {}", p.region.name);
    let l = Layout::new(&title, "regio", Some(&session), &headers);
    let had_flash = l.flash.is_some();
    render(
        &PicturePage {
            l,
            region: p.region.name.clone(),
            period: p.picture.period.clone().unwrap_or_else(|| "–".into()),
            min_orgs: p.picture.policy.min_orgs,
            dominance_percent: p.picture.policy.dominance_percent,
            rows: table(&rows, &p.labels),
            columns,
            trend,
            without_results_count: p.without_results.len(),
            // Names of organisations still without results: for the programme only; a
            // regio-lezer and an organisation see the number.
            show_names: session.user.role == Role::ProgrammeAdmin,
            without_results: p.without_results,
            open_svg,
        },
        had_flash,
    )
}

/// One line of the own view: the organisation, its subsector, the region, the country.
pub struct OwnLine {
    pub label: &'static str,
    pub own: String,
    pub subsector: Cell,
    pub region: Cell,
}

pub struct National {
    pub label: String,
    pub value: String,
    pub source: String,
    pub source_url: String,
    pub source_date: String,
}

#[derive(Template)]
#[template(path = "region/own.html")]
struct OwnPage {
    l: Layout,
    org_id: i64,
    org_name: String,
    region: String,
    subsector: String,
    period: String,
    lines: Vec<OwnLine>,
    national: Vec<National>,
    has_results: bool,
    /// Average contract hours: the organisation, its subsector, the region; the national
    /// figure as the reference line.
    hours_svg: String,
}

async fn own_view(
    State(state): State<AppState>,
    Auth(session): Auth,
    Path(id): Path<i64>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let user = &session.user;
    let found =
        app::region::own_view_for(&state.store, app::access::Caller::User(user), id, today())
            .await?;
    let org = state.store.organisation(id).await?;
    let subsector = org.subsector.label().to_string();
    let no_labels = std::collections::BTreeMap::new();
    let (region, period, lines, national, has_results, hours_svg) = match found {
        None => (
            state.store.organisation_region(id).await?.name,
            String::new(),
            Vec::new(),
            Vec::new(),
            false,
            String::new(),
        ),
        Some((region, v)) => {
            let bar = |label: String, value: Option<f64>| report::chart::Bar {
                label,
                value,
                value_label: value.map_or_else(|| "niet getoond".to_string(), format::hours),
            };
            let reference = v
                .national
                .iter()
                .find(|n| n.key == "average_contract_hours")
                .map(|n| report::chart::Reference {
                    value: n.value,
                    label: format!("landelijk {}", format::hours(n.value)),
                });
            let hours_svg = report::chart::bar_chart(
                "eigen-uren",
                "Gemiddelde contracturen per week",
                "Uw organisatie naast uw sector in de regio en de hele regio; de lijn is het landelijke gemiddelde",
                &[
                    bar(
                        "Uw organisatie".into(),
                        v.organisation.average_contract_hours,
                    ),
                    bar("Uw sector".into(), v.subsector.average_contract_hours),
                    bar(region.name.clone(), v.region_total.average_contract_hours),
                ],
                reference.as_ref(),
            );
            let o = &v.organisation;
            let own = vec![
                format::number(o.employees as f64, 0),
                o.average_contract_hours.map_or("–".into(), format::hours),
                o.deeltijdfactor
                    .map_or("–".into(), |d| format::number(d, 2)),
                format::number(o.respondents as f64, 0),
                o.open_share.map_or("–".into(), |s| format::percent(s, 0)),
                format::number(o.potential_fte, 1),
                o.pnil_last_12_months_cost_cents
                    .map_or("–".into(), |c| format::euro(c as f64 / 100.0)),
            ];
            // The same measures of the subsector and region rows (see `row_cells`).
            let pick = |row: &region::Row| -> Vec<Cell> {
                row_cells(row, &no_labels)
                    .into_iter()
                    .enumerate()
                    .filter(|(i, _)| [1, 2, 3, 4, 5, 6, 8].contains(i))
                    .map(|(_, c)| c)
                    .collect()
            };
            let labels = [
                "Medewerkers",
                "Gemiddelde contracturen per week",
                "Deeltijdfactor",
                "Respondenten",
                "Open voor meer uren",
                "Potentieel (fte)",
                "PNIL-kosten laatste 12 maanden",
            ];
            let lines = labels
                .into_iter()
                .zip(own)
                .zip(pick(&v.subsector).into_iter().zip(pick(&v.region_total)))
                .map(|((label, own), (subsector, region))| OwnLine {
                    label,
                    own,
                    subsector,
                    region,
                })
                .collect();
            let national = v
                .national
                .iter()
                .map(|n| National {
                    label: n.label.clone(),
                    value: format!("{} {}", format::number(n.value, 1), n.unit),
                    source: n.source.clone(),
                    source_url: n.source_url.clone(),
                    source_date: n.source_date.clone(),
                })
                .collect();
            (
                region.name,
                v.period.clone(),
                lines,
                national,
                true,
                hours_svg,
            )
        }
    };
    let title = format!("{} in {region}", org.name);
    let l = Layout::new(&title, "organisaties", Some(&session), &headers);
    let had_flash = l.flash.is_some();
    render(
        &OwnPage {
            l,
            org_id: id,
            org_name: org.name,
            region,
            subsector,
            period,
            lines,
            national,
            has_results,
            hours_svg,
        },
        had_flash,
    )
}
