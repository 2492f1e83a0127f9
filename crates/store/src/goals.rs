//! Steering on impact (issue 31, migration 0010): goals with the values of `manual` goals,
//! the public request form's code per organisation, and contract requests with their
//! pipeline and the retention of their personal data. Kinds and statuses are the `impact`
//! crate's codes, read back exactly.

use impact::{GoalKind, RequestStatus};
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::{Store, StoreError, StoreResult, Violation};

/// A stored goal.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GoalRecord {
    pub id: i64,
    pub org_id: i64,
    pub kind: GoalKind,
    pub team_id: Option<i64>,
    pub baseline_date: String,
    pub baseline_value: Option<f64>,
    pub target: f64,
    pub deadline: String,
    pub note: String,
    pub created_at: i64,
}

/// A new goal (dates ISO `YYYY-MM-DD`).
#[derive(Debug, Clone, PartialEq)]
pub struct NewGoal<'a> {
    pub kind: GoalKind,
    pub team_id: Option<i64>,
    pub baseline_date: &'a str,
    pub baseline_value: Option<f64>,
    pub target: f64,
    pub deadline: &'a str,
    pub note: &'a str,
    pub created_by: Option<i64>,
}

/// A value entered for a `manual` goal.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GoalValueRecord {
    pub id: i64,
    pub goal_id: i64,
    pub measured_on: String,
    pub value: f64,
    pub note: String,
}

/// The organisation's public request form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RequestForm {
    pub org_id: i64,
    pub code: String,
    pub retention_months: i64,
}

/// A contract request as stored. After the retention period the personal fields are
/// `None`/empty and `anonymised_at` is set.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ContractRequestRecord {
    pub id: i64,
    pub org_id: i64,
    pub team_id: Option<i64>,
    pub extra_hours: f64,
    /// Comma-separated codes.
    pub days: String,
    pub shifts: String,
    pub conditions: String,
    pub name: Option<String>,
    pub contact: Option<String>,
    pub status: RequestStatus,
    pub reason: Option<String>,
    pub hours_agreed: Option<f64>,
    pub employee_pseudonym: Option<String>,
    pub created_on: String,
    pub accepted_on: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
    pub closed_at: Option<i64>,
    pub anonymised_at: Option<i64>,
}

/// What the public form writes.
#[derive(Debug, Clone, PartialEq)]
pub struct NewContractRequest<'a> {
    pub team_id: Option<i64>,
    pub extra_hours: f64,
    pub days: &'a str,
    pub shifts: &'a str,
    pub conditions: &'a str,
    pub name: &'a str,
    pub contact: &'a str,
    pub created_on: &'a str,
}

/// A move in the pipeline.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestUpdate<'a> {
    pub status: RequestStatus,
    pub reason: Option<&'a str>,
    pub hours_agreed: Option<f64>,
    pub employee_pseudonym: Option<&'a str>,
    /// The date the request reached "akkoord" (kept when already set).
    pub accepted_on: Option<&'a str>,
}

fn check_date(field: &'static str, s: &str) -> StoreResult<()> {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map(|_| ())
        .map_err(|_| StoreError::invalid(field, Violation::Date))
}

fn corrupt(what: &str, value: &str) -> StoreError {
    StoreError::Config(format!(
        "stored impact value cannot be read: {what} '{value}'"
    ))
}

fn goal_from_row(row: &AnyRow) -> StoreResult<GoalRecord> {
    let kind: String = row.try_get("kind")?;
    Ok(GoalRecord {
        id: row.try_get("id")?,
        org_id: row.try_get("org_id")?,
        kind: kind.parse().map_err(|_| corrupt("goal kind", &kind))?,
        team_id: row.try_get("team_id")?,
        baseline_date: row.try_get("baseline_date")?,
        baseline_value: row.try_get("baseline_value")?,
        target: row.try_get("target")?,
        deadline: row.try_get("deadline")?,
        note: row.try_get("note")?,
        created_at: row.try_get("created_at")?,
    })
}

fn request_from_row(row: &AnyRow) -> StoreResult<ContractRequestRecord> {
    let status: String = row.try_get("status")?;
    Ok(ContractRequestRecord {
        id: row.try_get("id")?,
        org_id: row.try_get("org_id")?,
        team_id: row.try_get("team_id")?,
        extra_hours: row.try_get("extra_hours")?,
        days: row.try_get("days")?,
        shifts: row.try_get("shifts")?,
        conditions: row.try_get("conditions")?,
        name: row.try_get("name")?,
        contact: row.try_get("contact")?,
        status: status
            .parse()
            .map_err(|_| corrupt("request status", &status))?,
        reason: row.try_get("reason")?,
        hours_agreed: row.try_get("hours_agreed")?,
        employee_pseudonym: row.try_get("employee_pseudonym")?,
        created_on: row.try_get("created_on")?,
        accepted_on: row.try_get("accepted_on")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
        closed_at: row.try_get("closed_at")?,
        anonymised_at: row.try_get("anonymised_at")?,
    })
}

/// Seconds in the average month, for the retention period.
pub const SECONDS_PER_MONTH: i64 = 2_629_800;

impl Store {
    /// Adds a goal; a team must be one of the organisation's.
    pub async fn add_goal(&self, org_id: i64, g: &NewGoal<'_>) -> StoreResult<GoalRecord> {
        check_date("baseline_date", g.baseline_date)?;
        check_date("deadline", g.deadline)?;
        if let Some(team) = g.team_id {
            let t = self.team(team).await.map_err(|e| match e {
                StoreError::NotFound => StoreError::invalid("team", Violation::UnknownTeam),
                other => other,
            })?;
            if t.org_id != org_id {
                return Err(StoreError::invalid("team", Violation::UnknownTeam));
            }
        }
        // Not cached: an optional number (`baseline_value`) is bound (crate docs: optional floats).
        let row = sqlx::query(GOAL_INSERT)
            .persistent(false)
            .bind(org_id)
            .bind(g.kind.code())
            .bind(g.team_id)
            .bind(g.baseline_date)
            .bind(g.baseline_value)
            .bind(g.target)
            .bind(g.deadline)
            .bind(g.note)
            .bind(crate::now())
            .bind(g.created_by)
            .fetch_one(&self.pool)
            .await?;
        goal_from_row(&row)
    }

    /// The organisation's goals, oldest first.
    pub async fn goals(&self, org_id: i64) -> StoreResult<Vec<GoalRecord>> {
        sqlx::query(
            "SELECT id, org_id, kind, team_id, baseline_date, baseline_value, target, deadline, \
             note, created_at FROM goals WHERE org_id = $1 ORDER BY id",
        )
        .bind(org_id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(goal_from_row)
        .collect()
    }

    /// One goal of the organisation.
    pub async fn goal(&self, org_id: i64, id: i64) -> StoreResult<GoalRecord> {
        let row = sqlx::query(
            "SELECT id, org_id, kind, team_id, baseline_date, baseline_value, target, deadline, \
             note, created_at FROM goals WHERE org_id = $1 AND id = $2",
        )
        .bind(org_id)
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(StoreError::NotFound)?;
        goal_from_row(&row)
    }

    /// Deletes a goal of the organisation (with its values).
    pub async fn delete_goal(&self, org_id: i64, id: i64) -> StoreResult<()> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "DELETE FROM goal_values WHERE goal_id IN (SELECT id FROM goals WHERE org_id = $1 AND id = $2)",
        )
        .bind(org_id)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        let done = sqlx::query("DELETE FROM goals WHERE org_id = $1 AND id = $2")
            .bind(org_id)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        tx.commit().await?;
        Ok(())
    }

    /// Records a value of a `manual` goal.
    pub async fn add_goal_value(
        &self,
        org_id: i64,
        goal_id: i64,
        measured_on: &str,
        value: f64,
        note: &str,
        by: Option<i64>,
    ) -> StoreResult<GoalValueRecord> {
        check_date("measured_on", measured_on)?;
        self.goal(org_id, goal_id).await?;
        let row = sqlx::query(
            "INSERT INTO goal_values (goal_id, measured_on, value, note, recorded_at, recorded_by) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id, goal_id, measured_on, value, note",
        )
        .bind(goal_id)
        .bind(measured_on)
        .bind(value)
        .bind(note)
        .bind(crate::now())
        .bind(by)
        .fetch_one(&self.pool)
        .await?;
        Ok(GoalValueRecord {
            id: row.try_get("id")?,
            goal_id: row.try_get("goal_id")?,
            measured_on: row.try_get("measured_on")?,
            value: row.try_get("value")?,
            note: row.try_get("note")?,
        })
    }

    /// The values of the organisation's `manual` goals, by date.
    pub async fn goal_values(&self, org_id: i64) -> StoreResult<Vec<GoalValueRecord>> {
        sqlx::query(
            "SELECT v.id, v.goal_id, v.measured_on, v.value, v.note FROM goal_values v \
             JOIN goals g ON g.id = v.goal_id WHERE g.org_id = $1 ORDER BY v.measured_on, v.id",
        )
        .bind(org_id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|row| {
            Ok(GoalValueRecord {
                id: row.try_get("id")?,
                goal_id: row.try_get("goal_id")?,
                measured_on: row.try_get("measured_on")?,
                value: row.try_get("value")?,
                note: row.try_get("note")?,
            })
        })
        .collect()
    }

    /// The organisation's request form, if it has one.
    pub async fn request_form(&self, org_id: i64) -> StoreResult<Option<RequestForm>> {
        let row = sqlx::query(
            "SELECT org_id, code, retention_months FROM request_forms WHERE org_id = $1",
        )
        .bind(org_id)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            Ok(RequestForm {
                org_id: r.try_get("org_id")?,
                code: r.try_get("code")?,
                retention_months: r.try_get("retention_months")?,
            })
        })
        .transpose()
    }

    /// The form with this public code.
    pub async fn request_form_by_code(&self, code: &str) -> StoreResult<RequestForm> {
        let r =
            sqlx::query("SELECT org_id, code, retention_months FROM request_forms WHERE code = $1")
                .bind(code)
                .fetch_optional(&self.pool)
                .await?
                .ok_or(StoreError::NotFound)?;
        Ok(RequestForm {
            org_id: r.try_get("org_id")?,
            code: r.try_get("code")?,
            retention_months: r.try_get("retention_months")?,
        })
    }

    /// Sets (creates or replaces) the form's code and retention period.
    pub async fn set_request_form(
        &self,
        org_id: i64,
        code: &str,
        retention_months: i64,
    ) -> StoreResult<RequestForm> {
        if !(1..=60).contains(&retention_months) {
            return Err(StoreError::invalid(
                "retention_months",
                Violation::RetentionMonths,
            ));
        }
        sqlx::query(
            "INSERT INTO request_forms (org_id, code, retention_months, updated_at) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (org_id) DO UPDATE SET code = excluded.code, \
             retention_months = excluded.retention_months, updated_at = excluded.updated_at",
        )
        .bind(org_id)
        .bind(code)
        .bind(retention_months)
        .bind(crate::now())
        .execute(&self.pool)
        .await?;
        Ok(RequestForm {
            org_id,
            code: code.to_string(),
            retention_months,
        })
    }

    /// Stores a request from the public form (status "nieuw").
    pub async fn add_contract_request(
        &self,
        org_id: i64,
        r: &NewContractRequest<'_>,
    ) -> StoreResult<ContractRequestRecord> {
        check_date("created_on", r.created_on)?;
        if let Some(team) = r.team_id {
            let t = self.team(team).await?;
            if t.org_id != org_id {
                return Err(StoreError::invalid("team", Violation::UnknownTeam));
            }
        }
        let now = crate::now();
        let row = sqlx::query(REQUEST_INSERT)
            .bind(org_id)
            .bind(r.team_id)
            .bind(r.extra_hours)
            .bind(r.days)
            .bind(r.shifts)
            .bind(r.conditions)
            .bind(r.name)
            .bind(r.contact)
            .bind(now)
            .bind(RequestStatus::Nieuw.code())
            .bind(r.created_on)
            .bind(now)
            .bind(now)
            .fetch_one(&self.pool)
            .await?;
        request_from_row(&row)
    }

    /// The organisation's requests, newest first.
    pub async fn contract_requests(&self, org_id: i64) -> StoreResult<Vec<ContractRequestRecord>> {
        sqlx::query(REQUEST_SELECT)
            .bind(org_id)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(request_from_row)
            .collect()
    }

    /// One request of the organisation.
    pub async fn contract_request(
        &self,
        org_id: i64,
        id: i64,
    ) -> StoreResult<ContractRequestRecord> {
        self.contract_requests(org_id)
            .await?
            .into_iter()
            .find(|r| r.id == id)
            .ok_or(StoreError::NotFound)
    }

    /// Moves a request in the pipeline; a move to a closed status sets `closed_at`.
    pub async fn update_contract_request(
        &self,
        org_id: i64,
        id: i64,
        u: &RequestUpdate<'_>,
    ) -> StoreResult<ContractRequestRecord> {
        if let Some(d) = u.accepted_on {
            check_date("accepted_on", d)?;
        }
        let now = crate::now();
        let closed = u.status.is_closed().then_some(now);
        let done = sqlx::query(
            "UPDATE contract_requests SET status = $1, reason = $2, hours_agreed = $3, \
             employee_pseudonym = COALESCE($4, employee_pseudonym), \
             accepted_on = COALESCE(accepted_on, $5), updated_at = $6, closed_at = $7 \
             WHERE org_id = $8 AND id = $9 AND anonymised_at IS NULL",
        )
        // Not cached: an optional number (`hours_agreed`) is bound (crate docs: optional floats).
        .persistent(false)
        .bind(u.status.code())
        .bind(u.reason)
        .bind(u.hours_agreed)
        .bind(u.employee_pseudonym)
        .bind(u.accepted_on)
        .bind(now)
        .bind(closed)
        .bind(org_id)
        .bind(id)
        .execute(&self.pool)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        self.contract_request(org_id, id).await
    }

    /// Removes the personal data of requests closed longer ago than their organisation's
    /// retention period (`default_months` without a form row); returns how many.
    pub async fn anonymise_closed_requests(
        &self,
        now: i64,
        default_months: i64,
    ) -> StoreResult<u64> {
        let done = sqlx::query(
            "UPDATE contract_requests SET name = NULL, contact = NULL, \
             employee_pseudonym = NULL, reason = NULL, days = '', shifts = '', \
             conditions = '', anonymised_at = $1 \
             WHERE anonymised_at IS NULL AND closed_at IS NOT NULL AND closed_at + \
             COALESCE((SELECT f.retention_months FROM request_forms f \
             WHERE f.org_id = contract_requests.org_id), $4) * $2 <= $3",
        )
        .bind(now)
        .bind(SECONDS_PER_MONTH)
        .bind(now)
        .bind(default_months)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected())
    }
}

const GOAL_INSERT: &str = "INSERT INTO goals (org_id, kind, team_id, baseline_date, baseline_value, target, deadline, \
     note, created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
     RETURNING id, org_id, kind, team_id, baseline_date, baseline_value, target, deadline, \
     note, created_at";

const REQUEST_INSERT: &str = "INSERT INTO contract_requests (org_id, team_id, extra_hours, days, shifts, conditions, \
     name, contact, consent_at, status, created_on, created_at, updated_at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) \
     RETURNING id, org_id, team_id, extra_hours, days, shifts, conditions, name, contact, \
     status, reason, hours_agreed, employee_pseudonym, created_on, accepted_on, created_at, \
     updated_at, closed_at, anonymised_at";

const REQUEST_SELECT: &str = "SELECT id, org_id, team_id, extra_hours, days, shifts, conditions, name, contact, status, \
     reason, hours_agreed, employee_pseudonym, created_on, accepted_on, created_at, updated_at, \
     closed_at, anonymised_at FROM contract_requests WHERE org_id = $1 \
     ORDER BY created_at DESC, id DESC";
