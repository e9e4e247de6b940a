//! The user's own account: their sessions (ended one by one or all others at
//! once) and a password change that asks for the current password.

use super::{html, html_status, see_other};
use crate::ctx::{Auth, Form, client_of, session_of};
use crate::error::{WebError, WebResult};
use crate::layout::{self, action_button, csrf, text_field};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use borgen_app::AppError;
use borgen_core::FieldErrors;
use borgen_core::i18n::t;
use maud::{Markup, html};

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct PasswordForm {
    pub current_password: Option<String>,
    pub new_password: Option<String>,
    pub done: Option<String>,
}

async fn page(state: &AppState, a: &Auth, token: &str, errs: &FieldErrors, done: Option<&str>) -> WebResult<Markup> {
    let l = a.page.lang;
    let sessions = state.app.list_sessions(&a.actor, token).await?;
    Ok(layout::plain(
        &a.page,
        t(l, "security.account_title"),
        html! {
            h1 { (t(l, "security.account_title")) }
            p.muted { (a.user.name) " · " (a.user.email) }
            @if let Some(d) = done {
                div.notice role="status" { p { (t(l, match d {
                    "password" => "security.password_changed",
                    "others" => "security.others_ended",
                    _ => "security.session_ended",
                })) } }
            }
            section #sessions {
                h2 { (t(l, "security.sessions")) }
                p.muted { (t(l, "security.sessions_intro")) }
                table.register {
                    thead { tr {
                        th scope="col" { (t(l, "security.session_created")) }
                        th scope="col" { (t(l, "security.session_last_seen")) }
                        th scope="col" { span.sr-only { (t(l, "common.actions")) } }
                    } }
                    tbody {
                        @for s in &sessions {
                            tr {
                                td { (layout::when(&s.created_at)) }
                                td { (s.last_seen_at.as_deref().map(layout::when).unwrap_or_else(|| "—".into())) }
                                td {
                                    @if s.current { span.badge.current-session { (t(l, "security.this_session")) } }
                                    @else { (action_button(&a.page, &format!("/account/sessions/{}/revoke", s.handle), t(l, "security.end_session"), "small danger", None)) }
                                }
                            }
                        }
                    }
                }
                @if sessions.len() > 1 {
                    (action_button(&a.page, "/account/sessions/revoke-others", t(l, "security.end_others"), "danger", Some(t(l, "security.end_others_confirm"))))
                }
            }
            section #password {
                h2 { (t(l, "security.change_password")) }
                (layout::error_summary(l, errs))
                form.card method="post" action="/account/password" novalidate {
                    (csrf(&a.page))
                    (text_field(l, errs, "current_password", t(l, "security.field_current_password"), None, true, "password"))
                    (text_field(l, errs, "new_password", t(l, "security.field_new_password"), None, true, "password"))
                    p.muted { (t(l, "security.password_rule")) }
                    button.primary type="submit" { (t(l, "security.change_password")) }
                }
            }
        },
    ))
}

fn current(parts: &Parts) -> String {
    session_of(parts).unwrap_or_default()
}

pub async fn show(
    State(state): State<AppState>,
    a: Auth,
    parts: Parts,
    crate::ctx::Query(q): crate::ctx::Query<super::Done>,
) -> WebResult {
    Ok(html(page(&state, &a, &current(&parts), &FieldErrors::default(), q.done.as_deref()).await?))
}

pub async fn change_password(
    State(state): State<AppState>,
    a: Auth,
    parts: Parts,
    Form(f): Form<PasswordForm>,
) -> WebResult {
    let token = current(&parts);
    let client = client_of(&state, &parts);
    let r = state
        .app
        .change_password(
            &a.actor,
            &token,
            f.current_password.as_deref().unwrap_or(""),
            f.new_password.as_deref().unwrap_or(""),
            &client,
        )
        .await;
    match r {
        Ok(()) => Ok(see_other("/account?done=password")),
        Err(AppError::Invalid(errs)) => {
            Ok(html_status(StatusCode::UNPROCESSABLE_ENTITY, page(&state, &a, &token, &errs, None).await?))
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn revoke(
    State(state): State<AppState>,
    a: Auth,
    Path(handle): Path<String>,
    Form(_): Form<super::Done>,
) -> WebResult {
    if handle.len() != 32 || !handle.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(WebError::App(AppError::NotFound));
    }
    state.app.revoke_session(&a.actor, &handle).await?;
    Ok(see_other("/account?done=session"))
}

pub async fn revoke_others(
    State(state): State<AppState>,
    a: Auth,
    parts: Parts,
    Form(_): Form<super::Done>,
) -> WebResult {
    state.app.revoke_other_sessions(&a.actor, &current(&parts)).await?;
    Ok(see_other("/account?done=others"))
}
