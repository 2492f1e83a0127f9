use crate::{date, key};
use hr::{
    HrField, HrMapping, ImportOptions, NameColumnPolicy, import_extract, preview, propose_mapping,
};

fn read(text: &str) -> import::Table {
    import::read_table(text.as_bytes()).unwrap()
}

const WITH_ERRORS: &str = "\
Personeelsnummer;Voornaam;Achternaam;Team;Contracturen;Geboortedatum;Datum in dienst;Soort contract
1;Anna;Bos;Zon;24;01-02-1980;01-01-2010;vast
2;Bram;Smit;Zon;3,5O;01-02-1980;01-01-2010;vast
3;Carla;Visser;Maan;24,5;31-02-1980;01-01-2010;tijdelijk
;Daan;Mulder;Maan;20;01-02-1990;01-01-2010;vast
5;Eva;Jansen;Maan;72;01-02-1990;2010-01-01;stage
6;Fleur;Bakker;Ster;16;01-02-2020;01-01-2010;oproep
7;Gijs;Meijer;Ster;16;01-02-1990;01-01-2030;flex
";

#[test]
fn every_problem_by_row_and_field_in_dutch() {
    let t = read(WITH_ERRORS);
    let p = propose_mapping(&t);
    assert_eq!(p.name_columns, vec!["Voornaam", "Achternaam"]);
    assert!(
        !p.mapping
            .columns
            .values()
            .any(|h| h == "Voornaam" || h == "Achternaam")
    );
    let r = import_extract(
        &t,
        &p.mapping,
        &ImportOptions::new(date(2026, 11, 23)),
        &key(),
    );
    let lines: Vec<String> = r.diagnostics.iter().map(ToString::to_string).collect();
    insta::assert_snapshot!(lines.join("\n"));
    assert!(r.has_errors());
    assert_eq!(r.skipped_rows, vec![3, 4, 5, 6, 7]);
    assert_eq!(r.out_of_service_rows, vec![8]);
    assert_eq!(r.employees.len(), 1);
    assert_eq!(r.dropped_columns, vec!["Voornaam", "Achternaam"]);
}

#[test]
fn refusing_name_columns() {
    let t = read(WITH_ERRORS);
    let mut opts = ImportOptions::new(date(2026, 11, 23));
    opts.name_columns = NameColumnPolicy::Refuse;
    let r = import_extract(&t, &propose_mapping(&t).mapping, &opts, &key());
    assert!(r.employees.is_empty());
    assert_eq!(
        r.errors().next().unwrap().to_string(),
        "bestand: kolom 'Voornaam' bevat namen of andere persoonsgegevens. Haal deze kolom uit het bestand en upload het opnieuw; Urenwinst bewaart geen namen"
    );
}

#[test]
fn a_name_column_cannot_be_mapped_by_hand() {
    let t = read(WITH_ERRORS);
    let mut m = propose_mapping(&t).mapping;
    m.columns.insert(HrField::Team, "Achternaam".into());
    let r = import_extract(&t, &m, &ImportOptions::new(date(2026, 11, 23)), &key());
    assert!(r.employees.is_empty());
    assert!(r.errors().any(|d| d.message_nl == "kolom 'Achternaam' bevat namen of andere persoonsgegevens en kan niet als team worden gebruikt"));
    // Nothing of the name column reaches the preview either.
    let pv = preview(&t, &m, &ImportOptions::new(date(2026, 11, 23)), 3);
    let json = serde_json::to_string(&pv).unwrap();
    assert!(!json.contains("Bos") && !json.contains("Anna"));
}

#[test]
fn omvang_goes_to_hours_or_factor_by_the_data() {
    let hours = read("Mdw nr;Omvang\n1;24\n2;32,5\n3;16\n");
    let p = propose_mapping(&hours);
    assert_eq!(
        p.mapping
            .columns
            .get(&HrField::ContractHours)
            .map(String::as_str),
        Some("Omvang")
    );
    assert_eq!(p.mapping.columns.get(&HrField::PartTimeFactor), None);
    assert_eq!(
        p.mapping
            .columns
            .get(&HrField::EmployeeNumber)
            .map(String::as_str),
        Some("Mdw nr")
    );
    let factor = read("Mdw nr;Omvang\n1;0,6667\n2;0,9\n3;1\n");
    let p = propose_mapping(&factor);
    assert_eq!(
        p.mapping
            .columns
            .get(&HrField::PartTimeFactor)
            .map(String::as_str),
        Some("Omvang")
    );
    assert_eq!(p.mapping.columns.get(&HrField::ContractHours), None);
}

#[test]
fn proposal_for_a_typical_export_and_json_of_the_mapping() {
    let t = read(
        "Personeelsnr.;Naam medewerker;Kostenplaats;Functieomschrijving;FWG schaal;Deeltijdpercentage;Leeftijd;Indienst;Uitdienst;Dienstverband\n12;X;A;B;FWG 35;88,89;45;01-01-2020;;vast\n",
    );
    let p = propose_mapping(&t);
    let json = serde_json::to_string_pretty(&p.mapping).unwrap();
    insta::assert_snapshot!(json);
    let back: HrMapping = serde_json::from_str(&json).unwrap();
    assert_eq!(back, p.mapping);
    let r = import_extract(
        &t,
        &p.mapping,
        &ImportOptions::new(date(2026, 11, 23)),
        &key(),
    );
    assert!(!r.has_errors(), "{:?}", r.diagnostics);
    let e = &r.employees[0];
    assert_eq!(e.part_time_factor.to_string(), "0.8889");
    assert_eq!(e.contract_hours.to_string(), "32.0004");
    assert_eq!(e.age_band, Some(hr::AgeBand::From45To54));
    assert_eq!(e.fwg_scale.as_deref(), Some("FWG 35"));
    assert!(
        r.diagnostics
            .iter()
            .any(|d| d.message_nl.contains("procenten"))
    );
}

#[test]
fn hours_and_factor_that_disagree_give_a_warning() {
    let t = read("Personeelsnummer;Contracturen;Deeltijdfactor\n1;24;0,6667\n2;24;0,8\n");
    let r = import_extract(
        &t,
        &propose_mapping(&t).mapping,
        &ImportOptions::new(date(2026, 11, 23)),
        &key(),
    );
    assert!(!r.has_errors());
    let w: Vec<String> = r.diagnostics.iter().map(ToString::to_string).collect();
    assert_eq!(
        w,
        vec![
            "rij 3: let op: contracturen 24 en deeltijdfactor 0,8 (= 28,8 uur) passen niet bij elkaar; de contracturen zijn gebruikt"
        ]
    );
    assert_eq!(r.employees[1].contract_hours.to_string(), "24");
}

#[test]
fn missing_required_columns_and_a_stale_mapping() {
    let t = read("Team;Functie\nZon;Helpende\n");
    let r = import_extract(
        &t,
        &propose_mapping(&t).mapping,
        &ImportOptions::new(date(2026, 11, 23)),
        &key(),
    );
    let msgs: Vec<String> = r.diagnostics.iter().map(ToString::to_string).collect();
    assert_eq!(
        msgs,
        vec![
            "bestand: er is geen kolom gekozen voor personeelsnummer. Kies de kolom met het personeelsnummer of medewerkernummer",
            "bestand: er is geen kolom gekozen voor contracturen of deeltijdfactor. Kies de kolom met de contracturen per week, of met de deeltijdfactor",
        ]
    );
    assert_eq!(r.skipped_rows, vec![2]);
    let mut stale = HrMapping::default();
    stale
        .columns
        .insert(HrField::EmployeeNumber, "Personeelsnummer".into());
    stale.columns.insert(HrField::ContractHours, "Uren".into());
    let r = import_extract(&t, &stale, &ImportOptions::new(date(2026, 11, 23)), &key());
    assert!(
        r.errors()
            .any(|d| d.message_nl == "de kolom 'Uren' voor contracturen staat niet in het bestand")
    );
}

#[test]
fn preview_shows_rows_as_mapped() {
    let t = read(WITH_ERRORS);
    let p = propose_mapping(&t);
    let pv = preview(&t, &p.mapping, &ImportOptions::new(date(2026, 11, 23)), 3);
    insta::assert_json_snapshot!(pv);
}

#[test]
fn two_digit_years_only_with_a_window() {
    let t = read("Personeelsnummer;Contracturen;Geboortedatum\n1;24;23-11-76\n");
    let m = propose_mapping(&t).mapping;
    let mut opts = ImportOptions::new(date(2026, 11, 23));
    let r = import_extract(&t, &m, &opts, &key());
    assert_eq!(
        r.errors().next().unwrap().to_string(),
        "rij 2: geboortedatum '23-11-76' heeft een jaartal van twee cijfers. Schrijf het jaar met vier cijfers, bijvoorbeeld 23-11-2026"
    );
    opts.dates.two_digit_year_pivot = Some(26);
    let r = import_extract(&t, &m, &opts, &key());
    assert!(!r.has_errors());
    assert_eq!(r.employees[0].age_band, Some(hr::AgeBand::From45To54));
}
