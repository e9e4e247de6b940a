//! Cross-cutting request handling: CSRF cookie, language slot, request id,
//! error rendering, security headers, metrics; and the operational endpoints.

use crate::ctx::{CsrfToken, LangSlot, PageCsrf, RequestId, Transport, header_cookie, headers_lang, same_secret};
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
    let forwarded_https = state.trust_proxy
        && req
            .headers()
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next_back())
            .is_some_and(|p| p.trim().eq_ignore_ascii_case("https"));
    let transport = Transport { secure: state.secure_cookies || forwarded_https };
    let existing = header_cookie(req.headers(), transport.csrf_cookie())
        .filter(|c| c.len() == 64 && c.bytes().all(|b| b.is_ascii_hexdigit()));
    let session = header_cookie(req.headers(), transport.session_cookie()).filter(|c| !c.is_empty());
    // With a session, the token is bound to it; without, it is the browser's
    // pre-session token (made here the first time).
    // (token for the page, accepted for changes, whether the cookie must be set)
    let (csrf, accepted, fresh) = match (&session, &existing) {
        (Some(s), _) => match state.app.session_csrf(s).await {
            Ok(t) => {
                let in_cookie = existing.as_deref().is_some_and(|c| same_secret(c, &t));
                (t.clone(), t, !in_cookie)
            }
            Err(e) => {
                tracing::error!(request_id = %request_id, error = %e, "no CSRF key");
                (String::new(), String::new(), false)
            }
        },
        (None, Some(c)) => (c.clone(), c.clone(), false),
        (None, None) => (borgen_app::auth::random_hex(32), String::new(), true),
    };
    let slot = LangSlot::default();
    req.extensions_mut().insert(CsrfToken(accepted));
    req.extensions_mut().insert(PageCsrf(csrf.clone()));
    req.extensions_mut().insert(transport);
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
        if status == StatusCode::FORBIDDEN {
            tracing::warn!(target: "security", event = "forbidden", request_id = %request_id, %path, code = mark.key,
                "request refused");
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
                "problems": mark.problems.iter().map(|p| serde_json::json!({
                    "code": p.key,
                    "message": crate::error::problem_text(lang, p),
                    "args": p.args.iter().map(|(k, v)| (k.to_string(), serde_json::Value::from(v.as_str()))).collect::<serde_json::Map<_, _>>(),
                })).collect::<Vec<_>>(),
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
    // A handler that rotated the token (login, logout) has set it already.
    let prefix = format!("{}=", transport.csrf_cookie());
    let rotated = h.get_all(header::SET_COOKIE).iter().any(|v| v.to_str().is_ok_and(|v| v.starts_with(&prefix)));
    if fresh && !rotated {
        h.append(header::SET_COOKIE, set_cookie(transport.csrf_cookie(), &csrf, None, true, transport.secure));
    }
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    h.insert("permissions-policy", HeaderValue::from_static("camera=(), microphone=(), geolocation=()"));
    if transport.secure {
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

/// Prometheus metrics in the text exposition format: with the bearer token
/// of `metrics_token`, or for anyone when `metrics_public` says so; otherwise
/// 404 (no token configured) or 401 (a wrong or missing token).
pub async fn metrics(State(state): State<AppState>, headers: axum::http::HeaderMap) -> Response {
    let Some(h) = &state.metrics else {
        return (StatusCode::NOT_FOUND, "metrics are not enabled").into_response();
    };
    if !state.metrics_public {
        let Some(expected) = state.metrics_token.as_deref().filter(|t| !t.is_empty()) else {
            return (StatusCode::NOT_FOUND, "metrics are not enabled").into_response();
        };
        let given = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .unwrap_or("");
        // Compare digests, so that the comparison takes as long whatever the lengths.
        let digest = |s: &str| borgen_app::auth::token_hash(s);
        if !same_secret(&digest(given), &digest(expected)) {
            tracing::warn!(target: "security", event = "metrics_refused", "metrics token refused");
            return (StatusCode::UNAUTHORIZED, [(header::WWW_AUTHENTICATE, "Bearer")], "a metrics token is required")
                .into_response();
        }
    }
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], h.render()).into_response()
}
