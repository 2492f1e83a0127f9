//! Anonymity rules: minimum group size, complementary suppression, folding small groups into
//! "overig", and coarsening of background fields in raw exports.
//!
//! The model: a breakdown partitions the respondents into cells (every respondent in exactly
//! one cell, "onbekend" included), and the total of the breakdown is shown. Every figure
//! shown (counts, sums, shares, rates) is additive over cells, so the only linear facts an
//! attacker can derive about suppressed cells are sums over all of them: total minus shown
//! cells. The rules below guarantee:
//!
//! 1. every shown cell has at least `k` members;
//! 2. the suppressed cells together have either 0 members or at least `k`, so the one
//!    derivable sum is about a group of at least `k` (or about nobody);
//! 3. hence, when any suppressed cell has members, at least two suppressed cells have
//!    members, and no single suppressed cell can be derived by subtraction.
//!
//! When the total itself is below `k`, everything is suppressed, the total too.
//!
//! These rules hold per breakdown. Several breakdowns of the same people, and items tied by
//! an identity (desired − contract hours), give the attacker more than "total minus shown";
//! [`crate::disclosure`] audits all tables of a round together on top of these rules.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Default minimum group size.
pub const DEFAULT_MIN_GROUP_SIZE: u64 = 5;

/// How small groups in a breakdown are hidden.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Strategy {
    /// Hide small groups; hide the next-smallest sibling too until the hidden groups
    /// together reach `k` (complementary suppression).
    #[default]
    Suppress,
    /// Fold small groups (and, if needed, next-smallest siblings) into one "overig" group
    /// of at least `k` that is shown.
    Fold,
}

/// The anonymity settings of an organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Policy {
    /// Minimum group size `k` (at least 2).
    pub min_group_size: u64,
    pub strategy: Strategy,
}

impl Default for Policy {
    fn default() -> Self {
        Self {
            min_group_size: DEFAULT_MIN_GROUP_SIZE,
            strategy: Strategy::Suppress,
        }
    }
}

impl Policy {
    /// `k` as used by the rules: never below 2 (a group of 1 is a person).
    pub fn k(&self) -> u64 {
        self.min_group_size.max(2)
    }
}

/// Which cells of a breakdown with these sizes must be hidden (`true` = hidden), by
/// primary suppression (size < k) and complementary suppression (next-smallest shown
/// sibling, repeated until the hidden cells have 0 members, or at least `k` members in at
/// least two cells with members).
/// Ties are broken by position, so the result is deterministic.
/// If the sizes total less than `k`, every cell is hidden (and the caller must hide the
/// total too).
pub fn suppression_mask(sizes: &[u64], k: u64) -> Vec<bool> {
    suppression_mask_from(sizes, k, &vec![false; sizes.len()])
}

/// [`suppression_mask`] starting from cells that are already hidden for another reason
/// (`initial[i] == true`), e.g. a group hidden as a whole when masking one question's
/// answers inside it. The already hidden cells count towards the hidden sum.
pub fn suppression_mask_from(sizes: &[u64], k: u64, initial: &[bool]) -> Vec<bool> {
    assert_eq!(
        sizes.len(),
        initial.len(),
        "sizes and initial mask differ in length"
    );
    let k = k.max(2);
    let mut mask: Vec<bool> = sizes
        .iter()
        .zip(initial)
        .map(|(&n, &h)| h || n < k)
        .collect();
    let hidden_stats = |mask: &[bool]| -> (u64, usize) {
        sizes
            .iter()
            .zip(mask)
            .filter(|(n, m)| **m && **n > 0)
            .fold((0, 0), |(sum, cnt), (n, _)| (sum + n, cnt + 1))
    };
    loop {
        let (hidden, positive) = hidden_stats(&mask);
        // Safe: nothing hidden with members, or at least k members over at least two
        // hidden cells (so neither the sum nor a single cell gives away a small group).
        if hidden == 0 || (hidden >= k && positive >= 2) {
            break;
        }
        let next = sizes
            .iter()
            .enumerate()
            .filter(|(i, _)| !mask[*i])
            .min_by_key(|(i, n)| (**n, *i))
            .map(|(i, _)| i);
        match next {
            Some(i) => mask[i] = true,
            // Everything is hidden: the hidden sum is the total, which the caller shows
            // only if it reaches k.
            None => break,
        }
    }
    mask
}

/// Result of checking a shown/hidden pattern against the rules (used by tests and as a
/// last guard before output).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Disclosure {
    #[error("cell {cell} with {size} members is shown below the minimum {k}")]
    SmallShown { cell: usize, size: u64, k: u64 },
    #[error("hidden cells sum to {sum} members, derivable from the total and below {k}")]
    DerivableSmallSum { sum: u64, k: u64 },
    #[error("hidden cell {cell} is the only hidden cell with members: derivable from the total")]
    SingleHidden { cell: usize },
    #[error("total of {total} shown below the minimum {k}")]
    SmallTotal { total: u64, k: u64 },
}

/// Check that showing the cells not in `mask` and (if `total_shown`) the total discloses no
/// group below `k`, by the attacker's arithmetic: total minus all shown cells.
pub fn check_disclosure(
    sizes: &[u64],
    mask: &[bool],
    total_shown: bool,
    k: u64,
) -> Result<(), Disclosure> {
    let total: u64 = sizes.iter().sum();
    if total_shown && total > 0 && total < k {
        return Err(Disclosure::SmallTotal { total, k });
    }
    for (i, (&n, &m)) in sizes.iter().zip(mask).enumerate() {
        if !m && n < k {
            return Err(Disclosure::SmallShown {
                cell: i,
                size: n,
                k,
            });
        }
    }
    if total_shown {
        let shown: u64 = sizes
            .iter()
            .zip(mask)
            .filter(|(_, m)| !**m)
            .map(|(n, _)| n)
            .sum();
        let derived = total - shown;
        if derived > 0 && derived < k {
            return Err(Disclosure::DerivableSmallSum { sum: derived, k });
        }
        let positive_hidden: Vec<usize> = (0..sizes.len())
            .filter(|&i| mask[i] && sizes[i] > 0)
            .collect();
        let all_hidden = mask.iter().all(|m| *m);
        if positive_hidden.len() == 1 && !all_hidden {
            return Err(Disclosure::SingleHidden {
                cell: positive_hidden[0],
            });
        }
    }
    Ok(())
}

/// A plan for folding cells: which cells stay on their own and which go into "overig".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoldPlan {
    /// For each input cell: `true` = folded into "overig".
    pub folded: Vec<bool>,
    /// Members of "overig" (0 = no "overig" group needed, or everything is hidden).
    pub overig_size: u64,
    /// The whole breakdown is hidden (total below `k`).
    pub all_hidden: bool,
}

/// Fold small cells into "overig": the cells [`suppression_mask`] would hide are folded
/// together; "overig" then has 0 or at least `k` members. If the total is below `k`,
/// everything is hidden.
pub fn fold_plan(sizes: &[u64], k: u64) -> FoldPlan {
    let k = k.max(2);
    let total: u64 = sizes.iter().sum();
    let folded = suppression_mask(sizes, k);
    let overig_size = sizes
        .iter()
        .zip(&folded)
        .filter(|(_, f)| **f)
        .map(|(n, _)| n)
        .sum();
    FoldPlan {
        folded,
        overig_size,
        all_hidden: total < k,
    }
}

/// The label for the folded group.
pub const OVERIG: &str = "overig";

/// Coarsen background fields of raw rows so that every combination of background values
/// occurs at least `k` times (k-anonymity over the background fields).
///
/// `rows[i][f]` is row i's value for background field f (`None` = not answered). Values are
/// recoded globally per field: first each field's rare values (by [`suppression_mask`] over
/// the value counts) become [`OVERIG`]; then, while some combination occurs fewer than `k`
/// times, the field with the most distinct values folds its rarest remaining value into
/// [`OVERIG`]. If that is not enough, the rows that are still in small combinations are
/// dropped from the export (returned as `None`), since no recoding can hide them.
/// Unanswered values stay `None` and count as a value of their own.
pub fn coarsen(rows: &[Vec<Option<String>>], k: u64) -> Vec<Option<Vec<Option<String>>>> {
    let k = k.max(2);
    let fields = rows.first().map_or(0, |r| r.len());
    let mut out: Vec<Vec<Option<String>>> = rows.to_vec();
    // Step 1: per field.
    for f in 0..fields {
        let counts = value_counts(&out, f);
        let (values, sizes): (Vec<_>, Vec<_>) = counts.into_iter().unzip();
        let mask = suppression_mask(&sizes, k);
        let fold: Vec<Option<String>> = values
            .into_iter()
            .zip(mask)
            .filter(|(_, m)| *m)
            .map(|(v, _)| v)
            .collect();
        recode(&mut out, f, &fold);
    }
    // Step 2: combinations.
    loop {
        let combos = combo_counts(&out);
        if combos.values().all(|&c| c >= k) {
            break;
        }
        // Field with the most distinct values that can still be folded.
        let candidate = (0..fields)
            .map(|f| (f, value_counts(&out, f)))
            .filter(|(_, c)| {
                c.iter()
                    .filter(|(v, _)| v.as_deref() != Some(OVERIG))
                    .count()
                    >= 1
                    && c.len() >= 2
            })
            .max_by_key(|(f, c)| (c.len(), std::cmp::Reverse(*f)));
        let Some((f, counts)) = candidate else { break };
        let rarest = counts
            .into_iter()
            .filter(|(v, _)| v.as_deref() != Some(OVERIG))
            .min_by(|a, b| a.1.cmp(&b.1).then_with(|| a.0.cmp(&b.0)))
            .map(|(v, _)| v);
        match rarest {
            Some(v) => recode(&mut out, f, &[v]),
            None => break,
        }
    }
    let combos = combo_counts(&out);
    out.into_iter()
        .map(|r| if combos[&r] >= k { Some(r) } else { None })
        .collect()
}

fn value_counts(rows: &[Vec<Option<String>>], f: usize) -> Vec<(Option<String>, u64)> {
    let mut m: BTreeMap<Option<String>, u64> = BTreeMap::new();
    for r in rows {
        *m.entry(r[f].clone()).or_default() += 1;
    }
    m.into_iter().collect()
}

fn combo_counts(rows: &[Vec<Option<String>>]) -> BTreeMap<Vec<Option<String>>, u64> {
    let mut m = BTreeMap::new();
    for r in rows {
        *m.entry(r.clone()).or_default() += 1;
    }
    m
}

fn recode(rows: &mut [Vec<Option<String>>], f: usize, values: &[Option<String>]) {
    for r in rows {
        if values.contains(&r[f]) {
            r[f] = Some(OVERIG.to_string());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_small_team_pulls_in_next_smallest() {
        // 3 < 5 hidden; 3 alone is derivable from the total, so the next-smallest (6) goes too.
        assert_eq!(
            suppression_mask(&[10, 3, 6, 8], 5),
            vec![false, true, true, false]
        );
    }

    #[test]
    fn two_small_teams_below_k_pull_in_a_third() {
        assert_eq!(
            suppression_mask(&[1, 2, 9, 7], 5),
            vec![true, true, false, true]
        );
    }

    #[test]
    fn two_small_teams_reaching_k_are_enough() {
        assert_eq!(suppression_mask(&[4, 3, 9], 5), vec![true, true, false]);
    }

    #[test]
    fn empty_cells_do_not_protect() {
        assert_eq!(
            suppression_mask(&[0, 3, 9, 8], 5),
            vec![true, true, false, true]
        );
        assert_eq!(suppression_mask(&[0, 9, 8], 5), vec![true, false, false]);
    }

    #[test]
    fn small_total_hides_all() {
        assert_eq!(suppression_mask(&[2, 1], 5), vec![true, true]);
        assert!(fold_plan(&[2, 1], 5).all_hidden);
    }
}
