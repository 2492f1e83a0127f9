//! Surveys: the public respondent flow (`/enquete/...`), the organisation admin's rounds,
//! invitations and live response rates, results with exports, the import of responses
//! collected elsewhere and the review of free texts.

pub mod api;
mod invite;
mod manage;
pub mod pages;
pub mod respond;
pub mod results;
mod review;
