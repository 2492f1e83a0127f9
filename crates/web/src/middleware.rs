//! Request-wide layers: security headers, session loading and CSRF protection.

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::auth::{self, Session};
use crate::{AppState, PageError};

/// The Content-Security-Policy: no inline script or style, nothing from elsewhere.
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
    img-src 'self' data:; font-src 'self'; connect-src 'self'; form-action 'self'; \
    frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

pub async fn security_headers(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    h.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(), microphone=(), geolocation=(), interest-cohort=()"),
    );
    h.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    if state.config.secure_cookies {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    res
}

/// The client address: the socket peer, or the first `X-Forwarded-For` hop behind a
/// trusted proxy.
pub fn client_address(
    state: &AppState,
    req_headers: &axum::http::HeaderMap,
    ext: &axum::http::Extensions,
) -> String {
    if state.config.trust_proxy
        && let Some(first) = req_headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
    {
        return first.trim().to_string();
    }
    ext.get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_else(|| "unknown".into())
}

/// Loads the session from its cookie (pages only; the API uses tokens) and checks the CSRF
/// token of every state-changing page request: the session's token for logged-in users,
/// the double-submit cookie before login. The token travels as the form field `csrf` or,
/// for multipart uploads, as the query parameter `csrf`.
pub async fn csrf_and_session(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    if path.starts_with("/api/") || path.starts_with("/static/") || path == "/healthz" {
        return next.run(req).await;
    }
    let (mut parts, body) = req.into_parts();
    let session = match auth::read_cookie(&parts.headers, auth::SESSION_COOKIE) {
        Some(id) => match state.store.session(&store::hash_secret(&id)).await {
            Ok(info) => {
                let actions = if parts.method == Method::GET {
                    app::programme::my_action_counts(
                        &state.store,
                        &info.user,
                        app::programme::today(),
                    )
                    .await
                    .unwrap_or_default()
                } else {
                    (0, 0)
                };
                Some(Session {
                    user: info.user,
                    csrf: info.csrf_token,
                    actions,
                })
            }
            Err(store::StoreError::NotFound) => None,
            Err(e) => return PageError::Internal(e.into()).into_response(),
        },
        None => None,
    };
    let changes_state = !matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
    let body = if changes_state {
        if !same_origin(&parts.headers) {
            return PageError::Forbidden.into_response();
        }
        let bytes = match axum::body::to_bytes(body, 32 * 1024 * 1024).await {
            Ok(b) => b,
            Err(_) => {
                return PageError::BadRequest("Het bestand is te groot (maximaal 32 MB).".into())
                    .into_response();
            }
        };
        let expected = match &session {
            Some(s) => Some(s.csrf.clone()),
            None => auth::read_cookie(&parts.headers, auth::LOGIN_CSRF_COOKIE),
        };
        let sent =
            csrf_from_query(parts.uri.query()).or_else(|| csrf_from_form(&parts.headers, &bytes));
        match (expected, sent) {
            (Some(e), Some(s)) if !e.is_empty() && constant_time_eq(e.as_bytes(), s.as_bytes()) => {
            }
            _ => {
                return (
                    axum::http::StatusCode::FORBIDDEN,
                    axum::response::Html(crate::page::error_page(
                        "Formulier verlopen",
                        "Dit formulier is verlopen of niet door deze site gemaakt. Ga terug, \
                         laad de pagina opnieuw en probeer het nog eens.",
                    )),
                )
                    .into_response();
            }
        }
        Body::from(bytes)
    } else {
        body
    };
    if let Some(s) = session {
        parts.extensions.insert(s);
    }
    next.run(Request::from_parts(parts, body)).await
}

fn csrf_from_query(query: Option<&str>) -> Option<String> {
    url::form_urlencoded::parse(query?.as_bytes())
        .find(|(k, _)| k == "csrf")
        .map(|(_, v)| v.into_owned())
}

fn csrf_from_form(headers: &axum::http::HeaderMap, body: &Bytes) -> Option<String> {
    let is_form = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return None;
    }
    url::form_urlencoded::parse(body)
        .find(|(k, _)| k == "csrf")
        .map(|(_, v)| v.into_owned())
}

/// A request with an `Origin` header must come from this host.
fn same_origin(headers: &axum::http::HeaderMap) -> bool {
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return true;
    };
    if origin == "null" {
        return false;
    }
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    match (url::Url::parse(origin), host) {
        (Ok(o), Some(host)) => {
            let origin_host = match o.port() {
                Some(p) => format!("{}:{p}", o.host_str().unwrap_or_default()),
                None => o.host_str().unwrap_or_default().to_string(),
            };
            origin_host.eq_ignore_ascii_case(host)
        }
        _ => false,
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Every error of the JSON API in the documented envelope `{"error": {"code", "message",
/// "field"?}}` with a Dutch message (issue 34): axum's and tower's own rejections (a body
/// over the limit, a path segment that is not a number, a wrong content type, a method the
/// route does not take, a request that took too long) are plain English text, and are
/// rewritten here. Responses that are already JSON pass unchanged.
pub async fn api_error_envelope(req: Request, next: Next) -> Response {
    if !req.uri().path().starts_with("/api/") {
        return next.run(req).await;
    }
    let res = next.run(req).await;
    let status = res.status();
    let is_json = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !(status.is_client_error() || status.is_server_error()) || is_json {
        return res;
    }
    use axum::http::StatusCode;
    let (mut parts, body) = res.into_parts();
    let detail = axum::body::to_bytes(body, 4096).await.unwrap_or_default();
    let query = detail.starts_with(b"Failed to deserialize query string");
    let (code, field, message) = match status {
        StatusCode::BAD_REQUEST if query => (
            "invalid",
            Some("query"),
            "De parameters achter het vraagteken in het adres kloppen niet. Controleer hun \
             namen en waarden.",
        ),
        StatusCode::PAYLOAD_TOO_LARGE => (
            "too_large",
            Some("body"),
            "Het verzoek is te groot. Stuur een kleiner bestand of minder gegevens tegelijk.",
        ),
        StatusCode::BAD_REQUEST | StatusCode::NOT_FOUND => (
            "invalid",
            Some("path"),
            "Het adres klopt niet: een deel ervan (zoals een nummer) heeft een verkeerde vorm. \
             Controleer het adres.",
        ),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => (
            "invalid",
            Some("content-type"),
            "Stuur de gegevens als JSON, met de kop 'Content-Type: application/json'.",
        ),
        StatusCode::UNPROCESSABLE_ENTITY => (
            "invalid",
            Some("body"),
            "De inhoud van het verzoek klopt niet. Controleer de velden en hun waarden.",
        ),
        StatusCode::METHOD_NOT_ALLOWED => (
            "method_not_allowed",
            None,
            "Dit adres kent deze methode niet. Zie /api/v1/openapi.json.",
        ),
        StatusCode::REQUEST_TIMEOUT => (
            "timeout",
            None,
            "Het verzoek duurde te lang. Probeer het opnieuw, met minder gegevens tegelijk.",
        ),
        s if s.is_server_error() => (
            "internal",
            None,
            "Er ging aan onze kant iets mis. Probeer het later opnieuw.",
        ),
        _ => (
            "bad_request",
            None,
            "Het verzoek kon niet worden verwerkt. Controleer het en probeer het opnieuw.",
        ),
    };
    let mut body = serde_json::json!({"error": {"code": code, "message": message}});
    if let Some(field) = field {
        body["error"]["field"] = serde_json::Value::String(field.into());
    }
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    Response::from_parts(parts, Body::from(body.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origin_check() {
        let mut h = axum::http::HeaderMap::new();
        h.insert(header::HOST, HeaderValue::from_static("127.0.0.1:8080"));
        assert!(same_origin(&h));
        h.insert(
            header::ORIGIN,
            HeaderValue::from_static("http://127.0.0.1:8080"),
        );
        assert!(same_origin(&h));
        h.insert(
            header::ORIGIN,
            HeaderValue::from_static("http://evil.example"),
        );
        assert!(!same_origin(&h));
    }

    #[test]
    fn token_sources() {
        assert_eq!(
            csrf_from_query(Some("a=1&csrf=xyz")).as_deref(),
            Some("xyz")
        );
        let mut h = axum::http::HeaderMap::new();
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/x-www-form-urlencoded"),
        );
        assert_eq!(
            csrf_from_form(&h, &Bytes::from_static(b"name=x&csrf=abc")).as_deref(),
            Some("abc")
        );
        assert!(constant_time_eq(b"abc", b"abc") && !constant_time_eq(b"abc", b"abd"));
    }
}
