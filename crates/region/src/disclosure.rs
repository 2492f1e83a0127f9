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
//! 3. trend: every aggregate a later period makes derivable (a shown row, the total, the
//!    total minus the shown rows) must not differ from any union of an earlier period's
//!    derivable aggregates by 1 to `min_orgs - 1` organisations ([`trend_safe`]);
//! 4. complementary: when the total is shown, what the total minus the shown subsectors
//!    reveals (the union of the hidden subsectors) must itself pass the primary rule and
//!    the trend rule; if it does not, the smallest shown subsector is hidden too, and so
//!    on; the total is hidden only when no subsector is left to hide. A total hidden while
//!    every subsector is shown would be their sum, so then the smallest subsector is hidden
//!    as well;
//! 5. sums: every sum of two or more of a period's derivable aggregates must pass the
//!    trend rule too; the first that does not hides its smallest subsector, and 4 and 5
//!    run again until nothing changes.

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

/// Whether an aggregate over `set` in a later period may be known next to an earlier
/// period whose derivable aggregates are the unions of `atoms` (its shown rows, and the
/// total minus them when the total was shown): no such union may differ from `set` by
/// 1 to `min_orgs - 1` organisations (the difference would be those organisations' figures
/// when the others' did not change). Atoms are disjoint; a small subset-sum over them
/// finds the smallest positive differences.
pub fn trend_safe(set: &BTreeSet<i64>, atoms: &[BTreeSet<i64>], policy: &Policy) -> bool {
    let covered: BTreeSet<i64> = atoms.iter().flatten().copied().collect();
    // Organisations in `set` that no earlier atom holds are always in the difference.
    let base = set.difference(&covered).count();
    let inside: Vec<usize> = atoms.iter().map(|a| a.intersection(set).count()).collect();
    let sizes: Vec<usize> = atoms.iter().map(BTreeSet::len).collect();
    trend_safe_counts(base, &inside, &sizes, policy.min_orgs as usize)
}

/// [`trend_safe`] on counts: `base` organisations of the set outside every earlier atom,
/// `inside[a]` of the set in atom `a`, which holds `sizes[a]`.
fn trend_safe_counts(base: usize, inside: &[usize], sizes: &[usize], min: usize) -> bool {
    let mut reachable = vec![false; min + 1];
    reachable[base.min(min)] = true;
    for (inside, size) in inside.iter().zip(sizes) {
        let outside = size - inside;
        let mut next = vec![false; min + 1];
        for (d, ok) in reachable.iter().enumerate() {
            if *ok {
                // Include the atom in the union: its organisations outside the set differ;
                // leave it out: its organisations inside the set differ.
                next[(d + outside).min(min)] = true;
                next[(d + inside).min(min)] = true;
            }
        }
        reachable = next;
    }
    reachable[1..min].iter().all(|r| !r)
}

/// Applies the rules to every period of one group of figures, in the given (chronological)
/// order.
pub fn protect(periods: &[PeriodInput], policy: &Policy) -> Vec<PeriodOutcome> {
    // Per earlier period, its derivable atoms.
    let mut history: Vec<Vec<BTreeSet<i64>>> = Vec::new();
    let mut out = Vec::with_capacity(periods.len());
    for period in periods {
        let trend_ok =
            |set: &BTreeSet<i64>| history.iter().all(|atoms| trend_safe(set, atoms, policy));
        let decide = |cell: &CellInput| {
            cell.forced
                .or_else(|| primary(&cell.contributions, policy))
                .or_else(|| (!trend_ok(&keys(&cell.contributions))).then_some(Reason::Trend))
        };
        let mut rows: Vec<Option<Reason>> = period.rows.iter().map(|(_, c)| decide(c)).collect();
        let mut total = decide(&period.total);

        'settle: loop {
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
                let residual = residual_of(period, &rows);
                if residual.is_empty()
                    || (primary(&residual, policy).is_none() && trend_ok(&keys(&residual)))
                {
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
            // Sums of several shown aggregates (two subsectors added up, a subsector plus
            // the residual) must pass the trend rule too: hide the smallest shown
            // subsector of the first union that does not.
            let atoms = atoms_of(period, &rows, total);
            if !history.is_empty() && atoms.len() < 16 {
                // Later atoms are disjoint, so a union's overlap with an earlier atom is the
                // sum of its members' overlaps: count once, add per union.
                let counts: Vec<OverlapCounts> = history
                    .iter()
                    .map(|earlier| {
                        let covered: BTreeSet<i64> = earlier.iter().flatten().copied().collect();
                        let base = atoms
                            .iter()
                            .map(|(_, a)| a.difference(&covered).count())
                            .collect();
                        let inside = atoms
                            .iter()
                            .map(|(_, a)| {
                                earlier.iter().map(|e| e.intersection(a).count()).collect()
                            })
                            .collect();
                        (base, inside, earlier.iter().map(BTreeSet::len).collect())
                    })
                    .collect();
                let min = policy.min_orgs as usize;
                for mask in 1u32..(1 << atoms.len()) {
                    if mask.count_ones() < 2 {
                        continue;
                    }
                    let members: Vec<usize> =
                        (0..atoms.len()).filter(|i| mask & (1 << i) != 0).collect();
                    let safe = counts.iter().all(|(base, inside, sizes)| {
                        let base = members.iter().map(|i| base[*i]).sum();
                        let overlap: Vec<usize> = (0..sizes.len())
                            .map(|e| members.iter().map(|i| inside[*i][e]).sum())
                            .collect();
                        trend_safe_counts(base, &overlap, sizes, min)
                    });
                    if safe {
                        continue;
                    }
                    let smallest = members
                        .iter()
                        .filter_map(|i| atoms[*i].0)
                        .min_by_key(|r| (period.rows[*r].1.contributions.len(), *r));
                    match smallest {
                        Some(r) => rows[r] = Some(Reason::Trend),
                        None => total = Some(Reason::Trend),
                    }
                    continue 'settle;
                }
            }
            break;
        }

        let atoms = atoms_of(period, &rows, total)
            .into_iter()
            .map(|(_, set)| set)
            .collect();
        history.push(atoms);
        out.push(PeriodOutcome { rows, total });
    }
    out
}

/// Against one earlier period: per later atom the organisations outside every earlier
/// atom, per later atom and earlier atom the overlap, and the earlier atoms' sizes.
type OverlapCounts = (Vec<usize>, Vec<Vec<usize>>, Vec<usize>);

/// What a period makes derivable, as disjoint sets of organisations: each shown row (with
/// its index), and the residual (total minus shown rows, index `None`) when the total is
/// shown.
fn atoms_of(
    period: &PeriodInput,
    rows: &[Option<Reason>],
    total: Option<Reason>,
) -> Vec<(Option<usize>, BTreeSet<i64>)> {
    let mut atoms: Vec<(Option<usize>, BTreeSet<i64>)> = period
        .rows
        .iter()
        .enumerate()
        .filter(|(i, (_, c))| rows[*i].is_none() && !c.contributions.is_empty())
        .map(|(i, (_, c))| (Some(i), keys(&c.contributions)))
        .collect();
    if total.is_none() {
        let residual = residual_of(period, rows);
        if !residual.is_empty() {
            atoms.push((None, keys(&residual)));
        }
    }
    atoms
}

/// The union of the hidden rows' contributions: what the total minus the shown rows gives.
fn residual_of(period: &PeriodInput, rows: &[Option<Reason>]) -> Contributions {
    let mut residual = Contributions::new();
    for (i, (_, c)) in period.rows.iter().enumerate() {
        if rows[i].is_some() {
            residual.extend(c.contributions.iter().map(|(k, v)| (*k, v.clone())));
        }
    }
    residual
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
