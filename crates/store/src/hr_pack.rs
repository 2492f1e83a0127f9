//! The packed copy of a snapshot's employees (issue 34): all rows of `hr_employees` of one
//! snapshot as one text value in `hr_snapshot_packs`, so a page reads one value instead of
//! 100,000 rows (reading the rows one by one took 0,7–2,7 s at 100,000 employees).
//!
//! The rows stay the source of truth; the pack is written in the same transaction as the
//! rows, holds exactly what they hold, and is rebuilt from them when it is missing (a
//! snapshot imported before the pack existed) or of an older format.
//!
//! Format, version 1: the first line is `urenwinst-hr-pack 1`; then one line per employee
//! in pseudonym order, ten fields separated by tabs, in the order of the `hr_employees`
//! columns: pseudonym, team, function, FWG scale, contract hours, part-time factor, age band
//! code, start date, end date, contract kind code. An absent value is `\N`; in text a
//! backslash, tab, newline, carriage return and NUL are written `\\`, `\t`, `\n`, `\r`,
//! `\0` (the conventions of PostgreSQL's `COPY` text format), so a value never breaks a
//! line or a field. Hours and factor are exact decimal text, dates ISO, as in the rows.

use hr::{AgeBand, ContractKind, Employee};

use crate::StoreError;

/// The first line of a pack of the current format.
pub(crate) const HEADER: &str = "urenwinst-hr-pack 1";

const NULL: &str = "\\N";
const FIELDS: usize = 10;

fn push_text(out: &mut String, value: Option<&str>) {
    let Some(v) = value else {
        out.push_str(NULL);
        return;
    };
    for c in v.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\0' => out.push_str("\\0"),
            c => out.push(c),
        }
    }
}

/// The pack of these employees, in pseudonym order (the order the rows are read in).
pub(crate) fn pack(employees: &[Employee]) -> String {
    let mut order: Vec<&Employee> = employees.iter().collect();
    order.sort_by(|a, b| a.pseudonym.cmp(&b.pseudonym));
    let mut out = String::with_capacity(HEADER.len() + 1 + employees.len() * 120);
    out.push_str(HEADER);
    out.push('\n');
    for e in order {
        let hours = e.contract_hours.normalize().to_string();
        let factor = e.part_time_factor.normalize().to_string();
        let start = e.start_date.map(|d| d.format("%Y-%m-%d").to_string());
        let end = e.end_date.map(|d| d.format("%Y-%m-%d").to_string());
        let fields: [Option<&str>; FIELDS] = [
            Some(&e.pseudonym),
            e.team.as_deref(),
            e.function.as_deref(),
            e.fwg_scale.as_deref(),
            Some(&hours),
            Some(&factor),
            e.age_band.map(AgeBand::code),
            start.as_deref(),
            end.as_deref(),
            e.contract_kind.map(ContractKind::code),
        ];
        for (i, f) in fields.iter().enumerate() {
            if i > 0 {
                out.push('\t');
            }
            push_text(&mut out, *f);
        }
        out.push('\n');
    }
    out
}

fn corrupt(line: usize, what: &str) -> StoreError {
    StoreError::Config(format!(
        "stored HR pack cannot be read: line {line}: {what}"
    ))
}

fn text(field: &str, line: usize) -> Result<Option<String>, StoreError> {
    if field == NULL {
        return Ok(None);
    }
    if !field.contains('\\') {
        return Ok(Some(field.to_string()));
    }
    let mut out = String::with_capacity(field.len());
    let mut chars = field.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        out.push(match chars.next() {
            Some('\\') => '\\',
            Some('t') => '\t',
            Some('n') => '\n',
            Some('r') => '\r',
            Some('0') => '\0',
            _ => return Err(corrupt(line, "unknown escape")),
        });
    }
    Ok(Some(out))
}

fn parsed<T: std::str::FromStr>(
    field: &str,
    line: usize,
    what: &str,
) -> Result<Option<T>, StoreError> {
    text(field, line)?
        .map(|v| v.parse().map_err(|_| corrupt(line, what)))
        .transpose()
}

/// The employees of a pack; `Ok(None)` when the pack is of another format (it is then
/// rebuilt from the rows), an error when it is damaged.
pub(crate) fn unpack(pack: &str) -> Result<Option<Vec<Employee>>, StoreError> {
    let mut lines = pack.split('\n');
    if lines.next() != Some(HEADER) {
        return Ok(None);
    }
    let mut out = Vec::new();
    for (i, line) in lines.enumerate() {
        let n = i + 2;
        if line.is_empty() {
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() != FIELDS {
            return Err(corrupt(n, "wrong number of fields"));
        }
        let required = |v: Option<String>, what: &str| v.ok_or_else(|| corrupt(n, what));
        out.push(Employee {
            pseudonym: required(text(f[0], n)?, "pseudonym")?,
            team: text(f[1], n)?,
            function: text(f[2], n)?,
            fwg_scale: text(f[3], n)?,
            contract_hours: required(text(f[4], n)?, "hours")?
                .parse()
                .map_err(|_| corrupt(n, "hours"))?,
            part_time_factor: required(text(f[5], n)?, "factor")?
                .parse()
                .map_err(|_| corrupt(n, "factor"))?,
            age_band: parsed::<AgeBand>(f[6], n, "age band")?,
            start_date: parsed(f[7], n, "start date")?,
            end_date: parsed(f[8], n, "end date")?,
            contract_kind: parsed::<ContractKind>(f[9], n, "contract kind")?,
            source_rows: Vec::new(),
        });
    }
    Ok(Some(out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn employee(p: &str) -> Employee {
        Employee {
            pseudonym: p.into(),
            team: Some("Team Es".into()),
            function: Some("Verzorgende IG".into()),
            fwg_scale: Some("35".into()),
            contract_hours: "24.5".parse().unwrap(),
            part_time_factor: "0.6806".parse().unwrap(),
            age_band: Some(AgeBand::From25To34),
            start_date: chrono::NaiveDate::from_ymd_opt(2019, 4, 1),
            end_date: None,
            contract_kind: Some(ContractKind::Vast),
            source_rows: vec![3],
        }
    }

    #[test]
    fn a_pack_reads_back_in_pseudonym_order_without_source_rows() {
        let emps = vec![employee("bb"), employee("aa")];
        let pack = pack(&emps);
        assert!(pack.starts_with("urenwinst-hr-pack 1\naa\tTeam Es\tVerzorgende IG\t35\t24.5\t"));
        let back = unpack(&pack).unwrap().unwrap();
        let mut want = emps.clone();
        want.sort_by(|a, b| a.pseudonym.cmp(&b.pseudonym));
        for w in &mut want {
            w.source_rows.clear();
        }
        assert_eq!(back, want);
        assert_eq!(unpack(&super::pack(&[])).unwrap().unwrap(), Vec::new());
    }

    #[test]
    fn another_format_is_rebuilt_and_damage_is_an_error() {
        assert_eq!(unpack("").unwrap(), None);
        assert_eq!(unpack("urenwinst-hr-pack 2\n").unwrap(), None);
        let good = pack(&[employee("aa")]);
        for bad in [
            good.replace("\t24.5\t", "\t24,5\t"),
            good.replace("\t35\t", "\t35\tx\t"),
            good.replace("\t25_34\t", "\t25-34\t"),
            good.replace("\tvast", "\tVast"),
            good.replace("\t2019-04-01\t", "\t2019-02-30\t"),
            good.replace("Team Es", "Team\\x"),
            good.replace("aa\t", "\\N\t"),
        ] {
            assert!(matches!(unpack(&bad), Err(StoreError::Config(_))), "{bad}");
        }
    }

    fn text_value() -> impl Strategy<Value = Option<String>> {
        prop::option::of(prop_oneof![
            Just(String::new()),
            Just("\\N".to_string()),
            Just("a\\tb".to_string()),
            "[\\\\\t\n\r\0 a-zé€]{0,12}",
        ])
    }

    proptest! {
        /// Whatever text a team, function or scale holds, and whatever the numbers and
        /// dates, a pack reads back exactly what was packed.
        #[test]
        fn every_employee_reads_back_exactly(
            rows in prop::collection::vec(
                (
                    "[0-9a-f]{1,8}",
                    text_value(),
                    text_value(),
                    text_value(),
                    0u32..600_000,
                    0u32..20_000,
                    prop::option::of(0usize..AgeBand::ALL.len()),
                    prop::option::of(0i32..40_000),
                    prop::option::of(0i32..40_000),
                    prop::option::of(0usize..ContractKind::ALL.len()),
                ),
                0..20,
            )
        ) {
            let day = |d: i32| chrono::NaiveDate::from_ymd_opt(1990, 1, 1).unwrap()
                + chrono::Duration::days(d.into());
            let mut emps: Vec<Employee> = Vec::new();
            for (i, r) in rows.into_iter().enumerate() {
                emps.push(Employee {
                    pseudonym: format!("{}{i:03}", r.0),
                    team: r.1,
                    function: r.2,
                    fwg_scale: r.3,
                    contract_hours: format!("{}.{:04}", r.4 / 10_000, r.4 % 10_000).parse().unwrap(),
                    part_time_factor: format!("{}.{:04}", r.5 / 10_000, r.5 % 10_000).parse().unwrap(),
                    age_band: r.6.map(|k| AgeBand::ALL[k]),
                    start_date: r.7.map(day),
                    end_date: r.8.map(day),
                    contract_kind: r.9.map(|k| ContractKind::ALL[k]),
                    source_rows: Vec::new(),
                });
            }
            let mut back = unpack(&pack(&emps)).unwrap().unwrap();
            emps.sort_by(|a, b| a.pseudonym.cmp(&b.pseudonym));
            // Decimals compare by value; the pack keeps the normalised text, as the rows do.
            for e in &mut emps {
                e.contract_hours = e.contract_hours.normalize();
                e.part_time_factor = e.part_time_factor.normalize();
            }
            back.sort_by(|a, b| a.pseudonym.cmp(&b.pseudonym));
            prop_assert_eq!(back, emps);
        }
    }
}
