//! Design mode: add longer shift types that together cover the same demand.
//!
//! For every pair of shift types `a`, `b` with clock times where `b` starts exactly when `a`
//! ends and the two together stay within the maximum shift length (ATW art. 5:7: 12 h),
//! a combined type `a+b` is added. It counts towards the cover slots of both, needs one
//! opkomstmoment, and inherits the forbidden successions of its first part (what may come
//! before it) and of its last part (what may follow it). With penalties for opkomstmomenten
//! and short shifts, the optimiser then trades two short arrivals for one longer shift
//! ("from zorgpiek to zorggolf") while the cover stays measured against the same demand.

use crate::model::{Problem, ShiftType};

/// Options for [`with_longer_shifts`].
#[derive(Debug, Clone, Copy)]
pub struct DesignOptions {
    /// Longest combined shift in minutes (ATW art. 5:7: 12 h = 720).
    pub max_shift_minutes: u32,
}

impl Default for DesignOptions {
    fn default() -> Self {
        Self {
            max_shift_minutes: 720,
        }
    }
}

/// Returns a copy of `p` with the combined shift types added (existing types keep their
/// indices, so a roster of `p` is a roster of the result).
pub fn with_longer_shifts(p: &Problem, opts: &DesignOptions) -> Problem {
    let mut out = p.clone();
    let n = p.shifts.len();
    let mut added: Vec<(usize, usize)> = Vec::new();
    for a in 0..n {
        for b in 0..n {
            let (sa, sb) = (&p.shifts[a], &p.shifts[b]);
            let (Some(start_a), Some(start_b)) = (sa.start_minute, sb.start_minute) else {
                continue;
            };
            if a == b
                || start_a + sa.minutes != start_b
                || sa.minutes + sb.minutes > opts.max_shift_minutes
            {
                continue;
            }
            if out.shifts.len() + 1 >= usize::from(crate::model::OFF) {
                break;
            }
            let mut covers = sa.covers.clone();
            for c in &sb.covers {
                if !covers.contains(c) {
                    covers.push(*c);
                }
            }
            out.shifts.push(ShiftType {
                id: format!("{}+{}", sa.id, sb.id),
                minutes: sa.minutes + sb.minutes,
                start_minute: Some(start_a),
                cannot_follow: sb.cannot_follow.clone(),
                covers,
                opkomsten: 1,
            });
            added.push((a, b));
        }
    }
    // Successions into and out of the new types.
    let total = out.shifts.len();
    for (k, &(a, b)) in added.iter().enumerate() {
        let new = n + k;
        for t in 0..total {
            // t before new: forbidden if t may not be followed by the first part a.
            let t_first = if t < n { t } else { added[t - n].1 };
            if p.shifts[t_first].cannot_follow.contains(&a)
                && !out.shifts[t].cannot_follow.contains(&new)
            {
                out.shifts[t].cannot_follow.push(new);
            }
            // new before t: forbidden if b may not be followed by t's first part.
            let t_head = if t < n { t } else { added[t - n].0 };
            if p.shifts[b].cannot_follow.contains(&t_head)
                && !out.shifts[new].cannot_follow.contains(&t)
            {
                out.shifts[new].cannot_follow.push(t);
            }
        }
    }
    for e in &mut out.employees {
        for &(a, b) in &added {
            // Qualified for the combination only when qualified for both parts.
            let m = if e.max_shifts[a] == 0 || e.max_shifts[b] == 0 {
                0
            } else {
                e.max_shifts[a].min(e.max_shifts[b])
            };
            e.max_shifts.push(m);
        }
    }
    out
}
