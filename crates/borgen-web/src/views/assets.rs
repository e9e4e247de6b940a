//! The asset inventory: information and supporting assets with owners, C/I/A
//! needs and which assets support which (with the needs that follow).

use super::owner_options;
use super::trail::history_section;
use super::{Done, html, html_status, see_other};
use crate::ctx::{Form, OrgPage, Query};
use crate::error::{WebError, WebResult};
use crate::layout::{self, action_button, csrf, notice, select, text_field, textarea};
use crate::state::AppState;
use crate::tables::owner_name;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use borgen_app::AppError;
use borgen_core::asset::*;
use borgen_core::context::ArchiveFilter;
use borgen_core::i18n::t;
use borgen_core::ids::AssetId;
use borgen_core::risk::RiskFilter;
use borgen_core::role::Permission;
use borgen_core::{FieldErrors, Lang};
use borgen_store::orgs::Member;
use borgen_store::risk::RiskSort;
use maud::{Markup, html};

#[derive(Clone, Debug, Default, serde::Deserialize, serde::Serialize)]
#[serde(default)]
pub struct AssetParams {
    pub q: Option<String>,
    pub asset_type: Option<String>,
    pub archived: Option<String>,
    pub page: Option<String>,
    pub per_page: Option<String>,
}

impl AssetParams {
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

    pub fn parsed(&self) -> Result<(Option<&str>, ArchiveFilter, Option<AssetType>), WebError> {
        let bad = || WebError::Status(StatusCode::BAD_REQUEST, "error.bad_filter");
        let archived = ArchiveFilter::parse(self.archived.as_deref().unwrap_or("")).ok_or_else(bad)?;
        let asset_type = match self.asset_type.as_deref().filter(|s| !s.is_empty()) {
            Some(s) => Some(AssetType::parse(s).ok_or_else(bad)?),
            None => None,
        };
        Ok((self.q.as_deref(), archived, asset_type))
    }
}

pub fn type_options(l: Lang) -> Vec<(String, String)> {
    AssetType::ALL.iter().map(|v| (v.code().to_string(), t(l, v.label_key()).to_string())).collect()
}

fn class_options(l: Lang) -> Vec<(String, String)> {
    Classification::ALL.iter().map(|v| (v.code().to_string(), t(l, v.label_key()).to_string())).collect()
}

fn need_options(l: Lang) -> Vec<(String, String)> {
    (1..=NEED_MAX).map(|v| (v.to_string(), format!("{v} – {}", t(l, need_key(v))))).collect()
}

/// "C3 I2 A4" with the derived value where it is higher than the own.
pub fn needs_text(own: Needs, derived: Needs) -> String {
    let one = |ch: char, o: u8, d: u8| {
        if d > o {
            format!("{ch}{d}↑")
        } else if o == 0 {
            format!("{ch}–")
        } else {
            format!("{ch}{o}")
        }
    };
    format!("{} {} {}", one('C', own.c, derived.c), one('I', own.i, derived.i), one('A', own.a, derived.a))
}

fn parse_id(id: &str) -> Result<AssetId, WebError> {
    AssetId::parse(id).ok_or(WebError::App(AppError::NotFound))
}

pub async fn list(
    State(state): State<AppState>,
    o: OrgPage,
    Query(p): Query<AssetParams>,
    Query(done): Query<Done>,
) -> WebResult {
    let l = o.lang();
    let (q, archived, asset_type) = p.parsed()?;
    let (page, per_page) = p.paging()?;
    let (items, total) = state.app.list_assets(&o.ctx, q, archived, asset_type, page, per_page).await?;
    let members = state.app.members(&o.ctx.actor, &o.ctx.org.slug).await?;
    let base = format!("{}/assets", o.base());
    let none = FieldErrors::default();
    let archived_opts = vec![
        ("active".to_string(), t(l, "list.active").to_string()),
        ("archived".to_string(), t(l, "list.archived").to_string()),
        ("all".to_string(), t(l, "list.all").to_string()),
    ];
    Ok(html(layout::org(
        &o,
        "assets",
        t(l, "asset.title"),
        html! {
            div.page-head {
                h1 { (t(l, "asset.title")) }
                @if o.ctx.can(Permission::ManageIsms) {
                    div.actions {
                        a.button.primary href={(base) "/new"} { (t(l, "asset.new")) }
                        " "
                        a.button href={(base) "/import"} { (t(l, "import.action")) }
                    }
                }
            }
            p.muted { (t(l, "asset.intro")) }
            (notice(l, done.done.as_deref()))
            form.filters method="get" action=(base) role="search" {
                (text_field(l, &none, "q", t(l, "list.search"), p.q.as_deref(), false, "search"))
                (select(l, &none, "asset_type", t(l, "asset.type"), &type_options(l), p.asset_type.as_deref(), false))
                (select(l, &none, "archived", t(l, "list.show"), &archived_opts, Some(archived.code()), false))
                button type="submit" { (t(l, "list.filter")) }
            }
            @if items.is_empty() { p.empty { (t(l, "asset.empty")) } }
            @else {
                table.register {
                    caption.sr-only { (t(l, "asset.title")) }
                    thead { tr {
                        th scope="col" { (t(l, "field.name")) }
                        th scope="col" { (t(l, "asset.type")) }
                        th scope="col" { (t(l, "asset.classification")) }
                        th scope="col" { abbr title=(t(l, "asset.needs_hint")) { (t(l, "asset.needs")) } }
                        th scope="col" { (t(l, "field.owner")) }
                    } }
                    tbody {
                        @for a in &items {
                            tr.archived[a.archived] {
                                td { a href={(base) "/" (a.id)} { (a.data.name) } @if a.archived { " " span.badge { (t(l, "list.archived_badge")) } } }
                                td { (t(l, a.data.asset_type.label_key())) }
                                td { (a.data.classification.map(|c| t(l, c.label_key())).unwrap_or("—")) }
                                td.mono { (needs_text(a.data.needs, a.derived_needs)) }
                                td { (Some(owner_name(&members, a.data.owner_id)).filter(|s| !s.is_empty()).unwrap_or_else(|| "—".into())) }
                            }
                        }
                    }
                }
                p.muted { (t(l, "asset.needs_legend")) }
            }
            (layout::pager(l, page, per_page, total, |n| format!("{base}?{}", p.with_page(n))))
            p.exports {
                (t(l, "list.export")) ": "
                a href={(base) "/export/csv"} download { "CSV" } " · "
                a href={(base) "/export/xlsx"} download { "XLSX" } " · "
                a href={(base) "/export/pdf"} download { "PDF" }
            }
        },
    )))
}

fn form_page(
    o: &OrgPage,
    members: &[Member],
    all: &[Asset],
    f: &AssetForm,
    errs: &FieldErrors,
    id: Option<AssetId>,
) -> Markup {
    let l = o.lang();
    let base = format!("{}/assets", o.base());
    let (title, action) = match id {
        Some(id) => (t(l, "asset.edit"), format!("{base}/{id}")),
        None => (t(l, "asset.new"), base.clone()),
    };
    let others: Vec<&Asset> =
        all.iter().filter(|a| Some(a.id) != id && (!a.archived || f.supports.contains(&a.id.to_string()))).collect();
    layout::org(
        o,
        "assets",
        title,
        html! {
            h1 { (title) }
            (layout::error_summary(l, errs))
            form.card method="post" action=(action) novalidate {
                (csrf(&o.page))
                (text_field(l, errs, "name", t(l, "field.name"), f.name.as_deref(), true, "text"))
                div.row {
                    (select(l, errs, "asset_type", t(l, "asset.type"), &type_options(l), f.asset_type.as_deref(), true))
                    (select(l, errs, "classification", t(l, "asset.classification"), &class_options(l), f.classification.as_deref(), false))
                }
                (textarea(l, errs, "description", t(l, "field.description"), f.description.as_deref(), None))
                div.row {
                    (select(l, errs, "owner_id", t(l, "field.owner"), &owner_options(members), f.owner_id.as_deref(), false))
                    (text_field(l, errs, "custodian", t(l, "asset.custodian"), f.custodian.as_deref(), false, "text"))
                    (text_field(l, errs, "location", t(l, "asset.location"), f.location.as_deref(), false, "text"))
                }
                fieldset.field {
                    legend { (t(l, "asset.needs_long")) }
                    div.row {
                        (select(l, errs, "need_c", t(l, "risk.c"), &need_options(l), f.need_c.as_deref(), false))
                        (select(l, errs, "need_i", t(l, "risk.i"), &need_options(l), f.need_i.as_deref(), false))
                        (select(l, errs, "need_a", t(l, "risk.a"), &need_options(l), f.need_a.as_deref(), false))
                    }
                }
                fieldset.field.checks #supports {
                    legend { (t(l, "asset.supports")) }
                    p.hint { (t(l, "asset.supports_hint")) }
                    @if others.is_empty() { p.muted { (t(l, "common.none_yet")) } }
                    @for (i, a) in others.iter().enumerate() {
                        div.check {
                            input id={"supports-" (i)} type="checkbox" name="supports" value=(a.id) checked[f.supports.contains(&a.id.to_string())];
                            label for={"supports-" (i)} { (a.data.name) " (" (t(l, a.data.asset_type.label_key())) ")" }
                        }
                    }
                    @if let Some(k) = errs.for_field("supports") { p.field-error { (t(l, k)) } }
                }
                div.actions {
                    button.primary type="submit" { (t(l, "common.save")) }
                    a href=(match id { Some(id) => format!("{base}/{id}"), None => base.clone() }) { (t(l, "common.cancel")) }
                }
            }
        },
    )
}

pub fn form_from_pairs(pairs: &[(String, String)]) -> AssetForm {
    let get = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    AssetForm {
        name: get("name"),
        asset_type: get("asset_type"),
        description: get("description"),
        owner_id: get("owner_id"),
        custodian: get("custodian"),
        location: get("location"),
        classification: get("classification"),
        need_c: get("need_c"),
        need_i: get("need_i"),
        need_a: get("need_a"),
        supports: pairs.iter().filter(|(n, _)| n == "supports").map(|(_, v)| v.clone()).collect(),
    }
}

fn to_form(a: &Asset) -> AssetForm {
    let n = |v: u8| (v > 0).then(|| v.to_string());
    AssetForm {
        name: Some(a.data.name.clone()),
        asset_type: Some(a.data.asset_type.code().into()),
        description: a.data.description.clone(),
        owner_id: a.data.owner_id.map(|u| u.to_string()),
        custodian: a.data.custodian.clone(),
        location: a.data.location.clone(),
        classification: a.data.classification.map(|c| c.code().into()),
        need_c: n(a.data.needs.c),
        need_i: n(a.data.needs.i),
        need_a: n(a.data.needs.a),
        supports: a.data.supports.iter().map(|s| s.to_string()).collect(),
    }
}

pub async fn new_form(State(state): State<AppState>, o: OrgPage) -> WebResult {
    o.ctx.require(Permission::ManageIsms)?;
    let members = state.app.members(&o.ctx.actor, &o.ctx.org.slug).await?;
    let all = state.app.all_assets(&o.ctx).await?;
    Ok(html(form_page(&o, &members, &all, &AssetForm::default(), &FieldErrors::default(), None)))
}

pub async fn create(State(state): State<AppState>, o: OrgPage, Form(pairs): Form<Vec<(String, String)>>) -> WebResult {
    o.ctx.require(Permission::ManageIsms)?;
    let f = form_from_pairs(&pairs);
    let result = match f.parse() {
        Ok(input) => state.app.create_asset(&o.ctx, input).await,
        Err(e) => Err(AppError::Invalid(e)),
    };
    match result {
        Ok(a) => Ok(see_other(&format!("{}/assets/{}?done=created", o.base(), a.id))),
        Err(AppError::Invalid(errs)) => {
            let members = state.app.members(&o.ctx.actor, &o.ctx.org.slug).await?;
            let all = state.app.all_assets(&o.ctx).await?;
            Ok(html_status(StatusCode::UNPROCESSABLE_ENTITY, form_page(&o, &members, &all, &f, &errs, None)))
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
    let all = state.app.all_assets(&o.ctx).await?;
    let a = all.iter().find(|a| a.id == id).ok_or(WebError::App(AppError::NotFound))?;
    let members = state.app.members(&o.ctx.actor, &o.ctx.org.slug).await?;
    let history = state.app.history(&o.ctx, &id.as_text()).await?;
    let risks = state
        .app
        .list_risks(&o.ctx, &RiskFilter { asset: Some(id), ..Default::default() }, RiskSort::Number, 200, 0)
        .await?;
    let supported_by: Vec<&Asset> = all.iter().filter(|x| x.data.supports.contains(&id)).collect();
    let base = format!("{}/assets", o.base());
    let dash = || "—".to_string();
    let name_of = |x: &AssetId| all.iter().find(|a| a.id == *x).map(|a| a.data.name.clone()).unwrap_or_default();
    Ok(html(layout::org(
        &o,
        "assets",
        &a.data.name,
        html! {
            p.crumbs { a href=(base) { (t(l, "asset.title")) } }
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
                dt { (t(l, "asset.type")) } dd { (t(l, a.data.asset_type.label_key())) }
                dt { (t(l, "asset.classification")) } dd { (a.data.classification.map(|c| t(l, c.label_key())).unwrap_or("—")) }
                dt { (t(l, "field.description")) } dd.pre { (a.data.description.clone().unwrap_or_else(dash)) }
                dt { (t(l, "field.owner")) } dd { (Some(owner_name(&members, a.data.owner_id)).filter(|s| !s.is_empty()).unwrap_or_else(dash)) }
                dt { (t(l, "asset.custodian")) } dd { (a.data.custodian.clone().unwrap_or_else(dash)) }
                dt { (t(l, "asset.location")) } dd { (a.data.location.clone().unwrap_or_else(dash)) }
                dt { (t(l, "asset.needs_own")) } dd {
                    @for (k, v) in [("risk.c", a.data.needs.c), ("risk.i", a.data.needs.i), ("risk.a", a.data.needs.a)] {
                        (t(l, k)) ": " (t(l, need_key(v))) br;
                    }
                }
                dt { (t(l, "asset.needs_derived")) } dd {
                    @for (k, own, d) in [("risk.c", a.data.needs.c, a.derived_needs.c), ("risk.i", a.data.needs.i, a.derived_needs.i), ("risk.a", a.data.needs.a, a.derived_needs.a)] {
                        (t(l, k)) ": " (t(l, need_key(d))) @if d > own { " " span.badge { (t(l, "asset.inherited")) } } br;
                    }
                }
                dt { (t(l, "asset.supports")) } dd {
                    @if a.data.supports.is_empty() { "—" }
                    @for s in &a.data.supports { a href={(base) "/" (s)} { (name_of(s)) } br; }
                }
                dt { (t(l, "asset.supported_by")) } dd {
                    @if supported_by.is_empty() { "—" }
                    @for s in &supported_by { a href={(base) "/" (s.id)} { (s.data.name) } br; }
                }
                dt { (t(l, "risk.title")) } dd {
                    @if risks.risks.is_empty() { "—" }
                    @for r in &risks.risks { a href={(o.base()) "/risks/" (r.id)} { (r.reference()) " " (r.data.title) } br; }
                }
            }
            (history_section(l, &history, &crate::register::Names {
                titles: all.iter().map(|a| (a.id.to_string(), a.data.name.clone())).collect(),
                ..crate::register::Names::of(&members)
            }))
        },
    )))
}

pub async fn edit_form(State(state): State<AppState>, o: OrgPage, Path((_, id)): Path<(String, String)>) -> WebResult {
    let id = parse_id(&id)?;
    let a = state.app.get_asset(&o.ctx, id).await?;
    if !o.ctx.can_edit_owned(a.data.owner_id) || a.archived {
        return Err(AppError::Forbidden.into());
    }
    let members = state.app.members(&o.ctx.actor, &o.ctx.org.slug).await?;
    let all = state.app.all_assets(&o.ctx).await?;
    Ok(html(form_page(&o, &members, &all, &to_form(&a), &FieldErrors::default(), Some(id))))
}

pub async fn update(
    State(state): State<AppState>,
    o: OrgPage,
    Path((_, id)): Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> WebResult {
    let id = parse_id(&id)?;
    let a = state.app.get_asset(&o.ctx, id).await?;
    if !o.ctx.can_edit_owned(a.data.owner_id) {
        return Err(AppError::Forbidden.into());
    }
    let f = form_from_pairs(&pairs);
    let result = match f.parse() {
        Ok(input) => state.app.update_asset(&o.ctx, id, input).await,
        Err(e) => Err(AppError::Invalid(e)),
    };
    match result {
        Ok(_) => Ok(see_other(&format!("{}/assets/{id}?done=saved", o.base()))),
        Err(AppError::Invalid(errs)) => {
            let members = state.app.members(&o.ctx.actor, &o.ctx.org.slug).await?;
            let all = state.app.all_assets(&o.ctx).await?;
            Ok(html_status(StatusCode::UNPROCESSABLE_ENTITY, form_page(&o, &members, &all, &f, &errs, Some(id))))
        }
        Err(e) => Err(e.into()),
    }
}

async fn set_archived(state: AppState, o: OrgPage, id: String, archive: bool) -> WebResult {
    let id = parse_id(&id)?;
    state.app.archive_asset(&o.ctx, id, archive).await?;
    let done = if archive { "archived" } else { "restored" };
    Ok(see_other(&format!("{}/assets/{id}?done={done}", o.base())))
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
