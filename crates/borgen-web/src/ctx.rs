//! Request context: cookies, the language, the logged-in user, CSRF tokens,
//! and the extractors handlers use to get them.

use crate::error::WebError;
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Path, Request};
use axum::http::request::Parts;
use axum::http::{Method, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use borgen_app::{Actor, AppError, OrgCtx};
use borgen_core::Lang;
use borgen_store::users::User;
use serde::de::DeserializeOwned;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

pub const SESSION_COOKIE: &str = "borgen_session";
pub const CSRF_COOKIE: &str = "borgen_csrf";
pub const LANG_COOKIE: &str = "borgen_lang";
pub const CSRF_FIELD: &str = "_csrf";
pub const CSRF_HEADER: &str = "x-csrf-token";

/// The CSRF token of this browser (from its cookie, or freshly made by the
/// context middleware, which then sets the cookie).
#[derive(Clone, Debug)]
pub struct CsrfToken(pub String);

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
    parts.extensions.get::<CsrfToken>().map(|c| c.0.clone()).unwrap_or_default()
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
        let user = match cookie(parts, SESSION_COOKIE) {
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
/// gets 404. The language falls back to the organisation's default.
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
        let ctx = state.app.org_ctx(&auth.actor, &slug).await.map_err(|e| WebError::App(e).into_response())?;
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
        let expected = req.extensions().get::<CsrfToken>().map(|c| c.0.clone()).unwrap_or_default();
        let had_cookie = req
            .headers()
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .any(|v| v.contains(CSRF_COOKIE));
        let bytes = body_bytes(req, state).await?;
        let fields: Vec<(String, String)> = serde_urlencoded::from_bytes(&bytes)
            .map_err(|_| WebError::Status(StatusCode::BAD_REQUEST, "error.malformed_form"))?;
        let given = fields.iter().find(|(k, _)| k == CSRF_FIELD).map(|(_, v)| v.as_str()).unwrap_or("");
        if !had_cookie || expected.is_empty() || !same_secret(given, &expected) {
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
        let actor = if let Some(tok) = bearer {
            state.app.token_actor(&tok).await?.ok_or(AppError::Unauthenticated)?
        } else {
            let user = match cookie(parts, SESSION_COOKIE) {
                Some(tok) => state.app.session_user(&tok).await?,
                None => None,
            }
            .ok_or(AppError::Unauthenticated)?;
            let safe = matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
            if !safe {
                let given = parts.headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok()).unwrap_or("");
                let expected = cookie(parts, CSRF_COOKIE).unwrap_or_default();
                if expected.is_empty() || !same_secret(given, &expected) {
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
        let ctx = state.app.org_ctx(&caller.actor, &slug).await?;
        Ok(ApiOrg { ctx, lang: caller.lang })
    }
}
