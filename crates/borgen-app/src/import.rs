//! Imports of the asset inventory and the risk register from spreadsheets:
//! every row is checked as the form would check it, against what the
//! organisation has, before anything is written; a file with any problem
//! writes nothing. Each imported record gets its audit event ("import").

use crate::{App, AppError, OrgCtx, Result, json, record};
use borgen_core::asset::AssetInput;
use borgen_core::ids::{AssetId, RiskId};
use borgen_core::import::{self as imp, ASSET_FIELDS, ImportError, Known, Mapping, RISK_FIELDS};
use borgen_core::risk::{RiskInput, reference};
use borgen_core::role::Permission;
use borgen_core::time::now_text;
use borgen_store::risk::{self as repo, Scored};
use borgen_store::{Tx, orgs};
use std::collections::{HashMap, HashSet};

/// What an import did.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Imported {
    pub created: usize,
    /// For risks: the first and last new reference (R-…).
    pub first: Option<String>,
    pub last: Option<String>,
}

/// Told how far the write has come: (rows written, rows in all).
pub type Progress<'a> = &'a (dyn Fn(usize, usize) + Sync);

/// The result of an import: done, or the problems (nothing written).
pub type Outcome = std::result::Result<Imported, Vec<ImportError>>;

/// The file's data rows under the mapping, or the file's problems.
fn prepare<'t>(
    fields: &'static [imp::Field],
    table: &'t [Vec<String>],
    choices: &[(String, String)],
) -> std::result::Result<(Mapping, Vec<imp::Row<'t>>), Vec<ImportError>> {
    let Some(headers) = table.first() else {
        return Err(vec![ImportError::file("error.import_empty")]);
    };
    let map = Mapping::with_choices(fields, headers, choices)?;
    let rows = imp::rows(table, &map)?;
    Ok((map, rows))
}

/// What every import starts with: the file's rows under the mapping, the
/// write transaction with the organisation locked, and its members.
struct Start<'t> {
    map: Mapping,
    rows: Vec<imp::Row<'t>>,
    tx: Tx,
    members: Vec<orgs::Member>,
}

impl App {
    async fn start<'t>(
        &self,
        ctx: &OrgCtx,
        fields: &'static [imp::Field],
        table: &'t [Vec<String>],
        choices: &[(String, String)],
    ) -> Result<std::result::Result<Start<'t>, Vec<ImportError>>> {
        ctx.require(Permission::ManageIsms)?;
        let (map, rows) = match prepare(fields, table, choices) {
            Ok(x) => x,
            Err(e) => return Ok(Err(e)),
        };
        let mut tx = self.db.write().await?;
        orgs::lock(&mut tx, ctx.org.id).await?;
        let mut members = orgs::members(&mut tx, ctx.org.id).await?;
        let mut seen = HashSet::new();
        members.retain(|m| seen.insert(m.user_id));
        Ok(Ok(Start { map, rows, tx, members }))
    }
}

/// Orders new assets so that each comes after the new assets it supports;
/// the ones left over support each other in a loop.
fn support_order(rows: &[(AssetId, AssetInput)]) -> (Vec<usize>, Vec<usize>) {
    let index: HashMap<AssetId, usize> = rows.iter().enumerate().map(|(i, (id, _))| (*id, i)).collect();
    let mut waiting: Vec<usize> =
        rows.iter().map(|(_, d)| d.supports.iter().filter(|s| index.contains_key(s)).count()).collect();
    let mut supported_by: Vec<Vec<usize>> = vec![Vec::new(); rows.len()];
    for (i, (_, d)) in rows.iter().enumerate() {
        for s in d.supports.iter().filter_map(|s| index.get(s)) {
            supported_by[*s].push(i);
        }
    }
    let mut order: Vec<usize> = (0..rows.len()).filter(|i| waiting[*i] == 0).collect();
    let mut at = 0;
    while at < order.len() {
        for &j in &supported_by[order[at]] {
            waiting[j] -= 1;
            if waiting[j] == 0 {
                order.push(j);
            }
        }
        at += 1;
    }
    let placed: HashSet<usize> = order.iter().copied().collect();
    let looped = (0..rows.len()).filter(|i| !placed.contains(i)).collect();
    (order, looped)
}

impl App {
    /// Adds the assets of a spreadsheet. Owners by e-mail or name, supported
    /// assets by name (existing ones or other rows of the file). A name that
    /// already exists is refused, so importing a file twice adds nothing.
    pub async fn import_assets(
        &self,
        ctx: &OrgCtx,
        table: &[Vec<String>],
        choices: &[(String, String)],
        progress: Progress<'_>,
    ) -> Result<Outcome> {
        let Start { map, rows, mut tx, members: people } = match self.start(ctx, ASSET_FIELDS, table, choices).await? {
            Ok(s) => s,
            Err(e) => return Ok(Err(e)),
        };
        let existing = repo::all_assets(&mut tx, ctx.org.id).await?;
        let mut taken: HashSet<String> =
            existing.iter().filter(|a| !a.archived).map(|a| a.data.name.trim().to_lowercase()).collect();
        let ids: Vec<AssetId> = rows.iter().map(|_| AssetId::new()).collect();
        let mut known = Known {
            members: people.iter().map(|m| (m.user_id, m.email.as_str(), m.name.as_str())).collect(),
            assets: existing.iter().filter(|a| !a.archived).map(|a| (a.id.to_string(), a.data.name.clone())).collect(),
            ..Default::default()
        };
        known.assets.extend(rows.iter().zip(&ids).map(|(r, id)| (id.to_string(), r.get("name").to_string())));
        let mut errors = Vec::new();
        let mut planned: Vec<(AssetId, AssetInput)> = Vec::new();
        for (row, id) in rows.iter().zip(&ids) {
            let (form, mut problems) = imp::asset_form(row, &map, &known);
            let name = row.get("name").trim().to_lowercase();
            if !name.is_empty() && !taken.insert(name) {
                problems.push(ImportError {
                    line: row.line,
                    column: map.header("name"),
                    key: "error.import_duplicate_name",
                });
            }
            match form.parse() {
                Ok(input) if problems.is_empty() => planned.push((*id, input)),
                _ => errors.extend(problems),
            }
        }
        let (order, looped) = support_order(&planned);
        for i in looped {
            let line = rows.iter().zip(&ids).find(|(_, id)| **id == planned[i].0).map(|(r, _)| r.line).unwrap_or(0);
            errors.push(ImportError { line, column: map.header("supports"), key: "error.import_cycle" });
        }
        if !errors.is_empty() {
            errors.sort_by_key(|e| e.line);
            return Ok(Err(errors));
        }
        let now = now_text();
        for (n, i) in order.iter().enumerate() {
            let (id, input) = &planned[*i];
            if !repo::insert_asset(&mut tx, ctx.org.id, *id, input, &now).await? {
                return Err(AppError::Internal("an imported asset supports an unknown asset".into()));
            }
            record(&mut tx, &ctx.actor, &ctx.chain(), "import", "asset", &id.as_text(), None, json(input)).await?;
            progress(n + 1, order.len());
        }
        tx.commit().await?;
        Ok(Ok(Imported { created: planned.len(), first: None, last: None }))
    }

    /// Adds the risks of a spreadsheet, numbered after the existing ones and
    /// scored with the methodology version in force. Levels may be numbers or
    /// the names on its scales; a level outside them is refused.
    pub async fn import_risks(
        &self,
        ctx: &OrgCtx,
        table: &[Vec<String>],
        choices: &[(String, String)],
        progress: Progress<'_>,
    ) -> Result<Outcome> {
        let Start { map, rows, mut tx, members: people } = match self.start(ctx, RISK_FIELDS, table, choices).await? {
            Ok(s) => s,
            Err(e) => return Ok(Err(e)),
        };
        let mv = self.methodology_for_write(&mut tx, ctx).await?;
        let assets = repo::all_assets(&mut tx, ctx.org.id).await?;
        let own = repo::own_threats(&mut tx, ctx.org.id).await?;
        let applied = borgen_store::soa::list_applied(
            &mut tx,
            ctx.org.id,
            None,
            borgen_core::context::ArchiveFilter::Active,
            None,
        )
        .await?;
        let excluded: HashSet<String> = borgen_store::soa::entries(&mut tx, ctx.org.id)
            .await?
            .into_iter()
            .filter(|e| e.applicable == Some(false))
            .map(|e| e.control_id)
            .collect();
        let known = Known {
            members: people.iter().map(|m| (m.user_id, m.email.as_str(), m.name.as_str())).collect(),
            assets: assets.iter().filter(|a| !a.archived).map(|a| (a.id.to_string(), a.data.name.clone())).collect(),
            own_threats: own
                .iter()
                .filter(|t| t.archived_at.is_none())
                .map(|t| (t.id.clone(), t.name.as_str()))
                .collect(),
            applied: applied.iter().map(|a| (a.id.to_string(), a.data.name.as_str())).collect(),
        };
        let mut errors = Vec::new();
        let mut planned: Vec<RiskInput> = Vec::new();
        for row in &rows {
            let (form, mut problems) = imp::risk_form(row, &map, &known, &mv.methodology);
            let Ok(input) = form.parse() else {
                errors.extend(problems);
                continue;
            };
            if input.treats_with_controls() {
                if input.control_ids.iter().any(|c| excluded.contains(c)) {
                    let column = map.header("control_ids");
                    problems.push(ImportError { line: row.line, column, key: "error.risk_control_excluded" });
                }
                let through_applied = applied
                    .iter()
                    .filter(|a| input.applied_control_ids.contains(&a.id.to_string()))
                    .any(|a| a.data.control_ids.iter().any(|c| excluded.contains(c)));
                if through_applied {
                    let column = map.header("applied_controls");
                    problems.push(ImportError { line: row.line, column, key: "error.risk_control_excluded" });
                }
            }
            if problems.is_empty() {
                planned.push(input);
            } else {
                errors.extend(problems);
            }
        }
        if !errors.is_empty() {
            return Ok(Err(errors));
        }
        let now = now_text();
        let first = repo::next_risk_number(&mut tx, ctx.org.id).await?;
        for (n, input) in planned.iter().enumerate() {
            let (il, rl) = input.levels(&mv.methodology);
            let s = Scored { methodology_version: mv.version, inherent_level: il, residual_level: rl };
            let id = RiskId::new();
            if !repo::insert_risk(&mut tx, ctx.org.id, id, first + n as i64, input, &s, &now).await? {
                return Err(AppError::Internal("an imported risk links an unknown record".into()));
            }
            let after = repo::get_risk(&mut tx, ctx.org.id, id).await?.ok_or(AppError::NotFound)?;
            record(&mut tx, &ctx.actor, &ctx.chain(), "import", "risk", &id.as_text(), None, json(&after)).await?;
            progress(n + 1, planned.len());
        }
        tx.commit().await?;
        let last = first + planned.len() as i64 - 1;
        Ok(Ok(Imported { created: planned.len(), first: Some(reference(first)), last: Some(reference(last)) }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use borgen_core::asset::{AssetType, Needs};

    fn asset(id: AssetId, supports: &[AssetId]) -> (AssetId, AssetInput) {
        let d = AssetInput {
            name: "x".into(),
            asset_type: AssetType::Hardware,
            description: None,
            owner_id: None,
            custodian: None,
            location: None,
            classification: None,
            needs: Needs::default(),
            supports: supports.to_vec(),
        };
        (id, d)
    }

    #[test]
    fn supported_assets_come_first_and_loops_are_found() {
        let [a, b, c, d] = [AssetId::new(), AssetId::new(), AssetId::new(), AssetId::new()];
        let outside = AssetId::new();
        let rows = vec![asset(a, &[b]), asset(b, &[c, outside]), asset(c, &[]), asset(d, &[d])];
        let (order, looped) = support_order(&rows);
        assert_eq!(order, [2, 1, 0]);
        assert_eq!(looped, [3]);
    }
}
