//! The organisation's audit log, and the history section of a record's page.

use super::html;
use crate::ctx::{OrgPage, Query};
use crate::error::WebResult;
use crate::layout::{self, field_label};
use crate::state::AppState;
use crate::tables::owner_name;
use axum::extract::State;
use borgen_core::Lang;
use borgen_core::i18n::t;
use borgen_store::audit::EventRow;
use borgen_store::orgs::Member;
use maud::{Markup, html};
use serde_json::Value;

/// A stored value as the user reads it: codes as labels, owners by name,
/// booleans as yes/no.
fn show_value(l: Lang, field: &str, v: Option<&Value>, members: &[Member]) -> String {
    use borgen_core::context::*;
    let label =
        |key: Option<&'static str>, raw: &str| key.map(|k| t(l, k).to_string()).unwrap_or_else(|| raw.to_string());
    match v {
        None | Some(Value::Null) => "—".to_string(),
        Some(Value::Bool(b)) => t(l, if *b { "common.yes" } else { "common.no" }).to_string(),
        Some(Value::String(s)) => match field {
            "kind" => label(IssueKind::parse(s).map(IssueKind::label_key), s),
            "category" => label(IssueCategory::parse(s).map(IssueCategory::label_key), s),
            "party_type" => label(PartyType::parse(s).map(PartyType::label_key), s),
            "req_type" => label(RequirementType::parse(s).map(RequirementType::label_key), s),
            "role" => label(borgen_core::role::Role::parse(s).map(|r| r.label_key()), s),
            "owner_id" | "user_id" | "approved_by" => {
                borgen_core::ids::UserId::parse(s).map(|id| owner_name(members, Some(id))).unwrap_or_else(|| s.clone())
            }
            _ => s.clone(),
        },
        Some(other) => other.to_string(),
    }
}

/// The fields that differ between before and after, as (label, old, new).
/// A field absent on one side counts as empty, so nothing shows as changed
/// that did not change.
pub fn changes(l: Lang, e: &EventRow, members: &[Member]) -> Vec<(String, String, String)> {
    let parse = |s: &Option<String>| s.as_deref().and_then(|s| serde_json::from_str::<Value>(s).ok());
    let before = parse(&e.before_json);
    let after = parse(&e.after_json);
    let empty = serde_json::Map::new();
    let b = before.as_ref().and_then(Value::as_object).unwrap_or(&empty);
    let a = after.as_ref().and_then(Value::as_object).unwrap_or(&empty);
    // Empty: absent, null, or an empty list (a many-valued field).
    let norm = |v: Option<&Value>| v.filter(|v| !v.is_null() && v.as_array().is_none_or(|a| !a.is_empty())).cloned();
    if let Some(reg) = borgen_core::registers::by_key(&e.entity_type) {
        let names = crate::register::Names::of(members);
        // A declared register: its fields in order, by label, shown as the user reads them.
        let mut out: Vec<(String, String, String)> = reg
            .fields
            .iter()
            // The record it belongs to is the page it is shown on.
            .filter(|f| Some(f.name) != reg.parent && norm(b.get(f.name)) != norm(a.get(f.name)))
            .map(|f| {
                let show = |v| crate::register::display_json(l, f, v, &names);
                (t(l, f.label).to_string(), show(b.get(f.name)), show(a.get(f.name)))
            })
            .collect();
        if !b.is_empty() && !a.is_empty() && norm(b.get("archived")) != norm(a.get("archived")) {
            out.push((
                field_label(l, "archived"),
                show_value(l, "archived", b.get("archived"), members),
                show_value(l, "archived", a.get("archived"), members),
            ));
        }
        return out;
    }
    let mut keys: Vec<&String> = b.keys().chain(a.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter(|k| !matches!(k.as_str(), "updated_at" | "created_at" | "id" | "requirements" | "party_id" | "org_id"))
        .filter(|k| norm(b.get(*k)) != norm(a.get(*k)))
        .map(|k| (field_label(l, k), show_value(l, k, b.get(k), members), show_value(l, k, a.get(k), members)))
        .collect()
}

fn action_label(l: Lang, action: &str) -> String {
    let key = format!("audit.action.{action}");
    let s = t(l, &key);
    if s == key { action.to_string() } else { s.to_string() }
}

fn changes_list(l: Lang, e: &EventRow, members: &[Member]) -> Markup {
    let (before_missing, after_missing) = (e.before_json.is_none(), e.after_json.is_none());
    html! {
        ul.changes {
            @for (field, old, new) in changes(l, e, members) {
                li {
                    (field) ": "
                    @if before_missing { ins { (new) } }
                    @else if after_missing { del { (old) } }
                    @else { del { (old) } " → " ins { (new) } }
                }
            }
        }
    }
}

/// The change history of one record, oldest first.
pub fn history_section(l: Lang, events: &[EventRow], members: &[Member]) -> Markup {
    html! {
        section.history {
            h2 { (t(l, "history.title")) }
            @if events.is_empty() {
                p.empty { (t(l, "history.empty")) }
            } @else {
                ol.timeline {
                    @for e in events {
                        li {
                            span.when { (layout::when(&e.at)) }
                            " · " strong { (e.actor_label) } " · " (action_label(l, &e.action))
                            " (" (t(l, &format!("entity.{}", e.entity_type))) ")"
                            (changes_list(l, e, members))
                        }
                    }
                }
            }
        }
    }
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct LogParams {
    pub page: Option<u32>,
}

pub async fn log(State(state): State<AppState>, o: OrgPage, Query(p): Query<LogParams>) -> WebResult {
    let l = o.lang();
    let page = p.page.unwrap_or(1).max(1);
    let per_page = 50;
    let (events, total) = state.app.audit_log(&o.ctx, page, per_page).await?;
    let base = format!("{}/audit-log", o.base());
    let members = state.app.members(&o.ctx.actor, &o.ctx.org.slug).await.unwrap_or_default();
    Ok(html(layout::org(
        &o,
        "audit",
        t(l, "audit.title"),
        html! {
            h1 { (t(l, "audit.title")) }
            p.muted { (t(l, "audit.intro")) }
            @if events.is_empty() {
                p.empty { (t(l, "history.empty")) }
            } @else {
                table.register.audit {
                    thead { tr {
                        th scope="col" { "#" }
                        th scope="col" { (t(l, "audit.when")) }
                        th scope="col" { (t(l, "audit.who")) }
                        th scope="col" { (t(l, "audit.what")) }
                        th scope="col" { (t(l, "audit.record")) }
                        th scope="col" { (t(l, "audit.changes")) }
                    } }
                    tbody {
                        @for e in &events {
                            tr {
                                td { (e.seq) }
                                td { (layout::when(&e.at)) }
                                td { (e.actor_label) }
                                td { (action_label(l, &e.action)) }
                                td { (t(l, &format!("entity.{}", e.entity_type))) br; code.small { (e.entity_id) } }
                                td { (changes_list(l, e, &members)) }
                            }
                        }
                    }
                }
            }
            (layout::pager(l, page, per_page, total, |n| format!("{base}?page={n}")))
        },
    )))
}
