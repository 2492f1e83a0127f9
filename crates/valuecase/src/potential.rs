//! The potential estimator of issue 29, and its seeded bootstrap interval.
//!
//! Per respondent who answered the openness question: `extra = max(0, desired − contract)`
//! when open and both hour questions are answered, else 0. Team `t` of the HR snapshot with
//! `N_t` employees and `n_t` such respondents: `rate_t = Σ extra / n_t` when `n_t >= k`;
//! otherwise the pooled rate of all respondents in such small teams when they number at
//! least `k`, else the organisation-wide rate. Respondents whose team is not in the
//! snapshot count only in the organisation-wide rate. `hours = Σ_t rate_t · N_t`.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

/// Where a team's rate comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RateSource {
    /// The team's own respondents (at least `k`).
    Team,
    /// The respondents of all small teams together.
    Pooled,
    /// All respondents of the organisation.
    Organisation,
}

/// One cell of the estimator: a team of the snapshot (with its headcount) or the
/// respondents outside the snapshot's teams (`employees == 0`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Cell {
    pub employees: u64,
    /// `extra` of each respondent in the cell who answered the openness question.
    pub extras: Vec<f64>,
}

/// Sums per cell, the input of [`estimate`].
#[derive(Debug, Clone, PartialEq)]
pub struct Sums {
    pub sum: Vec<f64>,
    pub n: Vec<u64>,
}

impl Sums {
    pub fn of(cells: &[Cell]) -> Sums {
        Sums {
            sum: cells.iter().map(|c| c.extras.iter().sum()).collect(),
            n: cells.iter().map(|c| c.extras.len() as u64).collect(),
        }
    }
}

/// The estimate: hours per week, and per cell its rate and rate source.
#[derive(Debug, Clone, PartialEq)]
pub struct Estimate {
    pub hours_per_week: f64,
    pub rates: Vec<(f64, RateSource)>,
}

/// The estimator on per-cell sums. `cells[i].employees == 0` marks cells outside the
/// snapshot (their respondents count only in the organisation-wide rate).
pub fn estimate(employees: &[u64], sums: &Sums, k: u64) -> Estimate {
    let in_snapshot = |i: usize| employees[i] > 0;
    let (mut org_sum, mut org_n, mut pool_sum, mut pool_n) = (0.0, 0u64, 0.0, 0u64);
    for i in 0..employees.len() {
        org_sum += sums.sum[i];
        org_n += sums.n[i];
        if in_snapshot(i) && sums.n[i] < k {
            pool_sum += sums.sum[i];
            pool_n += sums.n[i];
        }
    }
    let org_rate = if org_n == 0 {
        0.0
    } else {
        org_sum / org_n as f64
    };
    let small_rate = if pool_n >= k && pool_n > 0 {
        (pool_sum / pool_n as f64, RateSource::Pooled)
    } else {
        (org_rate, RateSource::Organisation)
    };
    let mut hours = 0.0;
    let rates = (0..employees.len())
        .map(|i| {
            if !in_snapshot(i) {
                return (0.0, RateSource::Organisation);
            }
            let r = if sums.n[i] >= k && sums.n[i] > 0 {
                (sums.sum[i] / sums.n[i] as f64, RateSource::Team)
            } else {
                small_rate
            };
            hours += r.0 * employees[i] as f64;
            r
        })
        .collect();
    Estimate {
        hours_per_week: hours,
        rates,
    }
}

/// Fixed seed of the bootstrap, so the same data give the same interval.
pub const BOOTSTRAP_SEED: u64 = 29;

/// 95% percentile interval of [`estimate`]'s hours by a seeded bootstrap: each resample
/// draws, within every cell, as many respondents as it has, with replacement.
pub fn bootstrap_ci95(cells: &[Cell], k: u64, resamples: u32, seed: u64) -> Option<[f64; 2]> {
    if resamples == 0 || cells.iter().all(|c| c.extras.is_empty()) {
        return None;
    }
    let employees: Vec<u64> = cells.iter().map(|c| c.employees).collect();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut sums = Sums {
        sum: vec![0.0; cells.len()],
        n: cells.iter().map(|c| c.extras.len() as u64).collect(),
    };
    let mut out = Vec::with_capacity(resamples as usize);
    for _ in 0..resamples {
        for (i, c) in cells.iter().enumerate() {
            let len = c.extras.len();
            let mut s = 0.0;
            if len > 0 {
                for _ in 0..len {
                    s += c.extras[rng.random_range(0..len)];
                }
            }
            sums.sum[i] = s;
        }
        out.push(estimate(&employees, &sums, k).hours_per_week);
    }
    out.sort_by(f64::total_cmp);
    let b = out.len();
    let lo = out[((b as f64) * 0.025).floor() as usize];
    let hi = out[(((b as f64) * 0.975).ceil() as usize).clamp(1, b) - 1];
    Some([lo, hi])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(employees: u64, extras: &[f64]) -> Cell {
        Cell {
            employees,
            extras: extras.to_vec(),
        }
    }

    #[test]
    fn large_teams_use_their_own_rate() {
        // k = 2. Team A: 10 employees, extras 4 and 0 → rate 2 → 20 h.
        // Team B: 5 employees, extras 2, 2, 2 → rate 2 → 10 h.
        let cells = [cell(10, &[4.0, 0.0]), cell(5, &[2.0, 2.0, 2.0])];
        let e = estimate(&[10, 5], &Sums::of(&cells), 2);
        assert_eq!(e.hours_per_week, 30.0);
        assert_eq!(e.rates[0], (2.0, RateSource::Team));
    }

    #[test]
    fn small_teams_are_pooled_when_the_pool_reaches_k() {
        // k = 3. A: 3 respondents (own rate 1 → 10 employees → 10 h).
        // B: 2 respondents (8, 0), C: 1 respondent (4), D: none. Pool B+C+D = 3
        // respondents, sum 12 → rate 4; B 6 employees → 24, C 4 → 16, D 5 → 20.
        let cells = [
            cell(10, &[1.0, 1.0, 1.0]),
            cell(6, &[8.0, 0.0]),
            cell(4, &[4.0]),
            cell(5, &[]),
        ];
        let e = estimate(&[10, 6, 4, 5], &Sums::of(&cells), 3);
        assert_eq!(e.hours_per_week, 10.0 + 24.0 + 16.0 + 20.0);
        assert_eq!(e.rates[1], (4.0, RateSource::Pooled));
        assert_eq!(e.rates[3], (4.0, RateSource::Pooled));
    }

    #[test]
    fn pool_below_k_takes_the_organisation_rate_with_unknown_teams_in_it() {
        // k = 3. A: 4 respondents (2, 2, 2, 2) → rate 2, 10 employees → 20 h.
        // B: 1 respondent (6), pool 1 < 3 → organisation rate.
        // Outside the snapshot: 3 respondents (0, 0, 10).
        // Organisation rate = (8 + 6 + 10) / (4 + 1 + 3) = 3; B has 5 employees → 15 h.
        let cells = [
            cell(10, &[2.0, 2.0, 2.0, 2.0]),
            cell(5, &[6.0]),
            cell(0, &[0.0, 0.0, 10.0]),
        ];
        let e = estimate(&[10, 5, 0], &Sums::of(&cells), 3);
        assert_eq!(e.hours_per_week, 35.0);
        assert_eq!(e.rates[1], (3.0, RateSource::Organisation));
    }

    #[test]
    fn bootstrap_is_deterministic_and_brackets_a_constant_estimate() {
        let cells = [cell(10, &[2.0, 2.0, 2.0]), cell(4, &[1.0, 5.0, 0.0])];
        let a = bootstrap_ci95(&cells, 3, 500, BOOTSTRAP_SEED).unwrap();
        let b = bootstrap_ci95(&cells, 3, 500, BOOTSTRAP_SEED).unwrap();
        assert_eq!(a, b);
        let point = estimate(&[10, 4], &Sums::of(&cells), 3).hours_per_week;
        assert!(a[0] <= point && point <= a[1], "{a:?} {point}");
        // Team A alone has no variation: with only A the interval is a point.
        let c = bootstrap_ci95(&cells[..1], 3, 100, 1).unwrap();
        assert_eq!(c, [20.0, 20.0]);
    }
}
