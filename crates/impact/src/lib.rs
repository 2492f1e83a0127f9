//! Steering on impact (issue 31): an organisation's goals, measured from its own data and
//! never typed in (except `manual` goals), with progress and an on-track verdict along the
//! straight path from baseline to target; the contract comparison between the baseline
//! snapshot and the latest; the check of agreed hours against the next HR snapshot; and
//! the impact report "Het Verhaal van …" as a [`report::doc::Document`].
//!
//! Architecture invariant: pure. No IO, no clock (the "as of" date comes in), no database;
//! a figure about fewer people than the minimum group size carries no number.

pub mod contributed;
pub mod kind;
pub mod measure;
pub mod requests;
pub mod story;

pub use contributed::{
    Contributions, GroupContribution, InterventionFact, TeamContribution, contributions,
};
pub use kind::{GoalKind, RequestStatus, Source, UnknownCode};
pub use measure::Snapshot;
pub use measure::{
    ContractChanges, Data, Goal, GoalProgress, Point, RequestFact, RosterScan, SurveyAnswer,
    SurveyRound, contract_changes, evaluate, measure_series,
};
pub use requests::{RequestCheck, check_agreed_hours};
pub use story::{InterventionCount, RegionLine, RegionStoryInput, RequestCounts, StoryInput};

#[cfg(test)]
mod tests;
