//! Minimum-group-size suppression.
//!
//! Rule (applied to the groups of one breakdown whose total is shown):
//! 1. A group with fewer than `k` people is suppressed (`too_small`).
//! 2. If any group is suppressed, further groups are suppressed, smallest first
//!    (`complementary`), until at least two are suppressed and together they hold at least
//!    `k` people — so no suppressed group's figures can be found by subtracting the shown
//!    groups from the total, and the combined remainder is itself a group of at least `k`.
//! 3. If the whole population is smaller than `k`, the total and every group are
//!    suppressed.
//!
//! Not covered: differencing across two breakdowns of the same population (team × age
//! band) or across snapshots; pages should not cross-tabulate small populations.

use serde::{Deserialize, Serialize};

/// Why a group shows no figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Suppression {
    /// Fewer than `k` people.
    TooSmall,
    /// Large enough itself, hidden so a small group cannot be derived from the total.
    Complementary,
}

/// The default minimum group size.
pub const DEFAULT_MIN_GROUP_SIZE: usize = 5;

/// Decide suppression for groups of the given sizes (in display order). Groups of size 0
/// are never shown and never count.
pub fn suppress(sizes: &[usize], k: usize) -> Vec<Option<Suppression>> {
    let total: usize = sizes.iter().sum();
    let mut out: Vec<Option<Suppression>> = sizes
        .iter()
        .map(|&n| (n > 0 && n < k).then_some(Suppression::TooSmall))
        .collect();
    if total < k {
        return sizes
            .iter()
            .map(|&n| (n > 0).then_some(Suppression::TooSmall))
            .collect();
    }
    let primary = out.iter().filter(|s| s.is_some()).count();
    if primary == 0 {
        return out;
    }
    loop {
        let hidden: Vec<usize> = (0..sizes.len()).filter(|&i| out[i].is_some()).collect();
        let hidden_people: usize = hidden.iter().map(|&i| sizes[i]).sum();
        if hidden.len() >= 2 && hidden_people >= k {
            break;
        }
        let next = (0..sizes.len())
            .filter(|&i| out[i].is_none() && sizes[i] > 0)
            .min_by_key(|&i| (sizes[i], i));
        match next {
            Some(i) => out[i] = Some(Suppression::Complementary),
            None => break,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use Suppression::*;
    use proptest::prelude::*;

    #[test]
    fn examples() {
        assert_eq!(suppress(&[10, 12, 8], 5), vec![None, None, None]);
        assert_eq!(
            suppress(&[10, 3, 8, 20], 5),
            vec![None, Some(TooSmall), Some(Complementary), None]
        );
        // Two small groups of 1 and 2 hold only 3 people: add the next-smallest.
        assert_eq!(
            suppress(&[1, 2, 9, 30], 5),
            vec![Some(TooSmall), Some(TooSmall), Some(Complementary), None]
        );
        assert_eq!(suppress(&[2, 2], 5), vec![Some(TooSmall), Some(TooSmall)]);
        assert_eq!(suppress(&[4], 5), vec![Some(TooSmall)]);
        assert_eq!(suppress(&[], 5), Vec::<Option<Suppression>>::new());
    }

    proptest! {
        #[test]
        fn nothing_small_is_shown_or_derivable(sizes in proptest::collection::vec(0usize..30, 0..12), k in 1usize..10) {
            let s = suppress(&sizes, k);
            let total: usize = sizes.iter().sum();
            for (i, &n) in sizes.iter().enumerate() {
                if n > 0 && n < k { prop_assert!(s[i].is_some()); }
                if n == 0 { prop_assert!(s[i].is_none()); }
            }
            let hidden: Vec<usize> = (0..sizes.len()).filter(|&i| s[i].is_some()).collect();
            let nonempty = sizes.iter().filter(|&&n| n > 0).count();
            if total >= k && !hidden.is_empty() && hidden.len() < nonempty {
                // The remainder (total minus shown) covers at least two groups and k people.
                prop_assert!(hidden.len() >= 2);
                prop_assert!(hidden.iter().map(|&i| sizes[i]).sum::<usize>() >= k);
            }
        }
    }
}
