//! `/api/v1/orgs/{slug}/risks…`, `/assets…`, `/risk-methodology…`,
//! `/threats` and `/tasks…`: the same use cases as the risk pages.

use crate::ctx::{ApiOrg, JsonBody, Query, client_of};
use crate::error::{WebError, WebResult};
use crate::state::AppState;
use crate::views::risks::RiskParams;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use borgen_app::AppError;
use borgen_app::totp::StepUp;
use borgen_core::ids::{RiskId, TaskId};
use borgen_core::risk::{Methodology, Risk, RiskForm};
use borgen_core::task::{Task, TaskForm};
use borgen_store::risk::TaskFilter;
use serde_json::{Value, json};

fn not_found() -> WebError {
    WebError::App(AppError::NotFound)
}

pub async fn list_risks(State(s): State<AppState>, a: ApiOrg, Query(p): Query<RiskParams>) -> WebResult<Json<Value>> {
    let q = p.query(&a.ctx.today())?;
    let offset = i64::from(q.page - 1) * q.per_page;
    let page = s.app.list_risks(&a.ctx, &q.filter, q.sort, q.per_page, offset).await?;
    Ok(Json(json!({ "items": page.risks, "total": page.total, "page": q.page, "per_page": q.per_page })))
}

pub async fn get_risk(
    State(s): State<AppState>,
    a: ApiOrg,
    Path((_, id)): Path<(String, String)>,
) -> WebResult<Json<Value>> {
    let id = RiskId::parse(&id).ok_or_else(not_found)?;
    Ok(Json(serde_json::to_value(s.app.get_risk(&a.ctx, id).await?).unwrap_or_default()))
}

pub async fn create_risk(State(s): State<AppState>, a: ApiOrg, JsonBody(f): JsonBody<RiskForm>) -> WebResult<Response> {
    let r = s.app.create_risk(&a.ctx, f.parse()?).await?;
    Ok((StatusCode::CREATED, Json(r)).into_response())
}

pub async fn update_risk(
    State(s): State<AppState>,
    a: ApiOrg,
    Path((_, id)): Path<(String, String)>,
    JsonBody(f): JsonBody<RiskForm>,
) -> WebResult<Json<Risk>> {
    let id = RiskId::parse(&id).ok_or_else(not_found)?;
    s.app.get_risk(&a.ctx, id).await?;
    Ok(Json(s.app.update_risk(&a.ctx, id, f.parse()?).await?))
}

pub async fn archive_risk(
    State(s): State<AppState>,
    a: ApiOrg,
    Path((_, id)): Path<(String, String)>,
) -> WebResult<Json<Risk>> {
    let id = RiskId::parse(&id).ok_or_else(not_found)?;
    Ok(Json(s.app.archive_risk(&a.ctx, id, true).await?))
}

pub async fn restore_risk(
    State(s): State<AppState>,
    a: ApiOrg,
    Path((_, id)): Path<(String, String)>,
) -> WebResult<Json<Risk>> {
    let id = RiskId::parse(&id).ok_or_else(not_found)?;
    Ok(Json(s.app.archive_risk(&a.ctx, id, false).await?))
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct CommentBody {
    pub comment: Option<String>,
    pub note: Option<String>,
    /// The current second-factor code, when accepting or approving as a user
    /// who has one.
    pub code: Option<String>,
    /// For an acceptance: the last day it holds.
    pub expires_on: Option<String>,
}

pub async fn accept_risk(
    State(s): State<AppState>,
    a: ApiOrg,
    parts: Parts,
    Path((_, id)): Path<(String, String)>,
    JsonBody(b): JsonBody<CommentBody>,
) -> WebResult<Response> {
    let id = RiskId::parse(&id).ok_or_else(not_found)?;
    let step = StepUp::new(b.code.as_deref(), client_of(&s, &parts));
    let acc = s.app.accept_risk(&a.ctx, id, b.comment.as_deref(), b.expires_on.as_deref(), &step).await?;
    Ok((StatusCode::CREATED, Json(acc)).into_response())
}

pub async fn risk_history(
    State(s): State<AppState>,
    a: ApiOrg,
    Path((_, id)): Path<(String, String)>,
) -> WebResult<Json<Value>> {
    let id = RiskId::parse(&id).ok_or_else(not_found)?;
    s.app.get_risk(&a.ctx, id).await?;
    Ok(Json(json!({ "items": s.app.history(&a.ctx, &id.as_text()).await? })))
}

pub async fn add_task(
    State(s): State<AppState>,
    a: ApiOrg,
    Path((_, id)): Path<(String, String)>,
    JsonBody(f): JsonBody<TaskForm>,
) -> WebResult<Response> {
    let id = RiskId::parse(&id).ok_or_else(not_found)?;
    let t = s.app.create_risk_task(&a.ctx, id, f.parse()?).await?;
    Ok((StatusCode::CREATED, Json(t)).into_response())
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct HeatParams {
    pub residual: Option<bool>,
}

/// Counts per matrix cell with the methodology in force.
pub async fn heatmap(State(s): State<AppState>, a: ApiOrg, Query(p): Query<HeatParams>) -> WebResult<Json<Value>> {
    let residual = p.residual.unwrap_or(false);
    let maps = s.app.heat_maps(&a.ctx).await?;
    let earlier = maps.earlier;
    // The levels come from the methodology the counts were made on.
    let m = &maps.methodology;
    let counts = if residual { &maps.residual } else { &maps.inherent };
    let cells: Vec<Value> = counts
        .iter()
        .map(|(l, i, n)| json!({ "likelihood": l, "impact": i, "count": n, "level": m.methodology.score(*l, *i) }))
        .collect();
    Ok(Json(
        json!({ "methodology_version": m.version, "residual": residual, "cells": cells, "earlier_versions": earlier }),
    ))
}

// ---------------------------------------------------------------- methodology

pub async fn methodology(State(s): State<AppState>, a: ApiOrg) -> WebResult<Json<Value>> {
    let m = s.app.methodology(&a.ctx).await?;
    let versions: Vec<Value> = s
        .app
        .methodology_versions(&a.ctx)
        .await?
        .iter()
        .map(|v| {
            json!({ "version": v.version, "note": v.note, "created_by": v.created_by_label, "created_at": v.created_at,
            "approved_by_label": v.approval.as_ref().map(|a| &a.by_label) })
        })
        .collect();
    Ok(Json(json!({ "version": m.version, "methodology": m.methodology, "versions": versions })))
}

pub async fn methodology_version(
    State(s): State<AppState>,
    a: ApiOrg,
    Path((_, v)): Path<(String, String)>,
) -> WebResult<Json<Value>> {
    let v: i64 = v.parse().map_err(|_| not_found())?;
    let m = s.app.methodology_version(&a.ctx, v).await?;
    let mut out = methodology_json(&m);
    // What changed from the version before, in the caller's language, as the page lists it.
    if v > 1
        && let Ok(before) = s.app.methodology_version(&a.ctx, v - 1).await
    {
        out["changes_from_previous"] =
            json!(borgen_core::risk::methodology_changes(a.lang, &before.methodology, &m.methodology));
    }
    Ok(Json(out))
}

fn methodology_json(m: &borgen_core::risk::MethodologyVersion) -> Value {
    let a = m.approval.as_ref();
    json!({ "version": m.version, "note": m.note, "created_by": m.created_by_label, "created_at": m.created_at,
        "approved_at": a.map(|a| &a.at), "approved_by_label": a.map(|a| &a.by_label),
        "approval_comment": a.and_then(|a| a.comment.as_ref()), "methodology": m.methodology })
}

/// Top management approves a saved methodology version, once.
pub async fn approve_methodology(
    State(s): State<AppState>,
    a: ApiOrg,
    parts: Parts,
    Path((_, v)): Path<(String, String)>,
    JsonBody(b): JsonBody<CommentBody>,
) -> WebResult<Json<Value>> {
    let v: i64 = v.parse().map_err(|_| not_found())?;
    let step = StepUp::new(b.code.as_deref(), client_of(&s, &parts));
    s.app.approve_version(&a.ctx, &borgen_core::version::METHODOLOGY_VERSIONS, v, b.comment.as_deref(), &step).await?;
    Ok(Json(methodology_json(&s.app.methodology_version(&a.ctx, v).await?)))
}

#[derive(Debug, serde::Deserialize)]
pub struct MethodologyBody {
    pub methodology: Methodology,
    #[serde(default)]
    pub note: Option<String>,
}

/// Saves a new version (201: a draft until top management approves it) or
/// answers 200 with the newest version when nothing changed; `in_force` is the
/// version risks are scored with.
pub async fn save_methodology(
    State(s): State<AppState>,
    a: ApiOrg,
    JsonBody(b): JsonBody<MethodologyBody>,
) -> WebResult<Response> {
    let before = match s.app.methodology_draft(&a.ctx).await? {
        Some(d) => d.version,
        None => s.app.methodology(&a.ctx).await?.version,
    };
    let v = s.app.save_methodology(&a.ctx, &b.methodology, b.note.as_deref()).await?;
    let status = if v == before { StatusCode::OK } else { StatusCode::CREATED };
    // A saved version comes into force when top management approves it.
    let in_force = s.app.methodology(&a.ctx).await?.version;
    Ok((status, Json(json!({ "version": v, "in_force": in_force })).into_response()).into_response())
}

pub async fn rescore_preview(State(s): State<AppState>, a: ApiOrg) -> WebResult<Json<Value>> {
    let (v, plan) = s.app.rescore_preview(&a.ctx).await?;
    Ok(Json(json!({ "version": v, "items": plan })))
}

pub async fn rescore(State(s): State<AppState>, a: ApiOrg) -> WebResult<Json<Value>> {
    let n = s.app.rescore(&a.ctx).await?;
    Ok(Json(json!({ "rescored": n })))
}

// ---------------------------------------------------------------- threats, tasks

pub async fn threats(State(s): State<AppState>, a: ApiOrg) -> WebResult<Json<Value>> {
    let builtin: Vec<Value> = borgen_core::threat::threats()
        .iter()
        .map(|t| json!({ "code": t.code, "group": t.group, "c": t.c, "i": t.i, "a": t.a, "name": t.name(a.lang), "description": t.description(a.lang) }))
        .collect();
    Ok(Json(json!({ "builtin": builtin, "own": s.app.own_threats(&a.ctx).await? })))
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct TaskParams {
    pub mine: Option<bool>,
    pub open: Option<bool>,
}

pub async fn list_tasks(State(s): State<AppState>, a: ApiOrg, Query(p): Query<TaskParams>) -> WebResult<Json<Value>> {
    let items = if p.mine.unwrap_or(false) {
        s.app.my_tasks(&a.ctx).await?
    } else {
        s.app.list_tasks(&a.ctx, &TaskFilter { open_only: p.open.unwrap_or(false), ..Default::default() }).await?
    };
    Ok(Json(json!({ "items": items })))
}

pub async fn get_task(
    State(s): State<AppState>,
    a: ApiOrg,
    Path((_, id)): Path<(String, String)>,
) -> WebResult<Json<Task>> {
    let id = TaskId::parse(&id).ok_or_else(not_found)?;
    Ok(Json(s.app.get_task(&a.ctx, id).await?))
}

pub async fn update_task(
    State(s): State<AppState>,
    a: ApiOrg,
    Path((_, id)): Path<(String, String)>,
    JsonBody(f): JsonBody<TaskForm>,
) -> WebResult<Json<Task>> {
    let id = TaskId::parse(&id).ok_or_else(not_found)?;
    s.app.get_task(&a.ctx, id).await?;
    Ok(Json(s.app.update_task(&a.ctx, id, f.parse()?).await?))
}

// ---------------------------------------------------------------- quantitative

pub async fn put_estimate(
    State(s): State<AppState>,
    a: ApiOrg,
    Path((_, id)): Path<(String, String)>,
    JsonBody(f): JsonBody<borgen_app::risk::EstimateForm>,
) -> WebResult<Json<Value>> {
    let id = RiskId::parse(&id).ok_or_else(not_found)?;
    s.app.require_risk_editor(&a.ctx, id).await?;
    s.app.set_risk_estimate(&a.ctx, id, f.parse(a.lang)?).await?;
    let out = s.app.risk_outcome(&a.ctx, id, borgen_app::risk::DEFAULT_SEED).await?;
    Ok(Json(
        json!({ "estimate": out.as_ref().map(|x| x.0), "outcome": out.as_ref().map(|x| &x.1), "seed": borgen_app::risk::DEFAULT_SEED }),
    ))
}

pub async fn quantitative(
    State(s): State<AppState>,
    a: ApiOrg,
    Query(p): Query<crate::views::risks::SeedParams>,
) -> WebResult<Json<Value>> {
    let q = s.app.quantitative(&a.ctx, borgen_app::risk::ITERATIONS, p.seed()?).await?;
    let items: Vec<Value> = q
        .risks
        .iter()
        .map(|(r, e, o)| json!({ "risk_id": r.id, "reference": r.reference(), "title": r.data.title, "estimate": e, "outcome": o }))
        .collect();
    Ok(Json(json!({ "seed": q.seed, "iterations": q.iterations, "items": items, "total": q.total })))
}

// ---------------------------------------------------------------- runs

fn run_number(n: &str) -> Result<i64, WebError> {
    n.parse::<i64>().ok().filter(|n| *n > 0).ok_or_else(not_found)
}

pub async fn list_runs(State(s): State<AppState>, a: ApiOrg) -> WebResult<Json<Value>> {
    let runs = s.app.runs(&a.ctx).await?;
    let due = s.app.next_run_due(&a.ctx).await?;
    Ok(Json(json!({ "items": runs, "next_due": due })))
}

pub async fn take_run(
    State(s): State<AppState>,
    a: ApiOrg,
    JsonBody(f): JsonBody<borgen_core::run::RunForm>,
) -> WebResult<Response> {
    let n = s.app.take_run(&a.ctx, &f).await?;
    let run = s.app.run(&a.ctx, n).await?;
    let risks = run.risks()?;
    Ok((StatusCode::CREATED, Json(json!({ "run": run, "risks": risks })).into_response()).into_response())
}

pub async fn get_run(
    State(s): State<AppState>,
    a: ApiOrg,
    Path((_, n)): Path<(String, String)>,
) -> WebResult<Json<Value>> {
    let run = s.app.run(&a.ctx, run_number(&n)?).await?;
    let risks = run.risks()?;
    Ok(Json(json!({ "run": run, "risks": risks })))
}

pub async fn approve_run(
    State(s): State<AppState>,
    a: ApiOrg,
    parts: Parts,
    Path((_, n)): Path<(String, String)>,
    JsonBody(b): JsonBody<CommentBody>,
) -> WebResult<Json<Value>> {
    let n = run_number(&n)?;
    let step = StepUp::new(b.code.as_deref(), client_of(&s, &parts));
    s.app.approve_version(&a.ctx, &borgen_core::version::RISK_RUNS, n, b.comment.as_deref(), &step).await?;
    Ok(Json(json!({ "run": s.app.run(&a.ctx, n).await? })))
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct CompareParams {
    pub from: Option<i64>,
    pub to: Option<i64>,
}

pub async fn compare_runs(
    State(s): State<AppState>,
    a: ApiOrg,
    Query(p): Query<CompareParams>,
) -> WebResult<Json<Value>> {
    let bad = || WebError::Status(StatusCode::BAD_REQUEST, "error.bad_filter");
    let d = s.app.compare_runs(&a.ctx, p.from.ok_or_else(bad)?, p.to.ok_or_else(bad)?).await?;
    Ok(Json(serde_json::to_value(d).unwrap_or_default()))
}

// ---------------------------------------------------------------- exports

pub async fn export_risks(
    State(s): State<AppState>,
    a: ApiOrg,
    Path((_, format)): Path<(String, String)>,
    Query(p): Query<RiskParams>,
) -> WebResult<Response> {
    let q = p.query(&a.ctx.today())?;
    let table = crate::risk_export::risks(&s, &a.ctx, a.lang, &q.filter, format == "pdf").await?;
    crate::risk_export::download(&s.app, a.lang, &a.ctx.org, &format!("{}-risks", a.ctx.org.slug), table, &format).await
}

pub async fn export_threats(
    State(s): State<AppState>,
    a: ApiOrg,
    Path((_, format)): Path<(String, String)>,
) -> WebResult<Response> {
    let table = crate::risk_export::threats(&s, &a.ctx, a.lang).await?;
    crate::risk_export::download(&s.app, a.lang, &a.ctx.org, &format!("{}-threats", a.ctx.org.slug), table, &format)
        .await
}

pub async fn export_tasks(
    State(s): State<AppState>,
    a: ApiOrg,
    Path((_, format)): Path<(String, String)>,
) -> WebResult<Response> {
    let table = crate::risk_export::treatment_plan(&s, &a.ctx, a.lang, false).await?;
    crate::risk_export::download(
        &s.app,
        a.lang,
        &a.ctx.org,
        &format!("{}-treatment-plan", a.ctx.org.slug),
        table,
        &format,
    )
    .await
}

/// The column choices of an import request: `?map.<column>=<field>`, the
/// column by its header or its number from 1, the field by its code (empty
/// to ignore the column).
fn import_choices(uri: &axum::http::Uri) -> Result<Vec<(String, String)>, WebError> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(uri.query().unwrap_or(""))
        .map_err(|_| WebError::Status(StatusCode::BAD_REQUEST, "error.malformed_query"))?;
    Ok(pairs.into_iter().filter_map(|(k, v)| k.strip_prefix("map.").map(|c| (c.to_string(), v))).collect())
}

async fn import(
    s: AppState,
    a: ApiOrg,
    kind: crate::views::import::Kind,
    uri: axum::http::Uri,
    headers: axum::http::HeaderMap,
    body: axum::body::Bytes,
) -> WebResult {
    // Nobody else's file is read at all.
    a.ctx.require(borgen_core::role::Permission::ManageIsms)?;
    let choices = import_choices(&uri)?;
    let errors = match crate::api::soa::sheet(&s.app, &headers, &body).await? {
        Ok(table) => match kind.run(&s, &a.ctx, std::sync::Arc::new(table), choices).await? {
            Ok(outcome) => return Ok((StatusCode::CREATED, Json(outcome)).into_response()),
            Err(e) => e,
        },
        Err(e) => e,
    };
    Ok(crate::api::soa::rejected(a.lang, &errors))
}

/// `POST …/assets/import` with the file as the body (text/csv or the XLSX type).
pub async fn import_assets(
    State(s): State<AppState>,
    a: ApiOrg,
    uri: axum::http::Uri,
    headers: axum::http::HeaderMap,
    body: axum::body::Bytes,
) -> WebResult {
    import(s, a, crate::views::import::Kind::Assets, uri, headers, body).await
}

/// `POST …/risks/import` with the file as the body (text/csv or the XLSX type).
pub async fn import_risks(
    State(s): State<AppState>,
    a: ApiOrg,
    uri: axum::http::Uri,
    headers: axum::http::HeaderMap,
    body: axum::body::Bytes,
) -> WebResult {
    import(s, a, crate::views::import::Kind::Risks, uri, headers, body).await
}

/// `/api/v1/orgs/{slug}/treatment-plan/versions…`: versions of the risk
/// treatment plan as a whole, signed off by the risk owners and approved by
/// top management (the same use cases as the pages).
pub mod plan {
    use super::*;
    use crate::api::soa::NoteBody;
    use borgen_core::version::TREATMENT_PLANS;

    use crate::ctx::version_number as number;

    fn waiting(v: &borgen_app::treatment::PlanVersion) -> Value {
        json!(v.waiting())
    }

    pub async fn versions(State(s): State<AppState>, a: ApiOrg) -> WebResult<Json<Value>> {
        let items: Vec<Value> = s
            .app
            .treatment_plan_versions(&a.ctx)
            .await?
            .iter()
            .map(|v| json!({ "version": v.version, "signoffs": v.signoffs, "waiting_for": waiting(v), "risks": v.plan.risks.len() }))
            .collect();
        let current = s.app.treatment_plan(&a.ctx).await?;
        let gaps: Vec<String> =
            borgen_core::treatment::gaps(&current).iter().map(|p| crate::error::problem_text(a.lang, p)).collect();
        Ok(Json(json!({ "items": items, "current": current, "gaps": gaps })))
    }

    pub async fn issue(State(s): State<AppState>, a: ApiOrg, JsonBody(b): JsonBody<NoteBody>) -> WebResult<Response> {
        let n = s.app.issue_treatment_plan(&a.ctx, b.note.as_deref()).await?;
        let v = s.app.treatment_plan_version(&a.ctx, n).await?;
        Ok((StatusCode::CREATED, Json(json!({ "version": v.version, "plan": v.plan, "waiting_for": waiting(&v) })))
            .into_response())
    }

    pub async fn version(
        State(s): State<AppState>,
        a: ApiOrg,
        Path((_, n)): Path<(String, String)>,
    ) -> WebResult<Json<Value>> {
        let v = s.app.treatment_plan_version(&a.ctx, number(&n)?).await?;
        Ok(Json(json!({ "version": v.version, "plan": v.plan, "signoffs": v.signoffs, "waiting_for": waiting(&v) })))
    }

    /// A sign-off (`approve` false) or the approval of version `n`, then the
    /// version with its sign-offs and who has yet to sign.
    async fn act(
        s: AppState,
        a: ApiOrg,
        parts: Parts,
        n: String,
        b: NoteBody,
        approve: bool,
    ) -> WebResult<Json<Value>> {
        let n = number(&n)?;
        let step = StepUp::new(b.code.as_deref(), client_of(&s, &parts));
        if approve {
            s.app.approve_version(&a.ctx, &TREATMENT_PLANS, n, b.comment.as_deref(), &step).await?;
        } else {
            s.app.sign_off_version(&a.ctx, &TREATMENT_PLANS, n, b.comment.as_deref(), &step).await?;
        }
        let v = s.app.treatment_plan_version(&a.ctx, n).await?;
        Ok(Json(json!({ "version": v.version, "signoffs": v.signoffs, "waiting_for": waiting(&v) })))
    }

    pub async fn sign_off(
        State(s): State<AppState>,
        a: ApiOrg,
        parts: Parts,
        Path((_, n)): Path<(String, String)>,
        JsonBody(b): JsonBody<NoteBody>,
    ) -> WebResult<Json<Value>> {
        act(s, a, parts, n, b, false).await
    }

    pub async fn approve(
        State(s): State<AppState>,
        a: ApiOrg,
        parts: Parts,
        Path((_, n)): Path<(String, String)>,
        JsonBody(b): JsonBody<NoteBody>,
    ) -> WebResult<Json<Value>> {
        act(s, a, parts, n, b, true).await
    }
}
