//! `/api/v1/orgs/{slug}/documents/{id}/versions…`: a document's versions and
//! their steps (the same use cases and rules as the pages). Each answer is
//! the version as it stands after the step, with `may`: the steps the
//! caller may take now.

use crate::ctx::{ApiOrg, JsonBody, client_of, version_number as number};
use crate::error::{WebError, WebResult};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use borgen_app::AppError;
use borgen_app::totp::StepUp;
use borgen_core::ids::UserId;
use borgen_core::register::RecordId;
use serde_json::{Value, json};

fn doc(id: &str) -> Result<RecordId, WebError> {
    RecordId::parse(id).ok_or(WebError::App(AppError::NotFound))
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DraftBody {
    /// The text (Markdown); a new draft without it starts from the newest version's.
    pub content: Option<String>,
    pub change_note: Option<String>,
    /// A scope statement's parts (on save); without them they stay as they are.
    pub scope: Option<borgen_core::scope::Parts>,
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubmitBody {
    #[serde(default)]
    pub reviewers: Vec<String>,
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewBody {
    /// `approve` or `return`.
    pub decision: String,
    pub reason: Option<String>,
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApproveBody {
    pub comment: Option<String>,
    pub code: Option<String>,
}

async fn one(s: &AppState, a: &ApiOrg, d: RecordId, n: i64) -> WebResult<Json<Value>> {
    Ok(Json(json!(s.app.doc_version(&a.ctx, d, n).await?)))
}

/// `GET …/versions`: every version, newest first.
pub async fn list(
    State(s): State<AppState>,
    a: ApiOrg,
    Path((_, id)): Path<(String, String)>,
) -> WebResult<Json<Value>> {
    let items = s.app.doc_versions(&a.ctx, doc(&id)?).await?;
    Ok(Json(json!({ "items": items })))
}

/// `POST …/versions`: a new draft (201).
pub async fn create(
    State(s): State<AppState>,
    a: ApiOrg,
    Path((_, id)): Path<(String, String)>,
    JsonBody(b): JsonBody<DraftBody>,
) -> WebResult<Response> {
    if b.scope.is_some() {
        // The parts are written on the draft (`PUT …/{n}`), not with its creation.
        let mut e = borgen_core::FieldErrors::default();
        e.add("scope_parts", "scope.error.on_save");
        return Err(AppError::Invalid(e).into());
    }
    let v = s.app.doc_new_draft(&a.ctx, doc(&id)?, b.content.as_deref(), b.change_note.as_deref()).await?;
    Ok((StatusCode::CREATED, Json(json!(v))).into_response())
}

/// `GET …/versions/{n}`.
pub async fn get(
    State(s): State<AppState>,
    a: ApiOrg,
    Path((_, id, n)): Path<(String, String, String)>,
) -> WebResult<Json<Value>> {
    one(&s, &a, doc(&id)?, number(&n)?).await
}

/// `PUT …/versions/{n}`: the draft's text (409 once it left the draft).
pub async fn save(
    State(s): State<AppState>,
    a: ApiOrg,
    Path((_, id, n)): Path<(String, String, String)>,
    JsonBody(b): JsonBody<DraftBody>,
) -> WebResult<Json<Value>> {
    let (d, n) = (doc(&id)?, number(&n)?);
    // The whole text is sent each time: without it, nothing is emptied.
    let Some(content) = b.content.as_deref() else {
        let mut e = borgen_core::FieldErrors::default();
        e.add("content", "error.required");
        return Err(AppError::Invalid(e).into());
    };
    let scope = b.scope.as_ref().map(borgen_core::scope::Parts::checked).transpose().map_err(AppError::Invalid)?;
    let v = s.app.doc_save_draft(&a.ctx, d, n, content, b.change_note.as_deref(), scope.as_ref()).await?;
    Ok(Json(json!(v)))
}

/// `POST …/versions/{n}/submit` with `reviewers` (user ids).
pub async fn submit(
    State(s): State<AppState>,
    a: ApiOrg,
    Path((_, id, n)): Path<(String, String, String)>,
    JsonBody(b): JsonBody<SubmitBody>,
) -> WebResult<Json<Value>> {
    let (d, n) = (doc(&id)?, number(&n)?);
    let mut reviewers = Vec::new();
    for r in &b.reviewers {
        let Some(u) = UserId::parse(r) else {
            let mut e = borgen_core::FieldErrors::default();
            e.add("reviewers", "document.error.reviewer_not_member");
            return Err(AppError::Invalid(e).into());
        };
        reviewers.push(u);
    }
    s.app.doc_submit(&a.ctx, d, n, &reviewers).await?;
    one(&s, &a, d, n).await
}

/// `POST …/versions/{n}/review`: `decision` `approve` or `return` (with a `reason`).
pub async fn review(
    State(s): State<AppState>,
    a: ApiOrg,
    Path((_, id, n)): Path<(String, String, String)>,
    JsonBody(b): JsonBody<ReviewBody>,
) -> WebResult<Json<Value>> {
    let (d, n) = (doc(&id)?, number(&n)?);
    let approve = match b.decision.as_str() {
        "approve" => true,
        "return" => false,
        _ => {
            let mut e = borgen_core::FieldErrors::default();
            e.add("decision", "error.unknown_value");
            return Err(AppError::Invalid(e).into());
        }
    };
    s.app.doc_review(&a.ctx, d, n, approve, b.reason.as_deref()).await?;
    one(&s, &a, d, n).await
}

/// `POST …/versions/{n}/approve` with a `comment` and, for an approver who
/// uses two-step verification, the current `code`.
pub async fn approve(
    State(s): State<AppState>,
    a: ApiOrg,
    parts: Parts,
    Path((_, id, n)): Path<(String, String, String)>,
    JsonBody(b): JsonBody<ApproveBody>,
) -> WebResult<Json<Value>> {
    let (d, n) = (doc(&id)?, number(&n)?);
    let step = StepUp::new(b.code.as_deref(), client_of(&s, &parts));
    s.app.doc_approve(&a.ctx, d, n, b.comment.as_deref(), &step).await?;
    one(&s, &a, d, n).await
}

/// `POST …/versions/{n}/publish`.
pub async fn publish(
    State(s): State<AppState>,
    a: ApiOrg,
    Path((_, id, n)): Path<(String, String, String)>,
) -> WebResult<Json<Value>> {
    let (d, n) = (doc(&id)?, number(&n)?);
    s.app.doc_publish(&a.ctx, d, n).await?;
    one(&s, &a, d, n).await
}

/// `POST …/versions/{n}/withdraw`.
pub async fn withdraw(
    State(s): State<AppState>,
    a: ApiOrg,
    Path((_, id, n)): Path<(String, String, String)>,
) -> WebResult<Json<Value>> {
    let (d, n) = (doc(&id)?, number(&n)?);
    s.app.doc_withdraw(&a.ctx, d, n).await?;
    one(&s, &a, d, n).await
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AskBody {
    /// `all`, `role` or `people`.
    pub audience: String,
    pub role: Option<String>,
    #[serde(default)]
    pub people: Vec<String>,
    pub due_on: Option<String>,
}

/// `GET …/versions/{n}/acknowledgements`: who is asked to read the version,
/// the rate, who has not confirmed, who did.
pub async fn acknowledgements(
    State(s): State<AppState>,
    a: ApiOrg,
    Path((_, id, n)): Path<(String, String, String)>,
) -> WebResult<Json<Value>> {
    Ok(Json(json!(s.app.doc_ack_status(&a.ctx, doc(&id)?, number(&n)?).await?)))
}

/// `PUT …/versions/{n}/acknowledgements`: ask a group to read the published
/// version and confirm it (replaces an earlier request).
pub async fn ask(
    State(s): State<AppState>,
    a: ApiOrg,
    Path((_, id, n)): Path<(String, String, String)>,
    JsonBody(b): JsonBody<AskBody>,
) -> WebResult<Json<Value>> {
    let audience = borgen_core::document::Audience::from_parts(&b.audience, b.role.as_deref(), b.people);
    Ok(Json(json!(s.app.doc_ask(&a.ctx, doc(&id)?, number(&n)?, audience, b.due_on.as_deref()).await?)))
}

/// `POST …/versions/{n}/acknowledge`: the caller confirms having read it.
pub async fn acknowledge(
    State(s): State<AppState>,
    a: ApiOrg,
    Path((_, id, n)): Path<(String, String, String)>,
) -> WebResult<Json<Value>> {
    Ok(Json(json!(s.app.doc_acknowledge(&a.ctx, doc(&id)?, number(&n)?).await?)))
}

/// `GET /api/v1/orgs/{slug}/reading`: the documents in force the caller may
/// read, with whether each asks them to confirm and whether they did.
pub async fn reading(State(s): State<AppState>, a: ApiOrg) -> WebResult<Json<Value>> {
    Ok(Json(json!({ "items": s.app.to_read(&a.ctx).await? })))
}

/// `GET /api/v1/orgs/{slug}/reading/{id}`: the version in force of a document.
pub async fn read(
    State(s): State<AppState>,
    a: ApiOrg,
    Path((_, id)): Path<(String, String)>,
) -> WebResult<Json<Value>> {
    Ok(Json(json!(s.app.read_in_force(&a.ctx, doc(&id)?).await?)))
}

/// `GET /api/v1/orgs/{slug}/document-templates`: the templates, with the
/// document each makes.
pub async fn templates(a: ApiOrg) -> WebResult<Json<Value>> {
    let items: Vec<Value> = borgen_core::templates::ALL
        .iter()
        .map(|tp| {
            json!({ "kind": tp.kind, "clause": tp.clause, "doc_type": tp.doc_type, "code": tp.code,
                "title": borgen_core::i18n::t(a.lang, &tp.title_key()) })
        })
        .collect();
    Ok(Json(json!({ "items": items })))
}

/// `POST /api/v1/orgs/{slug}/document-templates/{kind}`: a document made
/// from the template — the document's fields (its type is the template's)
/// and `lang`, the language of the text (201: the document and its draft).
pub async fn from_template(
    State(s): State<AppState>,
    a: ApiOrg,
    Path((_, kind)): Path<(String, String)>,
    JsonBody(mut obj): JsonBody<serde_json::Map<String, Value>>,
) -> WebResult<Response> {
    let tp = borgen_core::templates::by_kind(&kind).ok_or(WebError::App(AppError::NotFound))?;
    let lang = match obj.remove("lang") {
        None => Some(a.ctx.org.default_lang),
        Some(Value::String(l)) => borgen_core::i18n::Lang::parse(&l),
        Some(_) => None,
    };
    let Some(lang) = lang else {
        let mut e = borgen_core::FieldErrors::default();
        e.add("lang", "error.unknown_value");
        return Err(AppError::Invalid(e).into());
    };
    obj.insert("doc_type".into(), json!(tp.doc_type));
    let raw = crate::register::api::raw_input(&borgen_core::registers::DOCUMENTS, obj)?;
    let (held, v) = s.app.doc_from_template(&a.ctx, tp.kind, lang, raw).await?;
    let doc = crate::register::api::body(&borgen_core::registers::DOCUMENTS, &held);
    Ok((StatusCode::CREATED, Json(json!({ "document": doc, "version": v }))).into_response())
}

/// `GET …/documents/{id}/diff?from=&to=`: the lines that changed from one
/// version to another (without `to`, the newest; without `from`, the one
/// before `to`).
pub async fn diff(
    State(s): State<AppState>,
    a: ApiOrg,
    Path((_, id)): Path<(String, String)>,
    crate::ctx::Query(p): crate::ctx::Query<crate::views::doc_diff::Pair>,
) -> WebResult<Json<Value>> {
    let (from, to) = p.numbers()?;
    let c = s.app.doc_diff(&a.ctx, doc(&id)?, from, to).await?;
    let d = c.diff;
    Ok(Json(json!({ "from": c.from.number, "to": c.to.number, "added": d.added, "removed": d.removed,
        "hunks": d.hunks, "skipped_after": d.skipped_after })))
}
