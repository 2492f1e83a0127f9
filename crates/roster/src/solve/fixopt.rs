//! Fix-and-optimise: the whole model as a compact MIP (one binary per employee, day and
//! shift type), restricted to a part of the roster, solved exactly by HiGHS while every
//! other cell keeps the incumbent's value.
//!
//! A part is a set of employees over a window of days. Rules that reach outside the part
//! (runs across the window's edges, totals over the horizon, weekends, forbidden
//! successions at the edges) see the fixed cells as constants, so any roster the MIP
//! returns keeps every hard rule. The MIP starts from the incumbent, so it never returns a
//! worse roster.

use super::{Clock, Observer, Progress};
use super::{Data, State};
use crate::model::OFF;
use highs::{Col, HighsModelStatus, RowProblem, Sense};
use std::time::Duration;

/// Cells that may change: `emps` over the days `a..b`.
pub(super) struct Part {
    pub emps: Vec<usize>,
    pub a: usize,
    pub b: usize,
}

/// What one MIP may spend.
pub(super) struct Limits {
    pub nodes: i32,
    /// Wall-clock cap (with a time limit only; `Duration::MAX` otherwise).
    pub time: Duration,
}

/// How the MIP ended.
pub(super) struct Solved {
    /// A roster strictly better than the incumbent, if the MIP found one.
    pub asg: Option<(i64, Vec<u8>)>,
    /// Whether HiGHS proved the part optimal (within the node limit).
    pub optimal: bool,
}

/// A linear expression: terms over MIP columns plus a constant.
#[derive(Default, Clone)]
struct Lin {
    terms: Vec<(Col, f64)>,
    c: f64,
}

impl Lin {
    fn add(&mut self, other: &Lin, k: f64) {
        self.terms
            .extend(other.terms.iter().map(|&(c, v)| (c, v * k)));
        self.c += other.c * k;
    }
}

/// Builds the MIP for `part` around the incumbent `inc` (feasible, soft cost `f`) and
/// solves it.
pub(super) fn solve_part(data: &Data, inc: &[u8], f: i64, part: &Part, limits: &Limits) -> Solved {
    let (d, s) = (data.d, data.s);
    let (a, b) = (part.a, part.b);
    let width = b - a;
    let mut pb = RowProblem::default();
    let mut start: Vec<f64> = Vec::new();
    let mut free_emp = vec![usize::MAX; data.e];
    for (i, &e) in part.emps.iter().enumerate() {
        free_emp[e] = i;
    }
    // x[(i * width + (day - a)) * s + v]
    let mut x: Vec<Option<Col>> = vec![None; part.emps.len() * width * s];
    let s1 = s + 1;
    for (i, &e) in part.emps.iter().enumerate() {
        let row = &inc[e * d..(e + 1) * d];
        for day in a..b {
            let base = (e * d + day) * s1;
            for v in 0..s {
                if !data.allowed[base + v] {
                    continue;
                }
                // Forbidden successions with the fixed neighbours.
                if day == a
                    && a > 0
                    && row[a - 1] != OFF
                    && data.forb[usize::from(row[a - 1]) * s + v]
                {
                    continue;
                }
                if day + 1 == b && b < d && row[b] != OFF && data.forb[v * s + usize::from(row[b])]
                {
                    continue;
                }
                let cost = data.pref[base + v] - data.pref[base + s];
                let col = pb.add_integer_column(cost as f64, 0.0..=1.0);
                start.push(f64::from(u8::from(usize::from(row[day]) == v)));
                x[(i * width + (day - a)) * s + v] = Some(col);
            }
        }
    }
    // Worked (1) or off (0) on a day, as an expression.
    let work = |e: usize, day: usize| -> Lin {
        let i = free_emp[e];
        if i == usize::MAX || day < a || day >= b {
            Lin {
                terms: Vec::new(),
                c: f64::from(u8::from(inc[e * d + day] != OFF)),
            }
        } else {
            Lin {
                terms: (0..s)
                    .filter_map(|v| x[(i * width + (day - a)) * s + v].map(|c| (c, 1.0)))
                    .collect(),
                c: 0.0,
            }
        }
    };
    let add_row = |pb: &mut RowProblem, lin: &Lin, lo: f64, hi: f64| {
        if !lin.terms.is_empty() {
            pb.add_row((lo - lin.c)..=(hi - lin.c), &lin.terms);
        }
    };
    let inf = f64::INFINITY;

    // Cover: fixed count + free terms + under − over = requirement. `inc_cnt` is the
    // incumbent's count, `cnt` the part of it from fixed cells.
    let inc_cnt = data.cover_counts(inc);
    let mut cnt = inc_cnt.clone();
    for &e in &part.emps {
        for day in a..b {
            let v = inc[e * d + day];
            if v != OFF {
                for &k in &data.covers[usize::from(v)] {
                    cnt[day * data.nslots + k] -= 1;
                }
            }
        }
    }
    let mut cover: Vec<Lin> = vec![Lin::default(); width * data.nslots];
    for i in 0..part.emps.len() {
        for day in a..b {
            for v in 0..s {
                if let Some(col) = x[(i * width + (day - a)) * s + v] {
                    for &k in &data.covers[v] {
                        cover[(day - a) * data.nslots + k].terms.push((col, 1.0));
                    }
                }
            }
        }
    }
    for day in a..b {
        for k in 0..data.nslots {
            let mut lin = std::mem::take(&mut cover[(day - a) * data.nslots + k]);
            if lin.terms.is_empty() {
                continue;
            }
            let g = day * data.nslots + k;
            let (req, wu, wo) = (data.req[g], data.wu[g], data.wo[g]);
            if wu == 0 && wo == 0 {
                continue;
            }
            let under = pb.add_column(wu as f64, 0.0..);
            let over = pb.add_column(wo as f64, 0.0..);
            let have = inc_cnt[g];
            start.push((req - have).max(0) as f64);
            start.push((have - req).max(0) as f64);
            lin.terms.push((under, 1.0));
            lin.terms.push((over, -1.0));
            let rhs = (req - cnt[g]) as f64;
            pb.add_row(rhs..=rhs, &lin.terms);
        }
    }

    for (i, &e) in part.emps.iter().enumerate() {
        let row = &inc[e * d..(e + 1) * d];
        // Totals outside the window.
        let (out_minutes, out_types, _) = super::data::outside_window(data, row, a, b);
        let mut out_week = vec![0u32; data.nweeks];
        for day in (0..a).chain(b..d) {
            if row[day] != OFF {
                out_week[data.week[day]] += data.minutes[usize::from(row[day])];
            }
        }
        let xs = |day: usize, v: usize| x[(i * width + (day - a)) * s + v];
        // At most one shift a day.
        for day in a..b {
            add_row(&mut pb, &work(e, day), -inf, 1.0);
        }
        // Per-type maxima.
        for (v, &out) in out_types.iter().enumerate() {
            let lin = Lin {
                terms: (a..b)
                    .filter_map(|day| xs(day, v).map(|c| (c, 1.0)))
                    .collect(),
                c: f64::from(out),
            };
            add_row(&mut pb, &lin, -inf, f64::from(data.max_shifts[e][v]));
        }
        // Total minutes, and the contract target (soft, per started hour of deviation).
        let minutes = Lin {
            terms: (a..b)
                .flat_map(|day| {
                    (0..s).filter_map(move |v| xs(day, v).map(|c| (c, f64::from(data.minutes[v]))))
                })
                .collect(),
            c: f64::from(out_minutes),
        };
        add_row(
            &mut pb,
            &minutes,
            f64::from(data.min_minutes[e]),
            f64::from(data.max_minutes[e]),
        );
        if let (Some(t), true) = (data.target[e], data.target_w > 0) {
            let have: u32 = row
                .iter()
                .filter(|&&v| v != OFF)
                .map(|&v| data.minutes[usize::from(v)])
                .sum();
            let h = pb.add_integer_column(data.target_w as f64, 0.0..);
            start.push(f64::from(have.abs_diff(t).div_ceil(60)));
            // 60 h ≥ minutes − t and 60 h ≥ t − minutes.
            let mut up = Lin::default();
            up.add(&minutes, -1.0);
            up.terms.push((h, 60.0));
            add_row(&mut pb, &up, -f64::from(t), inf);
            let mut down = minutes.clone();
            down.terms.push((h, 60.0));
            add_row(&mut pb, &down, f64::from(t), inf);
        }
        // Hours per calendar week.
        if let Some(mw) = data.max_week {
            for (w, &out) in out_week.iter().enumerate() {
                let lin = Lin {
                    terms: (a..b)
                        .filter(|&day| data.week[day] == w)
                        .flat_map(|day| {
                            (0..s).filter_map(move |v| {
                                xs(day, v).map(|c| (c, f64::from(data.minutes[v])))
                            })
                        })
                        .collect(),
                    c: f64::from(out),
                };
                add_row(&mut pb, &lin, -inf, f64::from(mw));
            }
        }
        // Forbidden successions inside the window: x[day, p] + Σ_q x[day+1, q] ≤ 1.
        for day in a..b.saturating_sub(1) {
            for p in 0..s {
                let Some(cp) = xs(day, p) else { continue };
                let mut terms = vec![(cp, 1.0)];
                for q in 0..s {
                    if data.forb[p * s + q]
                        && let Some(cq) = xs(day + 1, q)
                    {
                        terms.push((cq, 1.0));
                    }
                }
                if terms.len() > 1 {
                    pb.add_row(..=1.0, &terms);
                }
            }
        }
        let touches = |lo: usize, hi: usize| lo < b && hi >= a; // days lo..=hi
        // Longest run of worked days: every maxc + 1 consecutive days hold an off day.
        let maxc = data.max_cons[e] as usize;
        if maxc < d {
            for t in a.saturating_sub(maxc)..b.min(d - maxc) {
                if !touches(t, t + maxc) {
                    continue;
                }
                let mut lin = Lin::default();
                for day in t..=t + maxc {
                    lin.add(&work(e, day), 1.0);
                }
                add_row(&mut pb, &lin, -inf, maxc as f64);
            }
        }
        // Shortest runs of worked days and of days off, for runs that touch neither end of
        // the horizon: no pattern off, k worked days, off (or the reverse) with k too small.
        for (min, worked) in [(data.min_cons[e], true), (data.min_off[e], false)] {
            let min = min as usize;
            for k in 1..min {
                for t in 1..d.saturating_sub(k) {
                    // Days t-1 ..= t+k.
                    if !touches(t - 1, t + k) {
                        continue;
                    }
                    let mut lin = Lin::default();
                    let sign = if worked { 1.0 } else { -1.0 };
                    lin.add(&work(e, t - 1), -sign);
                    for day in t..t + k {
                        lin.add(&work(e, day), sign);
                    }
                    lin.add(&work(e, t + k), -sign);
                    // worked: −w + Σw − w ≤ k − 1; off: w − Σw + w ≤ 1.
                    let hi = if worked { k as f64 - 1.0 } else { 1.0 };
                    add_row(&mut pb, &lin, -inf, hi);
                }
            }
        }
        // Weekends: y_k ≥ worked on each day of weekend k; Σ y ≤ max.
        let mut total = Lin::default();
        let mut seen_we = u32::MAX;
        for day in 0..d {
            let we = data.weekend[day];
            if we == u32::MAX || we == seen_we {
                continue;
            }
            seen_we = we;
            let days: Vec<usize> = (day..d).take_while(|&x| data.weekend[x] == we).collect();
            let worked_now = days.iter().any(|&x| row[x] != OFF);
            if !days.iter().any(|&x| x >= a && x < b) {
                total.c += f64::from(u8::from(worked_now));
                continue;
            }
            let fixed_worked = days.iter().any(|&x| (x < a || x >= b) && row[x] != OFF);
            let y = pb.add_column(0.0, if fixed_worked { 1.0 } else { 0.0 }..=1.0);
            start.push(f64::from(u8::from(worked_now)));
            for &x in &days {
                let mut lin = work(e, x);
                lin.terms.push((y, -1.0));
                add_row(&mut pb, &lin, -inf, 0.0);
            }
            total.terms.push((y, 1.0));
        }
        add_row(&mut pb, &total, -inf, f64::from(data.max_we[e]));
    }

    let mut model = pb.optimise(Sense::Minimise);
    model.make_quiet();
    model.set_option("threads", 1);
    model.set_option("mip_max_nodes", limits.nodes);
    if limits.time != Duration::MAX {
        model.set_option("time_limit", limits.time.as_secs_f64().max(0.01));
    }
    model.set_option("mip_rel_gap", 0.0);
    model.set_solution(Some(&start), None, None, None);
    let solved = model.solve();
    let optimal = solved.status() == HighsModelStatus::Optimal;
    let sol = solved.get_solution();
    let cols = sol.columns();
    if cols.len() != start.len() {
        return Solved { asg: None, optimal };
    }
    let mut asg = inc.to_vec();
    for (i, &e) in part.emps.iter().enumerate() {
        for day in a..b {
            asg[e * d + day] = OFF;
            for v in 0..s {
                if let Some(c) = x[(i * width + (day - a)) * s + v]
                    && cols[c.index()] > 0.5
                {
                    asg[e * d + day] = v as u8;
                }
            }
        }
    }
    let st = State::new(data, asg, &mut vec![0; s], &mut vec![0; data.nweeks]);
    let better = st.hard == 0 && st.soft < f;
    Solved {
        asg: better.then_some((st.soft, st.asg)),
        optimal,
    }
}

/// Part sizes, adapted as the search goes: a kind of part grows by one after a part
/// solved to optimality and shrinks by one after a part that hit a limit.
pub(super) struct Sizer {
    /// Days in a part of every employee.
    pub days: usize,
    /// Employees in a part over every day.
    pub emps: usize,
    /// Whether windows of days are drawn with weight by what their cover costs (large
    /// problems) rather than uniformly.
    pub cover_windows: bool,
    turn: u64,
}

impl Sizer {
    pub(super) fn new(data: &Data) -> Self {
        Sizer {
            days: data.tuning.fix_part_days.min(data.d),
            emps: (data.e / data.tuning.fix_part_staff_divisor).clamp(2, data.e.max(2)),
            cover_windows: false,
            turn: 0,
        }
    }

    /// Starting sizes for large problems: within a number of binaries (`large_day_part`,
    /// `large_emp_part`) rather than a
    /// share of the roster; windows of days drawn by their cover cost (Curtois Instance 13
    /// at 60 s, seeds 1–6: mean 2699 against 2896 with uniform windows, better on 5 of 6;
    /// 12 level; docs/benchmarks-roster.md, run 17).
    pub(super) fn large(data: &Data) -> Self {
        Sizer {
            days: (data.tuning.large_day_part / (data.e * data.s).max(1))
                .clamp(2.min(data.d), data.d),
            emps: (data.tuning.large_emp_part / (data.d * data.s).max(1)).clamp(2, data.e.max(2)),
            cover_windows: true,
            turn: 0,
        }
    }
}

/// What the cover of each day costs in roster `asg`.
fn day_cover_costs(data: &Data, asg: &[u8]) -> Vec<i64> {
    let cnt = data.cover_counts(asg);
    let n = data.nslots;
    (0..data.d)
        .map(|day| {
            (day * n..(day + 1) * n)
                .map(|k| data.cover_cost(k, cnt[k]))
                .sum()
        })
        .collect()
}

/// The start of a window of `width` days, drawn with weight by the sum over its days of
/// `1 + cost` (so every window can be drawn).
fn weighted_window(costs: &[i64], width: usize, rng: &mut impl rand::Rng) -> usize {
    let starts = costs.len() + 1 - width;
    let sums: Vec<i64> = (0..starts)
        .map(|a| costs[a..a + width].iter().map(|&c| 1 + c.max(0)).sum())
        .collect();
    let mut r = rng.random_range(0..sums.iter().sum::<i64>());
    for (a, &x) in sums.iter().enumerate() {
        if r < x {
            return a;
        }
        r -= x;
    }
    starts - 1
}

/// What one call of [`improve`] may spend.
pub(super) struct Effort<'a> {
    /// Time on the search clock after which no part starts (time-limited runs only).
    pub end: Duration,
    /// Time on the search clock no part may run past (the end of the run; time-limited runs only).
    /// A part started before `end` keeps its whole cap up to here, so the end of a call
    /// does not cut its last part short (which would also shrink the part size).
    pub hard_end: Duration,
    pub timed: bool,
    /// Node limit and (time-limited runs) wall-clock cap of one part's MIP.
    pub nodes: i32,
    pub cap: Duration,
    /// Parts per call (the limit that stops a call with an epoch budget).
    pub parts: usize,
    pub clock: &'a dyn Clock,
    /// Where each part is reported, and the thread reporting.
    pub observer: Option<&'a dyn Observer>,
    pub thread: usize,
}

/// Fix-and-optimise from `best`: parts alternate between every employee over a window of
/// days (random start, by cover cost with `Sizer::cover_windows`) and some employees
/// (random) over every day; a better roster
/// replaces the incumbent at once. Returns the improved roster, if any.
pub(super) fn improve(
    data: &Data,
    best: (i64, Vec<u8>),
    rng: &mut impl rand::Rng,
    sizer: &mut Sizer,
    effort: &Effort,
) -> Option<(i64, Vec<u8>)> {
    let (mut f, mut asg) = best;
    let mut improved = false;
    for _ in 0..effort.parts {
        if effort.timed && effort.clock.now() >= effort.end {
            break;
        }
        sizer.turn += 1;
        let by_days = sizer.turn % 2 == 1 || data.e < 3;
        let part = if by_days {
            let width = sizer.days.clamp(2.min(data.d), data.d);
            let a = if sizer.cover_windows {
                weighted_window(&day_cover_costs(data, &asg), width, rng)
            } else {
                rng.random_range(0..=data.d - width)
            };
            Part {
                emps: (0..data.e).collect(),
                a,
                b: a + width,
            }
        } else {
            let k = sizer.emps.clamp(2, data.e);
            let mut emps: Vec<usize> = (0..data.e).collect();
            for i in 0..k {
                let j = rng.random_range(i..data.e);
                emps.swap(i, j);
            }
            emps.truncate(k);
            emps.sort_unstable();
            Part {
                emps,
                a: 0,
                b: data.d,
            }
        };
        let started = effort.clock.now();
        let limits = Limits {
            nodes: effort.nodes,
            time: if effort.timed {
                effort.hard_end.saturating_sub(started).min(effort.cap)
            } else {
                Duration::MAX
            },
        };
        let out = solve_part(data, &asg, f, &part, &limits);
        let size = if by_days {
            &mut sizer.days
        } else {
            &mut sizer.emps
        };
        let most = if by_days { data.d } else { data.e };
        *size = if out.optimal {
            (*size + 1).min(most)
        } else {
            size.saturating_sub(1).max(2)
        };
        if let Some(observer) = effort.observer {
            observer.progress(&Progress::FixPart {
                thread: effort.thread,
                a: part.a,
                b: part.b,
                employees: part.emps.len(),
                optimal: out.optimal,
                from: f,
                to: out.asg.as_ref().map(|x| x.0),
            });
        }
        if let Some((g, new)) = out.asg {
            f = g;
            asg = new;
            improved = true;
        }
    }
    improved.then_some((f, asg))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Problem;
    use crate::solve::Tuning;
    use crate::solve::tests::instance;
    use crate::solve::{SolveOptions, solve};

    /// A feasible start: the optimiser's roster after one epoch on one thread.
    fn start(p: &Problem, data: &Data) -> (i64, Vec<u8>) {
        let opts = SolveOptions {
            seconds: 1e9,
            seed: 5,
            threads: 1,
            max_epochs: Some(1),
            ..Default::default()
        };
        let r = solve(p, &opts).expect("valid problem");
        let roster = r.roster.expect("feasible start");
        let asg: Vec<u8> = roster
            .shifts
            .iter()
            .flat_map(|row| row.iter().map(|s| s.map_or(OFF, |s| s as u8)))
            .collect();
        let st = State::new(data, asg, &mut vec![0; data.s], &mut vec![0; data.nweeks]);
        assert_eq!(st.hard, 0);
        (st.soft, st.asg)
    }

    /// Windows are drawn by cost: with one costly day, almost every window holds it;
    /// every start stays inside the horizon, and a window of every day starts at 0.
    #[test]
    fn windows_are_drawn_by_what_their_cover_costs() {
        let mut rng = <rand_chacha::ChaCha8Rng as rand::SeedableRng>::seed_from_u64(7);
        let costs = [0, 0, 0, 0, 1000, 0, 0, 0, 0, 0];
        let mut holding = 0;
        for _ in 0..1000 {
            let a = weighted_window(&costs, 3, &mut rng);
            assert!(a <= 7);
            if (a..a + 3).contains(&4) {
                holding += 1;
            }
        }
        assert!(
            holding > 950,
            "{holding} of 1000 windows hold the costly day"
        );
        assert_eq!(weighted_window(&costs, 10, &mut rng), 0);
        let even = (0..1000)
            .filter(|_| weighted_window(&[0; 10], 3, &mut rng) == 0)
            .count();
        assert!(
            (80..200).contains(&even),
            "start 0 drawn {even} of 1000 times"
        );
    }

    /// The day costs add up to the cover part of the roster's score.
    #[test]
    fn day_cover_costs_add_up_to_the_cover_score() {
        let p = instance(4);
        let data = Data::new(&p, Tuning::default());
        let (_, asg) = start(&p, &data);
        let costs = day_cover_costs(&data, &asg);
        assert_eq!(costs.len(), data.d);
        let ev = crate::check::check(&p, &crate::solve::to_roster(&data, &asg));
        assert_eq!(costs.iter().sum::<i64>() as u64, ev.score.cover);
    }

    fn unlimited() -> Limits {
        Limits {
            nodes: i32::MAX,
            time: Duration::MAX,
        }
    }

    /// The whole of Instance 1 as one part: the compact MIP must find the known optimum
    /// 607 (best_known.csv), which it can only do if every rule is modelled neither too
    /// loosely (the checker would object) nor too tightly (it would stay above 607).
    #[test]
    fn whole_instance1_as_one_part_reaches_its_optimum() {
        let p = instance(1);
        let data = Data::new(&p, Tuning::default());
        let (f, asg) = start(&p, &data);
        let part = Part {
            emps: (0..data.e).collect(),
            a: 0,
            b: data.d,
        };
        let out = solve_part(&data, &asg, f, &part, &unlimited());
        assert!(out.optimal);
        let (g, best) = out.asg.map_or((f, asg), |x| x);
        let roster = crate::solve::to_roster(&data, &best);
        let ev = crate::check::check(&p, &roster);
        assert!(ev.feasible(), "{:?}", ev.violations);
        assert_eq!(ev.score.total, 607);
        assert_eq!(g, 607);
    }

    /// Parts of every shape on Instances 2 and 4: whatever the MIP returns keeps every
    /// hard rule (independent checker), scores what it claims, is better than the start,
    /// and leaves every cell outside the part as it was.
    #[test]
    fn parts_keep_every_rule_and_every_cell_outside_them() {
        for n in [2, 4] {
            let p = instance(n);
            let data = Data::new(&p, Tuning::default());
            let (mut f, mut asg) = start(&p, &data);
            let mut improved = 0;
            let shapes = [
                (vec![0, 1, 2, 3], 0, data.d),
                ((0..data.e).collect(), 3, 10),
                ((0..data.e).step_by(2).collect(), 0, data.d / 2),
                ((0..data.e).collect(), data.d - 5, data.d),
                ((1..data.e).step_by(3).collect(), data.d / 4, 3 * data.d / 4),
            ];
            for (emps, a, b) in shapes {
                let part = Part { emps, a, b };
                let out = solve_part(&data, &asg, f, &part, &unlimited());
                let Some((g, new)) = out.asg else { continue };
                assert!(g < f);
                for e in 0..data.e {
                    for day in 0..data.d {
                        let inside = part.emps.contains(&e) && (a..b).contains(&day);
                        if !inside {
                            assert_eq!(new[e * data.d + day], asg[e * data.d + day]);
                        }
                    }
                }
                let ev = crate::check::check(&p, &crate::solve::to_roster(&data, &new));
                assert!(ev.feasible(), "Instance{n}: {:?}", ev.violations);
                assert_eq!(ev.score.total as i64, g);
                (f, asg) = (g, new);
                improved += 1;
            }
            assert!(improved > 0, "Instance{n}: no part improved the start");
        }
    }
}
