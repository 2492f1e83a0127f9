//! The reports of the product part "Fase 0": the Value Case page with its PDF and the
//! "share with the organisation" action, the Fase 0 interview, and the Fase 0 checklist
//! (per organisation and, for the programme, over all organisations), with their JSON API
//! twins. Every handler calls `app::value_case`; access rules live in `app::access`.

pub mod api;
pub mod pages;

use std::time::Duration;

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use tokio::sync::Semaphore;
use valuecase::ValueCase;

use crate::AppState;

/// The report date: today in the Netherlands.
pub(crate) fn today() -> NaiveDate {
    chrono::Utc::now()
        .with_timezone(&chrono_tz::Europe::Amsterdam)
        .date_naive()
}

/// Longest a PDF may take; the page answers 503 after this (the render finishes in the
/// background and is dropped).
pub(crate) const PDF_TIME_LIMIT: Duration = Duration::from_secs(30);
/// Largest PDF served (a Value Case is well under 1 MB; more means something is wrong).
pub(crate) const PDF_MAX_BYTES: usize = 20 * 1024 * 1024;
/// PDFs typeset at once per instance: one per core of the reference machine.
static PDF_SLOTS: Semaphore = Semaphore::const_new(2);

/// Why no PDF came.
#[derive(Debug)]
pub(crate) enum PdfProblem {
    /// This installation has no PDF renderer.
    Unavailable,
    TimedOut,
    TooLarge(usize),
    Failed(String),
}

impl PdfProblem {
    fn status_and_message(&self) -> (StatusCode, &'static str, String) {
        match self {
            PdfProblem::Unavailable => (
                StatusCode::SERVICE_UNAVAILABLE,
                "pdf_unavailable",
                "Deze installatie van Urenwinst kan geen PDF maken. De Value Case staat wel op de pagina; druk die af of bewaar hem als PDF met de printfunctie van de browser.".into(),
            ),
            PdfProblem::TimedOut => (
                StatusCode::SERVICE_UNAVAILABLE,
                "pdf_timeout",
                format!(
                    "Het maken van de PDF duurde langer dan {} seconden. Probeer het over een paar minuten opnieuw.",
                    PDF_TIME_LIMIT.as_secs()
                ),
            ),
            PdfProblem::TooLarge(_) | PdfProblem::Failed(_) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "pdf_failed",
                "De PDF kon niet worden gemaakt. Probeer het later opnieuw of gebruik de printfunctie van de browser.".into(),
            ),
        }
    }

    fn log(&self) {
        match self {
            PdfProblem::Failed(e) => tracing::error!(error = %e, "value case PDF failed"),
            PdfProblem::TooLarge(n) => tracing::error!(bytes = n, "value case PDF too large"),
            PdfProblem::TimedOut => tracing::warn!("value case PDF timed out"),
            PdfProblem::Unavailable => {}
        }
    }

    /// As a Dutch error page.
    pub(crate) fn page_response(&self) -> Response {
        self.log();
        let (status, _, message) = self.status_and_message();
        (
            status,
            axum::response::Html(crate::page::error_page("Geen PDF", &message)),
        )
            .into_response()
    }

    /// As the API's JSON error.
    pub(crate) fn api_response(&self) -> Response {
        self.log();
        let (status, code, message) = self.status_and_message();
        (
            status,
            axum::Json(serde_json::json!({"error": {"code": code, "message": message}})),
        )
            .into_response()
    }
}

/// Typesets the Value Case's document with the installation's PDF renderer on the
/// blocking pool, at most [`PDF_SLOTS`] at once, within [`PDF_TIME_LIMIT`] and
/// [`PDF_MAX_BYTES`].
pub(crate) async fn render_pdf(state: &AppState, vc: &ValueCase) -> Result<Vec<u8>, PdfProblem> {
    render_document(state, valuecase::document::document(vc)).await
}

/// Typesets any report document the same way (the impact report uses it too).
pub(crate) async fn render_document(
    state: &AppState,
    doc: report::doc::Document,
) -> Result<Vec<u8>, PdfProblem> {
    let Some(renderer) = state.pdf.clone() else {
        return Err(PdfProblem::Unavailable);
    };
    let work = async move {
        let permit = PDF_SLOTS
            .acquire()
            .await
            .map_err(|e| PdfProblem::Failed(e.to_string()))?;
        // The permit travels with the work: a render that outlives the time limit still
        // holds its slot until it ends, so slow renders cannot pile up.
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            renderer.render(&doc)
        })
        .await
        .map_err(|e| PdfProblem::Failed(e.to_string()))?
        .map_err(|e| PdfProblem::Failed(e.to_string()))
    };
    let bytes = tokio::time::timeout(PDF_TIME_LIMIT, work)
        .await
        .map_err(|_| PdfProblem::TimedOut)??;
    if bytes.len() > PDF_MAX_BYTES {
        return Err(PdfProblem::TooLarge(bytes.len()));
    }
    Ok(bytes)
}

/// The PDF as a download named after the organisation and the round's snapshot.
pub(crate) fn pdf_response(vc: &ValueCase, bytes: Vec<u8>) -> Response {
    let slug: String = vc
        .organisation
        .name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect::<String>()
        .split('-')
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    let name = format!(
        "value-case-{slug}-{}.pdf",
        vc.snapshot.peildatum.format("%Y-%m-%d")
    );
    (
        [
            (header::CONTENT_TYPE, "application/pdf".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        bytes,
    )
        .into_response()
}
