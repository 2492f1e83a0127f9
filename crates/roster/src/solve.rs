//! The optimiser: simulated annealing over the whole roster with penalised hard
//! constraints, run on two seeded threads that exchange their best rosters at fixed epoch
//! boundaries (so the exchange is deterministic), and only ever returning a roster that has
//! no hard violation.
//!
//! The objective is separable: per employee (requests, contract target, opkomsten, short
//! shifts and all hard constraints) plus cover per day and slot. A move re-scores the
//! touched employees from scratch over the horizon and updates cover counts incrementally.
//! Moves: change one day, swap one day between two employees, swap a block of days between
//! two employees (cover unchanged), set a block of days to one shift or off.
//!
//! On rosters of at most four weeks (and, with time limits of 60 s or more, up to eight
//! weeks where employees × shift types × days stays small; `Data::exact`), each thread also
//! runs column generation at the end of every annealing cycle (`colgen`): a master LP over
//! whole employee rows priced by the employee DP, dives and a restricted-master MIP
//! (HiGHS), started from the thread's best roster; then fix-and-optimise (`fixopt`): parts
//! of the roster (every employee over a window of days, or some employees over every day)
//! are re-solved exactly as a compact MIP with the rest fixed. The annealing continues from
//! whatever is better.
//!
//! Modules: `data` (the dense problem view and scoring), `moves` (the annealing and
//! large-neighbourhood moves), `replan` (the employee re-plans and the construction),
//! `driver` (threads, cycles, the exact parts' schedule), [`Tuning`] (every tuning value),
//! `colgen` and `fixopt` (the exact parts).
//!
//! Reproducibility: the search is a function of (problem, seed, tuning, epochs completed).
//! With a time limit the number of completed epochs depends on the machine; give
//! [`SolveOptions::max_epochs`] for a run that is identical on every machine: construction
//! and search then read no clock at all (column generation and fix-and-optimise stop on
//! their round, dive, part and node limits only), and `seconds` is not used.
//!
//! Purity: no environment, no printing, no OS randomness. Progress goes to the caller's
//! [`Observer`], time comes from the caller's [`Clock`], and randomness from the seed.

use crate::model::Roster;
use serde::Serialize;
use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

mod colgen;
mod data;
mod driver;
mod fixopt;
mod moves;
mod replan;
#[cfg(test)]
mod tests;
mod tuning;

pub use driver::solve;
pub use tuning::Tuning;

use data::{Data, State, to_roster};
use moves::Worker;

/// A source of time for the optimiser: the time since a fixed origin of the caller's
/// choice, never going backwards. Only read with a time limit; with an epoch budget the
/// search reads no clock.
pub trait Clock: Send + Sync {
    fn now(&self) -> Duration;
}

/// The monotonic system clock, from its creation. The only place in the crate that reads
/// the system time.
#[derive(Debug, Clone, Copy)]
pub struct SystemClock {
    origin: std::time::Instant,
}

impl SystemClock {
    #[allow(clippy::disallowed_methods)] // the one place where the crate reads the clock
    pub fn new() -> Self {
        Self {
            origin: std::time::Instant::now(),
        }
    }
}

impl Default for SystemClock {
    fn default() -> Self {
        Self::new()
    }
}

impl Clock for SystemClock {
    #[allow(clippy::disallowed_methods)] // the one place where the crate reads the clock
    fn now(&self) -> Duration {
        self.origin.elapsed()
    }
}

/// The search's clock under an epoch budget: time stands still at zero.
struct Frozen;

impl Clock for Frozen {
    fn now(&self) -> Duration {
        Duration::ZERO
    }
}

/// What the optimiser reports while it runs (for tracing in the caller; `thread` is the
/// search thread). Objectives are the search's soft cost of a roster without hard
/// violations.
#[derive(Debug, Clone)]
pub enum Progress {
    /// A thread built its first roster.
    Constructed {
        thread: usize,
        soft: i64,
        /// Hard violation units left (0: feasible).
        hard: i64,
        /// Employees who still break a hard rule, with their hard units.
        breaking: Vec<(usize, i64)>,
        roster: Roster,
    },
    /// A thread ended an annealing cycle after `epoch` epochs.
    CycleEnd {
        thread: usize,
        epoch: u64,
        best: Option<i64>,
    },
    /// A stage of a column-generation call (root LP, branching, a dive, the MIP).
    ColgenStage { thread: usize, stage: String },
    /// A column-generation call ended.
    Colgen {
        thread: usize,
        lp: f64,
        columns: usize,
        dives: usize,
        best: Option<i64>,
    },
    /// A fix-and-optimise part was solved: days `[a, b)` of `employees` employees.
    FixPart {
        thread: usize,
        a: usize,
        b: usize,
        employees: usize,
        optimal: bool,
        from: i64,
        to: Option<i64>,
    },
}

/// Receives [`Progress`] events; called from the search threads.
pub trait Observer: Send + Sync {
    fn progress(&self, event: &Progress);
}

/// How to run the optimiser.
#[derive(Clone)]
pub struct SolveOptions {
    /// Wall-clock limit in seconds (not used with `max_epochs`).
    pub seconds: f64,
    pub seed: u64,
    /// Number of search threads (1 or more; 2 uses both cores of the reference machine).
    pub threads: usize,
    /// Stop after this many epochs, and read no clock (for machine-independent runs).
    pub max_epochs: Option<u64>,
    /// Stop as soon as a feasible roster with at most this objective is found (e.g. a
    /// known lower bound).
    pub target: Option<u64>,
    /// Start from this roster (e.g. today's roster in design work). Need not be feasible.
    pub initial: Option<Roster>,
    /// The tuning values (defaults: the benchmarked ones).
    pub tuning: Tuning,
    /// Where progress events go (none: not reported).
    pub observer: Option<Arc<dyn Observer>>,
    /// Set to true to stop the run at the next epoch end (the best roster so far is
    /// returned).
    pub cancel: Option<Arc<AtomicBool>>,
    /// The time source for a time limit and for the reported `seconds`.
    pub clock: Arc<dyn Clock>,
}

impl SolveOptions {
    fn cancelled(&self) -> bool {
        self.cancel
            .as_ref()
            .is_some_and(|c| c.load(Ordering::Relaxed))
    }
}

impl fmt::Debug for SolveOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SolveOptions")
            .field("seconds", &self.seconds)
            .field("seed", &self.seed)
            .field("threads", &self.threads)
            .field("max_epochs", &self.max_epochs)
            .field("target", &self.target)
            .field("initial", &self.initial.is_some())
            .field("tuning", &self.tuning)
            .field("observer", &self.observer.is_some())
            .field("cancel", &self.cancel)
            .finish_non_exhaustive()
    }
}

impl Default for SolveOptions {
    fn default() -> Self {
        Self {
            seconds: 10.0,
            seed: 1,
            threads: 2,
            max_epochs: None,
            target: None,
            initial: None,
            tuning: Tuning::default(),
            observer: None,
            cancel: None,
            clock: Arc::new(SystemClock::new()),
        }
    }
}

/// What the optimiser returns.
#[derive(Debug, Clone, Serialize)]
pub struct SolveResult {
    /// The best roster without hard violations, if one was found.
    #[serde(skip)]
    pub roster: Option<Roster>,
    /// Its objective (soft cost), if found.
    pub objective: Option<u64>,
    pub feasible: bool,
    /// Elapsed time by the options' clock.
    pub seconds: f64,
    pub epochs: u64,
    pub iterations: u64,
}
