//! The calculator's input (JSON), its validation, and the input error type.
//!
//! Validation turns a [`CalcInput`] into an internal, integer-only [`Household`];
//! every refusal is an [`InputError`] naming the field, with a stable machine code and
//! a plain-Dutch message. Nothing here logs or stores what was entered.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::money::{Cents, Rate, cents_from_decimal, serialize_decimal, serialize_decimal_opt};
use crate::rules::{Kot, Rules};

/// Most scenarios one request may ask for.
pub const MAX_SCENARIOS: usize = 41;
/// Highest hours per week accepted anywhere.
pub const MAX_HOURS: i64 = 60;

/// One calculation request (`urenwinst calc`, `POST /api/v1/calc`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CalcInput {
    pub year: i32,
    pub employee: EmployeeInput,
    #[serde(default)]
    pub partner: Option<PartnerInput>,
    #[serde(default)]
    pub children: Vec<ChildInput>,
    /// Kale huur per month (0 or absent: no rented home / no huurtoeslag).
    #[serde(
        default,
        serialize_with = "serialize_decimal_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub rent_per_month: Option<Decimal>,
    /// Service costs per month (count only in 2025, up to the legal maximum).
    #[serde(
        default,
        serialize_with = "serialize_decimal_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub service_costs_per_month: Option<Decimal>,
    #[serde(default)]
    pub childcare: Vec<ChildcareInput>,
    /// Household assets (vermogen) on 1 January, for the assets tests.
    #[serde(
        default,
        serialize_with = "serialize_decimal_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub assets: Option<Decimal>,
    /// Hours per week to compare with `employee.hours_per_week`.
    #[serde(default, serialize_with = "ser_hours_list")]
    pub hours: Vec<Decimal>,
}

fn ser_hours_list<S: serde::Serializer>(v: &[Decimal], s: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeSeq;
    let mut seq = s.serialize_seq(Some(v.len()))?;
    for d in v {
        seq.serialize_element(&DecNum(*d))?;
    }
    seq.end()
}

struct DecNum(Decimal);
impl Serialize for DecNum {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        serialize_decimal(&self.0, s)
    }
}

/// The employee whose hours vary. Exactly one wage source: `hourly_wage`,
/// `cao` + `fwg` + `step`, or `annual_gross_wage` (at `hours_per_week`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EmployeeInput {
    #[serde(
        default,
        serialize_with = "serialize_decimal_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub hourly_wage: Option<Decimal>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cao: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fwg: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step: Option<u32>,
    /// Gross base salary per year at `hours_per_week`, without holiday allowance,
    /// year-end bonus or irregular-hours allowance.
    #[serde(
        default,
        serialize_with = "serialize_decimal_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub annual_gross_wage: Option<Decimal>,
    #[serde(serialize_with = "serialize_decimal")]
    pub hours_per_week: Decimal,
    #[serde(default = "yes")]
    pub holiday_allowance: bool,
    #[serde(default)]
    pub year_end_bonus: bool,
    /// Year-end bonus as a percentage of the base salary; required when
    /// `year_end_bonus` is true (the CAO VVT percentage could not be verified).
    #[serde(
        default,
        serialize_with = "serialize_decimal_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub year_end_bonus_percentage: Option<Decimal>,
    /// ORT per year at `hours_per_week`; scales with hours.
    #[serde(
        default,
        serialize_with = "serialize_decimal_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub irregular_allowance_per_year: Option<Decimal>,
    /// ORT as irregular hours per week × allowance percentage of the own hourly wage
    /// (at `hours_per_week`; scales with hours). Adds to `irregular_allowance_per_year`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub irregular_hours: Vec<IrregularHours>,
    #[serde(default)]
    pub pension: PensionChoice,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age: Option<u32>,
}

fn yes() -> bool {
    true
}

/// Irregular hours in one ORT band, e.g. 4 hours a week at 47 %.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IrregularHours {
    #[serde(serialize_with = "serialize_decimal")]
    pub hours_per_week: Decimal,
    /// Allowance as a percentage of the hourly wage (the CAO's ORT percentage).
    #[serde(serialize_with = "serialize_decimal")]
    pub percentage: Decimal,
}

/// Pension scheme: PFZW (the care sector fund) or none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PensionChoice {
    #[default]
    Pfzw,
    None,
}

/// The partner (toeslagpartner and fiscal partner); hours do not vary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartnerInput {
    /// Total gross wage per year (incl. holiday allowance and bonuses); 0 = no income.
    #[serde(serialize_with = "serialize_decimal")]
    pub annual_gross_wage: Decimal,
    #[serde(default)]
    pub pension: PensionChoice,
    /// Contract hours, for the PFZW part-time factor (default: full time).
    #[serde(
        default,
        serialize_with = "serialize_decimal_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub hours_per_week: Option<Decimal>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChildInput {
    pub age: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ChildcareType {
    Dagopvang,
    Bso,
    Gastouder,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChildcareInput {
    /// Index into `children`.
    pub child: usize,
    #[serde(rename = "type")]
    pub kind: ChildcareType,
    #[serde(serialize_with = "serialize_decimal")]
    pub hours_per_month: Decimal,
    #[serde(serialize_with = "serialize_decimal")]
    pub price_per_hour: Decimal,
}

// ---------------------------------------------------------------- errors

/// Stable machine codes for input errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    InvalidJson,
    YearUnsupported,
    WageSourceMissing,
    WageSourceAmbiguous,
    CaoTableUnavailable,
    Negative,
    TooLarge,
    TooManyDecimals,
    HoursOutOfRange,
    BelowMinimumWage,
    AgeOutOfRange,
    AowAgeUnsupported,
    YearEndBonusPercentageRequired,
    ChildAgeOutOfRange,
    ChildcareChildUnknown,
    ChildcareTypeAge,
    ChildcareDuplicateChild,
    TooManyScenarios,
    KinderopvangtoeslagTableIncomplete,
}

impl ErrorCode {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidJson => "invalid_json",
            ErrorCode::YearUnsupported => "year_unsupported",
            ErrorCode::WageSourceMissing => "wage_source_missing",
            ErrorCode::WageSourceAmbiguous => "wage_source_ambiguous",
            ErrorCode::CaoTableUnavailable => "cao_table_unavailable",
            ErrorCode::Negative => "negative",
            ErrorCode::TooLarge => "too_large",
            ErrorCode::TooManyDecimals => "too_many_decimals",
            ErrorCode::HoursOutOfRange => "hours_out_of_range",
            ErrorCode::BelowMinimumWage => "below_minimum_wage",
            ErrorCode::AgeOutOfRange => "age_out_of_range",
            ErrorCode::AowAgeUnsupported => "aow_age_unsupported",
            ErrorCode::YearEndBonusPercentageRequired => "year_end_bonus_percentage_required",
            ErrorCode::ChildAgeOutOfRange => "child_age_out_of_range",
            ErrorCode::ChildcareChildUnknown => "childcare_child_unknown",
            ErrorCode::ChildcareTypeAge => "childcare_type_age",
            ErrorCode::ChildcareDuplicateChild => "childcare_duplicate_child",
            ErrorCode::TooManyScenarios => "too_many_scenarios",
            ErrorCode::KinderopvangtoeslagTableIncomplete => "kinderopvangtoeslag_table_incomplete",
        }
    }
}

/// Input the engine refuses: which field, a stable code, and a Dutch message for the
/// user. Serialises as `{"field": …, "code": …, "message": …}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{field}: {message} ({})", code.as_str())]
pub struct InputError {
    pub field: String,
    pub code: ErrorCode,
    pub message: String,
}

impl InputError {
    pub fn new(field: impl Into<String>, code: ErrorCode, message: impl Into<String>) -> Self {
        InputError {
            field: field.into(),
            code,
            message: message.into(),
        }
    }
}

impl CalcInput {
    /// Parse a JSON document; unknown fields and wrong types become an [`InputError`].
    pub fn from_json(text: &str) -> Result<CalcInput, InputError> {
        serde_json::from_str(text).map_err(|e| {
            let msg = e.to_string();
            let field = field_from_serde(&msg).unwrap_or_default();
            InputError::new(
                field,
                ErrorCode::InvalidJson,
                format!("De invoer klopt niet: het is geen geldige JSON, of een veld ontbreekt, is onbekend of heeft een verkeerd soort waarde. (Technisch: {msg})"),
            )
        })
    }
}

fn field_from_serde(msg: &str) -> Option<String> {
    for marker in ["unknown field `", "missing field `", "unknown variant `"] {
        if let Some(i) = msg.find(marker) {
            let rest = &msg[i + marker.len()..];
            return rest.find('`').map(|j| rest[..j].to_owned());
        }
    }
    None
}

// ---------------------------------------------------------------- validated household

/// How the employee's base salary follows the hours.
#[derive(Debug, Clone, Copy)]
pub(crate) enum WageBasis {
    /// Cents per hour.
    Hourly(Cents),
    /// Cents per year at the given centi-hours per week.
    Annual { cents: Cents, at_centihours: i64 },
}

#[derive(Debug, Clone)]
pub(crate) struct Employee {
    pub wage: WageBasis,
    pub current_centihours: i64,
    pub holiday_allowance: bool,
    pub year_end_bonus: Option<Rate>,
    /// ORT per year at `current_centihours`.
    pub irregular_per_year: Cents,
    pub pension: bool,
    pub age: u32,
}

#[derive(Debug, Clone)]
pub(crate) struct Partner {
    pub age: u32,
    pub gross: Cents,
    pub pension: bool,
    /// Precomputed (the partner's hours do not vary): pension premium, taxable income,
    /// and the tax without and with the IACK.
    pub pension_premium: Cents,
    pub taxable: Cents,
    pub tax: [crate::engine::PersonTax; 2],
}

/// One child in childcare, costs precomputed (they do not depend on income).
#[derive(Debug, Clone)]
pub(crate) struct Care {
    /// Subsidisable cost per month in cents (capped price × capped hours).
    pub subsidisable: Cents,
    /// Actual cost per month in cents.
    pub actual: Cents,
}

#[derive(Debug, Clone)]
pub(crate) struct Household {
    pub employee: Employee,
    pub partner: Option<Partner>,
    pub child_ages: Vec<u32>,
    pub rent: Cents,
    pub service_costs: Cents,
    /// Childcare per child, the "first child" (most hours) first.
    pub care: Vec<Care>,
    pub assets: Cents,
    pub scenarios: Vec<i64>,
}

fn money(field: &str, d: Decimal, max_euros: i64) -> Result<Cents, InputError> {
    if d.is_sign_negative() && !d.is_zero() {
        return Err(InputError::new(
            field,
            ErrorCode::Negative,
            "Dit bedrag mag niet negatief zijn.",
        ));
    }
    if d > Decimal::from(max_euros) {
        return Err(InputError::new(
            field,
            ErrorCode::TooLarge,
            format!(
                "Dit bedrag is te hoog voor de berekenaar (maximaal € {}).",
                nl_thousands(max_euros)
            ),
        ));
    }
    cents_from_decimal(d).ok_or_else(|| {
        InputError::new(
            field,
            ErrorCode::TooManyDecimals,
            "Vul een bedrag in met hoogstens 2 cijfers achter de komma.",
        )
    })
}

fn hours(field: &str, d: Decimal) -> Result<i64, InputError> {
    let out = || {
        InputError::new(
            field,
            ErrorCode::HoursOutOfRange,
            format!(
                "Vul een aantal uren per week in van 0 tot en met {MAX_HOURS}, met hoogstens 2 cijfers achter de komma."
            ),
        )
    };
    if d.is_sign_negative() && !d.is_zero() || d > Decimal::from(MAX_HOURS) {
        return Err(out());
    }
    cents_from_decimal(d).ok_or_else(out)
}

/// `12345` → `"12.345"` (Dutch thousands separator).
pub(crate) fn nl_thousands(v: i64) -> String {
    let s = v.abs().to_string();
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(ch);
    }
    if v < 0 { format!("-{out}") } else { out }
}

/// `1471` cents → `"14,71"`.
pub(crate) fn nl_euros(c: Cents) -> String {
    format!("{},{:02}", nl_thousands(c / 100), (c % 100).abs())
}

impl CalcInput {
    pub(crate) fn validate(&self, rules: &Rules) -> Result<Household, InputError> {
        let e = &self.employee;
        let age = match e.age {
            None => 30,
            Some(a) if !(15..=100).contains(&a) => {
                return Err(InputError::new(
                    "employee.age",
                    ErrorCode::AgeOutOfRange,
                    "Vul een leeftijd in van 15 jaar of ouder.",
                ));
            }
            Some(a) if a >= rules.general.aow_age => {
                return Err(InputError::new(
                    "employee.age",
                    ErrorCode::AowAgeUnsupported,
                    format!(
                        "De berekenaar rekent nog niet voor mensen van de AOW-leeftijd ({} jaar) of ouder.",
                        rules.general.aow_age
                    ),
                ));
            }
            Some(a) => a,
        };

        let current = hours("employee.hours_per_week", e.hours_per_week)?;
        let sources = [
            e.hourly_wage.is_some(),
            e.cao.is_some() || e.fwg.is_some() || e.step.is_some(),
            e.annual_gross_wage.is_some(),
        ];
        let n_sources = sources.iter().filter(|b| **b).count();
        if n_sources == 0 {
            return Err(InputError::new(
                "employee",
                ErrorCode::WageSourceMissing,
                "Vul je uurloon in, of je jaarsalaris bij je huidige uren.",
            ));
        }
        if n_sources > 1 {
            return Err(InputError::new(
                "employee",
                ErrorCode::WageSourceAmbiguous,
                "Vul maar één van deze in: uurloon, cao-schaal of jaarsalaris.",
            ));
        }
        let wage = if let Some(h) = e.hourly_wage {
            let c = money("employee.hourly_wage", h, 500)?;
            if age >= 21 && c < rules.general.wml_hourly_adult {
                return Err(InputError::new(
                    "employee.hourly_wage",
                    ErrorCode::BelowMinimumWage,
                    format!(
                        "Dit uurloon is lager dan het wettelijk minimumloon (€ {} per uur in {}). Kijk op je loonstrook naar je bruto uurloon.",
                        nl_euros(rules.general.wml_hourly_adult),
                        rules.year
                    ),
                ));
            }
            if c == 0 {
                return Err(InputError::new(
                    "employee.hourly_wage",
                    ErrorCode::WageSourceMissing,
                    "Vul een uurloon in dat hoger is dan € 0.",
                ));
            }
            WageBasis::Hourly(c)
        } else if let Some(a) = e.annual_gross_wage {
            let c = money("employee.annual_gross_wage", a, 1_000_000)?;
            if current == 0 {
                return Err(InputError::new(
                    "employee.hours_per_week",
                    ErrorCode::HoursOutOfRange,
                    "Bij een jaarsalaris hoort een aantal uren per week dat groter is dan 0.",
                ));
            }
            WageBasis::Annual {
                cents: c,
                at_centihours: current,
            }
        } else {
            return Err(InputError::new(
                "employee.cao",
                ErrorCode::CaoTableUnavailable,
                "We hebben de loontabel van de cao (schaal en trede) nog niet uit een betrouwbare bron kunnen controleren. Vul daarom je bruto uurloon in; dat staat op je loonstrook.",
            ));
        };

        let year_end_bonus = if e.year_end_bonus {
            let Some(p) = e.year_end_bonus_percentage else {
                return Err(InputError::new(
                    "employee.year_end_bonus_percentage",
                    ErrorCode::YearEndBonusPercentageRequired,
                    "Vul het percentage van je eindejaarsuitkering in (zie je cao of loonstrook). We rekenen niet met een percentage dat we niet zeker weten.",
                ));
            };
            if p.is_sign_negative() || p > Decimal::from(20) {
                return Err(InputError::new(
                    "employee.year_end_bonus_percentage",
                    ErrorCode::TooLarge,
                    "Vul een percentage in van 0 tot en met 20.",
                ));
            }
            Some(Rate::from_percent(p).ok_or_else(|| {
                InputError::new(
                    "employee.year_end_bonus_percentage",
                    ErrorCode::TooManyDecimals,
                    "Vul een percentage in met hoogstens 4 cijfers achter de komma.",
                )
            })?)
        } else {
            None
        };

        let mut irregular = match e.irregular_allowance_per_year {
            Some(d) => money("employee.irregular_allowance_per_year", d, 200_000)?,
            None => 0,
        };
        for (i, band) in e.irregular_hours.iter().enumerate() {
            let h = hours(
                &format!("employee.irregular_hours[{i}].hours_per_week"),
                band.hours_per_week,
            )?;
            if h > current {
                return Err(InputError::new(
                    format!("employee.irregular_hours[{i}].hours_per_week"),
                    ErrorCode::HoursOutOfRange,
                    "Je onregelmatige uren kunnen niet meer zijn dan je contracturen.",
                ));
            }
            let pct = &band.percentage;
            let field = format!("employee.irregular_hours[{i}].percentage");
            if pct.is_sign_negative() || *pct > Decimal::from(200) {
                return Err(InputError::new(
                    field,
                    ErrorCode::TooLarge,
                    "Vul een percentage in van 0 tot en met 200.",
                ));
            }
            let rate = Rate::from_percent(*pct).ok_or_else(|| {
                InputError::new(
                    field,
                    ErrorCode::TooManyDecimals,
                    "Vul een percentage in met hoogstens 4 cijfers achter de komma.",
                )
            })?;
            // Own hourly wage at the current hours, in cents.
            let hourly = match wage {
                WageBasis::Hourly(c) => c,
                WageBasis::Annual {
                    cents,
                    at_centihours,
                } => crate::money::mul_div_round(
                    cents,
                    100,
                    at_centihours * crate::engine::WEEKS_PER_YEAR,
                ),
            };
            // hourly × hours × 52 weeks × percentage.
            irregular += rate.round(crate::money::mul_div_round(
                hourly,
                h * crate::engine::WEEKS_PER_YEAR,
                100,
            ));
        }
        if irregular > 0 && current == 0 {
            return Err(InputError::new(
                "employee.hours_per_week",
                ErrorCode::HoursOutOfRange,
                "Bij een onregelmatigheidstoeslag hoort een aantal uren per week dat groter is dan 0.",
            ));
        }

        let partner = match &self.partner {
            None => None,
            Some(p) => {
                if let Some(a) = p.age
                    && !(15..rules.general.aow_age).contains(&a)
                {
                    return Err(InputError::new(
                        "partner.age",
                        ErrorCode::AowAgeUnsupported,
                        format!(
                            "De berekenaar rekent met een partner van 15 jaar tot de AOW-leeftijd ({} jaar).",
                            rules.general.aow_age
                        ),
                    ));
                }
                let h = match p.hours_per_week {
                    Some(h) => hours("partner.hours_per_week", h)?,
                    None => rules.general.full_time_centihours,
                };
                let gross = money("partner.annual_gross_wage", p.annual_gross_wage, 1_000_000)?;
                if gross > 0 && h == 0 {
                    return Err(InputError::new(
                        "partner.hours_per_week",
                        ErrorCode::HoursOutOfRange,
                        "Bij een loon hoort een aantal uren per week dat groter is dan 0.",
                    ));
                }
                let pension = p.pension == PensionChoice::Pfzw;
                let pension_premium = if pension {
                    crate::engine::pension_premium(
                        &rules.pension,
                        gross,
                        h,
                        rules.general.full_time_centihours,
                    )
                } else {
                    0
                };
                let taxable = crate::money::floor_euro(gross - pension_premium).max(0);
                Some(Partner {
                    age: p.age.unwrap_or(30),
                    gross,
                    pension,
                    pension_premium,
                    taxable,
                    tax: [
                        crate::engine::person_tax(rules, taxable, false),
                        crate::engine::person_tax(rules, taxable, true),
                    ],
                })
            }
        };

        let mut child_ages = Vec::with_capacity(self.children.len());
        for (i, c) in self.children.iter().enumerate() {
            if c.age > 17 {
                return Err(InputError::new(
                    format!("children[{i}].age"),
                    ErrorCode::ChildAgeOutOfRange,
                    "Vul alleen kinderen jonger dan 18 jaar in.",
                ));
            }
            child_ages.push(c.age);
        }
        if child_ages.len() > 12 {
            return Err(InputError::new(
                "children",
                ErrorCode::TooLarge,
                "De berekenaar rekent met hoogstens 12 kinderen.",
            ));
        }

        let rent = match self.rent_per_month {
            Some(d) => money("rent_per_month", d, 10_000)?,
            None => 0,
        };
        let service_costs = match self.service_costs_per_month {
            Some(d) => money("service_costs_per_month", d, 2_000)?,
            None => 0,
        };
        let assets = match self.assets {
            Some(d) => money("assets", d, 100_000_000)?,
            None => 0,
        };

        let care = validate_care(&self.childcare, &child_ages, &rules.kot)?;

        if self.hours.len() > MAX_SCENARIOS {
            return Err(InputError::new(
                "hours",
                ErrorCode::TooManyScenarios,
                format!("Vergelijk hoogstens {MAX_SCENARIOS} aantallen uren tegelijk."),
            ));
        }
        let scenarios = self
            .hours
            .iter()
            .enumerate()
            .map(|(i, h)| hours(&format!("hours[{i}]"), *h))
            .collect::<Result<Vec<_>, _>>()?;

        Ok(Household {
            employee: Employee {
                wage,
                current_centihours: current,
                holiday_allowance: e.holiday_allowance,
                year_end_bonus,
                irregular_per_year: irregular,
                pension: e.pension == PensionChoice::Pfzw,
                age,
            },
            partner,
            child_ages,
            rent,
            service_costs,
            care,
            assets,
            scenarios,
        })
    }
}

fn validate_care(
    items: &[ChildcareInput],
    ages: &[u32],
    kot: &Kot,
) -> Result<Vec<Care>, InputError> {
    let mut seen = vec![false; ages.len()];
    let mut out: Vec<(Cents, i64, Care)> = Vec::with_capacity(items.len());
    for (i, c) in items.iter().enumerate() {
        let f = |name: &str| format!("childcare[{i}].{name}");
        let Some(&age) = ages.get(c.child) else {
            return Err(InputError::new(
                f("child"),
                ErrorCode::ChildcareChildUnknown,
                "Dit kind staat niet in de lijst met kinderen. Tel de kinderen vanaf 0.",
            ));
        };
        if seen[c.child] {
            return Err(InputError::new(
                f("child"),
                ErrorCode::ChildcareDuplicateChild,
                "Vul per kind één soort opvang in.",
            ));
        }
        seen[c.child] = true;
        let (ok, max_price, label) = match c.kind {
            ChildcareType::Dagopvang => (
                age <= 4,
                kot.max_hourly_dagopvang,
                "dagopvang is voor kinderen tot de basisschool (tot en met 4 jaar)",
            ),
            ChildcareType::Bso => (
                (4..=12).contains(&age),
                kot.max_hourly_bso,
                "buitenschoolse opvang is voor kinderen van 4 tot en met 12 jaar",
            ),
            ChildcareType::Gastouder => (
                age <= 12,
                kot.max_hourly_gastouder,
                "gastouderopvang is voor kinderen tot en met 12 jaar",
            ),
        };
        if !ok {
            return Err(InputError::new(
                f("type"),
                ErrorCode::ChildcareTypeAge,
                format!("Deze opvang past niet bij de leeftijd: {label}."),
            ));
        }
        let h = money(&f("hours_per_month"), c.hours_per_month, 744)?;
        let price = money(&f("price_per_hour"), c.price_per_hour, 100)?;
        // h is in hundredths of an hour; cost = price × hours.
        let actual = crate::money::to_i64(crate::money::div_round(
            i128::from(price) * i128::from(h),
            100,
        ));
        let sub_hours = h.min(kot.max_hours_per_month * 100);
        let subsidisable = crate::money::to_i64(crate::money::div_round(
            i128::from(price.min(max_price)) * i128::from(sub_hours),
            100,
        ));
        out.push((
            sub_hours,
            subsidisable,
            Care {
                subsidisable,
                actual,
            },
        ));
    }
    // First child: most subsidisable hours; tie: highest subsidisable cost.
    out.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)));
    Ok(out.into_iter().map(|(_, _, c)| c).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dutch_number_formats() {
        assert_eq!(nl_thousands(1234567), "1.234.567");
        assert_eq!(nl_thousands(999), "999");
        assert_eq!(nl_euros(123456), "1.234,56");
        assert_eq!(nl_euros(1471), "14,71");
    }

    #[test]
    fn serde_field_extraction() {
        assert_eq!(
            field_from_serde("unknown field `foo`, expected one of"),
            Some("foo".into())
        );
        assert_eq!(
            field_from_serde("missing field `year` at line 1"),
            Some("year".into())
        );
        assert_eq!(field_from_serde("expected value"), None);
    }
}
