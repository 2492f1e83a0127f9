//! The organisation export (AVG/GDPR right of access and portability, issue 34): the ZIP
//! of the demo's Zorggroep De Dinkel holds a file per table of each data kind with its
//! rows, the published results of closed survey rounds and the README, and nothing secret:
//! no password hash, API-token or session hash, pseudonym key, raw survey answer or other
//! organisation's data (SQLite, and PostgreSQL when configured).

use std::collections::BTreeMap;
use std::io::Read;

use app::AppError;
use app::access::Caller;
use store::Role;

use crate::for_each_backend;

fn unzip(bytes: &[u8]) -> BTreeMap<String, String> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    let mut files = BTreeMap::new();
    for i in 0..archive.len() {
        let mut f = archive.by_index(i).unwrap();
        let mut text = String::new();
        f.read_to_string(&mut text).unwrap();
        files.insert(f.name().to_string(), text);
    }
    files
}

/// Data rows of a CSV file (its lines after the header).
fn data_rows(csv: &str) -> usize {
    csv.lines().count().saturating_sub(1)
}

#[tokio::test]
async fn the_export_holds_every_kind_with_its_rows_and_no_secret() {
    for_each_backend(|s| async move {
        app::demo::load(&s).await.unwrap().expect("empty database");
        let org = s.find_organisation("Zorggroep De Dinkel").await.unwrap();
        let users = s.users(Some(org.id)).await.unwrap();
        let admin = users
            .iter()
            .find(|u| u.role == Role::OrgAdmin)
            .unwrap()
            .clone();
        // Secrets that exist for this organisation.
        s.create_api_token(
            admin.id,
            "Koppeling",
            "uw_abcd",
            "tokenhash-0123456789abcdef",
        )
        .await
        .unwrap();
        s.create_session(
            "sessionhash-0123456789abcdef",
            admin.id,
            "csrf-secret-xyz",
            i64::MAX / 2,
        )
        .await
        .unwrap();
        let mut secrets = vec![
            "tokenhash-0123456789abcdef".to_string(),
            "sessionhash-0123456789abcdef".to_string(),
            "csrf-secret-xyz".to_string(),
            s.organisation_pseudonym_key(org.id).await.unwrap(),
        ];
        for u in &users {
            if let Some(h) = s.password_hash(u.id).await.unwrap() {
                secrets.push(h);
            }
        }
        let mut raw_answers = Vec::new();
        for round in s.survey_rounds(org.id).await.unwrap() {
            for r in s.survey_responses(round.id).await.unwrap() {
                raw_answers.push(r.answers);
            }
        }
        assert!(secrets.len() >= 5, "the demo accounts have passwords");
        assert!(!raw_answers.is_empty(), "the demo has survey answers");

        let bytes = app::export::organisation_export(&s, Caller::User(&admin), org.id)
            .await
            .unwrap();
        let files = unzip(&bytes);

        // A file per exported table of every kind of the register, in the kind's folder.
        let reg = app::register::register();
        for (kind, table, _) in reg.export_tables() {
            let path = format!("{}/{}.csv", kind.key, table.name);
            let csv = files.get(&path).unwrap_or_else(|| panic!("{path} missing"));
            let header = csv.trim_start_matches('\u{feff}').lines().next().unwrap();
            assert_eq!(header, table.export.join(";"), "{path}");
        }
        // The demo's rows are there.
        let rows = |path: &str| data_rows(&files[path]);
        assert_eq!(rows("organisatie/organisations.csv"), 1);
        assert_eq!(
            rows("organisatie/teams.csv"),
            s.all_teams(org.id).await.unwrap().len()
        );
        assert_eq!(rows("accounts/users.csv"), users.len());
        assert_eq!(rows("accounts/api_tokens.csv"), 1);
        assert!(files["accounts/api_tokens.csv"].contains("Koppeling"));
        assert!(files["accounts/users.csv"].contains(&admin.email));
        assert!(rows("hr/hr_snapshots.csv") >= 1);
        assert!(rows("hr/hr_employees.csv") >= 20);
        assert!(rows("enquete/survey_rounds.csv") >= 1);
        assert!(rows("logboek/audit_log.csv") >= 1);
        let filled = files
            .iter()
            .filter(|(p, t)| {
                p.ends_with(".csv") && !p.starts_with("enquete/uitkomsten") && data_rows(t) > 0
            })
            .count();
        assert!(filled >= 15, "only {filled} tables have rows");
        // Published results of each closed round, with suppression as on the page.
        let closed: Vec<_> = s
            .survey_rounds(org.id)
            .await
            .unwrap()
            .into_iter()
            .filter(|r| r.status == "gesloten")
            .collect();
        assert!(!closed.is_empty(), "the demo has a closed round");
        for r in &closed {
            let json = &files[&format!("enquete/uitkomsten-ronde-{}.json", r.id)];
            let v: serde_json::Value = serde_json::from_str(json).unwrap();
            assert!(v.get("min_group_size").is_some(), "{v}");
            assert!(files.contains_key(&format!("enquete/uitkomsten-ronde-{}.csv", r.id)));
        }
        // The README names every file, explains columns and what is left out.
        let readme = &files["README.txt"];
        for path in files.keys().filter(|p| *p != "README.txt") {
            let named = if let Some(stem) = path.strip_suffix(".json") {
                readme.contains(stem)
            } else {
                readme.contains(path.trim_end_matches(".csv"))
            };
            assert!(named, "README does not name {path}");
        }
        for needle in [
            "pseudoniem",
            "Losse antwoorden op de enquête",
            "wachtwoord",
            "survey_responses",
            "fwg_scale: FWG-schaal.",
        ] {
            assert!(
                readme.to_lowercase().contains(&needle.to_lowercase()),
                "README lacks {needle}"
            );
        }
        // Nothing secret, no raw answer, no other organisation.
        for (path, text) in &files {
            for secret in &secrets {
                assert!(!text.contains(secret.as_str()), "{path} holds a secret");
            }
            for answers in &raw_answers {
                assert!(
                    !text.contains(answers.as_str()),
                    "{path} holds a raw answer"
                );
            }
            assert!(
                !text.contains("Stichting Twentse Horizon"),
                "{path} names another organisation"
            );
        }

        // Every export is audited.
        let audit = s.audit_entries(50, None).await.unwrap();
        let entry = audit
            .iter()
            .find(|e| e.action == app::export::AUDIT_ACTION)
            .expect("an audit entry of the export");
        assert_eq!(entry.org_id, Some(org.id));
        assert!(entry.actor.contains(&admin.email));
    })
    .await;
}

#[tokio::test]
async fn only_the_organisations_admins_and_the_programme_may_export() {
    for_each_backend(|s| async move {
        app::demo::load(&s).await.unwrap().expect("empty database");
        let dinkel = s.find_organisation("Zorggroep De Dinkel").await.unwrap();
        let other = s
            .find_organisation("Stichting Twentse Horizon")
            .await
            .unwrap();
        let of = |org_id: i64, role: Role| {
            let s = s.clone();
            async move {
                s.users(Some(org_id))
                    .await
                    .unwrap()
                    .into_iter()
                    .find(|u| u.role == role)
                    .unwrap()
            }
        };
        let other_admin = of(other.id, Role::OrgAdmin).await;
        let manager = of(dinkel.id, Role::Manager).await;
        let planner = of(dinkel.id, Role::Planner).await;
        let before = s.audit_entries(1000, None).await.unwrap().len();
        assert!(matches!(
            app::export::organisation_export(&s, Caller::User(&other_admin), dinkel.id).await,
            Err(AppError::NotFound)
        ));
        for u in [&manager, &planner] {
            assert!(matches!(
                app::export::organisation_export(&s, Caller::User(u), dinkel.id).await,
                Err(AppError::Forbidden)
            ));
        }
        assert_eq!(before, s.audit_entries(1000, None).await.unwrap().len());
        let programme = s
            .users(None)
            .await
            .unwrap()
            .into_iter()
            .find(|u| u.role == Role::ProgrammeAdmin)
            .unwrap();
        let bytes = app::export::organisation_export(&s, Caller::User(&programme), dinkel.id)
            .await
            .unwrap();
        assert!(unzip(&bytes).contains_key("README.txt"));
        assert!(matches!(
            app::export::organisation_export(&s, Caller::Operator, 999_999).await,
            Err(AppError::NotFound)
        ));
    })
    .await;
}
