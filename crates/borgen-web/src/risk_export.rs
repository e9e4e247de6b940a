//! Exports of the risk registers (risks, assets, the treatment plan) as CSV,
//! XLSX or PDF, in the user's language; shared by the pages and the API.

use crate::error::WebError;
use crate::state::AppState;
use crate::tables::owner_name;
use crate::views::risks::threat_name;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use borgen_app::{AppError, OrgCtx};
use borgen_core::Lang;
use borgen_core::i18n::{t, tf};
use borgen_core::risk::{MethodologyVersion, RiskFilter};
use borgen_report::Table;
use borgen_store::risk::{RiskSort, TaskFilter};

/// The most rows one export holds.
pub const EXPORT_MAX: i64 = 100_000;

fn level(l: Lang, versions: &[MethodologyVersion], v: i64, level: Option<u8>) -> String {
    level
        .and_then(|x| versions.iter().find(|m| m.version == v).and_then(|m| m.methodology.level(x)))
        .map(|x| x.name.get(l).to_string())
        .unwrap_or_default()
}

/// The risk register (filtered as the list is) as a table.
/// The risk register as a table; `printed`: as it is laid out on paper
/// ([`printed`]).
pub async fn risks(state: &AppState, ctx: &OrgCtx, l: Lang, f: &RiskFilter, print: bool) -> Result<Table, WebError> {
    let page = state.app.list_risks(ctx, f, RiskSort::Number, EXPORT_MAX, 0).await?;
    let members = state.app.members(&ctx.actor, &ctx.org.slug).await?;
    let versions = state.app.methodology_versions(ctx).await?;
    let assets = state.app.asset_refs(ctx).await?;
    let own = state.app.own_threats(ctx).await?;
    let applied = state.app.applied_refs(ctx).await?;
    let score =
        |s: Option<borgen_core::risk::Score>| s.map(|s| format!("{} × {}", s.likelihood, s.impact)).unwrap_or_default();
    let headers = [
        "risk.ref",
        "field.title",
        "risk.scenario",
        "risk.assets",
        "risk.no_asset_reason",
        "risk.threat",
        "risk.vulnerability",
        "risk.cia",
        "risk.owner",
        "risk.inherent",
        "risk.level",
        "risk.existing_controls",
        "risk.treatment_option",
        "risk.rationale",
        "risk.annex_controls",
        "risk.applied_controls",
        "risk.residual",
        "risk.level",
        "risk.status",
        "risk.next_review",
        "risk.acceptance",
        "risk.methodology",
    ];
    let rows = page
        .risks
        .iter()
        .map(|r| {
            let d = &r.data;
            let acc = page.acceptances.iter().find(|a| a.risk_id == r.id);
            let acceptance = match acc {
                None => String::new(),
                Some(a) if page.outdated.contains(&r.id) => {
                    format!("{} ({})", t(l, "risk.acceptance_outdated_short"), a.accepted_by_label)
                }
                Some(a) => format!("{} {}", a.accepted_by_label, a.accepted_at.get(..10).unwrap_or("")),
            };
            let cia = match crate::layout::cia(l, d.affects_c, d.affects_i, d.affects_a).as_str() {
                "—" => String::new(),
                s => s.to_string(),
            };
            vec![
                r.reference(),
                d.title.clone(),
                d.description.clone().unwrap_or_default(),
                d.asset_ids
                    .iter()
                    .filter_map(|id| assets.iter().find(|a| a.id == *id).map(|a| a.name.clone()))
                    .collect::<Vec<_>>()
                    .join("; "),
                d.no_asset_reason.clone().unwrap_or_default(),
                d.threat.as_ref().map(|_| threat_name(l, &own, d.threat.as_deref())).unwrap_or_default(),
                d.vulnerability.clone().unwrap_or_default(),
                cia,
                owner_name(&members, d.owner_id),
                score(d.inherent),
                level(l, &versions, r.methodology_version, r.inherent_level),
                d.existing_controls.clone().unwrap_or_default(),
                d.treatment.map(|x| t(l, x.label_key()).to_string()).unwrap_or_default(),
                d.treatment_rationale.clone().unwrap_or_default(),
                d.control_ids.join(", "),
                d.applied_control_ids
                    .iter()
                    .filter_map(|id| applied.iter().find(|a| a.id.to_string() == *id).map(|a| a.name.clone()))
                    .collect::<Vec<_>>()
                    .join("; "),
                score(d.residual),
                level(l, &versions, r.methodology_version, r.residual_level),
                t(l, d.status.label_key()).to_string(),
                d.next_review.clone().unwrap_or_default(),
                acceptance,
                r.methodology_version.to_string(),
            ]
        })
        .collect();
    let table = Table {
        title: t(l, "risk.title").to_string(),
        headers: headers.iter().map(|k| t(l, k).to_string()).collect(),
        rows,
    };
    Ok(if print { printed(l, table) } else { table })
}

/// The threat register: the built-in catalogue and the organisation's own
/// threats (archived ones marked), by group.
pub async fn threats(state: &AppState, ctx: &OrgCtx, l: Lang) -> Result<Table, WebError> {
    let own = state.app.own_threats(ctx).await?;
    let yes = |b: bool| if b { t(l, "common.yes") } else { "" }.to_string();
    let headers = [
        "threat.group",
        "field.name",
        "field.description",
        "risk.c",
        "risk.i",
        "risk.a",
        "threat.source",
        "list.archived_badge",
    ];
    let mut rows = Vec::new();
    for g in borgen_core::threat::groups() {
        for th in borgen_core::threat::threats().iter().filter(|x| x.group == g.code) {
            rows.push(vec![
                g.name(l).to_string(),
                th.name(l).to_string(),
                th.description(l).to_string(),
                yes(th.c),
                yes(th.i),
                yes(th.a),
                t(l, "threat.catalogue").to_string(),
                String::new(),
            ]);
        }
        for o in own.iter().filter(|x| x.group_code == g.code) {
            rows.push(vec![
                g.name(l).to_string(),
                o.name.clone(),
                o.description.clone().unwrap_or_default(),
                yes(o.affects_c),
                yes(o.affects_i),
                yes(o.affects_a),
                t(l, "threat.own").to_string(),
                yes(o.archived),
            ]);
        }
    }
    Ok(Table {
        title: t(l, "threat.title").to_string(),
        headers: headers.iter().map(|k| t(l, k).to_string()).collect(),
        rows,
    })
}

/// The risk register on paper: number and title in one column, each score
/// beside its level ("Zeer hoog (4 × 5)"), and the methodology version in
/// the title when every risk shares it (a column when they differ); the CSV
/// and XLSX keep every column apart, as an import reads them back.
fn printed(l: Lang, mut t: Table) -> Table {
    const REF: usize = 0;
    const INHERENT: usize = 9;
    const RESIDUAL: usize = 16;
    const LAST: usize = 21;
    let with_level = |score: &str, level: &str| match (score.is_empty(), level.is_empty()) {
        (true, _) => level.to_string(),
        (false, true) => score.to_string(),
        (false, false) => format!("{level} ({score})"),
    };
    let versions: std::collections::BTreeSet<&str> =
        t.rows.iter().filter_map(|r| r.get(LAST)).map(String::as_str).collect();
    let shared = (versions.len() == 1).then(|| versions.iter().next().map(|v| v.to_string())).flatten();
    if let Some(v) = &shared {
        t.title = format!("{} · {}", t.title, tf(l, "risk.methodology_version_n", &[("v", v)]));
    }
    for r in &mut t.rows {
        if r.len() <= LAST {
            continue;
        }
        if shared.is_some() {
            r.remove(LAST);
        }
        r[RESIDUAL] = with_level(&r[RESIDUAL], &r[RESIDUAL + 1]);
        r.remove(RESIDUAL + 1);
        r[INHERENT] = with_level(&r[INHERENT], &r[INHERENT + 1]);
        r.remove(INHERENT + 1);
        let title = r.remove(REF + 1);
        r[REF] = format!("{} {title}", r[REF]);
    }
    if t.headers.len() > LAST {
        if shared.is_some() {
            t.headers.remove(LAST);
        }
        t.headers.remove(RESIDUAL + 1);
        t.headers.remove(INHERENT + 1);
        t.headers.remove(REF + 1);
    }
    t
}

/// The organisation-wide treatment plan: every task serving a risk.
pub async fn treatment_plan(state: &AppState, ctx: &OrgCtx, l: Lang, open_only: bool) -> Result<Table, WebError> {
    let tasks = state.app.list_tasks(ctx, &TaskFilter { open_only, ..Default::default() }).await?;
    let members = state.app.members(&ctx.actor, &ctx.org.slug).await?;
    let headers = ["task.subject", "field.title", "field.owner", "task.due_date", "task.status", "task.progress"];
    let rows = tasks
        .iter()
        .map(|tk| {
            vec![
                tk.subject_label.clone(),
                tk.data.title.clone(),
                owner_name(&members, tk.data.owner_id),
                tk.data.due_date.clone().unwrap_or_default(),
                t(l, tk.data.status.label_key()).to_string(),
                format!("{}%", tk.data.progress),
            ]
        })
        .collect();
    Ok(Table {
        title: t(l, "task.plan_all").to_string(),
        headers: headers.iter().map(|k| t(l, k).to_string()).collect(),
        rows,
    })
}

/// A table as a download: csv, xlsx or pdf (A4 landscape with the
/// organisation and date on the first page), encoded as one of the
/// application's CPU jobs (a PDF of thousands of rows takes seconds).
pub async fn download(
    app: &borgen_app::App,
    l: Lang,
    org: &borgen_app::borgen_store::orgs::Org,
    stem: &str,
    table: Table,
    format: &str,
) -> Result<Response, WebError> {
    let (org, today, fmt) = (org.name.clone(), borgen_core::time::today_in(&org.time_zone), format.to_string());
    let (bytes, mime) = app.cpu(move || encode(l, &org, &today, &table, &fmt)).await??;
    let disposition = format!("attachment; filename=\"{stem}.{format}\"");
    Ok(([(header::CONTENT_TYPE, mime.to_string()), (header::CONTENT_DISPOSITION, disposition)], bytes).into_response())
}

fn encode(
    l: Lang,
    org_name: &str,
    date: &str,
    table: &Table,
    format: &str,
) -> Result<(Vec<u8>, &'static str), WebError> {
    let internal = |e: borgen_report::ReportError| WebError::App(AppError::Internal(e.to_string()));
    let (bytes, mime) = match format {
        "csv" => (borgen_report::to_csv(table).map_err(internal)?, "text/csv; charset=utf-8"),
        "xlsx" => (
            borgen_report::to_xlsx(table).map_err(internal)?,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        "pdf" => {
            let front = vec![
                (t(l, "soa.organisation").to_string(), org_name.to_string()),
                (t(l, "export.date").to_string(), date.to_string()),
                (t(l, "export.rows").to_string(), table.rows.len().to_string()),
            ];
            let footer = format!("{} · {org_name}", table.title);
            let doc = borgen_report::PdfDoc {
                title: &table.title,
                subtitle: org_name,
                front: &front,
                table,
                footer: &footer,
                lang: l.code(),
                group_by: None,
            };
            (borgen_report::to_pdf(&doc).map_err(internal)?, "application/pdf")
        }
        _ => return Err(WebError::Status(StatusCode::NOT_FOUND, "error.unknown_format")),
    };
    Ok((bytes, mime))
}
