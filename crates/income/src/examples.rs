//! Example households (voorbeeldscenario's) the calculator page can offer in one click.
//! Each is paid from the CAO VVT salary table (scale and step as in the title), so they
//! double as printable information material for HR.

use serde::{Deserialize, Serialize};

use crate::input::CalcInput;

const EXAMPLES: &str = include_str!("../data/examples.json");

/// One example household with a ready-made input.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Example {
    /// Stable id, usable in a URL.
    pub id: String,
    /// Short Dutch title.
    pub title: String,
    /// One or two Dutch sentences.
    pub description: String,
    pub input: CalcInput,
}

/// The embedded example households, in display order.
pub fn examples() -> Vec<Example> {
    // The file is part of the build and checked by the tests; an invalid file is a
    // programming error, so an empty list is returned rather than a panic.
    serde_json::from_str(EXAMPLES).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    #[test]
    fn embedded_examples_parse() {
        let parsed: Result<Vec<super::Example>, _> = serde_json::from_str(super::EXAMPLES);
        assert_eq!(parsed.expect("examples.json parses").len(), 3);
    }
}
