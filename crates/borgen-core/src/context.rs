//! Clause 4: the codes of context issues (4.1) and of interested parties and
//! their requirements (4.2); the registers themselves are declared in
//! `registers.rs`.

use crate::ids::UserId;
use crate::text::FieldErrors;
use serde::{Deserialize, Serialize};

code_enum!(
    /// Whether an issue arises inside or outside the organisation.
    IssueKind, "issue_kind" { Internal = "internal", External = "external" }
);

code_enum!(
    /// Category of a context issue. Climate change is required by ISO/IEC
    /// 27001:2022/Amd 1:2024.
    IssueCategory, "issue_category" {
        Legal = "legal",
        ThreatLandscape = "threat_landscape",
        Customers = "customers",
        Technology = "technology",
        Culture = "culture",
        Infrastructure = "infrastructure",
        StaffCompetence = "staff_competence",
        Strategy = "strategy",
        Economy = "economy",
        Suppliers = "suppliers",
        ClimateChange = "climate_change",
        Other = "other",
    }
);

code_enum!(
    /// The kind of interested party.
    PartyType, "party_type" {
        Customer = "customer",
        Employee = "employee",
        Management = "management",
        Shareholder = "shareholder",
        Supplier = "supplier",
        Regulator = "regulator",
        Government = "government",
        Partner = "partner",
        Certification = "certification_body",
        Insurer = "insurer",
        Community = "community",
        Other = "other",
    }
);

code_enum!(
    /// How binding a requirement of an interested party is.
    RequirementType, "requirement_type" {
        Legal = "legal",
        Regulatory = "regulatory",
        Contractual = "contractual",
        Expectation = "expectation",
    }
);

/// An optional owner id; a malformed one is a field error.
pub(crate) fn owner(errs: &mut FieldErrors, v: Option<&str>) -> Option<UserId> {
    match v.map(str::trim) {
        None | Some("") => None,
        Some(s) => {
            let id = UserId::parse(s);
            if id.is_none() {
                errs.add("owner_id", "error.unknown_owner");
            }
            id
        }
    }
}

/// Accepts a JSON boolean or a form's text for a checkbox.
pub(crate) fn bool_or_text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum BoolOrText {
        B(bool),
        T(String),
    }
    Ok(Option::<BoolOrText>::deserialize(d)?.map(|v| match v {
        BoolOrText::B(b) => b.to_string(),
        BoolOrText::T(t) => t,
    }))
}

/// Which records a list shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ArchiveFilter {
    #[default]
    Active,
    Archived,
    All,
}

impl ArchiveFilter {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "active" | "" => Some(Self::Active),
            "archived" => Some(Self::Archived),
            "all" => Some(Self::All),
            _ => None,
        }
    }
    pub fn code(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Archived => "archived",
            Self::All => "all",
        }
    }
}
