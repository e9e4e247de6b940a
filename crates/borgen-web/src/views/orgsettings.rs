//! The organisation's own settings, for its ISMS manager: for now, whether
//! every member must use a second factor (two-step verification).

use super::{Done, html, html_status, see_other};
use crate::ctx::{Form, OrgPage, Query};
use crate::error::WebResult;
use crate::layout::{self, checkbox, csrf};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use borgen_app::AppError;
use borgen_core::FieldErrors;
use borgen_core::i18n::t;
use borgen_core::role::Permission;
use maud::{Markup, html};

fn page(o: &OrgPage, errs: &FieldErrors, done: Option<&str>) -> Markup {
    let l = o.lang();
    html! {
        h1 { (t(l, "orgsettings.title")) }
        (layout::notice(l, done))
        section.card #second-factor-setting {
            h2 { (t(l, "totp.title")) }
            p { (t(l, "orgsettings.second_factor_intro")) }
            (layout::error_summary(l, errs))
            form method="post" action={(o.base()) "/settings"} novalidate {
                (csrf(&o.page))
                (checkbox(l, errs, "require_second_factor", t(l, "orgsettings.require_second_factor"), o.ctx.org.require_second_factor))
                @if !o.ctx.second_factor {
                    p.muted { (t(l, "orgsettings.enrol_first")) " " a href="/account#second-factor" { (t(l, "security.account_link")) } }
                }
                button.primary type="submit" { (t(l, "common.save")) }
            }
        }
    }
}

pub async fn show(o: OrgPage, Query(q): Query<Done>) -> WebResult {
    o.ctx.require(Permission::ManageIsms)?;
    let l = o.lang();
    Ok(html(layout::org(
        &o,
        "settings",
        t(l, "orgsettings.title"),
        page(&o, &FieldErrors::default(), q.done.as_deref()),
    )))
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct SettingsForm {
    pub require_second_factor: Option<String>,
}

pub async fn save(State(state): State<AppState>, o: OrgPage, Form(f): Form<SettingsForm>) -> WebResult {
    o.ctx.require(Permission::ManageIsms)?;
    let required = matches!(f.require_second_factor.as_deref(), Some("on" | "true" | "1"));
    match state.app.set_second_factor_required(&o.ctx.actor, &o.ctx.org.slug, required).await {
        Ok(()) => Ok(see_other(&format!("{}/settings?done=saved", o.base()))),
        Err(AppError::Invalid(errs)) => {
            let l = o.lang();
            let body = page(&o, &errs, None);
            Ok(html_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                layout::org(&o, "settings", t(l, "orgsettings.title"), body),
            ))
        }
        Err(e) => Err(e.into()),
    }
}
