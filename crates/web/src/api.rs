//! The JSON API under `/api/v1`, authenticated with personal API tokens. It offers what an
//! admin can do in the pages; errors are `{"error": {"code", "message", "field"?}}`. The
//! handlers live with their product part (`parts/<part>/api.rs`); this module holds what
//! they share and the OpenAPI document.

pub mod openapi;

use axum::Router;
use axum::routing::get;

use crate::{ApiError, AppState, parts};

pub fn routes() -> Router<AppState> {
    parts::api_routes()
        .route("/openapi.json", get(openapi::document))
        .fallback(|| async { ApiError::NotFound })
}

/// A JSON body, with a Dutch message naming the problem when it does not parse.
pub struct JsonBody<T>(pub T);

impl<T: serde::de::DeserializeOwned, S: Send + Sync> axum::extract::FromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, ApiError> {
        let bytes = axum::body::Bytes::from_request(req, state)
            .await
            .map_err(|_| {
                ApiError::BadRequest("De inhoud van het verzoek kon niet worden gelezen.".into())
            })?;
        let mut de = serde_json::Deserializer::from_slice(&bytes);
        match serde_path_to_error::deserialize(&mut de) {
            Ok(v) => Ok(JsonBody(v)),
            Err(e) => {
                let path = e.path().to_string();
                Err(ApiError::Invalid {
                    field: if path == "." { "body".into() } else { path },
                    message: format!("Dit veld klopt niet: {}", e.inner()),
                })
            }
        }
    }
}
