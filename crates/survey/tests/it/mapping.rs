use survey::mapping::{Severity, Target, convert, propose_mapping, with_targets};

use crate::helpers::employees;

fn s(v: &[&str]) -> Vec<String> {
    v.iter().map(|x| x.to_string()).collect()
}

/// An earlier export asked "Wil je meer uren werken?": that is the openness question
/// (bereidheid, by its alias), not "Weet u wat meer uren werken u netto oplevert?" which
/// shares more words with it.
#[test]
fn an_alias_header_maps_to_its_question_not_to_a_wordier_lookalike() {
    let q = employees();
    let headers = s(&[
        "Team",
        "Wil je meer uren werken?",
        "Weet je wat het netto oplevert?",
    ]);
    let rows = vec![
        s(&["Linde", "Ja, zeker", "Nee"]),
        s(&["Linde", "Nee", "Ongeveer"]),
    ];
    let m = propose_mapping(q, &headers, &rows);
    assert_eq!(
        m.columns[1].target,
        Some(Target::Question("bereidheid".into()))
    );
    assert_eq!(
        m.columns[2].target,
        Some(Target::Question("weet_netto".into()))
    );
}

#[test]
fn proposes_columns_and_values_then_converts_with_dutch_diagnostics() {
    let q = employees();
    let headers = s(&[
        "Respondent ID",
        "Afdeling",
        "Contracturen",
        "Gewenste uren per week",
        "Wilt u een groter contract?",
        "Voorwaarden",
        "Leeftijd",
    ]);
    let rows = vec![
        s(&["1", "Zonnebloem", "24", "28", "Ja, zeker", "", "25 tot 35"]),
        s(&[
            "2",
            "Zonnebloem",
            "20,5",
            "24",
            "Ja, onder voorwaarden",
            "Langere diensten; Kinderopvang",
            "",
        ]),
        s(&["3", "Linde", "veel", "24", "Nee", "", ""]),
        s(&["4", "Linde", "16", "16", "Misschien", "", ""]),
        s(&["5", "Linde", "16", "16", "Nee", "Kinderopvang", ""]),
        s(&["", "", "", "", "", "", ""]),
    ];
    let mut m = propose_mapping(q, &headers, &rows);
    let target = |i: usize| m.columns[i].target.clone();
    assert_eq!(target(0), None);
    assert_eq!(target(1), Some(Target::Team));
    assert_eq!(target(2), Some(Target::Question("contract_uren".into())));
    assert_eq!(target(3), Some(Target::Question("gewenste_uren".into())));
    assert_eq!(target(4), Some(Target::Question("bereidheid".into())));
    assert_eq!(target(5), Some(Target::Question("voorwaarden".into())));
    assert_eq!(target(6), Some(Target::Question("leeftijd".into())));
    assert_eq!(m.columns[4].values["Ja, zeker"], "ja_zeker");
    assert_eq!(m.columns[4].unmapped_values, ["Misschien"]);
    assert_eq!(m.columns[6].values["25 tot 35"], "25_34");

    let out = convert(q, &m, &rows).unwrap();
    assert_eq!(out.rows_read, 5);
    assert_eq!(out.submissions.len(), 3);
    insta::assert_json_snapshot!("import_diagnostics", out.diagnostics);
    let row3 = out.diagnostics.iter().find(|d| d.row == 4).unwrap();
    assert_eq!(row3.field, "Contracturen");
    assert_eq!(row3.message, "'veel' is geen getal.");
    assert_eq!(row3.severity, Severity::Error);
    let row6 = out.diagnostics.iter().find(|d| d.row == 6).unwrap();
    assert_eq!(row6.severity, Severity::Warning);
    assert_eq!(out.submissions[0].team.as_deref(), Some("Zonnebloem"));
    assert_eq!(
        out.submissions[1].response.choices("voorwaarden"),
        ["langere_diensten", "kinderopvang"]
    );

    // The user maps 'Misschien' by hand: row 5 is imported now.
    m.columns[4]
        .values
        .insert("Misschien".into(), "weet_ik_niet".into());
    let out = convert(q, &m, &rows).unwrap();
    assert_eq!(out.submissions.len(), 4);

    // A broken mapping is refused as a whole, in Dutch.
    m.columns[0].target = Some(Target::Question("contract_uren".into()));
    let err = convert(q, &m, &rows).unwrap_err();
    assert!(
        err.problems[0].contains("aan hetzelfde gekoppeld"),
        "{:?}",
        err.problems
    );
}

/// A column chosen by hand on the import form replaces the proposal for that column only:
/// a chosen question gets its values matched to options, "not used" drops the column, and
/// the other columns keep what was proposed.
#[test]
fn targets_chosen_by_hand_override_only_their_columns() {
    let q = employees();
    let headers = s(&["Afdeling", "Vraag 7", "Wil je meer uren werken?"]);
    let rows = vec![
        s(&["Linde", "Ja", "Ja, zeker"]),
        s(&["Linde", "Nee", "Nee"]),
    ];
    let proposed = propose_mapping(q, &headers, &rows);
    assert_eq!(proposed.columns[0].target, Some(Target::Team));
    assert_eq!(proposed.columns[1].target, None, "'Vraag 7' says nothing");

    let mut chosen = std::collections::BTreeMap::new();
    chosen.insert(1, Some(Target::Question("weet_netto".into())));
    chosen.insert(2, None);
    let m = with_targets(q, &headers, &rows, &chosen);
    assert_eq!(m.columns[0].target, Some(Target::Team), "kept");
    assert_eq!(
        m.columns[1].target,
        Some(Target::Question("weet_netto".into()))
    );
    assert_eq!(
        m.columns[1].values.get("Ja").map(String::as_str),
        Some("ja")
    );
    assert_eq!(
        m.columns[1].values.get("Nee").map(String::as_str),
        Some("nee")
    );
    assert_eq!(m.columns[2].target, None, "dropped by hand");
}
