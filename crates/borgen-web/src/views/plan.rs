//! Versions of the risk treatment plan as a whole (6.1.3 e–f): the list with
//! the issue form (or what stands in the way), one version with its frozen
//! risks, controls and tasks, the risk owners' sign-offs and the approval.

use super::risks::level_badge;
use super::{Done, html, html_status, see_other};
use crate::ctx::{Form, OrgPage, Query, client_of};
use crate::error::{WebResult, problem_text};
use crate::layout::{self, csrf, notice, textarea};
use crate::state::AppState;
use crate::views::soa::NoteForm;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use borgen_app::AppError;
use borgen_app::totp::StepUp;
use borgen_app::treatment::PlanVersion;
use borgen_core::FieldErrors;
use borgen_core::i18n::{Lang, t, tf, tn};
use borgen_core::risk::Methodology;
use borgen_core::role::Permission;
use borgen_core::treatment::{Plan, gaps};
use borgen_core::version::TREATMENT_PLANS;
use maud::{Markup, html};

use crate::ctx::version_number as number;

/// Approved by whom, or how many risk owners have signed.
fn state_of(l: Lang, zone: &str, v: &PlanVersion) -> Markup {
    let signers = v.plan.signers().len();
    let waiting = v.waiting().len();
    html! {
        @match &v.version.approved_at {
            Some(at) => { span.ok { "✓ " (tf(l, "soa.approved_by", &[("who", &layout::approver(l, v.version.approved_by_label.as_deref().unwrap_or(""))), ("when", &layout::when(zone, at))])) } }
            None if waiting > 0 => {
                span.warn { (tf(l, "plan.signed_count", &[("signed", &(signers - waiting).to_string()), ("of", &signers.to_string())])) }
            }
            None => { span.warn { (t(l, "plan.awaiting_approval")) } }
        }
    }
}

pub async fn versions(State(state): State<AppState>, o: OrgPage, Query(done): Query<Done>) -> WebResult {
    let l = o.lang();
    let list = state.app.treatment_plan_versions(&o.ctx).await?;
    let current = state.app.treatment_plan(&o.ctx).await?;
    let open = gaps(&current);
    let base = format!("{}/risks/treatment", o.base());
    Ok(html(layout::org(
        &o,
        "treatment",
        t(l, "plan.versions"),
        html! {
            p.crumbs { a href={(o.base()) "/risks"} { (t(l, "risk.title")) } " · " a href=(base) { (t(l, "task.plan_all")) } }
            h1 { (t(l, "plan.versions")) }
            p.muted { (t(l, "plan.versions_intro")) }
            (notice(l, done.done.as_deref()))
            @if o.ctx.can(Permission::ManageIsms) {
                @if !open.is_empty() {
                    section.card.gaps #gaps {
                        h2 { (tn(l, "plan.gaps", open.len(), &[])) }
                        ul { @for g in &open { li { (problem_text(l, g)) } } }
                    }
                } @else {
                    form.card method="post" action={(base) "/versions"} {
                        (csrf(&o.page))
                        p { (tn(l, "plan.will_freeze", current.risks.len(), &[])) }
                        @if !current.undecided.is_empty() {
                            p.small.muted { (tn(l, "plan.undecided", current.undecided.len(), &[])) }
                        }
                        (textarea(l, &FieldErrors::default(), "note", t(l, "soa.version_note"), None, Some(t(l, "soa.version_note_hint"))))
                        button.primary type="submit" { (t(l, "plan.issue")) }
                    }
                }
            }
            @if list.is_empty() {
                p.empty { (t(l, "plan.no_versions")) }
            } @else {
                @let rows: Vec<_> = list.iter().map(|v| (&v.version, vec![html! { (v.plan.risks.len()) }], state_of(l, &o.ctx.org.time_zone, v))).collect();
                (layout::versions_table(&o, &base, &[t(l, "plan.risks")], &rows))
            }
        },
    )))
}

pub async fn issue(State(state): State<AppState>, o: OrgPage, Form(f): Form<NoteForm>) -> WebResult {
    let n = state.app.issue_treatment_plan(&o.ctx, f.note.as_deref()).await?;
    Ok(see_other(&format!("{}/risks/treatment/versions/{n}?done=created", o.base())))
}

pub async fn version(
    State(state): State<AppState>,
    o: OrgPage,
    Path((_, n)): Path<(String, String)>,
    Query(done): Query<Done>,
) -> WebResult {
    let none = FieldErrors::default();
    Ok(html(version_page(&state, &o, number(&n)?, done.done.as_deref(), &none, &none).await?))
}

/// The frozen plan: per risk its owner, treatment, levels, controls and tasks.
fn plan_table(l: Lang, o: &OrgPage, m: Option<&Methodology>, plan: &Plan) -> Markup {
    html! {
        div.scroll { table.register.plan {
            thead { tr {
                th scope="col" { (t(l, "plan.risk")) }
                th scope="col" { (t(l, "field.owner")) }
                th scope="col" { (t(l, "risk.treatment_option")) }
                th scope="col" { (t(l, "risk.inherent")) }
                th scope="col" { (t(l, "risk.residual")) }
                th scope="col" { (t(l, "plan.controls")) }
                th scope="col" { (t(l, "plan.actions")) }
            } }
            tbody {
                @for r in &plan.risks {
                    tr {
                        td { a href={(o.base()) "/risks/" (r.id)} { strong { (r.reference) } } " " (r.title)
                            @if let Some(why) = &r.treatment_rationale { p.small.muted { (why) } } }
                        td { (r.owner.clone().unwrap_or_else(|| "—".into())) }
                        td { (t(l, r.treatment.label_key())) }
                        td { (level_badge(l, m, r.inherent_level)) }
                        td { (level_badge(l, m, r.residual_level)) }
                        td.small {
                            (r.control_ids.join(", "))
                            @if !r.applied_controls.is_empty() {
                                @if !r.control_ids.is_empty() { br; }
                                (r.applied_controls.join("; "))
                            }
                        }
                        td.small {
                            @if r.tasks.is_empty() { span.muted { "—" } }
                            ul.plain { @for tk in &r.tasks {
                                li { (tk.title) span.muted {
                                    @if let Some(o) = &tk.owner { " · " (o) }
                                    @if let Some(d) = &tk.due_date { " · " (d) }
                                    " · " (t(l, tk.status.label_key()))
                                } }
                            } }
                        }
                    }
                }
            }
        } }
    }
}

/// A version's page; `sign_errs` and `approve_errs` are those of its forms.
async fn version_page(
    state: &AppState,
    o: &OrgPage,
    n: i64,
    done: Option<&str>,
    sign_errs: &FieldErrors,
    approve_errs: &FieldErrors,
) -> WebResult<Markup> {
    let l = o.lang();
    let v = state.app.treatment_plan_version(&o.ctx, n).await?;
    let m = state.app.methodology(&o.ctx).await.ok().map(|m| m.methodology);
    let base = format!("{}/risks/treatment", o.base());
    let waiting = v.waiting();
    let me = o.ctx.actor.user_id().map(|u| u.to_string());
    // A newer version approved already: this one is superseded, no forms.
    let newest = state
        .app
        .treatment_plan_versions(&o.ctx)
        .await?
        .iter()
        .filter(|x| x.version.approved_at.is_some())
        .map(|x| x.version.number)
        .max();
    let superseded = newest.is_some_and(|newest| newest > n);
    let open = v.version.approved_at.is_none() && !superseded;
    let my_turn = open && o.ctx.roles.may_own_risks() && waiting.iter().any(|s| Some(&s.user_id) == me.as_ref());
    let action = |what: &str| format!("{base}/versions/{}/{what}", v.version.number);
    Ok(layout::org(
        o,
        "treatment",
        &format!("{} {}", t(l, "plan.version"), v.version.number),
        html! {
            p.crumbs { a href=(base) { (t(l, "task.plan_all")) } " · " a href={(base) "/versions"} { (t(l, "plan.versions")) } }
            h1 { (t(l, "plan.version")) " " (v.version.number) }
            (notice(l, done))
            div.card #approval {
                p { (t(l, "soa.issued")) ": " (layout::when(&o.ctx.org.time_zone, &v.version.issued_at)) " · " (layout::actor(l, &v.version.issued_by_label, v.version.issued_by.is_some())) }
                p { (state_of(l, &o.ctx.org.time_zone, &v)) }
                @if let Some(c) = &v.version.approval_comment { p { (t(l, "plan.approval_comment")) ": " (c) } }
                @if let Some(n) = &v.version.note { p { (t(l, "soa.version_note")) ": " (n) } }
                p.small.muted { (t(l, "plan.frozen")) }
                h2 { (t(l, "plan.signoffs")) }
                ul.plain #signoffs {
                    @for s in &v.signoffs {
                        li { "✓ " (tf(l, "plan.signed_by", &[("who", &s.user_label), ("when", &layout::when(&o.ctx.org.time_zone, &s.signed_at))]))
                            @if let Some(c) = &s.comment { " — " (c) } }
                    }
                    @for s in &waiting { li.warn { (tf(l, "plan.waiting_for", &[("who", &s.name)])) } }
                }
                @if my_turn {
                    h3 { (t(l, "plan.sign_heading")) }
                    p.small { (t(l, "plan.sign_intro")) }
                    (layout::approval_form(o, sign_errs, &action("sign"), t(l, "plan.signoff_comment"), t(l, "plan.sign")))
                }
                @if superseded && v.version.approved_at.is_none() { p.muted { (t(l, "error.version_superseded")) } }
                @if open && o.ctx.can(Permission::Approve) {
                    @if waiting.is_empty() {
                        h3 { (t(l, "plan.approve_heading")) }
                        (layout::approval_form(o, approve_errs, &action("approve"), t(l, "plan.approval_comment"), t(l, "plan.approve")))
                    } @else {
                        p.muted { (t(l, "plan.approve_after_signoffs")) }
                    }
                }
            }
            (plan_table(l, o, m.as_ref(), &v.plan))
            @if !v.plan.undecided.is_empty() {
                section.card {
                    h2 { (tn(l, "plan.undecided", v.plan.undecided.len(), &[])) }
                    ul { @for r in &v.plan.undecided { li { (r) } } }
                }
            }
        },
    ))
}

async fn act(state: AppState, o: OrgPage, parts: Parts, n: String, f: NoteForm, approve: bool) -> WebResult {
    let n = number(&n)?;
    let step = StepUp::new(f.code.as_deref(), client_of(&state, &parts));
    let v = &TREATMENT_PLANS;
    let result = if approve {
        state.app.approve_version(&o.ctx, v, n, f.comment.as_deref(), &step).await
    } else {
        state.app.sign_off_version(&o.ctx, v, n, f.comment.as_deref(), &step).await
    };
    match result {
        Ok(()) => Ok(see_other(&format!("{}/risks/treatment/versions/{n}?done=saved", o.base()))),
        Err(AppError::Invalid(errs)) => {
            let none = FieldErrors::default();
            let (s, a) = if approve { (&none, &errs) } else { (&errs, &none) };
            Ok(html_status(StatusCode::UNPROCESSABLE_ENTITY, version_page(&state, &o, n, None, s, a).await?))
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn sign(
    State(state): State<AppState>,
    o: OrgPage,
    parts: Parts,
    Path((_, n)): Path<(String, String)>,
    Form(f): Form<NoteForm>,
) -> WebResult {
    act(state, o, parts, n, f, false).await
}

pub async fn approve(
    State(state): State<AppState>,
    o: OrgPage,
    parts: Parts,
    Path((_, n)): Path<(String, String)>,
    Form(f): Form<NoteForm>,
) -> WebResult {
    act(state, o, parts, n, f, true).await
}
