//! Personal API tokens: made here (shown once), listed, revoked.

use super::{html, html_status, see_other};
use crate::ctx::{Form, OrgPage};
use crate::error::{WebError, WebResult};
use crate::layout::{self, action_button, csrf, text_field};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use borgen_app::AppError;
use borgen_core::FieldErrors;
use borgen_core::i18n::t;
use borgen_core::ids::TokenId;
use maud::html;

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct TokenForm {
    pub name: Option<String>,
}

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
                button.primary type="submit" { (t(l, "tokens.create")) }
            }
            @if !tokens.is_empty() {
                table.register {
                    thead { tr {
                        th scope="col" { (t(l, "tokens.name")) }
                        th scope="col" { (t(l, "tokens.prefix")) }
                        th scope="col" { (t(l, "tokens.created_at")) }
                        th scope="col" { (t(l, "tokens.last_used")) }
                        th scope="col" { span.sr-only { (t(l, "common.actions")) } }
                    } }
                    tbody {
                        @for tk in &tokens {
                            tr.archived[tk.revoked_at.is_some()] {
                                td { (tk.name) }
                                td { code { (tk.prefix) "…" } }
                                td { (layout::when(&tk.created_at)) }
                                td { (tk.last_used_at.as_deref().map(layout::when).unwrap_or_else(|| "—".into())) }
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
    match state.app.create_token(&o.ctx.actor, &o.ctx.org.slug, None, f.name.as_deref().unwrap_or("")).await {
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
