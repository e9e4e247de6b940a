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
/// document was a policy or scope when the version was sent for review,
/// else that of its type now (changing the type does not move the approval
/// away from top management).
fn approval_type<'a>(doc_type: &'a str, row: &'a VersionRow) -> &'a str {
    sent_as(doc_type, row.doc_type.as_deref())
}

pub(crate) fn sent_as<'a>(doc_type: &'a str, sent: Option<&'a str>) -> &'a str {
    match sent {
        Some(t) if rules::approver(t) == Permission::Approve => t,
        _ => doc_type,
    }
}

fn who(ctx: &OrgCtx, editor: bool, doc_type: &str, row: &VersionRow, reviews: &[ReviewRow]) -> Who {
    let me = ctx.actor.user_id().map(|u| u.as_text());
    Who {
        editor,
        manager: ctx.can(Permission::ManageIsms),
        approver: rules::may_approve(&ctx.roles, approval_type(doc_type, row)),
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
    Ok(DocVersion { row, reviews, may })
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
        dressed(&mut tx, ctx, row, editor && !archived, &doc_type(&rec), &members).await
    }

    /// What changed in the text from version `from` to version `to` (who
    /// may read the document's versions; 404 for a version it does not
    /// have). Without `to`, the newest version; without `from`, the one
    /// before `to` (`to` itself for the first version: no changes).
    pub async fn doc_diff(&self, ctx: &OrgCtx, doc: RecordId, from: Option<i64>, to: Option<i64>) -> Result<DocDiff> {
        let mut tx = self.db.read().await?;
        document(&mut tx, ctx, doc).await?;
        let versions = repo::versions(&mut tx, ctx.org.id, &doc.as_text()).await?;
        drop(tx);
        let newest = versions.iter().map(|v| v.number).max().ok_or(AppError::NotFound)?;
        let to = to.unwrap_or(newest);
        let from = from.unwrap_or((to - 1).max(1));
        let find = |n: i64| versions.iter().find(|v| v.number == n).cloned().ok_or(AppError::NotFound);
        let (a, b) = (find(from)?, find(to)?);
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
        let after = serde_json::json!({ "document": doc.as_text(), "number": row.number, "state": "draft",
            "change_note": row.change_note, "content": row.content });
        record(&mut tx, &ctx.actor, &ctx.chain(), "create", "document_version", &row.id, None, Some(after)).await?;
        let v = dressed(&mut tx, ctx, row, true, &doc_type(&rec), &[]).await?;
        tx.commit().await?;
        Ok(v)
    }

    /// Changes the text of a draft (409 for any other state: a version that
    /// left the draft never changes).
    pub async fn doc_save_draft(
        &self,
        ctx: &OrgCtx,
        doc: RecordId,
        n: i64,
        content: &str,
        note: Option<&str>,
    ) -> Result<DocVersion> {
        let mut e = FieldErrors::default();
        let content = content_of(&mut e, content);
        let note = borgen_core::text::optional(&mut e, "change_note", note, 500);
        let (mut tx, rec, editor, before) = self.step_start(ctx, doc, n, Step::Edit).await?;
        e.finish(())?;
        if before.row.content == content && before.row.change_note == note {
            return Ok(before);
        }
        if !repo::save_draft(&mut tx, ctx.org.id, &before.row.id, &content, note.as_deref(), &now_text()).await? {
            return Err(AppError::Conflict("document.error.not_draft"));
        }
        let b = serde_json::json!({ "content": before.row.content, "change_note": before.row.change_note });
        let a = serde_json::json!({ "content": content, "change_note": note });
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
