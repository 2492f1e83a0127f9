//! The regional picture (issue 30): the participating organisations' figures pooled per
//! subsector and for the whole region, side by side, with organisation-level disclosure
//! control on top of the respondent-level rules each organisation's figures already passed.
//!
//! Input is one [`OrgFigures`] per organisation and period (filled from the organisation's
//! Value Case); output is a [`RegionalPicture`] whose JSON shape pages, PDFs, exports and
//! the API share, and an organisation's own view ([`own_view`]) next to its subsector, the
//! region and the national benchmark. The rules are in [`disclosure`] and `docs/region.md`.
//!
//! Architecture invariant: this crate does no IO. It does not know organisations' names;
//! it sees ids and figures, and it never publishes a figure of fewer than the policy's
//! minimum number of organisations.

pub mod disclosure;
pub mod practice;
pub mod roundtable;
mod view;

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

pub use disclosure::Reason;
pub use hr::SectorBenchmarks;
pub use view::{NationalFigure, OwnFigures, OwnView, own_view};

/// Errors in the input or the policy.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RegionError {
    #[error(
        "minimum aantal organisaties {0} is te laag: het moet minstens {min} zijn",
        min = Policy::MIN_ORGS_FLOOR
    )]
    MinOrgsTooLow(u32),
    #[error(
        "dominantiegrens {0}% is niet toegestaan: kies 1 tot en met {max}%",
        max = Policy::DOMINANCE_CEILING
    )]
    DominanceOutOfRange(u32),
    #[error("organisatie {org_id} staat twee keer in periode {period}")]
    Duplicate { org_id: i64, period: String },
    #[error("organisatie {org_id}: {problem}")]
    Invalid { org_id: i64, problem: String },
}

/// The thresholds of one region's disclosure control.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Policy {
    /// A figure is shown only when at least this many organisations contribute (≥ 3).
    pub min_orgs: u32,
    /// A count or money total is shown only when no organisation contributes more than
    /// this percentage of it (1–50; lower is stricter).
    pub dominance_percent: u32,
}

impl Policy {
    pub const MIN_ORGS_FLOOR: u32 = 3;
    pub const DOMINANCE_CEILING: u32 = 50;

    /// A policy, refusing thresholds weaker than the programme's floor.
    pub fn new(min_orgs: u32, dominance_percent: u32) -> Result<Policy, RegionError> {
        if min_orgs < Self::MIN_ORGS_FLOOR {
            return Err(RegionError::MinOrgsTooLow(min_orgs));
        }
        if dominance_percent == 0 || dominance_percent > Self::DOMINANCE_CEILING {
            return Err(RegionError::DominanceOutOfRange(dominance_percent));
        }
        Ok(Policy {
            min_orgs,
            dominance_percent,
        })
    }
}

impl Default for Policy {
    fn default() -> Policy {
        Policy {
            min_orgs: Self::MIN_ORGS_FLOOR,
            dominance_percent: Self::DOMINANCE_CEILING,
        }
    }
}

/// How many respondents chose one option (a condition or an obstacle).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OptionCount {
    /// The option's stable code (the questionnaire's option id).
    pub option: String,
    pub count: u64,
}

/// One organisation's figures for one period, as its Value Case has them. Respondent-level
/// suppression already happened inside the organisation: these are whole-organisation
/// totals.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrgFigures {
    pub org_id: i64,
    /// The subsector code (`vvt`, `gz`, …).
    pub subsector: String,
    /// The period this snapshot belongs to, as a label that sorts in time (`2026`,
    /// `2026-03`, `2026-03-15`). Organisations are pooled per label.
    pub period: String,
    /// Employees in the HR baseline.
    pub employees: u64,
    /// Sum of the employees' contract hours per week.
    pub contract_hours_sum: f64,
    /// The organisation's full-time week in hours (36 in the care CAOs).
    pub fulltime_hours: f64,
    /// Survey respondents who answered the openness question.
    pub respondents: u64,
    /// Respondents open to more hours (sure plus under conditions).
    pub open_count: u64,
    /// Respondents who want more hours in any case.
    pub sure_count: u64,
    /// Respondents who want more hours under conditions.
    pub conditional_count: u64,
    /// The Value Case's potential in hours per week.
    pub potential_hours_per_week: f64,
    /// The Value Case's potential in FTE.
    pub potential_fte: f64,
    /// PNIL spend over the last 12 months, in cents; `None` when not imported.
    pub pnil_last_12_months_cost_cents: Option<i64>,
    pub conditions: Vec<OptionCount>,
    pub obstacles: Vec<OptionCount>,
}

impl OrgFigures {
    /// Refuses figures that cannot be right (negative hours, more open than asked, …).
    pub fn validate(&self) -> Result<(), RegionError> {
        let bad = |problem: &str| {
            Err(RegionError::Invalid {
                org_id: self.org_id,
                problem: problem.to_string(),
            })
        };
        let finite_nonneg = |x: f64| x.is_finite() && x >= 0.0;
        if self.subsector.trim().is_empty() || self.period.trim().is_empty() {
            return bad("subsector en periode zijn verplicht");
        }
        if !finite_nonneg(self.contract_hours_sum)
            || !finite_nonneg(self.potential_hours_per_week)
            || !finite_nonneg(self.potential_fte)
        {
            return bad("uren en fte moeten 0 of meer zijn");
        }
        if !(self.fulltime_hours.is_finite() && self.fulltime_hours > 0.0) {
            return bad("een voltijdweek moet meer dan 0 uur hebben");
        }
        if self.open_count > self.respondents
            || self.sure_count + self.conditional_count > self.open_count
        {
            return bad("meer respondenten open voor meer uren dan er antwoordden");
        }
        if self.pnil_last_12_months_cost_cents.is_some_and(|c| c < 0) {
            return bad("PNIL-kosten kunnen niet negatief zijn");
        }
        if self
            .conditions
            .iter()
            .chain(&self.obstacles)
            .any(|o| o.count > self.respondents)
        {
            return bad("een keuze is vaker gekozen dan er respondenten zijn");
        }
        Ok(())
    }
}

/// A share with its 95% Wilson interval (fractions, 4 decimals).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OptionShare {
    pub option: String,
    pub count: u64,
    pub share: f64,
}

/// Which figures of a row a suppression concerns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FigureGroup {
    /// Employees, average contract hours, deeltijdfactor.
    Workforce,
    /// Respondents, open share, potential, conditions and obstacles.
    Survey,
    /// PNIL cost.
    Pnil,
}

/// One hidden group of figures with its Dutch reason.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Suppression {
    pub figures: FigureGroup,
    pub code: Reason,
    pub reason: String,
}

/// One row of the picture: a subsector, or the region's total (`subsector` is `None`).
/// Every number is `None` when hidden.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Row {
    pub subsector: Option<String>,
    /// Organisations taking part (always shown: taking part is not a figure about them).
    pub organisations: u64,
    /// Whether any figure of this row is hidden.
    pub suppressed: bool,
    /// The reason of the first hidden group (workforce, survey, PNIL), in Dutch.
    pub reason: Option<String>,
    /// Every hidden group with its reason.
    pub suppressions: Vec<Suppression>,
    pub employees: Option<u64>,
    /// Hours per week, 1 decimal.
    pub average_contract_hours: Option<f64>,
    /// Contract hours over full-time hours, 4 decimals.
    pub deeltijdfactor: Option<f64>,
    pub respondents: Option<u64>,
    /// Respondents open to more hours over respondents, pooled (4 decimals).
    pub open_share: Option<f64>,
    pub open_share_ci95: Option<[f64; 2]>,
    pub sure_share: Option<f64>,
    pub conditional_share: Option<f64>,
    /// Sum of the organisations' potentials, hours per week (1 decimal).
    pub potential_hours_per_week: Option<f64>,
    /// Sum of the organisations' potentials, FTE (2 decimals).
    pub potential_fte: Option<f64>,
    /// Conditions named, most chosen first, as shares of respondents; an option is left
    /// out where its own count is hidden.
    pub conditions: Vec<OptionShare>,
    pub obstacles: Vec<OptionShare>,
    /// PNIL spend over the last 12 months in euros (2 decimals) …
    pub pnil_last_12_months_cost: Option<f64>,
    /// … and in cents.
    pub pnil_last_12_months_cost_cents: Option<i64>,
}

/// The picture of one period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PeriodPicture {
    pub period: String,
    pub subsectors: Vec<Row>,
    pub total: Row,
}

/// The regional picture: the latest period at the top level (the shape the API promises),
/// and every period in `trend`, oldest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegionalPicture {
    pub region: String,
    pub policy: Policy,
    pub period: Option<String>,
    pub subsectors: Vec<Row>,
    pub total: Row,
    pub trend: Vec<PeriodPicture>,
}

fn round_to(x: f64, decimals: i32) -> f64 {
    let f = 10f64.powi(decimals);
    (x * f).round() / f
}

/// Whole-row sums of the figures that are pooled.
#[derive(Debug, Default, Clone)]
struct Sums {
    organisations: u64,
    employees: u64,
    contract_hours: f64,
    fulltime_capacity: f64,
    respondents: u64,
    open: u64,
    sure: u64,
    conditional: u64,
    potential_hours: f64,
    potential_fte: f64,
    pnil_cents: i64,
    conditions: BTreeMap<String, u64>,
    obstacles: BTreeMap<String, u64>,
}

impl Sums {
    fn add(&mut self, f: &OrgFigures) {
        self.organisations += 1;
        self.employees += f.employees;
        self.contract_hours += f.contract_hours_sum;
        self.fulltime_capacity += f.employees as f64 * f.fulltime_hours;
        self.respondents += f.respondents;
        self.open += f.open_count;
        self.sure += f.sure_count;
        self.conditional += f.conditional_count;
        self.potential_hours += f.potential_hours_per_week;
        self.potential_fte += f.potential_fte;
        self.pnil_cents += f.pnil_last_12_months_cost_cents.unwrap_or(0);
        for o in &f.conditions {
            *self.conditions.entry(o.option.clone()).or_default() += o.count;
        }
        for o in &f.obstacles {
            *self.obstacles.entry(o.option.clone()).or_default() += o.count;
        }
    }
}

/// Contributions of one organisation to each group's cell (`None`: it does not contribute).
fn workforce(f: &OrgFigures) -> Option<Vec<f64>> {
    (f.employees > 0).then(|| vec![f.employees as f64, f.contract_hours_sum])
}
fn survey(f: &OrgFigures) -> Option<Vec<f64>> {
    (f.respondents > 0).then(|| {
        vec![
            f.respondents as f64,
            f.open_count as f64,
            f.potential_hours_per_week,
            f.potential_fte,
        ]
    })
}
fn pnil(f: &OrgFigures) -> Option<Vec<f64>> {
    f.pnil_last_12_months_cost_cents.map(|c| vec![c as f64])
}

type Extract = fn(&OrgFigures) -> Option<Vec<f64>>;

/// The periods' organisations per subsector, in order.
struct Layout<'a> {
    periods: Vec<(String, BTreeMap<String, Vec<&'a OrgFigures>>)>,
}

impl<'a> Layout<'a> {
    fn inputs(
        &self,
        extract: impl Fn(&OrgFigures) -> Option<Vec<f64>>,
        forced: impl Fn(usize, Option<&str>) -> Option<Reason>,
    ) -> Vec<disclosure::PeriodInput> {
        self.periods
            .iter()
            .enumerate()
            .map(|(p, (_, subs))| {
                let mut total = disclosure::CellInput {
                    forced: forced(p, None),
                    ..Default::default()
                };
                let rows = subs
                    .iter()
                    .map(|(s, orgs)| {
                        let mut cell = disclosure::CellInput {
                            forced: forced(p, Some(s)),
                            ..Default::default()
                        };
                        for f in orgs {
                            if let Some(v) = extract(f) {
                                cell.contributions.insert(f.org_id, v.clone());
                                total.contributions.insert(f.org_id, v);
                            }
                        }
                        (s.clone(), cell)
                    })
                    .collect();
                disclosure::PeriodInput { rows, total }
            })
            .collect()
    }
}

/// Per period: the hidden reason per subsector (by key) and for the total (key `None`).
type Outcomes = Vec<BTreeMap<Option<String>, Option<Reason>>>;

fn to_map(layout: &Layout<'_>, out: Vec<disclosure::PeriodOutcome>) -> Outcomes {
    layout
        .periods
        .iter()
        .zip(out)
        .map(|((_, subs), o)| {
            let mut m: BTreeMap<Option<String>, Option<Reason>> = subs
                .keys()
                .cloned()
                .map(Some)
                .zip(o.rows.iter().copied())
                .collect();
            m.insert(None, o.total);
            m
        })
        .collect()
}

/// Computes the regional picture of `region` from its organisations' figures.
pub fn regional_picture(
    region: &str,
    policy: &Policy,
    figures: &[OrgFigures],
) -> Result<RegionalPicture, RegionError> {
    let policy = Policy::new(policy.min_orgs, policy.dominance_percent)?;
    let mut by_period: BTreeMap<String, BTreeMap<String, Vec<&OrgFigures>>> = BTreeMap::new();
    let mut seen = BTreeSet::new();
    for f in figures {
        f.validate()?;
        if !seen.insert((f.period.clone(), f.org_id)) {
            return Err(RegionError::Duplicate {
                org_id: f.org_id,
                period: f.period.clone(),
            });
        }
        by_period
            .entry(f.period.clone())
            .or_default()
            .entry(f.subsector.clone())
            .or_default()
            .push(f);
    }
    let layout = Layout {
        periods: by_period.into_iter().collect(),
    };
    let run = |extract: Extract| {
        to_map(
            &layout,
            disclosure::protect(&layout.inputs(extract, |_, _| None), &policy),
        )
    };
    let work = run(workforce);
    let surv = run(survey);
    let money = run(pnil);
    // Each option count is its own cell, hidden with the survey figures of its row.
    let option_outcomes = |pick: fn(&OrgFigures) -> &Vec<OptionCount>| {
        let options: BTreeSet<String> = figures
            .iter()
            .flat_map(|f| pick(f).iter().map(|o| o.option.clone()))
            .collect();
        options
            .into_iter()
            .map(|option| {
                let extract = |f: &OrgFigures| {
                    (f.respondents > 0).then(|| {
                        vec![
                            pick(f)
                                .iter()
                                .filter(|o| o.option == option)
                                .map(|o| o.count as f64)
                                .sum(),
                        ]
                    })
                };
                let forced = |p: usize, key: Option<&str>| -> Option<Reason> {
                    surv[p][&key.map(str::to_string)]
                };
                let out = disclosure::protect(&layout.inputs(extract, forced), &policy);
                (option, to_map(&layout, out))
            })
            .collect::<Vec<_>>()
    };
    let cond = option_outcomes(|f| &f.conditions);
    let obst = option_outcomes(|f| &f.obstacles);

    let mut trend = Vec::new();
    for (p, (period, subs)) in layout.periods.iter().enumerate() {
        let row = |key: Option<&String>, orgs: &mut dyn Iterator<Item = &&OrgFigures>| {
            let mut sums = Sums::default();
            for f in orgs {
                sums.add(f);
            }
            let k = key.cloned();
            let hidden = |o: &Outcomes| o[p][&k];
            let options = |list: &Vec<(String, Outcomes)>, counts: &BTreeMap<String, u64>| {
                let mut v: Vec<OptionShare> = list
                    .iter()
                    .filter(|(_, o)| o[p][&k].is_none())
                    .filter_map(|(option, _)| {
                        let count = *counts.get(option)?;
                        Some(OptionShare {
                            option: option.clone(),
                            count,
                            share: round_to(count as f64 / sums.respondents.max(1) as f64, 4),
                        })
                    })
                    .collect();
                v.sort_by(|a, b| b.count.cmp(&a.count).then(a.option.cmp(&b.option)));
                v
            };
            build_row(
                &policy,
                key.cloned(),
                &sums,
                [hidden(&work), hidden(&surv), hidden(&money)],
                options(&cond, &sums.conditions),
                options(&obst, &sums.obstacles),
            )
        };
        let subsectors = subs
            .iter()
            .map(|(s, orgs)| row(Some(s), &mut orgs.iter()))
            .collect();
        let total = row(None, &mut subs.values().flatten());
        trend.push(PeriodPicture {
            period: period.clone(),
            subsectors,
            total,
        });
    }
    let latest = trend.last().cloned();
    Ok(RegionalPicture {
        region: region.to_string(),
        policy,
        period: latest.as_ref().map(|l| l.period.clone()),
        subsectors: latest
            .as_ref()
            .map(|l| l.subsectors.clone())
            .unwrap_or_default(),
        total: latest.map(|l| l.total).unwrap_or_else(|| {
            build_row(
                &policy,
                None,
                &Sums::default(),
                [Some(Reason::TooFewOrganisations); 3],
                vec![],
                vec![],
            )
        }),
        trend,
    })
}

fn build_row(
    policy: &Policy,
    subsector: Option<String>,
    s: &Sums,
    hidden: [Option<Reason>; 3],
    conditions: Vec<OptionShare>,
    obstacles: Vec<OptionShare>,
) -> Row {
    let [work, surv, money] = hidden;
    let suppressions: Vec<Suppression> = [
        (FigureGroup::Workforce, work),
        (FigureGroup::Survey, surv),
        (FigureGroup::Pnil, money),
    ]
    .into_iter()
    .filter_map(|(figures, r)| {
        r.map(|code| Suppression {
            figures,
            code,
            reason: code.text(policy),
        })
    })
    .collect();
    let show_work = work.is_none();
    let show_surv = surv.is_none();
    let show_money = money.is_none();
    let ratio = |a: f64, b: f64| if b > 0.0 { a / b } else { 0.0 };
    let ci = survey::stats::wilson95(s.open, s.respondents);
    Row {
        subsector,
        organisations: s.organisations,
        suppressed: !suppressions.is_empty(),
        reason: suppressions.first().map(|x| x.reason.clone()),
        suppressions,
        employees: show_work.then_some(s.employees),
        average_contract_hours: show_work
            .then(|| round_to(ratio(s.contract_hours, s.employees as f64), 1)),
        deeltijdfactor: show_work
            .then(|| round_to(ratio(s.contract_hours, s.fulltime_capacity), 4)),
        respondents: show_surv.then_some(s.respondents),
        open_share: show_surv.then(|| round_to(ratio(s.open as f64, s.respondents as f64), 4)),
        open_share_ci95: show_surv.then(|| [round_to(ci.0, 4), round_to(ci.1, 4)]),
        sure_share: show_surv.then(|| round_to(ratio(s.sure as f64, s.respondents as f64), 4)),
        conditional_share: show_surv
            .then(|| round_to(ratio(s.conditional as f64, s.respondents as f64), 4)),
        potential_hours_per_week: show_surv.then(|| round_to(s.potential_hours, 1)),
        potential_fte: show_surv.then(|| round_to(s.potential_fte, 2)),
        conditions: if show_surv { conditions } else { vec![] },
        obstacles: if show_surv { obstacles } else { vec![] },
        pnil_last_12_months_cost: show_money.then(|| s.pnil_cents as f64 / 100.0),
        pnil_last_12_months_cost_cents: show_money.then_some(s.pnil_cents),
    }
}

#[cfg(test)]
mod tests;
