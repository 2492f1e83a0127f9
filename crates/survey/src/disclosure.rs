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

/// Exact span of integer vectors (fraction-free elimination, rows kept primitive). Rows
/// are stored sparse (published cells cover few classes each); a vector being reduced
/// lives in a dense scratch of which only the touched entries are read and cleared, so no
/// step costs the full width.
#[derive(Debug, Clone)]
pub struct Span {
    width: usize,
    /// Echelon rows: (pivot column, nonzero entries sorted by column; the first is the
    /// pivot, positive).
    rows: Vec<(usize, Vec<(usize, i64)>)>,
    /// An overflow happened while inserting: the span is unknown, everything counts as
    /// derivable.
    overflow: bool,
    scratch: Vec<i64>,
    /// Columns of `scratch` that may be nonzero (each once, marked in `marked`).
    touched: Vec<usize>,
    marked: Vec<bool>,
}

fn gcd(a: i64, b: i64) -> i64 {
    let (mut a, mut b) = (a.unsigned_abs(), b.unsigned_abs());
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a as i64
}

fn sparse_of(v: &[i64]) -> Vec<(usize, i64)> {
    v.iter()
        .enumerate()
        .filter(|(_, x)| **x != 0)
        .map(|(c, x)| (c, *x))
        .collect()
}

impl Span {
    pub fn new(width: usize) -> Span {
        Span {
            width,
            rows: Vec::new(),
            overflow: false,
            scratch: vec![0; width],
            touched: Vec::new(),
            marked: vec![false; width],
        }
    }

    /// Number of independent vectors inserted.
    pub fn rank(&self) -> usize {
        self.rows.len()
    }

    /// Put `v` into the scratch, reduce it by the echelon rows and return its nonzero
    /// entries (sorted); the scratch is clean again afterwards. `None` on overflow.
    fn reduce(&mut self, v: &[(usize, i64)]) -> Option<Vec<(usize, i64)>> {
        let Span {
            width,
            rows,
            scratch,
            touched,
            marked,
            ..
        } = self;
        let mut touch = |c: usize, touched: &mut Vec<usize>| {
            if !marked[c] {
                marked[c] = true;
                touched.push(c);
            }
        };
        for &(c, a) in v {
            assert!(c < *width, "column {c} outside width {width}");
            touch(c, touched);
            scratch[c] += a;
        }
        let mut step = || -> Option<()> {
            for (p, row) in rows.iter() {
                let a = scratch[*p];
                if a == 0 {
                    continue;
                }
                let b = row[0].1;
                let g = gcd(a, b);
                let (ma, mb) = (b / g, a / g);
                if ma != 1 {
                    for &c in touched.iter() {
                        scratch[c] = scratch[c].checked_mul(ma)?;
                    }
                }
                for &(c, r) in row {
                    touch(c, touched);
                    scratch[c] = scratch[c].checked_sub(r.checked_mul(mb)?)?;
                }
                if ma != 1 {
                    let g = touched.iter().fold(0, |g, &c| gcd(g, scratch[c]));
                    if g > 1 {
                        touched.iter().for_each(|&c| scratch[c] /= g);
                    }
                }
            }
            Some(())
        };
        let ok = step();
        let mut out: Vec<(usize, i64)> = touched
            .iter()
            .filter(|&&c| scratch[c] != 0)
            .map(|&c| (c, scratch[c]))
            .collect();
        out.sort_unstable_by_key(|e| e.0);
        for &c in touched.iter() {
            scratch[c] = 0;
            marked[c] = false;
        }
        touched.clear();
        ok.map(|()| out)
    }

    /// Add a sparse vector (entries `(column, value)`) to the span.
    pub fn insert_sparse(&mut self, v: &[(usize, i64)]) {
        if self.overflow {
            return;
        }
        let Some(mut row) = self.reduce(v) else {
            self.overflow = true;
            return;
        };
        let Some(&(p, lead)) = row.first() else {
            return;
        };
        let g = row.iter().fold(0, |g, &(_, x)| gcd(g, x));
        let s = if lead < 0 { -g } else { g };
        row.iter_mut().for_each(|e| e.1 /= s);
        self.rows.push((p, row));
    }

    /// Whether a sparse vector is a linear combination of the inserted vectors (rational
    /// coefficients). On overflow: `true` (treated as derivable).
    pub fn contains_sparse(&mut self, v: &[(usize, i64)]) -> bool {
        if self.overflow {
            return true;
        }
        match self.reduce(v) {
            Some(rest) => rest.is_empty(),
            None => true,
        }
    }

    /// Add a dense vector to the span.
    pub fn insert(&mut self, v: Vec<i64>) {
        assert_eq!(v.len(), self.width, "vector width");
        self.insert_sparse(&sparse_of(&v));
    }

    /// [`Span::contains_sparse`] for a dense vector.
    pub fn contains(&mut self, v: &[i64]) -> bool {
        assert_eq!(v.len(), self.width, "vector width");
        self.contains_sparse(&sparse_of(v))
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

/// A sparse vector: (column, value), sorted by column, no zeros.
type Sparse = Vec<(usize, i64)>;

impl Family {
    fn vector(&self, item: usize, classes: impl IntoIterator<Item = usize>) -> Sparse {
        let mut v: Sparse = classes
            .into_iter()
            .flat_map(|c| self.items[item][c].iter().copied())
            .collect();
        v.sort_unstable_by_key(|e| e.0);
        let mut out: Sparse = Vec::with_capacity(v.len());
        for (c, a) in v {
            match out.last_mut() {
                Some(last) if last.0 == c => last.1 += a,
                _ => out.push((c, a)),
            }
        }
        out.retain(|e| e.1 != 0);
        out
    }

    #[cfg(test)]
    fn dense(&self, v: &Sparse) -> Vec<i64> {
        let mut d = vec![0i64; self.width];
        for &(c, a) in v {
            d[c] = a;
        }
        d
    }
}

/// A target: (item, cell or `None` for the organisation, folded group).
type TargetKey = (usize, Option<(usize, usize)>, Option<usize>);

struct Target {
    item: usize,
    /// The published cell that holds the target's people: (breakdown, cell), or `None`
    /// for the organisation figure.
    at: Option<(usize, usize)>,
    v: Sparse,
}

/// Whether [`protect`] may hide an item's organisation figure to break a derivation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OrgFigure {
    /// The organisation figure is one of the cells the audit may hide.
    MayHide,
    /// The organisation figure is published whatever the audit decides (the number of
    /// respondents of the round): hiding it would break nothing, so it is never a candidate.
    AlwaysPublished,
}

/// How many candidates [`protect`] tries before hiding the first one.
const MAX_TRIALS: usize = 4;

/// Hide further cells of the family's items until no hidden cell is derivable from the
/// published ones. `sizes[item][dim][cell]` orders candidates (smallest first).
pub(crate) fn protect(
    layout: &Layout,
    family: &Family,
    sizes: &[Vec<Vec<u64>>],
    masks: &mut [ItemMask],
    org_figure: OrgFigure,
) {
    let n_items = family.items.len();
    assert_eq!(masks.len(), n_items, "one mask per item");
    let org: Vec<Sparse> = (0..n_items)
        .map(|i| family.vector(i, 0..layout.n_classes))
        .collect();
    let vectors: Vec<Vec<Vec<Sparse>>> = (0..n_items)
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
    // Precomputed vectors of the folded groups per item and breakdown.
    let folded: Vec<Vec<Vec<Sparse>>> = (0..n_items)
        .map(|i| {
            layout
                .dims
                .iter()
                .map(|d| {
                    d.folded
                        .iter()
                        .map(|(classes, _)| family.vector(i, classes.iter().copied()))
                        .collect()
                })
                .collect()
        })
        .collect();
    // Hiding only shrinks the published span: a target found underivable stays so.
    let mut safe: std::collections::HashSet<TargetKey> = std::collections::HashSet::new();
    loop {
        // Targets: hidden cells and folded groups with people in the base, unless they are
        // the same people as the published organisation figure.
        let mut targets: Vec<(TargetKey, &Sparse)> = Vec::new();
        for (i, mask) in masks.iter().enumerate() {
            if !mask.org_shown {
                targets.push(((i, None, None), &org[i]));
            }
            for (d, dim) in layout.dims.iter().enumerate() {
                for (c, &h) in mask.hidden[d].iter().enumerate() {
                    if h {
                        targets.push(((i, Some((d, c)), None), &vectors[i][d][c]));
                    }
                }
                for (f, (_, cell)) in dim.folded.iter().enumerate() {
                    targets.push(((i, Some((d, *cell)), Some(f)), &folded[i][d][f]));
                }
            }
        }
        targets.retain(|(key, v)| {
            if v.is_empty() || safe.contains(key) {
                return false;
            }
            let same_as_org = key.1.is_some() && masks[key.0].org_shown && **v == org[key.0];
            !same_as_org
        });
        if targets.is_empty() {
            return;
        }
        let span_of = |items: &[usize], masks: &[ItemMask]| {
            let mut span = Span::new(family.width);
            for &i in items {
                if masks[i].org_shown {
                    span.insert_sparse(&org[i]);
                }
                for (d, hidden) in masks[i].hidden.iter().enumerate() {
                    for (c, &h) in hidden.iter().enumerate() {
                        if !h && !vectors[i][d][c].is_empty() {
                            span.insert_sparse(&vectors[i][d][c]);
                        }
                    }
                }
            }
            span
        };
        let all: Vec<usize> = (0..n_items).collect();
        let mut span = span_of(&all, masks);
        let mut found = None;
        for (key, v) in targets {
            if span.contains_sparse(v) {
                found = Some(Target {
                    item: key.0,
                    at: key.1,
                    v: v.clone(),
                });
                break;
            }
            safe.insert(key);
        }
        let Some(t) = found else {
            return;
        };
        let t = &t;
        let cross = n_items > 1 && !span_of(&[t.item], masks).contains_sparse(&t.v);
        let cands = candidates(t, masks, sizes, cross, org_figure);
        // The first of the leading candidates whose hiding alone breaks this derivation;
        // otherwise the first candidate (the loop then looks again). The span without all
        // leading candidates is built once; each trial adds the other candidates back.
        let trials: Vec<Cand> = cands.iter().take(MAX_TRIALS).copied().collect();
        let mut without = masks.to_vec();
        for &c in &trials {
            apply(&mut without, c);
        }
        let base = span_of(&all, &without);
        let row_of = |(i, at): Cand| match at {
            None => &org[i],
            Some((d, c)) => &vectors[i][d][c],
        };
        let pick = trials
            .iter()
            .enumerate()
            .find(|(j, _)| {
                let mut span = base.clone();
                for (l, &c) in trials.iter().enumerate() {
                    if l != *j && !row_of(c).is_empty() {
                        span.insert_sparse(row_of(c));
                    }
                }
                !span.contains_sparse(&t.v)
            })
            .map(|(_, c)| *c)
            .or(cands.first().copied())
            .expect("a derivable target needs at least one published cell");
        apply(masks, pick);
    }
}

/// A published cell: an item's organisation figure (`None`) or (breakdown, cell).
type Cand = (usize, Option<(usize, usize)>);

fn apply(masks: &mut [ItemMask], (i, at): Cand) {
    match at {
        None => masks[i].org_shown = false,
        Some((d, c)) => masks[i].hidden[d][c] = true,
    }
}

/// Published cells that may be hidden to break the derivation of `t`, in order of
/// preference: with a cross-item derivation first the other items of the family in the
/// same cell; then the shown cells of the same item in the same breakdown, smallest first
/// (by base, then position); then in the other breakdowns; then the organisation figure;
/// last every other published cell of the family.
fn candidates(
    t: &Target,
    masks: &[ItemMask],
    sizes: &[Vec<Vec<u64>>],
    cross: bool,
    org_figure: OrgFigure,
) -> Vec<Cand> {
    let mut out: Vec<Cand> = Vec::new();
    let org_hideable = org_figure == OrgFigure::MayHide;
    if cross {
        for (i, m) in masks.iter().enumerate() {
            match t.at {
                Some((d, c)) if i != t.item && !m.hidden[d][c] => out.push((i, Some((d, c)))),
                None if i != t.item && m.org_shown && org_hideable => out.push((i, None)),
                _ => {}
            }
        }
    }
    let own_dim = t.at.map(|(d, _)| d);
    let m = &masks[t.item];
    let shown = |d: usize| {
        let mut v: Vec<(u64, usize, usize)> = m.hidden[d]
            .iter()
            .enumerate()
            .filter(|(_, h)| !**h)
            .map(|(c, _)| (sizes[t.item][d][c], d, c))
            .collect();
        v.sort_unstable();
        v
    };
    if let Some(d) = own_dim {
        out.extend(shown(d).into_iter().map(|(_, d, c)| (t.item, Some((d, c)))));
    }
    let mut others: Vec<(u64, usize, usize)> = (0..m.hidden.len())
        .filter(|&d| Some(d) != own_dim)
        .flat_map(shown)
        .collect();
    others.sort_unstable();
    out.extend(others.into_iter().map(|(_, d, c)| (t.item, Some((d, c)))));
    if m.org_shown && org_hideable {
        out.push((t.item, None));
    }
    for (i, m) in masks.iter().enumerate() {
        if i == t.item {
            continue;
        }
        if m.org_shown && org_hideable && !out.contains(&(i, None)) {
            out.push((i, None));
        }
        for (d, hidden) in m.hidden.iter().enumerate() {
            for (c, h) in hidden.iter().enumerate() {
                if !h && !out.contains(&(i, Some((d, c)))) {
                    out.push((i, Some((d, c))));
                }
            }
        }
    }
    out
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
                        span.insert(family.dense(&family.vector(0, classes.iter().copied())));
                    }
                }
            }
            span
        };
        assert!(published(&before).contains(&[0, 0, 1, 0]));
        let mut masks = vec![before];
        protect(&layout, &family, &sizes, &mut masks, OrgFigure::MayHide);
        let mut span = published(&masks[0]);
        for (d, dim) in layout.dims.iter().enumerate() {
            for (c, classes) in dim.cells.iter().enumerate() {
                if masks[0].hidden[d][c] {
                    assert!(
                        !span.contains(&family.dense(&family.vector(0, classes.iter().copied())))
                    );
                }
            }
        }
        // Target team {2} (age breakdown is not its own): its own breakdown has only {0,1}
        // left, which is then hidden (smallest shown sibling), after which ages and levels
        // still give {2}: the smallest shown cell elsewhere goes too.
        assert!(masks[0].hidden[0][0]);
    }
}
