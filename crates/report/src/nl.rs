//! The one Dutch formatter and parser: numbers, euros, percentages, hours, dates and
//! month names, the way Dutch readers write them (`€ 1.234,56`, `24,9`, `23-11-2026`).
//!
//! Formatting rules:
//! - thousands are grouped with dots, decimals follow a comma: `1.234.567,5`;
//! - a negative amount of money starts with a minus sign (U+2212) and a space before the
//!   euro sign: `− € 1.234,50` (one way everywhere; a bare number keeps `-1.234,5`);
//!   a value that rounds to zero never shows a minus (`-0,001` with one decimal is `0,0`);
//! - a number that is not finite is shown as a dash `–`;
//! - dates are day-month-year with dashes (`23-11-2026`), times of a Unix timestamp in
//!   Amsterdam time.
//!
//! Parsing rules ([`parse_decimal`], [`parse_cents`]):
//! - spaces (also non-breaking and thin ones), a euro sign or `EUR` before or after, a
//!   leading `+` or `-` (also `−`) are allowed;
//! - with both a dot and a comma, the last of the two is the decimal separator;
//! - a separator that occurs more than once groups thousands (`1.234.567`);
//! - a single separator followed by exactly three digits after one to three leading
//!   digits (`58.000`) groups thousands, unless the [`NumberStyle`] says it is the decimal
//!   separator; any other single separator is a decimal separator. So `58000.50` is
//!   58000,50 (a single dot followed by two digits is a decimal point) and `58.000,50`
//!   and `58.000` are what a Dutch reader means;
//! - money is parsed through [`Decimal`] to integer cents, never through `f64`.
//!
//! Month names: one table ([`month_from_name`]) with the full Dutch names and the
//! abbreviations people write (`jan`, `mrt`/`mar`, `sep`/`sept`, `okt`, …), any case.

use chrono::{DateTime, Datelike, NaiveDate, TimeZone, Utc};
use chrono_tz::Europe::Amsterdam;
use rust_decimal::{Decimal, RoundingStrategy};
use std::str::FromStr;

// ---------------------------------------------------------------- numbers

/// Groups a string of ASCII digits with dots: `"1234567"` → `"1.234.567"`.
fn group(digits: &str) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    let len = digits.len();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (len - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

/// A whole number with thousands dots: `-12345` → `"-12.345"`.
pub fn integer(value: i64) -> String {
    let grouped = group(&value.unsigned_abs().to_string());
    if value < 0 {
        format!("-{grouped}")
    } else {
        grouped
    }
}

/// A number with exactly `decimals` decimals, thousands dots and a decimal comma:
/// `1234.5` with 2 → `"1.234,50"`. Not finite: `"–"`.
pub fn number(value: f64, decimals: usize) -> String {
    if !value.is_finite() {
        return "–".into();
    }
    let text = format!("{:.*}", decimals, value.abs());
    let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
    let negative = value < 0.0 && text.chars().any(|c| c.is_ascii_digit() && c != '0');
    let sign = if negative { "-" } else { "" };
    if frac.is_empty() {
        format!("{sign}{}", group(int))
    } else {
        format!("{sign}{},{frac}", group(int))
    }
}

/// A number rounded to at most `max_decimals` decimals with trailing zeros dropped,
/// thousands dots and a decimal comma: `1234.50` → `"1.234,5"`.
pub fn decimal(value: Decimal, max_decimals: u32) -> String {
    let r = value.round_dp(max_decimals).normalize();
    let s = r.abs().to_string();
    let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
    let sign = if r.is_sign_negative() && !r.is_zero() {
        "-"
    } else {
        ""
    };
    if frac.is_empty() {
        format!("{sign}{}", group(int))
    } else {
        format!("{sign}{},{frac}", group(int))
    }
}

/// [`decimal`] for an `f64` (not finite: `"–"`).
pub fn decimal_f64(value: f64, max_decimals: u32) -> String {
    match Decimal::try_from(value) {
        Ok(d) if value.is_finite() => decimal(d, max_decimals),
        _ if value.is_finite() => number(value, max_decimals as usize),
        _ => "–".into(),
    }
}

/// A number as it is, with a decimal comma and without thousands dots, for codes and
/// form fields that are read back (`18.25` → `"18,25"`, `12345` → `"12345"`).
pub fn plain(value: Decimal) -> String {
    value.normalize().to_string().replace('.', ",")
}

/// [`plain`] for an `f64`, with at most `max_decimals` decimals (trailing zeros dropped).
pub fn plain_f64(value: f64, max_decimals: usize) -> String {
    if !value.is_finite() {
        return "–".into();
    }
    let s = format!("{:.*}", max_decimals, value);
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.')
    } else {
        &s
    };
    let s = if s == "-0" { "0" } else { s };
    s.replace('.', ",")
}

/// Integer cents as an amount without the euro sign: `147100` → `"1.471,00"`,
/// `-5` → `"-0,05"`.
pub fn cents_amount(cents: i64) -> String {
    let abs = cents.unsigned_abs();
    let s = format!("{},{:02}", group(&(abs / 100).to_string()), abs % 100);
    if cents < 0 { format!("-{s}") } else { s }
}

/// Integer cents in euros: `123456` → `"€ 1.234,56"`, `-5` → `"− € 0,05"`.
pub fn euro_cents(cents: i64) -> String {
    euro_sign(&cents_amount(cents))
}

/// `€` before a formatted amount; a negative one as `− € …` (see the module rules).
fn euro_sign(amount: &str) -> String {
    match amount.strip_prefix('-') {
        Some(abs) => format!("\u{2212} € {abs}"),
        None => format!("€ {amount}"),
    }
}

/// Whole euros from integer cents, rounded half away from zero: `123456` → `"€ 1.235"`.
pub fn euro_cents_whole(cents: i64) -> String {
    let euros = Decimal::new(cents, 2)
        .round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero)
        .normalize();
    euro_sign(&decimal(euros, 0))
}

/// An amount in euros from an `f64`: `1234.5` → `"€ 1.234,50"` (negative `− € 1.234,50`).
/// Prefer [`euro_cents`] where the amount is integer cents.
pub fn euro(value: f64) -> String {
    euro_sign(&number(value, 2))
}

/// Hours with at most one decimal and no trailing `,0`: `24,5`, `36`.
pub fn hours(value: f64) -> String {
    let s = number(value, 1);
    s.strip_suffix(",0").map(str::to_string).unwrap_or(s)
}

/// Full-time equivalents with one decimal: `12,5 fte`.
pub fn fte(value: f64) -> String {
    format!("{} fte", number(value, 1))
}

/// A share (0.446) as a percentage with `decimals` decimals: `44,6%`, with 0: `45%`.
pub fn percent(share: f64, decimals: usize) -> String {
    format!("{}%", number(share * 100.0, decimals))
}

// ---------------------------------------------------------------- dates

/// Dutch month names, January first.
pub const MONTHS: [&str; 12] = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
];

/// Short Dutch month names as used in labels (`jan 2026`), January first.
pub const MONTHS_SHORT: [&str; 12] = [
    "jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec",
];

/// Other spellings people write for a month, besides [`MONTHS`] and [`MONTHS_SHORT`].
const MONTH_ALIASES: [(&str, u32); 2] = [("mar", 3), ("sept", 9)];

/// The full name of month 1–12 (`"september"`); empty outside 1–12.
pub fn month_name(month: u32) -> &'static str {
    month
        .checked_sub(1)
        .and_then(|i| MONTHS.get(i as usize))
        .copied()
        .unwrap_or("")
}

/// The short name of month 1–12 (`"sep"`); empty outside 1–12.
pub fn month_short(month: u32) -> &'static str {
    month
        .checked_sub(1)
        .and_then(|i| MONTHS_SHORT.get(i as usize))
        .copied()
        .unwrap_or("")
}

/// A month from its Dutch name or abbreviation, any case, a trailing dot allowed:
/// `"September"`, `"sept"`, `"sep."`, `"mrt"` → 9, 9, 9, 3.
pub fn month_from_name(name: &str) -> Option<u32> {
    let low = name.trim().trim_end_matches('.').to_lowercase();
    let position = |table: &[&str]| table.iter().position(|m| *m == low);
    position(&MONTHS)
        .or_else(|| position(&MONTHS_SHORT))
        .map(|i| i as u32 + 1)
        .or_else(|| {
            MONTH_ALIASES
                .iter()
                .find(|(alias, _)| *alias == low)
                .map(|&(_, m)| m)
        })
}

/// `23-11-2026`
pub fn date(d: NaiveDate) -> String {
    d.format("%d-%m-%Y").to_string()
}

/// `23 november 2026`
pub fn date_long(d: NaiveDate) -> String {
    format!("{} {} {}", d.day(), month_name(d.month()), d.year())
}

fn amsterdam(unix: i64) -> Option<DateTime<chrono_tz::Tz>> {
    Utc.timestamp_opt(unix, 0)
        .single()
        .map(|t| t.with_timezone(&Amsterdam))
}

/// The Amsterdam date of a Unix timestamp: `23-11-2026` (empty when out of range).
pub fn date_unix(unix: i64) -> String {
    amsterdam(unix)
        .map(|t| t.format("%d-%m-%Y").to_string())
        .unwrap_or_default()
}

/// The Amsterdam date and time of a Unix timestamp: `23-11-2026 14:05`.
pub fn datetime_unix(unix: i64) -> String {
    amsterdam(unix)
        .map(|t| t.format("%d-%m-%Y %H:%M").to_string())
        .unwrap_or_default()
}

/// An ISO date (`2026-11-23`) in Dutch order (`23-11-2026`); other text as it is.
pub fn iso_date(iso: &str) -> String {
    NaiveDate::parse_from_str(iso, "%Y-%m-%d")
        .map(date)
        .unwrap_or_else(|_| iso.to_string())
}

// ---------------------------------------------------------------- parsing

/// What a parser could not read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error("leeg")]
    Empty,
    #[error("geen getal")]
    NotANumber,
    #[error("geen bedrag in centen")]
    NotCents,
    #[error("geen datum")]
    NotADate,
    #[error("jaartal van twee cijfers")]
    TwoDigitYear,
}

/// How a column or field writes its decimal separator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum NumberStyle {
    /// Not known: a comma is a decimal comma; a single dot is a decimal point unless
    /// exactly three digits follow it after one to three leading digits (`1.000` = 1000).
    #[default]
    Auto,
    /// `1.234,56`
    DecimalComma,
    /// `1,234.56`
    DecimalPoint,
}

/// A number typed the Dutch way (or the English way where that is unambiguous), with
/// [`NumberStyle::Auto`]. See the module documentation for the rules.
pub fn parse_number(s: &str) -> Result<Decimal, ParseError> {
    parse_number_with(s, NumberStyle::Auto)
}

/// A number in the given style. See the module documentation for the rules.
pub fn parse_number_with(s: &str, style: NumberStyle) -> Result<Decimal, ParseError> {
    let mut t: String = s
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}' | '\t'))
        .collect();
    if t.is_empty() {
        return Err(ParseError::Empty);
    }
    // A sign may come before the euro sign (`− € 12,00`, as amounts are written) or after it.
    let sign_before = match t.chars().next() {
        Some(c @ ('-' | '\u{2212}' | '+')) => {
            t = t[c.len_utf8()..].to_owned();
            Some(c != '+')
        }
        _ => None,
    };
    for mark in ["€", "EUR", "eur"] {
        if let Some(rest) = t.strip_prefix(mark) {
            t = rest.to_owned();
        }
        if let Some(rest) = t.strip_suffix(mark) {
            t = rest.to_owned();
        }
    }
    let (negative, body) = match (sign_before, t.chars().next()) {
        (Some(negative), _) => (negative, t.as_str()),
        (None, Some(c @ ('-' | '\u{2212}'))) => (true, &t[c.len_utf8()..]),
        (None, Some('+')) => (false, &t[1..]),
        _ => (false, t.as_str()),
    };
    if body.is_empty()
        || !body
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
        || !body.chars().any(|c| c.is_ascii_digit())
    {
        return Err(ParseError::NotANumber);
    }
    let (int_part, frac_part, thousands) = match (body.rfind('.'), body.rfind(',')) {
        (None, None) => (body, "", None),
        (Some(d), Some(c)) => {
            let (dec, th) = if d > c { (d, ',') } else { (c, '.') };
            let frac = &body[dec + 1..];
            if frac.contains(['.', ',']) {
                return Err(ParseError::NotANumber);
            }
            (&body[..dec], frac, Some(th))
        }
        (Some(_), None) => split_single_kind(body, '.', style == NumberStyle::DecimalPoint)
            .ok_or(ParseError::NotANumber)?,
        (None, Some(_)) => split_single_kind(body, ',', style != NumberStyle::DecimalPoint)
            .ok_or(ParseError::NotANumber)?,
    };
    let digits: String = match thousands {
        Some(th) => {
            if !valid_groups(int_part, th) {
                return Err(ParseError::NotANumber);
            }
            int_part.chars().filter(|&c| c != th).collect()
        }
        None => int_part.to_owned(),
    };
    if digits.is_empty() && frac_part.is_empty() {
        return Err(ParseError::NotANumber);
    }
    let mut normal = String::with_capacity(digits.len() + frac_part.len() + 3);
    if negative {
        normal.push('-');
    }
    normal.push_str(if digits.is_empty() { "0" } else { &digits });
    if !frac_part.is_empty() {
        normal.push('.');
        normal.push_str(frac_part);
    }
    Decimal::from_str(&normal).map_err(|_| ParseError::NotANumber)
}

/// [`parse_number`] as an `f64`, for measurements such as hours (never for money: use
/// [`parse_cents`]).
pub fn parse_number_f64(s: &str) -> Result<f64, ParseError> {
    use rust_decimal::prelude::ToPrimitive;
    parse_number(s)?
        .to_f64()
        .filter(|x| x.is_finite())
        .ok_or(ParseError::NotANumber)
}

/// Splits a number that uses only one kind of separator `sep`.
/// Returns (integer part, fraction, thousands separator).
fn split_single_kind(
    body: &str,
    sep: char,
    sep_is_decimal_hint: bool,
) -> Option<(&str, &str, Option<char>)> {
    if body.matches(sep).count() > 1 {
        // Several: only thousands separators make sense.
        return valid_groups(body, sep).then_some((body, "", Some(sep)));
    }
    let pos = body.find(sep)?;
    let (int, frac) = (&body[..pos], &body[pos + 1..]);
    if looks_like_thousands(int, frac) && !sep_is_decimal_hint {
        Some((body, "", Some(sep)))
    } else if frac.is_empty() {
        None
    } else {
        Some((int, frac, None))
    }
}

/// `1.000`, `58.000`: one to three leading digits (not starting with 0), three after.
fn looks_like_thousands(int: &str, frac: &str) -> bool {
    frac.len() == 3 && (1..=3).contains(&int.len()) && !int.starts_with('0')
}

/// Whether a value with one separator `sep` reads as thousands as well as decimals
/// (`1.000`: a thousand or one); such a value says nothing about a column's style.
pub fn is_ambiguous(value: &str, sep: char) -> bool {
    let v = value.trim().trim_start_matches(['-', '+']);
    v.split_once(sep)
        .is_some_and(|(int, frac)| looks_like_thousands(int, frac))
}

/// `1.234.567`: the first group 1–3 digits, the rest exactly 3.
fn valid_groups(int_part: &str, sep: char) -> bool {
    let mut groups = int_part.split(sep);
    let first = groups.next().unwrap_or("");
    if first.is_empty() || first.len() > 3 || !first.chars().all(|c| c.is_ascii_digit()) {
        return false;
    }
    groups.all(|g| g.len() == 3 && g.chars().all(|c| c.is_ascii_digit()))
}

/// Euros (as a decimal) to integer cents, rounded half away from zero.
pub fn to_cents(euros: Decimal) -> Option<i64> {
    let c = euros
        .checked_mul(Decimal::ONE_HUNDRED)?
        .round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero);
    i64::try_from(c).ok()
}

/// An amount of money in euros as integer cents: `"58000.50"`, `"58.000,50"`,
/// `"€ 58.000,50"` → 5 800 050; `"58.000"` → 5 800 000. Exact: through [`Decimal`],
/// never `f64`. More than two decimals is not an amount in cents.
pub fn parse_cents(s: &str) -> Result<i64, ParseError> {
    let d = parse_number(s)?;
    if d.normalize().scale() > 2 {
        return Err(ParseError::NotCents);
    }
    to_cents(d).ok_or(ParseError::NotCents)
}

/// A date typed the Dutch way: day first (`23-11-2026`, `23/11/2026`, `23.11.2026`,
/// `23 nov 2026`, `23 september 2026`), ISO (`2026-11-23`, also with a time after it)
/// or `20261123`. Two-digit years are refused ([`ParseError::TwoDigitYear`]) unless a
/// pivot is given: years `00..=pivot` become 20xx, the rest 19xx.
pub fn parse_date(s: &str, two_digit_year_pivot: Option<u8>) -> Result<NaiveDate, ParseError> {
    use ParseError::{NotADate, TwoDigitYear};
    let t = s.trim();
    if t.is_empty() {
        return Err(ParseError::Empty);
    }
    // Drop a time after the date: "2026-11-23 00:00:00", "2026-11-23T00:00".
    let date_part = match t.split_once(['T', ' ']) {
        Some((d, rest)) if d.chars().any(|c| c.is_ascii_digit()) && looks_like_time(rest) => d,
        _ => t,
    };
    if date_part.len() == 8 && date_part.chars().all(|c| c.is_ascii_digit()) {
        let y = date_part[..4].parse().map_err(|_| NotADate)?;
        let m = date_part[4..6].parse().map_err(|_| NotADate)?;
        let d = date_part[6..].parse().map_err(|_| NotADate)?;
        return NaiveDate::from_ymd_opt(y, m, d).ok_or(NotADate);
    }
    let parts: Vec<&str> = date_part
        .split(['-', '/', '.', ' '])
        .filter(|p| !p.is_empty())
        .collect();
    let [first, second, third] = parts[..] else {
        return Err(NotADate);
    };
    let month_of = |p: &str| -> Option<u32> {
        if p.len() <= 2 && p.chars().all(|c| c.is_ascii_digit()) {
            p.parse().ok()
        } else {
            month_from_name(p)
        }
    };
    let num = |p: &str, max_len: usize| -> Option<u32> {
        (!p.is_empty() && p.len() <= max_len && p.chars().all(|c| c.is_ascii_digit()))
            .then(|| p.parse().ok())
            .flatten()
    };
    let (y, m, d, two_digit) = if first.len() == 4 {
        let y = num(first, 4).ok_or(NotADate)?;
        let m = month_of(second).ok_or(NotADate)?;
        (y, m, num(third, 2).ok_or(NotADate)?, false)
    } else {
        let d = num(first, 2).ok_or(NotADate)?;
        let m = month_of(second).ok_or(NotADate)?;
        let y = num(third, 4).ok_or(NotADate)?;
        match third.len() {
            4 => (y, m, d, false),
            2 => (y, m, d, true),
            _ => return Err(NotADate),
        }
    };
    let year = if two_digit {
        // Check the rest is a real date before blaming the year.
        if NaiveDate::from_ymd_opt(2000 + y as i32, m, d).is_none() {
            return Err(NotADate);
        }
        match two_digit_year_pivot {
            Some(pivot) if y <= u32::from(pivot) => 2000 + y as i32,
            Some(_) => 1900 + y as i32,
            None => return Err(TwoDigitYear),
        }
    } else {
        y as i32
    };
    NaiveDate::from_ymd_opt(year, m, d).ok_or(NotADate)
}

fn looks_like_time(s: &str) -> bool {
    let s = s.trim().trim_end_matches('Z');
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ':' | '.' | '+'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn dec(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn dutch_numbers() {
        assert_eq!(euro(1234.56), "€ 1.234,56");
        assert_eq!(euro(-1234.5), "\u{2212} € 1.234,50");
        assert_eq!(euro(-0.001), "€ 0,00", "no minus on a zero");
        assert_eq!(euro(0.0), "€ 0,00");
        assert_eq!(number(1234567.0, 0), "1.234.567");
        assert_eq!(number(-0.001, 1), "0,0");
        assert_eq!(number(f64::NAN, 1), "–");
        assert_eq!(hours(24.9), "24,9");
        assert_eq!(hours(36.0), "36");
        assert_eq!(percent(0.45, 0), "45%");
        assert_eq!(percent(0.446, 1), "44,6%");
        assert_eq!(fte(12.5), "12,5 fte");
        assert_eq!(integer(-12345), "-12.345");
        assert_eq!(integer(i64::MIN), "-9.223.372.036.854.775.808");
    }

    #[test]
    fn decimals_drop_trailing_zeros() {
        assert_eq!(decimal(dec("1234.50"), 2), "1.234,5");
        assert_eq!(decimal(dec("-0.001"), 2), "0");
        assert_eq!(decimal(dec("24.999"), 2), "25");
        assert_eq!(decimal_f64(24.9, 1), "24,9");
        assert_eq!(plain(dec("18.250")), "18,25");
        assert_eq!(plain(dec("12345")), "12345");
        assert_eq!(plain_f64(1000.0, 4), "1000");
        assert_eq!(plain_f64(2.5, 4), "2,5");
        assert_eq!(plain_f64(-0.00001, 4), "0");
    }

    #[test]
    fn euros_from_cents() {
        assert_eq!(euro_cents(123_456), "€ 1.234,56");
        assert_eq!(euro_cents(120), "€ 1,20");
        assert_eq!(euro_cents(100_000), "€ 1.000,00");
        assert_eq!(euro_cents(-5), "\u{2212} € 0,05");
        assert_eq!(cents_amount(1471), "14,71");
        assert_eq!(cents_amount(-123_456), "-1.234,56");
        assert_eq!(euro_cents_whole(123_456), "€ 1.235");
        assert_eq!(euro_cents_whole(-50), "\u{2212} € 1");
        assert_eq!(parse_cents("\u{2212} € 12,00"), Ok(-1200));
        assert_eq!(parse_cents("-€ 12"), Ok(-1200));
        assert_eq!(parse_cents("€ -12"), Ok(-1200));
        assert!(parse_cents("−€−12").is_err());
        assert_eq!(euro_cents(i64::MIN), "\u{2212} € 92.233.720.368.547.758,08");
    }

    /// The wage-cost defect of issue 27: "58000.50" was read as 5.800.050 euros.
    #[test]
    fn money_defect_cases() {
        assert_eq!(parse_cents("58000.50"), Ok(5_800_050));
        assert_eq!(parse_cents("58.000,50"), Ok(5_800_050));
        assert_eq!(parse_cents("58.000"), Ok(5_800_000));
        assert_eq!(parse_cents("€ 58.000,50"), Ok(5_800_050));
        assert_eq!(parse_cents("58000,5"), Ok(5_800_050));
        assert_eq!(parse_cents("-12,34"), Ok(-1234));
        assert_eq!(parse_cents("1.2.3"), Err(ParseError::NotANumber));
        assert_eq!(parse_cents("12,345"), Err(ParseError::NotCents));
        assert_eq!(parse_cents(""), Err(ParseError::Empty));
        assert_eq!(parse_cents("abc"), Err(ParseError::NotANumber));
        assert_eq!(parse_cents("1e5"), Err(ParseError::NotANumber));
    }

    #[test]
    fn numbers_parse() {
        let p = |s: &str| parse_number(s).map(|d| d.to_string());
        assert_eq!(p("36").as_deref(), Ok("36"));
        assert_eq!(p("3,5").as_deref(), Ok("3.5"));
        assert_eq!(p("24.5").as_deref(), Ok("24.5"));
        assert_eq!(p("1.234,56").as_deref(), Ok("1234.56"));
        assert_eq!(p("1,234.56").as_deref(), Ok("1234.56"));
        assert_eq!(p("1 234,56").as_deref(), Ok("1234.56"));
        assert_eq!(p("1.000").as_deref(), Ok("1000"));
        assert_eq!(p("0.500").as_deref(), Ok("0.500"));
        assert_eq!(p("−2").as_deref(), Ok("-2"));
        assert_eq!(p("1.234.567").as_deref(), Ok("1234567"));
        assert_eq!(p("12.34.567"), Err(ParseError::NotANumber));
        assert_eq!(p("1,"), Err(ParseError::NotANumber));
        let point = parse_number_with("1.000", NumberStyle::DecimalPoint);
        assert_eq!(point, Ok(Decimal::ONE));
        assert!(is_ambiguous("1.000", '.'));
        assert_eq!(parse_number_f64("24,5"), Ok(24.5));
        assert_eq!(parse_number_f64("x"), Err(ParseError::NotANumber));
        assert!(!is_ambiguous("1.50", '.'));
    }

    #[test]
    fn month_names() {
        assert_eq!(month_from_name("sept"), Some(9));
        assert_eq!(month_from_name("september"), Some(9));
        assert_eq!(month_from_name("Sep."), Some(9));
        assert_eq!(month_from_name("SEPTEMBER"), Some(9));
        assert_eq!(month_from_name("mrt"), Some(3));
        assert_eq!(month_from_name("mar"), Some(3));
        assert_eq!(month_from_name("mei"), Some(5));
        assert_eq!(month_from_name("okt"), Some(10));
        assert_eq!(month_from_name("octopus"), None);
        assert_eq!(month_name(9), "september");
        assert_eq!(month_name(0), "");
        assert_eq!(month_short(3), "mrt");
        for m in 1..=12 {
            assert_eq!(month_from_name(month_name(m)), Some(m));
            assert_eq!(month_from_name(month_short(m)), Some(m));
        }
    }

    #[test]
    fn dates() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        assert_eq!(date(d), "23-11-2026");
        assert_eq!(date_long(d), "23 november 2026");
        // 2026-11-23 13:05 UTC is 14:05 in Amsterdam (CET, UTC+1).
        assert_eq!(datetime_unix(1_795_439_100), "23-11-2026 14:05");
        assert_eq!(date_unix(1_795_439_100), "23-11-2026");
        assert_eq!(iso_date("2026-11-23"), "23-11-2026");
        assert_eq!(iso_date("morgen"), "morgen");
        for s in [
            "23-11-2026",
            "23/11/2026",
            "23.11.2026",
            "23 nov 2026",
            "23 november 2026",
            "2026-11-23",
            "2026-11-23 00:00:00",
            "2026-11-23T00:00",
            "20261123",
        ] {
            assert_eq!(parse_date(s, None), Ok(d), "{s}");
        }
        let sept = NaiveDate::from_ymd_opt(2026, 9, 1).unwrap();
        assert_eq!(parse_date("1 sept 2026", None), Ok(sept));
        assert_eq!(parse_date("1 september 2026", None), Ok(sept));
        assert_eq!(parse_date("23-11-26", None), Err(ParseError::TwoDigitYear));
        assert_eq!(parse_date("23-11-26", Some(30)), Ok(d));
        assert_eq!(
            parse_date("23-11-46", Some(30)),
            Ok(NaiveDate::from_ymd_opt(1946, 11, 23).unwrap())
        );
        assert_eq!(parse_date("31-02-26", Some(30)), Err(ParseError::NotADate));
        assert_eq!(parse_date("", None), Err(ParseError::Empty));
    }

    proptest! {
        #[test]
        fn integers_round_trip(v in -1_000_000_000_000i64..1_000_000_000_000) {
            prop_assert_eq!(parse_number(&integer(v)), Ok(Decimal::from(v)));
        }

        #[test]
        fn cents_round_trip(c in -100_000_000_000i64..100_000_000_000) {
            prop_assert_eq!(parse_cents(&euro_cents(c)), Ok(c));
            prop_assert_eq!(parse_cents(&cents_amount(c)), Ok(c));
        }

        #[test]
        fn decimals_round_trip(units in -10_000_000_000i64..10_000_000_000, scale in 0u32..=4) {
            let d = Decimal::new(units, scale);
            prop_assert_eq!(parse_number(&decimal(d, 4)), Ok(d.normalize()));
        }

        #[test]
        fn fixed_decimals_round_trip(units in -1_000_000_000i64..1_000_000_000) {
            // Two decimals always: "1.000,00" must not read as thousands.
            let d = Decimal::new(units, 2);
            let text = number(units as f64 / 100.0, 2);
            prop_assert_eq!(parse_number(&text).map(|p| p.normalize()), Ok(d.normalize()));
        }

        #[test]
        fn dates_round_trip(days in 0i64..200_000) {
            let d = NaiveDate::from_ymd_opt(1900, 1, 1).unwrap() + chrono::Duration::days(days);
            prop_assert_eq!(parse_date(&date(d), None), Ok(d));
            prop_assert_eq!(parse_date(&date_long(d), None), Ok(d));
        }
    }
}
