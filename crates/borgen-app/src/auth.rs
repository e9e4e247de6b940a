//! First-run setup, login, sessions, API tokens and passwords.

use crate::security::Client;
use crate::totp::LoginStep;
use crate::{Actor, App, AppError, Result, record};
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use borgen_core::Lang;
use borgen_core::audit::INSTALLATION_CHAIN;
use borgen_core::ids::{OrgId, TokenId, UserId};
use borgen_core::role::Role;
use borgen_core::text::{self, FieldErrors, SHORT};
use borgen_core::time::{now_text, to_text};
use borgen_store::orgs::Org;
use borgen_store::users::User;
use borgen_store::{orgs, sessions, tokens, users};
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::{Digest, Sha256};

const SETUP_KEY: &str = "setup_code_hash";
const CSRF_KEY: &str = "csrf_key";

/// Longest e-mail address a login accepts (RFC 5321), and longest password,
/// in bytes: anything longer is refused before anything is stored or hashed.
pub const MAX_LOGIN_EMAIL: usize = 254;
pub const MAX_LOGIN_PASSWORD: usize = 1024;

/// What a token may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenScope {
    /// GET (and HEAD) only.
    Read,
    /// Everything the user may do in the organisation.
    Write,
}

impl TokenScope {
    pub fn code(self) -> &'static str {
        match self {
            TokenScope::Read => "read",
            TokenScope::Write => "write",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "read" => Some(TokenScope::Read),
            "write" => Some(TokenScope::Write),
            _ => None,
        }
    }
}

/// The outcome of presenting an API token.
#[derive(Clone, Debug)]
pub enum TokenAuth {
    Valid {
        actor: Actor,
        scope: TokenScope,
    },
    /// Unknown, revoked, or its user disabled.
    Unknown,
    /// Past its last day.
    Expired,
}

/// One of a user's sessions, for the account page. `handle` names it in
/// forms; it is derived from the stored hash and is not the secret.
#[derive(Clone, Debug)]
pub struct SessionInfo {
    pub handle: String,
    pub created_at: String,
    pub last_seen_at: Option<String>,
    pub current: bool,
}

fn session_handle(id_hash: &str) -> String {
    hex::encode(Sha256::digest(format!("session handle|{id_hash}").as_bytes()))[..32].to_string()
}

/// Random bytes as lowercase hex.
pub fn random_hex(bytes: usize) -> String {
    let mut b = vec![0u8; bytes];
    rand::rngs::OsRng.fill_bytes(&mut b);
    hex::encode(b)
}

/// SHA-256 of a secret token, as stored.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

pub fn hash_password(password: &str) -> Result<String> {
    let salt = SaltString::generate(&mut rand::rngs::OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AppError::Internal(format!("password hashing failed: {e}")))
}

fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
}

/// A hash of a password nobody knows, verified when an account does not exist
/// so that a failed login takes as long either way.
static DUMMY_HASH: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| hash_password(&random_hex(16)).unwrap_or_default());

/// Input of the first-run setup page.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct SetupForm {
    pub setup_code: Option<String>,
    pub name: Option<String>,
    pub email: Option<String>,
    pub password: Option<String>,
    pub org_name: Option<String>,
    pub org_slug: Option<String>,
    pub lang: Option<String>,
}

/// Input of the token form (page, CLI).
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct TokenForm {
    pub name: Option<String>,
    /// `read` or `write`.
    pub scope: Option<String>,
    /// The last day the token works, `YYYY-MM-DD`; empty: no expiry.
    pub expires_on: Option<String>,
}

/// A new session: the secret for the cookie, and whose it is.
#[derive(Clone, Debug)]
pub struct NewSession {
    pub token: String,
    pub user: User,
}

impl App {
    /// True while the installation has no user.
    pub async fn setup_needed(&self) -> Result<bool> {
        let mut tx = self.db.read().await?;
        Ok(users::count(&mut tx).await? == 0)
    }

    /// When setup is needed, makes a fresh one-time setup code, stores its hash
    /// and returns it for the console. `None` once a user exists.
    pub async fn issue_setup_code(&self) -> Result<Option<String>> {
        let mut tx = self.db.write().await?;
        if users::count(&mut tx).await? > 0 {
            return Ok(None);
        }
        let raw = random_hex(6).to_uppercase();
        let code = format!("{}-{}-{}", &raw[0..4], &raw[4..8], &raw[8..12]);
        users::put_setting(&mut tx, SETUP_KEY, &token_hash(&code)).await?;
        tx.commit().await?;
        Ok(Some(code))
    }

    /// Creates the first administrator and the first organisation (where the
    /// administrator becomes ISMS manager), checking the setup code.
    pub async fn complete_setup(&self, f: &SetupForm) -> Result<NewSession> {
        let mut e = FieldErrors::default();
        let name = text::required(&mut e, "name", f.name.as_deref(), SHORT);
        let email = text::email(&mut e, "email", f.email.as_deref());
        let password = borgen_core::password::new_password(
            &mut e,
            "password",
            f.password.as_deref(),
            &email,
            f.name.as_deref().unwrap_or(""),
        );
        let org_name = text::required(&mut e, "org_name", f.org_name.as_deref(), SHORT);
        let org_slug = text::slug(&mut e, "org_slug", f.org_slug.as_deref());
        let lang = f.lang.as_deref().and_then(Lang::parse).unwrap_or_default();
        let mut tx = self.db.write().await?;
        if users::count(&mut tx).await? > 0 {
            return Err(AppError::Conflict("setup.already_done"));
        }
        let stored = users::get_setting(&mut tx, SETUP_KEY).await?;
        let given = f.setup_code.as_deref().unwrap_or("").trim().to_uppercase();
        if stored.is_none() || stored.as_deref() != Some(token_hash(&given).as_str()) {
            e.add("setup_code", "error.bad_setup_code");
        }
        let (name, email, password, org_name, org_slug) = e.finish((name, email, password, org_name, org_slug))?;
        let user_id = UserId::new();
        users::insert(&mut tx, user_id, &email, &name, &hash_password(&password)?, true).await?;
        users::set_lang(&mut tx, user_id, Some(lang.code())).await?;
        users::delete_setting(&mut tx, SETUP_KEY).await?;
        let user = users::by_id(&mut tx, user_id).await?.ok_or(AppError::NotFound)?.user()?;
        let actor = Actor::User { user: user.clone(), token_org: None };
        record(&mut tx, &actor, INSTALLATION_CHAIN, "setup", "user", &user_id.as_text(), None, crate::json(&user))
            .await?;
        let org = Org {
            id: OrgId::new(),
            slug: org_slug,
            name: org_name,
            default_lang: lang,
            created_at: now_text(),
            require_second_factor: false,
            time_zone: borgen_core::time::DEFAULT_ZONE.to_string(),
            document_rules: Default::default(),
        };
        crate::admin::insert_org(&mut tx, &actor, &org).await?;
        crate::admin::insert_role(&mut tx, &actor, &org, user_id, Role::IsmsManager).await?;
        let token = self.start_session(&mut tx, user_id).await?;
        tx.commit().await?;
        Ok(NewSession { token, user })
    }

    pub(crate) async fn start_session(&self, tx: &mut borgen_store::Tx, user: UserId) -> Result<String> {
        let token = random_hex(32);
        let now = chrono::Utc::now();
        let expires = now + chrono::Duration::hours(self.config.session_hours);
        sessions::insert(tx, &token_hash(&token), user, &to_text(now), &to_text(expires)).await?;
        Ok(token)
    }

    /// Checks a password login. Failures are limited per account *from one
    /// address* and per address (so that nobody can lock an account for its
    /// owner elsewhere); the error never says whether the account exists.
    ///
    /// Input longer than any real e-mail address or password is refused
    /// before anything is stored. A refused attempt beyond the limit stores
    /// nothing. Otherwise the attempt is recorded (as failed) and committed
    /// *before* the count is taken again and the password checked, so that
    /// parallel guesses all see each other: at most the limit of them reach
    /// the password check.
    ///
    /// A user with a second factor gets no session yet, but a pending login
    /// that waits for the code ([`App::complete_login`]).
    pub async fn login(&self, email: &str, password: &str, client: &Client) -> Result<LoginStep> {
        if email.len() > MAX_LOGIN_EMAIL || password.len() > MAX_LOGIN_PASSWORD {
            let mut e = FieldErrors::default();
            e.add(if email.len() > MAX_LOGIN_EMAIL { "email" } else { "password" }, "security.login_too_long");
            return Err(AppError::Invalid(e));
        }
        let email = email.trim().to_lowercase();
        let ip = client.ip.as_str();
        let now = chrono::Utc::now();
        let since = to_text(now - chrono::Duration::minutes(self.config.login_window_minutes));
        let (pair_limit, ip_limit) = (self.config.login_limit_account, self.config.login_limit_address);
        {
            let mut tx = self.db.read().await?;
            let (by_pair, by_ip) = users::failed_attempts_since(&mut tx, &email, ip, &since).await?;
            if by_pair >= pair_limit || by_ip >= ip_limit {
                tracing::info!(target: "security", event = "login_refused", request_id = %client.request_id,
                    %ip, %email, "login refused: too many failed attempts");
                return Err(AppError::RateLimited);
            }
        }
        let attempt = uuid::Uuid::now_v7().to_string();
        {
            let mut tx = self.db.write().await?;
            users::record_login_attempt(&mut tx, &attempt, &email, ip, false).await?;
            // Housekeeping: old attempts and expired sessions go.
            users::prune_login_attempts(&mut tx, &to_text(now - chrono::Duration::days(1))).await?;
            let idle = to_text(now - chrono::Duration::minutes(self.config.session_idle_minutes));
            sessions::delete_expired(&mut tx, &to_text(now), &idle).await?;
            borgen_store::totp::delete_expired_pending(&mut tx, &to_text(now)).await?;
            tx.commit().await?;
        }
        let (by_pair, by_ip) = {
            let mut tx = self.db.read().await?;
            users::failed_attempts_since(&mut tx, &email, ip, &since).await?
        };
        if by_pair > pair_limit || by_ip > ip_limit {
            return Err(AppError::RateLimited);
        }
        let row = {
            let mut tx = self.db.read().await?;
            users::by_email(&mut tx, &email).await?
        };
        // The password is always checked, so that timing tells nothing about
        // whether the account exists or is disabled.
        let ok = match &row {
            Some(r) => verify_password(password, &r.password_hash) && !r.disabled,
            None => {
                verify_password(password, &DUMMY_HASH);
                false
            }
        };
        let known = row.as_ref().map(|r| r.id.clone());
        let Some(row) = row.filter(|_| ok) else {
            self.security_event("login_failed", Some(&email), known.as_deref(), client, None).await;
            // The failure that reaches a limit locks: report it once.
            if by_pair == pair_limit || by_ip == ip_limit {
                let what = if by_pair == pair_limit { "account from this address" } else { "address" };
                self.security_event("login_lockout", Some(&email), known.as_deref(), client, Some(what)).await;
            }
            return Err(AppError::Unauthenticated);
        };
        let user = row.user()?;
        if self.second_factor_on(user.id).await? {
            {
                let mut tx = self.db.write().await?;
                users::mark_login_success(&mut tx, &attempt).await?;
                tx.commit().await?;
            }
            let token = self.start_pending_login(user.id).await?;
            return Ok(LoginStep::SecondFactor { token });
        }
        let mut tx = self.db.write().await?;
        users::mark_login_success(&mut tx, &attempt).await?;
        let token = self.start_session(&mut tx, user.id).await?;
        tx.commit().await?;
        self.security_event("login_success", Some(&email), Some(&user.id.as_text()), client, None).await;
        Ok(LoginStep::Session(NewSession { token, user }))
    }

    /// Whether `password` is the user's current password.
    pub(crate) async fn password_matches(&self, user: UserId, password: &str) -> Result<bool> {
        let row = {
            let mut tx = self.db.read().await?;
            users::by_id(&mut tx, user).await?.ok_or(AppError::NotFound)?
        };
        Ok(verify_password(password, &row.password_hash))
    }

    pub async fn logout(&self, session_token: &str) -> Result<()> {
        let mut tx = self.db.write().await?;
        sessions::delete(&mut tx, &token_hash(session_token)).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The user of a live session: not past its absolute expiry, and used
    /// within the idle timeout. "Last seen" is written at most once a
    /// minute, so that a page view does not wait for the disk.
    pub async fn session_user(&self, session_token: &str) -> Result<Option<User>> {
        let hash = token_hash(session_token);
        let now = chrono::Utc::now();
        let mut tx = self.db.read().await?;
        let Some(row) = sessions::live(&mut tx, &hash, &to_text(now)).await? else {
            return Ok(None);
        };
        let Some(id) = UserId::parse(&row.user_id) else { return Ok(None) };
        let user = users::by_id(&mut tx, id).await?.map(|r| r.user()).transpose()?.filter(|u| !u.disabled);
        drop(tx);
        let seen = row.last_seen_at.as_deref().unwrap_or(&row.created_at);
        let seen = borgen_core::time::parse_text(seen);
        let idle = chrono::Duration::minutes(self.config.session_idle_minutes);
        if seen.is_none_or(|t| now.signed_duration_since(t) > idle) {
            let mut tx = self.db.write().await?;
            sessions::delete(&mut tx, &hash).await?;
            tx.commit().await?;
            return Ok(None);
        }
        if user.is_some() && seen.is_none_or(|t| now.signed_duration_since(t) > chrono::Duration::seconds(60)) {
            let mut tx = self.db.write().await?;
            sessions::touch(&mut tx, &hash, &to_text(now)).await?;
            tx.commit().await?;
        }
        Ok(user)
    }

    /// The installation's CSRF key: made once, kept in settings.
    async fn csrf_key(&self) -> Result<Vec<u8>> {
        let key = self
            .csrf_key
            .get_or_try_init(|| async {
                let stored = {
                    let mut tx = self.db.read().await?;
                    users::get_setting(&mut tx, CSRF_KEY).await?
                };
                let value = match stored {
                    Some(v) => v,
                    None => {
                        let mut tx = self.db.write().await?;
                        users::put_setting_if_absent(&mut tx, CSRF_KEY, &random_hex(32)).await?;
                        let v = users::get_setting(&mut tx, CSRF_KEY).await?;
                        tx.commit().await?;
                        v.ok_or_else(|| AppError::Internal("the CSRF key was not stored".into()))?
                    }
                };
                hex::decode(value.trim()).map_err(|_| AppError::Internal("the stored CSRF key is not hex".into()))
            })
            .await?;
        Ok(key.clone())
    }

    /// The CSRF token of a session: an HMAC of the session id under the
    /// installation's key, so that it is worth nothing in another session.
    pub async fn session_csrf(&self, session_token: &str) -> Result<String> {
        let key = self.csrf_key().await?;
        let mut mac =
            <Hmac<Sha256> as Mac>::new_from_slice(&key).map_err(|e| AppError::Internal(format!("csrf key: {e}")))?;
        mac.update(b"borgen csrf|");
        mac.update(token_hash(session_token).as_bytes());
        Ok(hex::encode(mac.finalize().into_bytes()))
    }

    /// The caller's unexpired sessions, the current one marked.
    pub async fn list_sessions(&self, actor: &Actor, current_token: &str) -> Result<Vec<SessionInfo>> {
        let user = actor.user().ok_or(AppError::Unauthenticated)?;
        let current = token_hash(current_token);
        let mut tx = self.db.read().await?;
        let rows = sessions::list_for(&mut tx, user.id, &now_text()).await?;
        let idle = to_text(chrono::Utc::now() - chrono::Duration::minutes(self.config.session_idle_minutes));
        Ok(rows
            .into_iter()
            .filter(|r| r.last_seen_at.as_deref().unwrap_or(&r.created_at) >= idle.as_str())
            .map(|r| SessionInfo {
                handle: session_handle(&r.id_hash),
                current: r.id_hash == current,
                created_at: r.created_at,
                last_seen_at: r.last_seen_at,
            })
            .collect())
    }

    /// Ends one of the caller's sessions, named by its handle.
    pub async fn revoke_session(&self, actor: &Actor, handle: &str) -> Result<()> {
        let user = actor.user().ok_or(AppError::Unauthenticated)?;
        let mut tx = self.db.write().await?;
        let rows = sessions::list_for(&mut tx, user.id, &now_text()).await?;
        let Some(row) = rows.iter().find(|r| session_handle(&r.id_hash) == handle) else {
            return Err(AppError::NotFound);
        };
        sessions::delete_of_user(&mut tx, user.id, &row.id_hash).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Ends every session of the caller except the current one.
    pub async fn revoke_other_sessions(&self, actor: &Actor, current_token: &str) -> Result<u64> {
        let user = actor.user().ok_or(AppError::Unauthenticated)?;
        let mut tx = self.db.write().await?;
        let n = sessions::delete_others(&mut tx, user.id, &token_hash(current_token)).await?;
        tx.commit().await?;
        Ok(n)
    }

    /// Changes the caller's own password after checking the current one;
    /// every other session of the user ends.
    pub async fn change_password(
        &self,
        actor: &Actor,
        current_token: &str,
        current: &str,
        new: &str,
        client: &Client,
    ) -> Result<()> {
        let Actor::User { user, token_org: None } = actor else { return Err(AppError::Forbidden) };
        let mut e = FieldErrors::default();
        if current.len() > MAX_LOGIN_PASSWORD {
            e.add("current_password", "security.login_too_long");
        }
        let new = borgen_core::password::new_password(&mut e, "new_password", Some(new), &user.email, &user.name);
        let row = {
            let mut tx = self.db.read().await?;
            users::by_id(&mut tx, user.id).await?.ok_or(AppError::NotFound)?
        };
        if e.for_field("current_password").is_none() && !verify_password(current, &row.password_hash) {
            e.add("current_password", "security.wrong_password");
        }
        let new = e.finish(new)?;
        let hash = hash_password(&new)?;
        let mut tx = self.db.write().await?;
        users::set_password(&mut tx, user.id, &hash).await?;
        sessions::delete_others(&mut tx, user.id, &token_hash(current_token)).await?;
        borgen_store::totp::delete_pending_of(&mut tx, user.id).await?;
        record(&mut tx, actor, INSTALLATION_CHAIN, "set_password", "user", &user.id.as_text(), None, None).await?;
        tx.commit().await?;
        self.security_event("password_changed", Some(&user.email), Some(&user.id.as_text()), client, None).await;
        Ok(())
    }

    /// The user, organisation and scope of an API token: refused when unknown,
    /// revoked, past its last day, or its user is disabled.
    pub async fn token_actor(&self, token: &str) -> Result<TokenAuth> {
        let hash = token_hash(token.trim());
        let mut tx = self.db.read().await?;
        let Some(live) = tokens::lookup(&mut tx, &hash).await? else { return Ok(TokenAuth::Unknown) };
        let Some(user) = users::by_id(&mut tx, live.user).await?.map(|r| r.user()).transpose()? else {
            return Ok(TokenAuth::Unknown);
        };
        drop(tx);
        if user.disabled {
            return Ok(TokenAuth::Unknown);
        }
        let now = chrono::Utc::now();
        let today = now.format("%Y-%m-%d").to_string();
        if live.expires_on.as_deref().is_some_and(|last| today.as_str() > last) {
            return Ok(TokenAuth::Expired);
        }
        // "Last used" to the minute: a durable write per request would make
        // every API read wait for the disk.
        let stale = live
            .last_used_at
            .as_deref()
            .and_then(borgen_core::time::parse_text)
            .is_none_or(|t| now.signed_duration_since(t) > chrono::Duration::seconds(60));
        if stale {
            let mut tx = self.db.write().await?;
            tokens::touch(&mut tx, &hash, &borgen_core::time::to_text(now)).await?;
            tx.commit().await?;
        }
        let scope = TokenScope::parse(&live.scope).unwrap_or(TokenScope::Read);
        Ok(TokenAuth::Valid { actor: Actor::User { user, token_org: Some(live.org) }, scope })
    }

    /// Sets the user's interface language.
    pub async fn set_language(&self, actor: &Actor, lang: Lang) -> Result<()> {
        let user = actor.user().ok_or(AppError::Unauthenticated)?;
        let mut tx = self.db.write().await?;
        users::set_lang(&mut tx, user.id, Some(lang.code())).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Creates a personal API token for `user` in `org_slug` and returns the
    /// secret, which is shown once and stored only as a hash. A session user
    /// makes one for themselves; the command line for anyone who is a member.
    pub async fn create_token(
        &self,
        actor: &Actor,
        org_slug: &str,
        user_email: Option<&str>,
        f: &TokenForm,
    ) -> Result<(TokenId, String)> {
        let mut e = FieldErrors::default();
        let name = text::required(&mut e, "name", f.name.as_deref(), SHORT);
        // Least privilege: without a choice, a token can only read.
        let scope = match f.scope.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => Some(TokenScope::Read),
            given => text::required_enum(&mut e, "scope", given, TokenScope::parse),
        };
        let expires = text::optional_date(&mut e, "expires_on", f.expires_on.as_deref());
        // Tokens expire by the UTC date, as `token_actor` checks them.
        let today = borgen_core::time::today_in("UTC");
        if expires.as_deref().is_some_and(|d| d < today.as_str()) {
            e.add("expires_on", "security.expiry_past");
        }
        let (name, scope) = e.finish((name, scope))?;
        let scope = scope.unwrap_or(TokenScope::Read);
        if matches!(actor, Actor::User { token_org: Some(_), .. }) {
            return Err(AppError::Forbidden);
        }
        let ctx = self.org_ctx(actor, org_slug).await?;
        let mut tx = self.db.write().await?;
        let user = match (actor, user_email) {
            (Actor::Cli | Actor::Demo, Some(email)) => {
                users::by_email(&mut tx, &email.trim().to_lowercase()).await?.ok_or(AppError::NotFound)?.user()?
            }
            (Actor::User { user, .. }, _) => user.clone(),
            (Actor::Cli | Actor::Demo, None) => return Err(AppError::NotFound),
        };
        if orgs::roles(&mut tx, ctx.org.id, user.id).await?.0.is_empty() {
            return Err(AppError::NotFound);
        }
        let id = TokenId::new();
        let secret = format!("borgen_{}", random_hex(24));
        let prefix: String = secret.chars().take(14).collect();
        tokens::insert(
            &mut tx,
            id,
            ctx.org.id,
            user.id,
            &name,
            &token_hash(&secret),
            &prefix,
            &now_text(),
            scope.code(),
            expires.as_deref(),
        )
        .await?;
        let after = serde_json::json!({"name": name, "user": user.email, "prefix": prefix,
            "scope": scope.code(), "expires_on": expires});
        record(&mut tx, actor, &ctx.chain(), "create", "api_token", &id.as_text(), None, Some(after)).await?;
        tx.commit().await?;
        Ok((id, secret))
    }

    pub async fn list_tokens(&self, actor: &Actor, org_slug: &str) -> Result<Vec<tokens::TokenRow>> {
        let ctx = self.org_ctx(actor, org_slug).await?;
        let user = actor.user_id().ok_or(AppError::Forbidden)?;
        let mut tx = self.db.read().await?;
        Ok(tokens::list_for(&mut tx, ctx.org.id, user).await?)
    }

    pub async fn revoke_token(&self, actor: &Actor, org_slug: &str, id: TokenId) -> Result<()> {
        let ctx = self.org_ctx(actor, org_slug).await?;
        let user = actor.user_id().ok_or(AppError::Forbidden)?;
        let mut tx = self.db.write().await?;
        if !tokens::revoke(&mut tx, ctx.org.id, user, id, &now_text()).await? {
            return Err(AppError::NotFound);
        }
        record(&mut tx, actor, &ctx.chain(), "revoke", "api_token", &id.as_text(), None, None).await?;
        tx.commit().await?;
        Ok(())
    }
}
