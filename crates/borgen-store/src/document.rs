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
     published_at, published_by_label, withdrawn_at, withdrawn_by_label";

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
