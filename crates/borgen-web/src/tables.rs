//! What the HTML pages and the JSON API share for the registers not yet
//! declared with the mechanism: paging parameters, owners' names, downloads.

use crate::error::WebError;
use axum::http::StatusCode;
use borgen_core::Lang;
use borgen_core::i18n::t;
use borgen_core::ids::UserId;
use borgen_report::Table;
use borgen_store::orgs::Member;

pub const PER_PAGE: u32 = 25;
pub const EXPORT_MAX: u32 = 10_000;

fn bad(_: ()) -> WebError {
    WebError::Status(StatusCode::BAD_REQUEST, "error.bad_filter")
}

fn page_no(v: &Option<String>) -> Result<u32, WebError> {
    match v.as_deref().map(str::trim) {
        None | Some("") => Ok(1),
        Some(s) => s.parse::<u32>().ok().filter(|n| *n >= 1).ok_or(()).map_err(bad),
    }
}

fn per_page_no(v: &Option<String>) -> Result<u32, WebError> {
    match v.as_deref().map(str::trim) {
        None | Some("") => Ok(PER_PAGE),
        Some(s) => s.parse::<u32>().ok().filter(|n| (1..=500).contains(n)).ok_or(()).map_err(bad),
    }
}

/// `page` (from 1) and `per_page` (1 to 500, default 25) of a list; anything
/// else is 400 `error.bad_filter`.
pub fn paging(page: &Option<String>, per_page: &Option<String>) -> Result<(u32, u32), WebError> {
    Ok((page_no(page)?, per_page_no(per_page)?))
}

/// The display name of an owner.
pub fn owner_name(members: &[Member], id: Option<UserId>) -> String {
    match id {
        None => String::new(),
        Some(id) => members.iter().find(|m| m.user_id == id).map(|m| m.name.clone()).unwrap_or_else(|| id.to_string()),
    }
}

/// Encodes a table as a download: `csv` or `xlsx`.
pub fn download(table: &Table, format: &str, stem: &str) -> Result<axum::response::Response, WebError> {
    use axum::http::header;
    use axum::response::IntoResponse;
    let (bytes, mime) = match format {
        "csv" => (borgen_report::to_csv(table), "text/csv; charset=utf-8"),
        "xlsx" => (borgen_report::to_xlsx(table), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        _ => return Err(WebError::Status(StatusCode::NOT_FOUND, "error.unknown_format")),
    };
    let bytes = bytes.map_err(|e| WebError::App(borgen_app::AppError::Internal(e.to_string())))?;
    let disposition = format!("attachment; filename=\"{stem}.{format}\"");
    Ok(([(header::CONTENT_TYPE, mime.to_string()), (header::CONTENT_DISPOSITION, disposition)], bytes).into_response())
}

/// How a row's applicability reads.
pub fn applicability_label(l: Lang, a: Option<bool>) -> &'static str {
    match a {
        None => t(l, "soa.undecided"),
        Some(true) => t(l, "common.yes"),
        Some(false) => t(l, "common.no"),
    }
}

/// The SoA as a table: one row per Annex A control, in the user's language.
pub fn soa_table(l: Lang, rows: &[borgen_core::soa::SoaRow]) -> Table {
    use borgen_core::catalog;
    let headers = [
        "catalog.control",
        "field.title",
        "catalog.theme",
        "soa.applicable",
        "soa.reasons",
        "soa.justification",
        "soa.status",
        "field.owner",
        "soa.applied_controls",
        "soa.risk_column",
        "soa.requirements",
    ];
    Table {
        title: t(l, "soa.short").to_string(),
        headers: headers.iter().map(|k| t(l, k).to_string()).collect(),
        rows: rows
            .iter()
            .filter_map(|r| {
                let c = catalog::control(&r.control_id)?;
                let justification = match r.applicable {
                    Some(false) => r.exclusion_justification.clone().unwrap_or_default(),
                    _ => r.inclusion_note.clone().unwrap_or_default(),
                };
                Some(vec![
                    c.id.clone(),
                    c.title_in(l).to_string(),
                    t(l, c.theme.label_key()).to_string(),
                    applicability_label(l, r.applicable).to_string(),
                    r.reasons.iter().map(|x| t(l, x.label_key())).collect::<Vec<_>>().join(", "),
                    justification,
                    if r.applicable.is_none() { String::new() } else { t(l, r.status.label_key()).to_string() },
                    r.owner_name.clone().unwrap_or_default(),
                    r.applied_controls.iter().map(|a| a.name.clone()).collect::<Vec<_>>().join("; "),
                    r.risks.join("; "),
                    r.requirements.iter().map(|q| format!("{}: {}", q.party, q.title)).collect::<Vec<_>>().join("; "),
                ])
            })
            .collect(),
    }
}
