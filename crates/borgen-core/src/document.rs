//! Versions of documented information (7.5.2, 7.5.3): each version moves
//! draft → in review → approved → published → withdrawn, and only a draft
//! changes. Who may take each step, and in which state, is decided here.
//!
//! - A draft is written by the ISMS manager or the document's owner (with
//!   edit rights); it goes to review with named reviewers.
//! - Each named reviewer approves it or sends it back with a reason; sent
//!   back, it is a draft again and every review starts over.
//! - It is approved, once every reviewer approved, by the role its type
//!   needs ([`approver`]): top management for the scope statement and the
//!   information security policy, the ISMS manager for the rest.
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

/// The permission the approval of a document of `doc_type` needs.
pub fn approver(doc_type: &str) -> Permission {
    match doc_type {
        "scope" | "policy" => Permission::Approve,
        _ => Permission::ManageIsms,
    }
}

/// Whether the member with `roles` approves documents of `doc_type`.
pub fn may_approve(roles: &RoleSet, doc_type: &str) -> bool {
    roles.can(approver(doc_type))
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

/// Whether a member may read the version of a document now in force: who
/// reads the registers reads every document; every other member (staff,
/// viewers) the public and internal ones, and any version that asks them
/// to read it whatever its classification.
pub fn may_read_published(classification: &str, asked: bool, reads_registers: bool) -> bool {
    reads_registers || asked || matches!(classification, "public" | "internal")
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
    fn the_scope_and_the_policy_are_approved_by_top_management_the_rest_by_the_isms_manager() {
        let top = RoleSet(vec![Role::TopManagement]);
        let manager = RoleSet(vec![Role::IsmsManager]);
        for t in ["scope", "policy"] {
            assert!(may_approve(&top, t));
            assert!(!may_approve(&manager, t));
        }
        for t in TYPES.iter().filter(|t| !matches!(**t, "policy" | "scope")) {
            assert!(may_approve(&manager, t), "{t}");
            assert!(!may_approve(&top, t), "{t}");
        }
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
    fn staff_read_public_and_internal_documents_and_what_they_are_asked_to() {
        assert!(may_read_published("internal", false, false));
        assert!(may_read_published("public", false, false));
        assert!(!may_read_published("confidential", false, false));
        assert!(!may_read_published("secret", false, false));
        assert!(may_read_published("confidential", true, false));
        assert!(may_read_published("secret", false, true));
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
