//! 6.1.2: the risk methodology. Shows the version in force (or any earlier
//! one), edits it into a new version, and re-scores risks under it on request.

use super::{Done, html, html_status, see_other};
use crate::ctx::{Form, OrgPage, Query, client_of};
use crate::error::{WebError, WebResult};
use crate::heatmap::level_tag;
use crate::layout::{self, csrf, notice};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use borgen_app::AppError;
use borgen_app::totp::StepUp;
use borgen_core::i18n::{t, tf, tn};
use borgen_core::risk::*;
use borgen_core::role::Permission;
use borgen_core::{FieldErrors, Lang};
use maud::{Markup, html};

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct ShowParams {
    pub version: Option<String>,
}

fn bad() -> WebError {
    WebError::Status(StatusCode::BAD_REQUEST, "error.bad_filter")
}

fn matrix_table(l: Lang, m: &Methodology) -> Markup {
    html! {
        table.matrix {
            caption { (t(l, "method.matrix")) }
            thead {
                tr {
                    th scope="col" { (t(l, "risk.likelihood")) " ↓ / " (t(l, "risk.impact")) " →" }
                    @for (i, s) in m.impact.iter().enumerate() { th scope="col" { (i + 1) " " span.muted { (s.label.get(l)) } } }
                }
            }
            tbody {
                @for (li, s) in m.likelihood.iter().enumerate().rev() {
                    tr {
                        th scope="row" { (li + 1) " " span.muted { (s.label.get(l)) } }
                        @for ii in 0..m.impact.len() {
                            @let lv = m.score((li + 1) as u8, (ii + 1) as u8).and_then(|v| m.level(v));
                            @match lv {
                                Some(lv) => { td { (level_tag(l, lv)) } }
                                None => { td { "—" } }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn scale_table(l: Lang, caption: &str, scale: &[ScaleLevel]) -> Markup {
    html! {
        table.register {
            caption { (caption) }
            thead { tr { th scope="col" { "#" } th scope="col" { (t(l, "method.label")) } th scope="col" { (t(l, "field.description")) } } }
            tbody {
                @for (i, s) in scale.iter().enumerate() {
                    tr { td { (i + 1) } td { (s.label.get(l)) } td { (s.description.get(l)) } }
                }
            }
        }
    }
}

pub async fn show(
    State(state): State<AppState>,
    o: OrgPage,
    Query(p): Query<ShowParams>,
    Query(done): Query<Done>,
) -> WebResult {
    let page = show_page(&state, &o, p.version.as_deref(), done.done.as_deref(), &FieldErrors::default()).await?;
    Ok(html(page))
}

/// Top management approves the version shown, once (see `App::approve_version`).
pub async fn approve(
    State(state): State<AppState>,
    o: OrgPage,
    parts: Parts,
    Path((_, v)): Path<(String, String)>,
    Form(f): Form<super::runs::CommentForm>,
) -> WebResult {
    let n: i64 = v.parse().map_err(|_| WebError::App(AppError::NotFound))?;
    let step = StepUp::new(f.code.as_deref(), client_of(&state, &parts));
    let versioned = &borgen_core::version::METHODOLOGY_VERSIONS;
    match state.app.approve_version(&o.ctx, versioned, n, f.comment.as_deref(), &step).await {
        Ok(()) => Ok(see_other(&format!("{}/risks/methodology?version={n}&done=saved", o.base()))),
        Err(AppError::Invalid(errs)) => {
            let page = show_page(&state, &o, Some(&n.to_string()), None, &errs).await?;
            Ok(html_status(StatusCode::UNPROCESSABLE_ENTITY, page))
        }
        Err(e) => Err(e.into()),
    }
}

/// Who approved a version and when, or that it is not approved yet.
fn approval_line(l: Lang, zone: &str, v: &MethodologyVersion) -> Markup {
    html! {
        @match &v.approval {
            Some(a) => span.ok { (tf(l, "method.approved_by", &[("who", &layout::approver(l, &a.by_label)), ("when", &layout::when(zone, &a.at))])) },
            None => span.warn { (t(l, "method.not_approved")) },
        }
    }
}

async fn show_page(
    state: &AppState,
    o: &OrgPage,
    version: Option<&str>,
    done: Option<&str>,
    errs: &FieldErrors,
) -> Result<Markup, WebError> {
    let l = o.lang();
    let current = state.app.methodology(&o.ctx).await?;
    let draft = state.app.methodology_draft(&o.ctx).await?;
    let shown = match version.filter(|s| !s.is_empty()) {
        Some(v) => {
            let v: i64 = v.parse().map_err(|_| bad())?;
            if v == 0 && current.version == 0 {
                current.clone()
            } else {
                state.app.methodology_version(&o.ctx, v).await?
            }
        }
        None => current.clone(),
    };
    let versions = state.app.methodology_versions(&o.ctx).await?;
    // What changed from the version before the one shown.
    let previous = match shown.version {
        v if v > 1 => state.app.methodology_version(&o.ctx, v - 1).await.ok(),
        _ => None,
    };
    let changes = previous.as_ref().map(|p| methodology_changes(l, &p.methodology, &shown.methodology));
    let (_, plan) = state.app.rescore_preview(&o.ctx).await?;
    let m = &shown.methodology;
    let base = format!("{}/risks/methodology", o.base());
    Ok(layout::org(
        o,
        "methodology",
        t(l, "method.title"),
        html! {
            p.crumbs { a href={(o.base()) "/risks"} { (t(l, "risk.title")) } }
            div.page-head {
                h1 { (t(l, "method.title")) }
                @if o.ctx.can(Permission::ManageIsms) { a.button.primary href={(base) "/edit"} { (t(l, "method.edit")) } }
            }
            p.muted { (t(l, "method.intro")) }
            (notice(l, done))
            @if current.version > 0 && current.approval.is_none() {
                p.notice.warn role="status" { (tf(l, "method.in_force_unapproved", &[("v", &current.version.to_string())])) }
            }
            @if let Some(d) = &draft {
                // The draft beside the version in force: it applies once approved.
                p.notice.warn role="status" #draft {
                    (tf(l, "method.draft_waiting", &[("d", &d.version.to_string()), ("v", &current.version.to_string())])) " "
                    @if shown.version != d.version { a href={(base) "?version=" (d.version)} { (tf(l, "method.see_draft", &[("d", &d.version.to_string())])) } }
                }
            }
            @if shown.version == 0 {
                p.notice { (t(l, "method.default_note")) }
            } @else {
                p {
                    strong { (tf(l, "risk.version_n", &[("v", &shown.version.to_string())])) }
                    @if shown.version == current.version { " (" (t(l, "method.in_force")) ")" }
                    @else if draft.as_ref().is_some_and(|d| d.version == shown.version) { " (" (t(l, "method.draft")) ") — " a href=(base) { (t(l, "method.see_current")) } }
                    @else { " — " a href=(base) { (t(l, "method.see_current")) } }
                    " · " (layout::actor(l, &shown.created_by_label, false)) ", " (layout::when(&o.ctx.org.time_zone, &shown.created_at))
                    " · " (approval_line(l, &o.ctx.org.time_zone, &shown))
                }
                @if let Some(n) = &shown.note { p.pre { (n) } }
                @if let Some(c) = shown.approval.as_ref().and_then(|a| a.comment.as_ref()) {
                    p.pre { (t(l, "method.approval_comment")) ": " (c) }
                }
                @if shown.approval.is_none() && o.ctx.can(Permission::Approve) {
                    section.card #approve {
                        h2 { (t(l, "method.approve")) }
                        p.muted { (t(l, "method.approve_intro")) }
                        (layout::approval_form(o, errs, &format!("{base}/versions/{}/approve", shown.version), t(l, "run.approve_comment"), t(l, "method.approve")))
                    }
                }
            }
            @if let (Some(p), Some(changes)) = (&previous, &changes) {
                section #changes {
                    h2 { (tf(l, "method.changes", &[("v", &p.version.to_string())])) }
                    @if changes.is_empty() {
                        p.empty { (tf(l, "method.no_changes", &[("v", &p.version.to_string())])) }
                    } @else {
                        table.register {
                            thead { tr {
                                th scope="col" { (t(l, "method.change_what")) }
                                th scope="col" { (tf(l, "risk.version_n", &[("v", &p.version.to_string())])) }
                                th scope="col" { (tf(l, "risk.version_n", &[("v", &shown.version.to_string())])) }
                            } }
                            tbody {
                                @for c in changes {
                                    tr { td { (c.what) } td { del { (c.old) } } td { ins { (c.new) } } }
                                }
                            }
                        }
                    }
                }
            }
            (matrix_table(l, m))
            h2 { (t(l, "method.levels")) }
            table.register {
                thead { tr { th scope="col" { (t(l, "risk.level")) } th scope="col" { (t(l, "method.accept_by")) } } }
                tbody {
                    @for lv in &m.levels {
                        tr {
                            td { (level_tag(l, lv)) }
                            td { (t(l, lv.accept_by.label_key())) }
                        }
                    }
                }
            }
            p { (tf(l, "method.review_every", &[("n", &m.review_months.to_string())])) }
            h2 { (t(l, "method.scales")) }
            (scale_table(l, t(l, "risk.likelihood"), &m.likelihood))
            (scale_table(l, t(l, "risk.impact"), &m.impact))
            h2 { (t(l, "method.criteria")) }
            div.scroll {
                table.register {
                    thead { tr {
                        th scope="col" { (t(l, "method.area")) }
                        @for (i, s) in m.impact.iter().enumerate() { th scope="col" { (i + 1) " " (s.label.get(l)) } }
                    } }
                    tbody {
                        @for a in &m.areas {
                            tr { th scope="row" { (a.name.get(l)) } @for c in &a.criteria { td { (c.get(l)) } } }
                        }
                    }
                }
            }
            @if !plan.is_empty() {
                section.card #rescore {
                    h2 { (tf(l, "method.rescore", &[("v", &current.version.to_string())])) }
                    p { (tn(l, "method.rescore_intro", plan.len(), &[("v", &current.version.to_string())])) }
                    table.register {
                        thead { tr {
                            th scope="col" { (t(l, "risk.ref")) } th scope="col" { (t(l, "field.title")) }
                            th scope="col" { (t(l, "method.from_version")) }
                            th scope="col" { (t(l, "risk.inherent")) } th scope="col" { (t(l, "risk.residual")) }
                        } }
                        tbody {
                            @for r in &plan {
                                tr {
                                    td { (r.reference) } td { a href={(o.base()) "/risks/" (r.risk_id)} { (r.title) } }
                                    td { (r.from_version) }
                                    @if r.out_of_scale {
                                        td colspan="2" { span.badge.warn { (t(l, "method.out_of_scale")) } }
                                    } @else {
                                        td { (level_change(l, &versions, r.from_version, m, r.inherent)) }
                                        td { (level_change(l, &versions, r.from_version, m, r.residual)) }
                                    }
                                }
                            }
                        }
                    }
                    @if o.ctx.can(Permission::ManageIsms) && shown.version == current.version {
                        form method="post" action={(base) "/rescore"} {
                            (csrf(&o.page))
                            button.primary type="submit" { (t(l, "method.rescore_button")) }
                        }
                    }
                }
            }
            @if !versions.is_empty() {
                h2 { (t(l, "method.versions")) }
                ul {
                    @for v in &versions {
                        li { a href={(base) "?version=" (v.version)} { (tf(l, "risk.version_n", &[("v", &v.version.to_string())])) } " — " (layout::actor(l, &v.created_by_label, false)) ", " (layout::when(&o.ctx.org.time_zone, &v.created_at)) @if let Some(n) = &v.note { " — " (n) } " — " (approval_line(l, &o.ctx.org.time_zone, v)) }
                    }
                }
            }
        },
    ))
}

fn level_change(
    l: Lang,
    versions: &[MethodologyVersion],
    from: i64,
    to: &Methodology,
    (old, new): (Option<u8>, Option<u8>),
) -> Markup {
    let old_m = versions.iter().find(|v| v.version == from).map(|v| &v.methodology);
    let name = |m: Option<&Methodology>, v: Option<u8>| {
        v.and_then(|v| m.and_then(|m| m.level(v)).map(|x| x.name.get(l).to_string())).unwrap_or_else(|| "—".into())
    };
    let a = name(old_m, old);
    let b = name(Some(to), new);
    html! { @if a == b { (a) } @else { (a) " → " strong { (b) } } }
}

// ------------------------------------------------------------------ editing

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct ShapeParams {
    pub likelihood: Option<String>,
    pub impact: Option<String>,
    pub levels: Option<String>,
    pub areas: Option<String>,
}

fn size(v: &Option<String>, lo: usize, hi: usize, default: usize) -> Result<usize, WebError> {
    match v.as_deref().filter(|s| !s.is_empty()) {
        None => Ok(default),
        Some(s) => s.parse::<usize>().ok().filter(|n| (lo..=hi).contains(n)).ok_or_else(bad),
    }
}

/// The methodology resized to a new shape: kept where indices overlap, new
/// rows empty, the matrix recomputed from the product when its shape changed.
pub fn reshape(m: &Methodology, nl: usize, ni: usize, nlev: usize, na: usize) -> Methodology {
    let mut out = m.clone();
    let blank = ScaleLevel { label: Bi::default(), description: Bi::default() };
    out.likelihood.resize(nl, blank.clone());
    out.impact.resize(ni, blank);
    let last = out.levels.last().cloned().unwrap_or(RiskLevel {
        name: Bi::default(),
        colour: "#888888".into(),
        accept_by: AcceptBy::Nobody,
    });
    out.levels.resize(nlev, RiskLevel { name: Bi::default(), ..last });
    out.areas.resize(na, ImpactArea { code: String::new(), name: Bi::default(), criteria: Vec::new() });
    for a in out.areas.iter_mut() {
        a.criteria.resize(ni, Bi::default());
    }
    if (nl, ni, nlev) != (m.likelihood.len(), m.impact.len(), m.levels.len()) {
        out.matrix = Methodology::product_matrix(nl, ni, nlev);
    }
    out
}

/// A Dutch and an English text field; `label` names the pair for screen readers.
fn bi_inputs(prefix: &str, label: &str, b: &Bi, required: bool) -> Markup {
    html! {
        input type="text" name={(prefix) "_nl"} value=(b.nl) lang="nl" aria-label={(label) " (NL)"} placeholder="NL" required[required];
        input type="text" name={(prefix) "_en"} value=(b.en) lang="en" aria-label={(label) " (EN)"} placeholder="EN" required[required];
    }
}

fn edit_page(o: &OrgPage, m: &Methodology, note: Option<&str>, errs: &FieldErrors) -> Markup {
    let l = o.lang();
    let base = format!("{}/risks/methodology", o.base());
    let accept_opts: Vec<(String, String)> =
        AcceptBy::ALL.iter().map(|a| (a.code().to_string(), t(l, a.label_key()).to_string())).collect();
    let err = |f: &str| html! { @if let Some(k) = errs.for_field(f) { p.field-error id={"err-" (f)} { (t(l, k)) } } };
    layout::org(
        o,
        "methodology",
        t(l, "method.edit"),
        html! {
            p.crumbs { a href=(base) { (t(l, "method.title")) } }
            h1 { (t(l, "method.edit")) }
            p.muted { (t(l, "method.edit_intro")) }
            form.filters method="get" action={(base) "/edit"} {
                @for (name, key, lo, hi, v) in [
                    ("likelihood", "risk.likelihood", MIN_SCALE, MAX_SCALE, m.likelihood.len()),
                    ("impact", "risk.impact", MIN_SCALE, MAX_SCALE, m.impact.len()),
                    ("levels", "method.levels", 2, MAX_LEVELS, m.levels.len()),
                    ("areas", "method.areas", 1, MAX_AREAS, m.areas.len()),
                ] {
                    div.field {
                        label for={"shape-" (name)} { (t(l, key)) }
                        select id={"shape-" (name)} name=(name) {
                            @for n in lo..=hi { option value=(n) selected[n == v] { (n) } }
                        }
                    }
                }
                button type="submit" { (t(l, "method.apply_shape")) }
            }
            (layout::error_summary(l, errs))
            form.card.method-form method="post" action=(base) novalidate {
                (csrf(&o.page))
                input type="hidden" name="n_likelihood" value=(m.likelihood.len());
                input type="hidden" name="n_impact" value=(m.impact.len());
                input type="hidden" name="n_levels" value=(m.levels.len());
                input type="hidden" name="n_areas" value=(m.areas.len());
                @for (field, key, scale, p) in [("likelihood", "risk.likelihood", &m.likelihood, "l"), ("impact", "risk.impact", &m.impact, "i")] {
                    fieldset id=(field) {
                        legend { (t(l, key)) }
                        (err(field))
                        table.edit {
                            thead { tr { th { "#" } th { (t(l, "method.label")) " (NL / EN)" } th { (t(l, "field.description")) " (NL / EN)" } } }
                            tbody {
                                @for (i, s) in scale.iter().enumerate() {
                                    tr {
                                        td { (i + 1) }
                                        td { (bi_inputs(&format!("{p}{}", i + 1), &format!("{} {}, {}", t(l, key), i + 1, t(l, "method.label")), &s.label, true)) }
                                        td { (bi_inputs(&format!("{p}{}_d", i + 1), &format!("{} {}, {}", t(l, key), i + 1, t(l, "field.description")), &s.description, false)) }
                                    }
                                }
                            }
                        }
                    }
                }
                fieldset #levels {
                    legend { (t(l, "method.levels")) }
                    (err("levels"))
                    table.edit {
                        thead { tr { th { "#" } th { (t(l, "method.label")) " (NL / EN)" } th { (t(l, "method.colour")) } th { (t(l, "method.accept_by")) } } }
                        tbody {
                            @for (k, lv) in m.levels.iter().enumerate() {
                                tr {
                                    td { (k + 1) }
                                    td { (bi_inputs(&format!("lv{}", k + 1), &format!("{} {}", t(l, "risk.level"), k + 1), &lv.name, true)) }
                                    td { input type="color" name={"lv" (k + 1) "_colour"} value=(lv.colour) aria-label={(t(l, "method.colour")) " " (k + 1)}; }
                                    td {
                                        select name={"lv" (k + 1) "_accept"} aria-label={(t(l, "method.accept_by")) " " (k + 1)} {
                                            @for (c, txt) in &accept_opts { option value=(c) selected[c == lv.accept_by.code()] { (txt) } }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                fieldset #matrix {
                    legend { (t(l, "method.matrix")) }
                    p.hint { (t(l, "method.matrix_hint")) }
                    (err("matrix"))
                    table.edit {
                        thead { tr {
                            th { (t(l, "risk.likelihood")) " ↓ / " (t(l, "risk.impact")) " →" }
                            @for i in 1..=m.impact.len() { th { (i) } }
                        } }
                        tbody {
                            @for li in (1..=m.likelihood.len()).rev() {
                                tr {
                                    th scope="row" { (li) }
                                    @for ii in 1..=m.impact.len() {
                                        @let v = m.matrix.get(li - 1).and_then(|r| r.get(ii - 1)).copied().unwrap_or(0);
                                        td {
                                            select name={"m" (li) "_" (ii)} aria-label=(tf(l, "method.cell", &[("l", &li.to_string()), ("i", &ii.to_string())])) {
                                                @for (k, lv) in m.levels.iter().enumerate() {
                                                    option value=(k) selected[usize::from(v) == k] { (k + 1) " " (lv.name.get(l)) }
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                fieldset #areas {
                    legend { (t(l, "method.criteria")) }
                    p.hint { (t(l, "method.criteria_hint")) }
                    (err("areas"))
                    div.scroll {
                        table.edit {
                            thead { tr {
                                th { (t(l, "method.area_code")) }
                                th { (t(l, "method.area")) " (NL / EN)" }
                                @for i in 1..=m.impact.len() { th { (t(l, "risk.impact")) " " (i) } }
                            } }
                            tbody {
                                @for (j, a) in m.areas.iter().enumerate() {
                                    tr {
                                        td { input type="text" name={"a" (j + 1) "_code"} value=(a.code) size="12" aria-label={(t(l, "method.area_code")) " " (j + 1)}; }
                                        td { (bi_inputs(&format!("a{}", j + 1), &format!("{} {}", t(l, "method.area"), j + 1), &a.name, true)) }
                                        @for (i, c) in a.criteria.iter().enumerate() {
                                            td { (bi_inputs(&format!("a{}_c{}", j + 1, i + 1), &format!("{} {}, {} {}", t(l, "method.area"), j + 1, t(l, "risk.impact"), i + 1), c, false)) }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                div.row {
                    div.field.invalid[errs.for_field("review_months").is_some()] {
                        label for="review_months" { (t(l, "method.review_months")) }
                        input #review_months type="number" min="1" max="36" name="review_months" value=(m.review_months);
                        (err("review_months"))
                    }
                }
                div.field {
                    label for="note" { (t(l, "method.note")) }
                    textarea #note name="note" rows="2" { (note.unwrap_or("")) }
                }
                div.actions {
                    button.primary type="submit" { (t(l, "method.save")) }
                    a href=(base) { (t(l, "common.cancel")) }
                }
            }
        },
    )
}

pub async fn edit_form(State(state): State<AppState>, o: OrgPage, Query(p): Query<ShapeParams>) -> WebResult {
    o.ctx.require(Permission::ManageIsms)?;
    // Editing continues the draft when there is one (not the version in force).
    let current = match state.app.methodology_draft(&o.ctx).await? {
        Some(d) => d.methodology,
        None => state.app.methodology(&o.ctx).await?.methodology,
    };
    let m = reshape(
        &current,
        size(&p.likelihood, MIN_SCALE, MAX_SCALE, current.likelihood.len())?,
        size(&p.impact, MIN_SCALE, MAX_SCALE, current.impact.len())?,
        size(&p.levels, 2, MAX_LEVELS, current.levels.len())?,
        size(&p.areas, 1, MAX_AREAS, current.areas.len())?,
    );
    Ok(html(edit_page(&o, &m, None, &FieldErrors::default())))
}

/// Reads a posted methodology. The counts come from hidden fields and are
/// bounded, so no post can make the server loop long or allocate much.
pub fn from_pairs(pairs: &[(String, String)]) -> Result<(Methodology, Option<String>), WebError> {
    let get = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone()).unwrap_or_default();
    let count =
        |k: &str, hi: usize| get(k).trim().parse::<usize>().ok().filter(|n| (1..=hi).contains(n)).ok_or_else(bad);
    let nl = count("n_likelihood", MAX_SCALE)?;
    let ni = count("n_impact", MAX_SCALE)?;
    let nlev = count("n_levels", MAX_LEVELS)?;
    let na = count("n_areas", MAX_AREAS)?;
    let bi = |p: &str| Bi { nl: get(&format!("{p}_nl")), en: get(&format!("{p}_en")) };
    let scale = |p: &str, n: usize| -> Vec<ScaleLevel> {
        (1..=n).map(|i| ScaleLevel { label: bi(&format!("{p}{i}")), description: bi(&format!("{p}{i}_d")) }).collect()
    };
    let levels = (1..=nlev)
        .map(|k| RiskLevel {
            name: bi(&format!("lv{k}")),
            colour: get(&format!("lv{k}_colour")),
            accept_by: AcceptBy::parse(get(&format!("lv{k}_accept")).trim()).unwrap_or(AcceptBy::Nobody),
        })
        .collect();
    let areas = (1..=na)
        .map(|j| ImpactArea {
            code: get(&format!("a{j}_code")),
            name: bi(&format!("a{j}")),
            criteria: (1..=ni).map(|i| bi(&format!("a{j}_c{i}"))).collect(),
        })
        .collect();
    let mut matrix = Vec::with_capacity(nl);
    for li in 1..=nl {
        let mut row = Vec::with_capacity(ni);
        for ii in 1..=ni {
            let v = get(&format!("m{li}_{ii}")).trim().parse::<u8>().map_err(|_| bad())?;
            row.push(v);
        }
        matrix.push(row);
    }
    let review_months = get("review_months").trim().parse::<u32>().unwrap_or(0);
    let note = Some(get("note")).filter(|s| !s.trim().is_empty());
    Ok((Methodology { likelihood: scale("l", nl), impact: scale("i", ni), areas, levels, matrix, review_months }, note))
}

pub async fn save(State(state): State<AppState>, o: OrgPage, Form(pairs): Form<Vec<(String, String)>>) -> WebResult {
    o.ctx.require(Permission::ManageIsms)?;
    let (m, note) = from_pairs(&pairs)?;
    match state.app.save_methodology(&o.ctx, &m, note.as_deref()).await {
        Ok(_) => Ok(see_other(&format!("{}/risks/methodology?done=saved", o.base()))),
        Err(AppError::Invalid(errs)) => {
            Ok(html_status(StatusCode::UNPROCESSABLE_ENTITY, edit_page(&o, &m, note.as_deref(), &errs)))
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn rescore(State(state): State<AppState>, o: OrgPage, Form(_): Form<Done>) -> WebResult {
    state.app.rescore(&o.ctx).await?;
    Ok(see_other(&format!("{}/risks/methodology?done=saved", o.base())))
}
