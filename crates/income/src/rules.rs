//! Rule files per tax year: parsed from TOML, every number checked against its source
//! key, and validated into typed rules. Embedded with `include_str!`.

use std::collections::BTreeMap;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::Deserialize;

use crate::money::{Cents, Rate, cents_from_decimal};

/// The embedded rule files, one per supported year: every `rules/YYYY.toml`, listed by
/// `build.rs` (so a new year is a data-only change).
const EMBEDDED: &[(i32, &str)] = include!(concat!(env!("OUT_DIR"), "/rule_files.rs"));

/// Note codes a rule file may switch on (texts in `lib.rs`).
pub const YEAR_NOTES: &[&str] = &["pension_franchise_derived", "huurtoeslag_grade_b"];

/// A rule file that cannot be used. Raised at start-up, never per calculation.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RuleError {
    #[error("rules {year}: cannot parse: {message}")]
    Parse { year: i32, message: String },
    #[error("rules {year}: {field}: source key `{src}` is not listed in [sources]")]
    UnknownSource {
        year: i32,
        field: String,
        src: String,
    },
    #[error("rules {year}: {field}: `{value}` is not a valid number here")]
    InvalidNumber {
        year: i32,
        field: String,
        value: String,
    },
    #[error("rules {year}: {field}: {reason}")]
    Invalid {
        year: i32,
        field: String,
        reason: String,
    },
}

// ---------------------------------------------------------------- raw file shape

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Num {
    v: String,
    src: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    year: i32,
    /// Codes of output notes that apply to this year's figures (see `lib.rs` `notes`).
    #[serde(default)]
    notes: Vec<String>,
    sources: BTreeMap<String, String>,
    general: RawGeneral,
    box1: Vec<RawBracket>,
    ahk: RawAhk,
    arbeidskorting: Vec<RawAkSegment>,
    iack: RawIack,
    zorgtoeslag: RawZorgtoeslag,
    huurtoeslag: RawHuurtoeslag,
    kindgebonden_budget: RawKgb,
    kinderopvangtoeslag: RawKot,
    pension_pfzw: RawPension,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGeneral {
    aow_age: Num,
    wml_hourly_adult: Num,
    holiday_allowance_rate: Num,
    full_time_hours: Num,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBracket {
    upto: Option<String>,
    rate: String,
    src: String,
    #[allow(dead_code)]
    grade: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAhk {
    max: Num,
    phase_out_from: Num,
    phase_out_rate: Num,
    #[allow(dead_code)]
    grade: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAkSegment {
    from: String,
    base: String,
    rate: String,
    src: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIack {
    threshold: Num,
    rate: Num,
    max: Num,
    child_age_below: Num,
    #[allow(dead_code)]
    grade: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawZorgtoeslag {
    standard_premium: Num,
    threshold_income: Num,
    pct_of_threshold_single: Num,
    pct_of_threshold_partner: Num,
    phase_out_rate: Num,
    minimum_per_year: Num,
    assets_limit_single: Num,
    assets_limit_partner: Num,
    #[allow(dead_code)]
    grade: String,
}

#[derive(Deserialize)]
#[serde(tag = "model", deny_unknown_fields)]
enum RawHuurtoeslag {
    #[serde(rename = "linear2026")]
    Linear2026 {
        rent_cap: Num,
        rent_cap_young: Num,
        young_below_age: Num,
        quality_discount_limit: Num,
        capping_limit_small: Num,
        capping_limit_large: Num,
        base_rent_single: Num,
        base_rent_multi: Num,
        pct_b: Num,
        pct_c: Num,
        reference_income_single: Num,
        reference_income_multi: Num,
        phase_out_rate_single: Num,
        phase_out_rate_multi: Num,
        assets_limit_single: Num,
        assets_limit_partner: Num,
        #[allow(dead_code)]
        grade: String,
    },
    #[serde(rename = "quadratic2025")]
    Quadratic2025 {
        max_rent: Num,
        max_rent_young: Num,
        young_below_age: Num,
        quality_discount_limit: Num,
        capping_limit_small: Num,
        capping_limit_large: Num,
        max_service_costs: Num,
        pct_b: Num,
        pct_c: Num,
        single_a: Num,
        single_b: Num,
        single_min_income: Num,
        single_min_base_rent: Num,
        multi_a: Num,
        multi_b: Num,
        multi_min_income: Num,
        multi_min_base_rent: Num,
        task_amount: Num,
        assets_limit_single: Num,
        assets_limit_partner: Num,
        #[allow(dead_code)]
        grade: String,
    },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawKgb {
    per_child: Num,
    extra_12_15: Num,
    extra_16_17: Num,
    single_parent: Num,
    threshold_single: Num,
    threshold_partner: Num,
    phase_out_rate: Num,
    assets_limit_single: Num,
    assets_limit_partner: Num,
    #[allow(dead_code)]
    grade: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawKot {
    max_hourly_dagopvang: Num,
    max_hourly_bso: Num,
    max_hourly_gastouder: Num,
    max_hours_per_month: Num,
    #[allow(dead_code)]
    grade: String,
    bands: Vec<RawKotBand>,
}

/// One row of the kinderopvangtoeslag table: joint toetsingsinkomen `from`..=`to`
/// (whole euros; `to` absent on the last, open row) and the percentages for the first
/// and each next child. A row marked `unknown = true` (no percentages) states in the
/// data that this part of the official table could not be verified: the engine
/// refuses incomes there instead of guessing.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawKotBand {
    from: String,
    to: Option<String>,
    first: Option<String>,
    next: Option<String>,
    #[serde(default)]
    unknown: bool,
    src: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPension {
    premium_rate: Num,
    franchise: Num,
    max_pensionable_salary: Num,
    employee_share: Num,
    extra_rate: Num,
    extra_franchise: Num,
    #[allow(dead_code)]
    grade: String,
}

// ---------------------------------------------------------------- typed rules

/// Validated rules for one tax year. Amounts in cents, rates exact.
#[derive(Debug, Clone)]
pub struct Rules {
    pub year: i32,
    /// Codes of the year-specific output notes named in the rule file.
    pub notes: Vec<String>,
    /// Source key → citation, as in the rule file.
    pub sources: BTreeMap<String, String>,
    pub general: General,
    pub box1: Vec<Bracket>,
    pub ahk: Ahk,
    pub arbeidskorting: Vec<AkSegment>,
    pub iack: Iack,
    pub zorgtoeslag: Zorgtoeslag,
    pub huurtoeslag: Huurtoeslag,
    pub kgb: Kgb,
    pub kot: Kot,
    pub pension: Pension,
}

#[derive(Debug, Clone)]
pub struct General {
    pub aow_age: u32,
    pub wml_hourly_adult: Cents,
    pub holiday_allowance_rate: Rate,
    /// Full-time hours per week, in hundredths of an hour.
    pub full_time_centihours: i64,
}

#[derive(Debug, Clone)]
pub struct Bracket {
    /// Upper bound (inclusive) in cents; `None` for the top bracket.
    pub upto: Option<Cents>,
    pub rate: Rate,
}

#[derive(Debug, Clone)]
pub struct Ahk {
    pub max: Cents,
    pub phase_out_from: Cents,
    pub phase_out_rate: Rate,
}

#[derive(Debug, Clone)]
pub struct AkSegment {
    pub from: Cents,
    pub base: Cents,
    pub rate: Rate,
}

#[derive(Debug, Clone)]
pub struct Iack {
    pub threshold: Cents,
    pub rate: Rate,
    pub max: Cents,
    pub child_age_below: u32,
}

#[derive(Debug, Clone)]
pub struct Zorgtoeslag {
    pub standard_premium: Cents,
    pub threshold_income: Cents,
    pub pct_single: Rate,
    pub pct_partner: Rate,
    pub phase_out_rate: Rate,
    pub minimum_per_year: Cents,
    pub assets_single: Cents,
    pub assets_partner: Cents,
}

#[derive(Debug, Clone)]
pub enum Huurtoeslag {
    Linear2026(HtLinear),
    Quadratic2025(HtQuadratic),
}

impl Huurtoeslag {
    pub fn assets_limits(&self) -> (Cents, Cents) {
        match self {
            Huurtoeslag::Linear2026(h) => (h.assets_single, h.assets_partner),
            Huurtoeslag::Quadratic2025(h) => (h.assets_single, h.assets_partner),
        }
    }
}

#[derive(Debug, Clone)]
pub struct HtLinear {
    pub rent_cap: Cents,
    pub rent_cap_young: Cents,
    pub young_below_age: u32,
    pub quality_discount_limit: Cents,
    pub capping_small: Cents,
    pub capping_large: Cents,
    pub base_rent_single: Cents,
    pub base_rent_multi: Cents,
    pub pct_b: Rate,
    pub pct_c: Rate,
    pub reference_income_single: Cents,
    pub reference_income_multi: Cents,
    pub phase_out_single: Rate,
    pub phase_out_multi: Rate,
    pub assets_single: Cents,
    pub assets_partner: Cents,
}

#[derive(Debug, Clone)]
pub struct HtQuadratic {
    pub max_rent: Cents,
    pub max_rent_young: Cents,
    pub young_below_age: u32,
    pub quality_discount_limit: Cents,
    pub capping_small: Cents,
    pub capping_large: Cents,
    pub max_service_costs: Cents,
    pub pct_b: Rate,
    pub pct_c: Rate,
    pub single: BaseRentCurve,
    pub multi: BaseRentCurve,
    pub task_amount: Cents,
    pub assets_single: Cents,
    pub assets_partner: Cents,
}

/// `basishuur(Y) = a·Y² + b·Y` (Y in euros) above `min_income`, else `min_base_rent`.
#[derive(Debug, Clone)]
pub struct BaseRentCurve {
    pub a: Rate,
    pub b: Rate,
    pub min_income: Cents,
    pub min_base_rent: Cents,
}

#[derive(Debug, Clone)]
pub struct Kgb {
    pub per_child: Cents,
    pub extra_12_15: Cents,
    pub extra_16_17: Cents,
    pub single_parent: Cents,
    pub threshold_single: Cents,
    pub threshold_partner: Cents,
    pub phase_out_rate: Rate,
    pub assets_single: Cents,
    pub assets_partner: Cents,
}

#[derive(Debug, Clone)]
pub struct Kot {
    pub max_hourly_dagopvang: Cents,
    pub max_hourly_bso: Cents,
    pub max_hourly_gastouder: Cents,
    pub max_hours_per_month: i64,
    pub bands: Vec<KotBand>,
}

#[derive(Debug, Clone)]
pub struct KotBand {
    pub from: Cents,
    /// Last whole euro of the band (inclusive); `None` for the open top band.
    pub to: Option<Cents>,
    /// Percentages for the first child and each next child; `None` where the rule
    /// file marks this part of the official table as not verified.
    pub pct: Option<KotPct>,
}

#[derive(Debug, Clone, Copy)]
pub struct KotPct {
    pub first: Rate,
    pub next: Rate,
}

impl Kot {
    /// The band holding a joint toetsingsinkomen. The loader guarantees that the bands
    /// are contiguous in whole euros from 0 with an open top band, so every income has
    /// exactly one band (cents within a euro belong to that euro's band).
    pub fn band(&self, income: Cents) -> &KotBand {
        let i = self.bands.partition_point(|b| b.from <= income);
        &self.bands[i.saturating_sub(1)]
    }
}

#[derive(Debug, Clone)]
pub struct Pension {
    pub premium_rate: Rate,
    pub franchise: Cents,
    pub max_pensionable_salary: Cents,
    pub employee_share: Rate,
    pub extra_rate: Rate,
    pub extra_franchise: Cents,
}

// ---------------------------------------------------------------- loading

struct Ctx<'a> {
    year: i32,
    sources: &'a BTreeMap<String, String>,
}

impl Ctx<'_> {
    fn invalid(&self, field: &str, reason: impl Into<String>) -> RuleError {
        RuleError::Invalid {
            year: self.year,
            field: field.to_owned(),
            reason: reason.into(),
        }
    }

    fn check_src(&self, field: &str, src: &str) -> Result<(), RuleError> {
        if self.sources.get(src).is_some_and(|s| !s.trim().is_empty()) {
            Ok(())
        } else {
            Err(RuleError::UnknownSource {
                year: self.year,
                field: field.to_owned(),
                src: src.to_owned(),
            })
        }
    }

    fn dec(&self, field: &str, v: &str) -> Result<Decimal, RuleError> {
        Decimal::from_str(v.trim()).map_err(|_| RuleError::InvalidNumber {
            year: self.year,
            field: field.to_owned(),
            value: v.to_owned(),
        })
    }

    fn amount_str(&self, field: &str, v: &str) -> Result<Cents, RuleError> {
        let d = self.dec(field, v)?;
        cents_from_decimal(d).ok_or_else(|| RuleError::InvalidNumber {
            year: self.year,
            field: field.to_owned(),
            value: v.to_owned(),
        })
    }

    /// A non-negative amount in euros.
    fn amount(&self, field: &str, n: &Num) -> Result<Cents, RuleError> {
        self.check_src(field, &n.src)?;
        let c = self.amount_str(field, &n.v)?;
        if c < 0 {
            return Err(self.invalid(field, "amount must not be negative"));
        }
        Ok(c)
    }

    /// A signed amount in euros.
    fn signed_amount(&self, field: &str, n: &Num) -> Result<Cents, RuleError> {
        self.check_src(field, &n.src)?;
        self.amount_str(field, &n.v)
    }

    fn pct_str(&self, field: &str, v: &str, lo: i64, hi: i64) -> Result<Rate, RuleError> {
        let d = self.dec(field, v)?;
        if d < Decimal::from(lo) || d > Decimal::from(hi) {
            return Err(self.invalid(field, format!("percentage {v} outside {lo}..={hi}")));
        }
        Rate::from_percent(d).ok_or_else(|| RuleError::InvalidNumber {
            year: self.year,
            field: field.to_owned(),
            value: v.to_owned(),
        })
    }

    /// A percentage in 0..=100.
    fn pct(&self, field: &str, n: &Num) -> Result<Rate, RuleError> {
        self.check_src(field, &n.src)?;
        self.pct_str(field, &n.v, 0, 100)
    }

    /// A raw fraction (not a percentage), e.g. a quadratic coefficient.
    fn fraction(&self, field: &str, n: &Num) -> Result<Rate, RuleError> {
        self.check_src(field, &n.src)?;
        let d = self.dec(field, &n.v)?;
        if d.abs() >= Decimal::ONE {
            return Err(self.invalid(field, "coefficient must be below 1 in size"));
        }
        Rate::from_fraction(d.normalize()).ok_or_else(|| RuleError::InvalidNumber {
            year: self.year,
            field: field.to_owned(),
            value: n.v.clone(),
        })
    }

    fn whole(&self, field: &str, n: &Num, lo: u32, hi: u32) -> Result<u32, RuleError> {
        self.check_src(field, &n.src)?;
        let v: u32 = n.v.trim().parse().map_err(|_| RuleError::InvalidNumber {
            year: self.year,
            field: field.to_owned(),
            value: n.v.clone(),
        })?;
        if !(lo..=hi).contains(&v) {
            return Err(self.invalid(field, format!("{v} outside {lo}..={hi}")));
        }
        Ok(v)
    }
}

impl Rules {
    /// Parse and validate one rule file.
    pub fn parse(expected_year: i32, text: &str) -> Result<Rules, RuleError> {
        let raw: RawFile = toml::from_str(text).map_err(|e| RuleError::Parse {
            year: expected_year,
            message: e.to_string(),
        })?;
        if raw.year != expected_year {
            return Err(RuleError::Invalid {
                year: expected_year,
                field: "year".into(),
                reason: format!("file says {}", raw.year),
            });
        }
        let cx = Ctx {
            year: raw.year,
            sources: &raw.sources,
        };

        let g = &raw.general;
        let full_time = cx.amount("general.full_time_hours", &g.full_time_hours)?;
        if !(100..=6000).contains(&full_time) {
            return Err(cx.invalid("general.full_time_hours", "must be 1..=60 hours"));
        }
        let general = General {
            aow_age: cx.whole("general.aow_age", &g.aow_age, 60, 75)?,
            wml_hourly_adult: cx.amount("general.wml_hourly_adult", &g.wml_hourly_adult)?,
            holiday_allowance_rate: cx
                .pct("general.holiday_allowance_rate", &g.holiday_allowance_rate)?,
            full_time_centihours: full_time,
        };

        // Box 1: ascending bounds, only the last open, rates 0..=100 %.
        let mut box1 = Vec::new();
        let mut prev: Cents = 0;
        for (i, b) in raw.box1.iter().enumerate() {
            let field = format!("box1[{i}]");
            cx.check_src(&field, &b.src)?;
            let rate = cx.pct_str(&field, &b.rate, 0, 100)?;
            let upto = match &b.upto {
                Some(u) => {
                    let u = cx.amount_str(&field, u)?;
                    if u <= prev {
                        return Err(cx.invalid(&field, "brackets must ascend"));
                    }
                    prev = u;
                    Some(u)
                }
                None => None,
            };
            if upto.is_none() && i + 1 != raw.box1.len() {
                return Err(cx.invalid(&field, "only the last bracket may be open"));
            }
            box1.push(Bracket { upto, rate });
        }
        if box1.last().is_none_or(|b| b.upto.is_some()) {
            return Err(cx.invalid("box1", "the last bracket must be open"));
        }
        if box1
            .windows(2)
            .any(|w| w[1].rate.as_decimal() < w[0].rate.as_decimal())
        {
            return Err(cx.invalid("box1", "rates must not fall in higher brackets"));
        }

        let ahk = Ahk {
            max: cx.amount("ahk.max", &raw.ahk.max)?,
            phase_out_from: cx.amount("ahk.phase_out_from", &raw.ahk.phase_out_from)?,
            phase_out_rate: cx.pct("ahk.phase_out_rate", &raw.ahk.phase_out_rate)?,
        };

        // Arbeidskorting: ascending, starts at 0 with base 0, continuous within € 1,
        // ends at 0 with rate 0.
        let mut ak: Vec<AkSegment> = Vec::new();
        for (i, s) in raw.arbeidskorting.iter().enumerate() {
            let field = format!("arbeidskorting[{i}]");
            cx.check_src(&field, &s.src)?;
            let seg = AkSegment {
                from: cx.amount_str(&field, &s.from)?,
                base: cx.amount_str(&field, &s.base)?,
                rate: cx.pct_str(&field, &s.rate, -100, 100)?,
            };
            if let Some(p) = ak.last() {
                if seg.from <= p.from {
                    return Err(cx.invalid(&field, "segments must ascend"));
                }
                let end = p.base + p.rate.round(seg.from - p.from);
                if (end.max(0) - seg.base).abs() > 100 {
                    return Err(cx.invalid(
                        &field,
                        format!("not continuous: previous segment ends at {end} cents, this starts at {}", seg.base),
                    ));
                }
            } else if seg.from != 0 || seg.base != 0 {
                return Err(cx.invalid(&field, "first segment must start at 0 with base 0"));
            }
            ak.push(seg);
        }
        match ak.last() {
            Some(l) if l.base == 0 && l.rate == Rate::ZERO => {}
            _ => return Err(cx.invalid("arbeidskorting", "last segment must be 0 with rate 0")),
        }

        let iack = Iack {
            threshold: cx.amount("iack.threshold", &raw.iack.threshold)?,
            rate: cx.pct("iack.rate", &raw.iack.rate)?,
            max: cx.amount("iack.max", &raw.iack.max)?,
            child_age_below: cx.whole("iack.child_age_below", &raw.iack.child_age_below, 1, 18)?,
        };

        let z = &raw.zorgtoeslag;
        let zorgtoeslag = Zorgtoeslag {
            standard_premium: cx.amount("zorgtoeslag.standard_premium", &z.standard_premium)?,
            threshold_income: cx.amount("zorgtoeslag.threshold_income", &z.threshold_income)?,
            pct_single: cx.pct(
                "zorgtoeslag.pct_of_threshold_single",
                &z.pct_of_threshold_single,
            )?,
            pct_partner: cx.pct(
                "zorgtoeslag.pct_of_threshold_partner",
                &z.pct_of_threshold_partner,
            )?,
            phase_out_rate: cx.pct("zorgtoeslag.phase_out_rate", &z.phase_out_rate)?,
            minimum_per_year: cx.amount("zorgtoeslag.minimum_per_year", &z.minimum_per_year)?,
            assets_single: cx.amount("zorgtoeslag.assets_limit_single", &z.assets_limit_single)?,
            assets_partner: cx
                .amount("zorgtoeslag.assets_limit_partner", &z.assets_limit_partner)?,
        };
        if zorgtoeslag.assets_partner < zorgtoeslag.assets_single {
            return Err(cx.invalid("zorgtoeslag", "partner assets limit below single limit"));
        }

        let huurtoeslag = match &raw.huurtoeslag {
            RawHuurtoeslag::Linear2026 {
                rent_cap,
                rent_cap_young,
                young_below_age,
                quality_discount_limit,
                capping_limit_small,
                capping_limit_large,
                base_rent_single,
                base_rent_multi,
                pct_b,
                pct_c,
                reference_income_single,
                reference_income_multi,
                phase_out_rate_single,
                phase_out_rate_multi,
                assets_limit_single,
                assets_limit_partner,
                grade: _,
            } => {
                let h = HtLinear {
                    rent_cap: cx.amount("huurtoeslag.rent_cap", rent_cap)?,
                    rent_cap_young: cx.amount("huurtoeslag.rent_cap_young", rent_cap_young)?,
                    young_below_age: cx.whole(
                        "huurtoeslag.young_below_age",
                        young_below_age,
                        18,
                        30,
                    )?,
                    quality_discount_limit: cx
                        .amount("huurtoeslag.quality_discount_limit", quality_discount_limit)?,
                    capping_small: cx
                        .amount("huurtoeslag.capping_limit_small", capping_limit_small)?,
                    capping_large: cx
                        .amount("huurtoeslag.capping_limit_large", capping_limit_large)?,
                    base_rent_single: cx
                        .amount("huurtoeslag.base_rent_single", base_rent_single)?,
                    base_rent_multi: cx.amount("huurtoeslag.base_rent_multi", base_rent_multi)?,
                    pct_b: cx.pct("huurtoeslag.pct_b", pct_b)?,
                    pct_c: cx.pct("huurtoeslag.pct_c", pct_c)?,
                    reference_income_single: cx.amount(
                        "huurtoeslag.reference_income_single",
                        reference_income_single,
                    )?,
                    reference_income_multi: cx
                        .amount("huurtoeslag.reference_income_multi", reference_income_multi)?,
                    phase_out_single: cx
                        .pct("huurtoeslag.phase_out_rate_single", phase_out_rate_single)?,
                    phase_out_multi: cx
                        .pct("huurtoeslag.phase_out_rate_multi", phase_out_rate_multi)?,
                    assets_single: cx
                        .amount("huurtoeslag.assets_limit_single", assets_limit_single)?,
                    assets_partner: cx
                        .amount("huurtoeslag.assets_limit_partner", assets_limit_partner)?,
                };
                let ordered = h.base_rent_single < h.quality_discount_limit
                    && h.base_rent_multi < h.quality_discount_limit
                    && h.quality_discount_limit < h.capping_small
                    && h.capping_small <= h.capping_large
                    && h.capping_large <= h.rent_cap
                    && h.rent_cap_young <= h.rent_cap;
                if !ordered {
                    return Err(cx.invalid(
                        "huurtoeslag",
                        "limits must ascend: base rent < quality < capping <= cap",
                    ));
                }
                Huurtoeslag::Linear2026(h)
            }
            RawHuurtoeslag::Quadratic2025 {
                max_rent,
                max_rent_young,
                young_below_age,
                quality_discount_limit,
                capping_limit_small,
                capping_limit_large,
                max_service_costs,
                pct_b,
                pct_c,
                single_a,
                single_b,
                single_min_income,
                single_min_base_rent,
                multi_a,
                multi_b,
                multi_min_income,
                multi_min_base_rent,
                task_amount,
                assets_limit_single,
                assets_limit_partner,
                grade: _,
            } => {
                let h = HtQuadratic {
                    max_rent: cx.amount("huurtoeslag.max_rent", max_rent)?,
                    max_rent_young: cx.amount("huurtoeslag.max_rent_young", max_rent_young)?,
                    young_below_age: cx.whole(
                        "huurtoeslag.young_below_age",
                        young_below_age,
                        18,
                        30,
                    )?,
                    quality_discount_limit: cx
                        .amount("huurtoeslag.quality_discount_limit", quality_discount_limit)?,
                    capping_small: cx
                        .amount("huurtoeslag.capping_limit_small", capping_limit_small)?,
                    capping_large: cx
                        .amount("huurtoeslag.capping_limit_large", capping_limit_large)?,
                    max_service_costs: cx
                        .amount("huurtoeslag.max_service_costs", max_service_costs)?,
                    pct_b: cx.pct("huurtoeslag.pct_b", pct_b)?,
                    pct_c: cx.pct("huurtoeslag.pct_c", pct_c)?,
                    single: BaseRentCurve {
                        a: cx.fraction("huurtoeslag.single_a", single_a)?,
                        b: cx.fraction("huurtoeslag.single_b", single_b)?,
                        min_income: cx
                            .amount("huurtoeslag.single_min_income", single_min_income)?,
                        min_base_rent: cx
                            .amount("huurtoeslag.single_min_base_rent", single_min_base_rent)?,
                    },
                    multi: BaseRentCurve {
                        a: cx.fraction("huurtoeslag.multi_a", multi_a)?,
                        b: cx.fraction("huurtoeslag.multi_b", multi_b)?,
                        min_income: cx.amount("huurtoeslag.multi_min_income", multi_min_income)?,
                        min_base_rent: cx
                            .amount("huurtoeslag.multi_min_base_rent", multi_min_base_rent)?,
                    },
                    task_amount: cx.signed_amount("huurtoeslag.task_amount", task_amount)?,
                    assets_single: cx
                        .amount("huurtoeslag.assets_limit_single", assets_limit_single)?,
                    assets_partner: cx
                        .amount("huurtoeslag.assets_limit_partner", assets_limit_partner)?,
                };
                // The quadratic must meet the minimum base rent at its income point (± € 0,10).
                for (name, c) in [("single", &h.single), ("multi", &h.multi)] {
                    let at = base_rent_quadratic(c, c.min_income);
                    if (at - c.min_base_rent).abs() > 10 {
                        return Err(cx.invalid(
                            &format!("huurtoeslag.{name}"),
                            format!(
                                "curve gives {at} cents at the minimum income, expected {}",
                                c.min_base_rent
                            ),
                        ));
                    }
                }
                Huurtoeslag::Quadratic2025(h)
            }
        };

        let k = &raw.kindgebonden_budget;
        let kgb = Kgb {
            per_child: cx.amount("kindgebonden_budget.per_child", &k.per_child)?,
            extra_12_15: cx.amount("kindgebonden_budget.extra_12_15", &k.extra_12_15)?,
            extra_16_17: cx.amount("kindgebonden_budget.extra_16_17", &k.extra_16_17)?,
            single_parent: cx.amount("kindgebonden_budget.single_parent", &k.single_parent)?,
            threshold_single: cx
                .amount("kindgebonden_budget.threshold_single", &k.threshold_single)?,
            threshold_partner: cx.amount(
                "kindgebonden_budget.threshold_partner",
                &k.threshold_partner,
            )?,
            phase_out_rate: cx.pct("kindgebonden_budget.phase_out_rate", &k.phase_out_rate)?,
            assets_single: cx.amount(
                "kindgebonden_budget.assets_limit_single",
                &k.assets_limit_single,
            )?,
            assets_partner: cx.amount(
                "kindgebonden_budget.assets_limit_partner",
                &k.assets_limit_partner,
            )?,
        };
        if kgb.threshold_partner < kgb.threshold_single {
            return Err(cx.invalid(
                "kindgebonden_budget",
                "partner threshold below single threshold",
            ));
        }

        let o = &raw.kinderopvangtoeslag;
        let max_hours = cx.whole(
            "kinderopvangtoeslag.max_hours_per_month",
            &o.max_hours_per_month,
            1,
            744,
        )?;
        let bands = kot_bands(&cx, &o.bands)?;
        let kot = Kot {
            max_hourly_dagopvang: cx.amount(
                "kinderopvangtoeslag.max_hourly_dagopvang",
                &o.max_hourly_dagopvang,
            )?,
            max_hourly_bso: cx.amount("kinderopvangtoeslag.max_hourly_bso", &o.max_hourly_bso)?,
            max_hourly_gastouder: cx.amount(
                "kinderopvangtoeslag.max_hourly_gastouder",
                &o.max_hourly_gastouder,
            )?,
            max_hours_per_month: i64::from(max_hours),
            bands,
        };

        let p = &raw.pension_pfzw;
        let pension = Pension {
            premium_rate: cx.pct("pension_pfzw.premium_rate", &p.premium_rate)?,
            franchise: cx.amount("pension_pfzw.franchise", &p.franchise)?,
            max_pensionable_salary: cx.amount(
                "pension_pfzw.max_pensionable_salary",
                &p.max_pensionable_salary,
            )?,
            employee_share: cx.pct("pension_pfzw.employee_share", &p.employee_share)?,
            extra_rate: cx.pct("pension_pfzw.extra_rate", &p.extra_rate)?,
            extra_franchise: cx.amount("pension_pfzw.extra_franchise", &p.extra_franchise)?,
        };
        if pension.franchise >= pension.max_pensionable_salary {
            return Err(cx.invalid("pension_pfzw", "franchise must be below the maximum salary"));
        }

        for n in &raw.notes {
            if !YEAR_NOTES.contains(&n.as_str()) {
                return Err(cx.invalid(
                    "notes",
                    format!("unknown note `{n}`; known: {}", YEAR_NOTES.join(", ")),
                ));
            }
        }

        Ok(Rules {
            year: raw.year,
            notes: raw.notes.clone(),
            sources: raw.sources.clone(),
            general,
            box1,
            ahk,
            arbeidskorting: ak,
            iack,
            zorgtoeslag,
            huurtoeslag,
            kgb,
            kot,
            pension,
        })
    }
}

/// Validate the kinderopvangtoeslag table: the first band starts at 0, every next band
/// starts one euro after the previous one ends (no gap, no overlap), only the last band
/// is open, bounds are whole euros, and the percentages are in 0..=100, at least as high
/// for a next child as for the first, and never rise with income. A gap in the data is
/// therefore a load error, never a refusal at calculation time.
fn kot_bands(cx: &Ctx<'_>, raw: &[RawKotBand]) -> Result<Vec<KotBand>, RuleError> {
    let mut bands: Vec<KotBand> = Vec::with_capacity(raw.len());
    let mut last_pct: Option<KotPct> = None;
    for (i, b) in raw.iter().enumerate() {
        let field = format!("kinderopvangtoeslag.bands[{i}]");
        cx.check_src(&field, &b.src)?;
        let whole = |v: &str| -> Result<Cents, RuleError> {
            let c = cx.amount_str(&field, v)?;
            if c < 0 || c % 100 != 0 {
                return Err(cx.invalid(&field, format!("`{v}` must be whole euros, not negative")));
            }
            Ok(c)
        };
        let from = whole(&b.from)?;
        let to = b.to.as_deref().map(whole).transpose()?;
        let pct = match (b.unknown, b.first.as_deref(), b.next.as_deref()) {
            (false, Some(f), Some(n)) => Some(KotPct {
                first: cx.pct_str(&field, f, 0, 100)?,
                next: cx.pct_str(&field, n, 0, 100)?,
            }),
            (true, None, None) => None,
            (false, _, _) => {
                return Err(cx.invalid(
                    &field,
                    "a band needs `first` and `next` (or `unknown = true`)",
                ));
            }
            (true, _, _) => {
                return Err(cx.invalid(&field, "an `unknown` band has no percentages"));
            }
        };
        if to.is_some_and(|t| t < from) {
            return Err(cx.invalid(&field, "band ends before it starts"));
        }
        match bands.last() {
            None if from != 0 => return Err(cx.invalid(&field, "first band must start at 0")),
            None => {}
            Some(p) => match p.to {
                None => return Err(cx.invalid(&field, "only the last band may be open-ended")),
                Some(t) if from != t + 100 => {
                    return Err(cx.invalid(
                        &field,
                        format!(
                            "band starts at {} but the previous one ends at {}: bands must follow on without gap or overlap",
                            from / 100,
                            t / 100
                        ),
                    ));
                }
                Some(_) => {}
            },
        }
        if let Some(p) = pct {
            if p.next.as_decimal() < p.first.as_decimal() {
                return Err(
                    cx.invalid(&field, "next-child percentage below first-child percentage")
                );
            }
            if let Some(l) = last_pct
                && (p.first.as_decimal() > l.first.as_decimal()
                    || p.next.as_decimal() > l.next.as_decimal())
            {
                return Err(cx.invalid(&field, "percentages must not rise with income"));
            }
            last_pct = Some(p);
        }
        bands.push(KotBand { from, to, pct });
    }
    match bands.last() {
        None => Err(cx.invalid("kinderopvangtoeslag.bands", "at least one band is needed")),
        Some(b) if b.to.is_some() => Err(cx.invalid(
            "kinderopvangtoeslag.bands",
            "the last band must be open-ended (no `to`), so every income has a band",
        )),
        Some(_) => Ok(bands),
    }
}

/// Quadratic base rent (2025 rules) for a rekeninkomen in cents, result in cents
/// rounded to whole cents; below the minimum income the minimum base rent applies.
pub fn base_rent_quadratic(c: &BaseRentCurve, income: Cents) -> Cents {
    if income <= c.min_income {
        return c.min_base_rent;
    }
    // basishuur_euro = a·Y² + b·Y with Y = income/100 euros; in cents:
    // a·income²/100 + b·income.
    let y = i128::from(income);
    let (an, ad) = c.a.parts();
    let (bn, bd) = c.b.parts();
    let quad = crate::money::div_round(an * y * y, ad * 100);
    let lin = crate::money::div_round(bn * y, bd);
    crate::money::to_i64(quad + lin)
}

/// All rule years the engine knows, validated once.
#[derive(Debug, Clone)]
pub struct RuleBook {
    years: Vec<Rules>,
    cao: crate::cao::CaoRules,
}

impl RuleBook {
    /// The rule files embedded in this build, parsed and validated.
    pub fn embedded() -> Result<RuleBook, RuleError> {
        let years = EMBEDDED
            .iter()
            .map(|(y, t)| Rules::parse(*y, t))
            .collect::<Result<Vec<_>, _>>()?;
        let cao = crate::cao::CaoRules::parse(crate::cao::EMBEDDED)?;
        Ok(RuleBook { years, cao })
    }

    /// A rule book from given files (for tests of the loader).
    pub fn from_files(files: &[(i32, &str)]) -> Result<RuleBook, RuleError> {
        let years = files
            .iter()
            .map(|(y, t)| Rules::parse(*y, t))
            .collect::<Result<Vec<_>, _>>()?;
        let cao = crate::cao::CaoRules::parse(crate::cao::EMBEDDED)?;
        Ok(RuleBook { years, cao })
    }

    /// A rule book from given year files and a given CAO file (for tests of the loader).
    pub fn from_files_with_cao(files: &[(i32, &str)], cao: &str) -> Result<RuleBook, RuleError> {
        let mut book = RuleBook::from_files(files)?;
        book.cao = crate::cao::CaoRules::parse(cao)?;
        Ok(book)
    }

    /// The care CAO pay rules.
    pub fn cao(&self) -> &crate::cao::CaoRules {
        &self.cao
    }

    /// The latest tax year with rules.
    pub fn latest_year(&self) -> i32 {
        self.years.iter().map(|r| r.year).max().unwrap_or_default()
    }

    /// The supported tax years, ascending.
    pub fn years(&self) -> Vec<i32> {
        self.years.iter().map(|r| r.year).collect()
    }

    /// The rules for one year.
    pub fn rules(&self, year: i32) -> Option<&Rules> {
        self.years.iter().find(|r| r.year == year)
    }
}
