//! The calculator's output (JSON): per scenario the full breakdown, the difference
//! with the current hours and the marginal burden; the 0–40 h curve with its cliffs.

use rust_decimal::Decimal;
use serde::Serialize;

use crate::engine::Breakdown;
use crate::input::InputError;
use crate::money::{Cents, Euros, Share, serialize_decimal};

/// A step in the curve is a cliff when at least this share of the extra gross pay
/// is lost (in ten-thousandths). CPB ("Marginale drukte", 24-11-2022): about 2 % of
/// workers face more than 80 %.
pub const CLIFF_THRESHOLD: Share = Share(8000);

/// Result of [`crate::RuleBook::calculate`].
#[derive(Debug, Clone, Serialize)]
pub struct CalcOutput {
    pub year: i32,
    /// The household at the current hours (`employee.hours_per_week`).
    pub current: Scenario,
    /// One per entry of `hours`, in the same order.
    pub scenarios: Vec<Scenario>,
    /// Steep steps between whole hours in 0..=40 (as in [`Curve::cliffs`]).
    pub cliffs: Vec<Cliff>,
    pub cliff_threshold: Share,
    /// Assumptions and limits that apply to this calculation, in Dutch.
    pub notes: Vec<Note>,
    /// The salary-table facts behind a `cao` + `fwg` + `step` wage (absent otherwise).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub salary_table: Option<SalaryTable>,
}

/// Where the salary came from: scale, step, and the monthly amounts in force.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SalaryTable {
    pub cao: String,
    pub fwg: u32,
    /// The scale paid (FWG 5 and 10 are paid on scale 15).
    pub scale: u32,
    pub step: String,
    /// Runs of months with the same monthly amount, in calendar order.
    pub periods: Vec<SalaryPeriodOut>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SalaryPeriodOut {
    /// First and last month (1-12) of the run.
    pub from_month: u32,
    pub to_month: u32,
    /// Monthly salary at full time (36 h).
    pub monthly_full_time: Euros,
    /// Monthly salary at the current hours.
    pub monthly_at_current_hours: Euros,
    /// The cao's hourly wage: monthly × 12 / 1878 (art. 1.1 lid 20).
    pub hourly_wage: Euros,
}

/// An assumption or limit of the calculation, with a stable code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Note {
    pub code: &'static str,
    pub text: &'static str,
}

/// One number of hours. Amounts are euros per year unless the name says otherwise.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scenario {
    #[serde(serialize_with = "serialize_decimal")]
    pub hours_per_week: Decimal,
    pub base_salary: Euros,
    pub holiday_allowance: Euros,
    pub year_end_bonus: Euros,
    pub irregular_allowance: Euros,
    /// CAO VVT art. 4.9: € 25 per extra workday a week (from 2026), per year.
    pub extra_workday_allowance: Euros,
    /// Employee gross pay: base + ORT + holiday allowance + year-end bonus + extra-workday allowance.
    pub gross_wage: Euros,
    /// Employee share of the pension premium.
    pub pension_premium: Euros,
    /// Box 1 taxable income (= arbeidsinkomen), rounded down to whole euros.
    pub taxable_income: Euros,
    pub income_tax_before_credits: Euros,
    pub general_tax_credit: Euros,
    pub labour_tax_credit: Euros,
    pub combination_tax_credit: Euros,
    /// Box 1 tax and premiums after credits (never below zero).
    pub income_tax: Euros,
    /// Employee: gross − pension premium − income tax.
    pub net_wage: Euros,
    pub partner_gross_wage: Euros,
    pub partner_pension_premium: Euros,
    pub partner_income_tax: Euros,
    pub partner_net_wage: Euros,
    /// Household toetsingsinkomen for the toeslagen.
    pub household_income: Euros,
    /// Toeslagen: the yearly entitlement as the definitive settlement computes it
    /// (to the cent; zorgtoeslag and kindgebonden budget by their yearly formula,
    /// huurtoeslag and kinderopvangtoeslag 12 × the law's monthly amount).
    pub zorgtoeslag: Euros,
    pub huurtoeslag: Euros,
    pub kindgebonden_budget: Euros,
    pub kinderopvangtoeslag: Euros,
    /// The monthly advances paid during the year (whole euros, rounded down).
    pub zorgtoeslag_advance_per_month: Euros,
    pub huurtoeslag_advance_per_month: Euros,
    pub kindgebonden_budget_advance_per_month: Euros,
    pub kinderopvangtoeslag_advance_per_month: Euros,
    /// What the childcare costs (not deducted from disposable income).
    pub childcare_costs: Euros,
    /// net_wage + partner_net_wage + the four toeslagen.
    pub disposable_income: Euros,
    pub disposable_income_per_month: Euros,
    pub disposable_income_after_childcare: Euros,
    pub extra_gross_wage_per_month: Euros,
    pub extra_disposable_income_per_month: Euros,
    /// Share of the extra gross pay (against the current hours) lost to tax,
    /// premiums and lower toeslagen; null at the current hours.
    pub marginal_burden: Option<Share>,
}

fn per_month(c: Cents) -> Euros {
    Euros(crate::money::mul_div_round(c, 1, 12))
}

pub(crate) fn hours_decimal(centihours: i64) -> Decimal {
    if centihours % 100 == 0 {
        Decimal::from(centihours / 100)
    } else {
        Decimal::new(centihours, 2).normalize()
    }
}

impl Scenario {
    pub(crate) fn new(b: &Breakdown, current: &Breakdown) -> Scenario {
        Scenario {
            hours_per_week: hours_decimal(b.centihours),
            base_salary: Euros(b.base_salary),
            holiday_allowance: Euros(b.holiday),
            year_end_bonus: Euros(b.year_end_bonus),
            irregular_allowance: Euros(b.irregular),
            extra_workday_allowance: Euros(b.extra_days),
            gross_wage: Euros(b.gross),
            pension_premium: Euros(b.pension),
            taxable_income: Euros(b.taxable),
            income_tax_before_credits: Euros(b.tax.before_credits),
            general_tax_credit: Euros(b.tax.ahk),
            labour_tax_credit: Euros(b.tax.ak),
            combination_tax_credit: Euros(b.tax.iack),
            income_tax: Euros(b.tax.income_tax),
            net_wage: Euros(b.net),
            partner_gross_wage: Euros(b.partner_gross),
            partner_pension_premium: Euros(b.partner_pension),
            partner_income_tax: Euros(b.partner_tax.income_tax),
            partner_net_wage: Euros(b.partner_net),
            household_income: Euros(b.household_income),
            zorgtoeslag: Euros(b.zorgtoeslag),
            huurtoeslag: Euros(b.huurtoeslag),
            kindgebonden_budget: Euros(b.kgb),
            kinderopvangtoeslag: Euros(b.kot),
            zorgtoeslag_advance_per_month: Euros(b.zorgtoeslag_month),
            huurtoeslag_advance_per_month: Euros(b.huurtoeslag_month),
            kindgebonden_budget_advance_per_month: Euros(b.kgb_month),
            kinderopvangtoeslag_advance_per_month: Euros(b.kot_month),
            childcare_costs: Euros(b.childcare_costs),
            disposable_income: Euros(b.disposable),
            disposable_income_per_month: per_month(b.disposable),
            disposable_income_after_childcare: Euros(b.disposable - b.childcare_costs),
            extra_gross_wage_per_month: per_month(b.gross - current.gross),
            extra_disposable_income_per_month: per_month(b.disposable - current.disposable),
            marginal_burden: Share::burden(
                b.disposable - current.disposable,
                b.gross - current.gross,
            ),
        }
    }
}

/// Net income against hours, 0..=40 h per week in whole hours.
#[derive(Debug, Clone, Serialize)]
pub struct Curve {
    pub year: i32,
    pub current: Scenario,
    pub points: Vec<CurvePoint>,
    /// Steps (h → h+1) where at least `cliff_threshold` of the extra gross is lost.
    pub cliffs: Vec<Cliff>,
    pub cliff_threshold: Share,
    pub notes: Vec<Note>,
}

/// One hour level on the curve: the scenario, or why it could not be computed.
#[derive(Debug, Clone, Serialize)]
pub struct CurvePoint {
    #[serde(serialize_with = "serialize_decimal")]
    pub hours_per_week: Decimal,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scenario: Option<Scenario>,
    /// Marginal burden of the step from the previous hour to this one.
    pub step_marginal_burden: Option<Share>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<InputError>,
}

/// A steep step in the curve and what caused it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cliff {
    #[serde(serialize_with = "serialize_decimal")]
    pub from_hours: Decimal,
    #[serde(serialize_with = "serialize_decimal")]
    pub to_hours: Decimal,
    pub marginal_burden: Share,
    pub extra_gross_wage_per_month: Euros,
    pub extra_disposable_income_per_month: Euros,
    /// Components that took away income in this step, largest first.
    pub causes: Vec<CliffCause>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CliffCause {
    /// Output field name: income_tax, pension_premium, zorgtoeslag, huurtoeslag,
    /// kindgebonden_budget, kinderopvangtoeslag, partner_net_wage.
    pub component: &'static str,
    /// Income lost per month in this step (positive = less money).
    pub loss_per_month: Euros,
}

pub(crate) fn cliff(from: &Breakdown, to: &Breakdown) -> Option<Cliff> {
    let extra_gross = to.gross - from.gross;
    let gained = to.disposable - from.disposable;
    let burden = Share::burden(gained, extra_gross)?;
    if burden < CLIFF_THRESHOLD {
        return None;
    }
    let mut causes: Vec<CliffCause> = [
        ("income_tax", to.tax.income_tax - from.tax.income_tax),
        ("pension_premium", to.pension - from.pension),
        ("zorgtoeslag", from.zorgtoeslag - to.zorgtoeslag),
        ("huurtoeslag", from.huurtoeslag - to.huurtoeslag),
        ("kindgebonden_budget", from.kgb - to.kgb),
        ("kinderopvangtoeslag", from.kot - to.kot),
        ("partner_net_wage", from.partner_net - to.partner_net),
    ]
    .into_iter()
    .filter(|(_, loss)| *loss > 0)
    .map(|(component, loss)| CliffCause {
        component,
        loss_per_month: per_month(loss),
    })
    .collect();
    causes.sort_by_key(|c| std::cmp::Reverse(c.loss_per_month));
    Some(Cliff {
        from_hours: hours_decimal(from.centihours),
        to_hours: hours_decimal(to.centihours),
        marginal_burden: burden,
        extra_gross_wage_per_month: per_month(extra_gross),
        extra_disposable_income_per_month: per_month(gained),
        causes,
    })
}
