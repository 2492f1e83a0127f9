//! Kinderopvangtoeslag: the official 2026 worked examples, the completeness of the
//! 2026 table, the explicit unknown part of the 2025 table, and the loader's refusal
//! of a table with a gap, an overlap or no open top row.

use serde_json::{Value, json};

const Y2026: &str = include_str!("../../rules/2026.toml");

fn calc(v: Value) -> Result<Value, income::InputError> {
    let input = income::CalcInput::from_json(&v.to_string()).expect("valid input");
    crate::book()
        .calculate(&input)
        .map(|o| serde_json::to_value(o).expect("json"))
}

/// A single parent whose toetsingsinkomen is exactly `income` (no holiday allowance,
/// no pension, so taxable income = the wage), with the given children and childcare.
fn household(year: i32, income: u32, children: Value, childcare: Value) -> Value {
    json!({"year": year,
        "employee": {"annual_gross_wage": income, "hours_per_week": 36, "holiday_allowance": false, "pension": "none"},
        "children": children, "childcare": childcare})
}

/// The advance per month times 12 (the brochure gives the monthly amount paid; the
/// yearly entitlement in `kinderopvangtoeslag` is 12 x the month to the cent).
fn kot_per_year(out: &Value) -> f64 {
    let advance = out["current"]["kinderopvangtoeslag_advance_per_month"]
        .as_f64()
        .expect("amount");
    let year = out["current"]["kinderopvangtoeslag"]
        .as_f64()
        .expect("amount");
    assert!(
        year >= advance * 12.0 && year < (advance + 1.0) * 12.0,
        "{year} vs {advance}"
    );
    advance * 12.0
}

// Dienst Toeslagen, 'Berekening kinderopvangtoeslag 2026' (TG 080 - 1Z61FD, januari
// 2026), rekenvoorbeelden 1-4, as quoted in the public transcriptions cited in
// rules/2026.toml (src kot_table2026). The brochure gives the monthly amount; the
// engine reports 12 x that amount per year.

/// Voorbeeld 1: one child at dagopvang, 122 hours at EUR 10,50, joint income 60.000:
/// costs 1.281,00 x 93,9 % = 1.202,86 -> EUR 1.202 a month.
#[test]
fn brochure_2026_example_1_one_child_dagopvang() {
    let out = calc(household(
        2026,
        60000,
        json!([{"age": 2}]),
        json!([{"child": 0, "type": "dagopvang", "hours_per_month": 122, "price_per_hour": 10.50}]),
    ))
    .expect("computes");
    assert_eq!(kot_per_year(&out), 1202.0 * 12.0);
}

/// Voorbeeld 2: joint income 120.000; the youngest at dagopvang 87 hours at EUR 12,45
/// (capped at 11,23: 977,01 x 60,6 % = 592,07) is the first child (most hours); the
/// oldest at bso 65 hours at EUR 10,10 (capped at 9,98: 648,70 x 87,9 % = 570,21).
/// Total 1.162,28 -> EUR 1.162 a month.
#[test]
fn brochure_2026_example_2_two_children_above_the_maximum_prices() {
    let out = calc(household(
        2026,
        120000,
        json!([{"age": 7}, {"age": 2}]),
        json!([
            {"child": 0, "type": "bso", "hours_per_month": 65, "price_per_hour": 10.10},
            {"child": 1, "type": "dagopvang", "hours_per_month": 87, "price_per_hour": 12.45}
        ]),
    ))
    .expect("computes");
    assert_eq!(kot_per_year(&out), 1162.0 * 12.0);
}

/// Voorbeeld 3: gastouderopvang 240 hours at EUR 8,25, joint income 40.000: at most
/// 230 hours count, 1.897,50 x 96 % = 1.821,60 -> EUR 1.821 a month.
#[test]
fn brochure_2026_example_3_gastouder_above_230_hours() {
    let out = calc(household(
        2026,
        40000,
        json!([{"age": 3}]),
        json!([{"child": 0, "type": "gastouder", "hours_per_month": 240, "price_per_hour": 8.25}]),
    ))
    .expect("computes");
    assert_eq!(kot_per_year(&out), 1821.0 * 12.0);
}

/// Voorbeeld 4: gastouderopvang 108 hours at EUR 9,52 (capped at 8,49), joint income
/// 50.000: 916,92 x 96 % = 880,24 -> EUR 880 a month.
#[test]
fn brochure_2026_example_4_gastouder_above_the_maximum_price() {
    let out = calc(household(
        2026,
        50000,
        json!([{"age": 3}]),
        json!([{"child": 0, "type": "gastouder", "hours_per_month": 108, "price_per_hour": 9.52}]),
    ))
    .expect("computes");
    assert_eq!(kot_per_year(&out), 880.0 * 12.0);
}

/// The 2026 table has the 69 official rows, follows on from 0 without gap, ends open,
/// and knows every row: each row's first and last euro compute with that row's
/// percentage (100 hours of dagopvang at 10,00 = 1.000,00 a month).
#[test]
fn table_2026_is_complete_and_every_row_bound_computes() {
    let kot = &crate::book().rules(2026).unwrap().kot;
    assert_eq!(kot.bands.len(), 69);
    assert_eq!(kot.bands[0].from, 0);
    assert!(kot.bands.last().unwrap().to.is_none());
    for w in kot.bands.windows(2) {
        assert_eq!(Some(w[1].from - 100), w[0].to, "rows follow on by one euro");
    }
    for b in &kot.bands {
        let pct = b.pct.expect("every 2026 row is known");
        let expected = pct.first.round(100_000) / 100 * 100 * 12;
        let bounds = [Some(b.from), b.to].into_iter().flatten();
        for cents in bounds {
            let income = u32::try_from(cents / 100).unwrap();
            let out = calc(household(
                2026,
                income,
                json!([{"age": 2}]),
                json!([{"child": 0, "type": "dagopvang", "hours_per_month": 100, "price_per_hour": 10}]),
            ))
            .unwrap_or_else(|e| panic!("income {income}: {e}"));
            assert_eq!(
                (kot_per_year(&out) * 100.0).round() as i64,
                expected,
                "income {income}"
            );
        }
    }
}

/// Spot rows of the 2026 table against the nine rows collected independently in
/// shared/reference/nl-income-rules.md par. 10 (kinderopvang.nl, goodmorningfinance.nl
/// and the brochure): incomes inside those rows get those percentages.
#[test]
fn table_2026_agrees_with_the_reference_rows() {
    let kot = &crate::book().rules(2026).unwrap().kot;
    // Percentages in tenths of a percent (round(1000) = percentage x 10).
    let pct = |euros: i64| {
        let p = kot.band(euros * 100).pct.unwrap();
        (p.first.round(1000), p.next.round(1000))
    };
    let cases = [
        (56_412, 960, 960),
        (56_413, 955, 956),
        (60_000, 939, 956),
        (65_695, 924, 956),
        (77_095, 859, 939),
        (100_000, 721, 905),
        (120_000, 606, 879),
        (165_657, 385, 817),
        (165_658, 365, 814),
        (235_698, 365, 682),
        (10_000_000, 365, 682),
    ];
    for (income, first, next) in cases {
        assert_eq!(pct(income), (first, next), "income {income}");
    }
}

/// 2025: 96 % up to 47.403; the rest of the 2025 table is marked unknown in the data,
/// so those incomes are refused with the field and a Dutch message, never guessed.
#[test]
fn table_2025_refuses_its_unknown_rows() {
    let care =
        json!([{"child": 0, "type": "dagopvang", "hours_per_month": 100, "price_per_hour": 10}]);
    let ok = calc(household(2025, 47403, json!([{"age": 2}]), care.clone())).expect("known row");
    assert_eq!(kot_per_year(&ok), 960.0 * 12.0);
    let e = calc(household(2025, 47404, json!([{"age": 2}]), care)).expect_err("unknown row");
    assert_eq!(
        e.code,
        income::ErrorCode::KinderopvangtoeslagTableIncomplete
    );
    assert_eq!(e.field, "childcare");
    assert!(e.message.contains("€ 47.404,00"), "{}", e.message);
}

fn refused(text: &str) -> String {
    income::RuleBook::from_files(&[(2026, text)])
        .expect_err("must be refused")
        .to_string()
}

#[test]
fn a_gap_in_the_table_is_a_load_error() {
    let broken = Y2026.replacen(r#"{ from = "24150","#, r#"{ from = "24151","#, 1);
    assert!(refused(&broken).contains("without gap or overlap"));
}

#[test]
fn an_overlap_in_the_table_is_a_load_error() {
    let broken = Y2026.replacen(r#"{ from = "24150","#, r#"{ from = "24149","#, 1);
    assert!(refused(&broken).contains("without gap or overlap"));
}

#[test]
fn a_table_without_an_open_top_row_is_a_load_error() {
    let broken = Y2026.replacen(
        r#"{ from = "235698", first"#,
        r#"{ from = "235698", to = "999999", first"#,
        1,
    );
    assert!(refused(&broken).contains("open-ended"));
}

#[test]
fn rising_percentages_and_cents_in_bounds_are_load_errors() {
    let rising = Y2026.replacen(
        r#"first = "95.5", next = "95.6""#,
        r#"first = "96.5", next = "96.6""#,
        1,
    );
    assert!(refused(&rising).contains("must not rise"));
    let cents = Y2026.replacen(r#"to = "24149""#, r#"to = "24149.50""#, 1);
    assert!(refused(&cents).contains("whole euros"));
    let half_unknown = Y2026.replacen(
        r#"{ from = "24150", to = "25756", first = "96","#,
        r#"{ from = "24150", to = "25756", unknown = true, first = "96","#,
        1,
    );
    assert!(refused(&half_unknown).contains("unknown"));
}
