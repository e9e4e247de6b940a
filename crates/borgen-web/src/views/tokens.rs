//! Personal API tokens: made here (shown once), listed, revoked.

use super::{html, html_status, see_other};
use crate::ctx::{Form, OrgPage};
use crate::error::{WebError, WebResult};
use crate::layout::{self, action_button, csrf, select, text_field, text_field_hint};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use borgen_app::AppError;
use borgen_core::FieldErrors;
use borgen_core::i18n::t;
use borgen_core::ids::TokenId;
use maud::html;

use borgen_app::auth::TokenForm;

async fn page(
    state: &AppState,
    o: &OrgPage,
    secret: Option<&str>,
    f: &TokenForm,
    errs: &FieldErrors,
) -> WebResult<maud::Markup> {
    let l = o.lang();
    let tokens = state.app.list_tokens(&o.ctx.actor, &o.ctx.org.slug).await?;
    let base = format!("{}/tokens", o.base());
    let scopes: Vec<(String, String)> = ["read", "write"]
        .iter()
        .map(|c| {
            (c.to_string(), t(l, if *c == "read" { "security.scope_read" } else { "security.scope_write" }).to_string())
        })
        .collect();
    let today = o.ctx.today();
    Ok(layout::org(
        o,
        "tokens",
        t(l, "tokens.title"),
        html! {
            h1 { (t(l, "tokens.title")) }
            p.muted { (t(l, "tokens.intro")) " " a href="/api-docs" { (t(l, "nav.api")) } }
            @if let Some(s) = secret {
                div.notice.secret role="status" {
                    p { strong { (t(l, "tokens.created")) } }
                    p { code #new-token { (s) } }
                    p { (t(l, "tokens.once")) }
                }
            }
            form.card method="post" action=(base) {
                (csrf(&o.page))
                (text_field(l, errs, "name", t(l, "tokens.name"), f.name.as_deref(), true, "text"))
                (select(l, errs, "scope", t(l, "security.field_scope"), &scopes, Some(f.scope.as_deref().unwrap_or("read")), true))
                (text_field_hint(l, errs, "expires_on", t(l, "security.field_expires_on"), f.expires_on.as_deref(), false, "date", Some(t(l, "security.expires_hint"))))
                button.primary type="submit" { (t(l, "tokens.create")) }
            }
            @if !tokens.is_empty() {
                table.register {
                    thead { tr {
                        th scope="col" { (t(l, "tokens.name")) }
                        th scope="col" { (t(l, "tokens.prefix")) }
                        th scope="col" { (t(l, "security.field_scope")) }
                        th scope="col" { (t(l, "security.field_expires_on")) }
                        th scope="col" { (t(l, "tokens.created_at")) }
                        th scope="col" { (t(l, "tokens.last_used")) }
                        th scope="col" { span.sr-only { (t(l, "common.actions")) } }
                    } }
                    tbody {
                        @for tk in &tokens {
                            tr.archived[tk.revoked_at.is_some()] {
                                td { (tk.name) }
                                td { code { (tk.prefix) "…" } }
                                td { (t(l, if tk.scope == "read" { "security.scope_read" } else { "security.scope_write" })) }
                                td {
                                    (tk.expires_on.as_deref().unwrap_or("—"))
                                    @if tk.expires_on.as_deref().is_some_and(|d| d < today.as_str()) { " " span.badge { (t(l, "security.expired")) } }
                                }
                                td { (layout::when(&o.ctx.org.time_zone, &tk.created_at)) }
                                td { (tk.last_used_at.as_deref().map(|at| layout::when(&o.ctx.org.time_zone, at)).unwrap_or_else(|| "—".into())) }
                                td {
                                    @if tk.revoked_at.is_some() { span.badge { (t(l, "tokens.revoked")) } }
                                    @else { (action_button(&o.page, &format!("{base}/{}/revoke", tk.id), t(l, "tokens.revoke"), "small danger", Some(t(l, "tokens.revoke_confirm")))) }
                                }
                            }
                        }
                    }
                }
            }
        },
    ))
}

pub async fn list(State(state): State<AppState>, o: OrgPage) -> WebResult {
    Ok(html(page(&state, &o, None, &TokenForm::default(), &FieldErrors::default()).await?))
}

pub async fn create(State(state): State<AppState>, o: OrgPage, Form(f): Form<TokenForm>) -> WebResult {
    match state.app.create_token(&o.ctx.actor, &o.ctx.org.slug, None, &f).await {
        Ok((_, secret)) => {
            Ok(html(page(&state, &o, Some(&secret), &TokenForm::default(), &FieldErrors::default()).await?))
        }
        Err(AppError::Invalid(errs)) => {
            Ok(html_status(StatusCode::UNPROCESSABLE_ENTITY, page(&state, &o, None, &f, &errs).await?))
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn revoke(
    State(state): State<AppState>,
    o: OrgPage,
    Path((_, id)): Path<(String, String)>,
    Form(_): Form<TokenForm>,
) -> WebResult {
    let id = TokenId::parse(&id).ok_or(WebError::App(AppError::NotFound))?;
    state.app.revoke_token(&o.ctx.actor, &o.ctx.org.slug, id).await?;
    Ok(see_other(&format!("{}/tokens", o.base())))
}
