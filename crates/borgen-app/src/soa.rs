//! Statement of Applicability use cases: the 93 rows with reasons derived
//! from links, the rules, issuing and approving versions; and the applied
//! controls register the rows draw their status from.

use crate::{App, AppError, OrgCtx, Result, json, record};
use borgen_core::catalog;
use borgen_core::ids::RequirementId;
use borgen_core::role::Permission;
use borgen_core::soa::*;
use borgen_core::time::now_text;
use borgen_store::soa::{self as repo, VersionRow};
use borgen_store::version as versions;

/// The SoA's versions ([`borgen_core::version::SOA_VERSIONS`]).
const V: &borgen_core::version::Versioned = &borgen_core::version::SOA_VERSIONS;
use borgen_store::{Tx, orgs};

use crate::invalid;

/// Builds the 93 rows of an organisation's SoA from its entries and links.
async fn build_rows(tx: &mut Tx, ctx: &OrgCtx) -> Result<Vec<SoaRow>> {
    let org = ctx.org.id;
    let entries = repo::entries(tx, org).await?;
    let reqs = repo::requirement_links(tx, org).await?;
    let applied = repo::applied_by_control(tx, org).await?;
    let members = orgs::members(tx, org).await?;
    let treating = borgen_store::risk::treating_risks(tx, org).await?;
    let mut rows = Vec::with_capacity(93);
    for c in catalog::controls() {
        let input = entries.iter().find(|e| e.control_id == c.id).map(|e| e.input()).unwrap_or_default();
        let requirements: Vec<LinkedRequirement> =
            reqs.iter().filter(|(cid, _)| *cid == c.id).map(|(_, r)| r.clone()).collect();
        let applied_controls: Vec<LinkedApplied> =
            applied.iter().filter(|(cid, _)| *cid == c.id).map(|(_, a)| a.clone()).collect();
        let types: Vec<&str> = requirements.iter().map(|r| r.req_type.as_str()).collect();
        let mut risks: Vec<String> = treating.iter().filter(|(cid, _)| *cid == c.id).map(|(_, r)| r.clone()).collect();
        risks.dedup();
        let derived = derived_reasons(&types, !risks.is_empty());
        let mut reasons = input.reasons.clone();
        for r in &derived {
            if !reasons.contains(r) {
                reasons.push(*r);
            }
        }
        reasons.sort_by_key(|r| Reason::ALL.iter().position(|x| x == r));
        let statuses: Vec<ImplStatus> = applied_controls.iter().map(|a| a.status).collect();
        rows.push(SoaRow {
            control_id: c.id.clone(),
            applicable: input.applicable,
            reasons: if input.applicable == Some(false) { Vec::new() } else { reasons },
            derived_reasons: derived,
            inclusion_note: input.inclusion_note,
            exclusion_justification: input.exclusion_justification,
            status: effective_status(input.applicable, input.status, &statuses),
            status_derived: input.applicable != Some(false) && !statuses.is_empty(),
            owner_id: input.owner_id,
            owner_name: input.owner_id.and_then(|o| members.iter().find(|m| m.user_id == o).map(|m| m.name.clone())),
            requirements,
            applied_controls,
            risks,
        });
    }
    Ok(rows)
}

impl App {
    /// The organisation's current SoA (the draft): 93 rows.
    pub async fn soa_rows(&self, ctx: &OrgCtx) -> Result<Vec<SoaRow>> {
        ctx.require(Permission::ReadRegisters)?;
        let mut tx = self.db.read().await?;
        build_rows(&mut tx, ctx).await
    }

    pub async fn soa_row(&self, ctx: &OrgCtx, control_id: &str) -> Result<SoaRow> {
        self.soa_rows(ctx).await?.into_iter().find(|r| r.control_id == control_id).ok_or(AppError::NotFound)
    }

    /// Sets one row. The ISMS manager sets any row; a contributor the rows
    /// they own (without handing them to someone else). The rules of the SoA
    /// are checked with the reasons that the requirement links give.
    pub async fn update_soa_row(
        &self,
        ctx: &OrgCtx,
        control_id: &str,
        input: SoaEntryInput,
        requirement_ids: Vec<RequirementId>,
    ) -> Result<SoaRow> {
        ctx.require(Permission::ReadRegisters)?;
        if catalog::control(control_id).is_none() {
            return Err(AppError::NotFound);
        }
        let mut tx = self.db.write().await?;
        let before = build_rows(&mut tx, ctx)
            .await?
            .into_iter()
            .find(|r| r.control_id == control_id)
            .ok_or(AppError::NotFound)?;
        if !ctx.can_edit_owned(before.owner_id) {
            return Err(AppError::Forbidden);
        }
        if !ctx.can(Permission::ManageIsms) && input.owner_id != before.owner_id {
            return Err(AppError::Forbidden);
        }
        if let Some(o) = input.owner_id
            && orgs::roles(&mut tx, ctx.org.id, o).await?.0.is_empty()
        {
            return Err(invalid("owner_id", "error.unknown_owner"));
        }
        if !repo::set_requirement_links(&mut tx, ctx.org.id, control_id, &requirement_ids).await? {
            return Err(invalid("requirement_ids", "error.unknown_requirement"));
        }
        let types: Vec<String> = repo::requirement_links(&mut tx, ctx.org.id)
            .await?
            .into_iter()
            .filter(|(c, _)| c == control_id)
            .map(|(_, r)| r.req_type)
            .collect();
        let types: Vec<&str> = types.iter().map(String::as_str).collect();
        let treats_risk = !before.risks.is_empty();
        check(&input, &derived_reasons(&types, treats_risk), treats_risk).map_err(AppError::Invalid)?;
        repo::upsert_entry(&mut tx, ctx.org.id, control_id, &input, &now_text()).await?;
        let after = build_rows(&mut tx, ctx)
            .await?
            .into_iter()
            .find(|r| r.control_id == control_id)
            .ok_or(AppError::NotFound)?;
        if after != before {
            record(&mut tx, &ctx.actor, &ctx.chain(), "update", "soa_row", control_id, json(&before), json(&after))
                .await?;
        }
        tx.commit().await?;
        Ok(after)
    }

    /// What stands in the way of issuing the current SoA ([`gaps`]).
    pub async fn soa_gaps(&self, ctx: &OrgCtx) -> Result<Vec<Gap>> {
        Ok(gaps(&self.soa_rows(ctx).await?))
    }

    /// Freezes the current SoA as a new version (ISMS manager), refused (409,
    /// naming each control) while any control is undecided or contradicted.
    pub async fn issue_soa_version(&self, ctx: &OrgCtx, note: Option<&str>) -> Result<i64> {
        ctx.require(Permission::ManageIsms)?;
        let note = crate::version::version_note(note)?;
        let mut tx = self.db.write().await?;
        borgen_store::orgs::lock(&mut tx, ctx.org.id).await?;
        let rows = build_rows(&mut tx, ctx).await?;
        let open = gaps(&rows);
        if !open.is_empty() {
            return Err(AppError::Blocked("error.soa_gaps", open.iter().map(Gap::problem).collect()));
        }
        let snapshot = serde_json::to_string(&rows).map_err(|e| AppError::Internal(e.to_string()))?;
        let actor = ctx.actor.audit_ref();
        let number =
            versions::insert(&mut tx, V, ctx.org.id, note, &snapshot, &now_text(), actor.id.as_deref(), &actor.label)
                .await?;
        let after = serde_json::json!({ "number": number, "note": note, "progress": progress(&rows) });
        record(&mut tx, &ctx.actor, &ctx.chain(), "issue", "soa_version", &number.to_string(), None, Some(after))
            .await?;
        tx.commit().await?;
        Ok(number)
    }

    pub async fn soa_versions(&self, ctx: &OrgCtx) -> Result<Vec<VersionRow>> {
        ctx.require(Permission::ReadRegisters)?;
        let mut tx = self.db.read().await?;
        Ok(versions::list(&mut tx, V, ctx.org.id).await?)
    }

    pub async fn soa_version(&self, ctx: &OrgCtx, number: i64) -> Result<VersionRow> {
        ctx.require(Permission::ReadRegisters)?;
        let mut tx = self.db.read().await?;
        versions::get(&mut tx, V, ctx.org.id, number).await?.ok_or(AppError::NotFound)
    }

    /// The newest approved version, if any.
    pub async fn last_approved_soa(&self, ctx: &OrgCtx) -> Result<Option<VersionRow>> {
        Ok(self.soa_versions(ctx).await?.into_iter().find(|v| v.approved_at.is_some()))
    }
}

/// What an import did.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct ImportOutcome {
    pub rows: usize,
    pub changed: usize,
}

impl App {
    /// Imports applicability, reasons, justification and status keyed by
    /// control id (owner and links stay as they are). Every row is checked
    /// against the SoA's rules first; a file with any error changes nothing
    /// and the errors come back with their line numbers.
    pub async fn import_soa(
        &self,
        ctx: &OrgCtx,
        table: &[Vec<String>],
    ) -> Result<std::result::Result<ImportOutcome, Vec<ImportError>>> {
        ctx.require(Permission::ManageIsms)?;
        let rows = match parse_import(table) {
            Ok(r) => r,
            Err(e) => return Ok(Err(e)),
        };
        let mut tx = self.db.write().await?;
        let current = build_rows(&mut tx, ctx).await?;
        let entries = repo::entries(&mut tx, ctx.org.id).await?;
        let mut planned: Vec<(String, SoaEntryInput)> = Vec::new();
        let mut errors = Vec::new();
        for r in &rows {
            let mut input =
                entries.iter().find(|e| e.control_id == r.control_id).map(|e| e.input()).unwrap_or_default();
            input.applicable = r.applicable;
            input.reasons = r.reasons.clone();
            match r.applicable {
                Some(false) => input.exclusion_justification = r.justification.clone(),
                _ => {
                    if r.justification.is_some() {
                        input.inclusion_note = r.justification.clone();
                    }
                }
            }
            if r.status.is_some() {
                input.status = r.status;
            }
            let row = current.iter().find(|c| c.control_id == r.control_id);
            let derived = row.map(|c| c.derived_reasons.clone()).unwrap_or_default();
            let treats_risk = row.is_some_and(|c| !c.risks.is_empty());
            if let Err(e) = check(&input, &derived, treats_risk) {
                for f in e.0 {
                    let column = match f.field {
                        "exclusion_justification" => "justification",
                        other => other,
                    };
                    errors.push(ImportError { line: r.line, column: column.to_string(), key: f.key });
                }
            }
            planned.push((r.control_id.clone(), input));
        }
        if !errors.is_empty() {
            return Ok(Err(errors));
        }
        let now = now_text();
        let mut changed = 0;
        for (control_id, input) in &planned {
            repo::upsert_entry(&mut tx, ctx.org.id, control_id, input, &now).await?;
        }
        let after_rows = build_rows(&mut tx, ctx).await?;
        for (control_id, _) in &planned {
            let before = current.iter().find(|r| &r.control_id == control_id);
            let after = after_rows.iter().find(|r| &r.control_id == control_id);
            if before != after {
                changed += 1;
                record(
                    &mut tx,
                    &ctx.actor,
                    &ctx.chain(),
                    "import",
                    "soa_row",
                    control_id,
                    before.and_then(json),
                    after.and_then(json),
                )
                .await?;
            }
        }
        tx.commit().await?;
        Ok(Ok(ImportOutcome { rows: planned.len(), changed }))
    }
}
