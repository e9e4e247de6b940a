//! The second factor: time-based one-time passwords (TOTP, RFC 6238: SHA-1,
//! 6 digits, 30-second steps, one step of clock drift either way) from an
//! authenticator app, and single-use recovery codes.
//!
//! - Enrolment draws a 160-bit secret and keeps it *pending* until the user
//!   types a valid current code; until then it does nothing.
//! - A code is accepted only for a time step later than the last accepted
//!   one (stored per user), so no code works twice.
//! - Recovery codes (ten, 80 random bits each) are shown once and stored as
//!   SHA-256 hashes, like API tokens; using one uses it up.
//! - After the password, a user with TOTP gets a pending login (five minutes,
//!   five wrong codes) instead of a session.
//! - Wrong codes count as failed logins of the account from that address
//!   (the same limits and lockout as passwords) and are security events; the
//!   code itself is never logged.
//! - Approvals (SoA versions, assessment runs, risk acceptances) ask for a
//!   fresh code of a user with TOTP ([`StepUp`]).

use crate::auth::{NewSession, random_hex, token_hash};
use crate::security::Client;
use crate::{Actor, App, AppError, OrgCtx, Result, record};
use borgen_core::audit::INSTALLATION_CHAIN;
use borgen_core::ids::UserId;
use borgen_core::time::{now_text, to_text};
use borgen_store::users::User;
use borgen_store::{orgs, totp as repo, users};
use rand::RngCore;
use totp_rs::{Algorithm, TOTP};

/// Digits of a code.
pub const DIGITS: usize = 6;
/// Seconds per time step.
pub const STEP: u64 = 30;
/// Steps of clock drift accepted either way.
pub const SKEW: u64 = 1;
/// Bytes of a new secret (160 bits, RFC 4226's recommendation).
pub const SECRET_BYTES: usize = 20;
/// How many recovery codes a user gets.
pub const RECOVERY_CODES: usize = 10;
/// How long a pending login waits for its code, and how many wrong codes end it.
pub const PENDING_MINUTES: i64 = 5;
pub const PENDING_TRIES: i64 = 5;
/// The issuer the authenticator app shows.
pub const ISSUER: &str = "Borgen";
/// Longest code input looked at (a recovery code with separators fits).
const MAX_CODE: usize = 64;

/// The RFC 6238 generator for a raw secret.
fn generator(secret: &[u8], digits: usize) -> TOTP {
    // Unchecked: the length rules are ours (160-bit secrets; the RFC's test
    // vectors use 8 digits).
    TOTP::new_unchecked(Algorithm::SHA1, digits, 0, STEP, secret.to_vec())
}

/// The code of `secret` at Unix time `time`.
pub fn code_at(secret: &[u8], digits: usize, time: u64) -> String {
    generator(secret, digits).generate(time)
}

/// A fresh random secret, base32 (RFC 4648, no padding) as authenticator
/// apps take it.
pub fn new_secret() -> String {
    let mut b = [0u8; SECRET_BYTES];
    rand::rngs::OsRng.fill_bytes(&mut b);
    base32_encode(&b)
}

const B32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

pub fn base32_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(5) * 8);
    let (mut acc, mut bits) = (0u32, 0u32);
    for &b in bytes {
        acc = (acc << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(B32[((acc >> bits) & 31) as usize] as char);
        }
    }
    if bits > 0 {
        out.push(B32[((acc << (5 - bits)) & 31) as usize] as char);
    }
    out
}

pub fn base32_decode(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len() * 5 / 8);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in s.bytes().filter(|c| *c != b'=' && !c.is_ascii_whitespace()) {
        let v = B32.iter().position(|x| *x == c.to_ascii_uppercase())? as u32;
        acc = ((acc << 5) | v) & 0xffff;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    Some(out)
}

/// Percent-encodes a label part of an `otpauth://` URI (RFC 3986 unreserved
/// characters and `@` stay).
fn uri_part(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~@".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// The `otpauth://` URI of the key-uri format authenticator apps read from
/// the QR code.
pub fn otpauth_uri(email: &str, secret_b32: &str) -> String {
    format!("otpauth://totp/{ISSUER}:{}?secret={secret_b32}&issuer={ISSUER}", uri_part(email))
}

fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The earliest time step within [`SKEW`] of `now` whose code is `code` and
/// that is later than `after` (the last step accepted). Every candidate is
/// compared, in constant time, whatever matches.
pub fn matching_step(secret: &[u8], code: &str, now: u64, after: Option<i64>) -> Option<i64> {
    let g = generator(secret, DIGITS);
    let current = now / STEP;
    let mut found = None;
    for step in current.saturating_sub(SKEW)..=current + SKEW {
        let ok = same(g.generate(step * STEP).as_bytes(), code.as_bytes());
        let step = step as i64;
        if ok && after.is_none_or(|a| step > a) && found.is_none() {
            found = Some(step);
        }
    }
    found
}

/// Whether `code` is a code of `secret` within the accepted drift at all
/// (used to tell "already used" from "wrong").
fn matches_any(secret: &[u8], code: &str, now: u64) -> bool {
    matching_step(secret, code, now, None).is_some()
}

fn unix_now() -> u64 {
    chrono::Utc::now().timestamp().max(0) as u64
}

/// A new recovery code: 80 random bits as four groups of five hex digits.
fn new_recovery_code() -> String {
    let h = random_hex(10);
    format!("{}-{}-{}-{}", &h[0..5], &h[5..10], &h[10..15], &h[15..20])
}

/// A typed code without spaces and dashes, lowercase.
fn normalise(code: &str) -> String {
    code.chars().filter(|c| !c.is_whitespace() && *c != '-').flat_map(char::to_lowercase).collect()
}

fn is_totp_shape(code: &str) -> bool {
    code.len() == DIGITS && code.bytes().all(|b| b.is_ascii_digit())
}

fn is_recovery_shape(code: &str) -> bool {
    code.len() == 20 && code.bytes().all(|b| b.is_ascii_hexdigit())
}

fn recovery_hash(normalised: &str) -> String {
    token_hash(&format!("borgen recovery|{normalised}"))
}

use crate::invalid;

/// A pending enrolment: what the account page shows.
#[derive(Clone, Debug)]
pub struct Enrolment {
    /// Base32, for typing into the app by hand.
    pub secret: String,
    pub uri: String,
}

/// Where a user stands with the second factor.
#[derive(Clone, Debug)]
pub enum SecondFactor {
    Off,
    Pending(Enrolment),
    On { since: String, recovery_left: i64 },
}

impl SecondFactor {
    pub fn is_on(&self) -> bool {
        matches!(self, SecondFactor::On { .. })
    }
}

/// A second-factor code given with an approval (the `code` field of the form
/// or JSON body), and where the request came from (for the rate limits and
/// the security log). The command line and the demo give none.
#[derive(Clone, Debug, Default)]
pub struct StepUp {
    pub code: Option<String>,
    pub client: Client,
}

impl StepUp {
    pub fn new(code: Option<&str>, client: Client) -> StepUp {
        StepUp { code: code.map(str::to_string), client }
    }
}

/// What a correct password leads to.
#[derive(Clone, Debug)]
pub enum LoginStep {
    /// No second factor: the session starts.
    Session(NewSession),
    /// The second factor is awaited: the browser keeps this token (five
    /// minutes) and sends it with the code.
    SecondFactor { token: String },
}

/// How a code was checked, for the security log.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Used {
    Totp,
    Recovery,
}

fn session_user(actor: &Actor) -> Result<&User> {
    match actor {
        Actor::User { user, token_org: None } => Ok(user),
        _ => Err(AppError::Forbidden),
    }
}

impl App {
    /// Where the user stands: off, pending enrolment (with the secret to
    /// show), or on.
    pub async fn second_factor(&self, actor: &Actor) -> Result<SecondFactor> {
        let user = actor.user().ok_or(AppError::Unauthenticated)?;
        let mut tx = self.db.read().await?;
        Ok(match repo::factor(&mut tx, user.id).await? {
            None => SecondFactor::Off,
            Some(f) => match f.confirmed_at {
                Some(since) => {
                    SecondFactor::On { since, recovery_left: repo::recovery_codes_left(&mut tx, user.id).await? }
                }
                None => SecondFactor::Pending(Enrolment { uri: otpauth_uri(&user.email, &f.secret), secret: f.secret }),
            },
        })
    }

    /// Whether the user has a confirmed second factor.
    pub async fn second_factor_on(&self, user: UserId) -> Result<bool> {
        let mut tx = self.db.read().await?;
        Ok(repo::enabled(&mut tx, user).await?)
    }

    /// Starts enrolment with a fresh secret (replacing a pending one).
    pub async fn start_totp(&self, actor: &Actor) -> Result<Enrolment> {
        let user = session_user(actor)?;
        let secret = new_secret();
        let mut tx = self.db.write().await?;
        if !repo::start(&mut tx, user.id, &secret, &now_text()).await? {
            return Err(AppError::Conflict("error.totp_already_on"));
        }
        tx.commit().await?;
        Ok(Enrolment { uri: otpauth_uri(&user.email, &secret), secret })
    }

    /// Drops a pending enrolment (a confirmed one stays).
    pub async fn cancel_totp(&self, actor: &Actor) -> Result<()> {
        let user = session_user(actor)?;
        let mut tx = self.db.write().await?;
        if matches!(repo::factor(&mut tx, user.id).await?, Some(f) if !f.confirmed()) {
            repo::remove(&mut tx, user.id).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Confirms the pending enrolment with a current code and returns the
    /// ten recovery codes, to be shown once.
    pub async fn confirm_totp(&self, actor: &Actor, code: &str, client: &Client) -> Result<Vec<String>> {
        let user = session_user(actor)?;
        let factor = {
            let mut tx = self.db.read().await?;
            repo::factor(&mut tx, user.id).await?
        };
        let Some(factor) = factor.filter(|f| !f.confirmed()) else {
            return Err(AppError::Conflict("error.totp_no_enrolment"));
        };
        self.check_code(user, code, client, false, "enrol").await?;
        let codes: Vec<String> = (0..RECOVERY_CODES).map(|_| new_recovery_code()).collect();
        let hashes: Vec<String> = codes.iter().map(|c| recovery_hash(&normalise(c))).collect();
        let now = now_text();
        let mut tx = self.db.write().await?;
        if !repo::confirm(&mut tx, user.id, &now).await? {
            return Err(AppError::Conflict("error.totp_no_enrolment"));
        }
        repo::replace_recovery_codes(&mut tx, user.id, &hashes, &now).await?;
        let after = serde_json::json!({ "second_factor": "totp", "created_at": factor.created_at });
        record(&mut tx, actor, INSTALLATION_CHAIN, "enable_totp", "user", &user.id.as_text(), None, Some(after))
            .await?;
        tx.commit().await?;
        self.security_event("totp_enabled", Some(&user.email), Some(&user.id.as_text()), client, None).await;
        Ok(codes)
    }

    /// New recovery codes (the old ones stop working), after a current code.
    pub async fn renew_recovery_codes(&self, actor: &Actor, code: &str, client: &Client) -> Result<Vec<String>> {
        let user = session_user(actor)?;
        if !self.second_factor_on(user.id).await? {
            return Err(AppError::Conflict("error.totp_not_on"));
        }
        self.check_code(user, code, client, false, "recovery_codes").await?;
        let codes: Vec<String> = (0..RECOVERY_CODES).map(|_| new_recovery_code()).collect();
        let hashes: Vec<String> = codes.iter().map(|c| recovery_hash(&normalise(c))).collect();
        let mut tx = self.db.write().await?;
        repo::replace_recovery_codes(&mut tx, user.id, &hashes, &now_text()).await?;
        record(&mut tx, actor, INSTALLATION_CHAIN, "renew_recovery_codes", "user", &user.id.as_text(), None, None)
            .await?;
        tx.commit().await?;
        self.security_event("recovery_codes_renewed", Some(&user.email), Some(&user.id.as_text()), client, None).await;
        Ok(codes)
    }

    /// Turns the second factor off, after the password and a current code or
    /// a recovery code.
    pub async fn disable_totp(&self, actor: &Actor, password: &str, code: &str, client: &Client) -> Result<()> {
        let user = session_user(actor)?;
        if !self.second_factor_on(user.id).await? {
            return Err(AppError::Conflict("error.totp_not_on"));
        }
        if password.len() > crate::auth::MAX_LOGIN_PASSWORD || !self.password_matches(user.id, password).await? {
            return Err(invalid("password", "security.wrong_password"));
        }
        self.check_code(user, code, client, true, "disable").await?;
        let mut tx = self.db.write().await?;
        repo::remove(&mut tx, user.id).await?;
        repo::delete_pending_of(&mut tx, user.id).await?;
        record(&mut tx, actor, INSTALLATION_CHAIN, "disable_totp", "user", &user.id.as_text(), None, None).await?;
        tx.commit().await?;
        self.security_event("totp_disabled", Some(&user.email), Some(&user.id.as_text()), client, None).await;
        Ok(())
    }

    /// Turns a user's second factor off without a code (administration and
    /// recovery from the command line); false when there was none.
    pub async fn reset_second_factor(&self, actor: &Actor, email: &str) -> Result<bool> {
        if !actor.is_admin() {
            return Err(AppError::Forbidden);
        }
        let mut tx = self.db.write().await?;
        let user = users::by_email(&mut tx, &email.trim().to_lowercase()).await?.ok_or(AppError::NotFound)?.user()?;
        let had = repo::factor(&mut tx, user.id).await?.is_some_and(|f| f.confirmed());
        repo::remove(&mut tx, user.id).await?;
        repo::delete_pending_of(&mut tx, user.id).await?;
        if had {
            record(&mut tx, actor, INSTALLATION_CHAIN, "disable_totp", "user", &user.id.as_text(), None, None).await?;
        }
        tx.commit().await?;
        Ok(had)
    }

    /// The second step of a login: the code (or a recovery code) for the
    /// pending login `token`. `Unauthenticated` when the pending login is
    /// unknown or expired; the fifth wrong code ends it
    /// (`Conflict("login.code_attempts_used")`).
    pub async fn complete_login(&self, token: &str, code: &str, client: &Client) -> Result<NewSession> {
        let hash = token_hash(token);
        let (pending, user) = {
            let mut tx = self.db.read().await?;
            let Some(p) = repo::pending(&mut tx, &hash, &now_text()).await? else {
                return Err(AppError::Unauthenticated);
            };
            let id = UserId::parse(&p.user_id).ok_or(AppError::Unauthenticated)?;
            let user = users::by_id(&mut tx, id).await?.map(|r| r.user()).transpose()?;
            (p, user.filter(|u| !u.disabled).ok_or(AppError::Unauthenticated)?)
        };
        if pending.failures >= PENDING_TRIES {
            return Err(AppError::Conflict("login.code_attempts_used"));
        }
        match self.check_code(&user, code, client, true, "login").await {
            Ok(used) => {
                let mut tx = self.db.write().await?;
                if !repo::delete_pending(&mut tx, &hash).await? {
                    return Err(AppError::Unauthenticated);
                }
                let session = self.start_session(&mut tx, user.id).await?;
                tx.commit().await?;
                let detail = if used == Used::Recovery { "recovery_code" } else { "totp" };
                self.security_event("login_success", Some(&user.email), Some(&user.id.as_text()), client, Some(detail))
                    .await;
                Ok(NewSession { token: session, user })
            }
            Err(AppError::Invalid(e)) => {
                let mut tx = self.db.write().await?;
                let failures = repo::pending_failed(&mut tx, &hash).await?;
                if failures.is_none_or(|n| n >= PENDING_TRIES) {
                    repo::delete_pending(&mut tx, &hash).await?;
                    tx.commit().await?;
                    return Err(AppError::Conflict("login.code_attempts_used"));
                }
                tx.commit().await?;
                Err(AppError::Invalid(e))
            }
            Err(e) => Err(e),
        }
    }

    /// Whether a pending login token is live (for the second page).
    pub async fn pending_login_live(&self, token: &str) -> Result<bool> {
        let mut tx = self.db.read().await?;
        Ok(repo::pending(&mut tx, &token_hash(token), &now_text()).await?.is_some_and(|p| p.failures < PENDING_TRIES))
    }

    /// Ends a pending login (the user went back to the password page).
    pub async fn drop_pending_login(&self, token: &str) -> Result<()> {
        let mut tx = self.db.write().await?;
        repo::delete_pending(&mut tx, &token_hash(token)).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Makes the pending login of a user whose password was right.
    pub(crate) async fn start_pending_login(&self, user: UserId) -> Result<String> {
        let token = random_hex(32);
        let now = chrono::Utc::now();
        let expires = now + chrono::Duration::minutes(PENDING_MINUTES);
        let mut tx = self.db.write().await?;
        repo::delete_expired_pending(&mut tx, &to_text(now)).await?;
        repo::insert_pending(&mut tx, &token_hash(&token), user, &to_text(now), &to_text(expires)).await?;
        tx.commit().await?;
        Ok(token)
    }

    /// Before an approval: a user with a second factor gives a fresh code; a
    /// user without one in an organisation that requires it cannot approve.
    /// Nothing of the approval is written before this passes.
    pub(crate) async fn step_up(&self, ctx: &OrgCtx, s: &StepUp) -> Result<()> {
        let Some(user) = ctx.actor.user() else { return Ok(()) };
        if !self.second_factor_on(user.id).await? {
            if ctx.org.require_second_factor {
                return Err(AppError::Conflict("error.second_factor_required"));
            }
            return Ok(());
        }
        let code = s.code.as_deref().unwrap_or("");
        self.check_code(user, code, &s.client, false, "approval").await.map(|_| ())
    }

    /// Checks a code of `user`: the authenticator's (a step not used before)
    /// or, where `recovery` allows, an unused recovery code, which is then
    /// used up. Wrong codes count as failed logins of the account from this
    /// address; past the limit, `RateLimited` before anything is checked.
    /// Recorded before it is checked, like a password, so that parallel
    /// guesses see each other.
    async fn check_code(
        &self,
        user: &User,
        code: &str,
        client: &Client,
        recovery: bool,
        context: &'static str,
    ) -> Result<Used> {
        if code.len() > MAX_CODE {
            return Err(invalid("code", "error.totp_invalid"));
        }
        let code = normalise(code);
        if code.is_empty() {
            return Err(invalid("code", "error.totp_required"));
        }
        if context == "enrol" {
            // The secret is on the user's screen: nothing to guess, so
            // enrolment typos do not count towards the login limits.
            return self.match_code(user, &code, false, context).await?.map_err(|key| invalid("code", key));
        }
        let email = user.email.as_str();
        let ip = client.ip.as_str();
        let now = chrono::Utc::now();
        let since = to_text(now - chrono::Duration::minutes(self.config.login_window_minutes));
        let (pair_limit, ip_limit) = (self.config.login_limit_account, self.config.login_limit_address);
        let (by_pair, by_ip) = {
            let mut tx = self.db.read().await?;
            users::failed_attempts_since(&mut tx, email, ip, &since).await?
        };
        if by_pair >= pair_limit || by_ip >= ip_limit {
            tracing::info!(target: "security", event = "totp_refused", request_id = %client.request_id,
                %ip, %email, "code refused: too many failed attempts");
            return Err(AppError::RateLimited);
        }
        let attempt = uuid::Uuid::now_v7().to_string();
        {
            let mut tx = self.db.write().await?;
            users::record_login_attempt(&mut tx, &attempt, email, ip, false).await?;
            tx.commit().await?;
        }
        let (by_pair, by_ip) = {
            let mut tx = self.db.read().await?;
            users::failed_attempts_since(&mut tx, email, ip, &since).await?
        };
        if by_pair > pair_limit || by_ip > ip_limit {
            return Err(AppError::RateLimited);
        }
        let outcome = self.match_code(user, &code, recovery, context).await?;
        let uid = user.id.as_text();
        match outcome {
            Ok(used) => {
                let mut tx = self.db.write().await?;
                users::mark_login_success(&mut tx, &attempt).await?;
                tx.commit().await?;
                if used == Used::Recovery {
                    self.security_event("recovery_code_used", Some(email), Some(&uid), client, Some(context)).await;
                }
                Ok(used)
            }
            Err(key) => {
                self.security_event("totp_failed", Some(email), Some(&uid), client, Some(context)).await;
                if by_pair == pair_limit || by_ip == ip_limit {
                    let what = if by_pair == pair_limit { "account from this address" } else { "address" };
                    self.security_event("login_lockout", Some(email), Some(&uid), client, Some(what)).await;
                }
                Err(invalid("code", key))
            }
        }
    }

    /// Compares a normalised code with the user's authenticator (a step
    /// later than the last one taken, which it then takes) or, where
    /// `recovery` allows, an unused recovery code (which it uses up). The
    /// error is the locale key for the field.
    async fn match_code(
        &self,
        user: &User,
        code: &str,
        recovery: bool,
        context: &'static str,
    ) -> Result<std::result::Result<Used, &'static str>> {
        let factor = {
            let mut tx = self.db.read().await?;
            repo::factor(&mut tx, user.id).await?
        };
        let Some(f) = factor else { return Ok(Err("error.totp_invalid")) };
        // A pending secret serves only its own confirmation.
        if f.confirmed() == (context == "enrol") {
            return Ok(Err("error.totp_invalid"));
        }
        let Some(secret) = base32_decode(&f.secret) else {
            return Err(AppError::Internal("a stored TOTP secret is not base32".into()));
        };
        if is_totp_shape(code) {
            let t = unix_now();
            return Ok(match matching_step(&secret, code, t, f.last_step) {
                Some(step) => {
                    let mut tx = self.db.write().await?;
                    let fresh = repo::take_step(&mut tx, user.id, step).await?;
                    tx.commit().await?;
                    if fresh { Ok(Used::Totp) } else { Err("error.totp_used") }
                }
                None if matches_any(&secret, code, t) => Err("error.totp_used"),
                None => Err("error.totp_invalid"),
            });
        }
        if recovery && f.confirmed() && is_recovery_shape(code) {
            let mut tx = self.db.write().await?;
            let ok = repo::use_recovery_code(&mut tx, user.id, &recovery_hash(code), &now_text()).await?;
            tx.commit().await?;
            if ok {
                return Ok(Ok(Used::Recovery));
            }
        }
        Ok(Err("error.totp_invalid"))
    }

    /// Sets whether the organisation's members must use a second factor: the
    /// installation administrator, or the organisation's ISMS manager. A
    /// member who turns it on must have a second factor already (or would
    /// lock themselves out of the organisation's pages).
    pub async fn set_second_factor_required(&self, actor: &Actor, org_slug: &str, required: bool) -> Result<()> {
        let org = {
            let mut tx = self.db.read().await?;
            orgs::by_slug(&mut tx, org_slug).await?.ok_or(AppError::NotFound)?
        };
        let member = match self.org_ctx(actor, org_slug).await {
            Ok(ctx) => Some(ctx),
            Err(AppError::NotFound) => None,
            Err(e) => return Err(e),
        };
        let allowed = matches!(actor, Actor::Cli | Actor::Demo | Actor::User { token_org: None, .. })
            && (actor.is_admin() || member.as_ref().is_some_and(|c| c.can(borgen_core::role::Permission::ManageIsms)));
        if !allowed {
            return Err(if member.is_some() || actor.is_admin() { AppError::Forbidden } else { AppError::NotFound });
        }
        // (The administrator keeps the administration pages whatever happens.)
        if required
            && member.is_some()
            && !actor.is_admin()
            && let Some(u) = actor.user()
            && !self.second_factor_on(u.id).await?
        {
            return Err(invalid("require_second_factor", "error.totp_enrol_first"));
        }
        if org.require_second_factor == required {
            return Ok(());
        }
        let mut tx = self.db.write().await?;
        orgs::set_require_second_factor(&mut tx, org.id, required).await?;
        let before = serde_json::json!({ "require_second_factor": org.require_second_factor });
        let after = serde_json::json!({ "require_second_factor": required });
        record(
            &mut tx,
            actor,
            &org.id.as_text(),
            "update",
            "organisation",
            &org.id.as_text(),
            Some(before),
            Some(after),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

impl App {
    /// Sets the organisation's time zone (its ISMS manager, or the
    /// administrator): an IANA name such as `Europe/Amsterdam` (422 for
    /// anything else); in the audit trail.
    pub async fn set_time_zone(&self, ctx: &OrgCtx, name: &str) -> Result<()> {
        ctx.require(borgen_core::role::Permission::ManageIsms)?;
        // Only the zones the settings page offers (not legacy aliases it could not show).
        let Some(zone) = borgen_core::time::zone(name).filter(|z| borgen_core::time::zone_names().contains(&z.name()))
        else {
            return Err(invalid("time_zone", "error.unknown_time_zone"));
        };
        let zone = zone.name();
        if zone == ctx.org.time_zone {
            return Ok(());
        }
        let mut tx = self.db.write().await?;
        orgs::set_time_zone(&mut tx, ctx.org.id, zone).await?;
        let before = serde_json::json!({ "time_zone": ctx.org.time_zone });
        let after = serde_json::json!({ "time_zone": zone });
        let org = ctx.org.id.as_text();
        record(&mut tx, &ctx.actor, &ctx.chain(), "update", "organisation", &org, Some(before), Some(after)).await?;
        tx.commit().await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238, appendix B, the SHA-1 rows (8 digits).
    #[test]
    fn rfc_6238_test_vectors() {
        let secret = b"12345678901234567890";
        for (time, code) in [
            (59, "94287082"),
            (1_111_111_109, "07081804"),
            (1_111_111_111, "14050471"),
            (1_234_567_890, "89005924"),
            (2_000_000_000, "69279037"),
        ] {
            assert_eq!(code_at(secret, 8, time), code, "T = {time}");
        }
        // The 6-digit codes Borgen uses are the last six digits.
        assert_eq!(code_at(secret, 6, 59), "287082");
    }

    #[test]
    fn base32_round_trips_and_matches_rfc_4648() {
        assert_eq!(base32_encode(b"foobar"), "MZXW6YTBOI");
        assert_eq!(base32_decode("MZXW6YTBOI").unwrap(), b"foobar");
        assert_eq!(base32_decode("mzxw 6ytb oi").unwrap(), b"foobar");
        assert!(base32_decode("MZ1W").is_none(), "1 is not base32");
        let s = new_secret();
        assert_eq!(s.len(), 32, "160 bits");
        assert_eq!(base32_decode(&s).unwrap().len(), SECRET_BYTES);
        assert_ne!(new_secret(), s);
    }

    #[test]
    fn one_step_of_drift_either_way_and_no_reuse() {
        let secret = b"12345678901234567890";
        let now = 1_111_111_111;
        let step = (now / STEP) as i64;
        let code = |t: u64| code_at(secret, DIGITS, t);
        assert_eq!(matching_step(secret, &code(now), now, None), Some(step));
        assert_eq!(matching_step(secret, &code(now - 30), now, None), Some(step - 1));
        assert_eq!(matching_step(secret, &code(now + 30), now, None), Some(step + 1));
        assert_eq!(matching_step(secret, &code(now - 60), now, None), None, "two steps back");
        assert_eq!(matching_step(secret, &code(now + 60), now, None), None, "two steps ahead");
        assert_eq!(matching_step(secret, &code(now), now, Some(step)), None, "the step was used");
        assert_eq!(matching_step(secret, &code(now - 30), now, Some(step)), None, "an earlier step");
        assert_eq!(matching_step(secret, "12345", now, None), None);
    }

    #[test]
    fn the_otpauth_uri_and_recovery_codes() {
        assert_eq!(
            otpauth_uri("ann+x@example.nl", "ABC"),
            "otpauth://totp/Borgen:ann%2Bx@example.nl?secret=ABC&issuer=Borgen"
        );
        let c = new_recovery_code();
        assert_eq!(c.len(), 23);
        assert!(is_recovery_shape(&normalise(&c)));
        assert!(is_recovery_shape(&normalise(&c.to_uppercase().replace('-', " "))));
        assert!(is_totp_shape(&normalise(" 123 456 ")));
        assert!(!is_totp_shape("12345a"));
    }
}
