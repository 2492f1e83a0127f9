//! The Fase 0 interview: a structured record of the talk with director, HR adviser and/or
//! manager. Fixed themes so opportunities and obstacles can be ranked next to the survey's.
//! People are recorded by role only, never by name.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// The fixed themes an interview item is tagged with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Theme {
    Rooster,
    Financien,
    HrBeleid,
    FormatieBudget,
    Cultuur,
    Zorgvraag,
    Overig,
}

impl Theme {
    pub const ALL: [Theme; 7] = [
        Theme::Rooster,
        Theme::Financien,
        Theme::HrBeleid,
        Theme::FormatieBudget,
        Theme::Cultuur,
        Theme::Zorgvraag,
        Theme::Overig,
    ];

    /// Stable code, as stored and in the rules file.
    pub fn code(self) -> &'static str {
        match self {
            Theme::Rooster => "rooster",
            Theme::Financien => "financien",
            Theme::HrBeleid => "hr_beleid",
            Theme::FormatieBudget => "formatie_budget",
            Theme::Cultuur => "cultuur",
            Theme::Zorgvraag => "zorgvraag",
            Theme::Overig => "overig",
        }
    }

    /// Dutch label (B1).
    pub fn label(self) -> &'static str {
        match self {
            Theme::Rooster => "Rooster",
            Theme::Financien => "Financiën en geldzorgen van medewerkers",
            Theme::HrBeleid => "HR-beleid en regels",
            Theme::FormatieBudget => "Formatie en budget",
            Theme::Cultuur => "Cultuur en leiderschap",
            Theme::Zorgvraag => "Zorgvraag",
            Theme::Overig => "Overig",
        }
    }
}

impl fmt::Display for Theme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// An unknown code for one of the interview's fixed lists.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("onbekende code: {0}")]
pub struct UnknownCode(pub String);

impl FromStr for Theme {
    type Err = UnknownCode;
    fn from_str(s: &str) -> Result<Theme, UnknownCode> {
        Theme::ALL
            .into_iter()
            .find(|t| t.code() == s.trim())
            .ok_or_else(|| UnknownCode(s.to_string()))
    }
}

/// Whether an item is an opportunity or an obstacle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    Kans,
    Belemmering,
}

impl ItemKind {
    pub const ALL: [ItemKind; 2] = [ItemKind::Kans, ItemKind::Belemmering];

    pub fn code(self) -> &'static str {
        match self {
            ItemKind::Kans => "kans",
            ItemKind::Belemmering => "belemmering",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ItemKind::Kans => "Kans",
            ItemKind::Belemmering => "Belemmering",
        }
    }
}

impl FromStr for ItemKind {
    type Err = UnknownCode;
    fn from_str(s: &str) -> Result<ItemKind, UnknownCode> {
        ItemKind::ALL
            .into_iter()
            .find(|t| t.code() == s.trim())
            .ok_or_else(|| UnknownCode(s.to_string()))
    }
}

/// One opportunity or obstacle named in the interview.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InterviewItem {
    pub kind: ItemKind,
    pub theme: Theme,
    pub text: String,
    /// A literal quote, if one was noted.
    pub quote: Option<String>,
    /// The role of who said it ("bestuurder", "HR-adviseur", "teamleider"), never a name.
    pub who: String,
    /// Shown in the Value Case.
    pub in_report: bool,
}

/// The interview of one organisation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Interview {
    /// Date of the interview (ISO).
    pub held_on: Option<chrono::NaiveDate>,
    /// Roles of who took part, e.g. "bestuurder, HR-adviseur".
    pub participants: String,
    /// Current contract policy: standard contract sizes, what happens to a request for more
    /// hours.
    pub contract_policy: String,
    /// Roster practice: who makes rosters, self-rostering, shift lengths, opkomstmomenten.
    pub roster_practice: String,
    /// Flex pool and PNIL use.
    pub flex_pnil: String,
    /// Earlier initiatives on contract size.
    pub earlier_initiatives: String,
    pub items: Vec<InterviewItem>,
}

/// Limits on free text, so a record stays a summary.
pub const MAX_FIELD_CHARS: usize = 4_000;
pub const MAX_ITEM_CHARS: usize = 1_000;
pub const MAX_ITEMS: usize = 100;

/// What is wrong with an interview record, with the field and a Dutch message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct InterviewError {
    pub field: &'static str,
    pub message: String,
}

impl Interview {
    /// Trims every text and checks the limits. A `who` that looks like a person's name
    /// cannot be told apart from a role by a machine; the form says "rol, geen naam".
    pub fn validate(&mut self) -> Result<(), InterviewError> {
        let fields: [(&'static str, &mut String); 5] = [
            ("participants", &mut self.participants),
            ("contract_policy", &mut self.contract_policy),
            ("roster_practice", &mut self.roster_practice),
            ("flex_pnil", &mut self.flex_pnil),
            ("earlier_initiatives", &mut self.earlier_initiatives),
        ];
        for (field, value) in fields {
            *value = value.trim().to_string();
            if value.chars().count() > MAX_FIELD_CHARS {
                return Err(InterviewError {
                    field,
                    message: format!("Gebruik hier hoogstens {MAX_FIELD_CHARS} tekens."),
                });
            }
        }
        if self.items.len() > MAX_ITEMS {
            return Err(InterviewError {
                field: "items",
                message: format!("Noteer hoogstens {MAX_ITEMS} kansen en belemmeringen."),
            });
        }
        for item in &mut self.items {
            item.text = item.text.trim().to_string();
            item.who = item.who.trim().to_string();
            item.quote = item
                .quote
                .take()
                .map(|q| q.trim().to_string())
                .filter(|q| !q.is_empty());
            if item.text.is_empty() {
                return Err(InterviewError {
                    field: "items",
                    message: "Elke kans of belemmering heeft een beschrijving nodig.".into(),
                });
            }
            let too_long = item.text.chars().count() > MAX_ITEM_CHARS
                || item.who.chars().count() > 80
                || item
                    .quote
                    .as_ref()
                    .is_some_and(|q| q.chars().count() > MAX_ITEM_CHARS);
            if too_long {
                return Err(InterviewError {
                    field: "items",
                    message: format!(
                        "Een kans of belemmering is hoogstens {MAX_ITEM_CHARS} tekens."
                    ),
                });
            }
        }
        Ok(())
    }

    /// Items marked for the report.
    pub fn report_items(&self) -> impl Iterator<Item = &InterviewItem> {
        self.items.iter().filter(|i| i.in_report)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn theme_codes_round_trip_and_unknown_is_refused() {
        for t in Theme::ALL {
            assert_eq!(t.code().parse::<Theme>(), Ok(t));
            assert!(!t.label().is_empty());
        }
        assert_eq!(
            "roosters".parse::<Theme>(),
            Err(UnknownCode("roosters".into()))
        );
        assert_eq!("kans".parse::<ItemKind>(), Ok(ItemKind::Kans));
        assert!("kansen".parse::<ItemKind>().is_err());
    }

    #[test]
    fn validate_trims_and_refuses_empty_items() {
        let mut i = Interview {
            contract_policy: "  standaard 24 uur ".into(),
            items: vec![InterviewItem {
                kind: ItemKind::Belemmering,
                theme: Theme::Rooster,
                text: " korte diensten ".into(),
                quote: Some("  ".into()),
                who: " teamleider ".into(),
                in_report: true,
            }],
            ..Interview::default()
        };
        i.validate().unwrap();
        assert_eq!(i.contract_policy, "standaard 24 uur");
        assert_eq!(i.items[0].text, "korte diensten");
        assert_eq!(i.items[0].quote, None);
        assert_eq!(i.items[0].who, "teamleider");
        i.items[0].text = " ".into();
        assert_eq!(i.validate().unwrap_err().field, "items");
    }
}
