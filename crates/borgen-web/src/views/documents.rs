//! Versions of a document (7.5): the section on the document's page, a
//! version's page (its text, reviewers, the steps the member may take, its
//! history), the draft editor with a preview, and the steps themselves.

use super::{Done, html, html_status, see_other};
use crate::ctx::{Form, OrgPage, Query, client_of};
use crate::error::{WebError, WebResult};
use crate::layout::{self, csrf, notice, textarea};
use crate::markdown;
use crate::state::AppState;
use crate::views::scope::ScopeForm;
use crate::views::soa::NoteForm;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use borgen_app::AppError;
use borgen_app::document::DocVersion;
use borgen_app::evidence::Subject;
use borgen_app::register::Held;
use borgen_app::totp::StepUp;
use borgen_core::FieldErrors;
use borgen_core::document::{Decision, State as VState};
use borgen_core::i18n::{t, tf};
use borgen_core::register::RecordId;
use borgen_core::registers::DOCUMENTS;
use borgen_core::role::Permission;
use maud::{Markup, PreEscaped, html};

fn doc_id(id: &str) -> Result<RecordId, WebError> {
    RecordId::parse(id).ok_or(WebError::App(AppError::NotFound))
}

use crate::ctx::version_number as number;

fn base(o: &OrgPage, doc: RecordId) -> String {
    format!("{}/{}/{doc}", o.base(), DOCUMENTS.path)
}

fn badge(l: borgen_core::i18n::Lang, s: VState) -> Markup {
    html! { span class={"badge state-" (s.code())} { (t(l, s.label_key())) } }
}

/// The title a document is shown by: "POL-001 Informatiebeveiligingsbeleid".
pub(crate) fn doc_title(h: &Held) -> String {
    let v = borgen_core::register::Values { reg: &DOCUMENTS, values: &h.rec.values };
    format!("{} {}", v.text("code").unwrap_or(""), v.text("title").unwrap_or(""))
}

/// The versions section of a document's page.
pub async fn section(state: &AppState, o: &OrgPage, h: &Held) -> Result<Markup, WebError> {
    let l = o.lang();
    let versions = match state.app.doc_versions(&o.ctx, h.rec.id).await {
        Err(AppError::Forbidden) => {
            return Ok(html! {
                section #versions {
                    h2 { (t(l, "document.versions")) }
                    p.notice { (t(l, "document.not_for_you")) }
                }
            });
        }
        r => r?,
    };
    let b = base(o, h.rec.id);
    let zone = &o.ctx.org.time_zone;
    let open = versions.iter().any(|v| v.state().is_open());
    let in_force = versions.iter().find(|v| v.state() == VState::Published);
    Ok(html! {
        section #versions {
            h2 { (t(l, "document.versions")) }
            p {
                strong { (t(l, "document.in_force")) ": " }
                @match in_force {
                    Some(v) => { a href={(b) "/versions/" (v.row.number)} { (tf(l, "document.version_n", &[("n", &v.row.number.to_string())])) } " · " (t(l, "document.published")) " " (layout::when(zone, v.row.published_at.as_deref().unwrap_or(""))) }
                    None => { span.muted { (t(l, "document.none_in_force")) } }
                }
            }
            @if versions.is_empty() {
                p.empty { (t(l, "document.no_versions")) }
            } @else {
                table.register {
                    thead { tr {
                        th scope="col" { (t(l, "document.number")) }
                        th scope="col" { (t(l, "document.state_label")) }
                        th scope="col" { (t(l, "document.written_by")) }
                        th scope="col" { (t(l, "document.approved_by")) }
                        th scope="col" { (t(l, "document.change_note")) }
                    } }
                    tbody {
                        @for v in &versions {
                            tr {
                                td { a href={(b) "/versions/" (v.row.number)} { (tf(l, "document.version_n", &[("n", &v.row.number.to_string())])) } }
                                td { (badge(l, v.state())) }
                                td { (v.row.created_by_label) ", " (layout::when(zone, &v.row.created_at)) }
                                td { (v.row.approved_by_label.clone().unwrap_or_else(|| "—".into())) }
                                td { (v.row.change_note.clone().unwrap_or_default()) }
                            }
                        }
                    }
                }
            }
            @if versions.len() > 1 {
                p { a href={(b) "/diff"} { (t(l, "document.diff.compare_versions")) } }
            }
            @if h.access.edit && !open {
                form method="post" action={(b) "/versions"} {
                    (csrf(&o.page))
                    @if let Some(v) = versions.first() { p.hint { (tf(l, "document.new_draft_from", &[("n", &v.row.number.to_string())])) } }
                    button.primary type="submit" { (t(l, "document.new_draft")) }
                }
            }
        }
    })
}

/// The rendered text of a version.
fn text(l: borgen_core::i18n::Lang, content: &str) -> Markup {
    html! {
        @if content.trim().is_empty() {
            p.empty { (t(l, "document.no_text")) }
        } @else {
            article.doc-text { (PreEscaped(markdown::to_html(content))) }
        }
    }
}

/// Errors of the forms on a version's page, by form.
#[derive(Default)]
struct Errs {
    submit: FieldErrors,
    review: FieldErrors,
    approve: FieldErrors,
    ask: FieldErrors,
}

async fn version_page(
    state: &AppState,
    o: &OrgPage,
    doc: RecordId,
    n: i64,
    done: Option<&str>,
    errs: &Errs,
) -> Result<Markup, WebError> {
    let l = o.lang();
    let h = state.app.reg_get(&o.ctx, &DOCUMENTS, doc).await?;
    let v = state.app.doc_version(&o.ctx, doc, n).await?;
    let history = state.app.history(&o.ctx, &v.row.id).await?;
    let members = state.app.members(&o.ctx.actor, &o.ctx.org.slug).await?;
    let acks = state.app.doc_ack_status(&o.ctx, doc, n).await?;
    let files = match RecordId::parse(&v.row.id) {
        Some(id) => crate::views::evidence::section(state, o, Subject::DocVersion(id)).await?,
        None => html! {},
    };
    let b = base(o, doc);
    let zone = &o.ctx.org.time_zone;
    let title = format!("{} · {}", doc_title(&h), tf(l, "document.version_n", &[("n", &n.to_string())]));
    let stamp = |who: &Option<String>, at: &Option<String>| match (who, at) {
        (Some(w), Some(a)) => format!("{w}, {}", layout::when(zone, a)),
        _ => "—".to_string(),
    };
    let v_ref: &DocVersion = &v;
    Ok(layout::org(
        o,
        "document",
        &title,
        html! {
            p.crumbs { a href={(o.base()) "/" (DOCUMENTS.path)} { (t(l, "document.title")) } " › " a href=(b) { (doc_title(&h)) } }
            div.page-head {
                h1 { (title) " " (badge(l, v.state())) }
                div.actions {
                    @if n > 1 { a.button href={(b) "/diff?from=" (n - 1) "&to=" (n)} { (tf(l, "document.diff.with_previous", &[("n", &(n - 1).to_string())])) } }
                    @if v.may.edit { a.button href={(b) "/versions/" (n) "/edit"} { (t(l, "common.edit")) } }
                }
            }
            (notice(l, done))
            dl.details {
                dt { (t(l, "document.written_by")) } dd { (stamp(&Some(v.row.created_by_label.clone()), &Some(v.row.created_at.clone()))) }
                dt { (t(l, "document.change_note")) } dd { (v.row.change_note.clone().unwrap_or_else(|| "—".into())) }
                dt { (t(l, "document.submitted")) } dd { (stamp(&v.row.submitted_by_label, &v.row.submitted_at)) }
                dt { (t(l, "document.approved_by")) } dd {
                    (stamp(&v.row.approved_by_label, &v.row.approved_at))
                    @if let Some(c) = &v.row.approval_comment { br; span.muted { (c) } }
                }
                dt { (t(l, "document.published")) } dd { (stamp(&v.row.published_by_label, &v.row.published_at)) }
                @if v.row.withdrawn_at.is_some() {
                    dt { (t(l, "document.withdrawn")) } dd { (stamp(&v.row.withdrawn_by_label, &v.row.withdrawn_at)) }
                }
                dt { (t(l, "document.reviewers")) } dd {
                    @if v.reviews.is_empty() { "—" }
                    @for r in &v.reviews {
                        (r.user_label) ": " (t(l, Decision::parse(&r.decision).unwrap_or(Decision::Pending).label_key()))
                        @if let Some(why) = &r.reason { " — " em { (why) } }
                        br;
                    }
                }
            }
            (steps(o, &b, v_ref, &members, errs))
            @if v.state() == VState::Published || acks.request.is_some() || !acks.confirmed.is_empty() {
                (ack_section(o, doc, n, &acks, &members, &errs.ask))
            }
            @if is_scope(&h) { (crate::views::scope::shown(l, v.scope.as_ref())) }
            h2 { (t(l, "document.content")) }
            (text(l, &v.row.content))
            (files)
            (crate::views::trail::history_section(l, zone, &history, &crate::register::Names::of(&members)))
        },
    ))
}

/// Who is asked to read a version, how far they have come, and the form to
/// ask (again).
fn ack_section(
    o: &OrgPage,
    doc: RecordId,
    n: i64,
    a: &borgen_app::acknowledge::AckStatus,
    members: &[borgen_store::orgs::Member],
    errs: &FieldErrors,
) -> Markup {
    use borgen_core::document::Audience;
    let l = o.lang();
    let zone = &o.ctx.org.time_zone;
    let b = base(o, doc);
    let people: Vec<(String, String)> = members
        .iter()
        .map(|m| (m.user_id.as_text(), if m.name.trim().is_empty() { m.email.clone() } else { m.name.clone() }))
        .collect();
    let roles: Vec<(String, String)> =
        borgen_core::role::Role::ALL.iter().map(|r| (r.code().to_string(), t(l, r.label_key()).to_string())).collect();
    let (kind, role, chosen) = match a.request.as_ref().map(|r| &r.audience) {
        Some(Audience::All) | None => ("all", None, Vec::new()),
        Some(Audience::Role { role }) => ("role", Some(role.code()), Vec::new()),
        Some(Audience::People { people }) => ("people", None, people.clone()),
    };
    html! {
        section #acknowledgement {
            h2 { (t(l, "document.ack.title")) }
            @match &a.request {
                None => { p.muted { (t(l, "document.ack.none")) } }
                Some(r) => {
                    p {
                        strong { (tf(l, "document.ack.rate", &[
                            ("confirmed", &a.rate.confirmed.to_string()),
                            ("asked", &a.rate.asked.to_string()),
                            ("percent", &a.rate.percent().to_string()),
                        ])) }
                    }
                    meter min="0" max="100" value=(a.rate.percent()) aria-label=(t(l, "document.ack.title")) {}
                    p.muted {
                        @match &r.audience {
                            Audience::All => { (t(l, "document.ack.asked_all")) }
                            Audience::Role { role } => { (tf(l, "document.ack.asked_role", &[("role", t(l, role.label_key()))])) }
                            Audience::People { people } => { (tf(l, "document.ack.asked_people", &[("n", &people.len().to_string())])) }
                        }
                        " · " (r.requested_by_label) ", " (layout::when(zone, &r.requested_at))
                        @if let Some(d) = &r.due_on { " · " (tf(l, "document.ack.due", &[("date", d)])) }
                    }
                    @if !a.waiting.is_empty() {
                        h3 { (t(l, "document.ack.waiting")) }
                        ul.plain #ack-waiting { @for p in &a.waiting { li { (p.label) } } }
                    }
                }
            }
            @if !a.confirmed.is_empty() {
                h3 { (t(l, "document.ack.confirmed")) }
                ul.plain #ack-confirmed { @for c in &a.confirmed { li { (c.user_label) ", " (layout::when(zone, &c.acked_at)) } } }
            }
            @if a.asks_me && !a.i_confirmed {
                (layout::action_button(&o.page, &format!("{}/reading/{doc}/{n}/confirm", o.base()), t(l, "reading.confirm"), "primary", None))
            }
            @if a.may_ask {
                details.card open[!errs.is_empty()] {
                    summary { (t(l, if a.request.is_some() { "document.ack.ask_again" } else { "document.ack.ask" })) }
                    (layout::error_summary(l, errs))
                    form method="post" action={(b) "/versions/" (n) "/ask"} {
                        (csrf(&o.page))
                        fieldset.field.invalid[errs.for_field("audience").is_some()] #audience {
                            legend { (t(l, "document.ack.audience")) }
                            @for (code, key) in [("all", "document.ack.audience_all"), ("role", "document.ack.audience_role"), ("people", "document.ack.audience_people")] {
                                div.check {
                                    input id={"audience-" (code)} type="radio" name="audience" value=(code) checked[kind == code];
                                    label for={"audience-" (code)} { (t(l, key)) }
                                }
                            }
                            @if let Some(k) = errs.for_field("audience") { p.field-error { (t(l, k)) } }
                        }
                        (layout::select(l, errs, "role", t(l, "document.ack.role"), &roles, role, false))
                        (layout::checks(l, errs, "people", t(l, "document.ack.people"), None, &people, &chosen))
                        (layout::text_field(l, errs, "due_on", t(l, "document.ack.due_on"), a.request.as_ref().and_then(|r| r.due_on.as_deref()), false, "date"))
                        button.primary type="submit" { (t(l, "document.ack.send")) }
                    }
                }
            }
        }
    }
}

/// The forms of the steps the member may take now.
fn steps(o: &OrgPage, b: &str, v: &DocVersion, members: &[borgen_store::orgs::Member], errs: &Errs) -> Markup {
    let l = o.lang();
    let n = v.row.number;
    let readers: Vec<&borgen_store::orgs::Member> =
        members.iter().filter(|m| m.roles.can(Permission::ReadRegisters)).collect();
    html! {
        @if v.may.submit {
            section.card #submit {
                h2 { (t(l, "document.submit")) }
                (layout::error_summary(l, &errs.submit))
                form method="post" action={(b) "/versions/" (n) "/submit"} {
                    (csrf(&o.page))
                    fieldset #reviewers {
                        legend { (t(l, "document.reviewers")) }
                        p.hint { (t(l, "document.reviewers_hint")) }
                        @for m in &readers {
                            label.check {
                                input type="checkbox" name="reviewers" value=(m.user_id.as_text());
                                " " (if m.name.is_empty() { &m.email } else { &m.name })
                            }
                        }
                        @if let Some(k) = errs.submit.for_field("reviewers") { p.field-error { (t(l, k)) } }
                    }
                    button.primary type="submit" { (t(l, "document.submit")) }
                }
            }
        }
        @if v.may.review {
            section.card #review {
                h2 { (t(l, "document.reviewers")) }
                (layout::error_summary(l, &errs.review))
                form method="post" action={(b) "/versions/" (n) "/review"} {
                    (csrf(&o.page))
                    (textarea(l, &errs.review, "reason", t(l, "document.reason"), None, None))
                    button.primary type="submit" name="decision" value="approve" { (t(l, "document.review_approve")) }
                    " "
                    button type="submit" name="decision" value="return" { (t(l, "document.review_return")) }
                }
            }
        }
        @if v.may.approve {
            section.card #approve {
                h2 { (t(l, "document.approve")) }
                (layout::approval_form(o, &errs.approve, &format!("{b}/versions/{n}/approve"), t(l, "history.comment"), t(l, "document.approve")))
            }
        }
        @if v.may.publish {
            section.card #publish {
                h2 { (t(l, "document.publish")) }
                p.hint { (t(l, "document.publish_hint")) }
                (layout::action_button(&o.page, &format!("{b}/versions/{n}/publish"), t(l, "document.publish"), "primary", None))
            }
        }
        @if v.may.withdraw {
            p { (layout::action_button(&o.page, &format!("{b}/versions/{n}/withdraw"), t(l, "document.withdraw"), "danger", Some(t(l, "document.withdraw_confirm")))) }
        }
    }
}

/// `GET …/documents/{id}/versions/{n}`.
pub async fn version(
    State(state): State<AppState>,
    o: OrgPage,
    Path((_, id, n)): Path<(String, String, String)>,
    Query(done): Query<Done>,
) -> WebResult {
    let (doc, n) = (doc_id(&id)?, number(&n)?);
    Ok(html(version_page(&state, &o, doc, n, done.done.as_deref(), &Errs::default()).await?))
}

/// `GET /o/{slug}/support/documents/versions/{version id}`: the version's
/// page (where its files link back to).
pub async fn by_id(
    State(state): State<AppState>,
    o: OrgPage,
    Path((_, vid)): Path<(String, String)>,
    Query(done): Query<Done>,
) -> WebResult {
    let (doc, n) = state.app.doc_version_number(&o.ctx, doc_id(&vid)?).await?;
    // Only the notice keys (`attached`, `detached`) are passed on.
    let q = done
        .done
        .filter(|d| d.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'))
        .map(|d| format!("?done={d}"))
        .unwrap_or_default();
    if !o.ctx.can(Permission::ReadRegisters) {
        return Ok(see_other(&format!("{}/reading/{}", o.base(), doc.as_text())));
    }
    Ok(see_other(&format!("{}/versions/{n}{q}", base(&o, doc))))
}

/// `POST …/documents/{id}/versions`: a new draft from the newest text.
pub async fn new_draft(
    State(state): State<AppState>,
    o: OrgPage,
    Path((_, id)): Path<(String, String)>,
    Form(_): Form<Done>,
) -> WebResult {
    let doc = doc_id(&id)?;
    let v = state.app.doc_new_draft(&o.ctx, doc, None, None).await?;
    Ok(see_other(&format!("{}/versions/{}/edit", base(&o, doc), v.row.number)))
}

#[derive(Debug, Default)]
pub struct DraftForm {
    pub content: Option<String>,
    pub change_note: Option<String>,
    /// `preview` shows the text without saving it.
    pub go: Option<String>,
    /// A scope statement's parts.
    pub scope: Option<ScopeForm>,
}

impl DraftForm {
    fn from_pairs(pairs: &[(String, String)], is_scope: bool) -> DraftForm {
        let get = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
        DraftForm {
            content: get("content"),
            change_note: get("change_note"),
            go: get("go"),
            scope: is_scope.then(|| ScopeForm::from_pairs(pairs)),
        }
    }
}

fn is_scope(h: &Held) -> bool {
    borgen_core::register::Values { reg: &DOCUMENTS, values: &h.rec.values }.text("doc_type") == Some("scope")
}

fn editor_page(o: &OrgPage, h: &Held, v: &DocVersion, f: &DraftForm, errs: &FieldErrors, preview: bool) -> Markup {
    let l = o.lang();
    let b = base(o, h.rec.id);
    let n = v.row.number;
    let title = format!("{} · {}", doc_title(h), tf(l, "document.version_n", &[("n", &n.to_string())]));
    let content = f.content.as_deref().unwrap_or("");
    layout::org(
        o,
        "document",
        &title,
        html! {
            p.crumbs { a href=(b) { (doc_title(h)) } " › " a href={(b) "/versions/" (n)} { (tf(l, "document.version_n", &[("n", &n.to_string())])) } }
            h1 { (title) " " (badge(l, v.state())) }
            (layout::error_summary(l, errs))
            form.card method="post" action={(b) "/versions/" (n) "/edit"} novalidate {
                (csrf(&o.page))
                @if let Some(sf) = &f.scope { (crate::views::scope::editor(l, sf, errs)) }
                div.field {
                    label for="content" { (t(l, "document.content")) }
                    p.hint id="content-hint" { (t(l, "document.content_hint")) }
                    textarea #content name="content" rows="22" aria-describedby="content-hint"
                        aria-invalid=[errs.for_field("content").map(|_| "true")] { (content) }
                    @if let Some(k) = errs.for_field("content") { p.field-error { (t(l, k)) } }
                }
                div.field {
                    label for="change_note" { (t(l, "document.change_note")) }
                    input #change_note type="text" name="change_note" maxlength="500" value=(f.change_note.as_deref().unwrap_or(""))
                        aria-invalid=[errs.for_field("change_note").map(|_| "true")];
                    @if let Some(k) = errs.for_field("change_note") { p.field-error { (t(l, k)) } }
                }
                button type="submit" name="go" value="preview" { (t(l, "document.preview")) }
                " "
                button.primary type="submit" name="go" value="save" { (t(l, "document.save_draft")) }
            }
            @if preview {
                section #preview {
                    h2 { (t(l, "document.preview")) }
                    @if let Some(p) = f.scope.as_ref().and_then(|sf| sf.parse().ok()) { (crate::views::scope::shown(l, Some(&p))) }
                    (text(l, content))
                }
            }
        },
    )
}

/// `GET …/versions/{n}/edit`: the draft's editor.
pub async fn edit_form(
    State(state): State<AppState>,
    o: OrgPage,
    Path((_, id, n)): Path<(String, String, String)>,
) -> WebResult {
    let (doc, n) = (doc_id(&id)?, number(&n)?);
    let h = state.app.reg_get(&o.ctx, &DOCUMENTS, doc).await?;
    let v = state.app.doc_version(&o.ctx, doc, n).await?;
    if !v.may.edit {
        return Err(if v.state() == VState::Draft {
            AppError::Forbidden.into()
        } else {
            AppError::Conflict("document.error.not_draft").into()
        });
    }
    let f = DraftForm {
        content: Some(v.row.content.clone()),
        change_note: v.row.change_note.clone(),
        go: None,
        scope: is_scope(&h).then(|| ScopeForm::from_parts(v.scope.as_ref())),
    };
    Ok(html(editor_page(&o, &h, &v, &f, &FieldErrors::default(), false)))
}

/// `POST …/versions/{n}/edit`: preview, or save the draft.
pub async fn save(
    State(state): State<AppState>,
    o: OrgPage,
    Path((_, id, n)): Path<(String, String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> WebResult {
    let (doc, n) = (doc_id(&id)?, number(&n)?);
    let h = state.app.reg_get(&o.ctx, &DOCUMENTS, doc).await?;
    let v = state.app.doc_version(&o.ctx, doc, n).await?;
    let f = DraftForm::from_pairs(&pairs, is_scope(&h));
    let parts = match f.scope.as_ref().map(ScopeForm::parse).transpose() {
        Ok(p) => p,
        Err(errs) => {
            if !v.may.edit {
                return Err(AppError::Conflict("document.error.not_draft").into());
            }
            return Ok(html_status(StatusCode::UNPROCESSABLE_ENTITY, editor_page(&o, &h, &v, &f, &errs, false)));
        }
    };
    if f.go.as_deref() == Some("preview") {
        if !v.may.edit {
            return Err(AppError::Conflict("document.error.not_draft").into());
        }
        return Ok(html(editor_page(&o, &h, &v, &f, &FieldErrors::default(), true)));
    }
    let content = f.content.as_deref().unwrap_or("");
    match state.app.doc_save_draft(&o.ctx, doc, n, content, f.change_note.as_deref(), parts.as_ref()).await {
        Ok(_) => Ok(see_other(&format!("{}/versions/{n}?done=saved", base(&o, doc)))),
        Err(AppError::Invalid(errs)) => {
            Ok(html_status(StatusCode::UNPROCESSABLE_ENTITY, editor_page(&o, &h, &v, &f, &errs, false)))
        }
        Err(e) => Err(e.into()),
    }
}

/// The answer to a step: back to the version, or its page again with the
/// form's errors in place (422); `place` puts them on the right form.
async fn answered(
    state: &AppState,
    o: &OrgPage,
    doc: RecordId,
    n: i64,
    result: Result<(), AppError>,
    place: fn(FieldErrors) -> Errs,
) -> WebResult {
    match result {
        Ok(()) => Ok(see_other(&format!("{}/versions/{n}?done=saved", base(o, doc)))),
        Err(AppError::Invalid(e)) => {
            Ok(html_status(StatusCode::UNPROCESSABLE_ENTITY, version_page(state, o, doc, n, None, &place(e)).await?))
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST …/versions/{n}/submit` with the ticked `reviewers`.
pub async fn submit(
    State(state): State<AppState>,
    o: OrgPage,
    Path((_, id, n)): Path<(String, String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> WebResult {
    let (doc, n) = (doc_id(&id)?, number(&n)?);
    let mut reviewers = Vec::new();
    for (k, v) in &pairs {
        if k == "reviewers" {
            match borgen_core::ids::UserId::parse(v) {
                Some(u) => reviewers.push(u),
                None => {
                    let mut e = FieldErrors::default();
                    e.add("reviewers", "document.error.reviewer_not_member");
                    let place = |e| Errs { submit: e, ..Default::default() };
                    return answered(&state, &o, doc, n, Err(AppError::Invalid(e)), place).await;
                }
            }
        }
    }
    let result = state.app.doc_submit(&o.ctx, doc, n, &reviewers).await;
    answered(&state, &o, doc, n, result, |e| Errs { submit: e, ..Default::default() }).await
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct ReviewForm {
    pub decision: Option<String>,
    pub reason: Option<String>,
}

/// `POST …/versions/{n}/review`: approve, or send back with a reason.
pub async fn review(
    State(state): State<AppState>,
    o: OrgPage,
    Path((_, id, n)): Path<(String, String, String)>,
    Form(f): Form<ReviewForm>,
) -> WebResult {
    let (doc, n) = (doc_id(&id)?, number(&n)?);
    let approve = match f.decision.as_deref() {
        Some("approve") => true,
        Some("return") => false,
        _ => return Err(WebError::Status(StatusCode::BAD_REQUEST, "error.malformed_form")),
    };
    let result = state.app.doc_review(&o.ctx, doc, n, approve, f.reason.as_deref()).await;
    answered(&state, &o, doc, n, result, |e| Errs { review: e, ..Default::default() }).await
}

/// `POST …/versions/{n}/approve`.
pub async fn approve(
    State(state): State<AppState>,
    o: OrgPage,
    parts: Parts,
    Path((_, id, n)): Path<(String, String, String)>,
    Form(f): Form<NoteForm>,
) -> WebResult {
    let (doc, n) = (doc_id(&id)?, number(&n)?);
    let step = StepUp::new(f.code.as_deref(), client_of(&state, &parts));
    let result = state.app.doc_approve(&o.ctx, doc, n, f.comment.as_deref(), &step).await;
    answered(&state, &o, doc, n, result, |e| Errs { approve: e, ..Default::default() }).await
}

/// `POST …/versions/{n}/publish`.
pub async fn publish(
    State(state): State<AppState>,
    o: OrgPage,
    Path((_, id, n)): Path<(String, String, String)>,
    Form(_): Form<Done>,
) -> WebResult {
    let (doc, n) = (doc_id(&id)?, number(&n)?);
    let result = state.app.doc_publish(&o.ctx, doc, n).await;
    answered(&state, &o, doc, n, result, |_| Errs::default()).await
}

/// `POST …/versions/{n}/ask`: ask a group to read the version and confirm it.
pub async fn ask(
    State(state): State<AppState>,
    o: OrgPage,
    Path((_, id, n)): Path<(String, String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> WebResult {
    let (doc, n) = (doc_id(&id)?, number(&n)?);
    let one = |k: &str| pairs.iter().find(|(x, v)| x == k && !v.is_empty()).map(|(_, v)| v.as_str());
    let people: Vec<String> = pairs.iter().filter(|(k, _)| k == "people").map(|(_, v)| v.clone()).collect();
    let audience = one("audience").and_then(|a| borgen_core::document::Audience::from_parts(a, one("role"), people));
    let result = state.app.doc_ask(&o.ctx, doc, n, audience, one("due_on")).await.map(|_| ());
    answered(&state, &o, doc, n, result, |e| Errs { ask: e, ..Default::default() }).await
}

/// `POST …/versions/{n}/withdraw`.
pub async fn withdraw(
    State(state): State<AppState>,
    o: OrgPage,
    Path((_, id, n)): Path<(String, String, String)>,
    Form(_): Form<Done>,
) -> WebResult {
    let (doc, n) = (doc_id(&id)?, number(&n)?);
    let result = state.app.doc_withdraw(&o.ctx, doc, n).await;
    answered(&state, &o, doc, n, result, |_| Errs::default()).await
}
