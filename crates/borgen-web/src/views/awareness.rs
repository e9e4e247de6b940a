//! 7.3 Awareness: a campaign's completion on its page with the import of a
//! completion list, and the overview of every campaign, per department, with
//! the acknowledgement rate of the policy in force.

use super::import::{multipart_fields, problems, read_upload_apart};
use super::{html, html_status};
use crate::ctx::{CsrfToken, OrgPage};
use crate::error::{WebError, WebResult};
use crate::layout::{self, csrf};
use crate::register::Held;
use crate::state::AppState;
use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderMap, StatusCode};
use borgen_app::people::Imported;
use borgen_core::awareness::{CampaignRate, Rate};
use borgen_core::i18n::{Lang, t, tf};
use borgen_core::import::ImportError;
use borgen_core::registers::CAMPAIGNS;
use maud::{Markup, html};

/// The path of the overview under the organisation.
pub const OVERVIEW: &str = "support/awareness-overview";

fn rate_text(l: Lang, r: Rate) -> String {
    match r.percent() {
        Some(p) => tf(
            l,
            "campaigns.rate_line",
            &[("done", &r.done.to_string()), ("of", &r.of.to_string()), ("percent", &p.to_string())],
        ),
        None => t(l, "campaigns.rate_none").to_string(),
    }
}

fn departments(l: Lang, rows: &[(String, Rate)]) -> Markup {
    html! {
        table.register {
            thead { tr { th scope="col" { (t(l, "people.field.department")) } th scope="col" { (t(l, "campaigns.rate")) } } }
            tbody {
                @for (d, r) in rows {
                    tr {
                        td { @if d.is_empty() { (t(l, "awareness.no_department")) } @else { (d) } }
                        td { (rate_text(l, *r)) }
                    }
                }
            }
        }
    }
}

fn import_form(o: &OrgPage, id: &str) -> Markup {
    let l = o.lang();
    html! {
        details.card #import {
            summary { (t(l, "awareness.import")) }
            p.small { (t(l, "awareness.import_intro")) }
            form method="post" action={(o.base()) "/" (CAMPAIGNS.path) "/" (id) "/import"} enctype="multipart/form-data" {
                (csrf(&o.page))
                div.field {
                    label for="file" { (t(l, "awareness.import_file")) }
                    input #file type="file" name="file" accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" required;
                }
                button.primary type="submit" { (t(l, "awareness.import_run")) }
            }
        }
    }
}

/// The section of a campaign's page: its completion, per department, and
/// the import for who may add to it.
pub async fn section(state: &AppState, o: &OrgPage, h: &Held) -> Result<Markup, WebError> {
    let l = o.lang();
    let id = h.rec.id.as_text();
    let all = state.app.awareness(&o.ctx).await?;
    let mine = all.campaigns.iter().find(|c| c.campaign_id == id);
    Ok(html! {
        section #rate {
            h2 { (t(l, "campaigns.rate_heading")) }
            @match mine {
                Some(c) => {
                    p.rate { strong { (rate_text(l, c.rate)) } @if c.exempt > 0 { " · " (tf(l, "campaigns.exempt", &[("n", &c.exempt.to_string())])) } }
                    @if !c.by_department.is_empty() { (departments(l, &c.by_department)) }
                }
                // Archived: not counted.
                None => p.muted { "—" },
            }
        }
        @if h.access.edit && !h.rec.archived { (import_form(o, &id)) }
    })
}

fn result_page(o: &OrgPage, id: &str, title: &str, status: StatusCode, body: Markup) -> axum::response::Response {
    let l = o.lang();
    let back = format!("{}/{}/{id}", o.base(), CAMPAIGNS.path);
    html_status(
        status,
        layout::org(
            o,
            CAMPAIGNS.key,
            t(l, "awareness.import"),
            html! {
                p.crumbs { a href={(o.base()) "/" (CAMPAIGNS.path)} { (t(l, "campaigns.title")) } " › " a href=(back) { (title) } }
                h1 { (t(l, "awareness.import")) }
                (body)
                @if status != StatusCode::OK { (import_form(o, id)) }
                p { a href={(back) "#rate"} { (t(l, "awareness.back")) } }
            },
        ),
    )
}

pub async fn import(
    State(state): State<AppState>,
    o: OrgPage,
    Path((_, id)): Path<(String, String)>,
    headers: HeaderMap,
    axum::Extension(token): axum::Extension<CsrfToken>,
    mp: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> WebResult {
    let l = o.lang();
    let mp = mp.map_err(|_| WebError::Status(StatusCode::BAD_REQUEST, "error.malformed_form"))?;
    let rid = crate::register::parse_id(&id)?;
    // The campaign and the right to add to it, before the file is read.
    let campaign = state.app.reg_parent_for_adding(&o.ctx, &borgen_core::registers::COMPLETIONS, rid).await?;
    let title = CAMPAIGNS.title_of(&campaign.rec).to_string();
    let fields = multipart_fields(&headers, &token, mp).await?;
    let bytes = fields.get("file").cloned().unwrap_or_default();
    let refused = |e: &[ImportError]| {
        let heading = tf(l, "import.failed", &[("n", &e.len().to_string())]);
        result_page(&o, &id, &title, StatusCode::UNPROCESSABLE_ENTITY, problems(l, heading, &[], e))
    };
    let table = match read_upload_apart(&state.app, bytes).await? {
        Ok(t) => t,
        Err(e) => return Ok(refused(&e)),
    };
    Ok(match state.app.import_completions(&o.ctx, rid, table).await? {
        Err(e) => refused(&e),
        Ok(Imported::Unknown(addresses)) => result_page(
            &o,
            &id,
            &title,
            StatusCode::UNPROCESSABLE_ENTITY,
            html! {
                div.error-summary role="alert" tabindex="-1" {
                    p { strong { (t(l, "awareness.unknown")) } }
                    ul #unknown { @for a in &addresses { li { (a) } } }
                }
            },
        ),
        Ok(Imported::Done { added, updated }) => result_page(
            &o,
            &id,
            &title,
            StatusCode::OK,
            html! { p.notice role="status" { (tf(l, "awareness.imported", &[("added", &added.to_string()), ("updated", &updated.to_string())])) } },
        ),
    })
}

fn campaign_rows(o: &OrgPage, rates: &[CampaignRate]) -> Markup {
    let l = o.lang();
    html! {
        table.register #campaigns {
            thead { tr {
                th scope="col" { (t(l, "campaigns.field.title")) }
                th scope="col" { (t(l, "campaigns.field.kind")) }
                th scope="col" { (t(l, "campaigns.rate")) }
            } }
            tbody {
                @for c in rates {
                    tr {
                        td { a href={(o.base()) "/" (CAMPAIGNS.path) "/" (c.campaign_id)} { (c.title) } }
                        td { (t(l, &format!("campaigns.kind.{}", c.kind))) }
                        td { (rate_text(l, c.rate)) @if c.exempt > 0 { " · " (tf(l, "campaigns.exempt", &[("n", &c.exempt.to_string())])) } }
                    }
                }
            }
        }
    }
}

pub async fn overview(State(state): State<AppState>, o: OrgPage) -> WebResult {
    let l = o.lang();
    let a = state.app.awareness(&o.ctx).await?;
    let policy = state.app.key_document(&o.ctx, "policy").await?;
    let title = t(l, "awareness.title");
    Ok(html(layout::org(
        &o,
        "awareness",
        title,
        html! {
            div.page-head { h1 { (title) " " span.clause { "7.3" } } }
            p.muted { (t(l, "awareness.intro")) }
            section.card #policy {
                h2 { (t(l, "awareness.policy")) }
                @match policy.as_ref().and_then(|d| d.rate.map(|r| (d, r))).filter(|(_, r)| r.asked > 0) {
                    Some((d, r)) => p {
                        a href={(o.base()) "/" (borgen_core::registers::DOCUMENTS.path) "/" (d.document_id)} {
                            (tf(l, "awareness.policy_rate", &[("done", &r.confirmed.to_string()), ("of", &r.asked.to_string()), ("code", &d.code), ("percent", &r.percent().to_string())]))
                        }
                    },
                    None => p.muted { (t(l, "awareness.policy_none")) },
                }
            }
            section #per-campaign {
                h2 { (t(l, "awareness.per_campaign")) }
                @if a.campaigns.is_empty() { p.empty { (t(l, "campaigns.empty")) } } @else { (campaign_rows(&o, &a.campaigns)) }
            }
            @if !a.per_department.is_empty() {
                section #per-department {
                    h2 { (t(l, "awareness.per_department")) }
                    (departments(l, &a.per_department))
                }
            }
        },
    )))
}
