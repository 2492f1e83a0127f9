//! The optimiser: simulated annealing over the whole roster with penalised hard
//! constraints, run on two seeded threads that exchange their best rosters at fixed epoch
//! boundaries (so the exchange is deterministic), and only ever returning a roster that has
//! no hard violation.
//!
//! The objective is separable: per employee (requests, contract target, opkomsten, short
//! shifts and all hard constraints) plus cover per day and slot. A move re-scores the
//! touched employees from scratch over the horizon and updates cover counts incrementally.
//! Moves: change one day, swap one day between two employees, swap a block of days between
//! two employees (cover unchanged), set a block of days to one shift or off.
//!
//! Reproducibility: the search is a function of (problem, seed, epochs completed). With a
//! time limit the number of completed epochs depends on the machine; give
//! [`SolveOptions::max_epochs`] for a run that is identical on every machine.

use crate::model::{OFF, Problem, Roster};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;
use std::sync::{Barrier, Mutex};
use std::time::Instant;

/// How to run the optimiser.
#[derive(Debug, Clone)]
pub struct SolveOptions {
    /// Wall-clock limit in seconds.
    pub seconds: f64,
    pub seed: u64,
    /// Number of search threads (1 or more; 2 uses both cores of the reference machine).
    pub threads: usize,
    /// Stop after this many epochs even if time remains (for machine-independent runs).
    pub max_epochs: Option<u64>,
    /// Stop as soon as a feasible roster with at most this objective is found (e.g. a
    /// known lower bound).
    pub target: Option<u64>,
    /// Start from this roster (e.g. today's roster in design work). Need not be feasible.
    pub initial: Option<Roster>,
}

impl Default for SolveOptions {
    fn default() -> Self {
        Self { seconds: 10.0, seed: 1, threads: 2, max_epochs: None, target: None, initial: None }
    }
}

/// What the optimiser returns.
#[derive(Debug, Clone, Serialize)]
pub struct SolveResult {
    /// The best roster without hard violations, if one was found.
    #[serde(skip)]
    pub roster: Option<Roster>,
    /// Its objective (soft cost), if found.
    pub objective: Option<u64>,
    pub feasible: bool,
    pub seconds: f64,
    pub epochs: u64,
    pub iterations: u64,
}

/// Weight of one unit of hard violation inside the search (never in a returned roster).
const HARD_WEIGHT: i64 = 400;

/// Dense, precomputed view of a problem for fast scoring.
struct Data {
    d: usize,
    s: usize,
    e: usize,
    nslots: usize,
    /// Soft cost of value v (0..s shifts, s = off) for employee e on day d: [(e*d + day)*(s+1) + v].
    pref: Vec<i64>,
    /// Whether value v is allowed at all for (e, day): [(e*d + day)*(s+1) + v].
    allowed: Vec<bool>,
    /// Allowed values per (e, day), as a list.
    choices: Vec<Vec<u8>>,
    forb: Vec<bool>,
    minutes: Vec<u32>,
    covers: Vec<Vec<usize>>,
    req: Vec<i64>,
    wu: Vec<i64>,
    wo: Vec<i64>,
    weekend: Vec<u32>,
    week: Vec<usize>,
    nweeks: usize,
    max_shifts: Vec<Vec<u32>>,
    min_minutes: Vec<u32>,
    max_minutes: Vec<u32>,
    max_cons: Vec<u32>,
    min_cons: Vec<u32>,
    min_off: Vec<u32>,
    max_we: Vec<u32>,
    target: Vec<Option<u32>>,
    target_w: i64,
    max_week: Option<u32>,
}

impl Data {
    fn new(p: &Problem) -> Self {
        let (d, s, e) = (p.days, p.shifts.len(), p.employees.len());
        let nslots = p.slots.len();
        let mut pref = vec![0i64; e * d * (s + 1)];
        let mut allowed = vec![true; e * d * (s + 1)];
        for (ei, emp) in p.employees.iter().enumerate() {
            for day in 0..d {
                let base = (ei * d + day) * (s + 1);
                for (si, st) in p.shifts.iter().enumerate() {
                    let mut c = i64::from(st.opkomsten) * i64::from(p.care.opkomst_weight);
                    if st.minutes < p.care.short_shift_minutes {
                        c += i64::from(p.care.short_shift_weight);
                    }
                    pref[base + si] += c;
                    if emp.max_shifts[si] == 0 {
                        allowed[base + si] = false;
                    }
                }
            }
            for &day in &emp.days_off {
                let base = (ei * d + day) * (s + 1);
                for si in 0..s {
                    allowed[base + si] = false;
                }
            }
        }
        for r in &p.on_requests {
            let base = (r.employee * d + r.day) * (s + 1);
            for v in 0..=s {
                if v != r.shift {
                    pref[base + v] += i64::from(r.weight);
                }
            }
        }
        for r in &p.off_requests {
            pref[(r.employee * d + r.day) * (s + 1) + r.shift] += i64::from(r.weight);
        }
        let choices = (0..e * d)
            .map(|cell| (0..=s).filter(|&v| allowed[cell * (s + 1) + v]).map(|v| if v == s { OFF } else { v as u8 }).collect())
            .collect();
        let mut forb = vec![false; s * s];
        for a in 0..s {
            for b in 0..s {
                forb[a * s + b] = p.forbidden_succession(a, b);
            }
        }
        let mut req = vec![0i64; d * nslots];
        let mut wu = vec![0i64; d * nslots];
        let mut wo = vec![0i64; d * nslots];
        for c in &p.cover {
            let k = c.day * nslots + c.slot;
            req[k] = i64::from(c.requirement);
            wu[k] = i64::from(c.weight_under);
            wo[k] = i64::from(c.weight_over);
        }
        let weekend = (0..d).map(|day| p.weekend_of(day).map_or(u32::MAX, |w| w as u32)).collect();
        let week: Vec<usize> = (0..d).map(|day| p.week_of(day)).collect();
        let nweeks = week.last().map_or(0, |w| w + 1);
        let emps = &p.employees;
        Data {
            d,
            s,
            e,
            nslots,
            pref,
            allowed,
            choices,
            forb,
            minutes: p.shifts.iter().map(|x| x.minutes).collect(),
            covers: p.shifts.iter().map(|x| x.covers.clone()).collect(),
            req,
            wu,
            wo,
            weekend,
            week,
            nweeks,
            max_shifts: emps.iter().map(|x| x.max_shifts.clone()).collect(),
            min_minutes: emps.iter().map(|x| x.min_total_minutes).collect(),
            max_minutes: emps.iter().map(|x| x.max_total_minutes).collect(),
            max_cons: emps.iter().map(|x| x.max_consecutive_shifts).collect(),
            min_cons: emps.iter().map(|x| x.min_consecutive_shifts).collect(),
            min_off: emps.iter().map(|x| x.min_consecutive_days_off).collect(),
            max_we: emps.iter().map(|x| x.max_weekends).collect(),
            target: emps.iter().map(|x| x.target_minutes).collect(),
            target_w: i64::from(p.care.target_weight_per_hour),
            max_week: p.care.max_week_minutes,
        }
    }

    #[inline]
    fn vidx(&self, v: u8) -> usize {
        if v == OFF { self.s } else { usize::from(v) }
    }

    #[inline]
    fn is_allowed(&self, e: usize, day: usize, v: u8) -> bool {
        self.allowed[(e * self.d + day) * (self.s + 1) + self.vidx(v)]
    }

    #[inline]
    fn cover_cost(&self, k: usize, c: i64) -> i64 {
        let r = self.req[k];
        if c < r { self.wu[k] * (r - c) } else { self.wo[k] * (c - r) }
    }

    /// Scores one employee's row from scratch: (soft, hard violation units).
    fn eval_emp(&self, e: usize, row: &[u8], counts: &mut [u32], weeks: &mut [u32]) -> (i64, i64) {
        let d = self.d;
        let s1 = self.s + 1;
        let base = e * d * s1;
        counts.iter_mut().for_each(|c| *c = 0);
        let track_weeks = self.max_week.is_some();
        if track_weeks {
            weeks.iter_mut().for_each(|c| *c = 0);
        }
        let (maxc, minc, mino) = (self.max_cons[e], self.min_cons[e], self.min_off[e]);
        let mut soft = 0i64;
        let mut hard = 0i64;
        let mut minutes = 0u32;
        let mut weekends = 0u32;
        let mut last_we = u32::MAX;
        let mut run_work = row[0] != OFF;
        let mut run_len = 0u32;
        let mut run_start = 0usize;
        let mut prev = OFF;
        for (day, &v) in row.iter().enumerate() {
            let working = v != OFF;
            soft += self.pref[base + day * s1 + if working { usize::from(v) } else { self.s }];
            if working {
                let vi = usize::from(v);
                counts[vi] += 1;
                minutes += self.minutes[vi];
                if track_weeks {
                    weeks[self.week[day]] += self.minutes[vi];
                }
                let w = self.weekend[day];
                if w != u32::MAX && w != last_we {
                    weekends += 1;
                    last_we = w;
                }
                if prev != OFF && self.forb[usize::from(prev) * self.s + vi] {
                    hard += 1;
                }
            }
            if working == run_work {
                run_len += 1;
            } else {
                hard += run_penalty(run_work, run_len, run_start == 0, false, maxc, minc, mino);
                run_work = working;
                run_len = 1;
                run_start = day;
            }
            prev = v;
        }
        hard += run_penalty(run_work, run_len, run_start == 0, true, maxc, minc, mino);
        for (si, &c) in counts.iter().enumerate() {
            let m = self.max_shifts[e][si];
            if c > m {
                hard += i64::from(c - m);
            }
        }
        if minutes < self.min_minutes[e] {
            hard += i64::from((self.min_minutes[e] - minutes).div_ceil(240));
        }
        if minutes > self.max_minutes[e] {
            hard += i64::from((minutes - self.max_minutes[e]).div_ceil(240));
        }
        if weekends > self.max_we[e] {
            hard += i64::from(weekends - self.max_we[e]);
        }
        if let Some(mw) = self.max_week {
            for &w in weeks.iter() {
                if w > mw {
                    hard += i64::from((w - mw).div_ceil(240));
                }
            }
        }
        if let Some(t) = self.target[e] {
            soft += i64::from(minutes.abs_diff(t).div_ceil(60)) * self.target_w;
        }
        (soft, hard)
    }
}

#[inline]
fn run_penalty(work: bool, len: u32, at_start: bool, at_end: bool, maxc: u32, minc: u32, mino: u32) -> i64 {
    let interior = !at_start && !at_end;
    if work {
        let mut h = 0;
        if len > maxc {
            h += i64::from(len - maxc);
        }
        if interior && len < minc {
            h += i64::from(minc - len);
        }
        h
    } else if interior && len < mino {
        i64::from(mino - len)
    } else {
        0
    }
}

/// One search state.
#[derive(Clone)]
struct State {
    asg: Vec<u8>,
    cnt: Vec<i64>,
    soft_e: Vec<i64>,
    hard_e: Vec<i64>,
    cover: i64,
    soft: i64,
    hard: i64,
}

impl State {
    fn new(data: &Data, asg: Vec<u8>, counts: &mut [u32], weeks: &mut [u32]) -> Self {
        let mut cnt = vec![0i64; data.d * data.nslots];
        for e in 0..data.e {
            for day in 0..data.d {
                let v = asg[e * data.d + day];
                if v != OFF {
                    for &k in &data.covers[usize::from(v)] {
                        cnt[day * data.nslots + k] += 1;
                    }
                }
            }
        }
        let cover = (0..cnt.len()).map(|k| data.cover_cost(k, cnt[k])).sum();
        let mut soft_e = vec![0; data.e];
        let mut hard_e = vec![0; data.e];
        for e in 0..data.e {
            let (s, h) = data.eval_emp(e, &asg[e * data.d..(e + 1) * data.d], counts, weeks);
            soft_e[e] = s;
            hard_e[e] = h;
        }
        let soft = soft_e.iter().sum::<i64>() + cover;
        let hard = hard_e.iter().sum();
        State { asg, cnt, soft_e, hard_e, cover, soft, hard }
    }

}

struct Worker<'a> {
    data: &'a Data,
    st: State,
    rng: ChaCha8Rng,
    counts: Vec<u32>,
    weeks: Vec<u32>,
    best: Option<(i64, Vec<u8>)>,
    temp: f64,
    iterations: u64,
    /// Scratch for the cells a move changed: (e, day, old value).
    undo: Vec<(usize, usize, u8)>,
}

impl<'a> Worker<'a> {
    fn record_best(&mut self) {
        if self.st.hard == 0 && self.best.as_ref().is_none_or(|(b, _)| self.st.soft < *b) {
            self.best = Some((self.st.soft, self.st.asg.clone()));
        }
    }

    /// Sets cell (e, day) to v, updating cover counts and the cover cost; returns the
    /// change in cover cost.
    fn set_cell(&mut self, e: usize, day: usize, v: u8) -> i64 {
        let data = self.data;
        let i = e * data.d + day;
        let old = self.st.asg[i];
        if old == v {
            return 0;
        }
        self.undo.push((e, day, old));
        self.st.asg[i] = v;
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

    fn rescore(&mut self, e: usize) -> (i64, i64) {
        let d = self.data.d;
        self.data.eval_emp(e, &self.st.asg[e * d..(e + 1) * d], &mut self.counts, &mut self.weeks)
    }

    /// Proposes one random move, accepts or rejects it.
    fn step(&mut self) {
        let data = self.data;
        let (d, ne) = (data.d, data.e);
        self.undo.clear();
        let mut cover_delta = 0i64;
        let e1 = self.rng.random_range(0..ne);
        let mut e2 = usize::MAX;
        let kind = self.rng.random_range(0..100u32);
        if kind < 40 {
            let day = self.rng.random_range(0..d);
            let ch = &data.choices[e1 * d + day];
            if ch.len() < 2 {
                return;
            }
            let v = ch[self.rng.random_range(0..ch.len())];
            cover_delta += self.set_cell(e1, day, v);
        } else if kind < 85 {
            if ne < 2 {
                return;
            }
            e2 = self.rng.random_range(0..ne - 1);
            if e2 >= e1 {
                e2 += 1;
            }
            let len = if kind < 60 { 1 } else { self.rng.random_range(2..=7usize.min(d)) };
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
            let len = self.rng.random_range(2..=5usize.min(d).max(2)).min(d);
            let start = self.rng.random_range(0..=d - len);
            let v = if self.rng.random_range(0..3u32) == 0 {
                OFF
            } else {
                let s = self.rng.random_range(0..data.s) as u8;
                s
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
        let (s1, h1) = self.rescore(e1);
        let mut delta_soft = cover_delta + s1 - self.st.soft_e[e1];
        let mut delta_hard = h1 - self.st.hard_e[e1];
        let mut s2h2 = (0, 0);
        if e2 != usize::MAX {
            s2h2 = self.rescore(e2);
            delta_soft += s2h2.0 - self.st.soft_e[e2];
            delta_hard += s2h2.1 - self.st.hard_e[e2];
        }
        let delta = delta_soft + HARD_WEIGHT * delta_hard;
        let accept = delta <= 0 || {
            let p = (-(delta as f64) / self.temp).exp();
            self.rng.random::<f64>() < p
        };
        self.iterations += 1;
        if accept {
            self.st.cover += cover_delta;
            self.st.soft += delta_soft;
            self.st.hard += delta_hard;
            self.st.soft_e[e1] = s1;
            self.st.hard_e[e1] = h1;
            if e2 != usize::MAX {
                self.st.soft_e[e2] = s2h2.0;
                self.st.hard_e[e2] = s2h2.1;
            }
            if delta < 0 || self.st.hard == 0 {
                self.record_best();
            }
        } else {
            let undo = std::mem::take(&mut self.undo);
            for &(e, day, old) in undo.iter().rev() {
                self.set_cell(e, day, old);
            }
            self.undo = undo;
        }
    }

    fn load(&mut self, asg: &[u8]) {
        self.st = State::new(self.data, asg.to_vec(), &mut self.counts, &mut self.weeks);
    }
}

/// Epoch length in iterations: about a fifth of a second of work on the reference machine,
/// fixed per problem size so the run is a function of the seed and the epoch count.
fn epoch_iterations(data: &Data) -> u64 {
    (4_000_000 / (data.d as u64 + 8)).max(1_000)
}

/// Epochs in the first annealing cycle. The temperature falls from hot to cold over one
/// cycle, then every thread restarts from the best roster found so far; each cycle is twice
/// as long as the one before, so short and long runs both get complete cycles.
const FIRST_CYCLE_EPOCHS: u64 = 2;
const T_HOT: f64 = 30.0;
const T_COLD: f64 = 0.3;

/// Solves a problem. Never returns a roster with a hard violation: `feasible` is false and
/// `roster` None if none was found in time.
pub fn solve(problem: &Problem, opts: &SolveOptions) -> SolveResult {
    let t0 = Instant::now();
    let data = Data::new(problem);
    let threads = opts.threads.max(1);
    let init: Vec<u8> = match &opts.initial {
        Some(r) => r
            .shifts
            .iter()
            .enumerate()
            .flat_map(|(e, row)| {
                let data = &data;
                row.iter().enumerate().map(move |(day, s)| {
                    let v = s.map_or(OFF, |s| s as u8);
                    if data.is_allowed(e, day, v) { v } else { OFF }
                })
            })
            .collect(),
        None => vec![OFF; data.e * data.d],
    };
    let epoch_iters = epoch_iterations(&data);
    let barrier = Barrier::new(threads);
    // Per-thread best after each cycle, and the shared stop decision.
    let bests: Mutex<Vec<Option<(i64, Vec<u8>)>>> = Mutex::new(vec![None; threads]);
    let stop = Mutex::new(false);
    let bests_now: Mutex<Vec<Option<i64>>> = Mutex::new(vec![None; threads]);
    let epochs_done = Mutex::new(0u64);
    let total_iters = Mutex::new(0u64);
    let seconds = opts.seconds;
    std::thread::scope(|scope| {
        for t in 0..threads {
            let (data, init, barrier, bests, stop, epochs_done, total_iters, bests_now) =
                (&data, &init, &barrier, &bests, &stop, &epochs_done, &total_iters, &bests_now);
            scope.spawn(move || {
                let mut counts = vec![0u32; data.s];
                let mut weeks = vec![0u32; data.nweeks];
                let st = State::new(data, init.clone(), &mut counts, &mut weeks);
                let mut w = Worker {
                    data,
                    st,
                    rng: ChaCha8Rng::seed_from_u64(opts.seed.wrapping_mul(0x9E37_79B9_7F4A_7C15).wrapping_add(t as u64)),
                    counts,
                    weeks,
                    best: None,
                    temp: T_HOT,
                    iterations: 0,
                    undo: Vec::with_capacity(32),
                };
                w.record_best();
                let mut epoch = 0u64;
                let mut cycle_len = FIRST_CYCLE_EPOCHS;
                let mut in_cycle = 0u64;
                loop {
                    let phase = in_cycle as f64 / cycle_len as f64;
                    let steps = 16u64;
                    for k in 0..steps {
                        let f = phase + (k as f64 / steps as f64) / cycle_len as f64;
                        w.temp = T_HOT * (T_COLD / T_HOT).powf(f);
                        for _ in 0..epoch_iters / steps {
                            w.step();
                        }
                    }
                    epoch += 1;
                    in_cycle += 1;
                    let cycle_end = in_cycle == cycle_len;
                    if cycle_end {
                        in_cycle = 0;
                        cycle_len *= 2;
                    }
                    if cycle_end {
                        bests.lock().expect("no poisoned lock")[t] = w.best.clone();
                    }
                    barrier.wait();
                    if t == 0 {
                        let out_of_time = t0.elapsed().as_secs_f64() >= seconds;
                        let out_of_epochs = opts.max_epochs.is_some_and(|m| epoch >= m);
                        *stop.lock().expect("no poisoned lock") = out_of_time || out_of_epochs;
                    }
                    bests_now.lock().expect("no poisoned lock")[t] = w.best.as_ref().map(|(f, _)| *f);
                    barrier.wait();
                    if t == 0 {
                        let reached = opts.target.is_some_and(|target| {
                            bests_now.lock().expect("no poisoned lock").iter().flatten().any(|&f| f as u64 <= target)
                        });
                        if reached {
                            *stop.lock().expect("no poisoned lock") = true;
                        }
                        *epochs_done.lock().expect("no poisoned lock") = epoch;
                    }
                    barrier.wait();
                    if *stop.lock().expect("no poisoned lock") {
                        break;
                    }
                    if cycle_end {
                        // Deterministic exchange: everyone restarts from the best of all
                        // threads (ties go to the lowest thread index).
                        let all = bests.lock().expect("no poisoned lock").clone();
                        let global = all.iter().flatten().min_by_key(|(f, _)| *f).cloned();
                        if let Some((f, asg)) = global {
                            if w.best.as_ref().is_none_or(|(b, _)| f < *b) {
                                w.best = Some((f, asg.clone()));
                            }
                            w.load(&asg);
                        } else {
                            // No feasible roster yet: keep going from the current state.
                        }
                    }
                }
                bests.lock().expect("no poisoned lock")[t] = w.best.clone();
                *total_iters.lock().expect("no poisoned lock") += w.iterations;
            });
        }
    });
    let all = bests.into_inner().expect("no poisoned lock");
    let best = all.into_iter().flatten().min_by_key(|(f, _)| *f);
    let roster = best.as_ref().map(|(_, asg)| Roster {
        shifts: (0..data.e)
            .map(|e| (0..data.d).map(|day| {
                let v = asg[e * data.d + day];
                if v == OFF { None } else { Some(usize::from(v)) }
            }).collect())
            .collect(),
    });
    SolveResult {
        objective: best.as_ref().map(|(f, _)| *f as u64),
        feasible: roster.is_some(),
        roster,
        seconds: t0.elapsed().as_secs_f64(),
        epochs: epochs_done.into_inner().expect("no poisoned lock"),
        iterations: total_iters.into_inner().expect("no poisoned lock"),
    }
}
