//! The use cases of every register declared with the mechanism: the role and
//! ownership decision made once ([`Register::access`]), one transaction per
//! change, one audit event with before and after, none when nothing changed.
//!
//! Refusals, the same for every register (pages and API):
//! not a member → `NotFound` (404), no such record → `NotFound`, role or
//! ownership refused → `Forbidden` (403), archived → `Conflict` (409),
//! invalid → `Invalid` (422).

use crate::{App, AppError, OrgCtx, Result, record};
use borgen_core::FieldErrors;
use borgen_core::ids::UserId;
use borgen_core::register::{Access, Kind, ListQuery, Record, RecordId, RecordJson, Register, Value};
use borgen_core::time::now_text;
use borgen_store::orgs::{self, Member};
use borgen_store::{Tx, register as repo};

/// A record with what the acting member may do with it.
#[derive(Clone, Debug)]
pub struct Held {
    pub rec: Record,
    pub access: Access,
}

fn audit_json(reg: &Register, rec: &Record) -> Option<serde_json::Value> {
    serde_json::to_value(RecordJson { reg, rec, access: None }).ok()
}

/// Refuses a member field naming someone who is not a member.
async fn check_members(tx: &mut Tx, ctx: &OrgCtx, reg: &Register, values: &[Value]) -> Result<()> {
    let mut e = FieldErrors::default();
    for (f, v) in reg.fields.iter().zip(values) {
        if f.kind == Kind::Member
            && let Some(id) = v.as_text().and_then(UserId::parse)
            && orgs::roles(tx, ctx.org.id, id).await?.0.is_empty()
        {
            e.add(f.name, "error.unknown_member");
        }
    }
    e.finish(()).map_err(AppError::Invalid)
}

impl App {
    fn held(&self, ctx: &OrgCtx, reg: &Register, rec: Record) -> Held {
        let access = reg.access(&ctx.roles, ctx.actor.user_id(), &rec);
        Held { rec, access }
    }

    /// Whether the acting member may create records in `reg`.
    pub fn may_create(&self, ctx: &OrgCtx, reg: &Register) -> bool {
        reg.may_create(&ctx.roles)
    }

    pub async fn reg_list(&self, ctx: &OrgCtx, reg: &Register, q: &ListQuery) -> Result<(Vec<Held>, i64)> {
        if !reg.may_read(&ctx.roles) {
            return Err(AppError::Forbidden);
        }
        let mut tx = self.db.read().await?;
        let (recs, total) = repo::list(&mut tx, reg, ctx.org.id, q).await?;
        Ok((recs.into_iter().map(|r| self.held(ctx, reg, r)).collect(), total))
    }

    /// How many records of `reg` are not archived (`None` for who may not read).
    pub async fn reg_count(&self, ctx: &OrgCtx, reg: &Register) -> Result<Option<i64>> {
        if !reg.may_read(&ctx.roles) {
            return Ok(None);
        }
        let mut tx = self.db.read().await?;
        Ok(Some(repo::count_active(&mut tx, reg, ctx.org.id).await?))
    }

    pub async fn reg_get(&self, ctx: &OrgCtx, reg: &Register, id: RecordId) -> Result<Held> {
        if !reg.may_read(&ctx.roles) {
            return Err(AppError::Forbidden);
        }
        let mut tx = self.db.read().await?;
        let rec = repo::get(&mut tx, reg, ctx.org.id, id).await?.ok_or(AppError::NotFound)?;
        Ok(self.held(ctx, reg, rec))
    }

    /// The members of the acting member's organisation (for member fields).
    pub async fn org_members(&self, ctx: &OrgCtx) -> Result<Vec<Member>> {
        ctx.require(borgen_core::role::Permission::ReadRegisters)?;
        let mut tx = self.db.read().await?;
        Ok(orgs::members(&mut tx, ctx.org.id).await?)
    }

    pub async fn reg_create(&self, ctx: &OrgCtx, reg: &Register, values: Vec<Value>) -> Result<Held> {
        if !reg.may_create(&ctx.roles) {
            return Err(AppError::Forbidden);
        }
        let mut tx = self.db.write().await?;
        check_members(&mut tx, ctx, reg, &values).await?;
        let id = RecordId::new();
        repo::insert(&mut tx, reg, ctx.org.id, id, &values, &now_text()).await?;
        let after = repo::get(&mut tx, reg, ctx.org.id, id).await?.ok_or(AppError::NotFound)?;
        record(&mut tx, &ctx.actor, &ctx.chain(), "create", reg.key, &id.as_text(), None, audit_json(reg, &after))
            .await?;
        tx.commit().await?;
        Ok(self.held(ctx, reg, after))
    }

    /// Checks that the acting member may edit the record (it exists, their
    /// role or ownership allows it, it is not archived) before the input is
    /// looked at, so that nobody learns about a record from error messages.
    pub async fn reg_editable(&self, ctx: &OrgCtx, reg: &Register, id: RecordId) -> Result<Held> {
        let held = self.reg_get(ctx, reg, id).await?;
        edit_allowed(ctx, reg, &held.rec)?;
        Ok(held)
    }

    pub async fn reg_update(&self, ctx: &OrgCtx, reg: &Register, id: RecordId, values: Vec<Value>) -> Result<Held> {
        if !reg.may_read(&ctx.roles) {
            return Err(AppError::Forbidden);
        }
        let mut tx = self.db.write().await?;
        let before = repo::get(&mut tx, reg, ctx.org.id, id).await?.ok_or(AppError::NotFound)?;
        edit_allowed(ctx, reg, &before)?;
        if !reg.may_change(&ctx.roles, ctx.actor.user_id(), &before.values, &values) {
            return Err(AppError::Forbidden);
        }
        if values == before.values {
            return Ok(self.held(ctx, reg, before));
        }
        check_members(&mut tx, ctx, reg, &values).await?;
        repo::update(&mut tx, reg, ctx.org.id, id, &values, &now_text()).await?;
        let after = audited(&mut tx, ctx, reg, "update", &before).await?;
        tx.commit().await?;
        Ok(self.held(ctx, reg, after))
    }

    /// Archives (`true`) or restores (`false`) a record; asking for what it
    /// already is changes nothing and records nothing.
    pub async fn reg_archive(&self, ctx: &OrgCtx, reg: &Register, id: RecordId, archive: bool) -> Result<Held> {
        if !reg.may_read(&ctx.roles) {
            return Err(AppError::Forbidden);
        }
        let mut tx = self.db.write().await?;
        let before = repo::get(&mut tx, reg, ctx.org.id, id).await?.ok_or(AppError::NotFound)?;
        if !ctx.roles.can(reg.archive) {
            return Err(AppError::Forbidden);
        }
        if before.archived == archive {
            return Ok(self.held(ctx, reg, before));
        }
        let now = now_text();
        repo::set_archived(&mut tx, reg, ctx.org.id, id, archive.then_some(now.as_str()), &now).await?;
        let after = audited(&mut tx, ctx, reg, if archive { "archive" } else { "restore" }, &before).await?;
        tx.commit().await?;
        Ok(self.held(ctx, reg, after))
    }
}

/// Reads a changed record back and appends its audit event, with `before`.
async fn audited(tx: &mut Tx, ctx: &OrgCtx, reg: &Register, action: &str, before: &Record) -> Result<Record> {
    let after = repo::get(tx, reg, ctx.org.id, before.id).await?.ok_or(AppError::NotFound)?;
    let (b, a) = (audit_json(reg, before), audit_json(reg, &after));
    record(tx, &ctx.actor, &ctx.chain(), action, reg.key, &before.id.as_text(), b, a).await?;
    Ok(after)
}

/// Role or ownership first (403), then the archive (409).
fn edit_allowed(ctx: &OrgCtx, reg: &Register, rec: &Record) -> Result<()> {
    if !reg.may_edit(&ctx.roles, ctx.actor.user_id(), &rec.values) {
        return Err(AppError::Forbidden);
    }
    if rec.archived {
        return Err(AppError::Conflict("error.archived_read_only"));
    }
    Ok(())
}
