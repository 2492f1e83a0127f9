//! Retention periods per data kind (issue 34): how long HR snapshots, uploads waiting for
//! their mapping step, survey drafts, the personal data of contract requests and the
//! audit log are kept. One setting per kind for the installation (the `settings` table,
//! keys `bewaartermijn.<key>`), changed by the programme admin; contract requests keep
//! their per-organisation period on the impact settings, and this one is the default for
//! new request forms and for organisations without one. The hourly purge job
//! (`maintenance::Purge`) applies them; "daily" is met by running every hour.
//!
//! Survey responses are deliberately no retention kind: deleting old answers would change
//! a published result of a closed round, and the change between two publications could
//! reveal the answers of fewer people than the minimum group size. They go with their
//! round or their organisation.

use std::collections::BTreeMap;

use chrono::{Months, NaiveDate};
use serde::Serialize;
use store::Store;

use crate::AppError;
use crate::access::Caller;

/// One retention kind: its setting, unit, default and bounds, in Dutch for the form.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Spec {
    /// The JSON field and the setting's key (`bewaartermijn.<key>`).
    pub key: &'static str,
    pub label: &'static str,
    /// `maanden`, `dagen` or `minuten`.
    pub unit: &'static str,
    pub default: i64,
    pub min: i64,
    pub max: i64,
    /// Whether 0 means "keep" (no purge) for this kind.
    pub keep_allowed: bool,
    /// One line: what goes when the period ends.
    pub explanation: &'static str,
    /// The legal why of the period.
    pub why: &'static str,
}

/// Every retention kind, in the form's order.
pub const SPECS: &[Spec] = &[
    Spec {
        key: "hr_snapshots_months",
        label: "HR-gegevens (peildata)",
        unit: "maanden",
        default: 0,
        min: 12,
        max: 120,
        keep_allowed: true,
        explanation: "Een peildatum met alle regels van medewerkers gaat weg als de peildatum \
                      zoveel maanden voorbij is. 0 is: bewaren zolang de organisatie meedoet.",
        why: "AVG art. 5 lid 1 sub e (niet langer dan nodig). Het programma meet groei over \
              jaren, daarom minstens 12 maanden.",
    },
    Spec {
        key: "uploads_minutes",
        label: "Bestanden die wachten op de koppelstap",
        unit: "minuten",
        default: 30,
        min: 5,
        max: 30,
        keep_allowed: false,
        explanation: "Een geüpload bestand dat nog niet is gekoppeld, gaat na zoveel minuten \
                      weg. Het kan namen bevatten.",
        why: "AVG art. 5 lid 1 sub c en e: een ruw bestand met namen is alleen nodig tijdens \
              de koppelstap. Langer dan 30 minuten kan niet.",
    },
    Spec {
        key: "survey_drafts_days",
        label: "Concepten van enquêteantwoorden",
        unit: "dagen",
        default: 14,
        min: 1,
        max: 14,
        keep_allowed: false,
        explanation: "Een half ingevulde enquête die zoveel dagen niet is bijgewerkt, gaat weg.",
        why: "AVG art. 5 lid 1 sub e: een concept is alleen nodig om later verder te gaan. \
              Langer dan 14 dagen kan niet.",
    },
    Spec {
        key: "contract_requests_months",
        label: "Naam en contact bij verzoeken om meer uren",
        unit: "maanden",
        default: 12,
        min: 1,
        max: 60,
        keep_allowed: false,
        explanation: "Zoveel maanden nadat een verzoek is afgesloten, worden naam, contact en \
                      toelichting gewist. Dit is de standaard; een organisatie kan bij haar \
                      verzoekformulier een eigen termijn kiezen.",
        why: "AVG art. 5 lid 1 sub e en art. 7: de medewerker gaf toestemming voor het \
              afhandelen van het verzoek, niet voor altijd.",
    },
    Spec {
        key: "audit_log_months",
        label: "Logboek",
        unit: "maanden",
        default: 24,
        min: 6,
        max: 120,
        keep_allowed: true,
        explanation: "Regels in het logboek die ouder zijn dan zoveel maanden, gaan weg. \
                      0 is: bewaren zolang de organisatie meedoet.",
        why: "AVG art. 5 lid 2 en art. 32: verantwoorden wie wat deed, maar niet langer dan \
              nodig voor controle.",
    },
];

/// The periods in force: per key of [`SPECS`], the value (0 = keep where allowed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Retention(pub BTreeMap<&'static str, i64>);

impl Retention {
    pub fn get(&self, key: &str) -> i64 {
        self.0
            .get(key)
            .copied()
            .unwrap_or_else(|| SPECS.iter().find(|s| s.key == key).map_or(0, |s| s.default))
    }

    pub fn defaults() -> Retention {
        Retention(SPECS.iter().map(|s| (s.key, s.default)).collect())
    }
}

/// A period in words: `24 maanden`, or "bewaren zolang de organisatie meedoet" for 0.
pub fn describe(key: &str, value: i64) -> String {
    let unit = SPECS.iter().find(|s| s.key == key).map_or("", |s| s.unit);
    if value == 0 {
        "bewaren zolang de organisatie meedoet".into()
    } else {
        format!("{value} {unit}")
    }
}

fn setting_key(key: &str) -> String {
    format!("bewaartermijn.{key}")
}

fn check(spec: &Spec, value: i64) -> Result<(), AppError> {
    if (spec.keep_allowed && value == 0) || (spec.min..=spec.max).contains(&value) {
        return Ok(());
    }
    let keep = if spec.keep_allowed {
        ", of 0 om te bewaren"
    } else {
        ""
    };
    Err(AppError::invalid(
        spec.key,
        format!(
            "{}: kies een getal van {} tot en met {} {}{keep}.",
            spec.label, spec.min, spec.max, spec.unit
        ),
    ))
}

/// The periods in force (a missing or unreadable setting counts as its default).
pub async fn current(store: &Store) -> Result<Retention, AppError> {
    let mut out = BTreeMap::new();
    for spec in SPECS {
        let value = store
            .setting(&setting_key(spec.key))
            .await?
            .and_then(|v| v.trim().parse::<i64>().ok())
            .filter(|v| check(spec, *v).is_ok())
            .unwrap_or(spec.default);
        out.insert(spec.key, value);
    }
    Ok(Retention(out))
}

/// Sets some periods (programme admin or operator). Every value is checked before any
/// is stored; an unknown key is refused. Audited.
pub async fn update(
    store: &Store,
    by: Caller<'_>,
    changes: &BTreeMap<String, i64>,
) -> Result<Retention, AppError> {
    by.require_programme_admin()?;
    let mut checked = Vec::new();
    for (key, value) in changes {
        let Some(spec) = SPECS.iter().find(|s| s.key == key) else {
            return Err(AppError::BadRequest(format!(
                "Onbekende bewaartermijn '{key}'. Kies uit: {}.",
                SPECS.iter().map(|s| s.key).collect::<Vec<_>>().join(", ")
            )));
        };
        check(spec, *value)?;
        checked.push((spec, *value));
    }
    for (spec, value) in &checked {
        store
            .set_setting(&setting_key(spec.key), &value.to_string())
            .await?;
    }
    if !checked.is_empty() {
        let detail = checked
            .iter()
            .map(|(s, v)| format!("{}={v}", s.key))
            .collect::<Vec<_>>()
            .join(" ");
        store
            .audit(
                &by.actor(),
                None,
                "retention.update",
                "bewaartermijnen",
                &detail,
            )
            .await?;
    }
    current(store).await
}

/// What one purge removed per kind.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Purged {
    pub hr_snapshots: u64,
    pub uploads: u64,
    pub survey_drafts: u64,
    pub contract_requests_anonymised: u64,
    pub audit_entries: u64,
}

/// Applies the periods in force at `now` (unix seconds) on `today` (Amsterdam date).
pub async fn apply(store: &Store, now: i64, today: NaiveDate) -> Result<Purged, AppError> {
    let r = current(store).await?;
    let mut out = Purged::default();
    let months_ago = |months: i64| {
        today
            .checked_sub_months(Months::new(months as u32))
            .unwrap_or(NaiveDate::MIN)
            .format("%Y-%m-%d")
            .to_string()
    };
    let hr = r.get("hr_snapshots_months");
    if hr > 0 {
        out.hr_snapshots = store.purge_hr_snapshots_before(&months_ago(hr)).await?;
    }
    out.uploads = store
        .purge_uploads_created_before(now - r.get("uploads_minutes") * 60)
        .await?;
    let days = r.get("survey_drafts_days");
    let day = (today - chrono::Days::new(days as u64))
        .format("%Y-%m-%d")
        .to_string();
    out.survey_drafts = store.purge_survey_drafts_before(&day).await?;
    out.contract_requests_anonymised = store
        .anonymise_closed_requests(now, r.get("contract_requests_months"))
        .await?;
    let audit = r.get("audit_log_months");
    if audit > 0 {
        out.audit_entries = store
            .purge_audit_before(now - audit * store::SECONDS_PER_MONTH)
            .await?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_and_keep_are_checked_per_kind() {
        let by_key = |k: &str| SPECS.iter().find(|s| s.key == k).unwrap();
        assert!(check(by_key("hr_snapshots_months"), 0).is_ok());
        assert!(check(by_key("hr_snapshots_months"), 11).is_err());
        assert!(check(by_key("hr_snapshots_months"), 36).is_ok());
        assert!(check(by_key("uploads_minutes"), 0).is_err());
        assert!(check(by_key("uploads_minutes"), 31).is_err());
        assert!(check(by_key("survey_drafts_days"), 14).is_ok());
        assert!(check(by_key("contract_requests_months"), 61).is_err());
        assert!(check(by_key("audit_log_months"), -1).is_err());
        for s in SPECS {
            assert!(check(s, s.default).is_ok(), "default of {}", s.key);
            assert!(s.min >= 1 && s.min <= s.max, "{}", s.key);
        }
        let e = check(by_key("audit_log_months"), 3).unwrap_err();
        assert!(
            e.to_string().contains("6 tot en met 120 maanden, of 0"),
            "{e}"
        );
    }
}
