//! Storage of document versions and their reviews (the documents themselves
//! are a declared register, `store::register`). Every statement names the
//! organisation first; a state change is one `UPDATE … WHERE state = $from`,
//! so two requests cannot both take the same step.

use crate::{Result, exec, run};
use borgen_core::ids::OrgId;

/// One version of a document.
#[derive(Clone, Debug, serde::Serialize, sqlx::FromRow)]
pub struct VersionRow {
    pub id: String,
    pub document_id: String,
    pub number: i64,
    pub state: String,
    /// The document's type when it was sent for review.
    pub doc_type: Option<String>,
    pub content: String,
    pub change_note: Option<String>,
    pub created_at: String,
    pub created_by: Option<String>,
    pub created_by_label: String,
    pub updated_at: String,
    pub submitted_at: Option<String>,
    pub submitted_by_label: Option<String>,
    pub approved_at: Option<String>,
    pub approved_by: Option<String>,
    pub approved_by_label: Option<String>,
    pub approval_comment: Option<String>,
    pub published_at: Option<String>,
    pub published_by_label: Option<String>,
    pub withdrawn_at: Option<String>,
    pub withdrawn_by_label: Option<String>,
    /// The scope's parts (JSON of `borgen_core::scope::Parts`), for a scope
    /// statement; shown parsed as the version's `scope`.
    #[serde(skip)]
    pub scope_parts: Option<String>,
}

/// A named reviewer of a version and their decision.
#[derive(Clone, Debug, serde::Serialize, sqlx::FromRow)]
pub struct ReviewRow {
    pub user_id: String,
    pub user_label: String,
    pub decision: String,
    pub reason: Option<String>,
    pub decided_at: Option<String>,
}

const COLS: &str = "id, document_id, number, state, doc_type, content, change_note, created_at, created_by, created_by_label, \
     updated_at, submitted_at, submitted_by_label, approved_at, approved_by, approved_by_label, approval_comment, \
     published_at, published_by_label, withdrawn_at, withdrawn_by_label, scope_parts";

/// Every version of a document, newest first.
pub async fn versions(tx: &mut crate::Tx, org: OrgId, document: &str) -> Result<Vec<VersionRow>> {
    let sql =
        format!("SELECT {COLS} FROM document_versions WHERE org_id = $1 AND document_id = $2 ORDER BY number DESC");
    Ok(run!(tx, |c| sqlx::query_as::<_, VersionRow>(&sql).bind(org.as_text()).bind(document).fetch_all(c).await)?)
}

/// Version `number` of a document.
pub async fn version(tx: &mut crate::Tx, org: OrgId, document: &str, number: i64) -> Result<Option<VersionRow>> {
    let sql = format!("SELECT {COLS} FROM document_versions WHERE org_id = $1 AND document_id = $2 AND number = $3");
    Ok(run!(tx, |c| sqlx::query_as::<_, VersionRow>(&sql)
        .bind(org.as_text())
        .bind(document)
        .bind(number)
        .fetch_optional(c)
        .await)?)
}

/// A version by its id.
pub async fn version_by_id(tx: &mut crate::Tx, org: OrgId, id: &str) -> Result<Option<VersionRow>> {
    let sql = format!("SELECT {COLS} FROM document_versions WHERE org_id = $1 AND id = $2");
    Ok(run!(tx, |c| sqlx::query_as::<_, VersionRow>(&sql).bind(org.as_text()).bind(id).fetch_optional(c).await)?)
}

/// A new draft with the next number of its document.
pub async fn insert_draft(
    tx: &mut crate::Tx,
    org: OrgId,
    document: &str,
    content: &str,
    note: Option<&str>,
    at: &str,
    by: Option<&str>,
    by_label: &str,
) -> Result<VersionRow> {
    let next: i64 = run!(tx, |c| sqlx::query_scalar::<_, i64>(
        "SELECT COALESCE(MAX(number), 0) + 1 FROM document_versions WHERE org_id = $1 AND document_id = $2"
    )
    .bind(org.as_text())
    .bind(document)
    .fetch_one(c)
    .await)?;
    let id = uuid::Uuid::now_v7().to_string();
    exec!(tx, |c| sqlx::query(
        "INSERT INTO document_versions (id, org_id, document_id, number, state, content, change_note, created_at, \
         created_by, created_by_label, updated_at) VALUES ($1, $2, $3, $4, 'draft', $5, $6, $7, $8, $9, $7)"
    )
    .bind(&id)
    .bind(org.as_text())
    .bind(document)
    .bind(next)
    .bind(content)
    .bind(note)
    .bind(at)
    .bind(by)
    .bind(by_label)
    .execute(c)
    .await)?;
    Ok(version(tx, org, document, next).await?.expect("just inserted"))
}

/// Changes a draft's text; `false` when the version is no longer a draft.
pub async fn save_draft(
    tx: &mut crate::Tx,
    org: OrgId,
    id: &str,
    content: &str,
    note: Option<&str>,
    at: &str,
) -> Result<bool> {
    let n = exec!(tx, |c| sqlx::query(
        "UPDATE document_versions SET content = $3, change_note = $4, updated_at = $5 \
         WHERE org_id = $1 AND id = $2 AND state = 'draft'"
    )
    .bind(org.as_text())
    .bind(id)
    .bind(content)
    .bind(note)
    .bind(at)
    .execute(c)
    .await)?;
    Ok(n > 0)
}

/// Sets a draft's scope parts; `false` when the version is no longer a draft.
pub async fn set_scope_parts(tx: &mut crate::Tx, org: OrgId, id: &str, parts: Option<&str>) -> Result<bool> {
    let n = exec!(tx, |c| sqlx::query(
        "UPDATE document_versions SET scope_parts = $3 WHERE org_id = $1 AND id = $2 AND state = 'draft'"
    )
    .bind(org.as_text())
    .bind(id)
    .bind(parts)
    .execute(c)
    .await)?;
    Ok(n > 0)
}

/// The steps that stamp who and when: the state a version must be in, the
/// state it moves to, and the columns of the stamp.
#[derive(Clone, Copy, Debug)]
pub enum Move {
    Submit,
    Publish,
    Withdraw,
}

/// Takes a step; `false` when the version was not in the state it needs.
pub async fn move_state(tx: &mut crate::Tx, org: OrgId, id: &str, m: Move, at: &str, by_label: &str) -> Result<bool> {
    let sql = match m {
        Move::Submit => {
            "UPDATE document_versions SET state = 'in_review', submitted_at = $3, submitted_by_label = $4, updated_at = $3 \
             WHERE org_id = $1 AND id = $2 AND state = 'draft'"
        }
        Move::Publish => {
            "UPDATE document_versions SET state = 'published', published_at = $3, published_by_label = $4, updated_at = $3 \
             WHERE org_id = $1 AND id = $2 AND state = 'approved'"
        }
        Move::Withdraw => {
            "UPDATE document_versions SET state = 'withdrawn', withdrawn_at = $3, withdrawn_by_label = $4, updated_at = $3 \
             WHERE org_id = $1 AND id = $2 AND state = 'published'"
        }
    };
    let n = exec!(tx, |c| sqlx::query(sql).bind(org.as_text()).bind(id).bind(at).bind(by_label).execute(c).await)?;
    Ok(n > 0)
}

/// Records the document's type a version was sent for review as.
pub async fn set_doc_type(tx: &mut crate::Tx, org: OrgId, id: &str, doc_type: &str) -> Result<()> {
    exec!(tx, |c| sqlx::query("UPDATE document_versions SET doc_type = $3 WHERE org_id = $1 AND id = $2")
        .bind(org.as_text())
        .bind(id)
        .bind(doc_type)
        .execute(c)
        .await)?;
    Ok(())
}

/// A version in review sent back: a draft again.
pub async fn return_to_draft(tx: &mut crate::Tx, org: OrgId, id: &str, at: &str) -> Result<bool> {
    let n = exec!(tx, |c| {
        sqlx::query(
        "UPDATE document_versions SET state = 'draft', submitted_at = NULL, submitted_by_label = NULL, updated_at = $3 \
         WHERE org_id = $1 AND id = $2 AND state = 'in_review'"
    )
    .bind(org.as_text())
    .bind(id)
    .bind(at)
    .execute(c)
    .await
    })?;
    Ok(n > 0)
}

/// Approves a version in review; `false` when it was not in review.
pub async fn approve(
    tx: &mut crate::Tx,
    org: OrgId,
    id: &str,
    at: &str,
    by: Option<&str>,
    by_label: &str,
    comment: Option<&str>,
) -> Result<bool> {
    let n = exec!(tx, |c| {
        sqlx::query(
        "UPDATE document_versions SET state = 'approved', approved_at = $3, approved_by = $4, approved_by_label = $5, \
         approval_comment = $6, updated_at = $3 WHERE org_id = $1 AND id = $2 AND state = 'in_review'"
    )
    .bind(org.as_text())
    .bind(id)
    .bind(at)
    .bind(by)
    .bind(by_label)
    .bind(comment)
    .execute(c)
    .await
    })?;
    Ok(n > 0)
}

/// The published versions of a document other than `except` (at most one).
pub async fn published_other(tx: &mut crate::Tx, org: OrgId, document: &str, except: &str) -> Result<Vec<String>> {
    Ok(run!(tx, |c| sqlx::query_scalar::<_, String>(
        "SELECT id FROM document_versions WHERE org_id = $1 AND document_id = $2 AND state = 'published' AND id <> $3"
    )
    .bind(org.as_text())
    .bind(document)
    .bind(except)
    .fetch_all(c)
    .await)?)
}

/// The reviewers of a version, in the order named.
pub async fn reviews(tx: &mut crate::Tx, org: OrgId, version: &str) -> Result<Vec<ReviewRow>> {
    Ok(run!(tx, |c| sqlx::query_as::<_, ReviewRow>(
        "SELECT user_id, user_label, decision, reason, decided_at FROM document_reviews \
         WHERE org_id = $1 AND version_id = $2 ORDER BY user_label, user_id"
    )
    .bind(org.as_text())
    .bind(version)
    .fetch_all(c)
    .await)?)
}

/// Names the reviewers of a version afresh, each not yet decided.
pub async fn set_reviewers(tx: &mut crate::Tx, org: OrgId, version: &str, people: &[(String, String)]) -> Result<()> {
    exec!(tx, |c| sqlx::query("DELETE FROM document_reviews WHERE org_id = $1 AND version_id = $2")
        .bind(org.as_text())
        .bind(version)
        .execute(c)
        .await)?;
    for (id, label) in people {
        exec!(tx, |c| {
            sqlx::query(
            "INSERT INTO document_reviews (org_id, version_id, user_id, user_label, decision) VALUES ($1, $2, $3, $4, 'pending')"
        )
        .bind(org.as_text())
        .bind(version)
        .bind(id)
        .bind(label)
        .execute(c)
        .await
        })?;
    }
    Ok(())
}

/// Records a reviewer's decision; `false` when they are not a reviewer of
/// the version or decided already.
pub async fn decide(
    tx: &mut crate::Tx,
    org: OrgId,
    version: &str,
    user: &str,
    decision: &str,
    reason: Option<&str>,
    at: &str,
) -> Result<bool> {
    let n = exec!(tx, |c| sqlx::query(
        "UPDATE document_reviews SET decision = $4, reason = $5, decided_at = $6 \
         WHERE org_id = $1 AND version_id = $2 AND user_id = $3 AND decision = 'pending'"
    )
    .bind(org.as_text())
    .bind(version)
    .bind(user)
    .bind(decision)
    .bind(reason)
    .bind(at)
    .execute(c)
    .await)?;
    Ok(n > 0)
}

/// A version's request to be read and confirmed.
#[derive(Clone, Debug, serde::Serialize, sqlx::FromRow)]
pub struct AckRequestRow {
    pub version_id: String,
    pub audience: String,
    pub role: Option<String>,
    pub due_on: Option<String>,
    pub requested_at: String,
    pub requested_by_label: String,
}

/// A member's confirmation that they read a version.
#[derive(Clone, Debug, serde::Serialize, sqlx::FromRow)]
pub struct AckRow {
    pub version_id: String,
    pub user_id: String,
    pub user_label: String,
    pub acked_at: String,
}

/// The request of a version, with the people it names.
pub async fn ack_request(
    tx: &mut crate::Tx,
    org: OrgId,
    version: &str,
) -> Result<Option<(AckRequestRow, Vec<String>)>> {
    let row = run!(tx, |c| sqlx::query_as::<_, AckRequestRow>(
        "SELECT version_id, audience, role, due_on, requested_at, requested_by_label FROM document_ack_requests \
         WHERE org_id = $1 AND version_id = $2"
    )
    .bind(org.as_text())
    .bind(version)
    .fetch_optional(c)
    .await)?;
    let Some(row) = row else { return Ok(None) };
    let people = ack_people(tx, org, version).await?;
    Ok(Some((row, people)))
}

async fn ack_people(tx: &mut crate::Tx, org: OrgId, version: &str) -> Result<Vec<String>> {
    Ok(run!(tx, |c| sqlx::query_scalar::<_, String>(
        "SELECT user_id FROM document_ack_people WHERE org_id = $1 AND version_id = $2 ORDER BY user_id"
    )
    .bind(org.as_text())
    .bind(version)
    .fetch_all(c)
    .await)?)
}

/// Sets (or replaces) the request of a version.
pub async fn set_ack_request(tx: &mut crate::Tx, org: OrgId, row: &AckRequestRow, people: &[String]) -> Result<()> {
    for sql in [
        "DELETE FROM document_ack_people WHERE org_id = $1 AND version_id = $2",
        "DELETE FROM document_ack_requests WHERE org_id = $1 AND version_id = $2",
    ] {
        exec!(tx, |c| sqlx::query(sql).bind(org.as_text()).bind(&row.version_id).execute(c).await)?;
    }
    exec!(tx, |c| {
        sqlx::query(
        "INSERT INTO document_ack_requests (version_id, org_id, audience, role, due_on, requested_at, requested_by_label) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)"
    )
    .bind(&row.version_id)
    .bind(org.as_text())
    .bind(&row.audience)
    .bind(&row.role)
    .bind(&row.due_on)
    .bind(&row.requested_at)
    .bind(&row.requested_by_label)
    .execute(c)
    .await
    })?;
    for p in people {
        exec!(tx, |c| sqlx::query(
            "INSERT INTO document_ack_people (org_id, version_id, user_id) VALUES ($1, $2, $3)"
        )
        .bind(org.as_text())
        .bind(&row.version_id)
        .bind(p)
        .execute(c)
        .await)?;
    }
    Ok(())
}

/// Every confirmation of a version, oldest first.
pub async fn acks(tx: &mut crate::Tx, org: OrgId, version: &str) -> Result<Vec<AckRow>> {
    Ok(run!(tx, |c| sqlx::query_as::<_, AckRow>(
        "SELECT version_id, user_id, user_label, acked_at FROM document_acks WHERE org_id = $1 AND version_id = $2 \
         ORDER BY acked_at, user_id"
    )
    .bind(org.as_text())
    .bind(version)
    .fetch_all(c)
    .await)?)
}

/// Records a confirmation; `false` when the member had confirmed already.
pub async fn insert_ack(
    tx: &mut crate::Tx,
    org: OrgId,
    version: &str,
    user: &str,
    label: &str,
    at: &str,
) -> Result<bool> {
    let n = exec!(tx, |c| sqlx::query(
        "INSERT INTO document_acks (org_id, version_id, user_id, user_label, acked_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (version_id, user_id) DO NOTHING"
    )
    .bind(org.as_text())
    .bind(version)
    .bind(user)
    .bind(label)
    .bind(at)
    .execute(c)
    .await)?;
    Ok(n > 0)
}

/// The version in force of a current document, with its request to be
/// read if it has one (`audience` is `None` without).
#[derive(Clone, Debug, serde::Serialize, sqlx::FromRow)]
pub struct InForceRow {
    pub version_id: String,
    pub document_id: String,
    pub number: i64,
    pub code: String,
    pub title: String,
    pub doc_type: String,
    pub classification: String,
    pub owner_id: Option<String>,
    pub next_review: Option<String>,
    pub published_at: Option<String>,
    pub audience: Option<String>,
    pub role: Option<String>,
    pub due_on: Option<String>,
}

/// The versions in force of the organisation's current documents (of one
/// document, when given), by document code, each with the people its
/// request names and who confirmed it.
pub async fn in_force(
    tx: &mut crate::Tx,
    org: OrgId,
    document: Option<&str>,
) -> Result<Vec<(InForceRow, Vec<String>, Vec<AckRow>)>> {
    let rows = run!(tx, |c| sqlx::query_as::<_, InForceRow>(
        "SELECT v.id AS version_id, v.document_id, v.number, d.code, d.title, d.doc_type, d.classification, \
         d.owner_id, d.next_review, v.published_at, r.audience, r.role, r.due_on FROM document_versions v \
         JOIN documents d ON d.org_id = v.org_id AND d.id = v.document_id \
         LEFT JOIN document_ack_requests r ON r.org_id = v.org_id AND r.version_id = v.id \
         WHERE v.org_id = $1 AND v.state = 'published' AND d.archived_at IS NULL \
         AND (CAST($2 AS TEXT) IS NULL OR v.document_id = $2) ORDER BY d.code_key, d.id"
    )
    .bind(org.as_text())
    .bind(document)
    .fetch_all(c)
    .await)?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let (people, acks) = if r.audience.is_some() {
            (ack_people(tx, org, &r.version_id).await?, acks(tx, org, &r.version_id).await?)
        } else {
            (Vec::new(), Vec::new())
        };
        out.push((r, people, acks));
    }
    Ok(out)
}

/// A scope statement version found by [`scope_at`].
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ScopeAt {
    pub document_id: String,
    pub code: String,
    pub title: String,
    pub number: i64,
    pub classification: String,
    pub owner_id: Option<String>,
}

/// The scope statement version that was in force at `at` (published by
/// then and not yet withdrawn), of the current scope document with the
/// lowest code.
pub async fn scope_at(tx: &mut crate::Tx, org: OrgId, at: &str) -> Result<Option<ScopeAt>> {
    Ok(run!(tx, |c| sqlx::query_as::<_, ScopeAt>(
        "SELECT v.document_id, d.code, d.title, v.number, d.classification, d.owner_id FROM document_versions v \
         JOIN documents d ON d.org_id = v.org_id AND d.id = v.document_id \
         WHERE v.org_id = $1 AND d.doc_type = 'scope' AND (d.archived_at IS NULL OR d.archived_at > $2) \
         AND v.published_at IS NOT NULL AND v.published_at <= $2 AND (v.withdrawn_at IS NULL OR v.withdrawn_at > $2) \
         ORDER BY d.code_key, d.id, v.number DESC LIMIT 1"
    )
    .bind(org.as_text())
    .bind(at)
    .fetch_optional(c)
    .await)?)
}

/// How many current documents (of `owner`, when given) have a review date
/// before `today`.
pub async fn reviews_overdue(tx: &mut crate::Tx, org: OrgId, today: &str, owner: Option<&str>) -> Result<i64> {
    Ok(run!(tx, |c| sqlx::query_scalar::<_, i64>(
        "SELECT COUNT(*) FROM documents WHERE org_id = $1 AND archived_at IS NULL AND next_review IS NOT NULL \
         AND next_review < $2 AND (CAST($3 AS TEXT) IS NULL OR owner_id = $3)"
    )
    .bind(org.as_text())
    .bind(today)
    .bind(owner)
    .fetch_one(c)
    .await)?)
}

/// A current document whose review date has passed.
#[derive(Clone, Debug, serde::Serialize, sqlx::FromRow)]
pub struct DueRow {
    pub id: String,
    pub code: String,
    pub title: String,
    pub next_review: String,
}

/// The current documents of `owner` whose review date is before `today`,
/// the longest overdue first.
pub async fn reviews_due(tx: &mut crate::Tx, org: OrgId, today: &str, owner: &str) -> Result<Vec<DueRow>> {
    Ok(run!(tx, |c| sqlx::query_as::<_, DueRow>(
        "SELECT id, code, title, next_review FROM documents WHERE org_id = $1 AND archived_at IS NULL \
         AND next_review IS NOT NULL AND next_review < $2 AND owner_id = $3 ORDER BY next_review, code_key, id"
    )
    .bind(org.as_text())
    .bind(today)
    .bind(owner)
    .fetch_all(c)
    .await)?)
}

/// A version in review of a current document.
#[derive(Clone, Debug, serde::Serialize, sqlx::FromRow)]
pub struct InReviewRow {
    pub version_id: String,
    pub document_id: String,
    pub number: i64,
    pub code: String,
    pub title: String,
    /// The document's type now.
    pub doc_type: String,
    /// Its type when the version was sent for review.
    pub sent_as: Option<String>,
}

/// Every version in review of the organisation's current documents, by code.
pub async fn in_review(tx: &mut crate::Tx, org: OrgId) -> Result<Vec<InReviewRow>> {
    Ok(run!(tx, |c| sqlx::query_as::<_, InReviewRow>(
        "SELECT v.id AS version_id, v.document_id, v.number, d.code, d.title, d.doc_type, v.doc_type AS sent_as \
         FROM document_versions v JOIN documents d ON d.org_id = v.org_id AND d.id = v.document_id \
         WHERE v.org_id = $1 AND v.state = 'in_review' AND d.archived_at IS NULL ORDER BY d.code_key, d.id"
    )
    .bind(org.as_text())
    .fetch_all(c)
    .await)?)
}
