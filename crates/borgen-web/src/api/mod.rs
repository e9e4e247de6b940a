//! The JSON API under `/api/v1`. Same use cases and authorisation as the
//! pages; authenticated by a personal API token or a session (with the CSRF
//! header for changes). Described by `/api/v1/openapi.json`.

pub mod document;
pub mod evidence;
pub mod risk;
pub mod soa;

use crate::ctx::ApiOrg;
use crate::ctx::{ApiCaller, Query};
use crate::error::WebResult;
use crate::state::AppState;
use axum::extract::State;
use axum::routing::{delete, get, post, put};
use axum::{Json, Router};
use serde_json::{Value, json};

pub fn routes(upload: usize) -> Router<AppState> {
    let evidence = axum::extract::DefaultBodyLimit::max(upload);
    Router::new()
        .route("/api/v1/openapi.json", get(openapi))
        .route("/api/v1/me", get(me))
        .route("/api/v1/orgs", get(orgs))
        .route("/api/v1/catalog", get(catalog))
        .route("/api/v1/orgs/{slug}/members", get(members))
        .route("/api/v1/orgs/{slug}/audit-log", get(audit_log))
        .route("/api/v1/orgs/{slug}/soa", get(soa::table))
        .route("/api/v1/orgs/{slug}/soa/rows/{control}", get(soa::get_row).put(soa::put_row))
        .route("/api/v1/orgs/{slug}/soa/versions", get(soa::versions).post(soa::issue))
        .route("/api/v1/orgs/{slug}/soa/versions/{n}", get(soa::version))
        .route("/api/v1/orgs/{slug}/soa/versions/{n}/approve", post(soa::approve))
        .route("/api/v1/orgs/{slug}/soa/diff", get(soa::compare))
        .route("/api/v1/orgs/{slug}/soa/import", post(soa::import))
        .route("/api/v1/orgs/{slug}/soa/export/{format}", get(soa::export))
        .route("/api/v1/orgs/{slug}/risks", get(risk::list_risks).post(risk::create_risk))
        .route("/api/v1/orgs/{slug}/risks/heatmap", get(risk::heatmap))
        .route("/api/v1/orgs/{slug}/risks/export/{format}", get(risk::export_risks))
        .route("/api/v1/orgs/{slug}/threats/export/{format}", get(risk::export_threats))
        .route("/api/v1/orgs/{slug}/assets/import", post(risk::import_assets).layer(upload_limit()))
        .route("/api/v1/orgs/{slug}/risks/import", post(risk::import_risks).layer(upload_limit()))
        .route("/api/v1/orgs/{slug}/tasks/export/{format}", get(risk::export_tasks))
        .route("/api/v1/orgs/{slug}/risks/quantitative", get(risk::quantitative))
        .route("/api/v1/orgs/{slug}/risks/{id}/estimate", put(risk::put_estimate))
        .route("/api/v1/orgs/{slug}/risks/{id}", get(risk::get_risk).put(risk::update_risk))
        .route("/api/v1/orgs/{slug}/risks/{id}/archive", post(risk::archive_risk))
        .route("/api/v1/orgs/{slug}/risks/{id}/restore", post(risk::restore_risk))
        .route("/api/v1/orgs/{slug}/risks/{id}/accept", post(risk::accept_risk))
        .route("/api/v1/orgs/{slug}/risks/{id}/tasks", post(risk::add_task))
        .route("/api/v1/orgs/{slug}/risks/{id}/history", get(risk::risk_history))
        .route("/api/v1/orgs/{slug}/risk-methodology", get(risk::methodology).put(risk::save_methodology))
        .route("/api/v1/orgs/{slug}/risk-methodology/rescore", get(risk::rescore_preview).post(risk::rescore))
        .route("/api/v1/orgs/{slug}/risk-methodology/versions/{v}", get(risk::methodology_version))
        .route("/api/v1/orgs/{slug}/risk-methodology/versions/{v}/approve", post(risk::approve_methodology))
        .route("/api/v1/orgs/{slug}/risk-runs", get(risk::list_runs).post(risk::take_run))
        .route("/api/v1/orgs/{slug}/risk-runs/compare", get(risk::compare_runs))
        .route("/api/v1/orgs/{slug}/risk-runs/{n}", get(risk::get_run))
        .route("/api/v1/orgs/{slug}/risk-runs/{n}/approve", post(risk::approve_run))
        .route("/api/v1/orgs/{slug}/treatment-plan/versions", get(risk::plan::versions).post(risk::plan::issue))
        .route("/api/v1/orgs/{slug}/treatment-plan/versions/{n}", get(risk::plan::version))
        .route("/api/v1/orgs/{slug}/treatment-plan/versions/{n}/sign-off", post(risk::plan::sign_off))
        .route("/api/v1/orgs/{slug}/treatment-plan/versions/{n}/approve", post(risk::plan::approve))
        .route("/api/v1/orgs/{slug}/threats", get(risk::threats))
        .route("/api/v1/orgs/{slug}/documents/{id}/versions", get(document::list).post(document::create))
        .route("/api/v1/orgs/{slug}/documents/{id}/versions/{n}", get(document::get).put(document::save))
        .route("/api/v1/orgs/{slug}/documents/{id}/versions/{n}/submit", post(document::submit))
        .route("/api/v1/orgs/{slug}/documents/{id}/versions/{n}/review", post(document::review))
        .route("/api/v1/orgs/{slug}/documents/{id}/versions/{n}/approve", post(document::approve))
        .route("/api/v1/orgs/{slug}/documents/{id}/versions/{n}/publish", post(document::publish))
        .route("/api/v1/orgs/{slug}/documents/{id}/versions/{n}/withdraw", post(document::withdraw))
        .route(
            "/api/v1/orgs/{slug}/documents/{id}/versions/{n}/acknowledgements",
            get(document::acknowledgements).put(document::ask),
        )
        .route("/api/v1/orgs/{slug}/documents/{id}/versions/{n}/acknowledge", post(document::acknowledge))
        .route("/api/v1/orgs/{slug}/documents/{id}/diff", get(document::diff))
        .route("/api/v1/orgs/{slug}/document-templates", get(document::templates))
        .route("/api/v1/orgs/{slug}/document-templates/{kind}", post(document::from_template))
        .route("/api/v1/orgs/{slug}/reading", get(document::reading))
        .route("/api/v1/orgs/{slug}/reading/{id}", get(document::read))
        .route("/api/v1/orgs/{slug}/evidence", get(evidence::index))
        .route("/api/v1/orgs/{slug}/evidence/files/{sha256}", get(evidence::file))
        .route("/api/v1/orgs/{slug}/evidence/download/{link}", get(evidence::download))
        .route("/api/v1/orgs/{slug}/evidence/{entity}/{id}", get(evidence::list).post(evidence::attach).layer(evidence))
        .route("/api/v1/orgs/{slug}/evidence/{entity}/{id}/{link}", delete(evidence::detach))
        .route("/api/v1/orgs/{slug}/tasks", get(risk::list_tasks))
        .route("/api/v1/orgs/{slug}/tasks/{id}", get(risk::get_task).put(risk::update_task))
}

async fn openapi() -> Json<Value> {
    Json(crate::openapi::document())
}

async fn me(c: ApiCaller) -> WebResult<Json<Value>> {
    let user = c.actor.user().cloned();
    Ok(Json(json!({ "user": user, "lang": c.lang })))
}

/// The built-in catalogue: Annex A 2022 with attributes and Borgen's texts,
/// the 2013 controls with their 2022 successors, and the clauses.
async fn catalog(_c: ApiCaller) -> Json<Value> {
    use borgen_core::catalog;
    Json(json!({
        "controls": catalog::controls(),
        "controls_2013": catalog::controls_2013(),
        "clauses": catalog::clauses(),
    }))
}

async fn orgs(State(state): State<AppState>, c: ApiCaller) -> WebResult<Json<Value>> {
    let orgs = state.app.my_orgs(&c.actor).await?;
    Ok(Json(json!({ "items": orgs })))
}

async fn members(State(state): State<AppState>, a: ApiOrg) -> WebResult<Json<Value>> {
    let m = state.app.members(&a.ctx.actor, &a.ctx.org.slug).await?;
    Ok(Json(json!({ "items": m })))
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct PageParams {
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

async fn audit_log(State(state): State<AppState>, a: ApiOrg, Query(p): Query<PageParams>) -> WebResult<Json<Value>> {
    let page = p.page.unwrap_or(1).max(1);
    let per_page = p.per_page.unwrap_or(50).clamp(1, 500);
    let (items, total) = state.app.audit_log(&a.ctx, page, per_page).await?;
    Ok(Json(json!({ "items": items, "total": total, "page": page, "per_page": per_page })))
}

/// Imports take files larger than the default body limit.
fn upload_limit() -> axum::extract::DefaultBodyLimit {
    axum::extract::DefaultBodyLimit::max(crate::views::import::UPLOAD_LIMIT)
}
