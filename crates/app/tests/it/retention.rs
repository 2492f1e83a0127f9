//! Retention periods per data kind (issue 34): the purge removes what is older than the
//! period and keeps what is younger, "0 = keep" keeps everything of its kind, and only
//! the programme admin changes the periods, each checked before any is stored (SQLite,
//! and PostgreSQL when configured).

use std::collections::BTreeMap;

use app::AppError;
use app::access::Caller;
use chrono::{Days, Months};
use store::{OrganisationInput, Role, Subsector};

use crate::for_each_backend;

#[tokio::test]
async fn the_purge_removes_what_is_older_than_each_period() {
    for_each_backend(|s| async move {
        app::demo::load(&s).await.unwrap().expect("empty database");
        let dinkel = s.find_organisation("Zorggroep De Dinkel").await.unwrap();
        let user = s.users(Some(dinkel.id)).await.unwrap()[0].clone();
        let round = s.survey_rounds(dinkel.id).await.unwrap()[0].id;
        let org = s
            .create_organisation(&OrganisationInput::new("Bewaar BV", Subsector::Vvt))
            .await
            .unwrap();
        let now = store::now();
        let today = chrono::Utc::now().date_naive();
        let iso = |d: chrono::NaiveDate| d.format("%Y-%m-%d").to_string();
        let hr_old = iso(today - Months::new(40));
        let hr_new = iso(today - Months::new(2));
        for day in [&hr_old, &hr_new] {
            s.execute_for_tests(&format!(
                "INSERT INTO hr_snapshots (org_id, peildatum, imported_at, file_name, \
                 rows_read, employees, skipped) VALUES ({}, '{day}', {now}, 'hr.csv', 1, 1, 0)",
                org.id
            ))
            .await
            .unwrap();
        }
        for (token, minutes) in [("upload-old", 20), ("upload-new", 2)] {
            s.execute_for_tests(&format!(
                "INSERT INTO upload_stash (token_hash, org_id, user_id, kind, created_at, \
                 expires_at, payload) VALUES ('{token}', {}, {}, 'hr', {}, {}, 'x')",
                org.id,
                user.id,
                now - minutes * 60,
                now + 3600
            ))
            .await
            .unwrap();
        }
        for (key, days) in [("draft-old", 10), ("draft-new", 2)] {
            s.execute_for_tests(&format!(
                "INSERT INTO survey_drafts (key_hash, round_id, answers, day) \
                 VALUES ('{key}', {round}, '{{}}', '{}')",
                iso(today - Days::new(days))
            ))
            .await
            .unwrap();
        }
        let audit = |action: &'static str, months: i64| {
            let s = s.clone();
            async move {
                s.execute_for_tests(&format!(
                    "INSERT INTO audit_log (at, actor, action, target, detail) \
                     VALUES ({}, 'test', '{action}', 't', '')",
                    now - months * store::SECONDS_PER_MONTH
                ))
                .await
                .unwrap();
            }
        };
        audit("test.audit.old", 30).await;
        audit("test.audit.new", 1).await;
        let has = |table: &'static str, column: &'static str, needle: String| {
            let s = s.clone();
            async move {
                s.count_rows_containing(table, column, &needle)
                    .await
                    .unwrap()
            }
        };

        // The defaults: HR kept, audit 24 months, uploads 30 minutes, drafts 14 days.
        let purged = app::retention::apply(&s, now, today).await.unwrap();
        assert_eq!(purged.hr_snapshots, 0);
        assert_eq!(has("hr_snapshots", "peildatum", hr_old.clone()).await, 1);
        assert_eq!(has("audit_log", "action", "test.audit.old".into()).await, 0);
        assert_eq!(has("audit_log", "action", "test.audit.new".into()).await, 1);
        assert_eq!(
            has("upload_stash", "token_hash", "upload-old".into()).await,
            1
        );
        assert_eq!(
            has("survey_drafts", "key_hash", "draft-old".into()).await,
            1
        );

        // Shorter periods, and the audit log kept (0).
        let programme = s
            .users(None)
            .await
            .unwrap()
            .into_iter()
            .find(|u| u.role == Role::ProgrammeAdmin)
            .unwrap();
        let changes: BTreeMap<String, i64> = [
            ("hr_snapshots_months", 36),
            ("uploads_minutes", 10),
            ("survey_drafts_days", 7),
            ("audit_log_months", 0),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        let set = app::retention::update(&s, Caller::User(&programme), &changes)
            .await
            .unwrap();
        assert_eq!(set.get("hr_snapshots_months"), 36);
        assert_eq!(set.get("contract_requests_months"), 12, "unchanged default");
        audit("test.audit.old2", 30).await;
        let version_sql = format!(
            "SELECT data_version FROM organisations WHERE id = {}",
            org.id
        );
        let version = s.int_column_for_tests(&version_sql).await.unwrap();

        let purged = app::retention::apply(&s, now, today).await.unwrap();
        assert_eq!(purged.hr_snapshots, 1);
        assert_eq!(has("hr_snapshots", "peildatum", hr_old).await, 0);
        assert_eq!(has("hr_snapshots", "peildatum", hr_new).await, 1);
        assert!(s.int_column_for_tests(&version_sql).await.unwrap() > version);
        assert_eq!(
            has("upload_stash", "token_hash", "upload-old".into()).await,
            0
        );
        assert_eq!(
            has("upload_stash", "token_hash", "upload-new".into()).await,
            1
        );
        assert_eq!(
            has("survey_drafts", "key_hash", "draft-old".into()).await,
            0
        );
        assert_eq!(
            has("survey_drafts", "key_hash", "draft-new".into()).await,
            1
        );
        assert_eq!(purged.audit_entries, 0);
        assert_eq!(
            has("audit_log", "action", "test.audit.old2".into()).await,
            1
        );
        // The change itself is audited.
        assert_eq!(
            has("audit_log", "action", "retention.update".into()).await,
            1
        );
    })
    .await;
}

#[tokio::test]
async fn only_the_programme_admin_sets_checked_periods() {
    for_each_backend(|s| async move {
        app::demo::load(&s).await.unwrap().expect("empty database");
        let users = s.users(None).await.unwrap();
        let programme = users
            .iter()
            .find(|u| u.role == Role::ProgrammeAdmin)
            .unwrap();
        let org_admin = users.iter().find(|u| u.role == Role::OrgAdmin).unwrap();
        let one = |k: &str, v: i64| BTreeMap::from([(k.to_string(), v)]);
        assert!(matches!(
            app::retention::update(&s, Caller::User(org_admin), &one("audit_log_months", 12)).await,
            Err(AppError::Forbidden)
        ));
        // One bad value: nothing of the request is stored.
        let mut both = one("audit_log_months", 12);
        both.insert("uploads_minutes".into(), 60);
        match app::retention::update(&s, Caller::User(programme), &both).await {
            Err(AppError::Invalid { field, message }) => {
                assert_eq!(field, "uploads_minutes");
                assert!(message.contains("5 tot en met 30 minuten"), "{message}");
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            app::retention::update(
                &s,
                Caller::User(programme),
                &one("survey_responses_days", 1)
            )
            .await,
            Err(AppError::BadRequest(_))
        ));
        let now = app::retention::current(&s).await.unwrap();
        assert_eq!(now, app::retention::Retention::defaults());
        // The register shows the period in force.
        app::retention::update(&s, Caller::Operator, &one("audit_log_months", 12))
            .await
            .unwrap();
        let kinds = app::register::view(&s, Caller::User(programme))
            .await
            .unwrap();
        let log = kinds.iter().find(|k| k.key == "logboek").unwrap();
        assert!(
            log.retention.ends_with("Bewaartermijn nu: 12 maanden."),
            "{}",
            log.retention
        );
        assert!(matches!(
            app::register::view(&s, Caller::User(org_admin)).await,
            Err(AppError::Forbidden)
        ));
    })
    .await;
}
