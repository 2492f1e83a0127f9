//! Roostersessies (issue 32): roster scans per team and period, and roster designs solved
//! as background jobs.

pub mod api;
pub mod pages;
