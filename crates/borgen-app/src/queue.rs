//! What waits for the acting member, per role, for the overview page: top
//! management the versions to approve and the risks only they may accept,
//! an owner their unaccepted risks and overdue tasks, the ISMS manager the
//! reviews that are due (9.3 inputs, 6.1.2 review dates, 4.1 issues).

use crate::{App, OrgCtx, Result};
use borgen_core::risk::{AcceptBy, RiskFilter};
use borgen_core::role::Permission;
use serde::Serialize;

/// A version of some kind that waits for top management's approval.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Pending {
    /// `soa_version`, `risk_run`, `risk_methodology` or `treatment_plan`
    /// (`entity.{kind}`).
    pub kind: &'static str,
    pub number: i64,
}

/// A document version that waits for the member.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DocWaiting {
    pub document_id: String,
    pub number: i64,
    pub code: String,
    pub title: String,
}

/// What waits for the member; each list or count empty when nothing does
/// (or when their role does not make it theirs).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct WorkQueue {
    /// Versions awaiting approval (top management).
    pub approvals: Vec<Pending>,
    /// Versions awaiting the member's own sign-off (a treatment plan with
    /// their risks in it).
    pub sign_offs: Vec<Pending>,
    /// Unaccepted risks whose level the criteria reserve for top management.
    pub to_accept: i64,
    /// The member's own risks without a current acceptance.
    pub my_unaccepted: i64,
    /// The member's own open tasks past their due date.
    pub my_overdue_tasks: i64,
    /// Live risks past their review date (ISMS manager).
    pub risks_overdue: i64,
    /// Context issues not reviewed for a year, or never (ISMS manager).
    pub stale_issues: i64,
    /// Documents in force that ask the member to read and confirm them and
    /// that they have not confirmed (every member).
    pub to_read: Vec<DocWaiting>,
    /// Versions in review that wait for the member's review.
    pub doc_reviews: Vec<DocWaiting>,
    /// Versions in review whose reviewers all approved, for the member to
    /// approve (the role the document's type needs).
    pub doc_approvals: Vec<DocWaiting>,
    /// Current documents past their review date: all of them for the ISMS
    /// manager, the member's own for an owner.
    pub docs_overdue: i64,
}

impl WorkQueue {
    pub fn is_empty(&self) -> bool {
        *self == WorkQueue::default()
    }
}

/// The day one year before `today` (YYYY-MM-DD), the same day of the month.
fn year_before(today: &str) -> String {
    match today.get(..4).and_then(|y| y.parse::<i32>().ok()) {
        Some(y) => format!("{:04}{}", y - 1, &today[4..]),
        None => today.to_string(),
    }
}

impl App {
    pub async fn work_queue(&self, ctx: &OrgCtx) -> Result<WorkQueue> {
        let to_read = self
            .to_read(ctx)
            .await?
            .into_iter()
            .filter(|r| r.asked && r.confirmed_at.is_none())
            .map(|r| DocWaiting { document_id: r.document_id, number: r.number, code: r.code, title: r.title })
            .collect();
        let mut q = WorkQueue { to_read, ..Default::default() };
        if !ctx.can(Permission::ReadRegisters) {
            return Ok(q);
        }
        let today = ctx.today();
        self.document_queue(ctx, &mut q, &today).await?;
        if ctx.can(Permission::Approve) {
            // Only what an approval would still make count: versions newer than
            // the newest approved one (an SoA version only when its frozen rows
            // pass the gate), and the methodology in force or a newer draft.
            let soa = self.soa_versions(ctx).await?;
            let soa_approved = soa.iter().filter(|v| v.approved_at.is_some()).map(|v| v.number).max().unwrap_or(0);
            for v in soa.iter().filter(|v| v.approved_at.is_none() && v.number > soa_approved) {
                let passes = v.rows().map(|rows| borgen_core::soa::gaps(&rows).is_empty()).unwrap_or(false);
                if passes {
                    q.approvals.push(Pending { kind: "soa_version", number: v.number });
                }
            }
            let runs = self.runs(ctx).await?;
            let runs_approved = runs.iter().filter(|r| r.approved_at.is_some()).map(|r| r.number).max().unwrap_or(0);
            for r in runs.iter().filter(|r| r.approved_at.is_none() && r.number > runs_approved) {
                q.approvals.push(Pending { kind: "risk_run", number: r.number });
            }
            let method = self.methodology(ctx).await?;
            for m in self.methodology_versions(ctx).await?.iter() {
                if m.approval.is_none() && m.version >= method.version {
                    q.approvals.push(Pending { kind: "risk_methodology", number: m.version });
                }
            }
        }
        // A treatment plan version newer than the last approved one: its risk
        // owners sign it off, then top management approves it.
        let plans = self.treatment_plan_versions(ctx).await?;
        let plans_approved = plans.iter().filter(|v| v.version.approved_at.is_some()).map(|v| v.version.number).max();
        let me = ctx.actor.user_id().map(|u| u.to_string());
        for v in plans.iter().filter(|v| v.version.approved_at.is_none() && Some(v.version.number) > plans_approved) {
            let waiting = v.waiting();
            let number = v.version.number;
            if waiting.iter().any(|s| Some(&s.user_id) == me.as_ref()) {
                q.sign_offs.push(Pending { kind: "treatment_plan", number });
            }
            if waiting.is_empty() && ctx.can(Permission::Approve) {
                q.approvals.push(Pending { kind: "treatment_plan", number });
            }
        }
        if ctx.can(Permission::Approve) {
            let method = self.methodology(ctx).await?;
            let unaccepted = RiskFilter { unaccepted: true, ..Default::default() };
            let page = self.list_risks(ctx, &unaccepted, Default::default(), 1000, 0).await?;
            q.to_accept = page
                .risks
                .iter()
                .filter(|r| r.methodology_version == method.version)
                .filter_map(|r| r.data.acceptance_level(&method.methodology))
                .filter(|level| method.methodology.accept_by(*level) == AcceptBy::TopManagement)
                .count() as i64;
        }
        if let Some(me) = ctx.actor.user_id() {
            let mine = RiskFilter { unaccepted: true, owner: Some(me), ..Default::default() };
            q.my_unaccepted = self.list_risks(ctx, &mine, Default::default(), 1, 0).await?.total;
            q.my_overdue_tasks = self.my_tasks(ctx).await?.iter().filter(|t| t.overdue(&today)).count() as i64;
        }
        if ctx.can(Permission::ManageIsms) {
            let overdue = RiskFilter { overdue_before: Some(today.clone()), ..Default::default() };
            q.risks_overdue = self.list_risks(ctx, &overdue, Default::default(), 1, 0).await?.total;
            let issues = &borgen_core::registers::CONTEXT_ISSUES;
            let live = issues.query(&Default::default()).map_err(|_| crate::AppError::Internal("list query".into()))?;
            let all = borgen_core::register::ListQuery { per_page: borgen_core::register::EXPORT_MAX, ..live };
            let cut = year_before(&today);
            let reviewed = issues.index("last_reviewed");
            q.stale_issues = self
                .reg_list(ctx, issues, &all)
                .await?
                .0
                .iter()
                .filter(|h| {
                    let at = reviewed.and_then(|i| h.rec.values.get(i)).and_then(|v| v.as_text());
                    at.is_none_or(|d| d < cut.as_str())
                })
                .count() as i64;
        }
        Ok(q)
    }
}

/// What waits for the member on documents, for their task list: versions
/// to review or approve, and their own documents past the review date.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct DocTasks {
    pub reviews: Vec<DocWaiting>,
    pub approvals: Vec<DocWaiting>,
    pub overdue: Vec<borgen_store::document::DueRow>,
}

impl App {
    /// The member's own work on documents.
    pub async fn my_document_tasks(&self, ctx: &OrgCtx) -> Result<DocTasks> {
        let Some(me) = ctx.actor.user_id() else { return Ok(DocTasks::default()) };
        let today = ctx.today();
        let mut q = WorkQueue::default();
        self.document_queue(ctx, &mut q, &today).await?;
        let mut tx = self.db.read().await?;
        let overdue = borgen_store::document::reviews_due(&mut tx, ctx.org.id, &today, &me.as_text()).await?;
        Ok(DocTasks { reviews: q.doc_reviews, approvals: q.doc_approvals, overdue })
    }

    /// The document versions waiting for the member's review or approval,
    /// and the documents past their review date that are theirs to review.
    async fn document_queue(&self, ctx: &OrgCtx, q: &mut WorkQueue, today: &str) -> Result<()> {
        let mut tx = self.db.read().await?;
        let members = borgen_store::orgs::members(&mut tx, ctx.org.id).await?;
        let me = ctx.actor.user_id().map(|u| u.as_text()).unwrap_or_default();
        for v in borgen_store::document::in_review(&mut tx, ctx.org.id).await? {
            let reviews = borgen_store::document::reviews(&mut tx, ctx.org.id, &v.version_id).await?;
            let waiting = DocWaiting {
                document_id: v.document_id.clone(),
                number: v.number,
                code: v.code.clone(),
                title: v.title.clone(),
            };
            if reviews.iter().any(|r| r.user_id == me && r.decision == "pending") {
                q.doc_reviews.push(waiting.clone());
            }
            let kind = crate::document::sent_as(ctx, &v.doc_type, v.sent_as.as_deref());
            if !crate::document::open_reviews(&reviews, &members)
                && ctx.org.document_rules.may_approve(&ctx.roles, kind)
            {
                q.doc_approvals.push(waiting);
            }
        }
        let owner = if ctx.can(Permission::ManageIsms) { None } else { Some(me.as_str()) };
        if owner.is_none() || ctx.can(Permission::EditOwn) {
            q.docs_overdue = borgen_store::document::reviews_overdue(&mut tx, ctx.org.id, today, owner).await?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_year_before_keeps_the_day() {
        assert_eq!(super::year_before("2026-12-02"), "2025-12-02");
        assert_eq!(super::year_before("2028-02-29"), "2027-02-29", "compared as text: still a year");
    }
}
