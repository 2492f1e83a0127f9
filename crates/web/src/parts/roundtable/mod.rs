//! Round tables per subsector in the web layer (issue 30): the list and the form at
//! `/regio/{id}/rondetafels`, one round table at `/regio/{id}/rondetafels/{rt}`, and the
//! round-table pack per subsector at `/regio/{id}/rondetafelpakket` (page) and
//! `/regio/{id}/rondetafelpakket.pdf`, with `?sector=CODE` and, for an organisation's own
//! copy, `&org=ID`. API twins: `/api/v1/regions/{id}/round-tables`,
//! `/api/v1/round-tables/{id}` and `/api/v1/regions/{id}/round-table-pack.pdf`.
//!
//! Access lives in `app::round_table`: the region's programme admin manages; users of an
//! invited organisation read; the pack's own copy only for that organisation.

pub mod api;
pub mod pages;

use axum::http::header;
use axum::response::{IntoResponse, Response};

/// The pack PDF as a download.
pub(crate) fn pack_pdf_response(subsector: &str, org: Option<i64>, bytes: Vec<u8>) -> Response {
    let slug: String = subsector
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    let name = match org {
        Some(o) => format!("rondetafelpakket-{slug}-organisatie-{o}.pdf"),
        None => format!("rondetafelpakket-{slug}.pdf"),
    };
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
