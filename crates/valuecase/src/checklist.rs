//! The Fase 0 checklist of one organisation, computed from facts the caller gathers.

use chrono::NaiveDate;
use serde::Serialize;

/// The survey round the checklist looks at (the last closed round, else the newest).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RoundFacts {
    pub round_id: i64,
    pub name: String,
    /// `concept`, `open` or `gesloten`.
    pub status: String,
    pub closes_on: NaiveDate,
    pub respondents: u64,
    /// Invited people, when the round used codes or invitation counts.
    pub invited: Option<u64>,
}

/// What is known about an organisation's Fase 0.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Fase0Facts {
    pub interview_recorded: bool,
    pub round: Option<RoundFacts>,
    /// Peildata of the HR snapshots.
    pub snapshots: Vec<NaiveDate>,
    /// Number of distinct months with PNIL cost.
    pub pnil_months: u32,
    pub roster_scans: u32,
    pub report_generated: bool,
    pub report_shared: bool,
}

/// State of one step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StepState {
    Klaar,
    Bezig,
    Open,
}

impl StepState {
    pub fn label(self) -> &'static str {
        match self {
            StepState::Klaar => "klaar",
            StepState::Bezig => "bezig",
            StepState::Open => "nog niet",
        }
    }
}

/// One line of the checklist.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Step {
    pub code: &'static str,
    pub label: &'static str,
    pub state: StepState,
    /// A short Dutch explanation ("respons 42%", "peildatum 01-03-2026").
    pub detail: String,
}

/// The checklist.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Checklist {
    pub steps: Vec<Step>,
    /// Steps done, out of `steps.len()`.
    pub done: usize,
}

/// Days an HR snapshot may lie from the round's close date and still count as "on the
/// peildatum" (a month either way: extracts are made at month ends).
pub const SNAPSHOT_WINDOW_DAYS: i64 = 31;

fn date_nl(d: NaiveDate) -> String {
    d.format("%d-%m-%Y").to_string()
}

/// Builds the checklist from the facts.
pub fn checklist(f: &Fase0Facts) -> Checklist {
    let mut steps = Vec::new();
    steps.push(Step {
        code: "interview",
        label: "Interview vastgelegd",
        state: if f.interview_recorded {
            StepState::Klaar
        } else {
            StepState::Open
        },
        detail: String::new(),
    });
    let (survey_state, survey_detail) = match &f.round {
        None => (StepState::Open, "nog geen ronde".to_string()),
        Some(r) => {
            let rate = r
                .invited
                .filter(|&i| i > 0)
                .map(|i| {
                    format!(
                        ", respons {}%",
                        (r.respondents as f64 * 100.0 / i as f64).round()
                    )
                })
                .unwrap_or_default();
            let state = match r.status.as_str() {
                "gesloten" => StepState::Klaar,
                "open" => StepState::Bezig,
                _ => StepState::Open,
            };
            let status = match r.status.as_str() {
                "gesloten" => "gesloten",
                "open" => "open",
                _ => "nog niet open",
            };
            (
                state,
                format!("{}: {status}, {} reacties{rate}", r.name, r.respondents),
            )
        }
    };
    steps.push(Step {
        code: "vragenlijst",
        label: "Vragenlijst afgenomen",
        state: survey_state,
        detail: survey_detail,
    });
    let nearest = f.round.as_ref().and_then(|r| {
        f.snapshots
            .iter()
            .min_by_key(|d| ((**d - r.closes_on).num_days().abs(), **d))
            .copied()
    });
    let (hr_state, hr_detail) = match (nearest, &f.round) {
        (Some(d), Some(r)) if (d - r.closes_on).num_days().abs() <= SNAPSHOT_WINDOW_DAYS => {
            (StepState::Klaar, format!("peildatum {}", date_nl(d)))
        }
        (Some(d), Some(_)) => (
            StepState::Bezig,
            format!(
                "peildatum {} ligt niet bij de sluitdatum van de ronde",
                date_nl(d)
            ),
        ),
        (None, _) if !f.snapshots.is_empty() => (
            StepState::Bezig,
            format!(
                "{} HR-bestand(en), nog geen ronde om mee te vergelijken",
                f.snapshots.len()
            ),
        ),
        _ => (StepState::Open, "nog geen HR-bestand".to_string()),
    };
    steps.push(Step {
        code: "hr",
        label: "HR-nulmeting op de peildatum",
        state: hr_state,
        detail: hr_detail,
    });
    steps.push(Step {
        code: "pnil",
        label: "PNIL-kosten ingelezen",
        state: match f.pnil_months {
            0 => StepState::Open,
            1..=11 => StepState::Bezig,
            _ => StepState::Klaar,
        },
        detail: format!("{} maanden", f.pnil_months),
    });
    steps.push(Step {
        code: "roosterscan",
        label: "Roosterscan gedaan",
        state: if f.roster_scans > 0 {
            StepState::Klaar
        } else {
            StepState::Open
        },
        detail: format!("{} scan(s)", f.roster_scans),
    });
    steps.push(Step {
        code: "rapport",
        label: "Value Case gemaakt en gedeeld",
        state: match (f.report_generated, f.report_shared) {
            (_, true) => StepState::Klaar,
            (true, false) => StepState::Bezig,
            (false, false) => StepState::Open,
        },
        detail: match (f.report_generated, f.report_shared) {
            (_, true) => "gedeeld met de organisatie".into(),
            (true, false) => "gemaakt, nog niet gedeeld".into(),
            (false, false) => String::new(),
        },
    });
    let done = steps.iter().filter(|s| s.state == StepState::Klaar).count();
    Checklist { steps, done }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn empty_facts_leave_every_step_open() {
        let c = checklist(&Fase0Facts::default());
        assert_eq!(c.done, 0);
        assert!(c.steps.iter().all(|s| s.state == StepState::Open));
        assert_eq!(c.steps.len(), 6);
    }

    #[test]
    fn complete_facts_and_snapshot_near_the_close_date() {
        let f = Fase0Facts {
            interview_recorded: true,
            round: Some(RoundFacts {
                round_id: 1,
                name: "Voorjaar".into(),
                status: "gesloten".into(),
                closes_on: d("2026-03-15"),
                respondents: 42,
                invited: Some(100),
            }),
            snapshots: vec![d("2025-01-01"), d("2026-03-01")],
            pnil_months: 12,
            roster_scans: 1,
            report_generated: true,
            report_shared: true,
        };
        let c = checklist(&f);
        assert_eq!(c.done, 6, "{c:#?}");
        assert_eq!(
            c.steps[1].detail,
            "Voorjaar: gesloten, 42 reacties, respons 42%"
        );
        assert_eq!(c.steps[2].detail, "peildatum 01-03-2026");
    }

    #[test]
    fn open_round_and_far_snapshot_are_in_progress() {
        let f = Fase0Facts {
            round: Some(RoundFacts {
                round_id: 1,
                name: "R".into(),
                status: "open".into(),
                closes_on: d("2026-03-15"),
                respondents: 3,
                invited: None,
            }),
            snapshots: vec![d("2025-01-01")],
            pnil_months: 4,
            report_generated: true,
            ..Fase0Facts::default()
        };
        let c = checklist(&f);
        let states: Vec<_> = c.steps.iter().map(|s| s.state).collect();
        assert_eq!(
            states,
            vec![
                StepState::Open,
                StepState::Bezig,
                StepState::Bezig,
                StepState::Bezig,
                StepState::Open,
                StepState::Bezig
            ]
        );
    }
}
