//! Retention per data kind (issue 34): the deletes the purge job runs with the periods an
//! administrator set (`app::retention`). Each takes its cut-off from the caller, so the
//! clock and the settings stay in `app`.

use crate::{Store, StoreResult};

impl Store {
    /// Deletes HR snapshots (with their employees) whose peildatum is before `cutoff`
    /// (ISO date), in one transaction; organisations that lose a snapshot get a new data
    /// version, so their kept regional figures are recomputed.
    pub async fn purge_hr_snapshots_before(&self, cutoff: &str) -> StoreResult<u64> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "UPDATE organisations SET data_version = data_version + 1 WHERE id IN \
             (SELECT org_id FROM hr_snapshots WHERE peildatum < $1)",
        )
        .bind(cutoff)
        .execute(&mut *tx)
        .await?;
        for table in ["hr_snapshot_packs", "hr_employees"] {
            sqlx::query(&format!(
                "DELETE FROM {table} WHERE snapshot_id IN \
                 (SELECT id FROM hr_snapshots WHERE peildatum < $1)"
            ))
            .bind(cutoff)
            .execute(&mut *tx)
            .await?;
        }
        let done = sqlx::query("DELETE FROM hr_snapshots WHERE peildatum < $1")
            .bind(cutoff)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(done.rows_affected())
    }

    /// Deletes uploads waiting for their mapping step that were made before `created_before`
    /// (unix seconds), whatever their expiry.
    pub async fn purge_uploads_created_before(&self, created_before: i64) -> StoreResult<u64> {
        let done = sqlx::query("DELETE FROM upload_stash WHERE created_at < $1")
            .bind(created_before)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected())
    }

    /// Deletes survey drafts last saved before `day` (ISO date).
    pub async fn purge_survey_drafts_before(&self, day: &str) -> StoreResult<u64> {
        let done = sqlx::query("DELETE FROM survey_drafts WHERE day < $1")
            .bind(day)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected())
    }

    /// Deletes audit entries made before `before` (unix seconds).
    pub async fn purge_audit_before(&self, before: i64) -> StoreResult<u64> {
        let done = sqlx::query("DELETE FROM audit_log WHERE at < $1")
            .bind(before)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected())
    }
}
