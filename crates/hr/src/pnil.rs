//! PNIL (personeel niet in loondienst: ZZP'ers, agency and seconded staff) costs per
//! month: import with the same diagnostics as the HR extract, and a summary per month
//! and year, the trend, and the comparison with own staff.
//!
//! Two layouts are read: *long* (one row per month, optionally per team and kind, with
//! one amount column) and *wide* (one row per month, optionally per team, with an
//! amount column per kind: ZZP, uitzend, detachering).

use crate::bands::{round_fte, to_f64};
use import::{Cell, Diagnostic, FieldSpec, MappingProposal, Table};
use report::nl::decimal as format_number_nl;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// Kind of external staff.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PnilKind {
    Zzp,
    Uitzend,
    Detachering,
    Overig,
}

impl PnilKind {
    pub fn label_nl(self) -> &'static str {
        match self {
            PnilKind::Zzp => "ZZP",
            PnilKind::Uitzend => "uitzendkrachten",
            PnilKind::Detachering => "detachering",
            PnilKind::Overig => "overig",
        }
    }
}

/// Read a kind: "ZZP", "zelfstandige", "Uitzendkracht", "uitzendbureau", "Detachering",
/// "gedetacheerd", "overig".
pub fn parse_pnil_kind(s: &str) -> Option<PnilKind> {
    let c: String = import::normalise_header(s).split(' ').collect();
    if c.contains("zzp") || c.contains("zelfstandig") || c.contains("freelan") {
        Some(PnilKind::Zzp)
    } else if c.contains("uitzend") || c.contains("interim") {
        Some(PnilKind::Uitzend)
    } else if c.contains("detach") {
        Some(PnilKind::Detachering)
    } else if c.contains("overig") || c.contains("anders") {
        Some(PnilKind::Overig)
    } else {
        None
    }
}

/// A calendar month; JSON "2026-01".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct YearMonth {
    pub year: i32,
    pub month: u32,
}

impl YearMonth {
    pub fn new(year: i32, month: u32) -> Option<Self> {
        ((1..=12).contains(&month) && (1900..=2200).contains(&year)).then_some(Self { year, month })
    }

    /// Months since year 0, for arithmetic.
    pub fn index(self) -> i64 {
        i64::from(self.year) * 12 + i64::from(self.month) - 1
    }

    pub fn from_index(i: i64) -> Self {
        Self {
            year: i.div_euclid(12) as i32,
            month: (i.rem_euclid(12) + 1) as u32,
        }
    }

    /// Dutch label: "jan 2026".
    pub fn label_nl(self) -> String {
        format!("{} {}", report::nl::month_short(self.month), self.year)
    }
}

impl fmt::Display for YearMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl Serialize for YearMonth {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for YearMonth {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        parse_month_str(&s).ok_or_else(|| serde::de::Error::custom(format!("not a month: {s}")))
    }
}

/// Read a month from text: "2026-01", "2026/1", "01-2026", "1-2026", "202601",
/// "jan 2026", "januari 2026", or a full date ("15-01-2026": its month).
pub fn parse_month_str(s: &str) -> Option<YearMonth> {
    let t = s.trim();
    if let Ok(d) = import::parse_date_str(t) {
        return YearMonth::new(chrono::Datelike::year(&d), chrono::Datelike::month(&d));
    }
    if t.len() == 6 && t.chars().all(|c| c.is_ascii_digit()) {
        return YearMonth::new(t[..4].parse().ok()?, t[4..].parse().ok()?);
    }
    let parts: Vec<&str> = t
        .split(['-', '/', '.', ' '])
        .filter(|p| !p.is_empty())
        .collect();
    if parts.len() != 2 {
        return None;
    }
    let month_of = |p: &str| -> Option<u32> {
        if p.len() <= 2 && p.chars().all(|c| c.is_ascii_digit()) {
            return p.parse().ok();
        }
        report::nl::month_from_name(p)
    };
    let year_of = |p: &str| -> Option<i32> {
        (p.len() == 4 && p.chars().all(|c| c.is_ascii_digit()))
            .then(|| p.parse().ok())
            .flatten()
    };
    if let Some(y) = year_of(parts[0]) {
        YearMonth::new(y, month_of(parts[1])?)
    } else {
        YearMonth::new(year_of(parts[1])?, month_of(parts[0])?)
    }
}

fn parse_month(cell: &Cell) -> Option<YearMonth> {
    match cell {
        Cell::DateTime(dt) => {
            YearMonth::new(chrono::Datelike::year(dt), chrono::Datelike::month(dt))
        }
        Cell::Number(n) => {
            // 202601 typed as a number, or a spreadsheet serial date.
            let i = *n as i64;
            if (190001..=220012).contains(&i) && n.fract() == 0.0 {
                YearMonth::new((i / 100) as i32, (i % 100) as u32)
            } else {
                let d = import::parse_date(cell).ok()?;
                YearMonth::new(chrono::Datelike::year(&d), chrono::Datelike::month(&d))
            }
        }
        Cell::Text(t) => parse_month_str(t),
        _ => None,
    }
}

/// One cost line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PnilEntry {
    pub month: YearMonth,
    pub team: Option<String>,
    pub kind: Option<PnilKind>,
    /// Euro cents.
    pub amount_cents: i64,
    /// Hours worked by external staff, when the file has them.
    pub hours: Option<Decimal>,
    pub source_row: u32,
}

/// A field of a PNIL file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PnilField {
    Month,
    Amount,
    Team,
    Kind,
    Zzp,
    Uitzend,
    Detachering,
    Hours,
}

impl PnilField {
    pub const ALL: [PnilField; 8] = [
        PnilField::Month,
        PnilField::Amount,
        PnilField::Team,
        PnilField::Kind,
        PnilField::Zzp,
        PnilField::Uitzend,
        PnilField::Detachering,
        PnilField::Hours,
    ];

    pub fn spec(self) -> &'static FieldSpec {
        &PNIL_SPECS[self as usize]
    }

    pub fn label_nl(self) -> &'static str {
        self.spec().label_nl
    }

    pub fn from_key(k: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.spec().key == k)
    }

    fn kind(self) -> Option<PnilKind> {
        match self {
            PnilField::Zzp => Some(PnilKind::Zzp),
            PnilField::Uitzend => Some(PnilKind::Uitzend),
            PnilField::Detachering => Some(PnilKind::Detachering),
            _ => None,
        }
    }
}

pub static PNIL_SPECS: [FieldSpec; 8] = [
    FieldSpec {
        key: "month",
        label_nl: "maand",
        aliases: &["maand", "periode", "boekperiode", "jaar maand", "month"],
    },
    FieldSpec {
        key: "amount",
        label_nl: "bedrag",
        aliases: &[
            "bedrag",
            "kosten",
            "totaal",
            "totale kosten",
            "kosten pnil",
            "pnil",
            "pnil kosten",
            "bedrag excl btw",
            "amount",
        ],
    },
    FieldSpec {
        key: "team",
        label_nl: "team",
        aliases: &["team", "afdeling", "kostenplaats", "locatie"],
    },
    FieldSpec {
        key: "kind",
        label_nl: "soort",
        aliases: &[
            "soort",
            "soort inhuur",
            "type",
            "type inhuur",
            "categorie",
            "soort pnil",
        ],
    },
    FieldSpec {
        key: "zzp",
        label_nl: "ZZP",
        aliases: &["zzp", "zzp ers", "zzp kosten", "zelfstandigen"],
    },
    FieldSpec {
        key: "uitzend",
        label_nl: "uitzendkrachten",
        aliases: &[
            "uitzend",
            "uitzendkrachten",
            "uitzendkosten",
            "uitzendbureau",
            "inleen uitzend",
        ],
    },
    FieldSpec {
        key: "detachering",
        label_nl: "detachering",
        aliases: &["detachering", "gedetacheerden", "detacheringen"],
    },
    FieldSpec {
        key: "hours",
        label_nl: "uren",
        aliases: &["uren", "ingehuurde uren", "aantal uren", "uren inhuur"],
    },
];

/// Field → header, remembered per organisation like [`crate::HrMapping`].
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PnilMapping {
    pub columns: BTreeMap<PnilField, String>,
}

impl PnilMapping {
    pub fn resolve(&self, table: &Table) -> BTreeMap<PnilField, usize> {
        self.columns
            .iter()
            .filter_map(|(f, h)| {
                table
                    .headers
                    .iter()
                    .position(|x| x == h)
                    .or_else(|| table.find_header(h))
                    .map(|i| (*f, i))
            })
            .collect()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PnilMappingProposal {
    pub mapping: PnilMapping,
    pub detail: MappingProposal,
}

/// Propose a PNIL mapping from the headers.
pub fn propose_pnil_mapping(table: &Table) -> PnilMappingProposal {
    let detail = import::propose_mapping(&table.headers, &PNIL_SPECS, |spec, col| {
        (spec.key == "month").then(|| {
            let sample: Vec<&Cell> = table
                .rows
                .iter()
                .take(50)
                .map(|r| r.get(col))
                .filter(|c| !c.is_empty())
                .collect();
            if sample.is_empty() {
                0.0
            } else {
                sample.iter().filter(|c| parse_month(c).is_some()).count() as f64
                    / sample.len() as f64
            }
        })
    });
    let mut mapping = PnilMapping::default();
    for c in &detail.fields {
        if let (Some(f), Some(col)) = (PnilField::from_key(&c.field), c.column) {
            mapping.columns.insert(f, table.headers[col].clone());
        }
    }
    PnilMappingProposal { mapping, detail }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PnilImport {
    pub entries: Vec<PnilEntry>,
    pub diagnostics: Vec<Diagnostic>,
    pub rows_read: usize,
    pub skipped_rows: Vec<u32>,
}

impl PnilImport {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Euros (as a decimal) to cents, half away from zero.
pub use report::nl::to_cents;

/// Format cents the Dutch way: "€ 1.234,56".
pub use report::nl::euro_cents as format_euro;

/// Read PNIL costs.
pub fn import_pnil(table: &Table, mapping: &PnilMapping) -> PnilImport {
    let mut diagnostics = table.notes.clone();
    let cols = mapping.resolve(table);
    let mut out = PnilImport {
        entries: Vec::new(),
        diagnostics: Vec::new(),
        rows_read: table.rows.len(),
        skipped_rows: Vec::new(),
    };
    let kind_cols: Vec<(PnilField, usize)> =
        [PnilField::Zzp, PnilField::Uitzend, PnilField::Detachering]
            .into_iter()
            .filter_map(|f| cols.get(&f).map(|&c| (f, c)))
            .collect();
    let mut missing = Vec::new();
    for (f, h) in &mapping.columns {
        if !cols.contains_key(f) {
            missing.push(
                Diagnostic::file(format!(
                    "de kolom '{h}' voor {} staat niet in het bestand",
                    f.label_nl()
                ))
                .with_fix("Kies opnieuw welke kolom bij welk veld hoort"),
            );
        }
    }
    if !cols.contains_key(&PnilField::Month) {
        missing.push(
            Diagnostic::file("er is geen kolom gekozen voor de maand")
                .with_fix("Kies de kolom met de maand, bijvoorbeeld 01-2026"),
        );
    }
    if !cols.contains_key(&PnilField::Amount) && kind_cols.is_empty() {
        missing.push(
            Diagnostic::file("er is geen kolom gekozen voor het bedrag").with_fix(
                "Kies de kolom met de kosten, of kolommen per soort (ZZP, uitzend, detachering)",
            ),
        );
    }
    if !missing.is_empty() {
        diagnostics.extend(missing);
        out.diagnostics = diagnostics;
        out.skipped_rows = table.rows.iter().map(|r| r.number).collect();
        return out;
    }
    let style_of = |c: usize| {
        let texts: Vec<String> = table
            .rows
            .iter()
            .filter_map(|r| match r.get(c) {
                Cell::Text(t) => Some(t.clone()),
                _ => None,
            })
            .collect();
        import::infer_number_style(texts.iter().map(String::as_str))
    };
    let styles: BTreeMap<usize, import::NumberStyle> =
        cols.values().map(|&c| (c, style_of(c))).collect();
    let money = |row: &import::Row,
                 f: PnilField,
                 c: usize,
                 diags: &mut Vec<Diagnostic>|
     -> Result<Option<i64>, ()> {
        let cell = row.get(c);
        if cell.is_empty() {
            return Ok(None);
        }
        match import::parse_number_cell(cell, styles[&c]) {
            Ok(d) => match to_cents(d) {
                Some(v) => Ok(Some(v)),
                None => {
                    diags.push(Diagnostic::error(
                        row.number,
                        f.label_nl(),
                        &cell.display(),
                        format!("{} '{}' is te groot", f.label_nl(), cell.display()),
                    ));
                    Err(())
                }
            },
            Err(e) => {
                diags.push(e.to_diagnostic(row.number, f.label_nl()));
                Err(())
            }
        }
    };
    for row in &table.rows {
        let before = diagnostics.len();
        let month = match cols.get(&PnilField::Month).map(|&c| row.get(c)) {
            Some(c) if c.is_empty() => {
                diagnostics.push(
                    Diagnostic::error(row.number, "maand", "", "maand is leeg")
                        .with_fix("Vul de maand in, bijvoorbeeld 01-2026"),
                );
                None
            }
            Some(c) => {
                let m = parse_month(c);
                if m.is_none() {
                    diagnostics.push(
                        Diagnostic::error(
                            row.number,
                            "maand",
                            &c.display(),
                            format!("maand '{}' is geen maand", c.display()),
                        )
                        .with_fix("Schrijf de maand als 01-2026, 2026-01 of januari 2026"),
                    );
                }
                m
            }
            None => None,
        };
        let team = cols
            .get(&PnilField::Team)
            .and_then(|&c| import::parse_text(row.get(c)));
        let hours = match cols.get(&PnilField::Hours) {
            Some(&c) if !row.get(c).is_empty() => {
                match import::parse_number_cell(row.get(c), styles[&c]) {
                    Ok(h) if h >= Decimal::ZERO => Some(h),
                    Ok(h) => {
                        diagnostics.push(Diagnostic::error(
                            row.number,
                            "uren",
                            &row.get(c).display(),
                            format!("uren {} is negatief", format_number_nl(h, 2)),
                        ));
                        None
                    }
                    Err(e) => {
                        diagnostics.push(e.to_diagnostic(row.number, "uren"));
                        None
                    }
                }
            }
            _ => None,
        };
        let mut lines: Vec<(Option<PnilKind>, i64)> = Vec::new();
        let total = cols
            .get(&PnilField::Amount)
            .map(|&c| money(row, PnilField::Amount, c, &mut diagnostics));
        if kind_cols.is_empty() {
            let kind = match cols.get(&PnilField::Kind).map(|&c| row.get(c)) {
                Some(c) if !c.is_empty() => {
                    let k = parse_pnil_kind(&c.display());
                    if k.is_none() {
                        diagnostics.push(
                            Diagnostic::error(
                                row.number,
                                "soort",
                                &c.display(),
                                format!("soort '{}' is onbekend", c.display()),
                            )
                            .with_fix("Gebruik ZZP, uitzend, detachering of overig"),
                        );
                    }
                    k
                }
                _ => None,
            };
            match total {
                Some(Ok(Some(v))) => lines.push((kind, v)),
                Some(Ok(None)) => diagnostics.push(
                    Diagnostic::error(row.number, "bedrag", "", "bedrag is leeg").with_fix("Vul het bedrag in euro in, bijvoorbeeld 1.234,56 (0 als er geen kosten waren)"),
                ),
                _ => {}
            }
        } else {
            for &(f, c) in &kind_cols {
                if let Ok(Some(v)) = money(row, f, c, &mut diagnostics) {
                    lines.push((f.kind(), v));
                }
            }
            if let Some(Ok(Some(t))) = total {
                let sum: i64 = lines.iter().map(|l| l.1).sum();
                if (sum - t).abs() > 100 {
                    diagnostics.push(
                        Diagnostic::error(
                            row.number,
                            "bedrag",
                            &format_euro(t),
                            format!("het totaal {} is niet de som van de soorten ({}); de soorten zijn gebruikt", format_euro(t), format_euro(sum)),
                        )
                        .warning(),
                    );
                }
            }
        }
        if diagnostics[before..].iter().any(Diagnostic::is_error) {
            out.skipped_rows.push(row.number);
            continue;
        }
        let Some(month) = month else { continue };
        let n_lines = lines.len();
        for (i, (kind, amount_cents)) in lines.into_iter().enumerate() {
            out.entries.push(PnilEntry {
                month,
                team: team.clone(),
                kind,
                amount_cents,
                // Hours belong to the row; keep them on its first line only.
                hours: if i == 0 { hours } else { None },
                source_row: row.number,
            });
        }
        let _ = n_lines;
    }
    diagnostics.sort_by_key(|d| d.row.unwrap_or(0));
    out.diagnostics = diagnostics;
    out
}

/// Options for the PNIL summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PnilOptions {
    pub full_time_hours: Decimal,
    /// The organisation's average wage cost of one FTE of own staff per year (salary,
    /// holiday pay, year-end bonus, employer charges), in cents. Given by the caller.
    pub wage_cost_per_fte_year_cents: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MonthTotal {
    pub month: YearMonth,
    pub total_cents: i64,
    /// Per kind; lines without a kind count under `overig`.
    pub by_kind: BTreeMap<PnilKind, i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct YearTotal {
    pub year: i32,
    pub total_cents: i64,
    /// Months of that year with data.
    pub months: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TeamTotal {
    pub team: Option<String>,
    pub total_cents: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TrendDirection {
    Up,
    Down,
    Flat,
}

/// Least-squares line through the monthly totals (months without data left out).
/// Direction: up or down when the slope is more than 2 % of the average month, else flat.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Trend {
    pub slope_cents_per_month: i64,
    pub average_month_cents: i64,
    pub direction: TrendDirection,
}

/// PNIL against own staff over the last (up to) 12 months with data.
///
/// `own_fte_equivalent`: how many FTE of own staff the annualised spend would pay at the
/// given wage cost. When hours are known: `external_fte` = hours per week / full-time
/// hours (weeks per month = 365.25 / 12 / 7), and the cost per external FTE per year
/// against the own wage cost (`premium_pct`: how much more, in percent).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CostComparison {
    pub first_month: YearMonth,
    pub last_month: YearMonth,
    pub months: u32,
    pub spend_cents: i64,
    pub annualised_spend_cents: i64,
    pub wage_cost_per_fte_year_cents: i64,
    pub own_fte_equivalent: f64,
    pub external_hours: Option<f64>,
    pub external_fte: Option<f64>,
    pub cost_per_external_fte_year_cents: Option<i64>,
    pub premium_pct: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PnilSummary {
    pub months: Vec<MonthTotal>,
    /// Months between the first and last with no data at all.
    pub missing_months: Vec<YearMonth>,
    pub years: Vec<YearTotal>,
    pub by_team: Vec<TeamTotal>,
    pub trend: Option<Trend>,
    pub comparison: Option<CostComparison>,
}

fn round_i64(d: Decimal) -> i64 {
    i64::try_from(d.round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero))
        .unwrap_or(i64::MAX)
}

/// Summarise PNIL entries.
pub fn pnil_summary(entries: &[PnilEntry], opts: &PnilOptions) -> PnilSummary {
    let mut months: BTreeMap<YearMonth, MonthTotal> = BTreeMap::new();
    let mut hours_by_month: BTreeMap<YearMonth, (Decimal, bool)> = BTreeMap::new();
    let mut teams: BTreeMap<Option<String>, i64> = BTreeMap::new();
    for e in entries {
        let m = months.entry(e.month).or_insert_with(|| MonthTotal {
            month: e.month,
            total_cents: 0,
            by_kind: BTreeMap::new(),
        });
        m.total_cents += e.amount_cents;
        *m.by_kind
            .entry(e.kind.unwrap_or(PnilKind::Overig))
            .or_default() += e.amount_cents;
        *teams.entry(e.team.clone()).or_default() += e.amount_cents;
        let h = hours_by_month
            .entry(e.month)
            .or_insert((Decimal::ZERO, false));
        if let Some(x) = e.hours {
            h.0 += x;
            h.1 = true;
        }
    }
    let months: Vec<MonthTotal> = months.into_values().collect();
    let missing_months = match (months.first(), months.last()) {
        (Some(a), Some(b)) => (a.month.index()..=b.month.index())
            .map(YearMonth::from_index)
            .filter(|m| months.binary_search_by_key(m, |t| t.month).is_err())
            .collect(),
        _ => Vec::new(),
    };
    let mut years: BTreeMap<i32, YearTotal> = BTreeMap::new();
    for m in &months {
        let y = years.entry(m.month.year).or_insert(YearTotal {
            year: m.month.year,
            total_cents: 0,
            months: 0,
        });
        y.total_cents += m.total_cents;
        y.months += 1;
    }
    let trend = (months.len() >= 3).then(|| {
        let n = Decimal::from(months.len());
        let xs: Vec<Decimal> = months
            .iter()
            .map(|m| Decimal::from(m.month.index() - months[0].month.index()))
            .collect();
        let ys: Vec<Decimal> = months
            .iter()
            .map(|m| Decimal::from(m.total_cents))
            .collect();
        let mx = xs.iter().copied().sum::<Decimal>() / n;
        let my = ys.iter().copied().sum::<Decimal>() / n;
        let sxy: Decimal = xs.iter().zip(&ys).map(|(x, y)| (*x - mx) * (*y - my)).sum();
        let sxx: Decimal = xs.iter().map(|x| (*x - mx) * (*x - mx)).sum();
        let slope = if sxx.is_zero() {
            Decimal::ZERO
        } else {
            sxy / sxx
        };
        let threshold = my.abs() * Decimal::new(2, 2);
        let direction = if slope > threshold {
            TrendDirection::Up
        } else if slope < -threshold {
            TrendDirection::Down
        } else {
            TrendDirection::Flat
        };
        Trend {
            slope_cents_per_month: round_i64(slope),
            average_month_cents: round_i64(my),
            direction,
        }
    });
    let comparison = opts
        .wage_cost_per_fte_year_cents
        .filter(|&w| w > 0)
        .and_then(|wage| {
            let last = months.last()?.month;
            let first_idx = last.index() - 11;
            let window: Vec<&MonthTotal> = months
                .iter()
                .filter(|m| m.month.index() >= first_idx)
                .collect();
            let first = window.first()?.month;
            let span = (last.index() - first.index() + 1) as u32;
            let spend: i64 = window.iter().map(|m| m.total_cents).sum();
            let annualised =
                round_i64(Decimal::from(spend) * Decimal::from(12) / Decimal::from(span));
            let own_fte = round_fte(Decimal::from(annualised) / Decimal::from(wage));
            let hours: Vec<Decimal> = window
                .iter()
                .filter_map(|m| hours_by_month.get(&m.month).filter(|h| h.1).map(|h| h.0))
                .collect();
            let all_hours_known = hours.len() == window.len();
            let (external_hours, external_fte, per_fte, premium) =
                if all_hours_known && !opts.full_time_hours.is_zero() {
                    let total_h: Decimal = hours.iter().copied().sum();
                    // Weeks in the window: months × 365.25 / 12 / 7.
                    let weeks = Decimal::from(span) * Decimal::new(36525, 2) / Decimal::from(84);
                    let ext_fte = total_h / weeks / opts.full_time_hours;
                    if ext_fte.is_zero() {
                        (
                            Some(to_f64(crate::bands::round_hours(total_h))),
                            Some(0.0),
                            None,
                            None,
                        )
                    } else {
                        let per = round_i64(Decimal::from(annualised) / ext_fte);
                        let prem = (Decimal::from(per) / Decimal::from(wage) - Decimal::ONE)
                            * Decimal::ONE_HUNDRED;
                        (
                            Some(to_f64(crate::bands::round_hours(total_h))),
                            Some(to_f64(round_fte(ext_fte))),
                            Some(per),
                            Some(to_f64(prem.round_dp_with_strategy(
                                1,
                                RoundingStrategy::MidpointAwayFromZero,
                            ))),
                        )
                    }
                } else {
                    (None, None, None, None)
                };
            Some(CostComparison {
                first_month: first,
                last_month: last,
                months: span,
                spend_cents: spend,
                annualised_spend_cents: annualised,
                wage_cost_per_fte_year_cents: wage,
                own_fte_equivalent: to_f64(own_fte),
                external_hours,
                external_fte,
                cost_per_external_fte_year_cents: per_fte,
                premium_pct: premium,
            })
        });
    PnilSummary {
        months,
        missing_months,
        years: years.into_values().collect(),
        by_team: teams
            .into_iter()
            .map(|(team, total_cents)| TeamTotal { team, total_cents })
            .collect(),
        trend,
        comparison,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months() {
        let ym = |y, m| YearMonth::new(y, m).unwrap();
        for (s, want) in [
            ("2026-01", ym(2026, 1)),
            ("2026/1", ym(2026, 1)),
            ("01-2026", ym(2026, 1)),
            ("1-2026", ym(2026, 1)),
            ("202601", ym(2026, 1)),
            ("jan 2026", ym(2026, 1)),
            ("Januari 2026", ym(2026, 1)),
            ("15-03-2026", ym(2026, 3)),
        ] {
            assert_eq!(parse_month_str(s), Some(want), "{s}");
        }
        for bad in ["2026-13", "13-2026", "maand", "2026", ""] {
            assert_eq!(parse_month_str(bad), None, "{bad}");
        }
        assert_eq!(ym(2026, 1).to_string(), "2026-01");
        assert_eq!(YearMonth::from_index(ym(2025, 12).index() + 1), ym(2026, 1));
        assert_eq!(parse_month(&Cell::Number(202611.0)), Some(ym(2026, 11)));
    }

    #[test]
    fn money() {
        assert_eq!(format_euro(123456), "€ 1.234,56");
        assert_eq!(format_euro(120), "€ 1,20");
        assert_eq!(format_euro(100000), "€ 1.000,00");
        assert_eq!(format_euro(-5), "\u{2212} € 0,05");
        assert_eq!(to_cents("1234.565".parse().unwrap()), Some(123457));
    }

    #[test]
    fn kinds() {
        assert_eq!(parse_pnil_kind("ZZP'er"), Some(PnilKind::Zzp));
        assert_eq!(parse_pnil_kind("Uitzendkracht"), Some(PnilKind::Uitzend));
        assert_eq!(parse_pnil_kind("Gedetacheerd"), Some(PnilKind::Detachering));
        assert_eq!(parse_pnil_kind("vrijwilliger"), None);
    }
}
