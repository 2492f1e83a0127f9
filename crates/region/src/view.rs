//! One organisation's own view: "uw organisatie / uw sector in de regio / de regio /
//! landelijk". Only that organisation sees it; its own figures are its own data, the other
//! three columns are the published (suppressed) regional rows and the national benchmark.

use serde::{Deserialize, Serialize};

use crate::{OrgFigures, RegionError, RegionalPicture, Row, round_to};

/// The organisation's own figures (not subject to the organisation-level rules: they are
/// its own; the respondent-level rules already ran inside its Value Case).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OwnFigures {
    pub employees: u64,
    pub average_contract_hours: Option<f64>,
    pub deeltijdfactor: Option<f64>,
    pub respondents: u64,
    pub open_share: Option<f64>,
    pub open_share_ci95: Option<[f64; 2]>,
    pub potential_hours_per_week: f64,
    pub potential_fte: f64,
    pub pnil_last_12_months_cost_cents: Option<i64>,
}

/// A national benchmark figure with its source (from `hr`'s sector-benchmarks file).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NationalFigure {
    pub key: String,
    pub label: String,
    /// The figure in the unit below (24.9 hours per week; 41 percent).
    pub value: f64,
    pub unit: String,
    pub source: String,
    pub source_url: String,
    pub source_date: String,
}

/// The four columns of an organisation's own view.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OwnView {
    pub region: String,
    pub period: String,
    pub organisation: OwnFigures,
    /// The organisation's subsector in the region (numbers `None` when hidden).
    pub subsector: Row,
    /// The region's total.
    pub region_total: Row,
    /// National sector benchmarks with their sources.
    pub national: Vec<NationalFigure>,
}

/// The keys of the national benchmarks shown in the own view.
pub const NATIONAL_KEYS: [&str; 2] = [
    hr::benchmark::AVERAGE_CONTRACT_HOURS,
    "share_open_to_more_hours",
];

/// The own view of `own` (one of the organisations the picture was computed from), in the
/// period of `own`.
pub fn own_view(
    picture: &RegionalPicture,
    benchmarks: &hr::SectorBenchmarks,
    own: &OrgFigures,
) -> Result<OwnView, RegionError> {
    own.validate()?;
    let period = picture
        .trend
        .iter()
        .find(|p| p.period == own.period)
        .ok_or_else(|| RegionError::Invalid {
            org_id: own.org_id,
            problem: format!("periode {} zit niet in het regiobeeld", own.period),
        })?;
    let subsector = period
        .subsectors
        .iter()
        .find(|r| r.subsector.as_deref() == Some(own.subsector.as_str()))
        .cloned()
        .ok_or_else(|| RegionError::Invalid {
            org_id: own.org_id,
            problem: format!("sector {} zit niet in het regiobeeld", own.subsector),
        })?;
    let ratio = |a: f64, b: f64| (b > 0.0).then(|| a / b);
    let ci = (own.respondents > 0).then(|| {
        let (lo, hi) = survey::stats::wilson95(own.open_count, own.respondents);
        [round_to(lo, 4), round_to(hi, 4)]
    });
    let organisation = OwnFigures {
        employees: own.employees,
        average_contract_hours: ratio(own.contract_hours_sum, own.employees as f64)
            .map(|x| round_to(x, 1)),
        deeltijdfactor: ratio(
            own.contract_hours_sum,
            own.employees as f64 * own.fulltime_hours,
        )
        .map(|x| round_to(x, 4)),
        respondents: own.respondents,
        open_share: ratio(own.open_count as f64, own.respondents as f64).map(|x| round_to(x, 4)),
        open_share_ci95: ci,
        potential_hours_per_week: round_to(own.potential_hours_per_week, 1),
        potential_fte: round_to(own.potential_fte, 2),
        pnil_last_12_months_cost_cents: own.pnil_last_12_months_cost_cents,
    };
    let national = NATIONAL_KEYS
        .iter()
        .filter_map(|k| benchmarks.figure(k))
        .map(|f| NationalFigure {
            key: f.key.clone(),
            label: f.label_nl.clone(),
            value: f.value.to_string().parse().unwrap_or(0.0),
            unit: f.unit.clone(),
            source: f.source.clone(),
            source_url: f.source_url.clone(),
            source_date: f.source_date.clone(),
        })
        .collect();
    Ok(OwnView {
        region: picture.region.clone(),
        period: period.period.clone(),
        organisation,
        subsector,
        region_total: period.total.clone(),
        national,
    })
}
