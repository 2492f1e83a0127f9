//! The OpenAPI 3.1 document of `/api/v1`, kept as a data file next to the handlers and
//! checked against the router in the tests.

use axum::Json;
use serde_json::Value;

pub const DOCUMENT: &str = include_str!("openapi.json");

pub async fn document() -> Json<Value> {
    Json(serde_json::from_str(DOCUMENT).expect("openapi.json is valid JSON (tested)"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn document_is_valid_json_with_paths() {
        let doc: serde_json::Value = serde_json::from_str(super::DOCUMENT).unwrap();
        assert_eq!(doc["openapi"], "3.1.0");
        assert!(doc["paths"].as_object().unwrap().len() >= 10);
    }
}
