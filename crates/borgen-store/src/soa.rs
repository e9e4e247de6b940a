//! The Statement of Applicability, applied controls and SoA versions. Every
//! function takes the organisation.

use crate::context::{archive_clause, contains_pattern, search_text};
use crate::{Result, Tx, decode, exec, run};
use borgen_core::context::ArchiveFilter;
use borgen_core::ids::{AppliedControlId, OrgId, RequirementId, SoaVersionId, UserId};
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

#[derive(sqlx::FromRow)]
struct AppliedRow {
    id: String,
    name: String,
    description: Option<String>,
    owner_id: Option<String>,
    status: String,
    effectiveness: Option<String>,
    due_date: Option<String>,
    evidence: Option<String>,
    archived_at: Option<String>,
    created_at: String,
    updated_at: String,
}

impl AppliedRow {
    fn applied(self, control_ids: Vec<String>) -> Result<AppliedControl> {
        Ok(AppliedControl {
            id: decode("applied control id", &self.id, AppliedControlId::parse)?,
            data: AppliedControlInput {
                name: self.name,
                description: self.description,
                owner_id: self.owner_id.as_deref().and_then(UserId::parse),
                status: decode("status", &self.status, ImplStatus::parse)?,
                effectiveness: self.effectiveness,
                due_date: self.due_date,
                evidence: self.evidence,
                control_ids,
            },
            archived: self.archived_at.is_some(),
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

const APPLIED_COLS: &str =
    "id, name, description, owner_id, status, effectiveness, due_date, evidence, archived_at, created_at, updated_at";

/// Every link from an applied control to an Annex A control, as
/// (applied control id, control id).
async fn applied_link_pairs(tx: &mut Tx, org: OrgId) -> Result<Vec<(String, String)>> {
    Ok(run!(tx, |c| sqlx::query_as(
        "SELECT applied_control_id, control_id FROM applied_control_links WHERE org_id = $1"
    )
    .bind(org.as_text())
    .fetch_all(c)
    .await)?)
}

/// Applied controls matching the filters, with their Annex A links.
pub async fn list_applied(
    tx: &mut Tx,
    org: OrgId,
    q: Option<&str>,
    archived: ArchiveFilter,
    control: Option<&str>,
) -> Result<Vec<AppliedControl>> {
    Ok(applied_query(tx, org, q, archived, control, None).await?.0)
}

/// One page of the applied controls matching the filters (in name order), and
/// how many match.
#[allow(clippy::too_many_arguments)]
pub async fn list_applied_page(
    tx: &mut Tx,
    org: OrgId,
    q: Option<&str>,
    archived: ArchiveFilter,
    control: Option<&str>,
    page: u32,
    per_page: u32,
) -> Result<(Vec<AppliedControl>, i64)> {
    applied_query(tx, org, q, archived, control, Some((page, per_page))).await
}

async fn applied_query(
    tx: &mut Tx,
    org: OrgId,
    q: Option<&str>,
    archived: ArchiveFilter,
    control: Option<&str>,
    page: Option<(u32, u32)>,
) -> Result<(Vec<AppliedControl>, i64)> {
    let mut filter = String::from(" WHERE org_id = $1");
    let mut binds = vec![org.as_text()];
    filter.push_str(archive_clause(archived));
    if let Some(text) = q.filter(|s| !s.trim().is_empty()) {
        binds.push(contains_pattern(text));
        filter.push_str(&format!(" AND search LIKE ${} ESCAPE '\\'", binds.len()));
    }
    if let Some(cid) = control {
        binds.push(cid.to_string());
        filter.push_str(&format!(
            " AND id IN (SELECT applied_control_id FROM applied_control_links WHERE org_id = $1 AND control_id = ${})",
            binds.len()
        ));
    }
    let paging = page.map(|(page, per_page)| {
        let per_page = i64::from(per_page.clamp(1, 500));
        (per_page, i64::from(page.saturating_sub(1)) * per_page)
    });
    let limit = match paging {
        Some(_) => format!(" LIMIT ${} OFFSET ${}", binds.len() + 1, binds.len() + 2),
        None => String::new(),
    };
    let sql = format!("SELECT {APPLIED_COLS} FROM applied_controls{filter} ORDER BY LOWER(name), id{limit}");
    let rows = run!(tx, |c| {
        let mut qq = sqlx::query_as::<_, AppliedRow>(&sql);
        for b in &binds {
            qq = qq.bind(b);
        }
        if let Some((limit, offset)) = paging {
            qq = qq.bind(limit).bind(offset);
        }
        qq.fetch_all(c).await
    })?;
    let total = if page.is_none() {
        rows.len() as i64
    } else {
        let count_sql = format!("SELECT COUNT(*) FROM applied_controls{filter}");
        run!(tx, |c| {
            let mut qq = sqlx::query_scalar(&count_sql);
            for b in &binds {
                qq = qq.bind(b);
            }
            qq.fetch_one(c).await
        })?
    };
    let links = if page.is_none() {
        applied_link_pairs(tx, org).await?
    } else {
        // Only the page's links.
        let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
        let mut links = Vec::new();
        for chunk in ids.chunks(400) {
            let marks: Vec<String> = (0..chunk.len()).map(|i| format!("${}", i + 2)).collect();
            let sql = format!(
                "SELECT applied_control_id, control_id FROM applied_control_links \
                 WHERE org_id = $1 AND applied_control_id IN ({})",
                marks.join(", ")
            );
            let part: Vec<(String, String)> = run!(tx, |c| {
                let mut qq = sqlx::query_as(&sql).bind(org.as_text());
                for id in chunk {
                    qq = qq.bind(id);
                }
                qq.fetch_all(c).await
            })?;
            links.extend(part);
        }
        links
    };
    let items = rows
        .into_iter()
        .map(|r| {
            let mut ids: Vec<String> = links.iter().filter(|(a, _)| *a == r.id).map(|(_, c)| c.clone()).collect();
            ids.sort_by_key(|id| borgen_core::catalog::control(id).map(|c| c.order()));
            r.applied(ids)
        })
        .collect::<Result<Vec<_>>>()?;
    Ok((items, total))
}

pub async fn get_applied(tx: &mut Tx, org: OrgId, id: AppliedControlId) -> Result<Option<AppliedControl>> {
    let sql = format!("SELECT {APPLIED_COLS} FROM applied_controls WHERE org_id = $1 AND id = $2");
    let row = run!(tx, |c| sqlx::query_as::<_, AppliedRow>(&sql)
        .bind(org.as_text())
        .bind(id.as_text())
        .fetch_optional(c)
        .await)?;
    let Some(row) = row else { return Ok(None) };
    let mut ids: Vec<String> = run!(tx, |c| sqlx::query_scalar(
        "SELECT control_id FROM applied_control_links WHERE org_id = $1 AND applied_control_id = $2"
    )
    .bind(org.as_text())
    .bind(id.as_text())
    .fetch_all(c)
    .await)?;
    ids.sort_by_key(|id| borgen_core::catalog::control(id).map(|c| c.order()));
    Ok(Some(row.applied(ids)?))
}

async fn set_applied_links(tx: &mut Tx, org: OrgId, id: AppliedControlId, control_ids: &[String]) -> Result<()> {
    exec!(tx, |c| sqlx::query("DELETE FROM applied_control_links WHERE org_id = $1 AND applied_control_id = $2")
        .bind(org.as_text())
        .bind(id.as_text())
        .execute(c)
        .await)?;
    for cid in control_ids {
        exec!(tx, |c| sqlx::query(
            "INSERT INTO applied_control_links (org_id, applied_control_id, control_id) VALUES ($1, $2, $3)"
        )
        .bind(org.as_text())
        .bind(id.as_text())
        .bind(cid)
        .execute(c)
        .await)?;
    }
    Ok(())
}

fn applied_search(d: &AppliedControlInput) -> String {
    search_text(&[Some(&d.name), d.description.as_deref(), d.evidence.as_deref(), Some(&d.control_ids.join(" "))])
}

pub async fn insert_applied(
    tx: &mut Tx,
    org: OrgId,
    id: AppliedControlId,
    d: &AppliedControlInput,
    now: &str,
) -> Result<()> {
    exec!(tx, |c| {
        sqlx::query(
        "INSERT INTO applied_controls (id, org_id, name, description, owner_id, status, effectiveness, due_date, evidence, archived_at, created_at, updated_at, search) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, NULL, $10, $10, $11)"
    )
    .bind(id.as_text())
    .bind(org.as_text())
    .bind(&d.name)
    .bind(d.description.as_deref())
    .bind(d.owner_id.map(|u| u.as_text()))
    .bind(d.status.code())
    .bind(d.effectiveness.as_deref())
    .bind(d.due_date.as_deref())
    .bind(d.evidence.as_deref())
    .bind(now)
    .bind(applied_search(d))
    .execute(c)
    .await
    })?;
    set_applied_links(tx, org, id, &d.control_ids).await
}

pub async fn update_applied(
    tx: &mut Tx,
    org: OrgId,
    id: AppliedControlId,
    d: &AppliedControlInput,
    now: &str,
) -> Result<()> {
    exec!(tx, |c| {
        sqlx::query(
        "UPDATE applied_controls SET name = $3, description = $4, owner_id = $5, status = $6, effectiveness = $7, due_date = $8, \
         evidence = $9, updated_at = $10, search = $11 WHERE org_id = $1 AND id = $2"
    )
    .bind(org.as_text())
    .bind(id.as_text())
    .bind(&d.name)
    .bind(d.description.as_deref())
    .bind(d.owner_id.map(|u| u.as_text()))
    .bind(d.status.code())
    .bind(d.effectiveness.as_deref())
    .bind(d.due_date.as_deref())
    .bind(d.evidence.as_deref())
    .bind(now)
    .bind(applied_search(d))
    .execute(c)
    .await
    })?;
    set_applied_links(tx, org, id, &d.control_ids).await
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

/// An issued SoA version.
#[derive(Clone, Debug, serde::Serialize, sqlx::FromRow)]
pub struct VersionRow {
    pub id: String,
    pub number: i64,
    pub note: Option<String>,
    #[serde(skip)]
    pub snapshot: String,
    pub issued_at: String,
    pub issued_by: Option<String>,
    pub issued_by_label: String,
    pub approved_at: Option<String>,
    pub approved_by: Option<String>,
    pub approved_by_label: Option<String>,
    pub approval_comment: Option<String>,
}

impl VersionRow {
    pub fn rows(&self) -> Result<Vec<SoaRow>> {
        serde_json::from_str(&self.snapshot)
            .map_err(|e| crate::StoreError::Corrupt(format!("SoA version {}: {e}", self.number)))
    }
}

const VERSION_COLS: &str = "id, number, note, snapshot, issued_at, issued_by, issued_by_label, approved_at, approved_by, approved_by_label, approval_comment";

pub async fn versions(tx: &mut Tx, org: OrgId) -> Result<Vec<VersionRow>> {
    let sql = format!("SELECT {VERSION_COLS} FROM soa_versions WHERE org_id = $1 ORDER BY number DESC");
    Ok(run!(tx, |c| sqlx::query_as::<_, VersionRow>(&sql).bind(org.as_text()).fetch_all(c).await)?)
}

pub async fn version(tx: &mut Tx, org: OrgId, number: i64) -> Result<Option<VersionRow>> {
    let sql = format!("SELECT {VERSION_COLS} FROM soa_versions WHERE org_id = $1 AND number = $2");
    Ok(run!(tx, |c| sqlx::query_as::<_, VersionRow>(&sql).bind(org.as_text()).bind(number).fetch_optional(c).await)?)
}

/// Stores a new version with the next number and returns that number.
pub async fn insert_version(
    tx: &mut Tx,
    org: OrgId,
    note: Option<&str>,
    snapshot: &str,
    at: &str,
    by: Option<&str>,
    by_label: &str,
) -> Result<i64> {
    let next: i64 =
        run!(tx, |c| sqlx::query_scalar("SELECT COALESCE(MAX(number), 0) + 1 FROM soa_versions WHERE org_id = $1")
            .bind(org.as_text())
            .fetch_one(c)
            .await)?;
    exec!(tx, |c| sqlx::query(
        "INSERT INTO soa_versions (id, org_id, number, note, snapshot, issued_at, issued_by, issued_by_label) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
    )
    .bind(SoaVersionId::new().as_text())
    .bind(org.as_text())
    .bind(next)
    .bind(note)
    .bind(snapshot)
    .bind(at)
    .bind(by)
    .bind(by_label)
    .execute(c)
    .await)?;
    Ok(next)
}
