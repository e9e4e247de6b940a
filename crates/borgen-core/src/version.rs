//! Numbered, immutable versions approved once: the one mechanism behind SoA
//! versions, risk assessment runs and risk methodology versions (and, next,
//! documents, scope statements and management reviews).
//!
//! A versioned record kind is declared once as a [`Versioned`]; its table has
//! `org_id`, `number` (unique per organisation, from 1), a frozen `snapshot`,
//! who issued it and when, and the approval: `approved_at`, `approved_by` (the
//! approver's user id), `approved_by_label` (their name as shown) and
//! `approval_comment`. An approval is written once and never changed; the
//! approver needs the Approve permission (top management) and is named as a
//! person, not a label alone.

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
}

pub static SOA_VERSIONS: Versioned = Versioned {
    entity: "soa_version",
    table: "soa_versions",
    number: "number",
    already_approved: "error.soa_already_approved",
    gate: Some(soa_snapshot_gaps),
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
};

/// The risk criteria (6.1.2 a): each saved methodology version is approved
/// once by top management.
pub static METHODOLOGY_VERSIONS: Versioned = Versioned {
    entity: "risk_methodology",
    table: "risk_methodologies",
    number: "version",
    already_approved: "error.methodology_already_approved",
    gate: None,
};

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
