//! Attacks of issue 26 on the survey crate's outputs, reproduced as tests: cross-item
//! differencing (attack 4) and the raw export linked to the tables (attack 7). Both failed on
//! the code before the disclosure-control layer; see also the property test in
//! `anonymity.rs` (`no_suppressed_cell_is_derivable_across_tables`).

use std::collections::BTreeMap;

use serde_json::Value;
use survey::export::{RawExportOptions, TableCell, raw_export};
use survey::{AnalysisOptions, Answer, Policy, Strategy, Submission, analyse};

use crate::helpers::{employee, employees, sub};

/// Three teams; in "Klein" 3 of 8 want more hours and nobody wants fewer, in "Midden" 2 of
/// 10. The extra hours of "Klein" are hidden (3 < 5), but before the fix the same team
/// showed the totals of `contract_uren` and `gewenste_uren` over the same 8 people, whose
/// difference is the hidden figure (attack 4 of issue 26).
fn cross_item_round() -> Vec<Submission> {
    let mut subs = Vec::new();
    for i in 0..20 {
        subs.push(sub(
            "Groot",
            employee("ja_zeker", 20.0 + (i % 4) as f64, 24.0 + (i % 4) as f64),
        ));
    }
    for (c, d) in [(20.0, 28.0), (24.0, 28.0), (16.0, 26.0)] {
        subs.push(sub("Klein", employee("ja_zeker", c, d)));
    }
    for _ in 0..5 {
        subs.push(sub("Klein", employee("nee", 24.0, 24.0)));
    }
    for (c, d) in [(12.0, 20.0), (30.0, 32.0)] {
        subs.push(sub("Midden", employee("ja_zeker", c, d)));
    }
    for _ in 0..8 {
        subs.push(sub("Midden", employee("weet_ik_niet", 32.0, 32.0)));
    }
    subs
}

fn number_total(group: &Value, question: &str) -> Option<(u64, f64)> {
    let q = group["questions"]
        .as_array()?
        .iter()
        .find(|q| q["question"] == question)?;
    if q["suppressed"] == true {
        return None;
    }
    Some((q["n"].as_u64()?, q["total"].as_f64()?))
}

/// The attack as the issue describes it: in every shown group whose extra-hours sum is
/// hidden but whose `want_fewer` is 0, subtract the contract-hours total from the
/// desired-hours total. Returns the groups where that worked, with the derived figure.
fn cross_item_derivations(json: &Value) -> Vec<(String, f64)> {
    let mut groups: Vec<(String, &Value)> = vec![("organisatie".into(), json)];
    for t in json["teams"].as_array().unwrap() {
        groups.push((t["team"].as_str().unwrap().to_string(), t));
    }
    for b in json["breakdowns"].as_array().unwrap() {
        for g in b["groups"].as_array().unwrap() {
            groups.push((
                format!("{}/{}", b["dimension"], g["group"].as_str().unwrap()),
                g,
            ));
        }
    }
    let mut out = Vec::new();
    for (name, g) in groups {
        let x = &g["desired_extra_hours"];
        if x.is_null() || x["suppressed"] == true || x["hours"]["suppressed"] == false {
            continue;
        }
        if x["want_fewer"] != 0 {
            continue;
        }
        let n = x["respondents"].as_u64().unwrap();
        if let (Some((nc, c)), Some((nd, d))) = (
            number_total(g, "contract_uren"),
            number_total(g, "gewenste_uren"),
        ) && nc == n
            && nd == n
        {
            out.push((name, d - c));
        }
    }
    out
}

#[test]
fn cross_item_difference_does_not_give_hidden_extra_hours() {
    let subs = cross_item_round();
    for strategy in [Strategy::Suppress, Strategy::Fold] {
        let opts = AnalysisOptions {
            policy: Policy {
                min_group_size: 5,
                strategy,
            },
            ..AnalysisOptions::default()
        };
        let json = serde_json::to_value(analyse(employees(), &subs, &opts)).unwrap();
        // The hidden figure exists (so the test is about something) ...
        let klein = json["teams"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["team"] == "Klein")
            .unwrap();
        assert!(
            klein["suppressed"] == true
                || klein["desired_extra_hours"]["hours"]["suppressed"] == true,
            "{strategy:?}: the extra hours of Klein (3 people) are shown: {klein}"
        );
        // ... and cannot be derived as desired − contract.
        let derived = cross_item_derivations(&json);
        assert!(
            derived.is_empty(),
            "{strategy:?}: hidden extra hours derived as desired − contract: {derived:?}"
        );
        // Nor by any other linear combination of everything published (tables included).
        crate::anonymity::attack_all_tables(&subs, 5, strategy);
    }
}

/// Team B (8 people) is shown in the tables; one of them, aged 55+, is the only one in the
/// organisation who answered "zeker niet" to "blijven". The aggregate tables say which team
/// and age band that answer is in; before the fix the raw export kept the exact answer, so
/// the row was linked back to team B and age 55+ (attack 7 of issue 26).
#[test]
fn raw_export_has_no_rare_answer_values() {
    let mut subs = Vec::new();
    for i in 0..9 {
        let mut r = employee("ja_zeker", 20.0, 24.0);
        r.set("leeftijd", Answer::Choice("25_34".into()));
        r.set(
            "tevredenheid_rooster",
            Answer::Scale(if i < 6 { 3 } else { 4 }),
        );
        subs.push(sub("A", r));
    }
    for i in 0..8 {
        let mut r = employee("nee", 24.0, 24.0);
        r.set("leeftijd", Answer::Choice("25_34".into()));
        if i == 0 {
            r.set("blijven", Answer::Choice("zeker_niet".into()));
            r.set("leeftijd", Answer::Choice("55_plus".into()));
            r.set("gewenste_uren", Answer::Number(40.0));
        }
        subs.push(sub("B", r));
    }
    let k = 5;
    let (table, dropped) = raw_export(
        employees(),
        &subs,
        &RawExportOptions {
            min_group_size: k,
            ..RawExportOptions::default()
        },
    );
    assert_eq!(dropped, 0);
    assert_eq!(table.rows.len(), subs.len());
    // The aggregate tables do show where "zeker_niet" is (team B is shown) ...
    let json =
        serde_json::to_value(analyse(employees(), &subs, &AnalysisOptions::default())).unwrap();
    let b = json["teams"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["team"] == "B")
        .unwrap();
    assert_eq!(b["suppressed"], false);
    // ... so no value of any answer column may occur fewer than k times in the export.
    for (c, header) in table.headers.iter().enumerate() {
        let mut counts: BTreeMap<String, u64> = BTreeMap::new();
        for row in &table.rows {
            let values: Vec<String> = match &row[c] {
                TableCell::Text(t) => t.split('|').map(str::to_string).collect(),
                TableCell::Number(x) => vec![x.to_string()],
                TableCell::Int(x) => vec![x.to_string()],
                _ => Vec::new(),
            };
            for v in values {
                *counts.entry(v).or_default() += 1;
            }
        }
        for (value, n) in &counts {
            assert!(
                *n >= k || value == "overig",
                "column {header}: value {value} occurs {n} < {k} times: {counts:?}"
            );
        }
    }
    // The rare answer is still counted, as "overig".
    let col = table.headers.iter().position(|h| h == "blijven").unwrap();
    assert!(
        table
            .rows
            .iter()
            .any(|r| r[col] == TableCell::Text("overig".into()))
    );
}

/// The fix hides only what is derivable: where someone in the group wants fewer hours,
/// desired − contract says nothing exact about the hidden extra hours, and the hours totals
/// stay shown.
#[test]
fn hours_totals_stay_where_someone_wants_fewer() {
    let mut subs = cross_item_round();
    // One of the five in Klein who wanted the same now wants fewer; the same in Midden.
    for team in ["Klein", "Midden"] {
        let s = subs
            .iter_mut()
            .find(|s| {
                s.team.as_deref() == Some(team)
                    && s.response.number("contract_uren") == s.response.number("gewenste_uren")
            })
            .unwrap();
        s.response.set("gewenste_uren", Answer::Number(16.0));
    }
    // Everyone in one age band, so the breakdowns add no other way in.
    let opts = AnalysisOptions {
        breakdowns: Vec::new(),
        ..AnalysisOptions::default()
    };
    let json = serde_json::to_value(analyse(employees(), &subs, &opts)).unwrap();
    let klein = json["teams"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["team"] == "Klein")
        .unwrap();
    assert_eq!(klein["desired_extra_hours"]["want_fewer"], 1);
    assert_eq!(klein["desired_extra_hours"]["hours"]["suppressed"], true);
    assert!(number_total(klein, "contract_uren").is_some(), "{klein}");
    assert!(number_total(klein, "gewenste_uren").is_some(), "{klein}");
    crate::anonymity::attack_all_tables(&subs, 5, Strategy::Suppress);
}
