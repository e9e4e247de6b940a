//! Clause 4.2 use cases: interested parties with their requirements (the 4.1
//! context register is declared with the register mechanism, `register.rs`).

use crate::{App, AppError, OrgCtx, Result, json, record};
use borgen_core::context::*;
use borgen_core::ids::{PartyId, RequirementId, UserId};
use borgen_core::role::Permission;
use borgen_core::text::FieldErrors;
use borgen_core::time::now_text;
use borgen_store::context::{self as repo, ArchivableTable};
use borgen_store::{Tx, orgs};

/// Refuses an owner who is not a member of the organisation.
async fn check_owner(tx: &mut Tx, ctx: &OrgCtx, owner: Option<UserId>) -> Result<()> {
    if let Some(o) = owner
        && orgs::roles(tx, ctx.org.id, o).await?.0.is_empty()
    {
        let mut e = FieldErrors::default();
        e.add("owner_id", "error.unknown_owner");
        return Err(AppError::Invalid(e));
    }
    Ok(())
}

impl App {
    pub async fn list_parties(&self, ctx: &OrgCtx, q: &PartyQuery) -> Result<(Vec<Party>, i64)> {
        ctx.require(Permission::ReadRegisters)?;
        let mut tx = self.db.read().await?;
        Ok(repo::list_parties(&mut tx, ctx.org.id, q).await?)
    }

    pub async fn get_party(&self, ctx: &OrgCtx, id: PartyId) -> Result<Party> {
        ctx.require(Permission::ReadRegisters)?;
        let mut tx = self.db.read().await?;
        repo::get_party(&mut tx, ctx.org.id, id).await?.ok_or(AppError::NotFound)
    }

    pub async fn create_party(&self, ctx: &OrgCtx, input: PartyInput) -> Result<Party> {
        ctx.require(Permission::ManageIsms)?;
        let mut tx = self.db.write().await?;
        check_owner(&mut tx, ctx, input.owner_id).await?;
        let id = PartyId::new();
        repo::insert_party(&mut tx, ctx.org.id, id, &input, &now_text()).await?;
        let after = repo::get_party(&mut tx, ctx.org.id, id).await?.ok_or(AppError::NotFound)?;
        record(&mut tx, &ctx.actor, &ctx.chain(), "create", "interested_party", &id.as_text(), None, json(&after))
            .await?;
        tx.commit().await?;
        Ok(after)
    }

    pub async fn update_party(&self, ctx: &OrgCtx, id: PartyId, input: PartyInput) -> Result<Party> {
        ctx.require(Permission::ReadRegisters)?;
        let mut tx = self.db.write().await?;
        let before = repo::get_party(&mut tx, ctx.org.id, id).await?.ok_or(AppError::NotFound)?;
        if !ctx.can_edit_owned(before.data.owner_id)
            || (!ctx.can(Permission::ManageIsms) && input.owner_id != before.data.owner_id)
        {
            return Err(AppError::Forbidden);
        }
        if before.archived {
            return Err(AppError::Conflict("error.archived_read_only"));
        }
        if input == before.data {
            return Ok(before);
        }
        check_owner(&mut tx, ctx, input.owner_id).await?;
        repo::update_party(&mut tx, ctx.org.id, id, &input, &now_text()).await?;
        let after = repo::get_party(&mut tx, ctx.org.id, id).await?.ok_or(AppError::NotFound)?;
        record(
            &mut tx,
            &ctx.actor,
            &ctx.chain(),
            "update",
            "interested_party",
            &id.as_text(),
            json(&before),
            json(&after),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    pub async fn archive_party(&self, ctx: &OrgCtx, id: PartyId, archive: bool) -> Result<Party> {
        ctx.require(Permission::ManageIsms)?;
        let mut tx = self.db.write().await?;
        let before = repo::get_party(&mut tx, ctx.org.id, id).await?.ok_or(AppError::NotFound)?;
        if before.archived == archive {
            return Ok(before);
        }
        let now = now_text();
        repo::set_archived(
            &mut tx,
            ArchivableTable::Parties,
            ctx.org.id,
            &id.as_text(),
            archive.then_some(now.as_str()),
            &now,
        )
        .await?;
        let after = repo::get_party(&mut tx, ctx.org.id, id).await?.ok_or(AppError::NotFound)?;
        let action = if archive { "archive" } else { "restore" };
        record(
            &mut tx,
            &ctx.actor,
            &ctx.chain(),
            action,
            "interested_party",
            &id.as_text(),
            json(&before),
            json(&after),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    pub async fn get_requirement(&self, ctx: &OrgCtx, id: RequirementId) -> Result<Requirement> {
        ctx.require(Permission::ReadRegisters)?;
        let mut tx = self.db.read().await?;
        repo::get_requirement(&mut tx, ctx.org.id, id).await?.ok_or(AppError::NotFound)
    }

    /// Adds a requirement to a party. Whoever may edit the party may add to it.
    pub async fn add_requirement(&self, ctx: &OrgCtx, party: PartyId, input: RequirementInput) -> Result<Requirement> {
        ctx.require(Permission::ReadRegisters)?;
        let mut tx = self.db.write().await?;
        let p = repo::get_party(&mut tx, ctx.org.id, party).await?.ok_or(AppError::NotFound)?;
        if !ctx.can_edit_owned(p.data.owner_id) {
            return Err(AppError::Forbidden);
        }
        if p.archived {
            return Err(AppError::Conflict("error.archived_read_only"));
        }
        let id = RequirementId::new();
        repo::insert_requirement(&mut tx, ctx.org.id, party, id, &input, &now_text()).await?;
        let after = repo::get_requirement(&mut tx, ctx.org.id, id).await?.ok_or(AppError::NotFound)?;
        record(&mut tx, &ctx.actor, &ctx.chain(), "create", "requirement", &id.as_text(), None, json(&after)).await?;
        tx.commit().await?;
        Ok(after)
    }

    pub async fn update_requirement(
        &self,
        ctx: &OrgCtx,
        id: RequirementId,
        input: RequirementInput,
    ) -> Result<Requirement> {
        ctx.require(Permission::ReadRegisters)?;
        let mut tx = self.db.write().await?;
        let before = repo::get_requirement(&mut tx, ctx.org.id, id).await?.ok_or(AppError::NotFound)?;
        let p = repo::get_party(&mut tx, ctx.org.id, before.party_id).await?.ok_or(AppError::NotFound)?;
        if !ctx.can_edit_owned(p.data.owner_id) {
            return Err(AppError::Forbidden);
        }
        if before.archived || p.archived {
            return Err(AppError::Conflict("error.archived_read_only"));
        }
        if input == before.data {
            return Ok(before);
        }
        repo::update_requirement(&mut tx, ctx.org.id, id, &input, &now_text()).await?;
        let after = repo::get_requirement(&mut tx, ctx.org.id, id).await?.ok_or(AppError::NotFound)?;
        record(&mut tx, &ctx.actor, &ctx.chain(), "update", "requirement", &id.as_text(), json(&before), json(&after))
            .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Archives or restores a requirement: like archiving anything in the
    /// ISMS, this is the ISMS manager's; an archived party's requirements stay
    /// as they are until the party is restored.
    pub async fn archive_requirement(&self, ctx: &OrgCtx, id: RequirementId, archive: bool) -> Result<Requirement> {
        ctx.require(Permission::ManageIsms)?;
        let mut tx = self.db.write().await?;
        let before = repo::get_requirement(&mut tx, ctx.org.id, id).await?.ok_or(AppError::NotFound)?;
        let p = repo::get_party(&mut tx, ctx.org.id, before.party_id).await?.ok_or(AppError::NotFound)?;
        if p.archived {
            return Err(AppError::Conflict("error.archived_read_only"));
        }
        if before.archived == archive {
            return Ok(before);
        }
        let now = now_text();
        repo::set_archived(
            &mut tx,
            ArchivableTable::Requirements,
            ctx.org.id,
            &id.as_text(),
            archive.then_some(now.as_str()),
            &now,
        )
        .await?;
        let after = repo::get_requirement(&mut tx, ctx.org.id, id).await?.ok_or(AppError::NotFound)?;
        let action = if archive { "archive" } else { "restore" };
        record(&mut tx, &ctx.actor, &ctx.chain(), action, "requirement", &id.as_text(), json(&before), json(&after))
            .await?;
        tx.commit().await?;
        Ok(after)
    }
}
