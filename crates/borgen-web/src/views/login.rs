//! Login, logout and the language switch.

use super::{html, html_status, safe_next, see_other};
use crate::ctx::{Form, LANG_COOKIE, Page, Query, Transport, client_of, pending_of, session_of};
use crate::error::WebResult;
use crate::layout::{self, csrf};
use crate::middleware::set_cookie;
use crate::state::AppState;
use axum::extract::State;
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use borgen_app::AppError;
use borgen_app::totp::LoginStep;
use borgen_core::FieldErrors;
use borgen_core::Lang;
use borgen_core::i18n::t;
use maud::{Markup, html};

/// The cookies of a new session: the session id, and the CSRF token bound to
/// it (both rotated at every login).
pub async fn session_cookies(
    state: &AppState,
    parts: &Parts,
    token: &str,
) -> WebResult<[(header::HeaderName, HeaderValue); 2]> {
    let tr = Transport::of(&parts.extensions);
    let csrf = state.app.session_csrf(token).await?;
    Ok([
        (header::SET_COOKIE, set_cookie(tr.session_cookie(), token, None, true, tr.secure)),
        (header::SET_COOKIE, set_cookie(tr.csrf_cookie(), &csrf, None, true, tr.secure)),
    ])
}

pub(crate) fn with_cookies(cookies: [(header::HeaderName, HeaderValue); 2], resp: Response) -> Response {
    let mut resp = resp;
    for (k, v) in cookies {
        resp.headers_mut().append(k, v);
    }
    resp
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct LoginForm {
    pub email: Option<String>,
    pub password: Option<String>,
    pub next: Option<String>,
}

fn render(page: &Page, f: &LoginForm, message: Option<&str>) -> Markup {
    let l = page.lang;
    layout::plain(
        page,
        t(l, "login.title"),
        html! {
            h1 { (t(l, "login.title")) }
            @if let Some(m) = message { div.error-summary #login-error role="alert" tabindex="-1" { p { (m) } } }
            form.card method="post" action="/login" {
                (csrf(page))
                input type="hidden" name="next" value=(f.next.as_deref().unwrap_or("/"));
                @for (name, label, kind, value) in [("email", t(l, "field.email"), "email", f.email.as_deref()), ("password", t(l, "field.password"), "password", None)] {
                    div.field.invalid[message.is_some()] {
                        label for=(name) { (label) span.req aria-hidden="true" { " *" } }
                        input id=(name) name=(name) type=(kind) value=(value.unwrap_or("")) required
                            autocomplete=(if name == "email" { "username" } else { "current-password" })
                            aria-invalid=[message.map(|_| "true")] aria-describedby=[message.map(|_| "login-error")];
                    }
                }
                button.primary type="submit" { (t(l, "login.submit")) }
            }
        },
    )
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct NextQuery {
    pub next: Option<String>,
}

pub async fn form(State(state): State<AppState>, page: Page, Query(q): Query<NextQuery>) -> WebResult {
    if state.app.setup_needed().await? {
        return Ok(see_other("/setup"));
    }
    if page.user.is_some() {
        return Ok(see_other(&safe_next(q.next.as_deref())));
    }
    Ok(html(render(&page, &LoginForm { next: q.next, ..Default::default() }, None)))
}

pub async fn submit(State(state): State<AppState>, page: Page, parts: Parts, Form(f): Form<LoginForm>) -> WebResult {
    let l = page.lang;
    let client = client_of(&state, &parts);
    match state.app.login(f.email.as_deref().unwrap_or(""), f.password.as_deref().unwrap_or(""), &client).await {
        Ok(LoginStep::Session(s)) => {
            // Rotate: the session the browser had (if any) ends here, and
            // the CSRF token changes with the session.
            if let Some(old) = session_of(&parts) {
                state.app.logout(&old).await?;
            }
            let cookies = session_cookies(&state, &parts, &s.token).await?;
            Ok(with_cookies(cookies, see_other(&safe_next(f.next.as_deref()))))
        }
        Ok(LoginStep::SecondFactor { token }) => {
            // No session yet: the browser keeps the pending login for five
            // minutes and is asked for the code.
            let tr = Transport::of(&parts.extensions);
            let max_age = borgen_app::totp::PENDING_MINUTES * 60;
            let c = set_cookie(tr.pending_cookie(), &token, Some(max_age), true, tr.secure);
            let next = safe_next(f.next.as_deref());
            let q = serde_urlencoded::to_string([("next", next.as_str())]).unwrap_or_default();
            Ok(([(header::SET_COOKIE, c)], see_other(&format!("/login/code?{q}"))).into_response())
        }
        Err(AppError::Invalid(_)) => {
            // Longer than any e-mail address or password: nothing was stored.
            let f = LoginForm { email: None, password: None, next: f.next };
            Ok(html_status(StatusCode::UNPROCESSABLE_ENTITY, render(&page, &f, Some(t(l, "security.login_too_long")))))
        }
        Err(AppError::Unauthenticated) => {
            Ok(html_status(StatusCode::UNAUTHORIZED, render(&page, &f, Some(t(l, "login.failed")))))
        }
        Err(AppError::RateLimited) => {
            Ok(html_status(StatusCode::TOO_MANY_REQUESTS, render(&page, &f, Some(t(l, "error.rate_limited")))))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct CodeForm {
    pub code: Option<String>,
    pub next: Option<String>,
}

/// The second step of a login: the code from the authenticator app, or a
/// recovery code.
fn render_code(page: &Page, next: &str, errs: &FieldErrors, message: Option<&str>) -> Markup {
    let l = page.lang;
    layout::plain(
        page,
        t(l, "totp.login_title"),
        html! {
            h1 { (t(l, "totp.login_title")) }
            p { (t(l, "totp.login_intro")) }
            @if let Some(m) = message { div.error-summary #login-error role="alert" tabindex="-1" { p { (m) } } }
            (layout::error_summary(l, errs))
            form.card method="post" action="/login/code" novalidate {
                (csrf(page))
                input type="hidden" name="next" value=(next);
                (layout::code_field(l, errs, "code", t(l, "totp.field_code_or_recovery"), Some(t(l, "totp.login_code_hint")), true))
                button.primary type="submit" { (t(l, "totp.login_submit")) }
            }
            p { a href="/login" { (t(l, "totp.login_restart")) } }
        },
    )
}

fn clear_pending(parts: &Parts) -> (header::HeaderName, HeaderValue) {
    let tr = Transport::of(&parts.extensions);
    (header::SET_COOKIE, set_cookie(tr.pending_cookie(), "", Some(0), true, tr.secure))
}

pub async fn code_form(
    State(state): State<AppState>,
    page: Page,
    parts: Parts,
    Query(q): Query<NextQuery>,
) -> WebResult {
    let next = safe_next(q.next.as_deref());
    if page.user.is_some() {
        return Ok(see_other(&next));
    }
    let live = match pending_of(&parts) {
        Some(tok) => state.app.pending_login_live(&tok).await?,
        None => false,
    };
    if !live {
        let f = LoginForm { next: Some(next), ..Default::default() };
        let body = render(&page, &f, Some(t(page.lang, "totp.login_expired")));
        return Ok(([clear_pending(&parts)], html_status(StatusCode::UNAUTHORIZED, body)).into_response());
    }
    Ok(html(render_code(&page, &next, &FieldErrors::default(), None)))
}

pub async fn code_submit(
    State(state): State<AppState>,
    page: Page,
    parts: Parts,
    Form(f): Form<CodeForm>,
) -> WebResult {
    let l = page.lang;
    let next = safe_next(f.next.as_deref());
    let client = client_of(&state, &parts);
    let expired = |key: &str| {
        let lf = LoginForm { next: Some(next.clone()), ..Default::default() };
        let body = render(&page, &lf, Some(t(l, key)));
        ([clear_pending(&parts)], html_status(StatusCode::UNAUTHORIZED, body)).into_response()
    };
    let Some(token) = pending_of(&parts) else { return Ok(expired("totp.login_expired")) };
    match state.app.complete_login(&token, f.code.as_deref().unwrap_or(""), &client).await {
        Ok(s) => {
            if let Some(old) = session_of(&parts) {
                state.app.logout(&old).await?;
            }
            let cookies = session_cookies(&state, &parts, &s.token).await?;
            let mut resp = with_cookies(cookies, see_other(&next));
            let (k, v) = clear_pending(&parts);
            resp.headers_mut().append(k, v);
            Ok(resp)
        }
        Err(AppError::Invalid(errs)) => {
            Ok(html_status(StatusCode::UNPROCESSABLE_ENTITY, render_code(&page, &next, &errs, None)))
        }
        Err(AppError::Unauthenticated) => Ok(expired("totp.login_expired")),
        Err(AppError::Conflict(key)) => Ok(expired(key)),
        Err(AppError::RateLimited) => Ok(html_status(
            StatusCode::TOO_MANY_REQUESTS,
            render_code(&page, &next, &FieldErrors::default(), Some(t(l, "error.rate_limited"))),
        )),
        Err(e) => Err(e.into()),
    }
}

pub async fn logout(State(state): State<AppState>, parts: Parts, Form(_): Form<NextQuery>) -> WebResult {
    if let Some(tok) = session_of(&parts) {
        state.app.logout(&tok).await?;
    }
    // The session cookie goes, and the browser gets a new pre-session token.
    let tr = Transport::of(&parts.extensions);
    let fresh = borgen_app::auth::random_hex(32);
    let cookies = [
        (header::SET_COOKIE, set_cookie(tr.session_cookie(), "", Some(0), true, tr.secure)),
        (header::SET_COOKIE, set_cookie(tr.csrf_cookie(), &fresh, None, true, tr.secure)),
    ];
    Ok(with_cookies(cookies, see_other("/login")))
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct LangForm {
    pub lang: Option<String>,
    pub next: Option<String>,
}

/// Switches the interface language: stored with the user when logged in, and
/// in a cookie for the login and setup pages.
pub async fn set_lang(State(state): State<AppState>, page: Page, parts: Parts, Form(f): Form<LangForm>) -> WebResult {
    let lang = f.lang.as_deref().and_then(Lang::parse).unwrap_or(page.lang);
    if let Some(actor) = page.actor() {
        state.app.set_language(&actor, lang).await?;
    }
    let c = set_cookie(LANG_COOKIE, lang.code(), Some(31_536_000), false, Transport::of(&parts.extensions).secure);
    Ok(([(header::SET_COOKIE, c)], see_other(&safe_next(f.next.as_deref()))).into_response())
}
