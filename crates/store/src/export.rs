//! Reading one organisation's rows table by table, for the data export (AVG/GDPR right of
//! access and portability, issue 34). Which tables and columns are read, and how a table
//! belongs to an organisation, is data the caller passes in (`app`'s processing register);
//! this module only turns that into SQL, with every name checked to be a plain identifier.
//! The caller lists the columns it wants, so a secret column (a password or token hash, a
//! sealed payload) is never read unless a caller names it.

use sqlx::Row;

use crate::{Store, StoreError, StoreResult};

/// How the rows of a table belong to an organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExportScope {
    /// `column = org_id` (e.g. `org_id`, or `id` for `organisations` itself).
    Column(String),
    /// `column IN (SELECT id FROM parent WHERE org_id = $1)`: rows of a parent table that
    /// belongs to the organisation directly (e.g. `hr_employees.snapshot_id` in
    /// `hr_snapshots`).
    Via { column: String, parent: String },
}

/// One table to read: its name, the columns in order, and its scope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportTable {
    pub table: String,
    pub columns: Vec<String>,
    pub scope: ExportScope,
}

/// One stored value as the database holds it.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
}

fn quoted(identifier: &str) -> StoreResult<String> {
    if identifier.is_empty()
        || !identifier
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    {
        return Err(StoreError::Config(format!(
            "not a plain identifier: {identifier}"
        )));
    }
    Ok(format!("\"{identifier}\""))
}

fn select_sql(t: &ExportTable) -> StoreResult<String> {
    if t.columns.is_empty() {
        return Err(StoreError::Config(format!("no columns for {}", t.table)));
    }
    let columns = t
        .columns
        .iter()
        .map(|c| quoted(c))
        .collect::<StoreResult<Vec<_>>>()?
        .join(", ");
    let filter = match &t.scope {
        ExportScope::Column(c) => format!("{} = $1", quoted(c)?),
        ExportScope::Via { column, parent } => format!(
            "{} IN (SELECT id FROM {} WHERE org_id = $1)",
            quoted(column)?,
            quoted(parent)?
        ),
    };
    let order = (1..=t.columns.len())
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join(", ");
    Ok(format!(
        "SELECT {columns} FROM {} WHERE {filter} ORDER BY {order}",
        quoted(&t.table)?
    ))
}

fn cell(row: &sqlx::any::AnyRow, i: usize) -> StoreResult<Cell> {
    if let Ok(v) = row.try_get::<Option<i64>, _>(i) {
        return Ok(v.map_or(Cell::Null, Cell::Int));
    }
    if let Ok(v) = row.try_get::<Option<f64>, _>(i) {
        return Ok(v.map_or(Cell::Null, Cell::Real));
    }
    Ok(row
        .try_get::<Option<String>, _>(i)?
        .map_or(Cell::Null, Cell::Text))
}

impl Store {
    /// The rows of `org_id` in each of `tables` (same order), read in one transaction so
    /// the files of one export agree with each other. Rows are ordered by their columns.
    pub async fn organisation_rows(
        &self,
        org_id: i64,
        tables: &[ExportTable],
    ) -> StoreResult<Vec<Vec<Vec<Cell>>>> {
        let sqls = tables
            .iter()
            .map(select_sql)
            .collect::<StoreResult<Vec<_>>>()?;
        self.organisation(org_id).await?;
        let mut tx = self.pool.begin().await?;
        let mut out = Vec::with_capacity(tables.len());
        for (t, sql) in tables.iter().zip(&sqls) {
            let rows = sqlx::query(sql).bind(org_id).fetch_all(&mut *tx).await?;
            let mut table = Vec::with_capacity(rows.len());
            for row in &rows {
                table.push(
                    (0..t.columns.len())
                        .map(|i| cell(row, i))
                        .collect::<StoreResult<Vec<_>>>()?,
                );
            }
            out.push(table);
        }
        tx.commit().await?;
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_identifiers_become_sql() {
        let t = ExportTable {
            table: "hr_employees".into(),
            columns: vec!["pseudonym".into(), "team".into()],
            scope: ExportScope::Via {
                column: "snapshot_id".into(),
                parent: "hr_snapshots".into(),
            },
        };
        assert_eq!(
            select_sql(&t).unwrap(),
            "SELECT \"pseudonym\", \"team\" FROM \"hr_employees\" WHERE \"snapshot_id\" IN \
             (SELECT id FROM \"hr_snapshots\" WHERE org_id = $1) ORDER BY 1, 2"
        );
        for bad in ["users; DROP TABLE users", "a\"b", "", "Users"] {
            let t = ExportTable {
                table: bad.into(),
                columns: vec!["id".into()],
                scope: ExportScope::Column("org_id".into()),
            };
            assert!(select_sql(&t).is_err(), "{bad:?}");
        }
        let none = ExportTable {
            table: "users".into(),
            columns: vec![],
            scope: ExportScope::Column("org_id".into()),
        };
        assert!(select_sql(&none).is_err());
    }
}
