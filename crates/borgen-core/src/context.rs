//! Clause 4: the codes of context issues (4.1; the register itself is declared
//! in `registers.rs`) and the interested parties register (4.2) with their
//! requirements.

use crate::ids::UserId;
use crate::text::{self, FieldErrors, LONG, SHORT};
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

/// Raw input for an interested party.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct PartyForm {
    pub name: Option<String>,
    pub party_type: Option<String>,
    pub description: Option<String>,
    pub owner_id: Option<String>,
    pub last_reviewed: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PartyInput {
    pub name: String,
    pub party_type: PartyType,
    pub description: Option<String>,
    pub owner_id: Option<UserId>,
    pub last_reviewed: Option<String>,
}

impl PartyForm {
    pub fn parse(&self) -> Result<PartyInput, FieldErrors> {
        let mut e = FieldErrors::default();
        let name = text::required(&mut e, "name", self.name.as_deref(), SHORT);
        let party_type = text::required_enum(&mut e, "party_type", self.party_type.as_deref(), PartyType::parse);
        let description = text::optional(&mut e, "description", self.description.as_deref(), LONG);
        let owner_id = owner(&mut e, self.owner_id.as_deref());
        let last_reviewed = text::optional_date(&mut e, "last_reviewed", self.last_reviewed.as_deref());
        match party_type {
            Some(party_type) => e.finish(PartyInput { name, party_type, description, owner_id, last_reviewed }),
            None => Err(e),
        }
    }
}

/// Raw input for one requirement of an interested party. `addressed` accepts
/// the HTML checkbox value "on", "true"/"false" and JSON booleans (converted
/// to text by the caller).
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct RequirementForm {
    pub title: Option<String>,
    pub req_type: Option<String>,
    pub description: Option<String>,
    #[serde(deserialize_with = "bool_or_text")]
    pub addressed: Option<String>,
    pub how_addressed: Option<String>,
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

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RequirementInput {
    pub title: String,
    pub req_type: RequirementType,
    pub description: Option<String>,
    pub addressed: bool,
    pub how_addressed: Option<String>,
}

impl RequirementForm {
    pub fn parse(&self) -> Result<RequirementInput, FieldErrors> {
        let mut e = FieldErrors::default();
        let title = text::required(&mut e, "title", self.title.as_deref(), SHORT);
        let req_type = text::required_enum(&mut e, "req_type", self.req_type.as_deref(), RequirementType::parse);
        let description = text::optional(&mut e, "description", self.description.as_deref(), LONG);
        let addressed = match self.addressed.as_deref().map(str::trim) {
            None | Some("") | Some("false") | Some("off") | Some("0") => false,
            Some("true") | Some("on") | Some("1") => true,
            Some(_) => {
                e.add("addressed", "error.unknown_value");
                false
            }
        };
        let how_addressed = text::optional(&mut e, "how_addressed", self.how_addressed.as_deref(), LONG);
        if addressed && how_addressed.is_none() {
            e.add("how_addressed", "error.how_addressed_required");
        }
        match req_type {
            Some(req_type) => e.finish(RequirementInput { title, req_type, description, addressed, how_addressed }),
            None => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_addressed_requirement_says_how() {
        let mut f = RequirementForm {
            title: Some("Report breaches within 72 hours".into()),
            req_type: Some("legal".into()),
            addressed: Some("on".into()),
            ..Default::default()
        };
        assert_eq!(f.parse().unwrap_err().for_field("how_addressed"), Some("error.how_addressed_required"));
        f.how_addressed = Some("Incident procedure".into());
        assert!(f.parse().unwrap().addressed);
    }

    #[test]
    fn codes_round_trip() {
        for c in IssueCategory::ALL {
            assert_eq!(IssueCategory::parse(c.code()), Some(*c));
        }
        for c in PartyType::ALL {
            assert_eq!(PartyType::parse(c.code()), Some(*c));
        }
        for c in RequirementType::ALL {
            assert_eq!(RequirementType::parse(c.code()), Some(*c));
        }
    }
}

/// A stored interested party with its requirements.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Party {
    pub id: crate::ids::PartyId,
    #[serde(flatten)]
    pub data: PartyInput,
    pub archived: bool,
    pub created_at: String,
    pub updated_at: String,
    pub requirements: Vec<Requirement>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Requirement {
    pub id: crate::ids::RequirementId,
    pub party_id: crate::ids::PartyId,
    #[serde(flatten)]
    pub data: RequirementInput,
    pub archived: bool,
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

/// Filter and page of the interested party list.
#[derive(Clone, Debug, Default)]
pub struct PartyQuery {
    pub q: Option<String>,
    pub party_type: Option<PartyType>,
    pub archived: ArchiveFilter,
    pub desc: bool,
    pub page: u32,
    pub per_page: u32,
}
