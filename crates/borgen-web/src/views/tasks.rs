//! Tasks: "my tasks" for every member (overdue first), the organisation-wide
//! risk treatment plan, and one task's page with its update form.

use super::owner_options;
use super::risks::{task_status_options, task_table};
use super::trail::history_section;
use super::{Done, html, html_status, see_other};
use crate::ctx::{Form, OrgPage, Query};
use crate::error::{WebError, WebResult};
use crate::layout::{self, csrf, notice, select, text_field, textarea};
use crate::state::AppState;
use crate::tables::owner_name;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use borgen_app::AppError;
use borgen_core::FieldErrors;
use borgen_core::i18n::{t, tf, tn};
use borgen_core::ids::TaskId;
use borgen_core::role::Permission;
use borgen_core::task::{Task, TaskForm};
use borgen_store::risk::TaskFilter;
use maud::html;

pub async fn mine(State(state): State<AppState>, o: OrgPage) -> WebResult {
    let l = o.lang();
    let tasks = state.app.my_tasks(&o.ctx).await?;
    let docs = state.app.my_document_tasks(&o.ctx).await?;
    let members = if o.ctx.can(Permission::ReadRegisters) {
        state.app.members(&o.ctx.actor, &o.ctx.org.slug).await?
    } else {
        Vec::new()
    };
    let today = o.ctx.today();
    let overdue = tasks.iter().filter(|t| t.overdue(&today)).count();
    let mut sorted: Vec<Task> = tasks.clone();
    sorted.sort_by_key(|t| !t.overdue(&today));
    Ok(html(layout::org(
        &o,
        "my_tasks",
        t(l, "task.mine"),
        html! {
            h1 { (t(l, "task.mine")) }
            @if overdue > 0 { p.notice.warn role="status" { (tn(l, "task.overdue_count", overdue, &[])) } }
            (task_table(&o, &sorted, &members, &today, true))
            (document_tasks(&o, &docs))
        },
    )))
}

/// The member's documents past their review date and the versions waiting
/// for their review or approval.
fn document_tasks(o: &OrgPage, d: &borgen_app::queue::DocTasks) -> maud::Markup {
    let l = o.lang();
    let docs = format!("{}/{}", o.base(), borgen_core::registers::DOCUMENTS.path);
    html! {
        @if !(d.overdue.is_empty() && d.reviews.is_empty() && d.approvals.is_empty()) {
            section #document-tasks {
                h2 { (t(l, "task.documents")) }
                ul {
                    @for x in &d.overdue {
                        li { a href={(docs) "/" (x.id)} { (tf(l, "task.doc_review_due", &[("code", &x.code), ("title", &x.title), ("date", &x.next_review)])) } " " span.badge.warn { (t(l, "list.overdue")) } }
                    }
                    @for (href, line) in super::home::doc_waiting(l, &d.reviews, &d.approvals) {
                        li { a href={(o.base()) (href)} { (line) } }
                    }
                }
            }
        }
    }
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct PlanParams {
    pub open: Option<String>,
}

pub async fn plan(State(state): State<AppState>, o: OrgPage, Query(p): Query<PlanParams>) -> WebResult {
    let l = o.lang();
    let open_only = p.open.as_deref() != Some("0");
    let tasks = state.app.list_tasks(&o.ctx, &TaskFilter { open_only, ..Default::default() }).await?;
    let members = state.app.members(&o.ctx.actor, &o.ctx.org.slug).await?;
    let today = o.ctx.today();
    let base = format!("{}/risks/treatment", o.base());
    Ok(html(layout::org(
        &o,
        "treatment",
        t(l, "task.plan_all"),
        html! {
            p.crumbs { a href={(o.base()) "/risks"} { (t(l, "risk.title")) } }
            h1 { (t(l, "task.plan_all")) }
            p.muted { (t(l, "task.plan_intro")) }
            p { a href={(base) "/versions"} { (t(l, "plan.link")) } }
            p {
                @if open_only { a href={(base) "?open=0"} { (t(l, "task.show_all")) } }
                @else { a href=(base) { (t(l, "task.show_open")) } }
            }
            (task_table(&o, &tasks, &members, &today, true))
        },
    )))
}

fn parse_id(id: &str) -> Result<TaskId, WebError> {
    TaskId::parse(id).ok_or(WebError::App(AppError::NotFound))
}

fn to_form(t: &Task) -> TaskForm {
    TaskForm {
        title: Some(t.data.title.clone()),
        description: t.data.description.clone(),
        owner_id: t.data.owner_id.map(|u| u.to_string()),
        due_date: t.data.due_date.clone(),
        status: Some(t.data.status.code().into()),
        progress: Some(t.data.progress.to_string()),
        applied_control_id: t.data.applied_control_id.clone(),
        closing_note: t.data.closing_note.clone(),
    }
}

async fn page(
    state: &AppState,
    o: &OrgPage,
    task: &Task,
    f: &TaskForm,
    errs: &FieldErrors,
    done: Option<&str>,
) -> WebResult {
    let l = o.lang();
    let members = state.app.members(&o.ctx.actor, &o.ctx.org.slug).await.unwrap_or_default();
    let history = if o.ctx.can(Permission::ReadRegisters) {
        state.app.history(&o.ctx, &task.id.as_text()).await?
    } else {
        Vec::new()
    };
    let applied = if o.ctx.can(Permission::ReadRegisters) { state.app.applied_refs(&o.ctx).await? } else { Vec::new() };
    let applied_opts: Vec<(String, String)> =
        applied.iter().filter(|a| !a.archived).map(|a| (a.id.to_string(), a.name.clone())).collect();
    let manager = o.ctx.can(Permission::ManageIsms);
    let mine = task.data.owner_id.is_some() && task.data.owner_id == o.ctx.actor.user_id();
    let can_edit = manager || (mine && o.ctx.can(Permission::EditOwn));
    let status = if errs.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok(html_status(
        status,
        layout::org(
            o,
            "my_tasks",
            &task.data.title,
            html! {
                p.crumbs { a href={(o.base()) "/tasks"} { (t(l, "task.mine")) } }
                h1 { (task.data.title) }
                (notice(l, done))
                dl.details {
                    dt { (t(l, "task.subject")) } dd {
                        @if task.subject_label.is_empty() { (t(l, task.subject.label_key())) }
                        @else { a href={(o.base()) "/risks/" (task.subject_id)} { (task.subject_label) } }
                    }
                    dt { (t(l, "field.owner")) } dd { (Some(owner_name(&members, task.data.owner_id)).filter(|s| !s.is_empty()).unwrap_or_else(|| "—".into())) }
                    dt { (t(l, "task.due_date")) } dd { (task.data.due_date.as_deref().unwrap_or("—")) }
                    dt { (t(l, "task.status")) } dd { (t(l, task.data.status.label_key())) " · " (task.data.progress) "%" }
                    @if let Some(n) = &task.data.closing_note { dt { (t(l, "task.closing_note")) } dd.pre { (n) } }
                }
                @if can_edit {
                    (layout::error_summary(l, errs))
                    form.card method="post" action={(o.base()) "/tasks/" (task.id)} novalidate {
                        (csrf(&o.page))
                        (text_field(l, errs, "title", t(l, "field.title"), f.title.as_deref(), true, "text"))
                        (textarea(l, errs, "description", t(l, "field.description"), f.description.as_deref(), None))
                        div.row {
                            @if manager {
                                (select(l, errs, "owner_id", t(l, "field.owner"), &owner_options(&members), f.owner_id.as_deref(), false))
                            } @else {
                                input type="hidden" name="owner_id" value=(f.owner_id.clone().unwrap_or_default());
                            }
                            (text_field(l, errs, "due_date", t(l, "task.due_date"), f.due_date.as_deref(), false, "date"))
                            (select(l, errs, "status", t(l, "task.status"), &task_status_options(l), f.status.as_deref(), true))
                            (text_field(l, errs, "progress", t(l, "task.progress"), f.progress.as_deref(), false, "number"))
                        }
                        (select(l, errs, "applied_control_id", t(l, "task.applied_control"), &applied_opts, f.applied_control_id.as_deref(), false))
                        (textarea(l, errs, "closing_note", t(l, "task.closing_note"), f.closing_note.as_deref(), Some(t(l, "task.closing_note_hint"))))
                        div.actions { button.primary type="submit" { (t(l, "common.save")) } }
                    }
                }
                @if !history.is_empty() {
                    (history_section(l, &o.ctx.org.time_zone, &history, &crate::register::Names {
                        titles: applied.iter().map(|a| (a.id.to_string(), a.name.clone())).collect(),
                        ..crate::register::Names::of(&members)
                    }))
                }
            },
        ),
    ))
}

pub async fn show(
    State(state): State<AppState>,
    o: OrgPage,
    Path((_, id)): Path<(String, String)>,
    Query(done): Query<Done>,
) -> WebResult {
    let id = parse_id(&id)?;
    let task = state.app.get_task(&o.ctx, id).await?;
    page(&state, &o, &task, &to_form(&task), &FieldErrors::default(), done.done.as_deref()).await
}

pub async fn update(
    State(state): State<AppState>,
    o: OrgPage,
    Path((_, id)): Path<(String, String)>,
    Form(f): Form<TaskForm>,
) -> WebResult {
    let id = parse_id(&id)?;
    let task = state.app.get_task(&o.ctx, id).await?;
    let result = match f.parse() {
        Ok(input) => state.app.update_task(&o.ctx, id, input).await,
        Err(e) => Err(AppError::Invalid(e)),
    };
    match result {
        Ok(_) => Ok(see_other(&format!("{}/tasks/{id}?done=saved", o.base()))),
        Err(AppError::Invalid(errs)) => page(&state, &o, &task, &f, &errs, None).await,
        Err(e) => Err(e.into()),
    }
}
