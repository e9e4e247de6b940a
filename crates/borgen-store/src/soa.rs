//! The Statement of Applicability and SoA versions (applied controls are a
//! declared register: `register.rs`). Every function takes the organisation.

use crate::{Result, Tx, decode, exec, run};
use borgen_core::ids::{OrgId, RequirementId, UserId};
use borgen_core::soa::*;

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct EntryRow {
    pub control_id: String,
    pub applicable: Option<bool>,
    pub reasons: String,
    pub inclusion_note: Option<String>,
    pub exclusion_justification: Option<String>,
    pub status: Option<String>,
    pub owner_id: Option<String>,
}

impl EntryRow {
    pub fn input(&self) -> SoaEntryInput {
        SoaEntryInput {
            applicable: self.applicable,
            reasons: self.reasons.split(',').filter_map(Reason::parse).collect(),
            inclusion_note: self.inclusion_note.clone(),
            exclusion_justification: self.exclusion_justification.clone(),
            status: self.status.as_deref().and_then(ImplStatus::parse),
            owner_id: self.owner_id.as_deref().and_then(UserId::parse),
        }
    }
}

/// Every decided row of the organisation's SoA.
pub async fn entries(tx: &mut Tx, org: OrgId) -> Result<Vec<EntryRow>> {
    Ok(run!(tx, |c| sqlx::query_as::<_, EntryRow>(
        "SELECT control_id, applicable, reasons, inclusion_note, exclusion_justification, status, owner_id \
         FROM soa_entries WHERE org_id = $1"
    )
    .bind(org.as_text())
    .fetch_all(c)
    .await)?)
}

pub async fn upsert_entry(tx: &mut Tx, org: OrgId, control_id: &str, d: &SoaEntryInput, now: &str) -> Result<()> {
    let reasons: Vec<&str> = d.reasons.iter().map(|r| r.code()).collect();
    exec!(tx, |c| {
        sqlx::query(
        "INSERT INTO soa_entries (org_id, control_id, applicable, reasons, inclusion_note, exclusion_justification, status, owner_id, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
         ON CONFLICT (org_id, control_id) DO UPDATE SET applicable = $3, reasons = $4, inclusion_note = $5, \
         exclusion_justification = $6, status = $7, owner_id = $8, updated_at = $9"
    )
    .bind(org.as_text())
    .bind(control_id)
    .bind(d.applicable)
    .bind(reasons.join(","))
    .bind(d.inclusion_note.as_deref())
    .bind(d.exclusion_justification.as_deref())
    .bind(d.status.map(|s| s.code()))
    .bind(d.owner_id.map(|u| u.as_text()))
    .bind(now)
    .execute(c)
    .await
    })?;
    Ok(())
}

/// The 4.2 requirements linked to each control (live requirements of live
/// parties only), as (control id, requirement).
pub async fn requirement_links(tx: &mut Tx, org: OrgId) -> Result<Vec<(String, LinkedRequirement)>> {
    let rows: Vec<(String, String, String, String, String)> = run!(tx, |c| sqlx::query_as(
        "SELECT l.control_id, r.id, r.title, p.name, r.req_type FROM soa_requirement_links l \
         JOIN party_requirements r ON r.id = l.requirement_id AND r.org_id = l.org_id \
         JOIN interested_parties p ON p.id = r.party_id AND p.org_id = r.org_id \
         WHERE l.org_id = $1 AND r.archived_at IS NULL AND p.archived_at IS NULL ORDER BY l.control_id, p.name, r.title"
    )
    .bind(org.as_text())
    .fetch_all(c)
    .await)?;
    Ok(rows
        .into_iter()
        .map(|(control, id, title, party, req_type)| (control, LinkedRequirement { id, title, party, req_type }))
        .collect())
}

/// Replaces the requirement links of one control. Returns false when a
/// requirement is not one of this organisation's.
pub async fn set_requirement_links(tx: &mut Tx, org: OrgId, control_id: &str, ids: &[RequirementId]) -> Result<bool> {
    exec!(tx, |c| sqlx::query("DELETE FROM soa_requirement_links WHERE org_id = $1 AND control_id = $2")
        .bind(org.as_text())
        .bind(control_id)
        .execute(c)
        .await)?;
    for id in ids {
        let n = exec!(tx, |c| sqlx::query(
            "INSERT INTO soa_requirement_links (org_id, control_id, requirement_id) \
             SELECT $1, $2, id FROM party_requirements WHERE org_id = $1 AND id = $3 \
             ON CONFLICT (org_id, control_id, requirement_id) DO NOTHING"
        )
        .bind(org.as_text())
        .bind(control_id)
        .bind(id.as_text())
        .execute(c)
        .await)?;
        if n == 0 {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Live applied controls per Annex A control, as (control id, applied).
pub async fn applied_by_control(tx: &mut Tx, org: OrgId) -> Result<Vec<(String, LinkedApplied)>> {
    let rows: Vec<(String, String, String, String)> = run!(tx, |c| sqlx::query_as(
        "SELECT l.control_id, a.id, a.name, a.status FROM applied_control_links l \
         JOIN applied_controls a ON a.id = l.applied_control_id AND a.org_id = l.org_id \
         WHERE l.org_id = $1 AND a.archived_at IS NULL ORDER BY l.control_id, LOWER(a.name)"
    )
    .bind(org.as_text())
    .fetch_all(c)
    .await)?;
    rows.into_iter()
        .map(|(control, id, name, status)| {
            Ok((control, LinkedApplied { id, name, status: decode("status", &status, ImplStatus::parse)? }))
        })
        .collect()
}

pub use crate::version::VersionRow;

impl VersionRow {
    /// The frozen rows of an SoA version.
    pub fn rows(&self) -> Result<Vec<SoaRow>> {
        self.snapshot_as()
    }
}
