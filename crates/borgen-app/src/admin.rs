//! Administration: organisations, users and memberships. Only the installation
//! administrator (or the command line) may do these.

use crate::auth::hash_password;
use crate::{Actor, App, AppError, Result, json, record};
use borgen_core::Lang;
use borgen_core::audit::INSTALLATION_CHAIN;
use borgen_core::ids::{OrgId, UserId};
use borgen_core::role::Role;
use borgen_core::text::{self, FieldErrors, SHORT};
use borgen_core::time::now_text;
use borgen_store::Tx;
use borgen_store::orgs::{self, Member, Org};
use borgen_store::users::{self, User};

#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct OrgForm {
    pub name: Option<String>,
    pub slug: Option<String>,
    pub default_lang: Option<String>,
}

#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct UserForm {
    pub email: Option<String>,
    pub name: Option<String>,
    pub password: Option<String>,
    pub is_admin: Option<String>,
}

#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct MemberForm {
    pub email: Option<String>,
    pub role: Option<String>,
}

pub(crate) async fn insert_org(tx: &mut Tx, actor: &Actor, org: &Org) -> Result<()> {
    orgs::insert(tx, org).await.map_err(|e| {
        if e.is_unique_violation() {
            AppError::Invalid(FieldErrors(vec![borgen_core::FieldError { field: "slug", key: "error.slug_taken" }]))
        } else {
            e.into()
        }
    })?;
    record(tx, actor, &org.id.as_text(), "create", "organisation", &org.id.as_text(), None, json(org)).await
}

pub(crate) async fn insert_role(tx: &mut Tx, actor: &Actor, org: &Org, user: UserId, role: Role) -> Result<bool> {
    let added = orgs::add_role(tx, org.id, user, role).await?;
    if added {
        let after = serde_json::json!({"user_id": user, "role": role.code()});
        record(tx, actor, &org.id.as_text(), "add_member", "membership", &user.as_text(), None, Some(after)).await?;
    }
    Ok(added)
}

impl App {
    fn require_admin(actor: &Actor) -> Result<()> {
        if actor.is_admin() { Ok(()) } else { Err(AppError::Forbidden) }
    }

    pub async fn create_org(&self, actor: &Actor, f: &OrgForm) -> Result<Org> {
        Self::require_admin(actor)?;
        let mut e = FieldErrors::default();
        let name = text::required(&mut e, "name", f.name.as_deref(), SHORT);
        let slug = text::slug(&mut e, "slug", f.slug.as_deref());
        let lang = match f.default_lang.as_deref().map(str::trim) {
            None | Some("") => Lang::Nl,
            Some(s) => Lang::parse(s).unwrap_or_else(|| {
                e.add("default_lang", "error.unknown_value");
                Lang::Nl
            }),
        };
        let (name, slug) = e.finish((name, slug))?;
        let org = Org {
            id: OrgId::new(),
            slug,
            name,
            default_lang: lang,
            created_at: now_text(),
            require_second_factor: false,
            time_zone: borgen_core::time::DEFAULT_ZONE.to_string(),
            document_rules: Default::default(),
        };
        let mut tx = self.db.write().await?;
        if orgs::by_slug(&mut tx, &org.slug).await?.is_some() {
            return Err(AppError::Invalid(FieldErrors(vec![borgen_core::FieldError {
                field: "slug",
                key: "error.slug_taken",
            }])));
        }
        insert_org(&mut tx, actor, &org).await?;
        tx.commit().await?;
        Ok(org)
    }

    pub async fn create_user(&self, actor: &Actor, f: &UserForm) -> Result<User> {
        Self::require_admin(actor)?;
        let mut e = FieldErrors::default();
        let email = text::email(&mut e, "email", f.email.as_deref());
        let name = match f.name.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            Some(n) => text::required(&mut e, "name", Some(n), SHORT),
            None => email.split('@').next().unwrap_or("").to_string(),
        };
        let password = borgen_core::password::new_password(&mut e, "password", f.password.as_deref(), &email, &name);
        let is_admin = matches!(f.is_admin.as_deref(), Some("on" | "true" | "1"));
        let (email, name, password) = e.finish((email, name, password))?;
        let hash = hash_password(&password)?;
        let mut tx = self.db.write().await?;
        if users::by_email(&mut tx, &email).await?.is_some() {
            return Err(AppError::Invalid(FieldErrors(vec![borgen_core::FieldError {
                field: "email",
                key: "error.email_taken",
            }])));
        }
        let id = UserId::new();
        users::insert(&mut tx, id, &email, &name, &hash, is_admin).await.map_err(|e| {
            if e.is_unique_violation() {
                AppError::Invalid(FieldErrors(vec![borgen_core::FieldError {
                    field: "email",
                    key: "error.email_taken",
                }]))
            } else {
                e.into()
            }
        })?;
        let user = users::by_id(&mut tx, id).await?.ok_or(AppError::NotFound)?.user()?;
        record(&mut tx, actor, INSTALLATION_CHAIN, "create", "user", &id.as_text(), None, json(&user)).await?;
        tx.commit().await?;
        Ok(user)
    }

    /// Sets a user's password (administration and recovery).
    pub async fn set_password(&self, actor: &Actor, email: &str, password: &str) -> Result<()> {
        Self::require_admin(actor)?;
        let mut e = FieldErrors::default();
        let password = borgen_core::password::new_password(&mut e, "password", Some(password), email, "");
        let password = e.finish(password)?;
        let mut tx = self.db.write().await?;
        let user = users::by_email(&mut tx, &email.trim().to_lowercase()).await?.ok_or(AppError::NotFound)?.user()?;
        users::set_password(&mut tx, user.id, &hash_password(&password)?).await?;
        users::delete_sessions_of(&mut tx, user.id).await?;
        borgen_store::totp::delete_pending_of(&mut tx, user.id).await?;
        record(&mut tx, actor, INSTALLATION_CHAIN, "set_password", "user", &user.id.as_text(), None, None).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Gives a user a role in an organisation. Administrators add members to
    /// any organisation (adding themselves is recorded like anything else).
    pub async fn add_member(&self, actor: &Actor, org_slug: &str, f: &MemberForm) -> Result<bool> {
        Self::require_admin(actor)?;
        let mut e = FieldErrors::default();
        let email = text::email(&mut e, "email", f.email.as_deref());
        let role = text::required_enum(&mut e, "role", f.role.as_deref(), Role::parse);
        let mut tx = self.db.write().await?;
        let org = orgs::by_slug(&mut tx, org_slug).await?.ok_or(AppError::NotFound)?;
        let user = users::by_email(&mut tx, &email).await?;
        if user.is_none() && e.for_field("email").is_none() {
            e.add("email", "error.unknown_user");
        }
        let (user, role) = match (user, role) {
            (Some(u), Some(r)) if e.is_empty() => (u.user()?, r),
            _ => return Err(AppError::Invalid(e)),
        };
        let added = insert_role(&mut tx, actor, &org, user.id, role).await?;
        tx.commit().await?;
        Ok(added)
    }

    pub async fn remove_member(&self, actor: &Actor, org_slug: &str, user: UserId, role: Role) -> Result<()> {
        Self::require_admin(actor)?;
        let mut tx = self.db.write().await?;
        let org = orgs::by_slug(&mut tx, org_slug).await?.ok_or(AppError::NotFound)?;
        if !orgs::remove_role(&mut tx, org.id, user, role).await? {
            return Err(AppError::NotFound);
        }
        let before = serde_json::json!({"user_id": user, "role": role.code()});
        record(&mut tx, actor, &org.id.as_text(), "remove_member", "membership", &user.as_text(), Some(before), None)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The organisations the actor can open (an administrator sees them all in
    /// the administration pages, but works in an organisation only as member).
    pub async fn my_orgs(&self, actor: &Actor) -> Result<Vec<Org>> {
        let mut tx = self.db.read().await?;
        match actor {
            Actor::User { user, token_org } => {
                let all = orgs::for_user(&mut tx, user.id).await?;
                Ok(all.into_iter().filter(|o| token_org.is_none_or(|t| t == o.id)).collect())
            }
            Actor::Cli | Actor::Demo => Ok(orgs::list_all(&mut tx).await?),
        }
    }

    pub async fn all_orgs(&self, actor: &Actor) -> Result<Vec<Org>> {
        Self::require_admin(actor)?;
        let mut tx = self.db.read().await?;
        Ok(orgs::list_all(&mut tx).await?)
    }

    pub async fn all_users(&self, actor: &Actor) -> Result<Vec<User>> {
        Self::require_admin(actor)?;
        let mut tx = self.db.read().await?;
        Ok(users::list_all(&mut tx).await?)
    }

    /// Members of an organisation: for administrators (any organisation) and
    /// for members who may read the registers (owner pickers, lists).
    pub async fn members(&self, actor: &Actor, org_slug: &str) -> Result<Vec<Member>> {
        let mut tx = self.db.read().await?;
        let org = orgs::by_slug(&mut tx, org_slug).await?.ok_or(AppError::NotFound)?;
        drop(tx);
        if !actor.is_admin() {
            self.org_ctx(actor, org_slug).await?.require(borgen_core::role::Permission::ReadRegisters)?;
        }
        let mut tx = self.db.read().await?;
        Ok(orgs::members(&mut tx, org.id).await?)
    }
}
