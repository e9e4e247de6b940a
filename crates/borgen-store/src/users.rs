//! Users and settings (installation-wide, not organisation data).

use crate::{Result, Tx, exec, run};
use borgen_core::ids::UserId;
use borgen_core::time::now_text;

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct UserRow {
    pub id: String,
    pub email: String,
    pub name: String,
    pub password_hash: String,
    pub is_admin: bool,
    pub lang: Option<String>,
    pub disabled: bool,
    pub created_at: String,
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct User {
    pub id: UserId,
    pub email: String,
    pub name: String,
    pub is_admin: bool,
    pub lang: Option<borgen_core::Lang>,
    pub disabled: bool,
    pub created_at: String,
}

impl UserRow {
    pub fn user(&self) -> Result<User> {
        Ok(User {
            id: crate::decode("user id", &self.id, UserId::parse)?,
            email: self.email.clone(),
            name: self.name.clone(),
            is_admin: self.is_admin,
            lang: self.lang.as_deref().and_then(borgen_core::Lang::parse),
            disabled: self.disabled,
            created_at: self.created_at.clone(),
        })
    }
}

const COLS: &str = "id, email, name, password_hash, is_admin, lang, disabled, created_at";

pub async fn count(tx: &mut Tx) -> Result<i64> {
    Ok(run!(tx, |c| sqlx::query_scalar("SELECT COUNT(*) FROM users").fetch_one(c).await)?)
}

pub async fn by_email(tx: &mut Tx, email: &str) -> Result<Option<UserRow>> {
    let sql = format!("SELECT {COLS} FROM users WHERE email = $1");
    Ok(run!(tx, |c| sqlx::query_as::<_, UserRow>(&sql).bind(email).fetch_optional(c).await)?)
}

pub async fn by_id(tx: &mut Tx, id: UserId) -> Result<Option<UserRow>> {
    let sql = format!("SELECT {COLS} FROM users WHERE id = $1");
    Ok(run!(tx, |c| sqlx::query_as::<_, UserRow>(&sql).bind(id.as_text()).fetch_optional(c).await)?)
}

/// Every user of the installation (administration only).
pub async fn list_all(tx: &mut Tx) -> Result<Vec<User>> {
    let sql = format!("SELECT {COLS} FROM users ORDER BY email");
    let rows = run!(tx, |c| sqlx::query_as::<_, UserRow>(&sql).fetch_all(c).await)?;
    rows.iter().map(UserRow::user).collect()
}

pub async fn insert(
    tx: &mut Tx,
    id: UserId,
    email: &str,
    name: &str,
    password_hash: &str,
    is_admin: bool,
) -> Result<()> {
    exec!(tx, |c| {
        sqlx::query(
        "INSERT INTO users (id, email, name, password_hash, is_admin, lang, disabled, created_at) VALUES ($1, $2, $3, $4, $5, NULL, FALSE, $6)"
    )
    .bind(id.as_text())
    .bind(email)
    .bind(name)
    .bind(password_hash)
    .bind(is_admin)
    .bind(now_text())
    .execute(c)
    .await
    })?;
    Ok(())
}

pub async fn set_password(tx: &mut Tx, id: UserId, password_hash: &str) -> Result<()> {
    exec!(tx, |c| sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
        .bind(password_hash)
        .bind(id.as_text())
        .execute(c)
        .await)?;
    Ok(())
}

pub async fn set_lang(tx: &mut Tx, id: UserId, lang: Option<&str>) -> Result<()> {
    exec!(tx, |c| sqlx::query("UPDATE users SET lang = $1 WHERE id = $2")
        .bind(lang)
        .bind(id.as_text())
        .execute(c)
        .await)?;
    Ok(())
}

pub async fn get_setting(tx: &mut Tx, key: &str) -> Result<Option<String>> {
    Ok(run!(tx, |c| sqlx::query_scalar("SELECT value FROM settings WHERE key = $1").bind(key).fetch_optional(c).await)?)
}

pub async fn put_setting(tx: &mut Tx, key: &str, value: &str) -> Result<()> {
    exec!(tx, |c| sqlx::query("DELETE FROM settings WHERE key = $1").bind(key).execute(c).await)?;
    exec!(tx, |c| sqlx::query("INSERT INTO settings (key, value) VALUES ($1, $2)")
        .bind(key)
        .bind(value)
        .execute(c)
        .await)?;
    Ok(())
}

/// Stores `value` under `key` unless the key already has a value (two
/// processes starting at once agree on the first one written).
pub async fn put_setting_if_absent(tx: &mut Tx, key: &str, value: &str) -> Result<()> {
    exec!(tx, |c| sqlx::query("INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING")
        .bind(key)
        .bind(value)
        .execute(c)
        .await)?;
    Ok(())
}

pub async fn delete_setting(tx: &mut Tx, key: &str) -> Result<()> {
    exec!(tx, |c| sqlx::query("DELETE FROM settings WHERE key = $1").bind(key).execute(c).await)?;
    Ok(())
}

/// Records one login attempt (for rate limiting).
pub async fn record_login_attempt(tx: &mut Tx, id: &str, email: &str, ip: &str, success: bool) -> Result<()> {
    exec!(tx, |c| sqlx::query("INSERT INTO login_attempts (id, email, ip, at, success) VALUES ($1, $2, $3, $4, $5)")
        .bind(id)
        .bind(email)
        .bind(ip)
        .bind(now_text())
        .bind(success)
        .execute(c)
        .await)?;
    Ok(())
}

/// Failed attempts since `since` for this account from this address, and
/// for this address whatever the account.
pub async fn failed_attempts_since(tx: &mut Tx, email: &str, ip: &str, since: &str) -> Result<(i64, i64)> {
    let by_pair: i64 = run!(tx, |c| sqlx::query_scalar(
        "SELECT COUNT(*) FROM login_attempts WHERE email = $1 AND ip = $2 AND at >= $3 AND success = FALSE"
    )
    .bind(email)
    .bind(ip)
    .bind(since)
    .fetch_one(c)
    .await)?;
    let by_ip: i64 = run!(tx, |c| sqlx::query_scalar(
        "SELECT COUNT(*) FROM login_attempts WHERE ip = $1 AND at >= $2 AND success = FALSE"
    )
    .bind(ip)
    .bind(since)
    .fetch_one(c)
    .await)?;
    Ok((by_pair, by_ip))
}

/// Marks a recorded attempt as successful (it then no longer counts).
pub async fn mark_login_success(tx: &mut Tx, id: &str) -> Result<()> {
    exec!(tx, |c| sqlx::query("UPDATE login_attempts SET success = TRUE WHERE id = $1").bind(id).execute(c).await)?;
    Ok(())
}

/// Forgets attempts older than `before`.
pub async fn prune_login_attempts(tx: &mut Tx, before: &str) -> Result<()> {
    exec!(tx, |c| sqlx::query("DELETE FROM login_attempts WHERE at < $1").bind(before).execute(c).await)?;
    Ok(())
}

/// Ends every session of a user (after a password change).
pub async fn delete_sessions_of(tx: &mut Tx, id: UserId) -> Result<()> {
    exec!(tx, |c| sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(id.as_text()).execute(c).await)?;
    Ok(())
}
