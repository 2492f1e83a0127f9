//! Re-planning one employee against everyone else: the exact DP over a window
//! (`replan`), the Lagrangian DP over the whole horizon (`replan_priced`), the repair of
//! an employee who breaks a hard rule (`fix_employee`), and the construction of a first
//! roster from them.

use super::data::outside_window;
use super::{Progress, Worker, to_roster};
use crate::model::OFF;
use rand::Rng;
use std::time::Duration;

impl Worker<'_> {
    /// Cost of each value on each day of `[a, b)` for employee `e` against everyone else's
    /// cover (`cost[i*(s+1)+v]`, `i64::MAX` = not allowed), plus up to `noise` at random.
    pub(super) fn window_costs(
        &mut self,
        e: usize,
        a: usize,
        b: usize,
        noise: i64,
        cost: &mut Vec<i64>,
    ) {
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
    #[allow(clippy::needless_range_loop)]
    pub(super) fn replan(&mut self, e: usize, a: usize, b: usize, noise: i64) -> bool {
        let data = self.data;
        let tu = &data.tuning;
        let (d, n1) = (data.d, data.s + 1);
        let len = b - a;
        let mut cost = std::mem::take(&mut self.cost_buf);
        self.window_costs(e, a, b, noise, &mut cost);
        let row = &self.st.asg[e * d..(e + 1) * d];
        let (out_minutes, out_types, out_we) = outside_window(data, row, a, b);
        let (min_minutes, max_minutes, max_we) =
            (data.min_minutes[e], data.max_minutes[e], data.max_we[e]);
        // Per-type maxima are priced, not modelled as states: raise the price of a type
        // that comes out over its maximum and plan again (a few rounds).
        let mut result = None;
        let mut chosen: Option<(u32, Vec<u8>)> = None;
        let base_excess: u32 = (0..data.s)
            .map(|t| out_types[t].saturating_sub(data.max_shifts[e][t]))
            .sum();
        let full = b - a == d;
        let base_cap = (if full {
            tu.construct_budget
        } else {
            tu.lns_budget
        } / (len * n1))
            .clamp(tu.label_cap_min, tu.label_cap_max);
        let rounds = if full {
            tu.replan_rounds_full
        } else {
            tu.replan_rounds_window
        };
        // Start from the prices learned for this employee in earlier full re-plans.
        let mut prices: Vec<i64> = self.prices[e * data.s..(e + 1) * data.s].to_vec();
        if full && !self.priced[e] {
            // First full plan: types whose maximum is below the horizon start at a price
            // of one under-cover unit, so the DP does not pile onto them.
            for t in 0..data.s {
                let m = data.max_shifts[e][t];
                if m > 0 && (m as usize) < d {
                    prices[t] = tu.type_price_start;
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
            for (prune_min, cap) in [
                (true, base_cap),
                (false, base_cap),
                (false, base_cap * tu.label_cap_retry),
            ] {
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
            let badness = excess
                + min_minutes
                    .saturating_sub(minutes)
                    .div_ceil(tu.hard_minutes_unit);
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
                        tu.type_price_start
                    } else {
                        prices[t].min(tu.type_price_step_max)
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
    pub(super) fn replan_priced(&mut self, e: usize, a: usize, b: usize, rounds: usize) -> bool {
        let data = self.data;
        let tu = &data.tuning;
        let (d, n1, s) = (data.d, data.s + 1, data.s);
        let len = b - a;
        let mut base = Vec::new();
        self.window_costs(e, a, b, 0, &mut base);
        let mut row: Vec<u8> = self.st.asg[e * d..(e + 1) * d].to_vec();
        let (out_minutes, _, _) = outside_window(data, &row, a, b);
        let (min_m, max_m, max_we) = (data.min_minutes[e], data.max_minutes[e], data.max_we[e]);
        // Prices: per hour worked (negative = a reward), per weekend, per shift of a type.
        let mut lambda = 0f64;
        let mut step_l = tu.priced_hour_step;
        let mut mu = 0f64;
        let mut step_mu = tu.priced_weekend_step;
        let mut type_price = vec![0f64; s];
        // A small fixed perturbation per cell: with many days alike (an empty roster, a flat
        // cover) the priced DP would otherwise jump between "work every day" and "never"
        // for the same price; with it the response moves a few days at a time.
        let jitter: Vec<i64> = (0..len * n1)
            .map(|_| self.rng.random_range(0..=tu.priced_jitter))
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
            let broken = min_m.saturating_sub(minutes).div_ceil(tu.hard_minutes_unit)
                + minutes.saturating_sub(max_m).div_ceil(tu.hard_minutes_unit)
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
                lambda *= tu.priced_relax;
                mu *= tu.priced_relax;
                type_price.iter_mut().for_each(|p| *p *= tu.priced_relax);
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
                    step_l *= tu.priced_step_shrink;
                } else if sign == last_sign {
                    step_l *= tu.priced_step_grow;
                }
                lambda += f64::from(sign) * step_l;
                last_sign = sign;
            }
            if weekends > max_we {
                mu += step_mu;
                step_mu *= tu.priced_weekend_grow;
            }
            for t in over_types {
                type_price[t] +=
                    tu.priced_type_step * f64::from(counts[t] - data.max_shifts[e][t]).sqrt();
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
    pub(super) fn fix_employee(&mut self, e: usize) -> (i64, i64) {
        let d = self.data.d;
        self.replan_priced(e, 0, d, self.data.tuning.priced_rounds);
        let mut sh = self.rescore(e);
        let wlen = d.min(self.data.tuning.window_days);
        for _ in 0..self.data.tuning.repair_windows {
            if sh.1 == 0 {
                break;
            }
            let a = self.rng.random_range(0..=d - wlen);
            self.replan(e, a, a + wlen, 0);
            sh = self.rescore(e);
        }
        sh
    }

    /// Builds a first roster: every employee re-planned in turn over the whole horizon
    /// (twice, in a new random order each pass), accepted as is. With a time limit the
    /// second pass is skipped once the search clock has passed `deadline`.
    pub(super) fn construct(&mut self, deadline: Option<Duration>) {
        let data = self.data;
        let d = data.d;
        let mut order: Vec<usize> = (0..data.e).collect();
        for pass in 0..2 {
            for i in (1..order.len()).rev() {
                let j = self.rng.random_range(0..=i);
                order.swap(i, j);
            }
            if pass == 1 && deadline.is_some_and(|end| self.clock.now() >= end) {
                break;
            }
            for &e in &order.clone() {
                self.undo.clear();
                self.replan(e, 0, d, 0);
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
        if let Some(observer) = self.observer {
            observer.progress(&Progress::Constructed {
                thread: self.thread,
                soft: self.st.soft,
                hard: self.st.hard,
                breaking: (0..data.e)
                    .filter(|&e| self.st.hard_e[e] > 0)
                    .map(|e| (e, self.st.hard_e[e]))
                    .collect(),
                roster: to_roster(data, &self.st.asg),
            });
        }
        self.record_best();
    }
}
