//! Aggregate results of a survey round: the one result type that pages, exports, the API and
//! the CLI share. Suppression is explicit: a hidden group or figure serialises as
//! `"suppressed": true` with no figures at all.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::anonymity::{
    OVERIG, Policy, Strategy, fold_plan, suppression_mask, suppression_mask_from,
};
use crate::answer::{Answer, Response};
use crate::disclosure::{DimLayout, Family, ItemMask, Layout, OrgFigure, protect};
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

/// A breakdown after the group-level rules: output rows (figures filled in later), the
/// effective cells whose figures may be published (with folding: the groups not folded, and
/// "overig"), and the folded groups (members, index of "overig" among the effective cells).
struct Plan {
    dimension: Dimension,
    out_rows: Vec<(String, Text, CellResult)>,
    eff: Vec<Cell>,
    eff_hidden: Vec<bool>,
    row_of_eff: Vec<usize>,
    folded: Vec<(Vec<usize>, usize)>,
}

/// Respondents grouped by their group in every breakdown: no published figure can tell
/// two respondents of one class apart, so the disclosure audit works per class.
struct Classes {
    /// Class of each submission.
    of: Vec<usize>,
    count: usize,
}

impl Classes {
    fn of(n: usize, dims: &[(Dimension, Vec<Cell>)]) -> Classes {
        let mut sig = vec![Vec::with_capacity(dims.len()); n];
        for (_, cells) in dims {
            let mut seen = vec![false; n];
            for (j, c) in cells.iter().enumerate() {
                for &m in &c.members {
                    sig[m].push(j);
                    seen[m] = true;
                }
            }
            debug_assert!(seen.iter().all(|s| *s), "a breakdown is a partition");
        }
        let mut ids: std::collections::HashMap<Vec<usize>, usize> =
            std::collections::HashMap::new();
        let of = sig
            .into_iter()
            .map(|s| {
                let next = ids.len();
                *ids.entry(s).or_insert(next)
            })
            .collect();
        Classes {
            of,
            count: ids.len(),
        }
    }

    /// The distinct classes of a set of submissions, sorted.
    fn set(&self, members: &[usize]) -> Vec<usize> {
        let mut v: Vec<usize> = members.iter().map(|&m| self.of[m]).collect();
        v.sort_unstable();
        v.dedup();
        v
    }
}

/// Per class, how many of its members are in `base`.
fn class_counts(classes: &Classes, base: impl Fn(usize) -> bool) -> Vec<u64> {
    let mut v = vec![0u64; classes.count];
    for (i, &c) in classes.of.iter().enumerate() {
        if base(i) {
            v[c] += 1;
        }
    }
    v
}

/// A family of one item whose figures are sums over its base: one coordinate per class.
fn single_family(counts: &[u64]) -> Family {
    Family {
        width: counts.len(),
        items: vec![
            counts
                .iter()
                .enumerate()
                .map(|(c, &n)| if n > 0 { vec![(c, 1)] } else { Vec::new() })
                .collect(),
        ],
    }
}

impl Ctx<'_> {
    /// Group-level rules for every breakdown: primary and complementary suppression
    /// (`suppression_mask`), then the cross-breakdown audit on respondent counts. With the
    /// fold strategy the mask says which groups go into "overig" (the published span is the
    /// same: "overig" is the total minus the shown groups).
    fn group_masks(
        &self,
        dims: &[(Dimension, Vec<Cell>)],
        classes: &Classes,
        org_suppressed: bool,
    ) -> Vec<Vec<bool>> {
        let sizes: Vec<Vec<u64>> = dims
            .iter()
            .map(|(_, cells)| cells.iter().map(|c| c.members.len() as u64).collect())
            .collect();
        if org_suppressed {
            return sizes.iter().map(|s| vec![true; s.len()]).collect();
        }
        let layout = Layout {
            n_classes: classes.count,
            dims: dims
                .iter()
                .map(|(_, cells)| DimLayout {
                    cells: cells.iter().map(|c| classes.set(&c.members)).collect(),
                    folded: Vec::new(),
                })
                .collect(),
        };
        let mut masks = vec![ItemMask {
            org_shown: true,
            hidden: sizes.iter().map(|s| suppression_mask(s, self.k)).collect(),
        }];
        let family = single_family(&vec![1; classes.count]);
        // The number of respondents of the round is always published: the audit must break
        // derivations with group cells only (hiding the total here would hide nothing).
        protect(
            &layout,
            &family,
            &[sizes],
            &mut masks,
            OrgFigure::AlwaysPublished,
        );
        let mask = masks.pop().expect("one item");
        debug_assert!(mask.org_shown, "the respondents total is never hidden");
        mask.hidden
    }

    /// Item-level rules: per item and breakdown, primary and complementary suppression on
    /// the number who answered (starting from the hidden groups), then the audit across
    /// breakdowns, per item or, for items linked by an identity (the hours), per family.
    fn item_masks(&self, plans: &[Plan], classes: &Classes, org_suppressed: bool) -> Vec<ItemMask> {
        let layout = Layout {
            n_classes: classes.count,
            dims: plans
                .iter()
                .map(|p| DimLayout {
                    cells: p.eff.iter().map(|c| classes.set(&c.members)).collect(),
                    folded: p
                        .folded
                        .iter()
                        .map(|(m, at)| (classes.set(m), *at))
                        .collect(),
                })
                .collect(),
        };
        let in_base: Vec<Vec<bool>> = self
            .items
            .iter()
            .map(|item| self.rows.iter().map(|r| item.in_base(r)).collect())
            .collect();
        let sizes: Vec<Vec<Vec<u64>>> = in_base
            .iter()
            .map(|b| {
                plans
                    .iter()
                    .map(|p| {
                        p.eff
                            .iter()
                            .map(|c| c.members.iter().filter(|&&m| b[m]).count() as u64)
                            .collect()
                    })
                    .collect()
            })
            .collect();
        let initial = |i: usize, extra_hidden: Option<&ItemMask>| -> ItemMask {
            let org_base = in_base[i].iter().filter(|b| **b).count() as u64;
            ItemMask {
                org_shown: !org_suppressed
                    && org_base >= self.k
                    && extra_hidden.is_none_or(|m| m.org_shown),
                hidden: plans
                    .iter()
                    .enumerate()
                    .map(|(d, p)| {
                        let start: Vec<bool> = match extra_hidden {
                            Some(m) => p
                                .eff_hidden
                                .iter()
                                .zip(&m.hidden[d])
                                .map(|(a, b)| *a || *b)
                                .collect(),
                            None => p.eff_hidden.clone(),
                        };
                        suppression_mask_from(&sizes[i][d], self.k, &start)
                    })
                    .collect(),
            }
        };
        let extra = self
            .items
            .iter()
            .position(|i| matches!(i, ItemKind::Extra(..)));
        let extra_sum = self
            .items
            .iter()
            .position(|i| matches!(i, ItemKind::ExtraSum(..)));
        let open = self
            .items
            .iter()
            .position(|i| matches!(i, ItemKind::Open(..)));
        let role_item = |role: Role| {
            self.items
                .iter()
                .position(|i| matches!(i, ItemKind::Question(q) if q.role == Some(role)))
        };
        let contract = role_item(Role::ContractHours);
        let desired = role_item(Role::DesiredHours);
        let openness = role_item(Role::Openness);
        let hours: Vec<usize> = match (contract, desired, extra_sum) {
            (Some(c), Some(d), Some(e)) => vec![c, d, e],
            _ => Vec::new(),
        };

        let mut masks: Vec<Option<ItemMask>> = vec![None; self.items.len()];
        // Items on their own; items with the same base and start share one audit.
        let mut done: std::collections::HashMap<(Vec<u64>, ItemMask), ItemMask> =
            std::collections::HashMap::new();
        for i in 0..self.items.len() {
            if hours.contains(&i) || (Some(i) == open && openness.is_some()) {
                continue;
            }
            let counts = class_counts(classes, |m| in_base[i][m]);
            let start = initial(i, None);
            let key = (counts, start);
            let mask = match done.get(&key) {
                Some(m) => m.clone(),
                None => {
                    let mut m = vec![key.1.clone()];
                    protect(
                        &layout,
                        &single_family(&key.0),
                        &[sizes[i].clone()],
                        &mut m,
                        OrgFigure::MayHide,
                    );
                    let m = m.pop().expect("one item");
                    done.insert(key, m.clone());
                    m
                }
            };
            masks[i] = Some(mask);
        }
        // The open share is computed from the answers to the openness question: the same
        // cells are hidden.
        if let (Some(o), Some(q)) = (open, openness) {
            masks[o] = masks[q].clone();
        }
        if !hours.is_empty() {
            let (c, d, e) = (hours[0], hours[1], hours[2]);
            let extra_mask = extra.and_then(|x| masks[x].clone());
            let mut family_masks = vec![
                initial(c, None),
                initial(d, None),
                initial(e, extra_mask.as_ref()),
            ];
            let family = self.hours_family(classes, c, d);
            let family_sizes = vec![sizes[c].clone(), sizes[d].clone(), sizes[e].clone()];
            protect(
                &layout,
                &family,
                &family_sizes,
                &mut family_masks,
                OrgFigure::MayHide,
            );
            for (i, m) in hours.iter().zip(family_masks) {
                masks[*i] = Some(m);
            }
        }
        masks
            .into_iter()
            .map(|m| m.expect("every item has a mask"))
            .collect()
    }

    /// The hours family: contract hours (C), desired hours (D) and the extra-hours sum (E)
    /// per class. Coordinates per class: C (anyone answered contract hours), E (anyone wants
    /// more) and D, unless every member who answered desired hours wants more or the same
    /// and answered contract hours too: then D = C + E exactly (their extra is desired −
    /// contract, and for "the same" desired equals contract).
    fn hours_family(&self, classes: &Classes, c: usize, d: usize) -> Family {
        let (ci, di) = match (&self.items[c], &self.items[d]) {
            (ItemKind::Question(c), ItemKind::Question(d)) => (c.i, d.i),
            _ => unreachable!("hours items are questions"),
        };
        let n = classes.count;
        let mut any_c = vec![false; n];
        let mut any_d = vec![false; n];
        let mut more = vec![false; n];
        let mut impure = vec![false; n];
        for (r, row) in self.rows.iter().enumerate() {
            let cls = classes.of[r];
            let (cv, dv) = (num(row[ci]), num(row[di]));
            any_c[cls] |= cv.is_some();
            any_d[cls] |= dv.is_some();
            match (cv, dv) {
                (Some(cv), Some(dv)) if dv > cv => more[cls] = true,
                (Some(cv), Some(dv)) if dv < cv => impure[cls] = true,
                (Some(_), Some(_)) | (None, None) => {}
                _ => impure[cls] = true,
            }
        }
        let (col_c, col_e, col_d) = (|k: usize| 3 * k, |k: usize| 3 * k + 1, |k: usize| 3 * k + 2);
        let mut items = vec![
            Vec::with_capacity(n),
            Vec::with_capacity(n),
            Vec::with_capacity(n),
        ];
        for k in 0..n {
            items[0].push(if any_c[k] {
                vec![(col_c(k), 1)]
            } else {
                Vec::new()
            });
            items[1].push(if !any_d[k] {
                Vec::new()
            } else if impure[k] {
                vec![(col_d(k), 1)]
            } else if more[k] {
                vec![(col_c(k), 1), (col_e(k), 1)]
            } else {
                vec![(col_c(k), 1)]
            });
            items[2].push(if more[k] {
                vec![(col_e(k), 1)]
            } else {
                Vec::new()
            });
        }
        Family {
            width: 3 * n,
            items,
        }
    }
}

impl Ctx<'_> {
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

    /// The published cells of a breakdown over `cells` (a partition of all submissions)
    /// given the final group mask (`true` = hidden, or folded into "overig" with the fold
    /// strategy): output rows without figures, the effective cells, and the folded groups.
    fn plan(
        &self,
        dimension: Dimension,
        cells: Vec<Cell>,
        mask: &[bool],
        all_hidden: bool,
    ) -> Plan {
        let sizes: Vec<u64> = cells.iter().map(|c| c.members.len() as u64).collect();
        let mut plan = Plan {
            dimension,
            out_rows: Vec::new(),
            eff: Vec::new(),
            eff_hidden: Vec::new(),
            row_of_eff: Vec::new(),
            folded: Vec::new(),
        };
        match self.opts.policy.strategy {
            Strategy::Suppress => {
                for (c, &h) in cells.into_iter().zip(mask) {
                    plan.out_rows
                        .push((c.key.clone(), c.label.clone(), hidden_cell()));
                    plan.row_of_eff.push(plan.out_rows.len() - 1);
                    plan.eff_hidden.push(h || all_hidden);
                    plan.eff.push(c);
                }
            }
            Strategy::Fold => {
                let overig_size: u64 = sizes
                    .iter()
                    .zip(mask)
                    .filter(|(_, m)| **m)
                    .map(|(n, _)| n)
                    .sum();
                let mut overig = Cell {
                    key: OVERIG.to_string(),
                    label: Text::new("Overig", "Other"),
                    members: Vec::new(),
                    invited: Some(0),
                };
                let mut overig_keys = Vec::new();
                let mut folded_members = Vec::new();
                for (c, &folded) in cells.into_iter().zip(mask) {
                    if folded && !all_hidden {
                        let mut cell = hidden_cell();
                        if overig_size > 0 {
                            cell.folded_into = Some(OVERIG.to_string());
                            overig_keys.push(c.key.clone());
                            overig.members.extend(&c.members);
                            overig.invited = match (overig.invited, c.invited) {
                                (Some(a), Some(b)) => Some(a + b),
                                _ => None,
                            };
                            folded_members.push(c.members);
                        }
                        plan.out_rows.push((c.key, c.label, cell));
                    } else {
                        plan.out_rows
                            .push((c.key.clone(), c.label.clone(), hidden_cell()));
                        plan.row_of_eff.push(plan.out_rows.len() - 1);
                        plan.eff_hidden.push(all_hidden);
                        plan.eff.push(c);
                    }
                }
                if overig_size > 0 && !all_hidden {
                    let mut cell = hidden_cell();
                    cell.members = Some(overig_keys);
                    plan.out_rows
                        .push((overig.key.clone(), overig.label.clone(), cell));
                    plan.row_of_eff.push(plan.out_rows.len() - 1);
                    plan.eff_hidden.push(false);
                    plan.eff.push(overig);
                    let at = plan.eff.len() - 1;
                    plan.folded = folded_members.into_iter().map(|m| (m, at)).collect();
                }
            }
        }
        plan
    }

    /// Fill in the figures of the shown effective cells; `masks[item].hidden[dim]`.
    fn finish(
        &self,
        plan: Plan,
        dim: usize,
        masks: &[ItemMask],
    ) -> Vec<(String, Text, CellResult)> {
        let Plan {
            mut out_rows,
            eff,
            eff_hidden,
            row_of_eff,
            ..
        } = plan;
        let hidden_items: Vec<Vec<bool>> = masks.iter().map(|m| m.hidden[dim].clone()).collect();
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

    // All breakdowns first: disclosure control looks at every published cell of the round
    // together (module `disclosure`).
    let mut dims: Vec<(Dimension, Vec<Cell>)> = vec![(Dimension::Team, ctx.cells(Dimension::Team))];
    for &d in &opts.breakdowns {
        if d != Dimension::Team && !dims.iter().any(|(x, _)| *x == d) {
            let cells = ctx.cells(d);
            if !cells.is_empty() {
                dims.push((d, cells));
            }
        }
    }
    let classes = Classes::of(subs.len(), &dims);
    let group_masks = ctx.group_masks(&dims, &classes, org_suppressed);
    let plans: Vec<Plan> = dims
        .into_iter()
        .zip(&group_masks)
        .map(|((d, cells), mask)| ctx.plan(d, cells, mask, org_suppressed))
        .collect();
    let masks = ctx.item_masks(&plans, &classes, org_suppressed);

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
        let hidden_items: Vec<Vec<bool>> = masks.iter().map(|m| vec![!m.org_shown]).collect();
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

    let mut teams = Vec::new();
    let mut breakdowns = Vec::new();
    for (d, plan) in plans.into_iter().enumerate() {
        let dimension = plan.dimension;
        let rows = ctx.finish(plan, d, &masks);
        if dimension == Dimension::Team {
            teams = rows
                .into_iter()
                .map(|(team, _, cell)| TeamResult { team, cell })
                .collect();
        } else {
            breakdowns.push(BreakdownResult {
                dimension,
                groups: rows
                    .into_iter()
                    .map(|(group, label, cell)| GroupResult { group, label, cell })
                    .collect(),
            });
        }
    }

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
