//! The processing register (verwerkingsregister, AVG art. 30, issue 34): per data kind
//! what is stored, why, on which legal basis, for how long and who can see it, with the
//! tables of the schema that hold it. One data file (`register/verwerkingsregister.toml`)
//! feeds the register page, its JSON API and the organisation export (which tables and
//! columns go into the ZIP), and a test fails when a table of the schema is in no kind or
//! in two, so the register cannot silently fall behind the schema.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};
use store::{ExportScope, ExportTable};

/// One table of a data kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegisterTable {
    pub name: String,
    /// How rows belong to an organisation: a column equal to its id (`org_id`), or
    /// `column in parent` (rows of a parent table that has `org_id`).
    #[serde(default)]
    pub scope: Option<String>,
    /// The columns the export writes, in order (never a secret).
    #[serde(default)]
    pub export: Vec<String>,
    /// Why the table is not in the export (Dutch), for tables without `export`.
    #[serde(default)]
    pub not_exported: Option<String>,
}

/// One data kind of the register (texts in Dutch, B1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Kind {
    pub key: String,
    pub name: String,
    pub what: String,
    pub purpose: String,
    /// The legal basis (AVG art. 6).
    pub basis: String,
    /// How long it is kept.
    pub retention: String,
    /// The retention period of `crate::retention` that applies, if any.
    #[serde(default)]
    pub retention_setting: Option<String>,
    /// Who can see it.
    pub roles: String,
    #[serde(rename = "table")]
    pub tables: Vec<RegisterTable>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RegisterFile {
    kind: Vec<Kind>,
    column: BTreeMap<String, String>,
}

/// The register: the kinds in the file's order and the column descriptions.
#[derive(Debug)]
pub struct Register {
    pub kinds: Vec<Kind>,
    columns: BTreeMap<String, String>,
}

const SOURCE: &str = include_str!("../register/verwerkingsregister.toml");

fn is_identifier(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// Parses a table's `scope`.
fn parse_scope(scope: &str) -> Result<ExportScope, String> {
    let parts: Vec<&str> = scope.split_whitespace().collect();
    match parts.as_slice() {
        [column] if is_identifier(column) => Ok(ExportScope::Column((*column).into())),
        [column, "in", parent] if is_identifier(column) && is_identifier(parent) => {
            Ok(ExportScope::Via {
                column: (*column).into(),
                parent: (*parent).into(),
            })
        }
        _ => Err(format!(
            "scope '{scope}' is not 'column' or 'column in parent'"
        )),
    }
}

impl Register {
    /// Parses and checks the file: unique kind keys and tables, every texts filled, each
    /// table either exported (scope and columns) or with a reason, every exported column
    /// described.
    fn load(source: &str) -> Result<Register, String> {
        let file: RegisterFile = toml::from_str(source).map_err(|e| e.to_string())?;
        let reg = Register {
            kinds: file.kind,
            columns: file.column,
        };
        let mut keys = BTreeSet::new();
        let mut tables = BTreeSet::new();
        for k in &reg.kinds {
            if !keys.insert(k.key.as_str()) || !is_identifier(&k.key) {
                return Err(format!("kind key '{}' twice or not plain", k.key));
            }
            for text in [
                &k.name,
                &k.what,
                &k.purpose,
                &k.basis,
                &k.retention,
                &k.roles,
            ] {
                if text.trim().is_empty() {
                    return Err(format!("kind '{}' has an empty text", k.key));
                }
            }
            if let Some(setting) = &k.retention_setting
                && !crate::retention::SPECS.iter().any(|s| s.key == setting)
            {
                return Err(format!(
                    "kind '{}': unknown retention_setting {setting}",
                    k.key
                ));
            }
            if k.tables.is_empty() {
                return Err(format!("kind '{}' has no tables", k.key));
            }
            for t in &k.tables {
                if !tables.insert(t.name.as_str()) || !is_identifier(&t.name) {
                    return Err(format!("table '{}' twice or not plain", t.name));
                }
                match (&t.scope, t.export.is_empty(), &t.not_exported) {
                    (Some(scope), false, None) => {
                        parse_scope(scope)?;
                    }
                    (None, true, Some(why)) if !why.trim().is_empty() => {}
                    _ => {
                        return Err(format!(
                            "table '{}' needs scope and export, or only not_exported",
                            t.name
                        ));
                    }
                }
                let mut seen = BTreeSet::new();
                for c in &t.export {
                    if !is_identifier(c) || !seen.insert(c) {
                        return Err(format!("column '{}.{c}' twice or not plain", t.name));
                    }
                    if reg.describe(&t.name, c).is_none() {
                        return Err(format!("column '{}.{c}' has no description", t.name));
                    }
                }
            }
        }
        Ok(reg)
    }

    /// The description of an exported column (the table's own, or the shared one).
    pub fn describe(&self, table: &str, column: &str) -> Option<&str> {
        self.columns
            .get(&format!("{table}.{column}"))
            .or_else(|| self.columns.get(column))
            .map(String::as_str)
    }

    /// Every table of the register with the key of its kind.
    pub fn tables(&self) -> impl Iterator<Item = (&Kind, &RegisterTable)> {
        self.kinds
            .iter()
            .flat_map(|k| k.tables.iter().map(move |t| (k, t)))
    }

    /// The tables the organisation export reads, with their kind.
    pub fn export_tables(&self) -> Vec<(&Kind, &RegisterTable, ExportTable)> {
        self.tables()
            .filter_map(|(k, t)| {
                let scope = parse_scope(t.scope.as_deref()?).ok()?;
                Some((
                    k,
                    t,
                    ExportTable {
                        table: t.name.clone(),
                        columns: t.export.clone(),
                        scope,
                    },
                ))
            })
            .collect()
    }
}

impl Kind {
    /// How long it is kept, with the period in force when a retention setting applies.
    pub fn retention_now(&self, periods: &crate::retention::Retention) -> String {
        match self.retention_setting.as_deref() {
            Some(key) => format!(
                "{} Bewaartermijn nu: {}.",
                self.retention,
                crate::retention::describe(key, periods.get(key))
            ),
            None => self.retention.clone(),
        }
    }
}

/// A kind as the register page and its JSON show it: the period in force filled in.
#[derive(Debug, Clone, Serialize)]
pub struct KindView {
    pub key: String,
    pub name: String,
    pub what: String,
    pub purpose: String,
    pub basis: String,
    pub retention: String,
    pub retention_setting: Option<String>,
    pub roles: String,
    pub tables: Vec<RegisterTable>,
}

/// The register for the programme admin (and the operator), with the retention periods
/// in force.
pub async fn view(
    store: &store::Store,
    by: crate::access::Caller<'_>,
) -> Result<Vec<KindView>, crate::AppError> {
    by.require_programme_admin()?;
    let periods = crate::retention::current(store).await?;
    Ok(register()
        .kinds
        .iter()
        .map(|k| KindView {
            key: k.key.clone(),
            name: k.name.clone(),
            what: k.what.clone(),
            purpose: k.purpose.clone(),
            basis: k.basis.clone(),
            retention: k.retention_now(&periods),
            retention_setting: k.retention_setting.clone(),
            roles: k.roles.clone(),
            tables: k.tables.clone(),
        })
        .collect())
}

static REGISTER: LazyLock<Register> = LazyLock::new(|| {
    Register::load(SOURCE).unwrap_or_else(|e| panic!("register/verwerkingsregister.toml: {e}"))
});

/// The processing register (checked when first used; a unit test checks it at build).
pub fn register() -> &'static Register {
    &REGISTER
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_register_file_loads_and_is_complete() {
        let reg = Register::load(SOURCE).unwrap();
        assert!(reg.kinds.len() >= 10);
        let exported = reg.export_tables();
        assert!(exported.len() >= 30, "{}", exported.len());
        // Secrets are never exported, whatever the table.
        for (_, t, _) in &exported {
            for c in &t.export {
                assert!(
                    !c.contains("hash")
                        && !c.contains("password")
                        && !c.contains("token")
                        && !c.contains("key")
                        && !c.contains("sealed")
                        && c != "payload"
                        && c != "code",
                    "{}.{c} looks secret",
                    t.name
                );
            }
        }
        for raw in ["survey_responses", "survey_drafts", "survey_free_texts"] {
            assert!(
                exported.iter().all(|(_, t, _)| t.name != raw),
                "{raw} must not be exported"
            );
        }
    }

    #[test]
    fn broken_register_files_are_refused() {
        let base = "[column]\nid = \"Nummer.\"\n[[kind]]\nkey = \"k\"\nname = \"n\"\n\
                    what = \"w\"\npurpose = \"p\"\nbasis = \"b\"\nretention = \"r\"\n\
                    roles = \"o\"\n";
        let ok = format!(
            "{base}[[kind.table]]\nname = \"teams\"\nscope = \"org_id\"\nexport = [\"id\"]\n"
        );
        assert!(Register::load(&ok).is_ok());
        for (table, why) in [
            (
                "name = \"teams\"\nscope = \"org_id\"\nexport = [\"name\"]\n",
                "undescribed",
            ),
            ("name = \"teams\"\nexport = [\"id\"]\n", "no scope"),
            (
                "name = \"teams\"\nscope = \"org_id\"\nexport = [\"id\"]\nnot_exported = \"x\"\n",
                "both",
            ),
            ("name = \"teams\"\n", "neither"),
            (
                "name = \"teams\"\nscope = \"org_id; DROP\"\nexport = [\"id\"]\n",
                "bad scope",
            ),
            (
                "name = \"teams\"\nscope = \"team_id of teams\"\nexport = [\"id\"]\n",
                "bad via",
            ),
        ] {
            let src = format!("{base}[[kind.table]]\n{table}");
            assert!(Register::load(&src).is_err(), "{why}");
        }
        let twice = format!("{ok}[[kind.table]]\nname = \"teams\"\nnot_exported = \"x\"\n");
        assert!(Register::load(&twice).is_err(), "a table twice");
    }
}
