//! Validating an HR extract into pseudonymised employee records.

use crate::bands::round_hours;
use crate::fields::{HrField, HrMapping, is_name_column};
use crate::pseudo::{AgeBand, Pseudonymiser, age_on};
use chrono::NaiveDate;
use import::{Cell, DateOptions, Diagnostic, NumberStyle, Row, Table};
use report::nl::decimal as format_number_nl;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// Kind of contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContractKind {
    /// Permanent (onbepaalde tijd).
    Vast,
    /// Fixed-term (bepaalde tijd), including BBL learning contracts.
    Tijdelijk,
    /// On-call, zero-hours and min-max contracts.
    Oproep,
    /// Internal flex pool.
    Flex,
}

impl ContractKind {
    pub const ALL: [ContractKind; 4] = [
        ContractKind::Vast,
        ContractKind::Tijdelijk,
        ContractKind::Oproep,
        ContractKind::Flex,
    ];

    pub fn label_nl(self) -> &'static str {
        match self {
            ContractKind::Vast => "vast",
            ContractKind::Tijdelijk => "tijdelijk",
            ContractKind::Oproep => "oproep",
            ContractKind::Flex => "flex",
        }
    }
}

/// Read a contract kind as HR systems write it: "Vast", "Onbepaalde tijd", "OBT",
/// "Tijdelijk", "Bepaalde tijd", "BT", "BBL", "Oproepkracht", "0-uren", "Min-max",
/// "Flexpool", ….
pub fn parse_contract_kind(s: &str) -> Option<ContractKind> {
    let n = import::normalise_header(s);
    let compact: String = n.split(' ').collect();
    let has = |w: &str| compact.contains(w);
    if compact.is_empty() {
        return None;
    }
    if has("oproep")
        || has("nuluren")
        || compact.starts_with("0uren")
        || has("minmax")
        || has("invalkracht")
        || has("afroep")
    {
        Some(ContractKind::Oproep)
    } else if has("flex") {
        Some(ContractKind::Flex)
    } else if has("onbepaald")
        || compact == "obt"
        || compact == "vast"
        || has("vastcontract")
        || compact == "vastdienstverband"
    {
        Some(ContractKind::Vast)
    } else if has("bepaald")
        || compact == "bt"
        || has("tijdelijk")
        || compact == "bbl"
        || has("leerling")
        || has("leerovereenkomst")
        || has("jaarcontract")
    {
        Some(ContractKind::Tijdelijk)
    } else {
        None
    }
}

/// Read an FWG scale: "FWG 35", "fwg35", "35", 35 and "Schaal 35" all become "FWG 35";
/// other text is kept as written (trimmed).
pub fn parse_fwg(cell: &Cell) -> Option<String> {
    let text = import::parse_text(cell)?;
    let n = import::normalise_header(&text);
    let mut digits = String::new();
    let mut rest_ok = true;
    for w in n.split(' ') {
        let (alpha, num): (String, String) = w.chars().partition(|c| c.is_alphabetic());
        if !num.is_empty() && digits.is_empty() && num.chars().all(|c| c.is_ascii_digit()) {
            digits = num;
        } else if !num.is_empty() {
            rest_ok = false;
        }
        if !alpha.is_empty() && !["fwg", "schaal", "niveau", "trede"].contains(&alpha.as_str()) {
            rest_ok = false;
        }
    }
    if rest_ok && !digits.is_empty() {
        let digits = digits.trim_start_matches('0');
        Some(format!(
            "FWG {}",
            if digits.is_empty() { "0" } else { digits }
        ))
    } else {
        Some(text)
    }
}

/// What to do with columns that hold names or other direct identifiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NameColumnPolicy {
    /// Do not read them; tell the user with a warning.
    #[default]
    Drop,
    /// Refuse the whole file with an error.
    Refuse,
}

/// Options for reading an extract.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportOptions {
    /// Reference date of the snapshot: ages are taken on it, and people out of service on
    /// it (left before, or starting after) are not counted.
    pub peildatum: NaiveDate,
    /// Full-time hours per week of the organisation (36 in the care CAOs).
    pub full_time_hours: Decimal,
    pub name_columns: NameColumnPolicy,
    pub dates: DateOptions,
}

impl ImportOptions {
    pub fn new(peildatum: NaiveDate) -> Self {
        Self {
            peildatum,
            full_time_hours: Decimal::from(36),
            name_columns: NameColumnPolicy::Drop,
            dates: DateOptions::default(),
        }
    }
}

/// Largest contract accepted, hours per week (the Working Hours Act's weekly maximum).
pub const MAX_CONTRACT_HOURS: u32 = 60;
/// Largest part-time factor accepted.
pub const MAX_PART_TIME_FACTOR: &str = "1.5";
/// Ages accepted, in years.
pub const AGE_RANGE: std::ops::RangeInclusive<u32> = 14..=100;
/// When contract hours and part-time factor are both given and differ by more than this
/// many hours, a warning says so (the hours are used).
pub const HOURS_FACTOR_TOLERANCE: &str = "0.5";

/// One employee in a snapshot, pseudonymised. Rows with the same employee number are
/// merged into one (hours added up; team, function, scale and kind from the row with
/// the most hours).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Employee {
    /// HMAC-SHA256 of the employee number, 64 hex characters.
    pub pseudonym: String,
    pub team: Option<String>,
    pub function: Option<String>,
    pub fwg_scale: Option<String>,
    /// Contract hours per week.
    pub contract_hours: Decimal,
    /// Contract hours / full-time hours.
    pub part_time_factor: Decimal,
    pub age_band: Option<AgeBand>,
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    pub contract_kind: Option<ContractKind>,
    /// Spreadsheet rows this record came from.
    pub source_rows: Vec<u32>,
}

/// The result of reading an extract: the valid employees and every problem found.
/// The caller decides: import nothing while [`HrImport::has_errors`], or import the
/// valid employees and list [`HrImport::skipped_rows`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HrImport {
    pub peildatum: NaiveDate,
    pub full_time_hours: Decimal,
    pub employees: Vec<Employee>,
    /// Errors and warnings, in row order (file-level ones first).
    pub diagnostics: Vec<Diagnostic>,
    /// Data rows read (not counting empty rows).
    pub rows_read: usize,
    /// Rows left out because they have an error.
    pub skipped_rows: Vec<u32>,
    /// Rows left out because the person is not in service on the peildatum.
    pub out_of_service_rows: Vec<u32>,
    /// Headers of name/identifier columns that were not read.
    pub dropped_columns: Vec<String>,
}

impl HrImport {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().filter(|d| d.is_error())
    }
}

/// One row as read, before pseudonymisation and merging.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ParsedRow {
    pub row: u32,
    pub employee_number: String,
    pub team: Option<String>,
    pub function: Option<String>,
    pub fwg_scale: Option<String>,
    pub contract_hours: Decimal,
    pub part_time_factor: Decimal,
    pub age: Option<u32>,
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    pub contract_kind: Option<ContractKind>,
}

/// Reads rows with a resolved mapping.
pub(crate) struct RowReader<'a> {
    cols: BTreeMap<HrField, usize>,
    styles: HashMap<usize, NumberStyle>,
    factor_is_percent: bool,
    opts: &'a ImportOptions,
    max_factor: Decimal,
    tolerance: Decimal,
}

impl<'a> RowReader<'a> {
    /// Check the mapping against the table. File-level problems go to `diags`; `None`
    /// when nothing can be read.
    pub fn new(
        table: &Table,
        mapping: &HrMapping,
        opts: &'a ImportOptions,
        diags: &mut Vec<Diagnostic>,
        dropped: &mut Vec<String>,
    ) -> Option<Self> {
        let mut ok = true;
        for (i, h) in table.headers.iter().enumerate() {
            if !is_name_column(h) {
                continue;
            }
            let mapped_to = mapping
                .resolve(table)
                .into_iter()
                .find(|&(_, c)| c == i)
                .map(|(f, _)| f);
            dropped.push(h.clone());
            if let Some(f) = mapped_to {
                ok = false;
                diags.push(
                    Diagnostic::file(format!(
                        "kolom '{h}' bevat namen of andere persoonsgegevens en kan niet als {} worden gebruikt",
                        f.label_nl()
                    ))
                    .for_field(f.label_nl())
                    .with_fix("Kies een andere kolom voor dit veld"),
                );
            } else if opts.name_columns == NameColumnPolicy::Refuse {
                ok = false;
                diags.push(
                    Diagnostic::file(format!("kolom '{h}' bevat namen of andere persoonsgegevens"))
                        .with_fix("Haal deze kolom uit het bestand en upload het opnieuw; Urenwinst bewaart geen namen"),
                );
            } else {
                diags.push(
                    Diagnostic::file(format!(
                        "kolom '{h}' bevat namen of andere persoonsgegevens en is niet ingelezen"
                    ))
                    .warning(),
                );
            }
        }
        for (f, h) in mapping.missing_in(table) {
            ok = false;
            diags.push(
                Diagnostic::file(format!(
                    "de kolom '{h}' voor {} staat niet in het bestand",
                    f.label_nl()
                ))
                .for_field(f.label_nl())
                .with_fix("Kies opnieuw welke kolom bij welk veld hoort"),
            );
        }
        let cols = mapping.resolve(table);
        if !cols.contains_key(&HrField::EmployeeNumber) {
            ok = false;
            diags.push(
                Diagnostic::file("er is geen kolom gekozen voor personeelsnummer")
                    .with_fix("Kies de kolom met het personeelsnummer of medewerkernummer"),
            );
        }
        if !cols.contains_key(&HrField::ContractHours)
            && !cols.contains_key(&HrField::PartTimeFactor)
        {
            ok = false;
            diags.push(
                Diagnostic::file("er is geen kolom gekozen voor contracturen of deeltijdfactor")
                    .with_fix(
                        "Kies de kolom met de contracturen per week, of met de deeltijdfactor",
                    ),
            );
        }
        if !ok {
            return None;
        }
        let mut styles = HashMap::new();
        for f in [
            HrField::ContractHours,
            HrField::PartTimeFactor,
            HrField::Age,
        ] {
            if let Some(&c) = cols.get(&f) {
                let texts: Vec<String> = table
                    .rows
                    .iter()
                    .filter_map(|r| match r.get(c) {
                        Cell::Text(t) => Some(t.clone()),
                        _ => None,
                    })
                    .collect();
                styles.insert(
                    c,
                    import::infer_number_style(texts.iter().map(String::as_str)),
                );
            }
        }
        let mut reader = RowReader {
            cols,
            styles,
            factor_is_percent: false,
            opts,
            max_factor: MAX_PART_TIME_FACTOR.parse().unwrap_or(Decimal::ONE),
            tolerance: HOURS_FACTOR_TOLERANCE.parse().unwrap_or(Decimal::ONE),
        };
        // A factor column whose values are mostly above 1.5 is a percentage
        // (88,89 = 0,8889); a single value above 1.5 among factors is an error instead.
        if let Some(&c) = reader.cols.get(&HrField::PartTimeFactor) {
            let style = reader.styles.get(&c).copied().unwrap_or_default();
            let values: Vec<Decimal> = table
                .rows
                .iter()
                .filter_map(|r| import::parse_number_cell(r.get(c), style).ok())
                .filter(|v| !v.is_zero())
                .collect();
            let above = values.iter().filter(|v| **v > reader.max_factor).count();
            if !values.is_empty() && above * 2 > values.len() {
                reader.factor_is_percent = true;
                diags.push(
                    Diagnostic::file(
                        "de deeltijdfactor staat in procenten; Urenwinst rekent 100 om naar 1",
                    )
                    .for_field(HrField::PartTimeFactor.label_nl())
                    .warning(),
                );
            }
        }
        Some(reader)
    }

    fn cell<'r>(&self, row: &'r Row, f: HrField) -> Option<&'r Cell> {
        self.cols
            .get(&f)
            .map(|&c| row.get(c))
            .filter(|c| !c.is_empty())
    }

    fn number(
        &self,
        row: &Row,
        f: HrField,
        diags: &mut Vec<Diagnostic>,
    ) -> Result<Option<Decimal>, ()> {
        let Some(cell) = self.cell(row, f) else {
            return Ok(None);
        };
        let style = self
            .cols
            .get(&f)
            .and_then(|c| self.styles.get(c))
            .copied()
            .unwrap_or_default();
        match import::parse_number_cell(cell, style) {
            Ok(n) => Ok(Some(n)),
            Err(e) => {
                diags.push(e.to_diagnostic(row.number, f.label_nl()));
                Err(())
            }
        }
    }

    fn date(
        &self,
        row: &Row,
        f: HrField,
        diags: &mut Vec<Diagnostic>,
    ) -> Result<Option<NaiveDate>, ()> {
        let Some(cell) = self.cell(row, f) else {
            return Ok(None);
        };
        match import::parse_date_with(cell, self.opts.dates) {
            Ok(d) => Ok(Some(d)),
            Err(e) => {
                diags.push(e.to_diagnostic(row.number, f.label_nl()));
                Err(())
            }
        }
    }

    /// Read one row; every problem goes to `diags`. `None` when the row has an error.
    pub fn read(&self, row: &Row, diags: &mut Vec<Diagnostic>) -> Option<ParsedRow> {
        let before = diags.len();
        let n = row.number;
        let err = |f: HrField, value: String, msg: String, fix: &str| {
            Diagnostic::error(n, f.label_nl(), &value, msg).with_fix(fix)
        };
        let employee_number = match self
            .cell(row, HrField::EmployeeNumber)
            .and_then(import::parse_text)
        {
            Some(s) => s,
            None => {
                diags.push(
                    Diagnostic::error(
                        n,
                        HrField::EmployeeNumber.label_nl(),
                        "",
                        "personeelsnummer is leeg",
                    )
                    .with_fix("Vul het personeelsnummer in, of haal de rij weg"),
                );
                String::new()
            }
        };
        let text = |f| self.cell(row, f).and_then(import::parse_text);
        let hours = self.number(row, HrField::ContractHours, diags);
        let factor = self.number(row, HrField::PartTimeFactor, diags);
        let ft = self.opts.full_time_hours;
        let mut hours_v = None;
        if let Ok(Some(h)) = hours {
            if h < Decimal::ZERO || h > Decimal::from(MAX_CONTRACT_HOURS) {
                diags.push(err(
                    HrField::ContractHours,
                    format_number_nl(h, 2),
                    format!(
                        "contracturen {} ligt niet tussen 0 en {MAX_CONTRACT_HOURS} uur per week",
                        format_number_nl(h, 2)
                    ),
                    "Vul de contracturen per week in, bijvoorbeeld 24 of 24,5",
                ));
            } else {
                hours_v = Some(h);
            }
        }
        let mut factor_v = None;
        if let Ok(Some(mut f)) = factor {
            if self.factor_is_percent {
                f /= Decimal::ONE_HUNDRED;
            }
            if f < Decimal::ZERO || f > self.max_factor {
                diags.push(err(
                    HrField::PartTimeFactor,
                    format_number_nl(f, 4),
                    format!("deeltijdfactor {} ligt niet tussen 0 en 1,5", format_number_nl(f, 4)),
                    "Vul de deeltijdfactor in als getal, bijvoorbeeld 0,8889 voor 32 uur bij 36 uur voltijd",
                ));
            } else {
                factor_v = Some(f);
            }
        }
        let (contract_hours, part_time_factor) = match (hours_v, factor_v) {
            (Some(h), Some(f)) => {
                let from_factor = f * ft;
                if (from_factor - h).abs() > self.tolerance {
                    diags.push(
                        Diagnostic::error(
                            n,
                            HrField::PartTimeFactor.label_nl(),
                            &format_number_nl(f, 4),
                            format!(
                                "contracturen {} en deeltijdfactor {} (= {} uur) passen niet bij elkaar; de contracturen zijn gebruikt",
                                format_number_nl(h, 2),
                                format_number_nl(f, 4),
                                format_number_nl(round_hours(from_factor), 2)
                            ),
                        )
                        .warning(),
                    );
                }
                (h, crate::bands::fte(h, ft))
            }
            (Some(h), None) => (h, crate::bands::fte(h, ft)),
            (None, Some(f)) => (f * ft, f),
            (None, None) => {
                if matches!((&hours, &factor), (Ok(None), Ok(None))) {
                    diags.push(
                        Diagnostic::error(
                            n,
                            HrField::ContractHours.label_nl(),
                            "",
                            "contracturen is leeg",
                        )
                        .with_fix("Vul de contracturen per week in (0 voor een oproepcontract)"),
                    );
                }
                (Decimal::ZERO, Decimal::ZERO)
            }
        };
        // Age: from the birth date, else from the age column.
        let mut age = None;
        if let Ok(Some(born)) = self.date(row, HrField::BirthDate, diags) {
            match age_on(born, self.opts.peildatum) {
                Some(a) if AGE_RANGE.contains(&a) => age = Some(a),
                other => diags.push(err(
                    HrField::BirthDate,
                    born.format("%d-%m-%Y").to_string(),
                    match other {
                        Some(a) => format!(
                            "geboortedatum {} geeft een leeftijd van {a} jaar op de peildatum",
                            born.format("%d-%m-%Y")
                        ),
                        None => format!(
                            "geboortedatum {} ligt na de peildatum",
                            born.format("%d-%m-%Y")
                        ),
                    },
                    "Controleer de geboortedatum (dag-maand-jaar, jaar met vier cijfers)",
                )),
            }
        }
        if age.is_none()
            && let Ok(Some(a)) = self.number(row, HrField::Age, diags)
        {
            let whole = a.trunc();
            match u32::try_from(whole.mantissa())
                .ok()
                .filter(|_| whole.scale() == 0)
            {
                Some(y) if AGE_RANGE.contains(&y) && whole == a => age = Some(y),
                _ => diags.push(err(
                    HrField::Age,
                    format_number_nl(a, 2),
                    format!(
                        "leeftijd {} is geen leeftijd tussen 14 en 100 jaar",
                        format_number_nl(a, 2)
                    ),
                    "Vul de leeftijd in hele jaren in",
                )),
            }
        }
        let start_date = self.date(row, HrField::StartDate, diags).ok().flatten();
        let end_date = self.date(row, HrField::EndDate, diags).ok().flatten();
        if let (Some(s), Some(e)) = (start_date, end_date)
            && e < s
        {
            diags.push(err(
                HrField::EndDate,
                e.format("%d-%m-%Y").to_string(),
                format!(
                    "datum uit dienst {} ligt voor datum in dienst {}",
                    e.format("%d-%m-%Y"),
                    s.format("%d-%m-%Y")
                ),
                "Controleer beide datums",
            ));
        }
        let contract_kind = match self.cell(row, HrField::ContractKind) {
            None => None,
            Some(c) => {
                let t = c.display();
                match parse_contract_kind(&t) {
                    Some(k) => Some(k),
                    None => {
                        diags.push(err(
                            HrField::ContractKind,
                            t.trim().to_owned(),
                            format!("soort contract '{}' is onbekend", t.trim()),
                            "Gebruik vast, tijdelijk, oproep of flex",
                        ));
                        None
                    }
                }
            }
        };
        let has_error = diags[before..].iter().any(Diagnostic::is_error);
        if has_error {
            return None;
        }
        Some(ParsedRow {
            row: n,
            employee_number,
            team: text(HrField::Team),
            function: text(HrField::Function),
            fwg_scale: self.cell(row, HrField::FwgScale).and_then(parse_fwg),
            contract_hours,
            part_time_factor,
            age,
            start_date,
            end_date,
            contract_kind,
        })
    }

    pub fn in_service(&self, p: &ParsedRow) -> bool {
        let d = self.opts.peildatum;
        p.start_date.is_none_or(|s| s <= d) && p.end_date.is_none_or(|e| e >= d)
    }
}

/// Read an HR extract: validate every row, drop name columns, pseudonymise employee
/// numbers with `pseudonymiser`, turn ages into bands, and merge rows of the same
/// employee.
pub fn import_extract(
    table: &Table,
    mapping: &HrMapping,
    opts: &ImportOptions,
    pseudonymiser: &Pseudonymiser,
) -> HrImport {
    let mut diagnostics: Vec<Diagnostic> = table.notes.clone();
    let mut dropped_columns = Vec::new();
    let mut out = HrImport {
        peildatum: opts.peildatum,
        full_time_hours: opts.full_time_hours,
        employees: Vec::new(),
        diagnostics: Vec::new(),
        rows_read: table.rows.len(),
        skipped_rows: Vec::new(),
        out_of_service_rows: Vec::new(),
        dropped_columns: Vec::new(),
    };
    let Some(reader) = RowReader::new(table, mapping, opts, &mut diagnostics, &mut dropped_columns)
    else {
        out.diagnostics = diagnostics;
        out.dropped_columns = dropped_columns;
        out.skipped_rows = table.rows.iter().map(|r| r.number).collect();
        return out;
    };
    let mut by_pseudonym: HashMap<String, usize> = HashMap::new();
    let mut first_row_of: HashMap<String, u32> = HashMap::new();
    for row in &table.rows {
        let Some(p) = reader.read(row, &mut diagnostics) else {
            out.skipped_rows.push(row.number);
            continue;
        };
        if !reader.in_service(&p) {
            let peil = opts.peildatum.format("%d-%m-%Y");
            let (field, date, message) = match p.start_date.filter(|s| *s > opts.peildatum) {
                Some(s) => (
                    HrField::StartDate,
                    s,
                    format!(
                        "datum in dienst {} ligt na de peildatum {peil}; deze medewerker telt niet mee",
                        s.format("%d-%m-%Y")
                    ),
                ),
                None => {
                    let e = p.end_date.unwrap_or(opts.peildatum);
                    (
                        HrField::EndDate,
                        e,
                        format!(
                            "datum uit dienst {} ligt voor de peildatum {peil}; deze medewerker telt niet mee",
                            e.format("%d-%m-%Y")
                        ),
                    )
                }
            };
            diagnostics.push(
                Diagnostic::error(
                    p.row,
                    field.label_nl(),
                    &date.format("%d-%m-%Y").to_string(),
                    message,
                )
                .warning(),
            );
            out.out_of_service_rows.push(p.row);
            continue;
        }
        let pseudonym = pseudonymiser.pseudonym(&p.employee_number);
        let employee = Employee {
            pseudonym: pseudonym.clone(),
            team: p.team,
            function: p.function,
            fwg_scale: p.fwg_scale,
            contract_hours: p.contract_hours,
            part_time_factor: p.part_time_factor,
            age_band: p.age.map(AgeBand::of_age),
            start_date: p.start_date,
            end_date: p.end_date,
            contract_kind: p.contract_kind,
            source_rows: vec![p.row],
        };
        match by_pseudonym.get(&pseudonym) {
            None => {
                by_pseudonym.insert(pseudonym.clone(), out.employees.len());
                first_row_of.insert(pseudonym, p.row);
                out.employees.push(employee);
            }
            Some(&i) => {
                let first = first_row_of.get(&pseudonym).copied().unwrap_or(0);
                diagnostics.push(
                    Diagnostic::error(
                        p.row,
                        HrField::EmployeeNumber.label_nl(),
                        &p.employee_number,
                        format!(
                            "personeelsnummer '{}' staat ook in rij {first}; de contracten zijn samengeteld",
                            p.employee_number
                        ),
                    )
                    .warning(),
                );
                merge(&mut out.employees[i], employee, opts.full_time_hours);
            }
        }
    }
    // File-level first, then by row; stable so a row's problems keep their field order.
    diagnostics.sort_by_key(|d| d.row.unwrap_or(0));
    out.diagnostics = diagnostics;
    out.dropped_columns = dropped_columns;
    out
}

fn merge(into: &mut Employee, other: Employee, full_time_hours: Decimal) {
    let other_bigger = other.contract_hours > into.contract_hours;
    let hours = into.contract_hours + other.contract_hours;
    let start = match (into.start_date, other.start_date) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    let end = match (into.end_date, other.end_date) {
        (Some(a), Some(b)) => Some(a.max(b)),
        _ => None,
    };
    let mut rows = std::mem::take(&mut into.source_rows);
    rows.extend(&other.source_rows);
    let age_band = into.age_band.or(other.age_band);
    if other_bigger {
        *into = other;
    }
    into.contract_hours = hours;
    into.part_time_factor = crate::bands::fte(hours, full_time_hours);
    into.start_date = start;
    into.end_date = end;
    into.source_rows = rows;
    into.age_band = into.age_band.or(age_band);
}

/// The first rows as they will be read, for the mapping step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Preview {
    /// Mapped fields in field order, with their column headers.
    pub columns: Vec<PreviewColumn>,
    pub rows: Vec<PreviewRow>,
    /// File-level problems with the mapping.
    pub diagnostics: Vec<Diagnostic>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreviewColumn {
    pub field: HrField,
    pub label_nl: String,
    pub header: String,
}

/// One previewed row. `values` holds what will be kept, shown the Dutch way (hours
/// "24,5", dates "23-11-2026", the age band instead of the birth date); the employee
/// number is shown as typed so the admin can check the column (it is stored only as a
/// pseudonym).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreviewRow {
    pub row: u32,
    pub values: BTreeMap<HrField, String>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Preview the first `n` data rows under `mapping`.
pub fn preview(table: &Table, mapping: &HrMapping, opts: &ImportOptions, n: usize) -> Preview {
    let mut diagnostics = Vec::new();
    let mut dropped = Vec::new();
    let reader = RowReader::new(table, mapping, opts, &mut diagnostics, &mut dropped);
    let cols = mapping.resolve(table);
    let columns = HrField::ALL
        .into_iter()
        .filter_map(|f| {
            cols.get(&f).map(|&c| PreviewColumn {
                field: f,
                label_nl: f.label_nl().to_owned(),
                header: table.headers[c].clone(),
            })
        })
        .collect();
    let rows = table
        .rows
        .iter()
        .take(n)
        .map(|row| {
            let mut diags = Vec::new();
            let mut values = BTreeMap::new();
            let parsed = reader.as_ref().and_then(|r| r.read(row, &mut diags));
            match parsed {
                Some(p) => {
                    let mut put = |f: HrField, v: Option<String>| {
                        if cols.contains_key(&f)
                            && let Some(v) = v
                        {
                            values.insert(f, v);
                        }
                    };
                    put(HrField::EmployeeNumber, Some(p.employee_number.clone()));
                    put(HrField::Team, p.team.clone());
                    put(HrField::Function, p.function.clone());
                    put(HrField::FwgScale, p.fwg_scale.clone());
                    put(
                        HrField::ContractHours,
                        Some(format_number_nl(p.contract_hours, 2)),
                    );
                    put(
                        HrField::PartTimeFactor,
                        Some(format_number_nl(p.part_time_factor, 4)),
                    );
                    let band = p.age.map(|a| AgeBand::of_age(a).label_nl().to_owned());
                    put(HrField::BirthDate, band.clone());
                    put(HrField::Age, band);
                    put(
                        HrField::StartDate,
                        p.start_date.map(|d| d.format("%d-%m-%Y").to_string()),
                    );
                    put(
                        HrField::EndDate,
                        p.end_date.map(|d| d.format("%d-%m-%Y").to_string()),
                    );
                    put(
                        HrField::ContractKind,
                        p.contract_kind.map(|k| k.label_nl().to_owned()),
                    );
                }
                None => {
                    // Show the cells as typed (never name columns: they are not mapped).
                    for (&f, &c) in &cols {
                        if !is_name_column(&table.headers[c]) {
                            let v = row.get(c).display();
                            if !v.is_empty() {
                                values.insert(f, v);
                            }
                        }
                    }
                }
            }
            PreviewRow {
                row: row.number,
                values,
                diagnostics: diags,
            }
        })
        .collect();
    Preview {
        columns,
        rows,
        diagnostics,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contract_kinds() {
        use ContractKind::*;
        for (s, k) in [
            ("Vast", Vast),
            ("Onbepaalde tijd", Vast),
            ("OBT", Vast),
            ("vast contract", Vast),
            ("Tijdelijk", Tijdelijk),
            ("Bepaalde tijd", Tijdelijk),
            ("BT", Tijdelijk),
            ("BBL", Tijdelijk),
            ("Oproepkracht", Oproep),
            ("0-uren", Oproep),
            ("Nulurencontract", Oproep),
            ("Min-max", Oproep),
            ("Flexpool", Flex),
            ("flex", Flex),
        ] {
            assert_eq!(parse_contract_kind(s), Some(k), "{s}");
        }
        assert_eq!(parse_contract_kind("stage"), None);
        assert_eq!(parse_contract_kind(""), None);
    }

    #[test]
    fn fwg() {
        let t = |s: &str| parse_fwg(&Cell::Text(s.into()));
        assert_eq!(t("FWG 35").as_deref(), Some("FWG 35"));
        assert_eq!(t("fwg35").as_deref(), Some("FWG 35"));
        assert_eq!(t("Schaal 40").as_deref(), Some("FWG 40"));
        assert_eq!(t("45").as_deref(), Some("FWG 45"));
        assert_eq!(parse_fwg(&Cell::Number(50.0)).as_deref(), Some("FWG 50"));
        assert_eq!(
            t("CAO Sociaal Werk 7").as_deref(),
            Some("CAO Sociaal Werk 7")
        );
        assert_eq!(t(" "), None);
    }
}
