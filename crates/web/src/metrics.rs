//! `/metrics` in the Prometheus text format (issue 34), behind a bearer token and off
//! when no token is configured (then the route answers 404 like any unknown path):
//! request counts and latency histograms per method, route template and status class,
//! the job queue's length and the database pool's use.
//!
//! The counters are this instance's own, as Prometheus expects: it scrapes every instance
//! and adds them up. They hold no user data: the route template (`/enquete/{key}`), never
//! the path, whose segments can be codes or tokens.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Mutex;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::AppState;

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 11] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

#[derive(Debug, Default, Clone)]
struct Series {
    count: u64,
    sum: f64,
    /// Requests at or below each bound of [`BUCKETS`] (cumulative, as Prometheus wants).
    buckets: [u64; BUCKETS.len()],
}

/// Request counts and latencies of this instance.
#[derive(Debug, Default)]
pub struct Metrics {
    /// (method, route template, status class such as "2xx") → series.
    series: Mutex<BTreeMap<(String, String, &'static str), Series>>,
}

impl Metrics {
    fn record(&self, method: &str, route: &str, status: StatusCode, seconds: f64) {
        let class = match status.as_u16() {
            100..=199 => "1xx",
            200..=299 => "2xx",
            300..=399 => "3xx",
            400..=499 => "4xx",
            _ => "5xx",
        };
        let mut map = self
            .series
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let s = map
            .entry((method.to_string(), route.to_string(), class))
            .or_default();
        s.count += 1;
        s.sum += seconds;
        for (i, bound) in BUCKETS.iter().enumerate() {
            if seconds <= *bound {
                s.buckets[i] += 1;
            }
        }
    }

    fn snapshot(&self) -> BTreeMap<(String, String, &'static str), Series> {
        self.series
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }
}

/// Layer: times every request and counts it under its route template.
pub async fn track(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let method = req.method().to_string();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "(geen route)".to_string(), |m| m.as_str().to_string());
    let started = Instant::now();
    let res = next.run(req).await;
    state.metrics.record(
        &method,
        &route,
        res.status(),
        started.elapsed().as_secs_f64(),
    );
    res
}

/// Label values escaped as the text format asks.
fn label(v: &str) -> String {
    v.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// `GET /metrics`: 404 without a configured token, 401 with a wrong one.
pub async fn page(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let Some(expected) = state.config.metrics_token.as_deref() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    // Compare hashes, so the comparison's time says nothing about the token.
    if store::hash_secret(given.trim()) != store::hash_secret(expected) {
        return (
            StatusCode::UNAUTHORIZED,
            [(header::WWW_AUTHENTICATE, "Bearer")],
            "Stuur het metrics-token mee als 'Authorization: Bearer <token>'.\n",
        )
            .into_response();
    }
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# HELP urenwinst_http_requests_total HTTP requests per method, route template and status class."
    );
    let _ = writeln!(out, "# TYPE urenwinst_http_requests_total counter");
    let series = state.metrics.snapshot();
    for ((method, route, class), s) in &series {
        let _ = writeln!(
            out,
            "urenwinst_http_requests_total{{method=\"{}\",route=\"{}\",status=\"{class}\"}} {}",
            label(method),
            label(route),
            s.count
        );
    }
    let _ = writeln!(
        out,
        "# HELP urenwinst_http_request_duration_seconds Time to answer, per method and route template."
    );
    let _ = writeln!(
        out,
        "# TYPE urenwinst_http_request_duration_seconds histogram"
    );
    // One histogram per method and route: the status classes added up.
    let mut per_route: BTreeMap<(&str, &str), Series> = BTreeMap::new();
    for ((method, route, _), s) in &series {
        let t = per_route
            .entry((method.as_str(), route.as_str()))
            .or_default();
        t.count += s.count;
        t.sum += s.sum;
        for (i, b) in s.buckets.iter().enumerate() {
            t.buckets[i] += b;
        }
    }
    for ((method, route), s) in &per_route {
        let labels = format!("method=\"{}\",route=\"{}\"", label(method), label(route));
        for (bound, n) in BUCKETS.iter().zip(s.buckets) {
            let _ = writeln!(
                out,
                "urenwinst_http_request_duration_seconds_bucket{{{labels},le=\"{bound}\"}} {n}"
            );
        }
        let _ = writeln!(
            out,
            "urenwinst_http_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {}",
            s.count
        );
        let _ = writeln!(
            out,
            "urenwinst_http_request_duration_seconds_sum{{{labels}}} {}",
            s.sum
        );
        let _ = writeln!(
            out,
            "urenwinst_http_request_duration_seconds_count{{{labels}}} {}",
            s.count
        );
    }
    match state.store.queued_job_count(store::now()).await {
        Ok(n) => {
            let _ = writeln!(
                out,
                "# HELP urenwinst_jobs_queued Jobs waiting to run (queued and due), in the shared queue."
            );
            let _ = writeln!(out, "# TYPE urenwinst_jobs_queued gauge");
            let _ = writeln!(out, "urenwinst_jobs_queued {n}");
        }
        Err(e) => tracing::warn!(error = %e, "metrics: job queue length"),
    }
    let (open, idle) = state.store.pool_use();
    let _ = writeln!(
        out,
        "# HELP urenwinst_db_pool_connections Database connections of this instance's pool."
    );
    let _ = writeln!(out, "# TYPE urenwinst_db_pool_connections gauge");
    let idle = idle as u64;
    let _ = writeln!(
        out,
        "urenwinst_db_pool_connections{{state=\"in_use\"}} {}",
        u64::from(open).saturating_sub(idle)
    );
    let _ = writeln!(
        out,
        "urenwinst_db_pool_connections{{state=\"idle\"}} {idle}"
    );
    (
        [
            (
                header::CONTENT_TYPE,
                "text/plain; version=0.0.4; charset=utf-8",
            ),
            (header::CACHE_CONTROL, "no-store"),
        ],
        out,
    )
        .into_response()
}
