//! The use cases of every register declared with the mechanism: the role and
//! ownership decision made once ([`Register::access`]), one transaction per
//! change, one audit event with before and after, none when nothing changed.
//!
//! Refusals, the same for every register (pages and API):
//! not a member → `NotFound` (404), no such record → `NotFound`, role or
//! ownership refused → `Forbidden` (403), archived → `Conflict` (409),
//! invalid → `Invalid` (422).

use crate::{App, AppError, OrgCtx, Result, record};
use borgen_core::FieldErrors;
use borgen_core::ids::UserId;
use borgen_core::register::{Access, Kind, ListQuery, Record, RecordId, RecordJson, Register, Up, Value};
use borgen_core::time::now_text;
use borgen_store::orgs::{self, Member};
use borgen_store::{Tx, register as repo};
use std::collections::BTreeMap;

/// A record with what the acting member may do with it, and, for a register
/// that others belong to, the records that belong to it.
#[derive(Clone, Debug)]
pub struct Held {
    pub rec: Record,
    pub access: Access,
    pub children: Vec<Kids>,
}

/// The records of one register that belong to a record.
#[derive(Clone, Debug)]
pub struct Kids {
    pub reg: &'static Register,
    pub items: Vec<Held>,
}

/// A record as the audit trail keeps it: its own values (effective levels
/// follow other records and are not part of its change).
pub(crate) fn audit_json(reg: &Register, rec: &Record) -> Option<serde_json::Value> {
    let mut v = serde_json::to_value(RecordJson { reg, rec, access: None }).ok()?;
    if let Some(o) = v.as_object_mut() {
        o.remove("effective");
    }
    Some(v)
}

/// Refuses a member field naming someone who is not a member (or, where the
/// field names an approver, one who may not approve), a link to a
/// record that is not in the organisation, and links that would make a
/// record reach itself where the field forbids loops. `id` is the record's
/// own id.
async fn check_members(tx: &mut Tx, ctx: &OrgCtx, reg: &Register, id: RecordId, values: &[Value]) -> Result<()> {
    let mut e = FieldErrors::default();
    if let Some(last) = reg.unique.last() {
        // Two writers must not both find no such record (PostgreSQL): one at a time.
        orgs::lock(tx, ctx.org.id).await?;
        if repo::duplicate(tx, reg, ctx.org.id, id, values).await? {
            e.add(last, "error.duplicate");
        }
    }
    for (f, v) in reg.fields.iter().zip(values) {
        match f.kind {
            Kind::Member => {
                if let Some(id) = v.as_text().and_then(UserId::parse) {
                    let roles = orgs::roles(tx, ctx.org.id, id).await?;
                    if roles.0.is_empty() {
                        e.add(f.name, "error.unknown_member");
                    } else if f.approver && !roles.can(borgen_core::role::Permission::Approve) {
                        e.add(f.name, "error.not_an_approver");
                    }
                }
            }
            Kind::Link(key) => {
                let target = borgen_core::registers::by_key(key);
                if let (Some(target), Some(id)) = (target, v.as_text().and_then(RecordId::parse))
                    && repo::get(tx, target, ctx.org.id, id).await?.is_none()
                {
                    e.add(f.name, "error.unknown_record");
                }
            }
            Kind::Records { register, .. } if !v.as_list().is_empty() => {
                let Some(target) = borgen_core::registers::by_key(register) else { continue };
                // Existence only: ids and titles, not whole records with their links.
                if repo::titles(tx, target, ctx.org.id, v.as_list()).await?.len() != v.as_list().len() {
                    e.add(f.name, "error.unknown_record");
                } else if let Some(refusal) = f.acyclic {
                    let mut links = repo::links_of(tx, ctx.org.id, f).await?;
                    links.remove(&id.as_text());
                    if borgen_core::register::would_cycle(&links, &id.as_text(), v.as_list()) {
                        e.add(f.name, refusal);
                    }
                }
            }
            _ => {}
        }
    }
    e.finish(()).map_err(AppError::Invalid)
}

/// The record a record of `reg` belongs to (`None` when `reg` has no parent).
async fn up_of(
    tx: &mut Tx,
    ctx: &OrgCtx,
    reg: &Register,
    values: &[Value],
) -> Result<Option<(&'static Register, Record)>> {
    let Some((up, i)) = reg.parent_register() else { return Ok(None) };
    let id = values.get(i).and_then(Value::as_text).and_then(RecordId::parse);
    match id {
        Some(id) => Ok(repo::get(tx, up, ctx.org.id, id).await?.map(|r| (up, r))),
        None => Ok(None),
    }
}

fn access(ctx: &OrgCtx, reg: &Register, rec: &Record, up: Option<&(&'static Register, Record)>) -> Access {
    reg.access(&ctx.roles, ctx.actor.user_id(), rec, up.map(|(reg, rec)| Up { reg, rec }))
}

/// Records with their access rights and, for a register that others belong
/// to, the records that belong to each (one query per such register).
async fn dress(tx: &mut Tx, ctx: &OrgCtx, reg: &'static Register, recs: Vec<Record>) -> Result<Vec<Held>> {
    // The records they belong to, in one query.
    let mut ups: BTreeMap<String, (&'static Register, Record)> = BTreeMap::new();
    if let Some((up, i)) = reg.parent_register() {
        let mut ids: Vec<RecordId> =
            recs.iter().filter_map(|r| r.values[i].as_text().and_then(RecordId::parse)).collect();
        ids.sort_by_key(|id| id.as_text());
        ids.dedup();
        for p in repo::get_many(tx, up, ctx.org.id, &ids).await? {
            ups.insert(p.id.as_text(), (up, p));
        }
    }
    let mut out = Vec::with_capacity(recs.len());
    for rec in recs {
        let up = reg.parent_register().and_then(|(_, i)| rec.values[i].as_text()).and_then(|k| ups.get(k));
        let access = access(ctx, reg, &rec, up);
        out.push(Held { rec, access, children: Vec::new() });
    }
    let ids: Vec<RecordId> = out.iter().map(|h| h.rec.id).collect();
    for child in reg.children() {
        let Some((_, i)) = child.parent_register() else { continue };
        let kids = repo::children(tx, child, ctx.org.id, &ids).await?;
        for h in &mut out {
            let mine = h.rec.id.as_text();
            let up = (reg, h.rec.clone());
            let items = kids
                .iter()
                .filter(|k| k.values[i].as_text() == Some(mine.as_str()))
                .map(|k| Held { rec: k.clone(), access: access(ctx, child, k, Some(&up)), children: Vec::new() })
                .collect();
            h.children.push(Kids { reg: child, items });
        }
    }
    Ok(out)
}

/// A record of `reg` read in the caller's transaction, whether the member
/// may edit it (role and ownership, or the right to edit the record it
/// belongs to) and whether it is read only because it (or that record) is
/// archived: for changes made beside the record's own fields (evidence).
pub(crate) async fn rights_in(
    tx: &mut Tx,
    ctx: &OrgCtx,
    reg: &'static Register,
    id: RecordId,
) -> Result<(Record, bool, bool)> {
    if !reg.may_read(&ctx.roles) {
        return Err(AppError::Forbidden);
    }
    let rec = repo::get(tx, reg, ctx.org.id, id).await?.ok_or(AppError::NotFound)?;
    let up = up_of(tx, ctx, reg, &rec.values).await?;
    let (editor, archived) = match edit_allowed(ctx, reg, &rec, up.as_ref()) {
        Ok(()) => (true, false),
        Err(AppError::Conflict(_)) => (true, true),
        Err(_) => (false, rec.archived),
    };
    Ok((rec, editor, archived))
}

async fn dress_one(tx: &mut Tx, ctx: &OrgCtx, reg: &'static Register, rec: Record) -> Result<Held> {
    Ok(dress(tx, ctx, reg, vec![rec]).await?.remove(0))
}

impl App {
    /// Whether the acting member may create records in `reg` (for a register
    /// whose records belong to another, whether they may edit that one is
    /// decided per record, after [`Self::reg_parent_for_adding`]).
    pub fn may_create(&self, ctx: &OrgCtx, reg: &Register) -> bool {
        match reg.parent {
            Some(_) => reg.may_read(&ctx.roles),
            None => reg.may_create(&ctx.roles),
        }
    }

    pub async fn reg_list(&self, ctx: &OrgCtx, reg: &'static Register, q: &ListQuery) -> Result<(Vec<Held>, i64)> {
        if !reg.may_read(&ctx.roles) {
            return Err(AppError::Forbidden);
        }
        let mut tx = self.db.read().await?;
        let (recs, total) = repo::list(&mut tx, reg, ctx.org.id, q).await?;
        Ok((dress(&mut tx, ctx, reg, recs).await?, total))
    }

    /// How many records of `reg` are not archived (`None` for who may not read).
    pub async fn reg_count(&self, ctx: &OrgCtx, reg: &Register) -> Result<Option<i64>> {
        if !reg.may_read(&ctx.roles) {
            return Ok(None);
        }
        let mut tx = self.db.read().await?;
        Ok(Some(repo::count_active(&mut tx, reg, ctx.org.id).await?))
    }

    pub async fn reg_get(&self, ctx: &OrgCtx, reg: &'static Register, id: RecordId) -> Result<Held> {
        if !reg.may_read(&ctx.roles) {
            return Err(AppError::Forbidden);
        }
        let mut tx = self.db.read().await?;
        let rec = repo::get(&mut tx, reg, ctx.org.id, id).await?.ok_or(AppError::NotFound)?;
        dress_one(&mut tx, ctx, reg, rec).await
    }

    /// The titles of the records the link fields of `items` (and of their
    /// children) name, by id, to show names instead of ids.
    pub async fn reg_titles(&self, ctx: &OrgCtx, reg: &Register, items: &[Held]) -> Result<BTreeMap<String, String>> {
        ctx.require(borgen_core::role::Permission::ReadRegisters)?;
        let mut wanted: BTreeMap<&'static str, Vec<String>> = BTreeMap::new();
        let mut collect = |reg: &Register, h: &Held| {
            for (f, v) in reg.fields.iter().zip(&h.rec.values) {
                match (f.kind, v) {
                    (Kind::Link(key), Value::Text(id)) => wanted.entry(key).or_default().push(id.to_string()),
                    (Kind::Records { register, .. }, Value::List(ids)) => {
                        wanted.entry(register).or_default().extend(ids.iter().cloned())
                    }
                    _ => {}
                }
            }
        };
        for h in items {
            collect(reg, h);
            for k in &h.children {
                k.items.iter().for_each(|c| collect(k.reg, c));
            }
        }
        let mut tx = self.db.read().await?;
        let mut out = BTreeMap::new();
        for (key, mut ids) in wanted {
            ids.sort();
            ids.dedup();
            if let Some(target) = borgen_core::registers::by_key(key) {
                out.extend(repo::titles(&mut tx, target, ctx.org.id, &ids).await?);
            }
        }
        Ok(out)
    }

    /// The active records of `target` as (id, title): the choices of a link field.
    pub async fn reg_choices(&self, ctx: &OrgCtx, target: &Register) -> Result<Vec<(String, String)>> {
        if !target.may_read(&ctx.roles) {
            return Err(AppError::Forbidden);
        }
        let mut tx = self.db.read().await?;
        Ok(repo::choices(&mut tx, target, ctx.org.id).await?)
    }

    /// Every applied control (archived too), as risks, tasks and exports
    /// offer and name them.
    pub async fn applied_refs(&self, ctx: &OrgCtx) -> Result<Vec<borgen_core::registers::AppliedRef>> {
        ctx.require(borgen_core::role::Permission::ReadRegisters)?;
        let mut tx = self.db.read().await?;
        Ok(repo::applied_refs(&mut tx, ctx.org.id).await?)
    }

    /// Every asset (archived too), as risks, imports and exports name them.
    pub async fn asset_refs(&self, ctx: &OrgCtx) -> Result<Vec<borgen_core::registers::AssetRef>> {
        ctx.require(borgen_core::role::Permission::ReadRegisters)?;
        let mut tx = self.db.read().await?;
        Ok(repo::asset_refs(&mut tx, ctx.org.id).await?)
    }

    /// The members of the acting member's organisation (for member fields).
    pub async fn org_members(&self, ctx: &OrgCtx) -> Result<Vec<Member>> {
        ctx.require(borgen_core::role::Permission::ReadRegisters)?;
        let mut tx = self.db.read().await?;
        Ok(orgs::members(&mut tx, ctx.org.id).await?)
    }

    pub async fn reg_create(&self, ctx: &OrgCtx, reg: &'static Register, values: Vec<Value>) -> Result<Held> {
        if !self.may_create(ctx, reg) {
            return Err(AppError::Forbidden);
        }
        let mut tx = self.db.write().await?;
        if reg.parent.is_some() {
            // Whoever may edit the record it belongs to may add to it.
            match up_of(&mut tx, ctx, reg, &values).await? {
                None => {}
                Some((up, rec)) if !up.may_edit(&ctx.roles, ctx.actor.user_id(), &rec.values) => {
                    return Err(AppError::Forbidden);
                }
                Some((_, rec)) if rec.archived => return Err(AppError::Conflict("error.archived_read_only")),
                Some(_) => {}
            }
        }
        let id = RecordId::new();
        check_members(&mut tx, ctx, reg, id, &values).await?;
        repo::insert(&mut tx, reg, ctx.org.id, id, &values, &now_text()).await?;
        let after = repo::get(&mut tx, reg, ctx.org.id, id).await?.ok_or(AppError::NotFound)?;
        record(&mut tx, &ctx.actor, &ctx.chain(), "create", reg.key, &id.as_text(), None, audit_json(reg, &after))
            .await?;
        let held = dress_one(&mut tx, ctx, reg, after).await?;
        tx.commit().await?;
        Ok(held)
    }

    /// The record `id` that a new record of the child register `reg` is to
    /// belong to, checked before the input is looked at: it exists (404), the
    /// acting member may edit it (403), it is not archived (409).
    pub async fn reg_parent_for_adding(&self, ctx: &OrgCtx, reg: &'static Register, id: RecordId) -> Result<Held> {
        let (up, _) = reg.parent_register().ok_or(AppError::NotFound)?;
        let parent = self.reg_get(ctx, up, id).await?;
        if !up.may_edit(&ctx.roles, ctx.actor.user_id(), &parent.rec.values) {
            return Err(AppError::Forbidden);
        }
        if parent.rec.archived {
            return Err(AppError::Conflict("error.archived_read_only"));
        }
        Ok(parent)
    }

    /// Checks that the acting member may edit the record (it exists, their
    /// role or ownership allows it, it is not archived) before the input is
    /// looked at, so that nobody learns about a record from error messages.
    pub async fn reg_editable(&self, ctx: &OrgCtx, reg: &'static Register, id: RecordId) -> Result<Held> {
        let held = self.reg_get(ctx, reg, id).await?;
        let mut tx = self.db.read().await?;
        let up = up_of(&mut tx, ctx, reg, &held.rec.values).await?;
        edit_allowed(ctx, reg, &held.rec, up.as_ref())?;
        Ok(held)
    }

    pub async fn reg_update(
        &self,
        ctx: &OrgCtx,
        reg: &'static Register,
        id: RecordId,
        values: Vec<Value>,
    ) -> Result<Held> {
        if !reg.may_read(&ctx.roles) {
            return Err(AppError::Forbidden);
        }
        let mut tx = self.db.write().await?;
        let before = repo::get(&mut tx, reg, ctx.org.id, id).await?.ok_or(AppError::NotFound)?;
        let up = up_of(&mut tx, ctx, reg, &before.values).await?;
        edit_allowed(ctx, reg, &before, up.as_ref())?;
        if let Some((_, i)) = reg.parent_register() {
            // A record stays with the one it belongs to.
            if values.get(i) != before.values.get(i) {
                let mut e = FieldErrors::default();
                e.add(reg.fields[i].name, "error.fixed");
                return Err(AppError::Invalid(e));
            }
        } else if !reg.may_change(&ctx.roles, ctx.actor.user_id(), &before.values, &values) {
            return Err(AppError::Forbidden);
        }
        if values == before.values {
            return dress_one(&mut tx, ctx, reg, before).await;
        }
        check_members(&mut tx, ctx, reg, id, &values).await?;
        repo::update(&mut tx, reg, ctx.org.id, id, &values, &now_text()).await?;
        let after = audited(&mut tx, ctx, reg, "update", &before).await?;
        let held = dress_one(&mut tx, ctx, reg, after).await?;
        tx.commit().await?;
        Ok(held)
    }

    /// Archives (`true`) or restores (`false`) a record; asking for what it
    /// already is changes nothing and records nothing.
    pub async fn reg_archive(&self, ctx: &OrgCtx, reg: &'static Register, id: RecordId, archive: bool) -> Result<Held> {
        if !reg.may_read(&ctx.roles) {
            return Err(AppError::Forbidden);
        }
        let mut tx = self.db.write().await?;
        let before = repo::get(&mut tx, reg, ctx.org.id, id).await?.ok_or(AppError::NotFound)?;
        if !ctx.roles.can(reg.archive) {
            return Err(AppError::Forbidden);
        }
        if up_of(&mut tx, ctx, reg, &before.values).await?.is_some_and(|(_, up)| up.archived) {
            return Err(AppError::Conflict("error.archived_read_only"));
        }
        if before.archived == archive {
            return dress_one(&mut tx, ctx, reg, before).await;
        }
        // Restored beside one that took its place: two would then be current.
        if !archive && !reg.unique.is_empty() {
            orgs::lock(&mut tx, ctx.org.id).await?;
            if repo::duplicate(&mut tx, reg, ctx.org.id, id, &before.values).await? {
                return Err(AppError::Conflict("error.duplicate"));
            }
        }
        let now = now_text();
        repo::set_archived(&mut tx, reg, ctx.org.id, id, archive.then_some(now.as_str()), &now).await?;
        let after = audited(&mut tx, ctx, reg, if archive { "archive" } else { "restore" }, &before).await?;
        let held = dress_one(&mut tx, ctx, reg, after).await?;
        tx.commit().await?;
        Ok(held)
    }
}

/// Writes one record of `reg` in the caller's transaction, with its audit
/// event (`action`): a new one, or `before` changed; nothing when `before`
/// already holds `values`. For use cases that write several records at once
/// (an import), after they checked the acting member's rights. Whether it wrote.
pub(crate) async fn write_in(
    tx: &mut Tx,
    ctx: &OrgCtx,
    reg: &'static Register,
    before: Option<&Record>,
    values: &[Value],
    action: &str,
) -> Result<bool> {
    let now = now_text();
    match before {
        Some(b) if b.values == values => Ok(false),
        Some(b) => {
            check_members(tx, ctx, reg, b.id, values).await?;
            repo::update(tx, reg, ctx.org.id, b.id, values, &now).await?;
            audited(tx, ctx, reg, action, b).await?;
            Ok(true)
        }
        None => {
            let id = RecordId::new();
            check_members(tx, ctx, reg, id, values).await?;
            repo::insert(tx, reg, ctx.org.id, id, values, &now).await?;
            let after = repo::get(tx, reg, ctx.org.id, id).await?.ok_or(AppError::NotFound)?;
            record(tx, &ctx.actor, &ctx.chain(), action, reg.key, &id.as_text(), None, audit_json(reg, &after)).await?;
            Ok(true)
        }
    }
}

/// Reads a changed record back and appends its audit event, with `before`.
async fn audited(tx: &mut Tx, ctx: &OrgCtx, reg: &Register, action: &str, before: &Record) -> Result<Record> {
    let after = repo::get(tx, reg, ctx.org.id, before.id).await?.ok_or(AppError::NotFound)?;
    let (b, a) = (audit_json(reg, before), audit_json(reg, &after));
    record(tx, &ctx.actor, &ctx.chain(), action, reg.key, &before.id.as_text(), b, a).await?;
    Ok(after)
}

/// Role or ownership first (403), then the archive (409); for a record that
/// belongs to another, the right to edit that one, and neither archived.
fn edit_allowed(ctx: &OrgCtx, reg: &Register, rec: &Record, up: Option<&(&'static Register, Record)>) -> Result<()> {
    let me = ctx.actor.user_id();
    let (editor, archived) = match up {
        Some((up, parent)) => (up.may_edit(&ctx.roles, me, &parent.values), rec.archived || parent.archived),
        None => (reg.may_edit(&ctx.roles, me, &rec.values), rec.archived),
    };
    if !editor {
        return Err(AppError::Forbidden);
    }
    if archived {
        return Err(AppError::Conflict("error.archived_read_only"));
    }
    Ok(())
}
