use std::collections::BTreeMap;

use survey::{AnalysisOptions, Answer, Policy, Strategy, analyse};

use crate::helpers::{employee, employees, sub};

fn round() -> Vec<survey::Submission> {
    let mut subs = Vec::new();
    let plan: [(&str, usize); 4] = [("Zonnebloem", 12), ("Linde", 7), ("Eik", 3), ("Berk", 6)];
    for (team, n) in plan {
        for i in 0..n {
            let openness = ["ja_zeker", "ja_onder_voorwaarden", "nee", "weet_ik_niet"][i % 4];
            let mut r = employee(openness, 16.0 + (i % 3) as f64 * 4.0, 24.0);
            r.set("leeftijd", Answer::Choice(["25_34", "45_54"][i % 2].into()));
            if i == 0 {
                r.set("leeftijd", Answer::Choice("tot_25".into()));
            }
            subs.push(sub(team, r));
        }
    }
    subs
}

fn options(strategy: Strategy) -> AnalysisOptions {
    let invited: BTreeMap<String, u64> = [
        ("Zonnebloem", 20),
        ("Linde", 9),
        ("Eik", 10),
        ("Berk", 8),
        ("Wilg", 4),
    ]
    .into_iter()
    .map(|(t, n)| (t.to_string(), n))
    .collect();
    AnalysisOptions {
        policy: Policy {
            min_group_size: 5,
            strategy,
        },
        invited,
        ..AnalysisOptions::default()
    }
}

#[test]
fn cli_shape_with_complementary_suppression() {
    let res = analyse(employees(), &round(), &options(Strategy::Suppress));
    let json = serde_json::to_value(&res).unwrap();
    assert_eq!(json["respondents"], 28);
    assert!(json["open_share"].is_number());
    assert_eq!(json["open_share_ci95"].as_array().unwrap().len(), 2);
    let teams = json["teams"].as_array().unwrap();
    let team = |name: &str| teams.iter().find(|t| t["team"] == name).unwrap().clone();
    // Eik (3) is too small; Berk (6) is the next-smallest sibling and is hidden too, since
    // Eik = 28 - 12 - 7 - 6 otherwise. Wilg (no responses) shows nothing.
    assert_eq!(
        team("Eik"),
        serde_json::json!({"team": "Eik", "suppressed": true})
    );
    assert_eq!(
        team("Berk"),
        serde_json::json!({"team": "Berk", "suppressed": true})
    );
    assert_eq!(
        team("Wilg"),
        serde_json::json!({"team": "Wilg", "suppressed": true})
    );
    let linde = team("Linde");
    assert_eq!(linde["suppressed"], false);
    assert_eq!(linde["respondents"], 7);
    assert_eq!(linde["response_rate"], 0.7778);
    insta::assert_json_snapshot!("results_suppress", json);
}

#[test]
fn fold_strategy_shows_overig() {
    let res = analyse(employees(), &round(), &options(Strategy::Fold));
    let json = serde_json::to_value(&res).unwrap();
    let teams = json["teams"].as_array().unwrap();
    let overig = teams.iter().find(|t| t["team"] == "overig").unwrap();
    assert_eq!(overig["respondents"], 9);
    assert_eq!(
        overig["members"],
        serde_json::json!(["Berk", "Eik", "Wilg"])
    );
    assert_eq!(overig["invited"], 22);
    let eik = teams.iter().find(|t| t["team"] == "Eik").unwrap();
    assert_eq!(
        eik,
        &serde_json::json!({"team": "Eik", "suppressed": true, "folded_into": "overig"})
    );
    insta::assert_json_snapshot!("results_fold", json);
}

#[test]
fn too_small_organisation_shows_nothing() {
    let subs: Vec<_> = round().into_iter().take(4).collect();
    let res = analyse(employees(), &subs, &options(Strategy::Suppress));
    let json = serde_json::to_value(&res).unwrap();
    assert_eq!(json["suppressed"], true);
    assert!(json.get("respondents").is_none());
    assert!(json.get("open_share").is_none());
    assert!(
        json["teams"]
            .as_array()
            .unwrap()
            .iter()
            .all(|t| t["suppressed"] == true && t.get("respondents").is_none())
    );
    assert!(json["breakdowns"].as_array().unwrap().iter().all(|b| {
        b["groups"]
            .as_array()
            .unwrap()
            .iter()
            .all(|g| g["suppressed"] == true)
    }));
}

#[test]
fn free_text_only_from_k_and_only_for_the_organisation() {
    let mut subs = round();
    for (i, s) in subs
        .iter_mut()
        .enumerate()
        .filter(|(_, s)| s.response.choice("bereidheid") == Some("nee"))
    {
        s.response
            .set("belemmeringen", Answer::Choices(vec!["anders".into()]))
            .set(
                "belemmeringen_anders",
                Answer::Text(format!("eigen-antwoord-{i}")),
            );
    }
    let n_text = subs
        .iter()
        .filter(|s| s.response.get("belemmeringen_anders").is_some())
        .count();
    assert_eq!(n_text, 7);
    let res = analyse(employees(), &subs, &options(Strategy::Suppress));
    let org = res.figures.as_ref().unwrap();
    let ft = org
        .free_text
        .iter()
        .find(|f| f.question == "belemmeringen_anders")
        .unwrap();
    assert!(!ft.suppressed);
    let answers = ft.answers.as_ref().unwrap();
    let mut sorted = answers.clone();
    sorted.sort();
    assert_eq!(answers, &sorted);
    // Never in teams or breakdowns.
    let json = serde_json::to_string(&res.teams).unwrap()
        + &serde_json::to_string(&res.breakdowns).unwrap();
    assert!(!json.contains("eigen-antwoord"));
    // With k = 8 the 7 texts are hidden.
    let mut opts = options(Strategy::Suppress);
    opts.policy.min_group_size = 8;
    let res = analyse(employees(), &subs, &opts);
    let ft = res
        .figures
        .unwrap()
        .free_text
        .into_iter()
        .find(|f| f.question == "belemmeringen_anders")
        .unwrap();
    assert!(ft.suppressed && ft.answers.is_none());
}

#[test]
fn hours_of_few_who_want_more_are_hidden() {
    // 9 respondents, only 2 want more: the extra-hours sum would be about 2 people.
    let mut subs = Vec::new();
    for i in 0..9 {
        let desired = if i < 2 { 32.0 } else { 24.0 };
        subs.push(sub("A", employee("nee", 24.0, desired)));
    }
    let res = analyse(employees(), &subs, &options(Strategy::Suppress));
    let json = serde_json::to_value(&res).unwrap();
    let x = &json["desired_extra_hours"];
    assert_eq!(x["respondents"], 9);
    assert_eq!(x["want_more"]["count"], 2);
    assert_eq!(x["hours"], serde_json::json!({"suppressed": true}));
}

#[test]
fn managers_questionnaire_has_no_open_share() {
    let q = crate::helpers::managers();
    let mut subs = Vec::new();
    for i in 0..6 {
        let r = survey::Response::new()
            .with("aandeel_meer_werken", Answer::Choice("10_25".into()))
            .with(
                "belemmeringen_lg",
                Answer::Choices(vec![["roosters", "cultuur"][i % 2].into()]),
            )
            .with("regels_ruimte", Answer::Choice("soms".into()))
            .with("ondersteuning", Answer::Choices(vec!["roosters".into()]));
        subs.push(survey::Submission {
            team: Some("Leiding".into()),
            response: q.validate(&r).unwrap().response,
        });
    }
    let res = analyse(q, &subs, &AnalysisOptions::default());
    let json = serde_json::to_value(&res).unwrap();
    assert_eq!(json["questionnaire"], "leidinggevenden-v1");
    assert_eq!(json["respondents"], 6);
    assert!(json.get("open_share").is_none());
    assert!(json.get("desired_extra_hours").is_none());
    // Obstacles are the managers' obstacles question; 3 + 3 answers.
    let top = json["top_obstacles"].as_array().unwrap();
    assert_eq!(top.len(), 2);
    assert_eq!(top[0]["count"], 3);
    // Age, function level and contract-hours breakdowns do not apply.
    assert_eq!(json["breakdowns"], serde_json::json!([]));
}
