//! Roles inside an organisation and what each may do (SPEC.md's permission
//! table). An organisation cannot widen these defaults.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    IsmsManager,
    Contributor,
    TopManagement,
    Auditor,
    Viewer,
}

impl Role {
    pub const ALL: [Role; 5] = [Role::IsmsManager, Role::Contributor, Role::TopManagement, Role::Auditor, Role::Viewer];

    pub fn code(self) -> &'static str {
        match self {
            Role::IsmsManager => "isms_manager",
            Role::Contributor => "contributor",
            Role::TopManagement => "top_management",
            Role::Auditor => "auditor",
            Role::Viewer => "viewer",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == s)
    }

    /// Locale key of the role's name.
    pub fn label_key(self) -> &'static str {
        match self {
            Role::IsmsManager => "role.isms_manager",
            Role::Contributor => "role.contributor",
            Role::TopManagement => "role.top_management",
            Role::Auditor => "role.auditor",
            Role::Viewer => "role.viewer",
        }
    }
}

/// Things a member may do inside an organisation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Permission {
    /// Read published policies, acknowledge them (every member).
    ReadPublished,
    /// Read every register, the SoA, the readiness view.
    ReadRegisters,
    /// Edit records one owns or is assigned.
    EditOwn,
    /// Create, edit, archive anything in the ISMS.
    ManageIsms,
    /// Approve policy, scope and SoA versions; accept risks above criteria.
    Approve,
    /// Read the organisation's audit trail.
    ReadAuditTrail,
}

impl Permission {
    pub fn allowed_for(self, role: Role) -> bool {
        use Permission::*;
        use Role::*;
        match self {
            ReadPublished => true,
            ReadRegisters => role != Viewer,
            EditOwn => matches!(role, Contributor | IsmsManager),
            ManageIsms => role == IsmsManager,
            Approve => role == TopManagement,
            ReadAuditTrail => matches!(role, IsmsManager | TopManagement | Auditor),
        }
    }
}

/// The roles a user holds in one organisation (a user may hold several).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct RoleSet(pub Vec<Role>);

impl RoleSet {
    pub fn can(&self, p: Permission) -> bool {
        self.0.iter().any(|r| p.allowed_for(*r))
    }
    pub fn has(&self, r: Role) -> bool {
        self.0.contains(&r)
    }
    /// Whether a member with these roles may own a risk (6.1.2 c): someone
    /// who may be asked to accept it (top management, the ISMS manager, a
    /// contributor), and not an internal auditor, whose independence owning
    /// it would break (9.2), nor a viewer only.
    pub fn may_own_risks(&self) -> bool {
        !self.has(Role::Auditor)
            && self.0.iter().any(|r| matches!(r, Role::TopManagement | Role::IsmsManager | Role::Contributor))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn risk_owners_may_accept_and_are_not_auditors() {
        use Role::*;
        assert!(RoleSet(vec![Contributor]).may_own_risks());
        assert!(RoleSet(vec![TopManagement]).may_own_risks());
        assert!(RoleSet(vec![IsmsManager]).may_own_risks());
        assert!(!RoleSet(vec![Viewer]).may_own_risks());
        assert!(!RoleSet(vec![Auditor]).may_own_risks());
        assert!(!RoleSet(vec![Contributor, Auditor]).may_own_risks(), "independence");
        assert!(!RoleSet(vec![]).may_own_risks());
    }

    #[test]
    fn the_permission_table_of_the_spec() {
        use Permission::*;
        let row = |p: Permission| Role::ALL.map(|r| p.allowed_for(r));
        // order: isms manager, contributor, top management, auditor, viewer
        assert_eq!(row(ReadPublished), [true; 5]);
        assert_eq!(row(ReadRegisters), [true, true, true, true, false]);
        assert_eq!(row(EditOwn), [true, true, false, false, false]);
        assert_eq!(row(ManageIsms), [true, false, false, false, false]);
        assert_eq!(row(Approve), [false, false, true, false, false]);
        assert_eq!(row(ReadAuditTrail), [true, false, true, true, false]);
    }

    #[test]
    fn codes_round_trip() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.code()), Some(r));
        }
        assert_eq!(Role::parse("admin"), None);
    }
}
