//! Versions of documented information (7.5.2, 7.5.3): each version moves
//! draft → in review → approved → published → withdrawn, and only a draft
//! changes. Who may take each step, and in which state, is decided here.
//!
//! - A draft is written by the ISMS manager or the document's owner (with
//!   edit rights); it goes to review with named reviewers.
//! - Each named reviewer approves it or sends it back with a reason; sent
//!   back, it is a draft again and every review starts over.
//! - It is approved, once every reviewer approved, by the role its type
//!   needs ([`Rules::approver`]): top management for the scope statement and
//!   the information security policy, for the rest the role the organisation
//!   chose (the ISMS manager unless it chose top management).
//! - It is published by the ISMS manager or the owner; publishing withdraws
//!   the version published before. The ISMS manager may withdraw a published
//!   version without a successor (the document is no longer in force).
//! - At most one version of a document is open (draft, in review or
//!   approved) at a time; a change to a published text starts a new draft.

use crate::role::{Permission, Role, RoleSet};

/// The document types, in the register's order.
pub const TYPES: &[&str] = &["scope", "policy", "procedure", "work_instruction", "record", "template", "other"];

/// Where a version stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    Draft,
    InReview,
    Approved,
    Published,
    Withdrawn,
}

impl State {
    pub const ALL: [State; 5] = [State::Draft, State::InReview, State::Approved, State::Published, State::Withdrawn];

    pub fn code(self) -> &'static str {
        match self {
            State::Draft => "draft",
            State::InReview => "in_review",
            State::Approved => "approved",
            State::Published => "published",
            State::Withdrawn => "withdrawn",
        }
    }
    pub fn parse(s: &str) -> Option<State> {
        State::ALL.into_iter().find(|x| x.code() == s)
    }
    pub fn label_key(self) -> &'static str {
        match self {
            State::Draft => "document.state.draft",
            State::InReview => "document.state.in_review",
            State::Approved => "document.state.approved",
            State::Published => "document.state.published",
            State::Withdrawn => "document.state.withdrawn",
        }
    }
    /// Draft, in review or approved: not yet in force, not yet closed.
    pub fn is_open(self) -> bool {
        matches!(self, State::Draft | State::InReview | State::Approved)
    }
}

/// A reviewer's decision.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Pending,
    Approved,
    Returned,
}

impl Decision {
    pub fn code(self) -> &'static str {
        match self {
            Decision::Pending => "pending",
            Decision::Approved => "approved",
            Decision::Returned => "returned",
        }
    }
    pub fn parse(s: &str) -> Option<Decision> {
        [Decision::Pending, Decision::Approved, Decision::Returned].into_iter().find(|x| x.code() == s)
    }
    pub fn label_key(self) -> &'static str {
        match self {
            Decision::Pending => "document.review.pending",
            Decision::Approved => "document.review.approved",
            Decision::Returned => "document.review.returned",
        }
    }
}

/// A step in a version's life.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// Change the draft's text.
    Edit,
    /// Send the draft to its reviewers.
    Submit,
    /// A reviewer's approval or return.
    Review,
    Approve,
    Publish,
    Withdraw,
}

/// Who is asking, as far as the workflow cares.
#[derive(Clone, Copy, Debug, Default)]
pub struct Who {
    /// May edit the document record (the ISMS manager, or its owner with edit rights).
    pub editor: bool,
    /// Holds the ISMS manager's rights.
    pub manager: bool,
    /// Holds the role this document type's approval needs.
    pub approver: bool,
    /// Is a named reviewer of this version who has not decided yet.
    pub pending_reviewer: bool,
}

/// Why a step is refused: the role (403) or the state (409, a locale key).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    Role,
    State(&'static str),
}

/// The types top management always approves: the information security
/// policy (5.1, 5.2) and the scope statement (4.3). The approver of every
/// other type is the organisation's choice ([`Rules`]).
pub const TOP_MANAGEMENT_TYPES: &[&str] = &["scope", "policy"];

/// The classifications of documents, from the most open.
pub const CLASSIFICATIONS: &[&str] = &["public", "internal", "confidential", "secret"];

/// The roles whose reading of a classification an organisation decides.
/// The ISMS manager and top management read every document (they answer
/// for the ISMS and approve its documents); a public document is everyone's.
pub const READER_ROLES: [Role; 3] = [Role::Contributor, Role::Auditor, Role::Viewer];

/// The roles that may be chosen to approve a document type.
pub const APPROVER_ROLES: [Role; 2] = [Role::IsmsManager, Role::TopManagement];

/// An organisation's document control: which roles read each
/// classification, and which role approves each type. Stored as JSON on
/// the organisation; what is missing or not understood takes the default.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Rules {
    /// Per classification other than public, the [`READER_ROLES`] that read it.
    pub readers: std::collections::BTreeMap<String, Vec<Role>>,
    /// Per type other than the [`TOP_MANAGEMENT_TYPES`], its approver.
    pub approvers: std::collections::BTreeMap<String, Role>,
}

impl Default for Rules {
    /// Staff (viewers) read public and internal documents, everyone else
    /// every document; the ISMS manager approves every type top management
    /// does not have to.
    fn default() -> Rules {
        let readers = [
            ("internal", READER_ROLES.to_vec()),
            ("confidential", vec![Role::Contributor, Role::Auditor]),
            ("secret", vec![Role::Contributor, Role::Auditor]),
        ];
        Rules {
            readers: readers.into_iter().map(|(c, r)| (c.to_string(), r)).collect(),
            approvers: configurable_types().map(|t| (t.to_string(), Role::IsmsManager)).collect(),
        }
    }
}

/// The types whose approver an organisation chooses.
pub fn configurable_types() -> impl Iterator<Item = &'static str> {
    TYPES.iter().copied().filter(|t| !TOP_MANAGEMENT_TYPES.contains(t))
}

impl Rules {
    /// From the stored JSON; unknown classifications, types and roles are
    /// dropped and whatever is missing (or the whole, when it does not
    /// parse) takes the default.
    pub fn from_json(text: &str) -> Rules {
        #[derive(serde::Deserialize, Default)]
        #[serde(default)]
        struct Raw {
            readers: std::collections::BTreeMap<String, Vec<String>>,
            approvers: std::collections::BTreeMap<String, String>,
        }
        let raw: Raw = serde_json::from_str(text).unwrap_or_default();
        let mut r = Rules::default();
        for (class, roles) in raw.readers {
            if let Some(slot) = r.readers.get_mut(&class) {
                let mut set: Vec<Role> =
                    roles.iter().filter_map(|c| Role::parse(c)).filter(|x| READER_ROLES.contains(x)).collect();
                set.sort();
                set.dedup();
                *slot = set;
            }
        }
        for (t, role) in raw.approvers {
            if let (Some(slot), Some(role)) = (r.approvers.get_mut(&t), Role::parse(&role))
                && APPROVER_ROLES.contains(&role)
            {
                *slot = role;
            }
        }
        r
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| "{}".into())
    }

    /// From the settings form: `reads` holds `classification:role` for each
    /// ticked box, `approvers` a role code per type. Anything that names an
    /// unknown classification, type or role, or a role that cannot hold
    /// that part, is refused (the key of the message).
    pub fn from_form<'a>(
        reads: impl IntoIterator<Item = &'a str>,
        approvers: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Rules, &'static str> {
        let mut r = Rules::default();
        for v in r.readers.values_mut() {
            v.clear();
        }
        for pair in reads {
            let (class, role) = pair.split_once(':').ok_or("docrules.error.unknown")?;
            let role = Role::parse(role).filter(|x| READER_ROLES.contains(x)).ok_or("docrules.error.unknown")?;
            let slot = r.readers.get_mut(class).ok_or("docrules.error.unknown")?;
            if !slot.contains(&role) {
                slot.push(role);
                slot.sort();
            }
        }
        for (t, role) in approvers {
            let role = Role::parse(role).filter(|x| APPROVER_ROLES.contains(x)).ok_or("docrules.error.unknown")?;
            *r.approvers.get_mut(t).ok_or("docrules.error.unknown")? = role;
        }
        // A role that reads a classification reads every more open one.
        for (i, class) in CLASSIFICATIONS.iter().enumerate().skip(2) {
            let lower = CLASSIFICATIONS[i - 1];
            if r.readers[*class].iter().any(|role| !r.readers[lower].contains(role)) {
                return Err("docrules.error.not_cumulative");
            }
        }
        Ok(r)
    }

    /// Every role that reads a document of `classification` (an unknown
    /// one is read as secret).
    pub fn readers_of(&self, classification: &str) -> Vec<Role> {
        if classification == "public" {
            return Role::ALL.to_vec();
        }
        let own = self.readers.get(classification).or_else(|| self.readers.get("secret"));
        let mut all = vec![Role::IsmsManager, Role::TopManagement];
        all.extend(own.into_iter().flatten().copied());
        all.sort();
        all
    }

    /// Whether a member holding `roles` reads a document of `classification`.
    pub fn may_read(&self, classification: &str, roles: &RoleSet) -> bool {
        self.readers_of(classification).iter().any(|r| roles.has(*r))
    }

    /// The role that approves documents of `doc_type`.
    pub fn approver_role(&self, doc_type: &str) -> Role {
        if TOP_MANAGEMENT_TYPES.contains(&doc_type) {
            return Role::TopManagement;
        }
        self.approvers.get(doc_type).copied().unwrap_or(Role::IsmsManager)
    }

    /// The permission the approval of a document of `doc_type` needs.
    pub fn approver(&self, doc_type: &str) -> Permission {
        match self.approver_role(doc_type) {
            Role::TopManagement => Permission::Approve,
            _ => Permission::ManageIsms,
        }
    }

    /// Whether the member with `roles` approves documents of `doc_type`.
    pub fn may_approve(&self, roles: &RoleSet, doc_type: &str) -> bool {
        roles.can(self.approver(doc_type))
    }
}

/// Whether `who` may take `step` on a version in `state`; `reviews_open`
/// is whether a named reviewer has not approved yet (approval waits).
pub fn check(state: State, step: Step, who: Who, reviews_open: bool) -> Result<State, Refusal> {
    let role = |ok: bool| if ok { Ok(()) } else { Err(Refusal::Role) };
    let state_is = |want: State, key: &'static str| if state == want { Ok(()) } else { Err(Refusal::State(key)) };
    match step {
        Step::Edit => {
            role(who.editor)?;
            state_is(State::Draft, "document.error.not_draft")?;
            Ok(State::Draft)
        }
        Step::Submit => {
            role(who.editor)?;
            state_is(State::Draft, "document.error.not_draft")?;
            Ok(State::InReview)
        }
        Step::Review => {
            state_is(State::InReview, "document.error.not_in_review")?;
            role(who.pending_reviewer)?;
            Ok(State::InReview)
        }
        Step::Approve => {
            role(who.approver)?;
            state_is(State::InReview, "document.error.not_in_review")?;
            if reviews_open {
                return Err(Refusal::State("document.error.reviews_open"));
            }
            Ok(State::Approved)
        }
        Step::Publish => {
            role(who.editor)?;
            state_is(State::Approved, "document.error.not_approved")?;
            Ok(State::Published)
        }
        Step::Withdraw => {
            role(who.manager)?;
            state_is(State::Published, "document.error.not_published")?;
            Ok(State::Withdrawn)
        }
    }
}

/// Who a published version asks to read and confirm it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "audience", rename_all = "snake_case")]
pub enum Audience {
    /// Every member of the organisation.
    All,
    /// The members holding this role.
    Role { role: Role },
    /// The members named.
    People { people: Vec<String> },
}

impl Audience {
    pub fn code(&self) -> &'static str {
        match self {
            Audience::All => "all",
            Audience::Role { .. } => "role",
            Audience::People { .. } => "people",
        }
    }

    /// From its stored (or submitted) parts; `None` when they do not make
    /// one: an unknown kind, a role request without a known role, a
    /// request for named people naming nobody.
    pub fn from_parts(kind: &str, role: Option<&str>, people: Vec<String>) -> Option<Audience> {
        match kind {
            "all" => Some(Audience::All),
            "role" => role.and_then(Role::parse).map(|role| Audience::Role { role }),
            "people" if !people.is_empty() => Some(Audience::People { people }),
            _ => None,
        }
    }

    /// Whether the member `user` with `roles` is asked.
    pub fn reaches(&self, user: &str, roles: &RoleSet) -> bool {
        match self {
            Audience::All => true,
            Audience::Role { role } => roles.has(*role),
            Audience::People { people } => people.iter().any(|p| p == user),
        }
    }
}

/// How far a request to read a version has come: of the members it asks
/// now (people who left are not counted), how many confirmed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Rate {
    pub asked: usize,
    pub confirmed: usize,
}

impl Rate {
    /// The members asked, each with whether they confirmed.
    pub fn of<'a>(asked: impl IntoIterator<Item = (&'a str, bool)>) -> Rate {
        let mut r = Rate::default();
        for (_, done) in asked {
            r.asked += 1;
            r.confirmed += usize::from(done);
        }
        r
    }

    /// The share confirmed, in whole percent rounded down (so 100 means
    /// everyone); 0 when nobody is asked.
    pub fn percent(self) -> u32 {
        (self.confirmed * 100).checked_div(self.asked).unwrap_or(0) as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EDITOR: Who = Who { editor: true, manager: false, approver: false, pending_reviewer: false };
    const MANAGER: Who = Who { editor: true, manager: true, approver: true, pending_reviewer: false };
    const TOP: Who = Who { editor: false, manager: false, approver: true, pending_reviewer: false };
    const REVIEWER: Who = Who { editor: false, manager: false, approver: false, pending_reviewer: true };
    const NOBODY: Who = Who { editor: false, manager: false, approver: false, pending_reviewer: false };

    #[test]
    fn a_version_goes_through_review_approval_and_publication() {
        let s = check(State::Draft, Step::Edit, EDITOR, false).unwrap();
        let s = check(s, Step::Submit, EDITOR, true).unwrap();
        assert_eq!(s, State::InReview);
        assert_eq!(check(s, Step::Review, REVIEWER, true), Ok(State::InReview));
        // Approval waits for every reviewer.
        assert_eq!(check(s, Step::Approve, TOP, true), Err(Refusal::State("document.error.reviews_open")));
        let s = check(s, Step::Approve, TOP, false).unwrap();
        assert_eq!(s, State::Approved);
        let s = check(s, Step::Publish, EDITOR, false).unwrap();
        assert_eq!(s, State::Published);
        assert_eq!(check(s, Step::Withdraw, MANAGER, false), Ok(State::Withdrawn));
    }

    #[test]
    fn only_a_draft_changes() {
        for st in [State::InReview, State::Approved, State::Published, State::Withdrawn] {
            assert_eq!(
                check(st, Step::Edit, MANAGER, false),
                Err(Refusal::State("document.error.not_draft")),
                "{st:?}"
            );
            assert_eq!(
                check(st, Step::Submit, MANAGER, false),
                Err(Refusal::State("document.error.not_draft")),
                "{st:?}"
            );
        }
        assert!(check(State::Published, Step::Approve, MANAGER, false).is_err());
        assert!(check(State::Draft, Step::Publish, MANAGER, false).is_err());
        assert!(check(State::Withdrawn, Step::Publish, MANAGER, false).is_err());
        assert!(check(State::Withdrawn, Step::Withdraw, MANAGER, false).is_err());
    }

    #[test]
    fn each_step_has_its_role() {
        assert_eq!(check(State::Draft, Step::Edit, NOBODY, false), Err(Refusal::Role));
        assert_eq!(check(State::Draft, Step::Edit, TOP, false), Err(Refusal::Role));
        assert_eq!(check(State::InReview, Step::Review, EDITOR, false), Err(Refusal::Role));
        assert_eq!(check(State::InReview, Step::Approve, EDITOR, false), Err(Refusal::Role));
        assert_eq!(check(State::Approved, Step::Publish, TOP, false), Err(Refusal::Role));
        assert_eq!(check(State::Published, Step::Withdraw, EDITOR, false), Err(Refusal::Role));
    }

    #[test]
    fn the_scope_and_the_policy_are_approved_by_top_management_the_rest_as_the_organisation_chose() {
        let top = RoleSet(vec![Role::TopManagement]);
        let manager = RoleSet(vec![Role::IsmsManager]);
        let r = Rules::default();
        for t in ["scope", "policy"] {
            assert!(r.may_approve(&top, t));
            assert!(!r.may_approve(&manager, t));
        }
        for t in configurable_types() {
            assert!(r.may_approve(&manager, t), "{t}");
            assert!(!r.may_approve(&top, t), "{t}");
        }
        // Procedures to top management; the policy cannot be given away.
        let r = Rules::from_form([], [("procedure", "top_management"), ("record", "isms_manager")]).unwrap();
        assert!(r.may_approve(&top, "procedure"));
        assert!(!r.may_approve(&manager, "procedure"));
        assert!(r.may_approve(&manager, "record"));
        assert_eq!(Rules::from_form([], [("policy", "isms_manager")]), Err("docrules.error.unknown"));
        assert_eq!(Rules::from_form([], [("procedure", "viewer")]), Err("docrules.error.unknown"));
        // Stored and read back; what is not understood keeps the default.
        assert_eq!(Rules::from_json(&r.to_json()), r);
        let odd = Rules::from_json(
            r#"{"approvers":{"policy":"isms_manager","record":"viewer","procedure":"top_management"}}"#,
        );
        assert_eq!(odd.approver_role("policy"), Role::TopManagement);
        assert_eq!(odd.approver_role("record"), Role::IsmsManager);
        assert_eq!(odd.approver_role("procedure"), Role::TopManagement);
        assert_eq!(Rules::from_json("not json"), Rules::default());
    }

    #[test]
    fn who_reads_a_classification_is_the_organisations_choice_within_limits() {
        let viewer = RoleSet(vec![Role::Viewer]);
        let auditor = RoleSet(vec![Role::Auditor]);
        let top = RoleSet(vec![Role::TopManagement]);
        let manager = RoleSet(vec![Role::IsmsManager]);
        let d = Rules::default();
        // By default staff read public and internal documents, the others all.
        assert!(d.may_read("public", &viewer) && d.may_read("internal", &viewer));
        assert!(!d.may_read("confidential", &viewer) && !d.may_read("secret", &viewer));
        assert!(d.may_read("secret", &auditor));
        // Secret documents for the ISMS manager and top management only:
        // the auditor reads up to confidential.
        let r = Rules::from_form(
            ["internal:viewer", "internal:auditor", "internal:contributor", "confidential:auditor"],
            [],
        )
        .unwrap();
        assert!(r.may_read("confidential", &auditor));
        assert!(!r.may_read("secret", &auditor));
        assert!(!r.may_read("confidential", &RoleSet(vec![Role::Contributor])));
        // Nobody can take the ISMS manager, top management or public away.
        let none = Rules::from_form([], []).unwrap();
        for c in CLASSIFICATIONS {
            assert!(none.may_read(c, &manager) && none.may_read(c, &top), "{c}");
        }
        assert!(none.may_read("public", &viewer));
        assert!(!none.may_read("internal", &viewer));
        // An unknown classification is read as secret.
        assert_eq!(r.readers_of("top-secret"), r.readers_of("secret"));
        // Reading secret but not confidential makes no sense: refused.
        assert_eq!(Rules::from_form(["internal:auditor", "secret:auditor"], []), Err("docrules.error.not_cumulative"));
        assert_eq!(Rules::from_form(["public:viewer"], []), Err("docrules.error.unknown"));
        assert_eq!(Rules::from_form(["internal:isms_manager"], []), Err("docrules.error.unknown"));
        assert_eq!(Rules::from_form(["internal"], []), Err("docrules.error.unknown"));
    }

    #[test]
    fn an_audience_reaches_all_members_a_role_or_the_people_named() {
        let viewer = RoleSet(vec![Role::Viewer]);
        let top = RoleSet(vec![Role::TopManagement, Role::Contributor]);
        assert!(Audience::All.reaches("u1", &viewer));
        let role = Audience::from_parts("role", Some("top_management"), vec![]).unwrap();
        assert!(role.reaches("u1", &top));
        assert!(!role.reaches("u1", &viewer));
        let people = Audience::from_parts("people", None, vec!["u2".into()]).unwrap();
        assert!(people.reaches("u2", &viewer));
        assert!(!people.reaches("u1", &top));
        assert_eq!(Audience::from_parts("people", None, vec![]), None);
        assert_eq!(Audience::from_parts("role", Some("chief"), vec![]), None);
        assert_eq!(Audience::from_parts("everyone", None, vec![]), None);
    }

    #[test]
    fn the_rate_counts_who_is_asked_now() {
        let r = Rate::of([("a", true), ("b", true), ("c", true), ("d", false), ("e", false)]);
        assert_eq!(r, Rate { asked: 5, confirmed: 3 });
        assert_eq!(r.percent(), 60);
        // Two of three is 66 %, not 67: 100 % only when everyone confirmed.
        assert_eq!(Rate::of([("a", true), ("b", true), ("c", false)]).percent(), 66);
        assert_eq!(Rate::of([("a", true)]).percent(), 100);
        assert_eq!(Rate::default().percent(), 0);
    }
}
