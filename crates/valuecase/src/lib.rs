//! The Value Case of Fase 0: an organisation's facts on the table, computed from a survey
//! round, an HR snapshot, PNIL costs, roster scans and the interview.
//!
//! [`compute`] turns plain inputs into a [`ValueCase`] whose JSON is the contract for the
//! pages, the API, the command line and the PDF (docs/value-case.md). The potential is
//! estimated exactly as issue 29 defines it ([`potential`]); recommendations come from a
//! rules file ([`rules`]); the Fase 0 checklist is [`checklist::checklist`].
//!
//! Architecture invariant: pure. No IO, no clock, no randomness without a fixed seed: the
//! caller passes the date and the data, so the same input gives the same JSON.
//!
//! Anonymity invariant: a team, or any group below the organisation's minimum group size,
//! carries no figures, with complementary suppression over the teams (the survey's
//! [`survey::anonymity::suppression_mask_from`] on respondents, starting from the HR
//! picture's hidden teams), so no single hidden team follows from the total.

pub mod checklist;
pub mod document;
pub mod interview;
pub mod potential;
pub mod rules;

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::{Deserialize, Serialize};
use survey::anonymity::suppression_mask_from;
use survey::questionnaire::{QuestionKind, Questionnaire, Role};
use survey::stats::Share;
use survey::{Answer, Submission};

pub use interview::{Interview, InterviewItem, ItemKind, Theme};
pub use potential::RateSource;
pub use rules::{Recommendation, Rules, RulesError};

/// Version of the estimator and of this JSON shape; named in the method section.
pub const ESTIMATOR_VERSION: &str = "potentieel-v1 (issue 29)";
/// The openness answer that counts as "sure" (`ja, zeker`).
pub const SURE_OPTION: &str = "ja_zeker";
/// Bootstrap resamples for the interval of the potential.
pub const DEFAULT_RESAMPLES: u32 = 1_000;
/// The sector's average contract (DOMAIN.md) and its source.
pub const SECTOR_AVERAGE_HOURS: f64 = 24.9;
pub const SECTOR_SOURCE: &str = "Gemiddelde contractomvang Zorg en Welzijn, 24,9 uur per week (programma Regionale aanpak contractuitbreiding Zorg en Welzijn Twente; AZW)";
/// Weeks per year used to turn hours per week into hours per year.
pub const WEEKS_PER_YEAR: f64 = 52.0;
/// Key of employees (and teams) without a team in the snapshot.
pub const ONBEKEND: &str = "onbekend";

// ----- input -----------------------------------------------------------------------------

/// How open a respondent is to a bigger contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Openness {
    /// `ja_zeker`.
    Sure,
    /// Another option marked open (`ja_onder_voorwaarden`).
    Conditional,
    /// Any other answer.
    Closed,
}

/// Whether a respondent answered the employees' or the managers' questionnaire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RespondentRole {
    Employee,
    Manager,
}

/// One respondent, reduced to what the Value Case uses.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Respondent {
    pub role: RespondentRole,
    /// Team of the invitation, as named in the organisation (matched to the snapshot's
    /// team names case-insensitively).
    pub team: Option<String>,
    /// Answer to the openness question (`bereidheid`); `None` when not answered.
    pub openness: Option<Openness>,
    pub contract_hours: Option<f64>,
    pub desired_hours: Option<f64>,
    /// Every choice answer by question id (a single choice as one element).
    pub choices: BTreeMap<String, Vec<String>>,
}

impl Respondent {
    /// Reduces a stored submission of questionnaire `q`.
    pub fn from_submission(q: &Questionnaire, role: RespondentRole, s: &Submission) -> Respondent {
        let id_of = |r: Role| q.by_role(r).map(|q| q.id.as_str());
        let number = |r: Role| id_of(r).and_then(|id| s.response.number(id));
        let openness = q.by_role(Role::Openness).and_then(|oq| {
            let c = s.response.choice(&oq.id)?;
            let open = oq.option(c).is_some_and(|o| o.open);
            Some(if c == SURE_OPTION {
                Openness::Sure
            } else if open {
                Openness::Conditional
            } else {
                Openness::Closed
            })
        });
        let mut choices = BTreeMap::new();
        for (id, a) in &s.response.answers {
            match a {
                Answer::Choice(c) => {
                    choices.insert(id.clone(), vec![c.clone()]);
                }
                Answer::Choices(cs) if !cs.is_empty() => {
                    choices.insert(id.clone(), cs.clone());
                }
                _ => {}
            }
        }
        Respondent {
            role,
            team: s.team.clone(),
            openness,
            contract_hours: number(Role::ContractHours),
            desired_hours: number(Role::DesiredHours),
            choices,
        }
    }

    /// `extra` of issue 29 (`None` when the openness question is not answered).
    pub fn extra(&self, sure_only: bool) -> Option<f64> {
        let o = self.openness?;
        let counts = match o {
            Openness::Sure => true,
            Openness::Conditional => !sure_only,
            Openness::Closed => false,
        };
        Some(match (counts, self.contract_hours, self.desired_hours) {
            (true, Some(c), Some(d)) => (d - c).max(0.0),
            _ => 0.0,
        })
    }
}

/// Summary figures of one roster scan (crate `roster`), as stored with the organisation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RosterScanSummary {
    pub scanned_on: NaiveDate,
    pub employees: u64,
    pub shifts: u64,
    /// Share of shifts shorter than the scan's short-shift length (6 h by default).
    pub short_shift_share: f64,
    /// Share of shifts that are split (two opkomstmomenten on one day).
    pub split_shift_share: f64,
}

/// A survey round as the Value Case names it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoundRef {
    pub id: i64,
    pub name: String,
    pub questionnaire: String,
    pub opens_on: NaiveDate,
    pub closes_on: NaiveDate,
    /// Invited people, when known (codes or invitation counts per team).
    pub invited: Option<u64>,
}

/// An HR snapshot with its employees.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    pub peildatum: NaiveDate,
    pub employees: Vec<hr::Employee>,
}

/// Everything [`compute`] needs.
#[derive(Debug, Clone)]
pub struct Input<'a> {
    pub organisation_id: i64,
    pub organisation: String,
    pub round: RoundRef,
    /// The employees' questionnaire of the round (labels, the conditions and obstacles
    /// questions).
    pub questionnaire: &'a Questionnaire,
    /// The managers' questionnaire, when a managers' round is included.
    pub manager_questionnaire: Option<&'a Questionnaire>,
    pub snapshot: Snapshot,
    /// An earlier snapshot, for "what already changed".
    pub previous_snapshot: Option<Snapshot>,
    pub full_time_hours: f64,
    pub min_group_size: u64,
    pub respondents: Vec<Respondent>,
    pub pnil: Vec<hr::pnil::PnilEntry>,
    pub wage_cost_per_fte_year_cents: Option<i64>,
    pub interview: Option<Interview>,
    pub roster_scans: Vec<RosterScanSummary>,
    /// The date the report is made on (no clock inside).
    pub today: NaiveDate,
    /// Bootstrap resamples ([`DEFAULT_RESAMPLES`]).
    pub resamples: u32,
    /// What the survey's results page of the same round shows per team; `None` when
    /// there is no such page to agree with (tests of the formula alone).
    pub survey_gate: Option<SurveyGate>,
}

/// What the survey's results page shows per team of the round (crate `survey`'s analysis,
/// with its complementary suppression and its audit across breakdowns). The Value Case
/// shows a team's figure only where the results page shows that kind of figure for the
/// team, so the two outputs together give away nothing that either hides: the Value
/// Case's hidden teams are always a superset of the page's.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SurveyGate {
    /// Per team (trimmed, lower case).
    pub teams: BTreeMap<String, TeamGate>,
}

/// One team's visibility on the survey's results page.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TeamGate {
    /// The team's cell (respondents) is shown.
    pub shown: bool,
    /// Its share open to a bigger contract is shown.
    pub open_share: bool,
    /// The hours of those in it who want more are shown.
    pub extra_hours: bool,
}

impl SurveyGate {
    /// The gate of a round's results (the whole-organisation analysis).
    pub fn from_results(results: &survey::SurveyResults) -> SurveyGate {
        let teams = results
            .teams
            .iter()
            .map(|t| {
                let figures = (!t.cell.suppressed)
                    .then_some(t.cell.figures.as_ref())
                    .flatten();
                let gate = TeamGate {
                    shown: figures.is_some(),
                    open_share: figures.is_some_and(|f| f.open_share.is_some()),
                    extra_hours: figures
                        .and_then(|f| f.desired_extra_hours.as_ref())
                        .and_then(|i| (!i.suppressed).then_some(i.figures.as_ref()).flatten())
                        .is_some_and(|x| !x.hours.suppressed && x.hours.figures.is_some()),
                };
                (norm(&t.team), gate)
            })
            .collect();
        SurveyGate { teams }
    }

    /// A team of the snapshot: what the page shows of it (nothing for a team the page
    /// does not list).
    fn team(&self, team: Option<&str>) -> TeamGate {
        team.and_then(|t| self.teams.get(&norm(t)).copied())
            .unwrap_or_default()
    }
}

// ----- output ----------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OrganisationRef {
    pub id: i64,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SnapshotRef {
    pub peildatum: NaiveDate,
}

/// The contract picture of the snapshot, org level.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Workforce {
    pub employees: Option<u64>,
    pub average_contract_hours: Option<f64>,
    pub fte: Option<f64>,
    pub deeltijdfactor: Option<f64>,
    pub sector_average_hours: f64,
    pub sector_source: &'static str,
    /// `average − sector`, hours per week.
    pub gap_to_sector_hours: Option<f64>,
    /// Employees with a contract under 16 hours.
    pub small_contracts: Option<u64>,
}

/// Survey figures at organisation level.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SurveyBlock {
    pub respondents: u64,
    pub invited: Option<u64>,
    pub response_rate: Option<f64>,
    /// Fewer respondents than the minimum group size answered the openness question.
    pub suppressed: bool,
    /// Base of the shares: respondents who answered `bereidheid`.
    pub answered_openness: Option<u64>,
    pub open_share: Option<f64>,
    pub open_share_ci95: Option<[f64; 2]>,
    pub sure_share: Option<f64>,
    pub conditional_share: Option<f64>,
}

/// The estimated potential.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PotentialBlock {
    pub suppressed: bool,
    pub hours_per_week: Option<f64>,
    pub hours_per_week_ci95: Option<[f64; 2]>,
    pub fte: Option<f64>,
    pub sure_hours_per_week: Option<f64>,
    pub sure_fte: Option<f64>,
    pub full_time_hours: f64,
}

/// What the potential could replace of PNIL, or why that is unknown.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Replaceable {
    Known {
        /// Hours per year the potential could take over (at most the PNIL hours).
        hours_per_year: f64,
        /// PNIL cost of those hours (cents).
        pnil_cost: i64,
        /// Own wage cost of the same hours (cents).
        own_cost: i64,
        /// `pnil_cost − own_cost` (cents).
        saving: i64,
    },
    Unknown {
        /// Dutch, for the report.
        reason: String,
    },
}

/// PNIL over the 12 months up to the round's close month. Amounts in cents.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PnilBlock {
    pub from_month: String,
    pub to_month: String,
    pub months_with_data: u32,
    pub last_12_months_cost: Option<i64>,
    /// Hours, when every entry in the window has hours.
    pub last_12_months_hours: Option<f64>,
    pub cost_unit: &'static str,
    pub replaceable: Replaceable,
}

/// One team of the snapshot (numbers `null` when suppressed).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TeamRow {
    pub team: String,
    pub suppressed: bool,
    pub employees: Option<u64>,
    pub respondents: Option<u64>,
    pub open_share: Option<f64>,
    pub potential_hours_per_week: Option<f64>,
    pub rate_source: Option<RateSource>,
}

/// Share of one option among those who answered the question.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OptionShare {
    pub question: String,
    pub option: String,
    pub label: String,
    pub share: f64,
    pub count: u64,
}

/// Ranked options of a multiple-choice question, or suppressed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ranked {
    pub respondents: u64,
    pub suppressed: bool,
    pub options: Vec<OptionShare>,
}

/// The managers' view, when a managers' round is included.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ManagerBlock {
    pub respondents: u64,
    pub obstacles: Ranked,
}

/// The one-page summary.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    /// Top three opportunities (Dutch lines).
    pub opportunities: Vec<String>,
    /// Top three obstacles (Dutch lines).
    pub obstacles: Vec<String>,
}

/// Change between the previous snapshot and this one (no per-employee lines).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ContractChange {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub contracts_grown: u64,
    pub hours_added: f64,
    pub contracts_shrunk: u64,
    pub hours_removed: f64,
    pub joined: u64,
    pub left: u64,
    pub net_hours: f64,
    pub net_fte: f64,
}

/// Sources and method.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Method {
    pub round: String,
    pub response_rate: Option<f64>,
    pub snapshot: NaiveDate,
    pub min_group_size: u64,
    pub suppression: &'static str,
    pub estimator: &'static str,
    pub estimator_version: &'static str,
    pub interval: String,
    pub rules_version: String,
    pub questionnaire: String,
    pub generated_on: NaiveDate,
}

/// The Value Case of one organisation. See docs/value-case.md for every field.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ValueCase {
    pub organisation: OrganisationRef,
    pub round: RoundRef,
    pub snapshot: SnapshotRef,
    pub generated_on: NaiveDate,
    pub min_group_size: u64,
    pub full_time_hours: f64,
    pub workforce: Workforce,
    pub survey: SurveyBlock,
    pub potential: PotentialBlock,
    pub pnil: PnilBlock,
    pub teams: Vec<TeamRow>,
    pub conditions: Vec<OptionShare>,
    pub obstacles: Vec<OptionShare>,
    pub conditions_detail: Ranked,
    pub obstacles_detail: Ranked,
    pub managers: Option<ManagerBlock>,
    pub interview: Vec<InterviewItem>,
    pub roster_scans: Vec<RosterScanSummary>,
    pub summary: Summary,
    pub contract_picture: hr::ContractPicture,
    pub contract_change: Option<ContractChange>,
    pub recommendations: Vec<Recommendation>,
    pub method: Method,
}

// ----- computation -----------------------------------------------------------------------

fn round_to(x: f64, decimals: i32) -> f64 {
    let f = 10f64.powi(decimals);
    (x * f).round() / f
}

fn norm(team: &str) -> String {
    team.trim().to_lowercase()
}

fn dec(x: f64) -> Decimal {
    Decimal::try_from(x).unwrap_or(Decimal::ZERO)
}

/// Ranks the options of a multiple-choice question among `resp` who answered it.
fn ranked(q: Option<&survey::Question>, resp: &[&Respondent], k: u64) -> Ranked {
    let Some(q) = q else {
        return Ranked {
            respondents: 0,
            suppressed: true,
            options: vec![],
        };
    };
    let answered: Vec<&&Respondent> = resp
        .iter()
        .filter(|r| r.choices.get(&q.id).is_some_and(|c| !c.is_empty()))
        .collect();
    let n = answered.len() as u64;
    if n < k.max(2) {
        return Ranked {
            respondents: n,
            suppressed: true,
            options: vec![],
        };
    }
    let mut options: Vec<(usize, OptionShare)> = q
        .kind
        .options()
        .iter()
        .enumerate()
        .map(|(i, o)| {
            let count = answered
                .iter()
                .filter(|r| r.choices[&q.id].iter().any(|c| c == &o.id))
                .count() as u64;
            (
                i,
                OptionShare {
                    question: q.id.clone(),
                    option: o.id.clone(),
                    label: o.label.nl.clone(),
                    share: Share::of(count, n).share,
                    count,
                },
            )
        })
        .filter(|(_, o)| o.count > 0)
        .collect();
    options.sort_by(|a, b| b.1.count.cmp(&a.1.count).then(a.0.cmp(&b.0)));
    Ranked {
        respondents: n,
        suppressed: false,
        options: options.into_iter().map(|(_, o)| o).collect(),
    }
}

fn month_label(y: i32, m: u32) -> String {
    format!("{y:04}-{m:02}")
}

fn pnil_block(input: &Input<'_>, potential_hours: Option<f64>) -> PnilBlock {
    let to = hr::pnil::YearMonth::new(input.round.closes_on.year(), input.round.closes_on.month())
        .expect("a date's month is valid");
    let from = hr::pnil::YearMonth::from_index(to.index() - 11);
    let window: Vec<&hr::pnil::PnilEntry> = input
        .pnil
        .iter()
        .filter(|e| e.month.index() >= from.index() && e.month.index() <= to.index())
        .collect();
    let months: BTreeSet<i64> = window.iter().map(|e| e.month.index()).collect();
    let cost = (!window.is_empty()).then(|| window.iter().map(|e| e.amount_cents).sum::<i64>());
    let hours = (!window.is_empty() && window.iter().all(|e| e.hours.is_some())).then(|| {
        window
            .iter()
            .filter_map(|e| e.hours)
            .sum::<Decimal>()
            .to_f64()
            .unwrap_or(0.0)
    });
    let unknown = |reason: &str| Replaceable::Unknown {
        reason: reason.to_string(),
    };
    let replaceable = match (
        cost,
        hours,
        input.wage_cost_per_fte_year_cents,
        potential_hours,
    ) {
        (None, _, _, _) => unknown("Er zijn geen PNIL-kosten over deze 12 maanden ingelezen."),
        (_, None, _, _) => unknown(
            "De PNIL-uren zijn niet (voor elke regel) bekend. Daarom is niet te zeggen hoeveel uren het potentieel kan vervangen.",
        ),
        (_, _, None, _) => unknown(
            "De eigen loonkosten per fte zijn niet ingevuld. Daarom is niet te zeggen wat vervangen oplevert.",
        ),
        (_, _, _, None) => unknown("Het potentieel is niet te tonen (te weinig reacties)."),
        (Some(_), Some(h), _, _) if h <= 0.0 => unknown("De PNIL-uren zijn 0."),
        (Some(cost), Some(h), Some(wage), Some(p)) => {
            let hours_per_year = (p * WEEKS_PER_YEAR).min(h);
            let pnil_cost = (cost as f64 * hours_per_year / h).round() as i64;
            let own_hour = wage as f64 / (input.full_time_hours * WEEKS_PER_YEAR);
            let own_cost = (own_hour * hours_per_year).round() as i64;
            Replaceable::Known {
                hours_per_year: round_to(hours_per_year, 1),
                pnil_cost,
                own_cost,
                saving: pnil_cost - own_cost,
            }
        }
    };
    PnilBlock {
        from_month: month_label(from.year, from.month),
        to_month: month_label(to.year, to.month),
        months_with_data: months.len() as u32,
        last_12_months_cost: cost,
        last_12_months_hours: hours.map(|h| round_to(h, 1)),
        cost_unit: "cent",
        replaceable,
    }
}

/// How many people who want more (`wanting` per cell; the last cell is outside the
/// snapshot) the potential of the snapshot teams selected by `selected` rests on: a team
/// with its own rate on its own, a team with the pooled rate on every small team's, a
/// team with the organisation's rate on everyone's.
fn behind(
    rates: &[(f64, RateSource)],
    employees: &[u64],
    wanting: &[u64],
    selected: impl Fn(usize) -> bool,
) -> u64 {
    let teams = employees.len() - 1;
    let (mut own, mut pool, mut org) = (0u64, false, false);
    for i in (0..teams).filter(|&i| selected(i) && employees[i] > 0) {
        match rates[i].1 {
            RateSource::Team => own += wanting[i],
            RateSource::Pooled => pool = true,
            RateSource::Organisation => org = true,
        }
    }
    if org {
        return wanting.iter().sum();
    }
    if pool {
        own += (0..teams)
            .filter(|&i| rates[i].1 == RateSource::Pooled)
            .map(|i| wanting[i])
            .sum::<u64>();
    }
    own
}

/// Computes the Value Case. `rules` decides the recommendations.
pub fn compute(input: &Input<'_>, rules: &Rules) -> ValueCase {
    let k = input.min_group_size.max(2);
    let fth = input.full_time_hours;
    let employees_all = &input.snapshot.employees;
    let emp_resp: Vec<&Respondent> = input
        .respondents
        .iter()
        .filter(|r| r.role == RespondentRole::Employee)
        .collect();
    let mgr_resp: Vec<&Respondent> = input
        .respondents
        .iter()
        .filter(|r| r.role == RespondentRole::Manager)
        .collect();

    // Workforce: the HR contract picture with the organisation's k.
    let picture = hr::contract_picture(
        employees_all,
        &hr::PictureOptions {
            full_time_hours: dec(fth),
            min_group_size: k as usize,
        },
    );
    let workforce = match &picture.total {
        Some(t) => Workforce {
            employees: Some(t.headcount as u64),
            average_contract_hours: Some(t.average_hours),
            fte: Some(t.fte),
            deeltijdfactor: Some(t.average_part_time_factor),
            sector_average_hours: SECTOR_AVERAGE_HOURS,
            sector_source: SECTOR_SOURCE,
            gap_to_sector_hours: Some(round_to(t.average_hours - SECTOR_AVERAGE_HOURS, 1)),
            small_contracts: Some(
                employees_all
                    .iter()
                    .filter(|e| e.contract_hours < Decimal::from(16))
                    .count() as u64,
            ),
        },
        None => Workforce {
            employees: None,
            average_contract_hours: None,
            fte: None,
            deeltijdfactor: None,
            sector_average_hours: SECTOR_AVERAGE_HOURS,
            sector_source: SECTOR_SOURCE,
            gap_to_sector_hours: None,
            small_contracts: None,
        },
    };

    // Survey, organisation level.
    let answered: Vec<&&Respondent> = emp_resp.iter().filter(|r| r.openness.is_some()).collect();
    let n_open_base = answered.len() as u64;
    let count = |o: Openness| answered.iter().filter(|r| r.openness == Some(o)).count() as u64;
    let (sure, cond) = (count(Openness::Sure), count(Openness::Conditional));
    let survey_suppressed = n_open_base < k || (emp_resp.len() as u64) < k;
    let open = Share::of(sure + cond, n_open_base);
    let survey_block = SurveyBlock {
        respondents: emp_resp.len() as u64,
        invited: input.round.invited,
        response_rate: input
            .round
            .invited
            .filter(|&i| i > 0)
            .map(|i| round_to(emp_resp.len() as f64 / i as f64, 4)),
        suppressed: survey_suppressed,
        answered_openness: (!survey_suppressed).then_some(n_open_base),
        open_share: (!survey_suppressed).then_some(open.share),
        open_share_ci95: (!survey_suppressed).then_some(open.ci95),
        sure_share: (!survey_suppressed).then(|| Share::of(sure, n_open_base).share),
        conditional_share: (!survey_suppressed).then(|| Share::of(cond, n_open_base).share),
    };

    // Teams of the snapshot, in the picture's order ("onbekend" last), plus one cell for
    // respondents outside the snapshot's teams.
    let mut team_keys: Vec<Option<String>> = Vec::new();
    let mut team_sizes: BTreeMap<Option<String>, u64> = BTreeMap::new();
    for e in employees_all {
        let key = e.team.as_ref().map(|t| t.trim().to_string());
        *team_sizes.entry(key.clone()).or_default() += 1;
        if !team_keys.contains(&key) {
            team_keys.push(key);
        }
    }
    team_keys.sort_by_key(|t| match t {
        None => (1, String::new()),
        Some(t) => (0, t.to_lowercase()),
    });
    let index: BTreeMap<String, usize> = team_keys
        .iter()
        .enumerate()
        .filter_map(|(i, t)| t.as_ref().map(|t| (norm(t), i)))
        .collect();
    let outside = team_keys.len();
    let cell_of = |r: &Respondent| -> usize {
        r.team
            .as_ref()
            .and_then(|t| index.get(&norm(t)).copied())
            .unwrap_or(outside)
    };
    let mut cells = vec![potential::Cell::default(); outside + 1];
    let mut sure_cells = vec![potential::Cell::default(); outside + 1];
    let mut resp_count = vec![0u64; outside + 1];
    let mut open_count = vec![(0u64, 0u64); outside + 1];
    // Respondents whose `extra` is positive: the potential is a figure about them alone,
    // so it needs at least k of them (as the survey's hours of those who want more).
    let mut wanting = vec![0u64; outside + 1];
    let mut wanting_sure = vec![0u64; outside + 1];
    for (i, t) in team_keys.iter().enumerate() {
        cells[i].employees = team_sizes[t];
        sure_cells[i].employees = team_sizes[t];
    }
    for r in &emp_resp {
        let c = cell_of(r);
        resp_count[c] += 1;
        if let Some(x) = r.extra(false) {
            cells[c].extras.push(x);
            sure_cells[c].extras.push(r.extra(true).unwrap_or(0.0));
            open_count[c].1 += 1;
            if x > 0.0 {
                wanting[c] += 1;
            }
            if r.extra(true).is_some_and(|x| x > 0.0) {
                wanting_sure[c] += 1;
            }
            if matches!(r.openness, Some(Openness::Sure | Openness::Conditional)) {
                open_count[c].0 += 1;
            }
        }
    }
    let employees: Vec<u64> = cells.iter().map(|c| c.employees).collect();
    let est = potential::estimate(&employees, &potential::Sums::of(&cells), k);
    let sure_est = potential::estimate(&employees, &potential::Sums::of(&sure_cells), k);
    // The potential is about the people behind the teams' rates (see `behind`): shown
    // when that is none or at least k of them.
    let few = |n: u64| n > 0 && n < k;
    let potential_suppressed = survey_suppressed
        || employees_all.is_empty()
        || few(behind(&est.rates, &employees, &wanting, |_| true));
    let sure_suppressed =
        potential_suppressed || few(behind(&sure_est.rates, &employees, &wanting_sure, |_| true));
    let ci = if potential_suppressed {
        None
    } else {
        potential::bootstrap_ci95(&cells, k, input.resamples, potential::BOOTSTRAP_SEED)
    };
    let potential_block = PotentialBlock {
        suppressed: potential_suppressed,
        hours_per_week: (!potential_suppressed).then(|| round_to(est.hours_per_week, 1)),
        hours_per_week_ci95: ci.map(|[a, b]| [round_to(a, 1), round_to(b, 1)]),
        fte: (!potential_suppressed).then(|| round_to(est.hours_per_week / fth, 2)),
        sure_hours_per_week: (!sure_suppressed).then(|| round_to(sure_est.hours_per_week, 1)),
        sure_fte: (!sure_suppressed).then(|| round_to(sure_est.hours_per_week / fth, 2)),
        full_time_hours: fth,
    };

    // Team suppression: the HR picture's hidden teams first, then the survey's rule on
    // respondents (the outside cell takes part, so it can complement but is never shown).
    // The survey results page's hidden teams too, so the Value Case hides a superset.
    let gate = |i: usize| -> TeamGate {
        match &input.survey_gate {
            None => TeamGate {
                shown: true,
                open_share: true,
                extra_hours: true,
            },
            Some(g) => g.team(team_keys.get(i).and_then(|t| t.as_deref())),
        }
    };
    let hr_hidden: Vec<bool> = team_keys
        .iter()
        .enumerate()
        .map(|(i, t)| {
            !gate(i).shown
                || picture
                    .breakdown(hr::Dimension::Team)
                    .and_then(|b| b.group(t.as_deref()))
                    .is_none_or(|g| g.figures.is_none())
        })
        .chain([false])
        .collect();
    let mut mask = suppression_mask_from(&resp_count, k, &hr_hidden);
    if potential_suppressed {
        mask.iter_mut().for_each(|m| *m = true);
    }
    // A team's potential: also hidden when fewer than k in it want more (or the page
    // hides their hours), with complementary suppression on those counts, so the hidden
    // teams' part of the total is about at least k people. The outside cell adds no hours.
    let mut want_sizes = wanting.clone();
    want_sizes[outside] = 0;
    let want_hidden: Vec<bool> = (0..=outside)
        .map(|i| i == outside || mask[i] || wanting[i] < k || !gate(i).extra_hours)
        .collect();
    let mut potential_mask = suppression_mask_from(&want_sizes, k, &want_hidden);
    // The hidden teams' part of the total (total − shown teams) rests on the people
    // behind their rates; when that is 1 to k − 1 people, no team potential is shown
    // (then the hidden part is the total, which passed the same rule).
    if few(behind(&est.rates, &employees, &wanting, |i| {
        potential_mask[i]
    })) {
        potential_mask.iter_mut().for_each(|m| *m = true);
    }
    let teams: Vec<TeamRow> = team_keys
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let name = t.clone().unwrap_or_else(|| ONBEKEND.to_string());
            if mask[i] {
                return TeamRow {
                    team: name,
                    suppressed: true,
                    employees: None,
                    respondents: None,
                    open_share: None,
                    potential_hours_per_week: None,
                    rate_source: None,
                };
            }
            let (o, n) = open_count[i];
            TeamRow {
                team: name,
                suppressed: false,
                employees: Some(employees[i]),
                respondents: Some(resp_count[i]),
                open_share: (n >= k && gate(i).open_share).then(|| Share::of(o, n).share),
                potential_hours_per_week: (!potential_mask[i])
                    .then(|| round_to(est.rates[i].0 * employees[i] as f64, 1)),
                rate_source: (!potential_mask[i]).then_some(est.rates[i].1),
            }
        })
        .collect();

    // Conditions and obstacles.
    let q = input.questionnaire;
    let conditions = ranked(q.by_role(Role::Conditions), &emp_resp, k);
    let obstacles = ranked(q.by_role(Role::Obstacles), &emp_resp, k);
    let managers = input.manager_questionnaire.map(|mq| ManagerBlock {
        respondents: mgr_resp.len() as u64,
        obstacles: ranked(mq.by_role(Role::Obstacles), &mgr_resp, k),
    });

    let pnil = pnil_block(input, potential_block.hours_per_week);

    let contract_change = input.previous_snapshot.as_ref().and_then(|prev| {
        if (prev.employees.len() as u64) < k || (employees_all.len() as u64) < k {
            return None;
        }
        let c = hr::compare_snapshot_totals(&prev.employees, employees_all, dec(fth));
        Some(ContractChange {
            from: prev.peildatum,
            to: input.snapshot.peildatum,
            contracts_grown: c.contracts_grown as u64,
            hours_added: c.hours_added,
            contracts_shrunk: c.contracts_shrunk as u64,
            hours_removed: c.hours_removed,
            joined: c.joined as u64,
            left: c.left as u64,
            net_hours: c.net_hours,
            net_fte: c.net_fte,
        })
    });

    let interview_items: Vec<InterviewItem> = input
        .interview
        .as_ref()
        .map(|i| i.report_items().cloned().collect())
        .unwrap_or_default();

    let summary = Summary {
        opportunities: top_lines(&conditions, &interview_items, ItemKind::Kans),
        obstacles: top_lines(&obstacles, &interview_items, ItemKind::Belemmering),
    };

    let mut vc = ValueCase {
        organisation: OrganisationRef {
            id: input.organisation_id,
            name: input.organisation.clone(),
        },
        round: input.round.clone(),
        snapshot: SnapshotRef {
            peildatum: input.snapshot.peildatum,
        },
        generated_on: input.today,
        min_group_size: k,
        full_time_hours: fth,
        workforce,
        method: Method {
            round: format!(
                "{} ({} t/m {})",
                input.round.name,
                input.round.opens_on.format("%d-%m-%Y"),
                input.round.closes_on.format("%d-%m-%Y")
            ),
            response_rate: survey_block.response_rate,
            snapshot: input.snapshot.peildatum,
            min_group_size: k,
            suppression: "Een team of groep met minder reacties (of medewerkers) dan de minimale groepsgrootte krijgt geen cijfers. Daarnaast wordt zo nodig nog een klein team verborgen, zodat geen verborgen team uit het totaal is af te leiden.",
            estimator: "Per medewerker die de vraag over een groter contract beantwoordde: extra uren = gewenste uren min contracturen (niet onder 0) bij 'ja, zeker' of 'ja, onder voorwaarden', anders 0. Per team van het HR-bestand: gemiddelde extra uren van de eigen reacties (als dat er genoeg zijn), anders van de kleine teams samen (als dat er genoeg zijn), anders van de hele organisatie; maal het aantal medewerkers van het team. Reacties zonder team in het HR-bestand tellen alleen mee in het gemiddelde van de hele organisatie.",
            estimator_version: ESTIMATOR_VERSION,
            interval: format!(
                "95%-interval met bootstrap: {} keer opnieuw trekken van reacties binnen elk team, met vaste startwaarde {} (dezelfde gegevens geven hetzelfde interval).",
                input.resamples,
                potential::BOOTSTRAP_SEED
            ),
            rules_version: rules.version().to_string(),
            questionnaire: q.id(),
            generated_on: input.today,
        },
        survey: survey_block,
        potential: potential_block,
        pnil,
        teams,
        conditions: conditions.options.clone(),
        obstacles: obstacles.options.clone(),
        conditions_detail: conditions,
        obstacles_detail: obstacles,
        managers,
        interview: interview_items,
        roster_scans: input.roster_scans.clone(),
        summary,
        contract_picture: picture,
        contract_change,
        recommendations: vec![],
    };
    vc.recommendations = rules.recommend(&rules::Facts {
        value_case: &vc,
        respondents: &input.respondents,
        interview: input.interview.as_ref(),
    });
    vc
}

/// The three lines of the summary: survey options first (by share), then interview items
/// of that kind marked for the report.
fn top_lines(r: &Ranked, items: &[InterviewItem], kind: ItemKind) -> Vec<String> {
    r.options
        .iter()
        .map(|o| format!("{} ({}%)", o.label, (o.share * 100.0).round()))
        .chain(
            items
                .iter()
                .filter(|i| i.kind == kind)
                .map(|i| format!("{} (interview, {})", i.text, i.theme.label())),
        )
        .take(3)
        .collect()
}

/// A number in Dutch notation with `decimals` decimals: `1.234,5` (thousands with a point,
/// decimals after a comma), for the Dutch sentences this crate writes.
pub fn nl_number(x: f64, decimals: usize) -> String {
    let s = format!("{:.*}", decimals, x.abs());
    let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push('.');
        }
        grouped.push(c);
    }
    let sign = if x < 0.0 && s.chars().any(|c| c.is_ascii_digit() && c != '0') {
        "-"
    } else {
        ""
    };
    if frac.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped},{frac}")
    }
}

/// Whether a question of `q` is a choice question (for the rules' validation).
pub(crate) fn is_choice(q: &survey::Question) -> bool {
    matches!(
        q.kind,
        QuestionKind::Single { .. } | QuestionKind::Multi { .. }
    )
}

#[cfg(test)]
mod tests {
    use super::nl_number;

    #[test]
    fn dutch_numbers() {
        assert_eq!(nl_number(1234.56, 1), "1.234,6");
        assert_eq!(nl_number(65.6, 1), "65,6");
        assert_eq!(nl_number(1_040_000.0, 0), "1.040.000");
        assert_eq!(nl_number(-2.5, 2), "-2,50");
        assert_eq!(nl_number(-0.001, 1), "0,0");
        assert_eq!(nl_number(999.0, 0), "999");
    }
}
