//! Hand-computed figures of a small region.

use super::*;

pub(crate) fn org(id: i64, subsector: &str, employees: u64, hours: f64) -> OrgFigures {
    OrgFigures {
        org_id: id,
        subsector: subsector.into(),
        period: "2026".into(),
        employees,
        contract_hours_sum: hours,
        fulltime_hours: 36.0,
        respondents: employees / 2,
        open_count: employees / 4,
        sure_count: employees / 8,
        conditional_count: employees / 4 - employees / 8,
        potential_hours_per_week: (employees / 4) as f64 * 4.0,
        potential_fte: (employees / 4) as f64 * 4.0 / 36.0,
        pnil_last_12_months_cost_cents: Some(employees as i64 * 10_000),
        conditions: vec![OptionCount {
            option: "vaste_dagen".into(),
            count: employees / 8,
        }],
        obstacles: vec![],
    }
}

fn region() -> Vec<OrgFigures> {
    vec![
        // VVT: three organisations of 100, 120 and 80 employees.
        org(1, "vvt", 100, 2500.0),
        org(2, "vvt", 120, 3000.0),
        org(3, "vvt", 80, 1900.0),
        // GZ: three, balanced.
        org(4, "gz", 60, 1500.0),
        org(5, "gz", 60, 1400.0),
        org(6, "gz", 40, 1000.0),
        // GGZ: two organisations only.
        org(7, "ggz", 40, 1000.0),
        org(8, "ggz", 40, 1000.0),
    ]
}

#[test]
fn pooled_figures_by_hand() {
    let p = regional_picture("Twente", &Policy::default(), &region()).unwrap();
    let vvt = p
        .subsectors
        .iter()
        .find(|r| r.subsector.as_deref() == Some("vvt"))
        .unwrap();
    assert_eq!(vvt.organisations, 3);
    assert_eq!(vvt.employees, Some(300));
    // (2500 + 3000 + 1900) / 300 = 24.67 → 24.7; / 36 = 0.6852.
    assert_eq!(vvt.average_contract_hours, Some(24.7));
    assert_eq!(vvt.deeltijdfactor, Some(0.6852));
    // Respondents 50 + 60 + 40 = 150, open 25 + 30 + 20 = 75: 0.5.
    assert_eq!(vvt.respondents, Some(150));
    assert_eq!(vvt.open_share, Some(0.5));
    let (lo, hi) = survey::stats::wilson95(75, 150);
    assert_eq!(
        vvt.open_share_ci95,
        Some([round_to(lo, 4), round_to(hi, 4)])
    );
    // Potential 75 × 4 h = 300 h = 8.33 FTE.
    assert_eq!(vvt.potential_hours_per_week, Some(300.0));
    assert_eq!(vvt.potential_fte, Some(8.33));
    assert_eq!(vvt.pnil_last_12_months_cost_cents, Some(3_000_000));
    assert_eq!(vvt.pnil_last_12_months_cost, Some(30_000.0));
    // 12 + 15 + 10 = 37 chose "vaste dagen": 37 / 150.
    assert_eq!(vvt.conditions[0].count, 37);
    assert_eq!(vvt.conditions[0].share, 0.2467);
    assert!(!vvt.suppressed);
}

#[test]
fn two_organisations_are_hidden_and_protected() {
    let p = regional_picture("Twente", &Policy::default(), &region()).unwrap();
    let row = |s: &str| {
        p.subsectors
            .iter()
            .find(|r| r.subsector.as_deref() == Some(s))
            .unwrap()
    };
    let ggz = row("ggz");
    assert!(ggz.suppressed);
    assert_eq!(ggz.employees, None);
    assert_eq!(ggz.reason.as_deref(), Some("minder dan 3 organisaties"));
    assert_eq!(ggz.organisations, 2);
    // GZ (160 employees) is smaller than VVT (300): it is hidden with GGZ.
    let gz = row("gz");
    assert_eq!(gz.employees, None);
    assert_eq!(gz.suppressions[0].code, Reason::Complementary);
    assert_eq!(row("vvt").employees, Some(300));
    assert_eq!(p.total.employees, Some(540));
}

#[test]
fn a_dominant_organisation_hides_its_subsector() {
    let mut orgs = region();
    orgs.push(org(9, "ggz", 500, 12_000.0));
    let p = regional_picture("Twente", &Policy::default(), &orgs).unwrap();
    let ggz = p
        .subsectors
        .iter()
        .find(|r| r.subsector.as_deref() == Some("ggz"))
        .unwrap();
    assert_eq!(ggz.organisations, 3);
    assert_eq!(ggz.employees, None);
    assert_eq!(
        ggz.reason.as_deref(),
        Some("één organisatie levert meer dan de helft")
    );
}

#[test]
fn weaker_policies_are_refused() {
    assert_eq!(Policy::new(2, 50), Err(RegionError::MinOrgsTooLow(2)));
    assert_eq!(
        Policy::new(3, 51),
        Err(RegionError::DominanceOutOfRange(51))
    );
    assert_eq!(Policy::new(3, 0), Err(RegionError::DominanceOutOfRange(0)));
    assert!(Policy::new(5, 40).is_ok());
    let weak = Policy {
        min_orgs: 1,
        dominance_percent: 100,
    };
    assert!(regional_picture("X", &weak, &region()).is_err());
}

#[test]
fn duplicates_and_impossible_figures_are_refused() {
    let mut orgs = region();
    orgs.push(org(1, "vvt", 10, 10.0));
    assert!(matches!(
        regional_picture("X", &Policy::default(), &orgs),
        Err(RegionError::Duplicate { org_id: 1, .. })
    ));
    let mut bad = org(1, "vvt", 10, 10.0);
    bad.open_count = 99;
    assert!(bad.validate().is_err());
}

#[test]
fn the_json_shape() {
    let p = regional_picture("Twente", &Policy::default(), &region()).unwrap();
    insta::assert_json_snapshot!(p);
}

#[test]
fn own_view_has_four_columns_with_sources() {
    let orgs = region();
    let p = regional_picture("Twente", &Policy::default(), &orgs).unwrap();
    let b = hr::SectorBenchmarks::embedded().unwrap();
    let v = own_view(&p, &b, &orgs[6]).unwrap();
    assert_eq!(v.organisation.average_contract_hours, Some(25.0));
    assert_eq!(v.subsector.employees, None, "GGZ stays hidden, also here");
    assert_eq!(v.region_total.employees, Some(540));
    let avg = v
        .national
        .iter()
        .find(|n| n.key == "average_contract_hours")
        .unwrap();
    assert_eq!(avg.value, 24.9);
    assert!(!avg.source.is_empty());
    insta::assert_json_snapshot!(v);
}

#[test]
fn trend_hides_a_change_of_one_organisation() {
    // 2025: VVT 1–3 and GZ 4–6. 2026: one organisation joins VVT, three join GZ.
    let mut orgs = region();
    orgs.retain(|f| f.subsector != "ggz");
    let mut later: Vec<OrgFigures> = orgs
        .iter()
        .map(|f| OrgFigures {
            period: "2026".into(),
            ..f.clone()
        })
        .collect();
    for f in &mut orgs {
        f.period = "2025".into();
    }
    later.push(org(10, "vvt", 90, 2000.0));
    for id in 11..14 {
        later.push(org(id, "gz", 50, 1200.0));
    }
    orgs.extend(later);
    let p = regional_picture("Twente", &Policy::default(), &orgs).unwrap();
    type Line = (String, Option<String>, Option<u64>, Vec<Reason>);
    let summary: Vec<Line> = p
        .trend
        .iter()
        .flat_map(|period| {
            period.subsectors.iter().chain([&period.total]).map(|r| {
                (
                    period.period.clone(),
                    r.subsector.clone(),
                    r.employees,
                    r.suppressions.iter().map(|s| s.code).collect(),
                )
            })
        })
        .collect();
    insta::assert_debug_snapshot!(summary);
}
