//! The reports of the product part "Fase 0": the Value Case page with its PDF and the
//! "share with the organisation" action, the Fase 0 interview, and the Fase 0 checklist
//! (per organisation and, for the programme, over all organisations), with their JSON API
//! twins. Every handler calls `app::value_case`; access rules live in `app::access`.

pub mod api;
pub mod pages;

use chrono::NaiveDate;

/// The report date: today in the Netherlands.
pub(crate) fn today() -> NaiveDate {
    chrono::Utc::now()
        .with_timezone(&chrono_tz::Europe::Amsterdam)
        .date_naive()
}
