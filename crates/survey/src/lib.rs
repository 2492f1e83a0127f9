//! Fase 0 survey: questionnaires as versioned data, answer validation with skip logic,
//! statistics (Wilson intervals, headlines) and anonymity rules (minimum group size,
//! complementary suppression or folding, coarsening), plus CSV export of aggregate tables
//! and a mapping helper for importing responses collected elsewhere.
//!
//! Architecture invariant: this crate is pure. It does no IO, knows no HTTP and no SQL;
//! bytes in files are read elsewhere (crate `import`), storage lives in `store`.
//!
//! Anonymity invariant: every aggregate leaves this crate through [`SurveyResults`] (or the
//! tables built from it), in which every figure has passed the suppression rules of
//! [`anonymity`] and the audit across tables of [`disclosure`]. Nothing else here
//! aggregates over respondents.

pub mod anonymity;
pub mod answer;
pub mod disclosure;
pub mod export;
pub mod mapping;
pub mod questionnaire;
pub mod results;
pub mod stats;
pub mod text;

pub use anonymity::{Policy, Strategy};
pub use answer::{
    Answer, ErrorKind, Response, SkipPolicy, ValidateOptions, Validated, ValidationError,
    ValidationErrors,
};
pub use questionnaire::{
    Choice, Condition, LoadError, Origin, Page, Question, QuestionKind, Questionnaire, RawOption,
    RawQuestion, Role,
};
pub use results::{AnalysisOptions, Dimension, Submission, SurveyResults, analyse};
pub use text::{Lang, Text};
