//! Helpers the list queries share: search text, `LIKE` patterns, the archive
//! filter, and archiving in the tables not yet declared as registers.

use crate::{Result, Tx, exec};
use borgen_core::context::ArchiveFilter;
use borgen_core::ids::OrgId;

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

/// Archives (`Some(now)`) or restores (`None`) a record of one of these tables.
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
    Assets,
}

impl ArchivableTable {
    fn name(self) -> &'static str {
        match self {
            ArchivableTable::Assets => "assets",
        }
    }
}
