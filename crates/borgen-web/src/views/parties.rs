//! 4.2 Interested parties and their requirements (legal, regulatory,
//! contractual, expectation), with whether and how the ISMS addresses each.

use super::owner_options;
use super::trail::history_section;
use super::{Done, html, html_status, see_other};
use crate::ctx::{Form, OrgPage, Query};
use crate::error::{WebError, WebResult};
use crate::layout::{self, action_button, checkbox, csrf, notice, select, text_field, textarea};
use crate::state::AppState;
use crate::tables::{self, EXPORT_MAX, PartyParams, owner_name};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use borgen_app::AppError;
use borgen_core::context::*;
use borgen_core::i18n::{t, tf};
use borgen_core::ids::{PartyId, RequirementId};
use borgen_core::role::Permission;
use borgen_core::{FieldErrors, Lang};
use borgen_store::orgs::Member;
use maud::{Markup, html};

pub fn type_options(l: Lang) -> Vec<(String, String)> {
    PartyType::ALL.iter().map(|v| (v.code().to_string(), t(l, v.label_key()).to_string())).collect()
}
pub fn req_type_options(l: Lang) -> Vec<(String, String)> {
    RequirementType::ALL.iter().map(|v| (v.code().to_string(), t(l, v.label_key()).to_string())).collect()
}

fn party_id(id: &str) -> Result<PartyId, WebError> {
    PartyId::parse(id).ok_or(WebError::App(AppError::NotFound))
}
fn req_id(id: &str) -> Result<RequirementId, WebError> {
    RequirementId::parse(id).ok_or(WebError::App(AppError::NotFound))
}

pub async fn list(
    State(state): State<AppState>,
    o: OrgPage,
    Query(p): Query<PartyParams>,
    Query(done): Query<Done>,
) -> WebResult {
    let l = o.lang();
    let q = p.query()?;
    let (parties, total) = state.app.list_parties(&o.ctx, &q).await?;
    let members = state.app.members(&o.ctx.actor, &o.ctx.org.slug).await?;
    let base = format!("{}/context/parties", o.base());
    let archived_opts = vec![
        ("active".to_string(), t(l, "list.active").to_string()),
        ("archived".to_string(), t(l, "list.archived").to_string()),
        ("all".to_string(), t(l, "list.all").to_string()),
    ];
    let none = FieldErrors::default();
    Ok(html(layout::org(
        &o,
        "parties",
        t(l, "parties.title"),
        html! {
            div.page-head {
                h1 { (t(l, "parties.title")) }
                @if o.ctx.can(Permission::ManageIsms) {
                    a.button.primary href={(base) "/new"} { (t(l, "parties.new")) }
                }
            }
            p.muted { (t(l, "parties.intro")) }
            (notice(l, done.done.as_deref()))
            form.filters method="get" action=(base) role="search" {
                (text_field(l, &none, "q", t(l, "list.search"), p.q.as_deref(), false, "search"))
                (select(l, &none, "party_type", t(l, "field.party_type"), &type_options(l), p.party_type.as_deref(), false))
                (select(l, &none, "archived", t(l, "list.show"), &archived_opts, Some(q.archived.code()), false))
                button type="submit" { (t(l, "list.filter")) }
            }
            @if parties.is_empty() {
                p.empty { (t(l, "parties.empty")) }
            } @else {
                table.register {
                    caption.sr-only { (t(l, "parties.title")) }
                    thead { tr {
                        th scope="col" { (t(l, "field.party")) }
                        th scope="col" { (t(l, "field.party_type")) }
                        th scope="col" { (t(l, "parties.requirements")) }
                        th scope="col" { (t(l, "field.owner")) }
                    } }
                    tbody {
                        @for p in &parties {
                            @let addressed = p.requirements.iter().filter(|r| r.data.addressed).count();
                            tr.archived[p.archived] {
                                td { a href={(base) "/" (p.id)} { (p.data.name) } @if p.archived { " " span.badge { (t(l, "list.archived_badge")) } } }
                                td { (t(l, p.data.party_type.label_key())) }
                                td { (tf(l, "parties.addressed_of", &[("n", &addressed.to_string()), ("total", &p.requirements.len().to_string())])) }
                                td { (Some(owner_name(&members, p.data.owner_id)).filter(|s| !s.is_empty()).unwrap_or_else(|| "—".into())) }
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

fn form_page(o: &OrgPage, members: &[Member], f: &PartyForm, errs: &FieldErrors, id: Option<PartyId>) -> Markup {
    let l = o.lang();
    let base = format!("{}/context/parties", o.base());
    let (title, action) = match id {
        Some(id) => (t(l, "parties.edit"), format!("{base}/{id}")),
        None => (t(l, "parties.new"), base.clone()),
    };
    layout::org(
        o,
        "parties",
        title,
        html! {
            h1 { (title) }
            (layout::error_summary(l, errs))
            form.card method="post" action=(action) novalidate {
                (csrf(&o.page))
                (text_field(l, errs, "name", t(l, "field.party"), f.name.as_deref(), true, "text"))
                (select(l, errs, "party_type", t(l, "field.party_type"), &type_options(l), f.party_type.as_deref(), true))
                (textarea(l, errs, "description", t(l, "field.description"), f.description.as_deref(), Some(t(l, "parties.description_hint"))))
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

pub async fn new_form(State(state): State<AppState>, o: OrgPage) -> WebResult {
    o.ctx.require(Permission::ManageIsms)?;
    let members = state.app.members(&o.ctx.actor, &o.ctx.org.slug).await?;
    Ok(html(form_page(&o, &members, &PartyForm::default(), &FieldErrors::default(), None)))
}

pub async fn create(State(state): State<AppState>, o: OrgPage, Form(f): Form<PartyForm>) -> WebResult {
    o.ctx.require(Permission::ManageIsms)?;
    let result = match f.parse() {
        Ok(input) => state.app.create_party(&o.ctx, input).await,
        Err(e) => Err(AppError::Invalid(e)),
    };
    match result {
        Ok(p) => Ok(see_other(&format!("{}/context/parties/{}?done=created", o.base(), p.id))),
        Err(AppError::Invalid(errs)) => {
            let members = state.app.members(&o.ctx.actor, &o.ctx.org.slug).await?;
            Ok(html_status(StatusCode::UNPROCESSABLE_ENTITY, form_page(&o, &members, &f, &errs, None)))
        }
        Err(e) => Err(e.into()),
    }
}

fn requirement_fields(l: Lang, errs: &FieldErrors, f: &RequirementForm) -> Markup {
    let addressed = matches!(f.addressed.as_deref(), Some("on" | "true" | "1"));
    html! {
        (text_field(l, errs, "title", t(l, "field.requirement"), f.title.as_deref(), true, "text"))
        (select(l, errs, "req_type", t(l, "field.req_type"), &req_type_options(l), f.req_type.as_deref(), true))
        (textarea(l, errs, "description", t(l, "field.req_description"), f.description.as_deref(), Some(t(l, "parties.req_hint"))))
        (checkbox(l, errs, "addressed", t(l, "field.addressed"), addressed))
        (textarea(l, errs, "how_addressed", t(l, "field.how_addressed"), f.how_addressed.as_deref(), Some(t(l, "parties.how_hint"))))
    }
}

fn show_page(
    o: &OrgPage,
    p: &Party,
    members: &[Member],
    history: &[borgen_store::audit::EventRow],
    done: Option<&str>,
    req_form: &RequirementForm,
    req_errs: &FieldErrors,
) -> Markup {
    let l = o.lang();
    let base = format!("{}/context/parties", o.base());
    let rbase = format!("{}/context/requirements", o.base());
    let id = p.id;
    let dash = || "—".to_string();
    let can_edit = !p.archived && o.ctx.can_edit_owned(p.data.owner_id);
    let can_manage = !p.archived && o.ctx.can(Permission::ManageIsms);
    layout::org(
        o,
        "parties",
        &p.data.name,
        html! {
            p.crumbs { a href=(base) { (t(l, "parties.title")) } }
            div.page-head {
                h1 { (p.data.name) @if p.archived { " " span.badge { (t(l, "list.archived_badge")) } } }
                div.actions {
                    @if can_edit { a.button href={(base) "/" (id) "/edit"} { (t(l, "common.edit")) } }
                    @if o.ctx.can(Permission::ManageIsms) {
                        @if p.archived {
                            (action_button(&o.page, &format!("{base}/{id}/restore"), t(l, "common.restore"), "", None))
                        } @else {
                            (action_button(&o.page, &format!("{base}/{id}/archive"), t(l, "common.archive"), "danger", Some(t(l, "common.archive_confirm"))))
                        }
                    }
                }
            }
            (notice(l, done))
            dl.details {
                dt { (t(l, "field.party_type")) } dd { (t(l, p.data.party_type.label_key())) }
                dt { (t(l, "field.description")) } dd.pre { (p.data.description.clone().unwrap_or_else(dash)) }
                dt { (t(l, "field.owner")) } dd { (Some(owner_name(members, p.data.owner_id)).filter(|s| !s.is_empty()).unwrap_or_else(dash)) }
                dt { (t(l, "field.last_reviewed")) } dd { (p.data.last_reviewed.clone().unwrap_or_else(dash)) }
            }
            section #requirements {
                h2 { (t(l, "parties.requirements")) }
                @if p.requirements.is_empty() {
                    p.empty { (t(l, "parties.no_requirements")) }
                } @else {
                    table.register {
                        thead { tr {
                            th scope="col" { (t(l, "field.requirement")) }
                            th scope="col" { (t(l, "field.req_type")) }
                            th scope="col" { (t(l, "field.addressed")) }
                            th scope="col" { (t(l, "field.how_addressed")) }
                            th scope="col" { span.sr-only { (t(l, "common.actions")) } }
                        } }
                        tbody {
                            @for r in &p.requirements {
                                tr.archived[r.archived] {
                                    td { (r.data.title) @if let Some(d) = &r.data.description { br; span.muted { (d) } } }
                                    td { span.tag { (t(l, r.data.req_type.label_key())) } }
                                    td { @if r.data.addressed { span.ok { "✓ " (t(l, "common.yes")) } } @else { span.warn { (t(l, "common.no")) } } }
                                    td { (r.data.how_addressed.clone().unwrap_or_default()) }
                                    td.actions {
                                        @if can_edit && !r.archived {
                                            a.button.small href={(rbase) "/" (r.id) "/edit"} { (t(l, "common.edit")) }
                                        }
                                        @if can_manage {
                                            @if r.archived {
                                                (action_button(&o.page, &format!("{rbase}/{}/restore", r.id), t(l, "common.restore"), "small", None))
                                            } @else {
                                                (action_button(&o.page, &format!("{rbase}/{}/archive", r.id), t(l, "common.archive"), "small danger", Some(t(l, "common.archive_confirm"))))
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                @if can_edit {
                    details.card open[!req_errs.is_empty()] {
                        summary { (t(l, "parties.add_requirement")) }
                        (layout::error_summary(l, req_errs))
                        form method="post" action={(base) "/" (id) "/requirements"} novalidate {
                            (csrf(&o.page))
                            (requirement_fields(l, req_errs, req_form))
                            button.primary type="submit" { (t(l, "parties.add_requirement")) }
                        }
                    }
                }
            }
            (history_section(l, history, members))
        },
    )
}

pub async fn show(
    State(state): State<AppState>,
    o: OrgPage,
    Path((_, id)): Path<(String, String)>,
    Query(done): Query<Done>,
) -> WebResult {
    let id = party_id(&id)?;
    let p = state.app.get_party(&o.ctx, id).await?;
    let members = state.app.members(&o.ctx.actor, &o.ctx.org.slug).await?;
    let history = party_history(&state, &o, &p).await?;
    Ok(html(show_page(
        &o,
        &p,
        &members,
        &history,
        done.done.as_deref(),
        &RequirementForm::default(),
        &FieldErrors::default(),
    )))
}

/// The party's own events and those of its requirements, oldest first.
async fn party_history(
    state: &AppState,
    o: &OrgPage,
    p: &Party,
) -> Result<Vec<borgen_store::audit::EventRow>, WebError> {
    let mut events = state.app.history(&o.ctx, &p.id.as_text()).await?;
    for r in &p.requirements {
        events.extend(state.app.history(&o.ctx, &r.id.as_text()).await?);
    }
    events.sort_by_key(|e| e.seq);
    Ok(events)
}

fn to_form(p: &Party) -> PartyForm {
    PartyForm {
        name: Some(p.data.name.clone()),
        party_type: Some(p.data.party_type.code().into()),
        description: p.data.description.clone(),
        owner_id: p.data.owner_id.map(|u| u.to_string()),
        last_reviewed: p.data.last_reviewed.clone(),
    }
}

pub async fn edit_form(State(state): State<AppState>, o: OrgPage, Path((_, id)): Path<(String, String)>) -> WebResult {
    let id = party_id(&id)?;
    let p = state.app.get_party(&o.ctx, id).await?;
    if !o.ctx.can_edit_owned(p.data.owner_id) {
        return Err(AppError::Forbidden.into());
    }
    if p.archived {
        return Err(AppError::Conflict("error.archived_read_only").into());
    }
    let members = state.app.members(&o.ctx.actor, &o.ctx.org.slug).await?;
    Ok(html(form_page(&o, &members, &to_form(&p), &FieldErrors::default(), Some(id))))
}

pub async fn update(
    State(state): State<AppState>,
    o: OrgPage,
    Path((_, id)): Path<(String, String)>,
    Form(f): Form<PartyForm>,
) -> WebResult {
    let id = party_id(&id)?;
    let result = match f.parse() {
        Ok(input) => state.app.update_party(&o.ctx, id, input).await,
        Err(e) => {
            let p = state.app.get_party(&o.ctx, id).await?;
            if !o.ctx.can_edit_owned(p.data.owner_id) {
                return Err(AppError::Forbidden.into());
            }
            Err(AppError::Invalid(e))
        }
    };
    match result {
        Ok(_) => Ok(see_other(&format!("{}/context/parties/{id}?done=saved", o.base()))),
        Err(AppError::Invalid(errs)) => {
            let members = state.app.members(&o.ctx.actor, &o.ctx.org.slug).await?;
            Ok(html_status(StatusCode::UNPROCESSABLE_ENTITY, form_page(&o, &members, &f, &errs, Some(id))))
        }
        Err(e) => Err(e.into()),
    }
}

async fn set_archived(state: AppState, o: OrgPage, id: String, archive: bool) -> WebResult {
    let id = party_id(&id)?;
    state.app.archive_party(&o.ctx, id, archive).await?;
    let done = if archive { "archived" } else { "restored" };
    Ok(see_other(&format!("{}/context/parties/{id}?done={done}", o.base())))
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

pub async fn add_requirement(
    State(state): State<AppState>,
    o: OrgPage,
    Path((_, id)): Path<(String, String)>,
    Form(f): Form<RequirementForm>,
) -> WebResult {
    let id = party_id(&id)?;
    let p = state.app.get_party(&o.ctx, id).await?;
    let result = match f.parse() {
        Ok(input) => state.app.add_requirement(&o.ctx, id, input).await,
        Err(e) if o.ctx.can_edit_owned(p.data.owner_id) => Err(AppError::Invalid(e)),
        Err(_) => Err(AppError::Forbidden),
    };
    match result {
        Ok(_) => Ok(see_other(&format!("{}/context/parties/{id}?done=saved", o.base()))),
        Err(AppError::Invalid(errs)) => {
            let members = state.app.members(&o.ctx.actor, &o.ctx.org.slug).await?;
            let history = party_history(&state, &o, &p).await?;
            Ok(html_status(StatusCode::UNPROCESSABLE_ENTITY, show_page(&o, &p, &members, &history, None, &f, &errs)))
        }
        Err(e) => Err(e.into()),
    }
}

fn requirement_page(o: &OrgPage, r: &Requirement, f: &RequirementForm, errs: &FieldErrors) -> Markup {
    let l = o.lang();
    let back = format!("{}/context/parties/{}", o.base(), r.party_id);
    layout::org(
        o,
        "parties",
        t(l, "parties.edit_requirement"),
        html! {
            h1 { (t(l, "parties.edit_requirement")) }
            (layout::error_summary(l, errs))
            form.card method="post" action={(o.base()) "/context/requirements/" (r.id)} novalidate {
                (csrf(&o.page))
                (requirement_fields(l, errs, f))
                div.actions {
                    button.primary type="submit" { (t(l, "common.save")) }
                    a href=(back) { (t(l, "common.cancel")) }
                }
            }
        },
    )
}

async fn editable_requirement(state: &AppState, o: &OrgPage, id: RequirementId) -> Result<Requirement, WebError> {
    let r = state.app.get_requirement(&o.ctx, id).await?;
    let p = state.app.get_party(&o.ctx, r.party_id).await?;
    if !o.ctx.can_edit_owned(p.data.owner_id) {
        return Err(AppError::Forbidden.into());
    }
    Ok(r)
}

pub async fn edit_requirement_form(
    State(state): State<AppState>,
    o: OrgPage,
    Path((_, id)): Path<(String, String)>,
) -> WebResult {
    let r = editable_requirement(&state, &o, req_id(&id)?).await?;
    let f = RequirementForm {
        title: Some(r.data.title.clone()),
        req_type: Some(r.data.req_type.code().into()),
        description: r.data.description.clone(),
        addressed: Some(r.data.addressed.to_string()),
        how_addressed: r.data.how_addressed.clone(),
    };
    Ok(html(requirement_page(&o, &r, &f, &FieldErrors::default())))
}

pub async fn update_requirement(
    State(state): State<AppState>,
    o: OrgPage,
    Path((_, id)): Path<(String, String)>,
    Form(f): Form<RequirementForm>,
) -> WebResult {
    let r = editable_requirement(&state, &o, req_id(&id)?).await?;
    let result = match f.parse() {
        Ok(input) => state.app.update_requirement(&o.ctx, r.id, input).await,
        Err(e) => Err(AppError::Invalid(e)),
    };
    match result {
        Ok(r) => Ok(see_other(&format!("{}/context/parties/{}?done=saved", o.base(), r.party_id))),
        Err(AppError::Invalid(errs)) => {
            Ok(html_status(StatusCode::UNPROCESSABLE_ENTITY, requirement_page(&o, &r, &f, &errs)))
        }
        Err(e) => Err(e.into()),
    }
}

async fn set_req_archived(state: AppState, o: OrgPage, id: String, archive: bool) -> WebResult {
    let r = state.app.archive_requirement(&o.ctx, req_id(&id)?, archive).await?;
    let done = if archive { "archived" } else { "restored" };
    Ok(see_other(&format!("{}/context/parties/{}?done={done}", o.base(), r.party_id)))
}

pub async fn archive_requirement(
    State(state): State<AppState>,
    o: OrgPage,
    Path((_, id)): Path<(String, String)>,
    Form(_): Form<Done>,
) -> WebResult {
    set_req_archived(state, o, id, true).await
}

pub async fn restore_requirement(
    State(state): State<AppState>,
    o: OrgPage,
    Path((_, id)): Path<(String, String)>,
    Form(_): Form<Done>,
) -> WebResult {
    set_req_archived(state, o, id, false).await
}

pub async fn export(
    State(state): State<AppState>,
    o: OrgPage,
    Path((_, format)): Path<(String, String)>,
    Query(p): Query<PartyParams>,
) -> WebResult {
    let mut q = p.query()?;
    q.page = 1;
    q.per_page = EXPORT_MAX;
    let (parties, _) = state.app.list_parties(&o.ctx, &q).await?;
    let members = state.app.members(&o.ctx.actor, &o.ctx.org.slug).await?;
    let table = tables::parties_table(o.lang(), &parties, &members);
    tables::download(&table, &format, &format!("{}-interested-parties", o.ctx.org.slug))
}
