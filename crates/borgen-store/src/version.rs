//! Storage of numbered versions approved once ([`borgen_core::version`]): the
//! same two statements for every versioned kind, the organisation first in
//! every `WHERE`.

use crate::{Result, exec, run};
use borgen_core::ids::OrgId;
use borgen_core::version::Versioned;

/// Whether version `number` exists (`None` when not) and is approved.
pub async fn is_approved(tx: &mut crate::Tx, v: &Versioned, org: OrgId, number: i64) -> Result<Option<bool>> {
    let sql = format!("SELECT approved_at FROM {} WHERE org_id = $1 AND {} = $2", v.table, v.number);
    let row: Option<Option<String>> =
        run!(tx, |c| sqlx::query_scalar(&sql).bind(org.as_text()).bind(number).fetch_optional(c).await)?;
    Ok(row.map(|at| at.is_some()))
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
