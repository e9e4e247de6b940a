//! Login, logout and the language switch.

use super::{html, html_status, safe_next, see_other};
use crate::ctx::{Form, LANG_COOKIE, Page, Query, SESSION_COOKIE, cookie};
use crate::error::WebResult;
use crate::layout::{self, csrf};
use crate::middleware::set_cookie;
use crate::state::AppState;
use axum::extract::{ConnectInfo, State};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use borgen_app::AppError;
use borgen_core::Lang;
use borgen_core::i18n::t;
use maud::{Markup, html};
use std::net::SocketAddr;

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

pub async fn submit(
    State(state): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    page: Page,
    parts: Parts,
    Form(f): Form<LoginForm>,
) -> WebResult {
    let l = page.lang;
    let ip = client_address(&state, &parts, addr);
    match state.app.login(f.email.as_deref().unwrap_or(""), f.password.as_deref().unwrap_or(""), &ip).await {
        Ok(s) => {
            // Rotate: the session the browser had (if any) ends here.
            if let Some(old) = cookie(&parts, SESSION_COOKIE) {
                state.app.logout(&old).await?;
            }
            let c = set_cookie(SESSION_COOKIE, &s.token, None, true, state.secure_cookies);
            Ok(([(header::SET_COOKIE, c)], see_other(&safe_next(f.next.as_deref()))).into_response())
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

/// The client's address for rate limiting: the TCP peer, or behind a trusted
/// reverse proxy the address that proxy appended to `X-Forwarded-For`.
fn client_address(state: &AppState, parts: &Parts, peer: SocketAddr) -> String {
    if state.trust_proxy
        && let Some(last) = parts
            .headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .rfind(|s| s.parse::<std::net::IpAddr>().is_ok())
    {
        return last.to_string();
    }
    peer.ip().to_string()
}

pub async fn logout(State(state): State<AppState>, parts: Parts, Form(_): Form<NextQuery>) -> WebResult {
    if let Some(tok) = cookie(&parts, SESSION_COOKIE) {
        state.app.logout(&tok).await?;
    }
    let c = set_cookie(SESSION_COOKIE, "", Some(0), true, state.secure_cookies);
    Ok(([(header::SET_COOKIE, c)], see_other("/login")).into_response())
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct LangForm {
    pub lang: Option<String>,
    pub next: Option<String>,
}

/// Switches the interface language: stored with the user when logged in, and
/// in a cookie for the login and setup pages.
pub async fn set_lang(State(state): State<AppState>, page: Page, Form(f): Form<LangForm>) -> WebResult {
    let lang = f.lang.as_deref().and_then(Lang::parse).unwrap_or(page.lang);
    if let Some(actor) = page.actor() {
        state.app.set_language(&actor, lang).await?;
    }
    let c = set_cookie(LANG_COOKIE, lang.code(), Some(31_536_000), false, state.secure_cookies);
    Ok(([(header::SET_COOKIE, c)], see_other(&safe_next(f.next.as_deref()))).into_response())
}
