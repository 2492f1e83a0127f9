//! Survey invitations by e-mail (issue 33, migration 0016): a round's address list per
//! team, the hash of each address's current single-use code (so its `used` flag can be
//! read), and how often and on which day it was last mailed.
//!
//! Anonymity: nothing here links to a response. Responses hold no code and no address; an
//! invitation holds no answer and no time finer than the day. The code itself is never
//! stored: each send makes a fresh code ([`Store::claim_survey_invitation`]) that replaces
//! the previous one while that is unused, in the same transaction that records the send.
//! The rows are deleted when the round closes, and by the hourly purge.

use sqlx::Row;

use crate::{Store, StoreError, StoreResult, Violation};

/// One address of a round's invitation list, as the sender needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SurveyInvitee {
    pub round_id: i64,
    pub team_id: i64,
    pub email: String,
    pub sent_count: i64,
    pub last_sent_on: Option<String>,
}

/// Counts of a round's invitation list for one team.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct InvitationCounts {
    pub team_id: i64,
    /// Addresses on the list.
    pub addresses: i64,
    /// Addresses mailed at least once.
    pub sent: i64,
    /// Addresses whose code has been used (a respondent count: shown only where the
    /// response-rate rules allow).
    pub used: i64,
}

/// What adding addresses did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct AddedInvitations {
    pub added: i64,
    /// Addresses already on the round's list (any team), left as they were.
    pub already: i64,
}

/// Which addresses a mail run is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InvitationRun {
    /// Addresses never mailed.
    First,
    /// Addresses mailed before whose code is still unused.
    Reminder,
}

impl Store {
    /// Adds addresses (normalised, valid) of `team_id` to a round's invitation list in one
    /// transaction, and raises the team's invited count by the number added. Addresses
    /// already on the round's list are left alone and counted.
    pub async fn add_survey_invitations(
        &self,
        round_id: i64,
        team_id: i64,
        emails: &[String],
    ) -> StoreResult<AddedInvitations> {
        let round = self.survey_round(round_id).await?;
        if round.import_round {
            return Err(StoreError::invalid(
                "team_id",
                Violation::ImportRoundNoCodes,
            ));
        }
        if round.status == "gesloten" {
            return Err(StoreError::invalid(
                "team_id",
                Violation::ClosedRoundNoCodes,
            ));
        }
        let mut tx = self.pool.begin().await?;
        let mut out = AddedInvitations::default();
        for email in emails {
            let done = sqlx::query(
                "INSERT INTO survey_invitations (round_id, team_id, email, sent_count) \
                 VALUES ($1, $2, $3, 0) ON CONFLICT (round_id, email) DO NOTHING",
            )
            .bind(round_id)
            .bind(team_id)
            .bind(email)
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() == 1 {
                out.added += 1;
            } else {
                out.already += 1;
            }
        }
        let done = sqlx::query(
            "UPDATE survey_round_teams SET invited = invited + $1 \
             WHERE round_id = $2 AND team_id = $3",
        )
        .bind(out.added)
        .bind(round_id)
        .bind(team_id)
        .execute(&mut *tx)
        .await?;
        crate::require_found(&done)?;
        tx.commit().await?;
        Ok(out)
    }

    /// The addresses a run should mail on `day`: never mailed ([`InvitationRun::First`]),
    /// or mailed before, not yet today, with the code still unused
    /// ([`InvitationRun::Reminder`]). In address order.
    pub async fn survey_invitees(
        &self,
        round_id: i64,
        run: InvitationRun,
        day: &str,
    ) -> StoreResult<Vec<SurveyInvitee>> {
        let sql = match run {
            InvitationRun::First => {
                "SELECT i.round_id, i.team_id, i.email, i.sent_count, i.last_sent_on \
                 FROM survey_invitations i WHERE i.round_id = $1 AND i.sent_count = 0 \
                 AND (i.last_sent_on IS NULL OR i.last_sent_on <> $2) ORDER BY i.email"
            }
            InvitationRun::Reminder => {
                "SELECT i.round_id, i.team_id, i.email, i.sent_count, i.last_sent_on \
                 FROM survey_invitations i WHERE i.round_id = $1 AND i.sent_count > 0 \
                 AND (i.last_sent_on IS NULL OR i.last_sent_on <> $2) \
                 AND NOT EXISTS (SELECT 1 FROM survey_codes c \
                    WHERE c.code_hash = i.code_hash AND c.used = 1) ORDER BY i.email"
            }
        };
        let rows = sqlx::query(sql)
            .bind(round_id)
            .bind(day)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                Ok(SurveyInvitee {
                    round_id: r.try_get("round_id")?,
                    team_id: r.try_get("team_id")?,
                    email: r.try_get("email")?,
                    sent_count: r.try_get("sent_count")?,
                    last_sent_on: r.try_get("last_sent_on")?,
                })
            })
            .collect()
    }

    /// Claims the send of one invitation on `day` with a fresh code (its hash given): in
    /// one transaction the row is marked sent today (only if it was not already, so two
    /// instances never both mail it), the previous code is removed while it is unused,
    /// and the new code is stored. `false` when there is nothing to send: mailed today
    /// already, the previous code was used meanwhile, the address was removed, or the
    /// round is no longer open.
    pub async fn claim_survey_invitation(
        &self,
        invitee: &SurveyInvitee,
        day: &str,
        new_code_hash: &str,
    ) -> StoreResult<bool> {
        let _turn = self.write_turn().await;
        // Read the current code outside the transaction; the update below is conditional
        // on it (and writes first, so on SQLite the transaction takes the write lock at
        // once and waits for it, instead of failing to upgrade a read).
        let row = sqlx::query(
            "SELECT code_hash FROM survey_invitations WHERE round_id = $1 AND email = $2",
        )
        .bind(invitee.round_id)
        .bind(&invitee.email)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else {
            return Ok(false);
        };
        let old: Option<String> = row.try_get("code_hash")?;
        let mut tx = self.pool.begin().await?;
        // Conditional on the day and the code read above, and on an open round: a second
        // instance's claim waits for this row and then finds it sent today.
        let done = sqlx::query(
            "UPDATE survey_invitations SET code_hash = $1, sent_count = sent_count + 1, \
             last_sent_on = $2 WHERE round_id = $3 AND email = $4 \
             AND (last_sent_on IS NULL OR last_sent_on <> $2) \
             AND (code_hash = $5 OR (code_hash IS NULL AND $5 = '')) \
             AND EXISTS (SELECT 1 FROM survey_rounds r WHERE r.id = $3 AND r.status = 'open')",
        )
        .bind(new_code_hash)
        .bind(day)
        .bind(invitee.round_id)
        .bind(&invitee.email)
        .bind(old.clone().unwrap_or_default())
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            return Ok(false);
        }
        if let Some(old) = old {
            let gone = sqlx::query("DELETE FROM survey_codes WHERE code_hash = $1 AND used = 0")
                .bind(&old)
                .execute(&mut *tx)
                .await?;
            let still_there = sqlx::query("SELECT 1 FROM survey_codes WHERE code_hash = $1")
                .bind(&old)
                .fetch_optional(&mut *tx)
                .await?;
            if gone.rows_affected() == 0 && still_there.is_some() {
                // Used: this address answered; roll back.
                return Ok(false);
            }
        }
        sqlx::query(
            "INSERT INTO survey_codes (code_hash, round_id, team_id, used) VALUES ($1, $2, $3, 0)",
        )
        .bind(new_code_hash)
        .bind(invitee.round_id)
        .bind(invitee.team_id)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Gives back a claimed send whose mail failed, so a later run tries again (the
    /// code made for it stays unused and is replaced by the next send).
    pub async fn release_survey_invitation(
        &self,
        invitee: &SurveyInvitee,
        day: &str,
    ) -> StoreResult<()> {
        sqlx::query(
            "UPDATE survey_invitations SET sent_count = sent_count - 1, last_sent_on = $1 \
             WHERE round_id = $2 AND email = $3 AND last_sent_on = $4 AND sent_count > 0",
        )
        .bind(&invitee.last_sent_on)
        .bind(invitee.round_id)
        .bind(&invitee.email)
        .bind(day)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The counts of a round's invitation list per team (teams without addresses left
    /// out), by team id.
    pub async fn survey_invitation_counts(
        &self,
        round_id: i64,
    ) -> StoreResult<Vec<InvitationCounts>> {
        let rows = sqlx::query(
            "SELECT i.team_id AS team_id, COUNT(*) AS addresses, \
             SUM(CASE WHEN i.sent_count > 0 THEN 1 ELSE 0 END) AS sent, \
             SUM(CASE WHEN EXISTS (SELECT 1 FROM survey_codes c \
                WHERE c.code_hash = i.code_hash AND c.used = 1) THEN 1 ELSE 0 END) AS used \
             FROM survey_invitations i WHERE i.round_id = $1 \
             GROUP BY i.team_id ORDER BY i.team_id",
        )
        .bind(round_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(InvitationCounts {
                    team_id: r.try_get("team_id")?,
                    addresses: r.try_get("addresses")?,
                    sent: r.try_get::<Option<i64>, _>("sent")?.unwrap_or(0),
                    used: r.try_get::<Option<i64>, _>("used")?.unwrap_or(0),
                })
            })
            .collect()
    }

    /// Deletes a round's invitation list; returns the number of addresses removed.
    pub async fn delete_survey_invitations(&self, round_id: i64) -> StoreResult<u64> {
        let done = sqlx::query("DELETE FROM survey_invitations WHERE round_id = $1")
            .bind(round_id)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected())
    }

    /// Deletes the invitation lists of rounds that are closed, or whose closing date
    /// lies before `before_day` (ISO date); returns the number of addresses removed.
    pub async fn purge_survey_invitations(&self, before_day: &str) -> StoreResult<u64> {
        let done = sqlx::query(
            "DELETE FROM survey_invitations WHERE round_id IN (SELECT r.id FROM survey_rounds r \
             WHERE r.status = 'gesloten' OR r.closes_on < $1)",
        )
        .bind(before_day)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected())
    }
}
