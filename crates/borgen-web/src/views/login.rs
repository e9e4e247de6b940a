//! Login, logout and the language switch.

use super::{html, html_status, safe_next, see_other};
use crate::ctx::{Form, LANG_COOKIE, Page, Query, Transport, client_of, session_of};
use crate::error::WebResult;
use crate::layout::{self, csrf};
use crate::middleware::set_cookie;
use crate::state::AppState;
use axum::extract::State;
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use borgen_app::AppError;
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
        Ok(s) => {
            // Rotate: the session the browser had (if any) ends here, and
            // the CSRF token changes with the session.
            if let Some(old) = session_of(&parts) {
                state.app.logout(&old).await?;
            }
            let cookies = session_cookies(&state, &parts, &s.token).await?;
            Ok(with_cookies(cookies, see_other(&safe_next(f.next.as_deref()))))
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
