//! Housekeeping as a periodic job: expired sessions, one-time links and login failures,
//! expired survey drafts, expired HR uploads and open-link throttle windows, the e-mail
//! address lists of closed survey rounds, finished jobs past their keeping time, and what
//! the retention periods per data kind (`retention`: HR snapshots, uploads, survey drafts,
//! the personal data of closed contract requests, the audit log) say has to go, removed
//! once per hour across all instances.

use std::time::Duration;

use crate::jobs::{JobContext, JobError, JobFuture, JobHandler, Schedule};

/// The job kind that removes expired data.
pub const PURGE: &str = "opruimen";

/// Login failures count for throttling for a day; then they are removed.
pub const LOGIN_FAILURES_KEPT: Duration = Duration::from_secs(24 * 3600);
/// Finished jobs (and their results) are kept for 14 days.
pub const FINISHED_JOBS_KEPT: Duration = Duration::from_secs(14 * 24 * 3600);

/// Removes expired sessions, one-time links, old login failures, expired survey drafts,
/// expired uploads, ended throttle windows and old finished jobs.
pub struct Purge;

impl JobHandler for Purge {
    fn kind(&self) -> &'static str {
        PURGE
    }

    fn run(&self, ctx: JobContext, _input: serde_json::Value) -> JobFuture {
        Box::pin(async move {
            let now = store::now();
            let auth = ctx
                .store
                .purge_expired(now - LOGIN_FAILURES_KEPT.as_secs() as i64)
                .await
                .map_err(|e| JobError::Retry(e.to_string()))?;
            ctx.report(0.4, "verlopen sessies en links verwijderd");
            let drafts = ctx
                .store
                .purge_expired_survey_drafts()
                .await
                .map_err(|e| JobError::Retry(e.to_string()))?;
            ctx.report(0.6, "verlopen concepten van enquêtes verwijderd");
            let uploads = ctx
                .store
                .purge_expired_uploads(now)
                .await
                .map_err(|e| JobError::Retry(e.to_string()))?;
            let link_attempts = ctx
                .store
                .purge_expired_link_attempts(now)
                .await
                .map_err(|e| JobError::Retry(e.to_string()))?;
            ctx.report(
                0.8,
                "verlopen uploads en tellingen van open links verwijderd",
            );
            // The address lists of survey rounds that closed (closing deletes them too;
            // this catches rounds past their closing date by a month).
            let cutoff = chrono::Utc::now().date_naive() - chrono::Days::new(30);
            let invitations = ctx
                .store
                .purge_survey_invitations(&cutoff.format("%Y-%m-%d").to_string())
                .await
                .map_err(|e| JobError::Retry(e.to_string()))?;
            // The retention periods per data kind (`retention`), hourly, which meets
            // the daily purge the settings promise.
            let today = crate::survey::today()
                .parse()
                .map_err(|e| JobError::Fatal(format!("datum van vandaag: {e}")))?;
            let retention = crate::retention::apply(&ctx.store, now, today)
                .await
                .map_err(|e| JobError::Retry(e.to_string()))?;
            let jobs = ctx
                .store
                .purge_finished_jobs(now - FINISHED_JOBS_KEPT.as_secs() as i64)
                .await
                .map_err(|e| JobError::Retry(e.to_string()))?;
            Ok(serde_json::json!({
                "sessions_links_failures": auth,
                "survey_drafts": drafts,
                "uploads": uploads,
                "link_attempts": link_attempts,
                "survey_invitations": invitations,
                "finished_jobs": jobs,
                "retention": retention,
            }))
        })
    }
}

/// The hourly purge.
pub fn hourly_purge() -> Schedule {
    Schedule {
        kind: PURGE,
        every: Duration::from_secs(3600),
        input: serde_json::json!({}),
    }
}

/// The job kind that brings the regional picture's kept figures up to date.
pub const REFRESH_FIGURES: &str = "regiocijfers";

/// Organisations per refresh run (each costs one Value Case per year with results).
pub const REFRESH_BATCH: i64 = 500;

/// Recomputes the kept regional figures of organisations whose data changed since they
/// were kept (`org_figures`, migration 0013), so a regional picture reads only kept rows.
/// A picture computes what is stale itself too; this keeps the first request fast.
pub struct RefreshFigures;

impl JobHandler for RefreshFigures {
    fn kind(&self) -> &'static str {
        REFRESH_FIGURES
    }

    fn run(&self, ctx: JobContext, _input: serde_json::Value) -> JobFuture {
        Box::pin(async move {
            let today = crate::survey::today()
                .parse()
                .map_err(|e| JobError::Fatal(format!("datum van vandaag: {e}")))?;
            let refreshed = crate::region::refresh_stale(&ctx.store, REFRESH_BATCH, today)
                .await
                .map_err(|e| JobError::Retry(e.to_string()))?;
            ctx.report(1.0, "regiocijfers bijgewerkt");
            Ok(serde_json::json!({ "organisations": refreshed }))
        })
    }
}

/// The refresh of the regional figures, every ten minutes.
pub fn figures_refresh() -> Schedule {
    Schedule {
        kind: REFRESH_FIGURES,
        every: Duration::from_secs(600),
        input: serde_json::json!({}),
    }
}

/// A worker with every job kind the platform knows and its periodic jobs.
pub fn standard_worker(
    store: store::Store,
    config: crate::jobs::WorkerConfig,
) -> crate::jobs::Worker {
    let mut w = crate::jobs::Worker::new(store, config);
    w.register(Purge).schedule(hourly_purge());
    w.register(RefreshFigures).schedule(figures_refresh());
    w.register(crate::roster::DesignJob);
    w
}
