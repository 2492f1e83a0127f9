//! Accounts: list, create or invite, teams, deactivate, password reset links.

pub mod api;
pub mod pages;
