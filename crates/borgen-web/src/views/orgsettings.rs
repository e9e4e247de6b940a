//! The organisation's own settings, for its ISMS manager: whether every
//! member must use a second factor (two-step verification), the time zone
//! its pages show times and count "today" in, and its document control (who
//! reads each classification, who approves each type).

use super::{Done, html, html_status, see_other};
use crate::ctx::{Form, OrgPage, Query};
use crate::error::WebResult;
use crate::layout::{self, checkbox, csrf, select};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use borgen_app::AppError;
use borgen_core::FieldErrors;
use borgen_core::document::{APPROVER_ROLES, CLASSIFICATIONS, READER_ROLES, Rules, TOP_MANAGEMENT_TYPES, TYPES};
use borgen_core::i18n::{t, tf};
use borgen_core::role::Permission;
use borgen_core::role::Role;
use maud::{Markup, html};

/// The document control card: a role × classification table of who reads,
/// and the approver of each type.
fn document_rules(o: &OrgPage, errs: &FieldErrors, shown: &Rules) -> Markup {
    let l = o.lang();
    let class_name = |c: &str| t(l, &format!("document.classification.{c}")).to_string();
    let approvers: Vec<(String, String)> =
        APPROVER_ROLES.iter().map(|r| (r.code().to_string(), t(l, r.label_key()).to_string())).collect();
    html! {
        section.card #document-rules {
            h2 { (t(l, "docrules.title")) }
            p { (t(l, "docrules.intro")) }
            (layout::error_summary(l, errs))
            form method="post" action={(o.base()) "/settings/documents"} novalidate {
                (csrf(&o.page))
                h3 { (t(l, "docrules.readers")) }
                table.register #document-readers {
                    thead { tr {
                        th scope="col" { (t(l, "document.field.classification")) }
                        @for r in Role::ALL { th scope="col" { (t(l, r.label_key())) } }
                    } }
                    tbody {
                        @for c in CLASSIFICATIONS {
                            @let readers = shown.readers_of(c);
                            tr {
                                th scope="row" { (class_name(c)) }
                                @for r in Role::ALL {
                                    @let label = tf(l, "docrules.reads", &[("role", t(l, r.label_key())), ("classification", &class_name(c).to_lowercase())]);
                                    td {
                                        @if *c == "public" || !READER_ROLES.contains(&r) {
                                            input type="checkbox" checked disabled aria-label=(label);
                                            " " span.muted { (t(l, "docrules.fixed")) }
                                        } @else {
                                            input type="checkbox" name="read" value={(c) ":" (r.code())} checked[readers.contains(&r)] aria-label=(label);
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                h3 { (t(l, "docrules.approvers")) }
                p.hint { (t(l, "docrules.approvers_intro")) }
                table.register #document-approvers {
                    thead { tr {
                        th scope="col" { (t(l, "document.field.doc_type")) }
                        th scope="col" { (t(l, "docrules.approved_by")) }
                    } }
                    tbody {
                        @for ty in TYPES {
                            tr {
                                th scope="row" { (t(l, &format!("document.type.{ty}"))) }
                                td {
                                    @if TOP_MANAGEMENT_TYPES.contains(ty) {
                                        (t(l, "docrules.always_top"))
                                    } @else {
                                        @let name = format!("approver_{ty}");
                                        @let now = shown.approver_role(ty).code();
                                        select name=(name) aria-label={(t(l, "docrules.approved_by")) ": " (t(l, &format!("document.type.{ty}")))} {
                                            @for (v, label) in &approvers {
                                                option value=(v) selected[v == now] { (label) }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                button.primary type="submit" { (t(l, "common.save")) }
            }
        }
    }
}

fn page(o: &OrgPage, errs: &FieldErrors, zone_errs: &FieldErrors, done: Option<&str>) -> Markup {
    page_with(o, errs, zone_errs, &FieldErrors::default(), &o.ctx.org.document_rules, done)
}

fn page_with(
    o: &OrgPage,
    errs: &FieldErrors,
    zone_errs: &FieldErrors,
    rule_errs: &FieldErrors,
    rules: &Rules,
    done: Option<&str>,
) -> Markup {
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
        (document_rules(o, rule_errs, rules))
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

/// `POST /o/{slug}/settings/documents`: `read` = `classification:role` per
/// ticked box, `approver_{type}` = a role per type.
pub async fn save_document_rules(
    State(state): State<AppState>,
    o: OrgPage,
    Form(pairs): Form<Vec<(String, String)>>,
) -> WebResult {
    let reads = pairs.iter().filter(|(k, _)| k == "read").map(|(_, v)| v.as_str());
    let approvers =
        pairs.iter().filter_map(|(k, v)| k.strip_prefix("approver_").map(|t| (t, v.as_str()))).collect::<Vec<_>>();
    match state.app.set_document_rules(&o.ctx, reads, approvers.iter().copied()).await {
        Ok(_) => Ok(see_other(&format!("{}/settings?done=saved#document-rules", o.base()))),
        Err(AppError::Invalid(errs)) => {
            let l = o.lang();
            // Shown as sent, so the member sees what to change.
            let sent = Rules::from_json(
                &serde_json::json!({
                    "readers": CLASSIFICATIONS.iter().map(|c| {
                        let roles: Vec<&str> = pairs.iter()
                            .filter_map(|(k, v)| (k == "read").then_some(v.as_str()))
                            .filter_map(|v| v.strip_prefix(*c).and_then(|r| r.strip_prefix(':')))
                            .collect();
                        (c.to_string(), roles)
                    }).collect::<std::collections::BTreeMap<_, _>>(),
                    "approvers": approvers.iter().copied().collect::<std::collections::BTreeMap<_, _>>(),
                })
                .to_string(),
            );
            let none = FieldErrors::default();
            let body = page_with(&o, &none, &none, &errs, &sent, None);
            Ok(html_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                layout::org(&o, "settings", t(l, "orgsettings.title"), body),
            ))
        }
        Err(e) => Err(e.into()),
    }
}
