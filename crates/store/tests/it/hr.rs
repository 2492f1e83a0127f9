//! HR baseline storage: snapshots round-trip exactly, one import is one transaction,
//! mappings and PNIL months are remembered per organisation.

use hr::pnil::{PnilEntry, PnilKind, YearMonth};
use hr::{AgeBand, ContractKind, Employee};
use store::{MappingKind, NewHrSnapshot, OrganisationInput, Subsector};

use super::for_each_backend;

fn employee(p: &str, hours: &str, team: &str) -> Employee {
    Employee {
        pseudonym: p.into(),
        team: Some(team.into()),
        function: Some("Verzorgende IG".into()),
        fwg_scale: Some("FWG 35".into()),
        contract_hours: hours.parse().unwrap(),
        part_time_factor: "0.8889".parse().unwrap(),
        age_band: Some(AgeBand::From35To44),
        start_date: Some(chrono::NaiveDate::from_ymd_opt(2019, 4, 1).unwrap()),
        end_date: None,
        contract_kind: Some(ContractKind::Oproep),
        source_rows: Vec::new(),
    }
}

#[tokio::test]
async fn snapshots_round_trip_and_import_is_one_transaction() {
    for_each_backend(|s| async move {
        let org = s
            .create_organisation(&OrganisationInput::new("Zorggroep HR", Subsector::Vvt))
            .await
            .unwrap();
        let day = chrono::NaiveDate::from_ymd_opt(2024, 3, 1).unwrap();
        let emps = vec![
            employee("aa", "32.0004", "Team Es"),
            employee("bb", "12.5", "Team Eik"),
        ];
        let snap = s
            .insert_hr_snapshot(
                org.id,
                &NewHrSnapshot {
                    peildatum: day,
                    file_name: "hr.csv",
                    rows_read: 3,
                    skipped: 1,
                    employees: &emps,
                },
            )
            .await
            .unwrap();
        assert_eq!(snap.peildatum, "2024-03-01");
        assert_eq!((snap.rows_read, snap.employees, snap.skipped), (3, 2, 1));
        assert_eq!(s.hr_employees(snap.id).await.unwrap(), emps);

        // A duplicate pseudonym fails the whole import: the old snapshot stays as it was.
        let bad = vec![employee("cc", "20", "X"), employee("cc", "24", "X")];
        let r = s
            .insert_hr_snapshot(
                org.id,
                &NewHrSnapshot {
                    peildatum: day,
                    file_name: "fout.csv",
                    rows_read: 2,
                    skipped: 0,
                    employees: &bad,
                },
            )
            .await;
        assert!(r.is_err());
        let all = s.hr_snapshots(org.id).await.unwrap();
        assert_eq!(all, vec![snap.clone()]);
        assert_eq!(s.hr_employees(snap.id).await.unwrap(), emps);
        assert_eq!(
            s.hr_snapshot_on(org.id, "2024-03-01").await.unwrap().id,
            snap.id
        );

        // Another organisation cannot reach it by id.
        let other = s
            .create_organisation(&OrganisationInput::new("Ander", Subsector::Gz))
            .await
            .unwrap();
        assert!(s.hr_snapshot(other.id, snap.id).await.is_err());

        assert_eq!(s.hr_mapping(org.id, MappingKind::Hr).await.unwrap(), None);
        s.set_hr_mapping(org.id, MappingKind::Hr, "{\"team\":\"Afdeling\"}")
            .await
            .unwrap();
        assert_eq!(
            s.hr_mapping(org.id, MappingKind::Hr)
                .await
                .unwrap()
                .as_deref(),
            Some("{\"team\":\"Afdeling\"}")
        );
        assert_eq!(s.hr_mapping(org.id, MappingKind::Pnil).await.unwrap(), None);
        s.set_hr_wage_cost(org.id, Some(5_500_000)).await.unwrap();
        assert_eq!(s.hr_wage_cost(org.id).await.unwrap(), Some(5_500_000));
        assert!(s.set_hr_wage_cost(org.id, Some(-1)).await.is_err());

        let entry = |m: u32, cents: i64, row: u32| PnilEntry {
            month: YearMonth::new(2024, m).unwrap(),
            team: Some("Team Es".into()),
            kind: Some(PnilKind::Uitzend),
            amount_cents: cents,
            hours: Some("120.5".parse().unwrap()),
            source_row: row,
        };
        s.replace_pnil_months(org.id, &[entry(1, 10_000, 2), entry(2, 20_000, 3)])
            .await
            .unwrap();
        s.replace_pnil_months(org.id, &[entry(2, 25_000, 2)])
            .await
            .unwrap();
        let stored = s.pnil_entries(org.id).await.unwrap();
        assert_eq!(stored, vec![entry(1, 10_000, 2), entry(2, 25_000, 2)]);

        // More employees than one insert batch holds.
        let many: Vec<Employee> = (0..613)
            .map(|n| employee(&format!("p{n:04}"), &format!("{}.5", n % 40), "Team Es"))
            .collect();
        let big = s
            .insert_hr_snapshot(
                org.id,
                &NewHrSnapshot {
                    peildatum: chrono::NaiveDate::from_ymd_opt(2024, 9, 1).unwrap(),
                    file_name: "groot.csv",
                    rows_read: 613,
                    skipped: 0,
                    employees: &many,
                },
            )
            .await
            .unwrap();
        assert_eq!(s.hr_employees(big.id).await.unwrap(), many);

        s.delete_hr_snapshot(org.id, snap.id).await.unwrap();
        assert_eq!(s.hr_snapshots(org.id).await.unwrap(), vec![big]);
    })
    .await;
}
