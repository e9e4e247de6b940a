//! Imports of the asset inventory and the risk register from spreadsheets:
//! every row is checked as the form would check it, against what the
//! organisation has, before anything is written; a file with any problem
//! writes nothing. Each imported record gets its audit event ("import").

use crate::{App, AppError, OrgCtx, Result, json};
use borgen_core::ids::RiskId;
use borgen_core::import::{self as imp, ASSET_FIELDS, ImportError, Known, Mapping, RISK_FIELDS};
use borgen_core::register::{Record, RecordId, Value};
use borgen_core::registers::{ASSETS, AssetRef};
use borgen_core::risk::{Risk, RiskInput, reference};
use borgen_core::role::Permission;
use borgen_core::time::now_text;
use borgen_store::audit::NewEvent;
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

/// A sheet read into rows of text, shared with the job that resolves it.
pub type Table = std::sync::Arc<Vec<Vec<String>>>;

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

/// How often an import reads and resolves again when the organisation
/// changed while it was resolving, before it gives up.
const ATTEMPTS: usize = 3;

/// Where an organisation's data stood when an import read it: the heads of
/// its audit chain and of the installation's (members and users). Every
/// change moves one of them, so equal heads mean the resolution still holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Mark(i64, i64);

impl App {
    async fn mark(&self, tx: &mut Tx, ctx: &OrgCtx) -> Result<Mark> {
        let org = borgen_store::audit::head_seq(tx, &ctx.chain()).await?;
        let installation = borgen_store::audit::head_seq(tx, borgen_core::audit::INSTALLATION_CHAIN).await?;
        Ok(Mark(org, installation))
    }

    /// Opens the write transaction for an import resolved at `mark`, with the
    /// organisation locked; `None` when something changed since.
    async fn write_if_unchanged(&self, ctx: &OrgCtx, mark: Mark) -> Result<Option<Tx>> {
        let mut tx = self.db.write().await?;
        orgs::lock(&mut tx, ctx.org.id).await?;
        if self.mark(&mut tx, ctx).await? == mark {
            return Ok(Some(tx));
        }
        tracing::info!(org = %ctx.org.slug, "the organisation changed while an import was resolved; resolving again");
        Ok(None)
    }
}

/// The organisation's members, once each.
fn unique_members(mut members: Vec<orgs::Member>) -> Vec<orgs::Member> {
    let mut seen = HashSet::new();
    members.retain(|m| seen.insert(m.user_id));
    members
}

/// An asset import resolved against a snapshot: the assets in the order to
/// write them, or the file's problems.
fn plan_assets(
    table: &[Vec<String>],
    choices: &[(String, String)],
    members: &[orgs::Member],
    existing: &[AssetRef],
) -> std::result::Result<Vec<(RecordId, Vec<Value>)>, Vec<ImportError>> {
    let (map, rows) = prepare(ASSET_FIELDS, table, choices)?;
    let mut taken: HashSet<String> =
        existing.iter().filter(|a| !a.archived).map(|a| a.name.trim().to_lowercase()).collect();
    let ids: Vec<RecordId> = rows.iter().map(|_| RecordId::new()).collect();
    let mut known = Known {
        assets: imp::Names::new(existing.iter().filter(|a| !a.archived).map(|a| (a.id.clone(), a.name.as_str()))),
        ..Default::default()
    }
    .with_members(members.iter().map(|m| (m.user_id, m.email.as_str(), m.name.as_str())));
    for (r, id) in rows.iter().zip(&ids) {
        known.assets.add(id.as_text(), r.get("name"));
    }
    let mut errors = Vec::new();
    let mut planned: Vec<(RecordId, Vec<Value>)> = Vec::new();
    let mut line_of: HashMap<RecordId, usize> = HashMap::new();
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
        match ASSETS.parse(&form) {
            Ok(values) if problems.is_empty() => {
                line_of.insert(*id, row.line);
                planned.push((*id, values));
            }
            _ => errors.extend(problems),
        }
    }
    let (order, looped) = support_order(&planned);
    for i in looped {
        let line = line_of.get(&planned[i].0).copied().unwrap_or(0);
        errors.push(ImportError { line, column: map.header("supports"), key: "error.import_cycle" });
    }
    if !errors.is_empty() {
        errors.sort_by_key(|e| e.line);
        return Err(errors);
    }
    let mut planned: Vec<Option<(RecordId, Vec<Value>)>> = planned.into_iter().map(Some).collect();
    Ok(order.into_iter().filter_map(|i| planned[i].take()).collect())
}

/// What a risk import resolves against.
struct RiskSnapshot {
    members: Vec<orgs::Member>,
    methodology: borgen_core::risk::Methodology,
    version: i64,
    assets: Vec<AssetRef>,
    own: Vec<borgen_core::registers::ThreatRef>,
    applied: Vec<borgen_core::registers::AppliedRef>,
    excluded: HashSet<String>,
}

/// A risk import resolved against a snapshot: the risks to write, or the
/// file's problems.
fn plan_risks(
    table: &[Vec<String>],
    choices: &[(String, String)],
    snap: &RiskSnapshot,
) -> std::result::Result<Vec<RiskInput>, Vec<ImportError>> {
    let (map, rows) = prepare(RISK_FIELDS, table, choices)?;
    let known = Known {
        assets: imp::Names::new(snap.assets.iter().filter(|a| !a.archived).map(|a| (a.id.clone(), a.name.as_str()))),
        own_threats: imp::Names::new(snap.own.iter().filter(|t| !t.archived).map(|t| (t.id.clone(), t.name.as_str()))),
        applied: imp::Names::new(
            snap.applied.iter().filter(|a| !a.archived).map(|a| (a.id.to_string(), a.name.as_str())),
        ),
        ..Default::default()
    }
    .with_members(snap.members.iter().map(|m| (m.user_id, m.email.as_str(), m.name.as_str())));
    // Applied controls that implement an excluded Annex A control.
    let excluded_applied: HashSet<String> = snap
        .applied
        .iter()
        .filter(|a| a.control_ids.iter().any(|c| snap.excluded.contains(c)))
        .map(|a| a.id.to_string())
        .collect();
    let mut errors = Vec::new();
    let mut planned: Vec<RiskInput> = Vec::new();
    for row in &rows {
        let (form, mut problems) = imp::risk_form(row, &map, &known, &snap.methodology);
        let input = match form.parse() {
            Ok(input) => input,
            Err(e) => {
                // A rule across fields (an assessed risk without an owner) is
                // named too, in the column it comes from.
                if problems.is_empty() {
                    for f in &e.0 {
                        let column = match f.field {
                            "owner_id" => map.header("owner"),
                            "affects_c" => map.header("cia"),
                            other => map.header(other),
                        };
                        problems.push(ImportError { line: row.line, column, key: f.key });
                    }
                }
                errors.extend(problems);
                continue;
            }
        };
        if let Some(o) = input.owner_id
            && !snap.members.iter().any(|m| m.user_id == o && m.roles.may_own_risks())
        {
            problems.push(ImportError { line: row.line, column: map.header("owner"), key: "error.risk_owner_role" });
        }
        if input.treats_with_controls() {
            if input.control_ids.iter().any(|c| snap.excluded.contains(c)) {
                let column = map.header("control_ids");
                problems.push(ImportError { line: row.line, column, key: "error.risk_control_excluded" });
            }
            if input.applied_control_ids.iter().any(|id| excluded_applied.contains(id)) {
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
    if errors.is_empty() { Ok(planned) } else { Err(errors) }
}

/// Orders new assets so that each comes after the new assets it supports;
/// the ones left over support each other in a loop.
fn support_order(rows: &[(RecordId, Vec<Value>)]) -> (Vec<usize>, Vec<usize>) {
    let at = ASSETS.index("supports").unwrap_or(0);
    let supports = |v: &[Value]| v.get(at).map(Value::as_list).unwrap_or(&[]).to_vec();
    let index: HashMap<String, usize> = rows.iter().enumerate().map(|(i, (id, _))| (id.as_text(), i)).collect();
    let mut waiting: Vec<usize> =
        rows.iter().map(|(_, d)| supports(d).iter().filter(|s| index.contains_key(*s)).count()).collect();
    let mut supported_by: Vec<Vec<usize>> = vec![Vec::new(); rows.len()];
    for (i, (_, d)) in rows.iter().enumerate() {
        for s in supports(d).iter().filter_map(|s| index.get(s)) {
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
    ///
    /// The file is resolved off the async workers against a snapshot read
    /// without the write lock; the write transaction that follows only
    /// writes, after checking that nothing changed since the snapshot (and
    /// resolving again when something did).
    pub async fn import_assets(
        &self,
        ctx: &OrgCtx,
        table: Table,
        choices: Vec<(String, String)>,
        progress: Progress<'_>,
    ) -> Result<Outcome> {
        ctx.require(Permission::ManageIsms)?;
        let choices = std::sync::Arc::new(choices);
        for _ in 0..ATTEMPTS {
            let (mark, members, existing) = {
                let mut tx = self.db.read().await?;
                let mark = self.mark(&mut tx, ctx).await?;
                let members = unique_members(orgs::members(&mut tx, ctx.org.id).await?);
                (mark, members, borgen_store::register::asset_refs(&mut tx, ctx.org.id).await?)
            };
            let (t, c) = (table.clone(), choices.clone());
            let planned = match self.cpu(move || plan_assets(&t, &c, &members, &existing)).await? {
                Ok(p) => p,
                Err(e) => return Ok(Err(e)),
            };
            let Some(mut tx) = self.write_if_unchanged(ctx, mark).await? else { continue };
            let locked = std::time::Instant::now();
            let now = now_text();
            // Each after the assets it supports, with the progress every 1,000.
            for (n, (id, values)) in planned.iter().enumerate() {
                borgen_store::register::insert(&mut tx, &ASSETS, ctx.org.id, *id, values, &now).await?;
                if (n + 1) % 1000 == 0 || n + 1 == planned.len() {
                    progress(n + 1, planned.len());
                }
            }
            let ids: Vec<String> = planned.iter().map(|(id, _)| id.as_text()).collect();
            let afters: Vec<Option<serde_json::Value>> = planned
                .iter()
                .map(|(id, values)| {
                    let rec = Record {
                        id: *id,
                        values: values.clone(),
                        effective: Default::default(),
                        archived: false,
                        created_at: now.clone(),
                        updated_at: now.clone(),
                    };
                    crate::register::audit_json(&ASSETS, &rec)
                })
                .collect();
            let events: Vec<NewEvent> = afters
                .into_iter()
                .zip(&ids)
                .map(|(after, id)| NewEvent {
                    chain: "",
                    action: "import",
                    entity_type: ASSETS.key,
                    entity_id: id,
                    before: None,
                    after,
                })
                .collect();
            record_many(&mut tx, ctx, events).await?;
            tx.commit().await?;
            tracing::info!(org = %ctx.org.slug, records = planned.len(), write_ms = locked.elapsed().as_millis() as u64, "asset import written");
            return Ok(Ok(Imported { created: planned.len(), first: None, last: None }));
        }
        Err(AppError::Conflict("error.import_busy"))
    }

    /// Adds the risks of a spreadsheet, numbered after the existing ones and
    /// scored with the methodology version in force. Levels may be numbers or
    /// the names on its scales; a level outside them is refused. Resolved
    /// and written as [`App::import_assets`] is.
    pub async fn import_risks(
        &self,
        ctx: &OrgCtx,
        table: Table,
        choices: Vec<(String, String)>,
        progress: Progress<'_>,
    ) -> Result<Outcome> {
        ctx.require(Permission::ManageIsms)?;
        let choices = std::sync::Arc::new(choices);
        for _ in 0..ATTEMPTS {
            let (mark, snap) = {
                let mut tx = self.db.read().await?;
                let mark = self.mark(&mut tx, ctx).await?;
                let members = unique_members(orgs::members(&mut tx, ctx.org.id).await?);
                let (methodology, version) = match repo::current_methodology(&mut tx, ctx.org.id).await? {
                    Some(mv) => (mv.methodology, mv.version),
                    // The first write sets the default up as version 1.
                    None => (borgen_core::risk::Methodology::default_5x5(), 1),
                };
                let assets = borgen_store::register::asset_refs(&mut tx, ctx.org.id).await?;
                let own = borgen_store::register::threat_refs(&mut tx, ctx.org.id).await?;
                let applied = borgen_store::register::applied_refs(&mut tx, ctx.org.id).await?;
                let excluded: HashSet<String> = borgen_store::soa::entries(&mut tx, ctx.org.id)
                    .await?
                    .into_iter()
                    .filter(|e| e.applicable == Some(false))
                    .map(|e| e.control_id)
                    .collect();
                (mark, RiskSnapshot { members, methodology, version, assets, own, applied, excluded })
            };
            let (t, c) = (table.clone(), choices.clone());
            let (planned, snap) = self
                .cpu(move || {
                    let p = plan_risks(&t, &c, &snap);
                    (p, snap)
                })
                .await?;
            let planned = match planned {
                Ok(p) => p,
                Err(e) => return Ok(Err(e)),
            };
            let Some(mut tx) = self.write_if_unchanged(ctx, mark).await? else { continue };
            let locked = std::time::Instant::now();
            let mv = self.methodology_for_write(&mut tx, ctx).await?;
            if mv.version != snap.version {
                return Err(AppError::Internal("the methodology changed under an import".into()));
            }
            let now = now_text();
            let first = repo::next_risk_number(&mut tx, ctx.org.id).await?;
            let mut afters = Vec::with_capacity(planned.len());
            for (n, input) in planned.iter().enumerate() {
                let (il, rl) = input.levels(&mv.methodology);
                let s = Scored { methodology_version: mv.version, inherent_level: il, residual_level: rl };
                let id = RiskId::new();
                if !repo::insert_risk(&mut tx, ctx.org.id, id, first + n as i64, input, &s, &now).await? {
                    return Err(AppError::Internal("an imported risk links an unknown record".into()));
                }
                // What was written, built from the input (not read back inside the write lock).
                let after = Risk {
                    id,
                    number: first + n as i64,
                    data: input.clone(),
                    methodology_version: s.methodology_version,
                    inherent_level: s.inherent_level,
                    residual_level: s.residual_level,
                    archived: false,
                    created_at: now.clone(),
                    updated_at: now.clone(),
                };
                afters.push((id.as_text(), json(&after)));
                progress(n + 1, planned.len());
            }
            let events: Vec<NewEvent> = afters
                .iter()
                .map(|(id, after)| NewEvent {
                    chain: "",
                    action: "import",
                    entity_type: "risk",
                    entity_id: id,
                    before: None,
                    after: after.clone(),
                })
                .collect();
            record_many(&mut tx, ctx, events).await?;
            tx.commit().await?;
            tracing::info!(org = %ctx.org.slug, records = planned.len(), write_ms = locked.elapsed().as_millis() as u64, "risk import written");
            let last = first + planned.len() as i64 - 1;
            return Ok(Ok(Imported {
                created: planned.len(),
                first: Some(reference(first)),
                last: Some(reference(last)),
            }));
        }
        Err(AppError::Conflict("error.import_busy"))
    }
}

/// Appends the audit events of many records to the organisation's chain at once.
async fn record_many(tx: &mut Tx, ctx: &OrgCtx, mut events: Vec<NewEvent<'_>>) -> Result<()> {
    let chain = ctx.chain();
    for e in &mut events {
        e.chain = &chain;
    }
    borgen_store::audit::append_many(tx, &ctx.actor.audit_ref(), &chain, &events).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    fn asset(id: RecordId, supports: &[RecordId]) -> (RecordId, Vec<Value>) {
        let mut raw = ASSETS.sample("");
        raw.insert("supports".into(), supports.iter().map(|s| s.as_text()).collect::<Vec<_>>().join(", "));
        raw.remove("owner_id");
        (id, ASSETS.parse(&raw).unwrap())
    }

    #[test]
    fn supported_assets_come_first_and_loops_are_found() {
        let [a, b, c, d] = [RecordId::new(), RecordId::new(), RecordId::new(), RecordId::new()];
        let outside = RecordId::new();
        let rows = vec![asset(a, &[b]), asset(b, &[c, outside]), asset(c, &[]), asset(d, &[d])];
        let (order, looped) = support_order(&rows);
        assert_eq!(order, [2, 1, 0]);
        assert_eq!(looped, [3]);
    }
}
