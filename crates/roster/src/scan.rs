//! The roster scan: reads a roster export (CSV or XLSX, one row per shift) and measures
//! what in today's roster blocks bigger contracts: scheduled versus contract hours,
//! opkomstmomenten, short and split shifts, the shift mix, consecutive days, breaches of the
//! Arbeidstijdenwet, the staffing curve by hour and weekday, and an estimate of the extra
//! contract hours the team could absorb with longer shifts at the same coverage.
//!
//! Employee numbers are pseudonymised on read (HMAC-SHA256 with a key the caller supplies);
//! the real numbers never leave [`read_export`].
//!
//! ATW rules applied (articles from `shared/reference/nl-roster-rules.md`):
//! - `dienst_langer_dan_12_uur`: more than 12 h work in one shift (art. 5:7).
//! - `nachtdienst_langer_dan_10_uur`: a night shift (more than 1 h between 00:00 and 06:00)
//!   with more than 10 h work (art. 5:8; the 12 h exception is not tracked).
//! - `dagelijkse_rust_korter_dan_11_uur`: rest between two arrivals under 11 h; a rest of
//!   8–11 h is allowed once per 7×24 h (art. 5:3(2)).
//! - `meer_dan_60_uur_per_week`: more than 60 h in a calendar week Monday–Sunday (art. 5:7).
//! - `gemiddeld_meer_dan_48_uur_16_weken`: average over 48 h/week in any 16 consecutive
//!   calendar weeks inside the period (art. 5:7).
//! - `wekelijkse_rust`: per block of 14 days from the first Monday, neither ≥ 36 h rest in
//!   each 7 days nor ≥ 72 h rest in parts of ≥ 32 h (art. 5:5(2)); fixed blocks, not
//!   rolling windows (a simplification).

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Timelike};
use hmac::{Hmac, Mac};
use import::{Cell, Table};
use serde::Serialize;
use sha2::Sha256;
use std::collections::{BTreeMap, BTreeSet};

/// File kinds the scan reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Csv,
    Xlsx,
}

impl FileKind {
    /// By file name extension (`.xlsx`/`.xlsm` → XLSX, anything else CSV).
    pub fn from_name(name: &str) -> Self {
        let lower = name.to_lowercase();
        if lower.ends_with(".xlsx") || lower.ends_with(".xlsm") {
            FileKind::Xlsx
        } else {
            FileKind::Csv
        }
    }
}

/// Why a file could not be read. Messages are Dutch: they go to the planner.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScanError {
    #[error("rij {row}, veld '{field}': {message}")]
    Field {
        row: usize,
        field: String,
        message: String,
    },
    #[error("kolom '{0}' ontbreekt (verwacht een van: {1})")]
    MissingColumn(String, String),
    #[error("het bestand is niet te lezen: {0}")]
    File(String),
    #[error("het bestand bevat geen diensten")]
    Empty,
    /// Shifts of one employee that overlap in time: reported, never merged (merging
    /// counted the overlapping hours twice).
    #[error("{}", overlaps_text(.0))]
    Overlaps(Vec<Overlap>),
    /// The dates span more than [`MAX_PERIOD_DAYS`] days.
    #[error(
        "de diensten lopen van {} tot {}: meer dan {} dagen. Scan hoogstens een jaar \
         tegelijk; splits het bestand of kies een kortere periode in het roosterprogramma",
        .0.format("%d-%m-%Y"),
        .1.format("%d-%m-%Y"),
        MAX_PERIOD_DAYS
    )]
    Period(NaiveDate, NaiveDate),
}

/// Two rows (spreadsheet row numbers) of one employee whose shifts overlap.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Overlap {
    pub first_row: usize,
    pub second_row: usize,
    /// When the overlap starts and ends.
    pub from: NaiveDateTime,
    pub until: NaiveDateTime,
}

/// The longest period one scan reads: a year and a few weeks' margin.
pub const MAX_PERIOD_DAYS: i64 = 400;
/// Years a shift's date may lie in; outside them a date is a typing error or an Excel
/// serial number read as a date.
pub const PLAUSIBLE_YEARS: std::ops::RangeInclusive<i32> = 2000..=2099;

fn overlaps_text(list: &[Overlap]) -> String {
    let shown: Vec<String> = list
        .iter()
        .take(10)
        .map(|o| {
            format!(
                "rij {} en rij {} ({} {}–{})",
                o.first_row,
                o.second_row,
                o.from.format("%d-%m-%Y"),
                o.from.format("%H:%M"),
                o.until.format("%H:%M")
            )
        })
        .collect();
    let more = list.len().saturating_sub(10);
    format!(
        "{} keer overlappen twee diensten van dezelfde medewerker: {}{}. Haal dubbele \
         diensten weg of verbeter de begin- en eindtijden; de scan telt overlappende uren \
         niet samen",
        list.len(),
        shown.join("; "),
        if more > 0 {
            format!(" en nog {more}")
        } else {
            String::new()
        }
    )
}

/// Options of the scan.
#[derive(Debug, Clone)]
pub struct ScanOptions {
    /// Shifts shorter than this count as short (default 6 h).
    pub short_shift_minutes: u32,
    /// Two parts of a day with at least this gap form a split shift (two opkomstmomenten).
    pub split_gap_minutes: u32,
    /// Full-time hours per week (36 in the care CAOs) for "per FTE" figures.
    pub fulltime_hours: f64,
    /// Length a short shift is assumed to grow to in the absorbable-hours estimate.
    pub longer_shift_minutes: u32,
}

impl Default for ScanOptions {
    fn default() -> Self {
        Self {
            short_shift_minutes: 360,
            split_gap_minutes: 60,
            fulltime_hours: 36.0,
            longer_shift_minutes: 480,
        }
    }
}

/// One worked shift (or part of a split shift) as read.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct ShiftRow {
    /// Pseudonym of the employee.
    pub employee: String,
    pub team: String,
    pub date: NaiveDate,
    pub start: NaiveDateTime,
    pub end: NaiveDateTime,
    pub break_minutes: u32,
    pub code: String,
    pub function: String,
}

impl ShiftRow {
    pub fn worked_minutes(&self) -> i64 {
        (self.end - self.start).num_minutes() - i64::from(self.break_minutes)
    }
}

/// A read roster export.
#[derive(Debug, Clone, Default, Serialize, serde::Deserialize)]
pub struct Export {
    pub shifts: Vec<ShiftRow>,
    /// Contract hours per week per pseudonym (from a column or a second file).
    pub contract_hours: BTreeMap<String, f64>,
}

/// Pseudonymises an employee number: `mw-` and the first 12 hex digits of
/// HMAC-SHA256(key, number).
pub fn pseudonym(key: &[u8], number: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC accepts any key length");
    mac.update(number.trim().as_bytes());
    let tag = mac.finalize().into_bytes();
    format!("mw-{}", &hex::encode(tag)[..12])
}

/// Column roles and the Dutch headers that map to them (compared without case, spaces,
/// dots, underscores and hyphens).
const COLUMNS: &[(&str, &[&str])] = &[
    (
        "personeelsnummer",
        &[
            "personeelsnummer",
            "personeelsnr",
            "persnr",
            "medewerkernummer",
            "medewerkernr",
            "medewerker",
            "werknemer",
            "werknemernummer",
            "employee",
        ],
    ),
    (
        "team",
        &[
            "team",
            "afdeling",
            "teamnaam",
            "kostenplaats",
            "locatie",
            "unit",
        ],
    ),
    ("datum", &["datum", "dienstdatum", "date", "dag"]),
    (
        "begintijd",
        &["begintijd", "begin", "starttijd", "start", "van", "aanvang"],
    ),
    (
        "eindtijd",
        &["eindtijd", "eind", "einde", "eindtijdstip", "tot", "end"],
    ),
    (
        "pauze",
        &[
            "pauze",
            "pauzeminuten",
            "pauzemin",
            "pauzeinminuten",
            "break",
        ],
    ),
    (
        "dienstcode",
        &["dienstcode", "dienst", "code", "diensttype"],
    ),
    ("functie", &["functie", "rol", "functienaam"]),
    (
        "contracturen",
        &[
            "contracturen",
            "contracturenperweek",
            "urenperweek",
            "contract",
            "contracturenweek",
        ],
    ),
];

fn norm(h: &str) -> String {
    h.trim()
        .to_lowercase()
        .chars()
        .filter(|c| !matches!(c, ' ' | '.' | '_' | '-' | '(' | ')' | '/'))
        .collect()
}

/// Reads the file with the shared table reader (encoding and delimiter detection, typed
/// spreadsheet cells, spreadsheet row numbers).
fn read_table(bytes: &[u8], kind: FileKind) -> Result<Table, ScanError> {
    let read = match kind {
        FileKind::Csv => import::read_csv(bytes),
        FileKind::Xlsx => import::read_spreadsheet(bytes, None),
    };
    match read {
        Ok(t) => Ok(t),
        Err(import::ReadError::Empty | import::ReadError::NoHeader) => Err(ScanError::Empty),
        Err(e) => Err(ScanError::File(e.message_nl())),
    }
}

/// The cell of column `role` in row `r` (empty when the file has no such column).
fn cell<'a>(r: &'a import::Row, cols: &BTreeMap<&str, usize>, role: &str) -> &'a Cell {
    static EMPTY: Cell = Cell::Empty;
    cols.get(role).map_or(&EMPTY, |&i| r.get(i))
}

/// The cell as trimmed text ("" when empty); numbers read back as their digits.
fn text(c: &Cell) -> String {
    import::parse_text(c).unwrap_or_default()
}

fn map_columns(
    headers: &[String],
    required: &[&str],
) -> Result<BTreeMap<&'static str, usize>, ScanError> {
    let mut map = BTreeMap::new();
    for (i, h) in headers.iter().enumerate() {
        let n = norm(h);
        for (role, names) in COLUMNS {
            if !map.contains_key(role) && names.contains(&n.as_str()) {
                map.insert(*role, i);
            }
        }
    }
    for r in required {
        if !map.contains_key(r) {
            let names = COLUMNS
                .iter()
                .find(|(role, _)| role == r)
                .map_or(String::new(), |(_, n)| n.join(", "));
            return Err(ScanError::MissingColumn((*r).to_string(), names));
        }
    }
    Ok(map)
}

fn field_err(row: usize, field: &str, message: String) -> ScanError {
    ScanError::Field {
        row,
        field: field.to_string(),
        message,
    }
}

fn parse_date(c: &Cell, row: usize) -> Result<NaiveDate, ScanError> {
    // Two-digit years as chrono's %y reads them (00–68 → 20xx).
    let opts = import::DateOptions {
        two_digit_year_pivot: Some(68),
    };
    let date = import::parse_date_with(c, opts).map_err(|_| {
        field_err(
            row,
            "datum",
            format!("'{}' is geen datum (gebruik dd-mm-jjjj)", c.display()),
        )
    })?;
    if !PLAUSIBLE_YEARS.contains(&date.year()) {
        return Err(field_err(
            row,
            "datum",
            format!(
                "{} ligt niet tussen {} en {}; controleer het jaartal",
                date.format("%d-%m-%Y"),
                PLAUSIBLE_YEARS.start(),
                PLAUSIBLE_YEARS.end()
            ),
        ));
    }
    Ok(date)
}

/// A clock time as minutes after midnight (0..=1440, "24:00" = 1440).
fn parse_clock(c: &Cell, row: usize, field: &str) -> Result<i64, ScanError> {
    import::parse_minutes_of_day(c).map(i64::from).map_err(|_| {
        field_err(
            row,
            field,
            format!("'{}' is geen tijd (gebruik uu:mm)", c.display()),
        )
    })
}

fn parse_minutes(c: &Cell, row: usize) -> Result<u32, ScanError> {
    match c {
        _ if c.is_empty() => Ok(0),
        // A time-formatted spreadsheet cell ("0:30").
        Cell::DateTime(t) if t.date() == NaiveDate::from_ymd_opt(1899, 12, 30).expect("date") => {
            Ok(t.time().num_seconds_from_midnight().div_ceil(60))
        }
        Cell::Number(n) if *n >= 0.0 && *n < 1.0 && n.fract() != 0.0 => {
            Ok((n * 1440.0).round() as u32)
        }
        Cell::Number(n) if *n >= 0.0 => Ok(n.round() as u32),
        _ => {
            let t = text(c);
            if let Some((h, m)) = t.split_once(':')
                && let (Ok(h), Ok(m)) = (h.trim().parse::<u32>(), m.trim().parse::<u32>())
            {
                return Ok(h * 60 + m);
            }
            t.parse::<u32>()
                .map_err(|_| field_err(row, "pauze", format!("'{t}' is geen aantal minuten")))
        }
    }
}

fn parse_hours(c: &Cell, row: usize, field: &str) -> Result<Option<f64>, ScanError> {
    if c.is_empty() {
        return Ok(None);
    }
    import::parse_number(c)
        .ok()
        .and_then(|d| d.to_string().parse::<f64>().ok())
        .filter(|h| *h >= 0.0)
        .map(Some)
        .ok_or_else(|| field_err(row, field, format!("'{}' is geen aantal uren", c.display())))
}

/// Reads a roster export (one row per shift). Rows are numbered as in a spreadsheet
/// (header = row 1). Rows without an employee number are skipped.
pub fn read_export(bytes: &[u8], kind: FileKind, key: &[u8]) -> Result<Export, ScanError> {
    let table = read_table(bytes, kind)?;
    let cols = map_columns(
        &table.headers,
        &["personeelsnummer", "datum", "begintijd", "eindtijd"],
    )?;
    let cols: BTreeMap<String, usize> = cols.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
    export_from_table(&table, &cols, &|n: &str| pseudonym(key, n))
}

/// The column roles of a roster export with their Dutch labels and whether they are
/// required, in the order a mapping step shows them.
pub const COLUMN_ROLES: &[(&str, &str, bool)] = &[
    ("personeelsnummer", "Personeelsnummer", true),
    ("datum", "Datum van de dienst", true),
    ("begintijd", "Begintijd", true),
    ("eindtijd", "Eindtijd", true),
    ("pauze", "Pauze (minuten)", false),
    ("dienstcode", "Dienstcode", false),
    ("team", "Team of afdeling", false),
    ("functie", "Functie", false),
    ("contracturen", "Contracturen per week", false),
];

/// The proposed column (index) per role, by the header names the scan knows.
pub fn propose_columns(headers: &[String]) -> BTreeMap<String, usize> {
    map_columns(headers, &[])
        .unwrap_or_default()
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect()
}

/// Reads an export from a table with the columns chosen per role (see [`COLUMN_ROLES`];
/// indices into the table's columns); `pseudonymise` turns an employee number into the
/// pseudonym kept. The first problem is returned, naming row and field in Dutch.
pub fn export_from_table(
    table: &Table,
    columns: &BTreeMap<String, usize>,
    pseudonymise: &dyn Fn(&str) -> String,
) -> Result<Export, ScanError> {
    for (role, label, required) in COLUMN_ROLES {
        if *required && !columns.contains_key(*role) {
            return Err(ScanError::MissingColumn(
                (*role).to_string(),
                format!("kies de kolom voor '{label}'"),
            ));
        }
    }
    let cols: BTreeMap<&str, usize> = columns
        .iter()
        .filter(|(_, i)| **i < table.headers.len())
        .map(|(k, v)| (k.as_str(), *v))
        .collect();
    let get = |r, role| cell(r, &cols, role);
    let mut out = Export::default();
    let mut rows_of_shifts = Vec::new();
    for r in &table.rows {
        let row = r.number as usize;
        let number = text(get(r, "personeelsnummer"));
        if number.is_empty() {
            if r.cells.iter().all(Cell::is_empty) {
                continue;
            }
            return Err(field_err(row, "personeelsnummer", "is leeg".into()));
        }
        let employee = pseudonymise(&number);
        let date = parse_date(get(r, "datum"), row)?;
        let midnight = date.and_time(NaiveTime::MIN);
        let start =
            midnight + Duration::minutes(parse_clock(get(r, "begintijd"), row, "begintijd")?);
        let mut end =
            midnight + Duration::minutes(parse_clock(get(r, "eindtijd"), row, "eindtijd")?);
        if end <= start {
            end += Duration::days(1);
        }
        let break_minutes = parse_minutes(get(r, "pauze"), row)?;
        if i64::from(break_minutes) >= (end - start).num_minutes() {
            return Err(field_err(
                row,
                "pauze",
                format!("pauze van {break_minutes} minuten is langer dan de dienst"),
            ));
        }
        if let Some(h) = parse_hours(get(r, "contracturen"), row, "contracturen")? {
            out.contract_hours.insert(employee.clone(), h);
        }
        let team = text(get(r, "team"));
        rows_of_shifts.push(row);
        out.shifts.push(ShiftRow {
            employee,
            team: if team.is_empty() {
                "(geen team)".into()
            } else {
                team
            },
            date,
            start,
            end,
            break_minutes,
            code: text(get(r, "dienstcode")),
            function: text(get(r, "functie")),
        });
    }
    if out.shifts.is_empty() {
        return Err(ScanError::Empty);
    }
    check_period(&out.shifts)?;
    let overlaps = find_overlaps(&out.shifts, &rows_of_shifts);
    if !overlaps.is_empty() {
        return Err(ScanError::Overlaps(overlaps));
    }
    Ok(out)
}

/// The whole period at most [`MAX_PERIOD_DAYS`] days.
fn check_period(shifts: &[ShiftRow]) -> Result<(), ScanError> {
    let first = shifts.iter().map(|s| s.date).min();
    let last = shifts.iter().map(|s| s.date).max();
    if let (Some(first), Some(last)) = (first, last)
        && (last - first).num_days() >= MAX_PERIOD_DAYS
    {
        return Err(ScanError::Period(first, last));
    }
    Ok(())
}

/// Pairs of one employee's shifts that overlap in time (touching is fine: 07:00–15:00 and
/// 15:00–23:00 do not overlap), in row order.
fn find_overlaps(shifts: &[ShiftRow], rows: &[usize]) -> Vec<Overlap> {
    let mut order: Vec<usize> = (0..shifts.len()).collect();
    order.sort_by(|&a, &b| {
        (&shifts[a].employee, shifts[a].start, rows[a]).cmp(&(
            &shifts[b].employee,
            shifts[b].start,
            rows[b],
        ))
    });
    let mut found = Vec::new();
    // The shift of the current employee that reaches furthest so far.
    let mut reach: Option<usize> = None;
    for &i in &order {
        if let Some(j) = reach
            && shifts[j].employee == shifts[i].employee
            && shifts[i].start < shifts[j].end
        {
            let (a, b) = (rows[j].min(rows[i]), rows[j].max(rows[i]));
            found.push(Overlap {
                first_row: a,
                second_row: b,
                from: shifts[i].start,
                until: shifts[i].end.min(shifts[j].end),
            });
            if shifts[i].end > shifts[j].end {
                reach = Some(i);
            }
            continue;
        }
        reach = Some(i);
    }
    found.sort_by_key(|o| (o.first_row, o.second_row));
    found
}

/// Reads contract hours per week from a second file (columns personeelsnummer and
/// contracturen) into `export`, pseudonymised with the same key.
pub fn read_contracts(
    export: &mut Export,
    bytes: &[u8],
    kind: FileKind,
    key: &[u8],
) -> Result<(), ScanError> {
    let table = read_table(bytes, kind)?;
    let cols = map_columns(&table.headers, &["personeelsnummer", "contracturen"])?;
    for r in &table.rows {
        let row = r.number as usize;
        let number = text(r.get(cols["personeelsnummer"]));
        if number.is_empty() {
            continue;
        }
        match parse_hours(r.get(cols["contracturen"]), row, "contracturen")? {
            Some(h) => {
                export.contract_hours.insert(pseudonym(key, &number), h);
            }
            None => return Err(field_err(row, "contracturen", "is leeg".into())),
        }
    }
    Ok(())
}

/// One ATW breach.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct Breach {
    pub rule: String,
    pub employee: String,
    pub date: NaiveDate,
    /// The measured value in words, e.g. "rust 9,5 uur".
    pub detail: String,
}

/// Shift mix counts (a shift is one class; weekend is counted on top).
#[derive(Debug, Clone, Default, PartialEq, Serialize, serde::Deserialize)]
pub struct Mix {
    pub early: u32,
    pub day: u32,
    pub late: u32,
    pub night: u32,
    pub weekend: u32,
}

/// Figures for one employee (by pseudonym).
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct EmployeeReport {
    pub employee: String,
    pub shifts: u32,
    pub scheduled_hours: f64,
    /// Contract hours over the period (None if unknown).
    pub contract_hours: Option<f64>,
    /// Scheduled minus contract hours over the period.
    pub extra_hours: Option<f64>,
    /// Weeks in which the scheduled hours exceeded the weekly contract.
    pub weeks_over_contract: u32,
    pub opkomstmomenten: u32,
    pub short_shifts: u32,
    pub split_shifts: u32,
    pub max_consecutive_days: u32,
}

/// Figures for one team.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct TeamReport {
    pub team: String,
    pub employees: u32,
    pub shifts: u32,
    pub scheduled_hours: f64,
    /// Contract hours over the period of the employees with a known contract.
    pub contract_hours: f64,
    /// Hours worked by employees without a known contract (flex, external).
    pub hours_without_contract: f64,
    /// Sum over employees of scheduled minus contract hours where positive.
    pub extra_hours: f64,
    /// Employees scheduled above contract in at least three quarters of the weeks.
    pub structural_extra_employees: u32,
    pub opkomstmomenten: u32,
    pub opkomstmomenten_per_week: f64,
    pub opkomstmomenten_per_week_per_fte: Option<f64>,
    pub short_shifts: u32,
    pub short_shift_share: f64,
    pub split_shifts: u32,
    /// Shift lengths (worked hours) in buckets: < 4, 4–6, 6–8, 8–10, ≥ 10 h.
    pub length_distribution: [u32; 5],
    pub mix: Mix,
    pub max_consecutive_days: u32,
    pub atw_breaches: Vec<Breach>,
    /// Average number of people at work per weekday (0 = Monday) and hour of day.
    pub staffing_curve: Vec<Vec<f64>>,
    /// Highest hourly staffing divided by the average over 07:00–23:00 (1 = flat "zorggolf").
    pub peak_ratio: f64,
    /// Estimate of extra contract hours the team could absorb with longer shifts at the same
    /// coverage (see [`scan`]).
    pub absorbable_contract_hours: f64,
    pub per_employee: Vec<EmployeeReport>,
}

/// The whole scan.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct ScanReport {
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub weeks: f64,
    pub short_shift_minutes: u32,
    pub teams: Vec<TeamReport>,
}

/// An arrival: one or more rows of one employee on one day without a gap of
/// `split_gap_minutes` or more.
#[derive(Debug, Clone)]
struct Arrival {
    start: NaiveDateTime,
    end: NaiveDateTime,
    worked: i64,
    date: NaiveDate,
    split_part: bool,
}

fn night_minutes(start: NaiveDateTime, end: NaiveDateTime) -> i64 {
    // Minutes of [start, end) that fall between 00:00 and 06:00 on any day.
    let mut total = 0;
    let mut day = start.date() - Duration::days(1);
    while day <= end.date() {
        let a = day.and_hms_opt(0, 0, 0).expect("valid time");
        let b = day.and_hms_opt(6, 0, 0).expect("valid time");
        let lo = start.max(a);
        let hi = end.min(b);
        if hi > lo {
            total += (hi - lo).num_minutes();
        }
        day += Duration::days(1);
    }
    total
}

/// Runs the scan. The absorbable-hours estimate is
/// `min(Σ over short shifts (longer_shift − length), hours without contract + extra hours)`:
/// lengthening short shifts lets the same arrivals carry more hours, and the hours that can
/// move into contracts at the same coverage are those now worked by staff without a contract
/// (flex, external) plus the hours worked above contract.
pub fn scan(export: &Export, opts: &ScanOptions) -> ScanReport {
    let start = export
        .shifts
        .iter()
        .map(|s| s.date)
        .min()
        .expect("non-empty export");
    let end = export
        .shifts
        .iter()
        .map(|s| s.date)
        .max()
        .expect("non-empty export");
    let days = (end - start).num_days() + 1;
    let weeks = days as f64 / 7.0;
    let mut teams: BTreeMap<&str, Vec<&ShiftRow>> = BTreeMap::new();
    for s in &export.shifts {
        teams.entry(s.team.as_str()).or_default().push(s);
    }
    // Weekday occurrences in the period, for the staffing curve average.
    let mut weekday_count = [0u32; 7];
    let mut d = start;
    while d <= end {
        weekday_count[d.weekday().num_days_from_monday() as usize] += 1;
        d += Duration::days(1);
    }
    let reports = teams
        .into_iter()
        .map(|(team, rows)| {
            team_report(team, &rows, export, opts, start, end, weeks, &weekday_count)
        })
        .collect();
    ScanReport {
        period_start: start,
        period_end: end,
        weeks,
        short_shift_minutes: opts.short_shift_minutes,
        teams: reports,
    }
}

#[allow(clippy::too_many_arguments)]
fn team_report(
    team: &str,
    rows: &[&ShiftRow],
    export: &Export,
    opts: &ScanOptions,
    start: NaiveDate,
    end: NaiveDate,
    weeks: f64,
    weekday_count: &[u32; 7],
) -> TeamReport {
    let mut by_emp: BTreeMap<&str, Vec<&ShiftRow>> = BTreeMap::new();
    for r in rows {
        by_emp.entry(r.employee.as_str()).or_default().push(r);
    }
    let mut per_employee = Vec::new();
    let mut breaches = Vec::new();
    let mut curve = vec![vec![0.0f64; 24]; 7];
    let mut mix = Mix::default();
    let mut dist = [0u32; 5];
    let (mut scheduled, mut contract, mut without, mut extra) = (0.0, 0.0, 0.0, 0.0);
    let (mut opk, mut short, mut split, mut max_cons, mut structural) =
        (0u32, 0u32, 0u32, 0u32, 0u32);
    let mut fte = 0.0;
    let mut lengthening = 0.0;
    for (emp, mut shifts) in by_emp {
        shifts.sort_by_key(|s| s.start);
        let mut emp_minutes = 0i64;
        let mut emp_short = 0;
        for s in &shifts {
            let w = s.worked_minutes();
            emp_minutes += w;
            let h = w as f64 / 60.0;
            dist[match h {
                h if h < 4.0 => 0,
                h if h < 6.0 => 1,
                h if h < 8.0 => 2,
                h if h < 10.0 => 3,
                _ => 4,
            }] += 1;
            if w < i64::from(opts.short_shift_minutes) {
                emp_short += 1;
                lengthening += (i64::from(opts.longer_shift_minutes) - w).max(0) as f64 / 60.0;
            }
            let nm = night_minutes(s.start, s.end);
            let st = s.start.time();
            if nm > 60 {
                mix.night += 1;
            } else if st.hour() < 9 {
                mix.early += 1;
            } else if s.end.time().hour() >= 20 || s.end.date() > s.date || st.hour() >= 13 {
                mix.late += 1;
            } else {
                mix.day += 1;
            }
            if s.date.weekday().num_days_from_monday() >= 5 {
                mix.weekend += 1;
            }
            if w > 12 * 60 {
                breaches.push(Breach {
                    rule: "dienst_langer_dan_12_uur".into(),
                    employee: emp.into(),
                    date: s.date,
                    detail: format!("{} uur gewerkt", nl_num(w as f64 / 60.0, 1)),
                });
            }
            if nm > 60 && w > 10 * 60 {
                breaches.push(Breach {
                    rule: "nachtdienst_langer_dan_10_uur".into(),
                    employee: emp.into(),
                    date: s.date,
                    detail: format!("{} uur gewerkt", nl_num(w as f64 / 60.0, 1)),
                });
            }
            // Staffing curve: count each hour of the week the shift overlaps.
            let mut t = s
                .start
                .date()
                .and_hms_opt(s.start.hour(), 0, 0)
                .expect("valid time");
            while t < s.end {
                let next = t + Duration::hours(1);
                let overlap = (s.end.min(next) - s.start.max(t)).num_minutes();
                if overlap > 0 {
                    curve[t.weekday().num_days_from_monday() as usize][t.hour() as usize] +=
                        overlap as f64 / 60.0;
                }
                t = next;
            }
        }
        // Arrivals: merge same-day rows with a gap under split_gap_minutes.
        let mut arrivals: Vec<Arrival> = Vec::new();
        for s in &shifts {
            let w = s.worked_minutes();
            if let Some(last) = arrivals.last_mut() {
                let gap = (s.start - last.end).num_minutes();
                if last.date == s.date && gap < i64::from(opts.split_gap_minutes) {
                    last.end = last.end.max(s.end);
                    last.worked += w;
                    continue;
                }
                if last.date == s.date {
                    last.split_part = true;
                    arrivals.push(Arrival {
                        start: s.start,
                        end: s.end,
                        worked: w,
                        date: s.date,
                        split_part: true,
                    });
                    continue;
                }
            }
            arrivals.push(Arrival {
                start: s.start,
                end: s.end,
                worked: w,
                date: s.date,
                split_part: false,
            });
        }
        let emp_split = {
            let days: BTreeSet<NaiveDate> = arrivals
                .iter()
                .filter(|a| a.split_part)
                .map(|a| a.date)
                .collect();
            days.len() as u32
        };
        let emp_opk = arrivals.len() as u32;
        // Daily rest between arrivals (split-shift gaps excluded: same date).
        let mut shortened: Vec<NaiveDateTime> = Vec::new();
        for pair in arrivals.windows(2) {
            if pair[0].date == pair[1].date {
                continue;
            }
            let rest = (pair[1].start - pair[0].end).num_minutes();
            if rest >= 11 * 60 {
                continue;
            }
            let allowed_once = rest >= 8 * 60
                && !shortened
                    .iter()
                    .any(|&t| pair[1].start - t < Duration::days(7));
            if allowed_once {
                shortened.push(pair[1].start);
            } else {
                breaches.push(Breach {
                    rule: "dagelijkse_rust_korter_dan_11_uur".into(),
                    employee: emp.into(),
                    date: pair[1].date,
                    detail: format!("rust {} uur", nl_num(rest as f64 / 60.0, 1)),
                });
            }
        }
        // Calendar weeks: > 60 h, and 16-week averages > 48 h.
        let mut week_minutes: BTreeMap<NaiveDate, i64> = BTreeMap::new();
        let first_monday =
            start - Duration::days(i64::from(start.weekday().num_days_from_monday()));
        let mut wk = first_monday;
        while wk <= end {
            week_minutes.insert(wk, 0);
            wk += Duration::days(7);
        }
        for a in &arrivals {
            let monday =
                a.date - Duration::days(i64::from(a.date.weekday().num_days_from_monday()));
            *week_minutes.entry(monday).or_default() += a.worked;
        }
        for (&monday, &m) in &week_minutes {
            if m > 60 * 60 {
                breaches.push(Breach {
                    rule: "meer_dan_60_uur_per_week".into(),
                    employee: emp.into(),
                    date: monday,
                    detail: format!("{} uur in de week", nl_num(m as f64 / 60.0, 1)),
                });
            }
        }
        let full_weeks: Vec<(NaiveDate, i64)> = week_minutes
            .iter()
            .filter(|(m, _)| **m >= start && **m + Duration::days(6) <= end)
            .map(|(a, b)| (*a, *b))
            .collect();
        for win in full_weeks.windows(16) {
            let avg = win.iter().map(|(_, m)| *m).sum::<i64>() as f64 / 16.0 / 60.0;
            if avg > 48.0 {
                breaches.push(Breach {
                    rule: "gemiddeld_meer_dan_48_uur_16_weken".into(),
                    employee: emp.into(),
                    date: win[0].0,
                    detail: format!("gemiddeld {} uur per week", nl_num(avg, 1)),
                });
                break;
            }
        }
        // Weekly rest per 14-day block from the first Monday inside the period.
        let block_start0 = if start.weekday().num_days_from_monday() == 0 {
            start
        } else {
            first_monday + Duration::days(7)
        };
        let mut bs = block_start0;
        while bs + Duration::days(13) <= end {
            let b0 = bs.and_hms_opt(0, 0, 0).expect("valid time");
            let rests = |from: NaiveDateTime, to: NaiveDateTime| -> Vec<i64> {
                // Rest periods inside [from, to), from the arrivals.
                let mut out = Vec::new();
                let mut cursor = from;
                for a in arrivals.iter().filter(|a| a.end > from && a.start < to) {
                    if a.start > cursor {
                        out.push((a.start - cursor).num_minutes());
                    }
                    cursor = cursor.max(a.end);
                }
                if to > cursor {
                    out.push((to - cursor).num_minutes());
                }
                out
            };
            let mid = b0 + Duration::days(7);
            let fin = b0 + Duration::days(14);
            let ok36 = rests(b0, mid).iter().any(|&r| r >= 36 * 60)
                && rests(mid, fin).iter().any(|&r| r >= 36 * 60);
            let long: i64 = rests(b0, fin).iter().filter(|&&r| r >= 32 * 60).sum();
            if !ok36 && long < 72 * 60 {
                breaches.push(Breach {
                    rule: "wekelijkse_rust".into(),
                    employee: emp.into(),
                    date: bs,
                    detail: format!(
                        "{} uur rust in blokken van 32 uur of meer in 14 dagen",
                        nl_num(long as f64 / 60.0, 1)
                    ),
                });
            }
            bs += Duration::days(14);
        }
        // Consecutive worked dates.
        let dates: BTreeSet<NaiveDate> = shifts.iter().map(|s| s.date).collect();
        let mut best = 0;
        let mut run = 0;
        let mut prev: Option<NaiveDate> = None;
        for &d in &dates {
            run = if prev.is_some_and(|p| d - p == Duration::days(1)) {
                run + 1
            } else {
                1
            };
            best = best.max(run);
            prev = Some(d);
        }
        let hours = emp_minutes as f64 / 60.0;
        let contract_week = export.contract_hours.get(emp).copied();
        let contract_period = contract_week.map(|c| c * weeks);
        let weeks_over = contract_week.map_or(0, |c| {
            week_minutes
                .values()
                .filter(|&&m| m as f64 / 60.0 > c + 1e-9)
                .count() as u32
        });
        if let Some(c) = contract_period {
            contract += c;
            extra += (hours - c).max(0.0);
            fte += contract_week.unwrap_or(0.0) / opts.fulltime_hours;
            if f64::from(weeks_over) >= 0.75 * week_minutes.len() as f64 {
                structural += 1;
            }
        } else {
            without += hours;
        }
        scheduled += hours;
        opk += emp_opk;
        short += emp_short;
        split += emp_split;
        max_cons = max_cons.max(best);
        per_employee.push(EmployeeReport {
            employee: emp.into(),
            shifts: shifts.len() as u32,
            scheduled_hours: round2(hours),
            contract_hours: contract_period.map(round2),
            extra_hours: contract_period.map(|c| round2(hours - c)),
            weeks_over_contract: weeks_over,
            opkomstmomenten: emp_opk,
            short_shifts: emp_short,
            split_shifts: emp_split,
            max_consecutive_days: best,
        });
    }
    for (wd, row) in curve.iter_mut().enumerate() {
        let n = f64::from(weekday_count[wd].max(1));
        for v in row.iter_mut() {
            *v = round2(*v / n);
        }
    }
    let waking: Vec<f64> = curve
        .iter()
        .flat_map(|r| r[7..23].iter().copied())
        .collect();
    let mean = waking.iter().sum::<f64>() / waking.len() as f64;
    let peak = curve.iter().flatten().copied().fold(0.0, f64::max);
    breaches.sort_by(|a, b| (a.date, &a.employee, &a.rule).cmp(&(b.date, &b.employee, &b.rule)));
    let nshifts = rows.len() as u32;
    TeamReport {
        team: team.into(),
        employees: per_employee.len() as u32,
        shifts: nshifts,
        scheduled_hours: round2(scheduled),
        contract_hours: round2(contract),
        hours_without_contract: round2(without),
        extra_hours: round2(extra),
        structural_extra_employees: structural,
        opkomstmomenten: opk,
        opkomstmomenten_per_week: round2(f64::from(opk) / weeks),
        opkomstmomenten_per_week_per_fte: (fte > 0.0).then(|| round2(f64::from(opk) / weeks / fte)),
        short_shifts: short,
        short_shift_share: if nshifts == 0 {
            0.0
        } else {
            round2(f64::from(short) / f64::from(nshifts))
        },
        split_shifts: split,
        length_distribution: dist,
        mix,
        max_consecutive_days: max_cons,
        atw_breaches: breaches,
        staffing_curve: curve,
        peak_ratio: if mean > 0.0 { round2(peak / mean) } else { 0.0 },
        absorbable_contract_hours: round2(lengthening.min(without + extra)),
        per_employee,
    }
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// Formats a number the Dutch way: `1.234,5`.
pub use report::nl::number as nl_num;

/// Rule names in plain Dutch for the summary.
fn rule_text(rule: &str) -> &str {
    match rule {
        "dienst_langer_dan_12_uur" => "dienst langer dan 12 uur (ATW art. 5:7)",
        "nachtdienst_langer_dan_10_uur" => "nachtdienst langer dan 10 uur (ATW art. 5:8)",
        "dagelijkse_rust_korter_dan_11_uur" => "dagelijkse rust korter dan 11 uur (ATW art. 5:3)",
        "meer_dan_60_uur_per_week" => "meer dan 60 uur in een week (ATW art. 5:7)",
        "gemiddeld_meer_dan_48_uur_16_weken" => {
            "gemiddeld meer dan 48 uur per week over 16 weken (ATW art. 5:7)"
        }
        "wekelijkse_rust" => "te weinig wekelijkse rust (ATW art. 5:5)",
        other => other,
    }
}

/// The readable Dutch summary.
pub fn summary(r: &ScanReport) -> String {
    use std::fmt::Write as _;
    let d = |x: NaiveDate| x.format("%d-%m-%Y").to_string();
    let mut o = String::new();
    let _ = writeln!(
        o,
        "Roosterscan {} t/m {} ({} weken)",
        d(r.period_start),
        d(r.period_end),
        nl_num(r.weeks, 1)
    );
    for t in &r.teams {
        let _ = writeln!(o, "\nTeam {}", t.team);
        let _ = writeln!(o, "  Medewerkers: {}, diensten: {}", t.employees, t.shifts);
        let _ = writeln!(
            o,
            "  Ingeroosterde uren: {}; contracturen: {}; uren zonder contract (flex/extern): {}",
            nl_num(t.scheduled_hours, 1),
            nl_num(t.contract_hours, 1),
            nl_num(t.hours_without_contract, 1)
        );
        let _ = writeln!(
            o,
            "  Uren boven contract: {} ({} medewerker(s) structureel boven contract: een groter contract ligt klaar)",
            nl_num(t.extra_hours, 1),
            t.structural_extra_employees
        );
        let per_fte = t
            .opkomstmomenten_per_week_per_fte
            .map_or("onbekend".to_string(), |x| nl_num(x, 2));
        let _ = writeln!(
            o,
            "  Opkomstmomenten: {} ({} per week, {} per week per fte)",
            t.opkomstmomenten,
            nl_num(t.opkomstmomenten_per_week, 1),
            per_fte
        );
        let _ = writeln!(
            o,
            "  Korte diensten (< {} uur): {} ({} %); gebroken diensten: {}",
            nl_num(f64::from(r.short_shift_minutes) / 60.0, 1),
            t.short_shifts,
            nl_num(t.short_shift_share * 100.0, 0),
            t.split_shifts
        );
        let ld = t.length_distribution;
        let _ = writeln!(
            o,
            "  Dienstlengte: < 4 uur {}, 4-6 uur {}, 6-8 uur {}, 8-10 uur {}, 10 uur of meer {}",
            ld[0], ld[1], ld[2], ld[3], ld[4]
        );
        let m = &t.mix;
        let _ = writeln!(
            o,
            "  Mix: vroeg {}, dag {}, laat {}, nacht {}; in het weekend {}",
            m.early, m.day, m.late, m.night, m.weekend
        );
        let _ = writeln!(
            o,
            "  Langste reeks werkdagen achter elkaar: {}",
            t.max_consecutive_days
        );
        let shape = if t.peak_ratio >= 1.5 {
            "zorgpiek"
        } else {
            "zorggolf"
        };
        let _ = writeln!(
            o,
            "  Bezettingscurve: piek is {} keer het gemiddelde van 7-23 uur ({shape})",
            nl_num(t.peak_ratio, 2)
        );
        let _ = writeln!(
            o,
            "  Schatting: met langere diensten kan het team ongeveer {} contracturen extra opnemen bij dezelfde bezetting",
            nl_num(t.absorbable_contract_hours, 0)
        );
        if t.atw_breaches.is_empty() {
            let _ = writeln!(o, "  Arbeidstijdenwet: geen overtredingen gevonden");
        } else {
            let _ = writeln!(
                o,
                "  Arbeidstijdenwet: {} overtreding(en)",
                t.atw_breaches.len()
            );
            for b in &t.atw_breaches {
                let _ = writeln!(
                    o,
                    "    {} {}: {} ({})",
                    d(b.date),
                    b.employee,
                    rule_text(&b.rule),
                    b.detail
                );
            }
        }
    }
    o
}

/// A fresh random key for pseudonyms that only need to be consistent within one scan,
/// drawn from `rng` (the caller's: this crate draws no OS randomness).
pub fn random_key(rng: &mut impl rand::Rng) -> Vec<u8> {
    let mut key = vec![0u8; 32];
    rng.fill(&mut key[..]);
    key
}
