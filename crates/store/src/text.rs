//! Characters a stored name or text may not hold (issue 34): NUL and other control
//! characters (PostgreSQL refuses NUL in text and answered 500), and invisible characters
//! that make a name look like another: bidirectional overrides and isolates, and
//! zero-width characters. Checked before any write, the same on both databases. Also the
//! rule that a list of ids names each thing once.

use crate::{StoreError, StoreResult, Violation};

/// True for a character no name may hold.
pub fn is_forbidden_in_name(c: char) -> bool {
    c.is_control() || is_invisible(c)
}

/// Bidirectional controls (U+200E, U+200F, U+202A–U+202E, U+2066–U+2069, U+061C) and
/// zero-width or otherwise invisible characters (U+200B–U+200D, U+2060–U+2064, U+FEFF,
/// U+00AD soft hyphen, U+180E).
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{061C}'
            | '\u{00AD}'
            | '\u{180E}'
            | '\u{FEFF}'
    )
}

/// A name: no control or invisible character at all.
pub(crate) fn check_name(field: &'static str, name: &str) -> StoreResult<()> {
    if name.chars().any(is_forbidden_in_name) {
        return Err(StoreError::invalid(field, Violation::NameCharacters));
    }
    Ok(())
}

/// A longer text (an invitation, a published answer): line breaks and tabs are fine, other
/// control characters and invisible characters are not.
pub(crate) fn check_text(field: &'static str, text: &str) -> StoreResult<()> {
    if text
        .chars()
        .any(|c| !matches!(c, '\n' | '\r' | '\t') && is_forbidden_in_name(c))
    {
        return Err(StoreError::invalid(field, Violation::TextCharacters));
    }
    Ok(())
}

/// A list of ids that names one thing twice is refused, not silently shortened.
pub(crate) fn check_distinct(field: &'static str, ids: &[i64]) -> StoreResult<()> {
    let mut seen = std::collections::BTreeSet::new();
    if let Some(id) = ids.iter().find(|id| !seen.insert(**id)) {
        return Err(StoreError::invalid(
            field,
            Violation::DuplicateId { id: *id },
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_bidi_and_zero_width_characters_are_refused() {
        for bad in [
            "Team\u{0}Zon",
            "Team\nZon",
            "Team\u{7}",
            "Team \u{202E}noZ",
            "Te\u{200B}am",
            "\u{FEFF}Team",
            "Team\u{2066}Zon\u{2069}",
        ] {
            assert!(check_name("name", bad).is_err(), "{bad:?}");
        }
        for ok in [
            "Team Zon",
            "Zorggroep Ééntje & Co",
            "Team 't Hofje",
            "مرحبا",
            "日本",
        ] {
            assert!(check_name("name", ok).is_ok(), "{ok:?}");
        }
        assert!(check_text("invitation_text", "Beste collega,\r\n\tdoe mee!").is_ok());
        assert!(check_text("invitation_text", "a\u{0}b").is_err());
        assert!(check_text("invitation_text", "a\u{202E}b").is_err());
        assert!(check_distinct("team_ids", &[1, 2, 3]).is_ok());
        assert!(check_distinct("team_ids", &[1, 2, 1]).is_err());
    }
}
