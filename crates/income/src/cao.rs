//! Care CAO pay rules (`rules/cao.toml`): the CAO VVT salary table per FWG scale and
//! step with its dated periods, the eindejaarsuitkering and vakantiegeld with their
//! minimums, ORT percentages per time slot, the extra-workday allowance, and the
//! eindejaarsuitkering and holiday rules of four other care CAOs. Parsed and validated
//! once at load; a broken file is a [`RuleError`], never a wrong amount.

use std::collections::BTreeMap;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::money::{Cents, Rate, cents_from_decimal};
use crate::rules::RuleError;

pub(crate) const EMBEDDED: &str = include_str!("../rules/cao.toml");

/// Year used in [`RuleError`]s about the CAO file (it is not a tax year).
const FILE_YEAR: i32 = 0;

/// A month as `year × 12 + (month − 1)`.
pub type MonthIndex = i32;

pub fn month_index(year: i32, month: u32) -> MonthIndex {
    year * 12 + i32::try_from(month).unwrap_or(1) - 1
}

/// The time slots of art. 4.4 CAO VVT.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrtSlot {
    /// Monday–Friday 06:00–07:00 and 20:00–22:00.
    WeekdayEarlyEvening,
    /// Saturday 06:00–08:00 and 12:00–22:00.
    SaturdayDay,
    /// Monday–Friday 00:00–06:00 and 22:00–24:00.
    WeekdayNight,
    /// Saturday 00:00–06:00 and 22:00–24:00.
    SaturdayNight,
    /// Sundays and public holidays (and 24 and 31 December from 18:00).
    SundayHoliday,
}

impl OrtSlot {
    pub const ALL: [OrtSlot; 5] = [
        OrtSlot::WeekdayEarlyEvening,
        OrtSlot::SaturdayDay,
        OrtSlot::WeekdayNight,
        OrtSlot::SaturdayNight,
        OrtSlot::SundayHoliday,
    ];

    pub fn index(self) -> usize {
        self as usize
    }

    /// Dutch label for pages.
    pub fn label(self) -> &'static str {
        match self {
            OrtSlot::WeekdayEarlyEvening => "doordeweeks 6–7 uur en 20–22 uur",
            OrtSlot::SaturdayDay => "zaterdag overdag (6–8 en 12–22 uur)",
            OrtSlot::WeekdayNight => "doordeweeks nacht (22–6 uur)",
            OrtSlot::SaturdayNight => "zaterdagnacht (22–6 uur)",
            OrtSlot::SundayHoliday => "zondag en feestdagen",
        }
    }
}

// ---------------------------------------------------------------- raw file

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Num {
    v: String,
    src: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    sources: BTreeMap<String, String>,
    vvt: RawVvt,
    other: Vec<RawOther>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawVvt {
    name: String,
    full_time_hours: Num,
    year_end_bonus_rate: Num,
    holiday_allowance_rate: Num,
    minimum_from_age: Num,
    year_end_bonus_month: Num,
    holiday_allowance_month: Num,
    hours_per_year: Num,
    term_end: Num,
    periods: Vec<RawPeriod>,
    ort: Vec<RawOrt>,
    extra_workday: RawExtraDay,
    table: RawTable,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPeriod {
    from: String,
    to: String,
    column: usize,
    year_end_bonus_minimum: Num,
    holiday_allowance_minimum: Num,
    src: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOrt {
    from: String,
    to: String,
    weekday_early_evening: String,
    saturday_day: String,
    weekday_night: String,
    saturday_night: String,
    sunday_holiday: String,
    src: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawExtraDay {
    from: String,
    amount: Num,
    norm_days: Vec<RawNormDays>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawNormDays {
    upto_hours: Option<String>,
    days: u32,
    src: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTable {
    src: String,
    rows: Vec<RawRow>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRow {
    fwg: u32,
    step: String,
    ip: u32,
    monthly: Vec<String>,
    #[serde(default)]
    hourly: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOther {
    id: String,
    name: String,
    year_end_bonus_rate: Num,
    holiday_allowance_rate: Num,
    year_end_bonus_includes_holiday_allowance: bool,
}

// ---------------------------------------------------------------- typed

/// One dated salary period of the CAO VVT.
#[derive(Debug, Clone)]
pub struct SalaryPeriod {
    pub from: MonthIndex,
    pub to: MonthIndex,
    pub column: usize,
    /// Full-time minimum eindejaarsuitkering in force in this period (cents).
    pub year_end_bonus_minimum: Cents,
    /// Full-time minimum vakantiegeld in force in this period (cents).
    pub holiday_allowance_minimum: Cents,
}

#[derive(Debug, Clone)]
pub struct OrtPeriod {
    pub from: MonthIndex,
    pub to: MonthIndex,
    /// Indexed by [`OrtSlot::index`].
    pub pct: [Rate; 5],
}

/// One row of the salary table: a scale, a step and its monthly amounts per column.
#[derive(Debug, Clone)]
pub struct SalaryRow {
    pub fwg: u32,
    /// As the cao names it: "0".."18", "zij-instroom", "aanloop 0", "aanloop 1".
    pub step: String,
    /// [`step_key`] of `step`, for lookups without allocating.
    pub key: String,
    pub ip: u32,
    /// Full-time monthly salary (cents) per column.
    pub monthly: Vec<Cents>,
}

#[derive(Debug, Clone)]
pub struct Vvt {
    pub name: String,
    pub full_time_centihours: i64,
    pub year_end_bonus_rate: Rate,
    pub holiday_rate: Rate,
    pub minimum_from_age: u32,
    pub year_end_bonus_month: u32,
    pub holiday_month: u32,
    pub hours_per_year: i64,
    pub term_end: MonthIndex,
    pub periods: Vec<SalaryPeriod>,
    pub ort: Vec<OrtPeriod>,
    pub extra_workday_from: MonthIndex,
    pub extra_workday_amount: Cents,
    /// (upper bound of contract centi-hours inclusive, None = above; days).
    pub norm_days: Vec<(Option<i64>, u32)>,
    pub rows: Vec<SalaryRow>,
}

#[derive(Debug, Clone)]
pub struct OtherCao {
    pub id: String,
    pub name: String,
    pub year_end_bonus_rate: Rate,
    pub holiday_rate: Rate,
    pub year_end_bonus_includes_holiday: bool,
}

/// The care CAOs the engine knows.
#[derive(Debug, Clone)]
pub struct CaoRules {
    pub sources: BTreeMap<String, String>,
    pub vvt: Vvt,
    pub other: Vec<OtherCao>,
}

/// A scale and its steps, for pickers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScaleSteps {
    pub fwg: u32,
    pub steps: Vec<String>,
}

/// Normalised step name: lower case without spaces, hyphens or underscores.
pub fn step_key(s: &str) -> String {
    s.chars()
        .filter(|c| !matches!(c, ' ' | '-' | '_'))
        .flat_map(char::to_lowercase)
        .collect()
}

impl Vvt {
    fn period_at(&self, m: MonthIndex) -> Option<&SalaryPeriod> {
        self.periods.iter().find(|p| p.from <= m && m <= p.to)
    }

    fn ort_at(&self, m: MonthIndex) -> Option<&OrtPeriod> {
        self.ort.iter().find(|p| p.from <= m && m <= p.to)
    }

    /// Whether every month of `year` has a salary period.
    pub fn covers(&self, year: i32) -> bool {
        (1..=12).all(|m| self.period_at(month_index(year, m)).is_some())
    }

    /// Whether every month of `year` has ORT percentages.
    pub fn ort_covers(&self, year: i32) -> bool {
        (1..=12).all(|m| self.ort_at(month_index(year, m)).is_some())
    }

    /// The years whose twelve months all have a salary period.
    pub fn years(&self) -> Vec<i32> {
        let (Some(a), Some(b)) = (self.periods.first(), self.periods.last()) else {
            return Vec::new();
        };
        (a.from.div_euclid(12)..=b.to.div_euclid(12))
            .filter(|y| self.covers(*y))
            .collect()
    }

    /// The row of a scale and step (FWG 5 and 10 are paid on scale 15, art. 4.2.1).
    pub fn row(&self, fwg: u32, step: &str) -> Option<&SalaryRow> {
        let fwg = self.scale_of(fwg);
        let key = step_key(step);
        self.rows.iter().find(|r| r.fwg == fwg && r.key == key)
    }

    /// The scale an FWG function group is paid on.
    pub fn scale_of(&self, fwg: u32) -> u32 {
        if fwg == 5 || fwg == 10 { 15 } else { fwg }
    }

    /// Whether the table has this scale (after mapping FWG 5 and 10 to 15).
    pub fn has_scale(&self, fwg: u32) -> bool {
        let fwg = self.scale_of(fwg);
        self.rows.iter().any(|r| r.fwg == fwg)
    }

    /// Every scale with its steps in table order.
    pub fn scales(&self) -> Vec<ScaleSteps> {
        let mut out: Vec<ScaleSteps> = Vec::new();
        for r in &self.rows {
            match out.last_mut() {
                Some(s) if s.fwg == r.fwg => s.steps.push(r.step.clone()),
                _ => out.push(ScaleSteps {
                    fwg: r.fwg,
                    steps: vec![r.step.clone()],
                }),
            }
        }
        out
    }

    /// The full-time monthly amount of `row` in force in each month of `year`, as runs
    /// of (months, amount). `None` if a month has no period.
    pub fn year_months(&self, row: &SalaryRow, year: i32) -> Option<Vec<(i64, Cents)>> {
        let mut out: Vec<(i64, Cents)> = Vec::with_capacity(3);
        for m in 1..=12 {
            let p = self.period_at(month_index(year, m))?;
            let amount = *row.monthly.get(p.column)?;
            match out.last_mut() {
                Some((n, a)) if *a == amount => *n += 1,
                _ => out.push((1, amount)),
            }
        }
        Some(out)
    }

    /// The ORT percentage of `slot` in each month of `year`.
    pub fn ort_months(&self, slot: OrtSlot, year: i32) -> Option<[Rate; 12]> {
        let mut out = [Rate::ZERO; 12];
        for (i, m) in (1..=12).enumerate() {
            out[i] = self.ort_at(month_index(year, m))?.pct[slot.index()];
        }
        Some(out)
    }

    /// Full-time minimums (eindejaarsuitkering, vakantiegeld) in force in their
    /// payment months of `year`.
    pub fn minimums(&self, year: i32) -> Option<(Cents, Cents)> {
        let eju = self
            .period_at(month_index(year, self.year_end_bonus_month))?
            .year_end_bonus_minimum;
        let hol = self
            .period_at(month_index(year, self.holiday_month))?
            .holiday_allowance_minimum;
        Some((eju, hol))
    }

    /// Months of `year` in which the extra-workday allowance applies.
    pub fn extra_workday_months(&self, year: i32) -> i64 {
        (1..=12)
            .filter(|m| month_index(year, *m) >= self.extra_workday_from)
            .count() as i64
    }

    /// Days per week by the norm of art. 3.2 lid 4 for a contract of `centihours`.
    pub fn norm_days(&self, centihours: i64) -> u32 {
        self.norm_days
            .iter()
            .find(|(upto, _)| upto.is_none_or(|u| centihours <= u))
            .map_or(5, |(_, d)| *d)
    }

    /// Whether a month of `year` lies after the cao's term.
    pub fn after_term(&self, year: i32) -> bool {
        month_index(year, 12) > self.term_end
    }
}

impl CaoRules {
    pub fn other(&self, id: &str) -> Option<&OtherCao> {
        self.other.iter().find(|o| o.id == id)
    }

    /// Parse and validate the CAO file.
    pub fn parse(text: &str) -> Result<CaoRules, RuleError> {
        let raw: RawFile = toml::from_str(text).map_err(|e| RuleError::Parse {
            year: FILE_YEAR,
            message: format!("cao.toml: {e}"),
        })?;
        let cx = Cx {
            sources: &raw.sources,
        };
        let v = &raw.vvt;
        let full_time = cx.amount("vvt.full_time_hours", &v.full_time_hours)?;
        if !(100..=6000).contains(&full_time) {
            return Err(cx.invalid("vvt.full_time_hours", "must be 1..=60 hours"));
        }
        let month_num = |field: &str, n: &Num| -> Result<u32, RuleError> {
            cx.src(field, &n.src)?;
            match n.v.parse::<u32>() {
                Ok(m) if (1..=12).contains(&m) => Ok(m),
                _ => Err(cx.invalid(field, "must be a month 1..=12")),
            }
        };
        let hours_per_year = cx.amount("vvt.hours_per_year", &v.hours_per_year)? / 100;
        if hours_per_year <= 0 {
            return Err(cx.invalid("vvt.hours_per_year", "must be positive"));
        }
        cx.src("vvt.term_end", &v.term_end.src)?;
        let term_end = cx.month("vvt.term_end", &v.term_end.v)?;

        // Salary table rows.
        cx.src("vvt.table", &v.table.src)?;
        let mut rows: Vec<SalaryRow> = Vec::with_capacity(v.table.rows.len());
        let columns = v.table.rows.first().map_or(0, |r| r.monthly.len());
        if columns == 0 {
            return Err(cx.invalid("vvt.table.rows", "the table needs rows with amounts"));
        }
        for (i, r) in v.table.rows.iter().enumerate() {
            let field = format!("vvt.table.rows[{i}] (FWG {} step {})", r.fwg, r.step);
            if r.monthly.len() != columns {
                return Err(cx.invalid(
                    &field,
                    format!(
                        "has {} amounts, the table has {columns} columns",
                        r.monthly.len()
                    ),
                ));
            }
            let monthly = r
                .monthly
                .iter()
                .map(|m| cx.cents(&field, m))
                .collect::<Result<Vec<_>, _>>()?;
            if monthly.iter().any(|m| *m <= 0) {
                return Err(cx.invalid(&field, "amounts must be positive"));
            }
            // Listed hourly wages belong to the last columns: monthly × 12 / hours a year.
            let skip = columns.saturating_sub(r.hourly.len());
            for (j, h) in r.hourly.iter().enumerate() {
                let listed = cx.cents(&field, h)?;
                let computed = crate::money::mul_div_round(monthly[skip + j], 12, hours_per_year);
                if listed != computed {
                    return Err(cx.invalid(
                        &field,
                        format!(
                            "listed hourly wage {h} does not equal monthly x 12 / {hours_per_year} = {}.{:02}",
                            computed / 100,
                            computed % 100
                        ),
                    ));
                }
            }
            if let Some(prev) = rows.last()
                && prev.fwg == r.fwg
            {
                if monthly.iter().zip(&prev.monthly).any(|(a, b)| a <= b) {
                    return Err(cx.invalid(&field, "amounts must rise with the step"));
                }
                if rows
                    .iter()
                    .any(|x| x.fwg == r.fwg && x.key == step_key(&r.step))
                {
                    return Err(cx.invalid(&field, "step listed twice"));
                }
            } else if rows.iter().any(|x| x.fwg == r.fwg) {
                return Err(cx.invalid(&field, "the rows of a scale must be together"));
            }
            rows.push(SalaryRow {
                fwg: r.fwg,
                key: step_key(&r.step),
                step: r.step.trim().to_owned(),
                ip: r.ip,
                monthly,
            });
        }

        // Periods: contiguous months, each naming an existing column.
        let mut periods: Vec<SalaryPeriod> = Vec::new();
        for (i, p) in v.periods.iter().enumerate() {
            let field = format!("vvt.periods[{i}]");
            cx.src(&field, &p.src)?;
            let from = cx.month(&field, &p.from)?;
            let to = cx.month(&field, &p.to)?;
            if to < from {
                return Err(cx.invalid(&field, "period ends before it starts"));
            }
            if p.column >= columns {
                return Err(cx.invalid(&field, format!("column {} does not exist", p.column)));
            }
            if let Some(prev) = periods.last()
                && from != prev.to + 1
            {
                return Err(cx.invalid(
                    &field,
                    "periods must follow on month by month without gap or overlap",
                ));
            }
            periods.push(SalaryPeriod {
                from,
                to,
                column: p.column,
                year_end_bonus_minimum: cx.amount(
                    &format!("{field}.year_end_bonus_minimum"),
                    &p.year_end_bonus_minimum,
                )?,
                holiday_allowance_minimum: cx.amount(
                    &format!("{field}.holiday_allowance_minimum"),
                    &p.holiday_allowance_minimum,
                )?,
            });
        }
        if periods.is_empty() {
            return Err(cx.invalid("vvt.periods", "at least one period is needed"));
        }

        let mut ort: Vec<OrtPeriod> = Vec::new();
        for (i, o) in v.ort.iter().enumerate() {
            let field = format!("vvt.ort[{i}]");
            cx.src(&field, &o.src)?;
            let from = cx.month(&field, &o.from)?;
            let to = cx.month(&field, &o.to)?;
            if to < from || ort.last().is_some_and(|p| from != p.to + 1) {
                return Err(cx.invalid(&field, "ORT periods must follow on without gap"));
            }
            let pct = [
                cx.pct(&field, &o.weekday_early_evening)?,
                cx.pct(&field, &o.saturday_day)?,
                cx.pct(&field, &o.weekday_night)?,
                cx.pct(&field, &o.saturday_night)?,
                cx.pct(&field, &o.sunday_holiday)?,
            ];
            ort.push(OrtPeriod { from, to, pct });
        }

        let e = &v.extra_workday;
        let extra_workday_from = cx.month("vvt.extra_workday.from", &e.from)?;
        let extra_workday_amount = cx.amount("vvt.extra_workday.amount", &e.amount)?;
        let mut norm_days = Vec::new();
        for (i, n) in e.norm_days.iter().enumerate() {
            let field = format!("vvt.extra_workday.norm_days[{i}]");
            cx.src(&field, &n.src)?;
            let upto = n
                .upto_hours
                .as_deref()
                .map(|h| cx.cents(&field, h))
                .transpose()?;
            if !(1..=7).contains(&n.days) {
                return Err(cx.invalid(&field, "days must be 1..=7"));
            }
            if upto.is_none() && i + 1 != e.norm_days.len() {
                return Err(cx.invalid(&field, "only the last row may be open"));
            }
            norm_days.push((upto, n.days));
        }
        if norm_days.last().is_none_or(|(u, _)| u.is_some()) {
            return Err(cx.invalid("vvt.extra_workday.norm_days", "the last row must be open"));
        }

        let vvt = Vvt {
            name: v.name.clone(),
            full_time_centihours: full_time,
            year_end_bonus_rate: cx.num_pct("vvt.year_end_bonus_rate", &v.year_end_bonus_rate)?,
            holiday_rate: cx.num_pct("vvt.holiday_allowance_rate", &v.holiday_allowance_rate)?,
            minimum_from_age: {
                cx.src("vvt.minimum_from_age", &v.minimum_from_age.src)?;
                v.minimum_from_age
                    .v
                    .parse()
                    .map_err(|_| cx.invalid("vvt.minimum_from_age", "not a whole number"))?
            },
            year_end_bonus_month: month_num("vvt.year_end_bonus_month", &v.year_end_bonus_month)?,
            holiday_month: month_num("vvt.holiday_allowance_month", &v.holiday_allowance_month)?,
            hours_per_year,
            term_end,
            periods,
            ort,
            extra_workday_from,
            extra_workday_amount,
            norm_days,
            rows,
        };

        let mut other = Vec::new();
        for (i, o) in raw.other.iter().enumerate() {
            let field = format!("other[{i}] ({})", o.id);
            if o.id == "vvt" || raw.other[..i].iter().any(|p| p.id == o.id) {
                return Err(cx.invalid(&field, "cao id used twice"));
            }
            other.push(OtherCao {
                id: o.id.clone(),
                name: o.name.clone(),
                year_end_bonus_rate: cx.num_pct(
                    &format!("{field}.year_end_bonus_rate"),
                    &o.year_end_bonus_rate,
                )?,
                holiday_rate: cx.num_pct(
                    &format!("{field}.holiday_allowance_rate"),
                    &o.holiday_allowance_rate,
                )?,
                year_end_bonus_includes_holiday: o.year_end_bonus_includes_holiday_allowance,
            });
        }
        Ok(CaoRules {
            sources: raw.sources.clone(),
            vvt,
            other,
        })
    }
}

struct Cx<'a> {
    sources: &'a BTreeMap<String, String>,
}

impl Cx<'_> {
    fn invalid(&self, field: &str, reason: impl Into<String>) -> RuleError {
        RuleError::Invalid {
            year: FILE_YEAR,
            field: format!("cao.toml {field}"),
            reason: reason.into(),
        }
    }

    fn src(&self, field: &str, src: &str) -> Result<(), RuleError> {
        if self.sources.get(src).is_some_and(|s| s.trim().len() > 20) {
            Ok(())
        } else {
            Err(RuleError::UnknownSource {
                year: FILE_YEAR,
                field: format!("cao.toml {field}"),
                src: src.to_owned(),
            })
        }
    }

    fn number(&self, field: &str, v: &str) -> Result<Decimal, RuleError> {
        Decimal::from_str(v.trim()).map_err(|_| RuleError::InvalidNumber {
            year: FILE_YEAR,
            field: format!("cao.toml {field}"),
            value: v.to_owned(),
        })
    }

    fn cents(&self, field: &str, v: &str) -> Result<Cents, RuleError> {
        cents_from_decimal(self.number(field, v)?).ok_or_else(|| RuleError::InvalidNumber {
            year: FILE_YEAR,
            field: format!("cao.toml {field}"),
            value: v.to_owned(),
        })
    }

    fn amount(&self, field: &str, n: &Num) -> Result<Cents, RuleError> {
        self.src(field, &n.src)?;
        let c = self.cents(field, &n.v)?;
        if c < 0 {
            return Err(self.invalid(field, "amount must not be negative"));
        }
        Ok(c)
    }

    fn pct(&self, field: &str, v: &str) -> Result<Rate, RuleError> {
        let d = self.number(field, v)?;
        if d.is_sign_negative() || d > Decimal::ONE_HUNDRED {
            return Err(self.invalid(field, format!("percentage {v} outside 0..=100")));
        }
        Rate::from_percent(d).ok_or_else(|| self.invalid(field, "percentage too precise"))
    }

    fn num_pct(&self, field: &str, n: &Num) -> Result<Rate, RuleError> {
        self.src(field, &n.src)?;
        self.pct(field, &n.v)
    }

    /// `YYYY-MM` → month index.
    fn month(&self, field: &str, v: &str) -> Result<MonthIndex, RuleError> {
        let bad = || self.invalid(field, format!("`{v}` is not a month YYYY-MM"));
        let (y, m) = v.trim().split_once('-').ok_or_else(bad)?;
        let y: i32 = y.parse().map_err(|_| bad())?;
        let m: u32 = m.parse().map_err(|_| bad())?;
        if !(1..=12).contains(&m) || !(2000..=2100).contains(&y) {
            return Err(bad());
        }
        Ok(month_index(y, m))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cao() -> CaoRules {
        CaoRules::parse(EMBEDDED).expect("cao.toml is valid")
    }

    #[test]
    fn embedded_file_loads_with_every_scale() {
        let c = cao();
        assert_eq!(c.vvt.rows.len(), 191);
        let scales: Vec<u32> = c.vvt.scales().iter().map(|s| s.fwg).collect();
        assert_eq!(
            scales,
            vec![15, 20, 25, 30, 35, 40, 45, 50, 55, 60, 65, 70, 75, 80]
        );
        assert_eq!(c.vvt.years(), vec![2025, 2026]);
    }

    /// Art. 4.2.1 / Bijlage 1: FWG 35 step 4 is € 2.770,33 (Tabel 1), € 2.881,14
    /// (Tabel 3, 1-7-2025, also from 1-1-2026) and € 2.981,98 (Tabel 7, 1-7-2026).
    #[test]
    fn july_raises_inside_each_year() {
        let c = cao();
        let row = c.vvt.row(35, "4").unwrap();
        assert_eq!(
            c.vvt.year_months(row, 2025).unwrap(),
            vec![(6, 277_033), (6, 288_114)]
        );
        assert_eq!(
            c.vvt.year_months(row, 2026).unwrap(),
            vec![(6, 288_114), (6, 298_198)]
        );
        assert!(c.vvt.year_months(row, 2027).is_none());
    }

    #[test]
    fn named_steps_and_scale_15_for_fwg_5_and_10() {
        let c = cao();
        assert_eq!(c.vvt.row(45, "Aanloop 1").unwrap().monthly[1], 321_250);
        assert_eq!(c.vvt.row(25, "zij-instroom").unwrap().monthly[0], 236_077);
        assert_eq!(c.vvt.row(10, "0").unwrap().monthly[2], 240_172);
        assert!(c.vvt.row(25, "0").is_none(), "FWG 25 has no step 0");
    }

    /// Art. 4.2.11 / 4.2.12: minimums in force in November (eindejaarsuitkering) and
    /// May (vakantiegeld) of the year.
    #[test]
    fn minimums_in_the_payment_month() {
        let c = cao();
        assert_eq!(c.vvt.minimums(2025), Some((270_861, 246_641)));
        assert_eq!(c.vvt.minimums(2026), Some((280_341, 256_507)));
    }

    /// Art. 4.4: night 44 % in 2025, 47 % from 1-1-2026.
    #[test]
    fn ort_percentages_per_year() {
        let c = cao();
        let n25 = c.vvt.ort_months(OrtSlot::WeekdayNight, 2025).unwrap();
        let n26 = c.vvt.ort_months(OrtSlot::WeekdayNight, 2026).unwrap();
        assert_eq!(n25[0].as_decimal().to_string(), "0.44");
        assert_eq!(n26[11].as_decimal().to_string(), "0.47");
    }

    /// Art. 3.2 lid 4: 3 days up to 15 h, 4 days above 15 up to 24 h, 5 above 24 h.
    #[test]
    fn norm_days_by_contract_hours() {
        let v = cao().vvt;
        assert_eq!(v.norm_days(1500), 3);
        assert_eq!(v.norm_days(1501), 4);
        assert_eq!(v.norm_days(2400), 4);
        assert_eq!(v.norm_days(2401), 5);
        assert_eq!(v.extra_workday_months(2025), 0);
        assert_eq!(v.extra_workday_months(2026), 12);
    }

    #[test]
    fn broken_files_are_refused() {
        let gap = EMBEDDED.replacen("from = \"2025-07\"", "from = \"2025-08\"", 1);
        assert!(
            CaoRules::parse(&gap)
                .unwrap_err()
                .to_string()
                .contains("gap")
        );
        let hourly = EMBEDDED.replacen("hourly = [\"22.18\"", "hourly = [\"22.19\"", 1);
        assert!(
            CaoRules::parse(&hourly)
                .unwrap_err()
                .to_string()
                .contains("hourly wage")
        );
        let falling = EMBEDDED.replacen("\"2881.14\"", "\"2000.00\"", 1);
        assert!(CaoRules::parse(&falling).is_err());
        let src = EMBEDDED.replacen("src = \"vvt_ort\"", "src = \"nowhere\"", 1);
        assert!(matches!(
            CaoRules::parse(&src),
            Err(RuleError::UnknownSource { .. })
        ));
    }
}
