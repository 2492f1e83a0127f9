//! Measuring a goal from the data, and its progress.

use chrono::NaiveDate;
use hr::Employee;
use hr::pnil::{PnilEntry, YearMonth};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::Serialize;

use crate::kind::{GoalKind, Source};

/// One HR snapshot: its peildatum and pseudonymous employees.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    pub peildatum: NaiveDate,
    pub employees: Vec<Employee>,
}

/// The summary of one roster scan (organisation level).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RosterScan {
    pub scanned_on: NaiveDate,
    pub employees: u64,
    pub shifts: u64,
    pub short_shift_share: f64,
}

/// One respondent of a closed survey round, reduced to what goals measure.
#[derive(Debug, Clone, PartialEq)]
pub struct SurveyAnswer {
    pub team: Option<String>,
    /// Open to a bigger contract (certainly or under conditions); `None`: not answered.
    pub open: Option<bool>,
    /// Satisfaction with the roster, 1–5; `None`: not answered.
    pub schedule_satisfaction: Option<f64>,
}

/// A closed survey round.
#[derive(Debug, Clone, PartialEq)]
pub struct SurveyRound {
    pub closes_on: NaiveDate,
    pub answers: Vec<SurveyAnswer>,
}

/// A contract request as goals count it: no name, no contact.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestFact {
    pub team: Option<String>,
    pub created_on: NaiveDate,
    /// When it reached "akkoord" (or "verwerkt"); `None` while not accepted.
    pub accepted_on: Option<NaiveDate>,
    pub hours_agreed: Option<f64>,
}

/// Everything of one organisation that goals are measured from.
#[derive(Debug, Clone, Default)]
pub struct Data {
    pub full_time_hours: Decimal,
    /// The organisation's minimum group size (k).
    pub min_group_size: usize,
    /// Sorted by peildatum.
    pub snapshots: Vec<Snapshot>,
    pub pnil: Vec<PnilEntry>,
    /// Sorted by date.
    pub roster_scans: Vec<RosterScan>,
    /// Closed rounds of the employees' questionnaire, sorted by close date.
    pub survey_rounds: Vec<SurveyRound>,
    pub requests: Vec<RequestFact>,
}

/// A goal as set: for `manual` goals also the baseline value and the values entered.
#[derive(Debug, Clone, PartialEq)]
pub struct Goal {
    pub kind: GoalKind,
    /// Team name (scope); `None`: the whole organisation.
    pub team: Option<String>,
    pub baseline_date: NaiveDate,
    pub target: f64,
    pub deadline: NaiveDate,
    /// Only for `manual` goals (others are measured).
    pub baseline_value: Option<f64>,
    /// Only for `manual` goals.
    pub manual_values: Vec<Point>,
}

/// A measured value on a date.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Point {
    pub date: NaiveDate,
    pub value: f64,
}

/// A goal's measurement: the baseline and the later values (dates ascending). `hidden`:
/// the scope has fewer people than the minimum group size on the way, so no value of it
/// is shown.
#[derive(Debug, Clone, PartialEq, Default)]
struct Series {
    baseline: Option<Point>,
    points: Vec<Point>,
    hidden: bool,
}

/// A goal's progress as pages, API, command line and the report show it.
///
/// JSON: `{"kind": "fte_added", "team": null, "baseline": 0.0, "baseline_at":
/// "2026-01-01", "target": 2.9, "deadline": "2026-07-01", "measured": 2.9,
/// "measured_at": "2026-07-01", "progress": 1.0, "on_track": true, "expected": 2.9,
/// "suppressed": false, "trend": [{"date": …, "value": …}]}`. `progress` is a fraction
/// (1.0 = target reached); `null` fields mean "no measurement".
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GoalProgress {
    pub kind: GoalKind,
    pub team: Option<String>,
    pub baseline: Option<f64>,
    pub baseline_at: Option<NaiveDate>,
    pub target: f64,
    pub deadline: NaiveDate,
    pub measured: Option<f64>,
    pub measured_at: Option<NaiveDate>,
    pub progress: Option<f64>,
    pub on_track: Option<bool>,
    /// Where the straight path from baseline to target is on `measured_at`.
    pub expected: Option<f64>,
    /// A team below the minimum group size: nothing measured is shown.
    pub suppressed: bool,
    /// Baseline first, then every later measurement up to the "as of" date.
    pub trend: Vec<Point>,
}

/// Contract changes between two snapshots (the JSON's `contracts`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ContractChanges {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub grown: usize,
    pub hours_added: f64,
    pub fte_added: f64,
    pub shrunk: usize,
    pub hours_removed: f64,
    pub joined: usize,
    pub left: usize,
}

fn same_team(a: Option<&str>, b: &str) -> bool {
    a.is_some_and(|a| a.trim().eq_ignore_ascii_case(b.trim()))
}

fn in_scope(emps: &[Employee], team: Option<&str>) -> Vec<Employee> {
    emps.iter()
        .filter(|e| team.is_none_or(|t| same_team(e.team.as_deref(), t)))
        .cloned()
        .collect()
}

fn to_f64(d: Decimal) -> f64 {
    d.to_f64().unwrap_or(0.0)
}

fn round(v: f64, decimals: i32) -> f64 {
    let f = 10f64.powi(decimals);
    (v * f).round() / f
}

/// The index of the baseline among dated items: the latest on or before `date`, else
/// the first one.
fn baseline_index(dates: &[NaiveDate], date: NaiveDate) -> Option<usize> {
    if dates.is_empty() {
        return None;
    }
    Some(dates.iter().rposition(|d| *d <= date).unwrap_or(0))
}

/// The snapshot a comparison starts from: on or before `date`, else the first.
fn baseline_snapshot(data: &Data, date: NaiveDate) -> Option<usize> {
    let dates: Vec<NaiveDate> = data.snapshots.iter().map(|s| s.peildatum).collect();
    baseline_index(&dates, date)
}

/// Contract changes between the baseline snapshot (on or before `baseline`, else the
/// first) and the latest snapshot on or before `as_of`, for the whole organisation.
/// `None` without two snapshots, or when either has fewer people than k.
pub fn contract_changes(
    data: &Data,
    baseline: NaiveDate,
    as_of: NaiveDate,
) -> Option<ContractChanges> {
    let from = baseline_snapshot(data, baseline)?;
    let to = data.snapshots.iter().rposition(|s| s.peildatum <= as_of)?;
    if to <= from {
        return None;
    }
    let (a, b) = (&data.snapshots[from], &data.snapshots[to]);
    let k = data.min_group_size.max(1);
    if a.employees.len() < k || b.employees.len() < k {
        return None;
    }
    let c = hr::compare_snapshot_totals(&a.employees, &b.employees, data.full_time_hours);
    Some(ContractChanges {
        from: a.peildatum,
        to: b.peildatum,
        grown: c.contracts_grown,
        hours_added: c.hours_added,
        fte_added: c.fte_added,
        shrunk: c.contracts_shrunk,
        hours_removed: c.hours_removed,
        joined: c.joined,
        left: c.left,
    })
}

fn hr_series(goal: &Goal, data: &Data, as_of: NaiveDate) -> Series {
    let Some(bi) = baseline_snapshot(data, goal.baseline_date) else {
        return Series::default();
    };
    let k = data.min_group_size.max(1);
    let team = goal.team.as_deref();
    let base = in_scope(&data.snapshots[bi].employees, team);
    if base.len() < k {
        return Series {
            hidden: true,
            ..Series::default()
        };
    }
    let mut out = Series::default();
    let level = |emps: &[Employee]| -> f64 {
        let n = emps.len().max(1) as f64;
        match goal.kind {
            GoalKind::AverageContractHours => round(
                emps.iter().map(|e| to_f64(e.contract_hours)).sum::<f64>() / n,
                2,
            ),
            _ => round(
                emps.iter().map(|e| to_f64(e.part_time_factor)).sum::<f64>() / n,
                3,
            ),
        }
    };
    out.baseline = Some(Point {
        date: data.snapshots[bi].peildatum,
        value: if goal.kind.is_cumulative() {
            0.0
        } else {
            level(&base)
        },
    });
    for s in data.snapshots[bi + 1..]
        .iter()
        .filter(|s| s.peildatum <= as_of)
    {
        let now = in_scope(&s.employees, team);
        if now.len() < k {
            return Series {
                hidden: true,
                ..Series::default()
            };
        }
        let value = match goal.kind {
            GoalKind::ContractHoursAdded | GoalKind::FteAdded | GoalKind::ContractsExpanded => {
                let c = hr::compare_snapshots(&base, &now, data.full_time_hours);
                match goal.kind {
                    GoalKind::ContractHoursAdded => c.hours_added,
                    GoalKind::FteAdded => c.fte_added,
                    _ => c.contracts_grown as f64,
                }
            }
            _ => level(&now),
        };
        out.points.push(Point {
            date: s.peildatum,
            value,
        });
    }
    out
}

fn last_day(m: YearMonth) -> NaiveDate {
    let next = YearMonth::from_index(m.index() + 1);
    NaiveDate::from_ymd_opt(next.year, next.month, 1)
        .and_then(|d| d.pred_opt())
        .unwrap_or(NaiveDate::MIN)
}

/// PNIL per month (euros) as a 3-month average ending in each month whose two
/// predecessors lie within the imported period (a month without entries counts as 0).
fn pnil_points(data: &Data, team: Option<&str>) -> Vec<Point> {
    let entries: Vec<&PnilEntry> = data
        .pnil
        .iter()
        .filter(|e| match team {
            None => true,
            Some(t) => same_team(e.team.as_deref(), t),
        })
        .collect();
    let (Some(first), Some(last)) = (
        data.pnil.iter().map(|e| e.month.index()).min(),
        data.pnil.iter().map(|e| e.month.index()).max(),
    ) else {
        return Vec::new();
    };
    let total = |i: i64| -> i64 {
        entries
            .iter()
            .filter(|e| e.month.index() == i)
            .map(|e| e.amount_cents)
            .sum()
    };
    (first + 2..=last)
        .map(|i| Point {
            date: last_day(YearMonth::from_index(i)),
            value: round((total(i - 2) + total(i - 1) + total(i)) as f64 / 300.0, 2),
        })
        .collect()
}

fn dated_series(points: Vec<Point>, goal: &Goal, as_of: NaiveDate) -> Series {
    let dates: Vec<NaiveDate> = points.iter().map(|p| p.date).collect();
    let Some(bi) = baseline_index(&dates, goal.baseline_date) else {
        return Series::default();
    };
    if points[bi].date > as_of {
        return Series::default();
    }
    Series {
        baseline: Some(points[bi]),
        points: points[bi + 1..]
            .iter()
            .filter(|p| p.date <= as_of)
            .copied()
            .collect(),
        hidden: false,
    }
}

/// Total FTE of the snapshot nearest `date` (on or before, else the first after).
fn fte_near(data: &Data, date: NaiveDate) -> Option<f64> {
    let s = data
        .snapshots
        .iter()
        .rev()
        .find(|s| s.peildatum <= date)
        .or_else(|| data.snapshots.first())?;
    let hours: Decimal = s.employees.iter().map(|e| e.contract_hours).sum();
    (data.full_time_hours > Decimal::ZERO)
        .then(|| to_f64(hours) / to_f64(data.full_time_hours))
        .filter(|f| *f > 0.0)
}

fn scan_points(goal: &Goal, data: &Data) -> Vec<Point> {
    data.roster_scans
        .iter()
        .filter_map(|s| {
            let value = match goal.kind {
                GoalKind::ShortShiftShare => round(s.short_shift_share, 3),
                _ => round(s.shifts as f64 / fte_near(data, s.scanned_on)?, 1),
            };
            Some(Point {
                date: s.scanned_on,
                value,
            })
        })
        .collect()
}

/// Survey points; `None` in place of a round whose scope has fewer answers than k.
fn survey_points(goal: &Goal, data: &Data) -> Vec<(NaiveDate, Option<f64>)> {
    let k = data.min_group_size.max(1);
    data.survey_rounds
        .iter()
        .map(|r| {
            let answers = r.answers.iter().filter(|a| match goal.team.as_deref() {
                None => true,
                Some(t) => same_team(a.team.as_deref(), t),
            });
            let values: Vec<f64> = match goal.kind {
                GoalKind::OpenShare => answers
                    .filter_map(|a| a.open)
                    .map(|o| if o { 1.0 } else { 0.0 })
                    .collect(),
                _ => answers.filter_map(|a| a.schedule_satisfaction).collect(),
            };
            let value = (values.len() >= k)
                .then(|| values.iter().sum::<f64>() / values.len() as f64)
                .map(|v| {
                    round(
                        v,
                        if goal.kind == GoalKind::OpenShare {
                            3
                        } else {
                            2
                        },
                    )
                });
            (r.closes_on, value)
        })
        .collect()
}

fn request_series(goal: &Goal, data: &Data, as_of: NaiveDate) -> Series {
    let facts: Vec<&RequestFact> = data
        .requests
        .iter()
        .filter(|r| match goal.team.as_deref() {
            None => true,
            Some(t) => same_team(r.team.as_deref(), t),
        })
        .collect();
    let event = |r: &RequestFact| -> Option<(NaiveDate, f64)> {
        match goal.kind {
            GoalKind::Requests => Some((r.created_on, 1.0)),
            GoalKind::RequestsAccepted => r.accepted_on.map(|d| (d, 1.0)),
            _ => r.accepted_on.map(|d| (d, r.hours_agreed.unwrap_or(0.0))),
        }
    };
    let mut events: Vec<(NaiveDate, f64)> = facts
        .iter()
        .filter_map(|r| event(r))
        .filter(|(d, _)| *d > goal.baseline_date && *d <= as_of)
        .collect();
    events.sort_by_key(|e| e.0);
    let mut points: Vec<Point> = Vec::new();
    let mut sum = 0.0;
    for (d, v) in events {
        sum += v;
        match points.last_mut() {
            Some(p) if p.date == d => p.value = round(sum, 2),
            _ => points.push(Point {
                date: d,
                value: round(sum, 2),
            }),
        }
    }
    Series {
        baseline: Some(Point {
            date: goal.baseline_date,
            value: 0.0,
        }),
        points,
        hidden: false,
    }
}

fn series(goal: &Goal, data: &Data, as_of: NaiveDate) -> Series {
    match goal.kind.source() {
        Source::HrSnapshots => hr_series(goal, data, as_of),
        Source::Pnil => dated_series(pnil_points(data, goal.team.as_deref()), goal, as_of),
        Source::RosterScans => {
            if goal.team.is_some() {
                // Roster scans are summarised per organisation: no team figure exists.
                return Series::default();
            }
            dated_series(scan_points(goal, data), goal, as_of)
        }
        Source::Survey => {
            let pts = survey_points(goal, data);
            let dates: Vec<NaiveDate> = pts.iter().map(|p| p.0).collect();
            let Some(bi) = baseline_index(&dates, goal.baseline_date) else {
                return Series::default();
            };
            if pts[bi].0 > as_of {
                return Series::default();
            }
            let later: Vec<(NaiveDate, Option<f64>)> = pts[bi + 1..]
                .iter()
                .filter(|p| p.0 <= as_of)
                .copied()
                .collect();
            match pts[bi].1 {
                None => Series {
                    hidden: true,
                    ..Series::default()
                },
                Some(_) if later.iter().any(|p| p.1.is_none()) => Series {
                    hidden: true,
                    ..Series::default()
                },
                Some(b) => Series {
                    baseline: Some(Point {
                        date: pts[bi].0,
                        value: b,
                    }),
                    points: later
                        .into_iter()
                        .filter_map(|(date, v)| v.map(|value| Point { date, value }))
                        .collect(),
                    hidden: false,
                },
            }
        }
        Source::Requests => request_series(goal, data, as_of),
        Source::Manual => {
            let mut points: Vec<Point> = goal
                .manual_values
                .iter()
                .filter(|p| p.date > goal.baseline_date && p.date <= as_of)
                .copied()
                .collect();
            points.sort_by_key(|p| p.date);
            Series {
                baseline: Some(Point {
                    date: goal.baseline_date,
                    value: goal.baseline_value.unwrap_or(0.0),
                }),
                points,
                hidden: false,
            }
        }
    }
}

/// The goal's measurements up to `as_of`: baseline first (empty when hidden or nothing
/// measured yet).
pub fn measure_series(goal: &Goal, data: &Data, as_of: NaiveDate) -> Vec<Point> {
    let s = series(goal, data, as_of);
    s.baseline.into_iter().chain(s.points).collect()
}

/// Where the straight line from (`start`, `baseline`) to (`deadline`, `target`) is on
/// `date` (before the start: the baseline; after the deadline: the target).
pub fn expected_on(
    baseline: f64,
    start: NaiveDate,
    target: f64,
    deadline: NaiveDate,
    date: NaiveDate,
) -> f64 {
    let total = (deadline - start).num_days();
    if total <= 0 {
        return target;
    }
    let done = (date - start).num_days().clamp(0, total);
    baseline + (target - baseline) * done as f64 / total as f64
}

/// A goal's progress on `as_of`.
pub fn evaluate(goal: &Goal, data: &Data, as_of: NaiveDate) -> GoalProgress {
    let s = series(goal, data, as_of);
    let mut out = GoalProgress {
        kind: goal.kind,
        team: goal.team.clone(),
        baseline: None,
        baseline_at: None,
        target: goal.target,
        deadline: goal.deadline,
        measured: None,
        measured_at: None,
        progress: None,
        on_track: None,
        expected: None,
        suppressed: s.hidden,
        trend: Vec::new(),
    };
    let Some(base) = s.baseline else {
        return out;
    };
    out.baseline = Some(base.value);
    out.baseline_at = Some(base.date);
    let latest = s.points.last().copied().unwrap_or(base);
    out.measured = Some(latest.value);
    out.measured_at = Some(latest.date);
    let span = goal.target - base.value;
    if span.abs() > f64::EPSILON {
        out.progress = Some(round((latest.value - base.value) / span, 3));
    } else {
        out.progress = Some(1.0);
    }
    // The path starts at the later of the goal's baseline date and the baseline's own
    // date, so a snapshot taken before the goal was set does not eat into the time.
    let start = base.date.max(goal.baseline_date.min(latest.date));
    let expected = expected_on(base.value, start, goal.target, goal.deadline, latest.date);
    out.expected = Some(round(expected, 3));
    // Only the baseline so far: nothing measured since, so no verdict either way.
    out.on_track = (!s.points.is_empty()).then_some(if span >= 0.0 {
        latest.value + 1e-9 >= expected
    } else {
        latest.value - 1e-9 <= expected
    });
    out.trend = std::iter::once(base).chain(s.points).collect();
    out
}
