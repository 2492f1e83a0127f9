//! The background-job worker: claims jobs from the `jobs` table (any instance's), runs the
//! handler registered for the job's kind, keeps a heartbeat with progress while it runs,
//! stops it on a cancel request, retries failures with back-off, and enqueues periodic
//! jobs once per period across all instances (a dedupe key per time bucket).
//!
//! Nothing about a job lives only in this process: a worker that dies leaves a job whose
//! heartbeat goes stale, and another worker takes it over.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use store::{Beat, Job, NewJob, Store};

use crate::AppError;

/// What a job handler returns: its result as JSON, or why it stopped.
pub type JobFuture = Pin<Box<dyn Future<Output = Result<serde_json::Value, JobError>> + Send>>;

/// Why a job did not finish.
#[derive(Debug, thiserror::Error)]
pub enum JobError {
    /// It stopped because cancelling was asked (see [`JobContext::is_cancelled`]).
    #[error("geannuleerd")]
    Cancelled,
    /// A failure that may pass (the database was busy, …): tried again after a pause,
    /// while attempts are left.
    #[error("{0}")]
    Retry(String),
    /// A failure that trying again cannot mend (bad input): failed for good. The message
    /// is Dutch, for the user who asked for the job.
    #[error("{0}")]
    Fatal(String),
}

/// A kind of job and the code that runs it.
pub trait JobHandler: Send + Sync + 'static {
    /// The `kind` stored in the jobs table.
    fn kind(&self) -> &'static str;
    /// Runs one job. Report progress and look at the cancel flag through `ctx`; CPU-heavy
    /// work belongs on a blocking thread (`tokio::task::spawn_blocking`).
    fn run(&self, ctx: JobContext, input: serde_json::Value) -> JobFuture;
}

/// What a running job can see and tell: its id and organisation, the store, a cancel
/// flag (set when someone cancels the job or another worker took it over) and progress.
#[derive(Clone)]
pub struct JobContext {
    pub job_id: i64,
    pub org_id: Option<i64>,
    pub store: Store,
    cancel: Arc<AtomicBool>,
    progress: Arc<Mutex<Progress>>,
}

#[derive(Debug, Default, Clone)]
struct Progress {
    fraction: Option<f64>,
    note: Option<String>,
    dirty: bool,
}

impl JobContext {
    /// Records progress (0..=1) and a short Dutch note; written at the next heartbeat.
    pub fn report(&self, fraction: f64, note: impl Into<String>) {
        let mut p = self.progress.lock().unwrap_or_else(|e| e.into_inner());
        p.fraction = Some(fraction);
        p.note = Some(note.into());
        p.dirty = true;
    }

    /// Whether the job should stop now.
    pub fn is_cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }

    /// The flag itself, to hand to pure code that checks it (e.g. a solver's options).
    pub fn cancel_flag(&self) -> Arc<AtomicBool> {
        self.cancel.clone()
    }

    fn take_progress(&self) -> (Option<f64>, Option<String>) {
        let mut p = self.progress.lock().unwrap_or_else(|e| e.into_inner());
        if !p.dirty {
            return (None, None);
        }
        p.dirty = false;
        (p.fraction, p.note.clone())
    }
}

/// A job enqueued once per `every` across all instances.
#[derive(Debug, Clone)]
pub struct Schedule {
    pub kind: &'static str,
    pub every: Duration,
    pub input: serde_json::Value,
}

/// Timing of a worker.
#[derive(Debug, Clone)]
pub struct WorkerConfig {
    /// Names the worker in the jobs table (host and process, say).
    pub name: String,
    /// How long to wait when the queue is empty.
    pub poll_interval: Duration,
    /// How often a running job's heartbeat and progress are written.
    pub heartbeat_interval: Duration,
    /// A running job whose heartbeat is older than this is taken over.
    pub stale_after: Duration,
    /// The pause before the first retry; doubled for each later attempt.
    pub retry_base: Duration,
}

impl WorkerConfig {
    pub fn new(name: impl Into<String>) -> WorkerConfig {
        WorkerConfig {
            name: name.into(),
            poll_interval: Duration::from_secs(2),
            heartbeat_interval: Duration::from_secs(5),
            stale_after: Duration::from_secs(60),
            retry_base: Duration::from_secs(30),
        }
    }
}

/// What [`Worker::run_once`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ran {
    /// The queue had nothing due.
    Idle,
    /// A job ran and ended in this status (`done`, `queued` for a retry, `failed`,
    /// `cancelled`), or `lost` when another worker took it over meanwhile.
    Job { id: i64, status: String },
}

/// Claims and runs jobs.
pub struct Worker {
    store: Store,
    config: WorkerConfig,
    handlers: HashMap<&'static str, Arc<dyn JobHandler>>,
    schedules: Vec<Schedule>,
}

fn secs(d: Duration) -> i64 {
    i64::try_from(d.as_secs()).unwrap_or(i64::MAX).max(1)
}

impl Worker {
    pub fn new(store: Store, config: WorkerConfig) -> Worker {
        Worker {
            store,
            config,
            handlers: HashMap::new(),
            schedules: Vec::new(),
        }
    }

    /// Registers the handler for its kind (a later one for the same kind replaces it).
    pub fn register(&mut self, handler: impl JobHandler) -> &mut Worker {
        self.handlers.insert(handler.kind(), Arc::new(handler));
        self
    }

    /// Adds a periodic job.
    pub fn schedule(&mut self, schedule: Schedule) -> &mut Worker {
        self.schedules.push(schedule);
        self
    }

    /// Enqueues each periodic job whose current period has no job yet (across instances:
    /// the dedupe key is the kind and the period's number).
    pub async fn enqueue_due(&self, now: i64) -> Result<(), AppError> {
        for s in &self.schedules {
            let every = secs(s.every);
            let mut job = NewJob::new(s.kind, s.input.to_string());
            job.dedupe_key = Some(format!("{}:{}", s.kind, now.div_euclid(every)));
            job.run_after = now;
            job.max_attempts = 1;
            self.store.enqueue_job(&job).await?;
        }
        Ok(())
    }

    /// Claims one due job and runs it to its end. Returns [`Ran::Idle`] when there was none.
    pub async fn run_once(&self) -> Result<Ran, AppError> {
        let now = store::now();
        let stale_before = now - secs(self.config.stale_after);
        let Some(job) = self
            .store
            .claim_job(&self.config.name, now, stale_before)
            .await?
        else {
            return Ok(Ran::Idle);
        };
        let id = job.id;
        let status = self.execute(job).await?;
        Ok(Ran::Job { id, status })
    }

    async fn execute(&self, job: Job) -> Result<String, AppError> {
        let worker = self.config.name.as_str();
        let Some(handler) = self.handlers.get(job.kind.as_str()).cloned() else {
            tracing::warn!(job = job.id, kind = %job.kind, "no handler for this job kind");
            let msg = format!("onbekende soort taak: {}", job.kind);
            self.store
                .fail_job(job.id, worker, store::now(), &msg, None)
                .await?;
            return Ok("failed".into());
        };
        let input: serde_json::Value = match serde_json::from_str(&job.input) {
            Ok(v) => v,
            Err(e) => {
                let msg = format!("de invoer van de taak is geen geldige JSON ({e})");
                self.store
                    .fail_job(job.id, worker, store::now(), &msg, None)
                    .await?;
                return Ok("failed".into());
            }
        };
        let ctx = JobContext {
            job_id: job.id,
            org_id: job.org_id,
            store: self.store.clone(),
            cancel: Arc::new(AtomicBool::new(job.cancel_requested)),
            progress: Arc::new(Mutex::new(Progress::default())),
        };
        tracing::info!(job = job.id, kind = %job.kind, attempt = job.attempts, "job started");
        let mut task = tokio::spawn(handler.run(ctx.clone(), input));
        let mut beat = tokio::time::interval(self.config.heartbeat_interval);
        beat.tick().await; // the first tick is immediate
        let mut lost = false;
        let outcome = loop {
            tokio::select! {
                joined = &mut task => break joined,
                _ = beat.tick() => {
                    let (fraction, note) = ctx.take_progress();
                    match self
                        .store
                        .job_heartbeat(job.id, worker, store::now(), fraction, note.as_deref())
                        .await
                    {
                        Ok(Beat::Running) => {}
                        Ok(Beat::CancelRequested) => ctx.cancel.store(true, Ordering::Relaxed),
                        Ok(Beat::Lost) => {
                            lost = true;
                            ctx.cancel.store(true, Ordering::Relaxed);
                        }
                        Err(e) => tracing::warn!(job = job.id, error = %e, "heartbeat failed"),
                    }
                }
            }
        };
        if lost {
            tracing::warn!(
                job = job.id,
                "job taken over by another worker; result dropped"
            );
            return Ok("lost".into());
        }
        let now = store::now();
        let status = match outcome {
            Ok(Ok(result)) => {
                let text = result.to_string();
                if self.store.finish_job(job.id, worker, now, &text).await? {
                    "done"
                } else {
                    "lost"
                }
            }
            Ok(Err(JobError::Cancelled)) => {
                if self.store.mark_job_cancelled(job.id, worker, now).await? {
                    "cancelled"
                } else {
                    "lost"
                }
            }
            Ok(Err(JobError::Fatal(msg))) => {
                self.store.fail_job(job.id, worker, now, &msg, None).await?;
                "failed"
            }
            Ok(Err(JobError::Retry(msg))) => self.retry(&job, now, &msg).await?,
            Err(join) => {
                let msg = if join.is_panic() {
                    "de verwerking liep vast door een fout in het programma".to_string()
                } else {
                    "de verwerking werd afgebroken".to_string()
                };
                tracing::error!(job = job.id, error = %join, "job handler panicked");
                self.retry(&job, now, &msg).await?
            }
        };
        let stored = self.store.job(job.id).await.map(|j| j.status);
        let status = match (status, stored) {
            ("lost", _) => "lost".to_string(),
            (_, Ok(s)) => s,
            (s, Err(_)) => s.to_string(),
        };
        tracing::info!(job = job.id, kind = %job.kind, %status, "job ended");
        Ok(status)
    }

    async fn retry(&self, job: &Job, now: i64, msg: &str) -> Result<&'static str, AppError> {
        let shift = u32::try_from(job.attempts.saturating_sub(1).clamp(0, 16)).unwrap_or(16);
        let wait = secs(self.config.retry_base).saturating_mul(1i64 << shift);
        self.store
            .fail_job(
                job.id,
                &self.config.name,
                now,
                msg,
                Some(now.saturating_add(wait)),
            )
            .await?;
        Ok("retry")
    }

    /// Runs until `shutdown` completes: enqueues periodic jobs, runs due jobs one after
    /// another, and waits `poll_interval` when the queue is empty. Errors of the database
    /// are logged and waited out, never fatal.
    pub async fn run(&self, shutdown: impl Future<Output = ()>) {
        tokio::pin!(shutdown);
        tracing::info!(worker = %self.config.name, "job worker started");
        let mut next_schedule = 0;
        loop {
            let now = store::now();
            if now >= next_schedule {
                if let Err(e) = self.enqueue_due(now).await {
                    tracing::warn!(error = %e, "enqueueing periodic jobs failed");
                }
                next_schedule = now + 60;
            }
            let idle = match self.run_once().await {
                Ok(Ran::Idle) => true,
                Ok(Ran::Job { .. }) => false,
                Err(e) => {
                    tracing::warn!(error = %e, "job worker: database error");
                    true
                }
            };
            if idle {
                tokio::select! {
                    _ = &mut shutdown => break,
                    _ = tokio::time::sleep(self.config.poll_interval) => {}
                }
            } else if futures_poll_ready(&mut shutdown).await {
                break;
            }
        }
        tracing::info!(worker = %self.config.name, "job worker stopped");
    }
}

/// Whether `fut` is already complete, without waiting for it.
async fn futures_poll_ready<F: Future<Output = ()>>(fut: &mut Pin<&mut F>) -> bool {
    tokio::select! {
        biased;
        _ = fut.as_mut() => true,
        _ = std::future::ready(()) => false,
    }
}
