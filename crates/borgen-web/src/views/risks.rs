//! 6.1.2 / 6.1.3 / 8.2 / 8.3: the risk register. List with filters and the
//! two heat maps, detail with acceptance and treatment tasks, form scored by
//! the methodology version the risk is pinned to.

use super::owner_options;
use super::trail::history_section;
use super::{Done, html, html_status, see_other};
use crate::ctx::{Form, OrgPage, Query, client_of};
use crate::error::{WebError, WebResult};
use crate::heatmap::{heatmap, legend};
use crate::layout::{self, action_button, csrf, notice, select, text_field, textarea};
use crate::state::AppState;
use crate::tables::owner_name;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use borgen_app::AppError;
use borgen_app::risk::RiskDetail;
use borgen_app::totp::StepUp;
use borgen_core::context::ArchiveFilter;
use borgen_core::i18n::{t, tf, tn};
use borgen_core::ids::{AssetId, RiskId, UserId};
use borgen_core::registers::AppliedRef;
use borgen_core::registers::AssetRef;
use borgen_core::registers::ThreatRef;
use borgen_core::risk::*;
use borgen_core::role::Permission;
use borgen_core::task::{Task, TaskForm, TaskStatus};
use borgen_core::{FieldErrors, Lang};
use borgen_store::orgs::Member;
use borgen_store::risk::RiskSort;
use maud::{Markup, html};

pub const PER_PAGE: i64 = 25;

/// Query parameters of the risk list (HTML, API and export).
#[derive(Clone, Debug, Default, serde::Deserialize, serde::Serialize)]
#[serde(default)]
pub struct RiskParams {
    pub q: Option<String>,
    pub level: Option<String>,
    pub owner: Option<String>,
    pub asset: Option<String>,
    /// Risks treated with this applied control (its id).
    pub applied_control: Option<String>,
    /// Risks from this threat: a catalogue code or an own threat's id.
    pub threat: Option<String>,
    pub treatment: Option<String>,
    pub status: Option<String>,
    pub affects: Option<String>,
    pub overdue: Option<String>,
    pub unaccepted: Option<String>,
    /// Inherent cell: likelihood and impact.
    pub il: Option<String>,
    pub ii: Option<String>,
    /// Residual cell.
    pub rl: Option<String>,
    pub ri: Option<String>,
    /// Only risks scored with this methodology version (set by heat-map cells).
    pub v: Option<String>,
    pub archived: Option<String>,
    pub sort: Option<String>,
    pub page: Option<String>,
    pub per_page: Option<String>,
}

fn bad() -> WebError {
    WebError::Status(StatusCode::BAD_REQUEST, "error.bad_filter")
}

fn opt<T>(v: &Option<String>, parse: impl Fn(&str) -> Option<T>) -> Result<Option<T>, WebError> {
    match v.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(s) => parse(s).map(Some).ok_or_else(bad),
    }
}

fn flag(v: &Option<String>) -> Result<bool, WebError> {
    match v.as_deref() {
        None | Some("") | Some("0") | Some("false") => Ok(false),
        Some("1") | Some("true") | Some("on") => Ok(true),
        _ => Err(bad()),
    }
}

fn cell(l: &Option<String>, i: &Option<String>) -> Result<Option<Score>, WebError> {
    let n = |s: &str| s.parse::<u8>().ok().filter(|v| (1..=10).contains(v));
    match (opt(l, n)?, opt(i, n)?) {
        (Some(likelihood), Some(impact)) => Ok(Some(Score { likelihood, impact })),
        (None, None) => Ok(None),
        _ => Err(bad()),
    }
}

/// A parsed list query.
pub struct RiskQuery {
    pub filter: RiskFilter,
    pub sort: RiskSort,
    pub page: u32,
    pub per_page: i64,
}

impl RiskParams {
    /// The query, with "overdue" measured against `today` (the organisation's).
    pub fn query(&self, today: &str) -> Result<RiskQuery, WebError> {
        let filter = RiskFilter {
            q: self.q.clone().filter(|s| !s.trim().is_empty()),
            archived: ArchiveFilter::parse(self.archived.as_deref().unwrap_or("")).ok_or_else(bad)?,
            level: opt(&self.level, |s| s.parse::<u8>().ok().filter(|v| *v < 10))?,
            owner: opt(&self.owner, UserId::parse)?,
            asset: opt(&self.asset, AssetId::parse)?,
            applied_control: opt(&self.applied_control, borgen_core::register::RecordId::parse)?,
            threat: opt(&self.threat, |s| {
                let known =
                    borgen_core::threat::threat(s).is_some() || borgen_core::register::RecordId::parse(s).is_some();
                known.then(|| {
                    borgen_core::register::RecordId::parse(s).map(|id| id.as_text()).unwrap_or_else(|| s.to_string())
                })
            })?,
            treatment: opt(&self.treatment, Treatment::parse)?,
            status: opt(&self.status, RiskStatus::parse)?,
            affects: opt(&self.affects, |s| match s {
                "c" | "i" | "a" => s.chars().next(),
                _ => None,
            })?,
            overdue_before: flag(&self.overdue)?.then(|| today.to_string()),
            inherent_cell: cell(&self.il, &self.ii)?,
            residual_cell: cell(&self.rl, &self.ri)?,
            unaccepted: flag(&self.unaccepted)?,
            methodology_version: opt(&self.v, |s| s.parse::<i64>().ok().filter(|v| *v >= 0))?,
        };
        let sort = RiskSort::parse(self.sort.as_deref().unwrap_or("")).ok_or_else(bad)?;
        let page = opt(&self.page, |s| s.parse::<u32>().ok().filter(|n| *n >= 1))?.unwrap_or(1);
        let per_page =
            opt(&self.per_page, |s| s.parse::<i64>().ok().filter(|n| (1..=500).contains(n)))?.unwrap_or(PER_PAGE);
        Ok(RiskQuery { filter, sort, page, per_page })
    }

    pub fn with_page(&self, page: u32) -> String {
        let mut p = self.clone();
        p.page = Some(page.to_string());
        serde_urlencoded::to_string(&p).unwrap_or_default()
    }

    /// Any filter narrower than "all live risks".
    pub fn filtered(&self) -> bool {
        let mut p = self.clone();
        p.page = None;
        p.per_page = None;
        p.sort = None;
        serde_urlencoded::to_string(&p)
            .unwrap_or_default()
            .split('&')
            .any(|kv| kv.split_once('=').is_some_and(|(_, v)| !v.is_empty()))
    }
}

fn options<T: Copy>(
    l: Lang,
    all: &[T],
    code: fn(T) -> &'static str,
    key: fn(T) -> &'static str,
) -> Vec<(String, String)> {
    all.iter().map(|v| (code(*v).to_string(), t(l, key(*v)).to_string())).collect()
}

fn scale_options(l: Lang, scale: &[ScaleLevel]) -> Vec<(String, String)> {
    scale.iter().enumerate().map(|(i, s)| ((i + 1).to_string(), format!("{} – {}", i + 1, s.label.get(l)))).collect()
}

fn level_options(l: Lang, m: &Methodology) -> Vec<(String, String)> {
    m.levels.iter().enumerate().map(|(i, v)| (i.to_string(), v.name.get(l).to_string())).collect()
}

/// A coloured badge for a level index under a methodology.
pub fn level_badge(l: Lang, m: Option<&Methodology>, level: Option<u8>) -> Markup {
    match (m, level) {
        (Some(m), Some(v)) => match m.level(v) {
            Some(lv) => crate::heatmap::level_tag(l, lv),
            None => html! { "—" },
        },
        _ => html! { span.muted { (t(l, "risk.unscored")) } },
    }
}

fn parse_id(id: &str) -> Result<RiskId, WebError> {
    RiskId::parse(id).ok_or(WebError::App(AppError::NotFound))
}

/// The name of a threat code: built in, or one of the organisation's.
pub fn threat_name(l: Lang, own: &[ThreatRef], code: Option<&str>) -> String {
    match code {
        None => "—".into(),
        Some(c) => borgen_core::threat::threat(c)
            .map(|t| t.name(l).to_string())
            .or_else(|| own.iter().find(|o| o.id == c).map(|o| o.name.clone()))
            .unwrap_or_else(|| c.to_string()),
    }
}

/// The members who may own a risk ([`borgen_core::role::RoleSet::may_own_risks`]),
/// and the current owner whatever their role (so the form shows who it is).
fn risk_owner_options(members: &[Member], current: Option<&str>) -> Vec<(String, String)> {
    let eligible: Vec<Member> = members
        .iter()
        .filter(|m| m.roles.may_own_risks() || current == Some(m.user_id.to_string().as_str()))
        .cloned()
        .collect();
    owner_options(&eligible)
}

pub async fn list(
    State(state): State<AppState>,
    o: OrgPage,
    Query(p): Query<RiskParams>,
    Query(done): Query<Done>,
) -> WebResult {
    let l = o.lang();
    let q = p.query(&o.ctx.today())?;
    let offset = i64::from(q.page - 1) * q.per_page;
    let (page, maps) = state.app.list_risks_with_heat_maps(&o.ctx, &q.filter, q.sort, q.per_page, offset).await?;
    let members = state.app.members(&o.ctx.actor, &o.ctx.org.slug).await?;
    let versions = state.app.methodology_versions(&o.ctx).await?;
    let assets = state.app.asset_refs(&o.ctx).await?;
    // The page is drawn on the methodology the heat-map counts were made on.
    let mv = &maps.methodology;
    let (inherent, residual, hv) = (&maps.inherent, &maps.residual, mv.version);
    let base = format!("{}/risks", o.base());
    let none = FieldErrors::default();
    let m = &mv.methodology;
    let method_of = |v: i64| versions.iter().find(|x| x.version == v).map(|x| &x.methodology);
    let archived_opts = vec![
        ("active".to_string(), t(l, "list.active").to_string()),
        ("archived".to_string(), t(l, "list.archived").to_string()),
        ("all".to_string(), t(l, "list.all").to_string()),
    ];
    let cia_opts = vec![
        ("c".to_string(), t(l, "risk.c").to_string()),
        ("i".to_string(), t(l, "risk.i").to_string()),
        ("a".to_string(), t(l, "risk.a").to_string()),
    ];
    let sort_opts = vec![
        ("number".to_string(), t(l, "risk.sort_number").to_string()),
        ("level".to_string(), t(l, "risk.sort_level").to_string()),
        ("title".to_string(), t(l, "risk.sort_title").to_string()),
        ("review".to_string(), t(l, "risk.sort_review").to_string()),
    ];
    let asset_opts: Vec<(String, String)> =
        assets.iter().filter(|a| !a.archived).map(|a| (a.id.clone(), a.name.clone())).collect();
    let today = o.ctx.today();
    Ok(html(layout::org(
        &o,
        "risks",
        t(l, "risk.title"),
        html! {
            div.page-head {
                h1 { (t(l, "risk.title")) }
                div.actions {
                    @if o.ctx.can(Permission::ManageIsms) {
                        a.button.primary href={(base) "/new"} { (t(l, "risk.new")) }
                        " "
                        a.button href={(base) "/import"} { (t(l, "import.action")) }
                    }
                }
            }
            p.muted { (t(l, "risk.intro")) " " a href={(o.base()) "/risks/methodology"} { (tf(l, "risk.methodology_in_force", &[("v", &mv.version.to_string())])) } }
            (notice(l, done.done.as_deref()))
            div.heatmaps {
                (heatmap(l, m, inherent, t(l, "risk.heatmap_inherent"), |li, ii| format!("{base}?il={li}&ii={ii}&v={hv}")))
                (heatmap(l, m, residual, t(l, "risk.heatmap_residual"), |li, ii| format!("{base}?rl={li}&ri={ii}&v={hv}")))
                (legend(l, m))
            }
            @if maps.earlier > 0 {
                p.notice {
                    (tn(l, "risk.heatmap_earlier", maps.earlier, &[("v", &hv.to_string())])) " "
                    a href={(o.base()) "/risks/methodology"} { (t(l, "risk.heatmap_rescore")) }
                }
            }
            form.filters method="get" action=(base) role="search" {
                (text_field(l, &none, "q", t(l, "list.search"), p.q.as_deref(), false, "search"))
                (select(l, &none, "level", t(l, "risk.level"), &level_options(l, m), p.level.as_deref(), false))
                (select(l, &none, "owner", t(l, "field.owner"), &owner_options(&members), p.owner.as_deref(), false))
                (select(l, &none, "asset", t(l, "asset.one"), &asset_opts, p.asset.as_deref(), false))
                (select(l, &none, "treatment", t(l, "risk.treatment"), &options(l, Treatment::ALL, Treatment::code, Treatment::label_key), p.treatment.as_deref(), false))
                (select(l, &none, "status", t(l, "risk.status"), &options(l, RiskStatus::ALL, RiskStatus::code, RiskStatus::label_key), p.status.as_deref(), false))
                (select(l, &none, "affects", t(l, "risk.affects"), &cia_opts, p.affects.as_deref(), false))
                (select(l, &none, "archived", t(l, "list.show"), &archived_opts, Some(q.filter.archived.code()), false))
                (select(l, &none, "sort", t(l, "list.sort"), &sort_opts, Some(q.sort.code()), false))
                div.field.check {
                    input #overdue type="checkbox" name="overdue" value="1" checked[q.filter.overdue_before.is_some()];
                    label for="overdue" { (t(l, "risk.overdue_only")) }
                }
                div.field.check {
                    input #unaccepted type="checkbox" name="unaccepted" value="1" checked[q.filter.unaccepted];
                    label for="unaccepted" { (t(l, "risk.unaccepted_only")) }
                }
                @if let Some(c) = q.filter.inherent_cell { input type="hidden" name="il" value=(c.likelihood); input type="hidden" name="ii" value=(c.impact); }
                @if let Some(c) = q.filter.residual_cell { input type="hidden" name="rl" value=(c.likelihood); input type="hidden" name="ri" value=(c.impact); }
                @if let Some(v) = q.filter.methodology_version { input type="hidden" name="v" value=(v); }
                button type="submit" { (t(l, "list.filter")) }
                @if p.filtered() { " " a href=(base) { (t(l, "list.clear")) } }
            }
            @if let Some(c) = q.filter.inherent_cell { p.notice { (tf(l, "risk.cell_filter_inherent", &[("l", &c.likelihood.to_string()), ("i", &c.impact.to_string())])) } }
            @if let Some(c) = q.filter.residual_cell { p.notice { (tf(l, "risk.cell_filter_residual", &[("l", &c.likelihood.to_string()), ("i", &c.impact.to_string())])) } }
            @if page.risks.is_empty() {
                p.empty { (t(l, "risk.empty")) }
            } @else {
                table.register {
                    caption.sr-only { (t(l, "risk.title")) }
                    thead { tr {
                        th scope="col" { (t(l, "risk.ref")) }
                        th scope="col" { (t(l, "field.title")) }
                        th scope="col" { (t(l, "risk.cia")) }
                        th scope="col" { (t(l, "risk.inherent")) }
                        th scope="col" { (t(l, "risk.treatment")) }
                        th scope="col" { (t(l, "risk.residual")) }
                        th scope="col" { (t(l, "field.owner")) }
                        th scope="col" { (t(l, "risk.acceptance")) }
                        th scope="col" { (t(l, "risk.next_review")) }
                    } }
                    tbody {
                        @for r in &page.risks {
                            @let rm = method_of(r.methodology_version);
                            @let acc = page.acceptances.iter().find(|a| a.risk_id == r.id);
                            tr.archived[r.archived] {
                                td.mono { (r.reference()) }
                                td { a href={(base) "/" (r.id)} { (r.data.title) } @if r.archived { " " span.badge { (t(l, "list.archived_badge")) } } }
                                td { (layout::cia(l, r.data.affects_c, r.data.affects_i, r.data.affects_a)) }
                                td { (level_badge(l, rm, r.inherent_level)) }
                                td { (r.data.treatment.map(|x| t(l, x.label_key())).unwrap_or("—")) }
                                td { @if r.residual_level.is_some() { (level_badge(l, rm, r.residual_level)) } @else { "—" } }
                                td { (Some(owner_name(&members, r.data.owner_id)).filter(|s| !s.is_empty()).unwrap_or_else(|| "—".into())) }
                                td {
                                    @if let Some(a) = acc {
                                        @if page.outdated.contains(&r.id) { span.badge.warn { (t(l, "risk.acceptance_outdated_short")) } }
                                        @else { span.badge.ok { (t(l, "risk.accepted_short")) } " " span.muted { (a.accepted_at.get(..10).unwrap_or("")) } }
                                    } @else { span.muted { "—" } }
                                }
                                td.overdue[r.review_overdue(&today)] { (r.data.next_review.as_deref().unwrap_or("—")) }
                            }
                        }
                    }
                }
            }
            (layout::pager(l, q.page, q.per_page as u32, page.total, |n| format!("{base}?{}", p.with_page(n))))
            p.exports {
                (t(l, "list.export")) ": "
                @for (i, (f, label)) in [("csv", "CSV"), ("xlsx", "XLSX"), ("pdf", "PDF")].iter().enumerate() {
                    @if i > 0 { " · " }
                    a href={(base) "/export/" (f) "?" (p.with_page(1))} download { (label) }
                }
            }
        },
    )))
}

/// Everything the risk form needs.
struct FormData {
    members: Vec<Member>,
    assets: Vec<AssetRef>,
    applied: Vec<AppliedRef>,
    own_threats: Vec<ThreatRef>,
    methodology: Methodology,
    version: i64,
}

async fn form_data(state: &AppState, o: &OrgPage, version: Option<i64>) -> Result<FormData, WebError> {
    let members = state.app.members(&o.ctx.actor, &o.ctx.org.slug).await?;
    let assets = state.app.asset_refs(&o.ctx).await?;
    // Archived controls stay in the list: a form must not drop a link it cannot show.
    let applied = state.app.applied_refs(&o.ctx).await?;
    let own_threats = state.app.own_threats(&o.ctx).await?;
    let mv = match version {
        Some(v) => state.app.methodology_version(&o.ctx, v).await?,
        None => state.app.methodology(&o.ctx).await?,
    };
    Ok(FormData { members, assets, applied, own_threats, methodology: mv.methodology, version: mv.version })
}

/// A risk form from posted pairs (assets and applied controls repeat).
pub fn form_from_pairs(pairs: &[(String, String)]) -> RiskForm {
    let get = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    let all = |k: &str| pairs.iter().filter(|(n, _)| n == k).map(|(_, v)| v.clone()).collect::<Vec<_>>();
    RiskForm {
        title: get("title"),
        description: get("description"),
        asset_ids: all("asset_ids"),
        no_asset_reason: get("no_asset_reason"),
        threat: get("threat"),
        vulnerability: get("vulnerability"),
        affects_c: get("affects_c"),
        affects_i: get("affects_i"),
        affects_a: get("affects_a"),
        owner_id: get("owner_id"),
        inherent_likelihood: get("inherent_likelihood"),
        inherent_impact: get("inherent_impact"),
        existing_controls: get("existing_controls"),
        treatment: get("treatment"),
        treatment_rationale: get("treatment_rationale"),
        control_ids: get("control_ids"),
        applied_control_ids: all("applied_control_ids"),
        residual_likelihood: get("residual_likelihood"),
        residual_impact: get("residual_impact"),
        status: get("status"),
        next_review: get("next_review"),
    }
}

fn to_form(r: &Risk) -> RiskForm {
    let d = &r.data;
    let on = |b: bool| b.then(|| "on".to_string());
    RiskForm {
        title: Some(d.title.clone()),
        description: d.description.clone(),
        asset_ids: d.asset_ids.clone(),
        no_asset_reason: d.no_asset_reason.clone(),
        threat: d.threat.clone(),
        vulnerability: d.vulnerability.clone(),
        affects_c: on(d.affects_c),
        affects_i: on(d.affects_i),
        affects_a: on(d.affects_a),
        owner_id: d.owner_id.map(|u| u.to_string()),
        inherent_likelihood: d.inherent.map(|s| s.likelihood.to_string()),
        inherent_impact: d.inherent.map(|s| s.impact.to_string()),
        existing_controls: d.existing_controls.clone(),
        treatment: d.treatment.map(|x| x.code().to_string()),
        treatment_rationale: d.treatment_rationale.clone(),
        control_ids: Some(d.control_ids.join(", ")),
        applied_control_ids: d.applied_control_ids.clone(),
        residual_likelihood: d.residual.map(|s| s.likelihood.to_string()),
        residual_impact: d.residual.map(|s| s.impact.to_string()),
        status: Some(d.status.code().to_string()),
        next_review: d.next_review.clone(),
    }
}

fn threat_select(l: Lang, errs: &FieldErrors, fd: &FormData, value: Option<&str>) -> Markup {
    html! {
        div.field.invalid[errs.for_field("threat").is_some()] {
            label for="threat" { (t(l, "risk.threat")) }
            select #threat name="threat" {
                option value="" { "—" }
                @for g in borgen_core::threat::groups() {
                    optgroup label=(g.name(l)) {
                        @for th in borgen_core::threat::threats().iter().filter(|x| x.group == g.code) {
                            option value=(th.code) selected[value == Some(th.code.as_str())] { (th.name(l)) }
                        }
                        @for th in fd.own_threats.iter().filter(|x| x.group_code == g.code && (!x.archived || value == Some(x.id.as_str()))) {
                            option value=(th.id) selected[value == Some(th.id.as_str())] { (th.name) " *" }
                        }
                    }
                }
            }
            @if let Some(k) = errs.for_field("threat") { p.field-error id="err-threat" { (t(l, k)) } }
        }
    }
}

fn form_page(o: &OrgPage, fd: &FormData, f: &RiskForm, errs: &FieldErrors, id: Option<RiskId>) -> Markup {
    let l = o.lang();
    let base = format!("{}/risks", o.base());
    let (title, action) = match id {
        Some(id) => (t(l, "risk.edit"), format!("{base}/{id}")),
        None => (t(l, "risk.new"), base.clone()),
    };
    let m = &fd.methodology;
    let on = |v: &Option<String>| matches!(v.as_deref(), Some("on" | "true" | "1"));
    let assets: Vec<(String, String)> = fd
        .assets
        .iter()
        .filter(|a| !a.archived || f.asset_ids.contains(&a.id))
        .map(|a| (a.id.clone(), format!("{} ({})", a.name, t(l, &format!("asset_type.{}", a.asset_type)))))
        .collect();
    let applied: Vec<(String, String)> = fd
        .applied
        .iter()
        .filter(|a| !a.archived || f.applied_control_ids.contains(&a.id.to_string()))
        .map(|a| {
            let ids =
                if a.control_ids.is_empty() { t(l, "applied.custom").to_string() } else { a.control_ids.join(", ") };
            (a.id.to_string(), format!("{} ({ids})", a.name))
        })
        .collect();
    layout::org(
        o,
        "risks",
        title,
        html! {
            h1 { (title) }
            p.muted { (tf(l, "risk.scored_with", &[("v", &fd.version.to_string())])) }
            (layout::error_summary(l, errs))
            form.card method="post" action=(action) novalidate {
                (csrf(&o.page))
                (text_field(l, errs, "title", t(l, "field.title"), f.title.as_deref(), true, "text"))
                (textarea(l, errs, "description", t(l, "risk.scenario"), f.description.as_deref(), Some(t(l, "risk.scenario_hint"))))
                (layout::checks(l, errs, "asset_ids", t(l, "risk.assets"), None, &assets, &f.asset_ids))
                (textarea(l, errs, "no_asset_reason", t(l, "risk.no_asset_reason"), f.no_asset_reason.as_deref(), Some(t(l, "risk.no_asset_reason_hint"))))
                div.row {
                    (threat_select(l, errs, fd, f.threat.as_deref()))
                    (select(l, errs, "owner_id", t(l, "risk.owner"), &risk_owner_options(&fd.members, f.owner_id.as_deref()), f.owner_id.as_deref(), false))
                }
                (textarea(l, errs, "vulnerability", t(l, "risk.vulnerability"), f.vulnerability.as_deref(), None))
                fieldset.field.checks {
                    legend { (t(l, "risk.affects")) }
                    div.check { input #affects_c type="checkbox" name="affects_c" checked[on(&f.affects_c)]; label for="affects_c" { (t(l, "risk.c")) } }
                    div.check { input #affects_i type="checkbox" name="affects_i" checked[on(&f.affects_i)]; label for="affects_i" { (t(l, "risk.i")) } }
                    div.check { input #affects_a type="checkbox" name="affects_a" checked[on(&f.affects_a)]; label for="affects_a" { (t(l, "risk.a")) } }
                }
                h2 { (t(l, "risk.inherent")) }
                div.row {
                    (select(l, errs, "inherent_likelihood", t(l, "risk.likelihood"), &scale_options(l, &m.likelihood), f.inherent_likelihood.as_deref(), false))
                    (select(l, errs, "inherent_impact", t(l, "risk.impact"), &scale_options(l, &m.impact), f.inherent_impact.as_deref(), false))
                }
                (textarea(l, errs, "existing_controls", t(l, "risk.existing_controls"), f.existing_controls.as_deref(), None))
                h2 { (t(l, "risk.treatment")) }
                div.row {
                    (select(l, errs, "treatment", t(l, "risk.treatment_option"), &options(l, Treatment::ALL, Treatment::code, Treatment::label_key), f.treatment.as_deref(), false))
                    (select(l, errs, "status", t(l, "risk.status"), &options(l, RiskStatus::ALL, RiskStatus::code, RiskStatus::label_key), f.status.as_deref(), true))
                }
                (textarea(l, errs, "treatment_rationale", t(l, "risk.rationale"), f.treatment_rationale.as_deref(), Some(t(l, "risk.rationale_hint"))))
                (layout::text_field_hint(l, errs, "control_ids", t(l, "risk.annex_controls"), f.control_ids.as_deref(), false, "text", Some(t(l, "risk.annex_controls_hint"))))
                (layout::checks(l, errs, "applied_control_ids", t(l, "risk.applied_controls"), None, &applied, &f.applied_control_ids))
                h2 { (t(l, "risk.residual")) }
                div.row {
                    (select(l, errs, "residual_likelihood", t(l, "risk.likelihood"), &scale_options(l, &m.likelihood), f.residual_likelihood.as_deref(), false))
                    (select(l, errs, "residual_impact", t(l, "risk.impact"), &scale_options(l, &m.impact), f.residual_impact.as_deref(), false))
                    (text_field(l, errs, "next_review", t(l, "risk.next_review"), f.next_review.as_deref(), false, "date"))
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
    let fd = form_data(&state, &o, None).await?;
    let f = RiskForm { status: Some("identified".into()), ..Default::default() };
    Ok(html(form_page(&o, &fd, &f, &FieldErrors::default(), None)))
}

pub async fn create(State(state): State<AppState>, o: OrgPage, Form(pairs): Form<Vec<(String, String)>>) -> WebResult {
    o.ctx.require(Permission::ManageIsms)?;
    let f = form_from_pairs(&pairs);
    let result = match f.parse() {
        Ok(input) => state.app.create_risk(&o.ctx, input).await,
        Err(e) => Err(AppError::Invalid(e)),
    };
    match result {
        Ok(r) => Ok(see_other(&format!("{}/risks/{}?done=created", o.base(), r.id))),
        Err(AppError::Invalid(errs)) => {
            let fd = form_data(&state, &o, None).await?;
            Ok(html_status(StatusCode::UNPROCESSABLE_ENTITY, form_page(&o, &fd, &f, &errs, None)))
        }
        Err(e) => Err(e.into()),
    }
}

fn score_text(l: Lang, m: &Methodology, s: Option<Score>) -> String {
    match s {
        None => "—".into(),
        Some(s) => format!(
            "{} {} ({}) × {} {} ({})",
            t(l, "risk.likelihood"),
            s.likelihood,
            usize::from(s.likelihood)
                .checked_sub(1)
                .and_then(|i| m.likelihood.get(i))
                .map(|x| x.label.get(l))
                .unwrap_or(""),
            t(l, "risk.impact"),
            s.impact,
            usize::from(s.impact).checked_sub(1).and_then(|i| m.impact.get(i)).map(|x| x.label.get(l)).unwrap_or(""),
        ),
    }
}

fn acceptance_section(o: &OrgPage, d: &RiskDetail, m: &Methodology, errs: &FieldErrors) -> Markup {
    let l = o.lang();
    let r = &d.risk;
    let is_top = o.ctx.roles.has(borgen_core::role::Role::TopManagement);
    let verdict = may_accept(m, &r.data, o.ctx.actor.user_id(), is_top);
    let current = d.acceptances.first();
    let rule = r.data.acceptance_level(m).map(|v| m.accept_by(v));
    html! {
        section.card #acceptance {
            h2 { (t(l, "risk.acceptance")) }
            @if let Some(rule) = rule { p { (t(l, "risk.accept_rule")) ": " strong { (t(l, rule.label_key())) } } }
            @if let Some(a) = current {
                @let today = o.ctx.today();
                @if a.expired(&today) {
                    p.notice.warn role="status" { (tf(l, "risk.acceptance_expired", &[("date", a.expires_on.as_deref().unwrap_or(""))])) }
                } @else if d.acceptance_outdated { p.notice.warn role="status" { (t(l, "risk.acceptance_outdated")) } }
                p {
                    (tf(l, "risk.accepted_by", &[("who", &a.accepted_by_label), ("when", &layout::when(&o.ctx.org.time_zone, &a.accepted_at)), ("as", t(l, &format!("signed_as.{}", a.accepted_as.code())))]))
                }
                @if let Some(c) = &a.comment { blockquote { (c) } }
                @if let Some(until) = &a.expires_on { p { (tf(l, "risk.accepted_until", &[("date", until)])) } }
                p.muted { (tf(l, "risk.accepted_basis", &[("v", &a.basis.methodology_version.to_string())])) }
            } @else {
                p.muted { (t(l, "risk.not_accepted")) }
            }
            @let review_due = r.review_overdue(&o.ctx.today());
            @if !r.archived && review_due && (current.is_none() || d.acceptance_outdated) {
                p.muted { (t(l, "error.risk_accept_review_due")) }
            } @else if !r.archived && (current.is_none() || d.acceptance_outdated) {
                @match verdict {
                    Ok(_) => {
                        (layout::error_summary(l, errs))
                        form method="post" action={(o.base()) "/risks/" (r.id) "/accept"} novalidate {
                            (csrf(&o.page))
                            (textarea(l, errs, "comment", t(l, "risk.accept_comment"), None, None))
                            (text_field(l, errs, "expires_on", t(l, "risk.accept_expires_on"), None, false, "date"))
                            @if o.ctx.second_factor {
                                (layout::code_field(l, errs, "code", t(l, "totp.field_code"), Some(t(l, "totp.approve_hint")), false))
                            }
                            button.primary type="submit" { (t(l, "risk.accept")) }
                        }
                    }
                    Err(key) => { p.muted { (t(l, key)) } }
                }
            }
            @if d.acceptances.len() > 1 {
                details {
                    summary { (t(l, "risk.earlier_acceptances")) }
                    ul { @for a in d.acceptances.iter().skip(1) { li { (layout::when(&o.ctx.org.time_zone, &a.accepted_at)) " — " (a.accepted_by_label) " (" (t(l, &format!("signed_as.{}", a.accepted_as.code()))) ")" } } }
                }
            }
        }
    }
}

fn tasks_section(o: &OrgPage, d: &RiskDetail, members: &[Member], applied: &[AppliedRef]) -> Markup {
    let l = o.lang();
    let r = &d.risk;
    let today = o.ctx.today();
    let none = FieldErrors::default();
    let applied_opts: Vec<(String, String)> =
        applied.iter().filter(|a| !a.archived).map(|a| (a.id.to_string(), a.name.clone())).collect();
    html! {
        section.card #tasks {
            h2 { (t(l, "task.plan")) }
            (task_table(o, &d.tasks, members, &today, false))
            @if !r.archived && o.ctx.can_edit_owned(r.data.owner_id) {
                details.add-task open[d.tasks.is_empty()] {
                    summary { (t(l, "task.new")) }
                    form method="post" action={(o.base()) "/risks/" (r.id) "/tasks"} novalidate {
                        (csrf(&o.page))
                        (text_field(l, &none, "title", t(l, "field.title"), None, true, "text"))
                        div.row {
                            (select(l, &none, "owner_id", t(l, "field.owner"), &owner_options(members), None, false))
                            (text_field(l, &none, "due_date", t(l, "task.due_date"), None, false, "date"))
                            (select(l, &none, "applied_control_id", t(l, "task.applied_control"), &applied_opts, None, false))
                        }
                        button.primary type="submit" { (t(l, "task.add")) }
                    }
                }
            }
        }
    }
}

/// A table of tasks; `with_subject` adds the record each task serves.
pub fn task_table(o: &OrgPage, tasks: &[Task], members: &[Member], today: &str, with_subject: bool) -> Markup {
    let l = o.lang();
    html! {
        @if tasks.is_empty() { p.muted { (t(l, "task.empty")) } }
        @else {
            table.register {
                thead { tr {
                    th scope="col" { (t(l, "field.title")) }
                    @if with_subject { th scope="col" { (t(l, "task.subject")) } }
                    th scope="col" { (t(l, "field.owner")) }
                    th scope="col" { (t(l, "task.due_date")) }
                    th scope="col" { (t(l, "task.status")) }
                    th scope="col" { (t(l, "task.progress")) }
                } }
                tbody {
                    @for tk in tasks {
                        tr {
                            td { a href={(o.base()) "/tasks/" (tk.id)} { (tk.data.title) } }
                            @if with_subject {
                                td {
                                    @if tk.subject_label.is_empty() { (t(l, tk.subject.label_key())) }
                                    @else { a href={(o.base()) "/risks/" (tk.subject_id)} { (tk.subject_label) } }
                                }
                            }
                            td { (Some(owner_name(members, tk.data.owner_id)).filter(|s| !s.is_empty()).unwrap_or_else(|| "—".into())) }
                            td.overdue[tk.overdue(today)] {
                                (tk.data.due_date.as_deref().unwrap_or("—"))
                                @if tk.overdue(today) { " " span.badge.warn { (t(l, "task.overdue")) } }
                            }
                            td { (t(l, tk.data.status.label_key())) }
                            td { progress max="100" value=(tk.data.progress) aria-label=(t(l, "task.progress")) {} " " (tk.data.progress) "%" }
                        }
                    }
                }
            }
        }
    }
}

pub async fn show(
    State(state): State<AppState>,
    o: OrgPage,
    Path((_, id)): Path<(String, String)>,
    Query(done): Query<Done>,
) -> WebResult {
    let id = parse_id(&id)?;
    Ok(html(detail_page(&state, &o, id, done.done.as_deref(), &FieldErrors::default()).await?))
}

/// A risk's page; `accept_errs` are those of the acceptance form.
async fn detail_page(
    state: &AppState,
    o: &OrgPage,
    id: RiskId,
    done: Option<&str>,
    accept_errs: &FieldErrors,
) -> WebResult<Markup> {
    let l = o.lang();
    let d = state.app.get_risk(&o.ctx, id).await?;
    let r = &d.risk;
    let mv = state.app.methodology_version(&o.ctx, r.methodology_version).await?;
    let m = &mv.methodology;
    let members = state.app.members(&o.ctx.actor, &o.ctx.org.slug).await?;
    let assets = state.app.asset_refs(&o.ctx).await?;
    let applied = state.app.applied_refs(&o.ctx).await?;
    let own = state.app.own_threats(&o.ctx).await?;
    let history = state.app.history(&o.ctx, &id.as_text()).await?;
    let outcome = state.app.risk_outcome(&o.ctx, id, DEFAULT_SEED).await?;
    let files = super::evidence::section(state, o, borgen_app::evidence::Subject::Risk(id)).await?;
    let est_form = outcome.as_ref().map(|(e, _)| estimate_to_form(e)).unwrap_or_default();
    let base = format!("{}/risks", o.base());
    let dash = || "—".to_string();
    let title = format!("{} {}", r.reference(), r.data.title);
    Ok(layout::org(
        o,
        "risks",
        &title,
        html! {
            p.crumbs { a href=(base) { (t(l, "risk.title")) } }
            div.page-head {
                h1 { (title) @if r.archived { " " span.badge { (t(l, "list.archived_badge")) } } }
                div.actions {
                    @if !r.archived && o.ctx.can_edit_owned(r.data.owner_id) { a.button href={(base) "/" (id) "/edit"} { (t(l, "common.edit")) } }
                    @if o.ctx.can(Permission::ManageIsms) {
                        @if r.archived { (action_button(&o.page, &format!("{base}/{id}/restore"), t(l, "common.restore"), "", None)) }
                        @else { (action_button(&o.page, &format!("{base}/{id}/archive"), t(l, "common.archive"), "danger", Some(t(l, "common.archive_confirm")))) }
                    }
                }
            }
            (notice(l, done))
            dl.details {
                dt { (t(l, "risk.scenario")) } dd.pre { (r.data.description.clone().unwrap_or_else(dash)) }
                dt { (t(l, "risk.assets")) } dd {
                    @if r.data.asset_ids.is_empty() {
                        @match &r.data.no_asset_reason {
                            Some(why) => { (tf(l, "risk.no_asset_because", &[("why", why)])) }
                            None => { "—" }
                        }
                    }
                    @for a in &r.data.asset_ids {
                        @if let Some(x) = assets.iter().find(|x| x.id == *a) { a href={(o.base()) "/assets/" (a)} { (x.name) } br; }
                    }
                }
                dt { (t(l, "risk.threat")) } dd { (threat_name(l, &own, r.data.threat.as_deref())) }
                dt { (t(l, "risk.vulnerability")) } dd.pre { (r.data.vulnerability.clone().unwrap_or_else(dash)) }
                dt { (t(l, "risk.affects")) } dd { (layout::cia(l, r.data.affects_c, r.data.affects_i, r.data.affects_a)) }
                dt { (t(l, "risk.owner")) } dd { (Some(owner_name(&members, r.data.owner_id)).filter(|s| !s.is_empty()).unwrap_or_else(dash)) }
                dt { (t(l, "risk.inherent")) } dd { (level_badge(l, Some(m), r.inherent_level)) " " span.muted { (score_text(l, m, r.data.inherent)) } }
                dt { (t(l, "risk.existing_controls")) } dd.pre { (r.data.existing_controls.clone().unwrap_or_else(dash)) }
                dt { (t(l, "risk.treatment_option")) } dd { (r.data.treatment.map(|x| t(l, x.label_key())).unwrap_or("—")) }
                dt { (t(l, "risk.rationale")) } dd.pre { (r.data.treatment_rationale.clone().unwrap_or_else(dash)) }
                dt { (t(l, "risk.annex_controls")) } dd {
                    @if r.data.control_ids.is_empty() { "—" }
                    @for c in &r.data.control_ids {
                        a href={(o.base()) "/soa/" (c)} { (c) " " (borgen_core::catalog::control(c).map(|x| x.title_in(l)).unwrap_or("")) } br;
                    }
                }
                dt { (t(l, "risk.applied_controls")) } dd {
                    @if r.data.applied_control_ids.is_empty() { "—" }
                    @for a in &r.data.applied_control_ids {
                        @if let Some(x) = applied.iter().find(|x| x.id.to_string() == *a) { a href={(o.base()) "/soa/applied/" (a)} { (x.name) } @if let Some(st) = x.status { " (" (t(l, st.label_key())) ")" } br; }
                    }
                }
                dt { (t(l, "risk.residual")) } dd { @if r.data.residual.is_some() { (level_badge(l, Some(m), r.residual_level)) " " span.muted { (score_text(l, m, r.data.residual)) } } @else { "—" } }
                dt { (t(l, "risk.status")) } dd { (t(l, r.data.status.label_key())) }
                dt { (t(l, "risk.next_review")) } dd { (r.data.next_review.clone().unwrap_or_else(dash)) }
                dt { (t(l, "risk.methodology")) } dd { a href={(o.base()) "/risks/methodology?version=" (r.methodology_version)} { (tf(l, "risk.version_n", &[("v", &r.methodology_version.to_string())])) } }
            }
            (acceptance_section(o, &d, m, accept_errs))
            (tasks_section(o, &d, &members, &applied))
            (estimate_section(o, r, &est_form, &FieldErrors::default(), outcome.as_ref().map(|(_, o)| o), DEFAULT_SEED))
            (files)
            (history_section(l, &o.ctx.org.time_zone, &history, &crate::register::Names {
                titles: assets
                    .iter()
                    .map(|a| (a.id.clone(), a.name.clone()))
                    .chain(applied.iter().map(|a| (a.id.to_string(), a.name.clone())))
                    .chain(own.iter().map(|t| (t.id.clone(), t.name.clone())))
                    .collect(),
                ..crate::register::Names::of(&members)
            }))
        },
    ))
}

pub async fn edit_form(State(state): State<AppState>, o: OrgPage, Path((_, id)): Path<(String, String)>) -> WebResult {
    let id = parse_id(&id)?;
    let d = state.app.get_risk(&o.ctx, id).await?;
    if !o.ctx.can_edit_owned(d.risk.data.owner_id) || d.risk.archived {
        return Err(AppError::Forbidden.into());
    }
    let fd = form_data(&state, &o, Some(d.risk.methodology_version)).await?;
    Ok(html(form_page(&o, &fd, &to_form(&d.risk), &FieldErrors::default(), Some(id))))
}

pub async fn update(
    State(state): State<AppState>,
    o: OrgPage,
    Path((_, id)): Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> WebResult {
    let id = parse_id(&id)?;
    let d = state.app.get_risk(&o.ctx, id).await?;
    if !o.ctx.can_edit_owned(d.risk.data.owner_id) {
        return Err(AppError::Forbidden.into());
    }
    let f = form_from_pairs(&pairs);
    let result = match f.parse() {
        Ok(input) => state.app.update_risk(&o.ctx, id, input).await,
        Err(e) => Err(AppError::Invalid(e)),
    };
    match result {
        Ok(_) => Ok(see_other(&format!("{}/risks/{id}?done=saved", o.base()))),
        Err(AppError::Invalid(errs)) => {
            let fd = form_data(&state, &o, Some(d.risk.methodology_version)).await?;
            Ok(html_status(StatusCode::UNPROCESSABLE_ENTITY, form_page(&o, &fd, &f, &errs, Some(id))))
        }
        Err(e) => Err(e.into()),
    }
}

async fn set_archived(state: AppState, o: OrgPage, id: String, archive: bool) -> WebResult {
    let id = parse_id(&id)?;
    state.app.archive_risk(&o.ctx, id, archive).await?;
    let done = if archive { "archived" } else { "restored" };
    Ok(see_other(&format!("{}/risks/{id}?done={done}", o.base())))
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

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct AcceptForm {
    pub comment: Option<String>,
    /// The last day the acceptance holds (optional).
    pub expires_on: Option<String>,
    /// The second-factor code of a user who has one.
    pub code: Option<String>,
}

pub async fn accept(
    State(state): State<AppState>,
    o: OrgPage,
    parts: Parts,
    Path((_, id)): Path<(String, String)>,
    Form(f): Form<AcceptForm>,
) -> WebResult {
    let id = parse_id(&id)?;
    let step = StepUp::new(f.code.as_deref(), client_of(&state, &parts));
    match state.app.accept_risk(&o.ctx, id, f.comment.as_deref(), f.expires_on.as_deref(), &step).await {
        Ok(_) => Ok(see_other(&format!("{}/risks/{id}?done=accepted#acceptance", o.base()))),
        Err(AppError::Invalid(errs)) => {
            Ok(html_status(StatusCode::UNPROCESSABLE_ENTITY, detail_page(&state, &o, id, None, &errs).await?))
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn add_task(
    State(state): State<AppState>,
    o: OrgPage,
    Path((_, id)): Path<(String, String)>,
    Form(f): Form<TaskForm>,
) -> WebResult {
    let id = parse_id(&id)?;
    let input = f.parse().map_err(AppError::Invalid)?;
    state.app.create_risk_task(&o.ctx, id, input).await?;
    Ok(see_other(&format!("{}/risks/{id}?done=created#tasks", o.base())))
}

/// The statuses a task form offers.
pub fn task_status_options(l: Lang) -> Vec<(String, String)> {
    options(l, TaskStatus::ALL, TaskStatus::code, TaskStatus::label_key)
}

// ------------------------------------------------------------ quantitative (FAIR)

use crate::heatmap::{euros, loss_curve};
use borgen_app::risk::{DEFAULT_SEED, EstimateForm, ITERATIONS, NumText};
use borgen_core::fair::{Estimate, Outcome, Shape};

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct SeedParams {
    pub seed: Option<String>,
}

impl SeedParams {
    pub fn seed(&self) -> Result<u64, WebError> {
        match self.seed.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => Ok(DEFAULT_SEED),
            Some(s) => s.parse().map_err(|_| bad()),
        }
    }
}

fn shape_options(l: Lang) -> Vec<(String, String)> {
    [Shape::Pert, Shape::Lognormal]
        .iter()
        .map(|s| (s.code().to_string(), t(l, &format!("fair.shape_{}", s.code())).to_string()))
        .collect()
}

fn estimate_to_form(e: &Estimate) -> EstimateForm {
    let n = |v: f64| Some(borgen_app::risk::NumText::T(format!("{v}")));
    EstimateForm {
        freq_min: n(e.frequency.min),
        freq_ml: n(e.frequency.ml),
        freq_max: n(e.frequency.max),
        freq_shape: Some(e.frequency_shape.code().into()),
        mag_min: n(e.magnitude.min),
        mag_ml: n(e.magnitude.ml),
        mag_max: n(e.magnitude.max),
        mag_shape: Some(e.magnitude_shape.code().into()),
    }
}

/// ALE and percentiles as a definition list.
pub fn outcome_list(l: Lang, o: &Outcome) -> Markup {
    html! {
        dl.details.compact {
            dt { (t(l, "fair.ale")) } dd { strong { (euros(l, o.ale)) } }
            dt { (t(l, "fair.p50")) } dd { (euros(l, o.p50)) }
            dt { (t(l, "fair.p90")) } dd { (euros(l, o.p90)) }
            dt { (t(l, "fair.p99")) } dd { (euros(l, o.p99)) }
        }
    }
}

pub fn estimate_section(
    o: &OrgPage,
    r: &Risk,
    f: &EstimateForm,
    errs: &FieldErrors,
    outcome: Option<&Outcome>,
    seed: u64,
) -> Markup {
    let l = o.lang();
    let can = !r.archived && o.ctx.can_edit_owned(r.data.owner_id);
    html! {
        section.card #quantitative {
            h2 { (t(l, "fair.title")) }
            p.muted { (t(l, "fair.intro")) }
            @if let Some(out) = outcome {
                (outcome_list(l, out))
                (loss_curve(l, &out.curve, t(l, "fair.curve")))
                p.muted { (tf(l, "fair.deterministic", &[("seed", &seed.to_string()), ("n", &crate::heatmap::grouped(l, ITERATIONS as f64))])) }
            }
            @if can {
                details open[outcome.is_none() || !errs.is_empty()] {
                    summary { (t(l, "fair.edit")) }
                    (layout::error_summary(l, errs))
                    form method="post" action={(o.base()) "/risks/" (r.id) "/estimate"} novalidate {
                        (csrf(&o.page))
                        fieldset {
                            legend { (t(l, "fair.frequency")) }
                            div.row {
                                (text_field(l, errs, "freq_min", t(l, "fair.min"), NumText::text(&f.freq_min).as_deref(), false, "text"))
                                (text_field(l, errs, "freq_ml", t(l, "fair.ml"), NumText::text(&f.freq_ml).as_deref(), false, "text"))
                                (text_field(l, errs, "freq_max", t(l, "fair.max"), NumText::text(&f.freq_max).as_deref(), false, "text"))
                                (select(l, errs, "freq_shape", t(l, "fair.shape"), &shape_options(l), f.freq_shape.as_deref().or(Some("pert")), false))
                            }
                        }
                        fieldset {
                            legend { (t(l, "fair.magnitude")) }
                            div.row {
                                (text_field(l, errs, "mag_min", t(l, "fair.min"), NumText::text(&f.mag_min).as_deref(), false, "text"))
                                (text_field(l, errs, "mag_ml", t(l, "fair.ml"), NumText::text(&f.mag_ml).as_deref(), false, "text"))
                                (text_field(l, errs, "mag_max", t(l, "fair.max"), NumText::text(&f.mag_max).as_deref(), false, "text"))
                                (select(l, errs, "mag_shape", t(l, "fair.shape"), &shape_options(l), f.mag_shape.as_deref().or(Some("pert")), false))
                            }
                        }
                        p.hint { (t(l, "fair.clear_hint")) }
                        button.primary type="submit" { (t(l, "fair.save")) }
                    }
                }
            }
        }
    }
}

pub async fn save_estimate(
    State(state): State<AppState>,
    o: OrgPage,
    Path((_, id)): Path<(String, String)>,
    Form(f): Form<EstimateForm>,
) -> WebResult {
    let id = parse_id(&id)?;
    state.app.require_risk_editor(&o.ctx, id).await?;
    let result = match f.parse(o.lang()) {
        Ok(e) => state.app.set_risk_estimate(&o.ctx, id, e).await,
        Err(e) => Err(AppError::Invalid(e)),
    };
    match result {
        Ok(()) => Ok(see_other(&format!("{}/risks/{id}?done=saved#quantitative", o.base()))),
        Err(AppError::Invalid(errs)) => {
            let d = state.app.get_risk(&o.ctx, id).await?;
            let l = o.lang();
            Ok(html_status(
                StatusCode::UNPROCESSABLE_ENTITY,
                layout::org(
                    &o,
                    "risks",
                    t(l, "fair.title"),
                    html! {
                        p.crumbs { a href={(o.base()) "/risks/" (id)} { (d.risk.reference()) " " (d.risk.data.title) } }
                        (estimate_section(&o, &d.risk, &f, &errs, None, DEFAULT_SEED))
                    },
                ),
            ))
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn quantitative(State(state): State<AppState>, o: OrgPage, Query(p): Query<SeedParams>) -> WebResult {
    let l = o.lang();
    let seed = p.seed()?;
    let q = state.app.quantitative(&o.ctx, ITERATIONS, seed).await?;
    let none = FieldErrors::default();
    let base = format!("{}/risks/quantitative", o.base());
    Ok(html(layout::org(
        &o,
        "quantitative",
        t(l, "fair.register_title"),
        html! {
            p.crumbs { a href={(o.base()) "/risks"} { (t(l, "risk.title")) } }
            h1 { (t(l, "fair.register_title")) }
            p.muted { (t(l, "fair.register_intro")) }
            form.filters method="get" action=(base) {
                (text_field(l, &none, "seed", t(l, "fair.seed"), Some(&seed.to_string()), false, "number"))
                button type="submit" { (t(l, "fair.rerun")) }
            }
            p { (tf(l, "fair.deterministic", &[("seed", &seed.to_string()), ("n", &crate::heatmap::grouped(l, q.iterations as f64))])) }
            @match &q.total {
                None => { p.empty { (t(l, "fair.none")) } }
                Some(total) => {
                    h2 { (t(l, "fair.total")) }
                    (outcome_list(l, total))
                    (loss_curve(l, &total.curve, t(l, "fair.curve_total")))
                    table.register {
                        thead { tr {
                            th scope="col" { (t(l, "risk.ref")) } th scope="col" { (t(l, "field.title")) }
                            th scope="col" { (t(l, "fair.ale")) } th scope="col" { (t(l, "fair.p50")) }
                            th scope="col" { (t(l, "fair.p90")) } th scope="col" { (t(l, "fair.p99")) }
                        } }
                        tbody {
                            @for (r, _, out) in &q.risks {
                                tr {
                                    td.mono { (r.reference()) }
                                    td { a href={(o.base()) "/risks/" (r.id) "#quantitative"} { (r.data.title) } }
                                    td { (euros(l, out.ale)) } td { (euros(l, out.p50)) } td { (euros(l, out.p90)) } td { (euros(l, out.p99)) }
                                }
                            }
                        }
                    }
                }
            }
        },
    )))
}

// ------------------------------------------------------------ exports

/// The risk register (with the list's filters) as CSV, XLSX or PDF.
pub async fn export(
    State(state): State<AppState>,
    o: OrgPage,
    Path((_, format)): Path<(String, String)>,
    Query(p): Query<RiskParams>,
) -> WebResult {
    let q = p.query(&o.ctx.today())?;
    let table = crate::risk_export::risks(&state, &o.ctx, o.lang(), &q.filter, format == "pdf").await?;
    crate::risk_export::download(&state.app, o.lang(), &o.ctx.org, &format!("{}-risks", o.ctx.org.slug), table, &format)
        .await
}

pub async fn export_threats(
    State(state): State<AppState>,
    o: OrgPage,
    Path((_, format)): Path<(String, String)>,
) -> WebResult {
    let table = crate::risk_export::threats(&state, &o.ctx, o.lang()).await?;
    crate::risk_export::download(
        &state.app,
        o.lang(),
        &o.ctx.org,
        &format!("{}-threats", o.ctx.org.slug),
        table,
        &format,
    )
    .await
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct OpenParams {
    pub open: Option<String>,
}

pub async fn export_treatment(
    State(state): State<AppState>,
    o: OrgPage,
    Path((_, format)): Path<(String, String)>,
    Query(p): Query<OpenParams>,
) -> WebResult {
    let open_only = p.open.as_deref() != Some("0");
    let table = crate::risk_export::treatment_plan(&state, &o.ctx, o.lang(), open_only).await?;
    crate::risk_export::download(
        &state.app,
        o.lang(),
        &o.ctx.org,
        &format!("{}-treatment-plan", o.ctx.org.slug),
        table,
        &format,
    )
    .await
}
