//! The Statement of Applicability (6.1.3 d): one row per Annex A control with
//! applicability, the reasons for inclusion or the justification for
//! exclusion, implementation status and owner; versions that freeze it; and
//! the comparison of two versions. The rules live here, not in handlers.

use crate::catalog;
use crate::ids::UserId;
use crate::text::{self, FieldErrors, LONG};
use serde::{Deserialize, Serialize};

code_enum!(
    /// How far a control is implemented.
    ImplStatus, "impl_status" {
        NotStarted = "not_started",
        Planned = "planned",
        Partial = "partial",
        Implemented = "implemented",
        NotApplicable = "not_applicable",
    }
);

code_enum!(
    /// Why a control is included.
    Reason, "soa_reason" {
        RiskTreatment = "risk_treatment",
        Legal = "legal",
        Contractual = "contractual",
        Business = "business",
    }
);

/// Raw input of the SoA row form (or JSON). Reasons come as checkboxes
/// `reason_<code>` ("on") or, in JSON, as the list `reasons`.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct SoaEntryForm {
    /// "yes", "no" or empty (undecided); JSON booleans also work.
    #[serde(deserialize_with = "crate::context::bool_or_text")]
    pub applicable: Option<String>,
    pub reasons: Option<Vec<String>>,
    pub reason_risk_treatment: Option<String>,
    pub reason_legal: Option<String>,
    pub reason_contractual: Option<String>,
    pub reason_business: Option<String>,
    pub inclusion_note: Option<String>,
    pub exclusion_justification: Option<String>,
    pub status: Option<String>,
    pub owner_id: Option<String>,
    /// Ids of 4.2 requirements this control meets (legal, regulatory,
    /// contractual reasons are derived from them). Comma-separated in forms.
    pub requirement_ids: Option<Vec<String>>,
}

/// A valid SoA row as the user set it (derived reasons come on top).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SoaEntryInput {
    pub applicable: Option<bool>,
    pub reasons: Vec<Reason>,
    pub inclusion_note: Option<String>,
    pub exclusion_justification: Option<String>,
    pub status: Option<ImplStatus>,
    pub owner_id: Option<UserId>,
}

fn on(v: &Option<String>) -> bool {
    matches!(v.as_deref(), Some("on" | "true" | "1"))
}

impl SoaEntryForm {
    /// Parses the fields; the applicability rules are checked by [`check`]
    /// once the derived reasons are known.
    pub fn parse(&self) -> Result<SoaEntryInput, FieldErrors> {
        let mut e = FieldErrors::default();
        let applicable = match self.applicable.as_deref().map(str::trim) {
            None | Some("") => None,
            Some("yes" | "true") => Some(true),
            Some("no" | "false") => Some(false),
            Some(_) => {
                e.add("applicable", "error.unknown_value");
                None
            }
        };
        let mut reasons: Vec<Reason> = Vec::new();
        for (flag, r) in [
            (&self.reason_risk_treatment, Reason::RiskTreatment),
            (&self.reason_legal, Reason::Legal),
            (&self.reason_contractual, Reason::Contractual),
            (&self.reason_business, Reason::Business),
        ] {
            if on(flag) {
                reasons.push(r);
            }
        }
        for code in self.reasons.iter().flatten() {
            match Reason::parse(code.trim()) {
                Some(r) if !reasons.contains(&r) => reasons.push(r),
                Some(_) => {}
                None => e.add("reasons", "error.unknown_value"),
            }
        }
        reasons.sort_by_key(|r| Reason::ALL.iter().position(|x| x == r));
        let inclusion_note = text::optional(&mut e, "inclusion_note", self.inclusion_note.as_deref(), LONG);
        let exclusion_justification =
            text::optional(&mut e, "exclusion_justification", self.exclusion_justification.as_deref(), LONG);
        let status = match self.status.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(s) => {
                let st = ImplStatus::parse(s);
                if st.is_none() {
                    e.add("status", "error.unknown_value");
                }
                st
            }
        };
        let owner_id = crate::context::owner(&mut e, self.owner_id.as_deref());
        e.finish(SoaEntryInput { applicable, reasons, inclusion_note, exclusion_justification, status, owner_id })
    }
}

/// The SoA's rules for one row: an excluded control needs a justification and
/// may not treat a risk; an included control needs at least one reason (set
/// or derived from links).
pub fn check(input: &SoaEntryInput, derived: &[Reason], treats_risk: bool) -> Result<(), FieldErrors> {
    let mut e = FieldErrors::default();
    match input.applicable {
        Some(false) => {
            if input.exclusion_justification.is_none() {
                e.add("exclusion_justification", "error.soa_exclusion_justification");
            }
            if treats_risk {
                e.add("applicable", "error.soa_treats_risk");
            }
        }
        Some(true) if input.reasons.is_empty() && derived.is_empty() => {
            e.add("reasons", "error.soa_reason_required");
        }
        _ => {}
    }
    e.finish(())
}

/// The implementation status that applies: derived from the applied controls
/// that implement the control where there are any, else as set; an excluded
/// control is not applicable.
pub fn effective_status(applicable: Option<bool>, set: Option<ImplStatus>, applied: &[ImplStatus]) -> ImplStatus {
    if applicable == Some(false) {
        return ImplStatus::NotApplicable;
    }
    let live: Vec<ImplStatus> = applied.iter().copied().filter(|s| *s != ImplStatus::NotApplicable).collect();
    if live.is_empty() {
        return set.unwrap_or(ImplStatus::NotStarted);
    }
    if live.iter().all(|s| *s == ImplStatus::Implemented) {
        ImplStatus::Implemented
    } else if live.iter().any(|s| matches!(s, ImplStatus::Implemented | ImplStatus::Partial)) {
        ImplStatus::Partial
    } else if live.contains(&ImplStatus::Planned) {
        ImplStatus::Planned
    } else {
        ImplStatus::NotStarted
    }
}

/// A linked 4.2 requirement, as the SoA shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkedRequirement {
    pub id: String,
    pub title: String,
    pub party: String,
    pub req_type: String,
}

/// A linked applied control, as the SoA shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkedApplied {
    pub id: String,
    pub name: String,
    pub status: ImplStatus,
}

/// One row of the SoA with everything resolved: what a version freezes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SoaRow {
    pub control_id: String,
    pub applicable: Option<bool>,
    /// Reasons set by hand and derived from links, together.
    pub reasons: Vec<Reason>,
    pub derived_reasons: Vec<Reason>,
    pub inclusion_note: Option<String>,
    pub exclusion_justification: Option<String>,
    pub status: ImplStatus,
    pub status_derived: bool,
    pub owner_id: Option<UserId>,
    pub owner_name: Option<String>,
    pub requirements: Vec<LinkedRequirement>,
    pub applied_controls: Vec<LinkedApplied>,
    /// The risks this control treats ("R-004 Ransomware …"); versions
    /// issued before the risk register have none.
    #[serde(default)]
    pub risks: Vec<String>,
}

/// Reasons that follow from links to requirements: legal and regulatory
/// requirements give "legal", contractual ones "contractual".
pub fn derived_reasons(requirement_types: &[&str], treats_risk: bool) -> Vec<Reason> {
    let mut out = Vec::new();
    if treats_risk {
        out.push(Reason::RiskTreatment);
    }
    if requirement_types.iter().any(|t| matches!(*t, "legal" | "regulatory")) {
        out.push(Reason::Legal);
    }
    if requirement_types.contains(&"contractual") {
        out.push(Reason::Contractual);
    }
    out
}

/// Counts over a set of rows, for the progress figures.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Progress {
    pub total: usize,
    pub applicable: usize,
    pub excluded: usize,
    pub undecided: usize,
    pub implemented: usize,
    pub partial: usize,
    pub planned: usize,
    pub not_started: usize,
    /// Decided rows without the justification the rules ask for (only
    /// possible in data from before a rule, or imported): shown as gaps.
    pub missing_justification: usize,
}

pub fn progress(rows: &[SoaRow]) -> Progress {
    let mut p = Progress { total: rows.len(), ..Default::default() };
    for r in rows {
        match r.applicable {
            None => p.undecided += 1,
            Some(false) => {
                p.excluded += 1;
                if r.exclusion_justification.is_none() {
                    p.missing_justification += 1;
                }
            }
            Some(true) => {
                p.applicable += 1;
                if r.reasons.is_empty() {
                    p.missing_justification += 1;
                }
                match r.status {
                    ImplStatus::Implemented => p.implemented += 1,
                    ImplStatus::Partial => p.partial += 1,
                    ImplStatus::Planned => p.planned += 1,
                    ImplStatus::NotStarted | ImplStatus::NotApplicable => p.not_started += 1,
                }
            }
        }
    }
    p
}

/// Why a version of the SoA cannot be issued yet: one problem with one
/// control, as a locale key under `soa_gap.` with the control and a detail
/// (the risks or applied controls involved).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Gap {
    pub control_id: String,
    /// `soa_gap.{kind}`.
    pub kind: &'static str,
    /// Risk references or applied-control names, joined by ", " (empty when
    /// the kind says it all).
    pub detail: String,
}

impl Gap {
    /// The gap as a named problem: `soa_gap.{kind}` with `control` and `detail`.
    pub fn problem(&self) -> crate::text::Problem {
        crate::text::Problem {
            key: format!("soa_gap.{}", self.kind),
            args: vec![("control", self.control_id.clone()), ("detail", self.detail.clone())],
        }
    }
}

/// Every kind of [`Gap`] (`soa_gap.{kind}` is its message).
pub const GAP_KINDS: &[&str] = &[
    "undecided",
    "undecided_treats_risk",
    "undecided_in_place",
    "excluded_treats_risk",
    "excluded_in_place",
    "no_justification",
    "no_reason",
];

/// Applied controls that are (at least partly) in place.
fn working(r: &SoaRow) -> Vec<&str> {
    r.applied_controls
        .iter()
        .filter(|a| matches!(a.status, ImplStatus::Implemented | ImplStatus::Partial))
        .map(|a| a.name.as_str())
        .collect()
}

/// The SoA's completeness gate (6.1.3 d): a version is issued only when every
/// control is decided and no decision contradicts the rest of the ISMS.
///
/// - undecided: every control must be included or excluded; an undecided
///   control that treats a risk, or whose applied controls are in place, is
///   named as such (it is evidently included);
/// - excluded: a justification; no risk treated by it, no applied control of
///   it in place (an exclusion that the ISMS itself contradicts);
/// - included: at least one reason (set, or derived from links).
///
/// Empty means the version may be issued. Rows come back in the catalogue's
/// order, one gap per control (the most telling one).
pub fn gaps(rows: &[SoaRow]) -> Vec<Gap> {
    let mut out = Vec::new();
    for c in catalog::controls() {
        let Some(r) = rows.iter().find(|r| r.control_id == c.id) else {
            out.push(Gap { control_id: c.id.clone(), kind: "undecided", detail: String::new() });
            continue;
        };
        let in_place = working(r);
        let gap = |kind, detail: String| Some(Gap { control_id: r.control_id.clone(), kind, detail });
        let found = match r.applicable {
            None if !r.risks.is_empty() => gap("undecided_treats_risk", r.risks.join(", ")),
            None if !in_place.is_empty() => gap("undecided_in_place", in_place.join(", ")),
            None => gap("undecided", String::new()),
            Some(false) if !r.risks.is_empty() => gap("excluded_treats_risk", r.risks.join(", ")),
            Some(false) if !in_place.is_empty() => gap("excluded_in_place", in_place.join(", ")),
            Some(false) if r.exclusion_justification.is_none() => gap("no_justification", String::new()),
            Some(true) if r.reasons.is_empty() => gap("no_reason", String::new()),
            Some(_) => None,
        };
        out.extend(found);
    }
    out
}

/// One difference between two versions of a row.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FieldChange {
    pub field: &'static str,
    pub before: String,
    pub after: String,
}

/// The rows that differ between `from` and `to`, with the fields that changed,
/// in the catalogue's order.
pub fn diff(from: &[SoaRow], to: &[SoaRow]) -> Vec<(String, Vec<FieldChange>)> {
    let show_app = |a: Option<bool>| match a {
        None => "undecided".to_string(),
        Some(true) => "yes".to_string(),
        Some(false) => "no".to_string(),
    };
    let reasons = |r: &[Reason]| r.iter().map(|x| x.code()).collect::<Vec<_>>().join(", ");
    let opt = |s: &Option<String>| s.clone().unwrap_or_default();
    let mut out = Vec::new();
    for c in catalog::controls() {
        let a = from.iter().find(|r| r.control_id == c.id);
        let b = to.iter().find(|r| r.control_id == c.id);
        let (Some(a), Some(b)) = (a, b) else { continue };
        let mut changes = Vec::new();
        let mut add = |field: &'static str, x: String, y: String| {
            if x != y {
                changes.push(FieldChange { field, before: x, after: y });
            }
        };
        add("applicable", show_app(a.applicable), show_app(b.applicable));
        add("reasons", reasons(&a.reasons), reasons(&b.reasons));
        add("inclusion_note", opt(&a.inclusion_note), opt(&b.inclusion_note));
        add("exclusion_justification", opt(&a.exclusion_justification), opt(&b.exclusion_justification));
        add("status", a.status.code().to_string(), b.status.code().to_string());
        add("owner", opt(&a.owner_name), opt(&b.owner_name));
        let reqs = |r: &SoaRow| r.requirements.iter().map(|q| q.title.clone()).collect::<Vec<_>>().join("; ");
        add("requirements", reqs(a), reqs(b));
        let applied = |r: &SoaRow| r.applied_controls.iter().map(|q| q.name.clone()).collect::<Vec<_>>().join("; ");
        add("applied_controls", applied(a), applied(b));
        if !changes.is_empty() {
            out.push((c.id.clone(), changes));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(applicable: Option<bool>) -> SoaEntryInput {
        SoaEntryInput { applicable, ..Default::default() }
    }

    fn row(id: &str, applicable: Option<bool>) -> SoaRow {
        SoaRow {
            control_id: id.into(),
            applicable,
            reasons: if applicable == Some(true) { vec![Reason::Business] } else { Vec::new() },
            derived_reasons: Vec::new(),
            inclusion_note: None,
            exclusion_justification: (applicable == Some(false)).then(|| "Geen eigen terrein.".into()),
            status: ImplStatus::NotStarted,
            status_derived: false,
            owner_id: None,
            owner_name: None,
            requirements: Vec::new(),
            applied_controls: Vec::new(),
            risks: Vec::new(),
        }
    }

    fn all_included() -> Vec<SoaRow> {
        catalog::controls().iter().map(|c| row(&c.id, Some(true))).collect()
    }

    #[test]
    fn a_fully_decided_soa_has_no_gaps() {
        assert_eq!(gaps(&all_included()), vec![]);
        let mut rows = all_included();
        rows[10] = row(&rows[10].control_id.clone(), Some(false));
        assert_eq!(gaps(&rows), vec![], "a justified exclusion is a decision");
    }

    #[test]
    fn every_undecided_control_is_a_gap_and_missing_rows_are_undecided() {
        let mut rows = all_included();
        rows[0].applicable = None;
        rows[0].reasons.clear();
        rows.pop();
        let g = gaps(&rows);
        assert_eq!(g.len(), 2);
        assert_eq!((g[0].control_id.as_str(), g[0].kind), ("5.1", "undecided"));
        assert_eq!((g[1].control_id.as_str(), g[1].kind), ("8.34", "undecided"));
    }

    #[test]
    fn contradictions_are_named_with_what_contradicts_them() {
        let applied = |name: &str, status| LinkedApplied { id: "x".into(), name: name.into(), status };
        let mut rows = all_included();
        // 5.10 undecided, yet it treats a risk.
        let i = rows.iter().position(|r| r.control_id == "5.10").unwrap();
        rows[i] = SoaRow { risks: vec!["R-017 Datalek".into()], ..row("5.10", None) };
        // 5.15 undecided, yet its applied control is implemented.
        let i = rows.iter().position(|r| r.control_id == "5.15").unwrap();
        rows[i] =
            SoaRow { applied_controls: vec![applied("Toegangsbeleid", ImplStatus::Implemented)], ..row("5.15", None) };
        // 7.6 excluded, yet it treats a risk.
        let i = rows.iter().position(|r| r.control_id == "7.6").unwrap();
        rows[i] = SoaRow { risks: vec!["R-009 Brand".into()], ..row("7.6", Some(false)) };
        // 7.13 excluded, yet maintenance contracts are partly in place.
        let i = rows.iter().position(|r| r.control_id == "7.13").unwrap();
        rows[i] = SoaRow {
            applied_controls: vec![
                applied("Onderhoudscontract", ImplStatus::Partial),
                applied("Gepland", ImplStatus::Planned),
            ],
            ..row("7.13", Some(false))
        };
        // 8.1 excluded without a justification; 8.2 included without a reason.
        let i = rows.iter().position(|r| r.control_id == "8.1").unwrap();
        rows[i].applicable = Some(false);
        rows[i].reasons.clear();
        let i = rows.iter().position(|r| r.control_id == "8.2").unwrap();
        rows[i].reasons.clear();
        let found = gaps(&rows);
        let got: Vec<(&str, &str, &str)> =
            found.iter().map(|g| (g.control_id.as_str(), g.kind, g.detail.as_str())).collect();
        assert_eq!(
            got,
            vec![
                ("5.10", "undecided_treats_risk", "R-017 Datalek"),
                ("5.15", "undecided_in_place", "Toegangsbeleid"),
                ("7.6", "excluded_treats_risk", "R-009 Brand"),
                ("7.13", "excluded_in_place", "Onderhoudscontract"),
                ("8.1", "no_justification", ""),
                ("8.2", "no_reason", ""),
            ]
        );
        assert!(found.iter().all(|g| GAP_KINDS.contains(&g.kind)));
    }

    #[test]
    fn an_excluded_control_needs_a_justification_and_no_risk() {
        let mut i = input(Some(false));
        assert_eq!(
            check(&i, &[], false).unwrap_err().for_field("exclusion_justification"),
            Some("error.soa_exclusion_justification")
        );
        i.exclusion_justification = Some("We have no premises of our own.".into());
        assert!(check(&i, &[], false).is_ok());
        assert_eq!(check(&i, &[], true).unwrap_err().for_field("applicable"), Some("error.soa_treats_risk"));
    }

    #[test]
    fn an_included_control_needs_a_reason_set_or_derived() {
        let mut i = input(Some(true));
        assert_eq!(check(&i, &[], false).unwrap_err().for_field("reasons"), Some("error.soa_reason_required"));
        assert!(check(&i, &[Reason::Legal], false).is_ok());
        i.reasons = vec![Reason::Business];
        assert!(check(&i, &[], false).is_ok());
        assert!(check(&input(None), &[], true).is_ok(), "undecided is allowed");
    }

    #[test]
    fn reasons_follow_links() {
        assert_eq!(derived_reasons(&["regulatory", "expectation"], false), [Reason::Legal]);
        assert_eq!(
            derived_reasons(&["contractual", "legal"], true),
            [Reason::RiskTreatment, Reason::Legal, Reason::Contractual]
        );
        assert!(derived_reasons(&["expectation"], false).is_empty());
    }

    #[test]
    fn status_follows_the_applied_controls() {
        use ImplStatus::*;
        assert_eq!(effective_status(Some(true), Some(Planned), &[]), Planned);
        assert_eq!(effective_status(Some(true), None, &[]), NotStarted);
        assert_eq!(effective_status(Some(true), Some(NotStarted), &[Implemented, Implemented]), Implemented);
        assert_eq!(effective_status(Some(true), None, &[Implemented, Planned]), Partial);
        assert_eq!(effective_status(Some(true), None, &[Planned, NotStarted]), Planned);
        assert_eq!(effective_status(Some(false), Some(Implemented), &[Implemented]), NotApplicable);
    }

    #[test]
    fn form_parsing() {
        let f = SoaEntryForm {
            applicable: Some("yes".into()),
            reason_business: Some("on".into()),
            reasons: Some(vec!["legal".into(), "business".into()]),
            status: Some("partial".into()),
            ..Default::default()
        };
        let i = f.parse().unwrap();
        assert_eq!(i.reasons, [Reason::Legal, Reason::Business]);
        assert_eq!(i.status, Some(ImplStatus::Partial));
        let bad =
            SoaEntryForm { applicable: Some("maybe".into()), reasons: Some(vec!["whim".into()]), ..Default::default() };
        let e = bad.parse().unwrap_err();
        assert_eq!(e.0.len(), 2);
    }

    #[test]
    fn diff_names_the_changed_fields() {
        let row = |id: &str, a: Option<bool>| SoaRow {
            control_id: id.into(),
            applicable: a,
            reasons: vec![],
            derived_reasons: vec![],
            inclusion_note: None,
            exclusion_justification: None,
            status: ImplStatus::NotStarted,
            status_derived: false,
            owner_id: None,
            owner_name: None,
            requirements: vec![],
            applied_controls: vec![],
            risks: vec![],
        };
        let from = vec![row("5.1", None), row("5.2", Some(true))];
        let mut to = from.clone();
        to[0].applicable = Some(true);
        to[0].reasons = vec![Reason::Business];
        let d = diff(&from, &to);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].0, "5.1");
        let fields: Vec<&str> = d[0].1.iter().map(|c| c.field).collect();
        assert_eq!(fields, ["applicable", "reasons"]);
        assert!(diff(&to, &to).is_empty());
    }
}

pub use crate::import::ImportError;

/// One imported row: the line it came from, the control, and what it sets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportRow {
    pub line: usize,
    pub control_id: String,
    pub applicable: Option<bool>,
    pub reasons: Vec<Reason>,
    pub justification: Option<String>,
    pub status: Option<ImplStatus>,
}

fn norm(s: &str) -> String {
    s.trim().to_lowercase()
}

/// Finds the column whose header matches one of the names (any language).
fn column(headers: &[String], names: &[&str]) -> Option<usize> {
    headers.iter().position(|h| names.contains(&norm(h).as_str()))
}

use crate::import::by_code_or_label;

/// Reads a spreadsheet of SoA decisions keyed by control id: the first row
/// holds the headers (Borgen's own export headers in either language, or
/// `control`, `applicable`, `reasons`, `justification`, `status`). Every
/// problem is reported; an empty list of errors means every row is usable.
pub fn parse_import(table: &[Vec<String>]) -> Result<Vec<ImportRow>, Vec<ImportError>> {
    let mut errors = Vec::new();
    let Some(headers) = table.first() else {
        return Err(vec![ImportError { line: 1, column: String::new(), key: "error.import_empty" }]);
    };
    let col_control = column(headers, &["control", "control id", "id", "beheersmaatregel", "maatregel"]);
    let col_app = column(headers, &["applicable", "van toepassing", "toepasselijk"]);
    let col_reasons = column(headers, &["reasons", "reasons for inclusion", "redenen", "redenen voor opname"]);
    let col_just =
        column(headers, &["justification", "onderbouwing", "reasons / justification", "redenen / onderbouwing"]);
    let col_status = column(headers, &["status", "implementation status", "implementatiestatus"]);
    let Some(col_control) = col_control else {
        return Err(vec![ImportError { line: 1, column: "control".into(), key: "error.import_no_control_column" }]);
    };
    if col_app.is_none() && col_status.is_none() && col_just.is_none() {
        return Err(vec![ImportError { line: 1, column: String::new(), key: "error.import_no_columns" }]);
    }
    let mut out: Vec<ImportRow> = Vec::new();
    for (i, row) in table.iter().enumerate().skip(1) {
        let line = i + 1;
        let cell = |c: Option<usize>| c.and_then(|c| row.get(c)).map(|s| s.trim()).unwrap_or("");
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let raw_id = cell(Some(col_control)).trim_start_matches(['A', 'a']).trim_start_matches('.');
        let mut err =
            |column: &str, key: &'static str| errors.push(ImportError { line, column: column.to_string(), key });
        let Some(control) = catalog::control(raw_id) else {
            err("control", "error.unknown_control");
            continue;
        };
        if out.iter().any(|r| r.control_id == control.id) {
            err("control", "error.import_duplicate");
            continue;
        }
        let applicable = match norm(cell(col_app)).as_str() {
            "" | "undecided" | "nog niet bepaald" => None,
            "yes" | "ja" | "y" | "j" | "true" | "1" | "x" => Some(true),
            "no" | "nee" | "n" | "false" | "0" => Some(false),
            _ => {
                err("applicable", "error.unknown_value");
                None
            }
        };
        let mut reasons = Vec::new();
        for part in cell(col_reasons).split([',', ';']).map(str::trim).filter(|s| !s.is_empty()) {
            match by_code_or_label(Reason::ALL, Reason::code, Reason::label_key, part) {
                Some(r) if !reasons.contains(&r) => reasons.push(r),
                Some(_) => {}
                None => err("reasons", "error.unknown_value"),
            }
        }
        let justification = Some(cell(col_just).to_string()).filter(|s| !s.is_empty());
        if let Some(key) = justification.as_deref().and_then(|j| crate::text::bad_chars(j, true)) {
            err("justification", key);
        } else if justification.as_ref().is_some_and(|j| j.chars().count() > crate::text::LONG) {
            err("justification", "error.too_long_long");
        }
        let status = match cell(col_status) {
            "" => None,
            s => {
                let st = by_code_or_label(ImplStatus::ALL, ImplStatus::code, ImplStatus::label_key, s);
                if st.is_none() {
                    err("status", "error.unknown_value");
                }
                st
            }
        };
        out.push(ImportRow { line, control_id: control.id.clone(), applicable, reasons, justification, status });
    }
    if errors.is_empty() { Ok(out) } else { Err(errors) }
}

#[cfg(test)]
mod import_tests {
    use super::*;

    fn t(rows: &[&[&str]]) -> Vec<Vec<String>> {
        rows.iter().map(|r| r.iter().map(|c| c.to_string()).collect()).collect()
    }

    #[test]
    fn our_own_dutch_export_reads_back() {
        let rows = parse_import(&t(&[
            &[
                "Beheersmaatregel",
                "Titel",
                "Van toepassing",
                "Redenen voor opname",
                "Onderbouwing",
                "Implementatiestatus",
            ],
            &["5.1", "Beleid", "Ja", "Bedrijfseis of best practice, Wet- of regelgeving", "", "Geïmplementeerd"],
            &["A.7.6", "", "Nee", "", "Geen eigen panden.", ""],
            &["", "", "", "", "", ""],
            &["8.1", "", "Nog niet bepaald", "", "", ""],
        ]))
        .unwrap();
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0].reasons, [Reason::Business, Reason::Legal]);
        assert_eq!(rows[0].status, Some(ImplStatus::Implemented));
        assert_eq!((rows[1].control_id.as_str(), rows[1].applicable), ("7.6", Some(false)));
        assert_eq!(rows[2].applicable, None);
    }

    #[test]
    fn every_bad_cell_is_reported_with_its_line() {
        let e = parse_import(&t(&[
            &["control", "applicable", "reasons", "status"],
            &["5.1", "perhaps", "whim", "done"],
            &["9.9", "yes", "", ""],
            &["5.2", "yes", "legal", ""],
            &["5.2", "yes", "legal", ""],
        ]))
        .unwrap_err();
        let got: Vec<(usize, &str)> = e.iter().map(|x| (x.line, x.column.as_str())).collect();
        assert_eq!(got, [(2, "applicable"), (2, "reasons"), (2, "status"), (3, "control"), (5, "control")]);
        assert_eq!(parse_import(&t(&[&["title"], &["x"]])).unwrap_err()[0].key, "error.import_no_control_column");
    }
}
