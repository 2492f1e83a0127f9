//! The independent checker: scores a roster from scratch, straight from the problem's
//! definition, sharing no bookkeeping with the optimiser. Every solver result is checked
//! with it in the tests.

use crate::model::{Problem, Roster};
use serde::Serialize;
use std::fmt;

/// A broken hard constraint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Violation {
    /// The roster has the wrong number of employees or days.
    Shape,
    DayOff {
        employee: usize,
        day: usize,
    },
    TooManyOfType {
        employee: usize,
        shift: usize,
        count: u32,
        max: u32,
    },
    TooManyMinutes {
        employee: usize,
        minutes: u32,
        max: u32,
    },
    TooFewMinutes {
        employee: usize,
        minutes: u32,
        min: u32,
    },
    RunTooLong {
        employee: usize,
        start: usize,
        length: u32,
        max: u32,
    },
    RunTooShort {
        employee: usize,
        start: usize,
        length: u32,
        min: u32,
    },
    RestTooShort {
        employee: usize,
        start: usize,
        length: u32,
        min: u32,
    },
    TooManyWeekends {
        employee: usize,
        weekends: u32,
        max: u32,
    },
    ForbiddenSuccession {
        employee: usize,
        day: usize,
        first: usize,
        second: usize,
    },
    WeekTooLong {
        employee: usize,
        week: usize,
        minutes: u32,
        max: u32,
    },
    UnknownShift {
        employee: usize,
        day: usize,
    },
    /// Too little weekly rest (ATW art. 5:5(2)) in the 14-day block starting on `day`.
    WeeklyRest {
        employee: usize,
        day: usize,
    },
}

/// The soft cost of a roster, by part.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Score {
    pub cover: u64,
    pub on_requests: u64,
    pub off_requests: u64,
    pub contract_target: u64,
    pub opkomsten: u64,
    pub short_shifts: u64,
    pub total: u64,
}

/// The checker's verdict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evaluation {
    pub violations: Vec<Violation>,
    pub score: Score,
}

impl Evaluation {
    pub fn feasible(&self) -> bool {
        self.violations.is_empty()
    }
}

/// Scores `roster` against `problem`.
pub fn check(problem: &Problem, roster: &Roster) -> Evaluation {
    let mut v = Vec::new();
    let mut score = Score::default();
    let days = problem.days;
    let ns = problem.shifts.len();
    if roster.shifts.len() != problem.employees.len()
        || roster.shifts.iter().any(|r| r.len() != days)
    {
        return Evaluation {
            violations: vec![Violation::Shape],
            score,
        };
    }
    if roster.shifts.iter().flatten().flatten().any(|&s| s >= ns) {
        for (e, row) in roster.shifts.iter().enumerate() {
            for (d, s) in row.iter().enumerate() {
                if matches!(s, Some(s) if *s >= ns) {
                    v.push(Violation::UnknownShift {
                        employee: e,
                        day: d,
                    });
                }
            }
        }
        return Evaluation {
            violations: v,
            score,
        };
    }
    for (e, emp) in problem.employees.iter().enumerate() {
        let row = &roster.shifts[e];
        for &d in &emp.days_off {
            if row[d].is_some() {
                v.push(Violation::DayOff {
                    employee: e,
                    day: d,
                });
            }
        }
        for s in 0..ns {
            let count = row.iter().filter(|x| **x == Some(s)).count() as u32;
            if count > emp.max_shifts[s] {
                v.push(Violation::TooManyOfType {
                    employee: e,
                    shift: s,
                    count,
                    max: emp.max_shifts[s],
                });
            }
        }
        let minutes: u32 = row
            .iter()
            .flatten()
            .map(|&s| problem.shifts[s].minutes)
            .sum();
        if minutes > emp.max_total_minutes {
            v.push(Violation::TooManyMinutes {
                employee: e,
                minutes,
                max: emp.max_total_minutes,
            });
        }
        if minutes < emp.min_total_minutes {
            v.push(Violation::TooFewMinutes {
                employee: e,
                minutes,
                min: emp.min_total_minutes,
            });
        }
        // Maximal runs of equal work/off status.
        let mut start = 0;
        while start < days {
            let working = row[start].is_some();
            let mut end = start;
            while end + 1 < days && row[end + 1].is_some() == working {
                end += 1;
            }
            let length = (end - start + 1) as u32;
            let interior = start > 0 && end + 1 < days;
            if working {
                if length > emp.max_consecutive_shifts {
                    v.push(Violation::RunTooLong {
                        employee: e,
                        start,
                        length,
                        max: emp.max_consecutive_shifts,
                    });
                }
                if interior && length < emp.min_consecutive_shifts {
                    v.push(Violation::RunTooShort {
                        employee: e,
                        start,
                        length,
                        min: emp.min_consecutive_shifts,
                    });
                }
            } else if interior && length < emp.min_consecutive_days_off {
                v.push(Violation::RestTooShort {
                    employee: e,
                    start,
                    length,
                    min: emp.min_consecutive_days_off,
                });
            }
            start = end + 1;
        }
        let mut weekends: Vec<usize> = (0..days)
            .filter(|&d| row[d].is_some() && matches!(problem.weekday(d), 5 | 6))
            .map(|d| (problem.first_weekday + d) / 7)
            .collect();
        weekends.dedup();
        if weekends.len() as u32 > emp.max_weekends {
            v.push(Violation::TooManyWeekends {
                employee: e,
                weekends: weekends.len() as u32,
                max: emp.max_weekends,
            });
        }
        for d in 0..days.saturating_sub(1) {
            if let (Some(a), Some(b)) = (row[d], row[d + 1]) {
                let listed = problem.shifts[a].cannot_follow.contains(&b);
                let rest_short = match (
                    problem.care.min_rest_minutes,
                    problem.shifts[a].start_minute,
                    problem.shifts[b].start_minute,
                ) {
                    (Some(min), Some(sa), Some(sb)) => {
                        let end_a = i64::from(sa) + i64::from(problem.shifts[a].minutes);
                        let start_b = 1440 + i64::from(sb);
                        start_b - end_a < i64::from(min)
                    }
                    _ => false,
                };
                if listed || rest_short {
                    v.push(Violation::ForbiddenSuccession {
                        employee: e,
                        day: d,
                        first: a,
                        second: b,
                    });
                }
            }
        }
        if let Some(max) = problem.care.max_week_minutes {
            let mut per_week = std::collections::BTreeMap::<usize, u32>::new();
            for (d, s) in row.iter().enumerate() {
                if let Some(s) = s {
                    *per_week.entry((problem.first_weekday + d) / 7).or_default() +=
                        problem.shifts[*s].minutes;
                }
            }
            for (week, minutes) in per_week {
                if minutes > max {
                    v.push(Violation::WeekTooLong {
                        employee: e,
                        week,
                        minutes,
                        max,
                    });
                }
            }
        }
        for block in 0..problem.rest_blocks() {
            if problem.weekly_rest_short(block, |d| row[d]) {
                v.push(Violation::WeeklyRest {
                    employee: e,
                    day: problem.rest_block_start() + 14 * block,
                });
            }
        }
        // Soft, per employee.
        if let Some(t) = emp.target_minutes {
            let dev = u64::from(minutes.abs_diff(t));
            score.contract_target +=
                dev.div_ceil(60) * u64::from(problem.care.target_weight_per_hour);
        }
        for s in row.iter().flatten() {
            let st = &problem.shifts[*s];
            score.opkomsten += u64::from(st.opkomsten) * u64::from(problem.care.opkomst_weight);
            if st.minutes < problem.care.short_shift_minutes {
                score.short_shifts += u64::from(problem.care.short_shift_weight);
            }
        }
    }
    for r in &problem.on_requests {
        if roster.shifts[r.employee][r.day] != Some(r.shift) {
            score.on_requests += u64::from(r.weight);
        }
    }
    for r in &problem.off_requests {
        if roster.shifts[r.employee][r.day] == Some(r.shift) {
            score.off_requests += u64::from(r.weight);
        }
    }
    for c in &problem.cover {
        let y = roster
            .shifts
            .iter()
            .filter(
                |row| matches!(row[c.day], Some(s) if problem.shifts[s].covers.contains(&c.slot)),
            )
            .count() as u64;
        let req = u64::from(c.requirement);
        score.cover += u64::from(c.weight_under) * req.saturating_sub(y)
            + u64::from(c.weight_over) * y.saturating_sub(req);
    }
    score.total = score.cover
        + score.on_requests
        + score.off_requests
        + score.contract_target
        + score.opkomsten
        + score.short_shifts;
    Evaluation {
        violations: v,
        score,
    }
}

/// Renders a violation in Dutch with the instance's own IDs (days counted from 0).
pub struct Describe<'a>(pub &'a Problem, pub &'a Violation);

impl fmt::Display for Describe<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let p = self.0;
        let emp = |e: &usize| p.employees[*e].id.as_str();
        let sh = |s: &usize| p.shifts[*s].id.as_str();
        match self.1 {
            Violation::Shape => write!(
                f,
                "het rooster past niet bij de instantie (aantal medewerkers of dagen)"
            ),
            Violation::DayOff { employee, day } => {
                write!(f, "{}: dienst op verplichte vrije dag {day}", emp(employee))
            }
            Violation::TooManyOfType {
                employee,
                shift,
                count,
                max,
            } => {
                write!(
                    f,
                    "{}: {count} keer dienst {} (max {max})",
                    emp(employee),
                    sh(shift)
                )
            }
            Violation::TooManyMinutes {
                employee,
                minutes,
                max,
            } => write!(f, "{}: {minutes} minuten (max {max})", emp(employee)),
            Violation::TooFewMinutes {
                employee,
                minutes,
                min,
            } => write!(f, "{}: {minutes} minuten (min {min})", emp(employee)),
            Violation::RunTooLong {
                employee,
                start,
                length,
                max,
            } => {
                write!(
                    f,
                    "{}: {length} dagen achter elkaar gewerkt vanaf dag {start} (max {max})",
                    emp(employee)
                )
            }
            Violation::RunTooShort {
                employee,
                start,
                length,
                min,
            } => {
                write!(
                    f,
                    "{}: maar {length} werkdag(en) achter elkaar vanaf dag {start} (min {min})",
                    emp(employee)
                )
            }
            Violation::RestTooShort {
                employee,
                start,
                length,
                min,
            } => {
                write!(
                    f,
                    "{}: maar {length} vrije dag(en) achter elkaar vanaf dag {start} (min {min})",
                    emp(employee)
                )
            }
            Violation::TooManyWeekends {
                employee,
                weekends,
                max,
            } => {
                write!(
                    f,
                    "{}: {weekends} weekenden gewerkt (max {max})",
                    emp(employee)
                )
            }
            Violation::ForbiddenSuccession {
                employee,
                day,
                first,
                second,
            } => write!(
                f,
                "{}: dienst {} op dag {} mag niet volgen op dienst {} op dag {day}",
                emp(employee),
                sh(second),
                day + 1,
                sh(first)
            ),
            Violation::WeekTooLong {
                employee,
                week,
                minutes,
                max,
            } => {
                write!(
                    f,
                    "{}: {minutes} minuten in week {week} (max {max})",
                    emp(employee)
                )
            }
            Violation::UnknownShift { employee, day } => {
                write!(f, "{}: onbekende dienst op dag {day}", emp(employee))
            }
            Violation::WeeklyRest { employee, day } => write!(
                f,
                "{}: te weinig wekelijkse rust in de 14 dagen vanaf dag {day} (ATW art. 5:5)",
                emp(employee)
            ),
        }
    }
}
