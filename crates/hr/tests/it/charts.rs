use hr::chart::{distribution_chart, group_average_chart, pnil_trend_chart};
use hr::{Dimension, PictureOptions, contract_picture};
use report::chart::{Bar, Reference, bar_chart};

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

#[test]
fn text_is_escaped() {
    let svg = bar_chart(
        "x",
        "A <b> & \"c\"",
        "d",
        &[Bar {
            label: "<script>".into(),
            value: Some(1.0),
            value_label: "1".into(),
        }],
        Some(&Reference {
            value: 0.5,
            label: "r&d".into(),
        }),
    );
    assert!(!svg.contains("<script>"));
    assert!(!svg.contains("<b>"));
    assert!(svg.contains("&lt;script&gt;"));
    assert!(svg.contains("r&amp;d"));
}
