//! The driver: threads in lockstep epochs, annealing cycles with a deterministic
//! exchange of the best roster at each cycle end, and the schedule of the exact parts
//! (column generation and fix-and-optimise) at cycle ends.

use super::{
    Clock, Data, Frozen, Progress, SolveOptions, SolveResult, State, Worker, colgen, fixopt,
    to_roster,
};
use crate::model::{OFF, Problem};
use rand::Rng;
use std::sync::{Barrier, Mutex};
use std::time::Duration;

/// The end of a run with an epoch budget, on the frozen search clock: never reached.
/// (HiGHS gets the time to it as its time limit, which it never reaches either.)
const NEVER: Duration = Duration::from_secs(1 << 32);

impl Worker<'_> {
    /// The exact part (`Data::exact`), at the end of every annealing cycle: column
    /// generation, dives and the restricted-master MIP (`colgen`) from this thread's best
    /// roster; a better roster found there becomes the current one.
    fn exact_step(&mut self, pool: &mut colgen::Pool, end: Duration, timed: bool, branch: bool) {
        let Some((f, asg)) = self.best.clone() else {
            return;
        };
        let t = &self.data.tuning;
        let budget = colgen::Budget {
            rounds: t.colgen_rounds,
            dive_rounds: t.dive_rounds,
            perturb: t.colgen_perturb,
            dives: t.colgen_dives,
            branch_nodes: if branch { t.branch_nodes } else { 0 },
            mip_nodes: t.mip_nodes,
            mip_time: if timed {
                Duration::from_secs_f64(t.mip_seconds)
            } else {
                Duration::MAX
            },
            deadline: end,
            clock: self.clock,
            observer: self.observer,
            thread: self.thread,
        };
        let started = self.clock.now();
        let out = colgen::improve(self.data, pool, (f, &asg), &budget, &mut self.rng);
        if let Some(a) = out.asg {
            self.load(&a);
            self.record_best();
        }
        if out.converged {
            self.lp_bound = Some(out.lp);
        }
        let spent = self.clock.now().saturating_sub(started);
        self.exact_time += spent;
        self.colgen_time += spent;
        if let Some(observer) = self.observer {
            observer.progress(&Progress::Colgen {
                thread: self.thread,
                lp: out.lp,
                columns: out.columns,
                dives: out.dives,
                best: self.best.as_ref().map(|b| b.0),
            });
        }
    }

    /// Fix-and-optimise from this thread's best roster (`fixopt`), starting parts until
    /// `end`, none running past `run_end`; a better roster found there becomes the
    /// current one.
    fn fix_step(&mut self, end: Duration, run_end: Duration, timed: bool) {
        let Some(best) = self.best.clone() else {
            return;
        };
        let t = &self.data.tuning;
        let effort = fixopt::Effort {
            end,
            hard_end: run_end,
            timed,
            nodes: t.fix_nodes,
            cap: Duration::from_secs_f64(t.fix_seconds),
            parts: if timed { usize::MAX } else { t.fix_parts },
            clock: self.clock,
            observer: self.observer,
            thread: self.thread,
        };
        let started = self.clock.now();
        if let Some((_, a)) =
            fixopt::improve(self.data, best, &mut self.rng, &mut self.sizer, &effort)
        {
            self.load(&a);
            self.record_best();
        }
        self.exact_time += self.clock.now().saturating_sub(started);
    }

    /// The exact parts (`Data::exact`, or fix-and-optimise alone with `Data::fix_large`),
    /// at a cycle end. With a time limit, once the annealing has had `anneal_first`
    /// seconds (large problems: `large_anneal_share` of the run), they keep the thread to
    /// the end of the run: fix-and-optimise in chunks, with column generation before each
    /// chunk while it is within its share of the elapsed time and its LP is close to the
    /// best roster (its pool grows from call to call); they stop early when the best
    /// roster reaches the target. With an epoch budget: one call of each per cycle end,
    /// and no clock (the MIPs stop on their node limits only).
    fn exact_parts(&mut self, pool: &mut colgen::Pool, t0: Duration, opts: &SolveOptions) {
        let (seconds, timed) = (opts.seconds, opts.max_epochs.is_none());
        let t = self.data.tuning;
        let run_end = if timed {
            t0 + Duration::from_secs_f64(seconds)
        } else {
            NEVER
        };
        let reached = |w: &Self| {
            opts.target
                .zip(w.best.as_ref())
                .is_some_and(|(target, (f, _))| *f as u64 <= target)
        };
        if self.best.is_none() {
            // Both parts start from a feasible roster.
            return;
        }
        let colgen = self.data.exact(opts);
        let elapsed = |w: &Self| w.clock.now().saturating_sub(t0);
        loop {
            let within_share = !timed
                || self.colgen_time.as_secs_f64() <= t.exact_share * elapsed(self).as_secs_f64();
            if colgen && within_share && self.lp_is_close() {
                // One call may take at most the same share of the whole run.
                let end = if timed {
                    run_end.min(self.clock.now() + Duration::from_secs_f64(t.exact_share * seconds))
                } else {
                    run_end
                };
                let branch = timed && seconds >= t.branch_seconds;
                self.exact_step(pool, end, timed, branch);
            }
            if !timed {
                self.fix_step(run_end, run_end, timed);
                return;
            }
            if self.clock.now() >= run_end || reached(self) {
                return;
            }
            let anneal = elapsed(self).saturating_sub(self.exact_time).as_secs_f64();
            if !colgen && anneal < t.large_anneal_share * seconds {
                return;
            }
            if anneal < t.anneal_first {
                // Until the annealing has had its first seconds, fix-and-optimise gets as
                // long as the annealing had so far, then the annealing goes on.
                let end = run_end.min(self.clock.now() + Duration::from_secs_f64(anneal));
                self.fix_step(end, run_end, timed);
                return;
            }
            let chunk = (t.fix_chunk * seconds).max(t.fix_seconds);
            let end = run_end.min(self.clock.now() + Duration::from_secs_f64(chunk));
            self.fix_step(end, run_end, timed);
        }
    }

    /// Whether column generation is worth another call: its root LP has not converged
    /// yet, or it is within `colgen_gap` of this thread's best roster. Where the LP is far
    /// below every roster (a large integrality gap) its dives end far off and
    /// fix-and-optimise does better with the time.
    pub(super) fn lp_is_close(&self) -> bool {
        let gap = self.data.tuning.colgen_gap;
        match (self.lp_bound, &self.best) {
            (Some(lp), Some((f, _))) => (*f as f64 - lp) <= gap * (*f as f64).abs(),
            _ => true,
        }
    }

    pub(super) fn load(&mut self, asg: &[u8]) {
        self.st = State::new(self.data, asg.to_vec(), &mut self.counts, &mut self.weeks);
    }
}

/// The length in epochs of the annealing cycle that starts now, with a time limit:
/// `doubled` (twice the last one), unless the time left would not hold this cycle and the
/// next one (`fill_within` × `doubled` epochs at `rate` epochs per second); then one cycle
/// that ends with the time limit (`fill_share` of the epochs that fit), so the run ends
/// cold at the end of a cycle rather than cut off part way through one that started hot.
pub(super) fn cycle_length(
    tuning: &super::Tuning,
    doubled: u64,
    rate: f64,
    seconds_left: f64,
) -> u64 {
    let fits = (rate * seconds_left * tuning.fill_share) as u64;
    if fits < tuning.fill_within * doubled {
        fits.max(1)
    } else {
        doubled
    }
}

/// Epoch length in iterations, fixed per problem size so the run is a function of the
/// seed and the epoch count (`epoch_work`, `epoch_days_offset`, `epoch_min_steps`).
pub(super) fn epoch_iterations(data: &Data) -> u64 {
    let t = &data.tuning;
    (t.epoch_work / (data.d as u64 + t.epoch_days_offset)).max(t.epoch_min_steps)
}

/// After how many blocks of annealing steps (`blocks_per_epoch` per epoch, counted
/// across epochs) a large-neighbourhood move follows: after every block on horizons of at
/// most `small_days`; on longer ones about every `steps_per_lns_per_type` × shift types
/// steps (at least `lns_min_types` types' worth).
pub(super) fn lns_every(data: &Data, epoch_iters: u64) -> u64 {
    let t = &data.tuning;
    if data.d <= t.small_days {
        return 1;
    }
    let steps = t.steps_per_lns_per_type * (data.s as u64).max(t.lns_min_types);
    (steps / (epoch_iters / t.blocks_per_epoch).max(1)).max(1)
}

/// A thread's best feasible roster: (objective, dense assignment).
type Best = Option<(i64, Vec<u8>)>;

/// Solves a problem. Never returns a roster with a hard violation: `feasible` is false and
/// `roster` None if none was found in time. An invalid problem (see [`Problem::validate`])
/// is refused.
pub fn solve(
    problem: &Problem,
    opts: &SolveOptions,
) -> Result<SolveResult, crate::model::ModelError> {
    problem.validate()?;
    if let Some(r) = &opts.initial
        && (r.shifts.len() != problem.employees.len()
            || r.shifts.iter().any(|row| row.len() != problem.days))
    {
        return Err(crate::model::ModelError::Invalid(
            "het startrooster past niet bij het model".into(),
        ));
    }
    // The caller's clock gives the reported time; the search reads it only with a time
    // limit (with an epoch budget its clock stands still).
    let started = opts.clock.now();
    let timed = opts.max_epochs.is_none();
    let clock: &dyn Clock = if timed { &*opts.clock } else { &Frozen };
    let t0 = clock.now();
    let tuning = &opts.tuning;
    let data = Data::new(problem, opts.tuning);
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
    let lns_every = lns_every(&data, epoch_iters);
    let barrier = Barrier::new(threads);
    // Per-thread best after each cycle, and the shared stop decision.
    let bests: Mutex<Vec<Best>> = Mutex::new(vec![None; threads]);
    let stop = Mutex::new(false);
    let bests_now: Mutex<Vec<Option<i64>>> = Mutex::new(vec![None; threads]);
    let epochs_done = Mutex::new(0u64);
    let total_iters = Mutex::new(0u64);
    let seconds = opts.seconds;
    // With `fill_last_cycle`, the length of the next cycle, decided by thread 0 at a cycle
    // end and read by every thread (they run their epochs in lockstep, so their cycles end
    // together).
    let next_cycle = Mutex::new(tuning.first_cycle_epochs);
    // When the last thread finished its construction: the annealing's speed is measured
    // from there.
    let anneal_start = Mutex::new(None::<Duration>);
    // Whether the exact parts run at cycle ends (and then keep the thread to the end).
    let runs_exact_parts = data.exact(opts) || data.fix_large(opts);
    // Whether the last cycle is stretched or shrunk to end with the time limit
    // (`cycle_length`); where the exact parts take over, the cycle ends are theirs.
    let fill_last_cycle = timed && !runs_exact_parts;
    std::thread::scope(|scope| {
        for t in 0..threads {
            let (data, init, barrier, bests, stop, epochs_done, total_iters, bests_now) = (
                &data,
                &init,
                &barrier,
                &bests,
                &stop,
                &epochs_done,
                &total_iters,
                &bests_now,
            );
            let (next_cycle, anneal_start) = (&next_cycle, &anneal_start);
            scope.spawn(move || {
                let mut w = Worker::new(data, init, opts.seed, t);
                w.clock = clock;
                w.observer = opts.observer.as_deref();
                if data.fix_large(opts) {
                    w.sizer = fixopt::Sizer::large(data);
                }
                if opts.initial.is_none() {
                    w.construct(
                        timed.then(|| {
                            t0 + Duration::from_secs_f64(seconds * tuning.construct_share)
                        }),
                    );
                }
                w.record_best();
                {
                    let mut start = anneal_start.lock().expect("no poisoned lock");
                    let now = clock.now();
                    *start = Some(start.map_or(now, |s| s.max(now)));
                }
                let mut pool = colgen::Pool::new(data);
                let mut epoch = 0u64;
                let mut cycle_len = tuning.first_cycle_epochs;
                let mut in_cycle = 0u64;
                let mut blocks = 0u64;
                loop {
                    let phase = in_cycle as f64 / cycle_len as f64;
                    let steps = tuning.blocks_per_epoch;
                    for k in 0..steps {
                        let f = phase + (k as f64 / steps as f64) / cycle_len as f64;
                        w.temp = tuning.t_hot * (tuning.t_cold / tuning.t_hot).powf(f);
                        for _ in 0..epoch_iters / steps {
                            w.step();
                        }
                        // Blocks are counted across epochs: on long horizons the moves
                        // may be more than an epoch apart.
                        let due = blocks.is_multiple_of(lns_every);
                        blocks += 1;
                        if due {
                            for _ in 0..tuning.lns_per_block {
                                let k = w.rng.random_range(1..=tuning.lns_employees);
                                w.lns(k);
                            }
                        }
                        if w.st.hard > 0 {
                            // Repair the worst offender (lowest index on ties).
                            let worst = (0..data.e)
                                .max_by_key(|&e| (w.st.hard_e[e], std::cmp::Reverse(e)))
                                .filter(|&e| w.st.hard_e[e] > 0);
                            if let Some(e) = worst {
                                w.repair(e);
                            }
                        }
                    }
                    epoch += 1;
                    in_cycle += 1;
                    let cycle_end = in_cycle == cycle_len;
                    if cycle_end {
                        in_cycle = 0;
                        cycle_len *= 2;
                    }
                    if cycle_end && let Some(observer) = w.observer {
                        observer.progress(&Progress::CycleEnd {
                            thread: t,
                            epoch,
                            best: w.best.as_ref().map(|b| b.0),
                        });
                    }
                    if cycle_end && runs_exact_parts {
                        w.exact_parts(&mut pool, t0, opts);
                    }
                    if cycle_end {
                        bests.lock().expect("no poisoned lock")[t] = w.best.clone();
                    }
                    barrier.wait();
                    if t == 0 {
                        let out_of_time = match opts.max_epochs {
                            None => clock.now().saturating_sub(t0).as_secs_f64() >= seconds,
                            Some(m) => epoch >= m,
                        };
                        *stop.lock().expect("no poisoned lock") = out_of_time || opts.cancelled();
                    }
                    bests_now.lock().expect("no poisoned lock")[t] =
                        w.best.as_ref().map(|(f, _)| *f);
                    barrier.wait();
                    if t == 0 {
                        let reached = opts.target.is_some_and(|target| {
                            bests_now
                                .lock()
                                .expect("no poisoned lock")
                                .iter()
                                .flatten()
                                .any(|&f| f as u64 <= target)
                        });
                        if reached {
                            *stop.lock().expect("no poisoned lock") = true;
                        }
                        *epochs_done.lock().expect("no poisoned lock") = epoch;
                        if fill_last_cycle && cycle_end {
                            let start =
                                anneal_start.lock().expect("no poisoned lock").unwrap_or(t0);
                            let now = clock.now();
                            let rate =
                                epoch as f64 / now.saturating_sub(start).as_secs_f64().max(1e-3);
                            let left = (seconds - now.saturating_sub(t0).as_secs_f64()).max(0.0);
                            *next_cycle.lock().expect("no poisoned lock") =
                                cycle_length(tuning, cycle_len, rate, left);
                        }
                    }
                    barrier.wait();
                    if *stop.lock().expect("no poisoned lock") {
                        break;
                    }
                    if cycle_end && fill_last_cycle {
                        cycle_len = *next_cycle.lock().expect("no poisoned lock");
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
    let roster = best.as_ref().map(|(_, asg)| to_roster(&data, asg));
    Ok(SolveResult {
        objective: best.as_ref().map(|(f, _)| *f as u64),
        feasible: roster.is_some(),
        roster,
        seconds: opts.clock.now().saturating_sub(started).as_secs_f64(),
        epochs: epochs_done.into_inner().expect("no poisoned lock"),
        iterations: total_iters.into_inner().expect("no poisoned lock"),
    })
}
