//! The HR baseline's charts: the data shaping (which bars, labels, suppressed groups,
//! reference lines) for the charts that [`report::chart`] draws.

use crate::picture::{Breakdown, Figures};
use crate::pnil::PnilSummary;
use crate::suppress::Suppression;
use report::chart::{Bar, Reference, bar_chart, horizontal_bar_chart, line_chart};
use report::nl;

fn fmt_nl(v: f64, decimals: u32) -> String {
    nl::decimal_f64(v, decimals)
}

/// Headcount per contract-hour band.
pub fn distribution_chart(id: &str, figures: &Figures) -> String {
    let bars: Vec<Bar> = figures
        .bands
        .iter()
        .map(|b| Bar {
            label: b.label.clone(),
            value: Some(b.count as f64),
            value_label: b.count.to_string(),
        })
        .collect();
    bar_chart(
        id,
        "Medewerkers per contractomvang",
        &format!(
            "Aantal medewerkers per contractomvang in uren per week, {} medewerkers in totaal.",
            figures.headcount
        ),
        &bars,
        None,
    )
}

fn suppressed_label(s: Option<Suppression>) -> String {
    match s {
        Some(Suppression::TooSmall) | None => "te klein om te tonen".to_owned(),
        Some(Suppression::Complementary) => "verborgen (privacy)".to_owned(),
    }
}

/// Average contract hours per group of a breakdown, with the sector average as a line.
pub fn group_average_chart(id: &str, breakdown: &Breakdown, sector_average: Option<f64>) -> String {
    let bars: Vec<Bar> = breakdown
        .groups
        .iter()
        .map(|g| match &g.figures {
            Some(f) => Bar {
                label: g.label.clone(),
                value: Some(f.average_hours),
                value_label: format!("{} uur", fmt_nl(f.average_hours, 1)),
            },
            None => Bar {
                label: g.label.clone(),
                value: None,
                value_label: suppressed_label(g.suppressed),
            },
        })
        .collect();
    let reference = sector_average.map(|v| Reference {
        value: v,
        label: format!("sector {} uur", fmt_nl(v, 1)),
    });
    let what = breakdown.dimension.label_nl();
    horizontal_bar_chart(
        id,
        &format!("Gemiddelde contractomvang per {what}"),
        &format!(
            "Gemiddeld aantal contracturen per week per {what}{}.",
            sector_average
                .map(|v| format!("; de sector gemiddeld {} uur", fmt_nl(v, 1)))
                .unwrap_or_default()
        ),
        &bars,
        reference.as_ref(),
    )
}

/// PNIL costs per month.
pub fn pnil_trend_chart(id: &str, summary: &PnilSummary) -> String {
    let points: Vec<(String, f64)> = summary
        .months
        .iter()
        .map(|m| (m.month.label_nl(), m.total_cents as f64 / 100.0))
        .collect();
    line_chart(
        id,
        "Kosten personeel niet in loondienst per maand",
        "Kosten van ZZP'ers, uitzendkrachten en detachering per maand in euro.",
        &points,
        |v| format!("€ {}", fmt_nl(v, 0)),
    )
}
