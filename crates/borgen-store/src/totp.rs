//! The second factor: each user's TOTP authenticator, their recovery codes
//! (hashes only) and logins waiting for a code (token hashes only). Not
//! organisation data: these belong to the user, like sessions.

use crate::{Result, Tx, exec, run};
use borgen_core::ids::UserId;

/// A user's authenticator. `confirmed_at` is `None` while enrolment is pending.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct FactorRow {
    pub user_id: String,
    /// Base32 (RFC 4648, no padding).
    pub secret: String,
    pub created_at: String,
    pub confirmed_at: Option<String>,
    /// The time step of the last code accepted.
    pub last_step: Option<i64>,
}

impl FactorRow {
    pub fn confirmed(&self) -> bool {
        self.confirmed_at.is_some()
    }
}

pub async fn factor(tx: &mut Tx, user: UserId) -> Result<Option<FactorRow>> {
    Ok(run!(tx, |c| sqlx::query_as::<_, FactorRow>(
        "SELECT user_id, secret, created_at, confirmed_at, last_step FROM totp_factors WHERE user_id = $1"
    )
    .bind(user.as_text())
    .fetch_optional(c)
    .await)?)
}

/// Whether the user has a confirmed authenticator.
pub async fn enabled(tx: &mut Tx, user: UserId) -> Result<bool> {
    let n: i64 = run!(tx, |c| sqlx::query_scalar(
        "SELECT COUNT(*) FROM totp_factors WHERE user_id = $1 AND confirmed_at IS NOT NULL"
    )
    .bind(user.as_text())
    .fetch_one(c)
    .await)?;
    Ok(n > 0)
}

/// Starts (or restarts) a pending enrolment with a new secret. Refuses to
/// replace a confirmed authenticator: returns false then.
pub async fn start(tx: &mut Tx, user: UserId, secret: &str, now: &str) -> Result<bool> {
    exec!(tx, |c| sqlx::query("DELETE FROM totp_factors WHERE user_id = $1 AND confirmed_at IS NULL")
        .bind(user.as_text())
        .execute(c)
        .await)?;
    let n = exec!(tx, |c| {
        sqlx::query(
        "INSERT INTO totp_factors (user_id, secret, created_at, confirmed_at, last_step) VALUES ($1, $2, $3, NULL, NULL) \
         ON CONFLICT (user_id) DO NOTHING"
    )
    .bind(user.as_text())
    .bind(secret)
    .bind(now)
    .execute(c)
    .await
    })?;
    Ok(n > 0)
}

/// Confirms a pending enrolment; false when there was none.
pub async fn confirm(tx: &mut Tx, user: UserId, now: &str) -> Result<bool> {
    let n = exec!(tx, |c| sqlx::query(
        "UPDATE totp_factors SET confirmed_at = $1 WHERE user_id = $2 AND confirmed_at IS NULL"
    )
    .bind(now)
    .bind(user.as_text())
    .execute(c)
    .await)?;
    Ok(n > 0)
}

/// Records that the code of `step` was accepted, only if no code of this or
/// a later step was accepted before: false means the code was already used
/// (or a later one), so it must be refused. One statement, so two requests
/// with the same code cannot both pass.
pub async fn take_step(tx: &mut Tx, user: UserId, step: i64) -> Result<bool> {
    let n = exec!(tx, |c| sqlx::query(
        "UPDATE totp_factors SET last_step = $1 WHERE user_id = $2 AND (last_step IS NULL OR last_step < $1)"
    )
    .bind(step)
    .bind(user.as_text())
    .execute(c)
    .await)?;
    Ok(n > 0)
}

/// Removes the authenticator and every recovery code of the user.
pub async fn remove(tx: &mut Tx, user: UserId) -> Result<()> {
    exec!(tx, |c| sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1").bind(user.as_text()).execute(c).await)?;
    exec!(tx, |c| sqlx::query("DELETE FROM totp_factors WHERE user_id = $1").bind(user.as_text()).execute(c).await)?;
    Ok(())
}

/// Replaces the user's recovery codes with these hashes.
pub async fn replace_recovery_codes(tx: &mut Tx, user: UserId, hashes: &[String], now: &str) -> Result<()> {
    exec!(tx, |c| sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1").bind(user.as_text()).execute(c).await)?;
    for h in hashes {
        exec!(tx, |c| sqlx::query(
            "INSERT INTO recovery_codes (id, user_id, code_hash, created_at, used_at) VALUES ($1, $2, $3, $4, NULL)"
        )
        .bind(uuid::Uuid::now_v7().to_string())
        .bind(user.as_text())
        .bind(h)
        .bind(now)
        .execute(c)
        .await)?;
    }
    Ok(())
}

/// Uses up one recovery code: true when it existed and was unused.
pub async fn use_recovery_code(tx: &mut Tx, user: UserId, hash: &str, now: &str) -> Result<bool> {
    let n = exec!(tx, |c| sqlx::query(
        "UPDATE recovery_codes SET used_at = $1 WHERE user_id = $2 AND code_hash = $3 AND used_at IS NULL"
    )
    .bind(now)
    .bind(user.as_text())
    .bind(hash)
    .execute(c)
    .await)?;
    Ok(n > 0)
}

/// How many unused recovery codes the user has left.
pub async fn recovery_codes_left(tx: &mut Tx, user: UserId) -> Result<i64> {
    Ok(run!(tx, |c| sqlx::query_scalar("SELECT COUNT(*) FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL")
        .bind(user.as_text())
        .fetch_one(c)
        .await)?)
}

/// A login waiting for its second factor.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct PendingRow {
    pub id_hash: String,
    pub user_id: String,
    pub created_at: String,
    pub expires_at: String,
    pub failures: i64,
}

pub async fn insert_pending(tx: &mut Tx, id_hash: &str, user: UserId, now: &str, expires_at: &str) -> Result<()> {
    exec!(tx, |c| sqlx::query(
        "INSERT INTO pending_logins (id_hash, user_id, created_at, expires_at, failures) VALUES ($1, $2, $3, $4, 0)"
    )
    .bind(id_hash)
    .bind(user.as_text())
    .bind(now)
    .bind(expires_at)
    .execute(c)
    .await)?;
    Ok(())
}

/// A pending login that has not expired at `now`.
pub async fn pending(tx: &mut Tx, id_hash: &str, now: &str) -> Result<Option<PendingRow>> {
    Ok(run!(tx, |c| sqlx::query_as::<_, PendingRow>(
        "SELECT id_hash, user_id, created_at, expires_at, failures FROM pending_logins \
         WHERE id_hash = $1 AND expires_at > $2"
    )
    .bind(id_hash)
    .bind(now)
    .fetch_optional(c)
    .await)?)
}

/// Counts one wrong code against a pending login and returns the new count
/// (`None` when the pending login is gone).
pub async fn pending_failed(tx: &mut Tx, id_hash: &str) -> Result<Option<i64>> {
    Ok(run!(tx, |c| sqlx::query_scalar(
        "UPDATE pending_logins SET failures = failures + 1 WHERE id_hash = $1 RETURNING failures"
    )
    .bind(id_hash)
    .fetch_optional(c)
    .await)?)
}

/// Ends a pending login; true when it was there (so that only one request
/// can turn it into a session).
pub async fn delete_pending(tx: &mut Tx, id_hash: &str) -> Result<bool> {
    let n = exec!(tx, |c| sqlx::query("DELETE FROM pending_logins WHERE id_hash = $1").bind(id_hash).execute(c).await)?;
    Ok(n > 0)
}

/// Forgets pending logins past their expiry.
pub async fn delete_expired_pending(tx: &mut Tx, now: &str) -> Result<u64> {
    Ok(exec!(tx, |c| sqlx::query("DELETE FROM pending_logins WHERE expires_at <= $1").bind(now).execute(c).await)?)
}

/// Ends every pending login of a user (password change, TOTP turned off).
pub async fn delete_pending_of(tx: &mut Tx, user: UserId) -> Result<()> {
    exec!(tx, |c| sqlx::query("DELETE FROM pending_logins WHERE user_id = $1").bind(user.as_text()).execute(c).await)?;
    Ok(())
}
