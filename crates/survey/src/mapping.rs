//! Import of responses collected elsewhere: propose a mapping from another tool's columns
//! and value labels to this questionnaire's question ids and option ids, then convert rows
//! with row-by-row Dutch diagnostics. Reading CSV/XLSX bytes into rows is done by the
//! `import` crate; the input here is headers and rows of strings.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::answer::{Answer, Response, SkipPolicy, ValidateOptions, check_answer, parse_number};
use crate::questionnaire::{Question, QuestionKind, Questionnaire};
use crate::results::Submission;

/// Where a column goes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Target {
    /// The respondent's team.
    Team,
    /// A question of the questionnaire, by id.
    Question(String),
}

/// The mapping of one external column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ColumnMapping {
    /// Position in the row (0-based).
    pub column: usize,
    pub header: String,
    /// `None` = the column is not imported.
    pub target: Option<Target>,
    /// How sure the proposal is, 0 to 1 (informative; 1 for a mapping set by hand).
    pub score: f64,
    /// For choice questions: external value label → option id.
    #[serde(default)]
    pub values: BTreeMap<String, String>,
    /// Distinct external values the proposal could not map (to be mapped by hand).
    #[serde(default)]
    pub unmapped_values: Vec<String>,
}

/// A proposed or edited mapping for a whole file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mapping {
    pub columns: Vec<ColumnMapping>,
}

/// A mapping that cannot be used.
#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize)]
#[error("mapping is not usable: {}", problems.join("; "))]
pub struct MappingError {
    /// Problems in Dutch, one per line.
    pub problems: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The row is not imported.
    Error,
    /// The row is imported; something in it was left out.
    Warning,
}

/// One finding about one row, in Dutch: what is wrong and how to fix it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diagnostic {
    /// Spreadsheet row number: the header is row 1, the first data row is row 2.
    pub row: usize,
    /// The external column header.
    pub field: String,
    /// The question id, when the column is mapped to one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub question: Option<String>,
    pub severity: Severity,
    pub message: String,
    pub fix: String,
}

/// The result of converting rows: good rows become submissions, the rest is explained.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImportOutcome {
    pub rows_read: usize,
    pub submissions: Vec<Submission>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Lowercase, drop accents of common Dutch letters, keep letters and digits, single spaces.
pub fn normalise(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars().flat_map(char::to_lowercase) {
        let c = match c {
            'á' | 'à' | 'ä' | 'â' => 'a',
            'é' | 'è' | 'ë' | 'ê' => 'e',
            'í' | 'ì' | 'ï' | 'î' => 'i',
            'ó' | 'ò' | 'ö' | 'ô' => 'o',
            'ú' | 'ù' | 'ü' | 'û' => 'u',
            c => c,
        };
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.ends_with(' ') && !out.is_empty() {
            out.push(' ');
        }
    }
    out.trim_end().to_string()
}

fn trigrams(s: &str) -> BTreeSet<[char; 3]> {
    let chars: Vec<char> = format!("  {}  ", s.replace(' ', "")).chars().collect();
    chars.windows(3).map(|w| [w[0], w[1], w[2]]).collect()
}

/// Similarity of two texts, 0 to 1: 1 when equal after normalising (spaces ignored),
/// otherwise the Dice coefficient of character trigrams.
pub fn similarity(a: &str, b: &str) -> f64 {
    let (a, b) = (normalise(a), normalise(b));
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    if a.replace(' ', "") == b.replace(' ', "") {
        return 1.0;
    }
    let (ta, tb) = (trigrams(&a), trigrams(&b));
    let common = ta.intersection(&tb).count() as f64;
    2.0 * common / (ta.len() + tb.len()) as f64
}

const TEAM_HEADERS: &[&str] = &[
    "team",
    "teamnaam",
    "afdeling",
    "department",
    "unit",
    "locatie team",
];
const HEADER_THRESHOLD: f64 = 0.45;
const VALUE_THRESHOLD: f64 = 0.6;

fn header_score(q: &Question, header: &str) -> f64 {
    [q.id.replace('_', " "), q.text.nl.clone(), q.text.en.clone()]
        .iter()
        .chain(&q.aliases)
        .map(|c| similarity(header, c))
        .fold(0.0, f64::max)
}

fn split_multi(cell: &str) -> Vec<&str> {
    cell.split([';', '|', '\n'])
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .collect()
}

/// Best option for an external value label, if similar enough.
fn match_option(q: &Question, value: &str) -> Option<String> {
    q.kind
        .options()
        .iter()
        .map(|o| {
            let s = [
                o.id.replace('_', " "),
                o.label.nl.clone(),
                o.label.en.clone(),
            ]
            .iter()
            .map(|c| similarity(value, c))
            .fold(0.0, f64::max);
            (s, o)
        })
        .filter(|(s, _)| *s >= VALUE_THRESHOLD)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, o)| o.id.clone())
}

fn distinct_values(q: Option<&Question>, rows: &[Vec<String>], col: usize) -> Vec<String> {
    let multi = q.is_some_and(|q| matches!(q.kind, QuestionKind::Multi { .. }));
    let mut set = BTreeSet::new();
    for r in rows {
        let cell = r.get(col).map(|s| s.trim()).unwrap_or("");
        if cell.is_empty() {
            continue;
        }
        if multi {
            set.extend(split_multi(cell).into_iter().map(str::to_string));
        } else {
            set.insert(cell.to_string());
        }
    }
    set.into_iter().collect()
}

/// Propose a mapping from external headers (and the values seen in `rows`) to the
/// questionnaire. Each question and the team get at most one column; the best matches win.
pub fn propose_mapping(q: &Questionnaire, headers: &[String], rows: &[Vec<String>]) -> Mapping {
    let mut pairs: Vec<(f64, usize, Target)> = Vec::new();
    for (col, h) in headers.iter().enumerate() {
        let team = TEAM_HEADERS
            .iter()
            .map(|t| similarity(h, t))
            .fold(0.0, f64::max);
        pairs.push((team, col, Target::Team));
        for question in &q.questions {
            let mut s = header_score(question, h);
            if !question.kind.options().is_empty() {
                let values = distinct_values(Some(question), rows, col);
                if !values.is_empty() {
                    let matched = values
                        .iter()
                        .filter(|v| match_option(question, v).is_some())
                        .count();
                    s += 0.3 * matched as f64 / values.len() as f64;
                }
            }
            pairs.push((s.min(1.0), col, Target::Question(question.id.clone())));
        }
    }
    // Greedy one-to-one assignment, best score first; ties by column then target order.
    pairs.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut taken_cols = BTreeSet::new();
    let mut taken_targets = Vec::new();
    let mut chosen: BTreeMap<usize, (f64, Target)> = BTreeMap::new();
    for (s, col, target) in pairs {
        if s < HEADER_THRESHOLD || taken_cols.contains(&col) || taken_targets.contains(&target) {
            continue;
        }
        taken_cols.insert(col);
        taken_targets.push(target.clone());
        chosen.insert(col, (s, target));
    }
    columns_for(q, headers, rows, chosen)
}

/// A mapping with the targets chosen by hand (a form's column choices): `chosen` holds a
/// column's target (`None` = not imported); other columns keep the proposal. Values of
/// choice questions are matched to options as in the proposal.
pub fn with_targets(
    q: &Questionnaire,
    headers: &[String],
    rows: &[Vec<String>],
    chosen: &BTreeMap<usize, Option<Target>>,
) -> Mapping {
    let proposal = propose_mapping(q, headers, rows);
    let mut picked: BTreeMap<usize, (f64, Target)> = BTreeMap::new();
    for c in &proposal.columns {
        match chosen.get(&c.column) {
            Some(Some(t)) => {
                picked.insert(c.column, (1.0, t.clone()));
            }
            Some(None) => {}
            None => {
                if let Some(t) = &c.target {
                    picked.insert(c.column, (c.score, t.clone()));
                }
            }
        }
    }
    columns_for(q, headers, rows, picked)
}

/// The column mappings for the chosen targets (with their scores), matching the values of
/// choice questions to options.
fn columns_for(
    q: &Questionnaire,
    headers: &[String],
    rows: &[Vec<String>],
    mut chosen: BTreeMap<usize, (f64, Target)>,
) -> Mapping {
    let columns = headers
        .iter()
        .enumerate()
        .map(|(col, h)| {
            let (score, target) = match chosen.remove(&col) {
                Some((s, t)) => (((s * 100.0).round() / 100.0), Some(t)),
                None => (0.0, None),
            };
            let mut values = BTreeMap::new();
            let mut unmapped_values = Vec::new();
            if let Some(Target::Question(id)) = &target
                && let Some(question) = q.question(id)
                && !question.kind.options().is_empty()
            {
                for v in distinct_values(Some(question), rows, col) {
                    match match_option(question, &v) {
                        Some(o) => {
                            values.insert(v, o);
                        }
                        None => unmapped_values.push(v),
                    }
                }
            }
            ColumnMapping {
                column: col,
                header: h.clone(),
                target,
                score,
                values,
                unmapped_values,
            }
        })
        .collect();
    Mapping { columns }
}

impl Mapping {
    /// Check the mapping against the questionnaire (problems in Dutch).
    pub fn check(&self, q: &Questionnaire) -> Result<(), MappingError> {
        let mut problems = Vec::new();
        let mut seen: BTreeMap<&Target, &str> = BTreeMap::new();
        for c in &self.columns {
            let Some(t) = &c.target else { continue };
            if let Some(other) = seen.insert(t, &c.header) {
                problems.push(format!(
                    "De kolommen '{other}' en '{}' zijn aan hetzelfde gekoppeld. Koppel er één los.",
                    c.header
                ));
            }
            if let Target::Question(id) = t {
                match q.question(id) {
                    None => problems.push(format!(
                        "Kolom '{}' is gekoppeld aan vraag '{id}', maar die vraag bestaat niet.",
                        c.header
                    )),
                    Some(question) => {
                        for (label, option) in &c.values {
                            if question.option(option).is_none() {
                                problems.push(format!(
                                    "Kolom '{}': waarde '{label}' is gekoppeld aan '{option}', maar dat is geen antwoord bij deze vraag.",
                                    c.header
                                ));
                            }
                        }
                    }
                }
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(MappingError { problems })
        }
    }
}

impl Ord for Target {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        let key = |t: &Target| match t {
            Target::Team => (0, String::new()),
            Target::Question(q) => (1, q.clone()),
        };
        key(self).cmp(&key(other))
    }
}

impl PartialOrd for Target {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

fn map_value(c: &ColumnMapping, q: &Question, value: &str) -> Option<String> {
    if let Some(o) = c.values.get(value) {
        return Some(o.clone());
    }
    // A label mapped by hand may differ in case or spacing from the cell.
    let n = normalise(value);
    if let Some((_, o)) = c.values.iter().find(|(k, _)| normalise(k) == n) {
        return Some(o.clone());
    }
    // An option id or exact label also works.
    q.kind
        .options()
        .iter()
        .find(|o| {
            normalise(&o.id.replace('_', " ")) == n
                || normalise(&o.label.nl) == n
                || normalise(&o.label.en) == n
        })
        .map(|o| o.id.clone())
}

/// Why an answer to a skipped question was left out, naming the condition.
fn skipped_message(q: &Questionnaire, id: &str) -> String {
    let Some(question) = q.question(id) else {
        return "Dit antwoord is niet overgenomen.".into();
    };
    let conditions: Vec<String> = question
        .show_if
        .iter()
        .filter_map(|c| {
            let dep = q.question(&c.question)?;
            let labels: Vec<String> = c
                .any_of
                .iter()
                .filter_map(|o| dep.option(o).map(|o| format!("'{}'", o.label.nl)))
                .collect();
            Some(format!(
                "bij '{}' {} koos",
                dep.text.nl,
                labels.join(" of ")
            ))
        })
        .collect();
    format!(
        "Dit antwoord is niet overgenomen: de vraag '{}' is alleen voor wie {}.",
        question.text.nl,
        conditions.join(" en ")
    )
}

/// Convert rows with a checked mapping. A row with an error is left out, with diagnostics
/// saying what to fix; answers the skip logic does not allow are left out with a warning.
/// Required questions are not enforced (another tool may not have asked them all).
pub fn convert(
    q: &Questionnaire,
    mapping: &Mapping,
    rows: &[Vec<String>],
) -> Result<ImportOutcome, MappingError> {
    mapping.check(q)?;
    let mut out = ImportOutcome {
        rows_read: 0,
        submissions: Vec::new(),
        diagnostics: Vec::new(),
    };
    for (i, row) in rows.iter().enumerate() {
        let rownr = i + 2;
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        out.rows_read += 1;
        let mut errors = Vec::new();
        let mut team = None;
        let mut response = Response::new();
        for c in &mapping.columns {
            let Some(target) = &c.target else { continue };
            let cell = row.get(c.column).map(|s| s.trim()).unwrap_or("");
            if cell.is_empty() {
                continue;
            }
            let question = match target {
                Target::Team => {
                    team = Some(cell.to_string());
                    continue;
                }
                Target::Question(id) => q.question(id).expect("checked mapping"),
            };
            let diag = |message: String, fix: String| Diagnostic {
                row: rownr,
                field: c.header.clone(),
                question: Some(question.id.clone()),
                severity: Severity::Error,
                message,
                fix,
            };
            let unknown_value = |v: &str| {
                diag(
                    format!(
                        "De waarde '{v}' hoort bij geen antwoord van de vraag '{}'.",
                        question.text.nl
                    ),
                    format!(
                        "Koppel '{v}' aan een antwoord in de koppelstap, of pas de cel aan naar een van: {}.",
                        question
                            .kind
                            .options()
                            .iter()
                            .map(|o| format!("'{}'", o.label.nl))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )
            };
            let answer = match &question.kind {
                QuestionKind::Number { .. } => match parse_number(cell) {
                    Some(x) => Answer::Number(x),
                    None => {
                        errors.push(diag(
                            format!("'{cell}' is geen getal."),
                            "Schrijf een getal, bijvoorbeeld 24 of 24,5, of maak de cel leeg."
                                .into(),
                        ));
                        continue;
                    }
                },
                QuestionKind::Scale { min, max, .. } => match cell.parse::<i64>() {
                    Ok(x) => Answer::Scale(x),
                    Err(_) => {
                        errors.push(diag(
                            format!("'{cell}' is geen heel getal op de schaal."),
                            format!("Schrijf een heel getal van {min} tot en met {max}, of maak de cel leeg."),
                        ));
                        continue;
                    }
                },
                QuestionKind::Single { .. } => match map_value(c, question, cell) {
                    Some(o) => Answer::Choice(o),
                    None => {
                        errors.push(unknown_value(cell));
                        continue;
                    }
                },
                QuestionKind::Multi { .. } => {
                    let mut chosen = Vec::new();
                    let mut bad = false;
                    for v in split_multi(cell) {
                        match map_value(c, question, v) {
                            Some(o) if !chosen.contains(&o) => chosen.push(o),
                            Some(_) => {}
                            None => {
                                errors.push(unknown_value(v));
                                bad = true;
                            }
                        }
                    }
                    if bad {
                        continue;
                    }
                    Answer::Choices(chosen)
                }
                QuestionKind::Text { .. } => Answer::Text(cell.to_string()),
            };
            match check_answer(question, &answer) {
                Ok(a) => {
                    response.set(question.id.clone(), a);
                }
                Err(e) => errors.push(diag(
                    format!("'{cell}': {}", e.nl),
                    "Pas de waarde in het bestand aan, of maak de cel leeg.".into(),
                )),
            }
        }
        if !errors.is_empty() {
            out.diagnostics.extend(errors);
            continue;
        }
        let opts = ValidateOptions {
            skipped: SkipPolicy::Drop,
            require: false,
        };
        match q.validate_with(&response, opts) {
            Ok(v) => {
                for id in &v.dropped {
                    let header = mapping
                        .columns
                        .iter()
                        .find(|c| c.target == Some(Target::Question(id.clone())))
                        .map_or(id.clone(), |c| c.header.clone());
                    out.diagnostics.push(Diagnostic {
                        row: rownr,
                        field: header,
                        question: Some(id.clone()),
                        severity: Severity::Warning,
                        message: skipped_message(q, id),
                        fix: "Niets nodig; de rest van de rij is overgenomen.".into(),
                    });
                }
                out.submissions.push(Submission {
                    team,
                    response: v.response,
                });
            }
            Err(errs) => {
                for e in errs.errors {
                    out.diagnostics.push(Diagnostic {
                        row: rownr,
                        field: e.question.clone(),
                        question: Some(e.question.clone()),
                        severity: Severity::Error,
                        message: e.nl,
                        fix: "Pas de rij in het bestand aan.".into(),
                    });
                }
            }
        }
    }
    Ok(out)
}
