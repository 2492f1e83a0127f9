//! The contract picture of one snapshot: headcount, FTE, averages and the distribution
//! over contract-hour bands, for the whole organisation and broken down by team,
//! function, FWG scale, age band and contract kind, with small groups suppressed.

use crate::bands::{HoursBand, fte, round_factor, round_fte, round_hours, to_f64};
use crate::extract::{ContractKind, Employee};
use crate::pseudo::AgeBand;
use crate::suppress::{DEFAULT_MIN_GROUP_SIZE, Suppression, suppress};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Options for the picture.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PictureOptions {
    /// The organisation's full-time hours per week (36 in the care CAOs).
    pub full_time_hours: Decimal,
    /// Minimum group size `k`: a group with fewer people shows no figures.
    pub min_group_size: usize,
}

impl Default for PictureOptions {
    fn default() -> Self {
        Self {
            full_time_hours: Decimal::from(36),
            min_group_size: DEFAULT_MIN_GROUP_SIZE,
        }
    }
}

/// Figures for one group. Rounded for display: hours 2 decimals, FTE 1 decimal,
/// factor 3 decimals, shares 3 decimals (0.125 = 12,5 %).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Figures {
    pub headcount: usize,
    /// Sum of contract hours per week.
    pub total_hours: f64,
    pub fte: f64,
    pub average_hours: f64,
    pub average_part_time_factor: f64,
    /// All eight bands in order, also those with count 0.
    pub bands: Vec<BandCount>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BandCount {
    pub band: HoursBand,
    /// "< 12", "12–16", …, "≥ 36"
    pub label: String,
    pub count: usize,
    /// Share of the group's headcount, 0..=1.
    pub share: f64,
}

/// A breakdown dimension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    Team,
    Function,
    FwgScale,
    AgeBand,
    ContractKind,
}

impl Dimension {
    pub const ALL: [Dimension; 5] = [
        Dimension::Team,
        Dimension::Function,
        Dimension::FwgScale,
        Dimension::AgeBand,
        Dimension::ContractKind,
    ];

    pub fn label_nl(self) -> &'static str {
        match self {
            Dimension::Team => "team",
            Dimension::Function => "functie",
            Dimension::FwgScale => "FWG-schaal",
            Dimension::AgeBand => "leeftijd",
            Dimension::ContractKind => "soort contract",
        }
    }
}

/// One group of a breakdown. `figures` is `None` when suppressed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Group {
    /// Stable key: the team/function/scale text, or the serde name of the age band or
    /// contract kind; `None` for people without a value.
    pub key: Option<String>,
    /// Dutch label; "onbekend" for `key: None`.
    pub label: String,
    pub figures: Option<Figures>,
    pub suppressed: Option<Suppression>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Breakdown {
    pub dimension: Dimension,
    pub groups: Vec<Group>,
}

impl Breakdown {
    pub fn group(&self, key: Option<&str>) -> Option<&Group> {
        self.groups.iter().find(|g| g.key.as_deref() == key)
    }
}

/// The whole picture.
///
/// JSON (abridged): `{"full_time_hours": 36.0, "min_group_size": 5, "total": {"headcount":
/// 60, "total_hours": 1494.0, "fte": 41.5, "average_hours": 24.9,
/// "average_part_time_factor": 0.692, "bands": [{"band": "lt_12", "label": "< 12",
/// "count": 3, "share": 0.05}, …]}, "breakdowns": [{"dimension": "team", "groups":
/// [{"key": "Zon", "label": "Zon", "figures": {…}, "suppressed": null}, …]}, …]}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContractPicture {
    pub full_time_hours: f64,
    pub min_group_size: usize,
    /// `None` when the organisation has fewer than `min_group_size` employees.
    pub total: Option<Figures>,
    pub breakdowns: Vec<Breakdown>,
}

impl ContractPicture {
    pub fn breakdown(&self, d: Dimension) -> Option<&Breakdown> {
        self.breakdowns.iter().find(|b| b.dimension == d)
    }
}

/// Exact figures of a set of employees (unrounded), before display.
pub(crate) fn figures(emps: &[&Employee], full_time_hours: Decimal) -> Figures {
    let n = emps.len();
    let total: Decimal = emps.iter().map(|e| e.contract_hours).sum();
    let factor_sum: Decimal = emps.iter().map(|e| e.part_time_factor).sum();
    let mut counts = [0usize; 8];
    for e in emps {
        counts[HoursBand::of(e.contract_hours) as usize] += 1;
    }
    let nd = Decimal::from(n.max(1));
    Figures {
        headcount: n,
        total_hours: to_f64(round_hours(total)),
        fte: to_f64(round_fte(fte(total, full_time_hours))),
        average_hours: to_f64(round_hours(total / nd)),
        average_part_time_factor: to_f64(round_factor(factor_sum / nd)),
        bands: HoursBand::ALL
            .iter()
            .zip(counts)
            .map(|(&band, count)| BandCount {
                band,
                label: band.label().to_owned(),
                count,
                share: to_f64(round_factor(Decimal::from(count) / nd)),
            })
            .collect(),
    }
}

/// The key of an employee in a dimension.
fn key_of(e: &Employee, d: Dimension) -> Option<String> {
    match d {
        Dimension::Team => e.team.clone(),
        Dimension::Function => e.function.clone(),
        Dimension::FwgScale => e.fwg_scale.clone(),
        Dimension::AgeBand => e.age_band.map(age_key),
        Dimension::ContractKind => e.contract_kind.map(kind_key),
    }
}

fn age_key(a: AgeBand) -> String {
    a.key().to_owned()
}

fn kind_key(k: ContractKind) -> String {
    k.label_nl().to_owned()
}

fn label_of(d: Dimension, key: &Option<String>) -> String {
    match key {
        None => "onbekend".to_owned(),
        Some(k) => match d {
            Dimension::AgeBand => AgeBand::ALL
                .into_iter()
                .find(|a| &age_key(*a) == k)
                .map_or_else(|| k.clone(), |a| a.label_nl().to_owned()),
            Dimension::ContractKind => ContractKind::ALL
                .into_iter()
                .find(|c| &kind_key(*c) == k)
                .map_or_else(|| k.clone(), |c| c.label_nl().to_owned()),
            _ => k.clone(),
        },
    }
}

/// Order of groups: age bands and contract kinds in their natural order, text keys
/// alphabetically (case-insensitive); "onbekend" last.
fn order_key(d: Dimension, key: &Option<String>) -> (u8, usize, String) {
    match key {
        None => (1, 0, String::new()),
        Some(k) => {
            let rank = match d {
                Dimension::AgeBand => AgeBand::ALL.iter().position(|a| &age_key(*a) == k),
                Dimension::ContractKind => {
                    ContractKind::ALL.iter().position(|c| &kind_key(*c) == k)
                }
                _ => None,
            };
            (0, rank.unwrap_or(0), k.to_lowercase())
        }
    }
}

/// Group employees by a key and apply suppression.
pub(crate) fn grouped<'a, T>(
    items: impl IntoIterator<Item = (Option<String>, &'a Employee)>,
    k: usize,
    order: impl Fn(&Option<String>) -> (u8, usize, String),
    make: impl Fn(&[&'a Employee]) -> T,
) -> Vec<(Option<String>, Option<T>, Option<Suppression>)> {
    let mut groups: BTreeMap<Option<String>, Vec<&'a Employee>> = BTreeMap::new();
    for (key, e) in items {
        groups.entry(key).or_default().push(e);
    }
    let mut list: Vec<(Option<String>, Vec<&Employee>)> = groups.into_iter().collect();
    list.sort_by_key(|(key, _)| order(key));
    let sizes: Vec<usize> = list.iter().map(|(_, v)| v.len()).collect();
    let sup = suppress(&sizes, k);
    list.into_iter()
        .zip(sup)
        .map(|((key, members), s)| {
            let figures = s.is_none().then(|| make(&members));
            (key, figures, s)
        })
        .collect()
}

/// The figures of all employees together, without the breakdowns (what an overview
/// shows): exactly `contract_picture(…).total`, `None` under the minimum group size.
pub fn contract_total(employees: &[Employee], opts: &PictureOptions) -> Option<Figures> {
    let k = opts.min_group_size.max(1);
    let all: Vec<&Employee> = employees.iter().collect();
    (all.len() >= k).then(|| figures(&all, opts.full_time_hours))
}

/// Compute the contract picture of a snapshot.
pub fn contract_picture(employees: &[Employee], opts: &PictureOptions) -> ContractPicture {
    let k = opts.min_group_size.max(1);
    let total = contract_total(employees, opts);
    let breakdowns = Dimension::ALL
        .into_iter()
        .map(|d| Breakdown {
            dimension: d,
            groups: grouped(
                employees.iter().map(|e| (key_of(e, d), e)),
                k,
                |key| order_key(d, key),
                |m| figures(m, opts.full_time_hours),
            )
            .into_iter()
            .map(|(key, figures, suppressed)| Group {
                label: label_of(d, &key),
                key,
                figures,
                suppressed,
            })
            .collect(),
        })
        .collect();
    ContractPicture {
        full_time_hours: to_f64(opts.full_time_hours),
        min_group_size: k,
        total,
        breakdowns,
    }
}
