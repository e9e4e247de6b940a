//! The risk treatment plan as a whole (6.1.3 e–f): a numbered version of the
//! plan freezes every live risk with a treatment decision, its controls and
//! tasks; each risk owner signs it off for their risks, then top management
//! approves it ([`crate::version::TREATMENT_PLANS`]).

use crate::risk::{Risk, Treatment};
use crate::task::{Task, TaskStatus};
use crate::text::Problem;
use crate::version::Signer;
use serde::{Deserialize, Serialize};

/// One action of the plan as a version froze it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanTask {
    pub title: String,
    pub owner: Option<String>,
    pub due_date: Option<String>,
    pub status: TaskStatus,
}

/// One risk of the plan as a version froze it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanRisk {
    pub id: String,
    pub reference: String,
    pub title: String,
    pub owner_id: Option<String>,
    pub owner: Option<String>,
    pub inherent_level: Option<u8>,
    pub treatment: Treatment,
    pub treatment_rationale: Option<String>,
    /// Annex A controls selected for it.
    pub control_ids: Vec<String>,
    /// The organisation's applied controls serving it, by name.
    pub applied_controls: Vec<String>,
    /// The level expected once the plan is carried out.
    pub residual_level: Option<u8>,
    pub tasks: Vec<PlanTask>,
}

/// The plan at one moment: the risks it treats, and the live risks that
/// have no treatment decision yet (named, so a reader sees what it leaves out).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    pub risks: Vec<PlanRisk>,
    pub undecided: Vec<String>,
    /// Assessed (or further) risks without a treatment decision: they stop
    /// the plan from being issued.
    #[serde(default)]
    pub unplanned: Vec<String>,
}

impl Plan {
    /// The plan of `risks` (archived and closed ones are left out) with their
    /// `tasks` (matched by risk id); `owner` names a member who may own risks
    /// by id (`None` for anyone else), `applied` an applied control by id.
    pub fn of(
        risks: &[Risk],
        tasks: &[Task],
        owner: impl Fn(&str) -> Option<String>,
        applied: impl Fn(&str) -> Option<String>,
    ) -> Plan {
        let mut plan = Plan::default();
        for r in risks.iter().filter(|r| !r.archived && r.data.status != crate::risk::RiskStatus::Closed) {
            let Some(treatment) = r.data.treatment else {
                let name = format!("{} {}", r.reference(), r.data.title);
                if r.data.status == crate::risk::RiskStatus::Identified {
                    plan.undecided.push(name);
                } else {
                    plan.unplanned.push(name);
                }
                continue;
            };
            let id = r.id.to_string();
            let owner_id = r.data.owner_id.map(|u| u.to_string());
            plan.risks.push(PlanRisk {
                reference: r.reference(),
                title: r.data.title.clone(),
                owner: owner_id.as_deref().and_then(&owner),
                owner_id,
                inherent_level: r.inherent_level,
                treatment,
                treatment_rationale: r.data.treatment_rationale.clone(),
                control_ids: r.data.control_ids.clone(),
                applied_controls: r.data.applied_control_ids.iter().filter_map(|a| applied(a)).collect(),
                residual_level: r.residual_level,
                tasks: tasks
                    .iter()
                    .filter(|t| t.subject_id == id && t.data.status != TaskStatus::Cancelled)
                    .map(|t| PlanTask {
                        title: t.data.title.clone(),
                        owner: t.data.owner_id.and_then(|u| owner(&u.to_string())),
                        due_date: t.data.due_date.clone(),
                        status: t.data.status,
                    })
                    .collect(),
                id,
            });
        }
        plan
    }

    /// The risk owners who sign the plan off, each once, in the order their
    /// first risk appears.
    pub fn signers(&self) -> Vec<Signer> {
        let mut out: Vec<Signer> = Vec::new();
        for r in &self.risks {
            if let Some(id) = &r.owner_id
                && !out.iter().any(|s| &s.user_id == id)
            {
                out.push(Signer { user_id: id.clone(), name: r.owner.clone().unwrap_or_else(|| id.clone()) });
            }
        }
        out
    }
}

/// What stands in the way of issuing the plan: nothing to treat, an assessed
/// risk without a treatment decision, a risk without an owner or whose owner
/// may no longer own risks (nobody could sign it off), a risk to mitigate,
/// transfer or avoid with no control, applied control or task planned for it.
pub fn gaps(plan: &Plan) -> Vec<Problem> {
    let mut out = Vec::new();
    if plan.risks.is_empty() {
        out.push(Problem { key: "plan_gap.empty".into(), args: Vec::new() });
    }
    for name in &plan.unplanned {
        out.push(Problem { key: "plan_gap.assessed_undecided".into(), args: vec![("risk", name.clone())] });
    }
    for r in &plan.risks {
        let risk = || vec![("risk", format!("{} {}", r.reference, r.title))];
        if r.owner_id.is_none() {
            out.push(Problem { key: "plan_gap.no_owner".into(), args: risk() });
        } else if r.owner.is_none() {
            out.push(Problem { key: "plan_gap.owner_gone".into(), args: risk() });
        }
        let acts = !r.control_ids.is_empty() || !r.applied_controls.is_empty() || !r.tasks.is_empty();
        if r.treatment != Treatment::Accept && !acts {
            out.push(Problem { key: "plan_gap.no_action".into(), args: risk() });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::{RiskId, TaskId, UserId};
    use crate::risk::{RiskInput, RiskStatus};
    use crate::task::{Subject, TaskInput};

    fn risk(number: i64, owner: Option<UserId>, treatment: Option<Treatment>, controls: &[&str]) -> Risk {
        Risk {
            id: RiskId::new(),
            number,
            data: RiskInput {
                title: format!("Risk {number}"),
                description: None,
                asset_ids: Vec::new(),
                no_asset_reason: None,
                threat: None,
                vulnerability: None,
                affects_c: true,
                affects_i: false,
                affects_a: false,
                owner_id: owner,
                inherent: None,
                existing_controls: None,
                treatment,
                treatment_rationale: None,
                control_ids: controls.iter().map(|c| c.to_string()).collect(),
                applied_control_ids: Vec::new(),
                residual: None,
                status: RiskStatus::InTreatment,
                next_review: None,
            },
            methodology_version: 1,
            inherent_level: Some(4),
            residual_level: Some(2),
            archived: false,
            created_at: String::new(),
            updated_at: String::new(),
        }
    }

    fn task(r: &Risk, title: &str, status: TaskStatus) -> Task {
        Task {
            id: TaskId::new(),
            subject: Subject::Risk,
            subject_id: r.id.to_string(),
            subject_label: r.reference(),
            data: TaskInput {
                title: title.into(),
                description: None,
                owner_id: None,
                due_date: Some("2027-03-01".into()),
                status,
                progress: 0,
                applied_control_id: None,
                closing_note: None,
            },
            created_at: String::new(),
            updated_at: String::new(),
        }
    }

    #[test]
    fn the_plan_holds_decided_live_risks_with_their_tasks_and_names_the_rest() {
        let (a, b) = (UserId::new(), UserId::new());
        let r1 = risk(1, Some(a), Some(Treatment::Mitigate), &["8.13"]);
        let r2 = risk(2, Some(b), Some(Treatment::Accept), &[]);
        let mut r3 = risk(3, Some(a), None, &[]);
        r3.data.status = RiskStatus::Identified;
        let mut r4 = risk(4, Some(b), Some(Treatment::Mitigate), &["5.1"]);
        r4.archived = true;
        let mut r5 = risk(5, Some(b), Some(Treatment::Mitigate), &["5.1"]);
        r5.data.status = RiskStatus::Closed;
        let tasks = vec![
            task(&r1, "Hersteltest per kwartaal", TaskStatus::Open),
            task(&r1, "Geschrapt", TaskStatus::Cancelled),
        ];
        let names = |id: &str| Some(if id == a.to_string() { "Fatima".to_string() } else { "Pieter".to_string() });
        let plan = Plan::of(&[r1, r2, r3, r4, r5], &tasks, names, |_| None);
        assert_eq!(plan.risks.iter().map(|r| r.reference.as_str()).collect::<Vec<_>>(), ["R-001", "R-002"]);
        assert_eq!(plan.undecided, ["R-003 Risk 3"]);
        assert_eq!(plan.risks[0].tasks.len(), 1, "cancelled tasks are not part of the plan");
        assert_eq!(plan.risks[0].tasks[0].title, "Hersteltest per kwartaal");
        let signers = plan.signers();
        assert_eq!(signers.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(), ["Fatima", "Pieter"]);
        assert!(gaps(&plan).is_empty());
    }

    #[test]
    fn a_plan_without_risks_owners_or_actions_is_not_issued() {
        assert_eq!(gaps(&Plan::default())[0].key, "plan_gap.empty");
        let nobody = risk(1, None, Some(Treatment::Accept), &[]);
        let (member, gone) = (UserId::new(), UserId::new());
        let idle = risk(2, Some(member), Some(Treatment::Mitigate), &[]);
        let orphan = risk(3, Some(gone), Some(Treatment::Accept), &[]);
        let assessed = risk(4, Some(member), None, &[]);
        // Only `member` may (still) own risks.
        let names = |id: &str| (id == member.to_string()).then(|| "Fatima".to_string());
        let plan = Plan::of(&[nobody, idle, orphan, assessed], &[], names, |_| None);
        let keys: Vec<_> = gaps(&plan).into_iter().map(|p| (p.key, p.args[0].1.clone())).collect();
        assert_eq!(
            keys,
            [
                ("plan_gap.assessed_undecided".to_string(), "R-004 Risk 4".to_string()),
                ("plan_gap.no_owner".into(), "R-001 Risk 1".into()),
                ("plan_gap.no_action".into(), "R-002 Risk 2".into()),
                ("plan_gap.owner_gone".into(), "R-003 Risk 3".into()),
            ]
        );
    }
}
