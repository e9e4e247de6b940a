//! The Statement of Applicability: the 93-row table with filters and
//! progress, a row's form, versions (issue, approve, compare), the printable
//! document and the exports.

use super::trail::history_section;
use super::{Done, html, html_status, see_other};
use crate::ctx::{Form, OrgPage, Query, client_of};
use crate::error::{WebError, WebResult, problem_text};
use crate::layout::{self, csrf, notice, select, text_field, textarea};
use crate::state::AppState;
use crate::tables::{self, applicability_label};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use borgen_app::AppError;
use borgen_app::templates::ScopeInForce;
use borgen_app::totp::StepUp;
use borgen_core::catalog::{self, AttributeKind, Theme};
use borgen_core::i18n::{t, tf, tn};
use borgen_core::ids::{RequirementId, UserId};
use borgen_core::registers::{INTERESTED_PARTIES, REQUIREMENTS};
use borgen_core::role::Permission;
use borgen_core::soa::*;
use borgen_core::{FieldErrors, Lang};
use borgen_store::orgs::{Member, Org};
use borgen_store::soa::VersionRow;
use maud::{Markup, html};

/// Filters of the SoA table (HTML and API).
#[derive(Clone, Debug, Default, serde::Deserialize, serde::Serialize)]
#[serde(default)]
pub struct SoaParams {
    pub q: Option<String>,
    pub theme: Option<String>,
    /// yes, no or undecided
    pub applicable: Option<String>,
    pub status: Option<String>,
    pub owner: Option<String>,
    pub attr: Option<String>,
}

impl SoaParams {
    /// The rows that pass the filters; 400 for a value that is not one of ours.
    pub fn apply(&self, rows: Vec<SoaRow>, l: Lang) -> Result<Vec<SoaRow>, WebError> {
        let bad = || WebError::Status(StatusCode::BAD_REQUEST, "error.bad_filter");
        let theme = match self.theme.as_deref().filter(|s| !s.is_empty()) {
            Some(s) => Some(Theme::parse(s).ok_or_else(bad)?),
            None => None,
        };
        let applicable = match self.applicable.as_deref().filter(|s| !s.is_empty()) {
            None => None,
            Some("yes") => Some(Some(true)),
            Some("no") => Some(Some(false)),
            Some("undecided") => Some(None),
            Some(_) => return Err(bad()),
        };
        let status = match self.status.as_deref().filter(|s| !s.is_empty()) {
            Some(s) => Some(ImplStatus::parse(s).ok_or_else(bad)?),
            None => None,
        };
        let owner = match self.owner.as_deref().filter(|s| !s.is_empty()) {
            Some(s) => Some(UserId::parse(s).ok_or_else(bad)?),
            None => None,
        };
        let attr = match self.attr.as_deref().filter(|s| !s.is_empty()) {
            Some(s) => {
                let (k, v) = s.split_once(':').ok_or_else(bad)?;
                Some((AttributeKind::parse(k).ok_or_else(bad)?, v.to_string()))
            }
            None => None,
        };
        let q = self.q.as_deref().map(|s| s.trim().to_lowercase()).filter(|s| !s.is_empty());
        Ok(rows
            .into_iter()
            .filter(|r| {
                let Some(c) = catalog::control(&r.control_id) else { return false };
                theme.is_none_or(|t| c.theme == t)
                    && applicable.is_none_or(|a| r.applicable == a)
                    && status.is_none_or(|s| r.applicable.is_some() && r.status == s)
                    && owner.is_none_or(|o| r.owner_id == Some(o))
                    && attr.as_ref().is_none_or(|(k, v)| c.attributes.values(*k).iter().any(|x| x == v))
                    && q.as_deref().is_none_or(|q| {
                        c.id == q || c.title.to_lowercase().contains(q) || c.title_in(l).to_lowercase().contains(q)
                    })
            })
            .collect())
    }

    pub fn query_string(&self) -> String {
        serde_urlencoded::to_string(self).unwrap_or_default()
    }
}

fn status_options(l: Lang) -> Vec<(String, String)> {
    ImplStatus::ALL.iter().map(|s| (s.code().to_string(), t(l, s.label_key()).to_string())).collect()
}

fn owner_options(members: &[Member]) -> Vec<(String, String)> {
    super::owner_options(members)
}

/// A horizontal bar of the row counts, as SVG (no script, no inline style).
pub fn progress_chart(l: Lang, p: &Progress) -> Markup {
    let total = p.total.max(1) as f64;
    let parts = [
        (p.implemented, "#2e7d4f", "impl_status.implemented"),
        (p.partial, "#7fb069", "impl_status.partial"),
        (p.planned, "#e0b341", "impl_status.planned"),
        (p.not_started, "#d77a61", "impl_status.not_started"),
        (p.excluded, "#8c96a3", "soa.excluded"),
        (p.undecided, "#d9dee5", "soa.undecided"),
    ];
    let mut x = 0.0;
    let segments: Vec<(f64, f64, usize, &str, &str)> = parts
        .iter()
        .map(|&(n, colour, key)| {
            let w = n as f64 / total * 600.0;
            let seg = (x, w, n, colour, key);
            x += w;
            seg
        })
        .collect();
    html! {
        figure.chart {
            svg viewBox="0 0 600 28" width="100%" height="28" role="img" aria-label=(t(l, "soa.chart_label")) {
                @for (x, w, n, colour, key) in &segments {
                    @if *n > 0 {
                        rect x=(format!("{x:.1}")) y="0" width=(format!("{w:.1}")) height="28" fill=(colour) { title { (t(l, key)) ": " (n) } }
                    }
                }
            }
            figcaption.legend {
                @for (n, colour, key) in parts {
                    span.legend-item {
                        svg width="12" height="12" aria-hidden="true" { rect width="12" height="12" fill=(colour) {} }
                        " " (t(l, key)) " " strong { (n) }
                    }
                }
            }
        }
    }
}

/// The SoA rows as a table (draft or version).
fn rows_table(l: Lang, base: &str, rows: &[SoaRow], link_rows: bool) -> Markup {
    html! {
        table.register.soa {
            thead { tr {
                th scope="col" { (t(l, "catalog.control")) }
                th scope="col" { (t(l, "soa.applicable")) }
                th scope="col" { (t(l, "soa.reasons_or_justification")) }
                th scope="col" { (t(l, "soa.status")) }
                th scope="col" { (t(l, "field.owner")) }
            } }
            tbody {
                @for r in rows {
                    @let c = catalog::control(&r.control_id);
                    tr.undecided[r.applicable.is_none()] {
                        td {
                            @if link_rows { a href={(base) "/" (r.control_id)} { strong { (r.control_id) } } } @else { strong { (r.control_id) } }
                            " " (c.map(|c| c.title_in(l)).unwrap_or(""))
                        }
                        td { span class={"app app-" (match r.applicable { None => "undecided", Some(true) => "yes", Some(false) => "no" })} { (applicability_label(l, r.applicable)) } }
                        td.small {
                            @match r.applicable {
                                Some(false) => { (r.exclusion_justification.clone().unwrap_or_default()) }
                                _ => {
                                    @for reason in &r.reasons { span.tag { (t(l, reason.label_key())) } " " }
                                    @if let Some(n) = &r.inclusion_note { br; (n) }
                                }
                            }
                        }
                        td { @if r.applicable.is_some() { (t(l, r.status.label_key())) } }
                        td { (r.owner_name.clone().unwrap_or_default()) }
                    }
                }
            }
        }
    }
}

pub async fn table(
    State(state): State<AppState>,
    o: OrgPage,
    Query(p): Query<SoaParams>,
    Query(done): Query<Done>,
) -> WebResult {
    let l = o.lang();
    let all = state.app.soa_rows(&o.ctx).await?;
    let prog = progress(&all);
    let rows = p.apply(all.clone(), l)?;
    let members = state.app.members(&o.ctx.actor, &o.ctx.org.slug).await?;
    let approved = state.app.last_approved_soa(&o.ctx).await?;
    let changed = match &approved {
        Some(v) => Some(diff(&v.rows()?, &all).len()),
        None => None,
    };
    let base = format!("{}/soa", o.base());
    let none = FieldErrors::default();
    let themes: Vec<(String, String)> =
        Theme::ALL.iter().map(|x| (x.code().to_string(), t(l, x.label_key()).to_string())).collect();
    let app_opts = vec![
        ("yes".to_string(), t(l, "common.yes").to_string()),
        ("no".to_string(), t(l, "common.no").to_string()),
        ("undecided".to_string(), t(l, "soa.undecided").to_string()),
    ];
    let qs = p.query_string();
    Ok(html(layout::org(
        &o,
        "soa",
        t(l, "soa.title"),
        html! {
            div.page-head {
                h1 { (t(l, "soa.title")) }
                div.actions {
                    a.button href={(base) "/versions"} { (t(l, "soa.versions")) }
                    a.button href={(base) "/applied"} { (t(l, "applied.title")) }
                    a.button href={(base) "/print"} { (t(l, "soa.print")) }
                    @if o.ctx.can(Permission::ManageIsms) { a.button href={(base) "/import"} { (t(l, "soa.import")) } }
                }
            }
            p.muted { (t(l, "soa.intro")) }
            (notice(l, done.done.as_deref()))
            section.card {
                p {
                    (tf(l, "soa.progress", &[
                        ("applicable", &prog.applicable.to_string()),
                        ("implemented", &prog.implemented.to_string()),
                        ("excluded", &prog.excluded.to_string()),
                        ("undecided", &prog.undecided.to_string()),
                    ]))
                }
                (progress_chart(l, &prog))
                p.small {
                    @match (&approved, changed) {
                        (Some(v), Some(n)) => {
                            (tn(l, "soa.since_approved", n, &[("version", &v.number.to_string())]))
                            " " a href={(base) "/diff?from=" (v.number)} { (t(l, "soa.show_changes")) }
                        }
                        _ => { (t(l, "soa.none_approved")) }
                    }
                }
            }
            form.filters method="get" action=(base) role="search" {
                (text_field(l, &none, "q", t(l, "list.search"), p.q.as_deref(), false, "search"))
                (select(l, &none, "theme", t(l, "catalog.theme"), &themes, p.theme.as_deref(), false))
                (select(l, &none, "applicable", t(l, "soa.applicable"), &app_opts, p.applicable.as_deref(), false))
                (select(l, &none, "status", t(l, "soa.status"), &status_options(l), p.status.as_deref(), false))
                (select(l, &none, "owner", t(l, "field.owner"), &owner_options(&members), p.owner.as_deref(), false))
                (select(l, &none, "attr", t(l, "catalog.attribute"), &super::catalog::attr_options(l), p.attr.as_deref(), false))
                button type="submit" { (t(l, "list.filter")) }
            }
            p.muted { (tf(l, "catalog.count", &[("n", &rows.len().to_string())])) }
            (rows_table(l, &base, &rows, true))
            p.exports {
                (t(l, "list.export")) ": "
                a href={(base) "/export/xlsx?" (qs)} download { "XLSX" } " · "
                a href={(base) "/export/csv?" (qs)} download { "CSV" } " · "
                a href={(base) "/export/md?" (qs)} download { "Markdown" } " · "
                a href={(base) "/export/pdf?" (qs)} download { "PDF" }
            }
        },
    )))
}

#[derive(Clone, Debug, Default)]
struct RowFormValues {
    form: SoaEntryForm,
    requirement_ids: Vec<String>,
}

fn values_of(r: &SoaRow) -> RowFormValues {
    let manual: Vec<&Reason> = r.reasons.iter().filter(|x| !r.derived_reasons.contains(x)).collect();
    let flag = |x: Reason| manual.contains(&&x).then(|| "on".to_string());
    RowFormValues {
        form: SoaEntryForm {
            applicable: Some(match r.applicable {
                None => String::new(),
                Some(true) => "yes".into(),
                Some(false) => "no".into(),
            }),
            reason_risk_treatment: flag(Reason::RiskTreatment),
            reason_legal: flag(Reason::Legal),
            reason_contractual: flag(Reason::Contractual),
            reason_business: flag(Reason::Business),
            inclusion_note: r.inclusion_note.clone(),
            exclusion_justification: r.exclusion_justification.clone(),
            status: if r.status_derived || r.applicable != Some(true) {
                None
            } else {
                Some(r.status.code().to_string())
            },
            owner_id: r.owner_id.map(|u| u.to_string()),
            ..Default::default()
        },
        requirement_ids: r.requirements.iter().map(|q| q.id.clone()).collect(),
    }
}

#[allow(clippy::too_many_arguments)]
fn row_page(
    o: &OrgPage,
    r: &SoaRow,
    v: &RowFormValues,
    errs: &FieldErrors,
    members: &[Member],
    parties: &[borgen_app::register::Held],
    history: &[borgen_store::audit::EventRow],
    done: Option<&str>,
) -> Markup {
    let l = o.lang();
    let base = format!("{}/soa", o.base());
    let c = catalog::control(&r.control_id);
    let title = format!("{} {}", r.control_id, c.map(|c| c.title_in(l)).unwrap_or(""));
    let can_edit = o.ctx.can_edit_owned(r.owner_id);
    let f = &v.form;
    let app = f.applicable.as_deref().unwrap_or("");
    let checked = |x: &Option<String>| matches!(x.as_deref(), Some("on"));
    layout::org(
        o,
        "soa",
        &title,
        html! {
            p.crumbs { a href=(base) { (t(l, "soa.title")) } " · " a href={(o.base()) "/catalog/" (r.control_id)} { (t(l, "catalog.title")) } }
            h1 { (title) }
            @if let Some(c) = c { p.muted { (c.description_in(l)) } }
            (notice(l, done))
            dl.details {
                dt { (t(l, "soa.applicable")) } dd { (applicability_label(l, r.applicable)) }
                dt { (t(l, "soa.reasons")) } dd {
                    @for reason in &r.reasons {
                        span.tag { (t(l, reason.label_key())) }
                        @if r.derived_reasons.contains(reason) {
                            " " span.small.muted { "(" (t(l, if *reason == Reason::RiskTreatment { "soa.derived_risk" } else { "soa.derived" })) ")" }
                        } " "
                    }
                }
                dt { (t(l, "soa.risks")) } dd {
                    @if r.risks.is_empty() { "—" }
                    @for x in &r.risks { a href={(o.base()) "/risks?q=" (x.split(' ').next().unwrap_or(""))} { (x) } br; }
                }
                dt { (t(l, "soa.status")) } dd {
                    @if r.applicable.is_some() { (t(l, r.status.label_key())) }
                    @if r.status_derived { " " span.small.muted { "(" (t(l, "soa.status_from_applied")) ")" } }
                }
                dt { (t(l, "soa.applied_controls")) } dd {
                    @if r.applied_controls.is_empty() { "—" }
                    @for a in &r.applied_controls { a href={(base) "/applied/" (a.id)} { (a.name) } " (" (t(l, a.status.label_key())) ") " }
                    @if o.ctx.can(Permission::ManageIsms) {
                        " " a.button.small href={(base) "/applied/new?status=planned&control_ids=" (r.control_id)} { (t(l, "applied.new")) }
                    }
                }
                dt { (t(l, "soa.requirements")) } dd {
                    @if r.requirements.is_empty() { "—" }
                    @for q in &r.requirements { (q.party) ": " (q.title) br; }
                }
            }
            @if can_edit {
                (layout::error_summary(l, errs))
                form.card method="post" action={(base) "/" (r.control_id)} novalidate {
                    (csrf(&o.page))
                    fieldset.field.invalid[errs.for_field("applicable").is_some()] #applicable {
                        legend { (t(l, "soa.applicable")) }
                        @for (value, key) in [("", "soa.undecided"), ("yes", "soa.applicable_yes"), ("no", "soa.applicable_no")] {
                            label.radio { input type="radio" name="applicable" value=(value) checked[app == value]; " " (t(l, key)) }
                        }
                        @if let Some(k) = errs.for_field("applicable") { p.field-error { (t(l, k)) } }
                    }
                    fieldset.field.invalid[errs.for_field("reasons").is_some()] #reasons {
                        legend { (t(l, "soa.reasons_for_inclusion")) }
                        p.hint { (t(l, "soa.reasons_hint")) }
                        @for (name, reason, val) in [("reason_risk_treatment", Reason::RiskTreatment, &f.reason_risk_treatment), ("reason_legal", Reason::Legal, &f.reason_legal), ("reason_contractual", Reason::Contractual, &f.reason_contractual), ("reason_business", Reason::Business, &f.reason_business)] {
                            label.radio { input type="checkbox" name=(name) checked[checked(val)]; " " (t(l, reason.label_key())) }
                        }
                        @if let Some(k) = errs.for_field("reasons") { p.field-error { (t(l, k)) } }
                    }
                    (textarea(l, errs, "inclusion_note", t(l, "soa.inclusion_note"), f.inclusion_note.as_deref(), None))
                    (textarea(l, errs, "exclusion_justification", t(l, "soa.exclusion_justification"), f.exclusion_justification.as_deref(), Some(t(l, "soa.exclusion_hint"))))
                    fieldset.field #requirement_ids {
                        legend { (t(l, "soa.requirements")) }
                        p.hint { (t(l, "soa.requirements_hint")) }
                        @if parties.iter().all(|p| reqs(p).is_empty()) { p.empty { (t(l, "soa.no_requirements")) } }
                        @for p in parties {
                            @for q in reqs(p) {
                                @let kind = REQUIREMENTS.field("req_type").zip(q.rec.values.get(REQUIREMENTS.index("req_type").unwrap_or(0)));
                                label.radio {
                                    input type="checkbox" name="requirement_id" value=(q.rec.id) checked[v.requirement_ids.contains(&q.rec.id.to_string())];
                                    " " (INTERESTED_PARTIES.title_of(&p.rec)) ": " (REQUIREMENTS.title_of(&q.rec)) " "
                                    @if let Some((f, v)) = kind { span.tag { (crate::register::display(l, f, v, &Default::default())) } }
                                }
                            }
                        }
                    }
                    div.row {
                        (select(l, errs, "status", t(l, "soa.status"), &status_options(l), f.status.as_deref(), false))
                        (select(l, errs, "owner_id", t(l, "field.owner"), &owner_options(members), f.owner_id.as_deref(), false))
                    }
                    p.hint { (t(l, "soa.status_hint")) }
                    div.actions {
                        button.primary type="submit" { (t(l, "common.save")) }
                        a href=(base) { (t(l, "common.cancel")) }
                    }
                }
            }
            (history_section(l, &o.ctx.org.time_zone, history, &crate::register::Names::of(members)))
        },
    )
}

/// The current requirements of an interested party.
fn reqs(p: &borgen_app::register::Held) -> Vec<&borgen_app::register::Held> {
    p.children.iter().flat_map(|k| k.items.iter().filter(|q| !q.rec.archived)).collect()
}

fn control_of(id: &str) -> Result<&'static str, WebError> {
    catalog::control(id).map(|c| c.id.as_str()).ok_or(WebError::App(AppError::NotFound))
}

/// The current interested parties with their requirements, to link.
async fn live_parties(state: &AppState, o: &OrgPage) -> Result<Vec<borgen_app::register::Held>, WebError> {
    let q = crate::register::list_query(&INTERESTED_PARTIES, &Default::default())?;
    let q = borgen_core::register::ListQuery { per_page: borgen_core::register::EXPORT_MAX, ..q };
    Ok(state.app.reg_list(&o.ctx, &INTERESTED_PARTIES, &q).await?.0)
}

pub async fn row(
    State(state): State<AppState>,
    o: OrgPage,
    Path((_, id)): Path<(String, String)>,
    Query(done): Query<Done>,
) -> WebResult {
    let id = control_of(&id)?;
    let r = state.app.soa_row(&o.ctx, id).await?;
    let members = state.app.members(&o.ctx.actor, &o.ctx.org.slug).await?;
    let parties = live_parties(&state, &o).await?;
    let history = state.app.history(&o.ctx, id).await?;
    Ok(html(row_page(
        &o,
        &r,
        &values_of(&r),
        &FieldErrors::default(),
        &members,
        &parties,
        &history,
        done.done.as_deref(),
    )))
}

/// Turns the posted pairs into the form (checkbox lists repeat a key).
fn form_from_pairs(pairs: &[(String, String)]) -> RowFormValues {
    let get = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    RowFormValues {
        form: SoaEntryForm {
            applicable: get("applicable"),
            reason_risk_treatment: get("reason_risk_treatment"),
            reason_legal: get("reason_legal"),
            reason_contractual: get("reason_contractual"),
            reason_business: get("reason_business"),
            inclusion_note: get("inclusion_note"),
            exclusion_justification: get("exclusion_justification"),
            status: get("status"),
            owner_id: get("owner_id"),
            ..Default::default()
        },
        requirement_ids: pairs.iter().filter(|(n, _)| n == "requirement_id").map(|(_, v)| v.clone()).collect(),
    }
}

/// Parses requirement ids; a malformed one is a field error.
pub fn requirement_ids(raw: &[String]) -> Result<Vec<RequirementId>, FieldErrors> {
    let mut out = Vec::new();
    for s in raw {
        match RequirementId::parse(s) {
            Some(id) => out.push(id),
            None => {
                let mut e = FieldErrors::default();
                e.add("requirement_ids", "error.unknown_requirement");
                return Err(e);
            }
        }
    }
    Ok(out)
}

pub async fn update_row(
    State(state): State<AppState>,
    o: OrgPage,
    Path((_, id)): Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> WebResult {
    let id = control_of(&id)?;
    let v = form_from_pairs(&pairs);
    let before = state.app.soa_row(&o.ctx, id).await?;
    if !o.ctx.can_edit_owned(before.owner_id) {
        return Err(AppError::Forbidden.into());
    }
    let result = match (v.form.parse(), requirement_ids(&v.requirement_ids)) {
        (Ok(input), Ok(reqs)) => state.app.update_soa_row(&o.ctx, id, input, reqs).await,
        (Err(e), _) | (_, Err(e)) => Err(AppError::Invalid(e)),
    };
    match result {
        Ok(_) => Ok(see_other(&format!("{}/soa/{id}?done=saved", o.base()))),
        Err(AppError::Invalid(errs)) => {
            let members = state.app.members(&o.ctx.actor, &o.ctx.org.slug).await?;
            let parties = live_parties(&state, &o).await?;
            let history = state.app.history(&o.ctx, id).await?;
            Ok(html_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                row_page(&o, &before, &v, &errs, &members, &parties, &history, None),
            ))
        }
        Err(e) => Err(e.into()),
    }
}

fn version_state(l: Lang, zone: &str, v: &VersionRow) -> Markup {
    html! {
        @match &v.approved_at {
            Some(at) => { span.ok { "✓ " (tf(l, "soa.approved_by", &[("who", &layout::approver(l, v.approved_by_label.as_deref().unwrap_or(""))), ("when", &layout::when(zone, at))])) } }
            None => { span.warn { (t(l, "soa.awaiting_approval")) } }
        }
    }
}

pub async fn versions(State(state): State<AppState>, o: OrgPage, Query(done): Query<Done>) -> WebResult {
    let l = o.lang();
    let list = state.app.soa_versions(&o.ctx).await?;
    let gaps = state.app.soa_gaps(&o.ctx).await?;
    let base = format!("{}/soa", o.base());
    Ok(html(layout::org(
        &o,
        "soa",
        t(l, "soa.versions"),
        html! {
            p.crumbs { a href=(base) { (t(l, "soa.title")) } }
            h1 { (t(l, "soa.versions")) }
            p.muted { (t(l, "soa.versions_intro")) }
            (notice(l, done.done.as_deref()))
            @if !gaps.is_empty() {
                section.card.gaps #gaps {
                    h2 { (tn(l, "soa.gaps", gaps.len(), &[])) }
                    p { (t(l, "soa.gaps_intro")) }
                    @if o.ctx.can(Permission::ManageIsms) && gaps.len() > 10 {
                        p { a href={(base) "/import"} { (t(l, "soa.gaps_import")) } }
                    }
                    ul { @for g in &gaps { li { a href={(base) "/" (g.control_id)} { (problem_text(l, &g.problem())) } } } }
                }
            } @else if o.ctx.can(Permission::ManageIsms) {
                form.card method="post" action={(base) "/versions"} {
                    (csrf(&o.page))
                    (textarea(l, &FieldErrors::default(), "note", t(l, "soa.version_note"), None, Some(t(l, "soa.version_note_hint"))))
                    button.primary type="submit" { (t(l, "soa.issue")) }
                }
            }
            @if list.is_empty() {
                p.empty { (t(l, "soa.no_versions")) }
            } @else {
                @let rows: Vec<_> = list.iter().map(|v| (v, Vec::new(), version_state(l, &o.ctx.org.time_zone, v))).collect();
                (layout::versions_table(&o, &base, &[], &rows))
            }
        },
    )))
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct NoteForm {
    pub note: Option<String>,
    pub comment: Option<String>,
    /// The second-factor code of an approver who has one.
    pub code: Option<String>,
}

pub async fn issue(State(state): State<AppState>, o: OrgPage, Form(f): Form<NoteForm>) -> WebResult {
    let n = state.app.issue_soa_version(&o.ctx, f.note.as_deref()).await?;
    Ok(see_other(&format!("{}/soa/versions/{n}?done=created", o.base())))
}

use crate::ctx::version_number as number;

pub async fn version(
    State(state): State<AppState>,
    o: OrgPage,
    Path((_, n)): Path<(String, String)>,
    Query(done): Query<Done>,
) -> WebResult {
    Ok(html(version_page(&state, &o, number(&n)?, done.done.as_deref(), &FieldErrors::default()).await?))
}

/// A version's page; `errs` are those of the approval form.
async fn version_page(
    state: &AppState,
    o: &OrgPage,
    n: i64,
    done: Option<&str>,
    errs: &FieldErrors,
) -> WebResult<maud::Markup> {
    let l = o.lang();
    let v = state.app.soa_version(&o.ctx, n).await?;
    let rows = v.rows()?;
    let prog = progress(&rows);
    let frozen_gaps = gaps(&rows);
    let base = format!("{}/soa", o.base());
    Ok(layout::org(
        o,
        "soa",
        &format!("{} {}", t(l, "soa.version"), v.number),
        html! {
            p.crumbs { a href=(base) { (t(l, "soa.title")) } " · " a href={(base) "/versions"} { (t(l, "soa.versions")) } }
            div.page-head {
                h1 { (t(l, "soa.short")) " — " (t(l, "soa.version")) " " (v.number) }
                div.actions {
                    a.button href={(base) "/print?version=" (v.number)} { (t(l, "soa.print")) }
                    @if v.number > 1 { a.button href={(base) "/diff?from=" (v.number - 1) "&to=" (v.number)} { (t(l, "soa.compare_previous")) } }
                }
            }
            (notice(l, done))
            div.card #approval {
                p { (t(l, "soa.issued")) ": " (layout::when(&o.ctx.org.time_zone, &v.issued_at)) " · " (layout::actor(l, &v.issued_by_label, v.issued_by.is_some())) }
                p { (version_state(l, &o.ctx.org.time_zone, &v)) }
                @if let Some(c) = &v.approval_comment { p { (t(l, "soa.approval_comment")) ": " (c) } }
                @if let Some(n) = &v.note { p { (t(l, "soa.version_note")) ": " (n) } }
                p.small.muted { (t(l, "soa.frozen")) }
                @if v.approved_at.is_none() && !frozen_gaps.is_empty() {
                    // Frozen before the gate existed: it cannot be approved.
                    p.warn { (t(l, "error.version_gaps")) }
                    ul.problems { @for g in &frozen_gaps { li { (problem_text(l, &g.problem())) } } }
                } @else if v.approved_at.is_none() && o.ctx.can(Permission::Approve) {
                    (layout::approval_form(o, errs, &format!("{base}/versions/{}/approve", v.number), t(l, "soa.approval_comment"), t(l, "soa.approve")))
                }
            }
            (progress_chart(l, &prog))
            (rows_table(l, &base, &rows, false))
            p.exports {
                (t(l, "list.export")) ": "
                a href={(base) "/export/xlsx?version=" (v.number)} download { "XLSX" } " · "
                a href={(base) "/export/csv?version=" (v.number)} download { "CSV" } " · "
                a href={(base) "/export/md?version=" (v.number)} download { "Markdown" } " · "
                a href={(base) "/export/pdf?version=" (v.number)} download { "PDF" }
            }
        },
    ))
}

pub async fn approve(
    State(state): State<AppState>,
    o: OrgPage,
    parts: Parts,
    Path((_, n)): Path<(String, String)>,
    Form(f): Form<NoteForm>,
) -> WebResult {
    let n = number(&n)?;
    let step = StepUp::new(f.code.as_deref(), client_of(&state, &parts));
    match state.app.approve_version(&o.ctx, &borgen_core::version::SOA_VERSIONS, n, f.comment.as_deref(), &step).await {
        Ok(()) => Ok(see_other(&format!("{}/soa/versions/{n}?done=saved", o.base()))),
        Err(AppError::Invalid(errs)) => {
            Ok(html_status(StatusCode::UNPROCESSABLE_ENTITY, version_page(&state, &o, n, None, &errs).await?))
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct DiffParams {
    pub from: Option<String>,
    pub to: Option<String>,
    pub version: Option<String>,
}

/// Rows of a version number, or the current draft for `None`/"draft".
pub async fn rows_of(
    state: &AppState,
    ctx: &borgen_app::OrgCtx,
    which: Option<&str>,
) -> Result<(Vec<SoaRow>, Option<VersionRow>), WebError> {
    match which.filter(|s| !s.is_empty() && *s != "draft") {
        None => Ok((state.app.soa_rows(ctx).await?, None)),
        Some(n) => {
            let n = n.parse::<i64>().map_err(|_| WebError::Status(StatusCode::BAD_REQUEST, "error.bad_filter"))?;
            let v = state.app.soa_version(ctx, n).await?;
            Ok((v.rows()?, Some(v)))
        }
    }
}

pub async fn compare(State(state): State<AppState>, o: OrgPage, Query(p): Query<DiffParams>) -> WebResult {
    let l = o.lang();
    let base = format!("{}/soa", o.base());
    let from_default = state.app.last_approved_soa(&o.ctx).await?.map(|v| v.number.to_string());
    let from = p.from.clone().or(from_default).ok_or(WebError::Status(StatusCode::NOT_FOUND, "soa.none_approved"))?;
    let (a, _) = rows_of(&state, &o.ctx, Some(&from)).await?;
    let (b, _) = rows_of(&state, &o.ctx, p.to.as_deref()).await?;
    let changes = diff(&a, &b);
    let to_label = match p.to.as_deref().filter(|s| !s.is_empty() && *s != "draft") {
        Some(n) => format!("{} {n}", t(l, "soa.version")),
        None => t(l, "soa.draft").to_string(),
    };
    Ok(html(layout::org(
        &o,
        "soa",
        t(l, "soa.changes"),
        html! {
            p.crumbs { a href=(base) { (t(l, "soa.title")) } }
            h1 { (t(l, "soa.changes")) }
            p { (t(l, "soa.version")) " " (from) " → " (to_label) ": " (tn(l, "soa.changed_rows", changes.len(), &[])) }
            @if changes.is_empty() { p.empty { (t(l, "soa.no_changes")) } }
            @else {
                table.register {
                    thead { tr { th { (t(l, "catalog.control")) } th { (t(l, "audit.changes")) } } }
                    tbody {
                        @for (id, fields) in &changes {
                            tr {
                                td { strong { (id) } " " (catalog::control(id).map(|c| c.title_in(l)).unwrap_or("")) }
                                td { ul.changes { @for f in fields { li { (t(l, &format!("soa.field.{}", f.field))) ": " del { (f.before) } " → " ins { (f.after) } } } } }
                            }
                        }
                    }
                }
            }
        },
    )))
}

/// The printable SoA: a document for the auditor (use the browser's print).
pub async fn print(State(state): State<AppState>, o: OrgPage, Query(p): Query<DiffParams>) -> WebResult {
    let l = o.lang();
    let (rows, v) = rows_of(&state, &o.ctx, p.version.as_deref()).await?;
    let prog = progress(&rows);
    let scope = state.app.scope_in_force(&o.ctx, v.as_ref().map(|v| v.issued_at.as_str())).await?;
    Ok(html(layout::org(
        &o,
        "soa",
        t(l, "soa.short"),
        html! {
            article.print-doc {
                h1 { (t(l, "soa.title")) }
                dl.details {
                    dt { (t(l, "soa.organisation")) } dd { (o.ctx.org.name) }
                    dt { (t(l, "soa.version")) } dd { @match &v { Some(v) => { (v.number) }, None => { (t(l, "soa.draft")) } } }
                    dt { (t(l, "soa.approval")) } dd { @match &v { Some(v) => { (version_state(l, &o.ctx.org.time_zone, v)) }, None => { (t(l, "soa.draft_not_approved")) } } }
                    dt { (t(l, "soa.standard")) } dd { "ISO/IEC 27001:2022, " (t(l, "soa.annex_a")) }
                    dt { (t(l, "soa.scope")) } dd { (scope_reference(l, &o.ctx.org.time_zone, scope.as_ref())) }
                    dt { (t(l, "soa.summary")) } dd { (tf(l, "soa.progress", &[("applicable", &prog.applicable.to_string()), ("implemented", &prog.implemented.to_string()), ("excluded", &prog.excluded.to_string()), ("undecided", &prog.undecided.to_string())])) }
                }
                @if let Some(sc) = &scope {
                    section #scope {
                        h2 { (t(l, "soa.scope")) }
                        article.doc-text { (maud::PreEscaped(crate::markdown::to_html(&scope_markdown(l, sc)))) }
                    }
                }
                @for theme in Theme::ALL {
                    h2 { (t(l, theme.label_key())) }
                    @let part: Vec<SoaRow> = rows.iter().filter(|r| catalog::control(&r.control_id).is_some_and(|c| c.theme == theme)).cloned().collect();
                    (rows_table(l, "", &part, false))
                }
            }
        },
    )))
}

pub async fn export(
    State(state): State<AppState>,
    o: OrgPage,
    Path((_, format)): Path<(String, String)>,
    Query(p): Query<DiffParams>,
    Query(f): Query<SoaParams>,
) -> WebResult {
    let l = o.lang();
    let (rows, v) = rows_of(&state, &o.ctx, p.version.as_deref()).await?;
    let rows = f.apply(rows, l)?;
    let scope = state.app.scope_in_force(&o.ctx, v.as_ref().map(|v| v.issued_at.as_str())).await?;
    export_rows(&state.app, l, &o.ctx.org, rows, v, scope, &format).await
}

/// The version number (or "current draft") and who approved it (or "not
/// approved"), as a document's front matter says them.
fn version_and_approval(l: Lang, zone: &str, v: Option<&VersionRow>) -> (String, String) {
    let number = match v {
        Some(v) => v.number.to_string(),
        None => t(l, "soa.draft").to_string(),
    };
    let approval = match v.and_then(|v| v.approved_at.as_ref().map(|a| (a, v))) {
        Some((at, v)) => tf(
            l,
            "soa.approved_by",
            &[
                ("who", &layout::approver(l, v.approved_by_label.as_deref().unwrap_or(""))),
                ("when", &layout::when(zone, at)),
            ],
        ),
        None => t(l, "soa.draft_not_approved").to_string(),
    };
    (number, approval)
}

/// The scope in force as one Markdown text: its parts, then its statement
/// with its headings moved under them.
fn scope_markdown(l: Lang, s: &ScopeInForce) -> String {
    let parts = s.parts.as_ref().map(|p| crate::views::scope::markdown(l, p)).unwrap_or_default();
    format!("{parts}{}", borgen_core::templates::nested(&s.text))
}

/// Which scope statement is in force: "ISMS-001 Toepassingsgebied, version
/// 2, approved by … on …", or that none is yet.
fn scope_reference(l: Lang, zone: &str, scope: Option<&ScopeInForce>) -> String {
    match scope {
        None => t(l, "soa.no_scope").to_string(),
        Some(s) => tf(
            l,
            "soa.scope_in_force",
            &[
                ("code", &s.code),
                ("title", &s.title),
                ("n", &s.number.to_string()),
                ("who", &layout::approver(l, s.approved_by_label.as_deref().unwrap_or(""))),
                ("when", &s.approved_at.as_deref().map(|a| layout::when(zone, a)).unwrap_or_default()),
            ],
        ),
    }
}

/// What a document of the SoA says about itself: organisation, version,
/// approval, standard, scope (the statement in force, in plain text) and
/// the figures.
fn front_matter(
    l: Lang,
    org: &Org,
    rows: &[SoaRow],
    v: Option<&VersionRow>,
    scope: Option<&ScopeInForce>,
) -> Vec<(String, String)> {
    let org_name = org.name.as_str();
    let (version, approval) = version_and_approval(l, &org.time_zone, v);
    let summary = progress(rows);
    let figures = tf(
        l,
        "soa.progress",
        &[
            ("applicable", &summary.applicable.to_string()),
            ("implemented", &summary.implemented.to_string()),
            ("excluded", &summary.excluded.to_string()),
            ("undecided", &summary.undecided.to_string()),
        ],
    );
    vec![
        (t(l, "soa.organisation").to_string(), org_name.to_string()),
        (t(l, "soa.version").to_string(), version),
        (t(l, "soa.approval").to_string(), approval),
        (t(l, "soa.standard").to_string(), format!("ISO/IEC 27001:2022, {}", t(l, "soa.annex_a"))),
        (t(l, "soa.scope").to_string(), scope_reference(l, &org.time_zone, scope)),
    ]
    .into_iter()
    .chain(scope.map(|s| (t(l, "soa.scope_text").to_string(), crate::markdown::to_plain(&scope_markdown(l, s)))))
    .chain([(t(l, "soa.summary").to_string(), figures)])
    .collect()
}

/// The SoA as a file: (bytes, content type, file name). Formats: xlsx, pdf, csv, md.
pub fn soa_file(
    l: Lang,
    org: &Org,
    rows: &[SoaRow],
    v: Option<&VersionRow>,
    scope: Option<&ScopeInForce>,
    format: &str,
) -> Result<(Vec<u8>, &'static str, String), WebError> {
    let (org_name, slug, zone) = (org.name.as_str(), org.slug.as_str(), org.time_zone.as_str());
    let table = tables::soa_table(l, rows);
    let stem = match v {
        Some(v) => format!("{slug}-soa-v{}", v.number),
        None => format!("{slug}-soa-draft"),
    };
    let internal = |e: borgen_report::ReportError| WebError::App(AppError::Internal(e.to_string()));
    match format {
        "md" => {
            let (number, approval) = version_and_approval(l, zone, v);
            let version = if v.is_some() { format!("{} {number}", t(l, "soa.version")) } else { number };
            let scope_line = format!("{}: {}", t(l, "soa.scope"), scope_reference(l, zone, scope));
            let md = borgen_report::to_markdown(
                &table,
                &format!("{} — {org_name}", t(l, "soa.title")),
                &[version, approval, scope_line],
            );
            Ok((md.into_bytes(), "text/markdown; charset=utf-8", format!("{stem}.md")))
        }
        "pdf" => {
            let (version, _) = version_and_approval(l, zone, v);
            let front = front_matter(l, org, rows, v, scope);
            let footer = format!("{} · {org_name} · {} {version}", t(l, "soa.title"), t(l, "soa.version"));
            // On paper a control is its number and title in one column, and
            // its theme a heading above its controls rather than a column.
            let mut printed = table.clone();
            for r in &mut printed.rows {
                let title = r.remove(1);
                r[0] = format!("{} {title}", r[0]);
            }
            printed.headers.remove(1);
            let doc = borgen_report::PdfDoc {
                title: t(l, "soa.title"),
                subtitle: org_name,
                front: &front,
                table: &printed,
                footer: &footer,
                lang: l.code(),
                group_by: Some(1),
            };
            Ok((borgen_report::to_pdf(&doc).map_err(internal)?, "application/pdf", format!("{stem}.pdf")))
        }
        "csv" => {
            Ok((borgen_report::to_csv(&table).map_err(internal)?, "text/csv; charset=utf-8", format!("{stem}.csv")))
        }
        "xlsx" => Ok((
            borgen_report::to_xlsx_doc(&table, t(l, "soa.about_sheet"), &front_matter(l, org, rows, v, scope))
                .map_err(internal)?,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            format!("{stem}.xlsx"),
        )),
        _ => Err(WebError::Status(StatusCode::NOT_FOUND, "error.unknown_format")),
    }
}

/// The SoA in one of the export formats, as a download.
/// Encoded as one of the application's CPU jobs: a PDF takes a while to set.
pub async fn export_rows(
    app: &borgen_app::App,
    l: Lang,
    org: &borgen_app::borgen_store::orgs::Org,
    rows: Vec<SoaRow>,
    v: Option<VersionRow>,
    scope: Option<ScopeInForce>,
    format: &str,
) -> WebResult {
    use axum::http::header;
    use axum::response::IntoResponse;
    let (org, format) = (org.clone(), format.to_string());
    let (bytes, mime, name) = app.cpu(move || soa_file(l, &org, &rows, v.as_ref(), scope.as_ref(), &format)).await??;
    let disposition = format!("attachment; filename=\"{name}\"");
    Ok(([(header::CONTENT_TYPE, mime.to_string()), (header::CONTENT_DISPOSITION, disposition)], bytes).into_response())
}

/// The import page: upload a CSV or XLSX with decisions keyed by control id.
fn import_page(o: &OrgPage, outcome: Option<&borgen_app::soa::ImportOutcome>, errors: &[ImportError]) -> Markup {
    let l = o.lang();
    let base = format!("{}/soa", o.base());
    layout::org(
        o,
        "soa",
        t(l, "soa.import"),
        html! {
            p.crumbs { a href=(base) { (t(l, "soa.title")) } }
            h1 { (t(l, "soa.import")) }
            p { (t(l, "soa.import_intro")) }
            ul.small {
                li { code { "control" } " / " code { (t(l, "catalog.control")) } ": " (t(l, "soa.import_col_control")) }
                li { code { "applicable" } " / " code { (t(l, "soa.applicable")) } ": " (t(l, "soa.import_col_applicable")) }
                li { code { "reasons" } " / " code { (t(l, "soa.reasons")) } ": " (t(l, "soa.import_col_reasons")) }
                li { code { "justification" } " / " code { (t(l, "soa.justification")) } ": " (t(l, "soa.import_col_justification")) }
                li { code { "status" } " / " code { (t(l, "soa.status")) } ": " (t(l, "soa.import_col_status")) }
            }
            @if let Some(o2) = outcome {
                p.notice role="status" { (tf(l, "soa.import_done", &[("rows", &o2.rows.to_string()), ("changed", &o2.changed.to_string())])) }
            }
            @if !errors.is_empty() {
                (super::import::problems(l, tn(l, "soa.import_failed", errors.len(), &[]), &[], errors))
            }
            form.card method="post" action={(base) "/import"} enctype="multipart/form-data" {
                (csrf(&o.page))
                div.field {
                    label for="file" { (t(l, "soa.import_file")) }
                    input #file type="file" name="file" accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" required;
                }
                button.primary type="submit" { (t(l, "soa.import_submit")) }
            }
        },
    )
}

pub async fn import_form(o: OrgPage) -> WebResult {
    o.ctx.require(Permission::ManageIsms)?;
    Ok(html(import_page(&o, None, &[])))
}

pub async fn import(
    State(state): State<AppState>,
    o: OrgPage,
    headers: axum::http::HeaderMap,
    axum::Extension(token): axum::Extension<crate::ctx::CsrfToken>,
    multipart: axum::extract::Multipart,
) -> WebResult {
    o.ctx.require(Permission::ManageIsms)?;
    let fields = super::import::multipart_fields(&headers, &token, multipart).await?;
    let file = fields.get("file").cloned().unwrap_or_default();
    let table = match super::import::read_upload_apart(&state.app, file).await? {
        Ok(t) => t,
        Err(errors) => return Ok(html_status(StatusCode::UNPROCESSABLE_ENTITY, import_page(&o, None, &errors))),
    };
    match state.app.import_soa(&o.ctx, &table).await? {
        Ok(outcome) => Ok(html(import_page(&o, Some(&outcome), &[]))),
        Err(errors) => Ok(html_status(StatusCode::UNPROCESSABLE_ENTITY, import_page(&o, None, &errors))),
    }
}
