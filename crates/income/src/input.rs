//! The calculator's input (JSON), its validation, and the input error type.
//!
//! Validation turns a [`CalcInput`] into an internal, integer-only [`Household`];
//! every refusal is an [`InputError`] naming the field, with a stable machine code and
//! a plain-Dutch message. Nothing here logs or stores what was entered.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::cao::{CaoRules, OrtSlot};
use crate::money::{
    Cents, Rate, cents_from_decimal, mul_div_round, serialize_decimal, serialize_decimal_opt,
};
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
    /// Workdays per week in each scenario of `hours` (same order; optional). With the
    /// CAO VVT from 2026, each day beyond the current days earns the extra-workday
    /// allowance (art. 4.9).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub days_per_week: Vec<u32>,
    /// Childcare hours grow and shrink with the worked hours: hours per month ×
    /// scenario hours / current hours.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub childcare_hours_follow_work: bool,
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
/// `fwg` + `step` (with `cao` = `"vvt"`), or `annual_gross_wage` (at `hours_per_week`).
/// `cao` may also accompany an hourly wage: `"vvt"`, `"gz"`, `"ggz"`, `"ziekenhuis"` or
/// `"jeugdzorg"` select that CAO's holiday allowance and year-end bonus rules.
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
    /// The cao's periodiek: a number, or `"zij-instroom"`, `"aanloop 0"`, `"aanloop 1"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step: Option<Step>,
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
    /// Year-end bonus (eindejaarsuitkering); absent: yes with a `cao`, no without.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year_end_bonus: Option<bool>,
    /// Year-end bonus as a percentage of the base salary; defaults to the `cao`'s
    /// percentage, required when `year_end_bonus` is true without a `cao`.
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
    /// Workdays per week now (default: the CAO VVT norm for the hours, art. 3.2 lid 4).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub days_per_week: Option<u32>,
}

/// A periodiek: its number, or its name in the cao.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Step {
    Number(u32),
    Name(String),
}

impl Step {
    pub fn as_text(&self) -> String {
        match self {
            Step::Number(n) => n.to_string(),
            Step::Name(s) => s.trim().to_owned(),
        }
    }
}

fn yes() -> bool {
    true
}

/// Irregular hours in one ORT band, e.g. 4 hours a week at 47 %, or 4 hours a week in
/// the CAO VVT slot `weekday_night` (the year's percentage from the cao).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IrregularHours {
    #[serde(serialize_with = "serialize_decimal")]
    pub hours_per_week: Decimal,
    /// Allowance as a percentage of the hourly wage (the CAO's ORT percentage).
    #[serde(
        default,
        serialize_with = "serialize_decimal_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub percentage: Option<Decimal>,
    /// A CAO VVT time slot (art. 4.4) instead of a percentage.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slot: Option<OrtSlot>,
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
    CaoUnknown,
    CaoStepUnknown,
    OrtSlotUnavailable,
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
            ErrorCode::CaoUnknown => "cao_unknown",
            ErrorCode::CaoStepUnknown => "cao_step_unknown",
            ErrorCode::OrtSlotUnavailable => "ort_slot_unavailable",
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
        let mut de = serde_json::Deserializer::from_str(text);
        let input = serde_path_to_error::deserialize(&mut de).map_err(|e| {
            let path = e.path().to_string();
            json_error(&path, e.inner())
        })?;
        // Nothing but whitespace may follow the value.
        de.end().map_err(|e| json_error("", &e))?;
        Ok(input)
    }
}

/// A JSON error as a Dutch message with the field it is about (issue 34: the message had
/// no field and an English technical detail). Missing and unknown fields are named by
/// their key, as the engine's own errors are; wrong values by their path; broken JSON
/// by `body` with the line and column.
fn json_error(path: &str, e: &serde_json::Error) -> InputError {
    use serde_json::error::Category;
    let code = ErrorCode::InvalidJson;
    if matches!(
        e.classify(),
        Category::Syntax | Category::Eof | Category::Io
    ) {
        return InputError::new(
            "body",
            code,
            format!(
                "De invoer is geen geldige JSON (regel {}, kolom {}). Controleer de haakjes, \
                 komma's en aanhalingstekens.",
                e.line(),
                e.column()
            ),
        );
    }
    let msg = e.to_string();
    let key = |marker: &str| {
        msg.find(marker).and_then(|i| {
            let rest = &msg[i + marker.len()..];
            rest.find('`').map(|j| rest[..j].to_owned())
        })
    };
    let at = if path.is_empty() || path == "." {
        "body".to_owned()
    } else {
        path.to_owned()
    };
    if let Some(f) = key("missing field `") {
        return InputError::new(
            f.clone(),
            code,
            format!("Het veld '{f}' ontbreekt. Vul het in."),
        );
    }
    if let Some(f) = key("unknown field `") {
        return InputError::new(
            f.clone(),
            code,
            format!("Het veld '{f}' bestaat niet. Haal het weg of controleer de spelling."),
        );
    }
    if let Some(v) = key("unknown variant `") {
        return InputError::new(
            at.clone(),
            code,
            format!("'{v}' is geen geldige keuze voor het veld '{at}'."),
        );
    }
    InputError::new(
        at.clone(),
        code,
        format!(
            "Het veld '{at}' heeft een verkeerd soort waarde, bijvoorbeeld tekst waar een \
             getal hoort."
        ),
    )
}

#[cfg(test)]
mod json_error_tests {
    use super::*;

    /// Every JSON error names a field and speaks Dutch, without an English detail.
    #[test]
    fn json_errors_name_a_field_in_dutch() {
        for (text, field) in [
            ("{", "body"),
            ("niet eens json", "body"),
            (r#"{"year": "2026"}"#, "year"),
            (
                r#"{"year": 2026, "employee": {"hours_per_week": "veel"}}"#,
                "employee.hours_per_week",
            ),
            (
                r#"{"year": 2026, "employee": {"hourly_wage": 18, "hours_per_week": 24}, "x": 1}"#,
                "x",
            ),
            (
                r#"{"year": 2026, "employee": {"hourly_wage": 18}}"#,
                "hours_per_week",
            ),
        ] {
            let e = CalcInput::from_json(text).unwrap_err();
            assert_eq!(e.code, ErrorCode::InvalidJson, "{text}");
            assert_eq!(e.field, field, "{text}: {}", e.message);
            for english in ["expected", "invalid type", "line ", "Technisch"] {
                assert!(!e.message.contains(english), "{text}: {}", e.message);
            }
        }
    }
}

// ---------------------------------------------------------------- validated household

/// How the employee's base salary follows the hours.
#[derive(Debug, Clone)]
pub(crate) enum WageBasis {
    /// Cents per hour.
    Hourly(Cents),
    /// Cents per year at the given centi-hours per week.
    Annual { cents: Cents, at_centihours: i64 },
    /// A cao salary table: runs of (months, full-time monthly cents) over the year, at
    /// `full_time` centi-hours; part-time pro rata per month.
    Monthly {
        runs: Vec<(i64, Cents)>,
        full_time: i64,
    },
}

/// The cao chosen with the wage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CaoChoice {
    Vvt,
    /// Index into [`CaoRules::other`].
    Other(usize),
}

impl CaoChoice {
    fn parse(id: &str, cao: &CaoRules) -> Result<CaoChoice, InputError> {
        let key = id.to_ascii_lowercase();
        if key == "vvt" {
            return Ok(CaoChoice::Vvt);
        }
        match cao.other.iter().position(|o| o.id == key) {
            Some(i) => Ok(CaoChoice::Other(i)),
            None => Err(InputError::new(
                "employee.cao",
                ErrorCode::CaoUnknown,
                format!(
                    "Deze cao kennen we niet. Kies uit: vvt, {}; of laat de cao leeg en vul je uurloon en het percentage van je eindejaarsuitkering in.",
                    cao.other
                        .iter()
                        .map(|o| o.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )),
        }
    }
}

/// The salary-table facts behind a `fwg` + `step` wage, for the output.
#[derive(Debug, Clone)]
pub(crate) struct ScaleSalary {
    pub fwg: u32,
    pub scale: u32,
    pub step: String,
    pub runs: Vec<(i64, Cents)>,
}

#[derive(Debug, Clone)]
pub(crate) struct Employee {
    pub wage: WageBasis,
    pub cao: Option<CaoChoice>,
    pub salary: Option<ScaleSalary>,
    pub current_centihours: i64,
    pub holiday_allowance: bool,
    pub holiday_rate: Rate,
    /// Full-time minimum holiday allowance (0: none), pro rata to the hours.
    pub holiday_min_ft: Cents,
    pub year_end_bonus: Option<Rate>,
    /// Full-time minimum year-end bonus (0: none), pro rata to the hours.
    pub year_end_bonus_min_ft: Cents,
    /// The bonus is a percentage of salary plus holiday allowance (Jeugdzorg art. 7.2).
    pub year_end_bonus_incl_holiday: bool,
    /// Full-time hours the minimums are pro rata to (centi-hours).
    pub minimum_full_time: i64,
    /// ORT per year at `current_centihours`.
    pub irregular_per_year: Cents,
    pub pension: bool,
    pub age: u32,
    /// Extra-workday allowance per year for one extra day a week (0: none).
    pub extra_day_per_year: Cents,
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

/// One child in childcare, costs precomputed at the given hours (they do not depend
/// on income; with `childcare_hours_follow_work` they are recomputed per hours level).
#[derive(Debug, Clone)]
pub(crate) struct Care {
    /// Subsidisable cost per month in cents (capped price × capped hours).
    pub subsidisable: Cents,
    /// Actual cost per month in cents.
    pub actual: Cents,
    /// Hours per month as given (centi-hours), the price and the capped price (cents).
    pub centihours: i64,
    pub price: Cents,
    pub price_cap: Cents,
    /// Subsidisable hours per month at most (centi-hours).
    pub max_centihours: i64,
}

impl Care {
    /// (subsidisable, actual) cost per month with `centihours` of care a month.
    pub(crate) fn costs_at(&self, centihours: i64) -> (Cents, Cents) {
        let sub = mul_div_round(self.price_cap, centihours.min(self.max_centihours), 100);
        (sub, mul_div_round(self.price, centihours, 100))
    }
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
    /// (centi-hours per week, extra workdays per week) per scenario.
    pub scenarios: Vec<(i64, i64)>,
    /// Childcare hours scale with worked hours / current hours.
    pub care_follows_work: bool,
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
pub(crate) use report::nl::integer as nl_thousands;

/// `1471` cents → `"14,71"`.
pub(crate) use report::nl::cents_amount as nl_euros;

impl CalcInput {
    pub(crate) fn validate(
        &self,
        rules: &Rules,
        cao_rules: &CaoRules,
    ) -> Result<Household, InputError> {
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
                        "De berekenaar rekent niet voor mensen van de AOW-leeftijd ({} jaar in {}) of ouder: vanaf die leeftijd gelden andere belastingtarieven en heffingskortingen (zoals de ouderenkorting) en krijg je AOW. Die regels zitten niet in de berekenaar; we laten liever geen bedrag zien dan een verkeerd bedrag.",
                        rules.general.aow_age, rules.year
                    ),
                ));
            }
            Some(a) => a,
        };

        let current = hours("employee.hours_per_week", e.hours_per_week)?;
        let cao = match e.cao.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(id) => Some(CaoChoice::parse(id, cao_rules)?),
        };
        let scale_given = e.fwg.is_some() || e.step.is_some();
        let sources = [
            e.hourly_wage.is_some(),
            scale_given,
            e.annual_gross_wage.is_some(),
        ];
        let n_sources = sources.iter().filter(|b| **b).count();
        if n_sources == 0 {
            return Err(InputError::new(
                "employee",
                ErrorCode::WageSourceMissing,
                "Vul je bruto uurloon in, of je cao-schaal en trede, of je jaarsalaris bij je huidige uren.",
            ));
        }
        if n_sources > 1 {
            return Err(InputError::new(
                "employee",
                ErrorCode::WageSourceAmbiguous,
                "Vul maar één van deze in: uurloon, cao-schaal met trede, of jaarsalaris.",
            ));
        }
        let mut salary = None;
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
            let info = scale_salary(e, cao, cao_rules, rules.year)?;
            let runs = info.runs.clone();
            salary = Some(info);
            WageBasis::Monthly {
                runs,
                full_time: cao_rules.vvt.full_time_centihours,
            }
        };

        // Holiday allowance and year-end bonus: the CAO's rules, or the law's 8 % and a
        // given percentage without a CAO.
        let vvt = &cao_rules.vvt;
        let minimums_apply = age >= vvt.minimum_from_age;
        let (holiday_rate, holiday_min_ft, cao_bonus, bonus_min_ft, bonus_incl_holiday) = match cao
        {
            None => (rules.general.holiday_allowance_rate, 0, None, 0, false),
            Some(CaoChoice::Vvt) => {
                let (eju_min, hol_min) = vvt
                    .minimums(rules.year)
                    .ok_or_else(|| cao_year_error(cao_rules, rules.year))?;
                (
                    vvt.holiday_rate,
                    if minimums_apply { hol_min } else { 0 },
                    Some(vvt.year_end_bonus_rate),
                    if minimums_apply { eju_min } else { 0 },
                    false,
                )
            }
            Some(CaoChoice::Other(i)) => {
                let o = &cao_rules.other[i];
                (
                    o.holiday_rate,
                    0,
                    Some(o.year_end_bonus_rate),
                    0,
                    o.year_end_bonus_includes_holiday,
                )
            }
        };
        let bonus_on = e.year_end_bonus.unwrap_or(cao.is_some());
        let year_end_bonus = if bonus_on {
            match (e.year_end_bonus_percentage, cao_bonus) {
                (Some(p), _) => {
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
                }
                (None, Some(r)) => Some(r),
                (None, None) => {
                    return Err(InputError::new(
                        "employee.year_end_bonus_percentage",
                        ErrorCode::YearEndBonusPercentageRequired,
                        "Kies je cao (dan rekenen we met het percentage uit de cao), of vul het percentage van je eindejaarsuitkering in (zie je loonstrook).",
                    ));
                }
            }
        } else {
            None
        };

        // ORT: a yearly amount, and/or hours per week per band (a percentage, or a CAO VVT
        // slot at the year's percentage), at the current hours.
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
            let monthly_rates: [Rate; 12] = match (&band.percentage, band.slot) {
                (Some(pct), None) => {
                    let field = format!("employee.irregular_hours[{i}].percentage");
                    if pct.is_sign_negative() || *pct > Decimal::from(200) {
                        return Err(InputError::new(
                            field,
                            ErrorCode::TooLarge,
                            "Vul een percentage in van 0 tot en met 200.",
                        ));
                    }
                    [Rate::from_percent(*pct).ok_or_else(|| {
                        InputError::new(
                            field,
                            ErrorCode::TooManyDecimals,
                            "Vul een percentage in met hoogstens 4 cijfers achter de komma.",
                        )
                    })?; 12]
                }
                (None, Some(slot)) => {
                    let field = format!("employee.irregular_hours[{i}].slot");
                    if cao != Some(CaoChoice::Vvt) {
                        return Err(InputError::new(
                            field,
                            ErrorCode::OrtSlotUnavailable,
                            "De ORT-percentages per tijdvak kennen we alleen van de cao VVT. Kies de cao VVT, of vul het ORT-percentage of je ORT per jaar in.",
                        ));
                    }
                    vvt.ort_months(slot, rules.year).ok_or_else(|| {
                        InputError::new(
                            field,
                            ErrorCode::OrtSlotUnavailable,
                            format!(
                                "De ORT-percentages van de cao VVT voor {} hebben we nog niet. Vul het ORT-percentage of je ORT per jaar in.",
                                rules.year
                            ),
                        )
                    })?
                }
                _ => {
                    return Err(InputError::new(
                        format!("employee.irregular_hours[{i}]"),
                        ErrorCode::WageSourceAmbiguous,
                        "Vul per regel onregelmatige uren óf een percentage óf een tijdvak in.",
                    ));
                }
            };
            irregular += ort_per_year(&wage, h, &monthly_rates);
        }
        if irregular > 0 && current == 0 {
            return Err(InputError::new(
                "employee.hours_per_week",
                ErrorCode::HoursOutOfRange,
                "Bij een onregelmatigheidstoeslag hoort een aantal uren per week dat groter is dan 0.",
            ));
        }

        // Workdays: now, and per scenario; the extra-workday allowance (CAO VVT art. 4.9).
        let current_days = match e.days_per_week {
            Some(d) if (1..=7).contains(&d) => d,
            Some(_) => {
                return Err(InputError::new(
                    "employee.days_per_week",
                    ErrorCode::HoursOutOfRange,
                    "Vul een aantal werkdagen per week in van 1 tot en met 7.",
                ));
            }
            None => vvt.norm_days(current),
        };
        let extra_day_per_year = if cao == Some(CaoChoice::Vvt) {
            // € 25 a day, every week of the months in force: amount × 52 × months / 12.
            mul_div_round(
                vvt.extra_workday_amount,
                crate::engine::WEEKS_PER_YEAR * vvt.extra_workday_months(rules.year),
                12,
            )
        } else {
            0
        };

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
        if !self.days_per_week.is_empty() && self.days_per_week.len() != self.hours.len() {
            return Err(InputError::new(
                "days_per_week",
                ErrorCode::TooManyScenarios,
                "Vul bij elk aantal uren ook het aantal werkdagen in (evenveel getallen als bij 'hours'), of laat de werkdagen weg.",
            ));
        }
        let mut scenarios = Vec::with_capacity(self.hours.len());
        for (i, h) in self.hours.iter().enumerate() {
            let ch = hours(&format!("hours[{i}]"), *h)?;
            let extra = match self.days_per_week.get(i) {
                None => 0,
                Some(d) if (1..=7).contains(d) => i64::from(d.saturating_sub(current_days)),
                Some(_) => {
                    return Err(InputError::new(
                        format!("days_per_week[{i}]"),
                        ErrorCode::HoursOutOfRange,
                        "Vul een aantal werkdagen per week in van 1 tot en met 7.",
                    ));
                }
            };
            scenarios.push((ch, extra));
        }

        Ok(Household {
            employee: Employee {
                wage,
                cao,
                salary,
                current_centihours: current,
                holiday_allowance: e.holiday_allowance,
                holiday_rate,
                holiday_min_ft,
                year_end_bonus,
                year_end_bonus_min_ft: bonus_min_ft,
                year_end_bonus_incl_holiday: bonus_incl_holiday,
                minimum_full_time: vvt.full_time_centihours,
                irregular_per_year: irregular,
                pension: e.pension == PensionChoice::Pfzw,
                age,
                extra_day_per_year,
            },
            partner,
            child_ages,
            rent,
            service_costs,
            care,
            assets,
            scenarios,
            care_follows_work: self.childcare_hours_follow_work,
        })
    }
}

/// The salary of a `fwg` + `step` in the CAO VVT table for `year`.
fn scale_salary(
    e: &EmployeeInput,
    cao: Option<CaoChoice>,
    cao_rules: &CaoRules,
    year: i32,
) -> Result<ScaleSalary, InputError> {
    match cao {
        Some(CaoChoice::Vvt) => {}
        None => {
            return Err(InputError::new(
                "employee.cao",
                ErrorCode::WageSourceMissing,
                "Bij een FWG-schaal en trede hoort een cao: kies de cao VVT (\"cao\": \"vvt\"). Werk je onder een andere cao, vul dan je bruto uurloon in.",
            ));
        }
        Some(CaoChoice::Other(i)) => {
            return Err(InputError::new(
                "employee.cao",
                ErrorCode::CaoTableUnavailable,
                format!(
                    "De loontabel van de {} hebben we niet. Vul je bruto uurloon in; dat staat op je loonstrook. Het vakantiegeld en de eindejaarsuitkering van je cao rekenen we wel mee.",
                    cao_rules.other[i].name
                ),
            ));
        }
    }
    let vvt = &cao_rules.vvt;
    // The lookups allocate nothing on the way to a valid row; the lists of scales and
    // steps are built only for an error message.
    let steps_of = |scale: u32| -> String {
        vvt.scales()
            .into_iter()
            .find(|s| s.fwg == scale)
            .map(|s| s.steps.join(", "))
            .unwrap_or_default()
    };
    let Some(fwg) = e.fwg else {
        return Err(InputError::new(
            "employee.fwg",
            ErrorCode::WageSourceMissing,
            "Vul je FWG-schaal in (staat op je loonstrook of in je contract), of vul je uurloon in.",
        ));
    };
    let scale = vvt.scale_of(fwg);
    if !vvt.has_scale(fwg) {
        return Err(InputError::new(
            "employee.fwg",
            ErrorCode::CaoStepUnknown,
            format!(
                "FWG {fwg} staat niet in de loontabel van de {}. Kies uit: {}.",
                vvt.name,
                vvt.scales()
                    .iter()
                    .map(|s| s.fwg.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ));
    }
    let Some(step) = &e.step else {
        return Err(InputError::new(
            "employee.step",
            ErrorCode::WageSourceMissing,
            format!(
                "Vul je trede (periodiek) in. In FWG {scale} zijn dat: {}.",
                steps_of(scale)
            ),
        ));
    };
    let Some(row) = vvt.row(fwg, &step.as_text()) else {
        return Err(InputError::new(
            "employee.step",
            ErrorCode::CaoStepUnknown,
            format!(
                "Trede '{}' bestaat niet in FWG {scale}. Kies uit: {}.",
                step.as_text(),
                steps_of(scale)
            ),
        ));
    };
    let runs = vvt
        .year_months(row, year)
        .ok_or_else(|| cao_year_error(cao_rules, year))?;
    Ok(ScaleSalary {
        fwg,
        scale,
        step: row.step.clone(),
        runs,
    })
}

fn cao_year_error(cao: &CaoRules, year: i32) -> InputError {
    let years: Vec<String> = cao.vvt.years().iter().map(i32::to_string).collect();
    InputError::new(
        "employee.cao",
        ErrorCode::CaoTableUnavailable,
        format!(
            "De loontabel van de {} voor {year} hebben we nog niet; we hebben die voor {}. Kies een van die jaren, of vul je bruto uurloon in.",
            cao.vvt.name,
            years.join(" en ")
        ),
    )
}

/// ORT per year for `h` centi-hours a week at a percentage per month of the year.
/// With a salary table: monthly salary × percentage × h / full time, per month (the
/// ORT hourly wage is monthly × 12 / 1878 and a month has h × 156,5 / 36 hours,
/// art. 1.1 lid 20). Otherwise: hourly wage × h × 52 / 12 × percentage, per month.
fn ort_per_year(wage: &WageBasis, h: i64, rates: &[Rate; 12]) -> Cents {
    match wage {
        WageBasis::Monthly { runs, full_time } => {
            let mut m = 0;
            let mut total = 0;
            for (n, amount) in runs {
                let base = mul_div_round(*amount, h, *full_time);
                for _ in 0..*n {
                    total += rates[m].round(base);
                    m += 1;
                }
            }
            total
        }
        WageBasis::Hourly(_) | WageBasis::Annual { .. } => {
            let hourly = match wage {
                WageBasis::Hourly(c) => *c,
                WageBasis::Annual {
                    cents,
                    at_centihours,
                } => mul_div_round(*cents, 100, at_centihours * crate::engine::WEEKS_PER_YEAR),
                WageBasis::Monthly { .. } => 0,
            };
            // hourly × hours a week × 52 weeks / 12 months, per month at its rate.
            let month = mul_div_round(hourly, h * crate::engine::WEEKS_PER_YEAR, 1200);
            if rates.iter().all(|r| *r == rates[0]) {
                // One rate all year: as the yearly amount (no per-month rounding).
                rates[0].round(mul_div_round(
                    hourly,
                    h * crate::engine::WEEKS_PER_YEAR,
                    100,
                ))
            } else {
                rates.iter().map(|r| r.round(month)).sum()
            }
        }
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
                centihours: h,
                price,
                price_cap: price.min(max_price),
                max_centihours: kot.max_hours_per_month * 100,
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
}
