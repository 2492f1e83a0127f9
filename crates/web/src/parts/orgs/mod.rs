//! Organisations with their locations and teams, the dashboard and the audit log.

pub mod api;
mod audit;
pub mod pages;
