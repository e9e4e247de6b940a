//! Reading the audit trail: an organisation's log and one record's history.

use crate::{App, OrgCtx, Result};
use borgen_core::role::Permission;
use borgen_store::audit::{self, EventRow};

impl App {
    /// One page of the organisation's audit log, newest first.
    pub async fn audit_log(&self, ctx: &OrgCtx, page: u32, per_page: u32) -> Result<(Vec<EventRow>, i64)> {
        ctx.require(Permission::ReadAuditTrail)?;
        let per_page = per_page.clamp(1, 500) as i64;
        let mut tx = self.db.read().await?;
        Ok(audit::list(&mut tx, &ctx.chain(), per_page, page.saturating_sub(1) as i64 * per_page).await?)
    }

    /// The change history of one record. Readable by whoever may read the
    /// registers: the record's own history is part of the record.
    pub async fn history(&self, ctx: &OrgCtx, entity_id: &str) -> Result<Vec<EventRow>> {
        ctx.require(Permission::ReadRegisters)?;
        let mut tx = self.db.read().await?;
        Ok(audit::for_entity(&mut tx, &ctx.chain(), entity_id).await?)
    }
}
