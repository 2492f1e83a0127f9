//! The Value Case as a report document (`report::Document`): the six sections of issue 29
//! in Dutch (B1) with vector charts. The page shows it as HTML, the PDF renderer typesets
//! it; both come from this one function, so page and PDF say the same.
//!
//! Suppressed figures appear as `–` (`Cell::Suppressed`, with the reason under the table)
//! or as a sentence saying why there is no figure: this module only shows what the
//! [`ValueCase`] carries, and a suppressed team carries no number.

use hr::{Dimension, Figures};
use report::chart::{self, Bar, Reference};
use report::doc::{Align, Block, Cell, Document, Figure, KeyFigure, Quote, Section, Table};
use report::nl;

use crate::interview::ItemKind;
use crate::potential::RateSource;
use crate::{OptionShare, Ranked, Replaceable, ValueCase};

/// What the report says where a figure is hidden.
const HIDDEN: &str =
    "niet getoond: te weinig reacties om iets te zeggen zonder dat iemand herkenbaar wordt";

/// A share as a whole percentage, rounded half away from zero (as the recommendations'
/// reasons round, so the two agree: 0,625 is 63%).
fn pct(x: f64) -> String {
    nl::percent((x * 100.0).round() / 100.0, 0)
}

fn ci(range: &[f64; 2], fmt: impl Fn(f64) -> String) -> String {
    format!("95%-interval {} tot {}", fmt(range[0]), fmt(range[1]))
}

fn hours_week(h: f64) -> String {
    format!("{} uur per week", nl::number(h, 0))
}

fn num_cell(v: Option<String>, suppressed: bool) -> Cell {
    match (suppressed, v) {
        (false, Some(s)) => Cell::Text(s),
        _ => Cell::Suppressed,
    }
}

/// Builds the report document of a Value Case.
pub fn document(vc: &ValueCase) -> Document {
    Document {
        title: "Value Case".into(),
        subtitle: Some(format!(
            "Fase 0: de ruimte voor grotere contracten bij {}",
            vc.organisation.name
        )),
        org_name: vc.organisation.name.clone(),
        date: vc.generated_on,
        sections: vec![
            summary(vc),
            potential(vc),
            conditions(vc),
            contracts(vc),
            recommendations(vc),
            method(vc),
        ],
    }
}

fn summary(vc: &ValueCase) -> Section {
    let w = &vc.workforce;
    let s = &vc.survey;
    let p = &vc.potential;
    let mut figures = vec![
        KeyFigure {
            label: "Medewerkers".into(),
            value: w
                .employees
                .map_or_else(|| "–".into(), |n| nl::integer(n as i64)),
            note: w.fte.map(nl::fte),
        },
        KeyFigure {
            label: "Gemiddelde contractomvang".into(),
            value: w
                .average_contract_hours
                .map_or_else(|| "–".into(), |h| format!("{} uur", nl::hours(h))),
            note: Some(format!(
                "sector: {} uur{}",
                nl::hours(w.sector_average_hours),
                w.deeltijdfactor
                    .map(|f| format!(", deeltijdfactor {}", nl::number(f, 2)))
                    .unwrap_or_default()
            )),
        },
        KeyFigure {
            label: "Staat open voor een groter contract".into(),
            value: s.open_share.map_or_else(|| "–".into(), pct),
            note: match (s.sure_share, s.conditional_share) {
                (Some(a), Some(b)) => Some(format!(
                    "{} ja, zeker · {} onder voorwaarden{}",
                    pct(a),
                    pct(b),
                    s.open_share_ci95
                        .map(|r| format!(" · {}", ci(&r, pct)))
                        .unwrap_or_default()
                )),
                _ => Some(HIDDEN.into()),
            },
        },
        KeyFigure {
            label: "Potentieel".into(),
            value: p.hours_per_week.map_or_else(|| "–".into(), hours_week),
            note: p.fte.map(|f| {
                format!(
                    "{} bij voltijd {} uur",
                    nl::fte(f),
                    nl::hours(p.full_time_hours)
                )
            }),
        },
    ];
    figures.push(KeyFigure {
        label: "Kosten inhuur (PNIL), 12 maanden".into(),
        value: vc
            .pnil
            .last_12_months_cost
            .map_or_else(|| "–".into(), nl::euro_cents_whole),
        note: Some(format!(
            "{} tot en met {}",
            vc.pnil.from_month, vc.pnil.to_month
        )),
    });
    let mut blocks = vec![
        Block::Paragraph(format!(
            "Deze Value Case zet de feiten op tafel: hoeveel medewerkers van {} meer uren willen werken, wat daarvoor nodig is en wat het oplevert. Hij gebruikt de vragenlijst '{}' ({} reacties) en het HR-bestand met peildatum {}.",
            vc.organisation.name,
            vc.round.name,
            nl::integer(s.respondents as i64),
            nl::date(vc.snapshot.peildatum)
        )),
        Block::KeyFigures(figures),
        Block::Heading("De drie belangrijkste kansen".into()),
    ];
    blocks.push(if vc.summary.opportunities.is_empty() {
        Block::Paragraph(
            "Er zijn nog geen kansen bekend uit de vragenlijst of het interview.".into(),
        )
    } else {
        Block::Bullets(vc.summary.opportunities.clone())
    });
    blocks.push(Block::Heading("De drie grootste belemmeringen".into()));
    blocks.push(if vc.summary.obstacles.is_empty() {
        Block::Paragraph(
            "Er zijn nog geen belemmeringen bekend uit de vragenlijst of het interview.".into(),
        )
    } else {
        Block::Bullets(vc.summary.obstacles.clone())
    });
    Section {
        heading: "Samenvatting".into(),
        blocks,
    }
}

fn rate_source(r: Option<RateSource>) -> &'static str {
    match r {
        Some(RateSource::Team) => "eigen team",
        Some(RateSource::Pooled) => "kleine teams samen",
        Some(RateSource::Organisation) => "hele organisatie",
        None => "",
    }
}

fn potential(vc: &ValueCase) -> Section {
    let p = &vc.potential;
    let mut blocks = Vec::new();
    if p.suppressed || p.hours_per_week.is_none() {
        blocks.push(Block::Paragraph(format!(
            "Het potentieel is {HIDDEN}. Er zijn minder dan {k} reacties op de vraag over een groter contract, of minder dan {k} mensen die meer uren willen.",
            k = vc.min_group_size
        )));
    } else {
        let h = p.hours_per_week.unwrap_or_default();
        blocks.push(Block::Paragraph(format!(
            "Als iedereen die open staat voor een groter contract de gewenste uren krijgt, werken de medewerkers samen **{}** meer: {}.{}",
            hours_week(h),
            p.fte.map(nl::fte).unwrap_or_default(),
            p.hours_per_week_ci95
                .map(|r| format!(" Met de onzekerheid van een steekproef ligt dat tussen {} en {} uur per week (95%-interval).", nl::number(r[0], 0), nl::number(r[1], 0)))
                .unwrap_or_default()
        )));
        if let Some(sure) = p.sure_hours_per_week {
            blocks.push(Block::Paragraph(format!(
                "Alleen van wie 'ja, zeker' zegt: {}{}.",
                hours_week(sure),
                p.sure_fte
                    .map(|f| format!(" ({})", nl::fte(f)))
                    .unwrap_or_default()
            )));
        }
    }
    if !vc.teams.is_empty() {
        blocks.push(Block::Heading("Per team".into()));
        let rows = vc
            .teams
            .iter()
            .map(|t| {
                vec![
                    Cell::Text(t.team.clone()),
                    num_cell(t.employees.map(|n| nl::integer(n as i64)), t.suppressed),
                    num_cell(t.respondents.map(|n| nl::integer(n as i64)), t.suppressed),
                    num_cell(t.open_share.map(pct), t.suppressed),
                    num_cell(
                        t.potential_hours_per_week.map(|h| nl::number(h, 0)),
                        t.suppressed,
                    ),
                    match t.rate_source {
                        Some(r) if !t.suppressed => Cell::Text(rate_source(Some(r)).into()),
                        _ => Cell::Suppressed,
                    },
                ]
            })
            .collect();
        blocks.push(Block::Table(Table {
            caption: Some("Potentieel per team van het HR-bestand".into()),
            header: vec![
                "Team".into(),
                "Medewerkers".into(),
                "Reacties".into(),
                "Staat open".into(),
                "Uur per week".into(),
                "Gemiddelde van".into(),
            ],
            align: vec![
                Align::Left,
                Align::Right,
                Align::Right,
                Align::Right,
                Align::Right,
                Align::Left,
            ],
            rows,
        }));
        if vc
            .teams
            .iter()
            .any(|t| !t.suppressed && t.potential_hours_per_week.is_none())
        {
            blocks.push(Block::Paragraph(format!(
                "Een team zonder uren per week heeft minder dan {} mensen die meer uren willen, of is verborgen zodat een ander klein team niet uit het totaal volgt.",
                vc.min_group_size
            )));
        }
        let bars: Vec<Bar> = vc
            .teams
            .iter()
            .map(|t| Bar {
                label: t.team.clone(),
                value: if t.suppressed {
                    None
                } else {
                    t.potential_hours_per_week
                },
                value_label: match t.potential_hours_per_week {
                    Some(h) if !t.suppressed => nl::number(h, 0),
                    _ => "te klein".into(),
                },
            })
            .collect();
        if bars.iter().any(|b| b.value.is_some()) {
            let desc = bars
                .iter()
                .map(|b| format!("{}: {}", b.label, b.value_label))
                .collect::<Vec<_>>()
                .join("; ");
            blocks.push(Block::Figure(Figure {
                svg: chart::horizontal_bar_chart(
                    "vc-potentieel-teams",
                    "Potentieel per team (uur per week)",
                    &desc,
                    &bars,
                    None,
                ),
                caption: "Extra uren per week per team, als iedereen die open staat de gewenste uren krijgt.".into(),
            }));
        }
    }
    blocks.push(Block::Heading("Wat het waard is".into()));
    blocks.push(Block::Paragraph(match &vc.pnil.replaceable {
        Replaceable::Known {
            hours_per_year,
            pnil_cost,
            own_cost,
            saving,
        } => format!(
            "Het potentieel kan ongeveer {} uur inhuur per jaar vervangen. Die inhuur kostte {}; dezelfde uren door eigen medewerkers kosten {}. Het verschil is **{}** per jaar.",
            nl::number(*hours_per_year, 0),
            nl::euro_cents_whole(*pnil_cost),
            nl::euro_cents_whole(*own_cost),
            nl::euro_cents_whole(*saving)
        ),
        Replaceable::Unknown { reason } => reason.clone(),
    }));
    Section {
        heading: "Het potentieel".into(),
        blocks,
    }
}

fn ranked_table(caption: &str, r: &Ranked) -> Vec<Block> {
    if r.suppressed {
        return vec![Block::Paragraph(format!(
            "{caption}: {HIDDEN} ({} reacties).",
            if r.respondents == 0 {
                "geen".to_string()
            } else {
                "te weinig".to_string()
            }
        ))];
    }
    if r.options.is_empty() {
        return vec![Block::Paragraph(format!("{caption}: geen antwoorden."))];
    }
    let rows = r
        .options
        .iter()
        .enumerate()
        .map(|(i, o)| {
            vec![
                Cell::Text(nl::integer(i as i64 + 1)),
                Cell::Text(o.label.clone()),
                Cell::Text(pct(o.share)),
            ]
        })
        .collect();
    vec![Block::Table(Table {
        caption: Some(format!(
            "{caption} ({} reacties; meer antwoorden per persoon mogelijk)",
            nl::integer(r.respondents as i64)
        )),
        header: vec!["".into(), "Antwoord".into(), "Aandeel".into()],
        align: vec![Align::Right, Align::Left, Align::Right],
        rows,
    })]
}

fn share_chart(id: &str, title: &str, options: &[OptionShare]) -> Option<Block> {
    if options.is_empty() {
        return None;
    }
    let bars: Vec<Bar> = options
        .iter()
        .take(8)
        .map(|o| Bar {
            label: o.label.clone(),
            value: Some(o.share * 100.0),
            value_label: pct(o.share),
        })
        .collect();
    let desc = bars
        .iter()
        .map(|b| format!("{}: {}", b.label, b.value_label))
        .collect::<Vec<_>>()
        .join("; ");
    Some(Block::Figure(Figure {
        svg: chart::horizontal_bar_chart(id, title, &desc, &bars, None),
        caption: format!("{title} (percentage van wie de vraag beantwoordde)"),
    }))
}

fn conditions(vc: &ValueCase) -> Section {
    let mut blocks = vec![Block::Paragraph(
        "Wat moet er gebeuren voordat medewerkers meer uren gaan werken, en wat houdt hen tegen? Eerst wat medewerkers zeggen, dan leidinggevenden, het rooster en het interview.".into(),
    )];
    blocks.push(Block::Heading("Voorwaarden van medewerkers".into()));
    blocks.extend(ranked_table(
        "Onder welke voorwaarden meer uren",
        &vc.conditions_detail,
    ));
    if !vc.conditions_detail.suppressed
        && let Some(b) = share_chart(
            "vc-voorwaarden",
            "Voorwaarden voor meer uren",
            &vc.conditions_detail.options,
        )
    {
        blocks.push(b);
    }
    blocks.push(Block::Heading("Belemmeringen van medewerkers".into()));
    blocks.extend(ranked_table(
        "Wat houdt medewerkers tegen",
        &vc.obstacles_detail,
    ));
    if let Some(m) = &vc.managers {
        blocks.push(Block::Heading("Wat leidinggevenden zien".into()));
        blocks.extend(ranked_table(
            "Belemmeringen volgens leidinggevenden",
            &m.obstacles,
        ));
    }
    if !vc.roster_scans.is_empty() {
        blocks.push(Block::Heading("Roosterscan".into()));
        blocks.push(Block::Bullets(
            vc.roster_scans
                .iter()
                .map(|s| {
                    format!(
                        "Scan tot {}: {} medewerkers, {} diensten; {} korte diensten, {} gebroken diensten.",
                        nl::date(s.scanned_on),
                        nl::integer(s.employees as i64),
                        nl::integer(s.shifts as i64),
                        pct(s.short_shift_share),
                        pct(s.split_shift_share)
                    )
                })
                .collect(),
        ));
    }
    blocks.push(Block::Heading("Uit het interview".into()));
    if vc.interview.is_empty() {
        blocks.push(Block::Paragraph(
            "Er zijn geen punten uit het interview voor dit rapport gekozen.".into(),
        ));
    }
    for kind in [ItemKind::Kans, ItemKind::Belemmering] {
        let items: Vec<_> = vc.interview.iter().filter(|i| i.kind == kind).collect();
        if items.is_empty() {
            continue;
        }
        blocks.push(Block::Bullets(
            items
                .iter()
                .map(|i| format!("**{}** ({}): {}", kind.label(), i.theme.label(), i.text))
                .collect(),
        ));
        for i in items.iter().filter(|i| i.quote.is_some()) {
            blocks.push(Block::Quote(Quote {
                text: i.quote.clone().unwrap_or_default(),
                who: i.who.clone(),
            }));
        }
    }
    Section {
        heading: "Voorwaarden en belemmeringen".into(),
        blocks,
    }
}

fn figures_cells(f: Option<&Figures>, hidden: bool) -> Vec<Cell> {
    match (hidden, f) {
        (false, Some(f)) => vec![
            Cell::Text(nl::integer(f.headcount as i64)),
            Cell::Text(nl::hours(f.average_hours)),
            Cell::Text(nl::number(f.average_part_time_factor, 2)),
            Cell::Text(nl::number(f.fte, 1)),
        ],
        _ => vec![Cell::Suppressed; 4],
    }
}

fn contracts(vc: &ValueCase) -> Section {
    let cp = &vc.contract_picture;
    let w = &vc.workforce;
    let mut blocks = Vec::new();
    match &cp.total {
        None => blocks.push(Block::Paragraph(format!(
            "Het contractbeeld is {HIDDEN}: het HR-bestand heeft minder dan {} medewerkers.",
            cp.min_group_size
        ))),
        Some(t) => {
            blocks.push(Block::Paragraph(format!(
                "Op {} werkten {} medewerkers gemiddeld {} uur per week (deeltijdfactor {}). De sector werkt gemiddeld {} uur{}.{}",
                nl::date(vc.snapshot.peildatum),
                nl::integer(t.headcount as i64),
                nl::hours(t.average_hours),
                nl::number(t.average_part_time_factor, 2),
                nl::hours(w.sector_average_hours),
                w.gap_to_sector_hours
                    .map(|g| format!(
                        "; het verschil is {} uur",
                        nl::number(g, 1)
                    ))
                    .unwrap_or_default(),
                w.small_contracts
                    .map(|n| format!(
                        " {} medewerkers hebben een contract van minder dan 16 uur.",
                        nl::integer(n as i64)
                    ))
                    .unwrap_or_default()
            )));
            let bars: Vec<Bar> = t
                .bands
                .iter()
                .map(|b| Bar {
                    label: b.label.clone(),
                    value: Some(b.count as f64),
                    value_label: nl::integer(b.count as i64),
                })
                .collect();
            let desc = bars
                .iter()
                .map(|b| format!("{}: {}", b.label, b.value_label))
                .collect::<Vec<_>>()
                .join("; ");
            blocks.push(Block::Figure(Figure {
                svg: chart::bar_chart(
                    "vc-contractgrootte",
                    "Medewerkers per contractgrootte (uur per week)",
                    &desc,
                    &bars,
                    None,
                ),
                caption: format!(
                    "Verdeling van de contractgroottes op {} (bron sectorgemiddelde: {}).",
                    nl::date(vc.snapshot.peildatum),
                    w.sector_source
                ),
            }));
            let team_bars: Vec<Bar> = cp
                .breakdown(Dimension::Team)
                .map(|b| {
                    b.groups
                        .iter()
                        .map(|g| Bar {
                            label: g.label.clone(),
                            value: g
                                .figures
                                .as_ref()
                                .filter(|_| g.suppressed.is_none())
                                .map(|f| f.average_hours),
                            value_label: match (&g.figures, &g.suppressed) {
                                (Some(f), None) => nl::hours(f.average_hours),
                                _ => "te klein".into(),
                            },
                        })
                        .collect()
                })
                .unwrap_or_default();
            if team_bars.iter().any(|b| b.value.is_some()) {
                let desc = team_bars
                    .iter()
                    .map(|b| format!("{}: {}", b.label, b.value_label))
                    .collect::<Vec<_>>()
                    .join("; ");
                blocks.push(Block::Figure(Figure {
                    svg: chart::horizontal_bar_chart(
                        "vc-contract-teams",
                        "Gemiddelde contractomvang per team (uur per week)",
                        &desc,
                        &team_bars,
                        Some(&Reference {
                            value: w.sector_average_hours,
                            label: format!("sector {}", nl::hours(w.sector_average_hours)),
                        }),
                    ),
                    caption:
                        "Gemiddelde contractomvang per team, met het sectorgemiddelde als lijn."
                            .into(),
                }));
            }
        }
    }
    for (dimension, title) in [
        (Dimension::Team, "Per team"),
        (Dimension::FwgScale, "Per functieniveau (FWG)"),
    ] {
        let Some(b) = cp.breakdown(dimension) else {
            continue;
        };
        if b.groups.is_empty() || (b.groups.len() == 1 && b.groups[0].key.is_none()) {
            continue;
        }
        let rows = b
            .groups
            .iter()
            .map(|g| {
                let mut row = vec![Cell::Text(g.label.clone())];
                row.extend(figures_cells(g.figures.as_ref(), g.suppressed.is_some()));
                row
            })
            .collect();
        blocks.push(Block::Table(Table {
            caption: Some(format!("{title}: contractomvang")),
            header: vec![
                dimension.label_nl().to_string(),
                "Medewerkers".into(),
                "Gemiddeld uur".into(),
                "Deeltijdfactor".into(),
                "Fte".into(),
            ],
            align: vec![
                Align::Left,
                Align::Right,
                Align::Right,
                Align::Right,
                Align::Right,
            ],
            rows,
        }));
    }
    blocks.push(Block::Heading("Wat al veranderde".into()));
    blocks.push(Block::Paragraph(match &vc.contract_change {
        None => "Er is één HR-bestand; een vergelijking volgt als er een tweede is.".into(),
        Some(c) => format!(
            "Tussen {} en {} kregen {} medewerkers een groter contract (samen {} uur erbij) en {} een kleiner (samen {} uur eraf). {} medewerkers kwamen erbij, {} gingen weg. Netto is dat {} uur per week ({}).",
            nl::date(c.from),
            nl::date(c.to),
            nl::integer(c.contracts_grown as i64),
            nl::hours(c.hours_added),
            nl::integer(c.contracts_shrunk as i64),
            nl::hours(c.hours_removed),
            nl::integer(c.joined as i64),
            nl::integer(c.left as i64),
            nl::number(c.net_hours, 1),
            nl::fte(c.net_fte)
        ),
    }));
    Section {
        heading: "Het contractbeeld".into(),
        blocks,
    }
}

fn recommendations(vc: &ValueCase) -> Section {
    let mut blocks = vec![Block::Paragraph(
        "Welke interventies uit het programma passen bij wat we zagen? Bij elke aanbeveling staat de bevinding die haar oproept.".into(),
    )];
    if vc.recommendations.is_empty() {
        blocks.push(Block::Paragraph(
            "Uit de gegevens volgt nog geen aanbeveling. Vul de vragenlijst, het interview of de roosterscan aan.".into(),
        ));
    }
    for r in &vc.recommendations {
        blocks.push(Block::Heading(r.intervention.clone()));
        blocks.push(Block::Paragraph(r.description.clone()));
        blocks.push(Block::Paragraph(format!("**Waarom:** {}", r.reason)));
    }
    Section {
        heading: "Aanbevelingen".into(),
        blocks,
    }
}

fn method(vc: &ValueCase) -> Section {
    let m = &vc.method;
    Section {
        heading: "Bronnen en methode".into(),
        blocks: vec![Block::Bullets(vec![
            format!(
                "Vragenlijst: ronde '{}' ({}), van {} tot {}; {} reacties{}.",
                m.round,
                m.questionnaire,
                nl::date(vc.round.opens_on),
                nl::date(vc.round.closes_on),
                nl::integer(vc.survey.respondents as i64),
                m.response_rate
                    .map(|r| format!(", respons {}", pct(r)))
                    .unwrap_or_default()
            ),
            format!("HR-bestand: peildatum {}.", nl::date(m.snapshot)),
            format!(
                "Inhuur (PNIL): {} tot en met {}, {} maanden met gegevens.",
                vc.pnil.from_month, vc.pnil.to_month, vc.pnil.months_with_data
            ),
            format!(
                "Minimale groepsgrootte: {}. {}",
                m.min_group_size, m.suppression
            ),
            format!(
                "Potentieel (versie {}): {}",
                m.estimator_version, m.estimator
            ),
            m.interval.clone(),
            format!("Regels voor aanbevelingen: versie {}.", m.rules_version),
            format!("Sectorgemiddelde: {}.", vc.workforce.sector_source),
            format!(
                "Gemaakt op {}. Elk cijfer is opnieuw te maken uit de opgeslagen gegevens met dezelfde ronde en peildatum.",
                nl::date(m.generated_on)
            ),
        ])],
    }
}
