//! Risk management use cases: the versioned methodology, assets, threats, the
//! risk register scored by a pinned methodology version, acceptance by the
//! risk owner or top management, and the task register.

use crate::{App, AppError, OrgCtx, Result, json, record};
use borgen_core::ids::{AcceptanceId, RiskId, TaskId, UserId};
use borgen_core::register::RecordId;
use borgen_core::registers::AppliedRef;
use borgen_core::registers::ThreatRef;
use borgen_core::risk::*;
use borgen_core::role::{Permission, Role};
use borgen_core::task::*;
use borgen_core::text::{self, FieldErrors};
use borgen_core::time::now_text;
use borgen_store::risk::{self as repo, RiskSort, Scored, TaskFilter};
use borgen_store::{Tx, orgs};

use crate::invalid;

/// A risk with what its page shows.
#[derive(Clone, Debug, serde::Serialize)]
pub struct RiskDetail {
    #[serde(flatten)]
    pub risk: Risk,
    pub acceptances: Vec<Acceptance>,
    /// True when the newest acceptance no longer matches the risk.
    pub acceptance_outdated: bool,
    pub tasks: Vec<Task>,
}

/// One page of the risk list.
#[derive(Clone, Debug, serde::Serialize)]
pub struct RiskPage {
    pub total: i64,
    pub risks: Vec<Risk>,
    /// The newest acceptance of each listed risk that has one.
    #[serde(skip)]
    pub acceptances: Vec<Acceptance>,
    /// Listed risks whose newest acceptance no longer matches them.
    #[serde(skip)]
    pub outdated: Vec<RiskId>,
}

/// Counts per cell (likelihood, impact, risks) of both heat maps.
#[derive(Clone, Debug)]
pub struct HeatMaps {
    /// The methodology in force the maps are drawn on (version 0, the
    /// default, before one is saved).
    pub methodology: MethodologyVersion,
    pub inherent: Vec<(u8, u8, i64)>,
    pub residual: Vec<(u8, u8, i64)>,
    /// Live risks still scored with an earlier version (not on the maps).
    pub earlier: i64,
    /// Live risks in all.
    pub total: i64,
}

/// What re-scoring under the current version would do to one risk.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Rescore {
    pub risk_id: RiskId,
    pub reference: String,
    pub title: String,
    pub from_version: i64,
    pub inherent: (Option<u8>, Option<u8>),
    pub residual: (Option<u8>, Option<u8>),
    /// The scores fall outside the new scales: the risk must be scored again by hand.
    pub out_of_scale: bool,
}

/// True when the acceptance was given for another basis than the risk's
/// current one, or has expired.
/// Whether acceptance `a` of `r` no longer holds on `today`: given on
/// another basis, or past its end date.
fn outdated(r: &Risk, m: &Methodology, a: Option<&Acceptance>, today: &str) -> bool {
    a.is_some_and(|a| a.basis != AcceptanceBasis::of(&r.data, m, r.methodology_version) || a.expired(today))
}

async fn member_check(tx: &mut Tx, ctx: &OrgCtx, owner: Option<UserId>, field: &'static str) -> Result<()> {
    if let Some(o) = owner
        && orgs::roles(tx, ctx.org.id, o).await?.0.is_empty()
    {
        return Err(invalid(field, "error.unknown_owner"));
    }
    Ok(())
}

impl App {
    // ------------------------------------------------------------ methodology

    /// The methodology in force: the newest approved version (the first while
    /// none is approved; newer ones are drafts), or the built-in default
    /// (version 0) until one is saved.
    pub async fn methodology(&self, ctx: &OrgCtx) -> Result<MethodologyVersion> {
        ctx.require(Permission::ReadRegisters)?;
        let mut tx = self.db.read().await?;
        Ok(repo::current_methodology(&mut tx, ctx.org.id).await?.unwrap_or_else(default_version))
    }

    /// The newest saved version when it is newer than the one in force: a
    /// draft awaiting top management's approval.
    pub async fn methodology_draft(&self, ctx: &OrgCtx) -> Result<Option<MethodologyVersion>> {
        ctx.require(Permission::ReadRegisters)?;
        let mut tx = self.db.read().await?;
        let in_force = repo::current_methodology(&mut tx, ctx.org.id).await?.map_or(0, |m| m.version);
        Ok(repo::latest_methodology(&mut tx, ctx.org.id).await?.filter(|m| m.version > in_force))
    }

    pub async fn methodology_version(&self, ctx: &OrgCtx, version: i64) -> Result<MethodologyVersion> {
        ctx.require(Permission::ReadRegisters)?;
        let mut tx = self.db.read().await?;
        repo::methodology(&mut tx, ctx.org.id, version).await?.ok_or(AppError::NotFound)
    }

    pub async fn methodology_versions(&self, ctx: &OrgCtx) -> Result<Vec<MethodologyVersion>> {
        ctx.require(Permission::ReadRegisters)?;
        let mut tx = self.db.read().await?;
        Ok(repo::methodologies(&mut tx, ctx.org.id).await?)
    }

    /// Saves a changed methodology as a new version (ISMS manager): a draft
    /// that comes into force when top management approves it (the first
    /// version is in force at once). Risks keep the version they were scored
    /// with. Returns the version saved, or the newest one when nothing changed.
    pub async fn save_methodology(&self, ctx: &OrgCtx, m: &Methodology, note: Option<&str>) -> Result<i64> {
        ctx.require(Permission::ManageIsms)?;
        let m = m.validated()?;
        let note = note.map(str::trim).filter(|s| !s.is_empty());
        if note.is_some_and(|n| n.chars().count() > text::LONG) {
            return Err(invalid("note", "error.too_long_long"));
        }
        if let Some(key) = note.and_then(|n| text::bad_chars(n, true)) {
            return Err(invalid("note", key));
        }
        let mut tx = self.db.write().await?;
        orgs::lock(&mut tx, ctx.org.id).await?;
        let current = repo::latest_methodology(&mut tx, ctx.org.id).await?;
        if let Some(c) = &current
            && c.methodology == m
        {
            return Ok(c.version);
        }
        let version = current.as_ref().map_or(1, |c| c.version + 1);
        let label = ctx.actor.audit_ref().label;
        repo::insert_methodology(&mut tx, ctx.org.id, version, &m, note, &label, &now_text()).await?;
        let after = serde_json::json!({ "version": version, "note": note, "methodology": m });
        record(
            &mut tx,
            &ctx.actor,
            &ctx.chain(),
            "create",
            "risk_methodology",
            &version.to_string(),
            None,
            Some(after),
        )
        .await?;
        tx.commit().await?;
        Ok(version)
    }

    /// The version in force inside a write transaction, saving the default as
    /// version 1 when the organisation has none yet.
    pub(crate) async fn methodology_for_write(&self, tx: &mut Tx, ctx: &OrgCtx) -> Result<MethodologyVersion> {
        if let Some(m) = repo::current_methodology(tx, ctx.org.id).await? {
            return Ok(m);
        }
        let m = Methodology::default_5x5();
        let label = ctx.actor.audit_ref().label;
        let now = now_text();
        repo::insert_methodology(tx, ctx.org.id, 1, &m, None, &label, &now).await?;
        let after = serde_json::json!({ "version": 1, "note": "default", "methodology": m });
        record(tx, &ctx.actor, &ctx.chain(), "create", "risk_methodology", "1", None, Some(after)).await?;
        Ok(MethodologyVersion {
            version: 1,
            note: None,
            created_by_label: label,
            created_at: now,
            approval: None,
            methodology: m,
        })
    }

    /// What re-scoring every live risk under the version in force would change.
    pub async fn rescore_preview(&self, ctx: &OrgCtx) -> Result<(i64, Vec<Rescore>)> {
        ctx.require(Permission::ReadRegisters)?;
        let mut tx = self.db.read().await?;
        rescore_plan(&mut tx, ctx).await
    }

    /// Re-scores every live risk scored under an older version (ISMS
    /// manager): the likelihood and impact stay, the levels follow the new
    /// matrix. Risks whose scores fall outside the new scales keep their
    /// version and are listed for scoring by hand. Returns how many moved.
    pub async fn rescore(&self, ctx: &OrgCtx) -> Result<usize> {
        ctx.require(Permission::ManageIsms)?;
        let mut tx = self.db.write().await?;
        let (version, plan) = rescore_plan(&mut tx, ctx).await?;
        let Some(current) = repo::methodology(&mut tx, ctx.org.id, version).await? else { return Ok(0) };
        let now = now_text();
        let mut moved = 0;
        for p in plan.iter().filter(|p| !p.out_of_scale) {
            let before = repo::get_risk(&mut tx, ctx.org.id, p.risk_id).await?.ok_or(AppError::NotFound)?;
            let (il, rl) = before.data.levels(&current.methodology);
            let s = Scored { methodology_version: version, inherent_level: il, residual_level: rl };
            repo::update_risk(&mut tx, ctx.org.id, p.risk_id, before.number, &before.data, &s, &now).await?;
            let after = repo::get_risk(&mut tx, ctx.org.id, p.risk_id).await?.ok_or(AppError::NotFound)?;
            record(
                &mut tx,
                &ctx.actor,
                &ctx.chain(),
                "rescore",
                "risk",
                &p.risk_id.as_text(),
                json(&before),
                json(&after),
            )
            .await?;
            moved += 1;
        }
        tx.commit().await?;
        Ok(moved)
    }

    // ------------------------------------------------------------ threats

    pub async fn own_threats(&self, ctx: &OrgCtx) -> Result<Vec<ThreatRef>> {
        ctx.require(Permission::ReadRegisters)?;
        let mut tx = self.db.read().await?;
        Ok(borgen_store::register::threat_refs(&mut tx, ctx.org.id).await?)
    }

    // ------------------------------------------------------------ risks

    pub async fn list_risks(
        &self,
        ctx: &OrgCtx,
        f: &RiskFilter,
        sort: RiskSort,
        limit: i64,
        offset: i64,
    ) -> Result<RiskPage> {
        // The unfiltered list's total is the heat-map count, usually reused.
        if *f == RiskFilter::default() {
            return Ok(self.list_risks_with_heat_maps(ctx, f, sort, limit, offset).await?.0);
        }
        ctx.require(Permission::ReadRegisters)?;
        let mut tx = self.db.snapshot().await?;
        risk_page(&mut tx, ctx, f, sort, limit, offset, None).await
    }

    /// A page of the list with both heat maps, from one snapshot; the
    /// unfiltered list takes its total from the heat-map scan.
    pub async fn list_risks_with_heat_maps(
        &self,
        ctx: &OrgCtx,
        f: &RiskFilter,
        sort: RiskSort,
        limit: i64,
        offset: i64,
    ) -> Result<(RiskPage, HeatMaps)> {
        ctx.require(Permission::ReadRegisters)?;
        let mut tx = self.db.snapshot().await?;
        let maps = self.heat_maps_in(&mut tx, ctx).await?;
        let known = (*f == RiskFilter::default()).then_some(maps.total);
        Ok((risk_page(&mut tx, ctx, f, sort, limit, offset, known).await?, maps))
    }
    pub async fn get_risk(&self, ctx: &OrgCtx, id: RiskId) -> Result<RiskDetail> {
        ctx.require(Permission::ReadRegisters)?;
        let mut tx = self.db.read().await?;
        detail(&mut tx, ctx, id).await
    }

    /// Checks a risk against the methodology, the SoA and the organisation's records.
    async fn check_risk(tx: &mut Tx, ctx: &OrgCtx, m: &Methodology, input: &RiskInput) -> Result<()> {
        let mut e = match input.check_scores(m) {
            Ok(()) => FieldErrors::default(),
            Err(e) => e,
        };
        if let Some(o) = input.owner_id {
            let roles = orgs::roles(tx, ctx.org.id, o).await?;
            if roles.0.is_empty() {
                e.add("owner_id", "error.unknown_owner");
            } else if !roles.may_own_risks() {
                e.add("owner_id", "error.risk_owner_role");
            }
        }
        if let Some(t) = input.threat.as_deref() {
            let known = borgen_core::threat::threat(t).is_some()
                || borgen_store::register::threat_refs(tx, ctx.org.id).await?.iter().any(|o| o.id == t);
            if !known {
                e.add("threat", "error.unknown_threat");
            }
        }
        if input.treats_with_controls() {
            let entries = borgen_store::soa::entries(tx, ctx.org.id).await?;
            let excluded = |c: &String| entries.iter().any(|x| &x.control_id == c && x.applicable == Some(false));
            if input.control_ids.iter().any(excluded) {
                e.add("control_ids", "error.risk_control_excluded");
            }
            let ids: Vec<RecordId> = input.applied_control_ids.iter().filter_map(|s| RecordId::parse(s)).collect();
            let applied =
                borgen_store::register::get_many(tx, &borgen_core::registers::APPLIED_CONTROLS, ctx.org.id, &ids)
                    .await?;
            if applied.iter().map(AppliedRef::of).any(|a| a.control_ids.iter().any(excluded)) {
                e.add("applied_control_ids", "error.risk_control_excluded");
            }
        }
        e.finish(()).map_err(AppError::Invalid)
    }

    pub async fn create_risk(&self, ctx: &OrgCtx, input: RiskInput) -> Result<Risk> {
        ctx.require(Permission::ManageIsms)?;
        let mut tx = self.db.write().await?;
        orgs::lock(&mut tx, ctx.org.id).await?;
        let mv = self.methodology_for_write(&mut tx, ctx).await?;
        Self::check_risk(&mut tx, ctx, &mv.methodology, &input).await?;
        let (il, rl) = input.levels(&mv.methodology);
        let s = Scored { methodology_version: mv.version, inherent_level: il, residual_level: rl };
        let id = RiskId::new();
        let number = repo::next_risk_number(&mut tx, ctx.org.id).await?;
        if !repo::insert_risk(&mut tx, ctx.org.id, id, number, &input, &s, &now_text()).await? {
            return Err(invalid("asset_ids", "error.unknown_link"));
        }
        let after = repo::get_risk(&mut tx, ctx.org.id, id).await?.ok_or(AppError::NotFound)?;
        record(&mut tx, &ctx.actor, &ctx.chain(), "create", "risk", &id.as_text(), None, json(&after)).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Changes a risk under the methodology version it was scored with. The
    /// ISMS manager changes any risk; a contributor the risks they own.
    pub async fn update_risk(&self, ctx: &OrgCtx, id: RiskId, input: RiskInput) -> Result<Risk> {
        ctx.require(Permission::ReadRegisters)?;
        let mut tx = self.db.write().await?;
        let before = repo::get_risk(&mut tx, ctx.org.id, id).await?.ok_or(AppError::NotFound)?;
        if !ctx.can_edit_owned(before.data.owner_id)
            || (!ctx.can(Permission::ManageIsms) && input.owner_id != before.data.owner_id)
        {
            return Err(AppError::Forbidden);
        }
        if before.archived {
            return Err(AppError::Conflict("error.archived_read_only"));
        }
        if input == before.data {
            return Ok(before);
        }
        let mv = repo::methodology(&mut tx, ctx.org.id, before.methodology_version)
            .await?
            .ok_or_else(|| AppError::Internal("risk pinned to a missing methodology version".into()))?;
        Self::check_risk(&mut tx, ctx, &mv.methodology, &input).await?;
        let (il, rl) = input.levels(&mv.methodology);
        let s = Scored { methodology_version: mv.version, inherent_level: il, residual_level: rl };
        if !repo::update_risk(&mut tx, ctx.org.id, id, before.number, &input, &s, &now_text()).await? {
            return Err(invalid("asset_ids", "error.unknown_link"));
        }
        let after = repo::get_risk(&mut tx, ctx.org.id, id).await?.ok_or(AppError::NotFound)?;
        record(&mut tx, &ctx.actor, &ctx.chain(), "update", "risk", &id.as_text(), json(&before), json(&after)).await?;
        tx.commit().await?;
        Ok(after)
    }

    pub async fn archive_risk(&self, ctx: &OrgCtx, id: RiskId, archive: bool) -> Result<Risk> {
        ctx.require(Permission::ManageIsms)?;
        let mut tx = self.db.write().await?;
        let before = repo::get_risk(&mut tx, ctx.org.id, id).await?.ok_or(AppError::NotFound)?;
        if before.archived == archive {
            return Ok(before);
        }
        let now = now_text();
        repo::set_risk_archived(&mut tx, ctx.org.id, id, archive.then_some(now.as_str()), &now).await?;
        let after = repo::get_risk(&mut tx, ctx.org.id, id).await?.ok_or(AppError::NotFound)?;
        let action = if archive { "archive" } else { "restore" };
        record(&mut tx, &ctx.actor, &ctx.chain(), action, "risk", &id.as_text(), json(&before), json(&after)).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Records the acceptance of a risk's treatment and residual risk by its
    /// owner, or by top management where the criteria say so. Immutable.
    ///
    /// A user with a second factor confirms with a fresh code (`step`);
    /// nothing is written without it.
    pub async fn accept_risk(
        &self,
        ctx: &OrgCtx,
        id: RiskId,
        comment: Option<&str>,
        expires_on: Option<&str>,
        step: &crate::totp::StepUp,
    ) -> Result<Acceptance> {
        ctx.require(Permission::ReadRegisters)?;
        let is_top = ctx.roles.has(Role::TopManagement);
        // Accepting is a decision: the owner accepts with the right to edit what
        // they own (ISMS manager, contributor); auditors and viewers never do.
        if !is_top && !ctx.can(Permission::EditOwn) {
            return Err(AppError::Forbidden);
        }
        let comment = comment.map(str::trim).filter(|s| !s.is_empty());
        if comment.is_some_and(|n| n.chars().count() > text::LONG) {
            return Err(invalid("comment", "error.too_long_long"));
        }
        if let Some(key) = comment.and_then(|n| text::bad_chars(n, true)) {
            return Err(invalid("comment", key));
        }
        let today = ctx.today();
        let expires_on = borgen_core::risk::acceptance_expiry(expires_on, &today)?;
        {
            // A risk past its review date is reviewed (a new date set) before it
            // is accepted; checked before the second-factor code is used up.
            let mut tx = self.db.read().await?;
            let risk = repo::get_risk(&mut tx, ctx.org.id, id).await?.ok_or(AppError::NotFound)?;
            if risk.review_overdue(&today) {
                return Err(AppError::Conflict("error.risk_accept_review_due"));
            }
        }
        self.step_up(ctx, step).await?;
        let mut tx = self.db.write().await?;
        orgs::lock(&mut tx, ctx.org.id).await?;
        let risk = repo::get_risk(&mut tx, ctx.org.id, id).await?.ok_or(AppError::NotFound)?;
        if risk.review_overdue(&today) {
            return Err(AppError::Conflict("error.risk_accept_review_due"));
        }
        if risk.archived {
            return Err(AppError::Conflict("error.archived_read_only"));
        }
        let mv = repo::methodology(&mut tx, ctx.org.id, risk.methodology_version)
            .await?
            .ok_or_else(|| AppError::Internal("risk pinned to a missing methodology version".into()))?;
        let rule = may_accept(&mv.methodology, &risk.data, ctx.actor.user_id(), is_top).map_err(AppError::Conflict)?;

        let basis = AcceptanceBasis::of(&risk.data, &mv.methodology, risk.methodology_version);
        let latest = repo::acceptances(&mut tx, ctx.org.id, id).await?.into_iter().next();
        if latest.as_ref().is_some_and(|a| a.basis == basis && !a.expired(&today)) {
            return Err(AppError::Conflict("error.risk_already_accepted"));
        }
        let accepted_as = if rule == AcceptBy::Owner && ctx.actor.user_id() == risk.data.owner_id {
            AcceptBy::Owner
        } else {
            AcceptBy::TopManagement
        };
        let actor = ctx.actor.audit_ref();
        let a = Acceptance {
            id: AcceptanceId::new(),
            risk_id: id,
            accepted_by: ctx.actor.user_id(),
            accepted_by_label: actor.label,
            accepted_as,
            comment: comment.map(str::to_string),
            basis,
            accepted_at: now_text(),
            expires_on,
        };
        repo::insert_acceptance(&mut tx, ctx.org.id, &a).await?;
        record(&mut tx, &ctx.actor, &ctx.chain(), "accept", "risk", &id.as_text(), None, json(&a)).await?;
        tx.commit().await?;
        Ok(a)
    }

    /// Counts per matrix cell, inherent or residual.
    /// Counts per cell of the inherent and the residual heat map: the live
    /// risks scored with the methodology version in force (a cell means
    /// something only on one version's scales); the others are counted apart.
    pub async fn heat_maps(&self, ctx: &OrgCtx) -> Result<HeatMaps> {
        ctx.require(Permission::ReadRegisters)?;
        let mut tx = self.db.read().await?;
        self.heat_maps_in(&mut tx, ctx).await
    }

    // ------------------------------------------------------------ tasks

    pub async fn list_tasks(&self, ctx: &OrgCtx, f: &TaskFilter) -> Result<Vec<Task>> {
        ctx.require(Permission::ReadRegisters)?;
        let mut tx = self.db.read().await?;
        Ok(repo::list_tasks(&mut tx, ctx.org.id, f).await?)
    }

    /// The actor's own tasks, open ones first, overdue first among them.
    pub async fn my_tasks(&self, ctx: &OrgCtx) -> Result<Vec<Task>> {
        ctx.require(Permission::ReadPublished)?;
        let Some(me) = ctx.actor.user_id() else { return Ok(Vec::new()) };
        let mut tx = self.db.read().await?;
        let mut tasks =
            repo::list_tasks(&mut tx, ctx.org.id, &TaskFilter { owner: Some(me), ..Default::default() }).await?;
        if !ctx.can(Permission::ReadRegisters) {
            // Someone who may not read the registers sees the task, not the record's title.
            tasks.iter_mut().for_each(|t| t.subject_label.clear());
        }
        Ok(tasks)
    }

    pub async fn get_task(&self, ctx: &OrgCtx, id: TaskId) -> Result<Task> {
        ctx.require(Permission::ReadPublished)?;
        let mut tx = self.db.read().await?;
        let mut t = repo::get_task(&mut tx, ctx.org.id, id).await?.ok_or(AppError::NotFound)?;
        if !ctx.can(Permission::ReadRegisters) {
            if t.data.owner_id != ctx.actor.user_id() {
                return Err(AppError::NotFound);
            }
            t.subject_label.clear();
        }
        Ok(t)
    }

    /// Adds a treatment task to a risk: the ISMS manager, or the risk's owner.
    pub async fn create_risk_task(&self, ctx: &OrgCtx, risk: RiskId, input: TaskInput) -> Result<Task> {
        ctx.require(Permission::ReadRegisters)?;
        let mut tx = self.db.write().await?;
        let r = repo::get_risk(&mut tx, ctx.org.id, risk).await?.ok_or(AppError::NotFound)?;
        if !ctx.can_edit_owned(r.data.owner_id) {
            return Err(AppError::Forbidden);
        }
        if r.archived {
            return Err(AppError::Conflict("error.archived_read_only"));
        }
        member_check(&mut tx, ctx, input.owner_id, "owner_id").await?;
        let id = TaskId::new();
        if !repo::insert_task(&mut tx, ctx.org.id, id, Subject::Risk, &risk.as_text(), &input, &now_text()).await? {
            return Err(invalid("applied_control_id", "error.unknown_applied_control"));
        }
        let after = repo::get_task(&mut tx, ctx.org.id, id).await?.ok_or(AppError::NotFound)?;
        record(&mut tx, &ctx.actor, &ctx.chain(), "create", "task", &id.as_text(), None, json(&after)).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Updates a task: the ISMS manager, or the task's owner (who may not
    /// hand it to someone else).
    pub async fn update_task(&self, ctx: &OrgCtx, id: TaskId, input: TaskInput) -> Result<Task> {
        ctx.require(Permission::ReadPublished)?;
        let mut tx = self.db.write().await?;
        let before = repo::get_task(&mut tx, ctx.org.id, id).await?.ok_or(AppError::NotFound)?;
        let mine = before.data.owner_id.is_some() && before.data.owner_id == ctx.actor.user_id();
        if !ctx.can(Permission::ReadRegisters) && !mine {
            return Err(AppError::NotFound);
        }
        let manager = ctx.can(Permission::ManageIsms);
        if !(manager || mine && ctx.can(Permission::EditOwn)) {
            return Err(AppError::Forbidden);
        }
        if !manager && input.owner_id != before.data.owner_id {
            return Err(AppError::Forbidden);
        }
        if input == before.data {
            return Ok(before);
        }
        member_check(&mut tx, ctx, input.owner_id, "owner_id").await?;
        if !repo::update_task(&mut tx, ctx.org.id, id, &input, &now_text()).await? {
            return Err(invalid("applied_control_id", "error.unknown_applied_control"));
        }
        let after = repo::get_task(&mut tx, ctx.org.id, id).await?.ok_or(AppError::NotFound)?;
        record(&mut tx, &ctx.actor, &ctx.chain(), "update", "task", &id.as_text(), json(&before), json(&after)).await?;
        tx.commit().await?;
        Ok(after)
    }
}

fn default_version() -> MethodologyVersion {
    MethodologyVersion {
        version: 0,
        note: None,
        created_by_label: String::new(),
        created_at: String::new(),
        approval: None,
        methodology: Methodology::default_5x5(),
    }
}

/// One page of the list; level numbers are compared on the version in force
/// (they mean something on one version's scale).
async fn risk_page(
    tx: &mut Tx,
    ctx: &OrgCtx,
    f: &RiskFilter,
    sort: RiskSort,
    limit: i64,
    offset: i64,
    known_total: Option<i64>,
) -> Result<RiskPage> {
    let mut narrowed;
    let mut f = f;
    if f.level.is_some() && f.methodology_version.is_none() {
        narrowed = f.clone();
        narrowed.methodology_version = Some(repo::current_methodology(tx, ctx.org.id).await?.map_or(0, |m| m.version));
        f = &narrowed;
    }
    let versions = repo::methodologies(tx, ctx.org.id).await?;
    let today = ctx.today();
    let (risks, total) = if f.unaccepted {
        // "Not accepted" means no acceptance that still holds: never accepted,
        // or accepted on a basis that has changed or until a day now past.
        // Whether a basis changed is decided here, not in SQL, so the page
        // is cut from every candidate (the list of a whole organisation).
        let everything = RiskFilter { unaccepted: false, ..f.clone() };
        let (all, _) = repo::list_risks(tx, ctx.org.id, &everything, sort, i64::MAX / 4, 0, None).await?;
        let ids: Vec<RiskId> = all.iter().map(|r| r.id).collect();
        let latest = repo::latest_acceptances(tx, ctx.org.id, &ids).await?;
        let open: Vec<Risk> = all
            .into_iter()
            .filter(|r| {
                let a = latest.iter().find(|a| a.risk_id == r.id);
                let m = versions.iter().find(|v| v.version == r.methodology_version);
                a.is_none() || m.is_some_and(|m| outdated(r, &m.methodology, a, &today))
            })
            .collect();
        let total = open.len() as i64;
        (open.into_iter().skip(offset.max(0) as usize).take(limit.max(0) as usize).collect(), total)
    } else {
        repo::list_risks(tx, ctx.org.id, f, sort, limit, offset, known_total).await?
    };
    let ids: Vec<RiskId> = risks.iter().map(|r| r.id).collect();
    let acceptances = repo::latest_acceptances(tx, ctx.org.id, &ids).await?;
    let outdated_ids = risks
        .iter()
        .filter(|r| {
            let a = acceptances.iter().find(|a| a.risk_id == r.id);
            let m = versions.iter().find(|v| v.version == r.methodology_version);
            m.is_some_and(|m| outdated(r, &m.methodology, a, &today))
        })
        .map(|r| r.id)
        .collect();
    Ok(RiskPage { total, risks, acceptances, outdated: outdated_ids })
}

/// How long heat-map counts are reused when this process has written nothing
/// since: another process (`borgen import` beside the server, a second server
/// on PostgreSQL) may have, and its changes show after this long at most.
const HEAT_TTL: std::time::Duration = std::time::Duration::from_secs(2);

/// Heat-map counts per organisation, each with the write generation it was
/// counted at: any commit by this process makes them stale at once.
#[derive(Clone, Debug, Default)]
pub(crate) struct HeatCache(
    std::sync::Arc<std::sync::Mutex<std::collections::HashMap<borgen_core::ids::OrgId, HeatEntry>>>,
);

#[derive(Clone, Debug)]
struct HeatEntry {
    generation: u64,
    at: std::time::Instant,
    methodology: std::sync::Arc<MethodologyVersion>,
    grid: std::sync::Arc<Vec<repo::HeatRow>>,
}

impl HeatCache {
    fn get(&self, org: borgen_core::ids::OrgId, generation: u64) -> Option<HeatEntry> {
        let map = self.0.lock().unwrap_or_else(|e| e.into_inner());
        map.get(&org).filter(|e| e.generation == generation && e.at.elapsed() < HEAT_TTL).cloned()
    }
    fn put(&self, org: borgen_core::ids::OrgId, e: HeatEntry) {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).insert(org, e);
    }
}

impl App {
    /// Both heat maps (see [`App::heat_maps`]) and the number of live risks,
    /// counted again only when something may have changed.
    async fn heat_maps_in(&self, tx: &mut Tx, ctx: &OrgCtx) -> Result<HeatMaps> {
        // Read before counting: a commit after this makes the entry stale.
        let generation = self.db.generation();
        let e = match self.heat.get(ctx.org.id, generation) {
            Some(e) => e,
            None => {
                let mv = repo::current_methodology(tx, ctx.org.id).await?.unwrap_or_else(default_version);
                let grid = std::sync::Arc::new(repo::heat_grid(tx, ctx.org.id).await?);
                let methodology = std::sync::Arc::new(mv);
                let e = HeatEntry { generation, at: std::time::Instant::now(), methodology, grid };
                self.heat.put(ctx.org.id, e.clone());
                e
            }
        };
        let version = e.methodology.version;
        let (current, earlier): (Vec<_>, Vec<_>) = e.grid.iter().partition(|r| r.version == version);
        let current: Vec<repo::HeatRow> = current.into_iter().copied().collect();
        Ok(HeatMaps {
            methodology: (*e.methodology).clone(),
            inherent: repo::heat_counts(&current, false),
            residual: repo::heat_counts(&current, true),
            earlier: earlier.iter().map(|r| r.count).sum(),
            total: e.grid.iter().map(|r| r.count).sum(),
        })
    }
}

async fn detail(tx: &mut Tx, ctx: &OrgCtx, id: RiskId) -> Result<RiskDetail> {
    let risk = repo::get_risk(tx, ctx.org.id, id).await?.ok_or(AppError::NotFound)?;
    let acceptances = repo::acceptances(tx, ctx.org.id, id).await?;
    let m = repo::methodology(tx, ctx.org.id, risk.methodology_version)
        .await?
        .map(|m| m.methodology)
        .unwrap_or_else(Methodology::default_5x5);
    let acceptance_outdated = outdated(&risk, &m, acceptances.first(), &ctx.today());
    let tasks = repo::list_tasks(
        tx,
        ctx.org.id,
        &TaskFilter { subject: Some((Subject::Risk, id.as_text())), ..Default::default() },
    )
    .await?;
    Ok(RiskDetail { risk, acceptances, acceptance_outdated, tasks })
}

async fn rescore_plan(tx: &mut Tx, ctx: &OrgCtx) -> Result<(i64, Vec<Rescore>)> {
    let Some(current) = repo::current_methodology(tx, ctx.org.id).await? else { return Ok((0, Vec::new())) };
    let (risks, _) =
        repo::list_risks(tx, ctx.org.id, &RiskFilter::default(), RiskSort::Number, 100_000, 0, None).await?;
    let mut out = Vec::new();
    for r in risks.into_iter().filter(|r| r.methodology_version != current.version) {
        let out_of_scale = r.data.check_scores(&current.methodology).is_err();
        let (il, rl) = if out_of_scale { (None, None) } else { r.data.levels(&current.methodology) };
        out.push(Rescore {
            risk_id: r.id,
            reference: r.reference(),
            title: r.data.title.clone(),
            from_version: r.methodology_version,
            inherent: (r.inherent_level, il),
            residual: (r.residual_level, rl),
            out_of_scale,
        });
    }
    Ok((current.version, out))
}

/// Raw input of an organisation's own threat.
pub use borgen_core::fair::{EstimateForm, NumText};

/// The register's quantitative picture.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Quantitative {
    pub seed: u64,
    pub iterations: usize,
    pub risks: Vec<(Risk, borgen_core::fair::Estimate, borgen_core::fair::Outcome)>,
    pub total: Option<borgen_core::fair::Outcome>,
}

impl App {
    pub async fn risk_estimate(&self, ctx: &OrgCtx, id: RiskId) -> Result<Option<borgen_core::fair::Estimate>> {
        ctx.require(Permission::ReadRegisters)?;
        let mut tx = self.db.read().await?;
        repo::get_risk(&mut tx, ctx.org.id, id).await?.ok_or(AppError::NotFound)?;
        Ok(repo::estimate(&mut tx, ctx.org.id, id).await?)
    }

    /// Sets or clears a risk's FAIR estimate: the ISMS manager, or the risk owner.
    /// The outcome under the default seed is simulated once here, before the
    /// write lock is taken, and stored with the estimate (`risk_outcome`
    /// then reads it instead of simulating on every view).
    pub async fn set_risk_estimate(
        &self,
        ctx: &OrgCtx,
        id: RiskId,
        e: Option<borgen_core::fair::Estimate>,
    ) -> Result<()> {
        ctx.require(Permission::ReadRegisters)?;
        // The checks first without the write lock, so that nobody simulates
        // for a change that would be refused or would change nothing.
        let number = {
            let mut tx = self.db.read().await?;
            let r = repo::get_risk(&mut tx, ctx.org.id, id).await?.ok_or(AppError::NotFound)?;
            Self::check_estimate_change(ctx, &r)?;
            if repo::estimate(&mut tx, ctx.org.id, id).await? == e {
                return Ok(());
            }
            r.number
        };
        let stored = match e {
            Some(e) => Some(self.simulate_one(number, e, DEFAULT_SEED).await?),
            None => None,
        };
        let mut tx = self.db.write().await?;
        let r = repo::get_risk(&mut tx, ctx.org.id, id).await?.ok_or(AppError::NotFound)?;
        Self::check_estimate_change(ctx, &r)?;
        let before = repo::estimate(&mut tx, ctx.org.id, id).await?;
        if before == e {
            return Ok(());
        }
        let now = now_text();
        repo::set_estimate(&mut tx, ctx.org.id, id, e.as_ref(), &now).await?;
        if let Some(stored) = &stored {
            repo::set_estimate_result(&mut tx, ctx.org.id, id, &stored.to_json(), &now).await?;
        }
        record(&mut tx, &ctx.actor, &ctx.chain(), "estimate", "risk", &id.as_text(), json(&before), json(&e)).await?;
        tx.commit().await?;
        Ok(())
    }

    fn check_estimate_change(ctx: &OrgCtx, r: &Risk) -> Result<()> {
        if !ctx.can_edit_owned(r.data.owner_id) {
            return Err(AppError::Forbidden);
        }
        if r.archived {
            return Err(AppError::Conflict("error.archived_read_only"));
        }
        Ok(())
    }

    /// One risk's simulation (its own stream) on a CPU worker.
    async fn simulate_one(
        &self,
        number: i64,
        e: borgen_core::fair::Estimate,
        seed: u64,
    ) -> Result<borgen_core::fair::StoredOutcome> {
        self.cpu(move || borgen_core::fair::StoredOutcome::compute(number.max(0) as u64, e, ITERATIONS, seed)).await
    }

    /// Simulates every live risk that has an estimate.
    pub async fn quantitative(&self, ctx: &OrgCtx, iterations: usize, seed: u64) -> Result<Quantitative> {
        ctx.require(Permission::ReadRegisters)?;
        let mut tx = self.db.read().await?;
        let est = repo::estimates(&mut tx, ctx.org.id).await?;
        let mut risks = Vec::with_capacity(est.len());
        for (id, e) in &est {
            if let Some(r) = repo::get_risk(&mut tx, ctx.org.id, *id).await? {
                risks.push((r, *e));
            }
        }
        drop(tx);
        let estimates: Vec<(u64, borgen_core::fair::Estimate)> =
            risks.iter().map(|(r, e)| (r.number.max(0) as u64, *e)).collect();
        let (outs, total) =
            tokio::task::spawn_blocking(move || borgen_core::fair::simulate(&estimates, iterations, seed))
                .await
                .map_err(|e| AppError::Internal(e.to_string()))?;
        let has_any = !risks.is_empty();
        Ok(Quantitative {
            seed,
            iterations,
            risks: risks.into_iter().zip(outs).map(|((r, e), o)| (r, e, o)).collect(),
            total: has_any.then_some(total),
        })
    }
}

/// The seed used when none is given: results are reproducible by default.
pub const DEFAULT_SEED: u64 = 27001;
/// Simulated years per run.
pub const ITERATIONS: usize = 100_000;

impl App {
    /// A risk's estimate with its simulated outcome (its own stream, so the
    /// figures equal the risk's row on the register's page for the same seed).
    /// The outcome stored with the estimate is used while it was computed from
    /// the same estimate, risk number, seed, iterations and algorithm version;
    /// otherwise (none stored yet, another seed, older code) the risk is
    /// simulated and the result stored for the next view. That store is a
    /// derived cache, not a change of ISMS data: it has no audit event.
    pub async fn risk_outcome(
        &self,
        ctx: &OrgCtx,
        id: RiskId,
        seed: u64,
    ) -> Result<Option<(borgen_core::fair::Estimate, borgen_core::fair::Outcome)>> {
        use borgen_core::fair::StoredOutcome;
        ctx.require(Permission::ReadRegisters)?;
        let (number, est) = {
            let mut tx = self.db.read().await?;
            let r = repo::get_risk(&mut tx, ctx.org.id, id).await?.ok_or(AppError::NotFound)?;
            (r.number, repo::estimate_with_result(&mut tx, ctx.org.id, id).await?)
        };
        let Some((e, result, set_at)) = est else { return Ok(None) };
        let key = number.max(0) as u64;
        if let Some(stored) = result.as_deref().and_then(StoredOutcome::from_json)
            && stored.fits(key, &e, ITERATIONS, seed)
        {
            return Ok(Some((e, stored.outcome)));
        }
        let fresh = self.simulate_one(number, e, seed).await?;
        // Stored only while the estimate is the one simulated; a failure to
        // store costs the next view a simulation, not this one its answer.
        let stored = async {
            let mut tx = self.db.write().await?;
            repo::set_estimate_result(&mut tx, ctx.org.id, id, &fresh.to_json(), &set_at).await?;
            tx.commit().await?;
            Ok::<_, AppError>(())
        }
        .await;
        if let Err(err) = stored {
            tracing::warn!(risk = %id, error = %err, "could not store a simulated outcome");
        }
        Ok(Some((e, fresh.outcome)))
    }
}

// ------------------------------------------------------------ assessment runs

use borgen_core::run::{RunDiff, RunForm, RunRisk};
use borgen_store::risk::RunRow;

impl App {
    pub async fn runs(&self, ctx: &OrgCtx) -> Result<Vec<RunRow>> {
        ctx.require(Permission::ReadRegisters)?;
        let mut tx = self.db.read().await?;
        Ok(repo::runs(&mut tx, ctx.org.id).await?)
    }

    pub async fn run(&self, ctx: &OrgCtx, number: i64) -> Result<RunRow> {
        ctx.require(Permission::ReadRegisters)?;
        let mut tx = self.db.read().await?;
        repo::get_run(&mut tx, ctx.org.id, number).await?.ok_or(AppError::NotFound)
    }

    /// When the next planned run is due (the last run plus the methodology's
    /// interval), or `None` before the first run.
    pub async fn next_run_due(&self, ctx: &OrgCtx) -> Result<Option<String>> {
        let runs = self.runs(ctx).await?;
        let m = self.methodology(ctx).await?;
        Ok(borgen_core::run::next_due(runs.first().map(|r| r.taken_at.as_str()), m.methodology.review_months))
    }

    /// Takes a run: freezes every live risk as it stands (ISMS manager).
    pub async fn take_run(&self, ctx: &OrgCtx, f: &RunForm) -> Result<i64> {
        ctx.require(Permission::ManageIsms)?;
        let input = f.parse()?;
        let mut tx = self.db.write().await?;
        orgs::lock(&mut tx, ctx.org.id).await?;
        let mv = self.methodology_for_write(&mut tx, ctx).await?;
        let (risks, _) =
            repo::list_risks(&mut tx, ctx.org.id, &RiskFilter::default(), RiskSort::Number, 1_000_000, 0, None).await?;
        let ids: Vec<RiskId> = risks.iter().map(|r| r.id).collect();
        let acceptances = repo::latest_acceptances(&mut tx, ctx.org.id, &ids).await?;
        let versions = repo::methodologies(&mut tx, ctx.org.id).await?;
        let members = orgs::members(&mut tx, ctx.org.id).await?;
        let today = ctx.today();
        let frozen: Vec<RunRisk> = risks
            .iter()
            .map(|r| {
                let a = acceptances.iter().find(|a| a.risk_id == r.id);
                let m = versions.iter().find(|v| v.version == r.methodology_version);
                let accepted = a.is_some() && !m.is_some_and(|m| outdated(r, &m.methodology, a, &today));
                let owner =
                    r.data.owner_id.and_then(|o| members.iter().find(|x| x.user_id == o).map(|x| x.name.clone()));
                RunRisk::of(r, owner, accepted)
            })
            .collect();
        let label = ctx.actor.audit_ref().label;
        let number = repo::insert_run(&mut tx, ctx.org.id, &input, mv.version, &frozen, &label, &now_text()).await?;
        let after = serde_json::json!({ "number": number, "run": input, "methodology_version": mv.version, "risks": frozen.len() });
        record(&mut tx, &ctx.actor, &ctx.chain(), "create", "risk_run", &number.to_string(), None, Some(after)).await?;
        tx.commit().await?;
        Ok(number)
    }

    /// What changed from run `from` to run `to`.
    pub async fn compare_runs(&self, ctx: &OrgCtx, from: i64, to: i64) -> Result<RunDiff> {
        let a = self.run(ctx, from).await?.risks()?;
        let b = self.run(ctx, to).await?.risks()?;
        Ok(borgen_core::run::compare(&a, &b))
    }
}

impl App {
    /// Fails unless the actor may change this risk (ISMS manager or owner),
    /// so a handler can refuse before it reads the input.
    pub async fn require_risk_editor(&self, ctx: &OrgCtx, id: RiskId) -> Result<()> {
        ctx.require(Permission::ReadRegisters)?;
        let mut tx = self.db.read().await?;
        let r = repo::get_risk(&mut tx, ctx.org.id, id).await?.ok_or(AppError::NotFound)?;
        if ctx.can_edit_owned(r.data.owner_id) { Ok(()) } else { Err(AppError::Forbidden) }
    }
}
