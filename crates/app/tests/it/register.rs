//! The processing register covers the schema: every table of the migrated database (read
//! from the database itself, so a table added by a later migration is checked too) is in
//! exactly one data kind of `register/verwerkingsregister.toml`, and every column the
//! export names exists (SQLite, and PostgreSQL when configured).

use std::collections::{BTreeMap, BTreeSet};

use crate::for_each_backend;

#[tokio::test]
async fn every_table_is_in_exactly_one_kind_of_the_register() {
    for_each_backend(|s| async move {
        let shape = s.schema_shape().await.unwrap();
        let mut columns: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        for c in &shape.columns {
            columns.entry(&c.table).or_default().insert(&c.column);
        }
        let reg = app::register::register();
        let mut in_register: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for (kind, table) in reg.tables() {
            in_register.entry(&table.name).or_default().push(&kind.key);
        }
        let missing: Vec<&&str> = columns
            .keys()
            .filter(|t| !in_register.contains_key(*t))
            .collect();
        assert!(
            missing.is_empty(),
            "tables without an entry in register/verwerkingsregister.toml: {missing:?}"
        );
        for (table, kinds) in &in_register {
            assert_eq!(kinds.len(), 1, "{table} is in {kinds:?}");
            assert!(
                columns.contains_key(table),
                "{table} is in the register but not in the schema"
            );
        }
        for (_, table, spec) in reg.export_tables() {
            let have = &columns[table.name.as_str()];
            for c in &table.export {
                assert!(
                    have.contains(c.as_str()),
                    "{}.{c} does not exist",
                    table.name
                );
            }
            match &spec.scope {
                store::ExportScope::Column(c) => assert!(have.contains(c.as_str())),
                store::ExportScope::Via { column, parent } => {
                    assert!(have.contains(column.as_str()), "{}.{column}", table.name);
                    assert!(columns[parent.as_str()].contains("org_id"), "{parent}");
                }
            }
        }
    })
    .await;
}
