//! Statistics: counts, shares with Wilson 95% intervals, numeric summaries.
//! These functions know nothing about anonymity; [`crate::results`] decides what is shown.

use serde::Serialize;

/// z for a two-sided 95% interval (the 0.975 quantile of the standard normal).
pub const Z95: f64 = 1.959_963_984_540_054;

/// Wilson score interval for `successes` out of `n` at normal quantile `z`
/// (Wilson, E. B. (1927), "Probable inference, the law of succession, and statistical
/// inference", JASA 22(158): 209–212). Returns `(low, high)` within [0, 1].
/// For `n == 0` the interval is the whole range `(0, 1)`.
pub fn wilson(successes: u64, n: u64, z: f64) -> (f64, f64) {
    assert!(successes <= n, "successes {successes} > n {n}");
    if n == 0 {
        return (0.0, 1.0);
    }
    let n_f = n as f64;
    let p = successes as f64 / n_f;
    let z2 = z * z;
    let denom = 1.0 + z2 / n_f;
    let centre = (p + z2 / (2.0 * n_f)) / denom;
    let half = z / denom * (p * (1.0 - p) / n_f + z2 / (4.0 * n_f * n_f)).sqrt();
    let low = if successes == 0 {
        0.0
    } else {
        (centre - half).max(0.0)
    };
    let high = if successes == n {
        1.0
    } else {
        (centre + half).min(1.0)
    };
    (low, high)
}

/// Wilson 95% interval.
pub fn wilson95(successes: u64, n: u64) -> (f64, f64) {
    wilson(successes, n, Z95)
}

/// A share with its 95% interval, as fractions in [0, 1] rounded to 4 decimals.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Share {
    pub count: u64,
    pub share: f64,
    pub ci95: [f64; 2],
}

impl Share {
    pub fn of(count: u64, n: u64) -> Share {
        let (lo, hi) = wilson95(count, n);
        let share = if n == 0 { 0.0 } else { count as f64 / n as f64 };
        Share {
            count,
            share: round4(share),
            ci95: [round4(lo), round4(hi)],
        }
    }
}

pub(crate) fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

pub(crate) fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// Summary of numbers: count, mean, median, total. No minimum or maximum: those are single
/// persons' answers.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct NumberSummary {
    pub n: u64,
    pub mean: f64,
    pub median: f64,
    pub total: f64,
}

impl NumberSummary {
    /// `None` for no values. Rounded to 2 decimals.
    pub fn of(values: &[f64]) -> Option<NumberSummary> {
        if values.is_empty() {
            return None;
        }
        let mut v = values.to_vec();
        v.sort_by(f64::total_cmp);
        let n = v.len();
        let total: f64 = v.iter().sum();
        let median = if n % 2 == 1 {
            v[n / 2]
        } else {
            (v[n / 2 - 1] + v[n / 2]) / 2.0
        };
        Some(NumberSummary {
            n: n as u64,
            mean: round2(total / n as f64),
            median: round2(median),
            total: round2(total),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wilson_matches_reference_values() {
        // Reference: Newcombe (1998), Statistics in Medicine 17:857-872, Table I,
        // example 81/263: Wilson interval 0.2553 to 0.3662.
        let (lo, hi) = wilson95(81, 263);
        assert!((lo - 0.2553).abs() < 5e-5, "{lo}");
        assert!((hi - 0.3662).abs() < 5e-5, "{hi}");
        // Same table, 15/148: 0.0624 to 0.1605.
        let (lo, hi) = wilson95(15, 148);
        assert!((lo - 0.0624).abs() < 5e-5, "{lo}");
        assert!((hi - 0.1605).abs() < 5e-5, "{hi}");
        // 0/20: 0 to 0.1611.
        let (lo, hi) = wilson95(0, 20);
        assert_eq!(lo, 0.0);
        assert!((hi - 0.1611).abs() < 5e-5, "{hi}");
    }

    #[test]
    fn median_even_and_odd() {
        assert_eq!(NumberSummary::of(&[3.0, 1.0, 2.0]).unwrap().median, 2.0);
        let s = NumberSummary::of(&[4.0, 1.0, 2.0, 3.0]).unwrap();
        assert_eq!((s.median, s.mean, s.total, s.n), (2.5, 2.5, 10.0, 4));
        assert!(NumberSummary::of(&[]).is_none());
    }
}
