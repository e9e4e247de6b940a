//! Installation administration: organisations, users, memberships.

use super::{html, html_status, see_other};
use crate::ctx::{Auth, Form};
use crate::error::{WebError, WebResult};
use crate::layout::{self, checkbox, csrf, select, text_field, text_field_hint};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use borgen_app::AppError;
use borgen_app::admin::{MemberForm, OrgForm, UserForm};
use borgen_core::i18n::t;
use borgen_core::ids::UserId;
use borgen_core::role::Role;
use borgen_core::{FieldErrors, Lang};
use maud::{Markup, html};

fn require_admin(a: &Auth) -> Result<(), WebError> {
    if a.actor.is_admin() { Ok(()) } else { Err(AppError::Forbidden.into()) }
}

async fn index_page(
    state: &AppState,
    a: &Auth,
    of: &OrgForm,
    oerr: &FieldErrors,
    uf: &UserForm,
    uerr: &FieldErrors,
) -> WebResult<Markup> {
    let l = a.page.lang;
    let orgs = state.app.all_orgs(&a.actor).await?;
    let users = state.app.all_users(&a.actor).await?;
    let langs: Vec<(String, String)> =
        Lang::ALL.iter().map(|x| (x.code().to_string(), t(l, &format!("lang.{}", x.code())).to_string())).collect();
    Ok(layout::plain(
        &a.page,
        t(l, "admin.title"),
        html! {
            h1 { (t(l, "admin.title")) }
            p.muted { (t(l, "admin.intro")) }
            p { a href="/admin/security" { (t(l, "security.events_title")) } }
            section #orgs {
                h2 { (t(l, "admin.orgs")) }
                table.register {
                    thead { tr { th { (t(l, "field.org_name")) } th { (t(l, "field.slug")) } th { (t(l, "field.default_lang")) } } }
                    tbody {
                        @for o in &orgs {
                            tr {
                                td { a href={"/admin/orgs/" (o.slug)} { (o.name) } }
                                td { code { (o.slug) } }
                                td { (t(l, &format!("lang.{}", o.default_lang.code()))) }
                            }
                        }
                    }
                }
                details.card open[!oerr.is_empty()] {
                    summary { (t(l, "admin.new_org")) }
                    (layout::error_summary(l, oerr))
                    form method="post" action="/admin/orgs" novalidate {
                        (csrf(&a.page))
                        (text_field(l, oerr, "name", t(l, "field.org_name"), of.name.as_deref(), true, "text"))
                        (text_field_hint(l, oerr, "slug", t(l, "field.slug"), of.slug.as_deref(), true, "text", Some(t(l, "field.slug_hint"))))
                        (select(l, oerr, "default_lang", t(l, "field.default_lang"), &langs, Some(of.default_lang.as_deref().unwrap_or("nl")), true))
                        button.primary type="submit" { (t(l, "admin.new_org")) }
                    }
                }
            }
            section #users {
                h2 { (t(l, "admin.users")) }
                table.register {
                    thead { tr { th { (t(l, "field.name")) } th { (t(l, "field.email")) } th { (t(l, "admin.is_admin")) } } }
                    tbody {
                        @for u in &users {
                            tr { td { (u.name) } td { (u.email) } td { @if u.is_admin { (t(l, "common.yes")) } @else { (t(l, "common.no")) } } }
                        }
                    }
                }
                details.card open[!uerr.is_empty()] {
                    summary { (t(l, "admin.new_user")) }
                    (layout::error_summary(l, uerr))
                    form method="post" action="/admin/users" novalidate {
                        (csrf(&a.page))
                        (text_field(l, uerr, "name", t(l, "field.name"), uf.name.as_deref(), false, "text"))
                        (text_field(l, uerr, "email", t(l, "field.email"), uf.email.as_deref(), true, "email"))
                        (text_field_hint(l, uerr, "password", t(l, "admin.initial_password"), None, true, "password", Some(t(l, "setup.password_hint"))))
                        (checkbox(l, uerr, "is_admin", t(l, "admin.is_admin"), uf.is_admin.is_some()))
                        button.primary type="submit" { (t(l, "admin.new_user")) }
                    }
                }
            }
        },
    ))
}

pub async fn index(State(state): State<AppState>, a: Auth) -> WebResult {
    require_admin(&a)?;
    let none = FieldErrors::default();
    Ok(html(index_page(&state, &a, &OrgForm::default(), &none, &UserForm::default(), &none).await?))
}

pub async fn create_org(State(state): State<AppState>, a: Auth, Form(f): Form<OrgForm>) -> WebResult {
    require_admin(&a)?;
    match state.app.create_org(&a.actor, &f).await {
        Ok(o) => Ok(see_other(&format!("/admin/orgs/{}", o.slug))),
        Err(AppError::Invalid(e)) => {
            let none = FieldErrors::default();
            Ok(html_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                index_page(&state, &a, &f, &e, &UserForm::default(), &none).await?,
            ))
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn create_user(State(state): State<AppState>, a: Auth, Form(f): Form<UserForm>) -> WebResult {
    require_admin(&a)?;
    match state.app.create_user(&a.actor, &f).await {
        Ok(_) => Ok(see_other("/admin#users")),
        Err(AppError::Invalid(e)) => {
            let none = FieldErrors::default();
            Ok(html_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                index_page(&state, &a, &OrgForm::default(), &none, &f, &e).await?,
            ))
        }
        Err(e) => Err(e.into()),
    }
}

async fn members_page(
    state: &AppState,
    a: &Auth,
    slug: &str,
    f: &MemberForm,
    errs: &FieldErrors,
    sf_errs: &FieldErrors,
) -> WebResult<Markup> {
    let l = a.page.lang;
    let org = state
        .app
        .all_orgs(&a.actor)
        .await?
        .into_iter()
        .find(|o| o.slug == slug)
        .ok_or(WebError::App(AppError::NotFound))?;
    let members = state.app.members(&a.actor, slug).await?;
    let roles: Vec<(String, String)> =
        Role::ALL.iter().map(|r| (r.code().to_string(), t(l, r.label_key()).to_string())).collect();
    let base = format!("/admin/orgs/{slug}");
    let i_am_member = members.iter().any(|m| Some(m.user_id) == a.actor.user_id());
    Ok(layout::plain(
        &a.page,
        &org.name,
        html! {
            p.crumbs { a href="/admin" { (t(l, "admin.title")) } }
            h1 { (org.name) }
            @if i_am_member { p { a.button href={"/o/" (org.slug)} { (t(l, "admin.open_org")) } } }
            h2 { (t(l, "admin.members")) }
            @if members.is_empty() { p.empty { (t(l, "admin.no_members")) } }
            @else {
                table.register {
                    thead { tr { th { (t(l, "field.name")) } th { (t(l, "field.email")) } th { (t(l, "admin.roles")) } } }
                    tbody {
                        @for m in &members {
                            tr {
                                td { (m.name) } td { (m.email) }
                                td {
                                    @for r in &m.roles.0 {
                                        span.tag { (t(l, r.label_key())) }
                                        form.inline method="post" action={(base) "/members/remove"} data-confirm=(t(l, "admin.remove_confirm")) {
                                            (csrf(&a.page))
                                            input type="hidden" name="user_id" value=(m.user_id);
                                            input type="hidden" name="role" value=(r.code());
                                            button.link.small type="submit" aria-label=(t(l, "admin.remove_role")) { "×" }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            div.card #second-factor-setting {
                h3 { (t(l, "totp.title")) }
                p.muted { (t(l, "orgsettings.second_factor_intro")) }
                (layout::error_summary(l, sf_errs))
                form method="post" action={(base) "/second-factor"} novalidate {
                    (csrf(&a.page))
                    (checkbox(l, sf_errs, "require_second_factor", t(l, "orgsettings.require_second_factor"), org.require_second_factor))
                    button type="submit" { (t(l, "common.save")) }
                }
            }
            div.card {
                h3 { (t(l, "admin.add_member")) }
                (layout::error_summary(l, errs))
                form method="post" action={(base) "/members"} novalidate {
                    (csrf(&a.page))
                    (text_field(l, errs, "email", t(l, "field.email"), f.email.as_deref(), true, "email"))
                    (select(l, errs, "role", t(l, "admin.role"), &roles, f.role.as_deref(), true))
                    button.primary type="submit" { (t(l, "admin.add_member")) }
                }
            }
        },
    ))
}

pub async fn org_members(State(state): State<AppState>, a: Auth, Path(slug): Path<String>) -> WebResult {
    require_admin(&a)?;
    let none = FieldErrors::default();
    Ok(html(members_page(&state, &a, &slug, &MemberForm::default(), &none, &none).await?))
}

pub async fn add_member(
    State(state): State<AppState>,
    a: Auth,
    Path(slug): Path<String>,
    Form(f): Form<MemberForm>,
) -> WebResult {
    require_admin(&a)?;
    match state.app.add_member(&a.actor, &slug, &f).await {
        Ok(_) => Ok(see_other(&format!("/admin/orgs/{slug}"))),
        Err(AppError::Invalid(e)) => {
            let none = FieldErrors::default();
            Ok(html_status(StatusCode::UNPROCESSABLE_ENTITY, members_page(&state, &a, &slug, &f, &e, &none).await?))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct SecondFactorForm {
    pub require_second_factor: Option<String>,
}

/// Whether the organisation's members must use a second factor.
pub async fn set_second_factor(
    State(state): State<AppState>,
    a: Auth,
    Path(slug): Path<String>,
    Form(f): Form<SecondFactorForm>,
) -> WebResult {
    require_admin(&a)?;
    let required = matches!(f.require_second_factor.as_deref(), Some("on" | "true" | "1"));
    match state.app.set_second_factor_required(&a.actor, &slug, required).await {
        Ok(()) => Ok(see_other(&format!("/admin/orgs/{slug}"))),
        Err(AppError::Invalid(e)) => {
            let none = FieldErrors::default();
            let body = members_page(&state, &a, &slug, &MemberForm::default(), &none, &e).await?;
            Ok(html_status(StatusCode::UNPROCESSABLE_ENTITY, body))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct RemoveForm {
    pub user_id: Option<String>,
    pub role: Option<String>,
}

pub async fn remove_member(
    State(state): State<AppState>,
    a: Auth,
    Path(slug): Path<String>,
    Form(f): Form<RemoveForm>,
) -> WebResult {
    require_admin(&a)?;
    let user = f
        .user_id
        .as_deref()
        .and_then(UserId::parse)
        .ok_or(WebError::Status(StatusCode::BAD_REQUEST, "error.unknown_user"))?;
    let role = f
        .role
        .as_deref()
        .and_then(Role::parse)
        .ok_or(WebError::Status(StatusCode::BAD_REQUEST, "error.unknown_value"))?;
    state.app.remove_member(&a.actor, &slug, user, role).await?;
    Ok(see_other(&format!("/admin/orgs/{slug}")))
}

/// The security event log: logins, lockouts, refused token use and password
/// changes, newest first (installation administrators only).
pub async fn security(State(state): State<AppState>, a: Auth) -> WebResult {
    require_admin(&a)?;
    let l = a.page.lang;
    let events = state.app.security_events(&a.actor, 500).await?;
    Ok(html(layout::plain(
        &a.page,
        t(l, "security.events_title"),
        html! {
            h1 { (t(l, "security.events_title")) }
            p.muted { (t(l, "security.events_intro")) }
            @if events.is_empty() {
                p { (t(l, "security.no_events")) }
            } @else {
                table.register #security-events {
                    thead { tr {
                        th scope="col" { (t(l, "security.event_at")) }
                        th scope="col" { (t(l, "security.event_kind")) }
                        th scope="col" { (t(l, "field.email")) }
                        th scope="col" { (t(l, "security.event_ip")) }
                        th scope="col" { (t(l, "security.event_detail")) }
                        th scope="col" { (t(l, "security.event_request")) }
                    } }
                    tbody {
                        @for e in &events {
                            tr data-kind=(e.kind) {
                                td { (layout::when(borgen_core::time::DEFAULT_ZONE, &e.at)) }
                                td { (kind_label(l, &e.kind)) }
                                td { (e.email.as_deref().unwrap_or("—")) }
                                td { (e.ip.as_deref().unwrap_or("—")) }
                                td { (e.detail.as_deref().unwrap_or("")) }
                                td { code { (e.request_id.as_deref().unwrap_or("")) } }
                            }
                        }
                    }
                }
            }
        },
    )))
}

fn kind_label(l: Lang, kind: &str) -> String {
    match kind {
        "login_success" => t(l, "security.kind.login_success"),
        "login_failed" => t(l, "security.kind.login_failed"),
        "login_lockout" => t(l, "security.kind.login_lockout"),
        "token_refused" => t(l, "security.kind.token_refused"),
        "password_changed" => t(l, "security.kind.password_changed"),
        "totp_failed" => t(l, "security.kind.totp_failed"),
        "totp_enabled" => t(l, "security.kind.totp_enabled"),
        "totp_disabled" => t(l, "security.kind.totp_disabled"),
        "recovery_code_used" => t(l, "security.kind.recovery_code_used"),
        "recovery_codes_renewed" => t(l, "security.kind.recovery_codes_renewed"),
        other => other,
    }
    .to_string()
}
