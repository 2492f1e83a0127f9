//! Integration tests of the roster crate (one binary). They read the instance files,
//! which the crate itself may not (`clippy.toml`).
#![allow(clippy::disallowed_methods)]

mod check;
mod curtois;
mod design;
mod scan;
mod solve;
mod solve_prop;

use std::path::PathBuf;

/// Directory of the public Curtois instances (`shared/` sits beside the repository).
pub fn curtois_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/bench/roster/curtois")
}

pub fn instance(n: u32) -> roster::Problem {
    let path = curtois_dir().join(format!("Instance{n}.txt"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    roster::curtois::parse_instance(&format!("Instance{n}"), &text).expect("instance parses")
}

/// A 7-day instance small enough to score by hand (day 0 is a Monday).
pub const TINY: &str = "\
# hand-made test instance
SECTION_HORIZON
7

SECTION_SHIFTS
E,480,
L,480,E

SECTION_STAFF
A,E=7|L=7,2880,960,3,2,2,1
B,E=7|L=0,2400,0,5,1,1,1

SECTION_DAYS_OFF
B,0

SECTION_SHIFT_ON_REQUESTS
A,1,E,2

SECTION_SHIFT_OFF_REQUESTS
A,2,L,3

SECTION_COVER
0,E,1,100,1
1,E,1,100,1
1,L,1,100,1
";
