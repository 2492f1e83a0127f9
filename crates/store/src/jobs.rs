//! Background jobs as rows: enqueue, a portable claim, heartbeat with progress, finish,
//! retry, cancel and a stale-heartbeat takeover. Every instance's worker sees the same
//! queue, so nothing about a job lives in one process's memory.
//!
//! The claim is one statement that both dialects accept:
//! `UPDATE jobs SET … WHERE id = (SELECT id … LIMIT 1) AND <still claimable> RETURNING …`.
//! Two workers that pick the same id race on the row: the second one's re-checked
//! condition fails and it claims nothing (it simply tries again).

use sqlx::Row;

use crate::{Store, StoreError, StoreResult};

/// The states a job goes through (`queued → running → done | failed | cancelled`; a
/// failed attempt with attempts left goes back to `queued`).
pub const JOB_STATUSES: [&str; 5] = ["queued", "running", "done", "failed", "cancelled"];

/// A job to add to the queue.
#[derive(Debug, Clone)]
pub struct NewJob {
    pub kind: String,
    pub org_id: Option<i64>,
    /// JSON text.
    pub input: String,
    /// At most one job ever exists per key (e.g. a periodic job's time bucket).
    pub dedupe_key: Option<String>,
    pub max_attempts: i64,
    /// Unix seconds before which no worker takes it.
    pub run_after: i64,
    pub created_by: Option<i64>,
}

impl NewJob {
    /// A job of `kind` with `input` (JSON text), three attempts, runnable now.
    pub fn new(kind: &str, input: String) -> NewJob {
        NewJob {
            kind: kind.to_string(),
            org_id: None,
            input,
            dedupe_key: None,
            max_attempts: 3,
            run_after: crate::now(),
            created_by: None,
        }
    }
}

/// A stored job.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Job {
    pub id: i64,
    pub kind: String,
    pub org_id: Option<i64>,
    pub input: String,
    pub status: String,
    pub dedupe_key: Option<String>,
    pub attempts: i64,
    pub max_attempts: i64,
    pub run_after: i64,
    pub progress: Option<f64>,
    pub progress_note: Option<String>,
    pub result: Option<String>,
    pub error: Option<String>,
    pub cancel_requested: bool,
    pub worker: Option<String>,
    pub heartbeat: Option<i64>,
    pub created_by: Option<i64>,
    pub created_at: i64,
    pub started_at: Option<i64>,
    pub finished_at: Option<i64>,
}

/// What a heartbeat learnt about the job it was sent for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Beat {
    /// Still ours; go on.
    Running,
    /// Still ours, and someone asked to cancel it.
    CancelRequested,
    /// No longer ours (taken over after a stale heartbeat, or removed): stop without
    /// writing a result.
    Lost,
}

const COLUMNS: &str = "id, kind, org_id, input, status, dedupe_key, attempts, max_attempts, \
    run_after, progress, progress_note, result, error, cancel_requested, worker, heartbeat, \
    created_by, created_at, started_at, finished_at";

fn job_from_row(r: &sqlx::any::AnyRow) -> StoreResult<Job> {
    Ok(Job {
        id: r.try_get("id")?,
        kind: r.try_get("kind")?,
        org_id: r.try_get("org_id")?,
        input: r.try_get("input")?,
        status: r.try_get("status")?,
        dedupe_key: r.try_get("dedupe_key")?,
        attempts: r.try_get("attempts")?,
        max_attempts: r.try_get("max_attempts")?,
        run_after: r.try_get("run_after")?,
        progress: r.try_get("progress")?,
        progress_note: r.try_get("progress_note")?,
        result: r.try_get("result")?,
        error: r.try_get("error")?,
        cancel_requested: r.try_get::<i64, _>("cancel_requested")? != 0,
        worker: r.try_get("worker")?,
        heartbeat: r.try_get("heartbeat")?,
        created_by: r.try_get("created_by")?,
        created_at: r.try_get("created_at")?,
        started_at: r.try_get("started_at")?,
        finished_at: r.try_get("finished_at")?,
    })
}

impl Store {
    /// Adds a job to the queue. With a `dedupe_key` that exists already, nothing is added
    /// and `None` is returned.
    pub async fn enqueue_job(&self, job: &NewJob) -> StoreResult<Option<i64>> {
        if job.kind.trim().is_empty() {
            return Err(StoreError::invalid(
                "kind",
                crate::Violation::JobKindMissing,
            ));
        }
        if job.max_attempts < 1 {
            return Err(StoreError::invalid(
                "max_attempts",
                crate::Violation::JobAttempts,
            ));
        }
        let row = sqlx::query(
            "INSERT INTO jobs (kind, org_id, input, status, dedupe_key, max_attempts, \
             run_after, created_by, created_at) \
             VALUES ($1, $2, $3, 'queued', $4, $5, $6, $7, $8) \
             ON CONFLICT DO NOTHING RETURNING id",
        )
        .bind(&job.kind)
        .bind(job.org_id)
        .bind(&job.input)
        .bind(&job.dedupe_key)
        .bind(job.max_attempts)
        .bind(job.run_after)
        .bind(job.created_by)
        .bind(crate::now())
        .fetch_optional(&self.pool)
        .await?;
        Ok(match row {
            Some(r) => Some(r.try_get("id")?),
            None => None,
        })
    }

    /// One job by id.
    pub async fn job(&self, id: i64) -> StoreResult<Job> {
        let sql = format!("SELECT {COLUMNS} FROM jobs WHERE id = $1");
        let row = sqlx::query(&sql)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        job_from_row(&row)
    }

    /// The newest jobs first, optionally of one organisation and/or one kind.
    pub async fn jobs(
        &self,
        org_id: Option<i64>,
        kind: Option<&str>,
        limit: i64,
    ) -> StoreResult<Vec<Job>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM jobs \
             WHERE ($1 IS NULL OR org_id = $1) AND ($2 IS NULL OR kind = $2) \
             ORDER BY id DESC LIMIT $3"
        );
        let rows = sqlx::query(&sql)
            .bind(org_id)
            .bind(kind)
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(job_from_row).collect()
    }

    /// Jobs waiting to run (queued and due), for metrics and the overview.
    pub async fn queued_job_count(&self, now: i64) -> StoreResult<i64> {
        let row = sqlx::query(
            "SELECT COUNT(*) AS n FROM jobs WHERE status = 'queued' AND run_after <= $1",
        )
        .bind(now)
        .fetch_one(&self.pool)
        .await?;
        Ok(row.try_get("n")?)
    }

    /// Claims the oldest due job for `worker`: a queued job whose `run_after` has come, or
    /// a running job whose heartbeat is older than `stale_before` (its worker died) and
    /// that has attempts left. Running jobs that went stale on their last attempt are
    /// marked failed first. Returns `None` when there is nothing to do.
    pub async fn claim_job(
        &self,
        worker: &str,
        now: i64,
        stale_before: i64,
    ) -> StoreResult<Option<Job>> {
        sqlx::query(
            "UPDATE jobs SET status = 'failed', finished_at = $1, \
             error = 'de verwerking stopte onverwacht (geen teken van leven meer)' \
             WHERE status = 'running' AND heartbeat < $2 AND attempts >= max_attempts",
        )
        .bind(now)
        .bind(stale_before)
        .execute(&self.pool)
        .await?;
        let sql = format!(
            "UPDATE jobs SET status = 'running', worker = $1, heartbeat = $2, \
             started_at = COALESCE(started_at, $2), attempts = attempts + 1 \
             WHERE id = (SELECT id FROM jobs \
                 WHERE (status = 'queued' AND run_after <= $2 AND cancel_requested = 0) \
                    OR (status = 'running' AND heartbeat < $3 AND attempts < max_attempts) \
                 ORDER BY id LIMIT 1) \
             AND ((status = 'queued' AND cancel_requested = 0) \
                  OR (status = 'running' AND heartbeat < $3 AND attempts < max_attempts)) \
             RETURNING {COLUMNS}"
        );
        let row = sqlx::query(&sql)
            .bind(worker)
            .bind(now)
            .bind(stale_before)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(job_from_row).transpose()
    }

    /// Records that `worker` still runs job `id`, with its progress (0..=1) and a note.
    pub async fn job_heartbeat(
        &self,
        id: i64,
        worker: &str,
        now: i64,
        progress: Option<f64>,
        note: Option<&str>,
    ) -> StoreResult<Beat> {
        let progress = progress.map(|p| {
            if p.is_finite() {
                p.clamp(0.0, 1.0)
            } else {
                0.0
            }
        });
        let row = sqlx::query(
            "UPDATE jobs SET heartbeat = $1, progress = COALESCE($2, progress), \
             progress_note = COALESCE($3, progress_note) \
             WHERE id = $4 AND worker = $5 AND status = 'running' RETURNING cancel_requested",
        )
        // Not cached: an optional number (`progress`) is bound (crate docs: optional floats).
        .persistent(false)
        .bind(now)
        .bind(progress)
        .bind(note)
        .bind(id)
        .bind(worker)
        .fetch_optional(&self.pool)
        .await?;
        Ok(match row {
            None => Beat::Lost,
            Some(r) if r.try_get::<i64, _>("cancel_requested")? != 0 => Beat::CancelRequested,
            Some(_) => Beat::Running,
        })
    }

    /// Marks job `id` done with its result (JSON text). `false` when the job is no longer
    /// this worker's (then nothing is written).
    pub async fn finish_job(
        &self,
        id: i64,
        worker: &str,
        now: i64,
        result: &str,
    ) -> StoreResult<bool> {
        let done = sqlx::query(
            "UPDATE jobs SET status = 'done', result = $1, error = NULL, progress = 1, \
             finished_at = $2, heartbeat = $2 \
             WHERE id = $3 AND worker = $4 AND status = 'running'",
        )
        .bind(result)
        .bind(now)
        .bind(id)
        .bind(worker)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Records a failed attempt. With `retry_at` and attempts left the job goes back to
    /// the queue, due then; otherwise (no `retry_at`: a failure that retrying cannot mend)
    /// it is failed for good. `false` when the job is no longer this worker's.
    pub async fn fail_job(
        &self,
        id: i64,
        worker: &str,
        now: i64,
        error: &str,
        retry_at: Option<i64>,
    ) -> StoreResult<bool> {
        let retry = i64::from(retry_at.is_some());
        let done = sqlx::query(
            "UPDATE jobs SET \
               status = CASE WHEN $1 = 1 AND attempts < max_attempts AND cancel_requested = 0 \
                             THEN 'queued' ELSE 'failed' END, \
               finished_at = CASE WHEN $1 = 1 AND attempts < max_attempts \
                                  AND cancel_requested = 0 THEN NULL ELSE $2 END, \
               run_after = $3, error = $4, worker = NULL \
             WHERE id = $5 AND worker = $6 AND status = 'running'",
        )
        .bind(retry)
        .bind(now)
        .bind(retry_at.unwrap_or(now))
        .bind(error)
        .bind(id)
        .bind(worker)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Marks a running job whose handler stopped on a cancel request as cancelled.
    pub async fn mark_job_cancelled(&self, id: i64, worker: &str, now: i64) -> StoreResult<bool> {
        let done = sqlx::query(
            "UPDATE jobs SET status = 'cancelled', finished_at = $1 \
             WHERE id = $2 AND worker = $3 AND status = 'running'",
        )
        .bind(now)
        .bind(id)
        .bind(worker)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Asks to cancel job `id`: a queued job is cancelled at once, a running one is flagged
    /// and its worker stops it at the next heartbeat. Returns the status afterwards;
    /// finished jobs are left as they are.
    pub async fn cancel_job(&self, id: i64, now: i64) -> StoreResult<String> {
        sqlx::query(
            "UPDATE jobs SET status = 'cancelled', cancel_requested = 1, finished_at = $1 \
             WHERE id = $2 AND status = 'queued'",
        )
        .bind(now)
        .bind(id)
        .execute(&self.pool)
        .await?;
        sqlx::query("UPDATE jobs SET cancel_requested = 1 WHERE id = $1 AND status = 'running'")
            .bind(id)
            .execute(&self.pool)
            .await?;
        let row = sqlx::query("SELECT status FROM jobs WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        Ok(row.try_get("status")?)
    }

    /// Deletes finished jobs (done, failed, cancelled) that finished before `before`.
    pub async fn purge_finished_jobs(&self, before: i64) -> StoreResult<u64> {
        let done = sqlx::query(
            "DELETE FROM jobs WHERE status IN ('done', 'failed', 'cancelled') \
             AND finished_at < $1",
        )
        .bind(before)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected())
    }
}
