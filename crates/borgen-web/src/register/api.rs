//! The JSON API of a declared register, under `/api/v1/orgs/{slug}/{api}`:
//! the same use cases as the pages. A record is returned with the caller's
//! `access` (edit, archive, restore).

use super::{Params, list_query, parse_id};
use crate::ctx::{ApiOrg, JsonBody, Query};
use crate::error::{WebError, WebResult};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use borgen_app::AppError;
use borgen_app::register::Held;
use borgen_core::FieldErrors;
use borgen_core::register::{Kind, RecordId, RecordJson, Register, Value};
use serde_json::{Map, json};

/// A record as the API returns it, with the records that belong to it under
/// their register's API name (`requirements`).
pub(crate) fn body(reg: &Register, h: &Held) -> serde_json::Value {
    let mut v = serde_json::to_value(RecordJson { reg, rec: &h.rec, access: Some(h.access) }).unwrap_or_default();
    for kids in &h.children {
        let items: Vec<_> = kids.items.iter().map(|k| body(kids.reg, k)).collect();
        v[kids.reg.api] = serde_json::Value::Array(items);
    }
    v
}

/// A JSON object's properties as the raw input a form would send: text as
/// it is, booleans for yes/no fields, `null` as empty. A property that is not
/// a field, or a value of the wrong JSON type, is refused (422) before
/// anything is looked at.
pub(crate) fn raw_input(reg: &'static Register, obj: Map<String, serde_json::Value>) -> Result<Params, WebError> {
    let mut e = FieldErrors::default();
    if !reg.unknown_keys(obj.keys().map(String::as_str)).is_empty() {
        e.add("body", "error.unknown_field");
    }
    let mut raw = Params::new();
    for f in reg.fields {
        match obj.get(f.name) {
            None | Some(serde_json::Value::Null) => {}
            // Text, or for a many-valued field its values separated by commas.
            Some(serde_json::Value::String(s)) if f.kind != Kind::Bool => {
                raw.insert(f.name.into(), s.clone());
            }
            Some(serde_json::Value::Bool(b)) if f.kind == Kind::Bool => {
                raw.insert(f.name.into(), b.to_string());
            }
            // A level or a number field as a number (out of range, or more
            // decimals than the field holds, is refused by the parser).
            Some(serde_json::Value::Number(n)) if matches!(f.kind, Kind::Level { .. } | Kind::Number { .. }) => {
                raw.insert(f.name.into(), n.to_string());
            }
            // A many-valued field: a list of strings.
            Some(serde_json::Value::Array(items)) if !f.is_column() => {
                match items.iter().map(serde_json::Value::as_str).collect::<Option<Vec<&str>>>() {
                    Some(items) => {
                        raw.insert(f.name.into(), items.join("\n"));
                    }
                    None => e.add(f.name, "error.wrong_type"),
                }
            }
            Some(_) => e.add(f.name, "error.wrong_type"),
        }
    }
    e.finish(raw).map_err(|e| WebError::App(AppError::Invalid(e)))
}

fn parse(reg: &'static Register, obj: Map<String, serde_json::Value>) -> Result<Vec<Value>, WebError> {
    let raw = raw_input(reg, obj)?;
    reg.parse(&raw).map_err(|e| WebError::App(AppError::Invalid(e)))
}

pub async fn list(
    reg: &'static Register,
    State(s): State<AppState>,
    a: ApiOrg,
    Query(p): Query<Params>,
) -> WebResult<Json<serde_json::Value>> {
    let q = list_query(reg, &p)?;
    let (items, total) = s.app.reg_list(&a.ctx, reg, &q).await?;
    let items: Vec<_> = items.iter().map(|h| body(reg, h)).collect();
    Ok(Json(json!({ "items": items, "total": total, "page": q.page, "per_page": q.per_page })))
}

pub async fn create(
    reg: &'static Register,
    State(s): State<AppState>,
    a: ApiOrg,
    JsonBody(obj): JsonBody<Map<String, serde_json::Value>>,
) -> WebResult<Response> {
    if !s.app.may_create(&a.ctx, reg) {
        return Err(AppError::Forbidden.into());
    }
    let h = s.app.reg_create(&a.ctx, reg, parse(reg, obj)?).await?;
    Ok((StatusCode::CREATED, Json(body(reg, &h))).into_response())
}

pub async fn get(
    reg: &'static Register,
    State(s): State<AppState>,
    a: ApiOrg,
    Path((_, id)): Path<(String, String)>,
) -> WebResult<Json<serde_json::Value>> {
    let h = s.app.reg_get(&a.ctx, reg, parse_id(&id)?).await?;
    Ok(Json(body(reg, &h)))
}

/// Replaces every field of the record (a field left out becomes empty).
pub async fn update(
    reg: &'static Register,
    State(s): State<AppState>,
    a: ApiOrg,
    Path((_, id)): Path<(String, String)>,
    JsonBody(obj): JsonBody<Map<String, serde_json::Value>>,
) -> WebResult<Json<serde_json::Value>> {
    let id = parse_id(&id)?;
    let h = s.app.reg_editable(&a.ctx, reg, id).await?;
    let mut raw = raw_input(reg, obj)?;
    super::pages::keep_parent(reg, &h, &mut raw);
    let values = reg.parse(&raw).map_err(|e| WebError::App(AppError::Invalid(e)))?;
    let h = s.app.reg_update(&a.ctx, reg, id, values).await?;
    Ok(Json(body(reg, &h)))
}

/// The records that belong to one record (`GET …/{parent}/{id}/{api}`).
pub async fn children(
    reg: &'static Register,
    State(s): State<AppState>,
    a: ApiOrg,
    Path((_, id)): Path<(String, String)>,
) -> WebResult<Json<serde_json::Value>> {
    let Some((up, _)) = reg.parent_register() else { return Err(AppError::NotFound.into()) };
    let parent = s.app.reg_get(&a.ctx, up, parse_id(&id)?).await?;
    let items: Vec<_> =
        parent.children.iter().filter(|k| k.reg.key == reg.key).flat_map(|k| &k.items).map(|h| body(reg, h)).collect();
    Ok(Json(json!({ "items": items })))
}

/// Adds a record to the one in the path (`POST …/{parent}/{id}/{api}`); the
/// body holds the other fields.
pub async fn add(
    reg: &'static Register,
    State(s): State<AppState>,
    a: ApiOrg,
    Path((_, id)): Path<(String, String)>,
    JsonBody(mut obj): JsonBody<Map<String, serde_json::Value>>,
) -> WebResult<Response> {
    let Some((_, i)) = reg.parent_register() else { return Err(AppError::NotFound.into()) };
    let pid = parse_id(&id)?;
    s.app.reg_parent_for_adding(&a.ctx, reg, pid).await?;
    let name = reg.fields[i].name;
    let path_id = serde_json::Value::String(pid.as_text());
    if obj.get(name).is_some_and(|v| {
        !v.is_null() && v.as_str().and_then(RecordId::parse).map(|r| r.as_text()) != Some(pid.as_text())
    }) {
        // The record it belongs to is the one in the path.
        let mut e = FieldErrors::default();
        e.add(name, "error.fixed");
        return Err(AppError::Invalid(e).into());
    }
    obj.insert(name.into(), path_id);
    let h = s.app.reg_create(&a.ctx, reg, parse(reg, obj)?).await?;
    Ok((StatusCode::CREATED, Json(body(reg, &h))).into_response())
}

pub async fn archive(
    reg: &'static Register,
    State(s): State<AppState>,
    a: ApiOrg,
    Path((_, id)): Path<(String, String)>,
    archive: bool,
) -> WebResult<Json<serde_json::Value>> {
    let h = s.app.reg_archive(&a.ctx, reg, parse_id(&id)?, archive).await?;
    Ok(Json(body(reg, &h)))
}

pub async fn history(
    reg: &'static Register,
    State(s): State<AppState>,
    a: ApiOrg,
    Path((_, id)): Path<(String, String)>,
) -> WebResult<Json<serde_json::Value>> {
    let id = parse_id(&id)?;
    s.app.reg_get(&a.ctx, reg, id).await?;
    Ok(Json(json!({ "items": s.app.history(&a.ctx, &id.as_text()).await? })))
}

pub async fn export(
    reg: &'static Register,
    State(s): State<AppState>,
    a: ApiOrg,
    Path((_, format)): Path<(String, String)>,
    Query(p): Query<Params>,
) -> WebResult {
    super::export(&s, &a.ctx, a.lang, reg, format, &p).await
}
