use rust_decimal::Decimal;
use valuecase::interview::{Interview, InterviewItem, ItemKind, Theme};
use valuecase::{Openness, Replaceable, Respondent, RespondentRole, RosterScanSummary, compute};

use crate::*;

const SURE: Option<Openness> = Some(Openness::Sure);
const COND: Option<Openness> = Some(Openness::Conditional);
const NO: Option<Openness> = Some(Openness::Closed);

#[test]
fn reference_case_45_is_14_sure_plus_31_conditional() {
    // Zorggroep Sint Maarten (DOMAIN.md): 45% open, 14% in any case, 31% under conditions.
    // 100 respondents in one team of 150; each open respondent wants a modest extra so the
    // potential is hand-computable: 14 × 3 h + 31 × 1,5 h = 88,5 h over 100 → 0,885 h per
    // respondent × 150 employees = 132,75 h.
    let mut r = Vec::new();
    for _ in 0..14 {
        r.push(resp(Some("Sint Jozef"), SURE, 24.0, 27.0));
    }
    for _ in 0..31 {
        r.push(resp(Some("Sint Jozef"), COND, 24.0, 25.5));
    }
    for _ in 0..55 {
        r.push(resp(Some("Sint Jozef"), NO, 24.0, 24.0));
    }
    let vc = compute(
        &input(staff(Some("Sint Jozef"), 150, 24, "a"), r, 5),
        &rules(),
    );
    assert_eq!(vc.survey.open_share, Some(0.45));
    assert_eq!(vc.survey.sure_share, Some(0.14));
    assert_eq!(vc.survey.conditional_share, Some(0.31));
    let [lo, hi] = vc.survey.open_share_ci95.unwrap();
    assert!(
        lo < 0.45 && 0.45 < hi && lo > 0.35 && hi < 0.55,
        "{lo} {hi}"
    );
    assert_eq!(vc.potential.hours_per_week, Some(132.8));
    assert_eq!(vc.potential.sure_hours_per_week, Some(63.0)); // 42 / 100 × 150
    assert_eq!(vc.potential.fte, Some(3.69)); // 132,75 / 36
    let scale = vc
        .recommendations
        .iter()
        .find(|r| r.code == "opschaalplan")
        .unwrap();
    assert!(
        scale
            .reason
            .contains("het potentieel is 132,8 uur per week (3,69 fte)"),
        "{}",
        scale.reason
    );
}

#[test]
fn reference_case_105_hours_is_2_92_fte() {
    // "27 contracts expanded, 105 hours in total = 2.9 FTE" at 36 h full time: a team of
    // 27 people, all respondents, each wanting 105/27 h more.
    let extra = 105.0 / 27.0;
    let r: Vec<_> = (0..27)
        .map(|_| resp(Some("Oldenzaal"), SURE, 20.0, 20.0 + extra))
        .collect();
    let vc = compute(
        &input(staff(Some("Oldenzaal"), 27, 20, "o"), r, 5),
        &rules(),
    );
    assert_eq!(vc.potential.hours_per_week, Some(105.0));
    assert_eq!(vc.potential.fte, Some(2.92));
}

/// Teams: A (10 employees, 6 respondents), B (8, 3), C (6, 2), D (5, none), and 2
/// respondents whose team is not in the snapshot; k = 5.
fn mixed() -> Input<'static> {
    let mut emp = staff(Some("A"), 10, 24, "x");
    emp.extend(staff(Some("B"), 8, 24, "x"));
    emp.extend(staff(Some("C"), 6, 24, "x"));
    emp.extend(staff(Some("D"), 5, 24, "x"));
    let r = vec![
        // A: extras 4, 4, 0 (closed), 2, 0 (desired below contract), 2 → 12 / 6 = 2.
        resp(Some("A"), SURE, 20.0, 24.0),
        resp(Some("A"), COND, 20.0, 24.0),
        resp(Some("A"), NO, 20.0, 32.0),
        resp(Some("A"), COND, 24.0, 26.0),
        resp(Some("A"), SURE, 24.0, 20.0),
        resp(Some("a "), SURE, 30.0, 32.0), // team names match case-insensitively
        // B: 6, 0, 0; C: 3, 3 → pool B+C = 5 respondents, sum 12 → rate 2.4.
        resp(Some("B"), SURE, 18.0, 24.0),
        resp(Some("B"), NO, 18.0, 18.0),
        resp(Some("B"), None, 18.0, 30.0), // no openness answer: not in n_t
        resp(Some("B"), COND, 18.0, 18.0),
        resp(Some("C"), COND, 21.0, 24.0),
        resp(Some("C"), COND, 21.0, 24.0),
        // Outside the snapshot: 10 and 0.
        resp(Some("Flexpool"), SURE, 10.0, 20.0),
        resp(None, NO, 10.0, 10.0),
    ];
    input(emp, r, 5)
}

#[test]
fn formula_pools_small_teams_and_keeps_unknown_teams_org_wide() {
    use valuecase::potential::{Cell, Sums, estimate};
    let vc = compute(&mixed(), &rules());
    // A: 2 × 10 = 20; B: 2.4 × 8 = 19.2; C: 2.4 × 6 = 14.4; D (no respondents, in the
    // pool): 2.4 × 5 = 12 → 65.6.
    assert_eq!(vc.potential.hours_per_week, Some(65.6));
    assert_eq!(vc.potential.fte, Some(1.82));
    let [lo, hi] = vc.potential.hours_per_week_ci95.unwrap();
    assert!(lo <= 65.6 && 65.6 <= hi, "{lo} {hi}");
    assert!(lo < hi);
    // Sure only: A: 4 + 0 + 0 + 2 = 6 / 6 = 1 → 10; pool B+C: 6 / 5 = 1.2 → (8+6+5) × 1.2
    // = 22.8 → 32.8. That rests on 3 people who want more for sure (A's 2 and B's 1,
    // below k = 5), so the report hides it; the formula on the same cells:
    assert_eq!(vc.potential.sure_hours_per_week, None);
    let cells = [
        (10, vec![4.0, 0.0, 0.0, 0.0, 0.0, 2.0]),
        (8, vec![6.0, 0.0, 0.0]),
        (6, vec![0.0, 0.0]),
        (5, vec![]),
        (0, vec![10.0, 0.0]),
    ]
    .map(|(employees, extras)| Cell { employees, extras });
    let sure = estimate(&[10, 8, 6, 5, 0], &Sums::of(&cells), 5);
    assert_eq!((sure.hours_per_week * 10.0).round() / 10.0, 32.8);
}

#[test]
fn pool_below_k_takes_the_organisation_rate() {
    let mut i = mixed();
    // Drop C's respondents: the pool (B with 3 who answered openness) is below 5, so B, C
    // and D take the organisation rate: sums A 12 + B 6 + outside 10 = 28 over 6 + 3 + 2
    // = 11 respondents.
    i.respondents.retain(|r| r.team.as_deref() != Some("C"));
    let vc = compute(&i, &rules());
    let org_rate: f64 = 28.0 / 11.0;
    let expected = 20.0 + org_rate * (8.0 + 6.0 + 5.0);
    assert_eq!(
        vc.potential.hours_per_week,
        Some((expected * 10.0).round() / 10.0)
    );
}

#[test]
fn teams_below_k_carry_no_numbers_and_one_more_is_hidden() {
    let vc = compute(&mixed(), &rules());
    let names: Vec<&str> = vc.teams.iter().map(|t| t.team.as_str()).collect();
    assert_eq!(names, vec!["A", "B", "C", "D"]);
    // B (4 respondents) and C (2) are below k = 5: hidden with no numbers. D has none.
    // A is the only team at k or more: showing it next to the total would give B+C+D+outside
    // = 14 − 6 = 8 respondents over several hidden cells, which is allowed, so A shows.
    let a = &vc.teams[0];
    assert!(!a.suppressed);
    assert_eq!(a.employees, Some(10));
    assert_eq!(a.respondents, Some(6));
    assert_eq!(a.open_share, Some(0.8333));
    // A's potential is about the 4 in it who want more (fewer than k = 5): hidden.
    assert_eq!((a.potential_hours_per_week, a.rate_source), (None, None));
    for t in &vc.teams[1..] {
        assert!(t.suppressed, "{t:?}");
        assert_eq!(
            (
                t.employees,
                t.respondents,
                t.open_share,
                t.potential_hours_per_week,
                t.rate_source
            ),
            (None, None, None, None, None)
        );
    }
    let json = serde_json::to_value(&vc).unwrap();
    assert_eq!(json["teams"][1]["employees"], serde_json::Value::Null);
    assert_eq!(
        json["teams"][1]["potential_hours_per_week"],
        serde_json::Value::Null
    );
}

#[test]
fn a_single_small_team_next_to_the_total_gets_a_complement() {
    // A: 6 respondents, B: 6, C: 2 (k = 5). Hiding only C would let C = total − A − B;
    // the smallest shown team joins it.
    let mut emp = staff(Some("A"), 10, 24, "y");
    emp.extend(staff(Some("B"), 9, 24, "y"));
    emp.extend(staff(Some("C"), 6, 24, "y"));
    let mut r = Vec::new();
    for t in ["A", "B"] {
        for _ in 0..6 {
            r.push(resp(Some(t), COND, 20.0, 24.0));
        }
    }
    r.push(resp(Some("C"), COND, 20.0, 24.0));
    r.push(resp(Some("C"), NO, 20.0, 24.0));
    let vc = compute(&input(emp, r, 5), &rules());
    let hidden: Vec<bool> = vc.teams.iter().map(|t| t.suppressed).collect();
    assert_eq!(hidden.iter().filter(|h| **h).count(), 2, "{:?}", vc.teams);
    assert!(hidden[2], "C is hidden");
}

#[test]
fn an_organisation_below_k_shows_no_survey_figures() {
    let r = vec![resp(Some("A"), SURE, 20.0, 30.0); 3];
    let vc = compute(&input(staff(Some("A"), 20, 24, "z"), r, 5), &rules());
    assert!(vc.survey.suppressed && vc.potential.suppressed);
    assert_eq!(vc.survey.open_share, None);
    assert_eq!(vc.potential.hours_per_week, None);
    assert_eq!(vc.potential.hours_per_week_ci95, None);
    assert!(
        vc.teams
            .iter()
            .all(|t| t.suppressed && t.employees.is_none())
    );
    assert!(vc.conditions.is_empty() && vc.obstacles.is_empty());
}

#[test]
fn conditions_and_obstacles_are_ranked_shares_and_suppressed_below_k() {
    let mut r = Vec::new();
    for i in 0..10 {
        let opts: &[&str] = if i < 6 {
            &["langere_diensten", "kinderopvang"]
        } else {
            &["kinderopvang"]
        };
        r.push(with_choice(
            resp(Some("A"), COND, 20.0, 24.0),
            "voorwaarden",
            opts,
        ));
    }
    for _ in 0..3 {
        r.push(with_choice(
            resp(Some("A"), NO, 20.0, 20.0),
            "belemmeringen",
            &["gezondheid"],
        ));
    }
    let vc = compute(&input(staff(Some("A"), 30, 24, "c"), r, 5), &rules());
    let c: Vec<(&str, f64)> = vc
        .conditions
        .iter()
        .map(|o| (o.option.as_str(), o.share))
        .collect();
    assert_eq!(c, vec![("kinderopvang", 1.0), ("langere_diensten", 0.6)]);
    assert_eq!(vc.conditions[0].label, "Kinderopvang");
    assert!(vc.obstacles_detail.suppressed, "3 answers < k");
    assert!(vc.obstacles.is_empty());
    assert_eq!(
        vc.summary.opportunities,
        vec!["Kinderopvang (100%)", "Langere diensten (60%)"]
    );
    // Roster conditions in the top 3 → Roostersessies.
    let rec: Vec<&str> = vc
        .recommendations
        .iter()
        .map(|r| r.intervention.as_str())
        .collect();
    assert!(rec.contains(&"Roostersessies"), "{rec:?}");
    let rooster = vc
        .recommendations
        .iter()
        .find(|r| r.code == "roostersessies")
        .unwrap();
    assert!(
        rooster
            .reason
            .contains("'Langere diensten' staat op plaats 2"),
        "{}",
        rooster.reason
    );
}

#[test]
fn weet_netto_and_managers_rules_fire_on_their_findings() {
    let mut r = Vec::new();
    for i in 0..10 {
        let answer = if i < 5 { "nee" } else { "ja" };
        r.push(with_choice(
            resp(Some("A"), NO, 20.0, 20.0),
            "weet_netto",
            &[answer],
        ));
    }
    for i in 0..6 {
        let mut m = with_choice(
            resp(None, None, 0.0, 0.0),
            "belemmeringen_lg",
            if i < 3 { &["regels"] } else { &["roosters"] },
        );
        m.role = RespondentRole::Manager;
        m.contract_hours = None;
        m.desired_hours = None;
        r.push(m);
    }
    let mut i = input(staff(Some("A"), 30, 24, "w"), r, 5);
    i.manager_questionnaire = Some(managers_q());
    let vc = compute(&i, &rules());
    let codes: Vec<&str> = vc.recommendations.iter().map(|r| r.code.as_str()).collect();
    for want in [
        "werkurenberekenaar",
        "informatiepakketten",
        "spelregels_speelruimte",
        "hr_workshop",
        "roostersessies",
    ] {
        assert!(codes.contains(&want), "{want} missing in {codes:?}");
    }
    let w = vc
        .recommendations
        .iter()
        .find(|r| r.code == "werkurenberekenaar")
        .unwrap();
    assert!(
        w.reason.contains(
            "50% van wie de vraag 'Weet u wat meer uren werken u netto oplevert?' \
             beantwoordde, koos 'Nee' of 'Ongeveer'"
        ) && !w.reason.contains("weet_netto"),
        "{}",
        w.reason
    );
    let m = vc.managers.as_ref().unwrap();
    assert_eq!(m.respondents, 6);
    assert_eq!(m.obstacles.options[0].share, 0.5);
    // Managers do not count as employee respondents.
    assert_eq!(vc.survey.respondents, 10);
    // No roster scan, no interview: nothing else fires than what the findings support.
    assert!(!codes.contains(&"goed_gesprek"), "{codes:?}");
}

#[test]
fn roster_scan_and_interview_trigger_rules_and_reach_the_summary() {
    let r = vec![resp(Some("A"), NO, 20.0, 20.0); 6];
    let mut i = input(staff(Some("A"), 30, 24, "r"), r, 5);
    i.roster_scans = vec![RosterScanSummary {
        scanned_on: d("2026-02-01"),
        employees: 30,
        shifts: 400,
        short_shift_share: 0.42,
        split_shift_share: 0.0,
    }];
    i.interview = Some(Interview {
        items: vec![
            InterviewItem {
                kind: ItemKind::Belemmering,
                theme: Theme::Cultuur,
                text: "Kleine contracten zijn hier normaal".into(),
                quote: Some("Zo doen we dat al jaren".into()),
                who: "teamleider".into(),
                in_report: true,
            },
            InterviewItem {
                kind: ItemKind::Kans,
                theme: Theme::Rooster,
                text: "Zorggolf in plaats van zorgpiek".into(),
                quote: None,
                who: "bestuurder".into(),
                in_report: false,
            },
        ],
        ..Interview::default()
    });
    let vc = compute(&i, &rules());
    let rooster = vc
        .recommendations
        .iter()
        .find(|r| r.code == "roostersessies")
        .unwrap();
    assert!(
        rooster
            .reason
            .contains("42% van de diensten korte diensten"),
        "{}",
        rooster.reason
    );
    assert!(
        vc.recommendations
            .iter()
            .any(|r| r.code == "workshop_veranderverhaal")
    );
    assert_eq!(vc.interview.len(), 1, "only items marked for the report");
    assert_eq!(
        vc.summary.obstacles,
        vec!["Kleine contracten zijn hier normaal (interview, Cultuur en leiderschap)"]
    );
}

fn pnil_entry(month: (i32, u32), cents: i64, hours: Option<i64>) -> hr::pnil::PnilEntry {
    hr::pnil::PnilEntry {
        month: hr::pnil::YearMonth::new(month.0, month.1).unwrap(),
        team: None,
        kind: None,
        amount_cents: cents,
        hours: hours.map(Decimal::from),
        source_row: 1,
    }
}

#[test]
fn pnil_last_12_months_and_what_the_potential_could_replace() {
    let r: Vec<_> = (0..10).map(|_| resp(Some("A"), SURE, 20.0, 22.0)).collect();
    let mut i = input(staff(Some("A"), 10, 24, "p"), r, 5);
    // Window: 2025-04 .. 2026-03 (the round closes 31-03-2026). 2025-03 is outside.
    i.pnil = vec![
        pnil_entry((2025, 3), 999_999, Some(1)),
        pnil_entry((2025, 4), 600_000, Some(100)),
        pnil_entry((2026, 3), 600_000, Some(100)),
    ];
    let vc = compute(&i, &rules());
    assert_eq!(vc.pnil.last_12_months_cost, Some(1_200_000));
    assert_eq!(vc.pnil.months_with_data, 2);
    assert_eq!(vc.pnil.from_month, "2025-04");
    assert!(
        matches!(vc.pnil.replaceable, Replaceable::Unknown { .. }),
        "no wage cost"
    );
    // Potential 20 h/week → 1.040 h/year, capped at the 200 PNIL hours; PNIL costs € 60 per
    // hour → € 12.000; own cost € 46.800 / (36 × 52) per hour → € 5.000.
    i.wage_cost_per_fte_year_cents = Some(4_680_000);
    let vc = compute(&i, &rules());
    assert_eq!(
        vc.pnil.replaceable,
        Replaceable::Known {
            hours_per_year: 200.0,
            pnil_cost: 1_200_000,
            own_cost: 500_000,
            saving: 700_000,
        }
    );
    let pnil = vc
        .recommendations
        .iter()
        .find(|r| r.rules.contains(&"pnil".to_string()))
        .unwrap();
    assert!(
        pnil.reason
            .contains("kan 200 PNIL-uren per jaar vervangen en scheelt dan € 7.000,00"),
        "{}",
        pnil.reason
    );
    // An entry without hours makes the hours unknown, said plainly.
    i.pnil.push(pnil_entry((2026, 1), 100, None));
    let vc = compute(&i, &rules());
    match &vc.pnil.replaceable {
        Replaceable::Unknown { reason } => assert!(reason.contains("PNIL-uren")),
        other => panic!("{other:?}"),
    }
    let json = serde_json::to_value(&vc).unwrap();
    assert_eq!(json["pnil"]["replaceable"]["status"], "unknown");
}

#[test]
fn change_between_snapshots_is_aggregate_only() {
    let r = vec![resp(Some("A"), NO, 20.0, 20.0); 6];
    let mut i = input(staff(Some("A"), 10, 24, "s"), r, 5);
    let mut before = staff(Some("A"), 10, 20, "s");
    before.truncate(9);
    i.previous_snapshot = Some(Snapshot {
        peildatum: d("2025-03-01"),
        employees: before,
    });
    let vc = compute(&i, &rules());
    let c = vc.contract_change.as_ref().unwrap();
    assert_eq!((c.contracts_grown, c.joined, c.left), (9, 1, 0));
    assert_eq!(c.hours_added, 36.0);
    assert_eq!(c.net_hours, 60.0);
    let json = serde_json::to_string(&vc).unwrap();
    assert!(!json.contains("s-A-0"), "no pseudonyms in the Value Case");
}

#[test]
fn same_input_gives_the_same_json() {
    let a = serde_json::to_string(&compute(&mixed(), &rules())).unwrap();
    let b = serde_json::to_string(&compute(&mixed(), &rules())).unwrap();
    assert_eq!(a, b);
}

#[test]
fn json_has_the_interface_fields() {
    let v = serde_json::to_value(compute(&mixed(), &rules())).unwrap();
    for path in [
        "/organisation",
        "/round",
        "/snapshot",
        "/workforce/employees",
        "/workforce/average_contract_hours",
        "/workforce/fte",
        "/workforce/deeltijdfactor",
        "/survey/respondents",
        "/survey/response_rate",
        "/survey/open_share",
        "/survey/open_share_ci95",
        "/survey/sure_share",
        "/survey/conditional_share",
        "/potential/hours_per_week",
        "/potential/hours_per_week_ci95",
        "/potential/fte",
        "/potential/sure_hours_per_week",
        "/pnil/last_12_months_cost",
        "/teams/0/team",
        "/teams/0/employees",
        "/teams/0/respondents",
        "/teams/0/suppressed",
        "/teams/0/open_share",
        "/teams/0/potential_hours_per_week",
        "/conditions",
        "/obstacles",
        "/recommendations",
        "/method/estimator",
        "/method/rules_version",
    ] {
        assert!(v.pointer(path).is_some(), "missing {path}");
    }
    assert_eq!(v["workforce"]["employees"], 29);
    assert_eq!(v["workforce"]["deeltijdfactor"], 0.667);
}

#[test]
fn value_case_snapshot() {
    let vc = compute(&mixed(), &rules());
    insta::assert_json_snapshot!(serde_json::json!({
        "survey": vc.survey,
        "potential": vc.potential,
        "teams": vc.teams,
        "recommendations": vc.recommendations,
        "summary": vc.summary,
        "method": vc.method,
    }));
}

#[test]
fn open_share_agrees_with_the_survey_results() {
    use survey::{AnalysisOptions, Answer, Response, Submission};
    let q = employees_q();
    let answers = [
        ("ja_zeker", 20.0, 26.0),
        ("ja_onder_voorwaarden", 24.0, 28.0),
        ("nee", 24.0, 24.0),
        ("weet_ik_niet", 16.0, 16.0),
        ("ja_onder_voorwaarden", 12.0, 20.0),
        ("al_voltijd", 36.0, 36.0),
        ("nee", 28.0, 28.0),
    ];
    let subs: Vec<Submission> = answers
        .iter()
        .cycle()
        .take(21)
        .enumerate()
        .map(|(i, (o, c, w))| Submission {
            team: Some(if i % 2 == 0 { "Zon" } else { "Maan" }.to_string()),
            response: Response::new()
                .with("contract_uren", Answer::Number(*c))
                .with("gewenste_uren", Answer::Number(*w))
                .with("bereidheid", Answer::Choice(o.to_string())),
        })
        .collect();
    let results = survey::analyse(q, &subs, &AnalysisOptions::default());
    let fig = &results.figures.as_ref().unwrap().group;
    let respondents: Vec<_> = subs
        .iter()
        .map(|s| valuecase::Respondent::from_submission(q, RespondentRole::Employee, s))
        .collect();
    let mut emp = staff(Some("Zon"), 15, 24, "q");
    emp.extend(staff(Some("Maan"), 15, 24, "q"));
    let vc = compute(&input(emp, respondents, 5), &rules());
    assert_eq!(vc.survey.open_share, fig.open_share);
    assert_eq!(vc.survey.open_share_ci95, fig.open_share_ci95);
    assert_eq!(vc.survey.answered_openness, fig.open_n);
}

/// `respondents` of team `name`, the first `wanting` of them open and wanting 4 hours more.
fn team_with_wishes(name: &str, respondents: usize, wanting: usize) -> Vec<Respondent> {
    (0..respondents)
        .map(|i| {
            if i < wanting {
                resp(Some(name), COND, 20.0, 24.0)
            } else {
                resp(Some(name), NO, 20.0, 20.0)
            }
        })
        .collect()
}

#[test]
fn a_team_potential_about_fewer_than_k_people_is_hidden_with_a_complement() {
    // Three teams with 6 respondents each (k = 5). In A and B 6 want more; in C only
    // one: C's potential would be that one person's wish times C's size over its
    // respondents. C's potential is hidden, and so is B's or A's (the smallest), so the
    // total minus the shown teams covers at least k people who want more.
    let mut emp = staff(Some("A"), 10, 20, "w");
    emp.extend(staff(Some("B"), 9, 20, "w"));
    emp.extend(staff(Some("C"), 8, 20, "w"));
    let mut r = team_with_wishes("A", 6, 6);
    r.extend(team_with_wishes("B", 6, 6));
    r.extend(team_with_wishes("C", 6, 1));
    let vc = compute(&input(emp, r, 5), &rules());
    assert!(vc.potential.hours_per_week.is_some());
    // Every team shows its respondents (6 each): the rows are not about the wishes.
    assert!(
        vc.teams.iter().all(|t| t.respondents == Some(6)),
        "{:?}",
        vc.teams
    );
    let shown: Vec<Option<f64>> = vc
        .teams
        .iter()
        .map(|t| t.potential_hours_per_week)
        .collect();
    assert_eq!(shown[2], None, "C: one person wants more");
    assert_eq!(shown.iter().filter(|p| p.is_none()).count(), 2, "{shown:?}");
    // The complement is the team with the fewest people who want more, the first of
    // equals: A.
    assert_eq!(shown[0], None);
    assert_eq!(shown[1], Some(36.0), "B: 9 × 24 / 6");
}

#[test]
fn teams_with_enough_people_who_want_more_show_their_potential() {
    let mut emp = staff(Some("A"), 10, 20, "v");
    emp.extend(staff(Some("B"), 12, 20, "v"));
    let mut r = team_with_wishes("A", 8, 5);
    r.extend(team_with_wishes("B", 7, 6));
    let vc = compute(&input(emp, r, 5), &rules());
    let got: Vec<Option<f64>> = vc
        .teams
        .iter()
        .map(|t| t.potential_hours_per_week)
        .collect();
    // A: 5 × 4 / 8 × 10 = 25; B: 6 × 4 / 7 × 12 = 41.1.
    assert_eq!(got, vec![Some(25.0), Some(41.1)]);
}

#[test]
fn what_the_survey_results_page_hides_the_value_case_hides() {
    use valuecase::{SurveyGate, TeamGate};
    let mut emp = staff(Some("A"), 10, 20, "g");
    emp.extend(staff(Some("B"), 12, 20, "g"));
    emp.extend(staff(Some("C"), 12, 20, "g"));
    emp.extend(staff(Some("D"), 6, 20, "g"));
    let mut r = team_with_wishes("A", 8, 6);
    r.extend(team_with_wishes("B", 8, 6));
    r.extend(team_with_wishes("C", 8, 6));
    r.extend(team_with_wishes("D", 2, 0));
    let mut i = input(emp, r, 5);
    let open = TeamGate {
        shown: true,
        open_share: true,
        extra_hours: true,
    };
    // The page hides team A (e.g. for its audit across breakdowns) and D (2
    // respondents), and B's open share and B's hours of those who want more.
    i.survey_gate = Some(SurveyGate {
        teams: [
            ("a".to_string(), TeamGate::default()),
            (
                "b".to_string(),
                TeamGate {
                    open_share: false,
                    extra_hours: false,
                    ..open
                },
            ),
            ("c".to_string(), open),
            ("d".to_string(), TeamGate::default()),
        ]
        .into_iter()
        .collect(),
    });
    let vc = compute(&i, &rules());
    let [a, b, c, d] = &vc.teams[..] else {
        panic!("{:?}", vc.teams)
    };
    assert!(a.suppressed && a.respondents.is_none() && d.suppressed);
    assert_eq!((b.respondents, b.open_share), (Some(8), None));
    // B's potential is hidden by the page; with A hidden too the hidden part covers 12
    // people who want more, so C shows.
    assert_eq!(b.potential_hours_per_week, None);
    assert!(!c.suppressed && c.open_share.is_some() && c.potential_hours_per_week.is_some());
    // A team the page does not list at all is hidden.
    i.survey_gate = Some(SurveyGate::default());
    let vc = compute(&i, &rules());
    assert!(vc.teams.iter().all(|t| t.suppressed), "{:?}", vc.teams);
}

#[test]
fn the_gate_from_real_results_hides_a_team_the_page_hides() {
    use survey::{AnalysisOptions, Answer, Response, Submission};
    use valuecase::SurveyGate;
    let q = employees_q();
    // Zon 8, Maan 7, Ster 2 respondents (k = 5): the page hides Ster and, as its
    // complement, the smallest other team (Maan).
    let subs: Vec<Submission> = [("Zon", 8), ("Maan", 7), ("Ster", 2)]
        .iter()
        .flat_map(|(t, n)| std::iter::repeat_n(*t, *n))
        .map(|t| Submission {
            team: Some(t.to_string()),
            response: Response::new()
                .with("contract_uren", Answer::Number(20.0))
                .with("gewenste_uren", Answer::Number(24.0))
                .with("bereidheid", Answer::Choice("ja_zeker".into())),
        })
        .collect();
    let results = survey::analyse(q, &subs, &AnalysisOptions::default());
    let gate = SurveyGate::from_results(&results);
    assert!(gate.teams["zon"].shown && !gate.teams["maan"].shown && !gate.teams["ster"].shown);
    let respondents: Vec<_> = subs
        .iter()
        .map(|s| valuecase::Respondent::from_submission(q, RespondentRole::Employee, s))
        .collect();
    let mut emp = staff(Some("Zon"), 12, 20, "r");
    emp.extend(staff(Some("Maan"), 12, 20, "r"));
    emp.extend(staff(Some("Ster"), 12, 20, "r"));
    let mut i = input(emp, respondents, 5);
    i.survey_gate = Some(gate);
    let vc = compute(&i, &rules());
    let hidden: Vec<(&str, bool)> = vc
        .teams
        .iter()
        .map(|t| (t.team.as_str(), t.suppressed))
        .collect();
    assert_eq!(hidden, vec![("Maan", true), ("Ster", true), ("Zon", false)]);
}
