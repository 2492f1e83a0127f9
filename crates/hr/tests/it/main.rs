// The reference case is a fixture file that the tests read.
#![allow(clippy::disallowed_methods)]
mod charts;
mod extract;
mod fuzz;
mod picture;
mod pnil;
mod reference_case;
mod xlsx;

use chrono::NaiveDate;
use hr::Pseudonymiser;

pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

pub fn key() -> Pseudonymiser {
    Pseudonymiser::new(b"test-organisation-key-of-32-byte").unwrap()
}

/// The organisation of the picture tests, shared with the chart tests.
pub fn picture_fixture() -> Vec<hr::Employee> {
    picture::fixture()
}
