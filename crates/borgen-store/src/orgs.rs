//! Organisations (tenants) and memberships.

use crate::{Result, Tx, exec, run};
use borgen_core::Lang;
use borgen_core::ids::{OrgId, UserId};
use borgen_core::role::{Role, RoleSet};
use borgen_core::time::now_text;

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Org {
    pub id: OrgId,
    pub slug: String,
    pub name: String,
    pub default_lang: Lang,
    pub created_at: String,
    /// Members must use a second factor (TOTP) to open the organisation's
    /// pages; API tokens are not affected.
    pub require_second_factor: bool,
    /// Its clock (an IANA name such as `Europe/Amsterdam`).
    pub time_zone: String,
    /// Who reads each classification of document and approves each type.
    pub document_rules: borgen_core::document::Rules,
}

#[derive(sqlx::FromRow)]
struct OrgRow {
    id: String,
    slug: String,
    name: String,
    default_lang: String,
    created_at: String,
    require_second_factor: bool,
    time_zone: String,
    document_rules: String,
}

impl OrgRow {
    fn org(self) -> Result<Org> {
        Ok(Org {
            id: crate::decode("org id", &self.id, OrgId::parse)?,
            slug: self.slug,
            name: self.name,
            default_lang: Lang::parse(&self.default_lang).unwrap_or_default(),
            created_at: self.created_at,
            require_second_factor: self.require_second_factor,
            time_zone: self.time_zone,
            document_rules: borgen_core::document::Rules::from_json(&self.document_rules),
        })
    }
}

pub async fn insert(tx: &mut Tx, org: &Org) -> Result<()> {
    exec!(tx, |c| sqlx::query(
        "INSERT INTO organisations (id, slug, name, default_lang, created_at, require_second_factor, time_zone, \
         document_rules) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
    )
    .bind(org.id.as_text())
    .bind(&org.slug)
    .bind(&org.name)
    .bind(org.default_lang.code())
    .bind(&org.created_at)
    .bind(org.require_second_factor)
    .bind(&org.time_zone)
    .bind(org.document_rules.to_json())
    .execute(c)
    .await)?;
    Ok(())
}

pub async fn by_slug(tx: &mut Tx, slug: &str) -> Result<Option<Org>> {
    let row = run!(tx, |c| {
        sqlx::query_as::<_, OrgRow>(
        "SELECT id, slug, name, default_lang, created_at, require_second_factor, time_zone, document_rules FROM organisations WHERE slug = $1"
    )
    .bind(slug)
    .fetch_optional(c)
    .await
    })?;
    row.map(OrgRow::org).transpose()
}

/// Every organisation (administration only).
pub async fn list_all(tx: &mut Tx) -> Result<Vec<Org>> {
    let rows = run!(tx, |c| {
        sqlx::query_as::<_, OrgRow>(
        "SELECT id, slug, name, default_lang, created_at, require_second_factor, time_zone, document_rules FROM organisations ORDER BY name"
    )
    .fetch_all(c)
    .await
    })?;
    rows.into_iter().map(OrgRow::org).collect()
}

/// The organisations a user is a member of.
pub async fn for_user(tx: &mut Tx, user: UserId) -> Result<Vec<Org>> {
    let rows = run!(tx, |c| {
        sqlx::query_as::<_, OrgRow>(
        "SELECT DISTINCT o.id, o.slug, o.name, o.default_lang, o.created_at, o.require_second_factor, o.time_zone, o.document_rules \
         FROM organisations o \
         JOIN memberships m ON m.org_id = o.id WHERE m.user_id = $1 ORDER BY o.name"
    )
    .bind(user.as_text())
    .fetch_all(c)
    .await
    })?;
    rows.into_iter().map(OrgRow::org).collect()
}

/// The roles `user` holds in `org` (empty when not a member).
pub async fn roles(tx: &mut Tx, org: OrgId, user: UserId) -> Result<RoleSet> {
    let codes: Vec<String> = run!(tx, |c| sqlx::query_scalar(
        "SELECT role FROM memberships WHERE org_id = $1 AND user_id = $2 ORDER BY role"
    )
    .bind(org.as_text())
    .bind(user.as_text())
    .fetch_all(c)
    .await)?;
    Ok(RoleSet(codes.iter().filter_map(|c| Role::parse(c)).collect()))
}

/// Sets whether members must use a second factor.
pub async fn set_require_second_factor(tx: &mut Tx, org: OrgId, required: bool) -> Result<()> {
    exec!(tx, |c| sqlx::query("UPDATE organisations SET require_second_factor = $1 WHERE id = $2")
        .bind(required)
        .bind(org.as_text())
        .execute(c)
        .await)?;
    Ok(())
}

pub async fn set_time_zone(tx: &mut Tx, org: OrgId, zone: &str) -> Result<()> {
    exec!(tx, |c| sqlx::query("UPDATE organisations SET time_zone = $1 WHERE id = $2")
        .bind(zone)
        .bind(org.as_text())
        .execute(c)
        .await)?;
    Ok(())
}

/// Sets the organisation's document control.
pub async fn set_document_rules(tx: &mut Tx, org: OrgId, rules: &borgen_core::document::Rules) -> Result<()> {
    exec!(tx, |c| sqlx::query("UPDATE organisations SET document_rules = $1 WHERE id = $2")
        .bind(rules.to_json())
        .bind(org.as_text())
        .execute(c)
        .await)?;
    Ok(())
}

pub async fn add_role(tx: &mut Tx, org: OrgId, user: UserId, role: Role) -> Result<bool> {
    let n = exec!(tx, |c| sqlx::query(
        "INSERT INTO memberships (org_id, user_id, role, created_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (org_id, user_id, role) DO NOTHING"
    )
    .bind(org.as_text())
    .bind(user.as_text())
    .bind(role.code())
    .bind(now_text())
    .execute(c)
    .await)?;
    Ok(n > 0)
}

pub async fn remove_role(tx: &mut Tx, org: OrgId, user: UserId, role: Role) -> Result<bool> {
    let n = exec!(tx, |c| sqlx::query("DELETE FROM memberships WHERE org_id = $1 AND user_id = $2 AND role = $3")
        .bind(org.as_text())
        .bind(user.as_text())
        .bind(role.code())
        .execute(c)
        .await)?;
    Ok(n > 0)
}

/// A member of an organisation with the roles they hold.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Member {
    pub user_id: UserId,
    pub email: String,
    pub name: String,
    pub roles: RoleSet,
}

pub async fn members(tx: &mut Tx, org: OrgId) -> Result<Vec<Member>> {
    let rows: Vec<(String, String, String, String)> = run!(tx, |c| sqlx::query_as(
        "SELECT u.id, u.email, u.name, m.role FROM memberships m JOIN users u ON u.id = m.user_id \
         WHERE m.org_id = $1 ORDER BY u.name, u.email, m.role"
    )
    .bind(org.as_text())
    .fetch_all(c)
    .await)?;
    let mut out: Vec<Member> = Vec::new();
    for (id, email, name, role) in rows {
        let user_id = crate::decode("user id", &id, UserId::parse)?;
        let role = Role::parse(&role);
        match out.last_mut() {
            Some(m) if m.user_id == user_id => m.roles.0.extend(role),
            _ => out.push(Member { user_id, email, name, roles: RoleSet(role.into_iter().collect()) }),
        }
    }
    Ok(out)
}

/// Serialises writers of one organisation inside a write transaction, for
/// changes that read a number and write the next (risk numbers, versions,
/// runs). SQLite's `BEGIN IMMEDIATE` already holds the database's write
/// lock; PostgreSQL locks the organisation's row until the commit.
pub async fn lock(tx: &mut Tx, org: OrgId) -> Result<()> {
    if let Tx::Postgres(t, _) = tx {
        sqlx::query("SELECT id FROM organisations WHERE id = $1 FOR UPDATE")
            .bind(org.as_text())
            .fetch_optional(&mut **t)
            .await?;
    }
    Ok(())
}
