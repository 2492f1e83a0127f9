//! The Curtois shift scheduling benchmark text format (`Instance1.txt` … `Instance24.txt`)
//! and the roster CSV (`employee,day,shift`).
//!
//! Format as described in `shared/bench/roster/curtois/README.md`: `#` comments, sections
//! `SECTION_HORIZON`, `SECTION_SHIFTS`, `SECTION_STAFF`, `SECTION_DAYS_OFF`,
//! `SECTION_SHIFT_ON_REQUESTS`, `SECTION_SHIFT_OFF_REQUESTS`, `SECTION_COVER`; CRLF line ends
//! and trailing empty fields are accepted. Day 0 is a Monday.

use crate::model::{CareRules, Cover, Employee, Problem, Request, Roster, ShiftType};
use std::fmt::Write as _;

/// A problem in an instance or roster file, with the line it was found on (1-based).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("regel {line}: {message}")]
pub struct ParseError {
    pub line: usize,
    pub message: String,
}

fn err<T>(line: usize, message: impl Into<String>) -> Result<T, ParseError> {
    Err(ParseError {
        line,
        message: message.into(),
    })
}

fn num<T: std::str::FromStr>(line: usize, field: &str, what: &str) -> Result<T, ParseError> {
    match field.trim().parse() {
        Ok(v) => Ok(v),
        Err(_) => err(
            line,
            format!("{what}: '{}' is geen geldig getal", field.trim()),
        ),
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Section {
    None,
    Horizon,
    Shifts,
    Staff,
    DaysOff,
    OnRequests,
    OffRequests,
    Cover,
}

/// Parses an instance in the Curtois `.txt` format.
pub fn parse_instance(name: &str, text: &str) -> Result<Problem, ParseError> {
    let mut section = Section::None;
    let mut days: Option<usize> = None;
    // Raw rows kept until all shift and staff IDs are known.
    let mut shift_rows: Vec<(usize, Vec<String>)> = Vec::new();
    let mut staff_rows: Vec<(usize, Vec<String>)> = Vec::new();
    let mut other_rows: Vec<(usize, Section, Vec<String>)> = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line_no = i + 1;
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let next = match line {
            "SECTION_HORIZON" => Some(Section::Horizon),
            "SECTION_SHIFTS" => Some(Section::Shifts),
            "SECTION_STAFF" => Some(Section::Staff),
            "SECTION_DAYS_OFF" => Some(Section::DaysOff),
            "SECTION_SHIFT_ON_REQUESTS" => Some(Section::OnRequests),
            "SECTION_SHIFT_OFF_REQUESTS" => Some(Section::OffRequests),
            "SECTION_COVER" => Some(Section::Cover),
            _ => None,
        };
        if let Some(s) = next {
            section = s;
            continue;
        }
        let fields: Vec<String> = line.split(',').map(|f| f.trim().to_string()).collect();
        match section {
            Section::None => return err(line_no, "gegevens vóór de eerste sectie"),
            Section::Horizon => {
                if days.is_some() {
                    return err(line_no, "SECTION_HORIZON heeft meer dan één regel");
                }
                days = Some(num(line_no, &fields[0], "horizon")?);
            }
            Section::Shifts => shift_rows.push((line_no, fields)),
            Section::Staff => staff_rows.push((line_no, fields)),
            s => other_rows.push((line_no, s, fields)),
        }
    }
    let Some(days) = days else {
        return err(0, "SECTION_HORIZON ontbreekt");
    };
    if days == 0 {
        return err(0, "horizon is 0 dagen");
    }
    let shift_ids: Vec<String> = shift_rows.iter().map(|(_, f)| f[0].clone()).collect();
    let shift_idx = |line: usize, id: &str| -> Result<usize, ParseError> {
        match shift_ids.iter().position(|s| s == id) {
            Some(i) => Ok(i),
            None => err(line, format!("onbekende dienst '{id}'")),
        }
    };
    let mut shifts = Vec::new();
    for (k, (line, f)) in shift_rows.iter().enumerate() {
        if f.len() < 2 {
            return err(*line, "dienst heeft te weinig velden");
        }
        let mut cannot_follow = Vec::new();
        if let Some(cf) = f.get(2) {
            for id in cf.split('|').map(str::trim).filter(|s| !s.is_empty()) {
                cannot_follow.push(shift_idx(*line, id)?);
            }
        }
        shifts.push(ShiftType {
            id: f[0].clone(),
            minutes: num(*line, &f[1], "lengte in minuten")?,
            start_minute: None,
            cannot_follow,
            covers: vec![k],
            opkomsten: 1,
        });
    }
    let mut employees = Vec::new();
    for (line, f) in &staff_rows {
        if f.len() < 8 {
            return err(*line, "medewerker heeft minder dan 8 velden");
        }
        let mut max_shifts = vec![u32::MAX; shifts.len()];
        for part in f[1].split('|').map(str::trim).filter(|s| !s.is_empty()) {
            let Some((id, n)) = part.split_once('=') else {
                return err(*line, format!("'{part}' is geen DIENST=aantal"));
            };
            max_shifts[shift_idx(*line, id.trim())?] = num(*line, n, "maximum diensten")?;
        }
        employees.push(Employee {
            id: f[0].clone(),
            max_shifts,
            max_total_minutes: num(*line, &f[2], "MaxTotalMinutes")?,
            min_total_minutes: num(*line, &f[3], "MinTotalMinutes")?,
            max_consecutive_shifts: num(*line, &f[4], "MaxConsecutiveShifts")?,
            min_consecutive_shifts: num(*line, &f[5], "MinConsecutiveShifts")?,
            min_consecutive_days_off: num(*line, &f[6], "MinConsecutiveDaysOff")?,
            max_weekends: num(*line, &f[7], "MaxWeekends")?,
            days_off: Vec::new(),
            target_minutes: None,
        });
    }
    let emp_idx = |line: usize, id: &str| -> Result<usize, ParseError> {
        match employees.iter().position(|e| e.id == id) {
            Some(i) => Ok(i),
            None => err(line, format!("onbekende medewerker '{id}'")),
        }
    };
    let mut days_off: Vec<(usize, usize)> = Vec::new();
    let mut on_requests = Vec::new();
    let mut off_requests = Vec::new();
    let mut cover = Vec::new();
    let day_of = |line: usize, f: &str| -> Result<usize, ParseError> {
        let d: usize = num(line, f, "dag")?;
        if d >= days {
            err(line, format!("dag {d} ligt buiten de horizon"))
        } else {
            Ok(d)
        }
    };
    for (line, section, f) in &other_rows {
        let line = *line;
        match section {
            Section::DaysOff => {
                let e = emp_idx(line, &f[0])?;
                for d in f[1..].iter().filter(|s| !s.is_empty()) {
                    days_off.push((e, day_of(line, d)?));
                }
            }
            Section::OnRequests | Section::OffRequests => {
                if f.len() < 4 {
                    return err(line, "verzoek heeft minder dan 4 velden");
                }
                let r = Request {
                    employee: emp_idx(line, &f[0])?,
                    day: day_of(line, &f[1])?,
                    shift: shift_idx(line, &f[2])?,
                    weight: num(line, &f[3], "gewicht")?,
                };
                if *section == Section::OnRequests {
                    on_requests.push(r)
                } else {
                    off_requests.push(r)
                }
            }
            Section::Cover => {
                if f.len() < 5 {
                    return err(line, "bezetting heeft minder dan 5 velden");
                }
                cover.push(Cover {
                    day: day_of(line, &f[0])?,
                    slot: shift_idx(line, &f[1])?,
                    // Some instances write "-0"; read as a signed number, refuse negatives.
                    requirement: {
                        let r: i64 = num(line, &f[2], "Requirement")?;
                        u32::try_from(r)
                            .or_else(|_| err(line, format!("Requirement {r} is negatief")))?
                    },
                    weight_under: num(line, &f[3], "WeightUnder")?,
                    weight_over: num(line, &f[4], "WeightOver")?,
                });
            }
            _ => {}
        }
    }
    for (e, d) in days_off {
        employees[e].days_off.push(d);
    }
    let slots = shift_ids.clone();
    let problem = Problem {
        name: name.to_string(),
        days,
        first_weekday: 0,
        shifts,
        slots,
        employees,
        on_requests,
        off_requests,
        cover,
        care: CareRules::default(),
    };
    problem.validate().map_err(|e| ParseError {
        line: 0,
        message: e.to_string(),
    })?;
    Ok(problem)
}

/// Writes a problem in the Curtois `.txt` format. Only the benchmark part of the model is
/// written (clock times, slots and care weights have no place in the format); a problem
/// parsed with [`parse_instance`] round-trips exactly.
pub fn write_instance(p: &Problem) -> String {
    let mut o = String::new();
    let sid = |s: usize| p.shifts[s].id.as_str();
    o.push_str("SECTION_HORIZON\n");
    let _ = writeln!(o, "{}\n", p.days);
    o.push_str("SECTION_SHIFTS\n");
    for s in &p.shifts {
        let cf: Vec<&str> = s.cannot_follow.iter().map(|&t| sid(t)).collect();
        let _ = writeln!(o, "{},{},{}", s.id, s.minutes, cf.join("|"));
    }
    o.push_str("\nSECTION_STAFF\n");
    for e in &p.employees {
        let ms: Vec<String> = e
            .max_shifts
            .iter()
            .enumerate()
            .filter(|&(_, &n)| n != u32::MAX)
            .map(|(s, n)| format!("{}={n}", sid(s)))
            .collect();
        let _ = writeln!(
            o,
            "{},{},{},{},{},{},{},{}",
            e.id,
            ms.join("|"),
            e.max_total_minutes,
            e.min_total_minutes,
            e.max_consecutive_shifts,
            e.min_consecutive_shifts,
            e.min_consecutive_days_off,
            e.max_weekends
        );
    }
    o.push_str("\nSECTION_DAYS_OFF\n");
    for e in &p.employees {
        if !e.days_off.is_empty() {
            let d: Vec<String> = e.days_off.iter().map(ToString::to_string).collect();
            let _ = writeln!(o, "{},{}", e.id, d.join(","));
        }
    }
    for (title, reqs) in [
        ("SECTION_SHIFT_ON_REQUESTS", &p.on_requests),
        ("SECTION_SHIFT_OFF_REQUESTS", &p.off_requests),
    ] {
        let _ = writeln!(o, "\n{title}");
        for r in reqs {
            let _ = writeln!(
                o,
                "{},{},{},{}",
                p.employees[r.employee].id,
                r.day,
                sid(r.shift),
                r.weight
            );
        }
    }
    o.push_str("\nSECTION_COVER\n");
    for c in &p.cover {
        let _ = writeln!(
            o,
            "{},{},{},{},{}",
            c.day, p.slots[c.slot], c.requirement, c.weight_under, c.weight_over
        );
    }
    o
}

/// Reads a roster CSV with header `employee,day,shift` (one row per assigned shift).
pub fn parse_roster(p: &Problem, text: &str) -> Result<Roster, ParseError> {
    let mut roster = Roster::empty(p);
    let mut lines = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty());
    match lines.next() {
        Some((_, h)) if h.trim().replace(' ', "") == "employee,day,shift" => {}
        _ => return err(1, "kopregel moet 'employee,day,shift' zijn"),
    }
    for (i, l) in lines {
        let line = i + 1;
        let f: Vec<&str> = l.split(',').map(str::trim).collect();
        if f.len() != 3 {
            return err(line, "verwacht 3 velden: employee,day,shift");
        }
        let Some(e) = p.employee_index(f[0]) else {
            return err(line, format!("onbekende medewerker '{}'", f[0]));
        };
        let d: usize = num(line, f[1], "dag")?;
        if d >= p.days {
            return err(line, format!("dag {d} ligt buiten de horizon"));
        }
        let Some(s) = p.shift_index(f[2]) else {
            return err(line, format!("onbekende dienst '{}'", f[2]));
        };
        if roster.shifts[e][d].is_some() {
            return err(
                line,
                format!("medewerker {} heeft al een dienst op dag {d}", f[0]),
            );
        }
        roster.shifts[e][d] = Some(s);
    }
    Ok(roster)
}

/// Writes a roster CSV with header `employee,day,shift`, sorted by employee then day.
pub fn write_roster(p: &Problem, r: &Roster) -> String {
    let mut o = String::from("employee,day,shift\n");
    for (e, row) in r.shifts.iter().enumerate() {
        for (d, s) in row.iter().enumerate() {
            if let Some(s) = s {
                let _ = writeln!(o, "{},{d},{}", p.employees[e].id, p.shifts[*s].id);
            }
        }
    }
    o
}
