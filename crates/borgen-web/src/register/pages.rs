//! The pages of a declared register: list (search, filters, sort, pager,
//! exports), detail with history, form with errors in place and the typed
//! values kept, archive and restore. Which buttons show is read from the
//! record's access rights, decided once in the use cases.

use super::{Names, Params, display, list_query, names, options, parse_id};
use crate::ctx::{Form, OrgPage, Query};
use crate::error::WebResult;
use crate::layout::{self, action_button, csrf, notice, select, text_field, text_field_hint, textarea};
use crate::state::AppState;
use crate::views::trail::history_section;
use crate::views::{Done, html, html_status, see_other};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use borgen_app::AppError;
use borgen_app::register::{Held, Kids};
use borgen_core::FieldErrors;
use borgen_core::i18n::{t, tf};
use borgen_core::register::{Edit, Field, Kind, Register, Sort, Value};
use maud::{Markup, html};

fn key(reg: &Register, what: &str) -> String {
    format!("{}.{what}", reg.locale)
}

/// The navigation entry of a register's pages (a child's are its parent's).
fn active(reg: &Register) -> &'static str {
    reg.parent_register().map(|(up, _)| up.key).unwrap_or(reg.key)
}

/// The way back: the register's list, or, for a record that belongs to
/// another, that register's list and the record itself.
fn crumbs(o: &OrgPage, reg: &Register, values: Option<&[Value]>, names: &Names) -> Markup {
    let l = o.lang();
    match (reg.parent_register(), values) {
        (Some((up, i)), Some(values)) => {
            let uid = values[i].as_text().unwrap_or("");
            html! {
                a href={(o.base()) "/" (up.path)} { (t(l, &key(up, "title"))) } " › "
                a href={(o.base()) "/" (up.path) "/" (uid)} { (names.titles.get(uid).cloned().unwrap_or_default()) }
            }
        }
        _ => html! { a href={(o.base()) "/" (reg.path)} { (t(l, &key(reg, "title"))) } },
    }
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
    let names = names(&state, &o.ctx, reg, &items, true).await?;
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
    let above = super::hooks::list_sections(&state, &o, reg).await?;
    Ok(html(layout::org(
        &o,
        active(reg),
        &title,
        html! {
            div.page-head {
                h1 { (title) " " span.clause { (reg.clause) } }
                div.actions {
                    @if reg.parent.is_none() && state.app.may_create(&o.ctx, reg) {
                        a.button.primary href={(base) "/new"} { (t(l, &key(reg, "new"))) }
                    }
                    (super::hooks::list_actions(&o, reg))
                }
            }
            p.muted { (t(l, &key(reg, "intro"))) }
            (notice(l, done.done.as_deref()))
            (above)
            form.filters method="get" action=(base) role="search" {
                (text_field(l, &none, "q", t(l, "list.search"), p.get("q").map(String::as_str), false, "search"))
                // Links to records are filtered from the linked record's page ("Supported by"), not a list of every record.
                @for f in reg.fields.iter().filter(|f| f.filter && !matches!(f.kind, Kind::Records { .. })) {
                    (select(l, &none, f.name, t(l, f.label), &options(l, f, &names), p.get(f.name).map(String::as_str), false))
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
                        @for kid in reg.children().filter(|k| k.summary.is_some()) {
                            th scope="col" { (t(l, &key(kid, "title"))) }
                        }
                    } }
                    tbody {
                        @for h in &items {
                            tr.archived[h.rec.archived] {
                                @for (f, v) in reg.fields.iter().zip(&h.rec.values).filter(|(f, _)| f.list) {
                                    td { (cell(&o, reg, f, v, h, &names)) }
                                }
                                @for kids in h.children.iter().filter(|k| k.reg.summary.is_some()) {
                                    td { (summary(l, kids)) }
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
                a href={(base) "/export/xlsx?" (encode(&filters_only))} download { "XLSX" } " · "
                a href={(base) "/export/pdf?" (encode(&filters_only))} download { "PDF" }
            }
        },
    )))
}

/// One cell of a list: the title links to the record, a link field to the
/// record it names.
fn cell(o: &OrgPage, reg: &Register, f: &Field, v: &Value, h: &Held, names: &Names) -> Markup {
    let l = o.lang();
    let text = short(&display(l, f, v, names));
    let target = match (f.kind, v) {
        (Kind::Link(key), Value::Text(id)) => {
            borgen_core::registers::by_key(key).map(|r| format!("{}/{}/{id}", o.base(), r.path))
        }
        _ => None,
    };
    html! {
        @if let (Kind::Controls(_), Value::List(ids)) = (f.kind, v) && !ids.is_empty() {
            @for (n, id) in ids.iter().enumerate() {
                @if n > 0 { ", " }
                a href={(o.base()) "/soa/" (id)} title=[borgen_core::catalog::control(id).map(|c| c.title_in(l))] { (id) }
            }
        } @else if let (Kind::Records { register, .. }, Value::List(ids)) = (f.kind, v) && !ids.is_empty() {
            @let path = borgen_core::registers::by_key(register).map(|r| r.path).unwrap_or("");
            @for (n, id) in ids.iter().enumerate() {
                @if n > 0 { "; " }
                a href={(o.base()) "/" (path) "/" (id)} { (names.titles.get(id).cloned().unwrap_or_else(|| id.clone())) }
            }
        } @else if f.raised_by.is_some() && super::effective(h, f) > v.as_int().unwrap_or(0) {
            @let raised = Value::Int(super::effective(h, f));
            span.raised title=(tf(l, &key(reg, "raised"), &[("level", &display(l, f, &raised, names))])) {
                (display(l, f, &raised, names)) " ↑"
            }
        } @else if f.name == reg.title {
            a href={(o.base()) "/" (reg.path) "/" (h.rec.id)} { (text) }
            @if h.rec.archived { " " span.badge { (t(l, "list.archived_badge")) } }
        } @else if let Some(href) = target {
            a href=(href) { (text) }
        } @else if !h.rec.archived && f.overdue(v, &o.ctx.today()) {
            (text) " " span.badge.warn { (t(l, "list.overdue")) }
        } @else {
            (text)
        }
    }
}

/// "2 of 3 addressed": how many of the records that belong to one have the
/// register's summary field set (archived ones not counted).
fn summary(l: borgen_core::Lang, kids: &Kids) -> String {
    let i = kids.reg.summary.and_then(|s| kids.reg.index(s));
    let live: Vec<&Held> = kids.items.iter().filter(|k| !k.rec.archived).collect();
    let yes = live.iter().filter(|k| i.is_some_and(|i| k.rec.values[i] == Value::Bool(true))).count();
    tf(l, &key(kids.reg, "summary"), &[("n", &yes.to_string()), ("total", &live.len().to_string())])
}

fn input(l: borgen_core::Lang, errs: &FieldErrors, f: &Field, v: Option<&str>, names: &Names) -> Markup {
    let label = t(l, f.label);
    let hint = f.hint.map(|h| t(l, h));
    match f.kind {
        Kind::Text(_) if f.multi_line() => textarea(l, errs, f.name, label, v, hint),
        Kind::Text(_) => text_field_hint(l, errs, f.name, label, v, f.required, "text", hint),
        Kind::Date => text_field_hint(l, errs, f.name, label, v, f.required, "date", hint),
        Kind::Url => text_field_hint(l, errs, f.name, label, v, f.required, "url", hint),
        Kind::Email => text_field_hint(l, errs, f.name, label, v, f.required, "email", hint),
        // Typed as the user writes it ("12,5"); shown again in their language.
        Kind::Number { decimals } => {
            let shown = v.map(|v| {
                if l == borgen_core::Lang::Nl && borgen_core::register::number(v, decimals).as_deref() == Some(v) {
                    v.replace('.', ",")
                } else {
                    v.to_string()
                }
            });
            text_field_hint(l, errs, f.name, label, shown.as_deref(), f.required, "text", hint)
        }
        Kind::Choice { .. } | Kind::Member | Kind::Link(_) => {
            select(l, errs, f.name, label, &options(l, f, names), v, f.required)
        }
        // Annex A ids as typed: "5.15, 8.5".
        Kind::Controls(_) => text_field_hint(l, errs, f.name, label, v, f.required, "text", hint),
        Kind::Level { .. } => select(l, errs, f.name, label, &options(l, f, names), v.filter(|v| *v != "0"), false),
        // A box per record; not the record itself.
        Kind::Records { .. } => {
            let chosen: Vec<String> =
                v.unwrap_or("").split([',', ' ']).filter(|s| !s.is_empty()).map(str::to_string).collect();
            let mut items: Vec<(String, String)> =
                options(l, f, names).into_iter().filter(|(id, _)| Some(id.as_str()) != names.own.as_deref()).collect();
            // A chosen record that is no longer offered (archived) keeps its box, so saving keeps the link.
            for id in &chosen {
                if !items.iter().any(|(x, _)| x == id) {
                    let title = names.titles.get(id).cloned().unwrap_or_else(|| id.clone());
                    items.push((id.clone(), format!("{title} ({})", t(l, "list.archived_badge"))));
                }
            }
            layout::checks(l, errs, f.name, label, hint, &items, &chosen)
        }
        Kind::Bool => layout::checkbox(l, errs, f.name, label, matches!(v, Some("true" | "on"))),
    }
}

/// The inputs of a form for `reg`: every field, except the one naming the
/// record it belongs to (fixed: sent back as it is); a field the member may
/// not set (the ISMS manager's, or the owner they may not hand on) is shown
/// read only and sent back as it is.
fn inputs(o: &OrgPage, reg: &Register, names: &Names, raw: &Params, errs: &FieldErrors, fixed: bool) -> Markup {
    let l = o.lang();
    let manager = o.ctx.can(borgen_core::role::Permission::ManageIsms);
    html! {
        @for f in reg.fields {
            @let v = raw.get(f.name).map(String::as_str);
            @if Some(f.name) == reg.parent && (fixed || v.is_some()) {
                @if let Some(v) = v { input type="hidden" name=(f.name) value=(v); }
            } @else if !manager && (f.managers || reg.edit == Edit::OwnerOr(f.name)) {
                div.field {
                    span.label { (t(l, f.label)) }
                    p.readonly { (display(l, f, &v.map(|s| Value::Text(s.to_string())).unwrap_or(Value::Null), names)) }
                    @if let Some(v) = v { input type="hidden" name=(f.name) value=(v); }
                }
            } @else {
                (input(l, errs, f, v, names))
            }
        }
    }
}

fn form_page(
    reg: &'static Register,
    o: &OrgPage,
    names: &Names,
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
    // The record it belongs to, for the way back.
    let values: Vec<Value> =
        reg.fields.iter().map(|f| raw.get(f.name).map(|v| Value::Text(v.clone())).unwrap_or(Value::Null)).collect();
    layout::org(
        o,
        active(reg),
        &title,
        html! {
            p.crumbs { (crumbs(o, reg, id.and(reg.parent).and_then(|p| raw.get(p)).map(|_| values.as_slice()), names)) }
            h1 { (title) }
            (layout::error_summary_labelled(l, errs, label))
            form.card method="post" action=(action) novalidate {
                (csrf(&o.page))
                (inputs(o, reg, names, raw, errs, id.is_some()))
                div.actions {
                    button.primary type="submit" { (t(l, "common.save")) }
                    a href=(back) { (t(l, "common.cancel")) }
                }
            }
        },
    )
}

/// The form for a new record, with fields filled from the query string when
/// a page links to it with some already known (`…/soa/applied/new?control_ids=5.15`).
pub async fn new_form(
    reg: &'static Register,
    State(state): State<AppState>,
    o: OrgPage,
    Query(p): Query<Params>,
) -> WebResult {
    if !state.app.may_create(&o.ctx, reg) {
        return Err(AppError::Forbidden.into());
    }
    let names = names(&state, &o.ctx, reg, &[], true).await?;
    let raw: Params = p.into_iter().filter(|(k, _)| reg.field(k).is_some()).collect();
    Ok(html(form_page(reg, &o, &names, &raw, &FieldErrors::default(), None)))
}

/// Where a record's pages lead back to: the record it belongs to, or its own page.
fn home_of(o: &OrgPage, reg: &Register, h: &Held) -> String {
    match reg.parent_register() {
        Some((up, i)) => format!("{}/{}/{}", o.base(), up.path, h.rec.values[i].as_text().unwrap_or("")),
        None => format!("{}/{}/{}", o.base(), reg.path, h.rec.id),
    }
}

pub async fn create(
    reg: &'static Register,
    State(state): State<AppState>,
    o: OrgPage,
    Form(pairs): Form<Vec<(String, String)>>,
) -> WebResult {
    let f = super::joined(pairs);
    if !state.app.may_create(&o.ctx, reg) {
        return Err(AppError::Forbidden.into());
    }
    let result = match reg.parse(&f) {
        Ok(values) => state.app.reg_create(&o.ctx, reg, values).await,
        Err(e) => Err(AppError::Invalid(e)),
    };
    match result {
        Ok(h) if reg.parent.is_some() => Ok(see_other(&format!("{}?done=saved", home_of(&o, reg, &h)))),
        Ok(h) => Ok(see_other(&format!("{}?done=created", home_of(&o, reg, &h)))),
        Err(AppError::Invalid(errs)) => {
            let names = names(&state, &o.ctx, reg, &[], true).await?;
            Ok(html_status(StatusCode::UNPROCESSABLE_ENTITY, form_page(reg, &o, &names, &f, &errs, None)))
        }
        Err(e) => Err(e.into()),
    }
}

/// Adds a record to the one it belongs to, from that record's page; errors
/// are shown there, in the open form, with the typed values kept.
pub async fn add(
    reg: &'static Register,
    State(state): State<AppState>,
    o: OrgPage,
    Path((_, id)): Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> WebResult {
    let mut f = super::joined(pairs);
    let Some((up, i)) = reg.parent_register() else { return Err(AppError::NotFound.into()) };
    let pid = parse_id(&id)?;
    let parent = state.app.reg_parent_for_adding(&o.ctx, reg, pid).await?;
    f.insert(reg.fields[i].name.to_string(), pid.as_text());
    let result = match reg.parse(&f) {
        Ok(values) => state.app.reg_create(&o.ctx, reg, values).await,
        Err(e) => Err(AppError::Invalid(e)),
    };
    match result {
        Ok(h) => Ok(see_other(&format!("{}?done=saved#{}", home_of(&o, reg, &h), reg.api))),
        Err(AppError::Invalid(errs)) => {
            let page = show_page(&state, &o, up, parent, None, Some((reg, &f, &errs))).await?;
            Ok(html_status(StatusCode::UNPROCESSABLE_ENTITY, page))
        }
        Err(e) => Err(e.into()),
    }
}

fn details(reg: &Register, o: &OrgPage, h: &Held, names: &Names) -> Markup {
    let l = o.lang();
    html! {
        dl.details {
            @for (f, v) in reg.fields.iter().zip(&h.rec.values) {
                dt { (t(l, f.label)) }
                @match (f.kind, v) {
                    (Kind::Url, Value::Text(u)) => dd { a href=(u) rel="noopener noreferrer nofollow" { (u) } },
                    (Kind::Text(_), _) if f.multi_line() => dd.pre { (display(l, f, v, names)) },
                    (Kind::Link(_), Value::Text(_)) => dd { (cell(o, reg, f, v, h, names)) },
                    (Kind::Records { register, .. }, Value::List(ids)) if !ids.is_empty() => dd {
                        @let path = borgen_core::registers::by_key(register).map(|r| r.path).unwrap_or("");
                        ul.plain {
                            @for id in ids {
                                li { a href={(o.base()) "/" (path) "/" (id)} { (names.titles.get(id).cloned().unwrap_or_else(|| id.clone())) } }
                            }
                        }
                    },
                    (Kind::Level { .. }, Value::Int(own)) if f.raised_by.is_some() && super::effective(h, f) > *own => dd {
                        (display(l, f, v, names)) "; "
                        strong { (tf(l, &key(reg, "raised"), &[("level", &display(l, f, &Value::Int(super::effective(h, f)), names))])) }
                    },
                    (Kind::Controls(_), Value::List(ids)) if !ids.is_empty() => dd {
                        ul.plain {
                            @for id in ids {
                                li { a href={(o.base()) "/soa/" (id)} { (id) } " " (borgen_core::catalog::control(id).map(|c| c.title_in(l)).unwrap_or("")) }
                            }
                        }
                    },
                    _ if !h.rec.archived && f.overdue(v, &o.ctx.today()) => dd {
                        (display(l, f, v, names)) " " span.badge.warn { (t(l, "list.overdue")) }
                    },
                    _ => dd { (display(l, f, v, names)) },
                }
            }
            dt { (t(l, "field.updated")) } dd { (layout::when(&o.ctx.org.time_zone, &h.rec.updated_at)) }
        }
    }
}

/// The records of one register that belong to the record shown, with their
/// buttons, and the form to add one for who may edit the record.
fn children_section(
    o: &OrgPage,
    up: &Held,
    kids: &Kids,
    names: &Names,
    form: Option<(&Params, &FieldErrors)>,
) -> Markup {
    let l = o.lang();
    let reg = kids.reg;
    let base = format!("{}/{}", o.base(), reg.path);
    let none = (Params::new(), FieldErrors::default());
    let (raw, errs) = form.unwrap_or((&none.0, &none.1));
    let cols: Vec<(usize, &Field)> =
        reg.fields.iter().enumerate().filter(|(_, f)| f.list && Some(f.name) != reg.parent).collect();
    let add = format!("{}/{}/{}/{}", o.base(), up_path(reg), up.rec.id, reg.api);
    html! {
        section id=(reg.api) {
            h2 { (t(l, &key(reg, "title"))) }
            @if kids.items.is_empty() {
                p.empty { (t(l, &key(reg, "empty"))) }
            } @else {
                table.register {
                    thead { tr {
                        @for (_, f) in &cols { th scope="col" { (t(l, f.label)) } }
                        th scope="col" { span.sr-only { (t(l, "common.actions")) } }
                    } }
                    tbody {
                        @for h in &kids.items {
                            tr.archived[h.rec.archived] {
                                @for (i, f) in &cols { td { (cell(o, reg, f, &h.rec.values[*i], h, names)) } }
                                td.actions {
                                    @if h.access.edit {
                                        a.button.small href={(base) "/" (h.rec.id) "/edit"} { (t(l, "common.edit")) }
                                    }
                                    @if h.access.restore {
                                        (action_button(&o.page, &format!("{base}/{}/restore", h.rec.id), t(l, "common.restore"), "small", None))
                                    }
                                    @if h.access.archive {
                                        (action_button(&o.page, &format!("{base}/{}/archive", h.rec.id), t(l, "common.archive"), "small danger", Some(t(l, "common.archive_confirm"))))
                                    }
                                }
                            }
                        }
                    }
                }
            }
            @if up.access.edit {
                details.card open[!errs.is_empty()] {
                    summary { (t(l, &key(reg, "add"))) }
                    (layout::error_summary_labelled(l, errs, |name| reg.field(name).map(|f| t(l, f.label).to_string()).unwrap_or_else(|| name.to_string())))
                    form method="post" action=(add) novalidate {
                        (csrf(&o.page))
                        (inputs(o, reg, names, raw, errs, true))
                        button.primary type="submit" { (t(l, &key(reg, "add"))) }
                    }
                }
            }
        }
    }
}

fn up_path(reg: &Register) -> &'static str {
    reg.parent_register().map(|(up, _)| up.path).unwrap_or("")
}

/// A record's page: its fields, the records that belong to it, and the
/// history of both. `adding` is a form for one of those with its errors.
async fn show_page(
    state: &AppState,
    o: &OrgPage,
    reg: &'static Register,
    h: Held,
    done: Option<&str>,
    adding: Option<(&Register, &Params, &FieldErrors)>,
) -> Result<Markup, crate::error::WebError> {
    let l = o.lang();
    let id = h.rec.id;
    let mut names = names(state, &o.ctx, reg, std::slice::from_ref(&h), false).await?;
    // The forms that add a record belong to this one offer the records their links may name.
    if h.access.edit {
        for kid in reg.children() {
            for f in kid.fields.iter().filter(|f| Some(f.name) != kid.parent) {
                if let Kind::Link(key) | Kind::Records { register: key, .. } = f.kind
                    && let Some(target) = borgen_core::registers::by_key(key)
                    && !names.choices.contains_key(key)
                {
                    names.choices.insert(key, state.app.reg_choices(&o.ctx, target).await?);
                }
            }
        }
    }
    let mut history = state.app.history(&o.ctx, &id.as_text()).await?;
    for kid in h.children.iter().flat_map(|k| &k.items) {
        history.extend(state.app.history(&o.ctx, &kid.rec.id.as_text()).await?);
    }
    history.sort_by_key(|e| e.seq);
    let extra = super::hooks::sections(state, o, reg, &h).await?;
    let base = format!("{}/{}", o.base(), reg.path);
    let name = short(&super::title(reg, &h.rec, &names));
    Ok(layout::org(
        o,
        active(reg),
        &name,
        html! {
            p.crumbs { (crumbs(o, reg, Some(&h.rec.values), &names)) }
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
            (notice(l, done))
            (details(reg, o, &h, &names))
            @for kids in &h.children {
                @let form = adding.filter(|(r, _, _)| r.key == kids.reg.key).map(|(_, raw, errs)| (raw, errs));
                (children_section(o, &h, kids, &names, form))
            }
            (extra)
            (history_section(l, &o.ctx.org.time_zone, &history, &names))
        },
    ))
}

pub async fn show(
    reg: &'static Register,
    State(state): State<AppState>,
    o: OrgPage,
    Path((_, id)): Path<(String, String)>,
    Query(done): Query<Done>,
) -> WebResult {
    let h = state.app.reg_get(&o.ctx, reg, parse_id(&id)?).await?;
    Ok(html(show_page(&state, &o, reg, h, done.done.as_deref(), None).await?))
}

pub async fn edit_form(
    reg: &'static Register,
    State(state): State<AppState>,
    o: OrgPage,
    Path((_, id)): Path<(String, String)>,
) -> WebResult {
    let id = parse_id(&id)?;
    let h = state.app.reg_editable(&o.ctx, reg, id).await?;
    let mut names = names(&state, &o.ctx, reg, std::slice::from_ref(&h), true).await?;
    names.own = Some(id.as_text());
    let raw = reg.raw(&h.rec.values);
    Ok(html(form_page(reg, &o, &names, &raw, &FieldErrors::default(), Some(&id.to_string()))))
}

pub async fn update(
    reg: &'static Register,
    State(state): State<AppState>,
    o: OrgPage,
    Path((_, id)): Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> WebResult {
    let mut f = super::joined(pairs);
    let id = parse_id(&id)?;
    // Access before input: nobody learns about a record from its errors.
    let h = state.app.reg_editable(&o.ctx, reg, id).await?;
    keep_parent(reg, &h, &mut f);
    let result = match reg.parse(&f) {
        Ok(values) => state.app.reg_update(&o.ctx, reg, id, values).await,
        Err(e) => Err(AppError::Invalid(e)),
    };
    match result {
        Ok(h) => Ok(see_other(&format!("{}?done=saved", home_of(&o, reg, &h)))),
        Err(AppError::Invalid(errs)) => {
            let mut names = names(&state, &o.ctx, reg, std::slice::from_ref(&h), true).await?;
            names.own = Some(id.as_text());
            let form = form_page(reg, &o, &names, &f, &errs, Some(&id.to_string()));
            Ok(html_status(StatusCode::UNPROCESSABLE_ENTITY, form))
        }
        Err(e) => Err(e.into()),
    }
}

/// An edit that leaves out the record it belongs to keeps it.
pub(crate) fn keep_parent(reg: &Register, h: &Held, raw: &mut Params) {
    if let Some((_, i)) = reg.parent_register()
        && let Some(v) = h.rec.values[i].as_text()
    {
        raw.entry(reg.fields[i].name.to_string()).or_insert_with(|| v.to_string());
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
    let h = state.app.reg_archive(&o.ctx, reg, id, archive).await?;
    let done = if archive { "archived" } else { "restored" };
    Ok(see_other(&format!("{}?done={done}", home_of(&o, reg, &h))))
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
