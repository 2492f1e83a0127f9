use hr::chart::{distribution_chart, group_average_chart, pnil_trend_chart};
use hr::{Dimension, PictureOptions, contract_picture};

#[test]
fn distribution_chart_snapshot() {
    let emps = crate::picture_fixture();
    let p = contract_picture(&emps, &PictureOptions::default());
    let svg = distribution_chart("verdeling", p.total.as_ref().unwrap());
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    assert!(svg.contains("role=\"img\""));
    assert!(svg.contains("<title id=\"verdeling-title\">"));
    assert!(!svg.contains("href"), "no external assets");
    insta::assert_snapshot!(svg);
}

#[test]
fn team_chart_snapshot_with_suppressed_teams_and_sector_line() {
    let emps = crate::picture_fixture();
    let p = contract_picture(&emps, &PictureOptions::default());
    let svg = group_average_chart("teams", p.breakdown(Dimension::Team).unwrap(), Some(24.9));
    assert!(svg.contains("te klein om te tonen"));
    assert!(svg.contains("sector 24,9 uur"));
    insta::assert_snapshot!(svg);
}

#[test]
fn pnil_trend_snapshot() {
    let s = crate::pnil::summary_fixture();
    insta::assert_snapshot!(pnil_trend_chart("pnil", &s));
}
