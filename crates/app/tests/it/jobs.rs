use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use app::jobs::{JobContext, JobError, JobFuture, JobHandler, Ran, Schedule, Worker, WorkerConfig};
use store::{NewJob, Store};

use crate::for_each_backend;

/// Doubles `n`, reporting progress on the way.
struct Double;
impl JobHandler for Double {
    fn kind(&self) -> &'static str {
        "verdubbel"
    }
    fn run(&self, ctx: JobContext, input: serde_json::Value) -> JobFuture {
        Box::pin(async move {
            let n = input["n"]
                .as_i64()
                .ok_or_else(|| JobError::Fatal("n ontbreekt".into()))?;
            ctx.report(0.5, "bezig");
            tokio::time::sleep(Duration::from_millis(120)).await;
            Ok(serde_json::json!({ "double": n * 2 }))
        })
    }
}

/// Fails with a passing error on its first call, then works.
struct Flaky(Arc<AtomicUsize>);
impl JobHandler for Flaky {
    fn kind(&self) -> &'static str {
        "wisselvallig"
    }
    fn run(&self, _ctx: JobContext, _input: serde_json::Value) -> JobFuture {
        let calls = self.0.fetch_add(1, Ordering::SeqCst);
        Box::pin(async move {
            if calls == 0 {
                Err(JobError::Retry("database bezet".into()))
            } else {
                Ok(serde_json::json!({ "calls": calls + 1 }))
            }
        })
    }
}

/// Panics.
struct Broken;
impl JobHandler for Broken {
    fn kind(&self) -> &'static str {
        "kapot"
    }
    fn run(&self, _ctx: JobContext, _input: serde_json::Value) -> JobFuture {
        Box::pin(async move { panic!("bug in handler") })
    }
}

/// Runs until cancelled (at most 10 s).
struct Patient;
impl JobHandler for Patient {
    fn kind(&self) -> &'static str {
        "geduldig"
    }
    fn run(&self, ctx: JobContext, _input: serde_json::Value) -> JobFuture {
        Box::pin(async move {
            for _ in 0..1000 {
                if ctx.is_cancelled() {
                    return Err(JobError::Cancelled);
                }
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
            Ok(serde_json::json!({}))
        })
    }
}

fn worker(store: &Store, name: &str) -> Worker {
    worker_with_retry(store, name, Duration::from_secs(1))
}

fn worker_with_retry(store: &Store, name: &str, retry_base: Duration) -> Worker {
    let mut config = WorkerConfig::new(name);
    config.heartbeat_interval = Duration::from_millis(40);
    config.retry_base = retry_base;
    let mut w = Worker::new(store.clone(), config);
    w.register(Double)
        .register(Flaky(Arc::new(AtomicUsize::new(0))))
        .register(Broken)
        .register(Patient);
    w
}

async fn enqueue(store: &Store, kind: &str, input: &str) -> i64 {
    let mut job = NewJob::new(kind, input.into());
    job.run_after = store::now() - 1;
    store.enqueue_job(&job).await.unwrap().unwrap()
}

fn ran(id: i64, status: &str) -> Ran {
    Ran::Job {
        id,
        status: status.into(),
    }
}

#[tokio::test]
async fn a_job_runs_to_its_result_with_progress() {
    for_each_backend(|s| async move {
        let w = worker(&s, "w1");
        assert_eq!(w.run_once().await.unwrap(), Ran::Idle);
        let id = enqueue(&s, "verdubbel", r#"{"n": 21}"#).await;
        assert_eq!(w.run_once().await.unwrap(), ran(id, "done"));
        let job = s.job(id).await.unwrap();
        assert_eq!(job.result.as_deref(), Some(r#"{"double":42}"#));
        assert_eq!(job.progress, Some(1.0));
        // The heartbeat wrote the handler's note while it ran.
        assert_eq!(job.progress_note.as_deref(), Some("bezig"));
        // Bad input fails for good, with the handler's Dutch message.
        let bad = enqueue(&s, "verdubbel", r#"{"m": 1}"#).await;
        assert_eq!(w.run_once().await.unwrap(), ran(bad, "failed"));
        assert_eq!(
            s.job(bad).await.unwrap().error.as_deref(),
            Some("n ontbreekt")
        );
        // Input that is not JSON, and a kind nobody handles, fail for good too.
        let garbage = enqueue(&s, "verdubbel", "{nee").await;
        assert_eq!(w.run_once().await.unwrap(), ran(garbage, "failed"));
        let unknown = enqueue(&s, "bestaat-niet", "{}").await;
        assert_eq!(w.run_once().await.unwrap(), ran(unknown, "failed"));
        assert!(
            s.job(unknown)
                .await
                .unwrap()
                .error
                .unwrap()
                .contains("onbekende soort")
        );
    })
    .await;
}

#[tokio::test]
async fn a_passing_failure_is_retried_after_a_pause_and_a_panic_is_contained() {
    for_each_backend(|s| async move {
        // Times are whole seconds: with a pause of 1 s a second boundary between the
        // failure and the next look made the job due at once (a flaky test). A pause of 3 s
        // leaves at least 2 s for that look.
        let w = worker_with_retry(&s, "w1", Duration::from_secs(3));
        let id = enqueue(&s, "wisselvallig", "{}").await;
        assert_eq!(w.run_once().await.unwrap(), ran(id, "queued"));
        let job = s.job(id).await.unwrap();
        assert_eq!(job.error.as_deref(), Some("database bezet"));
        assert!(job.run_after > store::now() - 1);
        // Not before the pause has passed.
        assert_eq!(w.run_once().await.unwrap(), Ran::Idle);
        tokio::time::sleep(Duration::from_millis(3100)).await;
        assert_eq!(w.run_once().await.unwrap(), ran(id, "done"));
        assert_eq!(s.job(id).await.unwrap().attempts, 2);

        let mut job = NewJob::new("kapot", "{}".into());
        job.run_after = store::now() - 1;
        job.max_attempts = 1;
        let broken = s.enqueue_job(&job).await.unwrap().unwrap();
        assert_eq!(w.run_once().await.unwrap(), ran(broken, "failed"));
        assert!(
            s.job(broken)
                .await
                .unwrap()
                .error
                .unwrap()
                .contains("fout in het programma")
        );
    })
    .await;
}

#[tokio::test]
async fn cancelling_a_running_job_stops_it() {
    for_each_backend(|s| async move {
        let w = worker(&s, "w1");
        let id = enqueue(&s, "geduldig", "{}").await;
        let store = s.clone();
        let canceller = tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(150)).await;
            store.cancel_job(id, store::now()).await.unwrap()
        });
        assert_eq!(w.run_once().await.unwrap(), ran(id, "cancelled"));
        assert_eq!(canceller.await.unwrap(), "running");
        assert_eq!(s.job(id).await.unwrap().status, "cancelled");
    })
    .await;
}

#[tokio::test]
async fn a_job_taken_over_by_another_worker_is_dropped_by_the_first() {
    for_each_backend(|s| async move {
        let w = worker(&s, "slow");
        let id = enqueue(&s, "geduldig", "{}").await;
        let store = s.clone();
        let thief = tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(150)).await;
            // Pretend the heartbeat went stale: another worker claims the job.
            let now = store::now();
            store.claim_job("other", now, now + 1000).await.unwrap()
        });
        assert_eq!(w.run_once().await.unwrap(), ran(id, "lost"));
        let taken = thief.await.unwrap().unwrap();
        assert_eq!(taken.id, id);
        let job = s.job(id).await.unwrap();
        assert_eq!(
            (job.status.as_str(), job.worker.as_deref()),
            ("running", Some("other"))
        );
    })
    .await;
}

#[tokio::test]
async fn a_periodic_job_is_enqueued_once_per_period_across_workers() {
    for_each_backend(|s| async move {
        let schedule = Schedule {
            kind: "verdubbel",
            every: Duration::from_secs(3600),
            input: serde_json::json!({"n": 1}),
        };
        let mut a = worker(&s, "a");
        a.schedule(schedule.clone());
        let mut b = worker(&s, "b");
        b.schedule(schedule);
        let hour: i64 = 500_000 * 3600; // the start of an hour
        a.enqueue_due(hour + 10).await.unwrap();
        b.enqueue_due(hour + 20).await.unwrap();
        a.enqueue_due(hour + 3599).await.unwrap();
        assert_eq!(s.jobs(None, Some("verdubbel"), 10).await.unwrap().len(), 1);
        b.enqueue_due(hour + 3600).await.unwrap();
        assert_eq!(s.jobs(None, Some("verdubbel"), 10).await.unwrap().len(), 2);
    })
    .await;
}

#[tokio::test]
async fn the_standard_worker_purges_expired_sessions() {
    for_each_backend(|s| async move {
        let w = app::maintenance::standard_worker(s.clone(), WorkerConfig::new("std"));
        w.enqueue_due(store::now()).await.unwrap();
        match w.run_once().await.unwrap() {
            Ran::Job { status, id } => {
                assert_eq!(status, "done");
                let job = s.job(id).await.unwrap();
                assert_eq!(job.kind, app::maintenance::PURGE);
                assert!(job.result.unwrap().contains("finished_jobs"));
            }
            Ran::Idle => panic!("the purge job was not enqueued"),
        }
    })
    .await;
}
