//! The Value Case as a report document: snapshots of its HTML and typst source for a fixed
//! Value Case, and suppression (a team below the minimum group size shows no number in the
//! HTML, the typst source or the JSON).

use rust_decimal::Decimal;
use valuecase::interview::{Interview, InterviewItem, ItemKind, Theme};
use valuecase::{Openness, RosterScanSummary, ValueCase, compute};

use crate::*;

/// Three teams: Noord (12 staff, 8 respondents), Zuid (10, 6) and Klein (3, 2), k = 5.
/// Klein is below k in the HR picture and the survey, so it is suppressed.
pub fn fixed_value_case() -> ValueCase {
    let mut staff_all = staff(Some("Noord"), 12, 20, "n");
    staff_all.extend(staff(Some("Zuid"), 10, 24, "z"));
    staff_all.extend(staff(Some("Klein"), 3, 16, "k"));
    let mut previous = staff(Some("Noord"), 12, 18, "n");
    previous.extend(staff(Some("Zuid"), 10, 24, "z"));
    previous.extend(staff(Some("Klein"), 3, 16, "k"));
    let mut r = Vec::new();
    for i in 0..8 {
        let o = match i % 4 {
            0 => Openness::Sure,
            1 | 2 => Openness::Conditional,
            _ => Openness::Closed,
        };
        let resp_ = resp(
            Some("Noord"),
            Some(o),
            20.0,
            if i % 4 == 3 { 20.0 } else { 24.0 },
        );
        r.push(with_choice(
            with_choice(resp_, "voorwaarden", &["langere_diensten", "vast_rooster"]),
            "weet_netto",
            &["nee"],
        ));
    }
    for i in 0..6 {
        let o = if i < 2 {
            Openness::Conditional
        } else {
            Openness::Closed
        };
        let resp_ = resp(Some("Zuid"), Some(o), 24.0, if i < 2 { 28.0 } else { 24.0 });
        r.push(with_choice(
            resp_,
            "belemmeringen",
            &["korte_diensten", "werkdruk"],
        ));
    }
    for _ in 0..2 {
        r.push(resp(Some("Klein"), Some(Openness::Sure), 16.0, 32.0));
    }
    let mut inp = input(staff_all, r, 5);
    inp.previous_snapshot = Some(valuecase::Snapshot {
        peildatum: d("2025-09-01"),
        employees: previous,
    });
    inp.round.invited = Some(25);
    inp.pnil = (1..=12)
        .map(|m| hr::pnil::PnilEntry {
            month: hr::pnil::YearMonth::new(2025, m).unwrap(),
            team: None,
            kind: Some(hr::pnil::PnilKind::Uitzend),
            amount_cents: 1_500_000,
            hours: Some(Decimal::from(200)),
            source_row: m + 1,
        })
        .collect();
    inp.wage_cost_per_fte_year_cents = Some(5_800_000);
    inp.roster_scans = vec![RosterScanSummary {
        scanned_on: d("2026-03-15"),
        employees: 25,
        shifts: 400,
        short_shift_share: 0.4,
        split_shift_share: 0.05,
    }];
    inp.interview = Some(Interview {
        held_on: Some(d("2026-03-20")),
        participants: "bestuurder, HR-adviseur".into(),
        items: vec![
            InterviewItem {
                kind: ItemKind::Kans,
                theme: Theme::Rooster,
                text: "Langere diensten in de wijk".into(),
                quote: Some("Plak de avond aan de middag.".into()),
                who: "teamleider".into(),
                in_report: true,
            },
            InterviewItem {
                kind: ItemKind::Belemmering,
                theme: Theme::FormatieBudget,
                text: "Formatie per team vast".into(),
                quote: None,
                who: "HR-adviseur".into(),
                in_report: true,
            },
            InterviewItem {
                kind: ItemKind::Kans,
                theme: Theme::Overig,
                text: "Niet voor het rapport".into(),
                quote: None,
                who: "bestuurder".into(),
                in_report: false,
            },
        ],
        ..Interview::default()
    });
    compute(&inp, &rules())
}

#[test]
fn html_snapshot() {
    let doc = valuecase::document::document(&fixed_value_case());
    insta::assert_snapshot!(report::to_html(&doc));
}

#[test]
fn typst_snapshot() {
    let doc = valuecase::document::document(&fixed_value_case());
    let src = report::to_typst(&doc);
    insta::assert_snapshot!(src.main);
    assert!(
        src.files.len() >= 3,
        "charts as vector files: {}",
        src.files.len()
    );
    assert!(
        src.files
            .iter()
            .all(|(name, svg)| name.ends_with(".svg") && svg.starts_with(b"<svg"))
    );
}

#[test]
fn a_team_below_k_shows_no_number_in_any_output() {
    let vc = fixed_value_case();
    let klein = vc.teams.iter().find(|t| t.team == "Klein").unwrap();
    assert!(klein.suppressed);
    // JSON: the numbers are null.
    let json = serde_json::to_value(&vc).unwrap();
    let row = json["teams"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["team"] == "Klein")
        .unwrap();
    for field in [
        "employees",
        "respondents",
        "open_share",
        "potential_hours_per_week",
    ] {
        assert!(row[field].is_null(), "{field}: {}", row[field]);
    }
    // HTML: the team's rows show only dashes after the name.
    let doc = valuecase::document::document(&vc);
    let html = report::to_html(&doc);
    let rows: Vec<&str> = html
        .split("<tr>")
        .map(|l| l.split("</tr>").next().unwrap_or(""))
        .filter(|l| l.starts_with("<td class=\"align-left\">Klein</td>"))
        .collect();
    assert_eq!(
        rows.len(),
        2,
        "Klein in the potential and the contract tables"
    );
    for line in rows {
        let cells: Vec<&str> = line
            .split("<td")
            .skip(2)
            .map(|c| {
                c.split('>')
                    .nth(1)
                    .unwrap_or("")
                    .split('<')
                    .next()
                    .unwrap_or("")
            })
            .collect();
        assert!(!cells.is_empty(), "{line}");
        assert!(
            cells.iter().all(|c| *c == "–"),
            "Klein shows figures: {line}"
        );
    }
    assert!(html.contains(report::doc::SUPPRESSED_NOTE));
    // Typst: no table row of Klein carries a digit.
    let typst = report::to_typst(&doc).main;
    for line in typst.lines().filter(|l| l.contains("[Klein]")) {
        let after = line.split("[Klein]").nth(1).unwrap_or("");
        assert!(!after.chars().any(|c| c.is_ascii_digit()), "{line}");
    }
}
