//! Dutch display formats: € 1.234,56 · 24,9 · 23-11-2026 · 23-11-2026 14:05 (Amsterdam time).

use chrono::{DateTime, TimeZone, Utc};
use chrono_tz::Europe::Amsterdam;

/// Groups the integer part with dots and uses a decimal comma.
pub fn number(value: f64, decimals: usize) -> String {
    if !value.is_finite() {
        return "–".into();
    }
    let text = format!("{:.*}", decimals, value.abs());
    let (int, frac) = match text.split_once('.') {
        Some((i, f)) => (i.to_string(), Some(f.to_string())),
        None => (text.clone(), None),
    };
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push('.');
        }
        grouped.push(c);
    }
    let negative = value < 0.0 && text.chars().any(|c| c.is_ascii_digit() && c != '0');
    let sign = if negative { "-" } else { "" };
    match frac {
        Some(f) => format!("{sign}{grouped},{f}"),
        None => format!("{sign}{grouped}"),
    }
}

/// An amount in euros: `€ 1.234,56` (negative: `€ -1.234,56`).
pub fn euro(value: f64) -> String {
    format!("€ {}", number(value, 2))
}

/// Hours with at most one decimal and no trailing ",0": `24,5`, `36`.
pub fn hours(value: f64) -> String {
    let s = number(value, 1);
    s.strip_suffix(",0").map(str::to_string).unwrap_or(s)
}

pub fn percent(share: f64, decimals: usize) -> String {
    format!("{}%", number(share * 100.0, decimals))
}

fn local(unix: i64) -> Option<DateTime<chrono_tz::Tz>> {
    Utc.timestamp_opt(unix, 0)
        .single()
        .map(|t| t.with_timezone(&Amsterdam))
}

/// `23-11-2026`
pub fn date(unix: i64) -> String {
    local(unix)
        .map(|t| t.format("%d-%m-%Y").to_string())
        .unwrap_or_default()
}

/// `23-11-2026 14:05`
pub fn datetime(unix: i64) -> String {
    local(unix)
        .map(|t| t.format("%d-%m-%Y %H:%M").to_string())
        .unwrap_or_default()
}

/// An ISO date (`2026-11-23`) in Dutch order (`23-11-2026`).
pub fn iso_date(iso: &str) -> String {
    chrono::NaiveDate::parse_from_str(iso, "%Y-%m-%d")
        .map(|d| d.format("%d-%m-%Y").to_string())
        .unwrap_or_else(|_| iso.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dutch_numbers() {
        assert_eq!(euro(1234.56), "€ 1.234,56");
        assert_eq!(euro(-1234.5), "€ -1.234,50");
        assert_eq!(euro(0.0), "€ 0,00");
        assert_eq!(number(1234567.0, 0), "1.234.567");
        assert_eq!(number(-0.001, 1), "0,0");
        assert_eq!(hours(24.9), "24,9");
        assert_eq!(hours(36.0), "36");
        assert_eq!(percent(0.45, 0), "45%");
    }

    #[test]
    fn dutch_dates() {
        // 2026-11-23 13:05 UTC is 14:05 in Amsterdam (CET, UTC+1).
        assert_eq!(datetime(1_795_439_100), "23-11-2026 14:05");
        assert_eq!(date(1_795_439_100), "23-11-2026");
        assert_eq!(iso_date("2026-11-23"), "23-11-2026");
    }
}
