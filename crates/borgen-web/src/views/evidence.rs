//! Evidence files: the section on a record's page (the files attached, the
//! upload form for who may edit the record), attaching and taking off,
//! downloads, and the organisation's evidence index.

use super::{Done, html, html_status, see_other};
use crate::ctx::{CsrfToken, Form, OrgPage, Query};
use crate::error::{WebError, WebResult};
use crate::layout;
use crate::state::AppState;
use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use borgen_app::AppError;
use borgen_app::evidence::{Download, Subject};
use borgen_core::FieldErrors;
use borgen_core::evidence::{FileKind, size_text};
use borgen_core::i18n::{Lang, t, tf};
use borgen_store::evidence::LinkRow;
use maud::{Markup, html};

/// Files listed per page of the index.
const PER_PAGE: i64 = 50;

fn subject(entity: &str, id: &str) -> Result<Subject, WebError> {
    Subject::parse(entity, id).ok_or(WebError::App(AppError::NotFound))
}

/// The accepted kinds, for the form's hint and the file picker.
fn accepted() -> (String, String) {
    let labels: Vec<&str> = FileKind::ALL.iter().map(|k| k.label()).collect();
    let exts: Vec<String> = FileKind::ALL.iter().flat_map(|k| k.extensions().iter().map(|e| format!(".{e}"))).collect();
    (labels.join(", "), exts.join(","))
}

fn upload_form(o: &OrgPage, s: Subject, errs: &FieldErrors, note: &str, max: u64) -> Markup {
    let l = o.lang();
    let (labels, exts) = accepted();
    let max = size_text(max as i64);
    let action = format!("{}/evidence/{}/{}", o.base(), s.entity(), s.id_text());
    html! {
        form.card method="post" action=(action) enctype="multipart/form-data" {
            (layout::csrf(&o.page))
            (layout::error_summary(l, errs))
            div.field {
                label for="file" { (t(l, "evidence.file")) }
                p.hint id="file-hint" { (tf(l, "evidence.file_hint", &[("kinds", &labels), ("max", &max)])) }
                input #file type="file" name="file" accept=(exts) required
                    aria-describedby="file-hint" aria-invalid=[errs.for_field("file").map(|_| "true")];
                @if let Some(k) = errs.for_field("file") { p.field-error { (t(l, k)) } }
            }
            div.field {
                label for="note" { (t(l, "evidence.note")) }
                input #note type="text" name="note" value=(note) maxlength="500"
                    aria-invalid=[errs.for_field("note").map(|_| "true")];
                @if let Some(k) = errs.for_field("note") { p.field-error { (t(l, k)) } }
            }
            button.primary type="submit" { (t(l, "evidence.attach")) }
        }
    }
}

pub fn files_table(o: &OrgPage, s: Subject, files: &[LinkRow], edit: bool) -> Markup {
    let l = o.lang();
    let zone = &o.ctx.org.time_zone;
    html! {
        table.register {
            thead { tr {
                th scope="col" { (t(l, "evidence.file")) }
                th scope="col" { (t(l, "evidence.size")) }
                th scope="col" { (t(l, "evidence.attached")) }
                th scope="col" { (t(l, "evidence.note_col")) }
                @if edit { th scope="col" { span.sr-only { (t(l, "common.actions")) } } }
            } }
            tbody {
                @for f in files {
                    tr {
                        td { a href={(o.base()) "/evidence/download/" (f.id)} download { (f.name) } }
                        td.nowrap { (size_text(f.size)) " " span.muted { (FileKind::from_media_type(&f.media_type).map(|k| k.label()).unwrap_or("")) } }
                        td { (f.attached_by_label) ", " (layout::when(zone, &f.attached_at)) }
                        td { (f.note) }
                        @if edit {
                            td { (layout::action_button(&o.page,
                                &format!("{}/evidence/{}/{}/{}/remove", o.base(), s.entity(), s.id_text(), f.id),
                                t(l, "evidence.remove"), "danger", Some(t(l, "evidence.remove_confirm")))) }
                        }
                    }
                }
            }
        }
    }
}

/// The evidence section of a record's page.
pub async fn section(state: &AppState, o: &OrgPage, s: Subject) -> Result<Markup, WebError> {
    let l = o.lang();
    let (rights, files) = match state.app.evidence_of(&o.ctx, s).await {
        // A document the member's role does not read: its versions say so.
        Err(borgen_app::AppError::Forbidden) => return Ok(html! {}),
        r => r?,
    };
    let edit = rights.edit && !rights.archived;
    // A version's files are part of its content, not evidence about it.
    let (heading, none) = match s {
        Subject::DocVersion(_) => ("document.files", "document.no_files"),
        _ => ("evidence.title", "evidence.none"),
    };
    Ok(html! {
        section #evidence {
            h2 { (t(l, heading)) }
            @if matches!(s, Subject::DocVersion(_)) { p.hint { (t(l, "document.files_hint")) } }
            @if files.is_empty() {
                p.empty { (t(l, none)) }
            } @else {
                (files_table(o, s, &files, edit))
            }
            @if edit {
                details {
                    summary { (t(l, "evidence.add")) }
                    (upload_form(o, s, &FieldErrors::default(), "", state.app.config.evidence_max_bytes))
                }
            }
        }
    })
}

/// The parts of a multipart form: `(file name, bytes)` by field name.
async fn parts(
    token: &CsrfToken,
    mp: Multipart,
) -> Result<std::collections::HashMap<String, (Option<String>, Vec<u8>)>, WebError> {
    super::import::multipart_parts(token, mp).await
}

/// `POST /o/{slug}/evidence/{entity}/{id}`: attaches the uploaded file.
/// A refused file shows the form again with the reason (422).
pub async fn attach(
    State(state): State<AppState>,
    o: OrgPage,
    Path((_, entity, id)): Path<(String, String, String)>,
    axum::Extension(token): axum::Extension<CsrfToken>,
    mp: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> WebResult {
    let s = subject(&entity, &id)?;
    let mp = mp.map_err(|_| WebError::Status(StatusCode::BAD_REQUEST, "error.malformed_form"))?;
    let mut fields = parts(&token, mp).await?;
    let (name, bytes) = fields.remove("file").unwrap_or_default();
    let note = fields.remove("note").map(|(_, v)| String::from_utf8_lossy(&v).into_owned()).unwrap_or_default();
    let name = name.unwrap_or_default();
    match state.app.attach_evidence(&o.ctx, s, &name, &note, bytes.into()).await {
        Ok(_) => Ok(see_other(&format!("{}/{}?done=attached#evidence", o.base(), s.path()))),
        Err(AppError::Invalid(errs)) => {
            let (rights, _) = state.app.evidence_of(&o.ctx, s).await?;
            Ok(html_status(StatusCode::UNPROCESSABLE_ENTITY, refused_page(&state, &o, s, &rights.title, &errs, &note)))
        }
        Err(AppError::Conflict(key)) if key == "evidence.error.already_attached" => {
            let (rights, _) = state.app.evidence_of(&o.ctx, s).await?;
            let mut errs = FieldErrors::default();
            errs.add("file", key);
            Ok(html_status(StatusCode::CONFLICT, refused_page(&state, &o, s, &rights.title, &errs, &note)))
        }
        Err(e) => Err(e.into()),
    }
}

fn refused_page(state: &AppState, o: &OrgPage, s: Subject, title: &str, errs: &FieldErrors, note: &str) -> Markup {
    let l = o.lang();
    let back = format!("{}/{}", o.base(), s.path());
    layout::org(
        o,
        "",
        t(l, "evidence.add"),
        html! {
            p.crumbs { a href=(back) { (title) } }
            h1 { (t(l, "evidence.add")) }
            (upload_form(o, s, errs, note, state.app.config.evidence_max_bytes))
        },
    )
}

/// `POST /o/{slug}/evidence/{entity}/{id}/{link}/remove`.
pub async fn detach(
    State(state): State<AppState>,
    o: OrgPage,
    Path((_, entity, id, link)): Path<(String, String, String, String)>,
    Form(_): Form<Done>,
) -> WebResult {
    let s = subject(&entity, &id)?;
    state.app.detach_evidence(&o.ctx, s, &link).await?;
    Ok(see_other(&format!("{}/{}?done=detached#evidence", o.base(), s.path())))
}

/// `Content-Disposition: attachment` with the name as typed (RFC 6266: an
/// ASCII fallback and the UTF-8 name percent-encoded).
fn disposition(name: &str) -> HeaderValue {
    let ascii: String =
        name.chars().map(|c| if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' { c } else { '_' }).collect();
    let mut encoded = String::new();
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            encoded.push(b as char);
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    HeaderValue::from_str(&format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}"))
        .unwrap_or(HeaderValue::from_static("attachment"))
}

/// A download as a response: the stored type, always as an attachment,
/// never sniffed by the browser.
pub fn download_response(d: Download) -> Response {
    let kind = HeaderValue::from_str(&d.media_type).unwrap_or(HeaderValue::from_static("application/octet-stream"));
    (
        [
            (header::CONTENT_TYPE, kind),
            (header::CONTENT_DISPOSITION, disposition(&d.name)),
            (header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
            (header::CACHE_CONTROL, HeaderValue::from_static("private, no-store")),
        ],
        d.bytes,
    )
        .into_response()
}

/// `GET /o/{slug}/evidence/download/{link}`.
pub async fn download(State(state): State<AppState>, o: OrgPage, Path((_, link)): Path<(String, String)>) -> WebResult {
    Ok(download_response(state.app.evidence_download(&o.ctx, &link).await?))
}

/// `GET /o/{slug}/evidence/files/{sha256}`.
pub async fn file(State(state): State<AppState>, o: OrgPage, Path((_, sha)): Path<(String, String)>) -> WebResult {
    Ok(download_response(state.app.evidence_file(&o.ctx, &sha).await?))
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct IndexParams {
    pub page: Option<u32>,
}

fn record_link(o: &OrgPage, l: Lang, a: &borgen_app::evidence::Attached) -> Markup {
    let key = format!("entity.{}", a.link.entity);
    let entity = t(l, &key);
    html! {
        @if a.record_title.is_empty() {
            span.muted { (entity) }
        } @else {
            a href={(o.base()) "/" (a.record_path) "#evidence"} { (a.record_title) } " " span.muted { "(" (entity) ")" }
        }
    }
}

/// `GET /o/{slug}/evidence`: every file the organisation holds.
pub async fn index(State(state): State<AppState>, o: OrgPage, Query(p): Query<IndexParams>) -> WebResult {
    let l = o.lang();
    let page = p.page.unwrap_or(1).max(1);
    let (rows, total) = state.app.evidence_index(&o.ctx, PER_PAGE, (page as i64 - 1) * PER_PAGE).await?;
    let zone = &o.ctx.org.time_zone;
    let base = format!("{}/evidence", o.base());
    Ok(html(layout::org(
        &o,
        "evidence",
        t(l, "evidence.index_title"),
        html! {
            h1 { (t(l, "evidence.index_title")) }
            p { (t(l, "evidence.index_intro")) }
            @if rows.is_empty() {
                p.empty { (t(l, "evidence.index_empty")) }
            } @else {
                table.register {
                    thead { tr {
                        th scope="col" { (t(l, "evidence.file")) }
                        th scope="col" { (t(l, "evidence.size")) }
                        th scope="col" { (t(l, "evidence.hash")) }
                        th scope="col" { (t(l, "evidence.uploaded")) }
                        th scope="col" { (t(l, "evidence.attached_to")) }
                    } }
                    tbody {
                        @for r in &rows {
                            tr {
                                td {
                                    @let name = r.attached_to.first().map(|a| a.link.name.as_str()).unwrap_or("—");
                                    a href={(base) "/files/" (r.file.sha256)} download { (name) }
                                    " " span.muted { (FileKind::from_media_type(&r.file.media_type).map(|k| k.label()).unwrap_or("")) }
                                }
                                td.nowrap { (size_text(r.file.size)) }
                                td { code title=(r.file.sha256) { (&r.file.sha256[..12]) "…" } }
                                td { (r.file.uploaded_by_label) ", " (layout::when(zone, &r.file.uploaded_at)) }
                                td {
                                    @if r.attached_to.is_empty() { span.muted { (t(l, "evidence.detached")) } }
                                    @for a in &r.attached_to { (record_link(&o, l, a)) br; }
                                }
                            }
                        }
                    }
                }
                (layout::pager(l, page, PER_PAGE as u32, total, |n| format!("{base}?page={n}")))
            }
        },
    )))
}
