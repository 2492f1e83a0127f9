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
//! On rosters of at most four weeks (and, with time limits of 60 s or more, up to eight
//! weeks where employees × shift types × days stays small; `Data::exact`), each thread also
//! runs column generation at the end of every annealing cycle (`colgen`): a master LP over
//! whole employee rows priced by the employee DP, dives and a restricted-master MIP
//! (HiGHS), started from the thread's best roster; then fix-and-optimise (`fixopt`): parts
//! of the roster (every employee over a window of days, or some employees over every day)
//! are re-solved exactly as a compact MIP with the rest fixed. The annealing continues from
//! whatever is better.
//!
//! Reproducibility: the search is a function of (problem, seed, epochs completed). With a
//! time limit the number of completed epochs depends on the machine; give
//! [`SolveOptions::max_epochs`] for a run that is identical on every machine (column
//! generation and fix-and-optimise then stop on their round, dive, part and node limits
//! only, not on the clock).

use crate::model::{OFF, Problem, Roster};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;
use std::sync::{Barrier, Mutex};
use std::time::{Duration, Instant};

mod colgen;
mod fixopt;

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
        Self {
            seconds: 10.0,
            seed: 1,
            threads: 2,
            max_epochs: None,
            target: None,
            initial: None,
        }
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
    /// Weekend ids run 0..nwe (`weekend` is u32::MAX on weekdays).
    nwe: usize,
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
    /// Shift lengths in units of `unit` minutes (the gcd of all lengths), for the DP.
    units: Vec<u32>,
    unit: u32,
    weekday: Vec<u8>,
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
            .map(|cell| {
                (0..=s)
                    .filter(|&v| allowed[cell * (s + 1) + v])
                    .map(|v| if v == s { OFF } else { v as u8 })
                    .collect()
            })
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
        let weekend: Vec<u32> = (0..d)
            .map(|day| p.weekend_of(day).map_or(u32::MAX, |w| w as u32))
            .collect();
        let nwe = weekend
            .iter()
            .filter(|&&w| w != u32::MAX)
            .max()
            .map_or(0, |&w| w as usize + 1);
        let week: Vec<usize> = (0..d).map(|day| p.week_of(day)).collect();
        let nweeks = week.last().map_or(0, |w| w + 1);
        let emps = &p.employees;
        let unit = p.shifts.iter().map(|x| x.minutes).fold(0, gcd).max(1);
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
            nwe,
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
            units: p.shifts.iter().map(|x| x.minutes / unit).collect(),
            unit,
            weekday: (0..d).map(|day| p.weekday(day) as u8).collect(),
        }
    }

    /// Small problems (at most four weeks, employees × shift types ≤ 400) can afford the
    /// costlier large-neighbourhood moves (cover-focused, two passes); on larger ones the
    /// same time buys more plain moves, which measured better (docs/benchmarks-roster.md).
    fn small(&self) -> bool {
        self.d <= 28 && self.e * self.s <= 400
    }

    /// Whether the exact parts (column generation and fix-and-optimise) run: always on
    /// small problems; on medium ones (up to eight weeks, employees × shift types × days
    /// at most half the small ones' largest, 400 × 28) only with a time limit of at least
    /// `MEDIUM_SECONDS`. Measured on the Curtois instances (docs/benchmarks-roster.md,
    /// run 14): at 60 s they took Instance 14 from 1505 to 1278–1281 and 16 from 3692 to
    /// its optimum 3225 in every run, but with less time 14 got worse (10 s: 2115 against
    /// 1579; 30 s: 1660 and 1686 against 1528 and 1593; 45 s: 1550 and 1281): its first
    /// column-generation call needs about 17 s before its LP converges. On 17
    /// (32 × 4 × 56) three runs ended at 6125, 6508 and 6823 against 6109 without them,
    /// and on the larger instances the first column-generation call took 16–39 s, mostly
    /// without a converged LP or a single dive (12, 13, 15 and 18–21 ended worse).
    fn exact(&self, opts: &SolveOptions) -> bool {
        let medium = self.d <= 56 && self.e * self.s * self.d <= 400 * 28 / 2;
        self.small() || (medium && opts.max_epochs.is_none() && opts.seconds >= MEDIUM_SECONDS)
    }

    /// Whether fix-and-optimise alone runs (no column generation) on a problem too large
    /// for `exact` but of at most four weeks: with a time limit of at least
    /// `MEDIUM_SECONDS`, once the annealing has had `LARGE_ANNEAL_SHARE` of the run, with
    /// parts sized by `fixopt::Sizer::large`. Measured at 60 s (docs/benchmarks-roster.md,
    /// run 17): on Curtois Instance 13 (120 employees × 18 shift types × 28 days), seeds
    /// 1–6, the mean went from 3063 to 2699 and the worst from 3340 to 2918; on 12
    /// (60 × 10 × 28), seeds 1–3, from 4168, 4128, 4127 to 4129, 4108, 4135. On the
    /// longer instances (15 and 17–24, 6 to 52 weeks) the annealing still gains about a
    /// tenth per cycle at the end of a 60 s run, and taking over from it made seven of
    /// nine worse (19: 4415 against 4023, 24: 155839 against 130409).
    fn fix_large(&self, opts: &SolveOptions) -> bool {
        self.d <= 28
            && !self.exact(opts)
            && opts.max_epochs.is_none()
            && opts.seconds >= MEDIUM_SECONDS
    }

    /// The DP window of employee e over `[a, b)` with the employee's own limits and no
    /// pruning, cap or pricing; callers override what differs.
    fn window<'a>(
        &'a self,
        e: usize,
        a: usize,
        b: usize,
        cost: &'a [i64],
        row: &'a [u8],
    ) -> crate::dp::Window<'a> {
        crate::dp::Window {
            days: self.d,
            a,
            b,
            nshifts: self.s,
            cost,
            row,
            forb: &self.forb,
            units: &self.units,
            unit: self.unit,
            weekday: &self.weekday,
            max_cons: self.max_cons[e],
            min_cons: self.min_cons[e],
            min_off: self.min_off[e],
            max_we: self.max_we[e],
            min_minutes: self.min_minutes[e],
            max_minutes: self.max_minutes[e],
            target: self.target[e],
            target_w: self.target_w,
            hard_weight: HARD_WEIGHT,
            out_minutes: 0,
            out_weekends: 0,
            prune_min: false,
            label_cap: 0,
            relax_totals: false,
            we_price: 0,
            caps: &[],
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
        if c < r {
            self.wu[k] * (r - c)
        } else {
            self.wo[k] * (c - r)
        }
    }

    /// How many employees cover each (day, slot) in `asg`: [day * nslots + slot].
    fn cover_counts(&self, asg: &[u8]) -> Vec<i64> {
        let mut cnt = vec![0i64; self.d * self.nslots];
        for e in 0..self.e {
            for day in 0..self.d {
                let v = asg[e * self.d + day];
                if v != OFF {
                    for &k in &self.covers[usize::from(v)] {
                        cnt[day * self.nslots + k] += 1;
                    }
                }
            }
        }
        cnt
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
        let mut soft = 0i64;
        let mut hard = self.run_terms(e, row, 0);
        let mut minutes = 0u32;
        let mut weekends = 0u32;
        let mut last_we = u32::MAX;
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
            }
        }
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

    /// The parts of employee `e`'s score that depend on their totals only (per-type
    /// maxima, minutes, weekends, weekly minutes, contract target): (soft, hard), as in
    /// [`Data::eval_emp`].
    #[inline]
    fn total_terms(&self, t: &Totals, e: usize) -> (i64, i64) {
        let minutes = t.minutes[e];
        let mut hard = t.type_hard[e] + t.week_hard[e];
        if minutes < self.min_minutes[e] {
            hard += i64::from((self.min_minutes[e] - minutes).div_ceil(240));
        }
        if minutes > self.max_minutes[e] {
            hard += i64::from((minutes - self.max_minutes[e]).div_ceil(240));
        }
        if t.weekends[e] > self.max_we[e] {
            hard += i64::from(t.weekends[e] - self.max_we[e]);
        }
        let soft = self.target[e].map_or(0, |target| {
            i64::from(minutes.abs_diff(target).div_ceil(60)) * self.target_w
        });
        (soft, hard)
    }

    /// Hard units of forbidden successions and run lengths within `seg`, employee `e`'s
    /// days `[l, l + seg.len())`, which must start and end on a boundary between working
    /// and off (or at the horizon's ends); with the whole row, that part of
    /// [`Data::eval_emp`].
    fn run_terms(&self, e: usize, seg: &[u8], l: usize) -> i64 {
        let (maxc, minc, mino) = (self.max_cons[e], self.min_cons[e], self.min_off[e]);
        let mut hard = 0;
        let mut run_work = seg[0] != OFF;
        let mut run_len = 0u32;
        let mut run_start = l;
        let mut prev = OFF;
        for (i, &v) in seg.iter().enumerate() {
            let working = v != OFF;
            if working && prev != OFF && self.forb[usize::from(prev) * self.s + usize::from(v)] {
                hard += 1;
            }
            if working == run_work {
                run_len += 1;
            } else {
                hard += run_penalty(run_work, run_len, run_start == 0, false, maxc, minc, mino);
                run_work = working;
                run_len = 1;
                run_start = l + i;
            }
            prev = v;
        }
        let at_end = l + seg.len() == self.d;
        hard + run_penalty(run_work, run_len, run_start == 0, at_end, maxc, minc, mino)
    }
}

/// What an employee's row holds outside the window `[a, b)`: minutes, shifts per type,
/// and the weekends worked (ids, ascending).
fn outside_window(data: &Data, row: &[u8], a: usize, b: usize) -> (u32, Vec<u32>, Vec<u32>) {
    let mut minutes = 0;
    let mut types = vec![0u32; data.s];
    let mut weekends = Vec::new();
    for (day, &v) in row.iter().enumerate() {
        if (day < a || day >= b) && v != OFF {
            minutes += data.minutes[usize::from(v)];
            types[usize::from(v)] += 1;
            if data.weekend[day] != u32::MAX {
                weekends.push(data.weekend[day]);
            }
        }
    }
    weekends.dedup();
    (minutes, types, weekends)
}

fn gcd(a: u32, b: u32) -> u32 {
    if b == 0 { a } else { gcd(b, a % b) }
}

#[inline]
fn run_penalty(
    work: bool,
    len: u32,
    at_start: bool,
    at_end: bool,
    maxc: u32,
    minc: u32,
    mino: u32,
) -> i64 {
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

/// Per-employee totals of a roster (minutes, shifts per type, weekends, weekly minutes)
/// and the hard units they cost, kept up to date by every cell change, so an annealing
/// move is scored from the days it touched and these totals instead of the whole row: on
/// a year-long roster a move touches a few of 364 days.
#[derive(Clone, Debug, PartialEq)]
struct Totals {
    /// [e]
    minutes: Vec<u32>,
    /// Shifts per type: [e * s + t].
    types: Vec<u32>,
    /// Hard units over the per-type maxima: [e].
    type_hard: Vec<i64>,
    /// Days worked in each weekend: [e * nwe + w].
    we_days: Vec<u8>,
    /// Weekends with at least one day worked: [e].
    weekends: Vec<u32>,
    /// Minutes per calendar week, only with a weekly maximum: [e * nweeks + w].
    week_minutes: Vec<u32>,
    /// Hard units over the weekly maximum: [e].
    week_hard: Vec<i64>,
}

impl Totals {
    fn new(data: &Data, asg: &[u8]) -> Self {
        let weekly = data.max_week.is_some();
        let mut t = Totals {
            minutes: vec![0; data.e],
            types: vec![0; data.e * data.s],
            type_hard: vec![0; data.e],
            we_days: vec![0; data.e * data.nwe],
            weekends: vec![0; data.e],
            week_minutes: vec![0; if weekly { data.e * data.nweeks } else { 0 }],
            week_hard: vec![0; data.e],
        };
        for e in 0..data.e {
            for day in 0..data.d {
                t.change(data, e, day, OFF, asg[e * data.d + day]);
            }
        }
        t
    }

    /// Employee `e`'s cell on `day` goes from `old` to `new`.
    #[inline]
    fn change(&mut self, data: &Data, e: usize, day: usize, old: u8, new: u8) {
        let week_excess = |m: u32, max: u32| i64::from(m.saturating_sub(max).div_ceil(240));
        let we = data.weekend[day];
        for (v, add) in [(old, false), (new, true)] {
            if v == OFF {
                continue;
            }
            let vi = usize::from(v);
            let len = data.minutes[vi];
            let max = data.max_shifts[e][vi];
            let c = &mut self.types[e * data.s + vi];
            if add {
                self.minutes[e] += len;
                *c += 1;
                if *c > max {
                    self.type_hard[e] += 1;
                }
            } else {
                self.minutes[e] -= len;
                if *c > max {
                    self.type_hard[e] -= 1;
                }
                *c -= 1;
            }
            if we != u32::MAX {
                let w = &mut self.we_days[e * data.nwe + we as usize];
                if add {
                    *w += 1;
                    if *w == 1 {
                        self.weekends[e] += 1;
                    }
                } else {
                    *w -= 1;
                    if *w == 0 {
                        self.weekends[e] -= 1;
                    }
                }
            }
            if let Some(mw) = data.max_week {
                let m = &mut self.week_minutes[e * data.nweeks + data.week[day]];
                self.week_hard[e] -= week_excess(*m, mw);
                if add {
                    *m += len;
                } else {
                    *m -= len;
                }
                self.week_hard[e] += week_excess(*m, mw);
            }
        }
    }
}

/// One search state.
#[derive(Clone)]
struct State {
    asg: Vec<u8>,
    cnt: Vec<i64>,
    tot: Totals,
    soft_e: Vec<i64>,
    hard_e: Vec<i64>,
    cover: i64,
    soft: i64,
    hard: i64,
}

impl State {
    fn new(data: &Data, asg: Vec<u8>, counts: &mut [u32], weeks: &mut [u32]) -> Self {
        let cnt = data.cover_counts(&asg);
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
        let tot = Totals::new(data, &asg);
        State {
            asg,
            cnt,
            tot,
            soft_e,
            hard_e,
            cover,
            soft,
            hard,
        }
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
    /// Scratch for an employee's days before a move ([`Self::move_delta`]).
    seg: Vec<u8>,
    cost_buf: Vec<i64>,
    /// Learned per-(employee, type) prices for the per-type maxima.
    prices: Vec<i64>,
    priced: Vec<bool>,
    problem_for_debug: Option<&'a Problem>,
    /// Time spent in [`Self::exact_step`] and [`Self::fix_step`].
    exact_time: Duration,
    /// Time spent in [`Self::exact_step`] alone.
    colgen_time: Duration,
    sizer: fixopt::Sizer,
    /// The root LP value of the last column-generation call that converged.
    lp_bound: Option<f64>,
    /// Steps in 100 that change a cell on a cover line with a cost (see [`AIMED_SHARE`]).
    aimed_share: u32,
}

impl<'a> Worker<'a> {
    fn new(data: &'a Data, init: &[u8], seed: u64, thread: usize) -> Self {
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
            temp: T_HOT,
            iterations: 0,
            undo: Vec::with_capacity(32),
            seg: Vec::with_capacity(64),
            cost_buf: Vec::new(),
            prices: vec![0; data.e * data.s],
            priced: vec![false; data.e],
            problem_for_debug: None,
            exact_time: Duration::ZERO,
            colgen_time: Duration::ZERO,
            sizer: fixopt::Sizer::new(data),
            lp_bound: None,
            aimed_share: if data.small() { 0 } else { AIMED_SHARE },
        }
    }

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
        self.st.tot.change(data, e, day, old, v);
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
    fn roll_back_cells(&mut self) {
        let undo = std::mem::take(&mut self.undo);
        for &(e, day, old) in undo.iter().rev() {
            self.set_cell(e, day, old);
        }
        self.undo = undo;
    }

    fn rescore(&mut self, e: usize) -> (i64, i64) {
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
    fn move_delta(&mut self, e: usize, before: (i64, i64)) -> (i64, i64) {
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
    fn step(&mut self) {
        let data = self.data;
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
        } else if kind < 40 {
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
            before2 = data.total_terms(&self.st.tot, e2);
            let len = if kind < 60 {
                1
            } else {
                self.rng.random_range(2..=7usize.min(d))
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
            let len = self.rng.random_range(2..=5usize.min(d).max(2)).min(d);
            let start = self.rng.random_range(0..=d - len);
            let v = if self.rng.random_range(0..3u32) == 0 {
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

    /// Cost of each value on each day of `[a, b)` for employee `e` against everyone else's
    /// cover (`cost[i*(s+1)+v]`, `i64::MAX` = not allowed), plus up to `noise` at random.
    fn window_costs(&mut self, e: usize, a: usize, b: usize, noise: i64, cost: &mut Vec<i64>) {
        let data = self.data;
        let (d, n1, ns) = (data.d, data.s + 1, data.nslots);
        let len = b - a;
        cost.clear();
        cost.resize(len * n1, 0);
        for i in 0..len {
            let day = a + i;
            let cur = self.st.asg[e * d + day];
            for v in 0..n1 {
                let vb = if v == data.s { OFF } else { v as u8 };
                if !data.is_allowed(e, day, vb) {
                    cost[i * n1 + v] = i64::MAX;
                    continue;
                }
                let mut c = data.pref[(e * d + day) * n1 + v];
                if v < data.s {
                    for &k in &data.covers[v] {
                        let idx = day * ns + k;
                        let mut others = self.st.cnt[idx];
                        if cur != OFF && data.covers[usize::from(cur)].contains(&k) {
                            others -= 1;
                        }
                        c += data.cover_cost(idx, others + 1) - data.cover_cost(idx, others);
                    }
                }
                if noise > 0 {
                    c += self.rng.random_range(0..=noise);
                }
                cost[i * n1 + v] = c;
            }
        }
    }

    /// Re-plans employee `e` on days `[a, b)` as a best response to everyone else; the
    /// cells are changed in place (with undo records). Returns false if no path exists.
    fn replan(&mut self, e: usize, a: usize, b: usize, noise: i64) -> bool {
        self.replan_with(e, a, b, noise, None)
    }

    /// As [`Self::replan`]; `share` replaces the employee's minute and weekend limits by
    /// (min minutes, max minutes, max weekends) for building a roster window by window.
    #[allow(clippy::needless_range_loop)]
    fn replan_with(
        &mut self,
        e: usize,
        a: usize,
        b: usize,
        noise: i64,
        share: Option<(u32, u32, u32)>,
    ) -> bool {
        let data = self.data;
        let (d, n1) = (data.d, data.s + 1);
        let len = b - a;
        let mut cost = std::mem::take(&mut self.cost_buf);
        self.window_costs(e, a, b, noise, &mut cost);
        let row = &self.st.asg[e * d..(e + 1) * d];
        let (out_minutes, out_types, out_we) = outside_window(data, row, a, b);
        let (min_minutes, max_minutes, max_we) =
            share.unwrap_or((data.min_minutes[e], data.max_minutes[e], data.max_we[e]));
        // Per-type maxima are priced, not modelled as states: raise the price of a type
        // that comes out over its maximum and plan again (a few rounds).
        let mut result = None;
        let mut chosen: Option<(u32, Vec<u8>)> = None;
        let base_excess: u32 = (0..data.s)
            .map(|t| out_types[t].saturating_sub(data.max_shifts[e][t]))
            .sum();
        let base_cap = (if share.is_some() || b - a == d {
            CONSTRUCT_BUDGET
        } else {
            LNS_BUDGET
        } / (len * n1))
            .clamp(100, 3000);
        let full = b - a == d;
        let rounds = if full { 10 } else { 3 };
        // Start from the prices learned for this employee in earlier full re-plans.
        let mut prices: Vec<i64> = self.prices[e * data.s..(e + 1) * data.s].to_vec();
        if full && !self.priced[e] {
            // First full plan: types whose maximum is below the horizon start at a price
            // of one under-cover unit, so the DP does not pile onto them.
            for t in 0..data.s {
                let m = data.max_shifts[e][t];
                if m > 0 && (m as usize) < d {
                    prices[t] = HARD_WEIGHT / 4;
                }
            }
            self.priced[e] = true;
        }
        for t in 0..data.s {
            if prices[t] != 0 {
                for i in 0..len {
                    if cost[i * n1 + t] != i64::MAX {
                        cost[i * n1 + t] += prices[t];
                    }
                }
            }
        }
        for _round in 0..rounds {
            for (prune_min, cap) in [(true, base_cap), (false, base_cap), (false, base_cap * 8)] {
                let w = crate::dp::Window {
                    max_we,
                    min_minutes,
                    max_minutes,
                    out_minutes,
                    out_weekends: out_we.len() as u32,
                    prune_min,
                    label_cap: cap,
                    ..data.window(e, a, b, &cost, row)
                };
                result = crate::dp::best_response(&w);
                if result.is_some() {
                    break;
                }
            }
            let Some((values, _)) = &result else { break };
            let mut counts = out_types.clone();
            let mut minutes = out_minutes;
            for &v in values {
                if v != OFF {
                    counts[usize::from(v)] += 1;
                    minutes += data.minutes[usize::from(v)];
                }
            }
            let excess: u32 = (0..data.s)
                .map(|t| counts[t].saturating_sub(data.max_shifts[e][t]))
                .sum();
            let badness = excess + min_minutes.saturating_sub(minutes).div_ceil(240);
            if chosen.as_ref().is_none_or(|(b, _)| badness < *b) {
                chosen = Some((badness, values.clone()));
            }
            if excess <= base_excess {
                break;
            }
            // Raise (double) the price of every type that came out over its maximum.
            for t in 0..data.s {
                if counts[t] > data.max_shifts[e][t] {
                    let price = if prices[t] == 0 {
                        HARD_WEIGHT / 4
                    } else {
                        prices[t].min(HARD_WEIGHT * 16)
                    };
                    prices[t] += price;
                    for i in 0..len {
                        if cost[i * n1 + t] != i64::MAX {
                            cost[i * n1 + t] += price;
                        }
                    }
                }
            }
        }
        if full {
            self.prices[e * data.s..(e + 1) * data.s].copy_from_slice(&prices);
        }
        self.cost_buf = cost;
        let Some((_, values)) = chosen else {
            return false;
        };
        for (i, v) in values.into_iter().enumerate() {
            self.st.cover += self.set_cell(e, a + i, v);
        }
        true
    }

    /// Re-plans employee `e` on `[a, b)` so that their own hard rules hold, as cheaply as
    /// possible against everyone else: a Lagrangian DP whose state is only (last shift, run),
    /// with total minutes, weekends and per-type counts priced, the prices moved by
    /// subgradient steps until the row keeps every limit. Cheap on a whole year, where the
    /// exact DP's minute × weekend states cannot all be kept. Cells are changed in place
    /// (with undo records) only if a row within all limits was found.
    #[allow(clippy::needless_range_loop)]
    fn replan_priced(&mut self, e: usize, a: usize, b: usize, rounds: usize) -> bool {
        let data = self.data;
        let (d, n1, s) = (data.d, data.s + 1, data.s);
        let len = b - a;
        let mut base = Vec::new();
        self.window_costs(e, a, b, 0, &mut base);
        let mut row: Vec<u8> = self.st.asg[e * d..(e + 1) * d].to_vec();
        let (out_minutes, _, _) = outside_window(data, &row, a, b);
        let (min_m, max_m, max_we) = (data.min_minutes[e], data.max_minutes[e], data.max_we[e]);
        // Prices: per hour worked (negative = a reward), per weekend, per shift of a type.
        let mut lambda = 0f64;
        let mut step_l = (HARD_WEIGHT / 64) as f64;
        let mut mu = 0f64;
        let mut step_mu = (HARD_WEIGHT / 8) as f64;
        let mut type_price = vec![0f64; s];
        // A small fixed perturbation per cell: with many days alike (an empty roster, a flat
        // cover) the priced DP would otherwise jump between "work every day" and "never"
        // for the same price; with it the response moves a few days at a time.
        let jitter: Vec<i64> = (0..len * n1)
            .map(|_| self.rng.random_range(0..=HARD_WEIGHT / 16))
            .collect();
        let mut cost = vec![0i64; len * n1];
        // Best row by (limits broken, cost); limits broken is 0 for a row within all limits.
        let mut best: Option<((u32, i64), Vec<u8>)> = None;
        let mut last_sign = 0i32;
        for _round in 0..rounds {
            for i in 0..len {
                for v in 0..n1 {
                    let c = base[i * n1 + v];
                    cost[i * n1 + v] = if c == i64::MAX || v == s {
                        c
                    } else {
                        c + jitter[i * n1 + v]
                            + (lambda * f64::from(data.minutes[v]) / 60.0 + type_price[v]).round()
                                as i64
                    };
                }
            }
            let w = crate::dp::Window {
                max_we,
                min_minutes: min_m,
                max_minutes: max_m,
                target: None,
                target_w: 0,
                out_minutes,
                relax_totals: true,
                we_price: mu.round() as i64,
                ..data.window(e, a, b, &cost, &row)
            };
            let Some((values, _)) = crate::dp::best_response(&w) else {
                break;
            };
            row[a..b].copy_from_slice(&values);
            let mut minutes = 0u32;
            let mut counts = vec![0u32; s];
            let mut weekends = 0u32;
            let mut last_we = u32::MAX;
            let mut true_cost = 0i64;
            for (day, &v) in row.iter().enumerate() {
                if v == OFF {
                    if day >= a && day < b {
                        true_cost += base[(day - a) * n1 + s];
                    }
                    continue;
                }
                minutes += data.minutes[usize::from(v)];
                counts[usize::from(v)] += 1;
                let wk = data.weekend[day];
                if wk != u32::MAX && wk != last_we {
                    weekends += 1;
                    last_we = wk;
                }
                if day >= a && day < b {
                    true_cost += base[(day - a) * n1 + usize::from(v)];
                }
            }
            if let Some(t) = data.target[e] {
                true_cost += i64::from(minutes.abs_diff(t).div_ceil(60)) * data.target_w;
            }
            let over_types: Vec<usize> = (0..s)
                .filter(|&t| counts[t] > data.max_shifts[e][t])
                .collect();
            let broken = min_m.saturating_sub(minutes).div_ceil(240)
                + minutes.saturating_sub(max_m).div_ceil(240)
                + weekends.saturating_sub(max_we)
                + over_types
                    .iter()
                    .map(|&t| counts[t] - data.max_shifts[e][t])
                    .sum::<u32>();
            if best.as_ref().is_none_or(|(c, _)| (broken, true_cost) < *c) {
                best = Some(((broken, true_cost), values));
            }
            if broken == 0 {
                // Found: relax the prices a little towards zero to look for a cheaper row.
                lambda *= 0.8;
                mu *= 0.8;
                type_price.iter_mut().for_each(|p| *p *= 0.8);
                if _round + 3 >= rounds {
                    break;
                }
                continue;
            }
            let sign = if minutes < min_m {
                -1
            } else if minutes > max_m {
                1
            } else {
                0
            };
            if sign != 0 {
                if sign == -last_sign {
                    step_l *= 0.6;
                } else if sign == last_sign {
                    step_l *= 1.3;
                }
                lambda += f64::from(sign) * step_l;
                last_sign = sign;
            }
            if weekends > max_we {
                mu += step_mu;
                step_mu *= 1.2;
            }
            for t in over_types {
                type_price[t] +=
                    (HARD_WEIGHT / 8) as f64 * f64::from(counts[t] - data.max_shifts[e][t]).sqrt();
            }
        }
        let Some(((broken, _), values)) = best else {
            return false;
        };
        for (i, v) in values.into_iter().enumerate() {
            self.st.cover += self.set_cell(e, a + i, v);
        }
        broken == 0
    }

    /// Re-plans employee `e` to keep their own hard rules: the Lagrangian DP over the whole
    /// horizon, then, if a limit is still off by a little, the exact DP (minutes as a state)
    /// on a few random four-week windows. Cells change in place with undo records; returns
    /// the employee's new (soft, hard).
    fn fix_employee(&mut self, e: usize) -> (i64, i64) {
        let d = self.data.d;
        self.replan_priced(e, 0, d, 40);
        let mut sh = self.rescore(e);
        let wlen = d.min(28);
        for _ in 0..8 {
            if sh.1 == 0 {
                break;
            }
            let a = self.rng.random_range(0..=d - wlen);
            self.replan(e, a, a + wlen, 0);
            sh = self.rescore(e);
        }
        sh
    }

    /// Repair move: re-plan one employee who breaks a hard rule with [`Self::replan_priced`]
    /// over the whole horizon; kept if the roster's penalised cost does not rise.
    fn repair(&mut self, e: usize) {
        self.undo.clear();
        let before = self.st.soft + HARD_WEIGHT * self.st.hard;
        let old_cover = self.st.cover;
        let (s1, h1) = self.fix_employee(e);
        let soft = self.st.soft - old_cover + self.st.cover + s1 - self.st.soft_e[e];
        let hard = self.st.hard + h1 - self.st.hard_e[e];
        self.iterations += 1;
        if soft + HARD_WEIGHT * hard <= before || h1 < self.st.hard_e[e] {
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
    fn pick_cover_problem(&mut self) -> Option<(usize, usize, usize, bool)> {
        let data = self.data;
        let (d, ns) = (data.d, data.nslots);
        for _ in 0..8 {
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
    fn lns(&mut self, k: usize) {
        let data = self.data;
        let (d, ne) = (data.d, data.e);
        let wlen = if d <= 28 { d } else { 28 };
        // Half the moves aim at a cover line that costs something: the window holds its day
        // and the first employee freed is one who could change it (off that day if it is
        // short, on it if it is over).
        let small = data.small();
        let focus = if small && self.rng.random_range(0..2u32) == 0 {
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
        let before = self.st.soft + HARD_WEIGHT * self.st.hard;
        let old_cover = self.st.cover;
        for &e in &emps {
            for day in a..b {
                self.st.cover += self.set_cell(e, day, OFF);
            }
        }
        let noise = if self.rng.random_range(0..4u32) == 0 {
            2
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
        let after = soft + HARD_WEIGHT * hard;
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

    /// Builds a first roster: every employee re-planned in turn (twice), accepted as is.
    fn construct(&mut self, deadline: Instant) {
        let data = self.data;
        let d = data.d;
        let mut order: Vec<usize> = (0..data.e).collect();
        for _pass in 0..2 {
            for i in (1..order.len()).rev() {
                let j = self.rng.random_range(0..=i);
                order.swap(i, j);
            }
            if _pass == 1 && Instant::now() >= deadline {
                break;
            }
            for &e in &order.clone() {
                let wlen = d;
                let total_we = data
                    .weekend
                    .iter()
                    .filter(|&&w| w != u32::MAX)
                    .max()
                    .map_or(0, |&w| w + 1);
                let mut a = 0;
                while a < d {
                    let b = (a + wlen).min(d);
                    self.undo.clear();
                    let share = if _pass == 0 && b < d {
                        // Cumulative share of the limits up to day b.
                        let f = |x: u32| (u64::from(x) * b as u64 / d as u64) as u32;
                        let we_to_b = data.weekend[..b]
                            .iter()
                            .filter(|&&w| w != u32::MAX)
                            .max()
                            .map_or(0, |&w| w + 1);
                        let we = if total_we == 0 {
                            0
                        } else {
                            (u64::from(data.max_we[e]) * u64::from(we_to_b))
                                .div_ceil(u64::from(total_we)) as u32
                        };
                        Some((
                            f(data.min_minutes[e]),
                            f(data.max_minutes[e]).max(f(data.min_minutes[e])),
                            we,
                        ))
                    } else {
                        None
                    };
                    self.replan_with(e, a, b, 0, share);
                    a = b;
                }
                let (s1, h1) = self.rescore(e);
                self.st.soft_e[e] = s1;
                self.st.hard_e[e] = h1;
                if h1 > 0 {
                    // The exact DP had to cut labels (long horizon): plan this employee
                    // with the Lagrangian DP instead, if that keeps their rules.
                    let keep: Vec<u8> = self.st.asg[e * d..(e + 1) * d].to_vec();
                    self.undo.clear();
                    let (s2, h2) = self.fix_employee(e);
                    if h2 < h1 || (h2 == h1 && s2 < s1) {
                        self.st.soft_e[e] = s2;
                        self.st.hard_e[e] = h2;
                    } else {
                        for (day, &v) in keep.iter().enumerate() {
                            self.st.cover += self.set_cell(e, day, v);
                        }
                    }
                }
            }
        }
        self.st.soft = self.st.soft_e.iter().sum::<i64>() + self.st.cover;
        self.st.hard = self.st.hard_e.iter().sum();
        self.undo.clear();
        if std::env::var_os("ROSTER_DEBUG").is_some() {
            let bad: Vec<(usize, i64)> = (0..data.e)
                .filter(|&e| self.st.hard_e[e] > 0)
                .map(|e| (e, self.st.hard_e[e]))
                .collect();
            eprintln!(
                "construct: soft {} hard {} {:?}",
                self.st.soft, self.st.hard, bad
            );
            if let Some(p) = &self.problem_for_debug {
                let r = to_roster(data, &self.st.asg);
                for v in crate::check::check(p, &r).violations.iter().take(12) {
                    eprintln!("  {}", crate::check::Describe(p, v));
                }
            }
        }
        self.record_best();
    }

    /// The exact part (`Data::exact`), at the end of every annealing cycle: column
    /// generation, dives and the restricted-master MIP (`colgen`) from this thread's best
    /// roster; a better roster found there becomes the current one.
    fn exact_step(&mut self, pool: &mut colgen::Pool, end: Instant, timed: bool, branch: bool) {
        let Some((f, asg)) = self.best.clone() else {
            return;
        };
        let budget = colgen::Budget {
            rounds: COLGEN_ROUNDS,
            dive_rounds: DIVE_ROUNDS,
            perturb: COLGEN_PERTURB,
            dives: COLGEN_DIVES,
            branch_nodes: if branch { BRANCH_NODES } else { 0 },
            mip_nodes: MIP_NODES,
            mip_time: if timed {
                Duration::from_secs_f64(MIP_SECONDS)
            } else {
                Duration::MAX
            },
            deadline: end,
            debug: self.problem_for_debug.is_some(),
        };
        let started = Instant::now();
        let out = colgen::improve(self.data, pool, (f, &asg), &budget, &mut self.rng);
        if let Some(a) = out.asg {
            self.load(&a);
            self.record_best();
        }
        if out.converged {
            self.lp_bound = Some(out.lp);
        }
        let spent = started.elapsed();
        self.exact_time += spent;
        self.colgen_time += spent;
        if self.problem_for_debug.is_some() {
            eprintln!(
                "colgen: lp {:.1} columns {} dives {} best {:?} {:.2}s",
                out.lp,
                out.columns,
                out.dives,
                self.best.as_ref().map(|b| b.0),
                started.elapsed().as_secs_f64()
            );
        }
    }

    /// Fix-and-optimise from this thread's best roster (`fixopt`), starting parts until
    /// `end`, none running past `run_end`; a better roster found there becomes the
    /// current one.
    fn fix_step(&mut self, end: Instant, run_end: Instant, timed: bool) {
        let Some(best) = self.best.clone() else {
            return;
        };
        let effort = fixopt::Effort {
            end,
            hard_end: run_end,
            timed,
            nodes: FIX_NODES,
            cap: Duration::from_secs_f64(FIX_SECONDS),
            parts: if timed { usize::MAX } else { FIX_PARTS },
        };
        let started = Instant::now();
        let debug = self.problem_for_debug.is_some();
        if let Some((_, a)) = fixopt::improve(
            self.data,
            best,
            &mut self.rng,
            &mut self.sizer,
            &effort,
            debug,
        ) {
            self.load(&a);
            self.record_best();
        }
        self.exact_time += started.elapsed();
    }

    /// The exact parts (`Data::exact`, or fix-and-optimise alone with `Data::fix_large`),
    /// at a cycle end. With a time limit, once the annealing has had `ANNEAL_FIRST`
    /// seconds (large problems: `LARGE_ANNEAL_SHARE` of the run), they keep the thread to
    /// the end of the run: fix-and-optimise in chunks, with column generation before each
    /// chunk while it is within its share of the elapsed time and its LP is close to the
    /// best roster (its pool grows from call to call); they stop early when the best
    /// roster reaches the target. With an epoch budget: one call of each per cycle end.
    fn exact_parts(&mut self, pool: &mut colgen::Pool, t0: Instant, opts: &SolveOptions) {
        // With an epoch budget the run must not depend on the clock: the MIPs then stop
        // on their node limits only.
        let (seconds, timed) = (opts.seconds, opts.max_epochs.is_none());
        let run_end = t0 + Duration::from_secs_f64(seconds);
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
        loop {
            let within_share = !timed
                || self.colgen_time.as_secs_f64() <= EXACT_SHARE * t0.elapsed().as_secs_f64();
            if colgen && within_share && self.lp_is_close() {
                // One call may take at most the same share of the whole run.
                let end = if timed {
                    run_end.min(Instant::now() + Duration::from_secs_f64(EXACT_SHARE * seconds))
                } else {
                    run_end
                };
                let branch = timed && seconds >= BRANCH_SECONDS;
                self.exact_step(pool, end, timed, branch);
            }
            if !timed {
                self.fix_step(run_end, run_end, timed);
                return;
            }
            if Instant::now() >= run_end || reached(self) {
                return;
            }
            let anneal = t0.elapsed().saturating_sub(self.exact_time).as_secs_f64();
            if !colgen && anneal < LARGE_ANNEAL_SHARE * seconds {
                return;
            }
            if anneal < ANNEAL_FIRST {
                // Until the annealing has had its first seconds, fix-and-optimise gets as
                // long as the annealing had so far, then the annealing goes on.
                let end = run_end.min(Instant::now() + Duration::from_secs_f64(anneal));
                self.fix_step(end, run_end, timed);
                return;
            }
            let chunk = (FIX_CHUNK * seconds).max(FIX_SECONDS);
            let end = run_end.min(Instant::now() + Duration::from_secs_f64(chunk));
            self.fix_step(end, run_end, timed);
        }
    }

    /// Whether column generation is worth another call: its root LP has not converged
    /// yet, or it is within `COLGEN_GAP` of this thread's best roster. Where the LP is far
    /// below every roster (a large integrality gap) its dives end far off and
    /// fix-and-optimise does better with the time.
    fn lp_is_close(&self) -> bool {
        match (self.lp_bound, &self.best) {
            (Some(lp), Some((f, _))) => (*f as f64 - lp) <= COLGEN_GAP * (*f as f64).abs(),
            _ => true,
        }
    }

    fn load(&mut self, asg: &[u8]) {
        self.st = State::new(self.data, asg.to_vec(), &mut self.counts, &mut self.weeks);
    }
}

/// The length in epochs of the annealing cycle that starts now, with a time limit:
/// `doubled` (twice the last one), unless the time left would not hold this cycle and the
/// next one (`FILL_WITHIN` × `doubled` epochs at `rate` epochs per second); then one cycle
/// that ends with the time limit (`FILL_SHARE` of the epochs that fit), so the run ends
/// cold at the end of a cycle rather than cut off part way through one that started hot.
fn cycle_length(doubled: u64, rate: f64, seconds_left: f64) -> u64 {
    let fits = (rate * seconds_left * FILL_SHARE) as u64;
    if fits < FILL_WITHIN * doubled {
        fits.max(1)
    } else {
        doubled
    }
}

/// Epoch length in iterations, fixed per problem size so the run is a function of the
/// seed and the epoch count. It was about a fifth of a second of work when it was set
/// (run 2); the annealing steps have become much cheaper since (Instance 24: about 6 000
/// epochs in a 60 s run, run 20).
fn epoch_iterations(data: &Data) -> u64 {
    (4_000_000 / (data.d as u64 + 8)).max(1_000)
}

/// After how many blocks of annealing steps (16 per epoch, counted across epochs) a
/// large-neighbourhood move follows: after every block on horizons of at most four
/// weeks; on longer ones about every [`STEPS_PER_LNS_PER_TYPE`] × shift types steps (at
/// least four types' worth).
fn lns_every(data: &Data, epoch_iters: u64) -> u64 {
    if data.d <= 28 {
        return 1;
    }
    let steps = STEPS_PER_LNS_PER_TYPE * data.s.max(4) as u64;
    (steps / (epoch_iters / 16).max(1)).max(1)
}

/// Epochs in the first annealing cycle. The temperature falls from hot to cold over one
/// cycle, then every thread restarts from the best roster found so far; each cycle is twice
/// as long as the one before, so short and long runs both get complete cycles. With a time
/// limit the last cycle is fitted to the time left (`cycle_length`).
const FIRST_CYCLE_EPOCHS: u64 = 2;
/// `cycle_length`: the last cycle is planned to use this share of the epochs that fit in
/// the time left (the speed is measured over the epochs so far), and it is planned once
/// the time left holds less than `FILL_WITHIN` times the doubled cycle. Curtois Instances
/// 21–24 at 60 s, seeds 1 and 2: 2–9 % better than doubling to the end; 15–19 level
/// (docs/benchmarks-roster.md, run 20).
const FILL_SHARE: f64 = 0.97;
const FILL_WITHIN: u64 = 3;
/// Label budgets of the DP (labels per day × days × values): the cheapest labels per day
/// are kept, which bounds the time of one re-plan.
const LNS_BUDGET: usize = 400_000;
/// Steps in 100 that change a cell on a cover line with a cost, out of the 40 that change
/// one cell, on instances that are not small (run 19: on 12, 13, 15 and 18–20, 23 better
/// at 20 s, on 21 worse; small instances keep the cover-aimed large-neighbourhood moves).
const AIMED_SHARE: u32 = 20;
const CONSTRUCT_BUDGET: usize = 1_000_000;

/// Large-neighbourhood moves after each block of annealing steps (16 blocks per epoch)
/// that is followed by one ([`lns_every`]).
const LNS_PER_STEP: usize = 1;
/// Annealing steps per large-neighbourhood move and shift type on horizons over four
/// weeks. Since moves are scored from the days they touch, a step on a year-long roster
/// costs about 2 µs and one large-neighbourhood move (the DP over 28 days for 1–3
/// employees) some milliseconds, more the more shift types there are (values per day, and
/// labels per value), so a move after every block took most of the run there. Run 18:
/// one move per 10 000 steps beat one after every block on Curtois 15, 19, 22 and 24 at
/// 60 s in 8 of 8 runs. Run 22: on 24 (32 types) the DP still took over half the time
/// at that spacing; on 23 (16 types) and 24 one move per 44 000–88 000 steps was 12–17 %
/// better, while on 17, 18 and 20 (3–6 types) one per 80 000 was about 6 % worse
/// (docs/benchmarks-roster.md).
const STEPS_PER_LNS_PER_TYPE: u64 = 2_500;
/// Column generation (`colgen`, where `Data::exact` holds): pricing rounds of the root LP
/// and of each dive step, dives per call, and the restricted-master MIP's node limit and
/// (with a time limit only) its time cap. Eight dives rather than four: more chances to find
/// Curtois Instance 6's optimum 1950 over its LP of 1949,0 (docs/benchmarks-roster.md,
/// run 12).
const COLGEN_ROUNDS: usize = 60;
const DIVE_ROUNDS: usize = 10;
const COLGEN_DIVES: usize = 8;
/// Perturbed pricing rounds per call (see `colgen::Budget::perturb`).
const COLGEN_PERTURB: usize = 20;
const MIP_NODES: i32 = 500;
/// Nodes of the branching on work status per column-generation call (`colgen::branch`,
/// since run 24), within the call's exploring share of its time, with a time limit of at
/// least `BRANCH_SECONDS` (epoch budgets: none, so those runs are as before). Curtois
/// Instance 7 at 60 s: its optimum 1056 on 16 of 16 seeds, against about half the runs
/// before; 1–6 and 8–11 at their optima or better (8: 1304–1305 against 1309). At 10 s it
/// took the dives' time and made 9 and 11 worse (seeds 1–3: 557–667 against 447–540,
/// 3510–3619 against 3443; docs/benchmarks-roster.md, run 24).
const BRANCH_NODES: usize = 300;
const BRANCH_SECONDS: f64 = 60.0;
const MIP_SECONDS: f64 = 5.0;
/// Largest share of a thread's elapsed time that goes to column generation (time-limited
/// runs). Counted apart from fix-and-optimise, so column generation is called again
/// between fix-and-optimise's chunks (its pool grows from call to call) rather than once
/// at the start. At 0.3 a 60 s run's first call was cut at 18 s, before its eighth dive
/// and its MIP; at 0.6 Curtois Instance 7 reached its optimum 1056 on 5 of 14 seeds
/// and 1057 on the rest, against 2 of 14 and up to 1059 (docs/benchmarks-roster.md,
/// run 16).
const EXACT_SHARE: f64 = 0.6;
/// Column generation is called again only while its root LP is within this share of the
/// thread's best roster (see `Worker::lp_is_close`).
const COLGEN_GAP: f64 = 0.02;
/// Fix-and-optimise (`fixopt`): with a time limit, once the annealing has had
/// `ANNEAL_FIRST` seconds, it runs in chunks of `FIX_CHUNK` of the limit (at least
/// `FIX_SECONDS`) to the end of the run; before that, each cycle end gives it as long as
/// the annealing had so far (see `Worker::exact_parts`). Each part's MIP stops after
/// `FIX_NODES` nodes or `FIX_SECONDS`. With an epoch budget a call solves `FIX_PARTS`
/// parts, each stopped by the node limit only. `ANNEAL_FIRST`: the annealing's early
/// seconds give the exact parts a good start; with the exact parts taking over after its
/// first cycle (2 epochs, under a second), 10 s runs got far worse (Instance 7: 1412
/// against 1061, docs/benchmarks-roster.md, run 12).
const FIX_CHUNK: f64 = 0.1;
/// Shortest time limit with which medium problems get the exact parts (`Data::exact`).
const MEDIUM_SECONDS: f64 = 60.0;
const ANNEAL_FIRST: f64 = 4.0;
/// Large problems (`Data::fix_large`): the share of the run the annealing has alone
/// before fix-and-optimise takes over (at the first cycle end after it). The annealing
/// is the faster way down from the constructed roster; fix-and-optimise then gets
/// further than more annealing. On Curtois Instance 13 at 60 s, seeds 1–3, in a trial
/// build: 0,3 gave 2635, 2988, 2631, 0,05 gave 3387, 2947, 3149, and the annealing
/// alone 2863, 3251, 3147 (docs/benchmarks-roster.md, run 17).
const LARGE_ANNEAL_SHARE: f64 = 0.3;
const FIX_NODES: i32 = 500;
const FIX_SECONDS: f64 = 2.0;
const FIX_PARTS: usize = 16;
const T_HOT: f64 = 30.0;
const T_COLD: f64 = 0.3;

fn to_roster(data: &Data, asg: &[u8]) -> Roster {
    Roster {
        shifts: (0..data.e)
            .map(|e| {
                (0..data.d)
                    .map(|day| {
                        let v = asg[e * data.d + day];
                        if v == OFF { None } else { Some(usize::from(v)) }
                    })
                    .collect()
            })
            .collect(),
    }
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
    let next_cycle = Mutex::new(FIRST_CYCLE_EPOCHS);
    // When the last thread finished its construction: the annealing's speed is measured
    // from there.
    let anneal_start = Mutex::new(None::<Instant>);
    // Whether the exact parts run at cycle ends (and then keep the thread to the end).
    let runs_exact_parts = data.exact(opts) || data.fix_large(opts);
    // Whether the last cycle is stretched or shrunk to end with the time limit
    // (`cycle_length`); where the exact parts take over, the cycle ends are theirs.
    let fill_last_cycle = opts.max_epochs.is_none() && !runs_exact_parts;
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
                w.problem_for_debug = std::env::var_os("ROSTER_DEBUG").map(|_| problem);
                if data.fix_large(opts) {
                    w.sizer = fixopt::Sizer::large(data);
                }
                if opts.initial.is_none() {
                    w.construct(t0 + Duration::from_secs_f64(seconds * 0.2));
                }
                w.record_best();
                {
                    let mut start = anneal_start.lock().expect("no poisoned lock");
                    let now = Instant::now();
                    *start = Some(start.map_or(now, |s| s.max(now)));
                }
                let mut pool = colgen::Pool::new(data);
                let mut epoch = 0u64;
                let mut cycle_len = FIRST_CYCLE_EPOCHS;
                let mut in_cycle = 0u64;
                let mut blocks = 0u64;
                loop {
                    let phase = in_cycle as f64 / cycle_len as f64;
                    let steps = 16u64;
                    for k in 0..steps {
                        let f = phase + (k as f64 / steps as f64) / cycle_len as f64;
                        w.temp = T_HOT * (T_COLD / T_HOT).powf(f);
                        for _ in 0..epoch_iters / steps {
                            w.step();
                        }
                        // Blocks are counted across epochs: on long horizons the moves
                        // may be more than an epoch apart.
                        let due = blocks.is_multiple_of(lns_every);
                        blocks += 1;
                        if due {
                            for _ in 0..LNS_PER_STEP {
                                let k = w.rng.random_range(1..=3usize);
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
                    if cycle_end && w.problem_for_debug.is_some() {
                        eprintln!(
                            "cycle: thread {t} epoch {epoch} best {:?} {:.2}s",
                            w.best.as_ref().map(|b| b.0),
                            t0.elapsed().as_secs_f64()
                        );
                    }
                    if cycle_end && runs_exact_parts {
                        w.exact_parts(&mut pool, t0, opts);
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
                            let rate = epoch as f64 / start.elapsed().as_secs_f64().max(1e-3);
                            let left = (seconds - t0.elapsed().as_secs_f64()).max(0.0);
                            *next_cycle.lock().expect("no poisoned lock") =
                                cycle_length(cycle_len, rate, left);
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
        seconds: t0.elapsed().as_secs_f64(),
        epochs: epochs_done.into_inner().expect("no poisoned lock"),
        iterations: total_iters.into_inner().expect("no poisoned lock"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A Curtois instance from `../shared` (also used by the `fixopt` tests).
    pub(super) fn instance(n: u32) -> Problem {
        let path = format!(
            "{}/../../../shared/bench/roster/curtois/Instance{n}.txt",
            env!("CARGO_MANIFEST_DIR")
        );
        let text = std::fs::read_to_string(&path).expect("instance file next to the repo");
        crate::curtois::parse_instance("t", &text).expect("instance parses")
    }

    /// The Curtois instances (1–24) for which `pick` holds under these options.
    fn instances_where(
        seconds: f64,
        max_epochs: Option<u64>,
        pick: fn(&Data, &SolveOptions) -> bool,
    ) -> Vec<u32> {
        let opts = SolveOptions {
            seconds,
            max_epochs,
            ..Default::default()
        };
        (1..=24)
            .filter(|&n| pick(&Data::new(&instance(n)), &opts))
            .collect()
    }

    /// The exact parts run on the small Curtois instances, and with a time limit of 60 s
    /// or more also on the two longer ones of the same size (14: 6 weeks, 16: 8 weeks),
    /// where they reached or nearly reached the optima; larger instances keep the
    /// annealing's time (run 14).
    #[test]
    fn exact_parts_run_on_small_problems_and_with_time_on_medium_ones() {
        let with = |seconds, max_epochs| instances_where(seconds, max_epochs, Data::exact);
        let small: Vec<u32> = (1..=11).collect();
        let mut medium = small.clone();
        medium.extend([14, 16]);
        assert_eq!(with(60.0, None), medium);
        assert_eq!(with(45.0, None), small);
        assert_eq!(with(10.0, None), small);
        assert_eq!(with(60.0, Some(4)), small);
    }

    /// Fix-and-optimise alone runs on the four-week instances too large for the exact
    /// parts, and only with a time limit of at least 60 s; its parts start within their
    /// budgets of binaries.
    #[test]
    fn large_problems_get_fix_and_optimise_alone_with_parts_sized_to_fit() {
        let with = |seconds, max_epochs| instances_where(seconds, max_epochs, Data::fix_large);
        let large = vec![12, 13];
        assert_eq!(with(60.0, None), large);
        assert_eq!(with(45.0, None), Vec::<u32>::new());
        assert_eq!(with(60.0, Some(4)), Vec::<u32>::new());
        for n in large {
            let data = Data::new(&instance(n));
            let z = fixopt::Sizer::large(&data);
            assert!(z.days >= 2 && z.emps >= 2, "Instance{n}");
            assert!(z.days * data.e * data.s <= 8000, "Instance{n}");
            assert!(z.emps * data.d * data.s <= 2000, "Instance{n}");
        }
        let z = fixopt::Sizer::large(&Data::new(&instance(13)));
        assert_eq!((z.days, z.emps), (3, 3));
    }

    /// The annealing scores a move from the days it touched and the employees' totals.
    /// After thousands of moves (hot, so most are taken) every cached score, the totals
    /// and the roster's cost must equal a full re-score: on a Curtois instance, on a
    /// half-year one, and on one with the Dutch care terms (weekly maximum, contract
    /// targets, opkomst and short-shift costs) starting mid-week.
    #[test]
    fn move_scores_match_a_full_rescore() {
        let mut care = instance(2);
        care.first_weekday = 3;
        care.care.max_week_minutes = Some(2400);
        care.care.target_weight_per_hour = 2;
        care.care.opkomst_weight = 3;
        care.care.short_shift_minutes = 500;
        care.care.short_shift_weight = 4;
        for (i, emp) in care.employees.iter_mut().enumerate().step_by(2) {
            emp.target_minutes = Some(3000 + 240 * i as u32);
        }
        for (name, p) in [("1", instance(1)), ("20", instance(20)), ("care", care)] {
            let data = Data::new(&p);
            let init = vec![OFF; data.e * data.d];
            let mut w = Worker::new(&data, &init, 7, 0);
            // With aimed steps too, also on the small problems (which leave them out).
            w.aimed_share = AIMED_SHARE;
            let mut accepted = 0;
            for round in 0..20 {
                w.temp = if round % 2 == 0 { 500.0 } else { 5.0 };
                for _ in 0..2_000 {
                    let before = w.st.asg.clone();
                    w.step();
                    accepted += usize::from(w.st.asg != before);
                }
                let fresh = State::new(&data, w.st.asg.clone(), &mut w.counts, &mut w.weeks);
                assert_eq!(w.st.tot, fresh.tot, "{name}: totals");
                assert_eq!(w.st.soft_e, fresh.soft_e, "{name}: soft per employee");
                assert_eq!(w.st.hard_e, fresh.hard_e, "{name}: hard per employee");
                assert_eq!(w.st.cover, fresh.cover, "{name}: cover");
                assert_eq!((w.st.soft, w.st.hard), (fresh.soft, fresh.hard), "{name}");
            }
            assert!(accepted > 5_000, "{name}: only {accepted} moves taken");
        }
    }

    /// On instances that are not small, a fifth of the steps are aimed: every one they
    /// take changes a cell on a cover line that cost something (a short line gets a
    /// shift, an over line loses one). Small instances keep plain cell changes.
    #[test]
    fn aimed_steps_mend_a_costly_cover_line() {
        let small = Data::new(&instance(1));
        let off = vec![OFF; small.e * small.d];
        assert_eq!(Worker::new(&small, &off, 1, 0).aimed_share, 0);
        let data = Data::new(&instance(15));
        let (d, ns) = (data.d, data.nslots);
        // A random start has both short and over lines.
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        let init: Vec<u8> = (0..data.e * d)
            .map(|i| {
                let ch = &data.choices[i];
                ch[rng.random_range(0..ch.len())]
            })
            .collect();
        let mut w = Worker::new(&data, &init, 3, 0);
        assert_eq!(w.aimed_share, AIMED_SHARE);
        w.aimed_share = 100;
        w.temp = 5.0;
        let (mut short, mut over) = (0, 0);
        for _ in 0..3_000 {
            let (before, cnt) = (w.st.asg.clone(), w.st.cnt.clone());
            w.step();
            let changed: Vec<usize> = (0..before.len())
                .filter(|&i| before[i] != w.st.asg[i])
                .collect();
            let [i] = changed[..] else {
                assert!(changed.is_empty(), "one cell per aimed step");
                continue;
            };
            let day = i % d;
            let lines = |v: u8| {
                if v == OFF {
                    &[][..]
                } else {
                    &data.covers[usize::from(v)][..]
                }
            };
            let line = |k: usize| day * ns + k;
            if lines(w.st.asg[i])
                .iter()
                .any(|&k| cnt[line(k)] < data.req[line(k)])
            {
                short += 1;
            } else if lines(before[i])
                .iter()
                .any(|&k| cnt[line(k)] > data.req[line(k)])
            {
                over += 1;
            } else {
                panic!("day {day}: {} -> {} mends no line", before[i], w.st.asg[i]);
            }
        }
        assert!(short > 100 && over > 100, "short {short}, over {over}");
    }

    /// Cycles double while the time left holds the next two; then one cycle takes the
    /// rest of the time (less a margin for the speed estimate), longer or shorter than
    /// the doubled one, and never empty.
    #[test]
    fn the_last_cycle_is_fitted_to_the_time_left() {
        // 100 epochs per second, 10 s left: 970 epochs fit.
        assert_eq!(cycle_length(256, 100.0, 10.0), 256);
        assert_eq!(cycle_length(323, 100.0, 10.0), 323);
        assert_eq!(cycle_length(324, 100.0, 10.0), 970);
        assert_eq!(cycle_length(2048, 100.0, 10.0), 970);
        assert_eq!(cycle_length(4, 100.0, 0.0), 1);
        for doubled in [2u64, 64, 1024] {
            for left in [0.0, 0.5, 3.0, 40.0] {
                let n = cycle_length(doubled, 150.0, left);
                assert!(n >= 1);
                // Either the doubled cycle, or what fits in the time left (at least one).
                assert!(n == doubled || n as f64 <= (150.0 * left).max(1.0));
                // The doubled cycle only while the next one fits after it too.
                assert!(n != doubled || 3.0 * doubled as f64 <= 150.0 * left);
            }
        }
    }

    /// Large-neighbourhood moves follow every block of annealing steps on horizons of at
    /// most four weeks and about every 2 500 steps per shift type (at least four types)
    /// on longer ones.
    #[test]
    fn long_horizons_space_their_large_neighbourhood_moves() {
        let spacing: Vec<(u32, u64, u64, u64)> = [1, 13, 15, 16, 19, 21, 24]
            .into_iter()
            .map(|n| {
                let data = Data::new(&instance(n));
                let iters = epoch_iterations(&data);
                let every = lns_every(&data, iters);
                let aim = STEPS_PER_LNS_PER_TYPE * data.s.max(4) as u64;
                (n, every, every * (iters / 16), aim)
            })
            .collect();
        let every: Vec<(u32, u64)> = spacing.iter().map(|&(n, e, ..)| (n, e)).collect();
        assert_eq!(
            every,
            [
                (1, 1),
                (13, 1),
                (15, 3),
                (16, 2),
                (19, 4),
                (21, 15),
                (24, 119)
            ]
        );
        for &(n, every, steps, aim) in &spacing[2..] {
            assert!(
                steps <= aim && steps * 10 >= aim * 7,
                "Instance{n}: {every} blocks, {steps} steps, aim {aim}"
            );
        }
    }

    /// Column generation is called again only while it may still help: before its LP
    /// has converged (no bound yet), or while that LP is within 2 % of the best roster.
    #[test]
    fn column_generation_is_called_again_only_while_its_lp_is_close() {
        let p = instance(1);
        let data = Data::new(&p);
        let init = vec![OFF; data.e * data.d];
        let mut w = Worker::new(&data, &init, 1, 0);
        w.best = Some((1000, init.clone()));
        assert!(w.lp_is_close(), "no LP yet");
        w.lp_bound = Some(981.0);
        assert!(w.lp_is_close(), "1,9 % below the best roster");
        w.lp_bound = Some(979.0);
        assert!(!w.lp_is_close(), "2,1 % below the best roster");
    }

    /// Instance 22: every employee must work 232–234 of 364 days with per-type maxima
    /// and at most 26 weekends. The Lagrangian re-plan must find a row within all limits
    /// for each employee (here against an empty roster, so cover pulls towards working
    /// every day) — and the checker-equivalent scoring must agree.
    #[test]
    fn priced_replan_keeps_every_limit_over_a_year() {
        let p = instance(22);
        let data = Data::new(&p);
        let init = vec![OFF; data.e * data.d];
        let mut w = Worker::new(&data, &init, 3, 0);
        for e in 0..6 {
            assert!(
                w.replan_priced(e, 0, data.d, 40),
                "employee {e}: no row in limits"
            );
            let (_, hard) = w.rescore(e);
            assert_eq!(hard, 0, "employee {e}");
            let row = &w.st.asg[e * data.d..(e + 1) * data.d];
            let shifts = row.iter().filter(|&&v| v != OFF).count();
            assert!(
                (232..=234).contains(&shifts),
                "employee {e}: {shifts} shifts"
            );
        }
    }
}
