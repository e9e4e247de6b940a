//! The organisation's audit log, and the history section of a record's page.

use super::html;
use crate::ctx::OrgPage;
use crate::error::WebResult;
use crate::layout;
use crate::state::AppState;
use axum::extract::{Query, State};
use borgen_core::Lang;
use borgen_core::i18n::t;
use borgen_store::audit::EventRow;
use maud::{Markup, html};
use serde_json::Value;

/// The fields that differ between before and after, as (field, old, new).
pub fn changes(e: &EventRow) -> Vec<(String, String, String)> {
    let parse = |s: &Option<String>| s.as_deref().and_then(|s| serde_json::from_str::<Value>(s).ok());
    let before = parse(&e.before_json);
    let after = parse(&e.after_json);
    let show = |v: Option<&Value>| match v {
        None | Some(Value::Null) => "—".to_string(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    };
    let empty = serde_json::Map::new();
    let b = before.as_ref().and_then(Value::as_object).unwrap_or(&empty);
    let a = after.as_ref().and_then(Value::as_object).unwrap_or(&empty);
    let mut keys: Vec<&String> = b.keys().chain(a.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter(|k| !matches!(k.as_str(), "updated_at" | "created_at" | "id" | "requirements"))
        .filter(|k| b.get(*k) != a.get(*k))
        .map(|k| (k.clone(), show(b.get(k)), show(a.get(k))))
        .collect()
}

fn action_label(l: Lang, action: &str) -> String {
    let key = format!("audit.action.{action}");
    let s = t(l, &key);
    if s == key { action.to_string() } else { s.to_string() }
}

fn changes_list(e: &EventRow) -> Markup {
    html! {
        ul.changes {
            @for (field, old, new) in changes(e) {
                li { code { (field) } ": " del { (old) } " → " ins { (new) } }
            }
        }
    }
}

/// The change history of one record, oldest first.
pub fn history_section(l: Lang, events: &[EventRow]) -> Markup {
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
                            (changes_list(e))
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
                                td { (changes_list(e)) }
                            }
                        }
                    }
                }
            }
            (layout::pager(l, page, per_page, total, |n| format!("{base}?page={n}")))
        },
    )))
}
