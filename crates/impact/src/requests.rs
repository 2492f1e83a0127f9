//! Agreed hours checked against the next HR snapshot.

use chrono::NaiveDate;
use rust_decimal::prelude::ToPrimitive;
use serde::Serialize;

use crate::measure::Snapshot;

/// What the HR snapshots say about an accepted request's agreed hours.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "check")]
pub enum RequestCheck {
    /// No HR snapshot after the agreement yet (or no employee number entered).
    Pending,
    /// The contract grew by at least the agreed hours.
    Confirmed { growth: f64 },
    /// The contract grew, but by less than agreed (flagged).
    Partial { growth: f64 },
    /// No growth, or the employee is not in the snapshot (flagged).
    NoGrowth,
}

impl RequestCheck {
    pub fn is_flagged(self) -> bool {
        matches!(self, RequestCheck::Partial { .. } | RequestCheck::NoGrowth)
    }

    pub fn label_nl(self) -> String {
        match self {
            RequestCheck::Pending => "nog geen nieuw HR-bestand".into(),
            RequestCheck::Confirmed { growth } => {
                format!("terug te zien: {} uur erbij", report::nl::hours(growth))
            }
            RequestCheck::Partial { growth } => format!(
                "let op: maar {} uur erbij in het HR-bestand",
                report::nl::hours(growth)
            ),
            RequestCheck::NoGrowth => "let op: niet terug te zien in het HR-bestand".into(),
        }
    }
}

/// Checks `agreed` hours of the employee with `pseudonym`, agreed on `agreed_on` for a
/// request made on `requested_on`: the contract in the latest snapshot on or before the
/// request (else the first) against the first snapshot on or after the agreement.
pub fn check_agreed_hours(
    snapshots: &[Snapshot],
    pseudonym: Option<&str>,
    requested_on: NaiveDate,
    agreed_on: NaiveDate,
    agreed: f64,
) -> RequestCheck {
    let Some(p) = pseudonym else {
        return RequestCheck::Pending;
    };
    let Some(after) = snapshots.iter().find(|s| s.peildatum >= agreed_on) else {
        return RequestCheck::Pending;
    };
    let before = snapshots
        .iter()
        .rev()
        .find(|s| s.peildatum <= requested_on && s.peildatum < after.peildatum);
    let hours = |s: &Snapshot| {
        s.employees
            .iter()
            .find(|e| e.pseudonym == p)
            .and_then(|e| e.contract_hours.to_f64())
    };
    let (Some(to), Some(from)) = (hours(after), before.and_then(hours)) else {
        return RequestCheck::NoGrowth;
    };
    let growth = ((to - from) * 100.0).round() / 100.0;
    if growth <= 0.0 {
        RequestCheck::NoGrowth
    } else if growth + 1e-9 < agreed {
        RequestCheck::Partial { growth }
    } else {
        RequestCheck::Confirmed { growth }
    }
}
