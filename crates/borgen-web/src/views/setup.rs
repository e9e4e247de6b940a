//! First-run setup: the first administrator and organisation, guarded by the
//! one-time code the server printed on its console.

use super::{html, html_status, see_other};
use crate::ctx::{Form, Page};
use crate::error::WebResult;
use crate::layout::{self, csrf, select, text_field, text_field_hint};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use borgen_app::AppError;
use borgen_app::auth::SetupForm;
use borgen_core::i18n::t;
use borgen_core::{FieldErrors, Lang};
use maud::{Markup, html};

fn render(page: &Page, f: &SetupForm, errs: &FieldErrors) -> Markup {
    let l = page.lang;
    let langs: Vec<(String, String)> =
        Lang::ALL.iter().map(|x| (x.code().to_string(), t(l, &format!("lang.{}", x.code())).to_string())).collect();
    layout::plain(
        page,
        t(l, "setup.title"),
        html! {
            h1 { (t(l, "setup.title")) }
            p { (t(l, "setup.intro")) }
            (layout::error_summary(l, errs))
            form.card method="post" action="/setup" {
                (csrf(page))
                (text_field_hint(l, errs, "setup_code", t(l, "setup.code"), f.setup_code.as_deref(), true, "text", Some(t(l, "setup.code_hint"))))
                fieldset {
                    legend { (t(l, "setup.admin")) }
                    (text_field(l, errs, "name", t(l, "field.name"), f.name.as_deref(), true, "text"))
                    (text_field(l, errs, "email", t(l, "field.email"), f.email.as_deref(), true, "email"))
                    (text_field_hint(l, errs, "password", t(l, "field.password"), None, true, "password", Some(t(l, "setup.password_hint"))))
                }
                fieldset {
                    legend { (t(l, "setup.org")) }
                    (text_field(l, errs, "org_name", t(l, "field.org_name"), f.org_name.as_deref(), true, "text"))
                    (text_field_hint(l, errs, "org_slug", t(l, "field.slug"), f.org_slug.as_deref(), true, "text", Some(t(l, "field.slug_hint"))))
                    (select(l, errs, "lang", t(l, "field.default_lang"), &langs, Some(f.lang.as_deref().unwrap_or(l.code())), true))
                }
                button.primary type="submit" { (t(l, "setup.submit")) }
            }
        },
    )
}

pub async fn form(State(state): State<AppState>, page: Page) -> WebResult {
    if !state.app.setup_needed().await? {
        return Ok(see_other("/"));
    }
    Ok(html(render(&page, &SetupForm::default(), &FieldErrors::default())))
}

pub async fn submit(
    State(state): State<AppState>,
    page: Page,
    parts: axum::http::request::Parts,
    Form(f): Form<SetupForm>,
) -> WebResult {
    match state.app.complete_setup(&f).await {
        Ok(s) => {
            let cookies = super::login::session_cookies(&state, &parts, &s.token).await?;
            Ok(super::login::with_cookies(cookies, see_other("/")))
        }
        Err(AppError::Invalid(errs)) => Ok(html_status(StatusCode::UNPROCESSABLE_ENTITY, render(&page, &f, &errs))),
        Err(e) => Err(e.into()),
    }
}
