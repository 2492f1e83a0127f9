use hr::pnil::{PnilKind, PnilSummary, TrendDirection, format_euro};
use hr::{PnilOptions, import_pnil, pnil_summary, propose_pnil_mapping};

const LONG: &str = "\
Maand;Team;Soort;Bedrag;Uren
01-2026;Zon;ZZP;€ 12.000,00;200
01-2026;Maan;Uitzendkracht;8.000;150
02-2026;Zon;ZZP;11.500,50;190
02-2026;Maan;Uitzendkracht;7.000;130
03-2026;Zon;zzp;9.000;150
03-2026;Maan;uitzend;6.000;100
04-2026;Zon;ZZP;12,5O;10
mei 2026;Zon;vrijwilliger;100;1
";

pub fn summary_fixture() -> PnilSummary {
    let t = import::read_table(LONG.as_bytes()).unwrap();
    let r = import_pnil(&t, &propose_pnil_mapping(&t).mapping);
    pnil_summary(
        &r.entries,
        &PnilOptions {
            full_time_hours: "36".parse().unwrap(),
            wage_cost_per_fte_year_cents: Some(5_500_000),
        },
    )
}

#[test]
fn long_layout_with_diagnostics() {
    let t = import::read_table(LONG.as_bytes()).unwrap();
    let p = propose_pnil_mapping(&t);
    assert_eq!(p.mapping.columns.len(), 5, "{:?}", p.mapping);
    let r = import_pnil(&t, &p.mapping);
    let msgs: Vec<String> = r.diagnostics.iter().map(ToString::to_string).collect();
    assert_eq!(
        msgs,
        vec![
            "rij 8: bedrag '12,5O' is geen getal. Gebruik alleen cijfers en één komma, bijvoorbeeld 24,5 of 1.234,56",
            "rij 9: soort 'vrijwilliger' is onbekend. Gebruik ZZP, uitzend, detachering of overig",
        ]
    );
    assert_eq!(r.skipped_rows, vec![8, 9]);
    assert_eq!(r.entries.len(), 6);
    assert_eq!(r.entries[2].amount_cents, 1_150_050);
}

#[test]
fn summary_months_years_trend_and_cost_per_fte() {
    let s = summary_fixture();
    assert_eq!(s.months.len(), 3);
    assert_eq!(s.months[0].total_cents, 2_000_000);
    assert_eq!(s.months[0].by_kind[&PnilKind::Zzp], 1_200_000);
    assert_eq!(s.years[0].total_cents, 5_350_050);
    let trend = s.trend.as_ref().unwrap();
    assert_eq!(trend.direction, TrendDirection::Down);
    let c = s.comparison.as_ref().unwrap();
    assert_eq!(c.months, 3);
    assert_eq!(c.spend_cents, 5_350_050);
    assert_eq!(c.annualised_spend_cents, 21_400_200);
    // € 214.002 a year pays 3,9 FTE of own staff at € 55.000.
    assert_eq!(c.own_fte_equivalent, 3.9);
    // 920 hours in 3 months = 70,7 h/week = 2,0 FTE; → € 108.9.. per external FTE.
    assert_eq!(c.external_hours, Some(920.0));
    assert_eq!(c.external_fte, Some(2.0));
    insta::assert_json_snapshot!(s);
    assert_eq!(format_euro(c.annualised_spend_cents), "€ 214.002,00");
}

#[test]
fn wide_layout_per_kind() {
    let t = import::read_table(b"Periode,ZZP,Uitzendkrachten,Detachering,Totaal\n2026-01,1000,500,0,1500\n2026-02,1200,,300,1600\n").unwrap();
    let p = propose_pnil_mapping(&t);
    let r = import_pnil(&t, &p.mapping);
    assert!(!r.has_errors(), "{:?}", r.diagnostics);
    assert_eq!(r.entries.len(), 5);
    let msgs: Vec<String> = r.diagnostics.iter().map(ToString::to_string).collect();
    assert_eq!(
        msgs,
        vec![
            "rij 3: let op: het totaal € 1.600,00 is niet de som van de soorten (€ 1.500,00); de soorten zijn gebruikt"
        ]
    );
    let s = pnil_summary(
        &r.entries,
        &PnilOptions {
            full_time_hours: "36".parse().unwrap(),
            wage_cost_per_fte_year_cents: None,
        },
    );
    assert_eq!(s.months[1].by_kind[&PnilKind::Detachering], 30_000);
    assert!(s.comparison.is_none());
    assert!(s.trend.is_none());
}
