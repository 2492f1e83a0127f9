//! The audit log of admin actions: who did what, when.

use sqlx::Row;

use crate::{AuditEntry, Store, StoreResult};

/// Who performed an action: a user, or the command line.
#[derive(Debug, Clone)]
pub struct Actor {
    pub id: Option<i64>,
    pub label: String,
}

impl Actor {
    pub fn cli() -> Actor {
        Actor {
            id: None,
            label: "command line".into(),
        }
    }
}

impl Store {
    pub async fn audit(
        &self,
        actor: &Actor,
        org_id: Option<i64>,
        action: &str,
        target: &str,
        detail: &str,
    ) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO audit_log (at, actor_id, actor, org_id, action, target, detail) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(crate::now())
        .bind(actor.id)
        .bind(&actor.label)
        .bind(org_id)
        .bind(action)
        .bind(target)
        .bind(detail)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The newest entries first; `before_id` pages back.
    pub async fn audit_entries(
        &self,
        limit: i64,
        before_id: Option<i64>,
    ) -> StoreResult<Vec<AuditEntry>> {
        self.audit_entries_filtered(
            &AuditFilter {
                before_id,
                ..AuditFilter::default()
            },
            limit,
        )
        .await
    }

    /// The entries that pass `filter`, newest first (by id, so the order is stable and
    /// `before_id` pages back without gaps or repeats).
    pub async fn audit_entries_filtered(
        &self,
        filter: &AuditFilter,
        limit: i64,
    ) -> StoreResult<Vec<AuditEntry>> {
        let (clause, binds) = filter.clause(2);
        let sql = format!(
            "SELECT id, at, actor_id, actor, org_id, action, target, detail FROM audit_log \
             WHERE id < $1{clause} ORDER BY id DESC LIMIT ${}",
            binds.len() + 2
        );
        let mut q = sqlx::query(&sql).bind(filter.before_id.unwrap_or(i64::MAX));
        for b in &binds {
            q = match b {
                Bind::Int(v) => q.bind(*v),
                Bind::Text(v) => q.bind(v.clone()),
            };
        }
        let rows = q.bind(limit).fetch_all(&self.pool).await?;
        rows.iter()
            .map(|r| {
                Ok(AuditEntry {
                    id: r.try_get("id")?,
                    at: r.try_get("at")?,
                    actor_id: r.try_get("actor_id")?,
                    actor: r.try_get("actor")?,
                    org_id: r.try_get("org_id")?,
                    action: r.try_get("action")?,
                    target: r.try_get("target")?,
                    detail: r.try_get("detail")?,
                })
            })
            .collect()
    }

    /// The distinct actors and action codes of the entries of `org_id` (all entries when
    /// `None`), sorted: the choices of the log's filters.
    pub async fn audit_choices(&self, org_id: Option<i64>) -> StoreResult<AuditChoices> {
        let filter = AuditFilter {
            org_id,
            ..AuditFilter::default()
        };
        let (clause, binds) = filter.clause(1);
        let mut out = AuditChoices::default();
        for (column, into) in [("actor", &mut out.actors), ("action", &mut out.actions)] {
            let sql = format!(
                "SELECT DISTINCT {column} AS v FROM audit_log WHERE 1 = 1{clause} ORDER BY v"
            );
            let mut q = sqlx::query(&sql);
            for b in &binds {
                q = match b {
                    Bind::Int(v) => q.bind(*v),
                    Bind::Text(v) => q.bind(v.clone()),
                };
            }
            for r in q.fetch_all(&self.pool).await? {
                into.push(r.try_get("v")?);
            }
        }
        Ok(out)
    }
}

/// Which audit entries to read: each `Some` narrows the list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    /// Only entries about this organisation.
    pub org_id: Option<i64>,
    /// Only entries by this actor (the exact label, `Name <email>` or "command line").
    pub actor: Option<String>,
    /// Only entries with this action code.
    pub action: Option<String>,
    /// Only entries older than this id (paging back).
    pub before_id: Option<i64>,
}

/// The actors and action codes that occur in a log.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditChoices {
    pub actors: Vec<String>,
    pub actions: Vec<String>,
}

enum Bind {
    Int(i64),
    Text(String),
}

impl AuditFilter {
    /// The `AND …` conditions for org, actor and action, numbered from `$first`, with
    /// their values in order.
    fn clause(&self, first: usize) -> (String, Vec<Bind>) {
        let mut sql = String::new();
        let mut binds = Vec::new();
        if let Some(org) = self.org_id {
            binds.push(Bind::Int(org));
            sql.push_str(&format!(" AND org_id = ${}", first + binds.len() - 1));
        }
        if let Some(actor) = &self.actor {
            binds.push(Bind::Text(actor.clone()));
            sql.push_str(&format!(" AND actor = ${}", first + binds.len() - 1));
        }
        if let Some(action) = &self.action {
            binds.push(Bind::Text(action.clone()));
            sql.push_str(&format!(" AND action = ${}", first + binds.len() - 1));
        }
        (sql, binds)
    }
}
