//! Numbered, immutable versions approved once: the one mechanism behind SoA
//! versions, risk assessment runs, risk methodology versions and versions of
//! the risk treatment plan (and, next, documents, scope statements and
//! management reviews).
//!
//! A versioned record kind is declared once as a [`Versioned`]; its table has
//! `org_id`, `number` (unique per organisation, from 1), a frozen `snapshot`,
//! who issued it and when, and the approval: `approved_at`, `approved_by` (the
//! approver's user id), `approved_by_label` (their name as shown) and
//! `approval_comment`. An approval is written once and never changed; the
//! approver needs the Approve permission (top management) and is named as a
//! person, not a label alone.
//!
//! A kind may name the people who sign a version off before top management
//! approves it ([`Versioned::signers`], read from the frozen snapshot: the
//! risk owners of a treatment plan). Each signs once, in the shared
//! `version_signoffs` table; approval is refused while anyone has not.

use crate::text::{self, FieldErrors, LONG};

/// A kind of numbered, approved-once version.
#[derive(Debug)]
pub struct Versioned {
    /// Its name in the audit trail (`entity.{entity}`).
    pub entity: &'static str,
    /// Its table (a constant, never from input).
    pub table: &'static str,
    /// The column holding its number.
    pub number: &'static str,
    /// The locale key of the refusal when it is approved already.
    pub already_approved: &'static str,
    /// What must hold of the frozen snapshot (column `snapshot`) before it
    /// is approved: the problems, empty when it may be.
    pub gate: Option<fn(&str) -> Vec<crate::text::Problem>>,
    /// Who must sign off the frozen snapshot before it is approved (empty or
    /// `None`: nobody).
    pub signers: Option<fn(&str) -> Vec<Signer>>,
}

/// A person who signs a version off: a member's user id and their name as
/// the snapshot froze it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Signer {
    pub user_id: String,
    pub name: String,
}

/// The problems of `signers` that have not signed (`signed`: their user ids),
/// for a refused approval.
pub fn unsigned(signers: &[Signer], signed: &[String]) -> Vec<crate::text::Problem> {
    signers
        .iter()
        .filter(|s| !signed.contains(&s.user_id))
        .map(|s| crate::text::Problem { key: "version.unsigned".into(), args: vec![("name", s.name.clone())] })
        .collect()
}

pub static SOA_VERSIONS: Versioned = Versioned {
    entity: "soa_version",
    table: "soa_versions",
    number: "number",
    already_approved: "error.soa_already_approved",
    gate: Some(soa_snapshot_gaps),
    signers: None,
};

/// The SoA's completeness gate ([`crate::soa::gaps`]) on a frozen version:
/// a version issued before the gate existed is not approved with gaps either.
fn soa_snapshot_gaps(snapshot: &str) -> Vec<crate::text::Problem> {
    match serde_json::from_str::<Vec<crate::soa::SoaRow>>(snapshot) {
        Ok(rows) => crate::soa::gaps(&rows).iter().map(crate::soa::Gap::problem).collect(),
        Err(_) => vec![crate::text::Problem { key: "error.snapshot_unreadable".into(), args: Vec::new() }],
    }
}

pub static RISK_RUNS: Versioned = Versioned {
    entity: "risk_run",
    table: "risk_runs",
    number: "number",
    already_approved: "error.run_already_approved",
    gate: None,
    signers: None,
};

/// The risk criteria (6.1.2 a): each saved methodology version is approved
/// once by top management.
pub static METHODOLOGY_VERSIONS: Versioned = Versioned {
    entity: "risk_methodology",
    table: "risk_methodologies",
    number: "version",
    already_approved: "error.methodology_already_approved",
    gate: None,
    signers: None,
};

/// The risk treatment plan as a whole (6.1.3 e–f): issued by the ISMS
/// manager, signed off by every risk owner in it, approved by top management.
pub static TREATMENT_PLANS: Versioned = Versioned {
    entity: "treatment_plan",
    table: "treatment_plans",
    number: "number",
    already_approved: "error.plan_already_approved",
    gate: Some(plan_snapshot_gaps),
    signers: Some(plan_signers),
};

fn plan_snapshot_gaps(snapshot: &str) -> Vec<crate::text::Problem> {
    match serde_json::from_str::<crate::treatment::Plan>(snapshot) {
        Ok(plan) => crate::treatment::gaps(&plan),
        Err(_) => vec![crate::text::Problem { key: "error.snapshot_unreadable".into(), args: Vec::new() }],
    }
}

fn plan_signers(snapshot: &str) -> Vec<Signer> {
    serde_json::from_str::<crate::treatment::Plan>(snapshot).map(|p| p.signers()).unwrap_or_default()
}

/// The approver's comment: optional, several lines, at most [`LONG`]
/// characters, no control characters.
pub fn approval_comment(raw: Option<&str>) -> Result<Option<String>, FieldErrors> {
    let mut e = FieldErrors::default();
    let c = text::optional(&mut e, "comment", raw, LONG);
    e.finish(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_approval_waits_for_every_signer() {
        let s = |id: &str, name: &str| Signer { user_id: id.into(), name: name.into() };
        let signers = [s("a", "Fatima El Amrani"), s("b", "Pieter Janssen")];
        let open = unsigned(&signers, &["b".into()]);
        assert_eq!(open.len(), 1);
        assert_eq!((open[0].key.as_str(), open[0].args[0].1.as_str()), ("version.unsigned", "Fatima El Amrani"));
        assert!(unsigned(&signers, &["a".into(), "b".into()]).is_empty());
        assert!(unsigned(&[], &[]).is_empty());
    }

    #[test]
    fn a_plan_names_its_signers_from_the_snapshot() {
        let plan = r#"{"risks":[{"id":"x","reference":"R-001","title":"T","owner_id":"u1","owner":"Fatima",
            "inherent_level":4,"treatment":"mitigate","treatment_rationale":null,"control_ids":["8.13"],
            "applied_controls":[],"residual_level":2,"tasks":[]}],"undecided":[]}"#;
        let signers = (TREATMENT_PLANS.signers.unwrap())(plan);
        assert_eq!(signers, [Signer { user_id: "u1".into(), name: "Fatima".into() }]);
        assert!((TREATMENT_PLANS.gate.unwrap())(plan).is_empty());
        assert_eq!((TREATMENT_PLANS.gate.unwrap())("not json")[0].key, "error.snapshot_unreadable");
    }

    #[test]
    fn a_comment_is_optional_trimmed_and_bounded() {
        assert_eq!(approval_comment(None), Ok(None));
        assert_eq!(approval_comment(Some("  ")), Ok(None));
        assert_eq!(approval_comment(Some(" Besproken in het MT.\n")), Ok(Some("Besproken in het MT.".into())));
        let e = approval_comment(Some(&"x".repeat(LONG + 1))).unwrap_err();
        assert_eq!(e.for_field("comment"), Some("error.too_long_long"));
        let e = approval_comment(Some("bell\u{7}")).unwrap_err();
        assert_eq!(e.for_field("comment"), Some("input.control_char"));
    }
}
