//! The only crate that knows HTTP: the axum router with the Dutch server-rendered pages,
//! the JSON API under `/api/v1`, authentication (sessions, API tokens), CSRF protection,
//! security headers and the embedded static assets.
//!
//! Architecture invariant: handlers are thin. They extract the actor (the signed-in user
//! or API token), call the application services in crate `app` (which check access,
//! validate, write through `store` and audit) and render the answer or the `AppError`.
//! The same services back the pages, the API and the command line.

pub mod api;
mod assets;
pub mod auth;
mod error;
mod metrics;
mod middleware;
mod page;
mod parts;
mod scope;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::routing::get;
use store::Store;

pub use error::{ApiError, PageError};
pub use page::PageAction;
pub use parts::actions as page_actions;
pub use scope::{ApiOrgScope, OrgScope};

/// Settings of the web layer.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// Mark cookies `Secure` and send HSTS (set when served over TLS, also behind a proxy).
    pub secure_cookies: bool,
    /// Take the client address from `X-Forwarded-For` (only behind a trusted proxy).
    pub trust_proxy: bool,
    /// The address users reach the site at, for links in invitations.
    pub public_url: String,
    /// Session lifetime.
    pub session_hours: i64,
    /// The server-side key that seals stashed uploads and keys the open-link throttle's
    /// address hashes; the same on every instance over one database (default: random, for
    /// one process; `urenwinst serve` reads it from configuration or a key file).
    pub upload_key: app::uploads::UploadKey,
    /// The bearer token of `/metrics`; `None` (the default) turns the route off.
    pub metrics_token: Option<String>,
    /// SMTP for the action reminders, account invitations and password resets, and
    /// survey invitations (docs/mail.md); `None`: reminders in the app only, one-time
    /// links shown to the admin, no survey invitations by mail.
    pub mail: Option<app::mail::MailConfig>,
}

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig {
            secure_cookies: false,
            trust_proxy: false,
            public_url: "http://127.0.0.1:8080".into(),
            session_hours: 12,
            upload_key: app::uploads::UploadKey::random(),
            metrics_token: None,
            mail: None,
        }
    }
}

/// Shared state of all handlers.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub config: Arc<WebConfig>,
    /// Typesets report documents as PDF (the command line passes `report_pdf`'s); without
    /// one the PDF routes answer 503 with a Dutch message.
    pub pdf: Option<Arc<dyn report::PdfRenderer>>,
    /// This instance's request counts and latencies for `/metrics`.
    pub metrics: Arc<metrics::Metrics>,
}

impl AppState {
    pub fn new(store: Store, config: WebConfig) -> AppState {
        AppState {
            store,
            config: Arc::new(config),
            pdf: None,
            metrics: Arc::default(),
        }
    }

    /// The same state with a PDF renderer.
    pub fn with_pdf(mut self, renderer: Arc<dyn report::PdfRenderer>) -> AppState {
        self.pdf = Some(renderer);
        self
    }
}

/// The stylesheet of report documents (`report::to_html`), for a standalone HTML file.
pub const REPORT_CSS: &str = include_str!("../static/report.css");

/// The survey results page of round `round_id` as `user` sees it: the HTML that
/// `GET /enquetes/{id}/resultaten` answers, with the same access checks (for
/// `urenwinst bench survey-results` and the page-size test).
pub async fn survey_results_html(
    state: &AppState,
    user: store::User,
    round_id: i64,
) -> Result<String, PageError> {
    let session = auth::Session {
        user,
        csrf: String::new(),
        actions: (0, 0),
    };
    parts::survey::results::page_html(state, &session, &axum::http::HeaderMap::new(), round_id)
        .await
        .map(|(html, _)| html)
}

/// The whole application as one router.
pub fn router(state: AppState) -> Router {
    Router::new()
        .merge(parts::page_routes())
        .nest("/api/v1", api::routes())
        .route("/healthz", get(health))
        .route("/metrics", get(metrics::page))
        .route("/static/{*path}", get(assets::serve))
        .fallback(page::not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            metrics::track,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            middleware::csrf_and_session,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            middleware::security_headers,
        ))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(
            32 * 1024 * 1024,
        ))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(60),
        ))
        .layer(axum::middleware::from_fn(middleware::api_error_envelope))
        .layer(
            tower_http::trace::TraceLayer::new_for_http().make_span_with(
                |req: &axum::http::Request<_>| {
                    // The route template (`/enquete/{key}`), never the path or the query
                    // string: paths carry survey codes, open-link and password-reset tokens,
                    // and query strings calculator inputs. Unmatched requests log no path.
                    let route = req
                        .extensions()
                        .get::<axum::extract::MatchedPath>()
                        .map_or("(geen route)", |m| m.as_str());
                    tracing::info_span!("request", method = %req.method(), route = %route)
                },
            ),
        )
        .with_state(state)
}

async fn health(
    axum::extract::State(state): axum::extract::State<AppState>,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    match state.store.ping().await {
        Ok(()) => (
            [(axum::http::header::CACHE_CONTROL, "no-store")],
            axum::Json(serde_json::json!({"status": "ok", "database": "ok"})),
        )
            .into_response(),
        Err(e) => {
            tracing::error!(error = %e, "health check failed");
            (
                axum::http::StatusCode::SERVICE_UNAVAILABLE,
                axum::Json(serde_json::json!({"status": "error", "database": "unreachable"})),
            )
                .into_response()
        }
    }
}

/// Serves until SIGTERM or Ctrl-C, then stops accepting and finishes in-flight requests.
pub async fn serve(state: AppState, addr: SocketAddr) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let local = listener.local_addr()?;
    tracing::info!(%local, "listening");
    println!("Urenwinst draait op http://{local}");
    // The job worker (periodic housekeeping, and the jobs pages enqueue) runs beside the
    // server; every instance runs one, and the jobs table keeps them from doing a job twice.
    let (stop_worker, worker_stopped) = tokio::sync::watch::channel(false);
    let worker_store = state.store.clone();
    let mail = state.config.mail.clone();
    let public_url = state.config.public_url.clone();
    let worker = tokio::spawn(async move {
        let config = app::jobs::WorkerConfig::new(worker_name(local));
        let mut worker = app::maintenance::standard_worker(worker_store, config);
        app::survey_mail::register(&mut worker, mail.clone(), &public_url);
        app::programme::register_reminders(&mut worker, mail);
        let mut stopped = worker_stopped;
        worker
            .run(async move {
                let _ = stopped.wait_for(|s| *s).await;
            })
            .await;
    });
    let app = router(state.clone()).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await?;
    let _ = stop_worker.send(true);
    // A job still running after this is abandoned: its heartbeat goes stale and another
    // instance's worker takes it over.
    if tokio::time::timeout(Duration::from_secs(10), worker)
        .await
        .is_err()
    {
        tracing::warn!("job worker did not stop within 10 s; its job will be taken over");
    }
    state.store.close().await;
    tracing::info!("stopped");
    Ok(())
}

/// Names this instance's worker in the jobs table: host, address and process id.
pub fn worker_name(local: SocketAddr) -> String {
    let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "host".into());
    format!("{host}:{local}:{}", std::process::id())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutdown signal received; finishing in-flight requests");
}
