//! The search state of one thread and its moves: annealing steps (change a cell, swap
//! a day or a block between two employees, set a block), the repair of an employee who
//! breaks a hard rule, and large-neighbourhood moves.

use super::{Clock, Data, Frozen, Observer, State, fixopt};
use crate::model::OFF;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::time::Duration;

pub(super) struct Worker<'a> {
    pub(super) data: &'a Data,
    pub(super) st: State,
    pub(super) rng: ChaCha8Rng,
    pub(super) counts: Vec<u32>,
    pub(super) weeks: Vec<u32>,
    pub(super) best: Option<(i64, Vec<u8>)>,
    pub(super) temp: f64,
    pub(super) iterations: u64,
    /// Scratch for the cells a move changed: (e, day, old value).
    pub(super) undo: Vec<(usize, usize, u8)>,
    /// Scratch for an employee's days before a move ([`Self::move_delta`]).
    pub(super) seg: Vec<u8>,
    pub(super) cost_buf: Vec<i64>,
    /// Learned per-(employee, type) prices for the per-type maxima.
    pub(super) prices: Vec<i64>,
    pub(super) priced: Vec<bool>,
    /// The search's clock (frozen with an epoch budget).
    pub(super) clock: &'a dyn Clock,
    /// Where progress events go, and this worker's thread index.
    pub(super) observer: Option<&'a dyn Observer>,
    pub(super) thread: usize,
    /// Time spent in [`Self::exact_step`] and [`Self::fix_step`].
    pub(super) exact_time: Duration,
    /// Time spent in [`Self::exact_step`] alone.
    pub(super) colgen_time: Duration,
    pub(super) sizer: fixopt::Sizer,
    /// The root LP value of the last column-generation call that converged.
    pub(super) lp_bound: Option<f64>,
    /// Steps in 100 that change a cell on a cover line with a cost (see `Tuning::aimed_share`).
    pub(super) aimed_share: u32,
}

impl<'a> Worker<'a> {
    pub(super) fn new(data: &'a Data, init: &[u8], seed: u64, thread: usize) -> Self {
        let mut counts = vec![0u32; data.s];
        let mut weeks = vec![0u32; data.nweeks];
        let st = State::new(data, init.to_vec(), &mut counts, &mut weeks);
        Worker {
            data,
            st,
            rng: ChaCha8Rng::seed_from_u64(
                seed.wrapping_mul(0x9E37_79B9_7F4A_7C15)
                    .wrapping_add(thread as u64),
            ),
            counts,
            weeks,
            best: None,
            temp: data.tuning.t_hot,
            iterations: 0,
            undo: Vec::with_capacity(32),
            seg: Vec::with_capacity(64),
            cost_buf: Vec::new(),
            prices: vec![0; data.e * data.s],
            priced: vec![false; data.e],
            clock: &Frozen,
            observer: None,
            thread,
            exact_time: Duration::ZERO,
            colgen_time: Duration::ZERO,
            sizer: fixopt::Sizer::new(data),
            lp_bound: None,
            aimed_share: if data.small() {
                0
            } else {
                data.tuning.aimed_share
            },
        }
    }

    pub(super) fn record_best(&mut self) {
        if self.st.hard == 0 && self.best.as_ref().is_none_or(|(b, _)| self.st.soft < *b) {
            self.best = Some((self.st.soft, self.st.asg.clone()));
        }
    }

    /// Sets cell (e, day) to v, updating cover counts and the cover cost; returns the
    /// change in cover cost.
    pub(super) fn set_cell(&mut self, e: usize, day: usize, v: u8) -> i64 {
        let data = self.data;
        let i = e * data.d + day;
        let old = self.st.asg[i];
        if old == v {
            return 0;
        }
        self.undo.push((e, day, old));
        self.st.asg[i] = v;
        let st = &mut self.st;
        st.tot
            .change(data, e, day, old, v, &st.asg[e * data.d..(e + 1) * data.d]);
        let mut delta = 0;
        let ns = data.nslots;
        if old != OFF {
            for &k in &data.covers[usize::from(old)] {
                let idx = day * ns + k;
                let c = self.st.cnt[idx];
                delta += data.cover_cost(idx, c - 1) - data.cover_cost(idx, c);
                self.st.cnt[idx] = c - 1;
            }
        }
        if v != OFF {
            for &k in &data.covers[usize::from(v)] {
                let idx = day * ns + k;
                let c = self.st.cnt[idx];
                delta += data.cover_cost(idx, c + 1) - data.cover_cost(idx, c);
                self.st.cnt[idx] = c + 1;
            }
        }
        delta
    }

    /// Puts back every cell changed since `undo` was last cleared (cover counts follow;
    /// the caller restores the cached cover cost and scores).
    pub(super) fn roll_back_cells(&mut self) {
        let undo = std::mem::take(&mut self.undo);
        for &(e, day, old) in undo.iter().rev() {
            self.set_cell(e, day, old);
        }
        self.undo = undo;
    }

    pub(super) fn rescore(&mut self, e: usize) -> (i64, i64) {
        let d = self.data.d;
        self.data.eval_emp(
            e,
            &self.st.asg[e * d..(e + 1) * d],
            &mut self.counts,
            &mut self.weeks,
        )
    }

    /// The change in employee `e`'s (soft, hard) score made by the cells in `undo` (this
    /// move), given `before`, their [`Data::total_terms`] before the move; the same as
    /// re-scoring the row with [`Data::eval_emp`], but from the touched days and the
    /// run around them.
    pub(super) fn move_delta(&mut self, e: usize, before: (i64, i64)) -> (i64, i64) {
        let data = self.data;
        let (d, s1) = (data.d, data.s + 1);
        let row = &self.st.asg[e * d..(e + 1) * d];
        let mut soft = 0;
        let (mut lo, mut hi) = (d, 0);
        for &(ue, day, old) in &self.undo {
            if ue == e {
                let base = (e * d + day) * s1;
                soft += data.pref[base + data.vidx(row[day])] - data.pref[base + data.vidx(old)];
                lo = lo.min(day);
                hi = hi.max(day + 1);
            }
        }
        if lo >= hi {
            return (0, 0);
        }
        // Widen [lo, hi) to whole runs. The run through the day before the first change
        // starts on the same day before and after the move, and the run through the day
        // after the last change ends on the same day, so every run and succession that
        // can differ lies in [l, r).
        let mut l = lo;
        if l > 0 {
            let w = row[l - 1] != OFF;
            l -= 1;
            while l > 0 && (row[l - 1] != OFF) == w {
                l -= 1;
            }
        }
        let mut r = hi;
        if r < d {
            let w = row[r] != OFF;
            r += 1;
            while r < d && (row[r] != OFF) == w {
                r += 1;
            }
        }
        let new_runs = data.run_terms(e, &row[l..r], l);
        let mut seg = std::mem::take(&mut self.seg);
        seg.clear();
        seg.extend_from_slice(&row[l..r]);
        for &(ue, day, old) in self.undo.iter().rev() {
            if ue == e {
                seg[day - l] = old;
            }
        }
        let old_runs = data.run_terms(e, &seg, l);
        self.seg = seg;
        let after = data.total_terms(&self.st.tot, e);
        (
            soft + after.0 - before.0,
            new_runs - old_runs + after.1 - before.1,
        )
    }

    /// Proposes one random move, accepts or rejects it.
    pub(super) fn step(&mut self) {
        let data = self.data;
        let t = &data.tuning;
        let (d, ne) = (data.d, data.e);
        self.undo.clear();
        let mut cover_delta = 0i64;
        let mut e1 = self.rng.random_range(0..ne);
        let mut e2 = usize::MAX;
        let mut before1 = data.total_terms(&self.st.tot, e1);
        let mut before2 = (0, 0);
        let kind = self.rng.random_range(0..100u32);
        if kind < self.aimed_share {
            // Aimed at a cover line that costs something: an employee off that day takes a
            // shift that covers a short line, or one on an over line leaves it.
            let Some((day, e, slot, short)) = self.pick_cover_problem() else {
                return;
            };
            e1 = e;
            before1 = data.total_terms(&self.st.tot, e1);
            let mut pick = None;
            let mut seen = 0u32;
            for &v in &data.choices[e1 * d + day] {
                let covers = v != OFF && data.covers[usize::from(v)].contains(&slot);
                if covers == short && v != self.st.asg[e1 * d + day] {
                    seen += 1;
                    if self.rng.random_range(0..seen) == 0 {
                        pick = Some(v);
                    }
                }
            }
            let Some(v) = pick else { return };
            cover_delta += self.set_cell(e1, day, v);
        } else if kind < t.change_cell {
            let day = self.rng.random_range(0..d);
            let ch = &data.choices[e1 * d + day];
            if ch.len() < 2 {
                return;
            }
            let v = ch[self.rng.random_range(0..ch.len())];
            cover_delta += self.set_cell(e1, day, v);
        } else if kind < t.change_cell + t.swap_day + t.swap_block {
            if ne < 2 {
                return;
            }
            e2 = self.rng.random_range(0..ne - 1);
            if e2 >= e1 {
                e2 += 1;
            }
            before2 = data.total_terms(&self.st.tot, e2);
            let len = if kind < t.change_cell + t.swap_day {
                1
            } else {
                self.rng.random_range(2..=t.swap_block_days.min(d))
            };
            let start = self.rng.random_range(0..=d - len);
            let mut any = false;
            for day in start..start + len {
                let a = self.st.asg[e1 * d + day];
                let b = self.st.asg[e2 * d + day];
                if a != b {
                    if !data.is_allowed(e1, day, b) || !data.is_allowed(e2, day, a) {
                        return;
                    }
                    any = true;
                }
            }
            if !any {
                return;
            }
            for day in start..start + len {
                let a = self.st.asg[e1 * d + day];
                let b = self.st.asg[e2 * d + day];
                if a != b {
                    cover_delta += self.set_cell(e1, day, b);
                    cover_delta += self.set_cell(e2, day, a);
                }
            }
        } else {
            let len = self
                .rng
                .random_range(2..=t.set_block_days.min(d).max(2))
                .min(d);
            let start = self.rng.random_range(0..=d - len);
            let v = if self.rng.random_range(0..t.set_block_off_one_in) == 0 {
                OFF
            } else {
                self.rng.random_range(0..data.s) as u8
            };
            for day in start..start + len {
                if !data.is_allowed(e1, day, v) {
                    continue;
                }
                cover_delta += self.set_cell(e1, day, v);
            }
            if self.undo.is_empty() {
                return;
            }
        }
        let (ds1, dh1) = self.move_delta(e1, before1);
        let mut delta_soft = cover_delta + ds1;
        let mut delta_hard = dh1;
        let mut d2 = (0, 0);
        if e2 != usize::MAX {
            d2 = self.move_delta(e2, before2);
            delta_soft += d2.0;
            delta_hard += d2.1;
        }
        let delta = delta_soft + data.tuning.hard_weight * delta_hard;
        let accept = delta <= 0 || {
            let p = (-(delta as f64) / self.temp).exp();
            self.rng.random::<f64>() < p
        };
        self.iterations += 1;
        if accept {
            self.st.cover += cover_delta;
            self.st.soft += delta_soft;
            self.st.hard += delta_hard;
            self.st.soft_e[e1] += ds1;
            self.st.hard_e[e1] += dh1;
            if e2 != usize::MAX {
                self.st.soft_e[e2] += d2.0;
                self.st.hard_e[e2] += d2.1;
            }
            if delta < 0 || self.st.hard == 0 {
                self.record_best();
            }
        } else {
            self.roll_back_cells();
        }
    }

    /// Repair move: re-plan one employee who breaks a hard rule with [`Self::replan_priced`]
    /// over the whole horizon; kept if the roster's penalised cost does not rise.
    pub(super) fn repair(&mut self, e: usize) {
        let data = self.data;
        self.undo.clear();
        let before = self.st.soft + data.tuning.hard_weight * self.st.hard;
        let old_cover = self.st.cover;
        let (s1, h1) = self.fix_employee(e);
        let soft = self.st.soft - old_cover + self.st.cover + s1 - self.st.soft_e[e];
        let hard = self.st.hard + h1 - self.st.hard_e[e];
        self.iterations += 1;
        if soft + data.tuning.hard_weight * hard <= before || h1 < self.st.hard_e[e] {
            self.st.soft = soft;
            self.st.hard = hard;
            self.st.soft_e[e] = s1;
            self.st.hard_e[e] = h1;
            self.record_best();
        } else {
            self.roll_back_cells();
            self.st.cover = old_cover;
        }
    }

    /// A random cover line with a cost (a few tries) and an employee who could change it
    /// (off that day if the line is short, on a shift covering it if it is over):
    /// (day, employee, slot, short).
    pub(super) fn pick_cover_problem(&mut self) -> Option<(usize, usize, usize, bool)> {
        let data = self.data;
        let (d, ns) = (data.d, data.nslots);
        for _ in 0..data.tuning.aimed_tries {
            let idx = self.rng.random_range(0..d * ns);
            let (day, slot) = (idx / ns, idx % ns);
            let c = self.st.cnt[idx];
            let short = c < data.req[idx] && data.wu[idx] > 0;
            let over = c > data.req[idx] && data.wo[idx] > 0;
            if !short && !over {
                continue;
            }
            let start = self.rng.random_range(0..data.e);
            for j in 0..data.e {
                let e = (start + j) % data.e;
                let v = self.st.asg[e * d + day];
                let fits = if short {
                    v == OFF
                        && (0..data.s).any(|t| {
                            data.covers[t].contains(&slot) && data.is_allowed(e, day, t as u8)
                        })
                } else {
                    v != OFF && data.covers[usize::from(v)].contains(&slot)
                };
                if fits {
                    return Some((day, e, slot, short));
                }
            }
        }
        None
    }

    /// Large-neighbourhood move: free `k` employees on a window of days and re-plan them one
    /// by one with the DP; accept like an annealing step.
    pub(super) fn lns(&mut self, k: usize) {
        let data = self.data;
        let t = &data.tuning;
        let (d, ne) = (data.d, data.e);
        let wlen = d.min(t.window_days);
        // Half the moves aim at a cover line that costs something: the window holds its day
        // and the first employee freed is one who could change it (off that day if it is
        // short, on it if it is over).
        let small = data.small();
        let focus = if small && self.rng.random_range(0..t.lns_focus_one_in) == 0 {
            self.pick_cover_problem()
        } else {
            None
        };
        let a = match focus {
            _ if wlen == d => 0,
            Some((day, ..)) => {
                let lo = (day + 1).saturating_sub(wlen);
                self.rng.random_range(lo..=day.min(d - wlen))
            }
            None => self.rng.random_range(0..=d - wlen),
        };
        let b = a + wlen;
        let k = k.min(ne);
        let mut emps: Vec<usize> = Vec::with_capacity(k);
        if let Some((_, e, ..)) = focus {
            emps.push(e);
        }
        while emps.len() < k {
            let e = self.rng.random_range(0..ne);
            if !emps.contains(&e) {
                emps.push(e);
            }
        }
        self.undo.clear();
        let before = self.st.soft + data.tuning.hard_weight * self.st.hard;
        let old_cover = self.st.cover;
        for &e in &emps {
            for day in a..b {
                self.st.cover += self.set_cell(e, day, OFF);
            }
        }
        let noise = if self.rng.random_range(0..t.lns_noise_one_in) == 0 {
            t.lns_noise
        } else {
            0
        };
        let mut ok = true;
        for &e in &emps {
            if !self.replan(e, a, b, noise) {
                ok = false;
                break;
            }
        }
        if ok && small && emps.len() > 1 {
            // Second pass: the first employees were planned while the later ones were
            // still free; each now answers the others' final plans.
            for &e in &emps {
                if !self.replan(e, a, b, 0) {
                    ok = false;
                    break;
                }
            }
        }
        let mut new_scores = Vec::with_capacity(k);
        let mut soft = self.st.soft - old_cover + self.st.cover;
        let mut hard = self.st.hard;
        if ok {
            for &e in &emps {
                let (s1, h1) = self.rescore(e);
                soft += s1 - self.st.soft_e[e];
                hard += h1 - self.st.hard_e[e];
                new_scores.push((s1, h1));
            }
        }
        let after = soft + data.tuning.hard_weight * hard;
        let delta = after - before;
        let accept =
            ok && (delta <= 0 || self.rng.random::<f64>() < (-(delta as f64) / self.temp).exp());
        self.iterations += 1;
        if accept {
            self.st.soft = soft;
            self.st.hard = hard;
            for (&e, &(s1, h1)) in emps.iter().zip(&new_scores) {
                self.st.soft_e[e] = s1;
                self.st.hard_e[e] = h1;
            }
            self.record_best();
        } else {
            self.roll_back_cells();
            self.st.cover = old_cover;
        }
    }
}
