//! Cross-cutting request handling: CSRF cookie, language slot, request id,
//! error rendering, security headers, metrics; and the operational endpoints.

use crate::ctx::{CSRF_COOKIE, CsrfToken, LangSlot, RequestId, header_cookie, headers_lang};
use crate::error::{ErrorMark, WebError};
use crate::layout;
use crate::state::AppState;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use borgen_app::AppError;
use borgen_core::i18n::t;
use std::time::Instant;

pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
     object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// Builds a `Set-Cookie` value.
pub fn set_cookie(name: &str, value: &str, max_age: Option<i64>, http_only: bool, secure: bool) -> HeaderValue {
    let mut c = format!("{name}={value}; Path=/; SameSite=Lax");
    if let Some(a) = max_age {
        c.push_str(&format!("; Max-Age={a}"));
    }
    if http_only {
        c.push_str("; HttpOnly");
    }
    if secure {
        c.push_str("; Secure");
    }
    HeaderValue::from_str(&c).unwrap_or_else(|_| HeaderValue::from_static(""))
}

pub async fn context(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let started = Instant::now();
    let request_id = req.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    let existing =
        header_cookie(req.headers(), CSRF_COOKIE).filter(|c| c.len() == 64 && c.bytes().all(|b| b.is_ascii_hexdigit()));
    let (csrf, fresh) = match existing {
        Some(c) => (c, false),
        None => (borgen_app::auth::random_hex(32), true),
    };
    let slot = LangSlot::default();
    req.extensions_mut().insert(CsrfToken(csrf.clone()));
    req.extensions_mut().insert(slot.clone());
    req.extensions_mut().insert(RequestId(request_id.clone()));
    let fallback_lang = headers_lang(req.headers());
    let path = req.uri().path().to_string();
    let method = req.method().to_string();
    let route =
        req.extensions().get::<MatchedPath>().map(|m| m.as_str().to_string()).unwrap_or_else(|| "unmatched".into());

    let mut resp = next.run(req).await;

    if let Some(mark) = resp.extensions_mut().remove::<ErrorMark>() {
        let status = resp.status();
        let lang = slot.get().unwrap_or(fallback_lang);
        if let Some(detail) = &mark.internal {
            tracing::error!(request_id = %request_id, %path, error = %detail, "internal error");
        }
        let mut rendered = if path.starts_with("/api/") {
            let fields: Vec<_> = mark
                .fields
                .0
                .iter()
                .map(|f| serde_json::json!({"field": f.field, "code": f.key, "message": t(lang, f.key)}))
                .collect();
            let body = serde_json::json!({"error": {
                "status": status.as_u16(),
                "code": mark.key,
                "message": t(lang, mark.key),
                "fields": fields,
                "request_id": request_id,
            }});
            (status, axum::Json(body)).into_response()
        } else {
            (status, Html(layout::error_page(lang, status, &mark, &request_id).into_string())).into_response()
        };
        for (k, v) in resp.headers() {
            if k == header::SET_COOKIE || k == header::LOCATION {
                rendered.headers_mut().append(k, v.clone());
            }
        }
        resp = rendered;
    }

    let h = resp.headers_mut();
    if fresh {
        h.append(header::SET_COOKIE, set_cookie(CSRF_COOKIE, &csrf, None, true, state.secure_cookies));
    }
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    h.insert("permissions-policy", HeaderValue::from_static("camera=(), microphone=(), geolocation=()"));
    if state.secure_cookies {
        h.insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000"));
    }
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }

    let status = resp.status().as_u16().to_string();
    metrics::counter!("borgen_http_requests_total", "method" => method.clone(), "route" => route.clone(), "status" => status).increment(1);
    metrics::histogram!("borgen_http_request_duration_seconds", "method" => method, "route" => route)
        .record(started.elapsed().as_secs_f64());
    resp
}

/// Refuses a request whose path or query string carries an encoded NUL (`%00`)
/// with 400 before any handler sees it: path segments (`/o/{slug}`, record ids,
/// control ids) and every filter reach the database, and PostgreSQL cannot hold a
/// NUL in text. (A raw NUL byte never gets this far: HTTP parsing refuses it.)
pub async fn refuse_nul(req: Request, next: Next) -> Response {
    let uri = req.uri();
    let encoded_nul = |s: &str| s.as_bytes().windows(3).any(|w| w == b"%00") || s.contains('\0');
    if encoded_nul(uri.path()) || uri.query().is_some_and(encoded_nul) {
        return crate::ctx::nul_refused().into_response();
    }
    next.run(req).await
}

/// A panic in a handler becomes an internal error page; the panic message is
/// logged, never shown.
pub fn panic_response(err: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let msg = err
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| err.downcast_ref::<&str>().copied())
        .unwrap_or("panic");
    WebError::App(AppError::Internal(format!("panic: {msg}"))).into_response()
}

pub async fn not_found() -> WebError {
    WebError::App(AppError::NotFound)
}

/// The process is alive.
pub async fn healthz() -> &'static str {
    "ok"
}

/// The database answers.
pub async fn readyz(State(state): State<AppState>) -> Response {
    match state.app.db.ping().await {
        Ok(()) => "ready".into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "readiness check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
    }
}

/// Prometheus metrics in the text exposition format.
pub async fn metrics(State(state): State<AppState>) -> Response {
    match &state.metrics {
        Some(h) => ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], h.render()).into_response(),
        None => (StatusCode::NOT_FOUND, "metrics are not enabled").into_response(),
    }
}
