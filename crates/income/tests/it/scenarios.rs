//! Hand-checked scenarios (formula and source cited per test), the curve with its
//! cliffs, and the example households.

use serde_json::{Value, json};

fn calc(v: Value) -> Value {
    let input = income::CalcInput::from_json(&v.to_string()).expect("valid input");
    serde_json::to_value(crate::book().calculate(&input).expect("calculates")).expect("json")
}

fn eur(v: &Value, f: &str) -> f64 {
    v[f].as_f64().unwrap_or_else(|| panic!("field {f}"))
}

/// Huurtoeslag 2026 (Dienst Toeslagen 'Berekening huurtoeslag 2026', steps 1-7, as in
/// shared/reference par. 8): single, rent 650, income below 23.425:
/// A = 498,20 - 202,52 = 295,68; B = 65 % x (650 - 498,20) = 98,67; D = 0 -> 394,35 -> EUR 394 a month.
/// At income 30.000: D = 27 % x 6.575 / 12 = 147,94 -> 246,41 -> EUR 246.
/// The yearly entitlement is 12 x the month to the cent (4.732,20 and 2.956,92); the
/// advance is the month rounded down to whole euros.
#[test]
fn huurtoeslag_2026_linear_formula() {
    let base = |wage: u32| json!({"year": 2026, "employee": {"annual_gross_wage": wage, "hours_per_week": 36, "holiday_allowance": false, "pension": "none"}, "rent_per_month": 650});
    let low = calc(base(20000));
    assert_eq!(eur(&low["current"], "huurtoeslag_advance_per_month"), 394.0);
    assert_eq!(eur(&low["current"], "huurtoeslag"), 4732.20);
    let mid = calc(base(30000));
    assert_eq!(eur(&mid["current"], "huurtoeslag_advance_per_month"), 246.0);
    assert_eq!(eur(&mid["current"], "huurtoeslag"), 2956.92);
    // Above the rent cap (932,93) the extra rent yields nothing.
    let mut high = base(20000);
    high["rent_per_month"] = json!(1500);
    let capped = 295.68 + 0.65 * (713.02 - 498.20) + 0.40 * (932.93 - 713.02);
    assert_eq!(
        eur(&calc(high)["current"], "huurtoeslag_advance_per_month"),
        (capped as i64) as f64
    );
}

/// Huurtoeslag 2025 (Belastingdienst proefberekening parameters, grade B): single,
/// kale huur 600 + service costs 60 (at most 48 count) = 648; income 20.000 is below
/// 22.700 so basishuur = 236,19 - 37,14 = 199,05; A = 477,20 - 199,05 = 278,15;
/// B = 65 % x (648 - 477,20) = 111,02 -> 389,17 -> EUR 389 a month.
#[test]
fn huurtoeslag_2025_quadratic_formula() {
    let v = json!({"year": 2025, "employee": {"annual_gross_wage": 20000, "hours_per_week": 36, "holiday_allowance": false, "pension": "none"},
        "rent_per_month": 600, "service_costs_per_month": 60});
    assert_eq!(
        eur(&calc(v.clone())["current"], "huurtoeslag_advance_per_month"),
        389.0
    );
    assert_eq!(eur(&calc(v.clone())["current"], "huurtoeslag"), 4670.04);
    // Above the 2025 maximum rent (900,07) there is no huurtoeslag at all.
    let mut high = v;
    high["rent_per_month"] = json!(880);
    assert_eq!(eur(&calc(high)["current"], "huurtoeslag"), 0.0);
}

/// Kinderopvangtoeslag 2026: 96 % of the capped cost up to a joint income of 56.412
/// (kinderopvang.nl, definitive Besluit 2026); price capped at 11,23 (dagopvang),
/// hours at 230 a month. 250 h x 12,00 -> 230 x 11,23 = 2.582,90 x 96 % = 2.479,58
/// -> EUR 2.479 a month (advance), 12 x 2.479,58 = 29.754,96 a year. Costs: 250 x 12,00
/// = 3.000 a month.
#[test]
fn kinderopvangtoeslag_caps_price_and_hours() {
    let out = calc(
        json!({"year": 2026, "employee": {"hourly_wage": 16, "hours_per_week": 32, "pension": "none"},
        "children": [{"age": 1}], "childcare": [{"child": 0, "type": "dagopvang", "hours_per_month": 250, "price_per_hour": 12}]}),
    );
    assert_eq!(
        eur(&out["current"], "kinderopvangtoeslag_advance_per_month"),
        2479.0
    );
    assert_eq!(eur(&out["current"], "kinderopvangtoeslag"), 29754.96);
    assert_eq!(eur(&out["current"], "childcare_costs"), 36000.0);
}

/// Box 1 with pension: PFZW 2026 employee premium = 50 % x 25,9 % x (pensionable pay
/// minus 17.283 x part-time factor). Hourly 20,00 at 36 h: base 37.440, holiday
/// 2.995,20, pensionable 40.435,20; premium = 0,1295 x (40.435,20 - 17.283) = 2.998,21.
#[test]
fn pfzw_premium_2026() {
    let out = calc(json!({"year": 2026, "employee": {"hourly_wage": 20, "hours_per_week": 36}}));
    let c = &out["current"];
    assert_eq!(eur(c, "base_salary"), 37440.0);
    assert_eq!(eur(c, "holiday_allowance"), 2995.2);
    assert_eq!(eur(c, "pension_premium"), 2998.21);
    assert_eq!(eur(c, "taxable_income"), 37436.0);
    // Half time: franchise scales with the part-time factor, so the premium halves.
    let half = calc(json!({"year": 2026, "employee": {"hourly_wage": 20, "hours_per_week": 18}}));
    assert!((eur(&half["current"], "pension_premium") - 2998.21 / 2.0).abs() < 0.02);
}

#[test]
fn partner_with_lower_income_gets_the_iack() {
    let out = calc(
        json!({"year": 2026, "employee": {"annual_gross_wage": 40000, "hours_per_week": 36, "holiday_allowance": false, "pension": "none"},
        "partner": {"annual_gross_wage": 20000, "pension": "none"}, "children": [{"age": 3}], "hours": [10]}),
    );
    assert_eq!(eur(&out["current"], "combination_tax_credit"), 0.0);
    // At 10 hours the employee earns less than the partner and gets the IACK.
    assert!(eur(&out["scenarios"][0], "combination_tax_credit") > 0.0);
}

#[test]
fn curve_has_41_points_and_marks_the_childcare_cliff() {
    let input = income::CalcInput::from_json(
        &json!({"year": 2026, "employee": {"hourly_wage": 16, "hours_per_week": 24},
            "children": [{"age": 2}], "childcare": [{"child": 0, "type": "dagopvang", "hours_per_month": 100, "price_per_hour": 10}]})
        .to_string(),
    )
    .unwrap();
    let curve = crate::book().curve(&input).expect("curve");
    assert_eq!(curve.points.len(), 41);
    assert!(curve.points.iter().all(|p| p.scenario.is_some()));
    // Going from 0 to 1 hour starts the kinderopvangtoeslag: not a cliff (income rises).
    // Disposable income grows overall from 0 to 40 hours.
    let first = curve.points[0].scenario.as_ref().unwrap();
    let last = curve.points[40].scenario.as_ref().unwrap();
    assert!(last.disposable_income > first.disposable_income);
    // Every reported cliff is a step with a burden at or above the threshold.
    for c in &curve.cliffs {
        assert!(c.marginal_burden >= income::CLIFF_THRESHOLD);
        assert!(!c.causes.is_empty());
    }
    let json = serde_json::to_value(&curve).unwrap();
    assert_eq!(
        json["points"][24]["scenario"]["hours_per_week"],
        json!(24.0)
    );
}

#[test]
fn a_partner_without_income_means_no_childcare_allowance_and_a_note() {
    let out = calc(
        json!({"year": 2026, "employee": {"hourly_wage": 16, "hours_per_week": 24},
        "partner": {"annual_gross_wage": 0}, "children": [{"age": 2}],
        "childcare": [{"child": 0, "type": "dagopvang", "hours_per_month": 100, "price_per_hour": 10}]}),
    );
    assert_eq!(eur(&out["current"], "kinderopvangtoeslag"), 0.0);
    assert!(
        out["notes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["code"] == "kot_both_work")
    );
}

/// A single parent who rents loses huurtoeslag, zorgtoeslag and kindgebonden budget
/// as well as paying tax on extra hours: the marginal burden is well above the
/// first-bracket tax rate (35,75 %) but below 100 %.
#[test]
fn working_more_also_costs_toeslagen() {
    let out = calc(
        json!({"year": 2026, "employee": {"hourly_wage": 18, "hours_per_week": 32, "pension": "pfzw"},
        "children": [{"age": 4}], "rent_per_month": 700, "hours": [36]}),
    );
    let (now, more) = (&out["current"], &out["scenarios"][0]);
    for f in ["zorgtoeslag", "huurtoeslag", "kindgebonden_budget"] {
        assert!(eur(more, f) < eur(now, f), "{f} falls");
    }
    let m = more["marginal_burden"].as_f64().unwrap();
    assert!(m > 0.5 && m < 1.0, "burden {m}");
}

#[test]
fn example_households_compute_and_have_full_curves() {
    let examples = income::examples();
    assert_eq!(examples.len(), 3);
    for ex in &examples {
        let out = crate::book()
            .calculate(&ex.input)
            .unwrap_or_else(|e| panic!("{}: {e}", ex.id));
        assert_eq!(out.scenarios.len(), ex.input.hours.len());
        let curve = crate::book()
            .curve(&ex.input)
            .unwrap_or_else(|e| panic!("{}: {e}", ex.id));
        assert!(
            curve.points.iter().all(|p| p.error.is_none()),
            "{}: every hour computes",
            ex.id
        );
        // The example input round-trips through JSON (the page pre-fills its form).
        let again =
            income::CalcInput::from_json(&serde_json::to_string(&ex.input).unwrap()).unwrap();
        assert_eq!(again, ex.input);
    }
}

/// ORT as irregular hours × percentage of the own hourly wage (issue 3): 4 hours a week
/// at 47 % with an hourly wage of 20,00 = 20 × 4 × 52 × 0,47 = 1.955,20 a year, and it
/// scales with the contract hours (half the hours: 977,60).
#[test]
fn irregular_hours_times_percentage() {
    let out = calc(
        json!({"year": 2026, "employee": {"hourly_wage": 20, "hours_per_week": 36, "pension": "none",
        "irregular_hours": [{"hours_per_week": 4, "percentage": 47}]}, "hours": [18]}),
    );
    assert_eq!(eur(&out["current"], "irregular_allowance"), 1955.2);
    assert_eq!(eur(&out["scenarios"][0], "irregular_allowance"), 977.6);
    let input = income::CalcInput::from_json(
        &json!({"year": 2026, "employee": {"hourly_wage": 20, "hours_per_week": 3, "irregular_hours": [{"hours_per_week": 4, "percentage": 47}]}}).to_string(),
    )
    .unwrap();
    let e = crate::book().calculate(&input).unwrap_err();
    assert_eq!(e.field, "employee.irregular_hours[0].hours_per_week");
}

/// The full output for each example household, reviewed once and kept as a snapshot
/// (`cargo insta review`): any change in a number shows up as a diff.
#[test]
fn example_outputs_snapshot() {
    for ex in income::examples() {
        let out = crate::book()
            .calculate(&ex.input)
            .expect("example computes");
        insta::assert_json_snapshot!(ex.id.clone(), out);
    }
}
