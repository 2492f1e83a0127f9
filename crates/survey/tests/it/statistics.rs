use survey::results::{ExtraHours, QuestionFigures};
use survey::stats::wilson95;
use survey::{AnalysisOptions, Submission, analyse};

use crate::helpers::{employee, sub};

/// Sint Maarten (DOMAIN.md): 14% 'ja, zeker' and 31% 'onder voorwaarden' report 45% open.
fn sint_maarten_round() -> Vec<Submission> {
    let mut subs = Vec::new();
    for i in 0..100 {
        let openness = match i {
            0..14 => "ja_zeker",
            14..45 => "ja_onder_voorwaarden",
            45..70 => "nee",
            70..85 => "weet_ik_niet",
            _ => "al_voltijd",
        };
        let team = ["A", "B", "C", "D"][i % 4];
        subs.push(sub(team, employee(openness, 24.0, 24.0)));
    }
    subs
}

#[test]
fn fourteen_plus_thirty_one_is_forty_five_percent_open() {
    let res = analyse(
        crate::helpers::employees(),
        &sint_maarten_round(),
        &AnalysisOptions::default(),
    );
    let org = res.figures.as_ref().unwrap();
    assert_eq!(org.group.respondents, 100);
    assert_eq!(org.group.open_share, Some(0.45));
    assert_eq!(org.group.open_count, Some(45));
    let (lo, hi) = wilson95(45, 100);
    assert_eq!(
        org.group.open_share_ci95,
        Some([(lo * 1e4).round() / 1e4, (hi * 1e4).round() / 1e4])
    );
    assert_eq!(org.group.open_share_ci95, Some([0.3561, 0.5476]));
    let json = serde_json::to_value(&res).unwrap();
    assert_eq!(json["open_share"], 0.45);
    assert_eq!(json["open_share_ci95"], serde_json::json!([0.3561, 0.5476]));
    assert_eq!(json["respondents"], 100);
    // The openness question itself: 14% and 31%.
    let q = org
        .group
        .questions
        .iter()
        .find(|q| q.question == "bereidheid")
        .unwrap();
    let Some(QuestionFigures::Choice { n, options }) = &q.figures else {
        panic!()
    };
    assert_eq!(*n, 100);
    assert_eq!(options[0].share.share, 0.14);
    assert_eq!(options[1].share.share, 0.31);
}

#[test]
fn desired_extra_hours_and_fte() {
    // 27 people want 105 extra hours in total: 2.92 FTE at 36 h (Sint Maarten, DOMAIN.md).
    let mut subs = Vec::new();
    for i in 0..27 {
        let extra = if i < 24 { 4.0 } else { 3.0 }; // 24*4 + 3*3 = 105
        subs.push(sub("A", employee("ja_zeker", 20.0, 20.0 + extra)));
    }
    for _ in 0..10 {
        subs.push(sub("A", employee("nee", 28.0, 24.0)));
    }
    for _ in 0..3 {
        subs.push(sub("A", employee("al_voltijd", 36.0, 36.0)));
    }
    let res = analyse(
        crate::helpers::employees(),
        &subs,
        &AnalysisOptions::default(),
    );
    let org = res.figures.as_ref().unwrap();
    let x: &ExtraHours = org
        .group
        .desired_extra_hours
        .as_ref()
        .unwrap()
        .figures
        .as_ref()
        .unwrap();
    assert_eq!(x.respondents, 40);
    assert_eq!(x.want_more.count, 27);
    assert_eq!(x.want_fewer, 10);
    let h = x.hours.figures.as_ref().unwrap();
    assert_eq!(h.n, 27);
    assert_eq!(h.total, 105.0);
    assert_eq!(h.fte, 2.92);
    assert_eq!(h.mean, 3.89);
    assert_eq!(h.median, 4.0);
    // At 38 h full time (another CAO) the same hours are fewer FTE.
    let opts = AnalysisOptions {
        full_time_hours: 38.0,
        ..AnalysisOptions::default()
    };
    let res = analyse(crate::helpers::employees(), &subs, &opts);
    let fte = res
        .figures
        .unwrap()
        .group
        .desired_extra_hours
        .unwrap()
        .figures
        .unwrap()
        .hours
        .figures
        .unwrap()
        .fte;
    assert_eq!(fte, 2.76);
}

#[test]
fn top_conditions_and_obstacles() {
    use survey::Answer;
    let mut subs = Vec::new();
    for i in 0..12 {
        let mut r = employee("ja_onder_voorwaarden", 20.0, 24.0);
        let mut c = vec!["kinderopvang".to_string()];
        if i < 8 {
            c.push("langere_diensten".into());
        }
        if i < 3 {
            c.push("reistijd".into());
        }
        r.set("voorwaarden", Answer::Choices(c));
        subs.push(sub("A", r));
    }
    for _ in 0..6 {
        subs.push(sub("B", employee("nee", 20.0, 20.0)));
    }
    let opts = AnalysisOptions {
        top: 2,
        ..AnalysisOptions::default()
    };
    let res = analyse(crate::helpers::employees(), &subs, &opts);
    let org = res.figures.unwrap();
    let top: Vec<(&str, u64)> = org
        .top_conditions
        .iter()
        .map(|o| (o.option.as_str(), o.share.count))
        .collect();
    assert_eq!(top, [("kinderopvang", 12), ("langere_diensten", 8)]);
    assert_eq!(org.top_conditions[0].share.share, 1.0);
    let top: Vec<(&str, u64)> = org
        .top_obstacles
        .iter()
        .map(|o| (o.option.as_str(), o.share.count))
        .collect();
    assert_eq!(top, [("werkdruk", 6)]);
}

#[test]
fn wilson_is_inside_unit_interval_and_contains_p() {
    for n in 1..60u64 {
        for x in 0..=n {
            let (lo, hi) = wilson95(x, n);
            let p = x as f64 / n as f64;
            assert!(
                (0.0..=p).contains(&lo) && (p..=1.0).contains(&hi),
                "{x}/{n}: {lo} {hi}"
            );
        }
    }
}
