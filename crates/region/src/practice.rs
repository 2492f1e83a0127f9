//! The measured effect of a practice of the learning network (issue 30): computed from an
//! organisation's own data, never typed in.
//!
//! - **Contract hours**: `hr`'s snapshot comparison over the teams concerned (all
//!   employees when no team is named), between the last HR snapshot on or before the start
//!   and the latest one after it.
//! - **PNIL**: the average monthly PNIL cost of the three months before the start month
//!   against the three latest months after it (whole organisation).
//! - **Opkomstmomenten**: separate times to come to work per employee (a split shift counts
//!   twice) from the last roster scan on or before the start and the latest one after it.
//!
//! Each is shown only when the data exist and every group it describes has at least the
//! organisation's minimum group size; otherwise it carries no number and a Dutch reason.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use hr::Employee;
use hr::pnil::{PnilEntry, YearMonth};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// A measured figure or why there is none.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Measure<T> {
    pub value: Option<T>,
    /// Dutch, when `value` is `None`.
    pub reason: Option<String>,
}

impl<T> Measure<T> {
    fn shown(value: T) -> Measure<T> {
        Measure {
            value: Some(value),
            reason: None,
        }
    }
    fn hidden(reason: impl Into<String>) -> Measure<T> {
        Measure {
            value: None,
            reason: Some(reason.into()),
        }
    }
}

/// Contract hours in the teams concerned between two HR snapshots.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HoursEffect {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Employees in the teams concerned at the later snapshot.
    pub employees: usize,
    pub contracts_grown: usize,
    /// Sum of the increases of grown contracts, hours per week.
    pub hours_added: f64,
    pub fte_added: f64,
    /// Total contract hours at the later snapshot minus the first.
    pub net_hours: f64,
}

/// Average monthly PNIL cost before and after the start.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PnilEffect {
    /// `YYYY-MM` of the first and last month of each window.
    pub before: [String; 2],
    pub after: [String; 2],
    pub before_avg_cents: i64,
    pub after_avg_cents: i64,
    pub change_cents: i64,
}

/// Opkomstmomenten per employee in two roster scans.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OpkomstEffect {
    pub before_on: NaiveDate,
    pub after_on: NaiveDate,
    pub before_per_employee: f64,
    pub after_per_employee: f64,
    pub change: f64,
}

/// The three measured effects of a practice.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Effect {
    pub contract_hours: Measure<HoursEffect>,
    pub pnil: Measure<PnilEffect>,
    pub opkomstmomenten: Measure<OpkomstEffect>,
}

impl Effect {
    /// Whether any effect has a number.
    pub fn any(&self) -> bool {
        self.contract_hours.value.is_some()
            || self.pnil.value.is_some()
            || self.opkomstmomenten.value.is_some()
    }
}

/// One HR snapshot: its date and its (pseudonymised) employees.
pub struct SnapshotData<'a> {
    pub peildatum: NaiveDate,
    pub employees: &'a [Employee],
}

/// The summary of one roster scan.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScanData {
    pub scanned_on: NaiveDate,
    pub employees: u64,
    pub shifts: u64,
    pub split_shift_share: f64,
}

/// What the effect is computed from.
pub struct EffectInput<'a> {
    pub started_on: NaiveDate,
    /// The organisation's minimum group size (at least 3).
    pub min_group_size: usize,
    pub full_time_hours: Decimal,
    /// Team names as the HR extract has them; empty: the whole organisation.
    pub teams: &'a [String],
    pub snapshots: &'a [SnapshotData<'a>],
    pub pnil: &'a [PnilEntry],
    pub scans: &'a [ScanData],
}

/// The last item on or before `start` and the latest after it.
fn around<T>(items: &[T], start: NaiveDate, date: impl Fn(&T) -> NaiveDate) -> Option<(&T, &T)> {
    let before = items
        .iter()
        .filter(|x| date(x) <= start)
        .max_by_key(|x| date(x))?;
    let after = items
        .iter()
        .filter(|x| date(x) > start)
        .max_by_key(|x| date(x))?;
    Some((before, after))
}

fn in_teams(e: &Employee, teams: &[String]) -> bool {
    teams.is_empty()
        || e.team.as_deref().is_some_and(|t| {
            teams
                .iter()
                .any(|x| x.trim().eq_ignore_ascii_case(t.trim()))
        })
}

fn hours_effect(input: &EffectInput<'_>) -> Measure<HoursEffect> {
    let k = input.min_group_size.max(3);
    let Some((from, to)) = around(input.snapshots, input.started_on, |s| s.peildatum) else {
        return Measure::hidden("geen HR-bestand van vóór én van na de start");
    };
    let pick = |s: &SnapshotData<'_>| -> Vec<Employee> {
        s.employees
            .iter()
            .filter(|e| in_teams(e, input.teams))
            .cloned()
            .collect()
    };
    let (a, b) = (pick(from), pick(to));
    if a.len() < k || b.len() < k {
        return Measure::hidden(format!(
            "minder dan {k} medewerkers in de teams in een van beide HR-bestanden"
        ));
    }
    let c = hr::compare::compare_snapshots(&a, &b, input.full_time_hours);
    if c.contracts_grown > 0 && c.contracts_grown < k {
        return Measure::hidden(format!(
            "minder dan {k} contracten gegroeid: de uitbreiding zou over personen gaan"
        ));
    }
    Measure::shown(HoursEffect {
        from: from.peildatum,
        to: to.peildatum,
        employees: b.len(),
        contracts_grown: c.contracts_grown,
        hours_added: c.hours_added,
        fte_added: c.fte_added,
        net_hours: c.net_hours,
    })
}

fn month_of(d: NaiveDate) -> Option<YearMonth> {
    YearMonth::new(d.year(), d.month())
}

fn month_label(m: YearMonth) -> String {
    format!("{:04}-{:02}", m.year, m.month)
}

fn pnil_effect(input: &EffectInput<'_>) -> Measure<PnilEffect> {
    let Some(start) = month_of(input.started_on) else {
        return Measure::hidden("ongeldige startdatum");
    };
    let mut per_month: BTreeMap<i64, i64> = BTreeMap::new();
    for e in input.pnil {
        *per_month.entry(e.month.index()).or_default() += e.amount_cents;
    }
    let s = start.index();
    let before: Vec<i64> = (s - 3..s).collect();
    let Some(last) = per_month.keys().rev().find(|m| **m > s).copied() else {
        return Measure::hidden("geen PNIL-cijfers van na de start");
    };
    if last - 2 <= s {
        return Measure::hidden("nog geen drie maanden PNIL-cijfers na de start");
    }
    let after: Vec<i64> = (last - 2..=last).collect();
    let total = |months: &[i64]| -> Option<i64> {
        months
            .iter()
            .map(|m| per_month.get(m).copied())
            .sum::<Option<i64>>()
    };
    let (Some(b), Some(a)) = (total(&before), total(&after)) else {
        return Measure::hidden("niet voor alle drie maanden vóór en na de start PNIL-cijfers");
    };
    let (b, a) = (b / 3, a / 3);
    let label = |i: i64| month_label(YearMonth::from_index(i));
    Measure::shown(PnilEffect {
        before: [label(before[0]), label(before[2])],
        after: [label(after[0]), label(after[2])],
        before_avg_cents: b,
        after_avg_cents: a,
        change_cents: a - b,
    })
}

fn opkomst_effect(input: &EffectInput<'_>) -> Measure<OpkomstEffect> {
    let k = input.min_group_size.max(3) as u64;
    let Some((from, to)) = around(input.scans, input.started_on, |s| s.scanned_on) else {
        return Measure::hidden("geen roosterscan van vóór én van na de start");
    };
    if from.employees < k || to.employees < k {
        return Measure::hidden(format!(
            "minder dan {k} medewerkers in een van beide roosterscans"
        ));
    }
    let per = |s: &ScanData| {
        let moments = s.shifts as f64 * (1.0 + s.split_shift_share.clamp(0.0, 1.0));
        ((moments / s.employees as f64) * 10.0).round() / 10.0
    };
    let (b, a) = (per(from), per(to));
    Measure::shown(OpkomstEffect {
        before_on: from.scanned_on,
        after_on: to.scanned_on,
        before_per_employee: b,
        after_per_employee: a,
        change: ((a - b) * 10.0).round() / 10.0,
    })
}

/// The measured effect of a practice from the organisation's data.
pub fn measure_effect(input: &EffectInput<'_>) -> Effect {
    Effect {
        contract_hours: hours_effect(input),
        pnil: pnil_effect(input),
        opkomstmomenten: opkomst_effect(input),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn emp(id: usize, team: &str, hours: i64) -> Employee {
        Employee {
            pseudonym: format!("p{id:03}"),
            team: Some(team.into()),
            function: None,
            fwg_scale: None,
            contract_hours: Decimal::from(hours),
            part_time_factor: Decimal::ZERO,
            age_band: None,
            start_date: None,
            end_date: None,
            contract_kind: None,
            source_rows: vec![],
        }
    }

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn pnil(month: (i32, u32), cents: i64) -> PnilEntry {
        PnilEntry {
            month: YearMonth::new(month.0, month.1).unwrap(),
            team: None,
            kind: None,
            amount_cents: cents,
            hours: None,
            source_row: 1,
        }
    }

    #[test]
    fn effects_come_from_the_data_and_hide_small_groups() {
        let before: Vec<Employee> = (0..8)
            .map(|i| emp(i, if i < 6 { "Berk" } else { "Eik" }, 20))
            .collect();
        let mut after = before.clone();
        for e in after.iter_mut().take(5) {
            e.contract_hours = Decimal::from(24);
        }
        let snapshots = [
            SnapshotData {
                peildatum: date("2026-01-01"),
                employees: &before,
            },
            SnapshotData {
                peildatum: date("2026-09-01"),
                employees: &after,
            },
        ];
        let entries: Vec<PnilEntry> = [(2026, 1), (2026, 2), (2026, 3)]
            .into_iter()
            .map(|m| pnil(m, 300_000))
            .chain(
                [(2026, 7), (2026, 8), (2026, 9)]
                    .into_iter()
                    .map(|m| pnil(m, 150_000)),
            )
            .collect();
        let scans = [
            ScanData {
                scanned_on: date("2026-02-01"),
                employees: 10,
                shifts: 100,
                split_shift_share: 0.1,
            },
            ScanData {
                scanned_on: date("2026-10-01"),
                employees: 10,
                shifts: 90,
                split_shift_share: 0.0,
            },
        ];
        let teams = vec!["berk".to_string()];
        let input = EffectInput {
            started_on: date("2026-04-01"),
            min_group_size: 5,
            full_time_hours: Decimal::from(36),
            teams: &teams,
            snapshots: &snapshots,
            pnil: &entries,
            scans: &scans,
        };
        let e = measure_effect(&input);
        let h = e.contract_hours.value.clone().unwrap();
        assert_eq!(
            (h.employees, h.contracts_grown, h.hours_added),
            (6, 5, 20.0)
        );
        let p = e.pnil.value.clone().unwrap();
        assert_eq!((p.before_avg_cents, p.after_avg_cents), (300_000, 150_000));
        assert_eq!(p.before, ["2026-01".to_string(), "2026-03".to_string()]);
        let o = e.opkomstmomenten.value.clone().unwrap();
        assert_eq!((o.before_per_employee, o.after_per_employee), (11.0, 9.0));
        assert!(e.any());

        // A team of two is below the group size: no number, a reason.
        let small = vec!["Eik".to_string()];
        let e = measure_effect(&EffectInput {
            teams: &small,
            ..input
        });
        assert!(e.contract_hours.value.is_none());
        assert!(e.contract_hours.reason.unwrap().contains("minder dan 5"));

        // No data after the start: every effect says why.
        let e = measure_effect(&EffectInput {
            started_on: date("2026-12-01"),
            min_group_size: 5,
            full_time_hours: Decimal::from(36),
            teams: &[],
            snapshots: &snapshots,
            pnil: &entries,
            scans: &scans,
        });
        assert!(!e.any());
        assert!(e.pnil.reason.is_some() && e.opkomstmomenten.reason.is_some());
    }

    #[test]
    fn one_or_two_grown_contracts_are_not_shown() {
        let before: Vec<Employee> = (0..6).map(|i| emp(i, "Berk", 20)).collect();
        let mut after = before.clone();
        after[0].contract_hours = Decimal::from(32);
        let snapshots = [
            SnapshotData {
                peildatum: date("2026-01-01"),
                employees: &before,
            },
            SnapshotData {
                peildatum: date("2026-09-01"),
                employees: &after,
            },
        ];
        let e = measure_effect(&EffectInput {
            started_on: date("2026-04-01"),
            min_group_size: 5,
            full_time_hours: Decimal::from(36),
            teams: &[],
            snapshots: &snapshots,
            pnil: &[],
            scans: &[],
        });
        assert!(e.contract_hours.value.is_none());
    }
}
