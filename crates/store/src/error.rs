use thiserror::Error;

/// What can go wrong in the store. Messages here are for operators and logs, in English;
/// the user-facing Dutch wording of a [`Violation`] lives in `app::messages`.
#[derive(Debug, Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    /// A unique constraint was violated (e.g. an organisation name that exists).
    #[error("already exists: {0}")]
    Conflict(String),
    /// A value or change the store refuses: the field it concerns and the rule.
    #[error("invalid {field}: {violation}")]
    Invalid {
        field: &'static str,
        violation: Violation,
    },
    #[error("configuration: {0}")]
    Config(String),
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

pub type StoreResult<T> = Result<T, StoreError>;

/// A rule of the stored data that a write or a value breaks. The store only names the
/// rule (in English, for logs); `app::messages::dutch` words it for users.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum Violation {
    /// A name (organisation, team, location, user, survey round) is empty or too long.
    #[error("name must be 1 to {max} characters")]
    NameLength { max: usize },
    /// A name holds a control character, a bidirectional override or a zero-width
    /// character (`text::is_forbidden_in_name`).
    #[error("name holds a control, bidi or zero-width character")]
    NameCharacters,
    /// A longer text holds a control character (other than line breaks and tabs) or an
    /// invisible character.
    #[error("text holds a control, bidi or zero-width character")]
    TextCharacters,
    /// A list of ids names the same one twice.
    #[error("id {id} appears twice")]
    DuplicateId { id: i64 },
    /// An API token's name is empty or too long.
    #[error("token name must be 1 to {max} characters")]
    TokenNameLength { max: usize },
    /// An API token used after the expiry chosen when it was made.
    #[error("the API token has expired")]
    TokenExpired,
    /// A code of a closed vocabulary (subsector, phase, role) that is not one of `codes`.
    #[error("'{value}' is not one of {codes:?}")]
    UnknownCode {
        value: String,
        codes: Vec<&'static str>,
    },
    #[error("full-time hours outside 20..=48")]
    FulltimeHours,
    #[error("minimum group size outside 3..=50")]
    MinGroupSize,
    #[error("wage cost per FTE outside 1..=1,000,000 euro")]
    WageCost,
    #[error("job kind is empty")]
    JobKindMissing,
    #[error("job needs at least one attempt")]
    JobAttempts,
    #[error("e-mail address is not valid")]
    Email,
    #[error("this role needs an organisation")]
    OrgRequired,
    #[error("a programme admin belongs to no organisation")]
    OrgNotAllowed,
    #[error("organisation does not exist")]
    UnknownOrganisation,
    #[error("location does not exist")]
    UnknownLocation,
    #[error("location belongs to another organisation")]
    LocationOfOtherOrganisation,
    #[error("team does not exist")]
    UnknownTeam,
    #[error("team belongs to another organisation than the user")]
    TeamOfOtherUserOrganisation,
    /// Deleting a team with survey data would change earlier rounds' results.
    #[error("team '{team}' has survey data")]
    TeamHasSurveyData { team: String },
    #[error("round kind is not nulmeting or effectmeting")]
    RoundKind,
    #[error("round dates are not ISO dates")]
    RoundDates,
    #[error("round closes before it opens")]
    RoundClosesBeforeOpening,
    #[error("invitation text longer than {max} characters")]
    InvitationTextLength { max: usize },
    #[error("a round needs at least one team")]
    NoTeams,
    #[error("team '{team}' is archived")]
    TeamArchived { team: String },
    #[error("team {team_id} belongs to another organisation")]
    TeamOfOtherOrganisation { team_id: i64 },
    #[error("unknown round status")]
    UnknownStatus,
    #[error("a closed round does not open again")]
    RoundClosedForGood,
    #[error("an open round does not go back to concept")]
    RoundOpenNoWayBack,
    #[error("the round's status changed meanwhile")]
    RoundStatusChanged,
    #[error("invited count outside 0..=100,000")]
    InvitedCount,
    #[error("an import round takes no codes")]
    ImportRoundNoCodes,
    #[error("a closed round takes no new codes")]
    ClosedRoundNoCodes,
    #[error("an approved free text needs the text to publish")]
    PublishedTextMissing,
    #[error("unknown free-text review")]
    UnknownReview,
    #[error("published text longer than {max} characters")]
    PublishedTextLength { max: usize },
    #[error("response day is not an ISO date")]
    ResponseDay,
    #[error("date is not an ISO date")]
    Date,
    #[error("unknown report format")]
    ReportFormat,
    #[error("roster scan figures out of range")]
    RosterScanFigures,
    #[error("a region needs at least {floor} organisations per figure")]
    RegionMinOrgs { floor: i64 },
    #[error("dominance limit outside 1..={ceiling} percent")]
    RegionDominance { ceiling: i64 },
    #[error("retention of contract requests outside 1..=60 months")]
    RetentionMonths,
}

impl StoreError {
    pub(crate) fn invalid(field: &'static str, violation: Violation) -> Self {
        StoreError::Invalid { field, violation }
    }
}
