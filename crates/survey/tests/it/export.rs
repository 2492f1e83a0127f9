use survey::export::{
    CsvOptions, RawExportOptions, TableCell, answers_table, headline_table, raw_export,
};
use survey::{AnalysisOptions, Answer, analyse};

use crate::helpers::{employee, employees, sub};

fn subs() -> Vec<survey::Submission> {
    let mut v = Vec::new();
    for i in 0..9 {
        let mut r = employee(
            ["ja_zeker", "ja_onder_voorwaarden", "nee"][i % 3],
            20.0,
            24.0,
        );
        r.set(
            "leeftijd",
            Answer::Choice(if i < 8 { "25_34" } else { "55_plus" }.into()),
        );
        v.push(sub("A", r));
    }
    for _ in 0..3 {
        v.push(sub("B", employee("nee", 32.0, 32.0)));
    }
    v
}

#[test]
fn headline_csv_marks_suppressed_cells() {
    let res = analyse(employees(), &subs(), &AnalysisOptions::default());
    let table = headline_table(&res);
    let csv = table.to_csv(&CsvOptions::default()).unwrap();
    assert!(csv.starts_with('\u{feff}'));
    insta::assert_snapshot!("headline_csv", csv.trim_start_matches('\u{feff}'));
    // Team B (3) is hidden and so is A (the only sibling): every figure of B is "—".
    let b = table
        .rows
        .iter()
        .find(|r| r[1] == TableCell::Text("B".into()))
        .unwrap();
    assert!(b[2..12].iter().all(|c| *c == TableCell::Suppressed));
}

#[test]
fn answers_csv_long_format() {
    let res = analyse(employees(), &subs(), &AnalysisOptions::default());
    let table = answers_table(employees(), &res);
    let opts = CsvOptions {
        bom: false,
        suppressed_marker: String::new(),
        ..CsvOptions::default()
    };
    let csv = table.to_csv(&opts).unwrap();
    let org_line = csv
        .lines()
        .find(|l| l.starts_with("organisatie;totaal;bereidheid;") && l.contains(";ja_zeker;"))
        .unwrap();
    assert_eq!(
        org_line,
        "organisatie;totaal;bereidheid;Wilt u een groter contract?;ja_zeker;Ja, zeker;3;25,0;8,9;53,2;12;;;"
    );
    // Suppressed with an empty marker.
    assert!(csv.lines().any(|l| {
        l.starts_with("team;B;bereidheid;Wilt u een groter contract?;ja_zeker;Ja, zeker;;;;;;;;")
    }));
}

#[test]
fn raw_export_coarsens_small_background_groups() {
    let (table, dropped) = raw_export(employees(), &subs(), &RawExportOptions::default());
    assert_eq!(dropped, 0);
    assert_eq!(table.rows.len(), 12);
    let col = |name: &str| table.headers.iter().position(|h| h == name).unwrap();
    // Team B (3) and the one 55+ respondent are folded into "overig".
    let teams: std::collections::BTreeSet<String> = table
        .rows
        .iter()
        .map(|r| match &r[col("team")] {
            TableCell::Text(t) => t.clone(),
            _ => String::new(),
        })
        .collect();
    assert!(!teams.contains("B"));
    assert!(
        !table
            .rows
            .iter()
            .any(|r| r[col("leeftijd")] == TableCell::Text("55_plus".into()))
    );
    // Exact contract hours never appear, only the band; no free text by default.
    assert!(table.headers.contains(&"contract_uren_band".to_string()));
    assert!(!table.headers.contains(&"contract_uren".to_string()));
    assert!(!table.headers.iter().any(|h| h.ends_with("_anders")));
    // Every combination of background fields occurs at least k = 5 times.
    let bg: Vec<usize> = [
        "team",
        "contract_uren_band",
        "leeftijd",
        "dienstjaren",
        "functieniveau",
        "huishouden",
    ]
    .iter()
    .map(|h| col(h))
    .collect();
    let mut counts = std::collections::BTreeMap::new();
    for r in &table.rows {
        *counts
            .entry(
                bg.iter()
                    .map(|&i| format!("{:?}", r[i]))
                    .collect::<Vec<_>>(),
            )
            .or_insert(0) += 1;
    }
    assert!(counts.values().all(|&c| c >= 5), "{counts:?}");
}
