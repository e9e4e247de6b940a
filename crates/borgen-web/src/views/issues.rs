//! 4.1 Context: the register of internal and external issues. This file is
//! the worked example of a register's pages: list (filter, sort, page), detail
//! with history, create/edit form with errors in place, archive/restore, export.

use super::trail::history_section;
use super::{Done, html, html_status, see_other};
use crate::ctx::{Form, OrgPage, Query};
use crate::error::{WebError, WebResult};
use crate::layout::{self, action_button, csrf, notice, select, text_field, textarea};
use crate::state::AppState;
use crate::tables::{self, EXPORT_MAX, IssueParams, owner_name};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use borgen_app::AppError;
use borgen_core::context::*;
use borgen_core::i18n::t;
use borgen_core::ids::ContextIssueId;
use borgen_core::role::Permission;
use borgen_core::{FieldErrors, Lang};
use borgen_store::orgs::Member;
use maud::{Markup, html};

fn options<T: Copy>(
    l: Lang,
    all: &[T],
    code: fn(T) -> &'static str,
    key: fn(T) -> &'static str,
) -> Vec<(String, String)> {
    all.iter().map(|v| (code(*v).to_string(), t(l, key(*v)).to_string())).collect()
}

pub fn kind_options(l: Lang) -> Vec<(String, String)> {
    options(l, IssueKind::ALL, IssueKind::code, IssueKind::label_key)
}
pub fn category_options(l: Lang) -> Vec<(String, String)> {
    options(l, IssueCategory::ALL, IssueCategory::code, IssueCategory::label_key)
}
pub fn owner_options(members: &[Member]) -> Vec<(String, String)> {
    members.iter().map(|m| (m.user_id.to_string(), format!("{} <{}>", m.name, m.email))).collect()
}

fn parse_id(id: &str) -> Result<ContextIssueId, WebError> {
    ContextIssueId::parse(id).ok_or(WebError::App(AppError::NotFound))
}

pub async fn list(
    State(state): State<AppState>,
    o: OrgPage,
    Query(p): Query<IssueParams>,
    Query(done): Query<Done>,
) -> WebResult {
    let l = o.lang();
    let q = p.query()?;
    let (issues, total) = state.app.list_issues(&o.ctx, &q).await?;
    let members = state.app.members(&o.ctx.actor, &o.ctx.org.slug).await?;
    let base = format!("{}/context/issues", o.base());
    let sort_link = |s: IssueSort, key: &str| {
        let arrow = if q.sort == s { if q.desc { " ↓" } else { " ↑" } } else { "" };
        html! { a href={(base) "?" (p.with_sort(s))} { (t(l, key)) (arrow) } }
    };
    let archived_opts = vec![
        ("active".to_string(), t(l, "list.active").to_string()),
        ("archived".to_string(), t(l, "list.archived").to_string()),
        ("all".to_string(), t(l, "list.all").to_string()),
    ];
    let none = FieldErrors::default();
    Ok(html(layout::org(
        &o,
        "issues",
        t(l, "issues.title"),
        html! {
            div.page-head {
                h1 { (t(l, "issues.title")) }
                @if o.ctx.can(Permission::ManageIsms) {
                    a.button.primary href={(base) "/new"} { (t(l, "issues.new")) }
                }
            }
            p.muted { (t(l, "issues.intro")) }
            (notice(l, done.done.as_deref()))
            form.filters method="get" action=(base) role="search" {
                (text_field(l, &none, "q", t(l, "list.search"), p.q.as_deref(), false, "search"))
                (select(l, &none, "kind", t(l, "field.kind"), &kind_options(l), p.kind.as_deref(), false))
                (select(l, &none, "category", t(l, "field.category"), &category_options(l), p.category.as_deref(), false))
                (select(l, &none, "archived", t(l, "list.show"), &archived_opts, Some(q.archived.code()), false))
                button type="submit" { (t(l, "list.filter")) }
            }
            @if issues.is_empty() {
                p.empty { (t(l, "issues.empty")) }
            } @else {
                table.register {
                    caption.sr-only { (t(l, "issues.title")) }
                    thead { tr {
                        th scope="col" { (sort_link(IssueSort::Title, "field.title")) }
                        th scope="col" { (sort_link(IssueSort::Kind, "field.kind")) }
                        th scope="col" { (sort_link(IssueSort::Category, "field.category")) }
                        th scope="col" { (t(l, "field.owner")) }
                        th scope="col" { (sort_link(IssueSort::LastReviewed, "field.last_reviewed")) }
                    } }
                    tbody {
                        @for i in &issues {
                            tr.archived[i.archived] {
                                td { a href={(base) "/" (i.id)} { (i.data.title) } @if i.archived { " " span.badge { (t(l, "list.archived_badge")) } } }
                                td { (t(l, i.data.kind.label_key())) }
                                td { span.tag.climate[i.data.category == IssueCategory::ClimateChange] { (t(l, i.data.category.label_key())) } }
                                td { (Some(owner_name(&members, i.data.owner_id)).filter(|s| !s.is_empty()).unwrap_or_else(|| "—".into())) }
                                td { (i.data.last_reviewed.as_deref().unwrap_or("—")) }
                            }
                        }
                    }
                }
            }
            (layout::pager(l, q.page, q.per_page, total, |n| format!("{base}?{}", p.with_page(n))))
            p.exports {
                (t(l, "list.export")) ": "
                a href={(base) "/export/csv?" (p.filters_only())} download { "CSV" } " · "
                a href={(base) "/export/xlsx?" (p.filters_only())} download { "XLSX" }
            }
        },
    )))
}

fn form_page(
    o: &OrgPage,
    members: &[Member],
    f: &ContextIssueForm,
    errs: &FieldErrors,
    id: Option<ContextIssueId>,
) -> Markup {
    let l = o.lang();
    let base = format!("{}/context/issues", o.base());
    let (title, action) = match id {
        Some(id) => (t(l, "issues.edit"), format!("{base}/{id}")),
        None => (t(l, "issues.new"), base.clone()),
    };
    layout::org(
        o,
        "issues",
        title,
        html! {
            h1 { (title) }
            (layout::error_summary(l, errs))
            form.card method="post" action=(action) novalidate {
                (csrf(&o.page))
                (text_field(l, errs, "title", t(l, "field.title"), f.title.as_deref(), true, "text"))
                div.row {
                    (select(l, errs, "kind", t(l, "field.kind"), &kind_options(l), f.kind.as_deref(), true))
                    (select(l, errs, "category", t(l, "field.category"), &category_options(l), f.category.as_deref(), true))
                }
                (textarea(l, errs, "description", t(l, "field.description"), f.description.as_deref(), None))
                (textarea(l, errs, "effect", t(l, "field.effect"), f.effect.as_deref(), Some(t(l, "issues.effect_hint"))))
                (text_field(l, errs, "source", t(l, "field.source"), f.source.as_deref(), false, "text"))
                div.row {
                    (select(l, errs, "owner_id", t(l, "field.owner"), &owner_options(members), f.owner_id.as_deref(), false))
                    (text_field(l, errs, "last_reviewed", t(l, "field.last_reviewed"), f.last_reviewed.as_deref(), false, "date"))
                }
                div.actions {
                    button.primary type="submit" { (t(l, "common.save")) }
                    a href=(match id { Some(id) => format!("{base}/{id}"), None => base.clone() }) { (t(l, "common.cancel")) }
                }
            }
        },
    )
}

fn to_form(i: &ContextIssue) -> ContextIssueForm {
    ContextIssueForm {
        title: Some(i.data.title.clone()),
        kind: Some(i.data.kind.code().into()),
        category: Some(i.data.category.code().into()),
        description: i.data.description.clone(),
        effect: i.data.effect.clone(),
        source: i.data.source.clone(),
        owner_id: i.data.owner_id.map(|u| u.to_string()),
        last_reviewed: i.data.last_reviewed.clone(),
    }
}

pub async fn new_form(State(state): State<AppState>, o: OrgPage) -> WebResult {
    o.ctx.require(Permission::ManageIsms)?;
    let members = state.app.members(&o.ctx.actor, &o.ctx.org.slug).await?;
    Ok(html(form_page(&o, &members, &ContextIssueForm::default(), &FieldErrors::default(), None)))
}

pub async fn create(State(state): State<AppState>, o: OrgPage, Form(f): Form<ContextIssueForm>) -> WebResult {
    o.ctx.require(Permission::ManageIsms)?;
    let result = match f.parse() {
        Ok(input) => state.app.create_issue(&o.ctx, input).await,
        Err(e) => Err(AppError::Invalid(e)),
    };
    match result {
        Ok(i) => Ok(see_other(&format!("{}/context/issues/{}?done=created", o.base(), i.id))),
        Err(AppError::Invalid(errs)) => {
            let members = state.app.members(&o.ctx.actor, &o.ctx.org.slug).await?;
            Ok(html_status(StatusCode::UNPROCESSABLE_ENTITY, form_page(&o, &members, &f, &errs, None)))
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn show(
    State(state): State<AppState>,
    o: OrgPage,
    Path((_, id)): Path<(String, String)>,
    Query(done): Query<Done>,
) -> WebResult {
    let l = o.lang();
    let id = parse_id(&id)?;
    let i = state.app.get_issue(&o.ctx, id).await?;
    let members = state.app.members(&o.ctx.actor, &o.ctx.org.slug).await?;
    let history = state.app.history(&o.ctx, &id.as_text()).await?;
    let base = format!("{}/context/issues", o.base());
    let dash = || "—".to_string();
    Ok(html(layout::org(
        &o,
        "issues",
        &i.data.title,
        html! {
            p.crumbs { a href=(base) { (t(l, "issues.title")) } }
            div.page-head {
                h1 { (i.data.title) @if i.archived { " " span.badge { (t(l, "list.archived_badge")) } } }
                div.actions {
                    @if !i.archived && o.ctx.can_edit_owned(i.data.owner_id) {
                        a.button href={(base) "/" (id) "/edit"} { (t(l, "common.edit")) }
                    }
                    @if o.ctx.can(Permission::ManageIsms) {
                        @if i.archived {
                            (action_button(&o.page, &format!("{base}/{id}/restore"), t(l, "common.restore"), "", None))
                        } @else {
                            (action_button(&o.page, &format!("{base}/{id}/archive"), t(l, "common.archive"), "danger", Some(t(l, "common.archive_confirm"))))
                        }
                    }
                }
            }
            (notice(l, done.done.as_deref()))
            dl.details {
                dt { (t(l, "field.kind")) } dd { (t(l, i.data.kind.label_key())) }
                dt { (t(l, "field.category")) } dd { (t(l, i.data.category.label_key())) }
                dt { (t(l, "field.description")) } dd.pre { (i.data.description.clone().unwrap_or_else(dash)) }
                dt { (t(l, "field.effect")) } dd.pre { (i.data.effect.clone().unwrap_or_else(dash)) }
                dt { (t(l, "field.source")) } dd { (i.data.source.clone().unwrap_or_else(dash)) }
                dt { (t(l, "field.owner")) } dd { (Some(owner_name(&members, i.data.owner_id)).filter(|s| !s.is_empty()).unwrap_or_else(dash)) }
                dt { (t(l, "field.last_reviewed")) } dd { (i.data.last_reviewed.clone().unwrap_or_else(dash)) }
                dt { (t(l, "field.updated")) } dd { (layout::when(&i.updated_at)) }
            }
            (history_section(l, &history, &members))
        },
    )))
}

pub async fn edit_form(State(state): State<AppState>, o: OrgPage, Path((_, id)): Path<(String, String)>) -> WebResult {
    let id = parse_id(&id)?;
    let i = state.app.get_issue(&o.ctx, id).await?;
    if !o.ctx.can_edit_owned(i.data.owner_id) {
        return Err(AppError::Forbidden.into());
    }
    if i.archived {
        return Err(AppError::Conflict("error.archived_read_only").into());
    }
    let members = state.app.members(&o.ctx.actor, &o.ctx.org.slug).await?;
    Ok(html(form_page(&o, &members, &to_form(&i), &FieldErrors::default(), Some(id))))
}

pub async fn update(
    State(state): State<AppState>,
    o: OrgPage,
    Path((_, id)): Path<(String, String)>,
    Form(f): Form<ContextIssueForm>,
) -> WebResult {
    let id = parse_id(&id)?;
    let result = match f.parse() {
        Ok(input) => state.app.update_issue(&o.ctx, id, input).await,
        Err(e) => {
            // Check access before showing the form again.
            let i = state.app.get_issue(&o.ctx, id).await?;
            if !o.ctx.can_edit_owned(i.data.owner_id) {
                return Err(AppError::Forbidden.into());
            }
            Err(AppError::Invalid(e))
        }
    };
    match result {
        Ok(_) => Ok(see_other(&format!("{}/context/issues/{id}?done=saved", o.base()))),
        Err(AppError::Invalid(errs)) => {
            let members = state.app.members(&o.ctx.actor, &o.ctx.org.slug).await?;
            Ok(html_status(StatusCode::UNPROCESSABLE_ENTITY, form_page(&o, &members, &f, &errs, Some(id))))
        }
        Err(e) => Err(e.into()),
    }
}

async fn set_archived(state: AppState, o: OrgPage, id: String, archive: bool) -> WebResult {
    let id = parse_id(&id)?;
    state.app.archive_issue(&o.ctx, id, archive).await?;
    let done = if archive { "archived" } else { "restored" };
    Ok(see_other(&format!("{}/context/issues/{id}?done={done}", o.base())))
}

pub async fn archive(
    State(state): State<AppState>,
    o: OrgPage,
    Path((_, id)): Path<(String, String)>,
    Form(_): Form<Done>,
) -> WebResult {
    set_archived(state, o, id, true).await
}

pub async fn restore(
    State(state): State<AppState>,
    o: OrgPage,
    Path((_, id)): Path<(String, String)>,
    Form(_): Form<Done>,
) -> WebResult {
    set_archived(state, o, id, false).await
}

pub async fn export(
    State(state): State<AppState>,
    o: OrgPage,
    Path((_, format)): Path<(String, String)>,
    Query(p): Query<IssueParams>,
) -> WebResult {
    let mut q = p.query()?;
    q.page = 1;
    q.per_page = EXPORT_MAX;
    let (issues, _) = state.app.list_issues(&o.ctx, &q).await?;
    let members = state.app.members(&o.ctx.actor, &o.ctx.org.slug).await?;
    let table = tables::issues_table(o.lang(), &issues, &members);
    tables::download(&table, &format, &format!("{}-context-issues", o.ctx.org.slug))
}
