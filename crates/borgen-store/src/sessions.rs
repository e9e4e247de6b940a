//! Login sessions. The cookie holds a random token; only its hash is stored.

use crate::{Result, Tx, exec, run};
use borgen_core::ids::UserId;

pub async fn insert(tx: &mut Tx, id_hash: &str, user: UserId, created_at: &str, expires_at: &str) -> Result<()> {
    exec!(tx, |c| sqlx::query(
        "INSERT INTO sessions (id_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)"
    )
    .bind(id_hash)
    .bind(user.as_text())
    .bind(created_at)
    .bind(expires_at)
    .execute(c)
    .await)?;
    Ok(())
}

/// The user of a session that has not expired at `now`.
pub async fn user_of(tx: &mut Tx, id_hash: &str, now: &str) -> Result<Option<UserId>> {
    let id: Option<String> =
        run!(tx, |c| sqlx::query_scalar("SELECT user_id FROM sessions WHERE id_hash = $1 AND expires_at > $2")
            .bind(id_hash)
            .bind(now)
            .fetch_optional(c)
            .await)?;
    Ok(id.as_deref().and_then(UserId::parse))
}

pub async fn delete(tx: &mut Tx, id_hash: &str) -> Result<()> {
    exec!(tx, |c| sqlx::query("DELETE FROM sessions WHERE id_hash = $1").bind(id_hash).execute(c).await)?;
    Ok(())
}

pub async fn delete_expired(tx: &mut Tx, now: &str) -> Result<u64> {
    Ok(exec!(tx, |c| sqlx::query("DELETE FROM sessions WHERE expires_at <= $1").bind(now).execute(c).await)?)
}
