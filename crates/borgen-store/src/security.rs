//! The security event log: logins, lockouts and refused token use. Not ISMS
//! data (no audit chain); kept for 90 days, read by installation administrators.

use crate::{Result, Tx, exec, run};

#[derive(Clone, Debug, serde::Serialize, sqlx::FromRow)]
pub struct SecurityEvent {
    pub id: String,
    pub at: String,
    pub kind: String,
    pub email: Option<String>,
    pub user_id: Option<String>,
    pub ip: Option<String>,
    pub detail: Option<String>,
    pub request_id: Option<String>,
}

pub async fn insert(tx: &mut Tx, e: &SecurityEvent) -> Result<()> {
    exec!(tx, |c| sqlx::query(
        "INSERT INTO security_events (id, at, kind, email, user_id, ip, detail, request_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
    )
    .bind(&e.id)
    .bind(&e.at)
    .bind(&e.kind)
    .bind(&e.email)
    .bind(&e.user_id)
    .bind(&e.ip)
    .bind(&e.detail)
    .bind(&e.request_id)
    .execute(c)
    .await)?;
    Ok(())
}

/// Events of this kind from this address since `since` (to throttle what an
/// anonymous caller can make us store).
pub async fn count_recent(tx: &mut Tx, kind: &str, ip: &str, since: &str) -> Result<i64> {
    Ok(run!(tx, |c| sqlx::query_scalar(
        "SELECT COUNT(*) FROM security_events WHERE kind = $1 AND ip = $2 AND at >= $3"
    )
    .bind(kind)
    .bind(ip)
    .bind(since)
    .fetch_one(c)
    .await)?)
}

/// Forgets events older than `before`.
pub async fn prune(tx: &mut Tx, before: &str) -> Result<u64> {
    Ok(exec!(tx, |c| sqlx::query("DELETE FROM security_events WHERE at < $1").bind(before).execute(c).await)?)
}

/// The newest events, newest first.
pub async fn latest(tx: &mut Tx, limit: i64) -> Result<Vec<SecurityEvent>> {
    Ok(run!(tx, |c| sqlx::query_as::<_, SecurityEvent>(
        "SELECT id, at, kind, email, user_id, ip, detail, request_id FROM security_events \
         ORDER BY at DESC, id DESC LIMIT $1"
    )
    .bind(limit)
    .fetch_all(c)
    .await)?)
}
