//! The regional picture in the web layer (issue 30): `/regio`, `/regio/{id}` and an
//! organisation's own view `/organisaties/{id}/regio`, with their API twins
//! `GET /api/v1/regions`, `GET /api/v1/regions/{id}/picture` and
//! `GET /api/v1/organisations/{id}/regional-view`.
//!
//! Read-only: regions are managed at the command line (`urenwinst region …`). Access is
//! decided in `app::region`: a region page needs `region_access` (aggregates only), an
//! organisation's own view needs the right to read that organisation's Value Case, which a
//! regio-lezer never has.

pub mod api;
pub mod pages;

use region::Row;
use store::Subsector;

use report::nl as format;

/// The report date: today in the Netherlands.
pub(crate) fn today() -> chrono::NaiveDate {
    chrono::Utc::now()
        .with_timezone(&chrono_tz::Europe::Amsterdam)
        .date_naive()
}

/// The Dutch label of a subsector code (the code itself when unknown).
pub(crate) fn subsector_label(code: Option<&str>) -> String {
    match code {
        None => "Hele regio".into(),
        Some(c) => Subsector::from_code(c)
            .map(|s| s.label().to_string())
            .unwrap_or_else(|| c.to_string()),
    }
}

/// One cell of a table: the figure, or why it is not shown.
pub struct Cell {
    pub text: String,
    pub hidden: bool,
}

impl Cell {
    fn shown(text: String) -> Cell {
        Cell {
            text,
            hidden: false,
        }
    }
    fn hidden(reason: &str) -> Cell {
        Cell {
            text: format!("niet getoond: {reason}"),
            hidden: true,
        }
    }
}

/// The reason a group of a row is hidden.
fn reason(row: &Row, group: region::FigureGroup) -> String {
    row.suppressions
        .iter()
        .find(|s| s.figures == group)
        .map(|s| s.reason.clone())
        .unwrap_or_else(|| "geen gegevens".into())
}

fn cell<T>(
    row: &Row,
    group: region::FigureGroup,
    value: Option<T>,
    show: impl Fn(T) -> String,
) -> Cell {
    match value {
        Some(v) => Cell::shown(show(v)),
        None => Cell::hidden(&reason(row, group)),
    }
}

/// The figures of a row in the order of [`MEASURES`].
pub(crate) fn row_cells(
    row: &Row,
    labels: &std::collections::BTreeMap<String, String>,
) -> Vec<Cell> {
    use region::FigureGroup::{Pnil, Survey, Workforce};
    let label = |code: &str| {
        labels
            .get(code)
            .cloned()
            .unwrap_or_else(|| code.to_string())
    };
    let top = |list: &[region::OptionShare]| -> Cell {
        if row.respondents.is_none() {
            return Cell::hidden(&reason(row, Survey));
        }
        if list.is_empty() {
            return Cell::shown("–".into());
        }
        Cell::shown(
            list.iter()
                .take(3)
                .map(|o| format!("{} ({})", label(&o.option), format::percent(o.share, 0)))
                .collect::<Vec<_>>()
                .join("; "),
        )
    };
    vec![
        Cell::shown(row.organisations.to_string()),
        cell(row, Workforce, row.employees, |v| {
            format::number(v as f64, 0)
        }),
        cell(row, Workforce, row.average_contract_hours, format::hours),
        cell(row, Workforce, row.deeltijdfactor, |v| format::number(v, 2)),
        cell(row, Survey, row.respondents, |v| {
            format::number(v as f64, 0)
        }),
        match (row.open_share, row.open_share_ci95) {
            (Some(s), Some([lo, hi])) => Cell::shown(format!(
                "{} ({} – {})",
                format::percent(s, 0),
                format::percent(lo, 0),
                format::percent(hi, 0)
            )),
            (Some(s), None) => Cell::shown(format::percent(s, 0)),
            _ => Cell::hidden(&reason(row, Survey)),
        },
        cell(row, Survey, row.potential_fte, |v| format::number(v, 1)),
        cell(row, Survey, row.potential_hours_per_week, format::hours),
        cell(row, Pnil, row.pnil_last_12_months_cost, format::euro),
        top(&row.conditions),
        top(&row.obstacles),
    ]
}

/// The measures of the picture, in the order of [`row_cells`].
pub(crate) const MEASURES: [&str; 11] = [
    "Organisaties",
    "Medewerkers",
    "Gemiddelde contracturen per week",
    "Deeltijdfactor",
    "Respondenten",
    "Open voor meer uren (95%-interval)",
    "Potentieel (fte)",
    "Potentieel (uren per week)",
    "PNIL-kosten laatste 12 maanden",
    "Meest genoemde voorwaarden",
    "Meest genoemde belemmeringen",
];
