//! 8.2: risk assessment runs. The list with the next due date and the form to
//! take a run, one run's frozen register with its approval, and the
//! comparison of two runs.

use super::{Done, html, html_status, see_other};
use crate::ctx::{Form, OrgPage, Query, client_of};
use crate::error::{WebError, WebResult};
use crate::layout::{self, csrf, notice, select, text_field, textarea};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use borgen_app::AppError;
use borgen_app::totp::StepUp;
use borgen_core::i18n::{t, tf, tn};
use borgen_core::risk::{Methodology, MethodologyVersion};
use borgen_core::role::Permission;
use borgen_core::run::{RunForm, RunReason, RunRisk};
use borgen_core::{FieldErrors, Lang};
use maud::{Markup, html};

use crate::ctx::version_number as number;

fn reason_options(l: Lang) -> Vec<(String, String)> {
    RunReason::ALL.iter().map(|r| (r.code().to_string(), t(l, r.label_key()).to_string())).collect()
}

/// The name of a frozen risk's level under the methodology version it was scored with.
fn level_name(l: Lang, versions: &[MethodologyVersion], r: &RunRisk, v: Option<u8>) -> String {
    let m: Option<&Methodology> = versions.iter().find(|x| x.version == r.methodology_version).map(|x| &x.methodology);
    v.and_then(|v| m.and_then(|m| m.level(v)).map(|x| x.name.get(l).to_string())).unwrap_or_else(|| "—".into())
}

async fn list_page(state: &AppState, o: &OrgPage, f: &RunForm, errs: &FieldErrors, done: Option<&str>) -> WebResult {
    let l = o.lang();
    let runs = state.app.runs(&o.ctx).await?;
    let due = state.app.next_run_due(&o.ctx).await?;
    let today = o.ctx.today();
    let base = format!("{}/risks/runs", o.base());
    let status = if errs.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok(super::html_status(
        status,
        layout::org(
            o,
            "runs",
            t(l, "run.title"),
            html! {
                p.crumbs { a href={(o.base()) "/risks"} { (t(l, "risk.title")) } }
                h1 { (t(l, "run.title")) }
                p.muted { (t(l, "run.intro")) }
                (notice(l, done))
                @match &due {
                    Some(d) if *d < today => { p.notice.warn role="status" { (tf(l, "run.overdue", &[("date", d)])) } }
                    Some(d) => { p.notice { (tf(l, "run.due", &[("date", d)])) } }
                    None => { p.notice { (t(l, "run.none_yet")) } }
                }
                @if !runs.is_empty() {
                    table.register {
                        thead { tr {
                            th scope="col" { "#" } th scope="col" { (t(l, "field.title")) } th scope="col" { (t(l, "run.reason")) }
                            th scope="col" { (t(l, "run.taken")) } th scope="col" { (t(l, "risk.methodology")) } th scope="col" { (t(l, "run.approval")) }
                        } }
                        tbody {
                            @for r in &runs {
                                tr {
                                    td { (r.number) }
                                    td { a href={(base) "/" (r.number)} { (r.title) } }
                                    td { (r.reason().map(|x| t(l, x.label_key())).unwrap_or("")) }
                                    td { (layout::when(&o.ctx.org.time_zone, &r.taken_at)) " — " (layout::actor(l, &r.taken_by_label, false)) }
                                    td { (tf(l, "risk.version_n", &[("v", &r.methodology_version.to_string())])) }
                                    td { @if let Some(by) = &r.approved_by_label { span.ok { (layout::approver(l, by)) } } @else { span.muted { (t(l, "run.not_approved")) } } }
                                }
                            }
                        }
                    }
                    @if runs.len() >= 2 {
                        form.filters method="get" action={(base) "/compare"} {
                            @let opts: Vec<(String, String)> = runs.iter().map(|r| (r.number.to_string(), format!("{} {}", r.number, r.title))).collect();
                            (select(l, &FieldErrors::default(), "from", t(l, "run.from"), &opts, Some(&runs[1].number.to_string()), true))
                            (select(l, &FieldErrors::default(), "to", t(l, "run.to"), &opts, Some(&runs[0].number.to_string()), true))
                            button type="submit" { (t(l, "run.compare")) }
                        }
                    }
                }
                @if o.ctx.can(Permission::ManageIsms) {
                    section.card #new-run {
                        h2 { (t(l, "run.new")) }
                        p.muted { (t(l, "run.new_intro")) }
                        (layout::error_summary(l, errs))
                        form method="post" action=(base) novalidate {
                            (csrf(&o.page))
                            (text_field(l, errs, "title", t(l, "field.title"), f.title.as_deref(), true, "text"))
                            (select(l, errs, "reason", t(l, "run.reason"), &reason_options(l), f.reason.as_deref().or(Some("planned")), true))
                            (textarea(l, errs, "change_reason", t(l, "run.change_reason"), f.change_reason.as_deref(), Some(t(l, "run.change_reason_hint"))))
                            (textarea(l, errs, "scope", t(l, "run.scope"), f.scope.as_deref(), None))
                            (textarea(l, errs, "participants", t(l, "run.participants"), f.participants.as_deref(), None))
                            button.primary type="submit" { (t(l, "run.take")) }
                        }
                    }
                }
            },
        ),
    ))
}

pub async fn list(State(state): State<AppState>, o: OrgPage, Query(done): Query<Done>) -> WebResult {
    list_page(&state, &o, &RunForm::default(), &FieldErrors::default(), done.done.as_deref()).await
}

pub async fn take(State(state): State<AppState>, o: OrgPage, Form(f): Form<RunForm>) -> WebResult {
    match state.app.take_run(&o.ctx, &f).await {
        Ok(n) => Ok(see_other(&format!("{}/risks/runs/{n}?done=created", o.base()))),
        Err(AppError::Invalid(errs)) => list_page(&state, &o, &f, &errs, None).await,
        Err(e) => Err(e.into()),
    }
}

fn risk_rows(l: Lang, risks: &[RunRisk], m: &[MethodologyVersion]) -> Markup {
    html! {
        table.register {
            thead { tr {
                th scope="col" { (t(l, "risk.ref")) } th scope="col" { (t(l, "field.title")) } th scope="col" { (t(l, "risk.owner")) }
                th scope="col" { (t(l, "risk.inherent")) } th scope="col" { (t(l, "risk.treatment")) } th scope="col" { (t(l, "risk.residual")) }
                th scope="col" { (t(l, "risk.acceptance")) }
                th scope="col" { (t(l, "method.from_version")) }
            } }
            tbody {
                @for r in risks {
                    tr {
                        td.mono { (r.reference) } td { (r.title) } td { (r.owner.as_deref().unwrap_or("—")) }
                        td { (level_name(l, m, r, r.inherent_level)) }
                        td { (r.treatment.map(|x| t(l, x.label_key())).unwrap_or("—")) }
                        td { (level_name(l, m, r, r.residual_level)) }
                        td { @if r.accepted { span.ok { (t(l, "risk.accepted_short")) } } @else { "—" } }
                        // Each risk's own methodology version: a run may hold risks scored under an earlier one.
                        td { (r.methodology_version) }
                    }
                }
            }
        }
    }
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct CommentForm {
    pub comment: Option<String>,
    /// The second-factor code of an approver who has one.
    pub code: Option<String>,
}

pub async fn show(
    State(state): State<AppState>,
    o: OrgPage,
    Path((_, n)): Path<(String, String)>,
    Query(done): Query<Done>,
) -> WebResult {
    Ok(html(run_page(&state, &o, number(&n)?, done.done.as_deref(), &FieldErrors::default()).await?))
}

/// A run's page; `errs` are those of the approval form.
async fn run_page(
    state: &AppState,
    o: &OrgPage,
    n: i64,
    done: Option<&str>,
    errs: &FieldErrors,
) -> WebResult<maud::Markup> {
    let l = o.lang();
    let run = state.app.run(&o.ctx, n).await?;
    let risks = run.risks()?;
    let m = state.app.methodology_versions(&o.ctx).await?;
    let base = format!("{}/risks/runs", o.base());
    Ok(layout::org(
        o,
        "runs",
        &run.title,
        html! {
            p.crumbs { a href=(base) { (t(l, "run.title")) } }
            h1 { (tf(l, "run.heading", &[("n", &run.number.to_string())])) ": " (run.title) }
            (notice(l, done))
            @let earlier = risks.iter().filter(|r| r.methodology_version != run.methodology_version).count();
            @if earlier > 0 {
                p.notice.warn role="status" { (tn(l, "run.earlier_version", earlier, &[("v", &run.methodology_version.to_string())])) }
            }
            dl.details {
                dt { (t(l, "run.reason")) } dd { (run.reason().map(|x| t(l, x.label_key())).unwrap_or("")) }
                @if let Some(c) = &run.change_reason { dt { (t(l, "run.change_reason")) } dd.pre { (c) } }
                dt { (t(l, "run.taken")) } dd { (layout::when(&o.ctx.org.time_zone, &run.taken_at)) " — " (layout::actor(l, &run.taken_by_label, false)) }
                dt { (t(l, "risk.methodology")) } dd { a href={(o.base()) "/risks/methodology?version=" (run.methodology_version)} { (tf(l, "risk.version_n", &[("v", &run.methodology_version.to_string())])) } }
                dt { (t(l, "run.scope")) } dd.pre { (run.scope.as_deref().unwrap_or("—")) }
                dt { (t(l, "run.participants")) } dd.pre { (run.participants.as_deref().unwrap_or("—")) }
                dt { (t(l, "run.approval")) } dd {
                    @if let Some(by) = &run.approved_by_label {
                        span.ok { (layout::approver(l, by)) } " — " (run.approved_at.as_deref().map(|at| layout::when(&o.ctx.org.time_zone, at)).unwrap_or_default())
                        @if let Some(c) = &run.approval_comment { blockquote { (c) } }
                    } @else { (t(l, "run.not_approved")) }
                }
                dt { (t(l, "run.count")) } dd { (risks.len()) }
            }
            @if run.approved_at.is_none() && o.ctx.can(Permission::Approve) {
                div.card #approval {
                    (layout::approval_form(o, errs, &format!("{base}/{}/approve", run.number), t(l, "run.approve_comment"), t(l, "run.approve")))
                }
            }
            p.muted { (t(l, "run.frozen")) }
            (risk_rows(l, &risks, &m))
        },
    ))
}

pub async fn approve(
    State(state): State<AppState>,
    o: OrgPage,
    parts: Parts,
    Path((_, n)): Path<(String, String)>,
    Form(f): Form<CommentForm>,
) -> WebResult {
    let n = number(&n)?;
    let step = StepUp::new(f.code.as_deref(), client_of(&state, &parts));
    match state.app.approve_version(&o.ctx, &borgen_core::version::RISK_RUNS, n, f.comment.as_deref(), &step).await {
        Ok(()) => Ok(see_other(&format!("{}/risks/runs/{n}?done=saved", o.base()))),
        Err(AppError::Invalid(errs)) => {
            Ok(html_status(StatusCode::UNPROCESSABLE_ENTITY, run_page(&state, &o, n, None, &errs).await?))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct CompareParams {
    pub from: Option<String>,
    pub to: Option<String>,
}

pub async fn compare(State(state): State<AppState>, o: OrgPage, Query(p): Query<CompareParams>) -> WebResult {
    let l = o.lang();
    let bad = || WebError::Status(StatusCode::BAD_REQUEST, "error.bad_filter");
    let from = p.from.as_deref().and_then(|s| s.parse::<i64>().ok()).ok_or_else(bad)?;
    let to = p.to.as_deref().and_then(|s| s.parse::<i64>().ok()).ok_or_else(bad)?;
    let d = state.app.compare_runs(&o.ctx, from, to).await?;
    let run_to = state.app.run(&o.ctx, to).await?;
    let m = state.app.methodology_versions(&o.ctx).await?;
    let base = format!("{}/risks/runs", o.base());
    let pair_rows = |pairs: &[(RunRisk, RunRisk)], scores: bool| {
        html! {
            table.register {
                tbody {
                    @for (a, b) in pairs {
                        tr {
                            td { (b.reference) } td { (b.title) }
                            @if scores {
                                td { (level_name(l, &m, a, a.inherent_level)) " → " strong { (level_name(l, &m, b, b.inherent_level)) } }
                                td { (level_name(l, &m, a, a.residual_level)) " → " strong { (level_name(l, &m, b, b.residual_level)) } }
                            } @else {
                                td { (a.treatment.map(|x| t(l, x.label_key())).unwrap_or("—")) " → " strong { (b.treatment.map(|x| t(l, x.label_key())).unwrap_or("—")) } }
                                td { (b.treatment_rationale.as_deref().unwrap_or("")) }
                            }
                        }
                    }
                }
            }
        }
    };
    Ok(html(layout::org(
        &o,
        "runs",
        t(l, "run.compare"),
        html! {
            p.crumbs { a href=(base) { (t(l, "run.title")) } }
            h1 { (tf(l, "run.compare_heading", &[("from", &from.to_string()), ("to", &to.to_string())])) }
            @if let Some(c) = &run_to.change_reason { p { strong { (t(l, "run.change_reason")) ": " } (c) } }
            h2 { (t(l, "run.added")) " (" (d.added.len()) ")" }
            @if !d.added.is_empty() { (risk_rows(l, &d.added, &m)) }
            h2 { (t(l, "run.removed")) " (" (d.removed.len()) ")" }
            @if !d.removed.is_empty() { (risk_rows(l, &d.removed, &m)) }
            h2 { (t(l, "run.rescored")) " (" (d.rescored.len()) ")" }
            @if !d.rescored.is_empty() { (pair_rows(&d.rescored, true)) }
            h2 { (t(l, "run.retreated")) " (" (d.retreated.len()) ")" }
            @if !d.retreated.is_empty() { (pair_rows(&d.retreated, false)) }
        },
    )))
}
