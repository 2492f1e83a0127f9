//! Column generation with a restricted-master MIP: the exact part of the optimiser on
//! small problems.
//!
//! Each column is one employee's whole row that keeps all of that employee's hard rules.
//! The master LP picks a convex mix of columns per employee and pays under- and over-cover;
//! its cover duals price the cells, and the employee DP ([`crate::dp`]) finds the row with
//! the lowest reduced cost (pricing). When pricing finds nothing better, dives fix columns
//! and re-price the rest, each ending in a whole roster; before them, a branch-and-price
//! on work status (is employee e at work on day d) decides cells until the LP's statuses
//! are whole and dives under them. Then the master is solved as a MIP by HiGHS over every
//! column found so far, starting from the best roster, so the answer is never worse than
//! the roster it started from.
//! The pool keeps its columns between calls, so rows seen in earlier calls (and the
//! annealing's own best rows) can be recombined later.

use super::{Clock, Data, Observer, Progress, State};
use crate::model::OFF;
use highs::{Col, ColProblem, HighsModelStatus, Model, Row, Sense};
use rand::Rng;
use std::collections::HashSet;
use std::time::Duration;

/// Costs are scaled by this before they go to the integer DP, so duals keep three decimals.
const SCALE: f64 = 1000.0;
/// A column enters the master only if its reduced cost is below minus this.
const EPS: f64 = 1e-6;

/// A moment on the search clock after which work stops.
#[derive(Clone, Copy)]
pub(super) struct Deadline<'a> {
    pub clock: &'a dyn Clock,
    /// Time on `clock`.
    pub at: Duration,
}

impl Deadline<'_> {
    fn passed(&self) -> bool {
        self.clock.now() >= self.at
    }

    /// Seconds left (at least 0.01, for HiGHS's time limit).
    fn remaining(&self) -> f64 {
        self.at
            .saturating_sub(self.clock.now())
            .as_secs_f64()
            .max(0.01)
    }

    /// The same clock at another moment.
    fn at(&self, at: Duration) -> Self {
        Deadline {
            clock: self.clock,
            at,
        }
    }
}

/// Every feasible row found so far, per employee, with its own cost (requests, targets,
/// opkomsten; cover is the master's).
pub(super) struct Pool {
    rows: Vec<Vec<Vec<u8>>>,
    costs: Vec<Vec<i64>>,
    seen: Vec<HashSet<Vec<u8>>>,
    counts: Vec<u32>,
    weeks: Vec<u32>,
    /// Per employee, the per-type maxima that pricing keeps as DP states ([`exact_caps`]).
    caps: Vec<Vec<(usize, u32)>>,
}

/// What one call may spend.
pub(super) struct Budget<'a> {
    /// Pricing rounds (each prices every employee once) of the root LP.
    pub rounds: usize,
    /// Pricing rounds after each fixing step of a dive.
    pub dive_rounds: usize,
    /// Rounds of pricing every employee at the root duals plus noise (more columns of
    /// low reduced cost for the MIP), after the root LP.
    pub perturb: usize,
    /// Dives after the root LP (each fixes columns one employee at a time, re-pricing
    /// the others).
    pub dives: usize,
    /// Nodes of the branching on work status ([`branch`]) before the dives (0: none).
    pub branch_nodes: usize,
    /// Branch-and-bound nodes of the restricted-master MIP.
    pub mip_nodes: i32,
    /// End of the call on the search clock (a safety net: with a time limit the result
    /// can depend on the machine, so the node and round limits are what normally stops a
    /// call; with an epoch budget the clock stands still).
    pub deadline: Duration,
    pub clock: &'a dyn Clock,
    /// Wall-clock cap of one MIP (the node limit may take long on a hard pool).
    pub mip_time: Duration,
    /// Where the call's stages (root LP, each dive, the MIP) are reported, and the
    /// thread reporting.
    pub observer: Option<&'a dyn Observer>,
    pub thread: usize,
}

impl Budget<'_> {
    fn deadline(&self) -> Deadline<'_> {
        Deadline {
            clock: self.clock,
            at: self.deadline,
        }
    }

    /// Reports a stage of the call (the text is only built with an observer).
    fn trace(&self, stage: impl FnOnce() -> String) {
        if let Some(observer) = self.observer {
            observer.progress(&Progress::ColgenStage {
                thread: self.thread,
                stage: stage(),
            });
        }
    }
}

/// What a call found.
pub(super) struct Outcome {
    /// Dense assignment of the MIP's roster (employee-major), if it found one.
    pub asg: Option<Vec<u8>>,
    /// The root LP's value (a lower bound if pricing were exact; only a guide here).
    pub lp: f64,
    /// Whether the root LP converged (pricing found no improving column); if not, `lp`
    /// is no bound at all.
    pub converged: bool,
    pub columns: usize,
    pub dives: usize,
}

impl Pool {
    pub(super) fn new(data: &Data) -> Self {
        Pool {
            rows: vec![Vec::new(); data.e],
            costs: vec![Vec::new(); data.e],
            seen: vec![HashSet::new(); data.e],
            counts: vec![0; data.s],
            weeks: vec![0; data.nweeks],
            caps: (0..data.e).map(|e| exact_caps(data, e)).collect(),
        }
    }

    pub(super) fn len(&self) -> usize {
        self.rows.iter().map(Vec::len).sum()
    }

    /// Adds employee e's row if it keeps every hard rule and is new; returns its index.
    pub(super) fn add(&mut self, data: &Data, e: usize, row: &[u8]) -> Option<usize> {
        if self.seen[e].contains(row) {
            return None;
        }
        let (soft, hard) = data.eval_emp(e, row, &mut self.counts, &mut self.weeks);
        if hard > 0 {
            return None;
        }
        self.insert(e, row, soft)
    }

    /// Adds employee e's row, known to keep every hard rule and to cost `soft`, if new.
    fn insert(&mut self, e: usize, row: &[u8], soft: i64) -> Option<usize> {
        if !self.seen[e].insert(row.to_vec()) {
            return None;
        }
        self.rows[e].push(row.to_vec());
        self.costs[e].push(soft);
        Some(self.rows[e].len() - 1)
    }

    /// Adds every row of a whole assignment (employee-major).
    pub(super) fn add_roster(&mut self, data: &Data, asg: &[u8]) {
        for e in 0..data.e {
            self.add(data, e, &asg[e * data.d..(e + 1) * data.d]);
        }
    }
}

/// The master's rows and slack columns: convexity rows 0..e, then one cover row per
/// (day, slot) with its under and over columns (the first `2 × cover rows` columns).
fn skeleton(data: &Data) -> (ColProblem, Vec<Row>, Vec<Row>) {
    let mut pb = ColProblem::default();
    let conv: Vec<_> = (0..data.e).map(|_| pb.add_row(1.0..=1.0)).collect();
    let cover: Vec<_> = (0..data.d * data.nslots)
        .map(|k| {
            let r = data.req[k] as f64;
            pb.add_row(r..=r)
        })
        .collect();
    for (k, &row) in cover.iter().enumerate() {
        // Under-cover is at most the requirement; over-cover at most everyone.
        pb.add_column(data.wu[k] as f64, 0.0..=data.req[k] as f64, [(row, 1.0)]);
        pb.add_column(data.wo[k] as f64, 0.0..=data.e as f64, [(row, -1.0)]);
    }
    (pb, conv, cover)
}

/// The master rows that pool row (e, j) enters, with coefficient 1.
fn column(
    data: &Data,
    pool: &Pool,
    e: usize,
    j: usize,
    conv: &[Row],
    cover: &[Row],
) -> Vec<(Row, f64)> {
    let mut factors = vec![(conv[e], 1.0)];
    for (day, &v) in pool.rows[e][j].iter().enumerate() {
        if v != OFF {
            for &k in &data.covers[usize::from(v)] {
                factors.push((cover[day * data.nslots + k], 1.0));
            }
        }
    }
    factors
}

/// The LP master of one call, kept between pricing rounds and dive steps so HiGHS
/// re-solves from its last basis.
struct Lp {
    model: Option<Model>,
    /// Per pool column in model order: (employee, pool row, HiGHS column).
    index: Vec<(usize, usize, Col)>,
    conv: Vec<Row>,
    cover: Vec<Row>,
    nslack: usize,
    /// Work status decided by branching, per (employee, day): `WORK`, `OFF_DAY` or 0
    /// (free). Columns against it have upper bound 0; pricing only builds rows that keep it.
    status: Vec<i8>,
    /// Seconds spent in HiGHS solves of this model so far.
    highs_time: f64,
}

impl Lp {
    fn new(data: &Data, pool: &Pool) -> Self {
        let (pb, conv, cover) = skeleton(data);
        let mut model = pb.optimise(Sense::Minimise);
        model.set_option("threads", 1);
        // A column-generation LP is re-solved from its last basis: presolve only costs.
        model.set_option("presolve", "off");
        model.set_option("simplex_strategy", 4);
        let mut lp = Lp {
            model: Some(model),
            index: Vec::with_capacity(pool.len()),
            conv,
            cover,
            nslack: 2 * data.d * data.nslots,
            status: vec![0; data.e * data.d],
            highs_time: 0.0,
        };
        for e in 0..data.e {
            for j in 0..pool.rows[e].len() {
                lp.add(data, pool, e, j);
            }
        }
        lp
    }

    fn add(&mut self, data: &Data, pool: &Pool, e: usize, j: usize) {
        let factors = column(data, pool, e, j, &self.conv, &self.cover);
        let model = self.model.as_mut().expect("model present between solves");
        let col = model.add_col(pool.costs[e][j] as f64, 0.0..=1.0, factors);
        self.index.push((e, j, col));
    }

    /// Lifts every fixing of [`Self::fix`]; columns against the work status stay at 0.
    fn unfix_all(&mut self, data: &Data, pool: &Pool) {
        let model = self.model.as_mut().expect("model present between solves");
        for &(e, j, col) in &self.index {
            let ok = keeps_status(&pool.rows[e][j], &self.status[e * data.d..(e + 1) * data.d]);
            model.change_column_bounds(col, 0.0..=if ok { 1.0 } else { 0.0 });
        }
    }

    /// Fixes employee e to pool row j: every other column of e gets upper bound 0.
    fn fix(&mut self, e: usize, j: usize) {
        let model = self.model.as_mut().expect("model present between solves");
        for &(ce, cj, col) in &self.index {
            if ce == e && cj != j {
                model.change_column_bounds(col, 0.0..=0.0);
            }
        }
    }

    /// Solves; returns (objective, column values of the pool columns, row duals).
    fn solve(&mut self, deadline: Deadline) -> Option<(f64, Vec<f64>, Vec<f64>)> {
        let mut model = self.model.take().expect("model present between solves");
        // HiGHS measures its time limit over every solve of the same model, not per
        // solve (ERGO-Code/HiGHS issues 1331 and 1477): give it what it has used so far
        // plus what is left. Without this, once a call's re-solves had added up
        // to the time left, every further solve stopped at once (seen in a trial of
        // branch-and-price, which re-solves hundreds of times).
        model.set_option("time_limit", self.highs_time + deadline.remaining());
        let started = deadline.clock.now();
        let solved = model.solve();
        self.highs_time += deadline.clock.now().saturating_sub(started).as_secs_f64();
        let ok = solved.status() == HighsModelStatus::Optimal;
        let out = ok.then(|| {
            let sol = solved.get_solution();
            (
                solved.objective_value(),
                sol.columns()[self.nslack..].to_vec(),
                sol.dual_rows().to_vec(),
            )
        });
        self.model = Some(Model::from(solved));
        out
    }
}

/// The cheapest row for employee e against cover duals `pi` (per cover row), with its own
/// cost, or None.
/// The per-type maxima in `caps` (see [`exact_caps`]) are DP states. Any other type whose
/// row comes out over its maximum is priced up and the DP runs again (a few rounds), which
/// may miss the cheapest row.
fn price(
    data: &Data,
    e: usize,
    pi: &[f64],
    caps: &[(usize, u32)],
    status: &[i8],
    cost: &mut Vec<i64>,
) -> Option<(Vec<u8>, i64)> {
    let (d, n1) = (data.d, data.s + 1);
    cost.clear();
    cost.resize(d * n1, 0);
    for day in 0..d {
        for v in 0..n1 {
            let vb = if v == data.s { OFF } else { v as u8 };
            let against = match status[day] {
                WORK => vb == OFF,
                OFF_DAY => vb != OFF,
                _ => false,
            };
            if against || !data.is_allowed(e, day, vb) {
                cost[day * n1 + v] = i64::MAX;
                continue;
            }
            let mut c = data.pref[(e * d + day) * n1 + v] as f64;
            if v < data.s {
                for &k in &data.covers[v] {
                    c -= pi[day * data.nslots + k];
                }
            }
            cost[day * n1 + v] = (c * SCALE).round() as i64;
        }
    }
    let row = vec![OFF; d];
    let mut counts = vec![0u32; data.s];
    let mut weeks = vec![0u32; data.nweeks];
    // Per-type maxima that are not DP states: a type over its maximum gets a price per
    // shift that doubles each round, until the row keeps every limit.
    let mut step = vec![(2.0 * SCALE) as i64; data.s];
    let t = &data.tuning;
    for _ in 0..t.price_rounds {
        let w = crate::dp::Window {
            target_w: (data.target_w as f64 * SCALE) as i64,
            hard_weight: (t.hard_weight as f64 * SCALE) as i64 * 16,
            prune_min: true,
            label_cap: if caps.is_empty() {
                t.price_label_cap
            } else {
                t.price_label_cap * 4
            },
            caps,
            ..data.window(e, 0, d, cost, &row)
        };
        let (values, _) = crate::dp::best_response(&w)?;
        let (soft, hard) = data.eval_emp(e, &values, &mut counts, &mut weeks);
        if hard == 0 {
            return Some((values, soft));
        }
        // eval_emp left the per-type counts of this row in `counts`.
        let over: Vec<usize> = (0..data.s)
            .filter(|&t| counts[t] > data.max_shifts[e][t])
            .collect();
        if over.is_empty() {
            // Another rule (a weekly cap) is broken: the DP cannot see it.
            return None;
        }
        for t in over {
            for day in 0..d {
                if cost[day * n1 + t] != i64::MAX {
                    cost[day * n1 + t] += step[t];
                }
            }
            step[t] *= 2;
        }
    }
    None
}

/// Work status of a cell decided by branching ([`branch`]): worked (any shift) or off.
const WORK: i8 = 1;
const OFF_DAY: i8 = -1;

/// Whether `row` keeps the work status `status` (one employee's days).
fn keeps_status(row: &[u8], status: &[i8]) -> bool {
    row.iter().zip(status).all(|(&v, &st)| match st {
        WORK => v != OFF,
        OFF_DAY => v == OFF,
        _ => true,
    })
}

/// The per-type maxima of employee e that bind (fewer than the days the type is allowed)
/// and that the pricing DP keeps as states, tightest first, while the product of
/// (maximum + 1) stays within `Tuning::cap_states`. With every binding maximum in the list the
/// pricing is exact (up to the label cap); a maximum left out is priced in rounds.
fn exact_caps(data: &Data, e: usize) -> Vec<(usize, u32)> {
    let mut binding: Vec<(usize, u32)> = (0..data.s)
        .filter_map(|t| {
            let max = data.max_shifts[e][t];
            let days = (0..data.d)
                .filter(|&day| data.is_allowed(e, day, t as u8))
                .count();
            (max > 0 && (max as usize) < days).then_some((t, max))
        })
        .collect();
    binding.sort_by_key(|&(t, max)| (max, t));
    let mut product = 1u32;
    binding.retain(|&(_, max)| {
        let next = product.saturating_mul(max + 1);
        let fits = next <= data.tuning.cap_states;
        if fits {
            product = next;
        }
        fits
    });
    binding
}

/// A solved master LP.
struct Relaxation {
    value: f64,
    /// Values of the pool columns, in `Lp::index` order.
    x: Vec<f64>,
    /// Row duals: convexity rows, then cover rows.
    duals: Vec<f64>,
    /// Pricing found no improving column (false: the round budget ran out).
    converged: bool,
}

/// Prices the employees that are not fixed until no column improves the LP (or `rounds`
/// are spent); None if HiGHS did not solve the LP.
///
/// Duals are stabilised (in-out smoothing): pricing uses a mix of the LP's duals and the
/// duals with the best Lagrangian bound so far, which stops the cover duals jumping
/// between their extremes from round to round; if the mix prices out nothing, the LP's own
/// duals are priced before the LP counts as solved.
fn column_generation(
    data: &Data,
    pool: &mut Pool,
    lp: &mut Lp,
    fixed: &[Option<usize>],
    rounds: usize,
    deadline: Deadline,
    cost_buf: &mut Vec<i64>,
) -> Option<Relaxation> {
    let ncover = data.d * data.nslots;
    let mut center: Option<(f64, Vec<f64>)> = None;
    let mut sep = Vec::new();
    let mut round = 0;
    loop {
        round += 1;
        let (value, x, duals) = lp.solve(deadline)?;
        if round > rounds || deadline.passed() {
            return Some(Relaxation {
                value,
                x,
                duals,
                converged: false,
            });
        }
        let mut alpha = if center.is_some() {
            data.tuning.smoothing
        } else {
            0.0
        };
        loop {
            sep.clear();
            match &center {
                Some((_, c)) if alpha > 0.0 => sep.extend(
                    c.iter()
                        .zip(&duals)
                        .map(|(c, d)| alpha * c + (1.0 - alpha) * d),
                ),
                _ => sep.extend_from_slice(&duals),
            }
            let pi_sep = &sep[data.e..data.e + ncover];
            let (sigma, pi) = duals.split_at(data.e);
            let pi = &pi[..ncover];
            // Lagrangian bound at the priced duals: the slack part, then per employee.
            let mut bound: f64 = (0..ncover)
                .map(|k| {
                    let (req, p) = (data.req[k] as f64, pi_sep[k]);
                    p * req
                        + (data.wu[k] as f64 - p).min(0.0) * req
                        + (data.wo[k] as f64 + p).min(0.0) * data.e as f64
                })
                .sum();
            let mut exact = true;
            let mut added = 0;
            for e in 0..data.e {
                if let Some(j) = fixed[e] {
                    bound += pool.costs[e][j] as f64 - covered(data, &pool.rows[e][j], pi_sep);
                    continue;
                }
                let status = &lp.status[e * data.d..(e + 1) * data.d];
                let Some((row, soft)) = price(data, e, pi_sep, &pool.caps[e], status, cost_buf)
                else {
                    exact = false;
                    continue;
                };
                bound += soft as f64 - covered(data, &row, pi_sep);
                if let Some(j) = pool.insert(e, &row, soft) {
                    lp.add(data, pool, e, j);
                    if soft as f64 - sigma[e] - covered(data, &row, pi) < -EPS {
                        added += 1;
                    }
                }
            }
            if exact && center.as_ref().is_none_or(|(b, _)| bound > *b) {
                center = Some((bound, sep.clone()));
            }
            if added > 0 {
                break;
            }
            if alpha == 0.0 {
                return Some(Relaxation {
                    value,
                    x,
                    duals,
                    converged: true,
                });
            }
            // Mispricing: nothing improves at the mix; price the LP's own duals.
            alpha = 0.0;
        }
    }
}

/// One dive from the root: fix every column at (nearly) one, or else one fractional
/// column drawn with weight λ² (mostly the largest; the draw varies the dives), re-price
/// the employees still free, until every employee has a column. Returns that roster.
fn dive(
    data: &Data,
    pool: &mut Pool,
    lp: &mut Lp,
    budget: &Budget,
    rng: &mut impl Rng,
    cost_buf: &mut Vec<i64>,
) -> Option<Vec<u8>> {
    let mut fixed: Vec<Option<usize>> = vec![None; data.e];
    while fixed.iter().any(Option::is_none) {
        let x = column_generation(
            data,
            pool,
            lp,
            &fixed,
            budget.dive_rounds,
            budget.deadline(),
            cost_buf,
        )?
        .x;
        if budget.deadline().passed() {
            return None;
        }
        let mut frac: Vec<(f64, usize, usize)> = Vec::new();
        let mut newly: Vec<(usize, usize)> = Vec::new();
        // (Columns priced after the last solve have no value yet: zip stops before them.)
        for (&(e, j, _), &v) in lp.index.iter().zip(&x) {
            if fixed[e].is_some() {
                continue;
            }
            if v > data.tuning.fix_at {
                newly.push((e, j));
            } else if v > 1e-6 {
                frac.push((v * v, e, j));
            }
        }
        if newly.is_empty() {
            let total: f64 = frac.iter().map(|f| f.0).sum();
            if total <= 0.0 {
                return None;
            }
            let mut r = rng.random_range(0.0..total);
            let mut pick = frac[frac.len() - 1];
            for &f in &frac {
                if r < f.0 {
                    pick = f;
                    break;
                }
                r -= f.0;
            }
            newly.push((pick.1, pick.2));
        }
        for (e, j) in newly {
            if fixed[e].is_none() {
                fixed[e] = Some(j);
                lp.fix(e, j);
            }
        }
    }
    let mut asg = vec![OFF; data.e * data.d];
    for (e, j) in fixed.iter().enumerate() {
        let j = (*j)?;
        asg[e * data.d..(e + 1) * data.d].copy_from_slice(&pool.rows[e][j]);
    }
    Some(asg)
}

/// What a branching search ([`branch`]) may spend and has found.
struct Search<'a> {
    budget: &'a Budget<'a>,
    /// No node starts after this.
    end: Deadline<'a>,
    nodes_left: usize,
    best: (i64, Vec<u8>),
}

/// Branch-and-price on work status. Each node is the master LP with some cells (employee,
/// day) decided worked or off, solved by column generation. A node whose LP is above the
/// best roster minus one is cut (costs are integers). Otherwise the cell whose worked
/// share in the LP is nearest ½ is decided: the search goes on into the side the LP
/// leans to (a plunge) and keeps the other side as an open node with the LP's value as
/// its bound. Where every cell's status is whole, a dive under those statuses gives a
/// roster, and the next plunge starts from the open node of lowest bound (the most
/// recent on ties), so a poor decision near the root is undone early rather than after
/// its whole subtree.
///
/// Work status is a coarse and strong branch: on Curtois Instance 7 the root LP is
/// 1054,1 and the optimum 1056; with the weekend days' statuses of an optimal roster
/// fixed the LP is 1056,0 and every dive ends at 1056 (docs/benchmarks-roster.md, run 24).
fn branch(
    data: &Data,
    pool: &mut Pool,
    lp: &mut Lp,
    search: &mut Search,
    rng: &mut impl Rng,
    cost_buf: &mut Vec<i64>,
) {
    let d = data.d;
    let cut = |v: f64, best: i64| v > best as f64 - 1.0 + 1e-6;
    let mut open: Vec<(f64, Vec<i8>)> = vec![(f64::NEG_INFINITY, vec![0; data.e * d])];
    while !open.is_empty() {
        let next = (0..open.len())
            .min_by(|&a, &b| open[a].0.total_cmp(&open[b].0).then(b.cmp(&a)))
            .expect("open is not empty");
        let (bound, status) = open.swap_remove(next);
        if cut(bound, search.best.0) {
            continue;
        }
        lp.status = status;
        loop {
            if search.nodes_left == 0 || search.end.passed() {
                return;
            }
            search.nodes_left -= 1;
            lp.unfix_all(data, pool);
            let Some(relax) = node_lp(data, pool, lp, search.end, search.budget, cost_buf) else {
                break;
            };
            if cut(relax.value, search.best.0) {
                break;
            }
            // Worked share of each cell in the LP.
            let mut worked = vec![0.0; data.e * d];
            for (&(e, j, _), &x) in lp.index.iter().zip(&relax.x) {
                if x > 1e-9 {
                    for (day, &v) in pool.rows[e][j].iter().enumerate() {
                        if v != OFF {
                            worked[e * d + day] += x;
                        }
                    }
                }
            }
            let pick = (0..data.e * d)
                .filter(|&c| lp.status[c] == 0)
                .map(|c| (c, worked[c].min(1.0 - worked[c])))
                .filter(|&(_, f)| f > 1e-6)
                .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)));
            let Some((cell, _)) = pick else {
                // Every status is whole: dive for a roster under them.
                let dived = dive(data, pool, lp, search.budget, rng, cost_buf);
                if let Some(asg) = dived {
                    let v = value(data, pool, &asg);
                    search.budget.trace(|| {
                        let depth = lp.status.iter().filter(|&&x| x != 0).count();
                        format!(
                            "branch depth {depth} lp {:.2}: dive {v}, {} open",
                            relax.value,
                            open.len()
                        )
                    });
                    if v < search.best.0 {
                        search.best = (v, asg);
                    }
                }
                break;
            };
            let first = if worked[cell] >= 0.5 { WORK } else { OFF_DAY };
            let mut other = lp.status.clone();
            other[cell] = -first;
            open.push((relax.value, other));
            lp.status[cell] = first;
        }
    }
}

/// The master LP of a branching node by column generation. If HiGHS finds no optimum
/// because an employee has no column that keeps the statuses, each such employee is
/// priced once at zero duals and the LP solved again; None if one has no such row (the
/// node is infeasible) or the LP still fails.
fn node_lp(
    data: &Data,
    pool: &mut Pool,
    lp: &mut Lp,
    end: Deadline,
    budget: &Budget,
    cost_buf: &mut Vec<i64>,
) -> Option<Relaxation> {
    let free = vec![None; data.e];
    for attempt in 0..2 {
        if let Some(r) = column_generation(data, pool, lp, &free, budget.rounds, end, cost_buf) {
            return Some(r);
        }
        if attempt == 0 && !seed_status_columns(data, pool, lp, cost_buf) {
            return None;
        }
    }
    None
}

/// Gives every employee without a column that keeps its statuses one such column (priced
/// at zero duals). False if some employee has none, or every employee had one already (so
/// the LP failed for another reason).
fn seed_status_columns(data: &Data, pool: &mut Pool, lp: &mut Lp, cost_buf: &mut Vec<i64>) -> bool {
    let d = data.d;
    let mut has = vec![false; data.e];
    for &(e, j, _) in &lp.index {
        has[e] = has[e] || keeps_status(&pool.rows[e][j], &lp.status[e * d..(e + 1) * d]);
    }
    if has.iter().all(|&h| h) {
        return false;
    }
    let zero = vec![0.0; d * data.nslots];
    for e in (0..data.e).filter(|&e| !has[e]) {
        let status = &lp.status[e * d..(e + 1) * d];
        let Some((row, soft)) = price(data, e, &zero, &pool.caps[e], status, cost_buf) else {
            return false;
        };
        // The row may be in the pool already but not in this LP (the perturbed rounds
        // add rows for the MIP only).
        let j = match pool.insert(e, &row, soft) {
            Some(j) => j,
            None => match pool.rows[e].iter().position(|r| *r == row) {
                Some(j) if !lp.index.iter().any(|&(ce, cj, _)| ce == e && cj == j) => j,
                _ => return false,
            },
        };
        lp.add(data, pool, e, j);
    }
    true
}

/// The sum of the cover duals `pi` over the cells that `row` works.
fn covered(data: &Data, row: &[u8], pi: &[f64]) -> f64 {
    let mut sum = 0.0;
    for (day, &v) in row.iter().enumerate() {
        if v != OFF {
            for &k in &data.covers[usize::from(v)] {
                sum += pi[day * data.nslots + k];
            }
        }
    }
    sum
}

/// The objective of a whole assignment (the annealing's own scoring).
fn value(data: &Data, pool: &mut Pool, asg: &[u8]) -> i64 {
    State::new(data, asg.to_vec(), &mut pool.counts, &mut pool.weeks).soft
}

/// Column generation from the pool (seeded with the incumbent), branching on work status
/// ([`branch`]), a few dives (each fixes columns one employee at a time and re-prices the
/// rest, which both yields a roster and gives the pool columns that fit together), then
/// the restricted master as a MIP over the pool, started from the best roster so far.
/// Returns a roster only if it is better than the incumbent.
pub(super) fn improve(
    data: &Data,
    pool: &mut Pool,
    (upper, incumbent): (i64, &[u8]),
    budget: &Budget,
    rng: &mut impl Rng,
) -> Outcome {
    let t = &data.tuning;
    let started = budget.clock.now();
    let before = pool.len();
    pool.add_roster(data, incumbent);
    let mut cost_buf = Vec::new();
    let mut lp = Lp::new(data, pool);
    let free = vec![None; data.e];
    let root = column_generation(
        data,
        pool,
        &mut lp,
        &free,
        budget.rounds,
        budget.deadline(),
        &mut cost_buf,
    );
    let Some(Relaxation {
        value: root,
        duals: root_duals,
        converged: true,
        ..
    }) = root
    else {
        // Not converged within the round budget: the dives and the MIP would work from
        // a poor LP. The columns stay in the pool, so the next call starts further on.
        return Outcome {
            asg: None,
            lp: root.map_or(f64::NAN, |r| r.value),
            converged: false,
            columns: pool.len(),
            dives: 0,
        };
    };
    let mut best = (upper, incumbent.to_vec());
    budget.trace(|| format!("root lp {root:.1}, {} columns", pool.len()));
    // Near-optimal columns for the MIP: every employee priced again at the root duals
    // with noise on the cover duals. The root's duals are degenerate; nearby duals give
    // other rows of low reduced cost, which the dives may never reach.
    // No perturbed round or dive starts after this, so the MIP keeps its time.
    let explore_end = budget
        .deadline()
        .at(started + budget.deadline.saturating_sub(started).mul_f64(t.explore));
    let ncover = data.d * data.nslots;
    let mut noisy = vec![0.0; ncover];
    for _ in 0..budget.perturb {
        if explore_end.passed() {
            break;
        }
        for (k, p) in noisy.iter_mut().enumerate() {
            *p = root_duals[data.e + k] + rng.random_range(-t.dual_noise..t.dual_noise);
        }
        for e in 0..data.e {
            let status = &lp.status[e * data.d..(e + 1) * data.d];
            if let Some((row, soft)) = price(data, e, &noisy, &pool.caps[e], status, &mut cost_buf)
            {
                pool.insert(e, &row, soft);
            }
        }
    }
    if budget.branch_nodes > 0 {
        let mut search = Search {
            budget,
            end: explore_end,
            nodes_left: budget.branch_nodes,
            best: best.clone(),
        };
        branch(data, pool, &mut lp, &mut search, rng, &mut cost_buf);
        lp.status.fill(0);
        lp.unfix_all(data, pool);
        budget.trace(|| {
            format!(
                "branching: {} nodes, best {}",
                budget.branch_nodes - search.nodes_left,
                search.best.0
            )
        });
        if search.best.0 < best.0 {
            best = search.best;
        }
    }
    let mut dives = 0;
    for _ in 0..budget.dives {
        if explore_end.passed() {
            break;
        }
        dives += 1;
        if let Some(asg) = dive(data, pool, &mut lp, budget, rng, &mut cost_buf) {
            let v = value(data, pool, &asg);
            budget.trace(|| format!("dive {dives}: {v}"));
            if v < best.0 {
                best = (v, asg);
            }
        }
        lp.unfix_all(data, pool);
    }
    if pool.len() > before && !budget.deadline().passed() {
        // Reduced-cost filter: a column whose reduced cost at the root duals exceeds the
        // gap between the best roster and the root LP is very unlikely to be in a better
        // roster (exactly so if pricing were exact).
        let gap = best.0 as f64 - root;
        let (sigma, pi) = root_duals.split_at(data.e);
        let keep = |pool: &Pool, e: usize, j: usize| {
            pool.costs[e][j] as f64 - sigma[e] - covered(data, &pool.rows[e][j], pi) <= gap + EPS
        };
        let from = best.0;
        if let Some(asg) = restricted_mip(data, pool, &best.1, budget, keep) {
            let v = value(data, pool, &asg);
            if v < best.0 {
                best = (v, asg);
            }
        }
        budget.trace(|| format!("restricted MIP from {from}: {}", best.0));
    }
    Outcome {
        asg: (best.0 < upper).then_some(best.1),
        lp: root,
        converged: true,
        columns: pool.len(),
        dives,
    }
}

/// The master as a MIP over every pool column, started from the incumbent (whose rows are
/// in the pool), so HiGHS returns a roster at least as good.
fn restricted_mip(
    data: &Data,
    pool: &Pool,
    incumbent: &[u8],
    budget: &Budget,
    keep: impl Fn(&Pool, usize, usize) -> bool,
) -> Option<Vec<u8>> {
    let (mut pb, conv, cover) = skeleton(data);
    // The start: under/over of the incumbent's cover (slack columns first), then its rows.
    let cnt = data.cover_counts(incumbent);
    let mut start: Vec<f64> = cnt
        .iter()
        .zip(&data.req)
        .flat_map(|(&c, &r)| [(r - c).max(0) as f64, (c - r).max(0) as f64])
        .collect();
    let mut index = Vec::with_capacity(pool.len());
    for e in 0..data.e {
        let own = &incumbent[e * data.d..(e + 1) * data.d];
        for j in 0..pool.rows[e].len() {
            let mine = pool.rows[e][j][..] == *own;
            if !mine && !keep(pool, e, j) {
                continue;
            }
            pb.add_integer_column(
                pool.costs[e][j] as f64,
                0.0..=1.0,
                column(data, pool, e, j, &conv, &cover),
            );
            index.push((e, j));
            start.push(if mine { 1.0 } else { 0.0 });
        }
    }
    let mut model = pb.optimise(Sense::Minimise);
    model.set_option("threads", 1);
    model.set_option("mip_max_nodes", budget.mip_nodes);
    let cap = budget
        .clock
        .now()
        .checked_add(budget.mip_time)
        .map_or(budget.deadline, |t| t.min(budget.deadline));
    model.set_option("time_limit", budget.deadline().at(cap).remaining());
    model.set_option("mip_rel_gap", 0.0);
    model.set_solution(Some(&start), None, None, None);
    let solved = model.solve();
    let sol = solved.get_solution();
    let x = &sol.columns()[2 * data.d * data.nslots..];
    if x.len() != index.len() {
        return None;
    }
    let mut asg = vec![OFF; data.e * data.d];
    let mut chosen = vec![false; data.e];
    for (c, &(e, j)) in index.iter().enumerate() {
        if x[c] > 0.5 {
            if chosen[e] {
                return None;
            }
            chosen[e] = true;
            asg[e * data.d..(e + 1) * data.d].copy_from_slice(&pool.rows[e][j]);
        }
    }
    chosen.iter().all(|&c| c).then_some(asg)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::solve::Tuning;
    use rand::SeedableRng;

    /// One employee over 10 days with two shift types; at most `l_max` late shifts (a
    /// binding maximum when 3), a fixed day off, and requests, in the Curtois format.
    fn tiny(l_max: u32) -> crate::model::Problem {
        let mut text = format!(
            "SECTION_HORIZON\n10\n\nSECTION_SHIFTS\nE,480,\nL,600,E\n\n\
             SECTION_STAFF\nA,E=10|L={l_max},4200,2400,4,2,2,1\n\n\
             SECTION_DAYS_OFF\nA,6\n\n\
             SECTION_SHIFT_ON_REQUESTS\nA,1,L,2\nA,8,E,3\n\n\
             SECTION_SHIFT_OFF_REQUESTS\nA,3,E,2\n\nSECTION_COVER\n"
        );
        for day in 0..10 {
            text.push_str(&format!("{day},E,1,100,1\n{day},L,1,100,1\n"));
        }
        crate::curtois::parse_instance("tiny", &text).expect("tiny instance parses")
    }

    /// The lowest reduced cost over every row of employee 0 that keeps all their rules,
    /// by enumeration (3^10 rows).
    fn brute_force(data: &Data, pi: &[f64]) -> f64 {
        brute_force_keeping(data, pi, &[0; 10])
    }

    /// [`brute_force`] over the rows that keep the work status `status`.
    fn brute_force_keeping(data: &Data, pi: &[f64], status: &[i8]) -> f64 {
        let mut best = f64::INFINITY;
        let (mut counts, mut weeks) = (vec![0; data.s], vec![0; data.nweeks]);
        for code in 0..3u32.pow(10) {
            let mut c = code;
            let row: Vec<u8> = (0..10)
                .map(|_| {
                    let v = (c % 3) as u8;
                    c /= 3;
                    if v == 2 { OFF } else { v }
                })
                .collect();
            if (0..10).any(|day| !data.is_allowed(0, day, row[day])) || !keeps_status(&row, status)
            {
                continue;
            }
            let (soft, hard) = data.eval_emp(0, &row, &mut counts, &mut weeks);
            if hard == 0 {
                best = best.min(soft as f64 - covered(data, &row, pi));
            }
        }
        best
    }

    /// A priced row keeps every rule of employee 0 and has the reduced cost `want` that
    /// enumeration found.
    fn assert_priced_as_enumerated(data: &Data, row: &[u8], soft: i64, pi: &[f64], want: f64) {
        let (_, hard) = data.eval_emp(0, row, &mut [0; 2], &mut vec![0; data.nweeks]);
        assert_eq!(hard, 0);
        let got = soft as f64 - covered(data, row, pi);
        assert!(
            (got - want).abs() < 0.05,
            "priced {got}, enumeration {want}"
        );
    }

    /// With the late-shift maximum as a DP state, pricing finds the row of lowest reduced
    /// cost (as enumeration does) under random cover duals; and the maximum does bind:
    /// without it enumeration finds cheaper rows for some duals.
    #[test]
    fn exact_pricing_matches_enumeration_under_a_binding_type_maximum() {
        let (capped, free) = (tiny(3), tiny(10));
        let (data, loose) = (
            Data::new(&capped, Tuning::default()),
            Data::new(&free, Tuning::default()),
        );
        assert_eq!(exact_caps(&data, 0), vec![(1, 3)]);
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
        let mut cost = Vec::new();
        let mut binds = 0;
        for _ in 0..40 {
            let pi: Vec<f64> = (0..data.d * data.nslots)
                .map(|_| rng.random_range(0.0..40.0))
                .collect();
            let want = brute_force(&data, &pi);
            let caps = exact_caps(&data, 0);
            let status = vec![0; data.d];
            let (row, soft) =
                price(&data, 0, &pi, &caps, &status, &mut cost).expect("a row exists");
            assert_priced_as_enumerated(&data, &row, soft, &pi, want);
            if brute_force(&loose, &pi) < want - 0.05 {
                binds += 1;
            }
        }
        assert!(binds > 0, "the maximum never bound");
    }

    /// Pricing under decided work statuses (branching) finds the row of lowest reduced
    /// cost among the rows that keep them, as enumeration does, and says so when there is
    /// none.
    #[test]
    fn pricing_keeps_the_work_status_decided_by_branching() {
        let data = Data::new(&tiny(3), Tuning::default());
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(11);
        let mut cost = Vec::new();
        let (mut found, mut none) = (0, 0);
        for _ in 0..60 {
            let pi: Vec<f64> = (0..data.d * data.nslots)
                .map(|_| rng.random_range(0.0..40.0))
                .collect();
            let status: Vec<i8> = (0..data.d)
                .map(|_| match rng.random_range(0..6) {
                    0 => WORK,
                    1 => OFF_DAY,
                    _ => 0,
                })
                .collect();
            let want = brute_force_keeping(&data, &pi, &status);
            match price(&data, 0, &pi, &exact_caps(&data, 0), &status, &mut cost) {
                Some((row, soft)) => {
                    assert!(keeps_status(&row, &status), "{row:?} against {status:?}");
                    assert_priced_as_enumerated(&data, &row, soft, &pi, want);
                    found += 1;
                }
                None => {
                    assert!(want.is_infinite(), "no row priced, enumeration {want}");
                    none += 1;
                }
            }
        }
        assert!(
            found > 10 && none > 0,
            "{found} priced, {none} without a row"
        );
    }

    #[test]
    fn work_status_is_kept_only_by_rows_that_match_it() {
        let row = [0, OFF, 1, OFF];
        assert!(keeps_status(&row, &[0, 0, 0, 0]));
        assert!(keeps_status(&row, &[WORK, OFF_DAY, WORK, 0]));
        assert!(!keeps_status(&row, &[OFF_DAY, 0, 0, 0]));
        assert!(!keeps_status(&row, &[0, WORK, 0, 0]));
    }

    /// A feasible but poor roster of `p` (the construction and one annealing epoch).
    fn poor_start(p: &crate::model::Problem, data: &Data) -> (i64, Vec<u8>) {
        let opts = crate::solve::SolveOptions {
            seconds: 60.0,
            seed: 3,
            threads: 1,
            max_epochs: Some(1),
            ..Default::default()
        };
        let r = crate::solve::solve(p, &opts).expect("valid problem");
        let asg: Vec<u8> = r
            .roster
            .expect("feasible start")
            .shifts
            .iter()
            .flat_map(|row| row.iter().map(|s| s.map_or(OFF, |s| s as u8)))
            .collect();
        (value(data, &mut Pool::new(data), &asg), asg)
    }

    /// Branching on work status alone (no dives before it, no MIP after it) takes a poor
    /// roster of Curtois Instance 3 to its known optimum 1001 (best_known.csv); the
    /// roster keeps every hard rule and the checker scores it the same.
    #[test]
    fn branching_on_work_status_reaches_a_known_optimum() {
        let p = crate::solve::tests::instance(3);
        let data = Data::new(&p, Tuning::default());
        let (f, asg) = poor_start(&p, &data);
        assert!(f > 1001, "the start is already optimal");
        let mut pool = Pool::new(&data);
        pool.add_roster(&data, &asg);
        let mut lp = Lp::new(&data, &pool);
        let far = Duration::from_secs(3600);
        let budget = Budget {
            rounds: 60,
            dive_rounds: 10,
            perturb: 0,
            dives: 0,
            branch_nodes: 2000,
            mip_nodes: 0,
            deadline: far,
            mip_time: Duration::MAX,
            clock: &crate::solve::Frozen,
            observer: None,
            thread: 0,
        };
        let mut search = Search {
            budget: &budget,
            end: budget.deadline(),
            nodes_left: budget.branch_nodes,
            best: (f, asg),
        };
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(5);
        branch(
            &data,
            &mut pool,
            &mut lp,
            &mut search,
            &mut rng,
            &mut Vec::new(),
        );
        let (g, best) = search.best;
        let ev = crate::check::check(&p, &crate::solve::to_roster(&data, &best));
        assert!(ev.feasible(), "{:?}", ev.violations);
        assert_eq!(ev.score.total as i64, g);
        assert_eq!(
            g,
            1001,
            "after {} nodes",
            budget.branch_nodes - search.nodes_left
        );
    }
}
