//! `/api/v1/orgs/{slug}/soa…`: the same use cases as
//! the SoA pages.

use crate::ctx::{ApiOrg, JsonBody, Query, client_of};
use crate::error::{WebError, WebResult};
use crate::state::AppState;
use crate::views::soa::{DiffParams, SoaParams, export_rows, requirement_ids, rows_of};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use borgen_app::AppError;
use borgen_app::totp::StepUp;
use borgen_core::catalog;
use borgen_core::soa::*;
use serde_json::{Value, json};

fn control_of(id: &str) -> Result<&'static str, WebError> {
    catalog::control(id).map(|c| c.id.as_str()).ok_or(WebError::App(AppError::NotFound))
}

pub async fn table(State(s): State<AppState>, a: ApiOrg, Query(p): Query<SoaParams>) -> WebResult<Json<Value>> {
    let all = s.app.soa_rows(&a.ctx).await?;
    let prog = progress(&all);
    let rows = p.apply(all, a.lang)?;
    Ok(Json(json!({ "rows": rows, "progress": prog })))
}

pub async fn get_row(
    State(s): State<AppState>,
    a: ApiOrg,
    Path((_, id)): Path<(String, String)>,
) -> WebResult<Json<SoaRow>> {
    Ok(Json(s.app.soa_row(&a.ctx, control_of(&id)?).await?))
}

pub async fn put_row(
    State(s): State<AppState>,
    a: ApiOrg,
    Path((_, id)): Path<(String, String)>,
    JsonBody(f): JsonBody<SoaEntryForm>,
) -> WebResult<Json<SoaRow>> {
    let id = control_of(&id)?;
    s.app.soa_row(&a.ctx, id).await?;
    let input = f.parse()?;
    let reqs = requirement_ids(f.requirement_ids.as_deref().unwrap_or(&[]))?;
    Ok(Json(s.app.update_soa_row(&a.ctx, id, input, reqs).await?))
}

pub async fn versions(State(s): State<AppState>, a: ApiOrg) -> WebResult<Json<Value>> {
    Ok(Json(json!({ "items": s.app.soa_versions(&a.ctx).await? })))
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct NoteBody {
    pub note: Option<String>,
    pub comment: Option<String>,
    /// The current second-factor code, when approving as a user who has one.
    pub code: Option<String>,
}

pub async fn issue(State(s): State<AppState>, a: ApiOrg, JsonBody(b): JsonBody<NoteBody>) -> WebResult<Response> {
    let n = s.app.issue_soa_version(&a.ctx, b.note.as_deref()).await?;
    let v = s.app.soa_version(&a.ctx, n).await?;
    Ok((StatusCode::CREATED, Json(json!({ "version": v, "rows": v.rows()? }))).into_response())
}

use crate::ctx::version_number as number;

pub async fn version(
    State(s): State<AppState>,
    a: ApiOrg,
    Path((_, n)): Path<(String, String)>,
) -> WebResult<Json<Value>> {
    let v = s.app.soa_version(&a.ctx, number(&n)?).await?;
    let rows = v.rows()?;
    Ok(Json(json!({ "version": v, "rows": rows, "progress": progress(&rows) })))
}

pub async fn approve(
    State(s): State<AppState>,
    a: ApiOrg,
    parts: Parts,
    Path((_, n)): Path<(String, String)>,
    JsonBody(b): JsonBody<NoteBody>,
) -> WebResult<Json<Value>> {
    let n = number(&n)?;
    let step = StepUp::new(b.code.as_deref(), client_of(&s, &parts));
    s.app.approve_version(&a.ctx, &borgen_core::version::SOA_VERSIONS, n, b.comment.as_deref(), &step).await?;
    Ok(Json(json!({ "version": s.app.soa_version(&a.ctx, n).await? })))
}

pub async fn compare(State(s): State<AppState>, a: ApiOrg, Query(p): Query<DiffParams>) -> WebResult<Json<Value>> {
    let from = match p.from.clone() {
        Some(f) => f,
        None => s
            .app
            .last_approved_soa(&a.ctx)
            .await?
            .map(|v| v.number.to_string())
            .ok_or(WebError::Status(StatusCode::NOT_FOUND, "soa.none_approved"))?,
    };
    let (x, _) = rows_of(&s, &a.ctx, Some(&from)).await?;
    let (y, _) = rows_of(&s, &a.ctx, p.to.as_deref()).await?;
    let changes: Vec<Value> =
        diff(&x, &y).into_iter().map(|(id, f)| json!({ "control_id": id, "changes": f })).collect();
    Ok(Json(json!({ "from": from, "to": p.to.unwrap_or_else(|| "draft".into()), "rows": changes })))
}

pub async fn export(
    State(s): State<AppState>,
    a: ApiOrg,
    Path((_, format)): Path<(String, String)>,
    Query(p): Query<DiffParams>,
) -> WebResult {
    let (rows, v) = rows_of(&s, &a.ctx, p.version.as_deref()).await?;
    let scope = s.app.scope_in_force(&a.ctx, v.as_ref().map(|v| v.issued_at.as_str())).await?;
    export_rows(&s.app, a.lang, &a.ctx.org, rows, v, scope, &format).await
}

/// `POST …/soa/import` with the file as the body (text/csv or the XLSX type).
pub async fn import(
    State(s): State<AppState>,
    a: ApiOrg,
    headers: axum::http::HeaderMap,
    body: axum::body::Bytes,
) -> WebResult {
    a.ctx.require(borgen_core::role::Permission::ManageIsms)?;
    let errors = match sheet(&s.app, &headers, &body).await? {
        Ok(table) => match s.app.import_soa(&a.ctx, &table).await? {
            Ok(outcome) => return Ok(Json(outcome).into_response()),
            Err(e) => e,
        },
        Err(e) => e,
    };
    Ok(rejected(a.lang, &errors))
}

/// An import's request body as rows of text: 415 unless it is CSV or XLSX,
/// the file's problems when it cannot be read.
pub async fn sheet(
    app: &borgen_app::App,
    headers: &axum::http::HeaderMap,
    body: &axum::body::Bytes,
) -> Result<Result<Vec<Vec<String>>, Vec<borgen_core::soa::ImportError>>, WebError> {
    let ct = headers.get(axum::http::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let ct = ct.split(';').next().unwrap_or("").trim();
    if !matches!(ct, "text/csv" | "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet") {
        return Err(WebError::Status(StatusCode::UNSUPPORTED_MEDIA_TYPE, "error.content_type_sheet"));
    }
    crate::views::import::read_upload_apart(app, body.clone()).await
}

/// 422 with a file's problems, each with its line, column and message.
pub fn rejected(lang: borgen_core::Lang, errors: &[borgen_core::soa::ImportError]) -> axum::response::Response {
    let list: Vec<Value> = errors
        .iter()
        .map(|e| json!({ "line": e.line, "column": e.column, "code": e.key, "message": borgen_core::i18n::t(lang, e.key) }))
        .collect();
    let body = json!({ "error": { "status": 422, "code": "error.import_rejected", "message": borgen_core::i18n::t(lang, "error.import_rejected"), "rows": list } });
    (StatusCode::UNPROCESSABLE_ENTITY, Json(body)).into_response()
}
