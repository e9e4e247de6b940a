//! The risk treatment plan as a whole (6.1.3 e–f): the ISMS manager issues a
//! version of it, every risk owner in it signs it off, top management
//! approves it ([`borgen_core::version::TREATMENT_PLANS`]; sign-off and
//! approval are the versions mechanism's, `version.rs`).

use crate::{App, AppError, OrgCtx, Result, record};
use borgen_core::risk::{RiskFilter, Treatment};
use borgen_core::role::Permission;
use borgen_core::time::now_text;
use borgen_core::treatment::{Plan, gaps};
use borgen_core::version::{TREATMENT_PLANS, Versioned};
use borgen_store::risk::{self as risks, RiskSort, TaskFilter};
use borgen_store::version::{self as versions, Signoff, VersionRow};
use borgen_store::{Tx, orgs, register};

const V: &Versioned = &TREATMENT_PLANS;

/// One version of the plan with its sign-offs.
#[derive(Clone, Debug, serde::Serialize)]
pub struct PlanVersion {
    #[serde(flatten)]
    pub version: VersionRow,
    pub plan: Plan,
    pub signoffs: Vec<Signoff>,
}

impl PlanVersion {
    /// The risk owners who have not signed yet.
    pub fn waiting(&self) -> Vec<borgen_core::version::Signer> {
        let signed: Vec<&str> = self.signoffs.iter().map(|s| s.user_id.as_str()).collect();
        self.plan.signers().into_iter().filter(|s| !signed.contains(&s.user_id.as_str())).collect()
    }
}

async fn current_plan(tx: &mut Tx, ctx: &OrgCtx) -> Result<Plan> {
    let (all, _) =
        risks::list_risks(tx, ctx.org.id, &RiskFilter::default(), RiskSort::Number, 1_000_000, 0, None).await?;
    let tasks = risks::list_tasks(tx, ctx.org.id, &TaskFilter::default()).await?;
    let members = orgs::members(tx, ctx.org.id).await?;
    let applied = register::applied_refs(tx, ctx.org.id).await?;
    // Only a member who may still own risks can sign the plan off.
    let name = |id: &str| {
        members.iter().find(|m| m.user_id.to_string() == id && m.roles.may_own_risks()).map(|m| m.name.clone())
    };
    let applied_name = |id: &str| applied.iter().find(|a| a.id.to_string() == id).map(|a| a.name.clone());
    Ok(Plan::of(&all, &tasks, name, applied_name))
}

impl App {
    /// The plan as it stands now (not a version).
    pub async fn treatment_plan(&self, ctx: &OrgCtx) -> Result<Plan> {
        ctx.require(Permission::ReadRegisters)?;
        let mut tx = self.db.read().await?;
        current_plan(&mut tx, ctx).await
    }

    /// Freezes the current plan as a new version (ISMS manager), refused
    /// (409, naming each problem) when it has nothing to treat, a risk
    /// without an owner or a risk to treat with nothing planned for it.
    pub async fn issue_treatment_plan(&self, ctx: &OrgCtx, note: Option<&str>) -> Result<i64> {
        ctx.require(Permission::ManageIsms)?;
        let note = crate::version::version_note(note)?;
        let mut tx = self.db.write().await?;
        orgs::lock(&mut tx, ctx.org.id).await?;
        let plan = current_plan(&mut tx, ctx).await?;
        let open = gaps(&plan);
        if !open.is_empty() {
            return Err(AppError::Blocked("error.plan_gaps", open));
        }
        let snapshot = serde_json::to_string(&plan).map_err(|e| AppError::Internal(e.to_string()))?;
        let actor = ctx.actor.audit_ref();
        let number =
            versions::insert(&mut tx, V, ctx.org.id, note, &snapshot, &now_text(), actor.id.as_deref(), &actor.label)
                .await?;
        let mitigate = plan.risks.iter().filter(|r| r.treatment == Treatment::Mitigate).count();
        let after = serde_json::json!({
            "number": number, "note": note, "risks": plan.risks.len(), "mitigate": mitigate,
            "undecided": plan.undecided.len(),
            "signers": plan.signers().iter().map(|s| s.name.clone()).collect::<Vec<_>>(),
        });
        record(&mut tx, &ctx.actor, &ctx.chain(), "issue", V.entity, &number.to_string(), None, Some(after)).await?;
        tx.commit().await?;
        Ok(number)
    }

    /// Every version of the plan, newest first, with their sign-offs.
    pub async fn treatment_plan_versions(&self, ctx: &OrgCtx) -> Result<Vec<PlanVersion>> {
        ctx.require(Permission::ReadRegisters)?;
        let mut tx = self.db.read().await?;
        let mut out = Vec::new();
        for version in versions::list(&mut tx, V, ctx.org.id).await? {
            let signoffs = versions::signoffs(&mut tx, V, ctx.org.id, version.number).await?;
            out.push(PlanVersion { plan: version.snapshot_as()?, version, signoffs });
        }
        Ok(out)
    }

    pub async fn treatment_plan_version(&self, ctx: &OrgCtx, number: i64) -> Result<PlanVersion> {
        ctx.require(Permission::ReadRegisters)?;
        let mut tx = self.db.read().await?;
        let version = versions::get(&mut tx, V, ctx.org.id, number).await?.ok_or(AppError::NotFound)?;
        let signoffs = versions::signoffs(&mut tx, V, ctx.org.id, number).await?;
        Ok(PlanVersion { plan: version.snapshot_as()?, version, signoffs })
    }
}
