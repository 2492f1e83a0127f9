//! CAO pay rules against the cao text (shared/reference/cao-vvt-2025-2026.md), one test
//! per rule with the article cited, amounts worked out by hand in the comments.

use serde_json::{Value, json};

fn calc(v: Value) -> Value {
    let input = income::CalcInput::from_json(&v.to_string()).expect("valid input");
    serde_json::to_value(crate::book().calculate(&input).expect("calculates")).expect("json")
}

fn cents(v: &Value, f: &str) -> i64 {
    (v[f].as_f64().unwrap_or_else(|| panic!("field {f}")) * 100.0).round() as i64
}

fn vvt(year: i32, fwg: u32, step: Value, hours: f64, extra: Value) -> Value {
    let mut employee =
        json!({"cao": "vvt", "fwg": fwg, "step": step, "hours_per_week": hours, "pension": "none"});
    if let Value::Object(m) = extra {
        for (k, v) in m {
            employee[k] = v;
        }
    }
    json!({"year": year, "employee": employee})
}

/// Art. 4.2.1 and Bijlage 1 (Tabel 3 and 7): FWG 35 step 4 is € 2.881,14 a month from
/// 1-7-2025 (also from 1-1-2026) and € 2.981,98 from 1-7-2026, at 36 hours.
/// 2026 at 36 h: 6 × 2.881,14 + 6 × 2.981,98 = € 35.178,72.
/// At 24 h (lid 7, pro rata per month): 2.881,14 × 24/36 = 1.920,76 and
/// 2.981,98 × 24/36 = 1.987,99 → 6 × 1.920,76 + 6 × 1.987,99 = € 23.452,50.
#[test]
fn salary_sums_the_months_with_the_july_raise() {
    let full = calc(vvt(2026, 35, json!(4), 36.0, json!({})));
    assert_eq!(cents(&full["current"], "base_salary"), 3_517_872);
    let part = calc(vvt(2026, 35, json!(4), 24.0, json!({})));
    assert_eq!(cents(&part["current"], "base_salary"), 2_345_250);
    // 2025: Tabel 1 (2.770,33) for January-June, Tabel 3 (2.881,14) for July-December.
    let y2025 = calc(vvt(2025, 35, json!(4), 36.0, json!({})));
    assert_eq!(
        cents(&y2025["current"], "base_salary"),
        6 * 277_033 + 6 * 288_114
    );
    // The output names the table facts: runs of months, the hourly wage = monthly × 12 / 1878.
    let t = &full["salary_table"];
    assert_eq!(t["fwg"], 35);
    assert_eq!(t["step"], "4");
    assert_eq!(t["periods"][0]["from_month"], 1);
    assert_eq!(t["periods"][0]["to_month"], 6);
    assert_eq!(t["periods"][0]["monthly_full_time"], 2881.14);
    assert_eq!(t["periods"][0]["hourly_wage"], 18.41);
    assert_eq!(t["periods"][1]["hourly_wage"], 19.05);
    assert_eq!(
        part["salary_table"]["periods"][1]["monthly_at_current_hours"],
        1987.99
    );
}

/// Named steps (art. 4.2.1: zij-instroom, aanloop) and FWG 5/10 paid on scale 15.
#[test]
fn named_steps_and_low_function_groups() {
    // FWG 45 "aanloop 1": € 3.212,50 (1-7-2025) and € 3.324,94 (1-7-2026).
    let v = calc(vvt(2026, 45, json!("aanloop 1"), 36.0, json!({})));
    assert_eq!(
        cents(&v["current"], "base_salary"),
        6 * 321_250 + 6 * 332_494
    );
    // FWG 10 step 0 = scale 15 step 0: € 2.320,50 and € 2.401,72.
    let v = calc(vvt(2026, 10, json!(0), 36.0, json!({})));
    assert_eq!(
        cents(&v["current"], "base_salary"),
        6 * 232_050 + 6 * 240_172
    );
    assert_eq!(v["salary_table"]["scale"], 15);
}

/// Art. 4.2.12 (vakantiegeld 8 %) and art. 4.2.11 (eindejaarsuitkering 8,33 %), of the
/// salary only. FWG 35 step 4, 2026, 36 h: 8 % × 35.178,72 = 2.814,30 (above the
/// minimum 2.565,07); 8,33 % × 35.178,72 = 2.930,39 (above the minimum 2.803,41).
#[test]
fn holiday_allowance_and_year_end_bonus_percentages() {
    let v = calc(vvt(2026, 35, json!(4), 36.0, json!({})));
    assert_eq!(cents(&v["current"], "holiday_allowance"), 281_430);
    assert_eq!(cents(&v["current"], "year_end_bonus"), 293_039);
    // year_end_bonus may be switched off explicitly.
    let v = calc(vvt(
        2026,
        35,
        json!(4),
        36.0,
        json!({"year_end_bonus": false}),
    ));
    assert_eq!(cents(&v["current"], "year_end_bonus"), 0);
}

/// The minimums for 21 and over (art. 4.2.11, 4.2.12), pro rata to the hours, in force in
/// the payment month: FWG 15 step 0 in 2025 at 36 h earns 6 × 2.231,25 + 6 × 2.320,50 =
/// 27.310,50; 8 % = 2.184,84 < the minimum of May 2025, € 2.466,41; 8,33 % = 2.274,96 <
/// the minimum of November 2025, € 2.708,61. At 18 h: 1.233,21 and 1.354,31 (half, rounded).
/// Under 21 the minimums do not apply.
#[test]
fn minimums_from_21_pro_rata() {
    let v = calc(vvt(2025, 15, json!(0), 36.0, json!({})));
    assert_eq!(cents(&v["current"], "base_salary"), 2_731_050);
    assert_eq!(cents(&v["current"], "holiday_allowance"), 246_641);
    assert_eq!(cents(&v["current"], "year_end_bonus"), 270_861);
    let v = calc(vvt(2025, 15, json!(0), 18.0, json!({})));
    assert_eq!(cents(&v["current"], "holiday_allowance"), 123_321);
    assert_eq!(cents(&v["current"], "year_end_bonus"), 135_431);
    let v = calc(vvt(2025, 15, json!(0), 36.0, json!({"age": 20})));
    assert_eq!(cents(&v["current"], "holiday_allowance"), 218_484);
    assert_eq!(cents(&v["current"], "year_end_bonus"), 227_496);
    // 2026: the minimum paid in May 2026 is that of 1-7-2025 (€ 2.565,07), in November
    // that of 1-7-2026 (€ 2.803,41). FWG 15 step 0 2026: 6 × 2.320,50 + 6 × 2.401,72 =
    // 28.333,32; 8 % = 2.266,67 and 8,33 % = 2.360,17, both below.
    let v = calc(vvt(2026, 15, json!(0), 36.0, json!({})));
    assert_eq!(cents(&v["current"], "holiday_allowance"), 256_507);
    assert_eq!(cents(&v["current"], "year_end_bonus"), 280_341);
}

/// Art. 4.4: ORT per slot at the year's percentage of the hourly wage (monthly × 12 /
/// 1878, art. 1.1 lid 20), for h × 156,5 / 36 hours a month: per month monthly × pct ×
/// h / 36. FWG 35 step 4, 2026, 4 h a week on Sundays (60 %):
/// 2.881,14 × 4/36 = 320,13 × 60 % = 192,08 (× 6) and 2.981,98 × 4/36 = 331,33 × 60 % =
/// 198,80 (× 6) → € 2.345,28 a year. Nights: 44 % in 2025, 47 % in 2026.
#[test]
fn ort_per_slot_at_the_years_percentages() {
    let v = calc(vvt(
        2026,
        35,
        json!(4),
        36.0,
        json!({"irregular_hours": [{"hours_per_week": 4, "slot": "sunday_holiday"}]}),
    ));
    assert_eq!(cents(&v["current"], "irregular_allowance"), 234_528);
    // ORT counts for the gross but not for holiday allowance or year-end bonus.
    assert_eq!(cents(&v["current"], "holiday_allowance"), 281_430);
    let night = |year: i32| {
        let v = calc(vvt(
            year,
            35,
            json!(4),
            36.0,
            json!({"irregular_hours": [{"hours_per_week": 4, "slot": "weekday_night"}]}),
        ));
        cents(&v["current"], "irregular_allowance")
    };
    // 2025: 2.770,33 × 4/36 = 307,81 × 44 % = 135,44 (× 6); 320,13 × 44 % = 140,86 (× 6).
    assert_eq!(night(2025), 6 * 13_544 + 6 * 14_086);
    // 2026: 320,13 × 47 % = 150,46 (× 6); 331,33 × 47 % = 155,73 (× 6).
    assert_eq!(night(2026), 6 * 15_046 + 6 * 15_573);
    // With an hourly wage and the CAO VVT: hourly × h × 52 weeks at the year's rate (one
    // rate all year): € 20 × 4 h × 52 = 4.160 × 47 % = € 1.955,20.
    let v = calc(
        json!({"year": 2026, "employee": {"cao": "vvt", "hourly_wage": 20, "hours_per_week": 24,
        "irregular_hours": [{"hours_per_week": 4, "slot": "weekday_night"}]}}),
    );
    assert_eq!(cents(&v["current"], "irregular_allowance"), 195_520);
}

/// `year_end_bonus: true` with an hourly wage: the cao's percentage. GZ art. 4:6 8,33 %;
/// Jeugdzorg art. 7.2: 8,3 % of salary plus vakantietoeslag; Ziekenhuizen art. 7.5.1:
/// vakantiebijslag 8,33 %. € 20 × 36 h × 52 = 37.440.
#[test]
fn other_caos_with_an_explicit_hourly_wage() {
    let run = |cao: &str| {
        let v = calc(
            json!({"year": 2026, "employee": {"cao": cao, "hourly_wage": 20, "hours_per_week": 36,
            "year_end_bonus": true, "pension": "none"}}),
        );
        (
            cents(&v["current"], "holiday_allowance"),
            cents(&v["current"], "year_end_bonus"),
        )
    };
    assert_eq!(run("gz"), (299_520, 311_875));
    assert_eq!(run("ggz"), (299_520, 311_875));
    assert_eq!(run("ziekenhuis"), (311_875, 311_875));
    // 8,3 % × (37.440 + 2.995,20) = 3.356,12.
    assert_eq!(run("jeugdzorg"), (299_520, 335_612));
    // The CAO VVT with an hourly wage: 8,33 % and its minimums (37.440 is above them).
    assert_eq!(run("vvt"), (299_520, 311_875));
    // An explicit percentage still wins.
    let v = calc(
        json!({"year": 2026, "employee": {"cao": "gz", "hourly_wage": 20, "hours_per_week": 36,
        "year_end_bonus": true, "year_end_bonus_percentage": 5, "pension": "none"}}),
    );
    assert_eq!(cents(&v["current"], "year_end_bonus"), 187_200);
}

/// Art. 4.9 (from 1-1-2026): € 25 per extra workday a week: 25 × 52 = € 1.300 a year per
/// extra day. Current days default to the norm of art. 3.2 lid 4 (24 h → 4 days).
#[test]
fn extra_workday_allowance_from_2026() {
    let mut v = vvt(2026, 35, json!(4), 24.0, json!({"days_per_week": 3}));
    v["hours"] = json!([28, 32]);
    v["days_per_week"] = json!([4, 5]);
    let out = calc(v.clone());
    assert_eq!(cents(&out["current"], "extra_workday_allowance"), 0);
    assert_eq!(
        cents(&out["scenarios"][0], "extra_workday_allowance"),
        130_000
    );
    assert_eq!(
        cents(&out["scenarios"][1], "extra_workday_allowance"),
        260_000
    );
    let gross = cents(&out["scenarios"][1], "gross_wage");
    let parts: i64 = [
        "base_salary",
        "irregular_allowance",
        "holiday_allowance",
        "year_end_bonus",
        "extra_workday_allowance",
    ]
    .iter()
    .map(|f| cents(&out["scenarios"][1], f))
    .sum();
    assert_eq!(gross, parts);
    // Norm days: 24 h = 4 days, so 5 days is one extra.
    let mut norm = vvt(2026, 35, json!(4), 24.0, json!({}));
    norm["hours"] = json!([32]);
    norm["days_per_week"] = json!([5]);
    assert_eq!(
        cents(&calc(norm)["scenarios"][0], "extra_workday_allowance"),
        130_000
    );
    // Not in 2025, and not without the CAO VVT.
    let mut y25 = v.clone();
    y25["year"] = json!(2025);
    assert_eq!(
        cents(&calc(y25)["scenarios"][1], "extra_workday_allowance"),
        0
    );
    let hourly = json!({"year": 2026, "employee": {"hourly_wage": 20, "hours_per_week": 24, "days_per_week": 3},
        "hours": [32], "days_per_week": [5]});
    assert_eq!(
        cents(&calc(hourly)["scenarios"][0], "extra_workday_allowance"),
        0
    );
}

/// Meer-uren (art. 3.8) count for vakantiegeld, eindejaarsuitkering and pension: more
/// hours raise all three.
#[test]
fn more_hours_raise_the_allowances() {
    let mut v = vvt(2026, 35, json!(4), 24.0, json!({"pension": "pfzw"}));
    v["hours"] = json!([32]);
    let out = calc(v);
    for f in [
        "base_salary",
        "holiday_allowance",
        "year_end_bonus",
        "pension_premium",
    ] {
        assert!(
            cents(&out["scenarios"][0], f) > cents(&out["current"], f),
            "{f}"
        );
    }
}
