//! Matching column headers to fields: normalisation, alias scores and a mapping proposal
//! that the domain crates can sharpen with a score from the column's data.

use serde::{Deserialize, Serialize};

/// A field a domain crate wants from a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldSpec {
    /// Stable key, used in stored mappings (e.g. "contract_hours").
    pub key: &'static str,
    /// Dutch label shown to the user and used in diagnostics (e.g. "contracturen").
    pub label_nl: &'static str,
    /// Header texts that mean this field, in any case/accents/spacing.
    pub aliases: &'static [&'static str],
}

/// Normalise a header: lower case, accents removed, everything that is not a letter or
/// digit becomes a space, spaces collapsed, and "nr"/"no" at a word end read as "nummer"
/// ("Personeelsnr" → "personeelsnummer", "Personeels_nr." → "personeels nummer").
pub fn normalise_header(h: &str) -> String {
    let mut flat = String::with_capacity(h.len());
    for c in h.chars().flat_map(char::to_lowercase) {
        let c = match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => 'a',
            'è' | 'é' | 'ê' | 'ë' => 'e',
            'ì' | 'í' | 'î' | 'ï' => 'i',
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' => 'o',
            'ù' | 'ú' | 'û' | 'ü' => 'u',
            'ý' | 'ÿ' => 'y',
            'ç' => 'c',
            'ñ' => 'n',
            c if c.is_alphanumeric() => c,
            _ => ' ',
        };
        flat.push(c);
    }
    let words: Vec<String> = flat
        .split_whitespace()
        .map(|w| {
            if w == "nr" || w == "no" {
                "nummer".to_owned()
            } else if let Some(stem) = w.strip_suffix("nr").filter(|s| s.len() >= 3) {
                format!("{stem}nummer")
            } else {
                w.to_owned()
            }
        })
        .collect();
    words.join(" ")
}

/// How well a header matches a list of aliases, 0.0 (not at all) to 1.0 (exactly).
pub fn header_score(header: &str, aliases: &[&str]) -> f64 {
    let n = normalise_header(header);
    if n.is_empty() {
        return 0.0;
    }
    let n_compact: String = n.split(' ').collect();
    let n_words: Vec<&str> = n.split(' ').collect();
    let mut best: f64 = 0.0;
    for alias in aliases {
        let a = normalise_header(alias);
        if a.is_empty() {
            continue;
        }
        let a_compact: String = a.split(' ').collect();
        let a_words: Vec<&str> = a.split(' ').collect();
        let score = if n == a {
            1.0
        } else if n_compact == a_compact {
            0.95
        } else if a_words.iter().all(|w| n_words.contains(w)) {
            // "contracturen per week" contains "contracturen"
            0.6 + 0.3 * a_words.len() as f64 / n_words.len() as f64
        } else if a_compact.chars().count() >= 4 && n_compact.contains(&a_compact) {
            // "contracturenperweek", "fwgschaal2024"
            0.5 + 0.3 * a_compact.len() as f64 / n_compact.len() as f64
        } else {
            0.0
        };
        best = best.max(score);
    }
    best
}

/// One possible column for a field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Candidate {
    /// 0-based column index.
    pub column: usize,
    pub header: String,
    /// Combined score 0..=1.
    pub score: f64,
    pub header_score: f64,
    /// Score from the column's values, when the caller gave one.
    pub data_score: Option<f64>,
}

/// The proposal for one field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ColumnChoice {
    pub field: String,
    pub label_nl: String,
    /// The proposed column, if any scored at least [`MappingProposal::THRESHOLD`] and was
    /// not taken by a better-matching field.
    pub column: Option<usize>,
    pub header: Option<String>,
    pub score: f64,
    /// Up to three best columns for this field, best first (for a pick list).
    pub candidates: Vec<Candidate>,
}

/// A proposal for all fields.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MappingProposal {
    pub fields: Vec<ColumnChoice>,
    /// Columns no field was given.
    pub unused_columns: Vec<usize>,
}

impl MappingProposal {
    /// Minimum combined score for a proposal.
    pub const THRESHOLD: f64 = 0.5;

    /// The proposed column of a field.
    pub fn column_of(&self, field: &str) -> Option<usize> {
        self.fields
            .iter()
            .find(|c| c.field == field)
            .and_then(|c| c.column)
    }
}

/// Propose a column for each field. `data_score(field, column)` may rate a column's values
/// for a field (0.0 = impossible, 1.0 = typical) or return `None` for no opinion; the
/// combined score is `0.7 × header + 0.3 × data` when it has one, else the header score.
/// Each column goes to at most one field, best pairs first.
pub fn propose_mapping(
    headers: &[String],
    fields: &[FieldSpec],
    data_score: impl Fn(&FieldSpec, usize) -> Option<f64>,
) -> MappingProposal {
    let mut all: Vec<(usize, Candidate)> = Vec::new();
    for (fi, f) in fields.iter().enumerate() {
        for (col, h) in headers.iter().enumerate() {
            let hs = header_score(h, f.aliases);
            let ds = data_score(f, col);
            let score = match ds {
                Some(d) => 0.7 * hs + 0.3 * d.clamp(0.0, 1.0),
                None => hs,
            };
            if score > 0.0 {
                all.push((
                    fi,
                    Candidate {
                        column: col,
                        header: h.clone(),
                        score,
                        header_score: hs,
                        data_score: ds,
                    },
                ));
            }
        }
    }
    // Best first; ties go to the earlier field, then the earlier column.
    all.sort_by(|a, b| {
        b.1.score
            .total_cmp(&a.1.score)
            .then(a.0.cmp(&b.0))
            .then(a.1.column.cmp(&b.1.column))
    });
    let mut chosen: Vec<Option<usize>> = vec![None; fields.len()];
    let mut taken = vec![false; headers.len()];
    for (fi, c) in &all {
        if c.score >= MappingProposal::THRESHOLD && chosen[*fi].is_none() && !taken[c.column] {
            chosen[*fi] = Some(c.column);
            taken[c.column] = true;
        }
    }
    let fields_out = fields
        .iter()
        .enumerate()
        .map(|(fi, f)| {
            let candidates: Vec<Candidate> = all
                .iter()
                .filter(|(i, _)| *i == fi)
                .take(3)
                .map(|(_, c)| c.clone())
                .collect();
            let column = chosen[fi];
            let score = column
                .and_then(|col| candidates.iter().find(|c| c.column == col))
                .map_or(0.0, |c| c.score);
            ColumnChoice {
                field: f.key.to_owned(),
                label_nl: f.label_nl.to_owned(),
                column,
                header: column.map(|c| headers[c].clone()),
                score,
                candidates,
            }
        })
        .collect();
    MappingProposal {
        fields: fields_out,
        unused_columns: (0..headers.len()).filter(|&c| !taken[c]).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalisation() {
        assert_eq!(normalise_header("  Personeels_nr. "), "personeels nummer");
        assert_eq!(normalise_header("Personeelsnr"), "personeelsnummer");
        assert_eq!(normalise_header("Personeels nr"), "personeels nummer");
        assert_eq!(normalise_header("FWG-Schaal"), "fwg schaal");
        assert_eq!(normalise_header("Datum In Dienst"), "datum in dienst");
        assert_eq!(normalise_header("Geboörtedatum"), "geboortedatum");
        assert_eq!(normalise_header("Contract uren (p/w)"), "contract uren p w");
    }

    #[test]
    fn scores() {
        let aliases = ["contracturen", "contracturen per week", "uren per week"];
        assert_eq!(header_score("Contracturen", &aliases), 1.0);
        assert_eq!(header_score("contract_uren", &aliases), 0.95);
        assert!(header_score("Contracturen p/w", &aliases) > 0.6);
        assert!(header_score("Contracturenperweek2026", &aliases) >= 0.5);
        assert_eq!(header_score("Afdeling", &aliases), 0.0);
        assert_eq!(header_score("", &aliases), 0.0);
    }

    const FIELDS: [FieldSpec; 3] = [
        FieldSpec {
            key: "employee",
            label_nl: "personeelsnummer",
            aliases: &["personeelsnummer", "medewerkernummer"],
        },
        FieldSpec {
            key: "team",
            label_nl: "team",
            aliases: &["team", "afdeling", "kostenplaats"],
        },
        FieldSpec {
            key: "hours",
            label_nl: "contracturen",
            aliases: &["contracturen", "uren", "omvang"],
        },
    ];

    #[test]
    fn proposal_uses_each_column_once_and_data_breaks_ties() {
        let headers: Vec<String> = [
            "Medewerker nr",
            "Afdeling",
            "Kostenplaats",
            "Omvang",
            "Uren",
        ]
        .map(String::from)
        .to_vec();
        let p = propose_mapping(&headers, &FIELDS, |f, col| {
            (f.key == "hours").then_some(if col == 4 { 1.0 } else { 0.0 })
        });
        assert_eq!(p.column_of("employee"), Some(0));
        assert_eq!(p.column_of("team"), Some(1));
        assert_eq!(p.column_of("hours"), Some(4));
        assert_eq!(p.unused_columns, vec![2, 3]);
        let team = &p.fields[1];
        assert_eq!(team.candidates.len(), 2);
    }

    #[test]
    fn nothing_proposed_below_threshold() {
        let headers = vec!["x".to_owned(), "y".to_owned()];
        let p = propose_mapping(&headers, &FIELDS, |_, _| None);
        assert!(p.fields.iter().all(|f| f.column.is_none()));
    }
}
