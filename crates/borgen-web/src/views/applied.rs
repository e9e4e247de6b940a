//! Applied controls: the organisation's own implementations of Annex A
//! controls (or custom controls), whose status the SoA rows draw on.

use super::owner_options;
use super::trail::history_section;
use super::{Done, html, html_status, see_other};
use crate::ctx::{Form, OrgPage, Query};
use crate::error::{WebError, WebResult};
use crate::layout::{self, action_button, csrf, notice, select, text_field, text_field_hint, textarea};
use crate::state::AppState;
use crate::tables::owner_name;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use borgen_app::AppError;
use borgen_core::catalog;
use borgen_core::context::ArchiveFilter;
use borgen_core::i18n::t;
use borgen_core::ids::AppliedControlId;
use borgen_core::role::Permission;
use borgen_core::soa::*;
use borgen_core::{FieldErrors, Lang};
use borgen_store::orgs::Member;
use maud::{Markup, html};

#[derive(Clone, Debug, Default, serde::Deserialize, serde::Serialize)]
#[serde(default)]
pub struct AppliedParams {
    pub q: Option<String>,
    pub archived: Option<String>,
    pub control: Option<String>,
    pub page: Option<String>,
    pub per_page: Option<String>,
}

impl AppliedParams {
    /// The page and page size asked for (400 `error.bad_filter` when bad).
    pub fn paging(&self) -> Result<(u32, u32), WebError> {
        crate::tables::paging(&self.page, &self.per_page)
    }

    /// The same parameters as a query string, with `page` replaced.
    pub fn with_page(&self, page: u32) -> String {
        let mut p = self.clone();
        p.page = Some(page.to_string());
        serde_urlencoded::to_string(&p).unwrap_or_default()
    }

    pub fn parsed(&self) -> Result<(Option<&str>, ArchiveFilter, Option<&str>), WebError> {
        let bad = || WebError::Status(StatusCode::BAD_REQUEST, "error.bad_filter");
        let archived = ArchiveFilter::parse(self.archived.as_deref().unwrap_or("")).ok_or_else(bad)?;
        let control = match self.control.as_deref().filter(|s| !s.is_empty()) {
            Some(c) => Some(catalog::control(c).map(|c| c.id.as_str()).ok_or_else(bad)?),
            None => None,
        };
        Ok((self.q.as_deref(), archived, control))
    }
}

fn status_options(l: Lang) -> Vec<(String, String)> {
    ImplStatus::ALL.iter().map(|s| (s.code().to_string(), t(l, s.label_key()).to_string())).collect()
}

fn parse_id(id: &str) -> Result<AppliedControlId, WebError> {
    AppliedControlId::parse(id).ok_or(WebError::App(AppError::NotFound))
}

pub async fn list(
    State(state): State<AppState>,
    o: OrgPage,
    Query(p): Query<AppliedParams>,
    Query(done): Query<Done>,
) -> WebResult {
    let l = o.lang();
    let (q, archived, control) = p.parsed()?;
    let (page, per_page) = p.paging()?;
    let (items, total) = state.app.list_applied_page(&o.ctx, q, archived, control, page, per_page).await?;
    let members = state.app.members(&o.ctx.actor, &o.ctx.org.slug).await?;
    let base = format!("{}/soa/applied", o.base());
    let none = FieldErrors::default();
    let archived_opts = vec![
        ("active".to_string(), t(l, "list.active").to_string()),
        ("archived".to_string(), t(l, "list.archived").to_string()),
        ("all".to_string(), t(l, "list.all").to_string()),
    ];
    Ok(html(layout::org(
        &o,
        "applied",
        t(l, "applied.title"),
        html! {
            p.crumbs { a href={(o.base()) "/soa"} { (t(l, "soa.title")) } }
            div.page-head {
                h1 { (t(l, "applied.title")) }
                @if o.ctx.can(Permission::ManageIsms) { a.button.primary href={(base) "/new"} { (t(l, "applied.new")) } }
            }
            p.muted { (t(l, "applied.intro")) }
            (notice(l, done.done.as_deref()))
            form.filters method="get" action=(base) role="search" {
                (text_field(l, &none, "q", t(l, "list.search"), p.q.as_deref(), false, "search"))
                (text_field(l, &none, "control", t(l, "catalog.control"), p.control.as_deref(), false, "text"))
                (select(l, &none, "archived", t(l, "list.show"), &archived_opts, Some(archived.code()), false))
                button type="submit" { (t(l, "list.filter")) }
            }
            @if items.is_empty() { p.empty { (t(l, "applied.empty")) } }
            @else {
                table.register {
                    thead { tr {
                        th scope="col" { (t(l, "field.name")) }
                        th scope="col" { (t(l, "applied.controls")) }
                        th scope="col" { (t(l, "soa.status")) }
                        th scope="col" { (t(l, "field.owner")) }
                        th scope="col" { (t(l, "applied.due_date")) }
                    } }
                    tbody {
                        @for a in &items {
                            tr.archived[a.archived] {
                                td { a href={(base) "/" (a.id)} { (a.data.name) } @if a.archived { " " span.badge { (t(l, "list.archived_badge")) } } }
                                td { @if a.data.control_ids.is_empty() { span.muted { (t(l, "applied.custom")) } } (a.data.control_ids.join(", ")) }
                                td { (t(l, a.data.status.label_key())) }
                                td { (Some(owner_name(&members, a.data.owner_id)).filter(|s| !s.is_empty()).unwrap_or_else(|| "—".into())) }
                                td { (a.data.due_date.as_deref().unwrap_or("—")) }
                            }
                        }
                    }
                }
            }
            (layout::pager(l, page, per_page, total, |n| format!("{base}?{}", p.with_page(n))))
        },
    )))
}

fn form_page(
    o: &OrgPage,
    members: &[Member],
    f: &AppliedControlForm,
    errs: &FieldErrors,
    id: Option<AppliedControlId>,
) -> Markup {
    let l = o.lang();
    let base = format!("{}/soa/applied", o.base());
    let (title, action) = match id {
        Some(id) => (t(l, "applied.edit"), format!("{base}/{id}")),
        None => (t(l, "applied.new"), base.clone()),
    };
    layout::org(
        o,
        "applied",
        title,
        html! {
            h1 { (title) }
            (layout::error_summary(l, errs))
            form.card method="post" action=(action) novalidate {
                (csrf(&o.page))
                (text_field(l, errs, "name", t(l, "field.name"), f.name.as_deref(), true, "text"))
                (text_field_hint(l, errs, "control_ids", t(l, "applied.controls"), f.control_ids.as_deref(), false, "text", Some(t(l, "applied.controls_hint"))))
                (textarea(l, errs, "description", t(l, "field.description"), f.description.as_deref(), None))
                div.row {
                    (select(l, errs, "status", t(l, "soa.status"), &status_options(l), f.status.as_deref(), true))
                    (select(l, errs, "owner_id", t(l, "field.owner"), &owner_options(members), f.owner_id.as_deref(), false))
                    (text_field(l, errs, "due_date", t(l, "applied.due_date"), f.due_date.as_deref(), false, "date"))
                }
                (textarea(l, errs, "effectiveness", t(l, "applied.effectiveness"), f.effectiveness.as_deref(), Some(t(l, "applied.effectiveness_hint"))))
                (textarea(l, errs, "evidence", t(l, "applied.evidence"), f.evidence.as_deref(), Some(t(l, "applied.evidence_hint"))))
                div.actions {
                    button.primary type="submit" { (t(l, "common.save")) }
                    a href=(match id { Some(id) => format!("{base}/{id}"), None => base.clone() }) { (t(l, "common.cancel")) }
                }
            }
        },
    )
}

fn to_form(a: &AppliedControl) -> AppliedControlForm {
    AppliedControlForm {
        name: Some(a.data.name.clone()),
        description: a.data.description.clone(),
        owner_id: a.data.owner_id.map(|u| u.to_string()),
        status: Some(a.data.status.code().into()),
        effectiveness: a.data.effectiveness.clone(),
        due_date: a.data.due_date.clone(),
        evidence: a.data.evidence.clone(),
        control_ids: Some(a.data.control_ids.join(", ")),
    }
}

pub async fn new_form(State(state): State<AppState>, o: OrgPage, Query(p): Query<AppliedParams>) -> WebResult {
    o.ctx.require(Permission::ManageIsms)?;
    let members = state.app.members(&o.ctx.actor, &o.ctx.org.slug).await?;
    let f = AppliedControlForm { control_ids: p.control.clone(), status: Some("planned".into()), ..Default::default() };
    Ok(html(form_page(&o, &members, &f, &FieldErrors::default(), None)))
}

pub async fn create(State(state): State<AppState>, o: OrgPage, Form(f): Form<AppliedControlForm>) -> WebResult {
    o.ctx.require(Permission::ManageIsms)?;
    let result = match f.parse() {
        Ok(input) => state.app.create_applied(&o.ctx, input).await,
        Err(e) => Err(AppError::Invalid(e)),
    };
    match result {
        Ok(a) => Ok(see_other(&format!("{}/soa/applied/{}?done=created", o.base(), a.id))),
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
    let a = state.app.get_applied(&o.ctx, id).await?;
    let members = state.app.members(&o.ctx.actor, &o.ctx.org.slug).await?;
    let history = state.app.history(&o.ctx, &id.as_text()).await?;
    let base = format!("{}/soa/applied", o.base());
    let dash = || "—".to_string();
    Ok(html(layout::org(
        &o,
        "applied",
        &a.data.name,
        html! {
            p.crumbs { a href=(base) { (t(l, "applied.title")) } }
            div.page-head {
                h1 { (a.data.name) @if a.archived { " " span.badge { (t(l, "list.archived_badge")) } } }
                div.actions {
                    @if !a.archived && o.ctx.can_edit_owned(a.data.owner_id) { a.button href={(base) "/" (id) "/edit"} { (t(l, "common.edit")) } }
                    @if o.ctx.can(Permission::ManageIsms) {
                        @if a.archived { (action_button(&o.page, &format!("{base}/{id}/restore"), t(l, "common.restore"), "", None)) }
                        @else { (action_button(&o.page, &format!("{base}/{id}/archive"), t(l, "common.archive"), "danger", Some(t(l, "common.archive_confirm")))) }
                    }
                }
            }
            (notice(l, done.done.as_deref()))
            dl.details {
                dt { (t(l, "applied.controls")) } dd {
                    @if a.data.control_ids.is_empty() { (t(l, "applied.custom")) }
                    @for c in &a.data.control_ids {
                        a href={(o.base()) "/soa/" (c)} { (c) " " (catalog::control(c).map(|x| x.title_in(l)).unwrap_or("")) } br;
                    }
                }
                dt { (t(l, "soa.status")) } dd { (t(l, a.data.status.label_key())) }
                dt { (t(l, "field.description")) } dd.pre { (a.data.description.clone().unwrap_or_else(dash)) }
                dt { (t(l, "field.owner")) } dd { (Some(owner_name(&members, a.data.owner_id)).filter(|s| !s.is_empty()).unwrap_or_else(dash)) }
                dt { (t(l, "applied.due_date")) } dd { (a.data.due_date.clone().unwrap_or_else(dash)) }
                dt { (t(l, "applied.effectiveness")) } dd.pre { (a.data.effectiveness.clone().unwrap_or_else(dash)) }
                dt { (t(l, "applied.evidence")) } dd.pre { (a.data.evidence.clone().unwrap_or_else(dash)) }
            }
            (history_section(l, &history, &members))
        },
    )))
}

pub async fn edit_form(State(state): State<AppState>, o: OrgPage, Path((_, id)): Path<(String, String)>) -> WebResult {
    let id = parse_id(&id)?;
    let a = state.app.get_applied(&o.ctx, id).await?;
    if !o.ctx.can_edit_owned(a.data.owner_id) {
        return Err(AppError::Forbidden.into());
    }
    let members = state.app.members(&o.ctx.actor, &o.ctx.org.slug).await?;
    Ok(html(form_page(&o, &members, &to_form(&a), &FieldErrors::default(), Some(id))))
}

pub async fn update(
    State(state): State<AppState>,
    o: OrgPage,
    Path((_, id)): Path<(String, String)>,
    Form(f): Form<AppliedControlForm>,
) -> WebResult {
    let id = parse_id(&id)?;
    let a = state.app.get_applied(&o.ctx, id).await?;
    if !o.ctx.can_edit_owned(a.data.owner_id) {
        return Err(AppError::Forbidden.into());
    }
    let result = match f.parse() {
        Ok(input) => state.app.update_applied(&o.ctx, id, input).await,
        Err(e) => Err(AppError::Invalid(e)),
    };
    match result {
        Ok(_) => Ok(see_other(&format!("{}/soa/applied/{id}?done=saved", o.base()))),
        Err(AppError::Invalid(errs)) => {
            let members = state.app.members(&o.ctx.actor, &o.ctx.org.slug).await?;
            Ok(html_status(StatusCode::UNPROCESSABLE_ENTITY, form_page(&o, &members, &f, &errs, Some(id))))
        }
        Err(e) => Err(e.into()),
    }
}

async fn set_archived(state: AppState, o: OrgPage, id: String, archive: bool) -> WebResult {
    let id = parse_id(&id)?;
    state.app.archive_applied(&o.ctx, id, archive).await?;
    let done = if archive { "archived" } else { "restored" };
    Ok(see_other(&format!("{}/soa/applied/{id}?done={done}", o.base())))
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
