//! Storage of numbered versions approved once ([`borgen_core::version`]): the
//! same two statements for every versioned kind, the organisation first in
//! every `WHERE`.

use crate::{Result, exec, run};
use borgen_core::ids::{OrgId, RecordId};
use borgen_core::version::Versioned;

/// An issued version of a kind with the issued shape (SoA versions,
/// treatment plan versions): a note, who issued it, the approval.
#[derive(Clone, Debug, serde::Serialize, sqlx::FromRow)]
pub struct VersionRow {
    pub id: String,
    pub number: i64,
    pub note: Option<String>,
    #[serde(skip)]
    pub snapshot: String,
    pub issued_at: String,
    pub issued_by: Option<String>,
    pub issued_by_label: String,
    pub approved_at: Option<String>,
    pub approved_by: Option<String>,
    pub approved_by_label: Option<String>,
    pub approval_comment: Option<String>,
}

impl VersionRow {
    /// The frozen snapshot read as `T`.
    pub fn snapshot_as<T: serde::de::DeserializeOwned>(&self) -> Result<T> {
        serde_json::from_str(&self.snapshot)
            .map_err(|e| crate::StoreError::Corrupt(format!("version {}: {e}", self.number)))
    }
}

const VERSION_COLS: &str = "id, number, note, snapshot, issued_at, issued_by, issued_by_label, approved_at, approved_by, approved_by_label, approval_comment";

/// Every issued version of `v`, newest first.
pub async fn list(tx: &mut crate::Tx, v: &Versioned, org: OrgId) -> Result<Vec<VersionRow>> {
    let sql = format!("SELECT {VERSION_COLS} FROM {} WHERE org_id = $1 ORDER BY number DESC", v.table);
    Ok(run!(tx, |c| sqlx::query_as::<_, VersionRow>(&sql).bind(org.as_text()).fetch_all(c).await)?)
}

/// Issued version `number` of `v`.
pub async fn get(tx: &mut crate::Tx, v: &Versioned, org: OrgId, number: i64) -> Result<Option<VersionRow>> {
    let sql = format!("SELECT {VERSION_COLS} FROM {} WHERE org_id = $1 AND number = $2", v.table);
    Ok(run!(tx, |c| sqlx::query_as::<_, VersionRow>(&sql).bind(org.as_text()).bind(number).fetch_optional(c).await)?)
}

/// Stores a new issued version of `v` with the next number (the caller holds
/// the organisation's lock) and returns that number.
#[allow(clippy::too_many_arguments)]
pub async fn insert(
    tx: &mut crate::Tx,
    v: &Versioned,
    org: OrgId,
    note: Option<&str>,
    snapshot: &str,
    at: &str,
    by: Option<&str>,
    by_label: &str,
) -> Result<i64> {
    let next_sql = format!("SELECT COALESCE(MAX(number), 0) + 1 FROM {} WHERE org_id = $1", v.table);
    let next: i64 = run!(tx, |c| sqlx::query_scalar(&next_sql).bind(org.as_text()).fetch_one(c).await)?;
    let sql = format!(
        "INSERT INTO {} (id, org_id, number, note, snapshot, issued_at, issued_by, issued_by_label) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        v.table
    );
    exec!(tx, |c| sqlx::query(&sql)
        .bind(RecordId::new().as_text())
        .bind(org.as_text())
        .bind(next)
        .bind(note)
        .bind(snapshot)
        .bind(at)
        .bind(by)
        .bind(by_label)
        .execute(c)
        .await)?;
    Ok(next)
}

/// One person's sign-off of a version.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, sqlx::FromRow)]
pub struct Signoff {
    pub user_id: String,
    pub user_label: String,
    pub signed_at: String,
    pub comment: Option<String>,
}

/// The sign-offs of version `number` of `v`, oldest first.
pub async fn signoffs(tx: &mut crate::Tx, v: &Versioned, org: OrgId, number: i64) -> Result<Vec<Signoff>> {
    Ok(run!(tx, |c| sqlx::query_as::<_, Signoff>(
        "SELECT user_id, user_label, signed_at, comment FROM version_signoffs \
         WHERE org_id = $1 AND entity = $2 AND number = $3 ORDER BY signed_at, user_label"
    )
    .bind(org.as_text())
    .bind(v.entity)
    .bind(number)
    .fetch_all(c)
    .await)?)
}

/// A person's sign-off, once: false when they had signed already.
#[allow(clippy::too_many_arguments)]
pub async fn sign(
    tx: &mut crate::Tx,
    v: &Versioned,
    org: OrgId,
    number: i64,
    user: &str,
    label: &str,
    at: &str,
    comment: Option<&str>,
) -> Result<bool> {
    let n = exec!(tx, |c| sqlx::query(
        "INSERT INTO version_signoffs (org_id, entity, number, user_id, user_label, signed_at, comment) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING"
    )
    .bind(org.as_text())
    .bind(v.entity)
    .bind(number)
    .bind(user)
    .bind(label)
    .bind(at)
    .bind(comment)
    .execute(c)
    .await)?;
    Ok(n > 0)
}

/// Whether version `number` exists (`None` when not) and is approved.
pub async fn is_approved(tx: &mut crate::Tx, v: &Versioned, org: OrgId, number: i64) -> Result<Option<bool>> {
    let sql = format!("SELECT approved_at FROM {} WHERE org_id = $1 AND {} = $2", v.table, v.number);
    let row: Option<Option<String>> =
        run!(tx, |c| sqlx::query_scalar(&sql).bind(org.as_text()).bind(number).fetch_optional(c).await)?;
    Ok(row.map(|at| at.is_some()))
}

/// The number of the newest approved version of `v`, if any.
pub async fn newest_approved(tx: &mut crate::Tx, v: &Versioned, org: OrgId) -> Result<Option<i64>> {
    let sql = format!("SELECT MAX({0}) FROM {1} WHERE org_id = $1 AND approved_at IS NOT NULL", v.number, v.table);
    Ok(run!(tx, |c| sqlx::query_scalar::<_, Option<i64>>(&sql).bind(org.as_text()).fetch_one(c).await)?)
}

/// The frozen snapshot of version `number` (`None` when there is none).
pub async fn snapshot(tx: &mut crate::Tx, v: &Versioned, org: OrgId, number: i64) -> Result<Option<String>> {
    let sql = format!("SELECT snapshot FROM {} WHERE org_id = $1 AND {} = $2", v.table, v.number);
    let row: Option<String> =
        run!(tx, |c| sqlx::query_scalar(&sql).bind(org.as_text()).bind(number).fetch_optional(c).await)?;
    Ok(row)
}

/// The approval by a person, once: false when it was approved already.
pub async fn approve(
    tx: &mut crate::Tx,
    v: &Versioned,
    org: OrgId,
    number: i64,
    at: &str,
    by: Option<&str>,
    by_label: &str,
    comment: Option<&str>,
) -> Result<bool> {
    let sql = format!(
        "UPDATE {} SET approved_at = $3, approved_by = $4, approved_by_label = $5, approval_comment = $6 \
         WHERE org_id = $1 AND {} = $2 AND approved_at IS NULL",
        v.table, v.number
    );
    let n = exec!(tx, |c| sqlx::query(&sql)
        .bind(org.as_text())
        .bind(number)
        .bind(at)
        .bind(by)
        .bind(by_label)
        .bind(comment)
        .execute(c)
        .await)?;
    Ok(n > 0)
}
