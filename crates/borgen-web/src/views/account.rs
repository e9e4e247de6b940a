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
use borgen_app::totp::SecondFactor;
use borgen_core::FieldErrors;
use borgen_core::i18n::{t, tf};
use maud::{Markup, PreEscaped, html};

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct PasswordForm {
    pub current_password: Option<String>,
    pub new_password: Option<String>,
    pub done: Option<String>,
}

/// What the account page shows beyond the lists: errors of the form that
/// was sent, and recovery codes made just now (shown once).
#[derive(Debug, Default)]
struct Shown<'a> {
    password_errs: FieldErrors,
    /// The second-factor form that was sent (`confirm`, `renew`, `disable`) and its errors.
    totp_form: Option<&'static str>,
    totp_errs: FieldErrors,
    codes: Option<Vec<String>>,
    done: Option<&'a str>,
    /// The organisation (slug) whose pages sent the user here.
    required: Option<&'a str>,
}

async fn page(state: &AppState, a: &Auth, token: &str, shown: &Shown<'_>) -> WebResult<Markup> {
    let l = a.page.lang;
    let sessions = state.app.list_sessions(&a.actor, token).await?;
    let factor = state.app.second_factor(&a.actor).await?;
    let required_org = match shown.required {
        Some(slug) => state.app.my_orgs(&a.actor).await?.into_iter().find(|o| o.slug == slug),
        None => None,
    };
    let errs = &shown.password_errs;
    Ok(layout::plain(
        &a.page,
        t(l, "security.account_title"),
        html! {
            h1 { (t(l, "security.account_title")) }
            p.muted { (a.user.name) " · " (a.user.email) }
            @if let Some(d) = shown.done {
                div.notice role="status" { p { (t(l, match d {
                    "password" => "security.password_changed",
                    "others" => "security.others_ended",
                    "totp_off" => "totp.turned_off",
                    "totp_cancelled" => "totp.cancelled",
                    _ => "security.session_ended",
                })) } }
            }
            (second_factor_section(a, &factor, shown, required_org.as_ref()))
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
                                td { (layout::when(borgen_core::time::DEFAULT_ZONE, &s.created_at)) }
                                td { (s.last_seen_at.as_deref().map(|at| layout::when(borgen_core::time::DEFAULT_ZONE, at)).unwrap_or_else(|| "—".into())) }
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

/// The base32 secret in groups of four, for typing by hand.
fn grouped(secret: &str) -> String {
    secret.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>().join(" ")
}

/// The problems of a second-factor form, at the top of that form.
fn totp_problems(l: borgen_core::Lang, errs: &FieldErrors) -> Markup {
    html! {
        @if !errs.is_empty() {
            div.error-summary role="alert" tabindex="-1" {
                p { strong { (t(l, "error.invalid")) } }
                ul { @for e in &errs.0 { li { (t(l, e.key)) } } }
            }
        }
    }
}

fn second_factor_section(
    a: &Auth,
    factor: &SecondFactor,
    shown: &Shown<'_>,
    required: Option<&borgen_store::orgs::Org>,
) -> Markup {
    let l = a.page.lang;
    let none = FieldErrors::default();
    let errs_of = |form: &str| if shown.totp_form == Some(form) { &shown.totp_errs } else { &none };
    html! {
        section #second-factor {
            h2 { (t(l, "totp.title")) }
            @if let (Some(org), false) = (required, factor.is_on()) {
                div.notice.warn role="alert" {
                    p { (tf(l, "totp.required_by", &[("org", &org.name)])) }
                }
            }
            @if let Some(codes) = &shown.codes {
                div.card.recovery-codes role="status" {
                    h3 { (t(l, "totp.codes_title")) }
                    p { strong { (t(l, "totp.codes_once")) } }
                    ol.codes { @for c in codes { li { code { (c) } } } }
                    p.muted { (t(l, "totp.codes_how")) }
                    @if let Some(org) = required {
                        p { a.button href={"/o/" (org.slug)} { (tf(l, "totp.continue_to", &[("org", &org.name)])) } }
                    }
                }
            }
            @match factor {
                SecondFactor::Off => {
                    p { (t(l, "totp.intro")) }
                    form.card method="post" action="/account/totp/start" {
                        (csrf(&a.page))
                        @if let Some(r) = shown.required { input type="hidden" name="required" value=(r); }
                        p.muted { (t(l, "totp.start_hint")) }
                        button.primary type="submit" { (t(l, "totp.start")) }
                    }
                }
                SecondFactor::Pending(e) => {
                    div.card.enrolment {
                        h3 { (t(l, "totp.step_scan")) }
                        p { (t(l, "totp.scan_intro")) }
                        @if let Some(svg) = crate::qr::svg(&e.uri) {
                            figure.qr role="img" aria-label=(t(l, "totp.qr_label")) { (PreEscaped(svg)) }
                        }
                        h3 { (t(l, "totp.step_manual")) }
                        p { (t(l, "totp.manual_intro")) }
                        p { code.secret #totp-secret { (grouped(&e.secret)) } }
                        details {
                            summary { (t(l, "totp.uri_label")) }
                            p { code.uri { (e.uri) } }
                        }
                        h3 { (t(l, "totp.step_confirm")) }
                        (totp_problems(l, errs_of("confirm")))
                        form method="post" action="/account/totp/confirm" novalidate {
                            (csrf(&a.page))
                            @if let Some(r) = shown.required { input type="hidden" name="required" value=(r); }
                            (layout::code_field(l, errs_of("confirm"), "code", t(l, "totp.field_code"), Some(t(l, "totp.confirm_hint")), false))
                            button.primary type="submit" { (t(l, "totp.confirm")) }
                        }
                        (action_button(&a.page, "/account/totp/cancel", t(l, "totp.cancel"), "link", None))
                    }
                }
                SecondFactor::On { since, recovery_left } => {
                    p.ok { "✓ " (tf(l, "totp.on_since", &[("when", &layout::when(borgen_core::time::DEFAULT_ZONE, since))])) }
                    p { (tf(l, "totp.codes_left", &[("n", &recovery_left.to_string())])) }
                    @if *recovery_left <= 2 { p.notice.warn { (t(l, "totp.codes_low")) } }
                    div.card {
                        h3 { (t(l, "totp.renew_title")) }
                        p.muted { (t(l, "totp.renew_intro")) }
                        (totp_problems(l, errs_of("renew")))
                        form method="post" action="/account/totp/recovery-codes" novalidate {
                            (csrf(&a.page))
                            (layout::code_field(l, errs_of("renew"), "renew-code", t(l, "totp.field_code"), None, false))
                            button type="submit" { (t(l, "totp.renew")) }
                        }
                    }
                    div.card {
                        h3 { (t(l, "totp.disable_title")) }
                        p.muted { (t(l, "totp.disable_intro")) }
                        (totp_problems(l, errs_of("disable")))
                        form method="post" action="/account/totp/disable" novalidate {
                            (csrf(&a.page))
                            @let derrs = errs_of("disable");
                            div.field.invalid[derrs.for_field("password").is_some()] {
                                label for="disable-password" { (t(l, "field.password")) span.req aria-hidden="true" { " *" } }
                                input #disable-password name="password" type="password" autocomplete="current-password" required
                                    aria-invalid=[derrs.for_field("password").map(|_| "true")];
                                @if let Some(k) = derrs.for_field("password") { p.field-error { (t(l, k)) } }
                            }
                            (layout::code_field(l, derrs, "disable-code", t(l, "totp.field_code_or_recovery"), Some(t(l, "totp.disable_code_hint")), true))
                            button.danger type="submit" { (t(l, "totp.disable")) }
                        }
                    }
                }
            }
        }
    }
}

fn current(parts: &Parts) -> String {
    session_of(parts).unwrap_or_default()
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct AccountQuery {
    pub done: Option<String>,
    /// The organisation that requires a second factor.
    pub required: Option<String>,
}

pub async fn show(
    State(state): State<AppState>,
    a: Auth,
    parts: Parts,
    crate::ctx::Query(q): crate::ctx::Query<AccountQuery>,
) -> WebResult {
    let shown = Shown { done: q.done.as_deref(), required: q.required.as_deref(), ..Default::default() };
    Ok(html(page(&state, &a, &current(&parts), &shown).await?))
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
            let shown = Shown { password_errs: errs, ..Default::default() };
            Ok(html_status(StatusCode::UNPROCESSABLE_ENTITY, page(&state, &a, &token, &shown).await?))
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

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct TotpForm {
    pub code: Option<String>,
    pub password: Option<String>,
    /// Carried from the account page when an organisation sent the user.
    pub required: Option<String>,
}

/// Starts enrolment: a new secret, pending until confirmed with a code.
pub async fn totp_start(State(state): State<AppState>, a: Auth, Form(f): Form<TotpForm>) -> WebResult {
    state.app.start_totp(&a.actor).await?;
    Ok(see_other(&account_url(None, f.required.as_deref())))
}

pub async fn totp_cancel(State(state): State<AppState>, a: Auth, Form(_): Form<TotpForm>) -> WebResult {
    state.app.cancel_totp(&a.actor).await?;
    Ok(see_other(&account_url(Some("totp_cancelled"), None)))
}

/// `/account` with a notice and the organisation that asked, at the section.
fn account_url(done: Option<&str>, required: Option<&str>) -> String {
    let mut q: Vec<(&str, &str)> = Vec::new();
    if let Some(d) = done {
        q.push(("done", d));
    }
    if let Some(r) = required.filter(|r| !r.is_empty()) {
        q.push(("required", r));
    }
    let q = serde_urlencoded::to_string(&q).unwrap_or_default();
    if q.is_empty() { "/account#second-factor".into() } else { format!("/account?{q}#second-factor") }
}

/// Renders the account page after a second-factor form: the new recovery
/// codes (200, shown this once), or the form's errors (422).
async fn totp_outcome(
    state: &AppState,
    a: &Auth,
    parts: &Parts,
    form: &'static str,
    required: Option<&str>,
    r: Result<Vec<String>, AppError>,
) -> WebResult {
    let token = current(parts);
    match r {
        Ok(codes) => {
            let shown = Shown { codes: Some(codes), required, ..Default::default() };
            Ok(html(page(state, a, &token, &shown).await?))
        }
        Err(AppError::Invalid(errs)) => {
            let shown = Shown { totp_form: Some(form), totp_errs: errs, required, ..Default::default() };
            Ok(html_status(StatusCode::UNPROCESSABLE_ENTITY, page(state, a, &token, &shown).await?))
        }
        Err(AppError::RateLimited) => {
            let mut errs = FieldErrors::default();
            errs.add("code", "error.rate_limited");
            let shown = Shown { totp_form: Some(form), totp_errs: errs, required, ..Default::default() };
            Ok(html_status(StatusCode::TOO_MANY_REQUESTS, page(state, a, &token, &shown).await?))
        }
        Err(e) => Err(e.into()),
    }
}

/// Confirms enrolment with a current code; shows the recovery codes once.
pub async fn totp_confirm(State(state): State<AppState>, a: Auth, parts: Parts, Form(f): Form<TotpForm>) -> WebResult {
    let client = client_of(&state, &parts);
    let r = state.app.confirm_totp(&a.actor, f.code.as_deref().unwrap_or(""), &client).await;
    totp_outcome(&state, &a, &parts, "confirm", f.required.as_deref(), r).await
}

/// New recovery codes (after a current code); the old ones stop working.
pub async fn totp_renew(State(state): State<AppState>, a: Auth, parts: Parts, Form(f): Form<TotpForm>) -> WebResult {
    let client = client_of(&state, &parts);
    let r = state.app.renew_recovery_codes(&a.actor, f.code.as_deref().unwrap_or(""), &client).await;
    totp_outcome(&state, &a, &parts, "renew", None, r).await
}

/// Turns the second factor off (password and a code or recovery code).
pub async fn totp_disable(State(state): State<AppState>, a: Auth, parts: Parts, Form(f): Form<TotpForm>) -> WebResult {
    let client = client_of(&state, &parts);
    let r = state
        .app
        .disable_totp(&a.actor, f.password.as_deref().unwrap_or(""), f.code.as_deref().unwrap_or(""), &client)
        .await;
    match r {
        Ok(()) => Ok(see_other(&account_url(Some("totp_off"), None))),
        Err(e) => totp_outcome(&state, &a, &parts, "disable", None, Err(e)).await,
    }
}
