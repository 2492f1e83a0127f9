//! Deleting an organisation (AVG/GDPR: the right to erasure of a whole controller's
//! data): after `app::orgs::delete_organisation`, no table of the schema — enumerated from
//! the database itself, so a table added later is checked too — holds a row of the
//! organisation, of its teams or of its accounts, and no text naming it except the one
//! audit entry that records the deletion (SQLite, and PostgreSQL when configured).

use store::Role;

use crate::for_each_backend;

#[tokio::test]
async fn an_organisation_is_deleted_completely_from_every_table() {
    for_each_backend(|s| async move {
        app::demo::load(&s).await.unwrap().expect("empty database");
        let org = s.find_organisation("Zorggroep De Dinkel").await.unwrap();
        let teams: Vec<i64> = s
            .all_teams(org.id)
            .await
            .unwrap()
            .iter()
            .map(|t| t.id)
            .collect();
        let users = s.users(Some(org.id)).await.unwrap();
        let user_ids: Vec<i64> = users.iter().map(|u| u.id).collect();
        let emails: Vec<String> = users.iter().map(|u| u.email.clone()).collect();
        assert!(!teams.is_empty() && !users.is_empty());
        let shape = s.schema_shape().await.unwrap();

        // What refers to the organisation, its teams or its accounts, per column kind.
        let ids_of = |column: &str| -> Option<&[i64]> {
            match column {
                "org_id" => Some(std::slice::from_ref(&org.id)),
                "team_id" => Some(&teams),
                "user_id" | "actor_id" | "created_by" | "owner_user_id" | "updated_by" => {
                    Some(&user_ids)
                }
                _ => None,
            }
        };
        let count_refs = |s: store::Store| {
            let shape = shape.clone();
            let emails = emails.clone();
            let name = org.name.clone();
            async move {
                let mut found = Vec::new();
                for c in &shape.columns {
                    if c.family == "integer"
                        && let Some(ids) = ids_of(&c.column)
                    {
                        for id in ids {
                            let n = s.count_rows_equal(&c.table, &c.column, *id).await.unwrap();
                            if n > 0 {
                                found.push(format!("{}.{} = {id}: {n}", c.table, c.column));
                            }
                        }
                    }
                    if c.family == "text" {
                        for needle in emails.iter().chain(std::iter::once(&name)) {
                            let n = s
                                .count_rows_containing(&c.table, &c.column, needle)
                                .await
                                .unwrap();
                            if n > 0 {
                                found.push(format!("{}.{} ~ {needle}: {n}", c.table, c.column));
                            }
                        }
                    }
                }
                found
            }
        };
        let before = count_refs(s.clone()).await;
        let tables: std::collections::BTreeSet<&str> = before
            .iter()
            .map(|f| f.split('.').next().unwrap())
            .collect();
        assert!(
            tables.len() >= 15,
            "the demo organisation should fill most tables: {tables:?}"
        );

        let admin = s
            .users(None)
            .await
            .unwrap()
            .into_iter()
            .find(|u| u.role == Role::ProgrammeAdmin)
            .unwrap();
        app::orgs::delete_organisation(&s, &admin, org.id)
            .await
            .unwrap();

        let after = count_refs(s.clone()).await;
        // Only the audit entry of the deletion itself names it.
        assert_eq!(
            after,
            vec![format!("audit_log.target ~ {}: 1", org.name)],
            "left behind after deleting {}",
            org.name
        );
        // The rest of the region is untouched.
        assert!(
            s.find_organisation("Stichting Twentse Horizon")
                .await
                .is_ok()
        );
    })
    .await;
}
