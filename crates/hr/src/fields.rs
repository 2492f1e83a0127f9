//! The fields of an HR extract, how headers and data point to them, and the mapping an
//! organisation keeps for its next upload.

use crate::extract::{parse_contract_kind, parse_fwg};
use import::{Cell, FieldSpec, MappingProposal, Table, normalise_header};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};

/// A field of the HR extract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HrField {
    EmployeeNumber,
    Team,
    Function,
    FwgScale,
    ContractHours,
    PartTimeFactor,
    BirthDate,
    Age,
    StartDate,
    EndDate,
    ContractKind,
}

impl HrField {
    pub const ALL: [HrField; 11] = [
        HrField::EmployeeNumber,
        HrField::Team,
        HrField::Function,
        HrField::FwgScale,
        HrField::ContractHours,
        HrField::PartTimeFactor,
        HrField::BirthDate,
        HrField::Age,
        HrField::StartDate,
        HrField::EndDate,
        HrField::ContractKind,
    ];

    /// The import crate's spec for this field (key, Dutch label, header aliases).
    pub fn spec(self) -> &'static FieldSpec {
        &FIELD_SPECS[self as usize]
    }

    /// Stable key ("contract_hours"), the same as its serde name.
    pub fn key(self) -> &'static str {
        self.spec().key
    }

    /// Dutch label ("contracturen"), used in messages.
    pub fn label_nl(self) -> &'static str {
        self.spec().label_nl
    }

    pub fn from_key(key: &str) -> Option<HrField> {
        HrField::ALL.into_iter().find(|f| f.key() == key)
    }
}

/// Field specs in the order of [`HrField`]. Aliases are headers seen in exports of Dutch
/// HR and payroll systems, written in any case/spacing (the import crate normalises).
pub static FIELD_SPECS: [FieldSpec; 11] = [
    FieldSpec {
        key: "employee_number",
        label_nl: "personeelsnummer",
        aliases: &[
            "personeelsnummer",
            "medewerkernummer",
            "werknemernummer",
            "medewerker id",
            "medewerkerid",
            "werknemer id",
            "employee id",
            "employee number",
            "pers nummer",
            "mdw nummer",
            "registratienummer",
            "id medewerker",
        ],
    },
    FieldSpec {
        key: "team",
        label_nl: "team",
        aliases: &[
            "team",
            "afdeling",
            "kostenplaats",
            "teamnaam",
            "afdelingsnaam",
            "organisatorische eenheid",
            "organisatie eenheid",
            "organisatieonderdeel",
            "unit",
            "cluster",
            "kostenplaats omschrijving",
        ],
    },
    FieldSpec {
        key: "function",
        label_nl: "functie",
        aliases: &[
            "functie",
            "functienaam",
            "functieomschrijving",
            "functie omschrijving",
            "beroep",
            "job title",
        ],
    },
    FieldSpec {
        key: "fwg_scale",
        label_nl: "FWG-schaal",
        aliases: &[
            "fwg",
            "fwg schaal",
            "fwgschaal",
            "schaal",
            "salarisschaal",
            "functiegroep",
            "inschaling",
            "fwg niveau",
        ],
    },
    FieldSpec {
        key: "contract_hours",
        label_nl: "contracturen",
        aliases: &[
            "contracturen",
            "contracturen per week",
            "contract uren",
            "uren per week",
            "arbeidsduur",
            "arbeidsduur per week",
            "wekelijkse arbeidsduur",
            "aantal uren",
            "uren",
            "omvang uren",
            "omvang",
        ],
    },
    FieldSpec {
        key: "part_time_factor",
        label_nl: "deeltijdfactor",
        aliases: &[
            "deeltijdfactor",
            "deeltijdpercentage",
            "deeltijd percentage",
            "deeltijd",
            "dtf",
            "fte",
            "omvang fte",
            "parttimefactor",
            "part time factor",
            "parttime percentage",
            "werktijdfactor",
            "omvang",
        ],
    },
    FieldSpec {
        key: "birth_date",
        label_nl: "geboortedatum",
        aliases: &[
            "geboortedatum",
            "geb datum",
            "gebdatum",
            "geboren",
            "datum geboorte",
            "date of birth",
            "birth date",
        ],
    },
    FieldSpec {
        key: "age",
        label_nl: "leeftijd",
        aliases: &["leeftijd", "leeftijd in jaren", "age"],
    },
    FieldSpec {
        key: "start_date",
        label_nl: "datum in dienst",
        aliases: &[
            "datum in dienst",
            "in dienst",
            "indienst",
            "datum indiensttreding",
            "indiensttreding",
            "startdatum",
            "begindatum",
            "begindatum dienstverband",
            "ingangsdatum",
            "start date",
        ],
    },
    FieldSpec {
        key: "end_date",
        label_nl: "datum uit dienst",
        aliases: &[
            "datum uit dienst",
            "uit dienst",
            "uitdienst",
            "datum uitdiensttreding",
            "einddatum",
            "einddatum dienstverband",
            "einddatum contract",
            "einde dienstverband",
            "end date",
        ],
    },
    FieldSpec {
        key: "contract_kind",
        label_nl: "soort contract",
        aliases: &[
            "soort contract",
            "contractsoort",
            "contracttype",
            "type contract",
            "soort dienstverband",
            "aard dienstverband",
            "contractvorm",
            "dienstverband",
            "contract",
        ],
    },
];

/// Words that mark a column as holding names or other direct identifiers. Such columns
/// are never mapped and never carried: see [`is_name_column`].
const IDENTIFYING_WORDS: [&str; 22] = [
    "naam",
    "voornaam",
    "achternaam",
    "roepnaam",
    "tussenvoegsel",
    "tussenvoegsels",
    "voorletters",
    "voorvoegsel",
    "geboortenaam",
    "meisjesnaam",
    "name",
    "bsn",
    "burgerservicenummer",
    "email",
    "mail",
    "telefoon",
    "telefoonnummer",
    "mobiel",
    "adres",
    "straat",
    "postcode",
    "iban",
];

/// Words that, next to "naam", name a thing rather than a person ("functie naam").
const NOT_A_PERSON: [&str; 10] = [
    "functie",
    "afdeling",
    "team",
    "kostenplaats",
    "locatie",
    "organisatie",
    "contract",
    "cao",
    "schaal",
    "werkgever",
];

/// True when a header names a person (or another direct identifier): "Naam",
/// "Achternaam", "Medewerkernaam", "Naam medewerker", "E-mail", "BSN", "Woonplaats".
/// "Functienaam" and "Teamnaam" are not.
pub fn is_name_column(header: &str) -> bool {
    let n = normalise_header(header);
    let words: Vec<&str> = n.split(' ').filter(|w| !w.is_empty()).collect();
    if words.contains(&"woonplaats") {
        return true;
    }
    let has_naam = words.iter().any(|w| IDENTIFYING_WORDS.contains(w));
    if has_naam {
        let about_a_thing = words.iter().any(|w| NOT_A_PERSON.contains(w));
        return !(about_a_thing && words.contains(&"naam"));
    }
    // Compounds: "medewerkernaam", "werknemernaam", "volledigenaam".
    words.iter().any(|w| {
        [
            "medewerkernaam",
            "werknemernaam",
            "personeelsnaam",
            "volledigenaam",
            "emailadres",
        ]
        .contains(w)
    })
}

/// The mapping from fields to columns, by header text, as remembered per organisation.
///
/// JSON: `{"columns": {"employee_number": "Personeelsnr", "contract_hours": "Uren p/w"}}`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct HrMapping {
    pub columns: BTreeMap<HrField, String>,
}

impl HrMapping {
    /// Find each mapped header in the table: exact text first, then after normalisation.
    /// Headers that are not in the table are left out and reported by
    /// [`HrMapping::missing_in`].
    pub fn resolve(&self, table: &Table) -> BTreeMap<HrField, usize> {
        let mut out = BTreeMap::new();
        for (field, header) in &self.columns {
            let idx = table
                .headers
                .iter()
                .position(|h| h == header)
                .or_else(|| table.find_header(header));
            if let Some(i) = idx {
                out.insert(*field, i);
            }
        }
        out
    }

    /// The mapped headers that the table does not have.
    pub fn missing_in(&self, table: &Table) -> Vec<(HrField, String)> {
        let found = self.resolve(table);
        self.columns
            .iter()
            .filter(|(f, _)| !found.contains_key(f))
            .map(|(f, h)| (*f, h.clone()))
            .collect()
    }
}

/// A proposal: the mapping plus the scores behind it and the name columns that will be
/// dropped.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HrMappingProposal {
    pub mapping: HrMapping,
    /// Per field: proposed column, score and up to three candidates.
    pub detail: MappingProposal,
    /// Headers recognised as names or other identifiers; never read.
    pub name_columns: Vec<String>,
}

/// Propose a mapping from the headers and a sample of the data (the first 200 rows).
/// A column of numbers up to 60 with values above 1.5 looks like contract hours; one of
/// numbers from 0 to 1.5 like a part-time factor; so a header such as "Omvang" goes to
/// whichever the data fits.
pub fn propose_mapping(table: &Table) -> HrMappingProposal {
    let name_cols: HashSet<usize> = table
        .headers
        .iter()
        .enumerate()
        .filter(|(_, h)| is_name_column(h))
        .map(|(i, _)| i)
        .collect();
    let profiles: Vec<ColumnProfile> = (0..table.headers.len())
        .map(|c| ColumnProfile::of(table, c))
        .collect();
    // Name columns get blank headers so they match nothing.
    let headers: Vec<String> = table
        .headers
        .iter()
        .enumerate()
        .map(|(i, h)| {
            if name_cols.contains(&i) {
                String::new()
            } else {
                h.clone()
            }
        })
        .collect();
    let detail = import::propose_mapping(&headers, &FIELD_SPECS, |spec, col| {
        let field = HrField::from_key(spec.key)?;
        profiles[col].score(field)
    });
    let mut mapping = HrMapping::default();
    for choice in &detail.fields {
        if let (Some(field), Some(col)) = (HrField::from_key(&choice.field), choice.column) {
            mapping.columns.insert(field, table.headers[col].clone());
        }
    }
    let mut name_columns: Vec<usize> = name_cols.into_iter().collect();
    name_columns.sort_unstable();
    HrMappingProposal {
        mapping,
        detail,
        name_columns: name_columns
            .into_iter()
            .map(|i| table.headers[i].clone())
            .collect(),
    }
}

/// What a sample of a column looks like.
struct ColumnProfile {
    nonempty: usize,
    numbers: Vec<f64>,
    dates: usize,
    birth_like_dates: usize,
    distinct: usize,
    kinds: usize,
    fwg_like: usize,
}

impl ColumnProfile {
    fn of(table: &Table, col: usize) -> Self {
        let sample: Vec<&Cell> = table
            .rows
            .iter()
            .take(200)
            .map(|r| r.get(col))
            .filter(|c| !c.is_empty())
            .collect();
        let texts: Vec<String> = sample.iter().map(|c| c.display()).collect();
        let style = import::infer_number_style(texts.iter().map(String::as_str));
        let mut numbers = Vec::new();
        let (mut dates, mut birth_like_dates, mut kinds, mut fwg_like) = (0, 0, 0, 0);
        for c in &sample {
            let is_date_cell = matches!(c, Cell::DateTime(_));
            if !is_date_cell
                && let Ok(n) = import::parse_number_cell(c, style)
                && let Ok(f) = n.to_string().parse::<f64>()
            {
                numbers.push(f);
            }
            let as_date = match c {
                Cell::Number(_) => None,
                other => import::parse_date(other).ok(),
            };
            if let Some(d) = as_date {
                dates += 1;
                if (1930..=2015).contains(&chrono::Datelike::year(&d)) {
                    birth_like_dates += 1;
                }
            }
            if let Cell::Text(t) = c
                && parse_contract_kind(t).is_some()
            {
                kinds += 1;
            }
            if parse_fwg(c).is_some_and(|s| s.starts_with("FWG")) {
                fwg_like += 1;
            }
        }
        let distinct = texts.iter().collect::<HashSet<_>>().len();
        ColumnProfile {
            nonempty: sample.len(),
            numbers,
            dates,
            birth_like_dates,
            distinct,
            kinds,
            fwg_like,
        }
    }

    /// 0..=1 how well the values fit `field`; `None` when the data says nothing.
    fn score(&self, field: HrField) -> Option<f64> {
        if self.nonempty == 0 {
            return None;
        }
        let n = self.nonempty as f64;
        let num_share = self.numbers.len() as f64 / n;
        let max = self.numbers.iter().copied().fold(f64::MIN, f64::max);
        let min = self.numbers.iter().copied().fold(f64::MAX, f64::min);
        let all_in = |lo: f64, hi: f64| !self.numbers.is_empty() && min >= lo && max <= hi;
        Some(match field {
            HrField::ContractHours => {
                if all_in(0.0, 60.0) && max > 1.5 {
                    num_share
                } else {
                    0.0
                }
            }
            HrField::PartTimeFactor => {
                if all_in(0.0, 1.5) {
                    num_share
                } else if all_in(0.0, 150.0) && max > 40.0 {
                    0.6 * num_share // a percentage
                } else {
                    0.0
                }
            }
            HrField::Age => {
                let ints = self.numbers.iter().filter(|x| x.fract() == 0.0).count() as f64;
                if all_in(14.0, 100.0) { ints / n } else { 0.0 }
            }
            HrField::BirthDate => self.birth_like_dates as f64 / n,
            HrField::StartDate | HrField::EndDate => self.dates as f64 / n,
            HrField::ContractKind => self.kinds as f64 / n,
            HrField::EmployeeNumber => {
                if self.dates > 0 {
                    0.0
                } else {
                    self.distinct as f64 / n
                }
            }
            HrField::FwgScale => {
                if self.fwg_like > 0 {
                    self.fwg_like as f64 / n
                } else {
                    return None;
                }
            }
            HrField::Team | HrField::Function => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs_line_up_with_fields() {
        for f in HrField::ALL {
            assert_eq!(HrField::from_key(f.key()), Some(f));
            let json = serde_json::to_string(&f).unwrap();
            assert_eq!(json, format!("\"{}\"", f.key()));
        }
    }

    #[test]
    fn name_columns() {
        for h in [
            "Naam",
            "Voornaam",
            "Achternaam",
            "Roepnaam",
            "Tussenvoegsel",
            "Naam medewerker",
            "Medewerkernaam",
            "E-mail",
            "Emailadres",
            "BSN",
            "Woonplaats",
            "Postcode",
            "Volledige naam",
        ] {
            assert!(is_name_column(h), "{h}");
        }
        for h in [
            "Functienaam",
            "Functie naam",
            "Teamnaam",
            "Afdeling naam",
            "Personeelsnummer",
            "Contracturen",
            "Geboortedatum",
        ] {
            assert!(!is_name_column(h), "{h}");
        }
    }
}
