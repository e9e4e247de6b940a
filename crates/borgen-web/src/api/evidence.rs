//! `/api/v1/orgs/{slug}/evidence…`: the files attached to a record (list,
//! attach as `multipart/form-data` with the parts `file` and `note`, take
//! off), downloads, and the organisation's evidence index. The same use
//! cases and rights as the pages.

use crate::ctx::{ApiOrg, Query};
use crate::error::{WebError, WebResult};
use crate::state::AppState;
use crate::views::evidence::download_response;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::{Json, response::Response};
use borgen_app::AppError;
use borgen_app::evidence::Subject;
use serde_json::json;

fn subject(entity: &str, id: &str) -> Result<Subject, WebError> {
    Subject::parse(entity, id).ok_or(WebError::App(AppError::NotFound))
}

/// `GET …/evidence`: a page of the organisation's files with the records
/// each is attached to.
pub async fn index(
    State(state): State<AppState>,
    a: ApiOrg,
    Query(p): Query<super::PageParams>,
) -> WebResult<Json<serde_json::Value>> {
    let page = p.page.unwrap_or(1).max(1);
    let per_page = p.per_page.unwrap_or(50).clamp(1, 500);
    let (items, total) = state.app.evidence_index(&a.ctx, per_page as i64, (page as i64 - 1) * per_page as i64).await?;
    Ok(Json(json!({ "items": items, "total": total, "page": page, "per_page": per_page })))
}

/// `GET …/evidence/{entity}/{id}`: the files attached to a record now.
pub async fn list(
    State(state): State<AppState>,
    a: ApiOrg,
    Path((_, entity, id)): Path<(String, String, String)>,
) -> WebResult<Json<serde_json::Value>> {
    let (_, items) = state.app.evidence_of(&a.ctx, subject(&entity, &id)?).await?;
    Ok(Json(json!({ "items": items })))
}

/// `POST …/evidence/{entity}/{id}`: attaches the part `file` (its file
/// name is kept) with an optional `note`; 201 with the attachment.
pub async fn attach(
    State(state): State<AppState>,
    a: ApiOrg,
    Path((_, entity, id)): Path<(String, String, String)>,
    mp: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> WebResult<Response> {
    let s = subject(&entity, &id)?;
    let bad = || WebError::Status(StatusCode::BAD_REQUEST, "error.malformed_form");
    // Not multipart, or no boundary: the same JSON error as any malformed body.
    let mut mp = mp.map_err(|_| bad())?;
    let (mut name, mut bytes, mut note) = (String::new(), Vec::new(), String::new());
    while let Some(field) = mp.next_field().await.map_err(|_| bad())? {
        let part = field.name().unwrap_or("").to_string();
        let file_name = field.file_name().map(str::to_string);
        let data =
            field.bytes().await.map_err(|_| WebError::Status(StatusCode::PAYLOAD_TOO_LARGE, "error.too_large"))?;
        match part.as_str() {
            "file" => {
                name = file_name.unwrap_or_default();
                bytes = data.to_vec();
            }
            "note" => note = String::from_utf8_lossy(&data).into_owned(),
            _ => {}
        }
    }
    let link = state.app.attach_evidence(&a.ctx, s, &name, &note, bytes.into()).await?;
    Ok((StatusCode::CREATED, Json(link)).into_response())
}

/// `DELETE …/evidence/{entity}/{id}/{link}`: takes the file off the record
/// (204); the attachment stays in the record's history.
pub async fn detach(
    State(state): State<AppState>,
    a: ApiOrg,
    Path((_, entity, id, link)): Path<(String, String, String, String)>,
) -> WebResult<StatusCode> {
    state.app.detach_evidence(&a.ctx, subject(&entity, &id)?, &link).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `GET …/evidence/download/{link}`: an attached file.
pub async fn download(
    State(state): State<AppState>,
    a: ApiOrg,
    Path((_, link)): Path<(String, String)>,
) -> WebResult<Response> {
    Ok(download_response(state.app.evidence_download(&a.ctx, &link).await?))
}

/// `GET …/evidence/files/{sha256}`: a file of the organisation by its hash.
pub async fn file(
    State(state): State<AppState>,
    a: ApiOrg,
    Path((_, sha)): Path<(String, String)>,
) -> WebResult<Response> {
    Ok(download_response(state.app.evidence_file(&a.ctx, &sha).await?))
}
