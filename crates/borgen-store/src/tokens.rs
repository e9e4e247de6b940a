//! Personal API tokens: bound to one user and one organisation, stored hashed.

use crate::{Result, Tx, exec, run};
use borgen_core::ids::{OrgId, TokenId, UserId};

#[derive(Clone, Debug, serde::Serialize, sqlx::FromRow)]
pub struct TokenRow {
    pub id: String,
    pub org_id: String,
    pub user_id: String,
    pub name: String,
    pub prefix: String,
    pub created_at: String,
    pub last_used_at: Option<String>,
    pub revoked_at: Option<String>,
    /// `read` or `write`.
    pub scope: String,
    /// The last day the token works (YYYY-MM-DD), if it expires.
    pub expires_on: Option<String>,
}

/// What the lookup of a token that is not revoked finds.
#[derive(Clone, Debug)]
pub struct LiveToken {
    pub org: OrgId,
    pub user: UserId,
    pub last_used_at: Option<String>,
    pub scope: String,
    pub expires_on: Option<String>,
    pub prefix: String,
}

#[allow(clippy::too_many_arguments)]
pub async fn insert(
    tx: &mut Tx,
    id: TokenId,
    org: OrgId,
    user: UserId,
    name: &str,
    hash: &str,
    prefix: &str,
    now: &str,
    scope: &str,
    expires_on: Option<&str>,
) -> Result<()> {
    exec!(tx, |c| {
        sqlx::query(
            "INSERT INTO api_tokens (id, org_id, user_id, name, token_hash, prefix, created_at, scope, expires_on) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(id.as_text())
        .bind(org.as_text())
        .bind(user.as_text())
        .bind(name)
        .bind(hash)
        .bind(prefix)
        .bind(now)
        .bind(scope)
        .bind(expires_on)
        .execute(c)
        .await
    })?;
    Ok(())
}

type LookupRow = (String, String, Option<String>, String, Option<String>, String);

/// A token that is not revoked (expiry is the caller's to check).
pub async fn lookup(tx: &mut Tx, hash: &str) -> Result<Option<LiveToken>> {
    let row: Option<LookupRow> = run!(tx, |c| sqlx::query_as(
        "SELECT org_id, user_id, last_used_at, scope, expires_on, prefix FROM api_tokens \
         WHERE token_hash = $1 AND revoked_at IS NULL"
    )
    .bind(hash)
    .fetch_optional(c)
    .await)?;
    Ok(row.and_then(|(o, u, last_used_at, scope, expires_on, prefix)| {
        Some(LiveToken { org: OrgId::parse(&o)?, user: UserId::parse(&u)?, last_used_at, scope, expires_on, prefix })
    }))
}

pub async fn touch(tx: &mut Tx, hash: &str, now: &str) -> Result<()> {
    exec!(tx, |c| sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE token_hash = $2")
        .bind(now)
        .bind(hash)
        .execute(c)
        .await)?;
    Ok(())
}

pub async fn list_for(tx: &mut Tx, org: OrgId, user: UserId) -> Result<Vec<TokenRow>> {
    Ok(run!(tx, |c| {
        sqlx::query_as::<_, TokenRow>(
        "SELECT id, org_id, user_id, name, prefix, created_at, last_used_at, revoked_at, scope, expires_on FROM api_tokens \
         WHERE org_id = $1 AND user_id = $2 ORDER BY created_at DESC"
    )
    .bind(org.as_text())
    .bind(user.as_text())
    .fetch_all(c)
    .await
    })?)
}

/// Revokes a token of this user in this organisation; false when there is none.
pub async fn revoke(tx: &mut Tx, org: OrgId, user: UserId, id: TokenId, now: &str) -> Result<bool> {
    let n = exec!(tx, |c| {
        sqlx::query(
        "UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND org_id = $3 AND user_id = $4 AND revoked_at IS NULL"
    )
    .bind(now)
    .bind(id.as_text())
    .bind(org.as_text())
    .bind(user.as_text())
    .execute(c)
    .await
    })?;
    Ok(n > 0)
}
