//! Versions of documents (7.5): drafts, review by named members, approval
//! by the role the document type needs, publication (the version before is
//! withdrawn) and withdrawal. The rules are `borgen_core::document::check`;
//! every step writes one audit event on the version (`document_version`),
//! in the same transaction.

use crate::{App, AppError, OrgCtx, Result, record};
use borgen_core::FieldErrors;
use borgen_core::diff::Diff;
use borgen_core::document::{self as rules, Refusal, State, Step, Who};
use borgen_core::ids::UserId;
use borgen_core::register::{Record, RecordId};
use borgen_core::registers::DOCUMENTS;
use borgen_core::role::Permission;
use borgen_core::scope::Parts;
use borgen_core::time::now_text;
use borgen_store::Tx;
use borgen_store::document::{self as repo, Move, ReviewRow, VersionRow};
use borgen_store::orgs::Member;

/// The most a version's text may hold.
pub const MAX_CONTENT: usize = 200_000;

/// A version with its reviews and what the acting member may do with it.
#[derive(Clone, Debug, serde::Serialize)]
pub struct DocVersion {
    #[serde(flatten)]
    pub row: VersionRow,
    pub reviews: Vec<ReviewRow>,
    /// The parts of a scope statement (4.3); `None` for other documents
    /// and for a scope version whose parts were never written.
    pub scope: Option<Parts>,
    /// The steps the acting member may take now.
    pub may: May,
}

/// The steps the acting member may take on a version now.
#[derive(Clone, Copy, Debug, Default, serde::Serialize)]
pub struct May {
    pub edit: bool,
    pub submit: bool,
    pub review: bool,
    pub approve: bool,
    pub publish: bool,
    pub withdraw: bool,
}

impl DocVersion {
    pub fn state(&self) -> State {
        State::parse(&self.row.state).unwrap_or(State::Draft)
    }
}

fn refused(r: Refusal) -> AppError {
    match r {
        Refusal::Role => AppError::Forbidden,
        Refusal::State(key) => AppError::Conflict(key),
    }
}

/// The document (404 when not the organisation's, 403 without read rights)
/// and whether the member may edit it (archived: read only, 409 on change).
async fn document(tx: &mut Tx, ctx: &OrgCtx, id: RecordId) -> Result<(Record, bool, bool)> {
    crate::register::rights_in(tx, ctx, &DOCUMENTS, id).await
}

fn doc_type(rec: &Record) -> String {
    borgen_core::register::Values { reg: &DOCUMENTS, values: &rec.values }.text("doc_type").unwrap_or("").to_string()
}

/// The type whose approver a version needs: top management's when the
/// type the document had when the version was sent for review needed top
/// management, else that of its type now (changing the type does not move
/// the approval away from top management).
fn approval_type<'a>(ctx: &OrgCtx, doc_type: &'a str, row: &'a VersionRow) -> &'a str {
    sent_as(ctx, doc_type, row.doc_type.as_deref())
}

pub(crate) fn sent_as<'a>(ctx: &OrgCtx, doc_type: &'a str, sent: Option<&'a str>) -> &'a str {
    match sent {
        Some(t) if ctx.org.document_rules.approver(t) == Permission::Approve => t,
        _ => doc_type,
    }
}

fn classification(rec: &Record) -> String {
    let v = borgen_core::register::Values { reg: &DOCUMENTS, values: &rec.values };
    v.text("classification").unwrap_or("secret").to_string()
}

/// Whether the member may read the text (and files) of a document's
/// versions: the roles the organisation lets read its classification, and
/// whoever may edit it.
pub(crate) fn may_read_text(ctx: &OrgCtx, rec: &Record, editor: bool) -> bool {
    editor || ctx.org.document_rules.may_read(&classification(rec), &ctx.roles)
}

/// What the member may do with the files of version `id` (404 when not the
/// organisation's): who reads the document's versions reads them, and so
/// does whoever may read the version in force (a viewer asked to read it);
/// they change only while the version is a draft, by who may edit it.
pub(crate) async fn version_rights(tx: &mut Tx, ctx: &OrgCtx, id: RecordId) -> Result<crate::evidence::Rights> {
    let row = repo::version_by_id(tx, ctx.org.id, &id.as_text()).await?.ok_or(AppError::NotFound)?;
    let doc = RecordId::parse(&row.document_id).ok_or(AppError::NotFound)?;
    if !ctx.can(Permission::ReadRegisters) {
        let Some(r) = in_force_readable(tx, ctx, &row).await? else { return Err(AppError::NotFound) };
        let title = format!("{} {}, v{}", r.code, r.title, r.number);
        return Ok(crate::evidence::Rights {
            edit: false,
            archived: true,
            read_only: "document.error.not_draft",
            title,
        });
    }
    let (rec, editor, archived) = document(tx, ctx, doc).await?;
    if !may_read_text(ctx, &rec, editor)
        && !reviews_it(ctx, &repo::reviews(tx, ctx.org.id, &row.id).await?)
        && in_force_readable(tx, ctx, &row).await?.is_none()
    {
        return Err(AppError::Forbidden);
    }
    let draft = row.state == State::Draft.code();
    Ok(crate::evidence::Rights {
        edit: editor,
        archived: archived || !draft,
        read_only: if archived { "error.archived_read_only" } else { "document.error.not_draft" },
        title: {
            let v = borgen_core::register::Values { reg: &DOCUMENTS, values: &rec.values };
            format!("{} {}, v{}", v.text("code").unwrap_or(""), v.text("title").unwrap_or(""), row.number)
        },
    })
}

/// Version `row` as the member may read it in force (a viewer, or a member
/// asked to read it whatever its classification); `None` otherwise.
async fn in_force_readable(tx: &mut Tx, ctx: &OrgCtx, row: &VersionRow) -> Result<Option<crate::acknowledge::ToRead>> {
    let in_force = repo::in_force(tx, ctx.org.id, Some(&row.document_id)).await?;
    Ok(in_force
        .into_iter()
        .find(|(c, _, _)| c.version_id == row.id)
        .and_then(|(c, people, acks)| crate::acknowledge::readable(ctx, &c, people, &acks)))
}

/// Whether the member is (or was) a named reviewer of a version: they read
/// what they were asked to review whatever its classification.
fn reviews_it(ctx: &OrgCtx, reviews: &[ReviewRow]) -> bool {
    let me = ctx.actor.user_id().map(|u| u.as_text());
    reviews.iter().any(|r| Some(&r.user_id) == me.as_ref())
}

fn who(ctx: &OrgCtx, editor: bool, doc_type: &str, row: &VersionRow, reviews: &[ReviewRow]) -> Who {
    let me = ctx.actor.user_id().map(|u| u.as_text());
    Who {
        editor,
        manager: ctx.can(Permission::ManageIsms),
        approver: ctx.org.document_rules.may_approve(&ctx.roles, approval_type(ctx, doc_type, row)),
        pending_reviewer: reviews.iter().any(|r| Some(&r.user_id) == me.as_ref() && r.decision == "pending"),
    }
}

/// Whether approval still waits for a reviewer: one who has not approved and
/// is still a member who may read the registers (someone who left cannot
/// hold a version up for good).
pub(crate) fn open_reviews(reviews: &[ReviewRow], members: &[Member]) -> bool {
    reviews.iter().any(|r| {
        r.decision != "approved"
            && members.iter().any(|m| m.user_id.as_text() == r.user_id && m.roles.can(Permission::ReadRegisters))
    })
}

async fn dressed(
    tx: &mut Tx,
    ctx: &OrgCtx,
    row: VersionRow,
    editor: bool,
    doc_type: &str,
    members: &[Member],
) -> Result<DocVersion> {
    let reviews = repo::reviews(tx, ctx.org.id, &row.id).await?;
    let w = who(ctx, editor, doc_type, &row, &reviews);
    let state = State::parse(&row.state).unwrap_or(State::Draft);
    let open = open_reviews(&reviews, members);
    let ok = |s: Step| rules::check(state, s, w, open).is_ok();
    let may = May {
        edit: ok(Step::Edit),
        submit: ok(Step::Submit),
        review: ok(Step::Review),
        approve: ok(Step::Approve),
        publish: ok(Step::Publish),
        withdraw: ok(Step::Withdraw),
    };
    let scope = Parts::from_json(row.scope_parts.as_deref());
    Ok(DocVersion { row, reviews, scope, may })
}

fn content_of(e: &mut FieldErrors, content: &str) -> String {
    if content.chars().count() > MAX_CONTENT {
        e.add("content", "error.too_long_long");
    } else if let Some(key) = borgen_core::text::bad_chars(content, true) {
        e.add("content", key);
    }
    content.replace("\r\n", "\n")
}

/// Two versions of a document and what changed from one to the other.
pub struct DocDiff {
    pub from: VersionRow,
    pub to: VersionRow,
    /// Every version's number, oldest first (to choose another pair).
    pub numbers: Vec<i64>,
    pub diff: Diff,
}

impl App {
    /// Every version of a document, newest first.
    pub async fn doc_versions(&self, ctx: &OrgCtx, doc: RecordId) -> Result<Vec<DocVersion>> {
        let mut tx = self.db.read().await?;
        let (rec, editor, archived) = document(&mut tx, ctx, doc).await?;
        if !may_read_text(ctx, &rec, editor) {
            return Err(AppError::Forbidden);
        }
        let t = doc_type(&rec);
        let members = borgen_store::orgs::members(&mut tx, ctx.org.id).await?;
        let mut out = Vec::new();
        for row in repo::versions(&mut tx, ctx.org.id, &doc.as_text()).await? {
            out.push(dressed(&mut tx, ctx, row, editor && !archived, &t, &members).await?);
        }
        Ok(out)
    }

    /// Version `n` of a document.
    pub async fn doc_version(&self, ctx: &OrgCtx, doc: RecordId, n: i64) -> Result<DocVersion> {
        let mut tx = self.db.read().await?;
        let (rec, editor, archived) = document(&mut tx, ctx, doc).await?;
        let row = repo::version(&mut tx, ctx.org.id, &doc.as_text(), n).await?.ok_or(AppError::NotFound)?;
        let members = borgen_store::orgs::members(&mut tx, ctx.org.id).await?;
        let v = dressed(&mut tx, ctx, row, editor && !archived, &doc_type(&rec), &members).await?;
        if !may_read_text(ctx, &rec, editor) && !reviews_it(ctx, &v.reviews) {
            return Err(AppError::Forbidden);
        }
        Ok(v)
    }

    /// The document and number of version `id` (who may read its files).
    pub async fn doc_version_number(&self, ctx: &OrgCtx, id: RecordId) -> Result<(RecordId, i64)> {
        let mut tx = self.db.read().await?;
        version_rights(&mut tx, ctx, id).await?;
        let row = repo::version_by_id(&mut tx, ctx.org.id, &id.as_text()).await?.ok_or(AppError::NotFound)?;
        Ok((RecordId::parse(&row.document_id).ok_or(AppError::NotFound)?, row.number))
    }

    /// What changed in the text from version `from` to version `to` (who
    /// may read the document's versions; 404 for a version it does not
    /// have). Without `to`, the newest version; without `from`, the one
    /// before `to` (`to` itself for the first version: no changes).
    pub async fn doc_diff(&self, ctx: &OrgCtx, doc: RecordId, from: Option<i64>, to: Option<i64>) -> Result<DocDiff> {
        let mut tx = self.db.read().await?;
        let (rec, editor, _) = document(&mut tx, ctx, doc).await?;
        let versions = repo::versions(&mut tx, ctx.org.id, &doc.as_text()).await?;
        let newest = versions.iter().map(|v| v.number).max().ok_or(AppError::NotFound)?;
        let to = to.unwrap_or(newest);
        let from = from.unwrap_or((to - 1).max(1));
        let find = |n: i64| versions.iter().find(|v| v.number == n).cloned().ok_or(AppError::NotFound);
        let (a, b) = (find(from)?, find(to)?);
        // A reviewer who may not read the classification sees what changed
        // in the version they review against the one before it, no more.
        if !may_read_text(ctx, &rec, editor) {
            let pair = (b.number - 1..=b.number).contains(&a.number);
            if !pair || !reviews_it(ctx, &repo::reviews(&mut tx, ctx.org.id, &b.id).await?) {
                return Err(AppError::Forbidden);
            }
        }
        drop(tx);
        let (x, y) = (a.content.clone(), b.content.clone());
        let diff = self.cpu(move || borgen_core::diff::lines(&x, &y)).await?;
        let mut numbers: Vec<i64> = versions.iter().map(|v| v.number).collect();
        numbers.sort_unstable();
        Ok(DocDiff { from: a, to: b, numbers, diff })
    }

    /// Starts a new draft (who may edit the document; 409 while another
    /// version is open). Without `content`, the draft starts from the text
    /// of the newest version.
    pub async fn doc_new_draft(
        &self,
        ctx: &OrgCtx,
        doc: RecordId,
        content: Option<&str>,
        note: Option<&str>,
    ) -> Result<DocVersion> {
        let mut e = FieldErrors::default();
        let content = content.map(|c| content_of(&mut e, c));
        let note = borgen_core::text::optional(&mut e, "change_note", note, 500);
        let mut tx = self.db.write().await?;
        let (rec, editor, archived) = document(&mut tx, ctx, doc).await?;
        if !editor {
            return Err(AppError::Forbidden);
        }
        if archived {
            return Err(AppError::Conflict("error.archived_read_only"));
        }
        e.finish(())?;
        borgen_store::orgs::lock(&mut tx, ctx.org.id).await?;
        let existing = repo::versions(&mut tx, ctx.org.id, &doc.as_text()).await?;
        if existing.iter().any(|v| State::parse(&v.state).is_some_and(State::is_open)) {
            return Err(AppError::Conflict("document.error.open_version"));
        }
        let from_newest = content.is_none();
        let text = content.unwrap_or_else(|| existing.first().map(|v| v.content.clone()).unwrap_or_default());
        let who = ctx.actor.audit_ref();
        let row = repo::insert_draft(
            &mut tx,
            ctx.org.id,
            &doc.as_text(),
            &text,
            note.as_deref(),
            &now_text(),
            who.id.as_deref(),
            &who.label,
        )
        .await?;
        // The draft starts with the files and scope parts of the version it starts from.
        let mut files = Vec::new();
        let mut row = row;
        if let Some(prev) = existing.first().filter(|_| from_newest) {
            if prev.scope_parts.is_some() {
                repo::set_scope_parts(&mut tx, ctx.org.id, &row.id, prev.scope_parts.as_deref()).await?;
                row.scope_parts = prev.scope_parts.clone();
            }
            let at = now_text();
            for l in borgen_store::evidence::links_of(&mut tx, ctx.org.id, "document_version", &prev.id).await? {
                let copy = borgen_store::evidence::LinkRow {
                    id: uuid::Uuid::now_v7().to_string(),
                    record_id: row.id.clone(),
                    attached_by: who.id.clone(),
                    attached_by_label: who.label.clone(),
                    attached_at: at.clone(),
                    ..l
                };
                borgen_store::evidence::insert_link(&mut tx, ctx.org.id, &copy).await?;
                files.push(serde_json::json!({ "file": copy.name, "sha256": copy.sha256 }));
            }
        }
        let after = serde_json::json!({ "document": doc.as_text(), "number": row.number, "state": "draft",
            "change_note": row.change_note, "content": row.content, "files": files,
            "scope": Parts::from_json(row.scope_parts.as_deref()) });
        record(&mut tx, &ctx.actor, &ctx.chain(), "create", "document_version", &row.id, None, Some(after)).await?;
        let v = dressed(&mut tx, ctx, row, true, &doc_type(&rec), &[]).await?;
        tx.commit().await?;
        Ok(v)
    }

    /// Changes the text of a draft, and the parts of a scope statement
    /// (`scope`; 422 for a document of another type). 409 for any other
    /// state: a version that left the draft never changes.
    pub async fn doc_save_draft(
        &self,
        ctx: &OrgCtx,
        doc: RecordId,
        n: i64,
        content: &str,
        note: Option<&str>,
        scope: Option<&Parts>,
    ) -> Result<DocVersion> {
        let mut e = FieldErrors::default();
        let content = content_of(&mut e, content);
        let note = borgen_core::text::optional(&mut e, "change_note", note, 500);
        let (mut tx, rec, editor, before) = self.step_start(ctx, doc, n, Step::Edit).await?;
        if scope.is_some() && doc_type(&rec) != "scope" {
            e.add("scope_parts", "scope.error.not_scope");
        }
        e.finish(())?;
        let parts = scope.map(Parts::to_json).or(before.row.scope_parts.clone());
        if before.row.content == content && before.row.change_note == note && before.row.scope_parts == parts {
            return Ok(before);
        }
        if !repo::save_draft(&mut tx, ctx.org.id, &before.row.id, &content, note.as_deref(), &now_text()).await?
            || !repo::set_scope_parts(&mut tx, ctx.org.id, &before.row.id, parts.as_deref()).await?
        {
            return Err(AppError::Conflict("document.error.not_draft"));
        }
        let b = serde_json::json!({ "content": before.row.content, "change_note": before.row.change_note,
            "scope": before.scope });
        let a =
            serde_json::json!({ "content": content, "change_note": note, "scope": Parts::from_json(parts.as_deref()) });
        record(&mut tx, &ctx.actor, &ctx.chain(), "update", "document_version", &before.row.id, Some(b), Some(a))
            .await?;
        let row = repo::version(&mut tx, ctx.org.id, &doc.as_text(), n).await?.ok_or(AppError::NotFound)?;
        let v = dressed(&mut tx, ctx, row, editor, &doc_type(&rec), &[]).await?;
        tx.commit().await?;
        Ok(v)
    }

    /// Reads the document and version in a write transaction and checks
    /// that the member may take `step` on it now.
    async fn step_start(
        &self,
        ctx: &OrgCtx,
        doc: RecordId,
        n: i64,
        step: Step,
    ) -> Result<(borgen_store::Tx, Record, bool, DocVersion)> {
        let mut tx = self.db.write().await?;
        // Under the organisation's lock, as attaching a file to a version is:
        // no file slips onto a version between its checks and its submission.
        borgen_store::orgs::lock(&mut tx, ctx.org.id).await?;
        let (rec, editor, archived) = document(&mut tx, ctx, doc).await?;
        let row = repo::version(&mut tx, ctx.org.id, &doc.as_text(), n).await?.ok_or(AppError::NotFound)?;
        let members = borgen_store::orgs::members(&mut tx, ctx.org.id).await?;
        let v = dressed(&mut tx, ctx, row, editor && !archived, &doc_type(&rec), &members).await?;
        let w = who(ctx, editor, &doc_type(&rec), &v.row, &v.reviews);
        rules::check(v.state(), step, w, open_reviews(&v.reviews, &members)).map_err(refused)?;
        if archived {
            return Err(AppError::Conflict("error.archived_read_only"));
        }
        Ok((tx, rec, editor, v))
    }

    /// Sends a draft to review by `reviewers` (members who may read the
    /// registers; none is allowed: then it waits only for the approver).
    pub async fn doc_submit(&self, ctx: &OrgCtx, doc: RecordId, n: i64, reviewers: &[UserId]) -> Result<()> {
        let (mut tx, rec, _, v) = self.step_start(ctx, doc, n, Step::Submit).await?;
        // A scope statement names its boundaries and interfaces before review (4.3).
        if doc_type(&rec) == "scope" {
            let gaps = v.scope.clone().unwrap_or_default().gaps();
            if !gaps.is_empty() {
                return Err(AppError::Invalid(gaps));
            }
        }
        let mut people = Vec::new();
        let members = borgen_store::orgs::members(&mut tx, ctx.org.id).await?;
        for r in reviewers {
            let m = members.iter().find(|m| m.user_id == *r);
            let readers = m.is_some_and(|m| m.roles.can(Permission::ReadRegisters));
            let Some(m) = m.filter(|_| readers) else {
                let mut e = FieldErrors::default();
                e.add("reviewers", "document.error.reviewer_not_member");
                return Err(AppError::Invalid(e));
            };
            if !people.iter().any(|(id, _): &(String, String)| *id == m.user_id.as_text()) {
                let label = if m.name.trim().is_empty() { m.email.clone() } else { m.name.clone() };
                people.push((m.user_id.as_text(), label));
            }
        }
        let at = now_text();
        let by = ctx.actor.audit_ref().label;
        if !repo::move_state(&mut tx, ctx.org.id, &v.row.id, Move::Submit, &at, &by).await? {
            return Err(AppError::Conflict("document.error.not_draft"));
        }
        repo::set_reviewers(&mut tx, ctx.org.id, &v.row.id, &people).await?;
        repo::set_doc_type(&mut tx, ctx.org.id, &v.row.id, &doc_type(&rec)).await?;
        let names: Vec<&str> = people.iter().map(|(_, l)| l.as_str()).collect();
        let after = serde_json::json!({ "number": n, "state": "in_review", "reviewers": names.join(", ") });
        record(&mut tx, &ctx.actor, &ctx.chain(), "submit", "document_version", &v.row.id, None, Some(after)).await?;
        tx.commit().await?;
        Ok(())
    }

    /// A named reviewer's decision: approve, or send back with a reason
    /// (the version is a draft again and every review starts over).
    pub async fn doc_review(
        &self,
        ctx: &OrgCtx,
        doc: RecordId,
        n: i64,
        approve: bool,
        reason: Option<&str>,
    ) -> Result<()> {
        let mut e = FieldErrors::default();
        let reason = borgen_core::text::optional(&mut e, "reason", reason, 1000);
        if !approve && reason.is_none() {
            e.add("reason", "document.reason_required");
        }
        let (mut tx, _, _, v) = self.step_start(ctx, doc, n, Step::Review).await?;
        e.finish(())?;
        let me = ctx.actor.user_id().map(|u| u.as_text()).unwrap_or_default();
        let at = now_text();
        let decision = if approve { "approved" } else { "returned" };
        if !repo::decide(&mut tx, ctx.org.id, &v.row.id, &me, decision, reason.as_deref(), &at).await? {
            return Err(AppError::Forbidden);
        }
        // Two returns at once: the first moves it back, both are recorded.
        let back = !approve && repo::return_to_draft(&mut tx, ctx.org.id, &v.row.id, &at).await?;
        let after = serde_json::json!({ "number": n, "decision": decision, "reason": reason,
            "state": if back { "draft" } else { v.row.state.as_str() } });
        record(&mut tx, &ctx.actor, &ctx.chain(), "review", "document_version", &v.row.id, None, Some(after)).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Approves a version in review once every reviewer approved, by the
    /// role its type needs, with a fresh second-factor code when the
    /// approver uses one.
    pub async fn doc_approve(
        &self,
        ctx: &OrgCtx,
        doc: RecordId,
        n: i64,
        comment: Option<&str>,
        step: &crate::totp::StepUp,
    ) -> Result<()> {
        {
            let (tx, _, _, _) = self.step_start(ctx, doc, n, Step::Approve).await?;
            drop(tx);
        }
        let comment = borgen_core::version::approval_comment(comment)?;
        self.step_up(ctx, step).await?;
        let (mut tx, _, _, v) = self.step_start(ctx, doc, n, Step::Approve).await?;
        let who = ctx.actor.audit_ref();
        let at = now_text();
        if !repo::approve(&mut tx, ctx.org.id, &v.row.id, &at, who.id.as_deref(), &who.label, comment.as_deref())
            .await?
        {
            return Err(AppError::Conflict("document.error.not_in_review"));
        }
        let after =
            serde_json::json!({ "number": n, "state": "approved", "approved_by_label": who.label, "comment": comment });
        record(&mut tx, &ctx.actor, &ctx.chain(), "approve", "document_version", &v.row.id, None, Some(after)).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Publishes an approved version; the version published before is
    /// withdrawn in the same transaction (an event each).
    pub async fn doc_publish(&self, ctx: &OrgCtx, doc: RecordId, n: i64) -> Result<()> {
        let (mut tx, _, _, v) = self.step_start(ctx, doc, n, Step::Publish).await?;
        let at = now_text();
        let by = ctx.actor.audit_ref().label;
        for old in repo::published_other(&mut tx, ctx.org.id, &doc.as_text(), &v.row.id).await? {
            if !repo::move_state(&mut tx, ctx.org.id, &old, Move::Withdraw, &at, &by).await? {
                continue;
            }
            let after = serde_json::json!({ "state": "withdrawn", "superseded_by": n });
            record(&mut tx, &ctx.actor, &ctx.chain(), "withdraw", "document_version", &old, None, Some(after)).await?;
        }
        if !repo::move_state(&mut tx, ctx.org.id, &v.row.id, Move::Publish, &at, &by).await? {
            return Err(AppError::Conflict("document.error.not_approved"));
        }
        let after = serde_json::json!({ "number": n, "state": "published" });
        record(&mut tx, &ctx.actor, &ctx.chain(), "publish", "document_version", &v.row.id, None, Some(after)).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Withdraws a published version (the ISMS manager): the document is
    /// then not in force until a newer version is published.
    pub async fn doc_withdraw(&self, ctx: &OrgCtx, doc: RecordId, n: i64) -> Result<()> {
        let (mut tx, _, _, v) = self.step_start(ctx, doc, n, Step::Withdraw).await?;
        let by = ctx.actor.audit_ref().label;
        if !repo::move_state(&mut tx, ctx.org.id, &v.row.id, Move::Withdraw, &now_text(), &by).await? {
            return Err(AppError::Conflict("document.error.not_published"));
        }
        let after = serde_json::json!({ "number": n, "state": "withdrawn" });
        record(&mut tx, &ctx.actor, &ctx.chain(), "withdraw", "document_version", &v.row.id, None, Some(after)).await?;
        tx.commit().await?;
        Ok(())
    }
}

impl App {
    /// Sets who reads each classification of document and who approves
    /// each type (the ISMS manager); `reads` holds `classification:role`
    /// per ticked box, `approvers` a role per type. Refused whole (422, on
    /// the field `document_rules`) when any part is not allowed; in the
    /// audit trail on the organisation.
    pub async fn set_document_rules<'a>(
        &self,
        ctx: &OrgCtx,
        reads: impl IntoIterator<Item = &'a str>,
        approvers: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<rules::Rules> {
        ctx.require(Permission::ManageIsms)?;
        let new = rules::Rules::from_form(reads, approvers).map_err(|key| crate::invalid("document_rules", key))?;
        if new == ctx.org.document_rules {
            return Ok(new);
        }
        let mut tx = self.db.write().await?;
        borgen_store::orgs::set_document_rules(&mut tx, ctx.org.id, &new).await?;
        let before = serde_json::json!({ "document_rules": ctx.org.document_rules });
        let after = serde_json::json!({ "document_rules": new });
        let org = ctx.org.id.as_text();
        record(&mut tx, &ctx.actor, &ctx.chain(), "update", "organisation", &org, Some(before), Some(after)).await?;
        tx.commit().await?;
        Ok(new)
    }
}
