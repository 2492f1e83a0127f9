//! The impact report "Het Verhaal van <organisatie>": results against the goals, what
//! happened with the contract requests, lessons, and recommendations for embedding.
//! The same document is the page (HTML) and the PDF.

use chrono::NaiveDate;
use report::chart;
use report::doc::{Align, Block, Cell, Document, KeyFigure, Section, Table};
use report::nl;
use serde::Serialize;

use crate::kind::{GoalKind, RequestStatus};
use crate::measure::{ContractChanges, GoalProgress};

/// Counts of the organisation's contract requests (anonymous: no names).
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct RequestCounts {
    /// Per status, in pipeline order.
    pub by_status: Vec<(RequestStatus, usize)>,
    pub total: usize,
    pub accepted: usize,
    pub hours_agreed: f64,
    /// Accepted requests whose hours do not show in the next HR snapshot.
    pub flagged: usize,
}

/// What the report is made from.
#[derive(Debug, Clone)]
pub struct StoryInput<'a> {
    pub organisation: &'a str,
    pub date: NaiveDate,
    pub goals: &'a [GoalProgress],
    pub contracts: Option<&'a ContractChanges>,
    pub requests: &'a RequestCounts,
    /// Which interventions ran where hours grew (`None`: no second snapshot).
    pub contributed: Option<&'a crate::contributed::Contributions>,
    /// The team names of goals are shown as they are.
    pub full_time_hours: f64,
}

fn value_or_dash(kind: GoalKind, v: Option<f64>) -> Cell {
    match v {
        Some(v) => Cell::Text(kind.format(v)),
        None => Cell::Suppressed,
    }
}

fn scope_label(g: &GoalProgress) -> String {
    match &g.team {
        Some(t) => format!("team {t}"),
        None => "hele organisatie".into(),
    }
}

/// The goals table (also on the progress page's print view).
pub fn goals_table(goals: &[GoalProgress]) -> Table {
    Table {
        caption: Some("Doelen: nulmeting, laatste meting en streefwaarde".into()),
        header: vec![
            "Doel".into(),
            "Voor".into(),
            "Nulmeting".into(),
            "Laatste meting".into(),
            "Streefwaarde".into(),
            "Bereikt".into(),
            "Op schema".into(),
        ],
        align: vec![
            Align::Left,
            Align::Left,
            Align::Right,
            Align::Right,
            Align::Right,
            Align::Right,
            Align::Center,
        ],
        rows: goals
            .iter()
            .map(|g| {
                vec![
                    Cell::Text(g.kind.label_nl().into()),
                    Cell::Text(scope_label(g)),
                    value_or_dash(g.kind, g.baseline),
                    match (g.measured, g.measured_at) {
                        (Some(v), Some(d)) => {
                            Cell::Text(format!("{} ({})", g.kind.format(v), nl::date(d)))
                        }
                        _ => Cell::Suppressed,
                    },
                    Cell::Text(format!(
                        "{} vóór {}",
                        g.kind.format(g.target),
                        nl::date(g.deadline)
                    )),
                    match g.progress {
                        Some(p) => Cell::Text(nl::percent(p, 0)),
                        None => Cell::Suppressed,
                    },
                    Cell::Text(
                        match g.on_track {
                            Some(true) => "ja",
                            Some(false) => "nee",
                            None => "–",
                        }
                        .into(),
                    ),
                ]
            })
            .collect(),
    }
}

/// A small trend chart of one goal (baseline and later measurements).
pub fn trend_chart(id: &str, g: &GoalProgress) -> String {
    let points: Vec<(String, f64)> = g
        .trend
        .iter()
        .map(|p| (nl::date(p.date), p.value))
        .collect();
    let kind = g.kind;
    chart::line_chart(
        id,
        kind.label_nl(),
        &format!(
            "Verloop van {} vanaf de nulmeting; streefwaarde {}.",
            kind.label_nl().to_lowercase(),
            kind.format(g.target)
        ),
        &points,
        move |v| kind.format(v),
    )
}

fn lessons(input: &StoryInput<'_>) -> Vec<String> {
    let mut out = Vec::new();
    for g in input.goals {
        let name = g.kind.label_nl();
        match (g.on_track, g.measured, g.progress) {
            (Some(true), Some(m), Some(p)) => out.push(format!(
                "**{name}** ({}) ligt op schema: {} gemeten, {} van het doel.",
                scope_label(g),
                g.kind.format(m),
                nl::percent(p, 0)
            )),
            (Some(false), Some(m), Some(p)) => out.push(format!(
                "**{name}** ({}) blijft achter: {} gemeten, {} van het doel. Bespreek in de stuurgroep wat hier nodig is.",
                scope_label(g),
                g.kind.format(m),
                nl::percent(p, 0)
            )),
            _ if g.suppressed => out.push(format!(
                "**{name}** ({}) is niet te tonen: de groep is kleiner dan de minimale groepsgrootte.",
                scope_label(g)
            )),
            _ => out.push(format!(
                "**{name}** ({}) is nog niet gemeten: er zijn nog geen gegevens na de nulmeting.",
                scope_label(g)
            )),
        }
    }
    let r = input.requests;
    if r.total > 0 {
        out.push(format!(
            "Van de {} verzoeken om meer uren kwamen er {} tot een akkoord ({}), samen {} uur per week.",
            r.total,
            r.accepted,
            nl::percent(r.accepted as f64 / r.total as f64, 0),
            nl::hours(r.hours_agreed)
        ));
    }
    if r.flagged > 0 {
        out.push(format!(
            "{} afspraken over meer uren zijn nog niet (helemaal) terug te zien in het HR-bestand. Controleer of de contracten zijn aangepast.",
            r.flagged
        ));
    }
    out
}

fn recommendations(input: &StoryInput<'_>) -> Vec<String> {
    let mut out = vec![
        "Maak contractomvang een vast onderwerp in elk jaargesprek: vraag elke medewerker of de uren nog passen.".to_string(),
        "Houd het formulier 'Jouw contract, een bewuste keuze' open na het programma, zodat medewerkers zelf een gesprek kunnen vragen.".to_string(),
        "Lees elk kwartaal een nieuw HR-bestand in en vergelijk de afgesproken uren met de contracten.".to_string(),
        "Herhaal de enquête na een jaar om te zien of de bereidheid en de tevredenheid over het rooster veranderd zijn.".to_string(),
    ];
    let behind = |k: GoalKind| {
        input
            .goals
            .iter()
            .any(|g| g.kind == k && g.on_track == Some(false))
    };
    if behind(GoalKind::PnilMonthlyCost) {
        out.push("Zet extra uren eerst in op de diensten die nu door PNIL worden gedaan; dan dalen de kosten van inhuur het snelst.".into());
    }
    if behind(GoalKind::ShortShiftShare) || behind(GoalKind::OpkomstmomentenPerFte) {
        out.push("Ontwerp het rooster opnieuw met langere diensten en minder opkomstmomenten; korte diensten houden kleine contracten in stand.".into());
    }
    if input.requests.total == 0 {
        out.push("Er zijn nog geen verzoeken om meer uren. Maak het formulier bekend via teamoverleg, intranet en de loonstrook.".into());
    }
    out
}

/// The impact report of one organisation.
pub fn document(input: &StoryInput<'_>) -> Document {
    let mut results = Vec::new();
    if let Some(c) = input.contracts {
        results.push(Block::Paragraph(format!(
            "Tussen de nulmeting van {} en het HR-bestand van {}:",
            nl::date(c.from),
            nl::date(c.to)
        )));
        results.push(Block::KeyFigures(vec![
            KeyFigure {
                label: "Contracten uitgebreid".into(),
                value: nl::integer(c.grown as i64),
                note: None,
            },
            KeyFigure {
                label: "Uren erbij per week".into(),
                value: format!("{} uur", nl::hours(c.hours_added)),
                note: None,
            },
            KeyFigure {
                label: "Fte erbij".into(),
                value: nl::fte(c.fte_added),
                note: Some(format!(
                    "bij {} uur per fte",
                    nl::hours(input.full_time_hours)
                )),
            },
        ]));
        results.push(Block::Paragraph(format!(
            "Verder: {} contracten kleiner ({} uur minder), {} mensen in dienst gekomen en {} uit dienst gegaan.",
            c.shrunk,
            nl::hours(c.hours_removed),
            c.joined,
            c.left
        )));
    } else {
        results.push(Block::Paragraph(
            "Er is nog geen tweede HR-bestand na de nulmeting, dus nog geen gemeten verandering in contracten.".into(),
        ));
    }
    if input.goals.is_empty() {
        results.push(Block::Paragraph(
            "Er zijn nog geen doelen vastgelegd.".into(),
        ));
    } else {
        results.push(Block::Table(goals_table(input.goals)));
    }
    let mut trend = Vec::new();
    for (i, g) in input.goals.iter().enumerate() {
        if g.trend.len() >= 2 {
            trend.push(Block::Figure(report::doc::Figure {
                svg: trend_chart(&format!("doel-{}", i + 1), g),
                caption: format!("{} ({})", g.kind.label_nl(), scope_label(g)),
            }));
        }
    }
    if trend.is_empty() {
        trend.push(Block::Paragraph(
            "Nog geen verloop te tonen: daarvoor zijn minstens twee metingen nodig.".into(),
        ));
    }
    let r = input.requests;
    let requests = vec![
        Block::Paragraph(
            "Medewerkers kunnen zelf laten weten dat ze willen praten over meer uren. Hier staan alleen aantallen, geen namen.".into(),
        ),
        Block::Table(Table {
            caption: Some("Verzoeken per stap".into()),
            header: vec!["Stap".into(), "Aantal".into()],
            align: vec![Align::Left, Align::Right],
            rows: r
                .by_status
                .iter()
                .map(|(s, n)| vec![Cell::Text(s.label_nl().into()), Cell::Text(n.to_string())])
                .collect(),
        }),
        Block::KeyFigures(vec![
            KeyFigure {
                label: "Verzoeken".into(),
                value: nl::integer(r.total as i64),
                note: None,
            },
            KeyFigure {
                label: "Akkoord".into(),
                value: nl::integer(r.accepted as i64),
                note: None,
            },
            KeyFigure {
                label: "Afgesproken uren".into(),
                value: format!("{} uur", nl::hours(r.hours_agreed)),
                note: None,
            },
        ]),
    ];
    Document {
        title: format!("Het Verhaal van {}", input.organisation),
        subtitle: Some("Impactrapport: resultaten, lessen en aanbevelingen voor borging".into()),
        org_name: input.organisation.to_string(),
        date: input.date,
        sections: vec![
            Section {
                heading: "Resultaten".into(),
                blocks: results,
            },
            Section {
                heading: "Verloop".into(),
                blocks: trend,
            },
            Section {
                heading: "Wat heeft bijgedragen".into(),
                blocks: match input.contributed {
                    Some(c) => crate::contributed::blocks(c),
                    None => vec![Block::Paragraph(
                        "Nog niet te zeggen: daarvoor is een tweede HR-bestand na de nulmeting nodig.".into(),
                    )],
                },
            },
            Section {
                heading: "Jouw contract, een bewuste keuze".into(),
                blocks: requests,
            },
            Section {
                heading: "Lessen".into(),
                blocks: vec![Block::Bullets(lessons(input))],
            },
            Section {
                heading: "Aanbevelingen voor borging".into(),
                blocks: vec![Block::Bullets(recommendations(input))],
            },
        ],
    }
}

/// One summed figure of the region's impact report: its value as shown, or why not.
#[derive(Debug, Clone, PartialEq)]
pub struct RegionLine {
    pub label: String,
    /// Formatted for display; `None` when hidden.
    pub value: Option<String>,
    /// Why it is hidden (Dutch), when it is.
    pub reason: Option<String>,
}

/// How many of the region's organisations run an intervention (counts only, no names).
#[derive(Debug, Clone, PartialEq)]
pub struct InterventionCount {
    pub name: String,
    pub planned: usize,
    pub running: usize,
    pub done: usize,
}

/// What the region's impact report is made from. No organisation's name or own figure.
#[derive(Debug, Clone)]
pub struct RegionStoryInput<'a> {
    pub region: &'a str,
    pub date: NaiveDate,
    pub organisations: usize,
    /// Organisations per programme phase (label, count).
    pub phases: &'a [(String, usize)],
    pub figures: &'a [RegionLine],
    pub interventions: &'a [InterventionCount],
    /// The region's minimum number of organisations behind a figure.
    pub min_orgs: usize,
}

/// The region's impact report: the summed results with the disclosure rule explained,
/// where the organisations stand in the programme, and which interventions run.
pub fn region_document(input: &RegionStoryInput<'_>) -> Document {
    let shown = input.figures.iter().filter(|f| f.value.is_some()).count();
    let mut results = vec![Block::Paragraph(format!(
        "Opgeteld over de {} organisaties van regio {}, gemeten op {}. Een cijfer staat er alleen als minstens {} organisaties eraan bijdragen en geen organisatie er het grootste deel van levert. Er staan geen namen of cijfers van één organisatie in dit rapport.",
        input.organisations,
        input.region,
        nl::date(input.date),
        input.min_orgs
    ))];
    results.push(Block::Table(Table {
        caption: Some("Resultaten in de regio".into()),
        header: vec!["Resultaat".into(), "Regio".into()],
        align: vec![Align::Left, Align::Right],
        rows: input
            .figures
            .iter()
            .map(|f| {
                vec![
                    Cell::Text(f.label.clone()),
                    match &f.value {
                        Some(v) => Cell::Text(v.clone()),
                        None => Cell::Suppressed,
                    },
                ]
            })
            .collect(),
    }));
    let hidden: Vec<String> = input
        .figures
        .iter()
        .filter(|f| f.value.is_none())
        .map(|f| {
            format!(
                "**{}**: {}",
                f.label,
                f.reason
                    .clone()
                    .unwrap_or_else(|| "nog geen gegevens".into())
            )
        })
        .collect();
    if !hidden.is_empty() {
        results.push(Block::Paragraph("Niet getoond (–):".into()));
        results.push(Block::Bullets(hidden));
    }
    let phases = if input.phases.is_empty() {
        vec![Block::Paragraph(
            "De regio heeft nog geen organisaties.".into(),
        )]
    } else {
        vec![Block::Table(Table {
            caption: Some("Organisaties per fase van het programma".into()),
            header: vec!["Fase".into(), "Organisaties".into()],
            align: vec![Align::Left, Align::Right],
            rows: input
                .phases
                .iter()
                .map(|(p, n)| vec![Cell::Text(p.clone()), Cell::Text(nl::integer(*n as i64))])
                .collect(),
        })]
    };
    let used: Vec<&InterventionCount> = input
        .interventions
        .iter()
        .filter(|i| i.planned + i.running + i.done > 0)
        .collect();
    let interventions = if used.is_empty() {
        vec![Block::Paragraph(
            "Nog geen organisatie heeft interventies in haar plan gezet.".into(),
        )]
    } else {
        vec![
            Block::Paragraph(
                "Hoeveel organisaties elke interventie uit de aanpak gepland hebben, ermee bezig zijn of hem hebben afgerond.".into(),
            ),
            Block::Table(Table {
                caption: Some("Interventies in de regio".into()),
                header: vec![
                    "Interventie".into(),
                    "Gepland".into(),
                    "Bezig".into(),
                    "Afgerond".into(),
                ],
                align: vec![Align::Left, Align::Right, Align::Right, Align::Right],
                rows: used
                    .iter()
                    .map(|i| {
                        vec![
                            Cell::Text(i.name.clone()),
                            Cell::Text(nl::integer(i.planned as i64)),
                            Cell::Text(nl::integer(i.running as i64)),
                            Cell::Text(nl::integer(i.done as i64)),
                        ]
                    })
                    .collect(),
            }),
        ]
    };
    let mut lessons = Vec::new();
    if shown == 0 {
        lessons.push("Nog geen regiocijfer is te tonen. Dat komt als meer organisaties een tweede HR-bestand inlezen en verzoeken om meer uren bijhouden.".to_string());
    } else {
        lessons.push(format!(
            "{} van de {} regiocijfers zijn te tonen.",
            shown,
            input.figures.len()
        ));
    }
    // The most used intervention, only when one stands out (at least two organisations,
    // and no tie).
    let started = |i: &InterventionCount| i.running + i.done;
    let most = used.iter().map(|i| started(i)).max().unwrap_or(0);
    let leaders: Vec<&&InterventionCount> = used.iter().filter(|i| started(i) == most).collect();
    if most >= 2 && leaders.len() == 1 {
        lessons.push(format!(
            "De meest ingezette interventie is **{}**: {} organisaties zijn ermee bezig of hebben hem afgerond. Deel wat werkt in het leernetwerk.",
            leaders[0].name, most
        ));
    }
    lessons.push(
        "Bespreek de resultaten aan de ronde tafels per subsector, en leg in het Opschaalplan vast welke interventies de regio breder inzet.".into(),
    );
    Document {
        title: format!("Impact in regio {}", input.region),
        subtitle: Some("Regiorapport: resultaten, stand van het programma en interventies".into()),
        org_name: format!("Regio {}", input.region),
        date: input.date,
        sections: vec![
            Section {
                heading: "Resultaten".into(),
                blocks: results,
            },
            Section {
                heading: "Stand van het programma".into(),
                blocks: phases,
            },
            Section {
                heading: "Interventies".into(),
                blocks: interventions,
            },
            Section {
                heading: "Lessen en vervolg".into(),
                blocks: vec![Block::Bullets(lessons)],
            },
        ],
    }
}
