//! The one approval use case of every numbered, approved-once version
//! ([`borgen_core::version`]): SoA versions, risk assessment runs,
//! methodology versions and treatment plans; and the sign-off of a version by
//! the people its snapshot names, before approval.

use crate::{App, AppError, OrgCtx, Result, record};
use borgen_core::role::Permission;
use borgen_core::time::now_text;
use borgen_core::version::{Versioned, approval_comment, unsigned};
use borgen_store::version as repo;

impl App {
    /// Approves version `number` of `v` as the acting member: top management
    /// only (403), refused (409) when a newer version is approved already,
    /// (409, naming each problem) when its snapshot fails the kind's gate or
    /// someone it names has not signed it off, a fresh second-factor code when they use one (422), once
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
            awaiting_approval(&mut tx, v, ctx, number).await?;
            // A newer version is approved already: this one is superseded.
            if repo::newest_approved(&mut tx, v, ctx.org.id).await?.is_some_and(|newest| newest > number) {
                return Err(AppError::Conflict("error.version_superseded"));
            }
            // Only kinds with a gate or signers have a `snapshot` column.
            let snapshot = if v.gate.is_some() || v.signers.is_some() {
                repo::snapshot(&mut tx, v, ctx.org.id, number).await?.unwrap_or_default()
            } else {
                String::new()
            };
            if let Some(gate) = v.gate {
                let problems = gate(&snapshot);
                if !problems.is_empty() {
                    return Err(AppError::Blocked("error.version_gaps", problems));
                }
            }
            if let Some(signers) = v.signers {
                let signed: Vec<String> =
                    repo::signoffs(&mut tx, v, ctx.org.id, number).await?.into_iter().map(|s| s.user_id).collect();
                let open = unsigned(&signers(&snapshot), &signed);
                if !open.is_empty() {
                    return Err(AppError::Blocked("error.version_unsigned", open));
                }
            }
        }
        let comment = approval_comment(comment)?;
        // The code is checked (and used up) only for an approval that can happen.
        self.step_up(ctx, step).await?;
        let mut tx = self.db.write().await?;
        // Checked again under the organisation's lock: two approvals at once
        // must not both pass the "superseded" rule.
        borgen_store::orgs::lock(&mut tx, ctx.org.id).await?;
        if repo::newest_approved(&mut tx, v, ctx.org.id).await?.is_some_and(|newest| newest > number) {
            return Err(AppError::Conflict("error.version_superseded"));
        }
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

    /// Signs version `number` of `v` off as the acting member: only a person
    /// the frozen snapshot names (403 for anyone else), before approval (409
    /// after), once (409 the second time), with an optional comment and a
    /// fresh second-factor code when they use one (422); in the version's
    /// sign-offs and the audit trail, in one transaction.
    pub async fn sign_off_version(
        &self,
        ctx: &OrgCtx,
        v: &Versioned,
        number: i64,
        comment: Option<&str>,
        step: &crate::totp::StepUp,
    ) -> Result<()> {
        let Some(signers) = v.signers else { return Err(AppError::NotFound) };
        // Signing off is accepting the treatment and the residual risk (6.1.3 f):
        // only a member who may still own risks.
        ctx.require(Permission::ReadRegisters)?;
        if !ctx.roles.may_own_risks() {
            return Err(AppError::Forbidden);
        }
        let me = ctx.actor.user_id().ok_or(AppError::Forbidden)?.to_string();
        {
            let mut tx = self.db.read().await?;
            awaiting_approval(&mut tx, v, ctx, number).await?;
            if repo::newest_approved(&mut tx, v, ctx.org.id).await?.is_some_and(|newest| newest > number) {
                return Err(AppError::Conflict("error.version_superseded"));
            }
            let snapshot = repo::snapshot(&mut tx, v, ctx.org.id, number).await?.unwrap_or_default();
            if !signers(&snapshot).iter().any(|s| s.user_id == me) {
                return Err(AppError::Forbidden);
            }
            if repo::signoffs(&mut tx, v, ctx.org.id, number).await?.iter().any(|s| s.user_id == me) {
                return Err(AppError::Conflict("error.signed_already"));
            }
        }
        let comment = approval_comment(comment)?;
        self.step_up(ctx, step).await?;
        let mut tx = self.db.write().await?;
        let actor = ctx.actor.audit_ref();
        let now = now_text();
        if repo::is_approved(&mut tx, v, ctx.org.id, number).await? != Some(false) {
            return Err(AppError::Conflict(v.already_approved));
        }
        if !repo::sign(&mut tx, v, ctx.org.id, number, &me, &actor.label, &now, comment.as_deref()).await? {
            return Err(AppError::Conflict("error.signed_already"));
        }
        let after = serde_json::json!({
            "number": number, "signed_at": now, "signed_by": actor.id, "signed_by_label": actor.label, "comment": comment,
        });
        record(&mut tx, &ctx.actor, &ctx.chain(), "sign_off", v.entity, &number.to_string(), None, Some(after)).await?;
        tx.commit().await?;
        Ok(())
    }
}

/// Version `number` of `v` exists (404) and is not approved yet (409).
async fn awaiting_approval(tx: &mut borgen_store::Tx, v: &Versioned, ctx: &OrgCtx, number: i64) -> Result<()> {
    match repo::is_approved(tx, v, ctx.org.id, number).await? {
        None => Err(AppError::NotFound),
        Some(true) => Err(AppError::Conflict(v.already_approved)),
        Some(false) => Ok(()),
    }
}

/// A version's note: optional, trimmed, at most [`borgen_core::text::LONG`]
/// characters, no control characters.
pub(crate) fn version_note(note: Option<&str>) -> Result<Option<&str>> {
    let note = note.map(str::trim).filter(|s| !s.is_empty());
    if note.is_some_and(|n| n.chars().count() > borgen_core::text::LONG) {
        return Err(crate::invalid("note", "error.too_long_long"));
    }
    if let Some(key) = note.and_then(|n| borgen_core::text::bad_chars(n, true)) {
        return Err(crate::invalid("note", key));
    }
    Ok(note)
}
