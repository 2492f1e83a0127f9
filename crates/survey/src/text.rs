//! Bilingual texts: Dutch first, English as the translation.

use serde::{Deserialize, Serialize};

/// The language a respondent or reader chose. Dutch is the default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Nl,
    En,
}

/// A text in Dutch with its English translation. Every user-facing text of a
/// questionnaire is one of these; loading refuses an empty side.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Text {
    pub nl: String,
    pub en: String,
}

impl Text {
    pub fn new(nl: impl Into<String>, en: impl Into<String>) -> Self {
        Self {
            nl: nl.into(),
            en: en.into(),
        }
    }

    /// The text in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Nl => &self.nl,
            Lang::En => &self.en,
        }
    }

    pub(crate) fn is_complete(&self) -> bool {
        !self.nl.trim().is_empty() && !self.en.trim().is_empty()
    }
}
