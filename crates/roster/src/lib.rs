//! Roster engine for Urenwinst.
//!
//! - [`model`]: the general rostering model (the Curtois benchmark model plus Dutch care
//!   extensions) and a [`model::Roster`].
//! - [`curtois`]: the benchmark text format and the `employee,day,shift` roster CSV.
//! - [`check`]: an independent checker that scores a roster from scratch.
//! - [`solve`]: the optimiser (anytime, seeded, two threads).
//! - [`design`]: design mode, adding longer shift types that cover the same demand.
//! - [`scan`]: the roster scan of a real roster export (CSV/XLSX).
//! - [`plan`]: roster design from a scanned roster (demand, employees, comparison).
//!
//! Architecture invariant: this crate does no IO beyond parsing the bytes it is handed; it
//! knows nothing of HTTP or SQL. Same problem, same seed and same iteration budget give the
//! same roster.

pub mod check;
pub mod curtois;
pub mod design;
mod dp;
pub mod model;
pub mod plan;
pub mod scan;
pub mod solve;

pub use check::{Evaluation, Score, Violation, check};
pub use model::{CareRules, Cover, Employee, Problem, Request, Roster, ShiftType};
