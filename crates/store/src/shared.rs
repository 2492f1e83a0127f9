//! State shared by every instance that once lived in one process's memory: HR uploads
//! waiting for the mapping step (`upload_stash`) and the open-link throttle
//! (`link_attempts`). This module stores what it is given: the upload payload arrives
//! sealed by `app::uploads`, the throttle's keys arrive hashed by `app::throttle`.

use sqlx::Row;

use crate::{Store, StoreError, StoreResult};

/// A sealed upload as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StashedUpload {
    pub org_id: i64,
    pub user_id: i64,
    pub kind: String,
    pub created_at: i64,
    pub expires_at: i64,
    /// The sealed payload (base64 text).
    pub payload: String,
}

/// What to stash: the token's hash, owner, kind, lifetime and the sealed payload.
#[derive(Debug, Clone)]
pub struct NewStashedUpload<'a> {
    pub token_hash: &'a str,
    pub org_id: i64,
    pub user_id: i64,
    pub kind: &'a str,
    pub now: i64,
    pub expires_at: i64,
    pub payload: &'a str,
    /// At most this many live uploads per user: the oldest ones go first.
    pub max_per_user: usize,
}

impl Store {
    /// Stores an upload and removes the user's oldest live uploads beyond
    /// `max_per_user`, and the user's expired ones, in one transaction.
    pub async fn stash_upload(&self, u: &NewStashedUpload<'_>) -> StoreResult<()> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM upload_stash WHERE user_id = $1 AND expires_at <= $2")
            .bind(u.user_id)
            .bind(u.now)
            .execute(&mut *tx)
            .await?;
        let keep = u.max_per_user.saturating_sub(1) as i64;
        sqlx::query(
            "DELETE FROM upload_stash WHERE user_id = $1 AND token_hash NOT IN \
             (SELECT token_hash FROM upload_stash WHERE user_id = $1 \
              ORDER BY created_at DESC, token_hash LIMIT $2)",
        )
        .bind(u.user_id)
        .bind(keep)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO upload_stash (token_hash, org_id, user_id, kind, created_at, \
             expires_at, payload) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(u.token_hash)
        .bind(u.org_id)
        .bind(u.user_id)
        .bind(u.kind)
        .bind(u.now)
        .bind(u.expires_at)
        .bind(u.payload)
        .execute(&mut *tx)
        .await
        .map_err(|e| {
            if Store::is_unique_violation(&e) {
                StoreError::Conflict("upload token".into())
            } else {
                e.into()
            }
        })?;
        tx.commit().await?;
        Ok(())
    }

    /// The live upload with this token hash of this organisation and user; not found
    /// when it is another's, or expired at `now`.
    pub async fn stashed_upload(
        &self,
        token_hash: &str,
        org_id: i64,
        user_id: i64,
        now: i64,
    ) -> StoreResult<StashedUpload> {
        let row = sqlx::query(
            "SELECT org_id, user_id, kind, created_at, expires_at, payload FROM upload_stash \
             WHERE token_hash = $1 AND org_id = $2 AND user_id = $3 AND expires_at > $4",
        )
        .bind(token_hash)
        .bind(org_id)
        .bind(user_id)
        .bind(now)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(StoreError::NotFound)?;
        Ok(StashedUpload {
            org_id: row.try_get("org_id")?,
            user_id: row.try_get("user_id")?,
            kind: row.try_get("kind")?,
            created_at: row.try_get("created_at")?,
            expires_at: row.try_get("expires_at")?,
            payload: row.try_get("payload")?,
        })
    }

    /// Replaces the sealed payload of a live upload of this organisation and user.
    pub async fn update_stashed_upload(
        &self,
        token_hash: &str,
        org_id: i64,
        user_id: i64,
        now: i64,
        payload: &str,
    ) -> StoreResult<()> {
        let done = sqlx::query(
            "UPDATE upload_stash SET payload = $1 WHERE token_hash = $2 AND org_id = $3 \
             AND user_id = $4 AND expires_at > $5",
        )
        .bind(payload)
        .bind(token_hash)
        .bind(org_id)
        .bind(user_id)
        .bind(now)
        .execute(&self.pool)
        .await?;
        crate::require_found(&done)
    }

    /// Deletes an upload of this organisation and user (done or cancelled).
    pub async fn delete_stashed_upload(
        &self,
        token_hash: &str,
        org_id: i64,
        user_id: i64,
    ) -> StoreResult<()> {
        let done = sqlx::query(
            "DELETE FROM upload_stash WHERE token_hash = $1 AND org_id = $2 AND user_id = $3",
        )
        .bind(token_hash)
        .bind(org_id)
        .bind(user_id)
        .execute(&self.pool)
        .await?;
        crate::require_found(&done)
    }

    /// Removes uploads expired at `now`; returns how many.
    pub async fn purge_expired_uploads(&self, now: i64) -> StoreResult<u64> {
        let done = sqlx::query("DELETE FROM upload_stash WHERE expires_at <= $1")
            .bind(now)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected())
    }

    /// Counts one attempt in the fixed window starting at `window_start` (ending at
    /// `expires_at`) and returns the attempts in that window including this one.
    pub async fn count_link_attempt(
        &self,
        token_hash: &str,
        client_hash: &str,
        kind: &str,
        window_start: i64,
        expires_at: i64,
    ) -> StoreResult<i64> {
        let _turn = self.write_turn().await;
        let row = sqlx::query(
            "INSERT INTO link_attempts (token_hash, client_hash, kind, window_start, attempts, \
             expires_at) VALUES ($1, $2, $3, $4, 1, $5) \
             ON CONFLICT (token_hash, client_hash, kind, window_start) \
             DO UPDATE SET attempts = link_attempts.attempts + 1 RETURNING attempts",
        )
        .bind(token_hash)
        .bind(client_hash)
        .bind(kind)
        .bind(window_start)
        .bind(expires_at)
        .fetch_one(&self.pool)
        .await?;
        Ok(row.try_get("attempts")?)
    }

    /// Removes throttle windows that ended at `now`; returns how many.
    pub async fn purge_expired_link_attempts(&self, now: i64) -> StoreResult<u64> {
        let done = sqlx::query("DELETE FROM link_attempts WHERE expires_at <= $1")
            .bind(now)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected())
    }
}
