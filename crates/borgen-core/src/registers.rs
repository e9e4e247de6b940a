//! The registers declared with the register mechanism ([`crate::register`]).
//! Adding a plain register: a declaration here (and in [`ALL`]), a migration
//! for its table, its locale keys, and demo rows.

use crate::register::{Edit, Field, LinkTable, Record, RecordId, Register, Values};
use crate::text::FieldErrors;

/// Every register declared with the mechanism, in navigation order.
pub static ALL: &[&Register] = &[
    &CONTEXT_ISSUES,
    &INTERESTED_PARTIES,
    &REQUIREMENTS,
    &LEADERSHIP_EVIDENCE,
    &ORG_ROLES,
    &ROLE_HOLDERS,
    &ISMS_PROCESSES,
    &RACI,
    &ISMS_CHANGES,
    &OPPORTUNITIES,
    &OBJECTIVES,
    &OBJECTIVE_PROGRESS,
    &ASSETS,
    &OWN_THREATS,
    &APPLIED_CONTROLS,
    &PEOPLE,
    &COMPETENCES,
    &COMPETENCE_EVIDENCE,
    &RESOURCES,
    &CAMPAIGNS,
    &COMPLETIONS,
    &COMMUNICATION,
    &DOCUMENTS,
];

/// The register with this audit entity name.
pub fn by_key(key: &str) -> Option<&'static Register> {
    ALL.iter().copied().find(|r| r.key == key)
}

/// The types of an asset, as [`crate::asset::AssetType`] (a test keeps the two equal).
const ASSET_TYPES: &[&str] = &["information", "software", "hardware", "service", "people", "site", "supplier"];
/// The classifications of information, as [`crate::asset::Classification`].
const CLASSIFICATIONS: &[&str] = &["public", "internal", "confidential", "secret"];

/// 6.1.2 and A.5.9 Inventory of information and other associated assets: the
/// information the organisation protects and the supporting assets it
/// depends on. A supporting asset needs at least the protection of every
/// asset it supports, directly or through others (`effective`).
pub static ASSETS: Register = Register {
    key: "asset",
    locale: "asset",
    table: "assets",
    path: "assets",
    api: "assets",
    schema: "Asset",
    area: "planning",
    clause: "6.1.2",
    fields: &[
        Field::text("name", "field.name").required().list().sort().search(),
        Field::choice("asset_type", "asset.type", "asset_type", ASSET_TYPES).required().list().sort().filter(),
        Field::choice("classification", "asset.classification", "classification", CLASSIFICATIONS)
            .list()
            .sort()
            .filter(),
        Field::member("owner_id", "field.owner").list().filter(),
        Field::level("need_c", "field.need_c", "need", NEED_MAX).list().raised_by("supports"),
        Field::level("need_i", "field.need_i", "need", NEED_MAX).list().raised_by("supports"),
        Field::level("need_a", "field.need_a", "need", NEED_MAX).list().raised_by("supports"),
        Field::records(
            "supports",
            "asset.supports",
            "asset",
            LinkTable { table: "asset_links", own: "asset_id", other: "supports_id" },
        )
        .filter()
        .acyclic("error.asset_cycle")
        .hint("asset.supports_hint"),
        Field::long("description", "field.description").search(),
        Field::text("custodian", "asset.custodian").search(),
        Field::text("location", "asset.location").search(),
    ],
    title: "name",
    default_sort: "name",
    edit: Edit::OwnerOr("owner_id"),
    ..Register::DEFAULTS
};

/// An own threat as risks, imports and exports read it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ThreatRef {
    pub id: String,
    pub group_code: String,
    pub name: String,
    pub description: Option<String>,
    pub affects_c: bool,
    pub affects_i: bool,
    pub affects_a: bool,
    #[serde(skip)]
    pub archived: bool,
}

impl ThreatRef {
    pub fn of(rec: &Record) -> ThreatRef {
        let v = Values { reg: &OWN_THREATS, values: &rec.values };
        let flag = |n: &str| matches!(v.get(n), crate::register::Value::Bool(true));
        ThreatRef {
            id: rec.id.as_text(),
            group_code: v.text("group_code").unwrap_or("").to_string(),
            name: v.text("name").unwrap_or("").to_string(),
            description: v.text("description").map(str::to_string),
            affects_c: flag("affects_c"),
            affects_i: flag("affects_i"),
            affects_a: flag("affects_a"),
            archived: rec.archived,
        }
    }
}

/// An asset as risks, imports and exports name it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AssetRef {
    pub id: String,
    pub name: String,
    /// Its type's code (`asset_type.{code}` labels it).
    pub asset_type: String,
    pub archived: bool,
}

impl AssetRef {
    pub fn of(rec: &Record) -> AssetRef {
        let v = Values { reg: &ASSETS, values: &rec.values };
        AssetRef {
            id: rec.id.as_text(),
            name: v.text("name").unwrap_or("").to_string(),
            asset_type: v.text("asset_type").unwrap_or("").to_string(),
            archived: rec.archived,
        }
    }
}

/// The highest protection need (1 low … 4 very high; 0 not set).
const NEED_MAX: u8 = crate::asset::NEED_MAX;

/// The categories of a context issue, as [`crate::context::IssueCategory`] (a
/// test keeps the two equal). Climate change is required by ISO/IEC
/// 27001:2022/Amd 1:2024.
const ISSUE_CATEGORIES: &[&str] = &[
    "legal",
    "threat_landscape",
    "customers",
    "technology",
    "culture",
    "infrastructure",
    "staff_competence",
    "strategy",
    "economy",
    "suppliers",
    "climate_change",
    "other",
];

/// 4.1 Understanding the organisation and its context: the internal and
/// external issues that affect the ISMS, what they mean for it, and who keeps
/// each under review.
pub static CONTEXT_ISSUES: Register = Register {
    key: "context_issue",
    locale: "issues",
    table: "context_issues",
    path: "context/issues",
    api: "context-issues",
    schema: "ContextIssue",
    area: "context",
    clause: "4.1",
    fields: &[
        Field::text("title", "field.title").required().list().sort().search(),
        Field::choice("kind", "field.kind", "issue_kind", &["internal", "external"]).required().list().sort().filter(),
        Field::choice("category", "field.category", "issue_category", ISSUE_CATEGORIES)
            .required()
            .list()
            .sort()
            .filter(),
        Field::long("description", "field.description").search(),
        Field::long("effect", "field.effect").search().hint("issues.effect_hint"),
        Field::text("source", "field.source").search(),
        Field::member("owner_id", "field.owner").list().filter(),
        Field::date("last_reviewed", "field.last_reviewed").list().sort(),
    ],
    title: "title",
    default_sort: "title",
    edit: Edit::OwnerOr("owner_id"),
    ..Register::DEFAULTS
};

/// 4.2 Understanding the needs and expectations of interested parties: who
/// has a stake in the ISMS; their requirements are [`REQUIREMENTS`].
pub static INTERESTED_PARTIES: Register = Register {
    key: "interested_party",
    locale: "parties",
    table: "interested_parties",
    path: "context/parties",
    api: "interested-parties",
    schema: "Party",
    area: "context",
    clause: "4.2",
    fields: &[
        Field::text("name", "field.party").required().list().sort().search(),
        Field::choice("party_type", "field.party_type", "party_type", PARTY_TYPES).required().list().sort().filter(),
        Field::long("description", "field.description").search().hint("parties.description_hint"),
        Field::member("owner_id", "field.owner").list().filter(),
        Field::date("last_reviewed", "field.last_reviewed").sort(),
    ],
    title: "name",
    default_sort: "name",
    edit: Edit::OwnerOr("owner_id"),
    ..Register::DEFAULTS
};

/// The kinds of interested party, as [`crate::context::PartyType`].
const PARTY_TYPES: &[&str] = &[
    "customer",
    "employee",
    "management",
    "shareholder",
    "supplier",
    "regulator",
    "government",
    "partner",
    "certification_body",
    "insurer",
    "community",
    "other",
];

/// 4.2 b–c: the requirements of an interested party, how binding each is, and
/// whether and how the ISMS addresses it. Each belongs to one party.
pub static REQUIREMENTS: Register = Register {
    key: "requirement",
    locale: "requirements",
    table: "party_requirements",
    path: "context/requirements",
    api: "requirements",
    schema: "Requirement",
    area: "context",
    clause: "4.2",
    fields: &[
        Field::link("party_id", "field.party", "interested_party").required().list().filter(),
        Field::text("title", "field.requirement").required().list().sort().search().hint("parties.req_hint"),
        Field::choice(
            "req_type",
            "field.req_type",
            "requirement_type",
            &["legal", "regulatory", "contractual", "expectation"],
        )
        .required()
        .list()
        .filter(),
        Field::long("description", "field.req_description").search(),
        Field::flag("addressed", "field.addressed").list().filter(),
        Field::long("how_addressed", "field.how_addressed").list().search().hint("parties.how_hint"),
    ],
    title: "title",
    default_sort: "title",
    rules: requirement_rules,
    parent: Some("party_id"),
    summary: Some("addressed"),
    ..Register::DEFAULTS
};

/// A requirement the ISMS addresses says how.
fn requirement_rules(v: &Values<'_>, e: &mut FieldErrors) {
    if v.get("addressed") == &crate::register::Value::Bool(true) && v.text("how_addressed").is_none() {
        e.add("how_addressed", "error.how_addressed_required");
    }
}

#[cfg(test)]
#[test]
fn the_declared_choices_are_the_domain_codes() {
    use crate::context::{IssueCategory, IssueKind};
    assert_eq!(ISSUE_CATEGORIES, IssueCategory::ALL.iter().map(|c| c.code()).collect::<Vec<_>>());
    let kinds = CONTEXT_ISSUES.field("kind").map(|f| f.kind);
    assert!(matches!(kinds, Some(crate::register::Kind::Choice { codes, .. })
        if codes == IssueKind::ALL.iter().map(|c| c.code()).collect::<Vec<_>>()));
    use crate::asset::{AssetType, Classification};
    assert_eq!(ASSET_TYPES, AssetType::ALL.iter().map(|c| c.code()).collect::<Vec<_>>());
    assert_eq!(CLASSIFICATIONS, Classification::ALL.iter().map(|c| c.code()).collect::<Vec<_>>());
    use crate::context::{PartyType, RequirementType};
    assert_eq!(PARTY_TYPES, PartyType::ALL.iter().map(|c| c.code()).collect::<Vec<_>>());
    let kinds = REQUIREMENTS.field("req_type").map(|f| f.kind);
    assert!(matches!(kinds, Some(crate::register::Kind::Choice { codes, .. })
        if codes == RequirementType::ALL.iter().map(|c| c.code()).collect::<Vec<_>>()));
    use crate::soa::ImplStatus;
    assert_eq!(IMPL_STATUS, ImplStatus::ALL.iter().map(|c| c.code()).collect::<Vec<_>>());
    // The threat groups: the catalogue's, named in the locales as in the catalogue.
    assert_eq!(THREAT_GROUPS, crate::threat::groups().iter().map(|g| g.code.as_str()).collect::<Vec<_>>());
    for g in crate::threat::groups() {
        for l in [crate::Lang::En, crate::Lang::Nl] {
            assert_eq!(crate::i18n::t(l, &format!("threat_group.{}", g.code)), g.name(l), "{}", g.code);
        }
    }
}

#[cfg(test)]
#[test]
fn applied_controls_name_annex_a_controls_by_their_ids() {
    use crate::register::Value;
    let mut raw = APPLIED_CONTROLS.sample(&crate::ids::UserId::new().as_text());
    let ids = |raw: &std::collections::BTreeMap<String, String>| {
        APPLIED_CONTROLS.parse(raw).map(|v| v[APPLIED_CONTROLS.index("control_ids").unwrap()].clone())
    };
    // As typed, with the 2013 prefix, twice: once each, in the standard's order.
    raw.insert("control_ids".into(), "8.5, A.5.17;8.5\n5.9 a.5.10".into());
    assert_eq!(ids(&raw).unwrap(), Value::List(vec!["5.9".into(), "5.10".into(), "5.17".into(), "8.5".into()]));
    // None: a control of the organisation's own.
    raw.insert("control_ids".into(), " ".into());
    assert_eq!(ids(&raw).unwrap(), Value::List(vec![]));
    // An id that is not in Annex A.
    raw.insert("control_ids".into(), "8.5, 9.99".into());
    assert_eq!(ids(&raw).unwrap_err().for_field("control_ids"), Some("error.unknown_control"));
    // The list filter takes one control, as typed.
    let q = APPLIED_CONTROLS.query(&[("control_ids".to_string(), "A.8.5".to_string())].into()).unwrap();
    assert_eq!(q.filters, vec![(1, Value::Text("8.5".into()))]);
    assert!(APPLIED_CONTROLS.query(&[("control_ids".to_string(), "8.99".to_string())].into()).is_err());
}

/// 5.1 Leadership and commitment: what top management decided, funded,
/// staffed, attended or said about the ISMS, with a link to the minutes.
pub static LEADERSHIP_EVIDENCE: Register = Register {
    key: "leadership_evidence",
    locale: "leadership_evidence",
    table: "leadership_evidence",
    path: "leadership/evidence",
    api: "leadership-evidence",
    schema: "LeadershipEvidence",
    area: "leadership",
    clause: "5.1",
    fields: &[
        Field::date("date", "field.date").required().list().sort(),
        Field::choice(
            "kind",
            "leadership_evidence.field.kind",
            "leadership_evidence.kind",
            &["decision", "budget", "staffing", "review_attendance", "communication", "other"],
        )
        .required()
        .list()
        .filter(),
        Field::long("description", "field.description").required().list().sort().search(),
        Field::member("who", "leadership_evidence.field.who").required().list().filter(),
        Field::url("link", "leadership_evidence.field.link").hint("leadership_evidence.link_hint"),
    ],
    title: "description",
    default_sort: "date",
    default_desc: true,
    ..Register::DEFAULTS
};

const CHANGE_STATUS: &[&str] = &["proposed", "approved", "in_progress", "done", "rejected", "cancelled"];

/// 6.3 Planning of changes: each change to the ISMS with its purpose, what it
/// may cause, what it needs, who carries it, and who decided when.
pub static ISMS_CHANGES: Register = Register {
    key: "isms_change",
    locale: "isms_change",
    table: "isms_changes",
    path: "planning/changes",
    api: "isms-changes",
    schema: "IsmsChange",
    area: "planning",
    clause: "6.3",
    fields: &[
        Field::text("title", "field.title").required().list().sort().search(),
        Field::long("purpose", "isms_change.field.purpose").required().search(),
        Field::long("consequences", "isms_change.field.consequences").search().hint("isms_change.consequences_hint"),
        Field::long("resources", "isms_change.field.resources"),
        Field::long("responsibilities", "isms_change.field.responsibilities"),
        Field::member("owner_id", "field.owner").list().filter(),
        Field::date("planned_on", "isms_change.field.planned_on").list().sort(),
        Field::choice("status", "field.status", "isms_change.status", CHANGE_STATUS)
            .required()
            .list()
            .filter()
            .managers(),
        Field::member("decided_by", "isms_change.field.decided_by").managers(),
        Field::date("decided_on", "isms_change.field.decided_on").managers(),
        Field::long("decision", "isms_change.field.decision").managers(),
    ],
    title: "title",
    default_sort: "planned_on",
    edit: Edit::OwnerOr("owner_id"),
    rules: change_rules,
    ..Register::DEFAULTS
};

/// A change that is decided on (approved, under way, done or rejected) names
/// who decided and when.
fn change_rules(v: &Values<'_>, e: &mut FieldErrors) {
    if matches!(v.text("status"), Some("approved" | "in_progress" | "done" | "rejected")) {
        if v.text("decided_by").is_none() {
            e.add("decided_by", "error.decision_who");
        }
        if v.text("decided_on").is_none() {
            e.add("decided_on", "error.decision_when");
        }
    }
}

const OPPORTUNITY_STATUS: &[&str] = &["identified", "planned", "in_progress", "realised", "dropped"];

/// 6.1.1: the opportunities the ISMS can take (a certification that wins
/// tenders, automation that removes manual errors), beside its risks: with
/// their benefit, what will be done about them, who owns them and when they
/// are looked at again.
pub static OPPORTUNITIES: Register = Register {
    key: "opportunity",
    locale: "opportunity",
    table: "opportunities",
    path: "risks/opportunities",
    api: "opportunities",
    schema: "Opportunity",
    area: "planning",
    clause: "6.1.1",
    fields: &[
        Field::text("title", "field.title").required().list().sort().search(),
        Field::long("description", "field.description").search(),
        Field::level("benefit", "opportunity.field.benefit", "opportunity.benefit", 3).list().sort(),
        Field::choice(
            "approach",
            "opportunity.field.approach",
            "opportunity.approach",
            &["pursue", "enhance", "share", "accept"],
        )
        .list()
        .filter(),
        Field::long("plan", "opportunity.field.plan").hint("opportunity.plan_hint").search(),
        Field::member("owner_id", "field.owner").list().filter(),
        Field::choice("status", "field.status", "opportunity.status", OPPORTUNITY_STATUS).required().list().filter(),
        Field::date("next_review", "opportunity.field.next_review").list().sort().due(),
    ],
    title: "title",
    default_sort: "title",
    edit: Edit::OwnerOr("owner_id"),
    rules: opportunity_rules,
    ..Register::DEFAULTS
};

/// An opportunity being acted on has an owner, an approach and a plan.
fn opportunity_rules(v: &Values<'_>, e: &mut FieldErrors) {
    if matches!(v.text("status"), Some("planned" | "in_progress" | "realised")) {
        if v.text("owner_id").is_none() {
            e.add("owner_id", "error.opportunity_owner");
        }
        if v.text("approach").is_none() {
            e.add("approach", "error.opportunity_approach");
        }
        if v.text("plan").is_none() {
            e.add("plan", "error.opportunity_plan");
        }
    }
}

#[test]
fn an_opportunity_acted_on_has_an_owner_an_approach_and_a_plan() {
    let mut raw = OPPORTUNITIES.sample(&crate::ids::UserId::new().as_text());
    assert!(OPPORTUNITIES.parse(&raw).is_ok(), "identified: nothing asked yet");
    raw.insert("status".into(), "planned".into());
    raw.insert("plan".into(), String::new());
    raw.insert("approach".into(), String::new());
    raw.insert("owner_id".into(), String::new());
    let e = OPPORTUNITIES.parse(&raw).unwrap_err();
    assert_eq!(e.for_field("owner_id"), Some("error.opportunity_owner"));
    assert_eq!(e.for_field("approach"), Some("error.opportunity_approach"));
    assert_eq!(e.for_field("plan"), Some("error.opportunity_plan"));
}

/// The groups of the built-in threat catalogue (`catalog/threats.toml`; a test
/// keeps the two, and the groups' names in both languages, equal).
const THREAT_GROUPS: &[&str] =
    &["physical", "environmental", "infrastructure", "technical", "human_error", "malicious", "organisational"];

/// 6.1.2 c: the organisation's own threats, beside Borgen's built-in
/// catalogue (`crate::threat`), each in one of the catalogue's groups and
/// marking which properties it typically affects. A risk names one by its id.
pub static OWN_THREATS: Register = Register {
    key: "threat",
    locale: "own_threat",
    table: "threats",
    path: "risks/threats/own",
    api: "own-threats",
    schema: "OwnThreat",
    area: "planning",
    clause: "6.1.2",
    fields: &[
        Field::text("name", "field.name").required().list().sort().search(),
        Field::choice("group_code", "threat.group", "threat_group", THREAT_GROUPS).required().list().sort().filter(),
        Field::long("description", "field.description").list().search(),
        Field::flag("affects_c", "risk.c").list(),
        Field::flag("affects_i", "risk.i").list(),
        Field::flag("affects_a", "risk.a").list(),
    ],
    title: "name",
    default_sort: "name",
    rules: threat_rules,
    ..Register::DEFAULTS
};

/// A threat affects confidentiality, integrity or availability, or it is no
/// threat to information security.
fn threat_rules(v: &Values<'_>, e: &mut FieldErrors) {
    let on = |f: &str| v.get(f) == &crate::register::Value::Bool(true);
    if !(on("affects_c") || on("affects_i") || on("affects_a")) {
        e.add("affects_c", "error.threat_affects");
    }
}

/// The implementation statuses, as [`crate::soa::ImplStatus`] (a test keeps
/// the two equal): the SoA derives a control's status from them.
const IMPL_STATUS: &[&str] = &["not_started", "planned", "partial", "implemented", "not_applicable"];

/// 6.1.3 and Annex A: the organisation's own implementations of Annex A
/// controls (or controls of its own, from a customer contract say). The
/// status of a control in the Statement of Applicability follows from the
/// applied controls linked to it; risks are treated with them.
pub static APPLIED_CONTROLS: Register = Register {
    key: "applied_control",
    locale: "applied",
    table: "applied_controls",
    path: "soa/applied",
    api: "applied-controls",
    schema: "AppliedControl",
    area: "soa",
    clause: "6.1.3",
    fields: &[
        Field::text("name", "field.name").required().list().sort().search(),
        Field::controls(
            "control_ids",
            "applied.controls",
            LinkTable { table: "applied_control_links", own: "applied_control_id", other: "control_id" },
        )
        .list()
        .filter()
        .search()
        .hint("applied.controls_hint")
        .empty_as("applied.custom"),
        Field::choice("status", "soa.status", "impl_status", IMPL_STATUS).required().list().sort().filter(),
        Field::member("owner_id", "field.owner").list().filter(),
        Field::date("due_date", "applied.due_date").list().sort(),
        Field::long("description", "field.description").search(),
        Field::long("effectiveness", "applied.effectiveness").hint("applied.effectiveness_hint"),
        Field::long("evidence", "applied.evidence").search().hint("applied.evidence_hint"),
    ],
    title: "name",
    default_sort: "name",
    edit: Edit::OwnerOr("owner_id"),
    ..Register::DEFAULTS
};

/// An applied control as risks, tasks, imports and exports read it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AppliedRef {
    pub id: RecordId,
    pub name: String,
    pub archived: bool,
    pub status: Option<crate::soa::ImplStatus>,
    pub control_ids: Vec<String>,
}

impl AppliedRef {
    pub fn of(rec: &Record) -> AppliedRef {
        let v = Values { reg: &APPLIED_CONTROLS, values: &rec.values };
        AppliedRef {
            id: rec.id,
            name: v.text("name").unwrap_or("").to_string(),
            archived: rec.archived,
            status: v.text("status").and_then(crate::soa::ImplStatus::parse),
            control_ids: v.list("control_ids").to_vec(),
        }
    }
}

/// 7.4 Communication: the plan of what is communicated about the ISMS, when
/// or how often, to whom, how, by whom, inside or outside the organisation.
pub static COMMUNICATION: Register = Register {
    key: "communication",
    locale: "communication",
    table: "communication_plan",
    path: "support/communication",
    api: "communication-plan",
    schema: "Communication",
    area: "support",
    clause: "7.4",
    fields: &[
        Field::text("subject", "communication.field.subject").required().list().sort().search(),
        Field::text("frequency", "communication.field.frequency")
            .required()
            .list()
            .hint("communication.frequency_hint"),
        Field::text("audience", "communication.field.audience").required().list().sort().search(),
        Field::choice(
            "channel",
            "communication.field.channel",
            "communication.channel",
            &["email", "intranet", "meeting", "training", "newsletter", "website", "letter", "other"],
        )
        .required()
        .list()
        .filter(),
        Field::member("owner_id", "communication.field.by_whom").list().filter(),
        Field::choice("direction", "communication.field.direction", "issue_kind", &["internal", "external"])
            .required()
            .list()
            .filter(),
        Field::date("last_held", "communication.field.last_held").list().sort(),
        Field::long("notes", "communication.field.notes").search(),
    ],
    title: "subject",
    default_sort: "subject",
    edit: Edit::OwnerOr("owner_id"),
    ..Register::DEFAULTS
};

/// 7.5 Documented information: the register of the ISMS's documents
/// (the scope, policies, procedures, records…), each with an owner, a
/// classification, a review cycle, and the issues (4.1) and requirements
/// (4.2) it takes into account. Its versions, with their review and approval, are
/// [`crate::document`].
pub static DOCUMENTS: Register = Register {
    key: "document",
    locale: "document",
    table: "documents",
    path: "support/documents",
    api: "documents",
    schema: "Document",
    area: "support",
    clause: "7.5",
    fields: &[
        Field::text("code", "document.field.code").required().list().sort().search().hint("document.code_hint"),
        Field::text("title", "field.title").required().list().sort().search(),
        Field::choice("doc_type", "document.field.doc_type", "document.type", crate::document::TYPES)
            .required()
            .list()
            .filter(),
        Field::member("owner_id", "field.owner").list().filter(),
        Field::choice(
            "classification",
            "document.field.classification",
            "document.classification",
            &["public", "internal", "confidential", "secret"],
        )
        .required()
        .list()
        .filter(),
        Field::choice(
            "review_interval",
            "document.field.review_interval",
            "document.interval",
            &["6", "12", "24", "36"],
        )
        .required(),
        Field::date("next_review", "document.field.next_review").list().sort().due(),
        Field::controls(
            "control_ids",
            "document.field.controls",
            LinkTable { table: "document_controls", own: "document_id", other: "control_id" },
        )
        .filter()
        .search(),
        Field::records(
            "issue_ids",
            "document.field.issues",
            "context_issue",
            LinkTable { table: "document_issues", own: "document_id", other: "issue_id" },
        )
        .filter()
        .hint("document.issues_hint"),
        Field::records(
            "requirement_ids",
            "document.field.requirements",
            "requirement",
            LinkTable { table: "document_requirements", own: "document_id", other: "requirement_id" },
        )
        .filter(),
        Field::long("description", "field.description").search(),
    ],
    title: "title",
    default_sort: "code",
    edit: Edit::OwnerOr("owner_id"),
    ..Register::DEFAULTS
};

/// Everyone the ISMS concerns, with or without an account: employees, temporary
/// staff, contractors. The roles they hold are [`ROLE_HOLDERS`], the evidence of
/// their competence [`COMPETENCE_EVIDENCE`]. Who has left (an end date before
/// today) drops out of the competence matrix and the rates, and stays here.
pub static PEOPLE: Register = Register {
    key: "person",
    locale: "people",
    table: "people",
    path: "support/people",
    api: "people",
    schema: "Person",
    area: "support",
    clause: "7.2",
    fields: &[
        Field::text("name", "field.name").required().list().sort().search(),
        Field::email("email", "people.field.email").list().search(),
        Field::text("department", "people.field.department").list().sort().search(),
        Field::text("job_title", "people.field.job_title").search(),
        Field::link("manager_id", "people.field.manager", "person").filter(),
        Field::member("user_id", "people.field.account").hint("people.account_hint"),
        Field::date("start_date", "people.field.start_date").sort(),
        Field::date("end_date", "people.field.end_date").list().sort().hint("people.end_hint"),
        Field::long("notes", "people.field.notes").search(),
    ],
    title: "name",
    default_sort: "name",
    rules: person_rules,
    ..Register::DEFAULTS
};

/// One leaves after one starts.
fn person_rules(v: &Values<'_>, e: &mut FieldErrors) {
    if let (Some(a), Some(b)) = (v.text("start_date"), v.text("end_date"))
        && b < a
    {
        e.add("end_date", "error.end_before_start");
    }
}

/// 5.3 Organisational roles, responsibilities and authorities: each role of
/// the ISMS with what it is responsible for and may decide; who holds it is
/// [`ROLE_HOLDERS`], what it requires [`COMPETENCES`]. Two are named by the
/// standard, each a yes/no field (one role may carry both): ensuring the ISMS
/// conforms to ISO/IEC 27001 (`conformity`, 5.3 a) and reporting its
/// performance to top management (`reporting`, 5.3 b).
pub static ORG_ROLES: Register = Register {
    key: "org_role",
    locale: "org_roles",
    table: "org_roles",
    path: "leadership/roles",
    api: "org-roles",
    schema: "OrgRole",
    area: "leadership",
    clause: "5.3",
    fields: &[
        Field::text("name", "org_roles.field.name").required().list().sort().search(),
        Field::flag("conformity", "org_roles.duty.conformity").list().filter().hint("org_roles.duty_hint"),
        Field::flag("reporting", "org_roles.duty.reporting").list().filter(),
        Field::long("responsibilities", "org_roles.field.responsibilities").required().search(),
        Field::long("authorities", "org_roles.field.authorities").search(),
    ],
    title: "name",
    default_sort: "name",
    ..Register::DEFAULTS
};

/// Who holds an organisational role, since when, and how it was made known to
/// them (5.3: responsibilities and authorities are assigned *and communicated*).
pub static ROLE_HOLDERS: Register = Register {
    key: "role_holder",
    locale: "role_holders",
    table: "role_holders",
    path: "leadership/role-holders",
    api: "role-holders",
    schema: "RoleHolder",
    area: "leadership",
    clause: "5.3",
    fields: &[
        Field::link("role_id", "role_holders.field.role", "org_role").required().list().filter(),
        Field::link("person_id", "role_holders.field.person", "person").required().list().filter(),
        Field::date("since", "role_holders.field.since").required().list().sort(),
        Field::date("until", "role_holders.field.until").list().sort().hint("role_holders.until_hint"),
        Field::date("communicated_on", "role_holders.field.communicated_on").list(),
        Field::choice(
            "communicated_how",
            "role_holders.field.communicated_how",
            "role_holders.how",
            &["appointment_letter", "job_description", "contract", "email", "meeting", "intranet", "other"],
        )
        .list(),
    ],
    title: "person_id",
    default_sort: "since",
    rules: holder_rules,
    parent: Some("role_id"),
    ..Register::DEFAULTS
};

/// A holding ends after it starts; communicated means on a day and in a way.
fn holder_rules(v: &Values<'_>, e: &mut FieldErrors) {
    if let (Some(a), Some(b)) = (v.text("since"), v.text("until"))
        && b < a
    {
        e.add("until", "error.end_before_start");
    }
    match (v.text("communicated_on"), v.text("communicated_how")) {
        (Some(_), None) => e.add("communicated_how", "error.communicated_how"),
        (None, Some(_)) => e.add("communicated_on", "error.communicated_on"),
        _ => {}
    }
}

/// 7.2 a: a competence an organisational role requires, and how it is shown.
pub static COMPETENCES: Register = Register {
    key: "competence",
    locale: "competences",
    table: "competences",
    path: "support/competences",
    api: "competences",
    schema: "Competence",
    area: "support",
    clause: "7.2",
    fields: &[
        Field::link("role_id", "competences.field.role", "org_role").required().list().filter(),
        Field::text("name", "competences.field.name").required().list().sort().search(),
        Field::choice("shown_by", "competences.field.shown_by", "competences.shown_by", SHOWN_BY)
            .required()
            .list()
            .filter(),
        Field::long("description", "competences.field.description").search().hint("competences.description_hint"),
    ],
    title: "name",
    default_sort: "name",
    parent: Some("role_id"),
    ..Register::DEFAULTS
};

/// How a competence is shown.
const SHOWN_BY: &[&str] = &["training", "certificate", "experience", "education"];

/// 7.2 d: the documented evidence of a person's competence: what, when it was
/// obtained, until when it is valid, and its files in the evidence store.
pub static COMPETENCE_EVIDENCE: Register = Register {
    key: "competence_evidence",
    locale: "competence_evidence",
    table: "competence_evidence",
    path: "support/competence-evidence",
    api: "competence-evidence",
    schema: "CompetenceEvidence",
    area: "support",
    clause: "7.2",
    fields: &[
        Field::link("person_id", "competence_evidence.field.person", "person").required().list().filter(),
        Field::link("competence_id", "competence_evidence.field.competence", "competence").required().list().filter(),
        Field::text("what", "competence_evidence.field.what").required().list().sort().search(),
        Field::choice("kind", "competence_evidence.field.kind", "competences.shown_by", SHOWN_BY).required().list(),
        Field::date("obtained", "competence_evidence.field.obtained").required().list().sort(),
        Field::date("expires", "competence_evidence.field.expires")
            .list()
            .sort()
            .hint("competence_evidence.expires_hint"),
        Field::long("notes", "competence_evidence.field.notes").search(),
    ],
    title: "what",
    default_sort: "what",
    rules: evidence_rules,
    parent: Some("person_id"),
    ..Register::DEFAULTS
};

/// A certificate expires after it was obtained.
fn evidence_rules(v: &Values<'_>, e: &mut FieldErrors) {
    if let (Some(a), Some(b)) = (v.text("obtained"), v.text("expires"))
        && b < a
    {
        e.add("expires", "error.expires_after_obtained");
    }
}

const OBJECTIVE_STATUS: &[&str] = &["planned", "on_track", "at_risk", "achieved", "not_achieved", "cancelled"];

/// 6.2 Information security objectives and planning to achieve them: what
/// will be achieved, measured how and against which target, what will be
/// done with which resources, who is responsible, by when, how the results
/// are evaluated; its measured values over time are [`OBJECTIVE_PROGRESS`].
pub static OBJECTIVES: Register = Register {
    key: "objective",
    locale: "objectives",
    table: "objectives",
    path: "planning/objectives",
    api: "objectives",
    schema: "Objective",
    area: "planning",
    clause: "6.2",
    fields: &[
        Field::text("title", "objectives.field.title").required().list().sort().search(),
        Field::long("description", "field.description").search(),
        Field::link("policy_id", "objectives.field.policy", "document").filter().hint("objectives.policy_hint"),
        Field::text("measure", "objectives.field.measure").search().hint("objectives.measure_hint"),
        Field::choice("direction", "objectives.field.direction", "objectives.direction", &["at_least", "at_most"]),
        Field::number("target", "objectives.field.target", 2).list(),
        Field::text("unit", "objectives.field.unit").list().hint("objectives.unit_hint"),
        Field::long("no_target_reason", "objectives.field.no_target_reason").hint("objectives.no_target_hint"),
        Field::long("plan", "objectives.field.plan").required().search(),
        Field::long("resources", "objectives.field.resources"),
        Field::member("owner_id", "objectives.field.owner").list().filter(),
        Field::date("due", "objectives.field.due").list().sort().due(),
        Field::long("evaluation", "objectives.field.evaluation").hint("objectives.evaluation_hint"),
        Field::choice("status", "field.status", "objectives.status", OBJECTIVE_STATUS)
            .required()
            .list()
            .filter()
            .managers(),
        Field::controls(
            "control_ids",
            "objectives.field.controls",
            LinkTable { table: "objective_controls", own: "objective_id", other: "control_id" },
        )
        .filter()
        .search(),
    ],
    title: "title",
    default_sort: "title",
    edit: Edit::OwnerOr("owner_id"),
    rules: objective_rules,
    ..Register::DEFAULTS
};

/// 6.2 b: measurable where practicable — a target with its direction, or the
/// reason why it cannot be measured.
fn objective_rules(v: &Values<'_>, e: &mut FieldErrors) {
    match (v.text("target"), v.text("no_target_reason")) {
        (None, None) => e.add("target", "error.target_or_reason"),
        (Some(_), _) if v.text("direction").is_none() => e.add("direction", "error.required"),
        _ => {}
    }
}

/// A measured value of an objective on a day, with what it says.
pub static OBJECTIVE_PROGRESS: Register = Register {
    key: "objective_progress",
    locale: "objective_progress",
    table: "objective_progress",
    path: "planning/objective-progress",
    api: "objective-progress",
    schema: "ObjectiveProgress",
    area: "planning",
    clause: "6.2",
    fields: &[
        Field::link("objective_id", "objective_progress.field.objective", "objective").required().list().filter(),
        Field::date("date", "field.date").required().list().sort(),
        Field::number("value", "objective_progress.field.value", 2).required().list(),
        Field::long("note", "objective_progress.field.note").list().search(),
    ],
    title: "date",
    default_sort: "date",
    parent: Some("objective_id"),
    ..Register::DEFAULTS
};

/// 7.1 Resources: what the organisation makes available for the ISMS per
/// year (budget, staff in FTE, what for), and who in top management approved
/// it and when.
pub static RESOURCES: Register = Register {
    key: "resource",
    locale: "resources",
    table: "isms_resources",
    path: "support/resources",
    api: "resources",
    schema: "Resource",
    area: "support",
    clause: "7.1",
    fields: &[
        Field::text("year", "resources.field.year").required().list().sort().hint("resources.year_hint").sample("2026"),
        Field::text("purpose", "resources.field.purpose").required().list().sort().search(),
        Field::number("amount", "resources.field.amount", 2).list(),
        Field::number("fte", "resources.field.fte", 2).list(),
        Field::long("description", "field.description").search(),
        Field::member("approved_by", "resources.field.approved_by").list().filter().managers().approver(),
        Field::date("approved_on", "resources.field.approved_on").list().managers(),
    ],
    title: "purpose",
    default_sort: "year",
    default_desc: true,
    rules: resource_rules,
    ..Register::DEFAULTS
};

/// A year is four digits; a line names money or people; who approved it
/// says when. (A date alone is allowed: top management without an account
/// approved it in a meeting, named in the description.)
fn resource_rules(v: &Values<'_>, e: &mut FieldErrors) {
    if let Some(y) = v.text("year")
        && !(y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit()) && ("2000".."2100").contains(&y))
    {
        e.add("year", "error.bad_year");
    }
    if v.text("amount").is_none() && v.text("fte").is_none() {
        e.add("amount", "error.amount_or_fte");
    }
    if v.text("approved_by").is_some() && v.text("approved_on").is_none() {
        e.add("approved_on", "error.approved_on");
    }
}

/// The processes of the ISMS over which responsibilities are shared out
/// (risk assessment, the SoA, document control, internal audit…): the rows
/// of the RACI matrix; an organisation edits the list.
pub static ISMS_PROCESSES: Register = Register {
    key: "isms_process",
    locale: "processes",
    table: "isms_processes",
    path: "leadership/processes",
    api: "isms-processes",
    schema: "IsmsProcess",
    area: "leadership",
    clause: "5.3",
    fields: &[
        Field::text("name", "processes.field.name").required().list().sort().search(),
        Field::text("clause", "processes.field.clause").list().sort().hint("processes.clause_hint"),
        Field::long("description", "field.description").search(),
    ],
    title: "name",
    default_sort: "clause",
    ..Register::DEFAULTS
};

/// Who is Responsible, Accountable, Consulted or Informed for an ISMS process:
/// one letter of one organisational role for one process.
pub static RACI: Register = Register {
    key: "raci",
    locale: "raci",
    table: "raci_assignments",
    path: "leadership/raci",
    api: "raci",
    schema: "Raci",
    area: "leadership",
    clause: "5.3",
    fields: &[
        Field::link("process_id", "raci.field.process", "isms_process").required().list().filter(),
        Field::link("role_id", "raci.field.role", "org_role").required().list().filter(),
        Field::choice("letter", "raci.field.letter", "raci.letter", crate::competence::RACI_LETTERS)
            .required()
            .list()
            .sort()
            .filter(),
    ],
    title: "role_id",
    default_sort: "letter",
    parent: Some("process_id"),
    unique: &["process_id", "role_id", "letter"],
    ..Register::DEFAULTS
};

const CAMPAIGN_KINDS: &[&str] = &["elearning", "workshop", "phishing", "newsletter", "other"];

/// 7.3 Awareness: a campaign (e-learning, workshop, phishing simulation,
/// newsletter…), for whom, when; who completed it is [`COMPLETIONS`].
pub static CAMPAIGNS: Register = Register {
    key: "campaign",
    locale: "campaigns",
    table: "awareness_campaigns",
    path: "support/awareness",
    api: "awareness-campaigns",
    schema: "Campaign",
    area: "support",
    clause: "7.3",
    fields: &[
        Field::text("title", "campaigns.field.title").required().list().sort().search(),
        Field::choice("kind", "campaigns.field.kind", "campaigns.kind", CAMPAIGN_KINDS).required().list().filter(),
        Field::choice("audience", "campaigns.field.audience", "campaigns.audience", crate::awareness::AUDIENCES)
            .required()
            .list()
            .filter()
            .hint("campaigns.audience_hint"),
        Field::link("audience_role", "campaigns.field.audience_role", "org_role").filter(),
        Field::text("audience_department", "campaigns.field.audience_department"),
        Field::date("starts", "campaigns.field.starts").required().list().sort(),
        Field::date("ends", "campaigns.field.ends").list().sort(),
        Field::member("owner_id", "field.owner").list().filter(),
        Field::long("description", "field.description").search(),
    ],
    title: "title",
    default_sort: "starts",
    default_desc: true,
    edit: Edit::OwnerOr("owner_id"),
    rules: campaign_rules,
    ..Register::DEFAULTS
};

/// A campaign for a role names the role, for a department the department; it
/// ends after it starts.
fn campaign_rules(v: &Values<'_>, e: &mut FieldErrors) {
    match v.text("audience") {
        Some("role") if v.text("audience_role").is_none() => e.add("audience_role", "error.required"),
        Some("department") if v.text("audience_department").is_none() => e.add("audience_department", "error.required"),
        _ => {}
    }
    if let (Some(a), Some(b)) = (v.text("starts"), v.text("ends"))
        && b < a
    {
        e.add("ends", "error.end_before_start");
    }
}

/// Whether one person completed a campaign (on which day), did not, or is exempt.
pub static COMPLETIONS: Register = Register {
    key: "completion",
    locale: "completions",
    table: "awareness_completions",
    path: "support/awareness-completions",
    api: "completions",
    schema: "Completion",
    area: "support",
    clause: "7.3",
    fields: &[
        Field::link("campaign_id", "completions.field.campaign", "campaign").required().list().filter(),
        Field::link("person_id", "completions.field.person", "person").required().list().filter(),
        Field::choice("status", "field.status", "completions.status", crate::awareness::COMPLETION)
            .required()
            .list()
            .filter(),
        Field::date("completed_on", "completions.field.completed_on").list().sort(),
        Field::text("note", "completions.field.note").list(),
    ],
    title: "person_id",
    default_sort: "completed_on",
    rules: completion_rules,
    parent: Some("campaign_id"),
    unique: &["campaign_id", "person_id"],
    ..Register::DEFAULTS
};

/// Done means on a day.
fn completion_rules(v: &Values<'_>, e: &mut FieldErrors) {
    if v.text("status") == Some("done") && v.text("completed_on").is_none() {
        e.add("completed_on", "error.completed_on");
    }
}
