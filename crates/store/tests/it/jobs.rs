//! The jobs queue: claim, heartbeat, finish, retry, cancel, stale takeover and dedupe, on
//! every backend.

use store::{Beat, NewJob};

use crate::for_each_backend;

#[tokio::test]
async fn a_job_runs_once_and_its_result_is_kept() {
    for_each_backend(|s| async move {
        let now = 1_000_000;
        let mut job = NewJob::new("demo", r#"{"n":3}"#.into());
        job.run_after = now;
        let id = s.enqueue_job(&job).await.unwrap().unwrap();
        assert_eq!(s.queued_job_count(now).await.unwrap(), 1);

        let claimed = s.claim_job("w1", now, now - 60).await.unwrap().unwrap();
        assert_eq!((claimed.id, claimed.status.as_str()), (id, "running"));
        assert_eq!(claimed.attempts, 1);
        assert_eq!(claimed.worker.as_deref(), Some("w1"));
        // Nothing else to claim, for this or any other worker.
        assert!(s.claim_job("w2", now, now - 60).await.unwrap().is_none());

        let beat = s
            .job_heartbeat(id, "w1", now + 5, Some(0.5), Some("halverwege"))
            .await
            .unwrap();
        assert_eq!(beat, Beat::Running);
        // Another worker's heartbeat for this job is refused.
        assert_eq!(
            s.job_heartbeat(id, "w2", now + 5, None, None)
                .await
                .unwrap(),
            Beat::Lost
        );
        let j = s.job(id).await.unwrap();
        assert_eq!(j.progress, Some(0.5));
        assert_eq!(j.progress_note.as_deref(), Some("halverwege"));

        assert!(!s.finish_job(id, "w2", now + 6, "{}").await.unwrap());
        assert!(
            s.finish_job(id, "w1", now + 6, r#"{"ok":true}"#)
                .await
                .unwrap()
        );
        let j = s.job(id).await.unwrap();
        assert_eq!(j.status, "done");
        assert_eq!(j.result.as_deref(), Some(r#"{"ok":true}"#));
        assert_eq!(j.progress, Some(1.0));
        assert_eq!(s.queued_job_count(now + 10).await.unwrap(), 0);
    })
    .await;
}

#[tokio::test]
async fn failures_retry_until_the_attempts_run_out() {
    for_each_backend(|s| async move {
        let now = 2_000_000;
        let mut job = NewJob::new("flaky", "{}".into());
        job.run_after = now;
        job.max_attempts = 2;
        let id = s.enqueue_job(&job).await.unwrap().unwrap();

        s.claim_job("w1", now, now - 60).await.unwrap().unwrap();
        assert!(
            s.fail_job(id, "w1", now, "eerste keer mis", Some(now + 30))
                .await
                .unwrap()
        );
        let j = s.job(id).await.unwrap();
        assert_eq!((j.status.as_str(), j.run_after), ("queued", now + 30));
        // Not due before its retry time.
        assert!(
            s.claim_job("w1", now + 10, now - 50)
                .await
                .unwrap()
                .is_none()
        );
        let again = s
            .claim_job("w2", now + 30, now - 30)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(again.attempts, 2);
        assert!(
            s.fail_job(id, "w2", now + 31, "weer mis", Some(now + 60))
                .await
                .unwrap()
        );
        let j = s.job(id).await.unwrap();
        assert_eq!(j.status, "failed");
        assert_eq!(j.error.as_deref(), Some("weer mis"));
        assert!(
            s.claim_job("w1", now + 100, now + 40)
                .await
                .unwrap()
                .is_none()
        );

        // A failure without a retry time fails for good, whatever attempts are left.
        let mut job = NewJob::new("broken", "{}".into());
        job.run_after = now;
        let id = s.enqueue_job(&job).await.unwrap().unwrap();
        s.claim_job("w1", now, now - 60).await.unwrap().unwrap();
        assert!(s.fail_job(id, "w1", now, "kapot", None).await.unwrap());
        assert_eq!(s.job(id).await.unwrap().status, "failed");
    })
    .await;
}

#[tokio::test]
async fn a_stale_job_is_taken_over_and_the_old_worker_loses_it() {
    for_each_backend(|s| async move {
        let now = 3_000_000;
        let mut job = NewJob::new("long", "{}".into());
        job.run_after = now;
        job.max_attempts = 2;
        let id = s.enqueue_job(&job).await.unwrap().unwrap();
        s.claim_job("dead", now, now - 60).await.unwrap().unwrap();
        // Fresh heartbeat: not stale yet.
        assert!(
            s.claim_job("w2", now + 30, now - 30)
                .await
                .unwrap()
                .is_none()
        );
        // 90 s without a heartbeat, stale after 60 s: w2 takes it over.
        let taken = s
            .claim_job("w2", now + 90, now + 30)
            .await
            .unwrap()
            .unwrap();
        assert_eq!((taken.id, taken.attempts), (id, 2));
        assert_eq!(taken.worker.as_deref(), Some("w2"));
        assert_eq!(
            s.job_heartbeat(id, "dead", now + 91, None, None)
                .await
                .unwrap(),
            Beat::Lost
        );
        assert!(!s.finish_job(id, "dead", now + 92, "{}").await.unwrap());
        // w2 dies too on the last attempt: the next claim marks it failed.
        assert!(
            s.claim_job("w3", now + 300, now + 200)
                .await
                .unwrap()
                .is_none()
        );
        let j = s.job(id).await.unwrap();
        assert_eq!(j.status, "failed");
        assert!(j.error.unwrap().contains("stopte onverwacht"));
    })
    .await;
}

#[tokio::test]
async fn cancelling_queued_and_running_jobs() {
    for_each_backend(|s| async move {
        let now = 4_000_000;
        let mut a = NewJob::new("x", "{}".into());
        a.run_after = now;
        let queued = s.enqueue_job(&a).await.unwrap().unwrap();
        assert_eq!(s.cancel_job(queued, now).await.unwrap(), "cancelled");
        assert!(s.claim_job("w1", now, now - 60).await.unwrap().is_none());

        let running = s.enqueue_job(&a).await.unwrap().unwrap();
        s.claim_job("w1", now, now - 60).await.unwrap().unwrap();
        assert_eq!(s.cancel_job(running, now + 1).await.unwrap(), "running");
        assert_eq!(
            s.job_heartbeat(running, "w1", now + 2, None, None)
                .await
                .unwrap(),
            Beat::CancelRequested
        );
        assert!(s.mark_job_cancelled(running, "w1", now + 3).await.unwrap());
        assert_eq!(s.job(running).await.unwrap().status, "cancelled");
        // A finished job stays as it was.
        assert_eq!(s.cancel_job(running, now + 4).await.unwrap(), "cancelled");
        assert_eq!(s.purge_finished_jobs(now + 10).await.unwrap(), 2);
        assert!(s.job(running).await.is_err());
    })
    .await;
}

#[tokio::test]
async fn a_dedupe_key_makes_a_job_unique_and_bad_jobs_are_refused() {
    for_each_backend(|s| async move {
        let mut job = NewJob::new("purge", "{}".into());
        job.dedupe_key = Some("purge:2026-12-06T21".into());
        assert!(s.enqueue_job(&job).await.unwrap().is_some());
        assert_eq!(s.enqueue_job(&job).await.unwrap(), None);
        assert_eq!(s.jobs(None, Some("purge"), 10).await.unwrap().len(), 1);
        assert!(s.jobs(None, Some("andere"), 10).await.unwrap().is_empty());
        job.dedupe_key = None;
        job.max_attempts = 0;
        assert!(s.enqueue_job(&job).await.is_err());
        job.max_attempts = 1;
        job.kind = " ".into();
        assert!(s.enqueue_job(&job).await.is_err());
    })
    .await;
}

#[tokio::test]
async fn two_workers_racing_never_claim_one_job_twice() {
    for_each_backend(|s| async move {
        let now = 5_000_000;
        let mut ids = Vec::new();
        for i in 0..20 {
            let mut job = NewJob::new("race", format!("{{\"i\":{i}}}"));
            job.run_after = now;
            ids.push(s.enqueue_job(&job).await.unwrap().unwrap());
        }
        let claim_all = |name: &'static str| {
            let s = s.clone();
            async move {
                // A lost race claims nothing although jobs remain: go on until the queue
                // is empty, as the worker loop does by polling.
                let mut got = Vec::new();
                while s.queued_job_count(now).await.unwrap() > 0 {
                    if let Some(j) = s.claim_job(name, now, now - 60).await.unwrap() {
                        got.push(j.id);
                    }
                    tokio::task::yield_now().await;
                }
                got
            }
        };
        let (a, b) = tokio::join!(tokio::spawn(claim_all("w1")), tokio::spawn(claim_all("w2")));
        let mut all: Vec<i64> = a.unwrap().into_iter().chain(b.unwrap()).collect();
        all.sort();
        assert_eq!(all, ids);
    })
    .await;
}
