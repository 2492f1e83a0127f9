//! Contract-hour bands and FTE arithmetic.

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

/// Contract-hour bands per week: lower bound inclusive, upper bound exclusive
/// (`From12To16` is 12 ≤ h < 16; 16 h falls in `From16To20`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum HoursBand {
    #[serde(rename = "lt_12")]
    Under12,
    #[serde(rename = "12_16")]
    From12To16,
    #[serde(rename = "16_20")]
    From16To20,
    #[serde(rename = "20_24")]
    From20To24,
    #[serde(rename = "24_28")]
    From24To28,
    #[serde(rename = "28_32")]
    From28To32,
    #[serde(rename = "32_36")]
    From32To36,
    #[serde(rename = "ge_36")]
    From36,
}

impl HoursBand {
    pub const ALL: [HoursBand; 8] = [
        HoursBand::Under12,
        HoursBand::From12To16,
        HoursBand::From16To20,
        HoursBand::From20To24,
        HoursBand::From24To28,
        HoursBand::From28To32,
        HoursBand::From32To36,
        HoursBand::From36,
    ];

    pub fn of(hours: Decimal) -> HoursBand {
        // The bounds are whole hours, so `hours >= b` exactly when `floor(hours) >= b`: one
        // rounding instead of up to seven decimal comparisons (a picture of 100,000
        // employees puts each in a band six times).
        let whole = hours
            .floor()
            .to_i64()
            .unwrap_or(if hours.is_sign_negative() {
                i64::MIN
            } else {
                i64::MAX
            });
        let idx = match whole {
            i64::MIN..12 => 0,
            36.. => 7,
            h => ((h - 12) / 4 + 1) as usize,
        };
        HoursBand::ALL[idx]
    }

    /// Short label as on a chart axis: "< 12", "12–16", …, "≥ 36".
    pub fn label(self) -> &'static str {
        match self {
            HoursBand::Under12 => "< 12",
            HoursBand::From12To16 => "12–16",
            HoursBand::From16To20 => "16–20",
            HoursBand::From20To24 => "20–24",
            HoursBand::From24To28 => "24–28",
            HoursBand::From28To32 => "28–32",
            HoursBand::From32To36 => "32–36",
            HoursBand::From36 => "≥ 36",
        }
    }

    /// The Dutch phrase for screen readers: "12 tot 16 uur".
    pub fn label_nl(self) -> &'static str {
        match self {
            HoursBand::Under12 => "minder dan 12 uur",
            HoursBand::From12To16 => "12 tot 16 uur",
            HoursBand::From16To20 => "16 tot 20 uur",
            HoursBand::From20To24 => "20 tot 24 uur",
            HoursBand::From24To28 => "24 tot 28 uur",
            HoursBand::From28To32 => "28 tot 32 uur",
            HoursBand::From32To36 => "32 tot 36 uur",
            HoursBand::From36 => "36 uur of meer",
        }
    }
}

/// FTE of a number of weekly hours at the organisation's full-time hours, exact.
pub fn fte(hours: Decimal, full_time_hours: Decimal) -> Decimal {
    if full_time_hours.is_zero() {
        Decimal::ZERO
    } else {
        hours / full_time_hours
    }
}

/// How FTE is shown: one decimal, rounded half away from zero, computed once from the
/// exact total (never a sum of rounded parts). 105 h / 36 h = 2.9166… → 2.9.
pub fn round_fte(fte: Decimal) -> Decimal {
    fte.round_dp_with_strategy(1, RoundingStrategy::MidpointAwayFromZero)
        .normalize()
}

/// Hours and averages are shown with at most two decimals, half away from zero.
pub fn round_hours(h: Decimal) -> Decimal {
    h.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
        .normalize()
}

/// Part-time factors are shown with at most three decimals (0.694).
pub fn round_factor(f: Decimal) -> Decimal {
    f.round_dp_with_strategy(3, RoundingStrategy::MidpointAwayFromZero)
        .normalize()
}

/// Decimal to f64 for JSON output (values are already rounded).
pub(crate) fn to_f64(d: Decimal) -> f64 {
    d.to_string().parse().unwrap_or(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn band_edges() {
        assert_eq!(HoursBand::of(d("0")), HoursBand::Under12);
        assert_eq!(HoursBand::of(d("11.99")), HoursBand::Under12);
        assert_eq!(HoursBand::of(d("12")), HoursBand::From12To16);
        assert_eq!(HoursBand::of(d("16")), HoursBand::From16To20);
        assert_eq!(HoursBand::of(d("24.9")), HoursBand::From24To28);
        assert_eq!(HoursBand::of(d("35.99")), HoursBand::From32To36);
        assert_eq!(HoursBand::of(d("36")), HoursBand::From36);
        assert_eq!(HoursBand::of(d("40")), HoursBand::From36);
    }

    /// The band by its definition: the first one whose lower bound the hours do not reach,
    /// compared as exact decimals.
    fn by_comparisons(hours: Decimal) -> HoursBand {
        let idx = [12, 16, 20, 24, 28, 32, 36]
            .iter()
            .take_while(|&&b| hours >= Decimal::from(b))
            .count();
        HoursBand::ALL[idx]
    }

    proptest::proptest! {
        /// The band is the first one whose lower bound the hours do not reach, compared as
        /// exact decimals, for any hours (negative and huge ones too).
        #[test]
        fn the_band_is_found_by_its_bounds(mantissa in proptest::num::i64::ANY, scale in 0u32..8) {
            let hours = Decimal::new(mantissa, scale);
            proptest::prop_assert_eq!(HoursBand::of(hours), by_comparisons(hours), "{}", hours);
        }

        #[test]
        fn hours_near_the_bounds_fall_in_the_right_band(hundredths in -100i64..5000) {
            let hours = Decimal::new(hundredths, 2);
            proptest::prop_assert_eq!(HoursBand::of(hours), by_comparisons(hours), "{}", hours);
        }
    }

    #[test]
    fn fte_rounding() {
        assert_eq!(round_fte(fte(d("105"), d("36"))), d("2.9"));
        assert_eq!(round_fte(d("2.95")), d("3.0"));
        assert_eq!(round_fte(d("-2.95")), d("-3.0"));
        assert_eq!(fte(d("10"), d("0")), d("0"));
    }
}
