//! "Documents to read": for every member, the documents in force that are
//! theirs to read, those asking them to confirm first; one document's text
//! with the button to confirm it.

use super::{Done, html, see_other};
use crate::ctx::{Form, OrgPage, Query};
use crate::error::{WebError, WebResult};
use crate::layout::{self, notice};
use crate::markdown;
use crate::state::AppState;
use axum::extract::{Path, State};
use borgen_app::AppError;
use borgen_app::acknowledge::ToRead;
use borgen_core::i18n::{t, tf};
use borgen_core::register::RecordId;
use maud::{Markup, PreEscaped, html};

fn doc_id(id: &str) -> Result<RecordId, WebError> {
    RecordId::parse(id).ok_or(WebError::App(AppError::NotFound))
}

fn status(o: &OrgPage, r: &ToRead) -> Markup {
    let l = o.lang();
    let zone = &o.ctx.org.time_zone;
    html! {
        @if let Some(at) = &r.confirmed_at {
            span.badge.ok { (t(l, "reading.confirmed")) } " " span.muted { (layout::when(zone, at)) }
        } @else if r.asked {
            span.badge.warn { (t(l, "reading.to_confirm")) }
            @if let Some(d) = &r.due_on { " " span.muted { (tf(l, "document.ack.due", &[("date", d)])) } }
        } @else {
            span.muted { "—" }
        }
    }
}

/// `GET /o/{slug}/reading`.
pub async fn list(State(state): State<AppState>, o: OrgPage, Query(done): Query<Done>) -> WebResult {
    let l = o.lang();
    let docs = state.app.to_read(&o.ctx).await?;
    let open = docs.iter().filter(|r| r.asked && r.confirmed_at.is_none()).count();
    let zone = &o.ctx.org.time_zone;
    Ok(html(layout::org(
        &o,
        "reading",
        t(l, "reading.title"),
        html! {
            h1 { (t(l, "reading.title")) }
            p.muted { (t(l, "reading.intro")) }
            (notice(l, done.done.as_deref()))
            @if open > 0 { p.notice.warn role="status" { (borgen_core::i18n::tn(l, "reading.open_count", open, &[])) } }
            @if docs.is_empty() {
                p.empty { (t(l, "reading.empty")) }
            } @else {
                table.register #reading {
                    caption.sr-only { (t(l, "reading.title")) }
                    thead { tr {
                        th scope="col" { (t(l, "document.field.code")) }
                        th scope="col" { (t(l, "field.title")) }
                        th scope="col" { (t(l, "document.number")) }
                        th scope="col" { (t(l, "document.published")) }
                        th scope="col" { (t(l, "reading.status")) }
                    } }
                    tbody {
                        @for r in &docs {
                            tr {
                                td { (r.code) }
                                td { a href={(o.base()) "/reading/" (r.document_id)} { (r.title) } }
                                td { (r.number) }
                                td { (r.published_at.as_deref().map(|a| layout::when(zone, a)).unwrap_or_default()) }
                                td { (status(&o, r)) }
                            }
                        }
                    }
                }
            }
        },
    )))
}

/// `GET /o/{slug}/reading/{id}`: the version in force.
pub async fn show(
    State(state): State<AppState>,
    o: OrgPage,
    Path((_, id)): Path<(String, String)>,
    Query(done): Query<Done>,
) -> WebResult {
    let l = o.lang();
    let doc = doc_id(&id)?;
    let r = state.app.read_in_force(&o.ctx, doc).await?;
    let zone = &o.ctx.org.time_zone;
    let title = format!("{} {}", r.doc.code, r.doc.title);
    Ok(html(layout::org(
        &o,
        "reading",
        &title,
        html! {
            p.crumbs { a href={(o.base()) "/reading"} { (t(l, "reading.title")) } }
            h1 { (title) }
            (notice(l, done.done.as_deref()))
            p.muted {
                (tf(l, "document.version_n", &[("n", &r.doc.number.to_string())]))
                " · " (t(l, "document.published")) " " (r.doc.published_at.as_deref().map(|a| layout::when(zone, a)).unwrap_or_default())
                @if let Some(by) = &r.approved_by_label { " · " (t(l, "document.approved_by")) " " (by) }
            }
            p { (status(&o, &r.doc)) }
            @if r.content.trim().is_empty() {
                p.empty { (t(l, "document.no_text")) }
            } @else {
                article.doc-text { (PreEscaped(markdown::to_html(&r.content))) }
            }
            @if let Some(id) = r.files.first().and_then(|f| RecordId::parse(&f.record_id)) {
                section #evidence {
                    h2 { (t(l, "document.files")) }
                    (crate::views::evidence::files_table(&o, borgen_app::evidence::Subject::DocVersion(id), &r.files, false))
                }
            }
            @if r.doc.asked && r.doc.confirmed_at.is_none() {
                section.card #confirm {
                    p { (t(l, "reading.confirm_hint")) }
                    (layout::action_button(&o.page, &format!("{}/reading/{}/{}/confirm", o.base(), r.doc.document_id, r.doc.number), t(l, "reading.confirm"), "primary", None))
                }
            }
        },
    )))
}

/// `POST /o/{slug}/reading/{id}/{n}/confirm`.
pub async fn confirm(
    State(state): State<AppState>,
    o: OrgPage,
    Path((_, id, n)): Path<(String, String, String)>,
    Form(_): Form<Done>,
) -> WebResult {
    let (doc, n) = (doc_id(&id)?, crate::ctx::version_number(&n)?);
    state.app.doc_acknowledge(&o.ctx, doc, n).await?;
    Ok(see_other(&format!("{}/reading/{doc}?done=confirmed", o.base())))
}
