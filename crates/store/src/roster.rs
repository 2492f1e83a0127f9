//! Roster scans and roster designs (issue 32): one team's pseudonymised roster export with
//! its scan report, and the designs started from it with the progress their job writes.
//! The rows hold JSON written by `app` (the `roster` crate's types); this module only
//! stores and loads them. Names arrive sealed (`names_sealed`) or not at all.

use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::{Store, StoreError, StoreResult, Violation};

/// A stored roster scan (without the large JSON columns; see [`Store::roster_scan_data`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RosterScan {
    pub id: i64,
    pub org_id: i64,
    pub team_id: i64,
    /// ISO dates `YYYY-MM-DD`.
    pub period_start: String,
    pub period_end: String,
    pub file_name: String,
    pub employees: i64,
    pub shifts: i64,
    pub has_names: bool,
    pub created_at: i64,
    pub created_by: Option<i64>,
}

/// The JSON columns of a scan.
#[derive(Debug, Clone, PartialEq)]
pub struct RosterScanData {
    pub export_json: String,
    pub report_json: String,
    pub names_sealed: Option<String>,
}

/// What storing a scan writes.
#[derive(Debug, Clone)]
pub struct NewRosterScan<'a> {
    pub org_id: i64,
    pub team_id: i64,
    pub period_start: &'a str,
    pub period_end: &'a str,
    pub file_name: &'a str,
    pub employees: i64,
    pub shifts: i64,
    pub export_json: &'a str,
    pub report_json: &'a str,
    pub names_sealed: Option<&'a str>,
    pub created_by: Option<i64>,
}

/// A stored roster design.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RosterDesign {
    pub id: i64,
    pub org_id: i64,
    pub team_id: i64,
    pub scan_id: i64,
    pub job_id: Option<i64>,
    /// The design's input (JSON text).
    pub input_json: String,
    /// The time limit of the solve.
    pub seconds: i64,
    pub best_objective: Option<i64>,
    pub seconds_left: Option<i64>,
    /// The result (JSON text) once the job finished.
    pub result_json: Option<String>,
    pub created_at: i64,
    pub created_by: Option<i64>,
}

const SCAN_COLUMNS: &str = "id, org_id, team_id, period_start, period_end, file_name, \
    employees, shifts, names_sealed IS NOT NULL AS has_names, created_at, created_by";

const DESIGN_COLUMNS: &str = "id, org_id, team_id, scan_id, job_id, input_json, seconds, \
    best_objective, seconds_left, result_json, created_at, created_by";

fn flag(row: &AnyRow, col: &str) -> StoreResult<bool> {
    // SQLite answers an integer, PostgreSQL a boolean.
    match row.try_get::<bool, _>(col) {
        Ok(b) => Ok(b),
        Err(_) => Ok(row.try_get::<i64, _>(col)? != 0),
    }
}

fn scan_from_row(r: &AnyRow) -> StoreResult<RosterScan> {
    Ok(RosterScan {
        id: r.try_get("id")?,
        org_id: r.try_get("org_id")?,
        team_id: r.try_get("team_id")?,
        period_start: r.try_get("period_start")?,
        period_end: r.try_get("period_end")?,
        file_name: r.try_get("file_name")?,
        employees: r.try_get("employees")?,
        shifts: r.try_get("shifts")?,
        has_names: flag(r, "has_names")?,
        created_at: r.try_get("created_at")?,
        created_by: r.try_get("created_by")?,
    })
}

fn design_from_row(r: &AnyRow) -> StoreResult<RosterDesign> {
    Ok(RosterDesign {
        id: r.try_get("id")?,
        org_id: r.try_get("org_id")?,
        team_id: r.try_get("team_id")?,
        scan_id: r.try_get("scan_id")?,
        job_id: r.try_get("job_id")?,
        input_json: r.try_get("input_json")?,
        seconds: r.try_get("seconds")?,
        best_objective: r.try_get("best_objective")?,
        seconds_left: r.try_get("seconds_left")?,
        result_json: r.try_get("result_json")?,
        created_at: r.try_get("created_at")?,
        created_by: r.try_get("created_by")?,
    })
}

fn check_iso(field: &'static str, value: &str) -> StoreResult<()> {
    if chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d").is_err() {
        return Err(StoreError::invalid(field, Violation::Date));
    }
    Ok(())
}

impl Store {
    /// Stores a scan of a team of `org_id` (the team must belong to that organisation).
    pub async fn add_roster_scan(&self, scan: &NewRosterScan<'_>) -> StoreResult<RosterScan> {
        check_iso("period_start", scan.period_start)?;
        check_iso("period_end", scan.period_end)?;
        let team = self.team(scan.team_id).await?;
        if team.org_id != scan.org_id {
            return Err(StoreError::NotFound);
        }
        let sql = format!(
            "INSERT INTO roster_scans (org_id, team_id, period_start, period_end, file_name, \
             employees, shifts, export_json, report_json, names_sealed, created_at, created_by) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING {SCAN_COLUMNS}"
        );
        let _turn = self.write_turn().await;
        let row = sqlx::query(&sql)
            .bind(scan.org_id)
            .bind(scan.team_id)
            .bind(scan.period_start)
            .bind(scan.period_end)
            .bind(scan.file_name)
            .bind(scan.employees)
            .bind(scan.shifts)
            .bind(scan.export_json)
            .bind(scan.report_json)
            .bind(scan.names_sealed)
            .bind(crate::now())
            .bind(scan.created_by)
            .fetch_one(&self.pool)
            .await?;
        scan_from_row(&row)
    }

    /// The scans of an organisation (all teams), newest period first.
    pub async fn roster_scans(&self, org_id: i64) -> StoreResult<Vec<RosterScan>> {
        let sql = format!(
            "SELECT {SCAN_COLUMNS} FROM roster_scans WHERE org_id = $1 \
             ORDER BY period_start DESC, id DESC"
        );
        sqlx::query(&sql)
            .bind(org_id)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(scan_from_row)
            .collect()
    }

    /// One scan of `org_id`; not found when it is another organisation's.
    pub async fn roster_scan(&self, org_id: i64, id: i64) -> StoreResult<RosterScan> {
        let sql = format!("SELECT {SCAN_COLUMNS} FROM roster_scans WHERE org_id = $1 AND id = $2");
        let row = sqlx::query(&sql)
            .bind(org_id)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        scan_from_row(&row)
    }

    /// The JSON columns of a scan of `org_id`.
    pub async fn roster_scan_data(&self, org_id: i64, id: i64) -> StoreResult<RosterScanData> {
        let row = sqlx::query(
            "SELECT export_json, report_json, names_sealed FROM roster_scans \
             WHERE org_id = $1 AND id = $2",
        )
        .bind(org_id)
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(StoreError::NotFound)?;
        Ok(RosterScanData {
            export_json: row.try_get("export_json")?,
            report_json: row.try_get("report_json")?,
            names_sealed: row.try_get("names_sealed")?,
        })
    }

    /// Adds a design of scan `scan_id` together with the job that solves it, in one
    /// transaction (a design never exists without its job, nor a job without its design).
    /// `job.input` gets the design's id as `{"design_id": N}`.
    #[allow(clippy::too_many_arguments)]
    pub async fn add_roster_design(
        &self,
        org_id: i64,
        scan_id: i64,
        input_json: &str,
        seconds: i64,
        created_by: Option<i64>,
        job_kind: &str,
        max_attempts: i64,
    ) -> StoreResult<RosterDesign> {
        let scan = self.roster_scan(org_id, scan_id).await?;
        let now = crate::now();
        let _turn = self.write_turn().await;
        let mut tx = self.pool.begin().await?;
        let sql = format!(
            "INSERT INTO roster_designs (org_id, team_id, scan_id, input_json, seconds, \
             created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING {DESIGN_COLUMNS}"
        );
        let row = sqlx::query(&sql)
            .bind(org_id)
            .bind(scan.team_id)
            .bind(scan_id)
            .bind(input_json)
            .bind(seconds)
            .bind(now)
            .bind(created_by)
            .fetch_one(&mut *tx)
            .await?;
        let mut design = design_from_row(&row)?;
        let job = sqlx::query(
            "INSERT INTO jobs (kind, org_id, input, status, max_attempts, run_after, \
             created_by, created_at) VALUES ($1, $2, $3, 'queued', $4, $5, $6, $7) RETURNING id",
        )
        .bind(job_kind)
        .bind(org_id)
        .bind(format!("{{\"design_id\":{}}}", design.id))
        .bind(max_attempts)
        .bind(now)
        .bind(created_by)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        let job_id: i64 = job.try_get("id")?;
        sqlx::query("UPDATE roster_designs SET job_id = $1 WHERE id = $2")
            .bind(job_id)
            .bind(design.id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        design.job_id = Some(job_id);
        Ok(design)
    }

    /// Adds a design that was solved without the queue (the demo): no job, the result kept.
    #[allow(clippy::too_many_arguments)]
    pub async fn add_finished_roster_design(
        &self,
        org_id: i64,
        scan_id: i64,
        input_json: &str,
        seconds: i64,
        created_by: Option<i64>,
        best_objective: Option<i64>,
        result_json: &str,
    ) -> StoreResult<RosterDesign> {
        let scan = self.roster_scan(org_id, scan_id).await?;
        let sql = format!(
            "INSERT INTO roster_designs (org_id, team_id, scan_id, input_json, seconds, \
             best_objective, seconds_left, result_json, created_at, created_by) \
             VALUES ($1, $2, $3, $4, $5, $6, 0, $7, $8, $9) RETURNING {DESIGN_COLUMNS}"
        );
        let _turn = self.write_turn().await;
        let row = sqlx::query(&sql)
            .bind(org_id)
            .bind(scan.team_id)
            .bind(scan_id)
            .bind(input_json)
            .bind(seconds)
            .bind(best_objective)
            .bind(result_json)
            .bind(crate::now())
            .bind(created_by)
            .fetch_one(&self.pool)
            .await?;
        design_from_row(&row)
    }

    /// The designs of an organisation's scan, newest first.
    pub async fn roster_designs(
        &self,
        org_id: i64,
        scan_id: i64,
    ) -> StoreResult<Vec<RosterDesign>> {
        let sql = format!(
            "SELECT {DESIGN_COLUMNS} FROM roster_designs WHERE org_id = $1 AND scan_id = $2 \
             ORDER BY id DESC"
        );
        sqlx::query(&sql)
            .bind(org_id)
            .bind(scan_id)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(design_from_row)
            .collect()
    }

    /// Every design of an organisation, newest first.
    pub async fn roster_designs_of_org(&self, org_id: i64) -> StoreResult<Vec<RosterDesign>> {
        let sql = format!(
            "SELECT {DESIGN_COLUMNS} FROM roster_designs WHERE org_id = $1 ORDER BY id DESC"
        );
        sqlx::query(&sql)
            .bind(org_id)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(design_from_row)
            .collect()
    }

    /// One design of `org_id`.
    pub async fn roster_design(&self, org_id: i64, id: i64) -> StoreResult<RosterDesign> {
        let sql =
            format!("SELECT {DESIGN_COLUMNS} FROM roster_designs WHERE org_id = $1 AND id = $2");
        let row = sqlx::query(&sql)
            .bind(org_id)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        design_from_row(&row)
    }

    /// A design by id alone, for its job (which carries only the id).
    pub async fn roster_design_for_job(&self, id: i64) -> StoreResult<RosterDesign> {
        let sql = format!("SELECT {DESIGN_COLUMNS} FROM roster_designs WHERE id = $1");
        let row = sqlx::query(&sql)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        design_from_row(&row)
    }

    /// Writes the solver's progress (best objective so far, seconds left).
    pub async fn set_roster_design_progress(
        &self,
        id: i64,
        best_objective: Option<i64>,
        seconds_left: i64,
    ) -> StoreResult<()> {
        let done = sqlx::query(
            "UPDATE roster_designs SET best_objective = $1, seconds_left = $2 WHERE id = $3",
        )
        .bind(best_objective)
        .bind(seconds_left)
        .bind(id)
        .execute(&self.pool)
        .await?;
        crate::require_found(&done)
    }

    /// Keeps the result of a design (JSON text).
    pub async fn set_roster_design_result(
        &self,
        id: i64,
        best_objective: Option<i64>,
        result_json: &str,
    ) -> StoreResult<()> {
        let _turn = self.write_turn().await;
        let done = sqlx::query(
            "UPDATE roster_designs SET best_objective = $1, seconds_left = 0, result_json = $2 \
             WHERE id = $3",
        )
        .bind(best_objective)
        .bind(result_json)
        .bind(id)
        .execute(&self.pool)
        .await?;
        crate::require_found(&done)
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::TestDb;

    #[tokio::test]
    async fn scans_and_designs_round_trip_on_each_backend() {
        for db in TestDb::all().await.unwrap() {
            let s = &db.store;
            let input = |name: &str| crate::OrganisationInput::new(name, crate::Subsector::Vvt);
            let org = s.create_organisation(&input("Roosterorg")).await.unwrap();
            let other = s.create_organisation(&input("Andere org")).await.unwrap();
            let team = s.create_team(org.id, "Team Zon", None).await.unwrap();
            let scan = super::NewRosterScan {
                org_id: org.id,
                team_id: team.id,
                period_start: "2026-03-02",
                period_end: "2026-03-29",
                file_name: "rooster.csv",
                employees: 3,
                shifts: 40,
                export_json: "{\"shifts\":[]}",
                report_json: "{}",
                names_sealed: None,
                created_by: None,
            };
            // A team of another organisation is refused.
            let wrong = super::NewRosterScan {
                org_id: other.id,
                ..scan.clone()
            };
            assert!(s.add_roster_scan(&wrong).await.is_err());
            let bad_date = super::NewRosterScan {
                period_start: "02-03-2026",
                ..scan.clone()
            };
            assert!(s.add_roster_scan(&bad_date).await.is_err());
            let stored = s.add_roster_scan(&scan).await.unwrap();
            assert!(!stored.has_names);
            assert_eq!(s.roster_scans(org.id).await.unwrap(), vec![stored.clone()]);
            assert!(s.roster_scans(other.id).await.unwrap().is_empty());
            assert!(s.roster_scan(other.id, stored.id).await.is_err());
            let data = s.roster_scan_data(org.id, stored.id).await.unwrap();
            assert_eq!(data.export_json, "{\"shifts\":[]}");

            let d = s
                .add_roster_design(org.id, stored.id, "{}", 30, None, "roster_design", 2)
                .await
                .unwrap();
            let job = s.job(d.job_id.unwrap()).await.unwrap();
            assert_eq!(job.kind, "roster_design");
            assert_eq!(job.input, format!("{{\"design_id\":{}}}", d.id));
            assert_eq!(job.org_id, Some(org.id));
            assert!(
                s.add_roster_design(other.id, stored.id, "{}", 30, None, "roster_design", 2)
                    .await
                    .is_err()
            );
            s.set_roster_design_progress(d.id, Some(120), 12)
                .await
                .unwrap();
            let got = s.roster_design(org.id, d.id).await.unwrap();
            assert_eq!(
                (got.best_objective, got.seconds_left),
                (Some(120), Some(12))
            );
            s.set_roster_design_result(d.id, Some(100), "{\"ok\":1}")
                .await
                .unwrap();
            let got = s.roster_design_for_job(d.id).await.unwrap();
            assert_eq!(got.result_json.as_deref(), Some("{\"ok\":1}"));
            assert_eq!(s.roster_designs(org.id, stored.id).await.unwrap().len(), 1);
            assert!(s.roster_design(other.id, d.id).await.is_err());
            db.cleanup().await.unwrap();
        }
    }
}
