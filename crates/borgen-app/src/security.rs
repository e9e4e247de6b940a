//! Security events: every one goes to the structured log (target `security`,
//! with the request id, never a password, token or session id); logins,
//! lockouts and refused token use are also stored in `security_events` for
//! installation administrators. Stored events are kept 90 days.

use crate::{Actor, App, AppError, Result};
use borgen_core::time::to_text;
use borgen_store::security::{self, SecurityEvent};

/// Where a request came from, for rate limits and the security log.
#[derive(Clone, Debug, Default)]
pub struct Client {
    pub ip: String,
    pub request_id: String,
}

/// The kinds of stored security event (stable codes, shown translated).
pub const KINDS: &[&str] = &[
    "login_success",
    "login_failed",
    "login_lockout",
    "token_refused",
    "password_changed",
    "totp_failed",
    "totp_enabled",
    "totp_disabled",
    "recovery_code_used",
    "recovery_codes_renewed",
];

/// How long stored events are kept.
const KEEP_DAYS: i64 = 90;
/// At most this many events of one kind from one address per minute are
/// stored (the log line is always written), so that nobody fills the disk
/// by failing on purpose.
const PER_MINUTE: i64 = 30;

impl App {
    /// Logs a security event and stores it. Storage failures are logged, not
    /// raised: the request that caused the event goes on.
    pub async fn security_event(
        &self,
        kind: &'static str,
        email: Option<&str>,
        user: Option<&str>,
        client: &Client,
        detail: Option<&str>,
    ) {
        tracing::warn!(
            target: "security",
            event = kind,
            request_id = %client.request_id,
            ip = %client.ip,
            email = email.unwrap_or(""),
            user_id = user.unwrap_or(""),
            detail = detail.unwrap_or(""),
            "security event"
        );
        if let Err(e) = self.store_event(kind, email, user, client, detail).await {
            tracing::error!(request_id = %client.request_id, error = %e, "could not store a security event");
        }
    }

    async fn store_event(
        &self,
        kind: &'static str,
        email: Option<&str>,
        user: Option<&str>,
        client: &Client,
        detail: Option<&str>,
    ) -> Result<()> {
        let now = chrono::Utc::now();
        {
            let mut tx = self.db.read().await?;
            let since = to_text(now - chrono::Duration::minutes(1));
            if security::count_recent(&mut tx, kind, &client.ip, &since).await? >= PER_MINUTE {
                return Ok(());
            }
        }
        let cut = |s: &str, n: usize| s.chars().take(n).collect::<String>();
        let e = SecurityEvent {
            id: uuid::Uuid::now_v7().to_string(),
            at: to_text(now),
            kind: kind.to_string(),
            email: email.map(|s| cut(s, 254)),
            user_id: user.map(str::to_string),
            ip: Some(cut(&client.ip, 64)),
            detail: detail.map(|s| cut(s, 200)),
            request_id: Some(cut(&client.request_id, 64)),
        };
        let mut tx = self.db.write().await?;
        security::insert(&mut tx, &e).await?;
        // Old events go (an index range that is almost always empty).
        security::prune(&mut tx, &to_text(now - chrono::Duration::days(KEEP_DAYS))).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The newest stored security events (installation administrators only).
    pub async fn security_events(&self, actor: &Actor, limit: i64) -> Result<Vec<SecurityEvent>> {
        if !actor.is_admin() {
            return Err(AppError::Forbidden);
        }
        let mut tx = self.db.read().await?;
        Ok(security::latest(&mut tx, limit).await?)
    }
}
