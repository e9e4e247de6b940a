//! The organisation's own settings, for its ISMS manager: whether every
//! member must use a second factor (two-step verification), and the time
//! zone its pages show times and count "today" in.

use super::{Done, html, html_status, see_other};
use crate::ctx::{Form, OrgPage, Query};
use crate::error::WebResult;
use crate::layout::{self, checkbox, csrf, select};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use borgen_app::AppError;
use borgen_core::FieldErrors;
use borgen_core::i18n::{t, tf};
use borgen_core::role::Permission;
use maud::{Markup, html};

fn page(o: &OrgPage, errs: &FieldErrors, zone_errs: &FieldErrors, done: Option<&str>) -> Markup {
    let l = o.lang();
    let zones: Vec<(String, String)> =
        borgen_core::time::zone_names().into_iter().map(|z| (z.to_string(), z.replace('_', " "))).collect();
    html! {
        h1 { (t(l, "orgsettings.title")) }
        (layout::notice(l, done))
        section.card #time-zone-setting {
            h2 { (t(l, "orgsettings.time_zone")) }
            p { (t(l, "orgsettings.time_zone_intro")) }
            (layout::error_summary(l, zone_errs))
            form method="post" action={(o.base()) "/settings/time-zone"} novalidate {
                (csrf(&o.page))
                (select(l, zone_errs, "time_zone", t(l, "orgsettings.time_zone"), &zones, Some(&o.ctx.org.time_zone), true))
                p.hint { (tf(l, "orgsettings.time_zone_now", &[("now", &o.ctx.local_time(&borgen_core::time::now_text()))])) }
                button.primary type="submit" { (t(l, "common.save")) }
            }
        }
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
        page(&o, &FieldErrors::default(), &FieldErrors::default(), q.done.as_deref()),
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
            let body = page(&o, &errs, &FieldErrors::default(), None);
            Ok(html_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                layout::org(&o, "settings", t(l, "orgsettings.title"), body),
            ))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct ZoneForm {
    pub time_zone: Option<String>,
}

pub async fn save_time_zone(State(state): State<AppState>, o: OrgPage, Form(f): Form<ZoneForm>) -> WebResult {
    match state.app.set_time_zone(&o.ctx, f.time_zone.as_deref().unwrap_or("")).await {
        Ok(()) => Ok(see_other(&format!("{}/settings?done=saved", o.base()))),
        Err(AppError::Invalid(errs)) => {
            let l = o.lang();
            let body = page(&o, &FieldErrors::default(), &errs, None);
            Ok(html_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                layout::org(&o, "settings", t(l, "orgsettings.title"), body),
            ))
        }
        Err(e) => Err(e.into()),
    }
}
