//! `/api/v1/orgs/{slug}/interested-parties`, `/requirements` (context issues are
//! a declared register: `crate::register`).

use crate::ctx::{ApiOrg, JsonBody, Query};
use crate::error::{WebError, WebResult};
use crate::state::AppState;
use crate::tables::{self, EXPORT_MAX, PartyParams};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use borgen_app::AppError;
use borgen_core::context::*;
use borgen_core::ids::{PartyId, RequirementId};
use serde_json::{Value, json};

fn not_found() -> WebError {
    WebError::App(AppError::NotFound)
}
fn party_id(s: &str) -> Result<PartyId, WebError> {
    PartyId::parse(s).ok_or_else(not_found)
}
fn req_id(s: &str) -> Result<RequirementId, WebError> {
    RequirementId::parse(s).ok_or_else(not_found)
}
fn created<T: serde::Serialize>(v: T) -> Response {
    (StatusCode::CREATED, Json(v)).into_response()
}
fn list_body<T: serde::Serialize>(items: Vec<T>, total: i64, page: u32, per_page: u32) -> Json<Value> {
    Json(json!({ "items": items, "total": total, "page": page, "per_page": per_page }))
}

pub async fn list_parties(
    State(s): State<AppState>,
    a: ApiOrg,
    Query(p): Query<PartyParams>,
) -> WebResult<Json<Value>> {
    let q = p.query()?;
    let (items, total) = s.app.list_parties(&a.ctx, &q).await?;
    Ok(list_body(items, total, q.page, q.per_page))
}

pub async fn create_party(State(s): State<AppState>, a: ApiOrg, JsonBody(f): JsonBody<PartyForm>) -> WebResult {
    Ok(created(s.app.create_party(&a.ctx, f.parse()?).await?))
}

pub async fn get_party(
    State(s): State<AppState>,
    a: ApiOrg,
    Path((_, id)): Path<(String, String)>,
) -> WebResult<Json<Party>> {
    Ok(Json(s.app.get_party(&a.ctx, party_id(&id)?).await?))
}

pub async fn update_party(
    State(s): State<AppState>,
    a: ApiOrg,
    Path((_, id)): Path<(String, String)>,
    JsonBody(f): JsonBody<PartyForm>,
) -> WebResult<Json<Party>> {
    let id = party_id(&id)?;
    s.app.get_party(&a.ctx, id).await?;
    Ok(Json(s.app.update_party(&a.ctx, id, f.parse()?).await?))
}

pub async fn archive_party(
    State(s): State<AppState>,
    a: ApiOrg,
    Path((_, id)): Path<(String, String)>,
) -> WebResult<Json<Party>> {
    Ok(Json(s.app.archive_party(&a.ctx, party_id(&id)?, true).await?))
}

pub async fn restore_party(
    State(s): State<AppState>,
    a: ApiOrg,
    Path((_, id)): Path<(String, String)>,
) -> WebResult<Json<Party>> {
    Ok(Json(s.app.archive_party(&a.ctx, party_id(&id)?, false).await?))
}

pub async fn party_history(
    State(s): State<AppState>,
    a: ApiOrg,
    Path((_, id)): Path<(String, String)>,
) -> WebResult<Json<Value>> {
    let id = party_id(&id)?;
    s.app.get_party(&a.ctx, id).await?;
    Ok(Json(json!({ "items": s.app.history(&a.ctx, &id.as_text()).await? })))
}

pub async fn export_parties(
    State(s): State<AppState>,
    a: ApiOrg,
    Path((_, format)): Path<(String, String)>,
    Query(p): Query<PartyParams>,
) -> WebResult {
    let mut q = p.query()?;
    q.page = 1;
    q.per_page = EXPORT_MAX;
    let (items, _) = s.app.list_parties(&a.ctx, &q).await?;
    let members = s.app.members(&a.ctx.actor, &a.ctx.org.slug).await?;
    tables::download(
        &tables::parties_table(a.lang, &items, &members),
        &format,
        &format!("{}-interested-parties", a.ctx.org.slug),
    )
}

pub async fn add_requirement(
    State(s): State<AppState>,
    a: ApiOrg,
    Path((_, id)): Path<(String, String)>,
    JsonBody(f): JsonBody<RequirementForm>,
) -> WebResult {
    let id = party_id(&id)?;
    s.app.get_party(&a.ctx, id).await?;
    Ok(created(s.app.add_requirement(&a.ctx, id, f.parse()?).await?))
}

pub async fn get_requirement(
    State(s): State<AppState>,
    a: ApiOrg,
    Path((_, id)): Path<(String, String)>,
) -> WebResult<Json<Requirement>> {
    Ok(Json(s.app.get_requirement(&a.ctx, req_id(&id)?).await?))
}

pub async fn update_requirement(
    State(s): State<AppState>,
    a: ApiOrg,
    Path((_, id)): Path<(String, String)>,
    JsonBody(f): JsonBody<RequirementForm>,
) -> WebResult<Json<Requirement>> {
    let id = req_id(&id)?;
    s.app.get_requirement(&a.ctx, id).await?;
    Ok(Json(s.app.update_requirement(&a.ctx, id, f.parse()?).await?))
}

pub async fn archive_requirement(
    State(s): State<AppState>,
    a: ApiOrg,
    Path((_, id)): Path<(String, String)>,
) -> WebResult<Json<Requirement>> {
    Ok(Json(s.app.archive_requirement(&a.ctx, req_id(&id)?, true).await?))
}

pub async fn restore_requirement(
    State(s): State<AppState>,
    a: ApiOrg,
    Path((_, id)): Path<(String, String)>,
) -> WebResult<Json<Requirement>> {
    Ok(Json(s.app.archive_requirement(&a.ctx, req_id(&id)?, false).await?))
}
