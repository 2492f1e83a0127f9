//! Data protection duties for the programme admin (issue 34): the processing register
//! (verwerkingsregister, from `app::register`'s data file) and the retention periods per
//! data kind (`app::retention`). The organisation export lives with the organisation
//! pages (`parts/orgs`).

pub mod api;
pub mod pages;
