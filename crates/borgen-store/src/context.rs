//! Clause 4.2: interested parties and their requirements (context issues are
//! a declared register, see `register.rs`). Every function takes the organisation.

use crate::{Result, Tx, decode, exec, run};
use borgen_core::context::*;
use borgen_core::ids::{OrgId, PartyId, RequirementId, UserId};

/// The searchable text of a record: its words, lower-cased by Rust's full
/// Unicode rules (the same folding is applied to the search term).
pub(crate) fn search_text(parts: &[Option<&str>]) -> String {
    parts.iter().flatten().map(|p| p.to_lowercase()).collect::<Vec<_>>().join("\n")
}

/// A `LIKE` pattern that matches `term` anywhere, with `%`, `_` and `\`
/// in the term taken literally (used with `ESCAPE '\'`).
pub(crate) fn contains_pattern(term: &str) -> String {
    let mut p = String::from("%");
    for ch in term.trim().to_lowercase().chars() {
        if matches!(ch, '%' | '_' | '\\') {
            p.push('\\');
        }
        p.push(ch);
    }
    p.push('%');
    p
}

pub(crate) fn archive_clause(f: ArchiveFilter) -> &'static str {
    match f {
        ArchiveFilter::Active => " AND archived_at IS NULL",
        ArchiveFilter::Archived => " AND archived_at IS NOT NULL",
        ArchiveFilter::All => "",
    }
}

/// Archives (`Some(now)`) or restores (`None`) a record of one of the clause-4
/// tables.
pub async fn set_archived(
    tx: &mut Tx,
    table: ArchivableTable,
    org: OrgId,
    id: &str,
    at: Option<&str>,
    now: &str,
) -> Result<bool> {
    let sql = format!("UPDATE {} SET archived_at = $3, updated_at = $4 WHERE org_id = $1 AND id = $2", table.name());
    let n = exec!(tx, |c| sqlx::query(&sql).bind(org.as_text()).bind(id).bind(at).bind(now).execute(c).await)?;
    Ok(n > 0)
}

/// The tables whose records can be archived (a closed list: no table name ever
/// comes from input).
#[derive(Clone, Copy, Debug)]
pub enum ArchivableTable {
    Parties,
    Requirements,
    AppliedControls,
    Assets,
}

impl ArchivableTable {
    fn name(self) -> &'static str {
        match self {
            ArchivableTable::Parties => "interested_parties",
            ArchivableTable::Requirements => "party_requirements",
            ArchivableTable::AppliedControls => "applied_controls",
            ArchivableTable::Assets => "assets",
        }
    }
}

#[derive(sqlx::FromRow)]
struct PartyRow {
    id: String,
    name: String,
    party_type: String,
    description: Option<String>,
    owner_id: Option<String>,
    last_reviewed: Option<String>,
    archived_at: Option<String>,
    created_at: String,
    updated_at: String,
}

impl PartyRow {
    fn party(self) -> Result<Party> {
        Ok(Party {
            id: decode("party id", &self.id, PartyId::parse)?,
            data: PartyInput {
                name: self.name,
                party_type: decode("party type", &self.party_type, PartyType::parse)?,
                description: self.description,
                owner_id: self.owner_id.as_deref().and_then(UserId::parse),
                last_reviewed: self.last_reviewed,
            },
            archived: self.archived_at.is_some(),
            created_at: self.created_at,
            updated_at: self.updated_at,
            requirements: Vec::new(),
        })
    }
}

#[derive(sqlx::FromRow)]
struct ReqRow {
    id: String,
    party_id: String,
    title: String,
    req_type: String,
    description: Option<String>,
    addressed: bool,
    how_addressed: Option<String>,
    archived_at: Option<String>,
}

impl ReqRow {
    fn req(self) -> Result<Requirement> {
        Ok(Requirement {
            id: decode("requirement id", &self.id, RequirementId::parse)?,
            party_id: decode("party id", &self.party_id, PartyId::parse)?,
            data: RequirementInput {
                title: self.title,
                req_type: decode("requirement type", &self.req_type, RequirementType::parse)?,
                description: self.description,
                addressed: self.addressed,
                how_addressed: self.how_addressed,
            },
            archived: self.archived_at.is_some(),
        })
    }
}

const PARTY_COLS: &str =
    "id, name, party_type, description, owner_id, last_reviewed, archived_at, created_at, updated_at";
const REQ_COLS: &str = "id, party_id, title, req_type, description, addressed, how_addressed, archived_at";

/// One page of parties (with their requirements) and the total that match.
pub async fn list_parties(tx: &mut Tx, org: OrgId, q: &PartyQuery) -> Result<(Vec<Party>, i64)> {
    let mut filter = String::from(" WHERE org_id = $1");
    let mut binds: Vec<String> = vec![org.as_text()];
    filter.push_str(archive_clause(q.archived));
    if let Some(t) = q.party_type {
        binds.push(t.code().into());
        filter.push_str(&format!(" AND party_type = ${}", binds.len()));
    }
    if let Some(text) = q.q.as_deref().filter(|s| !s.trim().is_empty()) {
        binds.push(contains_pattern(text));
        filter.push_str(&format!(" AND search LIKE ${} ESCAPE '\\'", binds.len()));
    }
    let dir = if q.desc { "DESC" } else { "ASC" };
    let per_page = q.per_page.clamp(1, 10_000) as i64;
    let offset = q.page.saturating_sub(1) as i64 * per_page;
    let sql = format!(
        "SELECT {PARTY_COLS} FROM interested_parties{filter} ORDER BY LOWER(name) {dir}, id LIMIT ${} OFFSET ${}",
        binds.len() + 1,
        binds.len() + 2
    );
    let rows = run!(tx, |c| {
        let mut qq = sqlx::query_as::<_, PartyRow>(&sql);
        for b in &binds {
            qq = qq.bind(b);
        }
        qq.bind(per_page).bind(offset).fetch_all(c).await
    })?;
    let count_sql = format!("SELECT COUNT(*) FROM interested_parties{filter}");
    let total: i64 = run!(tx, |c| {
        let mut qq = sqlx::query_scalar(&count_sql);
        for b in &binds {
            qq = qq.bind(b);
        }
        qq.fetch_one(c).await
    })?;
    let mut parties: Vec<Party> = rows.into_iter().map(PartyRow::party).collect::<Result<_>>()?;
    // Requirements of the parties on this page, in one query.
    if !parties.is_empty() {
        let holes: Vec<String> = (0..parties.len()).map(|i| format!("${}", i + 2)).collect();
        let sql = format!(
            "SELECT {REQ_COLS} FROM party_requirements WHERE org_id = $1 AND archived_at IS NULL AND party_id IN ({}) ORDER BY created_at, id",
            holes.join(", ")
        );
        let ids: Vec<String> = parties.iter().map(|p| p.id.as_text()).collect();
        let reqs = run!(tx, |c| {
            let mut qq = sqlx::query_as::<_, ReqRow>(&sql).bind(org.as_text());
            for id in &ids {
                qq = qq.bind(id);
            }
            qq.fetch_all(c).await
        })?;
        for r in reqs {
            let r = r.req()?;
            if let Some(p) = parties.iter_mut().find(|p| p.id == r.party_id) {
                p.requirements.push(r);
            }
        }
    }
    Ok((parties, total))
}

/// One party with all its requirements (archived ones included).
pub async fn get_party(tx: &mut Tx, org: OrgId, id: PartyId) -> Result<Option<Party>> {
    let sql = format!("SELECT {PARTY_COLS} FROM interested_parties WHERE org_id = $1 AND id = $2");
    let row = run!(tx, |c| sqlx::query_as::<_, PartyRow>(&sql)
        .bind(org.as_text())
        .bind(id.as_text())
        .fetch_optional(c)
        .await)?;
    let Some(row) = row else { return Ok(None) };
    let mut p = row.party()?;
    let sql = format!(
        "SELECT {REQ_COLS} FROM party_requirements WHERE org_id = $1 AND party_id = $2 ORDER BY created_at, id"
    );
    let reqs =
        run!(tx, |c| sqlx::query_as::<_, ReqRow>(&sql).bind(org.as_text()).bind(id.as_text()).fetch_all(c).await)?;
    p.requirements = reqs.into_iter().map(ReqRow::req).collect::<Result<_>>()?;
    Ok(Some(p))
}

pub async fn insert_party(tx: &mut Tx, org: OrgId, id: PartyId, d: &PartyInput, now: &str) -> Result<()> {
    exec!(tx, |c| {
        sqlx::query(
        "INSERT INTO interested_parties (id, org_id, name, party_type, description, owner_id, last_reviewed, archived_at, created_at, updated_at, search) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, NULL, $8, $8, $9)"
    )
    .bind(id.as_text())
    .bind(org.as_text())
    .bind(&d.name)
    .bind(d.party_type.code())
    .bind(d.description.as_deref())
    .bind(d.owner_id.map(|u| u.as_text()))
    .bind(d.last_reviewed.as_deref())
    .bind(now)
    .bind(search_text(&[Some(&d.name), d.description.as_deref()]))
    .execute(c)
    .await
    })?;
    Ok(())
}

pub async fn update_party(tx: &mut Tx, org: OrgId, id: PartyId, d: &PartyInput, now: &str) -> Result<bool> {
    let n = exec!(tx, |c| {
        sqlx::query(
        "UPDATE interested_parties SET name = $3, party_type = $4, description = $5, owner_id = $6, last_reviewed = $7, updated_at = $8, search = $9 \
         WHERE org_id = $1 AND id = $2"
    )
    .bind(org.as_text())
    .bind(id.as_text())
    .bind(&d.name)
    .bind(d.party_type.code())
    .bind(d.description.as_deref())
    .bind(d.owner_id.map(|u| u.as_text()))
    .bind(d.last_reviewed.as_deref())
    .bind(now)
    .bind(search_text(&[Some(&d.name), d.description.as_deref()]))
    .execute(c)
    .await
    })?;
    Ok(n > 0)
}

pub async fn get_requirement(tx: &mut Tx, org: OrgId, id: RequirementId) -> Result<Option<Requirement>> {
    let sql = format!("SELECT {REQ_COLS} FROM party_requirements WHERE org_id = $1 AND id = $2");
    let row =
        run!(tx, |c| sqlx::query_as::<_, ReqRow>(&sql).bind(org.as_text()).bind(id.as_text()).fetch_optional(c).await)?;
    row.map(ReqRow::req).transpose()
}

pub async fn insert_requirement(
    tx: &mut Tx,
    org: OrgId,
    party: PartyId,
    id: RequirementId,
    d: &RequirementInput,
    now: &str,
) -> Result<()> {
    exec!(tx, |c| {
        sqlx::query(
        "INSERT INTO party_requirements (id, org_id, party_id, title, req_type, description, addressed, how_addressed, archived_at, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULL, $9, $9)"
    )
    .bind(id.as_text())
    .bind(org.as_text())
    .bind(party.as_text())
    .bind(&d.title)
    .bind(d.req_type.code())
    .bind(d.description.as_deref())
    .bind(d.addressed)
    .bind(d.how_addressed.as_deref())
    .bind(now)
    .execute(c)
    .await
    })?;
    Ok(())
}

pub async fn update_requirement(
    tx: &mut Tx,
    org: OrgId,
    id: RequirementId,
    d: &RequirementInput,
    now: &str,
) -> Result<bool> {
    let n = exec!(tx, |c| {
        sqlx::query(
        "UPDATE party_requirements SET title = $3, req_type = $4, description = $5, addressed = $6, how_addressed = $7, updated_at = $8 \
         WHERE org_id = $1 AND id = $2"
    )
    .bind(org.as_text())
    .bind(id.as_text())
    .bind(&d.title)
    .bind(d.req_type.code())
    .bind(d.description.as_deref())
    .bind(d.addressed)
    .bind(d.how_addressed.as_deref())
    .bind(now)
    .execute(c)
    .await
    })?;
    Ok(n > 0)
}
