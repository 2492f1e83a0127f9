//! User accounts and their team assignments.

use sqlx::Row;
use sqlx::any::AnyRow;

use crate::{Role, Store, StoreError, StoreResult, User};

const USER_COLUMNS: &str = "id, email, name, role, org_id, active, created_at, \
     CASE WHEN password_hash IS NULL THEN 0 ELSE 1 END AS has_password FROM users";

/// What an admin fills in to create an account.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub email: String,
    pub name: String,
    pub role: Role,
    pub org_id: Option<i64>,
    pub team_ids: Vec<i64>,
    /// An argon2 hash, or `None` for an invited user who sets a password later.
    pub password_hash: Option<String>,
}

fn user_from_row(row: &AnyRow) -> StoreResult<User> {
    Ok(User {
        id: row.try_get("id")?,
        email: row.try_get("email")?,
        name: row.try_get("name")?,
        role: crate::model::stored_code("role", row.try_get("role")?, crate::Role::from_code)?,
        org_id: row.try_get("org_id")?,
        active: row.try_get::<i64, _>("active")? != 0,
        has_password: row.try_get::<i64, _>("has_password")? != 0,
        created_at: row.try_get("created_at")?,
        team_ids: Vec::new(),
    })
}

/// Normalises and checks an e-mail address (one '@', something on both sides).
pub fn normalise_email(email: &str) -> StoreResult<String> {
    let email = email.trim().to_lowercase();
    let valid = email.len() <= 200
        && email.split('@').count() == 2
        && email.split('@').all(|p| !p.is_empty())
        && email.rsplit('@').next().is_some_and(|d| d.contains('.'))
        && !email.chars().any(char::is_whitespace)
        && !email.chars().any(crate::text::is_forbidden_in_name);
    if !valid {
        return Err(StoreError::invalid("email", crate::Violation::Email));
    }
    Ok(email)
}

impl Store {
    /// Creates an account in one transaction with its team assignments.
    pub async fn create_user(&self, new: &NewUser) -> StoreResult<User> {
        let email = normalise_email(&new.email)?;
        let name = new.name.trim();
        if name.is_empty() || name.chars().count() > 120 {
            return Err(StoreError::invalid(
                "name",
                crate::Violation::NameLength { max: 120 },
            ));
        }
        crate::text::check_name("name", name)?;
        match (new.role.needs_org(), new.org_id) {
            (true, None) => {
                return Err(StoreError::invalid("org_id", crate::Violation::OrgRequired));
            }
            (false, Some(_)) => {
                return Err(StoreError::invalid(
                    "org_id",
                    crate::Violation::OrgNotAllowed,
                ));
            }
            _ => {}
        }
        if let Some(org) = new.org_id {
            self.organisation(org).await.map_err(|_| {
                StoreError::invalid("org_id", crate::Violation::UnknownOrganisation)
            })?;
        }
        self.check_teams(new.org_id, &new.team_ids).await?;
        let mut tx = self.pool.begin().await?;
        let row = sqlx::query(
            "INSERT INTO users (email, name, role, org_id, password_hash, active, created_at) \
             VALUES ($1, $2, $3, $4, $5, 1, $6) RETURNING id",
        )
        .bind(&email)
        .bind(name)
        .bind(new.role.code())
        .bind(new.org_id)
        .bind(new.password_hash.clone())
        .bind(crate::now())
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| {
            if Store::is_unique_violation(&e) {
                StoreError::Conflict(email.clone())
            } else {
                e.into()
            }
        })?;
        let id: i64 = row.try_get("id")?;
        for team in &new.team_ids {
            sqlx::query("INSERT INTO user_teams (user_id, team_id) VALUES ($1, $2)")
                .bind(id)
                .bind(*team)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        self.user(id).await
    }

    async fn check_teams(&self, org_id: Option<i64>, team_ids: &[i64]) -> StoreResult<()> {
        crate::text::check_distinct("team_ids", team_ids)?;
        for team in team_ids {
            let t = self
                .team(*team)
                .await
                .map_err(|_| StoreError::invalid("team_ids", crate::Violation::UnknownTeam))?;
            if Some(t.org_id) != org_id {
                return Err(StoreError::invalid(
                    "team_ids",
                    crate::Violation::TeamOfOtherUserOrganisation,
                ));
            }
        }
        Ok(())
    }

    /// Replaces the teams of a manager or planner.
    pub async fn set_user_teams(&self, user_id: i64, team_ids: &[i64]) -> StoreResult<()> {
        let user = self.user(user_id).await?;
        self.check_teams(user.org_id, team_ids).await?;
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM user_teams WHERE user_id = $1")
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        for team in team_ids {
            sqlx::query("INSERT INTO user_teams (user_id, team_id) VALUES ($1, $2)")
                .bind(user_id)
                .bind(*team)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn with_teams(&self, mut user: User) -> StoreResult<User> {
        let rows =
            sqlx::query("SELECT team_id FROM user_teams WHERE user_id = $1 ORDER BY team_id")
                .bind(user.id)
                .fetch_all(&self.pool)
                .await?;
        user.team_ids = rows
            .iter()
            .map(|r| r.try_get("team_id"))
            .collect::<Result<_, _>>()?;
        Ok(user)
    }

    pub async fn user(&self, id: i64) -> StoreResult<User> {
        let sql = format!("SELECT {USER_COLUMNS} WHERE id = $1");
        let row = sqlx::query(&sql)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        self.with_teams(user_from_row(&row)?).await
    }

    pub async fn user_by_email(&self, email: &str) -> StoreResult<User> {
        let sql = format!("SELECT {USER_COLUMNS} WHERE email = $1");
        let row = sqlx::query(&sql)
            .bind(email.trim().to_lowercase())
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        self.with_teams(user_from_row(&row)?).await
    }

    /// The stored password hash of an active user, for logging in.
    pub async fn password_hash(&self, user_id: i64) -> StoreResult<Option<String>> {
        let row = sqlx::query("SELECT password_hash FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        Ok(row.try_get("password_hash")?)
    }

    /// All users, or those of one organisation.
    pub async fn users(&self, org_id: Option<i64>) -> StoreResult<Vec<User>> {
        let rows = match org_id {
            Some(org) => {
                let sql = format!("SELECT {USER_COLUMNS} WHERE org_id = $1 ORDER BY name, id");
                sqlx::query(&sql).bind(org).fetch_all(&self.pool).await?
            }
            None => {
                let sql = format!("SELECT {USER_COLUMNS} ORDER BY name, id");
                sqlx::query(&sql).fetch_all(&self.pool).await?
            }
        };
        let mut users = Vec::with_capacity(rows.len());
        for row in &rows {
            users.push(self.with_teams(user_from_row(row)?).await?);
        }
        Ok(users)
    }

    /// Sets a new password hash; ends the user's sessions and revokes its API tokens, so old
    /// logins and tokens stop working.
    pub async fn set_password_hash(&self, user_id: i64, hash: &str) -> StoreResult<()> {
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
            .bind(hash)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        crate::require_found(&done)?;
        sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "UPDATE api_tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL",
        )
        .bind(crate::now())
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Activates or deactivates an account; deactivation ends its sessions and revokes its
    /// API tokens.
    pub async fn set_user_active(&self, user_id: i64, active: bool) -> StoreResult<()> {
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query("UPDATE users SET active = $1 WHERE id = $2")
            .bind(i64::from(active))
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        crate::require_found(&done)?;
        if !active {
            sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "UPDATE api_tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL",
            )
            .bind(crate::now())
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Stores a one-time token (invitation or password reset) by its hash.
    pub async fn create_user_token(
        &self,
        user_id: i64,
        purpose: &str,
        token_hash: &str,
        expires_at: i64,
    ) -> StoreResult<()> {
        let mut tx = self.pool.begin().await?;
        // One open link per account: a new link ends the older ones.
        sqlx::query("DELETE FROM user_tokens WHERE user_id = $1")
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO user_tokens (token_hash, user_id, purpose, expires_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(token_hash)
        .bind(user_id)
        .bind(purpose)
        .bind(expires_at)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Looks up a one-time token without using it: returns the user it is for.
    pub async fn peek_user_token(&self, token_hash: &str, purpose: &str) -> StoreResult<User> {
        let row = sqlx::query(
            "SELECT user_id FROM user_tokens WHERE token_hash = $1 AND purpose = $2 AND expires_at > $3",
        )
        .bind(token_hash)
        .bind(purpose)
        .bind(crate::now())
        .fetch_optional(&self.pool)
        .await?
        .ok_or(StoreError::NotFound)?;
        self.user(row.try_get("user_id")?).await
    }

    /// Uses a one-time token to set a password, atomically: the token is gone afterwards.
    pub async fn redeem_user_token(
        &self,
        token_hash: &str,
        purpose: &str,
        password_hash: &str,
    ) -> StoreResult<User> {
        let mut tx = self.pool.begin().await?;
        let row = sqlx::query(
            "DELETE FROM user_tokens WHERE token_hash = $1 AND purpose = $2 AND expires_at > $3 \
             RETURNING user_id",
        )
        .bind(token_hash)
        .bind(purpose)
        .bind(crate::now())
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(StoreError::NotFound)?;
        let user_id: i64 = row.try_get("user_id")?;
        sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
            .bind(password_hash)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM user_tokens WHERE user_id = $1")
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "UPDATE api_tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL",
        )
        .bind(crate::now())
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        self.user(user_id).await
    }

    /// Number of accounts; the demo only loads into an empty database.
    pub async fn user_count(&self) -> StoreResult<i64> {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM users")
            .fetch_one(&self.pool)
            .await?;
        Ok(row.try_get("n")?)
    }
}
