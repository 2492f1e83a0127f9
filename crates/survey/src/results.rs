//! Aggregate results of a survey round: the one result type that pages, exports, the API and
//! the CLI share. Suppression is explicit: a hidden group or figure serialises as
//! `"suppressed": true` with no figures at all.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::anonymity::{
    OVERIG, Policy, Strategy, fold_plan, suppression_mask, suppression_mask_from,
};
use crate::answer::{Answer, Response};
use crate::questionnaire::{Question, QuestionKind, Questionnaire, Role};
use crate::stats::{NumberSummary, Share, round2, round4};
use crate::text::Text;

/// One validated response with what is known about it apart from the answers: the team of
/// the invitation (codes and open links are per team). No code, IP address or time.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct Submission {
    pub team: Option<String>,
    pub response: Response,
}

/// Key used for respondents whose value of a breakdown dimension is unknown.
pub const ONBEKEND: &str = "onbekend";

/// Contract-hours bands: `(key, lower bound inclusive, Dutch, English)`; each band runs to
/// the next lower bound. 36 h is full time in the care CAOs (DOMAIN.md, glossary: FTE).
pub const CONTRACT_HOURS_BANDS: &[(&str, f64, &str, &str)] = &[
    ("tot_12", 0.0, "Minder dan 12 uur", "Less than 12 hours"),
    ("12_20", 12.0, "12 tot 20 uur", "12 to 20 hours"),
    ("20_28", 20.0, "20 tot 28 uur", "20 to 28 hours"),
    ("28_36", 28.0, "28 tot 36 uur", "28 to 36 hours"),
    ("36_plus", 36.0, "36 uur of meer", "36 hours or more"),
];

/// The band key for contract hours.
pub fn contract_hours_band(hours: f64) -> &'static str {
    CONTRACT_HOURS_BANDS
        .iter()
        .rev()
        .find(|(_, lo, _, _)| hours >= *lo)
        .map_or(CONTRACT_HOURS_BANDS[0].0, |b| b.0)
}

/// A dimension to break results down by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    Team,
    FunctionLevel,
    ContractHoursBand,
    AgeBand,
}

impl Dimension {
    pub const ALL: [Dimension; 4] = [
        Dimension::Team,
        Dimension::FunctionLevel,
        Dimension::ContractHoursBand,
        Dimension::AgeBand,
    ];
}

/// Settings for [`analyse`].
#[derive(Debug, Clone, PartialEq)]
pub struct AnalysisOptions {
    pub policy: Policy,
    /// Full-time hours per week of the organisation, for FTE (36 in the care CAOs).
    pub full_time_hours: f64,
    /// Invited people per team, for response rates (teams without an entry: no rate, e.g.
    /// an open link). Teams listed here appear in `teams` even without responses.
    pub invited: BTreeMap<String, u64>,
    /// Length of the top conditions and top obstacles lists.
    pub top: usize,
    /// Breakdowns besides `teams` (which is always there).
    pub breakdowns: Vec<Dimension>,
}

impl Default for AnalysisOptions {
    fn default() -> Self {
        Self {
            policy: Policy::default(),
            full_time_hours: 36.0,
            invited: BTreeMap::new(),
            top: 5,
            breakdowns: vec![
                Dimension::FunctionLevel,
                Dimension::ContractHoursBand,
                Dimension::AgeBand,
            ],
        }
    }
}

// ----- output types ----------------------------------------------------------------------

/// The results of a round. See docs/survey.md for the JSON shape.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SurveyResults {
    pub questionnaire: String,
    pub min_group_size: u64,
    pub strategy: Strategy,
    /// The organisation has fewer respondents than the minimum: nothing below is shown.
    pub suppressed: bool,
    #[serde(flatten)]
    pub figures: Option<Box<OrgFigures>>,
    pub teams: Vec<TeamResult>,
    pub breakdowns: Vec<BreakdownResult>,
}

/// Organisation-level figures (absent when the organisation is below the minimum).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OrgFigures {
    #[serde(flatten)]
    pub group: GroupFigures,
    pub top_conditions: Vec<OptionResult>,
    pub top_obstacles: Vec<OptionResult>,
    pub free_text: Vec<FreeTextResult>,
}

/// Figures about one group (organisation, team or breakdown group).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupFigures {
    pub respondents: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub invited: Option<u64>,
    /// respondents / invited, a fraction rounded to 4 decimals.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response_rate: Option<f64>,
    /// Share open to a bigger contract (options marked `open`), among those who answered the
    /// openness question. Absent when that question has too few answers here.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub open_share: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub open_share_ci95: Option<[f64; 2]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub open_count: Option<u64>,
    /// Number who answered the openness question (the base of `open_share`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub open_n: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub desired_extra_hours: Option<Item<ExtraHours>>,
    pub questions: Vec<QuestionResult>,
}

/// A figure block that may be suppressed on its own (too few answers to it in a group).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Item<T> {
    pub suppressed: bool,
    #[serde(flatten)]
    pub figures: Option<T>,
}

/// Desired extra hours: per respondent who answered both contract and desired hours,
/// `extra = desired − contract`. Those with `extra > 0` want more; only positive extras are
/// summed (someone wanting fewer hours does not cancel someone else's wish for more).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExtraHours {
    /// Answered both contract and desired hours.
    pub respondents: u64,
    /// Share of `respondents` with desired > contract.
    pub want_more: Share,
    pub want_fewer: u64,
    /// The hours of those who want more. Its own anonymity item: the people who want more
    /// must be at least `k` (with complementary suppression over the groups), since these
    /// figures are about them alone.
    pub hours: Item<ExtraHoursSum>,
}

/// Hours of the respondents who want more (`extra > 0`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExtraHoursSum {
    /// Respondents who want more (equals `want_more.count`).
    pub n: u64,
    /// Sum of the positive extras, hours per week.
    pub total: f64,
    /// `total / full_time_hours`, rounded to 2 decimals.
    pub fte: f64,
    pub full_time_hours: f64,
    pub mean: f64,
    pub median: f64,
}

/// One question's figures in one group.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuestionResult {
    pub question: String,
    pub kind: &'static str,
    pub suppressed: bool,
    #[serde(flatten)]
    pub figures: Option<QuestionFigures>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum QuestionFigures {
    /// Single and multiple choice; for multiple choice shares do not sum to 1.
    Choice { n: u64, options: Vec<OptionResult> },
    Number {
        #[serde(flatten)]
        summary: NumberSummary,
    },
    Scale {
        n: u64,
        mean: f64,
        distribution: Vec<ScaleCount>,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OptionResult {
    pub option: String,
    pub label: Text,
    #[serde(flatten)]
    pub share: Share,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScaleCount {
    pub value: i64,
    #[serde(flatten)]
    pub share: Share,
}

/// Free-text answers to one question, organisation level only, sorted alphabetically (so
/// their order says nothing about who or when).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FreeTextResult {
    pub question: String,
    pub suppressed: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub answers: Option<Vec<String>>,
}

/// A team: `{"team": "...", "suppressed": true}` or with figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TeamResult {
    pub team: String,
    #[serde(flatten)]
    pub cell: CellResult,
}

/// A group in another breakdown.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupResult {
    pub group: String,
    pub label: Text,
    #[serde(flatten)]
    pub cell: CellResult,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BreakdownResult {
    pub dimension: Dimension,
    pub groups: Vec<GroupResult>,
}

/// One cell of a breakdown.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CellResult {
    pub suppressed: bool,
    /// With the fold strategy: this group is counted in the group "overig".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub folded_into: Option<String>,
    /// For the group "overig": the groups folded into it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub members: Option<Vec<String>>,
    #[serde(flatten)]
    pub figures: Option<GroupFigures>,
}

// ----- computation -----------------------------------------------------------------------

/// A measurable item: the base (who it is about) and how to compute figures for a set of
/// respondents. Suppression is decided per item on the base sizes.
enum ItemKind<'q> {
    Question(Qi<'q>),
    Open(Qi<'q>),
    Extra(Qi<'q>, Qi<'q>),
    /// The hours of those with desired > contract; hidden wherever `Extra` is hidden.
    ExtraSum(Qi<'q>, Qi<'q>),
}

/// A question with its position in the questionnaire, which indexes a [`Row`].
#[derive(Clone, Copy)]
struct Qi<'q> {
    i: usize,
    q: &'q Question,
}

impl std::ops::Deref for Qi<'_> {
    type Target = Question;
    fn deref(&self) -> &Question {
        self.q
    }
}

/// One submission's answers by question position (looked up once per analysis).
type Row<'a> = [Option<&'a Answer>];

fn num(a: Option<&Answer>) -> Option<f64> {
    match a {
        Some(Answer::Number(x)) => Some(*x),
        _ => None,
    }
}

fn choice(a: Option<&Answer>) -> Option<&str> {
    match a {
        Some(Answer::Choice(c)) => Some(c),
        _ => None,
    }
}

impl ItemKind<'_> {
    fn in_base(&self, r: &Row) -> bool {
        match self {
            ItemKind::Question(q) | ItemKind::Open(q) => r[q.i].is_some(),
            ItemKind::Extra(c, d) => num(r[c.i]).is_some() && num(r[d.i]).is_some(),
            ItemKind::ExtraSum(c, d) => match (num(r[c.i]), num(r[d.i])) {
                (Some(c), Some(d)) => d > c,
                _ => false,
            },
        }
    }
}

struct Ctx<'a> {
    q: &'a Questionnaire,
    subs: &'a [Submission],
    k: u64,
    opts: &'a AnalysisOptions,
    items: Vec<ItemKind<'a>>,
    rows: Vec<Vec<Option<&'a Answer>>>,
}

struct Cell {
    key: String,
    label: Text,
    members: Vec<usize>,
    invited: Option<u64>,
}

impl Ctx<'_> {
    fn base(&self, item: &ItemKind, members: &[usize]) -> u64 {
        members
            .iter()
            .filter(|&&i| item.in_base(&self.rows[i]))
            .count() as u64
    }

    /// Per item, which cells hide it: cells hidden as a whole (`hidden`), cells whose base
    /// for the item needs suppression, and for the extra-hours sum also the cells where the
    /// extra-hours item itself is hidden.
    fn item_masks(&self, cells: &[Cell], hidden: &[bool]) -> Vec<Vec<bool>> {
        let mut masks: Vec<Vec<bool>> = Vec::with_capacity(self.items.len());
        for item in &self.items {
            let bases: Vec<u64> = cells.iter().map(|c| self.base(item, &c.members)).collect();
            let initial: Vec<bool> = match item {
                ItemKind::ExtraSum(..) => {
                    let parent = self
                        .items
                        .iter()
                        .position(|i| matches!(i, ItemKind::Extra(..)))
                        .expect("ExtraSum follows Extra");
                    hidden
                        .iter()
                        .zip(&masks[parent])
                        .map(|(a, b)| *a || *b)
                        .collect()
                }
                _ => hidden.to_vec(),
            };
            masks.push(suppression_mask_from(&bases, self.k, &initial));
        }
        masks
    }

    /// Figures for the shown cells given per-cell hidden flags; `hidden_items[item][cell]`.
    fn figures(&self, cell: &Cell, cell_idx: usize, hidden_items: &[Vec<bool>]) -> GroupFigures {
        let rs: Vec<&Row> = cell.members.iter().map(|&i| &self.rows[i][..]).collect();
        let respondents = rs.len() as u64;
        let mut out = GroupFigures {
            respondents,
            invited: cell.invited,
            response_rate: cell
                .invited
                .filter(|&n| n > 0)
                .map(|n| round4(respondents as f64 / n as f64)),
            open_share: None,
            open_share_ci95: None,
            open_count: None,
            open_n: None,
            desired_extra_hours: None,
            questions: Vec::new(),
        };
        for (item, hidden) in self.items.iter().zip(hidden_items) {
            let hidden = hidden[cell_idx];
            match item {
                ItemKind::Question(q) => out.questions.push(QuestionResult {
                    question: q.id.clone(),
                    kind: q.kind.name(),
                    suppressed: hidden,
                    figures: (!hidden).then(|| question_figures(*q, &rs)),
                }),
                ItemKind::Open(q) => {
                    if !hidden {
                        let n = rs.iter().filter(|r| r[q.i].is_some()).count() as u64;
                        let open = rs
                            .iter()
                            .filter(|r| {
                                choice(r[q.i])
                                    .and_then(|c| q.option(c))
                                    .is_some_and(|o| o.open)
                            })
                            .count() as u64;
                        let s = Share::of(open, n);
                        out.open_share = Some(s.share);
                        out.open_share_ci95 = Some(s.ci95);
                        out.open_count = Some(open);
                        out.open_n = Some(n);
                    }
                }
                ItemKind::Extra(c, d) => {
                    out.desired_extra_hours = Some(Item {
                        suppressed: hidden,
                        figures: (!hidden).then(|| extra_hours(*c, *d, &rs)),
                    });
                }
                ItemKind::ExtraSum(c, d) => {
                    if let Some(Item {
                        figures: Some(x), ..
                    }) = &mut out.desired_extra_hours
                        && !hidden
                    {
                        x.hours = Item {
                            suppressed: false,
                            figures: Some(extra_hours_sum(*c, *d, &rs, self.opts.full_time_hours)),
                        };
                    }
                }
            }
        }
        out
    }

    /// Compute a breakdown over `cells` (a partition of all submissions).
    fn breakdown(&self, cells: Vec<Cell>) -> Vec<(String, Text, CellResult)> {
        let sizes: Vec<u64> = cells.iter().map(|c| c.members.len() as u64).collect();
        let total: u64 = sizes.iter().sum();
        // Effective cells: with folding, small cells merge into "overig".
        let mut out_rows: Vec<(String, Text, CellResult)> = Vec::new();
        let (eff, eff_hidden, row_of_eff): (Vec<Cell>, Vec<bool>, Vec<usize>) =
            match self.opts.policy.strategy {
                Strategy::Suppress => {
                    let mask = suppression_mask(&sizes, self.k);
                    let mut rows = Vec::new();
                    for (i, c) in cells.iter().enumerate() {
                        out_rows.push((c.key.clone(), c.label.clone(), hidden_cell()));
                        rows.push(i);
                    }
                    (cells, mask, rows)
                }
                Strategy::Fold => {
                    let plan = fold_plan(&sizes, self.k);
                    let mut eff = Vec::new();
                    let mut hidden = Vec::new();
                    let mut rows = Vec::new();
                    let mut overig = Cell {
                        key: OVERIG.to_string(),
                        label: Text::new("Overig", "Other"),
                        members: Vec::new(),
                        invited: Some(0),
                    };
                    let mut overig_keys = Vec::new();
                    for (c, &folded) in cells.into_iter().zip(&plan.folded) {
                        if folded && !plan.all_hidden {
                            let mut cell = hidden_cell();
                            if plan.overig_size > 0 {
                                cell.folded_into = Some(OVERIG.to_string());
                                overig_keys.push(c.key.clone());
                                overig.members.extend(&c.members);
                                overig.invited = match (overig.invited, c.invited) {
                                    (Some(a), Some(b)) => Some(a + b),
                                    _ => None,
                                };
                            }
                            out_rows.push((c.key, c.label, cell));
                        } else {
                            out_rows.push((c.key.clone(), c.label.clone(), hidden_cell()));
                            rows.push(out_rows.len() - 1);
                            hidden.push(plan.all_hidden);
                            eff.push(c);
                        }
                    }
                    if plan.overig_size > 0 && !plan.all_hidden {
                        let mut cell = hidden_cell();
                        cell.members = Some(overig_keys);
                        out_rows.push((overig.key.clone(), overig.label.clone(), cell));
                        rows.push(out_rows.len() - 1);
                        hidden.push(false);
                        eff.push(overig);
                    }
                    (eff, hidden, rows)
                }
            };
        debug_assert_eq!(
            eff.iter().map(|c| c.members.len() as u64).sum::<u64>(),
            total
        );
        // Per item: bases per effective cell, hidden where the group is hidden or the base
        // needs suppression.
        let hidden_items = self.item_masks(&eff, &eff_hidden);
        for (e, cell) in eff.iter().enumerate() {
            if eff_hidden[e] {
                continue;
            }
            let row = &mut out_rows[row_of_eff[e]].2;
            row.suppressed = false;
            row.figures = Some(self.figures(cell, e, &hidden_items));
        }
        out_rows
    }

    fn cells(&self, dim: Dimension) -> Vec<Cell> {
        let all: Vec<usize> = (0..self.subs.len()).collect();
        let unknown_label = Text::new("Onbekend", "Unknown");
        let mut cells: Vec<Cell> = Vec::new();
        let mut unknown = Vec::new();
        match dim {
            Dimension::Team => {
                let mut teams: BTreeSet<&str> =
                    self.opts.invited.keys().map(String::as_str).collect();
                teams.extend(self.subs.iter().filter_map(|s| s.team.as_deref()));
                for t in teams {
                    cells.push(Cell {
                        key: t.to_string(),
                        label: Text::new(t, t),
                        members: all
                            .iter()
                            .copied()
                            .filter(|&i| self.subs[i].team.as_deref() == Some(t))
                            .collect(),
                        invited: self.opts.invited.get(t).copied(),
                    });
                }
                unknown.extend(all.iter().copied().filter(|&i| self.subs[i].team.is_none()));
            }
            Dimension::FunctionLevel | Dimension::AgeBand => {
                let role = if dim == Dimension::AgeBand {
                    Role::AgeBand
                } else {
                    Role::FunctionLevel
                };
                let Some(q) = self.q.by_role(role) else {
                    return Vec::new();
                };
                for o in q.kind.options() {
                    cells.push(Cell {
                        key: o.id.clone(),
                        label: o.label.clone(),
                        members: all
                            .iter()
                            .copied()
                            .filter(|&i| self.subs[i].response.choice(&q.id) == Some(&o.id))
                            .collect(),
                        invited: None,
                    });
                }
                unknown.extend(
                    all.iter()
                        .copied()
                        .filter(|&i| self.subs[i].response.choice(&q.id).is_none()),
                );
            }
            Dimension::ContractHoursBand => {
                let Some(q) = self.q.by_role(Role::ContractHours) else {
                    return Vec::new();
                };
                for (key, _, nl, en) in CONTRACT_HOURS_BANDS {
                    cells.push(Cell {
                        key: key.to_string(),
                        label: Text::new(*nl, *en),
                        members: all
                            .iter()
                            .copied()
                            .filter(|&i| {
                                self.subs[i].response.number(&q.id).map(contract_hours_band)
                                    == Some(key)
                            })
                            .collect(),
                        invited: None,
                    });
                }
                unknown.extend(
                    all.iter()
                        .copied()
                        .filter(|&i| self.subs[i].response.number(&q.id).is_none()),
                );
            }
        }
        if !unknown.is_empty() {
            cells.push(Cell {
                key: ONBEKEND.to_string(),
                label: unknown_label,
                members: unknown,
                invited: None,
            });
        }
        cells
    }
}

fn hidden_cell() -> CellResult {
    CellResult {
        suppressed: true,
        folded_into: None,
        members: None,
        figures: None,
    }
}

fn choice_shares(q: Qi, rs: &[&Row], n: u64) -> Vec<OptionResult> {
    let options = q.kind.options();
    let mut counts = vec![0u64; options.len()];
    let mut count = |c: &str| {
        if let Some(i) = options.iter().position(|o| o.id == c) {
            counts[i] += 1;
        }
    };
    for r in rs {
        match r[q.i] {
            Some(Answer::Choice(c)) => count(c),
            Some(Answer::Choices(cs)) => cs.iter().for_each(|c| count(c)),
            _ => {}
        }
    }
    options
        .iter()
        .zip(counts)
        .map(|(o, count)| OptionResult {
            option: o.id.clone(),
            label: o.label.clone(),
            share: Share::of(count, n),
        })
        .collect()
}

fn question_figures(q: Qi, rs: &[&Row]) -> QuestionFigures {
    let answered: Vec<&Row> = rs.iter().copied().filter(|r| r[q.i].is_some()).collect();
    let n = answered.len() as u64;
    match &q.kind {
        QuestionKind::Single { .. } | QuestionKind::Multi { .. } => QuestionFigures::Choice {
            n,
            options: choice_shares(q, &answered, n),
        },
        QuestionKind::Number { .. } => {
            let values: Vec<f64> = answered.iter().filter_map(|r| num(r[q.i])).collect();
            QuestionFigures::Number {
                summary: NumberSummary::of(&values).unwrap_or(NumberSummary {
                    n: 0,
                    mean: 0.0,
                    median: 0.0,
                    total: 0.0,
                }),
            }
        }
        QuestionKind::Scale { min, max, .. } => {
            let values: Vec<i64> = answered
                .iter()
                .filter_map(|r| match r[q.i] {
                    Some(Answer::Scale(x)) => Some(*x),
                    _ => None,
                })
                .collect();
            let mean = if values.is_empty() {
                0.0
            } else {
                round2(values.iter().sum::<i64>() as f64 / values.len() as f64)
            };
            QuestionFigures::Scale {
                n,
                mean,
                distribution: (*min..=*max)
                    .map(|v| ScaleCount {
                        value: v,
                        share: Share::of(values.iter().filter(|&&x| x == v).count() as u64, n),
                    })
                    .collect(),
            }
        }
        QuestionKind::Text { .. } => unreachable!("text questions are not aggregated"),
    }
}

fn extra_of(c: Qi, d: Qi, r: &Row) -> Option<f64> {
    Some(num(r[d.i])? - num(r[c.i])?)
}

fn extra_hours(c: Qi, d: Qi, rs: &[&Row]) -> ExtraHours {
    let extras: Vec<f64> = rs.iter().filter_map(|r| extra_of(c, d, r)).collect();
    let more = extras.iter().filter(|&&x| x > 0.0).count() as u64;
    ExtraHours {
        respondents: extras.len() as u64,
        want_more: Share::of(more, extras.len() as u64),
        want_fewer: extras.iter().filter(|&&x| x < 0.0).count() as u64,
        hours: Item {
            suppressed: true,
            figures: None,
        },
    }
}

fn extra_hours_sum(c: Qi, d: Qi, rs: &[&Row], full_time: f64) -> ExtraHoursSum {
    let positive: Vec<f64> = rs
        .iter()
        .filter_map(|r| extra_of(c, d, r))
        .filter(|&x| x > 0.0)
        .collect();
    let s = NumberSummary::of(&positive).unwrap_or(NumberSummary {
        n: 0,
        mean: 0.0,
        median: 0.0,
        total: 0.0,
    });
    ExtraHoursSum {
        n: s.n,
        total: s.total,
        fte: if full_time > 0.0 {
            round2(s.total / full_time)
        } else {
            0.0
        },
        full_time_hours: full_time,
        mean: s.mean,
        median: s.median,
    }
}

fn top_options(figs: &GroupFigures, q: Option<&Question>, top: usize) -> Vec<OptionResult> {
    let Some(q) = q else { return Vec::new() };
    let Some(QuestionResult {
        figures: Some(QuestionFigures::Choice { options, .. }),
        ..
    }) = figs.questions.iter().find(|r| r.question == q.id)
    else {
        return Vec::new();
    };
    let mut opts: Vec<OptionResult> = options
        .iter()
        .filter(|o| o.share.count > 0)
        .cloned()
        .collect();
    // Stable sort: ties keep questionnaire order.
    opts.sort_by_key(|o| std::cmp::Reverse(o.share.count));
    opts.truncate(top);
    opts
}

/// Aggregate a round's submissions with the anonymity policy applied everywhere.
/// Submissions must have been validated against `q` (see [`Questionnaire::validate`]).
pub fn analyse(q: &Questionnaire, subs: &[Submission], opts: &AnalysisOptions) -> SurveyResults {
    let k = opts.policy.k();
    let qi = |role: Role| {
        q.questions
            .iter()
            .enumerate()
            .find(|(_, qq)| qq.role == Some(role))
            .map(|(i, qq)| Qi { i, q: qq })
    };
    let mut items = Vec::new();
    if let Some(open) = qi(Role::Openness) {
        items.push(ItemKind::Open(open));
    }
    if let (Some(c), Some(d)) = (qi(Role::ContractHours), qi(Role::DesiredHours)) {
        items.push(ItemKind::Extra(c, d));
        items.push(ItemKind::ExtraSum(c, d));
    }
    for (i, question) in q.questions.iter().enumerate() {
        if !matches!(question.kind, QuestionKind::Text { .. }) {
            items.push(ItemKind::Question(Qi { i, q: question }));
        }
    }
    let rows = subs
        .iter()
        .map(|s| {
            q.questions
                .iter()
                .map(|qq| s.response.get(&qq.id))
                .collect()
        })
        .collect();
    let ctx = Ctx {
        q,
        subs,
        k,
        opts,
        items,
        rows,
    };
    let total = subs.len() as u64;
    let org_suppressed = total < k;

    // Organisation level: one cell with everyone; items below k are hidden.
    let figures = if org_suppressed {
        None
    } else {
        let all = Cell {
            key: String::new(),
            label: Text::new("", ""),
            members: (0..subs.len()).collect(),
            invited: if opts.invited.is_empty() {
                None
            } else {
                Some(opts.invited.values().sum())
            },
        };
        let all = vec![all];
        let hidden_items = ctx.item_masks(&all, &[false]);
        let all = all.into_iter().next().expect("one cell");
        let group = ctx.figures(&all, 0, &hidden_items);
        let top_conditions = top_options(&group, q.by_role(Role::Conditions), opts.top);
        let top_obstacles = top_options(&group, q.by_role(Role::Obstacles), opts.top);
        let free_text = q
            .questions
            .iter()
            .filter(|qq| matches!(qq.kind, QuestionKind::Text { .. }))
            .map(|qq| {
                let mut answers: Vec<String> = subs
                    .iter()
                    .filter_map(|s| match s.response.get(&qq.id) {
                        Some(Answer::Text(t)) => Some(t.clone()),
                        _ => None,
                    })
                    .collect();
                let shown = answers.len() as u64 >= k;
                answers.sort();
                FreeTextResult {
                    question: qq.id.clone(),
                    suppressed: !shown,
                    answers: shown.then_some(answers),
                }
            })
            .collect();
        Some(Box::new(OrgFigures {
            group,
            top_conditions,
            top_obstacles,
            free_text,
        }))
    };

    let teams = ctx
        .breakdown(ctx.cells(Dimension::Team))
        .into_iter()
        .map(|(team, _, cell)| TeamResult { team, cell })
        .collect();
    let breakdowns = opts
        .breakdowns
        .iter()
        .filter(|d| **d != Dimension::Team)
        .map(|&dimension| BreakdownResult {
            dimension,
            groups: ctx
                .breakdown(ctx.cells(dimension))
                .into_iter()
                .map(|(group, label, cell)| GroupResult { group, label, cell })
                .collect(),
        })
        .filter(|b| !b.groups.is_empty())
        .collect();

    SurveyResults {
        questionnaire: q.id(),
        min_group_size: k,
        strategy: opts.policy.strategy,
        suppressed: org_suppressed,
        figures,
        teams,
        breakdowns,
    }
}

/// Live response rates during fieldwork, from counts only (no answers needed): which
/// teams may show their count and rate. Same rules as [`analyse`]: a team below `k` shows
/// nothing, with complementary suppression (or folding into "overig") so no hidden team can
/// be derived from the organisation total.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResponseRates {
    pub min_group_size: u64,
    pub suppressed: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub respondents: Option<u64>,
    pub invited: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response_rate: Option<f64>,
    pub teams: Vec<TeamRate>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TeamRate {
    pub team: String,
    pub suppressed: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub folded_into: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub members: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub respondents: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub invited: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response_rate: Option<f64>,
}

fn rate(respondents: u64, invited: u64) -> Option<f64> {
    (invited > 0).then(|| round4(respondents as f64 / invited as f64))
}

/// Response rates per team from `invited` and `responded` counts per team (teams in either
/// map are listed, sorted by name). Responses without a team count in the total only.
pub fn response_rates(
    invited: &BTreeMap<String, u64>,
    responded: &BTreeMap<String, u64>,
    unknown_team: u64,
    policy: &Policy,
) -> ResponseRates {
    let k = policy.k();
    let mut names: BTreeSet<&String> = invited.keys().collect();
    names.extend(responded.keys());
    let mut keys: Vec<String> = names.into_iter().cloned().collect();
    let mut sizes: Vec<u64> = keys
        .iter()
        .map(|t| responded.get(t).copied().unwrap_or(0))
        .collect();
    let mut inv: Vec<Option<u64>> = keys.iter().map(|t| invited.get(t).copied()).collect();
    let listed = keys.len();
    if unknown_team > 0 {
        keys.push(ONBEKEND.to_string());
        sizes.push(unknown_team);
        inv.push(None);
    }
    let total: u64 = sizes.iter().sum();
    let total_invited: u64 = invited.values().sum();
    let org_hidden = total < k;
    let mut teams = Vec::new();
    let hidden_team = |team: &str| TeamRate {
        team: team.to_string(),
        suppressed: true,
        folded_into: None,
        members: None,
        respondents: None,
        invited: None,
        response_rate: None,
    };
    let shown_team = |team: &str, n: u64, invited: Option<u64>| TeamRate {
        team: team.to_string(),
        suppressed: false,
        folded_into: None,
        members: None,
        respondents: Some(n),
        invited,
        response_rate: invited.and_then(|i| rate(n, i)),
    };
    match policy.strategy {
        Strategy::Suppress => {
            let mask = suppression_mask(&sizes, k);
            for i in 0..listed {
                teams.push(if mask[i] {
                    hidden_team(&keys[i])
                } else {
                    shown_team(&keys[i], sizes[i], inv[i])
                });
            }
            if unknown_team > 0 && !mask[listed] {
                teams.push(shown_team(ONBEKEND, unknown_team, None));
            }
        }
        Strategy::Fold => {
            let plan = fold_plan(&sizes, k);
            let mut members = Vec::new();
            let mut overig_invited = Some(0);
            for i in 0..keys.len() {
                if plan.folded[i] && !plan.all_hidden {
                    if plan.overig_size > 0 {
                        members.push(keys[i].clone());
                        overig_invited = match (overig_invited, inv[i]) {
                            (Some(a), Some(b)) => Some(a + b),
                            _ => None,
                        };
                    }
                    if i < listed {
                        let mut t = hidden_team(&keys[i]);
                        if plan.overig_size > 0 {
                            t.folded_into = Some(OVERIG.to_string());
                        }
                        teams.push(t);
                    }
                } else if plan.all_hidden {
                    if i < listed {
                        teams.push(hidden_team(&keys[i]));
                    }
                } else {
                    teams.push(shown_team(&keys[i], sizes[i], inv[i]));
                }
            }
            if plan.overig_size > 0 && !plan.all_hidden {
                let mut t = shown_team(OVERIG, plan.overig_size, overig_invited);
                t.members = Some(members);
                teams.push(t);
            }
        }
    }
    ResponseRates {
        min_group_size: k,
        suppressed: org_hidden,
        respondents: (!org_hidden).then_some(total),
        invited: total_invited,
        response_rate: if org_hidden {
            None
        } else {
            rate(total, total_invited)
        },
        teams,
    }
}
