//! The hours gap: how many FTE it yields if contracts below a threshold grow.

use crate::bands::{fte, round_fte, round_hours, to_f64};
use crate::extract::Employee;
use crate::picture::grouped;
use crate::suppress::Suppression;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// How contracts below the threshold grow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "hours", rename_all = "snake_case")]
pub enum Growth {
    /// Every contract below the threshold grows by this many hours.
    By(Decimal),
    /// Every contract below the threshold grows to this size (if it is bigger).
    To(Decimal),
}

/// A scenario, e.g. "everyone under 24 h + 4 h":
/// `GapScenario { below_hours: 24, growth: Growth::By(4), include_zero_hours: false }`.
/// No contract grows beyond the full-time hours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct GapScenario {
    /// Contracts with fewer hours than this grow (strictly below).
    pub below_hours: Decimal,
    pub growth: Growth,
    /// Whether 0-hour contracts (on-call) take part. Default false: an on-call worker
    /// taking a contract is a different conversation from a contract growing.
    #[serde(default)]
    pub include_zero_hours: bool,
}

/// Figures of the gap for a group. Hours 2 decimals, FTE 1 decimal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GapFigures {
    pub headcount: usize,
    /// Contracts that would grow.
    pub contracts_growing: usize,
    pub current_hours: f64,
    pub hours_added: f64,
    pub current_fte: f64,
    pub fte_added: f64,
    pub new_fte: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GapGroup {
    pub team: Option<String>,
    pub label: String,
    pub figures: Option<GapFigures>,
    pub suppressed: Option<Suppression>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HoursGap {
    pub scenario: GapScenario,
    pub full_time_hours: f64,
    /// `None` when the organisation is smaller than `k`.
    pub total: Option<GapFigures>,
    pub by_team: Vec<GapGroup>,
}

/// Extra hours for one contract under a scenario.
pub fn extra_hours(hours: Decimal, s: &GapScenario, full_time_hours: Decimal) -> Decimal {
    if hours >= s.below_hours || (hours.is_zero() && !s.include_zero_hours) {
        return Decimal::ZERO;
    }
    let target = match s.growth {
        Growth::By(h) => hours + h,
        Growth::To(t) => t,
    };
    (target.min(full_time_hours.max(hours)) - hours).max(Decimal::ZERO)
}

fn gap_figures(emps: &[&Employee], s: &GapScenario, ft: Decimal) -> GapFigures {
    let current: Decimal = emps.iter().map(|e| e.contract_hours).sum();
    let extras: Vec<Decimal> = emps
        .iter()
        .map(|e| extra_hours(e.contract_hours, s, ft))
        .collect();
    let added: Decimal = extras.iter().copied().sum();
    GapFigures {
        headcount: emps.len(),
        contracts_growing: extras.iter().filter(|x| !x.is_zero()).count(),
        current_hours: to_f64(round_hours(current)),
        hours_added: to_f64(round_hours(added)),
        current_fte: to_f64(round_fte(fte(current, ft))),
        fte_added: to_f64(round_fte(fte(added, ft))),
        new_fte: to_f64(round_fte(fte(current + added, ft))),
    }
}

/// The hours gap for the organisation and per team, with team suppression at `k`.
pub fn hours_gap(
    employees: &[Employee],
    scenario: &GapScenario,
    full_time_hours: Decimal,
    k: usize,
) -> HoursGap {
    let k = k.max(1);
    let all: Vec<&Employee> = employees.iter().collect();
    let total = (all.len() >= k).then(|| gap_figures(&all, scenario, full_time_hours));
    let by_team = grouped(
        employees.iter().map(|e| (e.team.clone(), e)),
        k,
        |key| match key {
            None => (1, 0, String::new()),
            Some(t) => (0, 0, t.to_lowercase()),
        },
        |m| gap_figures(m, scenario, full_time_hours),
    )
    .into_iter()
    .map(|(team, figures, suppressed)| GapGroup {
        label: team.clone().unwrap_or_else(|| "onbekend".to_owned()),
        team,
        figures,
        suppressed,
    })
    .collect();
    HoursGap {
        scenario: *scenario,
        full_time_hours: to_f64(full_time_hours),
        total,
        by_team,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn growth_rules() {
        let ft = d("36");
        let by4 = GapScenario {
            below_hours: d("24"),
            growth: Growth::By(d("4")),
            include_zero_hours: false,
        };
        assert_eq!(extra_hours(d("20"), &by4, ft), d("4"));
        assert_eq!(extra_hours(d("23.5"), &by4, ft), d("4"));
        assert_eq!(extra_hours(d("24"), &by4, ft), d("0"));
        assert_eq!(extra_hours(d("0"), &by4, ft), d("0"));
        let with_zero = GapScenario {
            include_zero_hours: true,
            ..by4
        };
        assert_eq!(extra_hours(d("0"), &with_zero, ft), d("4"));
        let to28 = GapScenario {
            below_hours: d("28"),
            growth: Growth::To(d("28")),
            include_zero_hours: false,
        };
        assert_eq!(extra_hours(d("16"), &to28, ft), d("12"));
        assert_eq!(extra_hours(d("30"), &to28, ft), d("0"));
        // Never past full time.
        let big = GapScenario {
            below_hours: d("36"),
            growth: Growth::By(d("8")),
            include_zero_hours: false,
        };
        assert_eq!(extra_hours(d("32"), &big, ft), d("4"));
    }
}
