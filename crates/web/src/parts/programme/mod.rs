//! The programme in the web layer (issue 31): the timeline of a region
//! (`/regio/{id}/programma`: phases, cohorts, onboarding per organisation), an
//! organisation's intervention plan (`/organisaties/{id}/plan`), its action list
//! (`/organisaties/{id}/acties`) and meetings (`/organisaties/{id}/overleggen`), and
//! "Mijn acties" (`/acties`) for every signed-in user. API twins under
//! `/api/v1/regions/{id}/programme` and `/api/v1/organisations/{id}/{plan,actions,meetings}`.
//!
//! Access is decided in `app::programme`; handlers only extract the caller and render.

pub mod api;
pub mod pages;

/// A stored ISO date as dd-mm-jjjj (the text itself when it is not a date).
pub(crate) fn nl_date(iso: &str) -> String {
    chrono::NaiveDate::parse_from_str(iso, "%Y-%m-%d")
        .map(report::nl::date)
        .unwrap_or_else(|_| iso.to_string())
}
