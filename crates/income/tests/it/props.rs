//! Invariants over random households (proptest): tax never negative, credits within
//! their bounds, toeslagen fall (never rise) as income rises, and the breakdown adds
//! up to the net result.

use proptest::prelude::*;
use serde_json::{Value, json};

fn household() -> impl Strategy<Value = Value> {
    (
        prop_oneof![Just(2025), Just(2026)],
        1500u32..4500,                                   // hourly wage in cents
        0u32..=40,                                       // current hours
        prop::option::of((0u32..8_000_000, any::<bool>())), // partner gross cents, pfzw
        prop::collection::vec(0u32..18, 0..4),           // child ages
        prop_oneof![Just(0u32), 30_000u32..130_000],     // rent cents
        any::<bool>(),                                   // pfzw
        any::<bool>(),                                   // holiday allowance
        prop_oneof![Just(0u32), 0u32..25_000_000],       // assets cents
        0u32..300_000,                                   // ORT cents per year
        prop::option::of((0usize..8, 1u32..9)),          // CAO VVT scale and step
    )
        .prop_map(|(year, wage, hours, partner, ages, rent, pfzw, holiday, assets, ort, scale)| {
            let ort = if hours == 0 { 0 } else { ort };
            let mut employee = json!({
                "hourly_wage": f64::from(wage) / 100.0,
                "hours_per_week": hours,
                "holiday_allowance": holiday,
                "irregular_allowance_per_year": f64::from(ort) / 100.0,
                "pension": if pfzw { "pfzw" } else { "none" }
            });
            if let Some((s, step)) = scale {
                let fwg = [15, 20, 25, 30, 35, 40, 45, 50][s];
                employee.as_object_mut().unwrap().remove("hourly_wage");
                employee["cao"] = json!("vvt");
                employee["fwg"] = json!(fwg);
                employee["step"] = json!(step);
            }
            json!({
                "year": year,
                "employee": employee,
                "partner": partner.map(|(g, p)| json!({ "annual_gross_wage": f64::from(g) / 100.0, "pension": if p { "pfzw" } else { "none" } })),
                "children": ages.iter().map(|a| json!({ "age": a })).collect::<Vec<_>>(),
                "rent_per_month": f64::from(rent) / 100.0,
                "assets": f64::from(assets) / 100.0,
                "hours": (0..=40).collect::<Vec<_>>()
            })
        })
}

fn cents(v: &Value, f: &str) -> i64 {
    let x = v[f].as_f64().unwrap_or_else(|| panic!("field {f}"));
    (x * 100.0).round() as i64
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn invariants_hold(h in household()) {
        let input = income::CalcInput::from_json(&h.to_string()).expect("valid input");
        let out = crate::book().calculate(&input).expect("calculates");
        let out = serde_json::to_value(&out).expect("json");
        let year = out["year"].as_i64().unwrap();
        let (ahk_max, ak_max, iack_max) = if year == 2026 { (311_500, 568_507, 303_200) } else { (306_800, 559_900, 298_600) };
        let scenarios = out["scenarios"].as_array().unwrap();
        let mut prev: Option<&Value> = None;
        for s in scenarios {
            // Tax never negative, and never above the tax before credits.
            prop_assert!(cents(s, "income_tax") >= 0);
            prop_assert!(cents(s, "income_tax") <= cents(s, "income_tax_before_credits"));
            prop_assert!(cents(s, "partner_income_tax") >= 0);
            // Credits within their bounds.
            for (f, max) in [("general_tax_credit", ahk_max), ("labour_tax_credit", ak_max), ("combination_tax_credit", iack_max)] {
                prop_assert!((0..=max).contains(&cents(s, f)), "{f} = {}", cents(s, f));
            }
            // Breakdown adds up.
            prop_assert_eq!(cents(s, "gross_wage"),
                cents(s, "base_salary") + cents(s, "holiday_allowance") + cents(s, "year_end_bonus") + cents(s, "irregular_allowance")
                + cents(s, "extra_workday_allowance"));
            prop_assert_eq!(cents(s, "net_wage"), cents(s, "gross_wage") - cents(s, "pension_premium") - cents(s, "income_tax"));
            prop_assert_eq!(cents(s, "disposable_income"),
                cents(s, "net_wage") + cents(s, "partner_net_wage") + cents(s, "zorgtoeslag") + cents(s, "huurtoeslag")
                + cents(s, "kindgebonden_budget") + cents(s, "kinderopvangtoeslag"));
            prop_assert!(cents(s, "taxable_income") % 100 == 0, "taxable income is whole euros");
            for f in ["zorgtoeslag", "huurtoeslag", "kindgebonden_budget", "kinderopvangtoeslag"] {
                // The yearly entitlement (to the cent) and the advance: whole euros, at most
                // a twelfth of the yearly amount (rounded down), at least that minus € 1
                // (zorgtoeslag: of the yearly amount rounded to euros).
                let year = cents(s, f);
                let month = cents(s, &format!("{f}_advance_per_month"));
                prop_assert!(year >= 0 && month >= 0);
                prop_assert!(month % 100 == 0, "{f} advance is whole euros");
                let base = if f == "zorgtoeslag" { (year + 50) / 100 * 100 } else { year };
                prop_assert!(month * 12 <= base && base < (month + 100) * 12, "{f}: {year} vs {month}");
            }
            // Toeslagen never rise when the employee works (and earns) more.
            if let Some(p) = prev {
                prop_assert!(cents(s, "household_income") >= cents(p, "household_income"));
                for f in ["zorgtoeslag", "huurtoeslag", "kindgebonden_budget"] {
                    prop_assert!(cents(s, f) <= cents(p, f), "{f} rose from {} to {}", cents(p, f), cents(s, f));
                }
                prop_assert!(cents(s, "gross_wage") >= cents(p, "gross_wage"));
            }
            prev = Some(s);
        }
    }

    #[test]
    fn marginal_burden_matches_its_definition(h in household()) {
        let input = income::CalcInput::from_json(&h.to_string()).expect("valid input");
        let out = serde_json::to_value(crate::book().calculate(&input).expect("calculates")).expect("json");
        for s in out["scenarios"].as_array().unwrap() {
            let dg = cents(s, "gross_wage") - cents(&out["current"], "gross_wage");
            let dd = cents(s, "disposable_income") - cents(&out["current"], "disposable_income");
            match s["marginal_burden"].as_f64() {
                None => prop_assert_eq!(dg, 0),
                Some(m) => {
                    let expected = 1.0 - dd as f64 / dg as f64;
                    prop_assert!((m - expected).abs() < 0.0001, "burden {m} vs {expected}");
                }
            }
        }
    }

    #[test]
    fn kinderopvangtoeslag_never_rises_with_hours_once_working(hours in 1u32..=40, price in 500u32..1400, h in 20u32..230) {
        let input = json!({
            "year": 2026,
            "employee": { "hourly_wage": 16.0, "hours_per_week": hours, "pension": "none" },
            "children": [{ "age": 1 }, { "age": 6 }],
            "childcare": [
                { "child": 0, "type": "dagopvang", "hours_per_month": h, "price_per_hour": f64::from(price) / 100.0 },
                { "child": 1, "type": "bso", "hours_per_month": h / 2, "price_per_hour": f64::from(price) / 100.0 }
            ],
            "hours": (hours..=40).collect::<Vec<_>>()
        });
        let input = income::CalcInput::from_json(&input.to_string()).expect("valid");
        let out = serde_json::to_value(crate::book().calculate(&input).expect("in the 96 % band")).expect("json");
        let mut prev = i64::MAX;
        for s in out["scenarios"].as_array().unwrap() {
            let k = cents(s, "kinderopvangtoeslag");
            prop_assert!(k > 0 && k <= prev);
            prev = k;
        }
    }
}
