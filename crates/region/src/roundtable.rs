//! The round-table pack (issue 30): per subsector, the subsector's regional picture (the
//! published rows, so with their suppression), one organisation's own figures only in that
//! organisation's copy, and the discussion questions per interview theme (data, in
//! `questions/round-table.toml`, with source and reasoning). Built as one
//! `report::doc::Document`, so the page and the PDF say the same.
//!
//! The shared version names no organisation: it carries only the published rows and the
//! number of organisations. An organisation's copy adds that organisation's own figures
//! (its own data) and its name.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use report::doc::{Align, Block, Cell, Document, Section, Table};
use report::nl;
use serde::{Deserialize, Serialize};
use valuecase::interview::Theme;

use crate::{OwnView, RegionalPicture, Row};

/// The questions shipped with the crate.
pub const EMBEDDED_QUESTIONS: &str = include_str!("../questions/round-table.toml");

/// One discussion question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    pub theme: Theme,
    pub text: String,
    /// Where the question comes from (printed in the pack).
    pub source: String,
    /// Why it is asked (for the programme team).
    pub why: String,
}

/// The loaded, validated questions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Questions {
    pub version: String,
    pub questions: Vec<Question>,
}

/// Why a questions file is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QuestionsError {
    #[error("het vragenbestand is geen geldige TOML: {0}")]
    Parse(String),
    #[error("vraag {index}: {problem}")]
    Invalid { index: usize, problem: String },
}

impl Questions {
    /// The questions shipped with the crate.
    pub fn embedded() -> Result<Questions, QuestionsError> {
        Questions::from_toml(EMBEDDED_QUESTIONS)
    }

    /// Parses and checks a questions file: a known theme (unknown ones fail in parsing),
    /// a text, a source and a reason for every question, and every theme but `overig`
    /// covered.
    pub fn from_toml(src: &str) -> Result<Questions, QuestionsError> {
        let q: Questions = toml::from_str(src).map_err(|e| QuestionsError::Parse(e.to_string()))?;
        for (index, x) in q.questions.iter().enumerate() {
            for (field, value) in [("text", &x.text), ("source", &x.source), ("why", &x.why)] {
                if value.trim().is_empty() {
                    return Err(QuestionsError::Invalid {
                        index: index + 1,
                        problem: format!("{field} is leeg"),
                    });
                }
            }
        }
        if let Some(missing) = Theme::ALL
            .into_iter()
            .find(|t| *t != Theme::Overig && !q.questions.iter().any(|x| x.theme == *t))
        {
            return Err(QuestionsError::Invalid {
                index: 0,
                problem: format!("geen vraag voor thema {}", missing.code()),
            });
        }
        Ok(q)
    }

    /// The questions grouped by theme, in the themes' fixed order.
    pub fn by_theme(&self) -> BTreeMap<Theme, Vec<&Question>> {
        let mut out: BTreeMap<Theme, Vec<&Question>> = BTreeMap::new();
        for q in &self.questions {
            out.entry(q.theme).or_default().push(q);
        }
        out
    }
}

/// Everything a pack is made from.
pub struct PackInput<'a> {
    pub picture: &'a RegionalPicture,
    /// The subsector's code (`vvt`) and Dutch label.
    pub subsector: &'a str,
    pub subsector_label: &'a str,
    /// Dutch labels of condition and obstacle option codes.
    pub labels: &'a BTreeMap<String, String>,
    /// For an organisation's own copy: its name and its own view (of the same picture;
    /// `None` while the organisation has no results yet).
    pub own: Option<(&'a str, Option<&'a OwnView>)>,
    pub questions: &'a Questions,
    pub date: NaiveDate,
}

/// The row of a subsector without organisations in the picture: nothing to show.
fn empty_row(subsector: &str) -> Row {
    Row {
        subsector: Some(subsector.to_string()),
        organisations: 0,
        suppressed: true,
        reason: Some("geen organisaties met resultaten in deze sector".into()),
        suppressions: Vec::new(),
        employees: None,
        average_contract_hours: None,
        deeltijdfactor: None,
        respondents: None,
        open_share: None,
        open_share_ci95: None,
        sure_share: None,
        conditional_share: None,
        potential_hours_per_week: None,
        potential_fte: None,
        conditions: Vec::new(),
        obstacles: Vec::new(),
        pnil_last_12_months_cost: None,
        pnil_last_12_months_cost_cents: None,
    }
}

fn cell(v: Option<String>) -> Cell {
    v.map_or(Cell::Suppressed, Cell::Text)
}

/// The published figures of a row, in the order of [`MEASURES`].
fn row_values(row: &Row) -> Vec<Option<String>> {
    vec![
        Some(row.organisations.to_string()),
        row.employees.map(|v| nl::number(v as f64, 0)),
        row.average_contract_hours.map(nl::hours),
        row.deeltijdfactor.map(|v| nl::number(v, 2)),
        row.respondents.map(|v| nl::number(v as f64, 0)),
        row.open_share.map(|v| nl::percent(v, 0)),
        row.potential_fte.map(|v| nl::number(v, 1)),
        row.pnil_last_12_months_cost_cents.map(nl::euro_cents),
    ]
}

const MEASURES: [&str; 8] = [
    "Organisaties",
    "Medewerkers",
    "Gemiddelde contracturen per week",
    "Deeltijdfactor",
    "Respondenten",
    "Open voor meer uren",
    "Potentieel (fte)",
    "PNIL-kosten laatste 12 maanden",
];

fn reasons(label: &str, row: &Row) -> Vec<String> {
    row.suppressions
        .iter()
        .map(|s| {
            let group = match s.figures {
                crate::FigureGroup::Workforce => "personeel",
                crate::FigureGroup::Survey => "enquête",
                crate::FigureGroup::Pnil => "PNIL",
            };
            format!("{label} ({group}): {}", s.reason)
        })
        .collect()
}

fn top(list: &[crate::OptionShare], labels: &BTreeMap<String, String>) -> Vec<String> {
    list.iter()
        .take(5)
        .map(|o| {
            format!(
                "{} ({})",
                labels
                    .get(&o.option)
                    .map_or(o.option.as_str(), String::as_str),
                nl::percent(o.share, 0)
            )
        })
        .collect()
}

/// The pack as a report document: the shared version when `own` is `None`, else that
/// organisation's copy.
pub fn pack_document(input: &PackInput<'_>) -> Document {
    let p = input.picture;
    let empty = empty_row(input.subsector);
    let row = p
        .subsectors
        .iter()
        .find(|r| r.subsector.as_deref() == Some(input.subsector))
        .unwrap_or(&empty);
    let mut picture_blocks = vec![Block::Paragraph(format!(
        "Cijfers van de deelnemende organisaties samen: de sector {} in {} naast de hele regio{}. Een cijfer staat er alleen als minstens {} organisaties eraan bijdragen en geen organisatie meer dan {}% levert.",
        input.subsector_label,
        p.region,
        p.period
            .as_ref()
            .map(|x| format!(" (periode {x})"))
            .unwrap_or_default(),
        p.policy.min_orgs,
        p.policy.dominance_percent
    ))];
    let columns = [(input.subsector_label, row), ("Hele regio", &p.total)];
    let values: Vec<Vec<Option<String>>> = columns.iter().map(|(_, r)| row_values(r)).collect();
    picture_blocks.push(Block::Table(Table {
        caption: Some(format!(
            "Regiobeeld {} – {}",
            p.region, input.subsector_label
        )),
        header: std::iter::once("Cijfer".to_string())
            .chain(columns.iter().map(|(l, _)| l.to_string()))
            .collect(),
        align: vec![Align::Left, Align::Right, Align::Right],
        rows: MEASURES
            .iter()
            .enumerate()
            .map(|(i, m)| {
                std::iter::once(Cell::Text((*m).to_string()))
                    .chain(values.iter().map(|v| cell(v[i].clone())))
                    .collect()
            })
            .collect(),
    }));
    let hidden: Vec<String> = columns.iter().flat_map(|(l, r)| reasons(l, r)).collect();
    if !hidden.is_empty() {
        picture_blocks.push(Block::Paragraph("**Niet getoond, en waarom:**".into()));
        picture_blocks.push(Block::Bullets(hidden));
    }
    if row.respondents.is_some() {
        let conditions = top(&row.conditions, input.labels);
        if !conditions.is_empty() {
            picture_blocks.push(Block::Heading("Meest genoemde voorwaarden".into()));
            picture_blocks.push(Block::Bullets(conditions));
        }
        let obstacles = top(&row.obstacles, input.labels);
        if !obstacles.is_empty() {
            picture_blocks.push(Block::Heading("Meest genoemde belemmeringen".into()));
            picture_blocks.push(Block::Bullets(obstacles));
        }
    }
    let mut sections = vec![Section {
        heading: format!("Het regiobeeld van uw sector: {}", input.subsector_label),
        blocks: picture_blocks,
    }];
    if let Some((name, None)) = input.own {
        sections.push(Section {
            heading: "Uw eigen organisatie".into(),
            blocks: vec![Block::Paragraph(format!(
                "Dit is het exemplaar van {name}. Uw organisatie heeft nog geen resultaten (een gesloten vragenlijstronde en een HR-bestand), dus hier staan nog geen eigen cijfers."
            ))],
        });
    }
    if let Some((name, Some(view))) = input.own {
        let o = &view.organisation;
        let own_values = [
            Some(nl::number(o.employees as f64, 0)),
            o.average_contract_hours.map(nl::hours),
            o.deeltijdfactor.map(|v| nl::number(v, 2)),
            Some(nl::number(o.respondents as f64, 0)),
            o.open_share.map(|v| nl::percent(v, 0)),
            Some(nl::number(o.potential_fte, 1)),
            o.pnil_last_12_months_cost_cents.map(nl::euro_cents),
        ];
        let sub = row_values(&view.subsector);
        let reg = row_values(&view.region_total);
        let rows = MEASURES[1..]
            .iter()
            .enumerate()
            .map(|(i, m)| {
                vec![
                    Cell::Text((*m).to_string()),
                    own_values[i]
                        .clone()
                        .map_or(Cell::Text("–".into()), Cell::Text),
                    cell(sub[i + 1].clone()),
                    cell(reg[i + 1].clone()),
                ]
            })
            .collect();
        let mut blocks = vec![
            Block::Paragraph(format!(
                "Dit deel staat alleen in het exemplaar van {name}. Het zijn de eigen cijfers van uw organisatie (periode {}), naast uw sector en de hele regio. Andere deelnemers zien deze cijfers niet.",
                view.period
            )),
            Block::Table(Table {
                caption: Some(format!("{name} naast de regio")),
                header: vec![
                    "Cijfer".into(),
                    "Uw organisatie".into(),
                    "Uw sector in de regio".into(),
                    "Hele regio".into(),
                ],
                align: vec![Align::Left, Align::Right, Align::Right, Align::Right],
                rows,
            }),
        ];
        if !view.national.is_empty() {
            blocks.push(Block::Paragraph("**Landelijk ter vergelijking:**".into()));
            blocks.push(Block::Bullets(
                view.national
                    .iter()
                    .map(|n| {
                        format!(
                            "{}: {} {} (bron: {}, {})",
                            n.label,
                            nl::number(n.value, 1),
                            n.unit,
                            n.source,
                            n.source_date
                        )
                    })
                    .collect(),
            ));
        }
        sections.push(Section {
            heading: "Uw eigen organisatie".into(),
            blocks,
        });
    }
    let mut question_blocks = vec![Block::Paragraph(
        "Vragen om aan tafel samen te bespreken, per thema van de interviews. Kies er een paar die passen bij het beeld hierboven.".into(),
    )];
    let mut sources = Vec::new();
    for (theme, list) in input.questions.by_theme() {
        question_blocks.push(Block::Heading(theme.label().to_string()));
        question_blocks.push(Block::Bullets(
            list.iter().map(|q| q.text.clone()).collect(),
        ));
        for q in list {
            if !sources.contains(&q.source) {
                sources.push(q.source.clone());
            }
        }
    }
    question_blocks.push(Block::Paragraph(format!(
        "**Waar de vragen vandaan komen** (vragenlijst {}):",
        input.questions.version
    )));
    question_blocks.push(Block::Bullets(sources));
    sections.push(Section {
        heading: "Gespreksvragen".into(),
        blocks: question_blocks,
    });
    Document {
        title: format!("Rondetafelpakket {}", input.subsector_label),
        subtitle: Some(match input.own {
            Some((name, _)) => format!("Regio {} – exemplaar van {name}", p.region),
            None => format!(
                "Regio {} – gedeelde versie, zonder namen van organisaties",
                p.region
            ),
        }),
        org_name: match input.own {
            Some((name, _)) => name.to_string(),
            None => format!("Regio {}", p.region),
        },
        date: input.date,
        sections,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tests::org;
    use crate::{Policy, own_view, regional_picture};

    fn figures() -> Vec<crate::OrgFigures> {
        vec![
            org(1, "vvt", 100, 2500.0),
            org(2, "vvt", 120, 3000.0),
            org(3, "vvt", 80, 1900.0),
            org(4, "gz", 60, 1500.0),
            org(5, "gz", 60, 1400.0),
            org(6, "gz", 40, 1000.0),
            org(7, "ggz", 40, 1000.0),
            org(8, "ggz", 40, 1000.0),
        ]
    }

    #[test]
    fn the_embedded_questions_cover_every_theme() {
        let q = Questions::embedded().unwrap();
        assert!(q.questions.len() >= 7);
        let bad = EMBEDDED_QUESTIONS.replace("theme = \"cultuur\"", "theme = \"weer\"");
        assert!(matches!(
            Questions::from_toml(&bad),
            Err(QuestionsError::Parse(_))
        ));
    }

    fn pack(own: Option<(&str, Option<&OwnView>)>, subsector: &str) -> Document {
        let orgs = figures();
        let p = regional_picture("Twente", &Policy::default(), &orgs).unwrap();
        let labels = BTreeMap::from([("vaste_dagen".to_string(), "Vaste werkdagen".to_string())]);
        let q = Questions::embedded().unwrap();
        pack_document(&PackInput {
            picture: &p,
            subsector,
            subsector_label: if subsector == "vvt" { "VVT" } else { "GGZ" },
            labels: &labels,
            own,
            questions: &q,
            date: NaiveDate::from_ymd_opt(2026, 11, 12).unwrap(),
        })
    }

    #[test]
    fn the_shared_pack_names_no_organisation_and_hides_what_the_picture_hides() {
        let doc = pack(None, "vvt");
        let html = report::doc::to_html(&doc);
        assert!(html.contains("gedeelde versie"));
        assert!(!html.contains("Uw eigen organisatie"));
        insta::assert_snapshot!(html);
        // GGZ has two organisations: no figure but the count, with the reason.
        let ggz = report::doc::to_html(&pack(None, "ggz"));
        assert!(ggz.contains("minder dan 3 organisaties"), "{ggz}");
    }

    #[test]
    fn an_organisations_copy_adds_its_own_figures() {
        let orgs = figures();
        let p = regional_picture("Twente", &Policy::default(), &orgs).unwrap();
        let b = hr::SectorBenchmarks::embedded().unwrap();
        let v = own_view(&p, &b, &orgs[0]).unwrap();
        let doc = pack(Some(("Zorggroep Een", Some(&v))), "vvt");
        let html = report::doc::to_html(&doc);
        assert!(html.contains("exemplaar van Zorggroep Een"));
        assert!(html.contains("Uw eigen organisatie"));
        // Its own employees (100) appear only in its copy.
        assert!(
            html.contains("<td class=\"num\">100</td>") || html.contains(">100<"),
            "{html}"
        );
        let none = report::doc::to_html(&pack(Some(("Zorggroep Een", None)), "vvt"));
        assert!(none.contains("nog geen resultaten"));
    }
}
