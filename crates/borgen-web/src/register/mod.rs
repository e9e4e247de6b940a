//! Pages, JSON API, OpenAPI description and exports of every register declared
//! with the mechanism ([`borgen_core::register`]), from its declaration alone:
//! [`routes`] mounts them all.
//!
//! Pages live under `/o/{slug}/{path}`, the API under
//! `/api/v1/orgs/{slug}/{api}`; both call the same use cases in `borgen-app`.

pub(crate) mod api;
mod hooks;
mod pages;
pub mod schema;

use crate::error::WebError;
use crate::state::AppState;
use crate::tables::owner_name;
use axum::Router;
use axum::http::StatusCode;
use axum::routing::{get, post};
pub use borgen_app::register::Held;
use borgen_core::Lang;
use borgen_core::i18n::{t, tf};
use borgen_core::ids::UserId;
use borgen_core::register::{EXPORT_MAX, Field, Kind, ListQuery, RecordId, Register, Value};
use borgen_report::Table;
use borgen_store::orgs::Member;
use std::collections::BTreeMap;

/// Query-string or form parameters as they arrive.
pub type Params = BTreeMap<String, String>;

/// What turns stored ids into names: the organisation's members, the titles
/// of the records that link fields name, and the choices of link fields.
#[derive(Clone, Debug, Default)]
pub struct Names {
    pub members: Vec<Member>,
    pub titles: BTreeMap<String, String>,
    pub choices: BTreeMap<&'static str, Vec<(String, String)>>,
    /// The record a form edits (not offered as a link to itself).
    pub own: Option<String>,
}

impl Names {
    pub fn of(members: &[Member]) -> Names {
        Names { members: members.to_vec(), ..Default::default() }
    }
}

/// What names a record: its title, or for a register titled by a link (who
/// holds a role), the linked record's title.
pub fn title(reg: &Register, rec: &borgen_core::register::Record, names: &Names) -> String {
    match reg.title_link(rec) {
        Some(id) => names.titles.get(id).cloned().unwrap_or_default(),
        None => reg.title_of(rec).to_string(),
    }
}

/// Posted form fields as parameters: a name sent more than once (the boxes
/// ticked for a many-record field) holds its values joined by commas.
pub(crate) fn joined(pairs: Vec<(String, String)>) -> Params {
    let mut out = Params::new();
    for (k, v) in pairs {
        match out.get_mut(&k) {
            Some(prev) => {
                prev.push_str(", ");
                prev.push_str(&v);
            }
            None => {
                out.insert(k, v);
            }
        }
    }
    out
}

/// The names that `items` of `reg` (and their children) need, and the
/// choices of `reg`'s link fields when a form or filter shows them.
pub(crate) async fn names(
    state: &AppState,
    ctx: &borgen_app::OrgCtx,
    reg: &Register,
    items: &[Held],
    choices: bool,
) -> Result<Names, WebError> {
    let mut n = Names {
        members: state.app.org_members(ctx).await?,
        titles: state.app.reg_titles(ctx, reg, items).await?,
        choices: BTreeMap::new(),
        own: None,
    };
    if choices {
        for f in reg.fields {
            if let Kind::Link(key) | Kind::Records { register: key, .. } = f.kind
                && let Some(target) = borgen_core::registers::by_key(key)
                && !n.choices.contains_key(key)
            {
                n.choices.insert(key, state.app.reg_choices(ctx, target).await?);
            }
        }
    }
    Ok(n)
}

/// Every page and API route of every declared register.
pub fn routes() -> Router<AppState> {
    let mut r = Router::new();
    for reg in borgen_core::registers::ALL.iter().copied() {
        if let Some((up, _)) = reg.parent_register() {
            // Added from the page and API of the record they belong to.
            r = r
                .route(
                    &format!("/o/{{slug}}/{}/{{id}}/{}", up.path, reg.api),
                    post(move |s, o, p, f| pages::add(reg, s, o, p, f)),
                )
                .route(
                    &format!("/api/v1/orgs/{{slug}}/{}/{{id}}/{}", up.api, reg.api),
                    get(move |s, a, p| api::children(reg, s, a, p)).post(move |s, a, p, b| api::add(reg, s, a, p, b)),
                );
        }
        let page = format!("/o/{{slug}}/{}", reg.path);
        let api = format!("/api/v1/orgs/{{slug}}/{}", reg.api);
        let list_page = get(move |s, o, q, d| pages::list(reg, s, o, q, d));
        let list_api = get(move |s, a, q| api::list(reg, s, a, q));
        r = match reg.parent {
            // A record that belongs to another is only added under it.
            Some(_) => r.route(&page, list_page).route(&api, list_api),
            None => r
                .route(&page, list_page.post(move |s, o, f| pages::create(reg, s, o, f)))
                .route(&format!("{page}/new"), get(move |s, o, q| pages::new_form(reg, s, o, q)))
                .route(&api, list_api.post(move |s, a, b| api::create(reg, s, a, b))),
        };
        r = r
            .route(&format!("{page}/export/{{format}}"), get(move |s, o, p, q| pages::export(reg, s, o, p, q)))
            .route(
                &format!("{page}/{{id}}"),
                get(move |s, o, p, d| pages::show(reg, s, o, p, d))
                    .post(move |s, o, p, f| pages::update(reg, s, o, p, f)),
            )
            .route(&format!("{page}/{{id}}/edit"), get(move |s, o, p| pages::edit_form(reg, s, o, p)))
            .route(&format!("{page}/{{id}}/archive"), post(move |s, o, p, f| pages::archive(reg, s, o, p, f, true)))
            .route(&format!("{page}/{{id}}/restore"), post(move |s, o, p, f| pages::archive(reg, s, o, p, f, false)));
        r = r
            .route(&format!("{api}/export/{{format}}"), get(move |s, a, p, q| api::export(reg, s, a, p, q)))
            .route(
                &format!("{api}/{{id}}"),
                get(move |s, a, p| api::get(reg, s, a, p)).put(move |s, a, p, b| api::update(reg, s, a, p, b)),
            )
            .route(&format!("{api}/{{id}}/archive"), post(move |s, a, p| api::archive(reg, s, a, p, true)))
            .route(&format!("{api}/{{id}}/restore"), post(move |s, a, p| api::archive(reg, s, a, p, false)))
            .route(&format!("{api}/{{id}}/history"), get(move |s, a, p| api::history(reg, s, a, p)));
    }
    r
}

/// The API operations of a register: (path, method, summary), the one list the
/// router and the OpenAPI document are both built from.
pub fn api_operations(reg: &Register) -> Vec<(String, &'static str, &'static str)> {
    let base = format!("/api/v1/orgs/{{slug}}/{}", reg.api);
    let mut ops = vec![
        (base.clone(), "get", "list"),
        (base.clone(), "post", "create"),
        (format!("{base}/export/{{format}}"), "get", "export"),
        (format!("{base}/{{id}}"), "get", "get"),
        (format!("{base}/{{id}}"), "put", "update"),
        (format!("{base}/{{id}}/archive"), "post", "archive"),
        (format!("{base}/{{id}}/restore"), "post", "restore"),
        (format!("{base}/{{id}}/history"), "get", "history"),
    ];
    if let Some((up, _)) = reg.parent_register() {
        ops.retain(|(_, _, what)| *what != "create");
        let nested = format!("/api/v1/orgs/{{slug}}/{}/{{id}}/{}", up.api, reg.api);
        ops.push((nested.clone(), "get", "children"));
        ops.push((nested, "post", "add"));
    }
    ops
}

fn bad_filter() -> WebError {
    WebError::Status(StatusCode::BAD_REQUEST, "error.bad_filter")
}

fn not_found() -> WebError {
    WebError::App(borgen_app::AppError::NotFound)
}

pub(crate) fn parse_id(id: &str) -> Result<RecordId, WebError> {
    RecordId::parse(id).ok_or_else(not_found)
}

pub(crate) fn list_query(reg: &Register, p: &Params) -> Result<ListQuery, WebError> {
    reg.query(p).map_err(|_| bad_filter())
}

/// A date `YYYY-MM-DD` as the user reads it: "30 November 2026", "30 november 2026".
pub fn date(l: Lang, d: &str) -> String {
    match borgen_core::time::parse_date(d) {
        Some(d) => {
            use chrono::Datelike;
            format!("{} {} {}", d.day(), t(l, &format!("date.month_{}", d.month())), d.year())
        }
        None => d.to_string(),
    }
}

/// A stored value as the user reads it: choices by label, members by name,
/// linked records by title, dates in their language, yes/no; empty as "—".
pub fn display(l: Lang, f: &Field, v: &Value, names: &Names) -> String {
    match (v, f.kind) {
        (Value::Null, _) => f.empty.map(|k| t(l, k)).unwrap_or("—").to_string(),
        (Value::List(items), _) if items.is_empty() => f.empty.map(|k| t(l, k)).unwrap_or("—").to_string(),
        (Value::List(items), Kind::Records { .. }) => {
            let mut titles: Vec<String> =
                items.iter().map(|id| names.titles.get(id).cloned().unwrap_or_else(|| id.clone())).collect();
            titles.sort_by_key(|s| borgen_core::text::sort_key(s));
            titles.join("; ")
        }
        (Value::List(items), _) => items.join(", "),
        (Value::Int(n), _) => f.level_key(*n).map(|k| t(l, &k).to_string()).unwrap_or_else(|| n.to_string()),
        (Value::Bool(b), _) => t(l, if *b { "common.yes" } else { "common.no" }).to_string(),
        (Value::Text(s), Kind::Choice { .. }) => {
            f.choice_key(s).map(|k| t(l, &k).to_string()).unwrap_or_else(|| s.clone())
        }
        (Value::Text(s), Kind::Member) => owner_name(&names.members, UserId::parse(s)),
        (Value::Text(s), Kind::Link(_)) => names.titles.get(s).cloned().unwrap_or_else(|| s.clone()),
        (Value::Text(s), Kind::Date) => date(l, s),
        (Value::Text(s), Kind::Number { .. }) => number(l, s),
        (Value::Text(s), _) => s.clone(),
    }
}

/// A stored number in the user's language: digits grouped by three, the
/// decimal separator a comma in Dutch ("12.500,50") and a point in English
/// ("12,500.50"); a whole number without decimals ("95").
pub fn number(l: Lang, stored: &str) -> String {
    let (neg, s) = stored.strip_prefix('-').map_or((false, stored), |r| (true, r));
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    let (group, point) = if l == Lang::Nl { ('.', ',') } else { (',', '.') };
    let mut out = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(group);
        }
        out.push(c);
    }
    // A whole number without its zeros ("95"); otherwise every decimal ("0.50").
    if !frac.bytes().all(|b| b == b'0') {
        out.push(point);
        out.push_str(frac);
    }
    if neg { format!("-{out}") } else { out }
}

/// The same, from a value in the audit trail's JSON.
pub fn display_json(l: Lang, f: &Field, v: Option<&serde_json::Value>, names: &Names) -> String {
    let v = match v {
        None | Some(serde_json::Value::Null) => Value::Null,
        Some(serde_json::Value::Bool(b)) => Value::Bool(*b),
        Some(serde_json::Value::String(s)) => Value::Text(s.clone()),
        // A number field's value, in its stored spelling.
        Some(serde_json::Value::Number(n)) if matches!(f.kind, Kind::Number { .. }) => {
            let decimals = match f.kind {
                Kind::Number { decimals } => decimals,
                _ => 0,
            };
            Value::Text(borgen_core::register::number(&n.to_string(), decimals).unwrap_or_else(|| n.to_string()))
        }
        Some(serde_json::Value::Number(n)) if n.is_i64() => Value::Int(n.as_i64().unwrap_or(0)),
        Some(serde_json::Value::Array(items)) => {
            Value::List(items.iter().map(|i| i.as_str().map(str::to_string).unwrap_or_else(|| i.to_string())).collect())
        }
        Some(other) => Value::Text(other.to_string()),
    };
    display(l, f, &v, names)
}

/// The choices of a choice, member, link or yes/no field, as (value, label).
pub fn options(l: Lang, f: &Field, names: &Names) -> Vec<(String, String)> {
    match f.kind {
        Kind::Choice { codes, .. } => codes
            .iter()
            .map(|c| (c.to_string(), f.choice_key(c).map(|k| t(l, &k).to_string()).unwrap_or_default()))
            .collect(),
        Kind::Member => crate::views::owner_options(&names.members),
        Kind::Link(key) | Kind::Records { register: key, .. } => names.choices.get(key).cloned().unwrap_or_default(),
        Kind::Level { max, .. } => {
            // 0 is "not set": the blank choice.
            (1..=i64::from(max))
                .map(|n| (n.to_string(), f.level_key(n).map(|k| t(l, &k).to_string()).unwrap_or_default()))
                .collect()
        }
        Kind::Controls(_) => borgen_core::catalog::controls()
            .iter()
            .map(|c| (c.id.clone(), format!("{} {}", c.id, c.title_in(l))))
            .collect(),
        Kind::Bool => {
            vec![("true".into(), t(l, "common.yes").to_string()), ("false".into(), t(l, "common.no").to_string())]
        }
        _ => Vec::new(),
    }
}

/// A register's records as an export table in the user's language: every
/// field, then archived and last changed. A register that others belong to
/// has one row per current record that belongs to it (its fields after the parent's),
/// and one row for a record with none.
pub fn table(l: Lang, reg: &Register, items: &[Held], names: &Names) -> Table {
    let cell = |f: &Field, v: &Value| match v {
        Value::Null => String::new(),
        Value::List(items) if items.is_empty() => String::new(),
        Value::List(items) if matches!(f.kind, Kind::Controls(_)) => items.join(", "),
        // Dates stay sortable in a spreadsheet, numbers calculable.
        Value::Text(s) if f.kind == Kind::Date || matches!(f.kind, Kind::Number { .. }) => s.clone(),
        _ => display(l, f, v, names),
    };
    let yes_no = |b: bool| t(l, if b { "common.yes" } else { "common.no" }).to_string();
    let kids: Vec<&Register> = reg.children().collect();
    let raised: Vec<&Field> = reg.fields.iter().filter(|f| f.raised_by.is_some()).collect();
    let mut headers: Vec<String> = reg.fields.iter().map(|f| t(l, f.label).to_string()).collect();
    headers.extend(raised.iter().map(|f| tf(l, "list.effective", &[("field", t(l, f.label))])));
    headers.push(t(l, "field.archived").to_string());
    headers.push(t(l, "field.updated").to_string());
    for kid in &kids {
        headers.extend(own(kid).map(|f| t(l, f.label).to_string()));
    }
    let mut rows = Vec::new();
    for h in items {
        let mut row: Vec<String> = reg.fields.iter().zip(&h.rec.values).map(|(f, v)| cell(f, v)).collect();
        row.extend(raised.iter().map(|f| cell(f, &Value::Int(effective(h, f)))));
        row.push(yes_no(h.rec.archived));
        row.push(h.rec.updated_at.clone());
        let mut lines: Vec<Vec<String>> = Vec::new();
        for (n, kid) in kids.iter().enumerate() {
            let before: usize = kids[..n].iter().map(|k| own(k).count()).sum();
            let width = own(kid).count();
            for c in
                h.children.iter().filter(|k| k.reg.key == kid.key).flat_map(|k| &k.items).filter(|c| !c.rec.archived)
            {
                let mut line = vec![String::new(); before];
                line.extend(
                    kid.fields
                        .iter()
                        .zip(&c.rec.values)
                        .filter(|(f, _)| Some(f.name) != kid.parent)
                        .map(|(f, v)| cell(f, v)),
                );
                debug_assert_eq!(line.len(), before + width);
                lines.push(line);
            }
        }
        if lines.is_empty() {
            rows.push(row);
            continue;
        }
        for line in lines {
            let mut r = row.clone();
            r.extend(line);
            rows.push(r);
        }
    }
    let width = headers.len();
    for r in &mut rows {
        r.resize(width, String::new());
    }
    Table { title: t(l, &format!("{}.title", reg.locale)).to_string(), headers, rows }
}

/// The effective value of a level raised through links, as the store computed it.
pub fn effective(h: &Held, f: &Field) -> i64 {
    h.rec.effective.get(f.name).copied().unwrap_or(0)
}

/// A child register's fields without the one naming its parent.
fn own(kid: &Register) -> impl Iterator<Item = &Field> + '_ {
    kid.fields.iter().filter(move |f| Some(f.name) != kid.parent)
}

/// The export of the records the list parameters select (every page, up to
/// [`EXPORT_MAX`]), as CSV, XLSX or PDF in the user's language, encoded off the
/// async workers (see `App::cpu`). Pages and API both answer with it.
pub(crate) async fn export(
    state: &AppState,
    ctx: &borgen_app::OrgCtx,
    lang: Lang,
    reg: &'static Register,
    format: String,
    p: &Params,
) -> crate::error::WebResult {
    let mut q = list_query(reg, p)?;
    q.page = 1;
    q.per_page = EXPORT_MAX;
    let (items, _) = state.app.reg_list(ctx, reg, &q).await?;
    let names = names(state, ctx, reg, &items, false).await?;
    let table = table(lang, reg, &items, &names);
    let stem = format!("{}-{}", ctx.org.slug, reg.api);
    crate::risk_export::download(&state.app, lang, &ctx.org, &stem, table, &format).await
}
