//! The start page per role (issue 33: dashboards, the first-run page) and the help pages
//! (`/hulp`, `/hulp/{deel}`). The dashboards' data comes from `app::dashboard`, the help
//! texts from `app::help`.

pub mod pages;
