//! Aggregate tables for export (CSV here; the same [`Table`] feeds an XLSX writer
//! elsewhere), and the raw anonymous export with coarsened background fields.
//!
//! Tables are built only from [`SurveyResults`], so they carry exactly the suppression of
//! the result type: a hidden figure is a [`TableCell::Suppressed`].

use serde::Serialize;

use crate::anonymity::{OVERIG, coarsen, suppression_mask};
use crate::answer::{Answer, nl_number};
use crate::questionnaire::{Question, QuestionKind, Questionnaire, Role};
use crate::results::{
    CellResult, GroupFigures, QuestionFigures, QuestionResult, Submission, SurveyResults,
    contract_hours_band,
};
use crate::stats::Share;

/// One cell of an exported table.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum TableCell {
    Text(String),
    Int(u64),
    /// A number such as hours (written with a decimal comma).
    Number(f64),
    /// A fraction in [0, 1], written as a percentage with one decimal.
    Percent(f64),
    /// Hidden by the anonymity rules.
    Suppressed,
    Empty,
}

/// A table with headers (Dutch) and rows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Table {
    pub name: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<TableCell>>,
}

/// CSV settings. The defaults suit Dutch Excel: `;` separator, decimal comma, a UTF-8 byte
/// order mark, and "—" for a suppressed figure.
#[derive(Debug, Clone, PartialEq)]
pub struct CsvOptions {
    pub delimiter: u8,
    pub suppressed_marker: String,
    pub bom: bool,
}

impl Default for CsvOptions {
    fn default() -> Self {
        Self {
            delimiter: b';',
            suppressed_marker: "—".to_string(),
            bom: true,
        }
    }
}

/// Error writing CSV (only possible through a bug in the csv crate; kept as a type).
#[derive(Debug, thiserror::Error)]
#[error("CSV could not be written: {0}")]
pub struct CsvError(String);

impl TableCell {
    fn render(&self, marker: &str) -> String {
        match self {
            TableCell::Text(t) => t.clone(),
            TableCell::Int(n) => n.to_string(),
            TableCell::Number(x) => nl_number(*x),
            TableCell::Percent(x) => report::nl::number(x * 100.0, 1),
            TableCell::Suppressed => marker.to_string(),
            TableCell::Empty => String::new(),
        }
    }
}

impl Table {
    /// The table as CSV text.
    pub fn to_csv(&self, opts: &CsvOptions) -> Result<String, CsvError> {
        let mut w = csv::WriterBuilder::new()
            .delimiter(opts.delimiter)
            .from_writer(Vec::new());
        // Every cell through report::csv_cell: names and free text come from users.
        w.write_record(
            self.headers
                .iter()
                .map(|h| report::csv_cell::neutralise(h).into_owned()),
        )
        .map_err(|e| CsvError(e.to_string()))?;
        for row in &self.rows {
            w.write_record(row.iter().map(|c| {
                let text = c.render(&opts.suppressed_marker);
                report::csv_cell::neutralise(&text).into_owned()
            }))
            .map_err(|e| CsvError(e.to_string()))?;
        }
        let bytes = w.into_inner().map_err(|e| CsvError(e.to_string()))?;
        let text = String::from_utf8(bytes).map_err(|e| CsvError(e.to_string()))?;
        Ok(if opts.bom {
            format!("\u{feff}{text}")
        } else {
            text
        })
    }
}

fn share_cells(s: Option<&Share>) -> [TableCell; 4] {
    match s {
        Some(s) => [
            TableCell::Int(s.count),
            TableCell::Percent(s.share),
            TableCell::Percent(s.ci95[0]),
            TableCell::Percent(s.ci95[1]),
        ],
        None => std::array::from_fn(|_| TableCell::Suppressed),
    }
}

/// Rows of (dimension, group, cell) in output order: organisation, teams, breakdowns.
fn groups(
    results: &SurveyResults,
) -> Vec<(String, String, Option<&GroupFigures>, Option<&CellResult>)> {
    let mut out = vec![(
        "organisatie".to_string(),
        "totaal".to_string(),
        results.figures.as_ref().map(|f| &f.group),
        None,
    )];
    for t in &results.teams {
        out.push((
            "team".into(),
            t.team.clone(),
            t.cell.figures.as_ref(),
            Some(&t.cell),
        ));
    }
    for b in &results.breakdowns {
        let dim = serde_json::to_value(b.dimension)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        for g in &b.groups {
            out.push((
                dim.clone(),
                g.group.clone(),
                g.cell.figures.as_ref(),
                Some(&g.cell),
            ));
        }
    }
    out
}

/// Headline table: one row per group with respondents, response rate, open share and
/// desired extra hours.
pub fn headline_table(results: &SurveyResults) -> Table {
    let headers = [
        "indeling",
        "groep",
        "respondenten",
        "uitgenodigd",
        "respons %",
        "open voor groter contract",
        "open %",
        "open % ondergrens 95%",
        "open % bovengrens 95%",
        "wil meer uren",
        "gewenste extra uren totaal",
        "gewenste extra uren fte",
        "opmerking",
    ];
    let mut rows = Vec::new();
    for (dim, group, figs, cell) in groups(results) {
        let mut row = vec![TableCell::Text(dim), TableCell::Text(group)];
        let note = cell
            .and_then(|c| c.folded_into.as_ref().map(|o| format!("meegeteld in {o}")))
            .or_else(|| {
                cell.and_then(|c| {
                    c.members
                        .as_ref()
                        .map(|m| format!("bestaat uit: {}", m.join(", ")))
                })
            })
            .map_or(TableCell::Empty, TableCell::Text);
        match figs {
            None => row.extend(std::iter::repeat_n(TableCell::Suppressed, 10)),
            Some(f) => {
                row.push(TableCell::Int(f.respondents));
                row.push(f.invited.map_or(TableCell::Empty, TableCell::Int));
                row.push(f.response_rate.map_or(TableCell::Empty, TableCell::Percent));
                match (f.open_count, f.open_share, f.open_share_ci95) {
                    (Some(c), Some(s), Some(ci)) => row.extend([
                        TableCell::Int(c),
                        TableCell::Percent(s),
                        TableCell::Percent(ci[0]),
                        TableCell::Percent(ci[1]),
                    ]),
                    _ => row.extend(std::iter::repeat_n(
                        if f.open_n.is_none() && f.desired_extra_hours.is_none() {
                            TableCell::Empty
                        } else {
                            TableCell::Suppressed
                        },
                        4,
                    )),
                }
                match f.desired_extra_hours.as_ref().map(|i| i.figures.as_ref()) {
                    Some(Some(x)) => {
                        row.push(TableCell::Int(x.want_more.count));
                        match &x.hours.figures {
                            Some(h) => {
                                row.extend([TableCell::Number(h.total), TableCell::Number(h.fte)])
                            }
                            None => row.extend([TableCell::Suppressed, TableCell::Suppressed]),
                        }
                    }
                    Some(None) => row.extend(std::iter::repeat_n(TableCell::Suppressed, 3)),
                    None => row.extend(std::iter::repeat_n(TableCell::Empty, 3)),
                }
            }
        }
        row.push(note);
        rows.push(row);
    }
    Table {
        name: "kerncijfers".into(),
        headers: headers.iter().map(|h| h.to_string()).collect(),
        rows,
    }
}

/// Answer table in long format: one row per group, question and option (or per group and
/// number question). Suppressed groups keep their rows, with every figure suppressed.
pub fn answers_table(q: &Questionnaire, results: &SurveyResults) -> Table {
    let headers = [
        "indeling",
        "groep",
        "vraag",
        "vraagtekst",
        "antwoord",
        "antwoordtekst",
        "aantal",
        "percentage",
        "ondergrens 95%",
        "bovengrens 95%",
        "n",
        "gemiddelde",
        "mediaan",
        "totaal",
    ];
    let mut rows = Vec::new();
    for (dim, group, figs, _) in groups(results) {
        for question in q
            .questions
            .iter()
            .filter(|qq| !matches!(qq.kind, QuestionKind::Text { .. }))
        {
            let qr: Option<&QuestionResult> =
                figs.and_then(|f| f.questions.iter().find(|r| r.question == question.id));
            let qf = qr.and_then(|r| r.figures.as_ref());
            let lead = |opt: &str, label: &str| {
                vec![
                    TableCell::Text(dim.clone()),
                    TableCell::Text(group.clone()),
                    TableCell::Text(question.id.clone()),
                    TableCell::Text(question.text.nl.clone()),
                    TableCell::Text(opt.to_string()),
                    TableCell::Text(label.to_string()),
                ]
            };
            match (&question.kind, qf) {
                (QuestionKind::Single { options } | QuestionKind::Multi { options }, qf) => {
                    for o in options {
                        let mut row = lead(&o.id, &o.label.nl);
                        match qf {
                            Some(QuestionFigures::Choice { n, options: res }) => {
                                let s = res.iter().find(|r| r.option == o.id).map(|r| &r.share);
                                row.extend(share_cells(s));
                                row.push(TableCell::Int(*n));
                            }
                            _ => row.extend(std::iter::repeat_n(TableCell::Suppressed, 5)),
                        }
                        row.extend(std::iter::repeat_n(TableCell::Empty, 3));
                        rows.push(row);
                    }
                }
                (QuestionKind::Scale { min, max, .. }, qf) => {
                    for v in *min..=*max {
                        let mut row = lead(&v.to_string(), &v.to_string());
                        match qf {
                            Some(QuestionFigures::Scale {
                                n,
                                mean,
                                distribution,
                            }) => {
                                let s =
                                    distribution.iter().find(|d| d.value == v).map(|d| &d.share);
                                row.extend(share_cells(s));
                                row.push(TableCell::Int(*n));
                                row.push(TableCell::Number(*mean));
                            }
                            _ => row.extend(std::iter::repeat_n(TableCell::Suppressed, 6)),
                        }
                        row.extend(std::iter::repeat_n(TableCell::Empty, 2));
                        rows.push(row);
                    }
                }
                (QuestionKind::Number { .. }, qf) => {
                    let mut row = lead("", "");
                    row.extend(std::iter::repeat_n(TableCell::Empty, 4));
                    match qf {
                        Some(QuestionFigures::Number { summary }) => row.extend([
                            TableCell::Int(summary.n),
                            TableCell::Number(summary.mean),
                            TableCell::Number(summary.median),
                            TableCell::Number(summary.total),
                        ]),
                        _ => row.extend(std::iter::repeat_n(TableCell::Suppressed, 4)),
                    }
                    rows.push(row);
                }
                (QuestionKind::Text { .. }, _) => {}
            }
        }
    }
    Table {
        name: "antwoorden".into(),
        headers: headers.iter().map(|h| h.to_string()).collect(),
        rows,
    }
}

/// Settings for the raw export.
#[derive(Debug, Clone, PartialEq)]
pub struct RawExportOptions {
    pub min_group_size: u64,
    /// Include free-text answers. Off by default: free text often names people.
    pub include_free_text: bool,
}

impl Default for RawExportOptions {
    fn default() -> Self {
        Self {
            min_group_size: crate::anonymity::DEFAULT_MIN_GROUP_SIZE,
            include_free_text: false,
        }
    }
}

/// Raw anonymous responses for the programme admin: one row per response, in a fixed order
/// (sorted by content, not by submission, so the order reveals nothing).
///
/// Background fields (team, the contract-hours band and the questions marked `background`)
/// are coarsened with [`coarsen`] so every combination of them occurs at least `k` times;
/// rows that cannot be hidden that way are left out (`dropped_rows`). Contract hours are
/// exported only as their band (exact hours together with a team can identify someone);
/// usual and desired hours as the band of their difference to contract hours
/// ([`HOURS_DIFFERENCE_BANDS`]).
///
/// Answer columns are coarsened too (issue 26, attack 7): a value that fewer than `k`
/// exported rows have would tie that row to the group where the aggregate tables show that
/// answer, and so re-attach the background the coarsening hid. Per column, the values
/// (unanswered counts as a value; for multiple choice each option, and "none chosen") go
/// through [`suppression_mask`] over their counts, and the values it hides become
/// [`OVERIG`]: every value left occurs at least `k` times, and "overig" stands for at least
/// `k` rows over at least two values (or every row), so it cannot be read back either.
pub fn raw_export(
    q: &Questionnaire,
    subs: &[Submission],
    opts: &RawExportOptions,
) -> (Table, usize) {
    let contract = q.by_role(Role::ContractHours);
    let background: Vec<&Question> = q.questions.iter().filter(|qq| qq.background).collect();
    let hours_relative: Vec<&Question> = q
        .questions
        .iter()
        .filter(|qq| matches!(qq.role, Some(Role::WorkedHours | Role::DesiredHours)))
        .collect();
    let others: Vec<&Question> = q
        .questions
        .iter()
        .filter(|qq| {
            !qq.background
                && qq.role != Some(Role::ContractHours)
                && !hours_relative.iter().any(|h| h.id == qq.id)
                && (opts.include_free_text || !matches!(qq.kind, QuestionKind::Text { .. }))
        })
        .collect();

    let mut headers = vec!["team".to_string()];
    if let Some(c) = contract {
        headers.push(format!("{}_band", c.id));
    }
    headers.extend(background.iter().map(|b| b.id.clone()));
    headers.extend(
        hours_relative
            .iter()
            .map(|h| format!("{}_min_contract", h.id)),
    );
    headers.extend(others.iter().map(|o| o.id.clone()));

    let bg_rows: Vec<Vec<Option<String>>> = subs
        .iter()
        .map(|s| {
            let mut v = vec![s.team.clone()];
            if let Some(c) = contract {
                v.push(
                    s.response
                        .number(&c.id)
                        .map(|h| contract_hours_band(h).to_string()),
                );
            }
            v.extend(
                background
                    .iter()
                    .map(|b| s.response.choice(&b.id).map(str::to_string)),
            );
            v
        })
        .collect();
    let coarse = coarsen(&bg_rows, opts.min_group_size);
    let kept: Vec<&Submission> = subs
        .iter()
        .zip(&coarse)
        .filter(|(_, bg)| bg.is_some())
        .map(|(s, _)| s)
        .collect();
    let k = opts.min_group_size.max(2);
    let hours_columns: Vec<Vec<Option<Vec<String>>>> = hours_relative
        .iter()
        .map(|h| {
            let values = kept
                .iter()
                .map(|s| {
                    let ch = contract.and_then(|c| s.response.number(&c.id));
                    match (s.response.number(&h.id), ch) {
                        (Some(x), Some(c)) => Some(vec![hours_difference_band(x - c).to_string()]),
                        _ => None,
                    }
                })
                .collect();
            coarsen_answers(values, false, k)
        })
        .collect();
    let answer_columns: Vec<Vec<Option<Vec<String>>>> = others
        .iter()
        .map(|o| {
            if matches!(o.kind, QuestionKind::Text { .. }) {
                // Free text is exported as written when asked for (off by default).
                return kept
                    .iter()
                    .map(|s| match s.response.get(&o.id) {
                        Some(Answer::Text(t)) => Some(vec![t.clone()]),
                        _ => None,
                    })
                    .collect();
            }
            let values = kept
                .iter()
                .map(|s| {
                    s.response.get(&o.id).map(|a| match a {
                        Answer::Number(x) => vec![nl_number(*x)],
                        Answer::Scale(x) => vec![x.to_string()],
                        Answer::Choice(c) => vec![c.clone()],
                        Answer::Choices(cs) => cs.clone(),
                        Answer::Text(t) => vec![t.clone()],
                    })
                })
                .collect();
            coarsen_answers(values, matches!(o.kind, QuestionKind::Multi { .. }), k)
        })
        .collect();
    let mut dropped = 0;
    let mut kept_index = 0;
    let mut rows: Vec<Vec<TableCell>> = Vec::new();
    for bg in coarse {
        let Some(bg) = bg else {
            dropped += 1;
            continue;
        };
        let mut row: Vec<TableCell> = bg
            .into_iter()
            .map(|v| v.map_or(TableCell::Empty, TableCell::Text))
            .collect();
        for col in hours_columns.iter().chain(&answer_columns) {
            row.push(match &col[kept_index] {
                None => TableCell::Empty,
                Some(values) => TableCell::Text(values.join("|")),
            });
        }
        kept_index += 1;
        rows.push(row);
    }
    rows.sort_by_key(|r| r.iter().map(|c| c.render("")).collect::<Vec<_>>());
    debug_assert!(rows.iter().all(|r| r.len() == headers.len()));
    (
        Table {
            name: "ruwe_antwoorden".into(),
            headers,
            rows,
        },
        dropped,
    )
}

/// Bands for hours relative to contract hours in the raw export: `(key, upper bound
/// inclusive)`, after "lager" (below contract) and "gelijk" (equal). Exact differences are
/// rare values (and sums of them can be matched to the published totals of a group).
pub const HOURS_DIFFERENCE_BANDS: &[(&str, f64)] = &[
    ("meer_tot_4", 4.0),
    ("meer_4_8", 8.0),
    ("meer_8_12", 12.0),
    ("meer_12_plus", f64::INFINITY),
];

/// The band of an hours difference (`x` = hours − contract hours).
pub fn hours_difference_band(x: f64) -> &'static str {
    if x < 0.0 {
        "lager"
    } else if x == 0.0 {
        "gelijk"
    } else {
        HOURS_DIFFERENCE_BANDS
            .iter()
            .find(|(_, hi)| x <= *hi)
            .map_or("meer_12_plus", |b| b.0)
    }
}

/// Coarsen one answer column of the raw export: values held by fewer than `k` rows (with
/// complementary suppression over the value counts, see [`suppression_mask`]) become
/// [`OVERIG`]. `None` (not answered) counts as a value of its own and may become "overig"
/// too. For multiple choice (`multi`) each option is a value, and a row keeps its other
/// options; "overig" appears once per row.
fn coarsen_answers(
    values: Vec<Option<Vec<String>>>,
    multi: bool,
    k: u64,
) -> Vec<Option<Vec<String>>> {
    let mut counts: std::collections::BTreeMap<Option<&str>, u64> =
        std::collections::BTreeMap::new();
    for v in &values {
        match v {
            None => *counts.entry(None).or_default() += 1,
            Some(vs) if multi => {
                let mut vs: Vec<&str> = vs.iter().map(String::as_str).collect();
                vs.sort_unstable();
                vs.dedup();
                for x in vs {
                    *counts.entry(Some(x)).or_default() += 1;
                }
            }
            Some(vs) => {
                for x in vs {
                    *counts.entry(Some(x.as_str())).or_default() += 1;
                }
            }
        }
    }
    let (keys, sizes): (Vec<Option<&str>>, Vec<u64>) = counts.into_iter().unzip();
    let mask = suppression_mask(&sizes, k);
    let rare: std::collections::BTreeSet<Option<String>> = keys
        .into_iter()
        .zip(mask)
        .filter(|(_, m)| *m)
        .map(|(v, _)| v.map(str::to_string))
        .collect();
    values
        .iter()
        .map(|v| match v {
            None if rare.contains(&None) => Some(vec![OVERIG.to_string()]),
            None => None,
            Some(vs) => {
                let mut out: Vec<String> = Vec::new();
                let mut folded = false;
                for x in vs {
                    if rare.contains(&Some(x.clone())) {
                        folded = true;
                    } else if !out.contains(x) {
                        out.push(x.clone());
                    }
                }
                if folded {
                    out.push(OVERIG.to_string());
                }
                Some(out)
            }
        })
        .collect()
}

#[cfg(test)]
mod csv_injection_tests {
    use super::*;

    /// Issue 34: team names, free text and headers that start like a formula are written
    /// as text; negative figures stay numbers.
    #[test]
    fn csv_cells_cannot_start_a_formula() {
        let t = Table {
            name: "t".into(),
            headers: vec!["team".into(), "@kolom".into(), "verschil".into()],
            rows: vec![vec![
                TableCell::Text("=HYPERLINK(\"http://x\";\"klik\")".into()),
                TableCell::Text("+31 6".into()),
                TableCell::Number(-3.5),
            ]],
        };
        let csv = t
            .to_csv(&CsvOptions {
                bom: false,
                ..CsvOptions::default()
            })
            .unwrap();
        let mut lines = csv.lines();
        assert_eq!(lines.next().unwrap(), "team;'@kolom;verschil");
        assert_eq!(
            lines.next().unwrap(),
            "\"'=HYPERLINK(\"\"http://x\"\";\"\"klik\"\")\";'+31 6;-3,5"
        );
    }
}
