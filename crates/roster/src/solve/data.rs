//! The dense view of a problem and the scoring: per-employee terms, cover, and the
//! per-employee totals an annealing move is scored from.

use super::{SolveOptions, Tuning};
use crate::model::{OFF, Problem, Roster};

/// Dense, precomputed view of a problem for fast scoring.
pub(super) struct Data {
    /// The tuning values of this run.
    pub(super) tuning: Tuning,
    pub(super) d: usize,
    pub(super) s: usize,
    pub(super) e: usize,
    pub(super) nslots: usize,
    /// Soft cost of value v (0..s shifts, s = off) for employee e on day d: [(e*d + day)*(s+1) + v].
    pub(super) pref: Vec<i64>,
    /// Whether value v is allowed at all for (e, day): [(e*d + day)*(s+1) + v].
    pub(super) allowed: Vec<bool>,
    /// Allowed values per (e, day), as a list.
    pub(super) choices: Vec<Vec<u8>>,
    pub(super) forb: Vec<bool>,
    pub(super) minutes: Vec<u32>,
    pub(super) covers: Vec<Vec<usize>>,
    pub(super) req: Vec<i64>,
    pub(super) wu: Vec<i64>,
    pub(super) wo: Vec<i64>,
    pub(super) weekend: Vec<u32>,
    pub(super) week: Vec<usize>,
    pub(super) nweeks: usize,
    /// Weekend ids run 0..nwe (`weekend` is u32::MAX on weekdays).
    pub(super) nwe: usize,
    pub(super) max_shifts: Vec<Vec<u32>>,
    pub(super) min_minutes: Vec<u32>,
    pub(super) max_minutes: Vec<u32>,
    pub(super) max_cons: Vec<u32>,
    pub(super) min_cons: Vec<u32>,
    pub(super) min_off: Vec<u32>,
    pub(super) max_we: Vec<u32>,
    pub(super) target: Vec<Option<u32>>,
    pub(super) target_w: i64,
    pub(super) max_week: Option<u32>,
    /// Shift lengths in units of `unit` minutes (the gcd of all lengths), for the DP.
    pub(super) units: Vec<u32>,
    pub(super) unit: u32,
    pub(super) weekday: Vec<u8>,
    /// With the weekly-rest rule: the problem's shifts and calendar (no employees or
    /// cover), for [`Problem::weekly_rest_short`]; `rest_blocks` 14-day blocks.
    pub(super) rest: Option<Problem>,
    pub(super) rest_blocks: usize,
}

impl Data {
    pub(super) fn new(p: &Problem, tuning: Tuning) -> Self {
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
            tuning,
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
            rest: (p.rest_blocks() > 0).then(|| Problem {
                employees: Vec::new(),
                cover: Vec::new(),
                on_requests: Vec::new(),
                off_requests: Vec::new(),
                ..p.clone()
            }),
            rest_blocks: p.rest_blocks(),
        }
    }

    /// Whether employee row `row` lacks weekly rest in 14-day block `k`.
    pub(super) fn rest_short(&self, row: &[u8], k: usize) -> bool {
        self.rest.as_ref().is_some_and(|p| {
            p.weekly_rest_short(k, |d| (row[d] != OFF).then_some(usize::from(row[d])))
        })
    }

    /// Small problems (at most `small_days` days, employees × shift types at most
    /// `small_employee_types`: four weeks, 400) can afford the
    /// costlier large-neighbourhood moves (cover-focused, two passes); on larger ones the
    /// same time buys more plain moves, which measured better (docs/benchmarks-roster.md).
    pub(super) fn small(&self) -> bool {
        self.d <= self.tuning.small_days && self.e * self.s <= self.tuning.small_employee_types
    }

    /// Whether the exact parts (column generation and fix-and-optimise) run: always on
    /// small problems; on medium ones (up to eight weeks, employees × shift types × days
    /// at most half the small ones' largest, 400 × 28) only with a time limit of at least
    /// `medium_seconds`. Measured on the Curtois instances (docs/benchmarks-roster.md,
    /// run 14): at 60 s they took Instance 14 from 1505 to 1278–1281 and 16 from 3692 to
    /// its optimum 3225 in every run, but with less time 14 got worse (10 s: 2115 against
    /// 1579; 30 s: 1660 and 1686 against 1528 and 1593; 45 s: 1550 and 1281): its first
    /// column-generation call needs about 17 s before its LP converges. On 17
    /// (32 × 4 × 56) three runs ended at 6125, 6508 and 6823 against 6109 without them,
    /// and on the larger instances the first column-generation call took 16–39 s, mostly
    /// without a converged LP or a single dive (12, 13, 15 and 18–21 ended worse).
    pub(super) fn exact(&self, opts: &SolveOptions) -> bool {
        let t = &self.tuning;
        let medium = self.d <= t.medium_days && self.e * self.s * self.d <= t.medium_cells;
        self.small() || (medium && opts.max_epochs.is_none() && opts.seconds >= t.medium_seconds)
    }

    /// Whether fix-and-optimise alone runs (no column generation) on a problem too large
    /// for `exact` but of at most four weeks: with a time limit of at least
    /// `medium_seconds`, once the annealing has had `large_anneal_share` of the run, with
    /// parts sized by `fixopt::Sizer::large`. Measured at 60 s (docs/benchmarks-roster.md,
    /// run 17): on Curtois Instance 13 (120 employees × 18 shift types × 28 days), seeds
    /// 1–6, the mean went from 3063 to 2699 and the worst from 3340 to 2918; on 12
    /// (60 × 10 × 28), seeds 1–3, from 4168, 4128, 4127 to 4129, 4108, 4135. On the
    /// longer instances (15 and 17–24, 6 to 52 weeks) the annealing still gains about a
    /// tenth per cycle at the end of a 60 s run, and taking over from it made seven of
    /// nine worse (19: 4415 against 4023, 24: 155839 against 130409).
    pub(super) fn fix_large(&self, opts: &SolveOptions) -> bool {
        self.d <= self.tuning.small_days
            && !self.exact(opts)
            && opts.max_epochs.is_none()
            && opts.seconds >= self.tuning.medium_seconds
    }

    /// The DP window of employee e over `[a, b)` with the employee's own limits and no
    /// pruning, cap or pricing; callers override what differs.
    pub(super) fn window<'a>(
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
            hard_weight: self.tuning.hard_weight,
            hard_unit: self.tuning.hard_minutes_unit,
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
    pub(super) fn vidx(&self, v: u8) -> usize {
        if v == OFF { self.s } else { usize::from(v) }
    }

    #[inline]
    pub(super) fn is_allowed(&self, e: usize, day: usize, v: u8) -> bool {
        self.allowed[(e * self.d + day) * (self.s + 1) + self.vidx(v)]
    }

    #[inline]
    pub(super) fn cover_cost(&self, k: usize, c: i64) -> i64 {
        let r = self.req[k];
        if c < r {
            self.wu[k] * (r - c)
        } else {
            self.wo[k] * (c - r)
        }
    }

    /// How many employees cover each (day, slot) in `asg`: [day * nslots + slot].
    pub(super) fn cover_counts(&self, asg: &[u8]) -> Vec<i64> {
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
    pub(super) fn eval_emp(
        &self,
        e: usize,
        row: &[u8],
        counts: &mut [u32],
        weeks: &mut [u32],
    ) -> (i64, i64) {
        let d = self.d;
        let s1 = self.s + 1;
        let base = e * d * s1;
        let unit = self.tuning.hard_minutes_unit;
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
            hard += i64::from((self.min_minutes[e] - minutes).div_ceil(unit));
        }
        if minutes > self.max_minutes[e] {
            hard += i64::from((minutes - self.max_minutes[e]).div_ceil(unit));
        }
        if weekends > self.max_we[e] {
            hard += i64::from(weekends - self.max_we[e]);
        }
        if let Some(mw) = self.max_week {
            for &w in weeks.iter() {
                if w > mw {
                    hard += i64::from((w - mw).div_ceil(unit));
                }
            }
        }
        for k in 0..self.rest_blocks {
            if self.rest_short(row, k) {
                hard += 1;
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
    pub(super) fn total_terms(&self, t: &Totals, e: usize) -> (i64, i64) {
        let minutes = t.minutes[e];
        let unit = self.tuning.hard_minutes_unit;
        let mut hard = t.type_hard[e] + t.week_hard[e] + t.rest_hard[e];
        if minutes < self.min_minutes[e] {
            hard += i64::from((self.min_minutes[e] - minutes).div_ceil(unit));
        }
        if minutes > self.max_minutes[e] {
            hard += i64::from((minutes - self.max_minutes[e]).div_ceil(unit));
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
    pub(super) fn run_terms(&self, e: usize, seg: &[u8], l: usize) -> i64 {
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
pub(super) fn outside_window(
    data: &Data,
    row: &[u8],
    a: usize,
    b: usize,
) -> (u32, Vec<u32>, Vec<u32>) {
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
pub(super) struct Totals {
    /// [e]
    pub(super) minutes: Vec<u32>,
    /// Shifts per type: [e * s + t].
    pub(super) types: Vec<u32>,
    /// Hard units over the per-type maxima: [e].
    pub(super) type_hard: Vec<i64>,
    /// Days worked in each weekend: [e * nwe + w].
    pub(super) we_days: Vec<u8>,
    /// Weekends with at least one day worked: [e].
    pub(super) weekends: Vec<u32>,
    /// Minutes per calendar week, only with a weekly maximum: [e * nweeks + w].
    pub(super) week_minutes: Vec<u32>,
    /// Hard units over the weekly maximum: [e].
    pub(super) week_hard: Vec<i64>,
    /// Whether each 14-day block lacks weekly rest, only with that rule: [e * blocks + k].
    pub(super) rest_block: Vec<bool>,
    /// Blocks without enough weekly rest: [e].
    pub(super) rest_hard: Vec<i64>,
}

impl Totals {
    pub(super) fn new(data: &Data, asg: &[u8]) -> Self {
        let weekly = data.max_week.is_some();
        let mut t = Totals {
            minutes: vec![0; data.e],
            types: vec![0; data.e * data.s],
            type_hard: vec![0; data.e],
            we_days: vec![0; data.e * data.nwe],
            weekends: vec![0; data.e],
            week_minutes: vec![0; if weekly { data.e * data.nweeks } else { 0 }],
            week_hard: vec![0; data.e],
            rest_block: vec![false; data.e * data.rest_blocks],
            rest_hard: vec![0; data.e],
        };
        for e in 0..data.e {
            let row = &asg[e * data.d..(e + 1) * data.d];
            for day in 0..data.d {
                t.change(data, e, day, OFF, row[day], row);
            }
        }
        t
    }

    /// Employee `e`'s cell on `day` goes from `old` to `new`; `row` is the employee's row
    /// with the change made.
    #[inline]
    pub(super) fn change(
        &mut self,
        data: &Data,
        e: usize,
        day: usize,
        old: u8,
        new: u8,
        row: &[u8],
    ) {
        if data.rest_blocks > 0 {
            // The cell's block, and the next one when the shift may reach into it (a
            // block's rests count shifts from the two days before it).
            let start = data.rest.as_ref().map_or(0, Problem::rest_block_start);
            let mut last = usize::MAX;
            for dd in day..day + 3 {
                let Some(k) = dd.checked_sub(start).map(|x| x / 14) else {
                    continue;
                };
                if k >= data.rest_blocks || k == last {
                    continue;
                }
                last = k;
                let short = data.rest_short(row, k);
                let flag = &mut self.rest_block[e * data.rest_blocks + k];
                if *flag != short {
                    self.rest_hard[e] += if short { 1 } else { -1 };
                    *flag = short;
                }
            }
        }
        let unit = data.tuning.hard_minutes_unit;
        let week_excess = |m: u32, max: u32| i64::from(m.saturating_sub(max).div_ceil(unit));
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
pub(super) struct State {
    pub(super) asg: Vec<u8>,
    pub(super) cnt: Vec<i64>,
    pub(super) tot: Totals,
    pub(super) soft_e: Vec<i64>,
    pub(super) hard_e: Vec<i64>,
    pub(super) cover: i64,
    pub(super) soft: i64,
    pub(super) hard: i64,
}

impl State {
    pub(super) fn new(data: &Data, asg: Vec<u8>, counts: &mut [u32], weeks: &mut [u32]) -> Self {
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

pub(super) fn to_roster(data: &Data, asg: &[u8]) -> Roster {
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
