//! Regions: the default region from migration 0008, thresholds never below the floor,
//! organisations moved between regions, users given a region.

use sqlx::Connection;
use store::{NewUser, OrganisationInput, Role, Store, StoreError, Subsector};

use super::for_each_backend;

#[tokio::test]
async fn regions_thresholds_and_organisations() {
    for_each_backend(|s| async move {
        let twente = s.default_region().await.unwrap();
        assert_eq!(twente.name, "Twente");
        assert_eq!((twente.min_orgs, twente.dominance_percent), (3, 50));
        assert_eq!(s.regions().await.unwrap(), vec![twente.clone()]);

        // Weaker thresholds are refused, by the store and by the database.
        assert!(matches!(
            s.create_region("Achterhoek", 2, 50).await,
            Err(StoreError::Invalid {
                field: "min_orgs",
                ..
            })
        ));
        assert!(matches!(
            s.create_region("Achterhoek", 3, 60).await,
            Err(StoreError::Invalid {
                field: "dominance_percent",
                ..
            })
        ));
        assert!(
            s.execute_for_tests("UPDATE regions SET min_orgs = 2")
                .await
                .is_err(),
            "the CHECK refuses it too"
        );
        let achterhoek = s.create_region(" Achterhoek ", 4, 40).await.unwrap();
        assert_eq!(achterhoek.name, "Achterhoek");
        assert!(matches!(
            s.create_region("Achterhoek", 3, 50).await,
            Err(StoreError::Conflict(_))
        ));
        assert_eq!(s.find_region("achterhoek").await.unwrap().id, achterhoek.id);
        let changed = s.set_region_policy(achterhoek.id, 5, 30).await.unwrap();
        assert_eq!((changed.min_orgs, changed.dominance_percent), (5, 30));
        assert!(s.set_region_policy(achterhoek.id, 3, 51).await.is_err());

        // New organisations belong to the first region until moved.
        let a = s
            .create_organisation(&OrganisationInput::new("Zorg A", Subsector::Vvt))
            .await
            .unwrap();
        let b = s
            .create_organisation(&OrganisationInput::new("Zorg B", Subsector::Ggz))
            .await
            .unwrap();
        assert_eq!(s.organisation_region(a.id).await.unwrap().id, twente.id);
        let names = |v: Vec<store::RegionOrganisation>| {
            v.into_iter()
                .map(|o| (o.name, o.subsector))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            names(s.region_organisations(twente.id).await.unwrap()),
            vec![
                ("Zorg B".to_string(), Subsector::Ggz),
                ("Zorg A".to_string(), Subsector::Vvt)
            ]
        );
        s.set_organisation_region(b.id, achterhoek.id)
            .await
            .unwrap();
        assert_eq!(
            names(s.region_organisations(achterhoek.id).await.unwrap()),
            vec![("Zorg B".to_string(), Subsector::Ggz)]
        );
        assert_eq!(s.region_organisations(twente.id).await.unwrap().len(), 1);
        assert!(matches!(
            s.set_organisation_region(b.id, 9999).await,
            Err(StoreError::NotFound)
        ));
        assert!(matches!(
            s.set_organisation_region(9999, twente.id).await,
            Err(StoreError::NotFound)
        ));

        // Deleting: never the first region, never one with organisations.
        assert!(matches!(
            s.delete_region(twente.id).await,
            Err(StoreError::Conflict(_))
        ));
        assert!(matches!(
            s.delete_region(achterhoek.id).await,
            Err(StoreError::Conflict(_))
        ));
        s.set_organisation_region(b.id, twente.id).await.unwrap();
        s.delete_region(achterhoek.id).await.unwrap();
        assert_eq!(s.regions().await.unwrap().len(), 1);
    })
    .await;
}

#[tokio::test]
async fn users_are_given_regions() {
    for_each_backend(|s| async move {
        let twente = s.default_region().await.unwrap();
        let other = s.create_region("Salland", 3, 50).await.unwrap();
        let user = s
            .create_user(&NewUser {
                email: "lezer@regio.nl".into(),
                name: "Lezer".into(),
                role: Role::ProgrammeAdmin,
                org_id: None,
                team_ids: vec![],
                password_hash: None,
            })
            .await
            .unwrap();
        assert!(s.user_region_ids(user.id).await.unwrap().is_empty());
        s.grant_region(user.id, other.id).await.unwrap();
        s.grant_region(user.id, other.id).await.unwrap();
        s.grant_region(user.id, twente.id).await.unwrap();
        assert_eq!(
            s.user_region_ids(user.id).await.unwrap(),
            vec![twente.id, other.id]
        );
        s.revoke_region(user.id, twente.id).await.unwrap();
        assert_eq!(s.user_region_ids(user.id).await.unwrap(), vec![other.id]);
        assert!(s.revoke_region(user.id, twente.id).await.is_err());
        assert!(matches!(
            s.grant_region(user.id, 9999).await,
            Err(StoreError::NotFound)
        ));
    })
    .await;
}

/// Migrates to 0007, adds organisations, then runs 0008: they are linked to "Twente".
async fn existing_organisations_join_twente(store: &Store, dir: &str) {
    store
        .migrate_below_for_tests(std::path::Path::new(dir), 8)
        .await
        .unwrap();
    for name in ["Oud A", "Oud B"] {
        store
            .execute_for_tests(&format!(
                "INSERT INTO organisations (name, subsector, pseudonym_key, created_at) \
                 VALUES ('{name}', 'vvt', 'k', 0)"
            ))
            .await
            .unwrap();
    }
    store.migrate().await.unwrap();
    let twente = store.find_region("Twente").await.unwrap();
    let linked = store
        .int_column_for_tests("SELECT region_id FROM organisations")
        .await
        .unwrap();
    assert_eq!(linked, vec![Some(twente.id), Some(twente.id)]);
    assert_eq!(store.regions().await.unwrap().len(), 1);
}

#[tokio::test]
async fn migration_links_existing_organisations_on_both_backends() {
    let root = env!("CARGO_MANIFEST_DIR");
    let tmp = tempfile::tempdir().unwrap();
    let lite = Store::open_data_dir(tmp.path()).await.unwrap();
    existing_organisations_join_twente(&lite, &format!("{root}/migrations/sqlite")).await;
    lite.close().await;

    let Some(server) = store::testing::postgres_url() else {
        eprintln!("SKIPPED on PostgreSQL: set URENWINST_TEST_POSTGRES");
        return;
    };
    let name = format!("urenwinst_t_{}", &store::new_secret()[..16]);
    let mut admin = sqlx::AnyConnection::connect(&server).await.unwrap();
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut admin)
        .await
        .unwrap();
    let pg = Store::connect(&store::testing::with_database(&server, &name))
        .await
        .unwrap();
    existing_organisations_join_twente(&pg, &format!("{root}/migrations/postgres")).await;
    pg.close().await;
    sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .execute(&mut admin)
        .await
        .unwrap();
}

/// The pre-aggregation (migration 0013): kept figures are current until a write that
/// feeds a Value Case touches the organisation; an older document never replaces a newer.
#[tokio::test]
async fn kept_figures_go_stale_on_every_write_that_feeds_them() {
    for_each_backend(|s| async move {
        let region = s.default_region().await.unwrap();
        let org = s
            .create_organisation(&OrganisationInput::new("Zorg Kept", Subsector::Vvt))
            .await
            .unwrap();
        let other = s
            .create_organisation(&OrganisationInput::new("Zorg Anders", Subsector::Gz))
            .await
            .unwrap();
        let kept = |s: Store| async move {
            s.region_kept_figures(region.id)
                .await
                .unwrap()
                .into_iter()
                .find(|k| k.organisation.name == "Zorg Kept")
                .unwrap()
        };
        let k = kept(s.clone()).await;
        assert_eq!((k.current(), &k.kept), (None, &None));
        assert_eq!(
            s.stale_org_figures(10).await.unwrap(),
            vec![org.id, other.id]
        );
        s.keep_org_figures(org.id, k.data_version, "{\"a\":1}")
            .await
            .unwrap();
        assert_eq!(kept(s.clone()).await.current(), Some("{\"a\":1}"));
        assert_eq!(s.stale_org_figures(10).await.unwrap(), vec![other.id]);

        // Each write that feeds the figures makes them stale; keeping again mends it.
        let mut version = k.data_version;
        let team = s.create_team(org.id, "Team A", None).await.unwrap();
        let round = s
            .create_survey_round(
                org.id,
                &store::NewSurveyRound {
                    name: "Ronde".into(),
                    kind: "nulmeting".into(),
                    questionnaire: "medewerkers".into(),
                    version: 1,
                    custom_questions: "[]".into(),
                    opens_on: "2026-01-01".into(),
                    closes_on: "2026-01-31".into(),
                    invitation_text: "Doe mee".into(),
                    import_round: true,
                },
                &[team.id],
            )
            .await
            .unwrap();
        let month = hr::pnil::YearMonth::new(2026, 1).unwrap();
        let entry = hr::pnil::PnilEntry {
            month,
            team: None,
            kind: None,
            amount_cents: 100,
            hours: None,
            source_row: 2,
        };
        for step in 0..7 {
            match step {
                0 => s
                    .set_survey_round_status(round.id, "gesloten")
                    .await
                    .unwrap(),
                1 => {
                    s.import_survey_responses(
                        round.id,
                        &[store::NewResponse {
                            team_id: Some(team.id),
                            version: 1,
                            answers: "{\"answers\":{}}".into(),
                            day: "2026-01-10".into(),
                            source: "import",
                        }],
                    )
                    .await
                    .unwrap();
                }
                2 => s
                    .replace_pnil_months(org.id, std::slice::from_ref(&entry))
                    .await
                    .unwrap(),
                3 => s.add_pnil_entry(org.id, &entry).await.unwrap(),
                4 => {
                    s.delete_pnil_month(org.id, month).await.unwrap();
                }
                5 => s.set_hr_wage_cost(org.id, Some(5_000_000)).await.unwrap(),
                _ => {
                    let mut input = OrganisationInput::new("Zorg Kept", Subsector::Vvt);
                    input.fulltime_hours = 38.0;
                    s.update_organisation(org.id, &input).await.unwrap();
                }
            }
            let k = kept(s.clone()).await;
            assert!(
                k.data_version > version,
                "step {step} touches the organisation"
            );
            assert_eq!(k.current(), None, "step {step}");
            version = k.data_version;
            s.keep_org_figures(org.id, version, &format!("{{\"step\":{step}}}"))
                .await
                .unwrap();
            assert!(kept(s.clone()).await.current().is_some());
        }
        // A document made from older data does not replace the kept one.
        s.keep_org_figures(org.id, version - 1, "{\"old\":true}")
            .await
            .unwrap();
        assert_eq!(kept(s.clone()).await.current(), Some("{\"step\":6}"));
        // Another organisation's writes leave these alone.
        s.set_hr_wage_cost(other.id, Some(4_000_000)).await.unwrap();
        assert_eq!(kept(s.clone()).await.current(), Some("{\"step\":6}"));
        assert_eq!(s.org_data_version(org.id).await.unwrap(), version);
    })
    .await;
}
