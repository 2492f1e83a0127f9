//! Help texts (issue 33): the terms users meet (deeltijdfactor, urenruimte, …) and one
//! help page per part, in Dutch, from one data file (`help/hulp.toml`) that every page
//! uses, so a term reads the same wherever it is explained.

use std::sync::LazyLock;

use serde::Deserialize;

/// A term with its short explanation.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Term {
    /// The anchor on the help page (`/hulp/begrippen#pnil`).
    pub key: String,
    /// The term as it appears in the interface.
    pub label: String,
    pub text: String,
}

/// One help page.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Part {
    /// The path segment (`/hulp/nulmeting`).
    pub key: String,
    pub title: String,
    pub intro: Vec<String>,
    #[serde(default)]
    pub steps: Vec<String>,
    /// Keys of the terms this part explains.
    #[serde(default)]
    pub terms: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct HelpFile {
    term: Vec<Term>,
    part: Vec<Part>,
}

const SOURCE: &str = include_str!("../help/hulp.toml");

/// Parses and checks the help file: unique keys, no empty texts, and every term a part
/// names exists.
fn load(source: &str) -> Result<HelpFile, String> {
    let file: HelpFile = toml::from_str(source).map_err(|e| e.to_string())?;
    let mut seen = std::collections::BTreeSet::new();
    for t in &file.term {
        if t.text.trim().is_empty() || t.label.trim().is_empty() {
            return Err(format!("term '{}' has no label or text", t.key));
        }
        if !seen.insert(("term", t.key.as_str())) {
            return Err(format!("term '{}' twice", t.key));
        }
    }
    for p in &file.part {
        if !seen.insert(("part", p.key.as_str())) {
            return Err(format!("part '{}' twice", p.key));
        }
        if p.key == BEGRIPPEN {
            return Err(format!("part key '{BEGRIPPEN}' is the terms page"));
        }
        for k in &p.terms {
            if !file.term.iter().any(|t| &t.key == k) {
                return Err(format!("part '{}' names unknown term '{k}'", p.key));
            }
        }
    }
    Ok(file)
}

static HELP: LazyLock<HelpFile> =
    LazyLock::new(|| load(SOURCE).unwrap_or_else(|e| panic!("help/hulp.toml: {e}")));

/// The path segment of the page that lists every term.
pub const BEGRIPPEN: &str = "begrippen";

/// Every term, in the file's order.
pub fn terms() -> &'static [Term] {
    &HELP.term
}

/// A term by key; `None` for an unknown key.
pub fn term(key: &str) -> Option<&'static Term> {
    HELP.term.iter().find(|t| t.key == key)
}

/// Every help page, in the file's order.
pub fn parts() -> &'static [Part] {
    &HELP.part
}

/// A help page by key.
pub fn part(key: &str) -> Option<&'static Part> {
    HELP.part.iter().find(|p| p.key == key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_help_file_loads_and_has_the_terms_the_issue_names() {
        let file = load(SOURCE).unwrap();
        for key in [
            "deeltijdfactor",
            "urenruimte",
            "netto-fte",
            "opkomstmoment",
            "pnil",
            "minimum-groepsgrootte",
        ] {
            assert!(file.term.iter().any(|t| t.key == key), "{key} missing");
        }
        assert!(part("nulmeting").is_some());
        assert!(term("bestaat-niet").is_none());
    }

    #[test]
    fn a_part_naming_an_unknown_term_is_refused() {
        let bad = "[[term]]\nkey='a'\nlabel='a'\ntext='x'\n[[part]]\nkey='p'\ntitle='P'\n\
                   intro=[]\nterms=['b']\n";
        assert!(load(bad).unwrap_err().contains("unknown term 'b'"));
    }
}
