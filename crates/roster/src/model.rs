//! The general rostering model.
//!
//! It is the model of the public Curtois shift scheduling benchmark (days, shift types with
//! forbidden successions, employees with hard limits, soft on/off requests and soft cover
//! requirements) extended with what Dutch care rosters need: shift clock times with a minimum
//! rest between shifts, a desired number of contract hours per employee as a soft target,
//! penalties per opkomstmoment and per short shift, a weekly maximum, and cover *slots* so a
//! longer shift type can count towards the demand of several shorter ones (design mode).
//! A Curtois instance maps into it with one slot per shift type and all care weights zero.

use serde::{Deserialize, Serialize};

/// Marker for "no shift" in dense assignment rows.
pub const OFF: u8 = u8::MAX;

/// One kind of shift.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShiftType {
    /// Identifier as in the source (e.g. `D`, `a1`, `L`).
    pub id: String,
    /// Paid length in minutes.
    pub minutes: u32,
    /// Clock time the shift starts, in minutes after midnight (None in the Curtois format).
    pub start_minute: Option<u32>,
    /// Shift types (indices) that may not be worked the day after this one (hard).
    pub cannot_follow: Vec<usize>,
    /// Cover slots (indices into [`Problem::slots`]) this shift counts towards.
    pub covers: Vec<usize>,
    /// Number of separate arrivals this shift needs (2 for a split shift).
    pub opkomsten: u32,
}

/// One employee and the hard limits on their roster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Employee {
    pub id: String,
    /// Maximum number of shifts per shift type (index = shift type); 0 = not qualified.
    pub max_shifts: Vec<u32>,
    pub max_total_minutes: u32,
    pub min_total_minutes: u32,
    pub max_consecutive_shifts: u32,
    /// Every run of worked days not touching the first or last day is at least this long.
    pub min_consecutive_shifts: u32,
    /// Every run of days off not touching the first or last day is at least this long.
    pub min_consecutive_days_off: u32,
    /// Maximum number of weekends (Saturday or Sunday worked) over the horizon.
    pub max_weekends: u32,
    /// Days (indices) on which no shift may be assigned.
    pub days_off: Vec<usize>,
    /// Desired worked minutes over the horizon (soft, see [`CareRules::target_weight_per_hour`]).
    pub target_minutes: Option<u32>,
}

/// A soft request for (or against) one shift on one day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Request {
    pub employee: usize,
    pub day: usize,
    pub shift: usize,
    pub weight: u32,
}

/// A soft cover requirement for one slot on one day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cover {
    pub day: usize,
    pub slot: usize,
    pub requirement: u32,
    pub weight_under: u32,
    pub weight_over: u32,
}

/// The Dutch care extensions. All zero / None for a pure benchmark instance.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CareRules {
    /// Minimum rest in minutes between the end of a shift and the start of the next day's
    /// shift, derived from the shift clock times (hard). ATW art. 5:3(2): 11 h = 660.
    pub min_rest_minutes: Option<u32>,
    /// Maximum worked minutes per calendar week Monday–Sunday (hard). ATW art. 5:7: 60 h.
    pub max_week_minutes: Option<u32>,
    /// Penalty per opkomstmoment (a split shift counts as its `opkomsten`).
    pub opkomst_weight: u32,
    /// Shifts shorter than this many minutes count as short.
    pub short_shift_minutes: u32,
    /// Penalty per short shift.
    pub short_shift_weight: u32,
    /// Penalty per started hour of deviation from an employee's `target_minutes`.
    pub target_weight_per_hour: u32,
    /// Weekly rest (hard), measured as the roster scan measures it
    /// ([`Problem::weekly_rest_short`]); needs shift clock times.
    #[serde(default)]
    pub weekly_rest: bool,
}

/// Weekly rest, ATW art. 5:5(2) (shared/reference/nl-roster-rules.md): at least 36 h
/// uninterrupted rest in every 7 × 24 h, or at least 72 h in every 14 × 24 h taken in
/// parts of at least 32 h each.
pub const WEEKLY_REST_MINUTES: i64 = 36 * 60;
/// ATW art. 5:5(2): the 14 × 24 h alternative, in total …
pub const FORTNIGHT_REST_MINUTES: i64 = 72 * 60;
/// … in parts of at least 32 h.
pub const FORTNIGHT_REST_PART_MINUTES: i64 = 32 * 60;

/// A complete rostering problem.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    pub name: String,
    /// Horizon length in days; day 0 is `first_weekday`.
    pub days: usize,
    /// Weekday of day 0, 0 = Monday … 6 = Sunday.
    pub first_weekday: usize,
    pub shifts: Vec<ShiftType>,
    /// Names of the cover slots (one per shift type for a benchmark instance).
    pub slots: Vec<String>,
    pub employees: Vec<Employee>,
    pub on_requests: Vec<Request>,
    pub off_requests: Vec<Request>,
    pub cover: Vec<Cover>,
    pub care: CareRules,
}

/// Errors in a model that make it unusable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ModelError {
    #[error("het model is ongeldig: {0}")]
    Invalid(String),
}

impl Problem {
    /// Weekday of a day, 0 = Monday.
    pub fn weekday(&self, day: usize) -> usize {
        (self.first_weekday + day) % 7
    }

    /// Weekend index of a day (Saturday or Sunday), None on a weekday. Weekend `k` holds the
    /// Saturday and Sunday of week `k` counted from the week containing day 0.
    pub fn weekend_of(&self, day: usize) -> Option<usize> {
        let wd = self.weekday(day);
        if wd >= 5 {
            Some((self.first_weekday + day) / 7)
        } else {
            None
        }
    }

    /// Calendar week (Monday–Sunday) index of a day.
    pub fn week_of(&self, day: usize) -> usize {
        (self.first_weekday + day) / 7
    }

    pub fn shift_index(&self, id: &str) -> Option<usize> {
        self.shifts.iter().position(|s| s.id == id)
    }

    pub fn employee_index(&self, id: &str) -> Option<usize> {
        self.employees.iter().position(|e| e.id == id)
    }

    /// Rest in minutes between shift `a` on one day and shift `b` on the next day, if both
    /// have clock times.
    pub fn rest_between(&self, a: usize, b: usize) -> Option<i64> {
        let sa = &self.shifts[a];
        let sb = &self.shifts[b];
        match (sa.start_minute, sb.start_minute) {
            (Some(x), Some(y)) => {
                Some(1440 + i64::from(y) - (i64::from(x) + i64::from(sa.minutes)))
            }
            _ => None,
        }
    }

    /// Whether shift `b` may not be worked the day after shift `a`: a listed forbidden
    /// succession, or too little rest by the clock times.
    pub fn forbidden_succession(&self, a: usize, b: usize) -> bool {
        if self.shifts[a].cannot_follow.contains(&b) {
            return true;
        }
        match (self.care.min_rest_minutes, self.rest_between(a, b)) {
            (Some(min), Some(rest)) => rest < i64::from(min),
            _ => false,
        }
    }

    /// First day of the 14-day weekly-rest blocks: the first Monday of the horizon (as the
    /// roster scan counts them from the first Monday of its period).
    pub fn rest_block_start(&self) -> usize {
        (7 - self.first_weekday % 7) % 7
    }

    /// Number of whole 14-day weekly-rest blocks in the horizon (0 without the rule).
    pub fn rest_blocks(&self) -> usize {
        if !self.care.weekly_rest {
            return 0;
        }
        self.days.saturating_sub(self.rest_block_start()) / 14
    }

    /// Whether a row (`at(day)`: the shift type worked that day) lacks the weekly rest of
    /// ATW art. 5:5(2) in 14-day block `block` (days `rest_block_start() + 14 × block` and
    /// on): neither a rest of at least 36 h inside each of its two weeks, nor at least 72 h
    /// of rest in parts of at least 32 h inside the block. Rests are measured between the
    /// shifts' clock times and cut at the block's (and the week's) edges; exactly the
    /// roster scan's `wekelijkse_rust` check. False for shifts without clock times.
    pub fn weekly_rest_short(&self, block: usize, at: impl Fn(usize) -> Option<usize>) -> bool {
        let bs = self.rest_block_start() + 14 * block;
        let day = 1440i64;
        // Shifts touching the block: from two days before (shifts past midnight).
        let mut spans = [(0i64, 0i64); 16];
        let mut n = 0;
        for d in bs.saturating_sub(2)..(bs + 14).min(self.days) {
            let Some(t) = at(d) else { continue };
            let st = &self.shifts[t];
            let Some(start) = st.start_minute else {
                return false;
            };
            let begin = d as i64 * day + i64::from(start);
            spans[n] = (begin, begin + i64::from(st.minutes));
            n += 1;
        }
        let spans = &spans[..n];
        let b0 = bs as i64 * day;
        let (mid, fin) = (b0 + 7 * day, b0 + 14 * day);
        // Calls `f` with every rest inside [from, to).
        let rests = |from: i64, to: i64, f: &mut dyn FnMut(i64)| {
            let mut cursor = from;
            for &(s, e) in spans.iter().filter(|(s, e)| *e > from && *s < to) {
                if s > cursor {
                    f(s - cursor);
                }
                cursor = cursor.max(e);
            }
            if to > cursor {
                f(to - cursor);
            }
        };
        let long_in = |from: i64, to: i64| {
            let mut ok = false;
            rests(from, to, &mut |r| ok |= r >= WEEKLY_REST_MINUTES);
            ok
        };
        if long_in(b0, mid) && long_in(mid, fin) {
            return false;
        }
        let mut long = 0;
        rests(b0, fin, &mut |r| {
            if r >= FORTNIGHT_REST_PART_MINUTES {
                long += r;
            }
        });
        long < FORTNIGHT_REST_MINUTES
    }

    /// Checks indices and sizes; every other part of the crate assumes a valid problem.
    pub fn validate(&self) -> Result<(), ModelError> {
        let bad = |m: String| Err(ModelError::Invalid(m));
        let ns = self.shifts.len();
        if ns == 0 || ns >= usize::from(OFF) {
            return bad(format!(
                "aantal diensttypen {ns} moet tussen 1 en 254 liggen"
            ));
        }
        if self.days == 0 {
            return bad("de periode heeft geen dagen".into());
        }
        for s in &self.shifts {
            if s.cannot_follow.iter().any(|&t| t >= ns)
                || s.covers.iter().any(|&c| c >= self.slots.len())
            {
                return bad(format!(
                    "dienst {} verwijst naar een onbekende dienst of taak",
                    s.id
                ));
            }
        }
        for e in &self.employees {
            if e.max_shifts.len() != ns {
                return bad(format!(
                    "medewerker {}: maxima per dienst passen niet bij de diensten",
                    e.id
                ));
            }
            if e.days_off.iter().any(|&d| d >= self.days) {
                return bad(format!("medewerker {}: vrije dag buiten de periode", e.id));
            }
        }
        let ne = self.employees.len();
        for r in self.on_requests.iter().chain(&self.off_requests) {
            if r.employee >= ne || r.day >= self.days || r.shift >= ns {
                return bad("verzoek verwijst naar onbekende medewerker, dag of dienst".into());
            }
        }
        for c in &self.cover {
            if c.day >= self.days || c.slot >= self.slots.len() {
                return bad("bezetting verwijst naar onbekende dag of taak".into());
            }
        }
        Ok(())
    }
}

/// A roster: per employee, per day, the shift type index or None (day off).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Roster {
    pub shifts: Vec<Vec<Option<usize>>>,
}

impl Roster {
    /// A roster with every day off.
    pub fn empty(problem: &Problem) -> Self {
        Self {
            shifts: vec![vec![None; problem.days]; problem.employees.len()],
        }
    }
}
