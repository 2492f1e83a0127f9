//! Extra survey questions from a plain form (issue 33: no JSON editing for users).
//!
//! A programme admin adds up to [`MAX_EXTRA`] questions to a round: the question in Dutch
//! (and optionally in English), what kind of answer it takes, and for choice questions the
//! answers, one per line. This module turns those fields into the questionnaire's own
//! question format (`survey::RawQuestion`, stored as the round's `custom_questions` JSON, the
//! same that the JSON API accepts) and checks the result against the questionnaire, with a
//! Dutch message naming the question and the fix.

use survey::questionnaire::{CUSTOM_PREFIX, RawOption};
use survey::{RawQuestion, Text};

use crate::AppError;

/// How many extra questions the form offers.
pub const MAX_EXTRA: usize = 3;

/// The kinds of answer the form offers, with their Dutch labels.
pub const KINDS: &[(&str, &str)] = &[
    ("single", "Eén antwoord kiezen"),
    ("multi", "Meer antwoorden kiezen"),
    (
        "scale",
        "Schaal van 1 (helemaal oneens) tot 5 (helemaal eens)",
    ),
    ("text", "Open antwoord (tekst)"),
];

/// The most answers a choice question may have on the form.
const MAX_OPTIONS: usize = 12;
/// The longest question text.
const MAX_TEXT: usize = 300;

/// One extra question as the form posts it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ExtraQuestionForm {
    pub text_nl: String,
    pub text_en: String,
    pub kind: String,
    /// Choice answers, one per line; `Nederlands | English` gives both languages.
    pub options: String,
}

impl ExtraQuestionForm {
    fn is_empty(&self) -> bool {
        self.text_nl.trim().is_empty()
            && self.text_en.trim().is_empty()
            && self.options.trim().is_empty()
    }
}

fn invalid(n: usize, message: impl std::fmt::Display) -> AppError {
    AppError::invalid("custom_questions", format!("Extra vraag {n}: {message}"))
}

/// A lower-case id from a label (`a-z`, `0-9`, `_`), unique within `taken`.
fn option_id(label: &str, taken: &mut Vec<String>) -> String {
    let mut id = String::new();
    for c in label.to_lowercase().chars() {
        let c = match c {
            'a'..='z' | '0'..='9' => c,
            'à' | 'á' | 'â' | 'ä' => 'a',
            'è' | 'é' | 'ê' | 'ë' => 'e',
            'ì' | 'í' | 'î' | 'ï' => 'i',
            'ò' | 'ó' | 'ô' | 'ö' => 'o',
            'ù' | 'ú' | 'û' | 'ü' => 'u',
            _ => '_',
        };
        if !(c == '_' && (id.is_empty() || id.ends_with('_'))) {
            id.push(c);
        }
    }
    let mut id: String = id.trim_end_matches('_').chars().take(40).collect();
    if id.is_empty() {
        id = "antwoord".into();
    }
    let mut unique = id.clone();
    let mut k = 2;
    while taken.contains(&unique) {
        unique = format!("{id}_{k}");
        k += 1;
    }
    taken.push(unique.clone());
    unique
}

/// The extra questions of the form as the round's `custom_questions` JSON list (`[]` when
/// every row is empty). Rows without text are skipped.
pub fn custom_questions_json(rows: &[ExtraQuestionForm]) -> Result<String, AppError> {
    let mut questions = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        let n = i + 1;
        if row.is_empty() {
            continue;
        }
        let nl = row.text_nl.trim();
        if nl.is_empty() {
            return Err(invalid(n, "vul de vraag in het Nederlands in."));
        }
        if nl.chars().count() > MAX_TEXT || row.text_en.trim().chars().count() > MAX_TEXT {
            return Err(invalid(
                n,
                format!("de vraag is langer dan {MAX_TEXT} tekens; maak hem korter."),
            ));
        }
        let en = match row.text_en.trim() {
            "" => nl,
            en => en,
        };
        let text = Text::new(nl, en);
        let mut q = RawQuestion {
            id: format!("{CUSTOM_PREFIX}{n}"),
            page: None,
            kind: row.kind.clone(),
            text,
            help: None,
            required: false,
            role: None,
            background: false,
            show_if: vec![],
            min: None,
            max: None,
            decimals: None,
            unit: None,
            max_len: None,
            min_label: None,
            max_label: None,
            options: vec![],
            aliases: vec![],
        };
        let lines: Vec<&str> = row
            .options
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        match row.kind.as_str() {
            "single" | "multi" => {
                if lines.len() < 2 {
                    return Err(invalid(
                        n,
                        "geef minstens twee antwoorden om uit te kiezen, elk op een eigen regel.",
                    ));
                }
                if lines.len() > MAX_OPTIONS {
                    return Err(invalid(
                        n,
                        format!("geef hoogstens {MAX_OPTIONS} antwoorden."),
                    ));
                }
                let mut taken = Vec::new();
                for line in lines {
                    let (o_nl, o_en) = match line.split_once('|') {
                        Some((a, b)) if !b.trim().is_empty() => (a.trim(), b.trim()),
                        Some((a, _)) => (a.trim(), a.trim()),
                        None => (line, line),
                    };
                    if o_nl.is_empty() {
                        return Err(invalid(
                            n,
                            format!(
                                "het antwoord '{line}' heeft geen Nederlandse tekst vóór de |."
                            ),
                        ));
                    }
                    q.options.push(RawOption {
                        id: option_id(o_nl, &mut taken),
                        nl: o_nl.to_string(),
                        en: o_en.to_string(),
                        open: false,
                        exclusive: false,
                    });
                }
            }
            "scale" | "text" => {
                if !lines.is_empty() {
                    return Err(invalid(
                        n,
                        "bij dit soort vraag horen geen antwoorden om uit te kiezen; maak het vak 'Antwoorden' leeg of kies 'Eén antwoord kiezen'.",
                    ));
                }
                if row.kind == "scale" {
                    q.min = Some(1.0);
                    q.max = Some(5.0);
                    q.min_label = Some(Text::new("Helemaal oneens", "Strongly disagree"));
                    q.max_label = Some(Text::new("Helemaal eens", "Strongly agree"));
                } else {
                    q.max_len = Some(500);
                }
            }
            _ => return Err(invalid(n, "kies wat voor antwoord de vraag krijgt.")),
        }
        questions.push(q);
    }
    serde_json::to_string(&questions)
        .map_err(|e| AppError::internal(format!("extra questions: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(nl: &str, kind: &str, options: &str) -> ExtraQuestionForm {
        ExtraQuestionForm {
            text_nl: nl.into(),
            text_en: String::new(),
            kind: kind.into(),
            options: options.into(),
        }
    }

    fn message(e: AppError) -> String {
        e.user_message().unwrap()
    }

    #[test]
    fn empty_rows_give_an_empty_list() {
        assert_eq!(
            custom_questions_json(&[ExtraQuestionForm::default(), row("", "single", "")]).unwrap(),
            "[]"
        );
    }

    #[test]
    fn every_kind_becomes_a_question_the_questionnaire_accepts() {
        let json = custom_questions_json(&[
            row(
                "Welke dienst werkt u het liefst?",
                "single",
                "Vroeg | Early\nLaat\nNacht",
            ),
            row(
                "Wat helpt u om meer te werken?",
                "multi",
                "Kinderopvang\nVaste dagen",
            ),
            row("Ik voel me gesteund door mijn leidinggevende.", "scale", ""),
            row("Wat wilt u nog kwijt?", "text", ""),
        ])
        .unwrap();
        crate::survey::check_custom("medewerkers", 1, &json).unwrap();
        let parsed: Vec<RawQuestion> = serde_json::from_str(&json).unwrap();
        assert_eq!(parsed.len(), 4);
        assert_eq!(parsed[0].id, "extra_1");
        assert_eq!(parsed[0].options[0].id, "vroeg");
        assert_eq!(parsed[0].options[0].en, "Early");
        assert_eq!(
            parsed[0].options[1].en, "Laat",
            "English falls back to Dutch"
        );
        assert_eq!(parsed[0].text.en, parsed[0].text.nl);
        assert_eq!(parsed[2].max, Some(5.0));
        let q = survey::Questionnaire::standard("medewerkers", 1)
            .unwrap()
            .with_custom(parsed)
            .unwrap();
        assert!(q.question("extra_4").is_some());
    }

    #[test]
    fn option_ids_are_unique_and_plain() {
        let mut taken = Vec::new();
        assert_eq!(
            option_id("Één keer per week!", &mut taken),
            "een_keer_per_week"
        );
        assert_eq!(
            option_id("Één keer per week?", &mut taken),
            "een_keer_per_week_2"
        );
        assert_eq!(option_id("???", &mut taken), "antwoord");
    }

    #[test]
    fn mistakes_name_the_question_and_the_fix() {
        let m = message(custom_questions_json(&[row("", "single", "a\nb")]).unwrap_err());
        assert!(m.starts_with("Extra vraag 1: vul de vraag"), "{m}");
        let m = message(
            custom_questions_json(&[
                row("Eerste", "text", ""),
                row("Tweede", "single", "alleen dit"),
            ])
            .unwrap_err(),
        );
        assert!(m.starts_with("Extra vraag 2: geef minstens twee"), "{m}");
        let m = message(custom_questions_json(&[row("Vraag", "scale", "ja\nnee")]).unwrap_err());
        assert!(m.contains("geen antwoorden om uit te kiezen"), "{m}");
        let m = message(custom_questions_json(&[row("Vraag", "", "")]).unwrap_err());
        assert!(m.contains("kies wat voor antwoord"), "{m}");
    }
}
