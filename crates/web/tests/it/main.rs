//! Integration tests of the web layer: pages, API, access rules, security. Each test runs
//! on SQLite and, with `URENWINST_TEST_POSTGRES` set, on PostgreSQL.

mod access;
mod anonymity_attacks;
mod api;
mod api_parity;
mod calc;
mod dashboard;
mod helpers;
mod hr;
mod impact;
mod mail;
mod pages;
mod programme;
mod protect;
mod region;
mod report;
mod roster;
mod roundtable;
mod security;
mod shared_state;
mod survey;
mod survey_report;
