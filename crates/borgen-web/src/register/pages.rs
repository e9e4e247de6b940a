//! The pages of a declared register: list (search, filters, sort, pager,
//! exports), detail with history, form with errors in place and the typed
//! values kept, archive and restore. Which buttons show is read from the
//! record's access rights, decided once in the use cases.

use super::{Params, display, list_query, options, parse_id};
use crate::ctx::{Form, OrgPage, Query};
use crate::error::WebResult;
use crate::layout::{self, action_button, csrf, notice, select, text_field, text_field_hint, textarea};
use crate::state::AppState;
use crate::views::trail::history_section;
use crate::views::{Done, html, html_status, see_other};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use borgen_app::AppError;
use borgen_app::register::Held;
use borgen_core::FieldErrors;
use borgen_core::i18n::t;
use borgen_core::register::{Edit, Field, Kind, Register, Sort, Value};
use borgen_store::orgs::Member;
use maud::{Markup, html};

fn key(reg: &Register, what: &str) -> String {
    format!("{}.{what}", reg.locale)
}

/// The navigation entry of a register's pages.
fn active(reg: &Register) -> &'static str {
    reg.key
}

/// A long title cut for headings and links.
fn short(s: &str) -> String {
    let first = s.lines().next().unwrap_or("");
    if first.chars().count() > 100 || first.len() < s.len() {
        format!("{}…", first.chars().take(100).collect::<String>().trim_end())
    } else {
        first.to_string()
    }
}

fn encode(p: &Params) -> String {
    serde_urlencoded::to_string(p).unwrap_or_default()
}

pub async fn list(
    reg: &'static Register,
    State(state): State<AppState>,
    o: OrgPage,
    Query(p): Query<Params>,
    Query(done): Query<Done>,
) -> WebResult {
    let l = o.lang();
    let q = list_query(reg, &p)?;
    let (items, total) = state.app.reg_list(&o.ctx, reg, &q).await?;
    let members = state.app.org_members(&o.ctx).await?;
    let base = format!("{}/{}", o.base(), reg.path);
    let sort_link = |i: usize, f: &Field| {
        let current = q.sort == Sort::Field(i);
        let mut np = p.clone();
        np.insert("sort".into(), f.name.into());
        np.insert("dir".into(), if current && !q.desc { "desc" } else { "asc" }.into());
        np.remove("page");
        np.remove("done");
        let arrow = if current { if q.desc { " ↓" } else { " ↑" } } else { "" };
        html! { a href={(base) "?" (encode(&np))} { (t(l, f.label)) (arrow) } }
    };
    let archived_opts = vec![
        ("active".to_string(), t(l, "list.active").to_string()),
        ("archived".to_string(), t(l, "list.archived").to_string()),
        ("all".to_string(), t(l, "list.all").to_string()),
    ];
    let none = FieldErrors::default();
    let mut filters_only = p.clone();
    filters_only.remove("done");
    filters_only.remove("page");
    filters_only.remove("per_page");
    let title = t(l, &key(reg, "title")).to_string();
    Ok(html(layout::org(
        &o,
        active(reg),
        &title,
        html! {
            div.page-head {
                h1 { (title) " " span.clause { (reg.clause) } }
                @if state.app.may_create(&o.ctx, reg) {
                    a.button.primary href={(base) "/new"} { (t(l, &key(reg, "new"))) }
                }
            }
            p.muted { (t(l, &key(reg, "intro"))) }
            (notice(l, done.done.as_deref()))
            form.filters method="get" action=(base) role="search" {
                (text_field(l, &none, "q", t(l, "list.search"), p.get("q").map(String::as_str), false, "search"))
                @for f in reg.fields.iter().filter(|f| f.filter) {
                    (select(l, &none, f.name, t(l, f.label), &options(l, f, &members), p.get(f.name).map(String::as_str), false))
                }
                (select(l, &none, "archived", t(l, "list.show"), &archived_opts, Some(q.archived.code()), false))
                button type="submit" { (t(l, "list.filter")) }
            }
            @if items.is_empty() {
                p.empty { (t(l, &key(reg, "empty"))) }
            } @else {
                table.register {
                    caption.sr-only { (title) }
                    thead { tr {
                        @for (i, f) in reg.fields.iter().enumerate().filter(|(_, f)| f.list) {
                            th scope="col" { @if f.sort { (sort_link(i, f)) } @else { (t(l, f.label)) } }
                        }
                    } }
                    tbody {
                        @for h in &items {
                            tr.archived[h.rec.archived] {
                                @for (f, v) in reg.fields.iter().zip(&h.rec.values).filter(|(f, _)| f.list) {
                                    td {
                                        @if f.name == reg.title {
                                            a href={(base) "/" (h.rec.id)} { (short(&display(l, f, v, &members))) }
                                            @if h.rec.archived { " " span.badge { (t(l, "list.archived_badge")) } }
                                        } @else {
                                            (short(&display(l, f, v, &members)))
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            (layout::pager(l, q.page, q.per_page, total, |n| {
                let mut np = p.clone();
                np.remove("done");
                np.insert("page".into(), n.to_string());
                format!("{base}?{}", encode(&np))
            }))
            p.exports {
                (t(l, "list.export")) ": "
                a href={(base) "/export/csv?" (encode(&filters_only))} download { "CSV" } " · "
                a href={(base) "/export/xlsx?" (encode(&filters_only))} download { "XLSX" }
            }
        },
    )))
}

fn input(l: borgen_core::Lang, errs: &FieldErrors, f: &Field, v: Option<&str>, members: &[Member]) -> Markup {
    let label = t(l, f.label);
    let hint = f.hint.map(|h| t(l, h));
    match f.kind {
        Kind::Text(_) if f.multi_line() => textarea(l, errs, f.name, label, v, hint),
        Kind::Text(_) => text_field_hint(l, errs, f.name, label, v, f.required, "text", hint),
        Kind::Date => text_field_hint(l, errs, f.name, label, v, f.required, "date", hint),
        Kind::Url => text_field_hint(l, errs, f.name, label, v, f.required, "url", hint),
        Kind::Choice { .. } | Kind::Member => select(l, errs, f.name, label, &options(l, f, members), v, f.required),
        Kind::Bool => layout::checkbox(l, errs, f.name, label, matches!(v, Some("true" | "on"))),
    }
}

fn form_page(
    reg: &'static Register,
    o: &OrgPage,
    members: &[Member],
    raw: &Params,
    errs: &FieldErrors,
    id: Option<&str>,
) -> Markup {
    let l = o.lang();
    let base = format!("{}/{}", o.base(), reg.path);
    let (title, action, back) = match id {
        Some(id) => (t(l, &key(reg, "edit")).to_string(), format!("{base}/{id}"), format!("{base}/{id}")),
        None => (t(l, &key(reg, "new")).to_string(), base.clone(), base.clone()),
    };
    let label = |name: &str| reg.field(name).map(|f| t(l, f.label).to_string()).unwrap_or_else(|| name.to_string());
    let manager = o.ctx.can(borgen_core::role::Permission::ManageIsms);
    layout::org(
        o,
        active(reg),
        &title,
        html! {
            p.crumbs { a href=(base) { (t(l, &key(reg, "title"))) } }
            h1 { (title) }
            (layout::error_summary_labelled(l, errs, label))
            form.card method="post" action=(action) novalidate {
                (csrf(&o.page))
                @for f in reg.fields {
                    @if !manager && (f.managers || reg.edit == Edit::OwnerOr(f.name)) {
                        // Set by the ISMS manager (and the owner only they hand on):
                        // shown, and sent back as it is.
                        @let v = raw.get(f.name).map(String::as_str);
                        div.field {
                            span.label { (t(l, f.label)) }
                            p.readonly { (display(l, f, &v.map(|s| Value::Text(s.to_string())).unwrap_or(Value::Null), members)) }
                            @if let Some(v) = v { input type="hidden" name=(f.name) value=(v); }
                        }
                    } @else {
                        (input(l, errs, f, raw.get(f.name).map(String::as_str), members))
                    }
                }
                div.actions {
                    button.primary type="submit" { (t(l, "common.save")) }
                    a href=(back) { (t(l, "common.cancel")) }
                }
            }
        },
    )
}

pub async fn new_form(reg: &'static Register, State(state): State<AppState>, o: OrgPage) -> WebResult {
    if !state.app.may_create(&o.ctx, reg) {
        return Err(AppError::Forbidden.into());
    }
    let members = state.app.org_members(&o.ctx).await?;
    Ok(html(form_page(reg, &o, &members, &Params::new(), &FieldErrors::default(), None)))
}

pub async fn create(
    reg: &'static Register,
    State(state): State<AppState>,
    o: OrgPage,
    Form(f): Form<Params>,
) -> WebResult {
    if !state.app.may_create(&o.ctx, reg) {
        return Err(AppError::Forbidden.into());
    }
    let result = match reg.parse(&f) {
        Ok(values) => state.app.reg_create(&o.ctx, reg, values).await,
        Err(e) => Err(AppError::Invalid(e)),
    };
    match result {
        Ok(h) => Ok(see_other(&format!("{}/{}/{}?done=created", o.base(), reg.path, h.rec.id))),
        Err(AppError::Invalid(errs)) => {
            let members = state.app.org_members(&o.ctx).await?;
            Ok(html_status(StatusCode::UNPROCESSABLE_ENTITY, form_page(reg, &o, &members, &f, &errs, None)))
        }
        Err(e) => Err(e.into()),
    }
}

fn details(reg: &Register, o: &OrgPage, h: &Held, members: &[Member]) -> Markup {
    let l = o.lang();
    html! {
        dl.details {
            @for (f, v) in reg.fields.iter().zip(&h.rec.values) {
                dt { (t(l, f.label)) }
                @match (f.kind, v) {
                    (Kind::Url, Value::Text(u)) => dd { a href=(u) rel="noopener noreferrer nofollow" { (u) } },
                    (Kind::Text(_), _) if f.multi_line() => dd.pre { (display(l, f, v, members)) },
                    _ => dd { (display(l, f, v, members)) },
                }
            }
            dt { (t(l, "field.updated")) } dd { (layout::when(&h.rec.updated_at)) }
        }
    }
}

pub async fn show(
    reg: &'static Register,
    State(state): State<AppState>,
    o: OrgPage,
    Path((_, id)): Path<(String, String)>,
    Query(done): Query<Done>,
) -> WebResult {
    let l = o.lang();
    let id = parse_id(&id)?;
    let h = state.app.reg_get(&o.ctx, reg, id).await?;
    let members = state.app.org_members(&o.ctx).await?;
    let history = state.app.history(&o.ctx, &id.as_text()).await?;
    let base = format!("{}/{}", o.base(), reg.path);
    let name = short(reg.title_of(&h.rec));
    Ok(html(layout::org(
        &o,
        active(reg),
        &name,
        html! {
            p.crumbs { a href=(base) { (t(l, &key(reg, "title"))) } }
            div.page-head {
                h1 { (name) @if h.rec.archived { " " span.badge { (t(l, "list.archived_badge")) } } }
                div.actions {
                    @if h.access.edit {
                        a.button href={(base) "/" (id) "/edit"} { (t(l, "common.edit")) }
                    }
                    @if h.access.restore {
                        (action_button(&o.page, &format!("{base}/{id}/restore"), t(l, "common.restore"), "", None))
                    }
                    @if h.access.archive {
                        (action_button(&o.page, &format!("{base}/{id}/archive"), t(l, "common.archive"), "danger", Some(t(l, "common.archive_confirm"))))
                    }
                }
            }
            (notice(l, done.done.as_deref()))
            (details(reg, &o, &h, &members))
            (history_section(l, &history, &members))
        },
    )))
}

pub async fn edit_form(
    reg: &'static Register,
    State(state): State<AppState>,
    o: OrgPage,
    Path((_, id)): Path<(String, String)>,
) -> WebResult {
    let id = parse_id(&id)?;
    let h = state.app.reg_editable(&o.ctx, reg, id).await?;
    let members = state.app.org_members(&o.ctx).await?;
    let raw = reg.raw(&h.rec.values);
    Ok(html(form_page(reg, &o, &members, &raw, &FieldErrors::default(), Some(&id.to_string()))))
}

pub async fn update(
    reg: &'static Register,
    State(state): State<AppState>,
    o: OrgPage,
    Path((_, id)): Path<(String, String)>,
    Form(f): Form<Params>,
) -> WebResult {
    let id = parse_id(&id)?;
    // Access before input: nobody learns about a record from its errors.
    state.app.reg_editable(&o.ctx, reg, id).await?;
    let result = match reg.parse(&f) {
        Ok(values) => state.app.reg_update(&o.ctx, reg, id, values).await,
        Err(e) => Err(AppError::Invalid(e)),
    };
    match result {
        Ok(_) => Ok(see_other(&format!("{}/{}/{id}?done=saved", o.base(), reg.path))),
        Err(AppError::Invalid(errs)) => {
            let members = state.app.org_members(&o.ctx).await?;
            let form = form_page(reg, &o, &members, &f, &errs, Some(&id.to_string()));
            Ok(html_status(StatusCode::UNPROCESSABLE_ENTITY, form))
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn archive(
    reg: &'static Register,
    State(state): State<AppState>,
    o: OrgPage,
    Path((_, id)): Path<(String, String)>,
    Form(_): Form<Done>,
    archive: bool,
) -> WebResult {
    let id = parse_id(&id)?;
    state.app.reg_archive(&o.ctx, reg, id, archive).await?;
    let done = if archive { "archived" } else { "restored" };
    Ok(see_other(&format!("{}/{}/{id}?done={done}", o.base(), reg.path)))
}

pub async fn export(
    reg: &'static Register,
    State(state): State<AppState>,
    o: OrgPage,
    Path((_, format)): Path<(String, String)>,
    Query(p): Query<Params>,
) -> WebResult {
    super::export(&state, &o.ctx, o.lang(), reg, format, &p).await
}
