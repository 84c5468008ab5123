//! The roles a user can hold. The permission matrix over them arrives with access control.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Owner,
    Clinician,
    FrontDesk,
    Auditor,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Owner, Role::Clinician, Role::FrontDesk, Role::Auditor];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Clinician => "clinician",
            Role::FrontDesk => "front_desk",
            Role::Auditor => "auditor",
        }
    }

    pub fn parse(text: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|role| role.as_str() == text)
    }
}

/// The roles as stored in an audit entry: sorted, comma-separated.
pub fn roles_text(roles: &[Role]) -> String {
    let mut sorted = roles.to_vec();
    sorted.sort();
    sorted.iter().map(|role| role.as_str()).collect::<Vec<_>>().join(",")
}
