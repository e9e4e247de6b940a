//! The one approval use case of every numbered, approved-once version
//! ([`borgen_core::version`]): SoA versions and risk assessment runs.

use crate::{App, AppError, OrgCtx, Result, record};
use borgen_core::role::Permission;
use borgen_core::time::now_text;
use borgen_core::version::{Versioned, approval_comment};
use borgen_store::version as repo;

impl App {
    /// Approves version `number` of `v` as the acting member: top management
    /// only (403), refused (409, naming each problem) when its snapshot fails
    /// the kind's gate, a fresh second-factor code when they use one (422), once
    /// (409 the second time), a comment of their own; named as a person (id
    /// and name) in the version and in the audit trail, in one transaction.
    pub async fn approve_version(
        &self,
        ctx: &OrgCtx,
        v: &Versioned,
        number: i64,
        comment: Option<&str>,
        step: &crate::totp::StepUp,
    ) -> Result<()> {
        ctx.require(Permission::Approve)?;
        {
            let mut tx = self.db.read().await?;
            match repo::is_approved(&mut tx, v, ctx.org.id, number).await? {
                None => return Err(AppError::NotFound),
                Some(true) => return Err(AppError::Conflict(v.already_approved)),
                Some(false) => {}
            }
            if let Some(gate) = v.gate {
                let snapshot = repo::snapshot(&mut tx, v, ctx.org.id, number).await?.unwrap_or_default();
                let problems = gate(&snapshot);
                if !problems.is_empty() {
                    return Err(AppError::Blocked("error.version_gaps", problems));
                }
            }
        }
        let comment = approval_comment(comment)?;
        // The code is checked (and used up) only for an approval that can happen.
        self.step_up(ctx, step).await?;
        let mut tx = self.db.write().await?;
        let actor = ctx.actor.audit_ref();
        let now = now_text();
        if !repo::approve(&mut tx, v, ctx.org.id, number, &now, actor.id.as_deref(), &actor.label, comment.as_deref())
            .await?
        {
            return match repo::is_approved(&mut tx, v, ctx.org.id, number).await? {
                None => Err(AppError::NotFound),
                Some(_) => Err(AppError::Conflict(v.already_approved)),
            };
        }
        let after = serde_json::json!({
            "number": number, "approved_at": now, "approved_by": actor.id,
            "approved_by_label": actor.label, "comment": comment,
        });
        record(&mut tx, &ctx.actor, &ctx.chain(), "approve", v.entity, &number.to_string(), None, Some(after)).await?;
        tx.commit().await?;
        Ok(())
    }
}
