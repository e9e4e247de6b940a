//! Login sessions. The cookie holds a random token; only its hash is stored.

use crate::{Result, Tx, exec, run};
use borgen_core::ids::UserId;

pub async fn insert(tx: &mut Tx, id_hash: &str, user: UserId, created_at: &str, expires_at: &str) -> Result<()> {
    exec!(tx, |c| sqlx::query(
        "INSERT INTO sessions (id_hash, user_id, created_at, expires_at, last_seen_at) VALUES ($1, $2, $3, $4, $3)"
    )
    .bind(id_hash)
    .bind(user.as_text())
    .bind(created_at)
    .bind(expires_at)
    .execute(c)
    .await)?;
    Ok(())
}

/// One session as its owner sees it on the account page.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct SessionRow {
    pub id_hash: String,
    pub user_id: String,
    pub created_at: String,
    pub expires_at: String,
    pub last_seen_at: Option<String>,
}

const COLS: &str = "id_hash, user_id, created_at, expires_at, last_seen_at";

/// A session that has not reached its absolute expiry at `now` (the idle
/// timeout is the caller's to check, from `last_seen_at`).
pub async fn live(tx: &mut Tx, id_hash: &str, now: &str) -> Result<Option<SessionRow>> {
    let sql = format!("SELECT {COLS} FROM sessions WHERE id_hash = $1 AND expires_at > $2");
    Ok(run!(tx, |c| sqlx::query_as::<_, SessionRow>(&sql).bind(id_hash).bind(now).fetch_optional(c).await)?)
}

/// The user of a session that has not expired at `now`.
pub async fn user_of(tx: &mut Tx, id_hash: &str, now: &str) -> Result<Option<UserId>> {
    Ok(live(tx, id_hash, now).await?.and_then(|r| UserId::parse(&r.user_id)))
}

/// Every unexpired session of a user, newest first.
pub async fn list_for(tx: &mut Tx, user: UserId, now: &str) -> Result<Vec<SessionRow>> {
    let sql = format!("SELECT {COLS} FROM sessions WHERE user_id = $1 AND expires_at > $2 ORDER BY created_at DESC");
    Ok(run!(tx, |c| sqlx::query_as::<_, SessionRow>(&sql).bind(user.as_text()).bind(now).fetch_all(c).await)?)
}

/// Records that a session was used (callers do this at most once a minute).
pub async fn touch(tx: &mut Tx, id_hash: &str, now: &str) -> Result<()> {
    exec!(tx, |c| sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE id_hash = $2")
        .bind(now)
        .bind(id_hash)
        .execute(c)
        .await)?;
    Ok(())
}

pub async fn delete(tx: &mut Tx, id_hash: &str) -> Result<()> {
    exec!(tx, |c| sqlx::query("DELETE FROM sessions WHERE id_hash = $1").bind(id_hash).execute(c).await)?;
    Ok(())
}

/// Ends one session of this user; false when there is none.
pub async fn delete_of_user(tx: &mut Tx, user: UserId, id_hash: &str) -> Result<bool> {
    let n = exec!(tx, |c| sqlx::query("DELETE FROM sessions WHERE id_hash = $1 AND user_id = $2")
        .bind(id_hash)
        .bind(user.as_text())
        .execute(c)
        .await)?;
    Ok(n > 0)
}

/// Ends every session of a user except `keep`; returns how many ended.
pub async fn delete_others(tx: &mut Tx, user: UserId, keep: &str) -> Result<u64> {
    Ok(exec!(tx, |c| sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND id_hash <> $2")
        .bind(user.as_text())
        .bind(keep)
        .execute(c)
        .await)?)
}

/// Ends sessions past their absolute expiry, and those idle since before
/// `idle_before` (`last_seen_at`, or `created_at` when never touched).
pub async fn delete_expired(tx: &mut Tx, now: &str, idle_before: &str) -> Result<u64> {
    Ok(exec!(tx, |c| sqlx::query(
        "DELETE FROM sessions WHERE expires_at <= $1 OR COALESCE(last_seen_at, created_at) < $2"
    )
    .bind(now)
    .bind(idle_before)
    .execute(c)
    .await)?)
}
