//! First-run setup, login, sessions, API tokens and passwords.

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
use rand::RngCore;
use sha2::{Digest, Sha256};

const SETUP_KEY: &str = "setup_code_hash";

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
        let password = text::new_password(&mut e, "password", f.password.as_deref());
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
        let org = Org { id: OrgId::new(), slug: org_slug, name: org_name, default_lang: lang, created_at: now_text() };
        crate::admin::insert_org(&mut tx, &actor, &org).await?;
        crate::admin::insert_role(&mut tx, &actor, &org, user_id, Role::IsmsManager).await?;
        let token = self.start_session(&mut tx, user_id).await?;
        tx.commit().await?;
        Ok(NewSession { token, user })
    }

    async fn start_session(&self, tx: &mut borgen_store::Tx, user: UserId) -> Result<String> {
        let token = random_hex(32);
        let now = chrono::Utc::now();
        let expires = now + chrono::Duration::hours(self.config.session_hours);
        sessions::insert(tx, &token_hash(&token), user, &to_text(now), &to_text(expires)).await?;
        Ok(token)
    }

    /// Checks a password login. Failures are rate-limited per account and per
    /// address; the error never says whether the account exists.
    ///
    /// The attempt is recorded (as failed) and committed *before* the count is
    /// taken and the password checked, so that parallel guesses all see each
    /// other: at most the limit of them reach the password check.
    pub async fn login(&self, email: &str, password: &str, ip: &str) -> Result<NewSession> {
        let email = email.trim().to_lowercase();
        let now = chrono::Utc::now();
        let since = to_text(now - chrono::Duration::minutes(self.config.login_window_minutes));
        let attempt = uuid::Uuid::now_v7().to_string();
        {
            let mut tx = self.db.write().await?;
            users::record_login_attempt(&mut tx, &attempt, &email, ip, false).await?;
            // Housekeeping: old attempts and expired sessions go.
            users::prune_login_attempts(&mut tx, &to_text(now - chrono::Duration::days(1))).await?;
            sessions::delete_expired(&mut tx, &to_text(now)).await?;
            tx.commit().await?;
        }
        {
            let mut tx = self.db.read().await?;
            let (by_email, by_ip) = users::failed_attempts_since(&mut tx, &email, ip, &since).await?;
            if by_email > self.config.login_limit_account || by_ip > self.config.login_limit_address {
                return Err(AppError::RateLimited);
            }
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
        let Some(row) = row.filter(|_| ok) else {
            return Err(AppError::Unauthenticated);
        };
        let user = row.user()?;
        let mut tx = self.db.write().await?;
        users::mark_login_success(&mut tx, &attempt).await?;
        let token = self.start_session(&mut tx, user.id).await?;
        tx.commit().await?;
        Ok(NewSession { token, user })
    }

    pub async fn logout(&self, session_token: &str) -> Result<()> {
        let mut tx = self.db.write().await?;
        sessions::delete(&mut tx, &token_hash(session_token)).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The user of a live session.
    pub async fn session_user(&self, session_token: &str) -> Result<Option<User>> {
        let mut tx = self.db.read().await?;
        let Some(id) = sessions::user_of(&mut tx, &token_hash(session_token), &now_text()).await? else {
            return Ok(None);
        };
        Ok(users::by_id(&mut tx, id).await?.map(|r| r.user()).transpose()?.filter(|u| !u.disabled))
    }

    /// The user and organisation of a live API token.
    pub async fn token_actor(&self, token: &str) -> Result<Option<Actor>> {
        let hash = token_hash(token.trim());
        let mut tx = self.db.read().await?;
        let Some((org, user, last_used)) = tokens::lookup(&mut tx, &hash).await? else { return Ok(None) };
        let Some(user) = users::by_id(&mut tx, user).await?.map(|r| r.user()).transpose()? else { return Ok(None) };
        drop(tx);
        if user.disabled {
            return Ok(None);
        }
        // "Last used" to the minute: a durable write per request would make
        // every API read wait for the disk.
        let now = chrono::Utc::now();
        let stale = last_used
            .as_deref()
            .and_then(borgen_core::time::parse_text)
            .is_none_or(|t| now.signed_duration_since(t) > chrono::Duration::seconds(60));
        if stale {
            let mut tx = self.db.write().await?;
            tokens::touch(&mut tx, &hash, &borgen_core::time::to_text(now)).await?;
            tx.commit().await?;
        }
        Ok(Some(Actor::User { user, token_org: Some(org) }))
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
        name: &str,
    ) -> Result<(TokenId, String)> {
        let mut e = FieldErrors::default();
        let name = text::required(&mut e, "name", Some(name), SHORT);
        let name = e.finish(name)?;
        if matches!(actor, Actor::User { token_org: Some(_), .. }) {
            return Err(AppError::Forbidden);
        }
        let ctx = self.org_ctx(actor, org_slug).await?;
        let mut tx = self.db.write().await?;
        let user = match (actor, user_email) {
            (Actor::Cli, Some(email)) => {
                users::by_email(&mut tx, &email.trim().to_lowercase()).await?.ok_or(AppError::NotFound)?.user()?
            }
            (Actor::User { user, .. }, _) => user.clone(),
            (Actor::Cli, None) => return Err(AppError::NotFound),
        };
        if orgs::roles(&mut tx, ctx.org.id, user.id).await?.0.is_empty() {
            return Err(AppError::NotFound);
        }
        let id = TokenId::new();
        let secret = format!("borgen_{}", random_hex(24));
        let prefix: String = secret.chars().take(14).collect();
        tokens::insert(&mut tx, id, ctx.org.id, user.id, &name, &token_hash(&secret), &prefix, &now_text()).await?;
        let after = serde_json::json!({"name": name, "user": user.email, "prefix": prefix});
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
