//! The organisation's audit log, and the history section of a record's page.

use super::html;
use crate::ctx::{OrgPage, Query};
use crate::error::WebResult;
use crate::layout::{self, field_label};
use crate::register::Names;
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
/// How a property of a record kept outside the register mechanism reads in
/// its history.
#[derive(Clone, Copy)]
enum Show {
    Text,
    Date,
    /// A code, labelled by the locale key `{prefix}.{code}`.
    Code(&'static str),
    /// A list of such codes.
    Codes(&'static str),
    Member,
    /// Yes, no, or (null) not yet decided.
    Decision,
    /// `{likelihood, impact}`: "4 × 5".
    Score,
    /// Ids of other records, by their titles.
    Records,
    /// Annex A ids as they are.
    Ids,
    /// A built-in threat by its catalogue name, or an own threat by title.
    Threat,
    /// The SoA row's linked requirements (`{party, title}`).
    Requirements,
    /// A methodology version number.
    Version,
    /// Who accepted a risk: its owner or top management.
    AcceptedAs,
    /// A member, or when none is recorded (the command line) the label in
    /// this other property.
    MemberOr(&'static str),
    /// What a risk was accepted on: treatment, residual score, methodology version.
    Basis,
    /// A percentage.
    Percent,
}

/// The properties of each such record whose changes the history shows, with
/// their labels; any other property (derived, or the record's own id) is not
/// shown. `None` for a kind or action that has no list yet.
fn vocabulary(entity: &str, action: &str) -> Option<&'static [(&'static str, &'static str, Show)]> {
    use Show::*;
    if entity == "risk" && action == "accept" {
        return Some(&[
            ("accepted_by", "history.accepted_by", MemberOr("accepted_by_label")),
            ("accepted_as", "history.accepted_as", AcceptedAs),
            ("basis", "history.accepted_basis", Basis),
            ("comment", "history.comment", Text),
            ("expires_on", "history.expires_on", Date),
        ]);
    }
    if entity == "document_version" {
        return Some(&[
            ("number", "document.number", Text),
            ("state", "document.state_label", Code("document.state")),
            ("change_note", "document.change_note", Text),
            ("reviewers", "document.reviewers", Text),
            ("decision", "document.decision", Code("document.review")),
            ("reason", "document.reason", Text),
            ("comment", "history.comment", Text),
        ]);
    }
    if !matches!(action, "create" | "update" | "archive" | "restore") {
        return None;
    }
    Some(match entity {
        "soa_row" => &[
            ("applicable", "soa.applicable", Decision),
            ("reasons", "soa.reasons", Codes("soa_reason")),
            ("inclusion_note", "soa.inclusion_note", Text),
            ("exclusion_justification", "soa.exclusion_justification", Text),
            ("requirements", "soa.requirements", Requirements),
            ("status", "soa.status", Code("impl_status")),
            ("owner_id", "field.owner", Member),
        ],
        "risk" => &[
            ("title", "field.title", Text),
            ("description", "risk.scenario", Text),
            ("threat", "risk.threat", Threat),
            ("vulnerability", "risk.vulnerability", Text),
            ("asset_ids", "risk.assets", Records),
            ("affects_c", "risk.c", Decision),
            ("affects_i", "risk.i", Decision),
            ("affects_a", "risk.a", Decision),
            ("existing_controls", "risk.existing_controls", Text),
            ("inherent", "risk.inherent", Score),
            ("treatment", "risk.treatment", Code("treatment")),
            ("treatment_rationale", "risk.rationale", Text),
            ("control_ids", "risk.annex_controls", Ids),
            ("applied_control_ids", "risk.applied_controls", Records),
            ("residual", "risk.residual", Score),
            ("status", "risk.status", Code("risk_status")),
            ("owner_id", "risk.owner", Member),
            ("next_review", "risk.next_review", Date),
            ("no_asset_reason", "risk.no_asset_reason", Text),
            ("methodology_version", "risk.methodology", Version),
        ],
        "task" => &[
            ("title", "field.title", Text),
            ("description", "field.description", Text),
            ("owner_id", "field.owner", Member),
            ("due_date", "task.due_date", Date),
            ("status", "task.status", Code("task_status")),
            ("progress", "task.progress", Percent),
            ("subject_label", "task.subject", Text),
            ("applied_control_id", "task.applied_control", Records),
            ("closing_note", "task.closing_note", Text),
        ],
        _ => return None,
    })
}

/// `{likelihood, impact}` as "Likelihood 4 × Impact 5".
fn show_score(l: Lang, v: &Value) -> Option<String> {
    match (v["likelihood"].as_i64(), v["impact"].as_i64()) {
        (Some(p), Some(i)) => Some(format!("{} {p} × {} {i}", t(l, "risk.likelihood"), t(l, "risk.impact"))),
        _ => None,
    }
}

/// One value of such a property as the user reads it.
fn show_as(l: Lang, how: Show, v: Option<&Value>, names: &Names) -> String {
    let code = |prefix: &str, c: &str| {
        let key = format!("{prefix}.{c}");
        let s = t(l, &key);
        if s == key { c.to_string() } else { s.to_string() }
    };
    // A record whose title is not at hand is named by its id, as registers do.
    let title = |id: &str| names.titles.get(id).cloned().unwrap_or_else(|| id.to_string());
    let v = match v {
        None | Some(Value::Null) if matches!(how, Show::Decision) => return t(l, "soa.undecided").to_string(),
        None | Some(Value::Null) => return "—".to_string(),
        Some(Value::Array(a)) if a.is_empty() => return "—".to_string(),
        Some(v) => v,
    };
    let list = |f: &dyn Fn(&Value) -> String| v.as_array().map(|a| a.iter().map(f).collect::<Vec<_>>().join(", "));
    let text = |x: &Value| x.as_str().map(str::to_string).unwrap_or_else(|| x.to_string());
    let shown = match how {
        Show::Text => Some(text(v)),
        Show::Date => v.as_str().map(|d| crate::register::date(l, d)),
        Show::Code(prefix) => v.as_str().map(|c| code(prefix, c)),
        Show::Codes(prefix) => list(&|x| x.as_str().map(|c| code(prefix, c)).unwrap_or_default()),
        Show::MemberOr(_) | Show::Member => v.as_str().map(|s| {
            borgen_core::ids::UserId::parse(s)
                .map(|id| owner_name(&names.members, Some(id)))
                .unwrap_or_else(|| s.to_string())
        }),
        Show::Decision => v.as_bool().map(|b| t(l, if b { "common.yes" } else { "common.no" }).to_string()),
        Show::Score => show_score(l, v),
        Show::Records => match v {
            Value::String(id) => Some(title(id)),
            _ => list(&|x| x.as_str().map(title).unwrap_or_default()),
        },
        Show::Ids => list(&text),
        Show::Threat => v.as_str().map(|c| match borgen_core::threat::threat(c) {
            Some(th) => th.name(l).to_string(),
            None => title(c),
        }),
        Show::Requirements => list(&|x| match (x["party"].as_str(), x["title"].as_str()) {
            (Some(p), Some(q)) => format!("{p}: {q}"),
            _ => text(x),
        }),
        Show::Version => Some(borgen_core::i18n::tf(l, "risk.version_n", &[("v", &text(v))])),
        Show::Percent => v.as_i64().map(|n| format!("{n}%")),
        Show::Basis => {
            let mut parts = Vec::new();
            if let Some(tr) = v["treatment"].as_str() {
                parts.push(format!("{}: {}", t(l, "risk.treatment"), code("treatment", tr)));
            }
            if let Some(s) = show_score(l, &v["residual"]) {
                parts.push(format!("{}: {s}", t(l, "risk.residual")));
            }
            if let Some(n) = v["methodology_version"].as_i64() {
                parts.push(borgen_core::i18n::tf(l, "risk.version_n", &[("v", &n.to_string())]));
            }
            Some(parts.join(" · "))
        }
        Show::AcceptedAs => v.as_str().map(|c| match c {
            "owner" => t(l, "risk.owner").to_string(),
            other => code("role", other),
        }),
    };
    shown.unwrap_or_else(|| v.to_string())
}

/// The fields that differ between before and after, as (label, old, new).
/// A field absent on one side counts as empty, so nothing shows as changed
/// that did not change.
pub fn changes(l: Lang, e: &EventRow, names: &Names) -> Vec<(String, String, String)> {
    let members = names.members.as_slice();
    let parse = |s: &Option<String>| s.as_deref().and_then(|s| serde_json::from_str::<Value>(s).ok());
    let before = parse(&e.before_json);
    let after = parse(&e.after_json);
    // Assets recorded before they moved onto the mechanism kept their needs
    // as one `needs: {c, i, a}`: read as the fields they are now.
    let lift = |v: Option<&Value>| {
        let mut m = v.and_then(Value::as_object).cloned().unwrap_or_default();
        if let Some(n) = m.remove("needs").as_ref().and_then(Value::as_object) {
            for (k, f) in [("c", "need_c"), ("i", "need_i"), ("a", "need_a")] {
                m.insert(f.to_string(), n.get(k).cloned().unwrap_or(Value::from(0)));
            }
        }
        m
    };
    if matches!(e.action.as_str(), "attach" | "detach") {
        // An evidence file put on or taken off: its name, size and note.
        let v = after.as_ref().or(before.as_ref());
        let get = |k: &str| v.and_then(|v| v.get(k)).and_then(Value::as_str).unwrap_or("").to_string();
        let size = v.and_then(|v| v["size"].as_i64()).map(borgen_core::evidence::size_text).unwrap_or_default();
        let side = |label: &str, value: String| {
            if e.action == "attach" {
                (label.to_string(), String::new(), value)
            } else {
                (label.to_string(), value, String::new())
            }
        };
        let mut out = vec![side(t(l, "evidence.file"), format!("{} ({size})", get("file")))];
        if !get("note").is_empty() {
            out.push(side(t(l, "evidence.note_col"), get("note")));
        }
        return out;
    }
    let (b, a) = (lift(before.as_ref()), lift(after.as_ref()));
    let (b, a) = (&b, &a);
    // Empty: absent, null, or an empty list (a many-valued field).
    let norm = |v: Option<&Value>| v.filter(|v| !v.is_null() && v.as_array().is_none_or(|a| !a.is_empty())).cloned();
    let archived = || {
        (!b.is_empty() && !a.is_empty() && norm(b.get("archived")) != norm(a.get("archived"))).then(|| {
            (
                field_label(l, "archived"),
                show_value(l, "archived", b.get("archived"), members),
                show_value(l, "archived", a.get("archived"), members),
            )
        })
    };
    if let Some(reg) = borgen_core::registers::by_key(&e.entity_type) {
        // Archiving recorded before the register moved onto the mechanism kept
        // only the record before: the action itself says what happened.
        if matches!(e.action.as_str(), "archive" | "restore") && (b.is_empty() || a.is_empty()) {
            return Vec::new();
        }
        // A declared register: its fields in order, by label, shown as the user reads them.
        let mut out: Vec<(String, String, String)> = reg
            .fields
            .iter()
            // The record it belongs to is the page it is shown on.
            .filter(|f| Some(f.name) != reg.parent && norm(b.get(f.name)) != norm(a.get(f.name)))
            .map(|f| {
                let show = |v| crate::register::display_json(l, f, v, names);
                (t(l, f.label).to_string(), show(b.get(f.name)), show(a.get(f.name)))
            })
            .collect();
        out.extend(archived());
        return out;
    }
    if let Some(props) = vocabulary(&e.entity_type, &e.action) {
        let mut out: Vec<(String, String, String)> = props
            .iter()
            .filter(|(k, _, how)| {
                let other = match how {
                    Show::MemberOr(other) => norm(b.get(*other)) != norm(a.get(*other)),
                    _ => false,
                };
                other || norm(b.get(*k)) != norm(a.get(*k))
            })
            .map(|(k, label, how)| {
                let side = |m: &serde_json::Map<String, Value>| match (how, m.get(*k)) {
                    (Show::MemberOr(other), None | Some(Value::Null)) => show_as(l, Show::Text, m.get(*other), names),
                    (_, v) => show_as(l, *how, v, names),
                };
                (t(l, label).to_string(), side(b), side(a))
            })
            .collect();
        out.extend(archived());
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

fn changes_list(l: Lang, e: &EventRow, names: &Names) -> Markup {
    let (before_missing, after_missing) = (e.before_json.is_none(), e.after_json.is_none());
    html! {
        ul.changes {
            @for (field, old, new) in changes(l, e, names) {
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

/// The change history of one record, oldest first. `names` turns member and
/// record ids into names.
pub fn history_section(l: Lang, zone: &str, events: &[EventRow], names: &Names) -> Markup {
    html! {
        section.history {
            h2 { (t(l, "history.title")) }
            @if events.is_empty() {
                p.empty { (t(l, "history.empty")) }
            } @else {
                ol.timeline {
                    @for e in events {
                        li {
                            span.when { (layout::when(zone, &e.at)) }
                            " · " strong { (layout::actor(l, &e.actor_label, e.actor_id.is_some())) } " · " (action_label(l, &e.action))
                            " (" (t(l, &format!("entity.{}", e.entity_type))) ")"
                            (changes_list(l, e, names))
                        }
                    }
                }
            }
        }
    }
}

/// The titles of the records other records link to (assets, applied controls,
/// own threats), for the audit log; empty where the member may not read them.
async fn record_titles(state: &AppState, ctx: &borgen_app::OrgCtx) -> std::collections::BTreeMap<String, String> {
    let mut titles = std::collections::BTreeMap::new();
    if let Ok(assets) = state.app.asset_refs(ctx).await {
        titles.extend(assets.into_iter().map(|a| (a.id, a.name)));
    }
    if let Ok(applied) = state.app.applied_refs(ctx).await {
        titles.extend(applied.into_iter().map(|a| (a.id.to_string(), a.name)));
    }
    if let Ok(own) = state.app.own_threats(ctx).await {
        titles.extend(own.into_iter().map(|t| (t.id, t.name)));
    }
    titles
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
    let names = Names { titles: record_titles(&state, &o.ctx).await, ..Names::of(&members) };
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
                                td { (layout::when(&o.ctx.org.time_zone, &e.at)) }
                                td { (layout::actor(l, &e.actor_label, e.actor_id.is_some())) }
                                td { (action_label(l, &e.action)) }
                                td { (t(l, &format!("entity.{}", e.entity_type))) br; code.small { (e.entity_id) } }
                                td { (changes_list(l, e, &names)) }
                            }
                        }
                    }
                }
            }
            (layout::pager(l, page, per_page, total, |n| format!("{base}?page={n}")))
        },
    )))
}
