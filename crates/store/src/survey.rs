//! Survey rounds, invitation codes, open links, responses and drafts (issue 4).
//!
//! Anonymity invariant: a stored response holds the round, the team of the invitation,
//! the questionnaire version, the answers (JSON) and the day, nothing else; no code, no
//! address, no user agent, no time of day. That a code was used is recorded on the code
//! row, which has no link to any response. Codes are stored only as hashes.

use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::{Store, StoreError, StoreResult};

/// The kinds of round.
pub const ROUND_KINDS: &[&str] = &["nulmeting", "effectmeting"];
/// The states of a round: `concept` (being prepared), `open`, `gesloten` (closed).
pub const ROUND_STATUSES: &[&str] = &["concept", "open", "gesloten"];

/// A survey round of one organisation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SurveyRound {
    pub id: i64,
    pub org_id: i64,
    pub name: String,
    /// `nulmeting` or `effectmeting`.
    pub kind: String,
    /// Questionnaire key, e.g. `medewerkers`.
    pub questionnaire: String,
    pub version: i64,
    /// Extra questions of a programme admin, as JSON (a list of survey `RawQuestion`s).
    pub custom_questions: String,
    /// ISO dates.
    pub opens_on: String,
    pub closes_on: String,
    pub invitation_text: String,
    pub status: String,
    pub created_at: i64,
    /// Created to hold responses collected with another tool: never takes code or link
    /// responses, and only an import round takes an import.
    pub import_round: bool,
    /// The organisation's minimum group size when the round opened (absent while it is a
    /// concept). See [`SurveyRound::effective_min_group_size`].
    pub frozen_min_group_size: Option<i64>,
}

impl SurveyRound {
    /// The minimum group size that applies to this round: the one frozen when it opened,
    /// or the organisation's current one when that is larger (raising k applies to old
    /// rounds, lowering it does not).
    pub fn effective_min_group_size(&self, org_current: i64) -> i64 {
        self.frozen_min_group_size
            .map_or(org_current, |f| f.max(org_current))
    }
}

/// What an admin fills in for a new round.
#[derive(Debug, Clone, PartialEq, serde::Deserialize, Serialize)]
pub struct NewSurveyRound {
    pub name: String,
    pub kind: String,
    pub questionnaire: String,
    pub version: i64,
    #[serde(default = "empty_list")]
    pub custom_questions: String,
    pub opens_on: String,
    pub closes_on: String,
    #[serde(default)]
    pub invitation_text: String,
    /// An import round (see [`SurveyRound::import_round`]); set at creation only.
    #[serde(default)]
    pub import_round: bool,
}

fn empty_list() -> String {
    "[]".into()
}

/// A team taking part in a round, with its open-link token and invitation counts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RoundTeam {
    pub team_id: i64,
    pub team: String,
    /// Number of people invited (set by the admin; codes handed out add to it).
    pub invited: i64,
    pub open_token: String,
    pub codes: i64,
    pub codes_used: i64,
}

/// A stored response as the analysis needs it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredResponse {
    pub team_id: Option<i64>,
    pub version: i64,
    /// The answers as JSON text.
    pub answers: String,
    pub day: String,
    pub source: String,
}

/// Where an invitation key leads.
#[derive(Debug, Clone, PartialEq)]
pub enum Invitation {
    /// A single-use code (hash given), not yet used.
    Code {
        round_id: i64,
        team_id: i64,
        code_hash: String,
    },
    /// A single-use code that has been used already.
    UsedCode { round_id: i64 },
    /// An open link of a team.
    OpenLink { round_id: i64, team_id: i64 },
}

/// A response to insert.
#[derive(Debug, Clone, PartialEq)]
pub struct NewResponse {
    pub team_id: Option<i64>,
    pub version: i64,
    pub answers: String,
    /// ISO date of submission (the day only).
    pub day: String,
    /// `code`, `link` or `import`.
    pub source: &'static str,
}

/// Why a submission was refused.
#[derive(Debug, thiserror::Error)]
pub enum SubmitError {
    /// The code was used in the meantime (e.g. a second tab).
    #[error("code already used")]
    CodeUsed,
    /// This browser already answered through the open link.
    #[error("duplicate through open link")]
    Duplicate,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for SubmitError {
    fn from(e: sqlx::Error) -> Self {
        SubmitError::Store(e.into())
    }
}

const ROUND_COLUMNS: &str = "id, org_id, name, kind, questionnaire, version, custom_questions, \
     opens_on, closes_on, invitation_text, status, created_at, import_round, \
     frozen_min_group_size FROM survey_rounds";

/// Drafts older than this many days are neither served nor kept.
pub const DRAFT_DAYS: i64 = 14;

/// The first day (ISO) on which a draft saved then is still valid.
fn draft_cutoff() -> String {
    (chrono::Utc::now().date_naive() - chrono::Days::new(DRAFT_DAYS as u64))
        .format("%Y-%m-%d")
        .to_string()
}

/// The review state of a free-text answer.
pub const FREE_TEXT_STATUSES: &[&str] = &["pending", "approved", "withheld"];

/// A free-text answer as the programme team reviews it. It is stored apart from the
/// responses, with no link to one.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FreeText {
    pub id: i64,
    pub round_id: i64,
    pub question: String,
    /// What the respondent wrote.
    pub text: String,
    /// The text organisation users may see once approved (edited when needed).
    pub published: Option<String>,
    /// `pending`, `approved` or `withheld`.
    pub status: String,
}

fn round_from_row(r: &AnyRow) -> StoreResult<SurveyRound> {
    Ok(SurveyRound {
        id: r.try_get("id")?,
        org_id: r.try_get("org_id")?,
        name: r.try_get("name")?,
        kind: r.try_get("kind")?,
        questionnaire: r.try_get("questionnaire")?,
        version: r.try_get("version")?,
        custom_questions: r.try_get("custom_questions")?,
        opens_on: r.try_get("opens_on")?,
        closes_on: r.try_get("closes_on")?,
        invitation_text: r.try_get("invitation_text")?,
        status: r.try_get("status")?,
        created_at: r.try_get("created_at")?,
        import_round: r.try_get::<i64, _>("import_round")? != 0,
        frozen_min_group_size: r.try_get("frozen_min_group_size")?,
    })
}

/// `YYYY-MM-DD` and a real day of the calendar (`2026-02-30` is not).
fn is_iso_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
        && chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok()
}

impl NewSurveyRound {
    /// Checks the fields; messages are Dutch, for users.
    pub fn validate(&mut self) -> StoreResult<()> {
        self.name = self.name.trim().to_string();
        if self.name.is_empty() || self.name.chars().count() > 120 {
            return Err(StoreError::invalid(
                "name",
                crate::Violation::NameLength { max: 120 },
            ));
        }
        crate::text::check_name("name", &self.name)?;
        if !ROUND_KINDS.contains(&self.kind.as_str()) {
            return Err(StoreError::invalid("kind", crate::Violation::RoundKind));
        }
        if !is_iso_date(&self.opens_on) || !is_iso_date(&self.closes_on) {
            return Err(StoreError::invalid(
                "opens_on",
                crate::Violation::RoundDates,
            ));
        }
        if self.closes_on < self.opens_on {
            return Err(StoreError::invalid(
                "closes_on",
                crate::Violation::RoundClosesBeforeOpening,
            ));
        }
        if self.invitation_text.chars().count() > 5000 {
            return Err(StoreError::invalid(
                "invitation_text",
                crate::Violation::InvitationTextLength { max: 5000 },
            ));
        }
        crate::text::check_text("invitation_text", &self.invitation_text)?;
        Ok(())
    }
}

impl Store {
    /// Creates a round with its teams (each gets an open-link token), in one transaction.
    /// The questionnaire and custom questions are checked by the caller (crate `survey`).
    pub async fn create_survey_round(
        &self,
        org_id: i64,
        input: &NewSurveyRound,
        team_ids: &[i64],
    ) -> StoreResult<SurveyRound> {
        let mut input = input.clone();
        input.validate()?;
        let teams = self.teams(org_id).await?;
        let all = self.all_teams(org_id).await?;
        if team_ids.is_empty() {
            return Err(StoreError::invalid("team_ids", crate::Violation::NoTeams));
        }
        crate::text::check_distinct("team_ids", team_ids)?;
        if let Some(bad) = team_ids.iter().find(|t| !teams.iter().any(|x| x.id == **t)) {
            if let Some(t) = all.iter().find(|x| x.id == *bad) {
                return Err(StoreError::invalid(
                    "team_ids",
                    crate::Violation::TeamArchived {
                        team: t.name.clone(),
                    },
                ));
            }
            return Err(StoreError::invalid(
                "team_ids",
                crate::Violation::TeamOfOtherOrganisation { team_id: *bad },
            ));
        }
        let mut tx = self.pool.begin().await?;
        let row = sqlx::query(
            "INSERT INTO survey_rounds (org_id, name, kind, questionnaire, version, \
             custom_questions, opens_on, closes_on, invitation_text, status, created_at, \
             import_round) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'concept', $10, $11) RETURNING id",
        )
        .bind(org_id)
        .bind(&input.name)
        .bind(&input.kind)
        .bind(&input.questionnaire)
        .bind(input.version)
        .bind(&input.custom_questions)
        .bind(&input.opens_on)
        .bind(&input.closes_on)
        .bind(&input.invitation_text)
        .bind(crate::now())
        .bind(i64::from(input.import_round))
        .fetch_one(&mut *tx)
        .await?;
        let id: i64 = row.try_get("id")?;
        let mut seen = Vec::new();
        for t in team_ids {
            if seen.contains(t) {
                continue;
            }
            seen.push(*t);
            sqlx::query(
                "INSERT INTO survey_round_teams (round_id, team_id, invited, open_token) \
                 VALUES ($1, $2, 0, $3)",
            )
            .bind(id)
            .bind(*t)
            .bind(format!("t{}", &crate::new_secret()[..31]))
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        self.survey_round(id).await
    }

    pub async fn survey_round(&self, id: i64) -> StoreResult<SurveyRound> {
        let sql = format!("SELECT {ROUND_COLUMNS} WHERE id = $1");
        let row = sqlx::query(&sql)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        round_from_row(&row)
    }

    pub async fn survey_rounds(&self, org_id: i64) -> StoreResult<Vec<SurveyRound>> {
        let sql =
            format!("SELECT {ROUND_COLUMNS} WHERE org_id = $1 ORDER BY opens_on DESC, id DESC");
        let rows = sqlx::query(&sql).bind(org_id).fetch_all(&self.pool).await?;
        rows.iter().map(round_from_row).collect()
    }

    /// Finds a round of an organisation by id or exact name (case-insensitive).
    pub async fn find_survey_round(
        &self,
        org_id: i64,
        id_or_name: &str,
    ) -> StoreResult<SurveyRound> {
        let rounds = self.survey_rounds(org_id).await?;
        let key = id_or_name.trim();
        rounds
            .into_iter()
            .find(|r| r.id.to_string() == key || r.name.eq_ignore_ascii_case(key))
            .ok_or(StoreError::NotFound)
    }

    /// Moves a round forward: `concept` → `open` → `gesloten` (or `concept` → `gesloten`).
    /// Never back: a closed round does not open again (its results are out; a new round
    /// collects more), and an open round does not become a concept. On leaving `concept`
    /// the organisation's minimum group size is frozen on the round. Setting the current
    /// status again changes nothing.
    pub async fn set_survey_round_status(&self, id: i64, status: &str) -> StoreResult<()> {
        if !ROUND_STATUSES.contains(&status) {
            return Err(StoreError::invalid(
                "status",
                crate::Violation::UnknownStatus,
            ));
        }
        let round = self.survey_round(id).await?;
        if round.status == status {
            return Ok(());
        }
        let allowed = matches!(
            (round.status.as_str(), status),
            ("concept", "open") | ("concept", "gesloten") | ("open", "gesloten")
        );
        if !allowed {
            return Err(StoreError::invalid(
                "status",
                if round.status == "gesloten" {
                    crate::Violation::RoundClosedForGood
                } else {
                    crate::Violation::RoundOpenNoWayBack
                },
            ));
        }
        // Conditional on the status read above, so two admins cannot race a round back.
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query(
            "UPDATE survey_rounds SET status = $1, frozen_min_group_size = COALESCE( \
             frozen_min_group_size, \
             (SELECT o.min_group_size FROM organisations o WHERE o.id = survey_rounds.org_id)) \
             WHERE id = $2 AND status = $3",
        )
        .bind(status)
        .bind(id)
        .bind(&round.status)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::invalid(
                "status",
                crate::Violation::RoundStatusChanged,
            ));
        }
        sqlx::query(crate::figures::TOUCH_ORG_OF_ROUND)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        if status == "gesloten" {
            // The e-mail addresses of the round's invitations are personal data that the
            // closed round no longer needs (migration 0016).
            sqlx::query("DELETE FROM survey_invitations WHERE round_id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    pub async fn delete_survey_round(&self, id: i64) -> StoreResult<()> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(crate::figures::TOUCH_ORG_OF_ROUND)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let done = sqlx::query("DELETE FROM survey_rounds WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        crate::require_found(&done)?;
        tx.commit().await?;
        Ok(())
    }

    /// The teams of a round with their open links and code counts, by team name.
    pub async fn survey_round_teams(&self, round_id: i64) -> StoreResult<Vec<RoundTeam>> {
        let rows = sqlx::query(
            "SELECT rt.team_id AS team_id, t.name AS team, rt.invited AS invited, \
             rt.open_token AS open_token, \
             (SELECT COUNT(*) FROM survey_codes c WHERE c.round_id = rt.round_id \
                AND c.team_id = rt.team_id) AS codes, \
             (SELECT COUNT(*) FROM survey_codes c WHERE c.round_id = rt.round_id \
                AND c.team_id = rt.team_id AND c.used = 1) AS codes_used \
             FROM survey_round_teams rt JOIN teams t ON t.id = rt.team_id \
             WHERE rt.round_id = $1 ORDER BY t.name",
        )
        .bind(round_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(RoundTeam {
                    team_id: r.try_get("team_id")?,
                    team: r.try_get("team")?,
                    invited: r.try_get("invited")?,
                    open_token: r.try_get("open_token")?,
                    codes: r.try_get("codes")?,
                    codes_used: r.try_get("codes_used")?,
                })
            })
            .collect()
    }

    /// Sets the number of people invited in a team (for response rates when not every
    /// invitation is a code, e.g. an open link).
    pub async fn set_round_team_invited(
        &self,
        round_id: i64,
        team_id: i64,
        invited: i64,
    ) -> StoreResult<()> {
        if !(0..=100_000).contains(&invited) {
            return Err(StoreError::invalid(
                "invited",
                crate::Violation::InvitedCount,
            ));
        }
        let done = sqlx::query(
            "UPDATE survey_round_teams SET invited = $1 WHERE round_id = $2 AND team_id = $3",
        )
        .bind(invited)
        .bind(round_id)
        .bind(team_id)
        .execute(&self.pool)
        .await?;
        crate::require_found(&done)?;
        Ok(())
    }

    /// Stores new single-use codes (their hashes) for a team of a round, in one
    /// transaction, and raises the team's invited count by their number.
    pub async fn add_survey_codes(
        &self,
        round_id: i64,
        team_id: i64,
        code_hashes: &[String],
    ) -> StoreResult<()> {
        let round = self.survey_round(round_id).await?;
        if round.import_round {
            return Err(StoreError::invalid(
                "team_id",
                crate::Violation::ImportRoundNoCodes,
            ));
        }
        if round.status == "gesloten" {
            return Err(StoreError::invalid(
                "team_id",
                crate::Violation::ClosedRoundNoCodes,
            ));
        }
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query(
            "UPDATE survey_round_teams SET invited = invited + $1 \
             WHERE round_id = $2 AND team_id = $3",
        )
        .bind(code_hashes.len() as i64)
        .bind(round_id)
        .bind(team_id)
        .execute(&mut *tx)
        .await?;
        crate::require_found(&done)?;
        for h in code_hashes {
            sqlx::query(
                "INSERT INTO survey_codes (code_hash, round_id, team_id, used) \
                 VALUES ($1, $2, $3, 0)",
            )
            .bind(h)
            .bind(round_id)
            .bind(team_id)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Looks up an invitation by the hash of a code, or by an open-link token.
    pub async fn survey_invitation(&self, key: &str) -> StoreResult<Invitation> {
        let hash = crate::hash_secret(key);
        if let Some(r) =
            sqlx::query("SELECT round_id, team_id, used FROM survey_codes WHERE code_hash = $1")
                .bind(&hash)
                .fetch_optional(&self.pool)
                .await?
        {
            let round_id: i64 = r.try_get("round_id")?;
            let used: i64 = r.try_get("used")?;
            return Ok(if used != 0 {
                Invitation::UsedCode { round_id }
            } else {
                Invitation::Code {
                    round_id,
                    team_id: r.try_get("team_id")?,
                    code_hash: hash,
                }
            });
        }
        let r = sqlx::query(
            "SELECT rt.round_id AS round_id, rt.team_id AS team_id FROM survey_round_teams rt \
             JOIN survey_rounds r ON r.id = rt.round_id \
             WHERE rt.open_token = $1 AND r.import_round = 0",
        )
        .bind(key)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(StoreError::NotFound)?;
        Ok(Invitation::OpenLink {
            round_id: r.try_get("round_id")?,
            team_id: r.try_get("team_id")?,
        })
    }

    /// Saves (or replaces) a draft for a code or an open-link browser, keyed by a hash.
    pub async fn save_survey_draft(
        &self,
        key_hash: &str,
        round_id: i64,
        answers: &str,
        day: &str,
    ) -> StoreResult<()> {
        let _turn = self.write_turn().await;
        sqlx::query("DELETE FROM survey_drafts WHERE day < $1")
            .bind(draft_cutoff())
            .execute(&self.pool)
            .await?;
        sqlx::query(
            "INSERT INTO survey_drafts (key_hash, round_id, answers, day) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (key_hash) DO UPDATE SET answers = excluded.answers, day = excluded.day",
        )
        .bind(key_hash)
        .bind(round_id)
        .bind(answers)
        .bind(day)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// A draft saved within the last [`DRAFT_DAYS`] days (older ones are expired).
    pub async fn survey_draft(&self, key_hash: &str) -> StoreResult<Option<String>> {
        let row =
            sqlx::query("SELECT answers FROM survey_drafts WHERE key_hash = $1 AND day >= $2")
                .bind(key_hash)
                .bind(draft_cutoff())
                .fetch_optional(&self.pool)
                .await?;
        Ok(match row {
            Some(r) => Some(r.try_get("answers")?),
            None => None,
        })
    }

    /// Submits one response in one transaction: marks the code used (or records the
    /// open-link browser guard), inserts the response and deletes the draft. Either all of
    /// it is stored or none.
    pub async fn submit_survey_response(
        &self,
        round_id: i64,
        code_hash: Option<&str>,
        link_guard_hash: Option<&str>,
        draft_key_hash: Option<&str>,
        response: &NewResponse,
    ) -> Result<(), SubmitError> {
        self.submit_survey_response_with_texts(
            round_id,
            code_hash,
            link_guard_hash,
            draft_key_hash,
            response,
            &[],
        )
        .await
    }

    /// [`Store::submit_survey_response`] with the response's free-text answers
    /// (question, text), stored apart from the response for review, with no link to it.
    pub async fn submit_survey_response_with_texts(
        &self,
        round_id: i64,
        code_hash: Option<&str>,
        link_guard_hash: Option<&str>,
        draft_key_hash: Option<&str>,
        response: &NewResponse,
        free_texts: &[(String, String)],
    ) -> Result<(), SubmitError> {
        let _turn = self.write_turn().await;
        let mut tx = self.pool.begin().await?;
        if let Some(h) = code_hash {
            let done = sqlx::query(
                "UPDATE survey_codes SET used = 1 WHERE code_hash = $1 AND round_id = $2 \
                 AND used = 0",
            )
            .bind(h)
            .bind(round_id)
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() == 0 {
                return Err(SubmitError::CodeUsed);
            }
        }
        if let Some(g) = link_guard_hash {
            let res = sqlx::query(
                "INSERT INTO survey_link_guards (round_id, guard_hash) VALUES ($1, $2)",
            )
            .bind(round_id)
            .bind(g)
            .execute(&mut *tx)
            .await;
            match res {
                Ok(_) => {}
                Err(e) if Store::is_unique_violation(&e) => return Err(SubmitError::Duplicate),
                Err(e) => return Err(e.into()),
            }
        }
        insert_response(&mut tx, round_id, response).await?;
        insert_free_texts(&mut tx, round_id, free_texts).await?;
        if let Some(d) = draft_key_hash {
            sqlx::query("DELETE FROM survey_drafts WHERE key_hash = $1")
                .bind(d)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Whether this browser already answered the round through an open link.
    pub async fn survey_link_guard_exists(
        &self,
        round_id: i64,
        guard_hash: &str,
    ) -> StoreResult<bool> {
        let row = sqlx::query(
            "SELECT 1 AS one FROM survey_link_guards WHERE round_id = $1 AND guard_hash = $2",
        )
        .bind(round_id)
        .bind(guard_hash)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.is_some())
    }

    /// Inserts many responses (an import, demo data) all-or-nothing in one transaction.
    pub async fn import_survey_responses(
        &self,
        round_id: i64,
        responses: &[NewResponse],
    ) -> StoreResult<usize> {
        self.import_survey_responses_with_texts(round_id, responses, &[])
            .await
    }

    /// [`Store::import_survey_responses`] with free-text answers (question, text) for
    /// review, stored apart from the responses.
    pub async fn import_survey_responses_with_texts(
        &self,
        round_id: i64,
        responses: &[NewResponse],
        free_texts: &[(String, String)],
    ) -> StoreResult<usize> {
        let mut tx = self.pool.begin().await?;
        for r in responses {
            insert_response(&mut tx, round_id, r).await?;
        }
        insert_free_texts(&mut tx, round_id, free_texts).await?;
        sqlx::query(crate::figures::TOUCH_ORG_OF_ROUND)
            .bind(round_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(responses.len())
    }

    /// Removes drafts older than [`DRAFT_DAYS`] days; returns how many.
    pub async fn purge_expired_survey_drafts(&self) -> StoreResult<u64> {
        let done = sqlx::query("DELETE FROM survey_drafts WHERE day < $1")
            .bind(draft_cutoff())
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected())
    }

    /// The free-text answers of a round for review, in text order (never submission
    /// order).
    pub async fn survey_free_texts(&self, round_id: i64) -> StoreResult<Vec<FreeText>> {
        let rows = sqlx::query(
            "SELECT id, round_id, question, original, published, status FROM survey_free_texts \
             WHERE round_id = $1 ORDER BY question, original, id",
        )
        .bind(round_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(free_text_from_row).collect()
    }

    pub async fn survey_free_text(&self, id: i64) -> StoreResult<FreeText> {
        let row = sqlx::query(
            "SELECT id, round_id, question, original, published, status FROM survey_free_texts \
             WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(StoreError::NotFound)?;
        free_text_from_row(&row)
    }

    /// Records a review: `approved` with the text to publish (the original or an edited
    /// one), or `withheld` (nothing published). A later review replaces an earlier one.
    pub async fn review_survey_free_text(
        &self,
        id: i64,
        status: &str,
        published: Option<&str>,
    ) -> StoreResult<()> {
        let published = match (status, published) {
            ("approved", Some(p)) if !p.trim().is_empty() => Some(p.trim().to_string()),
            ("approved", _) => {
                return Err(StoreError::invalid(
                    "text",
                    crate::Violation::PublishedTextMissing,
                ));
            }
            ("withheld", _) => None,
            _ => {
                return Err(StoreError::invalid(
                    "action",
                    crate::Violation::UnknownReview,
                ));
            }
        };
        if published.as_ref().is_some_and(|p| p.chars().count() > 2000) {
            return Err(StoreError::invalid(
                "text",
                crate::Violation::PublishedTextLength { max: 2000 },
            ));
        }
        if let Some(p) = published.as_deref() {
            crate::text::check_text("text", p)?;
        }
        let done = sqlx::query(
            "UPDATE survey_free_texts SET status = $1, published = $2, reviewed_at = $3 \
             WHERE id = $4",
        )
        .bind(status)
        .bind(published)
        .bind(crate::now())
        .bind(id)
        .execute(&self.pool)
        .await?;
        crate::require_found(&done)?;
        Ok(())
    }

    /// The approved (published) free texts of a round: (question, text), in text order.
    pub async fn approved_survey_free_texts(
        &self,
        round_id: i64,
    ) -> StoreResult<Vec<(String, String)>> {
        let rows = sqlx::query(
            "SELECT question, published FROM survey_free_texts \
             WHERE round_id = $1 AND status = 'approved' AND published IS NOT NULL \
             ORDER BY question, published",
        )
        .bind(round_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("question")?, r.try_get("published")?)))
            .collect()
    }

    /// All responses of a round, in a content order (never submission order).
    pub async fn survey_responses(&self, round_id: i64) -> StoreResult<Vec<StoredResponse>> {
        let rows = sqlx::query(
            "SELECT team_id, version, answers, day, source FROM survey_responses \
             WHERE round_id = $1 ORDER BY answers, team_id",
        )
        .bind(round_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(StoredResponse {
                    team_id: r.try_get("team_id")?,
                    version: r.try_get("version")?,
                    answers: r.try_get("answers")?,
                    day: r.try_get("day")?,
                    source: r.try_get("source")?,
                })
            })
            .collect()
    }

    /// Number of responses per team of a round (team id, count); `None` for no team.
    pub async fn survey_response_counts(
        &self,
        round_id: i64,
    ) -> StoreResult<Vec<(Option<i64>, i64)>> {
        let rows = sqlx::query(
            "SELECT team_id, COUNT(*) AS n FROM survey_responses WHERE round_id = $1 \
             GROUP BY team_id",
        )
        .bind(round_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("team_id")?, r.try_get("n")?)))
            .collect()
    }
}

fn free_text_from_row(r: &AnyRow) -> StoreResult<FreeText> {
    Ok(FreeText {
        id: r.try_get("id")?,
        round_id: r.try_get("round_id")?,
        question: r.try_get("question")?,
        text: r.try_get("original")?,
        published: r.try_get("published")?,
        status: r.try_get("status")?,
    })
}

async fn insert_free_texts(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    round_id: i64,
    texts: &[(String, String)],
) -> StoreResult<()> {
    for (question, text) in texts {
        if text.trim().is_empty() {
            continue;
        }
        sqlx::query(
            "INSERT INTO survey_free_texts (round_id, question, original, status) \
             VALUES ($1, $2, $3, 'pending')",
        )
        .bind(round_id)
        .bind(question)
        .bind(text)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

async fn insert_response(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    round_id: i64,
    r: &NewResponse,
) -> StoreResult<()> {
    if !is_iso_date(&r.day) {
        return Err(StoreError::invalid("day", crate::Violation::ResponseDay));
    }
    sqlx::query(
        "INSERT INTO survey_responses (round_id, team_id, version, answers, day, source) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(round_id)
    .bind(r.team_id)
    .bind(r.version)
    .bind(&r.answers)
    .bind(&r.day)
    .bind(r.source)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
