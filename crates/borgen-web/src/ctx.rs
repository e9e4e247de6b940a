//! Request context: cookies, the language, the logged-in user, CSRF tokens,
//! and the extractors handlers use to get them.

use crate::error::WebError;
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Path, Request};
use axum::http::request::Parts;
use axum::http::{Method, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use borgen_app::auth::{TokenAuth, TokenScope};
use borgen_app::{Actor, AppError, OrgCtx};
use borgen_core::Lang;
use borgen_store::users::User;
use serde::de::DeserializeOwned;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Cookie names on plain http (local development and tests).
pub const SESSION_COOKIE: &str = "borgen_session";
pub const CSRF_COOKIE: &str = "borgen_csrf";
/// Cookie names over https: the `__Host-` prefix makes the browser refuse
/// them unless `Secure`, for this host only and `Path=/`, so that no other
/// (sub)domain can plant or overwrite them.
pub const SECURE_SESSION_COOKIE: &str = "__Host-borgen_session";
pub const SECURE_CSRF_COOKIE: &str = "__Host-borgen_csrf";
/// A login waiting for its second factor (five minutes).
pub const PENDING_COOKIE: &str = "borgen_login";
pub const SECURE_PENDING_COOKIE: &str = "__Host-borgen_login";
pub const LANG_COOKIE: &str = "borgen_lang";
pub const CSRF_FIELD: &str = "_csrf";
pub const CSRF_HEADER: &str = "x-csrf-token";

/// The CSRF token a change must carry, settled by the context middleware:
/// with a session cookie, the HMAC of that session (bound to it); without
/// one, the pre-session token of the browser's CSRF cookie. Empty when the
/// browser has neither (then nothing is accepted).
#[derive(Clone, Debug)]
pub struct CsrfToken(pub String);

/// The CSRF token the page's forms carry: [`CsrfToken`], or a fresh
/// pre-session token that the middleware sets as the cookie.
#[derive(Clone, Debug)]
pub struct PageCsrf(pub String);

/// Whether this request came over https (Borgen's public URL is https, or a
/// trusted reverse proxy says `X-Forwarded-Proto: https`): cookies are then
/// `Secure` and carry the `__Host-` prefix.
#[derive(Clone, Copy, Debug, Default)]
pub struct Transport {
    pub secure: bool,
}

impl Transport {
    pub fn of(ext: &axum::http::Extensions) -> Transport {
        ext.get::<Transport>().copied().unwrap_or_default()
    }
    pub fn session_cookie(self) -> &'static str {
        if self.secure { SECURE_SESSION_COOKIE } else { SESSION_COOKIE }
    }
    pub fn csrf_cookie(self) -> &'static str {
        if self.secure { SECURE_CSRF_COOKIE } else { CSRF_COOKIE }
    }
    pub fn pending_cookie(self) -> &'static str {
        if self.secure { SECURE_PENDING_COOKIE } else { PENDING_COOKIE }
    }
}

/// The session token the browser sent (under the cookie name of this transport).
pub fn session_of(parts: &Parts) -> Option<String> {
    cookie(parts, Transport::of(&parts.extensions).session_cookie()).filter(|c| !c.is_empty())
}

/// The pending-login token the browser sent (password right, code awaited).
pub fn pending_of(parts: &Parts) -> Option<String> {
    cookie(parts, Transport::of(&parts.extensions).pending_cookie()).filter(|c| !c.is_empty() && c.len() <= 128)
}

/// Whether `given` is the CSRF token this request must carry. Logs refusals.
pub fn csrf_ok(ext: &axum::http::Extensions, given: &str) -> bool {
    let expected = ext.get::<CsrfToken>().map(|c| c.0.as_str()).unwrap_or("");
    let ok = !expected.is_empty() && same_secret(given, expected);
    if !ok {
        let request_id = ext.get::<RequestId>().map(|r| r.0.as_str()).unwrap_or("");
        tracing::warn!(target: "security", event = "csrf_refused", request_id, "CSRF token refused");
    }
    ok
}

/// The client's address (the TCP peer, or behind a trusted reverse proxy the
/// address that proxy appended to `X-Forwarded-For`) and the request id.
pub fn client_of(state: &AppState, parts: &Parts) -> borgen_app::security::Client {
    let peer = parts
        .extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_default();
    let forwarded = if state.trust_proxy {
        parts
            .headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .rfind(|s| s.parse::<std::net::IpAddr>().is_ok())
            .map(str::to_string)
    } else {
        None
    };
    borgen_app::security::Client {
        ip: forwarded.unwrap_or(peer),
        request_id: parts.extensions.get::<RequestId>().map(|r| r.0.clone()).unwrap_or_default(),
    }
}

/// Logs an authorisation refusal (an organisation check said no).
fn log_refusal(parts: &Parts, e: &AppError, user: Option<&User>) {
    if matches!(e, AppError::NotFound | AppError::Forbidden) {
        let request_id = parts.extensions.get::<RequestId>().map(|r| r.0.as_str()).unwrap_or("");
        tracing::warn!(target: "security", event = "authz_refused", request_id, path = %parts.uri.path(),
            user_id = %user.map(|u| u.id.as_text()).unwrap_or_default(), error = %e, "organisation access refused");
    }
}

/// Where extractors leave the language they settled on, so that the error
/// middleware can speak it too.
#[derive(Clone, Debug, Default)]
pub struct LangSlot(pub Arc<Mutex<Option<Lang>>>);

impl LangSlot {
    pub fn set(&self, l: Lang) {
        if let Ok(mut g) = self.0.lock() {
            *g = Some(l);
        }
    }
    pub fn get(&self) -> Option<Lang> {
        self.0.lock().ok().and_then(|g| *g)
    }
}

/// The request id (from tower-http's request-id layer).
#[derive(Clone, Debug)]
pub struct RequestId(pub String);

pub fn cookie(parts: &Parts, name: &str) -> Option<String> {
    header_cookie(&parts.headers, name)
}

pub fn header_cookie(headers: &axum::http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// The language for anonymous visitors: cookie, then browser, then English.
pub fn anonymous_lang(parts: &Parts) -> Lang {
    headers_lang(&parts.headers)
}

pub fn headers_lang(headers: &axum::http::HeaderMap) -> Lang {
    header_cookie(headers, LANG_COOKIE)
        .and_then(|c| Lang::parse(&c))
        .or_else(|| {
            headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).and_then(Lang::from_accept_language)
        })
        .unwrap_or_default()
}

fn csrf_of(parts: &Parts) -> String {
    parts.extensions.get::<PageCsrf>().map(|c| c.0.clone()).unwrap_or_default()
}

/// Every HTML page's context: language, CSRF token, and the user if logged in.
#[derive(Clone, Debug)]
pub struct Page {
    pub lang: Lang,
    pub csrf: String,
    pub user: Option<User>,
    pub path: String,
    pub request_id: String,
}

impl Page {
    pub fn actor(&self) -> Option<Actor> {
        self.user.clone().map(|user| Actor::User { user, token_org: None })
    }
}

impl FromRequestParts<AppState> for Page {
    type Rejection = WebError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let user = match session_of(parts) {
            Some(tok) => state.app.session_user(&tok).await?,
            None => None,
        };
        let lang = user.as_ref().and_then(|u| u.lang).unwrap_or_else(|| anonymous_lang(parts));
        if let Some(slot) = parts.extensions.get::<LangSlot>() {
            slot.set(lang);
        }
        Ok(Page {
            lang,
            csrf: csrf_of(parts),
            user,
            path: parts.uri.path().to_string(),
            request_id: parts.extensions.get::<RequestId>().map(|r| r.0.clone()).unwrap_or_default(),
        })
    }
}

/// A page that needs a logged-in user; others are sent to the login page.
#[derive(Clone, Debug)]
pub struct Auth {
    pub page: Page,
    pub user: User,
    pub actor: Actor,
}

pub struct LoginRedirect(String);

impl IntoResponse for LoginRedirect {
    fn into_response(self) -> Response {
        let next = serde_urlencoded::to_string([("next", self.0)]).unwrap_or_default();
        Redirect::to(&format!("/login?{next}")).into_response()
    }
}

impl FromRequestParts<AppState> for Auth {
    type Rejection = Response;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let page = Page::from_request_parts(parts, state).await.map_err(IntoResponse::into_response)?;
        match page.user.clone() {
            Some(user) => {
                let actor = Actor::User { user: user.clone(), token_org: None };
                Ok(Auth { page, user, actor })
            }
            None => {
                let target = parts.uri.path_and_query().map(|p| p.to_string()).unwrap_or_else(|| "/".into());
                Err(LoginRedirect(target).into_response())
            }
        }
    }
}

/// A page inside an organisation: `/o/{slug}/…`. Members only; everyone else
/// gets 404. The language falls back to the organisation's default. When the
/// organisation requires a second factor and the member has none, the page
/// is not shown: the member is sent to set it up on the account page.
#[derive(Clone, Debug)]
pub struct OrgPage {
    pub page: Page,
    pub ctx: OrgCtx,
}

impl OrgPage {
    pub fn lang(&self) -> Lang {
        self.page.lang
    }
    pub fn base(&self) -> String {
        format!("/o/{}", self.ctx.org.slug)
    }
}

async fn slug_of(parts: &mut Parts, state: &AppState) -> Result<String, WebError> {
    let Path(params) = Path::<HashMap<String, String>>::from_request_parts(parts, state)
        .await
        .map_err(|_| WebError::App(AppError::NotFound))?;
    params.get("slug").cloned().ok_or(WebError::App(AppError::NotFound))
}

impl FromRequestParts<AppState> for OrgPage {
    type Rejection = Response;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let auth = Auth::from_request_parts(parts, state).await?;
        let slug = slug_of(parts, state).await.map_err(IntoResponse::into_response)?;
        let ctx = state.app.org_ctx(&auth.actor, &slug).await.map_err(|e| {
            log_refusal(parts, &e, Some(&auth.user));
            WebError::App(e).into_response()
        })?;
        if ctx.second_factor_missing() {
            let q = serde_urlencoded::to_string([("required", ctx.org.slug.as_str())]).unwrap_or_default();
            return Err(Redirect::to(&format!("/account?{q}#second-factor")).into_response());
        }
        let mut page = auth.page;
        if auth.user.lang.is_none() {
            page.lang = ctx.org.default_lang;
            if let Some(slot) = parts.extensions.get::<LangSlot>() {
                slot.set(page.lang);
            }
        }
        Ok(OrgPage { page, ctx })
    }
}

/// Query-string parameters; anything that does not fit is a 400 with a
/// localised message (axum's own rejection is plain English text).
pub struct Query<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Query<T> {
    type Rejection = WebError;
    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let query = parts.uri.query().unwrap_or("");
        // PostgreSQL cannot hold a NUL; a search for one is refused (the URI guard
        // in `middleware::refuse_nul` catches it first, this is the second line).
        let fields: Vec<(String, String)> = serde_urlencoded::from_str(query)
            .map_err(|_| WebError::Status(StatusCode::BAD_REQUEST, "error.bad_filter"))?;
        if fields.iter().any(|(k, v)| has_nul(k) || has_nul(v)) {
            return Err(nul_refused());
        }
        serde_urlencoded::from_str(query)
            .map(Query)
            .map_err(|_| WebError::Status(StatusCode::BAD_REQUEST, "error.bad_filter"))
    }
}

fn has_nul(s: &str) -> bool {
    s.contains('\0')
}

/// A NUL character anywhere in what a client sent: 400, never stored (PostgreSQL
/// refuses it in text, SQLite would keep it). The fields' own rules
/// (`borgen_core::text::bad_chars`) refuse the other control characters with a
/// message next to the field.
pub fn nul_refused() -> WebError {
    WebError::Status(StatusCode::BAD_REQUEST, "input.nul")
}

/// Does any string of a JSON document (keys included) contain a NUL?
fn json_has_nul(v: &serde_json::Value) -> bool {
    match v {
        serde_json::Value::String(s) => has_nul(s),
        serde_json::Value::Array(a) => a.iter().any(json_has_nul),
        serde_json::Value::Object(o) => o.iter().any(|(k, v)| has_nul(k) || json_has_nul(v)),
        _ => false,
    }
}

/// Reads the body, refusing bodies over the limit with 413.
async fn body_bytes(req: Request, state: &AppState) -> Result<Bytes, WebError> {
    Bytes::from_request(req, state)
        .await
        .map_err(|_| WebError::Status(StatusCode::PAYLOAD_TOO_LARGE, "error.too_large"))
}

fn content_type(req: &Request) -> String {
    req.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

/// Constant-time comparison of two secrets.
pub fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// An HTML form post: checks the content type and the CSRF token, then
/// deserialises the fields.
pub struct Form<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for Form<T> {
    type Rejection = WebError;
    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        if content_type(&req) != "application/x-www-form-urlencoded" {
            return Err(WebError::Status(StatusCode::UNSUPPORTED_MEDIA_TYPE, "error.content_type_form"));
        }
        let ext = req.extensions().clone();
        let bytes = body_bytes(req, state).await?;
        let fields: Vec<(String, String)> = serde_urlencoded::from_bytes(&bytes)
            .map_err(|_| WebError::Status(StatusCode::BAD_REQUEST, "error.malformed_form"))?;
        let given = fields.iter().find(|(k, _)| k == CSRF_FIELD).map(|(_, v)| v.as_str()).unwrap_or("");
        if !csrf_ok(&ext, given) {
            return Err(WebError::Status(StatusCode::FORBIDDEN, "error.csrf"));
        }
        if fields.iter().any(|(k, v)| has_nul(k) || has_nul(v)) {
            return Err(nul_refused());
        }
        let value = serde_urlencoded::from_bytes(&bytes)
            .map_err(|_| WebError::Status(StatusCode::BAD_REQUEST, "error.malformed_form"))?;
        Ok(Form(value))
    }
}

/// A JSON body: `application/json` only (415 otherwise), well-formed (400), a
/// top-level object (400: serde would otherwise fill a struct from an array such
/// as `[null,null]`, field by field in order), and no NUL in any string (400).
/// Every `JsonBody` of the API is an object with named fields.
pub struct JsonBody<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for JsonBody<T> {
    type Rejection = WebError;
    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        if content_type(&req) != "application/json" {
            return Err(WebError::Status(StatusCode::UNSUPPORTED_MEDIA_TYPE, "error.content_type_json"));
        }
        let bytes = body_bytes(req, state).await?;
        let value: serde_json::Value = serde_json::from_slice(&bytes)
            .map_err(|_| WebError::Status(StatusCode::BAD_REQUEST, "error.malformed_json"))?;
        if !value.is_object() {
            return Err(WebError::Status(StatusCode::BAD_REQUEST, "input.json_object"));
        }
        if json_has_nul(&value) {
            return Err(nul_refused());
        }
        serde_json::from_value(value)
            .map(JsonBody)
            .map_err(|_| WebError::Status(StatusCode::BAD_REQUEST, "error.malformed_json"))
    }
}

/// The caller of a JSON API route: a personal API token (`Authorization:
/// Bearer …`) or a browser session. Session calls that change something must
/// send the CSRF token in the `X-CSRF-Token` header.
#[derive(Clone, Debug)]
pub struct ApiCaller {
    pub actor: Actor,
    pub lang: Lang,
}

impl FromRequestParts<AppState> for ApiCaller {
    type Rejection = WebError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let bearer = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer ").map(str::to_string));
        let safe = matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
        let actor = if let Some(tok) = bearer {
            let client = client_of(state, parts);
            match state.app.token_actor(&tok).await? {
                TokenAuth::Valid { actor, scope } => {
                    if scope == TokenScope::Read && !safe {
                        let user = actor.user_id().map(|u| u.as_text());
                        let email = actor.user().map(|u| u.email.clone());
                        state
                            .app
                            .security_event(
                                "token_refused",
                                email.as_deref(),
                                user.as_deref(),
                                &client,
                                Some("read_only"),
                            )
                            .await;
                        return Err(WebError::Status(StatusCode::FORBIDDEN, "security.token_read_only"));
                    }
                    actor
                }
                TokenAuth::Expired => {
                    state.app.security_event("token_refused", None, None, &client, Some("expired")).await;
                    return Err(WebError::Status(StatusCode::UNAUTHORIZED, "security.token_expired"));
                }
                TokenAuth::Unknown => {
                    state.app.security_event("token_refused", None, None, &client, Some("unknown")).await;
                    return Err(AppError::Unauthenticated.into());
                }
            }
        } else {
            let user = match session_of(parts) {
                Some(tok) => state.app.session_user(&tok).await?,
                None => None,
            }
            .ok_or(AppError::Unauthenticated)?;
            if !safe {
                let given = parts.headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok()).unwrap_or("");
                if !csrf_ok(&parts.extensions, given) {
                    return Err(WebError::Status(StatusCode::FORBIDDEN, "error.csrf"));
                }
            }
            Actor::User { user, token_org: None }
        };
        let lang = parts
            .headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .and_then(Lang::from_accept_language)
            .or(actor.user().and_then(|u| u.lang))
            .unwrap_or_default();
        if let Some(slot) = parts.extensions.get::<LangSlot>() {
            slot.set(lang);
        }
        Ok(ApiCaller { actor, lang })
    }
}

/// An API call inside an organisation: `/api/v1/orgs/{slug}/…`.
#[derive(Clone, Debug)]
pub struct ApiOrg {
    pub ctx: OrgCtx,
    pub lang: Lang,
}

impl FromRequestParts<AppState> for ApiOrg {
    type Rejection = WebError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let caller = ApiCaller::from_request_parts(parts, state).await?;
        let slug = slug_of(parts, state).await?;
        let ctx = state
            .app
            .org_ctx(&caller.actor, &slug)
            .await
            .inspect_err(|e| log_refusal(parts, e, caller.actor.user()))?;
        if ctx.second_factor_missing() {
            return Err(WebError::Status(StatusCode::FORBIDDEN, "error.second_factor_required"));
        }
        Ok(ApiOrg { ctx, lang: caller.lang })
    }
}

/// A version or run number from a path (`…/versions/3`): a positive whole
/// number, anything else not found.
pub fn version_number(n: &str) -> Result<i64, WebError> {
    n.parse::<i64>().ok().filter(|n| *n > 0).ok_or(WebError::App(borgen_app::AppError::NotFound))
}
