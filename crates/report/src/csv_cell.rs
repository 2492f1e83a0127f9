//! CSV cells that a spreadsheet will not run as a formula ("CSV injection"): a cell that
//! starts with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`, which
//! Excel and LibreOffice show as text. Plain numbers ("-3,5", "-12%") stay as they are, so
//! exports of negative figures still read as numbers.

use std::borrow::Cow;

/// The cell as it is safe to write into a CSV file.
pub fn neutralise(cell: &str) -> Cow<'_, str> {
    let risky = matches!(
        cell.chars().next(),
        Some('=' | '+' | '-' | '@' | '\t' | '\r')
    );
    if risky && !is_plain_number(cell) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// `-` followed by digits with dots or commas between them, and an optional `%`.
fn is_plain_number(cell: &str) -> bool {
    let Some(rest) = cell.strip_prefix('-') else {
        return false;
    };
    let rest = rest.strip_suffix('%').unwrap_or(rest);
    !rest.is_empty()
        && rest.starts_with(|c: char| c.is_ascii_digit())
        && rest.ends_with(|c: char| c.is_ascii_digit())
        && rest
            .chars()
            .all(|c| c.is_ascii_digit() || c == ',' || c == '.')
}

#[cfg(test)]
mod tests {
    use super::neutralise;

    #[test]
    fn formulas_become_text_and_numbers_stay() {
        for (cell, out) in [
            ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
            ("+31 6 1234", "'+31 6 1234"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\t=1", "'\t=1"),
            ("\r=1", "'\r=1"),
            ("-", "'-"),
            ("-3,5", "-3,5"),
            ("-1.234,5", "-1.234,5"),
            ("-12%", "-12%"),
            ("Team Zon", "Team Zon"),
            ("3", "3"),
            ("", ""),
        ] {
            assert_eq!(neutralise(cell), out, "{cell:?}");
        }
    }
}
