//! The calculation: one household at one number of hours → an integer breakdown.
//!
//! Pipeline (shared/reference/nl-income-rules.md par. 0): gross pay → employee pension
//! premium → taxable income (whole euros, rounded down) → box 1 tax and premiums →
//! credits (cannot make the tax negative) → net wage; toeslagen on the household
//! toetsingsinkomen, each with its own rounding; disposable income = net wages +
//! toeslagen. Everything is integer cents; no allocation per evaluation.

use crate::input::{ErrorCode, Household, InputError, WageBasis, nl_euros};
use crate::money::{Cents, Rate, div_round, floor_euro, mul_div_round, round_euro, to_i64};
use crate::rules::{Huurtoeslag, Pension, Rules, base_rent_quadratic};

/// Weeks per year used to turn an hourly wage into a yearly salary.
pub const WEEKS_PER_YEAR: i64 = 52;

/// Tax of one person (employee or partner), in cents per year.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct PersonTax {
    pub before_credits: Cents,
    pub ahk: Cents,
    pub ak: Cents,
    pub iack: Cents,
    pub income_tax: Cents,
}

/// Everything computed for one number of hours, cents per year.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Breakdown {
    pub centihours: i64,
    pub base_salary: Cents,
    pub irregular: Cents,
    pub holiday: Cents,
    pub year_end_bonus: Cents,
    /// Extra-workday allowance (CAO VVT art. 4.9).
    pub extra_days: Cents,
    pub gross: Cents,
    pub pension: Cents,
    pub taxable: Cents,
    pub tax: PersonTax,
    pub net: Cents,
    pub partner_gross: Cents,
    pub partner_pension: Cents,
    pub partner_taxable: Cents,
    pub partner_tax: PersonTax,
    pub partner_net: Cents,
    pub household_income: Cents,
    /// Yearly entitlements (as in the definitive settlement).
    pub zorgtoeslag: Cents,
    pub huurtoeslag: Cents,
    pub kgb: Cents,
    pub kot: Cents,
    /// Monthly advances actually paid (whole euros, rounded down).
    pub zorgtoeslag_month: Cents,
    pub huurtoeslag_month: Cents,
    pub kgb_month: Cents,
    pub kot_month: Cents,
    pub childcare_costs: Cents,
    pub disposable: Cents,
}

fn scale(amount: Cents, num: i64, den: i64) -> Cents {
    to_i64(div_round(
        i128::from(amount) * i128::from(num),
        i128::from(den),
    ))
}

/// Box 1 income tax and premiums before credits.
pub(crate) fn box1_tax(rules: &Rules, taxable: Cents) -> Cents {
    let mut lower = 0;
    let mut tax = 0;
    for b in &rules.box1 {
        let top = b.upto.unwrap_or(Cents::MAX);
        let part = taxable.min(top) - lower;
        if part <= 0 {
            break;
        }
        tax += b.rate.floor(part);
        lower = top;
    }
    tax
}

pub(crate) fn general_credit(rules: &Rules, income: Cents) -> Cents {
    let a = &rules.ahk;
    (a.max - a.phase_out_rate.round((income - a.phase_out_from).max(0))).max(0)
}

pub(crate) fn labour_credit(rules: &Rules, work_income: Cents) -> Cents {
    if work_income <= 0 {
        return 0;
    }
    let seg = rules
        .arbeidskorting
        .iter()
        .rev()
        .find(|s| s.from <= work_income)
        .unwrap_or(&rules.arbeidskorting[0]);
    (seg.base + seg.rate.round(work_income - seg.from)).max(0)
}

pub(crate) fn combination_credit(rules: &Rules, work_income: Cents) -> Cents {
    let i = &rules.iack;
    if work_income <= i.threshold {
        return 0;
    }
    i.rate.round(work_income - i.threshold).min(i.max)
}

pub(crate) fn person_tax(rules: &Rules, taxable: Cents, iack_eligible: bool) -> PersonTax {
    let before_credits = box1_tax(rules, taxable);
    let ahk = general_credit(rules, taxable);
    let ak = labour_credit(rules, taxable);
    let iack = if iack_eligible {
        combination_credit(rules, taxable)
    } else {
        0
    };
    let income_tax = (before_credits - ahk - ak - iack).max(0);
    PersonTax {
        before_credits,
        ahk,
        ak,
        iack,
        income_tax,
    }
}

/// Employee share of the PFZW premium. `pensionable` is the actual (part-time) yearly
/// pensionable pay; the franchise and maximum are scaled by the part-time factor.
pub(crate) fn pension_premium(
    p: &Pension,
    pensionable: Cents,
    centihours: i64,
    full_time: i64,
) -> Cents {
    if pensionable <= 0 || centihours <= 0 {
        return 0;
    }
    // In units of cents × centihours, so the part-time factor needs one division:
    // (min(P, max × dtf) − franchise × dtf) × rate, dtf = centihours / full_time.
    let x = (pensionable * full_time).min(p.max_pensionable_salary * centihours)
        - p.franchise * centihours;
    let main = if x > 0 {
        mul_div_round(x, p.premium_rate.num(), p.premium_rate.den() * full_time)
    } else {
        0
    };
    let extra = p.extra_rate.round((pensionable - p.extra_franchise).max(0));
    p.employee_share.round(main + extra)
}

/// Yearly base salary at `centihours` per week.
fn base_salary(w: &WageBasis, centihours: i64) -> Cents {
    match *w {
        WageBasis::Hourly(c) => to_i64(div_round(
            i128::from(c) * i128::from(centihours) * i128::from(WEEKS_PER_YEAR),
            100,
        )),
        WageBasis::Annual {
            cents,
            at_centihours,
        } => scale(cents, centihours, at_centihours),
        // Each month's full-time amount pro rata to the hours, rounded to the cent as
        // on a payslip (CAO VVT art. 4.2.1 lid 7).
        WageBasis::Monthly {
            ref runs,
            full_time,
        } => runs
            .iter()
            .map(|(months, amount)| months * mul_div_round(*amount, centihours, full_time))
            .sum(),
    }
}

fn rate_div(rate: Rate, amount: Cents, div: i64) -> Cents {
    let (n, d) = rate.parts();
    match (i64::try_from(n), i64::try_from(d * i128::from(div))) {
        (Ok(n), Ok(d)) => mul_div_round(amount, n, d),
        _ => to_i64(div_round(i128::from(amount) * n, d * i128::from(div))),
    }
}

/// Evaluate the household with the employee working `centihours` per week.
pub(crate) fn evaluate(
    rules: &Rules,
    hh: &Household,
    centihours: i64,
    extra_days: i64,
) -> Result<Breakdown, InputError> {
    let e = &hh.employee;
    let ft = rules.general.full_time_centihours;
    let mut b = Breakdown {
        centihours,
        ..Breakdown::default()
    };

    b.base_salary = base_salary(&e.wage, centihours);
    b.irregular = if e.current_centihours > 0 {
        mul_div_round(e.irregular_per_year, centihours, e.current_centihours)
    } else {
        0
    };
    // Holiday allowance and year-end bonus: a percentage of the base salary (not of
    // ORT), at least the CAO's full-time minimum pro rata to the hours.
    let min_ft = e.minimum_full_time;
    b.holiday = if e.holiday_allowance {
        e.holiday_rate
            .round(b.base_salary)
            .max(mul_div_round(e.holiday_min_ft, centihours, min_ft))
    } else {
        0
    };
    b.year_end_bonus = e.year_end_bonus.map_or(0, |r| {
        let basis = if e.year_end_bonus_incl_holiday {
            b.base_salary + b.holiday
        } else {
            b.base_salary
        };
        r.round(basis)
            .max(mul_div_round(e.year_end_bonus_min_ft, centihours, min_ft))
    });
    b.extra_days = extra_days * e.extra_day_per_year;
    let pensionable = b.base_salary + b.irregular + b.holiday + b.year_end_bonus;
    b.gross = pensionable + b.extra_days;
    b.pension = if e.pension {
        pension_premium(&rules.pension, pensionable, centihours, ft)
    } else {
        0
    };
    b.taxable = floor_euro(b.gross - b.pension).max(0);

    if let Some(p) = &hh.partner {
        b.partner_gross = p.gross;
        b.partner_pension = p.pension_premium;
        b.partner_taxable = p.taxable;
    }

    // IACK: a child below the age limit; single, or the partner with the lower
    // arbeidsinkomen (a tie goes to the employee).
    let young_child = hh
        .child_ages
        .iter()
        .any(|a| *a < rules.iack.child_age_below);
    let (emp_iack, partner_iack) = match &hh.partner {
        None => (young_child, false),
        Some(_) => {
            let emp_lower = b.taxable <= b.partner_taxable;
            (young_child && emp_lower, young_child && !emp_lower)
        }
    };
    b.tax = person_tax(rules, b.taxable, emp_iack);
    b.net = b.gross - b.pension - b.tax.income_tax;
    if let Some(p) = &hh.partner {
        b.partner_tax = p.tax[usize::from(partner_iack)];
        b.partner_net = b.partner_gross - b.partner_pension - b.partner_tax.income_tax;
    }

    b.household_income = b.taxable + b.partner_taxable;
    let adult = e.age >= 18;
    if adult {
        (b.zorgtoeslag, b.zorgtoeslag_month) = zorgtoeslag(rules, hh, b.household_income);
        (b.huurtoeslag, b.huurtoeslag_month) = huurtoeslag(rules, hh, b.household_income);
        (b.kgb, b.kgb_month) = kindgebonden_budget(rules, hh, b.household_income);
    }
    let (kot, kot_month, costs) = kinderopvangtoeslag(rules, hh, centihours, b.household_income)?;
    (b.kot, b.kot_month, b.childcare_costs) = (kot, kot_month, costs);
    b.disposable = b.net + b.partner_net + b.zorgtoeslag + b.huurtoeslag + b.kgb + b.kot;
    Ok(b)
}

/// A toeslag computed per month in cents: (yearly entitlement = 12 × the month,
/// monthly advance = the month rounded down to whole euros).
fn monthly_toeslag(month: Cents) -> (Cents, Cents) {
    let m = month.max(0);
    (12 * m, floor_euro(m))
}

/// Zorgtoeslag: standard premium minus the norm premium (Wet op de zorgtoeslag art. 2),
/// per year to the cent as in the definitive settlement; nil when the yearly amount in
/// whole euros is under the minimum. The monthly advance is the yearly amount rounded
/// to whole euros, divided by 12 and rounded down to whole euros (reproduces the
/// published monthly tables, shared/reference par. 7). Returns (year, month).
pub(crate) fn zorgtoeslag(rules: &Rules, hh: &Household, income: Cents) -> (Cents, Cents) {
    let z = &rules.zorgtoeslag;
    let partner = hh.partner.is_some();
    let limit = if partner {
        z.assets_partner
    } else {
        z.assets_single
    };
    if hh.assets > limit {
        return (0, 0);
    }
    let (n, pct) = if partner {
        (2, z.pct_partner)
    } else {
        (1, z.pct_single)
    };
    let norm = pct.round(z.threshold_income)
        + z.phase_out_rate.round((income - z.threshold_income).max(0));
    let year = n * z.standard_premium - norm;
    let rounded = round_euro(year);
    if rounded < z.minimum_per_year {
        return (0, 0);
    }
    (year, floor_euro(rounded / 12))
}

/// Huurtoeslag per the year's model. The law computes it per month (Wet op de
/// huurtoeslag): the yearly entitlement is 12 × the month to the cent; the advance is
/// the month rounded down to whole euros. Returns (year, month).
pub(crate) fn huurtoeslag(rules: &Rules, hh: &Household, income: Cents) -> (Cents, Cents) {
    if hh.rent <= 0 {
        return (0, 0);
    }
    let partner = hh.partner.is_some();
    let (single_limit, partner_limit) = rules.huurtoeslag.assets_limits();
    if hh.assets > if partner { partner_limit } else { single_limit } {
        return (0, 0);
    }
    let persons = 1 + usize::from(partner) + hh.child_ages.len();
    let all_below = |age: u32| {
        hh.employee.age < age
            && hh.partner.as_ref().is_none_or(|p| p.age < age)
            && hh.child_ages.is_empty()
    };
    let monthly = match &rules.huurtoeslag {
        Huurtoeslag::Linear2026(h) => {
            let young = all_below(h.young_below_age);
            let rekenhuur = hh
                .rent
                .min(if young { h.rent_cap_young } else { h.rent_cap });
            let (base, reference, phase) = if persons == 1 {
                (
                    h.base_rent_single,
                    h.reference_income_single,
                    h.phase_out_single,
                )
            } else {
                (
                    h.base_rent_multi,
                    h.reference_income_multi,
                    h.phase_out_multi,
                )
            };
            let a = (rekenhuur.min(h.quality_discount_limit) - base).max(0);
            let (bb, c) = if young {
                (0, 0)
            } else {
                let aftop = if persons <= 2 {
                    h.capping_small
                } else {
                    h.capping_large
                };
                (
                    h.pct_b
                        .round((rekenhuur.min(aftop) - h.quality_discount_limit).max(0)),
                    h.pct_c.round((rekenhuur - aftop).max(0)),
                )
            };
            let d = rate_div(phase, (income - reference).max(0), 12);
            a + bb + c - d
        }
        Huurtoeslag::Quadratic2025(h) => {
            let young = all_below(h.young_below_age);
            let rekenhuur = hh.rent + hh.service_costs.min(h.max_service_costs);
            if rekenhuur > if young { h.max_rent_young } else { h.max_rent } {
                return (0, 0);
            }
            let curve = if persons == 1 { &h.single } else { &h.multi };
            let basis = base_rent_quadratic(curve, income) + h.task_amount;
            let q = h.quality_discount_limit;
            let aftop = if persons <= 2 {
                h.capping_small
            } else {
                h.capping_large
            };
            let a = (rekenhuur.min(q) - basis).max(0);
            let bb = h.pct_b.round((rekenhuur.min(aftop) - q.max(basis)).max(0));
            let c = if young {
                0
            } else {
                h.pct_c.round((rekenhuur - aftop.max(basis)).max(0))
            };
            a + bb + c
        }
    };
    monthly_toeslag(monthly)
}

/// Kindgebonden budget: maximum (incl. alleenstaande-ouderkop) minus the income
/// phase-out, per year to the cent; the advance is a twelfth rounded down to whole
/// euros. Returns (year, month).
pub(crate) fn kindgebonden_budget(rules: &Rules, hh: &Household, income: Cents) -> (Cents, Cents) {
    if hh.child_ages.is_empty() {
        return (0, 0);
    }
    let k = &rules.kgb;
    let partner = hh.partner.is_some();
    if hh.assets
        > if partner {
            k.assets_partner
        } else {
            k.assets_single
        }
    {
        return (0, 0);
    }
    let mut max = 0;
    for age in &hh.child_ages {
        max += k.per_child;
        if (12..=15).contains(age) {
            max += k.extra_12_15;
        } else if (16..=17).contains(age) {
            max += k.extra_16_17;
        }
    }
    if !partner {
        max += k.single_parent;
    }
    let threshold = if partner {
        k.threshold_partner
    } else {
        k.threshold_single
    };
    let year = (max - k.phase_out_rate.round((income - threshold).max(0))).max(0);
    (year, floor_euro(year / 12))
}

/// Kinderopvangtoeslag per month: the first child (most hours) at the first-child
/// percentage, others at the next-child percentage; yearly entitlement 12 × the month
/// to the cent, advance rounded down to whole euros. Only while the employee (and a
/// partner, if any) works. With `care_follows_work` the care hours are scaled by
/// worked hours / current hours. Returns (year, month, yearly childcare costs).
pub(crate) fn kinderopvangtoeslag(
    rules: &Rules,
    hh: &Household,
    centihours: i64,
    income: Cents,
) -> Result<(Cents, Cents, Cents), InputError> {
    if hh.care.is_empty() {
        return Ok((0, 0, 0));
    }
    let current = hh.employee.current_centihours;
    let scaled = hh.care_follows_work && current > 0 && centihours != current;
    let cost = |c: &crate::input::Care| -> (Cents, Cents) {
        if scaled {
            c.costs_at(mul_div_round(c.centihours, centihours, current))
        } else {
            (c.subsidisable, c.actual)
        }
    };
    let costs = 12 * hh.care.iter().map(|c| cost(c).1).sum::<Cents>();
    let works = centihours > 0 && hh.partner.as_ref().is_none_or(|p| p.gross > 0);
    if !works {
        return Ok((0, 0, costs));
    }
    let Some(pct) = rules.kot.band(income).pct else {
        return Err(InputError::new(
            "childcare",
            ErrorCode::KinderopvangtoeslagTableIncomplete,
            format!(
                "Bij een gezamenlijk inkomen van € {} kunnen we de kinderopvangtoeslag voor {} nog niet precies berekenen: dat deel van de officiële tabel hebben we nog niet kunnen controleren. We laten liever geen bedrag zien dan een verkeerd bedrag.",
                nl_euros(income),
                rules.year
            ),
        ));
    };
    let mut total = 0;
    for (i, c) in hh.care.iter().enumerate() {
        let rate = if i == 0 { pct.first } else { pct.next };
        total += rate.round(cost(c).0);
    }
    let (year, month) = monthly_toeslag(total);
    Ok((year, month, costs))
}
