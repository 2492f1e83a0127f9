//! The OpenAPI 3.1 document of `/api/v1`. Each part of the product keeps its paths and
//! schemas in a JSON fragment next to its handlers; the fragments are merged into the base
//! document (`openapi.json`) and checked against the router in the tests.

use std::sync::LazyLock;

use axum::Json;
use serde_json::Value;

const BASE: &str = include_str!("openapi.json");

/// Fragments with `paths` and `components.schemas` to merge into the base document.
const FRAGMENTS: &[&str] = &[
    include_str!("openapi-hr.json"),
    include_str!("openapi-calc.json"),
    include_str!("openapi-survey.json"),
    include_str!("../parts/report/openapi-report.json"),
];

static DOCUMENT: LazyLock<Value> =
    LazyLock::new(|| build().expect("OpenAPI fragments are valid (tested)"));

fn build() -> Result<Value, serde_json::Error> {
    let mut doc: Value = serde_json::from_str(BASE)?;
    for fragment in FRAGMENTS {
        let part: Value = serde_json::from_str(fragment)?;
        if let (Some(paths), Some(into)) = (part["paths"].as_object(), doc["paths"].as_object_mut())
        {
            for (k, v) in paths {
                into.insert(k.clone(), v.clone());
            }
        }
        if let (Some(schemas), Some(into)) = (
            part["components"]["schemas"].as_object(),
            doc["components"]["schemas"].as_object_mut(),
        ) {
            for (k, v) in schemas {
                into.insert(k.clone(), v.clone());
            }
        }
    }
    Ok(doc)
}

/// The merged document.
pub fn document_value() -> &'static Value {
    &DOCUMENT
}

pub async fn document() -> Json<Value> {
    Json(DOCUMENT.clone())
}

#[cfg(test)]
mod tests {
    #[test]
    fn document_is_valid_json_with_paths() {
        let doc = super::build().unwrap();
        assert_eq!(doc["openapi"], "3.1.0");
        assert!(doc["paths"].as_object().unwrap().len() >= 10);
        // Every $ref points at a schema or response that exists.
        let text = doc.to_string();
        for part in text.split("\"$ref\":\"#/components/").skip(1) {
            let target = part.split('"').next().unwrap();
            let (kind, name) = target.split_once('/').unwrap();
            assert!(
                doc["components"][kind][name].is_object(),
                "dangling $ref #/components/{target}"
            );
        }
    }
}
