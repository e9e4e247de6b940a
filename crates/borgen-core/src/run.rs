//! Risk assessment runs (8.2): a dated, immutable snapshot of the risk
//! register with its methodology version, scope, participants and approval,
//! taken at the planned interval or after a significant change; and the
//! comparison of two runs.

use crate::risk::{Risk, RiskStatus, Score, Treatment};
use crate::text::{self, FieldErrors, LONG, SHORT};
use serde::{Deserialize, Serialize};

code_enum!(
    /// Why a run was taken.
    RunReason, "run_reason" {
        Planned = "planned",
        Change = "significant_change",
    }
);

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct RunForm {
    pub title: Option<String>,
    pub reason: Option<String>,
    pub change_reason: Option<String>,
    pub scope: Option<String>,
    pub participants: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunInput {
    pub title: String,
    pub reason: RunReason,
    pub change_reason: Option<String>,
    pub scope: Option<String>,
    pub participants: Option<String>,
}

impl RunForm {
    pub fn parse(&self) -> Result<RunInput, FieldErrors> {
        let mut e = FieldErrors::default();
        let title = text::required(&mut e, "title", self.title.as_deref(), SHORT);
        let reason = text::required_enum(&mut e, "reason", self.reason.as_deref(), RunReason::parse);
        let change_reason = text::optional(&mut e, "change_reason", self.change_reason.as_deref(), LONG);
        let scope = text::optional(&mut e, "scope", self.scope.as_deref(), LONG);
        let participants = text::optional(&mut e, "participants", self.participants.as_deref(), LONG);
        if reason == Some(RunReason::Change) && change_reason.is_none() {
            e.add("change_reason", "error.run_change_reason");
        }
        match reason {
            Some(reason) => e.finish(RunInput { title, reason, change_reason, scope, participants }),
            None => Err(e),
        }
    }
}

/// One risk as a run froze it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunRisk {
    pub id: String,
    pub reference: String,
    pub title: String,
    pub owner: Option<String>,
    pub methodology_version: i64,
    pub inherent: Option<Score>,
    pub inherent_level: Option<u8>,
    pub treatment: Option<Treatment>,
    pub treatment_rationale: Option<String>,
    pub control_ids: Vec<String>,
    #[serde(default)]
    pub applied_control_ids: Vec<String>,
    pub residual: Option<Score>,
    pub residual_level: Option<u8>,
    pub status: RiskStatus,
    pub accepted: bool,
}

impl RunRisk {
    pub fn of(r: &Risk, owner: Option<String>, accepted: bool) -> RunRisk {
        RunRisk {
            id: r.id.to_string(),
            reference: r.reference(),
            title: r.data.title.clone(),
            owner,
            methodology_version: r.methodology_version,
            inherent: r.data.inherent,
            inherent_level: r.inherent_level,
            treatment: r.data.treatment,
            treatment_rationale: r.data.treatment_rationale.clone(),
            control_ids: r.data.control_ids.clone(),
            applied_control_ids: r.data.applied_control_ids.clone(),
            residual: r.data.residual,
            residual_level: r.residual_level,
            status: r.data.status,
            accepted,
        }
    }
}

/// What changed between two runs.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct RunDiff {
    pub added: Vec<RunRisk>,
    pub removed: Vec<RunRisk>,
    /// Inherent or residual scores changed: (before, after).
    pub rescored: Vec<(RunRisk, RunRisk)>,
    /// Treatment option, rationale or planned controls changed: (before, after).
    pub retreated: Vec<(RunRisk, RunRisk)>,
}

pub fn compare(from: &[RunRisk], to: &[RunRisk]) -> RunDiff {
    let mut d = RunDiff::default();
    for b in to {
        match from.iter().find(|a| a.id == b.id) {
            None => d.added.push(b.clone()),
            Some(a) => {
                if (a.inherent, a.inherent_level, a.residual, a.residual_level)
                    != (b.inherent, b.inherent_level, b.residual, b.residual_level)
                {
                    d.rescored.push((a.clone(), b.clone()));
                }
                if (a.treatment, &a.treatment_rationale, &a.control_ids, &a.applied_control_ids)
                    != (b.treatment, &b.treatment_rationale, &b.control_ids, &b.applied_control_ids)
                {
                    d.retreated.push((a.clone(), b.clone()));
                }
            }
        }
    }
    d.removed = from.iter().filter(|a| !to.iter().any(|b| b.id == a.id)).cloned().collect();
    d
}

/// The date the next planned run is due: the last run plus the interval.
pub fn next_due(last_taken: Option<&str>, review_months: u32) -> Option<String> {
    let last = crate::time::parse_text(last_taken?)?.date_naive();
    let due = last.checked_add_months(chrono::Months::new(review_months))?;
    Some(due.format("%Y-%m-%d").to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rr(id: &str, l: u8, t: Option<Treatment>) -> RunRisk {
        RunRisk {
            id: id.into(),
            reference: id.into(),
            title: id.into(),
            owner: None,
            methodology_version: 1,
            inherent: Some(Score { likelihood: l, impact: 3 }),
            inherent_level: Some(l / 2),
            treatment: t,
            treatment_rationale: None,
            control_ids: vec![],
            applied_control_ids: vec![],
            residual: None,
            residual_level: None,
            status: RiskStatus::Assessed,
            accepted: false,
        }
    }

    #[test]
    fn runs_compare_by_risk() {
        let from = vec![rr("a", 2, None), rr("b", 3, None), rr("c", 1, None)];
        let to = vec![rr("a", 2, Some(Treatment::Accept)), rr("b", 4, None), rr("d", 1, None)];
        let d = compare(&from, &to);
        assert_eq!(d.added.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(), ["d"]);
        assert_eq!(d.removed.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(), ["c"]);
        assert_eq!(d.rescored.len(), 1);
        assert_eq!(d.rescored[0].1.id, "b");
        assert_eq!(d.retreated.len(), 1);
        assert_eq!(d.retreated[0].1.id, "a");
        assert_eq!(compare(&to, &to), RunDiff::default());
    }

    #[test]
    fn the_next_run_is_due_after_the_interval() {
        assert_eq!(next_due(Some("2026-01-31T10:00:00.000000Z"), 12).as_deref(), Some("2027-01-31"));
        assert_eq!(next_due(Some("2026-08-31T10:00:00.000000Z"), 6).as_deref(), Some("2027-02-28"));
        assert_eq!(next_due(None, 12), None);
    }

    #[test]
    fn a_run_after_a_change_says_which() {
        let f = RunForm {
            title: Some("Na de verhuizing".into()),
            reason: Some("significant_change".into()),
            ..Default::default()
        };
        assert_eq!(f.parse().unwrap_err().for_field("change_reason"), Some("error.run_change_reason"));
    }
}
