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
        let rows = sqlx::query(
            "SELECT id, at, actor_id, actor, org_id, action, target, detail FROM audit_log \
             WHERE id < $1 ORDER BY id DESC LIMIT $2",
        )
        .bind(before_id.unwrap_or(i64::MAX))
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
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
}
