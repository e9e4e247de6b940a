//! Use cases. The only layer the web handlers and the CLI call: it checks the
//! organisation and the role, runs each change in one transaction, and appends
//! the audit event in that same transaction.

pub mod acknowledge;
pub mod admin;
pub mod auth;
pub mod demo;
mod demo_documents;
mod demo_people;
mod demo_registers;
mod demo_risk;
pub mod document;
pub mod evidence;
pub mod import;
pub mod people;
pub mod queue;
pub mod register;
pub mod risk;
pub mod security;
pub mod soa;
pub mod templates;
pub mod totp;
pub mod trail;
pub mod treatment;
pub mod version;

use borgen_core::FieldErrors;
use borgen_core::ids::{OrgId, UserId};
use borgen_core::role::{Permission, RoleSet};
use borgen_store::audit::{ActorRef, NewEvent};
use borgen_store::orgs::Org;
use borgen_store::users::User;
use borgen_store::{Db, StoreError, Tx};

pub use borgen_store;

/// Errors of the application layer. The web layer maps each to a status code
/// and a localised message.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("not allowed")]
    Forbidden,
    #[error("not logged in")]
    Unauthenticated,
    #[error("invalid input")]
    Invalid(FieldErrors),
    /// A rule of the domain refused the action; the string is a locale key.
    #[error("refused: {0}")]
    Conflict(&'static str),
    /// A rule refused the action and names each thing in the way (409): the
    /// locale key of the refusal and the problems.
    #[error("refused: {0}")]
    Blocked(&'static str, Vec<borgen_core::text::Problem>),
    #[error("too many attempts")]
    RateLimited,
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{0}")]
    Internal(String),
}

impl From<FieldErrors> for AppError {
    fn from(e: FieldErrors) -> Self {
        AppError::Invalid(e)
    }
}

pub type Result<T> = std::result::Result<T, AppError>;

/// Settings the application layer needs.
#[derive(Clone, Debug)]
pub struct AppConfig {
    /// How long a login session lasts at most, in hours.
    pub session_hours: i64,
    /// A session not used for this many minutes ends.
    pub session_idle_minutes: i64,
    /// Failed logins per account from one address, and per address whatever
    /// the account, allowed in the window. (Not per account alone: then
    /// anyone could lock anyone out.)
    pub login_limit_account: i64,
    pub login_limit_address: i64,
    pub login_window_minutes: i64,
    /// The largest evidence file accepted, in bytes.
    pub evidence_max_bytes: u64,
}

impl Default for AppConfig {
    fn default() -> Self {
        AppConfig {
            session_hours: 12,
            session_idle_minutes: 30,
            login_limit_account: 5,
            login_limit_address: 20,
            login_window_minutes: 15,
            evidence_max_bytes: 25 * 1024 * 1024,
        }
    }
}

#[derive(Clone, Debug)]
pub struct App {
    pub db: Db,
    pub config: AppConfig,
    /// Where evidence files are kept.
    pub evidence: borgen_store::evidence::Blobs,
    /// Heat-map counts per organisation (see `risk::HeatCache`).
    pub(crate) heat: risk::HeatCache,
    /// Room for CPU-heavy jobs (see [`App::cpu`]).
    cpu: std::sync::Arc<tokio::sync::Semaphore>,
    /// The installation's key for session-bound CSRF tokens (from settings).
    pub(crate) csrf_key: std::sync::Arc<tokio::sync::OnceCell<Vec<u8>>>,
}

/// How many CPU-heavy jobs run at once: one per core, at most four.
fn cpu_slots() -> usize {
    std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2).clamp(1, 4)
}

/// Who is acting: a logged-in user, a user through an API token (bound to one
/// organisation), or the command line run by whoever operates the installation.
#[derive(Clone, Debug)]
pub enum Actor {
    User {
        user: User,
        token_org: Option<OrgId>,
    },
    /// The administrator at the command line.
    Cli,
    /// `borgen demo` writing the demo organisation: like the command line,
    /// but its changes say they are demo data.
    Demo,
}

impl Actor {
    pub fn user(&self) -> Option<&User> {
        match self {
            Actor::User { user, .. } => Some(user),
            Actor::Cli | Actor::Demo => None,
        }
    }
    pub fn user_id(&self) -> Option<UserId> {
        self.user().map(|u| u.id)
    }
    pub fn is_admin(&self) -> bool {
        match self {
            Actor::User { user, token_org } => user.is_admin && token_org.is_none(),
            Actor::Cli | Actor::Demo => true,
        }
    }
    pub fn audit_ref(&self) -> ActorRef {
        match self {
            // A person is named by name (their e-mail address when they have none).
            Actor::User { user, .. } => ActorRef {
                id: Some(user.id.as_text()),
                label: if user.name.trim().is_empty() { user.email.clone() } else { user.name.clone() },
            },
            Actor::Cli => ActorRef { id: None, label: CLI_LABEL.into() },
            Actor::Demo => ActorRef { id: None, label: DEMO_LABEL.into() },
        }
    }
}

/// The stored name of changes made at the command line and by `borgen demo`
/// (pages show them in the reader's language).
pub const CLI_LABEL: &str = "command line";
pub const DEMO_LABEL: &str = "demo data";

/// The actor inside one organisation, with the roles they hold there.
#[derive(Clone, Debug)]
pub struct OrgCtx {
    pub org: Org,
    pub roles: RoleSet,
    pub actor: Actor,
    /// The acting user has a confirmed second factor (TOTP).
    pub second_factor: bool,
}

impl OrgCtx {
    /// Today's date (YYYY-MM-DD) on the organisation's clock: what overdue
    /// tasks, review dates and acceptance end dates are measured against.
    pub fn today(&self) -> String {
        borgen_core::time::today_in(&self.org.time_zone)
    }
    /// An instant (storage format) on the organisation's clock, for pages.
    pub fn local_time(&self, ts: &str) -> String {
        match borgen_core::time::parse_text(ts) {
            Some(t) => borgen_core::time::local(t, &self.org.time_zone),
            None => ts.to_string(),
        }
    }
    pub fn can(&self, p: Permission) -> bool {
        self.roles.can(p)
    }
    pub fn require(&self, p: Permission) -> Result<()> {
        if self.can(p) { Ok(()) } else { Err(AppError::Forbidden) }
    }
    /// Whether the actor may edit a record with this owner: the ISMS manager
    /// may edit anything, a contributor what they own.
    pub fn can_edit_owned(&self, owner: Option<UserId>) -> bool {
        self.can(Permission::ManageIsms)
            || (self.can(Permission::EditOwn) && owner.is_some() && owner == self.actor.user_id())
    }
    pub fn chain(&self) -> String {
        self.org.id.as_text()
    }
    /// A session user without a second factor in an organisation that
    /// requires one: such a member must set it up before opening the
    /// organisation's pages (API tokens are their own factor).
    pub fn second_factor_missing(&self) -> bool {
        self.org.require_second_factor
            && !self.second_factor
            && matches!(self.actor, Actor::User { token_org: None, .. })
    }
}

impl App {
    pub fn new(db: Db, config: AppConfig, evidence: borgen_store::evidence::Blobs) -> Self {
        let cpu = std::sync::Arc::new(tokio::sync::Semaphore::new(cpu_slots()));
        App { db, config, evidence, heat: risk::HeatCache::default(), cpu, csrf_key: Default::default() }
    }

    /// Runs CPU-heavy work (reading a spreadsheet, resolving an import,
    /// typesetting a PDF) on a blocking thread, never on the async workers
    /// that answer every other request, with a few such jobs at a time: the
    /// others wait their turn here instead of taking every core.
    pub async fn cpu<R: Send + 'static>(&self, job: impl FnOnce() -> R + Send + 'static) -> Result<R> {
        let slot =
            self.cpu.clone().acquire_owned().await.map_err(|_| AppError::Internal("the job pool is closed".into()))?;
        tokio::task::spawn_blocking(move || {
            let _slot = slot;
            job()
        })
        .await
        .map_err(|e| AppError::Internal(format!("a background job failed: {e}")))
    }

    /// Resolves an organisation for the actor. Anyone who is not a member (an
    /// administrator included) gets `NotFound`, as does a token of another
    /// organisation, so nobody learns which organisations exist.
    pub async fn org_ctx(&self, actor: &Actor, slug: &str) -> Result<OrgCtx> {
        let mut tx = self.db.read().await?;
        let org = borgen_store::orgs::by_slug(&mut tx, slug).await?.ok_or(AppError::NotFound)?;
        let (roles, second_factor) = match actor {
            Actor::User { user, token_org } => {
                if token_org.is_some_and(|o| o != org.id) {
                    return Err(AppError::NotFound);
                }
                let roles = borgen_store::orgs::roles(&mut tx, org.id, user.id).await?;
                if roles.0.is_empty() {
                    return Err(AppError::NotFound);
                }
                (roles, borgen_store::totp::enabled(&mut tx, user.id).await?)
            }
            Actor::Cli | Actor::Demo => (RoleSet(borgen_core::role::Role::ALL.to_vec()), false),
        };
        Ok(OrgCtx { org, roles, actor: actor.clone(), second_factor })
    }
}

/// Appends one audit event for `ctx`'s organisation inside `tx`.
pub(crate) async fn record(
    tx: &mut Tx,
    actor: &Actor,
    chain: &str,
    action: &str,
    entity_type: &str,
    entity_id: &str,
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
) -> Result<()> {
    borgen_store::audit::append(
        tx,
        &actor.audit_ref(),
        NewEvent { chain, action, entity_type, entity_id, before, after },
    )
    .await?;
    Ok(())
}

pub(crate) fn json<T: serde::Serialize>(v: &T) -> Option<serde_json::Value> {
    serde_json::to_value(v).ok()
}

/// A refusal of one field with one message key (422).
pub(crate) fn invalid(field: &'static str, key: &'static str) -> AppError {
    let mut e = borgen_core::text::FieldErrors::default();
    e.add(field, key);
    AppError::Invalid(e)
}
