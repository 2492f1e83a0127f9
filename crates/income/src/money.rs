//! Integer money and exact rates.
//!
//! Amounts are `i64` euro cents. Rates are exact decimal fractions `num / den` with
//! `den` a power of ten, taken from the rule files without loss. No floating point is
//! used in any calculation; `f64` appears only when an amount is written to JSON.

use rust_decimal::Decimal;
use serde::{Serialize, Serializer};

/// Euro cents.
pub type Cents = i64;

/// An amount of euros held as integer cents; serialises as a JSON number in euros.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Hash)]
pub struct Euros(pub Cents);

impl Euros {
    pub fn cents(self) -> Cents {
        self.0
    }
}

impl Serialize for Euros {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        // Output formatting only: cents / 100 is exact enough to print two decimals.
        #[allow(clippy::cast_precision_loss)]
        let v = self.0 as f64 / 100.0;
        s.serialize_f64(v)
    }
}

/// An exact decimal fraction `num / den` (den = 10^k).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    num: i64,
    den: i64,
}

impl Rate {
    pub const ZERO: Rate = Rate { num: 0, den: 1 };

    /// From a decimal fraction (0.3575 for 35.75 %). `None` if it does not fit.
    pub fn from_fraction(d: Decimal) -> Option<Rate> {
        let scale = d.scale();
        if scale > 18 {
            return None;
        }
        let num = i64::try_from(d.mantissa()).ok()?;
        let den = 10_i64.checked_pow(scale)?;
        Some(Rate { num, den })
    }

    /// From a percentage (35.75 for 35.75 %).
    pub fn from_percent(d: Decimal) -> Option<Rate> {
        Rate::from_fraction(d.checked_div(Decimal::ONE_HUNDRED)?.normalize())
    }

    /// Numerator (over [`Rate::den`]).
    pub fn num(self) -> i64 {
        self.num
    }

    /// Denominator, a power of ten.
    pub fn den(self) -> i64 {
        self.den
    }

    /// Numerator and denominator, for exact wide arithmetic.
    pub fn parts(self) -> (i128, i128) {
        (i128::from(self.num), i128::from(self.den))
    }

    pub fn is_negative(self) -> bool {
        self.num < 0
    }

    /// The rate as a fraction (for validation and display only).
    pub fn as_decimal(self) -> Decimal {
        Decimal::from_i128_with_scale(i128::from(self.num), self.den.ilog10())
    }

    /// `amount × rate`, rounded down (towards minus infinity) to whole cents.
    pub fn floor(self, amount: Cents) -> Cents {
        match amount.checked_mul(self.num) {
            Some(p) => p.div_euclid(self.den),
            None => {
                to_i64((i128::from(amount) * i128::from(self.num)).div_euclid(i128::from(self.den)))
            }
        }
    }

    /// `amount × rate`, rounded half away from zero to whole cents.
    pub fn round(self, amount: Cents) -> Cents {
        mul_div_round(amount, self.num, self.den)
    }
}

/// Integer division rounding half away from zero.
pub fn div_round(n: i128, d: i128) -> i128 {
    debug_assert!(d > 0);
    let q = n / d;
    let r = n % d;
    if 2 * r.abs() >= d {
        if n >= 0 { q + 1 } else { q - 1 }
    } else {
        q
    }
}

/// `a × n / d` rounded half away from zero (d > 0), in i64 when it fits, else i128.
pub fn mul_div_round(a: i64, n: i64, d: i64) -> i64 {
    match a.checked_mul(n) {
        Some(p) => {
            let q = p / d;
            let r = p % d;
            if 2 * r.abs() >= d {
                if p >= 0 { q + 1 } else { q - 1 }
            } else {
                q
            }
        }
        None => to_i64(div_round(i128::from(a) * i128::from(n), i128::from(d))),
    }
}

/// Saturating conversion; amounts in this engine stay far below the limit.
pub fn to_i64(v: i128) -> i64 {
    i64::try_from(v).unwrap_or(if v < 0 { i64::MIN } else { i64::MAX })
}

/// Round cents down to whole euros (the tax rule for box 1 income).
pub fn floor_euro(c: Cents) -> Cents {
    c.div_euclid(100) * 100
}

/// Round cents half away from zero to whole euros.
pub fn round_euro(c: Cents) -> Cents {
    mul_div_round(c, 1, 100) * 100
}

/// Euros (at most two decimals) to cents; `None` if more decimals or out of range.
pub fn cents_from_decimal(d: Decimal) -> Option<Cents> {
    let scaled = d.checked_mul(Decimal::ONE_HUNDRED)?;
    if scaled.fract() != Decimal::ZERO {
        return None;
    }
    i64::try_from(scaled.trunc().mantissa() / 10_i128.pow(scaled.trunc().scale())).ok()
}

/// Serialise an exact decimal as a JSON number (output formatting only).
pub fn serialize_decimal<S: Serializer>(d: &Decimal, s: S) -> Result<S::Ok, S::Error> {
    use rust_decimal::prelude::ToPrimitive;
    s.serialize_f64(d.to_f64().unwrap_or(0.0))
}

/// Serialise an optional exact decimal as a JSON number or null.
pub fn serialize_decimal_opt<S: Serializer>(d: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => serialize_decimal(d, s),
        None => s.serialize_none(),
    }
}

/// A share with four decimals (ten-thousandths), e.g. a marginal burden of 0.5432.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Share(pub i64);

impl Share {
    /// `1 − gained / extra`, in ten-thousandths; `None` when `extra` is zero.
    pub fn burden(gained: Cents, extra: Cents) -> Option<Share> {
        if extra == 0 {
            return None;
        }
        let kept = mul_div_round(gained * extra.signum(), 10_000, extra.abs());
        Some(Share(10_000 - kept))
    }
}

impl Serialize for Share {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[allow(clippy::cast_precision_loss)]
        let v = self.0 as f64 / 10_000.0;
        s.serialize_f64(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn rate_from_percent_is_exact() {
        let r = Rate::from_percent(Decimal::from_str("6.337").unwrap()).unwrap();
        assert_eq!(r.as_decimal(), Decimal::from_str("0.06337").unwrap());
        // 6,337 % of € 5.594 = € 354,49178 -> 354,49 (floor) / 354,49 (round)
        assert_eq!(r.floor(559_400), 35_449);
        assert_eq!(r.round(559_400), 35_449);
    }

    #[test]
    fn rounding_helpers() {
        assert_eq!(floor_euro(12_399), 12_300);
        assert_eq!(floor_euro(-1), -100);
        assert_eq!(round_euro(12_350), 12_400);
        assert_eq!(round_euro(12_349), 12_300);
        assert_eq!(div_round(-5, 10), -1);
        assert_eq!(div_round(4, 10), 0);
    }

    #[test]
    fn cents_parse() {
        assert_eq!(
            cents_from_decimal(Decimal::from_str("18.25").unwrap()),
            Some(1825)
        );
        assert_eq!(
            cents_from_decimal(Decimal::from_str("30000").unwrap()),
            Some(3_000_000)
        );
        assert_eq!(
            cents_from_decimal(Decimal::from_str("1.005").unwrap()),
            None
        );
        assert_eq!(
            cents_from_decimal(Decimal::from_str("-2.5").unwrap()),
            Some(-250)
        );
    }

    #[test]
    fn burden_share() {
        assert_eq!(Share::burden(450, 1000), Some(Share(5500)));
        assert_eq!(Share::burden(-100, 1000), Some(Share(11_000)));
        assert_eq!(Share::burden(5, 0), None);
        assert_eq!(Share::burden(-450, -1000), Some(Share(5500)));
    }
}
