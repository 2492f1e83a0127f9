//! Organisation-level disclosure control, independent of what the figures mean.
//!
//! A *cell* is one group of figures (say the workforce figures) of one row (a subsector, or
//! the region's total) in one period. Its *contributors* are the organisations whose data
//! it pools, each with the values of the cell's additive measures (employees, contract
//! hours, …). The rules, in the order they are applied per period:
//!
//! 1. forced: the caller already hides the cell (the survey figures of a row hide its
//!    conditions and obstacles);
//! 2. primary: fewer than `min_orgs` contributors, or one contributor with more than
//!    `dominance_percent` of any measure's sum;
//! 3. trend: against every earlier period in which the same row is shown, the set of
//!    contributors must be the same or differ by at least `min_orgs` organisations;
//! 4. complementary: when the total is shown, what the total minus the shown subsectors
//!    reveals (the union of the hidden subsectors) must itself pass the primary rule; if it
//!    does not, the smallest shown subsector is hidden too, and so on; the total is hidden
//!    only when no subsector is left to hide. A total hidden while every subsector is shown
//!    would be their sum, so then the smallest subsector is hidden as well.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::Policy;

/// Why a cell is hidden.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// Fewer organisations than the policy's minimum contribute.
    TooFewOrganisations,
    /// One organisation contributes more than the policy's share of a measure.
    Dominance,
    /// Hidden so that another hidden cell cannot be computed from the total.
    Complementary,
    /// The change against an earlier period would single out a few organisations.
    Trend,
}

impl Reason {
    /// The Dutch text shown next to the hidden cell.
    pub fn text(self, policy: &Policy) -> String {
        match self {
            Reason::TooFewOrganisations => {
                format!("minder dan {} organisaties", policy.min_orgs)
            }
            Reason::Dominance if policy.dominance_percent == 50 => {
                "één organisatie levert meer dan de helft".to_string()
            }
            Reason::Dominance => format!(
                "één organisatie levert meer dan {}%",
                policy.dominance_percent
            ),
            Reason::Complementary => {
                "afgeschermd zodat een ander afgeschermd cijfer niet terug te rekenen is"
                    .to_string()
            }
            Reason::Trend => format!(
                "de verandering sinds een eerdere periode komt van minder dan {} organisaties",
                policy.min_orgs
            ),
        }
    }
}

/// Organisation id → the values of the cell's measures (same length for every organisation).
pub type Contributions = BTreeMap<i64, Vec<f64>>;

/// One cell before the rules run.
#[derive(Debug, Clone, Default)]
pub struct CellInput {
    pub contributions: Contributions,
    pub forced: Option<Reason>,
}

/// One period of one group of figures: the subsector rows (by key) and the total.
#[derive(Debug, Clone, Default)]
pub struct PeriodInput {
    pub rows: Vec<(String, CellInput)>,
    pub total: CellInput,
}

/// The outcome for one period: a reason per row (same order as the input) and the total.
#[derive(Debug, Clone, PartialEq)]
pub struct PeriodOutcome {
    pub rows: Vec<Option<Reason>>,
    pub total: Option<Reason>,
}

/// The primary rule on one set of contributions.
pub fn primary(contributions: &Contributions, policy: &Policy) -> Option<Reason> {
    if contributions.len() < policy.min_orgs as usize {
        return Some(Reason::TooFewOrganisations);
    }
    let measures = contributions.values().map(Vec::len).max().unwrap_or(0);
    for m in 0..measures {
        let mut sum = 0.0;
        let mut max: f64 = 0.0;
        for values in contributions.values() {
            let v = values.get(m).copied().unwrap_or(0.0).abs();
            sum += v;
            max = max.max(v);
        }
        if sum > 0.0 && max * 100.0 > f64::from(policy.dominance_percent) * sum {
            return Some(Reason::Dominance);
        }
    }
    None
}

fn keys(c: &Contributions) -> BTreeSet<i64> {
    c.keys().copied().collect()
}

/// Whether two shown cells of the same row in two periods may both be shown: the same
/// contributors, or at least `min_orgs` organisations joined or left in between.
pub fn trend_safe(a: &BTreeSet<i64>, b: &BTreeSet<i64>, policy: &Policy) -> bool {
    let differ = a.symmetric_difference(b).count();
    differ == 0 || differ >= policy.min_orgs as usize
}

/// Applies the rules to every period of one group of figures, in the given (chronological)
/// order.
pub fn protect(periods: &[PeriodInput], policy: &Policy) -> Vec<PeriodOutcome> {
    // Contributor sets of shown cells so far, per row key; the total under "".
    let mut shown_before: BTreeMap<Option<&str>, Vec<BTreeSet<i64>>> = BTreeMap::new();
    let mut out = Vec::with_capacity(periods.len());
    for period in periods {
        let decide = |key: Option<&str>, cell: &CellInput| {
            cell.forced
                .or_else(|| primary(&cell.contributions, policy))
                .or_else(|| {
                    let now = keys(&cell.contributions);
                    shown_before
                        .get(&key)
                        .into_iter()
                        .flatten()
                        .any(|before| !trend_safe(before, &now, policy))
                        .then_some(Reason::Trend)
                })
        };
        let mut rows: Vec<Option<Reason>> = period
            .rows
            .iter()
            .map(|(k, c)| decide(Some(k.as_str()), c))
            .collect();
        let mut total = decide(None, &period.total);

        loop {
            let candidate = period
                .rows
                .iter()
                .enumerate()
                .filter(|(i, (_, c))| rows[*i].is_none() && !c.contributions.is_empty())
                .min_by(|(_, (ka, a)), (_, (kb, b))| {
                    let size = |c: &CellInput| {
                        c.contributions
                            .values()
                            .map(|v| v.first().copied().unwrap_or(0.0))
                            .sum::<f64>()
                    };
                    a.contributions
                        .len()
                        .cmp(&b.contributions.len())
                        .then(size(a).total_cmp(&size(b)))
                        .then(ka.cmp(kb))
                })
                .map(|(i, _)| i);
            if total.is_some() {
                // A hidden total must not be the sum of shown subsectors.
                let all_shown = period
                    .rows
                    .iter()
                    .enumerate()
                    .all(|(i, (_, c))| rows[i].is_none() || c.contributions.is_empty());
                if all_shown
                    && !period.total.contributions.is_empty()
                    && let Some(i) = candidate
                {
                    rows[i] = Some(Reason::Complementary);
                    continue;
                }
                break;
            }
            let mut residual = Contributions::new();
            for (i, (_, c)) in period.rows.iter().enumerate() {
                if rows[i].is_some() {
                    residual.extend(c.contributions.iter().map(|(k, v)| (*k, v.clone())));
                }
            }
            if residual.is_empty() || primary(&residual, policy).is_none() {
                break;
            }
            match candidate {
                Some(i) => rows[i] = Some(Reason::Complementary),
                None => {
                    total = Some(Reason::Complementary);
                    break;
                }
            }
        }

        for (i, (k, c)) in period.rows.iter().enumerate() {
            if rows[i].is_none() {
                shown_before
                    .entry(Some(k.as_str()))
                    .or_default()
                    .push(keys(&c.contributions));
            }
        }
        if total.is_none() {
            shown_before
                .entry(None)
                .or_default()
                .push(keys(&period.total.contributions));
        }
        out.push(PeriodOutcome { rows, total });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(values: &[(i64, f64)]) -> CellInput {
        CellInput {
            contributions: values.iter().map(|(k, v)| (*k, vec![*v])).collect(),
            forced: None,
        }
    }

    fn period(rows: Vec<(&str, CellInput)>) -> PeriodInput {
        let mut total = CellInput::default();
        for (_, c) in &rows {
            total.contributions.extend(c.contributions.clone());
        }
        PeriodInput {
            rows: rows.into_iter().map(|(k, c)| (k.to_string(), c)).collect(),
            total,
        }
    }

    #[test]
    fn fewer_than_three_and_dominance() {
        let p = Policy::default();
        assert_eq!(
            primary(&cell(&[(1, 10.0), (2, 10.0)]).contributions, &p),
            Some(Reason::TooFewOrganisations)
        );
        // 60 of 100 is more than half.
        assert_eq!(
            primary(&cell(&[(1, 60.0), (2, 20.0), (3, 20.0)]).contributions, &p),
            Some(Reason::Dominance)
        );
        // Exactly half is allowed.
        assert_eq!(
            primary(&cell(&[(1, 50.0), (2, 25.0), (3, 25.0)]).contributions, &p),
            None
        );
    }

    #[test]
    fn one_hidden_subsector_takes_the_next_smallest_with_it() {
        let p = Policy::default();
        let out = protect(
            &[period(vec![
                ("ggz", cell(&[(1, 5.0), (2, 5.0)])),
                ("gz", cell(&[(3, 10.0), (4, 10.0), (5, 10.0)])),
                ("vvt", cell(&[(6, 10.0), (7, 10.0), (8, 10.0), (9, 10.0)])),
            ])],
            &p,
        );
        assert_eq!(
            out[0].rows,
            vec![
                Some(Reason::TooFewOrganisations),
                Some(Reason::Complementary),
                None
            ]
        );
        assert_eq!(out[0].total, None);
    }

    #[test]
    fn the_total_goes_when_nothing_else_protects() {
        let p = Policy::default();
        let out = protect(
            &[period(vec![
                ("ggz", cell(&[(1, 5.0), (2, 5.0)])),
                ("vvt", cell(&[(6, 10.0), (7, 10.0), (8, 10.0)])),
            ])],
            &p,
        );
        // ggz+vvt together pass, so hiding vvt is enough and the total stays.
        assert_eq!(
            out[0].rows,
            vec![
                Some(Reason::TooFewOrganisations),
                Some(Reason::Complementary)
            ]
        );
        assert_eq!(out[0].total, None);
        // A region of two organisations: everything is hidden.
        let out = protect(&[period(vec![("ggz", cell(&[(1, 5.0), (2, 5.0)]))])], &p);
        assert_eq!(out[0].total, Some(Reason::TooFewOrganisations));
    }

    #[test]
    fn one_organisation_joining_hides_the_later_period() {
        let p = Policy::default();
        let first = period(vec![("vvt", cell(&[(1, 10.0), (2, 10.0), (3, 10.0)]))]);
        let second = period(vec![(
            "vvt",
            cell(&[(1, 10.0), (2, 10.0), (3, 10.0), (4, 10.0)]),
        )]);
        let out = protect(&[first.clone(), second], &p);
        assert_eq!(out[0].rows, vec![None]);
        assert_eq!(out[1].rows, vec![Some(Reason::Trend)]);
        assert_eq!(out[1].total, Some(Reason::Trend));
        // Three joining at once is a change of a group, shown.
        let third = period(vec![(
            "vvt",
            cell(&[(1, 1.0), (2, 1.0), (3, 1.0), (4, 1.0), (5, 1.0), (6, 1.0)]),
        )]);
        let out = protect(&[first, third], &p);
        assert_eq!(out[1].rows, vec![None]);
    }
}
