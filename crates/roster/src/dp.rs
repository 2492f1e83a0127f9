//! Best response of one employee: a shortest path over the days of a window with resource
//! states (last shift, current run length, minutes worked, weekends worked), given everyone
//! else's roster. Used by the optimiser to build rosters and as a large-neighbourhood move.
//!
//! Per-type maximum counts are states only for the types the caller lists in
//! `Window::caps` (column generation's pricing lists the binding ones, so it finds the
//! cheapest row exactly); other per-type maxima and the weekly minute cap are not states
//! here (a relaxation), and the caller re-scores the result with the full evaluation
//! before accepting it.

use crate::model::OFF;
use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::hash::{BuildHasherDefault, Hasher};

/// A fast hasher for the packed `u64` state keys (multiplicative, as in FxHash).
#[derive(Default)]
struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }
    fn write_u64(&mut self, k: u64) {
        self.0 = (self.0.rotate_left(5) ^ k).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

/// State key to (cost, index) of its label: the cost sits beside the key, so a label that
/// is no better is rejected without touching the label array.
type KeyMap = HashMap<u64, (i64, u32), BuildHasherDefault<KeyHasher>>;

/// Everything the DP needs about one employee and one window `[a, b)`.
pub(crate) struct Window<'a> {
    pub days: usize,
    pub a: usize,
    pub b: usize,
    pub nshifts: usize,
    /// Cost of value v (v < nshifts, nshifts = off) on window day i: `cost[i*(n+1)+v]`;
    /// `i64::MAX` = not allowed.
    pub cost: &'a [i64],
    /// Fixed row of the employee over the whole horizon (window cells ignored).
    pub row: &'a [u8],
    pub forb: &'a [bool],
    /// Minutes per shift, in units of `unit` minutes.
    pub units: &'a [u32],
    pub unit: u32,
    pub weekday: &'a [u8],
    pub max_cons: u32,
    pub min_cons: u32,
    pub min_off: u32,
    pub max_we: u32,
    pub min_minutes: u32,
    pub max_minutes: u32,
    pub target: Option<u32>,
    pub target_w: i64,
    pub hard_weight: i64,
    /// Minutes per hard unit of a missed minute limit (`Tuning::hard_minutes_unit`).
    pub hard_unit: u32,
    /// Minutes and weekends worked on fixed days outside the window.
    pub out_minutes: u32,
    pub out_weekends: u32,
    /// Prune labels that can no longer reach the minimum minutes.
    pub prune_min: bool,
    /// At most this many labels are kept per day (the cheapest); 0 = no limit.
    pub label_cap: usize,
    /// Lagrangian mode: minutes and weekends are not states and their limits are not
    /// enforced here (the caller prices them: minutes through `cost`, weekends through
    /// `we_price`, and checks the result). The state is then only (last, run, touch), so
    /// a whole year is cheap.
    pub relax_totals: bool,
    /// Added for every weekend the window starts working (with `relax_totals`).
    pub we_price: i64,
    /// Per-type maxima kept exactly, as DP states: (shift type, most shifts of that type in
    /// the window). The product of (maximum + 1) over the list may be at most 65 536;
    /// other types' maxima are the caller's business (see the module comment).
    pub caps: &'a [(usize, u32)],
}

#[derive(Clone, Copy)]
struct Label {
    cost: i64,
    parent: u32,
    value: u8,
}

/// Packs a state: last value, run length, "run touches day 0", window minutes (units),
/// weekends, and the mixed-radix index of the capped types' counts (`Window::caps`).
#[inline]
fn key(last: u8, run: u32, touch: bool, units: u32, we: u32, counts: u32) -> u64 {
    u64::from(last)
        | (u64::from(run.min(255)) << 8)
        | (u64::from(touch) << 16)
        | (u64::from(units) << 17)
        | (u64::from(we.min(255)) << 40)
        | (u64::from(counts) << 48)
}

#[inline]
fn unpack(k: u64) -> (u8, u32, bool, u32, u32, u32) {
    (
        (k & 0xff) as u8,
        ((k >> 8) & 0xff) as u32,
        (k >> 16) & 1 == 1,
        ((k >> 17) & 0x7f_ffff) as u32,
        ((k >> 40) & 0xff) as u32,
        (k >> 48) as u32,
    )
}

/// Returns the best values for the window days and their DP cost, or None if no path keeps
/// the run and succession rules.
pub(crate) fn best_response(w: &Window<'_>) -> Option<(Vec<u8>, i64)> {
    let n1 = w.nshifts + 1;
    let len = w.b - w.a;
    // Entering state from the fixed day before the window.
    let (last0, run0, touch0) = if w.a == 0 {
        (OFF, 0u32, true)
    } else {
        let v = w.row[w.a - 1];
        let working = v != OFF;
        let mut r = 0u32;
        let mut d = w.a;
        while d > 0 && (w.row[d - 1] != OFF) == working {
            r += 1;
            d -= 1;
        }
        (v, r, d == 0)
    };
    // The fixed run starting at b (status, length, touches the last day).
    let exit = if w.b < w.days {
        let v = w.row[w.b];
        let working = v != OFF;
        let mut r = 0u32;
        let mut d = w.b;
        while d < w.days && (w.row[d] != OFF) == working {
            r += 1;
            d += 1;
        }
        Some((v, r, d == w.days))
    } else {
        None
    };
    let hi_units = w.max_minutes.saturating_sub(w.out_minutes) / w.unit;
    let off_cap = w.min_off.max(1);
    let max_unit = w.units.iter().copied().max().unwrap_or(0);
    let lo_units = w.min_minutes.saturating_sub(w.out_minutes).div_ceil(w.unit);

    // Layer i + 1 holds the labels after window day i; layer 0 is the entering state.
    let mut layers: Vec<Vec<Label>> = Vec::with_capacity(len + 1);
    let mut keys: Vec<Vec<u64>> = Vec::with_capacity(len + 1);
    // Capped types: (radix, maximum) per shift type, for the counts index of the key.
    let mut cap_of: Vec<Option<(u32, u32)>> = vec![None; w.nshifts];
    let mut radix = 1u32;
    for &(t, max) in w.caps {
        cap_of[t] = Some((radix, max));
        radix = radix.saturating_mul(max + 1);
    }
    debug_assert!(radix <= 1 << 16, "caps too large for the key");
    keys.push(vec![key(last0, run0, touch0, 0, 0, 0)]);
    layers.push(vec![Label {
        cost: 0,
        parent: 0,
        value: OFF,
    }]);
    // At day a with a == 0 there is no previous run: a start marker.
    let start_marker = w.a == 0;
    // One map for every day (cleared, so it keeps its memory), and the scratch of the cut.
    let mut map: KeyMap = KeyMap::default();
    let mut cut = Cut::default();
    for i in 0..len {
        let day = w.a + i;
        let wd = w.weekday[day];
        let (prev_keys, prev_labels) = (&keys[i], &layers[i]);
        map.clear();
        map.reserve(prev_keys.len() * 2);
        let mut labels: Vec<Label> = Vec::with_capacity(prev_keys.len() * 2);
        let mut lkeys: Vec<u64> = Vec::with_capacity(prev_keys.len() * 2);
        for (pi, (&pk, pl)) in prev_keys.iter().zip(prev_labels).enumerate() {
            let pc = pl.cost;
            let (last, run, touch, units, we, counts) = unpack(pk);
            let first = start_marker && i == 0;
            let last_working = !first && last != OFF;
            for v in 0..n1 {
                let c = w.cost[i * n1 + v];
                if c == i64::MAX {
                    continue;
                }
                let working = v < w.nshifts;
                let vb = if working { v as u8 } else { OFF };
                let (nrun, ntouch);
                if first {
                    nrun = 1;
                    ntouch = true;
                } else if working == last_working {
                    nrun = run + 1;
                    ntouch = touch;
                } else {
                    // The previous run ends at day-1; it is interior unless it touched day 0.
                    if !touch {
                        if last_working && run < w.min_cons {
                            continue;
                        }
                        if !last_working && run < w.min_off {
                            continue;
                        }
                    }
                    nrun = 1;
                    ntouch = false;
                }
                let mut nunits = units;
                let mut nwe = we;
                let mut ncounts = counts;
                if working {
                    if let Some(&Some((r, max))) = cap_of.get(v) {
                        if (counts / r) % (max + 1) >= max {
                            continue;
                        }
                        ncounts += r;
                    }
                    if nrun > w.max_cons {
                        continue;
                    }
                    if last_working && w.forb[usize::from(last) * w.nshifts + v] {
                        continue;
                    }
                    nunits += w.units[v];
                    if nunits > hi_units && !w.relax_totals {
                        continue;
                    }
                    // Weekend counting (day 0 of the horizon is weekday `weekday[0]`).
                    let new_weekend = match wd {
                        5 => !(day + 1 < w.days && day + 1 >= w.b && w.row[day + 1] != OFF),
                        6 => {
                            !(day > 0 && last_working && w.weekday[day - 1] == 5)
                                && !(day == w.a
                                    && day > 0
                                    && w.weekday[day - 1] == 5
                                    && w.row[day - 1] != OFF)
                        }
                        _ => false,
                    };
                    if new_weekend {
                        nwe += 1;
                        if w.out_weekends + nwe > w.max_we && !w.relax_totals {
                            continue;
                        }
                    }
                } else {
                    // Off: cap the run length (longer off runs are all alike).
                }
                let nrun_key = if working { nrun } else { nrun.min(off_cap) };
                if w.prune_min
                    && !w.relax_totals
                    && nunits + (len - 1 - i) as u32 * max_unit < lo_units
                {
                    continue;
                }
                let mut cost = pc + c;
                let k = if w.relax_totals {
                    if nwe > we {
                        cost += w.we_price;
                    }
                    key(vb, nrun_key, ntouch, 0, 0, ncounts)
                } else {
                    key(vb, nrun_key, ntouch, nunits, nwe, ncounts)
                };
                match map.entry(k) {
                    Entry::Occupied(mut o) => {
                        let (best, idx) = o.get_mut();
                        if cost < *best {
                            *best = cost;
                            labels[*idx as usize] = Label {
                                cost,
                                parent: pi as u32,
                                value: vb,
                            };
                        }
                    }
                    Entry::Vacant(slot) => {
                        slot.insert((cost, labels.len() as u32));
                        labels.push(Label {
                            cost,
                            parent: pi as u32,
                            value: vb,
                        });
                        lkeys.push(k);
                    }
                }
            }
        }
        if labels.is_empty() {
            return None;
        }
        if w.label_cap > 0 && labels.len() > w.label_cap {
            // Keep the cheapest labels, ranked by cost plus the minimum-minutes penalty of
            // falling behind a steady pace (so labels that work more are not cut just
            // because the penalty comes later); see `Cut` for the few kept per group.
            let pace = u64::from(lo_units) * (i as u64 + 1) / len as u64;
            let per_unit = w.hard_weight * i64::from(w.unit) / i64::from(w.hard_unit);
            cut.run(&mut labels, &mut lkeys, w.label_cap, |l, k| {
                l.cost + per_unit * pace.saturating_sub(u64::from(unpack(k).3)) as i64
            });
        }
        keys.push(lkeys);
        layers.push(labels);
    }
    // Close: exit conditions and end-of-horizon resource costs.
    let last_layer = layers.last()?;
    let mut best: Option<(i64, usize)> = None;
    for (li, (l, &k)) in last_layer.iter().zip(keys.last()?).enumerate() {
        let (last, run, touch, units, _we, _counts) = unpack(k);
        let working = last != OFF;
        let mut ok = true;
        if let Some((v, r, touches_end)) = exit {
            let fixed_working = v != OFF;
            if working && fixed_working && w.forb[usize::from(last) * w.nshifts + usize::from(v)] {
                ok = false;
            }
            if working == fixed_working {
                let combined = run + r;
                if working && combined > w.max_cons {
                    ok = false;
                }
                if !touch && !touches_end {
                    if working && combined < w.min_cons {
                        ok = false;
                    }
                    if !working && combined < w.min_off {
                        ok = false;
                    }
                }
            } else {
                if !touch {
                    if working && run < w.min_cons {
                        ok = false;
                    }
                    if !working && run < w.min_off {
                        ok = false;
                    }
                }
                if !touches_end {
                    if fixed_working && r < w.min_cons {
                        ok = false;
                    }
                    if !fixed_working && r < w.min_off {
                        ok = false;
                    }
                }
            }
        }
        if !ok {
            continue;
        }
        let minutes = w.out_minutes + units * w.unit;
        let mut cost = l.cost;
        if w.relax_totals {
            // Totals are the caller's business in Lagrangian mode.
        } else if minutes < w.min_minutes {
            cost += i64::from((w.min_minutes - minutes).div_ceil(w.hard_unit)) * w.hard_weight;
        }
        if let Some(t) = w.target
            && !w.relax_totals
        {
            cost += i64::from(minutes.abs_diff(t).div_ceil(60)) * w.target_w;
        }
        if best.is_none_or(|(c, _)| cost < c) {
            best = Some((cost, li));
        }
    }
    let (cost, mut idx) = best?;
    let mut values = vec![OFF; len];
    for i in (0..len).rev() {
        let l = layers[i + 1][idx];
        values[i] = l.value;
        idx = l.parent as usize;
    }
    Some((values, cost))
}

/// Cuts a day's labels down to about `cap`: the cheapest by rank (ties by key, which is
/// unique, so the order is total), but always the 4 cheapest of every (working, run
/// length) group, so a fixed day off or a run rule cannot kill every label. The kept
/// labels stay in their order. Buffers are reused from day to day.
#[derive(Default)]
struct Cut {
    ranked: Vec<(i64, u64, u32)>,
    keep: Vec<bool>,
    /// Per group (working * 256 + run): kept so far, and the cheapest candidates
    /// outside the `cap` cheapest (at most 4, sorted).
    count: Vec<u8>,
    spare: Vec<Vec<(i64, u64, u32)>>,
}

/// Labels kept per (working, run length) group whatever their rank.
const PER_GROUP: u8 = 4;

impl Cut {
    fn run(
        &mut self,
        labels: &mut Vec<Label>,
        lkeys: &mut Vec<u64>,
        cap: usize,
        rank: impl Fn(&Label, u64) -> i64,
    ) {
        let n = labels.len();
        debug_assert!(cap > 0 && n > cap);
        let group = |k: u64| {
            let (last, run, ..) = unpack(k);
            usize::from(last != OFF) * 256 + run as usize
        };
        self.ranked.clear();
        self.ranked
            .extend((0..n).map(|j| (rank(&labels[j], lkeys[j]), lkeys[j], j as u32)));
        // The cap cheapest, sorted; the rest unsorted.
        self.ranked.select_nth_unstable(cap - 1);
        let (top, rest) = self.ranked.split_at_mut(cap);
        top.sort_unstable();
        self.keep.clear();
        self.keep.resize(n, false);
        self.count.clear();
        self.count.resize(512, 0);
        let mut kept = 0;
        for &(.., j) in top.iter() {
            let g = group(lkeys[j as usize]);
            if self.count[g] < PER_GROUP {
                self.count[g] += 1;
                self.keep[j as usize] = true;
                kept += 1;
            }
        }
        // Groups short of their quota take their cheapest labels from the rest.
        if self.spare.len() < 512 {
            self.spare.resize_with(512, Vec::new);
        }
        let mut short = false;
        for &item in rest.iter() {
            let g = group(item.1);
            let need = usize::from(PER_GROUP - self.count[g]);
            if need == 0 {
                continue;
            }
            short = true;
            let s = &mut self.spare[g];
            if s.len() < need || item < s[s.len() - 1] {
                let at = s.partition_point(|x| *x < item);
                s.insert(at, item);
                s.truncate(need);
            }
        }
        if short {
            for s in &mut self.spare {
                for &(.., j) in s.iter() {
                    self.keep[j as usize] = true;
                    kept += 1;
                }
                s.clear();
            }
        }
        // Fill up to the cap in rank order; these all lie among the cap cheapest.
        for &(.., j) in top.iter() {
            if kept >= cap {
                break;
            }
            if !self.keep[j as usize] {
                self.keep[j as usize] = true;
                kept += 1;
            }
        }
        let mut at = 0;
        for j in 0..n {
            if self.keep[j] {
                labels[at] = labels[j];
                lkeys[at] = lkeys[j];
                at += 1;
            }
        }
        labels.truncate(at);
        lkeys.truncate(at);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The rule written plainly: sort all labels, keep the first `PER_GROUP` of every
    /// group, then fill up to `cap` in rank order; kept labels stay in their order.
    fn plain_cut(labels: &[Label], lkeys: &[u64], cap: usize) -> Vec<u64> {
        let mut order: Vec<(i64, u64, usize)> = (0..labels.len())
            .map(|j| (labels[j].cost, lkeys[j], j))
            .collect();
        order.sort_unstable();
        let mut keep = vec![false; labels.len()];
        let mut per_group: HashMap<(bool, u32), u8> = HashMap::new();
        let mut kept = 0;
        for &(_, k, j) in &order {
            let (last, run, ..) = unpack(k);
            let g = per_group.entry((last != OFF, run)).or_insert(0);
            if *g < PER_GROUP {
                *g += 1;
                keep[j] = true;
                kept += 1;
            }
        }
        for &(.., j) in &order {
            if kept >= cap {
                break;
            }
            if !keep[j] {
                keep[j] = true;
                kept += 1;
            }
        }
        (0..labels.len())
            .filter(|&j| keep[j])
            .map(|j| lkeys[j])
            .collect()
    }

    proptest! {
        /// The partial selection keeps exactly the labels the full sort keeps, in the
        /// same order, whatever the groups, ties in cost and cap.
        #[test]
        fn cut_keeps_what_a_full_sort_keeps(
            raw in prop::collection::vec((0u8..4, 0u32..12, 0u32..40, -5i64..30), 2..300),
            cap_share in 0.01f64..1.0,
        ) {
            // Unique keys (as in the DP, where a key is one label).
            let mut seen = std::collections::HashSet::new();
            let mut labels = Vec::new();
            let mut lkeys = Vec::new();
            for &(last, run, units, cost) in &raw {
                let last = if last == 3 { OFF } else { last };
                let k = key(last, run, false, units, 0, 0);
                if seen.insert(k) {
                    labels.push(Label { cost, parent: 0, value: last });
                    lkeys.push(k);
                }
            }
            let cap = ((labels.len() as f64 * cap_share) as usize).max(1);
            prop_assume!(labels.len() > cap);
            let expected = plain_cut(&labels, &lkeys, cap);
            let mut cut = Cut::default();
            // Twice with one scratch, as from day to day.
            for _ in 0..2 {
                let (mut l, mut k) = (labels.clone(), lkeys.clone());
                cut.run(&mut l, &mut k, cap, |l, _| l.cost);
                prop_assert_eq!(&k, &expected);
                let costs_follow_keys = l.iter().zip(&k).all(|(l, k)| {
                    let j = lkeys.iter().position(|x| x == k).unwrap();
                    l.cost == labels[j].cost
                });
                prop_assert!(costs_follow_keys);
            }
        }
    }
}
