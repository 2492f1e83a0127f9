//! Dutch-friendly parsers for numbers, dates and times, on text or on spreadsheet cells.
//!
//! Numbers: "36", "3,5", "1.234,56", "1 234,56", "€ 1.234,56", "-2", and English-style
//! "24.5" / "1,234.56". A single dot followed by exactly three digits ("1.000") is read
//! as a thousands separator (Dutch first) unless the column's [`NumberStyle`] says dots
//! are decimal points; [`infer_number_style`] decides that from the other values.
//!
//! Dates: day first ("23-11-2026", "23/11/2026", "23.11.2026", "23 nov 2026"), ISO
//! ("2026-11-23", also with a time after it), "20261123", and spreadsheet date cells or
//! serial numbers (1900 date system). Two-digit years ("23-11-26") are refused unless
//! the caller gives a century window in [`DateOptions`], because for birth dates a wrong
//! century silently gives a wrong age.
//!
//! Times: "07:30", "7:30", "7.30", "07:30:00", "0730", "7u30", "7u", spreadsheet time
//! cells and day fractions. [`parse_minutes_of_day`] also accepts "24:00" (an end time).

use crate::table::Cell;
use chrono::{NaiveDate, NaiveTime, Timelike};
use report::nl;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// What went wrong parsing one value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{kind:?}: '{value}'")]
pub struct ParseError {
    pub kind: ParseErrorKind,
    /// The value as the user typed it.
    pub value: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ParseErrorKind {
    Empty,
    NotANumber,
    NotADate,
    TwoDigitYear,
    NotATime,
}

impl ParseError {
    fn new(kind: ParseErrorKind, value: &str) -> Self {
        Self {
            kind,
            value: value.to_owned(),
        }
    }

    /// The Dutch message, e.g. "contracturen '3,5O' is geen getal".
    pub fn message_nl(&self, field_label: &str) -> String {
        let v = &self.value;
        match self.kind {
            ParseErrorKind::Empty => format!("{field_label} is leeg"),
            ParseErrorKind::NotANumber => format!("{field_label} '{v}' is geen getal"),
            ParseErrorKind::NotADate => format!("{field_label} '{v}' is geen datum"),
            ParseErrorKind::TwoDigitYear => {
                format!("{field_label} '{v}' heeft een jaartal van twee cijfers")
            }
            ParseErrorKind::NotATime => format!("{field_label} '{v}' is geen tijd"),
        }
    }

    /// Dutch advice on how to fix it.
    pub fn fix_nl(&self) -> &'static str {
        match self.kind {
            ParseErrorKind::Empty => "Vul dit veld in",
            ParseErrorKind::NotANumber => {
                "Gebruik alleen cijfers en één komma, bijvoorbeeld 24,5 of 1.234,56"
            }
            ParseErrorKind::NotADate => {
                "Schrijf de datum als dag-maand-jaar, bijvoorbeeld 23-11-2026"
            }
            ParseErrorKind::TwoDigitYear => {
                "Schrijf het jaar met vier cijfers, bijvoorbeeld 23-11-2026"
            }
            ParseErrorKind::NotATime => "Schrijf de tijd als uren:minuten, bijvoorbeeld 07:30",
        }
    }

    /// A diagnostic for this error at `row` in the field with Dutch label `field_label`.
    pub fn to_diagnostic(&self, row: u32, field_label: &str) -> crate::Diagnostic {
        crate::Diagnostic::error(row, field_label, &self.value, self.message_nl(field_label))
            .with_fix(self.fix_nl())
    }
}

// ---------------------------------------------------------------- numbers

/// How a column writes its decimal separator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NumberStyle {
    /// Not known: a comma is a decimal comma; a single dot is a decimal point unless
    /// exactly three digits follow it ("1.000" = 1000).
    #[default]
    Auto,
    /// "1.234,56"
    DecimalComma,
    /// "1,234.56"
    DecimalPoint,
}

/// Parse a number from text with [`NumberStyle::Auto`].
pub fn parse_number_str(s: &str) -> Result<Decimal, ParseError> {
    parse_number_with(s, NumberStyle::Auto)
}

/// Parse a number from a cell with [`NumberStyle::Auto`].
pub fn parse_number(cell: &Cell) -> Result<Decimal, ParseError> {
    parse_number_cell(cell, NumberStyle::Auto)
}

/// Parse a number from a cell in the given style. Spreadsheet numbers are taken as they
/// are (rounded to 10 decimals to drop binary noise such as 24.499999999999996).
pub fn parse_number_cell(cell: &Cell, style: NumberStyle) -> Result<Decimal, ParseError> {
    match cell {
        Cell::Number(n) => decimal_from_f64(*n)
            .ok_or_else(|| ParseError::new(ParseErrorKind::NotANumber, &format_f64_nl(*n))),
        Cell::Text(s) => parse_number_with(s, style),
        Cell::Empty => Err(ParseError::new(ParseErrorKind::Empty, "")),
        other => Err(ParseError::new(
            ParseErrorKind::NotANumber,
            &other.display(),
        )),
    }
}

fn decimal_from_f64(n: f64) -> Option<Decimal> {
    if !n.is_finite() {
        return None;
    }
    Decimal::try_from(n)
        .ok()
        .map(|d| d.round_dp(10).normalize())
}

/// Parse a number from text in the given style (the rules are [`report::nl`]'s).
pub fn parse_number_with(s: &str, style: NumberStyle) -> Result<Decimal, ParseError> {
    let style = match style {
        NumberStyle::Auto => nl::NumberStyle::Auto,
        NumberStyle::DecimalComma => nl::NumberStyle::DecimalComma,
        NumberStyle::DecimalPoint => nl::NumberStyle::DecimalPoint,
    };
    nl::parse_number_with(s, style).map_err(|e| match e {
        nl::ParseError::Empty => ParseError::new(ParseErrorKind::Empty, ""),
        _ => ParseError::new(ParseErrorKind::NotANumber, s.trim()),
    })
}

/// Decide from a column's text values whether it uses decimal commas or points.
/// Values that are ambiguous on their own ("1.000", "36") give no evidence.
pub fn infer_number_style<'a>(values: impl IntoIterator<Item = &'a str>) -> NumberStyle {
    let (mut comma, mut point) = (0usize, 0usize);
    for v in values {
        let v = v.trim();
        let d = v.rfind('.');
        let c = v.rfind(',');
        match (d, c) {
            (Some(d), Some(c)) => {
                if d > c {
                    point += 1
                } else {
                    comma += 1
                }
            }
            (None, Some(_)) => {
                if v.matches(',').count() == 1 && !nl::is_ambiguous(v, ',') {
                    comma += 1
                }
            }
            (Some(_), None) => {
                if v.matches('.').count() == 1 && !nl::is_ambiguous(v, '.') {
                    point += 1
                }
            }
            (None, None) => {}
        }
    }
    match comma.cmp(&point) {
        std::cmp::Ordering::Greater => NumberStyle::DecimalComma,
        std::cmp::Ordering::Less => NumberStyle::DecimalPoint,
        std::cmp::Ordering::Equal => NumberStyle::Auto,
    }
}

/// A spreadsheet number as text for messages and codes: decimal comma, no thousands
/// separator (so an employee number 12345 stays "12345").
pub(crate) fn format_f64_nl(n: f64) -> String {
    match decimal_from_f64(n) {
        Some(d) => nl::plain(d),
        None => n.to_string(),
    }
}

// ---------------------------------------------------------------- dates

/// Options for date parsing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct DateOptions {
    /// Accept two-digit years: years `00..=pivot` become 20xx, the rest 19xx.
    /// `None` (the default) refuses two-digit years.
    pub two_digit_year_pivot: Option<u8>,
}

pub(crate) fn excel_epoch() -> NaiveDate {
    NaiveDate::from_ymd_opt(1899, 12, 30).unwrap_or(NaiveDate::MIN)
}

/// Parse a date from text (two-digit years refused).
pub fn parse_date_str(s: &str) -> Result<NaiveDate, ParseError> {
    parse_date_text(s, DateOptions::default())
}

/// Parse a date from a cell (two-digit years refused).
pub fn parse_date(cell: &Cell) -> Result<NaiveDate, ParseError> {
    parse_date_with(cell, DateOptions::default())
}

/// Parse a date from a cell. A number cell is a spreadsheet serial date (1900 system).
pub fn parse_date_with(cell: &Cell, opts: DateOptions) -> Result<NaiveDate, ParseError> {
    match cell {
        Cell::DateTime(dt) => Ok(dt.date()),
        Cell::Number(n) => excel_serial_date(*n)
            .ok_or_else(|| ParseError::new(ParseErrorKind::NotADate, &format_f64_nl(*n))),
        Cell::Text(s) => parse_date_text(s, opts),
        Cell::Empty => Err(ParseError::new(ParseErrorKind::Empty, "")),
        other => Err(ParseError::new(ParseErrorKind::NotADate, &other.display())),
    }
}

/// Spreadsheet serial day number (1900 date system, with its 29-02-1900 quirk) to a date.
fn excel_serial_date(n: f64) -> Option<NaiveDate> {
    if !(1.0..2_958_466.0).contains(&n) {
        return None;
    }
    let days = n.floor() as i64;
    // Serial 60 is the non-existent 29-02-1900; serials below it are one day off.
    let days = if days < 60 { days + 1 } else { days };
    excel_epoch().checked_add_signed(chrono::Duration::days(days))
}

/// Parse a date from text (the rules are [`report::nl::parse_date`]'s).
fn parse_date_text(s: &str, opts: DateOptions) -> Result<NaiveDate, ParseError> {
    nl::parse_date(s, opts.two_digit_year_pivot).map_err(|e| match e {
        nl::ParseError::Empty => ParseError::new(ParseErrorKind::Empty, ""),
        nl::ParseError::TwoDigitYear => ParseError::new(ParseErrorKind::TwoDigitYear, s.trim()),
        _ => ParseError::new(ParseErrorKind::NotADate, s.trim()),
    })
}

// ---------------------------------------------------------------- times

/// Parse a time of day from text.
pub fn parse_time_str(s: &str) -> Result<NaiveTime, ParseError> {
    minutes_to_time(parse_minutes_text(s)?, s)
}

/// Parse a time of day from a cell.
pub fn parse_time(cell: &Cell) -> Result<NaiveTime, ParseError> {
    let m = parse_minutes_of_day(cell)?;
    minutes_to_time(m, &cell.display())
}

fn minutes_to_time(m: u16, raw: &str) -> Result<NaiveTime, ParseError> {
    NaiveTime::from_hms_opt(u32::from(m / 60), u32::from(m % 60), 0)
        .ok_or_else(|| ParseError::new(ParseErrorKind::NotATime, raw.trim()))
}

/// Parse a time of day from text as minutes after midnight, 0..=1440 ("24:00" = 1440).
pub fn parse_minutes_of_day_str(s: &str) -> Result<u16, ParseError> {
    parse_minutes_text(s)
}

/// Parse a time of day from a cell as minutes after midnight, 0..=1440. Number cells are
/// day fractions (0.3125 = 07:30), rounded to the minute.
pub fn parse_minutes_of_day(cell: &Cell) -> Result<u16, ParseError> {
    match cell {
        Cell::DateTime(dt) => {
            Ok((dt.hour() * 60 + dt.minute()) as u16 + u16::from(dt.second() >= 30))
        }
        Cell::Number(n) if (0.0..=1.0).contains(n) => Ok((n * 1440.0).round() as u16),
        Cell::Text(s) => parse_minutes_text(s),
        Cell::Empty => Err(ParseError::new(ParseErrorKind::Empty, "")),
        other => Err(ParseError::new(ParseErrorKind::NotATime, &other.display())),
    }
}

fn parse_minutes_text(s: &str) -> Result<u16, ParseError> {
    let t = s.trim();
    let err = || ParseError::new(ParseErrorKind::NotATime, t);
    if t.is_empty() {
        return Err(ParseError::new(ParseErrorKind::Empty, ""));
    }
    let low = t.to_lowercase();
    let low = low.trim_end_matches(" uur").trim();
    let (h, m): (&str, &str) = if let Some((h, rest)) = low.split_once([':', '.', 'u']) {
        // "07:30", "07:30:00", "7.30", "7u30", "7u"
        let m = match rest.split_once(':') {
            Some((m, sec)) if sec.len() == 2 && sec.chars().all(|c| c.is_ascii_digit()) => m,
            Some(_) => return Err(err()),
            None => rest,
        };
        if m.is_empty() && low.contains('u') {
            (h, "0")
        } else if m.len() == 2 {
            (h, m)
        } else {
            return Err(err());
        }
    } else if low.len() == 4 && low.chars().all(|c| c.is_ascii_digit()) {
        (&low[..2], &low[2..])
    } else if (1..=2).contains(&low.len()) && low.chars().all(|c| c.is_ascii_digit()) {
        (low, "0")
    } else {
        return Err(err());
    };
    if h.is_empty() || h.len() > 2 || !h.chars().all(|c| c.is_ascii_digit()) {
        return Err(err());
    }
    if !m.chars().all(|c| c.is_ascii_digit()) {
        return Err(err());
    }
    let h: u16 = h.parse().map_err(|_| err())?;
    let m: u16 = m.parse().map_err(|_| err())?;
    if m >= 60 || h > 24 || (h == 24 && m != 0) {
        return Err(err());
    }
    Ok(h * 60 + m)
}

// ---------------------------------------------------------------- text

/// The cell as trimmed text; `None` when empty. Numbers and dates are shown the Dutch way
/// ("36", "3,5", "23-11-2026"), so a code column that Excel turned into a number reads
/// back as the digits.
pub fn parse_text(cell: &Cell) -> Option<String> {
    let s = cell.display();
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros_free::*;

    mod rust_decimal_macros_free {
        pub fn d(s: &str) -> rust_decimal::Decimal {
            s.parse().unwrap()
        }
    }

    #[test]
    fn dutch_and_english_numbers() {
        let ok = |s: &str| parse_number_str(s).unwrap();
        assert_eq!(ok("36"), d("36"));
        assert_eq!(ok("3,5"), d("3.5"));
        assert_eq!(ok(" 24,75 "), d("24.75"));
        assert_eq!(ok("1.234,56"), d("1234.56"));
        assert_eq!(ok("1 234,56"), d("1234.56"));
        assert_eq!(ok("€ 1.234,56"), d("1234.56"));
        assert_eq!(ok("1.234.567"), d("1234567"));
        assert_eq!(ok("1,234.56"), d("1234.56"));
        assert_eq!(ok("24.5"), d("24.5"));
        assert_eq!(ok("0.889"), d("0.889"));
        assert_eq!(ok("1.000"), d("1000"));
        assert_eq!(ok("-2,5"), d("-2.5"));
        assert_eq!(ok(",5"), d("0.5"));
        assert_eq!(
            parse_number_with("1.000", NumberStyle::DecimalPoint).unwrap(),
            d("1")
        );
        assert_eq!(
            parse_number_with("1,000", NumberStyle::DecimalPoint).unwrap(),
            d("1000")
        );
    }

    #[test]
    fn bad_numbers() {
        for s in [
            "3,5O", "abc", "1,2,3", "1.23.4", "--1", "1,", "12:30", "1e5", "€", ".",
        ] {
            let e = parse_number_str(s).unwrap_err();
            assert_eq!(e.kind, ParseErrorKind::NotANumber, "{s}");
        }
        assert_eq!(
            parse_number_str("  ").unwrap_err().kind,
            ParseErrorKind::Empty
        );
        assert_eq!(
            parse_number_str("3,5O")
                .unwrap_err()
                .message_nl("contracturen"),
            "contracturen '3,5O' is geen getal"
        );
    }

    #[test]
    fn number_cells() {
        assert_eq!(
            parse_number(&Cell::Number(24.499999999999996)).unwrap(),
            d("24.5")
        );
        assert_eq!(parse_number(&Cell::Number(0.1)).unwrap(), d("0.1"));
        assert!(parse_number(&Cell::Number(f64::NAN)).is_err());
    }

    #[test]
    fn style_inference() {
        assert_eq!(
            infer_number_style(["0.889", "1.000", "0.5"]),
            NumberStyle::DecimalPoint
        );
        assert_eq!(
            infer_number_style(["24,5", "36", "1.000"]),
            NumberStyle::DecimalComma
        );
        assert_eq!(infer_number_style(["36", "1.000"]), NumberStyle::Auto);
    }

    #[test]
    fn format_nl() {
        // Formatting moved to report::nl; the import keeps its readings of it.
        assert_eq!(nl::decimal(d("1234.5"), 2), "1.234,5");
        assert_eq!(nl::decimal(d("2.9166"), 1), "2,9");
        assert_eq!(nl::decimal(d("-1234567"), 0), "-1.234.567");
        assert_eq!(nl::decimal(d("0.25"), 1), "0,2");
        assert_eq!(format_f64_nl(12345.0), "12345");
        assert_eq!(format_f64_nl(2.5), "2,5");
    }

    #[test]
    fn dates() {
        let dt = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let ok = |s: &str| parse_date_str(s).unwrap();
        assert_eq!(ok("23-11-2026"), dt(2026, 11, 23));
        assert_eq!(ok("3-1-2026"), dt(2026, 1, 3));
        assert_eq!(ok("23/11/2026"), dt(2026, 11, 23));
        assert_eq!(ok("23.11.2026"), dt(2026, 11, 23));
        assert_eq!(ok("2026-11-23"), dt(2026, 11, 23));
        assert_eq!(ok("2026-11-23 00:00:00"), dt(2026, 11, 23));
        assert_eq!(ok("2026-11-23T08:00"), dt(2026, 11, 23));
        assert_eq!(ok("20261123"), dt(2026, 11, 23));
        assert_eq!(ok("23 nov 2026"), dt(2026, 11, 23));
        assert_eq!(ok("1 maart 1970"), dt(1970, 3, 1));
        assert_eq!(ok("23-mrt-2026"), dt(2026, 3, 23));
        assert_eq!(
            parse_date_str("23-11-26").unwrap_err().kind,
            ParseErrorKind::TwoDigitYear
        );
        let opts = DateOptions {
            two_digit_year_pivot: Some(30),
        };
        assert_eq!(
            parse_date_with(&Cell::Text("23-11-26".into()), opts).unwrap(),
            dt(2026, 11, 23)
        );
        assert_eq!(
            parse_date_with(&Cell::Text("01-02-58".into()), opts).unwrap(),
            dt(1958, 2, 1)
        );
        for bad in [
            "31-02-2026",
            "11/23/2026",
            "gisteren",
            "2026-13-01",
            "23-11",
            "1-1-202",
        ] {
            assert_eq!(
                parse_date_str(bad).unwrap_err().kind,
                ParseErrorKind::NotADate,
                "{bad}"
            );
        }
    }

    #[test]
    fn serial_dates() {
        let dt = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(
            parse_date(&Cell::Number(46349.0)).unwrap(),
            dt(2026, 11, 23)
        );
        assert_eq!(parse_date(&Cell::Number(61.0)).unwrap(), dt(1900, 3, 1));
        assert_eq!(parse_date(&Cell::Number(1.0)).unwrap(), dt(1900, 1, 1));
        assert!(parse_date(&Cell::Number(-3.0)).is_err());
    }

    #[test]
    fn times() {
        let ok = |s: &str| parse_minutes_of_day_str(s).unwrap();
        assert_eq!(ok("07:30"), 450);
        assert_eq!(ok("7:30"), 450);
        assert_eq!(ok("7.30"), 450);
        assert_eq!(ok("07:30:00"), 450);
        assert_eq!(ok("0730"), 450);
        assert_eq!(ok("7u30"), 450);
        assert_eq!(ok("7u"), 420);
        assert_eq!(ok("7"), 420);
        assert_eq!(ok("24:00"), 1440);
        assert_eq!(ok("23:59"), 1439);
        for bad in ["25:00", "7:3", "7:60", "24:30", "abc", "7.5", "-1:00"] {
            assert_eq!(
                parse_minutes_of_day_str(bad).unwrap_err().kind,
                ParseErrorKind::NotATime,
                "{bad}"
            );
        }
        assert!(parse_time_str("24:00").is_err());
        assert_eq!(
            parse_time_str("7.30").unwrap(),
            NaiveTime::from_hms_opt(7, 30, 0).unwrap()
        );
        assert_eq!(parse_minutes_of_day(&Cell::Number(0.3125)).unwrap(), 450);
    }

    #[test]
    fn text_cells() {
        assert_eq!(parse_text(&Cell::Number(12345.0)).as_deref(), Some("12345"));
        assert_eq!(parse_text(&Cell::Text("  ".into())), None);
        let dt = NaiveDate::from_ymd_opt(2026, 11, 23)
            .unwrap()
            .and_time(NaiveTime::MIN);
        assert_eq!(
            parse_text(&Cell::DateTime(dt)).as_deref(),
            Some("23-11-2026")
        );
    }
}
