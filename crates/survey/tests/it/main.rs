//! Integration tests of the survey crate (one binary).

mod anonymity;
mod attack;
mod export;
mod helpers;
mod mapping;
mod questionnaires;
mod results;
mod statistics;
mod validation;
