//! The Annex A catalogue: browse and filter the 93 controls by theme and by
//! any ISO/IEC 27002 attribute; each control with its 2013 predecessors; and
//! the 2013 → 2022 map. Readable by every member.

use super::html;
use crate::ctx::{OrgPage, Query};
use crate::error::{WebError, WebResult};
use crate::layout::{self, select, text_field};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use borgen_app::AppError;
use borgen_core::catalog::{self, AttributeKind, Control, Theme, attribute_value_key};
use borgen_core::i18n::{t, tf};
use borgen_core::{FieldErrors, Lang};
use maud::{Markup, html};

#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct CatalogParams {
    pub q: Option<String>,
    pub theme: Option<String>,
    /// `kind:value`, e.g. `control_type:Preventive`.
    pub attr: Option<String>,
    pub new: Option<String>,
}

/// A filter over the catalogue, parsed from the query string.
pub struct CatalogFilter {
    pub q: Option<String>,
    pub theme: Option<Theme>,
    pub attr: Option<(AttributeKind, String)>,
    pub new_only: bool,
}

impl CatalogParams {
    pub fn filter(&self) -> Result<CatalogFilter, WebError> {
        let bad = || WebError::Status(StatusCode::BAD_REQUEST, "error.bad_filter");
        let theme = match self.theme.as_deref().filter(|s| !s.is_empty()) {
            Some(s) => Some(Theme::parse(s).ok_or_else(bad)?),
            None => None,
        };
        let attr = match self.attr.as_deref().filter(|s| !s.is_empty()) {
            Some(s) => {
                let (k, v) = s.split_once(':').ok_or_else(bad)?;
                let kind = AttributeKind::parse(k).ok_or_else(bad)?;
                if !catalog::attribute_values(kind).contains(&v) {
                    return Err(bad());
                }
                Some((kind, v.to_string()))
            }
            None => None,
        };
        let new_only = match self.new.as_deref() {
            None | Some("") => false,
            Some("on" | "true" | "1") => true,
            Some(_) => return Err(bad()),
        };
        Ok(CatalogFilter { q: self.q.clone().filter(|s| !s.trim().is_empty()), theme, attr, new_only })
    }
}

impl CatalogFilter {
    pub fn matches(&self, c: &Control, l: Lang) -> bool {
        self.theme.is_none_or(|t| c.theme == t)
            && self.attr.as_ref().is_none_or(|(k, v)| c.attributes.values(*k).iter().any(|x| x == v))
            && (!self.new_only || c.new_in_2022)
            && self.q.as_deref().is_none_or(|q| {
                let q = q.trim().to_lowercase();
                c.id == q
                    || c.title.to_lowercase().contains(&q)
                    || c.title_nl.to_lowercase().contains(&q)
                    || c.description_in(l).to_lowercase().contains(&q)
            })
    }
}

fn attr_tags(l: Lang, c: &Control, kinds: &[AttributeKind]) -> Markup {
    html! {
        @for k in kinds {
            @for v in c.attributes.values(*k) {
                span.tag title=(t(l, &k.label_key())) { (t(l, &attribute_value_key(v))) } " "
            }
        }
    }
}

pub fn attr_options(l: Lang) -> Vec<(String, String)> {
    AttributeKind::ALL
        .iter()
        .flat_map(|k| {
            catalog::attribute_values(*k).into_iter().map(move |v| {
                (format!("{}:{v}", k.code()), format!("{}: {}", t(l, &k.label_key()), t(l, &attribute_value_key(v))))
            })
        })
        .collect()
}

pub async fn list(o: OrgPage, Query(p): Query<CatalogParams>) -> WebResult {
    let l = o.lang();
    let f = p.filter()?;
    let base = format!("{}/catalog", o.base());
    let shown: Vec<&Control> = catalog::controls().iter().filter(|c| f.matches(c, l)).collect();
    let themes: Vec<(String, String)> =
        Theme::ALL.iter().map(|t2| (t2.code().to_string(), t(l, t2.label_key()).to_string())).collect();
    let none = FieldErrors::default();
    Ok(html(layout::org(
        &o,
        "catalog",
        t(l, "catalog.title"),
        html! {
            div.page-head {
                h1 { (t(l, "catalog.title")) }
                a.button href={(base) "/2013"} { (t(l, "catalog.mapping_2013")) }
            }
            p.muted { (t(l, "catalog.intro")) }
            form.filters method="get" action=(base) role="search" {
                (text_field(l, &none, "q", t(l, "list.search"), p.q.as_deref(), false, "search"))
                (select(l, &none, "theme", t(l, "catalog.theme"), &themes, p.theme.as_deref(), false))
                (select(l, &none, "attr", t(l, "catalog.attribute"), &attr_options(l), p.attr.as_deref(), false))
                (layout::checkbox(l, &none, "new", t(l, "catalog.new_only"), f.new_only))
                button type="submit" { (t(l, "list.filter")) }
            }
            p.muted { (tf(l, "catalog.count", &[("n", &shown.len().to_string())])) }
            @if shown.is_empty() {
                p.empty { (t(l, "catalog.empty")) }
            } @else {
                table.register {
                    thead { tr {
                        th scope="col" { (t(l, "catalog.control")) }
                        th scope="col" { (t(l, "catalog.theme")) }
                        th scope="col" { (t(l, "catalog.attributes")) }
                        th scope="col" { (t(l, "catalog.predecessors")) }
                    } }
                    tbody {
                        @for c in &shown {
                            tr {
                                td { a href={(base) "/" (c.id)} { strong { (c.id) } " " (c.title_in(l)) }
                                     @if c.new_in_2022 { " " span.badge { (t(l, "catalog.new")) } } }
                                td { (t(l, c.theme.label_key())) }
                                td { (attr_tags(l, c, &[AttributeKind::ControlType, AttributeKind::InfosecProperties])) }
                                td.small { (c.replaces_2013.join(", ")) }
                            }
                        }
                    }
                }
            }
        },
    )))
}

pub async fn show(State(state): State<AppState>, o: OrgPage, Path((_, id)): Path<(String, String)>) -> WebResult {
    let l = o.lang();
    let c = catalog::control(&id).ok_or(WebError::App(AppError::NotFound))?;
    // Members who may read the registers see how the organisation applies it.
    let row = if o.ctx.can(borgen_core::role::Permission::ReadRegisters) {
        Some(state.app.soa_row(&o.ctx, &c.id).await?)
    } else {
        None
    };
    let base = format!("{}/catalog", o.base());
    let preds = catalog::predecessors(&c.id);
    let other = match l {
        Lang::En => &c.title_nl,
        Lang::Nl => &c.title,
    };
    Ok(html(layout::org(
        &o,
        "catalog",
        &format!("{} {}", c.id, c.title_in(l)),
        html! {
            p.crumbs { a href=(base) { (t(l, "catalog.title")) } }
            h1 { (c.id) " " (c.title_in(l)) @if c.new_in_2022 { " " span.badge { (t(l, "catalog.new")) } } }
            p.muted lang=(if l == Lang::En { "nl" } else { "en" }) { (other) }
            dl.details {
                dt { (t(l, "catalog.theme")) } dd { (t(l, c.theme.label_key())) }
                dt { (t(l, "catalog.description")) } dd { (c.description_in(l)) }
                @for k in AttributeKind::ALL {
                    dt { (t(l, &k.label_key())) }
                    dd { (attr_tags(l, c, &[k])) }
                }
            }
            h2 { (t(l, "catalog.predecessors")) }
            @if preds.is_empty() {
                p { (t(l, "catalog.no_predecessors")) }
            } @else {
                ul { @for p in &preds { li { strong { (p.id_2013) } " " (p.title_in(l)) span.muted { " · " (p.domain_in(l)) } } } }
            }
            h2 { (t(l, "catalog.how_applied")) }
            @match &row {
                Some(r) => {
                    div.card {
                        p {
                            (t(l, "soa.applicable")) ": " strong { (crate::tables::applicability_label(l, r.applicable)) }
                            @if r.applicable.is_some() { " · " (t(l, "soa.status")) ": " (t(l, r.status.label_key())) }
                        }
                        @if !r.applied_controls.is_empty() {
                            p { (t(l, "soa.applied_controls")) ": "
                                @for a in &r.applied_controls { a href={(o.base()) "/soa/applied/" (a.id)} { (a.name) } " " } }
                        }
                        p { a.button href={(o.base()) "/soa/" (c.id)} { (t(l, "catalog.open_soa_row")) } }
                    }
                }
                None => { div.card.pending { p { (t(l, "catalog.how_applied_hidden")) } } }
            }
        },
    )))
}

pub async fn mapping(o: OrgPage) -> WebResult {
    let l = o.lang();
    let base = format!("{}/catalog", o.base());
    Ok(html(layout::org(
        &o,
        "catalog",
        t(l, "catalog.mapping_2013"),
        html! {
            p.crumbs { a href=(base) { (t(l, "catalog.title")) } }
            h1 { (t(l, "catalog.mapping_2013")) }
            p.muted { (t(l, "catalog.mapping_intro")) }
            table.register {
                thead { tr {
                    th scope="col" { (t(l, "catalog.id_2013")) }
                    th scope="col" { (t(l, "catalog.domain_2013")) }
                    th scope="col" { (t(l, "catalog.successors")) }
                } }
                tbody {
                    @for m in catalog::controls_2013() {
                        tr {
                            td { strong { (m.id_2013) } " " (m.title_in(l)) }
                            td.small { (m.domain_in(l)) }
                            td {
                                @for id in &m.maps_to_2022 {
                                    @let title = catalog::control(id).map(|c| c.title_in(l)).unwrap_or("");
                                    a href={(base) "/" (id)} title=(title) { (id) } " "
                                }
                            }
                        }
                    }
                }
            }
        },
    )))
}
