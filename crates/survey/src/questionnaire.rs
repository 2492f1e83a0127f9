//! Questionnaires as versioned data: the model, loading and validation of the data files,
//! optional questions added by a programme admin, and the page flow with skip logic.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::answer::{Answer, Response};
use crate::text::Text;

/// Prefix every question added by a programme admin must carry, so custom ids can never
/// collide with core ids of this or a later version.
pub const CUSTOM_PREFIX: &str = "extra_";

/// Page that holds admin-added questions unless they name an existing page.
pub const CUSTOM_PAGE: &str = "extra";

const MEDEWERKERS_V1: &str = include_str!("../questionnaires/medewerkers-v1.toml");
const LEIDINGGEVENDEN_V1: &str = include_str!("../questionnaires/leidinggevenden-v1.toml");

/// The embedded standard questionnaires as `(key, version, toml source)`.
pub const STANDARD: &[(&str, u32, &str)] = &[
    ("medewerkers", 1, MEDEWERKERS_V1),
    ("leidinggevenden", 1, LEIDINGGEVENDEN_V1),
];

/// Errors in a questionnaire data file or in admin-added questions.
#[derive(Debug, Clone, thiserror::Error, PartialEq)]
pub enum LoadError {
    #[error("questionnaire is not valid TOML: {0}")]
    Toml(String),
    #[error("unknown questionnaire {key} version {version}")]
    Unknown { key: String, version: u32 },
    #[error("{0}")]
    Invalid(String),
}

fn invalid(msg: impl Into<String>) -> LoadError {
    LoadError::Invalid(msg.into())
}

/// What a question is for, so statistics can find it without hard-coding ids.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    ContractHours,
    WorkedHours,
    DesiredHours,
    Openness,
    Conditions,
    Obstacles,
    AgeBand,
    YearsOfService,
    FunctionLevel,
    Household,
}

/// Where a question comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    /// Fixed by the questionnaire version; comparable across organisations and rounds.
    Core,
    /// Added by a programme admin on top of a version.
    Custom,
}

/// One answer option of a single or multiple choice question.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Choice {
    pub id: String,
    pub label: Text,
    /// Counts as "open to a bigger contract" (only on the openness question).
    pub open: bool,
    /// In a multiple choice question: cannot be combined with other options.
    pub exclusive: bool,
}

/// The type of a question with its type-specific settings.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum QuestionKind {
    /// A number between `min` and `max` (inclusive) with at most `decimals` decimals.
    Number {
        min: f64,
        max: f64,
        decimals: u32,
        unit: Text,
    },
    /// Exactly one option.
    Single { options: Vec<Choice> },
    /// One or more options.
    Multi { options: Vec<Choice> },
    /// Free text of at most `max_len` characters.
    Text { max_len: usize },
    /// A whole number on a scale from `min` to `max` with labelled ends.
    Scale {
        min: i64,
        max: i64,
        min_label: Text,
        max_label: Text,
    },
}

impl QuestionKind {
    /// The options of a choice question, empty otherwise.
    pub fn options(&self) -> &[Choice] {
        match self {
            QuestionKind::Single { options } | QuestionKind::Multi { options } => options,
            _ => &[],
        }
    }

    /// Short name of the kind as in the data files.
    pub fn name(&self) -> &'static str {
        match self {
            QuestionKind::Number { .. } => "number",
            QuestionKind::Single { .. } => "single",
            QuestionKind::Multi { .. } => "multi",
            QuestionKind::Text { .. } => "text",
            QuestionKind::Scale { .. } => "scale",
        }
    }
}

/// Skip logic: the question is shown only when the answer to `question` contains one of
/// `any_of` (for a multiple choice question: at least one of them is chosen).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    pub question: String,
    pub any_of: Vec<String>,
}

impl Condition {
    fn holds(&self, response: &Response) -> bool {
        match response.get(&self.question) {
            Some(Answer::Choice(c)) => self.any_of.iter().any(|o| o == c),
            Some(Answer::Choices(cs)) => cs.iter().any(|c| self.any_of.contains(c)),
            _ => false,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Question {
    pub id: String,
    pub page: String,
    pub text: Text,
    pub help: Option<Text>,
    /// Must be answered when shown.
    pub required: bool,
    pub role: Option<Role>,
    /// A background field (age band, years of service, ...): coarsened in raw exports.
    pub background: bool,
    /// All conditions must hold for the question to be shown.
    pub show_if: Vec<Condition>,
    pub origin: Origin,
    /// Other header wordings for the import mapping (see [`RawQuestion::aliases`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    #[serde(flatten)]
    pub kind: QuestionKind,
}

impl Question {
    /// The option with `id`, for choice questions.
    pub fn option(&self, id: &str) -> Option<&Choice> {
        self.kind.options().iter().find(|c| c.id == id)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Page {
    pub id: String,
    pub title: Text,
}

/// A loaded and validated questionnaire. Build it with [`Questionnaire::standard`],
/// [`Questionnaire::from_toml`] or [`Questionnaire::with_custom`]; the fields are public for
/// reading, the invariants hold for values built by those functions. It serialises (for
/// the API) but does not deserialise: store a round's questionnaire as key, version and
/// its custom questions (`Vec<RawQuestion>`), and rebuild it with `with_custom`, so the
/// checks always run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Questionnaire {
    pub key: String,
    pub version: u32,
    pub title: Text,
    pub intro: Text,
    pub pages: Vec<Page>,
    pub questions: Vec<Question>,
}

// ----- raw file format -------------------------------------------------------------------

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuestionnaire {
    key: String,
    version: u32,
    title: Text,
    intro: Text,
    pages: Vec<Page>,
    questions: Vec<RawQuestion>,
}

/// A question as written in a data file, and as an admin submits a custom question
/// (JSON or TOML with the same field names).
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RawQuestion {
    pub id: String,
    #[serde(default)]
    pub page: Option<String>,
    pub kind: String,
    pub text: Text,
    #[serde(default)]
    pub help: Option<Text>,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub role: Option<Role>,
    #[serde(default)]
    pub background: bool,
    #[serde(default)]
    pub show_if: Vec<Condition>,
    #[serde(default)]
    pub min: Option<f64>,
    #[serde(default)]
    pub max: Option<f64>,
    #[serde(default)]
    pub decimals: Option<u32>,
    #[serde(default)]
    pub unit: Option<Text>,
    #[serde(default)]
    pub max_len: Option<usize>,
    #[serde(default)]
    pub min_label: Option<Text>,
    #[serde(default)]
    pub max_label: Option<Text>,
    #[serde(default)]
    pub options: Vec<RawOption>,
    /// Other wordings of this question as they appear as column headers in earlier survey
    /// exports; used only to propose an import mapping.
    #[serde(default)]
    pub aliases: Vec<String>,
}

/// An answer option as written in a data file.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RawOption {
    pub id: String,
    pub nl: String,
    pub en: String,
    #[serde(default)]
    pub open: bool,
    #[serde(default)]
    pub exclusive: bool,
}

fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

fn build_question(raw: RawQuestion, origin: Origin) -> Result<Question, LoadError> {
    let q = &raw.id;
    if !valid_id(q) {
        return Err(invalid(format!(
            "question id {q:?} must be 1-64 characters a-z, 0-9 or _"
        )));
    }
    if !raw.text.is_complete() {
        return Err(invalid(format!("question {q}: text needs nl and en")));
    }
    if let Some(h) = &raw.help
        && !h.is_complete()
    {
        return Err(invalid(format!("question {q}: help needs nl and en")));
    }
    let unused = |name: &str, present: bool| -> Result<(), LoadError> {
        if present {
            Err(invalid(format!(
                "question {q}: field {name} does not apply to kind {}",
                raw.kind
            )))
        } else {
            Ok(())
        }
    };
    let build_options = |options: &[RawOption]| -> Result<Vec<Choice>, LoadError> {
        if options.len() < 2 {
            return Err(invalid(format!("question {q}: needs at least 2 options")));
        }
        let mut seen = BTreeSet::new();
        options
            .iter()
            .map(|o| {
                if !valid_id(&o.id) {
                    return Err(invalid(format!(
                        "question {q}: option id {:?} invalid",
                        o.id
                    )));
                }
                if !seen.insert(o.id.clone()) {
                    return Err(invalid(format!("question {q}: option {} twice", o.id)));
                }
                let label = Text::new(o.nl.clone(), o.en.clone());
                if !label.is_complete() {
                    return Err(invalid(format!(
                        "question {q}: option {} needs nl and en",
                        o.id
                    )));
                }
                Ok(Choice {
                    id: o.id.clone(),
                    label,
                    open: o.open,
                    exclusive: o.exclusive,
                })
            })
            .collect()
    };
    let kind = match raw.kind.as_str() {
        "number" => {
            unused("options", !raw.options.is_empty())?;
            unused("max_len", raw.max_len.is_some())?;
            unused(
                "min_label",
                raw.min_label.is_some() || raw.max_label.is_some(),
            )?;
            let (Some(min), Some(max)) = (raw.min, raw.max) else {
                return Err(invalid(format!("question {q}: number needs min and max")));
            };
            if !(min.is_finite() && max.is_finite() && min <= max) {
                return Err(invalid(format!("question {q}: min must be <= max")));
            }
            let decimals = raw.decimals.unwrap_or(0);
            if decimals > 4 {
                return Err(invalid(format!("question {q}: at most 4 decimals")));
            }
            let unit = raw
                .unit
                .clone()
                .ok_or_else(|| invalid(format!("question {q}: number needs a unit")))?;
            if !unit.is_complete() {
                return Err(invalid(format!("question {q}: unit needs nl and en")));
            }
            QuestionKind::Number {
                min,
                max,
                decimals,
                unit,
            }
        }
        "single" | "multi" => {
            unused("min/max", raw.min.is_some() || raw.max.is_some())?;
            unused("decimals", raw.decimals.is_some())?;
            unused("unit", raw.unit.is_some())?;
            unused("max_len", raw.max_len.is_some())?;
            unused(
                "min_label",
                raw.min_label.is_some() || raw.max_label.is_some(),
            )?;
            let options = build_options(&raw.options)?;
            if raw.kind == "single" {
                if options.iter().any(|o| o.exclusive) {
                    return Err(invalid(format!(
                        "question {q}: exclusive only applies to multi"
                    )));
                }
                QuestionKind::Single { options }
            } else {
                QuestionKind::Multi { options }
            }
        }
        "text" => {
            unused("options", !raw.options.is_empty())?;
            unused("min/max", raw.min.is_some() || raw.max.is_some())?;
            unused("decimals", raw.decimals.is_some())?;
            unused("unit", raw.unit.is_some())?;
            unused(
                "min_label",
                raw.min_label.is_some() || raw.max_label.is_some(),
            )?;
            let max_len = raw.max_len.unwrap_or(500);
            if max_len == 0 || max_len > 2000 {
                return Err(invalid(format!("question {q}: max_len must be 1-2000")));
            }
            QuestionKind::Text { max_len }
        }
        "scale" => {
            unused("options", !raw.options.is_empty())?;
            unused("decimals", raw.decimals.is_some())?;
            unused("unit", raw.unit.is_some())?;
            unused("max_len", raw.max_len.is_some())?;
            let (Some(min), Some(max)) = (raw.min, raw.max) else {
                return Err(invalid(format!("question {q}: scale needs min and max")));
            };
            if min.fract() != 0.0 || max.fract() != 0.0 || min >= max || max - min > 10.0 {
                return Err(invalid(format!(
                    "question {q}: scale needs whole min < max, at most 11 points"
                )));
            }
            let (Some(min_label), Some(max_label)) = (raw.min_label.clone(), raw.max_label.clone())
            else {
                return Err(invalid(format!(
                    "question {q}: scale needs min_label and max_label"
                )));
            };
            if !min_label.is_complete() || !max_label.is_complete() {
                return Err(invalid(format!(
                    "question {q}: scale labels need nl and en"
                )));
            }
            QuestionKind::Scale {
                min: min as i64,
                max: max as i64,
                min_label,
                max_label,
            }
        }
        other => {
            return Err(invalid(format!(
                "question {q}: unknown kind {other:?} (number, single, multi, text, scale)"
            )));
        }
    };
    let page = raw
        .page
        .clone()
        .ok_or_else(|| invalid(format!("question {q}: needs a page")))?;
    Ok(Question {
        id: raw.id,
        page,
        text: raw.text,
        help: raw.help,
        required: raw.required,
        role: raw.role,
        background: raw.background,
        show_if: raw.show_if,
        origin,
        aliases: raw.aliases,
        kind,
    })
}

impl Questionnaire {
    /// A standard questionnaire by key and version, e.g. `("medewerkers", 1)`. Loaded from
    /// the embedded data file once and cached.
    pub fn standard(key: &str, version: u32) -> Result<&'static Questionnaire, LoadError> {
        static LOADED: OnceLock<Vec<Result<Questionnaire, LoadError>>> = OnceLock::new();
        let all = LOADED.get_or_init(|| {
            STANDARD
                .iter()
                .map(|(_, _, src)| Self::from_toml(src))
                .collect()
        });
        for ((k, v, _), loaded) in STANDARD.iter().zip(all) {
            if *k == key && *v == version {
                return loaded.as_ref().map_err(Clone::clone);
            }
        }
        Err(LoadError::Unknown {
            key: key.to_string(),
            version,
        })
    }

    /// All standard questionnaires, loaded and validated.
    pub fn all_standard() -> Result<Vec<&'static Questionnaire>, LoadError> {
        STANDARD
            .iter()
            .map(|(k, v, _)| Self::standard(k, *v))
            .collect()
    }

    /// Stable identifier of key and version, e.g. `medewerkers-v1`.
    pub fn id(&self) -> String {
        format!("{}-v{}", self.key, self.version)
    }

    /// Parse and validate a questionnaire data file.
    pub fn from_toml(src: &str) -> Result<Questionnaire, LoadError> {
        let raw: RawQuestionnaire =
            toml::from_str(src).map_err(|e| LoadError::Toml(e.to_string()))?;
        if !valid_id(&raw.key) || raw.version == 0 {
            return Err(invalid("key must be a-z/0-9/_ and version at least 1"));
        }
        if !raw.title.is_complete() || !raw.intro.is_complete() {
            return Err(invalid("title and intro need nl and en"));
        }
        let questions = raw
            .questions
            .into_iter()
            .map(|q| {
                if q.id.starts_with(CUSTOM_PREFIX) {
                    return Err(invalid(format!(
                        "core question {} may not start with {CUSTOM_PREFIX}",
                        q.id
                    )));
                }
                build_question(q, Origin::Core)
            })
            .collect::<Result<Vec<_>, _>>()?;
        let qn = Questionnaire {
            key: raw.key,
            version: raw.version,
            title: raw.title,
            intro: raw.intro,
            pages: raw.pages,
            questions,
        };
        qn.check()?;
        Ok(qn)
    }

    /// This questionnaire with optional questions added by a programme admin. Custom ids
    /// start with [`CUSTOM_PREFIX`]; they are never required, go on their own page
    /// [`CUSTOM_PAGE`] (after the core pages) unless they name an existing page, and have no
    /// statistical role. Core ids, options and order stay exactly as they were.
    pub fn with_custom(&self, custom: Vec<RawQuestion>) -> Result<Questionnaire, LoadError> {
        let mut out = self.clone();
        for mut raw in custom {
            if !raw.id.starts_with(CUSTOM_PREFIX) || raw.id.len() == CUSTOM_PREFIX.len() {
                return Err(invalid(format!(
                    "added question {} must start with {CUSTOM_PREFIX}",
                    raw.id
                )));
            }
            if raw.required {
                return Err(invalid(format!(
                    "added question {} cannot be required",
                    raw.id
                )));
            }
            if raw.role.is_some() {
                return Err(invalid(format!(
                    "added question {} cannot have a role",
                    raw.id
                )));
            }
            let page = raw.page.clone().unwrap_or_else(|| CUSTOM_PAGE.to_string());
            if page == CUSTOM_PAGE && !out.pages.iter().any(|p| p.id == CUSTOM_PAGE) {
                out.pages.push(Page {
                    id: CUSTOM_PAGE.to_string(),
                    title: Text::new("Extra vragen", "Extra questions"),
                });
            }
            raw.page = Some(page);
            out.questions.push(build_question(raw, Origin::Custom)?);
        }
        out.check()?;
        Ok(out)
    }

    /// Whole-questionnaire invariants: unique ids, known pages, skip logic only refers to
    /// earlier choice questions and their options, questions grouped by page in page order,
    /// at most one question per role, openness options marked.
    fn check(&self) -> Result<(), LoadError> {
        let mut page_ids = Vec::new();
        for p in &self.pages {
            if !valid_id(&p.id) || page_ids.contains(&p.id.as_str()) {
                return Err(invalid(format!("page id {:?} invalid or twice", p.id)));
            }
            if !p.title.is_complete() {
                return Err(invalid(format!("page {}: title needs nl and en", p.id)));
            }
            page_ids.push(&p.id);
        }
        let mut seen: BTreeMap<&str, &Question> = BTreeMap::new();
        let mut roles = BTreeSet::new();
        let mut last_page = 0;
        for q in &self.questions {
            let Some(page_idx) = page_ids.iter().position(|p| *p == q.page) else {
                return Err(invalid(format!(
                    "question {}: unknown page {}",
                    q.id, q.page
                )));
            };
            if page_idx < last_page {
                return Err(invalid(format!(
                    "question {}: questions must follow page order",
                    q.id
                )));
            }
            last_page = page_idx;
            for c in &q.show_if {
                let Some(dep) = seen.get(c.question.as_str()) else {
                    return Err(invalid(format!(
                        "question {}: show_if refers to {} which is not an earlier question",
                        q.id, c.question
                    )));
                };
                if dep.kind.options().is_empty() {
                    return Err(invalid(format!(
                        "question {}: show_if needs a choice question, {} is not",
                        q.id, c.question
                    )));
                }
                if c.any_of.is_empty() {
                    return Err(invalid(format!(
                        "question {}: show_if any_of is empty",
                        q.id
                    )));
                }
                for o in &c.any_of {
                    if dep.option(o).is_none() {
                        return Err(invalid(format!(
                            "question {}: show_if option {o} is not an option of {}",
                            q.id, c.question
                        )));
                    }
                }
            }
            if let Some(role) = q.role {
                if !roles.insert(role) {
                    return Err(invalid(format!("role {role:?} used twice")));
                }
                let ok = match role {
                    Role::ContractHours | Role::WorkedHours | Role::DesiredHours => {
                        matches!(q.kind, QuestionKind::Number { .. })
                    }
                    Role::Conditions | Role::Obstacles => {
                        matches!(q.kind, QuestionKind::Multi { .. })
                    }
                    _ => matches!(q.kind, QuestionKind::Single { .. }),
                };
                if !ok {
                    return Err(invalid(format!(
                        "question {}: role {role:?} does not fit kind {}",
                        q.id,
                        q.kind.name()
                    )));
                }
                if role == Role::Openness && !q.kind.options().iter().any(|o| o.open) {
                    return Err(invalid(format!(
                        "question {}: openness needs options marked open",
                        q.id
                    )));
                }
            }
            if q.role != Some(Role::Openness) && q.kind.options().iter().any(|o| o.open) {
                return Err(invalid(format!(
                    "question {}: only the openness question marks options open",
                    q.id
                )));
            }
            if seen.insert(&q.id, q).is_some() {
                return Err(invalid(format!("question id {} twice", q.id)));
            }
        }
        for p in &self.pages {
            if !self.questions.iter().any(|q| q.page == p.id) {
                return Err(invalid(format!("page {} has no questions", p.id)));
            }
        }
        Ok(())
    }

    pub fn question(&self, id: &str) -> Option<&Question> {
        self.questions.iter().find(|q| q.id == id)
    }

    /// The question with a statistical role, if this questionnaire has one.
    pub fn by_role(&self, role: Role) -> Option<&Question> {
        self.questions.iter().find(|q| q.role == Some(role))
    }

    /// Whether `question` is shown given the answers so far (skip logic). A question is
    /// shown when all its conditions hold and the questions it depends on are shown too.
    pub fn is_shown(&self, question: &Question, response: &Response) -> bool {
        question.show_if.iter().all(|c| {
            c.holds(response)
                && self
                    .question(&c.question)
                    .is_some_and(|dep| self.is_shown(dep, response))
        })
    }

    /// The questions of a page in order (shown or not).
    pub fn page_questions<'a>(&'a self, page: &'a str) -> impl Iterator<Item = &'a Question> + 'a {
        self.questions.iter().filter(move |q| q.page == page)
    }

    /// The pages that have at least one shown question, in order: the steps of the
    /// phone-first flow for these answers.
    pub fn visible_pages(&self, response: &Response) -> Vec<&Page> {
        self.pages
            .iter()
            .filter(|p| {
                self.page_questions(&p.id)
                    .any(|q| self.is_shown(q, response))
            })
            .collect()
    }

    /// The next page with a shown question after `current` (`None` = start), or `None`
    /// when the questionnaire is done.
    pub fn next_page(&self, current: Option<&str>, response: &Response) -> Option<&Page> {
        let start = match current {
            None => 0,
            Some(c) => self.pages.iter().position(|p| p.id == c)? + 1,
        };
        self.pages[start..].iter().find(|p| {
            self.page_questions(&p.id)
                .any(|q| self.is_shown(q, response))
        })
    }

    /// The previous page with a shown question before `current` (back navigation).
    pub fn previous_page(&self, current: &str, response: &Response) -> Option<&Page> {
        let idx = self.pages.iter().position(|p| p.id == current)?;
        self.pages[..idx].iter().rev().find(|p| {
            self.page_questions(&p.id)
                .any(|q| self.is_shown(q, response))
        })
    }

    /// Progress for the indicator: `(step, steps)` with step 1-based. The step counts the
    /// shown pages up to `current`; the total adds every later page that may still show,
    /// because a condition it depends on is asked on this page or later. So the step goes
    /// up by one per page and the total never grows on the way ("Stap 1 van 4" is never
    /// followed by "Stap 3 van 5"). `None` for an unknown or hidden page.
    pub fn progress(&self, current: &str, response: &Response) -> Option<(usize, usize)> {
        let cur = self.pages.iter().position(|p| p.id == current)?;
        let shown = |p: &Page| {
            self.page_questions(&p.id)
                .any(|q| self.is_shown(q, response))
        };
        if !shown(&self.pages[cur]) {
            return None;
        }
        let step = self.pages[..=cur].iter().filter(|p| shown(p)).count();
        let later = self.pages[cur + 1..]
            .iter()
            .filter(|p| {
                self.page_questions(&p.id)
                    .any(|q| self.may_show(q, response, cur))
            })
            .count();
        Some((step, step + later))
    }

    /// Whether `question` is shown, or may still be: a condition on a question of page
    /// `cur` or later counts as open (it can still be answered or changed).
    fn may_show(&self, question: &Question, response: &Response, cur: usize) -> bool {
        question.show_if.iter().all(|c| {
            let Some(dep) = self.question(&c.question) else {
                return false;
            };
            let open = self
                .pages
                .iter()
                .position(|p| p.id == dep.page)
                .is_some_and(|page| page >= cur);
            (open || c.holds(response)) && self.may_show(dep, response, cur)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standard_questionnaires_load() {
        let all = Questionnaire::all_standard().unwrap();
        assert_eq!(all.len(), 2);
        assert_eq!(all[0].id(), "medewerkers-v1");
    }

    #[test]
    fn rejects_forward_skip_reference() {
        let src = r#"
key = "x"
version = 1
title = { nl = "a", en = "a" }
intro = { nl = "a", en = "a" }
[[pages]]
id = "p"
title = { nl = "a", en = "a" }
[[questions]]
id = "b"
page = "p"
kind = "text"
text = { nl = "a", en = "a" }
show_if = [{ question = "a", any_of = ["x"] }]
[[questions]]
id = "a"
page = "p"
kind = "single"
text = { nl = "a", en = "a" }
options = [{ id = "x", nl = "x", en = "x" }, { id = "y", nl = "y", en = "y" }]
"#;
        let err = Questionnaire::from_toml(src).unwrap_err();
        assert!(err.to_string().contains("not an earlier question"), "{err}");
    }

    /// Issue 33: "Stap 1 van 4" followed by "Stap 3 van 5". The step goes up by one per
    /// page and the total never grows, whichever way the condition goes.
    #[test]
    fn progress_steps_up_by_one_and_the_total_never_grows() {
        let src = r#"
key = "x"
version = 1
title = { nl = "a", en = "a" }
intro = { nl = "a", en = "a" }
[[pages]]
id = "p1"
title = { nl = "a", en = "a" }
[[pages]]
id = "p2"
title = { nl = "a", en = "a" }
[[pages]]
id = "p3"
title = { nl = "a", en = "a" }
[[questions]]
id = "a"
page = "p1"
kind = "single"
text = { nl = "a", en = "a" }
options = [{ id = "x", nl = "x", en = "x" }, { id = "y", nl = "y", en = "y" }]
[[questions]]
id = "b"
page = "p2"
kind = "text"
text = { nl = "b", en = "b" }
show_if = [{ question = "a", any_of = ["x"] }]
[[questions]]
id = "c"
page = "p3"
kind = "text"
text = { nl = "c", en = "c" }
"#;
        let q = Questionnaire::from_toml(src).unwrap();
        let empty = Response::new();
        assert_eq!(q.progress("p1", &empty), Some((1, 3)));
        let mut x = Response::new();
        x.set("a", Answer::Choice("x".into()));
        assert_eq!(q.progress("p1", &x), Some((1, 3)));
        assert_eq!(q.progress("p2", &x), Some((2, 3)));
        assert_eq!(q.progress("p3", &x), Some((3, 3)));
        let mut y = Response::new();
        y.set("a", Answer::Choice("y".into()));
        assert_eq!(
            q.progress("p1", &y),
            Some((1, 3)),
            "a can still change here"
        );
        assert_eq!(q.progress("p2", &y), None, "hidden");
        assert_eq!(q.progress("p3", &y), Some((2, 2)));
        // The standard questionnaire walked with every choice question answered with its
        // first option: steps 1, 2, 3, … and a total that never grows.
        for qn in Questionnaire::all_standard().unwrap() {
            for pick in [0usize, 1] {
                let mut r = Response::new();
                let mut page = q_next(qn, None, &r);
                let (mut step, mut total) = (0, usize::MAX);
                while let Some(p) = page {
                    let (s, t) = qn.progress(&p, &r).unwrap();
                    assert_eq!(s, step + 1, "{}: {p}", qn.id());
                    assert!(t <= total, "{}: {p}: total {t} after {total}", qn.id());
                    (step, total) = (s, t);
                    for question in qn.page_questions(&p) {
                        let options = question.kind.options();
                        if !options.is_empty() {
                            let o = &options[pick.min(options.len() - 1)];
                            r.set(question.id.clone(), Answer::Choice(o.id.clone()));
                        }
                    }
                    page = q_next(qn, Some(&p), &r);
                }
                assert_eq!(step, total, "{}: the last step is the total", qn.id());
            }
        }
    }

    fn q_next(q: &Questionnaire, current: Option<&str>, r: &Response) -> Option<String> {
        q.next_page(current, r).map(|p| p.id.clone())
    }
}
