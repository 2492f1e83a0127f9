//! Disclosure control across tables: the one layer every published figure of a round goes
//! through (the [`crate::SurveyResults`] that pages, API and CLI show, and the CSV/XLSX
//! tables of [`crate::export`] derived from it).
//!
//! Model. Every published figure of an item in a group (organisation, team, breakdown group,
//! "overig") is a sum over the respondents of that group who are in the item's base (those
//! who answered it) of some per-respondent value (1, "chose option o", the hours, ...). Two
//! groups of different breakdowns are different sums over the same people, so the attacker
//! can combine them: a suppressed cell is derivable when its vector (which respondents, with
//! which coefficients) lies in the linear span of the vectors of the published cells. The
//! attacker is assumed to know who is in which group and in which base (worst case), so
//! vectors are restricted to the base.
//!
//! Respondents with the same group in every breakdown are indistinguishable to every
//! published figure, so coordinates are per *class* (one per combination of groups that
//! occurs), not per respondent: a class is a column when it has members in the base.
//!
//! Items that share respondents and are linked by an identity are one *family* with a
//! common coordinate space: the hours family has `contract_uren` (C), `gewenste_uren` (D)
//! and the extra-hours sum (E = Σ (desired − contract) over those who want more). The
//! attacker is assumed to know who wants more, fewer or the same hours (so `want_fewer = 0`
//! and "desired equals contract" are known); then in a class whose members all want more or
//! the same, D = C + E exactly, and otherwise C, D and E are independent. See
//! docs/survey.md, "Disclosure control across tables".
//!
//! [`protect`] then hides further cells (smallest first, deterministic) until no suppressed
//! cell with members is in the span of the published ones (the one exception: a suppressed
//! cell that concerns exactly the same people as the organisation's published figure).
//! The span test is exact: integer fraction-free Gaussian elimination with checked
//! arithmetic; should a number ever overflow, the cell counts as derivable (more
//! suppression, never less).

/// Exact span of integer vectors (fraction-free elimination, rows kept primitive).
#[derive(Debug, Clone)]
pub struct Span {
    width: usize,
    /// Echelon rows: (pivot column, row with a positive pivot and zeros before it).
    rows: Vec<(usize, Vec<i64>)>,
    /// An overflow happened while inserting: the span is unknown, everything counts as
    /// derivable.
    overflow: bool,
}

fn gcd(a: i64, b: i64) -> i64 {
    let (mut a, mut b) = (a.unsigned_abs(), b.unsigned_abs());
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a as i64
}

impl Span {
    pub fn new(width: usize) -> Span {
        Span {
            width,
            rows: Vec::new(),
            overflow: false,
        }
    }

    /// Number of independent vectors inserted.
    pub fn rank(&self) -> usize {
        self.rows.len()
    }

    /// Reduce `v` by the echelon rows; `None` on overflow.
    fn reduce(&self, v: &mut [i64]) -> Option<()> {
        for (p, row) in &self.rows {
            let a = v[*p];
            if a == 0 {
                continue;
            }
            let b = row[*p];
            let g = gcd(a, b);
            let (ma, mb) = (b / g, a / g);
            if ma != 1 {
                for x in v.iter_mut() {
                    *x = x.checked_mul(ma)?;
                }
            }
            for (x, r) in v[*p..].iter_mut().zip(&row[*p..]) {
                if *r != 0 {
                    *x = x.checked_sub(r.checked_mul(mb)?)?;
                }
            }
            if ma != 1 {
                let g = v.iter().fold(0, |g, &x| gcd(g, x));
                if g > 1 {
                    v.iter_mut().for_each(|x| *x /= g);
                }
            }
        }
        Some(())
    }

    /// Add a vector to the span.
    pub fn insert(&mut self, mut v: Vec<i64>) {
        assert_eq!(v.len(), self.width, "vector width");
        if self.overflow {
            return;
        }
        if self.reduce(&mut v).is_none() {
            self.overflow = true;
            return;
        }
        let Some(p) = v.iter().position(|&x| x != 0) else {
            return;
        };
        let g = v.iter().fold(0, |g, &x| gcd(g, x));
        let s = if v[p] < 0 { -g } else { g };
        v.iter_mut().for_each(|x| *x /= s);
        self.rows.push((p, v));
    }

    /// Whether `v` is a linear combination of the inserted vectors (rational
    /// coefficients). On overflow: `true` (treated as derivable).
    pub fn contains(&self, v: &[i64]) -> bool {
        assert_eq!(v.len(), self.width, "vector width");
        if self.overflow {
            return true;
        }
        let mut v = v.to_vec();
        match self.reduce(&mut v) {
            Some(()) => v.iter().all(|&x| x == 0),
            None => true,
        }
    }
}

/// The published structure of one breakdown for the audit.
#[derive(Debug, Clone, Default)]
pub(crate) struct DimLayout {
    /// Classes of each cell that is published when shown (with the fold strategy the group
    /// "overig" is one such cell).
    pub cells: Vec<Vec<usize>>,
    /// Groups folded into a shown cell: never published on their own, so always targets.
    /// (classes, index of the cell that contains them).
    pub folded: Vec<(Vec<usize>, usize)>,
}

/// All breakdowns of a round; the organisation is every class.
#[derive(Debug, Clone)]
pub(crate) struct Layout {
    pub n_classes: usize,
    pub dims: Vec<DimLayout>,
}

/// Items sharing one coordinate space: `items[item][class]` is the item's figure for one
/// class as a sparse linear functional over `width` coordinates (empty: no one in the base).
#[derive(Debug, Clone)]
pub(crate) struct Family {
    pub width: usize,
    pub items: Vec<Vec<Vec<(usize, i64)>>>,
}

/// What is hidden of one item: the organisation figure, and per breakdown per cell.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct ItemMask {
    pub org_shown: bool,
    pub hidden: Vec<Vec<bool>>,
}

impl Family {
    fn vector(&self, item: usize, classes: impl IntoIterator<Item = usize>) -> Vec<i64> {
        let mut v = vec![0i64; self.width];
        for c in classes {
            for &(col, a) in &self.items[item][c] {
                v[col] += a;
            }
        }
        v
    }
}

struct Target {
    item: usize,
    dim: usize,
    /// The published cell that holds the target's people.
    cell: usize,
    v: Vec<i64>,
}

/// Hide further cells of the family's items until no hidden cell is derivable from the
/// published ones. `sizes[item][dim][cell]` orders candidates (smallest first).
pub(crate) fn protect(
    layout: &Layout,
    family: &Family,
    sizes: &[Vec<Vec<u64>>],
    masks: &mut [ItemMask],
) {
    let n_items = family.items.len();
    assert_eq!(masks.len(), n_items, "one mask per item");
    let org: Vec<Vec<i64>> = (0..n_items)
        .map(|i| family.vector(i, 0..layout.n_classes))
        .collect();
    let vectors: Vec<Vec<Vec<Vec<i64>>>> = (0..n_items)
        .map(|i| {
            layout
                .dims
                .iter()
                .map(|d| {
                    d.cells
                        .iter()
                        .map(|c| family.vector(i, c.iter().copied()))
                        .collect()
                })
                .collect()
        })
        .collect();
    loop {
        // Targets: hidden cells and folded groups with people in the base, unless they are
        // the same people as the published organisation figure.
        let mut targets = Vec::new();
        for (i, mask) in masks.iter().enumerate() {
            for (d, dim) in layout.dims.iter().enumerate() {
                let mut push = |v: Vec<i64>, cell: usize| {
                    if v.iter().any(|&x| x != 0) && !(mask.org_shown && v == org[i]) {
                        targets.push(Target {
                            item: i,
                            dim: d,
                            cell,
                            v,
                        });
                    }
                };
                for (c, &h) in mask.hidden[d].iter().enumerate() {
                    if h {
                        push(vectors[i][d][c].clone(), c);
                    }
                }
                for (classes, cell) in &dim.folded {
                    push(family.vector(i, classes.iter().copied()), *cell);
                }
            }
        }
        if targets.is_empty() {
            return;
        }
        let span_of = |items: &[usize], masks: &[ItemMask]| {
            let mut span = Span::new(family.width);
            for &i in items {
                if masks[i].org_shown {
                    span.insert(org[i].clone());
                }
                for (d, hidden) in masks[i].hidden.iter().enumerate() {
                    for (c, &h) in hidden.iter().enumerate() {
                        if !h {
                            span.insert(vectors[i][d][c].clone());
                        }
                    }
                }
            }
            span
        };
        let all: Vec<usize> = (0..n_items).collect();
        let span = span_of(&all, masks);
        let Some(t) = targets.iter().find(|t| span.contains(&t.v)) else {
            return;
        };
        let cross = n_items > 1 && !span_of(&[t.item], masks).contains(&t.v);
        hide_one(t, masks, sizes, cross);
    }
}

/// Hide one more published cell to break the derivation of `t`: with a cross-item
/// derivation first another item of the family in the same cell; otherwise the smallest
/// shown cell of the same item in the same breakdown, then in the other breakdowns, then
/// the organisation figure; as a last resort the first published cell of the family.
fn hide_one(t: &Target, masks: &mut [ItemMask], sizes: &[Vec<Vec<u64>>], cross: bool) {
    if cross {
        for (i, m) in masks.iter_mut().enumerate() {
            if i != t.item && !m.hidden[t.dim][t.cell] {
                m.hidden[t.dim][t.cell] = true;
                return;
            }
        }
    }
    let smallest = |m: &ItemMask, dims: &mut dyn Iterator<Item = usize>| {
        dims.flat_map(|d| {
            m.hidden[d]
                .iter()
                .enumerate()
                .filter(|(_, h)| !**h)
                .map(move |(c, _)| (sizes[t.item][d][c], d, c))
                .collect::<Vec<_>>()
        })
        .min()
    };
    let m = &mut masks[t.item];
    let n_dims = m.hidden.len();
    if let Some((_, d, c)) = smallest(m, &mut std::iter::once(t.dim)) {
        m.hidden[d][c] = true;
        return;
    }
    if let Some((_, d, c)) = smallest(m, &mut (0..n_dims).filter(|&d| d != t.dim)) {
        m.hidden[d][c] = true;
        return;
    }
    if m.org_shown {
        m.org_shown = false;
        return;
    }
    for m in masks.iter_mut() {
        if m.org_shown {
            m.org_shown = false;
            return;
        }
        for hidden in m.hidden.iter_mut() {
            if let Some(h) = hidden.iter_mut().find(|h| !**h) {
                *h = true;
                return;
            }
        }
    }
    unreachable!("a derivable target needs at least one published cell");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn span_membership_is_exact() {
        let mut s = Span::new(4);
        s.insert(vec![1, 1, 1, 1]);
        s.insert(vec![1, 1, 0, 0]);
        s.insert(vec![0, 0, 1, 0]);
        assert_eq!(s.rank(), 3);
        assert!(s.contains(&[0, 0, 0, 1]));
        assert!(s.contains(&[0, 0, 0, 0]));
        assert!(!s.contains(&[1, 0, 0, 0]));
        // Rational coefficients: (a + b) / 2.
        let mut s = Span::new(2);
        s.insert(vec![2, 0]);
        s.insert(vec![0, 2]);
        assert!(s.contains(&[1, 1]));
    }

    #[test]
    fn breakdowns_together_disclose_a_hidden_team() {
        // Classes 0..4. Teams {0,1} shown, {2} and {3} hidden (3 each); ages {0,2} and
        // {1,3}; function levels {0} and {1,2,3}, all shown. Then team {2} = age {0,2} −
        // level {0}: derivable, although each breakdown on its own is safe.
        let layout = Layout {
            n_classes: 4,
            dims: vec![
                DimLayout {
                    cells: vec![vec![0, 1], vec![2], vec![3]],
                    folded: vec![],
                },
                DimLayout {
                    cells: vec![vec![0, 2], vec![1, 3]],
                    folded: vec![],
                },
                DimLayout {
                    cells: vec![vec![0], vec![1, 2, 3]],
                    folded: vec![],
                },
            ],
        };
        let family = Family {
            width: 4,
            items: vec![(0..4).map(|c| vec![(c, 1)]).collect()],
        };
        let sizes = vec![vec![vec![10, 3, 3], vec![8, 8], vec![5, 11]]];
        let before = ItemMask {
            org_shown: true,
            hidden: vec![
                vec![false, true, true],
                vec![false, false],
                vec![false, false],
            ],
        };
        let published = |m: &ItemMask| {
            let mut span = Span::new(4);
            span.insert(vec![1, 1, 1, 1]);
            for (d, dim) in layout.dims.iter().enumerate() {
                for (c, classes) in dim.cells.iter().enumerate() {
                    if !m.hidden[d][c] {
                        span.insert(family.vector(0, classes.iter().copied()));
                    }
                }
            }
            span
        };
        assert!(published(&before).contains(&[0, 0, 1, 0]));
        let mut masks = vec![before];
        protect(&layout, &family, &sizes, &mut masks);
        let span = published(&masks[0]);
        for (d, dim) in layout.dims.iter().enumerate() {
            for (c, classes) in dim.cells.iter().enumerate() {
                if masks[0].hidden[d][c] {
                    assert!(!span.contains(&family.vector(0, classes.iter().copied())));
                }
            }
        }
        // Target team {2} (age breakdown is not its own): its own breakdown has only {0,1}
        // left, which is then hidden (smallest shown sibling), after which ages and levels
        // still give {2}: the smallest shown cell elsewhere goes too.
        assert!(masks[0].hidden[0][0]);
    }
}
