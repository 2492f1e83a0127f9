//! Answers, responses and their validation against a questionnaire.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::questionnaire::{Question, QuestionKind, Questionnaire};
use crate::text::Lang;

/// One answer. Serialised externally tagged, e.g. `{"number": 24.5}`, `{"choice": "nee"}`,
/// `{"choices": ["langere_diensten", "kinderopvang"]}`, `{"text": "..."}`, `{"scale": 4}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    Number(f64),
    Choice(String),
    Choices(Vec<String>),
    Text(String),
    Scale(i64),
}

/// A respondent's answers: question id → answer. Serialised as a JSON object.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Response {
    pub answers: BTreeMap<String, Answer>,
}

impl Response {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn get(&self, id: &str) -> Option<&Answer> {
        self.answers.get(id)
    }

    pub fn set(&mut self, id: impl Into<String>, answer: Answer) -> &mut Self {
        self.answers.insert(id.into(), answer);
        self
    }

    /// Builder form of [`Response::set`].
    pub fn with(mut self, id: impl Into<String>, answer: Answer) -> Self {
        self.set(id, answer);
        self
    }

    pub fn number(&self, id: &str) -> Option<f64> {
        match self.get(id) {
            Some(Answer::Number(n)) => Some(*n),
            _ => None,
        }
    }

    pub fn choice(&self, id: &str) -> Option<&str> {
        match self.get(id) {
            Some(Answer::Choice(c)) => Some(c),
            _ => None,
        }
    }

    pub fn choices(&self, id: &str) -> &[String] {
        match self.get(id) {
            Some(Answer::Choices(c)) => c,
            _ => &[],
        }
    }
}

/// What is wrong with one answer.
#[derive(Debug, Clone, PartialEq, Serialize, thiserror::Error)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum ErrorKind {
    #[error("unknown question")]
    UnknownQuestion,
    #[error("an answer is required")]
    Required,
    #[error("answer given to a question that is skipped")]
    Skipped,
    #[error("answer has the wrong type, expected {expected}")]
    WrongType { expected: String },
    #[error("not a number")]
    NotANumber,
    #[error("number must be between {min} and {max}")]
    OutOfRange { min: f64, max: f64 },
    #[error("at most {decimals} decimals")]
    TooManyDecimals { decimals: u32 },
    #[error("unknown option {option}")]
    UnknownOption { option: String },
    #[error("option {option} chosen twice")]
    DuplicateOption { option: String },
    #[error("option {option} cannot be combined with others")]
    Exclusive { option: String },
    #[error("choose at least one option")]
    NoOption,
    #[error("text longer than {max_len} characters")]
    TooLong { max_len: usize },
    #[error("text is empty")]
    EmptyText,
    #[error("unknown page")]
    UnknownPage,
}

/// One problem with a response, naming the question in Dutch and English.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ValidationError {
    pub question: String,
    #[serde(flatten)]
    pub kind: ErrorKind,
    /// The message in Dutch, naming the question (for a list of errors at the top).
    pub nl: String,
    /// The same message in English.
    pub en: String,
    /// Only what to do, in Dutch (to show right next to the question).
    pub hint_nl: String,
    /// Only what to do, in English.
    pub hint_en: String,
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

impl ValidationError {
    fn new(q: &Question, kind: ErrorKind) -> Self {
        let hint_nl = message_nl(&kind, q);
        let hint_en = message_en(&kind);
        let nl = format!("Bij de vraag '{}': {hint_nl}", q.text.nl);
        let en = format!("At the question '{}': {hint_en}", q.text.en);
        Self {
            question: q.id.clone(),
            kind,
            nl,
            en,
            hint_nl: capitalise(&hint_nl),
            hint_en: capitalise(&hint_en),
        }
    }

    fn unknown(id: &str, kind: ErrorKind) -> Self {
        let (nl, en) = match kind {
            ErrorKind::UnknownPage => (
                format!("Onbekende pagina '{id}'."),
                format!("Unknown page '{id}'."),
            ),
            _ => (
                format!("Onbekende vraag '{id}'."),
                format!("Unknown question '{id}'."),
            ),
        };
        Self {
            question: id.to_string(),
            kind,
            hint_nl: nl.clone(),
            hint_en: en.clone(),
            nl,
            en,
        }
    }

    pub fn message(&self, lang: Lang) -> &str {
        match lang {
            Lang::Nl => &self.nl,
            Lang::En => &self.en,
        }
    }
}

/// Dutch number format for messages and exports: comma as decimal separator, at most
/// four decimals, no trailing zeros, no thousands dots.
pub(crate) fn nl_number(x: f64) -> String {
    report::nl::plain_f64(x, 4)
}

fn message_nl(kind: &ErrorKind, q: &Question) -> String {
    let label = |o: &str| {
        q.option(o)
            .map(|c| format!("'{}'", c.label.nl))
            .unwrap_or_else(|| format!("'{o}'"))
    };
    match kind {
        ErrorKind::UnknownQuestion => "deze vraag bestaat niet.".into(),
        ErrorKind::Required => "geef hier een antwoord.".into(),
        ErrorKind::Skipped => "deze vraag hoort niet bij uw eerdere antwoorden.".into(),
        ErrorKind::WrongType { .. } => "dit antwoord past niet bij de vraag.".into(),
        ErrorKind::NotANumber => "vul een getal in, bijvoorbeeld 24 of 24,5.".into(),
        ErrorKind::OutOfRange { min, max } => format!(
            "vul een getal in van {} tot en met {}.",
            nl_number(*min),
            nl_number(*max)
        ),
        ErrorKind::TooManyDecimals { decimals: 0 } => "vul een heel getal in.".into(),
        ErrorKind::TooManyDecimals { decimals } => {
            format!("gebruik hoogstens {decimals} cijfers achter de komma.")
        }
        ErrorKind::UnknownOption { option } => {
            format!("{} is geen keuze bij deze vraag.", label(option))
        }
        ErrorKind::DuplicateOption { option } => format!("{} is twee keer gekozen.", label(option)),
        ErrorKind::Exclusive { option } => {
            format!(
                "{} kunt u niet samen met iets anders kiezen.",
                label(option)
            )
        }
        ErrorKind::NoOption => "kies minstens één antwoord.".into(),
        ErrorKind::TooLong { max_len } => format!("gebruik hoogstens {max_len} tekens."),
        ErrorKind::EmptyText => "de tekst is leeg.".into(),
        ErrorKind::UnknownPage => "deze pagina bestaat niet.".into(),
    }
}

fn message_en(kind: &ErrorKind) -> String {
    match kind {
        ErrorKind::NotANumber => "enter a number, for example 24 or 24.5.".into(),
        ErrorKind::OutOfRange { min, max } => format!("enter a number from {min} to {max}."),
        ErrorKind::TooManyDecimals { decimals: 0 } => "enter a whole number.".into(),
        ErrorKind::Required => "please answer this question.".into(),
        ErrorKind::NoOption => "choose at least one answer.".into(),
        other => format!("{other}."),
    }
}

/// All problems found in a response (never empty).
#[derive(Debug, Clone, PartialEq, Serialize, thiserror::Error)]
#[error("{} problem(s) in the answers", errors.len())]
pub struct ValidationErrors {
    pub errors: Vec<ValidationError>,
}

/// How to treat answers to questions the skip logic hides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SkipPolicy {
    /// Drop them and list them in [`Validated::dropped`]. Right for the respondent flow:
    /// someone who goes back and changes "nee" into "ja, zeker" leaves obstacles behind.
    #[default]
    Drop,
    /// Refuse the response with [`ErrorKind::Skipped`].
    Refuse,
}

/// Options for [`Questionnaire::validate_with`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ValidateOptions {
    pub skipped: SkipPolicy,
    /// Check that required shown questions are answered. Off for imports from other tools
    /// that did not ask every core question.
    pub require: bool,
}

impl Default for ValidateOptions {
    fn default() -> Self {
        Self {
            skipped: SkipPolicy::Drop,
            require: true,
        }
    }
}

/// A response that passed validation, with what was dropped on the way.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Validated {
    /// Only answers to shown questions, normalised (multi-choice options in questionnaire
    /// order, text trimmed).
    pub response: Response,
    /// Ids of answers to skipped questions that were dropped.
    pub dropped: Vec<String>,
}

fn has_decimals_at_most(x: f64, decimals: u32) -> bool {
    let scaled = x * 10f64.powi(decimals as i32);
    (scaled - scaled.round()).abs() < 1e-6 * scaled.abs().max(1.0)
}

/// Check one answer against its question; returns the normalised answer.
pub fn check_answer(q: &Question, answer: &Answer) -> Result<Answer, Box<ValidationError>> {
    let err = |k| Err(Box::new(ValidationError::new(q, k)));
    match (&q.kind, answer) {
        (
            QuestionKind::Number {
                min, max, decimals, ..
            },
            Answer::Number(x),
        ) => {
            if !x.is_finite() {
                return err(ErrorKind::NotANumber);
            }
            if x < min || x > max {
                return err(ErrorKind::OutOfRange {
                    min: *min,
                    max: *max,
                });
            }
            if !has_decimals_at_most(*x, *decimals) {
                return err(ErrorKind::TooManyDecimals {
                    decimals: *decimals,
                });
            }
            Ok(Answer::Number(*x))
        }
        (QuestionKind::Single { .. }, Answer::Choice(c)) => {
            if q.option(c).is_none() {
                return err(ErrorKind::UnknownOption { option: c.clone() });
            }
            Ok(answer.clone())
        }
        (QuestionKind::Multi { options }, Answer::Choices(cs)) => {
            if cs.is_empty() {
                return err(ErrorKind::NoOption);
            }
            for (i, c) in cs.iter().enumerate() {
                let Some(opt) = q.option(c) else {
                    return err(ErrorKind::UnknownOption { option: c.clone() });
                };
                if cs[..i].contains(c) {
                    return err(ErrorKind::DuplicateOption { option: c.clone() });
                }
                if opt.exclusive && cs.len() > 1 {
                    return err(ErrorKind::Exclusive { option: c.clone() });
                }
            }
            let ordered = options
                .iter()
                .filter(|o| cs.contains(&o.id))
                .map(|o| o.id.clone())
                .collect();
            Ok(Answer::Choices(ordered))
        }
        (QuestionKind::Text { max_len }, Answer::Text(t)) => {
            // NUL and other control characters (not line breaks or tabs) are dropped:
            // PostgreSQL refuses NUL in text, and an anonymous answer is kept, not refused.
            let t: String = t
                .chars()
                .filter(|c| !c.is_control() || matches!(c, '\n' | '\r' | '\t'))
                .collect();
            let t = t.trim();
            if t.is_empty() {
                return err(ErrorKind::EmptyText);
            }
            if t.chars().count() > *max_len {
                return err(ErrorKind::TooLong { max_len: *max_len });
            }
            Ok(Answer::Text(t.to_string()))
        }
        (QuestionKind::Scale { min, max, .. }, Answer::Scale(x)) => {
            if x < min || x > max {
                return err(ErrorKind::OutOfRange {
                    min: *min as f64,
                    max: *max as f64,
                });
            }
            Ok(answer.clone())
        }
        (kind, _) => err(ErrorKind::WrongType {
            expected: kind.name().to_string(),
        }),
    }
}

/// Parse a number the way people type it: `24`, `24,5`, `24.5`, `1.234,5`, `24 uur`.
pub fn parse_number(s: &str) -> Option<f64> {
    let s = s.trim();
    let s = s
        .trim_end_matches(|c: char| c.is_alphabetic() || c.is_whitespace() || c == '.')
        .trim();
    // The rules for the number itself are report::nl's.
    report::nl::parse_number_f64(s).ok()
}

impl Questionnaire {
    /// Turn form values (as a browser without JavaScript posts them; several values for a
    /// multiple choice question) into an answer for `question`. Empty input gives `Ok(None)`.
    /// The result still has to pass [`check_answer`] (done by validation).
    pub fn parse_form(
        &self,
        question: &str,
        values: &[&str],
    ) -> Result<Option<Answer>, Box<ValidationError>> {
        let Some(q) = self.question(question) else {
            return Err(Box::new(ValidationError::unknown(
                question,
                ErrorKind::UnknownQuestion,
            )));
        };
        let values: Vec<&str> = values
            .iter()
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
            .collect();
        if values.is_empty() {
            return Ok(None);
        }
        let answer = match &q.kind {
            QuestionKind::Number { .. } => match parse_number(values[0]) {
                Some(x) => Answer::Number(x),
                None => return Err(Box::new(ValidationError::new(q, ErrorKind::NotANumber))),
            },
            QuestionKind::Scale { .. } => match values[0].parse::<i64>() {
                Ok(x) => Answer::Scale(x),
                Err(_) => return Err(Box::new(ValidationError::new(q, ErrorKind::NotANumber))),
            },
            QuestionKind::Single { .. } => Answer::Choice(values[0].to_string()),
            QuestionKind::Multi { .. } => {
                Answer::Choices(values.iter().map(|v| v.to_string()).collect())
            }
            QuestionKind::Text { .. } => Answer::Text(values.join("\n")),
        };
        Ok(Some(answer))
    }

    /// Validate a whole response: required shown questions answered, values within the
    /// question's rules, answers to skipped questions dropped, unknown ids refused.
    pub fn validate(&self, response: &Response) -> Result<Validated, ValidationErrors> {
        self.validate_with(response, ValidateOptions::default())
    }

    /// [`Questionnaire::validate`] with explicit options.
    pub fn validate_with(
        &self,
        response: &Response,
        opts: ValidateOptions,
    ) -> Result<Validated, ValidationErrors> {
        let mut errors = Vec::new();
        for id in response.answers.keys() {
            if self.question(id).is_none() {
                errors.push(ValidationError::unknown(id, ErrorKind::UnknownQuestion));
            }
        }
        // Check in questionnaire order, so skip logic sees the cleaned earlier answers.
        let mut clean = Response::new();
        let mut dropped = Vec::new();
        for q in &self.questions {
            let answer = response.get(&q.id);
            let shown = self.is_shown(q, &clean);
            match (answer, shown) {
                (Some(_), false) => match opts.skipped {
                    SkipPolicy::Drop => dropped.push(q.id.clone()),
                    SkipPolicy::Refuse => errors.push(ValidationError::new(q, ErrorKind::Skipped)),
                },
                (Some(a), true) => match check_answer(q, a) {
                    Ok(a) => {
                        clean.set(q.id.clone(), a);
                    }
                    Err(e) => errors.push(*e),
                },
                (None, true) if q.required && opts.require => {
                    errors.push(ValidationError::new(q, ErrorKind::Required));
                }
                (None, _) => {}
            }
        }
        if errors.is_empty() {
            Ok(Validated {
                response: clean,
                dropped,
            })
        } else {
            Err(ValidationErrors { errors })
        }
    }

    /// Validate one page of the step-by-step flow: the shown questions of `page`, given the
    /// answers so far (earlier pages decide what is shown). Answers on other pages are
    /// ignored here; the whole response is checked again at the end.
    pub fn validate_page(&self, page: &str, response: &Response) -> Result<(), ValidationErrors> {
        if !self.pages.iter().any(|p| p.id == page) {
            return Err(ValidationErrors {
                errors: vec![ValidationError::unknown(page, ErrorKind::UnknownPage)],
            });
        }
        let mut errors = Vec::new();
        for q in self.page_questions(page) {
            if !self.is_shown(q, response) {
                continue;
            }
            match response.get(&q.id) {
                Some(a) => {
                    if let Err(e) = check_answer(q, a) {
                        errors.push(*e);
                    }
                }
                None if q.required => errors.push(ValidationError::new(q, ErrorKind::Required)),
                None => {}
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(ValidationErrors { errors })
        }
    }
}
