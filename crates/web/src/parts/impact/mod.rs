//! Steering on impact (issue 31) in the web layer: an organisation's goals and measured
//! progress (`/organisaties/{id}/impact`), its impact report "Het Verhaal van …" as a page
//! and PDF, the contract requests' pipeline (`/organisaties/{id}/verzoeken`), the public
//! request form (`/verzoek/{code}`, no account), and the region's impact
//! (`/regio/{id}/impact`), with their API twins under `/api/v1`. Every handler calls
//! `app::impact`; access rules live there and in `app::access`.

pub mod api;
pub mod pages;

use chrono::NaiveDate;

/// Today in the Netherlands (the "as of" date and the date of a request).
pub(crate) fn today() -> NaiveDate {
    chrono::Utc::now()
        .with_timezone(&chrono_tz::Europe::Amsterdam)
        .date_naive()
}

/// An "as of" date from a query (`YYYY-MM-DD` or `DD-MM-YYYY`), default today.
pub(crate) fn as_of(value: Option<&str>) -> Result<NaiveDate, app::AppError> {
    match value.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(today()),
        Some(s) => app::nulmeting::parse_date(s, "as_of"),
    }
}
