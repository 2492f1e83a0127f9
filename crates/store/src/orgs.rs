//! Organisations, their locations and teams.

use sqlx::Row;
use sqlx::any::AnyRow;

use crate::{
    Location, Organisation, OrganisationInput, Phase, Store, StoreError, StoreResult, Subsector,
    Team,
};

const ORG_COLUMNS: &str =
    "id, name, subsector, fulltime_hours, min_group_size, phase, created_at FROM organisations";

fn org_from_row(row: &AnyRow) -> StoreResult<Organisation> {
    Ok(Organisation {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        subsector: crate::model::stored_code(
            "subsector",
            row.try_get("subsector")?,
            Subsector::from_code,
        )?,
        fulltime_hours: row.try_get("fulltime_hours")?,
        min_group_size: row.try_get("min_group_size")?,
        phase: crate::model::stored_code("phase", row.try_get("phase")?, Phase::from_code)?,
        created_at: row.try_get("created_at")?,
    })
}

fn team_from_row(row: &AnyRow) -> StoreResult<Team> {
    Ok(Team {
        id: row.try_get("id")?,
        org_id: row.try_get("org_id")?,
        location_id: row.try_get("location_id")?,
        name: row.try_get("name")?,
    })
}

fn conflict(err: sqlx::Error, what: &str) -> StoreError {
    if Store::is_unique_violation(&err) {
        StoreError::Conflict(what.to_string())
    } else {
        err.into()
    }
}

fn clean_name(name: &str) -> StoreResult<String> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 120 {
        return Err(StoreError::invalid(
            "name",
            crate::Violation::NameLength { max: 120 },
        ));
    }
    crate::text::check_name("name", name)?;
    Ok(name.to_string())
}

impl Store {
    pub async fn create_organisation(
        &self,
        input: &OrganisationInput,
    ) -> StoreResult<Organisation> {
        let mut input = input.clone();
        input.validate()?;
        let row = sqlx::query(
            "INSERT INTO organisations (name, subsector, fulltime_hours, min_group_size, phase, \
             pseudonym_key, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(&input.name)
        .bind(input.subsector.code())
        .bind(input.fulltime_hours)
        .bind(input.min_group_size)
        .bind(input.phase.code())
        .bind(crate::new_secret())
        .bind(crate::now())
        .fetch_one(&self.pool)
        .await
        .map_err(|e| conflict(e, &input.name))?;
        self.organisation(row.try_get("id")?).await
    }

    pub async fn update_organisation(
        &self,
        id: i64,
        input: &OrganisationInput,
    ) -> StoreResult<Organisation> {
        let mut input = input.clone();
        input.validate()?;
        let done = sqlx::query(
            "UPDATE organisations SET name = $1, subsector = $2, fulltime_hours = $3, \
             min_group_size = $4, phase = $5, data_version = data_version + 1 WHERE id = $6",
        )
        .bind(&input.name)
        .bind(input.subsector.code())
        .bind(input.fulltime_hours)
        .bind(input.min_group_size)
        .bind(input.phase.code())
        .bind(id)
        .execute(&self.pool)
        .await
        .map_err(|e| conflict(e, &input.name))?;
        crate::require_found(&done)?;
        self.organisation(id).await
    }

    /// Deletes an organisation and everything of it, in one transaction: its rows in every
    /// table go through the foreign keys (`ON DELETE CASCADE`, from teams and accounts to
    /// survey answers, HR snapshots, requests and jobs), and its audit log entries, which
    /// have no foreign key (the log outlives what it describes), are deleted here. The
    /// caller records the deletion itself in the audit log afterwards.
    pub async fn delete_organisation(&self, id: i64) -> StoreResult<()> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM audit_log WHERE org_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let done = sqlx::query("DELETE FROM organisations WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        crate::require_found(&done)?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn organisation(&self, id: i64) -> StoreResult<Organisation> {
        let sql = format!("SELECT {ORG_COLUMNS} WHERE id = $1");
        let row = sqlx::query(&sql)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        org_from_row(&row)
    }

    /// Finds an organisation by id (digits) or by exact name (case-insensitive).
    pub async fn find_organisation(&self, id_or_name: &str) -> StoreResult<Organisation> {
        if let Ok(id) = id_or_name.trim().parse::<i64>() {
            return self.organisation(id).await;
        }
        let sql = format!("SELECT {ORG_COLUMNS} WHERE LOWER(name) = LOWER($1)");
        let row = sqlx::query(&sql)
            .bind(id_or_name.trim())
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        org_from_row(&row)
    }

    pub async fn organisations(&self) -> StoreResult<Vec<Organisation>> {
        let sql = format!("SELECT {ORG_COLUMNS} ORDER BY name");
        let rows = sqlx::query(&sql).fetch_all(&self.pool).await?;
        rows.iter().map(org_from_row).collect()
    }

    /// The secret key used to pseudonymise this organisation's HR data.
    pub async fn organisation_pseudonym_key(&self, id: i64) -> StoreResult<String> {
        let row = sqlx::query("SELECT pseudonym_key FROM organisations WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        Ok(row.try_get("pseudonym_key")?)
    }

    pub async fn create_location(&self, org_id: i64, name: &str) -> StoreResult<Location> {
        let name = clean_name(name)?;
        self.organisation(org_id).await?;
        let row = sqlx::query("INSERT INTO locations (org_id, name) VALUES ($1, $2) RETURNING id")
            .bind(org_id)
            .bind(&name)
            .fetch_one(&self.pool)
            .await
            .map_err(|e| conflict(e, &name))?;
        Ok(Location {
            id: row.try_get("id")?,
            org_id,
            name,
        })
    }

    pub async fn locations(&self, org_id: i64) -> StoreResult<Vec<Location>> {
        let rows =
            sqlx::query("SELECT id, org_id, name FROM locations WHERE org_id = $1 ORDER BY name")
                .bind(org_id)
                .fetch_all(&self.pool)
                .await?;
        rows.iter()
            .map(|r| {
                Ok(Location {
                    id: r.try_get("id")?,
                    org_id: r.try_get("org_id")?,
                    name: r.try_get("name")?,
                })
            })
            .collect()
    }

    pub async fn location(&self, id: i64) -> StoreResult<Location> {
        let r = sqlx::query("SELECT id, org_id, name FROM locations WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        Ok(Location {
            id: r.try_get("id")?,
            org_id: r.try_get("org_id")?,
            name: r.try_get("name")?,
        })
    }

    pub async fn delete_location(&self, id: i64) -> StoreResult<()> {
        let done = sqlx::query("DELETE FROM locations WHERE id = $1")
            .bind(id)
            .execute(&self.pool)
            .await?;
        crate::require_found(&done)?;
        Ok(())
    }

    /// Creates a team; `location_id`, when given, must belong to the same organisation.
    pub async fn create_team(
        &self,
        org_id: i64,
        name: &str,
        location_id: Option<i64>,
    ) -> StoreResult<Team> {
        let name = clean_name(name)?;
        self.organisation(org_id).await?;
        if let Some(loc) = location_id {
            let location = self.location(loc).await.map_err(|_| {
                StoreError::invalid("location_id", crate::Violation::UnknownLocation)
            })?;
            if location.org_id != org_id {
                return Err(StoreError::invalid(
                    "location_id",
                    crate::Violation::LocationOfOtherOrganisation,
                ));
            }
        }
        let row = sqlx::query(
            "INSERT INTO teams (org_id, location_id, name) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind(org_id)
        .bind(location_id)
        .bind(&name)
        .fetch_one(&self.pool)
        .await
        .map_err(|e| conflict(e, &name))?;
        Ok(Team {
            id: row.try_get("id")?,
            org_id,
            location_id,
            name,
        })
    }

    /// The active teams of an organisation (archived teams left out: they take no part
    /// in new rounds and are not offered in lists).
    pub async fn teams(&self, org_id: i64) -> StoreResult<Vec<Team>> {
        let rows = sqlx::query(
            "SELECT id, org_id, location_id, name FROM teams WHERE org_id = $1 \
             AND archived = 0 ORDER BY name",
        )
        .bind(org_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(team_from_row).collect()
    }

    /// Every team of an organisation, archived ones included (to name the teams of old
    /// survey rounds).
    pub async fn all_teams(&self, org_id: i64) -> StoreResult<Vec<Team>> {
        let rows = sqlx::query(
            "SELECT id, org_id, location_id, name FROM teams WHERE org_id = $1 ORDER BY name",
        )
        .bind(org_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(team_from_row).collect()
    }

    pub async fn team(&self, id: i64) -> StoreResult<Team> {
        let row = sqlx::query("SELECT id, org_id, location_id, name FROM teams WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        team_from_row(&row)
    }

    /// Whether a team is archived.
    pub async fn team_archived(&self, id: i64) -> StoreResult<bool> {
        let row = sqlx::query("SELECT archived FROM teams WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        Ok(row.try_get::<i64, _>("archived")? != 0)
    }

    /// Archives a team: it keeps its place in the results of earlier rounds but is left out
    /// of lists and new rounds.
    pub async fn archive_team(&self, id: i64) -> StoreResult<()> {
        let done = sqlx::query("UPDATE teams SET archived = 1 WHERE id = $1")
            .bind(id)
            .execute(&self.pool)
            .await?;
        crate::require_found(&done)?;
        Ok(())
    }

    /// Whether a team holds survey data that a deletion would move: responses, codes, or a
    /// place in a round that has opened. Such a team can only be archived.
    pub async fn team_has_survey_data(&self, id: i64) -> StoreResult<bool> {
        let row = sqlx::query(
            "SELECT \
             (SELECT COUNT(*) FROM survey_responses WHERE team_id = $1) + \
             (SELECT COUNT(*) FROM survey_codes WHERE team_id = $1) + \
             (SELECT COUNT(*) FROM survey_round_teams rt JOIN survey_rounds r \
                ON r.id = rt.round_id WHERE rt.team_id = $1 AND r.status <> 'concept') AS n",
        )
        .bind(id)
        .fetch_one(&self.pool)
        .await?;
        Ok(row.try_get::<i64, _>("n")? > 0)
    }

    /// Deletes a team without survey data (see [`Store::team_has_survey_data`]); a team
    /// with survey data is refused, since deleting it would change the partition of
    /// earlier rounds (its responses would move to "onbekend").
    pub async fn delete_team(&self, id: i64) -> StoreResult<()> {
        let team = self.team(id).await?;
        if self.team_has_survey_data(id).await? {
            return Err(StoreError::invalid(
                "team",
                crate::Violation::TeamHasSurveyData { team: team.name },
            ));
        }
        // The same conditions again in the statement, so a response arriving between the
        // check and the delete keeps the team.
        let done = sqlx::query(
            "DELETE FROM teams WHERE id = $1 \
             AND NOT EXISTS (SELECT 1 FROM survey_responses WHERE team_id = $1) \
             AND NOT EXISTS (SELECT 1 FROM survey_codes WHERE team_id = $1) \
             AND NOT EXISTS (SELECT 1 FROM survey_round_teams rt JOIN survey_rounds r \
                ON r.id = rt.round_id WHERE rt.team_id = $1 AND r.status <> 'concept')",
        )
        .bind(id)
        .execute(&self.pool)
        .await?;
        crate::require_found(&done)?;
        Ok(())
    }

    /// Counts per organisation for overviews: (org id, teams, users).
    pub async fn organisation_counts(&self) -> StoreResult<Vec<(i64, i64, i64)>> {
        let rows = sqlx::query(
            "SELECT o.id AS id, \
             (SELECT COUNT(*) FROM teams t WHERE t.org_id = o.id AND t.archived = 0) AS teams, \
             (SELECT COUNT(*) FROM users u WHERE u.org_id = o.id) AS users \
             FROM organisations o ORDER BY o.id",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("id")?, r.try_get("teams")?, r.try_get("users")?)))
            .collect()
    }

    /// Reads a setting (e.g. the region's name).
    pub async fn setting(&self, key: &str) -> StoreResult<Option<String>> {
        let row = sqlx::query("SELECT value FROM settings WHERE key = $1")
            .bind(key)
            .fetch_optional(&self.pool)
            .await?;
        Ok(match row {
            Some(r) => Some(r.try_get("value")?),
            None => None,
        })
    }

    pub async fn set_setting(&self, key: &str, value: &str) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO settings (key, value) VALUES ($1, $2) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .bind(key)
        .bind(value)
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}
