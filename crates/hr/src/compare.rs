//! Comparing two snapshots of one organisation per (pseudonymous) employee.

use crate::bands::{fte, round_fte, round_hours, to_f64};
use crate::extract::Employee;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// What happened to one employee's contract between two snapshots.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    Grown,
    Shrunk,
    Unchanged,
    Joined,
    Left,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EmployeeChange {
    pub pseudonym: String,
    pub change: Change,
    /// Contract hours in the first snapshot (`None`: not there).
    pub hours_from: Option<f64>,
    pub hours_to: Option<f64>,
    /// Team in the later snapshot, or in the first for someone who left.
    pub team: Option<String>,
}

/// The comparison. Hours are contract hours per week; FTE at the organisation's
/// full-time hours, computed from the exact hour totals and rounded once to one decimal
/// (105 h / 36 = 2.9166… → 2.9).
///
/// JSON: `{"contracts_grown": 27, "hours_added": 105.0, "fte_added": 2.9,
/// "contracts_shrunk": 1, "hours_removed": 4.0, "fte_removed": 0.1, "joined": 2,
/// "left": 1, "unchanged": 30, "hours_joined": 48.0, "hours_left": 20.0,
/// "net_hours": 129.0, "net_fte": 3.6, "full_time_hours": 36.0, "employees": […]}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SnapshotComparison {
    pub contracts_grown: usize,
    /// Sum of the increases of grown contracts.
    pub hours_added: f64,
    pub fte_added: f64,
    pub contracts_shrunk: usize,
    /// Sum of the decreases of shrunk contracts (a positive number).
    pub hours_removed: f64,
    pub fte_removed: f64,
    pub joined: usize,
    pub left: usize,
    pub unchanged: usize,
    /// Contract hours of those who joined / left.
    pub hours_joined: f64,
    pub hours_left: f64,
    /// Total hours in the later snapshot minus the first.
    pub net_hours: f64,
    pub net_fte: f64,
    pub full_time_hours: f64,
    /// Per employee, sorted by change then pseudonym.
    pub employees: Vec<EmployeeChange>,
}

/// Compare snapshot `from` with snapshot `to`. Employees are matched by pseudonym, so both
/// snapshots must be pseudonymised with the same organisation key.
pub fn compare_snapshots(
    from: &[Employee],
    to: &[Employee],
    full_time_hours: Decimal,
) -> SnapshotComparison {
    compare(from, to, full_time_hours, true)
}

/// The comparison's totals only, without the per-employee list (`employees` is empty):
/// what a page shows, without a record per employee (100,000 of them in a large
/// organisation).
pub fn compare_snapshot_totals(
    from: &[Employee],
    to: &[Employee],
    full_time_hours: Decimal,
) -> SnapshotComparison {
    compare(from, to, full_time_hours, false)
}

fn compare(
    from: &[Employee],
    to: &[Employee],
    full_time_hours: Decimal,
    per_employee: bool,
) -> SnapshotComparison {
    let before: HashMap<&str, &Employee> = from.iter().map(|e| (e.pseudonym.as_str(), e)).collect();
    let after: HashMap<&str, &Employee> = to.iter().map(|e| (e.pseudonym.as_str(), e)).collect();
    let mut added = Decimal::ZERO;
    let mut removed = Decimal::ZERO;
    let mut hours_joined = Decimal::ZERO;
    let mut hours_left = Decimal::ZERO;
    let mut counts = [0usize; 5];
    let mut employees = Vec::with_capacity(if per_employee {
        from.len().max(to.len())
    } else {
        0
    });
    for e in to {
        let earlier = before.get(e.pseudonym.as_str());
        let change = match earlier {
            None => {
                hours_joined += e.contract_hours;
                Change::Joined
            }
            Some(b) => {
                let diff = e.contract_hours - b.contract_hours;
                if diff > Decimal::ZERO {
                    added += diff;
                    Change::Grown
                } else if diff < Decimal::ZERO {
                    removed -= diff;
                    Change::Shrunk
                } else {
                    Change::Unchanged
                }
            }
        };
        counts[change as usize] += 1;
        if per_employee {
            employees.push(EmployeeChange {
                pseudonym: e.pseudonym.clone(),
                change,
                hours_from: earlier.map(|b| to_f64(b.contract_hours)),
                hours_to: Some(to_f64(e.contract_hours)),
                team: e.team.clone(),
            });
        }
    }
    for b in from {
        if !after.contains_key(b.pseudonym.as_str()) {
            hours_left += b.contract_hours;
            counts[Change::Left as usize] += 1;
            if per_employee {
                employees.push(EmployeeChange {
                    pseudonym: b.pseudonym.clone(),
                    change: Change::Left,
                    hours_from: Some(to_f64(b.contract_hours)),
                    hours_to: None,
                    team: b.team.clone(),
                });
            }
        }
    }
    employees.sort_by(|a, b| {
        a.change
            .cmp(&b.change)
            .then_with(|| a.pseudonym.cmp(&b.pseudonym))
    });
    let count = |c: Change| counts[c as usize];
    let total_from: Decimal = from.iter().map(|e| e.contract_hours).sum();
    let total_to: Decimal = to.iter().map(|e| e.contract_hours).sum();
    let net = total_to - total_from;
    SnapshotComparison {
        contracts_grown: count(Change::Grown),
        hours_added: to_f64(round_hours(added)),
        fte_added: to_f64(round_fte(fte(added, full_time_hours))),
        contracts_shrunk: count(Change::Shrunk),
        hours_removed: to_f64(round_hours(removed)),
        fte_removed: to_f64(round_fte(fte(removed, full_time_hours))),
        joined: count(Change::Joined),
        left: count(Change::Left),
        unchanged: count(Change::Unchanged),
        hours_joined: to_f64(round_hours(hours_joined)),
        hours_left: to_f64(round_hours(hours_left)),
        net_hours: to_f64(round_hours(net)),
        net_fte: to_f64(round_fte(fte(net, full_time_hours))),
        full_time_hours: to_f64(full_time_hours),
        employees,
    }
}
