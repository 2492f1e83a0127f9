//! Sessions, API tokens and login throttling. Secrets are stored only as hashes.

use sqlx::Row;

use crate::{ApiTokenInfo, SessionInfo, Store, StoreError, StoreResult, User};

impl Store {
    /// Stores a session for `user_id`; returns nothing, the caller keeps the secret id.
    pub async fn create_session(
        &self,
        id_hash: &str,
        user_id: i64,
        csrf_token: &str,
        expires_at: i64,
    ) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id_hash)
        .bind(user_id)
        .bind(csrf_token)
        .bind(crate::now())
        .bind(expires_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Loads a live session of an active user.
    pub async fn session(&self, id_hash: &str) -> StoreResult<SessionInfo> {
        let row = sqlx::query(
            "SELECT s.user_id AS user_id, s.csrf_token AS csrf_token, s.expires_at AS expires_at \
             FROM sessions s JOIN users u ON u.id = s.user_id \
             WHERE s.id_hash = $1 AND s.expires_at > $2 AND u.active = 1",
        )
        .bind(id_hash)
        .bind(crate::now())
        .fetch_optional(&self.pool)
        .await?
        .ok_or(StoreError::NotFound)?;
        let user: User = self.user(row.try_get("user_id")?).await?;
        Ok(SessionInfo {
            user,
            csrf_token: row.try_get("csrf_token")?,
            expires_at: row.try_get("expires_at")?,
        })
    }

    pub async fn delete_session(&self, id_hash: &str) -> StoreResult<()> {
        sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
            .bind(id_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Removes expired sessions, one-time tokens and old login failures.
    pub async fn purge_expired(&self, login_failures_before: i64) -> StoreResult<u64> {
        let now = crate::now();
        let mut n = 0;
        n += sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
            .bind(now)
            .execute(&self.pool)
            .await?
            .rows_affected();
        n += sqlx::query("DELETE FROM user_tokens WHERE expires_at <= $1")
            .bind(now)
            .execute(&self.pool)
            .await?
            .rows_affected();
        n += sqlx::query("DELETE FROM login_failures WHERE at < $1")
            .bind(login_failures_before)
            .execute(&self.pool)
            .await?
            .rows_affected();
        Ok(n)
    }

    /// A token without an end (until revoked or the password changes).
    pub async fn create_api_token(
        &self,
        user_id: i64,
        name: &str,
        prefix: &str,
        token_hash: &str,
    ) -> StoreResult<ApiTokenInfo> {
        self.create_api_token_until(user_id, name, prefix, token_hash, None)
            .await
    }

    /// A token that stops working at `expires_at` (unix seconds), when given.
    pub async fn create_api_token_until(
        &self,
        user_id: i64,
        name: &str,
        prefix: &str,
        token_hash: &str,
        expires_at: Option<i64>,
    ) -> StoreResult<ApiTokenInfo> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 80 {
            return Err(StoreError::invalid(
                "name",
                crate::Violation::TokenNameLength { max: 80 },
            ));
        }
        crate::text::check_name("name", name)?;
        let now = crate::now();
        let row = sqlx::query(
            "INSERT INTO api_tokens (user_id, name, prefix, token_hash, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(user_id)
        .bind(name)
        .bind(prefix)
        .bind(token_hash)
        .bind(now)
        .bind(expires_at)
        .fetch_one(&self.pool)
        .await?;
        Ok(ApiTokenInfo {
            id: row.try_get("id")?,
            user_id,
            name: name.to_string(),
            prefix: prefix.to_string(),
            created_at: now,
            last_used_at: None,
            revoked: false,
            expires_at,
        })
    }

    pub async fn api_tokens(&self, user_id: i64) -> StoreResult<Vec<ApiTokenInfo>> {
        let rows = sqlx::query(
            "SELECT id, user_id, name, prefix, created_at, last_used_at, revoked_at, expires_at \
             FROM api_tokens WHERE user_id = $1 ORDER BY id",
        )
        .bind(user_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(ApiTokenInfo {
                    id: r.try_get("id")?,
                    user_id: r.try_get("user_id")?,
                    name: r.try_get("name")?,
                    prefix: r.try_get("prefix")?,
                    created_at: r.try_get("created_at")?,
                    last_used_at: r.try_get("last_used_at")?,
                    revoked: r.try_get::<Option<i64>, _>("revoked_at")?.is_some(),
                    expires_at: r.try_get("expires_at")?,
                })
            })
            .collect()
    }

    /// Revokes one of the user's own tokens.
    pub async fn revoke_api_token(&self, user_id: i64, token_id: i64) -> StoreResult<()> {
        let done = sqlx::query(
            "UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND user_id = $3 AND revoked_at IS NULL",
        )
        .bind(crate::now())
        .bind(token_id)
        .bind(user_id)
        .execute(&self.pool)
        .await?;
        crate::require_found(&done)?;
        Ok(())
    }

    /// The active user a live API token belongs to. Records its use, at most once a minute
    /// per token, so reads through the API do not each cost a write. A token past its
    /// expiry is refused as [`crate::Violation::TokenExpired`] (an unknown or revoked one
    /// as not found).
    pub async fn user_for_api_token(&self, token_hash: &str) -> StoreResult<User> {
        let row = sqlx::query(
            "SELECT user_id, last_used_at, expires_at FROM api_tokens \
             WHERE token_hash = $1 AND revoked_at IS NULL",
        )
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(StoreError::NotFound)?;
        let now = crate::now();
        if row
            .try_get::<Option<i64>, _>("expires_at")?
            .is_some_and(|end| end <= now)
        {
            return Err(StoreError::invalid("token", crate::Violation::TokenExpired));
        }
        let last_used: Option<i64> = row.try_get("last_used_at")?;
        if last_used.is_none_or(|t| now - t >= 60) {
            sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE token_hash = $2")
                .bind(now)
                .bind(token_hash)
                .execute(&self.pool)
                .await?;
        }
        let user = self.user(row.try_get("user_id")?).await?;
        if !user.active {
            return Err(StoreError::NotFound);
        }
        Ok(user)
    }

    pub async fn record_login_failure(&self, key: &str) -> StoreResult<()> {
        sqlx::query("INSERT INTO login_failures (key, at) VALUES ($1, $2)")
            .bind(key)
            .bind(crate::now())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn login_failures_since(&self, key: &str, since: i64) -> StoreResult<i64> {
        let row =
            sqlx::query("SELECT COUNT(*) AS n FROM login_failures WHERE key = $1 AND at >= $2")
                .bind(key)
                .bind(since)
                .fetch_one(&self.pool)
                .await?;
        Ok(row.try_get("n")?)
    }

    pub async fn clear_login_failures(&self, key: &str) -> StoreResult<()> {
        sqlx::query("DELETE FROM login_failures WHERE key = $1")
            .bind(key)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
